/**
 * Layers of the graph model (../models/graph.ts): each kind checks its spec against the shapes
 * it receives, declares its parameters with their initialisers, and runs its forward pass in
 * TF.js ops. Gradients come from TF.js autodiff, so a layer has no backward pass of its own;
 * every op a layer uses must have a gradient on the wasm backend (see conv.ts and embedding.ts
 * for the two places where that shapes the implementation).
 *
 * Shapes here are per example (no batch axis); tensors at run time have the batch axis first.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Activation, Init } from '../types';

interface LayerSpecBase {
  /** Unique within the model, dotted by block, e.g. 'enc2.conv1', 'block3.attn'. 'input' names the model input. */
  id: string;
  /** Plain words for charts and screen readers; defaults to the id. */
  label?: string;
  /** The block or stage the layer belongs to; defaults to the id's part before the first dot. */
  group?: string;
  /** Ids of the layers (or 'input') this one reads; defaults to the layer listed just before it. */
  inputs?: string[];
}

/** How a weight is initialised: N(0, σ²) with σ from the fan-in/out (glorot, he) or `initScale` itself (naive). */
export interface WeightInit {
  init?: Init;
  /** Multiplier on the Glorot/He standard deviation, or the standard deviation itself for 'naive'. */
  initScale?: number;
}

/** Affine map of the last axis (also position-wise on sequences and feature maps). */
export interface DenseSpec extends LayerSpecBase, WeightInit {
  type: 'dense';
  units: number;
  activation?: Activation;
  /** Default true. */
  bias?: boolean;
}

export interface ActivationSpec extends LayerSpecBase {
  type: 'activation';
  activation: Activation;
}

/** Element-wise sum of two or more inputs of the same shape: the residual skip. */
export interface AddSpec extends LayerSpecBase {
  type: 'add';
}

/** Concatenation on the last (feature or channel) axis: the dense and U-Net skip. */
export interface ConcatSpec extends LayerSpecBase {
  type: 'concat';
}

/** Normalises each feature over the batch (and positions); running statistics for evaluation. */
export interface BatchNormSpec extends LayerSpecBase {
  type: 'batch-norm';
  /** Weight of the old running statistics per step; default 0.9. */
  momentum?: number;
}

/** Normalises each example's last axis. */
export interface LayerNormSpec extends LayerSpecBase {
  type: 'layer-norm';
}

export interface DropoutSpec extends LayerSpecBase {
  type: 'dropout';
  /** Fraction of units zeroed while training, in [0, 1). */
  rate: number;
}

/** [..., a, b] → [..., a·b] of everything but the batch axis. */
export interface FlattenSpec extends LayerSpecBase {
  type: 'flatten';
}

/** 2-D convolution of [height, width, channels] maps, stride 1, zero 'same' padding (odd kernel sizes). */
export interface Conv2dSpec extends LayerSpecBase, WeightInit {
  type: 'conv2d';
  filters: number;
  /** Odd, default 3. */
  kernelSize?: number;
  activation?: Activation;
  /** Default true. */
  bias?: boolean;
  /**
   * How the filter gradient is computed on back-ends without Conv2DBackpropFilter (wasm):
   * 'im2col' (default) or 'conv', a native 'valid' convolution of the input by the output gradient
   * with batch and channel axes swapped, several times faster on wasm for small maps
   * (src/engine/layers/conv.ts). Both are exact; they sum in different orders, so runs differ in
   * the last bits.
   */
  filterGradient?: 'im2col' | 'conv';
}

/** Transposed convolution with a 2×2 kernel and stride 2: doubles height and width (U-Net decoders). */
export interface Conv2dTransposeSpec extends LayerSpecBase, WeightInit {
  type: 'conv2d-transpose';
  filters: number;
  activation?: Activation;
  /** Default true. */
  bias?: boolean;
}

/** Max or average over non-overlapping size × size windows (height and width must divide by size). */
export interface PoolSpec extends LayerSpecBase {
  type: 'max-pool' | 'avg-pool';
  /** Default 2. */
  size?: number;
}

/** Mean over height and width: [height, width, channels] → [channels]. */
export interface GlobalAvgPoolSpec extends LayerSpecBase {
  type: 'global-avg-pool';
}

/** Nearest-neighbour upsampling by an integer factor (default 2). */
export interface UpsampleSpec extends LayerSpecBase {
  type: 'upsample';
  factor?: number;
}

/** Token ids [length] → vectors [length, dim]: a lookup table, computed as one-hot × table (wasm has no gather gradient). */
export interface EmbeddingSpec extends LayerSpecBase {
  type: 'embedding';
  vocabSize: number;
  dim: number;
  /** Standard deviation of the table's entries times √dim; default 1 (vectors of norm about 1). */
  initScale?: number;
}

/** Adds a position code to [length, dim] vectors: fixed sines and cosines (Vaswani et al. 2017) or a learned table. */
export interface PositionalSpec extends LayerSpecBase {
  type: 'positional';
  kind: 'sinusoidal' | 'learned';
  /** Longest sequence the table covers. */
  maxLength: number;
}

/** Multi-head scaled dot-product self-attention over [length, dim], with query, key, value and output projections. */
export interface AttentionSpec extends LayerSpecBase, WeightInit {
  type: 'attention';
  heads: number;
  /** Each position attends only to itself and earlier positions. */
  causal?: boolean;
}

export type LayerSpec =
  | DenseSpec
  | ActivationSpec
  | AddSpec
  | ConcatSpec
  | BatchNormSpec
  | LayerNormSpec
  | DropoutSpec
  | FlattenSpec
  | Conv2dSpec
  | Conv2dTransposeSpec
  | PoolSpec
  | GlobalAvgPoolSpec
  | UpsampleSpec
  | EmbeddingSpec
  | PositionalSpec
  | AttentionSpec;
export type LayerType = LayerSpec['type'];

/** A parameter a layer declares: its name within the layer, shape and initial values. */
export interface ParamSpec {
  name: string;
  shape: number[];
  init: { kind: 'normal'; std: number } | { kind: 'zeros' } | { kind: 'ones' } | { kind: 'values'; values: Float32Array };
  /**
   * Counts in the layer's per-layer statistics (gradient, weight and update norms): kernels,
   * filters, embedding tables, attention projections. Biases and norm gains do not, as in the MLP.
   */
  weight: boolean;
}

/** Non-trained values a layer keeps between steps (batch norm's running statistics). */
export interface StateSpec {
  name: string;
  shape: number[];
  init: 'zeros' | 'ones';
}

export interface ForwardContext {
  /** Dropout active, batch norm on batch statistics (and updating its running ones). */
  training: boolean;
  /** A seed for this layer at this step (dropout masks). */
  seed: number;
  /** This layer's state values (read). */
  state: Readonly<Record<string, tf.Tensor>>;
  /** Replaces a state value after this step (training only). */
  setState(name: string, value: tf.Tensor): void;
  /** Reports an internal value under `<layer id>.<name>` for GraphModel.inspect (e.g. attention weights); ignored otherwise. */
  capture(name: string, value: tf.Tensor): void;
}

/** A layer checked against its input shapes, ready to run. */
export interface BuiltLayer {
  outputShape: number[];
  params: ParamSpec[];
  state: StateSpec[];
  /** Call inside tf.tidy (or autodiff); `params` by ParamSpec name. */
  forward(inputs: readonly tf.Tensor[], params: Readonly<Record<string, tf.Tensor>>, context: ForwardContext): tf.Tensor;
}

/** Thrown when a spec cannot be built; the graph builder prefixes the layer's id and type. */
export class LayerSpecError extends Error {}

export function specError(message: string): never {
  throw new LayerSpecError(message);
}

export function describeShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
