/**
 * <course-exercise>: brings a server-rendered exercise (Frame.astro and the type components) to
 * life. Checking is done by the pure functions in checking.ts; progress goes to the shared store.
 */
import {
  checkChoices,
  checkMatching,
  checkNumericAnswer,
  checkOrdering,
  parseNumericAnswer,
  predictionMatches,
  type FeedbackWhen,
} from './checking';
import { formatDay, progress } from './progress-instance';
import { findChallenge, findMeasure, findWidget, type WidgetElement } from './widget-checks';
import type { SettingsValues, WidgetState } from '~/engine/types';

type Tone = 'correct' | 'wrong' | 'invalid' | 'info';

const TONE_LEADS: Record<Tone, string> = {
  correct: 'Correct.',
  wrong: 'Not quite.',
  invalid: '',
  info: '',
};

/**
 * "Try again" takes Check's place (and focus) after an answer is checked. For this long it does
 * not respond, so the second click of a double-click or a second Enter cannot wipe the feedback
 * the first one produced (longer than the usual double-click interval of 500 ms).
 */
const RETRY_GUARD_MS = 700;

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

class CourseExercise extends HTMLElement {
  private exerciseId = '';
  private type = '';
  private form!: HTMLFormElement;
  private feedback!: HTMLElement;
  private checkButton: HTMLButtonElement | null = null;
  private retryButton: HTMLButtonElement | null = null;
  private retryGuard: ReturnType<typeof setTimeout> | undefined;
  /** An answer was checked and the reader has not chosen "Try again": further submits are the same answer. */
  private locked = false;
  private solvedThisVisit = false;
  private unsubscribe?: () => void;
  private started = false;

  connectedCallback(): void {
    if (this.started) return;
    this.started = true;
    this.exerciseId = this.dataset.exerciseId ?? '';
    this.type = this.dataset.exerciseType ?? '';
    this.form = this.querySelector('[data-ex-form]') as HTMLFormElement;
    this.feedback = this.querySelector('[data-ex-feedback]') as HTMLElement;
    this.checkButton = this.querySelector('[data-ex-check]');
    this.retryButton = this.querySelector('[data-ex-retry]');

    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      // Quick repeated clicks can reach Check after it was hidden (before the next layout).
      if (!this.locked) void this.check();
    });
    this.retryButton?.addEventListener('click', () => {
      if (this.retryButton?.getAttribute('aria-disabled') !== 'true') this.retry();
    });
    this.querySelector('[data-ex-hint-button]')?.addEventListener('click', () => this.revealHint());
    this.querySelector('[data-ex-solution-button]')?.addEventListener('click', () => this.revealSolution());
    this.querySelector('[data-ex-input]')?.addEventListener('input', (event) => (event.target as HTMLElement).removeAttribute('aria-invalid'));
    for (const button of this.querySelectorAll<HTMLButtonElement>('[data-ex-check], [data-ex-hint-button], [data-ex-solution-button]')) {
      button.disabled = false;
    }
    if (this.type === 'ordering') this.setUpOrdering();
    if (this.type === 'widget-challenge') void this.watchChallenge();

    this.showProgress();
    this.unsubscribe = progress.subscribe(() => this.showProgress());
  }

  disconnectedCallback(): void {
    this.unsubscribe?.();
    this.started = false;
  }

  // -------------------------------------------------------------------------------------------
  // Shared behaviour
  // -------------------------------------------------------------------------------------------

  private showProgress(): void {
    const line = this.querySelector<HTMLElement>('[data-ex-progress]');
    if (!line) return;
    const entry = progress.exercise(this.exerciseId);
    if (!entry) {
      line.hidden = true;
      line.textContent = '';
      return;
    }
    const parts = [entry.solved ? `Solved${entry.solvedAt ? ` on ${formatDay(entry.solvedAt)}` : ''}` : 'Not solved yet'];
    parts.push(plural(entry.attempts, 'attempt', 'attempts'));
    if (entry.revealed) parts.push('solution revealed');
    line.textContent = `Your progress: ${parts.join(' · ')}.`;
    line.hidden = false;
  }

  /** Writes the feedback into the live region; `extra` nodes (cloned explanations) follow the message. */
  private say(tone: Tone, message: string, extra: Node[] = []): void {
    this.feedback.replaceChildren();
    this.feedback.dataset.tone = tone;
    const paragraph = document.createElement('p');
    const lead = TONE_LEADS[tone];
    if (lead) {
      const strong = document.createElement('strong');
      strong.textContent = lead;
      paragraph.append(strong, ' ');
    }
    paragraph.append(message);
    this.feedback.append(paragraph, ...extra);
  }

  private clearFeedback(): void {
    this.feedback.replaceChildren();
    delete this.feedback.dataset.tone;
  }

  private cloneTemplate(template: HTMLTemplateElement | null, lead?: Node[]): Node[] {
    if (!template) return [];
    const box = document.createElement('div');
    box.className = 'exercise-why';
    if (lead) box.append(...lead);
    box.append(template.content.cloneNode(true));
    return [box];
  }

  private controls(): (HTMLInputElement | HTMLSelectElement | HTMLButtonElement)[] {
    return [...this.form.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>('input, select, button[data-move]')];
  }

  /** After a checked attempt: freeze the answer and offer "Try again". */
  private lock(): void {
    this.locked = true;
    for (const control of this.controls()) control.disabled = true;
    if (this.checkButton) this.checkButton.hidden = true;
    const retry = this.retryButton;
    if (retry) {
      retry.hidden = false;
      // aria-disabled rather than disabled: a disabled button cannot hold focus.
      retry.setAttribute('aria-disabled', 'true');
      retry.focus();
      clearTimeout(this.retryGuard);
      this.retryGuard = setTimeout(() => retry.removeAttribute('aria-disabled'), RETRY_GUARD_MS);
    }
  }

  private retry(): void {
    this.locked = false;
    for (const control of this.controls()) control.disabled = false;
    if (this.type === 'ordering') this.updateMoveButtons();
    for (const choice of this.querySelectorAll('.exercise-choice, .exercise-match-row')) choice.classList.remove('is-right', 'is-wrong');
    this.clearFeedback();
    const explanation = this.querySelector<HTMLElement>('[data-ex-explanation]');
    if (explanation && !this.querySelector<HTMLElement>('[data-ex-solution]:not([hidden])')) explanation.hidden = true;
    if (this.retryButton) this.retryButton.hidden = true;
    if (this.checkButton) this.checkButton.hidden = false;
    this.controls()[0]?.focus();
  }

  private record(correct: boolean): void {
    if (correct) this.solvedThisVisit = true;
    progress.recordAttempt(this.exerciseId, correct);
    const note = this.querySelector<HTMLElement>('[data-ex-solution-note]');
    if (note && correct) note.hidden = true;
  }

  private showExplanation(): void {
    const explanation = this.querySelector<HTMLElement>('[data-ex-explanation]');
    if (explanation) explanation.hidden = false;
  }

  private revealHint(): void {
    const hints = [...this.querySelectorAll<HTMLElement>('[data-ex-hint]')];
    const next = hints.find((hint) => hint.hidden);
    if (!next) return;
    (this.querySelector('[data-ex-hints]') as HTMLElement).hidden = false;
    next.hidden = false;
    next.tabIndex = -1;
    const shown = hints.indexOf(next) + 1;
    const button = this.querySelector<HTMLButtonElement>('[data-ex-hint-button]');
    if (button) {
      if (shown === hints.length) button.hidden = true;
      else button.textContent = `Show another hint (${shown + 1} of ${hints.length})`;
    }
    next.focus();
  }

  private revealSolution(): void {
    const solution = this.querySelector<HTMLElement>('[data-ex-solution]');
    if (!solution) return;
    solution.hidden = false;
    this.showExplanation();
    const solvedBefore = this.solvedThisVisit || progress.exercise(this.exerciseId)?.solved === true;
    if (!solvedBefore) progress.recordRevealed(this.exerciseId);
    const button = this.querySelector<HTMLButtonElement>('[data-ex-solution-button]');
    if (button) button.hidden = true;
    const note = this.querySelector<HTMLElement>('[data-ex-solution-note]');
    if (note) note.hidden = true;
    solution.focus();
  }

  private async check(): Promise<void> {
    switch (this.type) {
      case 'multiple-choice':
        return this.checkMultipleChoice();
      case 'numeric':
        return this.checkNumeric();
      case 'ordering':
        return this.checkOrder();
      case 'matching':
        return this.checkMatches();
      case 'predict-then-run':
        return this.predictAndRun();
    }
  }

  // -------------------------------------------------------------------------------------------
  // Multiple choice
  // -------------------------------------------------------------------------------------------

  private choiceRows(): HTMLElement[] {
    return [...this.querySelectorAll<HTMLElement>('[data-ex-choice]')];
  }

  private labelOf(row: HTMLElement): Node[] {
    const label = row.querySelector('label');
    return label ? [...label.cloneNode(true).childNodes] : [];
  }

  /** The explanation of a chosen option, introduced by its label. */
  private whyOf(row: HTMLElement): Node[] {
    const lead = document.createElement('span');
    lead.className = 'exercise-why-lead';
    lead.append('You chose “', ...this.labelOf(row), '”: ');
    return this.cloneTemplate(row.querySelector('template[data-ex-why]'), [lead]);
  }

  private checkMultipleChoice(): void {
    const rows = this.choiceRows();
    const selected = rows.flatMap((row, index) => (row.querySelector('input')?.checked ? [index] : []));
    const correct = rows.flatMap((row, index) => (row.dataset.correct === 'true' ? [index] : []));
    const multiple = this.dataset.multiple === 'true';
    const result = checkChoices(selected, correct, multiple);
    if (result.kind === 'invalid') {
      this.say('invalid', result.message);
      return;
    }
    for (const index of selected) rows[index].classList.add(result.wrongPicks.includes(index) ? 'is-wrong' : 'is-right');
    if (result.kind === 'correct') {
      this.say('correct', multiple ? 'You chose exactly the right options.' : 'That is the right answer.', selected.flatMap((index) => this.whyOf(rows[index])));
      this.showExplanation();
    } else {
      const parts: string[] = [];
      if (result.wrongPicks.length > 0) parts.push(`${plural(result.wrongPicks.length, 'choice is', 'choices are')} not right`);
      if (result.missed > 0) parts.push(`${plural(result.missed, 'right option is', 'right options are')} not chosen`);
      this.say('wrong', `${parts.join(', and ')}. Read why below, then try again.`, result.wrongPicks.flatMap((index) => this.whyOf(rows[index])));
    }
    this.record(result.kind === 'correct');
    this.lock();
  }

  // -------------------------------------------------------------------------------------------
  // Numeric answer
  // -------------------------------------------------------------------------------------------

  private numericOptions() {
    const tolerance = this.dataset.tolerance === undefined ? undefined : Number(this.dataset.tolerance);
    return {
      tolerance,
      relative: this.dataset.relative === 'true',
      allowPercent: this.dataset.allowPercent === 'true',
      unit: this.dataset.unit,
    };
  }

  private invalidInput(input: HTMLInputElement, message: string): void {
    input.setAttribute('aria-invalid', 'true');
    this.say('invalid', message);
    input.focus();
  }

  private checkNumeric(): void {
    const input = this.querySelector<HTMLInputElement>('[data-ex-input]') as HTMLInputElement;
    const templates = [...this.querySelectorAll<HTMLTemplateElement>('template[data-ex-when]')];
    const whens = templates.map((template) => JSON.parse(template.dataset.exWhen ?? 'null') as FeedbackWhen);
    const result = checkNumericAnswer(input.value, { answer: Number(this.dataset.answer), whens, ...this.numericOptions() });
    if (result.kind === 'invalid') {
      this.invalidInput(input, result.message);
      return;
    }
    if (result.kind === 'correct') {
      this.say('correct', `${input.value.trim()} is right.`);
      this.showExplanation();
    } else {
      const targeted = result.feedbackIndex >= 0 ? this.cloneTemplate(templates[result.feedbackIndex]) : [];
      this.say('wrong', `${input.value.trim()} is not the answer.${targeted.length ? '' : ' Check each factor, or take a hint.'}`, targeted);
    }
    this.record(result.kind === 'correct');
    this.lock();
  }

  // -------------------------------------------------------------------------------------------
  // Ordering
  // -------------------------------------------------------------------------------------------

  private orderList(): HTMLOListElement {
    return this.querySelector('[data-ex-order]') as HTMLOListElement;
  }

  private setUpOrdering(): void {
    this.orderList().addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-move]');
      if (!button || button.disabled) return;
      this.move(button.closest('li') as HTMLLIElement, button.dataset.move === 'up' ? -1 : 1, button.dataset.move as 'up' | 'down');
    });
    this.updateMoveButtons();
  }

  private move(item: HTMLLIElement, by: -1 | 1, direction: 'up' | 'down'): void {
    const list = this.orderList();
    if (by < 0 && item.previousElementSibling) list.insertBefore(item, item.previousElementSibling);
    else if (by > 0 && item.nextElementSibling) list.insertBefore(item.nextElementSibling, item);
    else return;
    this.updateMoveButtons();
    const items = [...list.children];
    const position = items.indexOf(item) + 1;
    // Keep focus on the item just moved, on a button that can still be pressed.
    const same = item.querySelector<HTMLButtonElement>(`button[data-move="${direction}"]`);
    const other = item.querySelector<HTMLButtonElement>(`button[data-move="${direction === 'up' ? 'down' : 'up'}"]`);
    (same && !same.disabled ? same : other)?.focus();
    const announce = this.querySelector('[data-ex-announce]');
    if (announce) announce.textContent = `Moved ${direction}: now ${position} of ${items.length}.`;
    this.clearFeedback();
  }

  private updateMoveButtons(): void {
    const items = [...this.orderList().children];
    items.forEach((item, index) => {
      const up = item.querySelector<HTMLButtonElement>('button[data-move="up"]');
      const down = item.querySelector<HTMLButtonElement>('button[data-move="down"]');
      if (up) up.disabled = index === 0;
      if (down) down.disabled = index === items.length - 1;
    });
  }

  private checkOrder(): void {
    const ranks = [...this.orderList().children].map((item) => Number((item as HTMLElement).dataset.rank));
    const result = checkOrdering(ranks);
    if (result.kind === 'correct') {
      this.say('correct', 'Every step is in its place.');
      this.showExplanation();
    } else {
      this.say('wrong', `${result.inPlace} of ${result.total} are in the right place. Think about what each step needs from the ones before it.`);
    }
    this.record(result.kind === 'correct');
    this.lock();
  }

  // -------------------------------------------------------------------------------------------
  // Matching
  // -------------------------------------------------------------------------------------------

  private checkMatches(): void {
    const selects = [...this.querySelectorAll<HTMLSelectElement>('select[data-ex-left]')];
    const chosen = selects.map((select) => (select.value === '' ? null : Number(select.value)));
    const result = checkMatching(chosen);
    if (result.kind === 'invalid') {
      this.say('invalid', result.message);
      selects.find((select) => select.value === '')?.focus();
      return;
    }
    selects.forEach((select, index) => {
      select.closest('.exercise-match-row')?.classList.add(result.wrongLefts.includes(index) ? 'is-wrong' : 'is-right');
    });
    if (result.kind === 'correct') {
      this.say('correct', 'Every match is right.');
      this.showExplanation();
    } else {
      const names = result.wrongLefts.map((index) => this.querySelector(`label[for="${selects[index].id}"]`)?.textContent?.trim() ?? '');
      this.say('wrong', `${result.right} of ${result.total} matches are right. Look again at: ${names.join(', ')}.`);
    }
    this.record(result.kind === 'correct');
    this.lock();
  }

  // -------------------------------------------------------------------------------------------
  // Predict, then run
  // -------------------------------------------------------------------------------------------

  private readPrediction(): { value: number | string; label: Node[]; row?: HTMLElement } | undefined {
    if (this.dataset.numeric === 'true') {
      const input = this.querySelector<HTMLInputElement>('[data-ex-input]') as HTMLInputElement;
      const parsed = parseNumericAnswer(input.value, this.numericOptions());
      if (!parsed.ok) {
        this.invalidInput(input, parsed.message);
        return undefined;
      }
      return { value: parsed.value, label: [document.createTextNode(input.value.trim())] };
    }
    const row = this.choiceRows().find((candidate) => candidate.querySelector('input')?.checked);
    if (!row) {
      this.say('invalid', 'Choose your prediction first, then commit.');
      return undefined;
    }
    return { value: row.dataset.value ?? '', label: this.labelOf(row), row };
  }

  private async predictAndRun(): Promise<void> {
    const prediction = this.readPrediction();
    if (!prediction) return;
    const measure = findMeasure(this.dataset.measure ?? '');
    const widget = await findWidget(this.dataset.widget ?? '');
    if (!measure || !widget) {
      this.say('invalid', `This exercise cannot run: ${widget ? `no measure “${this.dataset.measure}” is defined` : `the widget “${this.dataset.widget}” is not on this page`}.`);
      return;
    }
    for (const control of this.controls()) control.disabled = true;
    if (this.checkButton) this.checkButton.disabled = true;
    this.say('info', 'Prediction committed. Running the widget…');
    const state = await this.runWidget(widget);
    if (this.checkButton) this.checkButton.disabled = false;
    const outcome = state && state.status === 'finished' ? measure(state) : undefined;
    if (state?.status === 'error') {
      // Nothing ran, so nothing is counted: the reader may try again, or compare with the explanation.
      for (const control of this.controls()) control.disabled = false;
      const advice = 'Press “Commit prediction and run” to try again, or compare your prediction with the explanation below.';
      this.say('invalid', ['The widget could not run, so your prediction was not checked.', state.error, advice].filter(Boolean).join(' '));
      this.showExplanation();
      return;
    }
    if (!state || !outcome) {
      for (const control of this.controls()) control.disabled = false;
      this.say('invalid', `The widget did not finish its run${state ? ` (its status is “${state.status}”)` : ''}, so there is nothing to compare yet. Try again.`);
      return;
    }
    const tolerance = this.numericOptions();
    const defaultTolerance = tolerance.tolerance ?? (tolerance.relative ? 0.05 : 1e-9);
    const right = predictionMatches(prediction.value, outcome.value, { tolerance: defaultTolerance, relative: tolerance.relative });
    const summary = document.createElement('p');
    summary.append('You predicted “', ...prediction.label, `”. The widget measured: ${outcome.text}.`);
    const why = prediction.row ? this.cloneTemplate(prediction.row.querySelector('template[data-ex-why]')) : [];
    prediction.row?.classList.add(right ? 'is-right' : 'is-wrong');
    this.say(right ? 'correct' : 'wrong', right ? 'Your prediction matches the run.' : 'The run came out differently from your prediction.', [summary, ...why]);
    this.showExplanation();
    this.record(right);
    this.lock();
  }

  /** Runs the widget from the start and resolves with its state when the run ends (or undefined on failure). */
  private runWidget(widget: WidgetElement): Promise<WidgetState | undefined> {
    return new Promise((resolve) => {
      const settings = this.dataset.settings ? (JSON.parse(this.dataset.settings) as SettingsValues) : undefined;
      let done = false;
      const finish = (state: WidgetState | undefined) => {
        if (done) return;
        done = true;
        widget.removeEventListener('widget:update', onUpdate);
        resolve(state);
      };
      const onUpdate = (event: Event) => {
        const state = (event as CustomEvent<WidgetState>).detail ?? widget.getState();
        if (state.status === 'finished') finish(state);
        else if (state.status === 'diverged' || state.status === 'error') finish(state);
        else if (state.status === 'paused') this.say('info', 'The run is paused. Press play on the widget to let it finish.');
      };
      try {
        if (settings) widget.applySettings(settings);
        if (widget.getState().status !== 'idle') widget.reset();
        widget.addEventListener('widget:update', onUpdate);
        widget.play();
        // play() may finish at once (e.g. with reduced motion) before any event reached us.
        const now = widget.getState();
        if (now.status === 'finished' || now.status === 'diverged' || now.status === 'error') finish(now);
      } catch {
        finish(undefined);
      }
    });
  }

  // -------------------------------------------------------------------------------------------
  // Widget challenge
  // -------------------------------------------------------------------------------------------

  private async watchChallenge(): Promise<void> {
    const status = this.querySelector<HTMLElement>('[data-ex-goal-status]') as HTMLElement;
    const check = findChallenge(this.dataset.check ?? '');
    const widget = await findWidget(this.dataset.widget ?? '');
    if (!check || !widget) {
      status.textContent = widget ? `No check “${this.dataset.check}” is defined.` : `The widget “${this.dataset.widget}” is not on this page.`;
      return;
    }
    let lastMessage = '';
    let lastStatus = widget.getState().status;
    const show = (message: string) => {
      if (message !== lastMessage) status.textContent = lastMessage = message;
    };
    // The starting state only sets the status line: solving needs the reader to work the widget.
    show(check(widget.getState()).message);
    widget.addEventListener('widget:update', (event) => {
      const state = (event as CustomEvent<WidgetState>).detail ?? widget.getState();
      const result = check(state);
      show(result.message);
      const runEnded = state.status === 'finished' && lastStatus !== 'finished';
      lastStatus = state.status;
      if (result.met && !this.solvedThisVisit) {
        this.say('correct', `Goal reached: ${result.message}`);
        this.showExplanation();
        this.record(true);
      } else if (!result.met && runEnded) {
        // A finished run that misses the goal is an attempt (it makes the solution "after an attempt").
        this.record(false);
      }
    });
  }
}

if (!customElements.get('course-exercise')) customElements.define('course-exercise', CourseExercise);
