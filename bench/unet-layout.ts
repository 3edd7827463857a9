/**
 * Heights of chapter 6's live U-Net before Play and after its masks are drawn, at the laptop and
 * phone sizes of tests/e2e/widget-layout.spec.ts, from a served build:
 *   npx tsx bench/unet-layout.ts 4440
 */
import { chromium } from '@playwright/test';

const port = Number(process.argv[2] ?? 4440);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
for (const viewport of [
  { width: 1366, height: 768 },
  { width: 390, height: 844 },
]) {
  const page = await browser.newPage({ viewport });
  // tsx keeps function names with a helper the page does not have.
  await page.addInitScript('window.__name = (f) => f');
  await page.goto(`http://127.0.0.1:${port}/lessons/unet/`);
  const widget = page.locator('[data-widget-id="unet"]');
  await widget.scrollIntoViewIfNeeded();
  await page.waitForTimeout(500);
  const measure = () =>
    widget.evaluate((element) => {
      const height = (selector: string) => Math.round(element.querySelector(selector)?.getBoundingClientRect().height ?? NaN);
      const width = (selector: string) => Math.round(element.querySelector(selector)?.getBoundingClientRect().width ?? NaN);
      return {
        widget: Math.round(element.getBoundingClientRect().height),
        masks: height('[data-chart="masks"]'),
        iou: height('[data-chart="iou"]'),
        bars: height('[data-chart="grad-skips"]'),
        chartsWidth: width('[data-part="charts"]'),
        masksWidth: width('[data-chart="masks"]'),
        baked: height('.widget-baked'),
        overflow: document.documentElement.scrollWidth > document.documentElement.clientWidth,
        parts: [...element.querySelectorAll(':scope > *, [data-part="charts"] > *, [data-chart="iou"] > *')]
          .map((child) => `${child.tagName.toLowerCase()}${child.className ? `.${String(child.className).split(' ')[0]}` : ''}${(child as HTMLElement).dataset.chart ? `[${(child as HTMLElement).dataset.chart}]` : ''}:${Math.round(child.getBoundingClientRect().height)}`)
          .join(' '),
      };
    });
  const before = await measure();
  await widget.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(
    () => {
      const state = (document.querySelector('[data-widget-id="unet"]') as unknown as { getState(): { snapshot?: { variants: { evaluations: unknown[] }[] } } }).getState();
      return (state.snapshot?.variants[0]?.evaluations.length ?? 0) >= 2;
    },
    undefined,
    { timeout: 120_000 },
  );
  await page.waitForTimeout(300);
  const after = await measure();
  await widget.getByRole('button', { name: 'Pause' }).click();
  console.log(`${viewport.width}×${viewport.height} before Play: ${JSON.stringify(before)}`);
  console.log(`${viewport.width}×${viewport.height} masks drawn: ${JSON.stringify(after)}`);
  if (process.env.SHOT) await widget.screenshot({ path: `${process.env.SHOT}-${viewport.width}.png` });
  await page.close();
}
await browser.close();
