/**
 * What the main thread does while chapter 6's live U-Net trains: a Chrome trace (time per trace
 * event inside tasks over 50 ms) and a CPU profile (self time per function) of /lessons/unet/
 * from a served build.
 *   python3 -m http.server 4440 --bind 127.0.0.1 --directory dist
 *   npx tsx bench/unet-trace.ts 4440 [seconds]
 */
import { chromium } from '@playwright/test';
import { mainThreadTasks, selfTimeByFunction, timeInsideTasks, type TraceEvent } from './trace-summary';

const port = Number(process.argv[2] ?? 4440);
const seconds = Number(process.argv[3] ?? 20);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
await page.goto(`http://127.0.0.1:${port}/lessons/unet/`);
const widget = page.locator('[data-widget-id="unet"]');
await widget.scrollIntoViewIfNeeded();
await page.waitForTimeout(1000);
await widget.getByRole('button', { name: 'Play' }).click();
await page.waitForFunction(() => (document.querySelector('[data-widget-id="unet"]') as unknown as { getState(): { step: number } }).getState().step > 0, undefined, { timeout: 60_000 });
const cdp = await page.context().newCDPSession(page);
const events: TraceEvent[] = [];
cdp.on('Tracing.dataCollected', (data) => events.push(...(data.value as unknown as TraceEvent[])));
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
await cdp.send('Profiler.start');
await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
await page.waitForTimeout(seconds * 1000);
const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
await cdp.send('Tracing.end');
await done;
const { profile } = await cdp.send('Profiler.stop');
const step = await widget.evaluate((element) => (element as unknown as { getState(): { step: number } }).getState().step);
const { onMain, tasks } = mainThreadTasks(events);
console.log(`step ${step}; ${tasks.length} tasks over 50 ms in ${seconds} s; longest ${Math.max(0, ...tasks.map((t) => t.dur! / 1000)).toFixed(0)} ms`);
console.log(`durations: ${tasks.map((t) => (t.dur! / 1000).toFixed(0)).join(' ')}`);
const byName = timeInsideTasks(onMain, tasks);
console.log('inside long tasks, by trace event (nested events count in each):');
for (const [name, ms] of byName.slice(0, 25)) console.log(`${ms.toFixed(0).padStart(7)} ms  ${name}`);
console.log('main thread CPU profile, self time:');
for (const [key, ms] of selfTimeByFunction(profile).slice(0, 25)) console.log(`${ms.toFixed(0).padStart(6)} ms  ${key}`);
await browser.close();
