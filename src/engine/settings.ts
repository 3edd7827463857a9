/**
 * Settings tables → values: defaults, parsing and validation, shared by the CLI, the worker and
 * the widgets. Pure TypeScript.
 */
import type { Experiment, SettingSpec, SettingsValues, SettingValue } from './types';
import { formatValue } from './number-format';

/** The value type of one setting: its options' values, boolean, or number. */
export type SettingValueOf<S extends SettingSpec> = S extends { kind: 'choice'; options: readonly { value: infer V }[] } ? V : S extends { kind: 'boolean' } ? boolean : number;

/** Settings values typed from their table (declared `as const satisfies readonly SettingSpec[]`). */
export type SettingsOf<T extends readonly SettingSpec[]> = { [S in T[number] as S['key']]: SettingValueOf<S> };

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

export type SettingCheck = { ok: true; value: SettingValue } | { ok: false; message: string };

export interface SettingProblem {
  key: string;
  message: string;
}

/**
 * A settings object that failed validation: every problem in the words the page shows, each after
 * its setting's key (as the CLI puts the flag first), e.g. "depth: Hidden layers must be between 2 and 50."
 */
export class SettingsError extends Error {
  readonly problems: readonly SettingProblem[];
  constructor(problems: readonly SettingProblem[]) {
    super(problems.map((problem) => `${problem.key}: ${problem.message}`).join(' '));
    this.name = 'SettingsError';
    this.problems = problems;
  }
}

function typedSettings<T extends readonly SettingSpec[]>(specs: T, values: SettingsValues): SettingsOf<T> {
  // Every key of the table is present with a value its spec accepts (checked by the callers), which is what SettingsOf<T> says.
  return Object.fromEntries(specs.map((spec) => [spec.key, values[spec.key]])) as SettingsOf<T>;
}

export function defaultSettings<T extends readonly SettingSpec[]>(specs: T): SettingsOf<T> {
  return typedSettings(specs, Object.fromEntries(specs.map((spec) => [spec.key, spec.default])));
}

/** Describes the values a setting accepts, e.g. "an integer from 2 to 50" or "one of none, batch" (for help texts). */
export function describeAllowed(spec: SettingSpec): string {
  if (spec.kind === 'choice') return `one of ${spec.options.map((o) => o.value).join(', ')}`;
  if (spec.kind === 'boolean') return 'true or false';
  return `${spec.kind === 'int' ? 'an integer' : 'a number'} from ${spec.min} to ${spec.max}`;
}

/**
 * Checks one value against its spec: a value from code or a preset, a control's text, a URL
 * parameter or a command-line flag. Returns the parsed value, or a message a reader can act on.
 * The one validator of settings: the build (presets), the page (controls, URL), the worker and
 * the CLI all use it, so a problem reads the same everywhere.
 */
export function validateSetting(spec: SettingSpec, raw: unknown): SettingCheck {
  switch (spec.kind) {
    case 'int':
    case 'number': {
      const text = typeof raw === 'string' ? raw.trim() : raw;
      if (text === '' || text === undefined || text === null) return { ok: false, message: `${spec.label}: enter a number.` };
      const value = typeof text === 'number' ? text : typeof text === 'string' ? Number(text) : NaN;
      if (!Number.isFinite(value)) return { ok: false, message: `${spec.label}: ${quoteShort(String(raw))} is not a number.` };
      if (spec.kind === 'int' && !Number.isInteger(value)) return { ok: false, message: `${spec.label} must be a whole number.` };
      if (value < spec.min || value > spec.max) {
        return { ok: false, message: `${spec.label} must be between ${formatValue(spec.min, 6)} and ${formatValue(spec.max, 6)}.` };
      }
      return { ok: true, value };
    }
    case 'choice': {
      const option = spec.options.find((candidate) => candidate.value === raw);
      if (option) return { ok: true, value: option.value };
      const labels = spec.options.map((candidate) => candidate.label).join(', ');
      const values = spec.options.map((candidate) => candidate.value).join(', ');
      return { ok: false, message: `${spec.label} must be one of: ${labels} (values ${values}).` };
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
 * reported and left out, so a caller can keep the previous value for them.
 */
export function validateSettings(specs: readonly SettingSpec[], partial: Readonly<Record<string, unknown>>): { values: SettingsValues; problems: SettingProblem[] } {
  const values: SettingsValues = {};
  const problems: SettingProblem[] = [];
  for (const [key, raw] of Object.entries(partial)) {
    const spec = specs.find((candidate) => candidate.key === key);
    if (!spec) {
      problems.push({ key, message: `There is no setting called ${quoteShort(key)} (settings: ${specs.map((s) => s.key).join(', ')}).` });
      continue;
    }
    const result = validateSetting(spec, raw);
    if (result.ok) values[key] = result.value;
    else problems.push({ key, message: result.message });
  }
  return { values, problems };
}

/**
 * Fills in defaults and validates, typed from the table; throws a SettingsError listing every
 * problem. Unknown keys are errors too, so a typo never silently falls back to a default.
 */
export function resolveSettings<T extends readonly SettingSpec[]>(specs: T, values: Readonly<Record<string, unknown>> = {}): SettingsOf<T> {
  const { values: valid, problems } = validateSettings(specs, values);
  if (problems.length > 0) throw new SettingsError(problems);
  return typedSettings(specs, { ...Object.fromEntries(specs.map((spec) => [spec.key, spec.default])), ...valid });
}

/**
 * Steps a run of `experiment` trains with these (resolved) settings. `requested` is a page's
 * `maxSteps` or the CLI's `--steps`; it changes only a fixed default (a lab whose length is a setting
 * takes it from the setting, which the CLI's `--steps` sets). A compute-only experiment takes one step.
 */
export function runLength(experiment: Pick<Experiment, 'runLength'>, settings: SettingsValues, requested?: number): number {
  const length = experiment.runLength;
  if ('computeOnly' in length) return 1;
  if ('fromSettings' in length) return length.fromSettings(settings);
  if ('defaultSteps' in length) return requested ?? length.defaultSteps;
  const steps = settings[length.setting];
  if (typeof steps !== 'number') throw new Error(`setting "${length.setting}" (the run length) is missing`);
  return steps;
}
