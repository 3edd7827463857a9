/**
 * The degradation lab: plain and residual MLPs of several depths, trained side by side with the
 * same data, optimiser, learning rate and number of steps, each from a few seeds.
 * A thin configuration over the engine's multi-run trainer (runs of one depth and skip type share
 * kernel calls across seeds). Pure TypeScript; runs in the worker, in Node tests and from the CLI.
 */
import type { Experiment, Norm, Optimizer, RunSpec, SettingsValues, Skip } from '../../engine/types';
import { resolveSettings } from '../../engine/settings';
import { datasetShape } from '../../engine/datasets';
import { createMlpExperimentRun, mlpShardRunIds } from '../../engine/trainer';
import { DEPTH_LISTS, degradationSettings } from './settings';
import { skipName, summarizeDegradation } from './results';

export const DEGRADATION_DATASET = 'spirals' as const;
export const SKIPS: readonly Skip[] = ['none', 'residual'];

/** One RunSpec per (skip, depth, seed), plain networks first, shallow to deep. */
export function degradationRunSpecs(values: SettingsValues): RunSpec[] {
  const settings = resolveSettings(degradationSettings, values);
  const depths = DEPTH_LISTS[settings.depths];
  const shape = datasetShape(DEGRADATION_DATASET);
  const specs: RunSpec[] = [];
  for (const skip of SKIPS) {
    for (const depth of depths) {
      for (let seed = 1; seed <= settings.seeds; seed++) {
        specs.push({
          label: `${skipName(skip)}, ${depth} layers, seed ${seed}`,
          network: {
            inputSize: shape.inputSize,
            outputSize: shape.outputSize,
            depth,
            width: settings.width,
            activation: 'relu',
            init: 'he',
            norm: settings.norm,
            skip,
            blockSize: 1,
            seed,
          },
          train: {
            dataset: DEGRADATION_DATASET,
            datasetSize: 512,
            dataSeed: 1,
            loss: 'cross-entropy',
            optimizer: settings.optimizer,
            learningRate: settings.learningRate,
            batchSize: settings.batchSize,
          },
        });
      }
    }
  }
  return specs;
}

export const degradationExperiment: Experiment = {
  name: 'degradation',
  title: 'The degradation problem: plain and residual networks of several depths',
  description:
    'Trains plain and residual ReLU networks of several depths on the two-spirals data set with the same optimiser and number of steps, from several seeds, and compares their final training losses.',
  settings: degradationSettings,
  // The reader chooses the run length (the "Training steps" control; --steps on the command line).
  runLength: { setting: 'steps' },
  create: (values) => createMlpExperimentRun(degradationRunSpecs(values)),
  // A pool of workers trains the (skip, depth) batches side by side; each run's records are the same.
  createShard: (values, shard) => {
    const specs = degradationRunSpecs(values);
    return createMlpExperimentRun(specs, { runIds: mlpShardRunIds(specs, shard.index, shard.count) });
  },
  summarize: (runs, records) => summarizeDegradation(runs, records),
};
