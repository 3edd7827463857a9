/**
 * The tied-units widget's custom element: the distance between the two tied units against the
 * training step, one line per network, and the training loss. Everything else (worker, controls,
 * URL state, summaries, exports) comes from the widget kit.
 */
import { LineChart } from '~/charts/line-chart';
import { TrainingWidget, type ExportableChart } from '~/widgets/kit/training-widget';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import { finalDistances, formatDistance, isTied, isTiedSnapshot, type TiedSnapshot } from './results';

class TiedUnitsWidget extends TrainingWidget {
  private distanceChart: LineChart | undefined;
  private lossChart: LineChart | undefined;
  private drawnRevision = -1;
  private drawnSnapshot: unknown;

  private data(): TiedSnapshot | undefined {
    return isTiedSnapshot(this.snapshot) ? this.snapshot : undefined;
  }

  protected createCharts(chartArea: HTMLElement): void {
    const slot = (name: string) => chartArea.querySelector<HTMLElement>(`[data-chart="${name}"]`) ?? chartArea;
    this.distanceChart = new LineChart(slot('distance'), { label: 'Distance between the two tied units against training step, one line per network', xLabel: 'step', yLabel: 'distance', height: 240, alwaysShowLegend: true });
    this.lossChart = new LineChart(slot('loss'), { label: 'Training loss against step, one line per network', xLabel: 'step', yLabel: 'loss', height: 200, logY: true });
  }

  protected renderCharts(): void {
    if (this.snapshot !== this.drawnSnapshot) {
      this.drawnSnapshot = this.snapshot;
      const data = this.data();
      this.distanceChart?.update(
        this.runs.map((run) => {
          const points = data?.distances.filter((d) => d.run === run.id) ?? [];
          return { id: run.id, label: run.label, xs: points.map((p) => p.step), ys: points.map((p) => p.distance) };
        }),
      );
    }
    if (this.store.revision !== this.drawnRevision) {
      this.drawnRevision = this.store.revision;
      this.lossChart?.update(
        this.runs.map((run) => {
          const records = this.store.forRun(run.id);
          return { id: run.id, label: run.label, xs: records.map((r) => r.step), ys: records.map((r) => r.loss) };
        }),
      );
    }
  }

  protected clearCharts(): void {
    this.drawnRevision = -1;
    this.drawnSnapshot = undefined;
    this.renderCharts();
  }

  protected summarize(): string {
    const data = this.data();
    if (!data || this.step === 0) return '';
    const finals = finalDistances(data);
    const parts = this.runs.map((run) => {
      const distance = finals.get(run.id);
      return `${run.label}: ${distance === undefined ? 'no measurement' : isTied(distance) ? 'still tied' : `apart by ${formatDistance(distance)}`}`;
    });
    return `Step ${this.step}. Units ${data.units.join(' and ')} of hidden layer ${data.layer}: ${parts.join('; ')}.`;
  }

  protected dataTables(): DataTableSpec[] {
    const data = this.data();
    if (!data) return [];
    const steps = [...new Set(data.distances.map((d) => d.step))].sort((a, b) => a - b);
    const at = (run: number, step: number) => data.distances.find((d) => d.run === run && d.step === step)?.distance;
    const every = Math.max(1, Math.ceil(steps.length / 40));
    return [
      {
        caption: `Distance between units ${data.units.join(' and ')} of hidden layer ${data.layer} (incoming, bias and outgoing weights) by step`,
        columns: ['Step', ...this.runs.map((run) => run.label)],
        rows: steps.filter((_, index) => index % every === 0 || index === steps.length - 1).map((step) => [step, ...this.runs.map((run) => formatDistance(at(run.id, step)))]),
      },
    ];
  }

  protected exportableCharts(): ExportableChart[] {
    const charts: ExportableChart[] = [];
    if (this.distanceChart) charts.push({ chart: this.distanceChart, title: 'Distance between the tied units' });
    if (this.lossChart) charts.push({ chart: this.lossChart, title: 'Training loss' });
    return charts;
  }
}

if (!customElements.get('tied-units-widget')) customElements.define('tied-units-widget', TiedUnitsWidget);
