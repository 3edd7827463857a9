/**
 * The download buttons of a widget (data-part="export-png", "export-svg", "export-csv",
 * "export-json"): its charts stacked into one SVG or PNG, and its run (records, or for a widget
 * that computes without training, its summary rows) as CSV or JSON. A failed export is said in the
 * widget's messages.
 */
import type { ChartFrame } from '~/charts/chart-frame';
import { chartTheme } from '~/charts/theme';
import { downloadBlob, stackSVGs, svgToPNG } from './chart-export';
import { exportFileName, runToCSV, runToJSON, type RunExport } from './export-format';
import type { WidgetMessages } from './messages';

export interface ExportableChart {
  /** A chart, or any drawing that can write itself as a standalone SVG (a pure widget's diagram). */
  chart: Pick<ChartFrame, 'exportSVG'>;
  title: string;
}

export interface ExportSource {
  /** The charts "Download chart" exports, top to bottom. */
  charts(): ExportableChart[];
  /** What the CSV and JSON hold. */
  run(): RunExport;
  /** The step the files are named after (0 for a widget that does not train). */
  step(): number;
}

export class WidgetExports {
  constructor(
    root: HTMLElement,
    private readonly source: ExportSource,
    private readonly messages: WidgetMessages,
  ) {
    const button = (name: string) => root.querySelector<HTMLButtonElement>(`[data-part="export-${name}"]`);
    button('png')?.addEventListener('click', () => void this.exportCharts('png'));
    button('svg')?.addEventListener('click', () => void this.exportCharts('svg'));
    button('csv')?.addEventListener('click', () => {
      const run = source.run();
      downloadBlob(new Blob([runToCSV(run.runs, run.records, run.summary)], { type: 'text/csv' }), this.fileName(run, 'run', 'csv'));
    });
    button('json')?.addEventListener('click', () => {
      const run = source.run();
      downloadBlob(new Blob([runToJSON(run)], { type: 'application/json' }), this.fileName(run, 'run', 'json'));
    });
  }

  private fileName(run: RunExport, what: string, extension: string): string {
    return exportFileName(run.widgetId, what, this.source.step(), extension);
  }

  private async exportCharts(format: 'png' | 'svg'): Promise<void> {
    const charts = this.source.charts();
    if (charts.length === 0) return;
    const stacked = stackSVGs(
      charts.map(({ chart, title }) => chart.exportSVG(title)),
      chartTheme().background,
    );
    const fileName = this.fileName(this.source.run(), 'charts', format);
    try {
      if (format === 'svg') downloadBlob(new Blob([stacked.svg], { type: 'image/svg+xml' }), fileName);
      else downloadBlob(await svgToPNG(stacked), fileName);
      this.messages.delete('export');
    } catch (error) {
      this.messages.set('export', 'error', `The chart could not be exported: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
