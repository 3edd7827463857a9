import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { onCoreCounts } from './helpers';

/** Chapter 3 with its two widgets: the degradation lab (id "degradation-lab") and shattered gradients. */
const CHAPTER = '/lessons/degradation/';
/** A short run of the lab (two depths, one seed, few steps) so the test stays quick. */
const SHORT_RUN = '?degradation-lab.depths=2%2C32&degradation-lab.seeds=1&degradation-lab.steps=40';

/** Collects console errors and uncaught exceptions; each test asserts there were none. */
function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

function widget(page: Page, name: RegExp) {
  return page.getByRole('region', { name });
}

test('the chapter loads with its sections, references and exercises and no console errors', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(CHAPTER);
  await expect(page.getByRole('heading', { level: 1, name: 'The degradation problem' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Not vanishing gradients either' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Exercises' })).toBeVisible();
  // Table 2's numbers are in the page, with their citation.
  await expect(page.getByRole('table').filter({ hasText: '28.54' })).toContainText('25.03');
  await expect(page.locator('[data-exercise-id="dg-find-onset"]')).toHaveCount(1);
  await page.waitForLoadState('networkidle');
  expect(errors).toEqual([]);
});

test('the degradation lab trains a short run from a link and tabulates final loss against depth', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(CHAPTER + SHORT_RUN);
  const lab = widget(page, /degradation lab/i);
  await lab.scrollIntoViewIfNeeded();
  await expect(lab.getByLabel('Training steps')).toHaveValue('40');
  await lab.getByRole('button', { name: 'Play' }).click();
  // 4 networks × 40 steps took 20–50 s on the loaded 2-core machine: wait for the state, with room.
  await expect(lab.getByRole('status')).toHaveText(/^Finished:/, { timeout: 105_000 });
  // One full stop at the end of the spoken summary, not two.
  await expect(lab.getByRole('status')).toHaveText(/[^.]\.$/);
  await lab.getByRole('button', { name: 'Show data table' }).click();
  const table = lab.getByRole('table', { name: /final training loss by depth/i });
  await expect(table).toBeVisible();
  // One row per network kind and depth: plain and residual, 2 and 32 layers.
  await expect(table.getByRole('row')).toHaveCount(1 + 4);
  for (const kind of ['plain', 'residual']) {
    for (const depth of ['2', '32']) {
      const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: kind, exact: true }) }).filter({ has: page.getByRole('cell', { name: depth, exact: true }) });
      await expect(row).toHaveCount(1);
      await expect(row.getByRole('cell').nth(1)).toHaveText(/^\d+\.\d{3}$/);
    }
  }
  const state = await page.locator('[data-widget-id="degradation-lab"]').evaluate((element) => {
    const s = (element as unknown as { getState(): import('../../src/engine/types').WidgetState }).getState();
    return { status: s.status, step: s.step, runs: s.runs.length, lastStep: Math.max(...s.records.map((r) => r.step)) };
  });
  expect(state).toMatchObject({ status: 'finished', runs: 4, lastStep: 40 });
  // Both charts' legends say which kind is which, by name and by line style, and list the kind's lines under it.
  const legends = lab.getByRole('list', { name: 'Legend' });
  await expect(legends).toHaveCount(2);
  for (const legend of await legends.all()) {
    await expect(legend).toContainText('plain (dashed lines)');
    await expect(legend).toContainText('residual (solid lines)');
  }
  await expect(legends.first().getByRole('list', { name: 'plain' }).getByRole('listitem')).toHaveText(['plain, 2 layers', 'plain, 32 layers']);
  await expect(legends.first().getByRole('list', { name: 'residual' }).getByRole('listitem')).toHaveText(['residual, 2 layers', 'residual, 32 layers']);
  expect(errors).toEqual([]);
});

test('the shattered-gradients widget computes and tabulates correlations by depth', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(CHAPTER);
  const shattered = widget(page, /shattered gradients/i);
  await shattered.scrollIntoViewIfNeeded();
  await shattered.getByRole('button', { name: 'Play' }).click();
  await expect(shattered.getByRole('status')).toHaveText(/^Finished:/, { timeout: 30_000 });
  await shattered.getByRole('button', { name: 'Show data table' }).click();
  const table = shattered.getByRole('table', { name: /correlation of neighbouring gradients/i });
  await expect(table).toBeVisible();
  const firstRow = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '1', exact: true }) });
  await expect(firstRow.getByRole('cell').nth(0)).toHaveText(/^-?\d\.\d{3}$/);
  const deepRow = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '50', exact: true }) });
  const [plain, residual] = await Promise.all([deepRow.getByRole('cell').nth(0).textContent(), deepRow.getByRole('cell').nth(1).textContent()]);
  expect(Number(residual)).toBeGreaterThan(Number(plain));
  // The JSON export carries the correlations as its summary, in the shape the CLI prints.
  const download = async (name: string) => {
    const started = page.waitForEvent('download');
    await shattered.getByRole('group', { name: 'Downloads' }).getByRole('button', { name }).click();
    return readFile((await (await started).path())!, 'utf8');
  };
  const json = JSON.parse(await download('Run as JSON'));
  expect(json.summary).toHaveLength(json.snapshot.correlations.length);
  const deepest = json.summary.filter((row: { depth: number }) => row.depth === 50);
  expect(deepest.map((row: { label: string; correlation: number }) => [row.label, row.correlation.toFixed(3)])).toEqual([
    ['plain, 50 layers', Number(plain).toFixed(3)],
    ['residual, 50 layers', Number(residual).toFixed(3)],
  ]);
  // Nothing trains, so the CSV export holds the same rows (there are no per-step records).
  const csv = (await download('Run as CSV')).trim().split('\n');
  expect(csv[0]).toBe('run,label,skip,depth,correlation');
  expect(csv).toHaveLength(1 + json.summary.length);
  expect(errors).toEqual([]);
});

/** Records of every run, in step order, after a short run (on the cores the page reports: onCoreCounts). */
async function trainShortRun(page: Page) {
  await page.goto(`${CHAPTER}?degradation-lab.depths=2%2C32&degradation-lab.seeds=3&degradation-lab.steps=20`);
  const lab = widget(page, /degradation lab/i);
  await lab.scrollIntoViewIfNeeded();
  await lab.getByRole('button', { name: 'Play' }).click();
  await expect(lab.getByRole('status')).toHaveText(/^Finished:/, { timeout: 180_000 });
  return page.locator('[data-widget-id="degradation-lab"]').evaluate((element) => {
    const state = (element as unknown as { getState(): import('../../src/engine/types').WidgetState }).getState();
    const byRun = state.runs.map((run) => ({ run, records: state.records.filter((record) => record.run === run.id) }));
    return { status: state.status, step: state.step, byRun, summary: (element as unknown as { exportSummary(): unknown }).exportSummary() };
  });
}

test('the degradation lab trained by a pool of workers gives the same result as one worker, for the same seeds', async ({ browser }) => {
  test.setTimeout(420_000);
  // 1 core: one worker; 3 cores: the four networks (three seeds each) dealt over three workers, unevenly (more workers than this machine has cores, on purpose).
  const [single, pooled] = await onCoreCounts(browser, [1, 3], trainShortRun);
  expect(single.byRun).toHaveLength(2 * 2 * 3);
  for (const { records } of single.byRun) expect(records.map((record) => record.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  expect(pooled.step).toBe(single.step);
  expect(pooled.byRun).toEqual(single.byRun);
  expect(pooled.summary).toEqual(single.summary);
});
