/**
 * The <receptive-field-explorer> custom element: recomputes the geometry (model.ts) as the
 * settings change and draws the input (pixels that can influence the selected output pixel,
 * shaded by their number of paths) and the output map (the selected pixel). Click or arrow keys
 * select an output pixel. The kit's PureWidget does the rest (settings, URL state, summary, data
 * table, exports, the widget element contract in docs/architecture.md).
 */
import type { SettingsValues } from '~/engine/types';
import { chartTheme, onThemeChange } from '~/charts/theme';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import type { SummaryRow } from '~/widgets/kit/export-format';
import { PureWidget } from '~/widgets/kit/pure-widget';
import type { ExportableChart } from '~/widgets/kit/widget-exports';
import { computeReceptiveField, type ReceptiveFieldSnapshot } from './model';

/**
 * Sizes a canvas for a square map of `size` pixels a side (canvas pixels per map pixel: crisp
 * outlines without huge canvases), fills it with `background`, then lets `paint` draw on it.
 */
function paintGrid(canvas: HTMLCanvasElement | null, size: number, background: string, paint: (context: CanvasRenderingContext2D, cell: number) => void): void {
  const context = canvas?.getContext('2d');
  if (!canvas || !context) return;
  const cell = Math.max(1, Math.floor(288 / size));
  canvas.width = size * cell;
  canvas.height = size * cell;
  context.fillStyle = background;
  context.fillRect(0, 0, canvas.width, canvas.height);
  paint(context, cell);
}

class ReceptiveFieldElement extends PureWidget<ReceptiveFieldSnapshot> {
  private latest: ReceptiveFieldSnapshot | undefined;
  private stopWatchingTheme: (() => void) | undefined;
  private frame = 0;
  // The maps follow a number as it is typed.
  protected readonly liveSettings = true;

  protected compute(settings: SettingsValues): ReceptiveFieldSnapshot {
    return computeReceptiveField(settings);
  }

  protected createCharts(): void {
    const output = this.querySelector<HTMLCanvasElement>('[data-output]');
    output?.addEventListener('click', (event) => {
      const size = this.latest?.view?.outputSize;
      if (!size) return;
      const box = output.getBoundingClientRect();
      this.select(Math.floor(((event.clientX - box.left) / box.width) * size), Math.floor(((event.clientY - box.top) / box.height) * size));
    });
    output?.addEventListener('keydown', (event) => this.onKey(event));
    this.stopWatchingTheme = onThemeChange(() => this.latest && this.paint(this.latest));
  }

  disconnectedCallback(): void {
    cancelAnimationFrame(this.frame);
    this.stopWatchingTheme?.();
    this.stopWatchingTheme = undefined;
  }

  protected draw(snapshot: ReceptiveFieldSnapshot, settings: SettingsValues): void {
    this.latest = snapshot;
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.paint(snapshot));
    // A smaller map moves the selection inside it: the settings (and the link) say where it went.
    const selected = snapshot.view?.selected;
    if (selected && (selected.x !== settings.outputX || selected.y !== settings.outputY)) this.applySettings({ outputX: selected.x, outputY: selected.y });
  }

  /** Canvases, not d3 charts: the data downloads say everything the maps show. */
  protected exportableCharts(): ExportableChart[] {
    return [];
  }

  private onKey(event: KeyboardEvent): void {
    const view = this.latest?.view;
    if (!view) return;
    const { x, y } = view.selected;
    const last = view.outputSize - 1;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [x - 1, y],
      ArrowRight: [x + 1, y],
      ArrowUp: [x, y - 1],
      ArrowDown: [x, y + 1],
      Home: [0, 0],
      End: [last, last],
    };
    const target = moves[event.key];
    if (!target) return;
    event.preventDefault();
    this.select(target[0], target[1]);
  }

  private select(x: number, y: number): void {
    const last = (this.latest?.view?.outputSize ?? 1) - 1;
    const clamp = (value: number) => Math.min(last, Math.max(0, value));
    this.applySettings({ outputX: clamp(x), outputY: clamp(y) });
  }

  private paint(snapshot: ReceptiveFieldSnapshot): void {
    const theme = chartTheme();
    const view = snapshot.view;
    // Input: pixels shaded by their share of the most-travelled pixel's paths; the field outlined.
    const n = snapshot.inputSize;
    paintGrid(this.querySelector<HTMLCanvasElement>('[data-input]'), n, theme.background, (context, cell) => {
      if (!view) return;
      const most = view.mostPaths;
      context.fillStyle = theme.series[0];
      view.paths.forEach((count, i) => {
        if (count === 0) return;
        context.globalAlpha = 0.15 + 0.85 * (count / most);
        context.fillRect((i % n) * cell, Math.floor(i / n) * cell, cell, cell);
      });
      context.globalAlpha = 1;
      context.strokeStyle = theme.text;
      context.lineWidth = 2;
      context.strokeRect(view.columns[0] * cell + 1, view.rows[0] * cell + 1, (view.columns[1] - view.columns[0] + 1) * cell - 2, (view.rows[1] - view.rows[0] + 1) * cell - 2);
    });
    // Output: a grid (where its cells are large enough to see) with the selected pixel filled.
    const size = view?.outputSize ?? 1;
    paintGrid(this.querySelector<HTMLCanvasElement>('[data-output]'), size, theme.surface, (context, cell) => {
      if (cell >= 6) {
        context.strokeStyle = theme.grid;
        context.lineWidth = 1;
        context.beginPath();
        for (let i = 1; i < size; i++) {
          context.moveTo(i * cell + 0.5, 0);
          context.lineTo(i * cell + 0.5, size * cell);
          context.moveTo(0, i * cell + 0.5);
          context.lineTo(size * cell, i * cell + 0.5);
        }
        context.stroke();
      }
      if (view) {
        context.fillStyle = theme.series[1];
        context.fillRect(view.selected.x * cell, view.selected.y * cell, cell, cell);
      }
    });
  }

  /** One row per layer: the data table, and the CSV and JSON downloads. */
  protected summaryRows(snapshot: ReceptiveFieldSnapshot): SummaryRow[] {
    return (snapshot.view?.layers ?? []).map((layer, index) => ({
      layer: index + 1,
      kind: layer.kind === 'conv' ? `${layer.kernel}×${layer.kernel} convolution` : '2×2 max pool',
      mapSize: layer.outputSize,
      receptiveField: layer.receptiveField,
      jump: layer.jump,
    }));
  }

  protected dataTables(snapshot: ReceptiveFieldSnapshot): DataTableSpec[] {
    return [
      {
        caption: 'Receptive field after every layer (one side, in input pixels, away from the border)',
        columns: ['Layer', 'Map size', 'Receptive field', 'Input pixels between neighbouring outputs'],
        rows: this.summaryRows(snapshot).map((row) => [`${row.layer}: ${row.kind}`, `${row.mapSize}×${row.mapSize}`, Number(row.receptiveField), Number(row.jump)]),
      },
    ];
  }
}

if (!customElements.get('receptive-field-explorer')) customElements.define('receptive-field-explorer', ReceptiveFieldElement);
