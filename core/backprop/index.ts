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
import { notAComputation } from '../reading';
import { numpyBackward } from './codegen';
import { collapseGraph } from './collapse';
import { buildGraph } from './graph';
import { layoutDag } from './layout';
import { buildSteps } from './steps';
import { evaluateShaped, needsShapes } from './shaped';
import { evaluateGraph } from './values';
import type { BackpropEdge, BackpropNode, BackpropOptions, BackpropResult, BackpropSuccess } from './types';

export type { Op } from './graph';
export type { Step } from './steps';
export type {
  BackpropEdge, BackpropFailure, BackpropLeaf, BackpropNode, BackpropOptions, BackpropResult, BackpropSuccess, CollapsedNode, Numeric,
} from './types';

/** Above this many nodes the LaTeX of local derivatives and chain products is left out (numbers stay). */
const LATEX_LIMIT = 5000;

export function backpropGraph(text: string, options: BackpropOptions = {}): BackpropResult {
  const budget = new Budget(options.budgetMs ?? 2000);
  try {
    if (typeof text !== 'string') return { ok: false, error: { message: 'the selection is not text', offset: 0, length: 0 } };
    const g = buildGraph(text, { budget, maxNodes: options.maxNodes, ...(options.definitions !== undefined ? { definitions: options.definitions } : {}) });
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
    if (err instanceof ParseError) {
      // A plotting or pandas call is no forward pass: the one reading of a selection says so.
      const why = notAComputation(text, 'python');
      if (why) return { ok: false, error: { message: why.message, offset: why.offset, length: why.length } };
      return { ok: false, error: { message: err.message, offset: err.offset, length: err.length } };
    }
    if (err instanceof BudgetExceeded) {
      return { ok: false, error: { message: `${err.message} (the graph is too large for the budget)`, offset: 0, length: 0 } };
    }
    if (err instanceof RangeError) return { ok: false, error: { message: 'the forward pass is too large', offset: 0, length: 0 } };
    const msg = err instanceof Error ? err.message : String(err);
    return { ok: false, error: { message: `internal error: ${msg}`, offset: 0, length: 0 } };
  }
}
