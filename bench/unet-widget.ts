/**
 * The live U-Net's figure for `npm run bench`: plays the chapter 6 widget on its defaults in
 * headless Chromium for up to 60 s and reports its training speed (steps per second, both
 * networks per step), the test IoU of both networks at the end of that minute, and the longest
 * main-thread task while it trains (target: none over 50 ms). Figures only, no assertions.
 */
import type { Browser } from '@playwright/test';

export interface UnetWidgetFigure {
  seconds: number;
  steps: number;
  stepsPerSecond: number;
  status: string;
  iou: { label: string; step: number; iou: number }[];
  longestTaskMs: number;
  longTasks: number;
  /** Every long task's duration (ms, rounded), in order. */
  durations: number[];
}

interface Probe {
  status: string;
  step: number;
  variants: { label: string; evaluations: { step: number; iou: number }[] }[];
}

export async function measureUnetWidget(browser: Browser, baseUrl: string, windowSeconds = 60, viewport = { width: 1280, height: 1000 }): Promise<UnetWidgetFigure> {
  const page = await browser.newPage({ viewport });
  try {
    await page.addInitScript(() => {
      const longest = { duration: 0, count: 0, durations: [] as number[] };
      (window as unknown as { __longTasks: typeof longest }).__longTasks = longest;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          longest.count++;
          longest.duration = Math.max(longest.duration, entry.duration);
          longest.durations.push(Math.round(entry.duration));
        }
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`${baseUrl}/lessons/unet/`);
    const widget = page.locator('[data-widget-id="unet"]');
    await widget.scrollIntoViewIfNeeded();
    await page.waitForTimeout(1000);
    await page.evaluate(() => {
      const longest = (window as unknown as { __longTasks: { duration: number; count: number; durations: number[] } }).__longTasks;
      longest.duration = 0;
      longest.count = 0;
      longest.durations = [];
    });
    const probe = () =>
      widget.evaluate((element) => {
        const state = (element as unknown as { getState(): { status: string; step: number; snapshot?: unknown } }).getState();
        const snapshot = state.snapshot as { variants?: Probe['variants'] } | undefined;
        return JSON.parse(JSON.stringify({ status: state.status, step: state.step, variants: snapshot?.variants?.map((v) => ({ label: v.label, evaluations: v.evaluations })) ?? [] })) as Probe;
      });
    await widget.getByRole('button', { name: 'Play' }).click();
    const started = Date.now();
    // Speed is counted from the first step, so worker start-up and TF.js loading are left out.
    let firstStep: { at: number; step: number } | undefined;
    let state = await probe();
    while (Date.now() - started < windowSeconds * 1000) {
      await page.waitForTimeout(250);
      state = await probe();
      if (!firstStep && state.step > 0) firstStep = { at: Date.now(), step: state.step };
      if (state.status === 'finished' || state.status === 'error' || state.status === 'diverged') break;
    }
    const elapsed = firstStep ? (Date.now() - firstStep.at) / 1000 : 0;
    const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: { duration: number; count: number; durations: number[] } }).__longTasks);
    return {
      seconds: (Date.now() - started) / 1000,
      steps: state.step,
      stepsPerSecond: firstStep && elapsed > 0 ? (state.step - firstStep.step) / elapsed : 0,
      status: state.status,
      iou: state.variants.map((v) => {
        const last = v.evaluations[v.evaluations.length - 1];
        return { label: v.label, step: last?.step ?? 0, iou: last?.iou ?? NaN };
      }),
      longestTaskMs: longTasks.duration,
      longTasks: longTasks.count,
      durations: longTasks.durations,
    };
  } finally {
    await page.close();
  }
}
