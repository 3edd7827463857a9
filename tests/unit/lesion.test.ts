import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import { lesionExperiment, lesionRunSpecs } from '~/widgets/lesion/experiment';
import { isLesionSnapshot, summarizeLesions, type LesionNetwork, type LesionSnapshot } from '~/widgets/lesion/lesions';
import { challenges, measures } from '~/widgets/lesion/challenges';
import { resolveSettings, runLength } from '~/engine/settings';
import { lesionSettings } from '~/widgets/lesion/settings';
import { createParameters, forward, paramLayout, resolveArchitecture, checkRemovableLayer } from '~/engine/mlp';
import type { NetworkConfig, TrainConfig, WidgetState } from '~/engine/types';

function state(snapshot: LesionSnapshot | undefined): WidgetState {
  return { id: 'l', kind: 'lesion', settings: {}, status: 'finished', step: 1, runs: [], records: [], divergences: [], snapshot };
}

function network(skip: 'none' | 'residual', intact: number, deleted: number[]): LesionNetwork {
  return { run: 0, label: skip, skip, intact: { accuracy: intact, loss: 0.1 }, deletions: deleted.map((accuracy, i) => ({ layer: i + 2, accuracy, loss: 1 })) };
}

describe('lesion summaries and checks', () => {
  it('summarises mean, worst and the mean drop over single deletions', () => {
    const summary = summarizeLesions(network('none', 0.9, [0.5, 0.7, 0.3]))!;
    expect(summary.meanAccuracy).toBeCloseTo(0.5);
    expect(summary.meanDrop).toBeCloseTo(0.4);
    expect(summary).toMatchObject({ worstAccuracy: 0.3, worstLayer: 4, bestAccuracy: 0.7 });
    expect(summarizeLesions({ run: 0, label: '', skip: 'none', deletions: [], diverged: true })).toBeUndefined();
  });

  it('the measure names the network that loses less; the challenge wants a fragile residual network', () => {
    const snapshot = (residual: number[]): LesionSnapshot => ({ phase: 'done', trainSteps: 1, trainedSteps: 1, testSize: 512, networks: [network('none', 0.95, [0.5, 0.4]), network('residual', 0.95, residual)] });
    expect(measures['lesion/milder-network'](state(snapshot([0.9, 0.94])))?.value).toBe('residual');
    expect(measures['lesion/milder-network'](state(snapshot([0.45, 0.45])))?.value).toBe('same');
    expect(measures['lesion/milder-network'](state({ ...snapshot([0.9]), phase: 'training' }))).toBeUndefined();
    expect(challenges['lesion/fragile-residual'](state(snapshot([0.9, 0.94]))).met).toBe(false);
    expect(challenges['lesion/fragile-residual'](state(snapshot([0.6, 0.7]))).met).toBe(true);
  });
});

describe('removing layers at test time (engine)', () => {
  const net: NetworkConfig = { inputSize: 2, outputSize: 2, depth: 4, width: 5, activation: 'relu', init: 'he', norm: 'none', skip: 'none', seed: 3 };
  const train: TrainConfig = { dataset: 'spirals', loss: 'cross-entropy', optimizer: 'sgd', learningRate: 0.1, batchSize: 8 };

  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it('a removed plain layer passes its input on unchanged', () => {
    const architecture = resolveArchitecture(net, train);
    const params = createParameters(architecture, [1]);
    const inputs = tf.tensor3d([0.3, -0.2, 0.5, 0.1], [1, 2, 2]);
    const [whole, lesioned] = tf.tidy(() => [forward(architecture, params, inputs), forward(architecture, params, inputs, new Set([2]))].map((r) => r.activations.map((a) => a.arraySync())));
    expect(lesioned[0]).toEqual(whole[0]);
    expect(lesioned[1]).toEqual(whole[1]);
    expect(lesioned[2]).toEqual(whole[1]);
    expect(lesioned[3]).not.toEqual(whole[3]);
    params.forEach((p) => p.dispose());
    inputs.dispose();
  });

  it('a removed residual block is the same network with that block’s branch set to zero', () => {
    const architecture = resolveArchitecture({ ...net, skip: 'residual', norm: 'batch' }, train);
    const params = createParameters(architecture, [1]);
    const layout = paramLayout(architecture);
    const zeroed = params.map((p, index) => (index === layout.kernels[2] || index === layout.biases[2] ? tf.zerosLike(p) : p.clone()));
    const inputs = tf.tensor3d([0.3, -0.2, 0.5, 0.1, -0.4, 0.9], [1, 3, 2]);
    const [lesioned, byZeros, whole] = tf.tidy(() => [
      forward(architecture, params, inputs, new Set([2])).logits.arraySync(),
      forward(architecture, zeroed, inputs).logits.arraySync(),
      forward(architecture, params, inputs).logits.arraySync(),
    ]);
    expect(lesioned).toEqual(byZeros);
    expect(lesioned).not.toEqual(whole);
    [...params, ...zeroed, inputs].forEach((t) => t.dispose());
  });

  it('refuses layers that cannot be removed, naming them', () => {
    const plain = resolveArchitecture(net, train);
    expect(() => checkRemovableLayer(plain, 0)).toThrow(/hidden layer 1/);
    expect(() => checkRemovableLayer(plain, 4)).toThrow(/hidden layer 5/);
    expect(() => checkRemovableLayer(resolveArchitecture({ ...net, skip: 'dense' }, train), 2)).toThrow(/dense/);
    expect(() => checkRemovableLayer(resolveArchitecture({ ...net, skip: 'residual', blockSize: 2 }, train), 1)).toThrow(/does not close a residual block/);
  });
});

describe('lesion experiment, headless', () => {
  beforeAll(async () => {
    tf.env().set('PROD', true);
    await tf.setBackend('wasm');
    await tf.ready();
  });

  function runToEnd(settings: Record<string, number | string>): LesionSnapshot {
    const run = lesionExperiment.create(settings);
    try {
      const length = runLength(lesionExperiment, resolveSettings(lesionSettings, settings));
      run.train(length);
      const snapshot = run.snapshot!();
      if (!isLesionSnapshot(snapshot)) throw new Error('not a lesion snapshot');
      return snapshot;
    } finally {
      run.dispose();
    }
  }

  it('trains identical networks but for the skips and tests every deletable layer', () => {
    const [plain, residual] = lesionRunSpecs({});
    expect({ ...plain.network, skip: 'residual' }).toEqual(residual.network);
    expect(runLength(lesionExperiment, resolveSettings(lesionSettings, {}))).toBe(501);
    expect(() => lesionExperiment.create({ depth: 2 })).toThrow(/depth/);
  });

  it('small settings: deleting one residual block costs far less than deleting one plain layer; memory is freed', () => {
    const before = tf.memory().numTensors;
    const snapshot = runToEnd({ depth: 8, width: 16, trainSteps: 300 });
    expect(tf.memory().numTensors).toBe(before);
    expect(snapshot.phase).toBe('done');
    const [plain, residual] = snapshot.networks.map((n) => summarizeLesions(n)!);
    expect(snapshot.networks[0].deletions.map((d) => d.layer)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(plain.intactAccuracy).toBeGreaterThan(0.85);
    expect(residual.intactAccuracy).toBeGreaterThan(0.85);
    expect(plain.meanDrop).toBeGreaterThan(2 * residual.meanDrop);
    expect(measures['lesion/milder-network'](state(snapshot))?.value).toBe('residual');
  }, 300_000);

  it('defaults: the numbers chapter 4 quotes', () => {
    const [plain, residual] = runToEnd({}).networks.map((n) => summarizeLesions(n)!);
    expect(Math.round(plain.intactAccuracy * 100)).toBe(97);
    expect(Math.round(residual.intactAccuracy * 100)).toBe(97);
    expect(Math.round(plain.meanAccuracy * 100)).toBe(56);
    expect(Math.round(residual.meanAccuracy * 100)).toBe(92);
    expect(Math.round(plain.worstAccuracy * 100)).toBe(13);
    expect(Math.round(residual.worstAccuracy * 100)).toBe(62);
    expect(residual.worstLayer).toBe(2);
  }, 300_000);

  it('without normalisation the residual network becomes fragile (the chapter’s widget challenge)', () => {
    const snapshot = runToEnd({ norm: 'none' });
    expect(challenges['lesion/fragile-residual'](state(snapshot)).met).toBe(true);
    // The exercise's solution quotes these: about 78% on average, more than 20 points below intact.
    const residual = summarizeLesions(snapshot.networks[1])!;
    expect(Math.round(residual.meanAccuracy * 100)).toBe(78);
    expect(residual.meanDrop).toBeGreaterThan(0.2);
  }, 300_000);
});
