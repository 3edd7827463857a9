/**
 * Checks and measures on the mirror-loss widget's state, for chapter 8's exercises. Pure
 * functions of WidgetState: they read the path in the snapshot, nothing else.
 */
import type { ChallengeCheck, Measure } from '~/exercises/widget-checks';
import type { WidgetState } from '../../engine/types';
import { isMirrorSnapshot, largestDistanceFromLine, type MirrorSnapshot } from './results';

/** A path ends "at the point on the line" when it is this close to it. */
const NEAR = 0.02;

function finished(state: WidgetState): MirrorSnapshot | undefined {
  return state.status === 'finished' && isMirrorSnapshot(state.snapshot) && state.snapshot.path.length > 1 ? state.snapshot : undefined;
}

export const measures: Record<string, Measure> = {
  /** Where a finished path ended: on the mirror line, or off it. */
  'mirror-loss/end': (state) => {
    const data = finished(state);
    if (!data) return undefined;
    const [w1, w2] = data.path[data.path.length - 1];
    const onLine = Math.abs(w1 - w2) / Math.SQRT2 < NEAR;
    return { value: onLine ? 'on-line' : 'off-line', text: `The path ended at (${w1.toFixed(3)}, ${w2.toFixed(3)}), ${onLine ? 'on the mirror line' : `${(Math.abs(w1 - w2) / Math.SQRT2).toFixed(2)} away from the mirror line`}.` };
  },
};

export const challenges: Record<string, ChallengeCheck> = {
  'mirror-loss/trapped-off-the-line': (state) => {
    const data = finished(state);
    if (!data) return { met: false, message: 'Pick a start and run gradient descent to the end.' };
    if (data.landscape !== 'false-minimum') return { met: false, message: 'Switch to the loss with a false minimum.' };
    const [s1, s2] = data.path[0];
    if (s1 === s2) return { met: false, message: 'That start is on the mirror line; the challenge is to start off it.' };
    const [w1, w2] = data.path[data.path.length - 1];
    const trapped = Math.abs(w1 - w2) / Math.SQRT2 < NEAR && Math.abs(w1 - data.lineBest.w) < NEAR;
    return {
      met: trapped,
      message: trapped
        ? `Started off the line at (${s1}, ${s2}) and still ended in the false minimum: it has a basin of its own (largest distance from the line on the way: ${largestDistanceFromLine(data.path).toFixed(2)}).`
        : `Ended at (${w1.toFixed(2)}, ${w2.toFixed(2)}), not in the false minimum.`,
    };
  },
};
