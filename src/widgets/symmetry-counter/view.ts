/**
 * The <symmetry-counter> custom element: recomputes the pure count (model.ts) as the settings
 * change and shows the chosen architecture's formula, the count and its factors; the kit's
 * PureWidget does the rest (settings, URL state, summary, data table, exports, the widget element
 * contract in docs/architecture.md).
 */
import type { SettingsValues } from '~/engine/types';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import type { SummaryRow } from '~/widgets/kit/export-format';
import { PureWidget } from '~/widgets/kit/pure-widget';
import type { ExportableChart } from '~/widgets/kit/widget-exports';
import { computeCounter, type CounterSnapshot } from './model';
import { ARCHITECTURE_LABELS, formatPower } from './math';

class SymmetryCounterElement extends PureWidget<CounterSnapshot> {
  protected readonly liveSettings = true;

  protected compute(settings: SettingsValues): CounterSnapshot {
    return computeCounter(settings);
  }

  protected createCharts(): void {
    // The formulas are server-rendered (KaTeX); draw() shows the chosen one.
  }

  protected draw(snapshot: CounterSnapshot): void {
    for (const formula of this.querySelectorAll<HTMLElement>('[data-formula]')) formula.hidden = formula.dataset.formula !== snapshot.input.architecture;
    const result = this.querySelector('[data-result]');
    if (result) result.textContent = snapshot.count ? formatPower(snapshot.count.log10) : '–';
    this.querySelector('[data-terms]')?.replaceChildren(
      ...(snapshot.count?.terms ?? []).map((term) => {
        const item = document.createElement('li');
        item.textContent = `${term.what}: 10^${term.log10.toFixed(1)}`;
        return item;
      }),
    );
  }

  protected dataTables(snapshot: CounterSnapshot): DataTableSpec[] {
    return [
      {
        caption: 'log₁₀ of the number of unit reorderings with the same function, every architecture at these sizes',
        columns: ['Architecture', 'log₁₀ |G|'],
        rows: snapshot.comparison.map((row) => [ARCHITECTURE_LABELS[row.architecture], row.log10.toFixed(1)]),
      },
    ];
  }

  protected exportableCharts(): ExportableChart[] {
    return []; // a formula and a number, no chart
  }

  protected summaryRows(snapshot: CounterSnapshot): SummaryRow[] {
    return snapshot.comparison.map((row) => ({ architecture: row.architecture, log10_reorderings: row.log10 }));
  }
}

if (!customElements.get('symmetry-counter')) customElements.define('symmetry-counter', SymmetryCounterElement);
