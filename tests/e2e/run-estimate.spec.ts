/**
 * Long runs said honestly: the degradation lab says how long a run will take before it starts and
 * while it runs, and asks before starting one that takes longer than ten minutes.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';

const LAB = 'degradation-lab';

function lab(page: Page): Locator {
  return page.locator(`[data-widget-id="${LAB}"]`);
}

function link(settings: Record<string, string | number>): string {
  return `/lessons/degradation/?${Object.entries(settings).map(([key, value]) => `${LAB}.${key}=${value}`).join('&')}`;
}

async function status(widget: Locator): Promise<string> {
  return widget.evaluate((element) => (element as unknown as { getState(): { status: string } }).getState().status);
}

test('the largest settings are estimated at hours before the run, and Play asks first', async ({ page }) => {
  await page.goto(link({ depths: '2,12,24,36,48', seeds: 5, steps: 3000, width: 64, batchSize: 256 }));
  const widget = lab(page);
  await widget.scrollIntoViewIfNeeded();
  await expect(widget.locator('[data-part="status"]')).toContainText(/this run would take about \d+ h/);
  await widget.getByRole('button', { name: 'Play', exact: true }).click();
  const confirm = widget.getByRole('button', { name: 'Train anyway' });
  await expect(confirm).toBeVisible();
  await expect(confirm).toBeFocused();
  await expect(widget.getByText(/This run would take about \d+ h/)).toBeVisible();
  expect(await status(widget)).toBe('idle');
  await widget.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  expect(await status(widget)).toBe('idle');
});

test('a long run, once confirmed, says how long is left at the current speed', async ({ page }) => {
  await page.goto(link({ seeds: 5, steps: 3000 }));
  const widget = lab(page);
  await widget.scrollIntoViewIfNeeded();
  const line = widget.locator('[data-part="status"]');
  await expect(line).toContainText(/this run would take about \d+ (min|h)/);
  await widget.getByRole('button', { name: 'Play', exact: true }).click();
  await widget.getByRole('button', { name: 'Train anyway' }).click();
  await expect(line).toContainText(/about \d+ (min|h)( \d+ min)? left at the current speed/, { timeout: 60_000 });
  expect(await status(widget)).toBe('running');
  await widget.getByRole('button', { name: 'Pause', exact: true }).click();
});

test('a short run starts at once, without a question', async ({ page }) => {
  await page.goto(link({ depths: '2,32', seeds: 1, steps: 100 }));
  const widget = lab(page);
  await widget.scrollIntoViewIfNeeded();
  await widget.getByRole('button', { name: 'Play', exact: true }).click();
  await expect.poll(() => status(widget), { timeout: 60_000 }).toMatch(/running|finished/);
  await expect(widget.getByRole('button', { name: 'Train anyway' })).toHaveCount(0);
});

test('the estimate counts the speed control: a run held to 10 steps per second takes at least that long', async ({ page }) => {
  await page.goto(link({ depths: '2,32', seeds: 1, steps: 3000 }));
  const widget = lab(page);
  await widget.scrollIntoViewIfNeeded();
  const line = widget.locator('[data-part="status"]');
  await expect(line).toContainText('this run would take about 2 min');
  await widget.getByRole('combobox', { name: 'Speed' }).selectOption('slow');
  // 3,000 steps at 10 steps per second.
  await expect(line).toContainText('this run would take about 5 min');
});
