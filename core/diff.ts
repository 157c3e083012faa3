/**
 * Symbolic differentiation with a derivation a learner can follow.
 *
 * Each function contributes only its own derivative, read from the operation
 * catalogue (core/ops/: the formula over a Builder, the rule's name and LaTeX,
 * the kinks); the chain rule (over every argument), the product rule (for any
 * number of factors) and the quotient rule are written once. Every rule application
 * records a step: the expression before (as d/dx[…]) and after, where the
 * derivatives still to be taken appear unevaluated, as a textbook writes them.
 *
 * Piecewise functions are differentiated almost everywhere and their kinks
 * (the catalogue's) are reported, with the value used at the kink (the one
 * PyTorch's autograd uses). where and clip select among their
 * arguments' derivatives, written once below as a conditional.
 *
 * Recursion follows the tree; its depth is bounded by the parser's depth
 * limit and checked against the budget.
 */
import { Budget } from './budget';
import {
  type Expr,
  type FnName,
  NEG_ONE,
  ONE,
  PI,
  TWO,
  ZERO,
  call,
  children,
  cmp,
  equals,
  isFnName,
  isOne,
  isZero,
  numFromText,
  rat,
} from './expr';
import { isNumber, toFloat } from './num';
import { type Builder, OPS, op, opOf } from './ops';
import { latexSymbol, toLatex, toText } from './print';
import { makeAdd, makeMul, simplify } from './simplify';

export interface DiffStep {
  rule: string;
  latex: string;
  /** The same step as plain text: `d/dx[sin(x^2)] = cos(x^2)*d/dx[x^2]`. */
  text: string;
  depth: number;
  /** The outer function's own derivative, for chain-rule steps: `\frac{d}{du}\sin u = \cos u`. */
  detail?: string;
}

export interface KinkInfo {
  /** The kink lies where this expression is zero. */
  zero: Expr;
  latex: string;
  /** The condition as plain text, such as `x - 1 = 0`. */
  plain: string;
  text: string;
}

export interface DiffResult {
  /** The derivative as assembled by the rules, before final simplification. */
  raw: Expr;
  steps: DiffStep[];
  kinks: KinkInfo[];
  /** True when the step list was truncated (the derivative itself is complete). */
  stepsTruncated: boolean;
}

export interface DiffOptions {
  budget?: Budget;
  /** Use ∂ rather than d (the function has several variables). */
  partial?: boolean;
  /** At most this many steps are recorded (default 300). */
  maxSteps?: number;
}

// ---------------------------------------------------------------------------
// Light constructors for assembling results: drop 0 and 1, nothing more, so
// the steps show the rule's shape. The final result is simplified separately.

function mulL(...fs: Expr[]): Expr {
  const out: Expr[] = [];
  for (const f of fs) {
    if (isZero(f)) return ZERO;
    if (isOne(f) && f.kind === 'num') continue;
    if (f.kind === 'mul') out.push(...f.factors);
    else out.push(f);
  }
  if (out.length === 0) return ONE;
  if (out.length === 1) return out[0]!;
  // Keep a leading −1 with its number: −1·2·x → −2x.
  if (out.length >= 2 && isNumber(out[0]!) && isNumber(out[1]!)) {
    return makeMul(out);
  }
  return { kind: 'mul', factors: out };
}

function addL(...ts: Expr[]): Expr {
  const out: Expr[] = [];
  for (const t of ts) {
    if (isZero(t)) continue;
    if (t.kind === 'add') out.push(...t.terms);
    else out.push(t);
  }
  if (out.length === 0) return ZERO;
  if (out.length === 1) return out[0]!;
  return { kind: 'add', terms: out };
}

const negL = (x: Expr): Expr => (isNumber(x) ? makeMul([NEG_ONE, x]) : mulL(NEG_ONE, x));
const powL = (b: Expr, e: Expr): Expr => (isOne(e) && e.kind === 'num' ? b : isZero(e) ? ONE : { kind: 'pow', base: b, exp: e });
const divL = (a: Expr, b: Expr): Expr => mulL(a, powL(b, NEG_ONE));
const sqr = (x: Expr): Expr => powL(x, TWO);

// ---------------------------------------------------------------------------
// Each function's own derivative comes from the operation catalogue
// (core/ops/): its formula is written once over a Builder, built here with the
// light constructors, including PyTorch's value at a kink (maximum's tie: 1/2).

const LIGHT: Builder<Expr> = {
  num: (p, q = 1) => (Number.isInteger(p) && Number.isInteger(q) ? rat(p, q) : numFromText(String(p / q))),
  pi: () => PI,
  add: (...t) => addL(...t),
  sub: (a, b) => addL(a, negL(b)),
  mul: (...f) => mulL(...f),
  div: (a, b) => divL(a, b),
  neg: (a) => negL(a),
  pow: (a, b) => powL(a, b),
  call: (name, ...args) => {
    const e = op(name);
    return e?.expand && args.length === e.arity ? e.expand(LIGHT, args) : call(name, ...args);
  },
  // A number on the right of a symmetric comparison: x == 0, not 0 == x.
  cmp: (o, a, b) => ((o === '==' || o === '!=') && isNumber(a) && !isNumber(b) ? cmp(o, b, a) : cmp(o, a, b)),
  where: (c, a, b) => (equals(a, b) ? a : call('where', c, a, b)),
};

/** The partial derivatives of a call with respect to its array arguments, from the catalogue. */
export function partials(fn: FnName, args: readonly Expr[]): Expr[] {
  const entry = opOf(fn);
  return entry.derivative.d(LIGHT, args.slice(0, entry.arity), args.slice(entry.arity));
}

/** One-argument functions: f ↦ f′(u), the rule's name and formula, from the catalogue. */
export const RULES: Readonly<Record<string, { rule: string; formula: string; d: (u: Expr) => Expr }>> = Object.fromEntries(
  OPS.filter((e) => e.arity === 1 && !e.expand && isFnName(e.name)).map((e) => [
    e.name,
    { rule: e.derivative.rule, formula: e.derivative.formula, d: (u: Expr) => partials(e.name, [u, ...e.params.map((p) => numFromText(String(p.default)))])[0]! },
  ]),
);

/** Functions whose derivative selects among their arguments' derivatives (written once below, with PyTorch's choice at a switch). */
const SELECTORS = new Set(['where', 'clip']);

/** A catalogue kink note as a sentence for the panel. */
function kinkNote(note: string): string {
  const s = note.charAt(0).toUpperCase() + note.slice(1);
  return /[.!]$/.test(s) ? s : `${s}.`;
}

/** Every comparison inside a condition. */
function comparisons(c: Expr): Extract<Expr, { kind: 'cmp' }>[] {
  const out: Extract<Expr, { kind: 'cmp' }>[] = [];
  const stack: Expr[] = [c];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.kind === 'cmp') out.push(x);
    else stack.push(...children(x));
  }
  return out.reverse();
}

// ---------------------------------------------------------------------------

const PLACEHOLDER = '\u0001d';
/** Steps stop being recorded past this much LaTeX: a derivation nobody can read is not worth sending. */
const MAX_STEP_CHARS = 200_000;

export function differentiate(f: Expr, x: string, options: DiffOptions = {}): DiffResult {
  const budget = options.budget ?? Budget.unlimited();
  const maxSteps = options.maxSteps ?? 300;
  const steps: DiffStep[] = [];
  const kinks: KinkInfo[] = [];
  const kinkKeys = new Set<string>();
  let truncated = false;
  let latexChars = 0;
  // Memoized "does this subtree contain x?", so the walk stays linear.
  const depCache = new Map<Expr, boolean>();
  const dependsOn = (e: Expr): boolean => {
    const hit = depCache.get(e);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (e.kind === 'sym') r = e.name === x;
    else r = children(e).some(dependsOn);
    depCache.set(e, r);
    return r;
  };
  const xl = latexSymbol(x);
  const op = options.partial ? `\\frac{\\partial}{\\partial ${xl}}` : `\\frac{d}{d${xl.length > 1 ? ' ' : ''}${xl}}`;
  const D = (e: Expr) => `${op}\\left[${toLatex(e)}\\right]`;
  const Dt = (e: Expr) => `${options.partial ? '∂' : 'd'}/${options.partial ? '∂' : 'd'}${x}[${toText(e)}]`;

  const addKink = (zero: Expr, text: string) => {
    let z = simplify(zero, { budget });
    // The same zero set with a positive leading coefficient: x = 0, not −x = 0.
    if (z.kind === 'mul' && isNumber(z.factors[0]!) && toFloat(z.factors[0] as never) < 0) z = simplify(makeMul([NEG_ONE, z]), { budget });
    const latex = `${toLatex(z)} = 0`;
    if (kinkKeys.has(latex)) return;
    kinkKeys.add(latex);
    kinks.push({ zero: z, latex, plain: `${toText(z)} = 0`, text });
  };

  /**
   * Record a rule application. `build` assembles the result from the
   * derivatives of `kids`; it is called once with placeholders (for the step)
   * and once with the real derivatives.
   */
  const apply = (
    e: Expr,
    depth: number,
    rule: string,
    kids: readonly Expr[],
    build: (ds: readonly Expr[]) => Expr,
    detail?: string,
  ): Expr => {
    if (steps.length < maxSteps && latexChars < MAX_STEP_CHARS) {
      const raw = new Map<string, string>();
      const holders = kids.map((k, i) => {
        const name = `${PLACEHOLDER}${depth}_${i}`;
        raw.set(name, D(k));
        return { kind: 'sym', name } as Expr;
      });
      const shown = build(holders);
      let text = `${Dt(e)} = ${toText(shown)}`;
      kids.forEach((k, i) => (text = text.split(`${PLACEHOLDER}${depth}_${i}`).join(Dt(k))));
      const step: DiffStep = { rule, latex: `${D(e)} = ${toLatex(shown, { raw })}`, text, depth };
      latexChars += step.latex.length;
      if (detail) step.detail = detail;
      steps.push(step);
    } else truncated = true;
    const ds = kids.map((k) => go(k, depth + 1));
    return build(ds);
  };

  const go = (e: Expr, depth: number): Expr => {
    budget.tick();
    budget.checkDepth(depth);
    if (!dependsOn(e)) return ZERO;
    switch (e.kind) {
      case 'num':
      case 'float':
      case 'const':
        return ZERO;
      case 'sym':
        return e.name === x ? ONE : ZERO;
      case 'add': {
        // Terms without the variable have derivative 0 and drop out here.
        const deps = e.terms.filter((t) => dependsOn(t));
        return apply(e, depth, 'sum rule', deps, (ds) => addL(...ds));
      }
      case 'mul':
        return mulRule(e, depth);
      case 'pow':
        return powRule(e, depth);
      case 'call':
        return callRule(e, depth);
      case 'cmp':
        // A comparison is piecewise constant: derivative 0 away from where it switches.
        addKink(makeAdd([e.left, makeMul([NEG_ONE, e.right])]), 'A comparison jumps between 0 and 1 here.');
        return ZERO;
    }
  };

  const mulRule = (e: Extract<Expr, { kind: 'mul' }>, depth: number): Expr => {
    const consts = e.factors.filter((f) => !dependsOn(f));
    const deps = e.factors.filter((f) => dependsOn(f));
    const c = consts.length ? mulL(...consts) : ONE;
    if (deps.length === 1) {
      return apply(e, depth, 'constant multiple rule', deps, (ds) => mulL(c, ds[0]!));
    }
    // Quotient rule when exactly one dependent factor is a reciprocal power and others are on top.
    const dens = deps.filter((f) => f.kind === 'pow' && isNumber(f.exp) && toFloat(f.exp) < 0);
    if (dens.length === 1 && deps.length >= 2) {
      const den = dens[0] as Extract<Expr, { kind: 'pow' }>;
      const nums = deps.filter((f) => f !== den);
      const u = mulL(...nums);
      const ne = den.exp.kind === 'num' ? rat(-den.exp.p, den.exp.q) : { kind: 'float' as const, value: -toFloat(den.exp as never) };
      const v = powL(den.base, ne);
      return apply(e, depth, 'quotient rule', [u, v], ([du, dv]) =>
        mulL(c, divL(addL(mulL(du!, v), negL(mulL(u, dv!))), sqr(v))),
      );
    }
    return apply(e, depth, 'product rule', deps, (ds) =>
      mulL(c, addL(...ds.map((d, i) => mulL(...deps.slice(0, i), d, ...deps.slice(i + 1))))),
    );
  };

  const powRule = (e: Extract<Expr, { kind: 'pow' }>, depth: number): Expr => {
    const { base, exp } = e;
    const baseDep = dependsOn(base);
    const expDep = dependsOn(exp);
    if (baseDep && !expDep) {
      const n = exp;
      const nm1 = isNumber(n) ? makeAdd([n, NEG_ONE]) : addL(n, NEG_ONE);
      const outer = (u: Expr) => mulL(n, powL(u, nm1));
      const formula = `\\frac{d}{du} u^{${toLatex(n)}} = ${toLatex(outer({ kind: 'sym', name: 'u' }))}`;
      if (base.kind === 'sym') return apply(e, depth, 'power rule', [], () => outer(base));
      return apply(e, depth, 'chain rule', [base], ([d]) => mulL(outer(base), d!), `power rule: ${formula}`);
    }
    if (!baseDep && expDep) {
      const lnA = base.kind === 'const' && base.name === 'e' ? ONE : call('log', base);
      const formula = `\\frac{d}{du} a^{u} = a^{u} \\ln a`;
      if (exp.kind === 'sym') return apply(e, depth, 'exponential rule', [], () => mulL(e, lnA));
      return apply(e, depth, 'chain rule', [exp], ([d]) => mulL(e, lnA, d!), `exponential rule: ${formula}`);
    }
    // u^v with both dependent: logarithmic differentiation.
    return apply(
      e,
      depth,
      'generalized power rule',
      [base, exp],
      ([du, dv]) => mulL(e, addL(mulL(dv!, call('log', base)), mulL(exp, divL(du!, base)))),
      '\\frac{d}{dx} u^{v} = u^{v}\\left(v\' \\ln u + \\frac{v u\'}{u}\\right)',
    );
  };

  const callRule = (e: Extract<Expr, { kind: 'call' }>, depth: number): Expr => {
    const { fn, args } = e;
    if (!SELECTORS.has(fn)) {
      const entry = opOf(fn);
      const arrays = args.slice(0, entry.arity);
      const params = args.slice(entry.arity);
      const paramDep = params.some((p) => dependsOn(p));
      if (paramDep && !entry.derivative.dparams) throw new Error(`${entry.title}: differentiating through its parameter is not supported`);
      const zeroAt = arrays.length === 1 ? arrays[0]! : makeAdd([arrays[0]!, makeMul([NEG_ONE, arrays[1]!])]);
      for (const k of entry.kinks) addKink(k.at === 0 ? zeroAt : makeAdd([zeroAt, rat(-k.at)]), kinkNote(k.note));
      const { rule, formula } = entry.derivative;
      const dep = args.map((a) => dependsOn(a));
      const ds = partials(fn, args);
      if (paramDep) ds.push(...entry.derivative.dparams!(LIGHT, arrays, params));
      if (arrays.length === 1 && arrays[0]!.kind === 'sym' && !paramDep) return apply(e, depth, rule, [], () => ds[0]!);
      const kids = args.filter((_, i) => dep[i]);
      const parts = ds.filter((_, i) => dep[i]);
      return apply(e, depth, 'chain rule', kids, (dk) => addL(...parts.map((p, i) => mulL(p, dk[i]!))), `${rule}: ${formula}`);
    }
    switch (fn) {
      case 'where': {
        const [c, a, b] = args as [Expr, Expr, Expr];
        for (const k of comparisons(c)) {
          if (!dependsOn(k)) continue;
          addKink(
            makeAdd([k.left, makeMul([NEG_ONE, k.right])]),
            'where(…) switches branches here; it is not differentiable there unless both branches meet smoothly.',
          );
        }
        return apply(e, depth, 'piecewise rule (where)', [a, b], ([da, db]) => call('where', c, da!, db!));
      }
      case 'clip': {
        const [v, lo, hi] = args as [Expr, Expr, Expr];
        addKink(makeAdd([v, makeMul([NEG_ONE, lo])]), 'clip is not differentiable at its lower bound.');
        addKink(makeAdd([v, makeMul([NEG_ONE, hi])]), 'clip is not differentiable at its upper bound.');
        const l = isNumber(lo) ? toFloat(lo) : undefined;
        const h = isNumber(hi) ? toFloat(hi) : undefined;
        if (l !== undefined && h !== undefined && l <= h) {
          return apply(e, depth, 'piecewise rule (clip)', [v, lo, hi], ([dv, dlo, dhi]) =>
            call('where', cmp('<', v, lo), dlo!, call('where', cmp('>', v, hi), dhi!, dv!)),
          );
        }
        // Bounds that may cross: NumPy's clip is min(max(x, lo), hi), so hi wins when lo > hi.
        addKink(makeAdd([lo, makeMul([NEG_ONE, hi])]), 'clip switches to its upper bound where lo = hi.');
        return apply(e, depth, 'piecewise rule (clip)', [v, lo, hi], ([dv, dlo, dhi]) =>
          call('where', cmp('<', call('max', v, lo), hi), call('where', cmp('>', v, lo), dv!, dlo!), dhi!),
        );
      }
      default:
        throw new Error(`no derivative rule for ${fn}`);
    }
  };

  const raw = go(f, 0);
  return { raw, steps, kinks, stepsTruncated: truncated };
}
