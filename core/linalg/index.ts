/**
 * `analyzeMatrix(input, options)`: the linear-algebra engine behind
 * "MathLens: Visualize Matrix" and `mathlens matrix`. Never throws.
 *
 * Input: the selected text (any format of parse.ts), the bytes of a .npy/.npz file,
 * or an array `{shape, data}`. N-D arrays are analyzed one 2-D slice at a time
 * (`options.slice` picks the leading indices; the first slice by default); a 1-D
 * array is analyzed as a 1×n row.
 *
 * Output: `toCliJson(result)` is the CLI contract (see README.md); the full result
 * adds the decompositions, PCA and low-rank approximations for the panel.
 */
import { Budget, BudgetExceeded } from '../budget';
import { cholesky, det, eig, eigh, type Eig, lu, pinvFromSvd, qr, rankFromSingularValues, singularValues, svd, type SVD } from './decompose';
import { firstNonFinite, type Mat, toRows } from './matrix';
import { isNpy, isZip, parseNpy, parseNpz } from './npy';
import { lowRank, type LowRank, pca, type Pca } from './pca';
import { DEFAULT_MAX_ELEMENTS, type InputFormat, parseMatrixText, type ParseOptions } from './parse';
import { cheapNorms, isOrthogonal, isPositiveDefinite, type Norms, structure, trace } from './properties';

export type { InputFormat } from './parse';
export { parseMatrixText } from './parse';
export { parseNpy, parseNpz } from './npy';

export interface AnalyzeOptions extends ParseOptions {
  /** Time budget in ms for the whole analysis (default 2000). */
  budgetMs?: number;
  /** Largest min(m, n)·max(m, n) for which rank, det, eigenvalues, SVD… are computed (default 512×512). */
  maxDecompositionEntries?: number;
  /** Compute the panel's decompositions (LU, QR, Cholesky, eigenvectors, SVD factors, pinv, PCA, low rank); default true. */
  decompositions?: boolean;
  /** Largest matrix (entries) whose factors are included as number[][] (default 64×64). */
  maxDisplayEntries?: number;
  /** For N-D input: the leading indices of the 2-D slice to analyze (default all zeros). */
  slice?: number[];
  /** For .npz input: the array to analyze (default the first). */
  arrayName?: string;
}

export type MatrixInput = string | Uint8Array | { shape: readonly number[]; data: ArrayLike<number> };

export interface Eigenvalue {
  re: number;
  im: number;
}

export interface MatrixProperties {
  square: boolean;
  symmetric: boolean;
  orthogonal: boolean;
  positiveDefinite: boolean;
  diagonal: boolean;
  upperTriangular: boolean;
  lowerTriangular: boolean;
  triangular: boolean;
}

export interface MatrixError {
  message: string;
  /** Offset in the text (UTF-16 units) or in the file (bytes). */
  offset?: number;
  length?: number;
  kind: 'parse' | 'file' | 'size' | 'budget' | 'value' | 'internal';
}

export interface Decompositions {
  lu?: { P: number[]; L: number[][]; U: number[][] };
  qr?: { Q: number[][]; R: number[][] };
  cholesky?: { L: number[][] } | { failedAt: number };
  eigen?: { values: Eigenvalue[]; vectors: { re: number[]; im: number[] }[]; symmetric: boolean };
  svd?: { U: number[][]; s: number[]; V: number[][] };
  pinv?: number[][];
  pca?: Pca;
  lowRank?: LowRank[];
}

export interface MatrixAnalysisOk {
  ok: true;
  /** The shape of the analyzed 2-D matrix. */
  shape: [number, number];
  /** The shape of the input (1-D, 2-D or N-D). */
  inputShape: number[];
  format: InputFormat;
  dtype?: string;
  /** For .npz input: the arrays in the archive. */
  arrays?: string[];
  /** Which slice of an N-D input is analyzed (its leading indices). */
  slice?: number[];
  rank: number | null;
  trace: number | null;
  det: number | null;
  norms: Norms;
  cond: number | null;
  eigenvalues: Eigenvalue[] | null;
  singularValues: number[] | null;
  properties: MatrixProperties;
  /** The matrix itself when it is small enough to show. */
  matrix?: number[][];
  decompositions?: Decompositions;
  notes: string[];
  ms: number;
}

export type MatrixAnalysis = MatrixAnalysisOk | { ok: false; error: MatrixError };

/** The `mathlens matrix --json` contract. */
export interface MatrixCliJson {
  ok: true;
  shape: [number, number];
  rank: number | null;
  trace: number | null;
  det: number | null;
  norms: Norms;
  cond: number | null;
  eigenvalues: Eigenvalue[] | null;
  singularValues: number[] | null;
  properties: MatrixProperties;
  notes?: string[];
}

export function toCliJson(a: MatrixAnalysis): MatrixCliJson | { ok: false; error: MatrixError } {
  if (!a.ok) return a;
  const out: MatrixCliJson = {
    ok: true,
    shape: a.shape,
    rank: a.rank,
    trace: a.trace,
    det: a.det,
    norms: a.norms,
    cond: a.cond,
    eigenvalues: a.eigenvalues,
    singularValues: a.singularValues,
    properties: a.properties,
  };
  if (a.notes.length) out.notes = a.notes;
  return out;
}

const DEFAULT_MAX_DECOMP = 512 * 512;
const DEFAULT_MAX_DISPLAY = 64 * 64;

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

export function analyzeMatrix(input: MatrixInput, options: AnalyzeOptions = {}): MatrixAnalysis {
  const started = now();
  try {
    return analyze(input, options, started);
  } catch (err) {
    if (err instanceof BudgetExceeded) {
      return { ok: false, error: { message: `${err.message} after ${Math.round(now() - started)} ms; the matrix is too large for the time budget (${options.budgetMs ?? 2000} ms)`, kind: 'budget' } };
    }
    return { ok: false, error: { message: `internal error: ${err instanceof Error ? err.message : String(err)}`, kind: 'internal' } };
  }
}

function analyze(input: MatrixInput, options: AnalyzeOptions, started: number): MatrixAnalysis {
  const notes: string[] = [];
  let shape: number[];
  let data: Float64Array;
  let format: InputFormat;
  let dtype: string | undefined;
  let arrays: string[] | undefined;
  if (typeof input === 'string') {
    const r = parseMatrixText(input, options);
    if (!r.ok) return { ok: false, error: { ...r.error, kind: 'parse' } };
    ({ shape, data, format } = r.value);
    notes.push(...r.value.notes);
  } else if (input instanceof Uint8Array) {
    const fileOptions = { maxElements: options.maxElements };
    if (isNpy(input)) {
      const r = parseNpy(input, fileOptions);
      if (!r.ok) return { ok: false, error: { ...r.error, kind: 'file' } };
      ({ shape, data, dtype } = r.value);
      format = 'npy';
      notes.push(...r.value.notes);
    } else if (isZip(input)) {
      const r = parseNpz(input, fileOptions);
      if (!r.ok) return { ok: false, error: { ...r.error, kind: 'file' } };
      arrays = r.arrays.map((a) => a.name);
      const pick = options.arrayName === undefined ? r.arrays[0]! : r.arrays.find((a) => a.name === options.arrayName);
      if (!pick) return { ok: false, error: { message: `no array '${options.arrayName}' in the archive (it has ${arrays.join(', ')})`, kind: 'file' } };
      ({ shape, data, dtype } = pick.value);
      format = 'npz';
      notes.push(...pick.value.notes);
      if (r.arrays.length > 1) notes.push(`the archive holds ${r.arrays.length} arrays (${arrays.join(', ')}); showing '${pick.name}'`);
    } else {
      return { ok: false, error: { message: 'not a .npy or .npz file (the magic bytes are missing)', offset: 0, kind: 'file' } };
    }
  } else {
    if (!input || !Array.isArray(input.shape) || input.data === undefined) return { ok: false, error: { message: 'expected {shape, data}', kind: 'value' } };
    shape = [...input.shape];
    const count = shape.reduce((a, b) => a * b, 1);
    if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0) || count !== input.data.length) return { ok: false, error: { message: `shape (${shape.join(', ')}) does not match ${input.data.length} entries`, kind: 'value' } };
    data = input.data instanceof Float64Array ? input.data : Float64Array.from(input.data);
    format = 'array';
  }
  // The 2-D matrix to analyze.
  let m: number;
  let n: number;
  let slice: number[] | undefined;
  if (shape.length === 0) {
    m = 1;
    n = 1;
    notes.push('a scalar, analyzed as a 1×1 matrix');
  } else if (shape.length === 1) {
    m = 1;
    n = shape[0]!;
    notes.push(`a 1-D array of ${n} entries, analyzed as a 1×${n} row`);
  } else if (shape.length === 2) {
    [m, n] = shape as [number, number];
  } else {
    const lead = shape.slice(0, -2);
    slice = options.slice ?? lead.map(() => 0);
    if (slice.length !== lead.length || slice.some((s, i) => !Number.isInteger(s) || s < 0 || s >= lead[i]!)) {
      return { ok: false, error: { message: `slice [${slice.join(', ')}] is outside the leading dimensions (${lead.join(', ')})`, kind: 'value' } };
    }
    m = shape[shape.length - 2]!;
    n = shape[shape.length - 1]!;
    let index = 0;
    for (let i = 0; i < lead.length; i++) index = index * lead[i]! + slice[i]!;
    data = data.subarray(index * m * n, (index + 1) * m * n);
    const count = lead.reduce((a, b) => a * b, 1);
    notes.push(`a ${shape.length}-D array of shape (${shape.join(', ')}): showing slice [${slice.join(', ')}, :, :] of ${count}`);
  }
  if (m === 0 || n === 0) return { ok: false, error: { message: `the matrix is empty (shape ${m}×${n})`, kind: 'value' } };
  const a: Mat = { rows: m, cols: n, data };
  const bad = firstNonFinite(data);
  if (bad >= 0) {
    const v = data[bad]!;
    return { ok: false, error: { message: `entry [${Math.floor(bad / n)}, ${bad % n}] is ${Number.isNaN(v) ? 'NaN' : v > 0 ? 'inf' : '-inf'}: the analysis needs finite numbers`, kind: 'value' } };
  }
  const budget = new Budget(options.budgetMs ?? 2000);
  const st = structure(a);
  const cheap = cheapNorms(a);
  const result: MatrixAnalysisOk = {
    ok: true,
    shape: [m, n],
    inputShape: shape,
    format,
    rank: null,
    trace: trace(a),
    det: null,
    norms: { fro: cheap.fro, one: cheap.one, two: null, inf: cheap.inf },
    cond: null,
    eigenvalues: null,
    singularValues: null,
    properties: { square: st.square, symmetric: st.symmetric, orthogonal: false, positiveDefinite: false, diagonal: st.diagonal, upperTriangular: st.upperTriangular, lowerTriangular: st.lowerTriangular, triangular: st.triangular },
    notes,
    ms: 0,
  };
  if (dtype !== undefined) result.dtype = dtype;
  if (arrays !== undefined) result.arrays = arrays;
  if (slice !== undefined) result.slice = slice;
  const maxDisplay = options.maxDisplayEntries ?? DEFAULT_MAX_DISPLAY;
  if (m * n <= maxDisplay) result.matrix = toRows(a);
  const maxDecomp = options.maxDecompositionEntries ?? DEFAULT_MAX_DECOMP;
  if (m * n > maxDecomp) {
    notes.push(
      `the matrix is ${m}×${n}: rank, determinant, 2-norm, condition number, eigenvalues and singular values are computed up to ${maxDecomp.toLocaleString('en-US')} entries (about ${Math.floor(Math.sqrt(maxDecomp))}×${Math.floor(Math.sqrt(maxDecomp))}); shown: shape, trace, Frobenius/1/∞ norms and structure`,
    );
    result.ms = now() - started;
    return result;
  }
  const wantDecomp = options.decompositions !== false;
  budget.stage = 'singular value decomposition';
  let f: SVD | undefined;
  let s: Float64Array;
  if (wantDecomp) {
    f = svd(a, budget);
    s = f.s;
  } else s = singularValues(a, budget);
  result.singularValues = Array.from(s);
  result.rank = rankFromSingularValues(s, m, n);
  result.norms.two = s[0]!;
  result.cond = s[s.length - 1]! > 0 ? s[0]! / s[s.length - 1]! : Infinity;
  const dec: Decompositions = {};
  const show = m * n <= maxDisplay;
  if (st.square) {
    budget.stage = 'determinant';
    result.det = det(a, budget);
    budget.stage = 'eigenvalues';
    if (st.symmetric) {
      const e = eigh(a, budget);
      result.eigenvalues = Array.from(e.values, (re) => ({ re, im: 0 }));
      result.properties.positiveDefinite = isPositiveDefinite(true, e.values);
      if (wantDecomp && show) dec.eigen = { values: result.eigenvalues, vectors: columns(e.vectors).map((re) => ({ re, im: re.map(() => 0) })), symmetric: true };
    } else {
      const e: Eig = eig(a, budget);
      result.eigenvalues = Array.from(e.re, (re, i) => ({ re, im: e.im[i]! }));
      if (e.missingVectors.length) notes.push(`the matrix is defective or nearly so: no eigenvector is shown for ${e.missingVectors.length} eigenvalue(s)`);
      if (wantDecomp && show) {
        const re = columns(e.vectorsRe);
        const im = columns(e.vectorsIm);
        dec.eigen = { values: result.eigenvalues, vectors: re.map((r, i) => ({ re: r, im: im[i]! })), symmetric: false };
      }
    }
    result.properties.orthogonal = isOrthogonal(a);
  }
  if (wantDecomp && f) {
    budget.stage = 'decompositions';
    if (show) {
      const l = lu(a, budget);
      dec.lu = { P: Array.from(l.perm), L: toRows(l.L), U: toRows(l.U) };
      const q = qr(a, budget);
      dec.qr = { Q: toRows(q.Q), R: toRows(q.R) };
      if (st.symmetric) {
        const c = cholesky(a, budget);
        dec.cholesky = c.ok ? { L: toRows(c.L) } : { failedAt: c.index };
      }
      dec.svd = { U: toRows(f.U), s: Array.from(f.s), V: toRows(f.V) };
      dec.pinv = toRows(pinvFromSvd(f));
    }
    dec.lowRank = lowRank(f, result.rank, 8, show ? maxDisplay : 0);
    if (m >= 2) {
      budget.stage = 'PCA';
      const p = pca(a, budget);
      if (p) dec.pca = p;
    }
    result.decompositions = dec;
  }
  result.ms = now() - started;
  return result;
}

function columns(a: Mat): number[][] {
  const out: number[][] = [];
  for (let j = 0; j < a.cols; j++) {
    const c: number[] = [];
    for (let i = 0; i < a.rows; i++) c.push(a.data[i * a.cols + j]!);
    out.push(c);
  }
  return out;
}

export { DEFAULT_MAX_ELEMENTS };
