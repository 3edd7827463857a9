/** The layer that applies an activation function on its own (the function is the MLP's). */
import { activate } from '../tensor-functions';
import type { ActivationSpec, BuiltLayer } from './types';
import { singleInput } from './shapes';

export { activate };

export function buildActivation(spec: ActivationSpec, inputShapes: readonly number[][]): BuiltLayer {
  const shape = singleInput(inputShapes);
  return { outputShape: shape, params: [], state: [], forward: ([x]) => activate(spec.activation, x) };
}
