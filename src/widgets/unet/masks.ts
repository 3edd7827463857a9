/**
 * What the live U-Net measures on its fixed test images, as pure functions on plain arrays (no
 * TF.js): intersection over union of the predicted and true masks, and accuracy on the pixels
 * at a shape's edge (where downsampling loses the detail that long skips bring back). Also the
 * snapshot the experiment posts, and its guard for the page.
 */

/** One evaluation of one network on the test images. */
export interface MaskEvaluation {
  step: number;
  /** |predicted ∩ true| / |predicted ∪ true| over every test pixel (a pixel is predicted when its logit > 0). */
  iou: number;
  /** Fraction of edge pixels (a 4-neighbour has the other label) classified correctly. */
  edgeAccuracy: number;
}

export interface UnetVariant {
  run: number;
  label: string;
  /** Levels whose long skip this network has (1 = full resolution); empty for the network without skips. */
  skipLevels: number[];
  evaluations: MaskEvaluation[];
  /** Probability per pixel of the shown test images at the latest evaluation, row-major. */
  masks: number[][];
  diverged: boolean;
}

export interface UnetSnapshot {
  imageSize: number;
  evalEvery: number;
  testImages: number;
  /** The first few test images and their true masks, row-major, shown beside the predictions. */
  shown: { images: number[][]; truth: number[][] };
  variants: UnetVariant[];
}

export function isUnetSnapshot(value: unknown): value is UnetSnapshot {
  return typeof value === 'object' && value !== null && 'variants' in value && 'shown' in value && Array.isArray((value as { variants: unknown }).variants);
}

/** IoU of logits (> 0 = inside) against 0/1 targets; 1 when both masks are empty. */
export function maskIoU(logits: ArrayLike<number>, targets: ArrayLike<number>): number {
  let intersection = 0;
  let union = 0;
  for (let i = 0; i < targets.length; i++) {
    const predicted = logits[i] > 0;
    const actual = targets[i] > 0.5;
    if (predicted && actual) intersection++;
    if (predicted || actual) union++;
  }
  return union === 0 ? 1 : intersection / union;
}

/** Indices of edge pixels of square masks stored one after another: a pixel whose 4-neighbour (in the same image) has the other label. */
export function edgePixels(targets: ArrayLike<number>, imageSize: number): number[] {
  const pixels = imageSize * imageSize;
  const edges: number[] = [];
  for (let i = 0; i < targets.length; i++) {
    const within = i % pixels;
    const x = within % imageSize;
    const y = Math.floor(within / imageSize);
    const label = targets[i] > 0.5;
    const differs = (dx: number, dy: number) => {
      const nx = x + dx;
      const ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= imageSize || ny >= imageSize) return false;
      return targets[i + dy * imageSize + dx] > 0.5 !== label;
    };
    if (differs(1, 0) || differs(-1, 0) || differs(0, 1) || differs(0, -1)) edges.push(i);
  }
  return edges;
}

/** Fraction of the given pixels whose logit is on the right side of 0. */
export function accuracyAt(logits: ArrayLike<number>, targets: ArrayLike<number>, pixels: readonly number[]): number {
  if (pixels.length === 0) return 1;
  let correct = 0;
  for (const i of pixels) if (logits[i] > 0 === targets[i] > 0.5) correct++;
  return correct / pixels.length;
}

/** The label of a network from its long skips, e.g. "long skips at levels 1 and 2 (concatenated)". */
export function variantLabel(skipLevels: readonly number[], join: 'concat' | 'add'): string {
  if (skipLevels.length === 0) return 'no long skips';
  const levels = skipLevels.length === 1 ? `level ${skipLevels[0]}` : `levels ${skipLevels.slice(0, -1).join(', ')} and ${skipLevels[skipLevels.length - 1]}`;
  return `long skip${skipLevels.length > 1 ? 's' : ''} at ${levels} (${join === 'concat' ? 'concatenated' : 'added'})`;
}

/** The latest evaluation of a variant, if any. */
export function latestEvaluation(variant: UnetVariant): MaskEvaluation | undefined {
  return variant.evaluations[variant.evaluations.length - 1];
}

/** One row per network for the CLI, the JSON export and the tests: final and best IoU, edge accuracy, and the IoU curve. */
export function summarizeVariants(snapshot: UnetSnapshot) {
  return snapshot.variants.map((variant) => {
    const last = latestEvaluation(variant);
    return {
      label: variant.label,
      skipLevels: variant.skipLevels,
      diverged: variant.diverged,
      finalStep: last?.step ?? 0,
      finalIoU: last?.iou ?? NaN,
      bestIoU: Math.max(...variant.evaluations.map((e) => e.iou)),
      finalEdgeAccuracy: last?.edgeAccuracy ?? NaN,
      iouByStep: variant.evaluations.map((e) => ({ step: e.step, iou: e.iou })),
    };
  });
}
