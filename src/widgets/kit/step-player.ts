/**
 * Play and pause for a widget that steps through something (the chain-rule stepper's passes, an
 * attention computation): one step per tick until the widget says there are no more. With
 * prefers-reduced-motion a widget should jump to the end instead of animating (`reducedMotion()`).
 */

export interface StepPlayerOptions {
  /** Milliseconds between steps. */
  interval: number;
  /** Takes one step; returns whether there are more to take. */
  step: () => boolean;
  /** Called once the last step is taken (no longer running by then). */
  onEnd: () => void;
}

export class StepPlayer {
  private active = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: StepPlayerOptions) {}

  /** Whether the reader prefers no animation: play then jumps to the end. */
  static reducedMotion(): boolean {
    return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  }

  /** Playing: between start() and stop() or the last step (true while a step is taken). */
  get running(): boolean {
    return this.active;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.schedule();
  }

  /** Stops playing; returns whether it was playing. */
  stop(): boolean {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const wasActive = this.active;
    this.active = false;
    return wasActive;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.active) return;
      if (this.options.step()) {
        if (this.active) this.schedule();
        return;
      }
      this.active = false;
      this.options.onEnd();
    }, this.options.interval);
  }
}
