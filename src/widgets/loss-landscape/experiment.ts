/**
 * The loss-landscape experiment (Li et al. 2018): a plain and a residual network of the same depth
 * are trained side by side on the two spirals; then the training loss is computed on a 2-D slice
 * L(θ* + αδ + βη) through each network's trained weights θ*, along two random filter-normalised
 * directions δ, η (landscape.ts), one grid row per step so the page can show progress.
 *
 * Training uses the engine's multi-run trainer; the slice uses its batched evaluation (one forward
 * pass evaluates a whole grid row: the row's parameter sets sit on the runs axis). The run length
 * is the training steps plus the grid rows. Pure TypeScript over TF.js; runs in the worker, in
 * Node tests and from the CLI.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Experiment, ExperimentRun, RunSpec, SettingsValues, StepRecord } from '../../engine/types';
import { resolveSettings } from '../../engine/settings';
import { makeDataset } from '../../engine/datasets';
import { createMlpExperimentRun } from '../../engine/trainer';
import { PLAIN_AND_RESIDUAL, plainAndResidualRuns } from '../../engine/comparisons';
import { paramLayout, type Architecture } from '../../engine/mlp';
import { evaluateParameters } from '../../engine/evaluate';
import { lossLandscapeSettings } from './settings';
import { countLocalMinima, sliceCoordinates, sliceDirections, type LandscapeSnapshot, type LandscapeSurface, type ParameterShape } from './landscape';

export const LANDSCAPE_DATASET = 'spirals' as const;
const DATASET_SIZE = 512;

/** The two networks: identical but for the skips; same seed, data and optimiser. */
export function landscapeRunSpecs(values: SettingsValues): RunSpec[] {
  const { depth, width, norm, seed } = resolveSettings(lossLandscapeSettings, values);
  return plainAndResidualRuns({ dataset: LANDSCAPE_DATASET, datasetSize: DATASET_SIZE, depth, width, norm, seed });
}

/** One trained network, ready for slicing: θ*, δ and η as [1, rows, cols] tensors. */
interface SliceBase {
  surface: LandscapeSurface;
  architecture: Architecture;
  theta: tf.Tensor3D[];
  delta: tf.Tensor3D[];
  eta: tf.Tensor3D[];
}

function createLandscapeRun(values: SettingsValues): ExperimentRun {
  const settings = resolveSettings(lossLandscapeSettings, values);
  const trainSteps = Number(settings.trainSteps);
  const resolution = Number(settings.resolution);
  const coordinates = sliceCoordinates(resolution, Number(settings.span));
  const seed = Number(settings.seed);
  const inner = createMlpExperimentRun(landscapeRunSpecs(settings));
  const dataset = makeDataset(LANDSCAPE_DATASET, DATASET_SIZE, 1);
  const surfaces: LandscapeSurface[] = inner.runs.map((run, index) => ({
    run: run.id,
    label: run.label,
    skip: PLAIN_AND_RESIDUAL[index],
    values: new Array<number>(resolution * resolution).fill(NaN),
  }));
  let trainedSteps = 0;
  let rowsDone = 0;
  let bases: SliceBase[] | undefined;

  /** Copies each live network's trained weights and draws its two directions; frees the trainer. */
  const prepare = (): SliceBase[] => {
    const diverged = new Set(inner.divergences().map((d) => d.run));
    const prepared: SliceBase[] = [];
    for (const surface of surfaces) {
      if (diverged.has(surface.run)) {
        surface.diverged = true;
        continue;
      }
      const group = inner.groups.find((g) => g.runSlots.some((slot) => slot.runId === surface.run))!;
      const slot = group.runSlots.findIndex((s) => s.runId === surface.run);
      const layout = paramLayout(group.architecture);
      const kernels = new Set(layout.kernels);
      const shapes: ParameterShape[] = layout.shapes.map(([rows, cols], index) => ({ role: kernels.has(index) ? 'kernel' : 'other', rows, cols }));
      const weights = group.parameterValues(slot);
      const [delta, eta] = sliceDirections(weights, shapes, seed);
      const asTensors = (arrays: Float32Array[]) => arrays.map((a, index) => tf.tensor3d(a, [1, shapes[index].rows, shapes[index].cols]));
      prepared.push({ surface, architecture: group.architecture, theta: asTensors(weights), delta: asTensors(delta), eta: asTensors(eta) });
    }
    inner.dispose();
    return prepared;
  };

  /** Losses along grid row `row` (β fixed, every α) for every network. */
  const computeRow = (row: number): void => {
    const beta = coordinates[row];
    for (const base of bases ?? []) {
      const params = tf.tidy(() => {
        const alphas = tf.tensor3d(coordinates, [resolution, 1, 1]);
        return base.theta.map((theta, index) => tf.add(tf.add(theta, tf.mul(alphas, base.delta[index])), tf.mul(base.eta[index], beta)) as tf.Tensor3D);
      });
      try {
        const { losses } = evaluateParameters(base.architecture, params, dataset);
        losses.forEach((loss, column) => (base.surface.values[row * resolution + column] = loss));
      } finally {
        params.forEach((p) => p.dispose());
      }
    }
    rowsDone = row + 1;
    if (rowsDone === resolution) {
      const centre = (resolution - 1) / 2;
      for (const base of bases ?? []) {
        base.surface.centreLoss = base.surface.values[centre * resolution + centre];
        base.surface.localMinima = countLocalMinima(base.surface.values, resolution);
      }
    }
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
      let rows = Math.min(steps - training, resolution - rowsDone);
      if (rows > 0 && !bases) bases = prepare();
      for (; rows > 0; rows--) computeRow(rowsDone);
      return records;
    },
    divergences: () => inner.divergences(),
    snapshot(): LandscapeSnapshot {
      return {
        phase: trainedSteps < trainSteps ? 'training' : rowsDone < resolution ? 'landscape' : 'done',
        trainSteps,
        trainedSteps,
        resolution,
        rowsDone,
        coordinates,
        surfaces: surfaces.map((s) => ({ ...s, values: [...s.values] })),
      };
    },
    dispose() {
      if (bases) for (const base of bases) [...base.theta, ...base.delta, ...base.eta].forEach((t) => t.dispose());
      else inner.dispose();
      bases = [];
    },
  };
}

export const lossLandscapeExperiment: Experiment = {
  name: 'loss-landscape',
  title: 'Loss landscape of a plain and a residual network (filter-normalised 2-D slice)',
  description:
    'Trains a plain and a residual ReLU network of the same depth on the two spirals, then computes the training loss on a 2-D slice through each trained network along two random filter-normalised directions (Li et al. 2018), and counts the local minima on the grid.',
  settings: lossLandscapeSettings,
  runLength: { fromSettings: (settings) => Number(settings.trainSteps) + Number(settings.resolution) },
  create: createLandscapeRun,
};
