/**
 * The symmetry test's snapshot and its summary. Pure, no TF.js, so the view, the exercise checks
 * and the CLI summary share it.
 */

export const TEST_NETWORKS = ['plain', 'block', 'every-layer'] as const;
export type TestNetwork = (typeof TEST_NETWORKS)[number];

export const TEST_NETWORK_LABELS: Record<TestNetwork, string> = {
  plain: 'plain',
  block: 'residual, blocks of 2',
  'every-layer': 'skip around every layer',
};

/** One run's measurements at the last probe. */
export interface TestRunResult {
  run: number;
  network: TestNetwork;
  seed: number;
  step: number;
  /** Cross-entropy on the whole training set. */
  loss: number;
  /** Smallest normalised distance between two units' incoming weights in any layer, now and the smallest seen so far. */
  nearestPair: number;
  closestPairSeen: number;
  /** ReLU units that output 0 for every training example. */
  dead: number;
  /** Units whose outgoing weights have all but vanished. */
  eliminated: number;
}

export interface SymmetrySnapshot {
  step: number;
  results: TestRunResult[];
}

export function isSymmetrySnapshot(value: unknown): value is SymmetrySnapshot {
  if (typeof value !== 'object' || value === null) return false;
  return Array.isArray((value as Partial<SymmetrySnapshot>).results);
}

/**
 * The snapshot of the whole test from the shards' snapshots of a pool of workers (each covers its
 * own networks; undefined for a shard with none yet): every run's result in run order, as create()
 * lists them, at the step of the shard furthest behind (each result keeps its own step).
 * Undefined before any shard has one.
 */
export function mergeSymmetrySnapshots(snapshots: readonly unknown[]): SymmetrySnapshot | undefined {
  const parts = snapshots.filter(isSymmetrySnapshot);
  if (parts.length === 0) return undefined;
  return { step: Math.min(...parts.map((part) => part.step)), results: parts.flatMap((part) => part.results).sort((a, b) => a.run - b.run) };
}

/** A run counts as stuck when its training loss is still above this (chance is ln 2 ≈ 0.69). */
export const STUCK_LOSS = 0.4;

export interface NetworkSummary {
  network: TestNetwork;
  runs: number;
  medianLoss: number;
  stuck: number;
  medianNearestPair: number;
  meanDead: number;
  meanEliminated: number;
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function mean(values: number[]): number {
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : NaN;
}

export function summarizeNetworks(results: readonly TestRunResult[]): NetworkSummary[] {
  return TEST_NETWORKS.map((network) => {
    const own = results.filter((r) => r.network === network);
    return {
      network,
      runs: own.length,
      medianLoss: median(own.map((r) => r.loss)),
      stuck: own.filter((r) => !(r.loss <= STUCK_LOSS)).length,
      medianNearestPair: median(own.map((r) => r.nearestPair)),
      meanDead: mean(own.map((r) => r.dead)),
      meanEliminated: mean(own.map((r) => r.eliminated)),
    };
  });
}

/** Spearman rank correlation (ties get their mean rank); NaN with fewer than 3 pairs or no spread. */
export function rankCorrelation(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length || xs.length < 3) return NaN;
  const ranks = (values: readonly number[]) => {
    const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
    const result = new Array<number>(values.length);
    for (let start = 0; start < order.length; ) {
      let end = start;
      while (end + 1 < order.length && order[end + 1].v === order[start].v) end++;
      for (let k = start; k <= end; k++) result[order[k].i] = (start + end) / 2;
      start = end + 1;
    }
    return result;
  };
  const rx = ranks(xs);
  const ry = ranks(ys);
  const mx = mean(rx);
  const my = mean(ry);
  let num = 0;
  let dx = 0;
  let dy = 0;
  for (let i = 0; i < rx.length; i++) {
    num += (rx[i] - mx) * (ry[i] - my);
    dx += (rx[i] - mx) ** 2;
    dy += (ry[i] - my) ** 2;
  }
  return dx > 0 && dy > 0 ? num / Math.sqrt(dx * dy) : NaN;
}

/**
 * Does nearness to an overlap go with a high loss? Rank correlation between the nearest-pair
 * distance and the final loss over the runs of one network (negative: closer pairs, higher loss).
 */
export function distanceLossCorrelation(results: readonly TestRunResult[], network: TestNetwork): number {
  const own = results.filter((r) => r.network === network && Number.isFinite(r.loss));
  return rankCorrelation(own.map((r) => r.nearestPair), own.map((r) => r.loss));
}

/** Same for the number of dead units (positive: more dead units, higher loss). */
export function deadLossCorrelation(results: readonly TestRunResult[], network: TestNetwork): number {
  const own = results.filter((r) => r.network === network && Number.isFinite(r.loss));
  return rankCorrelation(own.map((r) => r.dead), own.map((r) => r.loss));
}
