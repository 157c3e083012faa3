/**
 * The message contract between the extension host and the MathLens panel
 * (the webview). Both sides import these declarations; each message is
 * declared once, as a member of a discriminated union on `type`.
 *
 * Pure types plus tiny type guards: no `vscode` and no DOM imports, so the
 * engine, the extension, the webview and the tests can all use it.
 */
import type { GradientResult } from './result';
import type { Lang } from './parse/types';
import { LANGS } from './parse/types';

/** A 0-based position in a document (the same convention as `vscode.Position`). */
export interface DocPosition {
  line: number;
  character: number;
}

/** Where a result came from: the text the engine saw and its place in the document. */
export interface ResultSource {
  /** The exact text passed to the engine; error offsets are relative to it. */
  text: string;
  /** The language the text was parsed as. */
  lang: Lang;
  /** The document's VS Code language id (`python`, `markdown`, …), when known. */
  languageId?: string;
  /** The document URI (`uri.toString()`), when the text came from a document. */
  uri?: string;
  /** Document position of the text's first character. */
  start: DocPosition;
  /** Last line of the selection (0-based): code is inserted below it. */
  endLine: number;
  /** For a failed result: the error offset converted to a document position. */
  errorPosition?: DocPosition;
}

/** Panel display options, read from the settings when the result was computed. */
export interface ViewOptions {
  /** `mathlens.gradient.showSteps`: derivations start expanded. */
  showSteps: boolean;
}

/** What a copy button copies: the whole gradient (no `wrt`) or one partial. */
export interface CopyWhat {
  format: 'latex' | 'numpy';
  wrt?: string;
}

/** Where "Insert NumPy below selection" writes. */
export interface InsertTarget {
  uri: string;
  /** Indentation is taken from this line (the selection's first line). */
  startLine: number;
  /** The code goes below this line (the selection's last line). */
  endLine: number;
}

// ---------------------------------------------------------------- extension → webview

/** A computation started: show the loading state. */
export interface LoadingMessage {
  type: 'loading';
  text: string;
  lang: Lang;
}

/** A computation finished (successfully or not). */
export interface ResultMessage {
  type: 'result';
  result: GradientResult;
  source: ResultSource;
  view: ViewOptions;
}

/** The extension wrote a copy request to the clipboard. */
export interface CopiedMessage {
  type: 'copied';
  what: CopyWhat;
}

/** The extension inserted code into a document (or could not). */
export interface InsertedMessage {
  type: 'inserted';
  ok: boolean;
  /** Readable outcome, shown briefly in the panel. */
  text: string;
}

export type ExtensionToWebview = LoadingMessage | ResultMessage | CopiedMessage | InsertedMessage;

// ---------------------------------------------------------------- webview → extension

/** The webview script is running and listening. */
export interface ReadyMessage {
  type: 'ready';
}

/** Copy `text` to the clipboard (through the extension: the webview's clipboard may be blocked). */
export interface CopyMessage {
  type: 'copy';
  text: string;
  what: CopyWhat;
}

/** Insert `code` (unindented lines) below the target's last line, indented like its first line. */
export interface InsertMessage {
  type: 'insert';
  code: string;
  target: InsertTarget;
}

export type WebviewToExtension = ReadyMessage | CopyMessage | InsertMessage;

// ---------------------------------------------------------------- webview state

/** What the webview keeps with `vscode.setState`, to re-render after a reload. */
export interface PanelState {
  version: 1;
  last?: ResultMessage;
  /** Sections the user opened or closed, by variable (overrides `view.showSteps`). */
  open?: Record<string, boolean>;
}

// ---------------------------------------------------------------- guards

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isNat(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0;
}

export function isLang(x: unknown): x is Lang {
  return typeof x === 'string' && (LANGS as readonly string[]).includes(x);
}

function isPosition(x: unknown): x is DocPosition {
  return isObject(x) && isNat(x.line) && isNat(x.character);
}

function isCopyWhat(x: unknown): x is CopyWhat {
  return (
    isObject(x) && (x.format === 'latex' || x.format === 'numpy') && (x.wrt === undefined || typeof x.wrt === 'string')
  );
}

function isInsertTarget(x: unknown): x is InsertTarget {
  return isObject(x) && typeof x.uri === 'string' && isNat(x.startLine) && isNat(x.endLine) && x.endLine >= x.startLine;
}

function isResultSource(x: unknown): x is ResultSource {
  return (
    isObject(x) &&
    typeof x.text === 'string' &&
    isLang(x.lang) &&
    (x.languageId === undefined || typeof x.languageId === 'string') &&
    (x.uri === undefined || typeof x.uri === 'string') &&
    isPosition(x.start) &&
    isNat(x.endLine) &&
    (x.errorPosition === undefined || isPosition(x.errorPosition))
  );
}

/** Shallow check of a result: the renderer still reads every field defensively. */
function isGradientResult(x: unknown): x is GradientResult {
  if (!isObject(x)) return false;
  if (x.ok === false) return isObject(x.error) && typeof x.error.message === 'string';
  return (
    x.ok === true &&
    isObject(x.expression) &&
    Array.isArray(x.gradient) &&
    Array.isArray(x.variables) &&
    isObject(x.check) &&
    Array.isArray(x.notes)
  );
}

/** Messages the webview accepts (it ignores anything else posted to its window). */
export function isExtensionToWebview(x: unknown): x is ExtensionToWebview {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'loading':
      return typeof x.text === 'string' && isLang(x.lang);
    case 'result':
      return isGradientResult(x.result) && isResultSource(x.source) && isObject(x.view) && typeof x.view.showSteps === 'boolean';
    case 'copied':
      return isCopyWhat(x.what);
    case 'inserted':
      return typeof x.ok === 'boolean' && typeof x.text === 'string';
    default:
      return false;
  }
}

/** Messages the extension accepts from the panel. */
export function isWebviewToExtension(x: unknown): x is WebviewToExtension {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'ready':
      return true;
    case 'copy':
      return typeof x.text === 'string' && isCopyWhat(x.what);
    case 'insert':
      return typeof x.code === 'string' && isInsertTarget(x.target);
    default:
      return false;
  }
}

export function isPanelState(x: unknown): x is PanelState {
  return (
    isObject(x) &&
    x.version === 1 &&
    (x.last === undefined || (isExtensionToWebview(x.last) && x.last.type === 'result')) &&
    (x.open === undefined || (isObject(x.open) && Object.values(x.open).every((v) => typeof v === 'boolean')))
  );
}

// ================================================================ the matrix panel and the .npy viewer
//
// "MathLens: Visualize Matrix" and the .npy/.npz custom editor share one webview
// (dist/webview/matrix.js). Everything it shows is computed in the extension
// host (core/linalg + core/linalg/present.ts); the webview only draws.

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

export type MatrixToWebview =
  | { type: 'matrixLoading'; title: string }
  | { type: 'matrix'; data: MatrixPanelData }
  | {
      type: 'matrixError';
      title: string;
      error: { message: string; kind: string; offset?: number; length?: number };
      /** The selected text, to mark the problem in it, and where it starts in the document. */
      source?: { text: string; start?: DocPosition };
    }
  | CopiedMessage;

export type WebviewToMatrix =
  | ReadyMessage
  | CopyMessage
  /** N-D input or .npz: show another slice or array. */
  | { type: 'slice'; index: number[]; array?: string };

/** What the matrix webview keeps with `vscode.setState`. */
export interface MatrixPanelState {
  version: 1;
  last?: Extract<MatrixToWebview, { type: 'matrix' | 'matrixError' }>;
  /** The open decomposition tab. */
  tab?: string;
}

export function isMatrixToWebview(x: unknown): x is MatrixToWebview {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'matrixLoading':
      return typeof x.title === 'string';
    case 'matrix': {
      const d = x.data;
      return (
        isObject(d) &&
        typeof d.title === 'string' &&
        Array.isArray(d.shape) &&
        isObject(d.heatmap) &&
        Array.isArray(d.heatmap.values) &&
        typeof d.latex === 'string' &&
        Array.isArray(d.properties) &&
        Array.isArray(d.decompositions) &&
        Array.isArray(d.notes)
      );
    }
    case 'matrixError':
      return typeof x.title === 'string' && isObject(x.error) && typeof x.error.message === 'string';
    case 'copied':
      return isCopyWhat(x.what);
    default:
      return false;
  }
}

export function isWebviewToMatrix(x: unknown): x is WebviewToMatrix {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'ready':
      return true;
    case 'copy':
      return typeof x.text === 'string' && isCopyWhat(x.what);
    case 'slice':
      return Array.isArray(x.index) && x.index.every(isNat) && x.index.length <= 32 && (x.array === undefined || typeof x.array === 'string');
    default:
      return false;
  }
}

export function isMatrixPanelState(x: unknown): x is MatrixPanelState {
  return (
    isObject(x) &&
    x.version === 1 &&
    (x.last === undefined || (isMatrixToWebview(x.last) && (x.last.type === 'matrix' || x.last.type === 'matrixError'))) &&
    (x.tab === undefined || typeof x.tab === 'string')
  );
}
