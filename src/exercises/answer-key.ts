/**
 * The instructors' answer key (server only): each exercise renders as an entry between these
 * markers when Astro.locals.exerciseAnswerKey is set, and `answerKeyEntries` keeps only the entries
 * from a rendered chapter (its prose, widgets and scripts are left out).
 */
import { escapeHtml } from './exercise-parts';

export const ANSWER_KEY_START = '<!--answer-key-entry-->';
export const ANSWER_KEY_END = '<!--/answer-key-entry-->';

/** The answer-key entries in rendered HTML, in order. */
export function answerKeyEntries(html: string): string[] {
  const pattern = new RegExp(`${ANSWER_KEY_START}([\\s\\S]*?)${ANSWER_KEY_END}`, 'g');
  return [...html.matchAll(pattern)].map((match) => match[1]);
}

/** "0.25 (accepted: 0.245 to 0.255)", "5.55e-17 (within 3 %)", "120 (exactly)"; unit after the number. */
export function describeNumericAnswer(answer: number, options: { tolerance?: number; relative: boolean; unit?: string }): string {
  const unit = options.unit ? ` ${escapeHtml(options.unit)}` : '';
  const tolerance = options.tolerance ?? 1e-9;
  const shown = `${formatNumber(answer)}${unit}`;
  if (tolerance <= 1e-9) return `${shown} (exactly)`;
  if (options.relative) return `${shown} (accepted within ${formatNumber(tolerance * 100)} %)`;
  return `${shown} (accepted from ${formatNumber(answer - tolerance)} to ${formatNumber(answer + tolerance)}${unit})`;
}

function formatNumber(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/** An ordered or plain list of HTML items. */
export function listHtml(items: readonly string[], ordered = false): string {
  const tag = ordered ? 'ol' : 'ul';
  return `<${tag}>${items.map((item) => `<li>${item}</li>`).join('')}</${tag}>`;
}
