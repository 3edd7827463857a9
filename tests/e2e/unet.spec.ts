import { expect, test, type Page } from '@playwright/test';
import type { WidgetState } from '../../src/engine/types';
import { expectNoProblems, trackPageProblems } from './helpers';

/** Chapter 6 and its two widgets: the receptive-field explorer and the live U-Net ("unet"). */
const CHAPTER = '/lessons/unet/';

async function stateOf(page: Page, id: string): Promise<WidgetState> {
  return page.locator(`[data-widget-id="${id}"]`).evaluate((element) => {
    const state = (element as unknown as { getState(): WidgetState }).getState();
    return JSON.parse(JSON.stringify(state)) as WidgetState;
  });
}

interface Evaluated {
  variants: { label: string; evaluations: { step: number; iou: number }[]; masks: number[][] }[];
}

test('the chapter loads with its sections, widgets and exercises and no console errors', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(CHAPTER);
  await expect(page.getByRole('heading', { level: 1, name: /U-Net/ })).toBeVisible();
  for (const name of ['What downsampling buys: the receptive field', 'The long skips: copy and crop', 'A U-Net trained in your browser', 'Results from a few dozen images', 'Exercises']) {
    await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
  }
  for (const id of ['receptive-field', 'unet']) await expect(page.locator(`[data-widget-id="${id}"]`)).toHaveCount(1);
  for (const id of ['unet-predict-gap', 'unet-challenge-one-skip', 'unet-receptive-field', 'unet-predict-paper-field']) await expect(page.locator(`[data-exercise-id="${id}"]`)).toHaveCount(1);
  await page.waitForLoadState('networkidle');
  expectNoProblems(problems, page.url());
});

test('the live U-Net trains both networks, draws their masks beside the truth, and tabulates IoU and gradients', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(CHAPTER);
  const widget = page.getByRole('region', { name: 'A U-Net with and without its long skips' });
  await widget.scrollIntoViewIfNeeded();
  await widget.getByRole('button', { name: 'Play' }).click();
  // Two evaluations after step 0: masks and curves from a trained network.
  await expect.poll(async () => ((await stateOf(page, 'unet')).snapshot as Evaluated | undefined)?.variants[0].evaluations.length ?? 0, { timeout: 90_000 }).toBeGreaterThanOrEqual(3);
  await widget.getByRole('button', { name: 'Pause' }).click();
  const state = await stateOf(page, 'unet');
  expect(state.runs.map((run) => run.label)).toEqual(['long skips at levels 1 and 2 (concatenated)', 'no long skips']);
  expect(state.runs[0].layers.map((layer) => layer.id)).toContain('enc1.conv1');
  expect(state.records.length).toBeGreaterThan(0);
  // Four test images: image, true mask and one prediction per network.
  for (let image = 1; image <= 4; image++) {
    await expect(widget.getByRole('img', { name: `True mask of test image ${image}` })).toBeVisible();
    await expect(widget.getByRole('img', { name: new RegExp(`^Mask predicted by the network with no long skips for test image ${image}: IoU`) })).toBeVisible();
  }
  // The masks are painted: some pixels of a true mask are white, some black.
  const painted = await widget.getByRole('img', { name: 'True mask of test image 1' }).evaluate((canvas) => {
    const context = (canvas as HTMLCanvasElement).getContext('2d')!;
    const data = context.getImageData(0, 0, 24, 24).data;
    const levels = new Set<number>();
    for (let i = 0; i < data.length; i += 4) levels.add(data[i]);
    return [...levels].sort((a, b) => a - b);
  });
  expect(painted[0]).toBe(0);
  expect(painted[painted.length - 1]).toBe(255);
  await widget.getByRole('button', { name: 'Show data table' }).click();
  const table = widget.getByRole('table', { name: /IoU and edge-pixel accuracy on 16 fixed test images/ });
  await expect(table.getByRole('columnheader', { name: 'no long skips: IoU' })).toBeVisible();
  await expect(table.getByRole('row').nth(1).getByRole('cell').first()).toHaveText(/^\d+\.\d%$/);
  const gradients = widget.getByRole('table', { name: /Gradient norm of every layer/ });
  await expect(gradients.getByRole('row')).toHaveCount(1 + 13);
  await expect(gradients.getByRole('rowheader', { name: 'encoder 1, conv 1 (enc1.conv1)' })).toBeVisible();
  expectNoProblems(problems, page.url());
});

test('switching off one long skip restarts with a one-skip U-Net, and the link keeps it', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(CHAPTER);
  const widget = page.getByRole('region', { name: 'A U-Net with and without its long skips' });
  await widget.scrollIntoViewIfNeeded();
  await widget.getByRole('checkbox', { name: 'Long skip at level 2 (12×12)' }).uncheck();
  await expect.poll(() => new URL(page.url()).searchParams.get('unet.skipLevel2')).toBe('false');
  await widget.getByRole('button', { name: 'Step' }).click();
  await expect.poll(async () => (await stateOf(page, 'unet')).runs.map((run) => run.label), { timeout: 60_000 }).toEqual(['long skip at level 1 (concatenated)', 'no long skips']);
  await widget.getByRole('combobox', { name: 'How a long skip joins the decoder' }).selectOption('add');
  await expect.poll(() => new URL(page.url()).searchParams.get('unet.join')).toBe('add');
  await expect.poll(async () => (await stateOf(page, 'unet')).settings.join).toBe('add');
  // The link restores both settings.
  await page.reload();
  const again = page.getByRole('region', { name: 'A U-Net with and without its long skips' });
  await again.scrollIntoViewIfNeeded();
  await expect(again.getByRole('checkbox', { name: 'Long skip at level 2 (12×12)' })).not.toBeChecked();
  const restored = await stateOf(page, 'unet');
  expect(restored.settings.skipLevel2).toBe(false);
  expect(restored.settings.join).toBe('add');
  expectNoProblems(problems, page.url());
});

test('bad input in the live U-Net is explained and loses nothing', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(`${CHAPTER}?unet.trainImages=9999`);
  const widget = page.getByRole('region', { name: 'A U-Net with and without its long skips' });
  await widget.scrollIntoViewIfNeeded();
  await expect(widget.getByText(/Training images must be between 4 and 512/).first()).toBeVisible();
  expect((await stateOf(page, 'unet')).settings.trainImages).toBe(64);
  const noise = widget.getByRole('spinbutton', { name: 'Background noise' });
  await noise.fill('5');
  await noise.blur();
  await expect(noise).toHaveAttribute('aria-invalid', 'true');
  await expect(noise).toHaveValue('5');
  expect((await stateOf(page, 'unet')).settings.noise).toBe(0.3);
  await noise.fill('0.5');
  await noise.blur();
  await expect.poll(async () => (await stateOf(page, 'unet')).settings.noise).toBe(0.5);
  await expect.poll(() => new URL(page.url()).searchParams.get('unet.noise')).toBe('0.5');
  expectNoProblems(problems, page.url());
});

test('the receptive-field explorer follows clicks and arrow keys, keeps its state in the URL, and explains a bad stack', async ({ page }) => {
  const problems = trackPageProblems(page);
  await page.goto(CHAPTER);
  const explorer = page.getByRole('region', { name: 'Receptive field explorer' });
  await explorer.scrollIntoViewIfNeeded();
  const summary = explorer.locator('[data-part="status"]');
  await expect(summary).toContainText('Output map 8×8; pixel column 4, row 4');
  // Click the top-left output pixel: its field is cut by the border.
  const output = explorer.getByRole('img', { name: /Output map/ });
  await output.click({ position: { x: 3, y: 3 } });
  await expect(summary).toContainText('pixel column 0, row 0 can be influenced by input rows 0–17 and columns 0–17');
  await output.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await expect(summary).toContainText('pixel column 1, row 1');
  await expect.poll(() => new URL(page.url()).searchParams.get('receptive-field.outputX')).toBe('1');
  await explorer.getByRole('button', { name: 'Show data table' }).click();
  const table = explorer.getByRole('table', { name: /Receptive field after every layer/ });
  await expect(table.getByRole('row')).toHaveCount(1 + 8);
  await expect(table.getByRole('row').last()).toContainText('32');
  // An input that does not halve evenly with unpadded convolutions: explained, not drawn wrong.
  await explorer.getByRole('combobox', { name: 'Padding' }).selectOption('valid');
  const size = explorer.getByRole('spinbutton', { name: 'Input size (pixels a side)' });
  await size.fill('30');
  await size.blur();
  await expect(summary).toContainText('does not halve evenly');
  // Out of range: the last valid value stays.
  await size.fill('5000');
  await size.blur();
  await expect(size).toHaveAttribute('aria-invalid', 'true');
  expect((await stateOf(page, 'receptive-field')).settings.inputSize).toBe(30);
  await page.reload();
  await expect(page.getByRole('region', { name: 'Receptive field explorer' }).locator('[data-part="status"]')).toContainText('does not halve evenly');
  expectNoProblems(problems, page.url());
});
