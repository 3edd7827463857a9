/**
 * Exercise checks and measures on the chain-rule stepper's state (docs/architecture.md,
 * src/exercises/README.md). Pure functions of WidgetState: they read the snapshot the stepper
 * publishes (README.md in this folder), never a button the reader could just press.
 */
import type { WidgetState } from '../../engine/types';
import { activationSlope, formatNumber } from './math';
import { PARAM_NAMES, type ParamName, type StepperSnapshot } from './types';

const KIND = 'chain-rule-stepper';

/** Below this a gradient counts as zero (the stepper's numbers are float64, exact to ~1e-16). */
const ZERO_GRADIENT = 1e-9;
/** σ'(z) ≤ 0.01 means |z| ≳ 4.6 for a sigmoid (≳ 3 for tanh): the flat tail, where gradients die. */
export const SATURATED_SLOPE = 0.01;
/** The network must still be wrong by this much, so there is an error to send back. */
export const MIN_LOSS = 0.05;
/** w5 must keep the path from the output to h1 open (closing it is a different way to block it). */
export const MIN_OPEN_WEIGHT = 0.1;

function stepperSnapshot(state: WidgetState): StepperSnapshot | undefined {
  if (state.kind !== KIND || typeof state.snapshot !== 'object' || state.snapshot === null) return undefined;
  const snapshot = state.snapshot as Partial<StepperSnapshot>;
  return snapshot.values && snapshot.gradients && snapshot.nodeGradients && Array.isArray(snapshot.completed)
    ? (snapshot as StepperSnapshot)
    : undefined;
}

function signWord(value: number): 'positive' | 'negative' | 'zero' {
  if (Math.abs(value) < ZERO_GRADIENT) return 'zero';
  return value > 0 ? 'positive' : 'negative';
}

/** A measure is read once the backward pass has finished, as the reader sees it at the end. */
function finishedSnapshot(state: WidgetState): StepperSnapshot | undefined {
  const snapshot = stepperSnapshot(state);
  return snapshot && state.status === 'finished' && snapshot.phase === 'done' ? snapshot : undefined;
}

function gradientSign(name: ParamName) {
  return (state: WidgetState) => {
    const snapshot = finishedSnapshot(state);
    if (!snapshot) return undefined;
    const gradient = snapshot.gradients[name];
    const sign = signWord(gradient);
    return { value: sign, text: `∂L/∂${name} = ${formatNumber(gradient)} (${sign})` };
  };
}

function gradientValue(name: ParamName) {
  return (state: WidgetState) => {
    const snapshot = finishedSnapshot(state);
    if (!snapshot) return undefined;
    const gradient = snapshot.gradients[name];
    return { value: gradient, text: `∂L/∂${name} = ${formatNumber(gradient)}` };
  };
}

export const measures: Record<string, (state: WidgetState) => { value: number | string; text: string } | undefined> =
  Object.fromEntries(
    PARAM_NAMES.flatMap((name) => [
      [`${KIND}/grad-sign-${name}`, gradientSign(name)],
      [`${KIND}/grad-${name}`, gradientValue(name)],
    ]),
  );

/**
 * Saturate hidden unit h1 so that almost no gradient reaches z1 (and so w1, w2, b1), while the
 * network is still wrong and w5 still connects h1 to the output: the vanishing-gradient mechanism
 * of chapter 2 in one unit. The reader must have stepped the backward pass down to ∂L/∂z1.
 */
function saturateHiddenUnit(state: WidgetState): { met: boolean; message: string } {
  const snapshot = stepperSnapshot(state);
  if (!snapshot) return { met: false, message: 'Waiting for the stepper.' };
  const activation = state.settings.activation === 'tanh' ? 'tanh' : 'sigmoid';
  const slope = activationSlope(activation, snapshot.values.h1);
  const w5 = Number(state.settings.w5);
  const { loss, z1 } = snapshot.values;
  const gradientAtZ1 = snapshot.nodeGradients.z1;
  const where = `z1 = ${formatNumber(z1, 3)}, ${activation}′(z1) = ${formatNumber(slope, 3)}, ∂L/∂z1 = ${formatNumber(gradientAtZ1, 3)}, loss ${formatNumber(loss, 3)}`;
  if (loss < MIN_LOSS) {
    return { met: false, message: `${where}. The loss is below ${MIN_LOSS}: with almost no error there is little gradient anywhere. Keep the output away from the target.` };
  }
  if (Math.abs(w5) < MIN_OPEN_WEIGHT) {
    return { met: false, message: `${where}. w5 is ${formatNumber(w5, 3)}: that closes the path from the output to h1, a different way to block the gradient. Keep |w5| at least ${MIN_OPEN_WEIGHT} and saturate h1 instead.` };
  }
  if (slope > SATURATED_SLOPE) {
    return { met: false, message: `${where}. h1 still has a slope above ${SATURATED_SLOPE}, so it passes gradient back.` };
  }
  if (!snapshot.completed.includes('backward:z1')) {
    return { met: false, message: `${where}. h1 is saturated: now step the backward pass down to ∂L/∂z1 to see what reaches it.` };
  }
  return { met: true, message: `${where}. h1 is saturated, so almost nothing reaches z1, w1, w2 and b1 although the network is still wrong.` };
}

export const challenges: Record<string, (state: WidgetState) => { met: boolean; message: string }> = {
  [`${KIND}/saturate-hidden-unit`]: saturateHiddenUnit,
};
