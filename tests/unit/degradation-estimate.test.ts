import { describe, expect, it } from 'vitest';
import type { SettingsValues } from '~/engine/types';
import { degradationStepSeconds } from '~/widgets/degradation/estimate';
import { LONG_RUN_SECONDS, SpeedMeter, formatDuration } from '~/widgets/kit/run-estimate';

const largest = { depths: '2,12,24,36,48', seeds: 5, steps: 3000, width: 64, batchSize: 256 };

describe('degradation run-time model', () => {
  it('reproduces the two measured runs it was fitted to', () => {
    // Defaults: 300 steps in 46 s; largest settings: about 0.1 steps per second.
    expect(degradationStepSeconds({}) * 300).toBeGreaterThan(46 * 0.8);
    expect(degradationStepSeconds({}) * 300).toBeLessThan(46 * 1.25);
    expect(1 / degradationStepSeconds(largest)).toBeGreaterThan(0.08);
    expect(1 / degradationStepSeconds(largest)).toBeLessThan(0.125);
  });
  it('grows with every setting that adds work', () => {
    const base = degradationStepSeconds({});
    const changes: SettingsValues[] = [{ seeds: 5 }, { width: 32 }, { batchSize: 128 }, { depths: '2,12,24,36,48' }];
    for (const change of changes) {
      expect(degradationStepSeconds(change), JSON.stringify(change)).toBeGreaterThan(base);
    }
    expect(degradationStepSeconds({ depths: '2,32', seeds: 1 })).toBeLessThan(base);
  });
  it('asks before the largest run but not before the default one', () => {
    expect(degradationStepSeconds({}) * 300).toBeLessThan(LONG_RUN_SECONDS);
    expect(degradationStepSeconds(largest) * 3000).toBeGreaterThan(LONG_RUN_SECONDS);
    expect(formatDuration(degradationStepSeconds(largest) * 3000)).toMatch(/^about \d+ h( \d+ min)?$/);
  });
});

describe('formatDuration', () => {
  it('says durations the way a reader would', () => {
    expect(formatDuration(20)).toBe('under a minute');
    expect(formatDuration(90)).toBe('about 2 min');
    expect(formatDuration(45 * 60)).toBe('about 45 min');
    expect(formatDuration(2 * 3600 + 10 * 60)).toBe('about 2 h 10 min');
    expect(formatDuration(8 * 3600)).toBe('about 8 h');
  });
});

describe('SpeedMeter', () => {
  it('measures steps per second over the recent past, once it has a second of data', () => {
    const meter = new SpeedMeter();
    meter.record(0, 0);
    meter.record(5, 500);
    expect(meter.stepsPerSecond()).toBeUndefined();
    meter.record(10, 1000);
    expect(meter.stepsPerSecond()).toBeCloseTo(10, 9);
    // The speed drops to 1 step/s and stays there: the old samples leave the window.
    for (let second = 2; second <= 30; second++) meter.record(10 + (second - 1), second * 1000);
    expect(meter.stepsPerSecond()).toBeCloseTo(1, 1);
    meter.reset();
    expect(meter.stepsPerSecond()).toBeUndefined();
  });
});
