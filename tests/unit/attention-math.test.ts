/**
 * The transformer's arithmetic on plain numbers (src/engine/attention-math.ts): attention step by
 * step, the rank-collapse measure, positional similarity, and the whole forward pass checked
 * against the engine's GraphModel (TF.js) value by value, for pre-LN, post-LN, no skips and no
 * positional encoding.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/engine/backend-node';
import { GraphModel } from '../../src/engine/models/graph';
import { transformerSpec } from '../../src/engine/models/transformer';
import { makeSequenceTask } from '../../src/engine/data/sequences';
import { DEFAULT_EMBEDDINGS, PROJECTIONS, formatEntry, stepperSteps } from '../../src/widgets/attention-stepper/model';
import { attentionSteps, collapseDistance, positionalMatrix, rowSimilarity, softmax, transformerForward, type TransformerShape } from '../../src/engine/attention-math';

beforeAll(async () => {
  await initNodeBackend();
});

describe('attention step by step', () => {
  const inputs = [
    [1, 0, 1, 0],
    [0, 2, 0, 1],
    [1, 1, 0, 0],
  ];
  const w = [
    [1, 0],
    [0, 1],
    [1, 1],
    [0, -1],
  ];
  it('scores are QKᵀ, scaled by 1/√d_k; softmax rows sum to 1; the output is weights × V', () => {
    const steps = attentionSteps(inputs, w, w, w, false);
    expect(steps.queries).toEqual([[2, 1], [0, 1], [1, 1]]);
    expect(steps.scores[0][1]).toBe(2 * 0 + 1 * 1);
    expect(steps.scaled[0][1]).toBeCloseTo(1 / Math.sqrt(2), 12);
    for (const row of steps.weights) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(steps.output[2][0]).toBeCloseTo(steps.weights[2].reduce((s, v, j) => s + v * steps.values[j][0], 0), 12);
  });
  it('the causal mask gives later positions weight 0 and leaves the first row all on itself', () => {
    const steps = attentionSteps(inputs, w, w, w, true);
    expect(steps.weights[0]).toEqual([1, 0, 0]);
    expect(steps.weights[1][2]).toBe(0);
    expect(steps.masked[1][2]).toBe(-Infinity);
    expect(softmax([0, 0])).toEqual([0.5, 0.5]);
  });
});

describe('the attention stepper of chapter 7 (its defaults, and the exercise tf-stepper-cat-reads-sat)', () => {
  const CAT = 1;
  const SAT = 2;
  it('uses the projections the chapter prints above it', () => {
    expect(PROJECTIONS.query).toEqual([[1, 0], [0, 1], [1, 0], [0, 0]]);
    expect(PROJECTIONS.key).toEqual([[0, 1], [1, 0], [1, 0], [0, 1]]);
    expect(PROJECTIONS.value).toEqual([[1, 0], [0, 0], [0, 1], [1, 1]]);
  });
  it('on its defaults the query of "cat" matches every key equally and every value (and output) is (1, 1)', () => {
    const steps = attentionSteps(DEFAULT_EMBEDDINGS, PROJECTIONS.query, PROJECTIONS.key, PROJECTIONS.value, false);
    expect(steps.scores[CAT]).toEqual([2, 2, 2]);
    expect(steps.values).toEqual([[1, 1], [1, 1], [1, 1]]);
    for (const row of steps.output) for (const v of row) expect(v).toBeCloseTo(1, 12);
    // Without the mask the first row spreads over all three words; with it, it is (1, 0, 0).
    for (const w of steps.weights[0]) expect(w).toBeGreaterThan(0.1);
    expect(attentionSteps(DEFAULT_EMBEDDINGS, PROJECTIONS.query, PROJECTIONS.key, PROJECTIONS.value, true).weights[0]).toEqual([1, 0, 0]);
  });
  it('with x4 of "sat" set to 4, "cat" puts 0.993 of its weight on "sat" and its output moves to about (4.97, 4.97)', () => {
    const embeddings = DEFAULT_EMBEDDINGS.map((row) => [...row]);
    embeddings[SAT][3] = 4;
    const steps = stepperSteps(embeddings, false);
    const get = (key: string) => steps.find((step) => step.key === key)!.matrix;
    expect(get('keys')[SAT]).toEqual([2, 5]);
    expect(get('values')[SAT]).toEqual([5, 5]);
    expect(get('queries')[CAT]).toEqual([0, 2]);
    expect(get('scores')[CAT]).toEqual([2, 2, 10]);
    const weights = get('weights')[CAT];
    expect(weights[SAT]).toBeCloseTo(0.993, 3);
    // The exercise's answer and tolerance (0.993 ± 0.004) hold the exact weight and the stepper's two decimals.
    expect(Math.abs(weights[SAT] - 0.993)).toBeLessThanOrEqual(0.004);
    expect(formatEntry(weights[SAT])).toBe('0.99');
    expect(Math.abs(Number(formatEntry(weights[SAT])) - 0.993)).toBeLessThanOrEqual(0.004);
    expect(weights[0]).toBeCloseTo(0.0035, 4);
    for (const v of get('output')[CAT]) expect(v).toBeCloseTo(4.97, 2);
    // The exercise's feedback for a forgotten scaling: softmax(2, 2, 10) puts 0.9993 on "sat", outside the tolerance.
    expect(softmax([2, 2, 10])[SAT]).toBeGreaterThan(0.999);
  });
});

describe('rank collapse and positions', () => {
  it('collapseDistance is 0 when every token is the same vector, positive otherwise, and scale-free', () => {
    expect(collapseDistance([[1, 2], [1, 2], [1, 2]])).toBe(0);
    const spread = collapseDistance([[1, 0], [0, 1]]);
    expect(spread).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(collapseDistance([[10, 0], [0, 10]])).toBeCloseTo(spread, 12);
  });
  it('sinusoidal codes: each position is most similar to itself, and similarity falls off with distance nearby', () => {
    const similarity = rowSimilarity(positionalMatrix(16, 32));
    for (let p = 0; p < 16; p++) {
      expect(similarity[p][p]).toBeCloseTo(0.5, 6);
      for (let q = 0; q < 16; q++) if (q !== p) expect(similarity[p][q]).toBeLessThan(similarity[p][p]);
    }
    expect(similarity[4][5]).toBeGreaterThan(similarity[4][8]);
  });
});

describe('transformerForward matches the engine’s GraphModel', () => {
  const cases: [string, TransformerShape][] = [
    ['pre-LN', { vocabSize: 10, dModel: 8, heads: 2, layers: 2, norm: 'pre', skips: true, positional: 'sinusoidal' }],
    ['post-LN', { vocabSize: 10, dModel: 8, heads: 2, layers: 2, norm: 'post', skips: true, positional: 'sinusoidal' }],
    ['no skips, no positions', { vocabSize: 10, dModel: 8, heads: 4, layers: 1, norm: 'pre', skips: false, positional: 'none' }],
  ];
  for (const [name, shape] of cases) {
    it(name, () => {
      const spec = transformerSpec({ ...shape, sequenceLength: 6 });
      const model = new GraphModel(spec, 5);
      const data = makeSequenceTask({ task: 'reverse', size: 2, seed: 3, length: 6, vocabSize: 10 });
      const names = ['output', ...Array.from({ length: shape.layers }, (_, b) => `block${b + 1}.attn.weights`)];
      const inspected = model.inspect(data, names, { examples: 1 });
      const trace = transformerForward(shape, model.getParameters(), Array.from(data.inputs.subarray(0, 6)));
      trace.logits.flat().forEach((v, i) => expect(v).toBeCloseTo(inspected.output.values[i], 4));
      for (let b = 0; b < shape.layers; b++) trace.attention[b].flat(2).forEach((v, i) => expect(v).toBeCloseTo(inspected[`block${b + 1}.attn.weights`].values[i], 5));
      model.dispose();
    });
  }
});
