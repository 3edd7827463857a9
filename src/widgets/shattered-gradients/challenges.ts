/**
 * Measures on the shattered-gradients widget's state, for chapter 3's exercises. Pure functions of
 * WidgetState: they read the widget's snapshot (the gradients it computed), nothing else.
 */
import type { WidgetState } from '../../engine/types';
import { isShatteredSnapshot, type ShatteredSkip, type ShatteredSnapshot } from './correlation';

export interface CheckResult {
  met: boolean;
  message: string;
}

export interface MeasureResult {
  value: number | string;
  text: string;
}

/** Correlation below which neighbouring gradients count as mostly unrelated. */
export const HALF_CORRELATION = 0.5;

/** Shallowest measured depth at which the correlation of `skip` networks is below HALF_CORRELATION. */
export function firstDepthBelowHalf(snapshot: ShatteredSnapshot, skip: ShatteredSkip): number | undefined {
  return snapshot.correlations
    .filter((c) => c.skip === skip)
    .sort((a, b) => a.depth - b.depth)
    .find((c) => c.correlation < HALF_CORRELATION)?.depth;
}

/** Buckets a depth into the ranges the prediction exercise offers. */
export function depthRange(depth: number | undefined): 'up-to-4' | '5-to-16' | '17-to-50' | 'never' {
  if (depth === undefined) return 'never';
  if (depth <= 4) return 'up-to-4';
  if (depth <= 16) return '5-to-16';
  return '17-to-50';
}

function describe(skip: ShatteredSkip, depth: number | undefined): string {
  const kind = skip === 'none' ? 'plain' : 'residual';
  return depth === undefined
    ? `The ${kind} network's neighbouring-gradient correlation stayed at or above ${HALF_CORRELATION} at every measured depth up to 50 layers.`
    : `The ${kind} network's neighbouring-gradient correlation first fell below ${HALF_CORRELATION} at ${depth} layers.`;
}

export const challenges: Record<string, (state: WidgetState) => CheckResult> = {};

export const measures: Record<string, (state: WidgetState) => MeasureResult | undefined> = {
  'shattered-gradients/plain-half-depth': (state) => {
    if (!isShatteredSnapshot(state.snapshot)) return undefined;
    const depth = firstDepthBelowHalf(state.snapshot, 'none');
    return { value: depthRange(depth), text: describe('none', depth) };
  },
  'shattered-gradients/residual-half-depth': (state) => {
    if (!isShatteredSnapshot(state.snapshot)) return undefined;
    const depth = firstDepthBelowHalf(state.snapshot, 'residual');
    return { value: depthRange(depth), text: describe('residual', depth) };
  },
};
