/**
 * Layers for token sequences: embedding, positional encoding, multi-head self-attention.
 *
 * TF.js's wasm back-end has no UnsortedSegmentSum, the gradient of `tf.gather`, so the embedding
 * is a one-hot matrix times the table: one matMul, differentiable everywhere.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { AttentionSpec, BuiltLayer, EmbeddingSpec, PositionalSpec } from './types';
import { specError } from './types';
import { matMulLastAxis } from './dense';
import { biasParam, kernelParam } from './init';
import { positiveInteger, requireRank, singleInput } from './shapes';
import { sinusoidalTable } from '../attention-math';

export function buildEmbedding(spec: EmbeddingSpec, inputShapes: readonly number[][]): BuiltLayer {
  const shape = singleInput(inputShapes);
  requireRank(shape, 1, 'a sequence of token ids');
  const vocabSize = positiveInteger('vocabSize', spec.vocabSize);
  const dim = positiveInteger('dim', spec.dim);
  const std = (spec.initScale ?? 1) / Math.sqrt(dim);
  return {
    outputShape: [shape[0], dim],
    params: [{ name: 'table', shape: [vocabSize, dim], init: { kind: 'normal', std }, weight: true }],
    state: [],
    forward: ([ids], p) => matMulLastAxis(tf.oneHot(tf.cast(ids, 'int32'), vocabSize), p.table),
  };
}

export function buildPositional(spec: PositionalSpec, inputShapes: readonly number[][]): BuiltLayer {
  const shape = singleInput(inputShapes);
  requireRank(shape, 2, 'a [length, dim] sequence of vectors');
  const maxLength = positiveInteger('maxLength', spec.maxLength);
  const [length, dim] = shape;
  if (length > maxLength) specError(`the sequence has ${length} positions, longer than the positional table (maxLength ${maxLength})`);
  if (spec.kind !== 'sinusoidal' && spec.kind !== 'learned') specError(`kind must be sinusoidal or learned, got ${JSON.stringify(spec.kind)}`);
  if (spec.kind === 'learned') {
    return {
      outputShape: [length, dim],
      params: [{ name: 'table', shape: [maxLength, dim], init: { kind: 'normal', std: 0.1 }, weight: true }],
      state: [],
      forward: ([x], p) => tf.add(x, length === maxLength ? p.table : tf.slice(p.table, [0, 0], [length, dim])),
    };
  }
  const codes = sinusoidalTable(length, dim);
  return { outputShape: [length, dim], params: [], state: [], forward: ([x]) => tf.add(x, tf.tensor2d(codes, [length, dim])) };
}

/** 0 where a position may attend, −1e9 above the diagonal (later positions), added before the softmax. */
function causalMask(length: number): Float32Array {
  const mask = new Float32Array(length * length);
  for (let row = 0; row < length; row++) for (let column = row + 1; column < length; column++) mask[row * length + column] = -1e9;
  return mask;
}

export function buildAttention(spec: AttentionSpec, inputShapes: readonly number[][]): BuiltLayer {
  const shape = singleInput(inputShapes);
  requireRank(shape, 2, 'a [length, dim] sequence of vectors');
  const heads = positiveInteger('heads', spec.heads);
  const [length, dim] = shape;
  if (dim % heads !== 0) specError(`${heads} heads do not divide the model width ${dim}`);
  const headSize = dim / heads;
  const params = ['query', 'key', 'value', 'output'].flatMap((name) => [kernelParam(name, [dim, dim], spec, dim, dim), biasParam(`${name}.bias`, dim)]);
  const mask = spec.causal ? causalMask(length) : undefined;
  return {
    outputShape: [length, dim],
    params,
    state: [],
    forward: ([x], p, context) => {
      const batch = x.shape[0];
      // [B, T, D] → [B, H, T, d_head]
      const split = (name: string, order: number[]) => tf.transpose(tf.reshape(tf.add(matMulLastAxis(x, p[name]), p[`${name}.bias`]), [batch, length, heads, headSize]), order);
      const queries = split('query', [0, 2, 1, 3]);
      // Keys as [B, H, d_head, T], so the product needs no transposed matMul (slow on wasm).
      const keys = split('key', [0, 2, 3, 1]);
      const values = split('value', [0, 2, 1, 3]);
      let scores = tf.mul(tf.matMul(queries, keys), 1 / Math.sqrt(headSize));
      if (mask) scores = tf.add(scores, tf.tensor2d(mask, [length, length]));
      const weights = tf.softmax(scores);
      context.capture('weights', weights);
      const mixed = tf.reshape(tf.transpose(tf.matMul(weights, values), [0, 2, 1, 3]), [batch, length, dim]);
      return tf.add(matMulLastAxis(mixed, p.output), p['output.bias']);
    },
  };
}
