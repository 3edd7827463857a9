/**
 * Pure read-outs of the degradation lab's records: final training loss per run, and per depth and
 * skip type across seeds. No TF.js here: the view, the exercise checks and the CLI summary use it.
 */
import type { RunInfo, StepRecord } from '../../engine/types';

/** Final training loss = mean minibatch loss over this many last steps (one step's batch is noisy). */
export const FINAL_LOSS_WINDOW = 20;

export type SkipKind = 'none' | 'residual';

export function skipName(skip: string | undefined): 'plain' | 'residual' {
  return skip === 'residual' ? 'residual' : 'plain';
}

export interface DegradationRunSummary {
  skip: SkipKind;
  depth: number;
  seed: number;
  /** Mean training (minibatch) loss over the last FINAL_LOSS_WINDOW recorded steps; NaN before any record. */
  finalLoss: number;
  /** Last step the run completed. */
  steps: number;
  diverged: boolean;
}

/** Mean loss of one run's last `window` records (records of one run, in step order). */
export function finalLossOf(records: readonly StepRecord[], window = FINAL_LOSS_WINDOW): number {
  if (records.length === 0) return NaN;
  const tail = records.slice(-window);
  return tail.reduce((sum, record) => sum + record.loss, 0) / tail.length;
}

/** One entry per run, in run order. */
export function summarizeDegradation(
  runs: readonly RunInfo[],
  records: readonly StepRecord[],
  divergedRuns: ReadonlySet<number> = new Set(),
): DegradationRunSummary[] {
  const byRun = new Map<number, StepRecord[]>();
  for (const record of records) {
    const list = byRun.get(record.run);
    if (list) list.push(record);
    else byRun.set(record.run, [record]);
  }
  return runs.map((run) => {
    const own = byRun.get(run.id) ?? [];
    return {
      skip: run.skip === 'residual' ? 'residual' : 'none',
      depth: run.depth ?? 0,
      seed: run.seed ?? 0,
      finalLoss: finalLossOf(own),
      steps: own.length > 0 ? own[own.length - 1].step : 0,
      diverged: divergedRuns.has(run.id),
    };
  });
}

/** Final losses of one depth and skip type across its seeds. */
export interface DepthResult {
  skip: SkipKind;
  depth: number;
  /** Final loss of every seed that has records (diverged seeds left out). */
  losses: number[];
  mean: number;
  min: number;
  max: number;
  /** Seeds that diverged. */
  diverged: number;
}

/** Groups run summaries by skip type and depth, shallow to deep, plain first. */
export function resultsByDepth(summaries: readonly DegradationRunSummary[]): DepthResult[] {
  const groups = new Map<string, DegradationRunSummary[]>();
  for (const summary of summaries) {
    const key = `${summary.skip}:${summary.depth}`;
    groups.set(key, [...(groups.get(key) ?? []), summary]);
  }
  const results: DepthResult[] = [];
  for (const list of groups.values()) {
    const losses = list.filter((s) => !s.diverged && Number.isFinite(s.finalLoss)).map((s) => s.finalLoss);
    results.push({
      skip: list[0].skip,
      depth: list[0].depth,
      losses,
      mean: losses.length > 0 ? losses.reduce((a, b) => a + b, 0) / losses.length : NaN,
      min: losses.length > 0 ? Math.min(...losses) : NaN,
      max: losses.length > 0 ? Math.max(...losses) : NaN,
      diverged: list.filter((s) => s.diverged).length,
    });
  }
  return results.sort((a, b) => (a.skip === b.skip ? a.depth - b.depth : a.skip === 'none' ? -1 : 1));
}

/** Shallowest and deepest results of one skip type, or undefined when fewer than two depths have data. */
export function extremes(results: readonly DepthResult[], skip: SkipKind): { shallow: DepthResult; deep: DepthResult } | undefined {
  const own = results.filter((r) => r.skip === skip && Number.isFinite(r.mean));
  if (own.length < 2) return undefined;
  return { shallow: own[0], deep: own[own.length - 1] };
}

/**
 * A deeper network counts as "worse" than the shallow one when its mean final loss is more than
 * this fraction above the shallow one's: smaller gaps are within the spread of seeds.
 */
export const WORSE_MARGIN = 0.1;

export function isWorse(candidate: DepthResult, baseline: DepthResult, margin = WORSE_MARGIN): boolean {
  return candidate.mean > baseline.mean * (1 + margin);
}
