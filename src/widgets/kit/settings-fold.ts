/**
 * The "All settings (n)" disclosure of a widget whose chapter focuses on a few settings
 * (WidgetShell.astro's `focus`). It remembers per widget whether the reader left it open, and
 * opens itself when a folded setting is changed from outside the controls (a link's URL
 * parameters, an exercise applying its settings) or has a problem to show, so a change never
 * happens out of sight.
 */

/** localStorage key prefix of the remembered open/closed state. */
const STORAGE_PREFIX = 'widget-all-settings:';

export class SettingsFold {
  private readonly folded: ReadonlySet<string>;
  /** The next toggle event comes from reveal(), not from the reader: it is not remembered. */
  private revealing = false;

  /**
   * @param details the disclosure (data-part="all-settings"), or null when nothing is folded
   * @param widgetKey where this widget's state is remembered, e.g. "/lessons/vanishing-gradients/#vg-exploding"
   */
  constructor(
    private readonly details: HTMLDetailsElement | null,
    private readonly widgetKey: string,
  ) {
    this.folded = new Set(details ? (JSON.parse(details.dataset.folded ?? '[]') as string[]) : []);
    if (!details) return;
    if (readStored(this.widgetKey) === 'open') details.open = true;
    details.addEventListener('toggle', () => {
      if (this.revealing) this.revealing = false;
      else writeStored(this.widgetKey, details.open ? 'open' : 'closed');
    });
  }

  /** Opens the disclosure if any of these settings is folded inside it. */
  reveal(keys: Iterable<string>): void {
    if (!this.details || this.details.open) return;
    for (const key of keys) {
      if (this.folded.has(key)) {
        this.revealing = true;
        this.details.open = true;
        return;
      }
    }
  }
}

function readStored(widgetKey: string): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_PREFIX + widgetKey) ?? null;
  } catch {
    return null; // storage blocked: the disclosure starts closed
  }
}

function writeStored(widgetKey: string, state: 'open' | 'closed'): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_PREFIX + widgetKey, state);
  } catch {
    // storage blocked or full: the state lasts for this visit only
  }
}
