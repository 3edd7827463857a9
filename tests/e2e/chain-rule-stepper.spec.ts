import { expect, test, type Locator, type Page } from '@playwright/test';

/**
 * The chain-rule stepper on chapter 1, used as a reader would: numbers edited by keyboard,
 * steps taken with the keyboard, the spoken step text, and the gradient table, whose "by hand"
 * column (math.ts, float64) must equal the TF.js autodiff column (tf.grads in a worker, float32).
 */

const CHAPTER = '/lessons/backprop/';
const PARAMS = ['w1', 'w2', 'b1', 'w3', 'w4', 'b2', 'w5', 'w6', 'b3'] as const;

/** Fails the test on any console error or uncaught exception on the page. */
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

const stepperOf = (page: Page) => page.locator('[data-widget-id="stepper"]');

/** "−0.10361221" (typographic minus) → -0.10361221. */
function readNumber(text: string | null): number {
  const value = Number((text ?? '').trim().replace(/\u2212/g, '-'));
  if (!Number.isFinite(value)) throw new Error(`not a number: "${text}"`);
  return value;
}

/** Replaces a field's text by typing, as a reader would with the keyboard. */
async function typeInto(field: Locator, text: string): Promise<void> {
  await field.focus();
  await field.press('ControlOrMeta+a');
  await field.press('Delete');
  await field.pressSequentially(text);
  await field.press('Tab');
}

test.describe('chain-rule stepper', () => {
  test('steps through the forward and backward pass by keyboard, narrating each step', async ({ page }) => {
    const problems = watchConsole(page);
    await page.goto(CHAPTER);
    const stepper = stepperOf(page);
    const live = stepper.getByRole('status');
    const next = stepper.getByRole('button', { name: /^Next/ });

    await next.focus();
    await page.keyboard.press('Enter');
    await expect(live).toHaveText('Forward step 1 of 6: z1 = w1·x1 + w2·x2 + b1 = 0.5 × 1 + (−0.3) × 0.5 + 0.1 = 0.45');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(live).toHaveText(/^Forward step 3 of 6: z2 = /);
    await page.keyboard.press('ArrowLeft');
    await expect(live).toHaveText(/^Forward step 2 of 6: h1 = σ\(z1\) = σ\(0\.45\) = 0\.6106$/);

    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    await expect(live).toHaveText(/^Forward step 6 of 6: L = ½\(ŷ − y\)² = /);
    await expect(stepper.getByRole('button', { name: 'Next: start backward pass' })).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(live).toHaveText('Backward step 1 of 14: ∂L/∂ŷ = ŷ − y = 0.3774 − 1 = −0.6226');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    await expect(live).toHaveText('Backward step 5 of 14: ∂L/∂h1 = ∂L/∂ŷ · w5 = −0.6226 × 0.7 = −0.4358');
    // The panel names the gradient this step reuses.
    await expect(stepper.getByText('∂L/∂ŷ = −0.6226, from backward step 1', { exact: true })).toBeVisible();

    for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight');
    // Wait for the widget's state, not for a message: the live region first says "Backward step 14
    // of 14: … Backward pass complete", and is replaced by the verdict alone when TF.js's check
    // arrives, which may be before or after this line runs.
    await expect
      .poll(() => stepper.evaluate((el) => (el as unknown as { getState(): { status: string; step: number } }).getState()))
      .toMatchObject({ status: 'finished', step: 20 });
    // The step panel keeps the last step on screen whatever the live region says.
    await expect(stepper.getByText('Backward step 14 of 14', { exact: true })).toBeVisible();
    await expect(stepper.getByText('∂L/∂b2 = ∂L/∂z2 · 1', { exact: true })).toBeVisible();
    // Both wordings the live region can settle on say the pass is complete; the verdict follows the check.
    await expect(live).toContainText('Backward pass complete');
    await expect(live).toContainText('TF.js autodiff agrees on all nine gradients.');
    expect(problems).toEqual([]);
  });

  const cases: { name: string; numbers: Record<string, string>; choices?: Record<string, string> }[] = [
    { name: 'sigmoid hidden units, linear output', numbers: { x1: '0.8', x2: '-1.5', w1: '1.2', y: '2' } },
    { name: 'tanh hidden units', numbers: { x1: '-1', x2: '0.7', w3: '0.9', w5: '-1.1', y: '-1' }, choices: { 'Hidden activation': 'tanh' } },
    { name: 'sigmoid output', numbers: { x1: '1.5', x2: '2', w2: '-0.9', w6: '1.3', b3: '-0.4', y: '0' }, choices: { 'Output unit': 'sigmoid' } },
    {
      name: 'tanh hidden units and sigmoid output',
      numbers: { x1: '3', x2: '-1', w1: '-0.7', w4: '2.2', b2: '0.5', y: '3' },
      choices: { 'Hidden activation': 'tanh', 'Output unit': 'sigmoid' },
    },
  ];
  const LABELS: Record<string, string> = {
    x1: 'Input x1', x2: 'Input x2', y: 'Target y',
    w1: 'Weight w1', w2: 'Weight w2', w3: 'Weight w3', w4: 'Weight w4', w5: 'Weight w5', w6: 'Weight w6',
    b1: 'Bias b1', b2: 'Bias b2', b3: 'Bias b3',
  };

  test('gradients by hand equal tf.grads for several edited networks', async ({ page }) => {
    const problems = watchConsole(page);
    await page.goto(CHAPTER);
    const stepper = stepperOf(page);
    const table = stepper.getByRole('table', { name: /Gradients of the loss/ });
    const seen = new Set<string>();
    // The chapter shows x2 and y; the other values fold behind "All settings".
    await stepper.getByText(/^All settings \(\d+\)$/).click();

    for (const testCase of cases) {
      await test.step(testCase.name, async () => {
        await stepper.getByRole('button', { name: 'Restore starting values' }).click();
        for (const [key, text] of Object.entries(testCase.numbers)) {
          await typeInto(stepper.getByLabel(LABELS[key]), text);
        }
        for (const [label, value] of Object.entries(testCase.choices ?? {})) {
          await stepper.getByLabel(label).selectOption(value);
        }
        await stepper.getByRole('button', { name: 'Reset' }).press('Enter');
        await expect(stepper.getByRole('status')).toHaveText(/nothing computed yet/i);
        await stepper.getByRole('button', { name: 'Run all' }).press('Enter');
        await expect(stepper.getByRole('status')).toContainText('Backward pass complete');

        const handValues: number[] = [];
        for (const name of PARAMS) {
          const row = table.getByRole('row', { name: new RegExp(`^∂L/∂${name} `) });
          const cells = row.getByRole('cell');
          // The TF.js column fills in when the worker answers.
          await expect(cells.nth(1)).toHaveText(/^[−-]?\d/);
          const hand = readNumber(await cells.nth(0).textContent());
          const autodiff = readNumber(await cells.nth(1).textContent());
          const scale = Math.max(Math.abs(hand), Math.abs(autodiff));
          expect(Math.abs(hand - autodiff), `${testCase.name}: ∂L/∂${name} by hand ${hand}, TF.js ${autodiff}`).toBeLessThanOrEqual(1e-6 * scale);
          await expect(cells.nth(2)).toHaveText(/^✓ agree/);
          handValues.push(hand);
        }
        // Each edited network has its own gradients: the edits really reached both columns.
        const fingerprint = handValues.join(',');
        expect(seen.has(fingerprint)).toBe(false);
        seen.add(fingerprint);
      });
    }
    expect(problems).toEqual([]);
  });

  test('bad input shows a message next to the field and keeps what was typed', async ({ page }) => {
    const problems = watchConsole(page);
    await page.goto(CHAPTER);
    const stepper = stepperOf(page);
    await stepper.getByText(/^All settings \(\d+\)$/).click();
    const field = stepper.getByLabel('Weight w2');

    await typeInto(field, 'abc');
    await expect(field).toHaveValue('abc');
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription(/Type a number from -10 to 10.*keeps using −0\.3/);
    await expect(stepper.getByRole('status')).toContainText('Weight w2');

    // The network still uses the last good value: step 1 shows w2 = −0.3.
    await stepper.getByRole('button', { name: /^Next/ }).press('Enter');
    await expect(stepper.getByRole('status')).toContainText('0.5 × 1 + (−0.3) × 0.5 + 0.1 = 0.45');

    await typeInto(field, '12');
    await expect(field).toHaveValue('12');
    await expect(field).toHaveAccessibleDescription(/12 is out of range/);

    await typeInto(field, '0.2');
    await expect(field).not.toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription('');
    await expect(stepper.getByRole('status')).toContainText('Forward step 1 of 6');
    await expect(stepper.getByText('= 0.5 × 1 + 0.2 × 0.5 + 0.1 = 0.7', { exact: true })).toBeVisible();
    expect(problems).toEqual([]);
  });
});
