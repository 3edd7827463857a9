/** Micro-benchmark of wasm BatchMatMul variants (which shapes hit XNNPACK's fast path). */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
setWasmPaths(`${process.cwd()}/node_modules/@tensorflow/tfjs-backend-wasm/dist/`);
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
await tf.setBackend('wasm');
function time(label: string, f: () => tf.Tensor) {
  for (let i = 0; i < 50; i++) tf.tidy(f);
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < 500) { tf.tidy(f); n++; }
  console.log(label.padEnd(44), ((performance.now() - t0) * 1000 / n).toFixed(1), 'µs');
}
for (const R of [1, 8]) {
  const x = tf.randomNormal([R, 64, 16]); const w = tf.randomNormal([R, 16, 16]); const d = tf.randomNormal([R, 64, 16]);
  time(`R=${R} x·W`, () => tf.matMul(x, w));
  time(`R=${R} d·Wᵀ (transposeB)`, () => tf.matMul(d, w, false, true));
  time(`R=${R} xᵀ·d (transposeA)`, () => tf.matMul(x, d, true, false));
  time(`R=${R} transpose(x)·d`, () => tf.matMul(tf.transpose(x, [0, 2, 1]), d));
  time(`R=${R} tanh`, () => tf.tanh(x));
  time(`R=${R} sub`, () => tf.sub(x, d));
  time(`R=${R} add bias [R,1,16]`, () => tf.add(x, tf.ones([R, 1, 16])));
}
const x2 = tf.randomNormal([64, 16]); const w2 = tf.randomNormal([16, 16]);
time('2-D x·W', () => tf.matMul(x2, w2));
const xb = tf.randomNormal([64, 128]); const wb = tf.randomNormal([128, 128]);
time('2-D block-diagonal 8 runs [64,128]·[128,128]', () => tf.matMul(xb, wb));
