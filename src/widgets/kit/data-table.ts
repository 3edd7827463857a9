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
