/**
 * Settings tables → values: defaults, parsing and validation, shared by the CLI, the worker and
 * the widgets. Pure TypeScript.
 */
import type { Experiment, SettingSpec, SettingsValues, SettingValue } from './types';

export function defaultSettings(specs: readonly SettingSpec[]): SettingsValues {
  return Object.fromEntries(specs.map((spec) => [spec.key, spec.default]));
}

/** Describes the values a setting accepts, e.g. "an integer from 2 to 50" or "one of none, batch". */
export function describeAllowed(spec: SettingSpec): string {
  if (spec.kind === 'choice') return `one of ${spec.options.map((o) => o.value).join(', ')}`;
  if (spec.kind === 'boolean') return 'true or false';
  return `${spec.kind === 'int' ? 'an integer' : 'a number'} from ${spec.min} to ${spec.max}`;
}

/** Checks one value against its spec; returns an error message or undefined. */
export function validateSetting(spec: SettingSpec, value: unknown): string | undefined {
  const problem = `${spec.key} must be ${describeAllowed(spec)}, got ${JSON.stringify(value)}`;
  if (spec.kind === 'choice') return typeof value === 'string' && spec.options.some((o) => o.value === value) ? undefined : problem;
  if (spec.kind === 'boolean') return typeof value === 'boolean' ? undefined : problem;
  if (typeof value !== 'number' || !Number.isFinite(value)) return problem;
  if (spec.kind === 'int' && !Number.isInteger(value)) return problem;
  return value < spec.min || value > spec.max ? problem : undefined;
}

/** Parses a string (CLI flag, URL parameter) into the setting's type; returns undefined if it cannot. */
export function parseSetting(spec: SettingSpec, text: string): SettingValue | undefined {
  if (spec.kind === 'choice') return text;
  if (spec.kind === 'boolean') return text === 'true' || text === '1' || text === '' ? true : text === 'false' || text === '0' ? false : undefined;
  if (text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Fills in defaults and validates; throws one Error listing every problem. Unknown keys are
 * errors too, so a typo never silently falls back to a default.
 */
export function resolveSettings(specs: readonly SettingSpec[], values: SettingsValues = {}): SettingsValues {
  const problems: string[] = [];
  const known = new Set(specs.map((spec) => spec.key));
  for (const key of Object.keys(values)) if (!known.has(key)) problems.push(`unknown setting "${key}" (valid: ${[...known].join(', ')})`);
  const resolved = defaultSettings(specs);
  for (const spec of specs) {
    if (!(spec.key in values)) continue;
    const problem = validateSetting(spec, values[spec.key]);
    if (problem) problems.push(problem);
    else resolved[spec.key] = values[spec.key];
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return resolved;
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
