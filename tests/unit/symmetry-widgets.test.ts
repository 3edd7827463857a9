/**
 * Chapter 8's widgets, through their experiments and pure math: the permutation lab's output
 * change, tied units staying tied or separating, gradient descent on the mirror-symmetric loss,
 * the symmetry counter's formulas, and the exercise measures read from widget state.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/engine/backend-node';
import type { ExperimentRun, SettingsValues, WidgetState } from '../../src/engine/types';
import { permutationExperiment } from '../../src/widgets/permutation/experiment';
import { factorial, indexFromOrder, moveUnit, orderFromIndex } from '../../src/widgets/permutation/order';
import { functionUnchanged, isPermutationSnapshot, type PermutationSnapshot } from '../../src/widgets/permutation/results';
import { challenges as permutationChallenges, measures as permutationMeasures } from '../../src/widgets/permutation/challenges';
import { finalDistanceByNetwork, tiedUnitsExperiment } from '../../src/widgets/tied-units/experiment';
import { isTiedSnapshot, type TiedSnapshot } from '../../src/widgets/tied-units/results';
import { challenges as tiedChallenges, measures as tiedMeasures } from '../../src/widgets/tied-units/challenges';
import { bestOnLine, curvatureAcross, descend, lossAndGradient } from '../../src/widgets/mirror-loss/math';
import { mirrorLossExperiment } from '../../src/widgets/mirror-loss/experiment';
import { isMirrorSnapshot, largestDistanceFromLine } from '../../src/widgets/mirror-loss/results';
import { challenges as mirrorChallenges, measures as mirrorMeasures } from '../../src/widgets/mirror-loss/challenges';
import { countPermutations, log10Factorial } from '../../src/widgets/symmetry-counter/math';
import { computeCounter } from '../../src/widgets/symmetry-counter/model';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

function runToEnd(run: ExperimentRun, steps: number): unknown {
  try {
    run.train(steps);
    return run.snapshot?.();
  } finally {
    run.dispose();
  }
}

function state(kind: string, settings: SettingsValues, snapshot: unknown, status: WidgetState['status'] = 'finished'): WidgetState {
  return { id: kind, kind, settings, status, step: 1, runs: [], records: [], divergences: [], snapshot };
}

describe('unit orders as numbers', () => {
  it('round-trips every order of 4 units and moves units like a drag', () => {
    const seen = new Set<string>();
    for (let index = 0; index < factorial(4); index++) {
      const order = orderFromIndex(index, 4);
      expect(indexFromOrder(order)).toBe(index);
      seen.add(order.join());
    }
    expect(seen.size).toBe(24);
    expect(orderFromIndex(0, 6)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(moveUnit([0, 1, 2, 3], 3, 0)).toEqual([3, 0, 1, 2]);
    expect(() => orderFromIndex(720, 6)).toThrow(/order index/);
  });
});

describe('permutation lab', () => {
  const permuted = (settings: SettingsValues): PermutationSnapshot => {
    const snapshot = runToEnd(permutationExperiment.create({ steps: 60, order: 500, ...settings }), 60);
    if (!isPermutationSnapshot(snapshot)) throw new Error('no snapshot');
    return snapshot;
  };

  it('keeps a plain network’s function (zero output change up to float rounding)', () => {
    const snapshot = permuted({ network: 'plain' });
    expect(snapshot.order).toEqual(orderFromIndex(500, 6));
    expect(snapshot.incoming.after.values).not.toEqual(snapshot.incoming.before.values);
    expect(snapshot.maxOutput).toBeGreaterThan(0.1);
    expect(snapshot.maxOutputDifference).toBeLessThan(1e-5 * snapshot.maxOutput);
    expect(functionUnchanged(snapshot)).toBe(true);
    expect(permutationMeasures['permutation/function-changed'](state('permutation', { network: 'plain' }, snapshot))?.value).toBe('same');
  });

  it('changes a skip-every-layer network when one layer moves alone, not when the whole stream moves', () => {
    const partial = permuted({ network: 'every-layer' });
    expect(partial.maxOutputDifference).toBeGreaterThan(0.05);
    expect(functionUnchanged(partial)).toBe(false);
    const check = permutationChallenges['permutation/skip-net-symmetry'];
    expect(check(state('permutation', { network: 'every-layer' }, partial)).met).toBe(false);
    const stream = permuted({ network: 'every-layer', scope: 'stream' });
    expect(stream.movedLayers).toEqual([1, 2, 3]);
    expect(functionUnchanged(stream)).toBe(true);
    expect(check(state('permutation', { network: 'every-layer' }, stream)).met).toBe(true);
    expect(check(state('permutation', { network: 'every-layer' }, stream, 'running')).met).toBe(false);
  });

  it('keeps a residual block’s inner units free to move', () => {
    expect(functionUnchanged(permuted({ network: 'block', layer: 2 }))).toBe(true);
    expect(functionUnchanged(permuted({ network: 'block', layer: 1 }))).toBe(false);
  });
});

describe('tied units', () => {
  // The defaults (300 steps), as the chapter describes them.
  const tied = (settings: SettingsValues): TiedSnapshot => {
    const snapshot = runToEnd(tiedUnitsExperiment.create(settings), 300);
    if (!isTiedSnapshot(snapshot)) throw new Error('no snapshot');
    return snapshot;
  };

  it('stay tied in a plain layer and inside a residual block, and separate with a skip around every layer', () => {
    const snapshot = tied({});
    const finals = finalDistanceByNetwork(snapshot);
    expect(finals.plain).toBe(0);
    expect(finals.block).toBe(0);
    expect(finals['every-layer']).toBeGreaterThan(1e-3);
    expect(snapshot.distances.filter((d) => d.step === 0).every((d) => d.distance === 0)).toBe(true);
    expect(tiedMeasures['tied-units/separated'](state('tied-units', {}, snapshot))?.value).toBe('every-layer');
    expect(tiedChallenges['tied-units/untie-the-plain-units'](state('tied-units', {}, snapshot)).met).toBe(false);
  });

  it('separate everywhere with dropout', () => {
    const snapshot = tied({ dropout: 0.2 });
    const finals = finalDistanceByNetwork(snapshot);
    for (const distance of Object.values(finals)) expect(distance).toBeGreaterThan(1e-3);
    expect(tiedMeasures['tied-units/separated'](state('tied-units', { dropout: 0.2 }, snapshot))?.value).toBe('all');
    expect(tiedChallenges['tied-units/untie-the-plain-units'](state('tied-units', { dropout: 0.2 }, snapshot)).met).toBe(true);
  });
});

describe('the mirror-symmetric loss', () => {
  it('is symmetric and its gradient matches finite differences', () => {
    for (const landscape of ['network', 'false-minimum'] as const) {
      for (const [a, b] of [[0.3, -1.2], [2, 1], [-0.7, 0.4]]) {
        expect(lossAndGradient(landscape, a, b).loss).toBeCloseTo(lossAndGradient(landscape, b, a).loss, 12);
        const h = 1e-6;
        const [g1, g2] = lossAndGradient(landscape, a, b).gradient;
        expect(g1).toBeCloseTo((lossAndGradient(landscape, a + h, b).loss - lossAndGradient(landscape, a - h, b).loss) / (2 * h), 5);
        expect(g2).toBeCloseTo((lossAndGradient(landscape, a, b + h).loss - lossAndGradient(landscape, a, b - h).loss) / (2 * h), 5);
      }
    }
  });

  it('keeps a path started on the line on it, ending at the critical point there', () => {
    for (const landscape of ['network', 'false-minimum'] as const) {
      const path = descend(landscape, [1.5, 1.5], 0.25, 300);
      expect(path.every(({ w }) => w[0] === w[1])).toBe(true);
      const best = bestOnLine(landscape);
      expect(path[path.length - 1].w[0]).toBeCloseTo(best.w, 3);
      expect(path[path.length - 1].gradientNorm).toBeLessThan(1e-4);
    }
    // The network's point on the line is a saddle; the made-up loss's is a minimum across the line.
    expect(curvatureAcross('network', bestOnLine('network').w)).toBeLessThan(0);
    expect(curvatureAcross('false-minimum', bestOnLine('false-minimum').w)).toBeGreaterThan(0);
  });

  it("from just off the line, crosses a plateau near the saddle before reaching a true minimum (the chapter's numbers)", () => {
    const path = descend('network', [1.5, 1.45], 0.25, 2000);
    expect(path[10].loss).toBeCloseTo(0.021, 3);
    expect(path[300].loss).toBeCloseTo(0.005, 3);
    expect(path[2000].w[0]).toBeCloseTo(2, 1);
    expect(path[2000].w[1]).toBeCloseTo(-1, 1);
  });

  it('runs as an experiment on its defaults (start on the line) and its measures read the path', () => {
    const snapshot = runToEnd(mirrorLossExperiment.create({}), 300);
    if (!isMirrorSnapshot(snapshot)) throw new Error('no snapshot');
    expect(snapshot.path).toHaveLength(301);
    expect(largestDistanceFromLine(snapshot.path)).toBe(0);
    expect(mirrorMeasures['mirror-loss/end'](state('mirror-loss', {}, snapshot))?.value).toBe('on-line');
    const off = runToEnd(mirrorLossExperiment.create({ startW2: 1.45 }), 300);
    expect(mirrorMeasures['mirror-loss/end'](state('mirror-loss', {}, off))?.value).toBe('off-line');
  });

  it('has a false minimum with a basin off the line (the widget challenge can be met)', () => {
    // The exercise's solution: the false minimum sits at about (0.71, 0.71) with loss 0.2, and (0.9, 0.6) slides into it.
    expect(bestOnLine('false-minimum').w).toBeCloseTo(0.71, 2);
    expect(bestOnLine('false-minimum').loss).toBeCloseTo(0.2, 6);
    const slide = descend('false-minimum', [0.9, 0.6], 0.25, 300);
    expect(slide[300].w[0]).toBeCloseTo(0.71, 2);
    expect(slide[300].w[1]).toBeCloseTo(0.71, 2);
    const check = mirrorChallenges['mirror-loss/trapped-off-the-line'];
    const trapped = runToEnd(mirrorLossExperiment.create({ landscape: 'false-minimum', startW1: 0.9, startW2: 0.6 }), 300);
    expect(check(state('mirror-loss', {}, trapped)).met).toBe(true);
    const escaped = runToEnd(mirrorLossExperiment.create({ landscape: 'false-minimum', startW1: 2, startW2: 0 }), 300);
    expect(check(state('mirror-loss', {}, escaped)).met).toBe(false);
    const onLine = runToEnd(mirrorLossExperiment.create({ landscape: 'false-minimum' }), 300);
    expect(check(state('mirror-loss', {}, onLine)).met).toBe(false);
  });
});

describe('symmetry counter', () => {
  it('computes log10 n! exactly for small n and by Stirling beyond', () => {
    expect(log10Factorial(0)).toBe(0);
    expect(log10Factorial(5)).toBeCloseTo(Math.log10(120), 12);
    let exact = 0;
    for (let k = 2; k <= 300; k++) exact += Math.log10(k);
    expect(log10Factorial(300)).toBeCloseTo(exact, 8);
  });

  it('counts each architecture by its formula', () => {
    const size = { layers: 20, width: 16, inner: 16, heads: 8 };
    const f = log10Factorial;
    expect(countPermutations({ architecture: 'plain', ...size }).log10).toBeCloseTo(20 * f(16), 9);
    expect(countPermutations({ architecture: 'residual', ...size }).log10).toBeCloseTo(f(16) + 20 * f(16), 9);
    expect(countPermutations({ architecture: 'every-layer', ...size }).log10).toBeCloseTo(f(16), 9);
    // The original transformer base: 512-wide stream, 2048-unit FFNs (facts: ≈1,166 and ≈70,731 over 12 layers).
    const transformer = countPermutations({ architecture: 'transformer', layers: 12, width: 512, inner: 2048, heads: 8 });
    expect(transformer.terms[0].log10).toBeCloseTo(1166.5, 1);
    expect(transformer.terms[1].log10).toBeCloseTo(70730.7, 1);
    expect(() => countPermutations({ architecture: 'transformer', layers: 1, width: 10, inner: 4, heads: 3 })).toThrow(/divisible/);
    expect(computeCounter({ architecture: 'transformer', layers: 1, width: 10, inner: 4, heads: 3 }).problem).toMatch(/divisible/);
  });
});
