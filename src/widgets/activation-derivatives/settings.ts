/**
 * The activation-derivatives widget's settings table: controls, URL state and validation derive
 * from it (see src/engine/types.ts, SettingSpec). Pure data.
 */
import type { SettingSpec } from '~/engine/types';

export const activationDerivativesSettings = [
  {
    key: 'activation',
    label: 'Activation',
    help: 'The activation function whose slope each layer contributes.',
    kind: 'choice',
    options: [
      { value: 'sigmoid', label: 'sigmoid' },
      { value: 'tanh', label: 'tanh' },
      { value: 'relu', label: 'ReLU' },
    ],
    default: 'sigmoid',
  },
  {
    key: 'weightScale',
    label: 'Weight scale w',
    help: 'The weights’ standard deviation times √fan-in: 1 is Glorot for a square layer, 1.41 is He.',
    kind: 'number',
    min: 0.25,
    max: 4,
    step: 0.01,
    default: 1,
    scale: 'log',
  },
  {
    key: 'depth',
    label: 'Depth k (number of factors)',
    help: 'How many layers the gradient crosses.',
    kind: 'int',
    min: 1,
    max: 50,
    step: 1,
    default: 20,
  },
  {
    key: 'mode',
    label: 'Pre-activations',
    help: 'Every unit at one point z, or spread like the units of a wide layer (root-mean-square slope).',
    kind: 'choice',
    options: [
      { value: 'point', label: 'all at one point z' },
      { value: 'spread', label: 'spread over a layer' },
    ],
    default: 'point',
  },
  {
    key: 'z',
    label: 'Pre-activation z',
    help: 'Where every unit sits on the activation curve; far from 0 a sigmoid or tanh saturates.',
    kind: 'number',
    min: -6,
    max: 6,
    step: 0.1,
    default: 0,
  },
  {
    key: 'spread',
    label: 'Spread of pre-activations (standard deviation)',
    help: 'How widely a layer’s pre-activations are spread around 0.',
    kind: 'number',
    min: 0.1,
    max: 5,
    step: 0.1,
    default: 1,
  },
] as const satisfies readonly SettingSpec[];
