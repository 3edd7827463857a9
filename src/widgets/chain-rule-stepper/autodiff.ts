/**
 * The stepper's loss written a second time, in TF.js, and differentiated by TF.js's own reverse-mode
 * autodiff (tf.grads). Nothing here is shared with math.ts, so agreement between the two is a real
 * check of the hand-derived chain rule. Imports tfjs-core only: the caller registers a backend
 * (autodiff.worker.ts in the browser, the cpu backend in the Node tests).
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core ships its gradient functions separately so bundles can leave them out; tf.grads needs them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { ParamGradients, StepperSettings } from './types';
import { PARAM_NAMES } from './types';

function hidden(kind: StepperSettings['activation'], z: tf.Tensor): tf.Tensor {
  return kind === 'sigmoid' ? tf.sigmoid(z) : tf.tanh(z);
}

/** ∂L/∂param for all nine parameters by tf.grads, as plain numbers (float32 precision). */
export function autodiffGradients(s: StepperSettings): ParamGradients {
  const x1 = s.x1;
  const x2 = s.x2;
  const lossOf = (w1: tf.Tensor, w2: tf.Tensor, b1: tf.Tensor, w3: tf.Tensor, w4: tf.Tensor, b2: tf.Tensor,
    w5: tf.Tensor, w6: tf.Tensor, b3: tf.Tensor): tf.Tensor => {
    const h1 = hidden(s.activation, tf.addN([tf.mul(w1, x1), tf.mul(w2, x2), b1]));
    const h2 = hidden(s.activation, tf.addN([tf.mul(w3, x1), tf.mul(w4, x2), b2]));
    const z3 = tf.addN([tf.mul(w5, h1), tf.mul(w6, h2), b3]);
    const yHat = s.output === 'sigmoid' ? tf.sigmoid(z3) : z3;
    return tf.mul(0.5, tf.square(tf.sub(yHat, s.y)));
  };
  return tf.tidy(() => {
    const params = PARAM_NAMES.map((name) => tf.scalar(s[name]));
    const gradientsOf = tf.grads(lossOf as (...args: tf.Tensor[]) => tf.Tensor);
    const gradients = gradientsOf(params).map((g) => g.dataSync()[0]);
    const result = {} as ParamGradients;
    PARAM_NAMES.forEach((name, i) => (result[name] = gradients[i]));
    return result;
  });
}
