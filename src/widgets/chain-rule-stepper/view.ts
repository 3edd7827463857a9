/**
 * <chain-rule-stepper>: brings the server-rendered stepper to life. It owns the settings and the
 * step position, recomputes the steps (math.ts) when a setting changes, lights up the diagram,
 * writes the step panel and the live region, and asks its own module worker for TF.js's gradients.
 * TF.js is only ever loaded by that worker, never by this file.
 */
import type { SettingsValues, WidgetState, WidgetStatus } from '~/engine/types';
import { setControlError } from '~/widgets/kit/control-error';
import { linkNoticeForFirstWidget, parseUrlSettings, writeUrlSettings } from '~/widgets/kit/url-state';
import { SettingsFold } from '~/widgets/kit/settings-fold';
import { EDGES, NODES, layout, type NodeId } from './diagram';
import { backward, buildSteps, forward, formatNumber, gradientAgrees, gradientsAgree, type DiagramPart, type Step } from './math';
import { defaultSettings, mergeSettings, numberSpec, parseNumberInput, stepperSettings } from './settings';
import type { AutodiffRequest, AutodiffResponse } from './autodiff.worker';
import type { AutodiffComparison, NumberSettingName, ParamGradients, StepId, StepperSettings, StepperSnapshot } from './types';
import { NUMBER_SETTING_NAMES, PARAM_NAMES } from './types';

const KIND = 'chain-rule-stepper';
/** Delay between steps while "Run all" animates (none with prefers-reduced-motion). */
const PLAY_INTERVAL_MS = 220;

type AutodiffResult =
  | { state: 'idle' }
  | { state: 'pending' }
  | { state: 'ready'; key: string; gradients: ParamGradients }
  | { state: 'error'; message: string };

const settingsKey = (s: StepperSettings): string =>
  JSON.stringify([...NUMBER_SETTING_NAMES.map((n) => s[n]), s.activation, s.output]);

class ChainRuleStepperElement extends HTMLElement {
  private settings: StepperSettings = defaultSettings();
  /** Defaults plus the chapter's preset: what "Restore starting values" returns to, and the URL's baseline. */
  private base: StepperSettings = defaultSettings();
  private steps: Step[] = [];
  private stepIndex = 0;
  private running = false;
  private playTimer: number | undefined;
  private autodiff: AutodiffResult = { state: 'idle' };
  private worker: Worker | undefined;
  /** The autodiff worker could not load: its error stays, and the hand computation goes on without it. */
  private workerFailed = false;
  private requestId = 0;
  /** Settings key of each request in flight, so an answer is matched to the numbers it was for. */
  private pendingKey = new Map<number, string>();
  private observer: IntersectionObserver | undefined;
  private layoutOutput: StepperSettings['output'] | undefined;
  private connected = false;
  /** The "All settings (n)" disclosure, when the chapter focuses on a few values. */
  private fold: SettingsFold | undefined;

  connectedCallback(): void {
    if (this.connected) return;
    this.connected = true;
    const preset = JSON.parse(this.dataset.preset ?? '{}') as SettingsValues;
    this.base = mergeSettings(defaultSettings(), preset).settings;
    const fromUrl = parseUrlSettings(window.location.search, this.widgetId, stepperSettings);
    this.settings = mergeSettings(this.base, fromUrl.values).settings;
    const notices = [...fromUrl.notices, linkNoticeForFirstWidget(this.widgetId, window.location.search) ?? ''].filter(Boolean);
    if (notices.length > 0) this.showNotice(notices.join(' '));
    this.fold = new SettingsFold(this.querySelector<HTMLDetailsElement>('[data-part="all-settings"]'), `${location.pathname}#${this.widgetId}`);
    // A value from the link, valid or not, is never out of sight in the fold.
    this.fold.reveal([...Object.keys(fromUrl.values), ...fromUrl.invalid.map((problem) => problem.key)]);
    this.steps = buildSteps(this.settings);

    this.querySelector('[data-controls]')?.addEventListener('click', (event) => this.onControlClick(event));
    this.querySelector('[data-controls]')?.addEventListener('keydown', (event) => this.onControlKey(event as KeyboardEvent));
    this.querySelector('[data-action="restore"]')?.addEventListener('click', () => this.restoreStartingValues());
    const form = this.querySelector<HTMLFormElement>('[data-settings]');
    form?.addEventListener('submit', (event) => event.preventDefault());
    form?.addEventListener('input', (event) => this.onFieldInput(event.target, false));
    form?.addEventListener('change', (event) => this.onFieldInput(event.target, true));

    this.syncFields();
    // A bad value in the link is reported at its field, which shows the value in use.
    for (const problem of fromUrl.invalid) {
      setControlError(this.querySelector(`[data-setting="${problem.key}"]`), this.querySelector(`[data-error-for="${problem.key}"]`), problem.message);
    }
    this.render();
    // TF.js loads only when the stepper comes near the viewport (or is used from code first).
    if ('IntersectionObserver' in window) {
      this.observer = new IntersectionObserver(
        (entries) => {
          if (entries.some((entry) => entry.isIntersecting)) {
            this.observer?.disconnect();
            this.requestAutodiff();
          }
        },
        { rootMargin: '300px' },
      );
      this.observer.observe(this);
    } else {
      this.requestAutodiff();
    }
  }

  disconnectedCallback(): void {
    this.pause();
    this.observer?.disconnect();
    this.worker?.terminate();
    this.worker = undefined;
    this.connected = false;
  }

  // ------------------------------------------------------------------ the widget contract

  get widgetId(): string {
    return this.dataset.widgetId ?? 'stepper';
  }

  getState(): WidgetState {
    return {
      id: this.widgetId,
      kind: KIND,
      settings: { ...this.settings },
      status: this.status(),
      step: this.stepIndex,
      runs: [],
      records: [],
      divergences: [],
      snapshot: this.snapshot(),
    };
  }

  play(): void {
    if (this.running || this.stepIndex >= this.steps.length) return;
    if (window.matchMedia('(prefers-reduced-motion: reduce)').matches) {
      this.goTo(this.steps.length, true);
      return;
    }
    this.running = true;
    this.render();
    this.emit();
    const tick = () => {
      if (!this.running) return;
      this.goTo(this.stepIndex + 1, false);
      if (this.stepIndex >= this.steps.length) {
        this.running = false;
        this.render();
        this.announce(this.finishedSentence());
        this.emit();
      } else {
        this.playTimer = window.setTimeout(tick, PLAY_INTERVAL_MS);
      }
    };
    this.playTimer = window.setTimeout(tick, PLAY_INTERVAL_MS);
  }

  pause(): void {
    if (this.playTimer !== undefined) window.clearTimeout(this.playTimer);
    this.playTimer = undefined;
    if (!this.running) return;
    this.running = false;
    this.render();
    this.announce(`Paused after ${this.whereText()}.`);
    this.emit();
  }

  reset(): void {
    this.pause();
    this.goTo(0, true);
  }

  next(): void {
    this.pause();
    if (this.stepIndex < this.steps.length) this.goTo(this.stepIndex + 1, true);
  }

  previous(): void {
    this.pause();
    if (this.stepIndex > 0) this.goTo(this.stepIndex - 1, true);
  }

  applySettings(partial: SettingsValues): void {
    // A change from code (an exercise) never happens out of sight in the fold.
    this.fold?.reveal(Object.keys(partial));
    const { settings } = mergeSettings(this.settings, partial);
    this.setSettings(settings, true);
  }

  // ------------------------------------------------------------------ state

  private status(): WidgetStatus {
    if (this.running) return 'running';
    if (this.stepIndex === 0) return 'idle';
    return this.stepIndex >= this.steps.length ? 'finished' : 'paused';
  }

  private forwardSteps(): number {
    return this.steps.filter((s) => s.phase === 'forward').length;
  }

  private snapshot(): StepperSnapshot {
    const forwardSteps = this.forwardSteps();
    const { nodes, params } = backward(this.settings);
    const current = this.stepIndex > 0 ? this.steps[this.stepIndex - 1] : undefined;
    const phase: StepperSnapshot['phase'] =
      this.stepIndex === 0 ? 'start' : this.stepIndex >= this.steps.length ? 'done' : this.stepIndex <= forwardSteps ? 'forward' : 'backward';
    const comparison = this.comparison();
    return {
      phase,
      stepIndex: this.stepIndex,
      totalSteps: this.steps.length,
      forwardSteps,
      completed: this.steps.slice(0, this.stepIndex).map((s) => s.id),
      current: current ? { id: current.id, phase: current.phase, text: current.text } : null,
      values: forward(this.settings),
      nodeGradients: nodes,
      gradients: params,
      ...(comparison ? { autodiff: comparison } : {}),
    };
  }

  /** TF.js's answer compared with the hand gradients, only if it is for exactly these settings. */
  private comparison(): AutodiffComparison | undefined {
    if (this.autodiff.state !== 'ready' || this.autodiff.key !== settingsKey(this.settings)) return undefined;
    return gradientsAgree(backward(this.settings).params, this.autodiff.gradients);
  }

  private goTo(index: number, announce: boolean): void {
    this.stepIndex = Math.max(0, Math.min(index, this.steps.length));
    this.render();
    if (announce) {
      const current = this.stepIndex > 0 ? this.steps[this.stepIndex - 1] : undefined;
      this.announce(current ? this.currentSentence() : 'Back at the start: nothing computed yet.');
    }
    if (this.stepIndex > this.forwardSteps()) this.requestAutodiff();
    this.emit();
  }

  private setSettings(settings: StepperSettings, fromCode: boolean): void {
    this.settings = settings;
    this.steps = buildSteps(settings);
    this.stepIndex = Math.min(this.stepIndex, this.steps.length);
    if (fromCode) this.syncFields();
    this.writeUrl();
    this.render();
    this.requestAutodiff();
    this.emit();
  }

  private restoreStartingValues(): void {
    this.setSettings({ ...this.base }, true);
    this.announce('Starting values restored.');
  }

  private emit(): void {
    this.dispatchEvent(new CustomEvent<WidgetState>('widget:update', { bubbles: true, detail: this.getState() }));
  }

  // ------------------------------------------------------------------ TF.js worker

  private requestAutodiff(): void {
    if (!this.connected || this.workerFailed) return;
    if (this.autodiff.state === 'ready' && this.autodiff.key === settingsKey(this.settings)) return;
    if (!this.worker) {
      try {
        this.worker = new Worker(new URL('./autodiff.worker.ts', import.meta.url), { type: 'module' });
      } catch (error) {
        this.workerFailed = true;
        this.autodiff = { state: 'error', message: error instanceof Error ? error.message : String(error) };
        this.render();
        return;
      }
      this.worker.addEventListener('message', (event: MessageEvent<AutodiffResponse>) => this.onAutodiff(event.data));
      this.worker.addEventListener('error', (event) => {
        event.preventDefault();
        // A worker whose script failed is dead: later steps must not wait on it ("computing…").
        this.worker?.terminate();
        this.worker = undefined;
        this.workerFailed = true;
        this.pendingKey.clear();
        this.autodiff = { state: 'error', message: event.message || 'its worker could not be loaded; reload the page to try again' };
        this.render();
        this.emit();
      });
    }
    this.requestId += 1;
    const request: AutodiffRequest = { id: this.requestId, settings: { ...this.settings } };
    this.pendingKey.set(this.requestId, settingsKey(this.settings));
    if (this.autodiff.state !== 'ready') this.autodiff = { state: 'pending' };
    this.worker.postMessage(request);
  }

  private onAutodiff(response: AutodiffResponse): void {
    const key = this.pendingKey.get(response.id);
    this.pendingKey.delete(response.id);
    // Only the answer to the latest request counts; earlier settings are stale.
    if (response.id !== this.requestId || key === undefined) return;
    const hadAnswer = this.comparison() !== undefined;
    this.autodiff = response.ok ? { state: 'ready', key, gradients: response.gradients } : { state: 'error', message: response.message };
    this.render();
    // A reader who finished before TF.js answered hears the verdict once it arrives.
    if (!hadAnswer && !this.running && this.stepIndex >= this.steps.length) this.announce(this.finishedSentence());
    this.emit();
  }

  // ------------------------------------------------------------------ reader input

  private onControlClick(event: Event): void {
    const button = (event.target as Element | null)?.closest<HTMLButtonElement>('button[data-action]');
    if (!button || button.getAttribute('aria-disabled') === 'true') return;
    switch (button.dataset.action) {
      case 'previous':
        this.previous();
        break;
      case 'next':
        this.next();
        break;
      case 'play':
        if (this.running) this.pause();
        else this.play();
        break;
      case 'reset':
        this.reset();
        break;
    }
  }

  private onControlKey(event: KeyboardEvent): void {
    if (event.key === 'ArrowRight') {
      event.preventDefault();
      this.next();
    } else if (event.key === 'ArrowLeft') {
      event.preventDefault();
      this.previous();
    }
  }

  private onFieldInput(target: EventTarget | null, committed: boolean): void {
    if (target instanceof HTMLSelectElement) {
      if (!committed) return;
      this.setSettings(mergeSettings(this.settings, { [target.name]: target.value }).settings, false);
      const label = target.labels?.[0]?.textContent ?? target.name;
      this.announce(`${label}: ${target.selectedOptions[0]?.textContent ?? target.value}. ${this.currentSentence()}`);
      return;
    }
    if (!(target instanceof HTMLInputElement) || !target.dataset.setting) return;
    const name = target.dataset.setting as NumberSettingName;
    const parsed = parseNumberInput(target.value, numberSpec(name));
    const error = this.querySelector<HTMLElement>(`[data-error-for="${name}"]`);
    if (parsed.ok) {
      target.removeAttribute('aria-invalid');
      if (error) error.textContent = '';
      if (parsed.value !== this.settings[name]) this.setSettings({ ...this.settings, [name]: parsed.value }, false);
      if (committed) this.announce(`${numberSpec(name).label} is now ${formatNumber(parsed.value, 6)}. ${this.currentSentence()}`);
    } else if (committed) {
      // The reader's text stays in the field; the network keeps the last valid value.
      target.setAttribute('aria-invalid', 'true');
      const message = `${parsed.message} The stepper keeps using ${formatNumber(this.settings[name], 6)}.`;
      if (error) error.textContent = message;
      this.announce(`${numberSpec(name).label}: ${message}`);
    }
  }

  /** Writes the current settings into the fields (after code, a URL or "restore" changed them). */
  private syncFields(): void {
    for (const field of this.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-setting]')) {
      const key = field.dataset.setting as keyof StepperSettings;
      field.value = String(this.settings[key]);
      field.removeAttribute('aria-invalid');
      const error = this.querySelector<HTMLElement>(`[data-error-for="${key}"]`);
      if (error) error.textContent = '';
    }
  }

  private writeUrl(): void {
    const search = writeUrlSettings(window.location.search, this.widgetId, stepperSettings, this.settings, this.base);
    if (search === window.location.search) return;
    const url = `${window.location.pathname}${search}${window.location.hash}`;
    window.history.replaceState(window.history.state, '', url);
  }

  private showNotice(text: string): void {
    const notice = this.querySelector<HTMLElement>('[data-notice]');
    if (!notice) return;
    notice.textContent = text;
    notice.hidden = false;
  }

  private announce(text: string): void {
    const live = this.querySelector<HTMLElement>('[data-live]');
    if (live) live.textContent = text;
  }

  // ------------------------------------------------------------------ drawing

  private whereText(): string {
    if (this.stepIndex === 0) return 'Step 0: nothing computed yet.';
    const step = this.steps[this.stepIndex - 1];
    return `${step.phase === 'forward' ? 'Forward' : 'Backward'} step ${step.number} of ${step.of}`;
  }

  /** The current step in words, recomputed for the current settings. */
  private currentSentence(): string {
    if (this.stepIndex === 0) return 'Nothing computed yet.';
    const text = this.steps[this.stepIndex - 1].text;
    return this.stepIndex >= this.steps.length ? `${text}. ${this.finishedSentence()}` : text;
  }

  private finishedSentence(): string {
    const comparison = this.comparison();
    const check = comparison
      ? comparison.agree
        ? 'TF.js autodiff agrees on all nine gradients.'
        : 'TF.js autodiff disagrees: see the table.'
      : 'TF.js autodiff is still computing its check.';
    return `Backward pass complete: the gradient of the loss for every weight and bias is in the table. ${check}`;
  }

  private render(): void {
    const completed = new Set<StepId>(this.steps.slice(0, this.stepIndex).map((s) => s.id));
    const current = this.stepIndex > 0 ? this.steps[this.stepIndex - 1] : undefined;
    this.renderDiagram(completed, current);
    this.renderPanel(current);
    this.renderControls();
    this.renderTable(completed);
  }

  private renderDiagram(completed: Set<StepId>, current: Step | undefined): void {
    const svg = this.querySelector('[data-diagram]');
    if (!svg) return;
    const s = this.settings;
    if (this.layoutOutput !== s.output) {
      this.applyLayout(svg);
      this.layoutOutput = s.output;
    }
    const v = forward(s);
    const { nodes: grads } = backward(s);
    const focus = new Set<DiagramPart>(current?.focus ?? []);
    const uses = new Set<DiagramPart>(current?.uses ?? []);
    const given: Partial<Record<NodeId, number>> = { x1: s.x1, x2: s.x2, y: s.y };
    const backwardStarted = this.stepIndex > this.forwardSteps();

    for (const node of NODES) {
      const group = svg.querySelector(`[data-part="${node.id}"]`);
      if (!group) continue;
      group.classList.toggle('is-focus', focus.has(node.id));
      group.classList.toggle('is-uses', uses.has(node.id) && !focus.has(node.id));
      const valueText = group.querySelector('[data-value]');
      const gradText = group.querySelector('[data-grad]');
      let value: string;
      if (node.id in given) value = formatNumber(given[node.id]!);
      else if (node.id === 'loss') value = completed.has('forward:loss') ? formatNumber(v.loss) : '·';
      else if (node.id === 'z3' && s.output === 'linear') value = '·';
      else value = completed.has(`forward:${node.id}` as StepId) ? formatNumber(v[node.id as keyof typeof v]) : '·';
      if (valueText) valueText.textContent = value;
      if (gradText) {
        let grad = '';
        if (node.id === 'loss') grad = backwardStarted ? '∂ 1' : '';
        else if (completed.has(`backward:${node.id}` as StepId)) grad = `∂ ${formatNumber(grads[node.id as keyof typeof grads])}`;
        gradText.textContent = grad;
      }
    }
    for (const edge of EDGES) {
      const group = svg.querySelector(`[data-part="${edge.id}"]`);
      if (!group) continue;
      group.classList.toggle('is-focus', focus.has(edge.id));
      group.classList.toggle('is-uses', uses.has(edge.id) && !focus.has(edge.id));
      const label = group.querySelector<SVGTextElement>('[data-weight]');
      const weight = label?.dataset.weight as keyof StepperSettings | undefined;
      if (label && weight) label.textContent = `${weight} = ${formatNumber(s[weight] as number)}`;
    }
    for (const bias of ['b1', 'b2', 'b3'] as const) {
      const text = svg.querySelector(`[data-part="${bias}"]`);
      if (!text) continue;
      text.classList.toggle('is-focus', focus.has(bias));
      text.classList.toggle('is-uses', uses.has(bias) && !focus.has(bias));
      text.textContent = `+ ${bias} = ${formatNumber(s[bias])}`;
    }
  }

  /** Moves the output-side nodes when the output unit switches between linear and sigmoid. */
  private applyLayout(svg: Element): void {
    const geometry = layout(this.settings.output);
    for (const node of NODES) {
      const group = svg.querySelector(`[data-part="${node.id}"]`);
      if (!group) continue;
      const p = geometry.nodes[node.id];
      group.setAttribute('transform', `translate(${p.x} ${p.y})`);
      if (node.id === 'z3') group.setAttribute('visibility', geometry.showZ3 ? 'visible' : 'hidden');
    }
    for (const edge of EDGES) {
      const group = svg.querySelector(`[data-part="${edge.id}"]`);
      const line = group?.querySelector('line');
      if (!group || !line) continue;
      const e = geometry.edges[edge.id];
      line.setAttribute('x1', String(e.from.x));
      line.setAttribute('y1', String(e.from.y));
      line.setAttribute('x2', String(e.to.x));
      line.setAttribute('y2', String(e.to.y));
      const label = group.querySelector('text');
      if (label && e.label) {
        label.setAttribute('x', String(e.label.x));
        label.setAttribute('y', String(e.label.y));
      }
      if (edge.id === 'e-out') group.setAttribute('visibility', geometry.showZ3 ? 'visible' : 'hidden');
    }
    for (const bias of ['b1', 'b2', 'b3'] as const) {
      const text = svg.querySelector(`[data-part="${bias}"]`);
      text?.setAttribute('x', String(geometry.biases[bias].x));
      text?.setAttribute('y', String(geometry.biases[bias].y));
    }
  }

  private renderPanel(current: Step | undefined): void {
    const set = (selector: string, text: string) => {
      const el = this.querySelector<HTMLElement>(selector);
      if (el) el.textContent = text;
    };
    const parts = this.querySelector<HTMLElement>('[data-parts]');
    set('[data-where]', this.running ? `${this.whereText()} (running)` : this.whereText());
    if (!current) {
      set('[data-formula]', 'Press Next to start the forward pass. Each step computes one node from the nodes before it.');
      set('[data-arithmetic]', '');
      if (parts) parts.hidden = true;
      return;
    }
    set('[data-formula]', current.formula);
    set('[data-arithmetic]', `= ${current.arithmetic}`);
    if (parts) {
      if (current.upstream && current.local) {
        const source = this.steps.find((s) => s.id === current.upstream!.stepId);
        set('[data-upstream]', `${current.upstream.quantity} = ${formatNumber(current.upstream.value)}, from backward step ${source?.number ?? '?'}`);
        // "∂z1/∂w1 = x1 = 1", but "∂z1/∂b1 = 1" rather than "= 1 = 1".
        const { quantity, expression, value } = current.local;
        const valueText = formatNumber(value);
        set('[data-local]', expression === valueText ? `${quantity} = ${valueText}` : `${quantity} = ${expression} = ${valueText}`);
        parts.hidden = false;
      } else {
        parts.hidden = true;
      }
    }
  }

  private renderControls(): void {
    const atStart = this.stepIndex === 0;
    const atEnd = this.stepIndex >= this.steps.length;
    const disable = (action: string, disabled: boolean) =>
      this.querySelector(`[data-action="${action}"]`)?.setAttribute('aria-disabled', String(disabled));
    disable('previous', atStart);
    disable('next', atEnd);
    disable('play', atEnd && !this.running);
    disable('reset', atStart);
    const play = this.querySelector('[data-action="play"]');
    if (play) play.textContent = this.running ? 'Pause' : 'Run all';
    const next = this.querySelector('[data-action="next"]');
    if (next) {
      const upcoming = this.steps[this.stepIndex];
      next.textContent = upcoming && upcoming.phase === 'backward' && upcoming.number === 1 ? 'Next: start backward pass' : 'Next';
    }
  }

  private renderTable(completed: Set<StepId>): void {
    const hand = backward(this.settings).params;
    const comparison = this.comparison();
    for (const name of PARAM_NAMES) {
      const row = this.querySelector(`[data-row="${name}"]`);
      if (!row) continue;
      const handCell = row.querySelector<HTMLElement>('[data-hand]');
      const autodiffCell = row.querySelector<HTMLElement>('[data-autodiff]');
      const matchCell = row.querySelector<HTMLElement>('[data-match]');
      if (!handCell || !autodiffCell || !matchCell) continue;
      if (!completed.has(`backward:${name}`)) {
        handCell.textContent = 'not computed yet';
        autodiffCell.textContent = 'not computed yet';
        matchCell.textContent = '–';
        for (const cell of [handCell, autodiffCell, matchCell]) cell.dataset.state = 'pending';
        continue;
      }
      // Eight significant digits: enough to see float32 rounding in TF.js's last digit.
      handCell.textContent = formatNumber(hand[name], 8);
      handCell.dataset.state = 'value';
      if (comparison) {
        const tfValue = comparison.gradients[name];
        autodiffCell.textContent = formatNumber(tfValue, 8);
        autodiffCell.dataset.state = 'value';
        const difference = Math.abs(hand[name] - tfValue);
        const agree = gradientAgrees(hand[name], tfValue);
        matchCell.textContent = agree
          ? `✓ agree${difference > 0 ? ` (difference ${formatNumber(difference, 2)})` : ' (identical)'}`
          : `✗ differ by ${formatNumber(difference, 3)}`;
        matchCell.dataset.state = agree ? 'agree' : 'differ';
      } else {
        autodiffCell.textContent = this.autodiff.state === 'error' ? 'unavailable' : 'computing…';
        autodiffCell.dataset.state = 'pending';
        matchCell.textContent = '–';
        matchCell.dataset.state = 'pending';
      }
    }
    const status = this.querySelector<HTMLElement>('[data-autodiff-status]');
    if (status) {
      if (this.autodiff.state === 'error') {
        status.textContent = `TF.js autodiff could not run in this browser (${this.autodiff.message}); the hand-derived gradients are still shown.`;
      } else if (comparison && completed.size === this.steps.length) {
        status.textContent = comparison.agree
          ? `All nine gradients agree. The largest relative difference, ${formatNumber(comparison.maxRelativeDifference, 2)}, is float32 rounding: TF.js computes with about 7 significant digits.`
          : 'Some gradients differ: the hand-derived chain rule and TF.js disagree for these numbers.';
      } else {
        status.textContent =
          'Rows fill in as the backward pass reaches each parameter; the TF.js column is tf.grads, run in a worker.';
      }
    }
  }
}

if (!customElements.get(KIND)) customElements.define(KIND, ChainRuleStepperElement);

export type { ChainRuleStepperElement };
