/**
 * Activation functions and losses, each defined once: values and derivatives on plain numbers.
 *
 * No TF.js here, so page code (the activation-derivatives widget, the chain-rule stepper) can use
 * the table; the engine's tensor versions (./tensor-functions.ts) are written beside it from the
 * same definitions and a unit test checks them against it, value by value.
 */
import type { Activation } from './types';

/** The logistic function, written so that neither branch overflows for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export interface ActivationFunction {
  /** How the course names it in prose and controls. */
  label: string;
  value(z: number): number;
  /** φ′(z). ReLU's slope at exactly 0 is taken as 0, as TF.js and PyTorch do (it is undefined there). */
  slope(z: number): number;
  /** φ′ written with the unit's output a = φ(z), as backprop uses it: σ′ = a(1 − a), tanh′ = 1 − a². */
  slopeFromOutput(a: number): number;
  /** The largest slope the function ever has: 1/4 for sigmoid, 1 for tanh, ReLU and linear. */
  maxSlope: number;
  /** Whether a unit can saturate (sit where its slope is a tiny fraction of maxSlope). */
  saturates: boolean;
  /** Whether a unit can die (output zero, slope zero, for every input it sees). */
  canDie: boolean;
}

export const ACTIVATION_FUNCTIONS: Readonly<Record<Activation, ActivationFunction>> = {
  sigmoid: {
    label: 'sigmoid',
    value: sigmoid,
    slope: (z) => {
      const s = sigmoid(z);
      return s * (1 - s);
    },
    slopeFromOutput: (a) => a * (1 - a),
    maxSlope: 0.25,
    saturates: true,
    canDie: false,
  },
  tanh: {
    label: 'tanh',
    value: Math.tanh,
    slope: (z) => {
      const t = Math.tanh(z);
      return 1 - t * t;
    },
    slopeFromOutput: (a) => 1 - a * a,
    maxSlope: 1,
    saturates: true,
    canDie: false,
  },
  relu: {
    label: 'ReLU',
    value: (z) => (z > 0 ? z : 0),
    slope: (z) => (z > 0 ? 1 : 0),
    slopeFromOutput: (a) => (a > 0 ? 1 : 0),
    maxSlope: 1,
    saturates: false,
    canDie: true,
  },
  linear: {
    label: 'linear',
    value: (z) => z,
    slope: () => 1,
    slopeFromOutput: () => 1,
    maxSlope: 1,
    saturates: false,
    canDie: false,
  },
};

/** A unit counts as saturated where its slope is under this fraction of the function's maxSlope. */
export const SATURATION_FRACTION = 0.05;

export type LossName = 'mse' | 'half-squared-error' | 'cross-entropy';

export interface LossFunction {
  label: string;
  /** The loss of one example from its outputs (logits, for cross-entropy) and targets. */
  value(outputs: readonly number[], targets: readonly number[]): number;
  /** ∂(loss of one example)/∂outputs. */
  gradient(outputs: readonly number[], targets: readonly number[]): number[];
  /**
   * The per-example gradient is `gradientFactor(outputCount)` × (prediction − target), where the
   * prediction is the output itself (squared errors) or softmax(outputs) (cross-entropy).
   */
  gradientFactor(outputCount: number): number;
}

function softmax(logits: readonly number[]): number[] {
  const top = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - top));
  const total = exps.reduce((sum, e) => sum + e, 0);
  return exps.map((e) => e / total);
}

const sumOver = (values: readonly number[], term: (value: number, index: number) => number) => values.reduce((sum, value, index) => sum + term(value, index), 0);

export const LOSS_FUNCTIONS: Readonly<Record<LossName, LossFunction>> = {
  /** Mean over the outputs of (y − t)²; the engine then averages over the batch. */
  mse: {
    label: 'mean squared error',
    value: (outputs, targets) => sumOver(outputs, (y, i) => (y - targets[i]) ** 2) / outputs.length,
    gradient: (outputs, targets) => outputs.map((y, i) => (2 / outputs.length) * (y - targets[i])),
    gradientFactor: (outputCount) => 2 / outputCount,
  },
  /** ½ Σ (y − t)²: the loss of hand-worked backprop, whose gradient is just y − t. */
  'half-squared-error': {
    label: 'half squared error',
    value: (outputs, targets) => 0.5 * sumOver(outputs, (y, i) => (y - targets[i]) ** 2),
    gradient: (outputs, targets) => outputs.map((y, i) => y - targets[i]),
    gradientFactor: () => 1,
  },
  /** −Σ t log softmax(z) over one-hot (or soft) targets. */
  'cross-entropy': {
    label: 'cross-entropy',
    value: (logits, targets) => {
      const top = Math.max(...logits);
      const logTotal = Math.log(sumOver(logits, (z) => Math.exp(z - top))) + top;
      return -sumOver(targets, (t, i) => (t === 0 ? 0 : t * (logits[i] - logTotal)));
    },
    gradient: (logits, targets) => softmax(logits).map((p, i) => p - targets[i]),
    gradientFactor: () => 1,
  },
};
