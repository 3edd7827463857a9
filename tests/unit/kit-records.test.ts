import { describe, expect, it } from 'vitest';
import type { StepRecord } from '~/engine/types';
import { csvField, exportFileName, recordsToCSV, runToCSV, runToJSON, summaryRows } from '~/widgets/kit/export-format';
import { RecordStore } from '~/widgets/kit/record-store';
import { bucketSize, LayerColumnCache, layerColumns } from '~/widgets/kit/record-columns';
import { gradientFlowSummary, historyTable, layerTable } from '~/widgets/gradient-flow/summary';

function record(step: number, run = 0, gradNorms = [1e-6, 1e-3, 1e-1]): StepRecord {
  return { run, step, loss: 1 / step, gradNorms, weightNorms: gradNorms.map(() => 2), updateRatios: gradNorms.map(() => 1e-3) };
}

describe('CSV export', () => {
  it('writes a header and one row per record with per-layer columns', () => {
    const csv = recordsToCSV([{ id: 0, label: 'plain, 3 layers', layers: [] }], [record(1), record(2)]);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'run,run_label,step,loss,grad_norm_1,grad_norm_2,grad_norm_3,weight_norm_1,weight_norm_2,weight_norm_3,update_ratio_1,update_ratio_2,update_ratio_3',
    );
    expect(lines[1]).toBe('0,"plain, 3 layers",1,1,0.000001,0.001,0.1,2,2,2,0.001,0.001,0.001');
    expect(lines).toHaveLength(3);
  });
  it('adds accuracy and activation columns only when records have them', () => {
    const withExtras: StepRecord = {
      ...record(1),
      accuracy: 0.5,
      activations: { mean: [0.1, 0.2, 0.3], std: [1, 1, 1], saturated: [0, 0.5, 1], dead: [0, 0, 0] },
    };
    const header = recordsToCSV([], [withExtras]).split('\n')[0];
    expect(header).toContain('accuracy');
    expect(header).toContain('saturated_3');
    expect(recordsToCSV([], [record(1)]).split('\n')[0]).not.toContain('accuracy');
  });
  it('quotes fields that need it and spells out non-finite numbers', () => {
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(NaN)).toBe('NaN');
    expect(csvField(-Infinity)).toBe('-inf');
    expect(csvField(undefined)).toBe('');
  });
});

describe('JSON export', () => {
  it('holds settings, runs, divergences and records, with NaN as null', () => {
    const diverged = { ...record(3), loss: NaN };
    const text = runToJSON({
      widgetId: 'lab',
      kind: 'gradient-flow',
      experiment: 'gradient-flow',
      settings: { depth: 3 },
      runs: [{ id: 0, label: 'plain', layers: [] }],
      divergences: [{ run: 0, step: 3, reason: 'loss became NaN' }],
      records: [record(1), diverged],
    });
    const parsed = JSON.parse(text);
    expect(parsed.settings).toEqual({ depth: 3 });
    expect(parsed.records).toHaveLength(2);
    expect(parsed.records[1].loss).toBeNull();
    expect(parsed.records[0].gradNorms).toEqual([1e-6, 1e-3, 1e-1]);
    expect(parsed.divergences[0].step).toBe(3);
  });
  it('carries the summary (in the shape of the CLI summary) when the widget has one, and leaves it out otherwise', () => {
    const base = { widgetId: 'lab', kind: 'shattered-gradients', experiment: 'shattered-gradients', settings: {}, runs: [], divergences: [], records: [] };
    const rows = [{ run: 0, label: 'plain, 1 layer', skip: 'none', depth: 1, correlation: 0.97 }];
    expect(JSON.parse(runToJSON({ ...base, summary: rows })).summary).toEqual(rows);
    expect(JSON.parse(runToJSON(base))).not.toHaveProperty('summary');
  });
  it('CSV: records when there are any, else the summary rows (an experiment that does not train)', () => {
    const rows = [
      { run: 0, label: 'plain, 1 layer', skip: 'none', depth: 1, correlation: 0.97 },
      { run: 1, label: 'residual, 1 layer', skip: 'residual', depth: 1, correlation: 0.98 },
    ];
    expect(runToCSV([], [], rows)).toBe('run,label,skip,depth,correlation\n0,"plain, 1 layer",none,1,0.97\n1,"residual, 1 layer",residual,1,0.98\n');
    expect(runToCSV([], [record(1)], rows)).toBe(recordsToCSV([], [record(1)]));
    // A summary that is not a list of flat rows cannot be a table: the records' CSV (a header) it is.
    expect(runToCSV([], [], { nested: { a: 1 } })).toBe(recordsToCSV([], []));
    expect(summaryRows([{ a: 1, b: [2] }])).toBeUndefined();
  });
  it('names files after the widget and step, with safe characters', () => {
    expect(exportFileName('ch2 sigmoid', 'run', 340, 'csv')).toBe('ch2-sigmoid-run-step340.csv');
  });
});

describe('RecordStore', () => {
  it('keeps every record while under capacity', () => {
    const store = new RecordStore(100);
    store.push([record(1), record(2), record(1, 1)]);
    expect(store.records).toHaveLength(3);
    expect(store.latest()?.run).toBe(1);
    expect(store.latest(0)?.step).toBe(2);
    expect(store.forRun(0).map((r) => r.step)).toEqual([1, 2]);
  });
  it('thins old steps beyond capacity but keeps recent steps, the first step and step order', () => {
    const store = new RecordStore(1000);
    for (let step = 1; step <= 5000; step += 100) store.push(Array.from({ length: 100 }, (_, offset) => record(step + offset)));
    const steps = store.records.map((r) => r.step);
    expect(steps.length).toBeLessThanOrEqual(1000);
    expect(steps[0]).toBe(1);
    expect(steps.slice(-250)).toEqual(Array.from({ length: 250 }, (_, index) => 4751 + index));
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });
  it('counts revisions so views can skip redraws', () => {
    const store = new RecordStore();
    const before = store.revision;
    store.push([]);
    expect(store.revision).toBe(before);
    store.push([record(1)]);
    expect(store.revision).toBe(before + 1);
  });
});

describe('heatmap columns', () => {
  it('uses power-of-two buckets so columns stay stable as a run grows', () => {
    expect(bucketSize(100, 240)).toBe(1);
    expect(bucketSize(241, 240)).toBe(2);
    expect(bucketSize(1000, 240)).toBe(8);
  });
  it('averages each bucket geometrically per layer', () => {
    const records = [record(1, 0, [1e-6, 1]), record(2, 0, [1e-2, 1]), record(3, 0, [1e-4, 4])];
    const columns = layerColumns(records, (r) => r.gradNorms, 2);
    expect(columns).toHaveLength(2);
    expect(columns[0].x).toBe(1);
    expect(columns[0].values[0]).toBeCloseTo(1e-4);
    expect(columns[0].values[1]).toBeCloseTo(1);
    expect(columns[1].x).toBe(3);
    expect(columns[1].values[0]).toBeCloseTo(1e-4);
    expect(columns[1].values[1]).toBeCloseTo(4);
  });
});

describe('heatmap columns of a growing run, cached', () => {
  it('gives the same columns as layerColumns at every length, and follows a store that was thinned or cleared', () => {
    const all = Array.from({ length: 700 }, (_, i) => record(i + 1, 0, [1e-3 * (1 + (i % 7)), 2 + Math.sin(i), i % 11 === 0 ? 0 : 1e-6 * (i + 1)]));
    const cache = new LayerColumnCache((r) => r.gradNorms, 64);
    for (let length = 1; length <= all.length; length += 37) {
      const records = all.slice(0, length);
      expect(cache.columns(records)).toEqual(layerColumns(records, (r) => r.gradNorms, 64));
    }
    // Other records (a thinned store, a new run) are computed afresh, not taken from the cache.
    const thinned = all.filter((_, i) => i % 2 === 0);
    expect(cache.columns(thinned)).toEqual(layerColumns(thinned, (r) => r.gradNorms, 64));
    const fresh = all.slice(0, 100).map((r) => ({ ...r, gradNorms: r.gradNorms.map((v) => v * 3) }));
    expect(cache.columns(fresh)).toEqual(layerColumns(fresh, (r) => r.gradNorms, 64));
  });
});

describe('gradient-flow summary and tables', () => {
  it('says the step, loss and the first and last layer gradients', () => {
    const text = gradientFlowSummary({ ...record(340, 0, [3e-7, 1e-4, 2e-2]), loss: 0.21 });
    expect(text).toBe('step 340, loss 0.21, first layer gradient 3e-7, last layer 0.02, 4.8 orders of magnitude smaller at the first layer');
  });
  it('leaves out the comparison when the layers are within a decade', () => {
    expect(gradientFlowSummary({ ...record(5, 0, [0.1, 0.3]), loss: 0.5, accuracy: 0.75 })).toBe(
      'step 5, loss 0.5, accuracy 75%, first layer gradient 0.1, last layer 0.3',
    );
  });
  it('tabulates every layer at the latest step', () => {
    const table = layerTable(record(12));
    expect(table.rows).toHaveLength(3);
    expect(table.rows[0][0]).toBe('1 (input side)');
    expect(table.rows[0][1]).toBe('1e-6');
    expect(table.caption).toContain('step 12');
  });
  it('samples the history evenly and always ends at the latest step', () => {
    const records = Array.from({ length: 1000 }, (_, index) => record(index + 1));
    const table = historyTable(records, 40);
    expect(table.rows.length).toBeLessThanOrEqual(40);
    expect(table.rows[table.rows.length - 1][0]).toBe(1000);
  });
});
