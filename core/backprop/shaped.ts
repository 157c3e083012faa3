/**
 * Forward values and backward gradients of a graph with vectors and
 * matrices (issue 6): every node gets a shape, an array value and an array
 * gradient of the same shape, and every edge the vector–Jacobian product
 * that sends the node's gradient to that input (the Jacobian itself is never
 * formed). Elementwise operations broadcast like NumPy, and a broadcast
 * operand's gradient is summed back to its shape ("unbroadcast").
 *
 * Inputs, in order of precedence: `at` (a number or nested arrays), a value
 * in the code (`x = 0.5`, `np.array([…])`, `torch.randn(4, 3)` with seeded
 * values), a declared shape (the `shapes` option, else `# X: (n, d)`
 * comments) with seeded values, else a scalar default as in values.ts.
 * Symbolic sizes take the sizes of arrays given for them, else small
 * distinct values (n = 4, d = 3, k = 2, h = 5, then 6, 7, …), named in a note.
 *
 * The elementwise rules are values.ts's `partial` applied entry by entry (the
 * catalogue's, core/ops), so scalars and arrays follow the same PyTorch
 * conventions at kinks; their LaTeX is the catalogue's derivative built with
 * builders.ts's `texBuilder`. Passes
 * are plain loops over node ids; no recursion.
 */
import { Budget } from '../budget';
import { fail } from '../parse/common';
import { broadcast, matmulShape, parseShapeSpec, ShapeError, showShape } from '../matcalc/shapes';
import type { Dim, Shape } from '../matcalc/shapes';
import { atomicLatex, texBuilder, wrapTex } from './builders';
import type { BuiltTex, Tex } from './builders';
import { ARRAY_OPS, entryOf } from './graph';
import type { Graph, GraphNode } from './graph';
import type { Numeric } from './tensor';
import {
  broadcastAxes, expandTo, fromNumeric, matmul, outer, reducedShape, seeded, size, softmax, sumAxes, tensor, toNumeric, transpose,
  unbroadcast, zipWith, forLanes,
} from './tensor';
import type { Tensor } from './tensor';
import { defaultValue, elementwise, fmt, graphNames, hash, localDerivatives, nameLatex, needsPositive, normalizedNames, partial, valueNotes } from './values';
import { withDistinctSymbols } from '../ops/latex';
import type { EdgeValue, Evaluated, LeafSource } from './values';

/** Most entries one node may hold, and all nodes together. */
export const MAX_NODE_ELEMENTS = 1_000_000;
export const MAX_TOTAL_ELEMENTS = 10_000_000;
/** Most multiply–adds one matrix product may take. */
const MAX_MATMUL_WORK = 50_000_000;

/** Preferred sizes for common symbols; other symbols take the next unused size from 6 up. */
const PRESET_SIZES: Readonly<Record<string, number>> = { n: 4, d: 3, k: 2, h: 5 };

export interface ShapedOptions {
  at?: Readonly<Record<string, Numeric>>;
  /** Values written in the code above the selection (source 'code', after the selection's own). */
  values?: Readonly<Record<string, Numeric>>;
  shapes?: string | Readonly<Record<string, readonly (number | string)[]>>;
  budget?: Budget;
  latex?: boolean;
}

/** Declared shapes: the option first, else `# X: (n, d)` comments in the text. */
function declaredShapes(g: Graph, shapes: ShapedOptions['shapes']): Map<string, Shape> {
  const out = new Map<string, Shape>();
  const comments: string[] = [];
  if (g.text.includes('#')) for (const m of g.text.matchAll(/#([^\n]*)/g)) comments.push(m[1]!);
  for (const [k, v] of parseShapeSpec(comments.join('\n'))) out.set(k, v);
  if (typeof shapes === 'string') for (const [k, v] of parseShapeSpec(shapes)) out.set(k, v);
  else if (shapes) for (const [k, v] of Object.entries(shapes)) out.set(k, v);
  return out;
}

/** Whether this graph needs the shaped evaluator (otherwise values.ts evaluates it exactly as before). */
export function needsShapes(g: Graph, options: ShapedOptions): boolean {
  if (g.nodes.some((n) => ARRAY_OPS.has(n.op) || n.init !== undefined)) return true;
  const at = normalizedNames(options.at);
  const written = normalizedNames(options.values);
  for (const name of g.inputs.keys()) {
    const v = at?.[name] ?? written?.[name];
    if (v !== undefined && typeof v !== 'number') return true;
  }
  if (options.shapes === undefined && !g.text.includes('#')) return false;
  const declared = declaredShapes(g, options.shapes);
  for (const name of g.inputs.keys()) if ((declared.get(name)?.length ?? 0) > 0) return true;
  return false;
}

const shapeText = (s: readonly number[]): string => showShape(s);

// ---------------------------------------------------------------------------
// Shapes

function normAxis(axis: number, rank: number, n: GraphNode, shape: readonly number[]): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) fail(`axis ${axis} is out of range for an array of shape ${shapeText(shape)}`, n.from, n.to - n.from);
  return a;
}

function normAxes(n: GraphNode, shape: readonly number[]): number[] | null {
  const axes = n.params?.axis;
  if (axes === undefined || axes === null) return null;
  const out = axes.map((a) => normAxis(a, shape.length, n, shape));
  if (new Set(out).size !== out.length) fail('an axis is repeated', n.from, n.to - n.from);
  return out.sort((a, b) => a - b);
}

/** The output shape of node `n` from its inputs' shapes; a located error when they do not fit. */
function inferShape(n: GraphNode, ins: number[][]): number[] {
  const [a, b] = ins as [number[], number[]];
  const at = (msg: string): never => fail(msg, n.from, n.to - n.from);
  try {
    switch (n.op) {
      case 'matmul': {
        if (a.length === 0 || b.length === 0) at(`@ needs arrays, got shapes ${shapeText(a)} and ${shapeText(b)} (use * with a scalar)`);
        const s = matmulShape(a, b) as number[];
        if (size(a) * (b.length === 2 ? b[1]! : 1) > MAX_MATMUL_WORK) at('this matrix product is too large (more than 5·10⁷ multiply–adds)');
        return s;
      }
      case 'transpose': {
        if (a.length > 2) at(`transposing an array of shape ${shapeText(a)} (more than 2 dimensions) is not supported`);
        if (n.params?.axis) {
          if (a.length !== 2) at(`swapping two axes needs a matrix, got shape ${shapeText(a)}`);
          const [i, j] = n.params.axis.map((x) => normAxis(x, 2, n, a));
          if (i === j) return [...a];
        }
        return [...a].reverse();
      }
      case 'sum':
      case 'mean':
        return reducedShape(a, normAxes(n, a), !!n.params?.keepdims);
      case 'softmax':
      case 'log_softmax':
        normAxes(n, a);
        return [...a];
      case 'cross_entropy': {
        if (a.length === 1 && b.length === 0) return [];
        if (a.length === 2 && b.length === 1 && b[0] === a[0]) return [];
        return at(
          `cross_entropy takes logits of shape (N, C) with N class indices (shape (N,)), or (C,) with one index; got ${shapeText(a)} and ${shapeText(b)}`,
        );
      }
      case 'mse_loss':
        broadcast(a, b, 'mse_loss');
        return [];
      case 'norm':
        return [];
      default:
        if (n.inputs.length === 1) return [...a];
        return broadcast(a, b, `"${n.label}"`) as number[];
    }
  } catch (e) {
    if (e instanceof ShapeError) return at(e.message);
    throw e;
  }
}

// ---------------------------------------------------------------------------
// Inputs

interface LeafPlan {
  id: number;
  name: string;
  source: LeafSource;
  /** The value when already known (at, a literal, an array literal). */
  value?: Tensor;
  shape: number[];
  /** Seeded values: a creator's kind, or a declared shape's default. */
  fill?: 'randn' | 'rand' | 'zeros' | 'ones' | 'default';
  /** The declared (possibly symbolic) shape, for a default. */
  declared?: Shape;
}

/**
 * A value from the code above the selection is used only if it fits the shape declared for the name
 * (`b2 = -3.0` far above does not replace `# b2: (2,)` in the selection: a different b2 is meant).
 */
function aboveFits(v: Numeric | undefined, decl: Shape | undefined): boolean {
  if (v === undefined) return false;
  const t = fromNumeric(v);
  if (!t) return false;
  return !decl || (decl.length === t.shape.length && decl.every((d, i) => typeof d !== 'number' || d === t.shape[i]));
}

function resolveLeaves(g: Graph, options: ShapedOptions, notes: string[]): Map<number, LeafPlan> {
  const at = options.at ?? {};
  const declared = declaredShapes(g, options.shapes);
  const plans = new Map<number, LeafPlan>();
  const dims = new Map<string, number>();
  const bind = (name: string, decl: Shape, actual: readonly number[], n: GraphNode) => {
    const bad = () => fail(`${name} has shape ${shapeText(actual)} but is declared ${showShape(decl)}`, n.from, n.to - n.from);
    if (decl.length !== actual.length) bad();
    decl.forEach((d, i) => {
      if (typeof d === 'number') {
        if (d !== actual[i]) bad();
      } else if (dims.has(d) && dims.get(d) !== actual[i]) {
        fail(`the size ${d} is ${dims.get(d)} elsewhere but ${actual[i]} in ${name} (shape ${shapeText(actual)})`, n.from, n.to - n.from);
      } else dims.set(d, actual[i]!);
    });
  };
  // Every input node, also one whose name was assigned again later (`c = 2` twice: two leaves named c).
  for (const n of g.nodes) {
    if (n.op !== 'input') continue;
    const id = n.id;
    const name = n.name!;
    const decl = declared.get(name);
    const given = Object.prototype.hasOwnProperty.call(at, name) ? at[name] : undefined;
    let plan: LeafPlan;
    if (given !== undefined) {
      const t = fromNumeric(given);
      if (!t) fail(`the value given for ${name} is not a number or a rectangular array of numbers`, n.from, n.to - n.from);
      plan = { id, name, source: 'at', value: t, shape: t.shape };
    } else if (n.literal !== undefined) {
      plan = { id, name, source: 'code', value: tensor([], [n.literal]), shape: [] };
    } else if (n.init?.kind === 'array') {
      plan = { id, name, source: 'code', value: tensor(n.init.shape, n.init.data), shape: n.init.shape };
    } else if (n.init) {
      plan = { id, name, source: 'code', shape: n.init.shape, fill: n.init.kind };
    } else if (aboveFits(options.values?.[name], decl)) {
      const t = fromNumeric(options.values![name]!)!;
      plan = { id, name, source: 'code', value: t, shape: t.shape };
    } else if (decl) {
      plan = { id, name, source: 'default', shape: [], fill: 'default', declared: decl };
    } else {
      plan = { id, name, source: 'default', shape: [] };
    }
    if (decl && !plan.declared) bind(name, decl, plan.shape, n);
    plans.set(id, plan);
  }
  // Symbolic sizes not bound by a given array: small distinct values.
  const symbols: string[] = [];
  for (const p of plans.values()) for (const d of p.declared ?? []) if (typeof d === 'string' && !dims.has(d) && !symbols.includes(d)) symbols.push(d);
  const chosen: string[] = [];
  const taken = new Set(dims.values());
  for (const s of symbols) {
    // A preset (2–5) unless a given array already uses that size; else the smallest unused size from 6.
    let v = PRESET_SIZES[s];
    if (v === undefined || taken.has(v)) for (v = 6; taken.has(v); v++);
    taken.add(v);
    dims.set(s, v);
    chosen.push(`${s} = ${v}`);
  }
  if (chosen.length) notes.push(`Symbolic sizes get small distinct values: ${chosen.join(', ')} (give arrays with at to choose others).`);
  for (const p of plans.values()) if (p.declared) p.shape = p.declared.map((d: Dim) => (typeof d === 'number' ? d : dims.get(d)!));
  return plans;
}

// ---------------------------------------------------------------------------
// LaTeX

/** Array operations written as a named function. */
const FN_TEX: Readonly<Record<string, string>> = {
  softmax: '\\operatorname{softmax}', log_softmax: '\\operatorname{log\\,softmax}', cross_entropy: '\\operatorname{CE}', mse_loss: '\\operatorname{MSE}',
};

const wrap = (t: Tex, min: number): string => (t.prec < min ? `\\left(${t.s}\\right)` : t.s);

/** `\bar{X}` for a symbol, `\overline{…}` for an expression. */
export function bar(tex: string): string {
  return /^(\\[A-Za-z]+|[A-Za-z])(_\{[^{}]*\}|_[A-Za-z0-9])?$/.test(tex) ? `\\bar{${tex}}` : `\\overline{${tex}}`;
}

export function shapeTex(s: readonly number[]): string {
  return s.join('\\times ');
}

function axesTex(axes: readonly number[] | null): string {
  if (axes === null) return '';
  return `_{\\text{axis${axes.length > 1 ? 'es' : ''} }${axes.join(',')}}`;
}

const TEX_LIMIT = 48;

function opTex(n: GraphNode, xs: Tex[], shapes: number[][], axes: number[] | null): Tex {
  const [a, b] = xs as [Tex, Tex];
  const arr = (i: number) => (shapes[n.inputs[i]!]?.length ?? 0) > 0;
  const odot = arr(0) && arr(1) ? ' \\odot ' : '\\,';
  switch (n.op) {
    case 'add':
      return { s: `${a.s} + ${wrap(b, 1)}`, prec: 0 };
    case 'sub':
      return { s: `${a.s} - ${wrap(b, 1)}`, prec: 0 };
    case 'mul':
      return { s: `${wrap(a, 1)}${odot}${wrap(b, 2)}`, prec: 1 };
    case 'div':
      return arr(0) || arr(1) ? { s: `${wrap(a, 2)} \\oslash ${wrap(b, 2)}`, prec: 1 } : { s: `\\frac{${a.s}}{${b.s}}`, prec: 4 };
    case 'pow':
      return { s: `${wrap(a, 4)}^{${arr(0) ? '\\odot ' : ''}${b.s}}`, prec: 3 };
    case 'neg':
      return { s: `-${wrap(a, 2)}`, prec: 2 };
    case 'matmul':
      return { s: `${wrap(a, 2)}\\,${wrap(b, 2)}`, prec: 1 };
    case 'transpose':
      return { s: `${wrap(a, 4)}^\\top`, prec: 3 };
    case 'sum':
      return { s: `\\textstyle\\sum${axesTex(axes)} ${wrap(a, 3)}`, prec: 1 };
    case 'mean':
      return { s: `\\operatorname{mean}${axesTex(axes)}\\left(${a.s}\\right)`, prec: 4 };
    case 'norm':
      return { s: `\\lVert ${a.s} \\rVert`, prec: 4 };
    default: {
      const e = entryOf(n);
      if (e) {
        // A power of an array is written with ⊙ (X^{⊙2}), unless it is a root.
        const t = e.expand && arr(0) ? e.expand(texBuilder(true), xs) : undefined;
        if (t && !t.s.includes('/')) return t;
        const s = e.latex(xs.map((x) => x.s), (n.scalars ?? []).map(fmt));
        return { s, prec: atomicLatex(s) || s.startsWith('\\sqrt') ? 4 : 3 };
      }
      const f = FN_TEX[n.op] ?? `\\operatorname{${n.op}}`;
      return { s: `${f}\\left(${xs.map((x) => x.s).join(', ')}\\right)`, prec: 4 };
    }
  }
}

/** A piece of a vector–Jacobian product: text, or a factor with a shape (shown under an underbrace in the chain). */
type Piece = string | { tex: string; shape: number[] };

function render(pieces: Piece[], braced: boolean): string {
  return pieces
    .map((p) => (typeof p === 'string' ? p : braced && p.shape.length ? `\\underbrace{${p.tex}}_{${shapeTex(p.shape)}}` : p.tex))
    .join('');
}

// ---------------------------------------------------------------------------

export function evaluateShaped(g: Graph, options: ShapedOptions = {}): Evaluated {
  const opts = { ...options, at: normalizedNames(options.at), values: normalizedNames(options.values) };
  return withDistinctSymbols(graphNames(g), () => evaluateArrays(g, opts));
}

function evaluateArrays(g: Graph, options: ShapedOptions): Evaluated {
  const budget = options.budget ?? Budget.unlimited();
  const withLatex = options.latex ?? true;
  const notes: string[] = [];
  const N = g.nodes.length;
  const plans = resolveLeaves(g, options, notes);

  // Shapes, with the element budget.
  budget.stage = 'the shapes';
  const shapes: number[][] = new Array<number[]>(N);
  const indexLeaves = new Set<number>();
  const consumers = new Array<number>(N).fill(0);
  for (const n of g.nodes) for (const i of n.inputs) consumers[i]!++;
  const inferred: string[] = [];
  let total = 0;
  for (const n of g.nodes) {
    budget.tick();
    let s: number[];
    if (n.op === 'input') s = plans.get(n.id)!.shape;
    else if (n.op === 'const') s = n.init ? n.init.shape : [];
    else {
      if (n.op === 'cross_entropy') {
        const t = n.inputs[1]!;
        const p = plans.get(t);
        const z = shapes[n.inputs[0]!]!;
        // A target with no value and no declared shape: one class index per row of the logits.
        if (p && p.source === 'default' && !p.declared && consumers[t] === 1 && z.length === 2) {
          p.shape = [z[0]!];
          shapes[t] = p.shape;
          inferred.push(`${p.name}: (${z[0]},)`);
        }
        indexLeaves.add(t);
      }
      s = inferShape(n, n.inputs.map((i) => shapes[i]!));
    }
    const count = size(s);
    if (count > MAX_NODE_ELEMENTS) fail(`this value would have ${count} entries (shape ${shapeText(s)}; the limit is ${MAX_NODE_ELEMENTS})`, n.from, n.to - n.from);
    total += count;
    if (total > MAX_TOTAL_ELEMENTS) fail(`the forward pass holds more than ${MAX_TOTAL_ELEMENTS} entries in all (the limit)`, n.from, n.to - n.from);
    shapes[n.id] = s;
  }
  for (const c of g.scalarOnly ?? []) {
    const s = shapes[c.id]!;
    if (size(s) !== 1) fail(`${c.what} needs one entry, but this value has shape ${shapeText(s)}`, c.from, c.to - c.from);
  }
  if (inferred.length) notes.push(`Cross-entropy targets without a value get one class index per row: ${inferred.join(', ')}.`);
  const out = g.nodes[g.output]!;
  if (shapes[out.id]!.length) {
    fail(
      `the output ${g.outputName} has shape ${shapeText(shapes[out.id]!)}: backprop needs a scalar output (like PyTorch's backward()); reduce it with np.sum(…) or np.mean(…)`,
      out.from,
      out.to - out.from,
    );
  }

  // Leaf values.
  const positive = needsPositive(g);
  const classes = new Map<number, number>();
  for (const n of g.nodes) if (n.op === 'cross_entropy') classes.set(n.inputs[1]!, shapes[n.inputs[0]!]!.at(-1)!);
  const seededNames: string[] = [];
  const defaults: string[] = [];
  const valueOf = (p: LeafPlan): Tensor => {
    if (p.value) return p.value;
    const seed = hash(p.name);
    const C = classes.get(p.id);
    if (C !== undefined && (p.fill === 'default' || p.fill === undefined)) {
      const r = seeded(p.shape, seed, 'uniform', 6);
      for (let k = 0; k < r.data.length; k++) r.data[k] = Math.min(C - 1, Math.floor(r.data[k]! * C));
      defaults.push(`${p.name} (class indices in 0…${C - 1})`);
      return r;
    }
    switch (p.fill) {
      case 'zeros':
        return tensor(p.shape);
      case 'ones': {
        const t = tensor(p.shape);
        t.data.fill(1);
        return t;
      }
      case 'randn':
      case 'rand':
        seededNames.push(p.name);
        return seeded(p.shape, seed, p.fill === 'randn' ? 'normal' : 'uniform', 4);
      case 'default':
        defaults.push(`${p.name} ${shapeText(p.shape)}`);
        return seeded(p.shape, seed, positive.has(p.id) ? 'positive' : 'normal', 2);
      default: {
        const v = defaultValue(p.name, positive.has(p.id));
        defaults.push(`${p.name} = ${v}`);
        return tensor([], [v]);
      }
    }
  };

  // Forward.
  budget.stage = 'the forward pass';
  const tensors: Tensor[] = new Array<Tensor>(N);
  const requires = new Array<boolean>(N).fill(false);
  const differentiable = (n: GraphNode, slot: number) => !(n.op === 'cross_entropy' && slot === 1);
  const leaves: Evaluated['leaves'] = [];
  const axesOf: (number[] | null)[] = new Array<number[] | null>(N).fill(null);
  for (const n of g.nodes) {
    budget.tick();
    if (n.op === 'input') {
      const p = plans.get(n.id)!;
      const t = valueOf(p);
      tensors[n.id] = t;
      requires[n.id] = true;
      leaves.push({ name: p.name, id: n.id, value: toNumeric(t), grad: 0, source: p.source, ...(t.shape.length ? { shape: t.shape } : {}) });
      continue;
    }
    if (n.op === 'const') {
      if (n.init?.kind === 'array') tensors[n.id] = tensor(n.init.shape, n.init.data);
      else if (n.init) tensors[n.id] = valueOf({ id: n.id, name: `#${n.id}`, source: 'code', shape: n.init.shape, fill: n.init.kind });
      else tensors[n.id] = tensor([], [n.literal ?? NaN]);
      continue;
    }
    const xs = n.inputs.map((i) => tensors[i]!);
    const axes = n.op === 'transpose' ? null : normAxes(n, xs[0]!.shape);
    axesOf[n.id] = axes;
    tensors[n.id] = forwardOp(n, xs, shapes[n.id]!, axes, budget);
    requires[n.id] = n.inputs.some((i, slot) => requires[i] && differentiable(n, slot));
  }
  for (const name of Object.keys(options.at ?? {})) {
    if (!g.inputs.has(name)) notes.push(`"${name}" is not an input of this forward pass; its value is not used.`);
  }
  if (seededNames.length) notes.push(`Random arrays get seeded values (MathLens's own generator, seeded by the name, not NumPy's or PyTorch's): ${seededNames.join(', ')}.`);
  if (defaults.length) notes.push(`Default values (seeded by name; give your own with at): ${defaults.join(', ')}.`);

  // Backward.
  budget.stage = 'the backward pass';
  const grads: (Tensor | null)[] = requires.map((r, i) => (r ? tensor([...shapes[i]!]) : null));
  if (requires[out.id]) grads[out.id] = tensor([], [1]);
  const edgeStart = new Array<number>(N + 1).fill(0);
  for (let i = 0; i < N; i++) edgeStart[i + 1] = edgeStart[i]! + g.nodes[i]!.inputs.length;
  const edges: EdgeValue[] = new Array<EdgeValue>(edgeStart[N]!);
  const products: (Tensor | null)[] = new Array<Tensor | null>(edgeStart[N]!).fill(null);
  for (let id = N - 1; id >= 0; id--) {
    budget.tick();
    const n = g.nodes[id]!;
    const up = grads[id] ?? null;
    const upNumeric = up ? toNumeric(up) : null;
    const xs = n.inputs.map((i) => tensors[i]!);
    n.inputs.forEach((src, slot) => {
      const e: EdgeValue = { from: src, to: id, slot, local: null, localLatex: null, upstream: upNumeric, product: null, chain: null };
      if (requires[src] && up !== null && differentiable(n, slot)) {
        const prod = vjp(n, slot, xs, tensors[id]!, up, axesOf[id]!, budget);
        const acc = grads[src]!;
        for (let k = 0; k < acc.data.length; k++) acc.data[k] = acc.data[k]! + prod.data[k]!;
        products[edgeStart[id]! + slot] = prod;
        e.product = toNumeric(prod);
        if (!shapes[id]!.length && !shapes[src]!.length && !ARRAY_OPS.has(n.op)) {
          e.local = partial(n, slot, xs.map((x) => x.data[0]!), tensors[id]!.data[0]!);
        }
      }
      edges[edgeStart[id]! + slot] = e;
    });
  }
  for (const l of leaves) l.grad = toNumeric(grads[l.id]!);
  notes.push(...valueNotes(!!requires[out.id], tensors.some((t) => t.data.some((v) => Number.isNaN(v)))));

  const fanOut = new Array<number>(N).fill(0);
  for (const n of g.nodes) n.inputs.forEach((i, slot) => { if (differentiable(n, slot)) fanOut[i]!++; });

  // LaTeX.
  const tex = new Array<string>(N).fill('');
  const local = new Array<string>(N).fill('');
  if (withLatex) {
    budget.stage = 'writing the local derivatives';
    const nameOf = nameLatex(g);
    const texs: Tex[] = new Array<Tex>(N);
    for (const n of g.nodes) {
      budget.tick();
      let t: Tex;
      if (n.op === 'const') t = { s: n.init ? `C_{${n.id}}` : /^[\d.]+(?:[eE][+-]?\d+)?$/.test(n.label) ? n.label : fmt(n.literal ?? NaN), prec: (n.literal ?? 0) < 0 ? 2 : 4 };
      else if (n.name !== undefined) t = { s: nameOf(n), prec: 4 };
      else {
        t = opTex(n, n.inputs.map((i) => texs[i]!), shapes, axesOf[n.id]!);
        if (t.s.length > TEX_LIMIT) t = { s: `v_{${n.id}}`, prec: 4 };
      }
      texs[n.id] = t;
      tex[n.id] = t.s;
    }
    for (const n of g.nodes) {
      budget.tick();
      if (n.op === 'input' || n.op === 'const') continue;
      const parts: string[] = [];
      n.inputs.forEach((src, slot) => {
        const k = edgeStart[n.id]! + slot;
        const e = edges[k]!;
        if (!requires[src] || !differentiable(n, slot)) return;
        const pieces = vjpPieces(n, slot, g, texs, shapes, axesOf[n.id]!);
        const lhs = `${bar(texs[src]!.s)} ${fanOut[src]! > 1 ? '\\mathrel{+}=' : '='} `;
        const rule = lhs + render(pieces, false);
        e.localLatex = rule;
        if (!parts.includes(rule)) parts.push(rule);
        const prod = products[k];
        if (prod) {
          e.chain = `${lhs}${render(pieces, true)}${prod.shape.length ? ` \\;\\in\\; \\mathbb{R}^{${shapeTex(prod.shape)}}` : ` = ${fmt(prod.data[0]!)}`}`;
        }
      });
      local[n.id] = parts.join(',\\quad ');
    }
  }
  return {
    values: tensors.map(toNumeric),
    grads: grads.map((t) => (t ? toNumeric(t) : null)),
    edges,
    tex,
    local,
    leaves,
    notes,
    shaped: { shapes, tensors, grads, indexLeaves, fanOut },
  };
}

// ---------------------------------------------------------------------------
// Numbers

function forwardOp(n: GraphNode, xs: Tensor[], shape: number[], axes: number[] | null, budget: Budget): Tensor {
  const [a, b] = xs as [Tensor, Tensor];
  switch (n.op) {
    case 'matmul':
      return matmul(a, b);
    case 'transpose':
      return n.params?.axis && n.params.axis[0] === n.params.axis[1] ? a : transpose(a);
    case 'sum':
      return sumAxes(a, axes, !!n.params?.keepdims);
    case 'mean': {
      const s = sumAxes(a, axes, !!n.params?.keepdims);
      const count = size(a.shape) / size(reducedShape(a.shape, axes, true));
      return { shape: s.shape, data: s.data.map((v) => v / count) };
    }
    case 'softmax':
    case 'log_softmax':
      return softmax(a, axes === null ? null : axes[0]!, n.op === 'log_softmax');
    case 'cross_entropy': {
      const C = a.shape.at(-1)!;
      const ls = softmax(a, a.shape.length - 1, true);
      let s = 0;
      for (let i = 0; i < b.data.length; i++) {
        const t = b.data[i]!;
        if (!Number.isInteger(t) || t < 0 || t >= C) fail(`cross_entropy: target ${t} is not a class index in 0…${C - 1}`, n.from, n.to - n.from);
        s -= ls.data[i * C + t]!;
      }
      return tensor([], [n.params?.reduction === 'sum' ? s : s / b.data.length]);
    }
    case 'mse_loss': {
      const d = zipWith(a, b, broadcast(a.shape, b.shape) as number[], (x, y) => (x - y) * (x - y));
      const s = d.data.reduce((p, q) => p + q, 0);
      return tensor([], [n.params?.reduction === 'sum' ? s : s / d.data.length]);
    }
    case 'norm':
      return tensor([], [Math.sqrt(a.data.reduce((p, q) => p + q * q, 0))]);
    default: {
      budget.tick();
      const f = elementwise(n);
      if (xs.length === 1) return { shape, data: a.data.map((x) => f.value(x, 0)) };
      return zipWith(a, b, shape, (x, y) => f.value(x, y));
    }
  }
}

/** The contribution of node `n`'s gradient `g` to its input `slot` (the input's shape). */
function vjp(n: GraphNode, slot: number, xs: Tensor[], y: Tensor, g: Tensor, axes: number[] | null, budget: Budget): Tensor {
  budget.tick();
  const [a, b] = xs as [Tensor, Tensor];
  const x = xs[slot]!;
  switch (n.op) {
    case 'matmul': {
      const ra = a.shape.length;
      const rb = b.shape.length;
      if (ra === 2 && rb === 2) return slot === 0 ? matmul(g, transpose(b)) : matmul(transpose(a), g);
      if (ra === 1 && rb === 2) return slot === 0 ? matmul(b, g) : outer(a, g);
      if (ra === 2 && rb === 1) return slot === 0 ? outer(g, b) : matmul(transpose(a), g);
      const s = g.data[0]!;
      return { shape: x.shape, data: (slot === 0 ? b : a).data.map((v) => s * v) };
    }
    case 'transpose':
      return n.params?.axis && n.params.axis[0] === n.params.axis[1] ? g : transpose(g);
    case 'sum':
    case 'mean': {
      const e = expandTo(g, x.shape, axes);
      if (n.op === 'sum') return e;
      const count = size(x.shape) / size(reducedShape(x.shape, axes, true));
      return { shape: e.shape, data: e.data.map((v) => v / count) };
    }
    case 'softmax':
    case 'log_softmax': {
      const out = tensor([...x.shape]);
      const soft = n.op === 'softmax';
      forLanes(x.shape, axes === null ? null : axes[0]!, (s, st, len) => {
        let dot = 0;
        for (let j = 0; j < len; j++) dot += soft ? g.data[s + j * st]! * y.data[s + j * st]! : g.data[s + j * st]!;
        for (let j = 0; j < len; j++) {
          const k = s + j * st;
          out.data[k] = soft ? y.data[k]! * (g.data[k]! - dot) : g.data[k]! - Math.exp(y.data[k]!) * dot;
        }
      });
      return out;
    }
    case 'cross_entropy': {
      const C = a.shape.at(-1)!;
      const p = softmax(a, a.shape.length - 1, false);
      const scale = g.data[0]! / (n.params?.reduction === 'sum' ? 1 : b.data.length);
      for (let i = 0; i < b.data.length; i++) p.data[i * C + b.data[i]!] = p.data[i * C + b.data[i]!]! - 1;
      return { shape: p.shape, data: p.data.map((v) => v * scale) };
    }
    case 'mse_loss': {
      const shape = broadcast(a.shape, b.shape) as number[];
      const count = n.params?.reduction === 'sum' ? 1 : size(shape);
      const s = (slot === 0 ? 2 : -2) * g.data[0]!;
      return unbroadcast(zipWith(a, b, shape, (p, q) => (s * (p - q)) / count), x.shape);
    }
    case 'norm': {
      const r = y.data[0]!;
      const s = g.data[0]!;
      return { shape: x.shape, data: x.data.map((v) => (r === 0 ? 0 : (v * s) / r)) };
    }
    default: {
      const shape = y.shape;
      const f = elementwise(n);
      if (xs.length === 1) {
        return { shape, data: a.data.map((v, k) => (g.data[k] === 0 ? 0 : g.data[k]! * f.partial(0, v, 0, y.data[k]!))) };
      }
      const prod = zipWith(a, b, shape, (p, q, k) => (g.data[k] === 0 ? 0 : g.data[k]! * f.partial(slot, p, q, y.data[k]!)));
      return unbroadcast(prod, x.shape);
    }
  }
}

// ---------------------------------------------------------------------------
// Vector–Jacobian products as LaTeX

function vjpPieces(n: GraphNode, slot: number, g: Graph, texs: Tex[], shapes: number[][], axes: number[] | null): Piece[] {
  const [ia, ib] = n.inputs as [number, number];
  const sy = shapes[n.id]!;
  const sa = shapes[ia]!;
  const sb = ib === undefined ? [] : shapes[ib]!;
  const sx = shapes[n.inputs[slot]!]!;
  const Y = texs[n.id]!;
  const A = texs[ia]!;
  const B = ib === undefined ? { s: '', prec: 4 } : texs[ib]!;
  const yb = { tex: bar(Y.s), shape: sy };
  const arr = sy.length > 0;
  const od = arr ? ' \\odot ' : '\\,';
  const os = arr ? ' \\oslash ' : ' / ';
  const p2 = arr ? '^{\\odot 2}' : '^{2}';
  const f = (tex: string, shape: number[] = sy) => ({ tex, shape });
  const T = (t: Tex) => `${wrap(t, 4)}^\\top`;
  const rev = (s: number[]) => [...s].reverse();
  const a4 = wrap(A, 4);
  const y4 = wrap(Y, 4);
  let pieces: Piece[];
  switch (n.op) {
    case 'matmul': {
      const ra = sa.length;
      const rb = sb.length;
      if (ra === 2 && rb === 2) pieces = slot === 0 ? [yb, '\\,', f(T(B), rev(sb))] : [f(T(A), rev(sa)), '\\,', yb];
      else if (ra === 1 && rb === 2) pieces = slot === 0 ? [f(wrap(B, 4), sb), '\\,', yb] : [f(a4, sa), '\\,', f(`${bar(Y.s)}^\\top`, sy)];
      else if (ra === 2 && rb === 1) pieces = slot === 0 ? [yb, '\\,', f(T(B), sb)] : [f(T(A), rev(sa)), '\\,', yb];
      else pieces = [yb, '\\,', slot === 0 ? f(wrap(B, 4), sb) : f(a4, sa)];
      return pieces;
    }
    case 'transpose':
      return [f(`${bar(Y.s)}^\\top`, rev(sy))];
    case 'sum':
    case 'mean': {
      const count = size(sx) / size(reducedShape(sx, axes, true));
      const pre = n.op === 'mean' ? `\\tfrac{1}{${count}}\\,` : '';
      if (!sy.length) return [pre, yb, `\\,\\mathbf{1}_{${shapeTex(sx)}}`];
      return [pre, `\\operatorname{broadcast}${axes ? `_{\\text{along axis${axes.length > 1 ? 'es' : ''} }${axes.join(',')}}` : ''}\\left(`, yb, '\\right)'];
    }
    case 'softmax':
      return [f(y4), ' \\odot \\left(', yb, ` - \\textstyle\\sum${axesTex(axes)} ${bar(Y.s)} \\odot ${y4}\\right)`];
    case 'log_softmax':
      return [yb, ` - e^{${Y.s}} \\odot \\textstyle\\sum${axesTex(axes)} ${bar(Y.s)}`];
    case 'cross_entropy': {
      const rows = sa.length === 2 ? sa[0]! : 1;
      const pre = n.params?.reduction === 'sum' || rows === 1 ? '' : `\\tfrac{1}{${rows}}\\,`;
      return [pre, yb, '\\,\\left(', f(`\\operatorname{softmax}(${A.s})`, sa), ' - ', f(`\\operatorname{onehot}(${B.s})`, sa), '\\right)'];
    }
    case 'mse_loss': {
      const count = n.params?.reduction === 'sum' ? 1 : size(broadcast(sa, sb) as number[]);
      pieces = [slot === 0 ? '' : '-', `\\tfrac{2}{${count}}\\,`, yb, '\\,', f(`\\left(${A.s} - ${wrap(B, 1)}\\right)`, broadcast(sa, sb) as number[])];
      break;
    }
    case 'norm':
      return [yb, '\\,', f(`\\frac{${A.s}}{${Y.s}}`, sa)];
    default:
      pieces = elementwisePieces(n, slot, g, { Y, yb, od, os, p2, a4, y4, A, B, sa, sb, sy, f });
  }
  // A broadcast operand: the gradient is summed over the axes it was repeated along.
  const full = n.op === 'mse_loss' ? (broadcast(sa, sb) as number[]) : sy;
  if (sx.length !== full.length || sx.some((d, i) => d !== full[i])) {
    const { lead, keep } = broadcastAxes(full, sx);
    const ax = [...lead, ...keep.map((i) => i + full.length - sx.length)];
    const sub = sx.length === 0 ? '' : `_{\\text{axis${ax.length > 1 ? 'es' : ''} }${ax.join(',')}}`;
    return [`\\textstyle\\sum${sub}\\left(`, ...pieces, '\\right)'];
  }
  return pieces;
}

interface Ctx {
  Y: Tex;
  yb: Piece;
  od: string;
  os: string;
  p2: string;
  a4: string;
  y4: string;
  A: Tex;
  B: Tex;
  sa: number[];
  sb: number[];
  sy: number[];
  f: (tex: string, shape?: number[]) => Piece;
}

function elementwisePieces(n: GraphNode, slot: number, g: Graph, c: Ctx): Piece[] {
  const { yb, od, os, p2, a4, y4, A, B, sb, f } = c;
  const b4 = wrap(B, 4);
  switch (n.op) {
    case 'add':
      return [yb];
    case 'sub':
      return slot === 0 ? [yb] : ['-', yb];
    case 'mul':
      return slot === 0 ? [yb, sb.length && c.sy.length ? ' \\odot ' : '\\,', f(b4, sb)] : [yb, c.sa.length && c.sy.length ? ' \\odot ' : '\\,', f(a4, c.sa)];
    case 'div':
      return slot === 0 ? [yb, sb.length ? ' \\oslash ' : ' / ', f(b4, sb)] : ['-', yb, od, f(`${a4}${os}${b4}${p2}`)];
    case 'pow': {
      if (slot === 1) return [yb, od, f(`${y4}${od}\\log ${a4}`)];
      const e = g.nodes[n.inputs[1]!]!;
      if (e.op === 'const' && e.literal !== undefined && !e.init) {
        const k = e.literal;
        if (k === 2) return [yb, od, f(`2${a4}`)];
        return [yb, od, f(`${fmt(k)}\\,${a4}^{${c.sy.length ? '\\odot ' : ''}${fmt(k - 1)}}`)];
      }
      return [yb, od, f(`${b4}${od}${a4}^{${c.sy.length ? '\\odot ' : ''}(${B.s} - 1)}`)];
    }
    case 'neg':
      return ['-', yb];
    default: {
      const e = entryOf(n);
      if (!e) return [yb];
      // The catalogue's derivative, with the entry of the node's own arguments written as the node.
      const tb = texBuilder(c.sy.length > 0);
      const args: BuiltTex[] = [A, B].slice(0, n.inputs.length);
      const local = localDerivatives<BuiltTex>(tb, e, args, (n.scalars ?? []).map((v) => tb.num(v)), c.Y)[slot]!;
      if (local.v === 1) return [yb];
      const sign = local.negOf ? ['-'] : [];
      const d = local.negOf ?? local;
      if (d.den) return [...sign, yb, os, f(wrapTex(d.den, 3))];
      return [...sign, yb, od, f(wrapTex(d, 1))];
    }
  }
}

export { size as elementCount };
