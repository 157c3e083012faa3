/**
 * The message contract between the extension host and the MathLens panel
 * (the webview). Both sides import these declarations; each message is
 * declared once, as a member of a discriminated union on `type`.
 *
 * Pure types plus tiny type guards: no `vscode` and no DOM imports, so the
 * engine, the extension, the webview and the tests can all use it.
 */
import type { GradientResult } from './result';
import type { MatResult } from './matcalc/index';
import type { BackpropResult, Numeric } from './backprop/index';
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

/** Where each shaped variable's shape came from, for the panel's "Shapes" line. */
export interface ShapeOrigin {
  name: string;
  /** As written: `(n, d)`, `(100, 3)`. */
  shape: string;
  from: 'comment' | 'code' | 'cli';
  /** 1-based document line of the comment or the binding, when known. */
  line?: number;
}

/**
 * A matrix-calculus result (core/matcalc): the gradient of an expression over
 * shaped variables, or a Jacobian or a Hessian. Shown by the same panel.
 */
export interface MatcalcResultMessage {
  type: 'matcalc';
  result: MatResult;
  source: ResultSource;
  view: ViewOptions;
  /** The shapes used and where they came from (comments, the shape analysis of the code). */
  shapes: ShapeOrigin[];
}

export type ExtensionToWebview = LoadingMessage | ResultMessage | MatcalcResultMessage | CopiedMessage | InsertedMessage;

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
  last?: ResultMessage | MatcalcResultMessage;
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

/** Shallow check of a matrix-calculus result (the renderer reads every field defensively). */
function isMatResult(x: unknown): x is MatResult {
  if (!isObject(x)) return false;
  if (x.ok === false) return isObject(x.error) && typeof x.error.message === 'string';
  return (
    x.ok === true &&
    (x.kind === 'gradient' || x.kind === 'jacobian' || x.kind === 'hessian') &&
    isObject(x.expression) &&
    Array.isArray(x.gradient) &&
    Array.isArray(x.variables) &&
    Array.isArray(x.notes) &&
    typeof x.layoutText === 'string'
  );
}

function isShapeOrigin(x: unknown): x is ShapeOrigin {
  return isObject(x) && typeof x.name === 'string' && typeof x.shape === 'string' && (x.from === 'comment' || x.from === 'code' || x.from === 'cli') && (x.line === undefined || isNat(x.line));
}

/** Messages the webview accepts (it ignores anything else posted to its window). */
export function isExtensionToWebview(x: unknown): x is ExtensionToWebview {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'loading':
      return typeof x.text === 'string' && isLang(x.lang);
    case 'result':
      return isGradientResult(x.result) && isResultSource(x.source) && isObject(x.view) && typeof x.view.showSteps === 'boolean';
    case 'matcalc':
      return (
        isMatResult(x.result) &&
        isResultSource(x.source) &&
        isObject(x.view) &&
        typeof x.view.showSteps === 'boolean' &&
        Array.isArray(x.shapes) &&
        x.shapes.every(isShapeOrigin)
      );
    case 'copied':
      return isCopyWhat(x.what);
    case 'inserted':
      return typeof x.ok === 'boolean' && typeof x.text === 'string';
    default:
      return false;
  }
}

/** `ready` and `copy`, which every webview sends; undefined for any other type. */
function commonWebviewMessage(x: Record<string, unknown>): boolean | undefined {
  if (x.type === 'ready') return true;
  if (x.type === 'copy') return typeof x.text === 'string' && isCopyWhat(x.what);
  return undefined;
}

/** Messages the extension accepts from the panel. */
export function isWebviewToExtension(x: unknown): x is WebviewToExtension {
  if (!isObject(x)) return false;
  const common = commonWebviewMessage(x);
  if (common !== undefined) return common;
  switch (x.type) {
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
    (x.last === undefined || (isExtensionToWebview(x.last) && (x.last.type === 'result' || x.last.type === 'matcalc'))) &&
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
  const common = commonWebviewMessage(x);
  if (common !== undefined) return common;
  switch (x.type) {
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

// ================================================================ the side view (activity bar "MathLens")
//
// One webview view with tabs Plot, Optimize, Statistics, Distributions, History
// (dist/webview/side.js). It follows the editor: a selection of one variable is
// plotted, of two variables becomes the playground's objective, of numbers is
// described. Everything is computed in the host (core/); the webview draws, and
// asks the host again for what depends on the view (samples for a zoomed range,
// trajectories for new settings, a distribution's curves for new parameters).

export type SideTab = 'plot' | 'optimize' | 'statistics' | 'distributions' | 'history';

/** A polyline broken where the function is not finite, jumps (a pole) or has a jump discontinuity. */
export type Segment = number[]; // x0, y0, x1, y1, …

export interface PlotSamples {
  xmin: number;
  xmax: number;
  f: Segment[];
  df: Segment[];
  d2f?: Segment[];
  /** x of vertical asymptotes in the range (dashed lines, never connected across). */
  asymptotes: number[];
  /** x of kinks (points where f is not differentiable). */
  kinks: number[];
  /** A y-range that shows the curves well (robust quantiles of the finite values). */
  yRange: [number, number];
}

export interface PointValues {
  x: number;
  f: number | null;
  df: number | null;
  d2f: number | null;
}

export interface PlotData {
  source: SelectionRef;
  variable: string;
  latex: { f: string; df: string; d2f?: string };
  samples: PlotSamples;
  point: PointValues;
  notes: string[];
}

export interface GalleryItem {
  name: string;
  latex: { f: string; df: string };
  samples: PlotSamples;
  /** Where |f′| < 0.01: the function saturates and gradients vanish. */
  saturates: { from: number; to: number }[];
  note?: string;
}

export type OptimizerName = 'gd' | 'momentum' | 'nesterov' | 'adagrad' | 'rmsprop' | 'adam';

export interface OptimizerSettings {
  /** The learning rate of gradient descent, momentum and Nesterov (and of any optimiser not in `lrs`). */
  lr: number;
  /**
   * Per-optimiser learning rates: the adaptive methods (AdaGrad, RMSProp, Adam) divide by the gradient's
   * size, so their η is a step length and wants a different scale from plain gradient descent.
   */
  lrs?: Partial<Record<OptimizerName, number>>;
  momentum: number;
  beta1: number;
  beta2: number;
  steps: number;
  start: [number, number];
  enabled: OptimizerName[];
}

export interface Trajectory {
  name: OptimizerName;
  label: string;
  /** The update equations (KaTeX). */
  latex: string;
  points: number[]; // x0, y0, x1, y1, … (steps + 1 points, fewer when it diverged)
  losses: number[];
  /** Set when the run diverged: the step and why, said plainly. */
  diverged?: { step: number; reason: string };
}

export interface Objective {
  /** 'selection' or a preset key. */
  key: string;
  label: string;
  latex: string;
  variables: [string, string];
  box: { xmin: number; xmax: number; ymin: number; ymax: number };
  /** Known minimum, when there is one. */
  minimum?: [number, number];
}

export interface OptimizeData {
  objective: Objective;
  presets: { key: string; label: string }[];
  /** The heat map / contour grid (row-major, ny rows from ymin to ymax; values of f, null where not finite). */
  grid: { nx: number; ny: number; values: (number | null)[]; min: number; max: number; log: boolean };
  /** Contour lines at `levels`, as polylines in (x, y). */
  contours: { level: number; lines: Segment[] }[];
  /** Gradient arrows: x, y, −∂f/∂x, −∂f/∂y (scaled for display). */
  arrows: number[];
  settings: OptimizerSettings;
  trajectories: Trajectory[];
  source?: SelectionRef;
  notes: string[];
}

export interface DescribeView {
  name: string;
  n: number;
  /** Label → value rows for the table (formatted), e.g. "mean" → "2.5". */
  rows: { label: string; value: string; latex?: string }[];
  histogram: { edges: number[]; counts: number[]; normal: { mean: number; std: number } | null };
  box: { q1: number; median: number; q3: number; whiskerLow: number; whiskerHigh: number; outliers: number[] } | null;
}

export interface TestView {
  /** "Welch's t-test", "Mann–Whitney U", … */
  title: string;
  rows: { label: string; value: string }[];
  /** The formula with the numbers filled in (KaTeX). */
  latex: string[];
  note?: string;
}

export interface StatisticsData {
  source: SelectionRef;
  columns: DescribeView[];
  /** Two columns or more: the first two compared. */
  pair?: {
    names: [string, string];
    points: number[]; // x0, y0, x1, y1, …
    regression: { slope: number; intercept: number; r2: number } | null;
    tests: TestView[];
  };
  notes: string[];
}

export type DistributionName = 'normal' | 'uniform' | 'binomial' | 'poisson' | 'bernoulli' | 'beta' | 'gamma' | 'exponential' | 't';

export interface DistributionData {
  name: DistributionName;
  label: string;
  discrete: boolean;
  /** The parameters with their ranges for the sliders. */
  params: { key: string; label: string; value: number; min: number; max: number; step: number; integer?: boolean }[];
  latex: { pdf: string; cdf?: string };
  /** Curves: pdf/pmf and cdf over x (discrete: one point per integer). */
  x: number[];
  /** null where the density is infinite (an edge of beta or gamma): a gap in the curve. */
  pdf: (number | null)[];
  cdf: number[];
  mean: number | null;
  variance: number | null;
  /** A message when the parameters are invalid (the curves are then empty). */
  error?: string;
}

export interface BayesData {
  prior: number;
  likelihood: number;
  likelihoodNot: number;
  evidence: number;
  posterior: number;
  latex: string;
}

export interface HistoryEntry {
  id: string;
  kind: 'gradient' | 'matrix' | 'plot' | 'optimize' | 'statistics';
  title: string;
  /** Epoch ms. */
  time: number;
}

/** Where a selection came from (for "show in editor" and the titles). */
export interface SelectionRef {
  text: string;
  uri?: string;
  start?: DocPosition;
}

export type ExtensionToSide =
  | { type: 'sideTab'; tab: SideTab }
  | { type: 'plot'; data: PlotData }
  | { type: 'plotSamples'; samples: PlotSamples; requestId: number }
  | { type: 'pointValues'; point: PointValues; requestId: number }
  | { type: 'gallery'; items: GalleryItem[] }
  | { type: 'optimize'; data: OptimizeData }
  | { type: 'trajectories'; trajectories: Trajectory[]; settings: OptimizerSettings; requestId: number }
  | { type: 'statistics'; data: StatisticsData }
  | { type: 'distribution'; data: DistributionData; requestId: number }
  | { type: 'bayes'; data: BayesData; requestId: number }
  | { type: 'history'; entries: HistoryEntry[] }
  /** Something the view can't use (a selection with three variables, a parse error…), for the tab it concerns. */
  | { type: 'sideNotice'; tab: SideTab; message: string }
  | { type: 'exported'; ok: boolean; text: string };

export type SideToExtension =
  | ReadyMessage
  | { type: 'samplePlot'; xmin: number; xmax: number; requestId: number }
  | { type: 'pointAt'; x: number; requestId: number }
  | { type: 'gallery' }
  | { type: 'preset'; key: string }
  | { type: 'runOptimizers'; settings: OptimizerSettings; requestId: number }
  | { type: 'distribution'; name: DistributionName; params: Record<string, number>; requestId: number }
  | { type: 'bayes'; prior: number; likelihood: number; likelihoodNot: number; requestId: number }
  | { type: 'reopen'; id: string }
  /** A plot as PNG (base64, no data: prefix) or SVG text, saved by the host with a save dialog. */
  | { type: 'export'; format: 'png' | 'svg'; data: string; name: string }
  | { type: 'tabChanged'; tab: SideTab };

/** What the side view keeps with `vscode.setState`. */
export interface SideState {
  version: 1;
  tab: SideTab;
  plot?: PlotData;
  optimize?: OptimizeData;
  statistics?: StatisticsData;
  distribution?: DistributionData;
  bayes?: BayesData;
  history?: HistoryEntry[];
}

const SIDE_TABS: readonly string[] = ['plot', 'optimize', 'statistics', 'distributions', 'history'];
const OPTIMIZERS: readonly string[] = ['gd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];
const DISTRIBUTIONS: readonly string[] = ['normal', 'uniform', 'binomial', 'poisson', 'bernoulli', 'beta', 'gamma', 'exponential', 't'];

function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

export function isSideTab(x: unknown): x is SideTab {
  return typeof x === 'string' && SIDE_TABS.includes(x);
}

function isSettings(x: unknown): x is OptimizerSettings {
  return (
    isObject(x) &&
    isFiniteNumber(x.lr) &&
    isFiniteNumber(x.momentum) &&
    isFiniteNumber(x.beta1) &&
    isFiniteNumber(x.beta2) &&
    isNat(x.steps) &&
    x.steps <= 100_000 &&
    Array.isArray(x.start) &&
    x.start.length === 2 &&
    x.start.every(isFiniteNumber) &&
    Array.isArray(x.enabled) &&
    x.enabled.every((o) => typeof o === 'string' && OPTIMIZERS.includes(o)) &&
    (x.lrs === undefined || (isObject(x.lrs) && Object.entries(x.lrs).every(([k, v]) => OPTIMIZERS.includes(k) && isFiniteNumber(v))))
  );
}

/** Messages the host accepts from the side view (checked field by field: the view is not trusted blindly). */
export function isSideToExtension(x: unknown): x is SideToExtension {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'ready':
    case 'gallery':
      return true;
    case 'samplePlot':
      return isFiniteNumber(x.xmin) && isFiniteNumber(x.xmax) && x.xmin < x.xmax && isNat(x.requestId);
    case 'pointAt':
      return isFiniteNumber(x.x) && isNat(x.requestId);
    case 'preset':
      return typeof x.key === 'string' && x.key.length < 64;
    case 'runOptimizers':
      return isSettings(x.settings) && isNat(x.requestId);
    case 'distribution':
      return typeof x.name === 'string' && DISTRIBUTIONS.includes(x.name) && isObject(x.params) && Object.values(x.params).every(isFiniteNumber) && isNat(x.requestId);
    case 'bayes':
      return [x.prior, x.likelihood, x.likelihoodNot].every(isFiniteNumber) && isNat(x.requestId);
    case 'reopen':
      return typeof x.id === 'string' && x.id.length < 128;
    case 'export':
      return (x.format === 'png' || x.format === 'svg') && typeof x.data === 'string' && x.data.length < 50_000_000 && typeof x.name === 'string' && x.name.length < 256;
    case 'tabChanged':
      return isSideTab(x.tab);
    default:
      return false;
  }
}

/** Messages the side view accepts (shallow: the renderer reads every field defensively). */
export function isExtensionToSide(x: unknown): x is ExtensionToSide {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'sideTab':
      return isSideTab(x.tab);
    case 'plot':
    case 'optimize':
    case 'statistics':
      return isObject(x.data);
    case 'plotSamples':
      return isObject(x.samples) && isNat(x.requestId);
    case 'pointValues':
      return isObject(x.point) && isNat(x.requestId);
    case 'gallery':
      return Array.isArray(x.items);
    case 'trajectories':
      return Array.isArray(x.trajectories) && isObject(x.settings) && isNat(x.requestId);
    case 'distribution':
    case 'bayes':
      return isObject(x.data) && isNat(x.requestId);
    case 'history':
      return Array.isArray(x.entries);
    case 'sideNotice':
      return isSideTab(x.tab) && typeof x.message === 'string';
    case 'exported':
      return typeof x.ok === 'boolean' && typeof x.text === 'string';
    default:
      return false;
  }
}

export function isSideState(x: unknown): x is SideState {
  return isObject(x) && x.version === 1 && isSideTab(x.tab);
}

// ================================================================ the backprop graph panel
//
// "MathLens: Show Backprop Graph" (core/backprop → dist/webview/backprop.js).
// The engine computes everything (graph, layout, values, gradients, steps,
// NumPy code); the webview draws, plays the steps, and asks the host to
// recompute at user-entered values, reveal a node's source span, copy or insert.

/** Where the forward pass came from. Offsets in the result (`from`/`to`, error offsets) are relative to `text`. */
export interface BackpropSource {
  text: string;
  uri?: string;
  languageId?: string;
  /** Document position of the text's first character. */
  start: DocPosition;
  /** Last line of the selection (0-based): "Insert" writes below it. */
  endLine: number;
  /** For a failed result: the error offset as a document position. */
  errorPosition?: DocPosition;
}

export type ExtensionToBackprop =
  | { type: 'backpropLoading'; text: string }
  /** A graph (or a located error). `at` holds the values the user entered in the panel, if any. */
  | { type: 'backprop'; result: BackpropResult; source: BackpropSource; at: Record<string, Numeric> }
  | CopiedMessage
  | InsertedMessage
  /** The answer to `reveal`: the span was selected in its editor, or why not. */
  | { type: 'revealed'; ok: boolean; text: string };

export type BackpropToExtension =
  | ReadyMessage
  | CopyMessage
  | InsertMessage
  /** Select `[from, to)` of the source text in its editor (click-to-source). */
  | { type: 'reveal'; from: number; to: number }
  /** Compute the graph again with these input values (user-entered; arrays for shaped inputs). */
  | { type: 'recompute'; at: Record<string, Numeric> };

/** What the backprop webview keeps with `vscode.setState`. */
export interface BackpropPanelState {
  version: 1;
  last?: Extract<ExtensionToBackprop, { type: 'backprop' }>;
  /** The playback position: number of steps applied (0 = nothing computed yet); absent = everything shown. */
  step?: number;
  /** The selected node id. */
  selected?: number;
  /** Show the collapsed view (when the result has one). */
  collapsed?: boolean;
}

/** A finite number or nested arrays of them, at most 4 levels deep and 100,000 numbers. */
export function isNumeric(x: unknown, depth = 0, count: { n: number } = { n: 0 }): x is Numeric {
  if (typeof x === 'number') return Number.isFinite(x) && ++count.n <= 100_000;
  return Array.isArray(x) && depth < 4 && x.every((v) => isNumeric(v, depth + 1, count));
}

function isBackpropResult(x: unknown): x is BackpropResult {
  if (!isObject(x)) return false;
  if (x.ok === false) return isObject(x.error) && typeof x.error.message === 'string';
  return x.ok === true && Array.isArray(x.nodes) && Array.isArray(x.edges) && Array.isArray(x.leaves) && Array.isArray(x.steps) && typeof x.numpy === 'string';
}

function isBackpropSource(x: unknown): x is BackpropSource {
  return (
    isObject(x) &&
    typeof x.text === 'string' &&
    (x.uri === undefined || typeof x.uri === 'string') &&
    (x.languageId === undefined || typeof x.languageId === 'string') &&
    isPosition(x.start) &&
    isNat(x.endLine) &&
    (x.errorPosition === undefined || isPosition(x.errorPosition))
  );
}

function isAt(x: unknown): x is Record<string, Numeric> {
  return isObject(x) && Object.keys(x).length <= 1000 && Object.entries(x).every(([k, v]) => /^[A-Za-z_]\w*$/.test(k) && isNumeric(v));
}

/** Messages the backprop webview accepts. */
export function isExtensionToBackprop(x: unknown): x is ExtensionToBackprop {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'backpropLoading':
      return typeof x.text === 'string';
    case 'backprop':
      return isBackpropResult(x.result) && isBackpropSource(x.source) && isObject(x.at);
    case 'copied':
      return isCopyWhat(x.what);
    case 'inserted':
    case 'revealed':
      return typeof x.ok === 'boolean' && typeof x.text === 'string';
    default:
      return false;
  }
}

/** Messages the host accepts from the backprop webview (checked field by field). */
export function isBackpropToExtension(x: unknown): x is BackpropToExtension {
  if (!isObject(x)) return false;
  const common = commonWebviewMessage(x);
  if (common !== undefined) return common;
  switch (x.type) {
    case 'insert':
      return typeof x.code === 'string' && isInsertTarget(x.target);
    case 'reveal':
      return isNat(x.from) && isNat(x.to) && x.to >= x.from;
    case 'recompute':
      return isAt(x.at);
    default:
      return false;
  }
}

export function isBackpropPanelState(x: unknown): x is BackpropPanelState {
  return (
    isObject(x) &&
    x.version === 1 &&
    (x.last === undefined || (isExtensionToBackprop(x.last) && x.last.type === 'backprop')) &&
    (x.step === undefined || isNat(x.step)) &&
    (x.selected === undefined || isNat(x.selected)) &&
    (x.collapsed === undefined || typeof x.collapsed === 'boolean')
  );
}
