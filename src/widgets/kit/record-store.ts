/**
 * Keeps the records a widget has received. Long runs are thinned instead of growing without
 * bound: when the store holds more than `capacity` records, every other record of the oldest
 * three quarters is dropped (per run, keeping each run's first record), so recent steps stay at
 * full resolution and old ones at progressively coarser spacing.
 */
import type { StepRecord } from '~/engine/types';

export class RecordStore {
  private items: StepRecord[] = [];
  private version = 0;

  constructor(readonly capacity = 20_000) {}

  /** Every record kept, in arrival order (step order within each run). */
  get records(): readonly StepRecord[] {
    return this.items;
  }

  /** Increases on every change; views use it to skip work when nothing changed. */
  get revision(): number {
    return this.version;
  }

  push(records: readonly StepRecord[]): void {
    if (records.length === 0) return;
    for (const record of records) this.items.push(record);
    if (this.items.length > this.capacity) this.thin();
    this.version++;
  }

  clear(): void {
    this.items = [];
    this.version++;
  }

  /** The last record of a run, or of any run when `run` is undefined. */
  latest(run?: number): StepRecord | undefined {
    for (let index = this.items.length - 1; index >= 0; index--) {
      if (run === undefined || this.items[index].run === run) return this.items[index];
    }
    return undefined;
  }

  /** The records of one run, in step order. */
  forRun(run: number): StepRecord[] {
    return this.items.filter((record) => record.run === run);
  }

  private thin(): void {
    const keepRecent = Math.floor(this.capacity / 4);
    const oldCount = this.items.length - keepRecent;
    const seenPerRun = new Map<number, number>();
    const kept: StepRecord[] = [];
    for (let index = 0; index < oldCount; index++) {
      const record = this.items[index];
      const seen = seenPerRun.get(record.run) ?? 0;
      seenPerRun.set(record.run, seen + 1);
      if (seen % 2 === 0) kept.push(record);
    }
    for (let index = oldCount; index < this.items.length; index++) kept.push(this.items[index]);
    this.items = kept;
  }
}
