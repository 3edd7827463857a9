/**
 * Hidden units of an MLP as the engine lays out its parameters (`paramLayout`): reading one
 * unit's incoming and outgoing weights, and permuting units. Pure TypeScript on Float32Arrays (no
 * tensors), for experiments that study the symmetries of parameter space.
 *
 * Unit i of hidden layer l owns column i of kernel l (kernels are [fanIn, fanOut], row-major), its
 * bias and, with a norm, its scale and shift. Its outgoing weights are row i of the kernel that
 * reads layer l (the next layer, or the output layer); in a dense net, the rows at its offset in
 * every later kernel.
 */
import { closesResidualBlock, layerInputSize, paramLayout, type Architecture } from './mlp';
import type { NetworkConfig } from './types';

/** Where a network's identity skips go: none, around blocks of two layers, or around every layer. */
export type SkipPlacement = 'plain' | 'block' | 'every-layer';

export function skipConfig(placement: SkipPlacement): Pick<NetworkConfig, 'skip' | 'blockSize'> {
  if (placement === 'plain') return { skip: 'none', blockSize: 1 };
  return { skip: 'residual', blockSize: placement === 'block' ? 2 : 1 };
}

/** The hidden layers whose units are the residual stream's coordinates (the first layer writes it; each block adds to it). */
export function streamLayers(architecture: Architecture): number[] {
  if (architecture.skip !== 'residual') return [];
  return Array.from({ length: architecture.depth }, (_, layer) => layer).filter((layer) => layer === 0 || closesResidualBlock(architecture, layer));
}

/** Kernels (layer index, up to `depth` = output) that read hidden layer `layer`'s units, with the row of unit 0. */
function readers(architecture: Architecture, layer: number): { kernelLayer: number; rowOffset: number }[] {
  if (architecture.skip !== 'dense') return [{ kernelLayer: layer + 1, rowOffset: 0 }];
  const offset = architecture.inputSize + layer * architecture.width;
  return Array.from({ length: architecture.depth - layer }, (_, k) => ({ kernelLayer: layer + 1 + k, rowOffset: offset }));
}

function fanOut(architecture: Architecture, kernelLayer: number): number {
  return kernelLayer === architecture.depth ? architecture.outputSize : architecture.width;
}

/** Unit `unit` of hidden layer `layer`: incoming weights with its bias, and outgoing weights. */
export function unitWeights(architecture: Architecture, values: readonly Float32Array[], layer: number, unit: number): { incoming: number[]; outgoing: number[] } {
  const layout = paramLayout(architecture);
  const width = architecture.width;
  const kernel = values[layout.kernels[layer]];
  const incoming: number[] = [];
  for (let row = 0; row < layerInputSize(architecture, layer); row++) incoming.push(kernel[row * width + unit]);
  incoming.push(values[layout.biases[layer]][unit]);
  const outgoing: number[] = [];
  for (const { kernelLayer, rowOffset } of readers(architecture, layer)) {
    const next = values[layout.kernels[kernelLayer]];
    const columns = fanOut(architecture, kernelLayer);
    for (let column = 0; column < columns; column++) outgoing.push(next[(rowOffset + unit) * columns + column]);
  }
  return { incoming, outgoing };
}

/** Is `order` a permutation of 0..n−1? */
export function isPermutation(order: readonly number[], n: number): boolean {
  if (order.length !== n) return false;
  const seen = new Set(order);
  return seen.size === n && order.every((v) => Number.isInteger(v) && v >= 0 && v < n);
}

/**
 * Reorders the units of each hidden layer in `layers` by `order` (new unit k is old unit
 * order[k]): its columns, biases, norm scales and shifts, and the rows of every kernel that reads
 * it. Returns new arrays; the input is not changed. In a plain or dense net, one layer reordered
 * this way computes the same function; in a residual net only the stream layers reordered together
 * (`streamLayers`) or an inner layer of a block do.
 */
export function permuteUnits(architecture: Architecture, values: readonly Float32Array[], layers: readonly number[], order: readonly number[]): Float32Array[] {
  const width = architecture.width;
  if (!isPermutation(order, width)) throw new Error(`order must be a permutation of 0..${width - 1}, got ${order.join(',')}`);
  const layout = paramLayout(architecture);
  const out = values.map((v) => v.slice());
  for (const layer of layers) {
    if (!Number.isInteger(layer) || layer < 0 || layer >= architecture.depth) throw new Error(`layer must be a hidden layer from 0 to ${architecture.depth - 1}, got ${layer}`);
    const kernelIndex = layout.kernels[layer];
    const source = out[kernelIndex].slice();
    for (let row = 0; row < layerInputSize(architecture, layer); row++) {
      for (let k = 0; k < width; k++) out[kernelIndex][row * width + k] = source[row * width + order[k]];
    }
    const perUnit = [layout.biases[layer]];
    const normIndex = layout.gammas.length > 0 ? layer : -1;
    if (normIndex >= 0) perUnit.push(layout.gammas[layer], layout.betas[layer]);
    for (const index of perUnit) {
      const before = out[index].slice();
      for (let k = 0; k < width; k++) out[index][k] = before[order[k]];
    }
    for (const { kernelLayer, rowOffset } of readers(architecture, layer)) {
      const index = layout.kernels[kernelLayer];
      const columns = fanOut(architecture, kernelLayer);
      const before = out[index].slice();
      for (let k = 0; k < width; k++) {
        for (let column = 0; column < columns; column++) out[index][(rowOffset + k) * columns + column] = before[(rowOffset + order[k]) * columns + column];
      }
    }
  }
  return out;
}

/** Makes unit `copy` of hidden layer `layer` identical to unit `source` (incoming, bias, norm, outgoing). Returns new arrays. */
export function tieUnits(architecture: Architecture, values: readonly Float32Array[], layer: number, source: number, copy: number): Float32Array[] {
  const layout = paramLayout(architecture);
  const width = architecture.width;
  const out = values.map((v) => v.slice());
  const kernel = out[layout.kernels[layer]];
  for (let row = 0; row < layerInputSize(architecture, layer); row++) kernel[row * width + copy] = kernel[row * width + source];
  const perUnit = [layout.biases[layer]];
  if (layout.gammas.length > 0) perUnit.push(layout.gammas[layer], layout.betas[layer]);
  for (const index of perUnit) out[index][copy] = out[index][source];
  for (const { kernelLayer, rowOffset } of readers(architecture, layer)) {
    const next = out[layout.kernels[kernelLayer]];
    const columns = fanOut(architecture, kernelLayer);
    for (let column = 0; column < columns; column++) next[(rowOffset + copy) * columns + column] = next[(rowOffset + source) * columns + column];
  }
  return out;
}

function distance(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum);
}

function norm(a: readonly number[]): number {
  return Math.sqrt(a.reduce((sum, v) => sum + v * v, 0));
}

/** Euclidean distance between two units' full parameter vectors (incoming, bias, outgoing): 0 exactly when they are tied. */
export function unitDistance(architecture: Architecture, values: readonly Float32Array[], layer: number, a: number, b: number): number {
  const ua = unitWeights(architecture, values, layer, a);
  const ub = unitWeights(architecture, values, layer, b);
  return Math.hypot(distance(ua.incoming, ub.incoming), distance(ua.outgoing, ub.outgoing));
}

/**
 * The closest pair of units in any hidden layer, by the distance between their incoming weight
 * vectors (with bias) divided by the mean of their norms: 0 for duplicates, about √2 for unrelated
 * random vectors. Orhan & Pitkow's "overlap" singularity is where it reaches 0. `fromLayer` skips
 * early layers (a first layer reading a 2-D input has 3-D incoming vectors, close by chance).
 */
export function nearestUnitPair(architecture: Architecture, values: readonly Float32Array[], fromLayer = 0): { distance: number; layer: number; units: [number, number] } {
  let best = { distance: Infinity, layer: -1, units: [-1, -1] as [number, number] };
  for (let layer = fromLayer; layer < architecture.depth; layer++) {
    const incoming = Array.from({ length: architecture.width }, (_, unit) => unitWeights(architecture, values, layer, unit).incoming);
    const norms = incoming.map(norm);
    for (let i = 0; i < incoming.length; i++) {
      for (let j = i + 1; j < incoming.length; j++) {
        const scale = (norms[i] + norms[j]) / 2;
        const d = scale > 0 ? distance(incoming[i], incoming[j]) / scale : 0;
        if (d < best.distance) best = { distance: d, layer, units: [i, j] };
      }
    }
  }
  return best;
}

/**
 * Units whose outgoing weights are (nearly) gone: norm below `fraction` of the mean outgoing norm
 * of their layer. Orhan & Pitkow's "elimination" singularity: such a unit no longer affects the
 * output, so its incoming weights get no gradient.
 */
export function eliminatedUnits(architecture: Architecture, values: readonly Float32Array[], fraction = 0.05): number {
  let count = 0;
  for (let layer = 0; layer < architecture.depth; layer++) {
    const norms = Array.from({ length: architecture.width }, (_, unit) => norm(unitWeights(architecture, values, layer, unit).outgoing));
    const mean = norms.reduce((s, v) => s + v, 0) / norms.length;
    count += norms.filter((v) => v < fraction * mean).length;
  }
  return count;
}

/** Number of trainable parameters of an MLP (kernels, biases, norm scales and shifts). */
export function parameterCount(architecture: Architecture): number {
  return paramLayout(architecture).shapes.reduce((sum, [rows, cols]) => sum + rows * cols, 0);
}

/**
 * How strongly each layer of a dense net reads each earlier layer's features (Huang et al. 2017,
 * Fig. 5): the mean absolute weight over the rows of the reader's kernel that read one source.
 * Counting hidden layers from 1, row r − 2 is hidden layer r (r = 2..depth) and the last row the
 * output layer; entry s of a row is the source: 0 the input, s ≥ 1 hidden layer s. Hidden layer 1
 * reads only the input and has no row.
 */
export function denseSourceWeights(architecture: Architecture, values: readonly Float32Array[]): number[][] {
  if (architecture.skip !== 'dense') throw new Error('source weights are defined for dense networks only');
  const layout = paramLayout(architecture);
  const { inputSize, width, depth } = architecture;
  const rows: number[][] = [];
  for (let reader = 1; reader <= depth; reader++) {
    const kernel = values[layout.kernels[reader]];
    const columns = fanOut(architecture, reader);
    const sources: number[] = [];
    for (let source = 0; source <= reader; source++) {
      const first = source === 0 ? 0 : inputSize + (source - 1) * width;
      const count = source === 0 ? inputSize : width;
      let sum = 0;
      for (let row = first; row < first + count; row++) for (let column = 0; column < columns; column++) sum += Math.abs(kernel[row * columns + column]);
      sources.push(sum / (count * columns));
    }
    rows.push(sources);
  }
  return rows;
}
