/**
 * The live U-Net's custom element: the predicted masks of four fixed test images beside the
 * images and their true masks (both networks), IoU on the test images by step (skips solid, no
 * skips dashed), and the gradient norm of every named layer of each network at the latest step.
 * Everything else (worker, controls, URL state, tables, exports) comes from the widget kit.
 */
import { LineChart } from '~/charts/line-chart';
import { LayerBars } from '~/charts/layer-bars';
import type { SeriesGroup } from '~/charts/series-groups';
import { formatValue } from '~/charts/format';
import { TrainingWidget, type ExportableChart } from '~/widgets/kit/training-widget';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import { isUnetSnapshot, latestEvaluation, maskIoU, summarizeVariants, type UnetSnapshot, type UnetVariant } from './masks';

const percent = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : '–');

/** Skips solid in the first hue, no skips dashed in the second: told apart without colour. */
function variantGroup(variant: UnetVariant): SeriesGroup {
  const withSkips = variant.skipLevels.length > 0;
  return { name: withSkips ? 'with long skips' : 'without long skips', family: withSkips ? 0 : 1, rank: 0, size: 1 };
}

/** Paints a row-major square of values in [0, 1] (or any range, clamped) as grey levels. */
function paint(canvas: HTMLCanvasElement, values: readonly number[], size: number, low = 0, high = 1): void {
  canvas.width = size;
  canvas.height = size;
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(size, size);
  values.forEach((value, i) => {
    const level = Math.round(255 * Math.min(1, Math.max(0, (value - low) / (high - low))));
    image.data.set([level, level, level, 255], i * 4);
  });
  context.putImageData(image, 0, 0);
}

class UnetWidget extends TrainingWidget {
  private masksArea: HTMLElement | undefined;
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
    this.masksArea = slot('masks').querySelector<HTMLElement>('[data-masks]') ?? slot('masks');
    this.iouChart = new LineChart(slot('iou'), { label: 'IoU of the predicted masks on the test images by step, both networks', yLabel: 'test IoU', xLabel: 'step', height: 180 });
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
        label: variant.label,
        group: variantGroup(variant),
        xs: variant.evaluations.map((e) => e.step),
        ys: variant.evaluations.map((e) => e.iou),
      })),
    );
    this.drawMasks(data);
  }

  /** One row per test image: input, true mask, each network's predicted probability per pixel. */
  private drawMasks(data: UnetSnapshot | undefined): void {
    const area = this.masksArea;
    if (!area) return;
    if (!data) {
      area.replaceChildren();
      return;
    }
    const size = data.imageSize;
    const columns = ['Image', 'True mask', ...data.variants.map((v) => (v.skipLevels.length > 0 ? 'With skips' : 'No skips'))];
    const grid = document.createElement('div');
    grid.className = 'unet-masks-grid';
    grid.style.setProperty('--unet-columns', String(columns.length));
    for (const name of columns) {
      const heading = document.createElement('span');
      heading.className = 'unet-masks-heading';
      heading.textContent = name;
      heading.setAttribute('aria-hidden', 'true');
      grid.append(heading);
    }
    data.shown.images.forEach((image, row) => {
      const truth = data.shown.truth[row];
      const cells: { values: readonly number[]; label: string; low?: number; high?: number }[] = [
        { values: image, label: `Test image ${row + 1}`, low: -0.6, high: 1.6 },
        { values: truth, label: `True mask of test image ${row + 1}` },
        ...data.variants.map((variant) => {
          const mask = variant.masks[row] ?? [];
          const iou = mask.length > 0 ? maskIoU(mask.map((p) => p - 0.5), truth) : NaN;
          return { values: mask, label: `Mask predicted by the network with ${variant.label} for test image ${row + 1}: IoU ${percent(iou)}` };
        }),
      ];
      for (const cell of cells) {
        const canvas = document.createElement('canvas');
        canvas.className = 'unet-mask';
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', cell.label);
        canvas.title = cell.label;
        if (cell.values.length > 0) paint(canvas, cell.values, size, cell.low, cell.high);
        grid.append(canvas);
      }
    });
    const step = Math.max(0, ...data.variants.map((v) => latestEvaluation(v)?.step ?? 0));
    const note = document.createElement('p');
    note.className = 'unet-masks-note';
    note.textContent = `Masks at step ${step} (white = inside a shape, probability 1).`;
    area.replaceChildren(grid, note);
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
