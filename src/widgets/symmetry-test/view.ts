/**
 * The symmetry test's custom element: two scatter plots of final training loss, one point per run
 * (plain, residual blocks, skip around every layer told apart by colour and marker shape), against
 * how close the run's two most similar units came during training, and against its number of dead
 * units; a summary per network; a data table of every run.
 */
import { ScatterChart } from '~/charts/scatter';
import { formatValue } from '~/charts/format';
import { TrainingWidget, type ExportableChart } from '~/widgets/kit/training-widget';
import { poolSizeForThisComputer } from '~/widgets/kit/worker-pool';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import { STUCK_LOSS, TEST_NETWORKS, TEST_NETWORK_LABELS, deadLossCorrelation, distanceLossCorrelation, isSymmetrySnapshot, mergeSymmetrySnapshots, summarizeNetworks, type SymmetrySnapshot } from './results';

function fixed(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

class SymmetryTestWidget extends TrainingWidget {
  private overlapChart: ScatterChart | undefined;
  private deadChart: ScatterChart | undefined;

  /**
   * The three networks (each one batch of seeds) train on three workers side by side on any
   * computer with two cores or more: on two cores the system shares them out evenly, where two
   * workers would leave one training two networks while the other idles.
   */
  protected workerPoolSize(): number {
    return poolSizeForThisComputer() >= 2 ? TEST_NETWORKS.length : 1;
  }

  protected mergeShardSnapshots(snapshots: readonly unknown[]): SymmetrySnapshot | undefined {
    return mergeSymmetrySnapshots(snapshots);
  }

  private data(): SymmetrySnapshot | undefined {
    return isSymmetrySnapshot(this.snapshot) && this.snapshot.step > 0 ? this.snapshot : undefined;
  }

  protected createCharts(chartArea: HTMLElement): void {
    const slot = (name: string) => chartArea.querySelector<HTMLElement>(`[data-chart="${name}"]`) ?? chartArea;
    this.overlapChart = new ScatterChart(slot('overlap'), {
      label: 'Training loss against the distance of the closest pair of units seen during training, one point per run',
      xLabel: 'closest pair of units (normalised distance)',
      yLabel: 'training loss',
      logY: true,
      height: 260,
    });
    this.deadChart = new ScatterChart(slot('dead'), { label: 'Training loss against the number of dead units, one point per run', xLabel: 'dead units', yLabel: 'training loss', logY: true, height: 260 });
  }

  protected renderCharts(): void {
    if (!this.snapshotChanged()) return;
    const data = this.data();
    const series = (x: (r: SymmetrySnapshot['results'][number]) => number) =>
      TEST_NETWORKS.map((network) => ({
        id: network,
        label: TEST_NETWORK_LABELS[network],
        points: (data?.results ?? []).filter((r) => r.network === network).map((r) => ({ x: x(r), y: r.loss, label: `${TEST_NETWORK_LABELS[network]}, seed ${r.seed}` })),
      }));
    this.overlapChart?.update(series((r) => r.closestPairSeen));
    this.deadChart?.update(series((r) => r.dead));
  }

  protected summarize(): string {
    const data = this.data();
    if (!data) return '';
    const summaries = summarizeNetworks(data.results);
    // Short enough for the status line's three lines; the data tables have everything.
    const stuck = summaries.map((s) => `${TEST_NETWORK_LABELS[s.network]} ${s.stuck}/${s.runs}`).join(', ');
    const pairs = summaries.map((s) => fixed(s.medianNearestPair)).join(', ');
    return `Step ${data.step}. Runs above loss ${STUCK_LOSS}: ${stuck}. Median closest pair: ${pairs}. Plain runs, rank correlation of loss with closest pair ${fixed(distanceLossCorrelation(data.results, 'plain'))}.`;
  }

  protected dataTables(): DataTableSpec[] {
    const data = this.data();
    if (!data) return [];
    const summaries = summarizeNetworks(data.results);
    return [
      {
        caption: `Summary per network at step ${data.step}`,
        columns: ['Network', 'Runs', 'Median loss', `Runs above ${STUCK_LOSS}`, 'Median closest pair now', 'Mean dead units', 'Mean eliminated units', 'Rank corr. loss vs closest pair', 'Rank corr. loss vs dead units'],
        rows: summaries.map((s) => [
          TEST_NETWORK_LABELS[s.network],
          s.runs,
          fixed(s.medianLoss, 3),
          s.stuck,
          fixed(s.medianNearestPair),
          fixed(s.meanDead, 1),
          fixed(s.meanEliminated, 1),
          fixed(distanceLossCorrelation(data.results, s.network)),
          fixed(deadLossCorrelation(data.results, s.network)),
        ]),
      },
      {
        caption: 'Every run',
        columns: ['Network', 'Seed', 'Training loss', 'Closest pair now', 'Closest pair seen', 'Dead units', 'Eliminated units'],
        rows: data.results.map((r) => [TEST_NETWORK_LABELS[r.network], r.seed, formatValue(r.loss, 3), fixed(r.nearestPair), fixed(r.closestPairSeen), r.dead, r.eliminated]),
      },
    ];
  }

  protected exportableCharts(): ExportableChart[] {
    const charts: ExportableChart[] = [];
    if (this.overlapChart) charts.push({ chart: this.overlapChart, title: 'Training loss against closest pair of units' });
    if (this.deadChart) charts.push({ chart: this.deadChart, title: 'Training loss against dead units' });
    return charts;
  }
}

if (!customElements.get('symmetry-test-widget')) customElements.define('symmetry-test-widget', SymmetryTestWidget);
