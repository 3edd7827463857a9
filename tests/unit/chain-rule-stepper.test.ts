import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { autodiffGradients } from '../../src/widgets/chain-rule-stepper/autodiff';
import {
  backward,
  buildSteps,
  finiteDifferenceGradients,
  formatNumber,
  forward,
  gradientsAgree,
} from '../../src/widgets/chain-rule-stepper/math';
import { defaultSettings, mergeSettings, numberSpec, parseNumberInput } from '../../src/widgets/chain-rule-stepper/settings';
import type { StepperSettings } from '../../src/widgets/chain-rule-stepper/types';
import { NUMBER_SETTING_NAMES, PARAM_NAMES } from '../../src/widgets/chain-rule-stepper/types';

/** Small seeded generator (mulberry32) so a failure can be reproduced. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CONFIGS = [
  { activation: 'sigmoid', output: 'linear' },
  { activation: 'tanh', output: 'linear' },
  { activation: 'sigmoid', output: 'sigmoid' },
  { activation: 'tanh', output: 'sigmoid' },
] as const;

/** 24 random networks: every number uniform in [-3, 3], six per activation/output pair. */
function randomCases(): StepperSettings[] {
  const random = seededRandom(20261127);
  const cases: StepperSettings[] = [];
  for (let i = 0; i < 24; i++) {
    const s = { ...defaultSettings(), ...CONFIGS[i % CONFIGS.length] };
    for (const name of NUMBER_SETTING_NAMES) s[name] = Math.round((random() * 6 - 3) * 1000) / 1000;
    cases.push(s);
  }
  return cases;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('hand-derived gradients', () => {
  it.each(randomCases().map((s, i) => [i, s] as const))('case %i agrees with central finite differences', (_i, s) => {
    const hand = backward(s).params;
    const numeric = finiteDifferenceGradients(s, 1e-5);
    for (const name of PARAM_NAMES) {
      expect(Math.abs(hand[name] - numeric[name]), name).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(numeric[name])));
    }
  });

  it.each(randomCases().map((s, i) => [i, s] as const))('case %i agrees with tf.grads on the cpu backend', (_i, s) => {
    const hand = backward(s).params;
    const autodiff = autodiffGradients(s);
    for (const name of PARAM_NAMES) {
      // TF.js works in float32: about 7 significant digits, fewer where ŷ − y cancels.
      expect(Math.abs(hand[name] - autodiff[name]), name).toBeLessThanOrEqual(
        1e-4 * Math.max(Math.abs(hand[name]), Math.abs(autodiff[name])) + 1e-6,
      );
    }
    expect(gradientsAgree(hand, autodiff).agree).toBe(true);
  });

  it('leaves no tensors behind in TF.js', () => {
    const before = tf.memory().numTensors;
    autodiffGradients(defaultSettings());
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports disagreement when one gradient is off by 1%', () => {
    const s = defaultSettings();
    const hand = backward(s).params;
    const wrong = { ...hand, w2: hand.w2 * 1.01 };
    expect(gradientsAgree(wrong, autodiffGradients(s)).agree).toBe(false);
  });

  it('computes the default network the chapter works through', () => {
    const v = forward(defaultSettings());
    // z1 = 0.5·1 − 0.3·0.5 + 0.1 = 0.45; z2 = −0.4·1 + 0.8·0.5 + 0 = 0.
    expect(v.z1).toBeCloseTo(0.45, 12);
    expect(v.z2).toBeCloseTo(0, 12);
    expect(v.h2).toBeCloseTo(0.5, 12);
    expect(v.yHat).toBe(v.z3);
  });
});

describe('step list', () => {
  it.each(CONFIGS)('has the documented order for %o', (config) => {
    const steps = buildSteps({ ...defaultSettings(), ...config });
    const sigmoidOut = config.output === 'sigmoid';
    const forwardIds = steps.filter((s) => s.phase === 'forward').map((s) => s.id);
    const backwardIds = steps.filter((s) => s.phase === 'backward').map((s) => s.id);
    expect(forwardIds).toEqual([
      'forward:z1', 'forward:h1', 'forward:z2', 'forward:h2',
      ...(sigmoidOut ? ['forward:z3'] : []), 'forward:yHat', 'forward:loss',
    ]);
    expect(backwardIds).toEqual([
      'backward:yHat', ...(sigmoidOut ? ['backward:z3'] : []),
      'backward:w5', 'backward:w6', 'backward:b3', 'backward:h1', 'backward:h2',
      'backward:z1', 'backward:w1', 'backward:w2', 'backward:b1',
      'backward:z2', 'backward:w3', 'backward:w4', 'backward:b2',
    ]);
    expect(steps.length).toBe(sigmoidOut ? 22 : 20);
  });

  it.each(randomCases().slice(0, 8).map((s, i) => [i, s] as const))(
    'case %i: every backward step is an earlier gradient times one local derivative',
    (_i, s) => {
      const steps = buildSteps(s);
      const { nodes, params } = backward(s);
      const byId = new Map(steps.map((step) => [step.id, step]));
      steps.forEach((step, index) => {
        if (step.phase !== 'backward' || !step.upstream || !step.local) return;
        const source = byId.get(step.upstream.stepId);
        expect(source, step.id).toBeDefined();
        // The reused gradient was computed at an earlier step, and is exactly that step's value.
        expect(steps.indexOf(source!)).toBeLessThan(index);
        expect(step.upstream.value).toBe(source!.value);
        expect(step.value).toBeCloseTo(step.upstream.value * step.local.value, 12);
      });
      for (const name of PARAM_NAMES) expect(byId.get(`backward:${name}`)!.value).toBe(params[name]);
      expect(byId.get('backward:h1')!.value).toBe(nodes.h1);
    },
  );

  it('describes each step in words with its numbers', () => {
    const steps = buildSteps(defaultSettings());
    const h1 = steps.find((s) => s.id === 'backward:h1')!;
    const { nodes } = backward(defaultSettings());
    expect(h1.text).toBe(
      `Backward step 5 of 14: ∂L/∂h1 = ∂L/∂ŷ · w5 = ${formatNumber(nodes.yHat)} × 0.7 = ${formatNumber(nodes.h1)}`,
    );
    expect(steps[0].text).toBe('Forward step 1 of 6: z1 = w1·x1 + w2·x2 + b1 = 0.5 × 1 + (−0.3) × 0.5 + 0.1 = 0.45');
  });
});

describe('number input', () => {
  const spec = numberSpec('w1');
  it.each([
    ['0.5', 0.5], ['-1.25', -1.25], ['\u22120.5', -0.5], ['0,5', 0.5], ['.5', 0.5], ['+2', 2], ['1e-3', 0.001], [' 3 ', 3],
  ])('reads %s as %d', (text, value) => {
    expect(parseNumberInput(text, spec)).toEqual({ ok: true, value });
  });
  it.each(['', 'abc', '1.2.3', '-', '0x10', 'Infinity', '1e'])('rejects %s with a message', (text) => {
    const result = parseNumberInput(text, spec);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/number from -10 to 10/);
  });
  it('rejects values out of range and says so', () => {
    const result = parseNumberInput('12', spec);
    expect(result).toEqual({ ok: false, message: '12 is out of range: use a number from -10 to 10.' });
  });
  it('merges valid settings and lists the rejected ones', () => {
    const { settings, rejected } = mergeSettings(defaultSettings(), { w1: '0.9', x2: 'abc', activation: 'tanh', output: 'relu', bogus: 1 });
    expect(settings.w1).toBe(0.9);
    expect(settings.x2).toBe(defaultSettings().x2);
    expect(settings.activation).toBe('tanh');
    expect(settings.output).toBe('linear');
    expect(rejected.sort()).toEqual(['bogus', 'output', 'x2']);
  });
  it('formats numbers with a typographic minus and no trailing zeros', () => {
    expect(formatNumber(-0.048)).toBe('\u22120.048');
    expect(formatNumber(0.5)).toBe('0.5');
    expect(formatNumber(0.123456789, 8)).toBe('0.12345679');
    expect(formatNumber(2.5e-7)).toBe('2.5e-7');
  });
});
