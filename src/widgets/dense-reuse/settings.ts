/**
 * The dense-reuse widget's settings table: the one source of its controls, URL state, CLI flags
 * and validation. Pure data.
 *
 * Defaults: a plain, a residual and a dense ReLU network of 16 hidden layers without normalisation
 * on the two spirals; the plain and residual networks have 32 units per layer, the dense one the
 * growth rate that gives it the closest parameter count (measured numbers in
 * tests/unit/dense-chapter-claims.test.ts and chapter 5).
 */
import type { SettingSpec } from '../../engine/types';

export const denseReuseSettings = [
  { key: 'depth', label: 'Hidden layers', kind: 'int', min: 3, max: 24, step: 1, default: 16, help: 'All three networks have this many hidden layers.' },
  {
    key: 'width',
    label: 'Units per layer (plain, residual)',
    kind: 'int',
    min: 8,
    max: 64,
    step: 1,
    default: 32,
    help: 'Width of the plain and residual layers.',
  },
  {
    key: 'growth',
    label: 'Growth rate k (dense; 0 = match)',
    kind: 'int',
    min: 0,
    max: 64,
    step: 1,
    default: 0,
    help: 'New units each dense layer adds; 0 picks the growth rate whose parameter count is closest to the plain network’s.',
  },
  {
    key: 'norm',
    label: 'Normalisation',
    kind: 'choice',
    options: [
      { value: 'batch', label: 'Batch norm' },
      { value: 'none', label: 'None' },
    ],
    default: 'none',
    help: 'Batch norm before each ReLU (DenseNet layers are BN-ReLU-convolution); with it, all three fit the spirals about equally well.',
  },
  { key: 'steps', label: 'Training steps', kind: 'int', min: 10, max: 3000, step: 10, default: 600, help: 'Adam steps (learning rate 0.01, batches of 64) for all three networks.' },
  { key: 'seed', label: 'Seed', kind: 'int', min: 1, max: 9999, step: 1, default: 1, help: 'Seed of the initial weights and the batches (the same for all three networks).' },
] as const satisfies readonly SettingSpec[];
