/**
 * The instructor guides: the index links a guide for every chapter and the syllabus; a guide's
 * answer key is collapsed until opened; every demo link in every guide opens its chapter with the
 * widget showing exactly the demo's settings (in its state and in its controls). Pages are found
 * from /instructors/, so a chapter added later is covered without editing this file.
 */
import { test, expect, type Page } from '@playwright/test';
import type { SettingValue, WidgetState } from '../../src/engine/types';
import { trackPageProblems, expectNoProblems } from './helpers';

async function guidePaths(page: Page): Promise<string[]> {
  await page.goto('/instructors/');
  const hrefs = await page
    .getByRole('region', { name: 'Chapter guides' })
    .getByRole('link')
    .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
  return hrefs.filter((href) => /^\/instructors\/[^/]+\/$/.test(href));
}

test('the index links the syllabus and a guide for every chapter on the home page', async ({ page }) => {
  await page.goto('/');
  const chapters = await page.locator('a[href^="/lessons/"]').evaluateAll((links) => [...new Set(links.map((link) => link.getAttribute('href')))]);
  await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Instructors' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'For instructors' })).toBeVisible();
  const guides = await guidePaths(page);
  expect(guides.map((path) => path.replace('/instructors/', '/lessons/'))).toEqual(expect.arrayContaining(chapters));
  await page.getByRole('link', { name: 'Syllabus of the whole course' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Syllabus/ })).toBeVisible();
  for (const path of guides) await expect(page.locator(`a[href="${path}"]`), `syllabus links ${path}`).toHaveCount(1);
  // The syllabus lists every chapter's time and objectives.
  await expect(page.getByRole('table', { name: /Chapters in order/ }).getByRole('row')).toHaveCount(guides.length + 1);
});

test('a guide has its plan, questions, misconceptions and an answer key collapsed until opened', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto('/instructors/residual/');
  for (const name of ['At a glance', 'A 50-minute session', 'Discussion questions', 'Misconceptions this chapter targets', 'Answer key']) {
    await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  }
  const entries = page.locator('[data-answer-key] details');
  expect(await entries.count()).toBeGreaterThan(3);
  const first = entries.first();
  await expect(first.getByText('Answer', { exact: true })).toBeHidden();
  await first.locator('summary').click();
  await expect(first.getByText('Answer', { exact: true })).toBeVisible();
  // ... and from the keyboard.
  const second = entries.nth(1);
  await second.locator('summary').focus();
  await page.keyboard.press('Enter');
  await expect(second.getByText('Answer', { exact: true })).toBeVisible();
  // No live exercise or widget on the page: the key is static.
  await expect(page.locator('course-exercise, [data-widget-id]')).toHaveCount(0);
  expectNoProblems(problems, '/instructors/residual/');
});

test('every demo link opens its widget with the demo’s settings', async ({ page, context }) => {
  test.setTimeout(300_000);
  const demos: { guide: string; widget: string; href: string; settings: Record<string, SettingValue> }[] = [];
  for (const path of await guidePaths(page)) {
    await page.goto(path);
    for (const demo of await page.locator('[data-guide-demo]').all()) {
      demos.push({
        guide: path,
        widget: (await demo.getAttribute('data-guide-demo'))!,
        href: (await demo.getByRole('link').getAttribute('href'))!,
        settings: JSON.parse((await demo.getAttribute('data-demo-settings'))!) as Record<string, SettingValue>,
      });
    }
  }
  expect(demos.length).toBeGreaterThan(0);
  for (const demo of demos) {
    const where = `${demo.guide} → ${demo.href}`;
    // A fresh tab per demo, so a worker still loading in the previous chapter is not counted here.
    const tab = await context.newPage();
    const problems = trackPageProblems(tab);
    await tab.goto(demo.href);
    const widget = tab.locator(`[data-widget-id="${demo.widget}"]`);
    await expect(widget, where).toHaveCount(1);
    // The link's fragment is the widget's title, so the chapter opens at the widget.
    expect(new URL(tab.url()).hash, where).toBe(`#${demo.widget}-title`);
    // ... and names the widget's heading: a browser does not scroll to an element it does not draw (an SVG <title>).
    await expect(widget.getByRole('heading').and(tab.locator(`#${demo.widget}-title`)), where).toHaveCount(1);
    await expect(widget, where).toBeInViewport();
    await expect
      .poll(() => widget.evaluate((element) => typeof (element as unknown as { getState?: unknown }).getState === 'function'), { message: where })
      .toBe(true);
    const state = await widget.evaluate((element) => (element as unknown as { getState(): WidgetState }).getState());
    for (const [key, value] of Object.entries(demo.settings)) {
      expect.soft(state.settings[key], `${where}: state of ${key}`).toEqual(value);
      const control = widget.locator(`[data-setting="${key}"], [name="${key}"]`).first();
      if (typeof value === 'boolean') await expect.soft(control, `${where}: control ${key}`).toBeChecked({ checked: value });
      else if (typeof value === 'number') expect.soft(Number(await control.inputValue()), `${where}: control ${key}`).toBeCloseTo(value, 9);
      else await expect.soft(control, `${where}: control ${key}`).toHaveValue(value);
    }
    // A link value the widget rejected would be marked invalid next to its control.
    await expect.soft(widget.locator('[aria-invalid="true"]'), `${where}: rejected link values`).toHaveCount(0);
    expectNoProblems(problems, where);
    await tab.close();
  }
});

test('a guide prints with every answer open, and the syllabus prints without the site around it', async ({ page }) => {
  await page.goto('/instructors/residual/');
  await page.emulateMedia({ media: 'print' });
  const answers = page.locator('[data-answer-key] .answer-key-answer');
  expect(await answers.count()).toBeGreaterThan(3);
  for (const answer of await answers.all()) await expect(answer).toBeVisible();
  await page.goto('/instructors/syllabus/');
  await expect(page.getByRole('navigation', { name: 'Site' })).toBeHidden();
  await expect(page.getByRole('table', { name: /Chapters in order/ })).toBeVisible();
  // "Prints on a few pages": Chromium's A4 PDF (4 pages for 7 chapters when this was written).
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
  expect(pages, 'pages of the printed syllabus').toBeGreaterThan(0);
  expect(pages, 'pages of the printed syllabus').toBeLessThanOrEqual(6);
});
