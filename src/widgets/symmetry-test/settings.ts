/**
 * The symmetry test's settings table: the one source of its controls, URL state, CLI flags and
 * validation. Pure data. Plain, residual (blocks of two layers) and skip-around-every-layer ReLU
 * networks of the same depth and width, from many seeds, trained identically.
 *
 * Defaults (20 layers of 8 units, batch norm, as in He et al.'s plain/residual comparison): the
 * plain networks degrade while both residual networks train, so the test asks whether the stuck
 * runs are the ones with near-duplicate units. The numbers the chapter quotes are asserted in
 * tests/unit/symmetry-test.test.ts.
 */
import type { SettingSpec } from '../../engine/types';

export const symmetryTestSettings = [
  { key: 'seeds', label: 'Seeds per network', kind: 'int', min: 2, max: 24, step: 1, default: 10, help: 'Each of the three networks is trained from this many random initialisations (batched, so more seeds cost little).' },
  { key: 'depth', label: 'Hidden layers', kind: 'int', min: 3, max: 30, step: 1, default: 20, help: 'Depth of all three networks.' },
  { key: 'width', label: 'Units per layer', kind: 'int', min: 4, max: 32, step: 1, default: 8, help: 'Width of every hidden layer (narrow layers make near-duplicate and dead units likelier).' },
  { key: 'steps', label: 'Training steps', kind: 'int', min: 10, max: 3000, step: 10, default: 400, help: 'Adam steps on the two-spirals data, the same for every run.' },
  {
    key: 'norm',
    label: 'Normalisation',
    kind: 'choice',
    options: [
      { value: 'none', label: 'None' },
      { value: 'batch', label: 'Batch norm' },
    ],
    default: 'batch',
    help: 'Batch norm before every ReLU (pre-activation residual blocks keep it off the skip path).',
  },
  { key: 'learningRate', label: 'Learning rate', kind: 'number', min: 0.0001, max: 0.1, default: 0.005, scale: 'log', help: 'Adam’s step size, the same for every run.' },
] as const satisfies readonly SettingSpec[];
