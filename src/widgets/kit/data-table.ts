/** Plain description of a data table a widget shows under its charts (text alternative). */
export interface DataTableSpec {
  caption: string;
  columns: readonly string[];
  rows: readonly (readonly (string | number)[])[];
  /** Column indices whose cells are row headers (scope="row"); default: the first column. */
  rowHeaderColumn?: number;
}

/** Renders the tables into `container`, replacing what was there. */
export function renderDataTables(container: HTMLElement, tables: readonly DataTableSpec[]): void {
  const fragment = document.createDocumentFragment();
  for (const spec of tables) {
    const wrapper = document.createElement('div');
    wrapper.className = 'widget-table-scroll';
    // A scrollable region must be keyboard reachable (WCAG 2.1.1).
    wrapper.tabIndex = 0;
    wrapper.setAttribute('role', 'region');
    wrapper.setAttribute('aria-label', spec.caption);
    const table = document.createElement('table');
    const caption = table.createCaption();
    caption.textContent = spec.caption;
    const headRow = table.createTHead().insertRow();
    for (const column of spec.columns) {
      const cell = document.createElement('th');
      cell.scope = 'col';
      cell.textContent = column;
      headRow.append(cell);
    }
    const body = table.createTBody();
    const headerColumn = spec.rowHeaderColumn ?? 0;
    for (const row of spec.rows) {
      const tableRow = body.insertRow();
      row.forEach((value, column) => {
        const cell = document.createElement(column === headerColumn ? 'th' : 'td');
        if (column === headerColumn) (cell as HTMLTableCellElement).scope = 'row';
        cell.textContent = String(value);
        tableRow.append(cell);
      });
    }
    wrapper.append(table);
    fragment.append(wrapper);
  }
  container.replaceChildren(fragment);
}

/** The open data table is rebuilt at most this often (ms) while it changes (a run streaming records). */
export const TABLE_INTERVAL = 500;

/**
 * "Show data table" (data-part="table-toggle") and the tables it shows (data-part="table"): built
 * from `tables()` when opened, and rebuilt on render() while open.
 */
export class DataTableToggle {
  private lastRender = 0;

  constructor(
    private readonly button: HTMLButtonElement | null,
    private readonly container: HTMLElement | null,
    private readonly tables: () => readonly DataTableSpec[],
  ) {
    button?.addEventListener('click', () => {
      if (!container) return;
      container.hidden = !container.hidden;
      button.setAttribute('aria-expanded', String(!container.hidden));
      button.textContent = container.hidden ? 'Show data table' : 'Hide data table';
      this.render(true);
    });
  }

  /**
   * Rebuilds the open table: `force`, now; otherwise only if the last build is TABLE_INTERVAL old.
   * Returns true when a rebuild was put off, so the caller calls again later: otherwise the last
   * change of a burst (a snapshot right after its records) would never reach the table.
   */
  render(force: boolean): boolean {
    if (!this.container || this.container.hidden) return false;
    const now = performance.now();
    if (!force && now - this.lastRender < TABLE_INTERVAL) return true;
    this.lastRender = now;
    renderDataTables(this.container, this.tables());
    return false;
  }
}
