/**
 * Turns a run's records into heatmap columns: at most `maxColumns` columns, each the geometric
 * mean (the natural average for norms spanning decades) of a bucket of consecutive records.
 * Bucket sizes are powers of two, so columns only regroup when a run doubles in length: the
 * picture does not shimmer from frame to frame.
 */
import type { StepRecord } from '~/engine/types';

export interface LayerColumn {
  /** Step of the first record in the bucket. */
  x: number;
  values: number[];
}

export function bucketSize(recordCount: number, maxColumns: number): number {
  let size = 1;
  while (recordCount / size > maxColumns) size *= 2;
  return size;
}

export function layerColumns(
  records: readonly StepRecord[],
  read: (record: StepRecord) => readonly number[] | undefined,
  maxColumns: number,
): LayerColumn[] {
  const size = bucketSize(records.length, maxColumns);
  const columns: LayerColumn[] = [];
  for (let start = 0; start < records.length; start += size) {
    const end = Math.min(records.length, start + size);
    const layers = read(records[start])?.length ?? 0;
    const logSums = new Float64Array(layers);
    const counts = new Uint32Array(layers);
    const invalid = new Uint8Array(layers);
    for (let index = start; index < end; index++) {
      const values = read(records[index]);
      if (!values) continue;
      for (let layer = 0; layer < layers; layer++) {
        const value = values[layer];
        if (value > 0 && Number.isFinite(value)) {
          logSums[layer] += Math.log(value);
          counts[layer]++;
        } else if (!(value === 0)) invalid[layer] = 1;
      }
    }
    const values = Array.from(logSums, (sum, layer) =>
      counts[layer] > 0 ? Math.exp(sum / counts[layer]) : invalid[layer] ? NaN : 0,
    );
    columns.push({ x: records[start].step, values });
  }
  return columns;
}
