/**
 * What the matrix panel and the .npy viewer show, computed in the extension host: the webview only
 * draws (see MatrixPanelData in core/protocol.ts).
 *
 * `matrixPanelData(input, options)` loads the input (selected text, or the bytes of a .npy/.npz
 * file), picks the 2-D slice, and assembles: the heatmap grid (block means, so a 4096×4096 array
 * is a 256×256 grid), whole-array statistics for files (NaN and ±inf counted, not fatal), the
 * analysis of `analyzeMatrix` (properties, spectra, decompositions, PCA, low rank) turned into
 * LaTeX blocks and bar charts, the geometry of 2×2/3×3 maps and a PCA scatter for data matrices.
 * Never throws.
 */
import type { DecompositionView, HeatmapData, MatrixPanelData, MatrixSource } from './view';
import { analyzeMatrix, type MatrixAnalysisOk, type MatrixError } from './index';
import { isNpy, isZip, type NdArray, parseNpy, parseNpz } from './npy';
import { parseMatrixText } from './parse';

export interface PresentOptions {
  title: string;
  source: MatrixSource;
  /** N-D input: the leading indices of the slice to show (default zeros). */
  slice?: number[];
  /** .npz: the array to show (default the first). */
  arrayName?: string;
  budgetMs?: number;
  /** Largest side of the heatmap grid (default 256). */
  maxGrid?: number;
}

export type PresentResult = { ok: true; data: MatrixPanelData } | { ok: false; error: MatrixError };

interface Loaded {
  shape: number[];
  data: Float64Array;
  format: string;
  notes: string[];
  file?: { dtype: string; fortranOrder: boolean; arrays?: string[]; array?: string };
}

/** Shown as text in LaTeX: at most this many rows and columns before eliding with ⋯. */
const LATEX_MAX = 8;
/** NumPy code is offered up to this many entries. */
const NUMPY_MAX = 10_000;
/** PCA scatter points (evenly subsampled beyond). */
const SCATTER_MAX = 2000;

function load(input: string | Uint8Array, options: PresentOptions): Loaded | { error: MatrixError } {
  if (typeof input === 'string') {
    const r = parseMatrixText(input);
    if (!r.ok) return { error: { ...r.error, kind: 'parse' } };
    return { shape: r.value.shape, data: r.value.data, format: r.value.format, notes: [...r.value.notes] };
  }
  const fromNd = (v: NdArray, format: string, extra: { arrays?: string[]; array?: string } = {}): Loaded => ({
    shape: v.shape,
    data: v.data,
    format,
    notes: [...v.notes],
    file: { dtype: v.dtype, fortranOrder: v.fortranOrder, ...extra },
  });
  if (isNpy(input)) {
    const r = parseNpy(input);
    return r.ok ? fromNd(r.value, 'npy') : { error: { ...r.error, kind: 'file' } };
  }
  if (isZip(input)) {
    const r = parseNpz(input);
    if (!r.ok) return { error: { ...r.error, kind: 'file' } };
    if (r.arrays.length === 0) return { error: { message: 'the .npz archive holds no arrays', kind: 'file' } };
    const names = r.arrays.map((a) => a.name);
    const pick = options.arrayName === undefined ? r.arrays[0]! : r.arrays.find((a) => a.name === options.arrayName);
    if (!pick) return { error: { message: `no array '${options.arrayName}' in the archive (it has ${names.join(', ')})`, kind: 'file' } };
    return fromNd(pick.value, 'npz', { arrays: names, array: pick.name });
  }
  return { error: { message: 'not a .npy or .npz file (the magic bytes are missing)', offset: 0, kind: 'file' } };
}

/** The 2-D slice shown: 0-D is 1×1, 1-D is a 1×n row, N-D picks its leading indices. */
function slice2d(a: Loaded, index: number[] | undefined): { m: number; n: number; data: Float64Array; index?: number[] } | { error: MatrixError } {
  const s = a.shape;
  if (s.length === 0) return { m: 1, n: 1, data: a.data };
  if (s.length === 1) return { m: 1, n: s[0]!, data: a.data };
  const m = s[s.length - 2]!;
  const n = s[s.length - 1]!;
  if (s.length === 2) return { m, n, data: a.data };
  const lead = s.slice(0, -2);
  const idx = index ?? lead.map(() => 0);
  if (idx.length !== lead.length || idx.some((v, i) => !Number.isInteger(v) || v < 0 || v >= lead[i]!)) {
    return { error: { message: `slice [${idx.join(', ')}] is outside the leading dimensions (${lead.join(', ')})`, kind: 'value' } };
  }
  let k = 0;
  for (let i = 0; i < lead.length; i++) k = k * lead[i]! + idx[i]!;
  return { m, n, data: a.data.subarray(k * m * n, (k + 1) * m * n), index: idx };
}

/** Whole-array statistics over the finite entries (NaN and ±inf are counted apart), std with ddof = 0 as np.std. */
export function arrayStats(data: Float64Array): NonNullable<MatrixPanelData['file']>['stats'] {
  // Sums shifted by the first finite entry (so a large common offset does not cancel), one pass.
  let nan = 0;
  let inf = 0;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  let shift = NaN;
  let s1 = 0;
  let s2 = 0;
  const n = data.length;
  for (let i = 0; i < n; i++) {
    const x = data[i]!;
    if (x - x !== 0) {
      // NaN or ±inf
      if (x !== x) nan++;
      else inf++;
      continue;
    }
    if (count === 0) shift = x;
    count++;
    if (x < min) min = x;
    if (x > max) max = x;
    const d = x - shift;
    s1 += d;
    s2 += d * d;
  }
  const mean = count ? shift + s1 / count : null;
  const variance = count ? Math.max(0, (s2 - (s1 * s1) / count) / count) : null;
  return { count: n, nanCount: nan, infCount: inf, min: count ? min : null, max: count ? max : null, mean, std: variance === null ? null : Math.sqrt(variance) };
}

/** The heatmap grid: the matrix itself up to maxGrid per side, else block means (non-finite entries skipped). */
export function heatmapGrid(m: number, n: number, data: Float64Array, maxGrid = 256): HeatmapData {
  const br = Math.max(1, Math.ceil(m / maxGrid));
  const bc = Math.max(1, Math.ceil(n / maxGrid));
  const rows = Math.ceil(m / br);
  const cols = Math.ceil(n / bc);
  const sum = new Float64Array(rows * cols);
  const cnt = new Int32Array(rows * cols);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < m; i++) {
    const gi = Math.floor(i / br) * cols;
    const base = i * n;
    for (let gj = 0; gj < cols; gj++) {
      const j1 = Math.min(n, (gj + 1) * bc);
      let s = 0;
      let k = 0;
      for (let j = gj * bc; j < j1; j++) {
        const x = data[base + j]!;
        if (x - x !== 0) continue; // NaN, ±inf
        if (x < min) min = x;
        if (x > max) max = x;
        s += x;
        k++;
      }
      sum[gi + gj] = sum[gi + gj]! + s;
      cnt[gi + gj] = cnt[gi + gj]! + k;
    }
  }
  const values: (number | null)[] = new Array(rows * cols);
  for (let g = 0; g < rows * cols; g++) values[g] = cnt[g] ? round6(sum[g]! / cnt[g]!) : null;
  if (min === Infinity) {
    min = 0;
    max = 0;
  }
  return { rows, cols, values, blockRows: br, blockCols: bc, srcRows: m, srcCols: n, min, max, absMax: Math.max(Math.abs(min), Math.abs(max)) };
}

/** Six significant digits: enough for colours and readouts, a third of the JSON. */
function round6(x: number): number {
  return x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(6));
}

// ---------------------------------------------------------------- LaTeX

/** A number for LaTeX: integers as they are, else 4 significant digits; 1.2 \times 10^{-5} for tiny or huge values. */
export function latexNumber(x: number): string {
  if (Number.isNaN(x)) return '\\text{NaN}';
  if (!Number.isFinite(x)) return x > 0 ? '\\infty' : '-\\infty';
  const ax = Math.abs(x);
  if (ax < 1e-12) return '0';
  if (Number.isInteger(x) && ax < 1e6) return String(x);
  if (ax >= 1e-3 && ax < 1e5) return String(Number(x.toPrecision(4)));
  const [mant, exp] = x.toExponential(3).split('e');
  return `${Number(mant)} \\times 10^{${Number(exp)}}`;
}

/** A matrix as a bmatrix, elided with ⋯ ⋮ ⋱ beyond LATEX_MAX rows or columns (first and last entries kept). */
export function latexMatrix(rows: number, cols: number, at: (i: number, j: number) => number, env = 'bmatrix'): string {
  const pick = (k: number): (number | null)[] => (k <= LATEX_MAX ? Array.from({ length: k }, (_, i) => i) : [0, 1, 2, 3, 4, 5, null, k - 1]);
  const ri = pick(rows);
  const ci = pick(cols);
  const lines = ri.map((i) =>
    ci
      .map((j) => {
        if (i === null && j === null) return '\\ddots';
        if (i === null) return '\\vdots';
        if (j === null) return '\\cdots';
        return latexNumber(at(i, j));
      })
      .join(' & '),
  );
  return `\\begin{${env}} ${lines.join(' \\\\ ')} \\end{${env}}`;
}

function latexRows(a: number[][]): string {
  return latexMatrix(a.length, a[0]?.length ?? 0, (i, j) => a[i]![j]!);
}

function latexDiag(v: number[], rows = v.length, cols = v.length): string {
  return latexMatrix(rows, cols, (i, j) => (i === j ? v[i] ?? 0 : 0));
}

function complexLatex(re: number, im: number): string {
  if (Math.abs(im) < 1e-12) return latexNumber(re);
  const r = Math.abs(re) < 1e-12 ? '' : latexNumber(re);
  const sign = im < 0 ? '-' : r ? '+' : '';
  const mag = Math.abs(im);
  return `${r} ${sign} ${mag === 1 ? '' : latexNumber(mag)}\\,i`.trim();
}

/** NumPy code for the matrix with exact values (shortest round-trip decimals). */
export function numpyCode(m: number, n: number, data: ArrayLike<number>, oneD: boolean): string | null {
  if (m * n > NUMPY_MAX) return null;
  const num = (x: number): string => (Number.isNaN(x) ? 'np.nan' : !Number.isFinite(x) ? (x > 0 ? 'np.inf' : '-np.inf') : Object.is(x, -0) ? '-0.0' : String(x));
  const row = (i: number): string => `[${Array.from({ length: n }, (_, j) => num(data[i * n + j]!)).join(', ')}]`;
  if (oneD) return `np.array(${row(0)})`;
  return `np.array([\n    ${Array.from({ length: m }, (_, i) => row(i)).join(',\n    ')},\n])`;
}

// ---------------------------------------------------------------- the panel

function yes(b: boolean): string {
  return b ? 'yes' : 'no';
}

function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : Number.isNaN(x) ? 'NaN' : '−∞';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const ax = Math.abs(x);
  return ax !== 0 && (ax < 1e-4 || ax >= 1e6) ? x.toExponential(4) : String(Number(x.toPrecision(6)));
}

function propertiesOf(a: MatrixAnalysisOk): MatrixPanelData['properties'] {
  const p = a.properties;
  const out: MatrixPanelData['properties'] = [
    { label: 'shape', value: `${a.shape[0]} × ${a.shape[1]}` },
    { label: 'rank', value: fmt(a.rank), hint: 'number of singular values above max(m, n)·ε·σ₁ (as np.linalg.matrix_rank)' },
    { label: 'trace', value: fmt(a.trace) },
    { label: 'determinant', value: fmt(a.det) },
    { label: 'Frobenius norm', value: fmt(a.norms.fro) },
    { label: '1-norm (max column sum)', value: fmt(a.norms.one) },
    { label: '2-norm (largest singular value)', value: fmt(a.norms.two) },
    { label: '∞-norm (max row sum)', value: fmt(a.norms.inf) },
    { label: 'condition number (2-norm)', value: fmt(a.cond) },
    { label: 'symmetric', value: yes(p.symmetric) },
    { label: 'orthogonal', value: yes(p.orthogonal), hint: 'AᵀA = I' },
    { label: 'positive definite', value: yes(p.positiveDefinite), hint: p.symmetric ? 'all eigenvalues > 0' : 'only symmetric matrices are called positive definite here' },
    { label: 'diagonal', value: yes(p.diagonal) },
    { label: 'triangular', value: p.upperTriangular && p.lowerTriangular ? 'upper and lower' : p.upperTriangular ? 'upper' : p.lowerTriangular ? 'lower' : 'no' },
  ];
  return out;
}

function decompositionViews(a: MatrixAnalysisOk): DecompositionView[] {
  const d = a.decompositions;
  const [m, n] = a.shape;
  const views: DecompositionView[] = [];
  const tooLarge = 'not computed for a matrix this large (see the notes)';
  // SVD
  {
    const v: DecompositionView = { key: 'svd', label: 'SVD', blocks: [] };
    if (d?.svd) {
      v.blocks = [
        { title: 'A = U Σ Vᵀ', latex: `A = U\\Sigma V^{\\mathsf T} = ${latexRows(d.svd.U)}\\,${latexDiag(d.svd.s, d.svd.U[0]?.length ?? d.svd.s.length, d.svd.V[0]?.length ?? d.svd.s.length)}\\,${latexRows(transpose(d.svd.V))}` },
        { title: 'singular values', latex: `\\sigma = (${d.svd.s.map(latexNumber).join(',\\ ')})`, note: 'in descending order; U and V are orthogonal' },
      ];
    } else v.note = a.singularValues ? 'the factors are shown for matrices up to 64 × 64' : tooLarge;
    if (a.singularValues) v.bars = { label: 'singular values σᵢ', values: a.singularValues };
    if (!v.blocks.length && a.singularValues) v.blocks = [{ title: 'singular values', latex: `\\sigma = (${a.singularValues.slice(0, 12).map(latexNumber).join(',\\ ')}${a.singularValues.length > 12 ? ',\\ \\dots' : ''})` }];
    views.push(v);
  }
  // Eigen
  {
    const v: DecompositionView = { key: 'eigen', label: 'Eigen', blocks: [] };
    if (m !== n) v.note = 'eigenvalues exist for square matrices only';
    else if (a.eigenvalues) {
      const ev = a.eigenvalues;
      v.blocks.push({ title: 'eigenvalues', latex: `\\lambda = ${ev.length > 12 ? `(${ev.slice(0, 12).map((z) => complexLatex(z.re, z.im)).join(',\\ ')},\\ \\dots)` : `(${ev.map((z) => complexLatex(z.re, z.im)).join(',\\ ')})`}`, note: 'sorted by real part, then imaginary part' });
      v.bars = { label: 'eigenvalue moduli |λᵢ|', values: ev.map((z) => Math.hypot(z.re, z.im)) };
      const e = d?.eigen;
      if (e && e.symmetric) {
        const Q = transpose(e.vectors.map((x) => x.re));
        v.blocks.unshift({ title: 'A = Q Λ Qᵀ (symmetric: orthogonal eigenvectors)', latex: `A = Q\\Lambda Q^{\\mathsf T} = ${latexRows(Q)}\\,${latexDiag(ev.map((z) => z.re))}\\,${latexRows(transpose(Q))}` });
      } else if (e && e.vectors.every((x) => x.im.every((y) => Math.abs(y) < 1e-12)) && ev.every((z) => Math.abs(z.im) < 1e-12)) {
        const V = transpose(e.vectors.map((x) => x.re));
        v.blocks.unshift({ title: 'A V = V Λ', latex: `A = V\\Lambda V^{-1},\\quad V = ${latexRows(V)},\\ \\Lambda = ${latexDiag(ev.map((z) => z.re))}` });
      } else if (e) {
        v.blocks.push({ title: 'eigenvectors (complex)', latex: complexVectors(e.vectors.slice(0, 6)), note: e.vectors.length > 6 ? `the first 6 of ${e.vectors.length}` : undefined });
      }
    } else v.note = tooLarge;
    views.push(v);
  }
  // LU
  {
    const v: DecompositionView = { key: 'lu', label: 'LU', blocks: [] };
    if (d?.lu) {
      const P = d.lu.P;
      const Pm = latexMatrix(P.length, P.length, (i, j) => (P[i] === j ? 1 : 0));
      v.blocks.push({ title: 'P A = L U (partial pivoting)', latex: `PA = LU,\\quad P = ${Pm},\\ L = ${latexRows(d.lu.L)},\\ U = ${latexRows(d.lu.U)}`, note: `row i of PA is row perm[i] of A: perm = (${P.join(', ')})` });
    } else v.note = a.singularValues ? 'the factors are shown for matrices up to 64 × 64' : tooLarge;
    views.push(v);
  }
  // QR
  {
    const v: DecompositionView = { key: 'qr', label: 'QR', blocks: [] };
    if (d?.qr) v.blocks.push({ title: 'A = Q R', latex: `A = QR,\\quad Q = ${latexRows(d.qr.Q)},\\ R = ${latexRows(d.qr.R)}`, note: 'Q has orthonormal columns, R is upper triangular' });
    else v.note = a.singularValues ? 'the factors are shown for matrices up to 64 × 64' : tooLarge;
    views.push(v);
  }
  // Cholesky
  {
    const v: DecompositionView = { key: 'cholesky', label: 'Cholesky', blocks: [] };
    const c = d?.cholesky;
    if (!a.properties.symmetric) v.note = 'Cholesky needs a symmetric positive definite matrix; this one is not symmetric';
    else if (c && 'L' in c) v.blocks.push({ title: 'A = L Lᵀ', latex: `A = LL^{\\mathsf T},\\quad L = ${latexRows(c.L)}` });
    else if (c && 'failedAt' in c) v.note = `not positive definite: the pivot of row ${c.failedAt + 1} is not positive`;
    else v.note = tooLarge;
    views.push(v);
  }
  // Pseudo-inverse
  {
    const v: DecompositionView = { key: 'pinv', label: 'Pseudo-inverse', blocks: [] };
    if (d?.pinv) v.blocks.push({ title: 'A⁺ = V Σ⁺ Uᵀ', latex: `A^{+} = V\\Sigma^{+}U^{\\mathsf T} = ${latexRows(d.pinv)}`, note: 'singular values below the rank tolerance are treated as 0 (as np.linalg.pinv)' });
    else v.note = a.singularValues ? 'shown for matrices up to 64 × 64' : tooLarge;
    views.push(v);
  }
  // PCA
  {
    const v: DecompositionView = { key: 'pca', label: 'PCA', blocks: [] };
    const p = d?.pca;
    if (p) {
      v.blocks.push({
        title: 'explained variance',
        latex: `\\lambda = (${p.explainedVariance.slice(0, 10).map(latexNumber).join(',\\ ')}${p.explainedVariance.length > 10 ? ',\\ \\dots' : ''}),\\quad \\frac{\\lambda_i}{\\sum_j \\lambda_j} = (${p.explainedVarianceRatio.slice(0, 10).map((x) => latexNumber(x)).join(',\\ ')}${p.explainedVarianceRatio.length > 10 ? ',\\ \\dots' : ''})`,
        note: 'rows are samples, columns are features; the covariance uses n − 1',
      });
      if (p.components.length) v.blocks.push({ title: 'principal axes (rows)', latex: latexRows(p.components) });
      v.bars = { label: 'explained variance ratio', values: p.explainedVarianceRatio, names: p.explainedVarianceRatio.map((_, i) => `PC${i + 1}`) };
    } else v.note = m < 2 ? 'PCA needs at least two samples (rows)' : tooLarge;
    views.push(v);
  }
  // Low rank
  {
    const v: DecompositionView = { key: 'lowRank', label: 'Low rank', blocks: [] };
    const lr = d?.lowRank;
    if (lr && lr.length) {
      v.blocks.push({
        title: 'best rank-k approximations (Eckart–Young)',
        latex: `A_k = \\sum_{i=1}^{k} \\sigma_i u_i v_i^{\\mathsf T},\\quad \\|A - A_k\\|_2 = \\sigma_{k+1},\\quad \\|A - A_k\\|_F = \\sqrt{\\textstyle\\sum_{i>k} \\sigma_i^2}`,
      });
      for (const r of lr.slice(0, 4)) {
        v.blocks.push({
          title: `k = ${r.rank}`,
          latex: `${r.matrix ? `A_{${r.rank}} = ${latexRows(r.matrix)},\\quad ` : ''}\\|A - A_{${r.rank}}\\|_2 = ${latexNumber(r.errorTwo)},\\ \\frac{\\|A - A_{${r.rank}}\\|_F}{\\|A\\|_F} = ${latexNumber(r.relativeErrorFro)}`,
        });
      }
      v.bars = { label: 'relative Frobenius error of A_k', values: lr.map((r) => r.relativeErrorFro), names: lr.map((r) => `k=${r.rank}`) };
    } else v.note = a.rank === 0 ? 'the zero matrix has no low-rank approximations' : tooLarge;
    views.push(v);
  }
  void n;
  return views;
}

function complexVectors(vs: { re: number[]; im: number[] }[]): string {
  return vs
    .map((x, k) => `v_{${k + 1}} = \\begin{pmatrix} ${x.re.slice(0, LATEX_MAX).map((re, i) => complexLatex(re, x.im[i]!)).join(' \\\\ ')} \\end{pmatrix}`)
    .join(',\\quad ');
}

function transpose(a: number[][]): number[][] {
  const r = a.length;
  const c = a[0]?.length ?? 0;
  return Array.from({ length: c }, (_, j) => Array.from({ length: r }, (_, i) => a[i]![j]!));
}

function geometryOf(a: MatrixAnalysisOk): MatrixPanelData['geometry'] {
  const [m, n] = a.shape;
  if (m !== n || (m !== 2 && m !== 3) || !a.matrix || a.det === null) return undefined;
  const eigenvectors: { value: number; vector: number[] }[] = [];
  const e = a.decompositions?.eigen;
  if (e) {
    e.values.forEach((z, k) => {
      const v = e.vectors[k];
      if (!v || Math.abs(z.im) > 1e-12 || v.im.some((y) => Math.abs(y) > 1e-12)) return;
      const len = Math.hypot(...v.re);
      if (len > 0) eigenvectors.push({ value: z.re, vector: v.re.map((x) => x / len) });
    });
  }
  return { matrix: a.matrix, eigenvectors, det: a.det };
}

function scatterOf(a: MatrixAnalysisOk, data: Float64Array): MatrixPanelData['scatter'] {
  const [m, n] = a.shape;
  const p = a.decompositions?.pca;
  if (!p || m < 3 || n < 2 || m <= n) return undefined;
  const step = Math.max(1, Math.ceil(m / SCATTER_MAX));
  const points: [number, number][] = [];
  const ev = p.explainedVariance;
  if (n === 2) {
    // the data itself, with the principal axes from the mean
    for (let i = 0; i < m; i += step) points.push([data[i * 2]!, data[i * 2 + 1]!]);
    const axes = p.components.slice(0, 2).map((c, k) => {
      const s = Math.sqrt(Math.max(0, ev[k] ?? 0));
      return { from: [p.mean[0]!, p.mean[1]!] as [number, number], to: [p.mean[0]! + s * c[0]!, p.mean[1]! + s * c[1]!] as [number, number], label: `PC${k + 1}` };
    });
    return { xLabel: 'column 1', yLabel: 'column 2', points, axes, ...(step > 1 ? { note: `every ${step}th of ${m} samples` } : {}) };
  }
  // the scores on the first two principal components
  const c1 = p.components[0]!;
  const c2 = p.components[1];
  if (!c2) return undefined;
  for (let i = 0; i < m; i += step) {
    let s1 = 0;
    let s2 = 0;
    for (let j = 0; j < n; j++) {
      const x = data[i * n + j]! - p.mean[j]!;
      s1 += x * c1[j]!;
      s2 += x * c2[j]!;
    }
    points.push([s1, s2]);
  }
  const s1 = Math.sqrt(Math.max(0, ev[0] ?? 0));
  const s2 = Math.sqrt(Math.max(0, ev[1] ?? 0));
  return {
    xLabel: `PC1 (${(100 * (p.explainedVarianceRatio[0] ?? 0)).toFixed(1)}%)`,
    yLabel: `PC2 (${(100 * (p.explainedVarianceRatio[1] ?? 0)).toFixed(1)}%)`,
    points,
    axes: [
      { from: [0, 0], to: [s1, 0], label: 'PC1' },
      { from: [0, 0], to: [0, s2], label: 'PC2' },
    ],
    ...(step > 1 ? { note: `every ${step}th of ${m} samples` } : {}),
  };
}

export function matrixPanelData(input: string | Uint8Array, options: PresentOptions): PresentResult {
  try {
    const loaded = load(input, options);
    if ('error' in loaded) return { ok: false, error: loaded.error };
    const s = slice2d(loaded, options.slice);
    if ('error' in s) return { ok: false, error: s.error };
    const { m, n, data } = s;
    if (m === 0 || n === 0) return { ok: false, error: { message: `the array is empty (shape (${loaded.shape.join(', ')}))`, kind: 'value' } };
    const notes = [...loaded.notes];
    const heatmap = heatmapGrid(m, n, data, options.maxGrid);
    if (heatmap.blockRows > 1 || heatmap.blockCols > 1) {
      notes.push(`the ${m} × ${n} matrix is drawn as a ${heatmap.rows} × ${heatmap.cols} grid of block means (${heatmap.blockRows} × ${heatmap.blockCols} entries per cell)`);
    }
    const out: MatrixPanelData = {
      title: options.title,
      source: options.source,
      shape: [m, n],
      inputShape: loaded.shape,
      format: loaded.format,
      properties: [],
      heatmap,
      latex: latexMatrix(m, n, (i, j) => data[i * n + j]!),
      numpy: numpyCode(m, n, data, loaded.shape.length === 1),
      decompositions: [],
      notes,
    };
    if (loaded.file) out.file = { ...loaded.file, shape: loaded.shape, stats: arrayStats(loaded.data) };
    if (s.index) out.slice = { shape: loaded.shape, index: s.index };
    const a = analyzeMatrix({ shape: [m, n], data }, { budgetMs: options.budgetMs ?? 2000 });
    if (!a.ok) {
      // e.g. NaN entries in a file: the heatmap and statistics still stand
      notes.push(`no properties or decompositions: ${a.error.message}`);
      out.properties = [{ label: 'shape', value: `${m} × ${n}` }];
      return { ok: true, data: out };
    }
    notes.push(...a.notes.filter((x) => !/analyzed as a|showing slice/.test(x)));
    out.properties = propertiesOf(a);
    out.decompositions = decompositionViews(a);
    const g = geometryOf(a);
    if (g) out.geometry = g;
    const sc = scatterOf(a, data);
    if (sc) out.scatter = sc;
    return { ok: true, data: out };
  } catch (e) {
    return { ok: false, error: { message: `internal error: ${e instanceof Error ? e.message : String(e)}`, kind: 'internal' } };
  }
}
