/**
 * The generic multi-run trainer: every MLP experiment is a list of RunSpecs handed to it.
 *
 * ```ts
 * import { createMlpExperimentRun } from '~/engine/trainer';
 * const run = createMlpExperimentRun([
 *   { label: 'plain, 20 layers', network: { ...net, skip: 'none' }, train },
 *   { label: 'residual, 20 layers', network: { ...net, skip: 'residual' }, train },
 * ]);
 * const records = run.train(100); // StepRecord[] for steps 1-100 of every live run, in step order
 * run.divergences();              // runs that stopped: step and plain-language reason
 * run.dispose();                  // frees every tensor
 * ```
 *
 * - Run ids are the indices into `specs`; `runs` lists them with their labels (RunInfo).
 * - Runs whose architecture and training set-up are identical apart from `network.seed`,
 *   `train.dataSeed` and `train.learningRate` are trained as one batch (one set of kernel calls
 *   over a leading runs axis), so 8 seeds cost little more than one. Mixed architectures form
 *   several groups; each group trains in lockstep with the others.
 * - A run diverges when its loss is NaN/Inf or a layer's gradient norm is not finite or exceeds
 *   `explodingGradientNorm` (default 1e6; ./train/divergence.ts, naming the layer). It stops; the others go on. Its last record is the
 *   diverging step itself, with its NaN, infinite or huge values as they came (so a run that
 *   explodes at step 1 still shows the explosion; every earlier step is there with its finite
 *   values); `divergences()` says at which step and why. Records hold NaN and Infinity as plain
 *   numbers: postMessage carries them; JSON output turns them into null.
 * - Each RunInfo carries the spec's skip, depth and seed, and names the hidden layers its records
 *   describe (`describeLayers`: layer1 … layerN, or stem, block1.layer1 … for residual nets).
 * - Needs a TF.js backend to be ready (`initBrowserBackend()` from '~/runtime/backend-browser' in
 *   the browser worker, `initNodeBackend()` from './backend-node' in the CLI and the tests).
 */
import type { Divergence, ExperimentRun, RunInfo, RunSpec, StepRecord } from './types';
import { MlpGroup, architectureKey, resolveArchitecture, type RunSlot } from './mlp';
import { describeLayers } from './layer-names';
import { DEFAULT_EXPLODING_NORM, divergenceReason } from './train/divergence';

export interface MlpTrainerOptions {
  /** Gradient norm above which a run counts as exploding. */
  explodingGradientNorm?: number;
  /** Most steps between read-backs inside one `train(steps)` call (groups may lower it to bound memory). */
  maxStepsPerReadBack?: number;
  /**
   * Starting parameters of a run instead of its seed's (e.g. two units made identical), one array
   * per parameter tensor in `paramLayout` order; undefined for a run starts from its seed.
   */
  initialParameters?: (runId: number) => readonly Float32Array[] | undefined;
  /**
   * Train only these runs (ids are indices into `specs`, kept as they are): one shard of an
   * experiment that a pool of workers splits (see `mlpShardRunIds`). `runs` lists only them.
   */
  runIds?: readonly number[];
}

export interface MlpExperimentRun extends ExperimentRun {
  /** The groups of batched runs (for tests and benchmarks). */
  readonly groups: readonly MlpGroup[];
  /** Last completed step. */
  readonly step: number;
  /** Copies of a live run's current parameters, in `paramLayout` order (undefined once it diverged). */
  parameters(runId: number): Float32Array[] | undefined;
}

export function createMlpExperimentRun(specs: readonly RunSpec[], options: MlpTrainerOptions = {}): MlpExperimentRun {
  if (specs.length === 0) throw new Error('An experiment needs at least one run');
  const explodingNorm = options.explodingGradientNorm ?? DEFAULT_EXPLODING_NORM;
  const maxStepsPerReadBack = options.maxStepsPerReadBack ?? 64;
  const runs: RunInfo[] = [];
  const layersOf = new Map<number, RunInfo['layers']>();
  const included = options.runIds ? new Set(options.runIds) : undefined;

  // Group runs that can share kernel calls.
  const byKey = new Map<string, { architecture: ReturnType<typeof resolveArchitecture>; slots: RunSlot[] }>();
  specs.forEach((spec, runId) => {
    if (included && !included.has(runId)) return;
    const architecture = resolveArchitecture(spec.network, spec.train);
    layersOf.set(runId, describeLayers(architecture));
    runs.push({ id: runId, label: spec.label, layers: layersOf.get(runId) ?? [], skip: spec.network.skip, depth: spec.network.depth, seed: spec.network.seed });
    if (!(spec.train.learningRate > 0) || !Number.isFinite(spec.train.learningRate)) {
      throw new Error(`learningRate must be a positive number, got ${spec.train.learningRate}`);
    }
    if (!Number.isInteger(spec.train.batchSize) || spec.train.batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${spec.train.batchSize}`);
    const key = architectureKey(architecture);
    const entry = byKey.get(key) ?? { architecture, slots: [] };
    entry.slots.push({ runId, seed: spec.network.seed, dataSeed: spec.train.dataSeed ?? 1, learningRate: spec.train.learningRate, initialParameters: options.initialParameters?.(runId) });
    byKey.set(key, entry);
  });
  let groups: MlpGroup[] = [...byKey.values()].map(({ architecture, slots }) => new MlpGroup(architecture, slots));
  const divergences: Divergence[] = [];
  let step = 0;
  let disposed = false;

  const collect = (): StepRecord[] => {
    const records: StepRecord[] = [];
    for (const group of groups) {
      const diverged = new Set<number>();
      for (const stats of group.collect()) {
        if (diverged.has(stats.runId)) continue;
        const reason = divergenceReason(stats, layersOf.get(stats.runId) ?? [], explodingNorm);
        const { runId, step: recordStep, ...rest } = stats;
        // The diverging step's record is kept too: it is what the reader needs to see.
        records.push({ run: runId, step: recordStep, ...rest });
        if (reason) {
          diverged.add(stats.runId);
          divergences.push({ run: stats.runId, step: stats.step, reason });
        }
      }
      if (diverged.size > 0) group.removeRuns([...diverged]);
    }
    const emptied = groups.filter((group) => group.size === 0);
    emptied.forEach((group) => group.dispose());
    groups = groups.filter((group) => group.size > 0);
    return records;
  };

  return {
    runs,
    get groups() {
      return groups;
    },
    get step() {
      return step;
    },
    train(steps: number): StepRecord[] {
      if (disposed) throw new Error('This experiment run was disposed');
      const records: StepRecord[] = [];
      for (let done = 0; done < steps && groups.length > 0; ) {
        const chunk = Math.min(maxStepsPerReadBack, steps - done, ...groups.map((group) => group.maxPendingSteps));
        for (let i = 0; i < chunk; i++) for (const group of groups) group.step();
        step += chunk;
        done += chunk;
        records.push(...collect());
      }
      // Step order, then run order, whatever the grouping.
      return records.sort((a, b) => a.step - b.step || a.run - b.run);
    },
    parameters(runId: number): Float32Array[] | undefined {
      for (const group of groups) {
        const index = group.runSlots.findIndex((slot) => slot.runId === runId);
        if (index >= 0) return group.parameterValues(index);
      }
      return undefined;
    },
    divergences: () => divergences,
    dispose() {
      disposed = true;
      groups.forEach((group) => group.dispose());
      groups = [];
    },
  };
}

/**
 * The runs of shard `index` of `count`, for a pool of workers that splits an MLP experiment: runs
 * that train as one batch (same architecture) stay together, so each run's records are exactly
 * those of the whole experiment, and the batches are dealt out largest first to the shard with the
 * least work so far (cost: layers × runs × batch × width², plus a fixed cost per layer), so the
 * shards finish at about the same time. Deterministic; every run is in exactly one shard.
 */
export function mlpShardRunIds(specs: readonly RunSpec[], index: number, count: number): number[] {
  const batches = new Map<string, { ids: number[]; cost: number }>();
  specs.forEach((spec, runId) => {
    const architecture = resolveArchitecture(spec.network, spec.train);
    const key = architectureKey(architecture);
    const batch = batches.get(key) ?? { ids: [], cost: 0 };
    batch.ids.push(runId);
    // As the degradation lab's run-time estimate models a step: per layer of each run, a fixed
    // cost (kernel launches, 3.2e-4 s) plus arithmetic (7.5e-9 s per unit of batch × width²).
    const layers = architecture.depth + 2;
    batch.cost += layers * (3.2e-4 + 7.5e-9 * architecture.batchSize * architecture.width * architecture.width);
    batches.set(key, batch);
  });
  const load = new Array<number>(Math.max(1, count)).fill(0);
  const shards: number[][] = load.map(() => []);
  // Largest first; ties keep the experiment's order, so the split never depends on Map order quirks.
  const ordered = [...batches.values()].map((batch, order) => ({ ...batch, order })).sort((a, b) => b.cost - a.cost || a.order - b.order);
  for (const batch of ordered) {
    const target = load.indexOf(Math.min(...load));
    load[target] += batch.cost;
    shards[target].push(...batch.ids);
  }
  return (shards[index] ?? []).sort((a, b) => a - b);
}

/** Each run's loss at its last record, for an experiment's CLI summary. */
export function finalLossPerRun(runs: readonly RunInfo[], records: readonly StepRecord[]): { run: number; label: string; finalLoss: number | undefined }[] {
  const last = new Map<number, number>();
  for (const record of records) last.set(record.run, record.loss);
  return runs.map((run) => ({ run: run.id, label: run.label, finalLoss: last.get(run.id) }));
}

/**
 * Wraps a run so that training stops after `maxSteps` and `probe(step)` is called at every
 * multiple of `every` (and at the last step), e.g. to read parameters back and measure them.
 * The records are the inner run's, unchanged.
 */
export function probeEvery(inner: MlpExperimentRun, options: { every: number; maxSteps: number; probe: (step: number) => void }): MlpExperimentRun {
  const { every, maxSteps, probe } = options;
  let done = 0;
  return {
    get runs() {
      return inner.runs;
    },
    get groups() {
      return inner.groups;
    },
    get step() {
      return inner.step;
    },
    parameters: (runId) => inner.parameters(runId),
    train(steps: number): StepRecord[] {
      const records: StepRecord[] = [];
      let remaining = Math.max(0, Math.min(steps, maxSteps - done));
      while (remaining > 0 && inner.groups.length > 0) {
        const chunk = Math.min(remaining, every - (done % every));
        records.push(...inner.train(chunk));
        done += chunk;
        remaining -= chunk;
        if (done % every === 0 || done === maxSteps) probe(done);
      }
      return records;
    },
    divergences: () => inner.divergences(),
    dispose: () => inner.dispose(),
  };
}
