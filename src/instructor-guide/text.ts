/**
 * The text of an instructor guide file (content/instructors/<slug>.yaml) as HTML, at build time:
 * plain text with inline maths in $...$ (rendered by KaTeX, as the chapters' maths is), `code`,
 * *emphasis*, and paragraphs separated by a blank line. Anything else is escaped, never HTML.
 */
import katex from 'katex';
import { escapeHtml } from '~/exercises/exercise-parts';

function inline(text: string): string {
  // Split off maths first so that * and ` inside it are left alone.
  return text
    .split(/(\$[^$\n]+\$)/)
    .map((piece) => {
      if (piece.length > 2 && piece.startsWith('$') && piece.endsWith('$')) {
        return katex.renderToString(piece.slice(1, -1), { throwOnError: true, output: 'htmlAndMathml' });
      }
      return escapeHtml(piece)
        .replace(/`([^`]+)`/g, '<code>$1</code>')
        .replace(/\*([^*\s][^*]*?)\*/g, '<em>$1</em>');
    })
    .join('');
}

/** One paragraph or several (blank-line separated), each in <p>. */
export function guideTextHtml(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => `<p>${inline(paragraph.replace(/\s*\n\s*/g, ' '))}</p>`)
    .join('');
}

/** A short text inside a heading, list item or summary: no paragraph wrapper. */
export function guideInlineHtml(text: string): string {
  return inline(text.trim().replace(/\s*\n\s*/g, ' '));
}
