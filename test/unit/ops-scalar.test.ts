/**
 * The scalar engine reads the operation catalogue: every one of the issue's
 * functions, in every NumPy / PyTorch / torch.nn.functional (and SciPy)
 * spelling, differentiates; its derivative agrees with the catalogue's numeric
 * gradient (PyTorch's values); its LaTeX renders; and the printed NumPy code of
 * the derivative means the same, as checked by the NumPy-code evaluator.
 */
import { describe, expect, it } from 'vitest';
import { compileNumpyCode, numericCheck } from '../../core/check';
import { differentiate } from '../../core/diff';
import { call, sym } from '../../core/expr';
import { computeGradient } from '../../core/gradient';
import { type OpEntry, gradient, opOf } from '../../core/ops';
import { simplify } from '../../core/simplify';

const COVERAGE = [
  'exp', 'log', 'log1p', 'expm1', 'sqrt', 'cbrt', 'square', 'reciprocal', 'abs', 'exp2', 'log2', 'log10',
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'asinh', 'atanh', 'erf',
  'sigmoid', 'logsigmoid', 'relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'silu', 'mish', 'softplus', 'softsign', 'max',
];

const POINTS: Record<OpEntry['domain'], number[]> = {
  real: [-2.3, -0.7, 0.4, 1.3, 2.9],
  positive: [0.2, 0.9, 1.7, 3.1],
  nonnegative: [0.2, 0.9, 1.7, 3.1],
  unit: [-0.8, -0.3, 0.2, 0.6],
  'open-unit': [-0.8, -0.3, 0.2, 0.6],
  'above-one': [1.2, 2.1, 3.5],
};

const PREFIX: Partial<Record<string, string>> = { numpy: 'np', torch: 'torch', F: 'F', scipy: 'scipy.special' };

/** Every call of the entry in NumPy, PyTorch, F and SciPy, with the arguments (x, or 0 and x for maximum). */
function spellings(e: OpEntry): string[] {
  const args = e.arity === 2 ? '0, x' : 'x';
  const out: string[] = [];
  for (const [lib, prefix] of Object.entries(PREFIX)) {
    for (const s of e.spell[lib as keyof typeof e.spell] ?? []) out.push(`${prefix}.${s}(${args})`);
  }
  return out;
}

/** ∂/∂x from the catalogue's own numeric gradient. */
function expected(e: OpEntry, x: number, params: number[] = []): number {
  return e.arity === 2 ? gradient(e, [0, x], params)[1]! : gradient(e, [x], params)[0]!;
}

function checkCase(code: string, e: OpEntry, params: number[] = []): void {
  const r = computeGradient(code, { lang: 'python' });
  if (!r.ok) throw new Error(`${code}: ${r.error.message}`);
  const g = r.gradient.find((p) => p.wrt === 'x')!;
  expect(g, code).toBeDefined();
  expect(g.latex, code).not.toMatch(/undefined|NaN/);
  expect(r.expression.latex, code).not.toMatch(/undefined|NaN/);
  expect(r.notes.join(' '), code).not.toMatch(/printed NumPy code/);
  expect(r.check.passed, `${code}: ${JSON.stringify(r.check)}`).toBe(true);
  const d = compileNumpyCode(g.numpy);
  for (const x of POINTS[e.domain]) {
    const want = expected(e, x, params);
    const got = d({ x });
    expect(Math.abs(got - want), `${code} at x = ${x}: ${g.numpy} = ${got}, catalogue ${want}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(want)));
  }
}

describe('every function of the coverage list, in every spelling', () => {
  for (const name of COVERAGE) {
    const e = opOf(name);
    const codes = spellings(e);
    it(`${name} (${codes.length} spellings)`, () => {
      expect(codes.length, name).toBeGreaterThan(0);
      for (const code of codes) checkCase(code, e);
    });
  }
  it('parameters: F.leaky_relu(x, negative_slope=0.2), F.elu(x, alpha=0.5)', () => {
    checkCase('F.leaky_relu(x, negative_slope=0.2)', opOf('leaky_relu'), [0.2]);
    checkCase('F.leaky_relu(x, 0.2)', opOf('leaky_relu'), [0.2]);
    checkCase('F.elu(x, alpha=0.5)', opOf('elu'), [0.5]);
  });
  it('a parameter that is an expression is differentiated through (the catalogue dparams)', () => {
    const r = computeGradient('F.leaky_relu(x, a) + F.elu(y, alpha=a)', { lang: 'python' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.gradient.find((g) => g.wrt === 'a')!.numpy).toBe('np.where(x > 0, 0, x) + np.where(y > 0, 0, np.expm1(y))');
    expect(r.check.passed).toBe(true);
  });
  it("GELU: exact by default, the tanh approximation on request", () => {
    checkCase('F.gelu(x)', opOf('gelu'));
    checkCase("F.gelu(x, approximate='tanh')", opOf('gelu_tanh'));
    checkCase('jax.nn.gelu(x)', opOf('gelu_tanh'));
  });
  it('textbook forms', () => {
    const d = (code: string) => {
      const r = computeGradient(code, { lang: 'python' });
      if (!r.ok) throw new Error(r.error.message);
      return r.gradient[0]!;
    };
    expect(d('F.softsign(x)').text).toBe('1/(1 + |x|)^2');
    expect(d('torch.sigmoid(x)').text).toBe('sigmoid(x)*(1 - sigmoid(x))');
    expect(d('torch.tanh(x)').text).toBe('1 - tanh(x)^2');
    expect(d('np.cbrt(x)').numpy).toContain('np.cbrt(x)');
  });
  it('module names are never variables, and an unknown module function is an error naming it', () => {
    const r = computeGradient('np.foo(x)', { lang: 'python' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('np.foo');
    for (const code of ['np + x', 'x * torch', 'F * x']) expect(computeGradient(code, { lang: 'python' }).ok, code).toBe(false);
  });
});

describe('the numeric check evaluates the printed NumPy code', () => {
  it('evaluates with NumPy semantics: a negative base to a non-integer power is NaN, np.cbrt is real', () => {
    expect(compileNumpyCode('x**(1/3)')({ x: -8 })).toBeNaN();
    expect(compileNumpyCode('np.cbrt(x)')({ x: -8 })).toBeCloseTo(-2, 12);
    expect(compileNumpyCode('-x**2')({ x: 3 })).toBe(-9);
    expect(compileNumpyCode('2**-x')({ x: 1 })).toBe(0.5);
    expect(compileNumpyCode('np.where(x > 0, 1, 0.01)')({ x: -1 })).toBe(0.01);
    expect(compileNumpyCode('np.logaddexp(0, x)')({ x: 800 })).toBe(800);
    expect(compileNumpyCode('scipy.special.erf(x)')({ x: 0 })).toBe(0);
    expect(() => compileNumpyCode('np.foo(x)')).toThrow(/np\.foo/);
  });
  it('catches a printer that prints the cube root as x**(1/3)', () => {
    const x = sym('x');
    const f = call('cbrt', x);
    const d = simplify(differentiate(f, 'x').raw);
    const good = numericCheck({ f, variables: ['x'], partials: [{ wrt: 'x', d }], kinks: [x] });
    expect(good.passed).toBe(true);
    expect(good.codeNote).toBeUndefined();
    const wrong = numericCheck({ f, variables: ['x'], partials: [{ wrt: 'x', d, numpy: '1/(3*(x**(1/3))**2)' }], kinks: [x] });
    expect(wrong.passed).toBe(false);
    expect(wrong.codeNote).toMatch(/printed NumPy code/);
  });
});
