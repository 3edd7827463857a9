/**
 * Backend for Node (CLI, unit tests): TF.js's plain-JavaScript cpu backend, no native add-on.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

export async function initNodeBackend(): Promise<string> {
  // PROD silences tfjs's "install tfjs-node" hint, which would pollute the CLI's stdout/stderr.
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  await tf.ready();
  return tf.getBackend();
}
