import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';

/** Every chapter the course will have, in reading order. A chapter's slug is its URL: /lessons/<slug>/. */
export const CHAPTER_SLUGS = [
  'backprop',
  'vanishing-gradients',
  'degradation',
  'residual',
  'dense',
  'unet',
  'transformers',
  'symmetry',
] as const;

/** One work in a chapter's reference list (exported for the schema's unit tests). */
export const referenceSchema = z
  .object({
    /** Key used by <Cite id="..."/> in the chapter body, e.g. "he2016". */
    id: z.string().regex(/^[a-z0-9-]+$/, 'use lowercase letters, digits and dashes'),
    /** Authors as printed, e.g. ["K. He", "X. Zhang"]. */
    authors: z.array(z.string().min(1)).min(1),
    title: z.string().min(1),
    /** Journal, conference or publisher, e.g. "CVPR". */
    venue: z.string().min(1),
    year: z.number().int().min(1900).max(2100),
    /** Where to read it: a URL, an arXiv id (e.g. "1512.03385"), or both. */
    url: z.string().url().optional(),
    arxiv: z.string().regex(/^\d{4}\.\d{4,5}$/, 'an arXiv id looks like 1512.03385').optional(),
  })
  .strict()
  .refine((ref) => ref.url !== undefined || ref.arxiv !== undefined, {
    message: 'a reference needs a url or an arxiv id',
  });

/** A chapter's frontmatter (exported for the schema's unit tests). */
export const lessonSchema = z
  .object({
    /** The chapter's title as shown in the sidebar and the page heading. */
    title: z.string().min(3),
    /** Position in the course, 1 to 8; also orders the sidebar and previous/next links. */
    chapter: z.number().int().min(1).max(CHAPTER_SLUGS.length),
    /** URL slug; one of CHAPTER_SLUGS. */
    slug: z.enum(CHAPTER_SLUGS),
    /** One sentence that says what the chapter is about (course map, search, meta description). */
    summary: z.string().min(10).max(240),
    /** What a reader can do after the chapter; shown at the top. */
    objectives: z.array(z.string().min(5)).min(1),
    /** Slugs of chapters to read first; drawn as edges on the course map. */
    prerequisites: z.array(z.enum(CHAPTER_SLUGS)).default([]),
    /** Estimated reading and exercise time, in minutes. */
    minutes: z.number().int().min(1).max(240),
    /** Works cited in the chapter, in the order they are first cited. */
    references: z.array(referenceSchema).default([]),
  })
  .strict()
  .superRefine((lesson, context) => {
    // <Cite id> resolves by id, so two references with one id would make citations ambiguous.
    const seen = new Set<string>();
    lesson.references.forEach((reference, index) => {
      if (seen.has(reference.id)) {
        context.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['references', index, 'id'],
          message: `duplicate reference id "${reference.id}"`,
        });
      }
      seen.add(reference.id);
    });
  });

const lessons = defineCollection({
  loader: glob({ pattern: '*.mdx', base: './content/lessons' }),
  schema: lessonSchema,
});

/** A demonstration in a session plan: a widget of the chapter page opened with given settings. */
export const demoSchema = z
  .object({
    /** The widget's id on the chapter page (its `id="..."` in content/lessons/<slug>.mdx). */
    widget: z.string().regex(/^[A-Za-z][\w-]*$/, 'a widget id as written in the chapter, e.g. "res-flow-plain"'),
    /** Settings the link opens the widget with (keys of its settings table); the rest keep the chapter's preset. */
    settings: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    /** What to ask the class before pressing Play (or before changing the settings). */
    ask: z.string().min(10),
    /** What the class should see, and how to read it. */
    expect: z.string().min(10),
  })
  .strict();

/** One part of the 50-minute session plan. */
export const sessionPartSchema = z
  .object({
    /** Length of this part in minutes; a plan's parts add up to SESSION_MINUTES. */
    minutes: z.number().int().min(1).max(50),
    /** A short heading, e.g. "Warm-up: where does the gradient go?". */
    title: z.string().min(3),
    /** What the instructor does and says in this part. */
    activity: z.string().min(10),
    /** A widget to demonstrate, with the settings to open it with (optional). */
    demo: demoSchema.optional(),
  })
  .strict();

/** Length of a class session the plans are written for. */
export const SESSION_MINUTES = 50;

/**
 * The hand-written part of a chapter's instructor guide, content/instructors/<slug>.yaml (format in
 * content/instructors/README.md). Objectives, prerequisites, the chapter's misconception boxes and
 * the answer key are generated from the chapter and its exercises, so they are not repeated here.
 */
export const instructorGuideSchema = z
  .object({
    /** The chapter this guide is for; must match the file name. */
    chapter: z.enum(CHAPTER_SLUGS),
    /** Two to four sentences for the instructor: the one idea the session must land, and where it fits. */
    overview: z.string().min(20),
    /** Things to do before class (open a tab, run a slow widget once, print a handout). */
    prepare: z.array(z.string().min(5)).default([]),
    /** The 50-minute plan, in order. */
    session: z.array(sessionPartSchema).min(2),
    /** Questions for discussion, each with optional notes on where a good answer goes. */
    discussion: z.array(z.object({ question: z.string().min(10), notes: z.string().min(10).optional() }).strict()).min(2),
    /** Misconceptions the chapter targets: what students believe, why it is wrong, and how to draw it out. */
    misconceptions: z
      .array(z.object({ belief: z.string().min(5), correction: z.string().min(10), surface: z.string().min(10).optional() }).strict())
      .min(1),
  })
  .strict()
  .superRefine((guide, context) => {
    const total = guide.session.reduce((sum, part) => sum + part.minutes, 0);
    if (total !== SESSION_MINUTES) {
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['session'],
        message: `the session parts add up to ${total} minutes; make them add up to ${SESSION_MINUTES}`,
      });
    }
  });

const instructors = defineCollection({
  loader: glob({ pattern: '*.yaml', base: './content/instructors' }),
  schema: instructorGuideSchema,
});

export const collections = { lessons, instructors };
