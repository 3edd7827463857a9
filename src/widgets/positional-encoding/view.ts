/**
 * The <positional-encoding> custom element: recomputes the codes and their similarities (model.ts)
 * as the settings change and redraws both heatmaps; the kit's PureWidget does the rest (settings,
 * URL state, summary, data table, exports, the widget element contract in docs/architecture.md).
 */
import type { SettingsValues } from '~/engine/types';
import { MatrixHeatmap } from '~/charts/matrix-heatmap';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import type { SummaryRow } from '~/widgets/kit/export-format';
import { PureWidget } from '~/widgets/kit/pure-widget';
import type { ExportableChart } from '~/widgets/kit/widget-exports';
import { computePositional, type PositionalSnapshot } from './model';

/** Columns of the codes in the data table (the first dimensions change fastest; the rest are in the heatmap). */
const TABLE_DIMENSIONS = 8;

class PositionalEncodingElement extends PureWidget<PositionalSnapshot> {
  private codes: MatrixHeatmap | undefined;
  private similarity: MatrixHeatmap | undefined;

  protected compute(settings: SettingsValues): PositionalSnapshot {
    return computePositional(settings);
  }

  protected createCharts(): void {
    const chart = (name: string) => this.querySelector<HTMLElement>(`[data-chart="${name}"]`) ?? this;
    this.codes = new MatrixHeatmap(chart('codes'), { label: 'Sinusoidal positional codes: rows are positions, columns dimensions', colour: 'diverging', domain: [-1, 1], rowTitle: 'position', columnTitle: 'dimension', valueLabel: 'value', height: 240 });
    this.similarity = new MatrixHeatmap(chart('similarity'), { label: 'Similarity of every pair of positions', colour: 'diverging', domain: [-0.5, 0.5], rowTitle: 'position', columnTitle: 'position', valueLabel: 'similarity', height: 240 });
  }

  protected draw(snapshot: PositionalSnapshot): void {
    const positions = Array.from({ length: snapshot.positions }, (_, p) => String(p));
    const dimensions = Array.from({ length: snapshot.dModel }, (_, i) => String(i));
    this.codes?.update({ values: snapshot.table, rowLabels: positions, columnLabels: dimensions, columnNames: dimensions.map((d) => `dimension ${d} (${Number(d) % 2 === 0 ? 'sin' : 'cos'})`) });
    this.similarity?.update({ values: snapshot.similarity, rowLabels: positions, columnLabels: positions });
  }

  protected dataTables(snapshot: PositionalSnapshot): DataTableSpec[] {
    const shown = Math.min(TABLE_DIMENSIONS, snapshot.dModel);
    return [
      {
        caption: `Codes of every position, first ${shown} of ${snapshot.dModel} dimensions`,
        columns: ['Position', ...Array.from({ length: shown }, (_, i) => `dim ${i} (${i % 2 === 0 ? 'sin' : 'cos'})`)],
        rows: snapshot.table.map((row, p) => [p, ...row.slice(0, shown).map((v) => v.toFixed(3))]),
      },
      {
        caption: 'Similarity of position 0 and of the middle position with every position',
        columns: ['Position', 'with position 0', `with position ${snapshot.neighbour.position}`],
        rows: snapshot.similarity.map((row, p) => [p, row[0].toFixed(3), row[snapshot.neighbour.position].toFixed(3)]),
      },
    ];
  }

  protected exportableCharts(): ExportableChart[] {
    return [
      ...(this.codes ? [{ chart: this.codes, title: 'Sinusoidal positional codes' }] : []),
      ...(this.similarity ? [{ chart: this.similarity, title: 'Similarity of every pair of positions' }] : []),
    ];
  }

  /** One row per position: its code in every dimension. */
  protected summaryRows(snapshot: PositionalSnapshot): SummaryRow[] {
    return snapshot.table.map((row, position) => ({ position, ...Object.fromEntries(row.map((value, dimension) => [`dim_${dimension}`, value])) }));
  }
}

if (!customElements.get('positional-encoding')) customElements.define('positional-encoding', PositionalEncodingElement);
