/**
 * <chain-rule-stepper>: brings the server-rendered stepper to life. It owns the step position,
 * recomputes the steps (math.ts) when a setting changes, lights up the diagram, writes the step
 * panel, and asks its own module worker for TF.js's gradients. TF.js is only ever loaded by that
 * worker, never by this file. Settings (fields, URL state, the fold), messages, the status and
 * live lines and play/pause are the kit's parts (src/widgets/kit/README.md, "Any widget").
 */
import type { SettingSpec, SettingsValues, SettingValue, WidgetState, WidgetStatus } from '~/engine/types';
import { WidgetMessages } from '~/widgets/kit/messages';
import { SettingsController } from '~/widgets/kit/settings-controller';
import { validateSetting, type SettingProblem, type Validation } from '~/widgets/kit/setting-values';
import { StatusLine } from '~/widgets/kit/status-line';
import { StepPlayer } from '~/widgets/kit/step-player';
import { dispatchWidgetUpdate, type WidgetElement } from '~/widgets/kit/widget-element';
import { EDGES, NODES, layout, type NodeId } from './diagram';
import { backward, buildSteps, forward, formatNumber, gradientAgrees, gradientsAgree, type DiagramPart, type Step } from './math';
import { defaultSettings, mergeSettings, parseNumberInput, stepperSettings } from './settings';
import type { AutodiffRequest, AutodiffResponse } from './autodiff.worker';
import type { AutodiffComparison, ParamGradients, StepId, StepperSettings, StepperSnapshot } from './types';
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

/**
 * How the stepper reads a field: numbers as a reader types them ("−0.5", "0,5"), with a message
 * that says which value stays in use; choices with the one validator.
 */
function readField(spec: SettingSpec, raw: string | boolean, current: SettingValue | undefined): Validation {
  if (spec.kind !== 'number') return validateSetting(spec, raw);
  const parsed = parseNumberInput(String(raw), spec);
  if (parsed.ok) return parsed;
  return { ok: false, message: `${parsed.message} The stepper keeps using ${formatNumber(Number(current), 6)}.` };
}

class ChainRuleStepperElement extends HTMLElement implements WidgetElement {
  /** The controller's values, typed for the math. */
  private settings: StepperSettings = defaultSettings();
  private controller: SettingsController | undefined;
  private lines: StatusLine | undefined;
  private steps: Step[] = [];
  private stepIndex = 0;
  private readonly player = new StepPlayer({
    interval: PLAY_INTERVAL_MS,
    step: () => {
      this.goTo(this.stepIndex + 1, false);
      return this.stepIndex < this.steps.length;
    },
    onEnd: () => {
      this.render();
      this.announce(this.finishedSentence());
      this.emit();
    },
  });
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

  connectedCallback(): void {
    if (this.connected) return;
    this.connected = true;
    const preset = JSON.parse(this.dataset.preset ?? '{}') as SettingsValues;
    this.lines = new StatusLine(this.querySelector<HTMLElement>('[data-where]'), this.querySelector<HTMLElement>('[data-live]'));
    // Numbers apply as they are typed; a field's text that is not a number stays, with its message.
    this.controller = new SettingsController({
      root: this,
      widgetId: this.widgetId,
      specs: stepperSettings,
      // Defaults plus the chapter's preset: what "Restore starting values" returns to, and the URL's baseline.
      base: { ...mergeSettings(defaultSettings(), preset).settings },
      messages: new WidgetMessages(this.querySelector<HTMLElement>('[data-part="messages"]')),
      live: true,
      read: readField,
      onChange: () => this.settingsChanged(),
      onCommit: (spec, problem) => this.sayEdit(spec, problem),
    });
    this.settings = mergeSettings(defaultSettings(), this.controller.values).settings;
    this.steps = buildSteps(this.settings);

    this.querySelector('[data-controls]')?.addEventListener('click', (event) => this.onControlClick(event));
    this.querySelector('[data-controls]')?.addEventListener('keydown', (event) => this.onControlKey(event as KeyboardEvent));
    this.querySelector('[data-action="restore"]')?.addEventListener('click', () => this.restoreStartingValues());
    this.querySelector<HTMLFormElement>('[data-settings]')?.addEventListener('submit', (event) => event.preventDefault());
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
    if (this.player.running || this.stepIndex >= this.steps.length) return;
    if (StepPlayer.reducedMotion()) {
      this.goTo(this.steps.length, true);
      return;
    }
    this.player.start();
    this.render();
    this.emit();
  }

  pause(): void {
    if (!this.player.stop()) return;
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

  applySettings(partial: Readonly<Record<string, unknown>>): SettingProblem[] {
    const before = this.controller?.values;
    const problems = this.controller?.apply(partial) ?? [];
    // Listeners hear back even when nothing changed (a change reports itself).
    if (this.controller?.values === before) this.emit();
    return problems;
  }

  // ------------------------------------------------------------------ state

  private status(): WidgetStatus {
    if (this.player.running) return 'running';
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

  /** The controller's values changed (a field, a link, an exercise, "Restore starting values"). */
  private settingsChanged(): void {
    if (!this.controller) return;
    this.settings = mergeSettings(defaultSettings(), this.controller.values).settings;
    this.steps = buildSteps(this.settings);
    this.stepIndex = Math.min(this.stepIndex, this.steps.length);
    this.render();
    this.requestAutodiff();
    this.emit();
  }

  private restoreStartingValues(): void {
    this.controller?.restore();
    this.announce('Starting values restored.');
  }

  private emit(): void {
    dispatchWidgetUpdate(this, this.getState());
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
    if (!hadAnswer && !this.player.running && this.stepIndex >= this.steps.length) this.announce(this.finishedSentence());
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
        if (this.player.running) this.pause();
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

  /** Says a committed edit aloud: the new value and the current step, or what was wrong with it. */
  private sayEdit(spec: SettingSpec, problem: string | undefined): void {
    if (problem) {
      this.announce(`${spec.label}: ${problem}`);
      return;
    }
    const value = this.controller?.values[spec.key];
    const said = spec.kind === 'choice' ? `${spec.label}: ${spec.options.find((option) => option.value === value)?.label ?? String(value)}` : `${spec.label} is now ${formatNumber(Number(value), 6)}`;
    this.announce(`${said}. ${this.currentSentence()}`);
  }

  private announce(text: string): void {
    this.lines?.announce(text);
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
    this.lines?.show(this.player.running ? `${this.whereText()} (running)` : this.whereText());
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
    disable('play', atEnd && !this.player.running);
    disable('reset', atStart);
    const play = this.querySelector('[data-action="play"]');
    if (play) play.textContent = this.player.running ? 'Pause' : 'Run all';
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
