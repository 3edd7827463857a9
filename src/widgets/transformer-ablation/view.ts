/**
 * The transformer ablation's custom element: training loss of both models, the rank-collapse
 * measure after the embedding and after every block (at initialisation and at the latest
 * evaluation), and the shuffle test in words. Everything else comes from the widget kit.
 */
import { LineChart } from '~/charts/line-chart';
import { formatValue } from '~/charts/format';
import { TrainingWidget, type ExportableChart } from '~/widgets/kit/training-widget';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import { EQUIVARIANCE_TOLERANCE, isAblationSnapshot, type AblationModelResult, type AblationSnapshot } from './results';

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
const depthName = (index: number) => (index === 0 ? 'embedding' : `block ${index}`);

function shuffleText(model: AblationModelResult): string {
  const p = model.permutation;
  const follows = p.mismatch < EQUIVARIANCE_TOLERANCE;
  const moved = p.order.map((from) => p.output[from]);
  return `${model.label}: input ${p.input.join(' ')} → ${p.output.join(' ')}; shuffled ${p.shuffled.join(' ')} → ${p.shuffledOutput.join(' ')}. ${
    follows ? `The outputs are the first outputs shuffled the same way (${moved.join(' ')}): the model cannot see order.` : `Not just the first outputs shuffled (that would be ${moved.join(' ')}): the model sees order.`
  } Largest logit change against a plain shuffle: ${formatValue(p.mismatch, 2)} of the largest logit.`;
}

class TransformerAblationWidget extends TrainingWidget {
  private lossChart: LineChart | undefined;
  private collapseChart: LineChart | undefined;
  private shuffleArea: HTMLElement | undefined;

  private data(): AblationSnapshot | undefined {
    return isAblationSnapshot(this.snapshot) ? this.snapshot : undefined;
  }

  protected createCharts(chartArea: HTMLElement): void {
    const slot = (name: string) => chartArea.querySelector<HTMLElement>(`[data-chart="${name}"]`) ?? chartArea;
    this.lossChart = new LineChart(slot('loss'), { label: 'Training loss of both models by step, log scale', xLabel: 'step', yLabel: 'loss', logY: true, height: 200 });
    this.collapseChart = new LineChart(slot('collapse'), {
      label: 'Distance of the token representations from all being equal, after the embedding (0) and after each block, at initialisation and at the latest evaluation, log scale',
      xLabel: 'after block (0 = embedding)',
      yLabel: 'distance from collapse',
      logY: true,
      height: 200,
    });
    this.shuffleArea = chartArea.querySelector<HTMLElement>('[data-shuffle]') ?? undefined;
  }

  protected renderCharts(): void {
    if (this.recordsChanged()) this.lossChart?.update(this.lossByRun());
    if (!this.snapshotChanged()) return;
    const data = this.data();
    const models = data?.models ?? [];
    this.collapseChart?.update(
      models.flatMap((m) => [
        { id: `${m.run}-init`, label: `${m.label}, at initialisation`, xs: m.collapseAtInit.map((_, i) => i), ys: m.collapseAtInit },
        { id: `${m.run}-now`, label: `${m.label}, step ${data?.step ?? 0}`, xs: m.collapse.map((_, i) => i), ys: m.collapse },
      ]),
    );
    if (this.shuffleArea && data && data.step > 0) {
      this.shuffleArea.replaceChildren(
        ...models.map((m) => {
          const line = document.createElement('p');
          line.textContent = shuffleText(m);
          return line;
        }),
      );
    }
  }

  protected clearCharts(): void {
    if (this.shuffleArea) this.shuffleArea.textContent = 'Press Play to train both models; the shuffle test runs on a held-out sequence every 25 steps.';
    this.renderCharts();
  }

  protected summarize(): string {
    const data = this.data();
    if (!data || data.models.length === 0) return `step ${this.step}`;
    const parts = data.models.map((m) => `${m.label}: held-out loss ${formatValue(m.loss, 3)}, accuracy ${percent(m.accuracy)}, collapse measure after the last block ${formatValue(m.collapse.at(-1) ?? NaN, 2)}`);
    return `Step ${this.step}; at step ${data.step}: ${parts.join('; ')}.`;
  }

  protected dataTables(): DataTableSpec[] {
    const data = this.data();
    const models = data?.models ?? [];
    const depth = models[0]?.collapse.length ?? 0;
    return [
      {
        caption: `Held-out loss and token accuracy at step ${data?.step ?? 0} (256 sequences never trained on)`,
        columns: ['Model', 'Held-out loss', 'Held-out token accuracy', 'Shuffle test: outputs follow the shuffle'],
        rows: models.map((m) => [m.label, formatValue(m.loss, 4), percent(m.accuracy), m.permutation.mismatch < EQUIVARIANCE_TOLERANCE ? 'yes' : 'no']),
      },
      {
        caption: 'Distance of the token representations from all being equal (‖X − 1x̄ᵀ‖ / ‖X‖), mean over 64 held-out sequences',
        columns: ['Depth', ...models.flatMap((m) => [`${m.label}: at initialisation`, `${m.label}: step ${data?.step ?? 0}`])],
        rows: Array.from({ length: depth }, (_, i) => [depthName(i), ...models.flatMap((m) => [formatValue(m.collapseAtInit[i], 3), formatValue(m.collapse[i], 3)])]),
      },
    ];
  }

  protected exportSummary(): unknown {
    return this.data();
  }

  protected exportableCharts(): ExportableChart[] {
    const charts: ExportableChart[] = [];
    if (this.lossChart) charts.push({ chart: this.lossChart, title: 'Training loss' });
    if (this.collapseChart) charts.push({ chart: this.collapseChart, title: 'Distance from rank collapse by depth' });
    return charts;
  }
}

if (!customElements.get('transformer-ablation-widget')) customElements.define('transformer-ablation-widget', TransformerAblationWidget);
