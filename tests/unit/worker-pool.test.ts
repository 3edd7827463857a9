/**
 * The kit's WorkerPool with stand-in workers: what the widget sees of the shards' messages, above
 * all the snapshot, which each shard makes for its own runs only and the widget merges.
 */
import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../../src/widgets/kit/worker-pool';
import type { FromWorker, ToWorker } from '../../src/engine/types';

class FakeWorker {
  readonly posted: ToWorker[] = [];
  private readonly listeners = new Map<string, ((event: { data: FromWorker }) => void)[]>();
  addEventListener(type: string, listener: (event: { data: FromWorker }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  postMessage(message: ToWorker): void {
    this.posted.push(message);
  }
  terminate(): void {}
  send(message: FromWorker): void {
    for (const listener of this.listeners.get('message') ?? []) listener({ data: message });
  }
}

function pool(size: number, mergeSnapshots?: (snapshots: readonly unknown[]) => unknown) {
  const workers: FakeWorker[] = [];
  const received: FromWorker[] = [];
  const link = new WorkerPool(
    () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker as unknown as Worker;
    },
    size,
    { message: (message) => received.push(message), error: () => undefined, messageError: () => undefined },
    { mergeSnapshots },
  );
  for (const worker of workers) worker.send({ type: 'ready', backend: 'wasm' });
  link.post({ type: 'start', experiment: 'x', settings: {} });
  return { link, workers, received };
}

const run = (id: number) => ({ id, label: `run ${id}`, layers: [] });
const sumOf = (snapshots: readonly unknown[]) => ({ shards: snapshots.map((s) => (s as { n: number } | undefined)?.n ?? null) });

describe('WorkerPool', () => {
  it('gives each worker its shard and passes one merged snapshot on, from every shard’s latest', () => {
    const { workers, received } = pool(2, sumOf);
    expect(workers.map((worker) => worker.posted[0])).toMatchObject([{ shard: { index: 0, count: 2 } }, { shard: { index: 1, count: 2 } }]);
    // A snapshot that comes before every shard has started waits, and is merged when passed on.
    workers[1].send({ type: 'started', runs: [run(1)] });
    workers[1].send({ type: 'records', records: [], snapshot: { n: 10 } });
    workers[0].send({ type: 'started', runs: [run(0)] });
    workers[0].send({ type: 'records', records: [{ run: 0, step: 1, loss: 1, gradNorms: [], weightNorms: [], updateRatios: [] }], snapshot: { n: 20 } });
    workers[0].send({ type: 'records', records: [{ run: 0, step: 2, loss: 1, gradNorms: [], weightNorms: [], updateRatios: [] }] });
    const records = received.filter((message) => message.type === 'records');
    expect(records.map((message) => message.snapshot)).toEqual([{ shards: [null, 10] }, { shards: [20, 10] }, undefined]);
    expect(received[1]).toEqual({ type: 'started', runs: [run(0), run(1)] });
    workers[0].send({ type: 'finished', step: 2 });
    expect(received.some((message) => message.type === 'finished')).toBe(false);
    workers[1].send({ type: 'finished', step: 2 });
    expect(received.at(-1)).toEqual({ type: 'finished', step: 2 });
  });

  it('forgets the shards’ snapshots when a run starts over', () => {
    const { link, workers, received } = pool(2, sumOf);
    workers.forEach((worker, index) => worker.send({ type: 'started', runs: [run(index)] }));
    workers[0].send({ type: 'records', records: [], snapshot: { n: 1 } });
    link.post({ type: 'reset' });
    workers.forEach((worker, index) => worker.send({ type: 'started', runs: [run(index)] }));
    workers[1].send({ type: 'records', records: [], snapshot: { n: 2 } });
    expect(received.filter((message) => message.type === 'records').at(-1)).toMatchObject({ snapshot: { shards: [null, 2] } });
  });

  it('without a merge, passes a shard’s snapshot on as it came', () => {
    const { workers, received } = pool(2);
    workers.forEach((worker, index) => worker.send({ type: 'started', runs: [run(index)] }));
    workers[1].send({ type: 'records', records: [], snapshot: { n: 3 } });
    expect(received.at(-1)).toEqual({ type: 'records', records: [], snapshot: { n: 3 } });
  });
});
