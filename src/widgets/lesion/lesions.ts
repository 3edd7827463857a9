/**
 * The pure parts of the lesion study: the snapshot the experiment reports and the numbers read
 * from it. No TF.js: the view, the exercise checks, the CLI summary and the tests share them.
 */

/** Test loss and accuracy of a network, whole or with one layer deleted. */
export interface LesionScore {
  loss: number;
  accuracy: number;
}

export interface LesionDeletion extends LesionScore {
  /** The deleted hidden layer (residual: the block it closes), 1-based counting from the input side. */
  layer: number;
}

export interface LesionNetwork {
  run: number;
  label: string;
  skip: 'none' | 'residual';
  /** The whole network, nothing deleted. */
  intact?: LesionScore;
  /** One entry per deletable layer (layers 2 to depth), in order. */
  deletions: LesionDeletion[];
  /** The network diverged while training: nothing to delete. */
  diverged?: boolean;
}

export interface LesionSnapshot {
  phase: 'training' | 'done';
  trainSteps: number;
  trainedSteps: number;
  /** Size of the held-out test set the scores are measured on. */
  testSize: number;
  networks: LesionNetwork[];
}

export function isLesionSnapshot(value: unknown): value is LesionSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<LesionSnapshot>;
  return typeof candidate.phase === 'string' && Array.isArray(candidate.networks);
}

export function networkName(skip: string): 'plain' | 'residual' {
  return skip === 'residual' ? 'residual' : 'plain';
}

/** Mean, lowest and highest test accuracy over the single deletions, and the mean drop from the intact network. */
export interface LesionSummary {
  skip: 'none' | 'residual';
  intactAccuracy: number;
  meanAccuracy: number;
  worstAccuracy: number;
  worstLayer: number;
  bestAccuracy: number;
  /** intactAccuracy − meanAccuracy. */
  meanDrop: number;
}

export function summarizeLesions(network: LesionNetwork): LesionSummary | undefined {
  if (!network.intact || network.deletions.length === 0) return undefined;
  const accuracies = network.deletions.map((d) => d.accuracy);
  const meanAccuracy = accuracies.reduce((sum, a) => sum + a, 0) / accuracies.length;
  const worst = network.deletions.reduce((low, d) => (d.accuracy < low.accuracy ? d : low));
  return {
    skip: network.skip,
    intactAccuracy: network.intact.accuracy,
    meanAccuracy,
    worstAccuracy: worst.accuracy,
    worstLayer: worst.layer,
    bestAccuracy: Math.max(...accuracies),
    meanDrop: network.intact.accuracy - meanAccuracy,
  };
}

/** "87%". */
export function percent(fraction: number): string {
  return Number.isFinite(fraction) ? `${Math.round(fraction * 100)}%` : '–';
}
