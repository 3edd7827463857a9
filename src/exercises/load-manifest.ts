/** Build-time only (Node): the exercise manifest of every chapter that exists. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCollection } from 'astro:content';
import { exercisesInMdx, type ChapterManifest } from './manifest';

export async function loadChapterManifests(): Promise<ChapterManifest[]> {
  const lessons = (await getCollection('lessons')).sort((a, b) => a.data.chapter - b.data.chapter);
  return lessons.map((lesson) => {
    const exercisesFile = join(process.cwd(), 'content', 'exercises', `${lesson.data.slug}.mdx`);
    const exerciseSource = existsSync(exercisesFile) ? readFileSync(exercisesFile, 'utf8') : '';
    return {
      slug: lesson.data.slug,
      title: lesson.data.title,
      chapter: lesson.data.chapter,
      exercises: [...exercisesInMdx(lesson.body ?? ''), ...exercisesInMdx(exerciseSource)],
    };
  });
}
