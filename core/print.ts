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
import { type OpEntry, op, opOf } from './ops';
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

/** Does the entry print as its name applied to parenthesised arguments (the catalogue's default LaTeX)? */
function namedLatex(e: OpEntry): boolean {
  let v = NAMED.get(e);
  if (v === undefined) NAMED.set(e, (v = probeNamed(e)));
  return v;
}
const NAMED = new Map<OpEntry, boolean>();

function probeNamed(e: OpEntry): boolean {
  const probe = Array.from({ length: e.arity }, (_, i) => `\u0000${i}`);
  const params = e.params.map((p) => String(p.default));
  return e.latex(probe, params) === `${e.latexName}\\left(${probe.join(', ')}\\right)`;
}

/** Functions whose power prints as \sin^{2}(x): named one-argument functions with a one-command name. */
function powerPrefix(fn: FnName): string | undefined {
  const e = op(fn);
  return e && e.arity === 1 && !e.params.length && namedLatex(e) && /^\\[a-zA-Z]+$/.test(e.latexName) ? e.latexName : undefined;
}

export interface LatexOptions {
  /** Raw LaTeX for given symbol names (used for unevaluated derivatives in steps). */
  raw?: ReadonlyMap<string, string>;
}

export function toLatex(e: Expr, options: LatexOptions = {}): string {
  const raw = options.raw;
  // \left( … \right) only around tall content: it is an "inner" atom, and TeX puts a thin space
  // between σ and \left(, so σ(x) would read σ (x).
  const paren = (s: string) => (/\\frac|\\begin|\\sqrt|\\sum|\\left/.test(s) ? `\\left(${s}\\right)` : `(${s})`);
  // An indicator 1_{[…]} is an atom in LaTeX (a comparison only needs parentheses in code).
  const wrap = (x: Expr, minPrec: number) => (x.kind !== 'cmp' && precOf(x) < minPrec ? paren(p(x)) : p(x));

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
        const prefix = base.kind === 'call' ? powerPrefix(base.fn) : undefined;
        if (base.kind === 'call' && prefix && isNumber(exp) && toFloat(exp) > 0) {
          return `${prefix}^{${ex}}${paren(p(base.args[0]!))}`;
        }
        const pb = p(base);
        const bracketed = base.kind === 'call' && (pb.startsWith('\\left|') || (opOf(base.fn).arity > 1 && namedLatex(opOf(base.fn))));
        const b =
          base.kind === 'sym' || base.kind === 'const' || (base.kind === 'num' && base.q === 1 && base.p >= 0) || bracketed
            ? pb
            : paren(pb);
        return `${b}^{${ex}}`;
      }
      case 'call':
        return printCall(e.fn, e.args);
      case 'cmp':
        // A comparison as a value is its indicator, 1 where it holds (a where's condition prints it bare).
        return `\\mathbf{1}_{[${printCmp(e)}]}`;
    }
  };

  /** A 0/1 condition: comparisons joined by ∧ (a product) and ∨ (a maximum). */
  const condition = (c: Expr): string => {
    if (c.kind === 'cmp') return printCmp(c);
    if (c.kind === 'mul') return c.factors.map((f) => (f.kind === 'call' ? `(${condition(f)})` : condition(f))).join(' \\land ');
    if (c.kind === 'call' && c.fn === 'max') return c.args.map((a) => (a.kind === 'mul' ? `(${condition(a)})` : condition(a))).join(' \\lor ');
    return p(c);
  };

  const printCall = (fn: FnName, args: readonly Expr[]): string => {
    const entry = opOf(fn);
    const a = args.map(p);
    if (entry.name === 'where') {
      // A where in the "otherwise" branch adds its rows to the same cases block.
      const rows: string[] = [];
      let w: Expr = { kind: 'call', fn, args };
      while (w.kind === 'call' && w.fn === fn) {
        const [c, x] = w.args as [Expr, Expr, Expr];
        rows.push(`${p(x)} & \\text{if } ${isCond(c) ? condition(c) : `${p(c)} \\ne 0`}`);
        w = w.args[2]!;
      }
      return `\\begin{cases} ${rows.join(' \\\\ ')} \\\\ ${p(w)} & \\text{otherwise} \\end{cases}`;
    }
    const arrays = a.slice(0, entry.arity);
    if (namedLatex(entry) && !entry.params.length) return `${entry.latexName}${paren(arrays.join(', '))}`;
    // The catalogue's LaTeX, with a short argument in plain parentheses (see `paren`).
    const out = entry.latex(arrays, a.slice(entry.arity));
    const tail = `\\left(${arrays.join(', ')}\\right)`;
    return out.endsWith(tail) ? out.slice(0, -tail.length) + paren(arrays.join(', ')) : out;
  };

  return p(e);
}

// ---------------------------------------------------------------------------
// NumPy code and plain text share a Python-like printer.

interface CodeStyle {
  pow: string;
  /** A real odd root base^{p/q} (q odd), when `**` would not be real for a negative base. */
  oddRoot?: (base: string, p: number, q: number) => string;
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
        if (style.oddRoot && exp.kind === 'num' && exp.q % 2 === 1 && exp.q > 1) return style.oddRoot(p(base), exp.p, exp.q);
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

/** Is `s` one call `f(…)` whose parentheses close at the end (so it is an atom)? */
function isCallForm(s: string): boolean {
  const m = /^[\w.]+\(/.exec(s);
  if (!m || !s.endsWith(')')) return false;
  let depth = 0;
  for (let i = m[0].length - 1; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i === s.length - 1;
  }
  return false;
}

const numpyPrinter = codePrinter({
  pow: '**',
  pi: 'np.pi',
  e: 'np.e',
  float: (v) => (Number.isNaN(v) ? 'np.nan' : !Number.isFinite(v) ? (v > 0 ? 'np.inf' : '-np.inf') : formatFloat(v)),
  // The catalogue's NumPy code (the same value on the whole domain), bracketed unless it is one call.
  fn: (fn, a) => {
    const entry = opOf(fn);
    const code = entry.numpy(a.slice(0, entry.arity), a.slice(entry.arity));
    return isCallForm(code) ? code : `(${code})`;
  },
  // x**(p/q) with q odd is real for a negative x, but NumPy gives NaN: use the real odd root.
  oddRoot: (base, p, q) => {
    const root = q === 3 ? `np.cbrt(${base})` : `(np.sign(${base})*np.abs(${base})**(1/${q}))`;
    return p === 1 ? root : `${root}**${p < 0 ? `(${p})` : p}`;
  },
});

/** A Python expression using `np.` functions and the input's variable names. */
export function toNumpy(e: Expr): string {
  return numpyPrinter(e);
}

const textPrinter = codePrinter({
  pow: '^',
  pi: 'π',
  e: 'e',
  float: (v) => String(v),
  fn: (fn, a) => {
    const entry = opOf(fn);
    // |x| and [x > 0] read better than abs(x) and heaviside(x); otherwise the first plain-math spelling.
    const shape = entry.arity === 1 ? entry.latex(['x'], []) : '';
    if (shape === '\\left|x\\right|') return `|${a[0]}|`;
    if (shape === '\\mathbf{1}_{[x > 0]}') return `[${a[0]} > 0]`;
    return `${entry.spell.plain?.[0] ?? fn}(${a.join(', ')})`;
  },
});

/** Plain, readable text: x^2, relu(x), ln(x), sqrt(x). */
export function toText(e: Expr): string {
  return textPrinter(e);
}
