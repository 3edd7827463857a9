/**
 * Baked figures (issue 14, item 6): what print and no-JavaScript readers see in place of a
 * training widget's live charts. Pages are found by crawling from "/", so every widget a later
 * chapter adds is covered; a widget without a current figure fails with what to run.
 */
import { test, expect, type Page } from '@playwright/test';
import { crawlSite, hasWidget } from './helpers';

const BAKE_ADVICE = 'bake its figure: `npm run build && npm run bake`, build again, and commit src/baked/ and public/figures/ (see src/widgets/kit/README.md, "Baked figures")';

/** Widgets that name an experiment (a widget that trains nothing may carry an empty data-experiment). */
async function trainingWidgetIds(page: Page): Promise<string[]> {
  return page.locator('[data-widget-id][data-experiment]:not([data-experiment=""])').evaluateAll((roots) => roots.map((root) => (root as HTMLElement).dataset.widgetId ?? ''));
}

test('every training widget has a current baked figure, and print shows it filled in place of the live charts', async ({ page, request, baseURL }) => {
  test.setTimeout(300_000);
  const paths = (await crawlSite(request, baseURL!)).filter((p) => hasWidget(p.html)).map((p) => p.path);
  expect(paths.length).toBeGreaterThan(0);
  for (const path of paths) {
    await page.emulateMedia({ media: 'screen' });
    await page.goto(path);
    const missing = await page.locator('[data-baked-missing]').evaluateAll((spans) => spans.map((span) => span.getAttribute('data-baked-missing')));
    expect.soft(missing, `widgets on ${path} without a figure of their current default run: ${BAKE_ADVICE}`).toEqual([]);
    await page.emulateMedia({ media: 'print' });
    for (const id of await trainingWidgetIds(page)) {
      const widget = page.locator(`[data-widget-id="${id}"]`);
      const figure = widget.locator('.widget-baked img');
      if ((await figure.count()) === 0) continue; // reported above
      await figure.scrollIntoViewIfNeeded();
      await expect.soft(figure, `${id} on ${path}: the figure prints`).toBeVisible();
      const loaded = await figure.evaluate((image) => (image as HTMLImageElement).complete && (image as HTMLImageElement).naturalWidth > 0);
      expect.soft(loaded, `${id} on ${path}: the figure's SVG loads`).toBe(true);
      await expect.soft(widget.locator('.widget-charts'), `${id} on ${path}: empty live charts do not print`).toBeHidden();
      await expect.soft(widget.getByRole('button', { name: 'Play' }), `${id} on ${path}: controls do not print`).toBeHidden();
    }
    // Chromium's PDF of the page: one page at least per printed widget figure, and no error.
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString(), `PDF of ${path}`).toBe('%PDF-');
  }
});

test('a chapter prints its exercises as questions, without buttons', async ({ page }) => {
  await page.emulateMedia({ media: 'print' });
  await page.goto('/lessons/residual/');
  const exercise = page.locator('course-exercise').first();
  await expect(exercise.locator('.exercise-question')).toBeVisible();
  await expect(exercise.getByRole('button', { name: 'Check' })).toBeHidden();
});

test('a widget that trains nothing prints what it shows: the attention stepper its embeddings, without its buttons', async ({ page }) => {
  await page.goto('/lessons/transformers/');
  const stepper = page.locator('[data-widget="attention-stepper"]');
  await expect(stepper.getByRole('button', { name: 'Next step' })).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(stepper.getByRole('button', { name: 'Next step' })).toBeHidden();
  const embedding = stepper.getByRole('spinbutton', { name: 'cat, x2' });
  await expect(embedding).toBeVisible();
  await expect(embedding).toHaveValue('2');
});

/** Roles of controls that do nothing without JavaScript. */
const CONTROL_ROLES = ['button', 'checkbox', 'combobox', 'radio', 'slider', 'spinbutton', 'textbox'] as const;

test('without JavaScript a widget shows its figure or its server-rendered result, not controls that do nothing', async ({ browser, request, baseURL }) => {
  test.setTimeout(300_000);
  const paths = (await crawlSite(request, baseURL!)).filter((p) => hasWidget(p.html)).map((p) => p.path);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  let trainingWidgets = 0;
  let pureWidgets = 0;
  for (const path of paths) {
    await page.goto(path);
    const training = new Set(await trainingWidgetIds(page));
    for (const id of await page.locator('[data-widget-id]').evaluateAll((roots) => roots.map((root) => (root as HTMLElement).dataset.widgetId ?? ''))) {
      const widget = page.locator(`[data-widget-id="${id}"]`);
      const where = `${id} on ${path}`;
      await expect.soft(widget.getByRole('heading').first(), `${where}: its title`).toBeVisible();
      if (training.has(id)) {
        trainingWidgets += 1;
        await expect.soft(widget.getByRole('img', { name: /Charts of the default run/ }), `${where}: its figure`).toBeVisible();
        await expect.soft(widget.getByRole('group', { name: 'Settings' }), where).toBeHidden();
        await expect.soft(widget.getByRole('group', { name: 'Downloads' }), where).toBeHidden();
      } else {
        pureWidgets += 1;
        // What the reader sees instead is said (NoScriptNote).
        await expect.soft(widget.getByText(/^Without JavaScript, /), `${where}: says what it shows`).toBeVisible();
      }
      // Hidden elements have no role, so only visible controls are counted.
      for (const role of CONTROL_ROLES) await expect.soft(widget.getByRole(role), `${where}: no ${role} that does nothing`).toHaveCount(0);
    }
  }
  expect(trainingWidgets).toBeGreaterThan(0);
  expect(pureWidgets).toBeGreaterThan(0);
  await context.close();
});

test('on screen the figure appears only once the reader has run the widget', async ({ page }) => {
  await page.goto('/lab/gradient-flow/');
  const widget = page.locator('[data-widget-id][data-experiment]').first();
  const figure = widget.getByRole('img', { name: /Charts of the default run/, includeHidden: true });
  await expect(figure).toHaveCount(1);
  await expect(figure).toBeHidden();
  await widget.getByRole('button', { name: 'Step' }).click();
  await expect(figure).toBeVisible();
});

test('a figure after a prediction stays hidden until the prediction is committed and the widget runs', async ({ page }) => {
  await page.goto('/lessons/residual/');
  const widget = page.locator('[data-widget-id="res-flow-residual"]');
  const figure = widget.getByRole('img', { name: /Charts of the default run/, includeHidden: true });
  await expect(figure).toHaveCount(1);
  await expect(figure).toBeHidden();
  const prediction = page.getByRole('region', { name: /how far apart are the first and last layer with shortcuts/ });
  await prediction.getByRole('radio').first().check();
  await expect(figure, 'choosing is not committing').toBeHidden();
  await prediction.getByRole('button', { name: 'Commit prediction and run' }).click();
  await expect(figure).toBeVisible();
});
