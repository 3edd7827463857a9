/**
 * A widget's settings in the page, for any widget (training or not): the values in effect, the
 * controls that show them (data-setting="<key>", a slider data-range-for="<key>", an error line
 * data-error-for="<key>"), validation with the one validator, the "All settings (n)" fold, and URL
 * state (?<id>.<key>=<value>) with its notices. The widget says what a change means (restart a
 * run, recompute a formula) in `onChange`.
 *
 * Bad input keeps the typed text, shows a message next to its control and leaves the previous
 * value in effect; a bad link value is reported the same way, and other link problems as notices.
 */
import type { SettingSpec, SettingsValues, SettingValue } from '~/engine/types';
import { setControlError } from './control-error';
import type { WidgetMessages } from './messages';
import { SettingsFold } from './settings-fold';
import { settingToText, validateSetting, validateSettings, type SettingProblem, type Validation } from './setting-values';
import { linkNoticeForFirstWidget, parseUrlSettings, writeUrlSettings } from './url-state';

type SettingControl = HTMLInputElement | HTMLSelectElement;

export interface SettingsControllerOptions {
  /** The widget's root element: controls, error lines and the fold are found inside it. */
  root: HTMLElement;
  /** The widget's id on the page, prefix of its URL parameters. */
  widgetId: string;
  specs: readonly SettingSpec[];
  /** Defaults plus the chapter's preset: the values a fresh page starts from, and the URL's baseline. */
  base: SettingsValues;
  /** Where link notices (and errors of a setting without an error line) are shown. */
  messages: WidgetMessages;
  /** The values changed: `keys` is what changed, `from` whether the reader's control did it or code (applySettings, restore). */
  onChange: (keys: readonly string[], from: 'control' | 'code') => void;
  /**
   * The reader committed a control (its change event): `problem` is the message shown next to it
   * when the text was refused. For widgets that say each edit aloud (the chain-rule stepper).
   */
  onCommit?: (spec: SettingSpec, problem: string | undefined) => void;
  /**
   * How a control's text is read; default: the one validator. `current` is the value in effect, for
   * messages such as "… keeps using 0.5".
   */
  read?: (spec: SettingSpec, raw: string | boolean, current: SettingValue | undefined) => Validation;
  /** Apply a valid value while the reader types or drags (input events), not only when committed. */
  live?: boolean;
}

export class SettingsController {
  private current: SettingsValues;
  private readonly fold: SettingsFold;

  constructor(private readonly options: SettingsControllerOptions) {
    const { root, widgetId, specs, base, messages } = options;
    const fromUrl = parseUrlSettings(location.search, widgetId, specs);
    this.current = { ...base, ...fromUrl.values };
    this.fold = new SettingsFold(root.querySelector<HTMLDetailsElement>('[data-part="all-settings"]'), `${location.pathname}#${widgetId}`);
    // A value from the link, valid or not, is never out of sight in the fold.
    this.fold.reveal([...Object.keys(fromUrl.values), ...fromUrl.invalid.map((problem) => problem.key)]);
    for (const spec of specs) this.writeControl(spec.key);
    for (const problem of fromUrl.invalid) this.showError(problem.key, problem.message);
    fromUrl.notices.forEach((text, index) => messages.set(`url-${index}`, 'notice', text));
    const otherWidgets = linkNoticeForFirstWidget(widgetId, location.search);
    if (otherWidgets) messages.set('url-widgets', 'notice', otherWidgets);
    for (const spec of specs) this.wire(spec);
  }

  /** The values in effect (a fresh copy is not made: do not modify). */
  get values(): SettingsValues {
    return this.current;
  }

  /** Defaults plus the chapter's preset. */
  get base(): SettingsValues {
    return this.options.base;
  }

  /**
   * Validates and applies settings from code (an exercise, a restore button). Invalid values are
   * reported next to their control and not applied. Returns the problems found.
   */
  apply(partial: Readonly<Record<string, unknown>>): SettingProblem[] {
    return this.update(partial, 'code');
  }

  /** Back to the chapter's values, every error line cleared. */
  restore(): void {
    for (const spec of this.options.specs) this.showError(spec.key, '');
    this.update(this.options.base, 'code');
  }

  /** Shows (or, with '', clears) the message next to a setting's control. */
  showError(key: string, message: string): void {
    const error = this.options.root.querySelector<HTMLElement>(`[data-error-for="${key}"]`);
    setControlError(this.control(key), error, message);
    if (!error) {
      if (message) this.options.messages.set(`setting-${key}`, 'notice', message);
      else this.options.messages.delete(`setting-${key}`);
    }
  }

  /** `typing`: the control the reader is typing in, whose text is left alone. */
  private update(partial: Readonly<Record<string, unknown>>, from: 'control' | 'code', typing?: Element): SettingProblem[] {
    const { values, problems } = validateSettings(this.options.specs, partial);
    // A change from outside the controls (an exercise) or a problem is never hidden in the fold.
    if (from === 'code') this.fold.reveal([...Object.keys(values), ...problems.map((problem) => problem.key)]);
    for (const problem of problems) this.showError(problem.key, problem.message);
    const changed = Object.keys(values).filter((key) => settingToText(values[key]) !== settingToText(this.current[key]));
    if (changed.length > 0) this.current = { ...this.current, ...values };
    // Every control given a valid value shows it as the widget writes it ("7.0" becomes "7").
    for (const key of Object.keys(values)) {
      this.showError(key, '');
      this.writeControl(key, typing);
    }
    if (changed.length === 0) return problems;
    this.writeUrl();
    this.options.onChange(changed, from);
    return problems;
  }

  private control(key: string): SettingControl | null {
    return this.options.root.querySelector<SettingControl>(`[data-setting="${key}"]`);
  }

  private range(key: string): HTMLInputElement | null {
    return this.options.root.querySelector<HTMLInputElement>(`input[data-range-for="${key}"]`);
  }

  private wire(spec: SettingSpec): void {
    const control = this.control(spec.key);
    if (!control) return;
    const read = () => {
      const raw = control instanceof HTMLInputElement && control.type === 'checkbox' ? control.checked : control.value;
      return this.options.read ? this.options.read(spec, raw, this.current[spec.key]) : validateSetting(spec, raw);
    };
    control.addEventListener('change', () => {
      const result = read();
      // Keep what the reader typed, say what is wrong, and keep the previous value in effect.
      if (!result.ok) this.showError(spec.key, result.message);
      else this.update({ [spec.key]: result.value }, 'control');
      this.options.onCommit?.(spec, result.ok ? undefined : result.message);
    });
    if (this.options.live) {
      control.addEventListener('input', () => {
        const result = read();
        if (result.ok) this.update({ [spec.key]: result.value }, 'control', control);
      });
    }
    const range = this.range(spec.key);
    if (range && spec.kind !== 'choice' && spec.kind !== 'boolean') {
      const fromRange = () => {
        const position = Number(range.value);
        const value = spec.scale === 'log' ? 10 ** position : position;
        return spec.kind === 'int' ? Math.round(value) : Number(value.toPrecision(3));
      };
      range.addEventListener('input', () => {
        if (this.options.live) {
          this.update({ [spec.key]: fromRange() }, 'control', range);
          return;
        }
        control.value = settingToText(fromRange());
        this.showError(spec.key, '');
      });
      range.addEventListener('change', () => this.update({ [spec.key]: fromRange() }, 'control', range));
    }
  }

  /**
   * Writes the current value of a setting into its control, its slider and the value shown beside
   * a slider (output data-value-for), except into `typing`, the element the reader is using.
   */
  private writeControl(key: string, typing?: Element): void {
    const control = this.control(key);
    const value = this.current[key];
    if (!control || value === undefined) return;
    const output = this.options.root.querySelector<HTMLOutputElement>(`output[data-value-for="${key}"]`);
    if (output) output.value = settingToText(value);
    if (control === typing) return;
    if (control instanceof HTMLInputElement && control.type === 'checkbox') control.checked = value === true;
    else if (control.value !== settingToText(value)) control.value = settingToText(value);
    const spec = this.options.specs.find((candidate) => candidate.key === key);
    const range = this.range(key);
    if (range && range !== typing && spec && typeof value === 'number') {
      range.value = String(spec.kind !== 'choice' && spec.kind !== 'boolean' && spec.scale === 'log' ? Math.log10(value) : value);
    }
  }

  private writeUrl(): void {
    const { widgetId, specs, base } = this.options;
    const search = writeUrlSettings(location.search, widgetId, specs, this.current, base);
    if (search !== location.search) history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
  }
}
