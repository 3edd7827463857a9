/**
 * The degradation lab on real images (chapter 4): its pure read-outs, sharding for a pool of
 * workers, and the experiment on the wasm back-end as the browser runs it. The default run is what
 * the chapter describes (the direction: the deepest plain network ends with a clearly higher
 * training loss than the shallowest, the deepest residual one does not), and every number chapter
 * 4 states about the lab is checked here against that run (the text is read from
 * content/lessons/residual.mdx).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '~/engine/backend-node';
import { loadAssets } from '~/engine/data/assets';
import { defaultSettings, runLength } from '~/engine/settings';
import type { RunInfo, SettingsValues, StepRecord, WidgetState } from '~/engine/types';
import { degradationImagesExperiment, imageShardRunIds } from '~/widgets/degradation-images/experiment';
import { FINAL_LOSS_WINDOW, isDegradationImagesSnapshot, lossRelation, mergeSnapshots, shallowAndDeep, summarizeImageRuns, type ImageNetworkResult } from '~/widgets/degradation-images/results';
import { challenges, measures } from '~/widgets/degradation-images/challenges';
import { getExperiment } from '~/runtime/registry';

beforeAll(async () => {
  expect(await initNodeBackend('wasm')).toBe('wasm');
  await loadAssets(['fashion-mnist'], async (path) => readFileSync(new URL(`../../public/${path}`, import.meta.url)));
});

/** The chapter's text with runs of whitespace (line breaks) as single spaces. */
function chapterText(): string {
  return readFileSync(new URL('../../content/lessons/residual.mdx', import.meta.url), 'utf8').replace(/\s+/g, ' ');
}

interface FullRun {
  runs: RunInfo[];
  records: StepRecord[];
  snapshot: unknown;
  divergences: number;
}

function trainAll(settings: SettingsValues, chunks: number[]): FullRun {
  const run = degradationImagesExperiment.create(settings);
  try {
    const records = chunks.flatMap((steps) => run.train(steps));
    return { runs: [...run.runs], records, snapshot: run.snapshot?.(), divergences: run.divergences().length };
  } finally {
    run.dispose();
  }
}

const small = { ...defaultSettings(degradationImagesExperiment.settings), depths: '4,24', channels: 4, batchSize: 8, steps: 20 };

describe('pure read-outs', () => {
  it('shards deal the deepest networks first to the least-loaded shard; two shards split plain from residual', () => {
    expect(imageShardRunIds([4, 12, 24, 4, 12, 24], 0, 2)).toEqual([0, 1, 2]);
    expect(imageShardRunIds([4, 12, 24, 4, 12, 24], 1, 2)).toEqual([3, 4, 5]);
    expect(imageShardRunIds([4, 24, 4, 24], 0, 3)).toEqual([1]);
    expect(imageShardRunIds([4, 24, 4, 24], 2, 3)).toEqual([0, 2]);
    const all = [0, 1, 2].flatMap((index) => imageShardRunIds([4, 12, 24, 4, 12, 24], index, 3)).sort();
    expect(all).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it('snapshots of two shards merge by run', () => {
    const a = { testImages: 1000, trainImages: 6000, tests: [{ run: 0, step: 300, loss: 1, accuracy: 0.5 }] };
    const b = { testImages: 1000, trainImages: 6000, tests: [{ run: 3, step: 300, loss: 2, accuracy: 0.4 }] };
    const merged = mergeSnapshots([a, undefined, b]);
    expect(isDegradationImagesSnapshot(merged) && merged.tests.map((t) => t.run)).toEqual([0, 3]);
  });
  it('a deeper network is "above" only beyond 10%', () => {
    const result = (finalLoss: number) => ({ finalLoss }) as ImageNetworkResult;
    expect(lossRelation(result(1.2), result(1))).toBe('above');
    expect(lossRelation(result(1.05), result(1))).toBe('equal');
    expect(lossRelation(result(0.85), result(1))).toBe('below');
  });
});

describe('the degradation-images experiment', () => {
  it('is registered, needs the Fashion-MNIST asset, and tests every network once when it finishes, however it is chunked', () => {
    expect(getExperiment('degradation-images')).toBe(degradationImagesExperiment);
    expect(degradationImagesExperiment.assets).toEqual(['fashion-mnist']);
    const whole = trainAll(small, [20]);
    const chunked = trainAll(small, [7, 13, 5]);
    expect(whole.runs.map((r) => r.label)).toEqual(['plain, 4 layers', 'plain, 24 layers', 'residual, 4 layers', 'residual, 24 layers']);
    expect(whole.runs.map((r) => [r.skip, r.depth])).toEqual([['none', 4], ['none', 24], ['residual', 4], ['residual', 24]]);
    expect(whole.records).toHaveLength(4 * 20);
    expect(chunked.records).toEqual(whole.records);
    expect(chunked.snapshot).toEqual(whole.snapshot);
    if (!isDegradationImagesSnapshot(whole.snapshot)) throw new Error('no snapshot');
    expect(whole.snapshot.tests.map((t) => [t.run, t.step])).toEqual([[0, 20], [1, 20], [2, 20], [3, 20]]);
    expect(whole.snapshot.testImages).toBe(1000);
    // Named layers: the stem, then layer2… (plain) or block1.layer1… (residual), then the output.
    expect(whole.runs[0].layers).toHaveLength(5);
    expect(whole.runs[3].layers[1].id).toBe('block1.layer1');
  });
  it('a pool of two or three workers trains the same networks with the same records and test scores', () => {
    const whole = trainAll(small, [20]);
    for (const count of [2, 3]) {
      const shards = Array.from({ length: count }, (_, index) => {
        const run = degradationImagesExperiment.createShard!(small, { index, count });
        try {
          return { runs: [...run.runs], records: run.train(20), snapshot: run.snapshot?.() };
        } finally {
          run.dispose();
        }
      });
      expect(shards.flatMap((s) => s.runs).sort((a, b) => a.id - b.id)).toEqual(whole.runs);
      const byRun = (records: StepRecord[]) => [...records].sort((a, b) => a.run - b.run || a.step - b.step);
      expect(byRun(shards.flatMap((s) => s.records))).toEqual(byRun(whole.records));
      const merged = mergeSnapshots(shards.map((shard) => shard.snapshot));
      expect(merged).toEqual(whole.snapshot);
    }
  });

  describe('its default run', () => {
    let results: ImageNetworkResult[];
    let full: FullRun;
    beforeAll(() => {
      const settings = defaultSettings(degradationImagesExperiment.settings);
      expect(runLength(degradationImagesExperiment, settings)).toBe(300);
      full = trainAll(settings, [runLength(degradationImagesExperiment, settings)]);
      results = summarizeImageRuns(full.runs, full.records, full.snapshot);
    }, 1_800_000);

    it('shows degradation: the deepest plain network ends more than 10% above the shallowest; the deepest residual network does not', () => {
      expect(full.divergences).toBe(0);
      const plain = shallowAndDeep(results, 'none')!;
      const residual = shallowAndDeep(results, 'residual')!;
      expect(lossRelation(plain.deep, plain.shallow)).toBe('above');
      expect(lossRelation(residual.deep, residual.shallow)).not.toBe('above');
      expect(FINAL_LOSS_WINDOW).toBe(50);
    });

    it('the chapter states this run’s numbers', () => {
      const at = (skip: 'none' | 'residual', depth: number) => results.find((r) => r.skip === skip && r.depth === depth)!;
      const loss = (skip: 'none' | 'residual', depth: number) => at(skip, depth).finalLoss.toFixed(2);
      const accuracy = (skip: 'none' | 'residual', depth: number) => `${(at(skip, depth).testAccuracy * 100).toFixed(1)}%`;
      const worse = (at('none', 24).finalLoss / at('none', 4).finalLoss - 1) * 100;
      const tests = results.map((r) => r.testAccuracy);
      const meanLoss = (run: number, from: number, to: number) => {
        const own = full.records.filter((r) => r.run === run && r.step >= from && r.step <= to);
        return own.reduce((sum, r) => sum + r.loss, 0) / own.length;
      };
      const losses = results.map((r) => r.finalLoss);
      const claims: [string, boolean][] = [
        ['the plain networks ended at training losses of 1.02 with 4 layers, 0.98 with 12 and 1.29 with 24', loss('none', 4) === '1.02' && loss('none', 12) === '0.98' && loss('none', 24) === '1.29'],
        ["the 24-layer plain network's loss is 27% higher than the 4-layer one's", worse.toFixed(0) === '27'],
        ['The residual networks ended at 1.04, 0.93 and 0.99: the deepest is no worse than the shallowest', loss('residual', 4) === '1.04' && loss('residual', 12) === '0.93' && loss('residual', 24) === '0.99'],
        ['the plain networks classified 65.0%, 63.0% and 53.5% correctly, the residual ones 62.8%, 64.6% and 67.5%', accuracy('none', 4) === '65.0%' && accuracy('none', 12) === '63.0%' && accuracy('none', 24) === '53.5%' && accuracy('residual', 4) === '62.8%' && accuracy('residual', 12) === '64.6%' && accuracy('residual', 24) === '67.5%'],
        ['Without shortcuts the deepest network is the worst of the six on unseen images; with them it is the best.', Math.min(...tests) === at('none', 24).testAccuracy && Math.max(...tests) === at('residual', 24).testAccuracy],
        ["The 24-layer plain network ended with the highest training loss of all six networks, 27% above the 4-layer plain network's, while the 24-layer residual network ended slightly below the 4-layer residual one.", Math.max(...losses) === at('none', 24).finalLoss && worse.toFixed(0) === '27' && at('residual', 24).finalLoss < at('residual', 4).finalLoss],
        ['The 12-layer plain network ended level with the 4-layer one (0.98 against 1.02)', lossRelation(at('none', 12), at('none', 4)) === 'equal'],
        ['300 steps of 16 images is 4,800 images', full.records.length === 6 * 300 && results.every((r) => r.steps === 300)],
        ['every loss is still near 1 and falling', losses.every((value) => value > 0.9 && value < 1.3) && full.runs.every((run) => meanLoss(run.id, 201, 250) > meanLoss(run.id, 251, 300))],
      ];
      const chapter = chapterText();
      for (const [text, holds] of claims) {
        expect(chapter, text).toContain(text);
        expect(holds, text).toBe(true);
      }
    });

    it('the predict-then-run measure gives the chapter’s answer; the challenge is not met on the defaults', () => {
      const state: WidgetState = { id: 'degradation-images', kind: 'degradation-images', settings: {}, status: 'finished', step: 300, runs: full.runs, records: full.records, divergences: [], snapshot: full.snapshot };
      expect(measures['degradation-images/deep-plain-vs-shallow'](state)?.value).toBe('above');
      expect(measures['degradation-images/deep-plain-vs-shallow']({ ...state, status: 'running' })).toBeUndefined();
      expect(challenges['degradation-images/no-plain-degradation'](state).met).toBe(false);
    });
  });
});
