/**
 * The <positional-encoding> custom element: reads the controls, recomputes the codes and their
 * similarities (model.ts) and redraws both heatmaps, the summary and the data table. Follows the
 * widget element contract in docs/architecture.md (getState, play/pause/reset, applySettings,
 * widget:update). Invalid input keeps the typed text, shows a message and leaves the last valid
 * value in effect.
 */
import type { SettingsValues, WidgetState } from '~/engine/types';
import { MatrixHeatmap } from '~/charts/matrix-heatmap';
import { renderDataTables } from '~/widgets/kit/data-table';
import { parseUrlSettings, writeUrlSettings } from '~/widgets/kit/url-state';
import { validateSettings } from '~/widgets/kit/setting-values';
import { positionalEncodingSettings as specs } from './settings';
import { computePositional, type PositionalSnapshot } from './model';

/** Columns of the codes in the data table (the first dimensions change fastest; the rest are in the heatmap). */
const TABLE_DIMENSIONS = 8;

class PositionalEncodingElement extends HTMLElement {
  private base: SettingsValues = {};
  private settings: SettingsValues = {};
  private snapshot: PositionalSnapshot | undefined;
  private codes: MatrixHeatmap | undefined;
  private similarity: MatrixHeatmap | undefined;
  private started = false;

  get widgetId(): string {
    return this.dataset.widgetId ?? '';
  }

  connectedCallback(): void {
    if (this.started) return;
    this.started = true;
    this.base = JSON.parse(this.dataset.base ?? '{}') as SettingsValues;
    const fromUrl = parseUrlSettings(window.location.search, this.widgetId, specs);
    this.settings = { ...this.base, ...fromUrl.values };
    this.showNotice(fromUrl.notices.join(' '));
    const chart = (name: string) => this.querySelector<HTMLElement>(`[data-chart="${name}"]`)!;
    this.codes = new MatrixHeatmap(chart('codes'), { label: 'Sinusoidal positional codes: rows are positions, columns dimensions', colour: 'diverging', domain: [-1, 1], rowTitle: 'position', columnTitle: 'dimension', valueLabel: 'value', height: 240 });
    this.similarity = new MatrixHeatmap(chart('similarity'), { label: 'Similarity of every pair of positions', colour: 'diverging', domain: [-0.5, 0.5], rowTitle: 'position', columnTitle: 'position', valueLabel: 'similarity', height: 240 });
    const form = this.querySelector('form')!;
    const onControl = (event: Event) => {
      const control = event.target;
      if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement) this.onControl(control);
    };
    form.addEventListener('input', onControl);
    form.addEventListener('change', onControl);
    this.querySelector<HTMLButtonElement>('[data-action="toggle-table"]')!.addEventListener('click', (event) => {
      const button = event.currentTarget;
      if (!(button instanceof HTMLButtonElement)) return;
      const table = this.querySelector<HTMLElement>('[data-table]')!;
      const open = button.getAttribute('aria-expanded') !== 'true';
      button.setAttribute('aria-expanded', String(open));
      button.textContent = open ? 'Hide data table' : 'Show data table';
      table.hidden = !open;
    });
    this.render();
  }

  getState(): WidgetState {
    return { id: this.widgetId, kind: 'positional-encoding', settings: { ...this.settings }, status: 'finished', step: 0, runs: [], records: [], divergences: [], snapshot: this.snapshot ?? computePositional(this.settings) };
  }

  play(): void {
    this.render();
  }

  pause(): void {
    // A pure calculation has nothing to pause.
  }

  reset(): void {
    this.render();
  }

  applySettings(partial: SettingsValues): ReturnType<typeof validateSettings>['problems'] {
    const { values, problems } = validateSettings(specs, partial);
    this.settings = { ...this.settings, ...values };
    this.showNotice(problems.map((p) => p.message).join(' '));
    this.render();
    return problems;
  }

  private onControl(control: HTMLInputElement | HTMLSelectElement): void {
    const spec = specs.find((s) => s.key === control.name);
    if (!spec) return;
    const error = this.querySelector<HTMLElement>(`[data-error-for="${spec.key}"]`);
    const raw = spec.kind === 'choice' ? control.value : control.value.trim() === '' ? NaN : Number(control.value);
    const { values, problems } = validateSettings(specs, { [spec.key]: raw });
    if (problems.length > 0) {
      if (error) error.textContent = `${problems.map((p) => p.message).join(' ')} The last valid value is still used.`;
      control.setAttribute('aria-invalid', 'true');
      return;
    }
    if (error) error.textContent = '';
    control.removeAttribute('aria-invalid');
    this.settings = { ...this.settings, ...values };
    this.render(spec.key);
  }

  private showNotice(text: string): void {
    const notice = this.querySelector<HTMLElement>('[data-notice]')!;
    notice.textContent = text;
    notice.hidden = text === '';
  }

  private render(skipControl?: string): void {
    const snapshot = computePositional(this.settings);
    this.snapshot = snapshot;
    const form = this.querySelector('form')!;
    for (const spec of specs) {
      const control = form.elements.namedItem(spec.key);
      if ((control instanceof HTMLInputElement || control instanceof HTMLSelectElement) && spec.key !== skipControl && control.value !== String(this.settings[spec.key])) control.value = String(this.settings[spec.key]);
    }
    const positions = Array.from({ length: snapshot.positions }, (_, p) => String(p));
    const dimensions = Array.from({ length: snapshot.dModel }, (_, i) => String(i));
    this.codes?.update({ values: snapshot.table, rowLabels: positions, columnLabels: dimensions, columnNames: dimensions.map((d) => `dimension ${d} (${Number(d) % 2 === 0 ? 'sin' : 'cos'})`) });
    this.similarity?.update({ values: snapshot.similarity, rowLabels: positions, columnLabels: positions });
    const summary = this.querySelector<HTMLElement>('[data-summary]')!;
    if (summary.textContent !== snapshot.summary) summary.textContent = snapshot.summary;
    const shown = Math.min(TABLE_DIMENSIONS, snapshot.dModel);
    renderDataTables(this.querySelector<HTMLElement>('[data-table]')!, [
      {
        caption: `Codes of every position, first ${shown} of ${snapshot.dModel} dimensions`,
        columns: ['Position', ...Array.from({ length: shown }, (_, i) => `dim ${i} (${i % 2 === 0 ? 'sin' : 'cos'})`)],
        rows: snapshot.table.map((row, p) => [p, ...row.slice(0, shown).map((v) => v.toFixed(3))]),
      },
      { caption: 'Similarity of position 0 and of the middle position with every position', columns: ['Position', 'with position 0', `with position ${snapshot.neighbour.position}`], rows: snapshot.similarity.map((row, p) => [p, row[0].toFixed(3), row[snapshot.neighbour.position].toFixed(3)]) },
    ]);
    const search = writeUrlSettings(window.location.search, this.widgetId, specs, this.settings, this.base);
    if (search !== window.location.search) history.replaceState(history.state, '', `${window.location.pathname}${search}${window.location.hash}`);
    this.dispatchEvent(new CustomEvent<WidgetState>('widget:update', { bubbles: true, detail: this.getState() }));
  }
}

if (!customElements.get('positional-encoding')) customElements.define('positional-encoding', PositionalEncodingElement);
