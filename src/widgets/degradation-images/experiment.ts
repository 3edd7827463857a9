/**
 * The degradation lab on real images (chapter 4): plain and residual convolutional networks of
 * several depths, trained side by side on the Fashion-MNIST subset shipped with the site, with the
 * same seed, batches, optimiser and steps. Records carry each network's minibatch training loss;
 * when a network has trained its last step it is scored on the 1,000 test images (the snapshot).
 * Chapter 3's degradation lab asks the same question of MLPs on two spirals.
 *
 * The networks are the engine's conv nets (convNetSpec): a 3×3 stem convolution and 2×2 max
 * pooling (28×28 → 14×14), then plain conv layers or pre-activation residual blocks of one conv
 * each, batch norm and ReLU, global average pooling and a dense output. A pool of workers trains
 * them side by side (createShard: deepest first, each to the least-loaded shard); every run's
 * records and score are the same as in create(). Pure TypeScript over the engine; runs in the
 * worker, in Node tests and from the CLI.
 */
import type { Experiment, ExperimentRun, RunInfo, SettingsValues, Shard, StepRecord } from '../../engine/types';
import { resolveSettings } from '../../engine/settings';
import { fashionMnist } from '../../engine/data/fashion-mnist';
import { convNetSpec } from '../../engine/models/conv-net';
import { createGraphExperimentRun, type GraphRunSpec } from '../../engine/models/graph-trainer';
import { degradationImagesSettings, IMAGE_DEPTH_LISTS } from './settings';
import { networkName, summarizeImageRuns, type DegradationImagesSnapshot, type ImageSkip, type TestScore } from './results';

export const IMAGE_SKIPS: readonly ImageSkip[] = ['none', 'residual'];
const EVALUATION_CHUNK = 250;

interface ImageRun {
  spec: GraphRunSpec;
  skip: ImageSkip;
  depth: number;
}

/** One run per (skip, depth), plain networks first, shallow to deep. */
export function imageRuns(values: SettingsValues): ImageRun[] {
  const settings = resolveSettings(degradationImagesSettings, values);
  const { train } = fashionMnist();
  const runs: ImageRun[] = [];
  for (const skip of IMAGE_SKIPS) {
    for (const depth of IMAGE_DEPTH_LISTS[settings.depths]) {
      runs.push({
        skip,
        depth,
        spec: {
          label: `${networkName(skip)}, ${depth} layers`,
          seed: settings.seed,
          data: train,
          model: convNetSpec({
            inputShape: [28, 28, 1],
            classes: 10,
            depth,
            channels: settings.channels,
            skip,
            norm: settings.norm,
            poolAfterStem: true,
            filterGradient: 'conv',
          }),
          train: { optimizer: 'adam', learningRate: settings.learningRate, batchSize: settings.batchSize },
        },
      });
    }
  }
  return runs;
}

/** The run ids shard `index` of `count` trains: deepest first, each to the shard with the fewest layers so far. */
export function imageShardRunIds(depths: readonly number[], index: number, count: number): number[] {
  const load = new Array<number>(count).fill(0);
  const owner = new Array<number>(depths.length);
  const order = depths.map((depth, id) => ({ depth, id })).sort((a, b) => b.depth - a.depth || a.id - b.id);
  for (const { depth, id } of order) {
    const target = load.indexOf(Math.min(...load));
    owner[id] = target;
    load[target] += depth;
  }
  return owner.flatMap((shard, id) => (shard === index ? [id] : []));
}

function createImagesRun(values: SettingsValues, shard?: Shard): ExperimentRun {
  const settings = resolveSettings(degradationImagesSettings, values);
  const all = imageRuns(settings);
  const ids = shard ? imageShardRunIds(all.map((run) => run.depth), shard.index, shard.count) : all.map((_, id) => id);
  const { test, train } = fashionMnist();
  const snapshot = (): DegradationImagesSnapshot => ({ testImages: test.size, trainImages: train.size, tests: [...tests] });
  const tests: TestScore[] = [];
  if (ids.length === 0) {
    return { runs: [], train: () => [], divergences: () => [], snapshot, dispose: () => {} };
  }
  const inner = createGraphExperimentRun(ids.map((id) => all[id].spec));
  const runs: RunInfo[] = inner.runs.map((run, local) => ({ ...run, id: ids[local], skip: all[ids[local]].skip, depth: all[ids[local]].depth, seed: settings.seed }));
  const totalSteps = settings.steps;
  let step = 0;
  const divergences = () => inner.divergences().map((d) => ({ ...d, run: ids[d.run] }));

  /** Scores every network that did not diverge on the test images. */
  const score = () => {
    const diverged = new Set(inner.divergences().map((d) => d.run));
    inner.models.forEach((model, local) => {
      if (diverged.has(local)) return;
      const { loss, accuracy } = model.evaluate(test, { chunkSize: EVALUATION_CHUNK });
      tests.push({ run: ids[local], step, loss, accuracy: accuracy ?? NaN });
    });
  };

  return {
    runs,
    train(steps: number): StepRecord[] {
      const training = Math.max(0, Math.min(steps, totalSteps - step));
      if (training === 0) return [];
      const records = inner.train(training).map((record) => ({ ...record, run: ids[record.run] }));
      step += training;
      if (step >= totalSteps) score();
      return records;
    },
    divergences,
    snapshot,
    dispose: () => inner.dispose(),
  };
}

export const degradationImagesExperiment: Experiment = {
  name: 'degradation-images',
  title: 'The degradation problem on real images: plain and residual conv nets of several depths',
  description:
    'Trains plain and residual convolutional networks (batch norm, ReLU, 3×3 convolutions) of several depths on a 6,000-image Fashion-MNIST subset with the same seed, batches, Adam steps and learning rate, and compares their final training losses and their accuracy on 1,000 test images.',
  settings: degradationImagesSettings,
  runLength: { setting: 'steps' },
  assets: ['fashion-mnist'],
  create: (values) => createImagesRun(values),
  createShard: (values, shard) => createImagesRun(values, shard),
  summarize: (runs, records, snapshot) => summarizeImageRuns(runs, records, snapshot),
};
