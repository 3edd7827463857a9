/**
 * Wall time of the engine in Node for the chapter presets: the reference net (SGD) in steps/s and
 * the degradation lab's default run (ReLU + He + batch norm + Adam, 8 depth/skip cells × 3 seeds).
 * `npx tsx bench/engine-node-timing.ts [wasm|cpu] [degradation-steps]`
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createMlpExperimentRun } from '../src/engine/trainer';
import { degradationExperiment } from '../src/widgets/degradation/experiment';
import { referenceSpec } from './reference';
import type { StepRecord } from '../src/engine/types';

const backend = process.argv[2] ?? 'wasm';
const degradationSteps = Number(process.argv[3] ?? 300);
tf.env().set('PROD', true);
if (backend === 'wasm') {
  setWasmPaths(`${process.cwd()}/node_modules/@tensorflow/tfjs-backend-wasm/dist/`);
  // Chromium without cross-origin isolation has no threads; match it.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
}
await tf.setBackend(backend);
await tf.ready();

const reference = createMlpExperimentRun([referenceSpec(1)]);
reference.train(50);
let t0 = performance.now();
let steps = 0;
while (performance.now() - t0 < 3000) {
  reference.train(10);
  steps += 10;
}
console.log(`${backend}: reference net, SGD, read-back every 10 steps: ${(steps / ((performance.now() - t0) / 1000)).toFixed(0)} steps/s`);
reference.dispose();

const degradation = degradationExperiment.create({});
t0 = performance.now();
const records: StepRecord[] = [];
for (let done = 0; done < degradationSteps; done += 10) records.push(...degradation.train(10));
const seconds = (performance.now() - t0) / 1000;
const lastLosses = degradation.runs.map((run) => records.filter((r) => r.run === run.id).at(-1)?.loss.toPrecision(6));
console.log(`${backend}: degradation lab defaults, ${degradation.runs.length} runs × ${degradationSteps} steps: ${seconds.toFixed(1)} s; last losses ${lastLosses.join(' ')}`);
degradation.dispose();
