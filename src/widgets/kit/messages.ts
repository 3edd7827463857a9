/**
 * The messages a widget shows above its result (data-part="messages", a polite live region): link
 * notices, backend warnings, errors, divergences, a question with buttons ("Train anyway"). Each
 * message has a key, so the code that raised it can replace or remove it.
 */

export type MessageKind = 'notice' | 'warning' | 'error' | 'diverged';

/** A button offered with a message (e.g. "Train anyway" under a long-run warning). */
export interface MessageAction {
  label: string;
  run: () => void;
}

interface Message {
  kind: MessageKind;
  text: string;
  actions?: MessageAction[];
}

export class WidgetMessages {
  private readonly messages = new Map<string, Message>();

  /** @param container where the messages are drawn (data-part="messages"); null: kept, not shown */
  constructor(private readonly container: HTMLElement | null) {}

  set(key: string, kind: MessageKind, text: string, actions?: MessageAction[]): void {
    this.messages.set(key, actions ? { kind, text, actions } : { kind, text });
    this.render();
  }

  delete(key: string): void {
    if (this.messages.delete(key)) this.render();
  }

  /** Removes every message whose key passes the test (e.g. all messages about the previous run). */
  deleteWhere(test: (key: string) => boolean): void {
    let removed = false;
    for (const key of [...this.messages.keys()]) if (test(key)) removed = this.messages.delete(key) || removed;
    if (removed) this.render();
  }

  /** The text of a message, if it is shown. */
  text(key: string): string | undefined {
    return this.messages.get(key)?.text;
  }

  /** Focuses the first button of the messages (a question the reader must answer). */
  focusAction(): void {
    this.container?.querySelector<HTMLButtonElement>('[data-message-action]')?.focus();
  }

  private render(): void {
    if (!this.container) return;
    this.container.replaceChildren(
      ...[...this.messages.values()].map(({ kind, text, actions }) => {
        const paragraph = document.createElement('p');
        paragraph.className = `widget-message widget-message-${kind}`;
        paragraph.textContent = text;
        for (const action of actions ?? []) {
          const button = document.createElement('button');
          button.type = 'button';
          button.className = 'widget-button widget-message-action';
          button.dataset.messageAction = '';
          button.textContent = action.label;
          button.addEventListener('click', action.run);
          paragraph.append(' ', button);
        }
        return paragraph;
      }),
    );
  }
}
