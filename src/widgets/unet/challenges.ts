/**
 * Exercise checks and measures on the live U-Net's state (docs/architecture.md, "Exercise checks
 * on widget state"), for chapter 6. Pure functions of WidgetState: they read the experiment's
 * snapshot (the test-set evaluations), never a button the reader can press.
 */
import type { WidgetState } from '../../engine/types';
import { isUnetSnapshot, latestEvaluation, type MaskEvaluation, type UnetVariant } from './masks';

export interface CheckResult {
  met: boolean;
  message: string;
}

export interface MeasureResult {
  value: number | string;
  text: string;
}

/** The IoU a one-skip U-Net must reach in the challenge. */
export const ONE_SKIP_GOAL = 0.88;

const points = (value: number) => `${(value * 100).toFixed(1)}`;

/** Both networks' last evaluations, once the run has finished (and neither diverged). */
function finished(state: WidgetState): { skips: UnetVariant & { last: MaskEvaluation }; none: UnetVariant & { last: MaskEvaluation } } | undefined {
  const data = isUnetSnapshot(state.snapshot) ? state.snapshot : undefined;
  if (!data || state.status !== 'finished') return undefined;
  const [skips, none] = data.variants;
  const skipsLast = skips && latestEvaluation(skips);
  const noneLast = none && latestEvaluation(none);
  if (!skipsLast || !noneLast || skips.diverged || none.diverged) return undefined;
  return { skips: { ...skips, last: skipsLast }, none: { ...none, last: noneLast } };
}

export const challenges: Record<string, (state: WidgetState) => CheckResult> = {
  /** A finished run whose U-Net has exactly one long skip and reaches ONE_SKIP_GOAL test IoU. */
  'unet/one-skip': (state) => {
    const result = finished(state);
    if (!result) return { met: false, message: state.step > 0 ? 'Training. The check runs when the run has finished.' : 'Run the widget to completion to check.' };
    const { skips } = result;
    const text = `In this run the network with ${skips.label} reached a test IoU of ${points(skips.last.iou)}%.`;
    if (skips.skipLevels.length !== 1) return { met: false, message: `${text} The goal needs exactly one long skip; this network has ${skips.skipLevels.length}.` };
    if (skips.last.iou < ONE_SKIP_GOAL) return { met: false, message: `${text} The goal is at least ${points(ONE_SKIP_GOAL)}%.` };
    return { met: true, message: `${text} One long skip, at the right level, carries most of the detail.` };
  },
};

export const measures: Record<string, (state: WidgetState) => MeasureResult | undefined> = {
  /** Final test IoU of the network with skips minus the one without, in points: "under-2", "2-to-10", "over-10" or "none-better". */
  'unet/iou-gap': (state) => {
    const result = finished(state);
    if (!result) return undefined;
    const gap = result.skips.last.iou - result.none.last.iou;
    const value = gap < -0.02 ? 'none-better' : Math.abs(gap) <= 0.02 ? 'under-2' : gap <= 0.1 ? '2-to-10' : 'over-10';
    return { value, text: `Test IoU at step ${result.skips.last.step}: ${points(result.skips.last.iou)}% with ${result.skips.label}, ${points(result.none.last.iou)}% without; a gap of ${points(gap)} points.` };
  },
};
