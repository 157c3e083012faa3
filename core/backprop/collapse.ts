/**
 * Large graphs (more than 40 nodes) fold repeated structure into one node
 * marked ×k, for a view that stays readable. Two patterns:
 *
 * - **Repeated terms**: a chain of `+` (or `*`) whose operands include k ≥ 3
 *   subgraphs of the same shape (`w1*x1 + w2*x2 + … + wk*xk`): the chain
 *   becomes one Σ (or Π) node and the k terms one node `×k`.
 * - **Repeated layers**: along a spine (a path where each node is used only
 *   by the next), a block of p ≤ 6 operations repeated k ≥ 3 times
 *   (`h = f(w*h + b)` written out layer after layer) becomes one node ×k.
 *
 * "Same shape" is a structural hash: the operation and the hashes of the
 * inputs, with every input leaf alike and every constant alike, so
 * `w1*x1` and `w2*x2` match. A folded node lists its members (original node
 * ids), so a click can still reach the source. Loops only, no recursion.
 */
import type { Graph } from './graph';

export const COLLAPSE_THRESHOLD = 40;

export interface ViewNode {
  id: number;
  /** Original node ids shown by this node (one for an unfolded node). */
  members: number[];
  /** How many repetitions were folded (1 for an unfolded node). */
  count: number;
  label: string;
  kind: 'node' | 'terms' | 'chain' | 'layers';
  /** Input view ids. */
  inputs: number[];
}

export interface CollapsedView {
  nodes: ViewNode[];
  /** The view node of each original node. */
  viewOf: number[];
}

function shapeHashes(g: Graph): number[] {
  const intern = new Map<string, number>();
  const h = new Array<number>(g.nodes.length).fill(0);
  for (const n of g.nodes) {
    const key = n.op === 'input' ? 'in' : n.op === 'const' ? 'c' : `${n.op}${n.scalars ? `[${n.scalars.join(',')}]` : ''}(${n.inputs.map((i) => h[i]).join(',')})`;
    let id = intern.get(key);
    if (id === undefined) intern.set(key, (id = intern.size));
    h[n.id] = id;
  }
  return h;
}

/** Fold repeated structure; returns undefined when nothing repeats (or the graph is small). */
export function collapseGraph(g: Graph, threshold = COLLAPSE_THRESHOLD): CollapsedView | undefined {
  const N = g.nodes.length;
  if (N <= threshold) return undefined;
  const hash = shapeHashes(g);
  const consumers: number[][] = Array.from({ length: N }, () => []);
  for (const n of g.nodes) for (const i of n.inputs) consumers[i]!.push(n.id);
  const group = new Array<number>(N).fill(-1);
  const groups: { members: number[]; count: number; label: string; kind: ViewNode['kind'] }[] = [];
  const single = (v: number) => consumers[v]!.length === 1 && v !== g.output;

  /** The op nodes (and leaves) used only inside the subgraph rooted at `root`. */
  const privateSet = (root: number): number[] => {
    const out = [root];
    const inside = new Set([root]);
    for (let k = 0; k < out.length; k++) {
      for (const i of g.nodes[out[k]!]!.inputs) {
        if (inside.has(i) || group[i]! >= 0) continue;
        if (consumers[i]!.every((c) => inside.has(c))) {
          inside.add(i);
          out.push(i);
        }
      }
    }
    return out;
  };
  const claim = (members: number[], count: number, label: string, kind: ViewNode['kind']) => {
    const id = groups.length;
    for (const m of members) group[m] = id;
    groups.push({ members, count, label, kind });
  };

  // Repeated terms of a + or * chain, from the top of each chain.
  for (let top = N - 1; top >= 0; top--) {
    const n = g.nodes[top]!;
    if ((n.op !== 'add' && n.op !== 'mul') || group[top]! >= 0) continue;
    const parent = consumers[top]!.length === 1 ? g.nodes[consumers[top]![0]!]! : undefined;
    if (parent && parent.op === n.op && top !== g.output) continue; // not the top of its chain
    const chain: number[] = [];
    const terms: number[] = [];
    const stack = [top];
    while (stack.length) {
      const v = stack.pop()!;
      chain.push(v);
      for (const i of [...g.nodes[v]!.inputs].reverse()) {
        const m = g.nodes[i]!;
        if (m.op === n.op && single(i) && group[i]! < 0) stack.push(i);
        else terms.push(i);
      }
    }
    if (terms.length < 3) continue;
    const byHash = new Map<number, number[]>();
    for (const t of terms) {
      if (g.nodes[t]!.op === 'input' || g.nodes[t]!.op === 'const' || !single(t) || group[t]! >= 0) continue;
      const list = byHash.get(hash[t]!) ?? [];
      list.push(t);
      byHash.set(hash[t]!, list);
    }
    let folded = false;
    for (const list of byHash.values()) {
      if (list.length < 3) continue;
      list.sort((a, b) => a - b);
      const members: number[] = [];
      for (const t of list) members.push(...privateSet(t));
      claim(members, list.length, `${g.nodes[list[0]!]!.label}  ×${list.length}`, 'terms');
      folded = true;
    }
    if (folded && chain.length > 1) claim(chain, chain.length, `${n.op === 'add' ? 'Σ' : 'Π'} (${chain.length} ${n.op === 'add' ? '+' : '*'})`, 'chain');
  }

  // Repeated layers along spines.
  const next = (v: number): number | undefined => (single(v) ? consumers[v]![0] : undefined);
  const visited = new Array<boolean>(N).fill(false);
  for (let start = 0; start < N; start++) {
    if (visited[start] || g.nodes[start]!.op === 'input' || g.nodes[start]!.op === 'const') continue;
    const spine: number[] = [];
    for (let v: number | undefined = start; v !== undefined && !visited[v] && group[v]! < 0; v = next(v)) {
      visited[v] = true;
      spine.push(v);
    }
    if (spine.length < 6) continue;
    // A node's signature along the spine: its op and the shapes of its other inputs.
    const sig = spine.map((v, k) => {
      const prev = spine[k - 1];
      const others = g.nodes[v]!.inputs.map((i) => (i === prev ? '^' : String(hash[i]))).join(',');
      return `${g.nodes[v]!.op}(${others})`;
    });
    let k = 0;
    while (k < spine.length) {
      let best: { p: number; reps: number } | undefined;
      for (let p = 1; p <= 6; p++) {
        let reps = 1;
        while (k + (reps + 1) * p <= spine.length) {
          let same = true;
          for (let j = 0; j < p && same; j++) same = sig[k + reps * p + j] === sig[k + j];
          if (!same) break;
          reps++;
        }
        if (reps >= 3 && (!best || reps * p > best.reps * best.p)) best = { p, reps };
      }
      if (!best) {
        k++;
        continue;
      }
      const block = spine.slice(k, k + best.p * best.reps);
      const members: number[] = [];
      for (const v of block) {
        members.push(v);
        for (const i of g.nodes[v]!.inputs) {
          if (block.includes(i) || group[i]! >= 0 || members.includes(i)) continue;
          if (consumers[i]!.length === 1 && g.nodes[i]!.op !== 'input') members.push(...privateSet(i));
        }
      }
      const unit = spine.slice(k, k + best.p).map((v) => g.nodes[v]!.op).join(' → ');
      claim(members, best.reps, `${unit}  ×${best.reps}`, 'layers');
      k += best.p * best.reps;
    }
  }
  if (!groups.length) return undefined;

  // The view: groups and the remaining nodes, in a topological order (Kahn).
  const key = (v: number) => (group[v]! >= 0 ? -1 - group[v]! : v);
  const keys = new Map<number, number>();
  const order: number[] = [];
  for (let v = 0; v < N; v++) {
    const k = key(v);
    if (!keys.has(k)) {
      keys.set(k, order.length);
      order.push(k);
    }
  }
  const M = order.length;
  const ins: Set<number>[] = Array.from({ length: M }, () => new Set());
  for (const n of g.nodes) {
    const t = keys.get(key(n.id))!;
    for (const i of n.inputs) {
      const s = keys.get(key(i))!;
      if (s !== t) ins[t]!.add(s);
    }
  }
  const outs: number[][] = Array.from({ length: M }, () => []);
  const indeg = new Array<number>(M).fill(0);
  ins.forEach((set, t) => {
    for (const s of set) {
      outs[s]!.push(t);
      indeg[t]!++;
    }
  });
  const queue: number[] = [];
  for (let t = 0; t < M; t++) if (indeg[t] === 0) queue.push(t);
  const topo: number[] = [];
  for (let q = 0; q < queue.length; q++) {
    const t = queue[q]!;
    topo.push(t);
    for (const u of outs[t]!) if (--indeg[u]! === 0) queue.push(u);
  }
  if (topo.length !== M) return undefined; // a cycle: folding would mislead, show the full graph
  const viewId = new Array<number>(M).fill(0);
  topo.forEach((t, i) => (viewId[t] = i));
  const nodes: ViewNode[] = topo.map((t, i) => {
    const k = order[t]!;
    const ids = [...ins[t]!].map((s) => viewId[s]!).sort((a, b) => a - b);
    if (k >= 0) return { id: i, members: [k], count: 1, label: g.nodes[k]!.label, kind: 'node', inputs: ids };
    const gr = groups[-1 - k]!;
    return { id: i, members: [...gr.members].sort((a, b) => a - b), count: gr.count, label: gr.label, kind: gr.kind, inputs: ids };
  });
  const viewOf = new Array<number>(N).fill(0);
  for (let v = 0; v < N; v++) viewOf[v] = viewId[keys.get(key(v))!]!;
  return { nodes, viewOf };
}
