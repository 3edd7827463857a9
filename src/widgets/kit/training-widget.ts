/**
 * Base class of every training widget's custom element (see docs/architecture.md, "The widget
 * element contract", and README.md in this folder).
 *
 * It owns what is the same for all training widgets: the worker's life cycle (created lazily
 * near the viewport, paused off-screen and in hidden tabs), the run bar, records (kept, thinned for
 * long runs), run-time estimates and divergence and error messages. The behaviours every widget
 * shares, training or not, are the kit's parts it composes: SettingsController (controls,
 * validation, the fold, URL state), WidgetMessages, StatusLine (status line and live summary),
 * DataTableToggle and WidgetExports. A subclass only creates its charts, draws records into them,
 * and words the summary and tables.
 */
import type {
  Divergence,
  FromWorker,
  LayerInfo,
  RunInfo,
  SettingSpec,
  SettingsValues,
  ToWorker,
  WidgetState,
  WidgetStatus,
} from '~/engine/types';
import type { LineSeries } from '~/charts/line-chart';
import { DataTableToggle, type DataTableSpec } from './data-table';
import { WidgetMessages, type MessageAction, type MessageKind } from './messages';
import { RecordStore } from './record-store';
import { formatDuration, LONG_RUN_SECONDS, MENTION_RUN_SECONDS, SpeedMeter } from './run-estimate';
import { SettingsController } from './settings-controller';
import type { SettingProblem } from './setting-values';
import { asSentence, StatusLine } from './status-line';
import { WidgetExports, type ExportableChart } from './widget-exports';
import { dispatchWidgetUpdate, readShellConfig } from './widget-element';

export type { ExportableChart } from './widget-exports';
import { singleWorker, WorkerPool, type TrainingWorker, type TrainingWorkerHandlers } from './worker-pool';

/** Speeds offered by the speed control, in steps per second. */
export const SPEEDS: Record<string, number> = { slow: 10, medium: 60, fast: Infinity };

/**
 * A widget near the viewport (within this margin: one screen ahead) starts loading its worker, so
 * the back-end is ready by the time the reader reaches Play.
 */
const LOAD_MARGIN = '100% 0px';
/**
 * A widget this far from the viewport (four screens) with no run to resume lets its workers go
 * (memory); coming near again loads them afresh.
 */
const RELEASE_MARGIN = '400% 0px';
/**
 * While records stream in (about every 12 ms), charts are redrawn at most this often (ms): ~10
 * redraws a second look smooth, and drawing every frame cost long main-thread tasks with two
 * widgets on a page.
 */
const CHART_INTERVAL = 100;
/** The visible status line is rewritten at most this often (ms) while training runs. */
const STATUS_INTERVAL = 250;
/**
 * A reader who pressed Play or Step waits at most this long (ms) for the training engine to load;
 * after that a hung request (a stalled script or wasm download) is reported and can be retried.
 * Generous: on a busy two-core computer several widgets' workers may be loading at once.
 */
const WORKER_LOAD_TIMEOUT = 30_000;

/**
 * Timestamp of the animation frame in which some widget on the page last redrew its charts: one
 * widget draws per frame, so several training widgets spread their work over frames.
 */
let frameWithChartDraw = -1;

/**
 * Measured over modelled seconds per step in the latest run of each experiment on this page: it
 * turns a widget's cost model into an estimate for this computer before the next run starts.
 */
const speedCorrection = new Map<string, number>();

export abstract class TrainingWidget extends HTMLElement {
  // ---- configuration, read from the server-rendered markup -----------------------------------
  protected widgetId = '';
  protected kind = '';
  protected experiment = '';
  protected specs: SettingSpec[] = [];
  /** Defaults plus the chapter's preset: the values a fresh page starts from. */
  protected baseSettings: SettingsValues = {};
  protected maxSteps: number | undefined;

  // ---- live state ---------------------------------------------------------------------------
  /** The values in effect (the settings controller's). */
  protected get settings(): SettingsValues {
    return this.controller?.values ?? {};
  }
  protected status: WidgetStatus = 'idle';
  protected step = 0;
  protected runs: RunInfo[] = [];
  protected readonly store = new RecordStore();
  protected divergences: Divergence[] = [];
  protected snapshot: unknown;
  /** Backend the worker reported ('wasm', 'cpu', ...). */
  protected backend = '';

  private worker: TrainingWorker | undefined;
  private workerReady = false;
  /** An experiment exists in the worker (started and not since replaced). */
  private started = false;
  /** A start was sent and its 'started' reply has not come yet: records still in flight belong to an older run. */
  private awaitingStarted = false;
  /** What to do once the worker is ready: the reader pressed play or step while it loaded. */
  private pendingAction: 'play' | 'step' | undefined;
  /** Runs while the reader waits for the worker to load (WORKER_LOAD_TIMEOUT). */
  private loadTimer: ReturnType<typeof setTimeout> | undefined;
  /** Paused by us because the widget left the screen or the tab was hidden; resume on return. */
  private autoPaused = false;
  private onScreen = false;
  private frameRequested = false;
  /** Records arrived (or the run changed) since the charts were last drawn. */
  private chartsStale = false;
  /** The same for the status line, and for the widget:update event. */
  private statusStale = false;
  private updatePending = false;
  private lastChartRender = -Infinity;
  private lastStatusLine = -Infinity;
  private lastDispatchedStatus: WidgetStatus | undefined;
  private nearObserver: IntersectionObserver | undefined;
  private farObserver: IntersectionObserver | undefined;
  private screenObserver: IntersectionObserver | undefined;
  /** Within LOAD_MARGIN of the viewport. */
  private near = false;
  // The kit's parts, created when the element first connects.
  private messages = new WidgetMessages(null);
  private controller: SettingsController | undefined;
  private statusLine = new StatusLine(null, null);
  private table: DataTableToggle | undefined;
  private readonly speedMeter = new SpeedMeter();
  /** The reader agreed to a run longer than LONG_RUN_SECONDS (until the settings change). */
  private longRunConfirmed = false;
  private readonly onVisibilityChange = () => this.updateAutoPause();
  /** Leaving the page (or into the back-forward cache) frees the workers; coming back loads them near the viewport. */
  private readonly onPageHide = () => this.releaseWorker(true);
  private readonly onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted && this.near) this.ensureWorker();
  };
  private initialised = false;

  // ---- what a subclass provides -------------------------------------------------------------

  /** Creates the charts inside the chart area (called once, when the element connects). */
  protected abstract createCharts(chartArea: HTMLElement): void;
  /** Draws the current records into the charts. Called at most once per animation frame. */
  protected abstract renderCharts(): void;
  /** One plain sentence about the latest state, e.g. "step 340, loss 0.21, ...". Empty before training. */
  protected abstract summarize(): string;
  /** The numbers behind the charts, as tables. */
  protected abstract dataTables(): DataTableSpec[];
  /** The charts that "Download chart" exports, top to bottom. */
  protected abstract exportableCharts(): ExportableChart[];
  /** Results for the JSON export, in the shape of the experiment's CLI summary. Default: none. */
  protected exportSummary(): unknown {
    return undefined;
  }
  /** Clears the charts (after reset or a settings change). Default: redraw from the empty store. */
  protected clearCharts(): void {
    this.renderCharts();
  }

  // ---- for renderCharts: redraw only what changed -------------------------------------------

  private revisionOnCharts = -1;
  private snapshotOnCharts: unknown = null;

  /** True when records arrived since the last call: charts drawn from records redraw only then. */
  protected recordsChanged(): boolean {
    if (this.store.revision === this.revisionOnCharts) return false;
    this.revisionOnCharts = this.store.revision;
    return true;
  }

  /** True when the snapshot changed since the last call. */
  protected snapshotChanged(): boolean {
    if (this.snapshot === this.snapshotOnCharts) return false;
    this.snapshotOnCharts = this.snapshot;
    return true;
  }

  /** Makes the next recordsChanged() and snapshotChanged() true (done before clearCharts()). */
  protected redrawAll(): void {
    this.revisionOnCharts = -1;
    this.snapshotOnCharts = null;
  }

  /** Each run's training loss by step: the series of a loss chart. */
  protected lossByRun(): LineSeries[] {
    return this.runs.map((run) => {
      const own = this.store.forRun(run.id);
      return { id: run.id, label: run.label, xs: own.map((r) => r.step), ys: own.map((r) => r.loss) };
    });
  }
  /**
   * Steps a run trains, as the worker decides it: the `steps` setting, else the page's maxSteps
   * (undefined: the experiment's default, unknown here).
   */
  protected plannedSteps(): number | undefined {
    return typeof this.settings.steps === 'number' ? this.settings.steps : this.maxSteps;
  }
  /**
   * Modelled seconds per training step for the current settings, so a run's length can be said
   * before it starts (undefined: no model; the estimate then comes once the run is going).
   */
  protected modelledStepSeconds(): number | undefined {
    return undefined;
  }
  /**
   * Workers that train this widget's experiment side by side (a pool splits its runs by
   * Experiment.createShard; see worker-pool.ts). Default 1; a widget whose experiment has many
   * independent runs returns poolSizeForThisComputer().
   */
  protected workerPoolSize(): number {
    return 1;
  }
  /**
   * For a pooled experiment with a snapshot: the snapshot of the whole experiment from the
   * shards' latest ones (in shard order, undefined for a shard that has sent none yet). Each
   * shard's snapshot covers only its own runs; without this a pool passes them on unmerged.
   */
  protected mergeShardSnapshots?(snapshots: readonly unknown[]): unknown;
  /** The named layers of a run (RunInfo.layers): entry i names index i of its per-layer statistics. */
  protected layersOf(runId: number | undefined): readonly LayerInfo[] {
    return this.runs.find((run) => run.id === runId)?.layers ?? [];
  }

  // ---- the public contract (docs/architecture.md) -----------------------------------------

  getState(): WidgetState {
    return {
      id: this.widgetId,
      kind: this.kind,
      settings: { ...this.settings },
      status: this.status,
      step: this.step,
      runs: this.runs,
      records: this.store.records,
      divergences: this.divergences,
      snapshot: this.snapshot,
      ...(this.status === 'error' ? { error: this.messages.text('error') } : {}),
      ...(this.workerReady ? { backend: this.backend } : {}),
    };
  }

  play(): void {
    if (this.status === 'running') return;
    this.autoPaused = false;
    if (this.status === 'finished' || this.status === 'diverged' || this.status === 'error') this.restartExperiment();
    if (!this.workerReady) {
      this.waitForWorker('play');
      return;
    }
    if (!this.started) this.startExperiment(false);
    else this.post({ type: 'resume' });
    this.setStatus('running');
  }

  pause(): void {
    this.autoPaused = false;
    if (this.pendingAction) {
      this.pendingAction = undefined;
      this.stopLoadTimer();
      this.setStatus(this.step > 0 ? 'paused' : 'idle');
      return;
    }
    if (this.status !== 'running') return;
    this.post({ type: 'pause' });
    this.setStatus('paused');
  }

  /** Trains one step (or `steps`) while paused. */
  stepOnce(steps = 1): void {
    if (this.status === 'running') this.pause();
    if (this.status === 'finished' || this.status === 'diverged') return;
    if (this.status === 'error') this.restartExperiment();
    if (!this.workerReady) {
      this.waitForWorker('step');
      return;
    }
    if (!this.started) this.startExperiment(true);
    this.post({ type: 'step', steps });
    this.setStatus('paused');
  }

  reset(): void {
    const wasRunning = this.status === 'running';
    this.restartExperiment();
    if (wasRunning) this.play();
  }

  /**
   * Validates and applies settings. Invalid values are reported next to their control and not
   * applied (the previous value stays in effect). A change restarts the run; a running widget
   * keeps running with the new settings. Returns the problems found.
   */
  applySettings(partial: Readonly<Record<string, unknown>>): SettingProblem[] {
    return this.controller?.apply(partial) ?? [];
  }

  // ---- element life cycle -------------------------------------------------------------------

  connectedCallback(): void {
    if (!this.initialised) this.initialise();
    this.observeViewport();
    document.addEventListener('visibilitychange', this.onVisibilityChange);
    window.addEventListener('pagehide', this.onPageHide);
    window.addEventListener('pageshow', this.onPageShow);
  }

  disconnectedCallback(): void {
    this.nearObserver?.disconnect();
    this.farObserver?.disconnect();
    this.screenObserver?.disconnect();
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
    window.removeEventListener('pagehide', this.onPageHide);
    window.removeEventListener('pageshow', this.onPageShow);
    this.post({ type: 'dispose' });
    this.dropWorker();
  }

  private initialise(): void {
    this.initialised = true;
    const config = readShellConfig(this);
    this.widgetId = config.widgetId;
    this.kind = config.kind;
    this.experiment = config.experiment;
    this.specs = config.specs;
    this.baseSettings = config.base;
    this.maxSteps = config.maxSteps;

    this.messages = new WidgetMessages(this.shellPart('messages'));
    this.statusLine = new StatusLine(this.shellPart('status'), this.shellPart('live'));
    // A settings change restarts the run; a running widget keeps running with the new settings.
    this.controller = new SettingsController({
      root: this,
      widgetId: this.widgetId,
      specs: this.specs,
      base: this.baseSettings,
      messages: this.messages,
      onChange: () => this.reset(),
    });
    this.table = new DataTableToggle(this.shellPart<HTMLButtonElement>('table-toggle'), this.shellPart('table'), () => this.dataTables());
    new WidgetExports(
      this,
      {
        charts: () => this.exportableCharts(),
        step: () => this.step,
        run: () => ({
          widgetId: this.widgetId,
          kind: this.kind,
          experiment: this.experiment,
          settings: this.settings,
          runs: this.runs,
          divergences: this.divergences,
          records: this.store.records,
          snapshot: this.snapshot,
          summary: this.exportSummary(),
        }),
      },
      this.messages,
    );
    this.wireControls();
    this.createCharts(this.shellPart('charts') ?? this);
    this.renderCharts();
    this.setStatus('idle');
    this.renderStatusLine();
  }

  // ---- worker -------------------------------------------------------------------------------

  /** Creates the worker. Widgets that need a different worker override this. */
  protected createWorker(): Worker {
    return new Worker(new URL('../../runtime/worker.ts', import.meta.url), { type: 'module' });
  }

  private ensureWorker(): void {
    if (this.worker) return;
    let link: TrainingWorker | undefined;
    const handlers: TrainingWorkerHandlers = {
      message: (message) => {
        if (link === this.worker) this.onWorkerMessage(message);
      },
      error: (text) => {
        if (link !== this.worker) return;
        // A worker whose script failed is dead: drop it, so the next Play starts a fresh one.
        this.dropWorker();
        this.fail(`The training engine stopped: ${text || 'its script could not be loaded'}. ${RETRY_ADVICE}`);
      },
      messageError: () => {
        if (link === this.worker) this.fail(`The training engine sent a message the page could not read. ${RETRY_ADVICE}`);
      },
    };
    try {
      const size = this.workerPoolSize();
      const mergeSnapshots = this.mergeShardSnapshots ? (snapshots: readonly unknown[]) => this.mergeShardSnapshots!(snapshots) : undefined;
      link = size > 1 ? new WorkerPool(() => this.createWorker(), size, handlers, { mergeSnapshots }) : singleWorker(this.createWorker(), handlers);
    } catch (error) {
      this.fail(`The training engine could not start in this browser (${describeError(error)}). ${RETRY_ADVICE}`);
      return;
    }
    this.worker = link;
    if (this.status === 'idle') this.setStatus(this.pendingAction ? 'loading' : 'idle');
  }

  /**
   * Lets the workers go when nothing needs them (far from the viewport, or the page is left): a
   * run that can still resume (running or paused) keeps them unless the page is left.
   */
  private releaseWorker(leavingPage: boolean): void {
    if (!this.worker) return;
    const resumable = this.status === 'running' || this.status === 'paused' || this.status === 'loading';
    if (resumable && !leavingPage) return;
    this.post({ type: 'dispose' });
    this.dropWorker();
    if (resumable) {
      // The run lived in the workers: its records stay on screen, and Play starts a fresh one.
      this.pendingAction = undefined;
      this.autoPaused = false;
      this.setStatus('idle');
    }
  }

  /** The reader asked to play or step before the worker was ready: load it, and give up after a while. */
  private waitForWorker(action: 'play' | 'step'): void {
    this.pendingAction = action;
    this.ensureWorker();
    if (this.status === 'error') return; // the worker could not even be created
    this.setStatus('loading');
    if (this.loadTimer === undefined) {
      this.loadTimer = setTimeout(() => {
        this.loadTimer = undefined;
        if (this.workerReady || !this.pendingAction) return;
        this.dropWorker();
        this.fail(
          `The training engine did not load within ${WORKER_LOAD_TIMEOUT / 1000} seconds (a slow or interrupted connection?). ${RETRY_ADVICE}`,
        );
      }, WORKER_LOAD_TIMEOUT);
    }
  }

  private stopLoadTimer(): void {
    if (this.loadTimer !== undefined) clearTimeout(this.loadTimer);
    this.loadTimer = undefined;
  }

  /** Ends the worker (failed, hung or no longer needed); the next Play or Step creates a fresh one. */
  private dropWorker(): void {
    this.stopLoadTimer();
    this.worker?.terminate();
    this.worker = undefined;
    this.workerReady = false;
    this.started = false;
    this.awaitingStarted = false;
  }

  private post(message: ToWorker): void {
    this.worker?.post(message);
  }

  private startExperiment(paused: boolean): void {
    this.started = true;
    this.awaitingStarted = true;
    this.post({ type: 'speed', stepsPerSecond: this.speed() });
    this.post({ type: 'start', experiment: this.experiment, settings: { ...this.settings }, maxSteps: this.maxSteps, paused });
  }

  /** Drops the current run: records, charts and messages about it. The next play starts afresh. */
  private restartExperiment(): void {
    if (this.started) this.post({ type: 'pause' });
    this.started = false;
    this.longRunConfirmed = false;
    this.deleteMessage('confirm-long');
    this.pendingAction = undefined;
    this.autoPaused = false;
    this.store.clear();
    this.step = 0;
    this.runs = [];
    this.divergences = [];
    this.snapshot = undefined;
    this.clearRunMessages();
    this.deleteMessage('error');
    this.redrawAll();
    this.clearCharts();
    this.setStatus('idle');
    this.scheduleFrame();
  }

  private onWorkerMessage(message: FromWorker): void {
    switch (message.type) {
      case 'ready': {
        this.workerReady = true;
        this.stopLoadTimer();
        this.backend = message.backend;
        if (message.fallbackReason) {
          this.setMessage(
            'fallback',
            'warning',
            `Training runs on the ${message.backend} backend, which is slower: ${message.fallbackReason}`,
          );
        }
        const action = this.pendingAction;
        this.pendingAction = undefined;
        if (action === 'play') {
          this.status = 'idle';
          this.play();
        } else if (action === 'step') {
          this.status = 'idle';
          this.stepOnce();
        } else if (this.status === 'loading') this.setStatus('idle');
        this.renderStatusLine();
        break;
      }
      case 'started':
        // A fresh run from step 0: ours, or the worker's restart after falling back to cpu.
        this.awaitingStarted = false;
        this.runs = message.runs;
        this.store.clear();
        this.step = 0;
        this.divergences = [];
        this.snapshot = undefined;
        this.clearRunMessages();
        this.redrawAll();
        this.clearCharts();
        this.scheduleFrame();
        break;
      case 'records': {
        if (!this.started || this.awaitingStarted) break; // records of a run the reader already replaced
        this.store.push(message.records);
        for (const record of message.records) if (record.step > this.step) this.step = record.step;
        this.measureSpeed();
        if (message.snapshot !== undefined) this.snapshot = message.snapshot;
        this.scheduleFrame();
        break;
      }
      case 'diverged': {
        if (!this.started || this.awaitingStarted) break;
        this.divergences = [...this.divergences, message.divergence];
        const run = this.runs.find((candidate) => candidate.id === message.divergence.run);
        const who = this.runs.length > 1 && run ? `Run “${run.label}”` : 'Training';
        this.setMessage(
          `diverged-${message.divergence.run}`,
          'diverged',
          `${who} diverged at step ${message.divergence.step}: ${message.divergence.reason}. The charts show the run up to that point; reset or change the settings to try again.`,
        );
        const everyRunDiverged =
          this.runs.length === 0 || this.runs.every((candidate) => this.divergences.some((d) => d.run === candidate.id));
        if (everyRunDiverged) {
          this.post({ type: 'pause' });
          this.setStatus('diverged');
        }
        break;
      }
      case 'finished':
        if (!this.started || this.awaitingStarted) break;
        if (message.step > this.step) this.step = message.step;
        if (this.status !== 'diverged') this.setStatus('finished');
        break;
      case 'error':
        this.fail(message.message);
        break;
    }
  }

  // ---- run-time estimates ------------------------------------------------------------------

  private measureSpeed(): void {
    if (this.status !== 'running') return;
    this.speedMeter.record(this.step, performance.now());
    const speed = this.speedMeter.stepsPerSecond();
    const modelled = this.modelledStepSeconds();
    // A run held to a slow speed on purpose says nothing about how fast this computer trains.
    if (speed !== undefined && modelled !== undefined && this.speed() === Infinity) speedCorrection.set(this.experiment, 1 / speed / modelled);
  }

  /** Seconds a fresh run with the current settings is expected to take, if the widget can say. */
  private runEstimate(): { seconds: number; measured: boolean } | undefined {
    const steps = this.plannedSteps();
    const modelled = this.modelledStepSeconds();
    if (steps === undefined || modelled === undefined) return undefined;
    const correction = speedCorrection.get(this.experiment);
    // The speed control caps steps per second: a run is never shorter than the cap allows.
    const secondsPerStep = Math.max(modelled * (correction ?? 1), 1 / this.speed());
    return { seconds: steps * secondsPerStep, measured: correction !== undefined };
  }

  /** Seconds left in the running run at the speed measured now. */
  private secondsLeft(): number | undefined {
    const steps = this.plannedSteps();
    const speed = this.speedMeter.stepsPerSecond();
    if (steps === undefined || speed === undefined) return undefined;
    return Math.max(0, steps - this.step) / speed;
  }

  /** The Play button: a run longer than LONG_RUN_SECONDS starts only once the reader agrees. */
  private playFromButton(): void {
    const estimate = this.status === 'idle' && this.step === 0 && !this.longRunConfirmed ? this.runEstimate() : undefined;
    if (!estimate || estimate.seconds <= LONG_RUN_SECONDS) {
      this.play();
      return;
    }
    this.setMessage('confirm-long', 'warning', `This run would take ${describeEstimate(estimate)}. Fewer steps or smaller settings make it shorter.`, [
      {
        label: 'Train anyway',
        run: () => {
          this.longRunConfirmed = true;
          this.deleteMessage('confirm-long');
          this.play();
          this.shellPart('play')?.focus();
        },
      },
      {
        label: 'Cancel',
        run: () => {
          this.deleteMessage('confirm-long');
          this.shellPart('play')?.focus();
        },
      },
    ]);
    this.querySelector<HTMLButtonElement>('[data-message-action]')?.focus();
  }

  private fail(text: string): void {
    this.pendingAction = undefined;
    this.stopLoadTimer();
    this.setMessage('error', 'error', text);
    this.setStatus('error');
  }

  // ---- visibility ---------------------------------------------------------------------------

  private observeViewport(): void {
    if (typeof IntersectionObserver === 'undefined') {
      this.onScreen = true;
      this.ensureWorker();
      return;
    }
    this.nearObserver = new IntersectionObserver(
      (entries) => {
        this.near = entries[entries.length - 1].isIntersecting;
        if (this.near) this.ensureWorker();
      },
      { rootMargin: LOAD_MARGIN },
    );
    this.nearObserver.observe(this);
    this.farObserver = new IntersectionObserver(
      (entries) => {
        if (!entries[entries.length - 1].isIntersecting) this.releaseWorker(false);
      },
      { rootMargin: RELEASE_MARGIN },
    );
    this.farObserver.observe(this);
    this.screenObserver = new IntersectionObserver((entries) => {
      this.onScreen = entries[entries.length - 1].isIntersecting;
      this.updateAutoPause();
    });
    this.screenObserver.observe(this);
  }

  /** Pauses a running widget that left the screen (or whose tab was hidden); resumes it on return. */
  private updateAutoPause(): void {
    const visible = this.onScreen && document.visibilityState === 'visible';
    if (!visible && this.status === 'running') {
      this.post({ type: 'pause' });
      this.setStatus('paused');
      this.autoPaused = true;
      this.setMessage('auto-paused', 'notice', 'Paused while the widget is out of view; it resumes when you scroll back.');
    } else if (visible && this.autoPaused) {
      this.deleteMessage('auto-paused');
      this.autoPaused = false;
      if (this.status === 'paused') {
        this.post({ type: 'resume' });
        this.setStatus('running');
      }
    }
  }

  // ---- frames, status and summaries ---------------------------------------------------------

  protected scheduleFrame(): void {
    this.chartsStale = true;
    this.statusStale = true;
    this.updatePending = true;
    this.requestFrame();
  }

  private requestFrame(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame((frameTime) => this.onFrame(frameTime));
  }

  /**
   * Charts are redrawn at most every CHART_INTERVAL ms and by one widget per frame; the status
   * line every STATUS_INTERVAL ms. Work left over asks for another frame, so the final records
   * of a run are always drawn.
   */
  private onFrame(frameTime: number): void {
    this.frameRequested = false;
    const now = performance.now();
    if (this.chartsStale) {
      if (now - this.lastChartRender >= CHART_INTERVAL && frameWithChartDraw !== frameTime) {
        frameWithChartDraw = frameTime;
        this.lastChartRender = now;
        this.chartsStale = false;
        this.renderCharts();
      } else {
        this.requestFrame();
      }
    }
    if (this.statusStale) {
      if (now - this.lastStatusLine >= STATUS_INTERVAL || this.status !== 'running') {
        this.statusStale = false;
        this.renderStatusLine();
      } else {
        this.requestFrame();
      }
    }
    this.renderLiveSummary(false);
    if (this.table?.render(false)) this.requestFrame();
    // widget:update goes out with the chart redraw: listeners (exercise checks writing text into
    // the page) then also run ~10 times a second, not every frame.
    if (this.updatePending && !this.chartsStale) {
      this.updatePending = false;
      this.dispatchUpdate();
    }
  }

  private setStatus(status: WidgetStatus): void {
    const changed = status !== this.status;
    this.status = status;
    // Speed is measured over uninterrupted training only.
    if (status !== 'running') this.speedMeter.reset();
    if (status === 'running') this.deleteMessage('confirm-long');
    if (status !== 'paused') this.deleteMessage('auto-paused');
    if (status !== 'paused' && status !== 'running') this.autoPaused = false;
    this.renderButtons();
    this.renderStatusLine();
    if (changed) {
      this.renderLiveSummary(true);
      this.renderTable(true);
    }
    if (this.lastDispatchedStatus !== status) this.dispatchUpdate();
  }

  private dispatchUpdate(): void {
    this.lastDispatchedStatus = this.status;
    dispatchWidgetUpdate(this, this.getState());
  }

  private statusWord(): string {
    switch (this.status) {
      case 'idle':
        return this.step === 0 ? 'Ready' : 'Stopped';
      case 'loading':
        return 'Loading the training engine';
      case 'running':
        return 'Training';
      case 'paused':
        return 'Paused';
      case 'finished':
        return 'Finished';
      case 'diverged':
        return 'Diverged';
      case 'error':
        return 'Error';
    }
  }

  /** The visible one-line status (updated every frame; not a live region). */
  private renderStatusLine(): void {
    const summary =
      this.status === 'error'
        ? 'training stopped (see the message); press Play to try again'
        : this.step > 0
          ? `${this.summarize()}${this.poolText()}${this.leftText()}`
          : `${this.estimateText()}press Play to train, or Step to take one step`;
    this.lastStatusLine = performance.now();
    this.statusLine.show(`${this.statusWord()}: ${summary}`);
  }

  /** "this run would take about 2 h at …; " before a run long enough to mention, else "". */
  private estimateText(): string {
    const estimate = this.status === 'idle' ? this.runEstimate() : undefined;
    if (!estimate || estimate.seconds < MENTION_RUN_SECONDS) return '';
    return `this run would take ${describeEstimate(estimate)}; `;
  }

  /** "; 12 of 24 runs done, on 2 workers" while a pool trains, else "". */
  private poolText(): string {
    const progress = this.status === 'running' ? this.worker?.progress() : undefined;
    if (!progress || !this.worker || progress.runs === 0) return '';
    return `; ${progress.runsDone} of ${progress.runs} runs done, on ${this.worker.size} workers`;
  }

  /** "; about 1 h 50 min left at the current speed" while a long run trains, else "". */
  private leftText(): string {
    const left = this.status === 'running' ? this.secondsLeft() : undefined;
    return left !== undefined && left >= MENTION_RUN_SECONDS ? `; ${formatDuration(left)} left at the current speed` : '';
  }

  /** The polite live summary: on status changes, and every few seconds while training. */
  private renderLiveSummary(force: boolean): void {
    this.statusLine.announce(() => {
      const parts = [this.statusWord()];
      if (this.step > 0) parts.push(this.summarize());
      const divergence = this.divergences[this.divergences.length - 1];
      if (this.status === 'diverged' && divergence) parts.push(`diverged at step ${divergence.step}: ${divergence.reason}`);
      return asSentence(parts.join(': '));
    }, force);
  }

  private renderTable(force: boolean): void {
    this.table?.render(force);
  }

  private renderButtons(): void {
    const play = this.shellPart<HTMLButtonElement>('play');
    if (play) {
      const running = this.status === 'running' || this.status === 'loading';
      const label = running ? 'Pause' : 'Play';
      // The name says what the button does next (no aria-pressed: the label already changes).
      if (play.textContent !== label) play.textContent = label;
    }
    const step = this.shellPart<HTMLButtonElement>('step');
    if (step) step.disabled = this.status === 'finished' || this.status === 'diverged';
  }

  // ---- messages -----------------------------------------------------------------------------

  protected setMessage(key: string, kind: MessageKind, text: string, actions?: MessageAction[]): void {
    this.messages.set(key, kind, text, actions);
  }

  protected deleteMessage(key: string): void {
    this.messages.delete(key);
  }

  /** Removes the messages about the previous run (divergences). */
  private clearRunMessages(): void {
    this.messages.deleteWhere((key) => key.startsWith('diverged-'));
  }

  // ---- controls ------------------------------------------------------------------------------

  /** An element of the shell, found by its data-part attribute. */
  protected shellPart<T extends HTMLElement = HTMLElement>(name: string): T | null {
    return this.querySelector<T>(`[data-part="${name}"]`);
  }

  private speed(): number {
    const select = this.shellPart<HTMLSelectElement>('speed');
    return SPEEDS[select?.value ?? 'fast'] ?? Infinity;
  }

  private wireControls(): void {
    this.shellPart('play')?.addEventListener('click', () => (this.status === 'running' || this.status === 'loading' ? this.pause() : this.playFromButton()));
    this.shellPart('step')?.addEventListener('click', () => this.stepOnce());
    this.shellPart('reset')?.addEventListener('click', () => this.reset());
    this.shellPart('speed')?.addEventListener('change', () => {
      this.post({ type: 'speed', stepsPerSecond: this.speed() });
      this.renderStatusLine(); // the run-time estimate depends on the speed
    });
  }
}

/** "about 2 h at the speed of the last run" (measured here) or "about 2 h on a 2-core computer" (the model's). */
function describeEstimate(estimate: { seconds: number; measured: boolean }): string {
  return `${formatDuration(estimate.seconds)} ${estimate.measured ? 'at the speed of the last run' : 'on a small 2-core computer'}`;
}

/** What a reader can do about a training engine that failed. */
const RETRY_ADVICE = 'Press Play to try again; if it keeps failing, reload the page.';

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
