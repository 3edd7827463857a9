/**
 * The loss-landscape widget's settings table: the one source of its controls, URL state, CLI flags
 * and validation. Pure data.
 *
 * Defaults show Li et al.'s (2018) result at laptop scale: two 20-layer ReLU networks of width 16
 * with batch norm, identical except for identity skips, trained on the two spirals; the plain
 * network's filter-normalised 2-D slice has many local minima on the 31 × 31 grid, the residual
 * network's only one or a few (measured numbers in tests/unit/loss-landscape.test.ts and the
 * chapter).
 */
import type { SettingSpec } from '../../engine/types';

/** Grid sizes offered: points per side of the square slice (odd, so the trained weights sit on the centre point). */
export const RESOLUTIONS = ['21', '31', '41', '51'] as const;

export const lossLandscapeSettings = [
  { key: 'depth', label: 'Hidden layers', kind: 'int', min: 2, max: 40, step: 1, default: 20, help: 'Both networks have this many hidden layers; one has identity skips around every layer after the first.' },
  { key: 'width', label: 'Units per layer', kind: 'int', min: 4, max: 32, step: 1, default: 16, help: 'Width of every hidden layer.' },
  {
    key: 'norm',
    label: 'Normalisation',
    kind: 'choice',
    options: [
      { value: 'batch', label: 'Batch norm' },
      { value: 'none', label: 'None' },
    ],
    default: 'batch',
    help: 'Batch norm before each ReLU, as in the networks Li et al. plotted.',
  },
  { key: 'trainSteps', label: 'Training steps', kind: 'int', min: 50, max: 3000, step: 50, default: 500, help: 'Adam steps (learning rate 0.01, batches of 64) before the landscape is computed.' },
  {
    key: 'resolution',
    label: 'Grid points per side',
    kind: 'choice',
    options: RESOLUTIONS.map((value) => ({ value, label: `${value} × ${value}` })),
    default: '31',
    help: 'The loss is computed at every point of this square grid, for both networks.',
  },
  { key: 'span', label: 'Slice half-width', kind: 'number', min: 0.1, max: 2, step: 0.05, default: 1, help: 'The slice covers α and β from minus this value to plus it; 1 moves every neuron by as much as its own weights.' },
  { key: 'seed', label: 'Seed', kind: 'int', min: 1, max: 9999, step: 1, default: 1, help: 'Seed of the initial weights, the batches and the two random directions (the same for both networks).' },
] as const satisfies readonly SettingSpec[];
