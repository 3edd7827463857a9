/// <reference lib="webworker" />
/** Times the engine (wasm backend, batched runs) on the reference network. */
import * as tf from '@tensorflow/tfjs-core';
import { initBrowserBackend } from '../src/runtime/backend-browser';
import { createMlpExperimentRun } from '../src/engine/trainer';
import { referenceSpec, type BenchRequest, type BenchResult } from './reference';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const ready = initBrowserBackend();

scope.onmessage = async (event: MessageEvent<BenchRequest>) => {
  const choice = await ready;
  const { readEvery, runs, seconds } = event.data;
  const run = createMlpExperimentRun(Array.from({ length: runs }, (_, i) => referenceSpec(i + 1)));
  // Warm-up: kernel compilation and allocation happen in the first steps.
  run.train(50);
  let steps = 0;
  let lastLoss = NaN;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    const records = run.train(readEvery);
    lastLoss = records[records.length - 1].loss;
    steps += readEvery;
  }
  const elapsed = (performance.now() - started) / 1000;
  run.dispose();
  const result: BenchResult = { name: 'engine', backend: choice.backend + (choice.fallbackReason ? ` (${choice.fallbackReason})` : ''), readEvery, runs, seconds, stepsPerSecond: steps / elapsed, steps, finalLoss: lastLoss };
  scope.postMessage({ ...result, tensors: tf.memory().numTensors });
};
