/**
 * Baked figures (src/widgets/kit/baked-figure.ts, made by `npm run bake`): each committed figure
 * names a registered experiment with valid settings, has its SVG, and a fresh headless run of
 * that experiment reproduces it. A full default run is too slow for the suite, so the check is a
 * prefix: the first CHECK_STEPS records of every run must equal the baked ones exactly (the bake
 * ran on the browser's wasm back-end, and so does this test: the cpu back-end differs in the last
 * bits, which batch norm on tiny weights amplifies within a few steps). An experiment that does not
 * train is computed in full and its summary compared (to 1e-9, for the JSON round trip).
 * Identical runs baked on several pages are checked once.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getExperiment } from '~/runtime/registry';
import { validateSettings } from '~/engine/settings';
import { loadAssets } from '~/engine/data/assets';
import { CHECK_STEPS, bakedFigureKey, bakedFigureMatches, bakedFigureUrl, type BakedFigure } from '~/widgets/kit/baked-figure';

const root = join(__dirname, '../..');
const dataFolder = join(root, 'src/baked');
const files = existsSync(dataFolder) ? readdirSync(dataFolder).filter((file) => file.endsWith('.json')) : [];
const figures = files.map((file) => ({ file, figure: JSON.parse(readFileSync(join(dataFolder, file), 'utf8')) as BakedFigure }));

/** Numbers in two values agree to 1e-9 relative, at every position (NaN and null count as equal). */
function expectClose(actual: unknown, expected: unknown, where: string): void {
  if (typeof expected === 'number' || expected === null) {
    if (expected === null || !Number.isFinite(expected)) {
      expect(actual === null || (typeof actual === 'number' && !Number.isFinite(actual)), where).toBe(true);
      return;
    }
    expect(typeof actual, where).toBe('number');
    expect(Math.abs((actual as number) - expected), `${where}: ${String(actual)} against ${expected}`).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual) && actual.length, where).toBe(expected.length);
    expected.forEach((item, index) => expectClose((actual as unknown[])[index], item, `${where}[${index}]`));
    return;
  }
  if (typeof expected === 'object') {
    for (const [key, value] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[key], value, `${where}.${key}`);
    return;
  }
  expect(actual, where).toEqual(expected);
}

beforeAll(async () => {
  await tf.setBackend('wasm');
});

test('figures are named after their page and widget, and have their SVG', () => {
  for (const { file, figure } of figures) {
    expect(file).toBe(`${bakedFigureKey(figure.page, figure.widget)}.json`);
    const svg = readFileSync(join(root, 'public', bakedFigureUrl(file.replace(/\.json$/, ''))), 'utf8');
    expect(svg.startsWith('<svg'), file).toBe(true);
    // A filled figure: drawn marks, not just empty axes.
    expect(svg.match(/<(path|rect|circle|image)\b/g)?.length ?? 0, file).toBeGreaterThan(5);
  }
});

test('a figure is current only for the settings it was baked from', () => {
  const figure = { experiment: 'lesion', settings: { depth: 12, norm: 'batch' }, maxSteps: null };
  expect(bakedFigureMatches(figure, { experiment: 'lesion', settings: { depth: 12, norm: 'batch' }, maxSteps: undefined })).toBe(true);
  expect(bakedFigureMatches(figure, { experiment: 'lesion', settings: { depth: 13, norm: 'batch' }, maxSteps: undefined })).toBe(false);
  expect(bakedFigureMatches(figure, { experiment: 'lesion', settings: { depth: 12, norm: 'batch' }, maxSteps: 600 })).toBe(false);
  expect(bakedFigureMatches(figure, { experiment: 'gradient-flow', settings: { depth: 12, norm: 'batch' }, maxSteps: undefined })).toBe(false);
});

const distinct = [...new Map(figures.map((entry) => [JSON.stringify([entry.figure.experiment, entry.figure.settings, entry.figure.maxSteps]), entry])).values()];

describe.each(distinct.map((entry) => [entry.file, entry.figure] as const))('a fresh run reproduces %s', (file, figure) => {
  test('same experiment, valid settings, same first records or summary', async () => {
    const experiment = getExperiment(figure.experiment);
    expect(experiment, `${file}: experiment "${figure.experiment}" is not in src/runtime/registry.ts`).toBeDefined();
    const { values, problems } = validateSettings(experiment!.settings, figure.settings);
    expect(problems).toEqual([]);
    await loadAssets(experiment!.assets ?? [], async (path) => readFileSync(join(root, 'public', path)));
    const run = experiment!.create(values);
    try {
      if (figure.records.length > 0) {
        const records = run.train(CHECK_STEPS);
        for (const baked of figure.records) {
          const fresh = records.find((record) => record.run === baked.run && record.step === baked.step);
          expect(fresh, `${file}: run ${baked.run}, step ${baked.step}`).toBeDefined();
          // JSON writes a non-finite loss (a diverged step) as null.
          if (baked.loss === null) expect(Number.isFinite(fresh!.loss), `${file}: run ${baked.run} diverged at step ${baked.step}`).toBe(false);
          else expect(fresh!.loss, `${file}: loss of run ${baked.run} at step ${baked.step}`).toBe(baked.loss);
        }
      } else {
        const records = run.train(1);
        const summary = experiment!.summarize?.(run.runs, records, run.snapshot?.());
        expectClose(summary, figure.summary, `${file}: summary`);
      }
    } finally {
      run.dispose();
    }
  });
});
