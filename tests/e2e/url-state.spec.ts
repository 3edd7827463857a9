/**
 * Links with settings that cannot all be used: every problem is said briefly, once, and next to
 * the control it concerns; nothing in a link is ignored silently.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';

const LAB = '/lab/gradient-flow/';

function labWidget(page: Page): Locator {
  return page.getByRole('region', { name: 'Gradient flow through a deep network' });
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

test('a bad value in a link is reported next to its control, marked invalid and described, and shortened', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`${LAB}?lab.width=999&lab.learningRate=${'9'.repeat(5)}${'x'.repeat(10_000)}`);
  const widget = labWidget(page);
  const width = widget.getByRole('spinbutton', { name: 'Units per layer' });
  await expect(width).toHaveValue('16');
  await expect(width).toHaveAttribute('aria-invalid', 'true');
  await expect(width).toHaveAccessibleDescription(/The link’s value was ignored: Units per layer must be between 2 and 64\./);
  // The message sits in the control's own box, not in the widget's message area.
  const control = widget.locator('[data-control-for="width"]');
  await expect(control.getByText(/Units per layer must be between/)).toBeVisible();

  const rate = widget.getByRole('spinbutton', { name: 'Learning rate' });
  await expect(rate).toHaveAttribute('aria-invalid', 'true');
  const message = widget.locator('[data-control-for="learningRate"] [data-error-for="learningRate"]');
  await expect(message).toContainText('…” is not a number');
  expect((await message.textContent())!.length).toBeLessThan(160);
  expect((await message.boundingBox())!.height).toBeLessThan(120);

  // Fixing the value in the control clears the mark.
  await width.fill('24');
  await width.blur();
  await expect(width).not.toHaveAttribute('aria-invalid', 'true');
  await expect(control.getByText(/Units per layer must be between/)).toBeHidden();
  expect(errors).toEqual([]);
});

test('500 unknown settings in a link are summed up in one line', async ({ page }) => {
  const search = Array.from({ length: 500 }, (_, index) => `lab.k${index}=1`).join('&');
  await page.goto(`${LAB}?${search}`);
  const widget = labWidget(page);
  await expect(widget.getByText(/^500 settings in the link were not recognised and were ignored: “k0”, “k1”, “k2”, “k3”, “k4” and 495 more\.$/)).toBeVisible();
  await expect(widget.locator('.widget-message')).toHaveCount(1);
  expect((await widget.locator('[data-part="messages"]').boundingBox())!.height).toBeLessThan(200);
});

test('a repeated key says which value was used', async ({ page }) => {
  await page.goto(`${LAB}?lab.depth=5&lab.depth=40`);
  const widget = labWidget(page);
  await expect(widget.getByText('The link sets Hidden layers 2 times (5, 40); the last value, 40, is used.')).toBeVisible();
  await expect(widget.getByRole('spinbutton', { name: 'Hidden layers' })).toHaveValue('40');
});

test('settings for a widget that is not on the page are named, with the widgets that are', async ({ page }) => {
  await page.goto(`${LAB}?labx.depth=5`);
  await expect(
    labWidget(page).getByText('The link has settings for a widget “labx” that is not on this page, so they were ignored. The widget on this page: “lab”.'),
  ).toBeVisible();

  await page.goto(`${LAB}?LAB.depth=5`);
  await expect(labWidget(page).getByText(/“LAB” \(did you mean “lab”\?\)/)).toBeVisible();

  // A chapter with several widgets says it once, in its first widget, naming them all.
  await page.goto('/lessons/vanishing-gradients/?stepper.w1=2');
  const notice = page.getByText(/The link has settings for a widget “stepper” that is not on this page/);
  await expect(notice).toHaveCount(1);
  await expect(notice).toContainText('“activation-derivatives”, “vg-naive-sigmoid”');
  await expect(page.locator('[data-widget-id="activation-derivatives"]').getByText(/“stepper”/)).toBeVisible();
});

test('the stepper and the activation widget mark a bad link value at its control too', async ({ page }) => {
  await page.goto('/lessons/backprop/?stepper.w1=abc&stepper.activation=swish');
  const stepper = page.locator('[data-widget-id="stepper"]');
  const w1 = stepper.getByRole('textbox', { name: 'Weight w1 (x1 → z1)' });
  await expect(w1).toHaveAttribute('aria-invalid', 'true');
  await expect(w1).toHaveAccessibleDescription(/The link’s value was ignored/);
  const activation = stepper.getByRole('combobox', { name: 'Hidden activation' });
  await expect(activation).toHaveAttribute('aria-invalid', 'true');
  await expect(activation).toHaveAccessibleDescription(/The link’s value was ignored: Hidden activation must be one of/);

  await page.goto('/lessons/vanishing-gradients/?activation-derivatives.mode=sideways');
  const mode = page.locator('[data-widget-id="activation-derivatives"]').getByRole('combobox', { name: 'Pre-activations' });
  await expect(mode).toHaveAttribute('aria-invalid', 'true');
  await expect(mode).toHaveAccessibleDescription(/The link’s value was ignored: Pre-activations must be one of/);
});
