/**
 * Build-time data of the instructor guide: every chapter that exists, with its hand-written guide
 * (content/instructors/<slug>.yaml, when there is one) and what is generated from the chapter's
 * sources (its widgets and its misconception boxes). A guide that names a widget the chapter does
 * not have fails the build with a message saying which.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCollection, type CollectionEntry } from 'astro:content';
import { getChapters, type Chapter } from '~/components/course';
import { defaultWidgetTitle, misconceptionTitlesInMdx, widgetsInMdx, type ChapterWidget } from './chapter-source';

export type InstructorGuide = CollectionEntry<'instructors'>['data'];

export interface ChapterGuide {
  chapter: Chapter;
  /** The hand-written part; undefined when content/instructors/<slug>.yaml does not exist. */
  guide?: InstructorGuide;
  /** Widgets on the chapter page (lesson and exercises), in order. */
  widgets: ChapterWidget[];
  /** Titles of the chapter's misconception boxes. */
  misconceptionTitles: string[];
}

/** URL of a chapter's instructor guide. */
export function guideUrl(slug: string): string {
  return `/instructors/${slug}/`;
}

export const GUIDE_FOLDER = 'content/instructors';

export async function loadChapterGuides(): Promise<ChapterGuide[]> {
  const [chapters, guides] = await Promise.all([getChapters(), getCollection('instructors')]);
  const guideBySlug = new Map(guides.map((entry) => [entry.id, entry]));
  for (const entry of guides) {
    if (entry.data.chapter !== entry.id) {
      throw new Error(`${GUIDE_FOLDER}/${entry.id}.yaml says chapter: ${entry.data.chapter}; it must name its own chapter, ${entry.id} (the file name).`);
    }
  }
  return chapters.map((chapter) => {
    const slug = chapter.data.slug;
    const exercisesFile = join(process.cwd(), 'content', 'exercises', `${slug}.mdx`);
    const exercises = existsSync(exercisesFile) ? readFileSync(exercisesFile, 'utf8') : '';
    const lesson = chapter.body ?? '';
    const widgets = [...widgetsInMdx(lesson), ...widgetsInMdx(exercises)].map((widget) => ({
      ...widget,
      title: widget.title ?? defaultWidgetTitle(readFileSync(join(process.cwd(), widget.component), 'utf8')),
    }));
    const guide = guideBySlug.get(slug)?.data;
    for (const part of guide?.session ?? []) {
      if (part.demo && !widgets.some((widget) => widget.id === part.demo?.widget)) {
        throw new Error(
          `${GUIDE_FOLDER}/${slug}.yaml: the demo in "${part.title}" names widget "${part.demo.widget}", which is not on the chapter page; its widgets are ${widgets.map((widget) => `"${widget.id}"`).join(', ') || 'none'}.`,
        );
      }
    }
    return { chapter, guide, widgets, misconceptionTitles: misconceptionTitlesInMdx(lesson) };
  });
}
