import { expect, test } from '@playwright/test';
import { expectNoProblems, trackPageProblems, widgetState as stateOf } from './helpers';

/** Chapter 5 with its widgets: the dense block ("dense-block") and the side-by-side lab ("dense-reuse"). */
const CHAPTER = '/lessons/dense/';
/** A short run from a link, so the tests stay quick on two busy cores. */
const SHORT_RUN = '?dense-reuse.depth=4&dense-reuse.width=8&dense-reuse.steps=50';

test('the chapter loads with its sections, comparison table, widgets and exercises and no console errors', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(CHAPTER);
  await expect(page.getByRole('heading', { level: 1, name: 'Dense connections' })).toBeVisible();
  for (const name of ['The dense block', 'Keeping it affordable: bottlenecks and transitions', 'Addition and concatenation', 'See it: dense, residual and plain side by side', 'Exercises']) {
    await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('table').filter({ hasText: 'kept intact in their own channels' })).toContainText('mixed into the sum');
  for (const id of ['dense-predict-lowest', 'dense-connection-count', 'dense-input-channels', 'dense-concat-vs-add', 'dense-match-parts', 'dense-order-layer', 'dense-lean-wins']) {
    await expect(page.locator(`[data-exercise-id="${id}"]`)).toHaveCount(1);
  }
  await page.waitForLoadState('networkidle');
  expectNoProblems(problems, CHAPTER);
});

test('the dense block grows with its settings, tabulates the three blocks, keeps its state in the URL and explains bad input', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(CHAPTER);
  const widget = page.getByRole('region', { name: 'Grow a dense block' });
  await widget.scrollIntoViewIfNeeded();
  const summary = widget.locator('[data-part="status"]');
  await expect(summary).toContainText('4 layers of growth rate 12, 10 connections, 18,144 weights');
  // Four layers: five feature maps in each of the three rows of the diagram.
  await expect(widget.locator('svg circle')).toHaveCount(15);
  const growth = widget.getByRole('spinbutton', { name: 'Growth rate k' });
  await growth.fill('24');
  await expect(summary).toContainText('growth rate 24');
  await expect(summary).toContainText('51,840 weights');
  await expect.poll(() => new URL(page.url()).searchParams.get('dense-block.growth')).toBe('24');
  await widget.getByRole('button', { name: 'Show data table' }).click();
  const table = widget.getByRole('table', { name: /The dense block and a residual and a plain block/ });
  const denseRow = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Dense block' }) });
  await expect(denseRow).toContainText('24, 48, 72, 96');
  await expect(denseRow).toContainText('51840');
  await expect(table.getByRole('row')).toHaveCount(1 + 3);
  // Bad input: a message next to the control, the typed text kept, the last valid value in use.
  const layers = widget.getByRole('spinbutton', { name: 'Layers L' });
  await layers.fill('0');
  await layers.blur();
  await expect(layers).toHaveAttribute('aria-invalid', 'true');
  await expect(widget.getByText(/Layers L must be between 1 and 24/)).toBeVisible();
  expect((await stateOf(page, 'dense-block')).settings.layers).toBe(4);
  // The link restores the state on a fresh page.
  await page.goto(`${CHAPTER}?dense-block.layers=6&dense-block.bottleneck=true`);
  const restored = page.getByRole('region', { name: 'Grow a dense block' });
  await expect(restored.getByRole('spinbutton', { name: 'Layers L' })).toHaveValue('6');
  await expect(restored.getByRole('checkbox', { name: 'Bottleneck (DenseNet-B)' })).toBeChecked();
  await expect(restored.locator('[data-part="status"]')).toContainText('6 layers of growth rate 12, 21 connections');
  expectNoProblems(problems, CHAPTER);
});

test('the side-by-side lab trains all three networks, scores them, and draws and tabulates the reuse heatmap', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(CHAPTER + SHORT_RUN);
  const lab = page.getByRole('region', { name: /Dense, residual and plain, side by side/ });
  await lab.scrollIntoViewIfNeeded();
  await expect(lab.getByRole('spinbutton', { name: 'Hidden layers' })).toHaveValue('4');
  await lab.getByRole('button', { name: 'Play' }).click();
  await expect.poll(async () => (await stateOf(page, 'dense-reuse')).status, { timeout: 90_000 }).toBe('finished');
  await expect(lab.locator('[data-part="status"]')).toContainText('Final loss (mean of the last 20 steps)');
  await lab.getByRole('button', { name: 'Show data table' }).click();
  const networks = lab.getByRole('table', { name: /The three networks/ });
  await expect(networks.getByRole('row')).toHaveCount(1 + 3);
  await expect(networks.getByRole('row').filter({ hasText: /^dense/ }).getByRole('cell').last()).toHaveText(/^\d+%$/);
  // Readers: hidden layers 2 to 4 and the output layer; sources: the input and layers 1 to 4.
  const reuse = lab.getByRole('table', { name: /Dense network at step 50/ });
  await expect(reuse.getByRole('row')).toHaveCount(1 + 4);
  await expect(reuse.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'output layer' }) }).getByRole('cell')).toHaveCount(5);
  const state = await stateOf(page, 'dense-reuse');
  expect(state.status).toBe('finished');
  expect(state.snapshot).toMatchObject({ phase: 'done', reuseStep: 50 });
  expectNoProblems(problems, CHAPTER);
});

test('bad input in the side-by-side lab is explained and loses nothing; a valid change goes into the URL', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(`${CHAPTER}?dense-reuse.width=999`);
  const lab = page.getByRole('region', { name: /Dense, residual and plain, side by side/ });
  await lab.scrollIntoViewIfNeeded();
  await expect(lab.getByText(/Units per layer \(plain, residual\) must be between 8 and 64/)).toBeVisible();
  await expect(lab.getByRole('spinbutton', { name: 'Units per layer (plain, residual)' })).toHaveValue('32');
  const growth = lab.getByRole('spinbutton', { name: 'Growth rate k (dense; 0 = match)' });
  await growth.fill('99');
  await growth.blur();
  await expect(growth).toHaveAttribute('aria-invalid', 'true');
  expect((await stateOf(page, 'dense-reuse')).settings.growth).toBe(0);
  await growth.fill('5');
  await growth.blur();
  await expect.poll(async () => (await stateOf(page, 'dense-reuse')).settings.growth).toBe(5);
  await expect.poll(() => new URL(page.url()).searchParams.get('dense-reuse.growth')).toBe('5');
  // One step: the heatmap is still the reading taken before training (the chapter points readers to it).
  await lab.getByRole('button', { name: 'Step' }).click();
  await expect.poll(async () => (await stateOf(page, 'dense-reuse')).step, { timeout: 60_000 }).toBe(1);
  await lab.getByRole('button', { name: 'Show data table' }).click();
  await expect(lab.getByRole('table', { name: /^Dense network at step 0:/ })).toBeVisible();
  expectNoProblems(problems, CHAPTER);
});
