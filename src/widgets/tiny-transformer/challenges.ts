/**
 * Exercise checks and measures on the tiny transformer's state (docs/architecture.md, "Exercise
 * checks on widget state"), for chapter 7. Pure functions of WidgetState: they read the
 * experiment's snapshot, never a button the reader can press.
 */
import type { WidgetState } from '../../engine/types';
import { isTinyTransformerSnapshot, summarizeTinyTransformer } from './results';

export interface CheckResult {
  met: boolean;
  message: string;
}

export interface MeasureResult {
  value: number | string;
  text: string;
}

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

export const challenges: Record<string, (state: WidgetState) => CheckResult> = {
  /** A single block with a single head reaches ≥ 95 % held-out token accuracy on reversing. */
  'tiny-transformer/one-head-reverses': (state) => {
    const data = isTinyTransformerSnapshot(state.snapshot) ? state.snapshot : undefined;
    const summary = data ? summarizeTinyTransformer(data) : undefined;
    if (!data || !summary || summary.step === 0) return { met: false, message: 'Run the widget: the check reads the held-out accuracy, measured every 25 steps.' };
    const { layers, heads } = data.shape;
    if (data.task !== 'reverse' || layers !== 1 || heads !== 1) return { met: false, message: `This run has the task “${data.task}”, ${layers} block(s) and ${heads} head(s). The goal is reversing with 1 block and 1 head.` };
    if (summary.heldOutAccuracy < 0.95) return { met: false, message: `Held-out token accuracy ${percent(summary.heldOutAccuracy)} at step ${summary.step}; the goal is 95 %. Keep training, or change the learning rate.` };
    return { met: true, message: `One block with one head reverses held-out sequences with ${percent(summary.heldOutAccuracy)} token accuracy (step ${summary.step}). Look at its attention: one bright anti-diagonal.` };
  },
};

export const measures: Record<string, (state: WidgetState) => MeasureResult | undefined> = {
  /** Held-out token accuracy at the last evaluation, in percent. */
  'tiny-transformer/held-out-accuracy': (state) => {
    const data = isTinyTransformerSnapshot(state.snapshot) ? state.snapshot : undefined;
    const summary = data ? summarizeTinyTransformer(data) : undefined;
    if (!summary || summary.step === 0) return undefined;
    return { value: Math.round(summary.heldOutAccuracy * 1000) / 10, text: `Held-out token accuracy ${percent(summary.heldOutAccuracy)} at step ${summary.step}.` };
  },
};
