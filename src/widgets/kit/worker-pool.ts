/**
 * The widget kit's link to its training engine: one worker, or a pool of workers that the widget
 * talks to as to one (same ToWorker/FromWorker protocol, src/engine/types.ts).
 *
 * A pool of n workers gives worker i the shard {index: i, count: n} of every `start`
 * (Experiment.createShard: runs that share kernel calls stay together, run ids stay the same) and
 * merges what comes back, so the widget sees one worker that trains n times as fast:
 * - `ready` once every worker is ready (a later `ready`, after a worker fell back to cpu, is passed on);
 * - one `started` with every shard's runs in run-id order, once every shard has started (records
 *   that come earlier wait for it);
 * - `records` and `diverged` as each shard sends them (each run's records in step order; runs of
 *   different shards interleave as they arrive);
 * - a snapshot (each shard's covers only its runs) merged by the widget's `mergeSnapshots` from
 *   every shard's latest, whenever one shard sends a new one; without `mergeSnapshots` a shard's
 *   snapshot is passed on as it came (right only when a snapshot does not depend on the shard);
 * - one `finished` once every shard has finished or has no live run left.
 * A shard that restarts by itself (its worker fell back to cpu) restarts the others, so the runs
 * the widget sees always start together.
 */
import type { FromWorker, RunInfo, Shard, ToWorker } from '~/engine/types';

/** What the kit needs of its training engine, whether one worker or a pool. */
export interface TrainingWorker {
  /** Number of workers (1 for a single worker). */
  readonly size: number;
  post(message: ToWorker): void;
  terminate(): void;
  /** Runs whose shard is done (finished or diverged), of all runs; undefined for a single worker. */
  progress(): { runsDone: number; runs: number } | undefined;
}

export interface WorkerPoolOptions {
  /**
   * Merges the shards' latest snapshots (in shard order; undefined for a shard that has sent
   * none since the last start) into the snapshot of the whole experiment.
   */
  mergeSnapshots?: (snapshots: readonly unknown[]) => unknown;
}

export interface TrainingWorkerHandlers {
  message(message: FromWorker): void;
  /** The worker (or one of the pool) died: its script failed to load or it crashed. */
  error(text: string): void;
  /** A message from the worker could not be read. */
  messageError(): void;
}

/**
 * Workers a pool should have on this computer: one per logical core the browser reports, at most
 * `max` (each worker holds its own TF.js back-end, a few tens of MB).
 */
export function poolSizeForThisComputer(max = 8): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 1;
  return Math.max(1, Math.min(max, Number.isFinite(cores) && cores > 0 ? Math.floor(cores) : 1));
}

function listen(worker: Worker, onMessage: (message: FromWorker) => void, handlers: TrainingWorkerHandlers): void {
  worker.addEventListener('message', (event: MessageEvent<FromWorker>) => onMessage(event.data));
  worker.addEventListener('error', (event) => {
    // Reported in the page instead of as an uncaught error in the console.
    event.preventDefault();
    handlers.error(event.message);
  });
  worker.addEventListener('messageerror', () => handlers.messageError());
}

/** One worker, as a TrainingWorker. */
export function singleWorker(worker: Worker, handlers: TrainingWorkerHandlers): TrainingWorker {
  listen(worker, (message) => handlers.message(message), handlers);
  return {
    size: 1,
    post: (message) => worker.postMessage(message),
    terminate: () => worker.terminate(),
    progress: () => undefined,
  };
}

/** Placeholder for "the merged snapshot" in a shard's `records` message, until it is passed on. */
const MERGE = Symbol('merge shard snapshots');

interface Member {
  worker: Worker;
  /** Its `ready` message, once it came. */
  ready: Extract<FromWorker, { type: 'ready' }> | undefined;
  /** This shard's runs, once it has posted `started` for the current start. */
  runs: readonly RunInfo[] | undefined;
  diverged: Set<number>;
  finished: boolean;
  lastStep: number;
  /** Its latest snapshot since the current start. */
  snapshot: unknown;
}

export class WorkerPool implements TrainingWorker {
  private readonly members: Member[];
  private readyPosted = false;
  /** The merged `started` went out for the current start. */
  private merged = false;
  /** Messages of shards that came before the merged `started`. */
  private held: FromWorker[] = [];
  private finishedPosted = false;

  constructor(
    createWorker: () => Worker,
    readonly size: number,
    private readonly handlers: TrainingWorkerHandlers,
    private readonly options: WorkerPoolOptions = {},
  ) {
    this.members = [];
    for (let index = 0; index < size; index++) {
      const member: Member = { worker: createWorker(), ready: undefined, runs: undefined, diverged: new Set(), finished: false, lastStep: 0, snapshot: undefined };
      this.members.push(member);
      listen(member.worker, (message) => this.receive(member, message), handlers);
    }
  }

  post(message: ToWorker): void {
    if (message.type === 'start' || message.type === 'reset') this.expectStart();
    this.members.forEach((member, index) => {
      const shard: Shard = { index, count: this.size };
      member.worker.postMessage(message.type === 'start' ? { ...message, shard } : message);
    });
  }

  terminate(): void {
    for (const member of this.members) member.worker.terminate();
  }

  progress(): { runsDone: number; runs: number } | undefined {
    if (!this.merged) return undefined;
    let runs = 0;
    let runsDone = 0;
    for (const member of this.members) {
      const count = member.runs?.length ?? 0;
      runs += count;
      runsDone += this.isDone(member) ? count : member.diverged.size;
    }
    return { runsDone, runs };
  }

  private expectStart(): void {
    this.merged = false;
    this.held = [];
    this.finishedPosted = false;
    for (const member of this.members) {
      member.runs = undefined;
      member.diverged = new Set();
      member.finished = false;
      member.lastStep = 0;
      member.snapshot = undefined;
    }
  }

  private isDone(member: Member): boolean {
    return member.finished || (member.runs !== undefined && member.runs.every((run) => member.diverged.has(run.id)));
  }

  private receive(member: Member, message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        member.ready = message;
        if (this.readyPosted) {
          if (message.fallbackReason) this.handlers.message(message);
        } else if (this.members.every((candidate) => candidate.ready)) {
          this.readyPosted = true;
          // The slowest back-end speaks for the pool: a fallback anywhere is the reader's to know.
          const fallback = this.members.find((candidate) => candidate.ready?.fallbackReason)?.ready;
          this.handlers.message(fallback ?? message);
        }
        return;
      case 'started':
        if (this.merged) {
          // One shard started over by itself (its worker fell back to cpu): start the others over too.
          this.expectStart();
          for (const other of this.members) if (other !== member) other.worker.postMessage({ type: 'reset' });
        }
        member.runs = message.runs;
        if (this.members.every((candidate) => candidate.runs !== undefined)) {
          this.merged = true;
          const runs = this.members.flatMap((candidate) => candidate.runs ?? []).sort((a, b) => a.id - b.id);
          this.handlers.message({ type: 'started', runs });
          const held = this.held;
          this.held = [];
          for (const later of held) this.forward(later);
        }
        return;
      case 'records':
        for (const record of message.records) if (record.step > member.lastStep) member.lastStep = record.step;
        if (message.snapshot !== undefined && this.options.mergeSnapshots) {
          member.snapshot = message.snapshot;
          // Merged when passed on, so a message held until the merged `started` gets the latest of every shard.
          message = { ...message, snapshot: MERGE };
        }
        break;
      case 'diverged':
        member.diverged.add(message.divergence.run);
        break;
      case 'finished':
        member.finished = true;
        if (message.step > member.lastStep) member.lastStep = message.step;
        break;
      case 'error':
        break;
    }
    if (this.merged || message.type === 'error') this.forward(message);
    else this.held.push(message);
  }

  /** Passes a shard's message on (a snapshot merged from every shard's latest); `finished` once every shard is done. */
  private forward(message: FromWorker): void {
    if (message.type === 'records' && message.snapshot === MERGE && this.options.mergeSnapshots) {
      this.handlers.message({ ...message, snapshot: this.options.mergeSnapshots(this.members.map((member) => member.snapshot)) });
    } else if (message.type !== 'finished') this.handlers.message(message);
    if ((message.type === 'finished' || message.type === 'diverged') && !this.finishedPosted && this.members.every((member) => this.isDone(member))) {
      const finishedShards = this.members.filter((member) => member.finished);
      // Every run diverged: the widget says so from the divergences, as with one worker.
      if (finishedShards.length === 0) return;
      this.finishedPosted = true;
      this.handlers.message({ type: 'finished', step: Math.max(...finishedShards.map((member) => member.lastStep)) });
    }
  }
}
