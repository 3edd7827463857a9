/**
 * The chapter frontmatter schema (src/content.config.ts): good frontmatter passes, and each kind
 * of mistake fails with a message that names the field. A fixture project run through
 * `astro sync` checks that the real content pipeline names the file and the field too.
 */
import { describe, expect, test, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

// astro:content is a virtual module that exists only inside Astro's build; the schema needs just zod.
vi.mock('astro:content', async () => {
  const { z } = await import('astro/zod');
  return { z, defineCollection: (collection: unknown) => collection };
});

const { lessonSchema, CHAPTER_SLUGS } = await import('../../src/content.config');

const validLesson = {
  title: 'Backpropagation and the chain rule',
  chapter: 1,
  slug: 'backprop',
  summary: 'How a network learns by gradient descent.',
  objectives: ['Write the gradient descent update rule.'],
  prerequisites: [],
  minutes: 30,
  references: [
    {
      id: 'rumelhart1986',
      authors: ['D. E. Rumelhart', 'G. E. Hinton', 'R. J. Williams'],
      title: 'Learning representations by back-propagating errors',
      venue: 'Nature',
      year: 1986,
      url: 'https://doi.org/10.1038/323533a0',
    },
    { id: 'he2016', authors: ['K. He'], title: 'Deep residual learning', venue: 'CVPR', year: 2016, arxiv: '1512.03385' },
  ],
};

/** The field paths and messages zod reports for a frontmatter object. */
function problemsWith(frontmatter: unknown): string[] {
  const result = lessonSchema.safeParse(frontmatter);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('chapter frontmatter schema', () => {
  test('accepts a complete chapter and fills defaults', () => {
    expect(problemsWith(validLesson)).toEqual([]);
    const { prerequisites, references, ...minimal } = validLesson;
    const parsed = lessonSchema.parse(minimal);
    expect(parsed.prerequisites).toEqual([]);
    expect(parsed.references).toEqual([]);
    expect(prerequisites).toEqual([]);
    expect(references).toHaveLength(2);
  });

  test.each([
    ['a missing title', { title: undefined }, /^title: Required/],
    ['a chapter number out of range', { chapter: 9 }, /^chapter: /],
    ['a fractional chapter number', { chapter: 1.5 }, /^chapter: Expected integer/],
    ['an unknown slug', { slug: 'resnets' }, /^slug: Invalid enum value/],
    ['a summary too long for the course map', { summary: 'x'.repeat(241) }, /^summary: /],
    ['no objectives', { objectives: [] }, /^objectives: /],
    ['an unknown prerequisite', { prerequisites: ['calculus'] }, /^prerequisites\.0: Invalid enum value/],
    ['minutes as text', { minutes: '30' }, /^minutes: Expected number, received string/],
    ['an unexpected field', { author: 'me' }, /Unrecognized key\(s\) in object: 'author'/],
  ])('rejects %s, naming the field', (_, change, expected) => {
    const problems = problemsWith({ ...validLesson, ...change });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(expected);
  });

  test('rejects a reference without a URL or arXiv id, naming the reference', () => {
    const broken = { ...validLesson, references: [{ id: 'x2020', authors: ['A. B.'], title: 'T', venue: 'V', year: 2020 }] };
    expect(problemsWith(broken)).toEqual(['references.0: a reference needs a url or an arxiv id']);
  });

  test('rejects malformed reference fields, naming each', () => {
    const broken = {
      ...validLesson,
      references: [{ id: 'He 2016', authors: [], title: 'T', venue: 'V', year: 16, arxiv: 'arXiv:1512.03385' }],
    };
    const problems = problemsWith(broken).join('\n');
    expect(problems).toMatch(/^references\.0\.id: use lowercase letters, digits and dashes/m);
    expect(problems).toMatch(/^references\.0\.authors: /m);
    expect(problems).toMatch(/^references\.0\.year: /m);
    expect(problems).toMatch(/^references\.0\.arxiv: an arXiv id looks like 1512.03385/m);
  });

  test('rejects two references with the same id', () => {
    const duplicated = { ...validLesson, references: [validLesson.references[0], validLesson.references[0]] };
    expect(problemsWith(duplicated)).toEqual(['references.1.id: duplicate reference id "rumelhart1986"']);
  });

  test('knows the eight chapter slugs in reading order', () => {
    expect(CHAPTER_SLUGS).toEqual(['backprop', 'vanishing-gradients', 'degradation', 'residual', 'dense', 'unet', 'transformers', 'symmetry']);
  });
});

describe('the content pipeline', () => {
  test('a bad frontmatter field fails with a message naming the file and the field', async () => {
    const projectRoot = resolve(import.meta.dirname, '../..');
    const fixture = mkdtempSync(join(tmpdir(), 'course-schema-'));
    try {
      symlinkSync(join(projectRoot, 'node_modules'), join(fixture, 'node_modules'), 'dir');
      mkdirSync(join(fixture, 'src'));
      cpSync(join(projectRoot, 'src/content.config.ts'), join(fixture, 'src/content.config.ts'));
      writeFileSync(join(fixture, 'package.json'), '{ "type": "module" }');
      writeFileSync(
        join(fixture, 'astro.config.mjs'),
        "import { defineConfig } from 'astro/config';\nimport mdx from '@astrojs/mdx';\nexport default defineConfig({ integrations: [mdx()] });\n",
      );
      mkdirSync(join(fixture, 'content/lessons'), { recursive: true });
      writeFileSync(
        join(fixture, 'content/lessons/backprop.mdx'),
        ['---', 'title: Backpropagation', 'chapter: 1', 'slug: backprop', 'summary: A chapter with a bad field.', 'objectives: ["Do one thing well."]', 'minutes: half an hour', '---', '', 'Text.', ''].join('\n'),
      );
      const run = promisify(execFile)(join(projectRoot, 'node_modules/.bin/astro'), ['sync', '--root', fixture], {
        env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0', NO_COLOR: '1' },
      });
      const failure = await run.then(
        () => undefined,
        (error: { stdout: string; stderr: string }) => `${error.stdout}\n${error.stderr}`,
      );
      expect(failure, 'astro sync fails on the bad frontmatter').toBeDefined();
      expect(failure).toMatch(/backprop\.mdx/);
      expect(failure).toMatch(/minutes/);
    } finally {
      rmSync(fixture, { recursive: true, force: true });
    }
  });
});
