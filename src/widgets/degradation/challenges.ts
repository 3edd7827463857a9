/**
 * Exercise checks and measures on the degradation lab's state (docs/architecture.md, "Exercise
 * checks on widget state"), for chapter 3. Pure functions of WidgetState: they read the lab's
 * records, never a button the reader can press.
 */
import type { WidgetState } from '../../engine/types';
import { extremes, isWorse, resultsByDepth, summarizeDegradation, WORSE_MARGIN, type DepthResult } from './results';

export interface CheckResult {
  met: boolean;
  message: string;
}

export interface MeasureResult {
  value: number | string;
  text: string;
}

/** Largest gap between neighbouring depths that still locates the onset "to within a couple of layers". */
export const ONSET_RESOLUTION = 4;

function depthResults(state: WidgetState): DepthResult[] {
  const diverged = new Set(state.divergences.map((d) => d.run));
  return resultsByDepth(summarizeDegradation(state.runs, state.records, diverged));
}

function loss(value: number): string {
  return value.toFixed(3);
}

/**
 * Where the plain networks first fall behind the shallowest plain network, in a finished run:
 * the first deeper depth that is worse, and the depth tested just before it.
 */
export function plainOnset(results: readonly DepthResult[]): { before: DepthResult; first: DepthResult; baseline: DepthResult } | undefined {
  const plain = results.filter((r) => r.skip === 'none' && Number.isFinite(r.mean));
  if (plain.length < 2) return undefined;
  const baseline = plain[0];
  for (let i = 1; i < plain.length; i++) {
    if (isWorse(plain[i], baseline)) return { before: plain[i - 1], first: plain[i], baseline };
  }
  return undefined;
}

export const challenges: Record<string, (state: WidgetState) => CheckResult> = {
  /** Locate the depth where plain networks start to degrade, to within ONSET_RESOLUTION layers. */
  'degradation/find-onset': (state) => {
    if (state.status !== 'finished') {
      return { met: false, message: state.step > 0 ? `Training: step ${state.step}. The check runs when every network has finished.` : 'Run the lab to completion to check.' };
    }
    const onset = plainOnset(depthResults(state));
    if (!onset) {
      return { met: false, message: 'In this run no plain network ended more than 10% above the shallowest one. Try deeper networks.' };
    }
    const gap = onset.first.depth - onset.before.depth;
    const where = `plain networks first end worse than the ${onset.baseline.depth}-layer one at ${onset.first.depth} layers (mean final loss ${loss(onset.first.mean)} against ${loss(onset.baseline.mean)})`;
    if (gap > ONSET_RESOLUTION) {
      return { met: false, message: `In this run ${where}, but the depth tested before it was ${onset.before.depth}: the onset could be anywhere in between. Choose depths closer together.` };
    }
    return { met: true, message: `Found it: ${where}, while ${onset.before.depth} layers was not worse.` };
  },
};

export const measures: Record<string, (state: WidgetState) => MeasureResult | undefined> = {
  /** "above", "below" or "equal" (within WORSE_MARGIN): the deepest plain network's mean final loss against the shallowest one's. */
  'degradation/deepest-plain-vs-shallowest': (state) => {
    const pair = extremes(depthResults(state), 'none');
    if (!pair) return undefined;
    const { shallow, deep } = pair;
    const value = isWorse(deep, shallow) ? 'above' : deep.mean < shallow.mean * (1 - WORSE_MARGIN) ? 'below' : 'equal';
    const relation = value === 'above' ? 'above' : value === 'below' ? 'below' : 'within 10% of';
    return {
      value,
      text: `The ${deep.depth}-layer plain network ended at a mean training loss of ${loss(deep.mean)}, ${relation} the ${shallow.depth}-layer plain network's ${loss(shallow.mean)} (mean over ${deep.losses.length} seeds).`,
    };
  },
};
