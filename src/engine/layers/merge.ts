/** The two skip joins: addition (residual) and concatenation on the last axis (dense, U-Net). */
import * as tf from '@tensorflow/tfjs-core';
import type { AddSpec, BuiltLayer, ConcatSpec } from './types';
import { describeShape, specError } from './types';

function atLeastTwo(inputShapes: readonly number[][]): void {
  if (inputShapes.length < 2) specError(`joins two or more inputs, got ${inputShapes.length}`);
}

export function buildAdd(_spec: AddSpec, inputShapes: readonly number[][]): BuiltLayer {
  atLeastTwo(inputShapes);
  const [first] = inputShapes;
  inputShapes.forEach((shape, i) => {
    if (shape.length !== first.length || shape.some((size, axis) => size !== first[axis])) {
      specError(`adds inputs of different shapes: input 1 is ${describeShape(first)}, input ${i + 1} is ${describeShape(shape)}`);
    }
  });
  return { outputShape: [...first], params: [], state: [], forward: (inputs) => (inputs.length === 2 ? tf.add(inputs[0], inputs[1]) : tf.addN([...inputs])) };
}

export function buildConcat(_spec: ConcatSpec, inputShapes: readonly number[][]): BuiltLayer {
  atLeastTwo(inputShapes);
  const [first] = inputShapes;
  const leading = first.slice(0, -1);
  inputShapes.forEach((shape, i) => {
    if (shape.length !== first.length || leading.some((size, axis) => size !== shape[axis])) {
      specError(`concatenates inputs whose shapes differ before the last axis: input 1 is ${describeShape(first)}, input ${i + 1} is ${describeShape(shape)}`);
    }
  });
  const features = inputShapes.reduce((sum, shape) => sum + shape[shape.length - 1], 0);
  return { outputShape: [...leading, features], params: [], state: [], forward: (inputs) => tf.concat([...inputs], -1) };
}
