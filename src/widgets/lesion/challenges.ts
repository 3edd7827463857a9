/**
 * Exercise checks and measures on the lesion widget's state (docs/architecture.md, "Exercise
 * checks on widget state"), for chapter 4. Pure functions of WidgetState: they read the
 * experiment's snapshot, never a button the reader can press.
 */
import type { WidgetState } from '../../engine/types';
import { isLesionSnapshot, percent, summarizeLesions, type LesionSummary } from './lesions';

export interface CheckResult {
  met: boolean;
  message: string;
}

export interface MeasureResult {
  value: number | string;
  text: string;
}

/** A residual network counts as fragile when one deletion costs it this much accuracy on average. */
export const FRAGILE_DROP = 0.15;

function finishedSummaries(state: WidgetState): { plain: LesionSummary; residual: LesionSummary } | undefined {
  const data = isLesionSnapshot(state.snapshot) ? state.snapshot : undefined;
  if (!data || data.phase !== 'done') return undefined;
  const summaries = data.networks.map(summarizeLesions);
  const plain = summaries.find((s) => s?.skip === 'none');
  const residual = summaries.find((s) => s?.skip === 'residual');
  return plain && residual ? { plain, residual } : undefined;
}

function describe(summary: LesionSummary, name: string): string {
  return `the ${name} network went from ${percent(summary.intactAccuracy)} intact to ${percent(summary.meanAccuracy)} on average with one layer deleted`;
}

export const challenges: Record<string, (state: WidgetState) => CheckResult> = {
  /** A finished run in which deleting one residual block costs, on average, more than FRAGILE_DROP. */
  'lesion/fragile-residual': (state) => {
    const result = finishedSummaries(state);
    if (!result) return { met: false, message: state.step > 0 ? 'Training. The check runs when the deletions have been tested.' : 'Run the widget to completion to check.' };
    const { residual } = result;
    const text = `In this run ${describe(residual, 'residual')}: a mean drop of ${(residual.meanDrop * 100).toFixed(1)} points.`;
    if (residual.meanDrop <= FRAGILE_DROP) return { met: false, message: `${text} The goal is a drop of more than ${FRAGILE_DROP * 100} points.` };
    return { met: true, message: `${text} Its blocks no longer behave like small corrections.` };
  },
};

export const measures: Record<string, (state: WidgetState) => MeasureResult | undefined> = {
  /** Which network loses less test accuracy, on average, when one layer is deleted: "residual", "plain" or "same" (within 2 points). */
  'lesion/milder-network': (state) => {
    const result = finishedSummaries(state);
    if (!result) return undefined;
    const { plain, residual } = result;
    const gap = plain.meanDrop - residual.meanDrop;
    const value = Math.abs(gap) <= 0.02 ? 'same' : gap > 0 ? 'residual' : 'plain';
    return { value, text: `Deleting one layer: ${describe(plain, 'plain')}; ${describe(residual, 'residual')}.` };
  },
};
