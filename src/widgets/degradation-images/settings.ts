/**
 * Settings of the degradation lab on real images (chapter 4): the one source of its controls, URL
 * state, CLI flags and validation. Pure data.
 *
 * Defaults (measured in tests/unit/degradation-images.test.ts and `npm run experiment --
 * degradation-images`): plain and residual conv nets of 4, 12 and 24 conv layers of 8 channels,
 * with batch norm, trained side by side on the shipped Fashion-MNIST subset with the same Adam
 * steps and batches. Sized to finish within 3 minutes in headless Chromium on two idle cores: measured
 * Play to finished, the default run took 335 s at load average 6.5-8.3 on a shared two-core
 * machine, using 249 s of browser CPU (74 s in each of the two training workers), so about 125 s
 * or a little more when Chromium has both cores to itself.
 */
import type { SettingSpec } from '../../engine/types';

/** Depth lists the lab trains side by side (conv layers, stem included; the first is the shallow baseline). */
export const IMAGE_DEPTH_LISTS = {
  '4,12,24': [4, 12, 24],
  '4,24': [4, 24],
  '4,8,12,16': [4, 8, 12, 16],
  '4,12,24,36': [4, 12, 24, 36],
} as const satisfies Record<string, readonly number[]>;

export type ImageDepthListKey = keyof typeof IMAGE_DEPTH_LISTS;

export const degradationImagesSettings = [
  {
    key: 'depths',
    label: 'Depths to compare',
    kind: 'choice',
    options: [
      { value: '4,12,24', label: '4, 12, 24 conv layers' },
      { value: '4,24', label: '4 and 24 conv layers only (faster)' },
      { value: '4,8,12,16', label: '4, 8, 12, 16 conv layers' },
      { value: '4,12,24,36', label: '4, 12, 24, 36 conv layers (slow)' },
    ],
    default: '4,12,24',
    help: 'Numbers of convolutional layers (the first one included) trained side by side, each as a plain and as a residual network.',
  },
  { key: 'steps', label: 'Training steps', kind: 'int', min: 20, max: 2000, step: 10, default: 300, help: 'Every network gets the same number of steps.' },
  { key: 'channels', label: 'Channels per layer', kind: 'int', min: 4, max: 16, step: 1, default: 8, help: 'Feature maps in every conv layer.' },
  {
    key: 'norm',
    label: 'Normalisation',
    kind: 'choice',
    options: [
      { value: 'batch', label: 'Batch norm' },
      { value: 'none', label: 'None' },
    ],
    default: 'batch',
    help: 'Batch norm after each convolution, as He et al. used it.',
  },
  { key: 'learningRate', label: 'Learning rate', kind: 'number', min: 0.0001, max: 0.1, default: 0.01, scale: 'log', help: 'Adam’s step size, the same for every network.' },
  { key: 'batchSize', label: 'Batch size', kind: 'int', min: 4, max: 64, step: 4, default: 16, help: 'Training images per step, drawn from the 6,000 of the subset.' },
  { key: 'seed', label: 'Seed', kind: 'int', min: 1, max: 9999, step: 1, default: 1, help: 'Seed of the initial weights and the batches (the same for every network).' },
] as const satisfies readonly SettingSpec[];
