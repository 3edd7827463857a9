import { describe, expect, it } from 'vitest';
import { decadeDomain, decadeTicks, decimate, finiteExtent, formatValue, layerTicks, linearDomain, nearestIndex } from '~/charts/format';
import { linearPosition, logPosition } from '~/charts/color-scales';

describe('formatValue', () => {
  it('writes tiny and huge magnitudes in short exponent notation', () => {
    expect(formatValue(3e-7)).toBe('3e-7');
    expect(formatValue(2.54e-7)).toBe('2.5e-7');
    expect(formatValue(-1.2e12)).toBe('-1.2e12');
  });
  it('writes ordinary magnitudes plainly with two significant digits', () => {
    expect(formatValue(0.2134)).toBe('0.21');
    expect(formatValue(340)).toBe('340');
    expect(formatValue(12.345)).toBe('12');
    expect(formatValue(0.02)).toBe('0.02');
  });
  it('spells out non-finite values', () => {
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(Infinity)).toBe('∞');
    expect(formatValue(0)).toBe('0');
  });
});

describe('log scale domains', () => {
  it('widens positive values to whole decades and ignores zeros, NaN and negatives', () => {
    expect(decadeDomain([3e-7, 0.02, 0, -1, NaN])).toEqual([1e-7, 0.1]);
  });
  it('spans at least one decade', () => {
    expect(decadeDomain([0.5, 0.5])).toEqual([0.1, 1]);
    expect(decadeDomain([1, 1])).toEqual([1, 10]);
  });
  it('falls back to a default without positive values', () => {
    expect(decadeDomain([])).toEqual([1e-3, 1]);
  });
  it('limits the span to 30 decades, keeping the top', () => {
    const [low, high] = decadeDomain([1e-40, 10]);
    expect(high).toBe(10);
    expect(Math.log10(high) - Math.log10(low)).toBeCloseTo(30);
  });
  it('puts one tick on each power of ten, thinned when there are many', () => {
    expect(decadeTicks([1e-3, 1])).toEqual([1e-3, 1e-2, 1e-1, 1]);
    const thinned = decadeTicks([1e-20, 1], 6);
    expect(thinned.length).toBeLessThanOrEqual(6);
    expect(thinned[thinned.length - 1]).toBe(1);
  });
});

describe('linearDomain and finiteExtent', () => {
  it('starts loss-like positive data at zero', () => {
    const [low, high] = linearDomain([0.3, 0.7, 1]);
    expect(low).toBe(0);
    expect(high).toBeGreaterThan(1);
  });
  it('pads a constant series', () => {
    const [low, high] = linearDomain([2, 2]);
    expect(low).toBeLessThan(2);
    expect(high).toBeGreaterThan(2);
  });
  it('skips non-finite values', () => {
    expect(finiteExtent([1, NaN, Infinity, -3])).toEqual([-3, 1]);
    expect(finiteExtent([NaN])).toBeUndefined();
  });
});

describe('decimate', () => {
  it('keeps every point of a short series', () => {
    expect(decimate([1, 2, 3], 10)).toEqual([0, 1, 2]);
  });
  it('reduces a long series and keeps its spikes and its last point', () => {
    const ys = Array.from({ length: 10_000 }, (_, index) => (index === 4321 ? 100 : Math.sin(index / 50)));
    const kept = decimate(ys, 200);
    expect(kept.length).toBeLessThanOrEqual(200 * 3 + 1);
    expect(kept).toContain(4321);
    expect(kept[kept.length - 1]).toBe(9999);
    expect([...kept].sort((a, b) => a - b)).toEqual(kept);
  });
});

describe('nearestIndex and layerTicks', () => {
  it('finds the nearest x by binary search', () => {
    expect(nearestIndex([1, 2, 4, 8], 5.9)).toBe(2);
    expect(nearestIndex([1, 2, 4, 8], 6.1)).toBe(3);
    expect(nearestIndex([1, 2, 4, 8], -5)).toBe(0);
    expect(nearestIndex([], 1)).toBe(-1);
  });
  it('labels every layer when few, and always the first and last when many', () => {
    expect(layerTicks(5, 10)).toEqual([1, 2, 3, 4, 5]);
    const ticks = layerTicks(50, 8);
    expect(ticks[0]).toBe(1);
    expect(ticks[ticks.length - 1]).toBe(50);
    expect(ticks.length).toBeLessThanOrEqual(8);
  });
});

describe('colour positions', () => {
  it('maps values onto a log scale, clamped, with NaN for values it cannot place', () => {
    expect(logPosition(1e-4, [1e-6, 1e-2])).toBeCloseTo(0.5);
    expect(logPosition(1e-9, [1e-6, 1e-2])).toBe(0);
    expect(logPosition(0, [1e-6, 1e-2])).toBeNaN();
    expect(logPosition(Infinity, [1e-6, 1e-2])).toBe(1);
  });
  it('maps values onto a linear scale', () => {
    expect(linearPosition(0, [-2, 2])).toBeCloseTo(0.5);
    expect(linearPosition(5, [-2, 2])).toBe(1);
    expect(linearPosition(NaN, [-2, 2])).toBeNaN();
  });
});
