/**
 * The live U-Net's settings table: the one source of its controls, URL state, CLI flags and
 * validation. Pure data.
 *
 * Defaults (measured in tests/unit/unet.test.ts and `npm run experiment -- unet`): two U-Nets of
 * two levels (4-8-16 channels) on 24×24 noisy shapes, one with both long skips, one without any,
 * same seed, data and Adam steps. Small enough to train at several steps per second on two cores,
 * large enough that the model without skips draws visibly blurrier masks.
 */
import type { SettingSpec } from '../../engine/types';

export const unetSettings = [
  { key: 'skipLevel1', label: 'Long skip at level 1 (24×24)', kind: 'boolean', default: true, help: 'Copies the first encoder level’s full-resolution features into the last decoder level.' },
  { key: 'skipLevel2', label: 'Long skip at level 2 (12×12)', kind: 'boolean', default: true, help: 'Copies the second encoder level’s half-resolution features into the first decoder level.' },
  {
    key: 'join',
    label: 'How a long skip joins the decoder',
    kind: 'choice',
    options: [
      { value: 'concat', label: 'Concatenate (U-Net)' },
      { value: 'add', label: 'Add' },
    ],
    default: 'concat',
    help: 'Concatenation stacks the encoder’s channels beside the decoder’s, as the U-Net does; addition sums them.',
  },
  { key: 'trainImages', label: 'Training images', kind: 'int', min: 4, max: 512, step: 1, default: 64, help: 'How many seeded images (with their masks) both networks train on.' },
  { key: 'noise', label: 'Background noise', kind: 'number', min: 0, max: 1, step: 0.05, default: 0.3, help: 'Standard deviation of the noise on every pixel; shapes are 0.5 to 1 brighter.' },
  { key: 'learningRate', label: 'Learning rate', kind: 'number', min: 0.0001, max: 0.1, step: 0.0001, default: 0.01, scale: 'log', help: 'Adam’s step size, the same for both networks.' },
  { key: 'seed', label: 'Seed', kind: 'int', min: 1, max: 9999, step: 1, default: 1, help: 'Seed of the initial weights and the batches (the same for both networks).' },
] as const satisfies readonly SettingSpec[];
