/**
 * /instructors/report/: loads report files (picker or drag and drop), each accepted or rejected
 * on its own with a reason, and draws the class table (textContent only: a report's text is never
 * markup), sortable by any column, with totals and a CSV export.
 */
import { downloadBlob } from '~/widgets/kit/chart-export';
import { buildClassTable, classTableToCSV, sortRows, type ClassTable, type LoadedReport, type SortKey, type SortOrder } from './class-table';
import { fileNamePart } from './file-name';
import { decodeAssignment } from './link';
import { otherAssignmentReason, parseReport, REPORT_MAX_BYTES } from './report';
import { describeTime, element } from './student-view';

const part = <T extends HTMLElement>(name: string) => document.querySelector<T>(`[data-${name}]`)!;
const fileInput = part<HTMLInputElement>('report-files');
const drop = part<HTMLElement>('report-drop');
const linkInput = part<HTMLInputElement>('report-assignment');
const summary = part<HTMLElement>('report-summary');
const rejectionsBox = part<HTMLElement>('report-rejections');
const tableBox = part<HTMLElement>('report-table');
const csvButton = part<HTMLButtonElement>('report-csv');

let loaded: LoadedReport[] = [];
let rejections: { file: string; reason: string }[] = [];
/** The assignment reports must be for: from the pasted link, else the first report loaded. */
let expected: { id: string; title: string; from: 'link' | 'report' } | undefined;
let order: SortOrder = { key: 'student', descending: false };
let table: ClassTable | undefined;

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

async function loadFiles(files: readonly File[]): Promise<void> {
  if (files.length === 0) return;
  const started = performance.now();
  summary.textContent = `Reading ${files.length} ${files.length === 1 ? 'file' : 'files'}…`;
  const texts = await Promise.all(files.map((file) => (file.size > REPORT_MAX_BYTES ? Promise.resolve(undefined) : file.text().catch(() => null))));
  let accepted = 0;
  let rejected = 0;
  for (const [index, file] of files.entries()) {
    const text = texts[index];
    const reject = (reason: string) => {
      rejections.push({ file: file.name, reason });
      rejected++;
    };
    if (text === undefined) {
      reject(`it is ${sizeText(file.size)}, far larger than a report (at most ${sizeText(REPORT_MAX_BYTES)})`);
      continue;
    }
    if (text === null) {
      reject('the browser could not read the file');
      continue;
    }
    const read = await parseReport(text, expected);
    if (!read.ok) {
      reject(read.reason);
      continue;
    }
    expected ??= { ...read.body.assignment, from: 'report' };
    loaded.push({ file: file.name, body: read.body });
    accepted++;
  }
  render(() => {
    // Reading, checking and drawing the table: what the instructor waits for.
    const seconds = (performance.now() - started) / 1000;
    return `Loaded ${accepted} of ${files.length} ${files.length === 1 ? 'file' : 'files'} in ${seconds.toFixed(2)} s${rejected ? `; ${rejected} could not be loaded (see below)` : ''}.`;
  });
}

/** Redraws everything; `message` leads the summary (a function: called once the table is drawn). */
function render(message: string | (() => string)): void {
  table = buildClassTable(loaded);
  if (table) table.rows = sortRows(table.rows, order);
  renderRejections();
  renderTable();
  csvButton.disabled = !table;
  const duplicates = loaded.length - (table?.rows.length ?? 0);
  const about = expected
    ? ` Assignment: “${expected.title}”${expected.from === 'report' ? ' (from the first report; paste its link above to check against the link instead)' : ''}.`
    : '';
  const lead = typeof message === 'string' ? message : message();
  summary.textContent = `${lead}${about}${duplicates > 0 ? ` ${duplicates} ${duplicates === 1 ? 'report was' : 'reports were'} replaced by a newer one from the same student.` : ''}`;
}

function renderRejections(): void {
  if (rejections.length === 0) {
    rejectionsBox.replaceChildren();
    return;
  }
  const box = element('section', undefined, 'assignment-problems');
  box.setAttribute('aria-labelledby', 'report-rejections-heading');
  const heading = element('h2', `Files not loaded (${rejections.length})`);
  heading.id = 'report-rejections-heading';
  const list = element('ul');
  for (const { file, reason } of rejections) {
    const item = element('li');
    item.append(element('strong', file), document.createTextNode(`: ${reason}.`));
    list.append(item);
  }
  box.append(heading, list);
  rejectionsBox.replaceChildren(box);
}

function sortButton(label: string, key: SortKey, cell: HTMLTableCellElement): void {
  const id = typeof key === 'string' ? key : `exercise:${key.exercise}`;
  const current = typeof order.key === 'string' ? order.key : `exercise:${order.key.exercise}`;
  const button = element('button', label, 'report-sort');
  button.type = 'button';
  button.dataset.sortKey = id;
  if (id === current) cell.setAttribute('aria-sort', order.descending ? 'descending' : 'ascending');
  button.addEventListener('click', () => {
    order = id === current ? { key, descending: !order.descending } : { key, descending: key !== 'student' };
    if (table) table.rows = sortRows(table.rows, order);
    renderTable();
    tableBox.querySelector<HTMLButtonElement>(`[data-sort-key="${CSS.escape(id)}"]`)?.focus();
  });
  cell.append(button);
}

function exerciseCell(cell: HTMLTableCellElement, entry: ClassTable['rows'][number]['cells'][string] | undefined): void {
  if (!entry) {
    cell.textContent = 'not in report';
    return;
  }
  cell.append(element('span', entry.solved ? '✓ Solved' : entry.attempts > 0 ? 'Not solved' : 'Not tried', entry.solved ? 'report-solved' : 'report-unsolved'));
  const details = [
    entry.solvedAt ? describeTime(entry.solvedAt) : '',
    entry.attempts > 0 ? `${entry.attempts} ${entry.attempts === 1 ? 'attempt' : 'attempts'}` : '',
    entry.revealed ? 'solution seen' : '',
  ].filter(Boolean);
  if (details.length) cell.append(element('span', details.join(', '), 'report-details'));
}

function renderTable(): void {
  if (!table) {
    tableBox.replaceChildren();
    return;
  }
  const { columns, rows, solvedBy, assignment } = table;
  const wrap = element('div', undefined, 'report-table-wrap');
  wrap.setAttribute('role', 'region');
  wrap.setAttribute('aria-labelledby', 'report-table-caption');
  wrap.tabIndex = 0;
  const tableElement = element('table', undefined, 'report-table');
  const caption = element('caption', `“${assignment.title}”: ${rows.length} ${rows.length === 1 ? 'student' : 'students'} × ${columns.length} ${columns.length === 1 ? 'exercise' : 'exercises'}. Sort by any column with its heading’s button.`);
  caption.id = 'report-table-caption';
  const head = element('thead');
  const headRow = element('tr');
  const headCell = (label: string, key: SortKey) => {
    const cell = element('th');
    cell.scope = 'col';
    sortButton(label, key, cell);
    headRow.append(cell);
  };
  headCell('Student', 'student');
  headCell('Solved', 'solved');
  headCell('Attempts', 'attempts');
  headCell('Solutions seen', 'revealed');
  for (const column of columns) headCell(column.title, { exercise: column.id });
  head.append(headRow);
  const body = element('tbody');
  for (const row of rows) {
    const line = element('tr');
    const name = element('th', row.student);
    name.scope = 'row';
    name.append(element('span', `${row.file}, made ${describeTime(row.createdAt)}`, 'report-details'));
    line.append(name, element('td', `${row.solved} of ${columns.length}`), element('td', String(row.attempts)), element('td', String(row.revealed)));
    for (const column of columns) {
      const cell = element('td');
      exerciseCell(cell, row.cells[column.id]);
      line.append(cell);
    }
    body.append(line);
  }
  const foot = element('tfoot');
  const totals = element('tr');
  const label = element('th', 'Solved by');
  label.scope = 'row';
  const allSolved = rows.reduce((sum, row) => sum + row.solved, 0);
  const average = rows.length ? allSolved / rows.length : 0;
  totals.append(
    label,
    element('td', `${average.toFixed(1)} of ${columns.length} on average`),
    element('td', String(rows.reduce((sum, row) => sum + row.attempts, 0))),
    element('td', String(rows.reduce((sum, row) => sum + row.revealed, 0))),
  );
  for (const column of columns) totals.append(element('td', `${solvedBy[column.id]} of ${rows.length}`));
  foot.append(totals);
  tableElement.append(caption, head, body, foot);
  wrap.append(tableElement);
  tableBox.replaceChildren(wrap);
}

fileInput.addEventListener('change', () => {
  void loadFiles([...(fileInput.files ?? [])]).then(() => {
    fileInput.value = '';
  });
});

for (const type of ['dragenter', 'dragover'] as const) {
  drop.addEventListener(type, (event) => {
    event.preventDefault();
    drop.dataset.dragging = '';
  });
}
drop.addEventListener('dragleave', () => delete drop.dataset.dragging);
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  delete drop.dataset.dragging;
  void loadFiles([...(event.dataTransfer?.files ?? [])]);
});

linkInput.addEventListener('change', () => {
  const hash = linkInput.value.includes('#') ? linkInput.value.slice(linkInput.value.indexOf('#')) : '';
  void decodeAssignment(hash).then((decoded) => {
    if (!linkInput.value.trim()) {
      expected = loaded[0] ? { ...loaded[0].body.assignment, from: 'report' } : undefined;
      render('The link was cleared.');
      return;
    }
    if (decoded.status === 'unreadable' || !decoded.assignment.id) {
      render(`That link cannot be read: ${decoded.problems.join(' ')}`);
      return;
    }
    expected = { id: decoded.assignment.id, title: decoded.assignment.title, from: 'link' };
    const others = loaded.filter((report) => report.body.assignment.id !== expected?.id);
    for (const report of others) rejections.push({ file: report.file, reason: otherAssignmentReason(report.body.assignment.title, decoded.assignment.title) });
    loaded = loaded.filter((report) => report.body.assignment.id === expected?.id);
    render(`Reports are now checked against the link’s assignment${others.length ? `; ${others.length} loaded ${others.length === 1 ? 'report was' : 'reports were'} for another one and ${others.length === 1 ? 'was' : 'were'} removed` : ''}.`);
  });
});

part<HTMLButtonElement>('report-clear').addEventListener('click', () => {
  loaded = [];
  rejections = [];
  if (expected?.from === 'report') expected = undefined;
  render('The table is empty.');
});

csvButton.addEventListener('click', () => {
  if (!table) return;
  downloadBlob(new Blob([classTableToCSV(table)], { type: 'text/csv' }), `class-report-${fileNamePart(table.assignment.title, 40) || 'assignment'}.csv`);
});
