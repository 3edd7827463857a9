/**
 * The live U-Net's masks panel draws a canvas again only when its values changed (a signature of
 * the values), writing grey levels straight into a reused ImageData.
 */
import { describe, expect, it } from 'vitest';
import { greyLevels, valuesSignature } from '../../src/widgets/unet/mask-panel';

describe('masks panel', () => {
  it('gives equal values an equal signature, and a change anywhere a different one', () => {
    const values = Array.from({ length: 576 }, (_, i) => Math.sin(i) * 0.5 + 0.5);
    expect(valuesSignature([...values])).toBe(valuesSignature(values));
    for (const at of [0, 1, 287, 575]) {
      const changed = [...values];
      changed[at] += 0.01;
      expect(valuesSignature(changed)).not.toBe(valuesSignature(values));
    }
    // Two pixels swapped: the same sum, a different signature.
    const swapped = [...values];
    [swapped[3], swapped[4]] = [swapped[4], swapped[3]];
    expect(valuesSignature(swapped)).not.toBe(valuesSignature(values));
    expect(valuesSignature(values.slice(0, 575))).not.toBe(valuesSignature(values));
  });

  it('writes opaque grey levels, clamped to the range', () => {
    const out = new Uint8ClampedArray(4 * 4).fill(7);
    greyLevels([0, 0.5, 1, 2], out);
    expect([...out]).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 255, 255, 255, 255]);
    greyLevels([-0.6, 1.6, 0.5, -5], out, -0.6, 1.6);
    expect([out[0], out[4], out[8], out[12]]).toEqual([0, 255, 128, 0]);
    expect([out[3], out[7], out[11], out[15]]).toEqual([255, 255, 255, 255]);
  });
});
