/**
 * The training engine on the cpu backend: the gradient-flow effect the lab is built to show,
 * determinism, batching of runs, tensor leaks and divergence.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../../src/engine/backend-node';
import { createMlpExperimentRun } from '../../src/engine/trainer';
import { makeDataset, DATASET_NAMES } from '../../src/engine/datasets';
import { defaultSettings, resolveSettings } from '../../src/engine/settings';
import type { NetworkConfig, RunSpec, StepRecord, TrainConfig } from '../../src/engine/types';
import { gradientFlowExperiment, summarizeGradientFlow } from '../../src/widgets/gradient-flow/experiment';
import { gradientFlowSettings } from '../../src/widgets/gradient-flow/settings';

beforeAll(async () => {
  await initNodeBackend();
});

const smallNetwork: NetworkConfig = { inputSize: 2, outputSize: 2, depth: 3, width: 6, activation: 'tanh', init: 'glorot', norm: 'none', skip: 'none', seed: 1 };
const smallTraining: TrainConfig = { dataset: 'circles', loss: 'cross-entropy', optimizer: 'sgd', learningRate: 0.1, batchSize: 16 };

function spec(network: Partial<NetworkConfig> = {}, train: Partial<TrainConfig> = {}, label = 'run'): RunSpec {
  return { label, network: { ...smallNetwork, ...network }, train: { ...smallTraining, ...train } };
}

function lastToFirst(records: readonly StepRecord[]): number {
  const [summary] = summarizeGradientFlow([{ id: 0, label: 'x', layers: [] }], records);
  return summary.lastToFirstRatio;
}

describe('gradient-flow defaults show vanishing gradients and the residual cure', () => {
  const steps = 30;
  it('plain: the last layer gets orders of magnitude more gradient than the first', () => {
    const run = gradientFlowExperiment.create({});
    const ratio = lastToFirst(run.train(steps));
    run.dispose();
    expect(ratio).toBeGreaterThan(100);
  });
  it('residual: first and last layers stay within about an order of magnitude', () => {
    const run = gradientFlowExperiment.create({ skip: 'residual' });
    const records = run.train(steps);
    run.dispose();
    const ratio = lastToFirst(records);
    expect(ratio).toBeLessThan(30);
    expect(ratio).toBeGreaterThan(1 / 30);
    expect(records).toHaveLength(steps);
  });
});

describe('records', () => {
  it('have one entry per hidden layer, input side first, and finite statistics', () => {
    const run = createMlpExperimentRun([spec({ depth: 4 }, { activationStats: true })]);
    const records = run.train(3);
    run.dispose();
    expect(records.map((r) => r.step)).toEqual([1, 2, 3]);
    for (const record of records) {
      expect(record.gradNorms).toHaveLength(4);
      expect(record.weightNorms).toHaveLength(4);
      expect(record.updateRatios).toHaveLength(4);
      expect(record.activations?.saturated).toHaveLength(4);
      expect(record.accuracy).toBeGreaterThanOrEqual(0);
      expect([...record.gradNorms, ...record.weightNorms, ...record.updateRatios].every((v) => Number.isFinite(v) && v > 0)).toBe(true);
      // SGD: the update is lr × gradient, so ‖ΔW‖/‖W‖ = lr ‖g‖ / ‖W‖.
      record.updateRatios.forEach((ratio, layer) => expect(ratio).toBeCloseTo((0.1 * record.gradNorms[layer]) / record.weightNorms[layer], 5));
    }
  });

  it('training lowers the loss on an easy problem, with each optimiser', () => {
    for (const optimizer of ['sgd', 'momentum', 'adam'] as const) {
      const run = createMlpExperimentRun([spec({}, { optimizer, dataset: 'blobs', learningRate: optimizer === 'adam' ? 0.01 : 0.1 })]);
      const records = run.train(150);
      run.dispose();
      const early = records.slice(0, 10).reduce((s, r) => s + r.loss, 0) / 10;
      const late = records.slice(-10).reduce((s, r) => s + r.loss, 0) / 10;
      expect(late, optimizer).toBeLessThan(early * 0.7);
    }
  });

  it('clipping caps the update: ‖ΔW‖ ≤ learning rate × clip norm, gradient norms stay unclipped', () => {
    const clip = 0.01;
    const clippedRun = createMlpExperimentRun([spec({ init: 'he', initScale: 2 }, { clipNorm: clip, learningRate: 0.5 })]);
    const freeRun = createMlpExperimentRun([spec({ init: 'he', initScale: 2 }, { learningRate: 0.5 })]);
    const [clipped] = clippedRun.train(1);
    const [free] = freeRun.train(1);
    clippedRun.dispose();
    freeRun.dispose();
    // Same weights and batch at step 1: the same gradient is reported either way.
    clipped.gradNorms.forEach((g, layer) => expect(g).toBeCloseTo(free.gradNorms[layer], 6));
    const updateNorms = clipped.updateRatios.map((ratio, layer) => ratio * clipped.weightNorms[layer]);
    const total = Math.hypot(...updateNorms);
    expect(total).toBeLessThanOrEqual(0.5 * clip * 1.0001);
    expect(Math.hypot(...free.updateRatios.map((ratio, layer) => ratio * free.weightNorms[layer]))).toBeGreaterThan(0.5 * clip * 2);
  });

  it('reports tiny gradients without underflowing to zero', () => {
    const run = createMlpExperimentRun([spec({ depth: 12, activation: 'sigmoid', init: 'naive', initScale: 0.1 })]);
    const [record] = run.train(1);
    run.dispose();
    // Twelve sigmoid layers at std 0.1 shrink the gradient ~10× per layer: far below 1e-19,
    // whose square is no longer a normal float32.
    expect(record.gradNorms[0]).toBeGreaterThan(0);
    expect(record.gradNorms[0]).toBeLessThan(1e-10);
    expect(record.gradNorms[11] / record.gradNorms[0]).toBeGreaterThan(1e8);
  });
});

describe('determinism and batching', () => {
  it('same seed and settings give the same numbers; another seed does not', () => {
    const once = () => {
      const run = createMlpExperimentRun([spec({ seed: 7, norm: 'batch' }, { optimizer: 'adam', learningRate: 0.01 })]);
      const records = run.train(20);
      run.dispose();
      return records;
    };
    const first = once();
    expect(once()).toEqual(first);
    const other = createMlpExperimentRun([spec({ seed: 8, norm: 'batch' }, { optimizer: 'adam', learningRate: 0.01 })]);
    const otherRecords = other.train(20);
    other.dispose();
    expect(otherRecords[19].loss).not.toBe(first[19].loss);
  });

  it('a run trained in a batch with others gives the numbers it gives alone', () => {
    const alone = createMlpExperimentRun([spec({ seed: 3 }, { learningRate: 0.05 })]);
    const aloneRecords = alone.train(15);
    alone.dispose();
    const together = createMlpExperimentRun([spec({ seed: 1 }), spec({ seed: 3 }, { learningRate: 0.05 }), spec({ seed: 5, skip: 'residual' })]);
    // Same architecture, different seed or learning rate: one group. A different skip: another.
    expect(together.groups.map((g) => g.size).sort()).toEqual([1, 2]);
    const records = together.train(15);
    together.dispose();
    const mine = records.filter((r) => r.run === 1).map((r) => ({ ...r, run: 0 }));
    expect(mine).toHaveLength(15);
    mine.forEach((record, i) => {
      expect(record.loss).toBeCloseTo(aloneRecords[i].loss, 5);
      record.gradNorms.forEach((g, layer) => expect(g / aloneRecords[i].gradNorms[layer]).toBeCloseTo(1, 4));
    });
    // Records come in step order, then run order.
    expect(records.slice(0, 3).map((r) => [r.step, r.run])).toEqual([[1, 0], [1, 1], [1, 2]]);
  });
});

describe('memory', () => {
  it('holds as many tensors after 10,000 steps as after 100', () => {
    const run = createMlpExperimentRun([spec({ depth: 1, width: 2 }, { batchSize: 2 })]);
    run.train(100);
    const after100 = tf.memory().numTensors;
    for (let i = 0; i < 99; i++) run.train(100);
    expect(run.step).toBe(10_000);
    expect(tf.memory().numTensors).toBe(after100);
    run.dispose();
    expect(tf.memory().numTensors).toBeLessThan(after100);
  });

  it('leaks nothing with every optional path on (norm, skips, clipping, Adam, statistics, dropout, parameter read-back)', () => {
    for (const skip of ['residual', 'dense'] as const) {
      const run = createMlpExperimentRun([spec({ depth: 3, width: 3, norm: 'layer', skip, dropout: 0.2 }, { batchSize: 4, optimizer: 'adam', learningRate: 0.01, clipNorm: 1, activationStats: true })]);
      run.train(50);
      const after50 = tf.memory().numTensors;
      run.train(500);
      expect(run.parameters(0)?.length).toBeGreaterThan(0);
      expect(tf.memory().numTensors, skip).toBe(after50);
      run.dispose();
    }
  });
});

describe('divergence', () => {
  it('stops a run whose loss blows up, says when and why, and lets the others go on', () => {
    const run = createMlpExperimentRun([
      spec({ activation: 'linear', depth: 4, init: 'he', initScale: 3 }, { dataset: 'regression-2d', loss: 'mse', learningRate: 5 }, 'unstable'),
      spec({ seed: 2 }, {}, 'stable'),
    ]);
    const records = run.train(60);
    const [divergence] = run.divergences();
    expect(run.divergences()).toHaveLength(1);
    expect(divergence.run).toBe(0);
    expect(divergence.reason).toMatch(/NaN|infinite|exploded/);
    const unstable = records.filter((r) => r.run === 0);
    // Every step up to and including the diverging one has a record; nothing after it.
    expect(unstable.map((r) => r.step)).toEqual(Array.from({ length: divergence.step }, (_, i) => i + 1));
    const diverging = unstable[unstable.length - 1];
    const blewUp = (r: StepRecord) => !Number.isFinite(r.loss) || r.gradNorms.some((n) => !Number.isFinite(n) || n > 1e6);
    expect(blewUp(diverging)).toBe(true);
    // The steps before it are the last finite values.
    for (const record of unstable.slice(0, -1)) expect(blewUp(record)).toBe(false);
    expect(records.filter((r) => r.run === 1)).toHaveLength(60);
    run.train(5);
    expect(run.divergences()).toHaveLength(1);
    run.dispose();
  });
});

describe('a run that explodes at once', () => {
  it('still records the exploding step, with its non-finite or huge values as they are', () => {
    const run = createMlpExperimentRun([
      spec({ activation: 'linear', depth: 30, width: 16, init: 'he', initScale: 3 }, { dataset: 'circles', learningRate: 10, batchSize: 32 }, 'exploding'),
    ]);
    const records = run.train(10);
    const [divergence] = run.divergences();
    expect(divergence).toMatchObject({ run: 0, step: 1 });
    expect(records).toHaveLength(1);
    expect(records[0].step).toBe(1);
    const values = [records[0].loss, ...records[0].gradNorms];
    expect(values.some((v) => !Number.isFinite(v) || v > 1e6)).toBe(true);
    expect(records[0].gradNorms).toHaveLength(30);
    run.dispose();
  });
});

describe('data sets and settings', () => {
  it('every data set is seeded and well formed', () => {
    for (const name of DATASET_NAMES) {
      const a = makeDataset(name, 64, 4);
      expect(makeDataset(name, 64, 4)).toEqual(a);
      expect(makeDataset(name, 64, 5).inputs).not.toEqual(a.inputs);
      expect(a.inputs).toHaveLength(64 * a.inputSize);
      expect(a.targets).toHaveLength(64 * a.outputSize);
      expect(Array.from(a.inputs).every((v) => Math.abs(v) < 2)).toBe(true);
      if (a.labels) expect(new Set(a.labels).size).toBe(a.outputSize);
    }
  });

  it('settings fill in defaults and reject bad values with a clear message', () => {
    expect(resolveSettings(gradientFlowSettings, {})).toEqual(defaultSettings(gradientFlowSettings));
    expect(resolveSettings(gradientFlowSettings, { depth: 30 }).depth).toBe(30);
    // The words the page shows for the same problems (one validator for page, worker and CLI).
    expect(() => resolveSettings(gradientFlowSettings, { depth: 51 })).toThrow('Hidden layers must be between 2 and 50.');
    expect(() => resolveSettings(gradientFlowSettings, { skip: 'highway' })).toThrow(/Skip connections must be one of: .*\(values none, residual, dense\)/);
    expect(() => resolveSettings(gradientFlowSettings, { dpeth: 3 })).toThrow(/There is no setting called “dpeth”/);
  });
});
