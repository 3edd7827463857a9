/**
 * Exercise measures on the activation-derivatives widget's state (docs/architecture.md). Pure:
 * they read the snapshot the widget computed, never a control the reader can press.
 */
import type { WidgetState } from '~/engine/types';
import type { ActivationSnapshot } from './model';

function snapshotOf(state: WidgetState): ActivationSnapshot | undefined {
  if (state.kind !== 'activation-derivatives') return undefined;
  const snapshot = state.snapshot as ActivationSnapshot | undefined;
  return snapshot && Array.isArray(snapshot.log10Products?.sigmoid) ? snapshot : undefined;
}

export const challenges: Record<string, (state: WidgetState) => { met: boolean; message: string }> = {};

export const measures: Record<string, (state: WidgetState) => { value: number | string; text: string } | undefined> = {
  /** The power of ten nearest to the product of `depth` factors, as a string ("2" for about 100). */
  'activation-derivatives/product-decade': (state) => {
    const snapshot = snapshotOf(state);
    if (!snapshot || !Number.isFinite(snapshot.log10Product)) return undefined;
    const decade = Math.round(snapshot.log10Product);
    return {
      value: String(decade),
      text: `the product of ${snapshot.depth} factors is ${snapshot.productText}, about 10^${decade}`,
    };
  },
};
