/**
 * Tied units: two hidden units start with identical weights (incoming, bias, outgoing) in a plain
 * network, a residual network with blocks of two layers (the tied units are inner units of a block)
 * and a network with a skip around every layer (they are coordinates of the residual stream).
 * The three train side by side on the same data; the distance between the two units' parameter
 * vectors is measured every few steps. Swapping the two units is a symmetry of the first two
 * networks, so their gradients are equal and the units stay tied exactly; in the third the swap
 * also swaps two stream coordinates that differ, so the units separate (Orhan & Pitkow 2018).
 * Dropout gives the two units different masks and separates them everywhere.
 * Pure TypeScript over the engine; runs in the worker, in Node tests and from the CLI.
 */
import type { Experiment, RunSpec, SettingsValues } from '../../engine/types';
import { resolveSettings } from '../../engine/settings';
import { datasetShape } from '../../engine/datasets';
import { createMlpExperimentRun, finalLossPerRun, probeEvery } from '../../engine/trainer';
import { initialValues, paramLayout, resolveArchitecture } from '../../engine/mlp';
import { skipConfig, tieUnits, unitDistance } from '../../engine/units';
import { tiedUnitsSettings } from './settings';
import { TIED_NETWORKS, TIED_NETWORK_LABELS, finalDistances, type TiedDistance, type TiedNetwork, type TiedSnapshot } from './results';

const DATASET = 'spirals' as const;
/** Hidden layer (0-based) whose units 0 and 1 start tied: the first layer inside a block of two. */
export const TIED_LAYER = 1;
export const TIED_UNITS: [number, number] = [0, 1];
const PROBE_EVERY = 5;

export function tiedUnitsRunSpecs(values: SettingsValues): RunSpec[] {
  const settings = resolveSettings(tiedUnitsSettings, values);
  const shape = datasetShape(DATASET);
  return TIED_NETWORKS.map((kind) => ({
    label: TIED_NETWORK_LABELS[kind],
    network: {
      inputSize: shape.inputSize,
      outputSize: shape.outputSize,
      depth: settings.depth as number,
      width: settings.width as number,
      activation: 'tanh',
      init: 'glorot',
      norm: 'none',
      ...skipConfig(kind),
      dropout: settings.dropout as number,
      seed: settings.seed as number,
    },
    train: { dataset: DATASET, datasetSize: 256, dataSeed: 1, loss: 'cross-entropy', optimizer: 'adam', learningRate: settings.learningRate as number, batchSize: 32 },
  }));
}

export const tiedUnitsExperiment: Experiment = {
  name: 'tied-units',
  title: 'Tied units: do two identical hidden units stay identical under training?',
  description:
    'Starts two hidden units with identical weights in a plain network, inside a residual block, and in a network with a skip around every layer, trains all three, and measures the distance between the two units every few steps.',
  settings: tiedUnitsSettings,
  runLength: { setting: 'steps' },
  create(values) {
    const settings = resolveSettings(tiedUnitsSettings, values);
    const specs = tiedUnitsRunSpecs(settings);
    const architectures = specs.map((spec) => resolveArchitecture(spec.network, spec.train));
    const [a, b] = TIED_UNITS;
    const inner = createMlpExperimentRun(specs, {
      initialParameters: (runId) => {
        const architecture = architectures[runId];
        return tieUnits(architecture, initialValues(architecture, paramLayout(architecture), specs[runId].network.seed), TIED_LAYER, a, b);
      },
    });
    const distances: TiedDistance[] = [];
    const measure = (step: number) => {
      for (const run of inner.runs) {
        const values = inner.parameters(run.id);
        if (values) distances.push({ run: run.id, step, distance: unitDistance(architectures[run.id], values, TIED_LAYER, a, b) });
      }
    };
    measure(0);
    const run = probeEvery(inner, { every: PROBE_EVERY, maxSteps: settings.steps as number, probe: measure });
    const snapshot = (): TiedSnapshot => ({ layer: TIED_LAYER + 1, units: [a + 1, b + 1], distances: [...distances] });
    return { runs: run.runs, train: (steps: number) => run.train(steps), divergences: () => run.divergences(), snapshot, dispose: () => run.dispose() };
  },
  summarize: finalLossPerRun,
};

/** Final distance of each network, by kind (for tests and the CLI). */
export function finalDistanceByNetwork(snapshot: TiedSnapshot): Record<TiedNetwork, number | undefined> {
  const finals = finalDistances(snapshot);
  return { plain: finals.get(0), block: finals.get(1), 'every-layer': finals.get(2) };
}
