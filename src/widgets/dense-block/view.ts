/**
 * The <dense-block> custom element: recomputes the counts (model.ts) as the settings change and
 * redraws the diagram, the status line and the data table. It composes the kit's parts (settings,
 * messages, status line, data table, exports); there is nothing to train, so play, pause and reset
 * only recompute. Follows the widget element contract in docs/architecture.md.
 */
import type { WidgetState } from '~/engine/types';
import type { ExportedSVG } from '~/charts/chart-frame';
import { chartTheme } from '~/charts/theme';
import { DataTableToggle, type DataTableSpec } from '~/widgets/kit/data-table';
import { WidgetMessages } from '~/widgets/kit/messages';
import { SettingsController } from '~/widgets/kit/settings-controller';
import type { SettingProblem } from '~/widgets/kit/setting-values';
import { StatusLine } from '~/widgets/kit/status-line';
import { WidgetExports } from '~/widgets/kit/widget-exports';
import { dispatchWidgetUpdate, readShellConfig, type ShellConfig, type WidgetElement } from '~/widgets/kit/widget-element';
import { blockRows, computeBlocks, diagramSVG, diagramSVGFile, type BlockSnapshot } from './model';
import { KIND_LABELS } from './math';

class DenseBlockElement extends HTMLElement implements WidgetElement {
  private config: ShellConfig | undefined;
  private controller: SettingsController | undefined;
  private statusLine: StatusLine | undefined;
  private table: DataTableToggle | undefined;
  private snapshot: BlockSnapshot | undefined;

  connectedCallback(): void {
    if (this.config) return;
    const config = readShellConfig(this);
    this.config = config;
    const part = <T extends HTMLElement = HTMLElement>(name: string) => this.querySelector<T>(`[data-part="${name}"]`);
    const messages = new WidgetMessages(part('messages'));
    this.statusLine = new StatusLine(part('status'), part('live'));
    // The diagram follows a control as it changes; applySettings (an exercise) renders itself.
    this.controller = new SettingsController({
      root: this,
      widgetId: config.widgetId,
      specs: config.specs,
      base: config.base,
      messages,
      live: true,
      onChange: (_keys, from) => {
        if (from === 'control') this.render();
      },
    });
    part('restore')?.addEventListener('click', () => {
      this.controller?.restore();
      this.render();
    });
    this.table = new DataTableToggle(part<HTMLButtonElement>('table-toggle'), part('table'), () => this.dataTables());
    new WidgetExports(
      this,
      {
        charts: () => [{ chart: { exportSVG: (title) => this.exportDiagram(title) }, title: 'The dense block beside a residual and a plain block' }],
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
          summary: blockRows(this.currentSnapshot()),
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
      kind: 'dense-block',
      settings: { ...this.settings() },
      // Counting is instantaneous: whenever the state can be read, it is complete.
      status: 'finished',
      step: 0,
      runs: [],
      records: [],
      divergences: [],
      snapshot: this.currentSnapshot(),
    };
  }

  /** Nothing to animate: recomputes and reports, so "predict, then run" exercises can read it. */
  play(): void {
    this.render();
  }

  pause(): void {
    // Counting has nothing to pause.
  }

  /** Recomputes with the current settings ("Restore starting values" restores the chapter's). */
  reset(): void {
    this.render();
  }

  applySettings(partial: Readonly<Record<string, unknown>>): SettingProblem[] {
    const problems = this.controller?.apply(partial) ?? [];
    this.render();
    return problems;
  }

  // --- drawing ---------------------------------------------------------------------------------

  private settings() {
    return this.controller?.values ?? this.config?.base ?? {};
  }

  private currentSnapshot(): BlockSnapshot {
    return this.snapshot ?? computeBlocks(this.settings());
  }

  private titleId(): string {
    return `${this.config?.widgetId ?? 'dense-block'}-diagram-title`;
  }

  private render(): void {
    const snapshot = computeBlocks(this.settings());
    this.snapshot = snapshot;
    const diagram = this.querySelector<HTMLElement>('[data-part="diagram"]');
    if (diagram) diagram.innerHTML = diagramSVG(snapshot, this.titleId());
    this.statusLine?.show(snapshot.summary);
    this.statusLine?.announce(snapshot.summary);
    this.table?.render(true);
    dispatchWidgetUpdate(this, this.getState());
  }

  /** The diagram as a standalone SVG, its colours resolved from the current theme. */
  private exportDiagram(title?: string): ExportedSVG {
    const theme = chartTheme();
    return diagramSVGFile(this.currentSnapshot(), { text: theme.text, edge: theme.series[0], shortcut: theme.series[1], background: theme.background }, title);
  }

  private dataTables(): DataTableSpec[] {
    const blocks = this.currentSnapshot().blocks;
    return [
      {
        caption: 'The dense block and a residual and a plain block of the same depth and nearest parameter budget (3×3 and 1×1 convolution weights; no biases or batch-norm parameters)',
        columns: ['Block', 'Channels each layer reads', 'Channels out', 'Connections', 'Weights', 'Stored feature channels'],
        rows: blocks.map((b) => [KIND_LABELS[b.kind], b.layers.map((l) => l.inputChannels).join(', '), b.outputChannels, b.connections, b.parameters, b.storedChannels]),
      },
    ];
  }
}

if (!customElements.get('dense-block')) customElements.define('dense-block', DenseBlockElement);
