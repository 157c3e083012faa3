/**
 * The backward pass as NumPy code, written out by hand the way micrograd
 * teaches it: the inputs, one forward line per operation, then one gradient
 * variable `d_<name>` per node, seeded with d_<output> = 1.0 and filled in
 * reverse topological order; a node used more than once (fan-out) gets one
 * `+=` per use. Run with the same inputs it reproduces the gradients of
 * values.ts and of PyTorch's autograd (test/fixtures/backprop/generate.py runs
 * it and records `codegen_ok`). Input `x`'s gradient is in `d_x`.
 */
import type { Graph, GraphNode } from './graph';
import type { Evaluated } from './values';

/** A float as Python source (repr-compatible: shortest round-trip digits). */
export function pyFloat(v: number): string {
  if (Number.isNaN(v)) return 'np.nan';
  if (!Number.isFinite(v)) return v > 0 ? 'np.inf' : '-np.inf';
  const s = String(v);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

const PY_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield np'.split(' '),
);

/** Python variable names for every node (constants get their literal). */
export function variableNames(g: Graph): string[] {
  const used = new Set<string>(PY_KEYWORDS);
  const names = new Array<string>(g.nodes.length).fill('');
  const counts = new Map<string, number>();
  for (const n of g.nodes) if (n.name !== undefined && n.op !== 'input') counts.set(n.name, (counts.get(n.name) ?? 0) + 1);
  const valid = (s: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);
  const claim = (want: string, fallback: string): string => {
    let s = valid(want) && !used.has(want) && !used.has(`d_${want}`) ? want : fallback;
    let k = 2;
    const base = s;
    while (used.has(s)) s = `${base}_${k++}`;
    used.add(s);
    return s;
  };
  // Inputs first, so they keep their own names.
  for (const n of g.nodes) if (n.op === 'input') names[n.id] = claim(n.name!, `in${n.id}`);
  for (const n of g.nodes) {
    if (n.op === 'input') continue;
    if (n.op === 'const') {
      const s = /^\d+(?:\.\d*)?(?:[eE][+-]?\d+)?$/.test(n.label) && Number(n.label) === n.literal ? n.label : pyFloat(n.literal ?? NaN);
      names[n.id] = s.startsWith('-') ? `(${s})` : s;
      continue;
    }
    if (n.name !== undefined) {
      const once = (counts.get(n.name) ?? 0) === 1 && !g.inputs.has(n.name);
      names[n.id] = claim(once ? n.name : `${n.name}_${n.version ?? 1}`, `t${n.id}`);
    } else names[n.id] = claim(`t${n.id}`, `t${n.id}`);
  }
  return names;
}

function forwardLine(n: GraphNode, v: string[]): string {
  const a = v[n.inputs[0] ?? 0] ?? '';
  const b = v[n.inputs[1] ?? 0] ?? '';
  switch (n.op) {
    case 'add':
      return `${a} + ${b}`;
    case 'sub':
      return `${a} - ${b}`;
    case 'mul':
      return `${a} * ${b}`;
    case 'div':
      return `${a} / ${b}`;
    case 'pow':
      return `${a} ** ${b}`;
    case 'neg':
      return `-${a}`;
    case 'sigmoid':
      return `1.0 / (1.0 + np.exp(-${a}))`;
    case 'relu':
      return `np.maximum(${a}, 0.0)`;
    case 'softplus':
      return `np.where(${a} > 20, ${a}, np.log1p(np.exp(${a})))`;
    case 'silu':
      return `${a} / (1.0 + np.exp(-${a}))`;
    case 'atan':
      return `np.arctan(${a})`;
    case 'square':
      return `${a} * ${a}`;
    case 'reciprocal':
      return `1.0 / ${a}`;
    case 'maximum':
      return `np.maximum(${a}, ${b})`;
    case 'minimum':
      return `np.minimum(${a}, ${b})`;
    case 'leaky_relu':
      return `np.where(${a} > 0, ${a}, ${a} * ${b})`;
    case 'input':
    case 'const':
      return a;
    default:
      return `np.${n.op}(${a})`;
  }
}

/** The gradient line for one edge: `d_a += d_n * <local>`. */
function backwardLine(n: GraphNode, slot: number, v: string[], g: Graph): string {
  const a = v[n.inputs[0]!]!;
  const b = v[n.inputs[1] ?? 0] ?? '';
  const y = v[n.id]!;
  const dn = `d_${y}`;
  const dx = `d_${v[n.inputs[slot]!]!}`;
  const times = (local: string) => `${dx} += ${dn} * ${local}`;
  switch (n.op) {
    case 'add':
      return `${dx} += ${dn}`;
    case 'sub':
      return slot === 0 ? `${dx} += ${dn}` : `${dx} -= ${dn}`;
    case 'mul':
      return times(slot === 0 ? b : a);
    case 'div':
      return slot === 0 ? `${dx} += ${dn} / ${b}` : `${dx} -= ${dn} * ${a} / (${b} * ${b})`;
    case 'pow': {
      if (slot === 1) return times(`${y} * np.log(${a})`);
      const e = g.nodes[n.inputs[1]!]!;
      if (e.op === 'const' && e.literal !== undefined) {
        const k = e.literal;
        if (k === 0) return `${dx} += 0.0`;
        if (k === 1) return `${dx} += ${dn}`;
        if (k === 2) return times(`2.0 * ${a}`);
        return times(`${pyFloat(k)} * ${a} ** ${k - 1 < 0 ? `(${pyFloat(k - 1)})` : pyFloat(k - 1)}`);
      }
      return times(`${b} * ${a} ** (${b} - 1.0)`);
    }
    case 'neg':
      return `${dx} -= ${dn}`;
    case 'exp':
      return times(y);
    case 'log':
      return `${dx} += ${dn} / ${a}`;
    case 'log1p':
      return `${dx} += ${dn} / (1.0 + ${a})`;
    case 'expm1':
      return times(`(${y} + 1.0)`);
    case 'tanh':
      return times(`(1.0 - ${y} ** 2)`);
    case 'sigmoid':
      return times(`(1.0 - ${y}) * ${y}`);
    case 'relu':
      return times(`(${a} > 0)`);
    case 'softplus':
      return times(`np.where(${a} > 20, 1.0, 1.0 / (1.0 + np.exp(-${a})))`);
    case 'silu':
      return times(`(1.0 / (1.0 + np.exp(-${a}))) * (1.0 + ${a} * (1.0 - 1.0 / (1.0 + np.exp(-${a}))))`);
    case 'sin':
      return times(`np.cos(${a})`);
    case 'cos':
      return `${dx} -= ${dn} * np.sin(${a})`;
    case 'tan':
      return times(`(1.0 + ${y} ** 2)`);
    case 'sinh':
      return times(`np.cosh(${a})`);
    case 'cosh':
      return times(`np.sinh(${a})`);
    case 'atan':
      return `${dx} += ${dn} / (1.0 + ${a} * ${a})`;
    case 'sqrt':
      return `${dx} += ${dn} / (2.0 * ${y})`;
    case 'abs':
      return times(`np.sign(${a})`);
    case 'square':
      return times(`2.0 * ${a}`);
    case 'reciprocal':
      return `${dx} -= ${dn} * ${y} * ${y}`;
    case 'maximum':
    case 'minimum': {
      const [m, o] = slot === 0 ? [a, b] : [b, a];
      return times(`np.where(${m} == ${o}, 0.5, ${m} ${n.op === 'maximum' ? '>' : '<'} ${o})`);
    }
    case 'leaky_relu':
      return times(slot === 0 ? `np.where(${a} > 0, 1.0, ${b})` : `np.where(${a} > 0, 0.0, ${a})`);
    case 'input':
    case 'const':
      return '';
  }
}

/** NumPy code for the forward and backward passes at the evaluated point. */
export function numpyBackward(g: Graph, ev: Evaluated): string {
  const v = variableNames(g);
  const out = g.nodes[g.output]!;
  const lines: string[] = ['import numpy as np', '', '# inputs'];
  for (const l of ev.leaves) lines.push(`${v[l.id]} = ${pyFloat(l.value)}`);
  lines.push('', '# forward pass');
  for (const n of g.nodes) if (n.op !== 'input' && n.op !== 'const') lines.push(`${v[n.id]} = ${forwardLine(n, v)}`);
  lines.push('', `# backward pass: d_<v> is the gradient of ${v[out.id]} with respect to v (+= adds up every use)`);
  const req = (id: number) => ev.grads[id] !== null;
  if (!req(out.id)) {
    lines.push(`# ${v[out.id]} depends on no input`);
    for (const l of ev.leaves) lines.push(`d_${v[l.id]} = 0.0`);
    return lines.join('\n') + '\n';
  }
  for (let id = 0; id < g.nodes.length; id++) {
    const n = g.nodes[id]!;
    if (!req(id) || n.op === 'const') continue;
    lines.push(`d_${v[id]} = ${id === out.id ? '1.0' : '0.0'}`);
  }
  for (let id = g.output; id >= 0; id--) {
    const n = g.nodes[id]!;
    if (!req(id) || n.op === 'input' || n.op === 'const') continue;
    n.inputs.forEach((src, slot) => {
      if (req(src)) lines.push(backwardLine(n, slot, v, g));
    });
  }
  return lines.join('\n') + '\n';
}
