/// <reference lib="webworker" />
/**
 * The training worker: runs one experiment from the registry and streams its records.
 *
 * Create it from a page script with
 *   new Worker(new URL('~/runtime/worker.ts', import.meta.url), { type: 'module' })
 * (or a relative URL), then speak the ToWorker/FromWorker protocol of ../engine/types.ts:
 *
 * - On load it posts `ready` once with the backend in use (wasm, or cpu with `fallbackReason`).
 *   Messages sent earlier are queued, so a page may post `start` straight away.
 * - `start` creates the experiment from `settings` (validated against its settings table; a bad
 *   value posts `error`), posts `started` with the runs, and trains unless `paused: true`.
 *   Training stops by itself at the experiment's run length (runLength in ../engine/settings.ts: its
 *   `steps` setting, or `maxSteps` from the page, or its default) and posts `finished`.
 * - While running it trains as many steps as fit in ~12 ms (at least the experiment's
 *   `minStepsPerChunk`, for experiments with slow steps), posts them as one `records` message,
 *   yields to handle messages, and repeats: records arrive at most about every 16 ms. A `records`
 *   message carries the run's snapshot() only when it is a different object from the one last
 *   posted (an experiment makes a new snapshot object when its results change), so the page
 *   keeps the last one it got.
 * - `pause`/`resume` take effect before the next chunk. `step` trains `steps` (default 1) steps
 *   now and stays paused. `reset` disposes the run and recreates it from step 0 (with new
 *   settings if given), posts `started` again and keeps running if it was running.
 * - `start` with `shard` trains only that part of the runs (Experiment.createShard; without it,
 *   shard 0 trains everything and the others nothing), for the kit's worker pool. A shard with no
 *   runs posts `started` with none and `finished` at step 0.
 *   `speed` caps steps per second (Infinity = as fast as possible). `dispose` frees everything
 *   and closes the worker.
 * - A run that diverges posts `diverged` (step and reason) and stops; when every run has
 *   diverged, training stops. A failure on the wasm backend switches to cpu, posts `ready` again
 *   with the reason, and restarts the experiment from step 0 on cpu.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Experiment, ExperimentRun, FromWorker, SettingsValues, Shard, StepRecord, ToWorker } from '../engine/types';
import { resolveSettings, runLength } from '../engine/settings';
import { loadAssets, missingAssets } from '../engine/data/assets';
import { fallBackToCpu, initBrowserBackend } from './backend-browser';
import { getExperiment } from './registry';

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** Compute budget per chunk: leaves room in a 16 ms frame for posting and message handling. */
const CHUNK_BUDGET_MS = 12;

let backendReady = false;
/** While the data files an experiment needs are loading, messages wait in the queue too. */
let loadingAssets = false;
const queue: ToWorker[] = [];

let experiment: Experiment | undefined;
let settings: SettingsValues = {};
let run: ExperimentRun | undefined;
/** The page's maxSteps from `start`; runLength() decides whether it applies. */
let requestedMaxSteps: number | undefined;
/** The part of the runs this worker trains, when it is one of a pool. */
let shard: Shard | undefined;
let maxSteps = Infinity;
let step = 0;
let running = false;
let stepsPerSecond = Infinity;
let reportedDivergences = 0;
/** The run's snapshot() as last posted: an unchanged snapshot (same object) is not posted again. */
let postedSnapshot: unknown;
/** Measured cost of one step, to size chunks (starts pessimistic; adapts after one chunk). */
let msPerStep = 5;
/** For the speed cap: when the current stretch of running started and how many steps it made. */
let paceStart = 0;
let paceSteps = 0;
let loopScheduled = false;

function post(message: FromWorker): void {
  scope.postMessage(message);
}

function fail(error: unknown): void {
  running = false;
  post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}

// A MessageChannel yields to the event loop without setTimeout's 4 ms clamp.
const yieldChannel = new MessageChannel();
yieldChannel.port1.onmessage = () => {
  loopScheduled = false;
  runChunk();
};

function scheduleLoop(): void {
  if (loopScheduled || !running) return;
  loopScheduled = true;
  yieldChannel.port2.postMessage(null);
}

function resetPace(): void {
  paceStart = performance.now();
  paceSteps = 0;
}

function liveRunCount(): number {
  return run ? run.runs.length - run.divergences().length : 0;
}

/** Trains `steps` steps, posts the records and any new divergences; returns false if training must stop. */
function trainAndPost(steps: number): boolean {
  if (!run) return false;
  const started = performance.now();
  const records: StepRecord[] = run.train(steps);
  const elapsed = performance.now() - started;
  msPerStep = 0.7 * msPerStep + 0.3 * (elapsed / steps);
  step += steps;
  const snapshot = run.snapshot?.();
  const snapshotChanged = snapshot !== undefined && snapshot !== postedSnapshot;
  if (snapshotChanged) postedSnapshot = snapshot;
  if (records.length > 0 || snapshotChanged) post({ type: 'records', records, ...(snapshotChanged ? { snapshot } : {}) });
  const divergences = run.divergences();
  for (; reportedDivergences < divergences.length; reportedDivergences++) post({ type: 'diverged', divergence: divergences[reportedDivergences] });
  if (liveRunCount() === 0) return false;
  if (step >= maxSteps) {
    post({ type: 'finished', step });
    return false;
  }
  return true;
}

function runChunk(): void {
  if (!running || !run) return;
  try {
    let steps = Math.max(experiment?.minStepsPerChunk ?? 1, Math.floor(CHUNK_BUDGET_MS / Math.max(msPerStep, 1e-3)));
    if (Number.isFinite(stepsPerSecond)) {
      const allowed = Math.floor(((performance.now() - paceStart) / 1000) * stepsPerSecond) - paceSteps;
      if (allowed <= 0) {
        // Wait until the next step is due rather than spinning.
        setTimeout(scheduleLoop, Math.max(1, 1000 / stepsPerSecond - 1));
        return;
      }
      steps = Math.min(steps, allowed);
    }
    steps = Math.min(steps, maxSteps - step);
    paceSteps += steps;
    if (!trainAndPost(steps)) {
      running = false;
      return;
    }
    scheduleLoop();
  } catch (error) {
    void recoverOnCpu(error);
  }
}

function createRun(values: SettingsValues): void {
  if (!experiment) throw new Error('No experiment started');
  // Validate first: bad settings leave the current run untouched.
  const resolved = resolveSettings(experiment.settings, values);
  run?.dispose();
  run = undefined;
  settings = resolved;
  maxSteps = runLength(experiment, settings, requestedMaxSteps);
  run = createShardOrAll(experiment, settings);
  step = 0;
  reportedDivergences = 0;
  postedSnapshot = undefined;
  post({ type: 'started', runs: [...run.runs] });
  if (run.runs.length === 0) post({ type: 'finished', step: 0 });
}

function createShardOrAll(chosen: Experiment, values: SettingsValues): ExperimentRun {
  if (!shard || shard.count <= 1) return chosen.create(values);
  if (chosen.createShard) return chosen.createShard(values, shard);
  return shard.index === 0 ? chosen.create(values) : { runs: [], train: () => [], divergences: () => [], dispose: () => undefined };
}

/** A training failure on wasm: switch to cpu, tell the page, start over from step 0. */
async function recoverOnCpu(error: unknown): Promise<void> {
  if (tf.getBackend() === 'cpu' || !experiment) {
    fail(error);
    return;
  }
  const wasRunning = running;
  running = false;
  try {
    run?.dispose();
    run = undefined;
    const reason = `training on WebAssembly failed (${error instanceof Error ? error.message : String(error)})`;
    const choice = await fallBackToCpu(reason);
    post({ type: 'ready', backend: choice.backend, fallbackReason: choice.fallbackReason });
    createRun(settings);
    running = wasRunning;
    resetPace();
    scheduleLoop();
  } catch (secondError) {
    fail(secondError);
  }
}

function handle(message: ToWorker): void {
  try {
    switch (message.type) {
      case 'start': {
        const found = getExperiment(message.experiment);
        if (!found) throw new Error(`Unknown experiment "${message.experiment}"`);
        const missing = missingAssets(found.assets);
        if (missing.length > 0) {
          // Handle this start again once the files are in; later messages keep their order behind it.
          queue.unshift(message);
          loadingAssets = true;
          loadAssets(missing, readSiteFile).then(
            () => {
              loadingAssets = false;
              drainQueue();
            },
            (error: unknown) => {
              loadingAssets = false;
              queue.splice(queue.indexOf(message), 1);
              fail(error);
              drainQueue();
            },
          );
          break;
        }
        experiment = found;
        requestedMaxSteps = message.maxSteps;
        shard = message.shard;
        createRun(message.settings);
        running = !message.paused;
        resetPace();
        scheduleLoop();
        break;
      }
      case 'pause':
        running = false;
        break;
      case 'resume':
        if (run && step < maxSteps && liveRunCount() > 0) {
          running = true;
          resetPace();
          scheduleLoop();
        }
        break;
      case 'step': {
        running = false;
        const steps = Math.max(1, Math.min(message.steps ?? 1, maxSteps - step));
        if (run && step < maxSteps && liveRunCount() > 0) trainAndPost(steps);
        break;
      }
      case 'reset': {
        const wasRunning = running;
        running = false;
        createRun(message.settings ?? settings);
        running = wasRunning;
        resetPace();
        scheduleLoop();
        break;
      }
      case 'speed':
        stepsPerSecond = message.stepsPerSecond > 0 ? message.stepsPerSecond : Infinity;
        resetPace();
        break;
      case 'dispose':
        running = false;
        run?.dispose();
        run = undefined;
        scope.close();
        break;
    }
  } catch (error) {
    if (message.type === 'step') void recoverOnCpu(error);
    else fail(error);
  }
}

/** A file of the site, fetched from the site's own origin (never another host). */
async function readSiteFile(path: string): Promise<Uint8Array> {
  const url = new URL(`${import.meta.env.BASE_URL}${path}`, scope.location.origin);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not load the data file ${path} (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

function drainQueue(): void {
  while (queue.length > 0 && backendReady && !loadingAssets) handle(queue.shift()!);
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  queue.push(event.data);
  drainQueue();
};

void (async () => {
  let choice;
  try {
    choice = await initBrowserBackend();
  } catch (error) {
    choice = await fallBackToCpu(`the WebAssembly backend failed (${error instanceof Error ? error.message : String(error)})`);
  }
  post({ type: 'ready', backend: choice.backend, fallbackReason: choice.fallbackReason });
  backendReady = true;
  drainQueue();
})();
