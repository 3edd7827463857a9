/**
 * Per-layer statistics of a training step (gradient, weight and update norms; activation
 * statistics), computed on the device and read back in one transfer per chunk of steps.
 * Every model uses these: the MLP fast path reduces each layer's tensors directly; graph models
 * describe their layers as named parameter groups and reduce flat tensors with one matMul.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation, ActivationStats, LayerInfo } from '../types';
import { saturatedMask } from '../tensor-functions';

/**
 * Squares of tiny gradients underflow float32 (a norm of 1e-21 has a square of 1e-42), which is
 * exactly the regime this course exists to show. So sums of squares are also taken of the values
 * scaled by 2^50, and the read-back picks whichever of the two is in range (robustNorm).
 */
export const TINY_SCALE = 2 ** 50;

/** A norm from the plain and the 2^50-scaled sum of squares. */
export function robustNorm(plain: number, scaled: number): number {
  if (plain < 1e-30 && Number.isFinite(scaled)) return Math.sqrt(scaled) / TINY_SCALE;
  return Math.sqrt(plain);
}

/** Sum of squares over every axis but the first `keepAxes` (0: a scalar; 1: one per run, [R, …] → [R]). */
export function sumOfSquares(x: tf.Tensor, keepAxes = 1): tf.Tensor {
  const axes = x.shape.map((_, i) => i).slice(keepAxes);
  return tf.sum(tf.square(x), axes);
}

/** The same sum of the values scaled by TINY_SCALE (in range where the plain one underflows). */
export function scaledSumOfSquares(x: tf.Tensor, keepAxes = 1): tf.Tensor {
  return sumOfSquares(tf.mul(x, TINY_SCALE), keepAxes);
}

/** ‖ΔW‖ / ‖W‖ per layer (a layer whose weights are all zero divides by 1e-30, not 0). */
export function updateRatios(updateNorms: readonly number[], weightNorms: readonly number[]): number[] {
  return updateNorms.map((norm, layer) => norm / (weightNorms[layer] || 1e-30));
}

/** The parameters of one named layer: indices into the model's parameter list. */
export interface ParameterGroup {
  layer: LayerInfo;
  parameters: readonly number[];
}

/** Which sums the per-layer statistics of one step hold, in this order. */
const SUMS = ['gradient', 'weight', 'update', 'gradientScaled', 'updateScaled'] as const;

/**
 * Per-layer norms for a model with named parameter groups, from flat [P] tensors of gradient,
 * weights and update: one matMul with a [P, layers] membership matrix per step, so the cost does
 * not grow with the number of layers. Owns the matrix; call dispose().
 */
export class GroupedLayerStatistics {
  readonly layers: readonly LayerInfo[];
  private readonly membership: tf.Tensor2D;
  private readonly width: number;

  /** `sizes`: floats in each parameter tensor, in parameter order. */
  constructor(groups: readonly ParameterGroup[], sizes: readonly number[]) {
    this.layers = groups.map((group) => group.layer);
    // A matMul needs at least one column, even for a model with no weighted layers.
    this.width = Math.max(1, groups.length);
    const total = sizes.reduce((a, b) => a + b, 0);
    const offsets = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
    const membership = new Float32Array(total * this.width);
    groups.forEach((group, layer) => {
      for (const param of group.parameters) for (let k = 0; k < sizes[param]; k++) membership[(offsets[param] + k) * this.width + layer] = 1;
    });
    this.membership = tf.keep(tf.tensor2d(membership, [total, this.width]));
  }

  /** Floats `sums()` returns per step. */
  get size(): number {
    return SUMS.length * this.width;
  }

  /** The step's per-layer sums of squares as one flat tensor of `size` floats. Call inside tf.tidy. */
  sums(gradient: tf.Tensor, weights: tf.Tensor, update: tf.Tensor): tf.Tensor {
    const plain = tf.square(tf.stack([gradient, weights, update]));
    const scaled = tf.square(tf.mul(tf.stack([gradient, update]), TINY_SCALE));
    return tf.reshape(tf.matMul(tf.concat([plain, scaled], 0), this.membership), [-1]);
  }

  /** Gradient norms, weight norms and update ratios from `size` floats read back from `sums()`. */
  read(values: ArrayLike<number>, offset = 0): { gradNorms: number[]; weightNorms: number[]; updateRatios: number[] } {
    const at = (sum: (typeof SUMS)[number], layer: number) => values[offset + SUMS.indexOf(sum) * this.width + layer];
    const layers = this.layers.map((_, layer) => layer);
    const weightNorms = layers.map((layer) => Math.sqrt(at('weight', layer)));
    return {
      gradNorms: layers.map((layer) => robustNorm(at('gradient', layer), at('gradientScaled', layer))),
      weightNorms,
      updateRatios: updateRatios(
        layers.map((layer) => robustNorm(at('update', layer), at('updateScaled', layer))),
        weightNorms,
      ),
    };
  }

  dispose(): void {
    this.membership.dispose();
  }
}

/** The four activation statistics of ActivationStats, in its field order. */
export const ACTIVATION_STAT_COUNT = 4;

/**
 * Per-layer activation statistics as four [R, layers] tensors (mean, std, saturated, dead) from
 * each layer's output [R, B, units]. Saturated: the slope is under 5% of its maximum (sigmoid,
 * tanh). Dead: a ReLU unit that outputs zero for every example in the batch.
 */
export function activationStatistics(activation: Activation, outputs: readonly tf.Tensor3D[]): tf.Tensor[] {
  const means: tf.Tensor[] = [];
  const stds: tf.Tensor[] = [];
  const saturated: tf.Tensor[] = [];
  const dead: tf.Tensor[] = [];
  for (const a of outputs) {
    const { mean, variance } = tf.moments(a, [1, 2]);
    means.push(mean);
    stds.push(tf.sqrt(variance));
    const mask = saturatedMask(activation, a);
    saturated.push(mask ? tf.mean(mask, [1, 2]) : tf.zeros([a.shape[0]]));
    dead.push(activation === 'relu' ? tf.mean(tf.cast(tf.lessEqual(tf.max(a, 1), 0), 'float32'), 1) : tf.zeros([a.shape[0]]));
  }
  return [means, stds, saturated, dead].map((list) => tf.stack(list, 1));
}

/** ActivationStats from the four per-layer blocks read back from activationStatistics(). */
export function readActivationStats(block: (stat: number) => number[]): ActivationStats {
  return { mean: block(0), std: block(1), saturated: block(2), dead: block(3) };
}
