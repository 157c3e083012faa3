/**
 * LaTeX (matrix notation: ᵀ, ⊙, ⊘, ‖·‖, tr, det, diag) and NumPy code for the IR.
 * NumPy code names sizes through the variables that carry them (`X.shape[0]`),
 * so it runs for any concrete sizes. Only `np.` functions are used.
 */
import type { CmpOp } from '../ops';
import { latexSymbol } from '../ops/latex';
import type { Node } from './ast';
import { isScalar, rank, treeSize } from './ast';
import { T } from './simplify';
import type { Dim, Shape } from './shapes';

/** Python spellings of Greek letters that avoid the keyword `lambda` or abbreviate (lam → λ). */
const PY_GREEK: Record<string, string> = { lam: 'lambda', lmbda: 'lambda', lambda_: 'lambda', eps: 'epsilon' };

/** A variable or size name as LaTeX: the one convention of core/ops/latex.ts (loss → \mathit{loss}, W1 → W_{1}). */
export function nameLatex(name: string): string {
  return latexSymbol(PY_GREEK[name] ?? name);
}

function numLatex(v: number): string {
  if (Number.isInteger(v)) return String(v);
  for (let q = 2; q <= 1000; q++) {
    const p = v * q;
    if (Math.abs(p - Math.round(p)) < 1e-12 * q) return `${Math.round(p) < 0 ? '-' : ''}\\frac{${Math.abs(Math.round(p))}}{${q}}`;
  }
  return String(v);
}

function dimLatex(d: Dim): string {
  return typeof d === 'number' ? String(d) : nameLatex(d);
}

export function shapeLatex(s: Shape): string {
  return s.length === 0 ? 'scalar' : s.map(dimLatex).join(' \\times ');
}

type P = { s: string; p: number };
// precedence: 0 sum, 1 product, 2 unary minus, 3 postfix (power, transpose), 4 atom
const wrap = (x: P, min: number): string => (x.p < min ? `\\left(${x.s}\\right)` : x.s);

const CMP_LATEX: Record<CmpOp, string> = { '<': '<', '<=': '\\le', '>': '>', '>=': '\\ge', '==': '=', '!=': '\\ne' };

/** A comparison as a relation (`a > b`), for a condition. */
function relation(n: Node): string {
  return `${lx(n.args[0]!).s} ${CMP_LATEX[n.cmp!]} ${lx(n.args[1]!).s}`;
}

/** A parameter as the catalogue's LaTeX and NumPy code take it. */
const paramText = (v: number): string => String(v);

/** A call's LaTeX from its catalogue entry; one ending in a superscript (e^{x}) is wrapped before another. */
function fnLatex(n: Node): P {
  const op = n.op!;
  const args = n.args.map((t) => (t.k === 'cmp' ? relation(t) : lx(t).s));
  const s = op.latex(args, (n.params ?? []).map(paramText));
  return { s, p: endsInSuperscript(s) || s.startsWith('\\begin') ? 3 : 4 };
}

/** Does the LaTeX end in a top-level superscript group (`e^{x}`, `\\left(x\\right)^{2}`)? */
function endsInSuperscript(s: string): boolean {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '{') {
      if (depth === 0 && s[i - 1] === '^') open = i;
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0 && open >= 0 && i === s.length - 1) return true;
    } else if (depth === 0) open = -1;
  }
  return false;
}

export function latex(n: Node): string {
  return lx(n).s;
}

/** LaTeX of a formula shown inside a step: elided when its printed tree would exceed `max` nodes. */
export function stepLatex(n: Node, max = 1500): string {
  return treeSize(n) > max ? '\\left(\\ldots\\right)' : lx(n).s;
}

function axisSub(n: Node): string {
  return n.axis === null || n.axis === undefined || rank(n.args[0]!) < 2 ? '' : `_{\\text{axis}=${n.axis}}`;
}

function lx(n: Node): P {
  const a = n.args;
  switch (n.k) {
    case 'var': return { s: nameLatex(n.name!), p: 4 };
    case 'const': return { s: `\\${n.name}`, p: 4 };
    case 'num': return n.value! < 0 ? { s: numLatex(n.value!), p: 2 } : { s: numLatex(n.value!), p: Number.isInteger(n.value) ? 4 : 1 };
    case 'dim': return { s: dimLatex(n.name!), p: 4 };
    case 'ones': return { s: `\\mathbf{1}_{${shapeLatex(n.shape)}}`, p: 4 };
    case 'zero': return { s: `\\mathbf{0}_{${shapeLatex(n.shape)}}`, p: 4 };
    case 'eye': return { s: `I_{${dimLatex(n.shape[0]!)}}`, p: 4 };
    case 'add': {
      let s = '';
      const term = (t: Node): string => {
        if (rank(n) === 2 && rank(t) === 1) return `\\mathbf{1} ${wrap(lx(t), 3)}^\\top`; // a row broadcast down the rows
        if (rank(n) === 2 && rank(t) === 2 && t.shape[1] === 1 && n.shape[1] !== 1) return `${wrap(lx(t), 3)} \\mathbf{1}^\\top`; // a column across
        if (rank(n) === 2 && rank(t) === 2 && t.shape[0] === 1 && n.shape[0] !== 1) return `\\mathbf{1} ${wrap(lx(t), 3)}`; // a row down
        return wrap(lx(t), 1);
      };
      a.forEach((t, i) => {
        const neg = negated(t);
        if (neg) s += `${i ? ' - ' : '-'}${term(neg)}`;
        else s += `${i ? ' + ' : ''}${term(t)}`;
      });
      return { s, p: 0 };
    }
    case 'mul': return mulLatex(n);
    case 'pow': {
      const b = a[0]!;
      const p = n.value!;
      const tensor = !isScalar(b);
      if (p === 0.5 && !tensor) return { s: `\\sqrt{${lx(b).s}}`, p: 4 };
      if (p < 0) return { s: tensor ? `\\mathbf{1} \\oslash ${wrap(lx(pow1(b, -p)), 3)}` : `\\frac{1}{${lx(pow1(b, -p)).s}}`, p: 1 };
      return { s: `${wrap(lx(b), 4)}^{${tensor ? '\\circ ' : ''}${numLatex(p)}}`, p: 3 };
    }
    case 'matmul': {
      const [x, y] = [a[0]!, a[1]!];
      if (rank(x) === 1 && rank(y) === 1) {
        // (M v)ᵀ y is printed vᵀ Mᵀ y (x @ A @ x reads xᵀ A x)
        if (x.k === 'matmul' && rank(x.args[0]!) === 2 && rank(x.args[1]!) === 1) return { s: `${wrap(lx(x.args[1]!), 3)}^\\top ${wrap(lx(T(x.args[0]!)), 2)} ${wrap(lx(y), 2)}`, p: 1 };
        return { s: `${wrap(lx(x), 3)}^\\top ${wrap(lx(y), 2)}`, p: 1 };
      }
      const assoc = (y.k === 'matmul' && !(rank(y.args[0]!) === 1 && rank(y.args[1]!) === 1)) || y.k === 'outer';
      return { s: `${wrap(lx(x), x.k === 'mul' ? 2 : 1)} ${wrap(lx(y), assoc ? 1 : 2)}`, p: 1 };
    }
    case 'T': {
      const x = a[0]!;
      if (x.k === 'inv') return { s: `${wrap(lx(x.args[0]!), 4)}^{-\\top}`, p: 3 };
      if (x.k === 'expand') return { s: `${wrap(lx(x.args[0]!), 4)}^\\top`, p: 3 };
      return { s: `${wrap(lx(x), 4)}^\\top`, p: 3 };
    }
    case 'fn': return fnLatex(n);
    case 'cmp': return { s: `\\mathbf{1}_{[${relation(n)}]}`, p: 4 };
    case 'sum': return { s: `\\operatorname{sum}${axisSub(n)}\\left(${lx(a[0]!).s}\\right)`, p: 4 };
    case 'max': return { s: `\\max${axisSub(n)}\\left(${lx(a[0]!).s}\\right)`, p: 4 };
    case 'logsumexp': return { s: `\\operatorname{logsumexp}${axisSub(n)}\\left(${lx(a[0]!).s}\\right)`, p: 4 };
    case 'expand': return lx(a[0]!); // an (n, 1) column: the vector itself (diag(v) only when it scales a matrix's rows)
    case 'outer': return { s: `${wrap(lx(a[0]!), 3)} ${wrap(lx(a[1]!), 3)}^\\top`, p: 1 };
    case 'trace': return { s: `\\operatorname{tr}\\left(${lx(a[0]!).s}\\right)`, p: 4 };
    case 'det': return { s: `\\det\\left(${lx(a[0]!).s}\\right)`, p: 4 };
    case 'logdet': return { s: `\\ln\\det\\left(${lx(a[0]!).s}\\right)`, p: 4 };
    case 'inv': return { s: `${wrap(lx(a[0]!), 4)}^{-1}`, p: 3 };
    case 'norm': return { s: `\\left\\lVert ${lx(a[0]!).s} \\right\\rVert_${rank(a[0]!) === 1 ? '2' : 'F'}`, p: 4 };
    case 'softmax': return { s: `\\operatorname{softmax}${rank(n) > 1 ? axisSub(n) : ''}\\left(${lx(a[0]!).s}\\right)`, p: 4 };
    case 'logsoftmax': return { s: `\\operatorname{log\\,softmax}${rank(n) > 1 ? axisSub(n) : ''}\\left(${lx(a[0]!).s}\\right)`, p: 4 };
    case 'xent': return { s: `\\operatorname{CE}\\left(${lx(a[0]!).s}, ${lx(a[1]!).s}\\right)`, p: 4 };
    case 'onehot': return { s: `\\operatorname{onehot}\\left(${lx(a[0]!).s}\\right)`, p: 4 };
    case 'stack': {
      const [r, c] = [n.shape[0] as number, (n.shape[1] ?? 1) as number];
      const rows: string[] = [];
      for (let i = 0; i < r; i++) rows.push(a.slice(i * c, i * c + c).map((e) => lx(e).s).join(' & '));
      return { s: `\\begin{pmatrix} ${rows.join(' \\\\ ')} \\end{pmatrix}`, p: 4 };
    }
  }
}

function pow1(b: Node, p: number): Node {
  return p === 1 ? b : { k: 'pow', args: [b], shape: b.shape, value: p };
}

/** A term with a negative leading coefficient, without its sign (for `a - b`). */
function negated(t: Node): Node | null {
  if (t.k === 'num' && t.value! < 0) return { ...t, value: -t.value! };
  if (t.k === 'mul' && t.args[0]!.k === 'num' && t.args[0]!.value! < 0) {
    const c = -t.args[0]!.value!;
    const rest = t.args.slice(1);
    if (c === 1) return rest.length === 1 ? rest[0]! : { ...t, args: rest };
    return { ...t, args: [{ ...t.args[0]!, value: c }, ...rest] };
  }
  return null;
}

function mulLatex(n: Node): P {
  let c = 1;
  const numer: Node[] = [];
  const denom: Node[] = [];
  const tensors: Node[] = [];
  const tensorDen: Node[] = [];
  for (const f of n.args) {
    if (f.k === 'num') c *= f.value!;
    else if (isScalar(f)) (f.k === 'pow' && f.value! < 0 ? denom : numer).push(f);
    else if (f.k === 'pow' && f.value! < 0) tensorDen.push(f);
    else tensors.push(f);
  }
  let sign = '';
  if (c < 0) { sign = '-'; c = -c; }
  const fr = numLatex(c);
  const frac = /^\\frac\{(\d+)\}\{(\d+)\}$/.exec(fr);
  const cNum = frac ? frac[1]! : fr;
  const cDen = frac ? frac[2]! : '1';
  const inFrac = (fs: Node[], extra: number): ((f: Node) => string) => (f) => (fs.length + extra === 1 ? lx(f).s : wrap(lx(f), 2));
  const num = [...(cNum !== '1' ? [cNum] : []), ...numer.map((f) => (denom.length || cDen !== '1' ? inFrac(numer, cNum !== '1' ? 1 : 0)(f) : wrap(lx(f), 2)))];
  const denNodes = denom.map((f) => pow1(f.args[0]!, -f.value!));
  const den = [...(cDen !== '1' ? [cDen] : []), ...denNodes.map(inFrac(denNodes, cDen !== '1' ? 1 : 0))];
  let scalarPart: string;
  if (den.length) scalarPart = `\\frac{${num.join(' ') || '1'}}{${den.join(' ')}}`;
  else scalarPart = num.join(' ');
  // tensor part: diag(v) M (rows scaled), M diag(v) (columns scaled), elementwise ⊙, ⊘ for elementwise division
  const matrix = rank(n) === 2;
  const column = (t: Node): boolean => t.k === 'expand' || (matrix && rank(t) === 2 && t.shape[1] === 1 && n.shape[1] !== 1);
  const left = tensors.filter(column);
  const rowScale = (t: Node): boolean => rank(t) === 1 || (t.k === 'T' && t.args[0]!.k === 'expand') || (rank(t) === 2 && t.shape[0] === 1 && n.shape[0] !== 1);
  const right = matrix ? tensors.filter(rowScale) : [];
  const mid = tensors.filter((t) => !left.includes(t) && !right.includes(t));
  const ts: string[] = [];
  for (const t of mid) ts.push(wrap(lx(t), mid.length > 1 || left.length + right.length > 0 ? 3 : 1));
  let tensorPart = ts.join(' \\odot ');
  if (mid.length > 1 && left.length + right.length > 0) tensorPart = `\\left(${tensorPart}\\right)`;
  const vec = (t: Node): Node => (t.k === 'T' && t.args[0]!.k === 'expand' ? t.args[0]!.args[0]! : t.k === 'expand' ? t.args[0]! : t);
  const joined = (ts: Node[]): string => (ts.length === 1 ? wrap(lx(vec(ts[0]!)), 3) : `\\left(${ts.map((t) => wrap(lx(vec(t)), 3)).join(' \\odot ')}\\right)`);
  const inDiag = (ts: Node[]): string => (ts.length === 1 ? lx(vec(ts[0]!)).s : ts.map((t) => wrap(lx(vec(t)), 3)).join(' \\odot '));
  if (!mid.length && left.length && right.length) tensorPart = `${joined(left)} ${joined(right)}^\\top`; // column times row: a bᵀ
  else {
    if (left.length === 1 && mid.length === 1 && mid[0]!.k === 'eye' && !right.length) tensorPart = '';
    else if (left.length && !mid.length && !right.length) tensorPart = n.shape[1] === 1 ? '' : '\\mathbf{1}^\\top';
    if (left.length && !mid.length && !right.length && n.shape[1] === 1) tensorPart = joined(left); // an (n, 1) column
    else if (left.length) tensorPart = `\\operatorname{diag}\\left(${inDiag(left)}\\right) ${tensorPart}`.trim();
    if (right.length) tensorPart = `${tensorPart || '\\mathbf{1}'} \\operatorname{diag}\\left(${inDiag(right)}\\right)`;
  }
  for (const d of tensorDen) {
    const b = wrap(lx(pow1(d.args[0]!, -d.value!)), 3);
    tensorPart = tensorPart ? `${tensors.length > 1 ? `\\left(${tensorPart}\\right)` : tensorPart} \\oslash ${b}` : `\\mathbf{1} \\oslash ${b}`;
  }
  const s = [scalarPart, tensorPart].filter((x) => x !== '').join(' ');
  return { s: sign + (s || '1'), p: sign ? 2 : 1 };
}

// ---------------------------------------------------------------- NumPy

export interface NumpyContext {
  /** symbolic size → code giving it (`X.shape[0]`) */
  dims: Map<string, string>;
}

export function dimsFrom(vars: readonly Node[]): NumpyContext {
  const dims = new Map<string, string>();
  for (const v of vars) v.shape.forEach((d, i) => {
    if (typeof d === 'string' && !dims.has(d)) dims.set(d, `${v.name}.shape[${i}]`);
  });
  return { dims };
}

function dimCode(d: Dim, ctx: NumpyContext): string {
  if (typeof d === 'number') return String(d);
  const c = ctx.dims.get(d);
  if (!c) throw new Error(`size ${d} is carried by no variable, so NumPy code cannot name it`);
  return c;
}

function shapeCode(s: Shape, ctx: NumpyContext): string {
  return s.length === 1 ? `(${dimCode(s[0]!, ctx)},)` : `(${s.map((d) => dimCode(d, ctx)).join(', ')})`;
}

// precedence (Python): 0 +-, 1 * / @, 2 unary -, 3 **, 4 atom/postfix
const pw = (x: P, min: number): string => (x.p < min ? `(${x.s})` : x.s);

function numCode(v: number): string {
  return Number.isInteger(v) ? String(v) : String(v);
}

export function numpy(n: Node, ctx: NumpyContext): string {
  return py(n, ctx).s;
}

/** A comparison as Python code (`a > b`: comparisons bind loosest, so the operands need no parentheses). */
function comparison(n: Node, ctx: NumpyContext): string {
  return `${py(n.args[0]!, ctx).s} ${n.cmp} ${py(n.args[1]!, ctx).s}`;
}

/** Is the code one call `f(…)` (so it needs no parentheses as an operand)? */
function singleCall(code: string): boolean {
  const m = /^[A-Za-z_][\w.]*\(/.exec(code);
  if (!m) return false;
  let depth = 0;
  for (let i = m[0].length - 1; i < code.length; i++) {
    const c = code[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') {
      depth--;
      if (depth === 0) return i === code.length - 1;
    }
  }
  return false;
}

function axisKw(n: Node): string {
  return `${n.axis === null || n.axis === undefined ? '' : `, axis=${n.axis}`}${n.keepdims ? ', keepdims=True' : ''}`;
}

function py(n: Node, ctx: NumpyContext): P {
  const a = n.args;
  const r = (x: Node) => py(x, ctx);
  switch (n.k) {
    case 'var': return { s: n.name!, p: 4 };
    case 'const': return { s: `np.${n.name}`, p: 4 };
    case 'num': return n.value! < 0 ? { s: numCode(n.value!), p: 2 } : { s: numCode(n.value!), p: 4 };
    case 'dim': return { s: dimCode(n.name!, ctx), p: 4 };
    case 'ones': return { s: `np.ones(${shapeCode(n.shape, ctx)})`, p: 4 };
    case 'zero': return { s: `np.zeros(${shapeCode(n.shape, ctx)})`, p: 4 };
    case 'eye': return { s: `np.eye(${dimCode(n.shape[0]!, ctx)})`, p: 4 };
    case 'add': {
      let s = '';
      a.forEach((t, i) => {
        const neg = negated(t);
        if (neg) s += `${i ? ' - ' : '-'}${pw(r(neg), 1)}`;
        else s += `${i ? ' + ' : ''}${pw(r(t), 0)}`;
      });
      return { s, p: 0 };
    }
    case 'mul': {
      if (a[0]!.k === 'num' && a[0]!.value === -1 && a.length > 1) {
        const rest = a.length === 2 ? a[1]! : { ...n, args: a.slice(1) };
        return { s: `-${pw(r(rest), 2)}`, p: 2 };
      }
      let s = '';
      a.forEach((f, i) => {
        if (f.k === 'pow' && f.value! < 0 && i > 0) s += ` / ${pw(r(pow1(f.args[0]!, -f.value!)), 2)}`;
        else s += `${i ? ' * ' : ''}${pw(r(f), i ? 2 : 1)}`;
      });
      return { s, p: 1 };
    }
    case 'pow': {
      const p = n.value!;
      if (p < 0) return { s: `1 / ${pw(r(pow1(a[0]!, -p)), 2)}`, p: 1 };
      return { s: `${pw(r(a[0]!), 4)} ** ${p}`, p: 3 };
    }
    case 'matmul': return { s: `${pw(r(a[0]!), 1)} @ ${pw(r(a[1]!), 2)}`, p: 1 };
    case 'T': return { s: `${pw(r(a[0]!), 4)}.T`, p: 4 };
    case 'fn': {
      const op = n.op!;
      const code = op.numpy(a.map((t) => (t.k === 'cmp' ? comparison(t, ctx) : r(t).s)), (n.params ?? []).map(paramText));
      return { s: code, p: singleCall(code) ? 4 : 0 };
    }
    case 'cmp': return { s: `np.where(${comparison(n, ctx)}, 1.0, 0.0)`, p: 4 };
    case 'sum': return { s: `np.sum(${r(a[0]!).s}${axisKw(n)})`, p: 4 };
    case 'max': return { s: `np.max(${r(a[0]!).s}${axisKw(n)})`, p: 4 };
    case 'logsumexp': {
      const x = r(a[0]!).s;
      const ax = `, axis=${n.axis}, keepdims=True`;
      if (n.axis === null) return { s: `(np.max(${x}) + np.log(np.sum(np.exp(${x} - np.max(${x})))))`, p: 4 };
      const m = `np.max(${x}${ax})`;
      const full = `(${m} + np.log(np.sum(np.exp(${x} - ${m})${ax})))`;
      return { s: n.keepdims ? full : `np.squeeze(${full}, axis=${n.axis})`, p: 4 };
    }
    case 'expand': return { s: `${pw(r(a[0]!), 4)}[:, None]`, p: 4 };
    case 'outer': return { s: `np.outer(${r(a[0]!).s}, ${r(a[1]!).s})`, p: 4 };
    case 'trace': return { s: `np.trace(${r(a[0]!).s})`, p: 4 };
    case 'det': return { s: `np.linalg.det(${r(a[0]!).s})`, p: 4 };
    case 'logdet': return { s: `np.log(np.linalg.det(${r(a[0]!).s}))`, p: 4 };
    case 'inv': return { s: `np.linalg.inv(${r(a[0]!).s})`, p: 4 };
    case 'norm': return { s: `np.linalg.norm(${r(a[0]!).s})`, p: 4 };
    case 'softmax': case 'logsoftmax': {
      const x = r(a[0]!).s;
      const ax = `axis=${n.axis}, keepdims=True`;
      const sh = `(${x} - np.max(${x}, ${ax}))`;
      if (n.k === 'softmax') return { s: `(np.exp(${sh}) / np.sum(np.exp(${sh}), ${ax}))`, p: 4 };
      return { s: `(${sh} - np.log(np.sum(np.exp(${sh}), ${ax})))`, p: 4 };
    }
    case 'xent': {
      const z = a[0]!;
      const y = n.index ? { k: 'onehot', args: [a[1]!], shape: z.shape } as Node : a[1]!;
      const ls = r({ k: 'logsoftmax', args: [z], shape: z.shape, axis: rank(z) - 1 }).s;
      return { s: rank(z) === 1 ? `(-np.sum(${r(y).s} * ${ls}))` : `(-np.mean(np.sum(${r(y).s} * ${ls}, axis=1)))`, p: 4 };
    }
    case 'onehot': return { s: `np.eye(${dimCode(n.shape[n.shape.length - 1]!, ctx)})[${r(a[0]!).s}]`, p: 4 };
    case 'stack': {
      const [rows, cols] = [n.shape[0] as number, (n.shape[1] ?? 1) as number];
      const out: string[] = [];
      for (let i = 0; i < rows; i++) out.push(`[${a.slice(i * cols, i * cols + cols).map((e) => r(e).s).join(', ')}]`);
      return { s: `np.array([${out.join(', ')}], dtype=float)`, p: 4 };
    }
  }
}
