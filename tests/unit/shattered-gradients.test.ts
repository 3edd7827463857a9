import { describe, expect, it } from 'vitest';
import { computeShattered, makeWeights, outputsAndGradients } from '~/widgets/shattered-gradients/experiment';
import { lagOneAutocorrelation, correlationAt, CORRELATION_DEPTHS } from '~/widgets/shattered-gradients/correlation';
import { measures, depthRange, firstDepthBelowHalf } from '~/widgets/shattered-gradients/challenges';
import { shatteredExperiment } from '~/widgets/shattered-gradients/experiment';
import type { WidgetState } from '~/engine/types';
import { createRandom } from '~/engine/random';

describe('lag-1 autocorrelation', () => {
  it('is near 1 for a smooth curve, near -1 for an alternating one and near 0 for white noise', () => {
    const smooth = Array.from({ length: 256 }, (_, i) => Math.sin(i / 20));
    const alternating = Array.from({ length: 256 }, (_, i) => (i % 2 === 0 ? 1 : -1));
    const random = createRandom(5);
    const noise = Array.from({ length: 4096 }, () => random.normal());
    expect(lagOneAutocorrelation(smooth)).toBeGreaterThan(0.99);
    expect(lagOneAutocorrelation(alternating)).toBeLessThan(-0.99);
    expect(Math.abs(lagOneAutocorrelation(noise))).toBeLessThan(0.05);
  });

  it('treats a constant curve as perfectly smooth and a single point as undefined', () => {
    expect(lagOneAutocorrelation([3, 3, 3, 3])).toBe(1);
    expect(lagOneAutocorrelation([1])).toBeNaN();
  });
});

describe('input gradients', () => {
  it('match central finite differences of the same fixed function, plain and residual', () => {
    const grid = Array.from({ length: 64 }, (_, i) => -2 + (4 * i) / 63);
    const weights = makeWeights(16, 6, [1, 3, 6], 7);
    const h = 1e-5;
    for (const skip of ['none', 'residual'] as const) {
      const at = outputsAndGradients(weights, skip, grid);
      // Evaluate y at shifted inputs with the batch-norm statistics still taken from `grid`.
      const plus = outputsAndGradients(weights, skip, grid.map((x) => x + h), grid);
      const minus = outputsAndGradients(weights, skip, grid.map((x) => x - h), grid);
      for (const depth of [1, 3, 6]) {
        const analytic = at.get(depth)!.dydx;
        const numeric = plus.get(depth)!.y.map((y, i) => (y - minus.get(depth)!.y[i]) / (2 * h));
        let checked = 0;
        analytic.forEach((value, i) => {
          // A kink between x − h and x + h makes the difference quotient meaningless there.
          if (Math.abs(numeric[i] - value) > 1e-4 * (1 + Math.abs(value))) return;
          checked++;
        });
        expect(checked).toBeGreaterThanOrEqual(grid.length - 2);
      }
    }
  });
});

describe('shattered-gradients experiment (small settings)', () => {
  const snapshot = computeShattered({ width: 32, points: 128, depth: 16, seed: 3 });

  it('reports a correlation for every measured depth, plain and residual, and the curves drawn', () => {
    expect(snapshot.grid).toHaveLength(128);
    expect(snapshot.correlations).toHaveLength(2 * CORRELATION_DEPTHS.length);
    expect(snapshot.curves.map((c) => `${c.skip}:${c.depth}`)).toEqual(['none:1', 'none:16', 'residual:16']);
    for (const curve of snapshot.curves) expect(curve.gradients.every(Number.isFinite)).toBe(true);
  });

  it('shows plain gradients decorrelating with depth much faster than residual ones', () => {
    const plainShallow = correlationAt(snapshot, 'none', 1)!;
    const plainDeep = correlationAt(snapshot, 'none', 24)!;
    const residualDeep = correlationAt(snapshot, 'residual', 24)!;
    expect(plainShallow).toBeGreaterThan(0.9);
    expect(plainDeep).toBeLessThan(0.4);
    expect(residualDeep).toBeGreaterThan(plainDeep + 0.3);
    // The drop from 1 to 24 layers is much larger for plain networks.
    const residualDrop = correlationAt(snapshot, 'residual', 1)! - residualDeep;
    expect(plainShallow - plainDeep).toBeGreaterThan(2 * residualDrop);
  });

  it('runs through the Experiment interface: one computation, snapshot, no training', () => {
    const run = shatteredExperiment.create({ width: 16, points: 64, depth: 8, seed: 1 });
    expect(run.train(1)).toEqual([]);
    expect(run.runs.length).toBe(2 * CORRELATION_DEPTHS.length);
    expect(run.snapshot?.()).toMatchObject({ grid: expect.any(Array), correlations: expect.any(Array) });
    run.dispose();
  });

  it('summarises one row per run with its correlation, as the runs are numbered and labelled', () => {
    const run = shatteredExperiment.create({ width: 16, points: 64, depth: 8, seed: 1 });
    const snapshot = run.snapshot?.();
    const summary = shatteredExperiment.summarize?.(run.runs, run.train(1), snapshot);
    run.dispose();
    expect(summary).toHaveLength(run.runs.length);
    expect(Array.isArray(summary) && summary.map((row) => [row.run, row.label])).toEqual(run.runs.map((info) => [info.id, info.label]));
    for (const info of run.runs) {
      const row = Array.isArray(summary) ? summary[info.id] : undefined;
      expect(row).toMatchObject({ skip: info.skip, depth: info.depth });
      expect(row.correlation).toBe(correlationAt(computeShattered({ width: 16, points: 64, depth: 8, seed: 1 }), info.skip === 'residual' ? 'residual' : 'none', info.depth!));
    }
    expect(run.runs.find((info) => info.depth === 1 && info.skip === 'none')?.label).toBe('plain, 1 layer');
    // Without a snapshot there is nothing to summarise.
    expect(shatteredExperiment.summarize?.(run.runs, [], undefined)).toBeUndefined();
  });

  it('rejects bad settings with a clear message', () => {
    expect(() => shatteredExperiment.create({ width: 0 })).toThrow(/width/);
  });
});

describe('shattered-gradients measures', () => {
  const stateWith = (snapshot: unknown): WidgetState => ({ id: 'w', kind: 'shattered-gradients', settings: {}, status: 'finished', step: 1, runs: [], records: [], divergences: [], snapshot });

  it('bucket the depth at which the correlation first falls below one half', () => {
    expect(depthRange(undefined)).toBe('never');
    expect(depthRange(4)).toBe('up-to-4');
    expect(depthRange(12)).toBe('5-to-16');
    expect(depthRange(32)).toBe('17-to-50');
    const snapshot = {
      grid: [0, 1],
      curves: [],
      correlations: [
        { skip: 'none', depth: 1, correlation: 0.99 },
        { skip: 'none', depth: 8, correlation: 0.7 },
        { skip: 'none', depth: 12, correlation: 0.2 },
        { skip: 'residual', depth: 1, correlation: 0.99 },
        { skip: 'residual', depth: 12, correlation: 0.8 },
      ],
    };
    expect(firstDepthBelowHalf(snapshot as never, 'none')).toBe(12);
    expect(measures['shattered-gradients/plain-half-depth'](stateWith(snapshot))).toMatchObject({ value: '5-to-16' });
    expect(measures['shattered-gradients/residual-half-depth'](stateWith(snapshot))).toMatchObject({ value: 'never' });
  });

  it('give no value before the widget has computed anything', () => {
    expect(measures['shattered-gradients/plain-half-depth'](stateWith(undefined))).toBeUndefined();
  });

  it('on the real defaults, put the plain network in a shallower bucket than the residual one', () => {
    const real = computeShattered({});
    const plain = measures['shattered-gradients/plain-half-depth'](stateWith(real))!;
    const residual = measures['shattered-gradients/residual-half-depth'](stateWith(real))!;
    const order = ['up-to-4', '5-to-16', '17-to-50', 'never'];
    expect(order.indexOf(String(plain.value))).toBeLessThan(order.indexOf(String(residual.value)));
  });
});
