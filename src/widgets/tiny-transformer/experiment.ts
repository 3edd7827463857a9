/**
 * A tiny transformer trained on a toy sequence task (reverse, sort or copy 8 digits): two pre-LN
 * blocks by default, built by the engine's transformerSpec and trained by the graph trainer. Every
 * EVAL_EVERY steps the model is scored on held-out sequences and its parameters are copied into
 * the snapshot, so the page can run the reader's own input through them (attention-math.ts) and
 * draw the attention of every layer and head. Pure TypeScript over the engine; runs in the
 * worker, in Node tests and from the CLI.
 */
import type { Experiment, ExperimentRun, SettingsValues, StepRecord } from '../../engine/types';
import { resolveSettings } from '../../engine/settings';
import { makeSequenceTask } from '../../engine/data/sequences';
import { transformerSpec } from '../../engine/models/transformer';
import { createGraphExperimentRun } from '../../engine/models/graph-trainer';
import type { TransformerShape } from '../../engine/attention-math';
import { tinyTransformerSettings } from './settings';
import { HELD_OUT_SIZE, MODEL_WIDTH, SEQUENCE_LENGTH, VOCAB_SIZE, isTinyTransformerSnapshot, summarizeTinyTransformer, type HeldOutPoint, type TinyTransformerSnapshot } from './results';

const TRAIN_SIZE = 8192;
export const EVAL_EVERY = 25;

function createTinyTransformerRun(values: SettingsValues): ExperimentRun {
  const settings = resolveSettings(tinyTransformerSettings, values);
  const shape: TransformerShape = { vocabSize: VOCAB_SIZE, dModel: MODEL_WIDTH, heads: Number(settings.heads), layers: settings.layers, norm: 'pre', skips: true, positional: 'sinusoidal' };
  const task = settings.task;
  const data = makeSequenceTask({ task, size: TRAIN_SIZE, seed: settings.seed, length: SEQUENCE_LENGTH, vocabSize: VOCAB_SIZE });
  // Another seed: sequences the model never trains on (a repeat of one of 10^8 is vanishingly rare).
  const heldOutData = makeSequenceTask({ task, size: HELD_OUT_SIZE, seed: 100_000 + settings.seed, length: SEQUENCE_LENGTH, vocabSize: VOCAB_SIZE });
  const model = transformerSpec({ ...shape, sequenceLength: SEQUENCE_LENGTH, positional: 'sinusoidal' });
  const inner = createGraphExperimentRun([
    { label: `${settings.layers} blocks, ${settings.heads} heads`, model, seed: settings.seed, data, train: { optimizer: 'adam', learningRate: settings.learningRate, batchSize: 32 } },
  ]);
  const heldOut: HeldOutPoint[] = [];
  let parameters: Record<string, number[]> = {};
  let step = 0;
  const evaluate = () => {
    const trained = inner.models[0];
    const { loss, accuracy = NaN } = trained.evaluate(heldOutData);
    heldOut.push({ step, loss, accuracy });
    parameters = Object.fromEntries(Object.entries(trained.getParameters()).map(([name, value]) => [name, Array.from(value)]));
  };
  evaluate();
  return {
    runs: inner.runs,
    train(steps: number): StepRecord[] {
      const records = inner.train(steps);
      const before = step;
      step = inner.step;
      if (Math.floor(step / EVAL_EVERY) > Math.floor(before / EVAL_EVERY) && inner.divergences().length === 0) evaluate();
      return records;
    },
    divergences: () => inner.divergences(),
    snapshot(): TinyTransformerSnapshot {
      return { task, shape, heldOut: [...heldOut], parameters, probe: Array.from(heldOutData.inputs.subarray(0, SEQUENCE_LENGTH)) };
    },
    dispose: () => inner.dispose(),
  };
}

export const tinyTransformerExperiment: Experiment = {
  name: 'transformer',
  title: 'A tiny transformer learns to reverse (or sort) 8 digits',
  description:
    'Trains a small pre-LN transformer (Vaswani et al. 2017, with the layer norm placement of Xiong et al. 2020) on a seeded toy sequence task and scores it on 512 held-out sequences every 25 steps: token accuracy, loss, per-layer gradient norms and the attention of every head.',
  settings: tinyTransformerSettings,
  runLength: { defaultSteps: 300 },
  create: createTinyTransformerRun,
  summarize(_runs, _records, snapshot) {
    if (!isTinyTransformerSnapshot(snapshot)) return undefined;
    return summarizeTinyTransformer(snapshot);
  },
};
