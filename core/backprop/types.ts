/**
 * The result types of `backpropGraph` (the `mathlens backprop --json` contract of issue 6).
 * Modules of core/backprop import each other directly; index.ts only re-exports these and
 * holds the entry point, so no module imports index.ts.
 */
import type { ViewNode } from './collapse';
import type { Op } from './graph';
import type { LayoutEdge } from './layout';
import type { Step } from './steps';
import type { Numeric } from './tensor';
import type { EdgeValue, LeafSource } from './values';

export type { Numeric };

export interface BackpropOptions {
  /** Values of the inputs (override the code's literals and the defaults); arrays for shaped inputs. */
  at?: Record<string, Numeric>;
  /**
   * Shapes of inputs whose value is not in the code: `"X:(4,3),w:(3,)"` or a record.
   * Symbolic sizes (`n`) get small concrete sizes, named in `notes`.
   */
  shapes?: string | Record<string, readonly (number | string)[]>;
  /**
   * Values written in the code around the selection (`valuesAbove` in context.ts): used, as 'code',
   * for inputs that neither `at` nor the selection gives a value.
   */
  values?: Record<string, Numeric>;
  /** Time budget in milliseconds (default 2000). */
  budgetMs?: number;
  /** Node budget (default 20,000). */
  maxNodes?: number;
  /**
   * The document around the selection (Python), or several texts (imported workspace modules first, then the document; a later text's definition wins): calls of the functions it defines are expanded through
   * their bodies, never taken to be the built-in function of that name.
   */
  definitions?: string | readonly string[];
}

export interface BackpropNode {
  id: number;
  op: Op;
  label: string;
  inputs: number[];
  /** The variable it was assigned to, if any. */
  name?: string;
  /** The node's shape; absent for a scalar (then `value` and `grad` are numbers). */
  shape?: number[];
  value: Numeric;
  /** ∂output/∂node (the shape of the node); null for constants and arithmetic on constants only. */
  grad: Numeric | null;
  /** The node as LaTeX (its name, or its expression when short). */
  tex: string;
  /** Local partial derivatives with respect to each input, as LaTeX. */
  local: string;
  /** 1-based line and 0-based [from, to) offsets in the selection. */
  line: number;
  from: number;
  to: number;
  x: number;
  y: number;
  width: number;
  height: number;
  layer: number;
  /** The folded node of the collapsed view this node belongs to (when there is a collapsed view). */
  view?: number;
}

export interface BackpropEdge extends EdgeValue {
  points: LayoutEdge['points'];
}

export interface BackpropLeaf {
  name: string;
  id: number;
  /** Absent for a scalar. */
  shape?: number[];
  value: Numeric;
  grad: Numeric;
  /** Where the value came from: the user's point, the code (`x = 0.5`), or the seeded default. */
  source: LeafSource;
}

export interface CollapsedNode extends ViewNode {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface BackpropSuccess {
  ok: true;
  /** The output's name (`loss`). */
  output: string;
  outputId: number;
  nodes: BackpropNode[];
  edges: BackpropEdge[];
  leaves: BackpropLeaf[];
  steps: Step[];
  numpy: string;
  notes: string[];
  width: number;
  height: number;
  /** Set by `forPanel` (panel.ts): arrays larger than the panel shows were cut to their corners. */
  sampled?: true;
  /** For graphs of more than 40 nodes with repeated structure: the folded view and its layout. */
  collapsed?: { nodes: CollapsedNode[]; edges: LayoutEdge[]; width: number; height: number };
}

export interface BackpropFailure {
  ok: false;
  error: { message: string; offset: number; length: number };
}

export type BackpropResult = BackpropSuccess | BackpropFailure;
