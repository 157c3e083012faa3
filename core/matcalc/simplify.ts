/**
 * Smart constructors: each builds a node in a modest canonical form, so every
 * expression the differentiator builds is simplified as it is built.
 * Rewrites (all value-preserving for every shape they apply to):
 *   sums flat, zeros dropped, like terms collected (x + x → 2x), c·(M v) + c'·(N v) → (cM + c'N) v;
 *   products flat, numbers folded, equal factors merged into powers, all-ones factors dropped
 *   when the other factors already have the full shape;
 *   scalars pulled out of @; eye dropped from @; a vector @ M → Mᵀ v;
 *   transposes pushed towards the leaves: (AB)ᵀ = BᵀAᵀ, (A+B)ᵀ = Aᵀ+Bᵀ, (Aᵀ)ᵀ = A, vᵀ = v.
 */
import { NUMBERS, OPS, opOf } from '../ops';
import type { CmpOp, OpEntry } from '../ops';
import { eye, isScalar, key, num, ones, orderKey, rank, raw, treeSize, zero } from './ast';
import type { Node } from './ast';
import { broadcastAll, sameShape } from './shapes';
import type { Budget } from '../budget';

let budget: Budget | undefined;
export function useBudget(b: Budget | undefined): void {
  budget = b;
}
function tick(): void {
  budget?.tick();
}

const isZero = (n: Node): boolean => n.k === 'zero' || (n.k === 'num' && n.value === 0);
const isOne = (n: Node): boolean => n.k === 'num' && n.value === 1;

/** Node with a numeric coefficient split off. */
export function splitCoef(n: Node): [number, Node | null] {
  if (n.k === 'num') return [n.value!, null];
  if (n.k === 'mul') {
    let c = 1;
    const rest: Node[] = [];
    for (const a of n.args) {
      if (a.k === 'num') c *= a.value!;
      else rest.push(a);
    }
    if (c !== 1) {
      if (rest.length === 0) return [c, null];
      const r = rest.length === 1 ? rest[0]! : raw.mul(rest);
      return [c, fit(r, n.shape)];
    }
  }
  return [1, n];
}

/** `n` broadcast to `shape` (multiplied by ones when its own shape is smaller). */
export function fit(n: Node, shape: readonly (string | number)[]): Node {
  if (sameShape(n.shape, shape)) return n;
  return raw.mul([n, ones(shape)]);
}

export function add(args: Node[]): Node {
  tick();
  const shape = broadcastAll(args.map((a) => a.shape), '+');
  const flat: Node[] = [];
  for (const a of args) if (a.k === 'add') flat.push(...a.args); else flat.push(a);
  const groups = new Map<string, { c: number; n: Node | null; first: number }>();
  let i = 0;
  for (const a of flat) {
    if (isZero(a)) continue;
    const [c, rest] = splitCoef(a);
    const k = rest ? key(rest) : '#';
    const g = groups.get(k);
    if (g) g.c += c;
    else groups.set(k, { c, n: rest, first: i++ });
  }
  let terms = [...groups.values()].filter((g) => g.c !== 0);
  // factor a common operand: s·(M v) + s'·(N v) → (sM + s'N) v, then s·(M a) + s'·(M b) → M (s a + s' b),
  // with the scalar factors common to every term (and a common |coefficient|) kept outside
  for (const side of [1, 0] as const) {
    const groups = new Map<string, { t: (typeof terms)[number]; scal: Node[]; core: Node }[]>();
    for (const t of terms) {
      if (!t.n) continue;
      const [sc, core] = t.n.k === 'matmul' ? [[], t.n] : pullScalars(t.n);
      if (core.k !== 'matmul') continue;
      const k = `${key(core.args[side]!)}|${core.shape.join(',')}`;
      groups.set(k, [...(groups.get(k) ?? []), { t, scal: sc, core }]);
    }
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      const others = group.map((g) => g.core.args[1 - side]!);
      if (!others.every((o) => sameShape(o.shape, others[0]!.shape))) continue;
      const common = group[0]!.scal.filter((f) => group.every((g) => g.scal.some((h) => key(h) === key(f))));
      const commonKeys = new Set(common.map(key));
      const c0 = group[0]!.t.c;
      const cc = group.every((g) => g.t.c === c0) ? c0 : group.every((g) => Math.abs(g.t.c) === Math.abs(c0)) ? Math.abs(c0) : 1;
      let inner = group.map((g) => mul([num(g.t.c / cc), ...g.scal.filter((f) => !commonKeys.has(key(f))), g.core.args[1 - side]!]));
      if (side === 1) inner = inner.sort((a, b) => treeSize(a) - treeSize(b) || (orderKey(a) < orderKey(b) ? -1 : 1));
      const shared = group[0]!.core.args[side]!;
      const merged = mul([num(cc), ...common, side === 1 ? matmul(add(inner), shared) : matmul(shared, add(inner))]);
      const first = Math.min(...group.map((g) => g.t.first));
      terms = terms.filter((t) => !group.some((g) => g.t === t));
      const [c, r] = splitCoef(merged);
      terms.push({ c, n: r, first });
    }
  }
  terms.sort((a, b) => a.first - b.first);
  if (terms.length > 1 && terms[0]!.c < 0) {
    const j = terms.findIndex((t) => t.c > 0);
    if (j > 0) terms.unshift(...terms.splice(j, 1));
  }
  const built = terms.map((t) => (t.n ? scale(t.c, t.n) : num(t.c)));
  if (built.length === 0) return zero(shape);
  if (built.length === 1) return fit(built[0]!, shape);
  // a symbolic scalar factor common to every term comes out: s·A + s·B → s·(A + B)
  const parts = built.map((b) => pullScalars(b));
  if (parts.every(([sc]) => sc.length)) {
    const common = parts[0]![0].filter((f) => f.k !== 'num' && parts.every(([sc]) => sc.some((g) => key(g) === key(f))));
    if (common.length) {
      const ck = new Set(common.map(key));
      const inner = parts.map(([sc, rest]) => mul([...sc.filter((f) => !ck.has(key(f))), rest]));
      return fit(mul([...common, add(inner)]), shape);
    }
  }
  return fit(raw.add(built), shape);
}

export function scale(c: number, n: Node): Node {
  if (c === 1) return n;
  return mul([num(c), n]);
}

export function neg(n: Node): Node {
  return scale(-1, n);
}

export function sub(a: Node, b: Node): Node {
  return add([a, neg(b)]);
}

function baseExp(n: Node): [Node, number] {
  return n.k === 'pow' ? [n.args[0]!, n.value!] : [n, 1];
}

export function mul(args: Node[]): Node {
  tick();
  const shape = broadcastAll(args.map((a) => a.shape), '*');
  const flat: Node[] = [];
  for (const a of args) if (a.k === 'mul') flat.push(...a.args); else flat.push(a);
  let c = 1;
  const groups = new Map<string, { base: Node; p: number }>();
  let sawOnes = false;
  for (const a of flat) {
    if (isZero(a)) return zero(shape);
    if (a.k === 'num') { c *= a.value!; continue; }
    if (a.k === 'ones') { sawOnes = true; continue; }
    const [b, p] = baseExp(a);
    const k = key(b);
    const g = groups.get(k);
    if (g) g.p += p;
    else groups.set(k, { base: b, p });
  }
  void sawOnes;
  if (c === 0) return zero(shape);
  let factors: Node[] = [];
  for (const g of groups.values()) {
    if (g.p === 0) continue;
    factors.push(pow(g.base, g.p));
  }
  if (factors.some((f) => f.k === 'mul')) return mul([num(c), ...factors, ...(sameShape(broadcastAll(factors.map((f) => f.shape)), shape) ? [] : [ones(shape)])]);
  const expands = factors.filter((f) => f.k === 'expand');
  if (expands.length > 1) factors = [...factors.filter((f) => f.k !== 'expand'), expand(mul(expands.map((f) => f.args[0]!)))];
  const scalars = factors.filter(isScalar).sort((a, b) => (orderKey(a) < orderKey(b) ? -1 : orderKey(a) > orderKey(b) ? 1 : 0));
  const tensors = factors.filter((f) => !isScalar(f));
  const out = [...(c !== 1 ? [num(c)] : []), ...scalars, ...tensors];
  if (out.length === 0) return c === 1 ? ones(shape) : fit(num(c), shape);
  if (out.length === 1) return fit(out[0]!, shape);
  return fit(raw.mul(out), shape);
}

export function div(a: Node, b: Node): Node {
  return mul([a, pow(b, -1)]);
}

export function pow(a: Node, p: number): Node {
  tick();
  if (p === 1) return a;
  if (p === 0) return ones(a.shape);
  if (a.k === 'num') return num(Math.pow(a.value!, p));
  if (a.k === 'fn' && a.args.every((x) => x.k === 'num')) {
    // a constant call to a power that is an integer up to rounding: √2² → 2
    const v = Math.pow(a.op!.forward(a.args.map((x) => x.value!), a.params ?? a.op!.params.map((q) => q.default)), p);
    if (Number.isFinite(v) && Math.abs(v - Math.round(v)) <= 1e-12 * Math.max(1, Math.abs(v))) return num(Math.round(v));
  }
  if (a.k === 'ones') return a;
  if (a.k === 'pow' && Number.isInteger(p)) return pow(a.args[0]!, a.value! * p);
  if (a.k === 'mul' && Number.isInteger(p)) return mul(a.args.map((f) => pow(f, p)));
  return raw.pow(a, p);
}

/** Splits scalar factors (rank 0) from a product. */
function pullScalars(n: Node): [Node[], Node] {
  if (n.k !== 'mul' || isScalar(n)) return [[], n];
  const s = n.args.filter(isScalar);
  const t = n.args.filter((a) => !isScalar(a));
  if (s.length === 0 || t.length === 0) return [[], n];
  const rest = t.length === 1 ? t[0]! : raw.mul(t);
  if (!sameShape(rest.shape, n.shape)) return [[], n];
  return [s, rest];
}

export function matmul(a: Node, b: Node): Node {
  tick();
  const probe = raw.matmul(a, b); // shape check
  if (isZero(a) || isZero(b)) return zero(probe.shape);
  if (a.k === 'eye') return b;
  if (b.k === 'eye') return a;
  const [sa, ra] = pullScalars(a);
  const [sb, rb] = pullScalars(b);
  if (sa.length || sb.length) return mul([...sa, ...sb, matmul(ra, rb)]);
  if (rank(a) === 1 && rank(b) === 2) return matmul(T(b), a);
  if (rank(a) === 1 && rank(b) === 1 && orderKey(b) < orderKey(a)) return raw.matmul(b, a);
  return probe;
}

export function T(a: Node): Node {
  tick();
  if (rank(a) < 2) return a;
  switch (a.k) {
    case 'T': return a.args[0]!;
    case 'eye': return a;
    case 'ones': return ones([...a.shape].reverse());
    case 'zero': return zero([...a.shape].reverse());
    case 'matmul': return matmul(T(a.args[1]!), T(a.args[0]!));
    case 'add': if (a.args.every((x) => rank(x) !== 1)) return add(a.args.map(T)); break;
    case 'outer': return outer(a.args[1]!, a.args[0]!);
    case 'inv': if (key(T(a.args[0]!)) === key(a.args[0]!)) return a; break; // (M⁻¹)ᵀ = M⁻¹ for M = Mᵀ by construction (XᵀX)
    case 'mul': if (a.args.every((x) => rank(x) !== 1)) return mul(a.args.map(T)); break;
  }
  return raw.T(a);
}

/**
 * A catalogue entry applied elementwise: log(exp(u)) → u, log(det X) → log det X, and a call of
 * constants folded when its value is an integer (exp(0) → 1, log(1) → 0; ln 2 stays).
 */
export function fn(op: OpEntry, args: Node[], params?: readonly number[]): Node {
  tick();
  if (op === WHERE) return where(args[0]!, args[1]!, args[2]!);
  const a = args[0]!;
  if (op.name === 'log' && a.k === 'fn' && a.op!.name === 'exp' && a.args[0]!.k !== 'fn') return a.args[0]!;
  if (op.name === 'log' && a.k === 'det') return raw.square('logdet', a.args[0]!);
  const ps = params ?? op.params.map((p) => p.default);
  if (args.every((x) => x.k === 'num')) {
    const v = op.forward(args.map((x) => x.value!), ps);
    if (Number.isInteger(v)) return num(v);
  }
  return raw.fn(op, args, ps);
}

/** 1 where `a op b` holds, else 0 (folded for numbers). */
export function cmp(op: CmpOp, a: Node, b: Node): Node {
  tick();
  if (a.k === 'num' && b.k === 'num') return num(NUMBERS.cmp(op, a.value!, b.value!));
  if (a.k === 'num') return raw.cmp(FLIP[op], b, a); // the number on the right: x > 0, not 0 < x
  return raw.cmp(op, a, b);
}

const WHERE = opOf('where');
const LOG = opOf('log');
const EXP = opOf('exp');

/** The outcomes (<, =, >) of a comparison, as bits. */
const OUTCOMES: Record<CmpOp, number> = { '<': 1, '==': 2, '>': 4, '<=': 3, '>=': 6, '!=': 5 };
const FLIP: Record<CmpOp, CmpOp> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '==': '==', '!=': '!=' };

/** A comparison times a number (k·𝟙[…]), split; null otherwise. */
function scaledCmp(n: Node): [number, Node] | null {
  if (n.k === 'cmp') return [1, n];
  if (n.k === 'mul' && n.args.length === 2 && n.args[0]!.k === 'num' && n.args[1]!.k === 'cmp') return [n.args[0]!.value!, n.args[1]!];
  return null;
}

/** Do two comparisons of the same operands never hold together? */
function exclusive(c: Node, d: Node): boolean {
  const [a, b] = [key(c.args[0]!), key(c.args[1]!)];
  const [x, y] = [key(d.args[0]!), key(d.args[1]!)];
  const op = a === x && b === y ? d.cmp! : a === y && b === x ? FLIP[d.cmp!] : null;
  return op !== null && (OUTCOMES[c.cmp!] & OUTCOMES[op]) === 0;
}

/**
 * `c ? a : b` elementwise: a constant condition picks, equal branches merge; with a comparison
 * (0 or 1, never NaN) and numbers, where(c, k, 0) is k·c and where(c, k, k′·d) is k·c + k′·d when
 * c and d never hold together (so d max(u, 0)/du reads 𝟙[u > 0] + ½𝟙[u = 0]).
 */
export function where(c: Node, a: Node, b: Node): Node {
  tick();
  const shape = broadcastAll([c.shape, a.shape, b.shape], 'where');
  if (c.k === 'num') return fit(Number.isNaN(c.value!) ? num(NaN) : c.value !== 0 ? a : b, shape);
  if (key(a) === key(b)) return fit(a, shape);
  if (c.k === 'cmp' && a.k === 'num' && Number.isFinite(a.value!)) {
    if (isZero(b)) return fit(mul([a, c]), shape);
    const d = scaledCmp(b);
    if (d && Number.isFinite(d[0]) && exclusive(c, d[1])) return fit(add([mul([a, c]), b]), shape);
  }
  return raw.fn(WHERE, [c, a, b]);
}

export function sum(a: Node, axis: number | null, keepdims = false): Node {
  tick();
  if (isZero(a)) return zero(raw.reduce('sum', a, axis, keepdims).shape);
  if (rank(a) === 0 && axis === null && !keepdims) return a;
  if (a.k === 'var' && a.onehot) {
    // one-hot rows: the sum over the last axis is 1, the total is the number of rows
    const last = rank(a) - 1;
    if (axis === last || (axis === null && rank(a) === 1)) return ones(raw.reduce('sum', a, axis, keepdims).shape);
    if (axis === null && !keepdims) return dimOf(a.shape[0]!);
  }
  const [s, r] = pullScalars(a);
  if (s.length) return mul([...s, sum(r, axis, keepdims)]);
  if (axis === null && !keepdims && a.k === 'mul' && a.args.length === 2 && a.args.some((f) => f.k === 'eye')) {
    return raw.square('trace', a.args.find((f) => f.k !== 'eye')!);
  }
  return raw.reduce('sum', a, axis, keepdims);
}

export function outer(a: Node, b: Node): Node {
  tick();
  const probe = raw.outer(a, b);
  if (isZero(a) || isZero(b)) return zero(probe.shape);
  const [sa, ra] = pullScalarsVec(a);
  const [sb, rb] = pullScalarsVec(b);
  if (sa.length || sb.length) return mul([...sa, ...sb, raw.outer(ra, rb)]);
  return probe;
}

function pullScalarsVec(n: Node): [Node[], Node] {
  return pullScalars(n);
}

export function expand(a: Node): Node {
  if (isZero(a)) return zero([a.shape[0]!, 1]);
  const [sc, rest] = pullScalars(a);
  if (sc.length) return mul([...sc, expand(rest)]);
  if (a.k === 'ones') return ones([a.shape[0]!, 1]);
  return raw.expand(a);
}

function dimOf(d: string | number): Node {
  return typeof d === 'number' ? num(d) : { k: 'dim', args: [], shape: [], name: d };
}

export { eye, ones, zero, num, isOne };

/** The catalogue entry whose NumPy code is `code` for the argument `u` (the forms `canon` recognizes written out). */
function spelledInNumpy(code: string): OpEntry | undefined {
  return OPS.find((e) => e.arity === 1 && e.params.length === 0 && e.numpy(['u'], []) === code);
}
const LOG_ONE_PLUS_EXP = spelledInNumpy('np.logaddexp(0, u)');
const ONE_OVER_ONE_PLUS_EXP_NEG = spelledInNumpy('1/(1 + np.exp(-u))');

/** ln(1 + eᵘ) as its catalogue entry (also what `np.logaddexp(0, u)` reads as). */
export function logOnePlusExp(u: Node): Node {
  return LOG_ONE_PLUS_EXP ? fn(LOG_ONE_PLUS_EXP, [u]) : fn(LOG, [add([num(1), fn(EXP, [u])])]);
}

/**
 * The input rebuilt with the smart constructors (so results built from its
 * pieces are canonical), recognizing ln(1 + eᵘ) and 1/(1 + e⁻ᵘ) written out
 * as their catalogue entries.
 */
export function canon(root: Node): Node {
  const memo = new Map<Node, Node>();
  const go = (n: Node): Node => {
    const c = memo.get(n);
    if (c) return c;
    tick();
    const a = n.args.map(go);
    let r: Node;
    switch (n.k) {
      case 'add': r = add(a); break;
      case 'mul': r = writtenSoftmax(a) ?? mul(a); break;
      case 'pow': {
        const e = onePlusExp(a[0]!);
        r = e && n.value === -1 && ONE_OVER_ONE_PLUS_EXP_NEG ? fn(ONE_OVER_ONE_PLUS_EXP_NEG, [neg(e)]) : pow(a[0]!, n.value!);
        break;
      }
      case 'matmul': r = matmul(a[0]!, a[1]!); break;
      case 'T': r = T(a[0]!); break;
      case 'fn': {
        const e = n.op!.name === 'log' ? onePlusExp(a[0]!) : null;
        r = e ? logOnePlusExp(e) : n.op!.name === 'where' ? where(a[0]!, a[1]!, a[2]!) : fn(n.op!, a, n.params);
        break;
      }
      case 'cmp': r = cmp(n.cmp!, a[0]!, a[1]!); break;
      case 'sum': r = sum(a[0]!, n.axis ?? null, !!n.keepdims); break;
      case 'outer': r = outer(a[0]!, a[1]!); break;
      case 'expand': r = expand(a[0]!); break;
      default: r = a.every((x, i) => x === n.args[i]) ? n : { ...n, args: a };
    }
    memo.set(n, r);
    return r;
  };
  return go(root);
}

/**
 * softmax(u) when the factors are exp(u) and 1/sum(exp(u)) (a vector u, all of it; a matrix,
 * along an axis with keepdims): the softmax written out, so its Jacobian reads diag(s)(I − 1sᵀ).
 */
function writtenSoftmax(a: Node[]): Node | null {
  if (a.length !== 2) return null;
  for (const [e, d] of [[a[0]!, a[1]!], [a[1]!, a[0]!]] as const) {
    if (e.k !== 'fn' || e.op!.name !== 'exp' || d.k !== 'pow' || d.value !== -1) continue;
    const s = d.args[0]!;
    if (s.k !== 'sum' || key(s.args[0]!) !== key(e)) continue;
    const u = e.args[0]!;
    if (rank(u) === 1 && (s.axis === null || s.axis === undefined || s.axis === 0)) return raw.softmax('softmax', u, 0);
    if (rank(u) === 2 && typeof s.axis === 'number' && s.keepdims) return raw.softmax('softmax', u, s.axis);
  }
  return null;
}

/** u when n is 1 + exp(u). */
function onePlusExp(n: Node): Node | null {
  if (n.k !== 'add' || n.args.length !== 2) return null;
  const [x, y] = n.args as [Node, Node];
  const one = (t: Node) => t.k === 'num' && t.value === 1;
  const ex = (t: Node) => (t.k === 'fn' && t.op!.name === 'exp' ? t.args[0]! : null);
  if (one(x) && ex(y)) return ex(y);
  if (one(y) && ex(x)) return ex(x);
  return null;
}
