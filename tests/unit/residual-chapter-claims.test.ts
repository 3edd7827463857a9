/**
 * Numbers chapter 4 (content/lessons/residual.mdx and its exercises) states about the gradient-flow
 * labs and in its exercise keys, checked against the headless experiment (wasm backend, as in the
 * browser) and plain arithmetic. The lesion and landscape labs' numbers are checked in
 * lesion.test.ts and loss-landscape.test.ts.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { gradientFlowExperiment } from '~/widgets/gradient-flow/experiment';
import { measures } from '~/widgets/gradient-flow/challenges';
import { defaultSettings, runLength } from '~/engine/settings';
import type { StepRecord, WidgetState } from '~/engine/types';

function content(path: string): string {
  return readFileSync(new URL(`../../content/${path}`, import.meta.url), 'utf8');
}

function exerciseAnswer(id: string): number {
  const source = content('exercises/residual.mdx');
  const start = source.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`no exercise ${id}`);
  const match = /answer=\{([^}]+)\}/.exec(source.slice(start, start + 400));
  if (!match) throw new Error(`exercise ${id} has no answer`);
  return Number(match[1]);
}

describe('chapter 4: exercise keys', () => {
  it('a shortcut scaled by 0.5 in each of 54 blocks multiplies the direct term by 0.5^54 ≈ 5.55e-17', () => {
    expect(Math.abs(exerciseAnswer('res-scaled-shortcut') - 0.5 ** 54) / 0.5 ** 54).toBeLessThan(0.01);
    // The lesson's rounding of the same product.
    expect(0.5 ** 54).toBeGreaterThan(5e-17);
    expect(0.5 ** 54).toBeLessThan(6e-17);
  });

  it('paths through exactly 3 of 10 blocks: C(10, 3) = 120 of 2^10', () => {
    const choose = (n: number, k: number): number => (k === 0 ? 1 : (choose(n - 1, k - 1) * n) / k);
    expect(exerciseAnswer('res-path-count')).toBe(choose(10, 3));
    expect(choose(10, 3)).toBe(120);
  });
});

describe('chapter 4: the two gradient-flow labs (defaults, skip off and on)', () => {
  beforeAll(async () => {
    tf.env().set('PROD', true);
    await tf.setBackend('wasm');
    await tf.ready();
  });

  function lastRecord(skip: 'none' | 'residual'): StepRecord[] {
    const settings = { ...defaultSettings(gradientFlowExperiment.settings), skip };
    const run = gradientFlowExperiment.create(settings);
    try {
      const records = run.train(runLength(gradientFlowExperiment, settings));
      expect(run.divergences()).toEqual([]);
      return records;
    } finally {
      run.dispose();
    }
  }

  it('plain: ~8e-23 at the first layer against ~2e-3 at the last, loss 0.73; residual: 0.23 against 0.035, loss 0.25, 91%', () => {
    const plainRecords = lastRecord('none');
    const plain = plainRecords[plainRecords.length - 1];
    expect(plain.step).toBe(2000);
    expect(plain.gradNorms[0]).toBeGreaterThan(5e-23);
    expect(plain.gradNorms[0]).toBeLessThan(1e-22);
    expect(plain.gradNorms[19].toFixed(3)).toBe('0.002');
    expect(Math.log10(plain.gradNorms[19] / plain.gradNorms[0])).toBeGreaterThan(18.5);
    expect(plain.loss.toFixed(2)).toBe('0.73');

    const residualRecords = lastRecord('residual');
    const residual = residualRecords[residualRecords.length - 1];
    expect(residual.gradNorms[0].toFixed(2)).toBe('0.23');
    expect(residual.gradNorms[19].toFixed(3)).toBe('0.035');
    expect(residual.loss.toFixed(2)).toBe('0.25');
    expect(Math.round(residual.accuracy! * 100)).toBe(91);
    // The chapter's predict-then-run reads this measure on the residual lab: "below-1".
    const state: WidgetState = { id: 'res-flow-residual', kind: 'gradient-flow', settings: {}, status: 'finished', step: 2000, runs: [], records: residualRecords, divergences: [] };
    expect(measures['gradient-flow/vg-orders-last-over-first'](state)?.value).toBe('below-1');
  }, 300_000);
});
