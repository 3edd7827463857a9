/**
 * The mirror-symmetric loss widget's settings table (controls, URL state, CLI flags, validation).
 * Pure data. Defaults start gradient descent exactly on the mirror line w₁ = w₂, where it stays.
 */
import type { SettingSpec } from '../../engine/types';

export const MIRROR_DOMAIN: readonly [number, number] = [-3, 3];

export const mirrorLossSettings = [
  {
    key: 'landscape',
    label: 'Loss',
    kind: 'choice',
    options: [
      { value: 'network', label: 'Two-unit network (a saddle on the line)' },
      { value: 'false-minimum', label: 'Made-up loss with a false minimum on the line' },
    ],
    default: 'network',
    help: 'Both are mirror-symmetric: swapping w₁ and w₂ never changes the loss.',
  },
  { key: 'startW1', label: 'Start w₁', kind: 'number', min: MIRROR_DOMAIN[0], max: MIRROR_DOMAIN[1], step: 0.01, default: 1.5, help: 'Where gradient descent starts; click the map to set both coordinates.' },
  { key: 'startW2', label: 'Start w₂', kind: 'number', min: MIRROR_DOMAIN[0], max: MIRROR_DOMAIN[1], step: 0.01, default: 1.5, help: 'Equal to w₁ puts the start on the mirror line.' },
  { key: 'learningRate', label: 'Learning rate', kind: 'number', min: 0.01, max: 1, default: 0.25, scale: 'log', help: 'Step size of plain gradient descent.' },
  { key: 'steps', label: 'Steps', kind: 'int', min: 10, max: 2000, step: 10, default: 300, help: 'Gradient-descent steps per path.' },
] as const satisfies readonly SettingSpec[];
