/**
 * Summaries shared by the main-thread probes (perf-trace.ts, profile-widgets.ts, unet-trace.ts):
 * a CPU profile's self time per function, and the trace events inside tasks over 50 ms.
 */

export interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  ts: number;
  tid: number;
  pid: number;
  args?: { name?: string; data?: { functionName?: string; url?: string } };
}

/** The parts of a CDP CPU profile (Profiler.stop) read here. */
export interface CpuProfile {
  startTime: number;
  endTime: number;
  samples?: number[];
  nodes: { hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
}

/** Self time (ms) per function of a CPU profile, largest first. */
export function selfTimeByFunction(profile: CpuProfile): [string, number][] {
  const interval = (profile.endTime - profile.startTime) / 1000 / profile.samples!.length;
  const self = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (node.hitCount ?? 0) * interval);
  }
  return [...self.entries()].sort((a, b) => b[1] - a[1]);
}

/** The renderer main thread's complete events, and its tasks over 50 ms. */
export function mainThreadTasks(events: readonly TraceEvent[]): { onMain: TraceEvent[]; tasks: TraceEvent[] } {
  const mainThread = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const onMain = events.filter((e) => mainThread && e.tid === mainThread.tid && e.pid === mainThread.pid && e.ph === 'X');
  return { onMain, tasks: onMain.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > 50_000) };
}

/** Time (ms) per trace event name (function calls with their name and file) inside the given tasks, largest first. */
export function timeInsideTasks(onMain: readonly TraceEvent[], tasks: readonly TraceEvent[]): [string, number][] {
  const byName = new Map<string, number>();
  for (const task of tasks) {
    for (const event of onMain) {
      if (event === task || event.ts < task.ts || event.ts + (event.dur ?? 0) > task.ts + task.dur!) continue;
      const name = event.name === 'FunctionCall' ? `FunctionCall ${event.args?.data?.functionName ?? ''} ${(event.args?.data?.url ?? '').split('/').pop()}` : event.name;
      byName.set(name, (byName.get(name) ?? 0) + (event.dur ?? 0) / 1000);
    }
  }
  return [...byName.entries()].sort((a, b) => b[1] - a[1]);
}
