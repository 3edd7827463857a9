import { expect, test, type Locator, type Page } from '@playwright/test';
import { crawlSite } from './helpers';

/**
 * When a widget's worker cannot load (request aborted, hung, script error), the widget must end in
 * a readable error state and recover on the reader's next Play once the network is back.
 */

/** The training worker's script in the build (`worker-<hash>.js`), wherever its source lives. */
const TRAINING_WORKER = /\/_astro\/worker-[\w-]+\.js(\?.*)?$/;
/** The chain-rule stepper's own autodiff worker. */
const AUTODIFF_WORKER = /\/_astro\/autodiff\.worker-[\w-]+\.js(\?.*)?$/;

type WidgetStatus = string;

async function widgetStatus(widget: Locator): Promise<WidgetStatus> {
  return widget.evaluate((element) => (element as unknown as { getState(): { status: string } }).getState().status);
}

async function widgetStep(widget: Locator): Promise<number> {
  return widget.evaluate((element) => (element as unknown as { getState(): { step: number } }).getState().step);
}

function uncaughtErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Plays a widget whose worker is blocked and expects the readable error state. */
async function expectErrorAfterPlay(widget: Locator, message: RegExp): Promise<void> {
  await widget.scrollIntoViewIfNeeded();
  await widget.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(widget.getByText(message)).toBeVisible({ timeout: 20_000 });
  await expect(widget.getByText(/Press Play to try again/)).toBeVisible();
  await expect.poll(() => widgetStatus(widget)).toBe('error');
  // The button offers what works (Play, a retry), not Pause of a run that never started.
  await expect(widget.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  await expect(widget.getByText(/^Error: training stopped/)).toBeVisible();
}

/** After the block is lifted, Play retries with a fresh worker and the widget trains. */
async function expectRetryTrains(widget: Locator): Promise<void> {
  await widget.scrollIntoViewIfNeeded();
  await widget.getByRole('button', { name: 'Play', exact: true }).click();
  await expect.poll(() => widgetStep(widget), { timeout: 60_000 }).toBeGreaterThan(0);
  expect(await widgetStatus(widget)).not.toBe('error');
  await expect(widget.getByText(/The training engine (stopped|did not load)/)).toHaveCount(0);
  if ((await widgetStatus(widget)) === 'running') await widget.getByRole('button', { name: 'Pause', exact: true }).click();
}

test('a training worker that cannot load ends in an error, and Play retries with a fresh worker', async ({ page }) => {
  const errors = uncaughtErrors(page);
  await page.route(TRAINING_WORKER, (route) => route.abort());
  await page.goto('/lab/gradient-flow/');
  const widget = page.getByRole('region', { name: 'Gradient flow through a deep network' });
  await expectErrorAfterPlay(widget, /The training engine stopped: .*could not be loaded/);
  // Pressing Play again while still blocked fails again rather than waiting forever.
  await expectErrorAfterPlay(widget, /The training engine stopped/);

  await page.unroute(TRAINING_WORKER);
  await expectRetryTrains(widget);
  expect(errors).toEqual([]);
});

test('a training worker request that hangs times out with a message, and Play retries', async ({ page }) => {
  const errors = uncaughtErrors(page);
  const held: (() => Promise<void>)[] = [];
  // Never answered while the test holds it: a stalled download.
  await page.route(TRAINING_WORKER, (route) => {
    held.push(() => route.abort().catch(() => undefined));
  });
  await page.goto('/lab/gradient-flow/');
  const widget = page.getByRole('region', { name: 'Gradient flow through a deep network' });
  await widget.scrollIntoViewIfNeeded();
  await widget.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(widget.getByText(/^Loading the training engine:/)).toBeVisible();
  await expect(widget.getByText(/The training engine did not load within 30 seconds/)).toBeVisible({ timeout: 45_000 });
  await expect.poll(() => widgetStatus(widget)).toBe('error');
  await expect(widget.getByRole('button', { name: 'Play', exact: true })).toBeVisible();

  await page.unroute(TRAINING_WORKER);
  for (const release of held) await release();
  await expectRetryTrains(widget);
  expect(errors).toEqual([]);
});

test('predict-then-run with a blocked worker says the widget could not run and lets the reader retry or read on', async ({ page }) => {
  const errors = uncaughtErrors(page);
  await page.route(TRAINING_WORKER, (route) => route.abort());
  await page.goto('/lessons/vanishing-gradients/');
  const exercise = page.getByRole('region', { name: /How far apart are the first and last layers/ });
  await exercise.scrollIntoViewIfNeeded();
  await exercise.getByRole('radio', { name: /Three to ten/ }).check();
  const commit = exercise.getByRole('button', { name: 'Commit prediction and run' });
  await commit.click();
  const feedback = exercise.getByRole('status');
  await expect(feedback).toContainText('could not run', { timeout: 20_000 });
  await expect(feedback).toContainText('The training engine stopped');
  // The reader can answer without the run (the explanation is shown) or try again.
  await expect(exercise.getByText('Why', { exact: true })).toBeVisible();
  await expect(commit).toBeEnabled();
  await expect(exercise.getByRole('radio', { name: /Three to ten/ })).toBeEnabled();
  // No attempt was recorded for a run that never happened.
  await expect(exercise.getByText(/Your progress:/)).toBeHidden();

  // Once the worker loads, committing again runs the widget (its 1,000 steps are not waited for).
  await page.unroute(TRAINING_WORKER);
  await commit.click();
  await expect(feedback).toContainText('Running the widget');
  const widget = page.locator('[data-widget-id="vg-exercise-lab"]');
  await expect.poll(() => widgetStep(widget), { timeout: 60_000 }).toBeGreaterThan(0);
  expect(await widgetStatus(widget)).toBe('running');
  await widget.evaluate((element) => (element as unknown as { pause(): void }).pause());
  expect(errors).toEqual([]);
});

test('the chain-rule stepper keeps its autodiff error through the backward pass, with the hand computation intact', async ({ page }) => {
  const errors = uncaughtErrors(page);
  await page.route(AUTODIFF_WORKER, (route) => route.abort());
  await page.goto('/lessons/backprop/');
  const stepper = page.locator('[data-widget-id="stepper"]');
  await stepper.scrollIntoViewIfNeeded();
  const status = stepper.locator('[data-autodiff-status]');
  await expect(status).toContainText('TF.js autodiff could not run');
  const next = stepper.getByRole('button', { name: /^Next/ });
  // Through the whole forward pass and into the backward pass, to its end.
  for (let press = 0; press < 40 && (await next.getAttribute('aria-disabled')) !== 'true'; press++) await next.click();
  await expect(status).toContainText('TF.js autodiff could not run');
  await expect(stepper.getByText('computing…')).toHaveCount(0);
  // The hand-derived gradients are all there, with the TF.js column saying it is unavailable.
  const handCells = stepper.locator('[data-hand]');
  const count = await handCells.count();
  expect(count).toBe(9);
  for (let index = 0; index < count; index++) await expect(handCells.nth(index)).toHaveText(/^[−-]?\d/);
  await expect(stepper.locator('[data-autodiff]').first()).toHaveText('unavailable');
  expect(errors).toEqual([]);
});

test('every training widget on every page ends in a readable error with a working retry when its worker is blocked', async ({ page, request, baseURL }) => {
  test.setTimeout(600_000);
  const errors = uncaughtErrors(page);
  // A training widget names its experiment; a widget that trains nothing has none (or an empty one).
  const trainingWidget = /\sdata-experiment\s*=\s*"[^"]/g;
  const pages = (await crawlSite(request, baseURL!)).filter(({ html }) => new RegExp(trainingWidget.source).test(html));
  expect(pages.length).toBeGreaterThan(0);
  let widgetsChecked = 0;
  for (const { path } of pages) {
    await page.route(TRAINING_WORKER, (route) => route.abort());
    await page.goto(path);
    const widgets = page.locator('[data-experiment]:not([data-experiment=""])[data-widget-id]');
    const count = await widgets.count();
    for (let index = 0; index < count; index++) {
      await expectErrorAfterPlay(widgets.nth(index), /The training engine stopped: .*could not be loaded/);
    }
    await page.unroute(TRAINING_WORKER);
    for (let index = 0; index < count; index++) await expectRetryTrains(widgets.nth(index));
    widgetsChecked += count;
  }
  // Every widget of the built site was checked (the shells carry data-experiment).
  const expected = pages.reduce((sum, { html }) => sum + [...html.matchAll(trainingWidget)].length, 0);
  expect(widgetsChecked).toBe(expected);
  expect(errors).toEqual([]);
});
