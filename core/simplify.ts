/**
 * Rule-based, deterministic simplification to a canonical, textbook form.
 *
 * Written here rather than taken from math.js because we need three things its
 * `simplify` does not give: (1) a canonical form that is stable, so results
 * compare and print the same every time; (2) forms a learner expects, such as
 * σ(x)(1 − σ(x)) and 1 − f(x)², which come from keeping the activations as
 * functions and never expanding products of sums; (3) a hard budget.
 *
 * The canonical form (bottom-up, in one pass per node):
 *  - sums and products are flat; numbers are folded exactly (rationals);
 *  - like terms are collected (2x + 3x → 5x) and like factors combined into
 *    powers (x·x² → x³, e^a·e^b → e^{a+b});
 *  - a number times a sum is distributed (2(x + 1) → 2x + 2), as SymPy does;
 *    a product of sums is never expanded;
 *  - powers: x⁰ → 1, x¹ → x, (xᵃ)ⁿ → x^{an} for integer n only (so √(x²) stays
 *    √(x²), not x), (ab)ⁿ → aⁿbⁿ for integer n, e^u is `exp(u)`;
 *  - functions fold at exact points (sin 0 = 0, σ(0) = 1/2, e^{ln u} = u, …);
 *  - terms and factors are sorted by a fixed order (see `compareExpr`).
 *
 * Every rewrite keeps the value wherever the original is defined; a rewrite
 * may only enlarge the domain (x²/x → x), never change a value.
 */
import { Budget } from './budget';
import {
  type Expr,
  type FnName,
  ONE,
  ZERO,
  call,
  equals,
  children as childrenOf,
  isOne,
  isZero,
  withChildren as rebuild,
  numValue,
  rat,
  size,
} from './expr';
import { op } from './ops';
import { type NumExpr, addNum, compareNum, isInteger, isNumber, mulNum, powNum, toFloat } from './num';

// ---------------------------------------------------------------------------
// Canonical keys and ordering

const keyCache = new WeakMap<Expr, string>();

/** A canonical string for an expression: equal keys ⇔ structurally equal. */
export function key(e: Expr): string {
  const cached = keyCache.get(e);
  if (cached !== undefined) return cached;
  let k: string;
  switch (e.kind) {
    case 'num':
      k = e.q === 1 ? `${e.p}` : `${e.p}/${e.q}`;
      break;
    case 'float':
      k = `f${e.value}`;
      break;
    case 'const':
      k = `#${e.name}`;
      break;
    case 'sym':
      k = e.name;
      break;
    case 'add':
      k = `(+ ${e.terms.map(key).join(' ')})`;
      break;
    case 'mul':
      k = `(* ${e.factors.map(key).join(' ')})`;
      break;
    case 'pow':
      k = `(^ ${key(e.base)} ${key(e.exp)})`;
      break;
    case 'call':
      k = `(${e.fn} ${e.args.map(key).join(' ')})`;
      break;
    case 'cmp':
      k = `(${e.op} ${key(e.left)} ${key(e.right)})`;
      break;
  }
  keyCache.set(e, k);
  return k;
}

function kindRank(e: Expr): number {
  switch (e.kind) {
    case 'num':
    case 'float':
      return 0;
    case 'const':
      return 1;
    case 'sym':
      return 2;
    case 'pow':
      return e.base.kind === 'sym' && isNumber(e.exp) ? 2 : 4;
    case 'mul':
      return 3;
    case 'call':
      return 5;
    case 'add':
      return 6;
    case 'cmp':
      return 7;
  }
}

/** The base whose power a factor is, for ordering x, x², x³ together. */
function orderBase(e: Expr): Expr {
  return e.kind === 'pow' ? e.base : e;
}

/** Order of factors in a product: numbers, constants, symbols and their powers, then the rest. */
export function compareFactors(a: Expr, b: Expr): number {
  const ra = kindRank(a);
  const rb = kindRank(b);
  if (ra !== rb) return ra - rb;
  // Conditions keep the order they were written in: (x > 0)(x < 1) reads as 0 < x < 1.
  if (a.kind === 'cmp' && b.kind === 'cmp') return 0;
  const ka = key(orderBase(a));
  const kb = key(orderBase(b));
  if (ka !== kb) return ka < kb ? -1 : 1;
  const ea = a.kind === 'pow' ? key(a.exp) : '1';
  const eb = b.kind === 'pow' ? key(b.exp) : '1';
  return ea < eb ? -1 : ea > eb ? 1 : 0;
}

interface TermInfo {
  degree: number;
  polynomial: boolean;
}

function termInfo(t: Expr): TermInfo {
  const factors = t.kind === 'mul' ? t.factors : [t];
  let degree = 0;
  let polynomial = true;
  for (const f of factors) {
    if (isNumber(f) || f.kind === 'const') continue;
    if (f.kind === 'sym') degree += 1;
    else if (f.kind === 'pow' && f.base.kind === 'sym' && isInteger(f.exp) && f.exp.p > 0) degree += f.exp.p;
    else polynomial = false;
  }
  return { degree, polynomial };
}

/** The term without its numeric coefficient, for ordering. */
function termRest(t: Expr): Expr {
  if (t.kind === 'mul' && isNumber(t.factors[0]!)) {
    const rest = t.factors.slice(1);
    return rest.length === 1 ? rest[0]! : { kind: 'mul', factors: rest };
  }
  return t;
}

function isNegativeTerm(t: Expr): boolean {
  if (isNumber(t)) return toFloat(t) < 0;
  return t.kind === 'mul' && isNumber(t.factors[0]!) && toFloat(t.factors[0] as NumExpr) < 0;
}

/**
 * Order of terms in a sum. Polynomials go by descending degree with the
 * constant last (x² + 2x + 1); anything with functions keeps the constant
 * first (1 − sin²(x)). A positive term is moved to the front when there is
 * one (y − wx − b rather than −wx − b + y).
 */
export function sortTerms(terms: Expr[]): Expr[] {
  const infos = new Map<Expr, TermInfo>();
  for (const t of terms) infos.set(t, termInfo(t));
  const polynomial = terms.every((t) => infos.get(t)!.polynomial);
  const sorted = [...terms].sort((a, b) => {
    const na = isNumber(a);
    const nb = isNumber(b);
    if (na !== nb) return polynomial ? (na ? 1 : -1) : na ? -1 : 1;
    const ia = infos.get(a)!;
    const ib = infos.get(b)!;
    if (ia.degree !== ib.degree) return ib.degree - ia.degree;
    const ka = key(termRest(a));
    const kb = key(termRest(b));
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  const firstPositive = sorted.findIndex((t) => !isNegativeTerm(t));
  if (firstPositive > 0) {
    const [t] = sorted.splice(firstPositive, 1);
    sorted.unshift(t!);
  }
  return sorted;
}

// ---------------------------------------------------------------------------
// The simplifier

export interface SimplifyOptions {
  budget?: Budget;
}

/**
 * A bottom-up rewrite, memoized per node (forward passes share subtrees) and
 * budgeted: `step(x, go)` rewrites one node, calling `go` for children.
 */
function rewriteBottomUp(e: Expr, budget: Budget, step: (x: Expr, go: (y: Expr) => Expr) => Expr): Expr {
  const memo = new Map<Expr, Expr>();
  const visit = (x: Expr, depth: number): Expr => {
    const hit = memo.get(x);
    if (hit) return hit;
    budget.tick();
    budget.checkDepth(depth);
    const out = step(x, (y) => visit(y, depth + 1));
    memo.set(x, out);
    return out;
  };
  return visit(e, 0);
}

export function simplify(e: Expr, options: SimplifyOptions = {}): Expr {
  const budget = options.budget ?? Budget.unlimited();
  return rewriteBottomUp(e, budget, (x, go) => {
    let out: Expr;
    switch (x.kind) {
      case 'num':
      case 'float':
      case 'const':
      case 'sym':
        out = x;
        break;
      case 'add':
        out = makeAdd(x.terms.map(go));
        break;
      case 'mul':
        out = makeMul(x.factors.map(go));
        break;
      case 'pow':
        out = makePow(go(x.base), go(x.exp));
        break;
      case 'call':
        out = makeCall(x.fn, x.args.map(go));
        break;
      case 'cmp':
        out = makeCmp(x.op, go(x.left), go(x.right));
        break;
    }
    return out;
  });
}

/** Split a canonical term into numeric coefficient and the rest (as factors). */
function splitCoeff(t: Expr): [NumExpr, Expr[]] {
  if (isNumber(t)) return [t, []];
  if (t.kind === 'mul' && isNumber(t.factors[0]!)) return [t.factors[0] as NumExpr, t.factors.slice(1)];
  if (t.kind === 'mul') return [rat(1) as NumExpr, [...t.factors]];
  return [rat(1) as NumExpr, [t]];
}

function fromFactors(coeff: NumExpr, rest: readonly Expr[]): Expr {
  if (isZero(coeff)) return ZERO;
  if (rest.length === 0) return coeff;
  if (isOne(coeff) && coeff.kind === 'num') return rest.length === 1 ? rest[0]! : { kind: 'mul', factors: rest };
  return { kind: 'mul', factors: [coeff, ...rest] };
}

/** Canonical sum of already-canonical terms. */
export function makeAdd(input: readonly Expr[]): Expr {
  const flat: Expr[] = [];
  for (const t of input) {
    if (t.kind === 'add') flat.push(...t.terms);
    else flat.push(t);
  }
  let constant: NumExpr = rat(0) as NumExpr;
  const groups = new Map<string, { coeff: NumExpr; rest: readonly Expr[] }>();
  const order: string[] = [];
  for (const t of flat) {
    const [c, rest] = splitCoeff(t);
    if (rest.length === 0) {
      constant = addNum(constant, c);
      continue;
    }
    const k = rest.map(key).join('*');
    const g = groups.get(k);
    if (g) g.coeff = addNum(g.coeff, c);
    else {
      groups.set(k, { coeff: c, rest });
      order.push(k);
    }
  }
  const terms: Expr[] = [];
  for (const k of order) {
    const g = groups.get(k)!;
    if (isZero(g.coeff)) continue;
    terms.push(fromFactors(g.coeff, g.rest));
  }
  if (!isZero(constant)) terms.push(constant);
  if (terms.length === 0) return constant.kind === 'float' ? constant : ZERO;
  if (terms.length === 1) return terms[0]!;
  return { kind: 'add', terms: sortTerms(terms) };
}

/** sin/cos = tan, for the circular and the hyperbolic functions. */
const QUOTIENTS: readonly [FnName, FnName, FnName][] = ['', 'h'].map((h) => [`sin${h}`, `cos${h}`, `tan${h}`]);

/** Canonical product of already-canonical factors. */
export function makeMul(input: readonly Expr[]): Expr {
  const flat: Expr[] = [];
  for (const f of input) {
    if (f.kind === 'mul') flat.push(...f.factors);
    else flat.push(f);
  }
  let coeff: NumExpr = rat(1) as NumExpr;
  // Group factors by base: x·x² → x³. e^a·e^b → e^{a+b}.
  const groups = new Map<string, { base: Expr; exps: Expr[] }>();
  const order: string[] = [];
  const expArgs: Expr[] = [];
  for (const f of flat) {
    if (isNumber(f)) {
      coeff = mulNum(coeff, f);
      continue;
    }
    if (f.kind === 'call' && f.fn === 'exp') {
      expArgs.push(f.args[0]!);
      continue;
    }
    const base = f.kind === 'pow' ? f.base : f;
    const exp = f.kind === 'pow' ? f.exp : ONE;
    const k = key(base);
    const g = groups.get(k);
    if (g) g.exps.push(exp);
    else {
      groups.set(k, { base, exps: [exp] });
      order.push(k);
    }
  }
  if (isZero(coeff)) return coeff.kind === 'float' ? coeff : ZERO;
  const factors: Expr[] = [];
  const pushFactor = (f: Expr) => {
    if (isNumber(f)) coeff = mulNum(coeff, f);
    else if (f.kind === 'mul') {
      for (const g of f.factors) pushFactor(g);
    } else factors.push(f);
  };
  // sin(u)/cos(u) → tan(u), and the same for the hyperbolic functions, when the powers match exactly.
  for (const [num, den, quot] of QUOTIENTS) {
    for (const k of [...order]) {
      const g = groups.get(k);
      if (!g || g.base.kind !== 'call' || g.base.fn !== num || g.exps.length !== 1) continue;
      const dk = key({ kind: 'call', fn: den, args: g.base.args });
      const h = groups.get(dk);
      if (!h || h.exps.length !== 1) continue;
      const e = g.exps[0]!;
      if (!isNumber(e) || !isNumber(h.exps[0]!)) continue;
      if (compareNum(mulNum(e, rat(-1) as NumExpr), h.exps[0] as NumExpr) !== 0) continue;
      groups.delete(k);
      groups.delete(dk);
      order.splice(order.indexOf(dk), 1);
      const t = makeCall(quot, g.base.args);
      order[order.indexOf(k)] = key(t);
      groups.set(key(t), { base: t, exps: [e] });
    }
  }
  for (const k of order) {
    const g = groups.get(k)!;
    const exp = g.exps.length === 1 ? g.exps[0]! : makeAdd(g.exps);
    pushFactor(makePow(g.base, exp));
  }
  if (expArgs.length > 0) pushFactor(makeCall('exp', [makeAdd(expArgs)]));
  if (isZero(coeff)) return ZERO;
  // A lone number times a sum is distributed: 2(x + 1) → 2x + 2, −(a − b) → b − a.
  if (factors.length === 1 && factors[0]!.kind === 'add' && !isOne(coeff)) {
    const c = coeff;
    return makeAdd(factors[0]!.terms.map((t) => makeMul([c, t])));
  }
  // Pull the integer content out of a sum next to other factors: x(2y + 2) → 2x(y + 1),
  // (2x − 2m)/(2s²) → (x − m)/s². Sums inside products stay primitive.
  if (factors.length >= 2) {
    for (let i = 0; i < factors.length; i++) {
      const f = factors[i]!;
      if (f.kind !== 'add') continue;
      const g = integerContent(f);
      if (g <= 1) continue;
      factors[i] = makeAdd(f.terms.map((t) => makeMul([rat(1, g), t])));
      coeff = mulNum(coeff, rat(g) as NumExpr);
    }
  }
  factors.sort(compareFactors);
  return fromFactors(coeff, factors);
}

/** gcd of the integer coefficients of a sum's terms (1 when any coefficient is not an integer). */
function integerContent(sum: Extract<Expr, { kind: 'add' }>): number {
  let g = 0;
  for (const t of sum.terms) {
    const [c] = splitCoeff(t);
    if (c.kind !== 'num' || c.q !== 1) return 1;
    let a = Math.abs(c.p);
    let b = g;
    while (b) [a, b] = [b, a % b];
    g = a;
    if (g === 1) return 1;
  }
  return g;
}

/**
 * Expand products of sums inside sums when that makes the result smaller:
 * 2x(x² + y²) − 2x(x² − y²) → 4xy². Never applied when it grows the tree, so
 * factored textbook forms such as −2x(y − wx − b) stay as they are.
 */
export function expandWhereSmaller(e: Expr, options: SimplifyOptions = {}): Expr {
  const budget = options.budget ?? Budget.unlimited();
  return rewriteBottomUp(e, budget, (x, go) => {
    const kids = childrenOf(x);
    let out = x;
    if (kids.length) {
      const next = kids.map(go);
      if (next.some((k, i) => k !== kids[i])) out = simplify(rebuild(x, next), { budget });
    }
    if (out.kind === 'add') {
      let changed = false;
      const terms = out.terms.map((t) => {
        const ex = expandTerm(t);
        if (ex) changed = true;
        return ex ?? t;
      });
      if (changed) {
        const candidate = makeAdd(terms);
        if (treeSize(candidate) < treeSize(out)) out = candidate;
      }
    }
    if (out.kind === 'add') {
      const factored = factorCommon(out);
      // Only when it clearly pays: x² cos x + 2x sin x reads better than x(x cos x + 2 sin x).
      if (factored && treeSize(factored) <= 0.8 * treeSize(out)) out = factored;
    }
    return out;
  });
}

/**
 * Pull the factors every term shares out of a sum: q·v₁·E/D² − q·v₂·E/D² → q·E(v₁ − v₂)/D².
 * A base is shared when every term has it with a numeric exponent of the same sign; the smallest
 * such power comes out.
 */
function factorCommon(sum: Extract<Expr, { kind: 'add' }>): Expr | undefined {
  const powersOf = (t: Expr): Map<string, { base: Expr; exp: NumExpr }> => {
    const m = new Map<string, { base: Expr; exp: NumExpr }>();
    const [, factors] = splitCoeff(t);
    for (const f of factors) {
      const base = f.kind === 'pow' ? f.base : f;
      const exp = f.kind === 'pow' ? f.exp : ONE;
      if (!isNumber(exp)) continue;
      m.set(key(base), { base, exp });
    }
    return m;
  };
  const maps = sum.terms.map(powersOf);
  const common: Expr[] = [];
  for (const [k, { base, exp }] of maps[0]!) {
    let best = exp;
    let shared = true;
    for (const m of maps.slice(1)) {
      const other = m.get(k);
      if (!other || Math.sign(toFloat(other.exp)) !== Math.sign(toFloat(exp))) {
        shared = false;
        break;
      }
      if (Math.abs(toFloat(other.exp)) < Math.abs(toFloat(best))) best = other.exp;
    }
    if (shared) common.push(makePow(base, best));
  }
  if (common.length === 0) return undefined;
  const divisor = common.map((c) => makePow(c, rat(-1)));
  const rest = makeAdd(sum.terms.map((t) => makeMul([t, ...divisor])));
  return makeMul([...common, rest]);
}

function expandTerm(t: Expr): Expr | undefined {
  if (t.kind !== 'mul') return undefined;
  const sums = t.factors.filter((f): f is Extract<Expr, { kind: 'add' }> => f.kind === 'add');
  if (sums.length === 0) return undefined;
  let acc: Expr[] = [makeMul(t.factors.filter((f) => f.kind !== 'add'))];
  for (const s of sums) {
    if (acc.length * s.terms.length > 64) return undefined;
    acc = acc.flatMap((a) => s.terms.map((u) => makeMul([a, u])));
  }
  return makeAdd(acc);
}

function treeSize(e: Expr): number {
  let n = 0;
  const stack: Expr[] = [e];
  while (stack.length) {
    const x = stack.pop()!;
    n++;
    stack.push(...childrenOf(x));
  }
  return n;
}

/** Canonical power of already-canonical base and exponent. */
export function makePow(base: Expr, exp: Expr): Expr {
  if (isZero(exp)) return ONE;
  if (isOne(exp) && exp.kind === 'num') return base;
  if (isOne(base) && base.kind === 'num') return ONE;
  if (isNumber(base) && isNumber(exp)) {
    const v = powNum(base, exp);
    if (v) return v;
    // Pull out perfect powers is not attempted; a negative base to a fractional power stays as is.
    return { kind: 'pow', base, exp };
  }
  if (base.kind === 'const' && base.name === 'e') return makeCall('exp', [exp]);
  if (base.kind === 'call' && base.fn === 'exp') return makeCall('exp', [makeMul([base.args[0]!, exp])]);
  if (isInteger(exp)) {
    // (x^a)^n = x^{an} for integer n.
    if (base.kind === 'pow') return makePow(base.base, makeMul([base.exp, exp]));
    // (ab)^n = a^n b^n for integer n.
    if (base.kind === 'mul') return makeMul(base.factors.map((f) => makePow(f, exp)));
  } else if (isNumber(exp) && base.kind === 'mul' && isNumber(base.factors[0]!) && toFloat(base.factors[0] as NumExpr) > 0) {
    // (c·u)^r = c^r · u^r for a positive number c: exact where u^r is defined.
    const cr = powNum(base.factors[0] as NumExpr, exp);
    if (cr) return makeMul([cr, makePow(makeMul(base.factors.slice(1)), exp)]);
  }
  return { kind: 'pow', base, exp };
}

/**
 * An exact value the float value `v` stands for: a rational with a small
 * denominator, or such a multiple of π (σ(0) = 1/2, arccos 0 = π/2).
 */
function exactValue(v: number): Expr | undefined {
  if (!Number.isFinite(v)) return undefined;
  for (const q of [1, 2, 3, 4, 6]) {
    if (Number.isInteger(v * q)) return rat(v * q, q);
    const w = (v / Math.PI) * q;
    if (Math.abs(w - Math.round(w)) < 1e-15 * Math.max(1, Math.abs(w)) && Math.round(w) !== 0) {
      return makeMul([rat(Math.round(w), q), { kind: 'const', name: 'pi' }]);
    }
  }
  return undefined;
}

function numberValue(e: Expr): number | undefined {
  return isNumber(e) ? toFloat(e) : undefined;
}

/** Canonical function application of already-canonical arguments. */
export function makeCall(fn: FnName, args: readonly Expr[]): Expr {
  const a = args[0]!;
  const entry = op(fn);
  // Exact values from the catalogue's value: at 0 and 1 (sin 0 = 0, σ(0) = 1/2, ln 1 = 0, arccos 0 = π/2), and
  // piecewise functions of any exact number (ReLU(−3) = 0, |−2| = 2).
  if (entry && args.every((x) => x.kind === 'num')) {
    const vals = args.map((x) => toFloat(x as NumExpr));
    const v = entry.forward(vals.slice(0, entry.arity), vals.slice(entry.arity));
    if (args.length === 1 && (isZero(a) || isOne(a))) {
      const exact = exactValue(v);
      if (exact) return exact;
    }
    if (entry.kinks.length) {
      if (v === 0) return ZERO;
      if (v === 1) return ONE;
      const same = args.find((x) => toFloat(x as NumExpr) === v);
      if (same) return same;
      if (args.length === 1 && v === -vals[0]!) return mulNum(a as NumExpr, rat(-1) as NumExpr);
      if (v === -1) return rat(-1);
    }
  }
  switch (fn) {
    case 'exp':
      if (a.kind === 'call' && a.fn === 'log') return a.args[0]!;
      // e^{n ln u} = u^n for integer n (exact where ln u is defined).
      if (a.kind === 'mul' && a.factors.length === 2 && isInteger(a.factors[0]!)) {
        const l = a.factors[1]!;
        if (l.kind === 'call' && l.fn === 'log') return makePow(l.args[0]!, a.factors[0]!);
      }
      break;
    case 'log':
      if (a.kind === 'call' && a.fn === 'exp') return a.args[0]!;
      if (a.kind === 'const' && a.name === 'e') return ONE;
      break;
    case 'abs': {
      const v = numberValue(a);
      if (v !== undefined) return v < 0 ? mulNum(a as NumExpr, rat(-1) as NumExpr) : a;
      // |f(u)| = f(u) for a function that is never negative.
      if (a.kind === 'call' && op(a.fn)?.nonnegative) return a;
      break;
    }
    case 'max':
    case 'min': {
      const b = args[1]!;
      if (equals(a, b)) return a;
      if (isNumber(a) && isNumber(b)) {
        const c = compareNum(a, b);
        return fn === 'max' ? (c >= 0 ? a : b) : c <= 0 ? a : b;
      }
      break;
    }
    case 'where': {
      const [c, x, y] = args as [Expr, Expr, Expr];
      if (equals(x, y)) return x;
      if (isNumber(c)) return isZero(c) ? y : x;
      break;
    }
    default:
      break;
  }
  return call(fn, ...args);
}

export function makeCmp(op: Extract<Expr, { kind: 'cmp' }>['op'], left: Expr, right: Expr): Expr {
  const l = numValue(left);
  const r = numValue(right);
  if (l !== undefined && r !== undefined && isNumber(left) && isNumber(right)) {
    const v =
      op === '<' ? l < r : op === '<=' ? l <= r : op === '>' ? l > r : op === '>=' ? l >= r : op === '==' ? l === r : l !== r;
    return v ? ONE : ZERO;
  }
  return { kind: 'cmp', op, left, right };
}

/** A quick structural check used by tests: is the tree in canonical form? */
export function isCanonical(e: Expr): boolean {
  return equals(simplify(e), e);
}


// ---------------------------------------------------------------------------
// Textbook factoring of polynomials in σ(u) and tanh(u)

/** Highest degree a polynomial in σ(u) / tanh(u) may reach to be factored (keeps the pass cheap). */
const MAX_ACT_DEGREE = 12;
const ACTIVATIONS: ReadonlySet<string> = new Set(['sigmoid', 'tanh']);

type Poly = NumExpr[];

function polyAdd(a: Poly, b: Poly): Poly {
  const out: Poly = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(addNum((a[i] ?? ZERO) as NumExpr, (b[i] ?? ZERO) as NumExpr));
  return polyTrim(out);
}

function polyMul(a: Poly, b: Poly): Poly {
  const out: Poly = [];
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) out[i + j] = addNum((out[i + j] ?? ZERO) as NumExpr, mulNum(a[i]!, b[j]!));
  }
  for (let i = 0; i < out.length; i++) out[i] ??= ZERO as NumExpr;
  return polyTrim(out);
}

function polyTrim(a: Poly): Poly {
  const out = [...a];
  while (out.length && isZero(out[out.length - 1]!)) out.pop();
  return out;
}

/** a = (c0 + c1·u) · q exactly, or undefined (c1 ≠ 0). */
function polyDivLinear(a: Poly, c0: number, c1: number): Poly | undefined {
  if (a.length < 2 || a.some((c) => c.kind !== 'num')) return undefined;
  // Synthetic division from the top: q[n-1] = a[n]/c1, q[k-1] = (a[k] − c0·q[k])/c1.
  const n = a.length - 1;
  const q: Poly = new Array<NumExpr>(n);
  let carry: NumExpr = ZERO as NumExpr;
  for (let k = n; k >= 1; k--) {
    const num = addNum(a[k]!, mulNum(rat(-c0) as NumExpr, carry));
    carry = mulNum(num, rat(1, c1) as NumExpr);
    q[k - 1] = carry;
  }
  // The remainder: a[0] − c0·q[0].
  const rem = addNum(a[0]!, mulNum(rat(-c0) as NumExpr, q[0]!));
  return isZero(rem) ? q : undefined;
}

/**
 * A term as coefficient · (the factors free of the activation) · P(activation), or undefined
 * when the activation occurs other than in a polynomial.
 */
function actTerm(t: Expr, atom: Expr): { coeff: NumExpr; rest: Expr[]; poly: Poly } | undefined {
  const factors = t.kind === 'mul' ? t.factors : [t];
  let coeff = ONE as NumExpr;
  const rest: Expr[] = [];
  let poly: Poly = [ONE as NumExpr];
  for (const f of factors) {
    if (isNumber(f)) {
      coeff = mulNum(coeff, f);
      continue;
    }
    const p = actPoly(f, atom, 0);
    if (p === null) rest.push(f);
    else if (p === undefined) return undefined;
    else poly = polyMul(poly, p);
    if (poly.length > MAX_ACT_DEGREE + 1) return undefined;
  }
  return { coeff, rest, poly };
}

/** The polynomial in `atom` that `e` is; null when `e` does not contain it; undefined when not a polynomial. */
function actPoly(e: Expr, atom: Expr, level: number): Poly | null | undefined {
  if (equals(e, atom)) return [ZERO as NumExpr, ONE as NumExpr];
  if (!containsExpr(e, atom)) return null;
  if (level > 3) return undefined;
  if (e.kind === 'pow' && e.exp.kind === 'num' && e.exp.q === 1 && e.exp.p > 0 && e.exp.p <= MAX_ACT_DEGREE) {
    const b = actPoly(e.base, atom, level + 1);
    if (!b) return undefined;
    let out: Poly = [ONE as NumExpr];
    for (let i = 0; i < e.exp.p; i++) out = polyMul(out, b);
    return out.length > MAX_ACT_DEGREE + 1 ? undefined : out;
  }
  if (e.kind === 'add') {
    let out: Poly = [];
    for (const t of e.terms) {
      const term = actTerm(t, atom);
      if (!term || term.rest.length) return undefined;
      out = polyAdd(out, term.poly.map((c) => mulNum(c, term.coeff)));
    }
    return out;
  }
  if (e.kind === 'mul') {
    const term = actTerm(e, atom);
    return term && !term.rest.length ? term.poly.map((c) => mulNum(c, term.coeff)) : undefined;
  }
  return undefined;
}

function containsExpr(e: Expr, what: Expr): boolean {
  if (equals(e, what)) return true;
  return childrenOf(e).some((k) => containsExpr(k, what));
}

function findActivation(e: Expr, level = 0): Expr | undefined {
  if (e.kind === 'call' && ACTIVATIONS.has(e.fn)) return e;
  if (level > 4) return undefined;
  for (const k of childrenOf(e)) {
    const a = findActivation(k, level + 1);
    if (a) return a;
  }
  return undefined;
}

function numGcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Σ cᵢuⁱ as written in a textbook: constant first (1 − 2σ(x), 1 − 3tanh²(x)). */
function polyExpr(p: Poly, atom: Expr): Expr {
  const terms: Expr[] = [];
  p.forEach((c, i) => {
    if (isZero(c)) return;
    const u = i === 0 ? undefined : i === 1 ? atom : ({ kind: 'pow', base: atom, exp: rat(i) } as Expr);
    if (!u) terms.push(c);
    else if (isOne(c)) terms.push(u);
    else terms.push({ kind: 'mul', factors: [c, u] });
  });
  return terms.length === 1 ? terms[0]! : { kind: 'add', terms };
}

/** Try to write a sum that is a polynomial in σ(u) or tanh(u) (times common factors) in factored form. */
function factorSum(e: Extract<Expr, { kind: 'add' }>): Expr | undefined {
  const atom = findActivation(e);
  if (!atom || atom.kind !== 'call') return undefined;
  let restKey: string | undefined;
  let rest: Expr[] = [];
  let poly: Poly = [];
  for (const t of e.terms) {
    const term = actTerm(t, atom);
    if (!term) return undefined;
    const k = term.rest.map(key).join('\u0001');
    if (restKey === undefined) {
      restKey = k;
      rest = term.rest;
    } else if (k !== restKey) return undefined;
    poly = polyAdd(poly, term.poly.map((c) => mulNum(c, term.coeff)));
  }
  if (poly.length < 2 || poly.some((c) => c.kind !== 'num')) return undefined;
  // u^a
  let a = 0;
  while (a < poly.length && isZero(poly[a]!)) a++;
  let q = poly.slice(a);
  const factors: Expr[] = [];
  if (a > 0) factors.push(a === 1 ? atom : { kind: 'pow', base: atom, exp: rat(a) });
  const oneMinusU: Expr = { kind: 'add', terms: [ONE, { kind: 'mul', factors: [rat(-1), atom] }] };
  const onePlusU: Expr = { kind: 'add', terms: [ONE, atom] };
  const powOf = (b: Expr, n: number): Expr => (n === 1 ? b : { kind: 'pow', base: b, exp: rat(n) });
  if (atom.fn === 'tanh') {
    // 1 − u² as a whole, then what is left of 1 − u and 1 + u.
    const oneMinusU2: Expr = { kind: 'add', terms: [ONE, { kind: 'mul', factors: [rat(-1), { kind: 'pow', base: atom, exp: rat(2) }] }] };
    let both = 0;
    for (;;) {
      const d1 = polyDivLinear(q, 1, -1);
      const d2 = d1 && polyDivLinear(d1, 1, 1);
      if (!d2) break;
      q = d2;
      both++;
    }
    if (both) factors.push(powOf(oneMinusU2, both));
  }
  for (const [c1, f] of [[-1, oneMinusU], [1, onePlusU]] as const) {
    if (c1 === 1 && atom.fn !== 'tanh') break;
    let n = 0;
    for (;;) {
      const d = polyDivLinear(q, 1, c1);
      if (!d) break;
      q = d;
      n++;
    }
    if (n) factors.push(powOf(f, n));
  }
  // Content and sign of what is left, so it reads 1 − 2σ rather than −1/2 + σ.
  q = polyTrim(q);
  if (!q.length) return undefined;
  let g = 0;
  let l = 1;
  for (const c of q) {
    if (c.kind !== 'num') return undefined;
    if (c.p === 0) continue;
    g = numGcd(g, c.p);
    l = (l / numGcd(l, c.q)) * c.q;
    if (!Number.isSafeInteger(l)) return undefined;
  }
  const lead = q.find((c) => !isZero(c)) as Extract<NumExpr, { kind: 'num' }>;
  const content = rat(lead.p < 0 ? -g : g, l) as NumExpr;
  const normalized = q.map((c) => mulNum(c, rat(content.kind === 'num' ? content.q : 1, content.kind === 'num' ? content.p : 1) as NumExpr));
  if (normalized.length > 1) factors.push(polyExpr(normalized, atom));
  const out: Expr[] = [];
  if (!isOne(content)) out.push(content);
  out.push(...rest, ...factors);
  const result = out.length === 1 ? out[0]! : ({ kind: 'mul', factors: out } as Expr);
  return result;
}

/**
 * Write sums that are polynomials in σ(u) or tanh(u) as a textbook does:
 * σ(1 − σ)(1 − 2σ) rather than (1 − σ)²σ − σ² + σ³, −2 tanh(1 − tanh²) rather than
 * 2tanh³ − 2tanh. A rewrite is kept only where it makes the tree smaller, so no
 * result grows. A presentation pass: run it last (its products keep a textbook order).
 */
export function factorActivations(e: Expr, options: SimplifyOptions = {}): Expr {
  const budget = options.budget ?? Budget.unlimited();
  return rewriteBottomUp(e, budget, (x, go) => {
    const kids = childrenOf(x);
    let out = x;
    if (kids.length) {
      const next = kids.map(go);
      if (next.some((k, i) => k !== kids[i])) {
        if (x.kind === 'mul') {
          // Keep the product flat, its number in front.
          const flat: Expr[] = [];
          let coeff = ONE as NumExpr;
          for (const f of next) for (const g of f.kind === 'mul' ? f.factors : [f]) {
            if (isNumber(g)) coeff = mulNum(coeff, g);
            else flat.push(g);
          }
          out = isZero(coeff) ? ZERO : flat.length === 0 ? coeff : isOne(coeff) && flat.length === 1 ? flat[0]! : { kind: 'mul', factors: isOne(coeff) ? flat : [coeff, ...flat] };
        } else out = rebuild(x, next);
      }
    }
    // Only sums a reader takes in at a glance (this keeps the pass linear on large results).
    if (out.kind === 'add' && atMost(out, MAX_FACTOR_NODES)) {
      const f = factorSum(out);
      if (f && size(f) < size(out)) out = f;
    }
    return out;
  });
}

/** Largest sum (in tree nodes) the factoring pass looks at. */
const MAX_FACTOR_NODES = 300;

/** True when `e` has at most `cap` tree nodes (stops counting past it). */
function atMost(e: Expr, cap: number): boolean {
  let n = 0;
  const stack: Expr[] = [e];
  while (stack.length) {
    const x = stack.pop()!;
    if (++n > cap) return false;
    for (const c of childrenOf(x)) stack.push(c);
  }
  return true;
}
