/**
 * Hand-made payloads for the matrix webview tests, typed with the protocol
 * (so tsc checks that they conform to MatrixPanelData). Bundled for node by
 * run-matrix.mjs. The numbers are what the host would send; nothing here is
 * computed by the webview.
 */
import type { DecompositionView, HeatmapData, MatrixPanelData, MatrixToWebview } from '../../../core/protocol';

type MatrixMessage = Extract<MatrixToWebview, { type: 'matrix' }>;
type ErrorMessage = Extract<MatrixToWebview, { type: 'matrixError' }>;

function exactHeatmap(m: number[][]): HeatmapData {
  const rows = m.length;
  const cols = m[0]!.length;
  const values = m.flat();
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { rows, cols, values, blockRows: 1, blockCols: 1, srcRows: rows, srcCols: cols, min, max, absMax: Math.max(Math.abs(min), Math.abs(max)) };
}

function pmatrix(m: number[][]): string {
  return `\\begin{pmatrix} ${m.map((r) => r.join(' & ')).join(' \\\\ ')} \\end{pmatrix}`;
}

const r2 = Math.SQRT2;
const SYM = [
  [2, -1, 0],
  [-1, 2, -1],
  [0, -1, 2],
];
const SYM_EIG = [2 + r2, 2, 2 - r2];

/** A 3×3 symmetric positive definite matrix with every decomposition and the 3-D geometry. */
export function sym3(): MatrixMessage {
  const decompositions: DecompositionView[] = [
    {
      key: 'lu',
      label: 'LU',
      blocks: [
        { title: 'P A = L U', latex: 'PA = LU' },
        { title: 'L', latex: '\\begin{pmatrix} 1 & 0 & 0 \\\\ -0.5 & 1 & 0 \\\\ 0 & -0.6667 & 1 \\end{pmatrix}' },
        { title: 'U', latex: '\\begin{pmatrix} 2 & -1 & 0 \\\\ 0 & 1.5 & -1 \\\\ 0 & 0 & 1.3333 \\end{pmatrix}', note: 'No row exchanges: P = I.' },
      ],
    },
    {
      key: 'qr',
      label: 'QR',
      blocks: [{ title: 'A = Q R', latex: 'Q = \\begin{pmatrix} -0.8944 & -0.3586 & 0.2673 \\\\ 0.4472 & -0.7171 & 0.5345 \\\\ 0 & 0.5976 & 0.8018 \\end{pmatrix}' }],
    },
    {
      key: 'cholesky',
      label: 'Cholesky',
      blocks: [{ title: 'A = L Lᵀ', latex: 'L = \\begin{pmatrix} 1.4142 & 0 & 0 \\\\ -0.7071 & 1.2247 & 0 \\\\ 0 & -0.8165 & 1.1547 \\end{pmatrix}' }],
    },
    {
      key: 'eigen',
      label: 'Eigen',
      blocks: [
        { title: 'Eigenvalues', latex: `\\lambda = ${SYM_EIG.map((v) => v.toFixed(4)).join(',\\ ')}` },
        { title: 'A = Q Λ Qᵀ', latex: 'Q = \\begin{pmatrix} 0.5 & -0.7071 & 0.5 \\\\ -0.7071 & 0 & 0.7071 \\\\ 0.5 & 0.7071 & 0.5 \\end{pmatrix}' },
      ],
      bars: { label: '|λ|', values: SYM_EIG, names: ['λ₁', 'λ₂', 'λ₃'] },
    },
    {
      key: 'svd',
      label: 'SVD',
      blocks: [
        { title: 'A = U Σ Vᵀ', latex: 'A = U \\Sigma V^{\\top}' },
        { title: 'Σ', latex: `\\Sigma = \\operatorname{diag}(${SYM_EIG.map((v) => v.toFixed(4)).join(', ')})` },
      ],
      bars: { label: 'singular value', values: SYM_EIG, names: ['σ₁', 'σ₂', 'σ₃'] },
    },
    {
      key: 'pinv',
      label: 'Pseudo-inverse',
      blocks: [{ title: 'A⁺ = A⁻¹', latex: 'A^{+} = \\begin{pmatrix} 0.75 & 0.5 & 0.25 \\\\ 0.5 & 1 & 0.5 \\\\ 0.25 & 0.5 & 0.75 \\end{pmatrix}' }],
    },
    {
      key: 'lowRank',
      label: 'Low rank',
      blocks: [{ title: 'Best rank-1 approximation', latex: 'A_1 = \\sigma_1 u_1 v_1^{\\top}' }],
      bars: { label: '‖A − A_k‖_F', values: [Math.hypot(2, 2 - r2), 2 - r2, 0], names: ['k = 1', 'k = 2', 'k = 3'] },
      note: 'Eckart–Young: the truncated SVD is the best rank-k approximation.',
    },
  ];
  const data: MatrixPanelData = {
    title: 'A',
    source: { kind: 'selection', uri: 'file:///work/example.py', start: { line: 3, character: 4 }, text: 'np.array([[2, -1, 0], [-1, 2, -1], [0, -1, 2]])' },
    shape: [3, 3],
    inputShape: [3, 3],
    format: 'numpy',
    properties: [
      { label: 'symmetric', value: 'yes' },
      { label: 'positive definite', value: 'yes', hint: 'every eigenvalue > 0' },
      { label: 'rank', value: '3' },
      { label: 'determinant', value: '4' },
      { label: 'trace', value: '6' },
      { label: 'condition number', value: '5.8284', hint: 'σ_max / σ_min' },
    ],
    heatmap: exactHeatmap(SYM),
    latex: pmatrix(SYM),
    numpy: 'np.array([[2, -1, 0], [-1, 2, -1], [0, -1, 2]])',
    decompositions,
    geometry: {
      matrix: SYM,
      eigenvectors: [
        { value: 2 + r2, vector: [0.5, -r2 / 2, 0.5] },
        { value: 2, vector: [-r2 / 2, 0, r2 / 2] },
        { value: 2 - r2, vector: [0.5, r2 / 2, 0.5] },
      ],
      det: 4,
    },
    notes: ['Symmetric: the eigen decomposition is orthogonal.'],
  };
  return { type: 'matrix', data };
}

/** √2 × a rotation by 45°: complex eigenvalues 1 ± i, no real eigenvectors. */
export function rot2(): MatrixMessage {
  const M = [
    [1, -1],
    [1, 1],
  ];
  return {
    type: 'matrix',
    data: {
      title: 'R',
      source: { kind: 'selection', start: { line: 0, character: 0 }, text: '[[1, -1], [1, 1]]' },
      shape: [2, 2],
      inputShape: [2, 2],
      format: 'nested list',
      properties: [
        { label: 'orthogonal', value: 'no' },
        { label: 'determinant', value: '2' },
      ],
      heatmap: exactHeatmap(M),
      latex: pmatrix(M),
      numpy: 'np.array([[1, -1], [1, 1]])',
      decompositions: [
        { key: 'eigen', label: 'Eigen', blocks: [{ title: 'Eigenvalues', latex: '\\lambda = 1 \\pm i' }], bars: { label: '|λ|', values: [r2, r2] }, note: 'Complex eigenvalues: no real eigenvectors.' },
        { key: 'svd', label: 'SVD', blocks: [{ title: 'Σ', latex: '\\Sigma = \\sqrt{2}\\, I' }], bars: { label: 'singular value', values: [r2, r2] } },
      ],
      geometry: { matrix: M, eigenvectors: [], det: 2 },
      notes: [],
    },
  };
}

/** The swap [[0, 1], [1, 0]]: a reflection, det −1, real eigenvectors (1, 1) and (1, −1). */
export function swap2(): MatrixMessage {
  const m = rot2();
  const M = [
    [0, 1],
    [1, 0],
  ];
  m.data = {
    ...m.data,
    title: 'S',
    heatmap: exactHeatmap(M),
    latex: pmatrix(M),
    numpy: 'np.array([[0, 1], [1, 0]])',
    geometry: {
      matrix: M,
      eigenvectors: [
        { value: 1, vector: [Math.SQRT1_2, Math.SQRT1_2] },
        { value: -1, vector: [Math.SQRT1_2, -Math.SQRT1_2] },
      ],
      det: -1,
    },
  };
  return m;
}

/** A seeded normal sample (Box–Muller on an LCG), for the data matrix. */
function normals(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  const out: number[] = [];
  while (out.length < n) {
    const r = Math.sqrt(-2 * Math.log(u()));
    const t = 2 * Math.PI * u();
    out.push(r * Math.cos(t), r * Math.sin(t));
  }
  return out.slice(0, n);
}

/** A 100 × 2 data matrix with its PCA scatter; too large to copy as NumPy. */
export function data100(): MatrixMessage {
  const g = normals(200, 7);
  const scores: [number, number][] = [];
  const rows: number[][] = [];
  const c = Math.cos(Math.PI / 6);
  const s = Math.sin(Math.PI / 6);
  for (let i = 0; i < 100; i++) {
    const a = 3 * g[2 * i]!;
    const b = 0.8 * g[2 * i + 1]!;
    scores.push([a, b]);
    rows.push([5 + c * a - s * b, -2 + s * a + c * b]);
  }
  const hm = exactHeatmap(rows);
  return {
    type: 'matrix',
    data: {
      title: 'X',
      source: { kind: 'selection', start: { line: 10, character: 0 }, text: 'X' },
      shape: [100, 2],
      inputShape: [100, 2],
      format: 'numpy',
      properties: [
        { label: 'rank', value: '2' },
        { label: 'samples × features', value: '100 × 2' },
      ],
      heatmap: hm,
      latex: '\\begin{pmatrix} 5.12 & -1.03 \\\\ 2.4 & -3.3 \\\\ \\vdots & \\vdots \\\\ 7.7 & -0.2 \\end{pmatrix}',
      numpy: null,
      decompositions: [
        { key: 'pca', label: 'PCA', blocks: [{ title: 'Explained variance', latex: '\\frac{\\lambda_i}{\\sum_j \\lambda_j} = 0.93,\\ 0.07' }], bars: { label: 'explained variance ratio', values: [0.93, 0.07], names: ['PC1', 'PC2'] } },
        { key: 'svd', label: 'SVD', blocks: [{ title: 'Σ', latex: '\\Sigma = \\operatorname{diag}(30.1, 8.0)' }], bars: { label: 'singular value', values: [30.1, 8.0] } },
      ],
      scatter: {
        xLabel: 'PC1 (93%)',
        yLabel: 'PC2 (7%)',
        points: scores,
        axes: [
          { from: [0, 0], to: [3, 0], label: 'PC1' },
          { from: [0, 0], to: [0, 0.8], label: 'PC2' },
        ],
        note: 'Rows are samples; the data were centred.',
      },
      notes: ['100 × 2 is shown in full in the heatmap.'],
    },
  };
}

/** The value the big heatmap shows in grid cell (i, j) (null in a small NaN patch). */
export function bigValue(i: number, j: number): number | null {
  if (i >= 10 && i < 13 && j >= 20 && j < 23) return null;
  return 3 * Math.sin(i / 20) * Math.cos(j / 30);
}

/** A 2048 × 2048 matrix sent as 256 × 256 block means (8 × 8 entries each). */
export function big(): MatrixMessage {
  const values: (number | null)[] = [];
  for (let i = 0; i < 256; i++) for (let j = 0; j < 256; j++) values.push(bigValue(i, j));
  const finite = values.filter((v): v is number => v !== null);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  return {
    type: 'matrix',
    data: {
      title: 'W',
      source: { kind: 'file', uri: 'file:///work/data/W.npy', name: 'W.npy' },
      shape: [2048, 2048],
      inputShape: [2048, 2048],
      format: 'npy',
      properties: [{ label: 'rank', value: 'not computed (too large)' }],
      heatmap: { rows: 256, cols: 256, values, blockRows: 8, blockCols: 8, srcRows: 2048, srcCols: 2048, min, max, absMax: Math.max(-min, max) },
      latex: '\\begin{pmatrix} 0 & 0.01 & \\cdots & 0.2 \\\\ \\vdots & & \\ddots & \\vdots \\\\ 1.1 & 1.2 & \\cdots & 0.3 \\end{pmatrix}',
      numpy: null,
      decompositions: [{ key: 'svd', label: 'SVD', blocks: [], note: 'Not computed: 2048 × 2048 is larger than the 512 × 512 limit.' }],
      file: { dtype: '<f4', shape: [2048, 2048], fortranOrder: false, stats: { count: 4194304, nanCount: 576, infCount: 0, min, max, mean: 0.01, std: 1.2 } },
      notes: [],
    },
  };
}

const CUBE = [4, 3, 5];
/** Entry [a, b, c] of the 3-D .npy array. */
export function cubeValue(a: number, b: number, c: number): number {
  return a * 100 + (b - 1) * 10 + (c - 2);
}

/** A 3-D float64 .npy file, showing slice [1, :, :]. */
export function npy3d(): MatrixMessage {
  const m = [0, 1, 2].map((b) => [0, 1, 2, 3, 4].map((c) => cubeValue(1, b, c)));
  return {
    type: 'matrix',
    data: {
      title: 'cube.npy',
      source: { kind: 'file', uri: 'file:///work/data/cube.npy', name: 'cube.npy' },
      shape: [3, 5],
      inputShape: CUBE,
      format: 'npy',
      properties: [{ label: 'rank', value: '2' }],
      heatmap: exactHeatmap(m),
      latex: pmatrix(m),
      numpy: `np.array(${JSON.stringify(m)})`,
      decompositions: [],
      file: { dtype: '<f8', shape: CUBE, fortranOrder: false, stats: { count: 60, nanCount: 0, infCount: 0, min: -12, max: 312, mean: 150, std: 111.8 } },
      slice: { shape: CUBE, index: [1] },
      notes: ['3-D array: showing one 3 × 5 slice.'],
    },
  };
}

/** A 4-D array inside a .npz archive of three arrays, showing slice [1, 2, :, :]. */
export function npz4d(): MatrixMessage {
  const m = [0, 1, 2, 3].map((r) => [0, 1, 2, 3, 4].map((c) => r - c));
  return {
    type: 'matrix',
    data: {
      title: 'model.npz: acts',
      source: { kind: 'file', uri: 'file:///work/data/model.npz', name: 'model.npz' },
      shape: [4, 5],
      inputShape: [2, 3, 4, 5],
      format: 'npz',
      properties: [],
      heatmap: exactHeatmap(m),
      latex: pmatrix(m),
      numpy: null,
      decompositions: [],
      file: {
        dtype: '>f4',
        shape: [2, 3, 4, 5],
        fortranOrder: true,
        arrays: ['weights', 'bias', 'acts'],
        array: 'acts',
        stats: { count: 120, nanCount: 2, infCount: 1, min: -4, max: 3, mean: null, std: null },
      },
      slice: { shape: [2, 3, 4, 5], index: [1, 2] },
      notes: [],
    },
  };
}

/** A parse error in a two-line selection: the "5" (offset 17) makes row 2 too long. */
export function parseError(): ErrorMessage {
  return {
    type: 'matrixError',
    title: 'Visualize Matrix',
    error: { message: 'Row 2 has 3 entries; row 1 has 2.', kind: 'parse', offset: 17, length: 1 },
    source: { text: '[[1, 2],\n [3, 4, 5]]', start: { line: 4, character: 8 } },
  };
}

export const SAMPLES = { sym3, rot2, swap2, data100, big, npy3d, npz4d, parseError };
