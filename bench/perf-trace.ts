/**
 * What the long main-thread tasks are made of while two gradient-flow widgets train: a Chrome
 * trace (CDP Tracing) of /lessons/vanishing-gradients/ from a served build, summarised as the
 * time per trace event name inside tasks longer than 50 ms.
 *   npx tsx bench/perf-trace.ts 4408 [seconds]
 */
import { chromium } from '@playwright/test';
import { mainThreadTasks, timeInsideTasks, type TraceEvent } from './trace-summary';

const port = Number(process.argv[2] ?? 4408);
const seconds = Number(process.argv[3] ?? 6);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
await page.goto(`http://127.0.0.1:${port}/lessons/vanishing-gradients/`);
const ids = ['vg-naive-sigmoid', 'vg-batchnorm'];
const span = await page.evaluate((widgetIds) => {
  const boxes = widgetIds.map((id) => document.querySelector(`[data-widget-id="${id}"]`)!.getBoundingClientRect());
  return { top: Math.min(...boxes.map((b) => b.top + scrollY)), bottom: Math.max(...boxes.map((b) => b.bottom + scrollY)) };
}, ids);
await page.setViewportSize({ width: 1280, height: Math.min(Math.ceil(span.bottom - span.top) + 200, 10_000) });
await page.evaluate((y) => window.scrollTo(0, y), span.top - 100);
for (const id of ids) await page.locator(`[data-widget-id="${id}"]`).getByRole('button', { name: 'Play' }).click();
await page.waitForTimeout(3000);
const cdp = await page.context().newCDPSession(page);
const events: TraceEvent[] = [];
cdp.on('Tracing.dataCollected', (data) => events.push(...(data.value as unknown as typeof events)));
await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
await page.waitForTimeout(seconds * 1000);
const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
await cdp.send('Tracing.end');
await done;
const { onMain, tasks } = mainThreadTasks(events);
console.log(`${tasks.length} tasks over 50 ms in ${seconds} s; longest ${Math.max(0, ...tasks.map((t) => t.dur! / 1000)).toFixed(0)} ms`);
const byName = timeInsideTasks(onMain, tasks);
for (const [name, ms] of byName.slice(0, 25)) console.log(`${ms.toFixed(0).padStart(7)} ms  ${name}`);
const allByName = new Map<string, number>();
for (const event of onMain) if (['UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Layerize', 'Commit', 'FunctionCall', 'ParseHTML', 'HitTest'].includes(event.name)) allByName.set(event.name, (allByName.get(event.name) ?? 0) + (event.dur ?? 0) / 1000);
console.log('all main-thread time by kind:', [...allByName.entries()].map(([n, ms]) => `${n} ${ms.toFixed(0)}`).join(', '));
if (process.env.PERF_PAINTS) {
  const paints = onMain.filter((e) => e.name === (process.env.PERF_PAINTS === '1' ? 'Paint' : process.env.PERF_PAINTS)).sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0));
  console.log(`${paints.length} Paint events`);
  for (const paint of paints.slice(0, 8)) console.log(((paint.dur ?? 0) / 1000).toFixed(1), JSON.stringify(paint.args).slice(0, 300));
}
await browser.close();
