/**
 * Multi-layer perceptrons for several runs at once.
 *
 * A `MlpGroup` holds R runs that share one architecture (depth, width, activation, norm, skip,
 * optimiser, loss, data set, batch size). Every parameter is one tensor with a leading runs axis
 * ([R, in, out] kernels, [R, 1, out] biases), so a training step of all R runs is one set of
 * kernel calls (batched matMul) instead of R sets: at these sizes TF.js's per-operation overhead,
 * not arithmetic, is the cost, so 8 runs cost little more than 1.
 *
 * Runs differ only in what is cheap to vary per slice: their seeds (weights and batch order) and
 * their learning rates. Per-step statistics are computed on the device and read back in chunks.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation, Init, Loss, NetworkConfig, Norm, Optimizer, Skip, TrainConfig } from './types';
import { createRandom, deriveSeed, type Random } from './random';
import { datasetShape, makeDataset, type Dataset } from './datasets';

/** Everything runs in one group must share. */
export interface Architecture {
  inputSize: number;
  outputSize: number;
  depth: number;
  width: number;
  activation: Activation;
  init: Init;
  initScale: number;
  norm: Norm;
  skip: Skip;
  blockSize: 1 | 2;
  optimizer: Optimizer;
  momentum: number;
  loss: Loss;
  dataset: TrainConfig['dataset'];
  datasetSize: number;
  batchSize: number;
  clipNorm: number;
  activationStats: boolean;
}

/** What differs between the runs of a group. */
export interface RunSlot {
  /** Index into the experiment's RunInfo list. */
  runId: number;
  seed: number;
  dataSeed: number;
  learningRate: number;
}

/** Raw per-step numbers of one run, as read back from the device. */
export interface RawStepStats {
  runId: number;
  step: number;
  loss: number;
  accuracy?: number;
  gradNorms: number[];
  weightNorms: number[];
  updateRatios: number[];
  activations?: { mean: number[]; std: number[]; saturated: number[]; dead: number[] };
}

export const MAX_DEPTH = 50;
const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-7;
const NORM_EPSILON = 1e-5;

/** Resolves a RunSpec's network and training configs to the group key and the per-run slot. */
export function resolveArchitecture(network: NetworkConfig, train: TrainConfig): Architecture {
  if (!Number.isInteger(network.depth) || network.depth < 1 || network.depth > MAX_DEPTH) {
    throw new Error(`depth must be an integer from 1 to ${MAX_DEPTH}, got ${network.depth}`);
  }
  if (!Number.isInteger(network.width) || network.width < 1) throw new Error(`width must be a positive integer, got ${network.width}`);
  const shape = datasetShape(train.dataset);
  // Cross-entropy needs classes; a regression target always trains on MSE.
  const loss: Loss = shape.task === 'regression' ? 'mse' : train.loss;
  return {
    inputSize: shape.inputSize,
    outputSize: shape.outputSize,
    depth: network.depth,
    width: network.width,
    activation: network.activation,
    init: network.init,
    initScale: network.initScale ?? (network.init === 'naive' ? 0.01 : 1),
    norm: network.norm,
    skip: network.skip,
    blockSize: network.blockSize ?? 1,
    optimizer: train.optimizer,
    momentum: train.momentum ?? 0.9,
    loss,
    dataset: train.dataset,
    datasetSize: train.datasetSize ?? 512,
    batchSize: train.batchSize,
    clipNorm: train.clipNorm ?? 0,
    activationStats: train.activationStats ?? false,
  };
}

export function architectureKey(architecture: Architecture): string {
  return JSON.stringify(architecture);
}

/** Fan-in of hidden layer `layer` (0-based); `layer === depth` is the output layer. */
export function layerInputSize(architecture: Architecture, layer: number): number {
  const { skip, inputSize, width } = architecture;
  if (skip === 'dense') return inputSize + layer * width;
  return layer === 0 ? inputSize : width;
}

/** Is hidden layer `layer` the last one of a residual block (where the skip is added)? */
function closesResidualBlock(architecture: Architecture, layer: number): boolean {
  // Layer 0 maps the input to the hidden width and has no identity skip (the shapes differ).
  if (architecture.skip !== 'residual' || layer === 0) return false;
  return (layer - 1) % architecture.blockSize === architecture.blockSize - 1 || layer === architecture.depth - 1;
}

function opensResidualBlock(architecture: Architecture, layer: number): boolean {
  return architecture.skip === 'residual' && layer >= 1 && (layer - 1) % architecture.blockSize === 0;
}

function initStd(architecture: Architecture, fanIn: number, fanOut: number): number {
  const { init, initScale } = architecture;
  if (init === 'naive') return initScale;
  if (init === 'glorot') return initScale * Math.sqrt(2 / (fanIn + fanOut));
  return initScale * Math.sqrt(2 / fanIn);
}

function activate(activation: Activation, z: tf.Tensor): tf.Tensor {
  switch (activation) {
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'tanh':
      return tf.tanh(z);
    case 'relu':
      return tf.relu(z);
    default:
      return z;
  }
}

/** Layout of the flat parameter list: which index holds which layer's tensors. */
interface ParamLayout {
  /** Index of each hidden layer's kernel, then the output kernel last. */
  kernels: number[];
  biases: number[];
  gammas: number[];
  betas: number[];
  shapes: number[][];
}

function paramLayout(architecture: Architecture): ParamLayout {
  const layout: ParamLayout = { kernels: [], biases: [], gammas: [], betas: [], shapes: [] };
  const push = (shape: number[]): number => layout.shapes.push(shape) - 1;
  for (let layer = 0; layer <= architecture.depth; layer++) {
    const isOutput = layer === architecture.depth;
    const fanOut = isOutput ? architecture.outputSize : architecture.width;
    layout.kernels.push(push([layerInputSize(architecture, layer), fanOut]));
    layout.biases.push(push([1, fanOut]));
    if (!isOutput && architecture.norm !== 'none') {
      layout.gammas.push(push([1, fanOut]));
      layout.betas.push(push([1, fanOut]));
    }
  }
  return layout;
}

/** Initial parameter values of one run, from its seed alone (independent of the other runs). */
function initialValues(architecture: Architecture, layout: ParamLayout, seed: number): Float32Array[] {
  const random = createRandom(deriveSeed(seed, 1));
  const values = layout.shapes.map(([rows, cols]) => new Float32Array(rows * cols));
  layout.kernels.forEach((index) => {
    const [fanIn, fanOut] = layout.shapes[index];
    const std = initStd(architecture, fanIn, fanOut);
    const kernel = values[index];
    for (let i = 0; i < kernel.length; i++) kernel[i] = std * random.normal();
  });
  layout.gammas.forEach((index) => values[index].fill(1));
  return values;
}

/** What the backward pass needs from each hidden layer. */
interface LayerCache {
  /** The layer's input [R, B, fanIn]. */
  input: tf.Tensor3D;
  /** Normalised pre-activation (x̂) and 1/√(σ²+ε), when the layer has a norm. */
  normalized?: tf.Tensor3D;
  inverseStd?: tf.Tensor3D;
  /** The layer's activation output [R, B, width], before a skip is added. */
  activation: tf.Tensor3D;
}

/**
 * Initial parameters of R runs, stacked on a leading runs axis, in the layout forward() and
 * backward() expect. Each run's values depend on its own seed only. The caller owns the tensors.
 */
export function createParameters(architecture: Architecture, seeds: readonly number[]): tf.Tensor3D[] {
  const layout = paramLayout(architecture);
  const perRun = seeds.map((seed) => initialValues(architecture, layout, seed));
  return layout.shapes.map((shape, index) => {
    const size = shape[0] * shape[1];
    const joined = new Float32Array(size * seeds.length);
    perRun.forEach((values, run) => joined.set(values[index], run * size));
    return tf.keep(tf.tensor3d(joined, [seeds.length, shape[0], shape[1]]));
  });
}

export interface ForwardResult {
  logits: tf.Tensor3D;
  /** Each hidden layer's activation output (before a skip is added), input side first. */
  activations: tf.Tensor3D[];
  /** The output layer's input. */
  outputInput: tf.Tensor3D;
  caches: LayerCache[];
}

/**
 * The forward pass for all runs: inputs [R, B, in] → logits [R, B, out]. Call inside tf.tidy.
 */
export function forward(architecture: Architecture, params: readonly tf.Tensor[], inputs: tf.Tensor3D): ForwardResult {
  const layout = paramLayout(architecture);
  const caches: LayerCache[] = [];
  let hidden: tf.Tensor3D = inputs;
  // Dense: every layer reads the concatenation of the input and all earlier layer outputs.
  let denseFeatures: tf.Tensor3D = inputs;
  // Residual: the stream is the sum of pre-activations; `stream` is the previous layer's value of it.
  let stream: tf.Tensor3D = inputs;
  let blockInput: tf.Tensor3D = inputs;
  for (let layer = 0; layer < architecture.depth; layer++) {
    if (opensResidualBlock(architecture, layer)) blockInput = stream;
    const input = architecture.skip === 'dense' ? denseFeatures : hidden;
    let preActivation: tf.Tensor3D = tf.add(tf.matMul(input, params[layout.kernels[layer]] as tf.Tensor3D), params[layout.biases[layer]]);
    // Full pre-activation residual block (He et al. 2016, "Identity mappings"): the skip adds the
    // block input to the block's last linear output, and norm + activation start the next layer,
    // so the identity path carries no non-linearity and nothing but addition.
    if (closesResidualBlock(architecture, layer)) preActivation = tf.add(blockInput, preActivation);
    stream = preActivation;
    const cache: Partial<LayerCache> = { input };
    if (architecture.norm !== 'none') {
      // Batch norm: statistics over the batch axis; layer norm: over the units of each example.
      const axis = architecture.norm === 'batch' ? 1 : 2;
      const { mean, variance } = tf.moments(preActivation, axis, true);
      cache.inverseStd = tf.rsqrt(tf.add(variance, NORM_EPSILON)) as tf.Tensor3D;
      cache.normalized = tf.mul(tf.sub(preActivation, mean), cache.inverseStd) as tf.Tensor3D;
      preActivation = tf.add(tf.mul(cache.normalized, params[layout.gammas[layer]]), params[layout.betas[layer]]);
    }
    const activation = activate(architecture.activation, preActivation) as tf.Tensor3D;
    cache.activation = activation;
    caches.push(cache as LayerCache);
    hidden = activation;
    if (architecture.skip === 'dense') denseFeatures = tf.concat([denseFeatures, activation], 2);
  }
  const outputInput = architecture.skip === 'dense' ? denseFeatures : hidden;
  const logits = tf.add(tf.matMul(outputInput, params[layout.kernels[architecture.depth]] as tf.Tensor3D), params[layout.biases[architecture.depth]]) as tf.Tensor3D;
  return { logits, activations: caches.map((c) => c.activation), outputInput, caches };
}

/** Per-run loss [R]: mean over the batch (and outputs, for MSE). */
export function perRunLoss(loss: Loss, logits: tf.Tensor3D, targets: tf.Tensor3D): tf.Tensor1D {
  if (loss === 'mse') return tf.mean(tf.square(tf.sub(logits, targets)), [1, 2]) as tf.Tensor1D;
  return tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 2), 1)) as tf.Tensor1D;
}

/** d(per-run loss)/d(logits). */
function lossGradient(loss: Loss, logits: tf.Tensor3D, targets: tf.Tensor3D): tf.Tensor3D {
  const [, batch, outputs] = logits.shape;
  if (loss === 'mse') return tf.mul(tf.sub(logits, targets), 2 / (batch * outputs));
  return tf.mul(tf.sub(tf.softmax(logits), targets), 1 / batch);
}

/** dL/d(pre-activation) from dL/d(activation output), using the output (cheaper than the input). */
function activationBackward(activation: Activation, output: tf.Tensor3D, gradient: tf.Tensor3D): tf.Tensor3D {
  switch (activation) {
    case 'sigmoid':
      return tf.mul(gradient, tf.mul(output, tf.sub(1, output)));
    case 'tanh':
      return tf.mul(gradient, tf.sub(1, tf.square(output)));
    case 'relu':
      return tf.mul(gradient, tf.step(output));
    default:
      return gradient;
  }
}

/**
 * Hand-derived backward pass: gradients of the summed per-run losses with respect to every
 * parameter, in the parameter list's order. Fewer kernel calls than TF.js's tape-based autodiff,
 * and it needs no gradient registry (tfjs-core's registry is ESM-only, which Node cannot load
 * without a bundler). Checked against finite differences in tests/unit/engine-gradients.test.ts.
 */
export function backward(architecture: Architecture, params: readonly tf.Tensor[], result: ForwardResult, targets: tf.Tensor3D): tf.Tensor[] {
  const layout = paramLayout(architecture);
  const grads: tf.Tensor[] = new Array(params.length);
  const { depth, skip, norm } = architecture;
  const dLogits = lossGradient(architecture.loss, result.logits, targets);
  const outputKernel = params[layout.kernels[depth]] as tf.Tensor3D;
  grads[layout.kernels[depth]] = tf.matMul(result.outputInput, dLogits, true, false);
  grads[layout.biases[depth]] = tf.sum(dLogits, 1, true);
  // Gradient w.r.t. the current layer's output (plain, residual) or the dense feature prefix.
  let dHidden: tf.Tensor3D = tf.matMul(dLogits, outputKernel, false, true);
  let dSkip: tf.Tensor3D | undefined;
  for (let layer = depth - 1; layer >= 0; layer--) {
    const cache = result.caches[layer];
    let dActivation: tf.Tensor3D;
    let dFeaturePrefix: tf.Tensor3D | undefined;
    if (skip === 'dense') {
      const prefix = layerInputSize(architecture, layer);
      const [runs, batch] = dHidden.shape;
      dActivation = tf.slice(dHidden, [0, 0, prefix], [runs, batch, architecture.width]);
      dFeaturePrefix = tf.slice(dHidden, [0, 0, 0], [runs, batch, prefix]);
    } else {
      dActivation = dHidden;
    }
    let dPre = activationBackward(architecture.activation, cache.activation, dActivation);
    if (norm !== 'none' && cache.normalized && cache.inverseStd) {
      const axis = norm === 'batch' ? 1 : 2;
      grads[layout.gammas[layer]] = tf.sum(tf.mul(dPre, cache.normalized), 1, true);
      grads[layout.betas[layer]] = tf.sum(dPre, 1, true);
      const dNormalized = tf.mul(dPre, params[layout.gammas[layer]]);
      const meanGrad = tf.mean(dNormalized, axis, true);
      const meanGradTimesX = tf.mean(tf.mul(dNormalized, cache.normalized), axis, true);
      dPre = tf.mul(cache.inverseStd, tf.sub(tf.sub(dNormalized, meanGrad), tf.mul(cache.normalized, meanGradTimesX)));
    }
    if (skip === 'residual') {
      // dPre is now the gradient w.r.t. this layer's stream value. The block after this layer
      // added that value to its output, so it also receives that block's output gradient.
      if (dSkip && opensResidualBlock(architecture, layer + 1)) {
        dPre = tf.add(dPre, dSkip);
        dSkip = undefined;
      }
      // The identity path carries the block output's gradient straight to the block input.
      if (closesResidualBlock(architecture, layer)) dSkip = dPre;
    }
    grads[layout.kernels[layer]] = tf.matMul(cache.input, dPre, true, false);
    grads[layout.biases[layer]] = tf.sum(dPre, 1, true);
    if (layer === 0) break;
    const dInput: tf.Tensor3D = tf.matMul(dPre, params[layout.kernels[layer]] as tf.Tensor3D, false, true);
    dHidden = skip === 'dense' ? tf.add(dFeaturePrefix!, dInput) : dInput;
  }
  return grads;
}

/** Sum of squares over all axes but the runs axis: [R, ...] → [R]. */
function sumSquaresPerRun(x: tf.Tensor): tf.Tensor1D {
  const axes = x.shape.map((_, i) => i).slice(1);
  return tf.sum(tf.square(x), axes) as tf.Tensor1D;
}

/**
 * Squares of tiny gradients underflow float32 (a norm of 1e-21 has a square of 1e-42), which is
 * exactly the regime this engine exists to show. So sums of squares are also taken of the values
 * scaled by 2^50, and the read-back picks whichever of the two is in range.
 */
const TINY_SCALE = 2 ** 50;

function sumSquaresScaledPerRun(x: tf.Tensor): tf.Tensor1D {
  return sumSquaresPerRun(tf.mul(x, TINY_SCALE));
}

/** Norm from the plain and the 2^50-scaled sum of squares. */
function robustNorm(plain: number, scaled: number): number {
  if (plain < 1e-30 && Number.isFinite(scaled)) return Math.sqrt(scaled) / TINY_SCALE;
  return Math.sqrt(plain);
}

/**
 * R runs of one architecture, trained in lockstep. Owns its tensors; call dispose().
 */
export class MlpGroup {
  readonly architecture: Architecture;
  private readonly layout: ParamLayout;
  private slots: RunSlot[];
  private params: tf.Tensor[];
  /** Momentum velocity, or Adam's first moment. */
  private firstMoments: tf.Tensor[] = [];
  /** Adam's second moment. */
  private secondMoments: tf.Tensor[] = [];
  private learningRates: tf.Tensor3D;
  private readonly datasets: Dataset[];
  private readonly batchRandoms: Random[];
  private stepCount = 0;
  /** Per-step statistics [R, columns], still on the device, with the slots they belong to. */
  private pending: { step: number; slots: RunSlot[]; stats: tf.Tensor2D }[] = [];
  private readonly inputBuffer: Float32Array;
  private readonly targetBuffer: Float32Array;
  private readonly hasAccuracy: boolean;

  constructor(architecture: Architecture, slots: RunSlot[]) {
    if (slots.length === 0) throw new Error('A run group needs at least one run');
    this.architecture = architecture;
    this.layout = paramLayout(architecture);
    this.slots = [...slots];
    this.params = createParameters(architecture, slots.map((slot) => slot.seed));
    if (architecture.optimizer !== 'sgd') this.firstMoments = this.params.map((p) => tf.keep(tf.zerosLike(p)));
    if (architecture.optimizer === 'adam') this.secondMoments = this.params.map((p) => tf.keep(tf.zerosLike(p)));
    this.learningRates = tf.keep(tf.tensor3d(slots.map((slot) => slot.learningRate), [slots.length, 1, 1]));
    const datasetCache = new Map<number, Dataset>();
    this.datasets = slots.map((slot) => {
      let dataset = datasetCache.get(slot.dataSeed);
      if (!dataset) {
        dataset = makeDataset(architecture.dataset, architecture.datasetSize, slot.dataSeed);
        datasetCache.set(slot.dataSeed, dataset);
      }
      return dataset;
    });
    this.batchRandoms = slots.map((slot) => createRandom(deriveSeed(slot.seed, 2)));
    this.inputBuffer = new Float32Array(slots.length * architecture.batchSize * architecture.inputSize);
    this.hasAccuracy = datasetShape(architecture.dataset).task === 'classification';
    this.targetBuffer = new Float32Array(slots.length * architecture.batchSize * architecture.outputSize);
  }

  get runSlots(): readonly RunSlot[] {
    return this.slots;
  }

  get steps(): number {
    return this.stepCount;
  }

  /** Copies of one run's parameters (for tests and snapshots). */
  parameterValues(runIndex: number): Float32Array[] {
    return this.params.map((p) => {
      const size = p.shape[1]! * p.shape[2]!;
      return (p.dataSync() as Float32Array).slice(runIndex * size, (runIndex + 1) * size);
    });
  }

  /** Fills the input/target buffers with each run's next minibatch (sampled with replacement). */
  private sampleBatch(): void {
    const { batchSize, inputSize, outputSize } = this.architecture;
    this.slots.forEach((_, run) => {
      const dataset = this.datasets[run];
      const random = this.batchRandoms[run];
      for (let i = 0; i < batchSize; i++) {
        const example = random.int(dataset.size);
        const row = run * batchSize + i;
        for (let k = 0; k < inputSize; k++) this.inputBuffer[row * inputSize + k] = dataset.inputs[example * inputSize + k];
        for (let k = 0; k < outputSize; k++) this.targetBuffer[row * outputSize + k] = dataset.targets[example * outputSize + k];
      }
    });
  }

  /** Number of statistics columns per run in a step's stats row. */
  private get columns(): number {
    const depth = this.architecture.depth;
    return 3 + 3 * depth + (this.architecture.optimizer === 'sgd' ? 0 : 2 * depth) + (this.architecture.activationStats ? 4 * depth : 0);
  }

  /** One training step of every run. Statistics stay on the device until `collect()`. */
  step(): void {
    const arch = this.architecture;
    const runs = this.slots.length;
    this.sampleBatch();
    this.stepCount++;
    const step = this.stepCount;
    const result = tf.tidy(() => {
      const inputs = tf.tensor3d(this.inputBuffer, [runs, arch.batchSize, arch.inputSize]);
      const targets = tf.tensor3d(this.targetBuffer, [runs, arch.batchSize, arch.outputSize]);
      const result = forward(arch, this.params, inputs);
      const losses = perRunLoss(arch.loss, result.logits, targets);
      const accuracy = this.hasAccuracy
        ? tf.mean(tf.cast(tf.equal(tf.argMax(result.logits, 2), tf.argMax(targets, 2)), 'float32'), 1)
        : undefined;
      const activationColumns = arch.activationStats ? activationStatistics(arch.activation, result.activations) : [];
      const grads = backward(arch, this.params, result, targets);

      // Gradient norms before clipping: that is what flows back through the network.
      const kernelIndex = this.layout.kernels.slice(0, arch.depth);
      let clipped = grads;
      let clipScale: tf.Tensor = tf.ones([runs]);
      if (arch.clipNorm > 0) {
        const globalNorm = tf.sqrt(tf.addN(grads.map(sumSquaresPerRun)));
        clipScale = tf.minimum(1, tf.div(arch.clipNorm, tf.add(globalNorm, 1e-12)));
        const scale = tf.reshape(clipScale, [runs, 1, 1]);
        clipped = grads.map((g) => tf.mul(g, scale));
      }

      const updates = this.computeUpdates(clipped, step);
      const newParams = this.params.map((p, i) => tf.sub(p, updates.deltas[i]));
      const perLayer = (tensors: tf.Tensor[], reduce: (t: tf.Tensor) => tf.Tensor1D) => tf.stack(kernelIndex.map((i) => reduce(tensors[i])), 1);
      const columns: tf.Tensor[] = [
        tf.reshape(losses, [runs, 1]),
        tf.reshape(accuracy ?? tf.zeros([runs]), [runs, 1]),
        tf.reshape(clipScale, [runs, 1]),
        perLayer(grads, sumSquaresPerRun),
        perLayer(grads, sumSquaresScaledPerRun),
        perLayer(newParams, sumSquaresPerRun),
      ];
      // Plain SGD's update is lr × clipped gradient: its norm follows from the gradient norm.
      if (arch.optimizer !== 'sgd') columns.push(perLayer(updates.deltas, sumSquaresPerRun), perLayer(updates.deltas, sumSquaresScaledPerRun));
      columns.push(...activationColumns);
      const stats = tf.concat(columns, 1) as tf.Tensor2D;
      return { stats, newParams, firstMoments: updates.firstMoments, secondMoments: updates.secondMoments };
    });
    this.params.forEach((p) => p.dispose());
    this.firstMoments.forEach((m) => m.dispose());
    this.secondMoments.forEach((m) => m.dispose());
    this.params = result.newParams;
    this.firstMoments = result.firstMoments;
    this.secondMoments = result.secondMoments;
    this.pending.push({ step, slots: this.slots, stats: result.stats });
  }

  private computeUpdates(grads: tf.Tensor[], step: number): { deltas: tf.Tensor[]; firstMoments: tf.Tensor[]; secondMoments: tf.Tensor[] } {
    const arch = this.architecture;
    const lr = this.learningRates;
    if (arch.optimizer === 'sgd') return { deltas: grads.map((g) => tf.mul(g, lr)), firstMoments: [], secondMoments: [] };
    if (arch.optimizer === 'momentum') {
      const velocities = grads.map((g, i) => tf.add(tf.mul(this.firstMoments[i], arch.momentum), g));
      return { deltas: velocities.map((v) => tf.mul(v, lr)), firstMoments: velocities, secondMoments: [] };
    }
    const firstMoments = grads.map((g, i) => tf.add(tf.mul(this.firstMoments[i], ADAM_BETA1), tf.mul(g, 1 - ADAM_BETA1)));
    const secondMoments = grads.map((g, i) => tf.add(tf.mul(this.secondMoments[i], ADAM_BETA2), tf.mul(tf.square(g), 1 - ADAM_BETA2)));
    // Bias correction folded into the step size (as in Kingma & Ba, Algorithm 1's last paragraph).
    const correction = Math.sqrt(1 - ADAM_BETA2 ** step) / (1 - ADAM_BETA1 ** step);
    const stepSize = tf.mul(lr, correction);
    const deltas = firstMoments.map((m, i) => tf.mul(stepSize, tf.div(m, tf.add(tf.sqrt(secondMoments[i]), ADAM_EPSILON))));
    return { deltas, firstMoments, secondMoments };
  }

  /** Reads back every pending step's statistics in one transfer per step and frees them. */
  collect(): RawStepStats[] {
    if (this.pending.length === 0) return [];
    const depth = this.architecture.depth;
    const columns = this.columns;
    const hasAccuracy = this.hasAccuracy;
    const sgd = this.architecture.optimizer === 'sgd';
    const records: RawStepStats[] = [];
    const pending = this.pending;
    this.pending = [];
    // One read-back for the whole chunk when the run set did not change within it.
    const joined = pending.length === 1 ? pending[0].stats : tf.concat(pending.map((p) => p.stats), 0);
    const values = joined.dataSync();
    if (joined !== pending[0].stats) joined.dispose();
    pending.forEach((p) => p.stats.dispose());
    let offset = 0;
    for (const { step, slots } of pending) {
      for (const slot of slots) {
        const row = values.subarray(offset, offset + columns);
        offset += columns;
        const column = (block: number, layer: number) => row[3 + block * depth + layer];
        const layers = Array.from({ length: depth }, (_, layer) => layer);
        const gradNorms = layers.map((layer) => robustNorm(column(0, layer), column(1, layer)));
        const weightNorms = layers.map((layer) => Math.sqrt(column(2, layer)));
        const updateNorms = sgd
          ? gradNorms.map((norm) => norm * slot.learningRate * row[2])
          : layers.map((layer) => robustNorm(column(3, layer), column(4, layer)));
        const record: RawStepStats = {
          runId: slot.runId,
          step,
          loss: row[0],
          gradNorms,
          weightNorms,
          updateRatios: updateNorms.map((norm, layer) => norm / (weightNorms[layer] || 1e-30)),
        };
        if (hasAccuracy) record.accuracy = row[1];
        if (this.architecture.activationStats) {
          const base = 3 + (sgd ? 3 : 5) * depth;
          const slice = (k: number) => Array.from(row.subarray(base + k * depth, base + (k + 1) * depth));
          record.activations = { mean: slice(0), std: slice(1), saturated: slice(2), dead: slice(3) };
        }
        records.push(record);
      }
    }
    return records;
  }

  /** Stops the given runs (e.g. diverged): their slices are dropped from every tensor. */
  removeRuns(runIds: readonly number[]): void {
    const keep = this.slots.map((slot, index) => (runIds.includes(slot.runId) ? -1 : index)).filter((index) => index >= 0);
    if (keep.length === this.slots.length) return;
    if (keep.length === 0) {
      this.dispose();
      this.slots = [];
      return;
    }
    const keepTensor = tf.tensor1d(keep, 'int32');
    const select = (tensors: tf.Tensor[]) =>
      tensors.map((t) => {
        const selected = tf.keep(tf.gather(t, keepTensor));
        t.dispose();
        return selected;
      });
    this.params = select(this.params);
    this.firstMoments = select(this.firstMoments);
    this.secondMoments = select(this.secondMoments);
    [this.learningRates] = select([this.learningRates]) as tf.Tensor3D[];
    keepTensor.dispose();
    this.slots = keep.map((index) => this.slots[index]);
    const datasets = keep.map((index) => this.datasets[index]);
    const randoms = keep.map((index) => this.batchRandoms[index]);
    this.datasets.splice(0, this.datasets.length, ...datasets);
    this.batchRandoms.splice(0, this.batchRandoms.length, ...randoms);
  }

  get size(): number {
    return this.slots.length;
  }

  dispose(): void {
    this.pending.forEach((p) => p.stats.dispose());
    this.pending = [];
    [...this.params, ...this.firstMoments, ...this.secondMoments, this.learningRates].forEach((t) => t.dispose());
    this.params = [];
    this.firstMoments = [];
    this.secondMoments = [];
  }
}

/** Per-layer activation statistics as four [R, depth] tensors: mean, std, saturated, dead. */
function activationStatistics(activation: Activation, activations: tf.Tensor3D[]): tf.Tensor[] {
  const means: tf.Tensor[] = [];
  const stds: tf.Tensor[] = [];
  const saturated: tf.Tensor[] = [];
  const dead: tf.Tensor[] = [];
  for (const a of activations) {
    const { mean, variance } = tf.moments(a, [1, 2]);
    means.push(mean);
    stds.push(tf.sqrt(variance));
    // Saturated: the local derivative is under 5% of its maximum (sigmoid' ≤ 1/4, tanh' ≤ 1).
    if (activation === 'sigmoid') saturated.push(tf.mean(tf.cast(tf.less(tf.mul(a, tf.sub(1, a)), 0.25 * 0.05), 'float32'), [1, 2]));
    else if (activation === 'tanh') saturated.push(tf.mean(tf.cast(tf.less(tf.sub(1, tf.square(a)), 0.05), 'float32'), [1, 2]));
    else saturated.push(tf.zeros([a.shape[0]]));
    // Dead: a ReLU unit that outputs zero for every example in the batch.
    if (activation === 'relu') dead.push(tf.mean(tf.cast(tf.lessEqual(tf.max(a, 1), 0), 'float32'), 1));
    else dead.push(tf.zeros([a.shape[0]]));
  }
  return [means, stds, saturated, dead].map((list) => tf.stack(list, 1));
}
