/**
 * The transformer ablation's settings table: the one source of its controls, URL state, CLI
 * flags and validation. Pure data. Each comparison trains two copies of the same small transformer
 * (reverse 8 digits, width 32, 2 heads, Adam, batches of 32) that differ in one thing.
 */
import type { SettingSpec } from '../../engine/types';

export const transformerAblationSettings = [
  {
    key: 'comparison',
    label: 'Compare',
    kind: 'choice',
    options: [
      { value: 'skips', label: 'With and without residual skips' },
      { value: 'positions', label: 'With and without positional encoding' },
      { value: 'norm', label: 'Pre-LN and post-LN' },
    ],
    default: 'skips',
    help: 'The one difference between the two models trained side by side.',
  },
  { key: 'layers', label: 'Blocks', kind: 'int', min: 1, max: 6, step: 1, default: 4, help: 'Transformer blocks in both models.' },
  { key: 'learningRate', label: 'Learning rate', kind: 'number', min: 0.0001, max: 0.1, default: 0.003, scale: 'log', help: 'Adam step size, constant from the first step: no warm-up.' },
  { key: 'seed', label: 'Seed', kind: 'int', min: 1, max: 9999, step: 1, default: 1, help: 'Seed of the initial weights (the same for both models), the data and the batches.' },
] as const satisfies readonly SettingSpec[];
