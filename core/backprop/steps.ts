/**
 * The forward and backward passes as an ordered list of steps for playback:
 * first every operation in topological order (its value from its inputs'),
 * then the seed ∂output/∂output = 1, then every operation in reverse order
 * sending upstream · local down each of its edges. A UI highlights `node`
 * (and `edges`) of the current step and shows `text`.
 */
import type { Graph } from './graph';
import { fmt } from './values';
import type { Evaluated } from './values';

export interface Step {
  phase: 'forward' | 'backward';
  /** The node this step computes (forward) or whose gradient it sends down (backward). */
  node: number;
  /** Edge indices (into the result's `edges`) active in this step. */
  edges: number[];
  /** What happens, as LaTeX: `z = w x + b = -0.5`, or `\frac{∂L}{∂z} \mathrel{+}= … = …`. */
  latex: string;
  /** The same in plain text. */
  text: string;
}

export function buildSteps(g: Graph, ev: Evaluated, edgeStart: readonly number[], maxSteps = 5000): { steps: Step[]; truncated: boolean } {
  const steps: Step[] = [];
  const N = g.nodes.length;
  let truncated = false;
  const push = (s: Step): boolean => {
    if (steps.length >= maxSteps) {
      truncated = true;
      return false;
    }
    steps.push(s);
    return true;
  };
  for (let id = 0; id < N; id++) {
    const n = g.nodes[id]!;
    if (n.op === 'input' || n.op === 'const') continue;
    const v = ev.values[id]!;
    const edges = n.inputs.map((_, slot) => edgeStart[id]! + slot);
    const tex = ev.tex[id] ?? n.label;
    if (!push({ phase: 'forward', node: id, edges, latex: `${tex} = ${fmt(v)}`, text: `${n.name ?? n.label} = ${n.label} = ${String(v)}` })) break;
  }
  const out = g.nodes[g.output]!;
  if (ev.grads[g.output] !== null) {
    push({ phase: 'backward', node: g.output, edges: [], latex: `\\frac{\\partial ${ev.tex[g.output]}}{\\partial ${ev.tex[g.output]}} = 1`, text: `d${out.name ?? 'out'} = 1` });
    for (let id = g.output; id >= 0 && !truncated; id--) {
      const n = g.nodes[id]!;
      if (n.op === 'input' || n.op === 'const' || ev.grads[id] === null) continue;
      const edges: number[] = [];
      const tex: string[] = [];
      const text: string[] = [];
      n.inputs.forEach((src, slot) => {
        const k = edgeStart[id]! + slot;
        const e = ev.edges[k]!;
        if (e.product === null) return;
        edges.push(k);
        if (e.chain) tex.push(e.chain);
        text.push(`${g.nodes[src]!.name ?? g.nodes[src]!.label} += ${e.upstream} * ${e.local} = ${e.product}`);
      });
      if (!edges.length) continue;
      push({ phase: 'backward', node: id, edges, latex: tex.join(',\\quad '), text: text.join('; ') });
    }
  }
  return { steps, truncated };
}
