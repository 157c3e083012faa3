/**
 * Symbolic differentiation with a derivation a learner can follow.
 *
 * Each function contributes only its own derivative (the RULES table, with the
 * formula it uses as data); the chain rule, the product rule (for any number
 * of factors) and the quotient rule are written once. Every rule application
 * records a step: the expression before (as d/dx[…]) and after, where the
 * derivatives still to be taken appear unevaluated, as a textbook writes them.
 *
 * Piecewise functions (abs, ReLU, leaky ReLU, max, min, where, clip, sign) are
 * differentiated almost everywhere and their kinks are reported, with the
 * value used at the kink (the one PyTorch's autograd uses).
 *
 * Recursion follows the tree; its depth is bounded by the parser's depth
 * limit and checked against the budget.
 */
import { Budget } from './budget';
import {
  type Expr,
  type FnName,
  HALF,
  NEG_ONE,
  ONE,
  PI,
  TWO,
  ZERO,
  call,
  children,
  cmp,
  isOne,
  isZero,
  numFromText,
  rat,
} from './expr';
import { isNumber, toFloat } from './num';
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
const sqrtL = (x: Expr): Expr => powL(x, HALF);
const sqr = (x: Expr): Expr => powL(x, TWO);

// ---------------------------------------------------------------------------
// The table of one-argument functions: f ↦ f′(u), the rule's name, and the
// formula as LaTeX (shown in chain-rule steps).

interface UnaryRule {
  rule: string;
  /** f′(u). */
  d: (u: Expr) => Expr;
  /** LaTeX of d/du f(u) = f′(u), with u as the argument. */
  formula: string;
  /** A kink at u = 0 (and what is used there). */
  kink?: string;
}

const GELU_C = numFromText('0.044715');
const SQRT_2_OVER_PI = sqrtL(divL(TWO, PI));

const sig = (u: Expr) => call('sigmoid', u);
const oneMinus = (x: Expr) => addL(ONE, negL(x));

export const RULES: Partial<Record<FnName, UnaryRule>> = {
  exp: { rule: 'exponential rule', d: (u) => call('exp', u), formula: '\\frac{d}{du} e^{u} = e^{u}' },
  log: { rule: 'logarithm rule', d: (u) => divL(ONE, u), formula: '\\frac{d}{du} \\ln u = \\frac{1}{u}' },
  log2: {
    rule: 'logarithm rule',
    d: (u) => divL(ONE, mulL(u, call('log', TWO))),
    formula: '\\frac{d}{du} \\log_2 u = \\frac{1}{u \\ln 2}',
  },
  log10: {
    rule: 'logarithm rule',
    d: (u) => divL(ONE, mulL(u, call('log', rat(10)))),
    formula: '\\frac{d}{du} \\log_{10} u = \\frac{1}{u \\ln 10}',
  },
  log1p: { rule: 'logarithm rule', d: (u) => divL(ONE, addL(ONE, u)), formula: '\\frac{d}{du} \\ln(1 + u) = \\frac{1}{1 + u}' },
  expm1: { rule: 'exponential rule', d: (u) => call('exp', u), formula: '\\frac{d}{du} (e^{u} - 1) = e^{u}' },
  sin: { rule: 'trigonometric rule', d: (u) => call('cos', u), formula: '\\frac{d}{du} \\sin u = \\cos u' },
  cos: { rule: 'trigonometric rule', d: (u) => negL(call('sin', u)), formula: '\\frac{d}{du} \\cos u = -\\sin u' },
  tan: { rule: 'trigonometric rule', d: (u) => sqr(call('sec', u)), formula: '\\frac{d}{du} \\tan u = \\sec^2 u' },
  sec: {
    rule: 'trigonometric rule',
    d: (u) => mulL(call('sec', u), call('tan', u)),
    formula: '\\frac{d}{du} \\sec u = \\sec u \\tan u',
  },
  csc: {
    rule: 'trigonometric rule',
    d: (u) => negL(mulL(call('csc', u), call('cot', u))),
    formula: '\\frac{d}{du} \\csc u = -\\csc u \\cot u',
  },
  cot: { rule: 'trigonometric rule', d: (u) => negL(sqr(call('csc', u))), formula: '\\frac{d}{du} \\cot u = -\\csc^2 u' },
  asin: {
    rule: 'inverse trigonometric rule',
    d: (u) => divL(ONE, sqrtL(oneMinus(sqr(u)))),
    formula: '\\frac{d}{du} \\arcsin u = \\frac{1}{\\sqrt{1 - u^2}}',
  },
  acos: {
    rule: 'inverse trigonometric rule',
    d: (u) => negL(divL(ONE, sqrtL(oneMinus(sqr(u))))),
    formula: '\\frac{d}{du} \\arccos u = -\\frac{1}{\\sqrt{1 - u^2}}',
  },
  atan: {
    rule: 'inverse trigonometric rule',
    d: (u) => divL(ONE, addL(ONE, sqr(u))),
    formula: '\\frac{d}{du} \\arctan u = \\frac{1}{1 + u^2}',
  },
  sinh: { rule: 'hyperbolic rule', d: (u) => call('cosh', u), formula: '\\frac{d}{du} \\sinh u = \\cosh u' },
  cosh: { rule: 'hyperbolic rule', d: (u) => call('sinh', u), formula: '\\frac{d}{du} \\cosh u = \\sinh u' },
  tanh: {
    rule: 'hyperbolic rule',
    d: (u) => oneMinus(sqr(call('tanh', u))),
    formula: '\\frac{d}{du} \\tanh u = 1 - \\tanh^2 u',
  },
  asinh: {
    rule: 'inverse hyperbolic rule',
    d: (u) => divL(ONE, sqrtL(addL(sqr(u), ONE))),
    formula: '\\frac{d}{du} \\operatorname{arsinh} u = \\frac{1}{\\sqrt{u^2 + 1}}',
  },
  acosh: {
    rule: 'inverse hyperbolic rule',
    d: (u) => divL(ONE, sqrtL(addL(sqr(u), NEG_ONE))),
    formula: '\\frac{d}{du} \\operatorname{arcosh} u = \\frac{1}{\\sqrt{u^2 - 1}}',
  },
  atanh: {
    rule: 'inverse hyperbolic rule',
    d: (u) => divL(ONE, oneMinus(sqr(u))),
    formula: '\\frac{d}{du} \\operatorname{artanh} u = \\frac{1}{1 - u^2}',
  },
  erf: {
    rule: 'error function rule',
    d: (u) => mulL(divL(TWO, sqrtL(PI)), call('exp', negL(sqr(u)))),
    formula: '\\frac{d}{du} \\operatorname{erf} u = \\frac{2}{\\sqrt{\\pi}} e^{-u^2}',
  },
  sigmoid: {
    rule: 'sigmoid rule',
    d: (u) => mulL(sig(u), oneMinus(sig(u))),
    formula: '\\frac{d}{du} \\sigma(u) = \\sigma(u)\\left(1 - \\sigma(u)\\right)',
  },
  softplus: {
    rule: 'softplus rule',
    d: (u) => sig(u),
    formula: '\\frac{d}{du} \\operatorname{softplus}(u) = \\frac{d}{du} \\ln(1 + e^{u}) = \\sigma(u)',
  },
  silu: {
    rule: 'SiLU rule',
    d: (u) => mulL(sig(u), addL(ONE, mulL(u, oneMinus(sig(u))))),
    formula: '\\frac{d}{du}\\, u\\,\\sigma(u) = \\sigma(u)\\left(1 + u\\left(1 - \\sigma(u)\\right)\\right)',
  },
  gelu: {
    rule: 'GELU rule',
    d: (u) => {
      const k = mulL(SQRT_2_OVER_PI, addL(u, mulL(GELU_C, powL(u, rat(3)))));
      const t = call('tanh', k);
      return addL(
        mulL(HALF, addL(ONE, t)),
        mulL(HALF, u, oneMinus(sqr(t)), SQRT_2_OVER_PI, addL(ONE, mulL(numFromText('0.134145'), sqr(u)))),
      );
    },
    formula:
      '\\frac{d}{du} \\tfrac{u}{2}\\left(1 + \\tanh k\\right) = \\tfrac{1}{2}\\left(1 + \\tanh k\\right) + \\tfrac{u}{2}\\left(1 - \\tanh^2 k\\right)\\sqrt{\\tfrac{2}{\\pi}}\\left(1 + 0.134145\\,u^2\\right),\\; k = \\sqrt{\\tfrac{2}{\\pi}}\\left(u + 0.044715\\,u^3\\right)',
  },
  relu: {
    rule: 'ReLU rule',
    d: (u) => call('heaviside', u),
    formula: '\\frac{d}{du} \\operatorname{ReLU}(u) = \\mathbf{1}_{[u > 0]}',
    kink: 'ReLU is not differentiable where its argument is 0; the derivative used there is 0, as in PyTorch.',
  },
  abs: {
    rule: 'absolute value rule',
    d: (u) => call('sign', u),
    formula: '\\frac{d}{du} \\left|u\\right| = \\operatorname{sgn}(u)',
    kink: '|u| is not differentiable where u = 0; the subgradient 0 = sgn(0) is used there, as in PyTorch.',
  },
  sign: {
    rule: 'sign rule',
    d: () => ZERO,
    formula: '\\frac{d}{du} \\operatorname{sgn}(u) = 0 \\quad (u \\ne 0)',
    kink: 'sgn(u) jumps where u = 0 and has no derivative there.',
  },
  heaviside: {
    rule: 'step rule',
    d: () => ZERO,
    formula: '\\frac{d}{du} \\mathbf{1}_{[u > 0]} = 0 \\quad (u \\ne 0)',
    kink: 'The step function jumps where its argument is 0 and has no derivative there.',
  },
};

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
    const z = simplify(zero, { budget });
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
    const u = args[0]!;
    const rule = RULES[fn];
    if (rule) {
      if (rule.kink) addKink(u, rule.kink);
      if (u.kind === 'sym') return apply(e, depth, rule.rule, [], () => rule.d(u));
      return apply(e, depth, 'chain rule', [u], ([d]) => mulL(rule.d(u), d!), `${rule.rule}: ${rule.formula}`);
    }
    switch (fn) {
      case 'atan2': {
        const [y, xx] = args as [Expr, Expr];
        return apply(
          e,
          depth,
          'atan2 rule',
          [y, xx],
          ([dy, dx]) => divL(addL(mulL(xx, dy!), negL(mulL(y, dx!))), addL(sqr(xx), sqr(y))),
          '\\frac{d}{dt} \\operatorname{atan2}(y, x) = \\frac{x y\' - y x\'}{x^2 + y^2}',
        );
      }
      case 'max':
      case 'min': {
        const [a, b] = args as [Expr, Expr];
        const opr = fn === 'max' ? '>' : '<';
        addKink(
          makeAdd([a, makeMul([NEG_ONE, b])]),
          `${fn}(a, b) is not differentiable where a = b; the second argument's derivative is used there (PyTorch splits ties evenly).`,
        );
        return apply(e, depth, `piecewise rule (${fn})`, [a, b], ([da, db]) => call('where', cmp(opr, a, b), da!, db!));
      }
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
      case 'leaky_relu': {
        const [v, a] = args as [Expr, Expr];
        addKink(v, 'Leaky ReLU is not differentiable where its argument is 0; the slope used there is the negative slope, as in PyTorch.');
        return apply(e, depth, 'leaky ReLU rule', [v, a], ([dv, da]) =>
          call('where', cmp('>', v, ZERO), dv!, addL(mulL(a, dv!), mulL(v, da!))),
        );
      }
      default:
        throw new Error(`no derivative rule for ${fn}`);
    }
  };

  const raw = go(f, 0);
  return { raw, steps, kinks, stepsTruncated: truncated };
}
