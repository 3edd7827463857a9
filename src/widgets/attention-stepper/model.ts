/**
 * The attention stepper's content: a three-word sequence with small embeddings the reader edits,
 * fixed projections W_Q, W_K, W_V, and the steps of one attention head (the engine's
 * attentionSteps), each as a named matrix with a sentence that says what happened. Pure; the view,
 * the exercise checks and the unit tests share it.
 */
import { attentionSteps, type Matrix } from '../../engine/attention-math';

export const WORDS = ['the', 'cat', 'sat'] as const;
export const EMBEDDING_SIZE = 4;
export const HEAD_SIZE = 2;

/** Starting embeddings: small whole numbers, so every product can be checked by hand. */
export const DEFAULT_EMBEDDINGS: Matrix = [
  [1, 0, 1, 0],
  [0, 2, 0, 1],
  [1, 1, 1, 0],
];

/** 4 × 2 projections: each output dimension reads one or two embedding dimensions. */
export const PROJECTIONS: Readonly<Record<'query' | 'key' | 'value', Matrix>> = {
  query: [
    [1, 0],
    [0, 1],
    [1, 0],
    [0, 0],
  ],
  key: [
    [0, 1],
    [1, 0],
    [1, 0],
    [0, 1],
  ],
  value: [
    [1, 0],
    [0, 0],
    [0, 1],
    [1, 1],
  ],
};

export interface StepperStep {
  key: 'inputs' | 'queries' | 'keys' | 'values' | 'scores' | 'scaled' | 'masked' | 'weights' | 'output';
  title: string;
  /** One or two sentences: what this step computed and how. */
  text: string;
  matrix: Matrix;
  rowNames: readonly string[];
  columnNames: readonly string[];
}

const format = (value: number) => (value === -Infinity ? '−∞' : Number.isInteger(value) ? String(value) : value.toFixed(2));

/** The matrix in words, row by row, for screen readers: "the: 1, 0, 1, 0; cat: …". */
export function matrixInWords(step: Pick<StepperStep, 'matrix' | 'rowNames'>): string {
  return step.matrix.map((row, i) => `${step.rowNames[i]}: ${row.map(format).join(', ')}`).join('; ');
}

export { format as formatEntry };

export function stepperSteps(embeddings: Matrix, causal: boolean): StepperStep[] {
  const s = attentionSteps(embeddings, PROJECTIONS.query, PROJECTIONS.key, PROJECTIONS.value, causal);
  const words = [...WORDS];
  const head = ['h1', 'h2'];
  const root = Math.sqrt(HEAD_SIZE);
  return [
    { key: 'inputs', title: 'Inputs X', text: 'Each word is a vector of 4 numbers (its embedding plus its position code). Edit them in the table.', matrix: embeddings, rowNames: words, columnNames: ['x1', 'x2', 'x3', 'x4'] },
    { key: 'queries', title: 'Queries Q = X W_Q', text: 'Each word’s query: what it is looking for. Row = the word’s vector times W_Q.', matrix: s.queries, rowNames: words, columnNames: head },
    { key: 'keys', title: 'Keys K = X W_K', text: 'Each word’s key: what it offers to be found by.', matrix: s.keys, rowNames: words, columnNames: head },
    { key: 'values', title: 'Values V = X W_V', text: 'Each word’s value: what it passes on when attended to.', matrix: s.values, rowNames: words, columnNames: head },
    { key: 'scores', title: 'Scores Q Kᵀ', text: 'Row i, column j: the dot product of word i’s query with word j’s key. Large = a good match.', matrix: s.scores, rowNames: words.map((w) => `${w} (query)`), columnNames: words.map((w) => `${w} (key)`) },
    { key: 'scaled', title: `Scaled: Q Kᵀ / √d_k = Q Kᵀ / ${root.toFixed(2)}`, text: `Every score divided by √${HEAD_SIZE}, so that wider heads do not push the softmax into saturation.`, matrix: s.scaled, rowNames: words.map((w) => `${w} (query)`), columnNames: words.map((w) => `${w} (key)`) },
    {
      key: 'masked',
      title: causal ? 'Causal mask: −∞ above the diagonal' : 'No mask (every word may read every word)',
      text: causal ? 'A word may not read words after it: their scores become −∞, so their weights will be exactly 0.' : 'The mask is off: the encoder’s self-attention lets every word read the whole sequence. Tick “Causal mask” to see the decoder’s version.',
      matrix: s.masked,
      rowNames: words.map((w) => `${w} (query)`),
      columnNames: words.map((w) => `${w} (key)`),
    },
    { key: 'weights', title: 'Weights: softmax of each row', text: 'Each row is made positive and scaled to sum to 1: how much of each word this word reads.', matrix: s.weights, rowNames: words.map((w) => `${w} reads`), columnNames: words },
    { key: 'output', title: 'Output: weights × V', text: 'Each word’s new vector is the weighted average of the values, with the weights of its row.', matrix: s.output, rowNames: words, columnNames: head },
  ];
}
