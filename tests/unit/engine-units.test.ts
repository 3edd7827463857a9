/**
 * Permutation symmetry of the engine's MLPs (src/engine/units.ts): reordering units by the
 * textbook recipe leaves a plain or dense network's function unchanged, and a residual network's
 * only when the whole stream (or a block's inner layer) moves; tied units stay tied exactly where
 * the swap is a symmetry.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../../src/engine/backend-node';
import { forward, initialValues, paramLayout, resolveArchitecture, stackParameters, type Architecture } from '../../src/engine/mlp';
import { isPermutation, nearestUnitPair, permuteUnits, streamLayers, tieUnits, unitDistance } from '../../src/engine/units';
import { makeDataset } from '../../src/engine/datasets';
import type { NetworkConfig } from '../../src/engine/types';

beforeAll(async () => {
  await initNodeBackend();
});

function architecture(network: Partial<NetworkConfig>): Architecture {
  return resolveArchitecture(
    { inputSize: 2, outputSize: 2, depth: 4, width: 5, activation: 'tanh', init: 'glorot', norm: 'none', skip: 'none', seed: 1, ...network },
    { dataset: 'circles', loss: 'cross-entropy', optimizer: 'adam', learningRate: 0.01, batchSize: 8 },
  );
}

/** Largest |difference| between the two parameter sets' outputs on 64 inputs, and the largest output. */
function outputChange(arch: Architecture, a: Float32Array[], b: Float32Array[]): { change: number; scale: number } {
  const params = stackParameters(paramLayout(arch), [a, b]);
  const data = makeDataset('circles', 64, 2);
  const logits = tf.tidy(() => {
    const x = tf.tensor3d(data.inputs, [1, 64, 2]);
    return forward(arch, params, tf.concat([x, x], 0)).logits.dataSync().slice();
  });
  params.forEach((p) => p.dispose());
  const half = logits.length / 2;
  let change = 0;
  let scale = 0;
  for (let i = 0; i < half; i++) {
    change = Math.max(change, Math.abs(logits[i] - logits[half + i]));
    scale = Math.max(scale, Math.abs(logits[i]));
  }
  return { change, scale };
}

const ORDER = [3, 0, 4, 1, 2];

describe('permuting hidden units', () => {
  it('checks that an order is a permutation', () => {
    expect(isPermutation(ORDER, 5)).toBe(true);
    expect(isPermutation([0, 0, 1, 2, 3], 5)).toBe(false);
    expect(() => permuteUnits(architecture({}), initialValues(architecture({}), paramLayout(architecture({})), 1), [1], [0, 1])).toThrow(/permutation/);
  });

  for (const [name, network] of [
    ['plain', {}],
    ['plain, batch norm', { norm: 'batch' }],
    ['dense', { skip: 'dense' }],
  ] as const) {
    it(`leaves a ${name} network's function unchanged for every layer`, () => {
      const arch = architecture(network);
      const values = initialValues(arch, paramLayout(arch), 3);
      for (let layer = 0; layer < arch.depth; layer++) {
        const permuted = permuteUnits(arch, values, [layer], ORDER);
        expect(permuted.some((p, i) => p.some((v, k) => v !== values[i][k]))).toBe(true);
        const { change, scale } = outputChange(arch, values, permuted);
        expect(scale).toBeGreaterThan(0.01);
        expect(change).toBeLessThan(1e-5 * Math.max(1, scale));
      }
    });
  }

  it('changes a skip-every-layer network unless the whole stream moves', () => {
    const arch = architecture({ skip: 'residual', blockSize: 1 });
    const values = initialValues(arch, paramLayout(arch), 3);
    expect(streamLayers(arch)).toEqual([0, 1, 2, 3]);
    const partial = outputChange(arch, values, permuteUnits(arch, values, [1], ORDER));
    expect(partial.change).toBeGreaterThan(1e-2);
    const whole = outputChange(arch, values, permuteUnits(arch, values, streamLayers(arch), ORDER));
    expect(whole.change).toBeLessThan(1e-5 * Math.max(1, whole.scale));
  });

  it("leaves a residual block's inner units free to move, but not its stream layer alone", () => {
    const arch = architecture({ skip: 'residual', blockSize: 2, depth: 5 });
    const values = initialValues(arch, paramLayout(arch), 4);
    expect(streamLayers(arch)).toEqual([0, 2, 4]);
    for (const inner of [1, 3]) expect(outputChange(arch, values, permuteUnits(arch, values, [inner], ORDER)).change).toBeLessThan(1e-5);
    expect(outputChange(arch, values, permuteUnits(arch, values, [2], ORDER)).change).toBeGreaterThan(1e-2);
  });
});

describe('tied units', () => {
  it('are at distance 0 after tying and apart otherwise', () => {
    const arch = architecture({});
    const values = initialValues(arch, paramLayout(arch), 2);
    expect(unitDistance(arch, values, 1, 0, 1)).toBeGreaterThan(0.1);
    const tied = tieUnits(arch, values, 1, 0, 1);
    expect(unitDistance(arch, tied, 1, 0, 1)).toBe(0);
    expect(nearestUnitPair(arch, tied)).toMatchObject({ distance: 0, layer: 1, units: [0, 1] });
  });
});
