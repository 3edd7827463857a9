/**
 * Settings in the page: the engine's one validator (validateSetting, validateSettings), and how
 * values are written into controls and URLs. Pure: used by the controls, the URL state and the tests alike.
 */
import type { SettingSpec, SettingValue, SettingsValues } from '~/engine/types';
import { defaultSettings, validateSettings as validate } from '~/engine/settings';

// The one settings validator (the worker and the CLI use it too), under the names the kit uses.
export {
  defaultSettings as defaultValues,
  MAX_QUOTED_LENGTH,
  quoteShort,
  shorten,
  validateSetting,
  validateSettings,
  type SettingCheck as Validation,
  type SettingProblem,
} from '~/engine/settings';

/** Text for a control or URL: numbers without float noise, booleans as true/false. */
export function settingToText(value: SettingValue): string {
  if (typeof value === 'number') return String(Number(value.toPrecision(12)));
  return String(value);
}

/** Whether two setting values are the same (numbers compared after rounding float noise). */
export function sameSettingValue(a: SettingValue | undefined, b: SettingValue | undefined): boolean {
  if (typeof a === 'number' && typeof b === 'number') return settingToText(a) === settingToText(b);
  return a === b;
}

/**
 * The values a widget starts from: its defaults and the valid part of a chapter's preset (the
 * shell rejects an invalid preset at build time). For the status line a page is built with.
 */
export function startingValues(specs: readonly SettingSpec[], preset: Readonly<Record<string, unknown>>): SettingsValues {
  return { ...defaultSettings(specs), ...validate(specs, preset).values };
}
