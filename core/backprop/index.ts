/**
 * `backpropGraph(text, options)`: a forward pass → its computational graph
 * with forward values, backward gradients, each node's local derivative
 * (LaTeX), the chain-rule product on every edge, a left-to-right layout, a
 * folded view of repeated structure for large graphs, playback steps and
 * micrograd-style NumPy code for the backward pass. The shape of the result
 * is the `mathlens backprop --json` contract of issue 6. Never throws.
 */
import { Budget, BudgetExceeded } from '../budget';
import { ParseError } from '../parse/common';
import { numpyBackward } from './codegen';
import { collapseGraph } from './collapse';
import type { ViewNode } from './collapse';
import { buildGraph } from './graph';
import type { Op } from './graph';
import { layoutDag } from './layout';
import type { LayoutEdge } from './layout';
import { buildSteps } from './steps';
import type { Step } from './steps';
import { evaluateShaped, needsShapes } from './shaped';
import { evaluateGraph } from './values';
import type { EdgeValue, LeafSource } from './values';

export type { Op } from './graph';
export type { Step } from './steps';

/**
 * A value in the graph: a number for a scalar, nested arrays in row-major order
 * for a vector or matrix (what NumPy's `tolist()` gives).
 */
export type Numeric = number | Numeric[];

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

/** Above this many nodes the LaTeX of local derivatives and chain products is left out (numbers stay). */
const LATEX_LIMIT = 5000;

export function backpropGraph(text: string, options: BackpropOptions = {}): BackpropResult {
  const budget = new Budget(options.budgetMs ?? 2000);
  try {
    if (typeof text !== 'string') return { ok: false, error: { message: 'the selection is not text', offset: 0, length: 0 } };
    const g = buildGraph(text, { budget, maxNodes: options.maxNodes });
    const latex = g.nodes.length <= LATEX_LIMIT;
    // A graph of scalars only is evaluated exactly as before; vectors and matrices go to shaped.ts.
    const ev = needsShapes(g, options)
      ? evaluateShaped(g, { at: options.at, values: options.values, shapes: options.shapes, budget, latex })
      : evaluateGraph(g, { at: options.at as Record<string, number> | undefined, values: options.values, budget, latex });
    const notes = [...g.notes, ...ev.notes];
    if (!latex) notes.push(`The graph has ${g.nodes.length} nodes: local derivatives are given as numbers only (LaTeX up to ${LATEX_LIMIT} nodes).`);
    budget.stage = 'the layout';
    const layout = layoutDag({ inputs: g.nodes.map((n) => n.inputs), labels: g.nodes.map((n) => n.label) });
    const edgeStart: number[] = [0];
    for (const n of g.nodes) edgeStart.push(edgeStart[edgeStart.length - 1]! + n.inputs.length);
    const { steps, truncated } = buildSteps(g, ev, edgeStart);
    if (truncated) notes.push(`Playback is cut at ${steps.length} steps.`);
    budget.stage = 'the NumPy code';
    const numpy = numpyBackward(g, ev);
    budget.stage = 'folding repeated structure';
    const view = collapseGraph(g);
    let collapsed: BackpropSuccess['collapsed'];
    if (view) {
      const vl = layoutDag({ inputs: view.nodes.map((v) => v.inputs), labels: view.nodes.map((v) => v.label) });
      collapsed = {
        nodes: view.nodes.map((v, i) => ({ ...v, x: vl.nodes[i]!.x, y: vl.nodes[i]!.y, width: vl.nodes[i]!.width, height: vl.nodes[i]!.height })),
        edges: vl.edges,
        width: vl.width,
        height: vl.height,
      };
      const folded = view.nodes.filter((v) => v.count > 1).length;
      notes.push(`Repeated structure is folded into ${folded} node${folded === 1 ? '' : 's'} (×k) in the collapsed view.`);
    }
    // The layout's edges are in the same order as the evaluated edges (node by node, slot by slot).
    const edges: BackpropEdge[] = ev.edges.map((e, k) => ({ ...e, points: layout.edges[k]!.points }));
    const nodes: BackpropNode[] = g.nodes.map((n) => {
      const p = layout.nodes[n.id]!;
      const out: BackpropNode = {
        id: n.id,
        op: n.op,
        label: n.label,
        inputs: n.inputs,
        value: ev.values[n.id]!,
        grad: ev.grads[n.id] ?? null,
        tex: ev.tex[n.id]!,
        local: ev.local[n.id]!,
        line: n.line,
        from: n.from,
        to: n.to,
        x: p.x,
        y: p.y,
        width: p.width,
        height: p.height,
        layer: p.layer,
      };
      if (n.name !== undefined) out.name = n.name;
      const shape = ev.shaped?.shapes[n.id];
      if (shape?.length) out.shape = shape;
      if (view) out.view = view.viewOf[n.id]!;
      return out;
    });
    const result: BackpropSuccess = {
      ok: true,
      output: g.outputName,
      outputId: g.output,
      nodes,
      edges,
      leaves: ev.leaves.map((l) => ({ name: l.name, id: l.id, ...(l.shape ? { shape: l.shape } : {}), value: l.value, grad: l.grad, source: l.source })),
      steps,
      numpy,
      notes,
      width: layout.width,
      height: layout.height,
    };
    if (collapsed) result.collapsed = collapsed;
    return result;
  } catch (err) {
    if (err instanceof ParseError) return { ok: false, error: { message: err.message, offset: err.offset, length: err.length } };
    if (err instanceof BudgetExceeded) {
      return { ok: false, error: { message: `${err.message} (the graph is too large for the budget)`, offset: 0, length: 0 } };
    }
    if (err instanceof RangeError) return { ok: false, error: { message: 'the forward pass is too large', offset: 0, length: 0 } };
    const msg = err instanceof Error ? err.message : String(err);
    return { ok: false, error: { message: `internal error: ${msg}`, offset: 0, length: 0 } };
  }
}
