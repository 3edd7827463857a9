/**
 * Profiles the engine on the reference network in Node with the wasm backend: kernel calls and
 * kernel time per kernel type, for R batched runs. `npx tsx bench/profile-node.ts [runs]`
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createMlpExperimentRun } from '../src/engine/trainer';
import { referenceSpec } from './reference';

const runs = Number(process.argv[2] ?? 1);
setWasmPaths(`${process.cwd()}/node_modules/@tensorflow/tfjs-backend-wasm/dist/`);
tf.env().set('PROD', true);
// Chromium without cross-origin isolation has no threads; match it.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
await tf.setBackend('wasm');
const run = createMlpExperimentRun(Array.from({ length: runs }, (_, i) => referenceSpec(i + 1)));
run.train(50);
const t0 = performance.now();
let steps = 0;
while (performance.now() - t0 < 3000) {
  run.train(10);
  steps += 10;
}
console.log(`runs ${runs}: ${(steps / ((performance.now() - t0) / 1000)).toFixed(0)} steps/s`);
const info = await tf.profile(() => {
  run.train(10);
});
const byKernel = new Map<string, { calls: number; ms: number }>();
for (const k of info.kernels) {
  const entry = byKernel.get(k.name) ?? { calls: 0, ms: 0 };
  entry.calls++;
  entry.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
  byKernel.set(k.name, entry);
}
const rows = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
console.log(`kernel calls per step: ${(info.kernels.length / 10).toFixed(1)}`);
for (const [name, { calls, ms }] of rows) console.log(`${name.padEnd(20)} ${String(calls / 10).padStart(6)} calls/step ${(ms / 10).toFixed(3).padStart(8)} ms/step`);
run.dispose();
