/**
 * Finds the checks and measures that widget folders export from their challenges.ts
 * (docs/architecture.md), and the widget elements on the page. Adding a challenges.ts to a widget
 * folder is all it takes to make its checks available to exercises.
 */
import type { SettingsValues, WidgetState } from '~/engine/types';

export type ChallengeCheck = (state: WidgetState) => { met: boolean; message: string };
export type Measure = (state: WidgetState) => { value: number | string; text: string } | undefined;

interface ChallengesModule {
  challenges?: Record<string, ChallengeCheck>;
  measures?: Record<string, Measure>;
}

const modules = import.meta.glob<ChallengesModule>('../widgets/*/challenges.ts', { eager: true });

export function findChallenge(key: string): ChallengeCheck | undefined {
  for (const module of Object.values(modules)) {
    const check = module.challenges?.[key];
    if (check) return check;
  }
  return undefined;
}

export function findMeasure(key: string): Measure | undefined {
  for (const module of Object.values(modules)) {
    const measure = module.measures?.[key];
    if (measure) return measure;
  }
  return undefined;
}

/** The element contract every widget implements (docs/architecture.md). */
export interface WidgetElement extends HTMLElement {
  getState(): WidgetState;
  play(): void;
  pause(): void;
  reset(): void;
  applySettings(partial: SettingsValues): void;
}

function isReady(element: Element): element is WidgetElement {
  return typeof (element as Partial<WidgetElement>).getState === 'function' && typeof (element as Partial<WidgetElement>).play === 'function';
}

/** The widget with this data-widget-id once its custom element is defined, or undefined if there is none. */
export async function findWidget(widgetId: string): Promise<WidgetElement | undefined> {
  const element = document.querySelector(`[data-widget-id="${CSS.escape(widgetId)}"]`);
  if (!element) return undefined;
  if (isReady(element)) return element;
  if (element.localName.includes('-')) await customElements.whenDefined(element.localName);
  return isReady(element) ? element : undefined;
}
