/**
 * The lesion widget's settings table: the one source of its controls, URL state, CLI flags and
 * validation. Pure data.
 *
 * Defaults show Veit et al.'s (2016) lesion result at laptop scale: a plain and a residual ReLU
 * network of 12 hidden layers (width 32, batch norm) trained on the two spirals; deleting any one
 * layer of the plain network drops its test accuracy towards chance, while deleting one block of
 * the residual network mostly costs little (measured numbers in tests/unit/lesion.test.ts and
 * the chapter).
 */
import type { SettingSpec } from '../../engine/types';

export const lesionSettings = [
  { key: 'depth', label: 'Hidden layers', kind: 'int', min: 3, max: 30, step: 1, default: 12, help: 'Both networks have this many hidden layers; every one after the first can be deleted.' },
  { key: 'width', label: 'Units per layer', kind: 'int', min: 4, max: 64, step: 1, default: 32, help: 'Width of every hidden layer.' },
  {
    key: 'norm',
    label: 'Normalisation',
    kind: 'choice',
    options: [
      { value: 'batch', label: 'Batch norm' },
      { value: 'none', label: 'None' },
    ],
    default: 'batch',
    help: 'Batch norm before each ReLU, as in the residual networks Veit et al. studied.',
  },
  { key: 'trainSteps', label: 'Training steps', kind: 'int', min: 50, max: 3000, step: 50, default: 500, help: 'Adam steps (learning rate 0.01, batches of 64) before the deletions are tested.' },
  { key: 'seed', label: 'Seed', kind: 'int', min: 1, max: 9999, step: 1, default: 1, help: 'Seed of the initial weights and the batches (the same for both networks).' },
] as const satisfies readonly SettingSpec[];
