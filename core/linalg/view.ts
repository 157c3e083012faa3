/** What the matrix panel and the .npy viewer show: computed by present.ts, drawn by webview/matrix. */
import type { DocPosition } from '../position';

/** Where the matrix came from. */
export type MatrixSource =
  | { kind: 'selection'; uri?: string; start: DocPosition; text: string }
  | { kind: 'file'; uri: string; name: string };

/** The heatmap grid: the matrix itself, or block means when it is larger than the grid. */
export interface HeatmapData {
  /** Size of the grid sent (≤ 256 × 256). */
  rows: number;
  cols: number;
  /** Row-major grid values (block means when downsampled; NaN cells are null). */
  values: (number | null)[];
  /** Matrix cells per grid cell along each axis (1 and 1 when exact). */
  blockRows: number;
  blockCols: number;
  /** Size of the matrix. */
  srcRows: number;
  srcCols: number;
  /** Over the whole matrix (finite entries): the colour map is centred on 0 and spans ±absMax. */
  min: number;
  max: number;
  absMax: number;
}

/** One formula of a tab: a title, its LaTeX (KaTeX, `trust: false`), and an optional note. */
export interface LatexBlock {
  title: string;
  latex: string;
  note?: string;
}

/** What the decomposition tabs show; a missing key means "not computed" (with a note in `notes`). */
export interface DecompositionView {
  key: 'lu' | 'qr' | 'cholesky' | 'eigen' | 'svd' | 'pinv' | 'pca' | 'lowRank';
  label: string;
  blocks: LatexBlock[];
  /** Bar chart data: singular values (svd), eigenvalue moduli (eigen), explained variance ratio (pca), errors (lowRank). */
  bars?: { label: string; values: number[]; names?: string[] };
  /** Why the decomposition is missing or limited (not square, not positive definite, too large…). */
  note?: string;
}

export interface MatrixPanelData {
  title: string;
  source: MatrixSource;
  shape: [number, number];
  inputShape: number[];
  format: string;
  /** The properties table: label → value as text ("yes"/"no", numbers formatted). */
  properties: { label: string; value: string; hint?: string }[];
  heatmap: HeatmapData;
  /** The matrix in LaTeX, elided with ⋯ when large. */
  latex: string;
  /** The matrix as NumPy code (exact values), or null when too large to be useful. */
  numpy: string | null;
  decompositions: DecompositionView[];
  /** 2×2 or 3×3: the linear map, drawn by the webview on the unit grid and circle/sphere. */
  geometry?: {
    matrix: number[][];
    /** Real eigenvectors (unit length) with their eigenvalues. */
    eigenvectors: { value: number; vector: number[] }[];
    det: number;
  };
  /** Data matrices (rows are samples): the first two principal-component scores and the axes in that plane. */
  scatter?: {
    xLabel: string;
    yLabel: string;
    points: [number, number][];
    /** Principal axes drawn from the mean, scaled by √(explained variance). */
    axes: { from: [number, number]; to: [number, number]; label: string }[];
    note?: string;
  };
  /** The .npy/.npz viewer: the file's header and whole-array statistics. */
  file?: {
    dtype: string;
    shape: number[];
    fortranOrder: boolean;
    /** .npz: the arrays in the archive and the one shown. */
    arrays?: string[];
    array?: string;
    stats: { count: number; nanCount: number; infCount: number; min: number | null; max: number | null; mean: number | null; std: number | null };
  };
  /** N-D input: which 2-D slice is shown (the leading indices) of which shape. */
  slice?: { shape: number[]; index: number[] };
  notes: string[];
}
