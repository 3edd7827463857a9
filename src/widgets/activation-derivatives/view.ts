/**
 * The <activation-derivatives> custom element: reads the controls, recomputes the pure model
 * (model.ts) and redraws both charts, the summary and the data table. Follows the widget element
 * contract in docs/architecture.md (getState, play/pause/reset, applySettings, widget:update).
 */
import type { SettingsValues, WidgetState } from '~/engine/types';
import { LineChart } from '~/charts/line-chart';
import { setControlError } from '~/widgets/kit/control-error';
import { linkNoticeForFirstWidget, parseUrlSettings, writeUrlSettings } from '~/widgets/kit/url-state';
import { validateSettings } from '~/widgets/kit/setting-values';
import { activationDerivativesSettings as specs } from './settings';
import { computeSnapshot, type ActivationSnapshot } from './model';
import { ACTIVATIONS, ACTIVATION_LABELS, activate, derivative, formatMagnitude, type ActivationName } from './math';

const CURVE_POINTS = 241;

class ActivationDerivativesElement extends HTMLElement {
  private base: SettingsValues = {};
  private settings: SettingsValues = {};
  private snapshot: ActivationSnapshot | undefined;
  private curveChart: LineChart | undefined;
  private productChart: LineChart | undefined;
  private frame = 0;
  private started = false;

  connectedCallback(): void {
    if (this.started) return;
    this.started = true;
    this.base = JSON.parse(this.dataset.base ?? '{}') as SettingsValues;
    const fromUrl = parseUrlSettings(window.location.search, this.widgetId, specs);
    this.settings = { ...this.base, ...fromUrl.values };
    const notices = [...fromUrl.notices, linkNoticeForFirstWidget(this.widgetId, window.location.search) ?? ''].filter(Boolean);
    if (notices.length > 0) this.showNotice(notices.join(' '));
    // A bad value in the link is reported at its control, which shows the value in use.
    for (const problem of fromUrl.invalid) {
      setControlError(this.querySelector(`[name="${problem.key}"]`), this.querySelector(`[data-error-for="${problem.key}"]`), problem.message);
    }

    const curveHost = this.querySelector<HTMLElement>('[data-chart="curve"]')!;
    const productHost = this.querySelector<HTMLElement>('[data-chart="product"]')!;
    this.curveChart = new LineChart(curveHost, {
      label: 'Activation and its slope against the pre-activation z',
      xLabel: 'z',
      yLabel: 'value',
      height: 220,
      alwaysShowLegend: true,
    });
    this.productChart = new LineChart(productHost, {
      label: 'Product of k backward factors against k',
      xLabel: 'k (layers)',
      yLabel: '|product|',
      logY: true,
      height: 220,
      alwaysShowLegend: true,
    });

    const form = this.querySelector('form')!;
    form.addEventListener('input', (event) => this.onControl(event.target as HTMLInputElement | HTMLSelectElement));
    form.addEventListener('change', (event) => this.onControl(event.target as HTMLInputElement | HTMLSelectElement));
    this.querySelector('[data-action="reset"]')!.addEventListener('click', () => this.restoreChapterValues());
    this.querySelector('[data-action="toggle-table"]')!.addEventListener('click', (event) => {
      const button = event.currentTarget as HTMLButtonElement;
      const table = this.querySelector<HTMLElement>('.ad-table')!;
      const open = button.getAttribute('aria-expanded') !== 'true';
      button.setAttribute('aria-expanded', String(open));
      button.textContent = open ? 'Hide data table' : 'Show data table';
      table.hidden = !open;
    });
    this.render();
  }

  disconnectedCallback(): void {
    cancelAnimationFrame(this.frame);
  }

  get widgetId(): string {
    return this.dataset.widgetId ?? '';
  }

  // --- the widget element contract -------------------------------------------------------------

  getState(): WidgetState {
    const snapshot = this.snapshot ?? computeSnapshot(this.settings);
    return {
      id: this.widgetId,
      kind: 'activation-derivatives',
      settings: { ...this.settings },
      // The computation is instantaneous: whenever the state can be read, it is complete.
      status: 'finished',
      step: 0,
      runs: [],
      records: [],
      divergences: [],
      snapshot,
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
   * play() and expect the settings they applied to stay; the reset button restores the chapter's
   * values with restoreChapterValues.)
   */
  reset(): void {
    this.render();
  }

  restoreChapterValues(): void {
    this.settings = { ...this.base };
    this.showNotice('');
    for (const error of this.querySelectorAll<HTMLElement>('[data-error-for]')) {
      setControlError(this.querySelector(`[name="${error.dataset.errorFor}"]`), error, '');
    }
    this.render();
  }

  applySettings(partial: SettingsValues): void {
    const { values, problems } = validateSettings(specs, partial);
    this.settings = { ...this.settings, ...values };
    this.showNotice(problems.map((problem) => problem.message).join(' '));
    this.render();
  }

  // --- controls --------------------------------------------------------------------------------

  private onControl(control: HTMLInputElement | HTMLSelectElement): void {
    const name = control.name;
    let key = name;
    let raw: string | number = control.value;
    if (name === 'weightScaleLog') {
      key = 'weightScale';
      raw = Number(Math.pow(10, Number(control.value)).toFixed(2));
    }
    if (name === 'weightScale' && control.value.trim() === '') return; // let the reader finish typing
    const spec = specs.find((candidate) => candidate.key === key);
    if (!spec) return;
    const { values, problems } = validateSettings(specs, { [key]: spec.kind === 'choice' ? raw : Number(raw) });
    const error = this.querySelector<HTMLElement>(`[data-error-for="${key}"]`);
    setControlError(control, error, problems.map((problem) => problem.message).join(' '));
    if (problems.length > 0) return;
    this.settings = { ...this.settings, ...values };
    this.render(name);
  }

  private showNotice(text: string): void {
    const notice = this.querySelector<HTMLElement>('[data-notice]')!;
    notice.textContent = text;
    notice.hidden = text === '';
  }

  /** Writes the settings into the controls, except the one the reader is moving. */
  private syncControls(skip?: string): void {
    const form = this.querySelector('form')!;
    const set = (name: string, value: string) => {
      const control = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
      if (control && name !== skip && control.value !== value) control.value = value;
    };
    const weightScale = Number(this.settings.weightScale);
    set('activation', String(this.settings.activation));
    set('weightScaleLog', String(Math.log10(weightScale)));
    set('weightScale', String(weightScale));
    set('depth', String(this.settings.depth));
    set('mode', String(this.settings.mode));
    set('z', String(this.settings.z));
    set('spread', String(this.settings.spread));
    const slider = form.elements.namedItem('weightScaleLog') as HTMLInputElement;
    slider.setAttribute('aria-valuetext', `w = ${weightScale}`);
    for (const key of ['depth', 'z', 'spread']) {
      const output = this.querySelector<HTMLOutputElement>(`[data-output="${key}"]`);
      if (output) output.value = String(this.settings[key]);
      const range = form.elements.namedItem(key) as HTMLInputElement;
      range.setAttribute('aria-valuetext', String(this.settings[key]));
    }
    for (const field of this.querySelectorAll<HTMLElement>('[data-for-mode]')) {
      const active = field.dataset.forMode === this.settings.mode;
      field.querySelectorAll('input').forEach((input) => (input.disabled = !active));
      field.toggleAttribute('data-disabled', !active);
    }
  }

  // --- drawing ---------------------------------------------------------------------------------

  private render(skipControl?: string): void {
    this.snapshot = computeSnapshot(this.settings);
    this.syncControls(skipControl);
    const summary = this.querySelector<HTMLElement>('[data-summary]')!;
    if (summary.textContent !== this.snapshot.summary) summary.textContent = this.snapshot.summary;
    this.renderTable(this.snapshot);
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.drawCharts());
    const search = writeUrlSettings(window.location.search, this.widgetId, specs, this.settings, this.base);
    if (search !== window.location.search) {
      history.replaceState(history.state, '', `${window.location.pathname}${search}${window.location.hash}`);
    }
    this.dispatchEvent(new CustomEvent<WidgetState>('widget:update', { bubbles: true, detail: this.getState() }));
  }

  private drawCharts(): void {
    const snapshot = this.snapshot;
    if (!snapshot || !this.curveChart || !this.productChart) return;
    const activation = snapshot.activation;
    const zs = Array.from({ length: CURVE_POINTS }, (_, index) => -6 + (12 * index) / (CURVE_POINTS - 1));
    const label = ACTIVATION_LABELS[activation];
    const curve = [
      { id: 'value', label, xs: zs, ys: zs.map((z) => activate(activation, z)) },
      { id: 'slope', label: `slope of ${label}`, xs: zs, ys: zs.map((z) => derivative(activation, z)) },
    ];
    if (this.settings.mode === 'point') {
      const z = Number(this.settings.z);
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

  private renderTable(snapshot: ActivationSnapshot): void {
    const body = this.querySelector<HTMLTableSectionElement>('[data-table-body]')!;
    const rows = snapshot.log10Products.sigmoid.map((_, index) => {
      const row = document.createElement('tr');
      const head = document.createElement('th');
      head.scope = 'row';
      head.textContent = String(index + 1);
      row.append(head);
      for (const name of ACTIVATIONS) {
        const cell = document.createElement('td');
        cell.textContent = formatMagnitude(snapshot.log10Products[name][index]);
        row.append(cell);
      }
      return row;
    });
    body.replaceChildren(...rows);
  }
}

if (!customElements.get('activation-derivatives')) {
  customElements.define('activation-derivatives', ActivationDerivativesElement);
}
