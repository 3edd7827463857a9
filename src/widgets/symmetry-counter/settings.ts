/**
 * The symmetry counter's settings table (controls, URL state, validation). Pure data.
 * Defaults: a plain MLP of 20 layers of 16 units.
 */
import type { SettingSpec } from '../../engine/types';
import { ARCHITECTURE_LABELS, COUNTED_ARCHITECTURES } from './math';

export const symmetryCounterSettings = [
  {
    key: 'architecture',
    label: 'Architecture',
    kind: 'choice',
    options: COUNTED_ARCHITECTURES.map((value) => ({ value, label: ARCHITECTURE_LABELS[value] })),
    default: 'plain',
    help: 'Which kind of network to count the unit reorderings of.',
  },
  { key: 'layers', label: 'Layers (blocks)', kind: 'int', min: 1, max: 200, step: 1, default: 20, help: 'Hidden layers; residual blocks for “Residual blocks”; layers of a transformer.' },
  { key: 'width', label: 'Width N (stream width d, d_model, growth rate k)', kind: 'int', min: 1, max: 4096, step: 1, default: 16, help: 'Units per layer; the residual stream’s width; a transformer’s d_model; the new units per dense layer.' },
  { key: 'inner', label: 'Inner units m (d_ff)', kind: 'int', min: 1, max: 16384, step: 1, default: 16, help: 'Units inside each residual block; a transformer’s feed-forward width.' },
  { key: 'heads', label: 'Attention heads h', kind: 'int', min: 1, max: 128, step: 1, default: 8, help: 'Transformer only; d_model must be divisible by h.' },
] as const satisfies readonly SettingSpec[];
