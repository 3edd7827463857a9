/**
 * Seeded synthetic data sets, generated in plain TypeScript (no TF.js), so a data set is the same
 * in every environment. Classification sets have 2-D inputs in roughly [-1, 1]²; targets are
 * one-hot rows (one column per class). Regression sets have one output column.
 */
import type { DatasetName } from './types';
import { createRandom, type Random } from './random';

export interface Dataset {
  name: DatasetName;
  task: 'classification' | 'regression';
  size: number;
  inputSize: number;
  /** Number of target columns: the number of classes, or 1 for regression. */
  outputSize: number;
  /** Row-major, size × inputSize. */
  inputs: Float32Array;
  /** Row-major, size × outputSize (one-hot for classification). */
  targets: Float32Array;
  /** Class index per example (classification only). */
  labels?: Int32Array;
}

export const DATASET_NAMES: readonly DatasetName[] = ['spirals', 'circles', 'xor', 'blobs', 'regression-1d', 'regression-2d'];

interface Example {
  x: number[];
  /** Class index or regression target. */
  y: number;
}

const generators: Record<DatasetName, { task: Dataset['task']; inputSize: number; classes: number; make: (random: Random, i: number, size: number) => Example }> = {
  spirals: {
    task: 'classification',
    inputSize: 2,
    classes: 2,
    make: (random, i, size) => {
      const label = i % 2;
      const t = (Math.floor(i / 2) / Math.ceil(size / 2)) * 1.75 * 2 * Math.PI;
      const radius = 0.1 + (0.9 * t) / (3.5 * Math.PI);
      const angle = t + label * Math.PI;
      return { x: [radius * Math.sin(angle) + 0.03 * random.normal(), radius * Math.cos(angle) + 0.03 * random.normal()], y: label };
    },
  },
  circles: {
    task: 'classification',
    inputSize: 2,
    classes: 2,
    make: (random, i) => {
      const label = i % 2;
      const radius = label === 0 ? random.next() * 0.45 : 0.6 + random.next() * 0.35;
      const angle = random.next() * 2 * Math.PI;
      return { x: [radius * Math.sin(angle), radius * Math.cos(angle)], y: label };
    },
  },
  xor: {
    task: 'classification',
    inputSize: 2,
    classes: 2,
    make: (random) => {
      const a = random.next() * 2 - 1;
      const b = random.next() * 2 - 1;
      // A small margin around the axes keeps the classes separable.
      const x = a + Math.sign(a) * 0.05;
      const y = b + Math.sign(b) * 0.05;
      return { x: [x, y], y: x * y > 0 ? 1 : 0 };
    },
  },
  blobs: {
    task: 'classification',
    inputSize: 2,
    classes: 3,
    make: (random, i) => {
      const label = i % 3;
      const angle = (label * 2 * Math.PI) / 3 + Math.PI / 2;
      return { x: [0.6 * Math.cos(angle) + 0.2 * random.normal(), 0.6 * Math.sin(angle) + 0.2 * random.normal()], y: label };
    },
  },
  'regression-1d': {
    task: 'regression',
    inputSize: 1,
    classes: 1,
    make: (random) => {
      const x = random.next() * 2 - 1;
      return { x: [x], y: Math.sin(3 * x) + 0.05 * random.normal() };
    },
  },
  'regression-2d': {
    task: 'regression',
    inputSize: 2,
    classes: 1,
    make: (random) => {
      const a = random.next() * 2 - 1;
      const b = random.next() * 2 - 1;
      return { x: [a, b], y: Math.sin(2 * a) * Math.cos(2 * b) + 0.05 * random.normal() };
    },
  },
};

export function datasetShape(name: DatasetName): { task: Dataset['task']; inputSize: number; outputSize: number } {
  const generator = generators[name];
  if (!generator) throw new Error(`Unknown data set "${name}". Valid: ${DATASET_NAMES.join(', ')}.`);
  return { task: generator.task, inputSize: generator.inputSize, outputSize: generator.classes };
}

export function makeDataset(name: DatasetName, size = 512, seed = 1): Dataset {
  const generator = generators[name];
  if (!generator) throw new Error(`Unknown data set "${name}". Valid: ${DATASET_NAMES.join(', ')}.`);
  const random = createRandom(seed);
  const { inputSize, classes, task } = generator;
  const inputs = new Float32Array(size * inputSize);
  const targets = new Float32Array(size * classes);
  const labels = task === 'classification' ? new Int32Array(size) : undefined;
  for (let i = 0; i < size; i++) {
    const example = generator.make(random, i, size);
    inputs.set(example.x, i * inputSize);
    if (labels) {
      labels[i] = example.y;
      targets[i * classes + example.y] = 1;
    } else {
      targets[i] = example.y;
    }
  }
  return { name, task, size, inputSize, outputSize: classes, inputs, targets, labels };
}
