/**
 * Dense real matrices: row-major `Float64Array` storage and the few kernels the
 * decompositions share. Everything here is plain TypeScript (no DOM, no Node).
 *
 * The matrix product is register-blocked (4×2 dot products over rows of A and
 * rows of Bᵀ), which runs at roughly 4–6 GFlop/s in V8; a naive i-j-k loop runs
 * at about a quarter of that. The decompositions lean on it for their
 * back-transformations.
 */
import { Budget, BudgetExceeded } from '../budget';

export interface Mat {
  readonly rows: number;
  readonly cols: number;
  /** Row-major: entry (i, j) is `data[i * cols + j]`. */
  readonly data: Float64Array;
}

export function mat(rows: number, cols: number, data?: Float64Array | ArrayLike<number>): Mat {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) throw new RangeError(`bad matrix size ${rows}×${cols}`);
  if (data === undefined) return { rows, cols, data: new Float64Array(rows * cols) };
  if (data.length !== rows * cols) throw new RangeError(`matrix data has ${data.length} entries, expected ${rows * cols}`);
  return { rows, cols, data: data instanceof Float64Array ? data : Float64Array.from(data) };
}

/** From an array of rows (tests, small literals). */
export function fromRows(rows: readonly (readonly number[])[]): Mat {
  const m = rows.length;
  const n = m ? rows[0]!.length : 0;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const r = rows[i]!;
    if (r.length !== n) throw new RangeError(`row ${i} has ${r.length} entries, expected ${n}`);
    for (let j = 0; j < n; j++) out[i * n + j] = r[j]!;
  }
  return { rows: m, cols: n, data: out };
}

export function toRows(a: Mat): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.rows; i++) out.push(Array.from(a.data.subarray(i * a.cols, (i + 1) * a.cols)));
  return out;
}

export function get(a: Mat, i: number, j: number): number {
  return a.data[i * a.cols + j]!;
}

export function clone(a: Mat): Mat {
  return { rows: a.rows, cols: a.cols, data: a.data.slice() };
}

export function identity(n: number): Mat {
  const a = mat(n, n);
  for (let i = 0; i < n; i++) a.data[i * n + i] = 1;
  return a;
}

export function transpose(a: Mat): Mat {
  const { rows: m, cols: n, data } = a;
  const out = new Float64Array(m * n);
  // Blocked so both sides stay in cache for large matrices.
  const B = 32;
  for (let i0 = 0; i0 < m; i0 += B) {
    const i1 = Math.min(m, i0 + B);
    for (let j0 = 0; j0 < n; j0 += B) {
      const j1 = Math.min(n, j0 + B);
      for (let i = i0; i < i1; i++) {
        const r = i * n;
        for (let j = j0; j < j1; j++) out[j * m + i] = data[r + j]!;
      }
    }
  }
  return { rows: n, cols: m, data: out };
}

/** C = A·Bᵀ where A is m×k and B is n×k (both row-major): dot products of rows. */
export function mulABt(a: Mat, b: Mat): Mat {
  if (a.cols !== b.cols) throw new RangeError(`cannot multiply ${a.rows}×${a.cols} by (${b.rows}×${b.cols})ᵀ`);
  const m = a.rows;
  const n = b.rows;
  const k = a.cols;
  const A = a.data;
  const Bd = b.data;
  const C = new Float64Array(m * n);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = i * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const b0 = j * k;
      const b1 = b0 + k;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      for (let p = 0; p < k; p++) {
        const y0 = Bd[b0 + p]!;
        const y1 = Bd[b1 + p]!;
        let x = A[a0 + p]!;
        s00 += x * y0;
        s01 += x * y1;
        x = A[a1 + p]!;
        s10 += x * y0;
        s11 += x * y1;
        x = A[a2 + p]!;
        s20 += x * y0;
        s21 += x * y1;
        x = A[a3 + p]!;
        s30 += x * y0;
        s31 += x * y1;
      }
      C[i * n + j] = s00;
      C[i * n + j + 1] = s01;
      C[(i + 1) * n + j] = s10;
      C[(i + 1) * n + j + 1] = s11;
      C[(i + 2) * n + j] = s20;
      C[(i + 2) * n + j + 1] = s21;
      C[(i + 3) * n + j] = s30;
      C[(i + 3) * n + j + 1] = s31;
    }
    for (; j < n; j++) {
      const b0 = j * k;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = 0; p < k; p++) {
        const y = Bd[b0 + p]!;
        s0 += A[a0 + p]! * y;
        s1 += A[a1 + p]! * y;
        s2 += A[a2 + p]! * y;
        s3 += A[a3 + p]! * y;
      }
      C[i * n + j] = s0;
      C[(i + 1) * n + j] = s1;
      C[(i + 2) * n + j] = s2;
      C[(i + 3) * n + j] = s3;
    }
  }
  for (; i < m; i++) {
    const a0 = i * k;
    for (let j = 0; j < n; j++) {
      const b0 = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += A[a0 + p]! * Bd[b0 + p]!;
      C[i * n + j] = s;
    }
  }
  return { rows: m, cols: n, data: C };
}

/** C = A·B. */
export function mul(a: Mat, b: Mat): Mat {
  if (a.cols !== b.rows) throw new RangeError(`cannot multiply ${a.rows}×${a.cols} by ${b.rows}×${b.cols}`);
  return mulABt(a, transpose(b));
}

/** C = Aᵀ·B. */
export function mulAtB(a: Mat, b: Mat): Mat {
  if (a.rows !== b.rows) throw new RangeError(`cannot multiply (${a.rows}×${a.cols})ᵀ by ${b.rows}×${b.cols}`);
  return mulABt(transpose(a), transpose(b));
}

export function sub(a: Mat, b: Mat): Mat {
  const out = new Float64Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i]! - b.data[i]!;
  return { rows: a.rows, cols: a.cols, data: out };
}

/** Largest absolute entry (NaN if any entry is NaN). */
export function maxAbs(a: Mat | Float64Array): number {
  const d = a instanceof Float64Array ? a : a.data;
  let m = 0;
  for (let i = 0; i < d.length; i++) {
    const v = Math.abs(d[i]!);
    if (v > m || v !== v) m = v;
  }
  return m;
}

/** Frobenius norm, scaled so it neither overflows nor underflows. */
export function frobenius(a: Mat | Float64Array): number {
  const d = a instanceof Float64Array ? a : a.data;
  const s = maxAbs(d);
  if (s === 0 || !Number.isFinite(s)) return s;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]! / s;
    sum += v * v;
  }
  return s * Math.sqrt(sum);
}

/** Euclidean norm of `x[from..to)` with stride `stride`, without overflow. */
export function norm2(x: Float64Array, from = 0, to = x.length, stride = 1): number {
  let scale = 0;
  let ssq = 1;
  for (let i = from; i < to; i += stride) {
    const v = x[i]!;
    if (v !== 0) {
      const a = Math.abs(v);
      if (scale < a) {
        ssq = 1 + ssq * (scale / a) * (scale / a);
        scale = a;
      } else {
        ssq += (a / scale) * (a / scale);
      }
    }
  }
  return scale * Math.sqrt(ssq);
}

/** The index of the first non-finite entry, or -1. */
export function firstNonFinite(d: Float64Array): number {
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) return i;
  return -1;
}

/**
 * Checks the clock of a budget now (Budget.tick reads it only every 256 calls,
 * too rarely for loops whose steps are each O(n²)).
 */
export function checkTime(budget: Budget | undefined): void {
  if (budget !== undefined && budget.expired()) throw new BudgetExceeded(budget.stage, 'time');
}
