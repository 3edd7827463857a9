/**
 * The symmetry test (chapter 8): its summary helpers, and the numbers chapter 8 quotes from a run on
 * the defaults (`npm run experiment -- symmetry-test --json`, wasm like the browser). If a change to
 * the engine or the experiment moves them, update the table in content/lessons/symmetry.mdx and say
 * why in the commit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/engine/backend-node';
import { resolveSettings, runLength } from '../../src/engine/settings';
import { symmetryTestSettings } from '../../src/widgets/symmetry-test/settings';
import { symmetryTestExperiment, symmetryTestRunSpecs } from '../../src/widgets/symmetry-test/experiment';
import { distanceLossCorrelation, isSymmetrySnapshot, mergeSymmetrySnapshots, rankCorrelation, summarizeNetworks, type TestRunResult } from '../../src/widgets/symmetry-test/results';
import { measures } from '../../src/widgets/symmetry-test/challenges';
import { closesResidualBlock, resolveArchitecture } from '../../src/engine/mlp';
import type { WidgetState } from '../../src/engine/types';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe('symmetry test helpers', () => {
  it('ranks with ties and measures monotone relations', () => {
    expect(rankCorrelation([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(rankCorrelation([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    expect(rankCorrelation([1, 1, 2, 2], [1, 2, 3, 4])).toBeCloseTo(0.894, 3);
    expect(rankCorrelation([1, 2], [1, 2])).toBeNaN();
  });

  it('builds the same architecture for every network apart from its skips, seeds 1..n each', () => {
    const { specs, kinds } = symmetryTestRunSpecs({ seeds: 3 });
    expect(specs).toHaveLength(9);
    expect(kinds).toEqual(['plain', 'plain', 'plain', 'block', 'block', 'block', 'every-layer', 'every-layer', 'every-layer']);
    expect(new Set(specs.map((s) => JSON.stringify({ ...s.network, skip: undefined, blockSize: undefined, seed: undefined }))).size).toBe(1);
    expect(specs.map((s) => [s.network.skip, s.network.blockSize])).toContainEqual(['residual', 2]);
  });

  it('on its defaults the block network is a first layer, nine two-layer blocks and a last layer with its own skip (the chapter’s count)', () => {
    const settings = resolveSettings(symmetryTestSettings, {});
    const { specs, kinds } = symmetryTestRunSpecs(settings);
    const spec = specs[kinds.indexOf('block')];
    const architecture = resolveArchitecture(spec.network, spec.train);
    expect(architecture.depth).toBe(20);
    expect(architecture.width).toBe(8);
    // Hidden layers (0-based) where a skip is added: the ends of the nine blocks, then the last layer alone.
    const closes = Array.from({ length: architecture.depth }, (_, layer) => layer).filter((layer) => closesResidualBlock(architecture, layer));
    expect(closes).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 19]);
    // Inner units: the first layer of each two-layer block; with the stream, 8!·(8!)^9 ≈ 10^46.
    const inner = closes.filter((layer, i) => layer - (closes[i - 1] ?? 0) === 2).length;
    expect(inner).toBe(9);
    expect((1 + inner) * Math.log10(40320)).toBeCloseTo(46.06, 2);
    expect(architecture.depth * Math.log10(40320)).toBeCloseTo(92.11, 2);
  });

  it('summarises stuck runs per network', () => {
    const run = (network: TestRunResult['network'], loss: number, nearestPair: number): TestRunResult => ({ run: 0, network, seed: 1, step: 1, loss, nearestPair, closestPairSeen: nearestPair, dead: 0, eliminated: 0 });
    const summary = summarizeNetworks([run('plain', 0.6, 0.5), run('plain', 0.1, 0.4), run('block', 0.05, 0.5)]);
    expect(summary.map((s) => [s.network, s.stuck, s.runs])).toEqual([['plain', 1, 2], ['block', 0, 1], ['every-layer', 0, 0]]);
  });
});

describe('the symmetry test on a pool of workers', () => {
  it('gives every run the records and measurements it gets in one run, whatever the number of shards', () => {
    const settings = { seeds: 3, depth: 4, width: 6, steps: 200 };
    const trainAll = (run: ReturnType<typeof symmetryTestExperiment.create>) => {
      try {
        // Chunks of several sizes, as a worker trains them.
        const records = [...run.train(1), ...run.train(37), ...run.train(62), ...run.train(200)];
        return { runs: run.runs.map((info) => info.id), records, snapshot: run.snapshot?.() };
      } finally {
        run.dispose();
      }
    };
    const whole = trainAll(symmetryTestExperiment.create(settings));
    expect(whole.runs).toHaveLength(9);
    for (const count of [2, 3, 4]) {
      const shards = Array.from({ length: count }, (_, index) => trainAll(symmetryTestExperiment.createShard!(settings, { index, count })));
      // Each network's seeds stay one batch on one shard; with four shards one is empty.
      expect(shards.flatMap((shard) => shard.runs).sort((a, b) => a - b)).toEqual(whole.runs);
      expect(shards.filter((shard) => shard.runs.length === 0)).toHaveLength(count === 4 ? 1 : 0);
      const records = shards.flatMap((shard) => shard.records).sort((a, b) => a.step - b.step || a.run - b.run);
      expect(records).toEqual(whole.records);
      expect(mergeSymmetrySnapshots(shards.map((shard) => shard.snapshot))).toEqual(whole.snapshot);
    }
  }, 300_000);

  it('merges shard snapshots in run order at the step of the shard furthest behind', () => {
    const result = (run: number, step: number): TestRunResult => ({ run, network: 'plain', seed: run + 1, step, loss: 0.5, nearestPair: 1, closestPairSeen: 1, dead: 0, eliminated: 0 });
    expect(mergeSymmetrySnapshots([undefined, undefined])).toBeUndefined();
    expect(mergeSymmetrySnapshots([{ step: 200, results: [result(2, 200), result(3, 200)] }, undefined, { step: 100, results: [result(0, 100)] }])).toEqual({
      step: 100,
      results: [result(0, 100), result(2, 200), result(3, 200)],
    });
  });
});

describe('the symmetry test on its defaults (the numbers chapter 8 quotes)', () => {
  it('plain networks get stuck, both residual networks train, and closeness of units does not track the loss', () => {
    const run = symmetryTestExperiment.create({});
    let snapshot: unknown;
    try {
      run.train(runLength(symmetryTestExperiment, resolveSettings(symmetryTestSettings, {})));
      snapshot = run.snapshot?.();
    } finally {
      run.dispose();
    }
    if (!isSymmetrySnapshot(snapshot)) throw new Error('no snapshot');
    expect(snapshot.step).toBe(400);
    const [plain, block, every] = summarizeNetworks(snapshot.results);
    expect([plain.runs, block.runs, every.runs]).toEqual([10, 10, 10]);
    // The table in the chapter: median loss, runs above 0.4, median closest pair, rank correlation.
    expect(plain.medianLoss).toBeCloseTo(0.633, 2);
    expect(block.medianLoss).toBeCloseTo(0.073, 2);
    expect(every.medianLoss).toBeCloseTo(0.075, 2);
    expect([plain.stuck, block.stuck, every.stuck]).toEqual([9, 0, 0]);
    expect(plain.medianNearestPair).toBeCloseTo(0.55, 1);
    expect(block.medianNearestPair).toBeCloseTo(0.55, 1);
    expect(every.medianNearestPair).toBeCloseTo(0.6, 1);
    expect(distanceLossCorrelation(snapshot.results, 'plain')).toBeCloseTo(0.21, 1);
    expect(distanceLossCorrelation(snapshot.results, 'block')).toBeCloseTo(0.15, 1);
    expect(distanceLossCorrelation(snapshot.results, 'every-layer')).toBeCloseTo(-0.1, 1);
    // "No run came anywhere near an overlap singularity"; with batch norm no unit died.
    expect(Math.min(...snapshot.results.map((r) => r.closestPairSeen))).toBeGreaterThan(0.3);
    expect(snapshot.results.every((r) => r.dead === 0)).toBe(true);
    const state: WidgetState = { id: 't', kind: 'symmetry-test', settings: {}, status: 'finished', step: 400, runs: [], records: [], divergences: [], snapshot };
    expect(measures['symmetry-test/most-stuck'](state)?.value).toBe('plain');
  }, 900_000);
});
