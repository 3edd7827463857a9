/**
 * Long main-thread tasks while chapter 6's live U-Net trains on its defaults, against a served
 * build (the same probe as `npm run bench -- --only-unet`, with every long task's duration):
 *   python3 -m http.server 4440 --bind 127.0.0.1 --directory dist
 *   npx tsx bench/unet-longtasks.ts 4440 [seconds] [width] [height]
 */
import { chromium } from '@playwright/test';
import { measureUnetWidget } from './unet-widget';

const port = Number(process.argv[2] ?? 4440);
const seconds = Number(process.argv[3] ?? 60);
const viewport = { width: Number(process.argv[4] ?? 1280), height: Number(process.argv[5] ?? 1000) };
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const figure = await measureUnetWidget(browser, `http://127.0.0.1:${port}`, seconds, viewport);
  console.log(`${viewport.width}×${viewport.height}, ${figure.seconds.toFixed(1)} s from Play: ${figure.status} at step ${figure.steps}, ${figure.stepsPerSecond.toFixed(1)} steps/s`);
  for (const row of figure.iou) console.log(`  test IoU, ${row.label}: ${row.iou.toFixed(3)} at step ${row.step}`);
  console.log(`longest task ${Math.round(figure.longestTaskMs)} ms, ${figure.longTasks} tasks over 50 ms`);
  console.log(`durations: ${figure.durations.join(' ')}`);
} finally {
  await browser.close();
}
