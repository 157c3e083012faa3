/**
 * Scalar properties of a matrix, each defined as NumPy defines it:
 *
 * - norms: `fro` = ‖A‖_F, `one` = max column sum of |a|, `inf` = max row sum,
 *   `two` = σ_max (np.linalg.norm(A, 'fro' | 1 | inf | 2));
 * - cond = σ_max / σ_min (np.linalg.cond(A), also for non-square matrices; Infinity
 *   when σ_min = 0);
 * - rank: singular values above σ_max · max(m, n) · eps (np.linalg.matrix_rank).
 *
 * The boolean properties use tolerances relative to the matrix's scale
 * (s = max |a_ij|), so they do not depend on units:
 *
 * - symmetric: square and |a_ij − a_ji| ≤ 1e-12 · s;
 * - diagonal / upperTriangular / lowerTriangular: the entries that must vanish are
 *   ≤ 1e-12 · s (any shape, as NumPy's triu/tril see it);
 * - orthogonal: square and ‖AᵀA − I‖_max ≤ 1e-10;
 * - positiveDefinite: symmetric and the smallest eigenvalue is above
 *   n · eps · λ_max (the rank tolerance), i.e. numerically full-rank with a positive spectrum.
 */
import type { Mat } from './matrix';
import { frobenius, maxAbs, mulAtB } from './matrix';

export const STRUCTURE_TOL = 1e-12;
export const ORTHOGONAL_TOL = 1e-10;

export interface Norms {
  fro: number;
  one: number;
  two: number | null;
  inf: number;
}

export function cheapNorms(a: Mat): Omit<Norms, 'two'> {
  const { rows: m, cols: n, data } = a;
  const col = new Float64Array(n);
  let inf = 0;
  for (let i = 0; i < m; i++) {
    let r = 0;
    for (let j = 0; j < n; j++) {
      const v = Math.abs(data[i * n + j]!);
      r += v;
      col[j] = col[j]! + v;
    }
    if (r > inf) inf = r;
  }
  let one = 0;
  for (let j = 0; j < n; j++) if (col[j]! > one) one = col[j]!;
  return { fro: frobenius(a), one, inf };
}

export function trace(a: Mat): number | null {
  if (a.rows !== a.cols) return null;
  let t = 0;
  for (let i = 0; i < a.rows; i++) t += a.data[i * a.cols + i]!;
  return t;
}

export interface Structure {
  square: boolean;
  symmetric: boolean;
  diagonal: boolean;
  upperTriangular: boolean;
  lowerTriangular: boolean;
  triangular: boolean;
}

/** O(mn) structural checks. */
export function structure(a: Mat): Structure {
  const { rows: m, cols: n, data } = a;
  const tol = STRUCTURE_TOL * maxAbs(a);
  let upper = true;
  let lower = true;
  let symmetric = m === n;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const v = Math.abs(data[i * n + j]!);
      if (j < i && v > tol) upper = false;
      if (j > i && v > tol) lower = false;
      if (symmetric && j > i && Math.abs(data[i * n + j]! - data[j * n + i]!) > tol) symmetric = false;
    }
  }
  return { square: m === n, symmetric, diagonal: upper && lower, upperTriangular: upper, lowerTriangular: lower, triangular: upper || lower };
}

export function isOrthogonal(a: Mat): boolean {
  if (a.rows !== a.cols || a.rows === 0) return false;
  const g = mulAtB(a, a);
  const n = a.rows;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (Math.abs(g.data[i * n + j]! - (i === j ? 1 : 0)) > ORTHOGONAL_TOL) return false;
  return true;
}

export function isPositiveDefinite(symmetric: boolean, ascendingEigenvalues: Float64Array | null): boolean {
  if (!symmetric || !ascendingEigenvalues || ascendingEigenvalues.length === 0) return false;
  const n = ascendingEigenvalues.length;
  const top = ascendingEigenvalues[n - 1]!;
  return top > 0 && ascendingEigenvalues[0]! > n * 2 ** -52 * top;
}
