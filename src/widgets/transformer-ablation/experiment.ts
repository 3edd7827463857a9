/**
 * Ablations of a small transformer, two models side by side that differ in one thing:
 * - skips: with and without the residual skips around every sub-layer (pre-LN both). Without them
 *   the token representations collapse towards one shared vector as depth grows (Dong et al. 2021),
 *   measured per block, and training stalls;
 * - positions: with and without sinusoidal positional encoding. Without it, self-attention and the
 *   position-wise layers cannot tell positions apart: shuffle the input and the outputs shuffle
 *   the same way (shown on one held-out sequence), so reversing is impossible;
 * - norm: pre-LN against post-LN at the same learning rate with no warm-up (Xiong et al. 2020).
 * Every EVAL_EVERY steps both are scored on held-out sequences. Pure TypeScript over the engine;
 * runs in the worker, in Node tests and from the CLI.
 */
import type { Experiment, ExperimentRun, SettingsValues, StepRecord } from '../../engine/types';
import { resolveSettings } from '../../engine/settings';
import { makeSequenceTask } from '../../engine/data/sequences';
import type { TensorDataset } from '../../engine/data/tensor-dataset';
import { transformerSpec, type TransformerOptions } from '../../engine/models/transformer';
import { createGraphExperimentRun } from '../../engine/models/graph-trainer';
import type { GraphModel, ModelSpec } from '../../engine/models/graph';
import { collapseDistance, type Matrix } from '../../engine/attention-math';
import { createRandom } from '../../engine/random';
import { transformerAblationSettings } from './settings';
import { ABLATION_LENGTH, ABLATION_VOCAB, isAblationSnapshot, summarizeAblation, type AblationModelResult, type AblationSnapshot, type PermutationTest } from './results';

const TRAIN_SIZE = 8192;
const HELD_OUT_SIZE = 256;
/** Held-out sequences the collapse measure averages over. */
const COLLAPSE_EXAMPLES = 64;
export const ABLATION_EVAL_EVERY = 25;

type Variant = { label: string; options: Partial<TransformerOptions> };

export function ablationVariants(comparison: string): [Variant, Variant] {
  if (comparison === 'positions') return [{ label: 'with positions', options: {} }, { label: 'no positional encoding', options: { positional: 'none' } }];
  if (comparison === 'norm') return [{ label: 'pre-LN', options: { norm: 'pre' } }, { label: 'post-LN', options: { norm: 'post' } }];
  return [{ label: 'with skips', options: {} }, { label: 'no skips', options: { skips: false } }];
}

/** The ids of the layers whose outputs are the token representations: after the embedding (and positions), then after each block. */
export function streamLayerIds(spec: ModelSpec, blocks: number): string[] {
  const first = spec.layers.find((l) => l.id === 'pos') ?? spec.layers[0];
  const ids = [first.id];
  for (let b = 1; b <= blocks; b++) ids.push(spec.layers.filter((l) => l.id.startsWith(`block${b}.`)).at(-1)!.id);
  return ids;
}

function rows(values: Float32Array, example: number, length: number, width: number): Matrix {
  return Array.from({ length }, (_, p) => Array.from(values.subarray((example * length + p) * width, (example * length + p + 1) * width)));
}

function collapseByLayer(model: GraphModel, ids: string[], data: TensorDataset): number[] {
  const inspected = model.inspect(data, ids, { examples: COLLAPSE_EXAMPLES });
  return ids.map((id) => {
    const { shape, values } = inspected[id];
    const [examples, length, width] = shape;
    let sum = 0;
    for (let e = 0; e < examples; e++) sum += collapseDistance(rows(values, e, length, width));
    return sum / examples;
  });
}

const argmaxRows = (logits: Matrix) => logits.map((row) => row.indexOf(Math.max(...row)));

function permutationTest(model: GraphModel, input: number[], order: number[]): PermutationTest {
  const shuffled = order.map((from) => input[from]);
  const pair: TensorDataset = { ...makeSequenceTask({ task: 'reverse', size: 2, seed: 1, length: ABLATION_LENGTH, vocabSize: ABLATION_VOCAB }), inputs: Int32Array.from([...input, ...shuffled]) };
  const { values } = model.inspect(pair, ['output']).output;
  const plain = rows(values, 0, ABLATION_LENGTH, ABLATION_VOCAB);
  const moved = rows(values, 1, ABLATION_LENGTH, ABLATION_VOCAB);
  const scale = Math.max(1e-12, ...plain.flat().map(Math.abs));
  let worst = 0;
  order.forEach((from, position) => moved[position].forEach((v, k) => (worst = Math.max(worst, Math.abs(v - plain[from][k])))));
  return { input, order, shuffled, output: argmaxRows(plain), shuffledOutput: argmaxRows(moved), mismatch: worst / scale };
}

function createAblationRun(values: SettingsValues): ExperimentRun {
  const settings = resolveSettings(transformerAblationSettings, values);
  const { layers, learningRate, seed, comparison } = settings;
  const data = makeSequenceTask({ task: 'reverse', size: TRAIN_SIZE, seed, length: ABLATION_LENGTH, vocabSize: ABLATION_VOCAB });
  const heldOut = makeSequenceTask({ task: 'reverse', size: HELD_OUT_SIZE, seed: 100_000 + seed, length: ABLATION_LENGTH, vocabSize: ABLATION_VOCAB });
  const variants = ablationVariants(comparison);
  const specs = variants.map((v) => transformerSpec({ vocabSize: ABLATION_VOCAB, sequenceLength: ABLATION_LENGTH, dModel: 32, heads: 2, layers, ...v.options }));
  const inner = createGraphExperimentRun(
    variants.map((v, i) => ({ label: v.label, model: specs[i], seed, data, train: { optimizer: 'adam', learningRate, batchSize: 32 } })),
  );
  const ids = specs.map((spec) => streamLayerIds(spec, layers));
  const collapseAtInit = inner.models.map((model, i) => collapseByLayer(model, ids[i], heldOut));
  const random = createRandom(seed + 7);
  const order = Array.from({ length: ABLATION_LENGTH }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const probe = Array.from(heldOut.inputs.subarray(0, ABLATION_LENGTH));
  let models: AblationModelResult[] = [];
  let step = 0;
  let evaluatedAt = 0;
  const evaluate = () => {
    evaluatedAt = step;
    const diverged = new Set(inner.divergences().map((d) => d.run));
    models = inner.models.map((model, run) => {
      const previous = models[run];
      if (diverged.has(run) && previous) return previous;
      const { loss, accuracy = NaN } = model.evaluate(heldOut);
      return { run, label: variants[run].label, loss, accuracy, collapse: collapseByLayer(model, ids[run], heldOut), collapseAtInit: collapseAtInit[run], permutation: permutationTest(model, probe, order) };
    });
  };
  evaluate();
  return {
    runs: inner.runs,
    train(steps: number): StepRecord[] {
      const records = inner.train(steps);
      const before = step;
      step = inner.step;
      if (Math.floor(step / ABLATION_EVAL_EVERY) > Math.floor(before / ABLATION_EVAL_EVERY)) evaluate();
      return records;
    },
    divergences: () => inner.divergences(),
    snapshot: (): AblationSnapshot => ({ comparison, step: evaluatedAt, models }),
    dispose: () => inner.dispose(),
  };
}

export const transformerAblationExperiment: Experiment = {
  name: 'transformer-ablation',
  title: 'Transformer ablations: skips, positional encoding, pre-LN and post-LN',
  description:
    'Trains two copies of a small transformer on reversing 8 digits that differ in one thing (residual skips, positional encoding, or layer norm placement) and scores both on held-out sequences every 25 steps: loss, token accuracy, the rank-collapse measure of Dong et al. (2021) after each block, and a permutation test.',
  settings: transformerAblationSettings,
  runLength: { defaultSteps: 300 },
  create: createAblationRun,
  summarize(_runs, _records, snapshot) {
    return isAblationSnapshot(snapshot) ? summarizeAblation(snapshot) : undefined;
  },
};
