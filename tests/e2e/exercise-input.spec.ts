/**
 * Numeric answers as hurried or European readers type them: decimal commas, and Check pressed or
 * clicked more than once for one answer.
 */
import { test, expect, type Locator, type Page } from '@playwright/test';

const CHAPTER = '/lessons/backprop/';
const TITLE = 'The gradient of an output weight';

function parts(page: Page): { region: Locator; input: Locator; check: Locator; feedback: Locator; progressLine: Locator } {
  const region = page.getByRole('region', { name: TITLE });
  return {
    region,
    input: region.getByRole('textbox', { name: 'Your answer' }),
    check: region.getByRole('button', { name: 'Check', exact: true }),
    feedback: region.locator('[data-ex-feedback]'),
    progressLine: region.getByText(/^Your progress:/),
  };
}

test.beforeEach(async ({ page }) => {
  await page.goto(CHAPTER);
  await expect(parts(page).check).toBeEnabled();
  await parts(page).region.scrollIntoViewIfNeeded();
});

test('a decimal comma after a leading zero is a decimal, and an ambiguous comma is asked about, not counted', async ({ page }) => {
  const { input, check, feedback, progressLine } = parts(page);
  await input.fill('3,510');
  await check.click();
  await expect(feedback).toContainText('did you mean 3.510 or 3510?');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(progressLine).toBeHidden();

  await input.fill('\u22120,380');
  await check.click();
  await expect(feedback).toContainText('Correct.');
  await expect(progressLine).toContainText('Solved');
  await expect(progressLine).toContainText('1 attempt');
});

test('double-clicking Check, pressing Enter twice or clicking five times records one attempt and keeps the feedback', async ({ page }) => {
  const { region, input, check, feedback, progressLine } = parts(page);
  const tryAgain = region.getByRole('button', { name: 'Try again' });

  await input.fill('0.38');
  await check.dblclick();
  await expect(feedback).toContainText('Not quite.');
  await expect(progressLine).toContainText('Not solved yet · 1 attempt');
  // The feedback stays until the reader chooses to retry.
  await page.waitForTimeout(1000);
  await expect(feedback).toContainText('Not quite.');
  await expect(progressLine).toContainText('1 attempt');

  await tryAgain.click();
  await expect(feedback).toBeEmpty();
  await input.fill('0.38');
  await input.press('Enter');
  await page.keyboard.press('Enter');
  await expect(feedback).toContainText('Not quite.');
  await page.waitForTimeout(1000);
  await expect(feedback).toContainText('Not quite.');
  await expect(progressLine).toContainText('2 attempts');

  await tryAgain.click();
  await input.fill('0.38');
  await check.click({ clickCount: 5 });
  await expect(feedback).toContainText('Not quite.');
  await page.waitForTimeout(1000);
  await expect(feedback).toContainText('Not quite.');
  await expect(progressLine).toContainText('3 attempts');
  // Once the reader has had time to read the feedback, Try again works from the keyboard.
  await expect(tryAgain).toBeFocused();
  await expect(tryAgain).toBeEnabled();
  await page.keyboard.press('Enter');
  await expect(feedback).toBeEmpty();
  await expect(input).toBeFocused();
});
