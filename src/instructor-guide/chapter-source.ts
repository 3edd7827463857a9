/**
 * What the instructor guide reads from a chapter's MDX sources (content/lessons/<slug>.mdx and
 * content/exercises/<slug>.mdx): the widgets on its page and its misconception boxes. Pure string
 * functions, used at build time by the guide pages and by the unit and browser tests.
 */
import type { SettingValue } from '~/engine/types';
import { settingToText } from '~/widgets/kit/setting-values';
import { mdxAttribute as attribute, withoutCodeBlocks as withoutCode } from '~/exercises/manifest';

export interface ChapterWidget {
  /** The widget's id on the chapter page (data-widget-id, prefix of its URL settings). */
  id: string;
  /** Its folder under src/widgets/, e.g. "gradient-flow". */
  folder: string;
  /** Its component file, relative to the project, e.g. "src/widgets/gradient-flow/GradientFlow.astro". */
  component: string;
  /** The title the chapter gives it, when it gives one. */
  title?: string;
}

/** Widgets placed in an MDX source, in order: components imported from ~/widgets/<folder>/. */
export function widgetsInMdx(source: string): ChapterWidget[] {
  const text = withoutCode(source);
  const folders = new Map<string, { folder: string; component: string }>();
  for (const match of text.matchAll(/^import\s+(\w+)\s+from\s+['"]~\/widgets\/(([\w-]+)\/[\w-]+\.astro)['"]/gm)) {
    folders.set(match[1], { folder: match[3], component: `src/widgets/${match[2]}` });
  }
  if (folders.size === 0) return [];
  const widgets: ChapterWidget[] = [];
  const opening = new RegExp(`<(${[...folders.keys()].join('|')})\\b((?:[^>"'{}]|"[^"]*"|'[^']*'|\\{(?:[^{}]|\\{[^{}]*\\})*\\})*)/?>`, 'g');
  for (const match of text.matchAll(opening)) {
    const id = attribute(match[2], 'id');
    if (id !== undefined) widgets.push({ id, ...folders.get(match[1])!, title: attribute(match[2], 'title') });
  }
  return widgets;
}

/** The default title a widget component gives itself (`title = '...'` in its props), if it has one. */
export function defaultWidgetTitle(componentSource: string): string | undefined {
  return /\btitle\s*=\s*(?:'([^']+)'|"([^"]+)")/.exec(componentSource)?.slice(1).find((group) => group !== undefined);
}

/** Titles of the chapter's <Callout type="misconception" title="..."> boxes, in order. */
export function misconceptionTitlesInMdx(source: string): string[] {
  const titles: string[] = [];
  for (const match of withoutCode(source).matchAll(/<Callout\b([^>]*)>/g)) {
    if (attribute(match[1], 'type') !== 'misconception') continue;
    const title = attribute(match[1], 'title');
    if (title) titles.push(title);
  }
  return titles;
}

/** Fragment id of a widget's heading on its page (WidgetShell gives its title id="<id>-title"). */
export function widgetAnchor(widgetId: string): string {
  return `${widgetId}-title`;
}

/**
 * A link that opens a chapter at a widget with the given settings, in the kit's URL state
 * (`?<widgetId>.<key>=<value>`, src/widgets/kit/url-state.ts).
 */
export function demoHref(chapterPath: string, widgetId: string, settings: Readonly<Record<string, SettingValue>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(settings)) params.set(`${widgetId}.${key}`, settingToText(value));
  const query = params.toString();
  return `${chapterPath}${query ? `?${query}` : ''}#${widgetAnchor(widgetId)}`;
}
