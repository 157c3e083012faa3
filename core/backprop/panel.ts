/**
 * What the backprop panel is sent: the engine's result with every large array
 * replaced by the entries the panel can show.
 *
 * The panel shows an array as a grid of at most 6 × 6 cells: along an axis
 * longer than 6, the indices 0, 1, 2, then a gap, then n − 2 and n − 1 (the
 * webview's `gridOf`). A 1000 × 100 batch would otherwise send every value and
 * gradient of every node and edge: 72 MB of JSON for a two-layer network, and
 * up to about a gigabyte within the engine's element limits. So an array of
 * more than `max` entries is cut to exactly those indices along each long axis
 * (its node, leaf or edge keeps the true shape), and the result says so in
 * `sampled` and in a note. The CLI prints the full result.
 */
import type { Numeric } from './tensor';
import type { BackpropSuccess } from './types';

/** Arrays with more entries than this are sampled (a 32 × 32 matrix is sent whole). */
export const PANEL_MAX_ENTRIES = 1024;
/** The indices kept along an axis longer than SHOWN: the first HEAD and the last TAIL. */
const SHOWN = 6;
const HEAD = 3;
const TAIL = 2;

/** The indices the panel shows along an axis of length n. */
export function shownIndices(n: number): number[] {
  if (n <= SHOWN) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: HEAD }, (_, i) => i), ...Array.from({ length: TAIL }, (_, i) => n - TAIL + i)];
}

function count(v: Numeric): number {
  if (typeof v === 'number') return 1;
  let n = 0;
  const stack: Numeric[] = [v];
  while (stack.length) {
    const x = stack.pop()!;
    if (typeof x === 'number') n++;
    else for (const y of x) stack.push(y);
  }
  return n;
}

/** The shown entries of an array (every axis cut to `shownIndices`); a number or a small array unchanged. */
export function sampleArray(v: Numeric, max = PANEL_MAX_ENTRIES): Numeric {
  if (typeof v === 'number' || count(v) <= max) return v;
  const cut = (x: Numeric): Numeric => (typeof x === 'number' ? x : shownIndices(x.length).map((i) => cut(x[i]!)));
  return cut(v);
}

const sampleOrNull = <T extends Numeric | null>(v: T, max: number): T => (v === null ? v : (sampleArray(v, max) as T));

/** The result for the panel: large arrays sampled (see the module comment). */
export function forPanel(r: BackpropSuccess, max = PANEL_MAX_ENTRIES): BackpropSuccess {
  let sampled = false;
  const s = <T extends Numeric | null>(v: T): T => {
    const out = sampleOrNull(v, max);
    if (out !== v) sampled = true;
    return out;
  };
  const nodes = r.nodes.map((n) => (n.shape ? { ...n, value: s(n.value), grad: s(n.grad) } : n));
  const leaves = r.leaves.map((l) => (l.shape ? { ...l, value: s(l.value), grad: s(l.grad) } : l));
  const edges = r.edges.map((e) =>
    typeof e.upstream === 'number' && typeof e.product === 'number' ? e : { ...e, upstream: s(e.upstream as Numeric | null), product: s(e.product as Numeric | null) },
  );
  if (!sampled) return r;
  return {
    ...r,
    nodes,
    leaves,
    edges,
    sampled: true,
    notes: [...r.notes, `Arrays of more than ${max} entries are shown by their corners (rows and columns 0–2 and the last two); the CLI (mathlens backprop --json) gives every entry.`],
  };
}
