/**
 * Where the main thread spends its time while two gradient-flow widgets train: a 5 s CPU profile
 * (Chrome DevTools Protocol) of /lessons/vanishing-gradients/ from dist-engine/, summarised by
 * self time per function. Serve dist-engine first, e.g.
 *   python3 -m http.server 4493 --bind 127.0.0.1 --directory dist-engine
 * then `npx tsx bench/profile-widgets.ts 4493`.
 */
import { chromium } from '@playwright/test';
import { selfTimeByFunction } from './trace-summary';

const port = Number(process.argv[2] ?? 4493);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 6000 } });
await page.goto(`http://127.0.0.1:${port}/lessons/vanishing-gradients/`);
const ids = ['vg-naive-sigmoid', 'vg-batchnorm'];
await page.locator(`[data-widget-id="${ids[0]}"]`).scrollIntoViewIfNeeded();
for (const id of ids) await page.locator(`[data-widget-id="${id}"]`).getByRole('button', { name: 'Play' }).click();
await page.waitForTimeout(2000);
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.start');
await page.waitForTimeout(5000);
const { profile } = await cdp.send('Profiler.stop');
const self = selfTimeByFunction(profile);
const total = self.reduce((sum, [, ms]) => sum + ms, 0);
console.log(`main thread, 5 s profile: ${total.toFixed(0)} ms sampled`);
for (const [key, ms] of self.slice(0, 25)) console.log(`${ms.toFixed(0).padStart(6)} ms  ${key}`);
await browser.close();
