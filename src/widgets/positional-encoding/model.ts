/**
 * What the positional-encoding explorer shows, computed from its settings: the sinusoidal table
 * (the engine's own, attention-math.ts), the similarity of every pair of positions, and a summary
 * in words. Pure; the view, the exercise checks and the unit tests share it.
 */
import { positionalMatrix, rowSimilarity, type Matrix } from '../../engine/attention-math';
import type { SettingsValues } from '../../engine/types';
import { resolveSettings } from '../../engine/settings';
import { positionalEncodingSettings } from './settings';

export interface PositionalSnapshot {
  dModel: number;
  positions: number;
  table: Matrix;
  /** PE(p)·PE(q) / d_model for every pair of positions. */
  similarity: Matrix;
  /** For the middle position: its similarity to the next position and to position 0. */
  neighbour: { position: number; next: number; far: number };
  summary: string;
}

export function computePositional(values: SettingsValues): PositionalSnapshot {
  const settings = resolveSettings(positionalEncodingSettings, values);
  const dModel = Number(settings.dModel);
  const positions = settings.positions;
  const table = positionalMatrix(positions, dModel);
  const similarity = rowSimilarity(table);
  const position = Math.floor(positions / 2);
  const neighbour = { position, next: similarity[position][position + 1], far: similarity[position][0] };
  const summary = `d_model ${dModel}, positions 0 to ${positions - 1}. Every position has the same similarity with itself (${similarity[0][0].toFixed(2)}). Position ${position} and its neighbour ${position + 1}: ${neighbour.next.toFixed(2)}; position ${position} and position 0: ${neighbour.far.toFixed(2)}. Nearby positions have similar codes; the first dimensions change fastest.`;
  return { dModel, positions, table, similarity, neighbour, summary };
}
