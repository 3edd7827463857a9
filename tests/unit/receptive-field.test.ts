/**
 * The receptive-field explorer's geometry: the textbook recursion r ← r + (k − 1)·j for every
 * layer, the U-Net paper's unpadded sizes (572 → 28 at the bottom, Ronneberger et al. 2015,
 * Fig. 1), path counts that agree with brute force, the border, and the problems it reports.
 */
import { describe, expect, it } from 'vitest';
import { buildStack, pathCounts, receptiveField } from '~/widgets/receptive-field/geometry';
import { computeReceptiveField } from '~/widgets/receptive-field/model';
import { defaultSettings } from '~/engine/settings';
import { receptiveFieldSettings } from '~/widgets/receptive-field/settings';

describe('receptive-field geometry', () => {
  it('two 3×3 convolutions per level and two poolings: fields 3, 5, 6, 10, 14, 16, 24, 32 on an 8×8 output', () => {
    const stack = buildStack({ inputSize: 32, levels: 2, convsPerLevel: 2, kernel: 3, padding: 'same' });
    expect(stack.ok).toBe(true);
    if (!stack.ok) return;
    expect(stack.layers.map((l) => l.receptiveField)).toEqual([3, 5, 6, 10, 14, 16, 24, 32]);
    expect(stack.layers.map((l) => l.jump)).toEqual([1, 1, 2, 2, 2, 4, 4, 4]);
    expect(stack.outputSize).toBe(8);
  });

  it('the U-Net paper’s encoder: unpadded 3×3 convolutions take 572 pixels to 28 at the bottom', () => {
    const stack = buildStack({ inputSize: 572, levels: 4, convsPerLevel: 2, kernel: 3, padding: 'valid' });
    expect(stack.ok).toBe(true);
    if (!stack.ok) return;
    expect(stack.layers.filter((l) => l.kind === 'pool').map((l) => l.outputSize)).toEqual([284, 140, 68, 32]);
    expect(stack.outputSize).toBe(28);
    expect(stack.layers[stack.layers.length - 1].receptiveField).toBe(140);
  });

  it('the chapter and exercise numbers: 3 convolutions see 7 pixels; a 5×5 stack sees 26; the paper’s bottom sees 140 and its decoder ends at 388', () => {
    const field = (options: Parameters<typeof buildStack>[0]) => {
      const stack = buildStack(options);
      if (!stack.ok) throw new Error(stack.problem);
      return stack.layers[stack.layers.length - 1].receptiveField;
    };
    expect(field({ inputSize: 32, levels: 0, convsPerLevel: 3, kernel: 3, padding: 'same' })).toBe(7);
    // Exercise unet-receptive-field: two 5×5 convolutions, a pooling, two more.
    expect(field({ inputSize: 32, levels: 1, convsPerLevel: 2, kernel: 5, padding: 'same' })).toBe(26);
    // Exercise unet-predict-paper-field.
    expect(field({ inputSize: 572, levels: 4, convsPerLevel: 2, kernel: 3, padding: 'valid' })).toBe(140);
    // Exercise unet-output-size: each decoder level maps n to 2n − 4, from the bottom's 28.
    let width = 28;
    for (let level = 0; level < 4; level++) width = 2 * width - 4;
    expect(width).toBe(388);
  });

  it('path counts match brute-force enumeration and span exactly the receptive field away from the border', () => {
    const options = { inputSize: 32, levels: 1, convsPerLevel: 2, kernel: 3, padding: 'same' as const };
    const stack = buildStack(options);
    if (!stack.ok) throw new Error(stack.problem);
    const counts = pathCounts(stack.layers, 32, 8);
    // Brute force: output o of conv-conv-pool-conv-conv (pads of 1) on one axis.
    const brute = new Array(32).fill(0);
    const conv = (p: number) => [p - 1, p, p + 1];
    const inside = (size: number) => (p: number) => p >= 0 && p < size;
    for (const a of conv(8).filter(inside(16)))
      for (const b of conv(a).filter(inside(16)))
        for (const c of [2 * b, 2 * b + 1])
          for (const d of conv(c).filter(inside(32))) for (const e of conv(d).filter(inside(32))) brute[e]++;
    expect(counts).toEqual(brute);
    const covered = counts.filter((c) => c > 0).length;
    expect(covered).toBe(stack.layers[stack.layers.length - 1].receptiveField);
    // More paths through the middle than the edge of the field.
    expect(Math.max(...counts)).toBeGreaterThan(counts[counts.findIndex((c) => c > 0)]);
  });

  it('the paper’s 572-pixel input (an instructor demo link) gives its 327,184 path counts and their largest', () => {
    const result = receptiveField({ inputSize: 572, levels: 4, convsPerLevel: 2, kernel: 3, padding: 'valid' }, 10, 10);
    if (!result.ok) throw new Error(result.problem);
    expect(result.view.paths).toHaveLength(572 * 572);
    expect(result.view.mostPaths).toBe(result.view.paths.reduce((a, b) => Math.max(a, b), 0));
    expect(result.view.mostPaths).toBeGreaterThan(1);
  });

  it('a corner pixel’s field is cut by the image border', () => {
    const result = receptiveField({ inputSize: 32, levels: 2, convsPerLevel: 2, kernel: 3, padding: 'same' }, 0, 0);
    if (!result.ok) throw new Error(result.problem);
    expect(result.view.rows).toEqual([0, 17]);
    expect(result.view.columns).toEqual([0, 17]);
    expect(result.view.theoretical).toBe(32);
  });

  it('reports a map that does not halve evenly and a stack that leaves nothing', () => {
    expect(buildStack({ inputSize: 30, levels: 2, convsPerLevel: 2, kernel: 3, padding: 'valid' })).toEqual({ ok: false, problem: expect.stringMatching(/Before pooling 1 the map is 26×26.*|Before pooling 2 the map is 9×9/) });
    expect(buildStack({ inputSize: 8, levels: 1, convsPerLevel: 4, kernel: 7, padding: 'valid' })).toMatchObject({ ok: false, problem: expect.stringMatching(/leave nothing/) });
  });

  it('the widget’s defaults: pixel (4, 4) of the 8×8 output sees 30×30 input pixels, its 32×32 field cut by the border; selections are clamped to the map', () => {
    const snapshot = computeReceptiveField(defaultSettings(receptiveFieldSettings));
    expect(snapshot.view?.outputSize).toBe(8);
    expect(snapshot.summary).toContain('rows 2–31 and columns 2–31: 30×30 of the 32×32 input pixels (cut by the image border; away from it, 32×32)');
    const far = computeReceptiveField({ ...defaultSettings(receptiveFieldSettings), outputX: 50, outputY: 50 });
    expect(far.view?.selected).toEqual({ x: 7, y: 7 });
  });
});
