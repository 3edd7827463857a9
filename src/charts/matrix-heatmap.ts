/**
 * A matrix as a heatmap on canvas: rows × columns (attention weights: queries × keys; positional
 * codes: positions × dimensions; similarities: positions × positions), each row and column named,
 * colour = value on a linear scale, viridis for values in [0, 1] or the diverging tokens for signed
 * values. Hover or arrow keys read a cell ("query 3 (digit 7) → key 6 (digit 2): 0.41").
 */
import { axisBottom, axisLeft, scaleBand } from 'd3';
import type { ChartOptions } from './chart-frame';
import { GridChart, type GridCell } from './grid-chart';
import { colourTable, divergingInterpolator, linearPosition, viridis, writePixel } from './color-scales';
import { formatValue } from './format';

export interface MatrixHeatmapOptions extends ChartOptions {
  /** 'sequential': viridis over [min, max] (or `domain`); 'diverging': blue / neutral / vermillion, symmetric around 0. */
  colour: 'sequential' | 'diverging';
  /** Fixed value domain, e.g. [0, 1] for attention weights; else from the data. */
  domain?: [number, number];
  rowTitle: string;
  columnTitle: string;
  valueLabel: string;
}

export interface MatrixData {
  values: readonly (readonly number[])[];
  /** Tick text per row / column (e.g. "3"); the readout uses `rowNames` / `columnNames` when given. */
  rowLabels: readonly string[];
  columnLabels: readonly string[];
  rowNames?: readonly string[];
  columnNames?: readonly string[];
}

const MAX_TICKS = 16;

export class MatrixHeatmap extends GridChart {
  private data: MatrixData = { values: [], rowLabels: [], columnLabels: [] };
  private readonly options: MatrixHeatmapOptions;
  private offscreen: HTMLCanvasElement | undefined;

  constructor(container: HTMLElement, options: MatrixHeatmapOptions) {
    super(container, { ...options, canvas: true, margins: { left: 44, bottom: 40, right: 12, ...options.margins } });
    this.options = options;
    this.svg.append('g').attr('class', 'x-axis');
    this.svg.append('g').attr('class', 'y-axis');
    this.svg.append('text').attr('class', 'x-label').attr('text-anchor', 'end');
    this.svg.append('text').attr('class', 'y-label');
    this.svg.append('rect').attr('class', 'cursor').attr('fill', 'none').attr('stroke-width', 2);
  }

  update(data: MatrixData): void {
    this.data = data;
    this.keepCursorInGrid();
    this.draw();
  }

  private domain(): [number, number] {
    if (this.options.domain) return this.options.domain;
    const flat = this.data.values.flat().filter(Number.isFinite);
    if (this.options.colour === 'diverging') {
      const most = Math.max(1e-12, ...flat.map(Math.abs));
      return [-most, most];
    }
    return flat.length > 0 ? [Math.min(...flat), Math.max(...flat)] : [0, 1];
  }

  draw(): void {
    const context = this.prepareSurfaces();
    const theme = this.theme();
    const { values, rowLabels, columnLabels } = this.data;
    const rows = values.length;
    const columns = values[0]?.length ?? 0;
    const { left, top } = this.margins;
    const width = this.innerWidth;
    const height = this.innerHeight;
    const domain = this.domain();
    if (context) {
      context.fillStyle = theme.background;
      context.fillRect(left, top, width, height);
      if (rows > 0 && columns > 0) {
        this.offscreen ??= document.createElement('canvas');
        this.offscreen.width = columns;
        this.offscreen.height = rows;
        const offscreenContext = this.offscreen.getContext('2d');
        if (offscreenContext) {
          const image = offscreenContext.createImageData(columns, rows);
          const table = this.options.colour === 'diverging' ? colourTable(divergingInterpolator(theme.divergingNeg, theme.divergingMid, theme.divergingPos)) : viridis();
          for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) writePixel(image.data, r * columns + c, linearPosition(values[r][c], domain), table);
          offscreenContext.putImageData(image, 0, 0);
          context.imageSmoothingEnabled = false;
          context.drawImage(this.offscreen, left, top, width, height);
        }
      }
    }
    const thin = (count: number) => Math.max(1, Math.ceil(count / MAX_TICKS));
    const x = scaleBand<number>().domain(Array.from({ length: columns }, (_, i) => i)).range([left, left + width]);
    const y = scaleBand<number>().domain(Array.from({ length: rows }, (_, i) => i)).range([top, top + height]);
    this.drawIfChanged('axes', `${rows}|${columns}|${rowLabels.join()}|${columnLabels.join()}|${theme.axis}`, () => {
      this.svg
        .select<SVGGElement>('g.x-axis')
        .attr('transform', `translate(0,${top + height})`)
        .call(axisBottom(x).tickValues(x.domain().filter((i) => i % thin(columns) === 0)).tickFormat((i) => columnLabels[i] ?? String(i)));
      this.svg
        .select<SVGGElement>('g.y-axis')
        .attr('transform', `translate(${left},0)`)
        .call(axisLeft(y).tickValues(y.domain().filter((i) => i % thin(rows) === 0)).tickFormat((i) => rowLabels[i] ?? String(i)));
      this.svg.selectAll('g.x-axis path, g.y-axis path, g.x-axis line, g.y-axis line').attr('stroke', theme.axis);
      this.svg.select('text.x-label').attr('x', left + width).attr('y', this.height - 4).attr('fill', theme.muted).text(this.options.columnTitle);
      this.svg.select('text.y-label').attr('x', 4).attr('y', 10).attr('fill', theme.muted).text(`${this.options.rowTitle} · colour: ${this.options.valueLabel} ${formatValue(domain[0], 2)} to ${formatValue(domain[1], 2)}`);
    });
    const cursor = this.cursor;
    this.svg
      .select('rect.cursor')
      .attr('display', cursor ? null : 'none')
      .attr('stroke', theme.text)
      .attr('x', cursor ? (x(cursor.column) ?? 0) : 0)
      .attr('y', cursor ? (y(cursor.row) ?? 0) : 0)
      .attr('width', Math.max(2, x.bandwidth()))
      .attr('height', Math.max(2, y.bandwidth()));
    if (cursor) {
      const rowName = this.data.rowNames?.[cursor.row] ?? `${this.options.rowTitle} ${rowLabels[cursor.row] ?? cursor.row}`;
      const columnName = this.data.columnNames?.[cursor.column] ?? `${this.options.columnTitle} ${columnLabels[cursor.column] ?? cursor.column}`;
      this.setReadout(`${rowName}, ${columnName}: ${this.options.valueLabel} ${formatValue(values[cursor.row][cursor.column], 3)}`);
    }
  }

  protected gridSize(): { rows: number; columns: number } {
    return { rows: this.data.values.length, columns: this.data.values[0]?.length ?? 0 };
  }

  /** The first key press shows the top-left cell. */
  protected firstCell(): GridCell {
    return { row: 0, column: 0 };
  }
}
