/**
 * Side-by-side comparisons that several widgets train: the same network with and without skips.
 * One definition, so the chapters' plain-versus-residual pairs stay the same networks.
 */
import { datasetShape } from './datasets';
import type { DatasetName, Norm, RunSpec } from './types';

/** The skips of the pair, in run order: the plain network is run 0, the residual one run 1. */
export const PLAIN_AND_RESIDUAL = ['none', 'residual'] as const;

export interface PlainAndResidualOptions {
  dataset: DatasetName;
  datasetSize: number;
  depth: number;
  width: number;
  norm: Norm;
  seed: number;
}

/**
 * Two ReLU MLPs identical but for identity skips around every layer (blockSize 1): He
 * initialisation, the same seed, data and batches, Adam at 0.01 on batches of 64, cross-entropy.
 */
export function plainAndResidualRuns({ dataset, datasetSize, depth, width, norm, seed }: PlainAndResidualOptions): RunSpec[] {
  const shape = datasetShape(dataset);
  return PLAIN_AND_RESIDUAL.map((skip) => ({
    label: `${skip === 'none' ? 'plain' : 'residual'}, ${depth} layers`,
    network: { inputSize: shape.inputSize, outputSize: shape.outputSize, depth, width, activation: 'relu', init: 'he', norm, skip, blockSize: 1, seed },
    train: { dataset, datasetSize, dataSeed: 1, loss: 'cross-entropy', optimizer: 'adam', learningRate: 0.01, batchSize: 64 },
  }));
}
