/**
 * Line chart: several runs overlaid (colour plus dash pattern per run), a legend, optional log y.
 * Series that carry a `group` (two kinds, e.g. plain and residual) are styled by ./series-groups
 * and listed in the legend under their kind's name and line style.
 * Hover or arrow keys move a cursor along x and read every run's value at that x.
 */
import { line, scaleLinear, scaleLog, symbol, symbolCircle, symbolDiamond, symbolSquare, symbolTriangle, type ScaleContinuousNumeric } from 'd3';
import { ChartFrame, type ChartOptions } from './chart-frame';
import { decadeDomain, decimate, formatValue, linearDomain, nearestIndex } from './format';
import { seriesStyle, type ChartTheme } from './theme';
import { familyLineStyleName, groupSeriesStyle, type LineStyle, type SeriesGroup } from './series-groups';

export interface LineSeries {
  /** Stable key (e.g. the run id), so each run keeps its colour. */
  id: number | string;
  label: string;
  /** Sorted ascending x values (e.g. steps). */
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  /** Which of two kinds the series belongs to (styles it by kind and rank, see ./series-groups). */
  group?: SeriesGroup;
}

const DEFAULT_WIDTH = 1.75;
/** Marker shapes (option `markers`): by kind for grouped series (family 0, family 1), else by position. */
const MARKER_SHAPES = [symbolCircle, symbolSquare, symbolTriangle, symbolDiamond];
const MARKER_AREA = 42;
const MARKER_NAMES = ['circles', 'squares', 'triangles', 'diamonds'];

/** The SVG path of a series' point marker, centred on (0, 0). */
function markerPath(series: LineSeries, index: number, area = MARKER_AREA): string {
  const shape = MARKER_SHAPES[(series.group ? series.group.family : index) % MARKER_SHAPES.length];
  return symbol(shape, area)() ?? '';
}

/** A series' line style: from its group if it has one, else from its position in the chart. */
function lineStyle(series: LineSeries, index: number, theme: ChartTheme): LineStyle {
  return series.group ? groupSeriesStyle(series.group, theme) : { ...seriesStyle(index, theme), width: DEFAULT_WIDTH };
}

export interface LineChartOptions extends ChartOptions {
  xLabel?: string;
  yLabel?: string;
  logY?: boolean;
  /** Show the legend even for a single series. */
  alwaysShowLegend?: boolean;
  /**
   * Mark every data point, in a shape per kind (grouped series) or per series: for charts with a
   * few points each (e.g. one per depth), so series differ by shape as well as by colour and dash.
   */
  markers?: boolean;
}

export class LineChart extends ChartFrame {
  private series: LineSeries[] = [];
  private logY: boolean;
  private readonly xLabel: string;
  private readonly yLabel: string;
  private readonly legend: HTMLUListElement;
  private readonly alwaysShowLegend: boolean;
  private readonly markers: boolean;
  private legendKey = '';
  /** x value under the cursor (pointer or keyboard), or undefined when none. */
  private cursorX: number | undefined;

  constructor(container: HTMLElement, options: LineChartOptions) {
    super(container, options);
    this.logY = options.logY ?? false;
    this.xLabel = options.xLabel ?? 'step';
    this.yLabel = options.yLabel ?? '';
    this.alwaysShowLegend = options.alwaysShowLegend ?? false;
    this.markers = options.markers ?? false;
    this.legend = document.createElement('ul');
    this.legend.className = 'chart-legend';
    this.legend.setAttribute('aria-label', 'Legend');
    this.root.insertBefore(this.legend, this.readout);
    const svg = this.svg;
    svg.append('g').attr('class', 'grid');
    svg.append('g').attr('class', 'x-axis');
    svg.append('g').attr('class', 'y-axis');
    svg.append('text').attr('class', 'x-label').attr('text-anchor', 'end');
    svg.append('text').attr('class', 'y-label');
    svg.append('g').attr('class', 'lines');
    svg.append('g').attr('class', 'markers');
    svg.append('g').attr('class', 'cursor');
  }

  /** Replaces the data and redraws. */
  update(series: readonly LineSeries[]): void {
    this.series = series.slice();
    this.draw();
  }

  setLogY(logY: boolean): void {
    this.logY = logY;
    this.draw();
  }

  private scales(): { x: ScaleContinuousNumeric<number, number>; y: ScaleContinuousNumeric<number, number> } {
    let xMin = Infinity;
    let xMax = -Infinity;
    for (const { xs } of this.series) {
      if (xs.length === 0) continue;
      xMin = Math.min(xMin, xs[0]);
      xMax = Math.max(xMax, xs[xs.length - 1]);
    }
    if (!(xMin < xMax)) [xMin, xMax] = Number.isFinite(xMin) ? [xMin - 1, xMin + 1] : [0, 100];
    const x = scaleLinear().domain([xMin, xMax]).range([this.margins.left, this.margins.left + this.innerWidth]);
    const allYs = (function* (series: LineSeries[]) {
      for (const { ys } of series) for (let index = 0; index < ys.length; index++) yield ys[index];
    })(this.series);
    const yRange: [number, number] = [this.margins.top + this.innerHeight, this.margins.top];
    const y = this.logY
      ? scaleLog().domain(decadeDomain(allYs)).range(yRange).clamp(true)
      : scaleLinear().domain(linearDomain(allYs)).range(yRange);
    return { x, y };
  }

  draw(): void {
    this.prepareSurfaces();
    const theme = this.theme();
    const { x, y } = this.scales();
    const svg = this.svg;

    // Axes, grid and labels are rewritten only when what they show changed (see drawIfChanged).
    this.drawXYAxes(x, y, { x: this.xLabel, y: this.yLabel, logY: this.logY });

    const buckets = Math.max(50, Math.floor(this.innerWidth));
    const path = line<[number, number]>()
      .defined((point) => Number.isFinite(point[1]))
      .x((point) => point[0])
      .y((point) => point[1]);
    // Non-finite values (a diverged run) and, on a log axis, non-positive ones leave a gap.
    const plottable = (value: number) => Number.isFinite(value) && (!this.logY || value > 0);
    const styles = new Map(this.series.map((series, index) => [series.id, lineStyle(series, index, theme)]));
    svg
      .select<SVGGElement>('g.lines')
      .selectAll<SVGPathElement, LineSeries>('path')
      .data(this.series, (series) => String(series.id))
      .join('path')
      .attr('fill', 'none')
      .attr('stroke-width', (series) => styles.get(series.id)!.width)
      .attr('stroke-linejoin', 'round')
      .attr('stroke', (series) => styles.get(series.id)!.colour)
      .attr('stroke-dasharray', (series) => styles.get(series.id)!.dash || null)
      .attr('d', (series) => {
        const points = decimate(series.ys, buckets).map((index): [number, number] => [
          x(series.xs[index]),
          plottable(series.ys[index]) ? y(series.ys[index]) : NaN,
        ]);
        return path(points) ?? '';
      });
    const marked = this.markers
      ? this.series.flatMap((series, index) =>
          Array.from(series.ys, (value, at) => ({ series, index, x: series.xs[at], y: value })).filter((point) => plottable(point.y)),
        )
      : [];
    svg
      .select<SVGGElement>('g.markers')
      .selectAll<SVGPathElement, (typeof marked)[number]>('path')
      .data(marked)
      .join('path')
      .attr('d', (point) => markerPath(point.series, point.index))
      .attr('transform', (point) => `translate(${x(point.x)},${y(point.y)})`)
      .attr('fill', (point) => styles.get(point.series.id)!.colour)
      .attr('stroke', theme.background)
      .attr('stroke-width', 1);
    this.drawLegend();
    this.drawCursor(x, y);
  }

  private drawLegend(): void {
    const show = this.series.length > 1 || this.alwaysShowLegend;
    const key = show ? this.series.map((series) => `${series.id}:${series.label}:${JSON.stringify(series.group ?? null)}`).join('|') + this.theme().series.join() : '';
    if (key === this.legendKey) return;
    this.legendKey = key;
    this.legend.replaceChildren();
    this.legend.hidden = !show;
    if (!show) return;
    const theme = this.theme();
    const item = (series: LineSeries, index: number): HTMLLIElement => {
      const style = lineStyle(series, index, theme);
      const entry = document.createElement('li');
      entry.innerHTML = `<svg width="24" height="10" aria-hidden="true"><line x1="0" x2="24" y1="5" y2="5"></line></svg>`;
      const swatch = entry.querySelector('line')!;
      swatch.setAttribute('stroke', style.colour);
      swatch.setAttribute('stroke-width', String(style.width + 0.75));
      if (style.dash) swatch.setAttribute('stroke-dasharray', style.dash);
      if (this.markers) {
        const marker = document.createElementNS('http://www.w3.org/2000/svg', 'path');
        marker.setAttribute('d', markerPath(series, index, 30));
        marker.setAttribute('transform', 'translate(12,5)');
        marker.setAttribute('fill', style.colour);
        swatch.after(marker);
      }
      entry.append(document.createTextNode(series.label));
      return entry;
    };
    if (!this.series.every((series) => series.group)) {
      this.series.forEach((series, index) => this.legend.append(item(series, index)));
      return;
    }
    // Grouped: one entry per kind, "plain (dashed lines)", listing its series.
    const kinds = new Map<string, { family: 0 | 1; items: HTMLLIElement[] }>();
    this.series.forEach((series, index) => {
      const group = series.group!;
      const kind = kinds.get(group.name) ?? { family: group.family, items: [] };
      kind.items.push(item(series, index));
      kinds.set(group.name, kind);
    });
    for (const [name, kind] of kinds) {
      const entry = document.createElement('li');
      entry.className = 'chart-legend-group';
      const heading = document.createElement('span');
      heading.className = 'chart-legend-heading';
      heading.textContent = `${name} (${familyLineStyleName(kind.family)}${this.markers ? `, ${MARKER_NAMES[kind.family]}` : ''})`;
      if (kind.items.length === 1 && kind.items[0].textContent === name) {
        // A kind with one series named after it: one entry, "plain (dashed lines)", with its swatch.
        kind.items[0].lastChild!.textContent = heading.textContent;
        this.legend.append(kind.items[0]);
        continue;
      }
      const list = document.createElement('ul');
      list.setAttribute('aria-label', name);
      list.append(...kind.items);
      entry.append(heading, list);
      this.legend.append(entry);
    }
  }

  /** The x values the cursor can stop at: those of the longest series. */
  private cursorStops(): ArrayLike<number> {
    let longest: ArrayLike<number> = [];
    for (const { xs } of this.series) if (xs.length > longest.length) longest = xs;
    return longest;
  }

  private drawCursor(x: ScaleContinuousNumeric<number, number>, y: ScaleContinuousNumeric<number, number>): void {
    const theme = this.theme();
    const group = this.svg.select<SVGGElement>('g.cursor');
    if (this.cursorX === undefined || this.series.length === 0) {
      group.selectAll('*').remove();
      return;
    }
    const cursorX = this.cursorX;
    const rows = this.series.map((series, index) => {
      const at = nearestIndex(series.xs, cursorX);
      return { series, index, x: at >= 0 ? series.xs[at] : NaN, y: at >= 0 ? series.ys[at] : NaN };
    });
    group
      .selectAll('line')
      .data([cursorX])
      .join('line')
      .attr('x1', (value) => x(value))
      .attr('x2', (value) => x(value))
      .attr('y1', this.margins.top)
      .attr('y2', this.margins.top + this.innerHeight)
      .attr('stroke', theme.axis)
      .attr('stroke-dasharray', '3 3');
    group
      .selectAll('circle')
      .data(rows.filter((row) => Number.isFinite(row.y) && (!this.logY || row.y > 0)))
      .join('circle')
      .attr('r', 4)
      .attr('cx', (row) => x(row.x))
      .attr('cy', (row) => y(row.y))
      .attr('fill', (row) => lineStyle(row.series, row.index, theme).colour)
      .attr('stroke', theme.background);
    const values = rows
      .map((row) => (this.series.length > 1 ? `${row.series.label}: ${formatValue(row.y, 3)}` : formatValue(row.y, 3)))
      .join('; ');
    this.setReadout(`${this.xLabel} ${formatValue(rows[0]?.x ?? cursorX, 6)}: ${this.yLabel ? `${this.yLabel} ` : ''}${values}`);
  }

  protected onKey(key: string, shift: boolean): boolean {
    const stops = this.cursorStops();
    if (stops.length === 0) return false;
    let index = this.cursorX === undefined ? stops.length - 1 : nearestIndex(stops, this.cursorX);
    const jump = shift ? Math.max(1, Math.round(stops.length / 10)) : 1;
    if (key === 'ArrowLeft' || key === 'ArrowDown') index = Math.max(0, index - jump);
    else if (key === 'ArrowRight' || key === 'ArrowUp') index = Math.min(stops.length - 1, index + jump);
    else if (key === 'Home') index = 0;
    else if (key === 'End') index = stops.length - 1;
    else if (key === 'Escape') {
      this.onPointerLeave();
      return true;
    } else return false;
    this.cursorX = stops[index];
    this.draw();
    return true;
  }

  protected onPointer(pointerX: number): void {
    if (this.series.length === 0) return;
    const { x } = this.scales();
    this.cursorX = x.invert(pointerX);
    const { y } = this.scales();
    this.drawCursor(x, y);
  }

  protected onPointerLeave(): void {
    this.cursorX = undefined;
    this.svg.select('g.cursor').selectAll('*').remove();
    this.setReadout('');
  }
}
