/**
 * Colour scales for dense pictures. Sequential data (gradient norms, losses) use viridis: it is
 * perceptually uniform, readable by colour-blind readers and keeps its order in greyscale.
 * Signed data (decision surfaces) use the theme's diverging tokens (blue / neutral / vermillion).
 */
import { color, interpolateRgb, interpolateViridis } from 'd3';

export type RGB = [number, number, number];

/** A 256-entry lookup table of an interpolator, so per-pixel colouring is an array read. */
export function colourTable(interpolate: (t: number) => string, size = 256): Uint8ClampedArray {
  const table = new Uint8ClampedArray(size * 3);
  for (let index = 0; index < size; index++) {
    const rgb = color(interpolate(index / (size - 1)))?.rgb();
    table[index * 3] = rgb?.r ?? 0;
    table[index * 3 + 1] = rgb?.g ?? 0;
    table[index * 3 + 2] = rgb?.b ?? 0;
  }
  return table;
}

let viridisTable: Uint8ClampedArray | undefined;
export function viridis(): Uint8ClampedArray {
  viridisTable ??= colourTable(interpolateViridis);
  return viridisTable;
}

/** neg → mid → pos, for values from -1 to 1. */
export function divergingInterpolator(negative: string, middle: string, positive: string): (t: number) => string {
  const low = interpolateRgb(negative, middle);
  const high = interpolateRgb(middle, positive);
  return (t) => (t < 0.5 ? low(t * 2) : high((t - 0.5) * 2));
}

/**
 * Position in [0, 1] of `value` on a log scale over `domain` (clamped); NaN for values that have
 * no place on it (zero, negative, NaN).
 */
export function logPosition(value: number, domain: readonly [number, number]): number {
  if (!(value > 0) || !Number.isFinite(value)) return value === Infinity ? 1 : NaN;
  const low = Math.log10(domain[0]);
  const high = Math.log10(domain[1]);
  return Math.min(1, Math.max(0, (Math.log10(value) - low) / (high - low || 1)));
}

/** Position in [0, 1] of `value` on a linear scale over `domain` (clamped); NaN for non-finite values. */
export function linearPosition(value: number, domain: readonly [number, number]): number {
  if (!Number.isFinite(value)) return NaN;
  return Math.min(1, Math.max(0, (value - domain[0]) / (domain[1] - domain[0] || 1)));
}

/** Writes the table colour for position `t` (NaN → transparent) into `pixels` at pixel `index`. */
export function writePixel(pixels: Uint8ClampedArray, index: number, t: number, table: Uint8ClampedArray): void {
  const offset = index * 4;
  if (Number.isNaN(t)) {
    pixels[offset + 3] = 0;
    return;
  }
  const entry = Math.round(t * (table.length / 3 - 1)) * 3;
  pixels[offset] = table[entry];
  pixels[offset + 1] = table[entry + 1];
  pixels[offset + 2] = table[entry + 2];
  pixels[offset + 3] = 255;
}
