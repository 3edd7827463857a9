/**
 * The tiny transformer's settings table: the one source of its controls, URL state, CLI flags and
 * validation. Pure data.
 *
 * Defaults (reverse 8 digits; 2 pre-LN blocks of width 32 with 2 heads; Adam at 0.003, batches of
 * 32, 300 steps) reach ≥ 95 % token accuracy on held-out sequences well inside the run (measured in
 * tests/unit/transformer.test.ts and `npm run experiment -- transformer`).
 */
import type { SettingSpec } from '../../engine/types';

export const tinyTransformerSettings = [
  {
    key: 'task',
    label: 'Task',
    kind: 'choice',
    options: [
      { value: 'reverse', label: 'Reverse the digits' },
      { value: 'sort', label: 'Sort the digits' },
      { value: 'copy', label: 'Copy the digits' },
    ],
    default: 'reverse',
    help: 'What the output at each of the 8 positions should be.',
  },
  { key: 'layers', label: 'Blocks', kind: 'int', min: 1, max: 4, step: 1, default: 2, help: 'Transformer blocks, each attention then a feed-forward network, with skips and pre-LN.' },
  {
    key: 'heads',
    label: 'Heads',
    kind: 'choice',
    options: [
      { value: '1', label: '1 head' },
      { value: '2', label: '2 heads' },
      { value: '4', label: '4 heads' },
    ],
    default: '2',
    help: 'Attention heads per block; each works in 32 ÷ heads dimensions.',
  },
  { key: 'learningRate', label: 'Learning rate', kind: 'number', min: 0.0001, max: 0.03, default: 0.003, scale: 'log', help: 'Adam step size, constant (no warm-up).' },
  { key: 'seed', label: 'Seed', kind: 'int', min: 1, max: 9999, step: 1, default: 1, help: 'Seed of the initial weights, the training sequences and the batches.' },
] as const satisfies readonly SettingSpec[];
