/**
 * The expression tree of the engine.
 *
 * Expressions are immutable plain objects, a discriminated union on `kind`.
 * They are built only through the constructors below, which validate their
 * arguments and keep a few cheap invariants (rationals reduced, `add`/`mul`
 * have at least two operands). Structural rewriting (flattening, like terms,
 * …) is the simplifier's job, not the constructors'.
 *
 * Numbers are exact rationals `p/q` while they fit in safe integers, and fall
 * back to IEEE floats (`float`) otherwise, so `1/2`, `0.01` and `3` stay exact
 * and print as a textbook would.
 */
import { type Builder, type CmpOp as OpsCmpOp, OPS, op } from './ops';

/**
 * Every function the engine knows, from the operation catalogue (core/ops/):
 * name → number of arguments (the array arguments, then the scalar parameters,
 * such as leaky ReLU's slope). Entries the catalogue builds as powers
 * (`expand`: x², x⁻¹, x^{1/2}, 2^x) are never call nodes.
 */
export const FUNCTIONS: Readonly<Record<string, number>> = Object.fromEntries(
  OPS.filter((e) => !e.expand).map((e) => [e.name, e.arity + e.params.length]),
);

/** A function name of the catalogue (checked by `call`). */
export type FnName = string;

export function isFnName(name: string): name is FnName {
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, name);
}

export type CmpOp = OpsCmpOp;

export type Expr =
  /** Exact rational p/q with q ≥ 1 and gcd(p, q) = 1. */
  | { readonly kind: 'num'; readonly p: number; readonly q: number }
  /** Inexact number. */
  | { readonly kind: 'float'; readonly value: number }
  /** The constants π and e. */
  | { readonly kind: 'const'; readonly name: 'pi' | 'e' }
  /** A free variable. */
  | { readonly kind: 'sym'; readonly name: string }
  | { readonly kind: 'add'; readonly terms: readonly Expr[] }
  | { readonly kind: 'mul'; readonly factors: readonly Expr[] }
  | { readonly kind: 'pow'; readonly base: Expr; readonly exp: Expr }
  | { readonly kind: 'call'; readonly fn: FnName; readonly args: readonly Expr[] }
  /** A comparison; only meaningful as the condition of `where`. Evaluates to 1 or 0. */
  | { readonly kind: 'cmp'; readonly op: CmpOp; readonly left: Expr; readonly right: Expr };

export type Kind = Expr['kind'];

export class ExprError extends Error {}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

/** A rational p/q, or a float when it cannot be kept exact. */
export function rat(p: number, q = 1): Expr {
  if (!Number.isFinite(p) || !Number.isFinite(q) || q === 0) {
    if (q === 0) throw new ExprError('division by zero in a constant');
    return { kind: 'float', value: p / q };
  }
  if (!Number.isSafeInteger(p) || !Number.isSafeInteger(q)) return { kind: 'float', value: p / q };
  if (q < 0) {
    p = -p;
    q = -q;
  }
  const g = gcd(p, q) || 1;
  return { kind: 'num', p: p / g, q: q / g };
}

export const int = (n: number): Expr => rat(n, 1);

/**
 * A number from its source text ("3", "0.01", "1e-3", "2.5E2"), exact when
 * the decimal fits in safe integers.
 */
export function numFromText(text: string): Expr {
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  const value = Number(text);
  if (!m || !Number.isFinite(value)) return float(value);
  const intPart = m[1] ?? '';
  const frac = m[2] ?? '';
  const e = Number(m[3] ?? '0');
  const digits = (intPart + frac).replace(/^0+(?=\d)/, '') || '0';
  let scale = frac.length - e;
  let p = Number(digits);
  if (!Number.isSafeInteger(p) || Math.abs(scale) > 15) return float(value);
  let q = 1;
  if (scale > 0) q = 10 ** scale;
  else
    while (scale < 0) {
      p *= 10;
      scale++;
    }
  if (!Number.isSafeInteger(p) || !Number.isSafeInteger(q)) return float(value);
  return rat(p, q);
}

export function float(value: number): Expr {
  return { kind: 'float', value };
}

export const ZERO = rat(0);
export const ONE = rat(1);
export const TWO = rat(2);
export const NEG_ONE = rat(-1);
export const HALF = rat(1, 2);
export const PI: Expr = { kind: 'const', name: 'pi' };
export const E: Expr = { kind: 'const', name: 'e' };

const NAME_RE = /^[A-Za-z_\u0370-\u03ff][A-Za-z0-9_\u0370-\u03ff']*$/;

export function sym(name: string): Expr {
  if (!NAME_RE.test(name)) throw new ExprError(`invalid variable name "${name}"`);
  return { kind: 'sym', name };
}

export function add(...terms: Expr[]): Expr {
  if (terms.length === 0) return ZERO;
  if (terms.length === 1) return terms[0]!;
  return { kind: 'add', terms };
}

export function mul(...factors: Expr[]): Expr {
  if (factors.length === 0) return ONE;
  if (factors.length === 1) return factors[0]!;
  return { kind: 'mul', factors };
}

export function pow(base: Expr, exp: Expr): Expr {
  return { kind: 'pow', base, exp };
}

export const neg = (x: Expr): Expr => mul(NEG_ONE, x);
export const sub = (a: Expr, b: Expr): Expr => add(a, neg(b));
export const div = (a: Expr, b: Expr): Expr => mul(a, pow(b, NEG_ONE));
export const sqrt = (x: Expr): Expr => pow(x, HALF);

/**
 * A call of a catalogue function. Entries the catalogue builds as powers
 * (`expand`) come back as powers; missing scalar parameters take their defaults.
 */
export function call(fn: FnName, ...args: Expr[]): Expr {
  const entry = op(fn);
  if (!entry) throw new ExprError(`unknown function "${fn}"`);
  if (entry.expand && args.length === entry.arity) return entry.expand(RAW, args);
  const arity = FUNCTIONS[fn]!;
  if (args.length < arity && args.length >= entry.arity) {
    args = [...args, ...entry.params.slice(args.length - entry.arity).map((p) => numFromText(String(p.default)))];
  }
  if (args.length !== arity) {
    throw new ExprError(`${fn} takes ${arity} argument${arity === 1 ? '' : 's'}, got ${args.length}`);
  }
  return { kind: 'call', fn, args };
}

export function cmp(op: CmpOp, left: Expr, right: Expr): Expr {
  return { kind: 'cmp', op, left, right };
}

/** The catalogue's formulas built as plain (unsimplified) trees. */
export const RAW: Builder<Expr> = {
  num: (p, q = 1) => (Number.isInteger(p) && Number.isInteger(q) ? rat(p, q) : float(p / q)),
  pi: () => PI,
  add: (...t) => add(...t),
  sub: (a, b) => sub(a, b),
  mul: (...f) => mul(...f),
  div: (a, b) => div(a, b),
  neg: (a) => neg(a),
  pow: (a, b) => pow(a, b),
  call: (name, ...a) => call(name, ...a),
  cmp: (o, a, b) => cmp(o, a, b),
  where: (c, a, b) => call('where', c, a, b),
};

/** The direct children of a node, in order. */
export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'num':
    case 'float':
    case 'const':
    case 'sym':
      return [];
    case 'add':
      return e.terms;
    case 'mul':
      return e.factors;
    case 'pow':
      return [e.base, e.exp];
    case 'call':
      return e.args;
    case 'cmp':
      return [e.left, e.right];
  }
}

/** Rebuild a node of the same kind with new children (same count, same order). */
export function withChildren(e: Expr, kids: readonly Expr[]): Expr {
  switch (e.kind) {
    case 'num':
    case 'float':
    case 'const':
    case 'sym':
      return e;
    case 'add':
      return { kind: 'add', terms: kids };
    case 'mul':
      return { kind: 'mul', factors: kids };
    case 'pow':
      return { kind: 'pow', base: kids[0]!, exp: kids[1]! };
    case 'call':
      return { kind: 'call', fn: e.fn, args: kids };
    case 'cmp':
      return { kind: 'cmp', op: e.op, left: kids[0]!, right: kids[1]! };
  }
}

/** Number of nodes, computed with an explicit stack (no recursion). */
export function size(e: Expr): number {
  let n = 0;
  const stack: Expr[] = [e];
  while (stack.length) {
    const x = stack.pop()!;
    n++;
    for (const c of children(x)) stack.push(c);
  }
  return n;
}

/**
 * Size of the tree once shared subtrees are written out, as a printer or a
 * tree walk sees it, computed in time linear in the number of distinct nodes
 * (a forward pass such as `a = a*a` repeated is a DAG whose written-out size
 * doubles each line). Stops counting past `cap`.
 */
export function expandedSize(e: Expr, cap = Number.POSITIVE_INFINITY): number {
  const memo = new Map<Expr, number>();
  const stack: [Expr, boolean][] = [[e, false]];
  while (stack.length) {
    const [x, done] = stack.pop()!;
    if (memo.has(x)) continue;
    const kids = children(x);
    if (!done && kids.length) {
      stack.push([x, true]);
      for (const c of kids) if (!memo.has(c)) stack.push([c, false]);
      continue;
    }
    let n = 1;
    for (const c of kids) n += memo.get(c)!;
    memo.set(x, Math.min(n, cap + 1));
  }
  return memo.get(e)!;
}

/** Depth of the tree (a leaf has depth 1), with an explicit stack. */
export function depth(e: Expr): number {
  let max = 0;
  const stack: [Expr, number][] = [[e, 1]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (d > max) max = d;
    for (const c of children(x)) stack.push([c, d + 1]);
  }
  return max;
}

/** Free variables, sorted. */
export function freeSymbols(e: Expr): string[] {
  const out = new Set<string>();
  const stack: Expr[] = [e];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.kind === 'sym') out.add(x.name);
    for (const c of children(x)) stack.push(c);
  }
  return [...out].sort();
}

/** Structural equality, iterative. */
export function equals(a: Expr, b: Expr): boolean {
  const stack: [Expr, Expr][] = [[a, b]];
  while (stack.length) {
    const [x, y] = stack.pop()!;
    if (x === y) continue;
    if (x.kind !== y.kind) return false;
    switch (x.kind) {
      case 'num':
        if (x.p !== (y as typeof x).p || x.q !== (y as typeof x).q) return false;
        continue;
      case 'float':
        if (!Object.is(x.value, (y as typeof x).value)) return false;
        continue;
      case 'const':
        if (x.name !== (y as typeof x).name) return false;
        continue;
      case 'sym':
        if (x.name !== (y as typeof x).name) return false;
        continue;
      case 'call':
        if (x.fn !== (y as typeof x).fn) return false;
        break;
      case 'cmp':
        if (x.op !== (y as typeof x).op) return false;
        break;
      default:
        break;
    }
    const cx = children(x);
    const cy = children(y);
    if (cx.length !== cy.length) return false;
    for (let i = 0; i < cx.length; i++) stack.push([cx[i]!, cy[i]!]);
  }
  return true;
}

export function isNum(e: Expr, p?: number, q = 1): e is Extract<Expr, { kind: 'num' }> {
  return e.kind === 'num' && (p === undefined || (e.p === p && e.q === q));
}

export function isZero(e: Expr): boolean {
  return (e.kind === 'num' && e.p === 0) || (e.kind === 'float' && e.value === 0);
}

export function isOne(e: Expr): boolean {
  return (e.kind === 'num' && e.p === 1 && e.q === 1) || (e.kind === 'float' && e.value === 1);
}

/** Numeric value of a constant node, or undefined. */
export function numValue(e: Expr): number | undefined {
  switch (e.kind) {
    case 'num':
      return e.p / e.q;
    case 'float':
      return e.value;
    case 'const':
      return e.name === 'pi' ? Math.PI : Math.E;
    default:
      return undefined;
  }
}

/** True when the expression contains no free variable. */
export function isConstant(e: Expr): boolean {
  const stack: Expr[] = [e];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.kind === 'sym') return false;
    for (const c of children(x)) stack.push(c);
  }
  return true;
}

/** Does `e` depend on variable `name`? */
export function dependsOn(e: Expr, name: string): boolean {
  const stack: Expr[] = [e];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.kind === 'sym' && x.name === name) return true;
    for (const c of children(x)) stack.push(c);
  }
  return false;
}
