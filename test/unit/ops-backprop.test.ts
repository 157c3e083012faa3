// The backprop graph reads the operation catalogue (core/ops): for each of the 36 elementwise
// functions, in every spelling a learner writes, a scalar forward pass `y = f(x)` and a shaped one
// `loss = np.sum(f(W @ x))` give the catalogue's values (`forward`) and derivatives (`gradient`),
// at points including the kink 0 and large |x| (±30), and the graph writes NumPy backward code for it.
// When python3 with NumPy and SciPy is installed, that code is also run and must reproduce the gradients.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { backpropGraph } from '../../core/backprop/index';
import type { Numeric } from '../../core/backprop/index';
import { forward, gradient, opOf } from '../../core/ops/index';
import type { OpEntry } from '../../core/ops/index';

interface Fn {
  /** The catalogue name. */
  name: string;
  /** Spellings, with `x` the differentiated argument. */
  spellings: string[];
  /** Scalar parameters the spellings pass (leaky ReLU's slope, ELU's α). */
  params?: number[];
  /** The catalogue arguments from x (np.maximum(0, x): [0, x]); the derivative is taken in `slot`. */
  args?: (x: number) => number[];
  slot?: number;
}

const FNS: Fn[] = [
  { name: 'exp', spellings: ['np.exp(x)', 'torch.exp(x)', 'math.exp(x)', 'x.exp()'] },
  { name: 'log', spellings: ['np.log(x)', 'torch.log(x)', 'math.log(x)'] },
  { name: 'log1p', spellings: ['np.log1p(x)', 'torch.log1p(x)'] },
  { name: 'expm1', spellings: ['np.expm1(x)', 'torch.expm1(x)'] },
  { name: 'sqrt', spellings: ['np.sqrt(x)', 'torch.sqrt(x)'] },
  { name: 'cbrt', spellings: ['np.cbrt(x)'] },
  { name: 'square', spellings: ['np.square(x)', 'torch.square(x)'] },
  { name: 'reciprocal', spellings: ['np.reciprocal(x)', 'torch.reciprocal(x)'] },
  { name: 'abs', spellings: ['np.abs(x)', 'abs(x)', 'torch.abs(x)'] },
  { name: 'exp2', spellings: ['np.exp2(x)', 'torch.exp2(x)'] },
  { name: 'log2', spellings: ['np.log2(x)', 'torch.log2(x)'] },
  { name: 'log10', spellings: ['np.log10(x)', 'torch.log10(x)'] },
  { name: 'sin', spellings: ['np.sin(x)', 'torch.sin(x)', 'math.sin(x)'] },
  { name: 'cos', spellings: ['np.cos(x)', 'torch.cos(x)'] },
  { name: 'tan', spellings: ['np.tan(x)', 'torch.tan(x)'] },
  { name: 'asin', spellings: ['np.arcsin(x)', 'torch.asin(x)'] },
  { name: 'acos', spellings: ['np.arccos(x)', 'torch.acos(x)'] },
  { name: 'atan', spellings: ['np.arctan(x)', 'torch.atan(x)', 'math.atan(x)'] },
  { name: 'sinh', spellings: ['np.sinh(x)', 'torch.sinh(x)'] },
  { name: 'cosh', spellings: ['np.cosh(x)', 'torch.cosh(x)'] },
  { name: 'tanh', spellings: ['np.tanh(x)', 'torch.tanh(x)', 'F.tanh(x)', 'x.tanh()'] },
  { name: 'asinh', spellings: ['np.arcsinh(x)', 'torch.asinh(x)'] },
  { name: 'atanh', spellings: ['np.arctanh(x)', 'torch.atanh(x)'] },
  { name: 'erf', spellings: ['torch.special.erf(x)', 'torch.erf(x)', 'scipy.special.erf(x)', 'math.erf(x)'] },
  { name: 'sigmoid', spellings: ['torch.sigmoid(x)', 'F.sigmoid(x)', 'scipy.special.expit(x)', 'x.sigmoid()'] },
  { name: 'logsigmoid', spellings: ['F.logsigmoid(x)'] },
  { name: 'relu', spellings: ['F.relu(x)', 'torch.relu(x)', 'x.relu()'] },
  { name: 'leaky_relu', spellings: ['F.leaky_relu(x)'] },
  { name: 'leaky_relu', spellings: ['F.leaky_relu(x, negative_slope=0.2)', 'F.leaky_relu(x, 0.2)'], params: [0.2] },
  { name: 'elu', spellings: ['F.elu(x)'] },
  { name: 'elu', spellings: ['F.elu(x, alpha=0.5)'], params: [0.5] },
  { name: 'selu', spellings: ['F.selu(x)', 'torch.selu(x)'] },
  { name: 'gelu', spellings: ['F.gelu(x)', "F.gelu(x, approximate='none')"] },
  { name: 'gelu_tanh', spellings: ["F.gelu(x, approximate='tanh')"] },
  { name: 'silu', spellings: ['F.silu(x)'] },
  { name: 'mish', spellings: ['F.mish(x)'] },
  { name: 'softplus', spellings: ['F.softplus(x)', 'F.softplus(x, beta=1, threshold=20)'] },
  { name: 'softsign', spellings: ['F.softsign(x)'] },
  { name: 'max', spellings: ['np.maximum(0, x)', 'torch.maximum(0, x)'], args: (x) => [0, x], slot: 1 },
];

const WIDE = [-30, -2.5, -1, -0.5, 0, 0.5, 1, 2.5, 30];
function pointsFor(e: OpEntry): number[] {
  switch (e.domain) {
    case 'positive':
      return [1e-3, 0.5, 1, 2.5, 30];
    case 'nonnegative':
      return [0, 0.5, 1, 2.5, 30];
    case 'unit':
    case 'open-unit':
      return [-0.9, -0.5, 0, 0.5, 0.9];
    case 'above-one':
      return [1.5, 2.5, 30];
    default:
      return WIDE;
  }
}

/** The catalogue's value and derivative, with PyTorch's cut-off above `linearAbove` (F.softplus's threshold). */
function expected(fn: Fn, x: number): { value: number; grad: number } {
  const e = opOf(fn.name);
  const args = fn.args ? fn.args(x) : [x];
  if (e.linearAbove !== undefined && x > e.linearAbove) return { value: x, grad: 1 };
  return { value: forward(e, args, fn.params ?? []), grad: gradient(e, args, fn.params ?? [])[fn.slot ?? 0]! };
}

const same = (a: number, b: number): boolean =>
  Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)) + 1e-12;

/** Every LaTeX string of a result renders with KaTeX. */
function rendersAll(r: { nodes: { tex: string; local: string }[]; edges: { localLatex: string | null; chain: string | null }[] }): void {
  const all = [...r.nodes.flatMap((n) => [n.tex, n.local]), ...r.edges.flatMap((e) => [e.localLatex ?? '', e.chain ?? ''])];
  for (const tex of all) if (tex) katex.renderToString(tex, { throwOnError: true, displayMode: true, strict: 'ignore' });
}

const flat = (v: Numeric): number[] => (typeof v === 'number' ? [v] : v.flatMap(flat));

/** Prints d_x as a JSON list of Python reprs ('nan', 'inf' included). */
const PRINT_DX = "print(__import__('json').dumps([repr(float(v)) for v in np.atleast_1d(d_x)]))";
const fromRepr = (s: string): number => (s === 'nan' ? NaN : s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s));

/** Python runs that our generated code must pass, collected while the tests run. */
const pythonChecks: { label: string; code: string; want: number[] }[] = [];

describe('every catalogue elementwise function in the backprop graph', () => {
  it('covers the 36 functions of the issue', () => {
    expect(new Set(FNS.map((f) => f.name)).size).toBe(37); // 36 and GELU's tanh form
  });

  for (const fn of FNS) {
    const e = opOf(fn.name);
    const points = pointsFor(e);
    for (const spelling of fn.spellings) {
      it(`${spelling}: y = f(x) at ${points.join(', ')} gives the catalogue's value and derivative, and NumPy code`, () => {
        const text = `y = ${spelling}`;
        for (const x of points) {
          const r = backpropGraph(text, { at: { x } });
          if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
          const want = expected(fn, x);
          const y = r.nodes[r.outputId]!;
          expect(y.op).toBe(fn.name);
          expect(same(y.value as number, want.value), `${text} at ${x}: value ${y.value} vs ${want.value}`).toBe(true);
          const leaf = r.leaves.find((l) => l.name === 'x')!;
          expect(same(leaf.grad as number, want.grad), `${text} at ${x}: dy/dx ${leaf.grad} vs ${want.grad}`).toBe(true);
          expect(y.local).toContain('\\frac{\\partial');
          rendersAll(r);
          expect(r.numpy).toMatch(/^d_x [+-]= d_y/m);
          if (x === points[1]) pythonChecks.push({ label: `${text} at ${x}`, code: `${r.numpy}\n${PRINT_DX}`, want: [want.grad] });
        }
      });
    }
    const spelling = fn.spellings[0]!;
    it(`${spelling}: loss = np.sum(f(W @ x)) over every point at once (W the identity): dloss/dx = f′(x), dloss/dW = f′(x) xᵀ`, () => {
      const wants = points.map((p) => expected(fn, p));
      // An infinite f′ (∛x at 0) times W's zeros is NaN, in PyTorch too: then f is applied to x itself.
      const viaW = wants.every((w) => Number.isFinite(w.grad));
      const text = `loss = np.sum(${viaW ? spelling.replace(/\bx\b/, '(W @ x)') : spelling})`;
      const n = points.length;
      const W = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
      const r = backpropGraph(text, { at: { x: points, ...(viaW ? { W } : {}) } });
      if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
      const value = wants.reduce((s, w) => s + w.value, 0);
      expect(same(r.nodes[r.outputId]!.value as number, value), `${text}: ${r.nodes[r.outputId]!.value} vs ${value}`).toBe(true);
      const gx = flat(r.leaves.find((l) => l.name === 'x')!.grad);
      points.forEach((p, i) => expect(same(gx[i]!, wants[i]!.grad), `${text}: dloss/dx at ${p}: ${gx[i]} vs ${wants[i]!.grad}`).toBe(true));
      const node = r.nodes.find((m) => m.op === fn.name)!;
      expect(node.local).toMatch(/^\\(bar|overline)\{/);
      rendersAll(r);
      if (!viaW) return;
      const gW = flat(r.leaves.find((l) => l.name === 'W')!.grad);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const want = wants[i]!.grad * points[j]!;
          expect(same(gW[i * n + j]!, want), `${text}: dloss/dW[${i}][${j}] ${gW[i * n + j]} vs ${want}`).toBe(true);
        }
      }
      expect(r.numpy).toContain('d_W += ');
      pythonChecks.push({ label: text, code: `${r.numpy}\n${PRINT_DX}`, want: wants.map((w) => w.grad) });
    });
  }
});

const PYTHON = '/usr/bin/python3';
const hasPython =
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import numpy, scipy.special'], { encoding: 'utf8' }).status === 0;

describe.runIf(hasPython)('the NumPy code the graph writes, run by NumPy', () => {
  it('reproduces the catalogue gradients for every function and spelling', () => {
    expect(pythonChecks.length).toBeGreaterThan(40);
    // One Python process: each program in its own namespace, its printed d_x collected.
    const script = [
      'import io, contextlib, json, sys',
      'progs = json.load(sys.stdin)',
      'out = []',
      'for p in progs:',
      '    buf = io.StringIO()',
      '    try:',
      '        with contextlib.redirect_stdout(buf):',
      '            exec(p, {})',
      '        out.append(buf.getvalue().strip())',
      '    except Exception as e:',
      '        out.append("error: " + repr(e))',
      'print(json.dumps(out))',
    ].join('\n');
    const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(pythonChecks.map((c) => c.code)), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const outs = JSON.parse(run.stdout) as string[];
    const bad: string[] = [];
    pythonChecks.forEach((c, k) => {
      const text = outs[k]!;
      const got = text.startsWith('[') ? (JSON.parse(text) as string[]).map(fromRepr) : undefined;
      if (!got || got.length !== c.want.length || got.some((g, i) => !same(g, c.want[i]!))) bad.push(`${c.label}: NumPy gives ${text}, want ${c.want.join(', ')}`);
    });
    expect(bad).toEqual([]);
  });
});

describe('catalogue calls inside arithmetic', () => {
  it('a call as a power\'s base or a denominator is parenthesised where LaTeX needs it, and renders', () => {
    const r = backpropGraph('y = np.exp(x)**2 + 1/np.exp(x) + x**np.exp(x)', { at: { x: 0.5 } });
    if (!r.ok) throw new Error(r.error.message);
    rendersAll(r);
    expect(r.nodes.find((n) => n.op === 'pow')!.tex).toBe('\\left(e^{x}\\right)^{2}');
    const e = Math.exp(0.5);
    const want = 2 * e * e - 1 / e + Math.pow(0.5, e) * (e * Math.log(0.5) + e / 0.5);
    expect(same(r.leaves[0]!.grad as number, want)).toBe(true);
  });
});

describe('located messages instead of internal errors (issue 16)', () => {
  it('a call with a missing argument', () => {
    const text = 'loss = F.softplus()';
    const r = backpropGraph(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toBe('"F.softplus" takes 1 argument here, got 0');
    expect(text.slice(r.error.offset, r.error.offset + r.error.length)).toBe('F.softplus()');
  });

  it('the same constant assigned twice before an unrelated output', () => {
    for (const text of ['c = 2\nc = 2\nloss = np.sum(x)', 'c = 2; c = 2; loss = np.sum(x * 2)']) {
      const r = backpropGraph(text, { at: { x: [0.5, 1] } });
      if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
      expect(r.leaves.filter((l) => l.name === 'c').map((l) => l.grad)).toEqual([0, 0]);
    }
  });

  it('parameters that are not numbers, unknown keyword values, other softplus settings', () => {
    const msg = (text: string) => {
      const r = backpropGraph(text, { at: { x: 0.5, w: 0.1 } });
      return r.ok ? 'ok' : `${r.error.message} @ ${text.slice(r.error.offset, r.error.offset + r.error.length)}`;
    };
    expect(msg('y = F.leaky_relu(x, w)')).toBe('negative_slope must be a number here @ w');
    expect(msg("y = F.gelu(x, approximate='fast')")).toBe("approximate must be 'tanh' or 'none' here @ 'fast'");
    expect(msg('y = F.softplus(x, beta=2)')).toBe('"F.softplus" is supported with beta=1, threshold=20 (the defaults) @ F.softplus(x, beta=2)');
    expect(msg('y = np.sigmoid(x)')).toBe('unknown function "np.sigmoid" @ np.sigmoid');
  });
});
