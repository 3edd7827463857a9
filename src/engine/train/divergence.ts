/**
 * When a run has diverged, and why in plain words naming the layer. Every trainer stops a run
 * whose record this flags and keeps that record (the explosion is what the reader needs to see).
 */
import type { LayerInfo, StepRecord } from '../types';

/** Gradient norm above which a run counts as exploding, unless a trainer is told otherwise. */
export const DEFAULT_EXPLODING_NORM = 1e6;

/**
 * The reason a step's record shows divergence, or undefined: the loss is NaN or infinite, or a
 * layer's gradient norm is not finite or above `explodingNorm`. `layers` names the record's
 * per-layer entries (RunInfo.layers).
 */
export function divergenceReason(
  record: Pick<StepRecord, 'loss' | 'gradNorms'>,
  layers: readonly LayerInfo[],
  explodingNorm = DEFAULT_EXPLODING_NORM,
): string | undefined {
  if (!Number.isFinite(record.loss)) return `loss became ${Number.isNaN(record.loss) ? 'NaN' : 'infinite'}`;
  for (let layer = 0; layer < record.gradNorms.length; layer++) {
    const norm = record.gradNorms[layer];
    const name = layers[layer]?.label ?? `layer ${layer + 1}`;
    if (!Number.isFinite(norm)) return `gradient norm in ${name} became ${Number.isNaN(norm) ? 'NaN' : 'infinite'}`;
    if (norm > explodingNorm) return `gradient norm ${norm.toExponential(1)} in ${name} exploded (above ${explodingNorm.toExponential(0)})`;
  }
  return undefined;
}
