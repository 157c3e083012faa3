/**
 * Dense float64 evaluation of the IR (NumPy semantics, rank ≤ 2) and central
 * finite differences, for the numeric checks.
 */
import { NUMBERS } from '../ops';
import type { Node } from './ast';
import type { Budget } from '../budget';

export interface Tensor {
  shape: number[];
  data: Float64Array;
  /** For a sampled finite difference: only columns `cols` (of `m` per row) were computed. */
  sampled?: { m: number; cols: number[] };
}

export type Env = Map<string, Tensor>;

export const tensor = (shape: number[], data?: ArrayLike<number>): Tensor => ({
  shape,
  data: data ? Float64Array.from(data) : new Float64Array(shape.reduce((a, b) => a * b, 1)),
});

export class EvalError extends Error {}

/** Concrete sizes of the symbolic dims, read from the bound arrays. */
export function bindDims(vars: readonly Node[], env: Env): Map<string, number> {
  const dims = new Map<string, number>();
  for (const v of vars) {
    const t = env.get(v.name!);
    if (!t) throw new EvalError(`no value for ${v.name}`);
    if (t.shape.length !== v.shape.length) throw new EvalError(`${v.name} has ${t.shape.length} dimensions, expected ${v.shape.length}`);
    v.shape.forEach((d, i) => {
      const got = t.shape[i]!;
      if (typeof d === 'number') { if (d !== got) throw new EvalError(`${v.name}: size ${got} ≠ ${d}`); }
      else if (dims.has(d) && dims.get(d) !== got) throw new EvalError(`${d} is both ${dims.get(d)} and ${got}`);
      else dims.set(d, got);
    });
  }
  return dims;
}

function strides(shape: number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

function bshape(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new EvalError(`cannot broadcast ${a} and ${b}`);
    out.push(Math.max(x, y) === 1 ? Math.min(x, y) === 0 ? 0 : 1 : Math.max(x, y));
  }
  return out;
}

function zip(a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  return zipAll([a, b], (v) => f(v[0]!, v[1]!));
}

/** Elementwise over any number of broadcast operands. */
function zipAll(ts: readonly Tensor[], f: (xs: number[]) => number): Tensor {
  const shape = ts.slice(1).reduce((s, t) => bshape(s, t.shape), ts[0]!.shape);
  const out = tensor(shape);
  const n = shape.length;
  const steps = ts.map((t) => {
    const st = strides(t.shape);
    return shape.map((_, i) => { const j = i - (n - t.shape.length); return j < 0 || t.shape[j] === 1 ? 0 : st[j]!; });
  });
  const idx = new Array<number>(n).fill(0);
  const xs = new Array<number>(ts.length).fill(0);
  for (let k = 0; k < out.data.length; k++) {
    for (let t = 0; t < ts.length; t++) {
      let o = 0;
      for (let i = 0; i < n; i++) o += idx[i]! * steps[t]![i]!;
      xs[t] = ts[t]!.data[o]!;
    }
    out.data[k] = f(xs);
    for (let i = n - 1; i >= 0; i--) { if (++idx[i]! < shape[i]!) break; idx[i] = 0; }
  }
  return out;
}

const map = (a: Tensor, f: (x: number) => number): Tensor => ({ shape: a.shape, data: a.data.map(f) });

function transpose(a: Tensor): Tensor {
  if (a.shape.length < 2) return a;
  const [r, c] = a.shape as [number, number];
  const out = tensor([c, r]);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out.data[j * r + i] = a.data[i * c + j]!;
  return out;
}

function matmul(a: Tensor, b: Tensor): Tensor {
  const A = a.shape.length === 1 ? { shape: [1, a.shape[0]!], data: a.data } : a;
  const B = b.shape.length === 1 ? { shape: [b.shape[0]!, 1], data: b.data } : b;
  const [m, k] = A.shape as [number, number];
  const [k2, n] = B.shape as [number, number];
  if (k !== k2) throw new EvalError(`matmul ${a.shape} @ ${b.shape}`);
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) {
    const x = A.data[i * k + p]!;
    for (let j = 0; j < n; j++) out[i * n + j] = out[i * n + j]! + x * B.data[p * n + j]!;
  }
  const shape: number[] = [];
  if (a.shape.length === 2) shape.push(m);
  if (b.shape.length === 2) shape.push(n);
  return { shape, data: out };
}

/** Reduce along an axis (null: all) with an accumulator over the slice. */
function reduce(a: Tensor, axis: number | null, keepdims: boolean, f: (xs: number[]) => number): Tensor {
  if (axis === null) {
    const v = f(Array.from(a.data));
    return tensor(keepdims ? a.shape.map(() => 1) : [], [v]);
  }
  const lanes = along(a, axis);
  const shape = a.shape.flatMap((d, i) => (i === axis ? (keepdims ? [1] : []) : [d]));
  return tensor(shape, lanes.map((l) => f(l.map((i) => a.data[i]!))));
}

/** Index lists of each 1-D lane along `axis`, in the order of the remaining axes. */
function along(a: Tensor, axis: number): number[][] {
  const st = strides(a.shape);
  const n = a.shape[axis]!;
  const others = a.shape.map((d, i) => (i === axis ? 1 : d));
  const count = others.reduce((x, y) => x * y, 1);
  const lanes: number[][] = [];
  const idx = new Array<number>(a.shape.length).fill(0);
  for (let k = 0; k < count; k++) {
    let base = 0;
    for (let i = 0; i < idx.length; i++) base += idx[i]! * st[i]!;
    lanes.push(Array.from({ length: n }, (_, j) => base + j * st[axis]!));
    for (let i = idx.length - 1; i >= 0; i--) { if (++idx[i]! < others[i]!) break; idx[i] = 0; }
  }
  return lanes;
}

function laneMap(a: Tensor, axis: number, f: (xs: number[]) => number[]): Tensor {
  const out = tensor([...a.shape]);
  for (const lane of along(a, axis)) {
    const ys = f(lane.map((i) => a.data[i]!));
    lane.forEach((i, j) => (out.data[i] = ys[j]!));
  }
  return out;
}

const lse = (xs: number[]): number => { const m = Math.max(...xs); return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0)); };

function lu(a: Tensor): { lu: Float64Array; piv: number[]; sign: number; n: number } {
  const n = a.shape[0]!;
  const m = Float64Array.from(a.data);
  const piv = Array.from({ length: n }, (_, i) => i);
  let sign = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i * n + k]!) > Math.abs(m[p * n + k]!)) p = i;
    if (p !== k) {
      for (let j = 0; j < n; j++) { const t = m[k * n + j]!; m[k * n + j] = m[p * n + j]!; m[p * n + j] = t; }
      [piv[k], piv[p]] = [piv[p]!, piv[k]!];
      sign = -sign;
    }
    const d = m[k * n + k]!;
    if (d === 0) continue;
    for (let i = k + 1; i < n; i++) {
      const f = (m[i * n + k]! /= d);
      for (let j = k + 1; j < n; j++) m[i * n + j] = m[i * n + j]! - f * m[k * n + j]!;
    }
  }
  return { lu: m, piv, sign, n };
}

function det(a: Tensor): number {
  const { lu: m, sign, n } = lu(a);
  let d = sign;
  for (let i = 0; i < n; i++) d *= m[i * n + i]!;
  return d;
}

function inv(a: Tensor): Tensor {
  const { lu: m, piv, n } = lu(a);
  const out = tensor([n, n]);
  for (let c = 0; c < n; c++) {
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = piv[i] === c ? 1 : 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) x[i] = x[i]! - m[i * n + j]! * x[j]!;
    for (let i = n - 1; i >= 0; i--) {
      for (let j = i + 1; j < n; j++) x[i] = x[i]! - m[i * n + j]! * x[j]!;
      x[i] = x[i]! / m[i * n + i]!;
    }
    for (let i = 0; i < n; i++) out.data[i * n + c] = x[i]!;
  }
  return out;
}

export function evaluate(root: Node, env: Env, dims: Map<string, number>, budget?: Budget): Tensor {
  const memo = new Map<Node, Tensor>();
  const dim = (d: string | number): number => {
    if (typeof d === 'number') return d;
    const v = dims.get(d);
    if (v === undefined) throw new EvalError(`size ${d} unknown`);
    return v;
  };
  const go = (n: Node): Tensor => {
    const c = memo.get(n);
    if (c) return c;
    budget?.tick();
    const a = n.args.map(go);
    const x = a[0]!;
    let r: Tensor;
    switch (n.k) {
      case 'var': { const t = env.get(n.name!); if (!t) throw new EvalError(`no value for ${n.name}`); r = t; break; }
      case 'num': case 'const': r = tensor([], [n.value!]); break;
      case 'dim': r = tensor([], [dim(n.name!)]); break;
      case 'ones': { r = tensor(n.shape.map(dim)); r.data.fill(1); break; }
      case 'zero': r = tensor(n.shape.map(dim)); break;
      case 'eye': { const d = dim(n.shape[0]!); r = tensor([d, d]); for (let i = 0; i < d; i++) r.data[i * d + i] = 1; break; }
      case 'add': r = a.slice(1).reduce((s, t) => zip(s, t, (p, q) => p + q), x); break;
      case 'mul': r = a.slice(1).reduce((s, t) => zip(s, t, (p, q) => p * q), x); break;
      case 'pow': { const p = n.value!; r = map(x, (v) => (p === 2 ? v * v : p === -1 ? 1 / v : Math.pow(v, p))); break; }
      case 'matmul': r = matmul(x, a[1]!); break;
      case 'T': r = transpose(x); break;
      case 'fn': { const op = n.op!; const ps = n.params ?? op.params.map((q) => q.default); r = zipAll(a, (xs) => op.forward(xs, ps)); break; }
      case 'cmp': { const c = n.cmp!; r = zip(x, a[1]!, (p, q) => NUMBERS.cmp(c, p, q)); break; }
      case 'sum': r = reduce(x, n.axis ?? null, !!n.keepdims, (xs) => xs.reduce((s, v) => s + v, 0)); break;
      case 'max': r = reduce(x, n.axis ?? null, !!n.keepdims, (xs) => Math.max(...xs)); break;
      case 'logsumexp': r = reduce(x, n.axis ?? null, !!n.keepdims, lse); break;
      case 'expand': r = { shape: [x.shape[0]!, 1], data: x.data }; break;
      case 'outer': r = matmul({ shape: [x.shape[0]!, 1], data: x.data }, { shape: [1, a[1]!.shape[0]!], data: a[1]!.data }); break;
      case 'trace': { const d = x.shape[0]!; let s = 0; for (let i = 0; i < d; i++) s += x.data[i * d + i]!; r = tensor([], [s]); break; }
      case 'det': r = tensor([], [det(x)]); break;
      case 'logdet': r = tensor([], [Math.log(det(x))]); break;
      case 'inv': r = inv(x); break;
      case 'norm': r = tensor([], [Math.sqrt(x.data.reduce((s, v) => s + v * v, 0))]); break;
      case 'softmax': r = laneMap(x, n.axis!, (xs) => { const l = lse(xs); return xs.map((v) => Math.exp(v - l)); }); break;
      case 'logsoftmax': r = laneMap(x, n.axis!, (xs) => { const l = lse(xs); return xs.map((v) => v - l); }); break;
      case 'onehot': {
        const k = dim(n.shape[n.shape.length - 1]!);
        r = tensor([...x.shape, k]);
        x.data.forEach((t, i) => { if (!(Number.isInteger(t) && t >= 0 && t < k)) throw new EvalError(`index ${t} out of range`); r.data[i * k + t] = 1; });
        break;
      }
      case 'xent': {
        const z = x;
        const k = z.shape[z.shape.length - 1]!;
        const rows = z.shape.length === 1 ? 1 : z.shape[0]!;
        const y = a[1]!;
        let s = 0;
        for (let i = 0; i < rows; i++) {
          const zs = Array.from(z.data.subarray(i * k, i * k + k));
          const l = lse(zs);
          if (n.index) s -= zs[y.data[i]!]! - l;
          else for (let j = 0; j < k; j++) s -= y.data[i * k + j]! * (zs[j]! - l);
        }
        r = tensor([], [s / rows]);
        break;
      }
      case 'stack': r = tensor(n.shape.map(dim), a.map((t) => t.data[0]!)); break;
    }
    memo.set(n, r);
    return r;
  };
  return go(root);
}

/**
 * Central differences of a scalar- or array-valued f with respect to the entries of one variable: shape
 * out ++ var. With more than `maxCols` entries, an evenly spread sample of `maxCols` of them is computed
 * (marked in `sampled`; `maxRelError` compares only those).
 */
export function finiteDiff(f: (env: Env) => Tensor, env: Env, name: string, maxCols = Number.POSITIVE_INFINITY): Tensor {
  const x = env.get(name)!;
  const base = f(env);
  const out: Tensor = tensor([...base.shape, ...x.shape]);
  const m = x.data.length;
  const cols = m <= maxCols ? Array.from({ length: m }, (_, j) => j) : Array.from({ length: maxCols }, (_, i) => Math.floor((i * m) / maxCols));
  if (cols.length < m) out.sampled = { m, cols };
  for (const j of cols) {
    const h = 1e-5 * Math.max(1, Math.abs(x.data[j]!));
    const plus = { shape: x.shape, data: Float64Array.from(x.data) };
    const minus = { shape: x.shape, data: Float64Array.from(x.data) };
    plus.data[j] = plus.data[j]! + h;
    minus.data[j] = minus.data[j]! - h;
    const fp = f(new Map(env).set(name, plus));
    const fm = f(new Map(env).set(name, minus));
    for (let i = 0; i < base.data.length; i++) out.data[i * m + j] = (fp.data[i]! - fm.data[i]!) / (2 * h);
  }
  return out;
}

export function maxRelError(a: Tensor, b: Tensor): number {
  if (a.data.length !== b.data.length) return Infinity;
  let e = 0;
  const idx = b.sampled
    ? Array.from({ length: a.data.length / b.sampled.m }, (_, r) => b.sampled!.cols.map((j) => r * b.sampled!.m + j)).flat()
    : Array.from({ length: a.data.length }, (_, i) => i);
  for (const i of idx) {
    const d = Math.abs(a.data[i]! - b.data[i]!) / Math.max(1, Math.abs(b.data[i]!));
    if (!(d <= e)) e = Number.isNaN(d) ? Infinity : Math.max(e, d);
  }
  return e;
}

/** Seeded PRNG (mulberry32) with normal draws. */
export function rng(seed: number): { uniform: () => number; normal: () => number } {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}
