/**
 * The dense-reuse widget's custom element: training loss of the plain, residual and dense
 * networks, their per-layer gradient norms at the latest step, and a heatmap of how strongly each
 * dense layer reads each earlier layer. Everything else comes from the widget kit.
 */
import { LineChart } from '~/charts/line-chart';
import { LayerHeatmap } from '~/charts/heatmap';
import { formatValue } from '~/charts/format';
import { formatPercent } from '~/engine/number-format';
import { TrainingWidget, type ExportableChart } from '~/widgets/kit/training-widget';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import { FINAL_WINDOW, finalLosses, isReuseSnapshot, networkName, normalizeReuse, readerName, sourceName, summarizeDenseReuse, summarizeReuse, type ReuseSnapshot } from './reuse';

class DenseReuseWidget extends TrainingWidget {
  private lossChart: LineChart | undefined;
  private gradientChart: LineChart | undefined;
  private reuseChart: LayerHeatmap | undefined;

  private data(): ReuseSnapshot | undefined {
    return isReuseSnapshot(this.snapshot) ? this.snapshot : undefined;
  }

  protected createCharts(chartArea: HTMLElement): void {
    const slot = (name: string) => chartArea.querySelector<HTMLElement>(`[data-chart="${name}"]`) ?? chartArea;
    this.lossChart = new LineChart(slot('loss'), { label: 'Training loss by step of the plain, residual and dense networks, log scale', yLabel: 'loss', xLabel: 'step', logY: true, height: 180 });
    this.gradientChart = new LineChart(slot('gradients'), { label: 'Gradient norm of each hidden layer at the latest step, log scale', yLabel: 'gradient norm', xLabel: 'layer (1 = input side)', logY: true, height: 180 });
    this.reuseChart = new LayerHeatmap(slot('reuse'), { label: 'Mean absolute weight from each source layer (rows) into each reading layer of the dense network (columns), normalised per reading layer', valueLabel: 'share of the strongest source', xLabel: 'reading layer (last = output)', height: 220 });
  }

  protected renderCharts(): void {
    if (this.recordsChanged()) {
      this.lossChart?.update(this.lossByRun());
      this.gradientChart?.update(
        this.runs.flatMap((run) => {
          const latest = this.store.latest(run.id);
          if (!latest) return [];
          const hidden = latest.gradNorms.slice(0, run.layers.length);
          return [{ id: run.id, label: run.label, xs: hidden.map((_, i) => i + 1), ys: hidden }];
        }),
      );
    }
    if (!this.snapshotChanged()) return;
    const reuse = this.data()?.reuse;
    if (!reuse) {
      this.reuseChart?.update([]);
      return;
    }
    const normalized = normalizeReuse(reuse);
    const sources = normalized.length + 1;
    // One column per reading layer, one row per source; a source a layer cannot read stays empty.
    this.reuseChart?.update(
      normalized.map((row, index) => ({ x: index + 2, values: Array.from({ length: sources }, (_, source) => row[source] ?? NaN) })),
      Array.from({ length: sources }, (_, source) => sourceName(source)),
    );
  }

  protected summarize(): string {
    const data = this.data();
    if (!data) return `step ${this.step}`;
    const losses = this.runs.map((run) => `${networkName(run.skip ?? 'none')} ${formatValue(this.store.latest(run.id)?.loss ?? NaN, 2)}`);
    const reuse = data.reuse ? summarizeReuse(data.reuse) : undefined;
    const reuseText = reuse ? ` Dense reuse: the weakest hidden source still gets ${formatPercent(reuse.smallest)} of the strongest; the output layer reads layer 1 at ${formatPercent(reuse.outputOnFirst)}.` : '';
    if (data.phase === 'training') return `Step ${data.trainedSteps} of ${data.trainSteps}. Loss: ${losses.join(', ')}.${reuseText}`;
    // The final loss is a mean over the last steps: one batch's loss jitters too much to rank the networks by.
    const final = finalLosses(this.store.records);
    const finals = this.runs.map((run) => `${networkName(run.skip ?? 'none')} ${formatValue(final.get(run.id) ?? NaN, 2)}`);
    const tests = data.networks.map((n) => `${networkName(n.skip)} ${n.test ? formatPercent(n.test.accuracy) : 'diverged'}`);
    return `Final loss (mean of the last ${FINAL_WINDOW} steps): ${finals.join(', ')}. Test accuracy: ${tests.join(', ')}.${reuseText}`;
  }

  protected dataTables(): DataTableSpec[] {
    const data = this.data();
    const networks = data?.networks ?? [];
    const final = finalLosses(this.store.records);
    const tables: DataTableSpec[] = [
      {
        caption: `The three networks: parameters, latest training loss and gradient norms, test accuracy on ${data?.testSize ?? 512} held-out points`,
        columns: ['Network', 'Parameters', 'Training loss, latest step', `Training loss, mean of the last ${FINAL_WINDOW} steps`, 'Gradient norm, layer 1', 'Gradient norm, last layer', 'Test accuracy'],
        rows: networks.map((n) => {
          const latest = this.store.latest(n.run);
          const depth = this.runs.find((r) => r.id === n.run)?.layers.length ?? 0;
          return [n.label, n.parameters, formatValue(latest?.loss ?? NaN, 3), formatValue(final.get(n.run) ?? NaN, 3), formatValue(latest?.gradNorms[0] ?? NaN, 2), formatValue(latest?.gradNorms[depth - 1] ?? NaN, 2), n.test ? formatPercent(n.test.accuracy) : '–'];
        }),
      },
    ];
    if (data?.reuse) {
      const normalized = normalizeReuse(data.reuse);
      tables.push({
        caption: `Dense network at step ${data.reuseStep ?? 0}: mean absolute weight from each source (columns) into each reading layer (rows), as a share of that layer's strongest source`,
        columns: ['Reading layer', ...Array.from({ length: normalized.length + 1 }, (_, s) => sourceName(s))],
        rows: normalized.map((row, index) => [readerName(index, normalized.length), ...Array.from({ length: normalized.length + 1 }, (_, s) => (row[s] === undefined ? '–' : row[s].toFixed(2)))]),
      });
    }
    return tables;
  }

  protected exportSummary(): unknown {
    return summarizeDenseReuse(this.runs, this.store.records, this.snapshot);
  }

  protected exportableCharts(): ExportableChart[] {
    const charts: ExportableChart[] = [];
    if (this.lossChart) charts.push({ chart: this.lossChart, title: 'Training loss' });
    if (this.gradientChart) charts.push({ chart: this.gradientChart, title: 'Gradient norm per layer' });
    if (this.reuseChart) charts.push({ chart: this.reuseChart, title: 'Dense network: feature reuse' });
    return charts;
  }
}

if (!customElements.get('dense-reuse-widget')) customElements.define('dense-reuse-widget', DenseReuseWidget);
