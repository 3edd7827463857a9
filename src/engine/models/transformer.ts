/**
 * Transformer-shaped models (Vaswani et al. 2017) for token sequences: embedding, positional
 * encoding, blocks of multi-head self-attention and a position-wise feed-forward network, and a
 * dense output layer giving logits over the vocabulary at every position. Layer norm placement
 * (pre-LN, post-LN or none) and the residual skips are switches, so a chapter can take them away.
 *
 * Per block (pre-LN): x = x + attn(LN(x)); x = x + mlp2(relu(mlp1(LN(x)))); a final LN before the
 * output layer. Post-LN: x = LN(x + attn(x)); x = LN(x + mlp(x)). Without skips the `x +` goes.
 * Layer names: embed, pos, block1.norm1, block1.attn, block1.attn.add, block1.norm2, block1.mlp1,
 * block1.mlp2, block1.mlp.add, …, norm, output.
 */
import type { LayerSpec } from '../layers/types';
import { INPUT_ID, type ModelSpec } from './graph';

export interface TransformerOptions {
  vocabSize: number;
  sequenceLength: number;
  dModel: number;
  heads: number;
  /** Number of blocks. */
  layers: number;
  /** Hidden width of the feed-forward network; default 2 × dModel. */
  ffnSize?: number;
  /** 'none': no positional information at all (the model cannot tell positions apart). */
  positional?: 'sinusoidal' | 'learned' | 'none';
  /** Longest sequence the positional table covers; default sequenceLength. */
  maxLength?: number;
  norm?: 'pre' | 'post' | 'none';
  skips?: boolean;
  causal?: boolean;
  /** Dropout after attention and the feed-forward network; default 0. */
  dropout?: number;
  /** Output classes per position; default vocabSize. */
  outputSize?: number;
}

export function transformerSpec(options: TransformerOptions): ModelSpec {
  const { vocabSize, sequenceLength, dModel, heads, ffnSize = 2 * dModel, positional = 'sinusoidal', norm = 'pre', skips = true, causal = false, dropout = 0 } = options;
  const layers: LayerSpec[] = [
    { id: 'embed', label: 'token embedding', type: 'embedding', vocabSize, dim: dModel, inputs: [INPUT_ID] },
  ];
  if (positional !== 'none') layers.push({ id: 'pos', label: `${positional} positions`, type: 'positional', kind: positional, maxLength: options.maxLength ?? sequenceLength, inputs: ['embed'] });
  let stream = layers[layers.length - 1].id;
  const add = (layer: LayerSpec): string => {
    layers.push(layer);
    return layer.id;
  };
  for (let block = 1; block <= options.layers; block++) {
    const group = `block${block}`;
    const label = `block ${block}`;
    /** One sub-layer (attention or MLP) with its norm and skip; returns the new stream. */
    const sublayer = (name: 'attn' | 'mlp', normId: string, body: (input: string) => string): string => {
      let input = stream;
      if (norm === 'pre') input = add({ id: `${group}.${normId}`, label: `${label}, ${normId === 'norm1' ? 'attention' : 'MLP'} norm`, group, type: 'layer-norm', inputs: [stream] });
      let out = body(input);
      if (dropout > 0) out = add({ id: `${group}.${name}.dropout`, label: `${label}, ${name} dropout`, group, type: 'dropout', rate: dropout, inputs: [out] });
      if (skips) out = add({ id: `${group}.${name}.add`, label: `${label}, ${name === 'attn' ? 'attention' : 'MLP'} skip`, group, type: 'add', inputs: [stream, out] });
      if (norm === 'post') out = add({ id: `${group}.${normId}`, label: `${label}, ${normId === 'norm1' ? 'attention' : 'MLP'} norm`, group, type: 'layer-norm', inputs: [out] });
      return out;
    };
    stream = sublayer('attn', 'norm1', (input) => add({ id: `${group}.attn`, label: `${label}, attention`, group, type: 'attention', heads, causal, inputs: [input] }));
    stream = sublayer('mlp', 'norm2', (input) => {
      const hidden = add({ id: `${group}.mlp1`, label: `${label}, MLP in`, group, type: 'dense', units: ffnSize, activation: 'relu', init: 'he', inputs: [input] });
      return add({ id: `${group}.mlp2`, label: `${label}, MLP out`, group, type: 'dense', units: dModel, inputs: [hidden] });
    });
  }
  if (norm === 'pre') stream = add({ id: 'norm', label: 'final norm', type: 'layer-norm', inputs: [stream] });
  add({ id: 'output', label: 'output layer', type: 'dense', units: options.outputSize ?? vocabSize, inputs: [stream] });
  return { inputShape: [sequenceLength], inputKind: 'tokens', layers, loss: 'cross-entropy' };
}
