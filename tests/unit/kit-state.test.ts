import { describe, expect, it } from 'vitest';
import type { SettingSpec } from '~/engine/types';
import { defaultValues, validateSetting, validateSettings } from '~/widgets/kit/setting-values';
import { otherWidgetsNotice, parseUrlSettings, writeUrlSettings } from '~/widgets/kit/url-state';
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
  it('ignores invalid values with a message for their control, and unknown keys with a notice', () => {
    const { values, invalid, notices } = parseUrlSettings('lab.depth=500&lab.colour=red&lab.learningRate=0.01', 'lab', specs);
    expect(values).toEqual({ learningRate: 0.01 });
    expect(invalid).toEqual([{ key: 'depth', message: 'The link’s value was ignored: Hidden layers must be between 2 and 50.' }]);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('colour');
  });
  it('shortens a very long value or key to 40 characters in what it says', () => {
    const long = 'x'.repeat(10_000);
    const { invalid, notices } = parseUrlSettings(`lab.learningRate=${long}&lab.${long}=1`, 'lab', specs);
    expect(invalid[0].message).toContain(`“${'x'.repeat(39)}…”`);
    expect(invalid[0].message.length).toBeLessThan(200);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`“${'x'.repeat(39)}…”`);
    expect(notices[0].length).toBeLessThan(200);
  });
  it('sums up many unknown keys in one line', () => {
    const search = Array.from({ length: 500 }, (_, index) => `lab.k${index}=1`).join('&');
    const { notices } = parseUrlSettings(search, 'lab', specs);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^500 settings in the link were not recognised and were ignored: “k0”, “k1”, “k2”, “k3”, “k4” and 495 more\./);
  });
  it('says which value it used when the link repeats a key', () => {
    const { values, invalid, notices } = parseUrlSettings('lab.depth=5&lab.depth=40', 'lab', specs);
    expect(values).toEqual({ depth: 40 });
    expect(invalid).toEqual([]);
    expect(notices).toEqual(['The link sets Hidden layers 2 times (5, 40); the last value, 40, is used.']);
  });
  it('names parameters meant for widgets that are not on the page, with the widgets that are', () => {
    expect(otherWidgetsNotice('?lab.depth=5&q=1&utm_source=x', ['lab', 'other'])).toBeUndefined();
    expect(otherWidgetsNotice('?labx.depth=5', ['lab'])).toBe(
      'The link has settings for a widget “labx” that is not on this page, so they were ignored. The widget on this page: “lab”.',
    );
    expect(otherWidgetsNotice('?LAB.depth=5&vg-x.depth=3', ['lab', 'vg-y'])).toBe(
      'The link has settings for widgets “LAB” (did you mean “lab”?) and “vg-x” that are not on this page, so they were ignored. The widgets on this page: “lab”, “vg-y”.',
    );
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
    expect(parseUrlSettings(search, 'w1', specs)).toEqual({ values: changed, invalid: [], notices: [] });
  });
  it('writes float values without binary noise', () => {
    const base = defaultValues(specs);
    const search = writeUrlSettings('', 'lab', specs, { ...base, learningRate: 0.1 + 0.2 }, base);
    expect(search).toBe('?lab.learningRate=0.3');
  });
});
