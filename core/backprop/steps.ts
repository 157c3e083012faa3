/**
 * The forward and backward passes as an ordered list of steps for playback:
 * first every operation in topological order (its value from its inputs'),
 * then the seed ∂output/∂output = 1, then every operation in reverse order
 * sending upstream · local down each of its edges. A UI highlights `node`
 * (and `edges`) of the current step and shows `text`.
 */
import type { Graph } from './graph';
import { fmt } from './values';
import type { Numeric } from './tensor';
import type { Tensor } from './tensor';
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
    const edges = n.inputs.map((_, slot) => edgeStart[id]! + slot);
    const tex = ev.tex[id] ?? n.label;
    const t = ev.shaped?.tensors[id];
    if (t && t.shape.length) {
      const step = { phase: 'forward' as const, node: id, edges, latex: `${tex} = ${arrayTex(t)}`, text: `${n.name ?? n.label} = ${n.label} = ${arrayText(t)}` };
      if (!push(step)) break;
      continue;
    }
    const v = t ? t.data[0]! : (ev.values[id] as number);
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
        const p = ev.shaped?.grads && ev.shaped.tensors[src];
        if (ev.shaped && p) {
          const sh = ev.shaped.shapes[src]!;
          const prod = e.product;
          const shown = typeof prod === 'number' ? String(prod) : arrayText({ shape: sh, data: Float64Array.from(flat(prod)) });
          text.push(`d${g.nodes[src]!.name ?? g.nodes[src]!.label} += ${shown}`);
        } else text.push(`${g.nodes[src]!.name ?? g.nodes[src]!.label} += ${e.upstream} * ${e.local} = ${e.product}`);
      });
      if (!edges.length) continue;
      push({ phase: 'backward', node: id, edges, latex: tex.join(',\\quad '), text: text.join('; ') });
    }
  }
  return { steps, truncated };
}

/** Entries shown per axis before eliding (first ones, then the last). */
const SHOW = 3;

function picks(n: number): (number | null)[] {
  if (n <= SHOW + 1) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: SHOW - 1 }, (_, i) => i), null, n - 1];
}

/** A vector or matrix as a LaTeX bmatrix with its shape, elided past a few entries per axis. */
export function arrayTex(t: Tensor): string {
  const shape = t.shape.join('\\times ');
  if (t.shape.length > 2) return `\\text{array of shape } ${shape}`;
  const rows = t.shape.length === 2 ? t.shape[0]! : 1;
  const cols = t.shape[t.shape.length - 1]!;
  const body = picks(rows).map((i) =>
    picks(cols)
      .map((j) => (i === null ? (j === null ? '\\ddots' : '\\vdots') : j === null ? '\\cdots' : fmt(t.data[i * cols + j]!)))
      .join(' & '),
  );
  return `\\begin{bmatrix} ${body.join(' \\\\ ')} \\end{bmatrix}_{${shape}}`;
}

/** The same as text: `(4, 3) [[0.1, -0.2, …], …]`. */
export function arrayText(t: Tensor): string {
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  const num = (x: number) => String(Number(x.toPrecision(4)));
  if (t.shape.length > 2) return `array ${shape}`;
  const rows = t.shape.length === 2 ? t.shape[0]! : 1;
  const cols = t.shape[t.shape.length - 1]!;
  const row = (i: number) => `[${picks(cols).map((j) => (j === null ? '…' : num(t.data[i * cols + j]!))).join(', ')}]`;
  const text = t.shape.length === 1 ? row(0) : `[${picks(rows).map((i) => (i === null ? '…' : row(i))).join(', ')}]`;
  return `${shape} ${text}`;
}

function flat(v: Numeric): number[] {
  const out: number[] = [];
  const stack: Numeric[] = [v];
  while (stack.length) {
    const x = stack.pop()!;
    if (typeof x === 'number') out.push(x);
    else for (let i = x.length - 1; i >= 0; i--) stack.push(x[i]!);
  }
  return out;
}
