/**
 * The frame every chart shares: a focusable plot area that sizes itself to its container
 * (ResizeObserver), an SVG layer for axes and marks, an optional canvas layer underneath for
 * dense pictures (heatmaps, fields), a one-line readout of the hovered or focused value, and
 * export as standalone SVG. Charts never animate: they are redrawn every animation frame while
 * training, which also honours prefers-reduced-motion.
 */
import { axisBottom, axisLeft, select, type ScaleContinuousNumeric, type Selection } from 'd3';
import { decadeTicks, formatValue } from './format';
import { chartTheme, onThemeChange, type ChartTheme } from './theme';

export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface ChartOptions {
  /** Accessible name of the plot, e.g. "Training loss by step". */
  label: string;
  /** Plot height in CSS pixels (the width follows the container). */
  height?: number;
  /** Draw a canvas under the SVG (for heatmaps and fields). */
  canvas?: boolean;
  margins?: Partial<Margins>;
}

export interface ExportedSVG {
  svg: string;
  width: number;
  height: number;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
let chartCount = 0;

export abstract class ChartFrame {
  readonly root: HTMLElement;
  protected readonly plotArea: HTMLDivElement;
  protected readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  protected readonly canvas: HTMLCanvasElement | undefined;
  protected readonly readout: HTMLParagraphElement;
  protected readonly margins: Margins;
  protected width = 0;
  protected readonly height: number;
  private readonly resizeObserver: ResizeObserver | undefined;
  private readonly stopWatchingTheme: () => void;
  /** Per part of the chart, the key it was last drawn with (see drawIfChanged). */
  private readonly drawnKeys = new Map<string, string>();
  private surfaceWidth = -1;
  private surfaceTheme: ChartTheme | undefined;

  constructor(container: HTMLElement, options: ChartOptions) {
    const id = `chart-${++chartCount}`;
    this.height = options.height ?? 220;
    // The top margin leaves room for the y-axis label above the plot.
    this.margins = { top: 22, right: 16, bottom: 36, left: 56, ...options.margins };
    this.root = document.createElement('div');
    this.root.className = 'chart';
    this.plotArea = document.createElement('div');
    this.plotArea.className = 'chart-plot';
    this.plotArea.tabIndex = 0;
    this.plotArea.setAttribute('role', 'group');
    this.plotArea.setAttribute('aria-label', `${options.label}. Arrow keys read the values.`);
    this.plotArea.style.position = 'relative';
    this.plotArea.style.height = `${this.height}px`;
    // Redraws stay inside the plot: strict containment makes it a layout and paint boundary, and
    // its own compositing layer keeps the page around it from being repainted on every redraw.
    this.plotArea.style.contain = 'strict';
    this.plotArea.style.willChange = 'transform';
    if (options.canvas) {
      this.canvas = document.createElement('canvas');
      this.canvas.setAttribute('aria-hidden', 'true');
      Object.assign(this.canvas.style, { position: 'absolute', left: '0', top: '0' });
      this.plotArea.append(this.canvas);
    }
    const svgElement = document.createElementNS(SVG_NS, 'svg');
    svgElement.setAttribute('aria-hidden', 'true');
    Object.assign(svgElement.style, { position: 'absolute', left: '0', top: '0', overflow: 'visible' });
    this.plotArea.append(svgElement);
    this.svg = select(svgElement);
    this.readout = document.createElement('p');
    this.readout.className = 'chart-readout';
    this.readout.id = `${id}-readout`;
    this.readout.setAttribute('aria-live', 'polite');
    this.plotArea.setAttribute('aria-describedby', this.readout.id);
    this.root.append(this.plotArea, this.readout);
    container.append(this.root);

    this.width = Math.max(120, Math.floor(container.clientWidth || 600));
    if (typeof ResizeObserver !== 'undefined') {
      this.resizeObserver = new ResizeObserver((entries) => {
        const width = Math.max(120, Math.floor(entries[0].contentRect.width));
        if (width !== this.width) {
          this.width = width;
          this.draw();
        }
      });
      this.resizeObserver.observe(this.plotArea);
    }
    this.stopWatchingTheme = onThemeChange(() => {
      this.drawnKeys.clear();
      this.draw();
    });
    this.plotArea.addEventListener('keydown', (event) => {
      if (this.onKey(event.key, event.shiftKey)) event.preventDefault();
    });
    this.plotArea.addEventListener('pointermove', (event) => {
      const bounds = this.plotArea.getBoundingClientRect();
      this.onPointer(event.clientX - bounds.left, event.clientY - bounds.top);
    });
    this.plotArea.addEventListener('pointerleave', () => this.onPointerLeave());
    this.plotArea.addEventListener('blur', () => this.onPointerLeave());
  }

  /** Inner plot size (inside the margins). */
  protected get innerWidth(): number {
    return Math.max(10, this.width - this.margins.left - this.margins.right);
  }
  protected get innerHeight(): number {
    return Math.max(10, this.height - this.margins.top - this.margins.bottom);
  }

  protected theme(): ChartTheme {
    return chartTheme();
  }

  /** Sizes the SVG (and canvas) to the current width; returns the canvas 2-D context if any. */
  protected prepareSurfaces(): CanvasRenderingContext2D | undefined {
    const theme = this.theme();
    // Rewriting the root's attributes (even to the same values) restyles the whole SVG: only on change.
    if (this.surfaceWidth !== this.width || this.surfaceTheme !== theme) {
      this.surfaceWidth = this.width;
      this.surfaceTheme = theme;
      this.svg
        .attr('width', this.width)
        .attr('height', this.height)
        .attr('viewBox', `0 0 ${this.width} ${this.height}`)
        .attr('font-family', theme.fontFamily)
        .attr('font-size', 11)
        // d3 axes draw in currentColor.
        .attr('color', theme.muted);
    }
    if (!this.canvas) return undefined;
    const ratio = window.devicePixelRatio || 1;
    const pixelWidth = Math.round(this.width * ratio);
    const pixelHeight = Math.round(this.height * ratio);
    if (this.canvas.width !== pixelWidth || this.canvas.height !== pixelHeight) {
      this.canvas.width = pixelWidth;
      this.canvas.height = pixelHeight;
      this.canvas.style.width = `${this.width}px`;
      this.canvas.style.height = `${this.height}px`;
    }
    const context = this.canvas.getContext('2d');
    if (!context) return undefined;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, this.width, this.height);
    return context;
  }

  /**
   * Runs `drawPart` only when `key` (everything the part depends on) changed since that part was
   * last drawn: d3 rewrites every attribute even when nothing changed, and each write restyles the
   * SVG, which while training adds up to long main-thread tasks. The width is part of every key.
   */
  protected drawIfChanged(part: string, key: string, drawPart: () => void): void {
    const fullKey = `${this.width}|${key}`;
    if (this.drawnKeys.get(part) === fullKey) return;
    this.drawnKeys.set(part, fullKey);
    drawPart();
  }

  /** Horizontal grid lines across the plot at the given values of the y scale. */
  protected drawHorizontalGrid(ticks: readonly number[], y: (value: number) => number, color: string): void {
    this.svg
      .select<SVGGElement>('g.grid')
      .selectAll('line')
      .data(ticks)
      .join('line')
      .attr('x1', this.margins.left)
      .attr('x2', this.margins.left + this.innerWidth)
      .attr('y1', (tick) => y(tick))
      .attr('y2', (tick) => y(tick))
      .attr('stroke', color);
  }

  /**
   * Horizontal grid, x and y axes and their labels of an x–y chart (one whose SVG has g.grid,
   * g.x-axis, g.y-axis, text.x-label and text.y-label), each redrawn only when what it shows
   * changed. Returns the y ticks used.
   */
  protected drawXYAxes(x: ScaleContinuousNumeric<number, number>, y: ScaleContinuousNumeric<number, number>, labels: { x: string; y: string; logY: boolean }): number[] {
    const theme = this.theme();
    const svg = this.svg;
    const yTicks = labels.logY ? decadeTicks(y.domain() as [number, number], 6) : y.ticks(5);
    this.drawIfChanged('y', `${y.domain().join()}|${labels.logY}`, () => {
      this.drawHorizontalGrid(yTicks, y, theme.grid);
      svg
        .select<SVGGElement>('g.y-axis')
        .attr('transform', `translate(${this.margins.left},0)`)
        .call(axisLeft(y).tickValues(yTicks).tickFormat((v) => formatValue(+v)));
      svg.selectAll('g.y-axis path, g.y-axis line').attr('stroke', theme.axis);
    });
    this.drawIfChanged('x', x.domain().join(), () => {
      svg
        .select<SVGGElement>('g.x-axis')
        .attr('transform', `translate(0,${this.margins.top + this.innerHeight})`)
        .call(axisBottom(x).ticks(Math.max(2, Math.floor(this.innerWidth / 80))).tickFormat((v) => formatValue(+v, 3)));
      svg.selectAll('g.x-axis path, g.x-axis line').attr('stroke', theme.axis);
    });
    this.drawIfChanged('labels', `${labels.x}|${labels.y}|${labels.logY}`, () => {
      svg.select('text.x-label').attr('x', this.margins.left + this.innerWidth).attr('y', this.height - 4).attr('fill', theme.muted).text(labels.x);
      svg.select('text.y-label').attr('x', 4).attr('y', 10).attr('fill', theme.muted).text(labels.y + (labels.logY ? ' (log scale)' : ''));
    });
    return yTicks;
  }

  /** Shows the hovered/focused value under the plot (and to screen readers, politely). */
  protected setReadout(text: string): void {
    if (this.readout.textContent !== text) this.readout.textContent = text;
  }

  /** Redraws everything from the chart's current data. Cheap enough to call every frame. */
  abstract draw(): void;

  /** Handles an arrow/Home/End key while the plot has focus; true when handled. */
  protected abstract onKey(key: string, shift: boolean): boolean;
  /** Pointer moved to (x, y) in CSS pixels relative to the plot area. */
  protected abstract onPointer(x: number, y: number): void;
  protected abstract onPointerLeave(): void;

  /** A standalone SVG of the chart as it looks now, colours resolved, on the page background. */
  exportSVG(title?: string): ExportedSVG {
    const theme = this.theme();
    const titleHeight = title ? 24 : 0;
    const clone = this.svg.node()!.cloneNode(true) as SVGSVGElement;
    clone.removeAttribute('style');
    clone.removeAttribute('aria-hidden');
    clone.setAttribute('xmlns', SVG_NS);
    const height = this.height + titleHeight;
    clone.setAttribute('width', String(this.width));
    clone.setAttribute('height', String(height));
    clone.setAttribute('viewBox', `0 ${-titleHeight} ${this.width} ${height}`);
    const background = document.createElementNS(SVG_NS, 'rect');
    background.setAttribute('x', '0');
    background.setAttribute('y', String(-titleHeight));
    background.setAttribute('width', String(this.width));
    background.setAttribute('height', String(height));
    background.setAttribute('fill', theme.background);
    clone.prepend(background);
    if (this.canvas) {
      const image = document.createElementNS(SVG_NS, 'image');
      image.setAttribute('x', '0');
      image.setAttribute('y', '0');
      image.setAttribute('width', String(this.width));
      image.setAttribute('height', String(this.height));
      image.setAttribute('href', this.canvas.toDataURL('image/png'));
      background.after(image);
    }
    if (title) {
      const heading = document.createElementNS(SVG_NS, 'text');
      heading.setAttribute('x', String(this.margins.left));
      heading.setAttribute('y', String(-8));
      heading.setAttribute('fill', theme.text);
      heading.setAttribute('font-size', '13');
      heading.setAttribute('font-weight', '600');
      heading.textContent = title;
      clone.append(heading);
    }
    return { svg: new XMLSerializer().serializeToString(clone), width: this.width, height };
  }

  destroy(): void {
    this.resizeObserver?.disconnect();
    this.stopWatchingTheme();
    this.root.remove();
  }
}
