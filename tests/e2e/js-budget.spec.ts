/**
 * JavaScript budget: a page without a widget ships only a few KB of JavaScript (theme, search
 * loader, progress) and never TF.js or d3. Every script the page runs is recorded: inline
 * scripts, script files, dynamic imports and workers, as they come over the network.
 */
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { crawlSite, hasWidget } from './helpers';

/** Gzipped bytes of JavaScript a widget-free page may load. */
const WIDGET_FREE_BUDGET_GZIP_BYTES = 20 * 1024;

/**
 * Strings that survive minification and tree-shaking: property keys and string literals that
 * d3 and TF.js always carry. d3-selection stores data under "__data__"; d3-color (pulled in by
 * every d3 scale through d3-interpolate) has the CSS colour names; d3-format's error message.
 * tfjs-core's environment always reads the "tfjsflags" URL parameter.
 */
const LIBRARY_SIGNATURES: Record<'d3' | 'TF.js', RegExp[]> = {
  d3: [/__data__/, /rebeccapurple/, /invalid format: /],
  'TF.js': [/tfjsflags/, /@tensorflow\/tfjs/],
};

function librariesIn(source: string): string[] {
  return Object.entries(LIBRARY_SIGNATURES)
    .filter(([, patterns]) => patterns.some((pattern) => pattern.test(source)))
    .map(([name]) => name);
}

interface LoadedScript {
  url: string;
  source: string;
}

/**
 * Loads a page, runs `afterLoad` (e.g. scrolling widgets into view), and returns every piece of
 * JavaScript the page ran (inline and fetched, workers included).
 */
async function scriptsLoadedBy(page: Page, path: string, afterLoad?: () => Promise<void>): Promise<LoadedScript[]> {
  const fetched: Promise<LoadedScript | undefined>[] = [];
  page.context().on('response', (response) => {
    const type = response.request().resourceType();
    const isScript = type === 'script' || /javascript/.test(response.headers()['content-type'] ?? '') || /\.m?js(\?|$)/.test(response.url());
    if (!isScript) return;
    fetched.push(response.body().then((body) => ({ url: response.url(), source: body.toString('utf8') }), () => undefined));
  });
  await page.goto(path);
  await page.waitForLoadState('networkidle');
  if (afterLoad) {
    await afterLoad();
    await page.waitForLoadState('networkidle');
  }
  const inline = await page.locator('script:not([src])').evaluateAll((scripts) =>
    scripts
      .filter((script) => !script.getAttribute('type') || /module|javascript/.test(script.getAttribute('type')!))
      .map((script, index) => ({ url: `inline script ${index + 1}`, source: script.textContent ?? '' })),
  );
  const loaded = (await Promise.all(fetched)).filter((script): script is LoadedScript => script !== undefined);
  return [...inline, ...loaded];
}

const gzipBytes = (scripts: LoadedScript[]) => scripts.reduce((sum, script) => sum + gzipSync(script.source).length, 0);

test('the signatures recognise d3 and TF.js in their own minified builds', () => {
  const modules = join(process.cwd(), 'node_modules');
  const d3Source = readFileSync(join(modules, 'd3/dist/d3.min.js'), 'utf8');
  const tfSource = readFileSync(join(modules, '@tensorflow/tfjs-core/dist/tf-core.min.js'), 'utf8');
  expect(librariesIn(d3Source)).toEqual(['d3']);
  expect(librariesIn(tfSource)).toEqual(['TF.js']);
  expect(librariesIn('document.documentElement.dataset.theme = "dark";')).toEqual([]);
});

test('pages without widgets load no TF.js, no d3, no worker and stay within the JavaScript budget', async ({ browser, request, baseURL }) => {
  const pages = await crawlSite(request, baseURL!);
  const widgetFree = pages.filter((page) => !hasWidget(page.html));
  expect(widgetFree.map((page) => page.path)).toContain('/');
  for (const { path } of widgetFree) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const scripts = await scriptsLoadedBy(page, path);
    const offenders = scripts.flatMap((script) => librariesIn(script.source).map((library) => `${library} in ${script.url}`));
    expect.soft(offenders, `heavy libraries on ${path}`).toEqual([]);
    expect.soft(page.workers().length, `workers started on ${path}`).toBe(0);
    const bytes = gzipBytes(scripts);
    console.log(`${path}: ${scripts.length} scripts, ${bytes} bytes of JavaScript gzipped`);
    expect.soft(bytes, `gzipped JavaScript on ${path}`).toBeLessThanOrEqual(WIDGET_FREE_BUDGET_GZIP_BYTES);
    await context.close();
  }
});

test('the detector does see the libraries on a page that has a widget', async ({ browser, request, baseURL }) => {
  test.setTimeout(300_000);
  const pages = await crawlSite(request, baseURL!);
  const widgetPages = pages.filter((page) => hasWidget(page.html));
  expect(widgetPages.length, 'pages with a widget').toBeGreaterThan(0);
  const found = new Set<string>();
  for (const { path } of widgetPages) {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Widgets load their libraries when they come near the viewport: bring each one into view,
    // and wait until the first training widget's worker (TF.js) has loaded, not for a quiet network.
    const scripts = await scriptsLoadedBy(page, path, async () => {
      const training = page.locator('[data-widget-id][data-experiment]:not([data-experiment=""])');
      if ((await training.count()) > 0) {
        await training.first().scrollIntoViewIfNeeded();
        await expect
          .poll(() => training.first().evaluate((element) => (element as unknown as { getState(): { backend?: string } }).getState().backend ?? ''), { timeout: 60_000 })
          .toMatch(/^(wasm|cpu)$/);
      }
      for (const widget of await page.locator('[data-widget]').all()) await widget.scrollIntoViewIfNeeded();
    });
    for (const script of scripts) for (const library of librariesIn(script.source)) found.add(library);
    console.log(`${path}: ${gzipBytes(scripts)} bytes of JavaScript gzipped once its widgets are in view`);
    await context.close();
    // Once every library has been recognised, more widget pages add nothing but minutes.
    if (found.size === Object.keys(LIBRARY_SIGNATURES).length) break;
  }
  expect(found.size, 'libraries recognised on widget pages').toBeGreaterThan(0);
});
