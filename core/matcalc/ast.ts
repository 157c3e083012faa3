/**
 * The shaped tensor expression IR. Every node carries its shape (rank 0, 1
 * or 2, dims symbolic or concrete). Nodes are immutable; `mk` checks shapes
 * and throws ShapeError with both shapes named. Elementwise `add`/`mul`
 * broadcast as NumPy does; `mul` with a negative `pow` factor is division.
 * An elementwise function is an `fn` node holding its catalogue entry
 * (core/ops) and scalar parameters; `cmp` is a 0/1 comparison.
 */
import type { CmpOp, OpEntry } from '../ops';
import { broadcastAll, matmulShape, sameShape, ShapeError, showShape } from './shapes';
import type { Dim, Shape } from './shapes';

export type Kind =
  | 'var' | 'num' | 'const' | 'dim' | 'ones' | 'zero' | 'eye'
  | 'add' | 'mul' | 'pow' | 'matmul' | 'T' | 'fn' | 'cmp'
  | 'sum' | 'max' | 'expand' | 'outer'
  | 'trace' | 'det' | 'logdet' | 'inv' | 'norm'
  | 'softmax' | 'logsoftmax' | 'logsumexp' | 'xent' | 'onehot' | 'stack';

export interface Node {
  readonly k: Kind;
  readonly args: readonly Node[];
  readonly shape: Shape;
  /** var / dim name */
  readonly name?: string;
  /** num value, pow exponent, const value */
  readonly value?: number;
  /** fn: the catalogue entry applied elementwise to `args` */
  readonly op?: OpEntry;
  /** fn: the entry's scalar parameters (all of them, defaults filled in) */
  readonly params?: readonly number[];
  /** cmp: the comparison */
  readonly cmp?: CmpOp;
  /** reduction axis (null: all) */
  readonly axis?: number | null;
  readonly keepdims?: boolean;
  /** xent with index targets; norm 'fro' vs vector 2-norm is decided by rank */
  readonly index?: boolean;
  /** a variable declared one-hot: data whose last axis sums to 1 */
  readonly onehot?: boolean;
}

/**
 * Structural identity by hash-consing: equal trees get the same small id, in
 * time linear in the DAG (a string key would grow with the printed tree, which
 * is exponential when subexpressions are shared). Ids are per request
 * (`resetKeys`), so the table does not grow without bound.
 */
let table = { intern: new Map<string, number>(), ids: new WeakMap<Node, number>(), order: new WeakMap<Node, string>() };

export function resetKeys(): void {
  table = { intern: new Map(), ids: new WeakMap(), order: new WeakMap() };
}

function id(n: Node): number {
  const c = table.ids.get(n);
  if (c !== undefined) return c;
  const sig = `${n.k}|${n.onehot ? 'H' : ''}${n.name ?? ''}|${n.value ?? ''}|${n.op?.name ?? ''}${n.params ? `(${n.params.join(',')})` : ''}${n.cmp ?? ''}|${n.axis ?? ''}|${n.keepdims ? 1 : 0}|${n.index ? 1 : 0}|${n.shape.join(',')}|${n.args.map(id).join(',')}`;
  let i = table.intern.get(sig);
  if (i === undefined) {
    i = table.intern.size;
    table.intern.set(sig, i);
  }
  table.ids.set(n, i);
  return i;
}

/** Equal keys ⇔ equal trees. */
export function key(n: Node): string {
  return `k${id(n)}`;
}

/** A short, readable, deterministic sort key (a truncated structural string); not an identity. */
export function orderKey(n: Node): string {
  const c = table.order.get(n);
  if (c !== undefined) return c;
  const s = `${n.k}${n.name ?? ''}${n.value ?? ''}${n.op?.name ?? ''}${n.cmp ?? ''}(${n.args.map(orderKey).join(',')})`.slice(0, 80);
  table.order.set(n, s);
  return s;
}

export function rank(n: Node): number {
  return n.shape.length;
}

export const isScalar = (n: Node): boolean => n.shape.length === 0;

function node(k: Kind, args: Node[], shape: Shape, extra: Partial<Node> = {}): Node {
  return { k, args, shape, ...extra };
}

export function variable(name: string, shape: Shape, onehot = false): Node {
  return node('var', [], shape, onehot ? { name, onehot } : { name });
}
export function num(value: number): Node {
  return node('num', [], [], { value });
}
/** A named constant (π), printed by name. */
export function constant(name: 'pi'): Node {
  return node('const', [], [], { name, value: Math.PI });
}
export function dimNode(d: Dim): Node {
  return typeof d === 'number' ? num(d) : node('dim', [], [], { name: d });
}
export function ones(shape: Shape): Node {
  return shape.length === 0 ? num(1) : node('ones', [], shape);
}
export function zero(shape: Shape): Node {
  return shape.length === 0 ? num(0) : node('zero', [], shape);
}
export function eye(d: Dim): Node {
  return node('eye', [], [d, d]);
}

function normAxis(axis: number | null, r: number, what: string): number | null {
  if (axis === null) return null;
  const a = axis < 0 ? axis + r : axis;
  if (a < 0 || a >= r) throw new ShapeError(`${what}: axis ${axis} is out of range for an array of ${r} dimension${r === 1 ? '' : 's'}`);
  return a;
}

/** Raw constructors: shape-checked, no rewriting. */
export const raw = {
  add(args: Node[]): Node {
    return node('add', args, broadcastAll(args.map((a) => a.shape), '+'));
  },
  mul(args: Node[]): Node {
    return node('mul', args, broadcastAll(args.map((a) => a.shape), '*'));
  },
  pow(a: Node, p: number): Node {
    return node('pow', [a], a.shape, { value: p });
  },
  matmul(a: Node, b: Node): Node {
    return node('matmul', [a, b], matmulShape(a.shape, b.shape));
  },
  T(a: Node): Node {
    return node('T', [a], [...a.shape].reverse());
  },
  /** A catalogue entry applied elementwise (its array arguments broadcast). */
  fn(op: OpEntry, args: Node[], params: readonly number[] = op.params.map((p) => p.default)): Node {
    return node('fn', args, broadcastAll(args.map((a) => a.shape), op.name), { op, ...(params.length ? { params } : {}) });
  },
  /** 1 where `a op b` holds, else 0. */
  cmp(op: CmpOp, a: Node, b: Node): Node {
    return node('cmp', [a, b], broadcastAll([a.shape, b.shape], op), { cmp: op });
  },
  reduce(k: 'sum' | 'max' | 'logsumexp', a: Node, axis: number | null, keepdims: boolean): Node {
    const ax = normAxis(axis, rank(a), k);
    let shape: Dim[];
    if (ax === null) shape = keepdims ? a.shape.map(() => 1) : [];
    else shape = a.shape.flatMap((d, i) => (i === ax ? (keepdims ? [1] : []) : [d]));
    return node(k, [a], shape, { axis: ax, keepdims });
  },
  expand(a: Node): Node {
    if (rank(a) !== 1) throw new ShapeError(`[:, None] needs a vector, got ${showShape(a.shape)}`);
    return node('expand', [a], [a.shape[0]!, 1]);
  },
  outer(a: Node, b: Node): Node {
    if (rank(a) !== 1 || rank(b) !== 1) throw new ShapeError(`outer needs two vectors, got ${showShape(a.shape)} and ${showShape(b.shape)}`);
    return node('outer', [a, b], [a.shape[0]!, b.shape[0]!]);
  },
  square(k: 'trace' | 'det' | 'logdet' | 'inv', a: Node): Node {
    if (rank(a) !== 2 || a.shape[0] !== a.shape[1]) {
      throw new ShapeError(`${k === 'logdet' ? 'log det' : k} needs a square matrix, got ${showShape(a.shape)}${rank(a) === 2 ? ` (${a.shape[0]} ≠ ${a.shape[1]})` : ''}`);
    }
    return node(k, [a], k === 'inv' ? a.shape : []);
  },
  norm(a: Node): Node {
    if (rank(a) < 1) throw new ShapeError('norm of a scalar: use abs');
    return node('norm', [a], []);
  },
  softmax(k: 'softmax' | 'logsoftmax', a: Node, axis: number | null): Node {
    if (rank(a) < 1) throw new ShapeError(`${k} of a scalar`);
    const ax = axis === null ? (rank(a) === 1 ? 0 : null) : normAxis(axis, rank(a), k);
    if (ax === null) throw new ShapeError(`${k} of a matrix needs an axis (axis=1 for rows)`);
    return node(k, [a], a.shape, { axis: ax });
  },
  /** Mean over rows of the cross-entropy of logits `z` (rows) against one-hot `y` or integer targets. */
  xent(z: Node, y: Node, index: boolean): Node {
    if (rank(z) < 1) throw new ShapeError('cross_entropy needs vector or matrix logits');
    if (index) {
      const want = z.shape.slice(0, -1);
      if (!sameShape(want, y.shape)) throw new ShapeError(`cross_entropy: index targets of shape ${showShape(y.shape)} do not match logits ${showShape(z.shape)} (want ${showShape(want)})`);
    } else if (!sameShape(z.shape, y.shape)) {
      throw new ShapeError(`cross_entropy: one-hot targets ${showShape(y.shape)} and logits ${showShape(z.shape)} differ`);
    }
    return node('xent', [z, y], [], { index });
  },
  onehot(t: Node, k: Dim): Node {
    return node('onehot', [t], [...t.shape, k]);
  },
  stack(entries: Node[], shape: Shape): Node {
    return node('stack', entries, shape);
  },
};

export function mapArgs(n: Node, args: Node[]): Node {
  return { ...n, args };
}

/** Variables in a tree, first appearance order. */
export function variables(n: Node): Node[] {
  const seen = new Map<string, Node>();
  const visited = new Set<Node>();
  const stack = [n];
  const order: Node[] = [];
  while (stack.length) {
    const x = stack.pop()!;
    if (visited.has(x)) continue;
    visited.add(x);
    order.push(x);
    for (let i = x.args.length - 1; i >= 0; i--) stack.push(x.args[i]!);
  }
  for (const x of order) if (x.k === 'var' && !seen.has(x.name!)) seen.set(x.name!, x);
  return [...seen.values()];
}

export function dependsOn(n: Node, name: string, memo = new Map<Node, boolean>()): boolean {
  const c = memo.get(n);
  if (c !== undefined) return c;
  const r = n.k === 'var' ? n.name === name : n.args.some((a) => dependsOn(a, name, memo));
  memo.set(n, r);
  return r;
}

/** Nodes of the tree as printed (a shared subexpression counts at every use); linear in the DAG's size. */
export function treeSize(n: Node, memo = new Map<Node, number>()): number {
  const c = memo.get(n);
  if (c !== undefined) return c;
  let s = 1;
  for (const a of n.args) s += treeSize(a, memo);
  memo.set(n, s);
  return s;
}
