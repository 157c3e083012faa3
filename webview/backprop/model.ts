/**
 * What the panel shows at a playback position, read off the engine's steps
 * (nothing is computed here: values and gradients are the engine's, only
 * their visibility depends on the step).
 *
 * The position is the number of steps applied (0 = nothing computed yet,
 * `steps.length` = everything); `undefined` shows everything, also when the
 * engine cut the playback short.
 */
import type { BackpropSuccess, Step } from '../../core/backprop/index';

export interface Timeline {
  total: number;
  /** Per node: index of the forward step computing it; -1 for leaves (known from the start); Infinity if never played. */
  valueAt: number[];
  /** Per node: index of the step after which its gradient is complete; Infinity when it has none or is never played. */
  gradAt: number[];
  /** Per node: the step indices that add to its gradient (the seed for the output). */
  contributions: number[][];
  /** Per edge: the backward step sending a gradient down it (Infinity if none). */
  edgeFlow: number[];
}

export function timeline(r: BackpropSuccess): Timeline {
  const n = r.nodes.length;
  const valueAt = r.nodes.map((node) => (node.op === 'input' || node.op === 'const' ? -1 : Infinity));
  const contributions: number[][] = r.nodes.map(() => []);
  const edgeFlow = r.edges.map(() => Infinity);
  r.steps.forEach((s: Step, i) => {
    if (s.node < 0 || s.node >= n) return;
    if (s.phase === 'forward') {
      valueAt[s.node] = Math.min(valueAt[s.node]!, i);
      return;
    }
    if (!s.edges.length && s.node === r.outputId) contributions[s.node]!.push(i);
    for (const k of s.edges) {
      const e = r.edges[k];
      if (!e) continue;
      edgeFlow[k] = Math.min(edgeFlow[k]!, i);
      contributions[e.from]?.push(i);
    }
  });
  const gradAt = r.nodes.map((node, id) => {
    if (node.grad === null) return Infinity;
    const c = contributions[id]!;
    return c.length ? Math.max(...c) : Infinity;
  });
  return { total: r.steps.length, valueAt, gradAt, contributions, edgeFlow };
}

export interface NodeState {
  /** The value is known at this position. */
  value: boolean;
  /** The gradient is complete (when the node has one: `grad !== null`). */
  grad: boolean;
  /** Contributions to the gradient received / expected (partial while received < expected). */
  received: number;
  expected: number;
}

export function nodeState(t: Timeline, id: number, step: number | undefined): NodeState {
  const c = t.contributions[id] ?? [];
  if (step === undefined) return { value: true, grad: true, received: c.length, expected: c.length };
  const received = c.filter((i) => i < step).length;
  return { value: t.valueAt[id]! < step, grad: t.gradAt[id]! < step, received, expected: c.length };
}

/** The step shown as current: the last one applied. */
export function currentStep(r: BackpropSuccess, step: number | undefined): Step | undefined {
  return step === undefined || step <= 0 ? undefined : r.steps[step - 1];
}
