/**
 * The shattered-gradients widget's settings table (controls, URL state, CLI flags, validation).
 * Pure data. Networks are read at initialisation; nothing is trained.
 */
import type { SettingSpec } from '../../engine/types';

export const shatteredSettings = [
  { key: 'depth', label: 'Depth of the curves shown', kind: 'int', min: 2, max: 50, step: 1, default: 32, help: 'Hidden layers of the plain and residual networks whose gradient curves are drawn (a 1-layer network is drawn for reference).' },
  { key: 'width', label: 'Units per layer', kind: 'int', min: 8, max: 256, step: 8, default: 64, help: 'Width of every hidden layer.' },
  { key: 'points', label: 'Grid points', kind: 'int', min: 32, max: 1024, step: 32, default: 256, help: 'Number of evenly spaced inputs between −2 and 2 at which the gradient is computed.' },
  { key: 'seed', label: 'Seed', kind: 'int', min: 1, max: 999, step: 1, default: 1, help: 'Random initialisation of the weights.' },
] as const satisfies readonly SettingSpec[];
