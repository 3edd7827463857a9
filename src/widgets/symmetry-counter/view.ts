/**
 * The <symmetry-counter> custom element: reads the controls, recomputes the pure count (model.ts)
 * and updates the formula shown, the result, the factors, the summary and the data table. Follows
 * the widget element contract in docs/architecture.md (getState, play/pause/reset, applySettings,
 * widget:update). Invalid input keeps the typed text, shows a message and leaves the last valid
 * value in effect.
 */
import type { SettingsValues, WidgetState } from '~/engine/types';
import { parseUrlSettings, writeUrlSettings } from '~/widgets/kit/url-state';
import { validateSettings } from '~/widgets/kit/setting-values';
import { symmetryCounterSettings as specs } from './settings';
import { computeCounter, type CounterSnapshot } from './model';
import { ARCHITECTURE_LABELS, formatPower } from './math';

class SymmetryCounterElement extends HTMLElement {
  private base: SettingsValues = {};
  private settings: SettingsValues = {};
  private snapshot: CounterSnapshot | undefined;
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
    const form = this.querySelector('form')!;
    const onControl = (event: Event) => {
      const control = event.target;
      if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement) this.onControl(control);
    };
    form.addEventListener('input', onControl);
    form.addEventListener('change', onControl);
    this.querySelector('[data-action="toggle-table"]')!.addEventListener('click', (event) => {
      const button = event.currentTarget as HTMLButtonElement;
      const table = this.querySelector<HTMLElement>('.sc-table')!;
      const open = button.getAttribute('aria-expanded') !== 'true';
      button.setAttribute('aria-expanded', String(open));
      button.textContent = open ? 'Hide data table' : 'Show data table';
      table.hidden = !open;
    });
    this.render();
  }

  getState(): WidgetState {
    return {
      id: this.widgetId,
      kind: 'symmetry-counter',
      settings: { ...this.settings },
      // Instantaneous: whenever the state can be read, it is complete.
      status: 'finished',
      step: 0,
      runs: [],
      records: [],
      divergences: [],
      snapshot: this.snapshot ?? computeCounter(this.settings),
    };
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

  applySettings(partial: SettingsValues): void {
    const { values, problems } = validateSettings(specs, partial);
    this.settings = { ...this.settings, ...values };
    this.showNotice(problems.map((p) => p.message).join(' '));
    this.render();
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
    const snapshot = computeCounter(this.settings);
    this.snapshot = snapshot;
    const form = this.querySelector('form')!;
    for (const spec of specs) {
      const control = form.elements.namedItem(spec.key);
      if ((control instanceof HTMLInputElement || control instanceof HTMLSelectElement) && spec.key !== skipControl && control.value !== String(this.settings[spec.key])) control.value = String(this.settings[spec.key]);
    }
    for (const formula of this.querySelectorAll<HTMLElement>('[data-formula]')) formula.hidden = formula.dataset.formula !== this.settings.architecture;
    this.querySelector('[data-result]')!.textContent = snapshot.count ? formatPower(snapshot.count.log10) : '–';
    this.querySelector('[data-terms]')!.replaceChildren(
      ...(snapshot.count?.terms ?? []).map((term) => {
        const item = document.createElement('li');
        item.textContent = `${term.what}: 10^${term.log10.toFixed(1)}`;
        return item;
      }),
    );
    const summary = this.querySelector<HTMLElement>('[data-summary]')!;
    if (summary.textContent !== snapshot.summary) summary.textContent = snapshot.summary;
    this.querySelector('[data-table-body]')!.replaceChildren(
      ...snapshot.comparison.map((row) => {
        const tr = document.createElement('tr');
        const th = document.createElement('th');
        th.scope = 'row';
        th.textContent = ARCHITECTURE_LABELS[row.architecture];
        const td = document.createElement('td');
        td.textContent = row.log10.toFixed(1);
        tr.append(th, td);
        return tr;
      }),
    );
    const search = writeUrlSettings(window.location.search, this.widgetId, specs, this.settings, this.base);
    if (search !== window.location.search) history.replaceState(history.state, '', `${window.location.pathname}${search}${window.location.hash}`);
    this.dispatchEvent(new CustomEvent<WidgetState>('widget:update', { bubbles: true, detail: this.getState() }));
  }
}

if (!customElements.get('symmetry-counter')) customElements.define('symmetry-counter', SymmetryCounterElement);
