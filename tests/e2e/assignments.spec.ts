/**
 * Assignments end to end: an instructor builds one (with a widget preset), a student opens its
 * link, solves an exercise, sees it ticked and downloads a report; the class page loads that
 * report with others (damaged, for another assignment, script in every text field, huge, not a
 * report) and shows the right table with no injected markup. Also: damaged links, dismissing,
 * and the time 200 reports take to load (printed, not asserted).
 */
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { buildReport, serializeReport, type ReportBody } from '../../src/assignments/report';
import { expectNoProblems, trackPageProblems } from './helpers';

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
