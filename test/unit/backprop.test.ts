import { describe, expect, it } from 'vitest';
import { backpropGraph } from '../../core/backprop';
import type { BackpropSuccess } from '../../core/backprop';
import { collapseGraph } from '../../core/backprop/collapse';
import { buildGraph } from '../../core/backprop/graph';
import { layoutDag } from '../../core/backprop/layout';
import { defaultValue } from '../../core/backprop/values';

function ok(text: string, at?: Record<string, number>): BackpropSuccess {
  const r = backpropGraph(text, at ? { at } : {});
  if (!r.ok) throw new Error(`${r.error.message} at ${r.error.offset}`);
  return r;
}

const NEURON = 'z = w*x + b; a = sigmoid(z); loss = (a - y)**2';

describe('graph structure', () => {
  it('one node per operation, leaves for inputs and constants, in topological order', () => {
    const r = ok(NEURON, { x: 0.5, w: -1.2, b: 0.1, y: 1 });
    expect(r.nodes.map((n) => n.op)).toEqual(['input', 'input', 'mul', 'input', 'add', 'sigmoid', 'input', 'sub', 'const', 'pow']);
    expect(r.nodes.map((n) => n.label)).toEqual(['w', 'x', 'w*x', 'b', 'w*x + b', 'sigmoid(z)', 'y', 'a - y', '2', '(a - y)**2']);
    expect(r.nodes[2]!.inputs).toEqual([0, 1]);
    expect(r.nodes[9]!.name).toBe('loss');
    expect(r.output).toBe('loss');
    for (const n of r.nodes) for (const i of n.inputs) expect(i).toBeLessThan(n.id);
    // Source spans point at the text.
    const mul = r.nodes[2]!;
    expect(NEURON.slice(mul.from, mul.to)).toBe('w*x');
    expect(NEURON.slice(r.nodes[9]!.from, r.nodes[9]!.to)).toBe('(a - y)**2');
  });

  it('the JSON contract: id, op, label, inputs, value, grad, local LaTeX, line', () => {
    const r = ok(NEURON, { x: 0.5, w: -1.2, b: 0.1, y: 1 });
    const mul = r.nodes[2]!;
    expect(mul).toMatchObject({ id: 2, op: 'mul', label: 'w*x', inputs: [0, 1], line: 1 });
    expect(mul.value).toBeCloseTo(-0.6, 15);
    expect(mul.local).toBe('\\frac{\\partial \\left(w x\\right)}{\\partial w} = x,\\quad \\frac{\\partial \\left(w x\\right)}{\\partial x} = w');
    expect(r.nodes[5]!.local).toBe('\\frac{\\partial a}{\\partial z} = a (1 - a)');
    expect(r.nodes[9]!.local).toContain('= 2 (a - y)');
    expect(r.nodes[8]!.grad).toBeNull(); // a constant
    expect(r.leaves.map((l) => l.name)).toEqual(['w', 'x', 'b', 'y']);
    // The chain rule on an edge: upstream · local = product.
    const e = r.edges.find((x) => x.to === 5)!;
    expect(e.product).toBeCloseTo((e.upstream as number) * e.local!, 15);
    expect(e.chain).toMatch(/^\\frac\{\\partial \\mathit\{loss\}\}\{\\partial a\} \\cdot \\frac\{\\partial a\}\{\\partial z\} = \(-1\.24492\) \\cdot 0\.235004 = -0\.292561$/);
    expect(JSON.parse(JSON.stringify(r)).ok).toBe(true);
  });

  it('fan-out: a node used twice has two edges and their products add up', () => {
    const r = ok('a = x*x\nb = a + x\nloss = a*b', { x: -0.7 });
    const x = r.leaves[0]!;
    const out = r.edges.filter((e) => e.from === x.id);
    expect(out.length).toBe(3); // x*x twice, a + x once
    const sum = out.reduce((s, e) => s + (e.product as number), 0);
    expect(x.grad).toBeCloseTo(sum, 14);
    expect(r.nodes.map((n) => n.line)).toEqual([1, 1, 2, 3]);
  });

  it('multi-line passes, reassignment (h = tanh(h)), augmented assignment, lines and versions', () => {
    const text = 'h = x\nh = np.tanh(w*h + b)\nh = np.tanh(w*h + b)\nloss = h';
    const r = ok(text, { x: 0.3, w: 1.7, b: -0.1 });
    const tanh = r.nodes.filter((n) => n.op === 'tanh');
    expect(tanh.map((n) => n.line)).toEqual([2, 3]);
    expect(tanh.map((n) => n.tex)).toEqual(['{h^{(1)}}', '{h^{(2)}}']);
    expect(r.output).toBe('loss');
    const s = ok('s = w1*x1\ns += b\nloss = s.sigmoid()');
    expect(s.nodes.map((n) => n.op)).toEqual(['input', 'input', 'mul', 'input', 'add', 'sigmoid']);
  });

  it('spellings: np., torch., F., math., methods, micrograd Value, torch.tensor(requires_grad=True)', () => {
    const r = ok('a = Value(2.0)\nw = torch.tensor(-1.5, requires_grad=True, dtype=torch.float64)\nloss = F.relu(a*w).exp() + math.log(a) + np.maximum(a, w)');
    expect(r.leaves.map((l) => [l.name, l.value, l.source])).toEqual([['a', 2, 'code'], ['w', -1.5, 'code']]);
    expect(r.nodes.map((n) => n.op)).toEqual(['input', 'input', 'mul', 'relu', 'exp', 'log', 'add', 'max', 'add']);
  });

  it('a name called loss is the output even when it is not the last line', () => {
    const r = ok('loss = (x - y)**2\nextra = loss*2');
    expect(r.output).toBe('loss');
    expect(r.nodes[r.outputId]!.grad).toBe(1);
  });

  it('errors are located, indexing and shape errors are reported clearly, and it never throws', () => {
    const bad = backpropGraph('z = w @ x');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.message).toMatch(/^@ needs arrays/);
      expect([bad.error.offset, bad.error.length]).toEqual([4, 5]);
    }
    // A subscripted name (x[0], p["w1"]) is an input; indexing a computed value or slicing stays unsupported.
    for (const t of ['z = w * 2\nloss = z[0] * 2', 'y = x[1:3]', 'y = np.exp(x)[0]']) {
      const r = backpropGraph(t);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message, t).toMatch(/unsupported: indexing/);
    }
    for (const t of ['', 'z = (x + ', 'z = foo(x)', 'for i in range(3): pass', 'a, b = 1', 'a, b[0] = 1, 2', 'z = x +* y', ')']) {
      const r = backpropGraph(t);
      expect(r.ok, t).toBe(false);
    }
    expect(backpropGraph(42 as unknown as string).ok).toBe(false);
  });

  it('default values: seeded by name, positive under log and sqrt, listed with their source', () => {
    const r = ok('loss = np.log(p) * q');
    const p = r.leaves.find((l) => l.name === 'p')!;
    expect(p.source).toBe('default');
    expect(p.value).toBeGreaterThan(0);
    expect(p.value).toBe(defaultValue('p', true));
    expect(ok('loss = np.log(p) * q').leaves).toEqual(r.leaves); // deterministic
    expect(r.notes.join(' ')).toMatch(/Default values/);
    expect(ok('loss = x', { x: 2 }).leaves[0]).toMatchObject({ value: 2, source: 'at' });
  });
});

describe('robustness', () => {
  it('a 5,000-deep chain: no stack overflow (everything is iterative)', () => {
    const lines = ['h = x'];
    for (let i = 0; i < 5000; i++) lines.push('h = np.tanh(h)');
    lines.push('loss = h');
    const r = backpropGraph(lines.join('\n'), { at: { x: 0.5 }, budgetMs: 20000 });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.nodes.length).toBe(5001);
    // d/dx of tanh∘…∘tanh: the product of 1 − h_k², checked by a direct loop.
    let h = 0.5;
    let d = 1;
    for (let i = 0; i < 5000; i++) {
      h = Math.tanh(h);
      d *= 1 - h * h;
    }
    expect(r.leaves[0]!.grad).toBeCloseTo(d, 15);
    expect(Math.abs((r.leaves[0]!.grad as number) - d)).toBeLessThanOrEqual(1e-12 * Math.abs(d));
    expect(r.nodes[r.nodes.length - 1]!.layer).toBe(5000);
    expect(r.collapsed).toBeDefined();
    expect(r.collapsed!.nodes.length).toBeLessThanOrEqual(3);
  });

  it('deep nesting inside one expression is fine too (no parser recursion)', () => {
    const text = `loss = ${'np.tanh('.repeat(3000)}x${')'.repeat(3000)}`;
    const r = backpropGraph(text, { at: { x: 0.1 }, budgetMs: 20000 });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.nodes.length).toBe(3001);
  });

  it('the node budget and the time budget cut large graphs with a message', () => {
    const big = Array.from({ length: 300 }, (_, i) => `h${i + 1} = h${i} * w${i}`).join('\n');
    const r = backpropGraph(big, { maxNodes: 100 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/more than 100 nodes \(the node budget\)/);
    const lines = Array.from({ length: 20000 }, () => 'h = np.tanh(h*w + b)');
    const t = backpropGraph(['h = x', ...lines].join('\n'), { budgetMs: 1, maxNodes: 1e9 });
    expect(t.ok).toBe(false);
    if (!t.ok) expect(t.error.message).toMatch(/cut|budget|too long/);
  });
});

describe('layout', () => {
  it('left to right: every edge goes from a lower layer to a higher one, and x grows with the layer', () => {
    const r = ok('h1 = F.relu(w1*x + b1)\nh2 = F.relu(w2*x + b2)\nout = v1*h1 + v2*h2 + c\nloss = (out - y)**2');
    for (const n of r.nodes) {
      for (const i of n.inputs) {
        const src = r.nodes[i]!;
        expect(src.layer).toBeLessThan(n.layer);
        expect(src.x + src.width).toBeLessThan(n.x);
      }
    }
    for (const e of r.edges) {
      const xs = e.points.map((p) => p.x);
      for (let k = 1; k < xs.length; k++) expect(xs[k]!).toBeGreaterThanOrEqual(xs[k - 1]!);
    }
  });

  it('no two nodes overlap', () => {
    for (const text of [NEURON, 'z = ' + Array.from({ length: 12 }, (_, i) => `w${i}*x${i}`).join(' + ') + '\nloss = sigmoid(z)']) {
      const r = ok(text);
      for (const a of r.nodes) {
        for (const b of r.nodes) {
          if (a.id >= b.id) continue;
          const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
          expect(apart, `${a.label} / ${b.label}`).toBe(true);
        }
      }
    }
  });

  it('a weight shared by every step of a long chain rides one bus above the graph (no quadratic dummy points)', () => {
    const text = 'h = x\n' + Array.from({ length: 200 }, () => 'h = np.tanh(w*h + b)').join('\n') + '\nloss = h**2';
    const r = ok(text, { x: 0.3, w: 0.9, b: 0.1 });
    const top = Math.min(...r.nodes.map((n) => n.y));
    const w = r.leaves.find((l) => l.name === 'w')!.id;
    const wEdges = r.edges.filter((e) => e.from === w);
    expect(wEdges.length).toBe(200);
    const bus = wEdges.filter((e) => e.points.length === 6);
    expect(bus.length).toBeGreaterThan(150);
    const lane = bus[0]!.points[2]!.y;
    for (const e of bus) {
      expect(e.points[2]!.y).toBe(lane); // one lane for all of w's long edges
      expect(e.points[3]!.y).toBe(lane);
      const xs = e.points.map((p) => p.x);
      for (let k = 1; k < xs.length; k++) expect(xs[k]!).toBeGreaterThanOrEqual(xs[k - 1]!);
      expect(e.points.at(-1)!.x).toBe(r.nodes[e.to]!.x);
    }
    expect(lane).toBeLessThan(top); // above every node
    // Linear size: a few points per edge, not one per layer crossed.
    const points = r.edges.reduce((n, e) => n + e.points.length, 0);
    expect(points).toBeLessThan(8 * r.edges.length);
  });

  it('is deterministic and puts a constant next to its consumer', () => {
    const a = layoutDag({ inputs: [[], [], [0, 1], [], [2, 3]], labels: ['x', 'y', 'x*y', '2', 'x*y**2'] });
    const b = layoutDag({ inputs: [[], [], [0, 1], [], [2, 3]], labels: ['x', 'y', 'x*y', '2', 'x*y**2'] });
    expect(a).toEqual(b);
    expect(a.nodes[3]!.layer).toBe(1);
  });
});

describe('collapse', () => {
  it('a sum of k similar terms folds into one ×k node and one Σ node', () => {
    const text = 'z = ' + Array.from({ length: 15 }, (_, i) => `w${i}*x${i}`).join(' + ') + '\nloss = sigmoid(z)';
    const g = buildGraph(text);
    expect(g.nodes.length).toBeGreaterThan(40);
    const v = collapseGraph(g)!;
    const terms = v.nodes.find((n) => n.kind === 'terms')!;
    expect(terms.count).toBe(15);
    expect(terms.label).toBe('w0*x0  ×15');
    expect(v.nodes.find((n) => n.kind === 'chain')!.members.length).toBe(14);
    expect(v.nodes.length).toBeLessThan(10);
    for (const n of v.nodes) for (const i of n.inputs) expect(i).toBeLessThan(n.id);
    // Every original node is in exactly one view node.
    const all = v.nodes.flatMap((n) => n.members).sort((a, b) => a - b);
    expect(all).toEqual(g.nodes.map((n) => n.id));
  });

  it('repeated layers fold into one node; small graphs are not folded', () => {
    const text = ['h = x', ...Array.from({ length: 20 }, () => 'h = np.tanh(w*h + b)'), 'loss = h'].join('\n');
    const v = collapseGraph(buildGraph(text))!;
    const layers = v.nodes.find((n) => n.kind === 'layers')!;
    expect(layers.count).toBeGreaterThanOrEqual(19);
    expect(layers.label).toMatch(/mul → add → tanh|add → tanh → mul|tanh → mul → add/);
    expect(collapseGraph(buildGraph(NEURON))).toBeUndefined();
  });
});

describe('NumPy backward code', () => {
  it('micrograd-like: forward lines, then d_ lines in reverse order with += for fan-out', () => {
    const r = ok('a = x*x\nloss = a + x', { x: 3 });
    expect(r.numpy).toBe(
      [
        'import numpy as np',
        '',
        '# inputs',
        'x = 3.0',
        '',
        '# forward pass',
        'a = x * x',
        'loss = a + x',
        '',
        '# backward pass: d_<v> is the gradient of loss with respect to v (+= adds up every use)',
        'd_x = 0.0',
        'd_a = 0.0',
        'd_loss = 1.0',
        'd_a += d_loss',
        'd_x += d_loss',
        'd_x += d_a * x',
        'd_x += d_a * x',
        '',
      ].join('\n'),
    );
    expect(r.leaves[0]!.grad).toBe(7);
  });
});

describe('steps', () => {
  it('forward in topological order, then the seed, then backward in reverse order', () => {
    const r = ok(NEURON, { x: 0.5, w: -1.2, b: 0.1, y: 1 });
    const phases = r.steps.map((s) => s.phase);
    expect(phases.indexOf('backward')).toBe(5);
    expect(r.steps.slice(0, 5).map((s) => s.node)).toEqual([2, 4, 5, 7, 9]);
    expect(r.steps.slice(5).map((s) => s.node)).toEqual([9, 9, 7, 5, 4, 2]);
    expect(r.steps[0]!.latex).toBe('w x = -0.6');
  });
});

describe('vectors and matrices', () => {
  const MLP = '# X: (4, 3), W: (3, 2), b: (2,), y: (4, 2)\nZ = X @ W + b\nA = np.tanh(Z)\nloss = np.mean((A - y)**2)';

  it('shapes on nodes and leaves, gradients of the same shape, VJP rules as LaTeX, chains with shapes', () => {
    const r = ok(MLP);
    const byName = (s: string) => r.nodes.find((n) => n.name === s)!;
    expect(byName('Z').shape).toEqual([4, 2]);
    expect(byName('loss').shape).toBeUndefined();
    expect(typeof byName('loss').value).toBe('number');
    expect(r.leaves.map((l) => [l.name, l.shape])).toEqual([['X', [4, 3]], ['W', [3, 2]], ['b', [2]], ['y', [4, 2]]]);
    for (const l of r.leaves) expect((l.grad as number[][]).length).toBe(l.shape![0]);
    const mm = r.nodes.find((n) => n.op === 'matmul')!;
    expect(mm.local).toContain('\\bar{X} = \\overline{X\\,W}\\,W^\\top');
    expect(mm.local).toContain('\\bar{W} = X^\\top\\,\\overline{X\\,W}');
    expect(byName('A').local).toBe('\\bar{Z} = \\bar{A} \\odot (1 - A^{\\odot 2})');
    expect(byName('Z').local).toContain('\\bar{b} = \\textstyle\\sum_{\\text{axis }0}\\left(\\bar{Z}\\right)');
    const e = r.edges.find((x) => x.to === mm.id && x.slot === 0)!;
    expect(e.local).toBeNull();
    expect(e.chain).toContain('\\underbrace{W^\\top}_{2\\times 3}');
    expect((e.product as number[][]).length).toBe(4);
    expect((e.upstream as number[][])[0]!.length).toBe(2);
  });

  it('broadcast operands get their gradient summed back to their shape (rows and columns)', () => {
    const X = [[1, 2, 3], [4, 5, 6]];
    const r = ok('loss = np.sum((X - mu)**2 * s)', { X, mu: [0.5, -1, 2], s: [[2], [3]] } as never);
    const mu = [0.5, -1, 2];
    const s = [2, 3];
    const dmu = mu.map((m, j) => X.reduce((acc, row, i) => acc - 2 * (row[j]! - m) * s[i]!, 0));
    const ds = X.map((row) => [row.reduce((acc, x, j) => acc + (x - mu[j]!) ** 2, 0)]);
    const g = Object.fromEntries(r.leaves.map((l) => [l.name, l.grad]));
    (g.mu as number[]).forEach((v, j) => expect(v).toBeCloseTo(dmu[j]!, 12));
    expect(g.s).toEqual(ds);
    expect(r.numpy).toContain('d_mu -= np.sum(');
    expect(r.numpy).toMatch(/d_s \+= np\.sum\(.*, axis=1, keepdims=True\)/);
  });

  it('shape mismatches are located at the operation, never thrown', () => {
    const text = 'Z = X @ W\nloss = np.sum(Z)';
    const r = backpropGraph(text, { shapes: 'X:(4,3),W:(2,2)' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toMatch(/\(4, 3\) and \(2, 2\) do not align/);
      expect(text.slice(r.error.offset, r.error.offset + r.error.length)).toBe('X @ W');
    }
    const b = backpropGraph('loss = np.sum(X + y)', { shapes: 'X:(4,3),y:(4,)' });
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.error.message).toMatch(/do not broadcast/);
    const ax = backpropGraph('loss = np.sum(np.sum(X, axis=2))', { shapes: 'X:(4,3)' });
    expect(!ax.ok && ax.error.message).toMatch(/axis 2 is out of range/);
    const ce = backpropGraph('loss = F.cross_entropy(Z, t)', { at: { Z: [[1, 2], [3, 4]], t: [0, 5] } });
    expect(!ce.ok && ce.error.message).toMatch(/target 5 is not a class index/);
  });

  it('a shaped output is refused with a located error suggesting a reduction', () => {
    const text = 'Z = X @ W';
    const r = backpropGraph(text, { shapes: 'X:(4,3),W:(3,2)' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toMatch(/output Z has shape \(4, 2\).*scalar.*np\.sum\(…\) or np\.mean\(…\)/);
      expect(text.slice(r.error.offset, r.error.offset + r.error.length)).toBe('X @ W');
    }
  });

  it('shapes from comments or the shapes option; symbolic sizes get distinct small values with a note', () => {
    const r = ok('# X: (n, d), w: (d,)\nloss = np.sum(np.tanh(X @ w))');
    expect(r.leaves.map((l) => l.shape)).toEqual([[4, 3], [3]]);
    expect(r.notes.join(' ')).toMatch(/Symbolic sizes get small distinct values: n = 4, d = 3/);
    expect(r.notes.join(' ')).toMatch(/Default values .*X \(4, 3\)/);
    const o = backpropGraph('loss = np.sum(np.tanh(X @ w))', { shapes: { X: ['m', 'q'], w: ['q'] } });
    if (!o.ok) throw new Error(o.error.message);
    const sizes = o.leaves[0]!.shape!;
    expect(sizes[0]).not.toBe(sizes[1]);
    expect(o.leaves[1]!.shape).toEqual([sizes[1]]);
    // An array given with at fixes the sizes of its symbols.
    const a = backpropGraph('# X: (n, d), w: (d,)\nloss = np.sum(X @ w)', { at: { X: [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]] } });
    if (!a.ok) throw new Error(a.error.message);
    expect(a.leaves.find((l) => l.name === 'w')!.shape).toEqual([5]);
    expect(a.notes.join(' ')).not.toMatch(/Symbolic sizes/);
    // A declared shape that contradicts the given value is an error.
    expect(backpropGraph('# X: (2, 3)\nloss = np.sum(X)', { at: { X: [1, 2] } }).ok).toBe(false);
    // A name with no shape and no value stays a scalar.
    expect(ok('# X: (2, 3)\nloss = c * np.sum(X)').leaves.find((l) => l.name === 'c')!.shape).toBeUndefined();
  });

  it('values in the code: np.array, torch.tensor, seeded randn (with a note), at arrays win', () => {
    const r = ok('x = np.array([1.0, -2.0, 0.5])\nW = torch.randn(2, 3, requires_grad=True)\nloss = np.sum(W @ x)');
    const x = r.leaves.find((l) => l.name === 'x')!;
    expect(x).toMatchObject({ source: 'code', shape: [3], value: [1, -2, 0.5] });
    expect(r.leaves.find((l) => l.name === 'W')!.shape).toEqual([2, 3]);
    expect(r.notes.join(' ')).toMatch(/Random arrays get seeded values.*W/);
    expect(ok('x = np.array([1.0, -2.0, 0.5])\nW = torch.randn(2, 3)\nloss = np.sum(W @ x)').leaves).toEqual(r.leaves);
    // ∂/∂W Σ W x = 1 xᵀ
    expect(r.leaves.find((l) => l.name === 'W')!.grad).toEqual([[1, -2, 0.5], [1, -2, 0.5]]);
    const at = backpropGraph('x = np.array([1.0, -2.0, 0.5])\nloss = np.sum(x * x)', { at: { x: [3, 4] } });
    if (!at.ok) throw new Error(at.error.message);
    expect(at.leaves[0]).toMatchObject({ source: 'at', value: [3, 4], grad: [6, 8], shape: [2] });
    const seed = ok('np.random.seed(0)\nX = np.random.randn(3, 2)\nloss = np.mean(X**2)');
    expect(seed.notes.join(' ')).toMatch(/np\.random\.seed\(…\)" is ignored/);
  });

  it('reductions with axes and keepdims, softmax and cross-entropy by hand', () => {
    const Z = [[1, 2, 3], [0, -1, 4]];
    const r = backpropGraph('S = torch.sum(Z, dim=-1, keepdim=True)\nloss = (S**2).sum()', { at: { Z } });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.nodes.find((n) => n.name === 'S')!.shape).toEqual([2, 1]);
    expect(r.leaves[0]!.grad).toEqual([[12, 12, 12], [6, 6, 6]]);
    const ce = backpropGraph('loss = F.cross_entropy(Z, t)', { at: { Z, t: [2, 0] } });
    if (!ce.ok) throw new Error(ce.error.message);
    const soft = Z.map((row) => {
      const e = row.map(Math.exp);
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    });
    expect(ce.nodes[ce.outputId]!.value as number).toBeCloseTo(-(Math.log(soft[0]![2]!) + Math.log(soft[1]![0]!)) / 2, 14);
    const gz = ce.leaves.find((l) => l.name === 'Z')!.grad as number[][];
    gz.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo((soft[i]![j]! - (j === [2, 0][i] ? 1 : 0)) / 2, 14)));
    expect(ce.leaves.find((l) => l.name === 't')!.grad).toEqual([0, 0]);
    expect(ce.numpy).toContain('np.eye(3)[np.asarray(t, dtype=int)]');
    expect(ce.numpy).toContain('t = np.array([2, 0])');
  });

  it('steps show shapes and a few numbers; NumPy code starts gradients with np.zeros_like', () => {
    const r = ok('# X: (6, 3), w: (3,)\nz = X @ w\nloss = np.mean(z**2)');
    const f = r.steps.find((s) => s.phase === 'forward' && s.node === r.nodes.find((n) => n.name === 'z')!.id)!;
    expect(f.latex).toMatch(/\\begin\{bmatrix\}.*\\cdots.*\\end\{bmatrix\}_\{6\}/);
    expect(f.text).toMatch(/^z = X @ w = \(6,\) \[.*…/);
    expect(r.steps.some((s) => s.phase === 'backward' && s.latex.includes('\\underbrace'))).toBe(true);
    expect(r.numpy).toContain('d_X = np.zeros_like(X, dtype=float)');
    expect(r.numpy).toContain('d_X += np.outer(d_z, w)');
    expect(r.numpy).toContain('d_w += X.T @ d_z');
  });

  it('the element budget refuses huge arrays with a located message', () => {
    const text = 'X = np.random.randn(2000, 1000)\nloss = np.sum(X)';
    const r = backpropGraph(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toMatch(/2000000 entries.*limit is 1000000/);
      expect(text.slice(r.error.offset, r.error.offset + r.error.length)).toBe('X = np.random.randn(2000, 1000)');
    }
  });

  it('.item() of an array with more than one entry is refused (NumPy raises); .squeeze() is not taken as a no-op', () => {
    const text = '# w: (3,)\nloss = np.sum(w.item() * w)';
    const r = backpropGraph(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toBe('.item() needs one entry, but this value has shape (3,)');
      expect(text.slice(r.error.offset, r.error.offset + r.error.length)).toBe('w.item()');
    }
    expect(ok('# w: (3,)\nloss = np.sum(w * w).item()').nodes.length).toBeGreaterThan(0);
    const sq = backpropGraph('# w: (3, 1)\nloss = np.sum(w.squeeze() * 2)');
    expect(sq.ok).toBe(false);
    if (!sq.ok) expect(sq.error.message).toMatch(/unsupported: "\.squeeze"/);
  });

  it('tuple assignment: literals become inputs, and every value is computed before any name is bound', () => {
    const r = ok('w, x, b, y = -1.2, 0.5, 0.3, 1.0\nz = w * x + b\na = 1 / (1 + np.exp(-z))\nloss = (a - y) ** 2');
    expect(r.leaves.map((l) => [l.name, l.value, l.source])).toEqual([['w', -1.2, 'code'], ['x', 0.5, 'code'], ['b', 0.3, 'code'], ['y', 1, 'code']]);
    const z = -1.2 * 0.5 + 0.3;
    const a = 1 / (1 + Math.exp(-z));
    expect(r.leaves[0]!.grad as number).toBeCloseTo(2 * (a - 1) * a * (1 - a) * 0.5, 14);
    // a, b = b, a*b swaps with the old values: loss = b0 - a0*b0
    const sw = ok('a, b = 1.5, 2.0\na, b = b, a * b\nloss = a - b');
    expect(sw.nodes[sw.outputId]!.value).toBeCloseTo(2 - 3, 14);
    expect(sw.leaves.map((l) => l.grad)).toEqual([-2, 1 - 1.5]);
    const bad = backpropGraph('a, b = 1.0');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toBe('2 names but 1 value');
  });
});

describe('the one reading of a selection, in the backprop graph', () => {
  it('a module name is never an input, and a plotting call says what it is, at its place', () => {
    const m = backpropGraph('y = np + 1');
    expect(m.ok).toBe(false);
    if (!m.ok) expect([m.error.message, m.error.offset, m.error.length]).toEqual(['"np" is a module, not a variable', 4, 2]);
    const p = backpropGraph("plt.plot(x, z, color='#ff7f0e')");
    expect(p.ok).toBe(false);
    if (!p.ok) {
      expect(p.error.message).toMatch(/^plt\.plot\(…\) is a plotting call/);
      expect(p.error.offset).toBe(0);
    }
  });
});

describe('the NumPy code of a graph on code as written', () => {
  it('names a subscripted input by an identifier made from its text, with the text beside it', () => {
    const r = backpropGraph('out = p["w1"]*X[i,0] + self.b', { at: { 'p["w1"]': 0.5, 'X[i, 0]': 2, 'self.b': 0.1 } });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.numpy).toContain('p_w1 = 0.5  # p["w1"]');
    expect(r.numpy).toContain('X_i_0 = 2.0  # X[i, 0]');
    expect(r.numpy).toContain('self_b = 0.1  # self.b');
    expect(r.numpy).toContain('d_p_w1 += d_t2 * X_i_0');
  });
});
