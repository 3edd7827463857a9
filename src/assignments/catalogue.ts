/**
 * The course as the assignment pages see it: chapters in order with their exercises' ids and
 * titles. Built at build time from the content collection (load-catalogue.ts), embedded in the
 * page as JSON, and read here: pure, so the builder, the student page and the tests share it.
 */
import type { Assignment } from './link';

export interface CatalogueExercise {
  id: string;
  title: string;
}

export interface CatalogueChapter {
  slug: string;
  number: number;
  title: string;
  exercises: CatalogueExercise[];
}

export type Catalogue = CatalogueChapter[];

/** The id of the JSON element that carries the catalogue into a page. */
export const CATALOGUE_ELEMENT_ID = 'skipcourse-catalogue';

/** URL of a chapter page, and of one exercise in it (the exercise's heading). */
export const chapterPath = (slug: string) => `/lessons/${slug}/`;
export const exercisePath = (slug: string, exerciseId: string) => `${chapterPath(slug)}#ex-${exerciseId}-title`;

/** One chapter of an assignment: read the whole chapter, and/or do these exercises in it. */
export interface AssignedChapter {
  chapter: CatalogueChapter;
  /** The whole chapter is assigned (read it, do all its exercises). */
  whole: boolean;
  exercises: CatalogueExercise[];
}

export interface ResolvedAssignment {
  chapters: AssignedChapter[];
  /** Names in the link that this version of the course does not have. */
  unknownChapters: string[];
  unknownExercises: string[];
}

/**
 * Groups an assignment's chapters and exercises by chapter, in course order. A whole chapter
 * brings all its exercises; exercises picked one by one bring their chapter (to read around them).
 */
export function resolveAssignment(assignment: Pick<Assignment, 'chapters' | 'exercises'>, catalogue: Catalogue): ResolvedAssignment {
  const chapterOfExercise = new Map<string, CatalogueChapter>();
  for (const chapter of catalogue) for (const exercise of chapter.exercises) chapterOfExercise.set(exercise.id, chapter);
  const wanted = new Set(assignment.exercises);
  const whole = new Set(assignment.chapters);
  const chapters: AssignedChapter[] = [];
  for (const chapter of catalogue) {
    const isWhole = whole.has(chapter.slug);
    const exercises = chapter.exercises.filter((exercise) => isWhole || wanted.has(exercise.id));
    if (isWhole || exercises.length > 0) chapters.push({ chapter, whole: isWhole, exercises });
  }
  const slugs = new Set(catalogue.map((chapter) => chapter.slug));
  return {
    chapters,
    unknownChapters: assignment.chapters.filter((slug) => !slugs.has(slug)),
    unknownExercises: assignment.exercises.filter((id) => !chapterOfExercise.has(id)),
  };
}

/** Every exercise the assignment asks for, with its chapter, in course order. */
export function assignedExercises(resolved: ResolvedAssignment): { chapter: CatalogueChapter; exercise: CatalogueExercise }[] {
  return resolved.chapters.flatMap((item) => item.exercises.map((exercise) => ({ chapter: item.chapter, exercise })));
}

/** Reads the catalogue a page carries (empty when missing or unreadable). */
export function readCatalogue(root: Document = document): Catalogue {
  const element = root.getElementById(CATALOGUE_ELEMENT_ID);
  try {
    const parsed: unknown = element?.textContent ? JSON.parse(element.textContent) : [];
    return Array.isArray(parsed) ? (parsed as Catalogue) : [];
  } catch {
    return [];
  }
}
