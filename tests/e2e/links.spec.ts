/**
 * No broken internal links or anchors anywhere: every same-site link on every page leads to a
 * page that answers 200, and every #fragment names an element id on its target page.
 */
import { test, expect } from '@playwright/test';
import { crawlSite, extractIds, extractLinks, isPagePath, resolveInternal } from './helpers';

test('every internal link and #anchor on every page resolves', async ({ request, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const pages = await crawlSite(request, baseURL!);
  const idsByPath = new Map(pages.map((page) => [page.path, extractIds(page.html)]));
  const statusByPath = new Map<string, number>(pages.map((page) => [page.path, 200]));

  const broken: string[] = [];
  let checked = 0;
  for (const page of pages) {
    for (const href of extractLinks(page.html)) {
      const url = resolveInternal(href, page.path, origin);
      if (!url) continue;
      checked++;
      if (!statusByPath.has(url.pathname)) {
        const response = await request.get(url.pathname);
        statusByPath.set(url.pathname, response.status());
        if (isPagePath(url.pathname) && response.ok()) idsByPath.set(url.pathname, extractIds(await response.text()));
      }
      const status = statusByPath.get(url.pathname)!;
      if (status !== 200) {
        broken.push(`${page.path}: ${href} → HTTP ${status}`);
        continue;
      }
      const fragment = decodeURIComponent(url.hash.slice(1));
      if (fragment && !idsByPath.get(url.pathname)?.has(fragment)) {
        broken.push(`${page.path}: ${href} → no element with id "${fragment}"`);
      }
    }
  }
  expect(checked, 'internal links checked').toBeGreaterThan(0);
  expect(broken).toEqual([]);
});

test('every page has exactly one h1 and unique ids', async ({ request, baseURL }) => {
  const pages = await crawlSite(request, baseURL!);
  for (const page of pages) {
    const h1Count = (page.html.match(/<h1[\s>]/g) ?? []).length;
    expect.soft(h1Count, `h1 elements on ${page.path}`).toBe(1);
    const ids = [...page.html.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
    const duplicates = ids.filter((id, index) => ids.indexOf(id) !== index);
    expect.soft(duplicates, `duplicate ids on ${page.path}`).toEqual([]);
  }
});
