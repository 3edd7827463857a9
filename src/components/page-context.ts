/**
 * Per-page state shared between a page and the components rendered inside it, kept on
 * Astro.locals (one object per rendered page, also in a static build).
 * The chapter page puts its references here before rendering the MDX body, so <Cite> can
 * number citations by the order of the frontmatter's references.
 */
import type { Chapter } from './course';

export type Reference = Chapter['data']['references'][number];

export interface ChapterCitations {
  chapterSlug: string;
  chapterFile: string;
  references: Reference[];
  /**
   * The page that holds the numbered reference list, when it is another page (an instructor
   * guide cites into its chapter's list); absent on the chapter page itself.
   */
  referenceListPage?: string;
}

declare global {
  namespace App {
    interface Locals {
      chapterCitations?: ChapterCitations;
      /** Counter for ids that must be unique within one page (terms, callouts). */
      nextElementId?: number;
      /**
       * Set by the instructor guide while it renders a chapter: exercises render as answer-key
       * entries (question, answer, solution, explanation) instead of interactive exercises.
       */
      exerciseAnswerKey?: boolean;
    }
  }
}

/** Returns an id unique within the page being rendered, e.g. "term-3". */
export function uniqueId(locals: App.Locals, prefix: string): string {
  const next = (locals.nextElementId ?? 0) + 1;
  locals.nextElementId = next;
  return `${prefix}-${next}`;
}

/** Where a reference can be read: its URL, else its arXiv abstract page. */
export function referenceHref(reference: Reference): string {
  if (reference.url) return reference.url;
  return `https://arxiv.org/abs/${reference.arxiv}`;
}

/**
 * Resolves a citation key to its number (1-based, by the order of the frontmatter's references).
 * An unknown key fails the build with a message naming the key and the chapter.
 */
export function citationNumber(locals: App.Locals, id: string): number {
  const context = locals.chapterCitations;
  if (!context) {
    throw new Error(`<Cite id="${id}" /> is used outside a chapter page; citations need a chapter's references.`);
  }
  const index = context.references.findIndex((reference) => reference.id === id);
  if (index === -1) {
    const known = context.references.map((reference) => reference.id).join(', ') || 'none';
    throw new Error(
      `<Cite id="${id}" /> in chapter "${context.chapterSlug}" (${context.chapterFile}): no reference with id "${id}" in its frontmatter references (known ids: ${known}).`,
    );
  }
  return index + 1;
}
