import { expect, test, type Page } from '@playwright/test';
import type { WidgetState } from '../../src/engine/types';

/** Chapter 4 with its widgets: two gradient-flow labs, the image degradation lab ("degradation-images"), the lesion lab ("lesion") and the landscape lab ("landscape"). */
const CHAPTER = '/lessons/residual/';
/** Short runs from a link, so the tests stay quick on two busy cores. */
const SHORT_LANDSCAPE = '?landscape.depth=3&landscape.width=4&landscape.trainSteps=50&landscape.resolution=21';
const SHORT_LESION = '?lesion.depth=4&lesion.width=8&lesion.trainSteps=50';
const SHORT_IMAGES = '?degradation-images.depths=4,24&degradation-images.steps=20&degradation-images.channels=4&degradation-images.batchSize=8';

/** Collects console errors and uncaught exceptions; each test asserts there were none. */
function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

async function stateOf(page: Page, id: string): Promise<WidgetState> {
  return page.locator(`[data-widget-id="${id}"]`).evaluate((element) => {
    const state = (element as unknown as { getState(): WidgetState }).getState();
    return JSON.parse(JSON.stringify(state)) as WidgetState;
  });
}

test('the chapter loads with its sections, tables, widgets and exercises and no console errors', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(CHAPTER);
  await expect(page.getByRole('heading', { level: 1, name: 'Residual connections' })).toBeVisible();
  for (const name of ['Following the gradient through a chain of blocks', 'Why the identity, and not something cleverer?', 'Residual networks behave like ensembles of shallow paths', 'The loss landscape with and without skips', 'Exercises']) {
    await expect(page.getByRole('heading', { name })).toBeVisible();
  }
  await expect(page.getByRole('heading', { name: /^Does chapter 3.s result hold on real images\?$/ })).toBeVisible();
  // The shortcut ablation and the depth table, with their numbers.
  await expect(page.getByRole('table').filter({ hasText: '12.22' })).toContainText('6.61');
  await expect(page.getByRole('table').filter({ hasText: '1202' })).toContainText('7.93');
  // The two gradient-flow labs start from the same settings except the skip.
  const plain = await stateOf(page, 'res-flow-plain');
  const residual = await stateOf(page, 'res-flow-residual');
  expect(plain.settings.skip).toBe('none');
  expect(residual.settings.skip).toBe('residual');
  expect({ ...plain.settings, skip: 'residual' }).toEqual(residual.settings);
  for (const id of ['res-predict-flow', 'res-predict-images', 'res-images-vs-paper', 'res-predict-lesion', 'res-predict-landscape', 'res-fragile-residual', 'res-smooth-plain', 'res-scaled-shortcut']) {
    await expect(page.locator(`[data-exercise-id="${id}"]`)).toHaveCount(1);
  }
  await page.waitForLoadState('networkidle');
  expect(errors).toEqual([]);
});

test('the landscape lab trains both networks, computes both slices with a progress bar, and tabulates the roughness', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(CHAPTER + SHORT_LANDSCAPE);
  const lab = page.getByRole('region', { name: /Loss landscapes with and without skips/ });
  await lab.scrollIntoViewIfNeeded();
  await expect(lab.getByRole('spinbutton', { name: 'Training steps' })).toHaveValue('50');
  const progress = lab.getByRole('progressbar', { name: 'Progress' });
  await expect(progress).toHaveJSProperty('value', 0);
  await lab.getByRole('button', { name: 'Play' }).click();
  await expect(lab.getByRole('status')).toHaveText(/^Finished: Roughness/, { timeout: 90_000 });
  await expect(progress).toHaveJSProperty('value', 1);
  await lab.getByRole('button', { name: 'Show data table' }).click();
  const table = lab.getByRole('table', { name: /Roughness of each slice/ });
  for (const network of ['plain', 'residual']) {
    const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: network, exact: true }) });
    await expect(row.getByRole('cell').first()).toHaveText(/^\d+$/);
  }
  // The axis profiles: one row per grid column.
  await expect(lab.getByRole('table', { name: /Loss along the two axes/ }).getByRole('row')).toHaveCount(1 + 21);
  const state = await stateOf(page, 'landscape');
  expect(state.status).toBe('finished');
  expect(state.snapshot).toMatchObject({ phase: 'done', resolution: 21, rowsDone: 21 });
  expect(errors).toEqual([]);
});

test('the lesion lab tests every deletion after training, and a link restores its settings', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(CHAPTER + SHORT_LESION);
  const lab = page.getByRole('region', { name: /Lesion study/ });
  await lab.scrollIntoViewIfNeeded();
  await expect(lab.getByRole('spinbutton', { name: 'Hidden layers' })).toHaveValue('4');
  await lab.getByRole('button', { name: 'Play' }).click();
  await expect(lab.getByRole('status')).toHaveText(/^Finished: Test accuracy/, { timeout: 60_000 });
  await lab.getByRole('button', { name: 'Show data table' }).click();
  const table = lab.getByRole('table', { name: /after deleting one layer/ });
  // Intact, then layers 2 to 4.
  await expect(table.getByRole('row')).toHaveCount(1 + 1 + 3);
  await expect(table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'none (intact)' }) }).getByRole('cell').first()).toHaveText(/^\d+%$/);
  await expect(lab.getByRole('table', { name: 'Summary over the single deletions' }).getByRole('row')).toHaveCount(1 + 2);
  const state = await stateOf(page, 'lesion');
  expect(state.status).toBe('finished');
  expect(state.snapshot).toMatchObject({ phase: 'done' });
  expect(errors).toEqual([]);
});

test('bad input in the lesion lab is explained and loses nothing; a valid change goes into the URL', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(`${CHAPTER}?lesion.width=999`);
  const lab = page.getByRole('region', { name: /Lesion study/ });
  await lab.scrollIntoViewIfNeeded();
  // The invalid width from the link is ignored with a notice; the default stays.
  await expect(lab.getByText(/Units per layer must be between 4 and 64/)).toBeVisible();
  await expect(lab.getByRole('spinbutton', { name: 'Units per layer' })).toHaveValue('32');
  const depth = lab.getByRole('spinbutton', { name: 'Hidden layers' });
  await depth.fill('99');
  await depth.blur();
  await expect(lab.getByText('Hidden layers must be between 3 and 30.')).toBeVisible();
  await expect(depth).toHaveValue('99');
  await expect(depth).toHaveAttribute('aria-invalid', 'true');
  expect((await stateOf(page, 'lesion')).settings.depth).toBe(12);
  await depth.fill('6');
  await depth.blur();
  await expect.poll(async () => (await stateOf(page, 'lesion')).settings.depth).toBe(6);
  await expect.poll(() => new URL(page.url()).searchParams.get('lesion.depth')).toBe('6');
  expect(errors).toEqual([]);
});

test('the image degradation lab trains plain and residual conv nets, charts loss and test accuracy by depth, and tabulates them', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = watchConsole(page);
  await page.goto(CHAPTER + SHORT_IMAGES);
  const lab = page.getByRole('region', { name: /degradation lab on real images/ });
  await lab.scrollIntoViewIfNeeded();
  // The link's settings are in the controls.
  await expect(lab.getByRole('spinbutton', { name: 'Training steps' })).toHaveValue('20');
  await expect(lab.getByRole('combobox', { name: 'Depths to compare' })).toHaveValue('4,24');
  await lab.getByRole('button', { name: 'Play' }).click();
  // Finished, and every network tested (the pool's shards report their own scores).
  await expect.poll(async () => (await stateOf(page, 'degradation-images')).status, { timeout: 240_000 }).toBe('finished');
  await expect.poll(async () => ((await stateOf(page, 'degradation-images')).snapshot as { tests?: unknown[] } | undefined)?.tests?.length ?? 0).toBe(4);
  const state = await stateOf(page, 'degradation-images');
  expect(state.runs.map((run) => run.label)).toEqual(['plain, 4 layers', 'plain, 24 layers', 'residual, 4 layers', 'residual, 24 layers']);
  expect(state.records).toHaveLength(4 * 20);
  // Both charts have a line per network kind, plain and residual named in their legends.
  for (const name of [/Final training loss .* against the number of conv layers/, /Test accuracy against the number of conv layers/]) {
    const chart = lab.getByRole('group', { name });
    await expect(chart).toBeVisible();
    // One drawn line per kind, plain and residual, and a marker per network (2 kinds × 2 depths).
    await expect(chart.locator('svg .lines path')).toHaveCount(2);
    await expect(chart.locator('svg .markers path')).toHaveCount(4);
  }
  // The legend tells the kinds apart by line style and marker shape, not by colour alone.
  await expect(lab.getByRole('list', { name: 'Legend' }).first()).toContainText('plain (dashed lines, squares)');
  await expect(lab.getByRole('list', { name: 'Legend' }).first()).toContainText('residual (solid lines, circles)');
  await lab.getByRole('button', { name: 'Show data table' }).click();
  const table = lab.getByRole('table', { name: /Final training loss .* and test accuracy/ });
  await expect(table.getByRole('row')).toHaveCount(1 + 4);
  for (const row of await table.getByRole('row').all().then((rows) => rows.slice(1))) {
    await expect(row.getByRole('cell').nth(3)).toHaveText(/^\d+\.\d%$/);
  }
  expect(errors).toEqual([]);
});

test('bad input in the image degradation lab is explained and loses nothing; a valid change goes into the URL', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(`${CHAPTER}?degradation-images.channels=99`);
  const lab = page.getByRole('region', { name: /degradation lab on real images/ });
  await lab.scrollIntoViewIfNeeded();
  await expect(lab.getByText(/Channels per layer must be between 4 and 16/)).toBeVisible();
  const steps = lab.getByRole('spinbutton', { name: 'Training steps' });
  await steps.fill('5');
  await steps.blur();
  await expect(lab.getByText('Training steps must be between 20 and 2000.')).toBeVisible();
  await expect(steps).toHaveAttribute('aria-invalid', 'true');
  expect((await stateOf(page, 'degradation-images')).settings.steps).toBe(300);
  await steps.fill('100');
  await steps.blur();
  await expect.poll(async () => (await stateOf(page, 'degradation-images')).settings.steps).toBe(100);
  await expect.poll(() => new URL(page.url()).searchParams.get('degradation-images.steps')).toBe('100');
  expect(errors).toEqual([]);
});
