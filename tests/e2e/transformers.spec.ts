import { expect, test, type Page } from '@playwright/test';
import type { WidgetState } from '../../src/engine/types';
import { expectNoProblems, trackPageProblems } from './helpers';

/** Chapter 7 and its four widgets. The ablations run short from links (URL state), so the tests stay quick. */
const CHAPTER = '/lessons/transformers/';

function widgetState(page: Page, id: string): Promise<WidgetState> {
  return page.locator(`[data-widget-id="${id}"]`).evaluate((element) => JSON.parse(JSON.stringify((element as unknown as { getState(): WidgetState }).getState())) as WidgetState);
}

test('the chapter loads with its sections, widgets and exercises and no console errors', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(CHAPTER);
  await expect(page.getByRole('heading', { level: 1, name: 'Transformers' })).toBeVisible();
  for (const name of ['Attention: a soft lookup', 'Where the skips are: add and norm', 'The residual stream', 'Taking the skips away', 'Exercises']) {
    await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
  }
  for (const id of ['stepper', 'positions', 'tiny', 'ablate-skips', 'ablate-positions', 'ablate-norm']) await expect(page.locator(`[data-widget-id="${id}"]`)).toHaveCount(1);
  for (const id of ['tf-predict-collapse', 'tf-predict-shuffle', 'tf-one-head', 'tf-scaled-score', 'tf-stepper-cat-reads-sat']) await expect(page.locator(`[data-exercise-id="${id}"]`)).toHaveCount(1);
  await page.waitForLoadState('networkidle');
  expectNoProblems(problems, page.url());
});

test('the attention stepper steps through every stage, announces each, and recomputes from edited embeddings', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(CHAPTER);
  const stepper = page.getByRole('region', { name: 'Attention, step by step' });
  await stepper.scrollIntoViewIfNeeded();
  const next = stepper.getByRole('button', { name: 'Next step' });
  for (let i = 0; i < 4; i++) await next.click();
  await expect(stepper.getByText(/^Step 5 of 9: Scores/)).toBeVisible();
  // Q·K for "cat" against "the", by hand: q_cat = (0, 2), k_the = (1, 1) → 2.
  const scores = stepper.getByRole('table', { name: 'Scores Q Kᵀ' });
  await expect(scores.getByRole('row', { name: /cat \(query\)/ }).getByRole('cell').first()).toHaveText('2');
  await expect(stepper.getByRole('status')).toContainText('Step 5 of 9, Scores');
  // Edit an embedding: the scores follow.
  await stepper.getByRole('spinbutton', { name: 'cat, x2' }).fill('4');
  await expect(scores.getByRole('row', { name: /cat \(query\)/ }).getByRole('cell').first()).toHaveText('4');
  // Causal mask: the first row of the weights is all on itself.
  await stepper.getByRole('checkbox', { name: 'Causal mask' }).check();
  await stepper.getByRole('button', { name: 'Show all steps' }).click();
  const weights = stepper.getByRole('table', { name: 'Weights: softmax of each row' });
  await expect(weights.getByRole('row', { name: /the reads/ }).getByRole('cell')).toHaveText(['1', '0', '0']);
  await expect(stepper.getByRole('button', { name: 'Next step' })).toBeDisabled();
  const state = await widgetState(page, 'stepper');
  expect(state.settings.causal).toBe(true);
  await expect.poll(() => new URL(page.url()).searchParams.get('stepper.causal')).toBe('true');
  // Bad input: a message, the last valid value stays in effect.
  await stepper.getByRole('spinbutton', { name: 'the, x1' }).fill('42');
  await expect(stepper.getByText(/the, x1: use a number from −9 to 9/)).toBeVisible();
  await expect(stepper.getByRole('spinbutton', { name: 'the, x1' })).toHaveAttribute('aria-invalid', 'true');
  expectNoProblems(problems, page.url());
});

test('the stepper exercise: with x4 of "sat" set to 4, the weight the stepper shows is accepted as the answer', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(CHAPTER);
  const stepper = page.getByRole('region', { name: 'Attention, step by step' });
  await stepper.scrollIntoViewIfNeeded();
  // On the defaults the row of "cat" ties: every score is 2.
  await stepper.getByRole('button', { name: 'Show all steps' }).click();
  const scores = stepper.getByRole('table', { name: 'Scores Q Kᵀ' });
  await expect(scores.getByRole('row', { name: /cat \(query\)/ }).getByRole('cell')).toHaveText(['2', '2', '2']);
  await stepper.getByRole('spinbutton', { name: 'sat, x4' }).fill('4');
  await expect(scores.getByRole('row', { name: /cat \(query\)/ }).getByRole('cell')).toHaveText(['2', '2', '10']);
  const weights = stepper.getByRole('table', { name: 'Weights: softmax of each row' });
  const shown = await weights.getByRole('row', { name: /cat reads/ }).getByRole('cell').nth(2).innerText();
  expect(shown).toBe('0.99');
  const region = page.locator('[data-exercise-id="tf-stepper-cat-reads-sat"]');
  await region.scrollIntoViewIfNeeded();
  const input = region.getByRole('textbox', { name: 'Your answer' });
  await expect(input).toBeEnabled();
  await input.fill(shown);
  await input.press('Enter');
  await expect(region.locator('[data-ex-feedback]')).toContainText('Correct.');
  expectNoProblems(problems, page.url());
});

test('the positional-encoding explorer redraws for a chosen width and keeps it in the URL', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(`${CHAPTER}?positions.positions=12`);
  const explorer = page.getByRole('region', { name: 'Positional encoding explorer' });
  await explorer.scrollIntoViewIfNeeded();
  await expect(explorer.getByRole('spinbutton', { name: 'Positions' })).toHaveValue('12');
  await explorer.getByRole('combobox', { name: 'Model width d_model' }).selectOption('16');
  await expect(explorer.getByRole('status')).toContainText('d_model 16, positions 0 to 11');
  await expect.poll(() => new URL(page.url()).searchParams.get('positions.dModel')).toBe('16');
  await explorer.getByRole('button', { name: 'Show data table' }).click();
  const codes = explorer.getByRole('table', { name: /Codes of every position/ });
  await expect(codes.getByRole('row')).toHaveCount(1 + 12);
  // Position 0: sin 0 = 0, cos 0 = 1.
  await expect(codes.getByRole('row').nth(1).getByRole('cell').nth(0)).toHaveText('0.000');
  await expect(codes.getByRole('row').nth(1).getByRole('cell').nth(1)).toHaveText('1.000');
  // The heatmap reads a cell from the keyboard.
  await explorer.getByRole('group', { name: /Sinusoidal positional codes/ }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(explorer.locator('.chart-readout').first()).toContainText('dimension 0 (sin)');
  await page.keyboard.press('ArrowRight');
  await expect(explorer.locator('.chart-readout').first()).toContainText('dimension 1 (cos)');
  // A value out of range: said next to the control, the text kept, the last valid value in effect.
  const positions = explorer.getByRole('spinbutton', { name: 'Positions' });
  await positions.fill('500');
  await positions.press('Enter');
  await expect(explorer.getByText('Positions must be between 4 and 64.')).toBeVisible();
  await expect(positions).toHaveValue('500');
  await expect(positions).toHaveAttribute('aria-invalid', 'true');
  expect((await widgetState(page, 'positions')).settings.positions).toBe(12);
  expectNoProblems(problems, page.url());
});

test('the tiny transformer reaches 95 % held-out accuracy on its defaults, shows attention, and answers typed digits', async ({ page }) => {
  test.setTimeout(240_000);
  const problems = trackPageProblems(page);
  await page.goto(CHAPTER);
  const widget = page.getByRole('region', { name: 'A tiny transformer, trained in your browser' });
  await widget.scrollIntoViewIfNeeded();
  await widget.getByRole('button', { name: 'Play' }).click();
  // The bar: ≥ 95 % held-out token accuracy within 3 minutes in headless Chromium.
  await expect(widget.getByRole('status')).toHaveText(/^Finished:/, { timeout: 180_000 });
  const state = await widgetState(page, 'tiny');
  const heldOut = (state.snapshot as { heldOut: { step: number; accuracy: number }[] }).heldOut;
  expect(heldOut.at(-1)!.accuracy).toBeGreaterThanOrEqual(0.95);
  expect(state.runs[0].layers.map((l) => l.id)).toContain('block1.attn');
  await widget.getByRole('combobox', { name: 'Block' }).selectOption('2');
  await widget.getByRole('group', { name: /Attention weights of head 2 of the chosen block/ }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(widget.locator('.chart-readout', { hasText: 'block 2, head 2' })).toHaveCount(1);
  const input = widget.getByRole('textbox', { name: 'Your 8 digits' });
  await input.fill('31415926');
  await expect(widget.locator('[data-sequence-result]')).toContainText('expected 6 2 9 5 1 4 1 3');
  await input.fill('123');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(widget.locator('[data-sequence-result]')).toContainText('Type exactly 8 digits (you typed 3).');
  await widget.getByRole('button', { name: 'Show data table' }).click();
  await expect(widget.getByRole('table', { name: /Gradient norm per layer/ }).getByRole('row', { name: /block 1, attention/ })).toBeVisible();
  expectNoProblems(problems, page.url());
});

test('the ablations: without positions the outputs follow a shuffle; without skips the stream collapses', async ({ page }) => {
  test.setTimeout(300_000);
  const problems = trackPageProblems(page);
  await page.goto(`${CHAPTER}?ablate-positions.layers=1&ablate-skips.layers=3`);
  const positions = page.getByRole('region', { name: 'Ablation: with and without positional encoding' });
  await positions.scrollIntoViewIfNeeded();
  await positions.getByRole('button', { name: 'Play' }).click();
  await expect(positions.locator('[data-shuffle]')).toContainText('the model cannot see order', { timeout: 120_000 });
  await positions.getByRole('button', { name: 'Pause' }).click();
  const skips = page.getByRole('region', { name: 'Ablation: with and without skips' });
  await skips.scrollIntoViewIfNeeded();
  await skips.getByRole('button', { name: 'Show data table' }).click();
  const table = skips.getByRole('table', { name: /Distance of the token representations/ });
  await skips.getByRole('button', { name: 'Step' }).click();
  // One step builds both models, scores them at initialisation and trains once: slow on a busy
  // computer. Wait for the step in the widget's state (an error in it shows in the failure, with its text).
  await expect
    .poll(async () => {
      const state = await widgetState(page, 'ablate-skips');
      return state.error ?? state.step;
    }, { timeout: 120_000 })
    .toBe(1);
  await expect(table.getByRole('row')).toHaveCount(1 + 4);
  expectNoProblems(problems, page.url());
});
