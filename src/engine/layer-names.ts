/**
 * How runs name their layers (RunInfo.layers) and how exports and tables refer to them.
 * Pure TypeScript: charts, widget views, exports and the CLI use it without TF.js.
 */
import type { LayerInfo, RunInfo, Skip } from './types';

/**
 * Names of an MLP's hidden layers, input side first (the order of every per-layer statistic).
 * Plain and dense nets: layer1 … layerN. Residual nets: the first layer maps the input to the
 * hidden width outside any block ('stem'); then block1.layer1, block1.layer2, block2.layer1 …
 */
export function describeLayers(network: { depth: number; skip: Skip; blockSize: number }): LayerInfo[] {
  return Array.from({ length: network.depth }, (_, layer): LayerInfo => {
    if (network.skip !== 'residual') return { id: `layer${layer + 1}`, label: `layer ${layer + 1}`, group: `layer${layer + 1}` };
    if (layer === 0) return { id: 'stem', label: 'stem layer', group: 'stem' };
    const block = Math.floor((layer - 1) / network.blockSize) + 1;
    const inBlock = ((layer - 1) % network.blockSize) + 1;
    return { id: `block${block}.layer${inBlock}`, label: `block ${block}, layer ${inBlock}`, group: `block${block}` };
  });
}

/** The plain-words name of per-layer entry `index` (falls back to its position when a run names none). */
export function layerLabel(layers: readonly LayerInfo[] | undefined, index: number): string {
  return layers?.[index]?.label ?? `layer ${index + 1}`;
}

/** Plain nets' ids (layer1, layer2, …) say no more than the position. */
const isPositional = (layer: LayerInfo, index: number) => layer.id === `layer${index + 1}`;

/**
 * Suffixes of the per-layer columns of a wide export (grad_norm_<suffix>): the layer ids when
 * every run names the same layers and the ids say more than their position (a residual or U-Net
 * run: grad_norm_block1.layer1), else the 1-based position (plain nets, or runs of different
 * shapes sharing one file, where the JSON export's runs[].layers names each run's layers).
 */
export function layerColumnSuffixes(runs: readonly Pick<RunInfo, 'layers'>[], count: number): string[] {
  const positions = Array.from({ length: count }, (_, index) => String(index + 1));
  const first = runs[0]?.layers ?? [];
  const shared = first.length === count && runs.every((run) => run.layers.length === count && run.layers.every((layer, i) => layer.id === first[i].id));
  if (!shared || first.every(isPositional)) return positions;
  return first.map((layer) => layer.id);
}
