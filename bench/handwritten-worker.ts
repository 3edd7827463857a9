/// <reference lib="webworker" />
/**
 * A straightforward hand-written Float32Array implementation of the reference network (forward,
 * backward, SGD), the yardstick for the engine's per-step overhead. Same data, same batch size.
 */
import { makeDataset } from '../src/engine/datasets';
import { createRandom } from '../src/engine/random';
import { REFERENCE, type BenchRequest, type BenchResult } from './reference';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function train(request: BenchRequest): BenchResult {
  const { depth, width, batchSize: batch, learningRate } = REFERENCE;
  const sizes = [2, ...Array(depth).fill(width), 1] as number[];
  const layers = sizes.length - 1;
  const random = createRandom(1);
  const weights = Array.from({ length: layers }, (_, l) => {
    const w = new Float32Array(sizes[l] * sizes[l + 1]);
    const std = Math.sqrt(2 / (sizes[l] + sizes[l + 1]));
    for (let i = 0; i < w.length; i++) w[i] = std * random.normal();
    return w;
  });
  const biases = Array.from({ length: layers }, (_, l) => new Float32Array(sizes[l + 1]));
  const gradW = weights.map((w) => new Float32Array(w.length));
  const gradB = biases.map((b) => new Float32Array(b.length));
  // Activations per layer, batch × size, row-major; acts[0] is the input batch.
  const acts = sizes.map((size) => new Float32Array(batch * size));
  const deltas = sizes.map((size) => new Float32Array(batch * size));
  const data = makeDataset('regression-2d', 512, 1);
  const batchRandom = createRandom(2);

  const step = (): number => {
    for (let i = 0; i < batch; i++) {
      const example = batchRandom.int(data.size);
      acts[0][i * 2] = data.inputs[example * 2];
      acts[0][i * 2 + 1] = data.inputs[example * 2 + 1];
      deltas[layers][i] = data.targets[example];
    }
    for (let l = 0; l < layers; l++) {
      const [n, m] = [sizes[l], sizes[l + 1]];
      const input = acts[l];
      const output = acts[l + 1];
      const w = weights[l];
      const b = biases[l];
      const hidden = l < layers - 1;
      for (let i = 0; i < batch; i++) {
        for (let j = 0; j < m; j++) {
          let sum = b[j];
          for (let k = 0; k < n; k++) sum += input[i * n + k] * w[k * m + j];
          output[i * m + j] = hidden ? Math.tanh(sum) : sum;
        }
      }
    }
    // MSE loss and its gradient (the targets were parked in the output delta buffer).
    let loss = 0;
    const out = acts[layers];
    const dOut = deltas[layers];
    for (let i = 0; i < batch; i++) {
      const diff = out[i] - dOut[i];
      loss += diff * diff;
      dOut[i] = (2 * diff) / batch;
    }
    for (let l = layers - 1; l >= 0; l--) {
      const [n, m] = [sizes[l], sizes[l + 1]];
      const input = acts[l];
      const delta = deltas[l + 1];
      const w = weights[l];
      const gw = gradW[l];
      const gb = gradB[l];
      gw.fill(0);
      gb.fill(0);
      for (let i = 0; i < batch; i++) {
        for (let j = 0; j < m; j++) {
          const d = delta[i * m + j];
          gb[j] += d;
          for (let k = 0; k < n; k++) gw[k * m + j] += input[i * n + k] * d;
        }
      }
      if (l > 0) {
        const dInput = deltas[l];
        for (let i = 0; i < batch; i++) {
          for (let k = 0; k < n; k++) {
            let sum = 0;
            for (let j = 0; j < m; j++) sum += delta[i * m + j] * w[k * m + j];
            const a = input[i * n + k];
            dInput[i * n + k] = sum * (1 - a * a);
          }
        }
      }
      for (let i = 0; i < w.length; i++) w[i] -= learningRate * gw[i];
      for (let j = 0; j < m; j++) biases[l][j] -= learningRate * gb[j];
    }
    return loss / batch;
  };

  for (let i = 0; i < 50; i++) step();
  let steps = 0;
  let loss = NaN;
  const started = performance.now();
  while (performance.now() - started < request.seconds * 1000) {
    for (let r = 0; r < request.runs; r++) loss = step();
    steps++;
  }
  const elapsed = (performance.now() - started) / 1000;
  return { name: 'hand-written', backend: 'Float32Array', ...request, stepsPerSecond: steps / elapsed, steps, finalLoss: loss };
}

scope.onmessage = (event: MessageEvent<BenchRequest>) => scope.postMessage(train(event.data));
