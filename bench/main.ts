/**
 * Bench page: runs each measurement in a fresh worker, one after the other, and publishes the
 * results on window.__bench for src/cli/bench.ts to read.
 */
import type { BenchRequest, BenchResult } from './reference';
import type { GraphBenchRequest, GraphBenchResult } from './graph-reference';

declare global {
  interface Window {
    __bench?: { done: boolean; results: BenchResult[]; graphResults: GraphBenchResult[]; error?: string };
  }
}

const log = document.getElementById('log')!;
const state: NonNullable<Window['__bench']> = { done: false, results: [], graphResults: [] };
window.__bench = state;

/** Posts one request to a fresh worker and resolves with its one reply. */
function ask<Request, Result>(worker: Worker, request: Request): Promise<Result> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<Result>) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message));
    };
    worker.postMessage(request);
  });
}

function measure(kind: 'engine' | 'handwritten', request: BenchRequest): Promise<BenchResult> {
  const worker =
    kind === 'engine'
      ? new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module' })
      : new Worker(new URL('./handwritten-worker.ts', import.meta.url), { type: 'module' });
  return ask(worker, request);
}

/**
 * `runs` runs of the reference network dealt over one worker per core (navigator.hardwareConcurrency),
 * each worker training its share as one batch, all at once: the rate is the slowest worker's.
 */
async function measurePool(request: BenchRequest): Promise<BenchResult> {
  const workers = Math.max(1, Math.min(request.runs, navigator.hardwareConcurrency || 1));
  const shares = Array.from({ length: workers }, (_, index) => Math.floor(request.runs / workers) + (index < request.runs % workers ? 1 : 0));
  const results = await Promise.all(shares.map((runs) => measure('engine', { ...request, runs })));
  const slowest = results.reduce((a, b) => (a.stepsPerSecond < b.stepsPerSecond ? a : b));
  return { ...slowest, name: 'engine-pool', runs: request.runs, workers };
}

function measureGraph(request: GraphBenchRequest): Promise<GraphBenchResult> {
  return ask(new Worker(new URL('./graph-worker.ts', import.meta.url), { type: 'module' }), request);
}

const params = new URLSearchParams(location.search);
const seconds = Number(params.get('seconds') ?? 2);
const rounds = Number(params.get('rounds') ?? 3);
// Interleaved rounds: on a shared machine the load changes from second to second, so each round
// measures every configuration back to back and the CLI takes medians (and per-round ratios).
const plan: [('engine' | 'handwritten' | 'engine-pool'), BenchRequest][] = [
  ['handwritten', { readEvery: 1, runs: 1, seconds }],
  ['engine', { readEvery: 10, runs: 1, seconds }],
  ['engine', { readEvery: 1, runs: 1, seconds }],
  ['engine', { readEvery: 10, runs: 8, seconds }],
  ['handwritten', { readEvery: 1, runs: 8, seconds }],
  ['engine-pool', { readEvery: 10, runs: 8, seconds }],
];

// The reference conv net and transformer: the engine and the Layers API on both back-ends.
const only = params.get('only');
const graphPlan: Omit<GraphBenchRequest, 'seconds'>[] = [
  { model: 'conv', implementation: 'engine', backend: 'wasm' },
  { model: 'conv', implementation: 'layers', backend: 'wasm' },
  { model: 'conv', implementation: 'engine', backend: 'cpu' },
  { model: 'conv', implementation: 'layers', backend: 'cpu' },
  { model: 'transformer', implementation: 'engine', backend: 'wasm' },
  { model: 'transformer', implementation: 'layers', backend: 'wasm' },
  { model: 'transformer', implementation: 'layers-one-hot', backend: 'wasm' },
  { model: 'transformer', implementation: 'engine', backend: 'cpu' },
  { model: 'transformer', implementation: 'layers', backend: 'cpu' },
];

(async () => {
  try {
    for (let round = 0; round < rounds; round++) {
      if (only !== 'graph') {
        for (const [kind, request] of plan) {
          const result = { ...(await (kind === 'engine-pool' ? measurePool(request) : measure(kind, request))), round };
          state.results.push(result);
          log.textContent += `${JSON.stringify(result)}\n`;
        }
      }
      if (only !== 'mlp') {
        for (const request of graphPlan) {
          const result = { ...(await measureGraph({ ...request, seconds })), round };
          state.graphResults.push(result);
          log.textContent += `${JSON.stringify(result)}\n`;
        }
      }
    }
  } catch (error) {
    state.error = error instanceof Error ? error.message : String(error);
  }
  state.done = true;
})();
