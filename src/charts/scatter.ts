/**
 * Scatter chart: one point per item (e.g. per training run), several series told apart by colour
 * and marker shape (circle, square, triangle, ...), optional log y. Arrow keys step through the
 * points in x order and read each one's label and values; hovering reads the nearest point.
 */
import { scaleLinear, scaleLog, symbol, symbolCircle, symbolCross, symbolDiamond, symbolSquare, symbolTriangle, symbolWye, type ScaleContinuousNumeric } from 'd3';
import { ChartFrame, type ChartOptions } from './chart-frame';
import { decadeDomain, formatValue, linearDomain } from './format';
import { seriesStyle } from './theme';

export interface ScatterPoint {
  x: number;
  y: number;
  /** Read out when the point is focused, e.g. "plain, seed 3". */
  label: string;
}

export interface ScatterSeries {
  id: string;
  label: string;
  points: readonly ScatterPoint[];
}

export interface ScatterChartOptions extends ChartOptions {
  xLabel: string;
  yLabel: string;
  logY?: boolean;
}

const SHAPES = [symbolCircle, symbolSquare, symbolTriangle, symbolDiamond, symbolCross, symbolWye];
const MARKER_AREA = 64;

export class ScatterChart extends ChartFrame {
  private series: ScatterSeries[] = [];
  private readonly options: ScatterChartOptions;
  private readonly legend: HTMLUListElement;
  /** Index into the x-sorted list of all points, or undefined when none is focused. */
  private cursor: number | undefined;

  constructor(container: HTMLElement, options: ScatterChartOptions) {
    super(container, options);
    this.options = options;
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
    svg.append('g').attr('class', 'points');
    svg.append('circle').attr('class', 'cursor').attr('r', 9).attr('fill', 'none').attr('stroke-width', 2);
  }

  update(series: readonly ScatterSeries[]): void {
    this.series = series.slice();
    this.draw();
  }

  private plottable(point: ScatterPoint): boolean {
    return Number.isFinite(point.x) && Number.isFinite(point.y) && (!this.options.logY || point.y > 0);
  }

  /** Every plottable point with its series index, sorted by x (the keyboard order). */
  private allPoints(): { point: ScatterPoint; seriesIndex: number }[] {
    return this.series
      .flatMap((s, seriesIndex) => s.points.filter((p) => this.plottable(p)).map((point) => ({ point, seriesIndex })))
      .sort((a, b) => a.point.x - b.point.x || a.point.y - b.point.y);
  }

  private scales(): { x: ScaleContinuousNumeric<number, number>; y: ScaleContinuousNumeric<number, number> } {
    const points = this.allPoints().map((entry) => entry.point);
    const x = scaleLinear()
      .domain(linearDomain(points.map((p) => p.x)))
      .nice()
      .range([this.margins.left, this.margins.left + this.innerWidth]);
    const yRange: [number, number] = [this.margins.top + this.innerHeight, this.margins.top];
    const ys = points.map((p) => p.y);
    const y = this.options.logY ? scaleLog().domain(decadeDomain(ys)).range(yRange).clamp(true) : scaleLinear().domain(linearDomain(ys)).nice().range(yRange);
    return { x, y };
  }

  draw(): void {
    this.prepareSurfaces();
    const theme = this.theme();
    const { x, y } = this.scales();
    const svg = this.svg;
    this.drawXYAxes(x, y, { x: this.options.xLabel, y: this.options.yLabel, logY: this.options.logY ?? false });
    const marker = (seriesIndex: number) => symbol(SHAPES[seriesIndex % SHAPES.length], MARKER_AREA)() ?? '';
    svg
      .select<SVGGElement>('g.points')
      .selectAll<SVGPathElement, { point: ScatterPoint; seriesIndex: number }>('path')
      .data(this.allPoints())
      .join('path')
      .attr('d', (entry) => marker(entry.seriesIndex))
      .attr('transform', (entry) => `translate(${x(entry.point.x)},${y(entry.point.y)})`)
      .attr('fill', (entry) => seriesStyle(entry.seriesIndex, theme).colour)
      .attr('fill-opacity', 0.75)
      .attr('stroke', theme.background)
      .attr('stroke-width', 1);
    this.drawLegend(marker);
    this.drawCursor(x, y);
  }

  private drawLegend(marker: (seriesIndex: number) => string): void {
    const theme = this.theme();
    this.legend.replaceChildren(
      ...this.series.map((s, index) => {
        const item = document.createElement('li');
        item.innerHTML = `<svg width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true"><path></path></svg>`;
        const path = item.querySelector('path')!;
        path.setAttribute('d', marker(index));
        path.setAttribute('fill', seriesStyle(index, theme).colour);
        item.append(document.createTextNode(s.label));
        return item;
      }),
    );
    this.legend.hidden = this.series.length === 0;
  }

  private drawCursor(x: ScaleContinuousNumeric<number, number>, y: ScaleContinuousNumeric<number, number>): void {
    const points = this.allPoints();
    const cursor = this.svg.select('circle.cursor');
    const entry = this.cursor === undefined ? undefined : points[Math.min(this.cursor, points.length - 1)];
    if (!entry) {
      cursor.attr('visibility', 'hidden');
      return;
    }
    cursor.attr('visibility', 'visible').attr('cx', x(entry.point.x)).attr('cy', y(entry.point.y)).attr('stroke', this.theme().focus);
    this.setReadout(`${entry.point.label}: ${this.options.xLabel} ${formatValue(entry.point.x, 3)}, ${this.options.yLabel} ${formatValue(entry.point.y, 3)}`);
  }

  protected onKey(key: string, shift: boolean): boolean {
    const count = this.allPoints().length;
    if (count === 0) return false;
    let index = this.cursor ?? -1;
    const jump = shift ? Math.max(1, Math.round(count / 10)) : 1;
    if (key === 'ArrowRight' || key === 'ArrowUp') index = Math.min(count - 1, index + jump);
    else if (key === 'ArrowLeft' || key === 'ArrowDown') index = Math.max(0, index < 0 ? count - 1 : index - jump);
    else if (key === 'Home') index = 0;
    else if (key === 'End') index = count - 1;
    else if (key === 'Escape') {
      this.onPointerLeave();
      return true;
    } else return false;
    this.cursor = index;
    const { x, y } = this.scales();
    this.drawCursor(x, y);
    return true;
  }

  protected onPointer(pointerX: number, pointerY: number): void {
    const points = this.allPoints();
    if (points.length === 0) return;
    const { x, y } = this.scales();
    let best = 0;
    let bestDistance = Infinity;
    points.forEach((entry, index) => {
      const d = Math.hypot(x(entry.point.x) - pointerX, y(entry.point.y) - pointerY);
      if (d < bestDistance) [best, bestDistance] = [index, d];
    });
    this.cursor = best;
    this.drawCursor(x, y);
  }

  protected onPointerLeave(): void {
    this.cursor = undefined;
    this.svg.select('circle.cursor').attr('visibility', 'hidden');
    this.setReadout('');
  }
}
