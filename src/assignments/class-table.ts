/**
 * The class page's table: students × exercises from many reports, with totals, sorting and a CSV
 * export. Pure data in, plain data out (the page draws it with textContent only).
 */
import type { ReportBody, ReportExercise } from './report';

export interface ClassColumn {
  id: string;
  title: string;
  chapter: string;
}

export interface StudentRow {
  student: string;
  /** The file it came from. */
  file: string;
  createdAt: string;
  /** By exercise id; missing when the student's report does not list the exercise. */
  cells: Record<string, ReportExercise>;
  solved: number;
  revealed: number;
  attempts: number;
}

export interface ClassTable {
  assignment: { id: string; title: string };
  columns: ClassColumn[];
  rows: StudentRow[];
  /** Per column: how many students solved it. */
  solvedBy: Record<string, number>;
}

/** Reports that were loaded, each with the name of its file. */
export interface LoadedReport {
  file: string;
  body: ReportBody;
}

/**
 * Builds the table. Columns are the exercises in the order the reports list them (all reports of
 * one assignment list the same ones; a later version of the course may add some, which are added
 * at the end). A student with two reports keeps the newer one.
 */
export function buildClassTable(reports: readonly LoadedReport[]): ClassTable | undefined {
  if (reports.length === 0) return undefined;
  const columns: ClassColumn[] = [];
  const seen = new Set<string>();
  const newest = new Map<string, LoadedReport>();
  for (const report of reports) {
    for (const exercise of report.body.exercises) {
      if (seen.has(exercise.id)) continue;
      seen.add(exercise.id);
      columns.push({ id: exercise.id, title: exercise.title, chapter: exercise.chapter });
    }
    const key = studentKey(report.body.student);
    const earlier = newest.get(key);
    if (!earlier || Date.parse(report.body.createdAt) > Date.parse(earlier.body.createdAt)) newest.set(key, report);
  }
  const rows = [...newest.values()].map(({ file, body }): StudentRow => {
    const cells: Record<string, ReportExercise> = {};
    for (const exercise of body.exercises) cells[exercise.id] = exercise;
    const listed = Object.values(cells);
    return {
      student: body.student,
      file,
      createdAt: body.createdAt,
      cells,
      solved: listed.filter((exercise) => exercise.solved).length,
      revealed: listed.filter((exercise) => exercise.revealed).length,
      attempts: listed.reduce((sum, exercise) => sum + exercise.attempts, 0),
    };
  });
  const solvedBy: Record<string, number> = {};
  for (const column of columns) solvedBy[column.id] = rows.filter((row) => row.cells[column.id]?.solved).length;
  return { assignment: reports[0].body.assignment, columns, rows: sortRows(rows, { key: 'student', descending: false }), solvedBy };
}

/** Two reports are the same student's when their names match ignoring case and spacing. */
export function studentKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}

/** Sort by the student's name, a total, or one exercise (solved first, then fewer attempts). */
export type SortKey = 'student' | 'solved' | 'attempts' | 'revealed' | { exercise: string };
export interface SortOrder {
  key: SortKey;
  descending: boolean;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function exerciseRank(cell: ReportExercise | undefined): number {
  // Solved beats tried beats untouched; among solved, fewer attempts rank higher.
  if (!cell) return -2;
  if (cell.solved) return 1_000_000 - cell.attempts;
  return cell.attempts > 0 ? 0 : -1;
}

export function sortRows(rows: readonly StudentRow[], order: SortOrder): StudentRow[] {
  const { key } = order;
  const compare = (a: StudentRow, b: StudentRow): number => {
    if (key === 'student') return collator.compare(a.student, b.student);
    if (typeof key === 'string') return a[key] - b[key];
    return exerciseRank(a.cells[key.exercise]) - exerciseRank(b.cells[key.exercise]);
  };
  // Ties keep name order, so the table never reshuffles students with equal scores.
  return [...rows].sort((a, b) => (order.descending ? -compare(a, b) : compare(a, b)) || collator.compare(a.student, b.student));
}

/** A cell for a spreadsheet: quoted when needed, and never read as a formula (=, +, -, @ first). */
export function csvCell(value: string | number | boolean): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per student: totals, then for each exercise solved, when, attempts, revealed. */
export function classTableToCSV(table: ClassTable): string {
  const header = ['student', 'report_created', 'solved_total', 'exercises_total', 'attempts_total', 'solutions_revealed'];
  for (const column of table.columns) header.push(`${column.id} solved`, `${column.id} solved_at`, `${column.id} attempts`, `${column.id} revealed`);
  const lines = [header.map(csvCell).join(',')];
  for (const row of table.rows) {
    const cells: (string | number | boolean)[] = [row.student, row.createdAt, row.solved, table.columns.length, row.attempts, row.revealed];
    for (const column of table.columns) {
      const cell = row.cells[column.id];
      cells.push(cell ? (cell.solved ? 'yes' : 'no') : '', cell?.solvedAt ?? '', cell?.attempts ?? '', cell ? (cell.revealed ? 'yes' : 'no') : '');
    }
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
