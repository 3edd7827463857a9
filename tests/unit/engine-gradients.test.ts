/**
 * The hand-derived backward pass against central finite differences of the forward pass, for
 * every block type: plain, residual (blocks of 1 and 2 layers), dense; batch and layer norm;
 * every activation; MSE and cross-entropy. Two runs share the batched tensors, so the runs axis
 * is checked too (a run's gradient must not leak into the other's).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../../src/engine/backend-node';
import { backward, createParameters, forward, perRunLoss, resolveArchitecture, type Architecture } from '../../src/engine/mlp';
import { makeDataset } from '../../src/engine/datasets';
import { createRandom } from '../../src/engine/random';
import type { DatasetName, NetworkConfig, TrainConfig } from '../../src/engine/types';

beforeAll(async () => {
  await initNodeBackend();
});

const RUNS = 2;
const BATCH = 6;

function architectureFor(network: Partial<NetworkConfig>, train: Partial<TrainConfig>): Architecture {
  return resolveArchitecture(
    { inputSize: 2, outputSize: 2, depth: 3, width: 4, activation: 'tanh', init: 'glorot', initScale: 1.5, norm: 'none', skip: 'none', seed: 1, ...network },
    { dataset: 'circles', loss: 'cross-entropy', optimizer: 'sgd', learningRate: 0.1, batchSize: BATCH, ...train },
  );
}

function batchTensors(architecture: Architecture): { inputs: tf.Tensor3D; targets: tf.Tensor3D } {
  const data = makeDataset(architecture.dataset as DatasetName, RUNS * BATCH, 3);
  return {
    inputs: tf.tensor3d(data.inputs, [RUNS, BATCH, architecture.inputSize]),
    targets: tf.tensor3d(data.targets, [RUNS, BATCH, architecture.outputSize]),
  };
}

/** Summed loss of all runs, in float64 on the JS side. */
function totalLoss(architecture: Architecture, params: tf.Tensor[], inputs: tf.Tensor3D, targets: tf.Tensor3D, masks?: tf.Tensor3D[]): number {
  return tf.tidy(() => {
    const losses = perRunLoss(architecture.loss, forward(architecture, params, inputs, undefined, masks).logits, targets).dataSync();
    return Array.from(losses).reduce((a, b) => a + b, 0);
  });
}

/** Fixed inverted-dropout masks (one per hidden layer), so the loss is a deterministic function of the parameters. */
function dropoutMasks(architecture: Architecture): tf.Tensor3D[] | undefined {
  if (architecture.dropout === 0) return undefined;
  const random = createRandom(5);
  return Array.from({ length: architecture.depth }, () =>
    tf.tensor3d(Array.from({ length: RUNS * BATCH * architecture.width }, () => (random.next() < architecture.dropout ? 0 : 1 / (1 - architecture.dropout))), [RUNS, BATCH, architecture.width]),
  );
}

function checkGradients(architecture: Architecture): void {
  const params = createParameters(architecture, [11, 12]);
  const { inputs, targets } = batchTensors(architecture);
  const masks = dropoutMasks(architecture);
  const analytic = tf.tidy(() => backward(architecture, params, forward(architecture, params, inputs, undefined, masks), targets).map((g) => g.dataSync().slice()));
  // Small for curvature (layer norm), large enough for float32 round-off in the loss.
  const epsilon = 1e-3;
  let checked = 0;
  params.forEach((param, index) => {
    const values = param.dataSync().slice();
    // Every entry of small tensors; a spread of entries of larger ones keeps the test fast.
    const stride = Math.max(1, Math.floor(values.length / 24));
    for (let entry = 0; entry < values.length; entry += stride) {
      const perturbed = (delta: number) => {
        const copy = values.slice();
        copy[entry] += delta;
        const tensor = tf.tensor3d(copy, param.shape as [number, number, number]);
        const trial = params.map((p, i) => (i === index ? tensor : p));
        const loss = totalLoss(architecture, trial, inputs, targets, masks);
        tensor.dispose();
        return loss;
      };
      const [up, centre, down] = [perturbed(epsilon), totalLoss(architecture, params, inputs, targets, masks), perturbed(-epsilon)];
      const central = (up - down) / (2 * epsilon);
      // Where a ReLU unit sits within ε of its kink the central difference straddles two slopes;
      // then the one-sided difference on the smooth side is the derivative backprop computes.
      const oneSided = [(up - centre) / epsilon, (centre - down) / epsilon];
      const exact = analytic[index][entry];
      const error = Math.min(Math.abs(exact - central), ...(architecture.activation === 'relu' ? oneSided.map((d) => Math.abs(exact - d)) : []));
      // float32 forward passes: the loss carries ~1e-7 relative error, divided by ε.
      expect(error, `param ${index} entry ${entry}: backward ${exact}, finite difference ${central}`).toBeLessThan(2e-3 + 2e-2 * Math.abs(central));
      checked++;
    }
  });
  expect(checked).toBeGreaterThan(20);
  // The gradient must not be identically zero, or the comparison proves nothing.
  expect(analytic.some((g) => g.some((v) => Math.abs(v) > 1e-3))).toBe(true);
  params.forEach((p) => p.dispose());
  masks?.forEach((m) => m.dispose());
  inputs.dispose();
  targets.dispose();
}

describe('backward pass matches finite differences', () => {
  const cases: [string, Partial<NetworkConfig>, Partial<TrainConfig>][] = [
    ['plain, sigmoid, cross-entropy', { activation: 'sigmoid' }, {}],
    ['plain, tanh, MSE on regression', { activation: 'tanh' }, { dataset: 'regression-2d', loss: 'mse' }],
    ['plain, ReLU', { activation: 'relu', init: 'he' }, {}],
    ['plain, linear, MSE on classes', { activation: 'linear' }, { loss: 'mse' }],
    ['plain, batch norm', { norm: 'batch' }, {}],
    ['plain, layer norm', { norm: 'layer', activation: 'sigmoid' }, {}],
    ['residual, blocks of 1', { skip: 'residual', depth: 4 }, {}],
    ['residual, blocks of 2', { skip: 'residual', depth: 5, blockSize: 2 }, {}],
    ['residual, blocks of 2, odd depth', { skip: 'residual', depth: 4, blockSize: 2, activation: 'sigmoid' }, { dataset: 'regression-1d' }],
    ['residual, batch norm', { skip: 'residual', norm: 'batch', depth: 4 }, {}],
    ['residual, layer norm', { skip: 'residual', norm: 'layer', depth: 4, blockSize: 2 }, {}],
    ['dense', { skip: 'dense', activation: 'sigmoid' }, {}],
    ['dense, layer norm', { skip: 'dense', norm: 'layer' }, { dataset: 'blobs' }],
    ['dense, batch norm, ReLU', { skip: 'dense', norm: 'batch', activation: 'relu', init: 'he' }, {}],
    ['plain, dropout', { dropout: 0.3 }, {}],
    ['residual, blocks of 2, dropout', { skip: 'residual', depth: 5, blockSize: 2, dropout: 0.3 }, {}],
    ['dense, dropout', { skip: 'dense', activation: 'sigmoid', dropout: 0.3 }, {}],
  ];
  for (const [name, network, train] of cases) {
    it(name, () => checkGradients(architectureFor(network, train)));
  }
});
