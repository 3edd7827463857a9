/**
 * Assignment links: everything an assignment is (title, due date, notes, chapters, exercises,
 * widget presets) written into the fragment of a link to /assignment/, so no server is needed and
 * nothing of it reaches a server log. Pure (Web Crypto only), so it runs under vitest too.
 *
 * Fragment: `v=1&id=<id>&len=<n>&sum=<hex>&t=…&due=…&c=…&e=…&p=…&n=…`. The header says how long
 * the rest is and gives its SHA-256 (first 12 hex digits), so a link cut short and a link changed
 * by hand are told apart and said plainly. The rest is read field by field, notes last, so a cut
 * link still shows its title, chapters and exercises.
 */
import type { SettingValue } from '~/engine/types';

export const LINK_VERSION = 1;
/** Where students open assignments. */
export const ASSIGNMENT_PATH = '/assignment/';

export const LIMITS = {
  title: 120,
  notes: 2000,
  chapters: 40,
  exercises: 400,
  presets: 40,
  settingsPerPreset: 40,
  /** The fragment a builder may produce: beyond it, links break in mail and chat programs. */
  fragment: 6000,
  /** A fragment longer than this is not read at all. */
  fragmentRead: 20000,
} as const;

/** Settings a widget on a chapter page opens with; `hidden` controls are not shown to students. */
export interface WidgetPreset {
  chapter: string;
  widget: string;
  settings: Record<string, SettingValue>;
  hidden: string[];
}

export interface Assignment {
  /** Random, made by the builder: reports name the assignment by it. */
  id: string;
  title: string;
  /** YYYY-MM-DD, or '' for none. */
  due: string;
  notes: string;
  chapters: string[];
  exercises: string[];
  presets: WidgetPreset[];
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,59}$/;
const ASSIGNMENT_ID = /^[a-z0-9]{6,20}$/;
const WIDGET_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$/;
const SETTING_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const SETTING_TEXT_MAX = 60;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function emptyAssignment(id: string): Assignment {
  return { id, title: '', due: '', notes: '', chapters: [], exercises: [], presets: [] };
}

/** A fresh assignment id: 10 base-36 characters from the browser's random source. */
export function newAssignmentId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return [...bytes].map((byte) => (byte % 36).toString(36)).join('');
}

/** First 12 hex digits of the SHA-256 of `text`. */
export async function shortChecksum(text: string): Promise<string> {
  return (await sha256Hex(text)).slice(0, 12);
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function isValidDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.getUTCFullYear() === Number(match[1]) && date.getUTCMonth() === Number(match[2]) - 1 && date.getUTCDate() === Number(match[3]);
}

/** The fields after the header, in reading order (notes last: the longest, the first to be cut). */
function bodyOf(assignment: Assignment): string {
  const params = new URLSearchParams();
  params.set('t', assignment.title);
  if (assignment.due) params.set('due', assignment.due);
  if (assignment.chapters.length) params.set('c', assignment.chapters.join(','));
  if (assignment.exercises.length) params.set('e', assignment.exercises.join(','));
  if (assignment.presets.length) {
    params.set('p', JSON.stringify(assignment.presets.map((preset) => [preset.chapter, preset.widget, preset.settings, preset.hidden])));
  }
  if (assignment.notes) params.set('n', assignment.notes);
  return params.toString();
}

export type EncodeResult = { ok: true; fragment: string } | { ok: false; message: string };

/** The link's fragment (without '#'), or why the assignment cannot be a link. */
export async function encodeAssignment(assignment: Assignment): Promise<EncodeResult> {
  const problems = checkForLink(assignment);
  if (problems.length) return { ok: false, message: problems.join(' ') };
  const body = bodyOf(assignment);
  const fragment = `v=${LINK_VERSION}&id=${assignment.id}&len=${body.length}&sum=${await shortChecksum(body)}&${body}`;
  if (fragment.length > LIMITS.fragment) {
    return {
      ok: false,
      message: `The link would be ${fragment.length.toLocaleString('en')} characters long, more than the ${LIMITS.fragment.toLocaleString('en')} that mail and chat programs pass on safely. Shorten the notes, or pick whole chapters instead of many single exercises.`,
    };
  }
  return { ok: true, fragment };
}

/** What stops an assignment from being written as a link, in the builder's words. */
export function checkForLink(assignment: Assignment): string[] {
  const problems: string[] = [];
  if (!ASSIGNMENT_ID.test(assignment.id)) problems.push('The assignment has no valid id.');
  if (assignment.title.trim() === '') problems.push('Give the assignment a title.');
  if (assignment.title.length > LIMITS.title) problems.push(`The title is longer than ${LIMITS.title} characters.`);
  if (assignment.notes.length > LIMITS.notes) problems.push(`The notes are longer than ${LIMITS.notes.toLocaleString('en')} characters.`);
  if (assignment.due && !isValidDate(assignment.due)) problems.push('The due date is not a date.');
  if (assignment.chapters.length === 0 && assignment.exercises.length === 0) problems.push('Pick at least one chapter or exercise.');
  if (assignment.chapters.length > LIMITS.chapters) problems.push(`Pick at most ${LIMITS.chapters} chapters.`);
  if (assignment.exercises.length > LIMITS.exercises) problems.push(`Pick at most ${LIMITS.exercises} exercises.`);
  if (assignment.presets.length > LIMITS.presets) problems.push(`Set presets for at most ${LIMITS.presets} widgets.`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Reading a link
// ---------------------------------------------------------------------------------------------

export type LinkStatus =
  /** Read whole and unchanged. */
  | 'ok'
  /** Read, but cut short, changed or partly invalid: `assignment` has what could be read. */
  | 'damaged'
  /** Nothing usable (not an assignment link, a newer format, far too long). */
  | 'unreadable';

export interface DecodedLink {
  status: LinkStatus;
  /** What could be read (empty fields where nothing could). */
  assignment: Assignment;
  /** Plain sentences for the student, first the most important. */
  problems: string[];
}

function unreadable(message: string): DecodedLink {
  return { status: 'unreadable', assignment: emptyAssignment(''), problems: [message] };
}

/** Reads the presets field; invalid entries are left out and counted. */
function readPresets(text: string): { presets: WidgetPreset[]; dropped: number; unparseable: boolean } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { presets: [], dropped: 0, unparseable: true };
  }
  if (!Array.isArray(parsed)) return { presets: [], dropped: 0, unparseable: true };
  const presets: WidgetPreset[] = [];
  let dropped = 0;
  for (const entry of parsed.slice(0, LIMITS.presets)) {
    const preset = readPreset(entry);
    if (preset) presets.push(preset);
    else dropped++;
  }
  return { presets, dropped: dropped + Math.max(0, parsed.length - LIMITS.presets), unparseable: false };
}

function readPreset(entry: unknown): WidgetPreset | undefined {
  if (!Array.isArray(entry) || entry.length !== 4) return undefined;
  const [chapter, widget, settings, hidden] = entry as unknown[];
  if (typeof chapter !== 'string' || !SLUG.test(chapter) || typeof widget !== 'string' || !WIDGET_ID.test(widget)) return undefined;
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) return undefined;
  const values: Record<string, SettingValue> = {};
  const entries = Object.entries(settings);
  if (entries.length > LIMITS.settingsPerPreset) return undefined;
  for (const [key, value] of entries) {
    if (!SETTING_KEY.test(key)) return undefined;
    if (typeof value === 'number' ? !Number.isFinite(value) : typeof value === 'string' ? value.length > SETTING_TEXT_MAX : typeof value !== 'boolean') {
      return undefined;
    }
    values[key] = value;
  }
  if (!Array.isArray(hidden) || !hidden.every((key): key is string => typeof key === 'string' && Object.hasOwn(values, key))) return undefined;
  return { chapter, widget, settings: values, hidden: [...new Set(hidden)] };
}

/** Splits a comma list and keeps the entries that look like ids; counts the rest. */
function readIdList(text: string | null, pattern: RegExp, limit: number): { ids: string[]; dropped: number } {
  if (!text) return { ids: [], dropped: 0 };
  const parts = text.split(',').filter((part) => part !== '');
  const ids = [...new Set(parts.filter((part) => pattern.test(part)))];
  return { ids: ids.slice(0, limit), dropped: parts.length - ids.length + Math.max(0, ids.length - limit) };
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** Reads a link's fragment (with or without '#'); never throws. */
export async function decodeAssignment(rawFragment: string): Promise<DecodedLink> {
  const fragment = rawFragment.startsWith('#') ? rawFragment.slice(1) : rawFragment;
  if (fragment.trim() === '') return unreadable('This link has no assignment in it: it ends before the part that describes the assignment.');
  if (fragment.length > LIMITS.fragmentRead) {
    return unreadable(`This link is ${fragment.length.toLocaleString('en')} characters long, far longer than any assignment link, so it was not read.`);
  }
  const header = /^v=(\d{1,4})&id=([^&]*)&len=(\d{1,6})&sum=([0-9a-f]{12})&/.exec(fragment);
  if (!header) {
    const version = /^v=(\d{1,4})&/.exec(fragment);
    if (version && Number(version[1]) > LINK_VERSION) {
      return unreadable(`This assignment link was made by a newer version of the course (format ${version[1]}; this page reads format ${LINK_VERSION}). Reload the page; if that does not help, ask your instructor.`);
    }
    return unreadable(
      fragment.startsWith('v=')
        ? 'This assignment link is damaged at its start, so nothing in it could be read. Ask your instructor for the link again.'
        : 'This is not an assignment link: it does not have the shape the course’s assignment links have.',
    );
  }
  if (Number(header[1]) !== LINK_VERSION) {
    return unreadable(`This assignment link has format ${header[1]}, which this page cannot read (it reads format ${LINK_VERSION}).`);
  }
  const problems: string[] = [];
  const assignment = emptyAssignment(ASSIGNMENT_ID.test(header[2]) ? header[2] : '');
  if (!assignment.id) problems.push('The link’s assignment id is damaged, so a report from it cannot be matched to the assignment.');
  const expectedLength = Number(header[3]);
  let body = fragment.slice(header[0].length);
  if (body.length < expectedLength) {
    problems.push(
      `The link is cut short: ${body.length.toLocaleString('en')} of its ${expectedLength.toLocaleString('en')} characters arrived (it may have been broken across lines in a message). What could be read is shown; ask for the whole link.`,
    );
  } else {
    if (body.length > expectedLength) {
      // Something was appended (a mail program's tracking, say): read the assignment's own part.
      body = body.slice(0, expectedLength);
    }
    if ((await shortChecksum(body)) !== header[4]) {
      problems.push('The link has been changed since it was made (its checksum does not match), so it may not say what your instructor wrote. Check it with them.');
    }
  }
  const params = new URLSearchParams(body);
  const title = params.get('t') ?? '';
  assignment.title = title.slice(0, LIMITS.title);
  if (title.trim() === '') problems.push('The link has no title.');
  else if (title.length > LIMITS.title) problems.push(`The title was longer than ${LIMITS.title} characters and was cut.`);
  const due = params.get('due');
  if (due !== null) {
    if (isValidDate(due)) assignment.due = due;
    else problems.push('The due date in the link cannot be read.');
  }
  const chapters = readIdList(params.get('c'), SLUG, LIMITS.chapters);
  assignment.chapters = chapters.ids;
  const exercises = readIdList(params.get('e'), SLUG, LIMITS.exercises);
  assignment.exercises = exercises.ids;
  const dropped = chapters.dropped + exercises.dropped;
  if (dropped > 0) problems.push(`${plural(dropped, 'chapter or exercise name', 'chapter or exercise names')} in the link could not be read and ${dropped === 1 ? 'was' : 'were'} left out.`);
  const presetText = params.get('p');
  if (presetText !== null) {
    const presets = readPresets(presetText);
    assignment.presets = presets.presets;
    if (presets.unparseable) problems.push('The widget settings in the link cannot be read, so widgets open with their usual settings.');
    else if (presets.dropped > 0) problems.push(`${plural(presets.dropped, 'widget preset', 'widget presets')} in the link could not be read and ${presets.dropped === 1 ? 'was' : 'were'} left out.`);
  }
  const notes = params.get('n') ?? '';
  assignment.notes = notes.slice(0, LIMITS.notes);
  if (notes.length > LIMITS.notes) problems.push(`The notes were longer than ${LIMITS.notes.toLocaleString('en')} characters and were cut.`);
  if (assignment.chapters.length === 0 && assignment.exercises.length === 0 && problems.length === 0) {
    problems.push('The link names no chapters or exercises.');
  }
  return { status: problems.length ? 'damaged' : 'ok', assignment, problems };
}

/** The full link for a fragment, on this site. */
export function assignmentUrl(origin: string, fragment: string): string {
  return `${origin}${ASSIGNMENT_PATH}#${fragment}`;
}
