/**
 * How many weight settings compute the same function because hidden units can be reordered:
 * the size of the permutation group each architecture keeps, as log₁₀ (the numbers have hundreds
 * of digits). Pure math, no TF.js. Counts permutations only: other symmetries (ReLU rescaling,
 * tanh sign flips, any invertible map on a stream with nothing non-linear on it) come on top.
 */

export type CountedArchitecture = 'plain' | 'residual' | 'every-layer' | 'dense' | 'transformer';

export const COUNTED_ARCHITECTURES: readonly CountedArchitecture[] = ['plain', 'residual', 'every-layer', 'dense', 'transformer'];

export const ARCHITECTURE_LABELS: Record<CountedArchitecture, string> = {
  plain: 'Plain MLP',
  residual: 'Residual blocks (stream + inner units)',
  'every-layer': 'Skip around every layer',
  dense: 'Dense (concatenating) layers',
  transformer: 'Transformer layers',
};

/** log₁₀ n!, exact summation for small n and Stirling's series beyond (error below 1e-10). */
export function log10Factorial(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new Error(`n must be a non-negative integer, got ${n}`);
  if (n < 256) {
    let sum = 0;
    for (let k = 2; k <= n; k++) sum += Math.log10(k);
    return sum;
  }
  const lnFactorial = n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n) - 1 / (360 * n ** 3);
  return lnFactorial / Math.LN10;
}

export interface CounterInput {
  architecture: CountedArchitecture;
  /** Layers (plain, every-layer, dense), blocks (residual) or transformer layers. */
  layers: number;
  /** Units per layer; the stream width of residual nets; d_model of a transformer; growth rate k of dense layers. */
  width: number;
  /** Inner units per residual block; d_ff of a transformer. */
  inner: number;
  /** Attention heads per transformer layer (width must be divisible by it). */
  heads: number;
}

export interface CountTerm {
  /** What is permuted, e.g. "the stream's 512 coordinates". */
  what: string;
  /** log₁₀ of this factor's contribution (already multiplied by how often it occurs). */
  log10: number;
}

export interface Count {
  log10: number;
  terms: CountTerm[];
}

/**
 * log₁₀ of the number of permutations of hidden units that leave the function unchanged.
 * - plain: each of L layers reorders its N units freely: (N!)^L.
 * - residual, y = x + W₂σ(W₁x): each block's m inner units freely, the d stream coordinates only
 *   all together, once for every block: d!·(m!)^L.
 * - skip around every layer, hₗ = hₗ₋₁ + σ(Wₗhₗ₋₁): only the stream's shared order: N!.
 * - dense: each layer's k new units can be reordered (later layers read them by concatenation and
 *   reorder their input rows to match): (k!)^L.
 * - transformer: the stream's d_model! once; per layer, d_ff! in the FFN, h! heads, and within
 *   each head the d_k query/key coordinates and the d_k value coordinates: d!·(d_ff!·h!·(d_k!)^{2h})^L.
 */
export function countPermutations(input: CounterInput): Count {
  const { architecture, layers: L, width, inner, heads } = input;
  const f = log10Factorial;
  switch (architecture) {
    case 'plain':
      return total([{ what: `${width} units in each of ${L} layers`, log10: L * f(width) }]);
    case 'residual':
      return total([
        { what: `the stream's ${width} coordinates, one order for all blocks`, log10: f(width) },
        { what: `${inner} inner units in each of ${L} blocks`, log10: L * f(inner) },
      ]);
    case 'every-layer':
      return total([{ what: `the stream's ${width} coordinates, one order for all ${L} layers`, log10: f(width) }]);
    case 'dense':
      return total([{ what: `${width} new units in each of ${L} layers`, log10: L * f(width) }]);
    case 'transformer': {
      if (width % heads !== 0) throw new Error(`d_model (${width}) must be divisible by the number of heads (${heads})`);
      const headSize = width / heads;
      return total([
        { what: `the stream's ${width} coordinates, one order for all layers`, log10: f(width) },
        { what: `${inner} feed-forward units in each of ${L} layers`, log10: L * f(inner) },
        { what: `${heads} heads in each of ${L} layers`, log10: L * f(heads) },
        { what: `${headSize} query/key and ${headSize} value coordinates in each head`, log10: L * heads * 2 * f(headSize) },
      ]);
    }
  }
}

function total(terms: CountTerm[]): Count {
  return { log10: terms.reduce((sum, term) => sum + term.log10, 0), terms };
}

/** "10^551.2" style, or the plain number when it is small. */
export function formatPower(log10: number): string {
  if (log10 < 6) return Math.round(10 ** log10).toLocaleString('en-GB');
  return `10^${log10 >= 1000 ? Math.round(log10).toLocaleString('en-GB') : log10.toFixed(1)}`;
}
