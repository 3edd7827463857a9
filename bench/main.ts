/**
 * Bench page: runs each measurement in a fresh worker, one after the other, and publishes the
 * results on window.__bench for src/cli/bench.ts to read.
 */
import type { BenchRequest, BenchResult } from './reference';

declare global {
  interface Window {
    __bench?: { done: boolean; results: BenchResult[]; error?: string };
  }
}

const log = document.getElementById('log')!;
const state: NonNullable<Window['__bench']> = { done: false, results: [] };
window.__bench = state;

function measure(kind: 'engine' | 'handwritten', request: BenchRequest): Promise<BenchResult> {
  const worker =
    kind === 'engine'
      ? new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module' })
      : new Worker(new URL('./handwritten-worker.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<BenchResult>) => {
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

const params = new URLSearchParams(location.search);
const seconds = Number(params.get('seconds') ?? 2);
const rounds = Number(params.get('rounds') ?? 3);
// Interleaved rounds: on a shared machine the load changes from second to second, so each round
// measures every configuration back to back and the CLI takes medians (and per-round ratios).
const plan: [('engine' | 'handwritten'), BenchRequest][] = [
  ['handwritten', { readEvery: 1, runs: 1, seconds }],
  ['engine', { readEvery: 10, runs: 1, seconds }],
  ['engine', { readEvery: 1, runs: 1, seconds }],
  ['engine', { readEvery: 10, runs: 8, seconds }],
  ['handwritten', { readEvery: 1, runs: 8, seconds }],
];

(async () => {
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [kind, request] of plan) {
        const result = { ...(await measure(kind, request)), round };
        state.results.push(result);
        log.textContent += `${JSON.stringify(result)}\n`;
      }
    }
  } catch (error) {
    state.error = error instanceof Error ? error.message : String(error);
  }
  state.done = true;
})();
