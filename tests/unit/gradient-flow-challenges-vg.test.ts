import { describe, expect, it } from 'vitest';
import type { StepRecord, WidgetState } from '../../src/engine/types';
import {
  EXPLODING_FIXED,
  EXPLODING_MIN_INIT_SCALE,
  EXPLODING_SURVIVE_STEPS,
  SIGMOID_CHALLENGE_FIXED,
  SIGMOID_CHALLENGE_LOSS,
  challenges,
  measures,
  ordersBetweenLastAndFirst,
  ordersBucket,
  recentLoss,
} from '../../src/widgets/gradient-flow/challenges';
import { measures as activationMeasures } from '../../src/widgets/activation-derivatives/challenges';
import { computeSnapshot } from '../../src/widgets/activation-derivatives/model';

function record(step: number, loss: number, gradNorms: number[]): StepRecord {
  return { run: 0, step, loss, gradNorms, weightNorms: gradNorms.map(() => 1), updateRatios: gradNorms.map(() => 1e-3) };
}

function labState(settings: Record<string, string | number | boolean>, records: StepRecord[], extra: Partial<WidgetState> = {}): WidgetState {
  return {
    id: 'vg-exercise-lab',
    kind: 'gradient-flow',
    settings: { init: 'naive', initScale: 0.01, norm: 'none', seed: 1, ...settings },
    status: records.length ? 'running' : 'idle',
    step: records.length ? records[records.length - 1].step : 0,
    runs: [{ id: 0, label: 'plain, 30 layers, seed 1', layers: [] }],
    records,
    divergences: [],
    ...extra,
  };
}

const sigmoidCheck = challenges['gradient-flow/vg-sigmoid-30-trains'];
const clippingCheck = challenges['gradient-flow/vg-clipping-survives'];
const ordersMeasure = measures['gradient-flow/vg-orders-last-over-first'];
const flat = (n: number, loss: number) => Array.from({ length: n }, (_, i) => record(i + 1, loss, Array(30).fill(0.05)));

describe('recent loss', () => {
  it('averages the last records only', () => {
    const records = [...flat(30, 0.7), ...flat(20, 0.1).map((r, i) => ({ ...r, step: 31 + i }))];
    expect(recentLoss(records)).toBeCloseTo(0.1, 12);
    expect(recentLoss(records, 40)).toBeCloseTo((20 * 0.7 + 20 * 0.1) / 40, 12);
    expect(recentLoss([])).toBeUndefined();
  });
});

describe('challenge: make the 30-layer sigmoid network train', () => {
  it('is met with batch norm once the recent loss is below the goal', () => {
    const state = labState({ ...SIGMOID_CHALLENGE_FIXED, norm: 'batch' }, flat(40, SIGMOID_CHALLENGE_LOSS - 0.05));
    const result = sigmoidCheck(state);
    expect(result.met).toBe(true);
    expect(result.message).toContain(`below ${SIGMOID_CHALLENGE_LOSS}`);
  });

  it('is not met while the loss stays at chance level', () => {
    const result = sigmoidCheck(labState(SIGMOID_CHALLENGE_FIXED, flat(40, 0.69)));
    expect(result.met).toBe(false);
    expect(result.message).toContain('0.69');
  });

  it('is not met by one lucky mini-batch', () => {
    const records = flat(40, 0.69);
    records[39] = record(40, 0.01, Array(30).fill(0.05));
    expect(sigmoidCheck(labState(SIGMOID_CHALLENGE_FIXED, records)).met).toBe(false);
  });

  it('refuses a low loss reached by changing anything but init and normalisation', () => {
    for (const [key, value] of [['depth', 3], ['activation', 'relu'], ['skip', 'residual'], ['learningRate', 0.1], ['optimizer', 'sgd']] as const) {
      const result = sigmoidCheck(labState({ ...SIGMOID_CHALLENGE_FIXED, [key]: value }, flat(40, 0.01)));
      expect(result.met, key).toBe(false);
      expect(result.message).toContain('Only the initialisation');
    }
  });

  it('allows any initialisation and initial scale', () => {
    const state = labState({ ...SIGMOID_CHALLENGE_FIXED, init: 'he', initScale: 3, norm: 'layer' }, flat(40, 0.05));
    expect(sigmoidCheck(state).met).toBe(true);
  });

  it('asks the reader to press play before there are records, and reports divergence', () => {
    expect(sigmoidCheck(labState(SIGMOID_CHALLENGE_FIXED, [])).message).toContain('Press play');
    const diverged = labState(SIGMOID_CHALLENGE_FIXED, flat(5, 0.2), { status: 'diverged', divergences: [{ run: 0, step: 6, reason: 'loss became NaN' }] });
    expect(sigmoidCheck(diverged).met).toBe(false);
  });
});

describe('challenge: clipping keeps the exploding network alive', () => {
  const exploding = { ...EXPLODING_FIXED, initScale: EXPLODING_MIN_INIT_SCALE, clipNorm: 0 };

  it('is met when a clipped run survives the required steps with a finite, low loss', () => {
    const state = labState({ ...exploding, clipNorm: 1 }, flat(EXPLODING_SURVIVE_STEPS, 0.05), { status: 'finished' });
    expect(clippingCheck(state).met).toBe(true);
  });

  it('is not met by a clipped run that survives but does not learn', () => {
    const result = clippingCheck(labState({ ...exploding, clipNorm: 5 }, flat(EXPLODING_SURVIVE_STEPS, 0.69), { status: 'finished' }));
    expect(result.met).toBe(false);
    expect(result.message).toContain('goal: below');
  });

  it('is not met before the run has survived long enough', () => {
    const result = clippingCheck(labState({ ...exploding, clipNorm: 1 }, flat(50, 0.4)));
    expect(result.met).toBe(false);
    expect(result.message).toContain(`Step 50 of ${EXPLODING_SURVIVE_STEPS}`);
  });

  it('is not met without clipping, after a divergence, or with a tamer initial scale', () => {
    expect(clippingCheck(labState(exploding, flat(EXPLODING_SURVIVE_STEPS, 0.05))).met).toBe(false);
    const diverged = labState({ ...exploding, clipNorm: 50 }, flat(1, 7), {
      status: 'diverged',
      divergences: [{ run: 0, step: 2, reason: 'gradient norm in layer 1 became infinite' }],
    });
    const result = clippingCheck(diverged);
    expect(result.met).toBe(false);
    expect(result.message).toContain('became infinite');
    const tame = labState({ ...exploding, clipNorm: 1, initScale: 1 }, flat(EXPLODING_SURVIVE_STEPS, 0.05));
    expect(clippingCheck(tame).met).toBe(false);
  });
});

describe('measure: orders of magnitude between the last and the first layer', () => {
  it('buckets the ratio of the latest record', () => {
    expect(ordersBucket(0.2)).toBe('below-1');
    expect(ordersBucket(-3)).toBe('below-1');
    expect(ordersBucket(2)).toBe('1-to-3');
    expect(ordersBucket(7)).toBe('3-to-10');
    expect(ordersBucket(18)).toBe('over-10');
    expect(ordersBucket(Infinity)).toBe('over-10');
  });

  it('treats an underflowed first layer as infinitely far apart', () => {
    const gradNorms = [...Array(21).fill(0), 4e-21, 6e-19, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 6e-5];
    expect(ordersBetweenLastAndFirst(record(1, 0.69, gradNorms))).toBe(Infinity);
    const outcome = ordersMeasure(labState(SIGMOID_CHALLENGE_FIXED, [record(600, 0.69, gradNorms)], { status: 'finished' }));
    expect(outcome?.value).toBe('over-10');
    expect(outcome?.text).toContain('exactly 0');
  });

  it('measures a healthy network as less than one order apart', () => {
    const gradNorms = Array.from({ length: 30 }, (_, i) => 0.1 * (1 + i / 30));
    const outcome = ordersMeasure(labState(SIGMOID_CHALLENGE_FIXED, [record(10, 0.3, gradNorms)]));
    expect(outcome?.value).toBe('below-1');
    expect(ordersBetweenLastAndFirst(record(10, 0.3, gradNorms))).toBeCloseTo(Math.log10(0.1 * (1 + 29 / 30) / 0.1), 12);
  });

  it('has nothing to measure before the first record', () => {
    expect(ordersMeasure(labState(SIGMOID_CHALLENGE_FIXED, []))).toBeUndefined();
  });
});

describe('measure: the product decade of the activation widget', () => {
  const productDecade = activationMeasures['activation-derivatives/product-decade'];
  const widget = (settings: Record<string, string | number>): WidgetState => {
    const full = { activation: 'sigmoid', weightScale: 1, depth: 20, mode: 'point', z: 0, spread: 1, ...settings };
    return { id: 'activation-derivatives', kind: 'activation-derivatives', settings: full, status: 'finished', step: 0, runs: [], records: [], divergences: [], snapshot: computeSnapshot(full) };
  };

  it('rounds log10 of the product: tanh at 1.25 over 20 layers is about 10^2', () => {
    expect(productDecade(widget({ activation: 'tanh', weightScale: 1.25 }))?.value).toBe('2');
    expect(productDecade(widget({}))?.value).toBe('-12');
  });

  it('has no value for a zero product or another widget kind', () => {
    expect(productDecade(widget({ activation: 'relu', z: 0 }))).toBeUndefined();
    expect(productDecade({ ...widget({}), kind: 'gradient-flow' })).toBeUndefined();
  });
});
