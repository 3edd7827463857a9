/**
 * The symmetry test: many seeds of plain, residual (blocks of two layers) and skip-around-every-
 * layer ReLU networks of the same depth and width, trained identically on the two spirals. Every
 * few steps each run is measured: its loss on the whole training set, how close its two most
 * similar units are (normalised distance between incoming weight vectors, Orhan & Pitkow's
 * "overlap"; hidden-to-hidden layers only, as the first layer's 3-D incoming vectors are close by
 * chance), how many units are dead (ReLU output 0 on every example) and how many are
 * eliminated (outgoing weights nearly gone). The question it lets the reader ask: are the runs
 * that get stuck the ones with near-duplicate units?
 * Seeds of one network train as one batch (the engine's runs axis), so 12 seeds cost little more
 * than one. Pure TypeScript over the engine; runs in the worker, in Node tests and from the CLI.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Experiment, ExperimentRun, Norm, RunSpec, SettingsValues } from '../../engine/types';
import { resolveSettings } from '../../engine/settings';
import { datasetShape, makeDataset } from '../../engine/datasets';
import { createMlpExperimentRun, mlpShardRunIds, probeEvery } from '../../engine/trainer';
import { forward, paramLayout, perRunLoss, resolveArchitecture, stackParameters, type Architecture } from '../../engine/mlp';
import { eliminatedUnits, nearestUnitPair, skipConfig } from '../../engine/units';
import { symmetryTestSettings } from './settings';
import { TEST_NETWORKS, TEST_NETWORK_LABELS, summarizeNetworks, type SymmetrySnapshot, type TestNetwork, type TestRunResult } from './results';

const DATASET = 'spirals' as const;
const DATASET_SIZE = 256;
const PROBE_EVERY = 100;

export function symmetryTestRunSpecs(values: SettingsValues): { specs: RunSpec[]; kinds: TestNetwork[] } {
  const settings = resolveSettings(symmetryTestSettings, values);
  const shape = datasetShape(DATASET);
  const specs: RunSpec[] = [];
  const kinds: TestNetwork[] = [];
  for (const kind of TEST_NETWORKS) {
    for (let seed = 1; seed <= (settings.seeds as number); seed++) {
      kinds.push(kind);
      specs.push({
        label: `${TEST_NETWORK_LABELS[kind]}, seed ${seed}`,
        network: {
          inputSize: shape.inputSize,
          outputSize: shape.outputSize,
          depth: settings.depth as number,
          width: settings.width as number,
          activation: 'relu',
          init: 'he',
          norm: settings.norm as Norm,
          ...skipConfig(kind),
          seed,
        },
        train: { dataset: DATASET, datasetSize: DATASET_SIZE, dataSeed: 1, loss: 'cross-entropy', optimizer: 'adam', learningRate: settings.learningRate as number, batchSize: 64 },
      });
    }
  }
  return { specs, kinds };
}

/** Whole-training-set loss and dead-unit count of several runs of one architecture, in one batched forward pass. */
function evaluate(architecture: Architecture, perRun: Float32Array[][], inputs: Float32Array, targets: Float32Array): { loss: number; dead: number }[] {
  const params = stackParameters(paramLayout(architecture), perRun);
  try {
    return tf.tidy(() => {
      const runs = perRun.length;
      const examples = inputs.length / architecture.inputSize;
      const x = tf.tile(tf.tensor3d(inputs, [1, examples, architecture.inputSize]), [runs, 1, 1]);
      const t = tf.tile(tf.tensor3d(targets, [1, examples, architecture.outputSize]), [runs, 1, 1]);
      const result = forward(architecture, params, x);
      const losses = perRunLoss(architecture.loss, result.logits, t).dataSync();
      // Dead: the unit's largest output over every example is 0.
      const dead = tf.addN(result.activations.map((a) => tf.sum(tf.cast(tf.lessEqual(tf.max(a, 1), 0), 'float32'), 1))).dataSync();
      return Array.from({ length: runs }, (_, run) => ({ loss: losses[run], dead: dead[run] }));
    });
  } finally {
    params.forEach((p) => p.dispose());
  }
}

/**
 * The test's runs (those of `runIds` only, for one shard of a pool; all by default), measured every
 * PROBE_EVERY steps. A run's measurements depend only on the runs of its own network, which a
 * shard keeps together (mlpShardRunIds), so a shard's results are exactly those of create().
 */
function createSymmetryRun(values: SettingsValues, runIds?: readonly number[]): ExperimentRun {
  const settings = resolveSettings(symmetryTestSettings, values);
  const { specs, kinds } = symmetryTestRunSpecs(settings);
  if (runIds && runIds.length === 0) return { runs: [], train: () => [], divergences: () => [], dispose: () => undefined };
  const architectures = specs.map((spec) => resolveArchitecture(spec.network, spec.train));
  const data = makeDataset(DATASET, DATASET_SIZE, 1);
  const inner = createMlpExperimentRun(specs, { maxStepsPerReadBack: PROBE_EVERY, runIds });
  const closest = new Map<number, number>();
  let snapshot: SymmetrySnapshot = { step: 0, results: [] };
  const measure = (step: number) => {
    const results: TestRunResult[] = [];
    for (const kind of TEST_NETWORKS) {
      const live = inner.runs.filter((run) => kinds[run.id] === kind).map((run) => ({ run, params: inner.parameters(run.id) })).filter((entry) => entry.params !== undefined);
      if (live.length === 0) continue;
      const architecture = architectures[live[0].run.id];
      const evaluations = evaluate(architecture, live.map((entry) => entry.params!), data.inputs, data.targets);
      live.forEach(({ run, params }, index) => {
        const nearest = nearestUnitPair(architecture, params!, 1).distance;
        // Closest during training: the initial weights are the same for every network of a seed, so they are left out.
        if (step > 0) closest.set(run.id, Math.min(closest.get(run.id) ?? Infinity, nearest));
        results.push({
          run: run.id,
          network: kind,
          seed: specs[run.id].network.seed,
          step,
          loss: evaluations[index].loss,
          nearestPair: nearest,
          closestPairSeen: closest.get(run.id) ?? nearest,
          dead: evaluations[index].dead,
          eliminated: eliminatedUnits(architecture, params!),
        });
      });
    }
    snapshot = { step, results };
  };
  measure(0);
  const run = probeEvery(inner, { every: PROBE_EVERY, maxSteps: settings.steps as number, probe: measure });
  return { runs: run.runs, train: (steps: number) => run.train(steps), divergences: () => run.divergences(), snapshot: () => snapshot, dispose: () => run.dispose() };
}

export const symmetryTestExperiment: Experiment = {
  name: 'symmetry-test',
  title: 'The symmetry test: are stuck runs the ones with near-duplicate units?',
  description:
    'Trains many seeds of plain, residual (blocks of two) and skip-around-every-layer ReLU networks of the same depth and width on the two spirals, and measures for each run its final loss, how close its two most similar units came, and how many of its units are dead or eliminated.',
  settings: symmetryTestSettings,
  runLength: { setting: 'steps' },
  // A step of a network's batch of seeds takes longer than the worker's 12 ms budget: without a
  // minimum, every step would be its own read-back. Ten steps per message (a divisor of
  // PROBE_EVERY) read back every tenth step; the records and snapshots are the same.
  minStepsPerChunk: 10,
  create: (values) => createSymmetryRun(values),
  // A pool of workers trains the three networks side by side (each network's seeds are one batch);
  // the widget merges the shards' snapshots (mergeSymmetrySnapshots).
  createShard: (values, shard) => createSymmetryRun(values, mlpShardRunIds(symmetryTestRunSpecs(values).specs, shard.index, shard.count)),
};

export { summarizeNetworks };
