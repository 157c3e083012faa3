import { describe, expect, it } from 'vitest';
import { E, PI, add, call, cmp, div, int, mul, neg, numFromText, pow, rat, size, sqrt, sub, sym } from '../../core/expr';
import { compile } from '../../core/evaluate';
import { toLatex, toNumpy, toText } from '../../core/print';
import { expandWhereSmaller, simplify } from '../../core/simplify';

const x = sym('x');
const y = sym('y');
const s = (e: Parameters<typeof simplify>[0]) => toText(simplify(e));

describe('simplify: canonical form', () => {
  it('folds numbers exactly', () => {
    expect(s(add(int(1), int(2), rat(1, 2)))).toBe('7/2');
    expect(s(mul(rat(2, 3), rat(3, 4)))).toBe('1/2');
    expect(s(pow(int(2), int(10)))).toBe('1024');
    expect(s(pow(int(4), rat(1, 2)))).toBe('2');
    expect(s(pow(rat(8, 27), rat(-1, 3)))).toBe('3/2');
  });
  it('keeps irrational powers symbolic', () => {
    expect(s(pow(int(2), rat(1, 2)))).toBe('sqrt(2)');
  });
  it('collects like terms and factors', () => {
    expect(s(add(x, x, mul(int(3), x)))).toBe('5*x');
    expect(s(mul(x, x, pow(x, int(2))))).toBe('x^4');
    expect(s(sub(x, x))).toBe('0');
    expect(s(div(x, x))).toBe('1');
    expect(s(mul(call('exp', x), call('exp', neg(x))))).toBe('1');
  });
  it('collects like terms whatever their coefficients: xy + 2xy → 3xy', () => {
    expect(s(add(mul(x, y), mul(int(2), x, y)))).toBe('3*x*y');
    expect(s(add(mul(x, y), neg(mul(x, y))))).toBe('0');
  });
  it('orders polynomials by degree with the constant last', () => {
    expect(s(add(int(1), x, pow(x, int(2))))).toBe('x^2 + x + 1');
  });
  it('keeps the constant first next to functions: 1 − tanh²', () => {
    expect(s(sub(int(1), pow(call('tanh', x), int(2))))).toBe('1 - tanh(x)^2');
  });
  it('puts a positive term first', () => {
    expect(s(add(neg(x), y))).toBe('y - x');
  });
  it('distributes a number over a sum but never expands products of sums', () => {
    expect(s(mul(int(2), add(x, int(1))))).toBe('2*x + 2');
    expect(s(mul(add(x, int(1)), add(x, int(-1))))).toBe('(x - 1)*(x + 1)');
  });
  it('only merges nested powers for integer outer exponents', () => {
    expect(s(pow(pow(x, int(2)), int(3)))).toBe('x^6');
    expect(s(sqrt(pow(x, int(2))))).toBe('sqrt(x^2)');
    expect(s(pow(sqrt(x), int(2)))).toBe('x');
  });
  it('turns e^u into exp(u) and cancels exp/log', () => {
    expect(s(pow(E, x))).toBe('exp(x)');
    expect(s(call('log', call('exp', x)))).toBe('x');
    expect(s(call('exp', call('log', x)))).toBe('x');
    expect(s(call('exp', mul(int(2), call('log', x))))).toBe('x^2');
  });
  it('evaluates functions at exact points', () => {
    expect(s(call('sin', int(0)))).toBe('0');
    expect(s(call('cos', int(0)))).toBe('1');
    expect(s(call('sigmoid', int(0)))).toBe('1/2');
    expect(s(call('log', int(1)))).toBe('0');
    expect(s(call('relu', int(-3)))).toBe('0');
    expect(s(call('abs', int(-3)))).toBe('3');
    expect(s(call('max', int(2), int(5)))).toBe('5');
    expect(s(call('where', cmp('>', int(1), int(0)), x, y))).toBe('x');
  });
  it('expands or factors sums only when that clearly shrinks them', () => {
    const q = sym('q');
    const E = call('exp', add(x, y));
    expect(toText(expandWhereSmaller(simplify(sub(mul(q, x, E), mul(q, y, E)))))).toBe('q*exp(x + y)*(x - y)');
    const twice = sub(mul(int(2), x, add(pow(x, int(2)), pow(y, int(2)))), mul(int(2), x, sub(pow(x, int(2)), pow(y, int(2)))));
    expect(toText(expandWhereSmaller(simplify(twice)))).toBe('4*x*y^2');
    const textbook = add(mul(pow(x, int(2)), call('cos', x)), mul(int(2), x, call('sin', x)));
    expect(toText(expandWhereSmaller(simplify(textbook)))).toBe('x^2*cos(x) + 2*x*sin(x)');
  });
  it('is idempotent', () => {
    const e = add(mul(int(3), x, y), div(call('sin', x), add(x, int(1))), neg(mul(int(2), pow(x, rat(1, 3)))));
    const once = simplify(e);
    expect(toText(simplify(once))).toBe(toText(once));
  });
});

describe('printers', () => {
  it('prints fractions, roots and functions as LaTeX', () => {
    expect(toLatex(simplify(div(int(1), add(int(1), call('exp', neg(x))))))).toBe('\\frac{1}{1 + e^{-x}}');
    expect(toLatex(simplify(sqrt(add(pow(x, int(2)), pow(y, int(2))))))).toBe('\\sqrt{x^{2} + y^{2}}');
    expect(toLatex(simplify(pow(call('tanh', x), int(2))))).toBe('\\tanh^{2}(x)');
    expect(toLatex(simplify(mul(rat(1, 2), x)))).toBe('\\frac{x}{2}');
    expect(toLatex(simplify(mul(numFromText('0.01'), x)))).toBe('0.01 x');
    expect(toLatex(PI)).toBe('\\pi');
  });
  it('prints variable names with subscripts and greek letters', () => {
    expect(toLatex(sym('x1'))).toBe('x_{1}');
    expect(toLatex(sym('w_ij'))).toBe('w_{ij}');
    expect(toLatex(sym('alpha'))).toBe('\\alpha');
    expect(toLatex(sym('loss'))).toBe('\\mathit{loss}');
    expect(toLatex(sym('W12'))).toBe('W_{12}');
  });
  it('prints NumPy code with np. functions only', () => {
    expect(toNumpy(simplify(div(int(1), add(int(1), call('exp', neg(x))))))).toBe('1/(1 + np.exp(-x))');
    expect(toNumpy(simplify(sqrt(x)))).toBe('np.sqrt(x)');
    expect(toNumpy(simplify(pow(x, rat(-1, 2))))).toBe('1/np.sqrt(x)');
    expect(toNumpy(call('sigmoid', x))).toBe('(1/(1 + np.exp(-x)))');
    expect(toNumpy(call('relu', x))).toBe('np.maximum(x, 0)');
    expect(toNumpy(call('where', cmp('>', x, int(0)), int(1), numFromText('0.01')))).toBe('np.where(x > 0, 1, 0.01)');
    expect(toNumpy(simplify(pow(x, rat(1, 3))))).toBe('np.cbrt(x)');
    expect(toNumpy(simplify(mul(int(-2), x, add(y, neg(x)))))).toBe('-2*x*(y - x)');
  });
});

describe('factorActivations: textbook forms of polynomials in σ(u) and tanh(u)', () => {
  const sg = call('sigmoid', x);
  const th = call('tanh', x);
  const one = int(1);
  const values = (e: Parameters<typeof simplify>[0]) => [-1.7, -0.3, 0.4, 1.9].map((v) => compile(e)({ x: v, y: 0.7 }));
  it('(1 − σ)²σ − σ² + σ³ → σ(1 − σ)(1 − 2σ), same values, smaller', async () => {
    const { factorActivations } = await import('../../core/simplify');
    const e = simplify(add(mul(pow(sub(one, sg), int(2)), sg), neg(pow(sg, int(2))), pow(sg, int(3))));
    const f = factorActivations(e);
    expect(toText(f)).toBe('sigmoid(x)*(1 - sigmoid(x))*(1 - 2*sigmoid(x))');
    expect(toLatex(f)).toBe('\\sigma(x) (1 - \\sigma(x)) (1 - 2 \\sigma(x))');
    expect(size(f)).toBeLessThan(size(e));
    values(f).forEach((v, i) => expect(v).toBeCloseTo(values(e)[i]!, 12));
  });
  it('(1 − tanh²)² − 2tanh²(1 − tanh²) → (1 − tanh²)(1 − 3tanh²); 2tanh³ − 2tanh stays (factoring would grow it)', async () => {
    const { factorActivations } = await import('../../core/simplify');
    const e = simplify(add(mul(int(2), pow(th, int(3))), mul(int(-2), th)));
    expect(factorActivations(e)).toBe(e);
    const g = simplify(add(pow(sub(one, pow(th, int(2))), int(2)), mul(int(-2), pow(th, int(2)), sub(one, pow(th, int(2))))));
    const fg = factorActivations(g);
    expect(toText(fg)).toBe('(1 - tanh(x)^2)*(1 - 3*tanh(x)^2)');
    values(fg).forEach((v, i) => expect(v).toBeCloseTo(values(g)[i]!, 12));
  });
  it('common factors free of the activation stay in front: y·σ(1 − σ)(1 − 2σ)', async () => {
    const { factorActivations } = await import('../../core/simplify');
    const e = simplify(mul(y, add(mul(pow(sub(one, sg), int(2)), sg), neg(pow(sg, int(2))), pow(sg, int(3)))));
    const f = factorActivations(expandWhereSmaller(e));
    values(f).forEach((v, i) => expect(v).toBeCloseTo(values(e)[i]!, 12));
    expect(size(f)).toBeLessThanOrEqual(size(e));
  });
  it('never grows a result and leaves sums that are not polynomials in one activation alone', async () => {
    const { factorActivations } = await import('../../core/simplify');
    for (const e of [
      simplify(add(sg, mul(x, sg, sub(one, sg)))),
      simplify(add(th, call('sigmoid', y))),
      simplify(add(pow(sg, int(2)), x)),
      simplify(add(call('exp', sg), sg)),
    ]) {
      const f = factorActivations(e);
      expect(size(f)).toBeLessThanOrEqual(size(e));
      values(f).forEach((v, i) => expect(v).toBeCloseTo(values(e)[i]!, 12));
    }
  });
});
