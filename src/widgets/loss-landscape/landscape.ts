/**
 * The pure parts of a loss landscape (Li et al. 2018), no TF.js: random filter-normalised
 * directions, the grid of slice coordinates, and the roughness measure. The experiment, the view,
 * the exercise checks and the tests share them.
 */
import { createRandom, deriveSeed } from '../../engine/random';

/** What each flat parameter array of a network is, in layout order. */
export interface ParameterShape {
  /** kernel: [fanIn, fanOut] row-major, one column per neuron; other: biases and norm scales/shifts. */
  role: 'kernel' | 'other';
  rows: number;
  cols: number;
}

/**
 * A random direction in parameter space with filter normalisation (Li et al. 2018, §4): Gaussian
 * entries, then each neuron's incoming weights (one column of a kernel) rescaled to the norm of the
 * same neuron's trained weights, so a step of size 1 moves every neuron by as much as its own
 * weights; bias and normalisation entries are zero. `random` decides the entries, so two networks
 * of the same shapes given the same seed get the same raw direction, each scaled to its own weights.
 */
export function filterNormalizedDirection(weights: readonly Float32Array[], shapes: readonly ParameterShape[], seed: number): Float32Array[] {
  const random = createRandom(seed);
  return weights.map((w, index) => {
    const { role, rows, cols } = shapes[index];
    const direction = new Float32Array(w.length);
    if (role !== 'kernel') return direction;
    for (let i = 0; i < direction.length; i++) direction[i] = random.normal();
    for (let neuron = 0; neuron < cols; neuron++) {
      let directionNorm = 0;
      let weightNorm = 0;
      for (let input = 0; input < rows; input++) {
        directionNorm += direction[input * cols + neuron] ** 2;
        weightNorm += w[input * cols + neuron] ** 2;
      }
      const scale = Math.sqrt(weightNorm) / (Math.sqrt(directionNorm) + 1e-10);
      for (let input = 0; input < rows; input++) direction[input * cols + neuron] *= scale;
    }
    return direction;
  });
}

/** The two directions of a slice, δ and η, from one user seed. */
export function sliceDirections(weights: readonly Float32Array[], shapes: readonly ParameterShape[], seed: number): [Float32Array[], Float32Array[]] {
  return [filterNormalizedDirection(weights, shapes, deriveSeed(seed, 21)), filterNormalizedDirection(weights, shapes, deriveSeed(seed, 22))];
}

/** `points` evenly spaced coordinates from −span to span (odd `points` puts 0, the trained weights, in the middle). */
export function sliceCoordinates(points: number, span: number): number[] {
  return Array.from({ length: points }, (_, i) => -span + (2 * span * i) / (points - 1));
}

/**
 * The roughness measure: the number of strict local minima on the grid, i.e. interior points whose
 * loss is lower than at all 8 neighbours. A smooth bowl has one (near the trained weights); a
 * rough, chaotic surface has many. Non-finite losses count as +∞. `values[j * n + i]` is row j, column i.
 */
export function countLocalMinima(values: ArrayLike<number>, n: number): number {
  const at = (i: number, j: number) => {
    const v = values[j * n + i];
    return Number.isFinite(v) ? v : Infinity;
  };
  let minima = 0;
  for (let j = 1; j < n - 1; j++) {
    for (let i = 1; i < n - 1; i++) {
      const v = at(i, j);
      if (!Number.isFinite(v)) continue;
      let lowest = true;
      for (let dj = -1; dj <= 1 && lowest; dj++) {
        for (let di = -1; di <= 1; di++) {
          if ((di !== 0 || dj !== 0) && at(i + di, j + dj) <= v) {
            lowest = false;
            break;
          }
        }
      }
      if (lowest) minima++;
    }
  }
  return minima;
}

/** One network's slice, as the experiment reports it. */
export interface LandscapeSurface {
  run: number;
  label: string;
  skip: 'none' | 'residual';
  /** resolution² losses, row j (β = coordinates[j]) then column i (α = coordinates[i]); NaN where not computed yet. */
  values: number[];
  /** Loss at the trained weights (the centre of the grid), once computed. */
  centreLoss?: number;
  /** The roughness measure, once every row is computed. */
  localMinima?: number;
  /** The network diverged while training: no landscape. */
  diverged?: boolean;
}

export interface LandscapeSnapshot {
  phase: 'training' | 'landscape' | 'done';
  trainSteps: number;
  trainedSteps: number;
  resolution: number;
  /** Rows of the grid computed so far (for both networks). */
  rowsDone: number;
  coordinates: number[];
  surfaces: LandscapeSurface[];
}

/** Fraction of the whole run done: training steps and grid rows, each counted as one step. */
export function landscapeProgress(snapshot: LandscapeSnapshot): number {
  return (snapshot.trainedSteps + snapshot.rowsDone) / (snapshot.trainSteps + snapshot.resolution);
}

/** Narrows a widget's snapshot (plain data from the worker) to a landscape snapshot. */
export function isLandscapeSnapshot(value: unknown): value is LandscapeSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<LandscapeSnapshot>;
  return typeof candidate.resolution === 'number' && Array.isArray(candidate.surfaces) && Array.isArray(candidate.coordinates);
}

/** "plain" or "residual". */
export function networkName(skip: string): 'plain' | 'residual' {
  return skip === 'residual' ? 'residual' : 'plain';
}

/** Losses along the slice's two axes through the trained weights: α with β = 0, and β with α = 0. */
export function axisProfiles(surface: LandscapeSurface, resolution: number): { alpha: number[]; beta: number[] } {
  const centre = (resolution - 1) / 2;
  return {
    alpha: Array.from({ length: resolution }, (_, i) => surface.values[centre * resolution + i]),
    beta: Array.from({ length: resolution }, (_, j) => surface.values[j * resolution + centre]),
  };
}

/** "1 local minimum", "33 local minima". */
export function localMinimaText(count: number): string {
  return `${count} local minim${count === 1 ? 'um' : 'a'}`;
}
