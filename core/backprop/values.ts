/**
 * Forward values and backward gradients of a graph at a point, with every
 * node's local derivatives as numbers and as LaTeX, and the chain-rule
 * product upstream · local on every edge.
 *
 * Both passes are plain loops over node ids (ids are a topological order):
 * forward in increasing id, backward in decreasing id, accumulating each
 * edge's product into its input's gradient (fan-out adds up). No recursion.
 *
 * Elementwise functions are catalogue entries (core/ops): their values are the
 * entry's `forward`, their local derivatives its derivative over core/ops's
 * `NUMBERS` (what `gradient` computes: PyTorch's float64 conventions at
 * kinks), with an entry's `linearAbove` cut-off applied; their LaTeX the
 * entry's derivative formula built over the scalar engine's expressions, with
 * the function of the node's own argument written as the node (PyTorch's
 * y(1 − y), 1 − y²). Arithmetic is the graph's own: `x**n` with a constant n
 * does not differentiate the exponent.
 *
 * Values of the inputs, in order of precedence: `at` (the user's point), a
 * literal assignment in the selection (`x = 0.5`), else a default: a seeded
 * value ±0.1 … ±0.9 from a hash of the name (so `x` always gets the same
 * value), positive when the input feeds a denominator, the base of a
 * fractional power, or a function defined on part of the line only (an
 * entry's `domain`: a logarithm, a root).
 */
import { Budget } from '../budget';
import { NEG_ONE, PI, E, add, call, cmp, float, int, mul, neg, numFromText, pow, rat, sym } from '../expr';
import type { Expr } from '../expr';
import { NUMBERS, opOf } from '../ops/index';
import type { Builder, OpEntry } from '../ops/index';
import { latexSymbol, toLatex } from '../print';
import { withDistinctSymbols } from '../ops/latex';
import { normalizeVariableName } from '../parse/common';
import { atomicLatex } from './builders';
import { fmt, fmtFactor } from './format';
import { entryOf } from './graph';
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

/** The value of node `n` from its arguments' values. */
/** A catalogue node's entry and its parameters with defaults filled in (looked up once per node: arrays call this per entry). */
const kernels = new WeakMap<GraphNode, { e: OpEntry; params: number[] } | null>();
function kernel(n: GraphNode): { e: OpEntry; params: number[] } | null {
  let k = kernels.get(n);
  if (k === undefined) {
    const e = entryOf(n);
    k = e ? { e, params: e.params.map((p, i) => n.scalars?.[i] ?? p.default) } : null;
    kernels.set(n, k);
  }
  return k;
}

export function forward(n: GraphNode, args: readonly number[]): number {
  const k = kernel(n);
  if (k) {
    const x = args[0]!;
    return k.e.linearAbove !== undefined && x > k.e.linearAbove ? x : k.e.forward(args, k.params);
  }
  const [a, b] = args as [number, number];
  switch (n.op) {
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
    default:
      return NaN; // array operations are evaluated by shaped.ts
  }
}

/** ∂n/∂(argument `slot`) at the arguments' values, with output y (PyTorch's formulas and kink values). */
export function partial(n: GraphNode, slot: number, args: readonly number[], y: number): number {
  const k = kernel(n);
  if (k) {
    if (k.e.linearAbove !== undefined && args[0]! > k.e.linearAbove) return slot === 0 ? 1 : 0;
    return k.e.derivative.d(NUMBERS, args, k.params)[slot]!;
  }
  const [a, b] = args as [number, number];
  switch (n.op) {
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
    default:
      return NaN; // leaves; array operations are differentiated by shaped.ts
  }
}

/** `forward` and `partial` of one node on scalars a (and b), resolved once (shaped.ts applies them to every entry of an array). */
export function elementwise(n: GraphNode): { value(a: number, b: number): number; partial(slot: number, a: number, b: number, y: number): number } {
  const k = kernel(n);
  if (!k) {
    const op = n.op;
    return {
      value: (a, b) => forward(n, [a, b]),
      partial:
        op === 'add' || op === 'sub' || op === 'mul' || op === 'neg'
          ? (slot, a, b) => (op === 'add' ? 1 : op === 'sub' ? (slot === 0 ? 1 : -1) : op === 'neg' ? -1 : slot === 0 ? b : a)
          : (slot, a, b, y) => partial(n, slot, [a, b], y),
    };
  }
  const { e, params } = k;
  const cut = e.linearAbove ?? Infinity;
  const unary = e.arity === 1;
  return {
    value: (a, b) => (a > cut ? a : e.forward(unary ? [a] : [a, b], params)),
    partial: (slot, a, b) => (a > cut ? (slot === 0 ? 1 : 0) : e.derivative.d(NUMBERS, unary ? [a] : [a, b], params)[slot]!),
  };
}

/**
 * A catalogue entry's local derivatives built with `b`, where the entry applied to the node's own
 * arguments is the node itself (`y`), as PyTorch computes derivatives from a function's output.
 */
export function localDerivatives<T>(b: Builder<T>, e: OpEntry, args: readonly T[], params: readonly T[], y: T): T[] {
  const self: Builder<T> = {
    ...b,
    call: (name, ...xs) => (name === e.name && xs.length === args.length && xs.every((x, i) => x === args[i]) ? y : b.call(name, ...xs)),
  };
  return e.derivative.d(self, args, params);
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
    const e = entryOf(n);
    if (e && e.domain !== 'real') out.add(a!);
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

function numberExpr(v: number | undefined, label: string): Expr {
  if (v === undefined) return float(NaN);
  if (v === Math.PI) return PI;
  if (v === Math.E) return E;
  const text = /^[\d.]+(?:[eE][+-]?\d+)?$/.test(label) ? label : String(Math.abs(v));
  const e = /^[\d.]+(?:[eE][+-]?\d+)?$/.test(text) ? numFromText(text) : float(Math.abs(v));
  return v < 0 ? neg(e) : e;
}

/** LaTeX shown as one symbol of an expression (a catalogue call); `atomic` when safe as a power's base. */
function rawExpr(tex: string): Expr {
  const key = `r${rawMap.size}`;
  rawMap.set(key, tex);
  return sym(key);
}

/** The rows of case splits built by EXPR.where, by their placeholder. */
const caseRows = new Map<string, string[]>();

/** A power's base: LaTeX that is not one atom (`e^{x}`) in parentheses. */
function powBase(a: Expr): Expr {
  const r = a.kind === 'sym' ? rawMap.get(a.name) : undefined;
  return r !== undefined && a.kind === 'sym' && a.name.startsWith('r') && !atomicLatex(r) ? rawExpr(`\\left(${r}\\right)`) : a;
}

/** The scalar engine's expressions as a catalogue Builder; a catalogue call is shown with its entry's LaTeX. */
const EXPR: Builder<Expr> = {
  num: (p, q = 1) => (Number.isInteger(p) && Number.isInteger(q) ? rat(p, q) : float(p / q)),
  pi: () => PI,
  add: (...t) => add(...t),
  sub: (a, b) => add(a, neg(b)),
  mul: (...f) => mul(...f.filter((x) => !(x.kind === 'num' && x.p === 1 && x.q === 1))),
  div: (a, b) => (a.kind === 'num' && a.p === 1 && a.q === 1 ? pow(b, NEG_ONE) : mul(a, pow(b, NEG_ONE))),
  neg: (a) => neg(a),
  pow: (a, b) => pow(powBase(a), b),
  call: (name, ...args) => {
    const e = opOf(name);
    return e.expand ? e.expand(EXPR, args) : rawExpr(e.latex(args.map(toLatexSafe), []));
  },
  cmp: (op, a, b) => cmp(op, a, b),
  where: (c, a, b) => {
    const one = (x: Expr) => x.kind === 'num' && x.p === 1 && x.q === 1;
    const zero = (x: Expr) => x.kind === 'num' && x.p === 0;
    if (one(a) && zero(b)) return rawExpr(`\\mathbf{1}_{[${toLatexSafe(c)}]}`);
    // Nested conditions become the rows of one case split.
    const rows = [`${toLatexSafe(a)} & \\text{if } ${toLatexSafe(c)}`, ...(b.kind === 'sym' && caseRows.get(b.name)) || [`${toLatexSafe(b)} & \\text{otherwise}`]];
    const r = rawExpr(`\\begin{cases} ${rows.join(' \\\\ ')} \\end{cases}`);
    if (r.kind === 'sym') caseRows.set(r.name, rows);
    return r;
  },
};

/** A catalogue node's parameters as expressions. */
const scalarExprs = (n: GraphNode): Expr[] => (n.scalars ?? []).map((v) => numberExpr(v, String(v)));

/** The operation applied to display expressions. */
function opExpr(n: GraphNode, xs: Expr[]): Expr {
  const [a, b] = xs as [Expr, Expr];
  const e = entryOf(n);
  if (e) {
    if (e.expand) return e.expand(EXPR, xs);
    return rawExpr(e.latex(xs.map(toLatexSafe), (n.scalars ?? []).map(fmt)));
  }
  switch (n.op) {
    case 'add':
      return add(a, b);
    case 'sub':
      return add(a, neg(b));
    case 'mul':
      return mul(a, b);
    case 'div':
      return mul(a, pow(b, NEG_ONE));
    case 'pow':
      return pow(powBase(a), b);
    case 'neg':
      return neg(a);
    default:
      return rawExpr(`\\operatorname{${n.op}}`);
  }
}

/** ∂op/∂(slot) as an expression of the display expressions, or raw LaTeX where the engine has no node for it. */
function localExpr(n: GraphNode, slot: number, xs: Expr[], y: Expr): Expr | string {
  const e = entryOf(n);
  if (e) return localDerivatives(EXPR, e, xs, scalarExprs(n), y)[slot]!;
  const [a, b] = xs as [Expr, Expr];
  switch (n.op) {
    case 'add':
      return int(1);
    case 'sub':
      return slot === 0 ? int(1) : int(-1);
    case 'mul':
      return slot === 0 ? b : a;
    case 'div':
      return slot === 0 ? pow(b, NEG_ONE) : neg(mul(a, pow(powBase(b), int(-2))));
    case 'pow':
      if (slot === 1) return mul(pow(powBase(a), b), call('log', a));
      if (b.kind === 'num' || b.kind === 'float' || (b.kind === 'mul' && b.factors.length === 2 && b.factors[1]!.kind === 'num')) {
        // A numeric exponent n: n·a^{n−1}, with n − 1 worked out.
        const n = b.kind === 'num' ? b.p / b.q : b.kind === 'float' ? b.value : NaN;
        if (Number.isFinite(n) && b.kind === 'num') {
          const m = rat(b.p - b.q, b.q);
          const base = m.kind === 'num' && m.p === m.q ? a : pow(powBase(a), m);
          return m.kind === 'num' && m.p === 0 ? b : mul(b, base);
        }
      }
      return mul(b, pow(powBase(a), add(b, NEG_ONE)));
    case 'neg':
      return int(-1);
    default:
      return '?';
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

/**
 * Values by name, a subscripted name in its normal form (`p['w1']` → `p["w1"]`, `X[i,0]` → `X[i, 0]`),
 * so `at` and the panel may spell it as the user writes it.
 */
export function normalizedNames<T>(values: Record<string, T> | undefined): Record<string, T> | undefined {
  if (!values) return values;
  const keys = Object.keys(values);
  if (keys.every((k) => !/[[.'\s]/.test(k))) return values;
  const out: Record<string, T> = {};
  for (const k of keys) out[normalizeVariableName(k) ?? k] = values[k]!;
  return out;
}

/** Every name a graph's LaTeX shows (its inputs and assigned names), kept apart (core/ops/latex.ts). */
export function graphNames(g: Graph): string[] {
  const names = new Set(g.inputs.keys());
  for (const n of g.nodes) if (n.name !== undefined) names.add(n.name);
  return [...names];
}

export function evaluateGraph(g: Graph, options: EvaluateOptions = {}): Evaluated {
  const opts = { ...options, at: normalizedNames(options.at), values: normalizedNames(options.values) };
  return withDistinctSymbols(graphNames(g), () => evaluateScalars(g, opts));
}

function evaluateScalars(g: Graph, options: EvaluateOptions): Evaluated {
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
    values[n.id] = forward(n, n.inputs.map((i) => values[i]!));
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
    const args = n.inputs.map((i) => values[i]!);
    n.inputs.forEach((src, slot) => {
      const e: EdgeValue = { from: src, to: id, slot, local: null, localLatex: null, upstream: up, product: null, chain: null };
      if (requires[src] && up !== null) {
        e.local = partial(n, slot, args, values[id]!);
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
    caseRows.clear();
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
        const e = opExpr(n, n.inputs.map((i) => exprs[i]!));
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
        const d = localExpr(n, slot, xs, exprs[n.id]!);
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
    caseRows.clear();
  }
  return { values, grads, edges, tex, local, leaves, notes };
}

export type { Op };
export { fmt, fmtFactor };
