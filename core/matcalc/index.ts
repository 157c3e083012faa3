/**
 * Matrix calculus: gradients (denominator layout), Jacobians (numerator
 * layout) and Hessians of NumPy-syntax expressions over shaped variables,
 * each derived through differentials with steps, printed as LaTeX and NumPy,
 * and checked against central finite differences on random arrays.
 * Entry points never throw.
 */
import { Budget, BudgetExceeded } from '../budget';
import { isScalar, key, rank, raw, resetKeys, treeSize, variable, variables } from './ast';
import type { Node } from './ast';
import { reverseGradient, Unsupported } from './differential';
import type { MatStep } from './differential';
import { forwardJacobian } from './jacobian';
import { bindDims, evaluate, finiteDiff, maxRelError, rng, tensor } from './numeric';
import type { Env, Tensor } from './numeric';
import { MatParseError, parseMatrix } from './parse';
import { dimsFrom, latex, numpy, shapeLatex, stepLatex } from './print';
import { canon, useBudget } from './simplify';
import { parseOneHot, parseShapeSpec, ShapeError, showShape } from './shapes';
import { assumeVectors } from './assume';
import type { Dim, Shape } from './shapes';

export type { MatStep } from './differential';
export type { Dim, Shape } from './shapes';
import type { ShapeAnalysis } from '../shapes/types';

export interface MatOptions {
  /** `"X:(n,d),w:(d,),Y:(n,k) onehot"`, or a map/record of shapes. Comments in the text (`# X: (n, d)`) are read too. */
  shapes?: string | Map<string, Shape> | Record<string, Shape>;
  /** Variables that are one-hot data (rows sum to 1); also `Y:(n,k) onehot` in a shape string or comment. */
  onehot?: string[];
  /** Variables to differentiate with respect to (default: every variable that is not a cross-entropy target). */
  wrt?: string[];
  budgetMs?: number;
  /** Seed of the random arrays of the numeric check. */
  seed?: number;
  /**
   * Names without a declared shape that are summed or averaged as if they were arrays
   * (`-np.sum(y*np.log(p))`) are taken as vectors of a symbolic length, with a note
   * (core/matcalc/assume.ts); without this option they are scalars.
   */
  assumeVectors?: boolean;
}

export interface MatVariable {
  name: string;
  shape: Dim[];
  /** 'target' for the labels of cross_entropy (data, never differentiated) */
  role: 'variable' | 'target';
}

export interface MatCheck {
  /** max over the checked points of |fd − sym| / max(1, |sym|), entrywise; null when no valid point was found */
  maxRelError: number | null;
  /** the same comparison for the printed NumPy code, parsed back and evaluated */
  numpyMaxRelError: number | null;
  points: number;
  passed: boolean;
  /** the check was cut by the time budget (the result itself is complete) */
  cut?: true;
}

export interface MatEntry {
  wrt: string;
  shape: Dim[];
  shapeLatex: string;
  latex: string;
  numpy: string;
  steps: MatStep[];
  check: MatCheck;
}

export type Layout = 'denominator' | 'numerator';

export interface MatOk {
  ok: true;
  kind: 'gradient' | 'jacobian' | 'hessian';
  variables: MatVariable[];
  expression: { latex: string; numpy: string; shape: Dim[]; target?: string };
  /** gradient: one entry per variable; jacobian: ∂f/∂x per variable; hessian: one entry (or one per vector variable) */
  gradient: MatEntry[];
  layout: Layout;
  layoutText: string;
  notes: string[];
  /** Shapes assumed for names without a declared one (option `assumeVectors`), listed in `notes` too. */
  assumed?: { name: string; shape: Dim[] }[];
  elapsedMs: number;
}

export interface MatFail {
  ok: false;
  error: { message: string; offset: number; length: number; kind: 'parse' | 'shape' | 'unsupported' | 'budget' | 'internal' };
}

export type MatResult = MatOk | MatFail;

const LAYOUT_TEXT = {
  gradient: 'denominator layout: ∇_X f has the shape of X, and df = ⟨∇_X f, dX⟩ = tr((∇_X f)ᵀ dX)',
  jacobian: 'numerator layout: J[i, j] = ∂f_i/∂x_j, so J has shape shape(f) + shape(x) and df = J dx',
  hessian: 'H[i, j] = ∂²f/∂x_i∂x_j (symmetric), the Jacobian of the gradient',
};

function toShapes(s: MatOptions['shapes']): Map<string, Shape> {
  if (!s) return new Map();
  if (typeof s === 'string') return parseShapeSpec(s);
  if (s instanceof Map) return s;
  return new Map(Object.entries(s));
}

interface Prepared {
  expr: Node;
  /** the input as written (for display) */
  shown: Node;
  text: string;
  target?: string;
  vars: Node[];
  targets: Set<string>;
  shapes: Map<string, Shape>;
  notes: string[];
  budget: Budget;
  t0: number;
  assumed?: Map<string, Shape>;
}

function prepare(text: string, opts: MatOptions): Prepared {
  const budget = new Budget(opts.budgetMs ?? 2000);
  const t0 = now();
  resetKeys();
  const onehot = new Set([...(opts.onehot ?? []), ...(typeof opts.shapes === 'string' ? parseOneHot(opts.shapes) : [])]);
  const declared = toShapes(opts.shapes);
  let parsed: ReturnType<typeof parseMatrix>;
  try {
    parsed = parseMatrix(text, { shapes: declared, onehot, probe: opts.assumeVectors === true });
  } catch (e) {
    // an axis or a matrix function of a name without a declared shape: say what to declare
    if (opts.assumeVectors && e instanceof MatParseError && /of 0 dimensions|of a scalar|square matrix, got \(\)/.test(e.message)) {
      throw new MatParseError(`${e.message}: a name without a declared shape is a scalar here. Declare its shape in a comment on the lines above, such as # X: (n, d)`, e.offset, e.length);
    }
    throw e;
  }
  const notes: string[] = [];
  let assumed: Map<string, Shape> | undefined;
  if (opts.assumeVectors) {
    const taken = new Set<string>(text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
    for (const s of parsed.shapes.values()) for (const d of s) if (typeof d === 'string') taken.add(d);
    const a = parsed.undeclared.length ? assumeVectors(parsed.expr, parsed.undeclared, taken, () => budget.tick()) : undefined;
    if (a) {
      assumed = a.shapes;
      notes.push(a.note);
      try {
        parsed = parseMatrix(text, { shapes: new Map([...declared, ...a.shapes]), onehot });
      } catch (e) {
        if (e instanceof MatParseError) throw new MatParseError(`${e.message} (with the assumed shapes ${[...a.shapes].map(([n, s]) => `${n}: ${showShape(s)}`).join(', ')}; declare the shapes in a comment on the lines above, such as # x: (n,))`, e.offset, e.length);
        throw e;
      }
    } else parsed = parseMatrix(text, { shapes: declared, onehot });
  }
  useBudget(budget);
  const expr = canon(parsed.expr);
  const vars = variables(parsed.expr);
  const targets = new Set<string>();
  walk(parsed.expr, (n) => {
    if (n.k === 'xent') for (const v of variables(n.args[1]!)) targets.add(v.name!);
  });
  for (const v of vars) if (v.onehot) targets.add(v.name!);
  const undeclared = parsed.undeclared.filter((u) => vars.some((v) => v.name === u));
  if (undeclared.length) notes.push(`No shape declared for ${undeclared.join(', ')}: taken as scalar${undeclared.length > 1 ? 's' : ''}.`);
  const shapes = new Map(parsed.shapes);
  for (const v of vars) shapes.set(v.name!, v.shape);
  if (targets.size) notes.push(`Targets (${[...targets].join(', ')}) are data: one-hot rows (matrix) or class indices (vector); not differentiated.`);
  return { expr, shown: parsed.expr, text, target: parsed.target, vars, targets, shapes, notes, budget, t0, ...(assumed ? { assumed } : {}) };
}

function walk(n: Node, f: (n: Node) => void, seen = new Set<Node>()): void {
  if (seen.has(n)) return;
  seen.add(n);
  f(n);
  for (const a of n.args) walk(a, f, seen);
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

function fail(e: unknown, text: string): MatFail {
  if (e instanceof MatParseError) return { ok: false, error: { message: e.message, offset: e.offset, length: e.length, kind: 'parse' } };
  if (e instanceof ShapeError) return { ok: false, error: { message: e.message, offset: 0, length: text.length, kind: 'shape' } };
  if (e instanceof Unsupported) return { ok: false, error: { message: e.message, offset: 0, length: text.length, kind: 'unsupported' } };
  if (e instanceof BudgetExceeded) return { ok: false, error: { message: e.message, offset: 0, length: text.length, kind: 'budget' } };
  return { ok: false, error: { message: `internal error: ${e instanceof Error ? e.message : String(e)}`, offset: 0, length: text.length, kind: 'internal' } };
}

function wrtVars(p: Prepared, opts: MatOptions): Node[] {
  if (opts.wrt && opts.wrt.length) {
    return opts.wrt.map((w) => {
      const v = p.vars.find((x) => x.name === w);
      if (!v) throw new Unsupported(`${w} does not occur in the expression`);
      if (p.targets.has(w)) throw new Unsupported(`${w} is a cross-entropy target (data): it cannot be differentiated`);
      return v;
    });
  }
  return p.vars.filter((v) => !p.targets.has(v.name!));
}

// ------------------------------------------------------------ numeric points

/** Size assignments tried in turn (distinct sizes catch a transposed result; the first makes X:(n,d) tall). */
const SIZES = [[5, 4, 3, 2, 6, 7, 8, 9], [3, 4, 5, 6, 2, 7, 8, 9]];

/** Concrete sizes and random arrays for the variables; `mode` picks the domain. */
export function randomPoint(p: { vars: Node[]; targets: Set<string>; expr: Node }, seed: number, mode: 'normal' | 'positive' | 'unit' | 'spd', sizes: readonly number[] = SIZES[0]!): { env: Env; dims: Map<string, number> } {
  const dims = new Map<string, number>();
  let k = 0;
  for (const v of p.vars) for (const d of v.shape) if (typeof d === 'string' && !dims.has(d)) dims.set(d, sizes[k++ % sizes.length]!);
  const r = rng(seed);
  const env: Env = new Map();
  const indexTargets = new Set<string>();
  walk(p.expr, (n) => { if (n.k === 'xent' && n.index && n.args[1]!.k === 'var') indexTargets.add(n.args[1]!.name!); });
  walk(p.expr, (n) => { if (n.k === 'onehot' && n.args[0]!.k === 'var') indexTargets.add(n.args[0]!.name!); });
  const classesOf = (name: string): number => {
    let c = 2;
    walk(p.expr, (n) => {
      if ((n.k === 'xent' && n.args[1]!.k === 'var' && n.args[1]!.name === name)) { const d = n.args[0]!.shape[n.args[0]!.shape.length - 1]!; c = typeof d === 'number' ? d : dims.get(d) ?? 2; }
      if (n.k === 'onehot' && n.args[0]!.k === 'var' && n.args[0]!.name === name) { const d = n.shape[n.shape.length - 1]!; c = typeof d === 'number' ? d : dims.get(d) ?? 2; }
    });
    return c;
  };
  for (const v of p.vars) {
    const shape = v.shape.map((d) => (typeof d === 'number' ? d : dims.get(d)!));
    const t = tensor(shape);
    if (indexTargets.has(v.name!)) {
      const c = classesOf(v.name!);
      for (let i = 0; i < t.data.length; i++) t.data[i] = Math.floor(r.uniform() * c);
    } else if (p.targets.has(v.name!)) {
      const c = shape[shape.length - 1]!;
      const rows = t.data.length / c;
      for (let i = 0; i < rows; i++) t.data[i * c + Math.floor(r.uniform() * c)] = 1;
    } else if (mode === 'spd' && shape.length === 2 && shape[0] === shape[1]) {
      const n = shape[0]!;
      const b = Array.from({ length: n * n }, () => r.normal());
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let s = i === j ? 1 : 0;
        for (let q = 0; q < n; q++) s += (b[i * n + q]! * b[j * n + q]!) / n;
        t.data[i * n + j] = s + 0.1 * r.normal();
      }
    } else if (mode === 'normal') for (let i = 0; i < t.data.length; i++) t.data[i] = r.normal();
    else if (mode === 'unit') for (let i = 0; i < t.data.length; i++) t.data[i] = 1.8 * r.uniform() - 0.9; // inside (−1, 1), for entries defined only there
    else for (let i = 0; i < t.data.length; i++) t.data[i] = 0.5 + r.uniform();
    env.set(v.name!, t);
  }
  return { env, dims };
}

const finite = (t: Tensor): boolean => t.data.every((x) => Number.isFinite(x));

/** Points (up to `count`) where f and every given derivative are finite. */
function points(p: Prepared, derived: Node[], seed: number, count: number, sizes: readonly number[]): { env: Env; dims: Map<string, number> }[] {
  const out: { env: Env; dims: Map<string, number> }[] = [];
  for (const mode of ['normal', 'positive', 'unit', 'spd'] as const) {
    for (let s = 0; s < 4 && out.length < count; s++) {
      p.budget.tick();
      const pt = randomPoint(p, seed + 7919 * s + (mode === 'normal' ? 0 : mode === 'positive' ? 1 : mode === 'spd' ? 2 : 3) * 104729, mode, sizes);
      try {
        if (!finite(evaluate(p.expr, pt.env, pt.dims, p.budget))) continue;
        if (!derived.every((d) => finite(evaluate(d, pt.env, pt.dims, p.budget)))) continue;
        out.push(pt);
      } catch (e) {
        if (e instanceof BudgetExceeded) throw e;
      }
    }
    if (out.length) break;
  }
  return out;
}

function checkEntry(p: Prepared, result: Node, code: string, reference: (env: Env, dims: Map<string, number>) => Tensor, pts: { env: Env; dims: Map<string, number> }[]): MatCheck {
  if (!pts.length) return { maxRelError: null, numpyMaxRelError: null, points: 0, passed: false };
  let err = 0;
  let codeErr = 0;
  let reparsed: Node | undefined;
  try {
    reparsed = parseMatrix(code, { shapes: p.shapes, maxLength: 2_000_000, maxDepth: 1000 }).expr;
  } catch {
    reparsed = undefined;
  }
  for (const pt of pts) {
    const ref = reference(pt.env, pt.dims);
    if (!ref.data.every((x) => Number.isFinite(x))) return { maxRelError: null, numpyMaxRelError: null, points: 0, passed: false };
    const sym = evaluate(result, pt.env, pt.dims, p.budget);
    err = Math.max(err, maxRelError(sym, ref));
    if (reparsed) codeErr = Math.max(codeErr, maxRelError(evaluate(reparsed, pt.env, bindDims(p.vars, pt.env), p.budget), ref));
  }
  if (Number.isNaN(err)) return { maxRelError: null, numpyMaxRelError: null, points: pts.length, passed: false };
  const numpyMax = reparsed && !Number.isNaN(codeErr) ? codeErr : null;
  return { maxRelError: err, numpyMaxRelError: numpyMax, points: pts.length, passed: err <= 1e-5 && numpyMax !== null && numpyMax <= 1e-5 };
}

/** Entries of a variable perturbed by the check (an evenly spread sample beyond this). */
const FD_COLUMNS = 32;

/** Printed results are trees: a shared subexpression is printed at every use, so the size is bounded before printing. */
const MAX_PRINTED_NODES = 20_000;

function entry(p: Prepared, wrt: Node, result: Node, steps: MatStep[], reference: (env: Env, dims: Map<string, number>) => Tensor, seed: number): MatEntry {
  if (treeSize(result) > MAX_PRINTED_NODES) throw new BudgetExceeded(`printing ∂/∂${wrt.name}`, 'size');
  const ctx = dimsFrom(p.vars);
  const code = numpy(result, ctx);
  let check: MatCheck | undefined;
  try {
    for (const sizes of SIZES) {
      check = checkEntry(p, result, code, reference, points(p, [result], seed, 2, sizes));
      if (check.passed) break;
    }
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    check = { maxRelError: null, numpyMaxRelError: null, points: 0, passed: false, cut: true };
    p.notes.push(`The numeric check of ∂/∂${wrt.name} was cut by the time budget: the result is derived but unchecked.`);
  }
  return { wrt: wrt.name!, shape: [...result.shape], shapeLatex: shapeLatex(result.shape), latex: latex(result), numpy: code, steps, check: check! };
}

function finish(p: Prepared, kind: MatOk['kind'], entries: MatEntry[], layout: Layout): MatOk {
  const ctx = dimsFrom(p.vars);
  const notes = [...p.notes];
  for (const e of entries) if (!e.check.passed && !e.check.cut) notes.push(`The numeric check of ∂/∂${e.wrt} did not pass${e.check.maxRelError === null ? ' (no point where the expression is finite)' : ` (error ${e.check.maxRelError.toExponential(2)})`}: do not trust this result.`);
  return {
    ok: true,
    kind,
    variables: p.vars.map((v) => ({ name: v.name!, shape: [...v.shape], role: p.targets.has(v.name!) ? 'target' : 'variable' })),
    expression: { latex: stepLatex(p.shown, MAX_PRINTED_NODES), numpy: treeSize(p.shown) > MAX_PRINTED_NODES ? p.text : numpy(p.shown, ctx), shape: [...p.expr.shape], ...(p.target ? { target: p.target } : {}) },
    gradient: entries,
    layout,
    layoutText: LAYOUT_TEXT[kind],
    notes,
    ...(p.assumed ? { assumed: [...p.assumed].map(([name, shape]) => ({ name, shape: [...shape] })) } : {}),
    elapsedMs: Math.round((now() - p.t0) * 10) / 10,
  };
}

function run(text: string, opts: MatOptions, body: (p: Prepared) => MatOk): MatResult {
  let p: Prepared | undefined;
  try {
    p = prepare(typeof text === 'string' ? text : String(text), opts ?? {});
    useBudget(p.budget);
    return body(p);
  } catch (e) {
    return fail(e, typeof text === 'string' ? text : '');
  } finally {
    useBudget(undefined);
  }
}

/** ∇ of a scalar expression with respect to each variable (denominator layout). */
export function matrixGradient(text: string, opts: MatOptions = {}): MatResult {
  return run(text, opts, (p) => {
    if (!isScalar(p.expr)) throw new Unsupported(`the expression has shape (${p.expr.shape.join(', ')}): a gradient needs a scalar (ask for the Jacobian)`);
    const tick = () => p.budget.tick();
    const f = (env: Env, dims: Map<string, number>) => evaluate(p.expr, env, dims, p.budget);
    const entries = wrtVars(p, opts).map((v) => {
      const { gradient, steps } = reverseGradient(p.expr, v, tick);
      return entry(p, v, gradient, steps, (env, dims) => finiteDiff((e) => f(e, dims), env, v.name!, FD_COLUMNS), opts.seed ?? 1);
    });
    return finish(p, 'gradient', entries, 'denominator');
  });
}

/** ∂f/∂x of a scalar- or vector-valued expression for each scalar or vector variable (numerator layout). */
export function matrixJacobian(text: string, opts: MatOptions = {}): MatResult {
  return run(text, opts, (p) => {
    if (rank(p.expr) > 1) throw new Unsupported('the Jacobian of a matrix-valued expression is a higher-order tensor: unsupported');
    const tick = () => p.budget.tick();
    const all = wrtVars(p, opts);
    const ws = opts.wrt?.length ? all : all.filter((v) => rank(v) <= 1);
    const skipped = all.filter((v) => !ws.includes(v));
    if (skipped.length) p.notes.push(`Matrix variables (${skipped.map((v) => v.name).join(', ')}) skipped: their Jacobian is a higher-order tensor.`);
    if (!ws.length) throw new Unsupported('the Jacobian is supported with respect to scalar and vector variables only');
    const entries = ws.map((v) => {
      const { jacobian, steps } = forwardJacobian(p.expr, v, tick);
      return entry(p, v, jacobian, steps, (env, dims) => finiteDiff((e) => evaluate(p.expr, e, dims, p.budget), env, v.name!, FD_COLUMNS), opts.seed ?? 1);
    });
    return finish(p, 'jacobian', entries, 'numerator');
  });
}

/** The Hessian of a scalar expression: with respect to one vector variable, or to scalar variables (a matrix of second partials). */
export function matrixHessian(text: string, opts: MatOptions = {}): MatResult {
  return run(text, opts, (p) => {
    if (!isScalar(p.expr)) throw new Unsupported('a Hessian needs a scalar expression');
    const tick = () => p.budget.tick();
    const ws = wrtVars(p, opts);
    if (ws.length === 0) throw new Unsupported('the expression has no variables');
    if (ws.every(isScalar)) {
      const grads = ws.map((v) => reverseGradient(p.expr, v, tick));
      const entries: Node[] = [];
      const steps: MatStep[] = [];
      ws.forEach((vi, i) => {
        steps.push(...grads[i]!.steps.map((s) => ({ ...s, depth: s.depth + 1 })));
        ws.forEach((vj) => {
          const h = reverseGradient(grads[i]!.gradient, vj, tick);
          entries.push(h.gradient);
          steps.push({ rule: 'second partial', latex: `\\frac{\\partial^2 f}{\\partial ${latex(vi)}\\,\\partial ${latex(vj)}} = \\frac{\\partial}{\\partial ${latex(vj)}}\\left(${stepLatex(grads[i]!.gradient)}\\right) = ${stepLatex(h.gradient)}`, depth: 0 });
        });
      });
      const H = raw.stack(entries, [ws.length, ws.length]);
      const gradVec = raw.stack(grads.map((g) => g.gradient), [ws.length]);
      const pseudo = variable(ws.map((w) => w.name).join(','), [ws.length]);
      const e = entry(p, pseudo, H, steps, (env, dims) => stackedFd(gradVec, ws, env, dims, p), opts.seed ?? 1);
      return finish(p, 'hessian', [e], 'numerator');
    }
    if (ws.length !== 1 || rank(ws[0]!) !== 1) throw new Unsupported('a Hessian is supported with respect to one vector variable, or to scalar variables only (pass wrt)');
    const x = ws[0]!;
    const g = reverseGradient(p.expr, x, tick);
    const h = forwardJacobian(g.gradient, x, tick);
    const steps = [...g.steps.map((s) => ({ ...s, depth: s.depth + 1 })), ...h.steps];
    const e = entry(p, x, h.jacobian, steps, (env, dims) => finiteDiff((en) => evaluate(g.gradient, en, dims, p.budget), env, x.name!, FD_COLUMNS), opts.seed ?? 1);
    void key;
    return finish(p, 'hessian', [e], 'numerator');
  });
}

/**
 * The Hessian of a scalar expression with respect to each of its vector
 * variables, the others held constant (H_x of xᵀAx is A + Aᵀ), or with respect
 * to all of its scalar variables when it has no vector or matrix one (Rosenbrock).
 */
export function hessianPerVector(text: string, opts: MatOptions): MatResult {
  const all = matrixHessian(text, opts);
  if (all.ok || all.error.kind !== 'unsupported') return all;
  const probe = matrixGradient(text, opts);
  if (!probe.ok) return all;
  const vectors = probe.variables.filter((v) => v.role === 'variable' && v.shape.length === 1).map((v) => v.name);
  if (vectors.length === 0) {
    if (/pass wrt/.test(all.error.message)) all.error.message = 'a Hessian is taken with respect to a vector variable or to scalar ones; with respect to a matrix it is a 4-D tensor (unsupported)';
    return all;
  }
  const held = probe.variables.filter((v) => v.role === 'variable' && !vectors.includes(v.name)).map((v) => v.name);
  let merged: MatOk | undefined;
  for (const x of vectors) {
    const r = matrixHessian(text, { ...opts, wrt: [x] });
    if (!r.ok) return r;
    if (!merged) merged = { ...r, gradient: [...r.gradient], notes: [...r.notes] };
    else {
      merged.gradient.push(...r.gradient);
      for (const n of r.notes) if (!merged.notes.includes(n)) merged.notes.push(n);
      merged.elapsedMs += r.elapsedMs;
    }
  }
  const others = [...held, ...vectors].filter((v, i, a) => a.length > 1 && a.indexOf(v) === i);
  if (merged && others.length) {
    merged.notes.unshift(
      vectors.length === 1
        ? `The Hessian with respect to ${vectors[0]}; ${held.join(', ')} ${held.length === 1 ? 'is' : 'are'} held constant.`
        : `One Hessian per vector variable (${vectors.join(', ')}), the other variables held constant; mixed second derivatives are not shown.`,
    );
  }
  return merged ?? all;
}

/** FD Jacobian of the stacked scalar gradient with respect to the scalar variables. */
function stackedFd(gradVec: Node, ws: Node[], env: Env, dims: Map<string, number>, p: Prepared): Tensor {
  const k = ws.length;
  const out = tensor([k, k]);
  ws.forEach((w, j) => {
    const col = finiteDiff((e) => evaluate(gradVec, e, dims, p.budget), env, w.name!);
    for (let i = 0; i < k; i++) out.data[i * k + j] = col.data[i]!;
  });
  return out;
}

/**
 * Shapes for `shapes` from the shape engine's analysis of the surrounding code
 * (`core/shapes`): for each wanted name, its last binding at or before `line`
 * (1-based; default: anywhere). Only shapes of rank ≤ 2 whose dims are integers or
 * plain names are taken; a derived size such as `H - 2` or an unknown one is
 * left out (the name is reported in `skipped`), never guessed.
 */
export function shapesFromAnalysis(analysis: Pick<ShapeAnalysis, 'symbols'>, names: readonly string[], line = Number.POSITIVE_INFINITY): { shapes: Map<string, Shape>; skipped: string[] } {
  const shapes = new Map<string, Shape>();
  const skipped: string[] = [];
  for (const name of names) {
    let best: ShapeAnalysis['symbols'][number] | undefined;
    for (const s of analysis.symbols) if (s.name === name && s.line <= line && (!best || s.line >= best.line)) best = s;
    if (!best) continue;
    const shape = best.shape;
    const ok = shape !== null && shape.length <= 2
      && shape.every((d) => (typeof d === 'number' && Number.isInteger(d) && d > 0) || (typeof d === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(d)));
    if (ok) shapes.set(name, shape as Dim[]);
    else skipped.push(name);
  }
  return { shapes, skipped };
}
