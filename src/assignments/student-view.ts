/**
 * What a student sees of an assignment: title, due date, notes and a checklist of its chapters
 * and exercises ticked from their progress. Drawn with DOM calls and textContent only: nothing
 * from a link is ever parsed as HTML. Used by /assignment/ and by the builder's preview.
 */
import type { ProgressData } from '~/exercises/progress-store';
import { assignedExercises, exercisePath, chapterPath, resolveAssignment, type Catalogue } from './catalogue';
import type { Assignment } from './link';

/** An element with text content (never HTML). */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** A due date as a student reads it: "Thursday 10 December 2026 (in 8 days)". */
export function describeDue(due: string, today: Date = new Date()): string {
  const [year, month, day] = due.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const text = date.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const todayUtc = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  const days = Math.round((date.getTime() - todayUtc) / 86_400_000);
  const relative =
    days === 0 ? 'today' : days === 1 ? 'tomorrow' : days > 1 ? `in ${days} days` : days === -1 ? 'yesterday' : `${-days} days ago`;
  return `${text} (${relative})`;
}

// One formatter for every time: toLocaleString builds a new one per call, about 2 ms each,
// which made a class table of 200 reports take seconds.
const timeFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** "2 Dec 2026, 14:05" for a solve time. */
export function describeTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

export interface ViewOptions {
  /** Level of the title's heading (the rest follow it). */
  headingLevel: 1 | 2 | 3;
  /** Id prefix, unique on the page. */
  idPrefix: string;
}

/** Draws the assignment into `container` (replacing what was there). */
export function renderAssignmentView(container: HTMLElement, assignment: Assignment, catalogue: Catalogue, progress: ProgressData, options: ViewOptions): void {
  const resolved = resolveAssignment(assignment, catalogue);
  const section = element('section', undefined, 'assignment-view');
  const titleId = `${options.idPrefix}-title`;
  section.setAttribute('aria-labelledby', titleId);
  const heading = element(`h${options.headingLevel}` as 'h2', assignment.title || 'Untitled assignment', 'assignment-view__title');
  heading.id = titleId;
  section.append(heading);
  section.append(element('p', assignment.due ? `Due ${describeDue(assignment.due)}.` : 'No due date.', 'assignment-view__due'));
  if (assignment.notes) {
    const notes = element('div', undefined, 'assignment-view__notes');
    notes.append(element('h' + String(options.headingLevel + 1) as 'h3', 'Notes from your instructor'));
    // Plain text, line breaks kept by CSS (white-space: pre-wrap).
    notes.append(element('p', assignment.notes, 'assignment-view__notes-text'));
    section.append(notes);
  }

  const exercises = assignedExercises(resolved);
  const solved = exercises.filter(({ exercise }) => progress.exercises[exercise.id]?.solved).length;
  const wholeChapters = resolved.chapters.filter((item) => item.whole);
  const read = wholeChapters.filter((item) => progress.chapters[item.chapter.slug]?.read).length;
  const totals = [exercises.length ? `${solved} of ${plural(exercises.length, 'exercise')} solved` : '', wholeChapters.length ? `${read} of ${plural(wholeChapters.length, 'chapter')} read` : '']
    .filter(Boolean)
    .join(', ');
  const checklistHeading = element('h' + String(options.headingLevel + 1) as 'h3', 'Checklist');
  checklistHeading.id = `${options.idPrefix}-checklist`;
  section.append(checklistHeading);
  const summary = element('p', totals ? `${totals}.` : 'Nothing to do in this version of the course.', 'assignment-view__totals');
  summary.dataset.assignmentTotals = '';
  section.append(summary);

  const list = element('ul', undefined, 'assignment-checklist');
  list.setAttribute('aria-labelledby', checklistHeading.id);
  for (const item of resolved.chapters) {
    const chapterItem = element('li', undefined, 'assignment-checklist__chapter');
    const line = element('p');
    const readEntry = progress.chapters[item.chapter.slug];
    if (item.whole) line.append(statusMark(Boolean(readEntry?.read), readEntry?.read ? 'Read' : 'To read'));
    const link = element('a', `Chapter ${item.chapter.number}: ${item.chapter.title}`);
    link.href = chapterPath(item.chapter.slug);
    line.append(link);
    line.append(element('span', item.whole ? ` (the whole chapter${item.exercises.length ? ` and its ${plural(item.exercises.length, 'exercise')}` : ''})` : '', 'assignment-checklist__meta'));
    chapterItem.append(line);
    if (item.exercises.length) {
      const inner = element('ul');
      for (const exercise of item.exercises) {
        const entry = progress.exercises[exercise.id];
        const row = element('li');
        row.dataset.assignmentExercise = exercise.id;
        row.append(statusMark(Boolean(entry?.solved), entry?.solved ? 'Solved' : entry && entry.attempts > 0 ? 'Tried' : 'To do'));
        const exerciseLink = element('a', exercise.title);
        exerciseLink.href = exercisePath(item.chapter.slug, exercise.id);
        row.append(exerciseLink);
        const details = [
          entry?.solved && entry.solvedAt ? `solved ${describeTime(entry.solvedAt)}` : '',
          entry && entry.attempts > 0 ? plural(entry.attempts, 'attempt') : '',
          entry?.revealed ? 'solution shown' : '',
        ].filter(Boolean);
        if (details.length) row.append(element('span', ` (${details.join(', ')})`, 'assignment-checklist__meta'));
        inner.append(row);
      }
      chapterItem.append(inner);
    }
    list.append(chapterItem);
  }
  section.append(list);

  const unknown = resolved.unknownChapters.length + resolved.unknownExercises.length;
  if (unknown > 0) {
    section.append(
      element(
        'p',
        `${plural(unknown, 'item')} in this assignment ${unknown === 1 ? 'is' : 'are'} not in this version of the course (${[...resolved.unknownChapters, ...resolved.unknownExercises].slice(0, 6).join(', ')}${unknown > 6 ? ', …' : ''}). Ask your instructor about ${unknown === 1 ? 'it' : 'them'}.`,
        'assignment-view__unknown',
      ),
    );
  }
  if (assignment.presets.length) {
    const chapters = new Set(assignment.presets.map((preset) => preset.chapter));
    const names = catalogue.filter((chapter) => chapters.has(chapter.slug)).map((chapter) => `chapter ${chapter.number}`);
    section.append(
      element(
        'p',
        `Some widgets${names.length ? ` in ${names.join(' and ')}` : ''} open with settings your instructor chose; the chapter page says which while this assignment is active.`,
        'assignment-view__presets',
      ),
    );
  }
  container.replaceChildren(section);
}

/** A tick or an open circle, with its meaning as text (not by colour or shape alone). */
function statusMark(done: boolean, label: string): HTMLElement {
  const mark = element('span', undefined, `assignment-mark${done ? ' assignment-mark--done' : ''}`);
  mark.append(element('span', done ? '✓' : '○', 'assignment-mark__symbol'));
  mark.querySelector('.assignment-mark__symbol')?.setAttribute('aria-hidden', 'true');
  mark.append(element('span', `${label}: `, 'assignment-mark__label'));
  return mark;
}
