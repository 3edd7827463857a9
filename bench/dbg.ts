import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '../src/engine/backend-node';
import { backward, createParameters, forward, perRunLoss, resolveArchitecture } from '../src/engine/mlp';
import { makeDataset } from '../src/engine/datasets';
await initNodeBackend();
const arch = resolveArchitecture({ inputSize: 2, outputSize: 2, depth: 4, width: 4, activation: 'tanh', init: 'glorot', initScale: 1.5, norm: 'layer', skip: 'residual', seed: 1 }, { dataset: 'circles', loss: 'cross-entropy', optimizer: 'sgd', learningRate: 0.1, batchSize: 6 });
const params = createParameters(arch, [11, 12]);
const data = makeDataset('circles', 12, 3);
const inputs = tf.tensor3d(data.inputs, [2, 6, 2]); const targets = tf.tensor3d(data.targets, [2, 6, 2]);
const loss = (ps: tf.Tensor[]) => tf.tidy(() => Array.from(perRunLoss(arch.loss, forward(arch, ps, inputs).logits, targets).dataSync()).reduce((a, b) => a + b, 0));
const g = tf.tidy(() => backward(arch, params, forward(arch, params, inputs), targets).map((t) => t.dataSync().slice()));
const idx = 1, entry = 4;
const vals = params[idx].dataSync().slice();
for (const eps of [1e-1, 1e-2, 3e-3, 1e-3, 3e-4]) {
  const f = (d: number) => { const c = vals.slice(); c[entry] += d; const t = tf.tensor3d(c, params[idx].shape as any); const r = loss(params.map((p, i) => i === idx ? t : p)); t.dispose(); return r; };
  console.log(eps, (f(eps) - f(-eps)) / (2 * eps), 'fwd', (f(eps)-f(0))/eps, 'bwd', (f(0)-f(-eps))/eps);
}
console.log('analytic', g[idx][entry], params[idx].shape);
const pre = tf.tidy(() => forward(arch, params, inputs).activations.map(a => Array.from(a.dataSync()).map(v=>v.toFixed(3)).join(' ')));
console.log(pre);
