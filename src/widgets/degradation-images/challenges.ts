/**
 * Exercise checks and measures on the image degradation lab's state (docs/architecture.md,
 * "Exercise checks on widget state"), for chapter 4. Pure functions of WidgetState: they read the
 * lab's records and snapshot, never a button the reader can press.
 */
import type { WidgetState } from '../../engine/types';
import { formatAccuracy, formatLoss, lossRelation, shallowAndDeep, summarizeImageRuns, type ImageNetworkResult, type ImageSkip } from './results';

export interface CheckResult {
  met: boolean;
  message: string;
}

export interface MeasureResult {
  value: number | string;
  text: string;
}

/** Every network's result, once the run has finished and every network has its test score. */
function finishedResults(state: WidgetState): ImageNetworkResult[] | undefined {
  if (state.status !== 'finished') return undefined;
  const results = summarizeImageRuns(state.runs, state.records, state.snapshot, new Set(state.divergences.map((d) => d.run)));
  if (results.length === 0 || results.some((r) => !r.diverged && !Number.isFinite(r.testAccuracy))) return undefined;
  return results;
}

function describePair(skip: ImageSkip, results: readonly ImageNetworkResult[]): string {
  const pair = shallowAndDeep(results, skip);
  if (!pair) return '';
  const name = skip === 'residual' ? 'residual' : 'plain';
  return `the ${pair.deep.depth}-layer ${name} network ended at a training loss of ${formatLoss(pair.deep.finalLoss)} (test accuracy ${formatAccuracy(pair.deep.testAccuracy)}), the ${pair.shallow.depth}-layer one at ${formatLoss(pair.shallow.finalLoss)} (${formatAccuracy(pair.shallow.testAccuracy)})`;
}

export const challenges: Record<string, (state: WidgetState) => CheckResult> = {
  /** A finished run in which the deepest plain network ends no worse (within 10%) than the shallowest: degradation gone without skips. */
  'degradation-images/no-plain-degradation': (state) => {
    const results = finishedResults(state);
    if (!results) return { met: false, message: state.step > 0 ? 'Training. The check runs when every network has finished and been tested.' : 'Run the lab to completion to check.' };
    const pair = shallowAndDeep(results, 'none');
    if (!pair) return { met: false, message: 'This run has fewer than two plain networks that finished: compare at least two depths.' };
    const text = `In this run ${describePair('none', results)}.`;
    if (lossRelation(pair.deep, pair.shallow) === 'above') return { met: false, message: `${text} The deeper plain network is still more than 10% worse.` };
    return { met: true, message: `${text} No degradation here.` };
  },
};

export const measures: Record<string, (state: WidgetState) => MeasureResult | undefined> = {
  /** "above", "below" or "equal" (within 10%): the deepest plain network's final training loss against the shallowest one's. */
  'degradation-images/deep-plain-vs-shallow': (state) => {
    const results = finishedResults(state);
    const pair = results && shallowAndDeep(results, 'none');
    if (!results || !pair) return undefined;
    const residual = describePair('residual', results);
    return { value: lossRelation(pair.deep, pair.shallow), text: `In this run ${describePair('none', results)}${residual ? `; ${residual}` : ''}.` };
  },
};
