import { describe, expect, it } from 'vitest';
import { challenges, measures, plainOnset } from '~/widgets/degradation/challenges';
import { resultsByDepth, summarizeDegradation } from '~/widgets/degradation/results';
import type { RunInfo, StepRecord, WidgetState, WidgetStatus } from '~/engine/types';

/** A lab state whose runs end at the given final losses (one record per run is enough). */
function labState(finalLosses: { skip: 'none' | 'residual'; depth: number; losses: number[] }[], status: WidgetStatus = 'finished'): WidgetState {
  const runs: RunInfo[] = [];
  const records: StepRecord[] = [];
  for (const group of finalLosses) {
    group.losses.forEach((loss, index) => {
      const id = runs.length;
      runs.push({ id, label: `${group.skip} ${group.depth} ${index + 1}`, layers: [], skip: group.skip, depth: group.depth, seed: index + 1 });
      records.push({ run: id, step: 300, loss, gradNorms: [], weightNorms: [], updateRatios: [] });
    });
  }
  return { id: 'degradation-lab', kind: 'degradation', settings: {}, status, step: 300, runs, records, divergences: [] };
}

describe('degradation measure: deepest plain against shallowest plain', () => {
  const measure = measures['degradation/deepest-plain-vs-shallowest'];

  it('says "above" when the deep plain network ends more than 10% higher', () => {
    const state = labState([
      { skip: 'none', depth: 2, losses: [0.4, 0.5] },
      { skip: 'none', depth: 32, losses: [0.65, 0.7] },
    ]);
    expect(measure(state)).toMatchObject({ value: 'above' });
    expect(measure(state)!.text).toContain('32-layer plain network');
  });

  it('says "below" and "equal" in the other cases, and nothing before two depths have data', () => {
    expect(measure(labState([{ skip: 'none', depth: 2, losses: [0.5] }, { skip: 'none', depth: 32, losses: [0.2] }]))).toMatchObject({ value: 'below' });
    expect(measure(labState([{ skip: 'none', depth: 2, losses: [0.5] }, { skip: 'none', depth: 32, losses: [0.52] }]))).toMatchObject({ value: 'equal' });
    expect(measure(labState([{ skip: 'none', depth: 2, losses: [0.5] }]))).toBeUndefined();
  });
});

describe('degradation challenge: find the onset', () => {
  const check = challenges['degradation/find-onset'];
  const fine = [
    { skip: 'none' as const, depth: 2, losses: [0.44] },
    { skip: 'none' as const, depth: 16, losses: [0.33] },
    { skip: 'none' as const, depth: 20, losses: [0.45] },
    { skip: 'none' as const, depth: 24, losses: [0.55] },
    { skip: 'residual' as const, depth: 24, losses: [0.2] },
  ];

  it('is met when the first worse plain depth and the one before it are at most 4 layers apart', () => {
    const result = check(labState(fine));
    expect(result.met).toBe(true);
    expect(result.message).toContain('at 24 layers');
    expect(plainOnset(resultsByDepth(summarizeDegradation(labState(fine).runs, labState(fine).records)))?.before.depth).toBe(20);
  });

  it('is not met when the depths are too far apart to locate the onset, and says why', () => {
    const coarse = check(labState([{ skip: 'none', depth: 2, losses: [0.44] }, { skip: 'none', depth: 16, losses: [0.33] }, { skip: 'none', depth: 32, losses: [0.66] }]));
    expect(coarse.met).toBe(false);
    expect(coarse.message).toMatch(/closer together/);
  });

  it('is not met when no plain depth is worse, or before the run has finished', () => {
    expect(check(labState([{ skip: 'none', depth: 2, losses: [0.44] }, { skip: 'none', depth: 4, losses: [0.2] }])).met).toBe(false);
    const running = check(labState(fine, 'running'));
    expect(running.met).toBe(false);
    expect(running.message).toMatch(/finished/);
  });
});
