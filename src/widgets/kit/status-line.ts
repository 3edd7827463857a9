/**
 * A widget's text alternative in two parts: a visible one-line status (data-part="status"; not a
 * live region, so it can change every frame) and a polite live summary (data-part="live",
 * role="status") that a screen reader hears on status changes, and at most every few seconds
 * while something runs, so it is not flooded.
 */

/** While running, the polite live summary is refreshed at most this often (ms). */
export const LIVE_SUMMARY_INTERVAL = 5000;

export class StatusLine {
  private lastAnnounced = 0;

  constructor(
    private readonly line: HTMLElement | null,
    private readonly live: HTMLElement | null,
  ) {}

  /** Writes the visible line. */
  show(text: string): void {
    if (this.line && this.line.textContent !== text) this.line.textContent = text;
  }

  /**
   * Writes the live summary. `force`: now (a status change, a step the reader took); otherwise only
   * if the last one is LIVE_SUMMARY_INTERVAL old. Returns whether it was written.
   */
  announce(text: string | (() => string), force = true): boolean {
    if (!this.live) return false;
    const now = performance.now();
    if (!force && now - this.lastAnnounced < LIVE_SUMMARY_INTERVAL) return false;
    this.lastAnnounced = now;
    const words = typeof text === 'string' ? text : text();
    if (this.live.textContent !== words) this.live.textContent = words;
    return true;
  }
}

/** Ends a summary with a full stop unless it ends in one already (a screen reader should not hear two). */
export function asSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
