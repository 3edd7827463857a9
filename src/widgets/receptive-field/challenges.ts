/**
 * Exercise measures on the receptive-field explorer's state, for chapter 6. Pure functions of
 * WidgetState (the snapshot the explorer computes from its settings).
 */
import type { WidgetState } from '../../engine/types';
import { isReceptiveFieldSnapshot } from './model';

export interface MeasureResult {
  value: number | string;
  text: string;
}

export const measures: Record<string, (state: WidgetState) => MeasureResult | undefined> = {
  /** Receptive field (one side, away from the border) of the output pixels for the explorer's settings. */
  'receptive-field/field-size': (state) => {
    const view = isReceptiveFieldSnapshot(state.snapshot) ? state.snapshot.view : undefined;
    if (!view) return undefined;
    return { value: view.theoretical, text: `Each output pixel of this stack sees ${view.theoretical}×${view.theoretical} input pixels (away from the border).` };
  },
};
