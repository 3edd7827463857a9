/**
 * Pure helpers shared by the charts, the summaries and the data tables: number formatting,
 * log-scale domains and downsampling. No DOM, no d3 selections: unit-tested in Node.
 */

import { formatValue } from '../engine/number-format';

export { formatValue };

/** Smallest and largest finite values, or undefined when there are none. */
export function finiteExtent(values: Iterable<number>, positiveOnly = false): [number, number] | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (!Number.isFinite(value) || (positiveOnly && value <= 0)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return min <= max ? [min, max] : undefined;
}

/**
 * A log-scale domain covering the positive values, widened to whole decades so that the axis
 * only moves when the data crosses a power of ten (charts redraw every frame; a jittering axis
 * would be hard to read). Falls back to [1e-3, 1] without positive values.
 */
export function decadeDomain(values: Iterable<number>): [number, number] {
  const extent = finiteExtent(values, true);
  if (!extent) return [1e-3, 1];
  let low = Math.floor(Math.log10(extent[0]));
  let high = Math.ceil(Math.log10(extent[1]));
  if (high === low) high = low + 1;
  // Limit the span so one underflowing layer (1e-40) does not flatten everything else.
  if (high - low > 30) low = high - 30;
  return [10 ** low, 10 ** high];
}

/**
 * A linear domain for the values with a little headroom; includes zero when all values have the
 * same sign and zero is near (loss curves start from the axis).
 */
export function linearDomain(values: Iterable<number>): [number, number] {
  const extent = finiteExtent(values);
  if (!extent) return [0, 1];
  let [low, high] = extent;
  if (low >= 0 && low < high * 0.5) low = 0;
  if (low === high) {
    const pad = Math.abs(low) * 0.1 || 1;
    return [low - pad, high + pad];
  }
  const pad = (high - low) * 0.05;
  return [low === 0 ? 0 : low - pad, high + pad];
}

/** Powers of ten inside a log domain, thinned to at most `maxTicks`. */
export function decadeTicks(domain: readonly [number, number], maxTicks = 6): number[] {
  const low = Math.ceil(Math.log10(domain[0]) - 1e-9);
  const high = Math.floor(Math.log10(domain[1]) + 1e-9);
  const count = high - low + 1;
  if (count <= 0) return [];
  const stride = Math.max(1, Math.ceil(count / maxTicks));
  const ticks: number[] = [];
  for (let exponent = high; exponent >= low; exponent -= stride) ticks.unshift(10 ** exponent);
  return ticks;
}

/**
 * Indices to draw for a series of `length` points on a plot `buckets` pixels wide: in each bucket
 * the first, lowest and highest point, so spikes survive downsampling (min/max decimation).
 * Returns every index when the series is short enough.
 */
export function decimate(ys: ArrayLike<number>, buckets: number): number[] {
  const length = ys.length;
  if (length <= buckets * 3) return Array.from({ length }, (_, index) => index);
  const indices: number[] = [];
  const bucketSize = length / buckets;
  for (let bucket = 0; bucket < buckets; bucket++) {
    const start = Math.floor(bucket * bucketSize);
    const end = Math.min(length, Math.floor((bucket + 1) * bucketSize));
    if (start >= end) continue;
    let minIndex = start;
    let maxIndex = start;
    for (let index = start; index < end; index++) {
      const value = ys[index];
      if (!(value >= ys[minIndex])) minIndex = index;
      if (!(value <= ys[maxIndex])) maxIndex = index;
    }
    const picks = [start, minIndex, maxIndex].sort((a, b) => a - b);
    for (const pick of picks) if (indices[indices.length - 1] !== pick) indices.push(pick);
  }
  if (indices[indices.length - 1] !== length - 1) indices.push(length - 1);
  return indices;
}

/** Index of the element of sorted `xs` nearest to `x` (binary search). -1 for an empty array. */
export function nearestIndex(xs: ArrayLike<number>, x: number): number {
  if (xs.length === 0) return -1;
  let low = 0;
  let high = xs.length - 1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (xs[middle] <= x) low = middle;
    else high = middle;
  }
  return Math.abs(xs[low] - x) <= Math.abs(xs[high] - x) ? low : high;
}

/** Layer tick labels for `count` layers, thinned to at most `maxTicks` (always the first and last). */
export function layerTicks(count: number, maxTicks: number): number[] {
  if (count <= 0) return [];
  if (count <= maxTicks) return Array.from({ length: count }, (_, index) => index + 1);
  const stride = Math.ceil((count - 1) / (maxTicks - 1));
  const ticks: number[] = [];
  for (let layer = 1; layer < count; layer += stride) ticks.push(layer);
  if (count - ticks[ticks.length - 1] < stride / 2) ticks.pop();
  ticks.push(count);
  return ticks;
}

/** "block 2, layer 1 (3 of 10)" for a named layer, "layer 3 of 10" for an unnamed one. */
export function layerPosition(label: string | undefined, index: number, count: number): string {
  return label ? `${label} (${index + 1} of ${count})` : `layer ${index + 1} of ${count}`;
}
