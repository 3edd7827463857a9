/**
 * The tensor versions of ./functions.ts (activations and losses), for the engine. Each op follows
 * the table's definition; tests/unit/engine-functions.test.ts checks them against it value by value.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ACTIVATION_FUNCTIONS, LOSS_FUNCTIONS, SATURATION_FRACTION } from './functions';
import type { Activation, Loss } from './types';

interface TensorActivation {
  value(z: tf.Tensor): tf.Tensor;
  /** φ′ from the output a = φ(z) (cheaper than from z, and what the backward pass has at hand). */
  slopeFromOutput(a: tf.Tensor): tf.Tensor;
}

const TENSOR_ACTIVATIONS: Readonly<Record<Activation, TensorActivation>> = {
  sigmoid: { value: (z) => tf.sigmoid(z), slopeFromOutput: (a) => tf.mul(a, tf.sub(1, a)) },
  tanh: { value: (z) => tf.tanh(z), slopeFromOutput: (a) => tf.sub(1, tf.square(a)) },
  relu: { value: (z) => tf.relu(z), slopeFromOutput: (a) => tf.step(a) },
  linear: { value: (z) => z, slopeFromOutput: (a) => tf.onesLike(a) },
};

export function activate(activation: Activation, z: tf.Tensor): tf.Tensor {
  return TENSOR_ACTIVATIONS[activation].value(z);
}

/** dL/d(pre-activation) from dL/d(activation output), using the output. */
export function activationBackward<T extends tf.Tensor>(activation: Activation, output: T, gradient: T): T {
  // linear: the slope is 1, so skip the multiplication (one kernel call fewer).
  if (activation === 'linear') return gradient;
  return tf.mul(gradient, TENSOR_ACTIVATIONS[activation].slopeFromOutput(output));
}

/** 1 where a unit is saturated (slope under SATURATION_FRACTION of the maximum), else 0; undefined when the activation cannot saturate. */
export function saturatedMask(activation: Activation, output: tf.Tensor): tf.Tensor | undefined {
  const fn = ACTIVATION_FUNCTIONS[activation];
  if (!fn.saturates) return undefined;
  return tf.cast(tf.less(TENSOR_ACTIVATIONS[activation].slopeFromOutput(output), fn.maxSlope * SATURATION_FRACTION), 'float32');
}

/** Per-example loss averaged over the batch axis (axis 1 of [R, B, out]): one value per run, [R]. */
export function perRunLoss(loss: Loss, logits: tf.Tensor3D, targets: tf.Tensor3D): tf.Tensor1D {
  return lossAndScaledGradient(loss, logits, targets).losses;
}

/**
 * Per-run loss [R] and d(loss)/d(logits) × `gradientScale`, sharing their work. The gradient is
 * LOSS_FUNCTIONS[loss].gradientFactor(out) / B × (prediction − target); a caller may fold that
 * constant (and, for plain SGD, the learning rate) into `gradientScale` to save a kernel call.
 */
export function lossAndScaledGradient(
  loss: Loss,
  logits: tf.Tensor3D,
  targets: tf.Tensor3D,
  gradientScale: tf.Tensor | number = lossGradientFactor(loss, logits.shape[1], logits.shape[2]),
): { losses: tf.Tensor1D; dLogits: tf.Tensor3D } {
  if (loss === 'mse') {
    const difference = tf.sub(logits, targets);
    return { losses: tf.mean(tf.square(difference), [1, 2]) as tf.Tensor1D, dLogits: tf.mul(difference, gradientScale) };
  }
  const logProbabilities = tf.logSoftmax(logits);
  return {
    losses: tf.neg(tf.mean(tf.sum(tf.mul(targets, logProbabilities), 2), 1)) as tf.Tensor1D,
    dLogits: tf.mul(tf.sub(tf.exp(logProbabilities), targets), gradientScale),
  };
}

/** The constant of d(batch-mean loss)/d(logits) = constant × (prediction − target). */
export function lossGradientFactor(loss: Loss, batchSize: number, outputCount: number): number {
  return LOSS_FUNCTIONS[loss].gradientFactor(outputCount) / batchSize;
}
