/**
 * Issue 12, "code as written": subscripted names (p["w1"], X[i, 0], W[0][1], params.w1, self.w) are
 * scalar variables named by their source text, in Compute Gradient and the backprop graph; the user's
 * own functions are differentiated through their bodies, never by their names.
 *
 * The printed NumPy code is run by the independent evaluator of test/fixtures/evaluate.ts with the
 * user's names bound as Python binds them (p a dict, X a nested array, i an int), and compared with
 * central differences of the printed expression itself.
 */
import { describe, expect, it } from 'vitest';
import { computeGradient } from '../../core/gradient';
import { backpropGraph } from '../../core/backprop/index';
import { valuesAbove } from '../../core/backprop/context';
import { computeSelection } from '../../core/selection';
import { evaluateNumpy } from '../fixtures/evaluate';
import type { Env } from '../fixtures/evaluate';

const FORWARD = 'h = p["w1"]*X[i,0] + p["w2"]*X[i,1] + p["b"]\ns = sigmoid(h)\nout = p["v"]*s + p["c"]';
const SIGMOID_DEF = 'import numpy as np\n\ndef sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n';

/** The user's objects: p a dict, X an array, i an int. */
function bindings(): { p: Record<string, number>; X: number[][]; i: number } {
  return { p: { w1: 0.7, w2: -1.3, b: 0.2, v: 1.5, c: -0.4 }, X: [[9, 9], [0.8, -0.6], [9, 9]], i: 1 };
}

/** Where a variable's value lives in the bindings, to perturb it. */
function setVariable(env: ReturnType<typeof bindings>, name: string, value: number): void {
  const key = /^p\["(\w+)"\]$/.exec(name);
  if (key) env.p[key[1]!] = value;
  else {
    const m = /^X\[i, (\d)\]$/.exec(name)!;
    env.X[env.i]![Number(m[1])] = value;
  }
}

function getVariable(env: ReturnType<typeof bindings>, name: string): number {
  const key = /^p\["(\w+)"\]$/.exec(name);
  if (key) return env.p[key[1]!]!;
  const m = /^X\[i, (\d)\]$/.exec(name)!;
  return env.X[env.i]![Number(m[1])]!;
}

const run = (code: string, env: unknown): number => evaluateNumpy(code, env as Env);

describe('subscripted names in Compute Gradient', () => {
  it('the forward pass of the issue: wrt is the source text, LaTeX is the textbook symbol, the NumPy code runs on a dict and an array', () => {
    const r = computeGradient(FORWARD, { lang: 'python', definitions: SIGMOID_DEF + FORWARD });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const wrt = r.gradient.map((g) => g.wrt).sort();
    expect(wrt).toEqual(['X[i, 0]', 'X[i, 1]', 'p["b"]', 'p["c"]', 'p["v"]', 'p["w1"]', 'p["w2"]']);
    expect(r.check.passed).toBe(true);
    expect(r.expression.latex).toContain('w_{1}');
    expect(r.expression.latex).toContain('X_{i,0}');
    expect(r.expression.latex).not.toMatch(/\[|"/);
    // σ is recognised from the body of the user's sigmoid.
    const dw1 = r.gradient.find((g) => g.wrt === 'p["w1"]')!;
    expect(dw1.latex).toContain('\\sigma');
    // Every partial's NumPy code, run with p a dict and X an array, against central differences of the expression's code.
    for (const g of r.gradient) {
      const env = bindings();
      const x0 = getVariable(env, g.wrt);
      const h = 1e-6;
      setVariable(env, g.wrt, x0 + h);
      const up = run(r.expression.numpy, env);
      setVariable(env, g.wrt, x0 - h);
      const down = run(r.expression.numpy, env);
      setVariable(env, g.wrt, x0);
      const d = run(g.numpy, env);
      expect(Math.abs(d - (up - down) / (2 * h)), g.wrt).toBeLessThan(1e-6);
    }
  });

  it('accepts the names as the user spells them in wrt, and keeps apart names that would print alike', () => {
    const r = computeGradient("p['w1']*w1 + W[0][1]*self.w + params.w1*X[i,0]", { lang: 'python', wrt: ["p['w1']", 'X[i,0]'] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.gradient.map((g) => g.wrt)).toEqual(['p["w1"]', 'X[i, 0]']);
    expect(r.variables.sort()).toEqual(['W[0][1]', 'X[i, 0]', 'p["w1"]', 'params.w1', 'self.w', 'w1'].sort());
    // p["w1"], params.w1 and w1 would all be w_{1}: the plain name keeps it, the others print fuller.
    const tex = r.expression.latex;
    expect(tex).toContain('W_{0,1}');
    expect(tex).toContain('p_{\\mathrm{w1}}');
    expect(tex).toContain('\\texttt{params.w1}');
    expect(tex.match(/w_\{1\}/g)?.length).toBe(1);
    expect(r.gradient[0]!.latex).toBe('w_{1}');
    expect(r.check.passed).toBe(true);
  });

  it('without a clash, attributes and keys print as their textbook symbol', () => {
    const r = computeGradient('self.w*x + params.b1 + W[0][1]', { lang: 'python' });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.expression.latex).toBe('w x + b_{1} + W_{0,1}');
  });

  it('module attributes stay constants and functions, array attributes and slices are not variables', () => {
    const r = computeGradient('np.exp(p["a"]) * np.pi + math.e', { lang: 'python' });
    expect(r.ok && r.variables).toEqual(['p["a"]']);
    const t = computeGradient('x.T * 2', { lang: 'python' });
    expect(!t.ok && t.error.message).toMatch(/attribute access "x.T"/);
    const s = computeGradient('X[1:3] * 2', { lang: 'python' });
    expect(!s.ok && s.error.message).toMatch(/slicing is not supported/);
    expect(!s.ok && s.error.offset).toBe(2);
  });
});

describe('Compute Gradient of a selection with arrays of known shape', () => {
  const run1 = (sel: string) =>
    computeSelection(sel, { lang: 'python', budgetMs: 2000, mode: 'gradient' }, { documentText: `# X: (4, 2)\n${sel}\n`, startLine: 1, endLine: 1 });

  it('X[i, 0] of a matrix is one number: the scalar engine', () => {
    const s = run1('h = p["w1"]*X[i,0] + p["w2"]*X[i][1]');
    expect(s.engine).toBe('scalar');
    expect(s.result.ok && s.engine === 'scalar' && s.result.gradient.map((g) => g.wrt).sort()).toEqual(['X[i, 0]', 'X[i][1]', 'p["w1"]', 'p["w2"]']);
  });

  it('X[0] of a matrix is a row, and X read whole is an array: not scalars', () => {
    expect(run1('out = X[0]*2').engine).toBe('matcalc');
    expect(run1('out = X[0, 1] + np.sum(X)').engine).toBe('matcalc');
  });
});

describe('subscripted names in the backprop graph', () => {
  it('are input leaves named by their text, take values by that text, and agree with the gradient', () => {
    const env = bindings();
    const at: Record<string, number> = {};
    for (const k of Object.keys(env.p)) at[`p['${k}']`] = env.p[k]!;
    at['X[i,0]'] = env.X[1]![0]!;
    at['X[i, 1]'] = env.X[1]![1]!;
    const g = backpropGraph(FORWARD, { at });
    expect(g.ok).toBe(true);
    if (!g.ok) return;
    const leaves = new Map(g.leaves.map((l) => [l.name, l]));
    expect([...leaves.keys()].sort()).toEqual(['X[i, 0]', 'X[i, 1]', 'p["b"]', 'p["c"]', 'p["v"]', 'p["w1"]', 'p["w2"]']);
    for (const l of g.leaves) expect(l.value, l.name).toBe(getVariable(env, l.name));
    const r = computeGradient(FORWARD, { lang: 'python' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    for (const p of r.gradient) expect(leaves.get(p.wrt)!.grad, p.wrt).toBeCloseTo(run(p.numpy, env), 10);
  });

  it('values written above the selection as a dict or an entry are used', () => {
    const doc = 'p = {"w1": 0.5, \'w2\': -0.3, "b": np.zeros(2)}\nq = dict(a=1.5)\nparams.w1 = 2\nr["k"] = 3\nr["k"] -= 1\nout = 1\n';
    expect(valuesAbove(doc, 5, ['p', 'q', 'params', 'r'])).toEqual({ 'p["w1"]': 0.5, 'p["w2"]': -0.3, 'q["a"]': 1.5, 'params.w1': 2 });
    expect(valuesAbove('p = {"a": 1}\np = make()\n', 2, ['p'])).toEqual({});
    const g = backpropGraph('out = p["w1"] * x', { values: valuesAbove(doc, 5, ['p', 'x']) });
    expect(g.ok && g.leaves.find((l) => l.name === 'p["w1"]')!.value).toBe(0.5);
  });

  it('an assignment to a subscripted name in the selection is an input with that value; indexing a computed value stays unsupported', () => {
    const g = backpropGraph('p["w1"] = 0.5\nself.w = 2\nout = p["w1"] * self.w.exp()');
    expect(g.ok).toBe(true);
    if (g.ok) expect(g.leaves.map((l) => [l.name, l.value])).toEqual([['p["w1"]', 0.5], ['self.w', 2]]);
    const bad = backpropGraph('z = w * 2\nout = z[0]');
    expect(!bad.ok && bad.error.message).toMatch(/unsupported: indexing/);
  });
});

describe("the user's own functions, by their bodies", () => {
  const grad = (src: string, definitions?: string) => computeGradient(src, { lang: 'python', ...(definitions !== undefined ? { definitions } : {}) });

  it('a sigmoid whose body is the sigmoid is σ, with σ(1 − σ)', () => {
    const r = grad('sigmoid(x)', SIGMOID_DEF);
    expect(r.ok && r.gradient[0]!.text).toBe('sigmoid(x)*(1 - sigmoid(x))');
  });

  it('a "sigmoid" whose body is tanh gets tanh\'s derivative, never σ', () => {
    const r = grad('sigmoid(x)', 'def sigmoid(x):\n    return np.tanh(x)\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.gradient[0]!.text).toBe('1 - tanh(x)^2');
    expect(r.gradient[0]!.latex).not.toContain('\\sigma');
    expect(r.check.passed).toBe(true);
  });

  it('straight-line bodies, lambdas, defaults and keywords; a def in the selection followed by code', () => {
    const defs = 'def act(z, a=2):\n    """docstring"""\n    t = a * z\n    return t**2\nrelu = lambda z: np.maximum(0, z)\n';
    const r = grad('act(x) + act(y, a=3)', defs);
    expect(r.ok && r.gradient.map((g) => `${g.wrt}: ${g.text}`)).toEqual(['x: 8*x', 'y: 18*y']);
    const sel = grad('def sq(u):\n    return u*u\nh = w*x\nout = sq(h)');
    expect(sel.ok && sel.gradient.find((g) => g.wrt === 'w')!.text).toBe('2*w*x^2');
    const whole = grad('def forward(self, x):\n    out = F.relu(self.w * x + self.b)\n    return out');
    expect(whole.ok && whole.variables).toEqual(['self.b', 'self.w', 'x']);
  });

  it('with no definition a bare sigmoid keeps the catalogue meaning', () => {
    const r = grad('sigmoid(x)');
    expect(r.ok && r.gradient[0]!.text).toBe('sigmoid(x)*(1 - sigmoid(x))');
  });

  it('loops, branches, recursion and wrong arguments are refused with a clear message, never guessed', () => {
    const loop = grad('y = sigmoid(x)', 'def sigmoid(x):\n    s = 0\n    for k in range(3):\n        s = s + x\n    return s\n');
    expect(!loop.ok && loop.error.message).toBe("sigmoid is defined with a loop at line 3: select its body's expression instead");
    expect(!loop.ok && [loop.error.offset, loop.error.length]).toEqual([4, 7]);
    const branch = grad('f(x)', 'def f(x):\n    if x > 0:\n        return x\n    return 0\n');
    expect(!branch.ok && branch.error.message).toMatch(/^f is defined with a branch at line 2/);
    const rec = grad('f(x)', 'def f(x):\n    return g(x) + 1\ndef g(y):\n    return f(y)\n');
    expect(!rec.ok && rec.error.message).toMatch(/^f calls itself \(f → g → f\)/);
    const args = grad('f(x, 2)', 'def f(x): return x\n');
    expect(!args.ok && args.error.message).toBe('f (line 1) takes 1 argument');
    const twice = grad('f(x)', 'def f(x): return x\ndef f(x): return 2*x\n');
    expect(!twice.ok && twice.error.message).toMatch(/defined more than once/);
  });

  it('Compute Gradient of a selection passes the document, so its functions are used', () => {
    const doc = 'def sigmoid(x):\n    return np.tanh(x)\n\ny = sigmoid(w*x)\n';
    const s = computeSelection('sigmoid(w*x)', { lang: 'python', budgetMs: 2000, mode: 'gradient' }, { documentText: doc, startLine: 3, endLine: 3 });
    expect(s.engine).toBe('scalar');
    if (s.engine === 'scalar' && s.result.ok) expect(s.result.gradient.find((g) => g.wrt === 'w')!.text).toBe('x*(1 - tanh(w*x)^2)');
    else expect.unreachable();
  });

  it('the backprop graph expands them too: a "sigmoid" whose body is tanh gets tanh\'s local derivative', () => {
    const at = { w: 0.3, x: 0.5, b: 0.1 };
    const u = at.w * at.x + at.b;
    const tanhBody = backpropGraph('s = sigmoid(w*x + b)', { at, definitions: 'def sigmoid(x):\n    return np.tanh(x)\n' });
    expect(tanhBody.ok).toBe(true);
    if (!tanhBody.ok) return;
    expect(tanhBody.nodes.some((n) => n.op === 'sigmoid')).toBe(false);
    expect(tanhBody.leaves.find((l) => l.name === 'b')!.grad).toBeCloseTo(1 - Math.tanh(u) ** 2, 12);
    const written = backpropGraph('s = sigmoid(w*x + b)', { at, definitions: SIGMOID_DEF });
    const sig = 1 / (1 + Math.exp(-u));
    expect(written.ok && written.leaves.find((l) => l.name === 'b')!.grad).toBeCloseTo(sig * (1 - sig), 12);
    const inSelection = backpropGraph('def sq(u, k=2):\n    return u**k\nh = w*x\nout = sq(h)', { at });
    expect(inSelection.ok && inSelection.leaves.find((l) => l.name === 'w')!.grad).toBeCloseTo(2 * at.w * at.x ** 2, 12);
    const loop = backpropGraph('s = f(x)', { definitions: 'def f(x):\n    for i in range(2):\n        x = x*2\n    return x\n' });
    expect(!loop.ok && [loop.error.message, loop.error.offset, loop.error.length]).toEqual(["f is defined with a loop at line 2: select its body's expression instead", 4, 4]);
    const rec = backpropGraph('s = f(x)', { definitions: 'def f(x):\n    return f(x)\n' });
    expect(!rec.ok && rec.error.message).toMatch(/^f calls itself/);
  });
});
