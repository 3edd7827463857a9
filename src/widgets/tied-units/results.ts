/**
 * The tied-units experiment's snapshot and what is read from it. Pure, no TF.js, so the view and
 * the exercise checks can use it.
 */

/** The three networks, in run order. */
export const TIED_NETWORKS = ['plain', 'block', 'every-layer'] as const;
export type TiedNetwork = (typeof TIED_NETWORKS)[number];

export const TIED_NETWORK_LABELS: Record<TiedNetwork, string> = {
  plain: 'plain',
  block: 'residual, inner units of a block',
  'every-layer': 'skip around every layer',
};

export interface TiedDistance {
  run: number;
  step: number;
  /** Distance between the two units' full parameter vectors (incoming, bias, outgoing): 0 while tied. */
  distance: number;
}

export interface TiedSnapshot {
  /** The tied units' hidden layer (1-based) and units (1-based). */
  layer: number;
  units: [number, number];
  distances: TiedDistance[];
}

export function isTiedSnapshot(value: unknown): value is TiedSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const snapshot = value as Partial<TiedSnapshot>;
  return Array.isArray(snapshot.distances) && typeof snapshot.layer === 'number';
}

/** Distance at the last measured step of each run (run id → distance). */
export function finalDistances(snapshot: TiedSnapshot): Map<number, number> {
  const last = new Map<number, TiedDistance>();
  for (const d of snapshot.distances) if ((last.get(d.run)?.step ?? -1) < d.step) last.set(d.run, d);
  return new Map([...last].map(([run, d]) => [run, d.distance]));
}

/** Below this the units count as still tied (float32 arithmetic on identical numbers gives exactly 0). */
export const TIED_TOLERANCE = 1e-6;

export function isTied(distance: number): boolean {
  return distance <= TIED_TOLERANCE;
}

export function formatDistance(distance: number | undefined): string {
  if (distance === undefined || !Number.isFinite(distance)) return '–';
  if (distance === 0) return '0 (tied)';
  return distance < 1e-3 ? distance.toExponential(1) : distance.toPrecision(3);
}
