/**
 * Exercise checks and measures on the gradient-flow lab's state (docs/architecture.md, "Exercise
 * checks on widget state"), for chapter 2 (vanishing and exploding gradients). Pure functions of
 * WidgetState: they read the lab's records, never a button the reader can press.
 *
 * The fixed settings below must match the presets of the widgets these exercises name in
 * content/exercises/vanishing-gradients.mdx.
 */
import type { SettingsValues, StepRecord, WidgetState } from '~/engine/types';

export interface CheckResult {
  met: boolean;
  message: string;
}

export interface MeasureResult {
  value: number | string;
  text: string;
}

/** The 30-layer sigmoid network of the "make it train" challenge; only init, initScale and norm may change. */
export const SIGMOID_CHALLENGE_FIXED: SettingsValues = {
  depth: 30,
  width: 16,
  activation: 'sigmoid',
  skip: 'none',
  optimizer: 'adam',
  learningRate: 0.01,
  clipNorm: 0,
  dataset: 'circles',
  batchSize: 32,
};
/** Training loss the challenge asks for (cross-entropy; 0.69 is chance level on two balanced classes). */
export const SIGMOID_CHALLENGE_LOSS = 0.4;

/** The exploding 30-layer network of the clipping challenge; clipping must be on, the scale kept. */
export const EXPLODING_FIXED: SettingsValues = {
  depth: 30,
  width: 16,
  activation: 'relu',
  init: 'he',
  norm: 'none',
  skip: 'none',
  optimizer: 'sgd',
  learningRate: 0.1,
  dataset: 'circles',
  batchSize: 32,
};
export const EXPLODING_MIN_INIT_SCALE = 1.3;
/** Mean recent training loss the clipped run must reach (0.69 is chance level). */
export const EXPLODING_LOSS = 0.2;
/** Steps the clipped run must survive. */
export const EXPLODING_SURVIVE_STEPS = 300;

/** Records of the lab's (only) run, in step order. */
function ownRecords(state: WidgetState): readonly StepRecord[] {
  const run = state.runs[0]?.id ?? 0;
  return state.records.filter((record) => record.run === run);
}

/** Mean training loss over the last `window` records: a single mini-batch loss is noisy. */
export function recentLoss(records: readonly StepRecord[], window = 20): number | undefined {
  if (records.length === 0) return undefined;
  const recent = records.slice(-window);
  return recent.reduce((sum, record) => sum + record.loss, 0) / recent.length;
}

function format(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  return magnitude >= 0.01 && magnitude < 1000 ? String(Number(value.toPrecision(2))) : value.toExponential(1);
}

/** Keys whose value differs from the fixed ones, e.g. ["depth", "learningRate"]. */
export function changedSettings(settings: SettingsValues, fixed: SettingsValues): string[] {
  return Object.keys(fixed).filter((key) => key in settings && settings[key] !== fixed[key]);
}

const SETTING_NAMES: Record<string, string> = {
  depth: 'the number of hidden layers',
  width: 'the width',
  activation: 'the activation',
  init: 'the initialisation',
  norm: 'the normalisation',
  skip: 'the skip connections',
  optimizer: 'the optimiser',
  learningRate: 'the learning rate',
  clipNorm: 'gradient clipping',
  dataset: 'the data set',
  batchSize: 'the batch size',
};

function describeChanges(keys: string[]): string {
  return keys.map((key) => SETTING_NAMES[key] ?? key).join(', ');
}

/**
 * Orders of magnitude between the last and the first hidden layer's gradient norm in one record:
 * log10(last / first). Infinity when the first layer's gradient is exactly zero (underflow).
 */
export function ordersBetweenLastAndFirst(record: StepRecord): number {
  const first = record.gradNorms[0];
  const last = record.gradNorms[record.gradNorms.length - 1];
  if (first === 0) return last > 0 ? Infinity : 0;
  if (last === 0) return -Infinity;
  return Math.log10(last / first);
}

/** Buckets for the "how far apart" prediction, as the choices' values. */
export function ordersBucket(orders: number): 'below-1' | '1-to-3' | '3-to-10' | 'over-10' {
  if (orders < 1) return 'below-1';
  if (orders < 3) return '1-to-3';
  if (orders < 10) return '3-to-10';
  return 'over-10';
}

export const challenges: Record<string, (state: WidgetState) => CheckResult> = {
  'gradient-flow/vg-sigmoid-30-trains': (state) => {
    const changed = changedSettings(state.settings, SIGMOID_CHALLENGE_FIXED);
    if (changed.length > 0) {
      return {
        met: false,
        message: `You changed ${describeChanges(changed)}. Only the initialisation, its scale and the normalisation may change: put the rest back.`,
      };
    }
    if (state.status === 'diverged' || state.divergences.length > 0) {
      return { met: false, message: 'The run diverged. Reset and try a different initialisation or normalisation.' };
    }
    const loss = recentLoss(ownRecords(state));
    if (loss === undefined) {
      return { met: false, message: `Press play. Goal: a training loss below ${SIGMOID_CHALLENGE_LOSS} with all 30 sigmoid layers.` };
    }
    const met = loss < SIGMOID_CHALLENGE_LOSS;
    return {
      met,
      message: `Training loss ${format(loss)} at step ${state.step} (mean of the last steps); goal: below ${SIGMOID_CHALLENGE_LOSS}.`,
    };
  },

  'gradient-flow/vg-clipping-survives': (state) => {
    const changed = changedSettings(state.settings, EXPLODING_FIXED);
    const scale = Number(state.settings.initScale);
    if (changed.length > 0 || !(scale >= EXPLODING_MIN_INIT_SCALE)) {
      const what = [...changed.map((key) => SETTING_NAMES[key] ?? key), ...(scale >= EXPLODING_MIN_INIT_SCALE ? [] : [`the initial weight scale (keep it at least ${EXPLODING_MIN_INIT_SCALE})`])];
      return { met: false, message: `You changed ${what.join(', ')}. Keep the exploding network as it is and use only gradient clipping.` };
    }
    const clip = Number(state.settings.clipNorm);
    if (!(clip > 0)) {
      return { met: false, message: 'Gradient clipping is off. Set a clipping norm above 0, then reset and train.' };
    }
    if (state.status === 'diverged' || state.divergences.length > 0) {
      const reason = state.divergences[0]?.reason;
      return { met: false, message: `The run diverged${reason ? ` (${reason})` : ''}. Try a smaller clipping norm.` };
    }
    const records = ownRecords(state);
    const last = records[records.length - 1];
    if (!last) return { met: false, message: `Clipping at ${format(clip)}. Press play and keep the run alive for ${EXPLODING_SURVIVE_STEPS} steps.` };
    const loss = recentLoss(records) ?? NaN;
    if (state.step < EXPLODING_SURVIVE_STEPS) {
      return { met: false, message: `Step ${state.step} of ${EXPLODING_SURVIVE_STEPS} without diverging; training loss ${format(loss)}.` };
    }
    const met = loss < EXPLODING_LOSS;
    return {
      met,
      message: met
        ? `The clipped run survived ${state.step} steps and its training loss is ${format(loss)}, below ${EXPLODING_LOSS}.`
        : `The clipped run survived ${state.step} steps, but its training loss is ${format(loss)}; goal: below ${EXPLODING_LOSS}. Try another clipping norm.`,
    };
  },
};

export const measures: Record<string, (state: WidgetState) => MeasureResult | undefined> = {
  'gradient-flow/vg-orders-last-over-first': (state) => {
    const records = ownRecords(state);
    const last = records[records.length - 1];
    if (!last) return undefined;
    const orders = ordersBetweenLastAndFirst(last);
    const first = last.gradNorms[0];
    const lastNorm = last.gradNorms[last.gradNorms.length - 1];
    const apart =
      orders === Infinity
        ? 'the first layer’s gradient is exactly 0 (it fell below the smallest float32 number), so they are more than 10 orders of magnitude apart'
        : `that is ${format(orders)} orders of magnitude`;
    return {
      value: ordersBucket(orders),
      text: `at step ${last.step} the last hidden layer’s gradient norm is ${format(lastNorm)} and the first layer’s is ${format(first)}: ${apart}`,
    };
  },
};
