/**
 * The pure parts of the dense-reuse experiment: the snapshot it reports and the numbers read from
 * it. No TF.js: the view, the exercise checks, the CLI summary and the tests share them.
 */
import type { RunInfo, Skip, StepRecord } from '../../engine/types';

const mean = (values: readonly number[]) => (values.length > 0 ? values.reduce((sum, v) => sum + v, 0) / values.length : NaN);

export interface ReuseNetwork {
  run: number;
  label: string;
  skip: Skip;
  /** Units per hidden layer: the width, or the growth rate k of the dense network. */
  width: number;
  parameters: number;
  /** Held-out test accuracy and loss after training (absent while training or after divergence). */
  test?: { accuracy: number; loss: number };
}

export interface ReuseSnapshot {
  phase: 'training' | 'done';
  trainSteps: number;
  trainedSteps: number;
  testSize: number;
  networks: ReuseNetwork[];
  /**
   * The dense network's mean absolute weight per source, as engine/units.ts denseSourceWeights
   * gives it: one row per reading layer (hidden layers 2..depth, then the output layer), entry s
   * for source s (0 = input, s ≥ 1 = hidden layer s). Measured at `reuseStep`.
   */
  reuse?: number[][];
  reuseStep?: number;
}

export function isReuseSnapshot(value: unknown): value is ReuseSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ReuseSnapshot>;
  return typeof candidate.phase === 'string' && Array.isArray(candidate.networks);
}

/** Each reading layer's weights divided by its largest, so 1 marks the source it reads most. (The DenseNet paper's Fig. 5 shows the mean absolute weights themselves, "normalized by number of input feature-maps", without this per-layer scaling.) */
export function normalizeReuse(reuse: readonly (readonly number[])[]): number[][] {
  return reuse.map((row) => {
    const largest = Math.max(...row);
    return row.map((value) => (largest > 0 ? value / largest : 0));
  });
}

/** "layer 3", "input", "output layer": names of the sources and readers in a reuse matrix. */
export function sourceName(source: number): string {
  return source === 0 ? 'input' : `layer ${source}`;
}

export function readerName(row: number, rows: number): string {
  return row === rows - 1 ? 'output layer' : `layer ${row + 2}`;
}

export interface ReuseSummary {
  /** Mean normalised weight the reading layers put on sources at least `EARLY_GAP` layers back (not the input). */
  meanEarly: number;
  /** The smallest normalised weight any reading layer puts on any hidden source. */
  smallest: number;
  /** Normalised weight the output layer puts on hidden layer 1, the earliest features. */
  outputOnFirst: number;
  /** Fraction of (reader, hidden source) cells with normalised weight above NONZERO_REUSE. */
  usedFraction: number;
}

/** A source this many layers before its reader counts as "early" for that reader. */
export const EARLY_GAP = 4;
/** A normalised weight above this counts as a source the reader uses. */
export const NONZERO_REUSE = 0.1;

export function summarizeReuse(reuse: readonly (readonly number[])[]): ReuseSummary | undefined {
  if (reuse.length === 0) return undefined;
  const normalized = normalizeReuse(reuse);
  const early: number[] = [];
  const hidden: number[] = [];
  normalized.forEach((row, index) => {
    // Row `index` is hidden layer index + 2 (the output layer is depth + 1).
    const reader = index + 2;
    for (let source = 1; source < row.length; source++) {
      hidden.push(row[source]);
      if (reader - source >= EARLY_GAP) early.push(row[source]);
    }
  });
  return {
    meanEarly: mean(early),
    smallest: Math.min(...hidden),
    outputOnFirst: normalized[normalized.length - 1][1] ?? NaN,
    usedFraction: hidden.filter((v) => v > NONZERO_REUSE).length / hidden.length,
  };
}

export function networkName(skip: Skip): 'plain' | 'residual' | 'dense' {
  return skip === 'none' ? 'plain' : skip;
}

/** Steps over which a run's final training loss is averaged (single minibatch losses are noisy). */
export const FINAL_WINDOW = 20;

/** Each run's final training loss: the mean over its last FINAL_WINDOW records. */
export function finalLosses(records: readonly StepRecord[]): Map<number, number> {
  const byRun = new Map<number, number[]>();
  for (const record of records) byRun.set(record.run, [...(byRun.get(record.run) ?? []).slice(-(FINAL_WINDOW - 1)), record.loss]);
  return new Map([...byRun].map(([run, losses]) => [run, mean(losses)]));
}

/** Per run: parameters, final training loss and accuracy (mean of the last 20 steps), test accuracy, and first/last-layer gradient norms; then the reuse summary. */
export function summarizeDenseReuse(runs: readonly RunInfo[], records: readonly StepRecord[], snapshot?: unknown) {
  const data = isReuseSnapshot(snapshot) ? snapshot : undefined;
  const losses = finalLosses(records);
  const rows = runs.map((run) => {
    const own = records.filter((r) => r.run === run.id);
    const tail = own.slice(-FINAL_WINDOW);
    const last = own[own.length - 1];
    const entry = data?.networks.find((n) => n.run === run.id);
    return {
      run: run.id,
      label: run.label,
      parameters: entry?.parameters,
      finalLoss: losses.get(run.id),
      finalAccuracy: mean(tail.map((r) => r.accuracy ?? NaN)),
      testAccuracy: entry?.test?.accuracy,
      firstLayerGradNorm: last?.gradNorms[0],
      lastLayerGradNorm: last?.gradNorms[last.gradNorms.length - 1],
    };
  });
  return { runs: rows, reuse: data?.reuse ? { ...summarizeReuse(data.reuse), normalized: normalizeReuse(data.reuse) } : undefined };
}
