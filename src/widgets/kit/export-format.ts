/**
 * Run exports: CSV (one row per record) and JSON (settings, runs, divergences and records).
 * Pure string builders; the widget element turns them into downloads.
 */
import type { Divergence, RunInfo, SettingsValues, StepRecord } from '~/engine/types';
import { layerColumnSuffixes } from '~/engine/layer-names';

const PER_LAYER_FIELDS = [
  ['grad_norm', (record: StepRecord) => record.gradNorms],
  ['weight_norm', (record: StepRecord) => record.weightNorms],
  ['update_ratio', (record: StepRecord) => record.updateRatios],
  ['activation_mean', (record: StepRecord) => record.activations?.mean],
  ['activation_std', (record: StepRecord) => record.activations?.std],
  ['saturated', (record: StepRecord) => record.activations?.saturated],
  ['dead', (record: StepRecord) => record.activations?.dead],
] as const;

/** Quotes a CSV field when it needs it (RFC 4180). */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = typeof value === 'number' ? numberText(value) : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Full precision, and NaN/Infinity spelled the way spreadsheets and pandas read them. */
function numberText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return String(value);
}

/**
 * One header row, then one row per record: run, run_label, step, loss, accuracy, then per-layer
 * columns, input side first, named by layer where the runs' layers have names beyond their
 * position (grad_norm_block1.layer1), else numbered (grad_norm_1). Columns no record has are left out.
 */
export function recordsToCSV(runs: readonly RunInfo[], records: readonly StepRecord[]): string {
  const labels = new Map(runs.map((run) => [run.id, run.label]));
  const hasAccuracy = records.some((record) => record.accuracy !== undefined);
  const layerCounts = PER_LAYER_FIELDS.map(([, read]) =>
    records.reduce((most, record) => Math.max(most, read(record)?.length ?? 0), 0),
  );
  const header = ['run', 'run_label', 'step', 'loss'];
  if (hasAccuracy) header.push('accuracy');
  PER_LAYER_FIELDS.forEach(([name], field) => {
    for (const suffix of layerColumnSuffixes(runs, layerCounts[field])) header.push(`${name}_${suffix}`);
  });
  const lines = [header.join(',')];
  for (const record of records) {
    const row: (string | number | undefined)[] = [record.run, labels.get(record.run) ?? '', record.step, record.loss];
    if (hasAccuracy) row.push(record.accuracy);
    PER_LAYER_FIELDS.forEach(([, read], field) => {
      const values = read(record);
      for (let layer = 0; layer < layerCounts[field]; layer++) row.push(values?.[layer]);
    });
    lines.push(row.map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** One row of a widget's summary, as the CSV and JSON downloads hold it. */
export type SummaryRow = Record<string, string | number | boolean>;

/** A summary that is a non-empty list of flat rows (one per run), which a CSV can hold. */
export function summaryRows(summary: unknown): SummaryRow[] | undefined {
  if (!Array.isArray(summary) || summary.length === 0) return undefined;
  const flat = (row: unknown): row is SummaryRow =>
    typeof row === 'object' && row !== null && Object.values(row).every((v) => ['string', 'number', 'boolean'].includes(typeof v));
  return summary.every(flat) ? summary : undefined;
}

/** Summary rows as CSV: a header of the first row's keys, then one line per row. */
export function summaryToCSV(rows: readonly SummaryRow[]): string {
  const columns = Object.keys(rows[0]);
  const cell = (value: string | number | boolean | undefined) => csvField(typeof value === 'boolean' ? String(value) : value);
  const lines = [columns.join(','), ...rows.map((row) => columns.map((key) => cell(row[key])).join(','))];
  return `${lines.join('\n')}\n`;
}

/**
 * The CSV a widget or the CLI exports: its records, or, for an experiment that computes without
 * training (no records), its summary rows, so the file holds the results either way.
 */
export function runToCSV(runs: readonly RunInfo[], records: readonly StepRecord[], summary: unknown): string {
  const rows = records.length === 0 ? summaryRows(summary) : undefined;
  return rows ? summaryToCSV(rows) : recordsToCSV(runs, records);
}

export interface RunExport {
  widgetId: string;
  kind: string;
  experiment: string;
  settings: SettingsValues;
  runs: readonly RunInfo[];
  divergences: readonly Divergence[];
  records: readonly StepRecord[];
  snapshot?: unknown;
  /** The widget's results in the shape of the CLI's `summary` (e.g. one row per run), if it has any. */
  summary?: unknown;
}

/**
 * The run as JSON, in the same shape as `npm run experiment -- <name> --json` prints
 * ({"settings", "records", "summary"}) plus the widget's identity, runs and divergences. NaN and Infinity,
 * which JSON cannot hold, become null.
 */
export function runToJSON(run: RunExport): string {
  const body = {
    widget: run.widgetId,
    kind: run.kind,
    experiment: run.experiment,
    settings: run.settings,
    runs: run.runs,
    divergences: run.divergences,
    records: run.records,
    ...(run.summary === undefined ? {} : { summary: run.summary }),
    ...(run.snapshot === undefined ? {} : { snapshot: run.snapshot }),
  };
  return `${JSON.stringify(body, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`;
}

/** A file name for a download: "<widget id>-<what>-step<step>.<extension>", safe characters only. */
export function exportFileName(widgetId: string, what: string, step: number, extension: string): string {
  const safe = `${widgetId}-${what}`.replace(/[^a-z0-9-_]+/gi, '-').replace(/-+/g, '-');
  return `${safe}-step${step}.${extension}`;
}
