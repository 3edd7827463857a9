/**
 * The permutation lab's custom element: the reader reorders the units of one hidden layer (drag,
 * or the Move up / Move down buttons), which sets the `order` setting (a permutation's number) and
 * reruns the experiment; the view shows each unit's incoming and outgoing weights as table rows
 * before and after, the two decision surfaces, and the largest output difference.
 */
import { Field2D } from '~/charts/field-2d';
import { formatValue } from '~/charts/format';
import { TrainingWidget, type ExportableChart } from '~/widgets/kit/training-widget';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import { PERMUTATION_WIDTH } from './settings';
import { indexFromOrder, moveUnit, orderFromIndex } from './order';
import { formatDifference, functionUnchanged, isPermutationSnapshot, type Matrix, type PermutationSnapshot } from './results';

/** One row per unit: for the incoming matrix [fanIn × width] that is a column, for the outgoing [width × fanOut] a row. */
function unitRows(matrix: Matrix, unitsAreColumns: boolean): number[][] {
  if (unitsAreColumns) return Array.from({ length: matrix.columns }, (_, unit) => Array.from({ length: matrix.rows }, (_, r) => matrix.values[r * matrix.columns + unit]));
  return Array.from({ length: matrix.rows }, (_, unit) => matrix.values.slice(unit * matrix.columns, (unit + 1) * matrix.columns));
}

class PermutationWidget extends TrainingWidget {
  private trainedSurface: Field2D | undefined;
  private reorderedSurface: Field2D | undefined;
  private orderList: HTMLOListElement | undefined;
  private announcer: HTMLElement | undefined;
  private matrices: HTMLElement | undefined;
  private dragFrom: number | undefined;

  private data(): PermutationSnapshot | undefined {
    return isPermutationSnapshot(this.snapshot) ? this.snapshot : undefined;
  }

  private order(): number[] {
    return orderFromIndex(Number(this.settings.order), PERMUTATION_WIDTH);
  }

  protected createCharts(chartArea: HTMLElement): void {
    const slot = (name: string) => chartArea.querySelector<HTMLElement>(`[data-chart="${name}"]`) ?? chartArea;
    const options = { valueLabel: 'logit difference (class 1 − class 0)', xLabel: 'x₁', yLabel: 'x₂', colour: 'diverging' as const, contourCount: 1, height: 240 };
    this.trainedSurface = new Field2D(slot('before'), { ...options, label: 'Decision surface of the trained network' });
    this.reorderedSurface = new Field2D(slot('after'), { ...options, label: 'Decision surface after reordering the units' });
    this.orderList = chartArea.querySelector<HTMLOListElement>('[data-unit-order]') ?? undefined;
    this.announcer = chartArea.querySelector<HTMLElement>('[data-order-announcer]') ?? undefined;
    this.matrices = chartArea.querySelector<HTMLElement>('[data-matrices]') ?? undefined;
    chartArea.querySelector('[data-action="identity"]')?.addEventListener('click', () => this.setOrder(Array.from({ length: PERMUTATION_WIDTH }, (_, i) => i), 'Units back in the trained order.'));
    chartArea.querySelector('[data-action="reverse"]')?.addEventListener('click', () => this.setOrder(this.order().reverse(), 'Order reversed.'));
    this.renderOrderList();
  }

  /** Applies a new order: the run restarts with it and plays to the end at once. */
  private setOrder(order: number[], announcement: string): void {
    this.applySettings({ order: indexFromOrder(order) });
    if (this.announcer) this.announcer.textContent = announcement;
    this.play();
  }

  private renderOrderList(focusUnit?: number, focusAction?: string): void {
    const list = this.orderList;
    if (!list) return;
    const order = this.order();
    list.replaceChildren(
      ...order.map((unit, position) => {
        const item = document.createElement('li');
        item.draggable = true;
        item.dataset.unit = String(unit);
        const name = document.createElement('span');
        name.className = 'unit-name';
        name.textContent = `Unit ${unit + 1}`;
        item.append(name);
        for (const [action, label, target] of [
          ['up', '↑', position - 1],
          ['down', '↓', position + 1],
        ] as const) {
          const button = document.createElement('button');
          button.type = 'button';
          button.className = 'widget-button';
          button.textContent = label;
          button.dataset.move = action;
          button.setAttribute('aria-label', `Move unit ${unit + 1} ${action}`);
          button.disabled = target < 0 || target >= order.length;
          button.addEventListener('click', () => {
            this.setOrder(moveUnit(order, position, target), `Unit ${unit + 1} moved to position ${target + 1}.`);
            this.renderOrderList(unit, action);
          });
          item.append(button);
        }
        item.addEventListener('dragstart', (event) => {
          this.dragFrom = position;
          event.dataTransfer?.setData('text/plain', String(position));
        });
        item.addEventListener('dragover', (event) => event.preventDefault());
        item.addEventListener('drop', (event) => {
          event.preventDefault();
          if (this.dragFrom === undefined || this.dragFrom === position) return;
          const moved = order[this.dragFrom];
          this.setOrder(moveUnit(order, this.dragFrom, position), `Unit ${moved + 1} moved to position ${position + 1}.`);
          this.dragFrom = undefined;
          this.renderOrderList();
        });
        return item;
      }),
    );
    if (focusUnit !== undefined && focusAction) {
      const button = list.querySelector<HTMLButtonElement>(`li[data-unit="${focusUnit}"] button[data-move="${focusAction}"]`);
      (button && !button.disabled ? button : list.querySelector<HTMLButtonElement>(`li[data-unit="${focusUnit}"] button:not([disabled])`))?.focus();
    }
  }

  protected renderCharts(): void {
    if (!this.snapshotChanged()) return;
    const data = this.data();
    if (this.orderList && this.orderList.children.length > 0) {
      const shown = [...this.orderList.children].map((item) => Number((item as HTMLElement).dataset.unit));
      if (shown.join() !== this.order().join()) this.renderOrderList();
    }
    if (!data) {
      this.trainedSurface?.update(undefined);
      this.reorderedSurface?.update(undefined);
      this.matrices?.replaceChildren();
      return;
    }
    const field = (values: number[]) => ({ nx: data.grid.nx, ny: data.grid.ny, values, xDomain: data.grid.xDomain, yDomain: data.grid.yDomain });
    this.trainedSurface?.update(field(data.surfaceBefore));
    this.reorderedSurface?.update(field(data.surfaceAfter));
    this.renderMatrices(data);
  }

  /** Each unit's weights as one table row, before and after: reordering moves whole rows, in both tables at once. */
  private renderMatrices(data: PermutationSnapshot): void {
    if (!this.matrices) return;
    const largest = Math.max(1e-9, ...data.incoming.before.values.map(Math.abs), ...data.outgoing.before.values.map(Math.abs));
    const table = (caption: string, rows: number[][], unitLabels: string[], columnLabel: (k: number) => string) => {
      const element = document.createElement('table');
      element.className = 'weight-table';
      element.createCaption().textContent = caption;
      const head = element.createTHead().insertRow();
      const corner = document.createElement('th');
      corner.scope = 'col';
      corner.textContent = 'Unit';
      head.append(corner);
      rows[0]?.forEach((_, k) => {
        const th = document.createElement('th');
        th.scope = 'col';
        th.textContent = columnLabel(k);
        head.append(th);
      });
      const body = element.createTBody();
      rows.forEach((row, r) => {
        const tr = body.insertRow();
        const th = document.createElement('th');
        th.scope = 'row';
        th.textContent = unitLabels[r];
        tr.append(th);
        for (const value of row) {
          const cell = tr.insertCell();
          cell.textContent = formatValue(value, 2);
          const share = Math.round(Math.min(1, Math.abs(value) / largest) * 60);
          cell.style.background = `color-mix(in srgb, var(--chart-${value < 0 ? 1 : 2}) ${share}%, transparent)`;
        }
      });
      return element;
    };
    const beforeLabels = Array.from({ length: PERMUTATION_WIDTH }, (_, i) => `${i + 1}`);
    const afterLabels = data.order.map((unit) => `${unit + 1}`);
    const layer = data.layer;
    const inputName = layer === 1 ? (k: number) => `x${k + 1}` : (k: number) => `h${layer - 1}.${k + 1}`;
    const outputName = (k: number) => (data.outgoing.before.columns === PERMUTATION_WIDTH ? `h${layer + 1}.${k + 1}` : `out ${k + 1}`);
    const pair = (title: string, before: HTMLTableElement, after: HTMLTableElement) => {
      const group = document.createElement('div');
      group.className = 'weight-pair';
      const heading = document.createElement('p');
      heading.className = 'weight-pair-title';
      heading.textContent = title;
      group.append(heading, before, after);
      return group;
    };
    this.matrices.replaceChildren(
      pair(
        `Incoming weights of layer ${layer} (one row per unit)`,
        table('As trained', unitRows(data.incoming.before, true), beforeLabels, inputName),
        table('Reordered', unitRows(data.incoming.after, true), afterLabels, inputName),
      ),
      pair(
        `Outgoing weights of layer ${layer} (one row per unit)`,
        table('As trained', unitRows(data.outgoing.before, false), beforeLabels, outputName),
        table('Reordered', unitRows(data.outgoing.after, false), afterLabels, outputName),
      ),
    );
  }

  protected summarize(): string {
    const data = this.data();
    if (!data) return '';
    const moved = data.movedLayers.length > 1 ? `hidden layers ${data.movedLayers.join(', ')} (the residual stream)` : `hidden layer ${data.layer}`;
    const verdict = functionUnchanged(data) ? 'the same function, up to float rounding' : 'a different function';
    return `Step ${data.step}. Units of ${moved} in the order ${data.order.map((u) => u + 1).join(', ')}: largest output difference ${formatDifference(data.maxOutputDifference)} (outputs up to ${formatValue(data.maxOutput, 3)}), ${verdict}.`;
  }

  protected dataTables(): DataTableSpec[] {
    const data = this.data();
    if (!data) return [];
    return [
      {
        caption: 'Result of the reordering',
        columns: ['Quantity', 'Value'],
        rows: [
          ['Order of the units (trained numbering)', data.order.map((u) => u + 1).join(', ')],
          ['Hidden layers reordered', data.movedLayers.join(', ')],
          ['Largest output difference', formatDifference(data.maxOutputDifference)],
          ['Largest output', formatValue(data.maxOutput, 3)],
          ['Same function', functionUnchanged(data) ? 'yes' : 'no'],
        ],
      },
    ];
  }

  protected exportableCharts(): ExportableChart[] {
    const charts: ExportableChart[] = [];
    if (this.trainedSurface) charts.push({ chart: this.trainedSurface, title: 'Decision surface as trained' });
    if (this.reorderedSurface) charts.push({ chart: this.reorderedSurface, title: 'Decision surface after reordering' });
    return charts;
  }
}

if (!customElements.get('permutation-widget')) customElements.define('permutation-widget', PermutationWidget);
