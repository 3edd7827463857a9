/**
 * Data for the graph model: examples of any shape (points, images, token sequences) as flat typed
 * arrays, plain TypeScript (no TF.js), so a data set is the same in the browser, Node and tests.
 */
import type { Dataset } from '../datasets';
import type { Random } from '../random';

export interface TensorDataset {
  name: string;
  /** classification: one-hot targets per example; segmentation: a mask per pixel; sequence: one-hot per position. */
  task: 'classification' | 'regression' | 'segmentation' | 'sequence';
  size: number;
  /** Per-example shape, e.g. [2], [32, 32, 1], or [12] for token ids. */
  inputShape: number[];
  /** Row-major, size × product(inputShape). Int32Array for token ids. */
  inputs: Float32Array | Int32Array;
  targetShape: number[];
  /** Row-major, size × product(targetShape). */
  targets: Float32Array;
  /** Class names (classification) or token names (sequences), when they have names. */
  classNames?: readonly string[];
}

/** One minibatch as flat arrays with their shapes (batch axis first). */
export interface Batch {
  inputs: Float32Array | Int32Array;
  inputShape: number[];
  targets: Float32Array;
  targetShape: number[];
}

export function exampleSize(shape: readonly number[]): number {
  return shape.reduce((product, n) => product * n, 1);
}

/** The examples at `indices`, in that order. */
export function gatherBatch(data: TensorDataset, indices: readonly number[]): Batch {
  const inputSize = exampleSize(data.inputShape);
  const targetSize = exampleSize(data.targetShape);
  const inputs = data.inputs instanceof Int32Array ? new Int32Array(indices.length * inputSize) : new Float32Array(indices.length * inputSize);
  const targets = new Float32Array(indices.length * targetSize);
  indices.forEach((example, row) => {
    inputs.set(data.inputs.subarray(example * inputSize, (example + 1) * inputSize), row * inputSize);
    targets.set(data.targets.subarray(example * targetSize, (example + 1) * targetSize), row * targetSize);
  });
  return { inputs, inputShape: [indices.length, ...data.inputShape], targets, targetShape: [indices.length, ...data.targetShape] };
}

/** A minibatch sampled with replacement, as the MLP samples its batches. */
export function sampleBatch(data: TensorDataset, batchSize: number, random: Random): Batch {
  return gatherBatch(data, Array.from({ length: batchSize }, () => random.int(data.size)));
}

/** The first `count` examples (all by default): a fixed evaluation set. */
export function leadingBatch(data: TensorDataset, count = data.size): Batch {
  return gatherBatch(data, Array.from({ length: Math.min(count, data.size) }, (_, i) => i));
}

/** A 2-D point data set of ../datasets.ts in this form. */
export function fromPointDataset(dataset: Dataset): TensorDataset {
  return {
    name: dataset.name,
    task: dataset.task,
    size: dataset.size,
    inputShape: [dataset.inputSize],
    inputs: dataset.inputs,
    targetShape: [dataset.outputSize],
    targets: dataset.targets,
  };
}
