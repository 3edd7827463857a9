/**
 * `npm run bench [-- --seconds 4 --skip-site]`: performance figures in headless Chromium, the five
 * of issue 15 each printed with its target (figures only: nothing here asserts a time).
 *
 * 1. Bundles bench/ (a harness page with two workers: the engine on wasm, and a hand-written
 *    Float32Array version of the same network) with Vite into dist-engine-bench/, serves it on
 *    127.0.0.1:4403 and prints steps/s for the reference network (input 2, 10 tanh layers of 16,
 *    output 1, MSE, SGD, batch 64): engine with read-back every step and every 10 steps,
 *    hand-written, their ratio, and the cost of 8 batched runs relative to 1.
 * 2. Builds the site into dist-engine/ (under the shared build lock; --skip-site reuses the last
 *    build), opens the vanishing-gradients chapter, plays two of its gradient-flow widgets at
 *    once and prints the longest main-thread task (Long Tasks API), at a viewport tall enough for
 *    both and at 1366 × 900.
 * 3. On the same build: the degradation lab's default figure (24 networks × 300 steps) from Play to
 *    the whole result, on the pool of workers the page sizes from navigator.hardwareConcurrency
 *    (--single-worker-too: also on one worker, for comparison); then the memory of that chapter
 *    page with its widgets trained (performance.measureUserAgentSpecificMemory: page and workers;
 *    the server sends the cross-origin isolation headers it needs).
 * 4. First record on screen after a training widget scrolls into view, for every training widget
 *    of every chapter: the reader scrolls to a screen above it, then on into view and presses Play.
 * 5. Chapter 6's live U-Net on its defaults, played for up to a minute: steps/s (both networks per
 *    step), both networks' test IoU at the end and the longest main-thread task (`--only-unet`: just this).
 *
 * --only-engine, --only-site, --only-mlp, --only-graph, --only-unet narrow it down.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium, type Browser, type Page } from '@playwright/test';
import { build } from 'vite';
import type { BenchResult } from '../../bench/reference';
import type { GraphBenchImplementation, GraphBenchModel, GraphBenchResult } from '../../bench/graph-reference';
import { measureUnetWidget } from '../../bench/unet-widget';

const root = resolve(import.meta.dirname, '../..');
const PORT = Number(process.env.BENCH_PORT ?? 4403);
const benchOut = join(root, 'dist-engine-bench');
const siteOut = join(root, 'dist-engine');
// ForceEagerMeasureMemory: measureUserAgentSpecificMemory answers at once instead of at the next GC.
const CHROMIUM_ARGS = ['--enable-blink-features=ForceEagerMeasureMemory', '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const args = process.argv.slice(2);
const numberFlag = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) || fallback : fallback);
const seconds = numberFlag('--seconds', 2);
const rounds = numberFlag('--rounds', 3);
const skipSite = args.includes('--skip-site');
/** --only-graph: just the reference conv net and transformer; --only-mlp: just the reference MLP. */
const only = args.includes('--only-graph') ? 'graph' : args.includes('--only-mlp') ? 'mlp' : '';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

/** isolated: send COOP/COEP, so the page may measure its memory (measureUserAgentSpecificMemory). */
function serve(directory: string, isolated = false): Promise<Server> {
  const isolation = isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    let file = join(directory, path);
    if (!file.startsWith(directory)) {
      response.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', ...isolation }).end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  // The preferred port may be taken on a shared machine: then any free one.
  return new Promise((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') return fail(error);
      server.listen(0, '127.0.0.1', () => done(server));
    });
    server.listen(PORT, '127.0.0.1', () => done(server));
  });
}

function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((done) => server.close(() => done()));
}

function launch(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return chromium.launch({ executablePath: existsSync(executablePath) ? executablePath : undefined, args: CHROMIUM_ARGS });
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);

async function engineFigures(browser: Browser): Promise<void> {
  process.stderr.write('Bundling the bench harness with Vite…\n');
  await build({
    root: join(root, 'bench'),
    configFile: false,
    base: './',
    logLevel: 'warn',
    build: { outDir: benchOut, emptyOutDir: true, target: 'es2022' },
    worker: { format: 'es' },
  });
  const server = await serve(benchOut);
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    process.stderr.write(`Measuring (${rounds} interleaved rounds, ${seconds} s per figure)…\n`);
    await page.goto(`http://127.0.0.1:${portOf(server)}/index.html?seconds=${seconds}&rounds=${rounds}&only=${only}`);
    // The graph models take longer per figure (start-up, and seconds per step on cpu).
    await page.waitForFunction(() => window.__bench?.done === true, undefined, { timeout: ((seconds + 20) * 14 * rounds + 300) * 1000, polling: 500 });
    const state = await page.evaluate(() => window.__bench!);
    if (state.error || errors.length > 0) throw new Error(`bench page failed: ${state.error ?? errors.join('; ')}`);
    if (only !== 'graph') printMlpFigures(state.results);
    if (only !== 'mlp') printGraphFigures(state.graphResults);
    await page.close();
  } finally {
    await closeServer(server);
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function printMlpFigures(results: BenchResult[]): void {
  const series = (name: string, readEvery: number, runs: number) =>
    results.filter((r: BenchResult) => r.name === name && r.readEvery === readEvery && r.runs === runs).sort((a, b) => (a.round ?? 0) - (b.round ?? 0));
  const hand = series('hand-written', 1, 1);
  const hand8 = series('hand-written', 1, 8);
  const every1 = series('engine', 1, 1);
  const every10 = series('engine', 10, 1);
  const eight = series('engine', 10, 8);
  const pooled = series('engine-pool', 10, 8);
  const rate = (list: BenchResult[]) => median(list.map((r) => r.stepsPerSecond));
  const spread = (list: BenchResult[]) => list.map((r) => fmt(r.stepsPerSecond)).join(', ');
  const perRound = (a: BenchResult[], b: BenchResult[]) => median(a.map((r, i) => r.stepsPerSecond / b[i].stepsPerSecond));
  console.log('Reference network: input 2, 10 hidden tanh layers of width 16, output 1, MSE, SGD, batch 64');
  console.log(`Engine backend: ${every1[0].backend}; medians of ${rounds} interleaved rounds (each round's figures in brackets)`);
  console.log(`  engine, read-back every step         ${fmt(rate(every1)).padStart(6)} steps/s  [${spread(every1)}]`);
  console.log(`  engine, read-back every 10 steps     ${fmt(rate(every10)).padStart(6)} steps/s  [${spread(every10)}]`);
  console.log(`  hand-written Float32Array            ${fmt(rate(hand)).padStart(6)} steps/s  [${spread(hand)}]`);
  console.log(`  engine / hand-written, every 10 steps ${fmt(perRound(every10, hand), 2).padStart(5)} ×   (target ≥ 1.0 ×)`);
  console.log(`  engine / hand-written, every step     ${fmt(perRound(every1, hand), 2).padStart(5)} ×   (target ≥ 0.85 ×)`);
  console.log(`  8 batched runs: ${fmt(rate(eight))} steps/s each → 8 runs cost ${fmt(perRound(every10, eight), 2)} × one run (target ≤ 2.5 ×; hand-written, one after another: ${fmt(perRound(hand, hand8), 2)} ×)`);
  if (pooled.length > 0) {
    console.log(`  8 runs over ${pooled[0].workers} workers (one per core, each batching its share): 8 runs cost ${fmt(perRound(every10, pooled), 2)} × one run (target ≤ 2.5 ×)`);
  }
  console.log(`  (each engine step also records per-layer gradient norms, weight norms and update ratios)`);
}

const IMPLEMENTATION_NAMES: Record<GraphBenchImplementation, string> = {
  engine: 'engine (graph model)',
  layers: 'Layers API',
  'layers-one-hot': 'Layers API, one-hot input',
};

/** Steps/s of the engine and the Layers API on the reference conv net and transformer, and their ratios. */
function printGraphFigures(results: GraphBenchResult[]): void {
  const titles: Record<GraphBenchModel, string> = {
    conv: 'Reference conv net: 32×32×1 input, 4 conv layers of 8 channels (3×3, ReLU), global average pool, 3 classes; batch 32, Adam',
    transformer: 'Reference transformer: 2 pre-LN blocks, d_model 32, 4 heads, FFN 64, sequence 12, vocabulary 10 (sort task); batch 32, Adam',
  };
  for (const model of ['conv', 'transformer'] as const) {
    console.log(titles[model]);
    const ofModel = results.filter((r) => r.model === model);
    const keys = [...new Set(ofModel.map((r) => `${r.implementation}|${r.backend}`))];
    const rates = new Map<string, number>();
    for (const key of keys) {
      const [implementation, backend] = key.split('|') as [GraphBenchImplementation, string];
      const series = ofModel.filter((r) => `${r.implementation}|${r.backend}` === key);
      const label = `${IMPLEMENTATION_NAMES[implementation]}, ${backend}`.padEnd(36);
      const failed = series.find((r) => r.error);
      if (failed) {
        console.log(`  ${label} cannot train: ${failed.error}`);
        continue;
      }
      const ran = series.map((r) => r.stepsPerSecond ?? NaN);
      rates.set(key, median(ran));
      const fallback = series.some((r) => r.backendUsed !== backend) ? ` (ran on ${series[0].backendUsed})` : '';
      console.log(`  ${label} ${fmt(median(ran), 2).padStart(7)} steps/s  [${ran.map((v) => fmt(v, 2)).join(', ')}]${fallback}`);
    }
    const ratio = (a: string, b: string, text: string) => {
      const top = rates.get(a);
      const bottom = rates.get(b);
      if (top !== undefined && bottom !== undefined) console.log(`  ${text}: ${fmt(top / bottom, 2)}×`);
    };
    const layersBest = [...rates.entries()].filter(([key]) => !key.startsWith('engine')).sort((a, b) => b[1] - a[1])[0];
    if (layersBest) ratio('engine|wasm', layersBest[0], `engine on wasm / fastest Layers API set-up that trains (${layersBest[0].replace('|', ', ')}) (target ≥ 1.2×)`);
    ratio('engine|cpu', 'layers|cpu', 'engine / Layers API, both on cpu');
    ratio('engine|wasm', 'layers-one-hot|wasm', 'engine / Layers API with one-hot input, both on wasm');
  }
}

interface WidgetProbe {
  id: string;
  status: string;
  step: number;
}

/** A page that collects its console errors and uncaught exceptions. */
async function openPage(browser: Browser, viewport: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return { page, errors };
}

/** A widget's state, read from its element. */
function probeWidgets(page: Page, ids: string[]): Promise<(WidgetProbe & { records: number })[]> {
  return page.evaluate(
    (widgetIds) =>
      widgetIds.map((id) => {
        const element = document.querySelector(`[data-widget-id="${id}"]`) as unknown as { getState(): { status: string; step: number; records: unknown[] } };
        const state = element.getState();
        return { id, status: state.status, step: state.step, records: state.records.length };
      }),
    ids,
  );
}

function buildSite(): void {
  if (skipSite && existsSync(join(siteOut, 'index.html'))) return;
  process.stderr.write('Building the site into dist-engine/ (waits for the shared build lock)…\n');
  const result = spawnSync('flock', ['/tmp/astro-build.lock', 'npx', 'astro', 'build', '--outDir', 'dist-engine'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error('astro build failed');
}

/**
 * Longest main-thread task while gradient-flow widgets of chapter 2 train. `tall`: two widgets at
 * once, the viewport grown to hold both (a widget pauses off-screen); otherwise the given viewport
 * (1366 × 900 holds one of the chapter's widgets at a time: one trains).
 */
async function longTaskFigure(browser: Browser, origin: string, viewport: { width: number; height: number }, tall: boolean): Promise<void> {
  const { page, errors } = await openPage(browser, viewport);
  // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
  await page.addInitScript(`
    window.__longTasks = { duration: 0, count: 0 };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        window.__longTasks.count++;
        window.__longTasks.duration = Math.max(window.__longTasks.duration, entry.duration);
      }
    }).observe({ type: 'longtask', buffered: true });
    window.__charts = { draws: 0 };
    new MutationObserver((changes) => {
      window.__charts.draws += new Set(changes.map((change) => change.target.closest && change.target.closest('.chart-plot') && change.target.closest('[data-widget]')).filter(Boolean)).size;
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['d', 'width', 'height'] });
  `);
  await page.goto(`${origin}/lessons/vanishing-gradients/`);
  const widgets = page.locator('[data-widget="gradient-flow"]');
  const count = await widgets.count();
  if (count < 2) throw new Error(`expected two gradient-flow widgets on the chapter page, found ${count}`);
  const ids = (tall ? [await widgets.nth(0).getAttribute('data-widget-id'), await widgets.nth(2 < count ? 2 : 1).getAttribute('data-widget-id')] : [await widgets.nth(0).getAttribute('data-widget-id')]) as string[];
  const span = async () => {
    const boxes = await Promise.all(ids.map((id) => page.locator(`[data-widget-id="${id}"]`).evaluate((element) => {
      const rect = element.getBoundingClientRect();
      return { top: rect.top + window.scrollY, bottom: rect.bottom + window.scrollY };
    })));
    return { top: Math.min(...boxes.map((b) => b.top)), bottom: Math.max(...boxes.map((b) => b.bottom)) };
  };
  let { top, bottom } = await span();
  if (tall) {
    // Widgets pause off-screen: make the viewport tall enough to hold both, then start them.
    await page.setViewportSize({ width: viewport.width, height: Math.min(Math.ceil(bottom - top) + 200, 10_000) });
    ({ top, bottom } = await span());
    await page.evaluate((y) => window.scrollTo(0, y), top - 100);
  }
  const readLongTasks = (reset: boolean) =>
    page.evaluate((clear) => {
      const longest = (window as unknown as { __longTasks: { duration: number; count: number } }).__longTasks;
      const before = { ...longest };
      if (clear) {
        longest.duration = 0;
        longest.count = 0;
      }
      return before;
    }, reset);
  // Baseline: the same page with nothing training, to separate machine load from the widgets.
  await page.waitForTimeout(1000);
  await readLongTasks(true);
  await page.waitForTimeout(4000);
  const idle = await readLongTasks(true);
  for (const id of ids) {
    const play = page.locator(`[data-widget-id="${id}"]`).getByRole('button', { name: 'Play' });
    if (!tall) await play.scrollIntoViewIfNeeded();
    await play.click();
  }
  const drawCount = () => page.evaluate(() => (window as unknown as { __charts: { draws: number } }).__charts.draws);
  const drawsBefore = await drawCount();
  const started = Date.now();
  let states = await probeWidgets(page, ids);
  const windowMs = 12_000;
  while (Date.now() - started < windowMs) {
    await page.waitForTimeout(500);
    states = await probeWidgets(page, ids);
    if (states.every((state) => state.status !== 'running' && state.step > 0)) break;
  }
  const elapsed = (Date.now() - started) / 1000;
  const draws = (await drawCount()) - drawsBefore;
  const longTasks = await readLongTasks(false);
  const size = tall ? `${viewport.width} wide, tall enough for both` : `${viewport.width} × ${viewport.height}`;
  console.log(`${ids.length === 2 ? 'Two gradient-flow widgets training at once' : 'One gradient-flow widget training'} (/lessons/vanishing-gradients/, ${ids.join(' + ')}, viewport ${size}, ${fmt(elapsed, 1)} s):`);
  for (const state of states) console.log(`  ${state.id}: ${state.status} at step ${state.step}`);
  const describe = (figures: { duration: number; count: number }) => (figures.count === 0 ? 'none over 50 ms' : `${fmt(figures.duration)} ms (${figures.count} long tasks)`);
  console.log(`  longest main-thread task while training: ${describe(longTasks)}; target: none over 50 ms`);
  console.log(`  chart redraws: ${fmt(draws / elapsed / ids.length, 1)} per second per widget (target ≥ 10)`);
  console.log(`  longest main-thread task on the same page, idle, 4 s before: ${describe(idle)}`);
  if (errors.length > 0) console.log(`  page errors: ${errors.join(' | ')}`);
  await page.close();
}

/** Seconds from Play to the degradation lab's whole default result, on `cores` reported cores (undefined: the machine's). */
async function degradationFigure(browser: Browser, origin: string, cores: number | undefined): Promise<{ seconds: number; workers: number; page: Page; errors: string[] }> {
  const { page, errors } = await openPage(browser, { width: 1280, height: 1000 });
  if (cores !== undefined) await page.addInitScript((count) => Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => count }), cores);
  await page.goto(`${origin}/lessons/degradation/`);
  const lab = page.locator('[data-widget-id="degradation-lab"]');
  await lab.scrollIntoViewIfNeeded();
  // The reader arrives at the lab after reading: the workers had time to load.
  await page.waitForTimeout(3000);
  const workers = await page.evaluate(() => Math.max(1, Math.min(8, navigator.hardwareConcurrency || 1)));
  const started = Date.now();
  await lab.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(
    () => (document.querySelector('[data-widget-id="degradation-lab"]') as unknown as { getState(): { status: string } }).getState().status === 'finished',
    undefined,
    { timeout: 300_000, polling: 100 },
  );
  return { seconds: (Date.now() - started) / 1000, workers, page, errors };
}

/** JS heap of the page and its workers (measureUserAgentSpecificMemory), in MB; undefined where the browser cannot say. */
async function pageMemoryMB(page: Page): Promise<number | undefined> {
  return page.evaluate(async () => {
    const measure = (performance as unknown as { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> }).measureUserAgentSpecificMemory;
    if (!measure || !crossOriginIsolated) return undefined;
    const result = await measure.call(performance);
    return result.bytes / 1e6;
  });
}

/** Trains every training widget on the page to its end (one after another, each in view). */
async function trainEveryWidget(page: Page): Promise<string[]> {
  const ids = await page.locator('[data-widget]').evaluateAll((elements) =>
    elements.filter((element) => 'getState' in element && element.querySelector('[data-part="play"]')).map((element) => element.getAttribute('data-widget-id') ?? ''),
  );
  for (const id of ids) {
    const widget = page.locator(`[data-widget-id="${id}"]`);
    await widget.scrollIntoViewIfNeeded();
    const [state] = await probeWidgets(page, [id]);
    if (state.status === 'finished') continue;
    await widget.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(
      (widgetId) => !['running', 'loading'].includes((document.querySelector(`[data-widget-id="${widgetId}"]`) as unknown as { getState(): { status: string } }).getState().status),
      id,
      { timeout: 600_000, polling: 250 },
    );
  }
  return ids;
}

async function degradationAndMemoryFigures(browser: Browser, origin: string): Promise<void> {
  const pooled = await degradationFigure(browser, origin, undefined);
  console.log('Degradation lab, default figure (24 networks × 300 steps), Play to the whole result:');
  console.log(`  ${fmt(pooled.seconds, 1)} s on a pool of ${pooled.workers} workers (navigator.hardwareConcurrency); target ≤ 15 s`);
  if (args.includes('--single-worker-too')) {
    const single = await degradationFigure(browser, origin, 1);
    console.log(`  ${fmt(single.seconds, 1)} s on one worker`);
    await single.page.close();
  }
  const trained = await trainEveryWidget(pooled.page);
  const memory = await pageMemoryMB(pooled.page);
  console.log(`Memory of /lessons/degradation/ with its ${trained.length} training widgets trained to the end (page and workers):`);
  console.log(`  ${memory === undefined ? 'not measurable in this browser' : `${fmt(memory)} MB`}; target < 300 MB`);
  // Scrolled far away, the widgets let their workers go.
  await pooled.page.evaluate(() => window.scrollTo(0, 0));
  await pooled.page.setViewportSize({ width: 1280, height: 200 });
  await pooled.page.waitForTimeout(1500);
  const released = await pageMemoryMB(pooled.page);
  if (released !== undefined) console.log(`  ${fmt(released)} MB after scrolling to the top of the page (finished widgets far away release their workers)`);
  if (pooled.errors.length > 0) console.log(`  page errors: ${pooled.errors.join(' | ')}`);
  await pooled.page.close();
}

/**
 * For every training widget on every chapter page: the reader scrolls to a screen above the widget
 * (it starts loading its worker), reads for a moment, scrolls it into view and presses Play; the
 * figure is the time from the scroll into view to its first record drawn (the frame after it came).
 */
async function firstRecordFigures(browser: Browser, origin: string): Promise<void> {
  const lessons = (await readdir(join(siteOut, 'lessons'), { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const viewport = { width: 1280, height: 900 };
  const times: { where: string; ms: number }[] = [];
  for (const lesson of lessons) {
    const { page } = await openPage(browser, viewport);
    await page.goto(`${origin}/lessons/${lesson}/`);
    const ids = await page.locator('[data-widget]').evaluateAll((elements) =>
      elements.filter((element) => 'getState' in element && element.querySelector('[data-part="play"]')).map((element) => element.getAttribute('data-widget-id') ?? ''),
    );
    for (const id of ids) {
      const widget = page.locator(`[data-widget-id="${id}"]`);
      const top = await widget.evaluate((element) => element.getBoundingClientRect().top + window.scrollY);
      // One and a half screens above: outside the load margin, then reading the screen before the widget.
      await page.evaluate((y) => window.scrollTo(0, Math.max(0, y)), top - viewport.height * 2.5);
      await page.waitForTimeout(300);
      await page.evaluate((y) => window.scrollTo(0, Math.max(0, y)), top - viewport.height * 1.5);
      await page.waitForTimeout(1500);
      const ms = await widget.evaluate(async (element) => {
        const started = performance.now();
        element.scrollIntoView({ block: 'start' });
        element.querySelector<HTMLButtonElement>('[data-part="play"]')?.click();
        // No named inner functions here: tsx would wrap them in a helper the page lacks.
        await new Promise<void>((done) => {
          const timer = setInterval(() => {
            const current = (element as unknown as { getState(): { records: unknown[]; snapshot?: unknown } }).getState();
            // A widget that shows nothing within 30 s is reported at that time (clearly over target).
            if (current.records.length === 0 && current.snapshot === undefined && performance.now() - started < 30_000) return;
            clearInterval(timer);
            requestAnimationFrame(() => done());
          }, 4);
        });
        return performance.now() - started;
      });
      times.push({ where: `${lesson}#${id}`, ms });
      await widget.getByRole('button', { name: 'Pause' }).click({ timeout: 1000 }).catch(() => undefined);
    }
    await page.close();
  }
  console.log(`First record on screen after a training widget scrolls into view (${times.length} widgets, ${viewport.width} × ${viewport.height}):`);
  const slowest = times.reduce((a, b) => (a.ms > b.ms ? a : b), { where: '', ms: 0 });
  console.log(`  slowest ${fmt(slowest.ms)} ms (${slowest.where}), median ${fmt(median(times.map((t) => t.ms)))} ms; target ≤ 1000 ms for every widget`);
  for (const { where, ms } of times) console.log(`    ${fmt(ms).padStart(5)} ms  ${where}`);
}

/**
 * Chapter 6's live U-Net on its defaults: steps/s, both networks' test IoU after a minute, long
 * tasks. Served without cross-origin isolation, as a reader gets the site (isolation would let
 * TF.js pick its threaded wasm build).
 */
async function unetFigure(browser: Browser): Promise<void> {
  const server = await serve(siteOut);
  try {
    const figure = await measureUnetWidget(browser, `http://127.0.0.1:${portOf(server)}`);
    console.log(`Live U-Net (/lessons/unet/, defaults, both networks per step; ${fmt(figure.seconds, 1)} s from Play, ${figure.status} at step ${figure.steps}):`);
    console.log(`  training speed ${fmt(figure.stepsPerSecond, 1)} steps/s (from the first step); target: at least 5`);
    for (const row of figure.iou) console.log(`  test IoU, ${row.label}: ${fmt(row.iou, 3)} at step ${row.step}`);
    console.log(`  longest main-thread task while it trains: ${figure.longTasks === 0 ? 'none over 50 ms' : `${fmt(figure.longestTaskMs)} ms (${figure.longTasks} long tasks)`}`);
  } finally {
    await closeServer(server);
  }
}

async function siteFigures(browser: Browser): Promise<void> {
  buildSite();
  const server = await serve(siteOut, true);
  const origin = `http://127.0.0.1:${portOf(server)}`;
  try {
    await longTaskFigure(browser, origin, { width: 1280, height: 1000 }, true);
    await longTaskFigure(browser, origin, { width: 1366, height: 900 }, false);
    await degradationAndMemoryFigures(browser, origin);
    await firstRecordFigures(browser, origin);
  } finally {
    await closeServer(server);
  }
  await unetFigure(browser);
}

async function main(): Promise<void> {
  const browser = await launch();
  try {
    if (args.includes('--only-unet')) {
      buildSite();
      await unetFigure(browser);
      return;
    }
    if (!args.includes('--only-site')) await engineFigures(browser);
    if (!args.includes('--only-engine')) await siteFigures(browser);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
