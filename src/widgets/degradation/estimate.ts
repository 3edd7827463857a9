/**
 * How long a degradation-lab run takes, before it starts: a cost model of one training step for
 * the lab's settings, so the widget can say "about 2 h" and ask before a run that long. Pure (no
 * TF.js): the view imports it. Once a run is going, the kit measures the real speed instead and
 * rescales this model with it.
 *
 * One step trains every network (depths × plain and residual × seeds) on one batch. Per layer it
 * costs a fixed overhead (TF.js kernel launches dominate at width 16) plus arithmetic that grows
 * with batch × width². The two constants are fitted to two runs in headless Chromium on a 2-core
 * machine: the defaults (348 layer-steps at width 16, batch 64: 300 steps in 46 s, README
 * "Performance") and the largest settings (1,220 layer-steps at width 64, batch 256: about 0.1
 * steps per second, issue 16).
 */
import type { SettingsValues } from '~/engine/types';
import { DEPTH_LISTS, degradationSettings, type DepthListKey } from './settings';
import { defaultValues } from '~/widgets/kit/setting-values';

/** Fixed cost of one layer of one network in one step (seconds). */
const SECONDS_PER_LAYER = 3.2e-4;
/** Cost per multiply-add unit of batch × width² for one layer (seconds). */
const SECONDS_PER_MAC = 7.5e-9;
/** Layers of a network besides its hidden layers (input projection and output). */
const EXTRA_LAYERS = 2;

/** Modelled seconds per training step for these settings (defaults fill in what is missing). */
export function degradationStepSeconds(values: SettingsValues): number {
  const settings = { ...defaultValues(degradationSettings), ...values };
  const depths: readonly number[] = DEPTH_LISTS[settings.depths as DepthListKey] ?? [];
  const seeds = Number(settings.seeds);
  const width = Number(settings.width);
  const batch = Number(settings.batchSize);
  const layers = depths.reduce((sum, depth) => sum + depth + EXTRA_LAYERS, 0) * 2 * seeds;
  return layers * (SECONDS_PER_LAYER + SECONDS_PER_MAC * batch * width * width);
}
