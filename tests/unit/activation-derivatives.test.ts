import { describe, expect, it } from 'vitest';
import {
  ACTIVATIONS,
  depthBelow,
  derivative,
  formatMagnitude,
  layerFactor,
  log10Products,
  meanSquareSlope,
  sigmoid,
} from '../../src/widgets/activation-derivatives/math';
import { computeSnapshot } from '../../src/widgets/activation-derivatives/model';
import { activationDerivativesSettings } from '../../src/widgets/activation-derivatives/settings';

const defaultValues = (specs: typeof activationDerivativesSettings) =>
  Object.fromEntries(specs.map((spec) => [spec.key, spec.default]));

describe('activation slopes', () => {
  it("gives the sigmoid's slope exactly 1/4 at 0", () => {
    expect(derivative('sigmoid', 0)).toBe(0.25);
  });

  it('never lets the sigmoid slope exceed 1/4, and matches σ(1−σ)', () => {
    for (let z = -30; z <= 30; z += 0.07) {
      const slope = derivative('sigmoid', z);
      expect(slope).toBeLessThanOrEqual(0.25);
      expect(slope).toBeGreaterThanOrEqual(0);
      expect(slope).toBeCloseTo(sigmoid(z) * (1 - sigmoid(z)), 15);
    }
  });

  it('agrees with a finite-difference derivative for every activation away from kinks', () => {
    const h = 1e-5;
    for (const name of ACTIVATIONS) {
      for (const z of [-3.7, -1.2, -0.4, 0.3, 0.9, 2.5]) {
        const f = (x: number) => (name === 'sigmoid' ? sigmoid(x) : name === 'tanh' ? Math.tanh(x) : Math.max(0, x));
        const numeric = (f(z + h) - f(z - h)) / (2 * h);
        expect(derivative(name, z)).toBeCloseTo(numeric, 6);
      }
    }
  });

  it('saturates: sigmoid and tanh slopes are tiny far from 0, ReLU is 0 or 1', () => {
    expect(derivative('sigmoid', 5)).toBeLessThan(0.007);
    expect(derivative('sigmoid', -5)).toBeLessThan(0.007);
    expect(derivative('tanh', 3)).toBeLessThan(0.01);
    expect(derivative('tanh', 0)).toBe(1);
    expect(derivative('relu', 2)).toBe(1);
    expect(derivative('relu', -2)).toBe(0);
    expect(derivative('relu', 0)).toBe(0);
  });

  it('does not overflow for huge inputs', () => {
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(1000)).toBe(1);
    expect(derivative('sigmoid', -1000)).toBe(0);
  });
});

describe('mean-square slope of a spread layer', () => {
  it('is 1/2 for ReLU whatever the spread', () => {
    expect(meanSquareSlope('relu', 0.3)).toBe(0.5);
    expect(meanSquareSlope('relu', 3)).toBe(0.5);
  });

  it('tends to the slope at 0 when the spread is tiny', () => {
    expect(meanSquareSlope('sigmoid', 0.01)).toBeCloseTo(0.0625, 4);
    expect(meanSquareSlope('tanh', 0.01)).toBeCloseTo(1, 3);
  });

  it('falls as the spread grows (saturation)', () => {
    expect(meanSquareSlope('sigmoid', 2)).toBeLessThan(meanSquareSlope('sigmoid', 1));
    expect(meanSquareSlope('tanh', 2)).toBeLessThan(meanSquareSlope('tanh', 1));
  });

  it('matches a Monte Carlo estimate for the sigmoid at spread 1', () => {
    // Box–Muller with a fixed LCG so the test is deterministic.
    let state = 12345;
    const uniform = () => ((state = (state * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
    let sum = 0;
    const n = 200000;
    for (let i = 0; i < n; i += 1) {
      const z = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
      sum += derivative('sigmoid', z) ** 2;
    }
    expect(meanSquareSlope('sigmoid', 1)).toBeCloseTo(sum / n, 3);
  });

  it('rejects a non-positive spread', () => {
    expect(() => meanSquareSlope('tanh', 0)).toThrow(RangeError);
  });
});

describe('products of per-layer factors', () => {
  it('gives 0.25^20 ≈ 9.1e-13 for 20 sigmoid layers at weight scale 1 and z = 0', () => {
    const factor = layerFactor({ activation: 'sigmoid', weightScale: 1, mode: 'point', z: 0, spread: 1 });
    expect(factor).toBe(0.25);
    const products = log10Products(factor, 20);
    expect(products).toHaveLength(20);
    expect(Math.pow(10, products[19])).toBeCloseTo(Math.pow(0.25, 20), 25);
    expect(formatMagnitude(products[19])).toBe('9.1e-13');
  });

  it('shrinks geometrically below 1, grows above 1 and stays put at 1', () => {
    const shrinking = log10Products(0.5, 30);
    const growing = log10Products(1.5, 30);
    const flat = log10Products(1, 30);
    for (let k = 1; k < 30; k += 1) {
      expect(shrinking[k] - shrinking[k - 1]).toBeCloseTo(Math.log10(0.5), 12);
      expect(growing[k]).toBeGreaterThan(growing[k - 1]);
      expect(flat[k]).toBe(0);
    }
  });

  it('makes He initialisation exactly neutral for a spread ReLU layer', () => {
    const factor = layerFactor({ activation: 'relu', weightScale: Math.SQRT2, mode: 'spread', z: 0, spread: 1 });
    expect(factor).toBeCloseTo(1, 12);
  });

  it('uses the weight scale as a multiplier on the slope', () => {
    const at = (weightScale: number) => layerFactor({ activation: 'tanh', weightScale, mode: 'point', z: 0.7, spread: 1 });
    expect(at(3)).toBeCloseTo(3 * at(1), 12);
  });

  it('represents products far below the smallest double in log space', () => {
    const products = log10Products(1e-9, 50);
    expect(products[49]).toBeCloseTo(-450, 9);
    expect(formatMagnitude(products[49])).toBe('1e-450');
  });

  it('gives -Infinity (printed 0) for a zero factor', () => {
    const products = log10Products(0, 5);
    expect(products.every((value) => value === -Infinity)).toBe(true);
    expect(formatMagnitude(products[4])).toBe('0');
  });

  it('finds the depth at which a product drops below a threshold', () => {
    expect(depthBelow(0.25, 1e-6)).toBe(10); // 0.25^9 ≈ 3.8e-6, 0.25^10 ≈ 9.5e-7
    expect(depthBelow(1.2, 1e-6)).toBeUndefined();
    expect(depthBelow(0, 1e-6)).toBe(1);
  });

  it('rejects a depth that is not a positive integer', () => {
    expect(() => log10Products(0.5, 0)).toThrow(RangeError);
    expect(() => log10Products(0.5, 2.5)).toThrow(RangeError);
  });
});

describe('widget snapshot', () => {
  it('summarises the default settings with the product of 20 sigmoid factors', () => {
    const snapshot = computeSnapshot(defaultValues(activationDerivativesSettings));
    expect(snapshot.activation).toBe('sigmoid');
    expect(snapshot.depth).toBe(20);
    expect(snapshot.productText).toBe('9.1e-13');
    expect(snapshot.summary).toContain('the product of 20 factors is 9.1e-13');
    expect(snapshot.factors.tanh).toBe(1);
    expect(snapshot.factors.relu).toBe(0);
  });

  it('reports growth for tanh with a large weight scale', () => {
    const settings = { ...defaultValues(activationDerivativesSettings), activation: 'tanh', weightScale: 1.25 };
    const snapshot = computeSnapshot(settings);
    expect(snapshot.log10Product).toBeCloseTo(20 * Math.log10(1.25), 12);
    expect(snapshot.summary).toContain('it grows');
  });
});
