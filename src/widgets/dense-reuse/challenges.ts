/**
 * Exercise checks and measures on the dense-reuse widget's state (docs/architecture.md, "Exercise
 * checks on widget state"), for chapter 5. Pure functions of WidgetState.
 */
import type { WidgetState } from '../../engine/types';
import { formatValue } from '../../engine/number-format';
import { finalLosses, isReuseSnapshot, networkName, type ReuseNetwork } from './reuse';

export interface CheckResult {
  met: boolean;
  message: string;
}

export interface MeasureResult {
  value: number | string;
  text: string;
}

interface Finished {
  networks: ReuseNetwork[];
  losses: Map<number, number>;
}

function finished(state: WidgetState): Finished | undefined {
  const data = isReuseSnapshot(state.snapshot) ? state.snapshot : undefined;
  if (!data || data.phase !== 'done') return undefined;
  return { networks: data.networks, losses: finalLosses(state.records) };
}

function lossText(result: Finished): string {
  return result.networks.map((n) => `${networkName(n.skip)} ${formatValue(result.losses.get(n.run) ?? NaN, 2)}`).join(', ');
}

export const challenges: Record<string, (state: WidgetState) => CheckResult> = {
  /** A finished run in which the dense network has at most half the plain network's parameters and still a lower final training loss. */
  'dense-reuse/lean-dense-wins': (state) => {
    const result = finished(state);
    if (!result) return { met: false, message: state.step > 0 ? 'Training. The check runs when all three networks have finished.' : 'Run the widget to completion to check.' };
    const plain = result.networks.find((n) => n.skip === 'none');
    const dense = result.networks.find((n) => n.skip === 'dense');
    if (!plain || !dense) return { met: false, message: 'This run has no plain or no dense network to compare.' };
    const plainLoss = result.losses.get(plain.run) ?? NaN;
    const denseLoss = result.losses.get(dense.run) ?? NaN;
    const text = `Dense: ${dense.parameters} parameters, final loss ${formatValue(denseLoss, 2)}; plain: ${plain.parameters} parameters, final loss ${formatValue(plainLoss, 2)}.`;
    if (dense.parameters * 2 > plain.parameters) return { met: false, message: `${text} The dense network needs at most half the plain network’s parameters.` };
    if (!(denseLoss < plainLoss)) return { met: false, message: `${text} The dense network’s loss must be the lower one.` };
    return { met: true, message: `${text} Fewer parameters, a better fit.` };
  },
};

export const measures: Record<string, (state: WidgetState) => MeasureResult | undefined> = {
  /** Which network ends with the lowest training loss (mean of the last 20 steps): "plain", "residual" or "dense". */
  'dense-reuse/lowest-loss': (state) => {
    const result = finished(state);
    if (!result) return undefined;
    const live = result.networks.filter((n) => Number.isFinite(result.losses.get(n.run)));
    if (live.length === 0) return undefined;
    const best = live.reduce((low, n) => ((result.losses.get(n.run) ?? Infinity) < (result.losses.get(low.run) ?? Infinity) ? n : low));
    return { value: networkName(best.skip), text: `Final training loss: ${lossText(result)}.` };
  },
};
