/**
 * Selection parsers: the API, Python and JavaScript spellings, forward passes,
 * located errors and the depth / length limits. (Plain math and LaTeX are in
 * parse-math-latex.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { add, call, div, equals, int, mul, neg, pow, rat, sqrt, sub, sym, E, PI } from '../../core/expr';
import { languageForDocument, parse } from '../../core/parse/index';
import type { Lang, ParseOptions } from '../../core/parse/index';
import { sx } from './sx';


function ok(text: string, lang: Lang, options?: ParseOptions) {
  const r = parse(text, lang, options);
  if (!r.ok) throw new Error(`parse failed: ${r.error.message} (offset ${r.error.offset})`);
  return r.value;
}
const tree = (text: string, lang: Lang): string => sx(ok(text, lang).expr);
function err(text: string, lang: Lang, options?: ParseOptions) {
  const r = parse(text, lang, options);
  if (r.ok) throw new Error(`expected an error, got ${sx(r.value.expr)}`);
  return r.error;
}

const x = sym('x');
const y = sym('y');

describe('languageForDocument', () => {
  it.each([
    ['python', 'python'],
    ['jupyter', 'python'],
    ['javascript', 'javascript'],
    ['typescript', 'javascript'],
    ['javascriptreact', 'javascript'],
    ['typescriptreact', 'javascript'],
    ['latex', 'latex'],
    ['tex', 'latex'],
    ['markdown', 'latex'],
    ['plaintext', 'math'],
    ['rust', 'math'],
    ['', 'math'],
  ] as const)('%s → %s', (id, lang) => {
    expect(languageForDocument(id)).toBe(lang);
  });
});

describe('parse: canonical nodes', () => {
  it('builds trees equal to the expr constructors', () => {
    expect(equals(ok('x - y', 'python').expr, sub(x, y))).toBe(true);
    expect(equals(ok('x / y', 'python').expr, div(x, y))).toBe(true);
    expect(equals(ok('-x', 'python').expr, neg(x))).toBe(true);
    expect(equals(ok('np.sqrt(x)', 'python').expr, sqrt(x))).toBe(true);
    expect(equals(ok('x ** 2', 'python').expr, pow(x, int(2)))).toBe(true);
    expect(equals(ok('np.exp(x) + np.pi', 'python').expr, add(call('exp', x), PI))).toBe(true);
    expect(equals(ok('Math.E * y', 'javascript').expr, mul(E, y))).toBe(true);
    expect(equals(ok('0.01 * x', 'python').expr, mul(rat(1, 100), x))).toBe(true);
  });
});

describe('python: operators', () => {
  it.each([
    ['x**2 + 3*x - 1', '(+ (^ x 2) (* 3 x) -1)'],
    ['a - b + c', '(+ a (* -1 b) c)'],
    ['a*b/c', '(* a b (^ c -1))'],
    ['a/b/c', '(* a (^ b -1) (^ c -1))'],
    ['(a + b) + c', '(+ (+ a b) c)'],
    ['-x**2', '(* -1 (^ x 2))'],
    ['-2**2', '(* -1 (^ 2 2))'],
    ['2**-x', '(^ 2 (* -1 x))'],
    ['2**-x*3', '(* (^ 2 (* -1 x)) 3)'],
    ['x**y**z', '(^ x (^ y z))'],
    ['-x*y', '(* (* -1 x) y)'],
    ['-3*x', '(* -3 x)'],
    ['+x', 'x'],
    ['- -x', '(* -1 (* -1 x))'],
    ['x ** -1', '(^ x -1)'],
    ['a + b*c**d', '(+ a (* b (^ c d)))'],
    ['x < 1', '(< x 1)'],
    ['x <= 1', '(<= x 1)'],
    ['x > 1', '(> x 1)'],
    ['x >= 1', '(>= x 1)'],
    ['x == 1', '(== x 1)'],
    ['x != 1', '(!= x 1)'],
    ['a + b < c * d', '(< (+ a b) (* c d))'],
    ['x if x > 0 else 0.01*x', '(where (> x 0) x (* 1/100 x))'],
    ['a if p else b if q else c', '(where p a (where q b c))'],
    ['True * x + False', '(+ (* 1 x) 0)'],
  ])('%s', (src, want) => {
    expect(tree(src, 'python')).toBe(want);
  });

  it.each([
    ['3', '3'],
    ['3.5', '7/2'],
    ['1e-3', '1/1000'],
    ['2.5E2', '250'],
    ['1_000', '1000'],
    ['1_000.5', '2001/2'],
    ['.5', '1/2'],
    ['5.', '5'],
    ['0x1F', '31'],
    ['0b101', '5'],
  ])('number %s', (src, want) => {
    expect(tree(src, 'python')).toBe(want);
  });
});

describe('python: function spellings', () => {
  it.each([
    ['np.exp(x)', '(exp x)'],
    ['numpy.exp(x)', '(exp x)'],
    ['math.exp(x)', '(exp x)'],
    ['torch.exp(x)', '(exp x)'],
    ['jnp.exp(x)', '(exp x)'],
    ['exp(x)', '(exp x)'],
    ['np.log(x)', '(log x)'],
    ['math.log(x, 2)', '(* (log x) (^ (log 2) -1))'],
    ['np.log2(x)', '(log2 x)'],
    ['np.log10(x)', '(log10 x)'],
    ['np.log1p(x)', '(log1p x)'],
    ['torch.expm1(x)', '(expm1 x)'],
    ['np.sqrt(x)', '(^ x 1/2)'],
    ['np.cbrt(x)', '(cbrt x)'],
    ['np.square(x)', '(^ x 2)'],
    ['np.reciprocal(x)', '(^ x -1)'],
    ['torch.rsqrt(x)', '(^ x -1/2)'],
    ['np.power(x, 3)', '(^ x 3)'],
    ['np.pow(x, 3)', '(^ x 3)'],
    ['pow(x, 3)', '(^ x 3)'],
    ['math.pow(x, y)', '(^ x y)'],
    ['torch.pow(x, exponent=2)', '(^ x 2)'],
    ['np.float_power(x, 2)', '(^ x 2)'],
    ['np.abs(x)', '(abs x)'],
    ['np.absolute(x)', '(abs x)'],
    ['math.fabs(x)', '(abs x)'],
    ['abs(x)', '(abs x)'],
    ['np.sign(x)', '(sign x)'],
    ['torch.sgn(x)', '(sign x)'],
    ['np.heaviside(x, 0.5)', '(heaviside x)'],
    ['torch.heaviside(x, values)', '(heaviside x)'],
    ['np.sin(x) + np.cos(x) + np.tan(x)', '(+ (sin x) (cos x) (tan x))'],
    ['np.arcsin(x)', '(asin x)'],
    ['torch.asin(x)', '(asin x)'],
    ['np.arccos(x)', '(acos x)'],
    ['math.acos(x)', '(acos x)'],
    ['np.arctan(x)', '(atan x)'],
    ['torch.atan(x)', '(atan x)'],
    ['np.arctan2(y, x)', '(atan2 y x)'],
    ['math.atan2(y, x)', '(atan2 y x)'],
    ['np.sinh(x) * np.cosh(x) * np.tanh(x)', '(* (sinh x) (cosh x) (tanh x))'],
    ['np.arcsinh(x)', '(asinh x)'],
    ['torch.asinh(x)', '(asinh x)'],
    ['np.arccosh(x)', '(acosh x)'],
    ['torch.acosh(x)', '(acosh x)'],
    ['np.arctanh(x)', '(atanh x)'],
    ['torch.atanh(x)', '(atanh x)'],
    ['scipy.special.erf(x)', '(erf x)'],
    ['torch.erf(x)', '(erf x)'],
    ['math.erf(x)', '(erf x)'],
    ['np.maximum(x, 0)', '(max x 0)'],
    ['np.minimum(x, 0)', '(min x 0)'],
    ['np.fmax(x, y)', '(max x y)'],
    ['np.fmin(x, y)', '(min x y)'],
    ['torch.maximum(x, y)', '(max x y)'],
    ['max(x, 0)', '(max x 0)'],
    ['min(a, b, c)', '(min (min a b) c)'],
    ['max(a, b, c, d)', '(max (max (max a b) c) d)'],
    ['np.where(x > 0, x, 0)', '(where (> x 0) x 0)'],
    ['torch.where(x > 0, x, 0.1 * x)', '(where (> x 0) x (* 1/10 x))'],
    ['np.clip(x, 0, 1)', '(clip x 0 1)'],
    ['np.clip(x, a_min=0, a_max=6)', '(clip x 0 6)'],
    ['np.clip(x, None, 3)', '(min x 3)'],
    ['torch.clamp(x, 0, 1)', '(clip x 0 1)'],
    ['torch.clamp(x, min=0)', '(max x 0)'],
    ['torch.clamp(x, max=1)', '(min x 1)'],
    ['torch.clip(x, min=-1, max=1)', '(clip x -1 1)'],
    ['torch.sigmoid(x)', '(sigmoid x)'],
    ['F.sigmoid(x)', '(sigmoid x)'],
    ['scipy.special.expit(x)', '(sigmoid x)'],
    ['special.expit(x)', '(sigmoid x)'],
    ['torch.special.expit(x)', '(sigmoid x)'],
    ['F.relu(x)', '(relu x)'],
    ['torch.relu(x)', '(relu x)'],
    ['torch.nn.functional.relu(x)', '(relu x)'],
    ['nn.functional.relu(x, inplace=True)', '(relu x)'],
    ['F.leaky_relu(x)', '(leaky_relu x 1/100)'],
    ['F.leaky_relu(x, 0.2)', '(leaky_relu x 1/5)'],
    ['F.leaky_relu(x, negative_slope=0.1)', '(leaky_relu x 1/10)'],
    ['F.softplus(x)', '(softplus x)'],
    ['F.softplus(x, beta=1)', '(softplus x)'],
    ['F.softplus(x, beta=2)', '(* (softplus (* 2 x)) (^ 2 -1))'],
    ['F.softplus(x, beta=2, threshold=20)', '(* (softplus (* 2 x)) (^ 2 -1))'],
    ['F.gelu(x)', '(gelu x)'],
    ["F.gelu(x, approximate='none')", '(gelu x)'],
    ["F.gelu(x, approximate='tanh')", '(gelu_tanh x)'],
    ['F.gelu(x, approximate="tanh")', '(gelu_tanh x)'],
    ['jax.nn.gelu(x)', '(gelu_tanh x)'],
    ['jax.nn.gelu(x, approximate=False)', '(gelu x)'],
    ['F.silu(x)', '(silu x)'],
    ['jax.nn.swish(x)', '(silu x)'],
    ['F.tanh(x)', '(tanh x)'],
    ['F.elu(x)', '(elu x 1)'],
    ['F.relu6(x)', '(clip x 0 6)'],
    ['F.softsign(x)', '(softsign x)'],
    ['F.logsigmoid(x)', '(logsigmoid x)'],
    ['F.mish(x)', '(mish x)'],
    ['np.logaddexp(a, b)', '(log (+ (exp a) (exp b)))'],
    ['np.hypot(a, b)', '(^ (+ (^ a 2) (^ b 2)) 1/2)'],
    ['float(x)', 'x'],
  ])('%s', (src, want) => {
    expect(tree(src, 'python')).toBe(want);
  });

  it.each([
    ['x.exp()', '(exp x)'],
    ['x.log()', '(log x)'],
    ['x.sigmoid()', '(sigmoid x)'],
    ['x.tanh()', '(tanh x)'],
    ['x.relu()', '(relu x)'],
    ['x.pow(2)', '(^ x 2)'],
    ['x.sqrt()', '(^ x 1/2)'],
    ['x.abs()', '(abs x)'],
    ['x.clamp(min=0)', '(max x 0)'],
    ['x.clamp(0, 1)', '(clip x 0 1)'],
    ['x.clamp_min(0)', '(max x 0)'],
    ['x.exp_()', '(exp x)'],
    ['(x + 1).exp()', '(exp (+ x 1))'],
    ['x.pow(2).sum', 'ERROR'],
    ['x.pow(2).exp().float()', '(exp (^ x 2))'],
    ['self.w.exp()', '(exp self.w)'],
    ['np.exp(x).sqrt()', '(^ (exp x) 1/2)'],
  ])('method %s', (src, want) => {
    if (want === 'ERROR') expect(parse(src, 'python').ok).toBe(false);
    else expect(tree(src, 'python')).toBe(want);
  });

  it.each([
    ['np.pi', 'π'],
    ['math.pi', 'π'],
    ['torch.pi', 'π'],
    ['np.e', 'ℯ'],
    ['math.e', 'ℯ'],
    ['math.tau', '(* 2 π)'],
    ['pi', 'pi'],
    ['self.w * x + self.b', '(+ (* self.w x) self.b)'],
  ])('name %s', (src, want) => {
    expect(tree(src, 'python')).toBe(want);
  });
});

describe('python: forward passes', () => {
  it('substitutes earlier assignments and names the target', () => {
    const v = ok('z = w*x + b\na = torch.sigmoid(z)\nloss = -(y*torch.log(a) + (1-y)*torch.log(1-a))', 'python');
    expect(v.target).toBe('loss');
    expect(v.assignments!.map((a) => `${a.name}=${sx(a.expr)}`)).toEqual([
      'z=(+ (* w x) b)',
      'a=(sigmoid z)',
      'loss=(* -1 (+ (* y (log a)) (* (+ 1 (* -1 y)) (log (+ 1 (* -1 a))))))',
    ]);
    expect(sx(v.expr)).toBe(
      '(* -1 (+ (* y (log (sigmoid (+ (* w x) b)))) (* (+ 1 (* -1 y)) (log (+ 1 (* -1 (sigmoid (+ (* w x) b))))))))',
    );
  });

  it('accepts ;-separated statements, comments and blank lines', () => {
    const v = ok('# forward\nh = x*w1 ; y = h**2  # square\n\n', 'python');
    expect(v.target).toBe('y');
    expect(sx(v.expr)).toBe('(^ (* x w1) 2)');
  });

  it('handles augmented assignment', () => {
    const v = ok('y = x\ny += 2\ny *= 3\ny -= 1\ny /= 4\ny **= 2', 'python');
    expect(sx(v.expr)).toBe('(^ (* (+ (* (+ x 2) 3) -1) (^ 4 -1)) 2)');
    expect(v.assignments!.map((a) => sx(a.expr))).toEqual([
      'x',
      '(+ y 2)',
      '(* y 3)',
      '(+ y -1)',
      '(* y (^ 4 -1))',
      '(^ y 2)',
    ]);
  });

  it('reads def headers, return and docstrings', () => {
    const v = ok('def f(x: float, y) -> float:\n    """Doc."""\n    z = x*y\n    return z + 1\n', 'python');
    expect(v.target).toBeUndefined();
    expect(sx(v.expr)).toBe('(+ (* x y) 1)');
    expect(v.assignments!.map((a) => a.name)).toEqual(['z']);
  });

  it('names the target when returning a bare name', () => {
    const v = ok('def forward(self, x):\n    out = F.relu(self.w * x + self.b)\n    return out', 'python');
    expect(v.target).toBe('out');
    expect(sx(v.expr)).toBe('(relu (+ (* self.w x) self.b))');
  });

  it('accepts a one-line def and lambda', () => {
    expect(tree('def f(x): return x**2', 'python')).toBe('(^ x 2)');
    expect(tree('lambda x, y: x*y', 'python')).toBe('(* x y)');
    const v = ok('f = lambda x: np.exp(-x)', 'python');
    expect(v.target).toBe('f');
    expect(sx(v.expr)).toBe('(exp (* -1 x))');
  });

  it('continues lines inside brackets and after a backslash', () => {
    expect(tree('y = np.sqrt((x +\n      1))', 'python')).toBe('(^ (+ x 1) 1/2)');
    expect(tree('y = x + \\\n    1', 'python')).toBe('(+ x 1)');
  });

  it('skips imports and decorators', () => {
    expect(tree('import numpy as np\nfrom torch import nn\n@torch.no_grad()\ndef f(x):\n    return np.exp(x)', 'python')).toBe(
      '(exp x)',
    );
  });

  it('accepts an annotated assignment', () => {
    expect(ok('y: float = x * 2', 'python').target).toBe('y');
  });

  it('a single expression has no target or assignments', () => {
    const v = ok('x**2', 'python');
    expect(v.target).toBeUndefined();
    expect(v.assignments).toBeUndefined();
  });
});

describe('javascript', () => {
  it.each([
    ['Math.exp(x)', '(exp x)'],
    ['Math.log(x)', '(log x)'],
    ['Math.log1p(x)', '(log1p x)'],
    ['Math.expm1(x)', '(expm1 x)'],
    ['Math.log2(x)', '(log2 x)'],
    ['Math.log10(x)', '(log10 x)'],
    ['Math.sqrt(x)', '(^ x 1/2)'],
    ['Math.cbrt(x)', '(cbrt x)'],
    ['Math.pow(x, 2)', '(^ x 2)'],
    ['Math.abs(x)', '(abs x)'],
    ['Math.sign(x)', '(sign x)'],
    ['Math.max(x, 0)', '(max x 0)'],
    ['Math.min(a, b, c)', '(min (min a b) c)'],
    ['Math.max(a)', 'a'],
    ['Math.sin(x) + Math.cos(x) + Math.tan(x)', '(+ (sin x) (cos x) (tan x))'],
    ['Math.asin(x) + Math.acos(x) + Math.atan(x)', '(+ (asin x) (acos x) (atan x))'],
    ['Math.atan2(y, x)', '(atan2 y x)'],
    ['Math.sinh(x) + Math.cosh(x) + Math.tanh(x)', '(+ (sinh x) (cosh x) (tanh x))'],
    ['Math.asinh(x) + Math.acosh(x) + Math.atanh(x)', '(+ (asinh x) (acosh x) (atanh x))'],
    ['Math.hypot(a, b)', '(^ (+ (^ a 2) (^ b 2)) 1/2)'],
    ['Math.hypot(a, b, c)', '(^ (+ (^ a 2) (^ b 2) (^ c 2)) 1/2)'],
    ['Math.PI * r ** 2', '(* π (^ r 2))'],
    ['Math.E ** x', '(^ ℯ x)'],
    ['Math.SQRT2', '(^ 2 1/2)'],
    ['Math.LN2', '(log 2)'],
    ['2 ** -x', '(^ 2 (* -1 x))'],
    ['(-x) ** 2', '(^ (* -1 x) 2)'],
    ['x ** y ** z', '(^ x (^ y z))'],
    ['x > 0 ? x : 0.01 * x', '(where (> x 0) x (* 1/100 x))'],
    ['x === 1 ? a : b', '(where (== x 1) a b)'],
    ['x !== 1 ? a : b', '(where (!= x 1) a b)'],
    ['p ? a : q ? b : c', '(where p a (where q b c))'],
    ['this.w * x + this.b', '(+ (* w x) b)'],
    ['x => x * 2', '(* x 2)'],
    ['(x, y) => x * y', '(* x y)'],
    ['1_000 * x', '(* 1000 x)'],
  ])('%s', (src, want) => {
    expect(tree(src, 'javascript')).toBe(want);
  });

  it('parses a forward pass with declarations and return', () => {
    const v = ok('const z = w * x + b;\nlet a = 1 / (1 + Math.exp(-z))\nreturn a', 'javascript');
    expect(v.target).toBe('a');
    expect(sx(v.expr)).toBe('(* 1 (^ (+ 1 (exp (* -1 (+ (* w x) b)))) -1))');
    expect(v.assignments!.map((a) => a.name)).toEqual(['z', 'a']);
  });

  it('reads function and arrow headers', () => {
    const src = 'function f(x) {\n  const y = x * x; // square\n  return Math.sqrt(y + 1);\n}';
    const v = ok(src, 'javascript');
    expect(sx(v.expr)).toBe('(^ (+ (* x x) 1) 1/2)');
    expect(v.target).toBeUndefined();
    expect(tree('const g = (x: number): number => {\n  return x ** 2;\n};', 'javascript')).toBe('(^ x 2)');
    expect(tree('const g = x => { return x * 3 }', 'javascript')).toBe('(* x 3)');
  });

  it('handles several declarators, assignment, augmented assignment and a final expression', () => {
    expect(tree('let a = 1, b = a + x; b * 2', 'javascript')).toBe('(* (+ 1 x) 2)');
    const v = ok('let s = x\ns += y\ns **= 2', 'javascript');
    expect(v.target).toBe('s');
    expect(sx(v.expr)).toBe('(^ (+ x y) 2)');
    expect(ok('const y: number = x * 2;', 'javascript').target).toBe('y');
  });

  it('continues an expression across a line break (no automatic semicolon)', () => {
    expect(tree('a = b\n+ c', 'javascript')).toBe('(+ b c)');
    expect(tree('const a = 1\nconst b = a * x\nb', 'javascript')).toBe('(* 1 x)');
  });

  it('accepts comments', () => {
    expect(tree('/* block */ x * 2 // line', 'javascript')).toBe('(* x 2)');
  });
});

describe('errors: exact offsets and messages', () => {
  it.each([
    ['python', 'x + 1)', 'unexpected ")" at offset 5', 5, 1],
    ['python', 'np.foo(x)', 'unknown function "np.foo"', 0, 6],
    ['python', 'y = 2 * np.foo(x)', 'unknown function "np.foo"', 8, 6],
    ['python', 'foo(x)', 'unknown function "foo"', 0, 3],
    ['python', 'np.exp(x, y)', '"np.exp" takes 1 argument, got 2', 0, 6],
    ['python', 'np.power(x)', '"np.power" takes 2 arguments, got 1', 0, 8],
    ['python', 'F.softplus(x, 1, 2, 3)', '"F.softplus" takes 1 to 3 arguments, got 4', 0, 10],
    ['python', 'max(x)', '"max" takes at least 2 arguments, got 1', 0, 3],
    ['python', 'x.pow()', '".pow" takes 1 argument, got 0', 2, 3],
    ['python', 'F.relu(x, foo=1)', '"F.relu" has no argument "foo"', 10, 3],
    ['python', 'torch.clamp(x, min=0, min=1)', 'argument "min" given twice', 22, 3],
    ['python', 'f(x=1, 2)', 'unknown function "f"', 0, 1],
    ['python', 'np.exp(x=1, 2)', 'positional argument after keyword argument', 12, 1],
    ['python', "F.gelu(x, approximate='fast')", "approximate must be 'none' or 'tanh', not 'fast'", 10, 18],
    ['python', 'torch.clamp(x)', '"torch.clamp" needs at least one of its bounds', 0, 11],
    ['python', '(x + 1', 'expected ")" to close "(" at offset 0', 6, 0],
    ['python', 'np.exp((x + 1)', 'expected ")" to close "(" at offset 6', 14, 0],
    ['python', 'a @ b', 'matrix product is not supported here', 2, 1],
    ['python', 'a % b', 'the remainder operator "%" is not supported', 2, 1],
    ['python', 'a // b', 'floor division "//" is not supported', 2, 2],
    ['python', '', 'empty selection', 0, 0],
    ['python', '   \n  ', 'empty selection', 0, 0],
    ['python', '# just a comment', 'empty selection', 0, 0],
    ['python', 'x +', 'unexpected end of input', 3, 0],
    ['python', 'x = 1 +\ny = 2', 'unexpected end of line at offset 7', 7, 1],
    ['python', 'x $ y', 'unexpected character "$" at offset 2', 2, 1],
    ['python', 'x[0] = 3', 'cannot assign to "x[0]": only plain names can be assigned', 0, 4],
    ['python', 'y = 1\nself.w = 3', 'cannot assign to "self.w": only plain names can be assigned', 6, 6],
    ['python', 'a, b = 1, 2', 'tuple assignment is not supported', 0, 4],
    ['python', 'np.exp(x)[0] * 2', 'indexing is not supported', 9, 1],
    ['python', '(x + 1)[0] * 2', 'indexing is not supported', 7, 1],
    ['python', 'x[1:3] * 2', 'slicing is not supported: "x[…]" with ":" is an array; a subscripted variable takes integer, name or string indices', 2, 1],
    ['python', 'X[i + 1, 0]', 'an index of "X[…]" must be an integer, a name or a string key, as in X[i, 0] or p["w1"]', 2, 1],
    ['python', 'x.T * 2', 'attribute access "x.T" is not supported', 1, 2],
    ['python', 'np.foo', 'unknown name "np.foo"', 0, 6],
    ['python', 'np.exp * 2', '"np.exp" is a function: call it with arguments', 0, 6],
    ['python', 'x.foo()', 'unknown method ".foo()"', 2, 3],
    ['python', '0 < x < 1', 'chained comparisons are not supported', 6, 1],
    ['python', 'a and b', '"and" is supported only between conditions such as (x > 0)', 2, 3],
    ['python', 'not x', 'boolean operator "not" is not supported', 0, 3],
    ['python', 'not a', 'boolean operator "not" is not supported', 0, 3],
    ['python', 'x if c', 'expected "else" in a conditional expression but found the end of input at offset 6', 6, 0],
    ['python', 'for i in x: y', '"for" statements are not supported', 0, 3],
    ['python', 'return', '"return" needs a value', 0, 6],
    ['python', 'x**2\ny = 3', 'this expression has no effect: only the last statement can be a bare expression', 0, 4],
    ['python', 'return x\ny = 2', 'code after "return" is not supported', 9, 5],
    ['python', 'x y', 'unexpected "y" at offset 2', 2, 1],
    ['python', '(x, y)', 'tuples are not supported', 2, 1],
    ['python', 'f = "abc"', 'unexpected string at offset 4', 4, 5],
    ['python', 'x = "abc', 'unterminated string', 4, 1],
    ['python', 'café * 2', '"café" cannot be used as a variable name', 0, 4],
    ['javascript', 'Math.foo(x)', 'unknown function "Math.foo"', 0, 8],
    ['javascript', 'Math.exp(x, y)', '"Math.exp" takes 1 argument, got 2', 0, 8],
    ['javascript', '-x ** 2', 'unary "-" before "**" needs parentheses in JavaScript', 3, 2],
    ['javascript', 'a && b', '"&&" is supported only between conditions such as (x > 0)', 2, 2],
    ['javascript', 'c ? a', 'expected ":" in a conditional expression but found the end of input at offset 5', 5, 0],
    ['javascript', 'x.y = 3', 'cannot assign to "x.y": only plain names can be assigned', 0, 3],
    ['javascript', 'const y = x * 2; z = y +', 'unexpected end of input', 24, 0],
    ['javascript', 'x.foo(2)', 'unknown function "x.foo"', 0, 5],
    ['javascript', 'Math.PI(2)', 'unknown function "Math.PI"', 0, 7],
    ['javascript', 'if (x) y', '"if" statements are not supported', 0, 2],
    ['javascript', 'x /* open', 'unterminated comment', 2, 2],
  ] as const)('%s: %s', (lang, src, message, offset, length) => {
    expect(err(src, lang)).toEqual({ message, offset, length });
  });
});

describe('limits', () => {
  const langs: Lang[] = ['python', 'javascript', 'math', 'latex'];

  it.each(langs)('%s: 100k nested parentheses fail cleanly at the 201st', (lang) => {
    const src = '('.repeat(100000) + 'x' + ')'.repeat(100000);
    expect(err(src, lang, { maxLength: 1e6 })).toEqual({
      message: 'expression is nested too deeply (more than 200 levels)',
      offset: 200,
      length: 1,
    });
  });

  it.each(langs)('%s: 200 levels are fine', (lang) => {
    const src = '('.repeat(200) + 'x' + ')'.repeat(200);
    expect(sx(ok(src, lang).expr)).toBe('x');
  });

  it.each(langs)('%s: unary chains and calls are counted too', (lang) => {
    const minus = lang === 'javascript' ? '- ' : '-';
    expect(err(minus.repeat(100000) + 'x', lang, { maxLength: 1e6 }).message).toBe(
      'expression is nested too deeply (more than 200 levels)',
    );
    const fn = lang === 'latex' ? '\\exp(' : 'exp(';
    expect(err(fn.repeat(50000) + 'x' + ')'.repeat(50000), lang, { maxLength: 1e6 }).message).toBe(
      'expression is nested too deeply (more than 200 levels)',
    );
  });

  it('power chains are counted', () => {
    expect(err('x' + '**x'.repeat(5000), 'python')).toEqual({
      message: 'expression is nested too deeply (more than 200 levels)',
      offset: 601,
      length: 2,
    });
  });

  it('honours a custom maxDepth', () => {
    expect(err('((((x))))', 'python', { maxDepth: 3 })).toEqual({
      message: 'expression is nested too deeply (more than 3 levels)',
      offset: 3,
      length: 1,
    });
    expect(ok('(((x)))', 'python', { maxDepth: 3 }).expr).toEqual(x);
  });

  it.each(langs)('%s: never throws, even when maxDepth is huge', (lang) => {
    const src = '('.repeat(100000) + 'x' + ')'.repeat(100000);
    const r = parse(src, lang, { maxLength: 1e6, maxDepth: 1e9 });
    expect(r.ok).toBe(false);
  });

  it('long flat sums stay shallow', () => {
    const v = ok('x+'.repeat(9999) + 'x', 'python');
    expect(v.expr.kind).toBe('add');
    if (v.expr.kind === 'add') expect(v.expr.terms.length).toBe(10000);
  });

  it('enforces maxLength (default 20000)', () => {
    const src = 'x+'.repeat(15000) + 'x';
    expect(err(src, 'python')).toEqual({
      message: 'selection is too long (30001 characters; the limit is 20000)',
      offset: 20000,
      length: 10001,
    });
    expect(err('x + y', 'math', { maxLength: 3 })).toEqual({
      message: 'selection is too long (5 characters; the limit is 3)',
      offset: 3,
      length: 2,
    });
  });

  it('never throws on junk input', () => {
    const junk = ['\\', '"', "'''", '((', ')', '=>', '@@', '\\left', '\\frac', '^', '_', '|', '||', '\u0000', '𝑥', 'λ', '{', '}', ',', ':'];
    for (const lang of langs) {
      for (const a of junk) {
        for (const b of junk) {
          const r = parse(a + b, lang);
          expect(typeof r.ok).toBe('boolean');
          if (!r.ok) {
            expect(r.error.offset).toBeGreaterThanOrEqual(0);
            expect(r.error.offset + r.error.length).toBeLessThanOrEqual((a + b).length);
            expect(r.error.message).not.toMatch(/^internal error/);
          }
        }
      }
    }
  });
});
