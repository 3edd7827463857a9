/**
 * Receptive fields of a stack of convolutions and poolings, as pure arithmetic (no training, no
 * DOM): which input pixels can influence one output pixel, and through how many paths. Every
 * layer is separable along rows and columns, so one axis is computed and the square follows.
 */

export interface StackLayer {
  kind: 'conv' | 'pool';
  kernel: number;
  stride: number;
  /** Zero padding on each side. */
  padding: number;
  /** Map size (one side) after this layer. */
  outputSize: number;
  /** Receptive field (one side) of one pixel of this layer's output, in input pixels, ignoring the image border. */
  receptiveField: number;
  /** Distance in input pixels between neighbouring outputs of this layer (the product of strides so far). */
  jump: number;
}

export interface StackOptions {
  inputSize: number;
  levels: number;
  convsPerLevel: number;
  kernel: number;
  padding: 'same' | 'valid';
}

export type StackResult = { ok: true; layers: StackLayer[]; outputSize: number } | { ok: false; problem: string };

/** The layers of an encoder: per level `convsPerLevel` convolutions then a 2×2 pooling, and the convolutions of one more level at the bottom. */
export function buildStack(options: StackOptions): StackResult {
  const { inputSize, levels, convsPerLevel, kernel, padding } = options;
  const layers: StackLayer[] = [];
  let size = inputSize;
  let field = 1;
  let jump = 1;
  const convPadding = padding === 'same' ? (kernel - 1) / 2 : 0;
  for (let level = 0; level <= levels; level++) {
    for (let c = 0; c < convsPerLevel; c++) {
      size = size + 2 * convPadding - kernel + 1;
      if (size < 1) return { ok: false, problem: `Unpadded ${kernel}×${kernel} convolutions leave nothing of a ${inputSize}×${inputSize} input by level ${level + 1}: use a larger input, fewer convolutions or fewer poolings.` };
      field += (kernel - 1) * jump;
      layers.push({ kind: 'conv', kernel, stride: 1, padding: convPadding, outputSize: size, receptiveField: field, jump });
    }
    if (level === levels) break;
    if (size % 2 !== 0) return { ok: false, problem: `Before pooling ${level + 1} the map is ${size}×${size}, which does not halve evenly: choose an input size that does at every level (572 does, with four levels of two unpadded 3×3 convolutions).` };
    size /= 2;
    field += jump;
    jump *= 2;
    layers.push({ kind: 'pool', kernel: 2, stride: 2, padding: 0, outputSize: size, receptiveField: field, jump });
  }
  return { ok: true, layers, outputSize: size };
}

/**
 * For output index `index` of the last layer, how many paths reach each input index along one
 * axis (0 = cannot influence it). Padding positions are dropped: they are zeros, not pixels.
 */
export function pathCounts(layers: readonly StackLayer[], inputSize: number, index: number): number[] {
  // Walk from the output back to the input, spreading counts over each layer's window.
  let counts = new Map<number, number>([[index, 1]]);
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l];
    const inputLength = l === 0 ? inputSize : layers[l - 1].outputSize;
    const next = new Map<number, number>();
    for (const [position, count] of counts) {
      for (let k = 0; k < layer.kernel; k++) {
        const source = position * layer.stride - layer.padding + k;
        if (source >= 0 && source < inputLength) next.set(source, (next.get(source) ?? 0) + count);
      }
    }
    counts = next;
  }
  return Array.from({ length: inputSize }, (_, i) => counts.get(i) ?? 0);
}

export interface ReceptiveFieldView {
  outputSize: number;
  selected: { x: number; y: number };
  /** Input rows and columns (inclusive) the selected pixel can see, inside the image. */
  rows: [number, number];
  columns: [number, number];
  /** Receptive field of any output pixel away from the border, one side, in input pixels. */
  theoretical: number;
  /** Paths from each input pixel to the selected output pixel, row-major (0 = no influence). */
  paths: number[];
  /** The largest entry of `paths` (the most-travelled pixel), for shading. */
  mostPaths: number;
  layers: StackLayer[];
}

function span(counts: readonly number[]): [number, number] {
  const first = counts.findIndex((c) => c > 0);
  let last = counts.length - 1;
  while (last > 0 && counts[last] === 0) last--;
  return [first, last];
}

/** The receptive field of output pixel (x, y), clamped to the output map. */
export function receptiveField(options: StackOptions, x: number, y: number): { ok: true; view: ReceptiveFieldView } | { ok: false; problem: string } {
  const stack = buildStack(options);
  if (!stack.ok) return stack;
  const clamp = (v: number) => Math.min(stack.outputSize - 1, Math.max(0, Math.round(v)));
  const selected = { x: clamp(x), y: clamp(y) };
  const columnCounts = pathCounts(stack.layers, options.inputSize, selected.x);
  const rowCounts = pathCounts(stack.layers, options.inputSize, selected.y);
  // A loop, not Math.max(...paths): a 572-pixel input has 327,184 entries, beyond the call stack.
  const paths: number[] = [];
  let mostPaths = 0;
  for (const r of rowCounts)
    for (const c of columnCounts) {
      paths.push(r * c);
      mostPaths = Math.max(mostPaths, r * c);
    }
  const last = stack.layers[stack.layers.length - 1];
  return {
    ok: true,
    view: { outputSize: stack.outputSize, selected, rows: span(rowCounts), columns: span(columnCounts), theoretical: last?.receptiveField ?? 1, paths, mostPaths, layers: stack.layers },
  };
}
