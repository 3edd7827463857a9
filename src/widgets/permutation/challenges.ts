/**
 * Checks and measures on the permutation lab's state, for chapter 8's exercises. Pure functions of
 * WidgetState: they read the lab's snapshot (the compared outputs), nothing else.
 */
import type { ChallengeCheck, Measure } from '~/exercises/widget-checks';
import type { WidgetState } from '../../engine/types';
import { formatDifference, functionUnchanged, isPermutationSnapshot, type PermutationSnapshot } from './results';

function finished(state: WidgetState): PermutationSnapshot | undefined {
  return state.status === 'finished' && isPermutationSnapshot(state.snapshot) ? state.snapshot : undefined;
}

function isIdentity(order: readonly number[]): boolean {
  return order.every((unit, position) => unit === position);
}

export const measures: Record<string, Measure> = {
  'permutation/function-changed': (state) => {
    const data = finished(state);
    if (!data) return undefined;
    const same = functionUnchanged(data);
    return { value: same ? 'same' : 'changed', text: `Largest output difference ${formatDifference(data.maxOutputDifference)}: ${same ? 'the same function up to rounding' : 'a different function'}.` };
  },
};

export const challenges: Record<string, ChallengeCheck> = {
  'permutation/skip-net-symmetry': (state) => {
    const data = finished(state);
    if (!data) return { met: false, message: 'Choose a network and an order, then run the lab to the end.' };
    if (state.settings.network !== 'every-layer') return { met: false, message: 'Choose the network with a skip around every layer.' };
    if (isIdentity(data.order)) return { met: false, message: 'The units are in their trained order: reorder them first.' };
    const same = functionUnchanged(data);
    return {
      met: same,
      message: same
        ? `Reordered and still the same function (largest difference ${formatDifference(data.maxOutputDifference)}): the whole stream moved together.`
        : `The function changed (largest difference ${formatDifference(data.maxOutputDifference)}). Which weights would have to move with these units?`,
    };
  },
};
