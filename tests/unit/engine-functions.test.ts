/**
 * The one table of activations and losses (src/engine/functions.ts): its derivatives against
 * finite differences, and the engine's tensor versions against the table, value by value.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '~/engine/backend-node';
import { ACTIVATION_FUNCTIONS, LOSS_FUNCTIONS, SATURATION_FRACTION, type LossName } from '~/engine/functions';
import { activate, activationBackward, lossAndScaledGradient, saturatedMask } from '~/engine/tensor-functions';
import type { Activation } from '~/engine/types';

beforeAll(async () => {
  await initNodeBackend();
});

const ACTIVATIONS = Object.keys(ACTIVATION_FUNCTIONS) as Activation[];
// Points away from ReLU's kink at 0, from the flat tails to the middle.
const POINTS = [-6, -2.5, -1, -0.3, 0.2, 0.7, 1.5, 4];

describe('activation table', () => {
  it('has slopes that match finite differences of the values, from z and from the output', () => {
    for (const name of ACTIVATIONS) {
      const fn = ACTIVATION_FUNCTIONS[name];
      for (const z of POINTS) {
        const h = 1e-5;
        const numeric = (fn.value(z + h) - fn.value(z - h)) / (2 * h);
        expect(fn.slope(z), `${name} at ${z}`).toBeCloseTo(numeric, 6);
        expect(fn.slopeFromOutput(fn.value(z)), `${name} at ${z}`).toBeCloseTo(fn.slope(z), 12);
        expect(fn.slope(z)).toBeLessThanOrEqual(fn.maxSlope);
      }
    }
    expect(ACTIVATION_FUNCTIONS.sigmoid.slope(0)).toBe(ACTIVATION_FUNCTIONS.sigmoid.maxSlope);
    expect(ACTIVATION_FUNCTIONS.relu.slope(0)).toBe(0);
    // The stable sigmoid does not overflow in either tail.
    expect(ACTIVATION_FUNCTIONS.sigmoid.value(-800)).toBe(0);
    expect(ACTIVATION_FUNCTIONS.sigmoid.value(800)).toBe(1);
  });

  it('has tensor versions that compute the same values, slopes and saturation', () => {
    for (const name of ACTIVATIONS) {
      const fn = ACTIVATION_FUNCTIONS[name];
      const [values, slopes, saturated] = tf.tidy(() => {
        const z = tf.tensor3d(POINTS, [1, 1, POINTS.length]);
        const a = activate(name, z) as tf.Tensor3D;
        const mask = saturatedMask(name, a);
        return [a.dataSync(), activationBackward(name, a, tf.onesLike(a)).dataSync(), mask ? Array.from(mask.dataSync()) : undefined];
      });
      POINTS.forEach((z, i) => {
        expect(values[i], `${name}(${z})`).toBeCloseTo(fn.value(z), 5);
        expect(slopes[i], `${name}'(${z})`).toBeCloseTo(fn.slope(z), 5);
      });
      if (fn.saturates) expect(saturated).toEqual(POINTS.map((z) => (fn.slope(z) < fn.maxSlope * SATURATION_FRACTION ? 1 : 0)));
      else expect(saturated).toBeUndefined();
    }
    // The tails of sigmoid and tanh are saturated, their middles are not.
    expect(ACTIVATION_FUNCTIONS.tanh.slope(-6) < SATURATION_FRACTION).toBe(true);
    expect(ACTIVATION_FUNCTIONS.tanh.slope(0.2) < SATURATION_FRACTION).toBe(false);
  });
});

describe('loss table', () => {
  const outputs = [0.3, -1.2, 2.1];
  const targets = [0, 1, 0];

  it('has gradients that match finite differences of the values', () => {
    for (const name of Object.keys(LOSS_FUNCTIONS) as LossName[]) {
      const loss = LOSS_FUNCTIONS[name];
      const gradient = loss.gradient(outputs, targets);
      outputs.forEach((_, k) => {
        const h = 1e-6;
        const shifted = (delta: number) => loss.value(outputs.map((y, i) => (i === k ? y + delta : y)), targets);
        expect(gradient[k], `${name}, output ${k}`).toBeCloseTo((shifted(h) - shifted(-h)) / (2 * h), 6);
      });
    }
    expect(LOSS_FUNCTIONS['half-squared-error'].value([3], [1])).toBe(2);
    expect(LOSS_FUNCTIONS.mse.value([3, 1], [1, 1])).toBe(2);
  });

  it('gives the engine the same batch losses and logit gradients as the table', () => {
    const batch = [outputs, [1.5, 0.2, -0.4]];
    const batchTargets = [targets, [1, 0, 0]];
    for (const name of ['mse', 'cross-entropy'] as const) {
      const table = LOSS_FUNCTIONS[name];
      const [losses, dLogits] = tf.tidy(() => {
        const result = lossAndScaledGradient(name, tf.tensor3d([batch]), tf.tensor3d([batchTargets]));
        return [result.losses.dataSync(), result.dLogits.dataSync()];
      });
      const expectedLoss = (table.value(batch[0], batchTargets[0]) + table.value(batch[1], batchTargets[1])) / 2;
      expect(losses[0], name).toBeCloseTo(expectedLoss, 5);
      const expectedGradient = batch.flatMap((row, b) => table.gradient(row, batchTargets[b]).map((g) => g / batch.length));
      expectedGradient.forEach((g, i) => expect(dLogits[i], `${name} gradient ${i}`).toBeCloseTo(g, 6));
    }
  });
});
