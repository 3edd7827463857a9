/**
 * The <attention-stepper> custom element: reads the embeddings table and the mask switch,
 * recomputes the steps (model.ts) and shows them up to the current one, each as a table of every
 * number; the current step is announced politely (title, what happened, the numbers row by row).
 * Its own markup, with the kit's parts: SettingsController (the mask switch, URL state, link
 * notices), WidgetMessages, StatusLine. Follows the widget element contract in docs/architecture.md.
 */
import type { SettingsValues, WidgetState } from '~/engine/types';
import type { Matrix } from '~/engine/attention-math';
import { setControlError } from '~/widgets/kit/control-error';
import { WidgetMessages } from '~/widgets/kit/messages';
import { SettingsController } from '~/widgets/kit/settings-controller';
import type { SettingProblem } from '~/widgets/kit/setting-values';
import { StatusLine } from '~/widgets/kit/status-line';
import { dispatchWidgetUpdate, readShellConfig, type ShellConfig, type WidgetElement } from '~/widgets/kit/widget-element';
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

class AttentionStepperElement extends HTMLElement implements WidgetElement {
  private config: ShellConfig | undefined;
  private controller: SettingsController | undefined;
  private statusLine: StatusLine | undefined;
  private embeddings: Matrix = DEFAULT_EMBEDDINGS.map((row) => [...row]);
  private current = 0;
  private steps: StepperStep[] = [];

  connectedCallback(): void {
    if (this.config) return;
    const config = readShellConfig(this);
    this.config = config;
    const part = (name: string) => this.querySelector<HTMLElement>(`[data-part="${name}"]`);
    this.statusLine = new StatusLine(part('status'), part('live'));
    this.controller = new SettingsController({
      root: this,
      widgetId: config.widgetId,
      specs: config.specs,
      base: config.base,
      messages: new WidgetMessages(part('messages')),
      onChange: (_keys, from) => {
        if (from === 'control') this.render(true);
      },
    });
    for (const input of this.querySelectorAll<HTMLInputElement>('[data-embedding]')) input.addEventListener('input', () => this.onEmbedding(input));
    this.querySelector('[data-action="previous"]')?.addEventListener('click', () => this.go(this.current - 1));
    this.querySelector('[data-action="next"]')?.addEventListener('click', () => this.go(this.current + 1));
    this.querySelector('[data-action="all"]')?.addEventListener('click', () => this.go(this.steps.length - 1));
    this.render(false);
  }

  getState(): WidgetState {
    const snapshot: StepperSnapshot = { current: this.current, embeddings: this.embeddings.map((row) => [...row]), steps: this.steps };
    return { id: this.config?.widgetId ?? '', kind: 'attention-stepper', settings: { ...this.settings() }, status: 'finished', step: this.current + 1, runs: [], records: [], divergences: [], snapshot };
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

  applySettings(partial: Readonly<Record<string, unknown>>): SettingProblem[] {
    const problems = this.controller?.apply(partial) ?? [];
    this.render(true);
    return problems;
  }

  private settings(): SettingsValues {
    return this.controller?.values ?? this.config?.base ?? {};
  }

  private onEmbedding(input: HTMLInputElement): void {
    const [w, d] = (input.dataset.embedding ?? '0,0').split(',').map(Number);
    const value = input.value.trim() === '' ? NaN : Number(input.value);
    const error = this.querySelector<HTMLElement>('[data-embedding-error]');
    const problem = Number.isFinite(value) && Math.abs(value) <= 9 ? '' : `${input.getAttribute('aria-label')}: use a number from −9 to 9. The last valid value is still used.`;
    setControlError(input, error, problem);
    if (problem) return;
    this.embeddings[w][d] = value;
    this.render(true);
  }

  private go(index: number): void {
    this.current = Math.max(0, Math.min(this.steps.length - 1, index));
    this.render(true);
  }

  private render(announce: boolean): void {
    this.steps = stepperSteps(this.embeddings, this.settings().causal === true);
    const list = this.querySelector<HTMLElement>('[data-steps]');
    list?.replaceChildren(
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
    this.statusLine?.show(`Step ${this.current + 1} of ${this.steps.length}: ${step.title}`);
    const previous = this.querySelector<HTMLButtonElement>('[data-action="previous"]');
    if (previous) previous.disabled = this.current === 0;
    const next = this.querySelector<HTMLButtonElement>('[data-action="next"]');
    if (next) next.disabled = this.current === this.steps.length - 1;
    if (announce) this.statusLine?.announce(`Step ${this.current + 1} of ${this.steps.length}, ${step.title}. ${step.text} ${matrixInWords(step)}.`);
    dispatchWidgetUpdate(this, this.getState());
  }
}

if (!customElements.get('attention-stepper')) customElements.define('attention-stepper', AttentionStepperElement);
