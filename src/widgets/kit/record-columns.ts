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

type ReadLayers = (record: StepRecord) => readonly number[] | undefined;

export function layerColumns(records: readonly StepRecord[], read: ReadLayers, maxColumns: number): LayerColumn[] {
  const size = bucketSize(records.length, maxColumns);
  const columns: LayerColumn[] = [];
  for (let start = 0; start < records.length; start += size) columns.push(bucketColumn(records, start, Math.min(records.length, start + size), read));
  return columns;
}

/**
 * layerColumns for a growing run, redrawn many times a second: full buckets are computed once and
 * kept while they still hold the same records (compared by identity at both ends), so a redraw
 * costs the newest bucket instead of a logarithm per layer of every record so far. Same columns as
 * layerColumns.
 */
export class LayerColumnCache {
  private size = 0;
  private full: { first: StepRecord; last: StepRecord; column: LayerColumn }[] = [];

  constructor(
    private readonly read: ReadLayers,
    private readonly maxColumns: number,
  ) {}

  columns(records: readonly StepRecord[]): LayerColumn[] {
    const size = bucketSize(records.length, this.maxColumns);
    if (size !== this.size) {
      this.size = size;
      this.full = [];
    }
    let kept = 0;
    while (kept < this.full.length) {
      const cached = this.full[kept];
      const start = kept * size;
      if (records[start] !== cached.first || records[start + size - 1] !== cached.last) break;
      kept++;
    }
    this.full.length = kept;
    const columns = this.full.map((cached) => cached.column);
    for (let start = kept * size; start < records.length; start += size) {
      const end = Math.min(records.length, start + size);
      const column = bucketColumn(records, start, end, this.read);
      if (end - start === size) this.full.push({ first: records[start], last: records[end - 1], column });
      columns.push(column);
    }
    return columns;
  }
}

/** The geometric mean of each layer's value over records[start..end). */
function bucketColumn(records: readonly StepRecord[], start: number, end: number, read: ReadLayers): LayerColumn {
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
  const values = Array.from(logSums, (sum, layer) => (counts[layer] > 0 ? Math.exp(sum / counts[layer]) : invalid[layer] ? NaN : 0));
  return { x: records[start].step, values };
}
