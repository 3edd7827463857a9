/**
 * Instructor guides (content/instructors/<slug>.yaml, format in its README.md): every chapter has
 * one, each matches the schema, and every demo names a widget on its chapter page with settings
 * that widget's settings table accepts. Also the pure helpers the guide pages are built from.
 */
import { describe, expect, test, vi } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { SettingSpec } from '~/engine/types';
import { validateSettings } from '~/engine/settings';
import { parseUrlSettings } from '~/widgets/kit/url-state';
import { defaultWidgetTitle, demoHref, misconceptionTitlesInMdx, widgetsInMdx } from '~/instructor-guide/chapter-source';
import { answerKeyEntries, ANSWER_KEY_END, ANSWER_KEY_START, describeNumericAnswer } from '~/exercises/answer-key';

// astro:content exists only inside Astro's build; the schema needs just zod.
vi.mock('astro:content', async () => {
  const { z } = await import('astro/zod');
  return { z, defineCollection: (collection: unknown) => collection };
});
const { instructorGuideSchema, SESSION_MINUTES } = await import('../../src/content.config');

const root = join(__dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const chapterSlugs = readdirSync(join(root, 'content/lessons'))
  .filter((file) => file.endsWith('.mdx'))
  .map((file) => file.replace(/\.mdx$/, ''));

function chapterWidgets(slug: string) {
  const exercises = `content/exercises/${slug}.mdx`;
  return [...widgetsInMdx(read(`content/lessons/${slug}.mdx`)), ...(existsSync(join(root, exercises)) ? widgetsInMdx(read(exercises)) : [])];
}

function isSettingsTable(value: unknown): value is readonly SettingSpec[] {
  return Array.isArray(value) && value.length > 0 && value.every((spec) => typeof spec === 'object' && spec !== null && 'key' in spec && 'kind' in spec);
}

/** The settings tables a widget folder's settings.ts exports (pure data, no TF.js). */
async function settingsTables(folder: string): Promise<(readonly SettingSpec[])[]> {
  const module: Record<string, unknown> = await import(`../../src/widgets/${folder}/settings.ts`);
  return Object.values(module).filter(isSettingsTable);
}

describe('every chapter has an instructor guide', () => {
  test.each(chapterSlugs)('%s', (slug) => {
    const file = `content/instructors/${slug}.yaml`;
    expect(
      existsSync(join(root, file)),
      `content/lessons/${slug}.mdx has no instructor guide: add ${file} (its session plan, discussion questions and misconceptions; the format is in content/instructors/README.md, and content/instructors/residual.yaml is an example).`,
    ).toBe(true);
  });
});

const guideFiles = readdirSync(join(root, 'content/instructors')).filter((file) => file.endsWith('.yaml'));

describe.each(guideFiles)('content/instructors/%s', (file) => {
  const slug = file.replace(/\.yaml$/, '');
  const raw: unknown = parse(read(`content/instructors/${file}`));

  test('matches the schema, names its own chapter, and plans 50 minutes', () => {
    const result = instructorGuideSchema.safeParse(raw);
    expect(result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([]);
    expect(chapterSlugs, `${file} is for a chapter that does not exist`).toContain(slug);
    const guide = instructorGuideSchema.parse(raw);
    expect(guide.chapter).toBe(slug);
    expect(guide.session.reduce((sum, part) => sum + part.minutes, 0)).toBe(SESSION_MINUTES);
  });

  test('every demo opens a widget of the chapter with settings its table accepts', async () => {
    const guide = instructorGuideSchema.parse(raw);
    const widgets = chapterWidgets(slug);
    const demos = guide.session.flatMap((part) => (part.demo ? [part.demo] : []));
    for (const demo of demos) {
      const widget = widgets.find((candidate) => candidate.id === demo.widget);
      expect(widget, `demo widget "${demo.widget}" on /lessons/${slug}/ (widgets there: ${widgets.map((w) => w.id).join(', ')})`).toBeDefined();
      const keys = Object.keys(demo.settings);
      const table = (await settingsTables(widget!.folder)).find((candidate) => keys.every((key) => candidate.some((spec) => spec.key === key)));
      expect(table, `a settings table in src/widgets/${widget!.folder}/settings.ts with ${keys.join(', ')}`).toBeDefined();
      expect(validateSettings(table!, demo.settings).problems).toEqual([]);
      // The link carries exactly these settings in the kit's URL state.
      const href = demoHref(`/lessons/${slug}/`, demo.widget, demo.settings);
      const parsed = parseUrlSettings(new URL(href, 'https://example.org').search, demo.widget, table!);
      expect(parsed.invalid).toEqual([]);
      expect(parsed.values).toEqual(validateSettings(table!, demo.settings).values);
    }
  });
});

describe('reading a chapter source', () => {
  const source = [
    "import GradientFlow from '~/widgets/gradient-flow/GradientFlow.astro';",
    "import Lesion from '~/widgets/lesion/Lesion.astro';",
    "import Callout from '~/components/Callout.astro';",
    '',
    '<GradientFlow id="flow-a" title="Lab: plain" preset={{ skip: \'none\', depth: 30 }}',
    "  focus={['skip']} />",
    '',
    '```mdx',
    '<Lesion id="in-a-code-block" />',
    '```',
    '<Lesion id="lesion" focus={[\'depth\']} />',
    '<Callout type="note" title="Not this one">x</Callout>',
    '<Callout type="misconception" title="“Depth always helps”">y</Callout>',
  ].join('\n');

  test('finds widgets with their folder, component and title, skipping code blocks', () => {
    expect(widgetsInMdx(source)).toEqual([
      { id: 'flow-a', folder: 'gradient-flow', component: 'src/widgets/gradient-flow/GradientFlow.astro', title: 'Lab: plain' },
      { id: 'lesion', folder: 'lesion', component: 'src/widgets/lesion/Lesion.astro', title: undefined },
    ]);
  });

  test('finds misconception boxes only', () => {
    expect(misconceptionTitlesInMdx(source)).toEqual(['“Depth always helps”']);
  });

  test('reads a widget component’s default title', () => {
    expect(defaultWidgetTitle(read('src/widgets/lesion/Lesion.astro'))).toBe('Lesion study: delete one layer of a trained network');
  });

  test('a demo link puts the settings in the kit’s URL state and points at the widget', () => {
    expect(demoHref('/lessons/residual/', 'lesion', { depth: 20, norm: 'none' })).toBe('/lessons/residual/?lesion.depth=20&lesion.norm=none#lesion-title');
    expect(demoHref('/lessons/residual/', 'lesion', {})).toBe('/lessons/residual/#lesion-title');
  });
});

describe('answer key', () => {
  test('keeps only the entries of a rendered chapter', () => {
    const html = `<p>prose</p>${ANSWER_KEY_START}<details>one</details>${ANSWER_KEY_END}<div data-widget-id="x"></div>${ANSWER_KEY_START}two${ANSWER_KEY_END}`;
    expect(answerKeyEntries(html)).toEqual(['<details>one</details>', 'two']);
  });

  test('states a numeric answer with what is accepted', () => {
    expect(describeNumericAnswer(-0.25, { tolerance: 0.005, relative: false })).toBe('-0.25 (accepted from -0.255 to -0.245)');
    expect(describeNumericAnswer(5.55e-17, { tolerance: 0.03, relative: true })).toBe('5.55e-17 (accepted within 3 %)');
    expect(describeNumericAnswer(120, { tolerance: 0, relative: false })).toBe('120 (exactly)');
    expect(describeNumericAnswer(3.51, { tolerance: 0.015, relative: false, unit: 'points' })).toBe('3.51 points (accepted from 3.495 to 3.525 points)');
  });
});
