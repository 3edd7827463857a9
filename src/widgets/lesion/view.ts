/**
 * The lesion widget's custom element: training loss of both networks, then test accuracy after
 * deleting each layer (plain) or block (residual) in turn, against the intact networks. Everything
 * else comes from the widget kit.
 */
import { LineChart } from '~/charts/line-chart';
import { formatValue } from '~/charts/format';
import { TrainingWidget, type ExportableChart } from '~/widgets/kit/training-widget';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import { isLesionSnapshot, networkName, percent, summarizeLesions, type LesionSnapshot } from './lesions';

class LesionWidget extends TrainingWidget {
  private lossChart: LineChart | undefined;
  private accuracyChart: LineChart | undefined;

  private data(): LesionSnapshot | undefined {
    return isLesionSnapshot(this.snapshot) ? this.snapshot : undefined;
  }

  protected createCharts(chartArea: HTMLElement): void {
    const slot = (name: string) => chartArea.querySelector<HTMLElement>(`[data-chart="${name}"]`) ?? chartArea;
    this.lossChart = new LineChart(slot('loss'), { label: 'Training loss by step of both networks, log scale', yLabel: 'loss', xLabel: 'step', logY: true, height: 200 });
    this.accuracyChart = new LineChart(slot('accuracy'), {
      label: 'Test accuracy after deleting one hidden layer or residual block, against the intact networks',
      yLabel: 'test accuracy',
      xLabel: 'deleted layer',
      height: 260,
    });
  }

  protected renderCharts(): void {
    if (this.recordsChanged()) this.lossChart?.update(this.lossByRun());
    if (!this.snapshotChanged()) return;
    const data = this.data();
    const series = [];
    for (const network of data?.networks ?? []) {
      if (!network.intact || network.deletions.length === 0) continue;
      const layers = network.deletions.map((d) => d.layer);
      const name = networkName(network.skip);
      series.push({ id: `${name}-deleted`, label: `${name}, one layer deleted`, xs: layers, ys: network.deletions.map((d) => d.accuracy) });
      series.push({ id: `${name}-intact`, label: `${name}, intact`, xs: [layers[0], layers[layers.length - 1]], ys: [network.intact.accuracy, network.intact.accuracy] });
    }
    this.accuracyChart?.update(series);
  }

  protected summarize(): string {
    const data = this.data();
    if (!data) return `step ${this.step}`;
    if (data.phase === 'training') return `Training both networks: step ${data.trainedSteps} of ${data.trainSteps}.`;
    const parts = data.networks.map((network) => {
      const summary = summarizeLesions(network);
      if (!summary) return `${networkName(network.skip)}: diverged while training`;
      return `${networkName(network.skip)}: ${percent(summary.intactAccuracy)} intact, ${percent(summary.meanAccuracy)} on average with one layer deleted (worst ${percent(summary.worstAccuracy)}, layer ${summary.worstLayer})`;
    });
    return `Test accuracy. ${parts.join('; ')}.`;
  }

  protected dataTables(): DataTableSpec[] {
    const data = this.data();
    const networks = data?.networks ?? [];
    const columns = ['Deleted layer', ...networks.flatMap((n) => [`${networkName(n.skip)}: test accuracy`, `${networkName(n.skip)}: test loss`])];
    const layers = [...new Set(networks.flatMap((n) => n.deletions.map((d) => d.layer)))].sort((a, b) => a - b);
    const cell = (value: { accuracy: number; loss: number } | undefined) => (value ? [percent(value.accuracy), formatValue(value.loss, 3)] : ['–', '–']);
    const rows: (string | number)[][] = [];
    if (networks.some((n) => n.intact)) rows.push(['none (intact)', ...networks.flatMap((n) => cell(n.intact))]);
    for (const layer of layers) rows.push([layer, ...networks.flatMap((n) => cell(n.deletions.find((d) => d.layer === layer)))]);
    const summaries = networks.map(summarizeLesions).filter((s) => s !== undefined);
    return [
      {
        caption: `Test accuracy and loss on ${data?.testSize ?? 512} held-out points after deleting one layer (plain) or block (residual), without retraining`,
        columns,
        rows,
      },
      {
        caption: 'Summary over the single deletions',
        columns: ['Network', 'Intact', 'Mean with one layer deleted', 'Worst deletion', 'Mean drop (points)'],
        rows: summaries.map((s) => [networkName(s.skip), percent(s.intactAccuracy), percent(s.meanAccuracy), `${percent(s.worstAccuracy)} (layer ${s.worstLayer})`, (s.meanDrop * 100).toFixed(1)]),
      },
    ];
  }

  protected exportableCharts(): ExportableChart[] {
    const charts: ExportableChart[] = [];
    if (this.lossChart) charts.push({ chart: this.lossChart, title: 'Training loss' });
    if (this.accuracyChart) charts.push({ chart: this.accuracyChart, title: 'Test accuracy after deleting one layer' });
    return charts;
  }
}

if (!customElements.get('lesion-widget')) customElements.define('lesion-widget', LesionWidget);
