import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { degradationExperiment, degradationRunSpecs } from '~/widgets/degradation/experiment';
import { mlpShardRunIds } from '~/engine/trainer';
import { extremes, finalLossOf, isWorse, resultsByDepth, summarizeDegradation } from '~/widgets/degradation/results';
import { DEPTH_LISTS, degradationSettings } from '~/widgets/degradation/settings';
import type { RunInfo, StepRecord } from '~/engine/types';
import { resolveSettings, runLength } from '~/engine/settings';

function record(run: number, step: number, loss: number): StepRecord {
  return { run, step, loss, gradNorms: [], weightNorms: [], updateRatios: [] };
}

describe('degradation run specs', () => {
  it('trains every depth of the chosen list as plain and residual, from every seed, with identical training settings', () => {
    const specs = degradationRunSpecs({ depths: '2,8,16,32', seeds: 3 });
    expect(specs).toHaveLength(4 * 2 * 3);
    expect(new Set(specs.map((s) => `${s.network.skip}:${s.network.depth}:${s.network.seed}`)).size).toBe(24);
    expect(new Set(specs.map((s) => JSON.stringify(s.train))).size).toBe(1);
    for (const spec of specs) {
      expect(spec.network).toMatchObject({ activation: 'relu', init: 'he', norm: 'batch', width: 16 });
    }
  });

  it('offers only depth lists the engine can build, with the shallow baseline first', () => {
    const option = degradationSettings.find((s) => s.key === 'depths')!;
    for (const { value } of option.options) {
      const depths = DEPTH_LISTS[value as keyof typeof DEPTH_LISTS];
      expect(depths.length).toBeGreaterThanOrEqual(2);
      expect([...depths].sort((a, b) => a - b)).toEqual([...depths]);
      expect(Math.max(...depths)).toBeLessThanOrEqual(50);
    }
  });

  it('rejects unknown depth lists and out-of-range settings with a message naming the setting', () => {
    expect(() => degradationRunSpecs({ depths: '2,99' })).toThrow(/depths/);
    expect(() => degradationRunSpecs({ seeds: 9 })).toThrow(/seeds/);
  });
});

describe('degradation results', () => {
  it('final loss is the mean of the last 20 records of a run', () => {
    const records = Array.from({ length: 30 }, (_, i) => record(0, i + 1, i < 10 ? 100 : 2));
    expect(finalLossOf(records)).toBe(2);
    expect(finalLossOf([])).toBeNaN();
  });

  it('groups runs by skip and depth across seeds, leaving diverged seeds out of the mean', () => {
    const runs: RunInfo[] = [
      { id: 0, label: 'a', layers: [], skip: 'none', depth: 2, seed: 1 },
      { id: 1, label: 'b', layers: [], skip: 'none', depth: 2, seed: 2 },
      { id: 2, label: 'c', layers: [], skip: 'none', depth: 32, seed: 1 },
      { id: 3, label: 'd', layers: [], skip: 'none', depth: 32, seed: 2 },
      { id: 4, label: 'e', layers: [], skip: 'residual', depth: 2, seed: 1 },
    ];
    const records = [record(0, 1, 0.2), record(1, 1, 0.4), record(2, 1, 0.9), record(3, 1, 5), record(4, 1, 0.1)];
    const results = resultsByDepth(summarizeDegradation(runs, records, new Set([3])));
    expect(results.map((r) => `${r.skip}:${r.depth}`)).toEqual(['none:2', 'none:32', 'residual:2']);
    expect(results[0].mean).toBeCloseTo(0.3);
    expect(results[1]).toMatchObject({ mean: 0.9, losses: [0.9], diverged: 1 });
    const plain = extremes(results, 'none')!;
    expect(isWorse(plain.deep, plain.shallow)).toBe(true);
    expect(extremes(results, 'residual')).toBeUndefined();
  });
});

describe('degradation experiment, trained headless (small settings)', () => {
  beforeAll(async () => {
    // The wasm backend (as in the browser) is about three times faster than the cpu one here.
    tf.env().set('PROD', true);
    await tf.setBackend('wasm');
    await tf.ready();
  });

  it('reproduces the direction of the effect: deep plain worse than shallow plain, deep residual no worse than shallow residual', () => {
    // Two depths, two seeds and fewer steps than the lab's defaults, to keep the test short.
    const settings = { depths: '2,32', seeds: 2, steps: 150 };
    const run = degradationExperiment.create(settings);
    try {
      // The lab's run length is its `steps` setting: the worker and the CLI stop there.
      const records = run.train(runLength(degradationExperiment, resolveSettings(degradationSettings, settings)));
      expect(Math.max(...records.map((r) => r.step))).toBe(150);
      expect(run.divergences()).toEqual([]);
      const summary = degradationExperiment.summarize!(run.runs, records) as ReturnType<typeof summarizeDegradation>;
      expect(summary).toHaveLength(2 * 2 * 2);
      for (const entry of summary) expect(Object.keys(entry)).toEqual(expect.arrayContaining(['skip', 'depth', 'seed', 'finalLoss']));
      const results = resultsByDepth(summary);
      const plain = extremes(results, 'none')!;
      const residual = extremes(results, 'residual')!;
      // Every deep plain seed ends above every shallow plain seed, and the means by a margin.
      expect(Math.min(...plain.deep.losses)).toBeGreaterThan(Math.max(...plain.shallow.losses));
      expect(plain.deep.mean).toBeGreaterThan(plain.shallow.mean * 1.1);
      // The deep residual network is no worse than the shallow one.
      expect(residual.deep.mean).toBeLessThanOrEqual(residual.shallow.mean);
    } finally {
      run.dispose();
    }
    // About 10 s of CPU on an idle 2-core machine; the limit leaves room for a busy one.
  }, 240_000);
});

describe('degradation experiment split over a pool of workers', () => {
  beforeAll(async () => {
    tf.env().set('PROD', true);
    await tf.setBackend('wasm');
    await tf.ready();
  });

  it('deals every run to exactly one shard, keeps the seeds of one network together and balances the work', () => {
    const specs = degradationRunSpecs({});
    for (const count of [1, 2, 3, 4, 8, 12]) {
      const shards = Array.from({ length: count }, (_, index) => mlpShardRunIds(specs, index, count));
      expect(shards.flat().sort((a, b) => a - b)).toEqual(specs.map((_, id) => id));
      for (const ids of shards) {
        const networks = new Set(ids.map((id) => `${specs[id].network.skip}:${specs[id].network.depth}`));
        for (const network of networks) {
          expect(ids.filter((id) => `${specs[id].network.skip}:${specs[id].network.depth}` === network)).toHaveLength(3);
        }
      }
    }
    // Default lab on two workers: hidden layers per shard (plain and residual 2, 8, 16, 32) split evenly.
    const layers = (ids: number[]) => ids.reduce((sum, id) => sum + specs[id].network.depth + 2, 0);
    expect(layers(mlpShardRunIds(specs, 0, 2))).toBe(layers(mlpShardRunIds(specs, 1, 2)));
  });

  it('gives every run the same records in its shard as in the whole experiment', () => {
    const settings = { depths: '2,32', seeds: 2, steps: 30 };
    const whole = degradationExperiment.create(settings);
    const parts = [0, 1].map((index) => degradationExperiment.createShard!(settings, { index, count: 2 }));
    try {
      const expected = whole.train(30);
      const pooled = parts.flatMap((part) => part.train(30));
      expect(parts.map((part) => part.runs.length)).toEqual([4, 4]);
      expect(parts.flatMap((part) => part.runs.map((run) => run.id)).sort((a, b) => a - b)).toEqual(whole.runs.map((run) => run.id));
      const byRunAndStep = (a: StepRecord, b: StepRecord) => a.run - b.run || a.step - b.step;
      expect(pooled.sort(byRunAndStep)).toEqual(expected.sort(byRunAndStep));
    } finally {
      whole.dispose();
      parts.forEach((part) => part.dispose());
    }
  }, 240_000);
});
