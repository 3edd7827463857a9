/**
 * Widget settings in the query string: `?<widgetId>.<key>=<value>`, so a link restores them.
 * Pure functions over the search string; the widget element calls history.replaceState.
 */
import type { SettingSpec, SettingsValues } from '~/engine/types';
import { sameSettingValue, settingToText, validateSetting } from './setting-values';

export interface UrlSettings {
  /** Valid values found for this widget. */
  values: SettingsValues;
  /** One sentence per ignored parameter (unknown key or invalid value), for the reader. */
  notices: string[];
}

/** Reads this widget's settings from a query string (with or without the leading "?"). */
export function parseUrlSettings(search: string, widgetId: string, specs: readonly SettingSpec[]): UrlSettings {
  const params = new URLSearchParams(search);
  const prefix = `${widgetId}.`;
  const values: SettingsValues = {};
  const notices: string[] = [];
  for (const [name, raw] of params) {
    if (!name.startsWith(prefix)) continue;
    const key = name.slice(prefix.length);
    const spec = specs.find((candidate) => candidate.key === key);
    if (!spec) {
      notices.push(`The link's setting “${key}” does not exist in this widget and was ignored.`);
      continue;
    }
    const result = validateSetting(spec, raw);
    if (result.ok) values[key] = result.value;
    else notices.push(`The link's value for ${spec.label} was ignored: ${result.message}`);
  }
  return { values, notices };
}

/**
 * Returns the query string (with "?" or empty) with this widget's settings written in: only the
 * values that differ from `base` (defaults plus the chapter's preset), so links stay short and a
 * widget on its starting values leaves the URL clean. Other parameters are kept in order.
 */
export function writeUrlSettings(
  search: string,
  widgetId: string,
  specs: readonly SettingSpec[],
  values: SettingsValues,
  base: SettingsValues,
): string {
  const params = new URLSearchParams(search);
  const prefix = `${widgetId}.`;
  for (const name of [...params.keys()]) if (name.startsWith(prefix)) params.delete(name);
  for (const spec of specs) {
    const value = values[spec.key];
    if (value === undefined || sameSettingValue(value, base[spec.key])) continue;
    params.set(prefix + spec.key, settingToText(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
