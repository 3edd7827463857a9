/**
 * Layer × step heatmap on canvas: one row per layer (layer 1, next to the input, at the top), one
 * column per step or bucket of steps, colour = value on a log scale (viridis), with a colour bar.
 * Hover or arrow keys read a cell.
 */
import { axisBottom, axisLeft, axisRight, scaleLinear, scaleLog } from 'd3';
import type { ChartOptions } from './chart-frame';
import { GridChart, type GridCell } from './grid-chart';
import { logPosition, viridis, writePixel } from './color-scales';
import { decadeDomain, decadeTicks, formatValue, layerPosition, layerTicks } from './format';

export interface HeatmapColumn {
  /** Step (or first step of the bucket) this column shows. */
  x: number;
  /** One value per row (layer), input side first. */
  values: readonly number[];
}

export interface HeatmapOptions extends ChartOptions {
  valueLabel: string;
  xLabel?: string;
}

const COLOUR_BAR_WIDTH = 12;

export class LayerHeatmap extends GridChart {
  private columns: readonly HeatmapColumn[] = [];
  private layerLabels: readonly string[] = [];
  private readonly valueLabel: string;
  private readonly xLabel: string;
  private offscreen: HTMLCanvasElement | undefined;
  private colourBar: HTMLCanvasElement | undefined;

  constructor(container: HTMLElement, options: HeatmapOptions) {
    super(container, { ...options, canvas: true, margins: { right: 64, ...options.margins } });
    this.valueLabel = options.valueLabel;
    this.xLabel = options.xLabel ?? 'step';
    const svg = this.svg;
    svg.append('g').attr('class', 'x-axis');
    svg.append('g').attr('class', 'y-axis');
    svg.append('g').attr('class', 'colour-axis');
    svg.append('text').attr('class', 'x-label').attr('text-anchor', 'end');
    svg.append('text').attr('class', 'y-label');
    svg.append('rect').attr('class', 'cursor').attr('fill', 'none').attr('stroke-width', 2);
  }

  /** Columns of per-layer values, and optionally each row's layer name (RunInfo.layers labels) for the readout. */
  update(columns: readonly HeatmapColumn[], layerLabels: readonly string[] = []): void {
    this.columns = columns;
    this.layerLabels = layerLabels;
    this.keepCursorInGrid();
    this.draw();
  }

  private get rowCount(): number {
    return this.columns.reduce((most, column) => Math.max(most, column.values.length), 0);
  }

  private domain(): [number, number] {
    const columns = this.columns;
    return decadeDomain(
      (function* () {
        for (const column of columns) yield* column.values;
      })(),
    );
  }

  draw(): void {
    const context = this.prepareSurfaces();
    const theme = this.theme();
    const rows = this.rowCount;
    const count = this.columns.length;
    const left = this.margins.left;
    const top = this.margins.top;
    const plotWidth = this.innerWidth;
    const plotHeight = this.innerHeight;
    const domain = this.domain();

    if (context) {
      context.fillStyle = theme.background;
      context.fillRect(left, top, plotWidth, plotHeight);
      if (rows > 0 && count > 0) {
        this.offscreen ??= document.createElement('canvas');
        if (this.offscreen.width !== count || this.offscreen.height !== rows) {
          this.offscreen.width = count;
          this.offscreen.height = rows;
        }
        const offscreenContext = this.offscreen.getContext('2d');
        if (offscreenContext) {
          const image = offscreenContext.createImageData(count, rows);
          const table = viridis();
          for (let column = 0; column < count; column++) {
            const values = this.columns[column].values;
            for (let row = 0; row < rows; row++) {
              writePixel(image.data, row * count + column, logPosition(values[row], domain), table);
            }
          }
          offscreenContext.putImageData(image, 0, 0);
          context.imageSmoothingEnabled = false;
          context.drawImage(this.offscreen, left, top, plotWidth, plotHeight);
        }
      }
      this.drawColourBar(context);
    }

    const svg = this.svg;
    const xs = this.columns.map((column) => column.x);
    const x = scaleLinear()
      .domain(count > 1 ? [xs[0], xs[count - 1]] : [0, 1])
      .range([left, left + plotWidth]);
    svg
      .select<SVGGElement>('g.x-axis')
      .attr('transform', `translate(0,${top + plotHeight})`)
      .call(axisBottom(x).ticks(Math.max(2, Math.floor(plotWidth / 80))).tickFormat((value) => formatValue(+value, 3)));
    const rowHeight = plotHeight / Math.max(1, rows);
    const y = scaleLinear()
      .domain([0, Math.max(1, rows)])
      .range([top, top + plotHeight]);
    svg
      .select<SVGGElement>('g.y-axis')
      .attr('transform', `translate(${left},0)`)
      .call(
        axisLeft(y)
          .tickValues(layerTicks(rows, Math.max(2, Math.floor(plotHeight / 16))).map((layer) => layer - 0.5))
          .tickFormat((value) => String(+value + 0.5)),
      );
    const colourScale = scaleLog().domain(domain).range([top + plotHeight, top]);
    svg
      .select<SVGGElement>('g.colour-axis')
      .attr('transform', `translate(${left + plotWidth + 8 + COLOUR_BAR_WIDTH},0)`)
      .call(axisRight(colourScale).tickValues(decadeTicks(domain, 5)).tickFormat((value) => formatValue(+value)));
    svg.selectAll('g.x-axis path, g.y-axis path, g.x-axis line, g.y-axis line, g.colour-axis path, g.colour-axis line').attr('stroke', theme.axis);
    svg
      .select('text.x-label')
      .attr('x', left + plotWidth)
      .attr('y', this.height - 4)
      .attr('fill', theme.muted)
      .text(this.xLabel);
    svg.select('text.y-label').attr('x', 4).attr('y', 10).attr('fill', theme.muted).text(`layer (1 = input side) · colour: ${this.valueLabel}`);

    const cursor = this.cursor;
    const columnWidth = plotWidth / Math.max(1, count);
    svg
      .select('rect.cursor')
      .attr('display', cursor ? null : 'none')
      .attr('stroke', theme.text)
      .attr('x', cursor ? left + cursor.column * columnWidth : 0)
      .attr('y', cursor ? top + cursor.row * rowHeight : 0)
      .attr('width', Math.max(2, columnWidth))
      .attr('height', Math.max(2, rowHeight));
    if (cursor) {
      const column = this.columns[cursor.column];
      this.setReadout(
        `${this.xLabel} ${formatValue(column.x, 6)}, ${layerPosition(this.layerLabels[cursor.row], cursor.row, rows)}: ${this.valueLabel} ${formatValue(column.values[cursor.row], 3)}`,
      );
    }
  }

  private drawColourBar(context: CanvasRenderingContext2D): void {
    const top = this.margins.top;
    const height = this.innerHeight;
    if (!this.colourBar) {
      // A 1 × 256 strip of the colour table, stretched into the bar.
      this.colourBar = document.createElement('canvas');
      this.colourBar.width = 1;
      this.colourBar.height = 256;
      const barContext = this.colourBar.getContext('2d');
      if (barContext) {
        const image = barContext.createImageData(1, 256);
        const table = viridis();
        for (let index = 0; index < 256; index++) writePixel(image.data, index, 1 - index / 255, table);
        barContext.putImageData(image, 0, 0);
      }
    }
    context.imageSmoothingEnabled = true;
    context.drawImage(this.colourBar, this.margins.left + this.innerWidth + 8, top, COLOUR_BAR_WIDTH, height);
  }

  protected gridSize(): { rows: number; columns: number } {
    return { rows: this.rowCount, columns: this.columns.length };
  }

  /** The first key press shows the newest column's first layer. */
  protected firstCell(_rows: number, columns: number): GridCell {
    return { row: 0, column: columns - 1 };
  }

  protected shiftColumnJump(columns: number): number {
    return Math.max(1, Math.round(columns / 10));
  }
}
