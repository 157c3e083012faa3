/**
 * The catalogue's derivative formulas (core/ops, written once over `Builder`)
 * built as the two texts the backprop graph writes: LaTeX of a vector–Jacobian
 * product (`TEX`, ⊙ and ⊘ for arrays) and NumPy code (`CODE`) for the
 * micrograd-style backward pass. Both keep the precedence of what they built,
 * so parentheses appear only where they are needed, and fold the trivial
 * cases (a factor 1, a term 0, x¹).
 */
import { opOf } from '../ops/index';
import type { Builder, CmpOp } from '../ops/index';
import { fmt } from './format';

/** LaTeX with its precedence: 0 a sum, 1 a product, 2 a negation, 3 a power or postfix, 4 an atom. */
export interface Tex {
  s: string;
  prec: number;
}

/** What a built piece also knows: its value if a number (and, below, what it negates, the denominator of 1/d, a case split's rows). */
interface Built {
  v?: number;
}

export interface BuiltTex extends Tex, Built {
  /** Built from numbers and π only: written as a scalar (no ⊙ ⊘) even among arrays. */
  k?: boolean;
  negOf?: BuiltTex;
  den?: BuiltTex;
  rows?: { val: BuiltTex; cond: string }[];
}

export const wrapTex = (t: Tex, min: number): string => (t.prec < min ? `(${t.s})` : t.s);

/** An entry's LaTeX reads as one atom (a named function of a parenthesised argument, |x|), safe as a power's base. */
export function atomicLatex(s: string): boolean {
  return /^(\\operatorname\{[^{}]*\}|\\[A-Za-z]+)(_\{[^{}]*\})?\\left\(.*\\right\)$/.test(s) || /^\\left([|(]).*\\right[|)]$/.test(s);
}

const CMP_TEX: Readonly<Record<CmpOp, string>> = { '<': '<', '<=': '\\le', '>': '>', '>=': '\\ge', '==': '=', '!=': '\\ne' };

/** A rational exponent as p/q, anything else as built. */
function exponent(b: BuiltTex): string {
  if (b.v !== undefined && !Number.isInteger(b.v)) {
    for (const q of [2, 3, 4, 5, 6, 8]) if (Number.isInteger(b.v * q)) return `${b.v * q}/${q}`;
  }
  return b.s;
}

/** LaTeX of elementwise formulas; `arr`: the operands are arrays (products are ⊙, quotients ⊘, powers ^{⊙ k}). */
export function texBuilder(arr: boolean): Builder<BuiltTex> {
  const od = arr ? ' \\odot ' : '\\,';
  const num = (v: number): BuiltTex => ({ s: fmt(v), prec: v < 0 ? 2 : 4, v, k: true });
  const konst = (...xs: BuiltTex[]): { k?: true } => (xs.every((x) => x.k) ? { k: true } : {});
  const B: Builder<BuiltTex> = {
    num: (p, q = 1) =>
      Number.isInteger(p) && Number.isInteger(q) && q !== 1
        ? { s: `${p < 0 ? '-' : ''}\\tfrac{${Math.abs(p)}}{${q}}`, prec: p < 0 ? 2 : 4, v: p / q, k: true }
        : num(p / q),
    pi: () => ({ s: '\\pi', prec: 4, k: true }),
    add: (...t) => {
      const ts = t.filter((x) => x.v !== 0);
      if (ts.length === 0) return num(0);
      if (ts.length === 1) return ts[0]!;
      const s = ts.map((x, i) => (i === 0 ? x.s : x.negOf ? ` - ${wrapTex(x.negOf, 1)}` : ` + ${wrapTex(x, 1)}`)).join('');
      return { s, prec: 0, ...konst(...ts) };
    },
    sub: (a, b) => (b.v === 0 ? a : { s: `${a.s} - ${wrapTex(b, 1)}`, prec: 0, ...konst(a, b) }),
    mul: (...f) => {
      const fs = f.filter((x) => x.v !== 1);
      if (fs.length === 0) return num(1);
      if (fs.length === 1) return fs[0]!;
      // A number is written before its factor (2x), other factors are joined with ⊙ (arrays) or a thin space.
      const sep = (p: BuiltTex, x: BuiltTex) => (p.v !== undefined ? (/^[a-df-zA-Z]/.test(x.s) ? '' : '\\,') : p.k && x.k ? '\\,' : od);
      const s = fs.map((x, i) => (i === 0 ? '' : sep(fs[i - 1]!, x)) + wrapTex(x, i === 0 ? 1 : 3));
      return { s: s.join(''), prec: 1, ...konst(...fs) };
    },
    div: (a, b) => {
      const ew = arr && !(a.k && b.k);
      if (a.v === 1) return ew ? { s: `1 \\oslash ${wrapTex(b, 3)}`, prec: 1, den: b } : { s: `\\frac{1}{${b.s}}`, prec: 4, den: b, ...konst(b) };
      return ew ? { s: `${wrapTex(a, 1)} \\oslash ${wrapTex(b, 3)}`, prec: 1 } : { s: `\\frac{${a.s}}{${b.s}}`, prec: 4, ...konst(a, b) };
    },
    neg: (a) => (a.negOf ? a.negOf : a.v !== undefined ? num(-a.v) : { s: `-${wrapTex(a, 2)}`, prec: 2, negOf: a, ...konst(a) }),
    pow: (a, b) => (b.v === 1 ? a : { s: `${wrapTex(a, 4)}^{${arr && !a.k ? '\\odot ' : ''}${exponent(b)}}`, prec: 3, ...konst(a, b) }),
    call: (name, ...args) => {
      const s = opOf(name).latex(args.map((x) => x.s), []);
      return { s, prec: atomicLatex(s) ? 4 : 3, ...konst(...args) };
    },
    cmp: (op, a, b) => ({ s: `${a.s} ${CMP_TEX[op]} ${b.s}`, prec: 0 }),
    where: (c, a, b) => {
      if (a.v === 1 && b.v === 0) return { s: `\\mathbf{1}[${c.s}]`, prec: 4 };
      const rows = [{ val: a, cond: c.s }, ...(b.rows ?? [{ val: b, cond: '\\text{otherwise}' }])];
      return { s: `\\begin{cases} ${rows.map((r) => `${r.val.s} & ${r.cond}`).join(' \\\\ ')} \\end{cases}`, prec: 4, rows };
    },
  };
  return B;
}

// ---------------------------------------------------------------------------
// NumPy code

/** Python code with its precedence: 0 a comparison, 1 a sum, 2 a product, 3 a unary minus, 4 a power, 5 an atom. */
export interface Code extends Built {
  s: string;
  prec: number;
  negOf?: Code;
  den?: Code;
  /** A comparison without its parentheses (for np.where's condition). */
  bare?: string;
}

export const wrapCode = (c: Code, min: number): string => (c.prec < min ? `(${c.s})` : c.s);

/** A float as Python source (repr-compatible: shortest round-trip digits). */
export function pyFloat(v: number): string {
  if (Number.isNaN(v)) return 'np.nan';
  if (!Number.isFinite(v)) return v > 0 ? 'np.inf' : '-np.inf';
  const s = String(v);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** `f(…)` whose first parenthesis closes at the end: one atom. */
function callLike(s: string): boolean {
  const m = /^[A-Za-z_][\w.]*\(/.exec(s);
  if (!m || !s.endsWith(')')) return false;
  let depth = 0;
  for (let i = m[0].length - 1; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i === s.length - 1;
  }
  return false;
}

export function codeNum(v: number): Code {
  return { s: pyFloat(v), prec: v < 0 ? 3 : 5, v };
}

/** A catalogue call as NumPy code: the entry's `numpy`. */
export function codeCall(name: string, args: readonly string[], params: readonly string[] = []): Code {
  const s = opOf(name).numpy(args, params);
  return { s, prec: callLike(s) ? 5 : 0 };
}

/** NumPy code of elementwise formulas (scalars and arrays alike). */
export const CODE: Builder<Code> = {
  num: (p, q = 1) => codeNum(p / q),
  pi: () => ({ s: 'np.pi', prec: 5 }),
  add: (...t) => {
    const ts = t.filter((x) => x.v !== 0);
    if (ts.length === 0) return codeNum(0);
    if (ts.length === 1) return ts[0]!;
    const s = ts.map((x, i) => (i === 0 ? wrapCode(x, 1) : x.negOf ? ` - ${wrapCode(x.negOf, 2)}` : ` + ${wrapCode(x, 1)}`)).join('');
    return { s, prec: 1 };
  },
  sub: (a, b) => (b.v === 0 ? a : { s: `${wrapCode(a, 1)} - ${wrapCode(b, 2)}`, prec: 1 }),
  mul: (...f) => {
    const fs = f.filter((x) => x.v !== 1);
    if (fs.length === 0) return codeNum(1);
    if (fs.length === 1) return fs[0]!;
    return { s: fs.map((x, i) => wrapCode(x, i === 0 ? 2 : 3)).join(' * '), prec: 2 };
  },
  div: (a, b) => ({ s: `${a.v === 1 ? '1.0' : wrapCode(a, 2)} / ${wrapCode(b, 3)}`, prec: 2, ...(a.v === 1 ? { den: b } : {}) }),
  neg: (a) => (a.negOf ? a.negOf : a.v !== undefined ? codeNum(-a.v) : { s: `-${wrapCode(a, 3)}`, prec: 3, negOf: a }),
  pow: (a, b) => {
    if (b.v === 1) return a;
    const e = b.v !== undefined && Number.isInteger(b.v) ? String(b.v) : wrapCode(b, 4);
    return { s: `${wrapCode(a, 5)} ** ${e}`, prec: 4 };
  },
  call: (name, ...args) => codeCall(name, args.map((x) => x.s)),
  cmp: (op, a, b) => {
    const bare = `${wrapCode(a, 1)} ${op} ${wrapCode(b, 1)}`;
    return { s: `(${bare})`, prec: 5, bare };
  },
  where: (c, a, b) => ({ s: `np.where(${c.bare ?? c.s}, ${a.s}, ${b.s})`, prec: 5 }),
};

/** `dx += dy * local` for one edge, written the short way when the local derivative is ±1, a negation or 1/d. */
export function accumulate(dx: string, dy: string, local: Code): string {
  if (local.v === 1) return `${dx} += ${dy}`;
  if (local.v === -1) return `${dx} -= ${dy}`;
  const sign = local.negOf ? '-' : '+';
  const d = local.negOf ?? local;
  if (d.den) return `${dx} ${sign}= ${dy} / ${wrapCode(d.den, 3)}`;
  return `${dx} ${sign}= ${dy} * ${wrapCode(d, 2)}`;
}
