/**
 * Which exercises each chapter has, found by scanning MDX sources (build time and unit tests).
 * A chapter's exercises are those in content/lessons/<slug>.mdx and content/exercises/<slug>.mdx.
 */
export const EXERCISE_COMPONENTS = ['MultipleChoice', 'NumericAnswer', 'Ordering', 'Matching', 'PredictThenRun', 'WidgetChallenge'] as const;

export interface ExerciseEntry {
  id: string;
  title: string;
  component: (typeof EXERCISE_COMPONENTS)[number];
}

export interface ChapterManifest {
  slug: string;
  title: string;
  chapter: number;
  exercises: ExerciseEntry[];
}

const OPENING_TAG = new RegExp(`<(${EXERCISE_COMPONENTS.join('|')})\\b([^>]*)>`, 'g');

/** The value of a string attribute in an MDX opening tag (name="…", name='…' or name={"…"}). */
export function mdxAttribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}=(?:"([^"]*)"|'([^']*)'|\\{\\s*["'\`]([^"'\`]*)["'\`]\\s*\\})`).exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/** An MDX source without its fenced code blocks (examples are not content). */
export function withoutCodeBlocks(source: string): string {
  return source.replace(/^(```|~~~)[\s\S]*?^\1/gm, '');
}

/** Exercise ids and titles in one MDX source, in order. Code blocks are skipped (examples are not exercises). */
export function exercisesInMdx(source: string): ExerciseEntry[] {
  const found: ExerciseEntry[] = [];
  for (const match of withoutCodeBlocks(source).matchAll(OPENING_TAG)) {
    const id = mdxAttribute(match[2], 'id');
    if (id === undefined) continue;
    found.push({ id, title: mdxAttribute(match[2], 'title') ?? id, component: match[1] as ExerciseEntry['component'] });
  }
  return found;
}

/** Ids that occur more than once, each with how often. */
export function duplicateIds(ids: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return new Map([...counts].filter(([, count]) => count > 1));
}

/** The manifest the progress client reads: chapter slug → exercise ids. */
export type ProgressManifest = Record<string, { title: string; exercises: string[] }>;
