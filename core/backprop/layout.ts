/**
 * Left-to-right layered layout of a DAG (the Sugiyama scheme):
 *
 * 1. layering by longest path from the sources, then each leaf moved right
 *    next to its first consumer (a constant `2` sits beside its `**`, not in
 *    the first column);
 * 2. edges that span a few layers get dummy points, one per layer crossed;
 *    an edge spanning more than SPAN_LIMIT layers (a weight shared by every
 *    step of a long chain, a skip connection) is drawn on a "bus" instead: a
 *    lane above the graph shared by all long edges of the same source, with a
 *    drop to each consumer. Dummies for those would grow with the square of
 *    the chain's length (a 200-step RNN-like chain: 120,000 dummies, 0.5 s)
 *    and only draw a fan of parallel lines;
 * 3. crossing reduction: barycentric ordering, alternating down and up
 *    sweeps (four of each); ties keep the previous order, so it is stable;
 * 4. coordinates: a layer's x is the sum of the widths of the layers before
 *    it plus a gap; y starts stacked and is then pulled a few times towards
 *    the mean of each node's neighbours, keeping order and spacing.
 *
 * Why our own rather than dagre or elkjs: the `dagre` package has not moved
 * past 0.8.5 (npm, checked for this change; the maintained line is the
 * `@dagrejs/dagre` fork) and elkjs is a large transpiled Java library; both
 * are more than this needs. The graph is already a DAG in
 * topological order, the engine must stay DOM-free and deterministic (the
 * same input gives the same picture, in tests as in the panel), and a
 * 5,000-deep chain must lay out in a few milliseconds without recursion.
 * Everything here is loops over arrays: no recursion.
 */

export interface LayoutInput {
  /** Input ids per node; ids are a topological order (inputs before the node). */
  inputs: readonly (readonly number[])[];
  /** Node labels (width grows with length). */
  labels: readonly string[];
}

export interface LayoutNode {
  x: number;
  y: number;
  width: number;
  height: number;
  layer: number;
}

export interface LayoutEdge {
  from: number;
  to: number;
  /** Polyline from the right side of `from` to the left side of `to`, through one point per layer crossed. */
  points: { x: number; y: number }[];
}

export interface Layout {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  width: number;
  height: number;
}

export const NODE_HEIGHT = 36;
const CHAR_WIDTH = 7.5;
const LAYER_GAP = 60;
const NODE_GAP = 18;
const DUMMY_GAP = 8;
/** Edges spanning more layers than this ride a bus above the graph (see 2. above). */
export const SPAN_LIMIT = 8;
/** Vertical distance between bus lanes, and from the top lane's lowest to the graph. */
const LANE_GAP = 14;
/** Where a bus edge leaves its source and drops to its target: this far into the gap between layers. */
const BUS_OFFSET = 10;

export function nodeWidth(label: string): number {
  return Math.round(Math.min(320, Math.max(44, label.length * CHAR_WIDTH + 24)));
}

export function layoutDag(input: LayoutInput): Layout {
  const N = input.inputs.length;
  const layer = new Array<number>(N).fill(0);
  const consumers: number[][] = Array.from({ length: N }, () => []);
  for (let v = 0; v < N; v++) {
    let l = 0;
    for (const u of input.inputs[v]!) {
      l = Math.max(l, layer[u]! + 1);
      consumers[u]!.push(v);
    }
    layer[v] = l;
  }
  // Leaves next to their first consumer.
  for (let v = 0; v < N; v++) {
    if (input.inputs[v]!.length || !consumers[v]!.length) continue;
    let m = Infinity;
    for (const c of consumers[v]!) m = Math.min(m, layer[c]!);
    layer[v] = m - 1;
  }
  let L = 0;
  for (let v = 0; v < N; v++) L = Math.max(L, layer[v]! + 1);

  // Virtual graph: real nodes 0..N-1, then dummies. Each virtual edge goes from layer l to l+1.
  const vLayer = layer.slice();
  const preds: number[][] = Array.from({ length: N }, () => []);
  const succs: number[][] = Array.from({ length: N }, () => []);
  const chains: { from: number; to: number; path: number[]; bus?: number }[] = [];
  const laneOf = new Map<number, number>();
  for (let v = 0; v < N; v++) {
    for (const u of input.inputs[v]!) {
      if (layer[v]! - layer[u]! > SPAN_LIMIT) {
        let lane = laneOf.get(u);
        if (lane === undefined) laneOf.set(u, (lane = laneOf.size));
        chains.push({ from: u, to: v, path: [u, v], bus: lane });
        continue;
      }
      const path = [u];
      let prev = u;
      for (let l = layer[u]! + 1; l < layer[v]!; l++) {
        const d = vLayer.length;
        vLayer.push(l);
        preds.push([prev]);
        succs.push([]);
        succs[prev]!.push(d);
        path.push(d);
        prev = d;
      }
      succs[prev]!.push(v);
      preds[v]!.push(prev);
      path.push(v);
      chains.push({ from: u, to: v, path });
    }
  }
  const V = vLayer.length;
  const layers: number[][] = Array.from({ length: L }, () => []);
  for (let v = 0; v < V; v++) layers[vLayer[v]!]!.push(v);
  const pos = new Array<number>(V).fill(0);
  const renumber = (l: number) => layers[l]!.forEach((v, i) => (pos[v] = i));
  for (let l = 0; l < L; l++) renumber(l);

  const sweep = (l: number, neighbours: number[][]) => {
    const row = layers[l]!;
    const key = new Map<number, number>();
    for (const v of row) {
      const ns = neighbours[v]!;
      if (!ns.length) key.set(v, pos[v]!);
      else {
        let s = 0;
        for (const u of ns) s += pos[u]!;
        key.set(v, s / ns.length);
      }
    }
    row.sort((a, b) => key.get(a)! - key.get(b)! || pos[a]! - pos[b]!);
    renumber(l);
  };
  for (let it = 0; it < 4; it++) {
    for (let l = 1; l < L; l++) sweep(l, preds);
    for (let l = L - 2; l >= 0; l--) sweep(l, succs);
  }

  // Coordinates.
  const width = new Array<number>(V).fill(0);
  const height = new Array<number>(V).fill(0);
  for (let v = 0; v < N; v++) {
    width[v] = nodeWidth(input.labels[v] ?? '');
    height[v] = NODE_HEIGHT;
  }
  const layerX = new Array<number>(L).fill(0);
  const layerW = new Array<number>(L).fill(0);
  for (let v = 0; v < V; v++) layerW[vLayer[v]!] = Math.max(layerW[vLayer[v]!]!, width[v]!);
  for (let l = 1; l < L; l++) layerX[l] = layerX[l - 1]! + layerW[l - 1]! + LAYER_GAP;
  const y = new Array<number>(V).fill(0);
  const gapAfter = (v: number) => (v < N ? NODE_GAP : DUMMY_GAP);
  for (const row of layers) {
    let acc = 0;
    for (const v of row) {
      y[v] = acc;
      acc += height[v]! + gapAfter(v);
    }
  }
  const centre = (v: number) => y[v]! + height[v]! / 2;
  const place = (row: number[], want: number[]) => {
    // Keep order and spacing: a forward pass pushing down, then a backward pass pulling up, then average.
    const n = row.length;
    const down = new Array<number>(n);
    const up = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      down[i] = i === 0 ? want[i]! : Math.max(want[i]!, down[i - 1]! + height[row[i - 1]!]! + gapAfter(row[i - 1]!));
    }
    for (let i = n - 1; i >= 0; i--) {
      up[i] = i === n - 1 ? want[i]! : Math.min(want[i]!, up[i + 1]! - height[row[i]!]! - gapAfter(row[i]!));
    }
    // The average of two feasible placements is feasible.
    for (let i = 0; i < n; i++) y[row[i]!] = (down[i]! + up[i]!) / 2;
  };
  for (let it = 0; it < 6; it++) {
    const downward = it % 2 === 0;
    for (let k = 0; k < L; k++) {
      const l = downward ? k : L - 1 - k;
      const row = layers[l]!;
      const want = row.map((v) => {
        const ns = [...preds[v]!, ...succs[v]!];
        if (!ns.length) return y[v]!;
        let s = 0;
        for (const u of ns) s += centre(u);
        return s / ns.length - height[v]! / 2;
      });
      place(row, want);
    }
  }
  let minY = Infinity;
  let maxY = -Infinity;
  for (let v = 0; v < V; v++) {
    minY = Math.min(minY, y[v]!);
    maxY = Math.max(maxY, y[v]! + height[v]!);
  }
  if (!Number.isFinite(minY)) minY = maxY = 0;
  const round = (x: number) => Math.round(x * 10) / 10;
  // Bus lanes above the graph: everything moves down to make room.
  const lanes = laneOf.size;
  if (lanes) minY -= lanes * LANE_GAP + LANE_GAP / 2;
  const laneY = (lane: number) => round((lanes - lane) * LANE_GAP - LANE_GAP / 2);
  const nodes: LayoutNode[] = [];
  for (let v = 0; v < N; v++) {
    nodes.push({ x: layerX[layer[v]!]!, y: round(y[v]! - minY), width: width[v]!, height: height[v]!, layer: layer[v]! });
  }
  const edges: LayoutEdge[] = chains.map(({ from, to, path, bus }) => {
    const points = [{ x: round(layerX[layer[from]!]! + width[from]!), y: round(centre(from) - minY) }];
    if (bus !== undefined) {
      const out = round(layerX[layer[from]!]! + layerW[layer[from]!]! + BUS_OFFSET);
      const into = round(layerX[layer[to]!]! - BUS_OFFSET);
      points.push({ x: out, y: points[0]!.y }, { x: out, y: laneY(bus) }, { x: into, y: laneY(bus) }, { x: into, y: round(centre(to) - minY) }, { x: round(layerX[layer[to]!]!), y: round(centre(to) - minY) });
      return { from, to, points };
    }
    for (let i = 1; i < path.length - 1; i++) {
      const d = path[i]!;
      points.push({ x: round(layerX[vLayer[d]!]! + layerW[vLayer[d]!]! / 2), y: round(y[d]! - minY) });
    }
    points.push({ x: round(layerX[layer[to]!]!), y: round(centre(to) - minY) });
    return { from, to, points };
  });
  const totalW = L ? layerX[L - 1]! + layerW[L - 1]! : 0;
  return { nodes, edges, width: totalW, height: round(maxY - minY) };
}
