/**
 * Assignments end to end: an instructor builds one (with a widget preset), a student opens its
 * link, solves an exercise, sees it ticked and downloads a report; the class page loads that
 * report with others (damaged, for another assignment, script in every text field, huge, not a
 * report) and shows the right table with no injected markup. Also: damaged links, dismissing,
 * several assignments active at once, axe on the pages in their filled-in states, the builder from
 * the keyboard, and the time 200 reports take to load (printed, not asserted).
 */
import { test, expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import AxeBuilder from '@axe-core/playwright';
import { buildReport, serializeReport, type ReportBody } from '../../src/assignments/report';
import { expectNoProblems, trackPageProblems, useTheme } from './helpers';

test.setTimeout(180_000);

const TITLE = 'Week 4 <img src=x onerror="window.__injected=1">';
const NOTES = 'Read chapter 4 first.\n<script>window.__injected = 2</script>\nThen solve the exercises.';
const EXERCISE = 'How much a sigmoid lets through';

/** No script from the assignment or a report ran, and (in `region`, when given) no markup from them exists. */
async function expectNothingInjected(page: Page, region?: string): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __injected?: unknown }).__injected)).toBeUndefined();
  if (region) expect(await page.locator(`${region} img, ${region} script`).count()).toBe(0);
}

/** Builds the assignment on the builder page; returns the link. */
async function buildAssignment(page: Page): Promise<string> {
  await page.goto('/instructors/assign/');
  await page.getByLabel('Title', { exact: true }).fill(TITLE);
  await page.getByLabel('Due date (optional)').fill('2026-12-20');
  await page.getByLabel('Notes for students (optional)').fill(NOTES);
  await page.getByText('Or pick single exercises of chapter 1').click();
  await page.getByRole('checkbox', { name: EXERCISE }).check();
  await page.getByRole('checkbox', { name: /^Chapter 4: / }).check();

  // A preset for chapter 4's plain lab: 12 hidden layers, its control hidden.
  await page.getByRole('button', { name: 'Widget presets for chapter 4…' }).click();
  const lab = page.getByRole('group', { name: 'Lab: 20 sigmoid layers, plain' });
  await lab.getByRole('checkbox', { name: 'Set Hidden layers' }).check();
  await lab.getByRole('spinbutton', { name: 'Hidden layers for students' }).fill('12');
  await lab.getByRole('checkbox', { name: 'Hide the Hidden layers control from students' }).check();

  await expect(page.getByRole('status').filter({ hasText: 'The link is ready' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'QR code of the assignment link' })).toBeVisible();
  const link = await page.getByLabel('Link for students').inputValue();
  expect(link).toMatch(/\/assignment\/#v=1&id=[a-z0-9]+&len=\d+&sum=[0-9a-f]{12}&/);

  // The preview shows the title and notes as text.
  const preview = page.locator('[data-builder-preview]');
  await expect(preview.getByRole('heading', { name: TITLE })).toBeVisible();
  await expect(preview.getByText('window.__injected = 2', { exact: false })).toBeVisible();
  await expect(preview.getByRole('link', { name: EXERCISE })).toBeVisible();
  await expectNothingInjected(page, '[data-builder-preview]');
  return link;
}

test('build an assignment, open it as a student, solve an exercise, download the report, load the class report', async ({ browser }) => {
  // ---- instructor ----
  const instructor = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const builder = await instructor.newPage();
  const builderProblems = trackPageProblems(builder);
  const link = await buildAssignment(builder);
  await builder.getByRole('button', { name: 'Copy link' }).click();
  await expect(builder.getByText('Link copied.')).toBeVisible();
  expect(await builder.evaluate(() => navigator.clipboard.readText())).toBe(link);

  const cartridgeDownload = builder.waitForEvent('download');
  await builder.getByRole('button', { name: 'Download for an LMS (Common Cartridge)' }).click();
  const cartridge = await cartridgeDownload;
  expect(cartridge.suggestedFilename()).toBe('week-4-img-srcx-onerrorwindow-injected1.imscc');
  const files = unzipSync(readFileSync(await cartridge.path()));
  expect(strFromU8(files['imsmanifest.xml'])).toContain('<schemaversion>1.1.0</schemaversion>');
  expect(Object.keys(files).filter((name) => name.endsWith('weblink.xml'))).toHaveLength(3);
  expectNoProblems(builderProblems, 'the builder');

  // ---- student (a browser of their own) ----
  const student = await browser.newContext();
  const page = await student.newPage();
  const problems = trackPageProblems(page);
  await page.goto(link);
  await expect(page.getByRole('heading', { name: TITLE, level: 2 })).toBeVisible();
  await expect(page.getByText(/^Due Sunday,? 20 December 2026/)).toBeVisible();
  expect(await page.locator('.assignment-view__notes-text').textContent()).toBe(NOTES);
  await expect(page.getByRole('alert')).toHaveCount(0);
  const checklist = page.getByRole('list', { name: 'Checklist' });
  await expect(checklist.getByRole('link', { name: /^Chapter 1: / })).toBeVisible();
  const checklistExercise = checklist.locator('li[data-assignment-exercise="backprop-sigmoid-slope"]');
  await expect(checklistExercise).toContainText('To do:');
  await expectNothingInjected(page, '[data-assignment-view]');

  // The chapter page reminds the student and the exercise is solved there.
  await checklist.getByRole('link', { name: EXERCISE }).click();
  await expect(page).toHaveURL(/\/lessons\/backprop\/#ex-backprop-sigmoid-slope-title$/);
  const banner = page.getByRole('region', { name: `Assignment: ${TITLE}` });
  await expect(banner).toContainText('It asks for 1 of this chapter’s exercises: 0 solved so far.');
  const exercise = page.getByRole('region', { name: EXERCISE });
  // The first choice is the right one (choices are shown in source order).
  await exercise.getByRole('radio').first().check();
  await exercise.getByRole('button', { name: 'Check' }).click();
  await expect(banner).toContainText('1 solved so far');
  await expectNothingInjected(page);

  // Chapter 4's lab opens with the preset, its control hidden.
  await page.goto('/lessons/residual/');
  await expect(page.getByRole('region', { name: `Assignment: ${TITLE}` })).toContainText('“Lab: 20 sigmoid layers, plain” opens with your instructor’s settings: Hidden layers = 12 (fixed).');
  const plainLab = page.locator('[data-widget-id="res-flow-plain"]');
  await expect.poll(() => plainLab.evaluate((node) => (node as unknown as { getState(): { settings: Record<string, unknown> } }).getState().settings.depth)).toBe(12);
  await expect(plainLab.locator('[data-control-for="depth"]')).toBeHidden();
  await expect(page.locator('[data-widget-id="res-flow-residual"] [data-control-for="depth"]')).toBeVisible();

  // Back on the assignment: ticked; the report downloads with the typed name.
  await page.goto(link);
  await expect(checklistExercise).toContainText('Solved:');
  await expect(page.locator('[data-assignment-totals]')).toContainText('1 of');
  await page.getByRole('button', { name: 'Download report' }).click();
  await expect(page.getByText('Type your name first')).toBeVisible();
  await page.getByLabel('Your name, as your instructor knows you').fill('Ada Lovelace');
  const reportDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download report' }).click();
  const report = await reportDownload;
  expect(report.suggestedFilename()).toBe('report-week-4-img-srcx-onerrorwindow-injected1-ada-lovelace.json');
  const reportText = readFileSync(await report.path(), 'utf8');
  const body = (JSON.parse(reportText) as { body: ReportBody }).body;
  expect(body.student).toBe('Ada Lovelace');
  const solved = body.exercises.find((entry) => entry.id === 'backprop-sigmoid-slope')!;
  expect(solved).toMatchObject({ solved: true, attempts: 1, revealed: false });
  expect(body.exercises.filter((entry) => entry.solved)).toHaveLength(1);

  // Dismissed, the assignment leaves the chapter pages alone.
  await page.getByRole('button', { name: `Dismiss “${TITLE}”` }).click();
  await expect(page.getByText(/^Dismissed “/)).toBeVisible();
  await page.goto('/lessons/backprop/');
  await expect(page.locator('.assignment-banner')).toHaveCount(0);
  expectNoProblems(problems, 'the student’s pages');

  // ---- class report ----
  const other: ReportBody = { ...body, assignment: { id: 'someother1', title: 'Week 9' }, student: 'Grace Hopper' };
  const script = '<script>window.__injected=3</script><img src=x onerror="window.__injected=4">';
  const hostile: ReportBody = {
    ...body,
    assignment: { id: body.assignment.id, title: script },
    student: `=cmd|' /C calc'!A0 ${script}`,
    exercises: body.exercises.map((entry) => ({ ...entry, title: script, chapter: script, solved: true, attempts: 2 })),
    chapters: body.chapters.map((entry) => ({ ...entry, title: script })),
  };
  const corrupt = reportText.replace('"attempts": 1', '"attempts": 7');
  expect(corrupt).not.toBe(reportText);
  const classPage = await instructor.newPage();
  const classProblems = trackPageProblems(classPage);
  await classPage.goto('/instructors/report/');
  await expect(classPage.getByText('Reports are self-reported.')).toBeVisible();
  await classPage.getByLabel('The assignment’s link (optional)').fill(link);
  await classPage.getByLabel('The assignment’s link (optional)').press('Tab');
  await expect(classPage.getByRole('status').filter({ hasText: 'checked against the link' })).toBeVisible();
  const file = (name: string, text: string | Buffer) => ({ name, mimeType: 'application/json', buffer: Buffer.isBuffer(text) ? text : Buffer.from(text) });
  await classPage.getByLabel('Report files (you can pick many, or drop them here)').setInputFiles([
    file('ada.json', reportText),
    file('corrupt.json', corrupt),
    file('grace.json', await serializeReport(other)),
    file('hostile.json', await serializeReport(hostile)),
    file('huge.json', Buffer.alloc(3 * 1024 * 1024, 32)),
    file('notes.txt', 'These are my notes, not a report.'),
  ]);
  await expect(classPage.getByRole('status').filter({ hasText: 'Loaded 2 of 6 files' })).toBeVisible();
  const rejected = classPage.getByRole('region', { name: 'Files not loaded (4)' });
  await expect(rejected.getByRole('listitem')).toHaveText([
    /^corrupt\.json: it is damaged: its checksum does not match/,
    /^grace\.json: it is for another assignment \(“Week 9”\)/,
    /^huge\.json: it is 3\.0 MB, far larger than a report/,
    /^notes\.txt: it is not a report file \(not JSON\)/,
  ]);
  const table = classPage.getByRole('table');
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).getByRole('rowheader')).toContainText(`=cmd|' /C calc'!A0 ${script}`);
  await expect(rows.nth(1).getByRole('rowheader')).toContainText('Ada Lovelace');
  await expect(rows.nth(1).getByRole('cell').first()).toHaveText(`1 of ${body.exercises.length}`);
  await expect(table.locator('tfoot')).toContainText(`2 of 2`);
  await expect(table.locator('thead')).toContainText(EXERCISE);
  await expectNothingInjected(classPage, '[data-report-table]');
  await expectNothingInjected(classPage, '[data-report-rejections]');

  // Sorting by solved puts the student with most solved first; again reverses.
  await table.getByRole('button', { name: 'Solved', exact: true }).click();
  await expect(table.getByRole('columnheader', { name: 'Solved', exact: true })).toHaveAttribute('aria-sort', 'descending');
  await expect(rows.nth(0).getByRole('rowheader')).toContainText('=cmd');
  await expect(table.getByRole('button', { name: 'Solved', exact: true })).toBeFocused();
  await classPage.keyboard.press('Enter');
  await expect(table.getByRole('columnheader', { name: 'Solved', exact: true })).toHaveAttribute('aria-sort', 'ascending');
  await expect(rows.nth(0).getByRole('rowheader')).toContainText('Ada Lovelace');

  const csvDownload = classPage.waitForEvent('download');
  await classPage.getByRole('button', { name: 'Export the table as CSV' }).click();
  const csv = readFileSync(await (await csvDownload).path(), 'utf8').split('\r\n');
  expect(csv[0]).toMatch(/^student,report_created,solved_total,exercises_total,attempts_total,solutions_revealed,/);
  expect(csv.find((line) => line.includes('Ada Lovelace'))).toMatch(/^Ada Lovelace,[^,]+,1,/);
  expect(csv.find((line) => line.includes('cmd'))).toMatch(/^"'=cmd\|/);
  expectNoProblems(classProblems, 'the class report');
  await instructor.close();
  await student.close();
});

test('a damaged link shows what could be read and says what is wrong; a non-link says so', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto('/instructors/assign/');
  await page.getByLabel('Title', { exact: true }).fill('Cut short');
  await page.getByRole('checkbox', { name: /^Chapter 1: / }).check();
  await page.getByLabel('Notes for students (optional)').fill('A long note that will not arrive whole.');
  await expect(page.getByRole('status').filter({ hasText: 'The link is ready' })).toBeVisible();
  const link = await page.getByLabel('Link for students').inputValue();

  await page.goto(link.slice(0, -20));
  await expect(page.getByRole('alert')).toContainText('The link is cut short');
  await expect(page.getByRole('heading', { name: 'Cut short', level: 2 })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Checklist' }).getByRole('link', { name: /^Chapter 1: / })).toBeVisible();

  await page.goto(link.replace('Cut+short', 'Cut+shorter'));
  await expect(page.getByRole('alert')).toContainText('changed since it was made');
  await expect(page.getByRole('heading', { name: 'Cut shorter', level: 2 })).toBeVisible();

  await page.goto('/assignment/#definitely-not-an-assignment');
  await expect(page.getByRole('alert')).toContainText('This is not an assignment link');
  await expect(page.getByRole('list', { name: 'Checklist' })).toHaveCount(0);
  expectNoProblems(problems, 'damaged links');
});

test('200 reports load on the class page (time printed)', async ({ page }) => {
  const assignment = { id: 'timing0001', title: 'Timing' };
  const exercises = Array.from({ length: 12 }, (_, index) => ({ id: `ex-${index}`, title: `Exercise ${index}` }));
  const resolved = { chapters: [{ chapter: { slug: 'backprop', number: 1, title: 'Backpropagation', exercises }, whole: true, exercises }], unknownChapters: [], unknownExercises: [] };
  const files = await Promise.all(
    Array.from({ length: 200 }, async (_, student) => {
      const progress = { version: 1 as const, chapters: {}, exercises: Object.fromEntries(exercises.filter((_, index) => (index + student) % 3 !== 0).map((exercise) => [exercise.id, { attempts: 1 + (student % 4), solved: true, solvedAt: '2026-12-01T10:00:00.000Z', revealed: student % 5 === 0 }])) };
      const text = await serializeReport(buildReport(assignment, resolved, progress, `Student ${String(student).padStart(3, '0')}`));
      return { name: `student-${student}.json`, mimeType: 'application/json', buffer: Buffer.from(text) };
    }),
  );
  await page.goto('/instructors/report/');
  await page.getByLabel('Report files (you can pick many, or drop them here)').setInputFiles(files);
  const summary = page.getByRole('status').filter({ hasText: 'Loaded 200 of 200 files in' });
  await expect(summary).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('table').locator('tbody tr')).toHaveCount(200);
  console.log(`class report: ${(await summary.textContent())?.match(/Loaded 200 of 200 files in [\d.]+ s/)?.[0]}`);
});

test('several assignments are active at once: each chapter shows the ones that cover it, and dismissing one keeps the other', async ({ browser }) => {
  const instructor = await browser.newContext();
  const builder = await instructor.newPage();
  const title = builder.getByLabel('Title', { exact: true });
  /** A link for an assignment of one whole chapter, started afresh. */
  const linkFor = async (name: string, chapter: number): Promise<string> => {
    const startAfresh = builder.getByRole('button', { name: 'Start a new assignment' });
    // Offered next to the note that says a draft was restored; a fresh form has nothing to clear.
    if (await title.inputValue()) await startAfresh.click();
    await expect(title).toHaveValue('');
    await expect(startAfresh).toBeHidden();
    await title.fill(name);
    await builder.getByRole('checkbox', { name: new RegExp(`^Chapter ${chapter}: `) }).check();
    await expect(builder.getByRole('status').filter({ hasText: 'The link is ready' })).toBeVisible();
    return builder.getByLabel('Link for students').inputValue();
  };
  await builder.goto('/instructors/assign/');
  const first = await linkFor('Reading week: backpropagation', 1);
  // The builder keeps its draft across a reload, and says so.
  await builder.reload();
  await expect(title).toHaveValue('Reading week: backpropagation');
  await expect(builder.getByText('This is the assignment you were working on, as you left it.')).toBeVisible();
  const second = await linkFor('Reading week: residual networks', 4);
  const idOf = (link: string) => new URLSearchParams(new URL(link).hash.slice(1)).get('id');
  expect(idOf(second), 'a new assignment gets a new id').not.toBe(idOf(first));
  await instructor.close();

  const student = await browser.newContext();
  const page = await student.newPage();
  const problems = trackPageProblems(page);
  await page.goto(first);
  await expect(page.getByRole('heading', { name: 'Reading week: backpropagation', level: 2 })).toBeVisible();
  await page.goto(second);
  await expect(page.getByRole('heading', { name: 'Reading week: residual networks', level: 2 })).toBeVisible();
  const opened = page.getByRole('region', { name: 'Assignments you have opened' });
  await expect(opened.getByRole('listitem')).toHaveCount(2);
  await expect(opened.getByRole('link', { name: 'Reading week: backpropagation' })).toBeVisible();

  // Each chapter reminds of the assignment that covers it, not of the other.
  await page.goto('/lessons/backprop/');
  await expect(page.getByRole('region', { name: 'Assignment: Reading week: backpropagation' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Assignment: Reading week: residual networks' })).toHaveCount(0);
  await page.goto('/lessons/residual/');
  await expect(page.getByRole('region', { name: 'Assignment: Reading week: residual networks' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Assignment: Reading week: backpropagation' })).toHaveCount(0);

  // Dismissing the first leaves the second active.
  await page.goto('/assignment/');
  await opened.getByRole('button', { name: 'Dismiss “Reading week: backpropagation”' }).click();
  await expect(opened.getByRole('listitem')).toHaveCount(1);
  await expect(opened.getByRole('link', { name: 'Reading week: residual networks' })).toBeVisible();
  await page.goto('/lessons/backprop/');
  await expect(page.locator('.assignment-banner')).toHaveCount(0);
  await page.goto('/lessons/residual/');
  await expect(page.getByRole('region', { name: 'Assignment: Reading week: residual networks' })).toBeVisible();
  expectNoProblems(problems, 'two active assignments');
  await student.close();
});

test('the builder with a link, its QR code and preview, the student’s page and the class page with a table pass axe in both themes', async ({ browser }) => {
  const violations = async (page: Page) =>
    (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze()).violations.map(
      (violation) => `${violation.id}: ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')}`,
    );
  for (const theme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ colorScheme: theme });
    const page = await context.newPage();
    await useTheme(page, theme);
    const link = await buildAssignment(page);
    expect.soft(await violations(page), `builder with a link (${theme})`).toEqual([]);

    // A report from the student's side, then the class page with it and a rejected file.
    await page.goto(link);
    await expect(page.getByRole('list', { name: 'Checklist' })).toBeVisible();
    expect.soft(await violations(page), `student's assignment page (${theme})`).toEqual([]);
    await page.getByLabel('Your name, as your instructor knows you').fill('Ada Lovelace');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download report' }).click();
    const report = readFileSync(await (await download).path());
    await page.goto('/instructors/report/');
    await page.getByLabel('Report files (you can pick many, or drop them here)').setInputFiles([
      { name: 'ada.json', mimeType: 'application/json', buffer: report },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a report') },
    ]);
    await expect(page.getByRole('status').filter({ hasText: 'Loaded 1 of 2 files' })).toBeVisible();
    await expect(page.getByRole('table').locator('tbody tr')).toHaveCount(1);
    expect.soft(await violations(page), `class page with a table (${theme})`).toEqual([]);
    await context.close();
  }
});

test('the builder works from the keyboard alone: type a title, tick a chapter, copy the link', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await page.goto('/instructors/assign/');
  const title = page.getByLabel('Title', { exact: true });
  await title.focus();
  await page.keyboard.type('Keyboard only');
  /** Presses Tab until `target` has focus (the page's own order, no clicks). */
  const tabTo = async (target: Locator, most: number) => {
    for (let press = 0; press < most && !(await target.evaluate((element) => element === document.activeElement)); press++) await page.keyboard.press('Tab');
    await expect(target).toBeFocused();
  };
  const chapter = page.getByRole('checkbox', { name: /^Chapter 1: / });
  await tabTo(chapter, 10);
  await page.keyboard.press('Space');
  await expect(chapter).toBeChecked();
  await expect(page.getByRole('status').filter({ hasText: 'The link is ready' })).toBeVisible();
  const copy = page.getByRole('button', { name: 'Copy link' });
  await tabTo(copy, 80);
  await page.keyboard.press('Enter');
  await expect(page.getByText('Link copied.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await page.getByLabel('Link for students').inputValue());
  await context.close();
});
