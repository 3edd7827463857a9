/**
 * The transformer's arithmetic on plain numbers: sinusoidal positions, scaled dot-product
 * attention step by step, layer norm, a whole (small) transformer's forward pass from named
 * parameters, and the rank-collapse measure of Dong et al. (2021).
 *
 * No TF.js here, so page code can use it (the positional-encoding explorer, the attention stepper,
 * and the tiny transformer's "type an input" panel, which runs the worker's trained parameters on
 * the main thread). The engine's layers (./layers/sequence.ts) share `sinusoidalTable`, and
 * tests/unit/attention-math.test.ts checks `transformerForward` against GraphModel value by value.
 */

export type Matrix = number[][];

/** sin/cos codes of Vaswani et al. (2017), Section 3.5: PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(…); row-major [length, dim]. */
export function sinusoidalTable(length: number, dim: number): Float32Array {
  const table = new Float32Array(length * dim);
  for (let position = 0; position < length; position++) {
    for (let i = 0; i < dim; i++) {
      const angle = position / 10000 ** ((2 * Math.floor(i / 2)) / dim);
      table[position * dim + i] = i % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return table;
}

/** The sinusoidal table as rows (positions) of numbers. */
export function positionalMatrix(length: number, dim: number): Matrix {
  const table = sinusoidalTable(length, dim);
  return Array.from({ length }, (_, p) => Array.from(table.subarray(p * dim, (p + 1) * dim)));
}

export function matMul(a: Matrix, b: Matrix): Matrix {
  const inner = b.length;
  const columns = b[0]?.length ?? 0;
  return a.map((row) => {
    if (row.length !== inner) throw new Error(`matMul: ${row.length} columns against ${inner} rows`);
    return Array.from({ length: columns }, (_, j) => row.reduce((sum, value, k) => sum + value * b[k][j], 0));
  });
}

export function transpose(a: Matrix): Matrix {
  return (a[0] ?? []).map((_, j) => a.map((row) => row[j]));
}

export function dot(a: readonly number[], b: readonly number[]): number {
  return a.reduce((sum, value, i) => sum + value * b[i], 0);
}

/** Dot products between every pair of rows, divided by the row width (1 on the diagonal for sin/cos codes of even width). */
export function rowSimilarity(rows: Matrix): Matrix {
  const width = rows[0]?.length ?? 1;
  return rows.map((a) => rows.map((b) => dot(a, b) / width));
}

/** Softmax of one row; −Infinity entries get weight 0. */
export function softmax(row: readonly number[]): number[] {
  const most = Math.max(...row);
  const exps = row.map((value) => (value === -Infinity ? 0 : Math.exp(value - most)));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

export interface AttentionSteps {
  queries: Matrix;
  keys: Matrix;
  values: Matrix;
  /** Q Kᵀ: row i, column j = how well query i matches key j. */
  scores: Matrix;
  /** Q Kᵀ / √d_k. */
  scaled: Matrix;
  /** The scaled scores with −Infinity above the diagonal when causal (else the same as scaled). */
  masked: Matrix;
  /** softmax of each row of masked: each row sums to 1. */
  weights: Matrix;
  /** weights × V: each position's new vector, a weighted average of the values. */
  output: Matrix;
}

/** Scaled dot-product attention of one head on projected queries, keys and values, keeping every intermediate. */
export function attend(queries: Matrix, keys: Matrix, values: Matrix, causal: boolean): Omit<AttentionSteps, 'queries' | 'keys' | 'values'> {
  const headSize = keys[0]?.length ?? 1;
  const scores = matMul(queries, transpose(keys));
  const scaled = scores.map((row) => row.map((s) => s / Math.sqrt(headSize)));
  const masked = scaled.map((row, i) => row.map((s, j) => (causal && j > i ? -Infinity : s)));
  const weights = masked.map(softmax);
  return { scores, scaled, masked, weights, output: matMul(weights, values) };
}

/** One head of attention, softmax(QKᵀ/√d_k)V with Q = XW_Q, K = XW_K, V = XW_V, keeping every intermediate. */
export function attentionSteps(inputs: Matrix, query: Matrix, key: Matrix, value: Matrix, causal: boolean): AttentionSteps {
  const queries = matMul(inputs, query);
  const keys = matMul(inputs, key);
  const values = matMul(inputs, value);
  return { queries, keys, values, ...attend(queries, keys, values, causal) };
}

/** Layer norm of each row (ε = 1e-5, as the engine's layer), with gain and shift. */
export function layerNorm(rows: Matrix, gamma: readonly number[], beta: readonly number[]): Matrix {
  return rows.map((row) => {
    const mean = row.reduce((s, v) => s + v, 0) / row.length;
    const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / row.length;
    return row.map((v, i) => ((v - mean) / Math.sqrt(variance + 1e-5)) * gamma[i] + beta[i]);
  });
}

/**
 * Dong et al. (2021)'s measure of rank collapse, relative: ‖X − 1x̄ᵀ‖_F / ‖X‖_F, the distance of the
 * token representations X (rows) from the nearest matrix whose rows are all the same (x̄ = the mean
 * row, the closest such matrix), over the size of X. 0 = every token carries the same vector.
 */
export function collapseDistance(rows: Matrix): number {
  const width = rows[0]?.length ?? 0;
  const mean = Array.from({ length: width }, (_, j) => rows.reduce((s, row) => s + row[j], 0) / rows.length);
  let residual = 0;
  let total = 0;
  for (const row of rows) {
    row.forEach((v, j) => {
      residual += (v - mean[j]) ** 2;
      total += v * v;
    });
  }
  return total === 0 ? 0 : Math.sqrt(residual / total);
}

/** What `transformerForward` needs to know of a model built by transformerSpec (../models/transformer.ts). */
export interface TransformerShape {
  vocabSize: number;
  dModel: number;
  heads: number;
  layers: number;
  norm: 'pre' | 'post' | 'none';
  skips: boolean;
  positional: 'sinusoidal' | 'none';
  causal?: boolean;
}

/** Parameters by the graph model's names (`block1.attn.query`, `block1.attn.query.bias`, …), row-major. */
export type NamedParameters = Readonly<Record<string, ArrayLike<number>>>;

export interface TransformerTrace {
  /** Logits per position, [length, vocabSize]. */
  logits: Matrix;
  /** The most likely token per position. */
  prediction: number[];
  /** Attention weights per block and head, [layers][heads][length][length]. */
  attention: Matrix[][];
}

function parameterMatrix(params: NamedParameters, name: string, rows: number, columns: number): Matrix {
  const values = params[name];
  if (!values || values.length !== rows * columns) throw new Error(`parameter "${name}" is missing or not ${rows}×${columns}`);
  return Array.from({ length: rows }, (_, r) => Array.from({ length: columns }, (_, c) => values[r * columns + c]));
}

function vector(params: NamedParameters, name: string): number[] {
  const values = params[name];
  if (!values) throw new Error(`parameter "${name}" is missing`);
  return Array.from(values);
}

/** rows × kernel + bias (ReLU optionally); the attention layer names its kernels `…attn.query`, dense layers `…mlp1.kernel`. */
function dense(rows: Matrix, params: NamedParameters, kernelName: string, units: number, relu = false): Matrix {
  const kernel = parameterMatrix(params, kernelName, rows[0].length, units);
  const bias = vector(params, `${kernelName.replace(/\.kernel$/, '')}.bias`);
  return matMul(rows, kernel).map((row) => row.map((v, j) => (relu ? Math.max(0, v + bias[j]) : v + bias[j])));
}

const addRows = (a: Matrix, b: Matrix): Matrix => a.map((row, i) => row.map((v, j) => v + b[i][j]));

/** The forward pass of a transformerSpec model on one token sequence, from its named parameters. */
export function transformerForward(shape: TransformerShape, params: NamedParameters, tokens: readonly number[]): TransformerTrace {
  const { vocabSize, dModel, heads } = shape;
  const table = parameterMatrix(params, 'embed.table', vocabSize, dModel);
  let stream: Matrix = tokens.map((token) => [...table[token]]);
  if (shape.positional === 'sinusoidal') stream = addRows(stream, positionalMatrix(tokens.length, dModel));
  const headSize = dModel / heads;
  const attention: Matrix[][] = [];
  const norm = (rows: Matrix, name: string) => layerNorm(rows, vector(params, `${name}.gamma`), vector(params, `${name}.beta`));
  const sublayer = (group: string, normName: string, body: (input: Matrix) => Matrix) => {
    const input = shape.norm === 'pre' ? norm(stream, `${group}.${normName}`) : stream;
    let out = body(input);
    if (shape.skips) out = addRows(stream, out);
    if (shape.norm === 'post') out = norm(out, `${group}.${normName}`);
    stream = out;
  };
  for (let block = 1; block <= shape.layers; block++) {
    const group = `block${block}`;
    sublayer(group, 'norm1', (input) => {
      const project = (name: string) => dense(input, params, `${group}.attn.${name}`, dModel);
      const [queries, keys, values] = [project('query'), project('key'), project('value')];
      const slice = (rows: Matrix, h: number) => rows.map((row) => row.slice(h * headSize, (h + 1) * headSize));
      const perHead = Array.from({ length: heads }, (_, h) => attend(slice(queries, h), slice(keys, h), slice(values, h), shape.causal ?? false));
      attention.push(perHead.map((h) => h.weights));
      const mixed = tokens.map((_, i) => perHead.flatMap((h) => h.output[i]));
      return dense(mixed, params, `${group}.attn.output`, dModel);
    });
    sublayer(group, 'norm2', (input) => {
      const hidden = dense(input, params, `${group}.mlp1.kernel`, vector(params, `${group}.mlp1.bias`).length, true);
      return dense(hidden, params, `${group}.mlp2.kernel`, dModel);
    });
  }
  if (shape.norm === 'pre') stream = norm(stream, 'norm');
  const logits = dense(stream, params, 'output.kernel', vocabSize);
  const prediction = logits.map((row) => row.indexOf(Math.max(...row)));
  return { logits, prediction, attention };
}
