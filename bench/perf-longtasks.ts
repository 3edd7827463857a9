/**
 * Long main-thread tasks while two gradient-flow widgets train at once, against a served build:
 *   python3 -m http.server 4408 --bind 127.0.0.1 --directory dist-perf
 *   npx tsx bench/perf-longtasks.ts 4408 [seconds] [screenshot.png]
 * Prints the longest task, the count over 50 ms, the steps reached, and the records message size.
 */
import { chromium } from '@playwright/test';

const port = Number(process.argv[2] ?? 4408);
const seconds = Number(process.argv[3] ?? 10);
const screenshot = process.argv[4];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
const errors: string[] = [];
page.on('pageerror', (error) => errors.push(error.message));
page.on('console', (message) => {
  if (message.type() === 'error') errors.push(message.text());
});
await page.addInitScript(() => {
  const stats = { longest: 0, count: 0, durations: [] as number[] };
  (window as unknown as { __perf: typeof stats }).__perf = stats;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      stats.count++;
      stats.longest = Math.max(stats.longest, entry.duration);
      stats.durations.push(Math.round(entry.duration));
    }
  }).observe({ type: 'longtask', buffered: true });
});
await page.goto(`http://127.0.0.1:${port}/lessons/vanishing-gradients/`);
const ids = ['vg-naive-sigmoid', 'vg-batchnorm'];
// Tall viewport so both widgets are on screen (they pause off-screen).
const span = await page.evaluate((widgetIds) => {
  const boxes = widgetIds.map((id) => document.querySelector(`[data-widget-id="${id}"]`)!.getBoundingClientRect());
  return { top: Math.min(...boxes.map((b) => b.top + scrollY)), bottom: Math.max(...boxes.map((b) => b.bottom + scrollY)) };
}, ids);
await page.setViewportSize({ width: 1280, height: Math.min(Math.ceil(span.bottom - span.top) + 200, 10_000) });
await page.evaluate((y) => window.scrollTo(0, y), span.top - 100);
await page.waitForTimeout(1500);
await page.evaluate(() => {
  const stats = (window as unknown as { __perf: { longest: number; count: number; durations: number[] } }).__perf;
  stats.longest = 0;
  stats.count = 0;
  stats.durations = [];
});
if (!process.env.PERF_IDLE) for (const id of ids) await page.locator(`[data-widget-id="${id}"]`).getByRole('button', { name: 'Play' }).click();
await page.waitForTimeout(seconds * 1000);
const result = await page.evaluate((widgetIds) => {
  const stats = (window as unknown as { __perf: { longest: number; count: number; durations: number[] } }).__perf;
  const states = widgetIds.map((id) => {
    const state = (document.querySelector(`[data-widget-id="${id}"]`) as unknown as { getState(): { status: string; step: number; records: unknown[] } }).getState();
    return `${id}: ${state.status} step ${state.step}, ${state.records.length} records, one record ≈ ${JSON.stringify(state.records[state.records.length - 1] ?? {}).length} bytes as JSON`;
  });
  return { ...stats, states };
}, ids);
console.log(`longest task ${Math.round(result.longest)} ms, ${result.count} long tasks in ${seconds} s`);
console.log(`durations: ${result.durations.join(' ')}`);
for (const line of result.states) console.log(line);
if (screenshot) {
  await page.locator(`[data-widget-id="${ids[0]}"]`).screenshot({ path: screenshot });
}
if (errors.length) console.log(`errors: ${errors.join(' | ')}`);
await browser.close();
