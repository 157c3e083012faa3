/**
 * The shape foundation every engine shares (the shape interpreter here, matrix
 * calculus through core/matcalc/shapes.ts, backprop and the selection code):
 * one dimension type (`Dim`), one broadcasting function (`broadcastDims`), one
 * shape printer (`printShape`, `formatShape`); the shape-comment grammar is in
 * comments.ts.
 *
 * Dimensions: a known int, a polynomial over named sizes with integer
 * coefficients (whose atoms are symbols or floor divisions `(p)//k` by a
 * positive int), or unknown (`null`). Constants are folded, terms are kept in
 * one canonical order, so structural equality is equality of the forms.
 */

export interface Atom {
  key: string;
  /** A named size. */
  sym?: string;
  /** A floor division num // den (den ≥ 2, num not a multiple of den). */
  num?: Poly;
  den?: number;
}

export interface Term {
  /** Atom keys joined by '*', sorted. */
  key: string;
  coef: number;
  atoms: Atom[];
}

/** A non-constant polynomial: a constant plus at least one term. */
export interface Poly {
  c: number;
  terms: Term[];
}

export type Dim = number | Poly | null;

export type Cmp = 'equal' | 'unequal' | 'unknown';

const MAX_TERMS = 12;

function safe(n: number): boolean {
  return Number.isSafeInteger(n);
}

export function symDim(name: string): Dim {
  const atom: Atom = { key: name, sym: name };
  return { c: 0, terms: [{ key: name, coef: 1, atoms: [atom] }] };
}

function make(c: number, terms: Term[]): Dim {
  if (!safe(c)) return null;
  if (terms.length === 0) return c;
  if (terms.length > MAX_TERMS) return null;
  return { c, terms };
}

function termsOf(d: number | Poly): { c: number; terms: Term[] } {
  return typeof d === 'number' ? { c: d, terms: [] } : d;
}

/** Merge two sorted term lists, adding coefficients (times `sign` for the second). */
function mergeTerms(a: Term[], b: Term[], sign: number): Term[] | null {
  const out: Term[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x && (!y || x.key < y.key)) {
      out.push(x);
      i++;
    } else if (y && (!x || y.key < x.key)) {
      out.push(sign === 1 ? y : { ...y, coef: -y.coef });
      j++;
    } else if (x && y) {
      const coef = x.coef + sign * y.coef;
      if (!safe(coef)) return null;
      if (coef !== 0) out.push({ ...x, coef });
      i++;
      j++;
    }
  }
  return out;
}

export function addDim(a: Dim, b: Dim, sign = 1): Dim {
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + sign * b;
    return safe(r) ? r : null;
  }
  const x = termsOf(a);
  const y = termsOf(b);
  const t = mergeTerms(x.terms, y.terms, sign);
  if (!t) return null;
  return make(x.c + sign * y.c, t);
}

export function subDim(a: Dim, b: Dim): Dim {
  return addDim(a, b, -1);
}

export function scaleDim(a: Dim, k: number): Dim {
  if (a === null) return null;
  if (typeof a === 'number') return safe(a * k) ? a * k : null;
  if (k === 0) return 0;
  return make(
    a.c * k,
    a.terms.map((t) => ({ ...t, coef: t.coef * k })),
  );
}

function mulTerms(x: Term, y: Term): Term {
  const atoms = [...x.atoms, ...y.atoms].sort((p, q) => (p.key < q.key ? -1 : p.key > q.key ? 1 : 0));
  return { key: atoms.map((a) => a.key).join('*'), coef: x.coef * y.coef, atoms };
}

export function mulDim(a: Dim, b: Dim): Dim {
  if (a === null || b === null) return null;
  if (typeof a === 'number') return scaleDim(b, a);
  if (typeof b === 'number') return scaleDim(a, b);
  if (a.terms.length * b.terms.length > MAX_TERMS) return null;
  let acc: Dim = a.c * b.c;
  acc = addDim(acc, scaleDim(b, a.c));
  acc = addDim(acc, scaleDim({ c: 0, terms: a.terms }, b.c));
  for (const x of a.terms) {
    for (const y of b.terms) {
      const t = mulTerms(x, y);
      if (!safe(t.coef)) return null;
      acc = addDim(acc, { c: 0, terms: [t] });
    }
  }
  return acc;
}

/** ⌊a / k⌋ for a positive int k; symbolic when it must be. */
export function floorDivDim(a: Dim, k: Dim): Dim {
  if (a === null || k === null) return null;
  if (typeof k !== 'number' || k <= 0) return null;
  if (typeof a === 'number') return Math.floor(a / k);
  if (k === 1) return a;
  if (a.c % k === 0 && a.terms.every((t) => t.coef % k === 0)) return scaleDimExact(a, k);
  const key = `(${formatDim(a)})//${k}`;
  return { c: 0, terms: [{ key, coef: 1, atoms: [{ key, num: a, den: k }] }] };
}

function scaleDimExact(a: Poly, k: number): Dim {
  return make(
    a.c / k,
    a.terms.map((t) => ({ ...t, coef: t.coef / k })),
  );
}

/** a / b when b divides a exactly (a constant divisor, or a monomial dividing every term); otherwise null. */
export function exactDivDim(a: Dim, b: Dim): Dim {
  if (a === null || b === null) return null;
  if (typeof b === 'number') {
    if (b === 0) return null;
    if (typeof a === 'number') return a % b === 0 ? a / b : null;
    if (a.c % b === 0 && a.terms.every((t) => t.coef % b === 0)) return scaleDimExact(a, b);
    return null;
  }
  if (typeof a === 'number') return null;
  // b must be one monomial (no constant)
  if (b.c !== 0 || b.terms.length !== 1 || a.c !== 0) return null;
  const m = b.terms[0]!;
  const out: Term[] = [];
  for (const t of a.terms) {
    if (t.coef % m.coef !== 0) return null;
    const rest = [...t.atoms];
    for (const at of m.atoms) {
      const i = rest.findIndex((r) => r.key === at.key);
      if (i < 0) return null;
      rest.splice(i, 1);
    }
    out.push({ key: rest.map((r) => r.key).join('*'), coef: t.coef / m.coef, atoms: rest });
  }
  let c = 0;
  const terms: Term[] = [];
  for (const t of out) {
    if (t.atoms.length === 0) c += t.coef;
    else terms.push(t);
  }
  terms.sort((p, q) => (p.key < q.key ? -1 : p.key > q.key ? 1 : 0));
  // merge equal keys
  const merged: Term[] = [];
  for (const t of terms) {
    const last = merged[merged.length - 1];
    if (last && last.key === t.key) {
      const coef = last.coef + t.coef;
      merged[merged.length - 1] = { ...last, coef };
    } else merged.push(t);
  }
  return make(
    c,
    merged.filter((t) => t.coef !== 0),
  );
}

export function cmpDim(a: Dim, b: Dim): Cmp {
  if (a === null || b === null) return 'unknown';
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 'equal' : 'unequal';
  const d = subDim(a, b);
  if (d === null) return 'unknown';
  if (typeof d === 'number') return d === 0 ? 'equal' : 'unequal';
  return 'unknown';
}

export function isInt(d: Dim): d is number {
  return typeof d === 'number';
}

function formatAtom(a: Atom, alone: boolean): string {
  if (a.sym !== undefined) return a.sym;
  const num = a.num!;
  const inner = num.c === 0 && num.terms.length === 1 && num.terms[0]!.coef === 1 && num.terms[0]!.atoms.length === 1 && num.terms[0]!.atoms[0]!.sym !== undefined;
  const s = inner ? `${formatDim(num)}//${a.den}` : `(${formatDim(num)})//${a.den}`;
  return alone ? s : `(${s})`;
}

function formatTerm(t: Term, abs: boolean): string {
  const coef = abs ? Math.abs(t.coef) : t.coef;
  const body = t.atoms.map((a) => formatAtom(a, t.atoms.length === 1 && (coef === 1 || coef === -1))).join('*');
  if (coef === 1) return body;
  if (coef === -1) return '-' + body;
  return `${coef}*${body}`;
}

/** Readable form: `B`, `H - 2`, `(H - 1)//2 + 1`, `2*B*T`, `?` for unknown. */
export function formatDim(d: Dim): string {
  if (d === null) return '?';
  if (typeof d === 'number') return String(d);
  // higher degree first, then by key
  const terms = [...d.terms].sort((p, q) => q.atoms.length - p.atoms.length || (p.key < q.key ? -1 : p.key > q.key ? 1 : 0));
  let s = '';
  terms.forEach((t, i) => {
    if (i === 0) s = formatTerm(t, false);
    else s += t.coef < 0 ? ` - ${formatTerm(t, true)}` : ` + ${formatTerm(t, false)}`;
  });
  if (d.c > 0) s += ` + ${d.c}`;
  else if (d.c < 0) s += ` - ${-d.c}`;
  return s;
}

export function publicDim(d: Dim): number | string | null {
  if (d === null) return null;
  if (typeof d === 'number') return d;
  return formatDim(d);
}

export function formatShape(s: readonly Dim[] | null): string {
  if (s === null) return '(?)';
  return printShape(s.map(formatDim));
}

export function productDims(s: readonly Dim[]): Dim {
  let p: Dim = 1;
  for (const d of s) p = mulDim(p, d);
  return p;
}

/** Parse a small dimension expression (`B`, `H - 2`, `2*n`, `32`) into a Dim; unknown on anything else. */
export function parseDimText(text: string): Dim {
  const toks = text.match(/\d+|[A-Za-z_]\w*|\/\/|[-+*()]/g);
  if (!toks || toks.join('') !== text.replace(/\s+/g, '')) return null;
  let i = 0;
  const atom = (): Dim => {
    const t = toks[i++];
    if (t === undefined) return null;
    if (t === '(') {
      const v = sum();
      if (toks[i++] !== ')') return null;
      return v;
    }
    if (t === '-') return scaleDim(atom(), -1);
    if (/^\d+$/.test(t)) return Number(t);
    if (/^[A-Za-z_]\w*$/.test(t)) return symDim(t);
    return null;
  };
  const prod = (): Dim => {
    let v = atom();
    while (toks[i] === '*' || toks[i] === '//') {
      const op = toks[i++];
      const r = atom();
      v = op === '*' ? mulDim(v, r) : floorDivDim(v, r);
    }
    return v;
  };
  const sum = (): Dim => {
    let v = prod();
    while (toks[i] === '+' || toks[i] === '-') {
      const op = toks[i++];
      v = addDim(v, prod(), op === '+' ? 1 : -1);
    }
    return v;
  };
  const v = sum();
  return i === toks.length ? v : null;
}

// ---------- the shape foundation shared by every engine ----------

/**
 * The one shape printer: dimensions already printed → `(n, d)`, `(3,)` for one
 * dimension, `()` for a 0-d value. `formatShape` (these dims), matrix
 * calculus's `showShape` and the hover's `formatShape` all print through it.
 */
export function printShape(dims: readonly string[]): string {
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/**
 * The one broadcasting function (NumPy's rules: shapes aligned on the right,
 * a missing or size-1 dimension stretches). A result with `bad` names the first
 * pair of dimensions that cannot broadcast.
 *
 * - `lenient` (the shape interpreter: never a wrong shape, errors only when
 *   certain): `bad` only for two different known ints; a known int k ≠ 0
 *   against a symbolic size gives k (the program runs only if the size is 1 or
 *   k); anything else undecided is an unknown dimension.
 * - `strict` (matrix calculus, backprop: declared sizes): a named size is never
 *   assumed to be 1 or to equal another size, so only equal dimensions or a
 *   literal 1 broadcast, and every other pair is `bad`.
 */
export function broadcastDims(a: readonly Dim[] | null, b: readonly Dim[] | null, mode: 'lenient' | 'strict' = 'lenient'): { shape: Dim[] | null; bad?: [Dim, Dim] } {
  if (a === null || b === null) return { shape: null };
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const x = i < n - a.length ? 1 : a[i - (n - a.length)]!;
    const y = i < n - b.length ? 1 : b[i - (n - b.length)]!;
    if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else {
      const r = cmpDim(x, y);
      if (r === 'equal') out.push(x);
      else if (mode === 'strict' || (isInt(x) && isInt(y))) return { shape: null, bad: [x, y] };
      else if (isInt(x) && x !== 0 && y !== null) out.push(x); // y is 1 or x
      else if (isInt(y) && y !== 0 && x !== null) out.push(y);
      else out.push(null);
    }
  }
  return { shape: out };
}
