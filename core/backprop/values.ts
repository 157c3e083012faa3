/**
 * Forward values and backward gradients of a graph at a point, with every
 * node's local derivatives as numbers and as LaTeX, and the chain-rule
 * product upstream · local on every edge.
 *
 * Both passes are plain loops over node ids (ids are a topological order):
 * forward in increasing id, backward in decreasing id, accumulating each
 * edge's product into its input's gradient (fan-out adds up). No recursion.
 *
 * The numeric rules follow PyTorch's autograd in float64 (derivatives.yaml):
 * sigmoid′ = y(1 − y) and tanh′ = 1 − y² from the output y, ReLU′(0) = 0,
 * |x|′(0) = 0, max/min split the gradient in half at a tie, softplus has
 * PyTorch's threshold 20 (x > 20 → x), and `x**n` with a constant n does not
 * differentiate the exponent.
 *
 * Values of the inputs, in order of precedence: `at` (the user's point), a
 * literal assignment in the selection (`x = 0.5`), else a default: a seeded
 * value ±0.1 … ±0.9 from a hash of the name (so `x` always gets the same
 * value), positive when the input feeds a log, a square root, a denominator
 * or the base of a fractional power.
 */
import { Budget } from '../budget';
import { RULES } from '../diff';
import { HALF, NEG_ONE, PI, E, TWO, add, call, float, int, mul, neg, numFromText, pow, rat, sym } from '../expr';
import type { Expr, FnName } from '../expr';
import { latexSymbol, toLatex } from '../print';
import type { Graph, GraphNode, Op } from './graph';
import type { Numeric } from './tensor';
import type { Tensor } from './tensor';

export interface EdgeValue {
  /** The input node (source of the edge) and the node that uses it (target). */
  from: number;
  to: number;
  /** Argument position in the target (0 for `w` in `w*x`). */
  slot: number;
  /**
   * ∂target/∂input at the point; null when the input does not depend on any input leaf,
   * and for shaped edges (their local derivative is a Jacobian: `localLatex` gives the
   * vector–Jacobian product rule instead, e.g. \bar{Z} W^\top).
   */
  local: number | null;
  /** The same as LaTeX, in terms of the graph's names. */
  localLatex: string | null;
  /** ∂output/∂target (the upstream gradient; an array for a shaped target). */
  upstream: number | null | Numeric;
  /** upstream · local: this edge's contribution to the input's gradient (the input's shape). */
  product: number | null | Numeric;
  /** The chain rule with the numbers in, as LaTeX. */
  chain: string | null;
}

export type LeafSource = 'at' | 'code' | 'default';

export interface Evaluated {
  values: Numeric[];
  /** ∂output/∂node; null for nodes that depend on no input (constants and arithmetic on them). */
  grads: (Numeric | null)[];
  /** One entry per input slot of each node, grouped by target node. */
  edges: EdgeValue[];
  /** How each node is written in LaTeX (a name, or its expression when short). */
  tex: string[];
  /** Each node's local derivatives, as one LaTeX line. */
  local: string[];
  leaves: { name: string; id: number; value: Numeric; grad: Numeric; source: LeafSource; shape?: number[] }[];
  notes: string[];
  /** Present for a graph with vectors or matrices (shaped.ts): every node's shape, value and gradient as arrays. */
  shaped?: ShapedInfo;
}

export interface ShapedInfo {
  shapes: number[][];
  tensors: Tensor[];
  grads: (Tensor | null)[];
  /** Leaves holding integer class indices (cross-entropy targets): data, printed as integers. */
  indexLeaves: Set<number>;
  /** How many edges leave each node (a gradient with more than one contribution is written with +=). */
  fanOut: number[];
}

// ---------------------------------------------------------------------------
// Numbers

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The forward value of one operation. */
export function forward(op: Op, a: number, b: number): number {
  switch (op) {
    case 'input':
    case 'const':
      return a;
    case 'add':
      return a + b;
    case 'sub':
      return a - b;
    case 'mul':
      return a * b;
    case 'div':
      return a / b;
    case 'pow':
      return Math.pow(a, b);
    case 'neg':
      return -a;
    case 'exp':
      return Math.exp(a);
    case 'log':
      return Math.log(a);
    case 'log1p':
      return Math.log1p(a);
    case 'expm1':
      return Math.expm1(a);
    case 'tanh':
      return Math.tanh(a);
    case 'sigmoid':
      return sigmoid(a);
    case 'relu':
      return a > 0 ? a : Number.isNaN(a) ? a : 0;
    case 'softplus':
      return a > 20 ? a : Math.log1p(Math.exp(a));
    case 'silu':
      return a / (1 + Math.exp(-a));
    case 'sin':
      return Math.sin(a);
    case 'cos':
      return Math.cos(a);
    case 'tan':
      return Math.tan(a);
    case 'sinh':
      return Math.sinh(a);
    case 'cosh':
      return Math.cosh(a);
    case 'atan':
      return Math.atan(a);
    case 'sqrt':
      return Math.sqrt(a);
    case 'abs':
      return Math.abs(a);
    case 'square':
      return a * a;
    case 'reciprocal':
      return 1 / a;
    case 'maximum':
      return Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b);
    case 'minimum':
      return Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b);
    case 'leaky_relu':
      return a > 0 ? a : a * b;
    default:
      return NaN; // array operations are evaluated by shaped.ts
  }
}

/** ∂op/∂(input `slot`) at inputs a, b with output y (PyTorch's formulas). */
export function partial(op: Op, slot: number, a: number, b: number, y: number): number {
  switch (op) {
    case 'input':
    case 'const':
      return 0;
    case 'add':
      return 1;
    case 'sub':
      return slot === 0 ? 1 : -1;
    case 'mul':
      return slot === 0 ? b : a;
    case 'div':
      return slot === 0 ? 1 / b : -a / (b * b);
    case 'pow':
      if (slot === 0) return b === 0 ? 0 : b * Math.pow(a, b - 1);
      return a === 0 && b >= 0 ? 0 : y * Math.log(a);
    case 'neg':
      return -1;
    case 'exp':
      return y;
    case 'log':
      return 1 / a;
    case 'log1p':
      return 1 / (1 + a);
    case 'expm1':
      return y + 1;
    case 'tanh':
      return 1 - y * y;
    case 'sigmoid':
      return (1 - y) * y;
    case 'relu':
      return a > 0 ? 1 : 0;
    case 'softplus': {
      if (a > 20) return 1;
      const z = Math.exp(a);
      return z / (z + 1);
    }
    case 'silu': {
      const s = sigmoid(a);
      return s * (1 + a * (1 - s));
    }
    case 'sin':
      return Math.cos(a);
    case 'cos':
      return -Math.sin(a);
    case 'tan':
      return 1 + y * y;
    case 'sinh':
      return Math.cosh(a);
    case 'cosh':
      return Math.sinh(a);
    case 'atan':
      return 1 / (1 + a * a);
    case 'sqrt':
      return 1 / (2 * y);
    case 'abs':
      return a > 0 ? 1 : a < 0 ? -1 : 0;
    case 'square':
      return 2 * a;
    case 'reciprocal':
      return -y * y;
    case 'maximum':
    case 'minimum': {
      const mine = slot === 0 ? a : b;
      const other = slot === 0 ? b : a;
      if (mine === other) return 0.5;
      return (op === 'maximum' ? mine > other : mine < other) ? 1 : 0;
    }
    case 'leaky_relu':
      if (slot === 0) return a > 0 ? 1 : b;
      return a > 0 ? 0 : a;
    default:
      return NaN; // array operations are differentiated by shaped.ts
  }
}

// ---------------------------------------------------------------------------
// Default values

export function hash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** mulberry32 step from a seed. */
function random(seed: number): number {
  let t = (seed + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** The default value of an input named `name`: ±0.1 … ±0.9, seeded by the name; positive when asked. */
export function defaultValue(name: string, positive: boolean): number {
  const r = random(hash(name));
  const magnitude = (1 + Math.floor(r * 9)) / 10;
  const negative = !positive && random(hash(name) ^ 0x9e3779b9) < 0.5;
  return negative ? -magnitude : magnitude;
}

/** Inputs that should default to a positive value (they feed a log, a root, a denominator, a fractional power's base). */
export function needsPositive(g: Graph): Set<number> {
  const out = new Set<number>();
  for (const n of g.nodes) {
    const [a, b] = n.inputs;
    if (n.op === 'log' || n.op === 'sqrt' || n.op === 'reciprocal') out.add(a!);
    if (n.op === 'div') out.add(b!);
    if (n.op === 'pow') {
      const e = g.nodes[b!]!;
      if (!(e.op === 'const' && Number.isInteger(e.literal))) out.add(a!);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// LaTeX

/** A number for display: six significant digits, scientific as a × 10^{b}. */
export function fmt(v: number): string {
  if (Number.isNaN(v)) return '\\mathrm{NaN}';
  if (!Number.isFinite(v)) return v > 0 ? '\\infty' : '-\\infty';
  if (v === 0) return '0';
  const s = String(Number(v.toPrecision(6)));
  const m = /^(-?[\d.]+)e([+-]\d+)$/.exec(s);
  return m ? `${m[1]} \\times 10^{${Number(m[2])}}` : s;
}

/** A number inside a product: negative numbers in parentheses. */
export function fmtFactor(v: number): string {
  const s = fmt(v);
  return s.startsWith('-') || s.includes('\\times') ? `(${s})` : s;
}

const FN_OF: Partial<Record<Op, FnName>> = {
  exp: 'exp', log: 'log', log1p: 'log1p', expm1: 'expm1', tanh: 'tanh', sigmoid: 'sigmoid', relu: 'relu',
  softplus: 'softplus', silu: 'silu', sin: 'sin', cos: 'cos', tan: 'tan', sinh: 'sinh', cosh: 'cosh', atan: 'atan', abs: 'abs',
};

function numberExpr(v: number | undefined, label: string): Expr {
  if (v === undefined) return float(NaN);
  if (v === Math.PI) return PI;
  if (v === Math.E) return E;
  const text = /^[\d.]+(?:[eE][+-]?\d+)?$/.test(label) ? label : String(Math.abs(v));
  const e = /^[\d.]+(?:[eE][+-]?\d+)?$/.test(text) ? numFromText(text) : float(Math.abs(v));
  return v < 0 ? neg(e) : e;
}

/** The operation applied to display expressions. */
function opExpr(op: Op, xs: Expr[]): Expr {
  const [a, b] = xs as [Expr, Expr];
  switch (op) {
    case 'add':
      return add(a, b);
    case 'sub':
      return add(a, neg(b));
    case 'mul':
      return mul(a, b);
    case 'div':
      return mul(a, pow(b, NEG_ONE));
    case 'pow':
      return pow(a, b);
    case 'neg':
      return neg(a);
    case 'sqrt':
      return pow(a, HALF);
    case 'square':
      return pow(a, TWO);
    case 'reciprocal':
      return pow(a, NEG_ONE);
    case 'maximum':
      return call('max', a, b);
    case 'minimum':
      return call('min', a, b);
    case 'leaky_relu':
      return call('leaky_relu', a, b);
    default:
      return call(FN_OF[op]!, a);
  }
}

/** ∂op/∂(slot) as an expression of the display expressions, or raw LaTeX where the engine has no node for it. */
function localExpr(op: Op, slot: number, xs: Expr[], y: Expr): Expr | string {
  const [a, b] = xs as [Expr, Expr];
  switch (op) {
    case 'add':
      return int(1);
    case 'sub':
      return slot === 0 ? int(1) : int(-1);
    case 'mul':
      return slot === 0 ? b : a;
    case 'div':
      return slot === 0 ? pow(b, NEG_ONE) : neg(mul(a, pow(b, int(-2))));
    case 'pow':
      if (slot === 1) return mul(pow(a, b), call('log', a));
      if (b.kind === 'num' || b.kind === 'float' || (b.kind === 'mul' && b.factors.length === 2 && b.factors[1]!.kind === 'num')) {
        // A numeric exponent n: n·a^{n−1}, with n − 1 worked out.
        const n = b.kind === 'num' ? b.p / b.q : b.kind === 'float' ? b.value : NaN;
        if (Number.isFinite(n) && b.kind === 'num') {
          const m = rat(b.p - b.q, b.q);
          const base = m.kind === 'num' && m.p === m.q ? a : pow(a, m);
          return m.kind === 'num' && m.p === 0 ? b : mul(b, base);
        }
      }
      return mul(b, pow(a, add(b, NEG_ONE)));
    case 'neg':
      return int(-1);
    case 'sqrt':
      return mul(HALF, pow(a, rat(-1, 2)));
    case 'square':
      return mul(TWO, a);
    case 'reciprocal':
      return neg(pow(a, int(-2)));
    case 'maximum':
    case 'minimum': {
      const [m, o] = slot === 0 ? [a, b] : [b, a];
      const rel = op === 'maximum' ? '>' : '<';
      return `\\mathbf{1}_{[${toLatexSafe(m)} ${rel} ${toLatexSafe(o)}]} \\;(\\tfrac{1}{2} \\text{ at a tie})`;
    }
    case 'leaky_relu':
      return slot === 0
        ? `\\begin{cases} 1 & ${toLatexSafe(a)} > 0 \\\\ ${toLatexSafe(b)} & ${toLatexSafe(a)} \\le 0 \\end{cases}`
        : `\\begin{cases} 0 & ${toLatexSafe(a)} > 0 \\\\ ${toLatexSafe(a)} & ${toLatexSafe(a)} \\le 0 \\end{cases}`;
    case 'tanh':
      return add(int(1), neg(pow(y, TWO)));
    case 'sigmoid':
      return mul(y, add(int(1), neg(y)));
    case 'exp':
      return y;
    default: {
      const rule = RULES[FN_OF[op]!];
      return rule ? rule.d(a) : '?';
    }
  }
}

let rawMap: Map<string, string> = new Map();
function toLatexSafe(e: Expr): string {
  return toLatex(e, { raw: rawMap });
}

/** Display expressions larger than this are shown by a name (v_{id}) instead. */
const INLINE_LIMIT = 9;

function exprSize(e: Expr): number {
  let n = 0;
  const stack: Expr[] = [e];
  while (stack.length && n <= INLINE_LIMIT) {
    const x = stack.pop()!;
    n++;
    switch (x.kind) {
      case 'add':
        stack.push(...x.terms);
        break;
      case 'mul':
        stack.push(...x.factors);
        break;
      case 'pow':
        stack.push(x.base, x.exp);
        break;
      case 'call':
        stack.push(...x.args);
        break;
      default:
        break;
    }
  }
  return n;
}

function isAtom(n: GraphNode, e: Expr): boolean {
  return e.kind === 'sym' || e.kind === 'num' || e.kind === 'const' || (e.kind === 'float' && n.op === 'const');
}

// ---------------------------------------------------------------------------

export interface EvaluateOptions {
  at?: Readonly<Record<string, number>>;
  /** Values written in the code above the selection (source 'code', after the selection's own). */
  values?: Readonly<Record<string, unknown>>;
  budget?: Budget;
  /** Skip LaTeX (local derivatives, chain products): for very large graphs. */
  latex?: boolean;
}

/** The notes every evaluation adds: an output that depends on no input, NaN values. */
export function valueNotes(outputRequires: boolean, someNaN: boolean): string[] {
  const notes: string[] = [];
  if (!outputRequires) notes.push('The output depends on no input: every gradient is 0.');
  if (someNaN) notes.push('Some values are NaN (a log or square root of a negative number, 0/0, …) at this point.');
  return notes;
}

/**
 * How a named node is written: its name, with a version `h^{(2)}` when the name is assigned more than
 * once (or an input's name is reassigned).
 */
export function nameLatex(g: Graph): (n: GraphNode) => string {
  const versions = new Map<string, number>();
  for (const n of g.nodes) if (n.name !== undefined && n.version !== undefined) versions.set(n.name, Math.max(versions.get(n.name) ?? 0, n.version));
  return (n) => {
    const many = (versions.get(n.name!) ?? 0) > 1 || (n.op !== 'input' && g.inputs.has(n.name!));
    return many && n.op !== 'input' ? `{${latexSymbol(n.name!)}^{(${n.version})}}` : latexSymbol(n.name!);
  };
}

export function evaluateGraph(g: Graph, options: EvaluateOptions = {}): Evaluated {
  const budget = options.budget ?? Budget.unlimited();
  const withLatex = options.latex ?? true;
  const notes: string[] = [];
  const N = g.nodes.length;
  const values = new Array<number>(N).fill(0);
  const requires = new Array<boolean>(N).fill(false);
  const at = options.at ?? {};
  const positive = needsPositive(g);
  const leaves: { name: string; id: number; value: number; grad: number; source: LeafSource }[] = [];

  // Forward.
  budget.stage = 'the forward pass';
  for (const n of g.nodes) {
    budget.tick();
    if (n.op === 'input') {
      const name = n.name!;
      let value: number;
      let source: LeafSource;
      if (Object.prototype.hasOwnProperty.call(at, name) && typeof at[name] === 'number') {
        value = at[name]!;
        source = 'at';
      } else if (n.literal !== undefined) {
        value = n.literal;
        source = 'code';
      } else if (typeof options.values?.[name] === 'number') {
        value = options.values[name] as number;
        source = 'code';
      } else {
        value = defaultValue(name, positive.has(n.id));
        source = 'default';
      }
      values[n.id] = value;
      requires[n.id] = true;
      leaves.push({ name, id: n.id, value, grad: 0, source });
      continue;
    }
    if (n.op === 'const') {
      values[n.id] = n.literal ?? NaN;
      continue;
    }
    const a = values[n.inputs[0]!]!;
    const b = n.inputs.length > 1 ? values[n.inputs[1]!]! : 0;
    values[n.id] = forward(n.op, a, b);
    requires[n.id] = n.inputs.some((i) => requires[i]);
  }
  for (const name of Object.keys(at)) {
    if (!g.inputs.has(name)) notes.push(`"${name}" is not an input of this forward pass; its value is not used.`);
  }
  const defaults = leaves.filter((l) => l.source === 'default');
  if (defaults.length) {
    notes.push(
      `Default values (seeded by name; give your own with at): ${defaults.map((l) => `${l.name} = ${l.value}`).join(', ')}.`,
    );
  }

  // Backward.
  budget.stage = 'the backward pass';
  const grads: (number | null)[] = requires.map((r) => (r ? 0 : null));
  if (requires[g.output]) grads[g.output] = 1;
  const edgeStart = new Array<number>(N + 1).fill(0);
  for (let i = 0; i < N; i++) edgeStart[i + 1] = edgeStart[i]! + g.nodes[i]!.inputs.length;
  const edges: EdgeValue[] = new Array<EdgeValue>(edgeStart[N]!);
  for (let id = N - 1; id >= 0; id--) {
    budget.tick();
    const n = g.nodes[id]!;
    const up = grads[id] ?? null;
    const a = values[n.inputs[0] ?? 0] ?? 0;
    const b = n.inputs.length > 1 ? values[n.inputs[1]!]! : 0;
    n.inputs.forEach((src, slot) => {
      const e: EdgeValue = { from: src, to: id, slot, local: null, localLatex: null, upstream: up, product: null, chain: null };
      if (requires[src] && up !== null) {
        e.local = partial(n.op, slot, a, b, values[id]!);
        // 0 · anything is 0 (PyTorch does not propagate an unused branch's NaN/∞ local either way).
        e.product = up === 0 ? 0 : up * e.local;
        grads[src] = (grads[src] ?? 0) + e.product;
      }
      edges[edgeStart[id]! + slot] = e;
    });
  }
  for (const l of leaves) l.grad = grads[l.id] ?? 0;
  notes.push(...valueNotes(!!requires[g.output], values.some((v) => Number.isNaN(v))));

  // LaTeX.
  const tex = new Array<string>(N).fill('');
  const local = new Array<string>(N).fill('');
  if (withLatex) {
    budget.stage = 'writing the local derivatives';
    const nameOf = nameLatex(g);
    rawMap = new Map();
    const exprs: Expr[] = new Array<Expr>(N);
    const out = g.nodes[g.output]!;
    for (const n of g.nodes) {
      budget.tick();
      const placeholder = `n${n.id}`;
      if (n.op === 'const') {
        exprs[n.id] = numberExpr(n.literal, n.label);
      } else if (n.name !== undefined) {
        rawMap.set(placeholder, nameOf(n));
        exprs[n.id] = sym(placeholder);
      } else {
        const e = opExpr(n.op, n.inputs.map((i) => exprs[i]!));
        if (exprSize(e) > INLINE_LIMIT) {
          rawMap.set(placeholder, `v_{${n.id}}`);
          exprs[n.id] = sym(placeholder);
        } else exprs[n.id] = e;
      }
      tex[n.id] = toLatexSafe(exprs[n.id]!);
    }
    const outTex = tex[out.id]!;
    const wrapD = (s: string, e: Expr, n: GraphNode) => (isAtom(n, e) ? s : `\\left(${s}\\right)`);
    for (const n of g.nodes) {
      budget.tick();
      if (n.op === 'input' || n.op === 'const') continue;
      const xs = n.inputs.map((i) => exprs[i]!);
      const parts: string[] = [];
      n.inputs.forEach((src, slot) => {
        const e = edges[edgeStart[n.id]! + slot]!;
        if (!requires[src]) return;
        const d = localExpr(n.op, slot, xs, exprs[n.id]!);
        let s: string;
        if (typeof d === 'string') s = d;
        else s = toLatexSafe(d);
        const num = wrapD(tex[n.id]!, exprs[n.id]!, n);
        const den = wrapD(tex[src]!, exprs[src]!, g.nodes[src]!);
        const frac = `\\frac{\\partial ${num}}{\\partial ${den}}`;
        e.localLatex = s;
        if (!parts.some((p) => p.startsWith(frac))) parts.push(`${frac} = ${s}`);
        if (e.upstream !== null && e.local !== null && e.product !== null) {
          const L = wrapD(outTex, exprs[out.id]!, out);
          e.chain =
            `\\frac{\\partial ${L}}{\\partial ${num}} \\cdot ${frac} = ` +
            `${fmtFactor(e.upstream as number)} \\cdot ${fmtFactor(e.local)} = ${fmt(e.product as number)}`;
        }
      });
      local[n.id] = parts.join(',\\quad ');
    }
    rawMap = new Map();
  }
  return { values, grads, edges, tex, local, leaves, notes };
}

export type { Op };
