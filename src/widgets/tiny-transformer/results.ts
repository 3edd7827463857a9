/**
 * The tiny transformer's snapshot and its summary. Pure, no TF.js: the view, the exercise checks
 * and the CLI summary share it.
 */
import type { TransformerShape } from '../../engine/attention-math';

export const SEQUENCE_LENGTH = 8;
export const VOCAB_SIZE = 10;
export const MODEL_WIDTH = 32;
export const HELD_OUT_SIZE = 512;

export interface HeldOutPoint {
  step: number;
  loss: number;
  /** Share of output tokens right on sequences never trained on. */
  accuracy: number;
}

export interface TinyTransformerSnapshot {
  task: string;
  shape: TransformerShape;
  /** Held-out loss and token accuracy every few steps, from step 0. */
  heldOut: HeldOutPoint[];
  /** The parameters at the last held-out evaluation, by name, so the page can run any input (attention-math.ts). */
  parameters: Record<string, number[]>;
  /** A held-out sequence the charts show before the reader types one. */
  probe: number[];
}

export function isTinyTransformerSnapshot(value: unknown): value is TinyTransformerSnapshot {
  return typeof value === 'object' && value !== null && 'heldOut' in value && 'parameters' in value && 'shape' in value;
}

/** The expected output of a task for one input sequence. */
export function taskAnswer(task: string, tokens: readonly number[]): number[] {
  if (task === 'reverse') return [...tokens].reverse();
  if (task === 'sort') return [...tokens].sort((a, b) => a - b);
  return [...tokens];
}

/** The first held-out evaluation at or above the accuracy, or undefined. */
export function firstStepReaching(snapshot: TinyTransformerSnapshot, accuracy: number): number | undefined {
  return snapshot.heldOut.find((point) => point.accuracy >= accuracy)?.step;
}

export function summarizeTinyTransformer(snapshot: TinyTransformerSnapshot): { step: number; heldOutLoss: number; heldOutAccuracy: number; stepTo95: number | null } | undefined {
  const last = snapshot.heldOut.at(-1);
  if (!last) return undefined;
  return { step: last.step, heldOutLoss: last.loss, heldOutAccuracy: last.accuracy, stepTo95: firstStepReaching(snapshot, 0.95) ?? null };
}

/** Parses "3 1 4 1 5 9 2 6" or "31415926" into digits; a message when it is not 8 digits. */
export function parseDigits(text: string): { tokens: number[] } | { problem: string } {
  const digits = text.replace(/[\s,]+/g, '');
  if (!/^\d*$/.test(digits)) return { problem: 'Use the digits 0 to 9 only.' };
  if (digits.length !== SEQUENCE_LENGTH) return { problem: `Type exactly ${SEQUENCE_LENGTH} digits (you typed ${digits.length}).` };
  return { tokens: [...digits].map(Number) };
}
