/**
 * The reference network of issue 3's benchmark: input 2, 10 hidden tanh layers of width 16,
 * output 1, MSE, plain SGD, batch 64 (the 2-D regression data set).
 */
import type { RunSpec } from '../src/engine/types';

export const REFERENCE = { depth: 10, width: 16, batchSize: 64, learningRate: 0.03 } as const;

export function referenceSpec(seed: number): RunSpec {
  return {
    label: `reference, seed ${seed}`,
    network: { inputSize: 2, outputSize: 1, depth: REFERENCE.depth, width: REFERENCE.width, activation: 'tanh', init: 'glorot', norm: 'none', skip: 'none', seed },
    train: { dataset: 'regression-2d', loss: 'mse', optimizer: 'sgd', learningRate: REFERENCE.learningRate, batchSize: REFERENCE.batchSize },
  };
}

export interface BenchRequest {
  /** Steps trained per read-back (1 = every step). */
  readEvery: number;
  /** Runs of the same architecture trained together. */
  runs: number;
  seconds: number;
}

export interface BenchResult extends BenchRequest {
  name: string;
  backend: string;
  /** Training steps per second of one run (all runs advance one step per step). */
  stepsPerSecond: number;
  steps: number;
  finalLoss: number;
  /** Workers the runs were dealt over (one per core), for the pooled figure. */
  workers?: number;
  /** Which interleaved round of measurements this belongs to. */
  round?: number;
}
