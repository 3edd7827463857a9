/**
 * Pure helpers for the shattered-gradients widget: the lag-1 autocorrelation of a gradient curve,
 * and the snapshot's shape. No TF.js, so the view and the exercise checks can use them.
 */

/** Depths at which the neighbouring-gradient correlation is measured (up to 50 hidden layers). */
export const CORRELATION_DEPTHS = [1, 2, 4, 8, 12, 16, 24, 32, 40, 50] as const;

export type ShatteredSkip = 'none' | 'residual';

export interface GradientCurve {
  skip: ShatteredSkip;
  depth: number;
  /** dy/dx at every grid point. */
  gradients: number[];
}

export interface CorrelationPoint {
  skip: ShatteredSkip;
  depth: number;
  /** Lag-1 autocorrelation of dy/dx along the grid. */
  correlation: number;
}

/** What the experiment's snapshot holds (plain data, posted from the worker). */
export interface ShatteredSnapshot {
  grid: number[];
  curves: GradientCurve[];
  correlations: CorrelationPoint[];
}

/**
 * Lag-1 autocorrelation: Σ (gᵢ − ḡ)(gᵢ₊₁ − ḡ) / Σ (gᵢ − ḡ)². 1 for a smooth curve, near 0 for white
 * noise. A constant curve (no variation at all) is perfectly smooth: 1.
 */
export function lagOneAutocorrelation(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < n; i++) {
    const centred = values[i] - mean;
    denominator += centred * centred;
    if (i + 1 < n) numerator += centred * (values[i + 1] - mean);
  }
  // Relative to the curve's own size, so a float32 curve that is constant up to rounding counts as constant.
  const scale = Math.max(...Array.from(values, Math.abs)) || 1;
  if (denominator <= n * (scale * 1e-6) ** 2) return 1;
  return numerator / denominator;
}

/** The label of one (skip type, depth) pair: the experiment's runs and the summary rows use it. */
export function correlationLabel(point: Pick<CorrelationPoint, 'skip' | 'depth'>): string {
  return `${point.skip === 'none' ? 'plain' : 'residual'}, ${point.depth} layer${point.depth === 1 ? '' : 's'}`;
}

/** One row per run (a skip type and a depth): what the CLI's summary and the widget's JSON export carry. */
export interface ShatteredRunSummary extends CorrelationPoint {
  run: number;
  label: string;
}

/** The correlations as summary rows; run i is the snapshot's correlation i (as the experiment numbers its runs). */
export function summarizeShattered(snapshot: ShatteredSnapshot): ShatteredRunSummary[] {
  return snapshot.correlations.map((point, run) => ({ run, label: correlationLabel(point), ...point }));
}

/** Is this a well-formed snapshot (the widget state's `snapshot` is `unknown`)? */
export function isShatteredSnapshot(value: unknown): value is ShatteredSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const snapshot = value as Partial<ShatteredSnapshot>;
  return Array.isArray(snapshot.grid) && Array.isArray(snapshot.curves) && Array.isArray(snapshot.correlations);
}

export function correlationAt(snapshot: ShatteredSnapshot, skip: ShatteredSkip, depth: number): number | undefined {
  return snapshot.correlations.find((c) => c.skip === skip && c.depth === depth)?.correlation;
}
