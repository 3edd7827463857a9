/**
 * Shared helpers for the browser tests: discovering every page of the built site, collecting
 * console errors and failed requests, and a few page measurements.
 * Other test files may import these (e.g. `import { trackPageProblems } from './helpers'`).
 */
import { expect, type APIRequestContext, type Browser, type Page, type Request, type Response } from '@playwright/test';
import type { WidgetState } from '../../src/engine/types';

/** Internal paths that are assets or generated indexes, not pages a reader visits. */
const NON_PAGE_PREFIXES = ['/_astro/', '/pagefind/'];
const NON_PAGE_EXTENSION = /\.(?:css|js|mjs|json|svg|png|jpe?g|gif|webp|ico|woff2?|ttf|wasm|csv|txt|xml|pdf|zip)$/i;

/** href and src values in an HTML document (attribute values, entity-decoded for &amp;). */
export function extractLinks(html: string): string[] {
  const links: string[] = [];
  for (const match of html.matchAll(/<a\b[^>]*?\shref\s*=\s*("([^"]*)"|'([^']*)')/gi)) {
    // Attribute values are HTML: decode the character references Astro writes (&amp;, &#38;, &#x26;).
    links.push(
      (match[2] ?? match[3] ?? '')
        .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
        .replace(/&#(\d+);/g, (_, decimal: string) => String.fromCodePoint(Number(decimal)))
        .replace(/&amp;/g, '&'),
    );
  }
  return links;
}

/** Every id="…" in an HTML document. */
export function extractIds(html: string): Set<string> {
  const ids = new Set<string>();
  for (const match of html.matchAll(/\sid\s*=\s*("([^"]*)"|'([^']*)')/gi)) ids.add(match[2] ?? match[3] ?? '');
  return ids;
}

/** Resolves a link found on `fromPath` to a same-site URL, or undefined for external / non-http links. */
export function resolveInternal(href: string, fromPath: string, origin: string): URL | undefined {
  if (/^(?:mailto:|tel:|javascript:|data:)/i.test(href)) return undefined;
  const url = new URL(href, new URL(fromPath, origin));
  return url.origin === origin ? url : undefined;
}

export function isPagePath(pathname: string): boolean {
  return !NON_PAGE_PREFIXES.some((prefix) => pathname.startsWith(prefix)) && !NON_PAGE_EXTENSION.test(pathname);
}

export interface CrawledPage {
  path: string;
  html: string;
}

let crawlCache: Promise<CrawledPage[]> | undefined;

/**
 * Finds every page by following internal links from "/", so pages added later are tested
 * without editing the tests. Returns pages in discovery order with their HTML.
 */
export function crawlSite(request: APIRequestContext, baseURL: string): Promise<CrawledPage[]> {
  crawlCache ??= (async () => {
    const origin = new URL(baseURL).origin;
    const queue = ['/'];
    const seen = new Set(queue);
    const pages: CrawledPage[] = [];
    while (queue.length > 0) {
      const path = queue.shift()!;
      const response = await request.get(path);
      expect(response.status(), `status of ${path}`).toBe(200);
      const html = await response.text();
      pages.push({ path, html });
      for (const href of extractLinks(html)) {
        const url = resolveInternal(href, path, origin);
        if (!url || !isPagePath(url.pathname)) continue;
        if (!seen.has(url.pathname)) {
          seen.add(url.pathname);
          queue.push(url.pathname);
        }
      }
    }
    return pages;
  })();
  // A failed crawl (server down, test ended) must not poison later tests in this worker.
  crawlCache.catch(() => {
    crawlCache = undefined;
  });
  return crawlCache;
}

/**
 * The pages of one part of a site-wide sweep: tests that visit every page are split into a few
 * parts, so that the parts run in parallel and each stays inside its time limit as pages are added.
 */
export function pagesOfPart<T>(pages: readonly T[], part: number, parts: number): T[] {
  return pages.filter((_, index) => index % parts === part);
}

/** Pages whose HTML contains a live widget (the widget contract's data-widget attribute). */
export function hasWidget(html: string): boolean {
  return /\sdata-widget\s*=/.test(html);
}

export interface PageProblems {
  consoleErrors: string[];
  failedRequests: string[];
  pageErrors: string[];
}

/**
 * Starts recording console errors, uncaught exceptions and failed requests (network failures
 * and HTTP status >= 400) on a page. Call before page.goto; assert with expectNoProblems.
 */
export function trackPageProblems(page: Page): PageProblems {
  const problems: PageProblems = { consoleErrors: [], failedRequests: [], pageErrors: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  page.on('requestfailed', (request: Request) => {
    problems.failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'failed'}`);
  });
  page.on('response', (response: Response) => {
    if (response.status() >= 400) problems.failedRequests.push(`${response.request().method()} ${response.url()}: HTTP ${response.status()}`);
  });
  return problems;
}

export function expectNoProblems(problems: PageProblems, where: string): void {
  expect(problems.pageErrors, `uncaught errors on ${where}`).toEqual([]);
  expect(problems.consoleErrors, `console errors on ${where}`).toEqual([]);
  expect(problems.failedRequests, `failed requests on ${where}`).toEqual([]);
}

/** Horizontal overflow of the page in CSS pixels (0 when nothing scrolls sideways). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Forces light or dark for this page load, the way a reader's saved choice would. */
export async function useTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.addInitScript((value) => {
    try {
      window.localStorage.setItem('course-theme', value);
    } catch {
      // storage disabled: the system preference applies
    }
  }, theme);
}

/** A widget's state through the widget element contract (getState), as plain JSON. */
export function widgetState(page: Page, widgetId: string): Promise<WidgetState> {
  return page.locator(`[data-widget-id="${widgetId}"]`).evaluate((element) => JSON.parse(JSON.stringify((element as unknown as { getState(): unknown }).getState())) as WidgetState);
}

/**
 * Runs `train` once per core count, each on a fresh page whose navigator.hardwareConcurrency
 * reports that many cores (which sizes a widget's pool of workers: 1 means one worker), with no
 * page problems allowed; the results in the order of `counts`, to compare pooled with single.
 */
export async function onCoreCounts<T>(browser: Browser, counts: readonly number[], train: (page: Page) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (const cores of counts) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = trackPageProblems(page);
    await page.addInitScript((count) => Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => count }), cores);
    results.push(await train(page));
    expectNoProblems(problems, page.url());
    await context.close();
  }
  return results;
}
