/**
 * The live U-Net's custom element: the predicted masks of four fixed test images beside the
 * images and their true masks (both networks), IoU on the test images by step (skips solid, no
 * skips dashed), and the gradient norm of every named layer of each network at the latest step.
 * The masks panel (mask-panel.ts) redraws only the canvases whose masks changed, at an evaluation.
 * Everything else (worker, controls, URL state, tables, exports) comes from the widget kit.
 */
import { LineChart } from '~/charts/line-chart';
import { LayerBars } from '~/charts/layer-bars';
import { formatValue } from '~/charts/format';
import { TrainingWidget, type ExportableChart } from '~/widgets/kit/training-widget';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import { isUnetSnapshot, latestEvaluation, summarizeVariants, type UnetSnapshot, type UnetVariant } from './masks';
import { MaskPanel } from './mask-panel';

const percent = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : '–');

/**
 * The IoU chart's name for a network: short, so the legend is one line beside the masks panel
 * (the full description is in the status line and the data table). Series 0 (the reader's skips)
 * is drawn solid in the first hue, series 1 (none) dashed in the second: told apart without colour.
 */
function seriesLabel(variant: UnetVariant): string {
  return variant.skipLevels.length > 0 ? 'with long skips' : 'without long skips';
}

class UnetWidget extends TrainingWidget {
  private masks: MaskPanel | undefined;
  private iouChart: LineChart | undefined;
  private skipBars: LayerBars | undefined;
  private plainBars: LayerBars | undefined;
  /** The evaluations the masks and curves were drawn from (the snapshot changes with every chunk). */
  private drawnKey: string | undefined;

  private data(): UnetSnapshot | undefined {
    return isUnetSnapshot(this.snapshot) ? this.snapshot : undefined;
  }

  protected createCharts(chartArea: HTMLElement): void {
    const slot = (name: string) => chartArea.querySelector<HTMLElement>(`[data-chart="${name}"]`) ?? chartArea;
    const masks = slot('masks');
    this.masks = new MaskPanel(masks.querySelector<HTMLElement>('[data-masks]') ?? masks, masks.querySelector<HTMLElement>('[data-masks-note]'));
    this.iouChart = new LineChart(slot('iou'), { label: 'IoU of the predicted masks on the test images by step, both networks', yLabel: 'test IoU', xLabel: 'step', height: 140 });
    this.skipBars = new LayerBars(slot('grad-skips'), { label: 'Gradient norm of every layer of the network with long skips at the latest step, log scale', valueLabel: 'gradient norm', layerLabel: 'layer (input side left)', height: 110 });
    this.plainBars = new LayerBars(slot('grad-plain'), { label: 'Gradient norm of every layer of the network without long skips at the latest step, log scale', valueLabel: 'gradient norm', layerLabel: 'layer (input side left)', height: 110 });
  }

  protected renderCharts(): void {
    if (this.recordsChanged()) {
      for (const [index, bars] of [this.skipBars, this.plainBars].entries()) {
        const run = this.runs[index];
        const latest = run ? this.store.latest(run.id) : undefined;
        bars?.update(latest?.gradNorms ?? [], this.layersOf(run?.id).map((layer) => layer.label));
      }
    }
    // The worker posts a snapshot with every chunk; masks and curves change only at an evaluation.
    const data = this.data();
    const key = data ? data.variants.map((v) => `${v.run}:${v.label}:${v.evaluations.length}:${v.diverged}`).join('|') : '';
    if (key === this.drawnKey) return;
    this.drawnKey = key;
    this.iouChart?.update(
      (data?.variants ?? []).map((variant) => ({
        id: variant.run,
        label: seriesLabel(variant),
        xs: variant.evaluations.map((e) => e.step),
        ys: variant.evaluations.map((e) => e.iou),
      })),
    );
    this.masks?.update(data);
  }

  protected clearCharts(): void {
    this.drawnKey = undefined;
    this.renderCharts();
  }

  protected summarize(): string {
    const data = this.data();
    if (!data) return `step ${this.step}`;
    const parts = data.variants.map((variant) => {
      const last = latestEvaluation(variant);
      if (variant.diverged) return `${variant.label}: diverged`;
      return `${variant.label}: test IoU ${percent(last?.iou ?? NaN)}, edge pixels right ${percent(last?.edgeAccuracy ?? NaN)}`;
    });
    return `Step ${this.step}. ${parts.join('; ')}.`;
  }

  protected dataTables(): DataTableSpec[] {
    const data = this.data();
    const variants = data?.variants ?? [];
    const steps = [...new Set(variants.flatMap((v) => v.evaluations.map((e) => e.step)))].sort((a, b) => a - b);
    const latestRecords = this.runs.map((run) => this.store.latest(run.id));
    const layers = this.layersOf(this.runs[0]?.id);
    return [
      {
        caption: `IoU and edge-pixel accuracy on ${data?.testImages ?? 16} fixed test images, every ${data?.evalEvery ?? 10} steps`,
        columns: ['Step', ...variants.flatMap((v) => [`${v.label}: IoU`, `${v.label}: edge pixels right`])],
        rows: steps.map((step) => [
          step,
          ...variants.flatMap((v) => {
            const evaluation = v.evaluations.find((e) => e.step === step);
            return evaluation ? [percent(evaluation.iou), percent(evaluation.edgeAccuracy)] : ['–', '–'];
          }),
        ]),
      },
      {
        caption: `Gradient norm of every layer at step ${this.step}`,
        columns: ['Layer', ...this.runs.map((run) => run.label)],
        rows: layers.map((layer, index) => [`${layer.label} (${layer.id})`, ...latestRecords.map((record) => formatValue(record?.gradNorms[index] ?? NaN, 3))]),
      },
    ];
  }

  protected exportSummary(): unknown {
    const data = this.data();
    return data ? summarizeVariants(data) : undefined;
  }

  protected exportableCharts(): ExportableChart[] {
    const charts: ExportableChart[] = [];
    if (this.iouChart) charts.push({ chart: this.iouChart, title: 'Test IoU by step' });
    if (this.skipBars) charts.push({ chart: this.skipBars, title: `Gradient norm per layer, with long skips, step ${this.step}` });
    if (this.plainBars) charts.push({ chart: this.plainBars, title: `Gradient norm per layer, without long skips, step ${this.step}` });
    return charts;
  }
}

if (!customElements.get('unet-widget')) customElements.define('unet-widget', UnetWidget);
