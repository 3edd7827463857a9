/** Shape checks shared by the layers; each throws a LayerSpecError naming the problem. */
import { describeShape, specError } from './types';

export function singleInput(inputShapes: readonly number[][]): number[] {
  if (inputShapes.length !== 1) specError(`takes one input, got ${inputShapes.length}`);
  return inputShapes[0];
}

export function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) specError(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return value;
}

/** Checks the input has `rank` axes (without the batch axis), e.g. 3 for [height, width, channels]. */
export function requireRank(shape: readonly number[], rank: number, what: string): void {
  if (shape.length !== rank) specError(`needs ${what} (${rank} axes per example), got shape ${describeShape(shape)}`);
}

export function lastAxis(shape: readonly number[]): number {
  if (shape.length === 0) specError('needs at least one axis per example, got a scalar');
  return shape[shape.length - 1];
}
