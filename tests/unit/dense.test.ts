/**
 * Chapter 5's widgets: the dense block's counts (pure math), the engine's dense-source weights and
 * parameter counts, the reuse summaries and exercise checks, and the dense-reuse experiment run
 * headless (small settings here; the defaults the chapter quotes in dense-chapter-claims.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../../src/engine/backend-node';
import { paramLayout, resolveArchitecture, initialValues } from '../../src/engine/mlp';
import { denseSourceWeights, parameterCount } from '../../src/engine/units';
import { resolveSettings, runLength } from '../../src/engine/settings';
import type { NetworkConfig, StepRecord, TrainConfig, WidgetState } from '../../src/engine/types';
import { chainBlock, compareBlocks, denseBlock, diagramOf, widthForBudget } from '../../src/widgets/dense-block/math';
import { computeBlocks, diagramSVG } from '../../src/widgets/dense-block/model';
import { denseReuseExperiment, denseReuseRunSpecs, matchedGrowthRate } from '../../src/widgets/dense-reuse/experiment';
import { denseReuseSettings } from '../../src/widgets/dense-reuse/settings';
import { finalLosses, isReuseSnapshot, normalizeReuse, summarizeReuse, type ReuseSnapshot } from '../../src/widgets/dense-reuse/reuse';
import { challenges, measures } from '../../src/widgets/dense-reuse/challenges';

describe('dense block counts', () => {
  it('layer ℓ reads k₀ + k(ℓ − 1) channels; L layers make L(L+1)/2 connections and k₀ + Lk channels out', () => {
    const block = denseBlock({ layers: 5, growth: 12, inputChannels: 24, bottleneck: false });
    expect(block.layers.map((l) => l.inputChannels)).toEqual([24, 36, 48, 60, 72]);
    expect(block.connections).toBe(15);
    expect(block.outputChannels).toBe(84);
    expect(block.parameters).toBe(9 * 12 * (24 + 36 + 48 + 60 + 72));
    expect(diagramOf('dense', 5).edges).toHaveLength(15);
  });

  it('the bottleneck costs a 1×1 convolution to 4k channels, then a 3×3 from 4k to k', () => {
    const block = denseBlock({ layers: 1, growth: 12, inputChannels: 100, bottleneck: true });
    expect(block.parameters).toBe(100 * 48 + 9 * 48 * 12);
    // For wide inputs the bottleneck is cheaper than a 3×3 on all the channels.
    expect(block.parameters).toBeLessThan(denseBlock({ layers: 1, growth: 12, inputChannels: 100, bottleneck: false }).parameters);
  });

  it('plain and residual blocks of the same budget: the nearest width, identical weights, shortcuts for free', () => {
    const [dense, residual, plain] = compareBlocks({ layers: 4, growth: 12, inputChannels: 24, bottleneck: false });
    expect(residual.parameters).toBe(plain.parameters);
    expect(residual.connections).toBe(plain.connections + 3);
    const w = residual.width;
    for (const other of [w - 1, w + 1]) {
      expect(Math.abs(chainBlock('plain', 4, other, 24).parameters - dense.parameters)).toBeGreaterThanOrEqual(Math.abs(plain.parameters - dense.parameters));
    }
    expect(widthForBudget(1, 10, 9 * 10 * 7)).toBe(7);
  });

  it('the default block, as chapter 5 states it: 4 layers of k = 12 on 24 channels', () => {
    const [dense, residual] = computeBlocks({}).blocks;
    expect(dense.parameters).toBe(18144);
    expect(dense.outputChannels).toBe(72);
    expect(dense.connections).toBe(10);
    expect(residual.width).toBe(22);
    expect(residual.outputChannels).toBe(22);
    // Stored channels grow quadratically with L for the dense block, linearly for the others.
    const deep = computeBlocks({ layers: 24 }).blocks;
    expect(deep[0].storedChannels).toBe(24 * 24 + 12 * (24 * 23) / 2 + 24 * 12);
    expect(deep[0].storedChannels / deep[1].storedChannels).toBeGreaterThan(computeBlocks({}).blocks[0].storedChannels / computeBlocks({}).blocks[1].storedChannels);
  });

  it('the diagram names every block and draws dashed shortcuts only for the residual one', () => {
    const svg = diagramSVG(computeBlocks({ layers: 3 }), 't');
    expect(svg).toContain('<title id="t">');
    expect(svg.match(/db-shortcut/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(12);
  });
});

describe('engine: dense-source weights and parameter counts', () => {
  const train: TrainConfig = { dataset: 'spirals', loss: 'cross-entropy', optimizer: 'adam', learningRate: 0.01, batchSize: 8 };
  const net: NetworkConfig = { inputSize: 2, outputSize: 2, depth: 3, width: 4, activation: 'relu', init: 'he', norm: 'none', skip: 'dense', seed: 1 };

  it('counts every kernel, bias and norm parameter', () => {
    const plain = resolveArchitecture({ ...net, skip: 'none' }, train);
    expect(parameterCount(plain)).toBe(2 * 4 + 4 + 2 * (4 * 4 + 4) + 4 * 2 + 2);
    const dense = resolveArchitecture(net, train);
    expect(parameterCount(dense)).toBe(2 * 4 + 4 + (6 * 4 + 4) + (10 * 4 + 4) + 14 * 2 + 2);
    expect(parameterCount(resolveArchitecture({ ...net, norm: 'batch' }, train))).toBe(parameterCount(dense) + 3 * 8);
  });

  it('reads the mean absolute weight of each source block of rows', () => {
    const architecture = resolveArchitecture(net, train);
    const layout = paramLayout(architecture);
    const values = initialValues(architecture, layout, 1).map((v) => v.fill(0));
    // Hidden layer 3 (kernel 2) reads input (rows 0-1), layer 1 (rows 2-5), layer 2 (rows 6-9).
    const kernel = values[layout.kernels[2]];
    for (let column = 0; column < 4; column++) {
      kernel[0 * 4 + column] = -2;
      kernel[7 * 4 + column] = 4;
    }
    const weights = denseSourceWeights(architecture, values);
    expect(weights.map((row) => row.length)).toEqual([2, 3, 4]);
    expect(weights[1]).toEqual([1, 0, 1]);
    expect(normalizeReuse(weights)[1]).toEqual([1, 0, 1]);
    expect(() => denseSourceWeights(resolveArchitecture({ ...net, skip: 'none' }, train), values)).toThrow(/dense/);
  });
});

function state(snapshot: ReuseSnapshot, records: StepRecord[]): WidgetState {
  return { id: 'd', kind: 'dense-reuse', settings: {}, status: 'finished', step: 1, runs: [], records, divergences: [], snapshot };
}

describe('reuse summaries and checks', () => {
  const record = (run: number, loss: number): StepRecord => ({ run, step: 1, loss, gradNorms: [], weightNorms: [], updateRatios: [] });
  const snapshot = (denseParameters: number): ReuseSnapshot => ({
    phase: 'done',
    trainSteps: 1,
    trainedSteps: 1,
    testSize: 512,
    networks: [
      { run: 0, label: 'plain', skip: 'none', width: 32, parameters: 1000 },
      { run: 1, label: 'residual', skip: 'residual', width: 32, parameters: 1000 },
      { run: 2, label: 'dense', skip: 'dense', width: 5, parameters: denseParameters },
    ],
  });

  it('final losses average the last 20 records of each run', () => {
    const records = [...Array.from({ length: 30 }, (_, i) => record(0, i < 10 ? 100 : 1)), record(1, 2)];
    expect(finalLosses(records)).toEqual(new Map([[0, 1], [1, 2]]));
  });

  it('summarises early reuse, the weakest source and the output layer’s use of layer 1', () => {
    const summary = summarizeReuse([[1, 0.5], [1, 1, 0.2], [0.2, 0.05, 1, 1], [1, 0.5, 0.5, 0.5, 1]])!;
    expect(summary.smallest).toBeCloseTo(0.05);
    expect(summary.outputOnFirst).toBeCloseTo(0.5);
    // Readers 5 (output row) reads layer 1 four layers back: the only early cell.
    expect(summary.meanEarly).toBeCloseTo(0.5);
    expect(summary.usedFraction).toBeCloseTo(9 / 10);
  });

  it('the measure names the lowest final loss; the challenge wants a lean dense network that fits better', () => {
    const losses = [record(0, 0.05), record(1, 0.1), record(2, 0.001)];
    expect(measures['dense-reuse/lowest-loss'](state(snapshot(400), losses))?.value).toBe('dense');
    expect(measures['dense-reuse/lowest-loss'](state({ ...snapshot(400), phase: 'training' }, losses))).toBeUndefined();
    expect(challenges['dense-reuse/lean-dense-wins'](state(snapshot(400), losses)).met).toBe(true);
    expect(challenges['dense-reuse/lean-dense-wins'](state(snapshot(900), losses)).met).toBe(false);
    expect(challenges['dense-reuse/lean-dense-wins'](state(snapshot(400), [record(0, 0.05), record(2, 0.5)])).met).toBe(false);
  });
});

describe('dense-reuse experiment, headless', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  it('three networks of equal depth; the dense growth rate matches the plain parameter count', () => {
    const specs = denseReuseRunSpecs({});
    expect(specs.map((s) => s.network.skip)).toEqual(['none', 'residual', 'dense']);
    expect(new Set(specs.map((s) => s.network.depth)).size).toBe(1);
    const counts = specs.map((s) => parameterCount(resolveArchitecture(s.network, s.train)));
    expect(Math.abs(counts[2] - counts[0]) / counts[0]).toBeLessThan(0.1);
    expect(matchedGrowthRate({})).toBe(specs[2].network.width);
    expect(denseReuseRunSpecs({ growth: 5 })[2].network.width).toBe(5);
    expect(runLength(denseReuseExperiment, resolveSettings(denseReuseSettings, {}))).toBe(600);
    expect(() => denseReuseExperiment.create({ depth: 2 })).toThrow(/depth/);
  });

  it('small settings: every dense layer keeps reading every earlier layer; test accuracy measured; memory freed', () => {
    const before = tf.memory().numTensors;
    const run = denseReuseExperiment.create({ depth: 6, width: 16, steps: 150 });
    let snapshot: unknown;
    try {
      const records = run.train(150);
      expect(records.filter((r) => r.run === 2)).toHaveLength(150);
      snapshot = run.snapshot?.();
    } finally {
      run.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    if (!isReuseSnapshot(snapshot)) throw new Error('not a reuse snapshot');
    expect(snapshot.phase).toBe('done');
    expect(snapshot.reuseStep).toBe(150);
    expect(snapshot.networks.every((n) => n.test !== undefined && n.test.accuracy > 0.5)).toBe(true);
    const summary = summarizeReuse(snapshot.reuse ?? [])!;
    // The DenseNet paper's observation: weight spread over many inputs, early layers included.
    expect(summary.usedFraction).toBe(1);
    expect(summary.smallest).toBeGreaterThan(0.1);
    expect(summary.meanEarly).toBeGreaterThan(0.3);
  });
});
