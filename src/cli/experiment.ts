/**
 * `npm run experiment -- --list`
 * `npm run experiment -- <name> [--<setting> <value> ...] [--steps N] [--json | --csv]`
 *
 * Runs any registered experiment in Node on TF.js's cpu backend. The flags come from the
 * experiment's settings table (one source of truth with the widget's controls), so they are
 * validated the same way. Output goes to stdout; the progress bar and errors go to stderr.
 * Exit codes: 0 done, 1 the run failed, 2 bad command line.
 */
import { pathToFileURL } from 'node:url';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadAssets } from '../engine/data/assets';
import type { Experiment, SettingSpec, SettingsValues, StepRecord } from '../engine/types';
import { layerLabel } from '../engine/layer-names';
import { SettingsError, describeAllowed, resolveSettings, runLength, validateSetting } from '../engine/settings';
import { experiments, getExperiment } from '../runtime/registry';
import { runToCSV } from '../widgets/kit/export-format';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether to draw a progress bar (an interactive terminal). */
  progress: boolean;
  /** Switches TF.js to the requested backend and returns the one in use (cpu when wasm fails to load). */
  useBackend?: (backend: CliBackend) => Promise<string>;
}

export class UsageError extends Error {}

const MAX_STEPS = 1_000_000;
const BACKENDS = ['wasm', 'cpu'] as const;
export type CliBackend = (typeof BACKENDS)[number];
const PROGRAM_FLAGS = ['--list', '--steps <1-1000000>', '--backend <wasm|cpu>', '--json', '--csv', '--help'];

function usage(): string {
  return [
    'Usage: npm run experiment -- --list',
    '       npm run experiment -- <name> [--<setting> <value> ...] [--steps N] [--json | --csv]',
    '',
    'Experiments:',
    ...Object.values(experiments).map((e) => `  ${e.name.padEnd(22)} ${e.title}`),
    '',
    'Run `npm run experiment -- <name> --help` for its settings.',
  ].join('\n');
}

function describeSetting(spec: SettingSpec): string {
  const flag = spec.kind === 'boolean' ? `--${spec.key}` : `--${spec.key} <value>`;
  return `  ${flag.padEnd(26)} ${spec.label}: ${describeAllowed(spec)} (default ${spec.default})`;
}

/** The --steps line of the help: the run length, wherever the experiment declares it. */
function stepsHelp(experiment: Experiment): string[] {
  const length = experiment.runLength;
  if ('defaultSteps' in length) return [`  --steps <n>                Training steps, 1 to ${MAX_STEPS} (default ${length.defaultSteps})`];
  if ('setting' in length) return [`  --steps <n>                Training steps: the "${length.setting}" setting above`];
  if ('fromSettings' in length) return ['  (no --steps: the run length follows the settings above)'];
  return ['  (no --steps: this experiment computes its result without training)'];
}

function experimentHelp(experiment: Experiment): string {
  return [
    `${experiment.name}: ${experiment.title}`,
    experiment.description,
    '',
    'Settings:',
    ...experiment.settings.map(describeSetting),
    '',
    'Output and length:',
    ...stepsHelp(experiment),
    '  --backend wasm|cpu         TF.js backend (default wasm, falls back to cpu; results agree to float rounding)',
    '  --json                     Print {"settings", "runs", "records", "summary", "divergences"} as JSON',
    '                             (NaN and Infinity, e.g. in a diverged run\'s last record, print as null)',
    '  --csv                      Print one row per run and step, as the widget\'s CSV export does',
    '                             (an experiment that does not train: one row per summary entry)',
  ].join('\n');
}

function validFlags(experiment: Experiment): string {
  // --steps is listed once: as a setting, as a program flag, or not at all for a compute-only experiment.
  const programFlags = 'defaultSteps' in experiment.runLength ? PROGRAM_FLAGS : PROGRAM_FLAGS.filter((flag) => !flag.startsWith('--steps'));
  return [...experiment.settings.map((s) => `--${s.key}`), ...programFlags].join(', ');
}

export interface ParsedCommand {
  kind: 'list' | 'help' | 'run';
  experiment?: Experiment;
  settings: SettingsValues;
  /** The run length: from the experiment's `steps` setting, from --steps, or its default (runLength()). */
  steps: number;
  format: 'text' | 'json' | 'csv';
  /** TF.js backend: wasm by default (about 8x less CPU time than cpu on the degradation lab's defaults in Node). */
  backend: CliBackend;
}

/** Parses the arguments after `npm run experiment --`; throws UsageError with a helpful message. */
export function parseCommand(args: readonly string[]): ParsedCommand {
  const parsed: ParsedCommand = { kind: 'run', settings: {}, steps: 0, format: 'text', backend: 'wasm' };
  if (args.length === 0) throw new UsageError(`No experiment named.\n\n${usage()}`);
  if (args.includes('--list')) return { ...parsed, kind: 'list' };
  const [name, ...rest] = args;
  if (name === '--help' || name === '-h') return { ...parsed, kind: 'help' };
  if (name.startsWith('-')) throw new UsageError(`The first argument must be an experiment name, got "${name}".\n\n${usage()}`);
  const experiment = getExperiment(name);
  if (!experiment) throw new UsageError(`Unknown experiment "${name}". Valid: ${Object.keys(experiments).join(', ')}.`);
  parsed.experiment = experiment;
  const length = experiment.runLength;
  /** --steps given as a program flag (for an experiment with a fixed default length). */
  let requestedSteps: number | undefined;
  const specs = new Map(experiment.settings.map((spec) => [spec.key, spec]));
  const problems: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) {
      problems.push(`unexpected argument "${arg}" (flags start with --)`);
      continue;
    }
    const [flag, inlineValue] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === 'help') return { ...parsed, kind: 'help' };
    if (flag === 'json' || flag === 'csv') {
      if (parsed.format !== 'text' && parsed.format !== flag) problems.push('choose one of --json and --csv');
      parsed.format = flag;
      continue;
    }
    const spec = specs.get(flag);
    // An experiment whose run length is a setting reads --steps as that setting (one meaning for the flag).
    const stepsFlag = flag === 'steps' && !spec;
    const takesValue = stepsFlag || flag === 'backend' || (spec && spec.kind !== 'boolean');
    let value = inlineValue;
    if (value === undefined && takesValue) {
      const next = rest[i + 1];
      if (next === undefined || next.startsWith('--')) {
        problems.push(`--${flag} needs a value`);
        continue;
      }
      value = next;
      i++;
    }
    if (stepsFlag) {
      const steps = Number(value);
      if ('computeOnly' in length) problems.push(`--steps does not apply: ${experiment.name} computes its result without training`);
      else if ('fromSettings' in length) problems.push(`--steps does not apply: ${experiment.name}'s run length follows its settings (see --help)`);
      else if (!Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS) problems.push(`--steps must be an integer from 1 to ${MAX_STEPS}, got "${value}"`);
      else requestedSteps = steps;
      continue;
    }
    if (flag === 'backend') {
      if ((BACKENDS as readonly string[]).includes(value ?? '')) parsed.backend = value as CliBackend;
      else problems.push(`--backend must be one of ${BACKENDS.join(', ')}, got "${value}"`);
      continue;
    }
    if (!spec) {
      problems.push(`unknown flag --${flag}`);
      // Skip its value too, so one typo gives one message.
      if (inlineValue === undefined && rest[i + 1] !== undefined && !rest[i + 1].startsWith('--')) i++;
      continue;
    }
    // A bare boolean flag (--activationStats) means true.
    const checked = validateSetting(spec, value ?? 'true');
    if (checked.ok) parsed.settings[flag] = checked.value;
    else problems.push(`--${flag}: ${checked.message}`);
  }
  if (problems.length === 0) {
    try {
      parsed.settings = resolveSettings(experiment.settings, parsed.settings);
      parsed.steps = runLength(experiment, parsed.settings, requestedSteps);
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      problems.push(...error.problems.map((problem) => `--${problem.key}: ${problem.message}`));
    }
  }
  if (problems.length > 0) {
    throw new UsageError(`${problems.join('\n')}\n\nValid flags for ${experiment.name}: ${validFlags(experiment)}\n\n${experimentHelp(experiment)}`);
  }
  return parsed;
}

/**
 * JSON cannot hold NaN or Infinity. JSON.stringify already writes them as null; the replacer says
 * so on purpose (and matches the widget's JSON export), so --json always parses.
 */
function nonFiniteAsNull(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

function progressBar(done: number, total: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} steps`;
}

/** Runs the CLI; returns the exit code. Uses io.useBackend to pick --backend; without it, whatever backend is active. */
export async function runCli(args: readonly string[], io: CliIO): Promise<number> {
  let command: ParsedCommand;
  try {
    command = parseCommand(args);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (command.kind === 'list') {
    io.stdout(`${Object.values(experiments).map((e) => `${e.name}\t${e.title}`).join('\n')}\n`);
    return 0;
  }
  if (command.kind === 'help' || !command.experiment) {
    io.stdout(`${command.experiment ? experimentHelp(command.experiment) : usage()}\n`);
    return 0;
  }
  const { experiment, settings, steps } = command;
  if (io.useBackend) {
    const active = await io.useBackend(command.backend);
    if (active !== command.backend) io.stderr(`The ${command.backend} backend did not load; using ${active}.\n`);
  }
  await loadAssets(experiment.assets ?? [], (path) => readFile(resolve(import.meta.dirname, '../../public', path)));
  const run = experiment.create(settings);
  const records: StepRecord[] = [];
  try {
    const chunk = 50;
    for (let done = 0; done < steps; ) {
      const n = Math.min(chunk, steps - done);
      records.push(...run.train(n));
      done += n;
      if (io.progress && steps >= 200) io.stderr(progressBar(done, steps));
      if (run.divergences().length === run.runs.length) break;
    }
    if (io.progress && steps >= 200) io.stderr('\n');
    const snapshot = run.snapshot?.();
    const summary = experiment.summarize?.(run.runs, records, snapshot);
    const divergences = run.divergences();
    if (command.format === 'json') {
      const body = { experiment: experiment.name, settings, steps, runs: run.runs, records, summary, divergences, ...(snapshot === undefined ? {} : { snapshot }) };
      io.stdout(`${JSON.stringify(body, nonFiniteAsNull)}\n`);
    } else if (command.format === 'csv') {
      io.stdout(runToCSV(run.runs, records, summary));
    } else {
      const lines = [`${experiment.title}: ${steps} steps`, `settings: ${Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(' ')}`];
      for (const info of run.runs) {
        // A diverged run's last record is the diverging step: show the last finite one here.
        const divergedAt = divergences.find((d) => d.run === info.id)?.step ?? Infinity;
        const own = records.filter((r) => r.run === info.id && r.step < divergedAt);
        const last = own[own.length - 1];
        if (!last) continue;
        const grads = last.gradNorms;
        lines.push(
          `${info.label}: step ${last.step}, loss ${last.loss.toPrecision(4)}${last.accuracy === undefined ? '' : `, accuracy ${(last.accuracy * 100).toFixed(0)}%`}, ` +
            `gradient norm ${grads[0].toExponential(2)} in ${layerLabel(info.layers, 0)} (input side), ${grads[grads.length - 1].toExponential(2)} in ${layerLabel(info.layers, grads.length - 1)}`,
        );
      }
      for (const d of divergences) {
        const record = records.find((r) => r.run === d.run && r.step === d.step);
        lines.push(`${run.runs[d.run].label}: diverged at step ${d.step}: ${d.reason}${record ? ` (loss ${record.loss.toPrecision(4)})` : ''}`);
      }
      if (summary !== undefined) lines.push(`summary: ${JSON.stringify(summary)}`);
      io.stdout(`${lines.join('\n')}\n`);
    }
    return 0;
  } finally {
    run.dispose();
  }
}

async function main(): Promise<void> {
  const { initNodeBackend } = await import('../engine/backend-node');
  const code = await runCli(process.argv.slice(2), {
    useBackend: initNodeBackend,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    progress: Boolean(process.stderr.isTTY),
  });
  process.exitCode = code;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
