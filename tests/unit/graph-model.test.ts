/**
 * The graph model (src/engine/models): the same MLP through the graph path (autodiff) and the
 * fast path (hand-derived backward) gives the same loss, gradients and training records; every
 * layer's gradients match finite differences; parameters by name; lesions; bad specs rejected
 * with a message naming the layer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../../src/engine/backend-node';
import { backward, createParameters, forward, perRunLoss, resolveArchitecture } from '../../src/engine/mlp';
import { createMlpExperimentRun } from '../../src/engine/trainer';
import { makeDataset } from '../../src/engine/datasets';
import type { NetworkConfig, TrainConfig } from '../../src/engine/types';
import { GraphModel, GraphSpecError, type ModelSpec } from '../../src/engine/models/graph';
import { createGraphExperimentRun } from '../../src/engine/models/graph-trainer';
import { mlpModelSpec } from '../../src/engine/models/mlp-graph';
import { fromPointDataset, leadingBatch } from '../../src/engine/data/tensor-dataset';
import type { LayerSpec } from '../../src/engine/layers/types';
import { checkGradientsByFiniteDifferences, randomData } from './helpers/graph-checks';

beforeAll(async () => {
  await initNodeBackend();
});

const BATCH = 8;

function networkOf(overrides: Partial<NetworkConfig>): NetworkConfig {
  return { inputSize: 2, outputSize: 2, depth: 4, width: 6, activation: 'tanh', init: 'glorot', initScale: 1.3, norm: 'none', skip: 'none', seed: 5, ...overrides };
}

function trainOf(overrides: Partial<TrainConfig>): TrainConfig {
  return { dataset: 'circles', loss: 'cross-entropy', optimizer: 'sgd', learningRate: 0.1, batchSize: BATCH, ...overrides };
}

/** A graph model holding exactly the MLP's initial parameters of `seed` (same order, run axis dropped). */
function graphCopyOfMlp(network: NetworkConfig, train: TrainConfig): { model: GraphModel; mlpParams: tf.Tensor3D[] } {
  const architecture = resolveArchitecture(network, train);
  network = { ...network, inputSize: architecture.inputSize, outputSize: architecture.outputSize };
  const mlpParams = createParameters(architecture, [network.seed]);
  const model = new GraphModel(mlpModelSpec(network, architecture.loss), network.seed);
  expect(model.parameterNames.length).toBe(mlpParams.length);
  model.parameterNames.forEach((name, i) => model.setParameter(name, Float32Array.from(mlpParams[i].dataSync())));
  return { model, mlpParams };
}

const SAME_NET_CASES: [string, Partial<NetworkConfig>, Partial<TrainConfig>][] = [
  ['plain, tanh, cross-entropy', {}, {}],
  ['plain, ReLU, batch norm, MSE', { activation: 'relu', init: 'he', norm: 'batch' }, { dataset: 'regression-2d', loss: 'mse' }],
  ['residual, blocks of 1, layer norm', { skip: 'residual', norm: 'layer', depth: 5 }, {}],
  ['residual, blocks of 2, odd depth', { skip: 'residual', blockSize: 2, depth: 4, activation: 'sigmoid' }, { dataset: 'blobs' }],
  ['dense, batch norm', { skip: 'dense', norm: 'batch' }, {}],
];

describe('the graph path and the MLP fast path agree', () => {
  for (const [name, networkOverrides, trainOverrides] of SAME_NET_CASES) {
    it(`${name}: same loss and gradients on one batch`, () => {
      const network = networkOf(networkOverrides);
      const train = trainOf(trainOverrides);
      const architecture = resolveArchitecture(network, train);
      const { model, mlpParams } = graphCopyOfMlp(network, train);
      const data = fromPointDataset(makeDataset(train.dataset, BATCH, 9));
      const batch = leadingBatch(data);
      const fast = tf.tidy(() => {
        const inputs = tf.tensor3d(data.inputs, [1, BATCH, architecture.inputSize]);
        const targets = tf.tensor3d(data.targets, [1, BATCH, architecture.outputSize]);
        const result = forward(architecture, mlpParams, inputs);
        return {
          loss: perRunLoss(architecture.loss, result.logits, targets).dataSync()[0],
          gradients: backward(architecture, mlpParams, result, targets).map((g) => Float32Array.from(g.dataSync())),
        };
      });
      const graph = model.lossAndGradients(batch);
      expect(graph.loss).toBeCloseTo(fast.loss, 5);
      let largest = 0;
      fast.gradients.forEach((expected, i) => {
        expect(graph.gradients[i].length).toBe(expected.length);
        expected.forEach((value, k) => {
          expect(Math.abs(graph.gradients[i][k] - value), `${model.parameterNames[i]}[${k}]`).toBeLessThan(1e-5 + 1e-3 * Math.abs(value));
          largest = Math.max(largest, Math.abs(value));
        });
      });
      expect(largest).toBeGreaterThan(1e-3);
      model.dispose();
      mlpParams.forEach((p) => p.dispose());
    });
  }

  for (const [name, optimizer] of [['plain, Adam', 'adam'], ['residual, momentum', 'momentum']] as const) {
    it(`${name}: the same records over 30 training steps`, () => {
      const network = networkOf(name.startsWith('residual') ? { skip: 'residual', depth: 5 } : {});
      const train = trainOf({ optimizer, learningRate: optimizer === 'adam' ? 0.01 : 0.05 });
      const mlpRun = createMlpExperimentRun([{ label: 'fast', network, train }]);
      const graphRun = createGraphExperimentRun([
        { label: 'graph', model: mlpModelSpec(network, train.loss), seed: network.seed, data: fromPointDataset(makeDataset(train.dataset, 512, 1)), train },
      ]);
      const mlpInitial = createParameters(resolveArchitecture(network, train), [network.seed]);
      graphRun.models[0].parameterNames.forEach((p, i) => graphRun.models[0].setParameter(p, Float32Array.from(mlpInitial[i].dataSync())));
      mlpInitial.forEach((p) => p.dispose());
      const fast = mlpRun.train(30);
      const graph = graphRun.train(30);
      expect(graph.map((r) => r.step)).toEqual(fast.map((r) => r.step));
      // The graph records every layer with weights: the hidden layers, then the output layer.
      expect(graphRun.runs[0].layers.map((l) => l.id).slice(0, network.depth)).toEqual(
        name.startsWith('residual') ? ['stem', 'block1.layer1', 'block2.layer1', 'block3.layer1', 'block4.layer1'] : ['layer1', 'layer2', 'layer3', 'layer4'],
      );
      expect(graphRun.runs[0].layers.slice(0, network.depth)).toEqual(mlpRun.runs[0].layers);
      expect(graphRun.runs[0].layers.at(-1)?.id).toBe('output');
      fast.forEach((expected, i) => {
        const actual = graph[i];
        expect(actual.loss).toBeCloseTo(expected.loss, 4);
        expect(actual.accuracy).toBeCloseTo(expected.accuracy!, 5);
        for (let layer = 0; layer < network.depth; layer++) {
          expect(actual.gradNorms[layer]).toBeCloseTo(expected.gradNorms[layer], 4);
          expect(actual.weightNorms[layer]).toBeCloseTo(expected.weightNorms[layer], 4);
          expect(Math.abs(actual.updateRatios[layer] - expected.updateRatios[layer])).toBeLessThan(1e-4 * Math.max(1, expected.updateRatios[layer]) + 1e-6);
        }
      });
      // Training did something: the loss moved.
      expect(Math.abs(fast[29].loss - fast[0].loss)).toBeGreaterThan(1e-3);
      mlpRun.dispose();
      graphRun.dispose();
    });
  }
});

/** dense → (layer under test) → dense head, so the gradient of the head and of the layer below both pass through it. */
function around(layer: LayerSpec[], inputShape: number[], classes: number, loss: ModelSpec['loss'] = 'cross-entropy'): ModelSpec {
  return {
    inputShape,
    loss,
    layers: [{ id: 'before', type: 'dense', units: 5, activation: 'tanh', init: 'glorot', initScale: 1.5 }, ...layer, { id: 'head', type: 'dense', units: classes }],
  };
}

describe('every layer’s gradients match finite differences', () => {
  const data = randomData([4], [3], 10, 21);
  it('dense (every activation, with and without bias)', () => {
    for (const activation of ['sigmoid', 'tanh', 'linear'] as const) {
      checkGradientsByFiniteDifferences(around([{ id: 'under.test', type: 'dense', units: 4, activation, bias: activation !== 'linear' }], [4], 3), data);
    }
  });
  it('add (a residual join)', () => {
    checkGradientsByFiniteDifferences(around([{ id: 'branch', type: 'dense', units: 5, activation: 'tanh' }, { id: 'join', type: 'add', inputs: ['before', 'branch'] }], [4], 3), data);
  });
  it('concat (a dense join)', () => {
    checkGradientsByFiniteDifferences(around([{ id: 'branch', type: 'dense', units: 3, activation: 'sigmoid' }, { id: 'join', type: 'concat', inputs: ['before', 'branch', 'input'] }], [4], 3), data);
  });
  it('batch norm (training mode: batch statistics)', () => {
    checkGradientsByFiniteDifferences(around([{ id: 'norm', type: 'batch-norm' }], [4], 3), data);
  });
  it('layer norm, on a sequence-shaped input with MSE', () => {
    checkGradientsByFiniteDifferences(around([{ id: 'norm', type: 'layer-norm' }], [3, 4], 3, 'mse'), randomData([3, 4], [3, 3], 6, 22));
  });
  it('dropout (a fixed mask per step)', () => {
    checkGradientsByFiniteDifferences(around([{ id: 'drop', type: 'dropout', rate: 0.3 }], [4], 3), data);
  });
  it('flatten, activation, and binary cross-entropy', () => {
    checkGradientsByFiniteDifferences(around([{ id: 'act', type: 'activation', activation: 'relu' }, { id: 'flat', type: 'flatten' }], [2, 4], 3, 'binary-cross-entropy'), randomData([2, 4], [3], 8, 23));
  });
});

describe('parameters, evaluation and lesions', () => {
  const residual: ModelSpec = {
    inputShape: [2],
    loss: 'cross-entropy',
    layers: [
      { id: 'stem', type: 'dense', units: 6, activation: 'tanh' },
      { id: 'block1.dense', type: 'dense', units: 6, activation: 'tanh' },
      { id: 'block1.add', type: 'add', inputs: ['stem', 'block1.dense'] },
      { id: 'block2.dense', type: 'dense', units: 6, activation: 'tanh' },
      { id: 'block2.add', type: 'add', inputs: ['block1.add', 'block2.dense'] },
      { id: 'head', type: 'dense', units: 2, label: 'output layer' },
    ],
  };
  const data = fromPointDataset(makeDataset('circles', 64, 4));

  it('reads and sets parameters by name and as one vector; the same seed gives the same values', () => {
    const a = new GraphModel(residual, 7);
    const b = new GraphModel(residual, 7);
    const c = new GraphModel(residual, 8);
    expect(a.parameterNames).toEqual(['stem.kernel', 'stem.bias', 'block1.dense.kernel', 'block1.dense.bias', 'block2.dense.kernel', 'block2.dense.bias', 'head.kernel', 'head.bias']);
    expect(a.getParameter('block1.dense.kernel')).toEqual(b.getParameter('block1.dense.kernel'));
    expect(a.getParameter('block1.dense.kernel')).not.toEqual(c.getParameter('block1.dense.kernel'));
    const before = a.evaluate(data).loss;
    b.setFlatParameters(c.getFlatParameters());
    expect(b.evaluate(data).loss).toBeCloseTo(c.evaluate(data).loss, 6);
    // Evaluating at other parameters leaves the model's own untouched.
    expect(a.evaluate(data, { parameters: c.getFlatParameters() }).loss).toBeCloseTo(c.evaluate(data).loss, 6);
    expect(a.evaluate(data).loss).toBe(before);
    const zeroHead = new Float32Array(12);
    a.setParameter('head.kernel', zeroHead);
    // A zero head with zero bias predicts 50/50: loss ln 2.
    expect(a.evaluate(data).loss).toBeCloseTo(Math.LN2, 5);
    expect(() => a.setParameter('head.kernel', new Float32Array(3))).toThrow(/12 values/);
    expect(() => a.getParameter('nope')).toThrow(/No parameter "nope"/);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('a lesioned block reduces to its skip; a lesioned layer to its input', () => {
    const model = new GraphModel(residual, 3);
    // Without block 2's branch the net is stem → block 1 → head: zeroing block 2's kernel does the same.
    const lesioned = model.evaluate(data, { lesion: ['block2'] }).loss;
    const kernel = model.getParameter('block2.dense.kernel');
    const bias = model.getParameter('block2.dense.bias');
    model.setParameter('block2.dense.kernel', new Float32Array(kernel.length));
    model.setParameter('block2.dense.bias', new Float32Array(bias.length));
    // tanh(0) = 0: the branch adds nothing.
    expect(model.evaluate(data).loss).toBeCloseTo(lesioned, 6);
    model.setParameter('block2.dense.kernel', kernel);
    model.setParameter('block2.dense.bias', bias);
    expect(model.evaluate(data).loss).not.toBeCloseTo(lesioned, 3);
    // Skipping the add layer alone passes its first input (the skip) on: the same as the group.
    expect(model.evaluate(data, { lesion: ['block2.add'] }).loss).toBeCloseTo(lesioned, 6);
    expect(() => model.evaluate(data, { lesion: ['head'] })).toThrow(/Cannot skip layer "head"/);
    expect(() => model.evaluate(data, { lesion: ['block9'] })).toThrow(/No layer or group "block9"/);
    model.dispose();
  });

  it('records name the layers with weights, with labels and groups', () => {
    const run = createGraphExperimentRun([{ label: 'r', model: residual, seed: 1, data, train: { optimizer: 'adam', learningRate: 0.02, batchSize: 16 } }]);
    expect(run.runs[0].layers).toEqual([
      { id: 'stem', label: 'stem', group: 'stem' },
      { id: 'block1.dense', label: 'block1.dense', group: 'block1' },
      { id: 'block2.dense', label: 'block2.dense', group: 'block2' },
      { id: 'head', label: 'output layer', group: 'head' },
    ]);
    const records = run.train(200);
    expect(records).toHaveLength(200);
    expect(records[0].gradNorms).toHaveLength(4);
    expect(records.slice(-10).reduce((s, r) => s + r.loss, 0) / 10).toBeLessThan(records.slice(0, 10).reduce((s, r) => s + r.loss, 0) / 10 - 0.1);
    run.dispose();
  });

  it('dropout is off when evaluating and batch norm uses its running statistics there', () => {
    const plain: ModelSpec = { inputShape: [2], loss: 'cross-entropy', layers: [{ id: 'dense', type: 'dense', units: 8, activation: 'relu' }, { id: 'head', type: 'dense', units: 2 }] };
    const withBoth: ModelSpec = { ...plain, layers: [plain.layers[0], { id: 'norm', type: 'batch-norm' }, { id: 'drop', type: 'dropout', rate: 0.5 }, plain.layers[1]] };
    const a = new GraphModel(plain, 2);
    const b = new GraphModel(withBoth, 2);
    b.setParameters(a.getParameters());
    // Fresh running statistics are mean 0, variance 1: evaluation-mode batch norm is (nearly) the identity.
    expect(b.evaluate(data).loss).toBeCloseTo(a.evaluate(data).loss, 4);
    // Training mode normalises by the batch and drops units: a different loss.
    expect(Math.abs(b.evaluate(data, { training: true }).loss - a.evaluate(data).loss)).toBeGreaterThan(1e-3);
    a.dispose();
    b.dispose();
  });

  it('batch norm keeps running statistics while training', () => {
    const spec: ModelSpec = { inputShape: [2], loss: 'cross-entropy', layers: [{ id: 'dense', type: 'dense', units: 8, initScale: 4 }, { id: 'norm', type: 'batch-norm', momentum: 0 }, { id: 'head', type: 'dense', units: 2 }] };
    // A learning rate too small to move the weights: only the running statistics change.
    const run = createGraphExperimentRun([{ label: 'bn', model: spec, seed: 2, data, train: { optimizer: 'sgd', learningRate: 1e-12, batchSize: 4096 } }]);
    const model = run.models[0];
    const before = model.evaluate(data).loss;
    run.train(1);
    // Momentum 0: the running statistics are now one batch's; a batch of 4096 drawn from 64 examples has nearly the whole set's.
    const after = model.evaluate(data).loss;
    const withBatchStatistics = model.evaluate(data, { training: true }).loss;
    expect(Math.abs(after - withBatchStatistics)).toBeLessThan(0.01 * withBatchStatistics);
    expect(Math.abs(before - withBatchStatistics)).toBeGreaterThan(0.03 * withBatchStatistics);
    run.dispose();
  });
});

describe('bad specs are rejected before training, naming the layer and the problem', () => {
  const base: ModelSpec = { inputShape: [2], loss: 'mse', layers: [{ id: 'a', type: 'dense', units: 3 }, { id: 'b', type: 'dense', units: 1 }] };
  const cases: [string, ModelSpec, RegExp][] = [
    ['mismatched shapes in an add', { ...base, layers: [{ id: 'a', type: 'dense', units: 3 }, { id: 'sum', type: 'add', inputs: ['a', 'input'] }] }, /layer "sum" \(add\): adds inputs of different shapes: input 1 is \[3\], input 2 is \[2\]/],
    ['an unknown layer type', { ...base, layers: [{ id: 'x', type: 'convolution' } as unknown as LayerSpec] }, /layer "x" \(convolution\): unknown layer type "convolution"/],
    ['an input that does not exist', { ...base, layers: [{ id: 'a', type: 'dense', units: 3, inputs: ['missing'] }] }, /layer "a" \(dense\): input "missing" is not a layer of this model/],
    ['an input that comes later', { ...base, layers: [{ id: 'a', type: 'dense', units: 3, inputs: ['b'] }, { id: 'b', type: 'dense', units: 1 }] }, /layer "a" \(dense\): input "b" comes later/],
    ['a duplicate id', { ...base, layers: [{ id: 'a', type: 'dense', units: 3 }, { id: 'a', type: 'dense', units: 1 }] }, /layer "a" \(dense\): the id "a" is used twice/],
    ['zero units', { ...base, layers: [{ id: 'a', type: 'dense', units: 0 }] }, /layer "a" \(dense\): units must be a positive integer, got 0/],
    ['a dropout rate of 1', { ...base, layers: [{ id: 'd', type: 'dropout', rate: 1 }] }, /layer "d" \(dropout\): rate must be a number in \[0, 1\)/],
    ['a one-input add', { ...base, layers: [{ id: 's', type: 'add' }] }, /layer "s" \(add\): joins two or more inputs, got 1/],
  ];
  for (const [name, spec, message] of cases) {
    it(name, () => {
      const before = tf.memory().numTensors;
      expect(() => new GraphModel(spec, 1)).toThrow(message);
      expect(() => new GraphModel(spec, 1)).toThrow(GraphSpecError);
      expect(tf.memory().numTensors).toBe(before);
    });
  }
  it('a model whose output does not fit the data', () => {
    const before = tf.memory().numTensors;
    expect(() => createGraphExperimentRun([{ label: 'x', model: base, seed: 1, data: fromPointDataset(makeDataset('circles', 16, 1)), train: { optimizer: 'sgd', learningRate: 0.1, batchSize: 4 } }])).toThrow(
      /layer "b" \(the output\) gives \[1\] per example, the targets are \[2\]/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
