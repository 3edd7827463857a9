/**
 * The tied-units widget's settings table: the one source of its controls, URL state, CLI flags and
 * validation. Pure data.
 *
 * Two units of the second hidden layer start with identical weights in three networks of the same
 * depth and width: plain, residual with blocks of two layers (the tied units are a block's inner
 * units), and a skip around every layer (the tied units are coordinates of the residual stream).
 * Theory: gradient descent keeps them identical in the first two and separates them in the third;
 * dropout separates them everywhere. Defaults show that in a few seconds.
 */
import type { SettingSpec } from '../../engine/types';

export const tiedUnitsSettings = [
  { key: 'dropout', label: 'Dropout rate', kind: 'number', min: 0, max: 0.5, step: 0.05, default: 0, help: 'Fraction of each hidden layer’s units switched off at random at every training step (0 = no dropout).' },
  { key: 'depth', label: 'Hidden layers', kind: 'int', min: 3, max: 12, step: 1, default: 5, help: 'Depth of all three networks.' },
  { key: 'width', label: 'Units per layer', kind: 'int', min: 2, max: 32, step: 1, default: 8, help: 'Width of every hidden layer; units 1 and 2 of layer 2 start tied.' },
  { key: 'steps', label: 'Training steps', kind: 'int', min: 10, max: 2000, step: 10, default: 300, help: 'Adam steps on the two-spirals data.' },
  { key: 'learningRate', label: 'Learning rate', kind: 'number', min: 0.0001, max: 0.1, default: 0.01, scale: 'log', help: 'Adam’s step size, the same for every network.' },
  { key: 'seed', label: 'Seed', kind: 'int', min: 1, max: 999, step: 1, default: 1, help: 'Random initialisation (before the two units are tied), batches and dropout masks.' },
] as const satisfies readonly SettingSpec[];
