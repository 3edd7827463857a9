/**
 * Pure read-outs of the image degradation lab: each network's final training loss (from its
 * records) and test accuracy (from the experiment's snapshot), by depth and network kind. No
 * TF.js: the view, the exercise checks, the CLI summary and the tests share them.
 */
import type { RunInfo, StepRecord } from '../../engine/types';

/** Final training loss = mean minibatch loss over this many last steps (one batch of 16 is noisy). */
export const FINAL_LOSS_WINDOW = 50;
/** A deeper network counts as worse when its final training loss is more than this fraction above the shallow one's. */
export const WORSE_MARGIN = 0.1;

export type ImageSkip = 'none' | 'residual';

export function networkName(skip: string | undefined): 'plain' | 'residual' {
  return skip === 'residual' ? 'residual' : 'plain';
}

/** One network's score on the test images, measured when it has finished training. */
export interface TestScore {
  run: number;
  step: number;
  loss: number;
  accuracy: number;
}

/** What the experiment reports besides records (per shard of a pool; merged by run). */
export interface DegradationImagesSnapshot {
  testImages: number;
  trainImages: number;
  /** Test scores of the networks that have finished, by run id. */
  tests: TestScore[];
}

export function isDegradationImagesSnapshot(value: unknown): value is DegradationImagesSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<DegradationImagesSnapshot>;
  return typeof candidate.testImages === 'number' && Array.isArray(candidate.tests);
}

/** The shards' latest snapshots as one (undefined for a shard that has sent none): every run's test score. */
export function mergeSnapshots(snapshots: readonly unknown[]): DegradationImagesSnapshot | undefined {
  const shards = snapshots.filter(isDegradationImagesSnapshot);
  if (shards.length === 0) return undefined;
  const tests = shards.flatMap((shard) => shard.tests).sort((a, b) => a.run - b.run);
  return { ...shards[shards.length - 1], tests };
}

export interface ImageNetworkResult {
  run: number;
  skip: ImageSkip;
  depth: number;
  /** Mean minibatch loss over the last FINAL_LOSS_WINDOW steps; NaN before any record. */
  finalLoss: number;
  /** Last step trained. */
  steps: number;
  /** Accuracy on the test images once the network has finished; NaN before. */
  testAccuracy: number;
  testLoss: number;
  diverged: boolean;
}

function meanTail(records: readonly StepRecord[], window: number): number {
  if (records.length === 0) return NaN;
  const tail = records.slice(-window);
  return tail.reduce((sum, record) => sum + record.loss, 0) / tail.length;
}

/** One entry per run, in run order (plain shallow to deep, then residual). */
export function summarizeImageRuns(runs: readonly RunInfo[], records: readonly StepRecord[], snapshot: unknown, diverged: ReadonlySet<number> = new Set()): ImageNetworkResult[] {
  const byRun = new Map<number, StepRecord[]>();
  for (const record of records) {
    const list = byRun.get(record.run);
    if (list) list.push(record);
    else byRun.set(record.run, [record]);
  }
  const tests = isDegradationImagesSnapshot(snapshot) ? new Map(snapshot.tests.map((test) => [test.run, test])) : new Map<number, TestScore>();
  return runs.map((run) => {
    const own = byRun.get(run.id) ?? [];
    const test = tests.get(run.id);
    return {
      run: run.id,
      skip: run.skip === 'residual' ? 'residual' : 'none',
      depth: run.depth ?? 0,
      finalLoss: meanTail(own, FINAL_LOSS_WINDOW),
      steps: own.length > 0 ? own[own.length - 1].step : 0,
      testAccuracy: test?.accuracy ?? NaN,
      testLoss: test?.loss ?? NaN,
      diverged: diverged.has(run.id),
    };
  });
}

/** The shallowest and deepest network of one kind, or undefined before both have a final loss. */
export function shallowAndDeep(results: readonly ImageNetworkResult[], skip: ImageSkip): { shallow: ImageNetworkResult; deep: ImageNetworkResult } | undefined {
  const own = results.filter((r) => r.skip === skip && Number.isFinite(r.finalLoss) && !r.diverged).sort((a, b) => a.depth - b.depth);
  if (own.length < 2) return undefined;
  return { shallow: own[0], deep: own[own.length - 1] };
}

/** "above" (more than WORSE_MARGIN), "below" (more than WORSE_MARGIN) or "equal": a deep network's final loss against a shallow one's. */
export function lossRelation(deep: ImageNetworkResult, shallow: ImageNetworkResult): 'above' | 'below' | 'equal' {
  if (deep.finalLoss > shallow.finalLoss * (1 + WORSE_MARGIN)) return 'above';
  if (deep.finalLoss < shallow.finalLoss * (1 - WORSE_MARGIN)) return 'below';
  return 'equal';
}

export function formatLoss(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : '–';
}

/** "83.4%". */
export function formatAccuracy(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : '–';
}
