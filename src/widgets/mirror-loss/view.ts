/**
 * The mirror-loss widget's custom element: the loss as a contour map with the mirror line
 * w₁ = w₂, gradient-descent paths from points the reader clicks (or picks with the keyboard and
 * Enter, or types), and the loss along the current path. Earlier paths stay on the map until
 * cleared. The map is pure math (math.ts), computed here; the path comes from the worker.
 */
import { Field2D, type FieldPath } from '~/charts/field-2d';
import { LineChart } from '~/charts/line-chart';
import { formatValue } from '~/charts/format';
import { TrainingWidget, type ExportableChart } from '~/widgets/kit/training-widget';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import { lossGrid, type Landscape } from './math';
import { MIRROR_DOMAIN } from './settings';
import { isMirrorSnapshot, largestDistanceFromLine, type MirrorSnapshot } from './results';

const GRID = 81;
const KEPT_PATHS = 4;

function describePoint([w1, w2]: readonly [number, number]): string {
  return `(${formatValue(w1, 3)}, ${formatValue(w2, 3)})`;
}

class MirrorLossWidget extends TrainingWidget {
  private map: Field2D | undefined;
  private lossChart: LineChart | undefined;
  private grids = new Map<Landscape, number[]>();
  private earlier: { landscape: Landscape; path: [number, number][] }[] = [];
  private drawnSnapshot: unknown;
  private drawnRevision = -1;

  private data(): MirrorSnapshot | undefined {
    return isMirrorSnapshot(this.snapshot) ? this.snapshot : undefined;
  }

  private landscape(): Landscape {
    return this.settings.landscape === 'false-minimum' ? 'false-minimum' : 'network';
  }

  protected createCharts(chartArea: HTMLElement): void {
    const slot = (name: string) => chartArea.querySelector<HTMLElement>(`[data-chart="${name}"]`) ?? chartArea;
    this.map = new Field2D(slot('map'), {
      label: 'Loss over the two weights with the mirror line and gradient-descent paths. Click, or move the cursor with the arrow keys and press Enter, to start a path there',
      valueLabel: 'loss',
      xLabel: 'w₁',
      yLabel: 'w₂',
      colour: 'sequential',
      logColour: true,
      contourCount: 12,
      height: 320,
      onSelect: (w1, w2) => this.startAt(w1, w2),
    });
    this.lossChart = new LineChart(slot('loss'), { label: 'Loss along the current path against step', xLabel: 'step', yLabel: 'loss', logY: true, height: 180 });
    chartArea.querySelector('[data-action="clear-paths"]')?.addEventListener('click', () => {
      this.earlier = [];
      this.drawnSnapshot = undefined;
      this.renderCharts();
    });
  }

  /** A new start: the finished path is kept for comparison, and descent runs from the new point. */
  private startAt(w1: number, w2: number): void {
    const data = this.data();
    if (data && data.path.length > 1) this.earlier = [{ landscape: data.landscape, path: data.path }, ...this.earlier].slice(0, KEPT_PATHS - 1);
    const round = (v: number) => Math.round(v * 100) / 100;
    this.applySettings({ startW1: round(w1), startW2: round(w2) });
    this.play();
  }

  private grid(landscape: Landscape): number[] {
    let grid = this.grids.get(landscape);
    if (!grid) {
      grid = lossGrid(landscape, MIRROR_DOMAIN, GRID);
      this.grids.set(landscape, grid);
    }
    return grid;
  }

  protected renderCharts(): void {
    const landscape = this.landscape();
    if (this.snapshot !== this.drawnSnapshot || !this.drawnSnapshot) {
      this.drawnSnapshot = this.snapshot;
      const data = this.data();
      const start: [number, number] = [Number(this.settings.startW1), Number(this.settings.startW2)];
      const paths: FieldPath[] = [
        { label: 'current path', points: data?.path ?? [start] },
        { label: 'mirror line w₁ = w₂', points: [[MIRROR_DOMAIN[0], MIRROR_DOMAIN[0]], [MIRROR_DOMAIN[1], MIRROR_DOMAIN[1]]], startMarker: false },
        ...this.earlier.filter((e) => e.landscape === landscape).map((e, index) => ({ label: `earlier path ${index + 1}`, points: e.path })),
      ];
      this.map?.update({ nx: GRID, ny: GRID, values: this.grid(landscape), xDomain: MIRROR_DOMAIN, yDomain: MIRROR_DOMAIN, paths });
    }
    if (this.store.revision !== this.drawnRevision) {
      this.drawnRevision = this.store.revision;
      const records = this.store.forRun(0);
      this.lossChart?.update(records.length ? [{ id: 0, label: 'current path', xs: records.map((r) => r.step), ys: records.map((r) => r.loss) }] : []);
    }
  }

  protected clearCharts(): void {
    this.drawnSnapshot = undefined;
    this.drawnRevision = -1;
    this.renderCharts();
  }

  protected summarize(): string {
    const data = this.data();
    if (!data || data.path.length < 2) return '';
    const start = data.path[0];
    const end = data.path[data.path.length - 1];
    const away = largestDistanceFromLine(data.path);
    const best = data.lineBest;
    const endLoss = this.store.latest(0)?.loss;
    // Short enough for the status line's three lines; the data table has the whole path.
    return (
      `Step ${data.path.length - 1} from ${describePoint(start)}: now ${describePoint(end)}, loss ${formatValue(endLoss ?? NaN, 3)}; ` +
      `${away === 0 ? 'never left the mirror line' : `at most ${formatValue(away, 3)} from the line`}. ` +
      `Best point on the line: ${describePoint([best.w, best.w])}, ${best.curvatureAcross < 0 ? 'a saddle' : 'a false minimum'}.`
    );
  }

  protected dataTables(): DataTableSpec[] {
    const data = this.data();
    if (!data) return [];
    const every = Math.max(1, Math.ceil(data.path.length / 30));
    const records = new Map(this.store.forRun(0).map((r) => [r.step, r.loss]));
    return [
      {
        caption: 'Gradient-descent path: weights, loss and distance from the mirror line',
        columns: ['Step', 'w₁', 'w₂', 'Loss', 'Distance from the line'],
        rows: data.path
          .map((point, step) => ({ point, step }))
          .filter(({ step }) => step % every === 0 || step === data.path.length - 1)
          .map(({ point, step }) => [step, formatValue(point[0], 4), formatValue(point[1], 4), step === 0 ? '–' : formatValue(records.get(step) ?? NaN, 4), formatValue(Math.abs(point[0] - point[1]) / Math.SQRT2, 3)]),
      },
    ];
  }

  protected exportableCharts(): ExportableChart[] {
    const charts: ExportableChart[] = [];
    if (this.map) charts.push({ chart: this.map, title: 'Loss map with gradient-descent paths' });
    if (this.lossChart) charts.push({ chart: this.lossChart, title: 'Loss along the current path' });
    return charts;
  }
}

if (!customElements.get('mirror-loss-widget')) customElements.define('mirror-loss-widget', MirrorLossWidget);
