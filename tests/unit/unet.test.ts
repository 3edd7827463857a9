/**
 * The live U-Net (chapter 6): its mask measures, the builder's per-level skips, and the experiment
 * on the wasm back-end as the browser runs it. The default run is what the chapter describes: the
 * network with long skips reaches a clearly higher test IoU, and gets more edge pixels right, than
 * the same network without them. Every number chapter 6 states about the widget is checked here
 * against the run it describes (the text is read from content/lessons/unet.mdx).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '~/engine/backend-node';
import { GraphModel } from '~/engine/models/graph';
import { unetSpec } from '~/engine/models/unet';
import { defaultSettings, runLength } from '~/engine/settings';
import { unetExperiment, EVAL_EVERY } from '~/widgets/unet/experiment';
import { challenges, measures } from '~/widgets/unet/challenges';
import type { SettingsValues, WidgetState } from '~/engine/types';
import { accuracyAt, edgePixels, isUnetSnapshot, maskIoU, summarizeVariants, variantLabel, type UnetSnapshot } from '~/widgets/unet/masks';

beforeAll(async () => {
  expect(await initNodeBackend('wasm')).toBe('wasm');
});

/** The chapter's text with runs of whitespace (line breaks) as single spaces. */
function chapterText(): string {
  return readFileSync(new URL('../../content/lessons/unet.mdx', import.meta.url), 'utf8').replace(/\s+/g, ' ');
}

/** Final summary rows of a full run of the experiment at these settings (defaults otherwise). */
function fullRun(changes: SettingsValues) {
  const settings = { ...defaultSettings(unetExperiment.settings), ...changes };
  const run = unetExperiment.create(settings);
  try {
    run.train(runLength(unetExperiment, settings));
    const snapshot = run.snapshot?.();
    if (!isUnetSnapshot(snapshot)) throw new Error('no snapshot');
    return { rows: summarizeVariants(snapshot), snapshot };
  } finally {
    run.dispose();
  }
}

describe('mask measures', () => {
  it('IoU counts logits above 0 as inside; two empty masks agree perfectly', () => {
    expect(maskIoU([1, 1, -1, -1], [1, 0, 1, 0])).toBeCloseTo(1 / 3);
    expect(maskIoU([2, 3], [1, 1])).toBe(1);
    expect(maskIoU([-1, -1], [0, 0])).toBe(1);
  });
  it('edge pixels are those with a 4-neighbour of the other label, within each image', () => {
    // Two 3×3 images: a centre pixel, and an empty one.
    const targets = [0, 0, 0, 0, 1, 0, 0, 0, 0, ...new Array(9).fill(0)];
    expect(edgePixels(targets, 3)).toEqual([1, 3, 4, 5, 7]);
    expect(accuracyAt([-1, -1, 1, -1, 1, -1, 1, 1, 1], targets, [1, 3, 4, 5, 7])).toBeCloseTo(4 / 5);
  });
  it('labels name the levels and the join', () => {
    expect(variantLabel([1, 2], 'concat')).toBe('long skips at levels 1 and 2 (concatenated)');
    expect(variantLabel([2], 'add')).toBe('long skip at level 2 (added)');
    expect(variantLabel([], 'concat')).toBe('no long skips');
  });
});

describe('unetSpec keeps the long skips of the chosen levels only', () => {
  it('level 1 only: one skip layer, and only decoder 1 reads twice the channels', () => {
    const model = new GraphModel(unetSpec({ inputShape: [8, 8, 1], levels: 2, baseChannels: 2, skipLevels: [1] }), 1);
    expect(model.allLayers.filter((l) => l.id.endsWith('.skip')).map((l) => l.id)).toEqual(['dec1.skip']);
    expect(model.parameterShapes[model.parameterNames.indexOf('dec1.conv1.kernel')]).toEqual([3, 3, 4, 2]);
    expect(model.parameterShapes[model.parameterNames.indexOf('dec2.conv1.kernel')]).toEqual([3, 3, 4, 4]);
    model.dispose();
  });
});

describe('the unet experiment', () => {
  it('evaluates on the same steps however it is chunked; both skips off gives two identical networks', () => {
    const settings = { ...defaultSettings(unetExperiment.settings), skipLevel1: false, skipLevel2: false, trainImages: 8 };
    const run = unetExperiment.create(settings);
    try {
      expect(run.runs.map((r) => r.label)).toEqual(['no long skips', 'no long skips']);
      run.train(7);
      run.train(13);
      const snapshot = run.snapshot?.();
      if (!isUnetSnapshot(snapshot)) throw new Error('no snapshot');
      expect(snapshot.variants[0].evaluations.map((e) => e.step)).toEqual([0, EVAL_EVERY, 2 * EVAL_EVERY]);
      expect(snapshot.variants[0].evaluations).toEqual(snapshot.variants[1].evaluations);
      expect(snapshot.shown.images).toHaveLength(4);
      expect(snapshot.variants[0].masks[0]).toHaveLength(24 * 24);
    } finally {
      run.dispose();
    }
  });

  describe('its default run', () => {
    let snapshot: UnetSnapshot;
    let layerIds: string[][];
    let gradLengths: number[];
    beforeAll(() => {
      const settings = defaultSettings(unetExperiment.settings);
      const run = unetExperiment.create(settings);
      try {
        const records = run.train(runLength(unetExperiment, settings));
        expect(run.divergences()).toEqual([]);
        layerIds = run.runs.map((r) => r.layers.map((l) => l.id));
        gradLengths = records.map((r) => r.gradNorms.length);
        const last = run.snapshot?.();
        if (!isUnetSnapshot(last)) throw new Error('no snapshot');
        snapshot = last;
      } finally {
        run.dispose();
      }
    }, 900_000);

    it('names every layer in the records, the same for both networks', () => {
      expect(layerIds[0]).toEqual(['enc1.conv1', 'enc1.conv2', 'enc2.conv1', 'enc2.conv2', 'bottleneck.conv1', 'bottleneck.conv2', 'dec2.up', 'dec2.conv1', 'dec2.conv2', 'dec1.up', 'dec1.conv1', 'dec1.conv2', 'head']);
      expect(layerIds[1]).toEqual(layerIds[0]);
      expect(new Set(gradLengths)).toEqual(new Set([13]));
    });

    it('the chapter states this run’s numbers', () => {
      const [skips, none] = summarizeVariants(snapshot);
      const at = (row: typeof skips, step: number) => row.iouByStep.find((e) => e.step === step)!.iou;
      const chapter = chapterText();
      const claims: [string, boolean][] = [
        ['reaches a test IoU of 0.86 by step 60, while the one without skips still predicts no shape at all (IoU 0)', at(skips, 60).toFixed(2) === '0.86' && at(none, 60) === 0],
        ['At step 100 it is 0.88 against 0.08.', at(skips, 100).toFixed(2) === '0.88' && at(none, 100).toFixed(2) === '0.08'],
        ['0.91 against 0.74 IoU', skips.finalIoU.toFixed(2) === '0.91' && none.finalIoU.toFixed(2) === '0.74'],
        ['the network with skips gets 90% right and the one without 70%', (skips.finalEdgeAccuracy * 100).toFixed(0) === '90' && (none.finalEdgeAccuracy * 100).toFixed(0) === '70'],
        ['reaches a test IoU of 0.91 with its long skips and 0.74 without after 300 steps, and gets 90% against 70% of the edge pixels right', skips.finalIoU.toFixed(2) === '0.91' && none.finalIoU.toFixed(2) === '0.74' && skips.finalStep === 300],
      ];
      for (const [text, holds] of claims) {
        expect(chapter, text).toContain(text);
        expect(holds, text).toBe(true);
      }
    });

    it('the predict-then-run measure gives the chapter’s answer (more than 10 points); the one-skip challenge refuses two skips', () => {
      const state: WidgetState = { id: 'unet', kind: 'unet', settings: {}, status: 'finished', step: 300, runs: [], records: [], divergences: [], snapshot };
      expect(measures['unet/iou-gap'](state)?.value).toBe('over-10');
      expect(measures['unet/iou-gap']({ ...state, status: 'running' })).toBeUndefined();
      const check = challenges['unet/one-skip'](state);
      expect(check.met).toBe(false);
      expect(check.message).toMatch(/exactly one long skip/);
    });

    it('with long skips, a clearly higher test IoU and more edge pixels right than without, at step 100 and at the end', () => {
      const [skips, none] = summarizeVariants(snapshot);
      expect(skips.label).toBe('long skips at levels 1 and 2 (concatenated)');
      expect(none.label).toBe('no long skips');
      const at = (row: typeof skips, step: number) => row.iouByStep.find((e) => e.step === step)!.iou;
      expect(at(skips, 100)).toBeGreaterThan(at(none, 100) + 0.1);
      expect(skips.finalIoU).toBeGreaterThan(none.finalIoU + 0.1);
      expect(skips.finalEdgeAccuracy).toBeGreaterThan(none.finalEdgeAccuracy + 0.1);
      expect(skips.finalStep).toBe(300);
    });
  });

  it('joined by addition: the final test IoU the chapter states', () => {
    const [added] = fullRun({ join: 'add' }).rows;
    expect(added.label).toBe('long skips at levels 1 and 2 (added)');
    const text = 'with the two skips added instead of concatenated, the final test IoU is 0.93';
    expect(chapterText()).toContain(text);
    expect(added.finalIoU.toFixed(2)).toBe('0.93');
  }, 900_000);

  it('the one-skip challenge: the solution (level-1 skip only) meets it, with the IoU the solution states', () => {
    const { rows, snapshot } = fullRun({ skipLevel2: false });
    const [oneSkip] = rows;
    expect(oneSkip.label).toBe('long skip at level 1 (concatenated)');
    const state: WidgetState = { id: 'unet', kind: 'unet', settings: {}, status: 'finished', step: 300, runs: [], records: [], divergences: [], snapshot };
    expect(challenges['unet/one-skip'](state).met).toBe(true);
    const solution = readFileSync(new URL('../../content/exercises/unet.mdx', import.meta.url), 'utf8').replace(/\s+/g, ' ');
    expect(solution).toContain('in our run the U-Net then reaches a test IoU of 0.92, as high as with both skips');
    expect(oneSkip.finalIoU.toFixed(2)).toBe('0.92');
  }, 900_000);
});
