/**
 * From the dense-block widget's settings to what it shows: the three blocks' counts, the summary
 * and the diagram as SVG markup (the same string on the server and in the page). Pure.
 */
import type { SettingsValues } from '../../engine/types';
import { resolveSettings } from '../../engine/settings';
import { compareBlocks, diagramOf, KIND_LABELS, summarizeBlocks, type BlockCount, type BlockInput } from './math';
import { denseBlockSettings } from './settings';

export interface BlockSnapshot {
  input: BlockInput;
  blocks: BlockCount[];
  summary: string;
}

export function computeBlocks(values: SettingsValues): BlockSnapshot {
  const settings = resolveSettings(denseBlockSettings, values);
  const input: BlockInput = { layers: settings.layers, growth: settings.growth, inputChannels: settings.inputChannels, bottleneck: settings.bottleneck };
  const blocks = compareBlocks(input);
  return { input, blocks, summary: summarizeBlocks(blocks) };
}

const VIEW_WIDTH = 640;
const MARGIN = 24;
const LABEL_HEIGHT = 18;
/** Node labels (channel counts) are drawn only while they fit. */
const MAX_LABELLED_NODES = 13;

function rowHeight(block: BlockCount): number {
  return block.kind === 'dense' ? 120 : block.kind === 'residual' ? 64 : 40;
}

/** Channels carried by node i (x₀ … x_L) of a block. */
function nodeChannels(block: BlockCount, node: number): number {
  return node === 0 ? block.layers[0].inputChannels : block.layers[node - 1].outputChannels;
}

/**
 * The three blocks as one SVG: nodes x₀ … x_L on a line, an arc for every input a layer reads
 * (solid) and every identity shortcut (dashed), so the kinds differ by shape, not colour alone.
 */
export function diagramSVG(snapshot: BlockSnapshot, titleId: string): string {
  const parts: string[] = [];
  let top = 0;
  for (const block of snapshot.blocks) {
    const diagram = diagramOf(block.kind, block.layers.length);
    const height = rowHeight(block);
    const base = top + LABEL_HEIGHT + height - 22;
    const step = (VIEW_WIDTH - 2 * MARGIN) / Math.max(1, diagram.nodes - 1);
    const x = (node: number) => MARGIN + node * step;
    parts.push(`<text class="db-row-label" x="${MARGIN}" y="${top + 13}">${KIND_LABELS[block.kind]}: ${block.parameters.toLocaleString('en-US')} weights, ${block.connections} connections</text>`);
    const rise = (height - 30) / Math.max(1, diagram.nodes - 1);
    for (const edge of diagram.edges) {
      const span = edge.to - edge.from;
      const lift = edge.shortcut ? 22 : span === 1 ? 0 : 8 + rise * span;
      const x1 = x(edge.from).toFixed(1);
      const x2 = x(edge.to).toFixed(1);
      const mid = ((x(edge.from) + x(edge.to)) / 2).toFixed(1);
      const path = lift === 0 ? `M${x1},${base} L${x2},${base}` : `M${x1},${base} Q${mid},${(base - 2 * lift).toFixed(1)} ${x2},${base}`;
      parts.push(`<path class="db-edge${edge.shortcut ? ' db-shortcut' : ''}" d="${path}"/>`);
    }
    for (let node = 0; node < diagram.nodes; node++) {
      parts.push(`<circle class="db-node" cx="${x(node).toFixed(1)}" cy="${base}" r="5"/>`);
      if (diagram.nodes <= MAX_LABELLED_NODES) parts.push(`<text class="db-node-label" x="${x(node).toFixed(1)}" y="${base + 18}" text-anchor="middle">${nodeChannels(block, node)}</text>`);
    }
    top += LABEL_HEIGHT + height;
  }
  const label = `Diagram of the three blocks. ${snapshot.summary}`;
  return `<svg class="db-diagram" viewBox="0 0 ${VIEW_WIDTH} ${top}" role="img" aria-labelledby="${titleId}"><title id="${titleId}">${label}</title>${parts.join('')}</svg>`;
}
