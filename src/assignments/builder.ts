/**
 * /instructors/assign/: reads the form into an Assignment, writes the link (with its checksum),
 * the QR code (uqr, loaded when the first link exists) and the preview on every change, offers
 * widget presets read from the chapter pages themselves, and builds the Common Cartridge (fflate,
 * loaded on demand). The draft is kept in this browser so a reload loses nothing.
 */
import { emptyProgress } from '~/exercises/progress-store';
import type { SettingSpec, SettingValue } from '~/engine/types';
import { downloadBlob } from '~/widgets/kit/chart-export';
import { settingToText, validateSetting } from '~/widgets/kit/setting-values';
import { readShellConfig } from '~/widgets/kit/widget-element';
import { chapterPath, readCatalogue, resolveAssignment } from './catalogue';
import { assignmentUrl, decodeAssignment, emptyAssignment, encodeAssignment, newAssignmentId, type Assignment, type WidgetPreset } from './link';
import { element, renderAssignmentView } from './student-view';

const DRAFT_KEY = 'skipcourse:assignment-draft';
const catalogue = readCatalogue();
const form = document.querySelector<HTMLFormElement>('[data-builder-form]')!;
const field = <T extends Element>(selector: string) => document.querySelector<T>(selector)!;
const titleInput = field<HTMLInputElement>('#builder-title');
const dueInput = field<HTMLInputElement>('#builder-due');
const notesInput = field<HTMLTextAreaElement>('#builder-notes');
const status = field<HTMLElement>('[data-builder-status]');
const output = field<HTMLElement>('[data-builder-output]');
const linkBox = field<HTMLTextAreaElement>('[data-builder-link]');
const openLink = field<HTMLAnchorElement>('[data-builder-open]');
const copyStatus = field<HTMLElement>('[data-builder-copy-status]');
const qrBox = field<HTMLElement>('[data-builder-qr]');
const qrCaption = field<HTMLElement>('[data-builder-qr-caption]');
const preview = field<HTMLElement>('[data-builder-preview]');

let assignmentId = newAssignmentId();
/** The current link, when the assignment can be one. */
let currentUrl = '';
/** Presets kept for chapters whose widget list is not loaded (a restored draft, an edited link). */
let pendingPresets: WidgetPreset[] = [];

// ---- reading the form ------------------------------------------------------------------------

const checkedValues = (name: string) => [...form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((input) => input.value);

/** The settings of one widget's preset rows that are fixed and valid. */
function readPresetRows(): WidgetPreset[] {
  const presets: WidgetPreset[] = [];
  for (const group of form.querySelectorAll<HTMLFieldSetElement>('[data-preset-widget]')) {
    const chapter = group.dataset.presetChapter ?? '';
    const settings: Record<string, SettingValue> = {};
    const hidden: string[] = [];
    for (const row of group.querySelectorAll<HTMLElement>('[data-preset-key]')) {
      const key = row.dataset.presetKey ?? '';
      const fix = row.querySelector<HTMLInputElement>('[data-preset-fix]');
      if (!fix?.checked) continue;
      const value = readPresetValue(row);
      if (value === undefined) continue;
      settings[key] = value;
      if (row.querySelector<HTMLInputElement>('[data-preset-hide]')?.checked) hidden.push(key);
    }
    if (Object.keys(settings).length > 0) presets.push({ chapter, widget: group.dataset.presetWidget ?? '', settings, hidden });
  }
  return presets;
}

function readPresetValue(row: HTMLElement): SettingValue | undefined {
  const spec = JSON.parse(row.dataset.presetSpec ?? '{}') as SettingSpec;
  const control = row.querySelector<HTMLInputElement | HTMLSelectElement>('[data-preset-value]');
  const error = row.querySelector<HTMLElement>('[data-preset-error]');
  if (!control) return undefined;
  const raw = control instanceof HTMLInputElement && control.type === 'checkbox' ? control.checked : control.value;
  const checked = validateSetting(spec, raw);
  if (error) error.textContent = checked.ok ? '' : checked.message;
  control.toggleAttribute('aria-invalid', !checked.ok);
  return checked.ok ? checked.value : undefined;
}

function readForm(): Assignment {
  const chapters = checkedValues('chapter');
  const whole = new Set(chapters);
  const chapterOf = new Map(catalogue.flatMap((chapter) => chapter.exercises.map((exercise) => [exercise.id, chapter.slug] as const)));
  const loaded = new Set([...form.querySelectorAll<HTMLElement>('[data-preset-widget]')].map((group) => group.dataset.presetChapter));
  return {
    ...emptyAssignment(assignmentId),
    title: titleInput.value.trim(),
    due: dueInput.value,
    notes: notesInput.value,
    chapters,
    // An exercise of a whole chapter is already assigned with it.
    exercises: checkedValues('exercise').filter((id) => !whole.has(chapterOf.get(id) ?? '')),
    presets: [...readPresetRows(), ...pendingPresets.filter((preset) => !loaded.has(preset.chapter))],
  };
}

// ---- output: link, QR, preview -----------------------------------------------------------------

let updateCount = 0;

async function update(): Promise<void> {
  const ticket = ++updateCount;
  const assignment = readForm();
  showPresetButtons(assignment);
  renderAssignmentView(preview, assignment, catalogue, emptyProgress(), { headingLevel: 3, idPrefix: 'preview' });
  saveDraft(assignment);
  const encoded = await encodeAssignment(assignment);
  if (ticket !== updateCount) return; // a newer change is being written
  if (!encoded.ok) {
    status.textContent = encoded.message;
    output.hidden = true;
    currentUrl = '';
    return;
  }
  currentUrl = assignmentUrl(location.origin, encoded.fragment);
  status.textContent = `The link is ready (${currentUrl.length.toLocaleString('en')} characters). It changes as you edit: share the final one.`;
  output.hidden = false;
  linkBox.value = currentUrl;
  openLink.href = currentUrl;
  copyStatus.textContent = '';
  await drawQr(currentUrl);
}

async function drawQr(url: string): Promise<void> {
  const { encode } = await import('uqr');
  if (url !== currentUrl) return;
  let modules: boolean[][];
  try {
    modules = encode(url, { ecc: 'L', boostEcc: true, border: 4 }).data;
  } catch {
    qrBox.replaceChildren();
    qrCaption.textContent = 'The link is too long for a QR code: share it as a link.';
    return;
  }
  const size = modules.length;
  const path = modules.flatMap((row, y) => row.map((dark, x) => (dark ? `M${x} ${y}h1v1h-1z` : ''))).join('');
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'QR code of the assignment link');
  svg.setAttribute('shape-rendering', 'crispEdges');
  const background = document.createElementNS(svgNs, 'rect');
  background.setAttribute('width', String(size));
  background.setAttribute('height', String(size));
  background.setAttribute('fill', '#ffffff');
  const dots = document.createElementNS(svgNs, 'path');
  dots.setAttribute('d', path);
  dots.setAttribute('fill', '#000000');
  svg.append(background, dots);
  qrBox.replaceChildren(svg);
  qrCaption.textContent = `QR code of the link (${size - 8} × ${size - 8} modules), for a projector: students scan it with a phone camera.`;
}

/** A chapter's "Widget presets…" button shows once the chapter is in the assignment. */
function showPresetButtons(assignment: Assignment): void {
  const inAssignment = new Set(resolveAssignment(assignment, catalogue).chapters.map((item) => item.chapter.slug));
  for (const box of form.querySelectorAll<HTMLElement>('[data-builder-presets]')) box.hidden = !inAssignment.has(box.dataset.builderPresets ?? '');
}

// ---- widget presets, read from the chapter page ---------------------------------------------------

interface PageWidget {
  id: string;
  title: string;
  specs: SettingSpec[];
  base: Record<string, SettingValue>;
}

/** The widgets with settings on a chapter page (the kit's markup: data-settings-spec). */
async function widgetsOf(slug: string): Promise<PageWidget[]> {
  const response = await fetch(chapterPath(slug));
  if (!response.ok) throw new Error(`the chapter page answered ${response.status}`);
  const page = new DOMParser().parseFromString(await response.text(), 'text/html');
  return [...page.querySelectorAll<HTMLElement>('[data-widget-id][data-settings-spec]')].map((node) => {
    const config = readShellConfig(node);
    return { id: config.widgetId, title: node.querySelector('.widget-title')?.textContent?.trim() || config.widgetId, specs: config.specs, base: config.base };
  });
}

function valueControl(spec: SettingSpec, value: SettingValue, id: string): HTMLInputElement | HTMLSelectElement {
  if (spec.kind === 'choice') {
    const select = element('select');
    for (const option of spec.options) {
      const node = element('option', option.label);
      node.value = option.value;
      node.selected = option.value === value;
      select.append(node);
    }
    select.id = id;
    select.dataset.presetValue = '';
    return select;
  }
  const input = element('input');
  input.id = id;
  input.dataset.presetValue = '';
  if (spec.kind === 'boolean') {
    input.type = 'checkbox';
    input.checked = value === true;
  } else {
    input.type = 'number';
    input.min = String(spec.min);
    input.max = String(spec.max);
    input.step = spec.kind === 'int' ? '1' : 'any';
    input.value = settingToText(value);
  }
  return input;
}

function presetRow(chapter: string, widget: PageWidget, spec: SettingSpec, preset: WidgetPreset | undefined): HTMLElement {
  const prefix = `preset-${chapter}-${widget.id}-${spec.key}`;
  const row = element('div', undefined, 'builder-setting');
  row.dataset.presetKey = spec.key;
  row.dataset.presetSpec = JSON.stringify(spec);
  const fixed = preset !== undefined && spec.key in preset.settings;
  const fix = element('input');
  fix.type = 'checkbox';
  fix.id = `${prefix}-fix`;
  fix.dataset.presetFix = '';
  fix.checked = fixed;
  const fixLabel = element('label', `Set ${spec.label}`);
  fixLabel.htmlFor = fix.id;
  const value = valueControl(spec, fixed ? preset.settings[spec.key] : (widget.base[spec.key] ?? spec.default), `${prefix}-value`);
  const valueLabel = element('label', `${spec.label} for students`, 'visually-hidden');
  valueLabel.htmlFor = value.id;
  value.disabled = !fixed;
  const hide = element('input');
  hide.type = 'checkbox';
  hide.id = `${prefix}-hide`;
  hide.dataset.presetHide = '';
  hide.checked = fixed && preset.hidden.includes(spec.key);
  hide.disabled = !fixed;
  const hideLabel = element('label', `Hide the ${spec.label} control from students`);
  hideLabel.htmlFor = hide.id;
  const error = element('span', '', 'assignment-help');
  error.id = `${prefix}-error`;
  error.dataset.presetError = '';
  value.setAttribute('aria-describedby', error.id);
  fix.addEventListener('change', () => {
    value.disabled = !fix.checked;
    hide.disabled = !fix.checked;
    if (!fix.checked) hide.checked = false;
  });
  const first = element('p', undefined, 'builder-check');
  first.append(fix, fixLabel);
  const second = element('p', undefined, 'builder-check');
  second.append(valueLabel, value, hide, hideLabel);
  row.append(first, second, error);
  return row;
}

async function loadPresets(slug: string, button: HTMLButtonElement): Promise<void> {
  const box = button.parentElement?.querySelector<HTMLElement>('[data-builder-preset-widgets]');
  if (!box) return;
  button.disabled = true;
  box.replaceChildren(element('p', 'Reading the chapter’s widgets…'));
  let widgets: PageWidget[];
  try {
    widgets = await widgetsOf(slug);
  } catch (error) {
    box.replaceChildren(element('p', `The chapter’s widgets could not be read (${error instanceof Error ? error.message : String(error)}). Try again.`));
    button.disabled = false;
    return;
  }
  button.hidden = true;
  if (widgets.length === 0) {
    box.replaceChildren(element('p', 'This chapter has no widgets with settings.'));
    return;
  }
  const intro = element('p', 'Set a widget’s settings for students: it opens with them on the chapter page while the assignment is active. Hide a control to keep the setting fixed.', 'assignment-help');
  box.replaceChildren(
    intro,
    ...widgets.map((widget) => {
      const preset = pendingPresets.find((candidate) => candidate.chapter === slug && candidate.widget === widget.id);
      const group = element('fieldset');
      group.dataset.presetWidget = widget.id;
      group.dataset.presetChapter = slug;
      group.append(element('legend', widget.title), ...widget.specs.map((spec) => presetRow(slug, widget, spec, preset)));
      return group;
    }),
  );
  pendingPresets = pendingPresets.filter((preset) => preset.chapter !== slug);
  void update();
}

// ---- draft, editing an older link, a new assignment -------------------------------------------------

function saveDraft(assignment: Assignment): void {
  try {
    localStorage.setItem(DRAFT_KEY, JSON.stringify(assignment));
  } catch {
    // Without storage the draft lasts as long as the page: nothing else depends on it.
  }
}

function fillForm(assignment: Assignment): void {
  assignmentId = assignment.id || newAssignmentId();
  titleInput.value = assignment.title;
  dueInput.value = assignment.due;
  notesInput.value = assignment.notes;
  for (const input of form.querySelectorAll<HTMLInputElement>('input[name="chapter"]')) input.checked = assignment.chapters.includes(input.value);
  for (const input of form.querySelectorAll<HTMLInputElement>('input[name="exercise"]')) {
    input.checked = assignment.exercises.includes(input.value);
    if (input.checked) input.closest('details')?.setAttribute('open', '');
  }
  pendingPresets = assignment.presets;
  for (const box of form.querySelectorAll<HTMLElement>('[data-builder-preset-widgets]')) box.replaceChildren();
  for (const button of form.querySelectorAll<HTMLButtonElement>('[data-builder-load-presets]')) {
    button.hidden = false;
    button.disabled = false;
  }
  // Chapters with presets show them at once, so the instructor sees what the link sets.
  for (const slug of new Set(assignment.presets.map((preset) => preset.chapter))) {
    const button = form.querySelector<HTMLButtonElement>(`[data-builder-load-presets="${CSS.escape(slug)}"]`);
    if (button) void loadPresets(slug, button);
  }
}

async function restoreDraft(): Promise<void> {
  let draft: unknown;
  try {
    draft = JSON.parse(localStorage.getItem(DRAFT_KEY) ?? 'null');
  } catch {
    draft = null;
  }
  if (typeof draft !== 'object' || draft === null) return;
  // Read it back through the link format, which checks every field.
  const encoded = await encodeAssignment({ ...emptyAssignment(''), ...(draft as Partial<Assignment>) });
  if (!encoded.ok) {
    const loose = draft as Partial<Assignment>;
    if (typeof loose.title === 'string') titleInput.value = loose.title;
    if (typeof loose.notes === 'string') notesInput.value = loose.notes;
    field<HTMLElement>('[data-builder-draft]').hidden = typeof loose.title !== 'string' && typeof loose.notes !== 'string';
    return;
  }
  const decoded = await decodeAssignment(encoded.fragment);
  if (decoded.status !== 'ok') return;
  fillForm(decoded.assignment);
  // Said, with the way out next to it, so a restored draft is never mistaken for a fresh form.
  field<HTMLElement>('[data-builder-draft]').hidden = false;
}

field<HTMLButtonElement>('[data-builder-edit]').addEventListener('click', () => {
  const input = field<HTMLInputElement>('[data-builder-edit-link]');
  const hash = input.value.includes('#') ? input.value.slice(input.value.indexOf('#')) : '';
  void decodeAssignment(hash).then((decoded) => {
    if (decoded.status === 'unreadable') {
      status.textContent = `That link could not be loaded: ${decoded.problems.join(' ')}`;
      return;
    }
    fillForm(decoded.assignment);
    void update().then(() => {
      if (decoded.problems.length) status.textContent = `Loaded what could be read. ${decoded.problems.join(' ')}`;
    });
  });
});

field<HTMLButtonElement>('[data-builder-new]').addEventListener('click', () => {
  field<HTMLElement>('[data-builder-draft]').hidden = true;
  fillForm(emptyAssignment(newAssignmentId()));
  void update();
  titleInput.focus();
});

// ---- sharing ------------------------------------------------------------------------------------

field<HTMLButtonElement>('[data-builder-copy]').addEventListener('click', () => {
  navigator.clipboard.writeText(currentUrl).then(
    () => {
      copyStatus.textContent = 'Link copied.';
    },
    () => {
      linkBox.focus();
      linkBox.select();
      copyStatus.textContent = 'This browser did not let the page copy: the link is selected, press Ctrl+C (or ⌘C) to copy it.';
    },
  );
});

field<HTMLButtonElement>('[data-builder-cartridge]').addEventListener('click', () => {
  const assignment = readForm();
  void import('./cartridge').then(({ cartridgeFiles, cartridgeFileName, zipCartridge }) => {
    const files = cartridgeFiles({ assignment, resolved: resolveAssignment(assignment, catalogue), origin: location.origin, assignmentUrl: currentUrl });
    const bytes = zipCartridge(files);
    downloadBlob(new Blob([bytes], { type: 'application/zip' }), cartridgeFileName(assignment));
    copyStatus.textContent = `Downloaded ${cartridgeFileName(assignment)}: import it into Moodle, Canvas or Blackboard as an IMS Common Cartridge.`;
  });
});

form.addEventListener('input', () => void update());
form.addEventListener('change', () => void update());
form.addEventListener('submit', (event) => event.preventDefault());
form.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('[data-builder-load-presets]') : null;
  if (button) void loadPresets(button.dataset.builderLoadPresets ?? '', button);
});

void restoreDraft().then(update);
