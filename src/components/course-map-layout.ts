/**
 * Lays out the prerequisite graph of the chapters for the course map, at build time.
 * Each chapter sits in the row after its deepest prerequisite; rows are centred. Edges implied by
 * other edges (A→C when A→B→C) are left out so the picture shows the direct dependencies only.
 */
export interface MapNodeInput {
  slug: string;
  chapter: number;
  prerequisites: string[];
}

export interface MapNode {
  slug: string;
  row: number;
  x: number;
  y: number;
}

export interface MapEdge {
  from: string;
  to: string;
  path: string;
}

export interface CourseMapLayout {
  width: number;
  height: number;
  nodeWidth: number;
  nodeHeight: number;
  nodes: MapNode[];
  edges: MapEdge[];
}

const NODE_WIDTH = 230;
const NODE_HEIGHT = 84;
const GAP_X = 28;
const GAP_Y = 44;
const PADDING = 8;

export function layoutCourseMap(inputs: MapNodeInput[]): CourseMapLayout {
  const bySlug = new Map(inputs.map((node) => [node.slug, node]));
  // Only edges between chapters that exist.
  const prerequisitesOf = new Map(
    inputs.map((node) => [node.slug, node.prerequisites.filter((slug) => bySlug.has(slug) && slug !== node.slug)]),
  );

  const rowOf = new Map<string, number>();
  const visiting = new Set<string>();
  const rowFor = (slug: string): number => {
    const known = rowOf.get(slug);
    if (known !== undefined) return known;
    if (visiting.has(slug)) throw new Error(`Chapter prerequisites form a cycle through "${slug}".`);
    visiting.add(slug);
    const prerequisites = prerequisitesOf.get(slug) ?? [];
    const row = prerequisites.length === 0 ? 0 : 1 + Math.max(...prerequisites.map(rowFor));
    visiting.delete(slug);
    rowOf.set(slug, row);
    return row;
  };
  for (const node of inputs) rowFor(node.slug);

  // Ancestors, to drop edges already implied by a longer path.
  const ancestorsOf = new Map<string, Set<string>>();
  const ancestors = (slug: string): Set<string> => {
    const known = ancestorsOf.get(slug);
    if (known) return known;
    const result = new Set<string>();
    for (const prerequisite of prerequisitesOf.get(slug) ?? []) {
      result.add(prerequisite);
      for (const ancestor of ancestors(prerequisite)) result.add(ancestor);
    }
    ancestorsOf.set(slug, result);
    return result;
  };

  const rows: MapNodeInput[][] = [];
  for (const node of [...inputs].sort((a, b) => a.chapter - b.chapter)) {
    const row = rowOf.get(node.slug) ?? 0;
    (rows[row] ??= []).push(node);
  }
  const widest = Math.max(1, ...rows.map((row) => row?.length ?? 0));
  const width = PADDING * 2 + widest * NODE_WIDTH + (widest - 1) * GAP_X;
  const height = PADDING * 2 + rows.length * NODE_HEIGHT + Math.max(0, rows.length - 1) * GAP_Y;

  const nodes: MapNode[] = [];
  rows.forEach((row, rowIndex) => {
    if (!row) return;
    const rowWidth = row.length * NODE_WIDTH + (row.length - 1) * GAP_X;
    const startX = (width - rowWidth) / 2;
    row.forEach((node, index) => {
      nodes.push({
        slug: node.slug,
        row: rowIndex,
        x: startX + index * (NODE_WIDTH + GAP_X),
        y: PADDING + rowIndex * (NODE_HEIGHT + GAP_Y),
      });
    });
  });

  const position = new Map(nodes.map((node) => [node.slug, node]));
  const edges: MapEdge[] = [];
  for (const node of inputs) {
    const direct = prerequisitesOf.get(node.slug) ?? [];
    for (const from of direct) {
      const impliedByAnother = direct.some((other) => other !== from && ancestors(other).has(from));
      if (impliedByAnother) continue;
      const start = position.get(from);
      const end = position.get(node.slug);
      if (!start || !end) continue;
      const x1 = start.x + NODE_WIDTH / 2;
      const y1 = start.y + NODE_HEIGHT;
      const x2 = end.x + NODE_WIDTH / 2;
      const y2 = end.y - 6; // leave room for the arrow head
      const bend = (y2 - y1) / 2;
      edges.push({ from, to: node.slug, path: `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}` });
    }
  }

  return { width, height, nodeWidth: NODE_WIDTH, nodeHeight: NODE_HEIGHT, nodes, edges };
}
