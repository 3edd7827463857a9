/**
 * The words of the gradient-flow lab: its one-line summary and its data tables. Pure, so the
 * tests check them without a browser.
 */
import type { LayerInfo, StepRecord } from '~/engine/types';
import { formatValue } from '~/charts/format';
import type { DataTableSpec } from '~/widgets/kit/data-table';

/** "step 340, loss 0.21, first layer gradient 3e-7, last layer 2e-2". */
export function gradientFlowSummary(record: StepRecord | undefined): string {
  if (!record) return 'no steps yet';
  const parts = [`step ${record.step}`, `loss ${formatValue(record.loss)}`];
  if (record.accuracy !== undefined) parts.push(`accuracy ${Math.round(record.accuracy * 100)}%`);
  const norms = record.gradNorms;
  if (norms.length > 0) {
    parts.push(`first layer gradient ${formatValue(norms[0])}`, `last layer ${formatValue(norms[norms.length - 1])}`);
    const ratio = norms[norms.length - 1] / norms[0];
    if (norms.length > 1 && Number.isFinite(ratio) && ratio > 0) {
      const decades = Math.log10(ratio);
      if (Math.abs(decades) >= 1) {
        parts.push(`${Math.abs(decades).toFixed(1)} orders of magnitude ${decades > 0 ? 'smaller' : 'larger'} at the first layer`);
      }
    }
  }
  return parts.join(', ');
}

/** Per-layer numbers at the latest step, rows named by the run's layers (else numbered): the text alternative to the bars. */
export function layerTable(record: StepRecord | undefined, layers: readonly LayerInfo[] = []): DataTableSpec {
  const columns = ['Layer', 'Gradient norm', 'Weight norm', 'Update / weight'];
  const activations = record?.activations;
  if (activations) columns.push('Mean activation', 'Saturated units', 'Dead units');
  const rows = (record?.gradNorms ?? []).map((gradNorm, layer) => {
    const row: (string | number)[] = [
      `${layers[layer]?.label ?? layer + 1}${layer === 0 ? ' (input side)' : ''}`,
      formatValue(gradNorm, 3),
      formatValue(record!.weightNorms[layer], 3),
      formatValue(record!.updateRatios[layer], 3),
    ];
    if (activations) {
      row.push(
        formatValue(activations.mean[layer], 3),
        `${Math.round(activations.saturated[layer] * 100)}%`,
        `${Math.round(activations.dead[layer] * 100)}%`,
      );
    }
    return row;
  });
  return {
    caption: record ? `Every hidden layer at step ${record.step} (layer 1 is next to the input)` : 'Every hidden layer (no steps yet)',
    columns,
    rows,
  };
}

/**
 * Loss and the first and last layer's gradient norm over training, at most `maxRows` rows evenly
 * spread over the run (always including the latest step): the text alternative to the curve and
 * the heatmap.
 */
export function historyTable(records: readonly StepRecord[], maxRows = 40): DataTableSpec {
  const stride = Math.max(1, Math.ceil(records.length / maxRows));
  const picked: StepRecord[] = [];
  for (let index = records.length - 1; index >= 0; index -= stride) picked.unshift(records[index]);
  return {
    caption: 'Training history (evenly spaced steps)',
    columns: ['Step', 'Loss', 'First layer gradient', 'Last layer gradient'],
    rows: picked.map((record) => [
      record.step,
      formatValue(record.loss, 3),
      formatValue(record.gradNorms[0], 3),
      formatValue(record.gradNorms[record.gradNorms.length - 1], 3),
    ]),
  };
}

/**
 * `initScale` means the standard deviation for naive initialisation but a multiplier on the
 * Glorot or He scale otherwise, so its sensible value changes with `init`. When the reader
 * switches from naive to Glorot/He while the scale is still the naive default, the scale becomes
 * 1; switching back to naive while it is still 1 restores the naive default. Any other scale is
 * the reader's own choice and stays. Returns the new scale, or undefined to leave it alone.
 */
export function initScaleAfterInitChange(
  previousInit: unknown,
  nextInit: unknown,
  initScale: unknown,
  naiveDefault: number,
): number | undefined {
  if (previousInit === nextInit || typeof initScale !== 'number') return undefined;
  const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  if (previousInit === 'naive' && nextInit !== 'naive' && same(initScale, naiveDefault)) return 1;
  if (previousInit !== 'naive' && nextInit === 'naive' && same(initScale, 1)) return naiveDefault;
  return undefined;
}
