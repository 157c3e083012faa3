/**
 * Shapes assumed for names that have none declared, when the expression only
 * makes sense over arrays: `-np.sum(y*np.log(p))`, `(0.5*(y_true - y_pred)**2).mean()`,
 * `np.exp(x)/np.sum(np.exp(x))`. A course writes these over vectors; read
 * with every undeclared name a scalar, the sum is of one number.
 *
 * The rule (the first reading is with the declared shapes, undeclared names scalars):
 * - a name under a reduction (`np.sum`, `np.mean`, `.sum()`, `.mean()`, `np.max`,
 *   `logsumexp`, `np.linalg.norm`, `softmax`) whose argument is a scalar in that reading
 *   becomes a vector; every other undeclared name stays a scalar (`0.5`, `lam` outside
 *   the sums). When a declared array already gives the reduction something to reduce,
 *   nothing is assumed.
 * - names combined elementwise (`y * np.log(p)`) share one symbolic length; names that
 *   are never combined get distinct ones (`np.sum(a**2) + np.sum(b)`: (n,) and (m,)), so no
 *   two sizes are taken equal without a reason.
 * - `@` between undeclared names is never guessed: the parser says which shapes to declare.
 * The caller parses again with the assumed shapes, so every shape rule still checks the result,
 * and the result's notes list every assumption and how to declare other shapes.
 */
import type { Node } from './ast';
import type { Shape } from './shapes';

const REDUCTIONS = new Set<Node['k']>(['sum', 'max', 'logsumexp', 'norm']);

/** Size names, in order of use (a name used by the text or by a declared shape is skipped). */
const SIZE_NAMES = ['n', 'm', 'k', 'l', 'q', 'r', 's'];

export interface Assumption {
  /** the assumed shapes: one symbolic length per group of names combined elementwise */
  shapes: Map<string, Shape>;
  /** the note that lists the assumption and how to declare other shapes */
  note: string;
}

/** Nodes of a DAG in post-order (children first), iteratively. */
function postOrder(root: Node): Node[] {
  const out: Node[] = [];
  const seen = new Set<Node>();
  const stack: [Node, boolean][] = [[root, false]];
  while (stack.length) {
    const [n, done] = stack.pop()!;
    if (done) { out.push(n); continue; }
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push([n, true]);
    for (let i = n.args.length - 1; i >= 0; i--) if (!seen.has(n.args[i]!)) stack.push([n.args[i]!, false]);
  }
  return out;
}

/**
 * The vectors to assume in `first` (the reading with undeclared names scalars), or undefined when
 * nothing needs one. `undeclared` is in order of first appearance; `taken` holds the identifiers of
 * the text and the declared sizes, which an assumed size never reuses.
 */
export function assumeVectors(first: Node, undeclared: readonly string[], taken: ReadonlySet<string>, tick: () => void = () => {}): Assumption | undefined {
  const free = new Set(undeclared);
  const nodes = postOrder(first);
  // 1. names under a reduction of a scalar
  const vectors = new Set<string>();
  const under = new Set<Node>();
  const stack = nodes.filter((n) => REDUCTIONS.has(n.k) && n.args[0]!.shape.length === 0).map((n) => n.args[0]!);
  while (stack.length) {
    const m = stack.pop()!;
    if (under.has(m)) continue;
    under.add(m);
    tick();
    if (m.k === 'var' && free.has(m.name!)) vectors.add(m.name!);
    for (const a of m.args) if (!under.has(a)) stack.push(a);
  }
  if (!vectors.size) return undefined;
  // 2. groups of names combined elementwise (union-find); a reduction ends its operand's group
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    while (parent.get(x) !== r) { const nx = parent.get(x)!; parent.set(x, r); x = nx; }
    return r;
  };
  for (const v of vectors) parent.set(v, v);
  const group = new Map<Node, string | undefined>();
  for (const n of nodes) {
    tick();
    if (n.k === 'var') { group.set(n, vectors.has(n.name!) ? n.name! : undefined); continue; }
    const gs = n.args.map((a) => group.get(a)).filter((g): g is string => g !== undefined);
    for (const g of gs.slice(1)) { const a = find(gs[0]!), b = find(g); if (a !== b) parent.set(b, a); }
    const reduced = REDUCTIONS.has(n.k) && (n.axis === undefined || n.axis === null);
    group.set(n, reduced || !gs.length ? undefined : find(gs[0]!));
  }
  // 3. one size per group, in order of first appearance
  const sizeOf = new Map<string, string>();
  const names = SIZE_NAMES.filter((s) => !taken.has(s));
  for (let i = 1; names.length < vectors.size; i++) if (!taken.has(`n${i}`)) names.push(`n${i}`);
  const shapes = new Map<string, Shape>();
  const byGroup = new Map<string, string[]>();
  for (const v of undeclared) {
    if (!vectors.has(v)) continue;
    const root = find(v);
    if (!sizeOf.has(root)) sizeOf.set(root, names[sizeOf.size]!);
    shapes.set(v, [sizeOf.get(root)!]);
    byGroup.set(root, [...(byGroup.get(root) ?? []), v]);
  }
  const groups = [...byGroup.values()];
  const list = groups.map((g) => `${g.join(', ')}: (${shapes.get(g[0]!)![0]},)`).join('; ');
  const one = groups.length === 1 && groups[0]!.length > 1 ? ' of one length' : groups.length > 1 ? ' (names never combined elementwise get separate lengths)' : '';
  const decl = [...shapes].map(([n, s]) => `${n}: (${s[0]},)`).join(', ');
  const note = `No shape declared: assumed vectors${one}, since they are summed or averaged: ${list}`
    + '.'
    + ` To declare other shapes, write a comment on the lines above, such as # ${decl} (a matrix: (n, d); a scalar: ()).`;
  return { shapes, note };
}
