/**
 * Backends for Node (CLI, unit tests), no native add-on: TF.js's plain-JavaScript cpu backend
 * (the default: what the unit tests use) or wasm (the CLI's default: much faster on deep nets,
 * single-threaded like Chromium without cross-origin isolation). Falls back to cpu if wasm fails.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

export async function initNodeBackend(backend: 'cpu' | 'wasm' = 'cpu'): Promise<string> {
  // PROD silences tfjs's "install tfjs-node" hint, which would pollute the CLI's stdout/stderr.
  tf.env().set('PROD', true);
  if (backend === 'wasm') {
    try {
      const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
      const wasmEntry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
      setWasmPaths(`${dirname(wasmEntry)}/`);
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return tf.getBackend();
      }
    } catch {
      // Fall through to cpu.
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return tf.getBackend();
}
