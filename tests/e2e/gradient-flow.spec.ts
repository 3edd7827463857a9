import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';

/** The gradient-flow lab page, its widget (id "lab") and the kit behaviour every widget shares. */
const LAB = '/lab/gradient-flow/';

interface StateSummary {
  status: string;
  step: number;
  settings: Record<string, unknown>;
  recordCount: number;
  layers: number;
  divergences: { step: number; reason: string }[];
}

/** Reads the widget's public state (the contract exercises use), reduced to what the tests check. */
async function widgetState(page: Page): Promise<StateSummary> {
  return page.locator('[data-widget-id="lab"]').evaluate((element) => {
    const state = (element as unknown as { getState(): import('../../src/engine/types').WidgetState }).getState();
    const last = state.records[state.records.length - 1];
    return {
      status: state.status,
      step: state.step,
      settings: state.settings,
      recordCount: state.records.length,
      layers: last ? last.gradNorms.length : 0,
      divergences: state.divergences.map(({ step, reason }) => ({ step, reason })),
    };
  });
}

/** Collects console errors and uncaught exceptions; the test asserts there were none. */
function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

test('loads the training worker only when the widget comes near the viewport', async ({ page }) => {
  const errors = watchConsole(page);
  await page.setViewportSize({ width: 1000, height: 300 });
  const workerRequests: string[] = [];
  page.on('request', (request) => {
    if (/worker/i.test(request.url()) || /tfjs|wasm/i.test(request.url())) workerRequests.push(request.url());
  });
  await page.goto(LAB);
  await page.waitForLoadState('networkidle');
  const play = page.getByRole('button', { name: 'Play' });
  // Precondition: the widget starts well below the fold (beyond the 250 px loading margin).
  const top = await page.locator('[data-widget-id="lab"]').evaluate((element) => element.getBoundingClientRect().top - innerHeight);
  expect(top).toBeGreaterThan(300);
  expect(workerRequests).toEqual([]);

  const workerRequest = page.waitForRequest((request) => /worker/i.test(request.url()));
  await play.scrollIntoViewIfNeeded();
  await workerRequest;
  // The worker it loaded trains.
  await play.click();
  await expect.poll(async () => (await widgetState(page)).step, { timeout: 30_000 }).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});

test('trains when played, draws the charts, pauses off-screen and resumes on return', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(LAB);
  const widget = page.getByRole('region', { name: 'Gradient flow through a deep network' });
  const play = widget.getByRole('button', { name: 'Play' });
  await play.scrollIntoViewIfNeeded();
  // At full speed the 2000-step run can finish before the checks below read a running widget:
  // 60 steps/s passes step 50 within a second and keeps it running for half a minute.
  await widget.getByRole('combobox', { name: 'Speed' }).selectOption('medium');
  await play.focus();
  await page.keyboard.press('Enter');
  await expect(widget.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect.poll(async () => (await widgetState(page)).step, { timeout: 30_000 }).toBeGreaterThan(50);

  const state = await widgetState(page);
  expect(state.status).toBe('running');
  expect(state.layers).toBe(20);
  // One bar per hidden layer, each with a height; a loss curve; a heatmap with coloured pixels.
  const barHeights = await widget.locator('[data-chart="bars"] svg g.bars rect').evaluateAll((rects) =>
    rects.map((rect) => Number(rect.getAttribute('height'))),
  );
  expect(barHeights).toHaveLength(20);
  expect(barHeights.every((height) => height > 0)).toBe(true);
  const lossPath = await widget.locator('[data-chart="loss"] svg g.lines path').getAttribute('d');
  expect(lossPath?.length ?? 0).toBeGreaterThan(20);
  const heatmapPixels = await widget.locator('[data-chart="heatmap"] canvas').evaluate((canvas) => {
    const context = (canvas as HTMLCanvasElement).getContext('2d')!;
    const { data } = context.getImageData(0, 0, (canvas as HTMLCanvasElement).width, (canvas as HTMLCanvasElement).height);
    const colours = new Set<number>();
    for (let index = 0; index < data.length; index += 4 * 97) colours.add((data[index] << 16) | (data[index + 1] << 8) | data[index + 2]);
    return colours.size;
  });
  expect(heatmapPixels).toBeGreaterThan(5);
  // The polite live summary speaks in words and numbers.
  await expect(widget.getByRole('status')).toHaveText(/^Training: step \d+, loss [\d.e-]+, .*first layer gradient [\d.e-]+, last layer [\d.e-]+/);

  // Scrolled out of view: training pauses and says so.
  await page.getByRole('heading', { name: 'Why the first layers starve' }).scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await expect.poll(async () => (await widgetState(page)).status).toBe('paused');
  const pausedAt = (await widgetState(page)).step;
  await expect(widget.getByText(/Paused while the widget is out of view/)).toBeAttached();
  // Back in view: it resumes by itself and keeps counting.
  await play.scrollIntoViewIfNeeded();
  await expect.poll(async () => (await widgetState(page)).status).toBe('running');
  await expect.poll(async () => (await widgetState(page)).step).toBeGreaterThan(pausedAt);

  await widget.getByRole('button', { name: 'Pause' }).click();
  await expect(widget.getByRole('button', { name: 'Play' })).toBeVisible();
  await expect.poll(async () => (await widgetState(page)).status).toBe('paused');
  expect(errors).toEqual([]);
});

test('the data table shows every layer’s numbers', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(LAB);
  const widget = page.getByRole('region', { name: 'Gradient flow through a deep network' });
  await widget.getByRole('button', { name: 'Step' }).scrollIntoViewIfNeeded();
  await widget.getByRole('button', { name: 'Step' }).click();
  await expect.poll(async () => (await widgetState(page)).step).toBe(1);
  const toggle = widget.getByRole('button', { name: 'Show data table' });
  await toggle.click();
  await expect(widget.getByRole('button', { name: 'Hide data table' })).toHaveAttribute('aria-expanded', 'true');
  const layers = widget.getByRole('table', { name: /Every hidden layer at step 1/ });
  await expect(layers).toBeVisible();
  await expect(layers.getByRole('row')).toHaveCount(21);
  const firstLayer = layers.getByRole('row', { name: /1 \(input side\)/ });
  await expect(firstLayer.getByRole('cell').first()).toHaveText(/^-?\d+(\.\d+)?(e-?\d+)?$/);
  await expect(widget.getByRole('table', { name: /Training history/ }).getByRole('row')).toHaveCount(2);
  expect(errors).toEqual([]);
});

test('a link restores settings, and bad input is explained without losing anything', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(`${LAB}?lab.depth=7&lab.activation=tanh&lab.width=999`);
  const widget = page.getByRole('region', { name: 'Gradient flow through a deep network' });
  const depth = widget.getByRole('spinbutton', { name: 'Hidden layers' });
  await expect(depth).toHaveValue('7');
  await expect(widget.getByRole('combobox', { name: 'Activation' })).toHaveValue('tanh');
  // The invalid width is ignored with a notice, and the default stays.
  await expect(widget.getByText(/Units per layer must be between 2 and 64/)).toBeVisible();
  await expect(widget.getByRole('spinbutton', { name: 'Units per layer' })).toHaveValue('16');
  const state = await widgetState(page);
  expect(state.settings.depth).toBe(7);
  expect(state.settings.activation).toBe('tanh');
  expect(state.settings.width).toBe(16);

  await widget.getByRole('button', { name: 'Step' }).scrollIntoViewIfNeeded();
  await widget.getByRole('button', { name: 'Step' }).click();
  await expect.poll(async () => (await widgetState(page)).layers).toBe(7);

  // Typing a value out of range: a message next to the control, the text kept, the setting unchanged.
  await depth.fill('500');
  await depth.press('Enter');
  await depth.blur();
  await expect(widget.getByText('Hidden layers must be between 2 and 50.')).toBeVisible();
  await expect(depth).toHaveValue('500');
  await expect(depth).toHaveAttribute('aria-invalid', 'true');
  expect((await widgetState(page)).settings.depth).toBe(7);

  // A valid change is applied and written into the URL.
  await depth.fill('12');
  await depth.blur();
  await expect.poll(async () => (await widgetState(page)).settings.depth).toBe(12);
  await expect(depth).not.toHaveAttribute('aria-invalid', 'true');
  await expect.poll(() => new URL(page.url()).searchParams.get('lab.depth')).toBe('12');
  expect(errors).toEqual([]);
});

test('a diverging run stops and says at which step and why', async ({ page }) => {
  const errors = watchConsole(page);
  // ReLU with He initialisation scaled up and a large learning rate explodes within a few steps.
  await page.goto(`${LAB}?lab.depth=10&lab.activation=relu&lab.init=he&lab.initScale=1.2&lab.learningRate=2`);
  const widget = page.getByRole('region', { name: 'Gradient flow through a deep network' });
  await widget.getByRole('button', { name: 'Play' }).scrollIntoViewIfNeeded();
  await widget.getByRole('button', { name: 'Play' }).click();
  await expect.poll(async () => (await widgetState(page)).status, { timeout: 30_000 }).toBe('diverged');
  const state = await widgetState(page);
  expect(state.divergences).toHaveLength(1);
  await expect(widget.getByText(new RegExp(`Training diverged at step ${state.divergences[0].step}: `))).toBeVisible();
  await expect(widget.getByRole('status')).toHaveText(new RegExp(`diverged at step ${state.divergences[0].step}`));
  // The charts keep what the run did before it diverged.
  expect(state.divergences[0].step).toBeGreaterThan(1);
  expect(state.recordCount).toBeGreaterThan(0);
  await expect(widget.locator('[data-chart="bars"] svg g.bars rect')).toHaveCount(10);
  // Reset clears the run and its message.
  await widget.getByRole('button', { name: 'Reset' }).click();
  await expect.poll(async () => (await widgetState(page)).divergences.length).toBe(0);
  expect((await widgetState(page)).status).toBe('idle');
  await expect(widget.getByText(/Training diverged at step/)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('exports the charts as PNG and SVG and the run as CSV and JSON', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(`${LAB}?lab.depth=5`);
  const widget = page.getByRole('region', { name: 'Gradient flow through a deep network' });
  await widget.getByRole('button', { name: 'Step' }).scrollIntoViewIfNeeded();
  for (let step = 1; step <= 3; step++) {
    await widget.getByRole('button', { name: 'Step' }).click();
    await expect.poll(async () => (await widgetState(page)).step).toBe(step);
  }
  const downloads = widget.getByRole('group', { name: 'Downloads' });

  async function download(name: string): Promise<{ fileName: string; content: Buffer }> {
    const started = page.waitForEvent('download');
    await downloads.getByRole('button', { name }).click();
    const file = await started;
    return { fileName: file.suggestedFilename(), content: await readFile((await file.path())!) };
  }

  const csv = await download('Run as CSV');
  expect(csv.fileName).toBe('lab-run-step3.csv');
  const csvLines = csv.content.toString('utf8').trim().split('\n');
  expect(csvLines[0]).toMatch(/^run,run_label,step,loss,/);
  expect(csvLines[0]).toContain('grad_norm_5');
  expect(csvLines).toHaveLength(4);

  const json = JSON.parse((await download('Run as JSON')).content.toString('utf8'));
  expect(json.settings.depth).toBe(5);
  expect(json.records.map((record: { step: number }) => record.step)).toEqual([1, 2, 3]);

  const svg = await download('Chart as SVG');
  expect(svg.fileName).toBe('lab-charts-step3.svg');
  expect(svg.content.toString('utf8')).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg.content.toString('utf8')).toContain('Training loss');

  const png = await download('Chart as PNG');
  expect(png.fileName).toBe('lab-charts-step3.png');
  expect([...png.content.subarray(1, 4)].map((code) => String.fromCharCode(code)).join('')).toBe('PNG');
  expect(errors).toEqual([]);
});
