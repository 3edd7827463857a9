/**
 * Backend for the browser worker: wasm (SIMD) where it loads, else the cpu backend, with the
 * reason. WebGL is not used: on machines without a GPU it runs on SwiftShader (~40 steps/s
 * measured here for the reference net, against ~430 for wasm), and even with a GPU these tiny
 * networks are bound by per-kernel overhead, where wasm wins.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// Vite emits the binaries as assets and gives their URLs; Chromium fetches only the SIMD one.
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export interface BackendChoice {
  backend: string;
  /** Why the preferred backend is not used, in plain language. */
  fallbackReason?: string;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function initBrowserBackend(preferred: 'wasm' | 'cpu' = 'wasm'): Promise<BackendChoice> {
  tf.env().set('PROD', true);
  if (preferred === 'wasm') {
    try {
      setWasmPaths({
        'tfjs-backend-wasm.wasm': wasmUrl,
        'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
        'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
      });
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return { backend: 'wasm' };
      }
      return fallBackToCpu('the WebAssembly backend could not start in this browser');
    } catch (error) {
      return fallBackToCpu(`the WebAssembly backend failed to load (${describeError(error)})`);
    }
  }
  return fallBackToCpu('the WebAssembly backend was turned off');
}

export async function fallBackToCpu(reason: string): Promise<BackendChoice> {
  await tf.setBackend('cpu');
  await tf.ready();
  return { backend: 'cpu', fallbackReason: `Training on the slower JavaScript backend because ${reason}.` };
}
