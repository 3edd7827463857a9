/**
 * The <dense-block> custom element: the kit's PureWidget over the block counts (model.ts). As the
 * settings change it recomputes the three blocks and redraws the diagram; the kit does the status
 * line, data table, URL state and downloads. Follows the widget element contract in
 * docs/architecture.md.
 */
import type { SettingsValues } from '~/engine/types';
import { chartTheme } from '~/charts/theme';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import type { SummaryRow } from '~/widgets/kit/export-format';
import { PureWidget } from '~/widgets/kit/pure-widget';
import type { ExportableChart } from '~/widgets/kit/widget-exports';
import { blockRows, computeBlocks, diagramSVG, diagramSVGFile, type BlockSnapshot } from './model';
import { KIND_LABELS } from './math';

class DenseBlockElement extends PureWidget<BlockSnapshot> {
  // The diagram follows a number as it is typed or dragged.
  protected readonly liveSettings = true;
  private diagram: HTMLElement | null = null;
  private drawn: BlockSnapshot | undefined;

  protected compute(settings: SettingsValues): BlockSnapshot {
    return computeBlocks(settings);
  }

  protected createCharts(): void {
    this.diagram = this.querySelector<HTMLElement>('[data-part="diagram"]');
  }

  protected draw(snapshot: BlockSnapshot): void {
    this.drawn = snapshot;
    if (this.diagram) this.diagram.innerHTML = diagramSVG(snapshot, `${this.config?.widgetId ?? 'dense-block'}-diagram-title`);
  }

  protected dataTables(snapshot: BlockSnapshot): DataTableSpec[] {
    return [
      {
        caption: 'The dense block and a residual and a plain block of the same depth and nearest parameter budget (3×3 and 1×1 convolution weights; no biases or batch-norm parameters)',
        columns: ['Block', 'Channels each layer reads', 'Channels out', 'Connections', 'Weights', 'Stored feature channels'],
        rows: snapshot.blocks.map((b) => [KIND_LABELS[b.kind], b.layers.map((l) => l.inputChannels).join(', '), b.outputChannels, b.connections, b.parameters, b.storedChannels]),
      },
    ];
  }

  /** The diagram as a standalone SVG, its colours resolved from the current theme. */
  protected exportableCharts(): ExportableChart[] {
    const exportSVG = (title?: string) => {
      const theme = chartTheme();
      const snapshot = this.drawn ?? computeBlocks(this.settings());
      return diagramSVGFile(snapshot, { text: theme.text, edge: theme.series[0], shortcut: theme.series[1], background: theme.background }, title);
    };
    return [{ chart: { exportSVG }, title: 'The dense block beside a residual and a plain block' }];
  }

  protected summaryRows(snapshot: BlockSnapshot): SummaryRow[] {
    return blockRows(snapshot);
  }
}

if (!customElements.get('dense-block')) customElements.define('dense-block', DenseBlockElement);
