/**
 * A dense block as Huang et al. (2017, §3) define it, counted: layer ℓ reads the concatenation of
 * the block's input (k₀ channels) and every earlier layer's k new channels, so it reads
 * k₀ + k(ℓ − 1) channels; with the bottleneck (DenseNet-B) a 1×1 convolution first maps them to
 * 4k channels. Compared with a plain and a residual block of the same depth whose width w gives
 * the nearest parameter count. Counts 3×3 (and 1×1) convolution weights only: no biases, no
 * batch-norm parameters. Pure math, no TF.js, no DOM.
 */

export interface BlockInput {
  /** Layers in the block, L. */
  layers: number;
  /** Growth rate k: new channels each dense layer adds. */
  growth: number;
  /** Channels entering the block, k₀. */
  inputChannels: number;
  /** DenseNet-B: a 1×1 convolution to 4k channels before each 3×3 convolution. */
  bottleneck: boolean;
}

export type BlockKind = 'dense' | 'residual' | 'plain';

export interface BlockLayer {
  /** 1-based. */
  layer: number;
  /** Channels the layer reads. */
  inputChannels: number;
  /** Channels it writes (dense: k; plain and residual: w). */
  outputChannels: number;
  parameters: number;
}

export interface BlockCount {
  kind: BlockKind;
  /** k for the dense block, w for the others. */
  width: number;
  layers: BlockLayer[];
  parameters: number;
  /** Channels leaving the block. */
  outputChannels: number;
  /** Direct connections: inputs that layers read (dense: L(L+1)/2), plus identity shortcuts (residual). */
  connections: number;
  /** Feature channels kept for the backward pass when every concatenation is a new tensor (a naive implementation). */
  storedChannels: number;
}

const KERNEL = 9;
/** DenseNet-B's bottleneck width in multiples of k (Huang et al. 2017, §3). */
export const BOTTLENECK_FACTOR = 4;

export function denseBlock(input: BlockInput): BlockCount {
  const { layers: L, growth: k, inputChannels: k0, bottleneck } = input;
  const layers: BlockLayer[] = Array.from({ length: L }, (_, index) => {
    const reads = k0 + k * index;
    const parameters = bottleneck ? reads * BOTTLENECK_FACTOR * k + KERNEL * BOTTLENECK_FACTOR * k * k : KERNEL * reads * k;
    return { layer: index + 1, inputChannels: reads, outputChannels: k, parameters };
  });
  return {
    kind: 'dense',
    width: k,
    layers,
    parameters: layers.reduce((sum, l) => sum + l.parameters, 0),
    outputChannels: k0 + L * k,
    connections: (L * (L + 1)) / 2,
    storedChannels: layers.reduce((sum, l) => sum + l.inputChannels, 0) + L * k,
  };
}

/** L 3×3 convolutions of width w, the first reading k₀ channels; a residual block adds identity shortcuts around layers 2..L, which cost no parameters. */
export function chainBlock(kind: 'plain' | 'residual', layers: number, width: number, inputChannels: number): BlockCount {
  const list: BlockLayer[] = Array.from({ length: layers }, (_, index) => {
    const reads = index === 0 ? inputChannels : width;
    return { layer: index + 1, inputChannels: reads, outputChannels: width, parameters: KERNEL * reads * width };
  });
  return {
    kind,
    width,
    layers: list,
    parameters: list.reduce((sum, l) => sum + l.parameters, 0),
    outputChannels: width,
    connections: layers + (kind === 'residual' ? layers - 1 : 0),
    storedChannels: inputChannels + layers * width,
  };
}

/** The width w ≥ 1 whose plain block of `layers` layers comes closest to `budget` parameters. */
export function widthForBudget(layers: number, inputChannels: number, budget: number): number {
  // 9(k₀w + (L − 1)w²) = budget, solved for w, then the nearest integers checked.
  const a = KERNEL * (layers - 1);
  const b = KERNEL * inputChannels;
  const exact = a === 0 ? budget / b : (-b + Math.sqrt(b * b + 4 * a * budget)) / (2 * a);
  const candidates = [Math.floor(exact), Math.ceil(exact)].map((w) => Math.max(1, w));
  const cost = (w: number) => Math.abs(chainBlock('plain', layers, w, inputChannels).parameters - budget);
  return candidates.reduce((best, w) => (cost(w) < cost(best) ? w : best));
}

/** The dense block and a plain and a residual block of the same depth and (nearest) parameter budget. */
export function compareBlocks(input: BlockInput): BlockCount[] {
  const dense = denseBlock(input);
  const width = widthForBudget(input.layers, input.inputChannels, dense.parameters);
  return [dense, chainBlock('residual', input.layers, width, input.inputChannels), chainBlock('plain', input.layers, width, input.inputChannels)];
}

export const KIND_LABELS: Record<BlockKind, string> = { dense: 'Dense block', residual: 'Residual block', plain: 'Plain block' };

export function summarizeBlocks(blocks: readonly BlockCount[]): string {
  const [dense, residual] = blocks;
  return (
    `Dense block: ${dense.layers.length} layers of growth rate ${dense.width}, ${dense.connections} connections, ` +
    `${dense.parameters.toLocaleString('en-US')} weights, ${dense.outputChannels} channels out. ` +
    `A residual or plain block of the same depth and budget is ${residual.width} channels wide ` +
    `(${residual.parameters.toLocaleString('en-US')} weights) and hands on ${residual.outputChannels} channels.`
  );
}

/** Where the diagram draws a block's nodes (x₀ … x_L) and which node pairs it joins. */
export interface Diagram {
  nodes: number;
  /** [from, to] node indices: each an input a layer reads, or an identity shortcut. */
  edges: { from: number; to: number; shortcut: boolean }[];
}

export function diagramOf(kind: BlockKind, layers: number): Diagram {
  const edges: Diagram['edges'] = [];
  for (let to = 1; to <= layers; to++) {
    if (kind === 'dense') for (let from = 0; from < to; from++) edges.push({ from, to, shortcut: false });
    else {
      edges.push({ from: to - 1, to, shortcut: false });
      // A shortcut around layer `to` (layers 2..L: layer 1 changes the channel count).
      if (kind === 'residual' && to >= 2) edges.push({ from: to - 1, to, shortcut: true });
    }
  }
  return { nodes: layers + 1, edges };
}
