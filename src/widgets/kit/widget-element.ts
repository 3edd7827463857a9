/**
 * The widget element contract (docs/architecture.md), for every widget element, training or not,
 * and the configuration WidgetShell.astro writes on its root.
 */
import type { SettingSpec, SettingsValues, WidgetState } from '~/engine/types';

/** What exercises and tests may call on any widget's root element. */
export interface WidgetElement extends HTMLElement {
  getState(): WidgetState;
  play(): void;
  pause(): void;
  reset(): void;
  /** Applies valid values (and reports the invalid ones next to their controls). */
  applySettings(partial: Readonly<Record<string, unknown>>): unknown;
}

/** Tells listeners (exercise checks) the widget's state: a bubbling `widget:update` event. */
export function dispatchWidgetUpdate(element: HTMLElement, state: WidgetState): void {
  element.dispatchEvent(new CustomEvent<WidgetState>('widget:update', { bubbles: true, detail: state }));
}

/** The configuration WidgetShell.astro renders on the widget's root element. */
export interface ShellConfig {
  widgetId: string;
  kind: string;
  /** Registry name of the experiment ('' for a widget that runs none). */
  experiment: string;
  specs: SettingSpec[];
  /** Defaults plus the chapter's preset. */
  base: SettingsValues;
  maxSteps: number | undefined;
}

export function readShellConfig(element: HTMLElement): ShellConfig {
  const { dataset } = element;
  return {
    widgetId: dataset.widgetId ?? element.id,
    kind: dataset.widget ?? '',
    experiment: dataset.experiment ?? dataset.widget ?? '',
    specs: JSON.parse(dataset.settingsSpec ?? '[]') as SettingSpec[],
    base: JSON.parse(dataset.baseSettings ?? '{}') as SettingsValues,
    maxSteps: dataset.maxSteps ? Number(dataset.maxSteps) : undefined,
  };
}
