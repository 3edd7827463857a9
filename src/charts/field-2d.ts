/**
 * A 2-D field on canvas with contour lines (d3-contour): decision surfaces (signed values,
 * diverging colours) and loss landscapes (sequential, optionally log). Optional data points on
 * top, coloured by class. Hover or arrow keys read the value under the cursor.
 */
import { axisBottom, axisLeft, contours, geoPath, geoTransform, range, scaleLinear } from 'd3';
import { ChartFrame, type ChartOptions } from './chart-frame';
import { colourTable, divergingInterpolator, linearPosition, logPosition, viridis, writePixel } from './color-scales';
import { decadeDomain, finiteExtent, formatValue } from './format';
import { seriesStyle } from './theme';

export interface FieldPoint {
  x: number;
  y: number;
  /** Class index: picks the point's colour. */
  label: number;
}

export interface FieldData {
  /** Grid size: `values[j * nx + i]` is the value at column i (x) and row j (y, row 0 at yDomain[0]). */
  nx: number;
  ny: number;
  values: ArrayLike<number>;
  xDomain: readonly [number, number];
  yDomain: readonly [number, number];
  points?: readonly FieldPoint[];
  /**
   * Values mapped to the ends of the colour scale, and the range the contour levels divide
   * (default: this field's own extent). Give two fields the same domain to compare them.
   */
  colourDomain?: readonly [number, number];
  /** Polylines drawn on top (e.g. optimisation paths), told apart by colour and dash; each start gets a ring. */
  paths?: readonly FieldPath[];
}

export interface FieldPath {
  label: string;
  points: readonly (readonly [number, number])[];
  /** Ring the first point (default true; false for a reference line that has no start). */
  startMarker?: boolean;
}

export interface Field2DOptions extends ChartOptions {
  valueLabel: string;
  xLabel?: string;
  yLabel?: string;
  /** 'diverging' (around zero, e.g. a classifier's logit) or 'sequential' (e.g. a loss). */
  colour?: 'diverging' | 'sequential';
  /** Sequential colours on a log scale (loss landscapes span decades). */
  logColour?: boolean;
  /** Number of contour levels (0 for none). */
  contourCount?: number;
  /** Called with the data coordinates of a click, or of the keyboard cursor on Enter (e.g. to start a path there). */
  onSelect?: (x: number, y: number) => void;
}

export class Field2D extends ChartFrame {
  private data: FieldData | undefined;
  private cursor: { i: number; j: number } | undefined;
  private readonly options: Field2DOptions;
  private offscreen: HTMLCanvasElement | undefined;
  private divergingTable: { key: string; table: Uint8ClampedArray } | undefined;

  constructor(container: HTMLElement, options: Field2DOptions) {
    super(container, { ...options, canvas: true, height: options.height ?? 300 });
    this.options = options;
    const svg = this.svg;
    svg.append('g').attr('class', 'contours');
    svg.append('g').attr('class', 'points');
    svg.append('g').attr('class', 'paths');
    svg.append('g').attr('class', 'x-axis');
    svg.append('g').attr('class', 'y-axis');
    svg.append('text').attr('class', 'x-label').attr('text-anchor', 'end');
    svg.append('text').attr('class', 'y-label');
    svg.append('circle').attr('class', 'cursor').attr('r', 5).attr('fill', 'none').attr('stroke-width', 2);
    if (options.onSelect) {
      const select = options.onSelect;
      this.plotArea.style.cursor = 'crosshair';
      this.plotArea.addEventListener('click', (event) => {
        const bounds = this.plotArea.getBoundingClientRect();
        const point = this.dataCoordinates(event.clientX - bounds.left, event.clientY - bounds.top);
        if (point) select(point.x, point.y);
      });
    }
  }

  /** Data coordinates of a point in the plot (CSS pixels from its top left), or undefined outside the field. */
  private dataCoordinates(pixelX: number, pixelY: number): { x: number; y: number } | undefined {
    const data = this.data;
    if (!data) return undefined;
    const fx = (pixelX - this.margins.left) / this.innerWidth;
    const fy = (this.margins.top + this.innerHeight - pixelY) / this.innerHeight;
    if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return undefined;
    return { x: data.xDomain[0] + fx * (data.xDomain[1] - data.xDomain[0]), y: data.yDomain[0] + fy * (data.yDomain[1] - data.yDomain[0]) };
  }

  update(data: FieldData | undefined): void {
    this.data = data;
    this.draw();
  }

  /** Position in [0, 1] of each value on the colour scale, and the domain used. */
  private positions(): { position: (value: number) => number; domain: [number, number] } {
    const values = this.data?.values ?? [];
    const fixed = this.data?.colourDomain;
    if (fixed) {
      const domain: [number, number] = [fixed[0], fixed[1]];
      const log = this.options.colour === 'sequential' && this.options.logColour;
      return { position: (value) => (log ? logPosition(value, domain) : linearPosition(value, domain)), domain };
    }
    if (this.options.colour === 'sequential') {
      if (this.options.logColour) {
        const domain = decadeDomain(Array.from(values));
        return { position: (value) => logPosition(value, domain), domain };
      }
      const domain = finiteExtent(Array.from(values)) ?? [0, 1];
      return { position: (value) => linearPosition(value, domain), domain };
    }
    const extent = finiteExtent(Array.from(values)) ?? [-1, 1];
    const reach = Math.max(Math.abs(extent[0]), Math.abs(extent[1])) || 1;
    return { position: (value) => linearPosition(value, [-reach, reach]), domain: [-reach, reach] };
  }

  private table(): Uint8ClampedArray {
    if (this.options.colour === 'sequential') return viridis();
    const theme = this.theme();
    const key = `${theme.divergingNeg}${theme.divergingMid}${theme.divergingPos}`;
    if (this.divergingTable?.key !== key) {
      this.divergingTable = { key, table: colourTable(divergingInterpolator(theme.divergingNeg, theme.divergingMid, theme.divergingPos)) };
    }
    return this.divergingTable.table;
  }

  draw(): void {
    const context = this.prepareSurfaces();
    const theme = this.theme();
    const left = this.margins.left;
    const top = this.margins.top;
    const width = this.innerWidth;
    const height = this.innerHeight;
    const data = this.data;
    const x = scaleLinear().domain(data?.xDomain ?? [0, 1]).range([left, left + width]);
    const y = scaleLinear().domain(data?.yDomain ?? [0, 1]).range([top + height, top]);

    if (context && data && data.nx > 0 && data.ny > 0) {
      const { position } = this.positions();
      this.offscreen ??= document.createElement('canvas');
      if (this.offscreen.width !== data.nx || this.offscreen.height !== data.ny) {
        this.offscreen.width = data.nx;
        this.offscreen.height = data.ny;
      }
      const offscreenContext = this.offscreen.getContext('2d');
      if (offscreenContext) {
        const image = offscreenContext.createImageData(data.nx, data.ny);
        const table = this.table();
        for (let j = 0; j < data.ny; j++) {
          // Canvas rows run top-down; field rows bottom-up.
          const canvasRow = data.ny - 1 - j;
          for (let i = 0; i < data.nx; i++) writePixel(image.data, canvasRow * data.nx + i, position(data.values[j * data.nx + i]), table);
        }
        offscreenContext.putImageData(image, 0, 0);
        context.imageSmoothingEnabled = true;
        context.drawImage(this.offscreen, left, top, width, height);
      }
    }

    const svg = this.svg;
    const contourCount = this.options.contourCount ?? 8;
    let contourPaths: string[] = [];
    if (data && contourCount > 0 && data.nx > 1 && data.ny > 1) {
      const log = this.options.colour === 'sequential' && this.options.logColour;
      const grid = Array.from(data.values, (value) => (log ? (value > 0 ? Math.log10(value) : NaN) : value));
      const fixed = data.colourDomain;
      const extent = fixed ? (log ? [Math.log10(fixed[0]), Math.log10(fixed[1])] : [fixed[0], fixed[1]]) : finiteExtent(grid);
      if (extent && extent[0] < extent[1]) {
        const thresholds = range(1, contourCount + 1).map((k) => extent[0] + ((extent[1] - extent[0]) * k) / (contourCount + 1));
        const toPixels = geoTransform({
          point(gridX, gridY) {
            this.stream.point(left + (gridX / data.nx) * width, top + height - (gridY / data.ny) * height);
          },
        });
        const path = geoPath(toPixels);
        // Contour positions are cell-centred; NaN cells become a low value so they close the lines.
        const filled = grid.map((value) => (Number.isFinite(value) ? value : extent[0] - 1));
        contourPaths = contours().size([data.nx, data.ny]).thresholds(thresholds)(filled).map((shape) => path(shape) ?? '');
      }
    }
    svg
      .select('g.contours')
      .selectAll('path')
      .data(contourPaths)
      .join('path')
      .attr('d', (d) => d)
      .attr('fill', 'none')
      .attr('stroke', theme.text)
      .attr('stroke-opacity', 0.45)
      .attr('stroke-width', 0.8);
    svg
      .select('g.points')
      .selectAll('circle')
      .data(data?.points ?? [])
      .join('circle')
      .attr('cx', (point) => x(point.x))
      .attr('cy', (point) => y(point.y))
      .attr('r', 3)
      .attr('fill', (point) => seriesStyle(point.label, theme).colour)
      .attr('stroke', theme.background)
      .attr('stroke-width', 1);
    const paths = data?.paths ?? [];
    svg
      .select('g.paths')
      .selectAll('path')
      .data(paths)
      .join('path')
      .attr('d', (p) => (p.points.length > 0 ? `M${p.points.map(([px, py]) => `${x(px)},${y(py)}`).join('L')}` : ''))
      .attr('fill', 'none')
      .attr('stroke', (_, index) => seriesStyle(index, theme).colour)
      .attr('stroke-dasharray', (_, index) => seriesStyle(index, theme).dash || null)
      .attr('stroke-width', 2);
    svg
      .select('g.paths')
      .selectAll('circle')
      .data(paths.map((p, index) => ({ p, index })).filter(({ p }) => p.points.length > 0 && p.startMarker !== false))
      .join('circle')
      .attr('cx', ({ p }) => x(p.points[0][0]))
      .attr('cy', ({ p }) => y(p.points[0][1]))
      .attr('r', 4.5)
      .attr('fill', theme.background)
      .attr('stroke', ({ index }) => seriesStyle(index, theme).colour)
      .attr('stroke-width', 2);
    svg
      .select<SVGGElement>('g.x-axis')
      .attr('transform', `translate(0,${top + height})`)
      .call(axisBottom(x).ticks(Math.max(2, Math.floor(width / 80))).tickFormat((value) => formatValue(+value, 3)));
    svg
      .select<SVGGElement>('g.y-axis')
      .attr('transform', `translate(${left},0)`)
      .call(axisLeft(y).ticks(Math.max(2, Math.floor(height / 40))).tickFormat((value) => formatValue(+value, 3)));
    svg.selectAll('g.x-axis path, g.y-axis path, g.x-axis line, g.y-axis line').attr('stroke', theme.axis);
    svg
      .select('text.x-label')
      .attr('x', left + width)
      .attr('y', this.height - 4)
      .attr('fill', theme.muted)
      .text(this.options.xLabel ?? 'x₁');
    svg.select('text.y-label').attr('x', 4).attr('y', 10).attr('fill', theme.muted).text(this.options.yLabel ?? 'x₂');

    const cursor = this.cursor;
    if (cursor && data) {
      const cellX = data.xDomain[0] + ((cursor.i + 0.5) / data.nx) * (data.xDomain[1] - data.xDomain[0]);
      const cellY = data.yDomain[0] + ((cursor.j + 0.5) / data.ny) * (data.yDomain[1] - data.yDomain[0]);
      svg.select('circle.cursor').attr('display', null).attr('cx', x(cellX)).attr('cy', y(cellY)).attr('stroke', theme.text);
      this.setReadout(
        `${this.options.xLabel ?? 'x₁'} ${formatValue(cellX, 3)}, ${this.options.yLabel ?? 'x₂'} ${formatValue(cellY, 3)}: ${this.options.valueLabel} ${formatValue(data.values[cursor.j * data.nx + cursor.i], 3)}`,
      );
    } else svg.select('circle.cursor').attr('display', 'none');
  }

  protected onKey(key: string, shift: boolean): boolean {
    const data = this.data;
    if (!data || data.nx === 0 || data.ny === 0) return false;
    const cursor = this.cursor ?? { i: Math.floor(data.nx / 2), j: Math.floor(data.ny / 2) };
    const stepX = Math.max(1, Math.round(data.nx / (shift ? 5 : 20)));
    const stepY = Math.max(1, Math.round(data.ny / (shift ? 5 : 20)));
    if (!this.cursor && ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(key)) {
      // The first key press shows the centre.
    } else if (key === 'ArrowLeft') cursor.i = Math.max(0, cursor.i - stepX);
    else if (key === 'ArrowRight') cursor.i = Math.min(data.nx - 1, cursor.i + stepX);
    else if (key === 'ArrowUp') cursor.j = Math.min(data.ny - 1, cursor.j + stepY);
    else if (key === 'ArrowDown') cursor.j = Math.max(0, cursor.j - stepY);
    else if (key === 'Escape') {
      this.onPointerLeave();
      return true;
    } else if (key === 'Enter' && this.options.onSelect && this.cursor) {
      this.options.onSelect(
        data.xDomain[0] + ((cursor.i + 0.5) / data.nx) * (data.xDomain[1] - data.xDomain[0]),
        data.yDomain[0] + ((cursor.j + 0.5) / data.ny) * (data.yDomain[1] - data.yDomain[0]),
      );
      return true;
    } else return false;
    this.cursor = cursor;
    this.draw();
    return true;
  }

  protected onPointer(pointerX: number, pointerY: number): void {
    const data = this.data;
    if (!data) return;
    const i = Math.floor(((pointerX - this.margins.left) / this.innerWidth) * data.nx);
    const j = Math.floor(((this.margins.top + this.innerHeight - pointerY) / this.innerHeight) * data.ny);
    if (i < 0 || i >= data.nx || j < 0 || j >= data.ny) {
      this.onPointerLeave();
      return;
    }
    if (this.cursor?.i === i && this.cursor.j === j) return;
    this.cursor = { i, j };
    this.draw();
  }

  protected onPointerLeave(): void {
    if (!this.cursor) return;
    this.cursor = undefined;
    this.setReadout('');
    this.draw();
  }
}
