/** Dropout and flatten: layers without parameters that only mask or reshape. */
import * as tf from '@tensorflow/tfjs-core';
import type { BuiltLayer, DropoutSpec, FlattenSpec } from './types';
import { specError } from './types';
import { singleInput } from './shapes';

export function buildDropout(spec: DropoutSpec, inputShapes: readonly number[][]): BuiltLayer {
  const shape = singleInput(inputShapes);
  if (typeof spec.rate !== 'number' || !(spec.rate >= 0 && spec.rate < 1)) specError(`rate must be a number in [0, 1), got ${JSON.stringify(spec.rate)}`);
  return {
    outputShape: [...shape],
    params: [],
    state: [],
    // Inverted dropout: kept units are scaled by 1/(1 − rate), so evaluation needs no rescaling.
    forward: ([x], _p, context) => (context.training && spec.rate > 0 ? tf.dropout(x, spec.rate, undefined, context.seed) : x),
  };
}

export function buildFlatten(_spec: FlattenSpec, inputShapes: readonly number[][]): BuiltLayer {
  const shape = singleInput(inputShapes);
  const size = shape.reduce((product, n) => product * n, 1);
  return { outputShape: [size], params: [], state: [], forward: ([x]) => tf.reshape(x, [-1, size]) };
}
