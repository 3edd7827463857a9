/**
 * The <attention-stepper> custom element: reads the embeddings table and the mask switch,
 * recomputes the steps (model.ts) and shows them up to the current one, each as a table of every
 * number; the current step is announced politely (title, what happened, the numbers row by row).
 * Follows the widget element contract in docs/architecture.md.
 */
import type { SettingsValues, WidgetState } from '~/engine/types';
import type { Matrix } from '~/engine/attention-math';
import { parseUrlSettings, writeUrlSettings } from '~/widgets/kit/url-state';
import { validateSettings } from '~/widgets/kit/setting-values';
import { attentionStepperSettings as specs } from './settings';
import { DEFAULT_EMBEDDINGS, formatEntry, matrixInWords, stepperSteps, type StepperStep } from './model';

export interface StepperSnapshot {
  /** 0-based index of the current step. */
  current: number;
  embeddings: Matrix;
  steps: StepperStep[];
}

function matrixTable(step: StepperStep): HTMLTableElement {
  const table = document.createElement('table');
  const caption = table.createCaption();
  caption.textContent = step.title;
  const head = table.createTHead().insertRow();
  const corner = document.createElement('th');
  corner.scope = 'col';
  corner.textContent = '';
  head.append(corner);
  for (const name of step.columnNames) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = name;
    head.append(th);
  }
  const body = table.createTBody();
  step.matrix.forEach((row, i) => {
    const tr = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = step.rowNames[i];
    tr.append(th);
    for (const value of row) tr.insertCell().textContent = formatEntry(value);
  });
  return table;
}

class AttentionStepperElement extends HTMLElement {
  private base: SettingsValues = {};
  private settings: SettingsValues = {};
  private embeddings: Matrix = DEFAULT_EMBEDDINGS.map((row) => [...row]);
  private current = 0;
  private steps: StepperStep[] = [];
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
    this.querySelector<HTMLInputElement>('input[name="causal"]')!.addEventListener('change', (event) => {
      if (event.target instanceof HTMLInputElement) this.applySettings({ causal: event.target.checked });
    });
    for (const input of this.querySelectorAll<HTMLInputElement>('[data-embedding]')) input.addEventListener('input', () => this.onEmbedding(input));
    this.querySelector('[data-action="previous"]')!.addEventListener('click', () => this.go(this.current - 1));
    this.querySelector('[data-action="next"]')!.addEventListener('click', () => this.go(this.current + 1));
    this.querySelector('[data-action="all"]')!.addEventListener('click', () => this.go(this.steps.length - 1));
    this.render(false);
  }

  getState(): WidgetState {
    const snapshot: StepperSnapshot = { current: this.current, embeddings: this.embeddings.map((row) => [...row]), steps: this.steps };
    return { id: this.widgetId, kind: 'attention-stepper', settings: { ...this.settings }, status: 'finished', step: this.current + 1, runs: [], records: [], divergences: [], snapshot };
  }

  play(): void {
    this.go(this.steps.length - 1);
  }

  pause(): void {
    // Nothing runs in the background.
  }

  reset(): void {
    this.embeddings = DEFAULT_EMBEDDINGS.map((row) => [...row]);
    for (const input of this.querySelectorAll<HTMLInputElement>('[data-embedding]')) {
      const [w, d] = (input.dataset.embedding ?? '0,0').split(',').map(Number);
      input.value = String(this.embeddings[w][d]);
      input.removeAttribute('aria-invalid');
    }
    this.current = 0;
    this.render(true);
  }

  applySettings(partial: SettingsValues): ReturnType<typeof validateSettings>['problems'] {
    const { values, problems } = validateSettings(specs, partial);
    this.settings = { ...this.settings, ...values };
    this.showNotice(problems.map((p) => p.message).join(' '));
    this.render(true);
    return problems;
  }

  private onEmbedding(input: HTMLInputElement): void {
    const [w, d] = (input.dataset.embedding ?? '0,0').split(',').map(Number);
    const value = input.value.trim() === '' ? NaN : Number(input.value);
    const error = this.querySelector<HTMLElement>('[data-embedding-error]')!;
    if (!Number.isFinite(value) || Math.abs(value) > 9) {
      input.setAttribute('aria-invalid', 'true');
      error.textContent = `${input.getAttribute('aria-label')}: use a number from −9 to 9. The last valid value is still used.`;
      return;
    }
    input.removeAttribute('aria-invalid');
    error.textContent = '';
    this.embeddings[w][d] = value;
    this.render(true);
  }

  private go(index: number): void {
    this.current = Math.max(0, Math.min(this.steps.length - 1, index));
    this.render(true);
  }

  private showNotice(text: string): void {
    const notice = this.querySelector<HTMLElement>('[data-notice]')!;
    notice.textContent = text;
    notice.hidden = text === '';
  }

  private render(announce: boolean): void {
    this.steps = stepperSteps(this.embeddings, this.settings.causal === true);
    const causal = this.querySelector<HTMLInputElement>('input[name="causal"]')!;
    causal.checked = this.settings.causal === true;
    const list = this.querySelector<HTMLElement>('[data-steps]')!;
    list.replaceChildren(
      ...this.steps.slice(0, this.current + 1).map((step, index) => {
        const item = document.createElement('li');
        if (index === this.current) item.setAttribute('aria-current', 'step');
        const text = document.createElement('p');
        text.textContent = step.text;
        const wrapper = document.createElement('div');
        wrapper.className = 'widget-table-scroll';
        wrapper.append(matrixTable(step));
        item.append(text, wrapper);
        return item;
      }),
    );
    const step = this.steps[this.current];
    this.querySelector('[data-position]')!.textContent = `Step ${this.current + 1} of ${this.steps.length}: ${step.title}`;
    this.querySelector<HTMLButtonElement>('[data-action="previous"]')!.disabled = this.current === 0;
    this.querySelector<HTMLButtonElement>('[data-action="next"]')!.disabled = this.current === this.steps.length - 1;
    if (announce) this.querySelector('[data-announce]')!.textContent = `Step ${this.current + 1} of ${this.steps.length}, ${step.title}. ${step.text} ${matrixInWords(step)}.`;
    const search = writeUrlSettings(window.location.search, this.widgetId, specs, this.settings, this.base);
    if (search !== window.location.search) history.replaceState(history.state, '', `${window.location.pathname}${search}${window.location.hash}`);
    this.dispatchEvent(new CustomEvent<WidgetState>('widget:update', { bubbles: true, detail: this.getState() }));
  }
}

if (!customElements.get('attention-stepper')) customElements.define('attention-stepper', AttentionStepperElement);
