/**
 * Sequence layers of the graph model: finite-difference checks of embedding, positional encoding
 * and attention gradients; the causal mask hides later positions; attention weights can be
 * inspected; the token tasks; the transformer builder's switches; bad specs named by layer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/engine/backend-node';
import { GraphModel, type ModelSpec } from '../../src/engine/models/graph';
import { transformerSpec } from '../../src/engine/models/transformer';
import { makeSequenceTask } from '../../src/engine/data/sequences';
import { sinusoidalTable } from '../../src/engine/attention-math';
import type { LayerSpec } from '../../src/engine/layers/types';
import type { TensorDataset } from '../../src/engine/data/tensor-dataset';
import { checkGradientsByFiniteDifferences, randomData } from './helpers/graph-checks';

beforeAll(async () => {
  await initNodeBackend();
});

const VOCAB = 5;
const LENGTH = 4;
const tokens = randomData([LENGTH], [LENGTH, VOCAB], 3, 41, { vocab: VOCAB, task: 'sequence' });

/** embed (dim 4) → (layers under test) → dense logits per position. */
function sequenceModel(layers: LayerSpec[]): ModelSpec {
  return {
    inputShape: [LENGTH],
    inputKind: 'tokens',
    loss: 'cross-entropy',
    layers: [{ id: 'embed', type: 'embedding', vocabSize: VOCAB, dim: 4, initScale: 2 }, ...layers, { id: 'head', type: 'dense', units: VOCAB }],
  };
}

describe('sequence layers’ gradients match finite differences', () => {
  it('embedding (one-hot × table)', () => {
    checkGradientsByFiniteDifferences(sequenceModel([]), tokens);
  });
  it('learned and sinusoidal positions', () => {
    checkGradientsByFiniteDifferences(sequenceModel([{ id: 'pos', type: 'positional', kind: 'learned', maxLength: 6 }]), tokens);
    checkGradientsByFiniteDifferences(sequenceModel([{ id: 'pos', type: 'positional', kind: 'sinusoidal', maxLength: LENGTH }]), tokens);
  });
  it('multi-head attention, full and causal', () => {
    for (const causal of [false, true]) {
      checkGradientsByFiniteDifferences(sequenceModel([{ id: 'attn', type: 'attention', heads: 2, causal, initScale: 2 }]), tokens);
    }
  });
  it('a whole transformer, pre-LN and post-LN', () => {
    for (const norm of ['pre', 'post'] as const) {
      const spec = transformerSpec({ vocabSize: VOCAB, sequenceLength: LENGTH, dModel: 4, heads: 2, layers: 1, ffnSize: 6, positional: 'learned', norm });
      checkGradientsByFiniteDifferences(spec, tokens, 5, (name) => name.endsWith('kernel') || name.endsWith('table') || name.endsWith('query') || name.endsWith('value'));
    }
  });
});

describe('attention', () => {
  const spec = transformerSpec({ vocabSize: VOCAB, sequenceLength: LENGTH, dModel: 8, heads: 2, layers: 1, causal: true });
  it('causal: changing a later token leaves the outputs at earlier positions unchanged', () => {
    const model = new GraphModel(spec, 3);
    const base: TensorDataset = { ...tokens, size: 1, inputs: Int32Array.from([1, 2, 3, 4]) };
    const changed: TensorDataset = { ...base, inputs: Int32Array.from([1, 2, 3, 0]) };
    const [a, b] = [base, changed].map((data) => model.inspect(data, ['output']).output.values);
    const perPosition = VOCAB;
    expect(Array.from(b.slice(0, 3 * perPosition))).toEqual(Array.from(a.slice(0, 3 * perPosition)));
    expect(Array.from(b.slice(3 * perPosition))).not.toEqual(Array.from(a.slice(3 * perPosition)));
    model.dispose();
  });
  it('weights can be inspected: each row sums to 1, nothing above the diagonal when causal', () => {
    const model = new GraphModel(spec, 3);
    const { shape, values } = model.inspect(tokens, ['block1.attn.weights'])['block1.attn.weights'];
    expect(shape).toEqual([tokens.size, 2, LENGTH, LENGTH]);
    for (let row = 0; row < values.length / LENGTH; row++) {
      const weights = values.slice(row * LENGTH, (row + 1) * LENGTH);
      expect(weights.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      const query = row % LENGTH;
      weights.forEach((w, key) => (key > query ? expect(w).toBeLessThan(1e-6) : undefined));
    }
    expect(() => model.inspect(tokens, ['block9.attn.weights'])).toThrow(/Nothing to inspect under "block9.attn.weights"/);
    model.dispose();
  });
});

describe('transformer builder', () => {
  it('names blocks and sub-layers; the switches add and remove norms and skips', () => {
    const names = (options: Partial<Parameters<typeof transformerSpec>[0]>) =>
      transformerSpec({ vocabSize: 10, sequenceLength: 12, dModel: 32, heads: 4, layers: 2, ...options }).layers.map((l) => l.id);
    expect(names({})).toEqual([
      'embed', 'pos',
      'block1.norm1', 'block1.attn', 'block1.attn.add', 'block1.norm2', 'block1.mlp1', 'block1.mlp2', 'block1.mlp.add',
      'block2.norm1', 'block2.attn', 'block2.attn.add', 'block2.norm2', 'block2.mlp1', 'block2.mlp2', 'block2.mlp.add',
      'norm', 'output',
    ]);
    expect(names({ norm: 'post', layers: 1 })).toEqual(['embed', 'pos', 'block1.attn', 'block1.attn.add', 'block1.norm1', 'block1.mlp1', 'block1.mlp2', 'block1.mlp.add', 'block1.norm2', 'output']);
    expect(names({ skips: false, norm: 'none', layers: 1 })).toEqual(['embed', 'pos', 'block1.attn', 'block1.mlp1', 'block1.mlp2', 'output']);
    const model = new GraphModel(transformerSpec({ vocabSize: 10, sequenceLength: 12, dModel: 32, heads: 4, layers: 2, positional: 'learned' }), 1);
    expect(model.layers.map((l) => l.id)).toEqual(['embed', 'pos', 'block1.attn', 'block1.mlp1', 'block1.mlp2', 'block2.attn', 'block2.mlp1', 'block2.mlp2', 'output']);
    expect(model.outputShape).toEqual([12, 10]);
    model.dispose();
  });
  it('sinusoidal codes: sin on even, cos on odd dimensions, position 0 = (0, 1, 0, 1, …)', () => {
    const table = sinusoidalTable(3, 4);
    expect(Array.from(table.slice(0, 4))).toEqual([0, 1, 0, 1]);
    expect(table[4]).toBeCloseTo(Math.sin(1), 6);
    expect(table[5]).toBeCloseTo(Math.cos(1), 6);
    expect(table[6]).toBeCloseTo(Math.sin(1 / 100), 6);
  });
});

describe('token tasks', () => {
  it('copy, reverse and sort targets follow from the inputs', () => {
    for (const task of ['copy', 'reverse', 'sort'] as const) {
      const data = makeSequenceTask({ task, size: 5, seed: 2, length: 6, vocabSize: 7 });
      expect(data.inputShape).toEqual([6]);
      expect(data.targetShape).toEqual([6, 7]);
      for (let i = 0; i < 5; i++) {
        const input = Array.from(data.inputs.slice(i * 6, i * 6 + 6));
        const target = Array.from({ length: 6 }, (_, p) => data.targets.slice((i * 6 + p) * 7, (i * 6 + p + 1) * 7).indexOf(1));
        const expected = task === 'copy' ? input : task === 'reverse' ? [...input].reverse() : [...input].sort((a, b) => a - b);
        expect(target).toEqual(expected);
      }
    }
    expect(makeSequenceTask({ task: 'sort', size: 3, seed: 1 }).inputs).toEqual(makeSequenceTask({ task: 'sort', size: 3, seed: 1 }).inputs);
  });
});

describe('bad sequence specs name the layer and the problem', () => {
  const base = { vocabSize: 10, sequenceLength: 12, dModel: 32, heads: 4, layers: 1 };
  const cases: [string, ModelSpec, RegExp][] = [
    ['zero heads', transformerSpec({ ...base, heads: 0 }), /layer "block1.attn" \(attention\): heads must be a positive integer, got 0/],
    ['heads that do not divide the width', transformerSpec({ ...base, heads: 5 }), /layer "block1.attn" \(attention\): 5 heads do not divide the model width 32/],
    ['a sequence longer than the positional table', transformerSpec({ ...base, maxLength: 8 }), /layer "pos" \(positional\): the sequence has 12 positions, longer than the positional table \(maxLength 8\)/],
    ['tokens read by a dense layer', { inputShape: [4], inputKind: 'tokens', loss: 'mse', layers: [{ id: 'd', type: 'dense', units: 3 }] }, /layer "d" \(dense\): the model input is token ids; only an embedding layer can read it/],
    ['an embedding of float inputs', { inputShape: [4], loss: 'mse', layers: [{ id: 'e', type: 'embedding', vocabSize: 3, dim: 2 }] }, /layer "e" \(embedding\): an embedding reads token ids/],
    ['attention over a flat vector', { inputShape: [4], loss: 'mse', layers: [{ id: 'a', type: 'attention', heads: 1 }] }, /layer "a" \(attention\): needs a \[length, dim\] sequence of vectors/],
  ];
  for (const [name, spec, message] of cases) it(name, () => expect(() => new GraphModel(spec, 1)).toThrow(message));
});
