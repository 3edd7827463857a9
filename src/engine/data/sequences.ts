/**
 * Seeded token-sequence tasks for small transformers: each example is a sequence of random tokens
 * and, at every position, the token the output should hold there.
 * - copy: the same sequence (solvable by the skip path alone: each position keeps its own token);
 * - reverse: the sequence backwards (each position must read the mirrored one: attention by position);
 * - sort: the tokens in ascending order (each position must count tokens across the whole sequence).
 */
import type { TensorDataset } from './tensor-dataset';
import { createRandom } from '../random';

export const SEQUENCE_TASKS = ['copy', 'reverse', 'sort'] as const;
export type SequenceTask = (typeof SEQUENCE_TASKS)[number];

export interface SequenceOptions {
  task: SequenceTask;
  size: number;
  seed: number;
  /** Positions per sequence; default 12. */
  length?: number;
  /** Distinct tokens 0 … vocabSize − 1; default 10. */
  vocabSize?: number;
}

export function makeSequenceTask(options: SequenceOptions): TensorDataset {
  const { task, size, seed, length = 12, vocabSize = 10 } = options;
  if (!SEQUENCE_TASKS.includes(task)) throw new Error(`Unknown sequence task "${task}". Valid: ${SEQUENCE_TASKS.join(', ')}.`);
  const random = createRandom(seed);
  const inputs = new Int32Array(size * length);
  const targets = new Float32Array(size * length * vocabSize);
  for (let i = 0; i < size; i++) {
    const tokens = Array.from({ length }, () => random.int(vocabSize));
    const answer = task === 'copy' ? tokens : task === 'reverse' ? [...tokens].reverse() : [...tokens].sort((a, b) => a - b);
    inputs.set(tokens, i * length);
    answer.forEach((token, position) => (targets[(i * length + position) * vocabSize + token] = 1));
  }
  return {
    name: `sequence-${task}`,
    task: 'sequence',
    size,
    inputShape: [length],
    inputs,
    targetShape: [length, vocabSize],
    targets,
    classNames: Array.from({ length: vocabSize }, (_, token) => String(token)),
  };
}
