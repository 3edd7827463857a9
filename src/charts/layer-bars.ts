/**
 * Per-layer bars on a log scale (gradient norms span many decades), input side on the left.
 * Hover or arrow keys select a layer and read its value.
 */
import { axisBottom, axisLeft, scaleBand, scaleLog } from 'd3';
import { ChartFrame, type ChartOptions } from './chart-frame';
import { decadeDomain, decadeTicks, formatValue, layerPosition, layerTicks } from './format';

export interface LayerBarsOptions extends ChartOptions {
  /** What the bars measure, e.g. "gradient norm". */
  valueLabel: string;
  /** Axis label under the layers. */
  layerLabel?: string;
}

export class LayerBars extends ChartFrame {
  private values: readonly number[] = [];
  private selected: number | undefined;
  private readonly valueLabel: string;
  private layerLabels: readonly string[] = [];
  private readonly layerLabel: string;

  constructor(container: HTMLElement, options: LayerBarsOptions) {
    super(container, options);
    this.valueLabel = options.valueLabel;
    this.layerLabel = options.layerLabel ?? 'hidden layer (1 = next to the input)';
    const svg = this.svg;
    svg.append('g').attr('class', 'grid');
    svg.append('g').attr('class', 'bars');
    svg.append('g').attr('class', 'x-axis');
    svg.append('g').attr('class', 'y-axis');
    svg.append('text').attr('class', 'x-label').attr('text-anchor', 'end');
    svg.append('text').attr('class', 'y-label');
  }

  /**
   * One value per layer, input side first, and optionally each layer's name (RunInfo.layers
   * labels) for the readout; the axis numbers the layers either way.
   */
  update(values: readonly number[], layerLabels: readonly string[] = []): void {
    this.values = values;
    this.layerLabels = layerLabels;
    if (this.selected !== undefined && this.selected >= values.length) this.selected = undefined;
    this.draw();
  }

  private scales() {
    const x = scaleBand<number>()
      .domain(this.values.map((_, index) => index))
      .range([this.margins.left, this.margins.left + this.innerWidth])
      .paddingInner(this.values.length > 30 ? 0.1 : 0.2);
    const y = scaleLog()
      .domain(decadeDomain(this.values))
      .range([this.margins.top + this.innerHeight, this.margins.top])
      .clamp(true);
    return { x, y };
  }

  draw(): void {
    this.prepareSurfaces();
    const theme = this.theme();
    const { x, y } = this.scales();
    const svg = this.svg;
    const bottom = this.margins.top + this.innerHeight;
    const ticks = decadeTicks(y.domain() as [number, number], 6);
    // Grid, axes and labels are rewritten only when what they show changed (see drawIfChanged):
    // while training only the bars move, several times a second.
    const yKey = y.domain().join();
    this.drawIfChanged('grid', yKey, () => this.drawHorizontalGrid(ticks, y, theme.grid));
    svg
      .select('g.bars')
      .selectAll('rect')
      .data(this.values)
      .join('rect')
      .attr('x', (_, index) => x(index) ?? 0)
      .attr('width', x.bandwidth())
      .attr('y', (value) => (value > 0 && Number.isFinite(value) ? y(value) : bottom))
      .attr('height', (value) => (value > 0 && Number.isFinite(value) ? bottom - y(value) : 0))
      .attr('fill', (_, index) => (index === this.selected ? theme.series[1] : theme.series[0]));
    this.drawIfChanged('axes', `${this.values.length}|${yKey}`, () => {
      const tickLayers = layerTicks(this.values.length, Math.max(2, Math.floor(this.innerWidth / 28)));
      svg
        .select<SVGGElement>('g.x-axis')
        .attr('transform', `translate(0,${bottom})`)
        .call(axisBottom(x).tickValues(tickLayers.map((layer) => layer - 1)).tickFormat((index) => String(index + 1)));
      svg
        .select<SVGGElement>('g.y-axis')
        .attr('transform', `translate(${this.margins.left},0)`)
        .call(axisLeft(y).tickValues(ticks).tickFormat((value) => formatValue(+value)));
      svg.selectAll('g.x-axis path, g.y-axis path, g.x-axis line, g.y-axis line').attr('stroke', theme.axis);
    });
    this.drawIfChanged('labels', `${this.layerLabel}|${this.valueLabel}`, () => {
      svg
        .select('text.x-label')
        .attr('x', this.margins.left + this.innerWidth)
        .attr('y', this.height - 4)
        .attr('fill', theme.muted)
        .text(this.layerLabel);
      svg.select('text.y-label').attr('x', 4).attr('y', 10).attr('fill', theme.muted).text(`${this.valueLabel} (log scale)`);
    });
    if (this.selected !== undefined) this.describeSelection();
  }

  private describeSelection(): void {
    if (this.selected === undefined) return;
    const value = this.values[this.selected];
    const layer = layerPosition(this.layerLabels[this.selected], this.selected, this.values.length);
    this.setReadout(`${layer.charAt(0).toUpperCase()}${layer.slice(1)}: ${this.valueLabel} ${formatValue(value, 3)}`);
  }

  protected onKey(key: string): boolean {
    const count = this.values.length;
    if (count === 0) return false;
    let index = this.selected ?? -1;
    if (key === 'ArrowRight' || key === 'ArrowUp') index = Math.min(count - 1, index + 1);
    else if (key === 'ArrowLeft' || key === 'ArrowDown') index = Math.max(0, index < 0 ? count - 1 : index - 1);
    else if (key === 'Home') index = 0;
    else if (key === 'End') index = count - 1;
    else if (key === 'Escape') {
      this.onPointerLeave();
      return true;
    } else return false;
    this.selected = index;
    this.draw();
    return true;
  }

  protected onPointer(pointerX: number): void {
    if (this.values.length === 0) return;
    const { x } = this.scales();
    const step = x.step();
    const index = Math.floor((pointerX - this.margins.left - x.paddingOuter() * step) / step);
    const clamped = Math.max(0, Math.min(this.values.length - 1, index));
    if (clamped !== this.selected) {
      this.selected = clamped;
      this.draw();
    }
  }

  protected onPointerLeave(): void {
    if (this.selected === undefined) return;
    this.selected = undefined;
    this.setReadout('');
    this.draw();
  }
}
