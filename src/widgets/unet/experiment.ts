/**
 * The live U-Net (Ronneberger et al. 2015) at laptop scale: two U-Nets of two levels, identical
 * but for their long skips (the reader's choice of levels and join against none at all), train
 * side by side on seeded noisy shapes with their masks, same seed, batches and Adam steps. Every
 * EVAL_EVERY steps both are evaluated on fixed test images: IoU, accuracy at the shapes' edges,
 * and the predicted masks of the first few, in the snapshot. Records carry the per-layer gradient
 * norms under the layers' names (enc1.conv1 … head). Pure TypeScript over the engine; runs in the
 * worker, in Node tests and from the CLI.
 */
import type { Experiment, ExperimentRun, SettingsValues, StepRecord } from '../../engine/types';
import { resolveSettings } from '../../engine/settings';
import { makeShapesSegmentation } from '../../engine/data/shapes';
import { createGraphExperimentRun, type GraphRunSpec } from '../../engine/models/graph-trainer';
import { unetSpec } from '../../engine/models/unet';
import type { TensorDataset } from '../../engine/data/tensor-dataset';
import { unetSettings } from './settings';
import { accuracyAt, edgePixels, isUnetSnapshot, maskIoU, summarizeVariants, variantLabel, type UnetSnapshot, type UnetVariant } from './masks';

export const IMAGE_SIZE = 24;
const LEVELS = 2;
const BASE_CHANNELS = 4;
const BATCH_SIZE = 4;
export const EVAL_EVERY = 10;
export const TEST_IMAGES = 16;
export const SHOWN_IMAGES = 4;
export const DEFAULT_STEPS = 300;
/** Data seeds: fixed, so the test images stay the same whatever the reader sets. */
const TRAIN_DATA_SEED = 11;
const TEST_DATA_SEED = 12;

export function skipLevelsOf(settings: { skipLevel1: boolean; skipLevel2: boolean }): number[] {
  return [settings.skipLevel1 && 1, settings.skipLevel2 && 2].filter((level) => level !== false);
}

/** The two networks: the reader's long skips, and none; everything else the same. */
export function unetRunSpecs(values: SettingsValues): { specs: GraphRunSpec[]; skipLevels: number[][]; test: TensorDataset } {
  const settings = resolveSettings(unetSettings, values);
  const data = makeShapesSegmentation({ size: settings.trainImages, seed: TRAIN_DATA_SEED, imageSize: IMAGE_SIZE, noise: settings.noise });
  const test = makeShapesSegmentation({ size: TEST_IMAGES, seed: TEST_DATA_SEED, imageSize: IMAGE_SIZE, noise: settings.noise });
  const chosen = skipLevelsOf(settings);
  const skipLevels = [chosen, []];
  const specs = skipLevels.map((levels) => ({
    label: variantLabel(levels, settings.join),
    seed: settings.seed,
    data,
    model: unetSpec({ inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1], levels: LEVELS, baseChannels: BASE_CHANNELS, skips: levels.length > 0 ? settings.join : 'none', skipLevels: levels }),
    train: { optimizer: 'adam' as const, learningRate: settings.learningRate, batchSize: BATCH_SIZE },
  }));
  return { specs, skipLevels, test };
}

function createUnetRun(values: SettingsValues): ExperimentRun {
  const { specs, skipLevels, test } = unetRunSpecs(values);
  const inner = createGraphExperimentRun(specs);
  const pixels = IMAGE_SIZE * IMAGE_SIZE;
  const edges = edgePixels(test.targets, IMAGE_SIZE);
  const shownRows = (values: ArrayLike<number>) => Array.from({ length: SHOWN_IMAGES }, (_, i) => Array.from(values).slice(i * pixels, (i + 1) * pixels));
  const variants: UnetVariant[] = inner.runs.map((run, index) => ({ run: run.id, label: run.label, skipLevels: skipLevels[index], evaluations: [], masks: [], diverged: false }));
  const shown = { images: shownRows(test.inputs), truth: shownRows(test.targets) };
  let step = 0;

  const evaluate = () => {
    const diverged = new Set(inner.divergences().map((d) => d.run));
    for (const variant of variants) {
      if (diverged.has(variant.run)) {
        variant.diverged = true;
        continue;
      }
      const logits = inner.models[variant.run].inspect(test, ['head']).head.values;
      variant.evaluations.push({ step, iou: maskIoU(logits, test.targets), edgeAccuracy: accuracyAt(logits, test.targets, edges) });
      variant.masks = shownRows(logits.subarray(0, SHOWN_IMAGES * pixels).map((logit) => 1 / (1 + Math.exp(-logit))));
    }
  };
  evaluate();

  return {
    runs: inner.runs,
    train(steps: number): StepRecord[] {
      const records: StepRecord[] = [];
      // Train up to each evaluation step, so evaluations fall on the same steps however the caller chunks.
      for (let left = steps; left > 0 && inner.divergences().length < variants.length; ) {
        const chunk = Math.min(left, EVAL_EVERY - (step % EVAL_EVERY));
        records.push(...inner.train(chunk));
        step += chunk;
        left -= chunk;
        if (step % EVAL_EVERY === 0) evaluate();
      }
      return records;
    },
    divergences: () => inner.divergences(),
    snapshot(): UnetSnapshot {
      return { imageSize: IMAGE_SIZE, evalEvery: EVAL_EVERY, testImages: TEST_IMAGES, shown, variants: variants.map((v) => ({ ...v, evaluations: [...v.evaluations] })) };
    },
    dispose: () => inner.dispose(),
  };
}

export const unetExperiment: Experiment = {
  name: 'unet',
  title: 'A small U-Net with and without its long skips',
  description: `Trains two U-Nets of two levels (channels 4-8-16) on ${IMAGE_SIZE}×${IMAGE_SIZE} noisy shapes with their masks, one with the chosen long skips and one without, and evaluates both every ${EVAL_EVERY} steps on ${TEST_IMAGES} fixed test images: IoU and accuracy at the shapes' edges (Ronneberger et al. 2015).`,
  settings: unetSettings,
  runLength: { defaultSteps: DEFAULT_STEPS },
  create: createUnetRun,
  summarize: (_runs, _records, snapshot) => (isUnetSnapshot(snapshot) ? summarizeVariants(snapshot) : []),
};
