/**
 * The public interface of the tensor-shape analysis (issue 3): what the CLI
 * prints, what hovers, inlay hints and diagnostics read, and what the fixture
 * tests compare with real NumPy/PyTorch runs. Keep it stable.
 *
 * Positions: `line` is 1-based and `column` 0-based (as in Python's `ast`),
 * `from`/`to` are 0-based UTF-16 offsets into the analyzed source.
 */
import type { ShapeHost } from './host';

export type { ShapeHost, FileStat } from './host';

/** A dimension as the outside world sees it: a size, a symbolic size ("B", "H - 2"), or unknown. */
export type PublicDim = number | string | null;

/**
 * A shape: a list of dimensions; `[]` for 0-d arrays and NumPy scalars
 * produced by reductions; `null` when the value is not a tensor or its rank
 * is unknown.
 */
export type PublicShape = PublicDim[] | null;

/** One rule application in the derivation of a shape, with the numbers filled in. */
export interface ShapeStep {
  /** The rule: "broadcast", "matmul", "conv2d output size", "reshape", "sum over axis 1", … */
  rule: string;
  /** The rule with the actual values: "broadcast (4, 1) with (5,) → (4, 5)". */
  detail: string;
  /** Optional LaTeX of the formula with values, e.g. ⌊(32 + 2·1 − 1·(3−1) − 1)/1⌋ + 1 = 32. */
  latex?: string;
  /** The workspace file the value was read from (np.load's .npy/.npz, an imported module), as shown to the user. */
  file?: string;
}

/** What a hover shows for a name or subexpression. */
export interface ShapeInfo {
  from: number;
  to: number;
  /** Source text of the expression. */
  text: string;
  /** 'tensor' for arrays/tensors, 'int' for known integers, 'module' for nn layers, … */
  kind: 'tensor' | 'int' | 'float' | 'tuple' | 'module' | 'function' | 'unknown';
  lib?: 'numpy' | 'torch';
  shape: PublicShape;
  /** Known integer value, for `kind: 'int'` (dimensions such as n, d = 64, 10). */
  value?: number;
  /** How the shape was derived, outermost rule last. */
  steps: ShapeStep[];
  /** 1-based line where the value was produced (the binding's assignment). */
  originLine: number;
  /** When the shape is unknown: what stopped the analysis ("unknown function foo", "module helpers is not analysed"). */
  unknownReason?: string;
}

/** One entry per name bound by an assignment, at its binding site. */
export interface SymbolShape {
  name: string;
  line: number;
  column: number;
  shape: PublicShape;
  /** When the shape is unknown and the analysis knows why: what stopped it. */
  unknownReason?: string;
}

export interface ShapeDiagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** 'information' for an error the program catches on purpose (inside a `try` whose handler catches it). */
  severity: 'error' | 'warning' | 'information';
  /** Names the failing subexpression and both shapes, like TensorSensor, before running. */
  message: string;
  /** Machine-readable kind: 'matmul', 'broadcast', 'reshape', 'concat', 'linear', 'conv', 'sequential', … */
  code: string;
  from: number;
  to: number;
  /** Other places that explain the error, e.g. the nn.Sequential layer that receives the wrong size. */
  related?: ShapeRelated[];
}

export interface ShapeRelated {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  from: number;
  to: number;
  message: string;
}

/** An inlay hint: the shape at the end of an assignment line. */
export interface ShapeHint {
  /** Offset at the end of the assignment statement. */
  offset: number;
  line: number;
  label: string;
}

export interface ShapeAnalysis {
  symbols: SymbolShape[];
  diagnostics: ShapeDiagnostic[];
  hints: ShapeHint[];
  /** The innermost analyzed name or expression covering `offset`, for hovers. */
  at(offset: number): ShapeInfo | undefined;
  /** Set when the analysis was cut by its budget (what was reached is still reported). */
  cut?: string;
}

export interface ShapeOptions {
  /** Time budget in milliseconds (default 1000). */
  budgetMs?: number;
  /**
   * Read access to the workspace (host.ts): `np.load` headers and the workspace's own modules.
   * Without it, those values are unknown.
   */
  host?: ShapeHost;
  /** The analyzed file's absolute path (its folder is searched first); none for an unsaved buffer. */
  file?: string;
}
