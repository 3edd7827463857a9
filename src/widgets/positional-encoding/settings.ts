/** The positional-encoding explorer's settings (controls, URL state, validation). Pure data. */
import type { SettingSpec } from '../../engine/types';

export const positionalEncodingSettings = [
  {
    key: 'dModel',
    label: 'Model width d_model',
    kind: 'choice',
    options: ['8', '16', '32', '64', '128', '512'].map((value) => ({ value, label: value })),
    default: '64',
    help: 'Dimensions per position: pairs of sine and cosine at ever slower frequencies.',
  },
  { key: 'positions', label: 'Positions', kind: 'int', min: 4, max: 64, step: 1, default: 32, help: 'How many positions (rows) to show.' },
] as const satisfies readonly SettingSpec[];
