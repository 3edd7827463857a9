/**
 * The image degradation lab's custom element: final training loss against depth and test accuracy
 * against depth, plain (dashed, square markers) and residual (solid, round markers) networks. The loss chart follows training
 * (mean of each network's latest steps); the accuracy chart fills in when the networks finish.
 * Everything else (worker pool, controls, URL state, tables, exports) comes from the widget kit.
 */
import { LineChart } from '~/charts/line-chart';
import { TrainingWidget, type ExportableChart } from '~/widgets/kit/training-widget';
import { poolSizeForThisComputer } from '~/widgets/kit/worker-pool';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import { skipSeriesGroup } from '~/widgets/kit/skip-groups';
import { FINAL_LOSS_WINDOW, formatAccuracy, formatLoss, mergeSnapshots, networkName, shallowAndDeep, summarizeImageRuns, type DegradationImagesSnapshot, type ImageNetworkResult } from './results';

class DegradationImagesWidget extends TrainingWidget {
  private lossChart: LineChart | undefined;
  private accuracyChart: LineChart | undefined;

  /** The plain and the residual networks train on separate workers where there are two cores. */
  protected workerPoolSize(): number {
    return poolSizeForThisComputer();
  }

  /** Each shard of the pool reports the test scores of its own networks. */
  protected mergeShardSnapshots(snapshots: readonly unknown[]): DegradationImagesSnapshot | undefined {
    return mergeSnapshots(snapshots);
  }

  private results(): ImageNetworkResult[] {
    return summarizeImageRuns(this.runs, this.store.records, this.snapshot, new Set(this.divergences.map((d) => d.run)));
  }

  protected createCharts(chartArea: HTMLElement): void {
    const slot = (name: string) => chartArea.querySelector<HTMLElement>(`[data-chart="${name}"]`) ?? chartArea;
    this.lossChart = new LineChart(slot('loss'), {
      label: `Final training loss (mean of the last ${FINAL_LOSS_WINDOW} steps) against the number of conv layers, plain and residual networks`,
      yLabel: 'training loss',
      xLabel: 'conv layers',
      height: 200,
      alwaysShowLegend: true,
      markers: true,
    });
    this.accuracyChart = new LineChart(slot('accuracy'), {
      label: 'Test accuracy against the number of conv layers, plain and residual networks, once they have finished',
      yLabel: 'test accuracy',
      xLabel: 'conv layers',
      height: 200,
      alwaysShowLegend: true,
      markers: true,
    });
  }

  /** One series per network kind, shallow to deep, of the value `pick` reads (networks without one left out). */
  private byKind(results: readonly ImageNetworkResult[], pick: (result: ImageNetworkResult) => number) {
    return (['none', 'residual'] as const).map((skip) => {
      const own = results.filter((r) => r.skip === skip && Number.isFinite(pick(r))).sort((a, b) => a.depth - b.depth);
      return { id: skip, label: networkName(skip), group: skipSeriesGroup(skip, 0, 1), xs: own.map((r) => r.depth), ys: own.map(pick) };
    });
  }

  protected renderCharts(): void {
    const records = this.recordsChanged();
    const snapshot = this.snapshotChanged();
    if (!records && !snapshot) return;
    const results = this.results();
    this.lossChart?.update(this.byKind(results, (r) => (r.diverged ? NaN : r.finalLoss)));
    this.accuracyChart?.update(this.byKind(results, (r) => r.testAccuracy));
  }

  protected clearCharts(): void {
    this.redrawAll();
    this.renderCharts();
  }

  protected summarize(): string {
    if (this.step === 0) return '';
    const results = this.results();
    const finished = results.some((r) => Number.isFinite(r.testAccuracy));
    const parts = (['none', 'residual'] as const).map((skip) => {
      const pair = shallowAndDeep(results, skip);
      if (!pair) return '';
      const { shallow, deep } = pair;
      const accuracy = (r: ImageNetworkResult) => (finished ? `, test accuracy ${formatAccuracy(r.testAccuracy)}` : '');
      return `${networkName(skip)}: ${shallow.depth} layers loss ${formatLoss(shallow.finalLoss)}${accuracy(shallow)}, ${deep.depth} layers loss ${formatLoss(deep.finalLoss)}${accuracy(deep)}`;
    });
    return `Step ${this.step}. Training loss over the last steps; ${parts.filter(Boolean).join('; ')}.`;
  }

  protected dataTables(): DataTableSpec[] {
    const results = this.results();
    return [
      {
        caption: `Final training loss (mean minibatch loss of the last ${FINAL_LOSS_WINDOW} steps) and test accuracy on the 1,000 test images, by network`,
        columns: ['Network', 'Conv layers', 'Steps trained', 'Final training loss', 'Test accuracy', 'Test loss', 'Diverged'],
        rows: results.map((r) => [networkName(r.skip), r.depth, r.steps, formatLoss(r.finalLoss), formatAccuracy(r.testAccuracy), formatLoss(r.testLoss), r.diverged ? 'yes' : 'no']),
      },
    ];
  }

  /** One row per network, as `npm run experiment -- degradation-images --json` prints its summary. */
  protected exportSummary(): unknown {
    return this.results();
  }

  protected exportableCharts(): ExportableChart[] {
    const charts: ExportableChart[] = [];
    if (this.lossChart) charts.push({ chart: this.lossChart, title: 'Final training loss against depth' });
    if (this.accuracyChart) charts.push({ chart: this.accuracyChart, title: 'Test accuracy against depth' });
    return charts;
  }
}

if (!customElements.get('degradation-images-widget')) customElements.define('degradation-images-widget', DegradationImagesWidget);
