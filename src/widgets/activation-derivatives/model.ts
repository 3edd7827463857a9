/**
 * From settings to everything the widget shows: the per-layer factor of each activation, the
 * products for k = 1..depth, and a one-sentence summary. Pure, so the view, the exercise checks
 * and the tests agree on every number.
 */
import type { SettingsValues } from '~/engine/types';
import {
  ACTIVATIONS,
  ACTIVATION_LABELS,
  formatMagnitude,
  layerFactor,
  log10Products,
  type ActivationName,
  type FactorSettings,
  type PreactivationMode,
} from './math';

/** The widget's snapshot (WidgetState.snapshot): plain data for exercises and exports. */
export interface ActivationSnapshot {
  activation: ActivationName;
  depth: number;
  /** |w·φ′| per layer for each activation at the current weight scale and pre-activations. */
  factors: Record<ActivationName, number>;
  /** log10 of the product of k factors, k = 1..depth, for each activation (-Infinity for 0). */
  log10Products: Record<ActivationName, number[]>;
  /** log10 of the product of `depth` factors for the chosen activation. */
  log10Product: number;
  /** The same, as text a reader would write ("9.1e-13"). */
  productText: string;
  summary: string;
}

export function factorSettings(settings: SettingsValues, activation: ActivationName): FactorSettings {
  return {
    activation,
    weightScale: Number(settings.weightScale),
    mode: settings.mode as PreactivationMode,
    z: Number(settings.z),
    spread: Number(settings.spread),
  };
}

export function computeSnapshot(settings: SettingsValues): ActivationSnapshot {
  const activation = settings.activation as ActivationName;
  const depth = Number(settings.depth);
  const factors = {} as Record<ActivationName, number>;
  const products = {} as Record<ActivationName, number[]>;
  for (const name of ACTIVATIONS) {
    factors[name] = layerFactor(factorSettings(settings, name));
    products[name] = log10Products(factors[name], depth);
  }
  const log10Product = products[activation][depth - 1];
  const productText = formatMagnitude(log10Product);
  return {
    activation,
    depth,
    factors,
    log10Products: products,
    log10Product,
    productText,
    summary: describe(settings, factors[activation], depth, productText),
  };
}

function describe(settings: SettingsValues, factor: number, depth: number, productText: string): string {
  const activation = ACTIVATION_LABELS[settings.activation as ActivationName];
  const scale = formatMagnitude(Math.log10(Number(settings.weightScale)));
  const where =
    settings.mode === 'point'
      ? `every pre-activation at z = ${Number(settings.z)}`
      : `pre-activations spread with standard deviation ${Number(settings.spread)}`;
  const factorText = factor === 0 ? '0' : formatMagnitude(Math.log10(factor));
  const trend = factor === 0 ? 'a ReLU whose input is not above 0 passes no gradient' : factor < 1 ? 'it shrinks' : factor > 1 ? 'it grows' : 'it stays at 1';
  const factorWord = depth === 1 ? 'factor' : 'factors';
  return (
    `With ${activation} at weight scale ${scale} and ${where}, each layer multiplies the gradient by ${factorText}; ` +
    `the product of ${depth} ${factorWord} is ${productText} (${trend}).`
  );
}
