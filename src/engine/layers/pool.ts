/**
 * Pooling and nearest-neighbour upsampling of [batch, height, width, channels] maps, written as a
 * reshape and a reduction (or a broadcast): their gradients are the same on every back-end.
 * (TF.js 4.22's own MaxPoolGrad on wasm and ResizeNearestNeighborGrad on cpu gave gradients that
 * disagree with the reductions' and with finite differences in our tests.)
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BuiltLayer, GlobalAvgPoolSpec, PoolSpec, UpsampleSpec } from './types';
import { describeShape, specError } from './types';
import { positiveInteger, requireRank, singleInput } from './shapes';

export function buildPool(spec: PoolSpec, inputShapes: readonly number[][]): BuiltLayer {
  const shape = singleInput(inputShapes);
  requireRank(shape, 3, 'a [height, width, channels] feature map');
  const size = positiveInteger('size', spec.size ?? 2);
  const [height, width, channels] = shape;
  if (height % size !== 0 || width % size !== 0) specError(`windows of ${size}×${size} need a height and width that divide by ${size}, got ${describeShape(shape)}`);
  const reduce = spec.type === 'max-pool' ? tf.max : tf.mean;
  return {
    outputShape: [height / size, width / size, channels],
    params: [],
    state: [],
    forward: ([x]) => reduce(tf.reshape(x, [x.shape[0], height / size, size, width / size, size, channels]), [2, 4]),
  };
}

export function buildGlobalAvgPool(_spec: GlobalAvgPoolSpec, inputShapes: readonly number[][]): BuiltLayer {
  const shape = singleInput(inputShapes);
  requireRank(shape, 3, 'a [height, width, channels] feature map');
  return { outputShape: [shape[2]], params: [], state: [], forward: ([x]) => tf.mean(x, [1, 2]) };
}

export function buildUpsample(spec: UpsampleSpec, inputShapes: readonly number[][]): BuiltLayer {
  const shape = singleInput(inputShapes);
  requireRank(shape, 3, 'a [height, width, channels] feature map');
  const factor = positiveInteger('factor', spec.factor ?? 2);
  const [height, width, channels] = shape;
  return {
    outputShape: [height * factor, width * factor, channels],
    params: [],
    state: [],
    // Each pixel repeated factor × factor times by broadcasting.
    forward: ([x]) => {
      const batch = x.shape[0];
      const spread = tf.mul(tf.reshape(x, [batch, height, 1, width, 1, channels]), tf.ones([1, 1, factor, 1, factor, 1]));
      return tf.reshape(spread, [batch, height * factor, width * factor, channels]);
    },
  };
}
