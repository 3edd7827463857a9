/**
 * Gradient descent on a mirror-symmetric two-parameter loss (math.ts), one step per training step,
 * from the start the reader set or clicked. Each record holds the loss and the gradient's norm;
 * the snapshot holds the path. Pure TypeScript (no TF.js needed); runs in the worker, in Node tests
 * and from the CLI.
 */
import type { Experiment, SettingsValues, StepRecord } from '../../engine/types';
import { resolveSettings } from '../../engine/settings';
import { bestOnLine, curvatureAcross, lossAndGradient, type Landscape } from './math';
import { mirrorLossSettings } from './settings';
import type { MirrorSnapshot } from './results';

export function startMirrorDescent(values: SettingsValues) {
  const settings = resolveSettings(mirrorLossSettings, values);
  const landscape = settings.landscape as Landscape;
  const learningRate = settings.learningRate as number;
  const maxSteps = settings.steps as number;
  const best = bestOnLine(landscape);
  const path: [number, number][] = [[settings.startW1 as number, settings.startW2 as number]];
  return {
    landscape,
    path,
    lineBest: { ...best, curvatureAcross: curvatureAcross(landscape, best.w) },
    train(steps: number): StepRecord[] {
      const records: StepRecord[] = [];
      for (let k = 0; k < steps && path.length <= maxSteps; k++) {
        const [w1, w2] = path[path.length - 1];
        const { gradient } = lossAndGradient(landscape, w1, w2);
        const next: [number, number] = [w1 - learningRate * gradient[0], w2 - learningRate * gradient[1]];
        path.push(next);
        const after = lossAndGradient(landscape, next[0], next[1]);
        records.push({ run: 0, step: path.length - 1, loss: after.loss, gradNorms: [Math.hypot(after.gradient[0], after.gradient[1])], weightNorms: [Math.hypot(next[0], next[1])], updateRatios: [] });
      }
      return records;
    },
  };
}

export const mirrorLossExperiment: Experiment = {
  name: 'mirror-loss',
  title: 'Gradient descent on a loss with a mirror symmetry',
  description: 'Runs plain gradient descent on a two-parameter loss that does not change when the parameters are swapped, from a chosen start, and records the path, the loss and the gradient norm.',
  settings: mirrorLossSettings,
  runLength: { setting: 'steps' },
  create(values) {
    const descent = startMirrorDescent(values);
    const snapshot = (): MirrorSnapshot => ({ landscape: descent.landscape, path: descent.path.map(([a, b]) => [a, b]), lineBest: descent.lineBest });
    return {
      // Its one "layer" is the weight pair: gradNorms[0] is the norm of the gradient with respect to (w₁, w₂).
      runs: [{ id: 0, label: `gradient descent from (${descent.path[0].join(', ')})`, layers: [{ id: 'w', label: 'weights (w₁, w₂)', group: 'w' }] }],
      train: (steps: number) => descent.train(steps),
      divergences: () => [],
      snapshot,
      dispose: () => undefined,
    };
  },
};
