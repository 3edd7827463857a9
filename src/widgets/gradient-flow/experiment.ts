/**
 * The gradient-flow lab: one network trained live, recording every layer's gradient norm.
 * Pure TypeScript over the engine; runs in the worker, in Node tests and from the CLI.
 */
import type { Experiment, RunInfo, RunSpec, SettingsValues, StepRecord } from '../../engine/types';
import { resolveSettings } from '../../engine/settings';
import { datasetShape } from '../../engine/datasets';
import { createMlpExperimentRun } from '../../engine/trainer';
import { gradientFlowSettings } from './settings';

/** The RunSpec the lab trains for the given (validated) settings. */
export function gradientFlowRunSpec(values: SettingsValues): RunSpec {
  const settings = resolveSettings(gradientFlowSettings, values);
  const dataset = settings.dataset;
  const skip = settings.skip;
  const depth = settings.depth;
  return {
    label: `${skip === 'none' ? 'plain' : skip}, ${depth} layers, seed ${settings.seed}`,
    network: {
      inputSize: datasetShape(dataset).inputSize,
      outputSize: datasetShape(dataset).outputSize,
      depth,
      width: settings.width,
      activation: settings.activation,
      init: settings.init,
      initScale: settings.initScale,
      norm: settings.norm,
      skip,
      blockSize: 1,
      seed: settings.seed,
    },
    train: {
      dataset,
      loss: datasetShape(dataset).task === 'classification' ? 'cross-entropy' : 'mse',
      optimizer: settings.optimizer,
      learningRate: settings.learningRate,
      batchSize: settings.batchSize,
      clipNorm: settings.clipNorm,
      activationStats: true,
    },
  };
}

/** Geometric mean of a list of positive numbers (zeros count as the smallest float32). */
function geometricMean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  return Math.exp(values.reduce((sum, v) => sum + Math.log(Math.max(v, 1e-45)), 0) / values.length);
}

export interface GradientFlowSummary {
  run: number;
  label: string;
  steps: number;
  finalLoss: number;
  finalAccuracy?: number;
  /** Geometric mean over the recorded steps of the first and last hidden layer's gradient norm. */
  firstLayerGradNorm: number;
  lastLayerGradNorm: number;
  /** lastLayerGradNorm / firstLayerGradNorm: 1 means even flow, 1e6 means the first layer starves. */
  lastToFirstRatio: number;
}

export function summarizeGradientFlow(runs: readonly RunInfo[], records: readonly StepRecord[]): GradientFlowSummary[] {
  return runs.map((run) => {
    const own = records.filter((r) => r.run === run.id);
    const last = own[own.length - 1];
    const first = geometricMean(own.map((r) => r.gradNorms[0]));
    const lastLayer = geometricMean(own.map((r) => r.gradNorms[r.gradNorms.length - 1]));
    return {
      run: run.id,
      label: run.label,
      steps: last?.step ?? 0,
      finalLoss: last?.loss ?? NaN,
      finalAccuracy: last?.accuracy,
      firstLayerGradNorm: first,
      lastLayerGradNorm: lastLayer,
      lastToFirstRatio: lastLayer / first,
    };
  });
}

export const gradientFlowExperiment: Experiment = {
  name: 'gradient-flow',
  title: 'Gradient flow through a deep network',
  description: 'Trains one multi-layer perceptron and records every hidden layer’s gradient norm at every step.',
  settings: gradientFlowSettings,
  runLength: { defaultSteps: 2000 },
  create: (settings) => createMlpExperimentRun([gradientFlowRunSpec(settings)]),
  summarize: summarizeGradientFlow,
};
