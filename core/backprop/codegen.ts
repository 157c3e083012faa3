/**
 * The backward pass as NumPy code, written out by hand the way micrograd
 * teaches it: the inputs, one forward line per operation, then one gradient
 * variable `d_<name>` per node, seeded with d_<output> = 1.0 and filled in
 * reverse topological order; a node used more than once (fan-out) gets one
 * `+=` per use. Run with the same inputs it reproduces the gradients of
 * values.ts and of PyTorch's autograd (test/fixtures/backprop/generate.py runs
 * it and records `codegen_ok`). Input `x`'s gradient is in `d_x`.
 */
import { broadcast } from '../matcalc/shapes';
import { accumulate, CODE, codeNum, pyFloat } from './builders';
import type { Code } from './builders';
import { entryOf } from './graph';
import type { Graph, GraphNode } from './graph';
import { broadcastAxes } from './tensor';
import type { Tensor } from './tensor';
import { localDerivatives } from './values';
import type { Evaluated } from './values';

export { pyFloat };

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
  // A subscripted name (p["w1"], X[i, 0], self.w) gets an identifier made from its text: p_w1, X_i_0, self_w.
  const identifier = (name: string): string => name.replace(/\W+/g, '_').replace(/^_+|_+$/g, '');
  for (const n of g.nodes) if (n.op === 'input') names[n.id] = claim(valid(n.name!) ? n.name! : identifier(n.name!), `in${n.id}`);
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

/** `  # p["w1"]` after an input whose Python name differs from the text it was written as. */
function inputNote(g: Graph, id: number, v: string[]): string {
  const name = g.nodes[id]?.name;
  return name !== undefined && name !== v[id] ? `  # ${name}` : '';
}

function forwardLine(n: GraphNode, v: string[]): string {
  const a = v[n.inputs[0] ?? 0] ?? '';
  const b = v[n.inputs[1] ?? 0] ?? '';
  const e = entryOf(n);
  if (e) {
    // The catalogue's NumPy code (core/ops), with PyTorch's cut-off where the entry has one.
    const code = e.numpy(n.inputs.map((i) => v[i]!), (n.scalars ?? []).map(pyFloat));
    return e.linearAbove === undefined ? code : `np.where(${a} > ${e.linearAbove}, ${a}, ${code})`;
  }
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
  const e = entryOf(n);
  if (e) {
    // The catalogue's derivative built as code, the entry of the node's own arguments written as the node.
    const atom = (s: string): Code => ({ s, prec: 5 });
    const args = n.inputs.map((i) => atom(v[i]!));
    let local = localDerivatives(CODE, e, args, (n.scalars ?? []).map(codeNum), atom(y))[slot]!;
    if (e.linearAbove !== undefined) local = { s: `np.where(${a} > ${e.linearAbove}, ${slot === 0 ? '1.0' : '0.0'}, ${local.s})`, prec: 5 };
    return accumulate(dx, dn, local);
  }
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
    case 'input':
    case 'const':
      return '';
    default:
      return `# ${n.op}: see the shaped backward code`;
  }
}

/** `import numpy as np`, and SciPy's special functions when the code calls them. */
function imports(body: readonly string[]): string[] {
  return body.some((l) => l.includes('scipy.special.')) ? ['import numpy as np', 'import scipy.special'] : ['import numpy as np'];
}

/** NumPy code for the forward and backward passes at the evaluated point. */
export function numpyBackward(g: Graph, ev: Evaluated): string {
  if (ev.shaped) return numpyBackwardShaped(g, ev);
  const v = variableNames(g);
  const out = g.nodes[g.output]!;
  const lines: string[] = ['# inputs'];
  for (const l of ev.leaves) lines.push(`${v[l.id]} = ${pyFloat(l.value as number)}${inputNote(g, l.id, v)}`);
  lines.push('', '# forward pass');
  for (const n of g.nodes) if (n.op !== 'input' && n.op !== 'const') lines.push(`${v[n.id]} = ${forwardLine(n, v)}`);
  lines.push('', `# backward pass: d_<v> is the gradient of ${v[out.id]} with respect to v (+= adds up every use)`);
  const req = (id: number) => ev.grads[id] !== null;
  if (!req(out.id)) {
    lines.push(`# ${v[out.id]} depends on no input`);
    for (const l of ev.leaves) lines.push(`d_${v[l.id]} = 0.0`);
    return [...imports(lines), '', ...lines].join('\n') + '\n';
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
  return [...imports(lines), '', ...lines].join('\n') + '\n';
}

// ---------------------------------------------------------------------------
// Graphs with vectors and matrices

/** Arrays with more entries than this are not written out in the code (a placeholder of the right shape instead). */
const MAX_PRINTED_ENTRIES = 10_000;

const HELPERS: Readonly<Record<'softmax' | 'log_softmax' | 'cross_entropy', string[]>> = {
  softmax: [
    'def softmax(z, axis):',
    '    e = np.exp(z - np.max(z, axis=axis, keepdims=True))',
    '    return e / np.sum(e, axis=axis, keepdims=True)',
  ],
  log_softmax: [
    'def log_softmax(z, axis):',
    '    s = z - np.max(z, axis=axis, keepdims=True)',
    '    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))',
  ],
  cross_entropy: [
    'def cross_entropy(z, t, reduction="mean"):  # PyTorch\'s F.cross_entropy with class indices t',
    '    lp = log_softmax(z, axis=-1)',
    '    picked = np.take_along_axis(np.atleast_2d(lp), np.asarray(t, dtype=int).reshape(-1, 1), axis=-1)',
    '    return -np.sum(picked) if reduction == "sum" else -np.mean(picked)',
  ],
};

function pyArray(t: Tensor, integer: boolean): string {
  const num = (x: number) => (integer && Number.isInteger(x) ? String(x) : pyFloat(x));
  if (t.shape.length === 0) return num(t.data[0]!);
  if (t.data.length > MAX_PRINTED_ENTRIES) {
    return `np.zeros(${pyShape(t.shape)})  # ${t.data.length} values not written out (more than ${MAX_PRINTED_ENTRIES}): load them here`;
  }
  const nested = (start: number, ax: number): string => {
    const d = t.shape[ax]!;
    if (ax === t.shape.length - 1) return `[${Array.from(t.data.subarray(start, start + d), num).join(', ')}]`;
    const stride = t.shape.slice(ax + 1).reduce((a, b) => a * b, 1);
    const rows: string[] = [];
    for (let i = 0; i < d; i++) rows.push(nested(start + i * stride, ax + 1));
    return `[${rows.join(', ')}]`;
  };
  return `np.array(${nested(0, 0)})`;
}

function pyShape(s: readonly number[]): string {
  return s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`;
}

const pyAxes = (axes: readonly number[]): string => (axes.length === 1 ? String(axes[0]) : pyShape(axes));

/** `expr` summed back to an operand's shape after broadcasting (leading axes, then the operand's 1s). */
function unbroadcastCode(expr: string, big: readonly number[], small: readonly number[]): string {
  if (big.length === small.length && big.every((d, i) => d === small[i])) return expr;
  if (small.length === 0) return `np.sum(${expr})`;
  const { lead, keep } = broadcastAxes(big, small);
  let out = lead.length ? `np.sum(${expr}, axis=${pyAxes(lead)})` : expr;
  if (keep.length) out = `np.sum(${out}, axis=${pyAxes(keep)}, keepdims=True)`;
  return out;
}

function reductionArgs(n: GraphNode, axes: readonly number[] | null): string {
  return `${axes ? `, axis=${pyAxes(axes)}` : ''}${n.params?.keepdims ? ', keepdims=True' : ''}`;
}

/** The normalized axes of a reduction or softmax node (null: every axis). */
function nodeAxes(n: GraphNode, inShape: readonly number[]): number[] | null {
  const a = n.params?.axis;
  if (a === undefined || a === null || n.op === 'transpose') return null;
  return a.map((x) => (x < 0 ? x + inShape.length : x)).sort((p, q) => p - q);
}

function shapedForward(n: GraphNode, v: string[], shapes: number[][], need: Set<string>): string {
  const a = v[n.inputs[0] ?? 0] ?? '';
  const b = v[n.inputs[1] ?? 0] ?? '';
  const sa = shapes[n.inputs[0] ?? 0] ?? [];
  const axes = nodeAxes(n, sa);
  switch (n.op) {
    case 'matmul':
      return `${a} @ ${b}`;
    case 'transpose':
      return n.params?.axis && n.params.axis[0] === n.params.axis[1] ? a : `${a}.T`;
    case 'sum':
    case 'mean':
      return `np.${n.op}(${a}${reductionArgs(n, axes)})`;
    case 'softmax':
    case 'log_softmax':
      need.add(n.op);
      return `${n.op}(${a}, axis=${axes ? axes[0] : 'None'})`;
    case 'cross_entropy':
      need.add('log_softmax');
      need.add('cross_entropy');
      return `cross_entropy(${a}, ${b}${n.params?.reduction === 'sum' ? ', "sum"' : ''})`;
    case 'mse_loss':
      return `np.${n.params?.reduction === 'sum' ? 'sum' : 'mean'}((${a} - ${b}) ** 2)`;
    case 'norm':
      return `np.linalg.norm(${a})`;
    default:
      return forwardLine(n, v);
  }
}

function shapedBackward(n: GraphNode, slot: number, v: string[], g: Graph, shapes: number[][], need: Set<string>): string {
  const a = v[n.inputs[0]!]!;
  const b = v[n.inputs[1] ?? 0] ?? '';
  const y = v[n.id]!;
  const dy = `d_${y}`;
  const dx = `d_${v[n.inputs[slot]!]!}`;
  const sa = shapes[n.inputs[0]!]!;
  const sb = shapes[n.inputs[1] ?? 0] ?? [];
  const sx = shapes[n.inputs[slot]!]!;
  const sy = shapes[n.id]!;
  const axes = nodeAxes(n, sa);
  switch (n.op) {
    case 'matmul': {
      const key = `${sa.length}${sb.length}`;
      if (key === '22') return slot === 0 ? `${dx} += ${dy} @ ${b}.T` : `${dx} += ${a}.T @ ${dy}`;
      if (key === '12') return slot === 0 ? `${dx} += ${b} @ ${dy}` : `${dx} += np.outer(${a}, ${dy})`;
      if (key === '21') return slot === 0 ? `${dx} += np.outer(${dy}, ${b})` : `${dx} += ${a}.T @ ${dy}`;
      return `${dx} += ${dy} * ${slot === 0 ? b : a}`;
    }
    case 'transpose':
      return `${dx} += ${n.params?.axis && n.params.axis[0] === n.params.axis[1] ? dy : `${dy}.T`}`;
    case 'sum':
    case 'mean': {
      const up = axes && !n.params?.keepdims ? `np.expand_dims(${dy}, ${pyAxes(axes)})` : dy;
      const count = sa.reduce((p, q) => p * q, 1) / (axes ? sa.filter((_, i) => !axes.includes(i)).reduce((p, q) => p * q, 1) : 1);
      return `${dx} += ${up}${n.op === 'mean' ? ` / ${count}` : ''}`;
    }
    case 'softmax': {
      const ax = axes ? `, axis=${axes[0]}, keepdims=True` : '';
      return `${dx} += ${y} * (${dy} - np.sum(${dy} * ${y}${ax}))`;
    }
    case 'log_softmax': {
      const ax = axes ? `, axis=${axes[0]}, keepdims=True` : '';
      return `${dx} += ${dy} - np.exp(${y}) * np.sum(${dy}${ax})`;
    }
    case 'cross_entropy': {
      need.add('softmax');
      const C = sa[sa.length - 1]!;
      const rows = sa.length === 2 ? sa[0]! : 1;
      const scale = n.params?.reduction === 'sum' || rows === 1 ? '' : ` / ${rows}`;
      return `${dx} += ${dy} * (softmax(${a}, axis=-1) - np.eye(${C})[np.asarray(${b}, dtype=int)])${scale}`;
    }
    case 'mse_loss': {
      const big = broadcast(sa, sb) as number[];
      const count = n.params?.reduction === 'sum' ? 1 : big.reduce((p, q) => p * q, 1);
      const expr = `${dy} * 2.0 * (${a} - ${b})${count === 1 ? '' : ` / ${count}`}`;
      return `${dx} ${slot === 0 ? '+' : '-'}= ${unbroadcastCode(expr, big, sx)}`;
    }
    case 'norm':
      return `${dx} += ${dy} * ${a} / ${y}`;
    default: {
      const line = backwardLine(n, slot, v, g);
      const m = /^(\S+) ([+-])= (.*)$/.exec(line);
      if (!m || (sx.length === sy.length && sx.every((d, i) => d === sy[i]))) return line;
      return `${m[1]} ${m[2]}= ${unbroadcastCode(m[3]!, sy, sx)}`;
    }
  }
}

/** NumPy code for a graph with vectors and matrices: gradients start as np.zeros_like, unbroadcast sums are explicit. */
export function numpyBackwardShaped(g: Graph, ev: Evaluated): string {
  const info = ev.shaped!;
  const v = variableNames(g);
  for (const n of g.nodes) if (n.op === 'const' && n.init) v[n.id] = `const_${n.id}`;
  const out = g.nodes[g.output]!;
  const need = new Set<string>();
  const body: string[] = ['# inputs'];
  for (const l of ev.leaves) body.push(`${v[l.id]} = ${pyArray(info.tensors[l.id]!, info.indexLeaves.has(l.id))}${inputNote(g, l.id, v)}`);
  const consts = g.nodes.filter((n) => n.op === 'const' && n.init);
  if (consts.length) {
    body.push('', '# constants');
    for (const n of consts) body.push(`${v[n.id]} = ${pyArray(info.tensors[n.id]!, n.init?.kind === 'array' && n.init.integer)}`);
  }
  body.push('', '# forward pass');
  for (const n of g.nodes) if (n.op !== 'input' && n.op !== 'const') body.push(`${v[n.id]} = ${shapedForward(n, v, info.shapes, need)}`);
  body.push('', `# backward pass: d_<v> is the gradient of ${v[out.id]} with respect to v, of v's shape (+= adds up every use)`);
  const req = (id: number) => ev.grads[id] !== null;
  if (!req(out.id)) {
    body.push(`# ${v[out.id]} depends on no input`);
    for (const l of ev.leaves) body.push(`d_${v[l.id]} = np.zeros_like(${v[l.id]}, dtype=float)`);
  } else {
    for (let id = 0; id < g.nodes.length; id++) {
      const n = g.nodes[id]!;
      if (!req(id) || n.op === 'const') continue;
      body.push(`d_${v[id]} = ${id === out.id ? '1.0' : `np.zeros_like(${v[id]}, dtype=float)`}`);
    }
    for (let id = g.output; id >= 0; id--) {
      const n = g.nodes[id]!;
      if (!req(id) || n.op === 'input' || n.op === 'const') continue;
      n.inputs.forEach((src, slot) => {
        if (req(src) && !(n.op === 'cross_entropy' && slot === 1)) body.push(shapedBackward(n, slot, v, g, info.shapes, need));
      });
    }
  }
  const lines = [...imports(body), ''];
  const order = ['softmax', 'log_softmax', 'cross_entropy'] as const;
  for (const h of order) if (need.has(h)) lines.push(...HELPERS[h], '');
  if (need.size) lines.push('');
  return [...lines, ...body].join('\n') + '\n';
}
