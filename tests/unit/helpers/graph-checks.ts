/**
 * Shared checks for graph-model tests: autodiff gradients against central finite differences of
 * the loss, and small seeded data sets of any shape.
 */
import { expect } from 'vitest';
import { GraphModel, type ModelSpec } from '../../../src/engine/models/graph';
import { leadingBatch, exampleSize, type TensorDataset } from '../../../src/engine/data/tensor-dataset';
import { createRandom } from '../../../src/engine/random';

/** Random inputs in [-1, 1] (or token ids below `vocab`) and targets fitting the loss. */
export function randomData(inputShape: number[], targetShape: number[], size: number, seed: number, options: { vocab?: number; task?: TensorDataset['task'] } = {}): TensorDataset {
  const random = createRandom(seed);
  const inputCount = size * exampleSize(inputShape);
  const inputs = options.vocab ? Int32Array.from({ length: inputCount }, () => random.int(options.vocab!)) : Float32Array.from({ length: inputCount }, () => random.next() * 2 - 1);
  const classes = targetShape[targetShape.length - 1];
  const targets = new Float32Array(size * exampleSize(targetShape));
  // One-hot rows on the last axis: fits cross-entropy, and MSE and binary cross-entropy as well.
  for (let row = 0; row < targets.length / classes; row++) targets[row * classes + random.int(classes)] = 1;
  return { name: 'random', task: options.task ?? 'classification', size, inputShape, inputs, targetShape, targets };
}

/**
 * Compares the model's autodiff gradients with central differences of its loss on one fixed batch
 * (every example at once, in training mode: batch statistics, the same dropout mask). Checks a
 * spread of entries of every parameter (or only those named in `only`).
 */
export function checkGradientsByFiniteDifferences(spec: ModelSpec, data: TensorDataset, seed = 3, only?: (name: string) => boolean, epsilon = 1e-3): void {
  const model = new GraphModel(spec, seed);
  try {
    const { gradients } = model.lossAndGradients(leadingBatch(data));
    const flat = model.getFlatParameters();
    const lossAt = (values: Float32Array) => model.evaluate(data, { parameters: values, training: true, chunkSize: data.size }).loss;
    let offset = 0;
    let checked = 0;
    model.parameterNames.forEach((name, index) => {
      const size = gradients[index].length;
      if (!only || only(name)) {
        const stride = Math.max(1, Math.floor(size / 12));
        for (let entry = 0; entry < size; entry += stride) {
          const at = (delta: number) => {
            const copy = flat.slice();
            copy[offset + entry] += delta;
            return lossAt(copy);
          };
          const [up, down] = [at(epsilon), at(-epsilon)];
          const central = (up - down) / (2 * epsilon);
          const exact = gradients[index][entry];
          // float32 forward passes: the loss carries ~1e-7 relative error, divided by ε.
          expect(Math.abs(exact - central), `${name}[${entry}]: autodiff ${exact}, finite difference ${central}`).toBeLessThan(2e-3 + 2e-2 * Math.abs(central));
          checked++;
        }
      }
      offset += size;
    });
    expect(checked).toBeGreaterThan(10);
    // A gradient that is zero everywhere would prove nothing.
    expect(gradients.some((g) => g.some((v) => Math.abs(v) > 1e-3))).toBe(true);
  } finally {
    model.dispose();
  }
}
