/**
 * Plain-math and LaTeX selection parsers: precedence, implicit
 * multiplication, every function spelling, targets and located errors.
 */
import { describe, expect, it } from 'vitest';
import { equals, sym, sqrt, pow, rat, call, mul, int } from '../../core/expr';
import { parse } from '../../core/parse/index';
import type { Lang } from '../../core/parse/index';
import { sx } from './sx';


function ok(text: string, lang: Lang) {
  const r = parse(text, lang);
  if (!r.ok) throw new Error(`parse failed: ${r.error.message} (offset ${r.error.offset})`);
  return r.value;
}
const tree = (text: string, lang: Lang): string => sx(ok(text, lang).expr);
function err(text: string, lang: Lang) {
  const r = parse(text, lang);
  if (r.ok) throw new Error(`expected an error, got ${sx(r.value.expr)}`);
  return r.error;
}

describe('math: operators and implicit multiplication', () => {
  it.each([
    ['x^2 + 2x + 1', '(+ (^ x 2) (* 2 x) 1)'],
    ['x**2', '(^ x 2)'],
    ['x^2^3', '(^ x (^ 2 3))'],
    ['x^-2', '(^ x -2)'],
    ['-x^2', '(* -1 (^ x 2))'],
    ['-2x', '(* -2 x)'],
    ['2x^2', '(* 2 (^ x 2))'],
    ['x^2y', '(* (^ x 2) y)'],
    ['2(x+1)', '(* 2 (+ x 1))'],
    ['(x+1)(x-1)', '(* (+ x 1) (+ x -1))'],
    ['x y', '(* x y)'],
    ['x y z', '(* x y z)'],
    ['xy', 'xy'],
    ['x1 + x_2', '(+ x1 x_2)'],
    ["f' + x''", "(+ f' x'')"],
    ['2 sin(x)', '(* 2 (sin x))'],
    ['1/2x', '(* 1 (^ 2 -1) x)'],
    ['a/b c', '(* a (^ b -1) c)'],
    ['2πr', '(* 2 π r)'],
    ['2 pi r', '(* 2 π r)'],
    ['e', 'ℯ'],
    ['e^x', '(exp x)'],
    ['e^(-x^2/2)', '(exp (* (* -1 (^ x 2)) (^ 2 -1)))'],
    ['e(x+1)', '(* ℯ (+ x 1))'],
    ['|x|', '(abs x)'],
    ['|x| + |x - |y||', '(+ (abs x) (abs (+ x (* -1 (abs y)))))'],
    ['2|x|', '(* 2 (abs x))'],
    ['|x||y|', '(* (abs x) (abs y))'],
    ['|(x + |y|)|', '(abs (+ x (abs y)))'],
    ['[x+1]*{y}', '(* (+ x 1) y)'],
    ['√x + √(x+1)', '(+ (^ x 1/2) (^ (+ x 1) 1/2))'],
    ['x·y − z × w ÷ v', '(+ (* x y) (* -1 (* z w (^ v -1))))'],
    ['alpha * theta + β', '(+ (* alpha theta) β)'],
    ['σ x', '(* σ x)'],
    ['x < 1', '(< x 1)'],
    ['x ≤ 1', '(<= x 1)'],
    ['1e-3 x', '(* 1/1000 x)'],
  ])('%s', (src, want) => {
    expect(tree(src, 'math')).toBe(want);
  });
});

describe('math: functions', () => {
  it.each([
    ['ln(x)', '(log x)'],
    ['log(x)', '(log x)'],
    ['log2(x) + log_2(x)', '(+ (log2 x) (log2 x))'],
    ['log10(x) + log_10(x)', '(+ (log10 x) (log10 x))'],
    ['exp(x)', '(exp x)'],
    ['sqrt(x)', '(^ x 1/2)'],
    ['cbrt(x)', '(cbrt x)'],
    ['abs(x)', '(abs x)'],
    ['sin(x) + cos(x) + tan(x)', '(+ (sin x) (cos x) (tan x))'],
    ['sec(x) + csc(x) + cot(x)', '(+ (sec x) (csc x) (cot x))'],
    ['arcsin(x) + asin(x)', '(+ (asin x) (asin x))'],
    ['arccos(x) + acos(x)', '(+ (acos x) (acos x))'],
    ['arctan(x) + atan(x)', '(+ (atan x) (atan x))'],
    ['atan2(y, x)', '(atan2 y x)'],
    ['sinh(x) + cosh(x) + tanh(x)', '(+ (sinh x) (cosh x) (tanh x))'],
    ['arsinh(x) + arcsinh(x) + asinh(x)', '(+ (asinh x) (asinh x) (asinh x))'],
    ['acosh(x) + atanh(x)', '(+ (acosh x) (atanh x))'],
    ['erf(x)', '(erf x)'],
    ['sigmoid(x)', '(sigmoid x)'],
    ['σ(x)', '(sigmoid x)'],
    ['sigma(x)', '(sigmoid x)'],
    ['relu(x) + ReLU(x)', '(+ (relu x) (relu x))'],
    ['softplus(x)', '(softplus x)'],
    ['gelu(x) + GELU(x)', '(+ (gelu x) (gelu x))'],
    ['silu(x) + swish(x)', '(+ (silu x) (silu x))'],
    ['leaky_relu(x, 0.1)', '(leaky_relu x 1/10)'],
    ['max(x, 0)', '(max x 0)'],
    ['min(a, b, c)', '(min (min a b) c)'],
    ['sign(x) + sgn(x)', '(+ (sign x) (sign x))'],
    ['Sin(x)', '(sin x)'],
    ['sin x', '(sin x)'],
    ['sin 2x', '(sin (* 2 x))'],
    ['sin x^2', '(sin (^ x 2))'],
    ['2 sin x cos x', '(* 2 (sin x) (cos x))'],
    ['sin x + 1', '(+ (sin x) 1)'],
    ['exp -x', '(exp (* -1 x))'],
    ['sqrt x + 1', '(+ (^ x 1/2) 1)'],
    ['ln ln x', '(log (log x))'],
    ['sin^2 x + cos^2(x)', '(+ (^ (sin x) 2) (^ (cos x) 2))'],
    ['sin^-1(x)', '(asin x)'],
    ['tanh^-1 x', '(atanh x)'],
    ['sin(x)^2', '(^ (sin x) 2)'],
  ])('%s', (src, want) => {
    expect(tree(src, 'math')).toBe(want);
  });

  it('takes an optional "y =" or "f(x) =" in front', () => {
    const a = ok('y = 3x', 'math');
    expect(a.target).toBe('y');
    expect(sx(a.expr)).toBe('(* 3 x)');
    expect(a.assignments).toEqual([{ name: 'y', expr: a.expr }]);
    const b = ok('f(x, y) = x^2 y', 'math');
    expect(b.target).toBe('f');
    expect(sx(b.expr)).toBe('(* (^ x 2) y)');
    expect(ok('x^2', 'math').target).toBeUndefined();
  });

  it('matches the canonical constructors', () => {
    expect(equals(ok('sqrt(x)', 'math').expr, sqrt(sym('x')))).toBe(true);
    expect(equals(ok('x^(1/3)', 'math').expr, pow(sym('x'), mul(int(1), pow(int(3), rat(-1)))))).toBe(true);
    expect(equals(ok('relu(x)', 'math').expr, call('relu', sym('x')))).toBe(true);
  });
});

describe('latex', () => {
  it.each([
    ['\\frac{1}{2}x^2', '(* (* 1 (^ 2 -1)) (^ x 2))'],
    ['\\frac12', '(* 1 (^ 2 -1))'],
    ['\\frac a b', '(* a (^ b -1))'],
    ['\\dfrac{a}{b} + \\tfrac{c}{d}', '(+ (* a (^ b -1)) (* c (^ d -1)))'],
    ['\\sqrt{x}', '(^ x 1/2)'],
    ['\\sqrt x', '(^ x 1/2)'],
    ['\\sqrt[3]{x+1}', '(^ (+ x 1) 1/3)'],
    ['\\sqrt[n]{x}', '(^ x (^ n -1))'],
    ['x^{2}', '(^ x 2)'],
    ['x^2', '(^ x 2)'],
    ['2^{10}', '(^ 2 10)'],
    ['x^{-1}', '(^ x -1)'],
    ['x^-1', '(^ x -1)'],
    ['x^\\pi', '(^ x π)'],
    ['x^{y^{z}}', '(^ x (^ y z))'],
    ['-x^2', '(* -1 (^ x 2))'],
    ['x_1 + w_{ij}', '(+ x_1 w_ij)'],
    ['x_1^2 + x^2_1', '(+ (^ x_1 2) (^ x_1 2))'],
    ['\\theta_{1,2}', 'theta_1_2'],
    ['x_{\\alpha}', 'x_alpha'],
    ["f'", "f'"],
    ['2x \\cdot y \\times z', '(* 2 x y z)'],
    ['a * b / c \\div d', '(* a b (^ c -1) (^ d -1))'],
    ['xy', '(* x y)'],
    ['2xy^2', '(* 2 x (^ y 2))'],
    ['(x+1)(x-1)', '(* (+ x 1) (+ x -1))'],
    ['\\left( x + 1 \\right)^2', '(^ (+ x 1) 2)'],
    ['\\left[ x \\right]', 'x'],
    ['\\left\\{ x \\right\\}', 'x'],
    ['\\{ x + 1 \\}', '(+ x 1)'],
    ['{x + 1}^2', '(^ (+ x 1) 2)'],
    ['\\left| x \\right| + |y|', '(+ (abs x) (abs y))'],
    ['\\lvert x \\rvert', '(abs x)'],
    ['|x - |y||', '(abs (+ x (* -1 (abs y))))'],
    ['\\sin^2(x) + \\cos^2 x', '(+ (^ (sin x) 2) (^ (cos x) 2))'],
    ['\\sin x', '(sin x)'],
    ['\\sin 2x', '(sin (* 2 x))'],
    ['\\sin 2\\pi x', '(sin (* 2 π x))'],
    ['\\sin x^2', '(sin (^ x 2))'],
    ['\\sin x \\cos x', '(* (sin x) (cos x))'],
    ['\\sin x + 1', '(+ (sin x) 1)'],
    ['\\sin(x)^2', '(^ (sin x) 2)'],
    ['\\sin\\left(x\\right)', '(sin x)'],
    ['\\sin^{-1} x', '(asin x)'],
    ['\\cos^{-1}(x) + \\tan^{-1}(x)', '(+ (acos x) (atan x))'],
    ['\\tanh^{-1} x', '(atanh x)'],
    ['\\ln x + \\log(y)', '(+ (log x) (log y))'],
    ['\\log_2 x', '(log2 x)'],
    ['\\log_{10}(x)', '(log10 x)'],
    ['\\log_e x', '(log x)'],
    ['\\log_b x', '(* (log x) (^ (log b) -1))'],
    ['\\exp(x)', '(exp x)'],
    ['\\exp{x}', '(exp x)'],
    ['e^{-x^2}', '(exp (* -1 (^ x 2)))'],
    ['e^x', '(exp x)'],
    ['e', 'ℯ'],
    ['\\mathrm{e}^{x}', '(exp x)'],
    ['e_1', 'e_1'],
    ['\\pi r^2', '(* π (^ r 2))'],
    ['\\alpha x + \\beta', '(+ (* alpha x) beta)'],
    ['\\Delta + \\varepsilon + \\ell', '(+ Delta varepsilon ell)'],
    ['\\sigma(x)', '(sigmoid x)'],
    ['\\sigma\\left(x\\right)', '(sigmoid x)'],
    ['\\sigma^2', '(^ sigma 2)'],
    ['\\sigma x', '(* sigma x)'],
    ['\\operatorname{ReLU}(x)', '(relu x)'],
    ['\\operatorname{ReLU} x + 1', '(+ (relu x) 1)'],
    ['\\mathrm{relu}(x)', '(relu x)'],
    ['\\text{softplus}(x)', '(softplus x)'],
    ['\\operatorname{sigmoid}(x)', '(sigmoid x)'],
    ['\\operatorname{GELU}(x) + \\operatorname{SiLU}(x)', '(+ (gelu x) (silu x))'],
    ['\\operatorname{leaky\\_relu}(x, 0.1)', '(leaky_relu x 1/10)'],
    ['\\operatorname{erf}(x)', '(erf x)'],
    ['\\mathrm{lr} \\cdot g', '(* lr g)'],
    ['\\mathbf{w} x', '(* w x)'],
    ['\\max(a, b)', '(max a b)'],
    ['\\min(a, b, c)', '(min (min a b) c)'],
    ['\\tanh(x)', '(tanh x)'],
    ['\\sinh x + \\cosh x', '(+ (sinh x) (cosh x))'],
    ['\\arcsin(x) + \\arccos(x) + \\arctan(x)', '(+ (asin x) (acos x) (atan x))'],
    ['\\hat{y} + \\bar x', '(+ y_hat x_bar)'],
    ['a\\,b\\;c\\!d\\quad e', '(* a b c d ℯ)'],
    ['3.14 r', '(* 157/50 r)'],
    ['x < 1', '(< x 1)'],
    ['x \\le 1', '(<= x 1)'],
    ['x \\geq 1', '(>= x 1)'],
    ['x % comment\n + 1', '(+ x 1)'],
  ])('%s', (src, want) => {
    expect(tree(src, 'latex')).toBe(want);
  });

  it('reads a target on the left of "="', () => {
    const a = ok('L = -\\log \\hat{y}', 'latex');
    expect(a.target).toBe('L');
    expect(sx(a.expr)).toBe('(* -1 (log y_hat))');
    expect(ok('f(x) = x^2', 'latex').target).toBe('f');
    expect(ok('\\mathcal{L}(w, b) = w^2 + b', 'latex').target).toBe('L');
    expect(ok('y_1 = x', 'latex').target).toBe('y_1');
    expect(ok('x^2', 'latex').target).toBeUndefined();
  });
});

describe('math and latex errors', () => {
  it.each([
    ['math', '2 3', 'unexpected "3" at offset 2', 2, 1],
    ['math', 'a(b+c)', 'unknown function "a" (write "a*(…)" for a product)', 0, 1],
    ['math', 'foo(x)', 'unknown function "foo" (write "foo*(…)" for a product)', 0, 3],
    ['math', '(x + 1', 'expected ")" to close "(" at offset 0', 6, 0],
    ['math', '|x + 1', 'expected "|" to close "|" at offset 0', 6, 0],
    ['math', 'x + 1)', 'unexpected ")" at offset 5', 5, 1],
    ['math', 'sin', 'expected an argument after "sin"', 3, 0],
    ['math', 'max x', 'expected "(" after "max"', 4, 1],
    ['math', 'max(x)', '"max" takes at least 2 arguments, got 1', 0, 3],
    ['math', 'sin(x, y)', '"sin" takes 1 argument, got 2', 0, 3],
    ['math', 'x $ y', 'unexpected character "$" at offset 2', 2, 1],
    ['math', 'x!', 'unexpected character "!" at offset 1', 1, 1],
    ['math', '', 'empty selection', 0, 0],
    ['math', 'x < y < z', 'chained comparisons are not supported', 6, 1],
    ['latex', '\\frac{1}{2', 'expected "}" to close "{" at offset 8', 10, 0],
    ['latex', '\\left( x', 'expected "\\right)" to close "\\left(" at offset 0', 8, 0],
    ['latex', '\\left( x \\right]', 'expected "\\right)" to close "\\left(" at offset 0', 9, 7],
    ['latex', '\\foo', 'unknown command "\\foo"', 0, 4],
    ['latex', '\\sum_i x_i', '"\\sum" is not supported', 0, 4],
    ['latex', '\\int x', '"\\int" is not supported', 0, 4],
    ['latex', 'x_{t-1}', 'subscript "{t-1}" cannot be part of a variable name', 2, 5],
    ['latex', 'x^{2}^{3}', 'double superscript', 5, 1],
    ['latex', 'x_1_2', 'double subscript', 3, 1],
    ['latex', 'x^23', 'unexpected "3" at offset 3', 3, 1],
    ['latex', 'x + )', 'unexpected ")" at offset 4', 4, 1],
    ['latex', '\\max x', 'expected "(" after "\\max"', 5, 1],
    ['latex', '\\sin', 'expected an argument after "\\sin"', 4, 0],
    ['latex', '\\sin(x, y)', '"\\sin" takes 1 argument, got 2', 0, 4],
    ['latex', 'n!', 'unexpected "!" at offset 1', 1, 1],
    ['latex', '(x+1)!', 'factorial is not supported', 5, 1],
    ['latex', '\\mathrm{}', 'empty "\\mathrm{}"', 0, 9],
    ['latex', 'x & y', 'unexpected character "&" at offset 2', 2, 1],
    ['latex', '', 'empty selection', 0, 0],
    ['latex', '% only a comment', 'empty selection', 0, 0],
  ] as const)('%s: %s', (lang, src, message, offset, length) => {
    expect(err(src, lang)).toEqual({ message, offset, length });
  });
});
