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
import { LayerColumnCache } from '~/widgets/kit/record-columns';
import { gradientFlowSummary, historyTable, initScaleAfterInitChange, layerTable } from './summary';
import { gradientFlowSettings } from './settings';

/** The naive initialisation's standard deviation by default (the initScale setting's default). */
const NAIVE_INIT_SCALE = Number(gradientFlowSettings.find((spec) => spec.key === 'initScale')?.default ?? 0.1);
/** The valid values of `init`: an invalid one is rejected by the kit and must not move the scale. */
const INIT_CHOICES: unknown[] = gradientFlowSettings.flatMap((spec) =>
  spec.key === 'init' && spec.kind === 'choice' ? spec.options.map((option) => option.value) : [],
);

/** Heatmap columns at most; buckets of steps beyond that. */
const MAX_HEATMAP_COLUMNS = 240;

class GradientFlowWidget extends TrainingWidget {
  private lossChart: LineChart | undefined;
  private barChart: LayerBars | undefined;
  private heatmap: LayerHeatmap | undefined;
  private drawnRevision = -1;
  /** Heatmap columns of the first run, computed once per full bucket (redraws are many a second). */
  private readonly heatmapColumns = new LayerColumnCache((record) => record.gradNorms, MAX_HEATMAP_COLUMNS);

  /** A change of `init` may also change `initScale` (see initScaleAfterInitChange), and says so. */
  applySettings(partial: Readonly<Record<string, unknown>>) {
    const nextInit = partial.init;
    const scale =
      partial.initScale === undefined && INIT_CHOICES.includes(nextInit)
        ? initScaleAfterInitChange(this.settings.init, nextInit, this.settings.initScale, this.naiveInitScale())
        : undefined;
    if (scale === undefined) {
      this.deleteMessage('init-scale');
      return super.applySettings(partial);
    }
    const problems = super.applySettings({ ...partial, initScale: scale });
    this.setMessage(
      'init-scale',
      'notice',
      nextInit === 'naive'
        ? `Initial weight scale set back to ${scale}: for naive initialisation it is the weights' standard deviation.`
        : `Initial weight scale set to 1: for Glorot and He initialisation it multiplies their own scale, so 1 is the standard choice.`,
    );
    return problems;
  }

  /** The naive scale this page starts from: the preset's when it presets naive init, else the default. */
  private naiveInitScale(): number {
    const presetScale = this.baseSettings.initScale;
    return this.baseSettings.init === 'naive' && typeof presetScale === 'number' ? presetScale : NAIVE_INIT_SCALE;
  }

  protected createCharts(chartArea: HTMLElement): void {
    const slot = (name: string) => chartArea.querySelector<HTMLElement>(`[data-chart="${name}"]`) ?? chartArea;
    this.lossChart = new LineChart(slot('loss'), {
      label: 'Training loss by step, log scale',
      yLabel: 'loss',
      xLabel: 'step',
      logY: true,
      height: 200,
    });
    this.barChart = new LayerBars(slot('bars'), {
      label: 'Gradient norm of every hidden layer at the latest step, log scale',
      valueLabel: 'gradient norm',
      height: 200,
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
    const layerLabels = this.layersOf(firstRun).map((layer) => layer.label);
    this.barChart?.update(latest?.gradNorms ?? [], layerLabels);
    const firstRunRecords = firstRun === undefined ? [] : records.filter((record) => record.run === firstRun);
    this.heatmap?.update(this.heatmapColumns.columns(firstRunRecords), layerLabels);
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
    return [layerTable(latest, this.layersOf(latest?.run)), historyTable(this.store.records)];
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
