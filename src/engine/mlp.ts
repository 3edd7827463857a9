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
import type { Activation, Init, Loss, NetworkConfig, Norm, Optimizer as OptimizerName, Skip, TrainConfig } from './types';
import { createRandom, deriveSeed, type Random } from './random';
import { datasetShape, makeDataset, type Dataset } from './datasets';
import { activate, activationBackward, lossAndScaledGradient, lossGradientFactor } from './tensor-functions';
import { FlatParameters, Optimizer } from './train/optimizers';
import {
  ACTIVATION_STAT_COUNT,
  activationStatistics,
  readActivationStats,
  robustNorm,
  scaledSumOfSquares,
  sumOfSquares,
  updateRatios,
} from './train/layer-statistics';

export { activate };
export { perRunLoss } from './tensor-functions';

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
  /** Fraction of each hidden layer's units dropped in training (inverted dropout); 0 = none. */
  dropout: number;
  optimizer: OptimizerName;
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
  /** Start from these parameter values (one per parameter tensor, in `parameterLayout` order) instead of the seed's. */
  initialParameters?: readonly Float32Array[];
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
const NORM_EPSILON = 1e-5;

/** Resolves a RunSpec's network and training configs to the group key and the per-run slot. */
export function resolveArchitecture(network: NetworkConfig, train: TrainConfig): Architecture {
  if (!Number.isInteger(network.depth) || network.depth < 1 || network.depth > MAX_DEPTH) {
    throw new Error(`depth must be an integer from 1 to ${MAX_DEPTH}, got ${network.depth}`);
  }
  if (!Number.isInteger(network.width) || network.width < 1) throw new Error(`width must be a positive integer, got ${network.width}`);
  const dropout = network.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1)) throw new Error(`dropout must be a fraction from 0 to below 1, got ${dropout}`);
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
    dropout: network.dropout ?? 0,
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
export function closesResidualBlock(architecture: Architecture, layer: number): boolean {
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

/** Layout of the flat parameter list: which index holds which layer's tensors. */
export interface ParamLayout {
  /** Index of each hidden layer's kernel ([fanIn, fanOut], row-major), then the output kernel last. */
  kernels: number[];
  biases: number[];
  gammas: number[];
  betas: number[];
  shapes: number[][];
}

export function paramLayout(architecture: Architecture): ParamLayout {
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

/** Initial parameter values of one run, from its seed alone (independent of the other runs), in `paramLayout` order. */
export function initialValues(architecture: Architecture, layout: ParamLayout, seed: number): Float32Array[] {
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
  /** The layer's activation output [R, B, width], before a skip is added (and before dropout). */
  activation: tf.Tensor3D;
  /** Inverted-dropout mask (0 or 1/(1−p)) applied to the activation, when training with dropout. */
  dropoutMask?: tf.Tensor3D;
}

/**
 * Initial parameters of R runs, stacked on a leading runs axis, in the layout forward() and
 * backward() expect. Each run's values depend on its own seed only. The caller owns the tensors.
 */
export function createParameters(architecture: Architecture, seeds: readonly number[]): tf.Tensor3D[] {
  const layout = paramLayout(architecture);
  return stackParameters(layout, seeds.map((seed) => initialValues(architecture, layout, seed)));
}

/** Stacks R runs' parameter values (each in `paramLayout` order) on a leading runs axis. The caller owns the tensors. */
export function stackParameters(layout: ParamLayout, perRun: readonly (readonly Float32Array[])[]): tf.Tensor3D[] {
  return layout.shapes.map((shape, index) => {
    const size = shape[0] * shape[1];
    const joined = new Float32Array(size * perRun.length);
    perRun.forEach((values, run) => {
      if (values[index]?.length !== size) throw new Error(`parameter ${index} of run ${run} needs ${size} values, got ${values[index]?.length ?? 0}`);
      joined.set(values[index], run * size);
    });
    return tf.keep(tf.tensor3d(joined, [perRun.length, shape[0], shape[1]]));
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
 * Checks that hidden layer `layer` can be removed at test time (Veit et al. 2016): a plain layer
 * whose input and output have the same width (any but the first), or the last layer of a residual
 * block. Throws a message naming the layer otherwise.
 */
export function checkRemovableLayer(architecture: Architecture, layer: number): void {
  const { skip, depth } = architecture;
  if (!Number.isInteger(layer) || layer < 1 || layer >= depth) {
    throw new Error(`hidden layer ${layer + 1} cannot be removed: only layers 2 to ${depth} map the hidden width to itself`);
  }
  if (skip === 'dense') throw new Error('layers of a dense network cannot be removed: later layers read their outputs');
  if (skip === 'residual' && !closesResidualBlock(architecture, layer)) {
    throw new Error(`hidden layer ${layer + 1} does not close a residual block; remove the block's last layer instead`);
  }
}

/**
 * The forward pass for all runs: inputs [R, B, in] → logits [R, B, out]. Call inside tf.tidy.
 *
 * `removedLayers` (0-based hidden layers, for evaluation only: backward() ignores it) deletes
 * layers at test time, as Veit et al. (2016) did: a removed plain layer passes its input on
 * unchanged; a removed residual block (named by its last layer) drops its residual branch, so the
 * stream passes on unchanged. See checkRemovableLayer.
 * `dropoutMasks` (one [R, B, width] per hidden layer) multiply each layer's activation; without
 * them there is no dropout (evaluation).
 */
export function forward(
  architecture: Architecture,
  params: readonly tf.Tensor[],
  inputs: tf.Tensor3D,
  removedLayers: ReadonlySet<number> = new Set(),
  dropoutMasks?: readonly tf.Tensor3D[],
): ForwardResult {
  removedLayers.forEach((layer) => checkRemovableLayer(architecture, layer));
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
    const removed = removedLayers.has(layer);
    if (removed && architecture.skip === 'none') {
      caches.push({ input, activation: hidden });
      continue;
    }
    let preActivation: tf.Tensor3D = removed ? blockInput : tf.add(tf.matMul(input, params[layout.kernels[layer]] as tf.Tensor3D), params[layout.biases[layer]]);
    // Full pre-activation residual block (He et al. 2016, "Identity mappings"): the skip adds the
    // block input to the block's last linear output, and norm + activation start the next layer,
    // so the identity path carries no non-linearity and nothing but addition.
    if (closesResidualBlock(architecture, layer) && !removed) preActivation = tf.add(blockInput, preActivation);
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
    cache.dropoutMask = dropoutMasks?.[layer];
    caches.push(cache as LayerCache);
    // Dropout acts on what the next layer reads; a residual stream itself is never dropped.
    const output: tf.Tensor3D = cache.dropoutMask ? tf.mul<tf.Tensor3D>(activation, cache.dropoutMask) : activation;
    hidden = output;
    if (architecture.skip === 'dense') denseFeatures = tf.concat([denseFeatures, output], 2);
  }
  const outputInput = architecture.skip === 'dense' ? denseFeatures : hidden;
  const logits = tf.add(tf.matMul(outputInput, params[layout.kernels[architecture.depth]] as tf.Tensor3D), params[layout.biases[architecture.depth]]) as tf.Tensor3D;
  return { logits, activations: caches.map((c) => c.activation), outputInput, caches };
}

/**
 * inputᵀ · gradient per run. TF.js's wasm BatchMatMul takes XNNPACK's fast path only without
 * transposeA (measured ~8× slower with it at these sizes), so the transpose is a separate kernel.
 */
function kernelGradient(input: tf.Tensor3D, gradient: tf.Tensor3D): tf.Tensor3D {
  return tf.matMul(tf.transpose(input, [0, 2, 1]), gradient);
}

/**
 * Hand-derived backward pass: gradients of the summed per-run losses with respect to every
 * parameter, in the parameter list's order. Fewer kernel calls than TF.js's tape-based autodiff,
 * and it needs no gradient registry (tfjs-core's registry is ESM-only, which Node cannot load
 * without a bundler). Checked against finite differences in tests/unit/engine-gradients.test.ts.
 */
export function backward(
  architecture: Architecture,
  params: readonly tf.Tensor[],
  result: ForwardResult,
  targets: tf.Tensor3D,
  /** d(loss)/d(logits), if the caller already has it (e.g. pre-scaled by the learning rate). */
  logitsGradient?: tf.Tensor3D,
): tf.Tensor[] {
  const layout = paramLayout(architecture);
  const grads: tf.Tensor[] = new Array(params.length);
  const { depth, skip, norm } = architecture;
  const dLogits = logitsGradient ?? lossAndScaledGradient(architecture.loss, result.logits, targets).dLogits;
  const outputKernel = params[layout.kernels[depth]] as tf.Tensor3D;
  grads[layout.kernels[depth]] = kernelGradient(result.outputInput, dLogits);
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
    if (cache.dropoutMask) dActivation = tf.mul<tf.Tensor3D>(dActivation, cache.dropoutMask);
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
    grads[layout.kernels[layer]] = kernelGradient(cache.input, dPre);
    grads[layout.biases[layer]] = tf.sum(dPre, 1, true);
    if (layer === 0) break;
    const dInput: tf.Tensor3D = tf.matMul(dPre, params[layout.kernels[layer]] as tf.Tensor3D, false, true);
    dHidden = skip === 'dense' ? tf.add(dFeaturePrefix!, dInput) : dInput;
  }
  return grads;
}

/** What one step leaves on the device until the next read-back. */
interface PendingStep {
  step: number;
  slots: RunSlot[];
  losses: tf.Tensor1D;
  accuracy?: tf.Tensor1D;
  /** Factor the gradient was multiplied by for clipping, per run. */
  clipScale?: tf.Tensor1D;
  /** Hidden-layer kernel gradients (plain SGD: already multiplied by the learning rate). */
  kernelGrads: tf.Tensor[];
  /** Hidden-layer kernels after the update: the parameter tensors themselves, not copies. */
  kernels: tf.Tensor[];
  /** Hidden-layer kernel updates (momentum, Adam). */
  kernelDeltas: tf.Tensor[];
  /** Hidden-layer activation outputs (only with activation statistics). */
  activations: tf.Tensor[];
}

/** Device memory the pending steps of one group may hold, in floats (~16 MB). */
const PENDING_FLOAT_BUDGET = 4_000_000;

/**
 * R runs of one architecture, trained in lockstep. Owns its tensors; call dispose().
 *
 * Per-step statistics (norms, activation statistics) are not computed step by step: each step
 * keeps its gradients, kernels and activations on the device, and `collect()` reduces all pending
 * steps at once (one concat per layer, then one reduction) and reads them back in one transfer.
 * At these sizes the cost is the number of kernel calls, so this makes the records nearly free
 * when read back every 10 steps.
 */
export class MlpGroup {
  readonly architecture: Architecture;
  private readonly layout: ParamLayout;
  private readonly kernelIndex: number[];
  private readonly sgd: boolean;
  private slots: RunSlot[];
  private params: tf.Tensor[];
  /** The parameters as one flat [R, all parameters] tensor, for the optimiser's elementwise update. */
  private flat: FlatParameters;
  /** SGD, momentum or Adam over the flat parameters (plain SGD keeps no state: see gradientScale). */
  private readonly optimizer: Optimizer;
  /** Per-run learning rates [R, 1, 1]. */
  private learningRates: tf.Tensor3D;
  /** Multiplier of (y − t) in d(loss)/d(logits), [R, 1, 1]; plain SGD folds the learning rate in. */
  private gradientScale: tf.Tensor3D;
  private readonly datasets: Dataset[];
  private readonly batchRandoms: Random[];
  private readonly dropoutRandoms: Random[];
  private stepCount = 0;
  private pending: PendingStep[] = [];
  /** Kernels referenced by pending steps: kept alive when the parameters move on. */
  private readonly heldByPending = new Set<tf.Tensor>();
  private readonly inputBuffer: Float32Array;
  private readonly targetBuffer: Float32Array;
  private readonly hasAccuracy: boolean;

  constructor(architecture: Architecture, slots: RunSlot[]) {
    if (slots.length === 0) throw new Error('A run group needs at least one run');
    this.architecture = architecture;
    this.layout = paramLayout(architecture);
    this.kernelIndex = this.layout.kernels.slice(0, architecture.depth);
    this.slots = [...slots];
    this.params = stackParameters(this.layout, slots.map((slot) => slot.initialParameters ?? initialValues(architecture, this.layout, slot.seed)));
    this.flat = new FlatParameters(this.params.map((p) => p.shape), slots.length);
    this.optimizer = new Optimizer(architecture, this.flat.flatShape);
    this.sgd = this.optimizer.isPlainSgd;
    this.learningRates = tf.keep(tf.tensor3d(slots.map((slot) => slot.learningRate), [slots.length, 1, 1]));
    const { batchSize, outputSize } = architecture;
    const lossConstant = lossGradientFactor(architecture.loss, batchSize, outputSize);
    this.gradientScale = tf.keep(tf.tensor3d(slots.map((slot) => lossConstant * (this.sgd ? slot.learningRate : 1)), [slots.length, 1, 1]));
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
    this.dropoutRandoms = slots.map((slot) => createRandom(deriveSeed(slot.seed, 3)));
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

  get size(): number {
    return this.slots.length;
  }

  /** How many steps may stay pending before `collect()` (bounds device memory for big nets). */
  get maxPendingSteps(): number {
    const kernelFloats = this.kernelIndex.reduce((sum, i) => sum + this.layout.shapes[i][0] * this.layout.shapes[i][1], 0);
    const { batchSize, width, depth } = this.architecture;
    const perStep = this.slots.length * (2 * kernelFloats + (this.sgd ? 0 : kernelFloats) + (this.architecture.activationStats ? batchSize * width * depth : 0));
    return Math.max(1, Math.floor(PENDING_FLOAT_BUDGET / perStep));
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

  /** One inverted-dropout mask per hidden layer, [R, B, width], drawn from each run's own random stream. */
  private dropoutMasks(): tf.Tensor3D[] {
    const { batchSize, width, depth, dropout } = this.architecture;
    const runs = this.slots.length;
    const keep = 1 / (1 - dropout);
    return Array.from({ length: depth }, () => {
      const mask = new Float32Array(runs * batchSize * width);
      this.dropoutRandoms.forEach((random, run) => {
        for (let i = run * batchSize * width; i < (run + 1) * batchSize * width; i++) mask[i] = random.next() < dropout ? 0 : keep;
      });
      return tf.tensor3d(mask, [runs, batchSize, width]);
    });
  }

  /** One training step of every run. Its statistics stay on the device until `collect()`. */
  step(): void {
    const arch = this.architecture;
    const runs = this.slots.length;
    this.sampleBatch();
    this.stepCount++;
    const step = this.stepCount;
    const out = tf.tidy(() => {
      const inputs = tf.tensor3d(this.inputBuffer, [runs, arch.batchSize, arch.inputSize]);
      const targets = tf.tensor3d(this.targetBuffer, [runs, arch.batchSize, arch.outputSize]);
      const result = forward(arch, this.params, inputs, undefined, arch.dropout > 0 ? this.dropoutMasks() : undefined);
      const { losses, dLogits } = lossAndScaledGradient(arch.loss, result.logits, targets, this.gradientScale);
      const accuracy = this.hasAccuracy ? (tf.mean(tf.cast(tf.equal(tf.argMax(result.logits, 2), tf.argMax(targets, 2)), 'float32'), 1) as tf.Tensor1D) : undefined;
      // Plain SGD: these are already learning rate × gradient, i.e. the update itself.
      const grads = backward(arch, this.params, result, targets, dLogits);
      let clipScale: tf.Tensor1D | undefined;
      let clipped = grads;
      if (arch.clipNorm > 0) {
        const norm = tf.sqrt(tf.addN(grads.map((g) => sumOfSquares(g))));
        // With the learning rate folded in, the threshold scales with it too.
        const threshold = this.sgd ? tf.mul(tf.reshape(this.learningRates, [runs]), arch.clipNorm) : tf.fill([runs], arch.clipNorm);
        clipScale = tf.minimum(1, tf.div(threshold, tf.add(norm, 1e-30))) as tf.Tensor1D;
        const scale = tf.reshape(clipScale, [runs, 1, 1]);
        clipped = grads.map((g) => tf.mul(g, scale));
      }
      // Plain SGD: the clipped gradients already carry the learning rate, so they are the update.
      const deltas = this.sgd ? clipped : this.flat.unflatten(this.optimizer.update(this.flat.flatten(clipped), tf.reshape(this.learningRates, [runs, 1]), step));
      const newParams = this.params.map((p, i) => tf.sub(p, deltas[i]));
      return {
        losses,
        accuracy,
        clipScale,
        kernelGrads: this.kernelIndex.map((i) => grads[i]),
        kernelDeltas: this.sgd ? [] : this.kernelIndex.map((i) => deltas[i]),
        activations: arch.activationStats ? result.activations : [],
        newParams,
      };
    });
    this.params.forEach((p) => {
      if (!this.heldByPending.has(p)) p.dispose();
    });
    this.params = out.newParams;
    const kernels = this.kernelIndex.map((i) => this.params[i]);
    kernels.forEach((k) => this.heldByPending.add(k));
    this.pending.push({
      step,
      slots: this.slots,
      losses: out.losses,
      accuracy: out.accuracy,
      clipScale: out.clipScale,
      kernelGrads: out.kernelGrads,
      kernels,
      kernelDeltas: out.kernelDeltas,
      activations: out.activations,
    });
  }

  private release(entries: readonly PendingStep[]): void {
    for (const entry of entries) {
      [entry.losses, entry.accuracy, entry.clipScale, ...entry.kernelGrads, ...entry.kernelDeltas, ...entry.activations].forEach((t) => t?.dispose());
      for (const kernel of entry.kernels) {
        this.heldByPending.delete(kernel);
        if (!this.params.includes(kernel)) kernel.dispose();
      }
    }
  }

  /** Reduces every pending step's statistics on the device, reads them back at once, frees them. */
  collect(): RawStepStats[] {
    if (this.pending.length === 0) return [];
    const pending = this.pending;
    this.pending = [];
    const arch = this.architecture;
    const depth = arch.depth;
    const sgd = this.sgd;
    const layers = Array.from({ length: depth }, (_, layer) => layer);
    let values: Float32Array;
    try {
      values = tf.tidy(() => {
        // Rows: step-major, then run (the run set is fixed between read-backs).
        const rows = pending.reduce((sum, p) => sum + p.slots.length, 0);
        const joined = (tensors: tf.Tensor[]) => (tensors.length === 1 ? tensors[0] : tf.concat(tensors, 0));
        const column = (pick: (p: PendingStep) => tf.Tensor | undefined, fallback: number) =>
          tf.reshape(joined(pending.map((p) => pick(p) ?? tf.fill([p.slots.length], fallback))), [rows, 1]);
        const perLayer = (pick: (p: PendingStep) => tf.Tensor[], reduce: (t: tf.Tensor) => tf.Tensor) =>
          tf.stack(layers.map((layer) => reduce(joined(pending.map((p) => pick(p)[layer])))), 1);
        const columns: tf.Tensor[] = [
          column((p) => p.losses, NaN),
          column((p) => p.accuracy, 0),
          column((p) => p.clipScale, 1),
          perLayer((p) => p.kernelGrads, sumOfSquares),
          perLayer((p) => p.kernelGrads, scaledSumOfSquares),
          perLayer((p) => p.kernels, sumOfSquares),
        ];
        if (!sgd) columns.push(perLayer((p) => p.kernelDeltas, sumOfSquares), perLayer((p) => p.kernelDeltas, scaledSumOfSquares));
        if (arch.activationStats) {
          columns.push(...activationStatistics(arch.activation, layers.map((layer) => joined(pending.map((p) => p.activations[layer])) as tf.Tensor3D)));
        }
        return tf.concat(columns, 1).dataSync() as Float32Array;
      });
    } finally {
      this.release(pending);
    }
    const columns = 3 + (sgd ? 3 : 5) * depth + (arch.activationStats ? ACTIVATION_STAT_COUNT * depth : 0);
    const records: RawStepStats[] = [];
    let offset = 0;
    for (const { step, slots } of pending) {
      for (const slot of slots) {
        const row = values.subarray(offset, offset + columns);
        offset += columns;
        const block = (index: number, layer: number) => row[3 + index * depth + layer];
        const clipScale = row[2];
        const rawNorms = layers.map((layer) => robustNorm(block(0, layer), block(1, layer)));
        // Plain SGD stored learning rate × gradient: that is the update (before clipping).
        const gradNorms = sgd ? rawNorms.map((norm) => norm / slot.learningRate) : rawNorms;
        const updateNorms = sgd ? rawNorms.map((norm) => norm * clipScale) : layers.map((layer) => robustNorm(block(3, layer), block(4, layer)));
        const weightNorms = layers.map((layer) => Math.sqrt(block(2, layer)));
        const record: RawStepStats = {
          runId: slot.runId,
          step,
          loss: row[0],
          gradNorms,
          weightNorms,
          updateRatios: updateRatios(updateNorms, weightNorms),
        };
        if (this.hasAccuracy) record.accuracy = row[1];
        if (arch.activationStats) {
          const base = 3 + (sgd ? 3 : 5) * depth;
          const slice = (k: number) => Array.from(row.subarray(base + k * depth, base + (k + 1) * depth));
          record.activations = readActivationStats(slice);
        }
        records.push(record);
      }
    }
    return records;
  }

  /** Stops the given runs (e.g. diverged): their slices are dropped from every tensor. Call after collect(). */
  removeRuns(runIds: readonly number[]): void {
    const keep = this.slots.map((slot, index) => (runIds.includes(slot.runId) ? -1 : index)).filter((index) => index >= 0);
    if (keep.length === this.slots.length) return;
    this.release(this.pending);
    this.pending = [];
    if (keep.length === 0) {
      this.dispose();
      this.slots = [];
      return;
    }
    const keepTensor = tf.tensor1d(keep, 'int32');
    const select = <T extends tf.Tensor>(tensors: T[]): T[] =>
      tensors.map((t) => {
        const selected = tf.keep(tf.gather(t, keepTensor)) as T;
        t.dispose();
        return selected;
      });
    this.params = select(this.params);
    this.optimizer.keepRuns(keepTensor);
    [this.learningRates, this.gradientScale] = select([this.learningRates, this.gradientScale]);
    keepTensor.dispose();
    this.slots = keep.map((index) => this.slots[index]);
    this.flat = new FlatParameters(this.params.map((p) => p.shape), this.slots.length);
    const datasets = keep.map((index) => this.datasets[index]);
    const randoms = keep.map((index) => this.batchRandoms[index]);
    const dropoutRandoms = keep.map((index) => this.dropoutRandoms[index]);
    this.datasets.splice(0, this.datasets.length, ...datasets);
    this.batchRandoms.splice(0, this.batchRandoms.length, ...randoms);
    this.dropoutRandoms.splice(0, this.dropoutRandoms.length, ...dropoutRandoms);
  }

  dispose(): void {
    this.release(this.pending);
    this.pending = [];
    [...this.params, this.learningRates, this.gradientScale].forEach((t) => t.dispose());
    this.optimizer.dispose();
    this.params = [];
  }
}
