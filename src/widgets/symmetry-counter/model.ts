/**
 * From the counter's settings to what it shows: the count for the chosen architecture, the same
 * sizes under every architecture for comparison, and a one-sentence summary. Pure.
 */
import type { SettingsValues } from '../../engine/types';
import { ARCHITECTURE_LABELS, COUNTED_ARCHITECTURES, countPermutations, formatPower, type Count, type CountedArchitecture, type CounterInput } from './math';

export interface CounterSnapshot {
  input: CounterInput;
  /** The chosen architecture's count, or the reason it cannot be counted. */
  count?: Count;
  problem?: string;
  /** Every architecture at the same sizes (those that can be counted). */
  comparison: { architecture: CountedArchitecture; log10: number }[];
  summary: string;
}

export function counterInput(settings: SettingsValues): CounterInput {
  return {
    architecture: settings.architecture as CountedArchitecture,
    layers: Number(settings.layers),
    width: Number(settings.width),
    inner: Number(settings.inner),
    heads: Number(settings.heads),
  };
}

export function computeCounter(settings: SettingsValues): CounterSnapshot {
  const input = counterInput(settings);
  const comparison: CounterSnapshot['comparison'] = [];
  for (const architecture of COUNTED_ARCHITECTURES) {
    try {
      comparison.push({ architecture, log10: countPermutations({ ...input, architecture }).log10 });
    } catch {
      // A transformer whose d_model is not divisible by the heads has no count to compare.
    }
  }
  try {
    const count = countPermutations(input);
    const summary = `${ARCHITECTURE_LABELS[input.architecture]}: ${formatPower(count.log10)} weight settings compute the same function by reordering units alone (log₁₀ = ${count.log10.toFixed(1)}).`;
    return { input, count, comparison, summary };
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    return { input, problem, comparison, summary: `Cannot count: ${problem}.` };
  }
}
