/**
 * The transformer ablation's snapshot and its summary. Pure, no TF.js: the view, the exercise
 * checks and the CLI summary share it.
 */

export const ABLATION_LENGTH = 8;
export const ABLATION_VOCAB = 10;

/** One model's measurements at the last evaluation. */
export interface AblationModelResult {
  run: number;
  label: string;
  /** Held-out cross-entropy and token accuracy. */
  loss: number;
  accuracy: number;
  /**
   * Dong et al.'s rank-collapse measure of the token representations, mean over held-out
   * sequences: after the embedding (and positions), then after each block. 0 = all tokens equal.
   */
  collapse: number[];
  /** The same measure at initialisation, before any training. */
  collapseAtInit: number[];
  /** Permutation test on one held-out sequence (see PermutationTest). */
  permutation: PermutationTest;
}

/**
 * Shuffle the input; if the model is blind to order, its outputs are the unshuffled outputs
 * shuffled the same way. `mismatch` = max |f(πx) − π f(x)| over logits, relative to max |f(x)|.
 */
export interface PermutationTest {
  input: number[];
  order: number[];
  shuffled: number[];
  output: number[];
  shuffledOutput: number[];
  mismatch: number;
}

export interface AblationSnapshot {
  comparison: string;
  step: number;
  models: AblationModelResult[];
}

export function isAblationSnapshot(value: unknown): value is AblationSnapshot {
  return typeof value === 'object' && value !== null && 'comparison' in value && 'models' in value;
}

/** Outputs that follow a shuffle within this relative tolerance count as permutation-equivariant. */
export const EQUIVARIANCE_TOLERANCE = 1e-4;

export function summarizeAblation(snapshot: AblationSnapshot) {
  return snapshot.models.map((m) => ({
    model: m.label,
    step: snapshot.step,
    heldOutLoss: m.loss,
    heldOutAccuracy: m.accuracy,
    collapseByLayer: m.collapse,
    collapseAtInitByLayer: m.collapseAtInit,
    permutationMismatch: m.permutation.mismatch,
    permutationEquivariant: m.permutation.mismatch < EQUIVARIANCE_TOLERANCE,
  }));
}
