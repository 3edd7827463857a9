/**
 * `npm run experiment`: its output formats and its errors, through runCli (fast) and once as a
 * real process (exit codes, stdout/stderr separation).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { initNodeBackend } from '../../src/engine/backend-node';
import { runCli } from '../../src/cli/experiment';
import { experiments } from '../../src/runtime/registry';
import { defaultSettings, runLength } from '../../src/engine/settings';

beforeAll(async () => {
  await initNodeBackend();
});

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), progress: false });
  return { code, stdout, stderr };
}

describe('npm run experiment', () => {
  it('--list names every experiment', async () => {
    const { code, stdout } = await run(['--list']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^gradient-flow\t/m);
  });

  it('--json prints settings, one record per step with per-layer gradient norms, and a summary', async () => {
    const { code, stdout, stderr } = await run(['gradient-flow', '--depth', '5', '--width', '8', '--activation', 'tanh', '--steps', '12', '--seed', '3', '--json']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const output = JSON.parse(stdout);
    expect(output.settings).toMatchObject({ depth: 5, width: 8, activation: 'tanh', seed: 3, skip: 'none' });
    expect(output.records).toHaveLength(12);
    expect(output.records[0]).toMatchObject({ run: 0, step: 1 });
    expect(output.records[11].step).toBe(12);
    expect(output.records[0].gradNorms).toHaveLength(5);
    expect(typeof output.records[0].loss).toBe('number');
    expect(output.summary[0]).toMatchObject({ run: 0, steps: 12 });
    expect(output.summary[0].lastToFirstRatio).toBeGreaterThan(0);
  });

  it('the same flags give the same JSON', async () => {
    const args = ['gradient-flow', '--depth', '3', '--steps', '5', '--skip', 'residual', '--json'];
    expect((await run(args)).stdout).toBe((await run(args)).stdout);
  });

  it('--json stays valid JSON when a run diverges: the diverging step is there, NaN/Infinity as null', async () => {
    const { code, stdout } = await run(['gradient-flow', '--depth', '30', '--activation', 'linear', '--init', 'he', '--initScale', '3', '--learningRate', '10', '--steps', '5', '--json']);
    expect(code).toBe(0);
    const output = JSON.parse(stdout);
    expect(output.divergences).toHaveLength(1);
    const { step } = output.divergences[0];
    expect(output.records.map((r: { step: number }) => r.step)).toEqual(Array.from({ length: step }, (_, i) => i + 1));
    const last = output.records[output.records.length - 1];
    expect([last.loss, ...last.gradNorms].some((v: number | null) => v === null || v > 1e6)).toBe(true);
  });

  it('--backend picks the backend through io.useBackend and rejects unknown ones', async () => {
    const requested: string[] = [];
    let stdout = '';
    const code = await runCli(['gradient-flow', '--depth', '2', '--steps', '2', '--backend', 'cpu', '--json'], {
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
      progress: false,
      useBackend: async (backend) => (requested.push(backend), 'cpu'),
    });
    expect(code).toBe(0);
    expect(requested).toEqual(['cpu']);
    expect(JSON.parse(stdout).records).toHaveLength(2);
    const bad = await run(['gradient-flow', '--backend', 'gpu']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--backend must be one of wasm, cpu, got "gpu"');
  });

  it('--csv prints a header and one row per step', async () => {
    const { code, stdout } = await run(['gradient-flow', '--depth', '3', '--steps', '4', '--csv']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    // The same columns as the widget's "Run as CSV" export (one definition, in the widget kit).
    expect(lines[0].split(',').slice(0, 8)).toEqual(['run', 'run_label', 'step', 'loss', 'accuracy', 'grad_norm_1', 'grad_norm_2', 'grad_norm_3']);
    // Fields, with quoted ones (run labels hold commas) kept whole.
    const fields = (line: string) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.filter((field) => field !== '').map((field) => field.replace(/,$/, ''));
    expect(fields(lines[4])[2]).toBe('4');
    expect(lines.every((line) => fields(line).length === fields(lines[0]).length)).toBe(true);
  });

  it('--csv of an experiment that does not train prints its summary rows', async () => {
    const args = ['shattered-gradients', '--depth', '4', '--width', '16', '--points', '64'];
    const json = JSON.parse((await run([...args, '--json'])).stdout);
    const { code, stdout } = await run([...args, '--csv']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('run,label,skip,depth,correlation');
    expect(lines).toHaveLength(1 + json.summary.length);
    const last = json.summary[json.summary.length - 1];
    expect(lines[lines.length - 1]).toBe(`${last.run},"${last.label}",${last.skip},${last.depth},${last.correlation}`);
  });

  it('bad flags and values exit 2 with every problem and the valid flags listed', async () => {
    const { code, stdout, stderr } = await run(['gradient-flow', '--depth', '60', '--bogus', '3', '--skip', 'highway']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    // The same words as the page and the worker (one validator), prefixed with the flag.
    expect(stderr).toContain('--depth: Hidden layers must be between 2 and 50.');
    expect(stderr).toContain('unknown flag --bogus');
    expect(stderr).toContain('--skip: Skip connections must be one of: None (plain), Residual (add the input), Dense (concatenate all earlier outputs) (values none, residual, dense).');
    expect(stderr).toMatch(/Valid flags for gradient-flow: --depth, --width, .*--steps/);
  });

  it('an unknown experiment or none at all exits 2 and lists the experiments', async () => {
    const unknown = await run(['no-such-thing']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown experiment "no-such-thing". Valid: gradient-flow');
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('gradient-flow');
  });

  it('runs as a process: JSON on stdout, exit code 2 on a bad flag', () => {
    const ok = spawnSync('node_modules/.bin/tsx', ['--import', './src/cli/node-hooks.mjs', 'src/cli/experiment.ts', 'gradient-flow', '--depth', '2', '--steps', '3', '--json'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).records).toHaveLength(3);
    const bad = spawnSync('node_modules/.bin/tsx', ['--import', './src/cli/node-hooks.mjs', 'src/cli/experiment.ts', 'gradient-flow', '--steps', 'many'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--steps must be an integer');
  });

  describe('--steps means the run length for every registered experiment', () => {
    /** Small settings per experiment so each run takes a second or two. A new experiment must add a line. */
    const smallSettings: Record<string, string[]> = {
      'gradient-flow': ['--depth', '3', '--width', '4'],
      degradation: ['--depths', '2,32', '--seeds', '1', '--width', '4'],
      'shattered-gradients': ['--depth', '2', '--width', '8', '--points', '32'],
      'loss-landscape': ['--depth', '3', '--width', '4', '--trainSteps', '50', '--resolution', '21'],
      lesion: ['--depth', '3', '--width', '4', '--trainSteps', '50'],
      'tied-units': ['--depth', '3', '--width', '4'],
      permutation: ['--network', 'every-layer'],
      'symmetry-test': ['--seeds', '2', '--depth', '3', '--width', '4'],
      'mirror-loss': ['--landscape', 'false-minimum'],
      transformer: ['--layers', '1', '--heads', '1'],
      'transformer-ablation': ['--layers', '1', '--comparison', 'positions'],
      'dense-reuse': ['--depth', '3', '--width', '8'],
      unet: ['--trainImages', '8'],
      'degradation-images': ['--depths', '4,24', '--channels', '4', '--batchSize', '8'],
    };

    /**
     * Fewer steps where one step is slow on the unit tests' cpu backend: two U-Nets take about
     * 1.4 s of CPU per step there (23 steps ran past 180 s on a loaded machine).
     */
    const testSteps: Record<string, number> = { unet: 7 };

    it('every registered experiment has small test settings here', () => {
      expect(Object.keys(smallSettings).sort()).toEqual(Object.keys(experiments).sort());
    });

    for (const experiment of Object.values(experiments)) {
      const length = experiment.runLength;
      if ('computeOnly' in length) {
        it(`${experiment.name}: computes without training, so --steps is refused and the result is there without it`, async () => {
          const refused = await run([experiment.name, ...smallSettings[experiment.name], '--steps', '7', '--json']);
          expect(refused.code).toBe(2);
          expect(refused.stderr).toContain(`--steps does not apply: ${experiment.name} computes its result without training`);
          const { code, stdout } = await run([experiment.name, ...smallSettings[experiment.name], '--json']);
          expect(code).toBe(0);
          const output = JSON.parse(stdout);
          expect(output.records).toEqual([]);
          expect(output.snapshot).toBeDefined();
        });
        continue;
      }
      if ('fromSettings' in length) {
        it(`${experiment.name}: its run length follows its settings, so --steps is refused and the settings' length is run`, async () => {
          const refused = await run([experiment.name, ...smallSettings[experiment.name], '--steps', '7', '--json']);
          expect(refused.code).toBe(2);
          expect(refused.stderr).toContain(`--steps does not apply: ${experiment.name}'s run length follows its settings`);
          const { code, stdout } = await run([experiment.name, ...smallSettings[experiment.name], '--json']);
          expect(code).toBe(0);
          const output = JSON.parse(stdout);
          expect(output.steps).toBe(length.fromSettings(output.settings));
          // Every network trains trainSteps steps; the remaining steps compute the experiment's result.
          for (const info of output.runs) expect(output.records.filter((r: { run: number }) => r.run === info.id)).toHaveLength(50);
          expect(output.snapshot.phase).toBe('done');
          // A few seconds on an idle machine; the limit leaves room for a busy one.
        }, 180_000);
        continue;
      }
      it(`${experiment.name}: --steps N trains exactly N steps in every run and reports N`, async () => {
        const defaultLength = runLength(experiment, defaultSettings(experiment.settings));
        // Not the default, and inside the setting's range when the run length is a setting.
        const steps = testSteps[experiment.name] ?? 23;
        expect(steps).not.toBe(defaultLength);
        const { code, stdout, stderr } = await run([experiment.name, ...smallSettings[experiment.name], '--steps', String(steps), '--json']);
        expect(stderr).toBe('');
        expect(code).toBe(0);
        const output = JSON.parse(stdout);
        expect(output.steps).toBe(steps);
        if ('setting' in length) expect(output.settings[length.setting]).toBe(steps);
        expect(output.divergences).toEqual([]);
        expect(output.runs.length).toBeGreaterThan(0);
        for (const info of output.runs) {
          const own = output.records.filter((r: { run: number }) => r.run === info.id).map((r: { step: number }) => r.step);
          expect(own).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
        }
        // Seconds on an idle machine (the U-Net's 7 steps are the slowest); room for a busy one.
      }, 180_000);
    }
  });

  it('shattered gradients: the summary carries every correlation of the snapshot, in --json and in the text output', async () => {
    const args = ['shattered-gradients', '--depth', '4', '--width', '16', '--points', '64', '--seed', '2'];
    const json = await run([...args, '--json']);
    expect(json.code).toBe(0);
    const output = JSON.parse(json.stdout);
    expect(output.summary).toHaveLength(output.snapshot.correlations.length);
    expect(output.summary.map((row: { skip: string; depth: number; correlation: number }) => ({ skip: row.skip, depth: row.depth, correlation: row.correlation }))).toEqual(
      output.snapshot.correlations,
    );
    expect(output.summary[0]).toMatchObject({ run: 0, label: output.runs[0].label });
    const text = await run(args);
    expect(text.code).toBe(0);
    const summaryLine = text.stdout.split('\n').find((line) => line.startsWith('summary: '));
    expect(JSON.parse(summaryLine!.slice('summary: '.length))).toEqual(output.summary);
  });

  it('an experiment whose run length is a setting has an integer setting of that name; the others have none called steps', () => {
    for (const experiment of Object.values(experiments)) {
      const stepsSetting = experiment.settings.find((spec) => spec.key === 'steps');
      if ('setting' in experiment.runLength) expect(stepsSetting?.kind).toBe('int');
      else expect(stepsSetting).toBeUndefined();
    }
  });
});
