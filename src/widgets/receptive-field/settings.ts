/**
 * The receptive-field explorer's settings table (controls, URL state, validation). Pure data.
 * Defaults: the encoder of a small U-Net, two 3×3 convolutions then a 2×2 max pool per level,
 * two levels, on a 32×32 input, with the centre of the output map selected.
 */
import type { SettingSpec } from '../../engine/types';

export const receptiveFieldSettings = [
  { key: 'inputSize', label: 'Input size (pixels a side)', kind: 'int', min: 4, max: 600, step: 1, default: 32, help: 'Height and width of the input image.' },
  { key: 'levels', label: 'Poolings (2×2, stride 2)', kind: 'int', min: 0, max: 4, step: 1, default: 2, help: 'How many times the map is halved; each pooling follows a level of convolutions, and one more level of convolutions comes after the last.' },
  { key: 'convsPerLevel', label: 'Convolutions per level', kind: 'int', min: 0, max: 4, step: 1, default: 2, help: 'Convolutions (stride 1) at each level, before each pooling and after the last.' },
  {
    key: 'kernel',
    label: 'Convolution kernel',
    kind: 'choice',
    options: [
      { value: '1', label: '1×1' },
      { value: '3', label: '3×3' },
      { value: '5', label: '5×5' },
      { value: '7', label: '7×7' },
    ],
    default: '3',
    help: 'Kernel size of every convolution.',
  },
  {
    key: 'padding',
    label: 'Padding',
    kind: 'choice',
    options: [
      { value: 'same', label: 'Same (zero-padded, size kept)' },
      { value: 'valid', label: 'Valid (unpadded, as in the U-Net paper)' },
    ],
    default: 'same',
    help: 'Unpadded convolutions lose a border of (k − 1)/2 pixels each, so the output is smaller than the input.',
  },
  { key: 'outputX', label: 'Selected output column', kind: 'int', min: 0, max: 599, step: 1, default: 4, help: 'Column of the output pixel whose receptive field is shown (0 = left); also set by clicking the output map.' },
  { key: 'outputY', label: 'Selected output row', kind: 'int', min: 0, max: 599, step: 1, default: 4, help: 'Row of the output pixel (0 = top).' },
] as const satisfies readonly SettingSpec[];
