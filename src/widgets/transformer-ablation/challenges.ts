/**
 * Measures on the transformer ablation's state for chapter 7's predict-then-run exercises. Pure
 * functions of WidgetState: they read the experiment's snapshot.
 */
import type { WidgetState } from '../../engine/types';
import { EQUIVARIANCE_TOLERANCE, isAblationSnapshot } from './results';

export interface MeasureResult {
  value: number | string;
  text: string;
}

export const measures: Record<string, (state: WidgetState) => MeasureResult | undefined> = {
  /** Without positional encoding, after training: do the outputs of a shuffled input follow the shuffle ("follows") or not ("differs")? */
  'transformer-ablation/shuffle-without-positions': (state) => {
    const data = isAblationSnapshot(state.snapshot) ? state.snapshot : undefined;
    const model = data?.comparison === 'positions' && data.step > 0 ? data.models.find((m) => m.label === 'no positional encoding') : undefined;
    if (!model) return undefined;
    const p = model.permutation;
    const follows = p.mismatch < EQUIVARIANCE_TOLERANCE;
    return {
      value: follows ? 'follows' : 'differs',
      text: `Without positional encoding (step ${data?.step}): ${p.input.join(' ')} → ${p.output.join(' ')}; shuffled, ${p.shuffled.join(' ')} → ${p.shuffledOutput.join(' ')}. ${follows ? 'The outputs moved with their inputs: the same shuffle.' : 'The outputs did not just follow the shuffle.'}`,
    };
  },
  /** Without skips, after training: the collapse measure after the last block relative to after the embedding. */
  'transformer-ablation/collapse-ratio-without-skips': (state) => {
    const data = isAblationSnapshot(state.snapshot) ? state.snapshot : undefined;
    const model = data?.comparison === 'skips' && data.step > 0 ? data.models.find((m) => m.label === 'no skips') : undefined;
    if (!model) return undefined;
    const ratio = (model.collapse.at(-1) ?? NaN) / model.collapse[0];
    return { value: ratio < 0.5 ? 'falls' : ratio > 1.5 ? 'grows' : 'flat', text: `Without skips, the collapse measure went from ${model.collapse[0].toFixed(2)} after the embedding to ${(model.collapse.at(-1) ?? NaN).toFixed(3)} after the last block.` };
  },
};
