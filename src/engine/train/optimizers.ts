/**
 * SGD, momentum and Adam, for every model: the MLP fast path (parameters with a leading runs axis,
 * one learning rate per run) and graph models (one run, named layers of tf.Variables or tensors).
 *
 * ```ts
 * const parameters = new FlatParameters(model.parameterShapes);          // or with a runs axis
 * const optimizer = new Optimizer({ optimizer: 'adam' }, parameters.flatShape);
 * // inside tf.tidy, each step:
 * const update = optimizer.update(parameters.flatten(gradients), learningRate, step);
 * const next = parameters.unflatten(update).map((delta, i) => tf.sub(params[i], delta));
 * ```
 *
 * The optimiser works on one flat tensor of all parameters ([P], or [R, P] with runs): the same
 * arithmetic per element as tensor by tensor (so the same numbers), in a fixed handful of kernel
 * calls however many tensors the model has. At these sizes the number of calls is the cost.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Optimizer as OptimizerName } from '../types';

export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-7;
export const DEFAULT_MOMENTUM = 0.9;

export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['sgd', 'momentum', 'adam'];

/** Why `name` is not an optimiser, or undefined when it is one. */
export function optimizerProblem(name: unknown): string | undefined {
  return OPTIMIZER_NAMES.some((known) => known === name) ? undefined : `unknown optimizer ${JSON.stringify(name)}; known: ${OPTIMIZER_NAMES.join(', ')}`;
}

export interface OptimizerConfig {
  optimizer: OptimizerName;
  /** Momentum coefficient (optimizer 'momentum'); default 0.9. */
  momentum?: number;
}

/** The shapes of a model's parameter tensors, and how they map to and from one flat tensor. */
export class FlatParameters {
  /** Floats per run in each tensor, in parameter order. */
  readonly sizes: readonly number[];
  readonly shapes: readonly (readonly number[])[];
  /** [P], or [R, P] when `runs` is given (a leading runs axis on every tensor). */
  readonly flatShape: number[];
  private readonly runs?: number;

  constructor(shapes: readonly (readonly number[])[], runs?: number) {
    this.shapes = shapes;
    this.runs = runs;
    // With a runs axis, each tensor's shape starts with R: the per-run size is the rest.
    this.sizes = shapes.map((shape) => (runs === undefined ? shape : shape.slice(1)).reduce((a, b) => a * b, 1));
    const total = this.sizes.reduce((a, b) => a + b, 0);
    this.flatShape = runs === undefined ? [total] : [runs, total];
  }

  /** Tensors in parameter order → one flat tensor. Call inside tf.tidy. */
  flatten(tensors: readonly tf.Tensor[]): tf.Tensor {
    const parts = tensors.map((t) => (this.runs === undefined ? tf.reshape(t, [-1]) : tf.reshape(t, [this.runs, -1])));
    return parts.length === 1 ? parts[0] : tf.concat(parts, this.runs === undefined ? 0 : 1);
  }

  /** One flat tensor → tensors of the parameters' shapes. Call inside tf.tidy. */
  unflatten(flat: tf.Tensor): tf.Tensor[] {
    const parts = tf.split(flat, [...this.sizes], this.runs === undefined ? 0 : 1);
    return parts.map((part, i) => tf.reshape(part, [...this.shapes[i]]));
  }
}

/**
 * One optimiser's state (momentum velocity, Adam's moments) over a flat parameter tensor. It owns
 * its state tensors: `update` replaces them (keeping the new ones past the caller's tf.tidy).
 */
export class Optimizer {
  readonly kind: OptimizerName;
  private readonly momentum: number;
  private firstMoment?: tf.Tensor;
  private secondMoment?: tf.Tensor;

  constructor(config: OptimizerConfig, flatShape: readonly number[]) {
    const problem = optimizerProblem(config.optimizer);
    if (problem) throw new Error(problem);
    this.kind = config.optimizer;
    this.momentum = config.momentum ?? DEFAULT_MOMENTUM;
    if (this.kind !== 'sgd') this.firstMoment = tf.keep(tf.zeros([...flatShape]));
    if (this.kind === 'adam') this.secondMoment = tf.keep(tf.zeros([...flatShape]));
  }

  /**
   * Plain SGD's update is learning rate × gradient and it keeps no state: a model whose backward
   * pass can fold the learning rate into its loss gradient may use that as the update directly.
   */
  get isPlainSgd(): boolean {
    return this.kind === 'sgd';
  }

  /**
   * The update to subtract from the flat parameters, for step `step` (1-based). `learningRate`
   * is a number, or a tensor that broadcasts against the gradient (e.g. [R, 1] per run).
   * Call inside tf.tidy; the optimiser keeps its new state and frees the old.
   */
  update(gradient: tf.Tensor, learningRate: number | tf.Tensor, step: number): tf.Tensor {
    if (this.kind === 'sgd') return tf.mul(gradient, learningRate);
    if (this.kind === 'momentum') {
      const velocity = tf.add(tf.mul(this.firstMoment!, this.momentum), gradient);
      this.replace(velocity);
      return tf.mul(velocity, learningRate);
    }
    const firstMoment = tf.add(tf.mul(this.firstMoment!, ADAM_BETA1), tf.mul(gradient, 1 - ADAM_BETA1));
    const secondMoment = tf.add(tf.mul(this.secondMoment!, ADAM_BETA2), tf.mul(tf.square(gradient), 1 - ADAM_BETA2));
    this.replace(firstMoment, secondMoment);
    // Bias correction folded into the step size (Kingma & Ba 2015, end of Section 2).
    const correction = Math.sqrt(1 - ADAM_BETA2 ** step) / (1 - ADAM_BETA1 ** step);
    const stepSize = typeof learningRate === 'number' ? learningRate * correction : tf.mul(learningRate, correction);
    return tf.mul(stepSize, tf.div(firstMoment, tf.add(tf.sqrt(secondMoment), ADAM_EPSILON)));
  }

  /** Keeps the state of the given runs only (rows of the leading runs axis), e.g. after others diverged. */
  keepRuns(rows: tf.Tensor1D): void {
    const gather = (t: tf.Tensor | undefined) => (t ? tf.keep(tf.gather(t, rows)) : undefined);
    const [first, second] = [gather(this.firstMoment), gather(this.secondMoment)];
    this.firstMoment?.dispose();
    this.secondMoment?.dispose();
    this.firstMoment = first;
    this.secondMoment = second;
  }

  dispose(): void {
    this.firstMoment?.dispose();
    this.secondMoment?.dispose();
    this.firstMoment = undefined;
    this.secondMoment = undefined;
  }

  private replace(first: tf.Tensor, second?: tf.Tensor): void {
    this.firstMoment?.dispose();
    this.firstMoment = tf.keep(first);
    if (second) {
      this.secondMoment?.dispose();
      this.secondMoment = tf.keep(second);
    }
  }
}
