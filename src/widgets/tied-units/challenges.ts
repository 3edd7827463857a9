/**
 * Measures on the tied-units widget's state, for chapter 8's exercises. Pure functions of
 * WidgetState: they read the widget's snapshot (the measured distances), nothing else.
 */
import type { ChallengeCheck, Measure } from '~/exercises/widget-checks';
import type { WidgetState } from '../../engine/types';
import { TIED_NETWORKS, TIED_NETWORK_LABELS, finalDistances, isTied, isTiedSnapshot } from './results';

/** Which networks' tied units separated by the end of a finished run: "none", "all", or the kinds joined by "+". */
export function separatedNetworks(state: WidgetState): string | undefined {
  if (state.status !== 'finished' || !isTiedSnapshot(state.snapshot)) return undefined;
  const finals = finalDistances(state.snapshot);
  const separated = TIED_NETWORKS.filter((_, run) => !isTied(finals.get(run) ?? 0));
  if (separated.length === 0) return 'none';
  if (separated.length === TIED_NETWORKS.length) return 'all';
  return separated.join('+');
}

function describe(value: string): string {
  if (value === 'none') return 'The tied units stayed identical in all three networks.';
  if (value === 'all') return 'The tied units separated in all three networks.';
  return `The tied units separated only in: ${value.split('+').map((kind) => TIED_NETWORK_LABELS[kind as (typeof TIED_NETWORKS)[number]]).join(', ')}.`;
}

export const measures: Record<string, Measure> = {
  'tied-units/separated': (state) => {
    const value = separatedNetworks(state);
    return value === undefined ? undefined : { value, text: describe(value) };
  },
};

export const challenges: Record<string, ChallengeCheck> = {
  'tied-units/untie-the-plain-units': (state) => {
    const value = separatedNetworks(state);
    if (value === undefined) return { met: false, message: 'Run the widget to the end.' };
    const met = value === 'all' || value.split('+').includes('plain');
    return { met, message: met ? `${describe(value)} Something broke the swap symmetry of the plain layer.` : `${describe(value)} The plain network's units are still tied.` };
  },
};
