/**
 * Trains graph models (./graph.ts) and records them as the MLP trainer records MLPs: one
 * StepRecord per run and step, per-layer statistics in the order of RunInfo.layers (the model's
 * layers with weights), divergence detection, read-back in chunks.
 *
 * ```ts
 * const run = createGraphExperimentRun([
 *   { label: 'U-Net', model: unetSpec({ ... }), seed: 1, data: shapes, train: { optimizer: 'adam', learningRate: 3e-3, batchSize: 8 } },
 * ]);
 * run.train(100);                  // StepRecord[] of steps 1-100
 * run.models[0].evaluate(testSet); // the trained model: parameters by name, lesions, evaluation
 * run.dispose();
 * ```
 *
 * Each run is its own model (runs are not batched together as the MLP's are: architectures and
 * data differ too much for that to pay). Per step, the statistics of every layer come from one
 * matMul of the squared flat gradient, weights and update with a [parameters, layers] membership
 * matrix, and stay on the device until the chunk's single read-back.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Divergence, ExperimentRun, LayerInfo, Optimizer, RunInfo, StepRecord } from '../types';
import { createRandom, deriveSeed, type Random } from '../random';
import { sampleBatch, type TensorDataset } from '../data/tensor-dataset';
import { GraphModel, GraphSpecError, accuracyOf, lossOf, type ModelSpec } from './graph';

export interface GraphTrainConfig {
  optimizer: Optimizer;
  learningRate: number;
  /** Momentum coefficient (optimizer 'momentum'); default 0.9. */
  momentum?: number;
  batchSize: number;
  /** Clip the global gradient norm to this value; 0 or undefined = no clipping. */
  clipNorm?: number;
}

export interface GraphRunSpec {
  /** Shown in legends and tables. */
  label: string;
  model: ModelSpec;
  /** Initial weights, batch order and dropout masks. */
  seed: number;
  data: TensorDataset;
  train: GraphTrainConfig;
}

export interface GraphTrainerOptions {
  /** Gradient norm above which a run counts as exploding (default 1e6, as for the MLP). */
  explodingGradientNorm?: number;
  /** Most steps between read-backs inside one `train(steps)` call (default 32). */
  maxStepsPerReadBack?: number;
}

export interface GraphExperimentRun extends ExperimentRun {
  /** The model of each run, by run id (kept after a run diverges, for inspection). */
  readonly models: readonly GraphModel[];
  /** Last completed step. */
  readonly step: number;
}

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-7;
const DEFAULT_EXPLODING_NORM = 1e6;
/** Squares of tiny gradients underflow float32, so sums of squares are also taken at this scale (as in the MLP). */
const TINY_SCALE = 2 ** 50;

function robustNorm(plain: number, scaled: number): number {
  if (plain < 1e-30 && Number.isFinite(scaled)) return Math.sqrt(scaled) / TINY_SCALE;
  return Math.sqrt(plain);
}

/** Checks a training config; a message naming the setting and the problem. */
function checkTrainConfig(train: GraphTrainConfig): void {
  if (!(train.learningRate > 0) || !Number.isFinite(train.learningRate)) throw new GraphSpecError(`learningRate must be a positive number, got ${train.learningRate}`);
  if (!Number.isInteger(train.batchSize) || train.batchSize < 1) throw new GraphSpecError(`batchSize must be a positive integer, got ${train.batchSize}`);
  if (!['sgd', 'momentum', 'adam'].includes(train.optimizer)) throw new GraphSpecError(`unknown optimizer ${JSON.stringify(train.optimizer)}; known: sgd, momentum, adam`);
}

/** One run: a model, its optimiser state and its pending per-step statistics. */
class GraphTrainer {
  readonly model: GraphModel;
  private readonly spec: GraphRunSpec;
  private readonly random: Random;
  private readonly membership: tf.Tensor2D;
  private readonly sizes: number[];
  private firstMoment?: tf.Tensor;
  private secondMoment?: tf.Tensor;
  private pending: { step: number; stats: tf.Tensor }[] = [];
  private stepCount = 0;

  constructor(spec: GraphRunSpec) {
    checkTrainConfig(spec.train);
    this.spec = spec;
    this.model = new GraphModel(spec.model, spec.seed);
    try {
      this.model.checkBatch(sampleBatch(spec.data, 1, createRandom(0)));
    } catch (error) {
      this.model.dispose();
      throw error;
    }
    this.random = createRandom(deriveSeed(spec.seed, 2));
    this.sizes = this.model.parameterShapes.map((shape) => shape.reduce((a, b) => a * b, 1));
    // membership[p][l] = 1 when flat parameter entry p is a weight of recorded layer l.
    const layers = this.model.layerWeights.length;
    const total = this.sizes.reduce((a, b) => a + b, 0);
    const membership = new Float32Array(total * Math.max(1, layers));
    const offsets = this.sizes.map((_, i) => this.sizes.slice(0, i).reduce((a, b) => a + b, 0));
    this.model.layerWeights.forEach((params, layer) => {
      for (const param of params) for (let k = 0; k < this.sizes[param]; k++) membership[(offsets[param] + k) * layers + layer] = 1;
    });
    this.membership = tf.keep(tf.tensor2d(membership, [total, Math.max(1, layers)]));
    if (spec.train.optimizer !== 'sgd') this.firstMoment = tf.keep(tf.zeros([total]));
    if (spec.train.optimizer === 'adam') this.secondMoment = tf.keep(tf.zeros([total]));
  }

  /** One training step; its statistics stay on the device until collect(). */
  step(): void {
    const { train, data } = this.spec;
    const model = this.model;
    const batch = sampleBatch(data, train.batchSize, this.random);
    this.stepCount++;
    const step = this.stepCount;
    const { inputs, targets } = model.batchTensors(batch);
    let accuracy: tf.Tensor | undefined;
    let stateUpdates = new Map<number, tf.Tensor>();
    const out = tf.tidy(() => {
      const { value: loss, grads } = tf.valueAndGrads((...params: tf.Tensor[]) => {
        const result = model.forward(inputs, { training: true, step }, params);
        // Kept past autodiff's own tidy: they are not on the loss's path.
        result.stateUpdates.forEach((t) => tf.keep(t));
        stateUpdates = result.stateUpdates;
        const correct = accuracyOf(model.spec.loss, result.output, targets);
        if (correct) accuracy = tf.keep(correct);
        return lossOf(model.spec.loss, result.output, targets);
      })([...model.parameterTensors]);
      const flatGrad = tf.concat(grads.map((g) => tf.reshape(g, [-1])));
      let clipScale: tf.Tensor = tf.scalar(1);
      let clipped = flatGrad;
      if (train.clipNorm && train.clipNorm > 0) {
        clipScale = tf.minimum(1, tf.div(train.clipNorm, tf.add(tf.norm(flatGrad), 1e-30)));
        clipped = tf.mul(flatGrad, clipScale);
      }
      const { delta, firstMoment, secondMoment } = this.update(clipped, step);
      const parts = tf.split(delta, this.sizes);
      const newParams = model.parameterTensors.map((p, i) => tf.sub(p, tf.reshape(parts[i], p.shape)));
      const flatWeights = tf.concat(newParams.map((p) => tf.reshape(p, [-1])));
      const squares = tf.concat([tf.square(tf.stack([flatGrad, flatWeights, delta])), tf.square(tf.mul(tf.stack([flatGrad, delta]), TINY_SCALE))], 0);
      const perLayer = tf.matMul(squares, this.membership);
      const stats = tf.concat([tf.stack([loss, accuracy ?? tf.scalar(0), clipScale]), tf.reshape(perLayer, [-1])]);
      return { stats, newParams, firstMoment, secondMoment };
    });
    inputs.dispose();
    targets.dispose();
    accuracy?.dispose();
    model.replaceParameters(out.newParams);
    model.replaceState(stateUpdates);
    if (out.firstMoment) {
      this.firstMoment?.dispose();
      this.firstMoment = out.firstMoment;
    }
    if (out.secondMoment) {
      this.secondMoment?.dispose();
      this.secondMoment = out.secondMoment;
    }
    this.pending.push({ step, stats: out.stats });
  }

  /** SGD, momentum or Adam on the flat gradient; returns the update to subtract and the new moments. */
  private update(gradient: tf.Tensor, step: number): { delta: tf.Tensor; firstMoment?: tf.Tensor; secondMoment?: tf.Tensor } {
    const { optimizer, learningRate, momentum = 0.9 } = this.spec.train;
    if (optimizer === 'sgd') return { delta: tf.mul(gradient, learningRate) };
    if (optimizer === 'momentum') {
      const velocity = tf.add(tf.mul(this.firstMoment!, momentum), gradient);
      return { delta: tf.mul(velocity, learningRate), firstMoment: velocity };
    }
    const firstMoment = tf.add(tf.mul(this.firstMoment!, ADAM_BETA1), tf.mul(gradient, 1 - ADAM_BETA1));
    const secondMoment = tf.add(tf.mul(this.secondMoment!, ADAM_BETA2), tf.mul(tf.square(gradient), 1 - ADAM_BETA2));
    // Bias correction folded into the step size (Kingma & Ba 2015, end of Section 2), as in the MLP.
    const stepSize = (learningRate * Math.sqrt(1 - ADAM_BETA2 ** step)) / (1 - ADAM_BETA1 ** step);
    const delta = tf.mul(tf.div(firstMoment, tf.add(tf.sqrt(secondMoment), ADAM_EPSILON)), stepSize);
    return { delta, firstMoment, secondMoment };
  }

  /** Reads every pending step's statistics back at once. */
  collect(runId: number): StepRecord[] {
    if (this.pending.length === 0) return [];
    const pending = this.pending;
    this.pending = [];
    const values = tf.tidy(() => tf.stack(pending.map((p) => p.stats)).dataSync());
    pending.forEach((p) => p.stats.dispose());
    const layers = this.model.layers.length;
    // Per row: loss, accuracy, clip scale, then [5, layers] blocks (the membership matrix has at least one column).
    const width = Math.max(1, layers);
    const columns = 3 + 5 * width;
    const hasAccuracy = this.model.spec.loss !== 'mse';
    return pending.map(({ step }, row) => {
      const at = (block: number, layer: number) => values[row * columns + 3 + block * width + layer];
      const base = row * columns;
      const gradNorms: number[] = [];
      const weightNorms: number[] = [];
      const updateRatios: number[] = [];
      for (let layer = 0; layer < layers; layer++) {
        gradNorms.push(robustNorm(at(0, layer), at(3, layer)));
        const weightNorm = Math.sqrt(at(1, layer));
        weightNorms.push(weightNorm);
        updateRatios.push(robustNorm(at(2, layer), at(4, layer)) / (weightNorm || 1e-30));
      }
      const record: StepRecord = { run: runId, step, loss: values[base], gradNorms, weightNorms, updateRatios };
      if (hasAccuracy) record.accuracy = values[base + 1];
      return record;
    });
  }

  dispose(): void {
    this.pending.forEach((p) => p.stats.dispose());
    this.pending = [];
    [this.membership, this.firstMoment, this.secondMoment].forEach((t) => t?.dispose());
    this.model.dispose();
  }
}

export function createGraphExperimentRun(specs: readonly GraphRunSpec[], options: GraphTrainerOptions = {}): GraphExperimentRun {
  if (specs.length === 0) throw new Error('An experiment needs at least one run');
  const explodingNorm = options.explodingGradientNorm ?? DEFAULT_EXPLODING_NORM;
  const maxStepsPerReadBack = options.maxStepsPerReadBack ?? 32;
  const trainers: GraphTrainer[] = [];
  try {
    for (const spec of specs) trainers.push(new GraphTrainer(spec));
  } catch (error) {
    trainers.forEach((t) => t.dispose());
    throw error;
  }
  const runs: RunInfo[] = specs.map((spec, id) => ({ id, label: spec.label, seed: spec.seed, layers: [...trainers[id].model.layers] }));
  const live = new Set(trainers.map((_, id) => id));
  const divergences: Divergence[] = [];
  let step = 0;
  let disposed = false;

  const divergenceOf = (record: StepRecord, layers: readonly LayerInfo[]): string | undefined => {
    if (!Number.isFinite(record.loss)) return `loss became ${Number.isNaN(record.loss) ? 'NaN' : 'infinite'}`;
    for (let layer = 0; layer < record.gradNorms.length; layer++) {
      const norm = record.gradNorms[layer];
      const name = layers[layer].label;
      if (!Number.isFinite(norm)) return `gradient norm in ${name} became ${Number.isNaN(norm) ? 'NaN' : 'infinite'}`;
      if (norm > explodingNorm) return `gradient norm ${norm.toExponential(1)} in ${name} exploded (above ${explodingNorm.toExponential(0)})`;
    }
    return undefined;
  };

  return {
    runs,
    models: trainers.map((t) => t.model),
    get step() {
      return step;
    },
    train(steps: number): StepRecord[] {
      if (disposed) throw new Error('This experiment run was disposed');
      const records: StepRecord[] = [];
      for (let done = 0; done < steps && live.size > 0; ) {
        const chunk = Math.min(maxStepsPerReadBack, steps - done);
        for (let i = 0; i < chunk; i++) for (const id of live) trainers[id].step();
        step += chunk;
        done += chunk;
        for (const id of [...live]) {
          for (const record of trainers[id].collect(id)) {
            records.push(record);
            const reason = divergenceOf(record, runs[id].layers);
            if (reason) {
              // The diverging step's record is kept: it is what the reader needs to see.
              divergences.push({ run: id, step: record.step, reason });
              live.delete(id);
              break;
            }
          }
        }
      }
      return records.sort((a, b) => a.step - b.step || a.run - b.run);
    },
    divergences: () => divergences,
    dispose() {
      disposed = true;
      trainers.forEach((t) => t.dispose());
      live.clear();
    },
  };
}
