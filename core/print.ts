/**
 * Printers: LaTeX (for KaTeX in the panel), NumPy code and plain text.
 * Pure functions from a tree to a string, sharing one precedence table and one
 * way of splitting a product into numerator and denominator.
 *
 * Trees are at most a few hundred levels deep (the parser's depth limit and
 * the differentiation budget bound them), so the printers recurse.
 */
import { latexSymbol } from './ops/latex';
export { latexSymbol };
import { type Expr, type FnName, isOne, rat } from './expr';
import { type NumExpr, isNumber, toFloat } from './num';

// ---------------------------------------------------------------------------
// Shared structure

const PREC = { add: 1, mul: 2, neg: 2, pow: 4, atom: 5 } as const;

function precOf(e: Expr): number {
  switch (e.kind) {
    case 'add':
      return PREC.add;
    case 'mul':
      return isNegativeLeading(e) ? PREC.neg : PREC.mul;
    case 'pow':
      return isNumber(e.exp) && toFloat(e.exp) < 0 ? PREC.mul : PREC.pow;
    case 'num':
      if (e.p < 0) return PREC.neg;
      return e.q === 1 ? PREC.atom : PREC.mul;
    case 'float':
      return e.value < 0 ? PREC.neg : PREC.atom;
    case 'cmp':
      return 0;
    default:
      return PREC.atom;
  }
}

function isNegativeLeading(e: Expr): boolean {
  if (isNumber(e)) return toFloat(e) < 0;
  return e.kind === 'mul' && isNumber(e.factors[0]!) && toFloat(e.factors[0] as NumExpr) < 0;
}

/** −t for a term known to be negative-leading, without building a `−1·` node. */
function negateTerm(e: Expr): Expr {
  if (e.kind === 'num') return rat(-e.p, e.q);
  if (e.kind === 'float') return { kind: 'float', value: -e.value };
  if (e.kind === 'mul') {
    const c = e.factors[0] as NumExpr;
    const nc = c.kind === 'num' ? rat(-c.p, c.q) : ({ kind: 'float', value: -c.value } as const);
    const rest = e.factors.slice(1);
    if (isOne(nc) && nc.kind === 'num') return rest.length === 1 ? rest[0]! : { kind: 'mul', factors: rest };
    return { kind: 'mul', factors: [nc, ...rest] };
  }
  return e;
}

/** `a + b - c`: a sum with its negative terms written as subtractions. */
function joinTerms(terms: readonly Expr[], wrap: (x: Expr, minPrec: number) => string, positivePrec: number): string {
  let out = '';
  terms.forEach((t, i) => {
    if (i === 0) out = wrap(t, PREC.add);
    else if (isNegativeLeading(t)) out += ` - ${wrap(negateTerm(t), PREC.mul)}`;
    else out += ` + ${wrap(t, positivePrec)}`;
  });
  return out;
}

interface Fraction {
  negative: boolean;
  num: Expr[];
  den: Expr[];
}

/** Split a product into sign, numerator factors and denominator factors. */
function splitFraction(e: Expr): Fraction {
  const factors = e.kind === 'mul' ? e.factors : [e];
  const out: Fraction = { negative: false, num: [], den: [] };
  for (const f of factors) {
    if (f.kind === 'num') {
      if (f.p < 0) out.negative = !out.negative;
      if (f.q !== 1 && decimalOf(f.p, f.q) !== undefined) out.num.push(rat(Math.abs(f.p), f.q));
      else {
        if (Math.abs(f.p) !== 1) out.num.push(rat(Math.abs(f.p)));
        if (f.q !== 1) out.den.push(rat(f.q));
      }
    } else if (f.kind === 'float') {
      if (f.value < 0) out.negative = !out.negative;
      if (Math.abs(f.value) !== 1) out.num.push({ kind: 'float', value: Math.abs(f.value) });
    } else if (f.kind === 'pow' && isNumber(f.exp) && toFloat(f.exp) < 0) {
      const ne = f.exp.kind === 'num' ? rat(-f.exp.p, f.exp.q) : ({ kind: 'float', value: -f.exp.value } as const);
      out.den.push(isOne(ne) ? f.base : { kind: 'pow', base: f.base, exp: ne });
    } else out.num.push(f);
  }
  return out;
}

function formatFloat(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return v.toFixed(1);
  return String(v);
}

/**
 * Rationals whose denominator has a factor 5 and only factors 2 and 5 (1/5,
 * 3/20, 1/100) print as decimals: they almost always came from decimals in
 * the source (0.2, 0.15, 0.01). Halves and quarters stay fractions (x/2).
 */
function decimalOf(p: number, q: number): string | undefined {
  let twos = 0;
  let fives = 0;
  let d = q;
  while (d % 2 === 0) {
    d /= 2;
    twos++;
  }
  while (d % 5 === 0) {
    d /= 5;
    fives++;
  }
  if (d !== 1 || fives === 0) return undefined;
  const k = Math.max(twos, fives);
  if (k > 12) return undefined;
  return (p < 0 ? '-' : '') + (Math.abs(p) / q).toFixed(k);
}

/** Is `e` a 0/1 condition: a comparison, or a product (and) or maximum (or) of conditions? */
export function isCond(e: Expr): boolean {
  if (e.kind === 'cmp') return true;
  if (e.kind === 'mul') return e.factors.every(isCond);
  if (e.kind === 'call' && e.fn === 'max') return e.args.every(isCond);
  return false;
}

// ---------------------------------------------------------------------------
// LaTeX

const LATEX_FN: Partial<Record<FnName, string>> = {
  sin: '\\sin', cos: '\\cos', tan: '\\tan', sec: '\\sec', csc: '\\csc', cot: '\\cot',
  asin: '\\arcsin', acos: '\\arccos', atan: '\\arctan',
  sinh: '\\sinh', cosh: '\\cosh', tanh: '\\tanh',
  asinh: '\\operatorname{arsinh}', acosh: '\\operatorname{arcosh}', atanh: '\\operatorname{artanh}',
  log: '\\ln', log2: '\\log_{2}', log10: '\\log_{10}', erf: '\\operatorname{erf}', sign: '\\operatorname{sgn}',
  sigmoid: '\\sigma', relu: '\\operatorname{ReLU}', softplus: '\\operatorname{softplus}', gelu: '\\operatorname{GELU}',
  silu: '\\operatorname{SiLU}', atan2: '\\operatorname{atan2}', clip: '\\operatorname{clip}', max: '\\max', min: '\\min',
};

/** Functions whose power prints as \sin^{2}(x). */
const POWER_PREFIX = new Set<FnName>(['sin', 'cos', 'tan', 'sec', 'csc', 'cot', 'sinh', 'cosh', 'tanh', 'sigmoid', 'log']);

export interface LatexOptions {
  /** Raw LaTeX for given symbol names (used for unevaluated derivatives in steps). */
  raw?: ReadonlyMap<string, string>;
}

export function toLatex(e: Expr, options: LatexOptions = {}): string {
  const raw = options.raw;
  // \left( … \right) only around tall content: it is an "inner" atom, and TeX puts a thin space
  // between σ and \left(, so σ(x) would read σ (x).
  const paren = (s: string) => (/\\frac|\\begin|\\sqrt|\\sum|\\left/.test(s) ? `\\left(${s}\\right)` : `(${s})`);
  const wrap = (x: Expr, minPrec: number) => (precOf(x) < minPrec ? paren(p(x)) : p(x));

  const printCmp = (c: Extract<Expr, { kind: 'cmp' }>): string => {
    const op = { '<': '<', '<=': '\\le', '>': '>', '>=': '\\ge', '==': '=', '!=': '\\ne' }[c.op];
    return `${p(c.left)} ${op} ${p(c.right)}`;
  };

  const number = (e: NumExpr): string => {
    if (e.kind === 'float') {
      const v = e.value;
      if (!Number.isFinite(v)) return Number.isNaN(v) ? '\\mathrm{NaN}' : v > 0 ? '\\infty' : '-\\infty';
      const s = String(v);
      const m = /^(-?[\d.]+)e([+-]\d+)$/.exec(s);
      return m ? `${m[1]} \\times 10^{${Number(m[2])}}` : s;
    }
    if (e.q === 1) return String(e.p);
    const dec = decimalOf(e.p, e.q);
    if (dec !== undefined) return dec;
    return `${e.p < 0 ? '-' : ''}\\frac{${Math.abs(e.p)}}{${e.q}}`;
  };

  const product = (factors: Expr[]): string => {
    let out = '';
    let prev: Expr | undefined;
    for (const f of factors) {
      const s = f.kind === 'add' || f.kind === 'cmp' ? paren(p(f)) : wrap(f, PREC.mul + 1 > PREC.pow ? PREC.mul : PREC.mul);
      if (prev === undefined) out = s;
      else {
        const needsDot = isNumber(f) || (f.kind === 'pow' && isNumber(f.base)) || /^\d/.test(s);
        out += needsDot ? ` \\cdot ${s}` : ` ${s}`;
      }
      prev = f;
    }
    return out;
  };

  const p = (e: Expr): string => {
    switch (e.kind) {
      case 'num':
      case 'float':
        return number(e);
      case 'const':
        return e.name === 'pi' ? '\\pi' : 'e';
      case 'sym':
        return raw?.get(e.name) ?? latexSymbol(e.name);
      case 'add':
        return joinTerms(e.terms, wrap, PREC.mul);
      case 'mul': {
        const f = splitFraction(e);
        const sign = f.negative ? '-' : '';
        if (f.den.length === 0) return sign + product(f.num.length ? f.num : [rat(1)]);
        const side = (fs: Expr[]) => (fs.length === 1 ? p(fs[0]!) : product(fs));
        const num = f.num.length ? side(f.num) : '1';
        return `${sign}\\frac{${num}}{${side(f.den)}}`;
      }
      case 'pow': {
        const { base, exp } = e;
        if (isNumber(exp) && toFloat(exp) < 0) return p({ kind: 'mul', factors: [e] });
        if (exp.kind === 'num' && exp.p === 1 && exp.q === 2) return `\\sqrt{${p(base)}}`;
        if (exp.kind === 'num' && exp.p === 1 && exp.q > 2 && exp.q < 10) return `\\sqrt[${exp.q}]{${p(base)}}`;
        const ex = p(exp);
        if (base.kind === 'call' && POWER_PREFIX.has(base.fn) && isNumber(exp) && toFloat(exp) > 0) {
          return `${LATEX_FN[base.fn]}^{${ex}}${paren(p(base.args[0]!))}`;
        }
        const b =
          base.kind === 'sym' || base.kind === 'const' || (base.kind === 'num' && base.q === 1 && base.p >= 0)
            ? p(base)
            : base.kind === 'call' && (base.fn === 'abs' || base.fn === 'max' || base.fn === 'min')
              ? p(base)
              : paren(p(base));
        return `${b}^{${ex}}`;
      }
      case 'call':
        return printCall(e.fn, e.args);
      case 'cmp':
        return printCmp(e);
    }
  };

  /** A 0/1 condition: comparisons joined by ∧ (a product) and ∨ (a maximum). */
  const condition = (c: Expr): string => {
    if (c.kind === 'mul') return c.factors.map((f) => (f.kind === 'call' ? `(${condition(f)})` : condition(f))).join(' \\land ');
    if (c.kind === 'call' && c.fn === 'max') return c.args.map((a) => (a.kind === 'mul' ? `(${condition(a)})` : condition(a))).join(' \\lor ');
    return p(c);
  };

  const printCall = (fn: FnName, args: readonly Expr[]): string => {
    const a = args.map(p);
    switch (fn) {
      case 'exp': {
        const arg = args[0]!;
        return arg.kind === 'add' || /\\frac|\\begin/.test(a[0]!) || a[0]!.length > 40 ? `\\exp${paren(a[0]!)}` : `e^{${a[0]}}`;
      }
      case 'abs':
        return `\\left|${a[0]}\\right|`;
      case 'log1p':
        return `\\ln${paren(`1 + ${a[0]}`)}`;
      case 'expm1':
        return `\\left(e^{${a[0]}} - 1\\right)`;
      case 'heaviside':
        return `\\mathbf{1}_{[${a[0]} > 0]}`;
      case 'leaky_relu':
        return `\\operatorname{LeakyReLU}_{${a[1]}}${paren(a[0]!)}`;
      case 'where': {
        const c = args[0]!;
        const cond = isCond(c) ? condition(c) : `${p(c)} \\ne 0`;
        return `\\begin{cases} ${a[1]} & \\text{if } ${cond} \\\\ ${a[2]} & \\text{otherwise} \\end{cases}`;
      }
      default:
        return `${LATEX_FN[fn] ?? `\\operatorname{${fn}}`}${paren(a.join(', '))}`;
    }
  };

  return p(e);
}

// ---------------------------------------------------------------------------
// NumPy code and plain text share a Python-like printer.

interface CodeStyle {
  pow: string;
  fn: (fn: FnName, args: string[], raw: readonly Expr[]) => string;
  pi: string;
  e: string;
  float: (v: number) => string;
}

function codePrinter(style: CodeStyle) {
  const paren = (s: string) => `(${s})`;
  const wrap = (x: Expr, minPrec: number): string => (precOf(x) < minPrec ? paren(p(x)) : p(x));
  const number = (e: NumExpr): string => {
    if (e.kind === 'float') return style.float(e.value);
    if (e.q === 1) return String(e.p);
    const dec = decimalOf(e.p, e.q);
    return dec ?? `${e.p}/${e.q}`;
  };
  const product = (fs: Expr[]) => fs.map((f) => (f.kind === 'add' || f.kind === 'cmp' ? paren(p(f)) : wrap(f, PREC.mul))).join('*');
  const p = (e: Expr): string => {
    switch (e.kind) {
      case 'num':
      case 'float':
        return number(e);
      case 'const':
        return e.name === 'pi' ? style.pi : style.e;
      case 'sym':
        return e.name;
      case 'add':
        return joinTerms(e.terms, wrap, PREC.add);
      case 'mul': {
        const f = splitFraction(e);
        const sign = f.negative ? '-' : '';
        const num = f.num.length ? product(f.num) : '1';
        if (f.den.length === 0) return sign + num;
        const den =
          f.den.length === 1
            ? precOf(f.den[0]!) >= PREC.pow
              ? p(f.den[0]!)
              : paren(p(f.den[0]!))
            : paren(product(f.den));
        return `${sign}${num}/${den}`;
      }
      case 'pow': {
        const { base, exp } = e;
        if (isNumber(exp) && toFloat(exp) < 0) return p({ kind: 'mul', factors: [e] });
        if (exp.kind === 'num' && exp.p === 1 && exp.q === 2 && style.pow === '**') return `np.sqrt(${p(base)})`;
        if (exp.kind === 'num' && exp.p === 1 && exp.q === 2) return `sqrt(${p(base)})`;
        const b = precOf(base) >= PREC.atom && !(isNumber(base) && toFloat(base) < 0) ? p(base) : paren(p(base));
        const x = precOf(exp) >= PREC.atom && !(isNumber(exp) && (toFloat(exp) < 0 || exp.kind === 'num' && exp.q !== 1)) ? p(exp) : paren(p(exp));
        return `${b}${style.pow}${x}`;
      }
      case 'call':
        return style.fn(
          e.fn,
          e.args.map((a) => p(a)),
          e.args,
        );
      case 'cmp':
        return `${wrap(e.left, PREC.add)} ${e.op} ${wrap(e.right, PREC.add)}`;
    }
  };
  return p;
}

const NP_FN: Partial<Record<FnName, string>> = {
  exp: 'np.exp', log: 'np.log', log2: 'np.log2', log10: 'np.log10', log1p: 'np.log1p', expm1: 'np.expm1',
  sin: 'np.sin', cos: 'np.cos', tan: 'np.tan', asin: 'np.arcsin', acos: 'np.arccos', atan: 'np.arctan',
  atan2: 'np.arctan2', sinh: 'np.sinh', cosh: 'np.cosh', tanh: 'np.tanh', asinh: 'np.arcsinh', acosh: 'np.arccosh',
  atanh: 'np.arctanh', abs: 'np.abs', sign: 'np.sign', max: 'np.maximum', min: 'np.minimum', where: 'np.where',
  clip: 'np.clip',
};

const numpyPrinter = codePrinter({
  pow: '**',
  pi: 'np.pi',
  e: 'np.e',
  float: (v) => (Number.isNaN(v) ? 'np.nan' : !Number.isFinite(v) ? (v > 0 ? 'np.inf' : '-np.inf') : formatFloat(v)),
  fn: (fn, a, raw) => {
    const direct = NP_FN[fn];
    if (direct) return `${direct}(${a.join(', ')})`;
    // Parenthesize an argument only when it is not already atomic.
    const g = (i: number) => (precOf(raw[i]!) >= PREC.atom && !(isNumber(raw[i]!) && toFloat(raw[i] as NumExpr) < 0) ? a[i]! : `(${a[i]})`);
    const u = a[0]!;
    switch (fn) {
      case 'sec':
        return `(1/np.cos(${u}))`;
      case 'csc':
        return `(1/np.sin(${u}))`;
      case 'cot':
        return `(1/np.tan(${u}))`;
      case 'heaviside':
        return `np.heaviside(${u}, 0.0)`;
      case 'sigmoid':
        return `(1/(1 + np.exp(-${g(0)})))`;
      case 'relu':
        return `np.maximum(${u}, 0)`;
      case 'leaky_relu':
        return `np.where(${u} > 0, ${u}, ${g(1)}*${g(0)})`;
      case 'softplus':
        return `np.logaddexp(0, ${u})`;
      case 'silu':
        return `(${g(0)}/(1 + np.exp(-${g(0)})))`;
      case 'gelu':
        return `(0.5*${g(0)}*(1 + np.tanh(np.sqrt(2/np.pi)*(${u} + 0.044715*${g(0)}**3))))`;
      case 'erf':
        // NumPy has no erf; SciPy's is the standard vectorized one.
        return `scipy.special.erf(${u})`;
      default:
        return `${fn}(${a.join(', ')})`;
    }
  },
});

/** A Python expression using `np.` functions and the input's variable names. */
export function toNumpy(e: Expr): string {
  return numpyPrinter(e);
}

const TEXT_FN: Partial<Record<FnName, string>> = { log: 'ln', asin: 'arcsin', acos: 'arccos', atan: 'arctan' };

const textPrinter = codePrinter({
  pow: '^',
  pi: 'π',
  e: 'e',
  float: (v) => String(v),
  fn: (fn, a) => {
    if (fn === 'exp') return `exp(${a[0]})`;
    if (fn === 'abs') return `|${a[0]}|`;
    if (fn === 'heaviside') return `[${a[0]} > 0]`;
    return `${TEXT_FN[fn] ?? fn}(${a.join(', ')})`;
  },
});

/** Plain, readable text: x^2, sigmoid(x), ln(x), sqrt(x). */
export function toText(e: Expr): string {
  return textPrinter(e);
}
