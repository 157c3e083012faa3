import { describe, expect, it } from 'vitest';
import { type Expr, add, call, cmp, div, int, mul, neg, numFromText, pow, rat, sqrt, sub, sym } from '../../core/expr';
import { differentiate, RULES } from '../../core/diff';
import { compile } from '../../core/evaluate';
import { toLatex, toText } from '../../core/print';
import { recognize } from '../../core/recognize';
import { simplify } from '../../core/simplify';

const x = sym('x');
const y = sym('y');
const w = sym('w');
const b = sym('b');

function d(e: Expr, v = 'x') {
  const r = recognize(simplify(e));
  const out = differentiate(r.expr, v, {});
  return { ...out, recognized: r.steps, result: simplify(out.raw) };
}
const dt = (e: Expr, v = 'x') => toText(d(e, v).result);

describe('textbook results', () => {
  it('power, product and quotient', () => {
    expect(dt(pow(x, int(3)))).toBe('3*x^2');
    expect(dt(mul(pow(x, int(2)), call('sin', x)))).toBe('x^2*cos(x) + 2*x*sin(x)');
    expect(dt(div(call('sin', x), x))).toBe('(x*cos(x) - sin(x))/x^2');
    expect(dt(sqrt(x))).toBe('1/(2*sqrt(x))');
  });
  it('the sigmoid written out is recognized and differentiated as σ(1 − σ)', () => {
    const r = d(div(int(1), add(int(1), call('exp', neg(x)))));
    expect(toText(r.result)).toBe('sigmoid(x)*(1 - sigmoid(x))');
    expect(toLatex(r.result)).toBe('\\sigma(x) (1 - \\sigma(x))');
    expect(r.recognized.map((s) => s.rule)).toEqual(['recognize the sigmoid']);
  });
  it('σ(wx + b) gets the chain rule', () => {
    const r = d(call('sigmoid', add(mul(w, x), b)), 'w');
    expect(toText(r.result)).toBe('x*sigmoid(w*x + b)*(1 - sigmoid(w*x + b))');
    expect(r.steps[0]!.rule).toBe('chain rule');
    expect(r.steps[0]!.detail).toContain('sigmoid rule');
  });
  it('tanh gives 1 − tanh²', () => {
    expect(dt(call('tanh', x))).toBe('1 - tanh(x)^2');
    const written = div(sub(call('exp', x), call('exp', neg(x))), add(call('exp', x), call('exp', neg(x))));
    expect(dt(written)).toBe('1 - tanh(x)^2');
  });
  it('softplus written out differentiates to σ', () => {
    expect(dt(call('log', add(int(1), call('exp', x))))).toBe('sigmoid(x)');
    expect(dt(call('log1p', call('exp', x)))).toBe('sigmoid(x)');
  });
  it('MSE keeps the residual factored', () => {
    expect(dt(pow(sub(sub(y, mul(w, x)), b), int(2)), 'w')).toBe('-2*x*(y - w*x - b)');
  });
  it('binary cross-entropy', () => {
    const p = sym('p');
    const bce = neg(add(mul(y, call('log', p)), mul(sub(int(1), y), call('log', sub(int(1), p)))));
    expect(dt(bce, 'p')).toBe('(1 - y)/(1 - p) - y/p');
  });
  it('generalized power rule for x^x', () => {
    expect(dt(pow(x, x))).toBe('x^x*(1 + ln(x))');
  });
  it('every rule in the table has a derivative that matches finite differences', () => {
    let checked = 0;
    for (const [name, rule] of Object.entries(RULES)) {
      const f = compile(call(name as never, x));
      const df = compile(simplify(rule!.d(x)));
      for (const x0 of [0.3, 0.7, 1.3]) {
        const h = 1e-5;
        const fd = (f({ x: x0 + h }) - f({ x: x0 - h })) / (2 * h);
        const v = df({ x: x0 });
        if (!Number.isFinite(fd)) continue; // outside the domain (asin 1.3, acosh 0.3)
        checked++;
        expect(Math.abs(fd - v), `${name} at ${x0}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(v)));
      }
    }
    expect(checked).toBeGreaterThan(Object.keys(RULES).length * 2);
  });
});

describe('piecewise functions state their kinks', () => {
  it('ReLU', () => {
    const r = d(call('relu', x));
    expect(toText(r.result)).toBe('[x > 0]');
    expect(r.kinks.map((k) => k.latex)).toEqual(['x = 0']);
  });
  it('abs', () => {
    const r = d(call('abs', sub(x, int(1))));
    expect(toText(r.result)).toBe('sign(x - 1)');
    expect(r.kinks.map((k) => k.latex)).toEqual(['x - 1 = 0']);
  });
  it('where(x > 0, x, 0) is recognized as ReLU; max(0, x) keeps the PyTorch tie (1/2 at x = 0)', () => {
    const r = d(call('max', int(0), x));
    expect(r.recognized).toEqual([]);
    expect(toText(r.result)).toBe('(x == 0)/2 + (x > 0)');
    expect(toLatex(r.result)).toBe('\\frac{\\mathbf{1}_{[x = 0]}}{2} + \\mathbf{1}_{[x > 0]}');
    expect(r.kinks.map((k) => k.latex)).toEqual(['x = 0']);
    expect(dt(call('where', cmp('>', x, int(0)), x, int(0)))).toBe('[x > 0]');
  });
  it('max of two variables and a general where', () => {
    expect(dt(call('max', x, y))).toBe('(x == y)/2 + (x > y)');
    const r = d(call('where', cmp('<', x, int(1)), pow(x, int(2)), x));
    expect(toText(r.result)).toBe('where(x < 1, 2*x, 1)');
    expect(r.kinks.map((k) => k.latex)).toEqual(['x - 1 = 0']);
  });
  it('where(x > 0, x, 0.01x) is recognized as leaky ReLU', () => {
    const leaky = call('where', cmp('>', x, int(0)), x, mul(numFromText('0.01'), x));
    const r = d(leaky);
    expect(r.recognized.map((s) => s.rule)).toEqual(['recognize leaky ReLU']);
    expect(toText(r.result)).toBe('where(x > 0, 1, 0.01)');
    expect(r.kinks.length).toBe(1);
  });
  it('clip has two kinks', () => {
    const r = d(call('clip', x, int(-1), int(1)));
    expect(toText(r.result)).toBe('where(x < -1, 0, where(x > 1, 0, 1))');
    expect(r.kinks.map((k) => k.latex)).toEqual(['x + 1 = 0', 'x - 1 = 0']);
  });
  it('leaky ReLU uses the negative slope at 0, as PyTorch does', () => {
    expect(dt(call('leaky_relu', x, numFromText('0.2')))).toBe('where(x > 0, 1, 0.2)');
  });
});

describe('steps', () => {
  it('name one rule each and show unevaluated derivatives', () => {
    const r = d(mul(x, call('exp', mul(int(2), x))));
    expect(r.steps.map((s) => s.rule)).toEqual(['product rule', 'chain rule', 'constant multiple rule']);
    expect(r.steps[0]!.latex).toContain('\\frac{d}{dx}\\left[e^{2 x}\\right]');
  });
  it('use ∂ when asked for partial derivatives', () => {
    const out = differentiate(mul(x, y), 'x', { partial: true });
    expect(out.steps[0]!.latex.startsWith('\\frac{\\partial}{\\partial x}')).toBe(true);
  });
  it('are capped, but the derivative is still complete', () => {
    let e: Expr = x;
    for (let i = 0; i < 200; i++) e = call('sin', add(e, rat(1, i + 2)));
    const out = differentiate(e, 'x', { maxSteps: 20 });
    expect(out.steps.length).toBeGreaterThan(0);
    expect(out.steps.length).toBeLessThanOrEqual(20);
    expect(out.stepsTruncated).toBe(true);
    expect(Number.isFinite(compile(out.raw)({ x: 0.1 }))).toBe(true);
  });
});

describe('bad input never hurts', () => {
  it('a forward pass that doubles at every line is refused quickly, with a reason', async () => {
    const { computeGradient } = await import('../../core/gradient');
    const src = ['a = x', ...Array.from({ length: 40 }, () => 'a = a*a + np.sin(a)')].join('\n');
    const t0 = performance.now();
    const r = computeGradient(src, { lang: 'python' });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/too large/);
  });
  it('a forward pass nested deeper than 400 levels is refused with a reason', async () => {
    const { computeGradient } = await import('../../core/gradient');
    const src = ['a = x', ...Array.from({ length: 500 }, () => 'a = np.sin(a)')].join('\n');
    const r = computeGradient(src, { lang: 'python' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/nested 501 levels deep/);
  });
  it('a tiny time budget cuts the work and says so', async () => {
    const { computeGradient } = await import('../../core/gradient');
    const src = Array.from({ length: 600 }, (_, i) => `x**${i + 1}*np.sin(${i + 1}*x*y)`).join(' + ');
    const r = computeGradient(src, { lang: 'python', budgetMs: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('budget');
      expect(r.error.message).toMatch(/was cut: time budget exhausted/);
    }
  });
  it('unknown functions and garbage are errors with a position, never exceptions', async () => {
    const { computeGradient } = await import('../../core/gradient');
    for (const [src, offset] of [
      ['np.frobnicate(x)', 0],
      ['x + ', 4],
      [')', 0],
    ] as const) {
      const r = computeGradient(src, { lang: 'python' });
      expect(r.ok, src).toBe(false);
      if (!r.ok) expect(r.error.offset, src).toBe(offset);
    }
  });
});

describe('textbook forms of activation derivatives (issue 12)', () => {
  const grad = async (src: string) => {
    const { computeGradient } = await import('../../core/gradient');
    const r = computeGradient(src, { lang: 'python' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.check.passed, src).toBe(true);
    return r.gradient[0]!;
  };
  it("d/dx[σ(x)(1 − σ(x))] = σ(x)(1 − σ(x))(1 − 2σ(x)), not (1 − σ)²σ − σ² + σ³", async () => {
    const g = await grad('sigmoid(x)*(1 - sigmoid(x))');
    expect(g.text).toBe('sigmoid(x)*(1 - sigmoid(x))*(1 - 2*sigmoid(x))');
    expect(g.latex).toBe('\\sigma(x) (1 - \\sigma(x)) (1 - 2 \\sigma(x))');
    // The logistic function written out is recognised first: the same form.
    expect((await grad('1/(1 + np.exp(-x)) * (1 - 1/(1 + np.exp(-x)))')).text).toBe(g.text);
  });
  it('d/dx[tanh²(x)] and tanh′′(x) = −2 tanh(x)(1 − tanh²(x))', async () => {
    expect((await grad('np.tanh(x)**2')).text).toBe('2*tanh(x)*(1 - tanh(x)^2)');
    expect((await grad('1 - np.tanh(x)**2')).text).toBe('-2*tanh(x)*(1 - tanh(x)^2)');
    expect((await grad('1 - np.tanh(x)**2')).latex).toBe('-2 \\tanh(x) (1 - \\tanh^{2}(x))');
  });
  it("relatives: softplus′′ = σ(1 − σ), (tanh(1 − tanh²))′ = (1 − tanh²)(1 − 3tanh²), σ(2x)(1 − σ(2x)) by the chain rule", async () => {
    expect((await grad('sigmoid(x)')).text).toBe('sigmoid(x)*(1 - sigmoid(x))');
    expect((await grad('np.tanh(x)*(1 - np.tanh(x)**2)')).text).toBe('(1 - tanh(x)^2)*(1 - 3*tanh(x)^2)');
    expect((await grad('sigmoid(2*x)*(1 - sigmoid(2*x))')).text).toBe('2*sigmoid(2*x)*(1 - sigmoid(2*x))*(1 - 2*sigmoid(2*x))');
  });
});
