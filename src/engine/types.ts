/**
 * The contract between the training engine, the widgets and the pages.
 *
 * Everything here is plain data or a plain interface: no TF.js, no DOM. Records are the one thing
 * that crosses from the worker to the page; charts, summaries, data tables, exercise checks and
 * exports all read them.
 */

// ---------------------------------------------------------------------------------------------
// Settings: one declarative table per widget. Controls, URL state, CLI flags and validation are
// all derived from it.
// ---------------------------------------------------------------------------------------------

interface SettingBase {
  /** Name used in the URL, on the command line (--<key>) and in settings objects. camelCase. */
  key: string;
  /** Visible label of the control. */
  label: string;
  /** One sentence shown as the control's description. */
  help?: string;
}

export interface NumberSetting extends SettingBase {
  kind: 'int' | 'number';
  min: number;
  max: number;
  step?: number;
  default: number;
  /** Show and step the control on a log scale (learning rates, weight scales). */
  scale?: 'linear' | 'log';
}

export interface ChoiceSetting extends SettingBase {
  kind: 'choice';
  options: readonly { value: string; label: string }[];
  default: string;
}

export interface BooleanSetting extends SettingBase {
  kind: 'boolean';
  default: boolean;
}

export type SettingSpec = NumberSetting | ChoiceSetting | BooleanSetting;
export type SettingValue = number | string | boolean;
export type SettingsValues = Record<string, SettingValue>;

// ---------------------------------------------------------------------------------------------
// Networks and training
// ---------------------------------------------------------------------------------------------

export type Activation = 'sigmoid' | 'tanh' | 'relu' | 'linear';
/** naive: N(0, initScale²) with initScale 0.01 by default; glorot: Var = 2/(fan_in+fan_out); he: Var = 2/fan_in. */
export type Init = 'naive' | 'glorot' | 'he';
export type Norm = 'none' | 'batch' | 'layer';
/** residual: identity skip around every block of `blockSize` layers; dense: each layer sees all earlier outputs. */
export type Skip = 'none' | 'residual' | 'dense';
export type Optimizer = 'sgd' | 'momentum' | 'adam';
export type Loss = 'mse' | 'cross-entropy';
export type DatasetName = 'spirals' | 'circles' | 'xor' | 'blobs' | 'regression-1d' | 'regression-2d';

export interface NetworkConfig {
  inputSize: number;
  outputSize: number;
  /** Number of hidden layers, 1 to 50. */
  depth: number;
  width: number;
  activation: Activation;
  init: Init;
  /** Standard deviation for init 'naive'; a multiplier on the Glorot/He scale otherwise. */
  initScale?: number;
  norm: Norm;
  skip: Skip;
  /** Layers per residual block: 1 (skip around every layer) or 2. */
  blockSize?: 1 | 2;
  /** Fraction of each hidden layer's units dropped at every training step (inverted dropout); 0 or undefined = none. */
  dropout?: number;
  seed: number;
}

export interface TrainConfig {
  dataset: DatasetName;
  /** Number of training examples generated from the data seed. */
  datasetSize?: number;
  dataSeed?: number;
  loss: Loss;
  optimizer: Optimizer;
  learningRate: number;
  momentum?: number;
  batchSize: number;
  /** Clip the global gradient norm to this value; 0 or undefined = no clipping. */
  clipNorm?: number;
  /** Record per-layer activation statistics (costs extra work). */
  activationStats?: boolean;
}

/** One network trained in an experiment. Experiments like "degradation" train several side by side. */
export interface RunSpec {
  /** Shown in legends and tables, e.g. "plain, 32 layers, seed 2". */
  label: string;
  network: NetworkConfig;
  train: TrainConfig;
}

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

/** One layer of a model as records and charts name it, e.g. { id: 'enc2.conv1', label: 'encoder 2, conv 1', group: 'enc2' }. */
export interface LayerInfo {
  /** Stable dotted name, unique within the run: exports, the CLI and exercise checks key on it. */
  id: string;
  /** Plain words for charts, tables and screen readers. */
  label: string;
  /** The block or stage the layer belongs to (its own id when it stands alone). */
  group: string;
}

/** Describes one run of an experiment; `id` indexes StepRecord.run. */
export interface RunInfo {
  id: number;
  label: string;
  /**
   * The layers per-layer statistics describe, input side first: entry i names index i of
   * StepRecord.gradNorms, weightNorms, updateRatios and the activation statistics. Empty when a
   * run records no per-layer statistics.
   */
  layers: LayerInfo[];
  skip?: Skip;
  depth?: number;
  seed?: number;
}

export interface ActivationStats {
  /** One entry per hidden layer, input side first. */
  mean: number[];
  std: number[];
  /** Fraction of units in the flat part of a sigmoid/tanh (|derivative| < 5% of its maximum). */
  saturated: number[];
  /** Fraction of ReLU units that output zero for the whole batch. */
  dead: number[];
}

/** What one training step of one run produced. */
export interface StepRecord {
  run: number;
  /** 1-based step count after this update. */
  step: number;
  loss: number;
  accuracy?: number;
  /** L2 norm of the loss gradient w.r.t. each hidden layer's weight matrix, input side first. */
  gradNorms: number[];
  weightNorms: number[];
  /** ‖ΔW‖ / ‖W‖ of the update just applied, per layer. */
  updateRatios: number[];
  activations?: ActivationStats;
}

export interface Divergence {
  run: number;
  step: number;
  /** Plain-language reason, e.g. "loss became NaN" or "gradient norm 3e+12 in layer 1". */
  reason: string;
}

/**
 * A live experiment: created from settings, trained in chunks. The worker, the CLI and the tests
 * all drive experiments through this interface.
 */
export interface ExperimentRun {
  readonly runs: readonly RunInfo[];
  /** Trains every live run `steps` more steps and returns the records they made, in step order. */
  train(steps: number): StepRecord[];
  /** Runs that diverged so far (they stop training; the others go on). */
  divergences(): readonly Divergence[];
  /**
   * Experiment-specific results that are not a time series (e.g. input-gradient curves), plain
   * data. Return a new object when the results change: the worker posts it only then.
   */
  snapshot?(): unknown;
  /** Frees every tensor the experiment holds. */
  dispose(): void;
}

/**
 * How long an experiment's run trains. One declaration per experiment, so `--steps` on the command
 * line, a page's `maxSteps` and the lab's own control can never disagree:
 * - `setting`: the experiment's `steps` setting holds it (its control, a link, a preset, or `--steps`);
 * - `defaultSteps`: that many steps, unless a page embeds the widget with `maxSteps` or the CLI gets `--steps`;
 * - `computeOnly`: nothing trains; the result is computed when the run is created (one step posts it);
 * - `fromSettings`: a function of the (resolved) settings, for runs made of phases whose lengths are
 *   settings (e.g. training steps, then one step per row of a landscape grid).
 */
export type RunLength = { setting: 'steps' } | { defaultSteps: number } | { computeOnly: true } | { fromSettings: (settings: SettingsValues) => number };

/** A data file shipped with the site that experiments may need (see src/engine/data/assets.ts). */
export type DataAsset = 'fashion-mnist';

export interface Experiment {
  /** Registry key, used by the worker and `npm run experiment -- <name>`. */
  name: string;
  title: string;
  description: string;
  settings: readonly SettingSpec[];
  /** How long a run trains; the worker, the widget and the CLI all read it through runLength() (./settings.ts). */
  runLength: RunLength;
  /** Data files the worker or the CLI loads before create() (from the site's own files, or from disk). */
  assets?: readonly DataAsset[];
  /**
   * Fewest steps the worker trains per `records` message while running at full speed (default 1;
   * a speed cap, `step` and the run's end may make a chunk shorter). For experiments whose step
   * takes longer than the worker's ~12 ms budget: each `train(steps)` call reads results back
   * once (per step, records are kept), so a chunk of one step costs a read-back per step.
   */
  minStepsPerChunk?: number;
  create(settings: SettingsValues): ExperimentRun;
  /**
   * Optional: shard `index` of `count` of the runs create() makes, for a pool of workers that
   * trains the shards side by side (src/widgets/kit/worker-pool.ts). Run ids stay those of
   * create(), every run is in exactly one shard, and each run's records are exactly those it
   * gets in create() (runs that share kernel calls stay in one shard). A shard may be empty.
   * Without it, shard 0 trains everything and the others nothing. A shard's snapshot() covers
   * only its own runs: the widget that pools such an experiment merges the shards' snapshots
   * (TrainingWidget.mergeShardSnapshots).
   */
  createShard?(settings: SettingsValues, shard: Shard): ExperimentRun;
  /**
   * Summarises a finished run for the CLI's output (e.g. one row per run with its final loss);
   * `snapshot` is the run's snapshot(), for results that are not records.
   */
  summarize?(runs: readonly RunInfo[], records: readonly StepRecord[], snapshot?: unknown): unknown;
}

// ---------------------------------------------------------------------------------------------
// Worker protocol
// ---------------------------------------------------------------------------------------------

/** One part of an experiment's runs, for one worker of a pool: part `index` (from 0) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

export type ToWorker =
  /**
   * paused: create the run (and post 'started') without training until 'resume' or 'step'.
   * shard: train only that part of the runs (Experiment.createShard); 'started' lists only them.
   */
  | { type: 'start'; experiment: string; settings: SettingsValues; maxSteps?: number; paused?: boolean; shard?: Shard }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'step'; steps?: number }
  | { type: 'reset'; settings?: SettingsValues }
  /** Steps per second to aim for; Infinity = as fast as possible. */
  | { type: 'speed'; stepsPerSecond: number }
  | { type: 'dispose' };

export type FromWorker =
  | { type: 'ready'; backend: string; fallbackReason?: string }
  | { type: 'started'; runs: RunInfo[] }
  /** snapshot: only when it changed since the last one posted (the page keeps the last one). */
  | { type: 'records'; records: StepRecord[]; snapshot?: unknown }
  | { type: 'diverged'; divergence: Divergence }
  | { type: 'finished'; step: number }
  | { type: 'error'; message: string };

// ---------------------------------------------------------------------------------------------
// What a widget on the page exposes to exercises, summaries and tests (see docs/architecture.md)
// ---------------------------------------------------------------------------------------------

export type WidgetStatus = 'idle' | 'loading' | 'running' | 'paused' | 'finished' | 'diverged' | 'error';

/** A live widget's state, as read by exercise checks and exports. Plain data. */
export interface WidgetState {
  /** The widget's id on the page (its element's data-widget-id). */
  id: string;
  /** Which widget this is, e.g. "gradient-flow", "chain-rule-stepper". */
  kind: string;
  settings: SettingsValues;
  status: WidgetStatus;
  /** Last completed step (training widgets); 0 before training. */
  step: number;
  runs: readonly RunInfo[];
  /** Every record received so far, in order. */
  records: readonly StepRecord[];
  divergences: readonly Divergence[];
  /** Widget-specific plain data, e.g. the stepper's gradients or an experiment snapshot. */
  snapshot?: unknown;
  /** While status is 'error': what went wrong and what the reader can do, as the widget shows it. */
  error?: string;
  /** Training widgets: the back-end their worker trains on ("wasm", "cpu"), once it has loaded; absent before and after it is released. */
  backend?: string;
}
