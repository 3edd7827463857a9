/**
 * Chapter 7's claims about its widgets, measured headless on the wasm back-end (the browser's) with
 * the widgets' own experiments:
 * - the tiny transformer on its defaults reaches ≥ 95 % held-out token accuracy (by step 150 here;
 *   the widget runs 300);
 * - without residual skips, the rank-collapse measure falls with depth and the loss stays higher;
 * - without positional encoding, shuffling the input shuffles the outputs the same way (and the
 *   model cannot learn to reverse), while with it the outputs do not just follow the shuffle;
 * - at a learning rate of 0.03 with no warm-up, post-LN stays at the loss of guessing while pre-LN
 *   starts to learn.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/engine/backend-node';
import { tinyTransformerExperiment } from '../../src/widgets/tiny-transformer/experiment';
import { isTinyTransformerSnapshot, parseDigits, summarizeTinyTransformer } from '../../src/widgets/tiny-transformer/results';
import { transformerAblationExperiment } from '../../src/widgets/transformer-ablation/experiment';
import { EQUIVARIANCE_TOLERANCE, isAblationSnapshot, type AblationSnapshot } from '../../src/widgets/transformer-ablation/results';
import { transformerForward } from '../../src/engine/attention-math';
import { defaultSettings } from '../../src/engine/settings';

beforeAll(async () => {
  expect(await initNodeBackend('wasm')).toBe('wasm');
});

function ablation(settings: Record<string, string | number>, steps: number): AblationSnapshot {
  const run = transformerAblationExperiment.create({ ...defaultSettings(transformerAblationExperiment.settings), ...settings });
  try {
    run.train(steps);
    const snapshot = run.snapshot?.();
    if (!isAblationSnapshot(snapshot)) throw new Error('no ablation snapshot');
    return snapshot;
  } finally {
    run.dispose();
  }
}

describe('the tiny transformer', () => {
  it('learns to reverse 8 digits on its defaults: ≥ 95 % token accuracy on held-out sequences by step 150', () => {
    const run = tinyTransformerExperiment.create(defaultSettings(tinyTransformerExperiment.settings));
    try {
      run.train(150);
      const snapshot = run.snapshot?.();
      if (!isTinyTransformerSnapshot(snapshot)) throw new Error('no snapshot');
      const summary = summarizeTinyTransformer(snapshot)!;
      console.log('tiny transformer', JSON.stringify(summary), snapshot.heldOut.map((p) => `${p.step}:${p.accuracy.toFixed(3)}`).join(' '));
      expect(snapshot.heldOut[0]).toMatchObject({ step: 0 });
      expect(snapshot.heldOut[0].accuracy).toBeLessThan(0.3);
      expect(summary.step).toBe(150);
      expect(summary.heldOutAccuracy).toBeGreaterThanOrEqual(0.95);
      // The page's own forward pass on the snapshot's parameters answers a new sequence right.
      const tokens = [3, 1, 4, 1, 5, 9, 2, 6];
      expect(transformerForward(snapshot.shape, snapshot.parameters, tokens).prediction).toEqual([...tokens].reverse());
      // Gradient norms name every layer with weights.
      expect(run.runs[0].layers.map((l) => l.id)).toContain('block2.attn');
    } finally {
      run.dispose();
    }
  }, 300_000);

  it('reads the reader’s digits and says what is wrong with bad input', () => {
    expect(parseDigits('3 1 4 1 5 9 2 6')).toEqual({ tokens: [3, 1, 4, 1, 5, 9, 2, 6] });
    expect(parseDigits('12345')).toEqual({ problem: 'Type exactly 8 digits (you typed 5).' });
    expect(parseDigits('1234567a')).toEqual({ problem: 'Use the digits 0 to 9 only.' });
  });
});

describe('ablations', () => {
  it('without skips the rank-collapse measure falls with depth and the loss stays higher', () => {
    const snapshot = ablation({ comparison: 'skips', layers: 4 }, 100);
    const [withSkips, without] = snapshot.models;
    console.log('skips', JSON.stringify(snapshot.models.map((m) => ({ label: m.label, loss: m.loss, accuracy: m.accuracy, collapse: m.collapse, init: m.collapseAtInit }))));
    expect(withSkips.label).toBe('with skips');
    expect(without.label).toBe('no skips');
    // Depth by depth, at initialisation and after training, the stream without skips is closer to collapse.
    for (const collapse of [without.collapseAtInit, without.collapse]) {
      expect(collapse.at(-1)!).toBeLessThan(collapse[0] / 2);
      // Block by block it falls, until float32 rounding (about 1e-7) stops it.
      for (let depth = 1; depth < collapse.length; depth++) if (collapse[depth - 1] > 1e-5) expect(collapse[depth]).toBeLessThan(collapse[depth - 1]);
    }
    // With skips the measure stays far from 0 at every depth: orders of magnitude above the model without.
    expect(withSkips.collapseAtInit.at(-1)!).toBeGreaterThan(100 * without.collapseAtInit.at(-1)!);
    expect(withSkips.collapse.at(-1)!).toBeGreaterThan(100 * without.collapse.at(-1)!);
    expect(withSkips.collapse.at(-1)!).toBeGreaterThan(withSkips.collapse[0]);
    expect(without.loss).toBeGreaterThan(1);
    expect(withSkips.loss).toBeLessThan(without.loss / 10);
    expect(withSkips.accuracy).toBeGreaterThan(0.9);
    expect(without.accuracy).toBeLessThan(0.5);
  }, 600_000);

  it('without positional encoding the outputs are permutation-equivariant and reversing fails', () => {
    const snapshot = ablation({ comparison: 'positions', layers: 2 }, 100);
    const [withPositions, without] = snapshot.models;
    console.log('positions', JSON.stringify(snapshot.models.map((m) => ({ label: m.label, loss: m.loss, accuracy: m.accuracy, mismatch: m.permutation.mismatch }))));
    expect(without.label).toBe('no positional encoding');
    expect(without.permutation.mismatch).toBeLessThan(EQUIVARIANCE_TOLERANCE);
    expect(without.permutation.shuffledOutput).toEqual(without.permutation.order.map((from) => without.permutation.output[from]));
    expect(withPositions.permutation.mismatch).toBeGreaterThan(0.05);
    expect(without.accuracy).toBeLessThan(0.4);
    expect(withPositions.accuracy).toBeGreaterThan(0.9);
  }, 600_000);

  it('at a learning rate of 0.03 without warm-up, post-LN stays at chance while pre-LN starts to learn', () => {
    const snapshot = ablation({ comparison: 'norm', layers: 4, learningRate: 0.03 }, 100);
    const [pre, post] = snapshot.models;
    console.log('norm', JSON.stringify(snapshot.models.map((m) => ({ label: m.label, loss: m.loss, accuracy: m.accuracy }))));
    expect(pre.label).toBe('pre-LN');
    expect(post.label).toBe('post-LN');
    // ln 10 ≈ 2.30 is the loss of guessing among 10 digits.
    expect(post.loss).toBeGreaterThan(2.28);
    expect(pre.loss).toBeLessThan(post.loss - 0.05);
    expect(pre.accuracy).toBeGreaterThan(post.accuracy + 0.05);
  }, 600_000);

  it('one block with one head learns to reverse within the widget’s 300 steps (the chapter’s widget challenge)', () => {
    const run = tinyTransformerExperiment.create({ ...defaultSettings(tinyTransformerExperiment.settings), layers: 1, heads: '1' });
    try {
      run.train(300);
      const snapshot = run.snapshot?.();
      if (!isTinyTransformerSnapshot(snapshot)) throw new Error('no snapshot');
      console.log('one head', snapshot.heldOut.map((p) => `${p.step}:${p.accuracy.toFixed(3)}`).join(' '));
      expect(summarizeTinyTransformer(snapshot)!.heldOutAccuracy).toBeGreaterThanOrEqual(0.95);
    } finally {
      run.dispose();
    }
  }, 600_000);
});
