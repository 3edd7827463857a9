/**
 * `npm run bench [-- --seconds 4 --skip-site]`: performance figures in headless Chromium.
 *
 * 1. Bundles bench/ (a harness page with two workers: the engine on wasm, and a hand-written
 *    Float32Array version of the same network) with Vite into dist-engine-bench/, serves it on
 *    127.0.0.1:4403 and prints steps/s for the reference network (input 2, 10 tanh layers of 16,
 *    output 1, MSE, SGD, batch 64): engine with read-back every step and every 10 steps,
 *    hand-written, their ratio, and the cost of 8 batched runs relative to 1.
 * 2. Builds the site into dist-engine/ (under the shared build lock; --skip-site reuses the last
 *    build), opens the vanishing-gradients chapter, plays two of its gradient-flow widgets at
 *    once and prints the longest main-thread task (Long Tasks API).
 *
 * Figures only: nothing here asserts a time.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium, type Browser } from '@playwright/test';
import { build } from 'vite';
import type { BenchResult } from '../../bench/reference';
import type { GraphBenchImplementation, GraphBenchModel, GraphBenchResult } from '../../bench/graph-reference';

const root = resolve(import.meta.dirname, '../..');
const PORT = Number(process.env.BENCH_PORT ?? 4403);
const benchOut = join(root, 'dist-engine-bench');
const siteOut = join(root, 'dist-engine');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

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

function serve(directory: string): Promise<Server> {
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
      response.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(body);
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
  const rate = (list: BenchResult[]) => median(list.map((r) => r.stepsPerSecond));
  const spread = (list: BenchResult[]) => list.map((r) => fmt(r.stepsPerSecond)).join(', ');
  const perRound = (a: BenchResult[], b: BenchResult[]) => median(a.map((r, i) => r.stepsPerSecond / b[i].stepsPerSecond));
  console.log('Reference network: input 2, 10 hidden tanh layers of width 16, output 1, MSE, SGD, batch 64');
  console.log(`Engine backend: ${every1[0].backend}; medians of ${rounds} interleaved rounds (each round's figures in brackets)`);
  console.log(`  engine, read-back every step         ${fmt(rate(every1)).padStart(6)} steps/s  [${spread(every1)}]`);
  console.log(`  engine, read-back every 10 steps     ${fmt(rate(every10)).padStart(6)} steps/s  [${spread(every10)}]`);
  console.log(`  hand-written Float32Array            ${fmt(rate(hand)).padStart(6)} steps/s  [${spread(hand)}]`);
  console.log(`  engine / hand-written, every 10 steps ${fmt(perRound(every10, hand) * 100).padStart(5)} %   (target ≥ 60 %)`);
  console.log(`  engine / hand-written, every step     ${fmt(perRound(every1, hand) * 100).padStart(5)} %`);
  console.log(`  8 batched runs: ${fmt(rate(eight))} steps/s each → 8 runs cost ${fmt(perRound(every10, eight), 2)} × one run (hand-written, one after another: ${fmt(perRound(hand, hand8), 2)} ×)`);
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

async function longTaskFigure(browser: Browser): Promise<void> {
  if (!skipSite || !existsSync(join(siteOut, 'index.html'))) {
    process.stderr.write('Building the site into dist-engine/ (waits for the shared build lock)…\n');
    const result = spawnSync('flock', ['/tmp/astro-build.lock', 'npx', 'astro', 'build', '--outDir', 'dist-engine'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    });
    if (result.status !== 0) throw new Error('astro build failed');
  }
  const server = await serve(siteOut);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.addInitScript(() => {
      const longest = { duration: 0, count: 0 };
      (window as unknown as { __longTasks: typeof longest }).__longTasks = longest;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          longest.count++;
          longest.duration = Math.max(longest.duration, entry.duration);
        }
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`http://127.0.0.1:${portOf(server)}/lessons/vanishing-gradients/`);
    const widgets = page.locator('[data-widget="gradient-flow"]');
    const count = await widgets.count();
    if (count < 2) throw new Error(`expected two gradient-flow widgets on the chapter page, found ${count}`);
    const ids = [await widgets.nth(0).getAttribute('data-widget-id'), await widgets.nth(2 < count ? 2 : 1).getAttribute('data-widget-id')] as string[];
    // Widgets pause off-screen: make the viewport tall enough to hold both, then start them.
    const span = async () => {
      const boxes = await Promise.all(ids.map((id) => page.locator(`[data-widget-id="${id}"]`).evaluate((element) => {
        const rect = element.getBoundingClientRect();
        return { top: rect.top + window.scrollY, bottom: rect.bottom + window.scrollY };
      })));
      return { top: Math.min(...boxes.map((b) => b.top)), bottom: Math.max(...boxes.map((b) => b.bottom)) };
    };
    let { top, bottom } = await span();
    await page.setViewportSize({ width: 1280, height: Math.min(Math.ceil(bottom - top) + 200, 10_000) });
    ({ top, bottom } = await span());
    await page.evaluate((y) => window.scrollTo(0, y), top - 100);
    const resetLongTasks = () =>
      page.evaluate(() => {
        const longest = (window as unknown as { __longTasks: { duration: number; count: number } }).__longTasks;
        const before = { ...longest };
        longest.duration = 0;
        longest.count = 0;
        return before;
      });
    // Baseline: the same page with nothing training, to separate machine load from the widgets.
    await page.waitForTimeout(1000);
    await resetLongTasks();
    await page.waitForTimeout(4000);
    const idle = await resetLongTasks();
    for (const id of ids) await page.locator(`[data-widget-id="${id}"]`).getByRole('button', { name: 'Play' }).click();
    const probe = () =>
      page.evaluate(
        (widgetIds) =>
          widgetIds.map((id) => {
            const element = document.querySelector(`[data-widget-id="${id}"]`) as unknown as { getState(): { status: string; step: number } };
            const state = element.getState();
            return { id, status: state.status, step: state.step };
          }),
        ids,
      );
    const started = Date.now();
    let states: WidgetProbe[] = await probe();
    const window_ms = 12_000;
    while (Date.now() - started < window_ms) {
      await page.waitForTimeout(500);
      states = await probe();
      if (states.every((s) => s.status !== 'running' && s.step > 0)) break;
    }
    const elapsed = (Date.now() - started) / 1000;
    const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: { duration: number; count: number } }).__longTasks);
    console.log(`Two gradient-flow widgets training at once (/lessons/vanishing-gradients/, ${ids.join(' + ')}, ${fmt(elapsed, 1)} s):`);
    for (const s of states) console.log(`  ${s.id}: ${s.status} at step ${s.step}`);
    const describe = (figures: { duration: number; count: number }) => (figures.count === 0 ? 'none over 50 ms' : `${fmt(figures.duration)} ms (${figures.count} long tasks)`);
    console.log(`  longest main-thread task while both train: ${describe(longTasks)}; target: none over 50 ms`);
    console.log(`  longest main-thread task on the same page, idle, 4 s before: ${describe(idle)}`);
    if (errors.length > 0) console.log(`  page errors: ${errors.join(' | ')}`);
    await page.close();
  } finally {
    await closeServer(server);
  }
}

async function main(): Promise<void> {
  const browser = await launch();
  try {
    if (!args.includes('--only-site')) await engineFigures(browser);
    if (!args.includes('--only-engine')) await longTaskFigure(browser);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
