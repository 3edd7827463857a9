/**
 * Site-level behaviour on the production build: every page loads cleanly and fits a phone,
 * maths is rendered, search finds chapters, the theme toggles and persists, the keyboard reaches
 * every control, chapter navigation and the MDX components work, and print leaves out navigation.
 */
import { test, expect, type Page } from '@playwright/test';
import { crawlSite, expectNoProblems, horizontalOverflow, pagesOfPart, trackPageProblems } from './helpers';

const chapterPaths = (paths: string[]) => paths.filter((path) => /^\/lessons\/[^/]+\/$/.test(path));

const LOAD_CHECK_PARTS = 2;

for (let part = 0; part < LOAD_CHECK_PARTS; part++) {
  test(`every page loads with no console errors or failed requests, and fits 360 px and wide screens (pages, part ${part + 1} of ${LOAD_CHECK_PARTS})`, async ({ browser, request, baseURL }) => {
    test.setTimeout(180_000);
    const allPages = await crawlSite(request, baseURL!);
    expect(allPages.map((p) => p.path)).toContain('/');
    expect(chapterPaths(allPages.map((p) => p.path)).length, 'chapter pages reachable from the home page').toBeGreaterThan(0);
    for (const viewport of [
      { width: 360, height: 740 },
      { width: 1400, height: 900 },
    ]) {
      const context = await browser.newContext({ viewport });
      for (const { path } of pagesOfPart(allPages, part, LOAD_CHECK_PARTS)) {
        const page = await context.newPage();
        const problems = trackPageProblems(page);
        await page.goto(path, { waitUntil: 'load' });
        await page.waitForLoadState('networkidle');
        expectNoProblems(problems, `${path} at ${viewport.width} px`);
        expect.soft(await horizontalOverflow(page), `sideways scroll on ${path} at ${viewport.width} px`).toBeLessThanOrEqual(0);
        await page.close();
      }
      await context.close();
    }
  });
}

test('KaTeX is rendered at build time on every chapter page, with no raw TeX left', async ({ page, request, baseURL }) => {
  const pages = chapterPaths((await crawlSite(request, baseURL!)).map((p) => p.path));
  for (const path of pages) {
    await page.goto(path);
    expect.soft(await page.locator('main .katex').count(), `rendered maths on ${path}`).toBeGreaterThan(0);
    const leftovers = await page.evaluate(() => {
      const main = document.querySelector('main')!.cloneNode(true) as HTMLElement;
      main.querySelectorAll('.katex, pre, code, script, style').forEach((node) => node.remove());
      const text = main.textContent ?? '';
      return ['$$', '\\frac', '\\partial', '\\begin{'].filter((token) => text.includes(token));
    });
    expect.soft(leftovers, `unrendered TeX on ${path}`).toEqual([]);
    // No KaTeX JavaScript reaches the browser: the maths is plain HTML and CSS.
    const katexScript = await page.evaluate(() => 'katex' in window);
    expect.soft(katexScript, `KaTeX runtime on ${path}`).toBe(false);
  }
});

test('long display equations scroll inside their box on a 360 px phone', async ({ browser, request, baseURL }) => {
  const pages = chapterPaths((await crawlSite(request, baseURL!)).map((p) => p.path));
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  for (const path of pages) {
    await page.goto(path);
    const boxes = await page.locator('.katex-display').evaluateAll((nodes) =>
      nodes.map((node) => {
        const style = getComputedStyle(node);
        return { overflowX: style.overflowX, right: node.getBoundingClientRect().right, scrolls: node.scrollWidth > node.clientWidth + 1, tabIndex: (node as HTMLElement).tabIndex };
      }),
    );
    for (const box of boxes) {
      expect.soft(box.overflowX, `overflow-x of a display equation on ${path}`).toBe('auto');
      expect.soft(box.right, `display equation right edge on ${path}`).toBeLessThanOrEqual(360);
      // An equation wider than the phone is reachable by keyboard so it can be scrolled.
      if (box.scrolls) expect.soft(box.tabIndex, `tab stop on a scrolling equation on ${path}`).toBe(0);
    }
  }
  await context.close();
});

/** Words of at least 8 letters in an element's text, lower-cased. */
async function wordsIn(page: Page, selector: string): Promise<Set<string>> {
  const text = await page.locator(selector).first().evaluate((node) => {
    const clone = node.cloneNode(true) as HTMLElement;
    // Maths and code are not prose a reader would search for.
    clone.querySelectorAll('.katex, pre, code, script, style, [data-pagefind-ignore]').forEach((n) => n.remove());
    return clone.textContent ?? '';
  });
  return new Set((text.toLowerCase().match(/\b[a-z]{8,}\b/g) ?? []) as string[]);
}

/** Words of at least 8 letters in the chapter body after its first h2 (i.e. inside a section). */
async function wordsUnderHeadings(page: Page): Promise<Set<string>> {
  const text = await page.locator('.chapter__body').evaluate((body) => {
    const firstHeading = body.querySelector('h2[id]')!;
    const range = document.createRange();
    range.setStartBefore(firstHeading);
    range.setEndAfter(body.lastChild!);
    const fragment = range.cloneContents();
    fragment.querySelectorAll('.katex, pre, code, script, style, [data-pagefind-ignore]').forEach((n) => n.remove());
    return fragment.textContent ?? '';
  });
  return new Set((text.toLowerCase().match(/\b[a-z]{8,}\b/g) ?? []) as string[]);
}

test('search finds a chapter by a word that appears only in its body, and links to the matching heading', async ({ page, request, baseURL }) => {
  const pages = await crawlSite(request, baseURL!);
  const chapters = chapterPaths(pages.map((p) => p.path));
  const target = chapters[0];

  // A word that is in the target chapter's body (under one of its headings, when it has any)
  // and on no other page of the site.
  const wordsElsewhere = new Set<string>();
  for (const { path } of pages) {
    if (path === target) continue;
    await page.goto(path);
    for (const word of await wordsIn(page, 'body')) wordsElsewhere.add(word);
  }
  await page.goto(target);
  const headerWords = await wordsIn(page, '.chapter__header');
  const hasSections = (await page.locator('.chapter__body h2[id]').count()) > 0;
  const candidates = hasSections ? await wordsUnderHeadings(page) : await wordsIn(page, '.chapter__body');
  const unique = [...candidates].filter((word) => !wordsElsewhere.has(word) && !headerWords.has(word)).sort();
  expect(unique.length, `a word found only in the body of ${target}`).toBeGreaterThan(0);
  const word = unique[0];

  await page.goto('/');
  await page.keyboard.press('/');
  const dialog = page.getByRole('dialog', { name: 'Search the course' });
  await expect(dialog).toBeVisible();
  const input = dialog.getByRole('searchbox', { name: 'Words to find' });
  await expect(input).toBeFocused();
  await input.fill(word);
  await expect(dialog.getByRole('status')).toContainText(/match/);
  const results = dialog.getByRole('list', { name: 'Search results' });
  const links = results.getByRole('link');
  await expect(links.first()).toBeVisible();
  const hrefs = await links.evaluateAll((anchors) => anchors.map((a) => new URL((a as HTMLAnchorElement).href).pathname + new URL((a as HTMLAnchorElement).href).hash));
  expect(hrefs.some((href) => href.startsWith(target)), `a result for "${word}" links to ${target}: ${hrefs.join(', ')}`).toBe(true);

  // The word sits under a heading, so a result links straight to that heading's anchor.
  const sectionLink = hrefs.find((href) => href.startsWith(`${target}#`));
  if (hasSections) {
    expect(sectionLink, `a result linking to a heading of ${target}: ${hrefs.join(', ')}`).toBeDefined();
    await results.locator(`a[href$="${sectionLink!.slice(target.length)}"]`).first().click();
    await expect(page).toHaveURL(new RegExp(`${target.replace(/\//g, '\\/')}#`));
    const id = decodeURIComponent(sectionLink!.split('#')[1]);
    await expect(page.locator(`[id="${id}"]`)).toBeInViewport();
  }

  // Escape closes the dialog; Ctrl+K opens it again.
  await page.goto('/');
  await page.keyboard.press('Control+k');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('dark mode follows the system, toggles, is set before first paint and persists across reload and navigation', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  // Record the theme at the moment <body> is first parsed, i.e. before anything is painted.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.body) {
        (window as unknown as { themeAtFirstBody: string | undefined }).themeAtFirstBody = document.documentElement.dataset.theme;
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto('/');
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  expect(await page.evaluate(() => (window as unknown as { themeAtFirstBody?: string }).themeAtFirstBody)).toBe('dark');

  const toggle = page.getByRole('button', { name: 'Dark mode' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await toggle.click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  const lightBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  await toggle.click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  const darkBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(darkBackground).not.toBe(lightBackground);

  // The reader's choice (light) wins over the system (dark) after a reload and on other pages.
  await toggle.click();
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'light');
  expect(await page.evaluate(() => (window as unknown as { themeAtFirstBody?: string }).themeAtFirstBody)).toBe('light');
  await page.getByRole('main').getByRole('link', { name: /Chapter 1/ }).first().click();
  await expect(page).toHaveURL(/\/lessons\//);
  await expect(html).toHaveAttribute('data-theme', 'light');
  await expect(page.getByRole('button', { name: 'Dark mode' })).toHaveAttribute('aria-pressed', 'false');
  await context.close();

  const lightSystem = await browser.newContext({ colorScheme: 'light' });
  const lightPage = await lightSystem.newPage();
  await lightPage.goto('/');
  await expect(lightPage.locator('html')).toHaveAttribute('data-theme', 'light');
  await lightSystem.close();
});

/** Marks every control a keyboard user should reach and returns how many there are. */
async function markKeyboardControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = [
      'a[href]',
      'button:not([disabled])',
      'input:not([disabled]):not([type="hidden"])',
      'select:not([disabled])',
      'textarea:not([disabled])',
      'summary',
      '[tabindex]:not([tabindex="-1"])',
      '[contenteditable="true"]',
    ].join(',');
    const seenRadioGroups = new Set<string>();
    const labels: string[] = [];
    let index = 0;
    for (const element of document.querySelectorAll<HTMLElement>(selector)) {
      if (element.tabIndex < 0 || element.closest('[inert], dialog:not([open])')) continue;
      if (!element.checkVisibility({ visibilityProperty: true, opacityProperty: false })) continue;
      // Tab enters a radio group once; arrow keys move inside it.
      if (element instanceof HTMLInputElement && element.type === 'radio' && element.name) {
        const group = `${element.form?.id ?? ''}/${element.name}`;
        if (seenRadioGroups.has(group)) continue;
        seenRadioGroups.add(group);
        element.closest('fieldset, [role="radiogroup"]')?.setAttribute('data-keyboard-radio-group', group);
      }
      element.dataset.keyboardControl = String(index++);
      labels.push(`${element.tagName.toLowerCase()} "${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40)}"`);
    }
    return labels;
  });
}

/** The keyboard sweep tabs through every control of every page: the slowest sweep, in the most parts. */
const KEYBOARD_SHARDS = 4;

for (let shard = 0; shard < KEYBOARD_SHARDS; shard++) {
  test(`keyboard: the skip link comes first and Tab reaches every control (pages, part ${shard + 1} of ${KEYBOARD_SHARDS})`, async ({ page, request, baseURL }) => {
    test.setTimeout(180_000);
    const pages = pagesOfPart(await crawlSite(request, baseURL!), shard, KEYBOARD_SHARDS);
    for (const { path } of pages) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      const controls = await markKeyboardControls(page);
      // Each control that receives focus is marked, so Tab can be pressed without a round trip per stop.
      await page.evaluate(() => {
        document.addEventListener('focusin', (event) => {
          const [target] = event.composedPath();
          if (!(target instanceof HTMLElement)) return;
          const group = target instanceof HTMLInputElement && target.type === 'radio' ? target.closest('[data-keyboard-radio-group]') : null;
          const marked = group ? group.querySelector<HTMLElement>('[data-keyboard-control]') : target;
          if (marked?.dataset.keyboardControl !== undefined) marked.dataset.keyboardReached = '';
        });
      });
      await page.locator('body').focus();

      await page.keyboard.press('Tab');
      const skip = page.getByRole('link', { name: 'Skip to content' });
      await expect(skip, `first Tab stop on ${path}`).toBeFocused();
      await expect(skip).toBeInViewport();

      const unreached = () => page.locator('[data-keyboard-control]:not([data-keyboard-reached])').count();
      for (let presses = 0; presses < controls.length * 2 + 10; presses++) {
        if (presses % 25 === 0 && (await unreached()) === 0) break;
        await page.keyboard.press('Tab');
      }
      // A control may leave the page on its own while the reader tabs (the "Mark as read" button
      // hides itself once the chapter's end has scrolled into view): only those still there count.
      const missed = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('[data-keyboard-control]:not([data-keyboard-reached])')]
          .filter((element) => !element.matches(':disabled') && element.checkVisibility({ visibilityProperty: true, opacityProperty: false }))
          .map((element) => `${element.tagName.toLowerCase()} "${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40)}"`),
      );
      expect.soft(missed, `controls Tab never reached on ${path}`).toEqual([]);
    }
  });
}

test('skip link moves focus to the main content', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
});

test('chapter page: sidebar marks the current chapter, contents link to headings, objectives and time at the top', async ({ page, request, baseURL }) => {
  const chapters = chapterPaths((await crawlSite(request, baseURL!)).map((p) => p.path));
  for (const [index, path] of chapters.entries()) {
    await page.goto(path);
    const sidebar = page.getByRole('navigation', { name: 'Chapters' });
    const sidebarLinks = sidebar.getByRole('link');
    await expect(sidebarLinks).toHaveCount(chapters.length);
    const current = sidebar.locator('a[aria-current="page"]');
    await expect(current).toHaveCount(1);
    await expect(current).toHaveAttribute('href', path);
    await expect(sidebar.locator('[data-progress-chapter]')).toHaveCount(chapters.length);

    await expect(page.getByRole('heading', { level: 2, name: 'After this chapter you can' })).toBeVisible();
    await expect(page.locator('.chapter__eyebrow')).toContainText(/minutes|hour/);

    // Every entry of "On this page" points at a heading that exists.
    const toc = page.getByRole('navigation', { name: 'On this page' });
    for (const href of await toc.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')!))) {
      await expect(page.locator(`[id="${decodeURIComponent(href.slice(1))}"]`), `target of ${href} on ${path}`).toHaveCount(1);
    }

    const pager = page.getByRole('navigation', { name: 'Previous and next chapter' });
    if (index > 0) await expect(pager.getByRole('link', { name: /Previous/ })).toHaveAttribute('href', chapters[index - 1]);
    else await expect(pager.getByRole('link', { name: /Previous/ })).toHaveCount(0);
    if (index < chapters.length - 1) await expect(pager.getByRole('link', { name: /Next/ })).toHaveAttribute('href', chapters[index + 1]);
    else await expect(pager.getByRole('link', { name: /course map/ })).toHaveAttribute('href', '/');
  }
});

test('on a phone the chapter list folds behind a disclosure button', async ({ browser, request, baseURL }) => {
  const [chapter] = chapterPaths((await crawlSite(request, baseURL!)).map((p) => p.path));
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto(chapter);
  const toggle = page.getByRole('button', { name: 'Chapters' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  const currentLink = page.getByRole('navigation', { name: 'Chapters' }).locator('a[aria-current="page"]');
  await expect(currentLink).toBeHidden();
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(currentLink).toBeVisible();
  await toggle.click();
  await expect(currentLink).toBeHidden();
  await context.close();
});

test('home page: the course map links every chapter that exists, as a graph and as a list', async ({ page, request, baseURL }) => {
  const chapters = chapterPaths((await crawlSite(request, baseURL!)).map((p) => p.path));
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: /^Start with chapter 1/ })).toHaveAttribute('href', chapters[0]);
  const graph = page.locator('.course-map__graph');
  await expect(graph).toBeVisible();
  await expect(graph.getByRole('link')).toHaveCount(chapters.length);
  const list = page.locator('.course-map__list');
  await expect(list.getByRole('link')).toHaveCount(chapters.length);
  for (const path of chapters) {
    await expect(graph.locator(`a[href="${path}"]`)).toHaveAccessibleName(/^Chapter \d+ \S/);
    await expect(list.locator(`a[href="${path}"]`)).toHaveCount(1);
  }
  await expect(page.locator('.course-map [data-progress-chapter]')).toHaveCount(chapters.length * 2);
});

test('citations are numbered in reference order and link to their entry', async ({ page, request, baseURL }) => {
  const chapters = chapterPaths((await crawlSite(request, baseURL!)).map((p) => p.path));
  let citationsSeen = 0;
  for (const path of chapters) {
    await page.goto(path);
    const referenceIds = await page.locator('.references__item').evaluateAll((items) => items.map((item) => item.id));
    for (const cite of await page.locator('a.cite').all()) {
      const href = (await cite.getAttribute('href'))!;
      const position = referenceIds.indexOf(href.slice(1));
      expect(position, `${href} on ${path} is in the reference list`).toBeGreaterThanOrEqual(0);
      await expect(cite).toHaveText(new RegExp(`^\\[${position + 1}(, .+)?\\]$`));
      citationsSeen++;
    }
  }
  expect(citationsSeen, 'chapters cite their sources with <Cite>').toBeGreaterThan(0);
});

test('a glossary term shows its definition on keyboard focus and hover, and Escape hides it', async ({ page, request, baseURL }) => {
  const pages = await crawlSite(request, baseURL!);
  const withTerm = pages.find((p) => p.html.includes('term__word'));
  expect(withTerm, 'a page that uses <Term>').toBeDefined();
  await page.goto(withTerm!.path);
  const term = page.locator('.term__word').first();
  const definitionId = (await term.getAttribute('aria-describedby'))!;
  const definition = page.locator(`[id="${definitionId}"]`);
  await expect(definition).toHaveRole('tooltip');
  await expect(definition).toBeHidden();
  const description = (await definition.textContent())!.trim();
  await expect(term).toHaveAccessibleDescription(description);

  await term.focus();
  await expect(definition).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(definition).toBeHidden();
  // Focus moves on; the pointer then rests on the term.
  await page.keyboard.press('Tab');
  await expect(term).not.toBeFocused();
  // Tab may land on the next term, whose definition then shows and can cover this one: close it.
  await page.keyboard.press('Escape');
  await term.hover({ timeout: 15_000 });
  await expect(definition).toBeVisible();
  await definition.hover();
  await expect(definition).toBeVisible();
});

test('print leaves out navigation, search and toggles, and keeps the chapter text', async ({ page, request, baseURL }) => {
  const [chapter] = chapterPaths((await crawlSite(request, baseURL!)).map((p) => p.path));
  await page.goto(chapter);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('banner')).toBeHidden();
  await expect(page.getByRole('navigation', { name: 'Chapters' })).toBeHidden();
  await expect(page.getByRole('navigation', { name: 'On this page' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Dark mode' })).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.locator('.chapter__body')).toBeVisible();
  // Widgets print their picture, not their controls.
  for (const widget of await page.locator('[data-widget]').all()) {
    await expect(widget.locator('button:visible, input:visible, select:visible')).toHaveCount(0);
  }
  // Print is always light, whatever the screen theme.
  await page.emulateMedia({ media: 'screen', colorScheme: 'dark' });
  await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
  await page.emulateMedia({ media: 'print' });
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(255, 255, 255)');
});

test('an unknown address gets the 404 page with a way back', async ({ page }) => {
  const response = await page.goto('/no-such-page/');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await expect(page.getByRole('main').getByRole('link', { name: 'course map' })).toHaveAttribute('href', '/');
});
