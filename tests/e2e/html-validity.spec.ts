/**
 * Every built page is valid HTML, checked with html-validate's "standard" rules (the WHATWG
 * content models, required attributes, duplicate ids, ...), plus one rule of our own for the parse
 * error html-validate does not model: content after </html> (a page script placed outside the
 * layout ends up there; the Nu checker calls it "Stray start tag"). Reads dist/, so it runs after
 * the build, with the other browser tests; it needs no browser.
 */
import { expect, test } from '@playwright/test';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { HtmlValidate, Rule, type DOMReadyEvent, type Plugin } from 'html-validate';

const DIST = 'dist';
/** Generated assets and the search index: not pages. */
const NOT_PAGES = new Set(['_astro', 'pagefind']);

class NoContentAfterHtml extends Rule {
  setup(): void {
    this.on('dom:ready', (event: DOMReadyEvent) => {
      for (const element of event.document.root.childElements) {
        if (element.tagName !== 'html') this.report(element, `<${element.tagName}> after </html> (a stray element; move it inside <body>)`);
      }
    });
  }
}

const coursePlugin: Plugin = { name: 'course', rules: { 'course/no-content-after-html': NoContentAfterHtml } };

async function builtPages(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return NOT_PAGES.has(entry.name) ? [] : builtPages(path);
      return entry.name.endsWith('.html') ? [path] : [];
    }),
  );
  return nested.flat();
}

test('every built page is valid HTML', async () => {
  const validator = new HtmlValidate({
    plugins: [coursePlugin],
    extends: ['html-validate:standard'],
    rules: { 'course/no-content-after-html': 'error' },
  });
  const pages = await builtPages(DIST);
  // The home page, the 404 page, the progress page, a lab and the chapters at least.
  expect(pages.length).toBeGreaterThanOrEqual(5);
  const problems: string[] = [];
  for (const page of pages) {
    const report = await validator.validateString(await readFile(page, 'utf8'), page);
    for (const result of report.results) {
      for (const message of result.messages) {
        problems.push(`${relative(DIST, page)}:${message.line}:${message.column} ${message.ruleId}: ${message.message}`);
      }
    }
  }
  expect(problems).toEqual([]);
});
