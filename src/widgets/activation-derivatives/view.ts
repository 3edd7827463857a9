/**
 * The <activation-derivatives> custom element: recomputes the pure model (model.ts) as the settings
 * change and redraws both charts; the kit's PureWidget does the rest (settings, URL state, summary,
 * data table, exports, the widget element contract in docs/architecture.md).
 */
import type { SettingsValues } from '~/engine/types';
import { LineChart } from '~/charts/line-chart';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import type { SummaryRow } from '~/widgets/kit/export-format';
import { PureWidget } from '~/widgets/kit/pure-widget';
import type { ExportableChart } from '~/widgets/kit/widget-exports';
import { computeSnapshot, type ActivationSnapshot } from './model';
import { ACTIVATIONS, ACTIVATION_LABELS, activate, derivative, formatMagnitude, type ActivationName } from './math';

const CURVE_POINTS = 241;

class ActivationDerivativesElement extends PureWidget<ActivationSnapshot> {
  private curveChart: LineChart | undefined;
  private productChart: LineChart | undefined;
  private frame = 0;
  // The charts follow a slider as it moves.
  protected readonly liveSettings = true;

  protected compute(settings: SettingsValues): ActivationSnapshot {
    return computeSnapshot(settings);
  }

  protected createCharts(): void {
    this.curveChart = new LineChart(this.querySelector<HTMLElement>('[data-chart="curve"]') ?? this, {
      label: 'Activation and its slope against the pre-activation z',
      xLabel: 'z',
      yLabel: 'value',
      height: 220,
      alwaysShowLegend: true,
    });
    this.productChart = new LineChart(this.querySelector<HTMLElement>('[data-chart="product"]') ?? this, {
      label: 'Product of k backward factors against k',
      xLabel: 'k (layers)',
      yLabel: '|product|',
      logY: true,
      height: 220,
      alwaysShowLegend: true,
    });
  }

  disconnectedCallback(): void {
    cancelAnimationFrame(this.frame);
  }

  protected draw(snapshot: ActivationSnapshot, settings: SettingsValues): void {
    // z matters at one point, the spread over a layer: the other is marked inactive (still editable).
    for (const [key, mode] of [['z', 'point'], ['spread', 'spread']] as const) {
      this.querySelector(`[data-control-for="${key}"]`)?.toggleAttribute('data-inactive', settings.mode !== mode);
    }
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.drawCharts(snapshot, settings));
  }

  protected exportableCharts(): ExportableChart[] {
    return [
      ...(this.curveChart ? [{ chart: this.curveChart, title: 'The activation and its slope' }] : []),
      ...(this.productChart ? [{ chart: this.productChart, title: 'Product of k factors |w·φ′| (log scale)' }] : []),
    ];
  }

  private drawCharts(snapshot: ActivationSnapshot, settings: SettingsValues): void {
    if (!this.curveChart || !this.productChart) return;
    const activation = snapshot.activation;
    const zs = Array.from({ length: CURVE_POINTS }, (_, index) => -6 + (12 * index) / (CURVE_POINTS - 1));
    const label = ACTIVATION_LABELS[activation];
    const curve = [
      { id: 'value', label, xs: zs, ys: zs.map((z) => activate(activation, z)) },
      { id: 'slope', label: `slope of ${label}`, xs: zs, ys: zs.map((z) => derivative(activation, z)) },
    ];
    if (settings.mode === 'point') {
      const z = Number(settings.z);
      const slope = derivative(activation, z);
      // A short vertical mark at the chosen z, from 0 up to the slope there.
      curve.push({ id: 'chosen', label: `slope at z = ${z}: ${formatMagnitude(slope === 0 ? -Infinity : Math.log10(slope))}`, xs: [z, z], ys: [0, slope] });
    }
    this.curveChart.update(curve);
    const ks = Array.from({ length: snapshot.depth }, (_, index) => index + 1);
    // A fixed order, so each activation keeps its colour and dash when the reader switches.
    this.productChart.update(
      ACTIVATIONS.map((name: ActivationName) => ({
        id: name,
        label: `${ACTIVATION_LABELS[name]}${name === activation ? ' (chosen)' : ''}${snapshot.factors[name] === 0 ? ': 0, not drawn on a log scale' : ''}`,
        xs: ks,
        ys: snapshot.log10Products[name].map((log10Value) => Math.pow(10, log10Value)),
      })),
    );
  }

  protected dataTables(snapshot: ActivationSnapshot): DataTableSpec[] {
    return [
      {
        caption: 'Product of k backward factors for each activation, at the current weight scale and pre-activations',
        columns: ['k', ...ACTIVATIONS.map((name) => ACTIVATION_LABELS[name])],
        rows: snapshot.log10Products.sigmoid.map((_, index) => [index + 1, ...ACTIVATIONS.map((name) => formatMagnitude(snapshot.log10Products[name][index]))]),
      },
    ];
  }

  /** The table as rows for the CSV and JSON downloads: k and the product for each activation. */
  protected summaryRows(snapshot: ActivationSnapshot): SummaryRow[] {
    return snapshot.log10Products.sigmoid.map((_, index) => ({
      k: index + 1,
      ...Object.fromEntries(ACTIVATIONS.map((name) => [`product_${name}`, Math.pow(10, snapshot.log10Products[name][index])])),
    }));
  }
}

if (!customElements.get('activation-derivatives')) {
  customElements.define('activation-derivatives', ActivationDerivativesElement);
}
