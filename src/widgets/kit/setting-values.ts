/**
 * Validation and merging of widget settings against the widget's settings table (SettingSpec[]).
 * Pure: used by the controls, the URL state and the tests alike.
 */
import type { SettingSpec, SettingValue, SettingsValues } from '~/engine/types';
import { formatValue } from '~/charts/format';

export type Validation = { ok: true; value: SettingValue } | { ok: false; message: string };

export interface SettingProblem {
  key: string;
  message: string;
}

/** The defaults of every setting in the table. */
export function defaultValues(specs: readonly SettingSpec[]): SettingsValues {
  return Object.fromEntries(specs.map((spec) => [spec.key, spec.default]));
}

/**
 * Checks one value (a control's text, a URL parameter or a value from code) against its spec.
 * Returns the parsed value, or a message a reader can act on.
 */
export function validateSetting(spec: SettingSpec, raw: unknown): Validation {
  switch (spec.kind) {
    case 'int':
    case 'number': {
      const text = typeof raw === 'string' ? raw.trim() : raw;
      if (text === '' || text === undefined || text === null) {
        return { ok: false, message: `${spec.label}: enter a number.` };
      }
      const value = typeof text === 'number' ? text : typeof text === 'string' ? Number(text) : NaN;
      if (!Number.isFinite(value)) {
        return { ok: false, message: `${spec.label}: ${quoteShort(String(raw))} is not a number.` };
      }
      if (spec.kind === 'int' && !Number.isInteger(value)) {
        return { ok: false, message: `${spec.label} must be a whole number.` };
      }
      if (value < spec.min || value > spec.max) {
        return {
          ok: false,
          message: `${spec.label} must be between ${formatValue(spec.min, 6)} and ${formatValue(spec.max, 6)}.`,
        };
      }
      return { ok: true, value };
    }
    case 'choice': {
      const option = spec.options.find((candidate) => candidate.value === raw);
      if (option) return { ok: true, value: option.value };
      return {
        ok: false,
        message: `${spec.label} must be one of: ${spec.options.map((candidate) => candidate.label).join(', ')}.`,
      };
    }
    case 'boolean': {
      if (raw === true || raw === 'true' || raw === '1' || raw === 'on') return { ok: true, value: true };
      if (raw === false || raw === 'false' || raw === '0' || raw === 'off') return { ok: true, value: false };
      return { ok: false, message: `${spec.label} must be true or false.` };
    }
  }
}

/**
 * Validates a partial settings object. Valid values are returned; invalid or unknown ones are
 * reported and left out, so the caller keeps the previous value for them.
 */
export function validateSettings(
  specs: readonly SettingSpec[],
  partial: Readonly<Record<string, unknown>>,
): { values: SettingsValues; problems: SettingProblem[] } {
  const values: SettingsValues = {};
  const problems: SettingProblem[] = [];
  for (const [key, raw] of Object.entries(partial)) {
    const spec = specs.find((candidate) => candidate.key === key);
    if (!spec) {
      problems.push({ key, message: `There is no setting called “${key}”.` });
      continue;
    }
    const result = validateSetting(spec, raw);
    if (result.ok) values[key] = result.value;
    else problems.push({ key, message: result.message });
  }
  return { values, problems };
}

/** Longest quoted text in a message: a 10,000-character link value must not fill the page. */
export const MAX_QUOTED_LENGTH = 40;

/** Text cut to MAX_QUOTED_LENGTH characters, the last one an ellipsis. */
export function shorten(text: string): string {
  const characters = [...text];
  return characters.length > MAX_QUOTED_LENGTH ? `${characters.slice(0, MAX_QUOTED_LENGTH - 1).join('')}…` : text;
}

/** “text” in curly quotes, shortened. */
export function quoteShort(text: string): string {
  return `“${shorten(text)}”`;
}

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
