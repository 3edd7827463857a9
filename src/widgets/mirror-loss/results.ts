/** The mirror-loss experiment's snapshot (plain data, shared by the view, checks and CLI). */
import type { Landscape } from './math';

export interface MirrorSnapshot {
  landscape: Landscape;
  /** Gradient-descent path so far: (w₁, w₂) after each step, the start first. */
  path: [number, number][];
  /** The best point on the mirror line, and the loss's curvature across the line there. */
  lineBest: { w: number; loss: number; curvatureAcross: number };
}

export function isMirrorSnapshot(value: unknown): value is MirrorSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const snapshot = value as Partial<MirrorSnapshot>;
  return Array.isArray(snapshot.path) && typeof snapshot.lineBest === 'object';
}

/** Largest |w₁ − w₂| along a path: 0 means it never left the mirror line. */
export function largestDistanceFromLine(path: readonly [number, number][]): number {
  return path.reduce((largest, [w1, w2]) => Math.max(largest, Math.abs(w1 - w2) / Math.SQRT2), 0);
}
