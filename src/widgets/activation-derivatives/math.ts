/**
 * The pure mathematics behind the activation-derivatives widget: three activations, their
 * slopes, and the product of k per-layer backward factors (weight scale × slope).
 *
 * No DOM and no TF.js: the view, the tests and the exercise checks all call these functions.
 * The activations themselves (values, slopes) are the engine's one table, ~/engine/functions.
 */
import { ACTIVATION_FUNCTIONS, sigmoid } from '~/engine/functions';

export type ActivationName = 'sigmoid' | 'tanh' | 'relu';
export const ACTIVATIONS: readonly ActivationName[] = ['sigmoid', 'tanh', 'relu'];

export const ACTIVATION_LABELS: Record<ActivationName, string> = {
  sigmoid: ACTIVATION_FUNCTIONS.sigmoid.label,
  tanh: ACTIVATION_FUNCTIONS.tanh.label,
  relu: ACTIVATION_FUNCTIONS.relu.label,
};

/** Where the pre-activations sit: all at one point z, or spread like the units of a wide layer. */
export type PreactivationMode = 'point' | 'spread';

export { sigmoid };

export function activate(name: ActivationName, z: number): number {
  return ACTIVATION_FUNCTIONS[name].value(z);
}

/** The slope φ′(z); ReLU's slope at exactly 0 is taken as 0, as TF.js and PyTorch do. */
export function derivative(name: ActivationName, z: number): number {
  return ACTIVATION_FUNCTIONS[name].slope(z);
}

/** The largest slope the activation ever has: 1/4 for sigmoid, 1 for tanh and ReLU. */
export const MAX_SLOPE: Record<ActivationName, number> = {
  sigmoid: ACTIVATION_FUNCTIONS.sigmoid.maxSlope,
  tanh: ACTIVATION_FUNCTIONS.tanh.maxSlope,
  relu: ACTIVATION_FUNCTIONS.relu.maxSlope,
};

/**
 * E[φ′(z)²] for z ~ N(0, spread²), by the trapezoid rule over ±10 standard deviations.
 * For a wide layer whose weights have variance w²/fan_in, the squared gradient norm is multiplied
 * by about w²·E[φ′(z)²] per layer going backwards, so √E[φ′²] is the slope that matters there.
 */
export function meanSquareSlope(name: ActivationName, spread: number): number {
  if (!(spread > 0)) throw new RangeError(`spread must be positive, got ${spread}`);
  if (name === 'relu') return 0.5; // exactly half of a symmetric distribution is active
  const points = 4001;
  const half = 10 * spread;
  const dz = (2 * half) / (points - 1);
  let sum = 0;
  for (let i = 0; i < points; i += 1) {
    const z = -half + i * dz;
    const density = Math.exp((-0.5 * z * z) / (spread * spread)) / (spread * Math.sqrt(2 * Math.PI));
    const slope = derivative(name, z);
    const weight = i === 0 || i === points - 1 ? 0.5 : 1;
    sum += weight * density * slope * slope;
  }
  return sum * dz;
}

export interface FactorSettings {
  activation: ActivationName;
  /** w: the weights' standard deviation times √fan_in (Glorot with fan_in = fan_out gives 1, He gives √2). */
  weightScale: number;
  mode: PreactivationMode;
  /** The pre-activation every layer sits at, in 'point' mode. */
  z: number;
  /** Standard deviation of the pre-activations across a layer, in 'spread' mode. */
  spread: number;
}

/** The magnitude of one layer's backward factor: w·|φ′(z)|, or w·√E[φ′²] for a spread layer. */
export function layerFactor(settings: FactorSettings): number {
  const slope =
    settings.mode === 'point'
      ? Math.abs(derivative(settings.activation, settings.z))
      : Math.sqrt(meanSquareSlope(settings.activation, settings.spread));
  return settings.weightScale * slope;
}

/**
 * log10 of factor^k for k = 1..depth. Kept in log space so that even 50 factors of 1e-7 stay
 * representable; a zero factor gives -Infinity.
 */
export function log10Products(factor: number, depth: number): number[] {
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`depth must be a positive integer, got ${depth}`);
  const logFactor = factor === 0 ? -Infinity : Math.log10(Math.abs(factor));
  return Array.from({ length: depth }, (_, index) => (index + 1) * logFactor);
}

/** The product of k factors as a plain number (0 when it underflows or a factor is 0). */
export function productOf(factor: number, k: number): number {
  return Math.pow(Math.abs(factor), k);
}

/**
 * Writes a magnitude for people: 0.24, 3.2, 9.1e-13, 1.1e+15, "0" for an exact zero; from a
 * log10 value so that numbers far below Number.MIN_VALUE are still printed.
 */
export function formatMagnitude(log10Value: number): string {
  if (log10Value === -Infinity) return '0';
  if (!Number.isFinite(log10Value)) return 'infinite';
  if (log10Value >= -2 && log10Value < 4) {
    const value = Math.pow(10, log10Value);
    return value >= 100 ? value.toFixed(0) : value.toPrecision(2).replace(/\.?0+$/, '');
  }
  let exponent = Math.floor(log10Value);
  let mantissa = Math.pow(10, log10Value - exponent);
  if (Number(mantissa.toFixed(1)) >= 10) {
    mantissa /= 10;
    exponent += 1;
  }
  return `${mantissa.toFixed(1).replace(/\.0$/, '')}e${exponent >= 0 ? '+' : ''}${exponent}`;
}

/** The depth at which the product first drops below `threshold` (e.g. 1e-6), or undefined. */
export function depthBelow(factor: number, threshold: number, maxDepth = 1000): number | undefined {
  if (factor >= 1) return undefined;
  if (factor === 0) return 1;
  const k = Math.ceil(Math.log(threshold) / Math.log(factor) - 1e-12);
  return k <= maxDepth ? Math.max(1, k) : undefined;
}
