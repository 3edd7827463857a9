/**
 * Batch norm (statistics over the batch and every position, per feature) and layer norm
 * (statistics over each example's last axis), each with a learned gain and shift, ε = 1e-5 as in
 * the MLP. Batch norm keeps running statistics while training and uses them when evaluating.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BatchNormSpec, BuiltLayer, LayerNormSpec, ParamSpec } from './types';
import { specError } from './types';
import { lastAxis, singleInput } from './shapes';

const NORM_EPSILON = 1e-5;

function gainAndShift(features: number): ParamSpec[] {
  return [
    { name: 'gamma', shape: [features], init: { kind: 'ones' }, weight: false },
    { name: 'beta', shape: [features], init: { kind: 'zeros' }, weight: false },
  ];
}

function normalize(x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, NORM_EPSILON))), gamma), beta);
}

export function buildBatchNorm(spec: BatchNormSpec, inputShapes: readonly number[][]): BuiltLayer {
  const shape = singleInput(inputShapes);
  const features = lastAxis(shape);
  const momentum = spec.momentum ?? 0.9;
  if (!(momentum >= 0 && momentum < 1)) specError(`momentum must be in [0, 1), got ${momentum}`);
  const axes = Array.from({ length: shape.length }, (_, i) => i);
  return {
    outputShape: [...shape],
    params: gainAndShift(features),
    state: [
      { name: 'mean', shape: [features], init: 'zeros' },
      { name: 'variance', shape: [features], init: 'ones' },
    ],
    forward: ([x], p, context) => {
      if (!context.training) return normalize(x, context.state.mean, context.state.variance, p.gamma, p.beta);
      const { mean, variance } = tf.moments(x, axes);
      context.setState('mean', tf.add(tf.mul(context.state.mean, momentum), tf.mul(mean, 1 - momentum)));
      context.setState('variance', tf.add(tf.mul(context.state.variance, momentum), tf.mul(variance, 1 - momentum)));
      return normalize(x, mean, variance, p.gamma, p.beta);
    },
  };
}

export function buildLayerNorm(_spec: LayerNormSpec, inputShapes: readonly number[][]): BuiltLayer {
  const shape = singleInput(inputShapes);
  const features = lastAxis(shape);
  return {
    outputShape: [...shape],
    params: gainAndShift(features),
    state: [],
    forward: ([x], p) => {
      const { mean, variance } = tf.moments(x, -1, true);
      return normalize(x, mean, variance, p.gamma, p.beta);
    },
  };
}
