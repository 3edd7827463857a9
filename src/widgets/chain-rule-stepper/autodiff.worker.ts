/**
 * Module worker that answers "what are the gradients for these settings?" with TF.js autodiff.
 * TF.js (core + cpu backend, no more) lives only in this worker's bundle, never in the page's.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { autodiffGradients } from './autodiff';
import type { ParamGradients, StepperSettings } from './types';

export type AutodiffRequest = { id: number; settings: StepperSettings };
export type AutodiffResponse =
  | { id: number; ok: true; gradients: ParamGradients; backend: string }
  | { id: number; ok: false; message: string };

const ready = tf.setBackend('cpu').then(() => tf.ready());

self.addEventListener('message', async (event: MessageEvent<AutodiffRequest>) => {
  const { id, settings } = event.data;
  let response: AutodiffResponse;
  try {
    await ready;
    response = { id, ok: true, gradients: autodiffGradients(settings), backend: tf.getBackend() };
  } catch (error) {
    response = { id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  (self as unknown as Worker).postMessage(response);
});
