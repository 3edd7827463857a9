/** The attention stepper's settings (controls, URL state, validation). Pure data; the embeddings are edited in its own table. */
import type { SettingSpec } from '../../engine/types';

export const attentionStepperSettings = [
  { key: 'causal', label: 'Causal mask', kind: 'boolean', default: false, help: 'Let each word read only itself and the words before it, as in a decoder.' },
] as const satisfies readonly SettingSpec[];
