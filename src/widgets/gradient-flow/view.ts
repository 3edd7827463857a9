/**
 * The gradient-flow lab's custom element: the loss curve (log y), the latest per-layer gradient
 * norms (bars, log scale) and the layer × step heatmap of gradient norms. Everything else (worker,
 * controls, URL state, summaries, exports) comes from the widget kit.
 */
import { LineChart } from '~/charts/line-chart';
import { LayerBars } from '~/charts/layer-bars';
import { LayerHeatmap } from '~/charts/heatmap';
import { TrainingWidget, type ExportableChart } from '~/widgets/kit/training-widget';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import { layerColumns } from '~/widgets/kit/record-columns';
import { gradientFlowSummary, historyTable, layerTable } from './summary';

/** Heatmap columns at most; buckets of steps beyond that. */
const MAX_HEATMAP_COLUMNS = 240;

class GradientFlowWidget extends TrainingWidget {
  private lossChart: LineChart | undefined;
  private barChart: LayerBars | undefined;
  private heatmap: LayerHeatmap | undefined;
  private drawnRevision = -1;

  protected createCharts(chartArea: HTMLElement): void {
    const slot = (name: string) => chartArea.querySelector<HTMLElement>(`[data-chart="${name}"]`) ?? chartArea;
    this.lossChart = new LineChart(slot('loss'), {
      label: 'Training loss by step, log scale',
      yLabel: 'loss',
      xLabel: 'step',
      logY: true,
      height: 220,
    });
    this.barChart = new LayerBars(slot('bars'), {
      label: 'Gradient norm of every hidden layer at the latest step, log scale',
      valueLabel: 'gradient norm',
      height: 220,
    });
    this.heatmap = new LayerHeatmap(slot('heatmap'), {
      label: 'Gradient norm of every layer at every step, as colours on a log scale',
      valueLabel: 'gradient norm',
      height: 240,
    });
  }

  protected renderCharts(): void {
    if (this.store.revision === this.drawnRevision) return;
    this.drawnRevision = this.store.revision;
    const records = this.store.records;
    const runIds = this.runs.length > 0 ? this.runs.map((run) => run.id) : [...new Set(records.map((record) => record.run))];
    this.lossChart?.update(
      runIds.map((id) => {
        const own = records.filter((record) => record.run === id);
        return {
          id,
          label: this.runs.find((run) => run.id === id)?.label ?? `run ${id}`,
          xs: own.map((record) => record.step),
          ys: own.map((record) => record.loss),
        };
      }),
    );
    const firstRun = runIds[0];
    const latest = firstRun === undefined ? undefined : this.store.latest(firstRun);
    this.barChart?.update(latest?.gradNorms ?? []);
    const firstRunRecords = firstRun === undefined ? [] : records.filter((record) => record.run === firstRun);
    this.heatmap?.update(layerColumns(firstRunRecords, (record) => record.gradNorms, MAX_HEATMAP_COLUMNS));
  }

  protected clearCharts(): void {
    this.drawnRevision = -1;
    this.renderCharts();
  }

  protected summarize(): string {
    return gradientFlowSummary(this.store.latest());
  }

  protected dataTables(): DataTableSpec[] {
    const latest = this.store.latest();
    return [layerTable(latest), historyTable(this.store.records)];
  }

  protected exportableCharts(): ExportableChart[] {
    const charts: ExportableChart[] = [];
    if (this.lossChart) charts.push({ chart: this.lossChart, title: 'Training loss' });
    if (this.barChart) charts.push({ chart: this.barChart, title: `Gradient norm per layer at step ${this.step}` });
    if (this.heatmap) charts.push({ chart: this.heatmap, title: 'Gradient norm per layer over training' });
    return charts;
  }
}

if (!customElements.get('gradient-flow-widget')) customElements.define('gradient-flow-widget', GradientFlowWidget);
