/**
 * Exercise checks and measures on the loss-landscape widget's state (docs/architecture.md,
 * "Exercise checks on widget state"), for chapter 4. Pure functions of WidgetState: they read the
 * experiment's snapshot, never a button the reader can press.
 */
import type { WidgetState } from '../../engine/types';
import { isLandscapeSnapshot, localMinimaText, type LandscapeSnapshot, type LandscapeSurface } from './landscape';

export interface CheckResult {
  met: boolean;
  message: string;
}

export interface MeasureResult {
  value: number | string;
  text: string;
}

/** A slice with at most this many local minima counts as smooth (one bowl, perhaps a dent at its rim). */
export const SMOOTH_MINIMA = 2;

function finished(state: WidgetState): { data: LandscapeSnapshot; plain: LandscapeSurface; residual: LandscapeSurface } | undefined {
  const data = isLandscapeSnapshot(state.snapshot) ? state.snapshot : undefined;
  if (!data || data.phase !== 'done') return undefined;
  const plain = data.surfaces.find((s) => s.skip === 'none');
  const residual = data.surfaces.find((s) => s.skip === 'residual');
  return plain && residual ? { data, plain, residual } : undefined;
}

function minima(surface: LandscapeSurface): string {
  return surface.diverged || surface.localMinima === undefined ? 'no slice (it diverged)' : localMinimaText(surface.localMinima);
}

export const challenges: Record<string, (state: WidgetState) => CheckResult> = {
  /** A finished run in which the plain network's slice is smooth too. */
  'loss-landscape/smooth-plain': (state) => {
    const result = finished(state);
    if (!result) return { met: false, message: state.step > 0 ? 'Computing. The check runs when both slices are complete.' : 'Run the widget to completion to check.' };
    const { plain, residual, data } = result;
    const where = `With ${state.settings.depth} hidden layers the plain slice has ${minima(plain)} and the residual slice ${minima(residual)} on the ${data.resolution} × ${data.resolution} grid.`;
    if (plain.diverged || plain.localMinima === undefined) return { met: false, message: `${where} Try again with other settings.` };
    if (plain.localMinima > SMOOTH_MINIMA) return { met: false, message: `${where} The goal is at most ${SMOOTH_MINIMA} for the plain network.` };
    return { met: true, message: `${where} A plain network this shallow has a smooth landscape too.` };
  },
};

export const measures: Record<string, (state: WidgetState) => MeasureResult | undefined> = {
  /** Which slice has more local minima: "plain", "residual" or "same". */
  'loss-landscape/rougher-network': (state) => {
    const result = finished(state);
    if (!result) return undefined;
    const { plain, residual } = result;
    if (plain.localMinima === undefined || residual.localMinima === undefined) return undefined;
    const value = plain.localMinima > residual.localMinima ? 'plain' : plain.localMinima < residual.localMinima ? 'residual' : 'same';
    return { value, text: `The plain network's slice has ${minima(plain)}, the residual network's ${minima(residual)}.` };
  },
};
