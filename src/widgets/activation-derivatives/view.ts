/**
 * The <activation-derivatives> custom element: recomputes the pure model (model.ts) as the settings
 * change and redraws both charts, the summary and the data table. It composes the kit's parts
 * (settings, messages, status line, data table, exports); there is nothing to train, so play,
 * pause and reset only recompute. Follows the widget element contract in docs/architecture.md.
 */
import type { WidgetState } from '~/engine/types';
import { LineChart } from '~/charts/line-chart';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import { DataTableToggle } from '~/widgets/kit/data-table';
import { WidgetMessages } from '~/widgets/kit/messages';
import { SettingsController } from '~/widgets/kit/settings-controller';
import type { SettingProblem } from '~/widgets/kit/setting-values';
import { StatusLine } from '~/widgets/kit/status-line';
import { WidgetExports } from '~/widgets/kit/widget-exports';
import { dispatchWidgetUpdate, readShellConfig, type ShellConfig, type WidgetElement } from '~/widgets/kit/widget-element';
import { computeSnapshot, type ActivationSnapshot } from './model';
import { ACTIVATIONS, ACTIVATION_LABELS, activate, derivative, formatMagnitude, type ActivationName } from './math';

const CURVE_POINTS = 241;

class ActivationDerivativesElement extends HTMLElement implements WidgetElement {
  private config: ShellConfig | undefined;
  private controller: SettingsController | undefined;
  private statusLine: StatusLine | undefined;
  private table: DataTableToggle | undefined;
  private snapshot: ActivationSnapshot | undefined;
  private curveChart: LineChart | undefined;
  private productChart: LineChart | undefined;
  private frame = 0;

  connectedCallback(): void {
    if (this.config) return;
    const config = readShellConfig(this);
    this.config = config;
    const part = <T extends HTMLElement = HTMLElement>(name: string) => this.querySelector<T>(`[data-part="${name}"]`);
    const messages = new WidgetMessages(part('messages'));
    this.statusLine = new StatusLine(part('status'), part('live'));
    // The charts follow a slider as it moves; applySettings (an exercise) renders itself.
    this.controller = new SettingsController({
      root: this,
      widgetId: config.widgetId,
      specs: config.specs,
      base: config.base,
      messages,
      live: true,
      onChange: (_keys, from) => {
        if (from === 'control') this.render();
      },
    });
    part('restore')?.addEventListener('click', () => {
      this.controller?.restore();
      this.render();
    });
    this.table = new DataTableToggle(part<HTMLButtonElement>('table-toggle'), part('table'), () => this.dataTables());
    this.curveChart = new LineChart(this.querySelector<HTMLElement>('[data-chart="curve"]')!, {
      label: 'Activation and its slope against the pre-activation z',
      xLabel: 'z',
      yLabel: 'value',
      height: 220,
      alwaysShowLegend: true,
    });
    this.productChart = new LineChart(this.querySelector<HTMLElement>('[data-chart="product"]')!, {
      label: 'Product of k backward factors against k',
      xLabel: 'k (layers)',
      yLabel: '|product|',
      logY: true,
      height: 220,
      alwaysShowLegend: true,
    });
    new WidgetExports(
      this,
      {
        charts: () => [
          ...(this.curveChart ? [{ chart: this.curveChart, title: 'The activation and its slope' }] : []),
          ...(this.productChart ? [{ chart: this.productChart, title: 'Product of k factors |w·φ′| (log scale)' }] : []),
        ],
        step: () => 0,
        run: () => ({
          widgetId: config.widgetId,
          kind: config.kind,
          experiment: config.experiment,
          settings: this.settings(),
          runs: [],
          divergences: [],
          records: [],
          snapshot: this.currentSnapshot(),
          summary: this.productRows(),
        }),
      },
      messages,
    );
    this.render();
  }

  disconnectedCallback(): void {
    cancelAnimationFrame(this.frame);
  }

  // --- the widget element contract -------------------------------------------------------------

  getState(): WidgetState {
    return {
      id: this.config?.widgetId ?? this.dataset.widgetId ?? '',
      kind: 'activation-derivatives',
      settings: { ...this.settings() },
      // The computation is instantaneous: whenever the state can be read, it is complete.
      status: 'finished',
      step: 0,
      runs: [],
      records: [],
      divergences: [],
      snapshot: this.currentSnapshot(),
    };
  }

  /** Nothing to animate: recomputes and reports, so "predict, then run" exercises can read it. */
  play(): void {
    this.render();
  }

  pause(): void {
    // A pure calculation has nothing to pause.
  }

  /**
   * Nothing to restart: recomputes with the current settings. (Exercises call reset() before
   * play() and expect the settings they applied to stay; "Restore starting values" restores the
   * chapter's values.)
   */
  reset(): void {
    this.render();
  }

  applySettings(partial: Readonly<Record<string, unknown>>): SettingProblem[] {
    const problems = this.controller?.apply(partial) ?? [];
    this.render();
    return problems;
  }

  // --- drawing ---------------------------------------------------------------------------------

  private settings() {
    return this.controller?.values ?? this.config?.base ?? {};
  }

  private currentSnapshot(): ActivationSnapshot {
    return this.snapshot ?? computeSnapshot(this.settings());
  }

  private render(): void {
    const settings = this.settings();
    this.snapshot = computeSnapshot(settings);
    this.statusLine?.show(this.snapshot.summary);
    this.statusLine?.announce(this.snapshot.summary);
    // z matters at one point, the spread over a layer: the other is greyed out (still editable).
    for (const [key, mode] of [['z', 'point'], ['spread', 'spread']] as const) {
      this.querySelector(`[data-control-for="${key}"]`)?.toggleAttribute('data-inactive', settings.mode !== mode);
    }
    this.table?.render(true);
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.drawCharts());
    dispatchWidgetUpdate(this, this.getState());
  }

  private drawCharts(): void {
    const snapshot = this.snapshot;
    if (!snapshot || !this.curveChart || !this.productChart) return;
    const settings = this.settings();
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

  private dataTables(): DataTableSpec[] {
    const snapshot = this.currentSnapshot();
    return [
      {
        caption: 'Product of k backward factors for each activation, at the current weight scale and pre-activations',
        columns: ['k', ...ACTIVATIONS.map((name) => ACTIVATION_LABELS[name])],
        rows: snapshot.log10Products.sigmoid.map((_, index) => [index + 1, ...ACTIVATIONS.map((name) => formatMagnitude(snapshot.log10Products[name][index]))]),
      },
    ];
  }

  /** The table as rows for the CSV and JSON downloads: k and the product for each activation. */
  private productRows(): Record<string, number>[] {
    const snapshot = this.currentSnapshot();
    return snapshot.log10Products.sigmoid.map((_, index) => ({
      k: index + 1,
      ...Object.fromEntries(ACTIVATIONS.map((name) => [`product_${name}`, Math.pow(10, snapshot.log10Products[name][index])])),
    }));
  }
}

if (!customElements.get('activation-derivatives')) {
  customElements.define('activation-derivatives', ActivationDerivativesElement);
}
