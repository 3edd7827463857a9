/**
 * The element of a widget that trains nothing (WidgetShell with runBar={false}): it recomputes a
 * pure model from its settings and redraws. This class composes the kit's parts (settings with URL
 * state, messages, status line, data table, exports) and the widget element contract; a subclass
 * says what it computes and how it draws. Play, pause and reset only recompute ("Restore starting
 * values" restores the chapter's values), so "predict, then run" exercises can read the result.
 */
import type { SettingsValues, WidgetState } from '~/engine/types';
import { DataTableToggle, type DataTableSpec } from './data-table';
import { WidgetMessages } from './messages';
import { SettingsController } from './settings-controller';
import type { SettingProblem } from './setting-values';
import { StatusLine } from './status-line';
import type { SummaryRow } from './export-format';
import { WidgetExports, type ExportableChart } from './widget-exports';
import { dispatchWidgetUpdate, readShellConfig, type ShellConfig, type WidgetElement } from './widget-element';

export abstract class PureWidget<Snapshot extends { summary: string }> extends HTMLElement implements WidgetElement {
  protected config: ShellConfig | undefined;
  private controller: SettingsController | undefined;
  private statusLine: StatusLine | undefined;
  private table: DataTableToggle | undefined;
  private snapshot: Snapshot | undefined;

  /** Apply a valid value while the reader types or drags, not only when a control is committed. */
  protected readonly liveSettings: boolean = false;

  /** The model: everything the widget shows, from its settings. Pure and quick. */
  protected abstract compute(settings: SettingsValues): Snapshot;
  /** Creates the charts in the shell's chart slots (called once, before the first draw). */
  protected abstract createCharts(): void;
  /** Draws a freshly computed snapshot into the charts. */
  protected abstract draw(snapshot: Snapshot, settings: SettingsValues): void;
  protected abstract dataTables(snapshot: Snapshot): DataTableSpec[];
  /** The charts "Download chart" stacks, top to bottom. */
  protected abstract exportableCharts(): ExportableChart[];
  /** The rows of the CSV and JSON downloads. */
  protected abstract summaryRows(snapshot: Snapshot): SummaryRow[];

  connectedCallback(): void {
    if (this.config) return;
    const config = readShellConfig(this);
    this.config = config;
    const part = <T extends HTMLElement = HTMLElement>(name: string) => this.querySelector<T>(`[data-part="${name}"]`);
    const messages = new WidgetMessages(part('messages'));
    this.statusLine = new StatusLine(part('status'), part('live'));
    this.controller = new SettingsController({
      root: this,
      widgetId: config.widgetId,
      specs: config.specs,
      base: config.base,
      messages,
      live: this.liveSettings,
      // applySettings (an exercise) renders itself.
      onChange: (_keys, from) => {
        if (from === 'control') this.render();
      },
    });
    part('restore')?.addEventListener('click', () => {
      this.controller?.restore();
      this.render();
    });
    this.table = new DataTableToggle(part<HTMLButtonElement>('table-toggle'), part('table'), () => this.dataTables(this.currentSnapshot()));
    this.createCharts();
    // A widget without charts (a formula and a number) offers no chart download that would do nothing.
    if (this.exportableCharts().length === 0) for (const name of ['export-chart-label', 'export-png', 'export-svg']) part(name)?.setAttribute('hidden', '');
    new WidgetExports(
      this,
      {
        charts: () => this.exportableCharts(),
        step: () => 0,
        run: () => ({
          widgetId: config.widgetId,
          kind: config.kind,
          experiment: config.experiment,
          settings: this.settings(),
          runs: [],
          divergences: [],
          records: [],
          snapshot: this.currentSnapshot(),
          summary: this.summaryRows(this.currentSnapshot()),
        }),
      },
      messages,
    );
    this.render();
  }

  // --- the widget element contract -------------------------------------------------------------

  getState(): WidgetState {
    return {
      id: this.config?.widgetId ?? this.dataset.widgetId ?? '',
      kind: this.config?.kind ?? this.dataset.widget ?? '',
      settings: { ...this.settings() },
      // The computation is instantaneous: whenever the state can be read, it is complete.
      status: 'finished',
      step: 0,
      runs: [],
      records: [],
      divergences: [],
      snapshot: this.currentSnapshot(),
    };
  }

  /** Nothing to animate: recomputes and reports. */
  play(): void {
    this.render();
  }

  pause(): void {
    // A pure calculation has nothing to pause.
  }

  /**
   * Nothing to restart: recomputes with the current settings. (Exercises call reset() before
   * play() and expect the settings they applied to stay.)
   */
  reset(): void {
    this.render();
  }

  applySettings(partial: Readonly<Record<string, unknown>>): SettingProblem[] {
    const problems = this.controller?.apply(partial) ?? [];
    this.render();
    return problems;
  }

  // --- computing and drawing -------------------------------------------------------------------

  protected settings(): SettingsValues {
    return this.controller?.values ?? this.config?.base ?? {};
  }

  private currentSnapshot(): Snapshot {
    return this.snapshot ?? this.compute(this.settings());
  }

  private render(): void {
    const settings = this.settings();
    const snapshot = this.compute(settings);
    this.snapshot = snapshot;
    this.statusLine?.show(snapshot.summary);
    this.statusLine?.announce(snapshot.summary);
    this.draw(snapshot, settings);
    this.table?.render(true);
    dispatchWidgetUpdate(this, this.getState());
  }
}
