/**
 * The permutation lab: trains a small network, reorders the hidden units of one layer (or of the
 * whole residual stream), and runs the reordered network next to the original on a grid of inputs
 * and on the training inputs. Reordering moves each unit's incoming weights (a column of its
 * layer's matrix, its bias) together with its outgoing weights (a row of the next matrix).
 * Pure TypeScript over the engine (its forward pass runs both networks as two runs of one batch);
 * runs in the worker, in Node tests and from the CLI.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Experiment, RunSpec, SettingsValues } from '../../engine/types';
import { resolveSettings } from '../../engine/settings';
import { datasetShape, makeDataset } from '../../engine/datasets';
import { createMlpExperimentRun, finalLossPerRun, probeEvery } from '../../engine/trainer';
import { forward, layerInputSize, paramLayout, resolveArchitecture, stackParameters, type Architecture } from '../../engine/mlp';
import { permuteUnits, streamLayers } from '../../engine/units';
import { PERMUTATION_DEPTH, PERMUTATION_WIDTH, permutationSettings } from './settings';
import { orderFromIndex } from './order';
import type { Matrix, PermutationSnapshot } from './results';

const DATASET = 'circles' as const;
const DATASET_SIZE = 256;
const GRID = 41;
const DOMAIN: [number, number] = [-1.2, 1.2];
const PROBE_EVERY = 50;

export function permutationRunSpec(values: SettingsValues): RunSpec {
  const settings = resolveSettings(permutationSettings, values);
  const shape = datasetShape(DATASET);
  const kind = settings.network as string;
  return {
    label: kind === 'plain' ? 'plain' : kind === 'block' ? 'residual, one block' : 'skip around every layer',
    network: {
      inputSize: shape.inputSize,
      outputSize: shape.outputSize,
      depth: PERMUTATION_DEPTH,
      width: PERMUTATION_WIDTH,
      activation: 'tanh',
      init: 'glorot',
      norm: 'none',
      skip: kind === 'plain' ? 'none' : 'residual',
      blockSize: kind === 'block' ? 2 : 1,
      seed: settings.seed as number,
    },
    train: { dataset: DATASET, datasetSize: DATASET_SIZE, dataSeed: 1, loss: 'cross-entropy', optimizer: 'adam', learningRate: 0.02, batchSize: 32 },
  };
}

/** Hidden layers (0-based) that move when `layer` is reordered with the given scope. */
export function layersToMove(architecture: Architecture, layer: number, scope: string): number[] {
  const stream = streamLayers(architecture);
  return scope === 'stream' && stream.includes(layer) ? stream : [layer];
}

function matrix(values: Float32Array, rows: number, columns: number): Matrix {
  return { rows, columns, values: Array.from(values) };
}

/** Logits of two parameter sets (original, reordered) on the same inputs, as [2][examples × outputs]. */
function outputsOfBoth(architecture: Architecture, before: Float32Array[], after: Float32Array[], inputs: Float32Array): [Float32Array, Float32Array] {
  const params = stackParameters(paramLayout(architecture), [before, after]);
  try {
    const examples = inputs.length / architecture.inputSize;
    const logits = tf.tidy(() => {
      const single = tf.tensor3d(inputs, [1, examples, architecture.inputSize]);
      return forward(architecture, params, tf.concat([single, single], 0)).logits.dataSync() as Float32Array;
    });
    const size = examples * architecture.outputSize;
    return [logits.slice(0, size), logits.slice(size)];
  } finally {
    params.forEach((p) => p.dispose());
  }
}

export function comparePermuted(architecture: Architecture, values: Float32Array[], layers: number[], order: number[], step: number, chosen: number): PermutationSnapshot {
  const permuted = permuteUnits(architecture, values, layers, order);
  const layout = paramLayout(architecture);
  const gridInputs = new Float32Array(GRID * GRID * 2);
  for (let j = 0; j < GRID; j++) {
    for (let i = 0; i < GRID; i++) {
      gridInputs[2 * (j * GRID + i)] = DOMAIN[0] + ((DOMAIN[1] - DOMAIN[0]) * i) / (GRID - 1);
      gridInputs[2 * (j * GRID + i) + 1] = DOMAIN[0] + ((DOMAIN[1] - DOMAIN[0]) * j) / (GRID - 1);
    }
  }
  const data = makeDataset(DATASET, DATASET_SIZE, 1);
  const inputs = new Float32Array(gridInputs.length + data.inputs.length);
  inputs.set(gridInputs);
  inputs.set(data.inputs, gridInputs.length);
  const [before, after] = outputsOfBoth(architecture, values, permuted, inputs);
  let maxOutputDifference = 0;
  let maxOutput = 0;
  for (let k = 0; k < before.length; k++) {
    maxOutputDifference = Math.max(maxOutputDifference, Math.abs(before[k] - after[k]));
    maxOutput = Math.max(maxOutput, Math.abs(before[k]));
  }
  const outputs = architecture.outputSize;
  const surface = (logits: Float32Array) => Array.from({ length: GRID * GRID }, (_, k) => logits[k * outputs + 1] - logits[k * outputs]);
  const fanIn = layerInputSize(architecture, chosen);
  const fanOut = chosen + 1 === architecture.depth ? architecture.outputSize : architecture.width;
  const width = architecture.width;
  return {
    step,
    layer: chosen + 1,
    movedLayers: layers.map((l) => l + 1),
    order,
    incoming: { before: matrix(values[layout.kernels[chosen]], fanIn, width), after: matrix(permuted[layout.kernels[chosen]], fanIn, width) },
    outgoing: { before: matrix(values[layout.kernels[chosen + 1]], width, fanOut), after: matrix(permuted[layout.kernels[chosen + 1]], width, fanOut) },
    grid: { nx: GRID, ny: GRID, xDomain: DOMAIN, yDomain: DOMAIN },
    surfaceBefore: surface(before),
    surfaceAfter: surface(after),
    maxOutputDifference,
    maxOutput,
  };
}

export const permutationExperiment: Experiment = {
  name: 'permutation',
  title: 'Permutation lab: reorder the hidden units of a trained network',
  description:
    'Trains a small network on two circles, reorders the units of one hidden layer (or of the whole residual stream) and compares the reordered network’s outputs with the original’s on a grid of inputs and on the training data.',
  settings: permutationSettings,
  runLength: { setting: 'steps' },
  create(values) {
    const settings = resolveSettings(permutationSettings, values);
    const spec = permutationRunSpec(settings);
    const architecture = resolveArchitecture(spec.network, spec.train);
    const chosen = (settings.layer as number) - 1;
    const layers = layersToMove(architecture, chosen, settings.scope as string);
    const order = orderFromIndex(settings.order as number, PERMUTATION_WIDTH);
    const inner = createMlpExperimentRun([spec]);
    let latest: PermutationSnapshot | undefined;
    const compare = (step: number) => {
      const params = inner.parameters(0);
      if (params) latest = comparePermuted(architecture, params, layers, order, step, chosen);
    };
    compare(0);
    const run = probeEvery(inner, { every: PROBE_EVERY, maxSteps: settings.steps as number, probe: compare });
    return { runs: run.runs, train: (steps: number) => run.train(steps), divergences: () => run.divergences(), snapshot: () => latest, dispose: () => run.dispose() };
  },
  summarize: finalLossPerRun,
};
