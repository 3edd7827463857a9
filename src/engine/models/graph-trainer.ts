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
import type { Divergence, ExperimentRun, Optimizer as OptimizerName, RunInfo, StepRecord } from '../types';
import { createRandom, deriveSeed, type Random } from '../random';
import { FlatParameters, Optimizer, optimizerProblem } from '../train/optimizers';
import { GroupedLayerStatistics } from '../train/layer-statistics';
import { DEFAULT_EXPLODING_NORM, divergenceReason } from '../train/divergence';
import { sampleBatch, type TensorDataset } from '../data/tensor-dataset';
import { GraphModel, GraphSpecError, accuracyOf, lossOf, type ModelSpec } from './graph';

export interface GraphTrainConfig {
  optimizer: OptimizerName;
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

/** Checks a training config; a message naming the setting and the problem. */
function checkTrainConfig(train: GraphTrainConfig): void {
  if (!(train.learningRate > 0) || !Number.isFinite(train.learningRate)) throw new GraphSpecError(`learningRate must be a positive number, got ${train.learningRate}`);
  if (!Number.isInteger(train.batchSize) || train.batchSize < 1) throw new GraphSpecError(`batchSize must be a positive integer, got ${train.batchSize}`);
  const optimizer = optimizerProblem(train.optimizer);
  if (optimizer) throw new GraphSpecError(optimizer);
}

/** One run: a model, its optimiser state and its pending per-step statistics. */
class GraphTrainer {
  readonly model: GraphModel;
  private readonly spec: GraphRunSpec;
  private readonly random: Random;
  private readonly flat: FlatParameters;
  private readonly statistics: GroupedLayerStatistics;
  private readonly optimizer: Optimizer;
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
    this.flat = new FlatParameters(this.model.parameterShapes);
    this.statistics = new GroupedLayerStatistics(
      this.model.layerWeights.map((parameters, layer) => ({ layer: this.model.layers[layer], parameters })),
      this.flat.sizes,
    );
    this.optimizer = new Optimizer(spec.train, this.flat.flatShape);
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
      const flatGrad = this.flat.flatten(grads);
      let clipScale: tf.Tensor = tf.scalar(1);
      let clipped = flatGrad;
      if (train.clipNorm && train.clipNorm > 0) {
        clipScale = tf.minimum(1, tf.div(train.clipNorm, tf.add(tf.norm(flatGrad), 1e-30)));
        clipped = tf.mul(flatGrad, clipScale);
      }
      const delta = this.optimizer.update(clipped, train.learningRate, step);
      const newParams = this.flat.unflatten(delta).map((part, i) => tf.sub(model.parameterTensors[i], part));
      const perLayer = this.statistics.sums(flatGrad, this.flat.flatten(newParams), delta);
      const stats = tf.concat([tf.stack([loss, accuracy ?? tf.scalar(0), clipScale]), perLayer]);
      return { stats, newParams };
    });
    inputs.dispose();
    targets.dispose();
    accuracy?.dispose();
    model.replaceParameters(out.newParams);
    model.replaceState(stateUpdates);
    this.pending.push({ step, stats: out.stats });
  }

  /** Reads every pending step's statistics back at once. */
  collect(runId: number): StepRecord[] {
    if (this.pending.length === 0) return [];
    const pending = this.pending;
    this.pending = [];
    const values = tf.tidy(() => tf.stack(pending.map((p) => p.stats)).dataSync());
    pending.forEach((p) => p.stats.dispose());
    // Per row: loss, accuracy, clip scale, then the per-layer sums.
    const columns = 3 + this.statistics.size;
    const hasAccuracy = this.model.spec.loss !== 'mse';
    return pending.map(({ step }, row) => {
      const base = row * columns;
      const record: StepRecord = { run: runId, step, loss: values[base], ...this.statistics.read(values, base + 3) };
      if (hasAccuracy) record.accuracy = values[base + 1];
      return record;
    });
  }

  dispose(): void {
    this.pending.forEach((p) => p.stats.dispose());
    this.pending = [];
    this.statistics.dispose();
    this.optimizer.dispose();
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
            const reason = divergenceReason(record, runs[id].layers, explodingNorm);
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
