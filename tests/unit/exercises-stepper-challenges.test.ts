import { describe, expect, it } from 'vitest';
import type { WidgetState } from '../../src/engine/types';
import { challenges, measures } from '../../src/widgets/chain-rule-stepper/challenges';
import { backward, forward } from '../../src/widgets/chain-rule-stepper/math';
import { defaultSettings } from '../../src/widgets/chain-rule-stepper/settings';
import type { StepId, StepperSettings, StepperSnapshot } from '../../src/widgets/chain-rule-stepper/types';

const BACKWARD_TO_Z1: StepId[] = ['backward:yHat', 'backward:w5', 'backward:w6', 'backward:b3', 'backward:h1', 'backward:h2', 'backward:z1'];

/** A stepper state built from the stepper's own math, as its element would publish it. */
function stepperState(changes: Partial<StepperSettings>, progress: { status: WidgetState['status']; completed: StepId[] }): WidgetState {
  const settings = { ...defaultSettings(), ...changes };
  const values = forward(settings);
  const { nodes, params } = backward(settings, values);
  const done = progress.status === 'finished';
  const snapshot: StepperSnapshot = {
    phase: done ? 'done' : progress.completed.length === 0 ? 'start' : 'backward',
    stepIndex: progress.completed.length,
    totalSteps: 20,
    forwardSteps: 6,
    completed: progress.completed,
    current: null,
    values,
    nodeGradients: nodes,
    gradients: params,
  };
  return { id: 'stepper', kind: 'chain-rule-stepper', settings, status: progress.status, step: snapshot.stepIndex, runs: [], records: [], divergences: [], snapshot };
}

const finished = { status: 'finished' as const, completed: BACKWARD_TO_Z1 };
const saturate = challenges['chain-rule-stepper/saturate-hidden-unit'];

describe('chain-rule stepper measures', () => {
  it('report the sign and value of a gradient once the backward pass is done', () => {
    const state = stepperState({}, finished);
    expect(measures['chain-rule-stepper/grad-sign-w3'](state)).toEqual({ value: 'positive', text: expect.stringMatching(/^∂L\/∂w3 = 0\.0778\d* \(positive\)$/) });
    expect(measures['chain-rule-stepper/grad-sign-w5'](state)?.value).toBe('negative');
    expect(measures['chain-rule-stepper/grad-w5'](state)?.value).toBeCloseTo(-0.38015500382, 10);
  });

  it('say zero for a gradient that is exactly blocked', () => {
    expect(measures['chain-rule-stepper/grad-sign-w1'](stepperState({ x1: 0 }, finished))?.value).toBe('zero');
  });

  it('are undefined before the run finishes or for another widget', () => {
    expect(measures['chain-rule-stepper/grad-sign-w3'](stepperState({}, { status: 'paused', completed: BACKWARD_TO_Z1 }))).toBeUndefined();
    expect(measures['chain-rule-stepper/grad-sign-w3']({ ...stepperState({}, finished), kind: 'gradient-flow' })).toBeUndefined();
  });

  it('exist for every parameter', () => {
    for (const name of ['w1', 'w2', 'b1', 'w3', 'w4', 'b2', 'w5', 'w6', 'b3']) {
      expect(measures[`chain-rule-stepper/grad-sign-${name}`], name).toBeTypeOf('function');
      expect(measures[`chain-rule-stepper/grad-${name}`], name).toBeTypeOf('function');
    }
  });
});

describe('saturate-hidden-unit challenge', () => {
  it('is not met at the default settings (h1 has slope 0.24)', () => {
    const result = saturate(stepperState({}, finished));
    expect(result.met).toBe(false);
    expect(result.message).toMatch(/still has a slope/);
  });

  it('is met when z1 is pushed into the flat tail and the backward pass reached z1', () => {
    for (const w1 of [-5, 5]) {
      const result = saturate(stepperState({ w1 }, finished));
      expect(result.met, `w1 = ${w1}: ${result.message}`).toBe(true);
      expect(result.message).toMatch(/saturated/);
    }
  });

  it('also works with tanh units, whose tail starts earlier', () => {
    expect(saturate(stepperState({ activation: 'tanh', w1: -3.5 }, finished)).met).toBe(true);
    expect(saturate(stepperState({ activation: 'tanh', w1: -1 }, finished)).met).toBe(false);
  });

  it('is not met by blocking the gradient some other way', () => {
    // Closing w5 blocks the path to h1, but that is not saturation.
    const closed = saturate(stepperState({ w1: 5, w5: 0 }, finished));
    expect(closed.met).toBe(false);
    expect(closed.message).toMatch(/closes the path/);
    // Making the output right (no error to send back) is not it either.
    const noError = saturate(stepperState({ w1: 5, y: 0.645 }, finished));
    expect(noError.met).toBe(false);
    expect(noError.message).toMatch(/loss is below/);
  });

  it('waits until the reader has stepped the backward pass down to z1', () => {
    const early = saturate(stepperState({ w1: -5 }, { status: 'paused', completed: ['backward:yHat', 'backward:w5'] }));
    expect(early.met).toBe(false);
    expect(early.message).toMatch(/step the backward pass/);
  });

  it('ignores other widgets', () => {
    expect(saturate({ ...stepperState({ w1: 5 }, finished), kind: 'gradient-flow', snapshot: undefined }).met).toBe(false);
  });
});
