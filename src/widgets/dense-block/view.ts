/**
 * The <dense-block> custom element: a pure widget composed of the kit's parts (settings
 * controller, messages, data table toggle). On every valid change it recomputes the counts
 * (model.ts) and redraws the diagram, the summary and the table. Follows the widget element
 * contract in docs/architecture.md.
 */
import type { WidgetState } from '~/engine/types';
import { SettingsController } from '~/widgets/kit/settings-controller';
import { WidgetMessages } from '~/widgets/kit/messages';
import { DataTableToggle, type DataTableSpec } from '~/widgets/kit/data-table';
import { dispatchWidgetUpdate, readShellConfig, type WidgetElement } from '~/widgets/kit/widget-element';
import { computeBlocks, diagramSVG, type BlockSnapshot } from './model';
import { KIND_LABELS } from './math';

class DenseBlockElement extends HTMLElement implements WidgetElement {
  private controller: SettingsController | undefined;
  private table: DataTableToggle | undefined;
  private snapshot: BlockSnapshot | undefined;

  connectedCallback(): void {
    if (this.controller) return;
    const config = readShellConfig(this);
    const part = (name: string) => this.querySelector<HTMLElement>(`[data-part="${name}"]`);
    const messages = new WidgetMessages(part('messages'));
    this.controller = new SettingsController({ root: this, widgetId: config.widgetId, specs: config.specs, base: config.base, messages, live: true, onChange: () => this.render() });
    const toggle = part('table-toggle');
    this.table = new DataTableToggle(toggle instanceof HTMLButtonElement ? toggle : null, part('table'), () => this.tables());
    this.render();
  }

  getState(): WidgetState {
    const settings = { ...(this.controller?.values ?? {}) };
    return {
      id: this.dataset.widgetId ?? '',
      kind: 'dense-block',
      settings,
      // Counting is instantaneous: whenever the state can be read, it is complete.
      status: 'finished',
      step: 0,
      runs: [],
      records: [],
      divergences: [],
      snapshot: this.snapshot ?? computeBlocks(settings),
    };
  }

  play(): void {
    this.render();
  }

  pause(): void {
    // Counting has nothing to pause.
  }

  reset(): void {
    this.controller?.restore();
    this.render();
  }

  applySettings(partial: Readonly<Record<string, unknown>>): unknown {
    return this.controller?.apply(partial) ?? [];
  }

  private tables(): DataTableSpec[] {
    const blocks = this.snapshot?.blocks ?? [];
    return [
      {
        caption: 'The dense block and a residual and a plain block of the same depth and nearest parameter budget (3×3 and 1×1 convolution weights; no biases or batch-norm parameters)',
        columns: ['Block', 'Channels each layer reads', 'Channels out', 'Connections', 'Weights', 'Stored feature channels'],
        rows: blocks.map((b) => [KIND_LABELS[b.kind], b.layers.map((l) => l.inputChannels).join(', '), b.outputChannels, b.connections, b.parameters, b.storedChannels]),
      },
    ];
  }

  private render(): void {
    if (!this.controller) return;
    const snapshot = computeBlocks(this.controller.values);
    this.snapshot = snapshot;
    const diagram = this.querySelector<HTMLElement>('[data-part="diagram"]');
    if (diagram) diagram.innerHTML = diagramSVG(snapshot, `${this.dataset.widgetId ?? 'dense-block'}-diagram-title`);
    const summary = this.querySelector<HTMLElement>('[data-part="summary"]');
    if (summary && summary.textContent !== snapshot.summary) summary.textContent = snapshot.summary;
    this.table?.render(true);
    dispatchWidgetUpdate(this, this.getState());
  }
}

if (!customElements.get('dense-block')) customElements.define('dense-block', DenseBlockElement);
