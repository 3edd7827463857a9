/**
 * The degradation lab's custom element: training-loss curves (mean over seeds, one per depth and
 * skip type) and final training loss against depth (one line per seed, plain and residual).
 * Everything else (worker, controls, URL state, summaries, exports) comes from the widget kit.
 */
import { LineChart } from '~/charts/line-chart';
import { TrainingWidget, type ExportableChart } from '~/widgets/kit/training-widget';
import { poolSizeForThisComputer } from '~/widgets/kit/worker-pool';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import { skipSeriesGroup } from '~/widgets/kit/skip-groups';
import { extremes, resultsByDepth, skipName, summarizeDegradation, type DepthResult } from './results';
import { degradationStepSeconds } from './estimate';

function formatLoss(value: number): string {
  return Number.isFinite(value) ? value.toFixed(3) : '–';
}

class DegradationWidget extends TrainingWidget {
  private lossChart: LineChart | undefined;
  private finalChart: LineChart | undefined;
  private drawnRevision = -1;

  /** Its (skip, depth) networks train side by side on every core (Experiment.createShard). */
  protected workerPoolSize(): number {
    return poolSizeForThisComputer();
  }

  protected modelledStepSeconds(): number {
    return degradationStepSeconds(this.settings);
  }

  protected createCharts(chartArea: HTMLElement): void {
    const slot = (name: string) => chartArea.querySelector<HTMLElement>(`[data-chart="${name}"]`) ?? chartArea;
    this.lossChart = new LineChart(slot('loss'), { label: 'Training loss by step, mean over seeds, log scale', yLabel: 'loss', xLabel: 'step', logY: true, height: 240 });
    this.finalChart = new LineChart(slot('final'), { label: 'Final training loss against number of hidden layers, one line per seed', yLabel: 'final loss', xLabel: 'hidden layers', logY: true, height: 240 });
  }

  private results(): DepthResult[] {
    const diverged = new Set(this.divergences.map((d) => d.run));
    return resultsByDepth(summarizeDegradation(this.runs, this.store.records, diverged));
  }

  protected renderCharts(): void {
    if (this.store.revision === this.drawnRevision) return;
    this.drawnRevision = this.store.revision;
    // Mean loss per (skip, depth) at every step; depth sets each line's shade and weight within its kind.
    const depths = [...new Set(this.runs.map((run) => run.depth ?? 0))].sort((a, b) => a - b);
    const groups = new Map<string, { label: string; skip: string | undefined; depth: number; sums: Map<number, { total: number; count: number }> }>();
    const runGroup = new Map(this.runs.map((run) => [run.id, `${skipName(run.skip)}, ${run.depth} layers`]));
    for (const run of this.runs) {
      const label = runGroup.get(run.id)!;
      if (!groups.has(label)) groups.set(label, { label, skip: run.skip, depth: run.depth ?? 0, sums: new Map() });
    }
    for (const record of this.store.records) {
      const group = groups.get(runGroup.get(record.run) ?? '');
      if (!group) continue;
      const entry = group.sums.get(record.step) ?? { total: 0, count: 0 };
      entry.total += record.loss;
      entry.count += 1;
      group.sums.set(record.step, entry);
    }
    this.lossChart?.update(
      [...groups.values()].map((group) => {
        const steps = [...group.sums.keys()].sort((a, b) => a - b);
        return {
          id: group.label,
          label: group.label,
          group: skipSeriesGroup(group.skip, depths.indexOf(group.depth), depths.length),
          xs: steps,
          ys: steps.map((s) => group.sums.get(s)!.total / group.sums.get(s)!.count),
        };
      }),
    );
    // Final loss against depth: one line per (skip, seed); the seed sets the shade within its kind.
    const summaries = summarizeDegradation(this.runs, this.store.records, new Set(this.divergences.map((d) => d.run)));
    const seeds = Math.max(1, ...summaries.map((summary) => summary.seed));
    const lines = new Map<string, { skip: string; seed: number; depths: number[]; losses: number[] }>();
    for (const summary of summaries) {
      if (!Number.isFinite(summary.finalLoss)) continue;
      const key = `${skipName(summary.skip)}, seed ${summary.seed}`;
      const line = lines.get(key) ?? { skip: summary.skip, seed: summary.seed, depths: [], losses: [] };
      line.depths.push(summary.depth);
      line.losses.push(summary.finalLoss);
      lines.set(key, line);
    }
    this.finalChart?.update(
      [...lines.entries()].map(([label, line]) => ({ id: label, label, group: skipSeriesGroup(line.skip, line.seed - 1, seeds), xs: line.depths, ys: line.losses })),
    );
  }

  protected clearCharts(): void {
    this.drawnRevision = -1;
    this.renderCharts();
  }

  protected summarize(): string {
    if (this.step === 0) return '';
    const results = this.results();
    const parts = (['none', 'residual'] as const).map((skip) => {
      const pair = extremes(results, skip);
      if (!pair) return '';
      return `${skipName(skip)}: ${pair.shallow.depth} layers ${formatLoss(pair.shallow.mean)}, ${pair.deep.depth} layers ${formatLoss(pair.deep.mean)}`;
    });
    return `Step ${this.step}. Training loss over the last steps, mean of seeds. ${parts.filter(Boolean).join('; ')}.`;
  }

  protected dataTables(): DataTableSpec[] {
    const results = this.results();
    return [
      {
        caption: 'Final training loss by depth (mean of the last 20 steps of each run)',
        columns: ['Network', 'Hidden layers', 'Mean over seeds', 'Lowest seed', 'Highest seed', 'Every seed', 'Diverged seeds'],
        rows: results.map((r) => [skipName(r.skip), r.depth, formatLoss(r.mean), formatLoss(r.min), formatLoss(r.max), r.losses.map(formatLoss).join(', '), r.diverged]),
      },
    ];
  }

  /** Final losses per run, as `npm run experiment -- degradation --json` prints them. */
  protected exportSummary(): unknown {
    return summarizeDegradation(this.runs, this.store.records, new Set(this.divergences.map((d) => d.run)));
  }

  protected exportableCharts(): ExportableChart[] {
    const charts: ExportableChart[] = [];
    if (this.lossChart) charts.push({ chart: this.lossChart, title: 'Training loss by step (mean over seeds)' });
    if (this.finalChart) charts.push({ chart: this.finalChart, title: 'Final training loss against depth' });
    return charts;
  }
}

if (!customElements.get('degradation-widget')) customElements.define('degradation-widget', DegradationWidget);
