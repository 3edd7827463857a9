/**
 * The shattered-gradients widget's custom element: gradient curves along the input line and the
 * neighbouring-gradient correlation against depth, from the experiment's snapshot (computed in the
 * worker; nothing trains). Everything else comes from the widget kit.
 */
import { LineChart } from '~/charts/line-chart';
import { TrainingWidget, type ExportableChart } from '~/widgets/kit/training-widget';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import { skipSeriesGroup } from '~/widgets/kit/skip-groups';
import { correlationLabel, isShatteredSnapshot, summarizeShattered, type ShatteredSnapshot } from './correlation';

function kindName(skip: string): string {
  return skip === 'residual' ? 'residual' : 'plain';
}

function formatCorrelation(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(3);
}

/** Divides a curve by its root mean square (a zero curve stays zero). */
function unitRms(values: readonly number[]): number[] {
  const rms = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0) / Math.max(1, values.length));
  return rms > 0 ? values.map((v) => v / rms) : values.slice();
}

class ShatteredGradientsWidget extends TrainingWidget {
  private curveChart: LineChart | undefined;
  private correlationChart: LineChart | undefined;

  private data(): ShatteredSnapshot | undefined {
    return isShatteredSnapshot(this.snapshot) ? this.snapshot : undefined;
  }

  protected createCharts(chartArea: HTMLElement): void {
    const slot = (name: string) => chartArea.querySelector<HTMLElement>(`[data-chart="${name}"]`) ?? chartArea;
    this.curveChart = new LineChart(slot('curves'), { label: 'Derivative of the output with respect to the input, along the input line', xLabel: 'input x', yLabel: 'dy/dx (scaled)', height: 260 });
    this.correlationChart = new LineChart(slot('correlation'), { label: 'Correlation of neighbouring gradients against number of hidden layers', xLabel: 'hidden layers', yLabel: 'correlation', height: 220 });
  }

  protected renderCharts(): void {
    if (!this.snapshotChanged()) return;
    const data = this.data();
    if (!data) {
      this.curveChart?.update([]);
      this.correlationChart?.update([]);
      return;
    }
    // Within a kind, deeper curves are drawn stronger (the plain 1-layer reference is the faint one).
    const kindCurves = (skip: string) => data.curves.filter((curve) => curve.skip === skip).map((curve) => curve.depth).sort((a, b) => a - b);
    this.curveChart?.update(
      data.curves.map((curve) => ({
        id: `${curve.skip}-${curve.depth}`,
        label: correlationLabel(curve),
        group: skipSeriesGroup(curve.skip, kindCurves(curve.skip).indexOf(curve.depth), kindCurves(curve.skip).length),
        xs: data.grid,
        ys: unitRms(curve.gradients),
      })),
    );
    this.correlationChart?.update(
      (['none', 'residual'] as const).map((skip) => {
        const points = data.correlations.filter((c) => c.skip === skip).sort((a, b) => a.depth - b.depth);
        return { id: skip, label: kindName(skip), group: skipSeriesGroup(skip, 0, 1), xs: points.map((p) => p.depth), ys: points.map((p) => p.correlation) };
      }),
    );
  }

  protected clearCharts(): void {
    this.curveChart?.update([]);
    this.correlationChart?.update([]);
  }

  protected summarize(): string {
    const data = this.data();
    if (!data) return '';
    const at = (skip: 'none' | 'residual', depth: number) => data.correlations.find((c) => c.skip === skip && c.depth === depth)?.correlation;
    const deepest = Math.max(...data.correlations.map((c) => c.depth));
    return `Neighbouring-gradient correlation at 1 layer ${formatCorrelation(at('none', 1))}; at ${deepest} layers: plain ${formatCorrelation(at('none', deepest))}, residual ${formatCorrelation(at('residual', deepest))}.`;
  }

  protected dataTables(): DataTableSpec[] {
    const data = this.data();
    if (!data) return [];
    const depths = [...new Set(data.correlations.map((c) => c.depth))].sort((a, b) => a - b);
    const at = (skip: string, depth: number) => data.correlations.find((c) => c.skip === skip && c.depth === depth)?.correlation;
    return [
      {
        caption: 'Correlation of neighbouring gradients by depth',
        columns: ['Hidden layers', 'Plain', 'Residual'],
        rows: depths.map((depth) => [depth, formatCorrelation(at('none', depth)), formatCorrelation(at('residual', depth))]),
      },
    ];
  }

  /** The correlations, as `npm run experiment -- shattered-gradients --json` prints them. */
  protected exportSummary(): unknown {
    const data = this.data();
    return data ? summarizeShattered(data) : undefined;
  }

  protected exportableCharts(): ExportableChart[] {
    const charts: ExportableChart[] = [];
    if (this.curveChart) charts.push({ chart: this.curveChart, title: 'dy/dx along the input line' });
    if (this.correlationChart) charts.push({ chart: this.correlationChart, title: 'Neighbouring-gradient correlation against depth' });
    return charts;
  }
}

if (!customElements.get('shattered-gradients-widget')) customElements.define('shattered-gradients-widget', ShatteredGradientsWidget);
