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

export const collections = { lessons };
