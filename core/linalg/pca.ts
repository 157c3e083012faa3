/**
 * PCA of a data matrix whose rows are samples and columns are features, and the
 * low-rank approximations of a matrix (Eckart–Young).
 *
 * PCA centres the columns and takes the SVD of the centred data X = U Σ Vᵀ:
 * explained variance_i = σ_i² / (m − 1) (scikit-learn's and np.cov's ddof = 1),
 * the ratio is that over the total variance, and the principal axes are the rows
 * of Vᵀ, each scaled so its largest-magnitude entry is positive.
 */
import type { Budget } from '../budget';
import { svd, type SVD } from './decompose';
import type { Mat } from './matrix';

export interface Pca {
  mean: number[];
  explainedVariance: number[];
  explainedVarianceRatio: number[];
  /** Row i is the i-th principal axis (unit length, in feature space). */
  components: number[][];
  /** Total variance (sum over features, ddof = 1). */
  totalVariance: number;
}

export function pca(x: Mat, budget?: Budget): Pca | null {
  const { rows: m, cols: n, data } = x;
  if (m < 2 || n < 1) return null;
  const mean = new Float64Array(n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) mean[j] = mean[j]! + data[i * n + j]!;
  for (let j = 0; j < n; j++) mean[j] = mean[j]! / m;
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[i * n + j] = data[i * n + j]! - mean[j]!;
  let total = 0;
  for (let i = 0; i < c.length; i++) total += c[i]! * c[i]!;
  total /= m - 1;
  const f = svd({ rows: m, cols: n, data: c }, budget);
  const k = f.s.length;
  const ev: number[] = [];
  const ratio: number[] = [];
  const components: number[][] = [];
  for (let i = 0; i < k; i++) {
    const v = (f.s[i]! * f.s[i]!) / (m - 1);
    ev.push(v);
    ratio.push(total > 0 ? v / total : 0);
    const row: number[] = [];
    for (let j = 0; j < n; j++) row.push(f.V.data[j * k + i]!);
    components.push(row);
  }
  return { mean: Array.from(mean), explainedVariance: ev, explainedVarianceRatio: ratio, components, totalVariance: total };
}

export interface LowRank {
  rank: number;
  /** ‖A − A_k‖₂ = σ_{k+1}. */
  errorTwo: number;
  /** ‖A − A_k‖_F = √(Σ_{i>k} σ_i²). */
  errorFro: number;
  /** errorFro / ‖A‖_F. */
  relativeErrorFro: number;
  /** A_k itself when it is small enough to show. */
  matrix?: number[][];
}

/** The best rank-k approximations for k = 1 … min(rank, maxK) with their errors. */
export function lowRank(f: SVD, rank: number, maxK = 8, maxEntries = 4096): LowRank[] {
  const s = f.s;
  const m = f.U.rows;
  const n = f.V.rows;
  const k = s.length;
  // tail[i] = Σ_{j ≥ i} σ_j², summed from the small end.
  const tail = new Float64Array(k + 1);
  for (let i = k - 1; i >= 0; i--) tail[i] = tail[i + 1]! + s[i]! * s[i]!;
  const fro = Math.sqrt(tail[0]!);
  const out: LowRank[] = [];
  for (let r = 1; r <= Math.min(rank, maxK); r++) {
    const errFro = Math.sqrt(tail[r]!);
    const item: LowRank = { rank: r, errorTwo: r < k ? s[r]! : 0, errorFro: errFro, relativeErrorFro: fro > 0 ? errFro / fro : 0 };
    if (m * n <= maxEntries) {
      const rows: number[][] = [];
      for (let i = 0; i < m; i++) {
        const row: number[] = [];
        for (let j = 0; j < n; j++) {
          let acc = 0;
          for (let p = 0; p < r; p++) acc += f.U.data[i * k + p]! * s[p]! * f.V.data[j * k + p]!;
          row.push(acc);
        }
        rows.push(row);
      }
      item.matrix = rows;
    }
    out.push(item);
  }
  return out;
}
