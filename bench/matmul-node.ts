/**
 * Micro-benchmark of wasm BatchMatMul variants, interleaved over rounds (the machine is shared):
 * which shapes take XNNPACK's fast path. `npx tsx bench/matmul-node.ts`
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
setWasmPaths(`${process.cwd()}/node_modules/@tensorflow/tfjs-backend-wasm/dist/`);
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
await tf.setBackend('wasm');
const results = new Map<string, number[]>();
function time(label: string, f: () => tf.Tensor) {
  for (let i = 0; i < 20; i++) tf.tidy(f);
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) tf.tidy(f);
  const us = (performance.now() - t0) * 1000 / 200;
  results.set(label, [...(results.get(label) ?? []), us]);
}
const x3 = tf.randomNormal([1, 64, 16]); const w3 = tf.randomNormal([1, 16, 16]);
const x2 = tf.randomNormal([64, 16]); const w2 = tf.randomNormal([16, 16]);
const x8 = tf.randomNormal([8, 64, 16]); const w8 = tf.randomNormal([8, 16, 16]);
const xb = tf.randomNormal([64, 128]); const wb = tf.randomNormal([128, 128]);
for (let round = 0; round < 5; round++) {
  time('3-D R=1 x·W', () => tf.matMul(x3, w3));
  time('2-D x·W', () => tf.matMul(x2, w2));
  time('3-D R=1 xᵀ·d', () => tf.matMul(x3, x3, true, false));
  time('2-D xᵀ·d', () => tf.matMul(x2, x2, true, false));
  time('3-D R=8 x·W', () => tf.matMul(x8, w8));
  time('2-D block-diag 8', () => tf.matMul(xb, wb));
  time('tanh 1024', () => tf.tanh(x2));
  time('sub 1024', () => tf.sub(x2, x2));
}
for (const [k, v] of results) console.log(k.padEnd(20), v.map((u) => u.toFixed(0)).join(' '), 'µs; min', Math.min(...v).toFixed(0));
