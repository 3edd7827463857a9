/**
 * The degradation lab's settings table: the one source of its controls, URL state, CLI flags and
 * validation. Pure data.
 *
 * Defaults reproduce He et al.'s degradation result at laptop scale: on the two-spirals data set,
 * with He initialisation, batch norm and Adam, the 32-layer plain network ends with a clearly
 * higher training loss than the 2-layer one after the same number of steps, while the 32-layer
 * residual network ends no worse than the 2-layer residual one (see experiment.ts for the measured
 * numbers).
 */
import type { SettingSpec } from '../../engine/types';

/** Depth lists the lab can train side by side (hidden layers; the first is the shallow baseline). */
export const DEPTH_LISTS = {
  '2,8,16,32': [2, 8, 16, 32],
  '2,4,8,16,32': [2, 4, 8, 16, 32],
  '2,4,6,8,10,12': [2, 4, 6, 8, 10, 12],
  '2,16,20,24,28,32': [2, 16, 20, 24, 28, 32],
  '2,12,24,36,48': [2, 12, 24, 36, 48],
  '2,32': [2, 32],
} as const satisfies Record<string, readonly number[]>;

export type DepthListKey = keyof typeof DEPTH_LISTS;

export const degradationSettings = [
  {
    key: 'depths',
    label: 'Depths to compare',
    kind: 'choice',
    options: [
      { value: '2,8,16,32', label: '2, 8, 16, 32 layers' },
      { value: '2,4,8,16,32', label: '2, 4, 8, 16, 32 layers' },
      { value: '2,4,6,8,10,12', label: '2 to 12 layers, in steps of 2' },
      { value: '2,16,20,24,28,32', label: '2, then 16 to 32 in steps of 4' },
      { value: '2,12,24,36,48', label: '2, 12, 24, 36, 48 layers' },
      { value: '2,32', label: '2 and 32 layers only (fastest)' },
    ],
    default: '2,8,16,32',
    help: 'Numbers of hidden layers trained side by side, each as a plain and as a residual network.',
  },
  { key: 'seeds', label: 'Seeds per network', kind: 'int', min: 1, max: 5, step: 1, default: 3, help: 'Each network is trained from this many random initialisations, to show the spread.' },
  { key: 'steps', label: 'Training steps', kind: 'int', min: 20, max: 3000, step: 10, default: 300, help: 'Every network gets the same number of steps.' },
  { key: 'width', label: 'Units per layer', kind: 'int', min: 4, max: 64, step: 1, default: 16, help: 'Width of every hidden layer.' },
  {
    key: 'norm',
    label: 'Normalisation',
    kind: 'choice',
    options: [
      { value: 'batch', label: 'Batch norm' },
      { value: 'layer', label: 'Layer norm' },
      { value: 'none', label: 'None' },
    ],
    default: 'batch',
    help: 'Normalise each layer’s pre-activations before the ReLU, as He et al. did with batch norm.',
  },
  {
    key: 'optimizer',
    label: 'Optimiser',
    kind: 'choice',
    options: [
      { value: 'adam', label: 'Adam' },
      { value: 'momentum', label: 'SGD with momentum 0.9' },
      { value: 'sgd', label: 'SGD' },
    ],
    default: 'adam',
    help: 'The same optimiser trains every network.',
  },
  { key: 'learningRate', label: 'Learning rate', kind: 'number', min: 0.0001, max: 1, default: 0.01, scale: 'log', help: 'Step size of the optimiser, the same for every network.' },
  { key: 'batchSize', label: 'Batch size', kind: 'int', min: 8, max: 256, step: 8, default: 64, help: 'Examples per training step, drawn from 512 two-spiral points.' },
] as const satisfies readonly SettingSpec[];
