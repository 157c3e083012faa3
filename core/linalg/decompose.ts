/**
 * The decompositions, as matrices. Conventions (all documented in README.md):
 *
 * - LU: P A = L U with partial pivoting; `perm[i]` is the row of A that is row i of
 *   P A; L is m×k unit lower triangular, U is k×n upper triangular (k = min(m, n)).
 * - QR: A = Q R, Householder; Q is m×k with orthonormal columns, R is k×n upper
 *   triangular with a non-negative diagonal.
 * - Cholesky: A = L Lᵀ, L lower triangular with a positive diagonal.
 * - eigh: A = V diag(w) Vᵀ, w ascending (NumPy's order), each column of V scaled so
 *   its largest-magnitude entry is positive.
 * - eig: A v = λ v; λ sorted by real part, then imaginary part; v of unit 2-norm.
 * - SVD: A = U diag(s) Vᵀ, economy size, s descending, each column of V with its
 *   largest-magnitude entry positive.
 * - pinv: V diag(1/s) Uᵀ over s > rcond · s_max (rcond = 1e-15, NumPy's default).
 *
 * Why our own code and not ml-matrix (measured by bench/linalg.mjs, see README.md):
 * ml-matrix's SVD and symmetric eigensolver are JAMA's (column-at-a-time loops over
 * a nested-array matrix); at 256×256 they are 20–25× slower than NumPy with one
 * thread, far from the 3× target. The paths in svd.ts and symmetric.ts use blocked
 * Householder back-transformations and O(n²) inverse iteration for the vectors.
 */
import type { Budget } from '../budget';
import { applyReflectorsRight, makeReflector } from './householder';
import { checkTime, type Mat, transpose } from './matrix';
import { generalEigen } from './nonsymmetric';
import { svdDecompose } from './svd';
import { symmetricEigen } from './symmetric';

const EPS = 2 ** -52;

const ticker = (budget?: Budget): (() => void) | undefined => (budget ? () => checkTime(budget) : undefined);

export interface LU {
  L: Mat;
  U: Mat;
  /** Row i of P·A is row perm[i] of A. */
  perm: Int32Array;
  /** +1 or −1: the sign of the permutation. */
  sign: number;
}

export function lu(a: Mat, budget?: Budget): LU {
  const { rows: m, cols: n } = a;
  const k = Math.min(m, n);
  const w = a.data.slice();
  const perm = new Int32Array(m);
  for (let i = 0; i < m; i++) perm[i] = i;
  let sign = 1;
  for (let j = 0; j < k; j++) {
    if (budget) checkTime(budget);
    let p = j;
    let best = Math.abs(w[j * n + j]!);
    for (let i = j + 1; i < m; i++) {
      const v = Math.abs(w[i * n + j]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (p !== j) {
      const rp = p * n;
      const rj = j * n;
      for (let c = 0; c < n; c++) {
        const t = w[rp + c]!;
        w[rp + c] = w[rj + c]!;
        w[rj + c] = t;
      }
      const t = perm[p]!;
      perm[p] = perm[j]!;
      perm[j] = t;
      sign = -sign;
    }
    const piv = w[j * n + j]!;
    if (piv === 0) continue;
    const rj = j * n;
    for (let i = j + 1; i < m; i++) {
      const ri = i * n;
      const f = w[ri + j]! / piv;
      w[ri + j] = f;
      if (f === 0) continue;
      for (let c = j + 1; c < n; c++) w[ri + c] = w[ri + c]! - f * w[rj + c]!;
    }
  }
  const L = new Float64Array(m * k);
  const U = new Float64Array(k * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < Math.min(i, k); j++) L[i * k + j] = w[i * n + j]!;
    if (i < k) L[i * k + i] = 1;
  }
  for (let i = 0; i < k; i++) for (let j = i; j < n; j++) U[i * n + j] = w[i * n + j]!;
  return { L: { rows: m, cols: k, data: L }, U: { rows: k, cols: n, data: U }, perm, sign };
}

/** Determinant by LU (square only). */
export function det(a: Mat, budget?: Budget): number {
  if (a.rows !== a.cols) throw new RangeError('det needs a square matrix');
  const n = a.rows;
  if (n === 0) return 1;
  const f = lu(a, budget);
  let d = f.sign;
  for (let i = 0; i < n; i++) d *= f.U.data[i * n + i]!;
  return d;
}

export interface QR {
  Q: Mat;
  R: Mat;
}

export function qr(a: Mat, budget?: Budget): QR {
  const { rows: m, cols: n } = a;
  const k = Math.min(m, n);
  const w = a.data.slice();
  const vt = new Float64Array(Math.max(1, k) * m);
  const tau = new Float64Array(Math.max(1, k));
  const start = new Int32Array(Math.max(1, k));
  const f = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    if (budget) checkTime(budget);
    const t = makeReflector(w, j * n + j, m - j, n);
    tau[j] = t;
    start[j] = j;
    vt[j * m + j] = 1;
    for (let i = j + 1; i < m; i++) vt[j * m + i] = w[i * n + j]!;
    if (t === 0) continue;
    f.fill(0, j + 1, n);
    for (let i = j; i < m; i++) {
      const vi = vt[j * m + i]!;
      const r = i * n;
      for (let c = j + 1; c < n; c++) f[c] = f[c]! + vi * w[r + c]!;
    }
    for (let i = j; i < m; i++) {
      const vi = t * vt[j * m + i]!;
      const r = i * n;
      for (let c = j + 1; c < n; c++) w[r + c] = w[r + c]! - vi * f[c]!;
    }
  }
  // Qᵀ (k × m) = Eᵀ H_{k−1} ⋯ H_0.
  const qt = new Float64Array(k * m);
  for (let i = 0; i < k; i++) qt[i * m + i] = 1;
  applyReflectorsRight(qt, k, m, vt, tau, start, k, ticker(budget));
  const R = new Float64Array(k * n);
  for (let i = 0; i < k; i++) {
    const neg = w[i * n + i]! < 0;
    for (let j = i; j < n; j++) R[i * n + j] = neg ? -w[i * n + j]! : w[i * n + j]!;
    if (neg) for (let c = 0; c < m; c++) qt[i * m + c] = -qt[i * m + c]!;
  }
  return { Q: transpose({ rows: k, cols: m, data: qt }), R: { rows: k, cols: n, data: R } };
}

export type Cholesky = { ok: true; L: Mat } | { ok: false; /** The pivot that was not positive. */ index: number };

export function cholesky(a: Mat, budget?: Budget): Cholesky {
  const n = a.rows;
  if (a.cols !== n) throw new RangeError('cholesky needs a square matrix');
  const A = a.data;
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    if (budget && (i & 7) === 0) checkTime(budget);
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = A[ri + j]!;
      for (let p = 0; p < j; p++) s -= L[ri + p]! * L[rj + p]!;
      if (i === j) {
        if (!(s > 0)) return { ok: false, index: i };
        L[ri + i] = Math.sqrt(s);
      } else L[ri + j] = s / L[rj + j]!;
    }
  }
  return { ok: true, L: { rows: n, cols: n, data: L } };
}

function signFixRows(rows: Float64Array, count: number, len: number): void {
  for (let i = 0; i < count; i++) {
    let best = 0;
    let at = 0;
    for (let j = 0; j < len; j++) {
      const x = Math.abs(rows[i * len + j]!);
      if (x > best * (1 + 1e-12)) {
        best = x;
        at = j;
      }
    }
    if (rows[i * len + at]! < 0) for (let j = 0; j < len; j++) rows[i * len + j] = -rows[i * len + j]!;
  }
}

export interface Eigh {
  /** Ascending. */
  values: Float64Array;
  /** Columns are the eigenvectors. */
  vectors: Mat;
}

/** Symmetric eigen-decomposition (only the lower triangle of `a` is read). */
export function eigh(a: Mat, budget?: Budget): Eigh {
  const n = a.rows;
  if (a.cols !== n) throw new RangeError('eigh needs a square matrix');
  const r = symmetricEigen(a.data, n, true, ticker(budget));
  signFixRows(r.vectorRows, n, n);
  return { values: r.values, vectors: transpose({ rows: n, cols: n, data: r.vectorRows }) };
}

export function eigvalsh(a: Mat, budget?: Budget): Float64Array {
  if (a.cols !== a.rows) throw new RangeError('eigvalsh needs a square matrix');
  return symmetricEigen(a.data, a.rows, false, ticker(budget)).values;
}

export interface Eig {
  re: Float64Array;
  im: Float64Array;
  /** Columns are the eigenvectors (real and imaginary parts). */
  vectorsRe: Mat;
  vectorsIm: Mat;
  /** Sorted indices whose eigenvector could not be computed (its column is zero): defective or nearly defective matrices. */
  missingVectors: number[];
}

/** Sorting order of the contract: real part, then imaginary part. */
export function eigenOrder(re: Float64Array, im: Float64Array): number[] {
  return Array.from({ length: re.length }, (_, i) => i).sort((i, j) => re[i]! - re[j]! || im[i]! - im[j]! || i - j);
}

export function eig(a: Mat, budget?: Budget): Eig {
  const n = a.rows;
  if (a.cols !== n) throw new RangeError('eig needs a square matrix');
  const g = generalEigen(a.data, n, ticker(budget));
  const order = eigenOrder(g.re, g.im);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const vr = new Float64Array(n * n);
  const vi = new Float64Array(n * n);
  order.forEach((src, dst) => {
    re[dst] = g.re[src]!;
    im[dst] = g.im[src]!;
    vr.set(g.vre.subarray(src * n, src * n + n), dst * n);
    vi.set(g.vim.subarray(src * n, src * n + n), dst * n);
  });
  const missingVectors = order.map((src, dst) => (g.lost.includes(src) ? dst : -1)).filter((j) => j >= 0);
  return { re, im, vectorsRe: transpose({ rows: n, cols: n, data: vr }), vectorsIm: transpose({ rows: n, cols: n, data: vi }), missingVectors };
}

export interface SVD {
  U: Mat;
  s: Float64Array;
  V: Mat;
}

export function svd(a: Mat, budget?: Budget): SVD {
  const r = svdDecompose(a.data, a.rows, a.cols, true, ticker(budget));
  return { U: transpose({ rows: r.k, cols: a.rows, data: r.ut }), s: r.s, V: transpose({ rows: r.k, cols: a.cols, data: r.vt }) };
}

export function singularValues(a: Mat, budget?: Budget): Float64Array {
  return svdDecompose(a.data, a.rows, a.cols, false, ticker(budget)).s;
}

/** Moore–Penrose pseudo-inverse (n×m) from an SVD of the m×n matrix. */
export function pinvFromSvd(f: SVD, rcond = 1e-15): Mat {
  const m = f.U.rows;
  const n = f.V.rows;
  const k = f.s.length;
  const cutoff = rcond * (f.s[0] ?? 0);
  // X = V · diag(1/s) · Uᵀ, as rows: X[i][j] = Σ_p V[i][p] / s_p · U[j][p].
  const vs = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let p = 0; p < k; p++) {
    const s = f.s[p]!;
    vs[i * k + p] = s > cutoff ? f.V.data[i * k + p]! / s : 0;
  }
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
    let acc = 0;
    for (let p = 0; p < k; p++) acc += vs[i * k + p]! * f.U.data[j * k + p]!;
    out[i * m + j] = acc;
  }
  return { rows: n, cols: m, data: out };
}

export function pinv(a: Mat, rcond = 1e-15, budget?: Budget): Mat {
  return pinvFromSvd(svd(a, budget), rcond);
}

/** NumPy's matrix_rank tolerance: s_max · max(m, n) · eps. */
export function rankFromSingularValues(s: Float64Array, m: number, n: number): number {
  const tol = (s[0] ?? 0) * Math.max(m, n) * EPS;
  let r = 0;
  for (let i = 0; i < s.length; i++) if (s[i]! > tol) r++;
  return r;
}
