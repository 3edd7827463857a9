/**
 * Numbers the chapters state about their widgets and exercises, checked against the widgets' own
 * code: the chain-rule stepper's math for chapter 1, and the headless experiments (wasm backend, as
 * in the browser) with each lab's preset read from the chapter's MDX for chapters 2 and 3. The
 * tolerances follow the wording of each claim ("about 16", "380 to 670 times", "about half").
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import type { Divergence, SettingsValues, StepRecord } from '~/engine/types';
import { backward, forward } from '~/widgets/chain-rule-stepper/math';
import { defaultSettings } from '~/widgets/chain-rule-stepper/settings';
import { gradientFlowExperiment } from '~/widgets/gradient-flow/experiment';
import { degradationExperiment } from '~/widgets/degradation/experiment';
import { summarizeDegradation } from '~/widgets/degradation/results';
import { degradationSettings } from '~/widgets/degradation/settings';
import { resolveSettings } from '~/engine/settings';
import { computeShattered } from '~/widgets/shattered-gradients/experiment';
import { correlationAt } from '~/widgets/shattered-gradients/correlation';
import { firstDepthBelowHalf } from '~/widgets/shattered-gradients/challenges';
import { shatteredSettings } from '~/widgets/shattered-gradients/settings';

/** Reads a file of the course content. */
function content(path: string): string {
  return readFileSync(new URL(`../../content/${path}`, import.meta.url), 'utf8');
}

/** The `answer={...}` of the exercise with this id in an exercises MDX file. */
function exerciseAnswer(file: string, id: string): number {
  const source = content(`exercises/${file}`);
  const start = source.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`no exercise ${id} in ${file}`);
  const match = /answer=\{([^}]+)\}/.exec(source.slice(start, start + 400));
  if (!match) throw new Error(`exercise ${id} has no answer`);
  return Number(match[1]);
}

describe('chapter 1: backpropagation', () => {
  const settings = defaultSettings();
  const { nodes } = backward(settings, forward(settings));

  it('the fan-out exercise: ∂L/∂x1 is the sum over both paths, as its key says', () => {
    const twoPaths = nodes.z1 * settings.w1 + nodes.z2 * settings.w3;
    expect(twoPaths).toBeCloseTo(-0.0829, 4);
    expect(Math.abs(exerciseAnswer('backprop.mdx', 'backprop-fan-out') - twoPaths)).toBeLessThan(0.0005);
    // The figures the exercise gives and its feedback ranges.
    expect(nodes.z1).toBeCloseTo(-0.1036, 4);
    expect(nodes.z2).toBeCloseTo(0.0778, 4);
    expect(nodes.z1 * settings.w1).toBeCloseTo(-0.0518, 4);
    expect(nodes.z2 * settings.w3).toBeCloseTo(-0.0311, 4);
  });

  it('"Saturate a unit": w1 = 6 cuts the slope to 0.0026 and ∂L/∂w1 some 160 times', () => {
    const saturated = { ...settings, w1: 6 };
    const values = forward(saturated);
    expect(values.z1).toBeCloseTo(5.95, 10);
    expect(values.h1).toBeCloseTo(0.9974, 4);
    expect(values.h1 * (1 - values.h1)).toBeCloseTo(0.0026, 4);
    const before = backward(settings, forward(settings)).params.w1;
    const after = backward(saturated, values).params.w1;
    expect(before).toBeCloseTo(-0.1036, 4);
    expect(after).toBeCloseTo(-0.00064, 5);
    expect(before / after).toBeGreaterThan(150);
    expect(before / after).toBeLessThan(170);
  });

  it('ten sigmoid layers, one slope each: the keys of both chapters use (1/4)^10', () => {
    expect(exerciseAnswer('vanishing-gradients.mdx', 'vg-ten-sigmoid-layers')).toBe(0.25 ** 10);
    expect(0.25 ** 10).toBeCloseTo(9.5e-7, 8);
  });
});

/** A lab's preset as the chapter's MDX embeds it: `<GradientFlow id="…" … preset={{ … }} />`. */
function labPreset(lesson: string, id: string): SettingsValues {
  const source = content(`${lesson}.mdx`);
  const match = new RegExp(`<GradientFlow id="${id}"[\\s\\S]*?preset=\\{(\\{[^}]*\\})\\}`).exec(source);
  if (!match) throw new Error(`no gradient-flow lab ${id} in ${lesson}.mdx`);
  // The preset is a plain object literal of strings and numbers.
  return new Function(`return ${match[1]};`)() as SettingsValues;
}

/** Trains a gradient-flow lab headless and returns its records, in step order. */
function trainLab(settings: SettingsValues, steps: number): { records: StepRecord[]; divergences: readonly Divergence[] } {
  const run = gradientFlowExperiment.create(settings);
  try {
    const records = run.train(steps);
    return { records, divergences: run.divergences() };
  } finally {
    run.dispose();
  }
}

const at = (records: readonly StepRecord[], step: number): StepRecord => {
  const record = records.find((r) => r.step === step);
  if (!record) throw new Error(`no record for step ${step}`);
  return record;
};
const last = (values: readonly number[]): number => values[values.length - 1];
const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;
/** log10(last hidden layer's gradient norm / first layer's). */
const ordersApart = (record: StepRecord): number => Math.log10(last(record.gradNorms) / record.gradNorms[0]);
/** The lab's "final loss": mean over the last 20 steps. */
const finalLoss = (records: readonly StepRecord[], upTo = records.length): number =>
  mean(records.slice(Math.max(0, upTo - 20), upTo).map((r) => r.loss));

describe('chapter 2: vanishing and exploding gradients, headless', () => {
  beforeAll(async () => {
    tf.env().set('PROD', true);
    await tf.setBackend('wasm');
    await tf.ready();
  });

  const naive = labPreset('lessons/vanishing-gradients', 'vg-naive-sigmoid');

  it('the exercise lab is the first lab with a longer run', () => {
    expect(labPreset('exercises/vanishing-gradients', 'vg-exercise-lab')).toEqual(naive);
  });

  it('30 sigmoid layers, naive 0.01: two orders per layer, 9 to 13 layers at exactly zero, Adam cannot move the first twenty', () => {
    const { records } = trainLab(naive, 1000);
    const first = at(records, 1).gradNorms;
    // "every layer costs two orders of magnitude": ratio of neighbouring non-zero layers.
    const ratios = first.slice(1).map((g, i) => g / first[i]).filter((r, i) => first[i] > 0 && Number.isFinite(r));
    const sorted = [...ratios].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeGreaterThan(50);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(200);
    // Nothing between 0 and the float32 normal range: smaller values are flushed to exactly zero.
    const nonZero = records.flatMap((r) => r.gradNorms.filter((g) => g > 0));
    expect(Math.min(...nonZero)).toBeGreaterThan(1.1e-38);
    // "the first ten or so are exactly zero"; the exercise: "nine to thirteen".
    const zeros = records.map((r) => r.gradNorms.filter((g) => g === 0).length);
    expect(Math.min(...zeros)).toBe(9);
    expect(Math.max(...zeros)).toBe(13);
    for (const record of records) {
      const zeroLayers = record.gradNorms.findIndex((g) => g > 0);
      expect(record.gradNorms.slice(0, zeroLayers).every((g) => g === 0)).toBe(true);
    }
    // The first 600 steps are the chapter's lab.
    const lab = records.slice(0, 600);
    expect(Math.max(...records.flatMap((r) => r.gradNorms.slice(0, 18)))).toBeLessThan(1e-19);
    expect(Math.max(...lab.flatMap((r) => r.updateRatios.slice(0, 20)))).toBeLessThan(1e-10);
    expect(Math.max(...records.flatMap((r) => r.updateRatios.slice(0, 20)))).toBeLessThan(1e-10);
    // The loss stays at a coin toss's 0.69.
    expect(finalLoss(records, 600)).toBeGreaterThan(0.68);
    expect(finalLoss(records, 600)).toBeLessThan(0.71);
    expect(finalLoss(records)).toBeLessThan(0.71);
  }, 300_000);

  it('the same at 3 layers: about four orders apart at step 1, about one later, and no learning in 600 steps', () => {
    const { records } = trainLab({ ...naive, depth: 3 }, 600);
    expect(ordersApart(at(records, 1))).toBeGreaterThan(3.5);
    expect(ordersApart(at(records, 1))).toBeLessThan(5);
    const later = records.filter((r) => r.step >= 200).map(ordersApart).sort((a, b) => a - b);
    expect(later[Math.floor(later.length / 2)]).toBeGreaterThan(0.5);
    expect(later[Math.floor(later.length / 2)]).toBeLessThan(1.5);
    expect(finalLoss(records)).toBeGreaterThan(0.68);
  }, 120_000);

  it('initialisation alone does not rescue the sigmoid: gaps of 18, 14, 8.6 and 2.4 orders, saturation, loss at 0.69', () => {
    const runs = {
      glorot: { ...naive, init: 'glorot', initScale: 1 },
      he: { ...naive, init: 'he', initScale: 1 },
      glorot4: { ...naive, init: 'glorot', initScale: 4 },
      glorot10: { ...naive, init: 'glorot', initScale: 10 },
      naive5: { ...naive, init: 'naive', initScale: 5 },
    };
    // Glorot and He run the exercise lab's 1,000 steps (its solution cites them); the others the chapter lab's 600.
    const steps = (name: string) => (name === 'glorot' || name === 'he' ? 1000 : 600);
    const trained = Object.fromEntries(Object.entries(runs).map(([name, settings]) => [name, trainLab(settings, steps(name)).records]));
    const gap = (name: string) => ordersApart(at(trained[name], 1));
    expect(Math.abs(gap('glorot') - 18)).toBeLessThan(0.7);
    expect(Math.abs(gap('he') - 14)).toBeLessThan(0.7);
    // "a factor of roughly a quarter to a third per layer" (29 factors between layers 1 and 30).
    for (const name of ['glorot', 'he']) {
      const factor = 10 ** (-gap(name) / 29);
      expect(factor).toBeGreaterThan(0.2);
      expect(factor).toBeLessThan(0.35);
    }
    expect(Math.abs(gap('glorot4') - 8.6)).toBeLessThan(0.3);
    expect(Math.abs(gap('glorot10') - 2.4)).toBeLessThan(0.3);
    // Naive, standard deviation 5: the first layer's gradient is about 100 times the last's.
    expect(-gap('naive5')).toBeGreaterThan(Math.log10(60));
    expect(-gap('naive5')).toBeLessThan(Math.log10(160));
    const saturated = (name: string) => mean(at(trained[name], 1).activations!.saturated);
    expect(saturated('glorot10')).toBeGreaterThan(0.4);
    expect(saturated('glorot10')).toBeLessThan(0.6);
    expect(saturated('naive5')).toBeGreaterThan(0.65);
    expect(saturated('naive5')).toBeLessThan(0.78);
    for (const [name, records] of Object.entries(trained)) {
      for (const upTo of [600, steps(name)]) {
        expect(finalLoss(records, upTo), `${name} at ${upTo}`).toBeGreaterThan(0.68);
        expect(finalLoss(records, upTo), `${name} at ${upTo}`).toBeLessThan(0.72);
      }
    }
  }, 600_000);

  it('exploding lab: about 16, 22 and a middle peak of about 650 at step 1, every layer 1,100-2,000× too large, diverged at step 2', () => {
    const exploding = labPreset('lessons/vanishing-gradients', 'vg-exploding');
    const { records, divergences } = trainLab(exploding, 300);
    const step1 = at(records, 1).gradNorms;
    expect(step1[0]).toBeGreaterThan(14);
    expect(step1[0]).toBeLessThan(18.5);
    expect(last(step1)).toBeGreaterThan(19);
    expect(last(step1)).toBeLessThan(25);
    const peak = Math.max(...step1);
    expect(peak).toBeGreaterThan(580);
    expect(peak).toBeLessThan(720);
    expect(step1.indexOf(peak) + 1).toBe(17);
    expect(divergences.map((d) => d.step)).toEqual([2]);
    expect(at(records, 2).gradNorms[0]).toBeGreaterThan(1e19);
    expect(at(records, 2).gradNorms[0]).toBeLessThan(1e21);

    const heScale = trainLab({ ...exploding, initScale: 1 }, 300);
    const ratios = at(heScale.records, 1).gradNorms.map((g, i) => step1[i] / g);
    expect(Math.min(...ratios)).toBeGreaterThan(1000);
    expect(Math.min(...ratios)).toBeLessThan(1200);
    expect(Math.max(...ratios)).toBeGreaterThan(1900);
    expect(Math.max(...ratios)).toBeLessThan(2100);
    // At He's own scale the run survives, but its loss stays near 0.69 in 300 steps.
    expect(heScale.divergences).toEqual([]);
    expect(finalLoss(heScale.records)).toBeGreaterThan(0.68);
    expect(finalLoss(heScale.records)).toBeLessThan(0.71);
  }, 120_000);

  it('the clipping challenge\'s solution: clipping at 1 brings the loss below 0.2 within about 200 steps', () => {
    const { records, divergences } = trainLab({ ...labPreset('lessons/vanishing-gradients', 'vg-exploding'), clipNorm: 1 }, 300);
    expect(divergences).toEqual([]);
    const firstBelow = records.findIndex((_, i) => i >= 19 && finalLoss(records, i + 1) < 0.2) + 1;
    expect(firstBelow).toBeGreaterThan(100);
    expect(firstBelow).toBeLessThanOrEqual(220);
    expect(finalLoss(records)).toBeLessThan(0.2);
  }, 120_000);

  it('batch norm on the sigmoid lab: the loss falls below 0.4 and the first layer gets the larger gradient', () => {
    const { records } = trainLab(labPreset('lessons/vanishing-gradients', 'vg-batchnorm'), 600);
    expect(finalLoss(records)).toBeLessThan(0.4);
    const larger = records.filter((r) => r.gradNorms[0] > last(r.gradNorms)).length;
    expect(larger / records.length).toBeGreaterThan(0.95);
    const orders = records.map((r) => Math.abs(ordersApart(r)));
    expect(Math.max(...orders)).toBeGreaterThan(3.5);
    expect(Math.max(...orders)).toBeLessThan(5);
  }, 300_000);
});

describe('chapter 3: the degradation lab and shattered gradients, headless', () => {
  beforeAll(async () => {
    tf.env().set('PROD', true);
    await tf.setBackend('wasm');
    await tf.ready();
  });

  /** The chapter's table of final losses: hidden layers → [plain seeds, residual seeds]. */
  function chapterTable(): Map<number, { none: number[]; residual: number[] }> {
    const source = content('lessons/degradation.mdx');
    const seeds = String.raw`(\d\.\d+(?:, \d\.\d+)+)`;
    const rows = [...source.matchAll(new RegExp(String.raw`^\| (\d+) +\| ${seeds} +\| ${seeds} +\|$`, 'gm'))];
    return new Map(rows.map((row) => [Number(row[1]), { none: row[2].split(', ').map(Number), residual: row[3].split(', ').map(Number) }]));
  }

  it('the default run reproduces the chapter\'s table; plain-32 ends near ln 2 with gradients that grow towards the input', () => {
    const table = chapterTable();
    expect([...table.keys()]).toEqual([2, 8, 16, 32]);
    // The lab's defaults, trained for its default number of steps (300), as the table says.
    const defaults = resolveSettings(degradationSettings, {});
    expect(defaults.steps).toBe(300);
    const run = degradationExperiment.create(defaults);
    try {
      const records = run.train(Number(defaults.steps));
      expect(Math.max(...records.map((r) => r.step))).toBe(300);
      const summary = summarizeDegradation(run.runs, records);
      for (const entry of summary) {
        const stated = table.get(entry.depth)![entry.skip][entry.seed - 1];
        expect(Math.abs(entry.finalLoss - stated), `${entry.skip} ${entry.depth} seed ${entry.seed}`).toBeLessThanOrEqual(0.006);
      }
      for (const entry of summary.filter((e) => e.skip === 'none' && e.depth === 32)) {
        expect(Math.abs(entry.finalLoss - Math.LN2)).toBeLessThan(0.05);
      }
      // Gradient norms of the 32-layer networks: first layer over last layer.
      const ratio = (r: StepRecord) => r.gradNorms[0] / last(r.gradNorms);
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
      const atStep1: number[] = [];
      for (const info of run.runs.filter((r) => r.depth === 32)) {
        const own = records.filter((r) => r.run === info.id);
        if (info.skip === 'none') atStep1.push(ratio(own[0]));
        // "From step 100 on, typically 20 to 60 times", plain and residual alike.
        const typical = median(own.filter((r) => r.step > 100).map(ratio));
        expect(typical, info.label).toBeGreaterThan(15);
        expect(typical, info.label).toBeLessThan(70);
      }
      // "380 to 670 times" at step 1 (chapters 2 and 3).
      expect(Math.min(...atStep1)).toBeGreaterThan(350);
      expect(Math.min(...atStep1)).toBeLessThan(410);
      expect(Math.max(...atStep1)).toBeGreaterThan(630);
      expect(Math.max(...atStep1)).toBeLessThan(710);
    } finally {
      run.dispose();
    }
  }, 900_000);

  it('the linked gradient-flow lab is the plain-32 network of seed 1: identical at the first step', () => {
    const source = content('lessons/degradation.mdx');
    const link = /\]\((\/lab\/gradient-flow\/\?[^)]+)\)/.exec(source);
    expect(link).not.toBeNull();
    const fromLink: SettingsValues = {};
    for (const [name, value] of new URLSearchParams(link![1].split('?')[1])) {
      const key = name.replace(/^lab\./, '');
      fromLink[key] = Number.isNaN(Number(value)) ? value : Number(value);
    }
    const flow = trainLab(fromLink, 1).records[0];
    const lab = degradationExperiment.create({ depths: '2,32', seeds: 1 });
    try {
      const records = lab.train(1);
      const plain32 = lab.runs.find((r) => r.skip === 'none' && r.depth === 32)!;
      const record = records.find((r) => r.run === plain32.id)!;
      expect(flow.loss).toBeCloseTo(record.loss, 5);
      flow.gradNorms.forEach((g, i) => expect(g / record.gradNorms[i]).toBeCloseTo(1, 4));
    } finally {
      lab.dispose();
    }
  }, 120_000);

  it('shattered gradients at the widget\'s defaults: plain below 0.5 by 8 layers and near 0 from 12 on; residual above 0.6 at 50', () => {
    const snapshot = computeShattered({});
    expect(firstDepthBelowHalf(snapshot, 'none')).toBe(8);
    for (const depth of [12, 16, 24, 32, 40, 50]) expect(Math.abs(correlationAt(snapshot, 'none', depth)!)).toBeLessThan(0.3);
    expect(correlationAt(snapshot, 'residual', 50)!).toBeGreaterThan(0.6);
    expect(shatteredSettings.find((s) => s.key === 'width')!.default).toBe(64);
  });
});
