/**
 * Run-time estimates for training widgets: how long a run will take, said before it starts (from
 * the widget's cost model, corrected by the speed measured in earlier runs) and while it runs (from
 * the speed measured now). Pure: no DOM.
 */

/** A run expected to take longer than this (seconds) is confirmed by the reader before it starts. */
export const LONG_RUN_SECONDS = 10 * 60;
/** Below this (seconds) an estimate is not worth a word in the status line. */
export const MENTION_RUN_SECONDS = 60;
/** The current speed is measured over this much of the recent past (ms). */
const SPEED_WINDOW_MS = 10_000;

/** "under a minute", "about 12 min", "about 2 h 10 min", "about 14 h". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return 'under a minute';
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min`;
  if (seconds >= 10 * 3600) return `about ${Math.round(seconds / 3600)} h`;
  let hours = Math.floor(seconds / 3600);
  let minutes = Math.round((seconds - hours * 3600) / 600) * 10;
  if (minutes === 60) {
    hours += 1;
    minutes = 0;
  }
  return minutes === 0 ? `about ${hours} h` : `about ${hours} h ${minutes} min`;
}

/** Training speed (steps per second) over the last few seconds of a run. */
export class SpeedMeter {
  private samples: { step: number; time: number }[] = [];

  reset(): void {
    this.samples = [];
  }

  /** Notes that `step` was reached at `time` (ms, e.g. performance.now()). */
  record(step: number, time: number): void {
    this.samples.push({ step, time });
    while (this.samples.length > 2 && time - this.samples[1].time > SPEED_WINDOW_MS) this.samples.shift();
  }

  /** Steps per second, or undefined until there are two samples at least a second apart. */
  stepsPerSecond(): number | undefined {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.time - first.time < 1000 || last.step <= first.step) return undefined;
    return ((last.step - first.step) * 1000) / (last.time - first.time);
  }
}
