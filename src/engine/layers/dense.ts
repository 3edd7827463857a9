/** Dense (fully connected) layer on the last axis: position-wise on sequences and feature maps too. */
import * as tf from '@tensorflow/tfjs-core';
import type { BuiltLayer, DenseSpec } from './types';
import { activate } from './activation';
import { biasParam, kernelParam } from './init';
import { lastAxis, positiveInteger, singleInput } from './shapes';

/** x · W over the last axis of x, for any rank (one matMul on the flattened leading axes). */
export function matMulLastAxis(x: tf.Tensor, kernel: tf.Tensor): tf.Tensor {
  if (x.rank === 2) return tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D);
  const [inSize, outSize] = kernel.shape;
  const flat = tf.reshape(x, [-1, inSize]);
  return tf.reshape(tf.matMul(flat as tf.Tensor2D, kernel as tf.Tensor2D), [...x.shape.slice(0, -1), outSize]);
}

export function buildDense(spec: DenseSpec, inputShapes: readonly number[][]): BuiltLayer {
  const shape = singleInput(inputShapes);
  const units = positiveInteger('units', spec.units);
  const inSize = lastAxis(shape);
  const withBias = spec.bias ?? true;
  const params = [kernelParam('kernel', [inSize, units], spec, inSize, units)];
  if (withBias) params.push(biasParam('bias', units));
  return {
    outputShape: [...shape.slice(0, -1), units],
    params,
    state: [],
    forward: ([x], p) => {
      const linear = matMulLastAxis(x, p.kernel);
      const z = withBias ? tf.add(linear, p.bias) : linear;
      return spec.activation ? activate(spec.activation, z) : z;
    },
  };
}
