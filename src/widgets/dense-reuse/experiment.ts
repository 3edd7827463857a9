/**
 * Dense, residual and plain networks of equal depth and comparable parameter count, trained side
 * by side on the two spirals (loss, accuracy, per-layer gradient norms in the records); every few
 * steps the dense network's weights are read back to measure how strongly each layer reads each
 * earlier layer's features (Huang et al. 2017, Fig. 5), and after training all three are scored on
 * a held-out test set.
 *
 * All three are the engine's MLP (skip 'none', 'residual', 'dense'), trained by its multi-run
 * trainer; the dense network's growth rate is the one whose parameter count is closest to the
 * plain network's. Pure TypeScript over TF.js; runs in the worker, in Node tests and from the CLI.
 */
import type { Experiment, NetworkConfig, RunSpec, SettingsValues, StepRecord, TrainConfig } from '../../engine/types';
import { resolveSettings, type SettingsOf } from '../../engine/settings';
import { datasetShape, makeDataset } from '../../engine/datasets';
import { resolveArchitecture } from '../../engine/mlp';
import { createMlpExperimentRun, probeEvery } from '../../engine/trainer';
import { evaluateParameters, stackParameterSets } from '../../engine/evaluate';
import { denseSourceWeights, parameterCount } from '../../engine/units';
import { denseReuseSettings } from './settings';
import { networkName, summarizeDenseReuse, type ReuseNetwork, type ReuseSnapshot } from './reuse';

const DATASET = 'spirals' as const;
const TRAIN_SIZE = 512;
export const TEST_SIZE = 512;
const TEST_DATA_SEED = 2;
/** Steps between two readings of the dense network's weights (the heatmap's refresh). */
const PROBE_EVERY = 25;
const SKIPS = ['none', 'residual', 'dense'] as const;

const TRAIN: TrainConfig = { dataset: DATASET, datasetSize: TRAIN_SIZE, dataSeed: 1, loss: 'cross-entropy', optimizer: 'adam', learningRate: 0.01, batchSize: 64 };

type Settings = SettingsOf<typeof denseReuseSettings>;

function network(settings: Settings, skip: NetworkConfig['skip'], width: number): NetworkConfig {
  const shape = datasetShape(DATASET);
  return { inputSize: shape.inputSize, outputSize: shape.outputSize, depth: settings.depth, width, activation: 'relu', init: 'he', norm: settings.norm, skip, blockSize: 1, seed: settings.seed };
}

function countOf(config: NetworkConfig): number {
  return parameterCount(resolveArchitecture(config, TRAIN));
}

/** The growth rate k whose dense network has the parameter count closest to the plain network's. */
export function matchedGrowthRate(values: SettingsValues): number {
  const settings = resolveSettings(denseReuseSettings, values);
  const target = countOf(network(settings, 'none', settings.width));
  let best = 1;
  for (let k = 1; k <= settings.width; k++) {
    if (Math.abs(countOf(network(settings, 'dense', k)) - target) < Math.abs(countOf(network(settings, 'dense', best)) - target)) best = k;
  }
  return best;
}

export function denseReuseRunSpecs(values: SettingsValues): RunSpec[] {
  const settings = resolveSettings(denseReuseSettings, values);
  const growth = settings.growth > 0 ? settings.growth : matchedGrowthRate(settings);
  return SKIPS.map((skip) => {
    const width = skip === 'dense' ? growth : settings.width;
    const size = skip === 'dense' ? `growth rate ${growth}` : `${width} units`;
    return { label: `${networkName(skip)}, ${settings.depth} layers, ${size}`, network: network(settings, skip, width), train: TRAIN };
  });
}

function createDenseReuseRun(values: SettingsValues) {
  const settings = resolveSettings(denseReuseSettings, values);
  const specs = denseReuseRunSpecs(settings);
  const architectures = specs.map((spec) => resolveArchitecture(spec.network, spec.train));
  const inner = createMlpExperimentRun(specs);
  const testSet = makeDataset(DATASET, TEST_SIZE, TEST_DATA_SEED);
  const denseRun = SKIPS.indexOf('dense');
  const networks: ReuseNetwork[] = specs.map((spec, run) => ({ run, label: spec.label, skip: spec.network.skip, width: spec.network.width, parameters: parameterCount(architectures[run]) }));
  let reuse: number[][] | undefined;
  let reuseStep: number | undefined;
  let trainedSteps = 0;
  let done = false;

  const readReuse = (step: number) => {
    const values = inner.parameters(denseRun);
    if (!values) return;
    reuse = denseSourceWeights(architectures[denseRun], values);
    reuseStep = step;
  };
  const test = () => {
    for (const entry of networks) {
      const values = inner.parameters(entry.run);
      if (!values) continue;
      const params = stackParameterSets(architectures[entry.run], [values]);
      try {
        const { losses, accuracies } = evaluateParameters(architectures[entry.run], params, testSet);
        entry.test = { loss: losses[0], accuracy: accuracies?.[0] ?? NaN };
      } finally {
        params.forEach((p) => p.dispose());
      }
    }
    done = true;
  };
  readReuse(0);
  const run = probeEvery(inner, {
    every: PROBE_EVERY,
    maxSteps: settings.steps,
    probe: (step) => {
      trainedSteps = step;
      readReuse(step);
      if (step === settings.steps) test();
    },
  });

  return {
    runs: run.runs,
    train: (steps: number): StepRecord[] => {
      const records = run.train(steps);
      // All runs diverged: nothing more will train, so the run is over.
      if (!done && inner.groups.length === 0) done = true;
      return records;
    },
    divergences: () => run.divergences(),
    snapshot: (): ReuseSnapshot => ({
      phase: done ? 'done' : 'training',
      trainSteps: settings.steps,
      trainedSteps,
      testSize: TEST_SIZE,
      networks: networks.map((n) => ({ ...n })),
      reuse: reuse?.map((row) => [...row]),
      reuseStep,
    }),
    dispose: () => run.dispose(),
  };
}

export const denseReuseExperiment: Experiment = {
  name: 'dense-reuse',
  title: 'Dense, residual and plain networks side by side, and how a dense network reuses earlier features',
  description:
    'Trains a plain, a residual and a dense ReLU network of equal depth and comparable parameter count on the two spirals (loss, accuracy, per-layer gradient norms), scores them on a held-out test set, and measures how strongly each dense layer reads each earlier layer (mean absolute weight per source layer, normalised per reading layer; Huang et al. 2017, Fig. 5).',
  settings: denseReuseSettings,
  runLength: { setting: 'steps' },
  create: createDenseReuseRun,
  summarize: summarizeDenseReuse,
};
