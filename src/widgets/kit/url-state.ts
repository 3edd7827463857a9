/**
 * Widget settings in the query string: `?<widgetId>.<key>=<value>`, so a link restores them.
 * Pure functions over the search string; the widget element calls history.replaceState and shows
 * what these return (invalid values next to their control, notices in the widget).
 */
import type { SettingSpec, SettingsValues } from '~/engine/types';
import { quoteShort, sameSettingValue, shorten, settingToText, validateSetting, type SettingProblem } from './setting-values';

export interface UrlSettings {
  /** Valid values found for this widget. */
  values: SettingsValues;
  /** Values the link gave that are not valid: shown next to their control, which keeps its value. */
  invalid: SettingProblem[];
  /** Sentences about the rest of this widget's part of the link (unknown or repeated keys). */
  notices: string[];
}

/** Unknown names listed one by one in a notice; more are counted. */
const NAMES_LISTED = 5;

/** "a, b and c", or "a, b, c, d, e and 495 more". */
function joinList(items: readonly string[]): string {
  if (items.length > NAMES_LISTED) return `${items.slice(0, NAMES_LISTED).join(', ')} and ${items.length - NAMES_LISTED} more`;
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}` : (items[0] ?? '');
}

/** Reads this widget's settings from a query string (with or without the leading "?"). */
export function parseUrlSettings(search: string, widgetId: string, specs: readonly SettingSpec[]): UrlSettings {
  const params = new URLSearchParams(search);
  const prefix = `${widgetId}.`;
  const values: SettingsValues = {};
  const invalid: SettingProblem[] = [];
  const notices: string[] = [];
  const unknown: string[] = [];
  const names = new Set([...params.keys()].filter((name) => name.startsWith(prefix)));
  for (const name of names) {
    const key = name.slice(prefix.length);
    const spec = specs.find((candidate) => candidate.key === key);
    if (!spec) {
      unknown.push(key);
      continue;
    }
    const given = params.getAll(name);
    // The last value wins, as when a link is built by appending to an older one.
    const raw = given[given.length - 1];
    if (given.length > 1) {
      notices.push(
        `The link sets ${spec.label} ${given.length} times (${given.slice(0, NAMES_LISTED).map(shorten).join(', ')}${given.length > NAMES_LISTED ? ', …' : ''}); the last value, ${shorten(raw)}, is used.`,
      );
    }
    const result = validateSetting(spec, raw);
    if (result.ok) values[key] = result.value;
    else invalid.push({ key, message: `The link’s value was ignored: ${result.message}` });
  }
  if (unknown.length === 1) notices.push(`The link’s setting ${quoteShort(unknown[0])} does not exist in this widget and was ignored.`);
  else if (unknown.length > 1) notices.push(`${unknown.length} settings in the link were not recognised and were ignored: ${joinList(unknown.map(quoteShort))}.`);
  return { values, invalid, notices };
}

/**
 * A sentence about link parameters shaped like widget settings (`<id>.<key>`) whose widget id is
 * not on the page (a typo, another chapter's widget), naming the widgets that are; undefined when
 * there are none. Shown once per page, by its first widget.
 */
export function otherWidgetsNotice(search: string, pageWidgetIds: readonly string[]): string | undefined {
  const strangers = new Set<string>();
  for (const name of new URLSearchParams(search).keys()) {
    const dot = name.indexOf('.');
    if (dot <= 0) continue; // not a widget setting (utm_source, q, ...)
    const id = name.slice(0, dot);
    if (!pageWidgetIds.includes(id)) strangers.add(id);
  }
  if (strangers.size === 0) return undefined;
  const described = [...strangers].map((id) => {
    const sameLetters = pageWidgetIds.find((candidate) => candidate.toLowerCase() === id.toLowerCase());
    return sameLetters ? `${quoteShort(id)} (did you mean ${quoteShort(sameLetters)}?)` : quoteShort(id);
  });
  const which = strangers.size === 1 ? `a widget ${described[0]} that is` : `widgets ${joinList(described)} that are`;
  const here =
    pageWidgetIds.length === 0
      ? 'This page has no widgets.'
      : `The ${pageWidgetIds.length === 1 ? 'widget' : 'widgets'} on this page: ${pageWidgetIds.map(quoteShort).join(', ')}.`;
  return `The link has settings for ${which} not on this page, so they were ignored. ${here}`;
}

/**
 * otherWidgetsNotice for the first widget on the page (in document order), so the page says it
 * once; undefined for every other widget.
 */
export function linkNoticeForFirstWidget(widgetId: string, search: string, root: ParentNode = document): string | undefined {
  const ids = [...root.querySelectorAll<HTMLElement>('[data-widget-id]')].map((element) => element.dataset.widgetId ?? '');
  return ids[0] === widgetId ? otherWidgetsNotice(search, ids) : undefined;
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
