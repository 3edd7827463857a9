import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { lossLandscapeExperiment, landscapeRunSpecs } from '~/widgets/loss-landscape/experiment';
import { countLocalMinima, filterNormalizedDirection, landscapeProgress, sliceCoordinates, isLandscapeSnapshot, type LandscapeSnapshot, type ParameterShape } from '~/widgets/loss-landscape/landscape';
import { challenges, measures } from '~/widgets/loss-landscape/challenges';
import { resolveSettings, runLength } from '~/engine/settings';
import { lossLandscapeSettings } from '~/widgets/loss-landscape/settings';
import type { WidgetState } from '~/engine/types';

function columnNorm(values: Float32Array, rows: number, cols: number, column: number): number {
  let sum = 0;
  for (let r = 0; r < rows; r++) sum += values[r * cols + column] ** 2;
  return Math.sqrt(sum);
}

describe('filter-normalised directions', () => {
  const shapes: ParameterShape[] = [
    { role: 'kernel', rows: 3, cols: 4 },
    { role: 'other', rows: 1, cols: 4 },
    { role: 'kernel', rows: 4, cols: 2 },
  ];
  const weights = shapes.map(({ rows, cols }, index) => Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i + 1) * (index + 1)));

  it('rescales each neuron’s incoming direction to the norm of its trained weights and zeroes biases and norms', () => {
    const direction = filterNormalizedDirection(weights, shapes, 7);
    shapes.forEach(({ role, rows, cols }, index) => {
      if (role === 'other') {
        expect([...direction[index]].every((v) => v === 0)).toBe(true);
        return;
      }
      for (let column = 0; column < cols; column++) {
        expect(columnNorm(direction[index], rows, cols, column)).toBeCloseTo(columnNorm(weights[index], rows, cols, column), 5);
      }
    });
  });

  it('draws the same raw direction from the same seed, scaled to each network’s own weights', () => {
    const doubled = weights.map((w) => w.map((v) => 2 * v));
    const a = filterNormalizedDirection(weights, shapes, 3);
    const b = filterNormalizedDirection(doubled, shapes, 3);
    a.forEach((values, index) => values.forEach((v, i) => expect(b[index][i]).toBeCloseTo(2 * v, 5)));
    expect(filterNormalizedDirection(weights, shapes, 4)[0][0]).not.toBeCloseTo(a[0][0], 5);
  });

  it('puts the trained weights on the centre grid point', () => {
    const coordinates = sliceCoordinates(31, 1);
    expect(coordinates).toHaveLength(31);
    expect(coordinates[15]).toBe(0);
    expect(coordinates[0]).toBe(-1);
    expect(coordinates[30]).toBe(1);
  });
});

describe('roughness: local minima on the grid', () => {
  const grid = (n: number, f: (i: number, j: number) => number) => Array.from({ length: n * n }, (_, k) => f(k % n, Math.floor(k / n)));

  it('counts one minimum in a bowl, many in an egg box, none on a tilted plane', () => {
    expect(countLocalMinima(grid(11, (i, j) => (i - 5) ** 2 + (j - 5) ** 2), 11)).toBe(1);
    expect(countLocalMinima(grid(21, (i, j) => Math.sin(i * 1.3) + Math.sin(j * 1.3) + 0.001 * (i + j)), 21)).toBeGreaterThan(5);
    expect(countLocalMinima(grid(11, (i, j) => i + 2 * j), 11)).toBe(0);
  });

  it('does not count flat plateaus or non-finite points', () => {
    expect(countLocalMinima(grid(7, () => 1), 7)).toBe(0);
    expect(countLocalMinima(grid(7, (i, j) => (i === 3 && j === 3 ? NaN : 1)), 7)).toBe(0);
  });
});

describe('loss-landscape settings and specs', () => {
  it('trains two networks identical but for the skips', () => {
    const [plain, residual] = landscapeRunSpecs({});
    expect(plain.network.skip).toBe('none');
    expect(residual.network.skip).toBe('residual');
    expect({ ...plain.network, skip: 'residual' }).toEqual(residual.network);
    expect(plain.train).toEqual(residual.train);
  });

  it('declares its run length as training steps plus grid rows, and rejects bad settings', () => {
    expect(runLength(lossLandscapeExperiment, resolveSettings(lossLandscapeSettings, {}))).toBe(500 + 31);
    expect(() => lossLandscapeExperiment.create({ resolution: '30' })).toThrow(/resolution/);
    expect(() => lossLandscapeExperiment.create({ depth: 0 })).toThrow(/depth/);
  });
});

function state(snapshot: LandscapeSnapshot | undefined, settings = {}): WidgetState {
  return { id: 'l', kind: 'loss-landscape', settings, status: 'finished', step: 1, runs: [], records: [], divergences: [], snapshot };
}

describe('loss-landscape experiment, headless', () => {
  beforeAll(async () => {
    tf.env().set('PROD', true);
    await tf.setBackend('wasm');
    await tf.ready();
  });

  function runToEnd(settings: Record<string, number | string>): LandscapeSnapshot {
    const run = lossLandscapeExperiment.create(settings);
    try {
      const length = runLength(lossLandscapeExperiment, resolveSettings(lossLandscapeSettings, settings));
      const midway = run.train(Math.floor(length / 2));
      expect(midway.length).toBeGreaterThan(0);
      run.train(length - Math.floor(length / 2));
      const snapshot = run.snapshot!();
      if (!isLandscapeSnapshot(snapshot)) throw new Error('not a landscape snapshot');
      return snapshot;
    } finally {
      run.dispose();
    }
  }

  it('small settings: the plain network’s slice has more local minima than the residual one’s, and memory is freed', () => {
    const before = tf.memory().numTensors;
    const snapshot = runToEnd({ depth: 12, width: 8, trainSteps: 200, resolution: '21' });
    expect(tf.memory().numTensors).toBe(before);
    expect(snapshot.phase).toBe('done');
    expect(landscapeProgress(snapshot)).toBe(1);
    const [plain, residual] = snapshot.surfaces;
    expect(plain.values.every(Number.isFinite)).toBe(true);
    expect(residual.values.every(Number.isFinite)).toBe(true);
    // The centre is the trained network: no grid point is much better.
    expect(Math.min(...residual.values)).toBeGreaterThan(0.5 * residual.centreLoss!);
    expect(plain.localMinima!).toBeGreaterThan(2 * residual.localMinima!);
    expect(measures['loss-landscape/rougher-network'](state(snapshot))?.value).toBe('plain');
    expect(challenges['loss-landscape/smooth-plain'](state(snapshot, { depth: 12 })).met).toBe(false);
  }, 300_000);

  it('defaults: the numbers chapter 4 quotes (33 local minima plain, 4 residual on the 31 × 31 grid)', () => {
    const snapshot = runToEnd({});
    const [plain, residual] = snapshot.surfaces;
    expect(plain.localMinima).toBe(33);
    expect(residual.localMinima).toBe(4);
    expect(plain.centreLoss!.toFixed(2)).toBe('0.34');
    expect(residual.centreLoss!.toFixed(2)).toBe('0.17');
  }, 600_000);

  it('a shallow plain network has a smooth slice too (the chapter’s widget challenge)', () => {
    const snapshot = runToEnd({ depth: 4 });
    expect(snapshot.surfaces[0].localMinima).toBeLessThanOrEqual(2);
    expect(challenges['loss-landscape/smooth-plain'](state(snapshot, { depth: 4 })).met).toBe(true);
  }, 300_000);
});
