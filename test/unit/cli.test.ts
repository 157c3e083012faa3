/**
 * The CLI contract, exercised through a real process: tests and benchmarks
 * rely on it exactly.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeGradient } from '../../core/gradient';

const out = resolve('test-output/unit/cli.js');

beforeAll(async () => {
  mkdirSync('test-output/unit', { recursive: true });
  await esbuild.build({
    entryPoints: ['core/cli.ts'],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
    define: { __MATHLENS_VERSION__: '"test"' },
  });
});

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [out, ...args], { input, encoding: 'utf8', timeout: 30000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('mathlens grad --json', () => {
  it('prints one JSON object with sorted variables, printers, steps and the check', () => {
    const r = run(['grad', '--json', 'np.tanh(w*x + b)']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.ok).toBe(true);
    expect(j.lang).toBe('python');
    expect(j.variables).toEqual(['b', 'w', 'x']);
    expect(j.expression.numpy).toBe('np.tanh(w*x + b)');
    expect(j.gradient.map((g: { wrt: string }) => g.wrt)).toEqual(['b', 'w', 'x']);
    const dw = j.gradient[1];
    expect(dw.numpy).toBe('x*(1 - np.tanh(w*x + b)**2)');
    expect(dw.steps[0].rule).toBe('chain rule');
    expect(typeof dw.steps[0].latex).toBe('string');
    expect(j.check.points).toBe(5);
    expect(j.check.maxRelError).toBeLessThan(1e-6);
  });

  it('honours --lang and --wrt', () => {
    const j = JSON.parse(run(['grad', '--json', '--lang', 'latex', '--wrt', 'y', '\\frac{x}{y}']).stdout);
    expect(j.gradient.map((g: { wrt: string }) => g.wrt)).toEqual(['y']);
    expect(j.gradient[0].latex).toBe('-\\frac{x}{y^{2}}');
  });

  it('reports an error with its offset and exits 1', () => {
    const r = run(['grad', '--json', '1 + * 2']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.ok).toBe(false);
    expect(j.error.offset).toBe(4);
    expect(j.error.message).toMatch(/\*/);
  });

  it('batch mode: one result per line, in order, and a bad line does not stop the batch', () => {
    const lines = [
      JSON.stringify({ expr: 'x**2' }),
      'this is not json',
      JSON.stringify({ expr: 'Math.sin(t)', lang: 'javascript' }),
      JSON.stringify({ expr: 'np.exp(', lang: 'python' }),
      JSON.stringify({ expr: 'x*y', wrt: ['y'] }),
    ];
    const r = run(['grad', '--json'], lines.join('\n') + '\n');
    expect(r.code).toBe(1);
    const results = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(results).toHaveLength(5);
    expect(results.map((x) => x.ok)).toEqual([true, false, true, false, true]);
    expect(results[0].gradient[0].numpy).toBe('2*x');
    expect(results[1].error.message).toMatch(/JSON/);
    expect(results[2].gradient[0].numpy).toBe('np.cos(t)');
    expect(results[4].gradient.map((g: { wrt: string }) => g.wrt)).toEqual(['y']);
  });
});

describe('mathlens grad (readable)', () => {
  it('prints the derivation', () => {
    const r = run(['grad', 'x**2 * np.sin(x)']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('∂f/∂x = x^2*cos(x) + 2*x*sin(x)');
    expect(r.stdout).toContain('[product rule]');
    expect(r.stdout).toMatch(/numeric check: max relative error .* at 5 points \(passed\)/);
  });
  it('writes each step as plain text', () => {
    const r = run(['grad', '1/(1+np.exp(-x))']);
    expect(r.stdout).toContain('[recognize the sigmoid] 1/(1 + exp(-x)) = sigmoid(x)');
    expect(r.stdout).toContain('[sigmoid rule] d/dx[sigmoid(x)] = sigmoid(x)*(1 - sigmoid(x))');
  });
  it('marks the position of an error', () => {
    const r = run(['grad', 'np.exp(x']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('np.exp(x\n');
    expect(r.stdout).toMatch(/\n {2}\s*\^/);
  });
  it('exits 2 on a usage error', () => {
    expect(run(['grad', '--lang', 'fortran', 'x']).code).toBe(2);
    expect(run(['frobnicate']).code).toBe(2);
  });
});

describe('mathlens matrix', () => {
  it('--json prints the contract: shape, rank, trace, det, norms, cond, sorted spectra, properties', () => {
    const r = run(['matrix', '--json', '[[2, 1], [1, 3]]']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).sort()).toEqual(['cond', 'det', 'eigenvalues', 'norms', 'ok', 'properties', 'rank', 'shape', 'singularValues', 'trace']);
    expect(j.shape).toEqual([2, 2]);
    expect(j.rank).toBe(2);
    expect(j.trace).toBeCloseTo(5, 12);
    expect(j.det).toBeCloseTo(5, 12);
    // eigenvalues (5 ∓ √5)/2, ascending; for a symmetric positive definite matrix also the singular values
    const lo = (5 - Math.sqrt(5)) / 2;
    const hi = (5 + Math.sqrt(5)) / 2;
    expect(j.eigenvalues.map((z: { re: number }) => z.re)).toEqual([expect.closeTo(lo, 12), expect.closeTo(hi, 12)]);
    expect(j.singularValues).toEqual([expect.closeTo(hi, 12), expect.closeTo(lo, 12)]);
    expect(j.norms.fro).toBeCloseTo(Math.sqrt(15), 12);
    expect(j.norms.one).toBe(4);
    expect(j.norms.inf).toBe(4);
    expect(j.cond).toBeCloseTo(hi / lo, 10);
    expect(j.properties).toMatchObject({ symmetric: true, positiveDefinite: true, orthogonal: false, diagonal: false, triangular: false });
  });

  it('complex eigenvalues are sorted by real part then imaginary part; non-square matrices have null det, trace, eigenvalues', () => {
    const rot = JSON.parse(run(['matrix', '--json', '[0 -1; 1 0]']).stdout);
    expect(rot.eigenvalues).toEqual([
      { re: expect.closeTo(0, 12), im: expect.closeTo(-1, 12) },
      { re: expect.closeTo(0, 12), im: expect.closeTo(1, 12) },
    ]);
    expect(rot.properties.orthogonal).toBe(true);
    const wide = JSON.parse(run(['matrix', '--json', 'np.arange(6).reshape(2, 3)']).stdout);
    expect(wide.shape).toEqual([2, 3]);
    expect(wide.det).toBeNull();
    expect(wide.trace).toBeNull();
    expect(wide.eigenvalues).toBeNull();
    expect(wide.rank).toBe(2);
    expect(wide.singularValues[0]).toBeGreaterThan(wide.singularValues[1]);
  });

  it('reads stdin and .npy files; errors carry the position and exit 1; bad options exit 2', () => {
    expect(JSON.parse(run(['matrix', '--json'], '1,2\n3,4\n').stdout).det).toBeCloseTo(-2, 12);
    // a .npy written by hand: little-endian float64, 2 × 2
    const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }";
    const pad = 64 - ((10 + header.length + 1) % 64);
    const head = Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0]), Buffer.from([(header.length + pad + 1) & 255, (header.length + pad + 1) >> 8]), Buffer.from(header + ' '.repeat(pad) + '\n')]);
    const body = Buffer.from(new Float64Array([1, 2, 3, 4]).buffer);
    const file = resolve('test-output/unit/m.npy');
    writeFileSync(file, Buffer.concat([head, body]));
    const f = JSON.parse(run(['matrix', '--json', '--file', file]).stdout);
    expect(f.shape).toEqual([2, 2]);
    expect(f.det).toBeCloseTo(-2, 12);
    const bad = run(['matrix', '--json', '[[1, 2], [3, x]]']);
    expect(bad.code).toBe(1);
    const e = JSON.parse(bad.stdout);
    expect(e.ok).toBe(false);
    expect(e.error.offset).toBe('[[1, 2], [3, '.length);
    expect(run(['matrix', '--bogus']).code).toBe(2);
    const readable = run(['matrix', '[[1, 2], [3, x]]']);
    expect(readable.stdout).toContain('^');
  });
});

describe('mathlens backprop', () => {
  it('--json: the output, one node per operation with value, gradient, local derivative and line, and each leaf gradient', () => {
    const r = run(['backprop', '--json', '--at', 'x=0.5,w=-1.2,b=0.1,y=1', 'z = w*x + b\na = sigmoid(z)\nloss = (a - y)**2']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.ok).toBe(true);
    expect(j.output).toBe('loss');
    for (const n of j.nodes) expect(Object.keys(n)).toEqual(expect.arrayContaining(['id', 'op', 'label', 'inputs', 'value', 'grad', 'local', 'line']));
    const ops = j.nodes.map((n: { op: string }) => n.op);
    expect(ops).toEqual(expect.arrayContaining(['mul', 'add', 'sigmoid', 'sub', 'pow']));
    expect(j.nodes.find((n: { op: string }) => n.op === 'sigmoid').line).toBe(2);
    // by hand: z = -0.5, a = σ(z), ∂loss/∂w = 2(a − y)·a(1 − a)·x
    const a = 1 / (1 + Math.exp(0.5));
    const dz = 2 * (a - 1) * a * (1 - a);
    const g = Object.fromEntries(j.leaves.map((l: { name: string; grad: number }) => [l.name, l.grad]));
    expect(g.w).toBeCloseTo(dz * 0.5, 14);
    expect(g.x).toBeCloseTo(dz * -1.2, 14);
    expect(g.b).toBeCloseTo(dz, 14);
    expect(g.y).toBeCloseTo(-2 * (a - 1), 14);
  });
  it('--json: op names keep the contract (np.maximum is "maximum"), and F. activations are nodes with PyTorch gradients', () => {
    const r = run(['backprop', '--json', '--at', 'x=0', 'y = np.maximum(0, x) + np.minimum(x, 1) + F.gelu(x)']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.nodes.map((n: { op: string }) => n.op)).toEqual(expect.arrayContaining(['maximum', 'minimum', 'gelu']));
    // d/dx at 0: ½ (the tie of maximum) + 1 (minimum, x < 1) + GELU′(0) = Φ(0) = ½
    expect(j.leaves.find((l: { name: string }) => l.name === 'x').grad).toBeCloseTo(2, 14);
  });
  it('a bad point or code is an error with its position; unknown options exit 2', () => {
    const bad = run(['backprop', '--json', 'z = w*x +']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).ok).toBe(false);
    expect(run(['backprop', '--at', 'x=abc', 'z = x']).code).toBe(2);
    expect(run(['backprop', '--at', 'W=[[1,2],[3', 'loss = np.sum(W)']).code).toBe(2);
  });
  it('--shapes and --at with JSON arrays: nodes and leaves gain "shape", values and gradients are nested lists', () => {
    const code = 'Z = X @ W + b\nloss = np.sum(np.tanh(Z))';
    const r = run(['backprop', '--json', '--shapes', 'X:(n,3),W:(3,2),b:(2,)', '--at', 'lam=0.5,W=[[1,2],[3,4],[5,6]]', '--at', 'b=[0.1,-0.1]', code]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.ok).toBe(true);
    const leaves = Object.fromEntries(j.leaves.map((l: { name: string }) => [l.name, l]));
    expect(leaves.W).toMatchObject({ shape: [3, 2], value: [[1, 2], [3, 4], [5, 6]], source: 'at' });
    expect(leaves.b).toMatchObject({ shape: [2], value: [0.1, -0.1] });
    expect(leaves.X.shape).toEqual([4, 3]);
    expect(leaves.X.grad).toHaveLength(4);
    const z = j.nodes.find((n: { name?: string }) => n.name === 'Z');
    expect(Object.keys(z)).toEqual(['id', 'op', 'label', 'inputs', 'name', 'shape', 'value', 'grad', 'local', 'line']);
    expect(z.shape).toEqual([4, 2]);
    expect(j.nodes.find((n: { name?: string }) => n.name === 'loss').shape).toBeUndefined();
    expect(j.notes.join(' ')).toMatch(/n = 4/);
    expect(j.notes.join(' ')).toMatch(/"lam" is not an input/);
    expect(j.numpy).toContain('d_b += np.sum(d_Z, axis=0)');
    // Text output: shapes and elided arrays.
    const t = run(['backprop', '--shapes', 'X:(4,3),W:(3,2),b:(2,)', code]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/∂loss\/∂W = \(3, 2\) \[\[/);
    // A shaped output is an error with its position.
    const bad = run(['backprop', '--json', '--shapes', 'X:(4,3),W:(3,2)', 'Z = X @ W']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error.message).toMatch(/scalar output/);
  });
});

describe('mathlens grad --shapes, jacobian, hessian', () => {
  it('grad --shapes: each entry has its shape and NumPy code, checked numerically; the layout is said', () => {
    const r = run(['grad', '--json', '--shapes', 'X:(n,d),w:(d,),y:(n,)', '--wrt', 'w', 'np.sum((X @ w - y)**2)']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.ok).toBe(true);
    expect(j.kind).toBe('gradient');
    expect(j.shapes).toEqual({ X: ['n', 'd'], w: ['d'], y: ['n'] });
    expect(j.gradient).toHaveLength(1);
    const g = j.gradient[0];
    expect(g.wrt).toBe('w');
    expect(g.shape).toEqual(['d']);
    // ∇_w ‖Xw − y‖² = 2Xᵀ(Xw − y)
    expect(g.latex.replace(/\s+/g, '')).toContain('X^\\top');
    expect(g.numpy).toMatch(/X\.T|np\.transpose\(X\)|X\b/);
    expect(g.check.passed).toBe(true);
    expect(j.layout).toBe('denominator');
  });
  it('jacobian and hessian follow the same shape; unsupported input is refused, not guessed', () => {
    const h = JSON.parse(run(['hessian', '--json', '--shapes', 'x:(),y:()', '(1 - x)**2 + 100*(y - x**2)**2']).stdout);
    expect(h.ok).toBe(true);
    expect(h.kind).toBe('hessian');
    expect(h.gradient[0].shape).toEqual([2, 2]);
    expect(h.check.passed).toBe(true);
    const jac = JSON.parse(run(['jacobian', '--json', '--shapes', 'W:(m,n),x:(n,)', 'np.tanh(W @ x)']).stdout);
    expect(jac.ok).toBe(true);
    expect(jac.kind).toBe('jacobian');
    expect(jac.layout).toBe('numerator');
    const bad = run(['grad', '--json', '--shapes', 'A:(n,n)', 'np.linalg.norm(A, 2)']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error.kind).toMatch(/unsupported|parse/);
  });
});

describe('mathlens grad: array operations without --shapes', () => {
  it('-np.sum(y*np.log(p)) and (…).mean() answer with matrix calculus over assumed vectors of length n', () => {
    for (const [expr, names] of [['-np.sum(y*np.log(p))', ['y', 'p']], ['(0.5*(y_true - y_pred)**2).mean()', ['y_true', 'y_pred']]] as const) {
      const r = run(['grad', '--json', expr]);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.ok).toBe(true);
      expect(j.kind).toBe('gradient');
      expect(j.gradient.map((g: { wrt: string; shape: unknown }) => [g.wrt, g.shape])).toEqual(names.map((n) => [n, ['n']]));
      expect(j.assumed).toEqual(Object.fromEntries(names.map((n) => [n, ['n']])));
      expect(j.check.passed).toBe(true);
      expect(j.notes.join(' ')).toMatch(/No shape declared: assumed vectors of one length/);
    }
    const readable = run(['grad', '-np.sum(y*np.log(p))']);
    expect(readable.code).toBe(0);
    expect(readable.stdout).toContain('∇_p   shape (n,)');
    expect(readable.stdout).toContain('note: No shape declared: assumed vectors');
  });

  it('a softmax written out answers with its Jacobian, and says so; a shape comment in the text wins', () => {
    const j = JSON.parse(run(['grad', '--json', 'np.exp(x)/np.sum(np.exp(x))']).stdout);
    expect(j.ok).toBe(true);
    expect(j.kind).toBe('jacobian');
    expect(j.gradient[0].shape).toEqual(['n', 'n']);
    expect(j.notes[0]).toMatch(/vector-valued .* Jacobian/);
    const d = JSON.parse(run(['grad', '--json', '# y: (k,), p: (k,)\n-np.sum(y*np.log(p))']).stdout);
    expect(d.ok).toBe(true);
    expect(d.shapes).toEqual({ y: ['k'], p: ['k'] });
    expect(d.assumed).toBeUndefined();
  });

  it('jacobian and hessian without --shapes assume the same vectors', () => {
    const h = JSON.parse(run(['hessian', '--json', 'np.sum(x**4)']).stdout);
    expect(h.ok).toBe(true);
    expect(h.gradient[0].shape).toEqual(['n', 'n']);
    expect(h.assumed).toEqual({ x: ['n'] });
    const j = JSON.parse(run(['jacobian', '--json', 'x - np.mean(x)']).stdout);
    expect(j.ok).toBe(true);
    expect(j.gradient[0].shape).toEqual(['n', 'n']);
  });

  it('@ of undeclared names is an error that says what to declare', () => {
    const r = run(['grad', '--json', 'np.sum((X @ w - y)**2)']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.message).toMatch(/^@ needs the shapes of X and w/);
  });

  it('scalar selections are unchanged: the scalar engine\'s JSON, byte for byte but the timing', () => {
    for (const expr of ['x**2 + y', 'np.tanh(w*x + b)', '0.5*(y_true - y_pred)**2']) {
      const r = run(['grad', '--json', expr]);
      const j = JSON.parse(r.stdout);
      const engine = computeGradient(expr, { lang: 'python', budgetMs: 2000 });
      expect(JSON.stringify({ ...j, elapsedMs: 0 })).toBe(JSON.stringify({ ...engine, elapsedMs: 0 }));
      expect(j.kind).toBeUndefined();
    }
  });
});

describe('mathlens shapes: workspace files', () => {
  it('np.load and imported modules are looked up next to FILE, then under --root (default: the current directory)', () => {
    const root = resolve('test-output/unit/cli-shapes-ws');
    mkdirSync(`${root}/data`, { recursive: true });
    mkdirSync(`${root}/src`, { recursive: true });
    // a .npy of shape (3, 7): magic, version 1.0, header padded to 128 bytes, then the data
    let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 7), }";
    header += ' '.repeat(128 - 10 - header.length - 1) + '\n';
    writeFileSync(`${root}/data/x.npy`, Buffer.concat([Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]), Buffer.from(header, 'latin1'), Buffer.alloc(3 * 7 * 8)]));
    writeFileSync(`${root}/helper.py`, 'def f(a):\n    return a.T\n');
    writeFileSync(`${root}/src/main.py`, 'import numpy as np\nfrom helper import f\nX = np.load("data/x.npy")\nY = f(X)\n');
    const shapesOf = (r: { stdout: string }) => Object.fromEntries((JSON.parse(r.stdout).symbols as { name: string; shape: unknown }[]).map((s) => [s.name, s.shape]));
    const withRoot = run(['shapes', '--json', '--root', root, `${root}/src/main.py`]);
    expect(withRoot.code).toBe(0);
    expect(shapesOf(withRoot)).toMatchObject({ X: [3, 7], Y: [7, 3] });
    const cwd = spawnSync(process.execPath, [out, 'shapes', '--json', 'src/main.py'], { cwd: root, encoding: 'utf8', timeout: 30000 });
    expect(shapesOf(cwd)).toMatchObject({ X: [3, 7], Y: [7, 3] });
    // elsewhere, nothing is found: unknown, not an error
    const elsewhere = run(['shapes', '--json', '--root', resolve('test-output'), `${root}/src/main.py`]);
    expect(elsewhere.code).toBe(0);
    expect(shapesOf(elsewhere)).toMatchObject({ X: null, Y: null });
    expect(run(['shapes', '--root']).code).toBe(2);
  });
});
