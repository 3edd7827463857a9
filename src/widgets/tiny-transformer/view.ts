/**
 * The tiny transformer's custom element: training loss and held-out loss, held-out token
 * accuracy, the gradient norm of every named layer (the kit's LayerBars), and the attention of
 * every block and head on the sequence in the box. The attention and the answer come from the
 * parameters in the worker's latest snapshot, run on the main thread by the engine's pure
 * transformerForward (no TF.js on the page).
 */
import { LineChart } from '~/charts/line-chart';
import { LayerBars } from '~/charts/layer-bars';
import { MatrixHeatmap } from '~/charts/matrix-heatmap';
import { formatValue } from '~/charts/format';
import { transformerForward, type TransformerTrace } from '~/engine/attention-math';
import { TrainingWidget, type ExportableChart } from '~/widgets/kit/training-widget';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import { isTinyTransformerSnapshot, parseDigits, summarizeTinyTransformer, taskAnswer, type TinyTransformerSnapshot } from './results';

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

class TinyTransformerWidget extends TrainingWidget {
  private lossChart: LineChart | undefined;
  private accuracyChart: LineChart | undefined;
  private gradientBars: LayerBars | undefined;
  private heads: { chart: MatrixHeatmap; head: number }[] = [];
  private headsArea: HTMLElement | undefined;
  private blockSelect: HTMLSelectElement | undefined;
  private shownShape = '';
  private sequenceInput: HTMLInputElement | undefined;
  private sequenceResult: HTMLElement | undefined;
  private drawnRevision = -1;
  private drawnSnapshot: unknown;
  private typed: number[] | undefined;
  private trace: TransformerTrace | undefined;

  private data(): TinyTransformerSnapshot | undefined {
    return isTinyTransformerSnapshot(this.snapshot) ? this.snapshot : undefined;
  }

  protected createCharts(chartArea: HTMLElement): void {
    const slot = (name: string) => chartArea.querySelector<HTMLElement>(`[data-chart="${name}"]`) ?? chartArea;
    this.lossChart = new LineChart(slot('loss'), { label: 'Training loss by step, and loss on held-out sequences, log scale', xLabel: 'step', yLabel: 'loss', logY: true, height: 170 });
    this.accuracyChart = new LineChart(slot('accuracy'), { label: 'Token accuracy on held-out sequences by step', xLabel: 'step', yLabel: 'held-out accuracy', height: 170 });
    this.gradientBars = new LayerBars(slot('gradients'), { label: 'Gradient norm of every named layer at the latest step, log scale', valueLabel: 'gradient norm', height: 170 });
    this.headsArea = chartArea.querySelector<HTMLElement>('[data-heads]') ?? undefined;
    this.sequenceInput = chartArea.querySelector<HTMLInputElement>('[data-sequence]') ?? undefined;
    this.sequenceResult = chartArea.querySelector<HTMLElement>('[data-sequence-result]') ?? undefined;
    this.blockSelect = chartArea.querySelector<HTMLSelectElement>('[data-block]') ?? undefined;
    this.sequenceInput?.addEventListener('input', () => this.onSequence());
    this.blockSelect?.addEventListener('change', () => {
      this.drawnSnapshot = undefined;
      this.renderCharts();
    });
    // Empty heatmaps from the settings, so the panel has its axes before the first snapshot.
    this.ensureHeads(Number(this.settings.layers), Number(this.settings.heads));
  }

  /** One heatmap per head of the chosen block, and a block choice per block. */
  private ensureHeads(layers: number, heads: number): void {
    const area = this.headsArea;
    const select = this.blockSelect;
    if (!area || !select || this.shownShape === `${layers}x${heads}`) return;
    this.shownShape = `${layers}x${heads}`;
    const chosen = Math.min(layers, Math.max(1, Number(select.value) || 1));
    select.replaceChildren(
      ...Array.from({ length: layers }, (_, b) => {
        const option = document.createElement('option');
        option.value = String(b + 1);
        option.textContent = `block ${b + 1}`;
        return option;
      }),
    );
    select.value = String(chosen);
    area.replaceChildren();
    this.heads = Array.from({ length: heads }, (_, h) => {
      const box = document.createElement('div');
      area.append(box);
      const chart = new MatrixHeatmap(box, { label: `Attention weights of head ${h + 1} of the chosen block: rows are the positions reading, columns the positions read`, colour: 'sequential', domain: [0, 1], rowTitle: `head ${h + 1}: reading position`, columnTitle: 'read position', valueLabel: 'weight', height: 150 });
      return { chart, head: h + 1 };
    });
  }

  private onSequence(): void {
    const input = this.sequenceInput;
    if (!input) return;
    const parsed = parseDigits(input.value);
    if ('problem' in parsed) {
      input.setAttribute('aria-invalid', 'true');
      if (this.sequenceResult) this.sequenceResult.textContent = `${parsed.problem} The charts keep the last valid sequence.`;
      return;
    }
    input.removeAttribute('aria-invalid');
    this.typed = parsed.tokens;
    this.drawnSnapshot = undefined;
    this.renderCharts();
  }

  /** The sequence shown: the reader's, else the snapshot's held-out probe. */
  private sequence(data: TinyTransformerSnapshot): number[] {
    return this.typed ?? data.probe;
  }

  protected renderCharts(): void {
    if (this.store.revision !== this.drawnRevision) {
      this.drawnRevision = this.store.revision;
      const own = this.store.forRun(0);
      const latest = this.store.latest();
      if (latest) this.gradientBars?.update(latest.gradNorms, this.layersOf(latest.run).map((layer) => layer.label));
      const data = this.data();
      this.lossChart?.update([
        { id: 'train', label: 'training batch', xs: own.map((r) => r.step), ys: own.map((r) => r.loss) },
        ...(data ? [{ id: 'held-out', label: 'held-out sequences', xs: data.heldOut.map((p) => p.step), ys: data.heldOut.map((p) => p.loss) }] : []),
      ]);
    }
    if (this.snapshot === this.drawnSnapshot) return;
    this.drawnSnapshot = this.snapshot;
    const data = this.data();
    if (!data) {
      this.accuracyChart?.update([]);
      return;
    }
    this.accuracyChart?.update([{ id: 'held-out', label: 'held-out sequences', xs: data.heldOut.map((p) => p.step), ys: data.heldOut.map((p) => p.accuracy) }]);
    const tokens = this.sequence(data);
    if (this.sequenceInput && document.activeElement !== this.sequenceInput && !this.typed) this.sequenceInput.value = tokens.join('');
    this.trace = transformerForward(data.shape, data.parameters, tokens);
    this.drawHeads(data, tokens, this.trace);
    if (this.sequenceResult) {
      const expected = taskAnswer(data.task, tokens);
      const right = this.trace.prediction.filter((t, i) => t === expected[i]).length;
      const text = `Input ${tokens.join(' ')}. Model's answer ${this.trace.prediction.join(' ')} (step ${data.heldOut.at(-1)?.step ?? 0}); expected ${expected.join(' ')}: ${right} of ${tokens.length} right.`;
      if (this.sequenceResult.textContent !== text) this.sequenceResult.textContent = text;
    }
  }

  private drawHeads(data: TinyTransformerSnapshot, tokens: number[], trace: TransformerTrace): void {
    this.ensureHeads(data.shape.layers, data.shape.heads);
    const block = Math.min(data.shape.layers, Math.max(1, Number(this.blockSelect?.value) || 1));
    const labels = tokens.map((t, i) => `${i + 1}:${t}`);
    const names = tokens.map((t, i) => `position ${i + 1} (digit ${t})`);
    for (const { chart, head } of this.heads) {
      chart.update({ values: trace.attention[block - 1][head - 1], rowLabels: labels, columnLabels: labels, rowNames: names.map((n) => `block ${block}, head ${head}: ${n} reads`), columnNames: names });
    }
  }

  protected clearCharts(): void {
    this.drawnRevision = -1;
    this.drawnSnapshot = null;
    this.trace = undefined;
    this.renderCharts();
  }

  protected summarize(): string {
    const data = this.data();
    const summary = data ? summarizeTinyTransformer(data) : undefined;
    if (!summary) return `step ${this.step}`;
    const reached = summary.stepTo95 === null ? 'not yet at 95 %' : `95 % first reached by step ${summary.stepTo95}`;
    return `Step ${this.step}. Held-out token accuracy ${percent(summary.heldOutAccuracy)} at step ${summary.step} (${reached}); held-out loss ${formatValue(summary.heldOutLoss, 3)}.`;
  }

  protected dataTables(): DataTableSpec[] {
    const data = this.data();
    const latest = this.store.latest();
    const layers = latest ? this.layersOf(latest.run) : [];
    const tables: DataTableSpec[] = [
      { caption: 'Held-out loss and token accuracy (512 sequences never trained on)', columns: ['Step', 'Held-out loss', 'Held-out token accuracy'], rows: (data?.heldOut ?? []).map((p) => [p.step, formatValue(p.loss, 4), percent(p.accuracy)]) },
      { caption: `Gradient norm per layer at step ${latest?.step ?? 0}`, columns: ['Layer', 'Gradient norm'], rows: layers.map((layer, i) => [layer.label, formatValue(latest?.gradNorms[i] ?? NaN, 3)]) },
    ];
    const trace = this.trace;
    if (data && trace) {
      const tokens = this.sequence(data);
      const rows: (string | number)[][] = [];
      trace.attention.forEach((block, b) => block.forEach((head, h) => head.forEach((row, q) => rows.push([`block ${b + 1}, head ${h + 1}, position ${q + 1} (digit ${tokens[q]})`, ...row.map((w) => w.toFixed(2))]))));
      tables.push({ caption: `Attention weights on ${tokens.join(' ')}: each row is a reading position, each column a read position`, columns: ['Reading position', ...tokens.map((t, i) => `${i + 1} (${t})`)], rows });
    }
    return tables;
  }

  protected exportSummary(): unknown {
    const data = this.data();
    return data ? summarizeTinyTransformer(data) : undefined;
  }

  protected exportableCharts(): ExportableChart[] {
    const charts: ExportableChart[] = [];
    if (this.lossChart) charts.push({ chart: this.lossChart, title: 'Loss' });
    if (this.accuracyChart) charts.push({ chart: this.accuracyChart, title: 'Held-out token accuracy' });
    if (this.gradientBars) charts.push({ chart: this.gradientBars, title: 'Gradient norm per layer' });
    const block = this.blockSelect?.value ?? '1';
    for (const { chart, head } of this.heads) charts.push({ chart, title: `Attention, block ${block}, head ${head}` });
    return charts;
  }
}

if (!customElements.get('tiny-transformer-widget')) customElements.define('tiny-transformer-widget', TinyTransformerWidget);
