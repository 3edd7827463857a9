/**
 * The lesion study (Veit et al. 2016): a plain and a residual network of the same depth are
 * trained side by side on the two spirals; then, at test time, each deletable layer is removed in
 * turn (a plain layer passes its input on; a residual block drops its branch, so the stream
 * passes on) and the network is scored on a held-out test set, with no retraining.
 *
 * Training uses the engine's multi-run trainer and the deletions its evaluation with removed
 * layers (engine/evaluate.ts, forward's removedLayers). The run is the training steps plus one
 * step for all the deletions. Pure TypeScript over TF.js; runs in the worker, in Node tests and
 * from the CLI.
 */
import type { Experiment, ExperimentRun, RunSpec, SettingsValues, StepRecord } from '../../engine/types';
import { resolveSettings } from '../../engine/settings';
import { makeDataset } from '../../engine/datasets';
import { createMlpExperimentRun } from '../../engine/trainer';
import { PLAIN_AND_RESIDUAL, plainAndResidualRuns } from '../../engine/comparisons';
import { evaluateParameters, stackParameterSets } from '../../engine/evaluate';
import { lesionSettings } from './settings';
import type { LesionNetwork, LesionSnapshot } from './lesions';

export const LESION_DATASET = 'spirals' as const;
const TRAIN_SIZE = 512;
/** The test set: fresh points from another data seed, never trained on. */
export const TEST_SIZE = 512;
const TEST_DATA_SEED = 2;

export function lesionRunSpecs(values: SettingsValues): RunSpec[] {
  const { depth, width, norm, seed } = resolveSettings(lesionSettings, values);
  return plainAndResidualRuns({ dataset: LESION_DATASET, datasetSize: TRAIN_SIZE, depth, width, norm, seed });
}

function createLesionRun(values: SettingsValues): ExperimentRun {
  const settings = resolveSettings(lesionSettings, values);
  const trainSteps = Number(settings.trainSteps);
  const inner = createMlpExperimentRun(lesionRunSpecs(settings));
  const testSet = makeDataset(LESION_DATASET, TEST_SIZE, TEST_DATA_SEED);
  const networks: LesionNetwork[] = inner.runs.map((run, index) => ({ run: run.id, label: run.label, skip: PLAIN_AND_RESIDUAL[index], deletions: [] }));
  let trainedSteps = 0;
  let tested = false;

  /** Scores every live network whole and with each deletable layer removed, then frees the trainer. */
  const testDeletions = (): void => {
    const diverged = new Set(inner.divergences().map((d) => d.run));
    for (const network of networks) {
      if (diverged.has(network.run)) {
        network.diverged = true;
        continue;
      }
      const group = inner.groups.find((g) => g.runSlots.some((slot) => slot.runId === network.run))!;
      const slot = group.runSlots.findIndex((s) => s.runId === network.run);
      const params = stackParameterSets(group.architecture, [group.parameterValues(slot)]);
      try {
        const score = (removed?: ReadonlySet<number>) => {
          const { losses, accuracies } = evaluateParameters(group.architecture, params, testSet, removed);
          return { loss: losses[0], accuracy: accuracies?.[0] ?? NaN };
        };
        network.intact = score();
        for (let layer = 1; layer < group.architecture.depth; layer++) network.deletions.push({ layer: layer + 1, ...score(new Set([layer])) });
      } finally {
        params.forEach((p) => p.dispose());
      }
    }
    inner.dispose();
    tested = true;
  };

  return {
    runs: inner.runs,
    train(steps: number): StepRecord[] {
      const records: StepRecord[] = [];
      const training = Math.max(0, Math.min(steps, trainSteps - trainedSteps));
      if (training > 0) {
        records.push(...inner.train(training));
        trainedSteps += training;
      }
      if (steps > training && !tested) testDeletions();
      return records;
    },
    divergences: () => inner.divergences(),
    snapshot(): LesionSnapshot {
      return {
        phase: tested ? 'done' : 'training',
        trainSteps,
        trainedSteps,
        testSize: TEST_SIZE,
        networks: networks.map((n) => ({ ...n, deletions: [...n.deletions] })),
      };
    },
    dispose() {
      if (!tested) inner.dispose();
    },
  };
}

export const lesionExperiment: Experiment = {
  name: 'lesion',
  title: 'Lesion study: deleting one layer of a trained plain or residual network',
  description:
    'Trains a plain and a residual ReLU network of the same depth on the two spirals, then deletes each hidden layer (plain) or residual block in turn at test time, without retraining, and measures test loss and accuracy (Veit et al. 2016).',
  settings: lesionSettings,
  runLength: { fromSettings: (settings) => Number(settings.trainSteps) + 1 },
  create: createLesionRun,
};
