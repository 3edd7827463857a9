/**
 * Evaluation of given parameters, without training: the loss (and accuracy) of R parameter sets
 * of one MLP architecture on a whole data set, in one batched forward pass. Loss landscapes
 * (many perturbed copies of trained weights) and lesion studies (trained weights with layers
 * removed) are built on it.
 *
 * Batch norm uses the statistics of the evaluated data set itself (the engine keeps no running
 * averages), so a data set of a few hundred points gives stable statistics.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from './datasets';
import { forward, paramLayout, type Architecture } from './mlp';
import { perRunLoss } from './tensor-functions';

export interface Evaluation {
  /** Mean loss of each parameter set over the data set. */
  losses: Float32Array;
  /** Fraction classified correctly, per parameter set (classification data sets only). */
  accuracies?: Float32Array;
}

/** Checks that `params` are R stacked parameter sets in the architecture's layout; returns R. */
function parameterSetCount(architecture: Architecture, params: readonly tf.Tensor3D[]): number {
  const { shapes } = paramLayout(architecture);
  if (params.length !== shapes.length) throw new Error(`expected ${shapes.length} parameter tensors, got ${params.length}`);
  const runs = params[0].shape[0];
  params.forEach((p, i) => {
    if (p.shape[0] !== runs || p.shape[1] !== shapes[i][0] || p.shape[2] !== shapes[i][1]) {
      throw new Error(`parameter tensor ${i} has shape [${p.shape}], expected [${runs}, ${shapes[i]}]`);
    }
  });
  return runs;
}

/**
 * Loss and accuracy of every parameter set on every example of `dataset`. `params` are the
 * architecture's parameter tensors with a leading axis of R sets (as createParameters makes them);
 * `removedLayers` deletes hidden layers at test time (see forward). The caller keeps ownership of
 * `params`; nothing else is left allocated.
 */
export function evaluateParameters(
  architecture: Architecture,
  params: readonly tf.Tensor3D[],
  dataset: Dataset,
  removedLayers?: ReadonlySet<number>,
): Evaluation {
  const runs = parameterSetCount(architecture, params);
  if (dataset.inputSize !== architecture.inputSize || dataset.outputSize !== architecture.outputSize) {
    throw new Error(`data set "${dataset.name}" has ${dataset.inputSize} inputs and ${dataset.outputSize} outputs; the network expects ${architecture.inputSize} and ${architecture.outputSize}`);
  }
  const [losses, accuracies] = tf.tidy(() => {
    // One copy of the data per parameter set: batched matMul needs equal leading axes.
    const inputs = tf.tile(tf.tensor3d(dataset.inputs, [1, dataset.size, dataset.inputSize]), [runs, 1, 1]) as tf.Tensor3D;
    const targets = tf.tile(tf.tensor3d(dataset.targets, [1, dataset.size, dataset.outputSize]), [runs, 1, 1]) as tf.Tensor3D;
    const { logits } = forward(architecture, params, inputs, removedLayers);
    const loss = perRunLoss(architecture.loss, logits, targets);
    const accuracy = dataset.task === 'classification' ? tf.mean(tf.cast(tf.equal(tf.argMax(logits, 2), tf.argMax(targets, 2)), 'float32'), 1) : undefined;
    return [loss.dataSync() as Float32Array, accuracy?.dataSync() as Float32Array | undefined];
  });
  return accuracies ? { losses, accuracies } : { losses };
}

/** Stacks R parameter sets (each a list of flat arrays in layout order) into tensors [R, rows, cols]. The caller owns them. */
export function stackParameterSets(architecture: Architecture, sets: readonly (readonly Float32Array[])[]): tf.Tensor3D[] {
  const { shapes } = paramLayout(architecture);
  return shapes.map(([rows, cols], index) => {
    const size = rows * cols;
    const joined = new Float32Array(size * sets.length);
    sets.forEach((set, r) => joined.set(set[index], r * size));
    return tf.tensor3d(joined, [sets.length, rows, cols]);
  });
}
