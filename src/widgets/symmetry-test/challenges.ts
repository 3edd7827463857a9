/**
 * Measures on the symmetry test's state, for chapter 8's exercises. Pure functions of WidgetState:
 * they read the test's snapshot, nothing else.
 */
import type { Measure } from '~/exercises/widget-checks';
import type { WidgetState } from '../../engine/types';
import { STUCK_LOSS, TEST_NETWORK_LABELS, isSymmetrySnapshot, summarizeNetworks } from './results';

export const measures: Record<string, Measure> = {
  /** Which network had the most runs stuck above STUCK_LOSS (ties: "tie"). */
  'symmetry-test/most-stuck': (state: WidgetState) => {
    if (state.status !== 'finished' || !isSymmetrySnapshot(state.snapshot)) return undefined;
    const summaries = summarizeNetworks(state.snapshot.results);
    const most = Math.max(...summaries.map((s) => s.stuck));
    const leaders = summaries.filter((s) => s.stuck === most);
    const text = summaries.map((s) => `${TEST_NETWORK_LABELS[s.network]} ${s.stuck} of ${s.runs}`).join(', ');
    return { value: leaders.length === 1 ? leaders[0].network : 'tie', text: `Runs with loss above ${STUCK_LOSS}: ${text}.` };
  },
};

export const challenges = {};
