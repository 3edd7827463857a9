/**
 * The loss-landscape widget's custom element: the training loss of both networks while they train,
 * then the two slices as shaded contour maps on one shared colour scale, a progress bar over the
 * whole run, and the roughness measure for both. Everything else comes from the widget kit.
 */
import { LineChart } from '~/charts/line-chart';
import { Field2D } from '~/charts/field-2d';
import { formatValue } from '~/charts/format';
import { TrainingWidget, type ExportableChart } from '~/widgets/kit/training-widget';
import type { DataTableSpec } from '~/widgets/kit/data-table';
import { axisProfiles, isLandscapeSnapshot, landscapeProgress, localMinimaText, networkName, type LandscapeSnapshot } from './landscape';

const SKIPS = ['none', 'residual'] as const;

class LossLandscapeWidget extends TrainingWidget {
  private lossChart: LineChart | undefined;
  private fields = new Map<string, Field2D>();

  private data(): LandscapeSnapshot | undefined {
    return isLandscapeSnapshot(this.snapshot) ? this.snapshot : undefined;
  }

  protected createCharts(chartArea: HTMLElement): void {
    const slot = (name: string) => chartArea.querySelector<HTMLElement>(`[data-chart="${name}"]`) ?? chartArea;
    this.lossChart = new LineChart(slot('loss'), { label: 'Training loss by step of both networks, log scale', yLabel: 'loss', xLabel: 'step', logY: true, height: 200 });
    for (const skip of SKIPS) {
      const name = networkName(skip);
      this.fields.set(
        skip,
        new Field2D(slot(name), {
          label: `Training loss of the ${name} network on a 2-D slice through its trained weights, as colours on a log scale with contour lines`,
          valueLabel: 'loss',
          xLabel: 'α',
          yLabel: 'β',
          colour: 'sequential',
          logColour: true,
          contourCount: 10,
          height: 300,
        }),
      );
    }
  }

  protected renderCharts(): void {
    if (this.recordsChanged()) this.lossChart?.update(this.lossByRun());
    if (!this.snapshotChanged()) return;
    const data = this.data();
    this.renderProgress(data);
    // One colour scale (and one set of contour levels) for both slices, so they compare.
    const finite = data ? data.surfaces.flatMap((s) => s.values.filter((v) => Number.isFinite(v) && v > 0)) : [];
    const colourDomain: [number, number] | undefined = finite.length > 0 ? [Math.min(...finite), Math.max(...finite)] : undefined;
    for (const skip of SKIPS) {
      const field = this.fields.get(skip);
      const surface = data?.surfaces.find((s) => s.skip === skip);
      if (!field) continue;
      if (!data || !surface) {
        field.update({ nx: 0, ny: 0, values: [], xDomain: [-1, 1], yDomain: [-1, 1] });
        continue;
      }
      const span = data.coordinates[data.coordinates.length - 1];
      field.update({
        nx: data.resolution,
        ny: data.resolution,
        values: surface.values,
        xDomain: [-span, span],
        yDomain: [-span, span],
        colourDomain,
        // The trained weights θ*, at the centre of the slice.
        points: [{ x: 0, y: 0, label: skip === 'none' ? 0 : 1 }],
      });
    }
  }

  private renderProgress(data: LandscapeSnapshot | undefined): void {
    const bar = this.shellPart<HTMLProgressElement>('landscape-progress');
    const text = this.shellPart('landscape-phase');
    const fraction = data ? landscapeProgress(data) : 0;
    if (bar) bar.value = fraction;
    if (text) text.textContent = data ? this.phaseText(data) : 'Not started.';
  }

  private phaseText(data: LandscapeSnapshot): string {
    if (data.phase === 'training') return `Training both networks: step ${data.trainedSteps} of ${data.trainSteps}.`;
    if (data.phase === 'landscape') return `Computing the slices: row ${data.rowsDone} of ${data.resolution} (${data.resolution} points per row, both networks).`;
    return `Done: ${data.resolution} × ${data.resolution} grid computed for both networks.`;
  }

  protected summarize(): string {
    const data = this.data();
    if (!data) return `step ${this.step}`;
    if (data.phase !== 'done') return this.phaseText(data);
    const parts = data.surfaces.map((s) =>
      s.diverged || s.localMinima === undefined
        ? `${networkName(s.skip)}: diverged while training`
        : `${networkName(s.skip)}: ${localMinimaText(s.localMinima)} on the grid, loss ${formatValue(s.centreLoss ?? NaN, 3)} at the trained weights`,
    );
    return `Roughness (local minima on the ${data.resolution} × ${data.resolution} grid): ${parts.join('; ')}`;
  }

  protected dataTables(): DataTableSpec[] {
    const data = this.data();
    if (!data) return [{ caption: 'Roughness of each slice (not computed yet)', columns: ['Network', 'Local minima on the grid'], rows: [] }];
    const tail = (run: number) => {
      const own = this.store.forRun(run).slice(-20);
      return own.length > 0 ? own.reduce((sum, r) => sum + r.loss, 0) / own.length : NaN;
    };
    const summary: DataTableSpec = {
      caption: `Roughness of each slice: strict local minima among the ${data.resolution} × ${data.resolution} grid points`,
      columns: ['Network', 'Local minima on the grid', 'Loss at the trained weights', 'Lowest loss on the grid', 'Highest loss on the grid', 'Training loss, last 20 steps'],
      rows: data.surfaces.map((s) => {
        const finite = s.values.filter((v) => Number.isFinite(v));
        return [
          networkName(s.skip),
          s.diverged ? 'diverged' : s.localMinima ?? 'not yet',
          formatValue(s.centreLoss ?? NaN, 3),
          finite.length > 0 ? formatValue(Math.min(...finite), 3) : '–',
          finite.length > 0 ? formatValue(Math.max(...finite), 3) : '–',
          formatValue(tail(s.run), 3),
        ];
      }),
    };
    const profiles = data.surfaces.map((s) => axisProfiles(s, data.resolution));
    const axes: DataTableSpec = {
      caption: 'Loss along the two axes of the slices through the trained weights (α with β = 0, and β with α = 0)',
      columns: ['Step along the axis', ...data.surfaces.flatMap((s) => [`${networkName(s.skip)}, along α`, `${networkName(s.skip)}, along β`])],
      rows: data.coordinates.map((c, i) => [formatValue(c, 3), ...profiles.flatMap((p) => [formatValue(p.alpha[i], 3), formatValue(p.beta[i], 3)])]),
    };
    return [summary, axes];
  }

  protected exportableCharts(): ExportableChart[] {
    const charts: ExportableChart[] = [];
    if (this.lossChart) charts.push({ chart: this.lossChart, title: 'Training loss' });
    for (const skip of SKIPS) {
      const field = this.fields.get(skip);
      if (field) charts.push({ chart: field, title: `Loss landscape, ${networkName(skip)} network` });
    }
    return charts;
  }
}

if (!customElements.get('loss-landscape-widget')) customElements.define('loss-landscape-widget', LossLandscapeWidget);
