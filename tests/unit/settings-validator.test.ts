/**
 * One settings validator (issue 9, item 6): values typed from their table, and the same words for
 * a problem in the page (controls, URL, presets at build time), the worker and the CLI.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { SettingsError, defaultSettings, resolveSettings, validateSetting } from '~/engine/settings';
import { validateSettings as pageValidateSettings } from '~/widgets/kit/setting-values';
import { parseUrlSettings } from '~/widgets/kit/url-state';
import { parseCommand } from '~/cli/experiment';
import { gradientFlowSettings } from '~/widgets/gradient-flow/settings';
import { degradationSettings } from '~/widgets/degradation/settings';

const depthSpec = gradientFlowSettings.find((spec) => spec.key === 'depth')!;

describe('typed settings', () => {
  it('types each value from its table', () => {
    const settings = resolveSettings(gradientFlowSettings, { depth: 30, skip: 'residual' });
    expectTypeOf(settings.depth).toEqualTypeOf<number>();
    expectTypeOf(settings.skip).toEqualTypeOf<'none' | 'residual' | 'dense'>();
    expectTypeOf(resolveSettings(degradationSettings).steps).toEqualTypeOf<number>();
    // @ts-expect-error a value outside the table's options is a type error
    const highway: typeof settings.skip = 'highway';
    expect(highway).toBe('highway');
    expect(settings.depth).toBe(30);
    expect(settings.skip).toBe('residual');
    expect(defaultSettings(gradientFlowSettings).depth).toBe(depthSpec.default);
  });
});

describe('one wording for a problem, wherever it comes from', () => {
  const message = 'Hidden layers must be between 2 and 50.';

  it('the page (a control, a URL, a preset) and the worker say the same', () => {
    expect(validateSetting(depthSpec, '60')).toEqual({ ok: false, message });
    expect(pageValidateSettings(gradientFlowSettings, { depth: 60 }).problems).toEqual([{ key: 'depth', message }]);
    expect(parseUrlSettings('?lab.depth=60', 'lab', gradientFlowSettings).invalid[0].message).toContain(message);
    let thrown: unknown;
    try {
      resolveSettings(gradientFlowSettings, { depth: 60, dpeth: 3 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SettingsError);
    expect(thrown instanceof SettingsError && thrown.problems.map((p) => p.key)).toEqual(['depth', 'dpeth']);
    expect(thrown instanceof Error && thrown.message).toContain(message);
  });

  it('the CLI says the same, after the flag', () => {
    expect(() => parseCommand(['gradient-flow', '--depth', '60'])).toThrow(`--depth: ${message}`);
    expect(() => parseCommand(['gradient-flow', '--depth', '7.5'])).toThrow('--depth: Hidden layers must be a whole number.');
  });
});
