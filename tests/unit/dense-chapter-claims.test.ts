/**
 * Numbers chapter 5 (content/lessons/dense.mdx and its exercises) states about its widgets and in
 * its exercise keys, checked against the headless dense-reuse experiment (wasm backend, as in the
 * browser) and the dense-block counts.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/engine/backend-node';
import type { SettingsValues, StepRecord, WidgetState } from '../../src/engine/types';
import { denseBlock } from '../../src/widgets/dense-block/math';
import { computeBlocks } from '../../src/widgets/dense-block/model';
import { denseReuseExperiment } from '../../src/widgets/dense-reuse/experiment';
import { finalLosses, isReuseSnapshot, normalizeReuse, summarizeReuse, type ReuseSnapshot } from '../../src/widgets/dense-reuse/reuse';
import { challenges, measures } from '../../src/widgets/dense-reuse/challenges';

function exerciseAnswer(id: string): number {
  const source = readFileSync(new URL('../../content/exercises/dense.mdx', import.meta.url), 'utf8');
  const start = source.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`no exercise ${id}`);
  const match = /answer=\{([^}]+)\}/.exec(source.slice(start, start + 400));
  if (!match) throw new Error(`exercise ${id} has no answer`);
  return Number(match[1]);
}

describe('chapter 5: exercise keys and block counts', () => {
  it('a 12-layer block has 78 connections; layer 10 of k₀ = 24, k = 12 reads 132 channels', () => {
    const block = denseBlock({ layers: 12, growth: 12, inputChannels: 24, bottleneck: false });
    expect(exerciseAnswer('dense-connection-count')).toBe(block.connections);
    expect(exerciseAnswer('dense-input-channels')).toBe(block.layers[9].inputChannels);
    expect(block.layers[10].inputChannels).toBe(144);
  });

  it('the defaults: 10 connections, 18,144 weights, 72 channels out; residual and plain 22 wide', () => {
    const [dense, residual, plain] = computeBlocks({}).blocks;
    expect([dense.connections, dense.parameters, dense.outputChannels]).toEqual([10, 18144, 72]);
    expect([residual.width, residual.outputChannels, plain.width]).toEqual([22, 22, 22]);
  });

  it('growth rate 24: 51,840 weights; with 48 input channels too, 72,576 = 4 × 18,144', () => {
    expect(computeBlocks({}).blocks[0].parameters).toBe(18144);
    expect(computeBlocks({ growth: 24 }).blocks[0].parameters).toBe(51840);
    expect(computeBlocks({ growth: 24, inputChannels: 48 }).blocks[0].parameters).toBe(4 * 18144);
    // "Doubling the layers to 8 instead gives 57,024 weights, about 3.1 times the default."
    expect(computeBlocks({ layers: 8 }).blocks[0].parameters).toBe(57024);
    expect((57024 / 18144).toFixed(1)).toBe('3.1');
  });

  it('the bottleneck: 18,144 → 28,800 weights on the defaults (every layer reads < 7.2k), 94,176 → 62,592 with 200 input channels', () => {
    const block = (values: Record<string, number | boolean>) => computeBlocks(values).blocks[0];
    expect(block({}).layers.map((l) => l.inputChannels)).toEqual([24, 36, 48, 60]);
    expect(block({}).layers.every((l) => l.inputChannels < 7.2 * 12)).toBe(true);
    expect(block({ bottleneck: true }).parameters).toBe(28800);
    expect(block({ inputChannels: 200 }).parameters).toBe(94176);
    expect(block({ inputChannels: 200, bottleneck: true }).parameters).toBe(62592);
    expect(block({ inputChannels: 200 }).layers.every((l) => l.inputChannels > 7.2 * 12)).toBe(true);
  });

  it('DenseNet-BC (0.8M) against the 1,001-layer ResNet (10.2M): about a thirteenth, "90% fewer"', () => {
    expect(Math.round(10.2 / 0.8)).toBe(13);
    expect(1 - 0.8 / 10.2).toBeGreaterThan(0.9);
  });

  it('the bottleneck saves weights once a layer reads more than 7.2k channels', () => {
    const cost = (channels: number, bottleneck: boolean) => denseBlock({ layers: 1, growth: 10, inputChannels: channels, bottleneck }).parameters;
    expect(cost(71, true)).toBeGreaterThan(cost(71, false));
    expect(cost(72, true)).toBe(cost(72, false));
    expect(cost(73, true)).toBeLessThan(cost(73, false));
  });
});

function runToEnd(settings: SettingsValues): { records: StepRecord[]; snapshot: ReuseSnapshot; initial: ReuseSnapshot } {
  const run = denseReuseExperiment.create(settings);
  try {
    const initial = run.snapshot?.();
    const records = run.train(600);
    expect(run.divergences()).toEqual([]);
    const snapshot = run.snapshot?.();
    if (!isReuseSnapshot(snapshot) || !isReuseSnapshot(initial)) throw new Error('not a reuse snapshot');
    return { records, snapshot, initial };
  } finally {
    run.dispose();
  }
}

function state(result: { records: StepRecord[]; snapshot: ReuseSnapshot }): WidgetState {
  return { id: 'dense-reuse', kind: 'dense-reuse', settings: {}, status: 'finished', step: 600, runs: [], records: result.records, divergences: [], snapshot: result.snapshot };
}

const percent = (fraction: number) => Math.round(fraction * 100);

describe('chapter 5: the side-by-side lab on its defaults', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  it('growth rate 11 (15,406 parameters against 16,002); dense fits far better; reuse at step 0 and after training', () => {
    const result = runToEnd({});
    const { snapshot, records, initial } = result;
    expect(snapshot.networks.map((n) => [n.skip, n.width, n.parameters])).toEqual([
      ['none', 32, 16002],
      ['residual', 32, 16002],
      ['dense', 11, 15406],
    ]);
    // "Their parameter counts are within 4% of each other."
    const [plainCount, , denseCount] = snapshot.networks.map((n) => n.parameters);
    expect(Math.abs(1 - denseCount / plainCount)).toBeLessThan(0.04);
    const losses = finalLosses(records);
    expect(losses.get(0)!.toFixed(3)).toBe('0.058');
    expect(losses.get(1)!.toFixed(3)).toBe('0.097');
    expect(losses.get(2)!).toBeGreaterThan(4e-5);
    expect(losses.get(2)!).toBeLessThan(6e-5);
    expect(measures['dense-reuse/lowest-loss'](state(result))?.value).toBe('dense');
    expect(snapshot.networks.map((n) => (n.test!.accuracy * 100).toFixed(1))).toEqual(['97.7', '98.0', '100.0']);
    // "Late in training the dense network's gradients are far smaller than the others'": every
    // dense layer's gradient norm (mean of the last 20 steps) is under a fiftieth of every plain
    // and residual layer's; its loss is nearly zero.
    const tailMeans = (run: number) => {
      const tail = records.filter((r) => r.run === run).slice(-20);
      return tail[0].gradNorms.map((_, layer) => tail.reduce((sum, r) => sum + r.gradNorms[layer], 0) / tail.length);
    };
    const denseLargest = Math.max(...tailMeans(2));
    expect(denseLargest).toBeLessThan(Math.min(...tailMeans(0)) / 50);
    expect(denseLargest).toBeLessThan(Math.min(...tailMeans(1)) / 50);
    // "In this run the residual network ends with the higher loss of the two."
    expect(losses.get(1)!).toBeGreaterThan(losses.get(0)!);

    const trained = summarizeReuse(snapshot.reuse!)!;
    expect(percent(trained.smallest)).toBe(44);
    expect(percent(trained.outputOnFirst)).toBe(57);
    expect(trained.usedFraction).toBe(1);
    // The status line's "weakest hidden source" excludes the input, which the output layer reads at 33%.
    expect(percent(Math.min(...normalizeReuse(snapshot.reuse!).map((row) => row[0])))).toBe(33);
    const before = summarizeReuse(initial.reuse!)!;
    expect(initial.reuseStep).toBe(0);
    expect(percent(before.smallest)).toBe(54);
    expect(percent(before.outputOnFirst)).toBe(84);
    // Training made the pattern less even; it cut no connection.
    expect(trained.smallest).toBeLessThan(before.smallest);
    expect(Math.min(...normalizeReuse(snapshot.reuse!).flat())).toBeGreaterThan(0.1);
  }, 600_000);

  it('with batch norm the three end close together: 0.28, 0.25, 0.23, each above 99% on the held-out points', () => {
    const result = runToEnd({ norm: 'batch' });
    const losses = finalLosses(result.records);
    expect([0, 1, 2].map((run) => losses.get(run)!.toFixed(2))).toEqual(['0.28', '0.25', '0.23']);
    expect(result.snapshot.networks.every((n) => n.test!.accuracy > 0.99)).toBe(true);
  }, 600_000);

  it('the challenge’s solution: growth rate 5 gives 3,406 parameters and still a lower loss than plain', () => {
    const result = runToEnd({ growth: 5 });
    expect(result.snapshot.networks[2].parameters).toBe(3406);
    const losses = finalLosses(result.records);
    expect(losses.get(2)!).toBeGreaterThan(2e-5);
    expect(losses.get(2)!).toBeLessThan(4e-5);
    // "against the plain network's 0.058": the plain network does not depend on the growth rate.
    expect(losses.get(0)!.toFixed(3)).toBe('0.058');
    expect(challenges['dense-reuse/lean-dense-wins'](state(result)).met).toBe(true);
    // On the defaults the dense network has more than half the plain network's parameters.
    expect(challenges['dense-reuse/lean-dense-wins'](state(runToEndDefaultsCheap())).met).toBe(false);
  }, 600_000);
});

/** A finished-looking state with the default sizes (the check reads parameters before losses). */
function runToEndDefaultsCheap(): { records: StepRecord[]; snapshot: ReuseSnapshot } {
  const run = denseReuseExperiment.create({ steps: 50 });
  try {
    const records = run.train(50);
    const snapshot = run.snapshot?.();
    if (!isReuseSnapshot(snapshot)) throw new Error('not a reuse snapshot');
    return { records, snapshot };
  } finally {
    run.dispose();
  }
}
