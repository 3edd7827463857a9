/**
 * Geometry of the stepper's SVG graph, shared by the server markup and the custom element (which
 * moves the output nodes when the reader switches between a linear and a sigmoid output).
 * Pure data: no DOM.
 */
import type { DiagramPart } from './math';
import type { OutputActivation } from './types';

export const VIEW_WIDTH = 770;
export const VIEW_HEIGHT = 300;
export const NODE_WIDTH = 84;
export const NODE_HEIGHT = 62;

export type NodeId = 'x1' | 'x2' | 'z1' | 'h1' | 'z2' | 'h2' | 'z3' | 'yHat' | 'loss' | 'y';
export type EdgeId = Extract<DiagramPart, `e-${string}`>;
export type BiasId = 'b1' | 'b2' | 'b3';

export interface Point {
  x: number;
  y: number;
}

export interface NodeShape {
  id: NodeId;
  /** Name drawn in the node. */
  label: string;
  /** Inputs and the target carry a value only; inner nodes also a gradient. */
  kind: 'given' | 'inner' | 'loss';
}

export const NODES: readonly NodeShape[] = [
  { id: 'x1', label: 'x1', kind: 'given' },
  { id: 'x2', label: 'x2', kind: 'given' },
  { id: 'z1', label: 'z1', kind: 'inner' },
  { id: 'h1', label: 'h1', kind: 'inner' },
  { id: 'z2', label: 'z2', kind: 'inner' },
  { id: 'h2', label: 'h2', kind: 'inner' },
  { id: 'z3', label: 'z3', kind: 'inner' },
  { id: 'yHat', label: 'ŷ', kind: 'inner' },
  { id: 'loss', label: 'L', kind: 'loss' },
  { id: 'y', label: 'y (target)', kind: 'given' },
];

/** Edges: source, target and, for weights, the parameter drawn on them. */
export const EDGES: readonly { id: EdgeId; from: NodeId; to: NodeId | 'out'; weight?: string }[] = [
  { id: 'e-w1', from: 'x1', to: 'z1', weight: 'w1' },
  { id: 'e-w2', from: 'x2', to: 'z1', weight: 'w2' },
  { id: 'e-w3', from: 'x1', to: 'z2', weight: 'w3' },
  { id: 'e-w4', from: 'x2', to: 'z2', weight: 'w4' },
  { id: 'e-act1', from: 'z1', to: 'h1' },
  { id: 'e-act2', from: 'z2', to: 'h2' },
  // 'out' is z3 with a sigmoid output and ŷ with a linear one.
  { id: 'e-w5', from: 'h1', to: 'out', weight: 'w5' },
  { id: 'e-w6', from: 'h2', to: 'out', weight: 'w6' },
  { id: 'e-out', from: 'z3', to: 'yHat' },
  { id: 'e-loss', from: 'yHat', to: 'loss' },
  { id: 'e-y', from: 'y', to: 'loss' },
];

export const BIASES: readonly { id: BiasId; node: NodeId | 'out' }[] = [
  { id: 'b1', node: 'z1' },
  { id: 'b2', node: 'z2' },
  { id: 'b3', node: 'out' },
];

export interface Layout {
  nodes: Record<NodeId, Point>;
  /** Whether z3 (and its edge to ŷ) is drawn: only with a sigmoid output. */
  showZ3: boolean;
  edges: Record<EdgeId, { from: Point; to: Point; label?: Point }>;
  biases: Record<BiasId, Point>;
}

const TOP = 72;
const BOTTOM = 228;
const MIDDLE = 150;

export function layout(output: OutputActivation): Layout {
  const sigmoidOut = output === 'sigmoid';
  const nodes: Record<NodeId, Point> = {
    x1: { x: 48, y: TOP },
    x2: { x: 48, y: BOTTOM },
    z1: { x: 232, y: TOP },
    h1: { x: 352, y: TOP },
    z2: { x: 232, y: BOTTOM },
    h2: { x: 352, y: BOTTOM },
    z3: { x: 512, y: MIDDLE },
    yHat: { x: sigmoidOut ? 622 : 532, y: MIDDLE },
    loss: { x: sigmoidOut ? 722 : 672, y: MIDDLE },
    y: { x: sigmoidOut ? 722 : 672, y: 256 },
  };
  const out = sigmoidOut ? nodes.z3 : nodes.yHat;
  const half = NODE_WIDTH / 2;
  const right = (p: Point): Point => ({ x: p.x + half, y: p.y });
  const left = (p: Point): Point => ({ x: p.x - half, y: p.y });
  const along = (a: Point, b: Point, t: number, dy: number): Point => ({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t + dy });

  const edges = {} as Layout['edges'];
  for (const edge of EDGES) {
    const target = edge.to === 'out' ? out : nodes[edge.to];
    const from = edge.id === 'e-y' ? { x: nodes.y.x, y: nodes.y.y - NODE_HEIGHT / 2 } : right(nodes[edge.from]);
    const to = edge.id === 'e-y' ? { x: target.x, y: target.y + NODE_HEIGHT / 2 } : left(target);
    edges[edge.id] = { from, to };
  }
  // Weight labels sit near the source end, where the crossing edges are still apart.
  edges['e-w1'].label = along(edges['e-w1'].from, edges['e-w1'].to, 0.5, -9);
  edges['e-w4'].label = along(edges['e-w4'].from, edges['e-w4'].to, 0.5, 20);
  edges['e-w3'].label = along(edges['e-w3'].from, edges['e-w3'].to, 0.3, -2);
  edges['e-w2'].label = along(edges['e-w2'].from, edges['e-w2'].to, 0.3, 12);
  edges['e-w5'].label = along(edges['e-w5'].from, edges['e-w5'].to, 0.5, -10);
  edges['e-w6'].label = along(edges['e-w6'].from, edges['e-w6'].to, 0.5, 22);

  const biases: Record<BiasId, Point> = {
    b1: { x: nodes.z1.x, y: TOP - NODE_HEIGHT / 2 - 10 },
    b2: { x: nodes.z2.x, y: BOTTOM + NODE_HEIGHT / 2 + 22 },
    b3: { x: out.x, y: MIDDLE - NODE_HEIGHT / 2 - 10 },
  };
  return { nodes, showZ3: sigmoidOut, edges, biases };
}
