/**
 * Named layers (issue 9): every MLP run says which layer each per-layer statistic describes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '~/engine/backend-node';
import { createMlpExperimentRun } from '~/engine/trainer';
import { describeLayers, layerColumnSuffixes } from '~/engine/layer-names';
import type { NetworkConfig, RunInfo, RunSpec, StepRecord } from '~/engine/types';
import { recordsToCSV } from '~/widgets/kit/export-format';
import { layerTable } from '~/widgets/gradient-flow/summary';
import { layerPosition } from '~/charts/format';

beforeAll(async () => {
  await initNodeBackend();
});

const network: NetworkConfig = { inputSize: 2, outputSize: 2, depth: 5, width: 4, activation: 'tanh', init: 'glorot', norm: 'none', skip: 'none', seed: 1 };

function spec(changes: Partial<NetworkConfig>, label: string): RunSpec {
  return { label, network: { ...network, ...changes }, train: { dataset: 'circles', loss: 'cross-entropy', optimizer: 'sgd', learningRate: 0.1, batchSize: 8 } };
}

describe('layer names', () => {
  it('numbers the layers of plain and dense nets from the input side', () => {
    for (const skip of ['none', 'dense'] as const) {
      const layers = describeLayers({ depth: 3, skip, blockSize: 1 });
      expect(layers).toEqual([
        { id: 'layer1', label: 'layer 1', group: 'layer1' },
        { id: 'layer2', label: 'layer 2', group: 'layer2' },
        { id: 'layer3', label: 'layer 3', group: 'layer3' },
      ]);
    }
  });

  it('names residual layers by their block, after the stem that has no skip', () => {
    expect(describeLayers({ depth: 6, skip: 'residual', blockSize: 2 }).map((layer) => layer.id)).toEqual([
      'stem',
      'block1.layer1',
      'block1.layer2',
      'block2.layer1',
      'block2.layer2',
      // The last block is cut short by the depth.
      'block3.layer1',
    ]);
    const single = describeLayers({ depth: 3, skip: 'residual', blockSize: 1 });
    expect(single.map((layer) => [layer.label, layer.group])).toEqual([
      ['stem layer', 'stem'],
      ['block 1, layer 1', 'block1'],
      ['block 2, layer 1', 'block2'],
    ]);
  });

  it('gives every run of an experiment one name per entry of its per-layer statistics', () => {
    const run = createMlpExperimentRun([spec({ skip: 'none', depth: 3 }, 'plain'), spec({ skip: 'residual', depth: 5, blockSize: 2 }, 'residual')]);
    try {
      const records = run.train(2);
      for (const info of run.runs) {
        const ids = info.layers.map((layer) => layer.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const record of records.filter((r) => r.run === info.id)) {
          expect(record.gradNorms).toHaveLength(info.layers.length);
          expect(record.weightNorms).toHaveLength(info.layers.length);
          expect(record.updateRatios).toHaveLength(info.layers.length);
        }
      }
      expect(run.runs.map((info) => info.layers.length)).toEqual([3, 5]);
      expect(run.runs[1].layers[4]).toEqual({ id: 'block2.layer2', label: 'block 2, layer 2', group: 'block2' });
    } finally {
      run.dispose();
    }
  });
});

describe('layers named in exports, tables and readouts', () => {
  const residual: RunInfo = { id: 0, label: 'residual', layers: describeLayers({ depth: 3, skip: 'residual', blockSize: 1 }) };
  const plain: RunInfo = { id: 1, label: 'plain', layers: describeLayers({ depth: 3, skip: 'none', blockSize: 1 }) };
  const record = (run: number): StepRecord => ({ run, step: 1, loss: 0.5, gradNorms: [1e-3, 1e-2, 1e-1], weightNorms: [1, 1, 1], updateRatios: [0.1, 0.1, 0.1] });

  it('names per-layer columns by layer id when the runs share names that say more than a position', () => {
    expect(layerColumnSuffixes([residual], 3)).toEqual(['stem', 'block1.layer1', 'block2.layer1']);
    // Plain nets: the ids are the positions.
    expect(layerColumnSuffixes([plain], 3)).toEqual(['1', '2', '3']);
    // Runs of different layers in one file: positions (the JSON export names each run's layers).
    expect(layerColumnSuffixes([residual, plain], 3)).toEqual(['1', '2', '3']);
    // Runs that name no layers.
    expect(layerColumnSuffixes([{ layers: [] }], 2)).toEqual(['1', '2']);
    const header = recordsToCSV([residual], [record(0)]).split('\n')[0];
    expect(header).toContain('grad_norm_stem,grad_norm_block1.layer1,grad_norm_block2.layer1,weight_norm_stem');
  });

  it('labels the data table rows and chart readouts with the layer names', () => {
    const rows = layerTable(record(0), residual.layers).rows.map((row) => row[0]);
    expect(rows).toEqual(['stem layer (input side)', 'block 1, layer 1', 'block 2, layer 1']);
    expect(layerPosition('block 1, layer 1', 1, 3)).toBe('block 1, layer 1 (2 of 3)');
    expect(layerPosition(undefined, 1, 3)).toBe('layer 2 of 3');
  });
});
