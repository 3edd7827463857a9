/**
 * Chapter pages: a banner for each active assignment that covers the chapter, and the
 * assignment's widget presets applied through the widget contract (`applySettings`, which also
 * writes the kit's URL state), with the controls it hides taken out of the widget.
 */
import type { ProgressManifest } from '~/exercises/manifest';
import { browserStorage, type ProgressData } from '~/exercises/progress-store';
import { progress } from '~/exercises/progress-instance';
import type { SettingSpec, SettingValue } from '~/engine/types';
import { readShellConfig, type WidgetElement } from '~/widgets/kit/widget-element';
import { readActive } from './active-store';
import { ASSIGNMENT_PATH, decodeAssignment, type Assignment, type WidgetPreset } from './link';
import { describeDue, element } from './student-view';

function isPresettable(node: HTMLElement): node is WidgetElement {
  return typeof (node as Partial<WidgetElement>).applySettings === 'function';
}

function readManifest(): ProgressManifest {
  try {
    return JSON.parse(document.getElementById('skipcourse-progress-manifest')?.textContent ?? '{}') as ProgressManifest;
  } catch {
    return {};
  }
}

/** "Depth = 30" with the setting's label and, for a choice, the option's label. */
function describeSetting(specs: readonly SettingSpec[], key: string, value: SettingValue): string {
  const spec = specs.find((candidate) => candidate.key === key);
  if (!spec) return `${key} = ${String(value)}`;
  const shown = spec.kind === 'choice' ? (spec.options.find((option) => option.value === value)?.label ?? String(value)) : typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
  return `${spec.label} = ${shown}`;
}

/** Applies one preset to its widget on this page; returns a sentence for the banner. */
async function applyPreset(preset: WidgetPreset): Promise<string> {
  const widget = document.querySelector<HTMLElement>(`[data-widget-id="${CSS.escape(preset.widget)}"]`);
  if (!widget) return `The assignment sets a widget “${preset.widget}” that is not on this page any more; the chapter’s widgets open as usual.`;
  if (widget.localName.includes('-')) await customElements.whenDefined(widget.localName);
  const { specs } = readShellConfig(widget);
  const title = widget.querySelector('.widget-title')?.textContent?.trim() || preset.widget;
  // Values already in the link (the student's own changes, kept by the kit's URL state) stay.
  const ownValues = [...new URLSearchParams(location.search).keys()].some((name) => name.startsWith(`${preset.widget}.`));
  if (!ownValues && isPresettable(widget)) widget.applySettings(preset.settings);
  for (const key of preset.hidden) {
    widget.querySelector<HTMLElement>(`[data-control-for="${CSS.escape(key)}"]`)?.setAttribute('data-assignment-hidden', '');
  }
  const described = Object.entries(preset.settings).map(([key, value]) => `${describeSetting(specs, key, value)}${preset.hidden.includes(key) ? ' (fixed)' : ''}`);
  return `“${title}” opens with your instructor’s settings: ${described.join(', ')}.${ownValues ? ' This page’s link changes some of them; open the chapter from the assignment to start from your instructor’s settings.' : ''}`;
}

function coversChapter(assignment: Assignment, slug: string, manifest: ProgressManifest): boolean {
  const exercises = new Set(manifest[slug]?.exercises ?? []);
  return (
    assignment.chapters.includes(slug) ||
    assignment.exercises.some((id) => exercises.has(id)) ||
    assignment.presets.some((preset) => preset.chapter === slug)
  );
}

interface Banner {
  assignment: Assignment;
  fragment: string;
  presetLines: string[];
}

function progressLine(assignment: Assignment, slug: string, manifest: ProgressManifest, data: ProgressData): string {
  const all = manifest[slug]?.exercises ?? [];
  const whole = assignment.chapters.includes(slug);
  const assigned = whole ? all : all.filter((id) => assignment.exercises.includes(id));
  const solved = assigned.filter((id) => data.exercises[id]?.solved).length;
  const read = data.chapters[slug]?.read;
  if (whole) {
    return `It asks you to read this chapter${assigned.length ? ` and do its ${assigned.length} exercises: ${solved} solved so far` : ''}${read ? '; you have read it' : ''}.`;
  }
  return assigned.length ? `It asks for ${assigned.length} of this chapter’s exercises: ${solved} solved so far.` : 'It uses this chapter’s widgets.';
}

function render(container: HTMLElement, banners: Banner[], slug: string, manifest: ProgressManifest, data: ProgressData): void {
  container.replaceChildren(
    ...banners.map(({ assignment, fragment, presetLines }) => {
      const box = element('section', undefined, 'assignment-banner');
      const name = assignment.title || 'Untitled assignment';
      box.setAttribute('aria-label', `Assignment: ${name}`);
      const first = element('p');
      first.append(element('strong', `Assignment: ${name}`));
      if (assignment.due) first.append(document.createTextNode(`, due ${describeDue(assignment.due)}`));
      first.append(document.createTextNode('.'));
      box.append(first);
      const line = element('p', `${progressLine(assignment, slug, manifest, data)} `);
      line.dataset.assignmentBannerProgress = '';
      const link = element('a', 'Open the assignment');
      link.href = `${ASSIGNMENT_PATH}#${fragment}`;
      line.append(link);
      box.append(line);
      for (const text of presetLines) box.append(element('p', text));
      return box;
    }),
  );
}

async function start(): Promise<void> {
  const container = document.querySelector<HTMLElement>('[data-assignment-banners]');
  const slug = container?.dataset.assignmentBanners;
  if (!container || !slug) return;
  const manifest = readManifest();
  const banners: Banner[] = [];
  const presetWidgets = new Set<string>();
  for (const entry of readActive(browserStorage())) {
    const decoded = await decodeAssignment(entry.fragment);
    if (decoded.status === 'unreadable' || !coversChapter(decoded.assignment, slug, manifest)) continue;
    banners.push({ assignment: decoded.assignment, fragment: entry.fragment, presetLines: [] });
  }
  render(container, banners, slug, manifest, progress.data);
  progress.subscribe((data) => render(container, banners, slug, manifest, data));
  // Newest assignment first: when two set the same widget, the newer one's preset wins.
  for (const banner of banners) {
    for (const preset of banner.assignment.presets) {
      if (preset.chapter !== slug || presetWidgets.has(preset.widget)) continue;
      presetWidgets.add(preset.widget);
      banner.presetLines.push(await applyPreset(preset));
    }
  }
  render(container, banners, slug, manifest, progress.data);
}

void start();
