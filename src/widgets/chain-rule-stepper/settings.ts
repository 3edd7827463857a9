/**
 * The stepper's settings as one declarative table (the house pattern, see src/engine/types.ts),
 * with the defaults the chapter's worked example uses, and the parsing of what a reader types.
 * Pure data and functions: no DOM.
 */
import type { NumberSetting, SettingSpec, SettingsValues } from '../../engine/types';
import type { HiddenActivation, NumberSettingName, OutputActivation, StepperSettings } from './types';
import { NUMBER_SETTING_NAMES } from './types';

const VALUE_RANGE = { min: -10, max: 10, step: 0.1 } as const;

function numberSetting(key: NumberSettingName, label: string, value: number, help?: string): NumberSetting {
  return { key, label, kind: 'number', ...VALUE_RANGE, default: value, ...(help ? { help } : {}) };
}

export const stepperSettings = [
  numberSetting('x1', 'Input x1', 1),
  numberSetting('x2', 'Input x2', 0.5),
  numberSetting('w1', 'Weight w1 (x1 → z1)', 0.5),
  numberSetting('w2', 'Weight w2 (x2 → z1)', -0.3),
  numberSetting('b1', 'Bias b1', 0.1),
  numberSetting('w3', 'Weight w3 (x1 → z2)', -0.4),
  numberSetting('w4', 'Weight w4 (x2 → z2)', 0.8),
  numberSetting('b2', 'Bias b2', 0),
  numberSetting('w5', 'Weight w5 (h1 → output)', 0.7),
  numberSetting('w6', 'Weight w6 (h2 → output)', -0.5),
  numberSetting('b3', 'Bias b3', 0.2),
  numberSetting('y', 'Target y', 1),
  {
    key: 'activation',
    label: 'Hidden activation',
    kind: 'choice',
    options: [
      { value: 'sigmoid', label: 'sigmoid σ' },
      { value: 'tanh', label: 'tanh' },
    ],
    default: 'sigmoid',
  },
  {
    key: 'output',
    label: 'Output unit',
    kind: 'choice',
    options: [
      { value: 'linear', label: 'linear: ŷ = z3' },
      { value: 'sigmoid', label: 'sigmoid: ŷ = σ(z3)' },
    ],
    default: 'linear',
  },
] as const satisfies readonly SettingSpec[];

export function defaultSettings(): StepperSettings {
  const values: Record<string, number | string> = {};
  for (const spec of stepperSettings) values[spec.key] = spec.default;
  return values as StepperSettings;
}

export function numberSpec(key: NumberSettingName): NumberSetting {
  const spec = stepperSettings.find((s) => s.key === key);
  if (!spec || spec.kind !== 'number') throw new Error(`no number setting ${key}`);
  return spec;
}

export type ParseResult = { ok: true; value: number } | { ok: false; message: string };

/**
 * Reads a number as a reader types it: "-0.5", "−0.5" (typographic minus), "0,5", ".5", "1e-3".
 * Anything else, or a number outside the setting's range, gets a message that says what to type.
 */
export function parseNumberInput(text: string, spec: NumberSetting): ParseResult {
  const normalised = text.trim().replace(/\u2212/g, '-').replace(/^\+/, '').replace(',', '.');
  const looksNumeric = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(normalised);
  const value = Number(normalised);
  if (normalised === '' || !looksNumeric || !Number.isFinite(value)) {
    return { ok: false, message: `Type a number from ${spec.min} to ${spec.max}, such as 0.5 or -1.2.` };
  }
  if (value < spec.min || value > spec.max) {
    return { ok: false, message: `${value} is out of range: use a number from ${spec.min} to ${spec.max}.` };
  }
  return { ok: true, value };
}

const ACTIVATIONS: readonly HiddenActivation[] = ['sigmoid', 'tanh'];
const OUTPUTS: readonly OutputActivation[] = ['linear', 'sigmoid'];

/**
 * Merges the valid entries of `partial` (numbers or strings, e.g. from a URL or a chapter preset)
 * into `base`; unknown keys and invalid values are left out and listed in `rejected`.
 */
export function mergeSettings(
  base: StepperSettings,
  partial: SettingsValues,
): { settings: StepperSettings; rejected: string[] } {
  const settings: StepperSettings = { ...base };
  const rejected: string[] = [];
  for (const [key, raw] of Object.entries(partial)) {
    if ((NUMBER_SETTING_NAMES as readonly string[]).includes(key)) {
      const name = key as NumberSettingName;
      const parsed = parseNumberInput(String(raw), numberSpec(name));
      if (parsed.ok && typeof raw !== 'boolean') settings[name] = parsed.value;
      else rejected.push(key);
    } else if (key === 'activation' && (ACTIVATIONS as readonly unknown[]).includes(raw)) {
      settings.activation = raw as HiddenActivation;
    } else if (key === 'output' && (OUTPUTS as readonly unknown[]).includes(raw)) {
      settings.output = raw as OutputActivation;
    } else {
      rejected.push(key);
    }
  }
  return { settings, rejected };
}
