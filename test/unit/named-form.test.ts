/**
 * Issue 12: a forward pass's partials in its own names (the chain of local derivatives), the
 * parameters before the data, and the CLI's JSON for both.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileNumpyCode, rng } from '../../core/check';
import { computeGradient } from '../../core/gradient';
import { isDataName } from '../../core/named';
import type { GradientOk } from '../../core/result';

const ISSUE = 'z = w*x + b\nh = np.tanh(z)\nout = v*h + c\nloss = (out - y)**2';

function grad(src: string, options: { wrt?: string[]; data?: string[] } = {}): GradientOk {
  const r = computeGradient(src, { lang: 'python', ...options });
  if (!r.ok) throw new Error(`${src}: ${r.error.message}`);
  return r;
}

describe("the forward pass's own names", () => {
  it("the issue's example: ∂loss/∂w = 2(out − y) · v · (1 − h²) · x in LaTeX, NumPy and text", () => {
    const r = grad(ISSUE);
    const dw = r.gradient.find((g) => g.wrt === 'w')!;
    expect(dw.named).toEqual({
      latex: '2 (\\mathit{out} - y) \\cdot v \\cdot (1 - h^{2}) \\cdot x',
      numpy: '2*(out - y)*v*(1 - h**2)*x',
      text: '2*(out - y)*v*(1 - h^2)*x',
    });
    // The substituted form is unchanged (the CLI contract).
    expect(dw.text).toBe('2*v*x*(v*tanh(w*x + b) + c - y)*(1 - tanh(w*x + b)^2)');
    expect(r.gradient.find((g) => g.wrt === 'c')!.named!.text).toBe('2*(out - y)');
    expect(r.gradient.find((g) => g.wrt === 'v')!.named!.text).toBe('2*(out - y)*h');
    expect(r.check.named).toEqual({ points: 5, maxRelError: expect.any(Number), passed: true });
    expect(r.check.passed).toBe(true);
  });

  it('local derivatives are written with the name of what they differentiate: σ(z)(1 − σ(z)) is s(1 − s), e^a is its name', () => {
    const r = grad('z = w*x + b\ns = sigmoid(z)\nloss = (s - y)**2');
    expect(r.gradient.find((g) => g.wrt === 'w')!.named!.text).toBe('2*(s - y)*s*(1 - s)*x');
    const e = grad('a = w*x\ne = np.exp(a)\nloss = e*t');
    expect(e.gradient.find((g) => g.wrt === 'w')!.named!.text).toBe('t*e*x');
  });

  it('the named form and its NumPy code equal the substituted partial at random points, intermediates computed from the inputs', () => {
    const passes = [
      ISSUE,
      'z = w*x + b\ns = sigmoid(z)\nloss = -(y*np.log(s) + (1 - y)*np.log(1 - s))',
      // a name read twice: two paths add up
      'a = w*x\nb = a*a + np.exp(a)\nloss = b*a + np.sin(w)',
      'z1 = w1*x + b1\nh1 = np.tanh(z1)\nz2 = w2*h1 + b2\nh2 = sigmoid(z2)\nloss = 0.5*(h2 - y)**2',
      'u = w*x\nr = np.log(1 + np.exp(u))\nloss = r**2 / (1 + v**2)',
    ];
    const random = rng(1234);
    for (const src of passes) {
      const r = grad(src);
      expect(r.check.named?.passed, src).toBe(true);
      const defs = src.split('\n').map((line) => {
        const [name, expr] = line.split(' = ') as [string, string];
        return { name, code: compileNumpyCode(expr.replace(/sigmoid\(([^()]*)\)/g, '1/(1 + np.exp(-($1)))')) };
      });
      let compared = 0;
      for (let k = 0; k < 8; k++) {
        const env: Record<string, number> = {};
        for (const v of r.variables) env[v] = 0.2 + 1.2 * random();
        const withNames: Record<string, number> = { ...env };
        for (const d of defs) withNames[d.name] = d.code(withNames);
        for (const g of r.gradient) {
          expect(g.named, `${src}: ∂/∂${g.wrt}`).toBeDefined();
          const want = compileNumpyCode(g.numpy)(env);
          const got = compileNumpyCode(g.named!.numpy)(withNames);
          expect(Math.abs(got - want) / Math.max(1, Math.abs(want)), `${src}: ∂/∂${g.wrt} at ${JSON.stringify(env)}`).toBeLessThan(1e-9);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(0);
    }
  });

  it('a function that returns an expression: the output is unnamed, the intermediates are named', () => {
    const r = grad('def f(w, b, x, y):\n    z = w*x + b\n    h = np.tanh(z)\n    return (h - y)**2');
    expect(r.gradient.map((g) => [g.wrt, g.named?.text])).toEqual([
      ['b', '2*(h - y)*(1 - h^2)'],
      ['w', '2*(h - y)*(1 - h^2)*x'],
      ['x', '2*(h - y)*(1 - h^2)*w'],
      ['y', '2*(y - h)'],
    ]);
    expect(r.check.named?.passed).toBe(true);
    // The output's own value is never a factor (it has no name in the code): d/dz e^z stays e^z.
    expect(grad('z = w*x\nnp.exp(z) + z').gradient.find((g) => g.wrt === 'w')!.named!.text).toBe('(1 + exp(z))*x');
  });

  it('is absent where it would not mean one thing: no intermediates, a name assigned twice, a name read before it is assigned', () => {
    for (const src of ['np.tanh(w*x + b)', 'loss = (w*x - y)**2', 'h = w*x\nh = np.tanh(h)\nloss = h**2', 'x = x*w\nloss = x**2', 'a = w\nreturn a*x']) {
      const r = grad(src);
      for (const g of r.gradient) expect(g.named, `${src}: ∂/∂${g.wrt}`).toBeUndefined();
      expect(r.check.named, src).toBeUndefined();
    }
  });
});

describe('parameters first, data grouped', () => {
  it('orders the partials parameters first and marks the data', () => {
    const r = grad(ISSUE);
    expect(r.variables).toEqual(['b', 'c', 'v', 'w', 'x', 'y']);
    expect(r.gradient.map((g) => [g.wrt, g.group])).toEqual([
      ['b', 'parameters'],
      ['c', 'parameters'],
      ['v', 'parameters'],
      ['w', 'parameters'],
      ['x', 'data'],
      ['y', 'data'],
    ]);
  });
  it('keeps the order the caller chose with wrt; names the caller says are data are data', () => {
    expect(grad(ISSUE, { wrt: ['y', 'w'] }).gradient.map((g) => [g.wrt, g.group])).toEqual([
      ['y', 'data'],
      ['w', 'parameters'],
    ]);
    const r = grad('z = w*inp + b\nloss = (z - y)**2', { data: ['inp'] });
    expect(r.gradient.map((g) => g.wrt)).toEqual(['b', 'w', 'inp', 'y']);
  });
  it('a selection that is not a forward pass has no groups and keeps sorted order', () => {
    const r = grad('(w*x + b - y)**2');
    expect(r.gradient.map((g) => g.wrt)).toEqual(['b', 'w', 'x', 'y']);
    for (const g of r.gradient) expect(g.group).toBeUndefined();
  });
  it('the data rule: x, y, X[i,0], targets and labels are data; weights, biases, p["w1"], y_pred are not', () => {
    for (const v of ['x', 'y', 'X', 'Y', 't', 'x1', 'x_2', 'y_true', 'X_train', 'X[i,0]', 'X[i, 1]', 'x[0]', 'target', 'targets', 'label', 'labels', 'inputs', 'data.x']) {
      expect(isDataName(v), v).toBe(true);
    }
    for (const v of ['w', 'w1', 'b', 'W', 'v', 'c', 'p["w1"]', "params['b']", 'self.w', 'y_pred', 'y_hat', 'theta', 'xw', 'tau', 'out']) {
      expect(isDataName(v), v).toBe(false);
    }
    expect(isDataName('batch', new Set(['batch']))).toBe(true);
    expect(isDataName('batch[0]', new Set(['batch']))).toBe(true);
  });
});

describe('mathlens grad --json', () => {
  const out = resolve('test-output/unit/named-cli.js');
  beforeAll(async () => {
    mkdirSync('test-output/unit', { recursive: true });
    await esbuild.build({ entryPoints: ['core/cli.ts'], outfile: out, bundle: true, platform: 'node', format: 'cjs', logLevel: 'silent', define: { __MATHLENS_VERSION__: '"test"' } });
  });
  it('each partial of a forward pass gains named {latex, numpy, text} and group; other results have neither', () => {
    const r = spawnSync(process.execPath, [out, 'grad', '--json', ISSUE.replace(/\n/g, '; ')], { encoding: 'utf8', timeout: 30000 });
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.gradient.map((g: { wrt: string }) => g.wrt)).toEqual(['b', 'c', 'v', 'w', 'x', 'y']);
    for (const g of j.gradient) {
      expect(Object.keys(g.named).sort()).toEqual(['latex', 'numpy', 'text']);
      expect(['parameters', 'data']).toContain(g.group);
      expect(typeof g.latex).toBe('string');
    }
    expect(j.gradient[3].named.numpy).toBe('2*(out - y)*v*(1 - h**2)*x');
    expect(j.check.named.passed).toBe(true);
    const plain = JSON.parse(spawnSync(process.execPath, [out, 'grad', '--json', 'np.tanh(w*x + b)'], { encoding: 'utf8', timeout: 30000 }).stdout);
    for (const g of plain.gradient) {
      expect('named' in g).toBe(false);
      expect('group' in g).toBe(false);
    }
  });
});

describe('the panel protocol carries the named form and the groups', () => {
  it('accepts a result with named/group and a state with disclosures; rejects malformed ones', async () => {
    const { isExtensionToWebview, isPanelState } = await import('../../core/protocol');
    const result = grad(ISSUE);
    const source = { text: ISSUE, lang: 'python', start: { line: 0, character: 0 }, endLine: 3 };
    const msg = { type: 'result', result, source, view: { showSteps: true } };
    expect(isExtensionToWebview(msg)).toBe(true);
    const bad = (patch: object) => ({ ...msg, result: { ...result, gradient: [{ ...result.gradient[0], ...patch }] } });
    expect(isExtensionToWebview(bad({ named: { latex: 1, numpy: 'x', text: 'x' } }))).toBe(false);
    expect(isExtensionToWebview(bad({ named: 'x' }))).toBe(false);
    expect(isExtensionToWebview(bad({ group: 'weights' }))).toBe(false);
    expect(isPanelState({ version: 1, last: msg, disclosed: { 'substituted:w': true, data: false } })).toBe(true);
    expect(isPanelState({ version: 1, disclosed: { data: 'yes' } })).toBe(false);
  });
});

describe('a named form that disagrees fails the check', () => {
  it('is caught at the check points, fails the check with a note, and is not shown', async () => {
    const { Budget } = await import('../../core/budget');
    const { addNamedForms, namedPartials } = await import('../../core/named');
    const { parse } = await import('../../core/parse/index');
    const { sym, mul } = await import('../../core/expr');
    const parsed = parse(ISSUE, 'python');
    if (!parsed.ok) throw new Error(parsed.error.message);
    const r = grad(ISSUE);
    const budget = Budget.unlimited();
    const pass = namedPartials(parsed.value, r.variables, budget)!;
    // Tamper with ∂loss/∂w: one factor v too many.
    pass.partials.set('w', mul(pass.partials.get('w')!, sym('v')));
    const { simplify } = await import('../../core/simplify');
    const { differentiate } = await import('../../core/diff');
    const partials = r.variables.map((v) => ({ wrt: v, d: simplify(differentiate(parsed.value.expr, v).raw) }));
    const gradient = r.gradient.map((g) => ({ ...g, named: undefined }));
    const check = { ...r.check, named: undefined, passed: true };
    const notes: string[] = [];
    addNamedForms({ parsed: parsed.value, named: pass, gradient, partials, check, notes, chosenOrder: false });
    expect(check.passed).toBe(false);
    expect(check.named).toMatchObject({ passed: false });
    expect(notes.join(' ')).toMatch(/∂loss\/∂w/);
    expect(gradient.find((g) => g.wrt === 'w')!.named).toBeUndefined();
    expect(gradient.find((g) => g.wrt === 'b')!.named).toBeDefined();
  });
});
