/**
 * The receptive-field explorer's state from its settings: the geometry (./geometry.ts) and the
 * sentences the widget shows and reads out. Pure, so the page, the build and the tests agree.
 */
import type { SettingsValues } from '~/engine/types';
import { resolveSettings } from '~/engine/settings';
import { receptiveFieldSettings } from './settings';
import { receptiveField, type ReceptiveFieldView, type StackOptions } from './geometry';

export interface ReceptiveFieldSnapshot {
  inputSize: number;
  view?: ReceptiveFieldView;
  /** Why the stack cannot be built (e.g. a map that does not halve evenly). */
  problem?: string;
  summary: string;
}

export function isReceptiveFieldSnapshot(value: unknown): value is ReceptiveFieldSnapshot {
  return typeof value === 'object' && value !== null && 'summary' in value && 'inputSize' in value;
}

export function stackOptions(values: SettingsValues): StackOptions & { x: number; y: number } {
  const settings = resolveSettings(receptiveFieldSettings, values);
  return { inputSize: settings.inputSize, levels: settings.levels, convsPerLevel: settings.convsPerLevel, kernel: Number(settings.kernel), padding: settings.padding, x: settings.outputX, y: settings.outputY };
}

export function computeReceptiveField(values: SettingsValues): ReceptiveFieldSnapshot {
  const options = stackOptions(values);
  const result = receptiveField(options, options.x, options.y);
  if (!result.ok) return { inputSize: options.inputSize, problem: result.problem, summary: result.problem };
  const { view } = result;
  const rows = view.rows[1] - view.rows[0] + 1;
  const columns = view.columns[1] - view.columns[0] + 1;
  const clipped = rows < view.theoretical || columns < view.theoretical ? ` (cut by the image border; away from it, ${view.theoretical}×${view.theoretical})` : '';
  const summary =
    `Output map ${view.outputSize}×${view.outputSize}; pixel column ${view.selected.x}, row ${view.selected.y} can be influenced by input rows ${view.rows[0]}–${view.rows[1]} and columns ${view.columns[0]}–${view.columns[1]}: ` +
    `${rows}×${columns} of the ${options.inputSize}×${options.inputSize} input pixels${clipped}.`;
  return { inputSize: options.inputSize, view, summary };
}
