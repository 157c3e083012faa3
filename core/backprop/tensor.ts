/**
 * Dense float64 arrays for the shaped backprop graph (matcalc's `Tensor`:
 * a shape and row-major data). Broadcasting is done with index maps: for an
 * output shape S and an operand shape s that broadcasts to it, `indexMap(S, s)`
 * gives, for every flat index of S, the flat index of s it reads. The same map
 * sums a gradient back to an operand's shape (unbroadcasting) and expands a
 * reduction's gradient back to its input, so every pass is a plain loop.
 */
import { rng, tensor } from '../matcalc/numeric';
import type { Tensor } from '../matcalc/numeric';

export type { Tensor };

/**
 * A value in the graph: a number for a scalar, nested arrays in row-major order
 * for a vector or matrix (what NumPy's `tolist()` gives).
 */
export type Numeric = number | Numeric[];
export { tensor };

export const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** For every flat index of `big`, the flat index of `small` (right-aligned; 1s and missing axes repeat). */
export function indexMap(big: readonly number[], small: readonly number[]): Int32Array {
  const n = size(big);
  const out = new Int32Array(n);
  const r = big.length;
  const off = r - small.length;
  // The stride of each axis of `big` in `small` (0 where `small` repeats).
  const st = new Array<number>(r).fill(0);
  let acc = 1;
  for (let i = small.length - 1; i >= 0; i--) {
    st[i + off] = small[i] === 1 && big[i + off] !== 1 ? 0 : acc;
    acc *= small[i]!;
  }
  const idx = new Array<number>(r).fill(0);
  let cur = 0;
  for (let k = 0; k < n; k++) {
    out[k] = cur;
    for (let i = r - 1; i >= 0; i--) {
      idx[i]!++;
      cur += st[i]!;
      if (idx[i]! < big[i]!) break;
      cur -= st[i]! * idx[i]!;
      idx[i] = 0;
    }
  }
  return out;
}

/** `f(a_i, b_i, i)` over the broadcast of a and b. */
export function zipWith(a: Tensor, b: Tensor, shape: number[], f: (x: number, y: number, k: number) => number): Tensor {
  const out = tensor(shape);
  const ia = indexMap(shape, a.shape);
  const ib = indexMap(shape, b.shape);
  for (let k = 0; k < out.data.length; k++) out.data[k] = f(a.data[ia[k]!]!, b.data[ib[k]!]!, k);
  return out;
}

/** The gradient `g` (of the broadcast shape) summed back to `shape`. */
export function unbroadcast(g: Tensor, shape: number[]): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const out = tensor(shape);
  const m = indexMap(g.shape, shape);
  for (let k = 0; k < g.data.length; k++) out.data[m[k]!] = out.data[m[k]!]! + g.data[k]!;
  return out;
}

/** The axes of `big` that `small` was broadcast along: leading axes it lacks, and its 1s. */
export function broadcastAxes(big: readonly number[], small: readonly number[]): { lead: number[]; keep: number[] } {
  const off = big.length - small.length;
  const lead = Array.from({ length: off }, (_, i) => i);
  const keep: number[] = [];
  small.forEach((d, i) => {
    if (d === 1 && big[i + off] !== 1) keep.push(i);
  });
  return { lead, keep };
}

/** Matrix / vector products with NumPy's rules for 1-D operands (shapes already checked). */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const m = a.shape.length === 2 ? a.shape[0]! : 1;
  const k = a.shape[a.shape.length - 1]!;
  const n = b.shape.length === 2 ? b.shape[1]! : 1;
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const x = a.data[i * k + p]!;
      const row = p * n;
      for (let j = 0; j < n; j++) data[i * n + j] = data[i * n + j]! + x * b.data[row + j]!;
    }
  }
  const shape: number[] = [];
  if (a.shape.length === 2) shape.push(m);
  if (b.shape.length === 2) shape.push(n);
  return { shape, data };
}

/** The outer product of two vectors. */
export function outer(a: Tensor, b: Tensor): Tensor {
  const out = tensor([a.data.length, b.data.length]);
  for (let i = 0; i < a.data.length; i++) for (let j = 0; j < b.data.length; j++) out.data[i * b.data.length + j] = a.data[i]! * b.data[j]!;
  return out;
}

/** Reverses the axes (a matrix's transpose; a vector or scalar is unchanged). */
export function transpose(a: Tensor): Tensor {
  if (a.shape.length < 2) return a;
  const [r, c] = a.shape as [number, number];
  const out = tensor([c, r]);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out.data[j * r + i] = a.data[i * c + j]!;
  return out;
}

/** The shape of a reduction over `axes` (null: all) with or without kept dimensions. */
export function reducedShape(shape: readonly number[], axes: readonly number[] | null, keepdims: boolean): number[] {
  if (axes === null) return keepdims ? shape.map(() => 1) : [];
  return shape.flatMap((d, i) => (axes.includes(i) ? (keepdims ? [1] : []) : [d]));
}

/** Sum over `axes` (normalized, null: all). */
export function sumAxes(a: Tensor, axes: readonly number[] | null, keepdims: boolean): Tensor {
  const kept = reducedShape(a.shape, axes, true);
  const out = unbroadcast(a, kept);
  const copy = out === a ? { shape: kept, data: Float64Array.from(a.data) } : out;
  return { shape: reducedShape(a.shape, axes, keepdims), data: copy.data };
}

/** `g` (a reduction's gradient) repeated back over the reduced axes, to `shape`. */
export function expandTo(g: Tensor, shape: number[], axes: readonly number[] | null): Tensor {
  const kept = reducedShape(shape, axes, true);
  const out = tensor(shape);
  const m = indexMap(shape, kept);
  for (let k = 0; k < out.data.length; k++) out.data[k] = g.data[m[k]!]!;
  return out;
}

/**
 * Calls `f(start, stride, length)` for every 1-D lane along `axis` (null: the whole array as one
 * lane): the lane's entries are data[start + j·stride], j < length.
 */
export function forLanes(shape: readonly number[], axis: number | null, f: (start: number, stride: number, length: number) => void): void {
  if (axis === null) {
    f(0, 1, size(shape));
    return;
  }
  const len = shape[axis]!;
  const inner = size(shape.slice(axis + 1));
  const outer = size(shape.slice(0, axis));
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) f(o * len * inner + i, inner, len);
}

/** Softmax (or log-softmax) along an axis, PyTorch's way: shifted by the lane's maximum. */
export function softmax(a: Tensor, axis: number | null, log: boolean): Tensor {
  const out = tensor([...a.shape]);
  forLanes(a.shape, axis, (s, st, n) => {
    let m = -Infinity;
    for (let j = 0; j < n; j++) m = Math.max(m, a.data[s + j * st]!);
    let z = 0;
    for (let j = 0; j < n; j++) z += Math.exp(a.data[s + j * st]! - m);
    const lz = Math.log(z);
    for (let j = 0; j < n; j++) {
      const x = a.data[s + j * st]! - m;
      out.data[s + j * st] = log ? x - lz : Math.exp(x) / z;
    }
  });
  return out;
}

/** Nested arrays (NumPy's tolist()) → shape and data; undefined when not a rectangular array of numbers. */
export function fromNumeric(v: Numeric): Tensor | undefined {
  if (typeof v === 'number') return tensor([], [v]);
  const shape: number[] = [];
  let cur: Numeric = v;
  while (Array.isArray(cur)) {
    if (cur.length === 0) return undefined;
    shape.push(cur.length);
    cur = cur[0]!;
  }
  const data = new Float64Array(size(shape));
  let k = 0;
  // Iterative walk: a stack of (array, depth).
  const stack: { arr: Numeric; depth: number }[] = [{ arr: v, depth: 0 }];
  while (stack.length) {
    const { arr, depth } = stack.pop()!;
    if (depth === shape.length) {
      if (typeof arr !== 'number') return undefined;
      data[k++] = arr;
      continue;
    }
    if (!Array.isArray(arr) || arr.length !== shape[depth]) return undefined;
    for (let i = arr.length - 1; i >= 0; i--) stack.push({ arr: arr[i]!, depth: depth + 1 });
  }
  return { shape, data };
}

/** Shape and data → nested arrays (a number for a scalar). */
export function toNumeric(t: Tensor): Numeric {
  if (t.shape.length === 0) return t.data[0]!;
  let level: Numeric[] = Array.from(t.data);
  for (let ax = t.shape.length - 1; ax > 0; ax--) {
    const d = t.shape[ax]!;
    const next: Numeric[] = [];
    for (let i = 0; i < level.length; i += d) next.push(level.slice(i, i + d));
    level = next;
  }
  return level;
}

/** Seeded entries for a shape: normal or uniform draws, rounded for readability (`digits` decimals). */
export function seeded(shape: number[], seed: number, kind: 'normal' | 'uniform' | 'positive', digits: number): Tensor {
  const r = rng(seed);
  const t = tensor(shape);
  const scale = 10 ** digits;
  for (let k = 0; k < t.data.length; k++) {
    const x = kind === 'uniform' ? r.uniform() : kind === 'positive' ? 0.1 + Math.abs(r.normal()) : r.normal();
    t.data[k] = Math.round(x * scale) / scale || 0;
  }
  return t;
}
