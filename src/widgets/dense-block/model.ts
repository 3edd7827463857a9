/**
 * From the dense-block widget's settings to what it shows: the three blocks' counts, the summary
 * and the diagram as SVG markup (the same string on the server and in the page). Pure.
 */
import type { SettingsValues } from '../../engine/types';
import { resolveSettings } from '../../engine/settings';
import { compareBlocks, diagramOf, KIND_LABELS, summarizeBlocks, type BlockCount, type BlockInput } from './math';
import { denseBlockSettings } from './settings';
import type { ExportedSVG } from '../../charts/chart-frame';

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

/** Concrete colours for a diagram that leaves the page (a download), where the page's CSS does not apply. */
export interface DiagramColours {
  text: string;
  edge: string;
  shortcut: string;
  background: string;
}

/** The diagram's height in view-box units for a snapshot (three labelled rows). */
function diagramHeight(snapshot: BlockSnapshot): number {
  return snapshot.blocks.reduce((sum, block) => sum + LABEL_HEIGHT + rowHeight(block), 0);
}

/** The rows' labels, arcs and nodes; with `colours`, each carries its colour as attributes. */
function diagramParts(snapshot: BlockSnapshot, colours?: DiagramColours): string {
  const paint = (fill: string | undefined, stroke?: string) => (colours ? `${fill ? ` fill="${fill}"` : ' fill="none"'}${stroke ? ` stroke="${stroke}"` : ''}` : '');
  const dash = colours ? ' stroke-dasharray="5 3"' : '';
  const parts: string[] = [];
  let top = 0;
  for (const block of snapshot.blocks) {
    const diagram = diagramOf(block.kind, block.layers.length);
    const height = rowHeight(block);
    const base = top + LABEL_HEIGHT + height - 22;
    const step = (VIEW_WIDTH - 2 * MARGIN) / Math.max(1, diagram.nodes - 1);
    const x = (node: number) => MARGIN + node * step;
    parts.push(`<text class="db-row-label" x="${MARGIN}" y="${top + 13}"${paint(colours?.text)}>${KIND_LABELS[block.kind]}: ${block.parameters.toLocaleString('en-US')} weights, ${block.connections} connections</text>`);
    const rise = (height - 30) / Math.max(1, diagram.nodes - 1);
    for (const edge of diagram.edges) {
      const span = edge.to - edge.from;
      const lift = edge.shortcut ? 22 : span === 1 ? 0 : 8 + rise * span;
      const x1 = x(edge.from).toFixed(1);
      const x2 = x(edge.to).toFixed(1);
      const mid = ((x(edge.from) + x(edge.to)) / 2).toFixed(1);
      const path = lift === 0 ? `M${x1},${base} L${x2},${base}` : `M${x1},${base} Q${mid},${(base - 2 * lift).toFixed(1)} ${x2},${base}`;
      const style = edge.shortcut ? `${paint(undefined, colours?.shortcut)}${dash}` : paint(undefined, colours?.edge);
      parts.push(`<path class="db-edge${edge.shortcut ? ' db-shortcut' : ''}" d="${path}"${style}/>`);
    }
    for (let node = 0; node < diagram.nodes; node++) {
      parts.push(`<circle class="db-node" cx="${x(node).toFixed(1)}" cy="${base}" r="5"${paint(colours?.text)}/>`);
      if (diagram.nodes <= MAX_LABELLED_NODES) parts.push(`<text class="db-node-label" x="${x(node).toFixed(1)}" y="${base + 18}" text-anchor="middle"${paint(colours?.text)}>${nodeChannels(block, node)}</text>`);
    }
    top += LABEL_HEIGHT + height;
  }
  return parts.join('');
}

/**
 * The three blocks as one SVG for the page (coloured by its CSS): nodes x₀ … x_L on a line, an
 * arc for every input a layer reads (solid) and every identity shortcut (dashed), so the kinds
 * differ by shape, not colour alone.
 */
export function diagramSVG(snapshot: BlockSnapshot, titleId: string): string {
  const label = `Diagram of the three blocks. ${snapshot.summary}`;
  return `<svg class="db-diagram" viewBox="0 0 ${VIEW_WIDTH} ${diagramHeight(snapshot)}" role="img" aria-labelledby="${titleId}"><title id="${titleId}">${label}</title>${diagramParts(snapshot)}</svg>`;
}

/** The same diagram as a standalone file (a download): colours as attributes, a background, an optional heading. */
export function diagramSVGFile(snapshot: BlockSnapshot, colours: DiagramColours, heading?: string): ExportedSVG {
  const headingHeight = heading ? 24 : 0;
  const height = diagramHeight(snapshot) + headingHeight;
  const title = heading ? `<text x="${MARGIN}" y="-8" font-weight="600" fill="${colours.text}">${heading}</text>` : '';
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${VIEW_WIDTH}" height="${height}" viewBox="0 ${-headingHeight} ${VIEW_WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">` +
    `<rect x="0" y="${-headingHeight}" width="${VIEW_WIDTH}" height="${height}" fill="${colours.background}"/>${title}${diagramParts(snapshot, colours)}</svg>`;
  return { svg, width: VIEW_WIDTH, height };
}

/** One row per block, for the CSV and JSON downloads. */
export function blockRows(snapshot: BlockSnapshot): Record<string, string | number>[] {
  return snapshot.blocks.map((block) => ({
    block: block.kind,
    width: block.width,
    layers: block.layers.length,
    parameters: block.parameters,
    connections: block.connections,
    outputChannels: block.outputChannels,
    storedChannels: block.storedChannels,
  }));
}
