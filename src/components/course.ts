/**
 * Build-time helpers about the course as a whole: which chapters exist, in which order,
 * and how they depend on each other. Used by the layouts, the home page and the course map.
 */
import { getCollection, type CollectionEntry } from 'astro:content';

export type Chapter = CollectionEntry<'lessons'>;

/** URL of a chapter page (trailing slash, as the site is configured). */
export function chapterUrl(slug: string): string {
  return `/lessons/${slug}/`;
}

/** The chapters that exist, in reading order. */
export async function getChapters(): Promise<Chapter[]> {
  const lessons = await getCollection('lessons');
  const sorted = lessons.sort((a, b) => a.data.chapter - b.data.chapter);
  const seenNumbers = new Map<number, string>();
  for (const lesson of sorted) {
    const clash = seenNumbers.get(lesson.data.chapter);
    if (clash) {
      throw new Error(
        `Chapters "${clash}" and "${lesson.data.slug}" both say chapter: ${lesson.data.chapter}; each chapter needs its own number.`,
      );
    }
    seenNumbers.set(lesson.data.chapter, lesson.data.slug);
  }
  return sorted;
}

/** Prerequisites of a chapter that exist on the site (a prerequisite not yet written is left out). */
export function existingPrerequisites(chapter: Chapter, chapters: Chapter[]): Chapter[] {
  const bySlug = new Map<string, Chapter>(chapters.map((c) => [c.data.slug, c]));
  return chapter.data.prerequisites
    .map((slug) => bySlug.get(slug))
    .filter((c): c is Chapter => c !== undefined);
}

/** Formats a reading time such as "about 30 minutes" or "about 1 hour 15 minutes". */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `about ${minutes} minutes`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const hourText = hours === 1 ? '1 hour' : `${hours} hours`;
  return rest === 0 ? `about ${hourText}` : `about ${hourText} ${rest} minutes`;
}
