/**
 * Shattered gradients (Balduzzi et al. 2017): the derivative of a network's output with respect to
 * its input, dy/dx, over a grid of one-dimensional inputs, for plain and residual ReLU networks at
 * initialisation, and the correlation between neighbouring gradients as depth grows.
 *
 * Nothing is trained: `create` builds the networks and computes every gradient; `snapshot()`
 * returns the curves and correlations. The derivative is exact, by forward-mode differentiation
 * written out by hand (like the engine's hand-derived backward pass): with one scalar input, the
 * tangent dh/dx of each layer is one vector per grid point, carried forward with the activations,
 * and a network of depth L is read out after layer L, so all depths cost one pass. Pure
 * TypeScript, no TF.js; runs in the worker, in Node tests and from the CLI. A unit test checks it
 * against finite differences.
 *
 * Networks, as the engine builds them at initialisation (He init, zero biases, batch norm with
 * scale 1 and shift 0, ReLU): hidden layer ℓ computes hₗ = ReLU(BN(sₗ)) from sₗ = Wₗhₗ₋₁ (plain)
 * or sₗ = sₗ₋₁ + Wₗhₗ₋₁ (residual, pre-activation form), with s₁ = w₀x; the output is y = v·h_L.
 * BN's statistics are taken over the whole grid and then held fixed, as in evaluation mode: each
 * unit is centred on the inputs, which is what makes units switch at different places along the
 * line (without it, a bias-free ReLU network of a scalar input is linear on each side of 0).
 * The network of depth L is the first L layers of the deepest one with its own readout v_L.
 */
import type { Experiment, ExperimentRun, RunInfo, SettingsValues, StepRecord } from '../../engine/types';
import { resolveSettings } from '../../engine/settings';
import { createRandom, deriveSeed, type Random } from '../../engine/random';
import { shatteredSettings } from './settings';
import {
  CORRELATION_DEPTHS,
  correlationLabel,
  isShatteredSnapshot,
  lagOneAutocorrelation,
  summarizeShattered,
  type CorrelationPoint,
  type GradientCurve,
  type ShatteredSkip,
  type ShatteredSnapshot,
} from './correlation';

export const INPUT_RANGE: readonly [number, number] = [-2, 2];
const NORM_EPSILON = 1e-5;
const SKIPS: readonly ShatteredSkip[] = ['none', 'residual'];

export interface ShatteredWeights {
  width: number;
  /** First layer: s₁ = inputKernel·x, [width]. */
  inputKernel: Float64Array;
  /** Hidden layers 2..maxDepth: row-major [width × width] kernels (out × in). */
  kernels: Float64Array[];
  /** Output weights [width] for every readout depth. */
  readouts: Map<number, Float64Array>;
}

function normals(random: Random, length: number, std: number): Float64Array {
  const values = new Float64Array(length);
  for (let i = 0; i < length; i++) values[i] = std * random.normal();
  return values;
}

export function makeWeights(width: number, maxDepth: number, readoutDepths: readonly number[], seed: number): ShatteredWeights {
  const random = createRandom(deriveSeed(seed, 11));
  return {
    width,
    inputKernel: normals(random, width, Math.sqrt(2)),
    kernels: Array.from({ length: maxDepth - 1 }, () => normals(random, width * width, Math.sqrt(2 / width))),
    readouts: new Map(readoutDepths.map((depth) => [depth, normals(createRandom(deriveSeed(seed * 1000 + depth, 12)), width, Math.sqrt(1 / width))])),
  };
}

/**
 * Outputs y and derivatives dy/dx at every input of `grid`, for every readout depth. The batch-norm
 * statistics come from `statisticsGrid` (default: `grid` itself) and are then held fixed, so dy/dx
 * is the derivative of one fixed function.
 */
export function outputsAndGradients(weights: ShatteredWeights, skip: ShatteredSkip, grid: readonly number[], statisticsGrid?: readonly number[]): Map<number, { y: number[]; dydx: number[] }> {
  const { width, kernels, readouts } = weights;
  const n = grid.length;
  // Rows 0..n-1: the evaluated inputs; then, if given separately, the inputs the statistics come from.
  const inputs = statisticsGrid ? [...grid, ...statisticsGrid] : [...grid];
  const rows = inputs.length;
  const statsStart = statisticsGrid ? n : 0;
  const m = rows - statsStart;
  // The stream s (pre-activations, where residual blocks add) and its tangent ds/dx.
  let stream = new Float64Array(rows * width);
  let streamTangent = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < width; j++) {
      stream[r * width + j] = weights.inputKernel[j] * inputs[r];
      streamTangent[r * width + j] = weights.inputKernel[j];
    }
  }
  const hidden = new Float64Array(rows * width);
  const hiddenTangent = new Float64Array(rows * width);
  const out = new Map<number, { y: number[]; dydx: number[] }>();
  const maxDepth = kernels.length + 1;
  for (let depth = 1; depth <= maxDepth; depth++) {
    // h = ReLU(BN(s)), batch statistics over the statistics rows, then held fixed.
    for (let i = 0; i < width; i++) {
      let mean = 0;
      for (let r = statsStart; r < rows; r++) mean += stream[r * width + i];
      mean /= m;
      let variance = 0;
      for (let r = statsStart; r < rows; r++) variance += (stream[r * width + i] - mean) ** 2;
      const inverseStd = 1 / Math.sqrt(variance / m + NORM_EPSILON);
      for (let r = 0; r < rows; r++) {
        const k = r * width + i;
        const z = (stream[k] - mean) * inverseStd;
        hidden[k] = z > 0 ? z : 0;
        hiddenTangent[k] = z > 0 ? streamTangent[k] * inverseStd : 0;
      }
    }
    const readout = readouts.get(depth);
    if (readout) {
      const y: number[] = [];
      const dydx: number[] = [];
      for (let r = 0; r < n; r++) {
        let value = 0;
        let slope = 0;
        for (let j = 0; j < width; j++) {
          value += readout[j] * hidden[r * width + j];
          slope += readout[j] * hiddenTangent[r * width + j];
        }
        y.push(value);
        dydx.push(slope);
      }
      out.set(depth, { y, dydx });
    }
    if (depth === maxDepth) break;
    // Next layer's linear output W·h, added to the stream (residual) or replacing it (plain).
    const kernel = kernels[depth - 1];
    const nextStream = new Float64Array(rows * width);
    const nextTangent = new Float64Array(rows * width);
    for (let r = 0; r < rows; r++) {
      const base = r * width;
      for (let i = 0; i < width; i++) {
        let p = skip === 'residual' ? stream[base + i] : 0;
        let q = skip === 'residual' ? streamTangent[base + i] : 0;
        const row = i * width;
        for (let j = 0; j < width; j++) {
          p += kernel[row + j] * hidden[base + j];
          q += kernel[row + j] * hiddenTangent[base + j];
        }
        nextStream[base + i] = p;
        nextTangent[base + i] = q;
      }
    }
    stream = nextStream;
    streamTangent = nextTangent;
  }
  return out;
}

export function computeShattered(values: SettingsValues): ShatteredSnapshot {
  const settings = resolveSettings(shatteredSettings, values);
  const depth = settings.depth;
  const points = settings.points;
  const [low, high] = INPUT_RANGE;
  const grid = Array.from({ length: points }, (_, i) => low + ((high - low) * i) / (points - 1));
  const readoutDepths = [...new Set([...CORRELATION_DEPTHS, depth])].sort((a, b) => a - b);
  const maxDepth = readoutDepths[readoutDepths.length - 1];
  const weights = makeWeights(settings.width, maxDepth, readoutDepths, settings.seed);
  const curves: GradientCurve[] = [];
  const correlations: CorrelationPoint[] = [];
  for (const skip of SKIPS) {
    const gradientsByDepth = new Map<number, number[]>(readoutDepths.map((d) => [d, []]));
    for (const [d, { dydx }] of outputsAndGradients(weights, skip, grid)) gradientsByDepth.get(d)!.push(...dydx);
    for (const d of CORRELATION_DEPTHS) correlations.push({ skip, depth: d, correlation: lagOneAutocorrelation(gradientsByDepth.get(d)!) });
    // The 1-layer network has no skip yet: draw it once, as the shallow reference.
    if (skip === 'none') curves.push({ skip, depth: 1, gradients: gradientsByDepth.get(1)! });
    curves.push({ skip, depth, gradients: gradientsByDepth.get(depth)! });
  }
  return { grid, curves, correlations };
}

export const shatteredExperiment: Experiment = {
  name: 'shattered-gradients',
  title: 'Shattered gradients: dy/dx of plain and residual networks at initialisation',
  description:
    'Computes the derivative of the output with respect to a one-dimensional input over a grid, for freshly initialised plain and residual ReLU networks of several depths, and the correlation between neighbouring gradients.',
  settings: shatteredSettings,
  runLength: { computeOnly: true },
  create(values): ExperimentRun {
    const snapshot = computeShattered(values);
    const runs: RunInfo[] = snapshot.correlations.map((c, id) => ({ id, label: correlationLabel(c), layers: [], skip: c.skip, depth: c.depth }));
    return {
      runs,
      train: (): StepRecord[] => [],
      divergences: () => [],
      snapshot: () => snapshot,
      dispose: () => undefined,
    };
  },
  summarize: (_runs, _records, snapshot) => (isShatteredSnapshot(snapshot) ? summarizeShattered(snapshot) : undefined),
};
