/**
 * The permutation lab's snapshot and what is read from it. Pure, no TF.js.
 */

export interface Matrix {
  rows: number;
  columns: number;
  /** Row-major values. */
  values: number[];
}

export interface PermutationSnapshot {
  step: number;
  /** 1-based hidden layer that was reordered, and the hidden layers that moved with it (1-based). */
  layer: number;
  movedLayers: number[];
  /** New position k holds old unit order[k] (0-based). */
  order: number[];
  /** The reordered layer's incoming weights [fanIn × width] and outgoing weights [width × fanOut], before and after. */
  incoming: { before: Matrix; after: Matrix };
  outgoing: { before: Matrix; after: Matrix };
  /** Decision surfaces on a grid: logit of class 1 minus class 0, `values[j * nx + i]`. */
  grid: { nx: number; ny: number; xDomain: [number, number]; yDomain: [number, number] };
  surfaceBefore: number[];
  surfaceAfter: number[];
  /** Largest |output before − output after| over the grid and the training inputs. */
  maxOutputDifference: number;
  /** Largest |output| (for scale). */
  maxOutput: number;
}

export function isPermutationSnapshot(value: unknown): value is PermutationSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const snapshot = value as Partial<PermutationSnapshot>;
  return Array.isArray(snapshot.order) && typeof snapshot.maxOutputDifference === 'number' && Array.isArray(snapshot.surfaceAfter);
}

/** Differences at or below this (relative to the output scale) are float32 rounding, not a change of function. */
export const ROUNDING_TOLERANCE = 1e-5;

export function functionUnchanged(snapshot: PermutationSnapshot): boolean {
  return snapshot.maxOutputDifference <= ROUNDING_TOLERANCE * Math.max(1, snapshot.maxOutput);
}

export function formatDifference(value: number): string {
  if (value === 0) return '0';
  return value < 1e-3 ? value.toExponential(1) : value.toPrecision(3);
}
