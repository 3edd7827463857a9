/**
 * axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on every page of the site, in light and dark mode,
 * on a wide screen and on a phone. Pages are found by crawling from "/", so new pages are
 * covered without editing this file.
 */
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { crawlSite, pagesOfPart, useTheme } from './helpers';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
/** Each theme and viewport's sweep is split into this many parts, run in parallel (see pagesOfPart). */
const AXE_PARTS = 2;

for (const theme of ['light', 'dark'] as const) {
  for (const viewport of [
    { name: 'wide', width: 1400, height: 900 },
    { name: 'phone', width: 360, height: 740 },
  ]) {
    for (let part = 0; part < AXE_PARTS; part++) {
      test(`axe finds no WCAG violation on any page (${theme} mode, ${viewport.name}, pages part ${part + 1} of ${AXE_PARTS})`, async ({ browser, request, baseURL }) => {
        test.setTimeout(240_000);
        const pages = pagesOfPart(await crawlSite(request, baseURL!), part, AXE_PARTS);
        const context = await browser.newContext({ viewport, colorScheme: theme });
        const page = await context.newPage();
        await useTheme(page, theme);
        for (const { path } of pages) {
          await page.goto(path);
          await page.waitForLoadState('networkidle');
          await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
          const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
          const summary = results.violations.map(
            (violation) =>
              `${violation.id} (${violation.impact}): ${violation.help}\n` +
              violation.nodes
                .slice(0, 5)
                .map((node) => `    ${node.target.join(' ')}: ${node.failureSummary?.split('\n').slice(1).join(' ')}`)
                .join('\n'),
          );
          expect.soft(summary, `axe violations on ${path}`).toEqual([]);
        }
        await context.close();
      });
    }
  }
}

test('the open search dialog and an open chapter list pass axe too', async ({ browser, request, baseURL }) => {
  const pages = await crawlSite(request, baseURL!);
  const chapter = pages.map((p) => p.path).find((path) => path.startsWith('/lessons/'))!;
  for (const theme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: theme });
    const page = await context.newPage();
    await page.goto(chapter);
    await page.getByRole('button', { name: 'Chapters' }).click();
    expect.soft((await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()).violations.map((v) => v.id), `chapter list open (${theme})`).toEqual([]);
    await page.getByRole('button', { name: 'Search' }).click();
    const dialog = page.getByRole('dialog', { name: 'Search the course' });
    await dialog.getByRole('searchbox').fill('gradient');
    await expect(dialog.getByRole('status')).toContainText(/match/);
    expect.soft((await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()).violations.map((v) => v.id), `search results (${theme})`).toEqual([]);
    await context.close();
  }
});
