import { describe, expect, it } from 'vitest';
import type { SettingSpec } from '~/engine/types';
import { defaultValues, validateSetting, validateSettings } from '~/widgets/kit/setting-values';
import { parseUrlSettings, writeUrlSettings } from '~/widgets/kit/url-state';
import { gradientFlowSettings } from '~/widgets/gradient-flow/settings';

const specs: SettingSpec[] = [
  { key: 'depth', label: 'Hidden layers', kind: 'int', min: 2, max: 50, default: 20 },
  { key: 'learningRate', label: 'Learning rate', kind: 'number', min: 1e-4, max: 10, default: 0.1, scale: 'log' },
  {
    key: 'activation',
    label: 'Activation',
    kind: 'choice',
    options: [
      { value: 'sigmoid', label: 'Sigmoid' },
      { value: 'relu', label: 'ReLU' },
    ],
    default: 'sigmoid',
  },
  { key: 'activationStats', label: 'Activation statistics', kind: 'boolean', default: false },
];

describe('validateSetting', () => {
  it('parses numbers from control text and checks the range', () => {
    expect(validateSetting(specs[0], ' 7 ')).toEqual({ ok: true, value: 7 });
    expect(validateSetting(specs[0], '7.5')).toEqual({ ok: false, message: 'Hidden layers must be a whole number.' });
    expect(validateSetting(specs[0], '60')).toEqual({ ok: false, message: 'Hidden layers must be between 2 and 50.' });
    expect(validateSetting(specs[1], 'fast')).toEqual({ ok: false, message: 'Learning rate: “fast” is not a number.' });
    expect(validateSetting(specs[1], '')).toEqual({ ok: false, message: 'Learning rate: enter a number.' });
    expect(validateSetting(specs[1], '1e-3')).toEqual({ ok: true, value: 0.001 });
  });
  it('accepts only the listed choices and names them', () => {
    expect(validateSetting(specs[2], 'relu')).toEqual({ ok: true, value: 'relu' });
    const result = validateSetting(specs[2], 'swish');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain('Sigmoid, ReLU');
  });
  it('reads booleans from URL and checkbox forms', () => {
    expect(validateSetting(specs[3], 'true')).toEqual({ ok: true, value: true });
    expect(validateSetting(specs[3], false)).toEqual({ ok: true, value: false });
    expect(validateSetting(specs[3], 'yes').ok).toBe(false);
  });
});

describe('validateSettings', () => {
  it('keeps the valid values and reports the others, including unknown keys', () => {
    const { values, problems } = validateSettings(specs, { depth: 7, activation: 'swish', widht: 3 });
    expect(values).toEqual({ depth: 7 });
    expect(problems.map((problem) => problem.key)).toEqual(['activation', 'widht']);
  });
  it('accepts the defaults of the gradient-flow settings table', () => {
    const { problems } = validateSettings(gradientFlowSettings, defaultValues(gradientFlowSettings));
    expect(problems).toEqual([]);
  });
});

describe('URL state', () => {
  it('reads only this widget’s parameters', () => {
    const { values, notices } = parseUrlSettings('?lab.depth=7&other.depth=9&lab.activation=relu&q=x', 'lab', specs);
    expect(values).toEqual({ depth: 7, activation: 'relu' });
    expect(notices).toEqual([]);
  });
  it('ignores invalid and unknown values with a notice each', () => {
    const { values, notices } = parseUrlSettings('lab.depth=500&lab.colour=red&lab.learningRate=0.01', 'lab', specs);
    expect(values).toEqual({ learningRate: 0.01 });
    expect(notices).toHaveLength(2);
    expect(notices[0]).toContain('Hidden layers must be between 2 and 50');
    expect(notices[1]).toContain('colour');
  });
  it('writes only values that differ from the starting values and keeps other parameters', () => {
    const base = defaultValues(specs);
    const search = writeUrlSettings('?q=x&lab.depth=3', 'lab', specs, { ...base, depth: 7, learningRate: 0.003 }, base);
    expect(search).toBe('?q=x&lab.depth=7&lab.learningRate=0.003');
    expect(writeUrlSettings(search, 'lab', specs, base, base)).toBe('?q=x');
    expect(writeUrlSettings('', 'lab', specs, base, base)).toBe('');
  });
  it('round-trips every kind of setting', () => {
    const base = defaultValues(specs);
    const changed = { depth: 33, learningRate: 0.0003, activation: 'relu', activationStats: true };
    const search = writeUrlSettings('', 'w1', specs, changed, base);
    expect(parseUrlSettings(search, 'w1', specs)).toEqual({ values: changed, notices: [] });
  });
  it('writes float values without binary noise', () => {
    const base = defaultValues(specs);
    const search = writeUrlSettings('', 'lab', specs, { ...base, learningRate: 0.1 + 0.2 }, base);
    expect(search).toBe('?lab.learningRate=0.3');
  });
});
