/**
 * The dense-block widget's settings table (controls, URL state, validation). Pure data.
 * Defaults: 4 layers of growth rate 12 on 24 input channels (k₀ = 2k, as in DenseNet-BC's first
 * block; Huang et al. 2017, §3, "Implementation details"), no bottleneck.
 */
import type { SettingSpec } from '../../engine/types';

export const denseBlockSettings = [
  { key: 'layers', label: 'Layers L', kind: 'int', min: 1, max: 24, step: 1, default: 4, help: 'Convolutional layers in the block.' },
  { key: 'growth', label: 'Growth rate k', kind: 'int', min: 1, max: 64, step: 1, default: 12, help: 'New channels each dense layer adds to the concatenation.' },
  { key: 'inputChannels', label: 'Input channels k₀', kind: 'int', min: 1, max: 256, step: 1, default: 24, help: 'Channels entering the block.' },
  { key: 'bottleneck', label: 'Bottleneck (DenseNet-B)', kind: 'boolean', default: false, help: 'A 1×1 convolution to 4k channels before each 3×3 convolution.' },
] as const satisfies readonly SettingSpec[];
