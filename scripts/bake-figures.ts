/**
 * `npm run bake`: bakes the figure of every training widget on the built site (issue 14, item 6).
 *
 * Serves dist/ (build first: `npm run build`), finds every page from "/" by its links, and for
 * each widget made with WidgetShell (a root with data-experiment) whose figure is missing or was
 * baked from other settings: opens the page in headless Chromium, presses Play, waits for the run
 * to end, and saves what the widget itself exports: its charts as one SVG
 * (public/figures/<key>.svg) and, from its JSON export, what was run and the first records of
 * every run (src/baked/<key>.json; see src/widgets/kit/baked-figure.ts). Figures of widgets that
 * no longer exist are deleted. Then build again so the pages show the new figures.
 *
 * Options: --force (bake every widget again), --only <key-substring> (bake matching widgets).
 * Environment: BAKE_PORT (default 4399), CHROMIUM_PATH (default /usr/bin/chromium when present).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import type { SettingsValues, StepRecord, WidgetState } from '../src/engine/types';
import { CHECK_STEPS, bakedFigureKey, bakedFigureMatches, bakedFigureUrl, type BakedFigure } from '../src/widgets/kit/baked-figure';
import { extractLinks, isPagePath, resolveInternal } from '../tests/e2e/helpers';

const root = resolve(import.meta.dirname, '..');
const dataFolder = join(root, 'src/baked');
const svgFolder = join(root, 'public/figures');
const port = Number(process.env.BAKE_PORT ?? 4399);
const origin = `http://127.0.0.1:${port}`;
const force = process.argv.includes('--force');
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
/** A run longer than this is a bug in a default, not a figure worth waiting for. */
const RUN_TIMEOUT_MS = 20 * 60_000;

interface WidgetOnPage {
  page: string;
  id: string;
  kind: string;
  experiment: string;
  settings: SettingsValues;
  maxSteps: number | undefined;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match?.[1].replace(/&quot;/g, '"').replace(/&#34;/g, '"').replace(/&amp;/g, '&').replace(/&#38;/g, '&');
}

/** Training widgets in a page's HTML: roots that name an experiment (a widget that trains nothing names none, or ""). */
function trainingWidgets(page: string, html: string): WidgetOnPage[] {
  return [...html.matchAll(/<[a-z][\w-]*\b[^>]*\sdata-experiment="[^"]+"[^>]*>/g)].map(([tag]) => ({
    page,
    id: attribute(tag, 'data-widget-id') ?? '',
    kind: attribute(tag, 'data-widget') ?? '',
    experiment: attribute(tag, 'data-experiment') ?? '',
    settings: JSON.parse(attribute(tag, 'data-base-settings') ?? '{}') as SettingsValues,
    maxSteps: attribute(tag, 'data-max-steps') ? Number(attribute(tag, 'data-max-steps')) : undefined,
  }));
}

async function crawl(): Promise<WidgetOnPage[]> {
  const queue = ['/'];
  const seen = new Set(queue);
  const widgets: WidgetOnPage[] = [];
  while (queue.length > 0) {
    const path = queue.shift()!;
    const html = await (await fetch(origin + path)).text();
    widgets.push(...trainingWidgets(path, html));
    for (const href of extractLinks(html)) {
      const url = resolveInternal(href, path, origin);
      if (url && isPagePath(url.pathname) && !seen.has(url.pathname)) {
        seen.add(url.pathname);
        queue.push(url.pathname);
      }
    }
  }
  return widgets;
}

function readBaked(key: string): BakedFigure | undefined {
  const file = join(dataFolder, `${key}.json`);
  return existsSync(file) && existsSync(join(svgFolder, `${key}.svg`)) ? (JSON.parse(readFileSync(file, 'utf8')) as BakedFigure) : undefined;
}

async function waitForServer(): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      if ((await fetch(origin)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((done) => setTimeout(done, 500));
  }
  throw new Error(`The preview server did not answer on ${origin}.`);
}

async function download(page: Page, button: string, widget: string): Promise<string> {
  const region = page.locator(`[data-widget-id="${widget}"]`);
  const [file] = await Promise.all([page.waitForEvent('download'), region.getByRole('button', { name: button, exact: true }).click()]);
  const path = await file.path();
  return readFileSync(path, 'utf8');
}

async function bake(page: Page, widget: WidgetOnPage, key: string): Promise<BakedFigure> {
  await page.goto(origin + widget.page);
  const region = page.locator(`[data-widget-id="${widget.id}"]`);
  await region.scrollIntoViewIfNeeded();
  await region.locator('[data-part="speed"]').selectOption('fast');
  await region.locator('[data-part="play"]').click();
  const started = Date.now();
  for (;;) {
    // A long-run warning asks first; the bake trains anyway.
    const trainAnyway = region.getByRole('button', { name: 'Train anyway' });
    if (await trainAnyway.isVisible()) await trainAnyway.click();
    const state = await region.evaluate((element) => (element as unknown as { getState(): WidgetState }).getState());
    if (state.status === 'finished' || state.status === 'diverged') break;
    if (state.status === 'error') throw new Error(`${key}: the widget reported an error: ${state.error ?? 'unknown'}`);
    if (Date.now() - started > RUN_TIMEOUT_MS) throw new Error(`${key}: the run did not end in ${RUN_TIMEOUT_MS / 60_000} minutes`);
    await region.scrollIntoViewIfNeeded(); // a widget pauses when it leaves the screen
    await page.waitForTimeout(1000);
  }
  const svg = await download(page, 'Chart as SVG', widget.id);
  const run = JSON.parse(await download(page, 'Run as JSON', widget.id)) as { records: StepRecord[]; summary?: unknown };
  const size = /<svg\b[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  const charts = await region.locator('figure.widget-chart figcaption').allInnerTexts();
  const status = (await region.locator('[data-part="status"]').innerText()).trim();
  const records = run.records
    .filter((record) => record.step <= CHECK_STEPS)
    .map(({ run: id, step, loss }) => ({ run: id, step, loss }));
  writeFileSync(join(svgFolder, `${key}.svg`), svg);
  const figure: BakedFigure = {
    page: widget.page,
    widget: widget.id,
    kind: widget.kind,
    experiment: widget.experiment,
    settings: widget.settings,
    maxSteps: widget.maxSteps ?? null,
    status,
    charts: charts.map((text) => text.trim()).filter(Boolean),
    width: Math.round(Number(size?.[1] ?? 640)),
    height: Math.round(Number(size?.[2] ?? 400)),
    records,
    summary: run.summary ?? null,
  };
  writeFileSync(join(dataFolder, `${key}.json`), `${JSON.stringify(figure, null, 1)}\n`);
  return figure;
}

async function main(): Promise<void> {
  if (!existsSync(join(root, 'dist/index.html'))) throw new Error('No build to bake from: run `npm run build` first.');
  mkdirSync(dataFolder, { recursive: true });
  mkdirSync(svgFolder, { recursive: true });
  const server = spawn('npx', ['astro', 'preview', '--port', String(port), '--host', '127.0.0.1'], {
    cwd: root,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    stdio: 'ignore',
    detached: true,
  });
  const browser = await chromium.launch({
    executablePath: existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') ? (process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') : undefined,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    await waitForServer();
    const widgets = await crawl();
    const keys = new Set<string>();
    /** Figures current for their widget, by what was run: the same run on two pages is baked once. */
    const bakedRuns = new Map<string, string>();
    const runOf = (widget: Pick<WidgetOnPage, 'experiment' | 'settings' | 'maxSteps'>) =>
      JSON.stringify([widget.experiment, Object.entries(widget.settings).sort(), widget.maxSteps ?? null]);
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1366, height: 900 } });
    for (const widget of widgets) {
      const key = bakedFigureKey(widget.page, widget.id);
      keys.add(key);
      if (only !== undefined && !key.includes(only)) continue;
      const existing = readBaked(key);
      if (!force && existing && bakedFigureMatches(existing, widget)) {
        bakedRuns.set(runOf(widget), key);
        console.log(`${key}: up to date`);
        continue;
      }
      const twin = bakedRuns.get(runOf(widget));
      if (twin) {
        const figure: BakedFigure = { ...JSON.parse(readFileSync(join(dataFolder, `${twin}.json`), 'utf8')), page: widget.page, widget: widget.id };
        writeFileSync(join(svgFolder, `${key}.svg`), readFileSync(join(svgFolder, `${twin}.svg`)));
        writeFileSync(join(dataFolder, `${key}.json`), `${JSON.stringify(figure, null, 1)}\n`);
        console.log(`${key}: the same run as ${twin}, copied`);
        continue;
      }
      const started = Date.now();
      const page = await context.newPage();
      try {
        const figure = await bake(page, widget, key);
        bakedRuns.set(runOf(widget), key);
        console.log(`${key}: baked in ${((Date.now() - started) / 1000).toFixed(0)} s (${figure.status})`);
      } finally {
        await page.close();
      }
    }
    // Figures of widgets that are no longer on any page.
    if (only === undefined) {
      for (const file of readdirSync(dataFolder).filter((name) => name.endsWith('.json'))) {
        const key = file.replace(/\.json$/, '');
        if (keys.has(key)) continue;
        rmSync(join(dataFolder, file));
        rmSync(join(svgFolder, `${key}.svg`), { force: true });
        console.log(`${key}: removed (no such widget any more)`);
      }
    }
    console.log('Done. Build again (npm run build) so the pages show the figures.');
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
