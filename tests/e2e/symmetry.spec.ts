import { expect, test, type Page } from '@playwright/test';
import type { WidgetState } from '../../src/engine/types';
import { expectNoProblems, onCoreCounts, trackPageProblems } from './helpers';

/** Chapter 8 and its five widgets. Short runs come from links (URL state), so the tests stay quick. */
const CHAPTER = '/lessons/symmetry/';

function widgetState(page: Page, id: string): Promise<WidgetState> {
  return page.locator(`[data-widget-id="${id}"]`).evaluate((element) => (element as unknown as { getState(): WidgetState }).getState());
}

test('the chapter loads with its sections, widgets and exercises and no console errors', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(CHAPTER);
  await expect(page.getByRole('heading', { level: 1, name: 'The symmetry hypothesis' })).toBeVisible();
  for (const name of ['The hypothesis at its strongest', 'What a skip really breaks', 'The test', 'A verdict', 'Exercises']) {
    await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
  }
  for (const id of ['permutation-lab', 'tied-units', 'mirror-loss', 'symmetry-counter', 'symmetry-test']) await expect(page.locator(`[data-widget-id="${id}"]`)).toHaveCount(1);
  await expect(page.locator('[data-exercise-id="sym-challenge-stream"]')).toHaveCount(1);
  await page.waitForLoadState('networkidle');
  expectNoProblems(problems, page.url());
});

test('the permutation lab keeps a plain net’s function and reorders units from the keyboard', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(`${CHAPTER}?permutation-lab.steps=60&permutation-lab.order=500`);
  const lab = page.getByRole('region', { name: 'The permutation lab' });
  await lab.scrollIntoViewIfNeeded();
  await expect(lab.getByRole('spinbutton', { name: /Order of the units/ })).toHaveValue('500');
  await lab.getByRole('button', { name: 'Play' }).click();
  await expect(lab.getByRole('status')).toHaveText(/^Finished:/, { timeout: 60_000 });
  await expect(lab.locator('[data-part="status"]')).toContainText('the same function');
  // Weight tables: one row per unit, reordered rows after.
  await expect(lab.getByRole('table', { name: 'Reordered' }).first().getByRole('rowheader').first()).toHaveText('5');
  await lab.getByRole('button', { name: 'Show data table' }).click();
  await expect(lab.getByRole('table', { name: 'Result of the reordering' }).getByRole('row', { name: /Same function/ })).toContainText('yes');

  // Keyboard: move unit 5 (now first) down with Enter on its button; the order setting follows.
  const down = lab.getByRole('button', { name: 'Move unit 5 down' });
  await down.focus();
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await widgetState(page, 'permutation-lab')).settings.order).not.toBe(500);
  await expect(lab.getByRole('list', { name: /Order of the 6 units/ }).getByRole('listitem').nth(1)).toContainText('Unit 5');
  await expect(lab.getByRole('status')).toHaveText(/^Finished:/, { timeout: 60_000 });
  expect((await widgetState(page, 'permutation-lab')).snapshot).toMatchObject({ order: expect.arrayContaining([4]) });
  await expect.poll(() => new URL(page.url()).searchParams.get('permutation-lab.order')).not.toBe('500');
  expectNoProblems(problems, page.url());
});

test('the permutation lab shows that a skip around every layer breaks a lone reordering, and rejects a bad order', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(`${CHAPTER}?permutation-lab.steps=60&permutation-lab.order=500&permutation-lab.network=every-layer`);
  const lab = page.getByRole('region', { name: 'The permutation lab' });
  await lab.scrollIntoViewIfNeeded();
  await lab.getByRole('button', { name: 'Play' }).click();
  await expect(lab.getByRole('status')).toHaveText(/^Finished:/, { timeout: 60_000 });
  await expect(lab.locator('[data-part="status"]')).toContainText('a different function');
  const order = lab.getByRole('spinbutton', { name: /Order of the units/ });
  await order.fill('720');
  await order.blur();
  await expect(order).toHaveAttribute('aria-invalid', 'true');
  expect((await widgetState(page, 'permutation-lab')).settings.order).toBe(500);
  await lab.getByRole('combobox', { name: 'What moves' }).selectOption('stream');
  await lab.getByRole('button', { name: 'Play' }).click();
  await expect(lab.getByRole('status')).toHaveText(/^Finished:/, { timeout: 60_000 });
  await expect(lab.locator('[data-part="status"]')).toContainText('the same function');
  expectNoProblems(problems, page.url());
});

test('tied units stay tied in the plain net and separate with a skip around every layer', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(`${CHAPTER}?tied-units.steps=40`);
  const widget = page.getByRole('region', { name: /Tied units/ });
  await widget.scrollIntoViewIfNeeded();
  await widget.getByRole('button', { name: 'Play' }).click();
  await expect(widget.getByRole('status')).toHaveText(/^Finished:/, { timeout: 60_000 });
  await expect(widget.locator('[data-part="status"]')).toContainText('plain: still tied');
  await widget.getByRole('button', { name: 'Show data table' }).click();
  const table = widget.getByRole('table', { name: /Distance between units 1 and 2/ });
  const last = table.getByRole('row').last();
  await expect(last.getByRole('cell').nth(0)).toHaveText('0 (tied)');
  await expect(last.getByRole('cell').nth(2)).not.toHaveText('0 (tied)');
  expectNoProblems(problems, page.url());
});

test('the mirror loss keeps a path on the line, starts a new one where the map is clicked, and explains bad input', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(`${CHAPTER}?mirror-loss.steps=100`);
  const widget = page.getByRole('region', { name: 'A loss with a mirror symmetry' });
  await widget.scrollIntoViewIfNeeded();
  await widget.getByRole('button', { name: 'Play' }).click();
  await expect(widget.getByRole('status')).toHaveText(/^Finished:/, { timeout: 60_000 });
  await expect(widget.locator('[data-part="status"]')).toContainText('never left the mirror line');
  // Click the map near (2, -1): the start follows the click and a new path runs.
  const map = widget.getByRole('group', { name: /Loss over the two weights/ });
  const box = (await map.boundingBox())!;
  await map.click({ position: { x: box.width * 0.8, y: box.height * 0.55 } });
  await expect.poll(async () => (await widgetState(page, 'mirror-loss')).settings.startW1).not.toBe(1.5);
  await expect(widget.getByRole('status')).toHaveText(/^Finished:/, { timeout: 60_000 });
  await widget.getByRole('button', { name: 'Show data table' }).click();
  await expect(widget.getByRole('table', { name: /Gradient-descent path/ }).getByRole('row')).not.toHaveCount(1);
  const start = widget.getByRole('spinbutton', { name: 'Start w₁' });
  await start.fill('9');
  await start.blur();
  await expect(start).toHaveAttribute('aria-invalid', 'true');
  expect((await widgetState(page, 'mirror-loss')).settings.startW1).not.toBe(9);
  expectNoProblems(problems, page.url());
});

test('the symmetry counter shows the formula, keeps settings in the URL and explains bad input', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(`${CHAPTER}?symmetry-counter.architecture=transformer&symmetry-counter.layers=12&symmetry-counter.width=512&symmetry-counter.inner=2048&symmetry-counter.heads=8`);
  const counter = page.getByRole('region', { name: 'The symmetry counter' });
  await counter.scrollIntoViewIfNeeded();
  await expect(counter.getByRole('combobox', { name: 'Architecture' })).toHaveValue('transformer');
  await expect(counter.locator('[data-result]')).toHaveText(/^10\^/);
  await expect(counter.locator('[data-formula="transformer"]')).toBeVisible();
  await expect(counter.locator('[data-formula="plain"]')).toBeHidden();
  await counter.getByRole('button', { name: 'Show data table' }).click();
  await expect(counter.getByRole('table').getByRole('row', { name: /Plain MLP/ })).toBeVisible();
  await counter.getByRole('combobox', { name: 'Architecture' }).selectOption('every-layer');
  await expect.poll(() => new URL(page.url()).searchParams.get('symmetry-counter.architecture')).toBe('every-layer');
  const layers = counter.getByRole('spinbutton', { name: 'Layers (blocks)' });
  await layers.fill('0');
  await layers.blur();
  await expect(counter.getByText(/Layers \(blocks\) must be/)).toBeVisible();
  await expect(layers).toHaveAttribute('aria-invalid', 'true');
  // A formula and a number: no chart to download, but the data is.
  await expect(counter.getByRole('button', { name: 'Chart as PNG' })).toBeHidden();
  await expect(counter.getByRole('button', { name: 'Data as CSV' })).toBeVisible();
  expect((await widgetState(page, 'symmetry-counter')).settings.layers).toBe(12);
  expectNoProblems(problems, page.url());
});

test('the symmetry test trains many seeds and tabulates them', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(`${CHAPTER}?symmetry-test.seeds=2&symmetry-test.depth=4&symmetry-test.steps=100`);
  const widget = page.getByRole('region', { name: 'The symmetry test' });
  await widget.scrollIntoViewIfNeeded();
  await widget.getByRole('button', { name: 'Play' }).click();
  await expect(widget.getByRole('status')).toHaveText(/^Finished:/, { timeout: 90_000 });
  await widget.getByRole('button', { name: 'Show data table' }).click();
  await expect(widget.getByRole('table', { name: /Summary per network/ }).getByRole('row')).toHaveCount(4);
  await expect(widget.getByRole('table', { name: 'Every run' }).getByRole('row')).toHaveCount(7);
  await expect(widget.getByRole('group', { name: /closest pair of units/ })).toBeVisible();
  expectNoProblems(problems, page.url());
});

/** The symmetry test's state after a short run (on the cores the page reports: 1, one worker; 2 or more, three). */
async function shortSymmetryTest(page: Page) {
  await page.goto(`${CHAPTER}?symmetry-test.seeds=2&symmetry-test.depth=4&symmetry-test.steps=100`);
  const widget = page.getByRole('region', { name: 'The symmetry test' });
  await widget.scrollIntoViewIfNeeded();
  await widget.getByRole('button', { name: 'Play' }).click();
  await expect(widget.getByRole('status')).toHaveText(/^Finished:/, { timeout: 120_000 });
  const state = await widgetState(page, 'symmetry-test');
  return { step: state.step, runs: state.runs, byRun: state.runs.map((run) => state.records.filter((record) => record.run === run.id)), snapshot: state.snapshot };
}

test('the symmetry test trained by a pool of workers gives the same result as one worker, for the same seeds', async ({ browser }) => {
  test.setTimeout(300_000);
  const [single, pooled] = await onCoreCounts(browser, [1, 2], shortSymmetryTest);
  expect(single.runs).toHaveLength(3 * 2);
  for (const records of single.byRun) expect(records.map((record) => record.step)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  expect(pooled.step).toBe(single.step);
  expect(pooled.runs).toEqual(single.runs);
  expect(pooled.byRun).toEqual(single.byRun);
  expect(pooled.snapshot).toMatchObject({ step: 100 });
  expect(pooled.snapshot).toEqual(single.snapshot);
});
