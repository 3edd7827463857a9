/**
 * Plain-data types of the chain-rule stepper: its settings, the values and gradients of its
 * little network, and the snapshot it publishes in WidgetState.snapshot (see README.md).
 * No DOM, no TF.js: exercise checks (challenges.ts) and tests import these freely.
 */

/** Hidden-unit activation the reader can choose. */
export type HiddenActivation = 'sigmoid' | 'tanh';
/** Output unit: linear (ŷ = z3) or sigmoid (ŷ = σ(z3)). */
export type OutputActivation = 'linear' | 'sigmoid';

/** Every weight and bias, in the order the gradient table lists them. */
export const PARAM_NAMES = ['w1', 'w2', 'b1', 'w3', 'w4', 'b2', 'w5', 'w6', 'b3'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

/** The numbers the reader can edit: the two inputs, the target and the nine parameters. */
export const NUMBER_SETTING_NAMES = ['x1', 'x2', 'y', ...PARAM_NAMES] as const;
export type NumberSettingName = (typeof NUMBER_SETTING_NAMES)[number];

/** The stepper's settings (WidgetState.settings). */
export type StepperSettings = Record<NumberSettingName, number> & {
  activation: HiddenActivation;
  output: OutputActivation;
};

/**
 * Forward values. z3 is the output unit's weighted sum; with a linear output yHat === z3.
 */
export interface ForwardValues {
  z1: number;
  h1: number;
  z2: number;
  h2: number;
  z3: number;
  yHat: number;
  loss: number;
}

/** ∂L/∂(node) for every inner node. With a linear output, z3 === yHat. */
export interface NodeGradients {
  yHat: number;
  z3: number;
  h1: number;
  h2: number;
  z1: number;
  z2: number;
}

export type ParamGradients = Record<ParamName, number>;

/** Where the stepper is: before the first step, inside a pass, or after the last backward step. */
export type StepperPhase = 'start' | 'forward' | 'backward' | 'done';

/**
 * Step ids. Forward steps are named by the node they compute ('forward:h1'), backward steps by
 * the quantity whose gradient they compute ('backward:h1' is ∂L/∂h1, 'backward:w1' is ∂L/∂w1).
 * 'forward:z3' and 'backward:z3' exist only with a sigmoid output.
 */
export type StepId = `forward:${keyof ForwardValues}` | `backward:${keyof NodeGradients | ParamName}`;

/** TF.js autodiff's answer for the current settings, compared with the hand-derived gradients. */
export interface AutodiffComparison {
  /** ∂L/∂param from tf.grads (float32, cpu backend, in a worker). */
  gradients: ParamGradients;
  /** Largest |hand − tfjs| / max(|hand|, |tfjs|) over the nine parameters (0 when both are 0). */
  maxRelativeDifference: number;
  /** True when every parameter agrees within float32 precision (see math.ts, gradientsAgree). */
  agree: boolean;
}

/** WidgetState.snapshot of the chain-rule stepper. README.md documents every field. */
export interface StepperSnapshot {
  phase: StepperPhase;
  /** Steps completed: 0 before the first step, totalSteps after the last backward step. */
  stepIndex: number;
  totalSteps: number;
  /** Number of forward steps (the backward pass starts at stepIndex forwardSteps + 1). */
  forwardSteps: number;
  /** Ids of the completed steps, in order (length === stepIndex). */
  completed: StepId[];
  /** The step just completed (the one highlighted), or null at the start. */
  current: { id: StepId; phase: 'forward' | 'backward'; text: string } | null;
  /** Forward values for the current settings (always complete, whatever the step). */
  values: ForwardValues;
  /** ∂L/∂node for the current settings (always complete). */
  nodeGradients: NodeGradients;
  /** ∂L/∂param derived by hand with the chain rule (always complete). */
  gradients: ParamGradients;
  /** Present once the TF.js worker has answered for exactly the current settings. */
  autodiff?: AutodiffComparison;
}
