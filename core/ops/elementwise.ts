/**
 * The elementwise operations: one entry each. An entry's derivative is
 * written once over `Builder`, so the scalar engine, matrix calculus and the
 * backprop graph all build (or evaluate) the same formula. Values at kinks
 * follow PyTorch's autograd (float64), checked against its fixtures in
 * test/fixtures/ops/.
 */
import { erf, logSigmoid, nanSafe, sigmoid, sign, softplus } from './numeric';
import type { Builder, Kink, Lib, OpEntry, ParamSpec } from './types';

// ---------------------------------------------------------------------------
// LaTeX and code helpers

/** Top-level `+`/`−` in a LaTeX string (outside braces and \left…\right), so `e^{…}` would read badly. */
function compound(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth--;
    else if (depth === 0 && (c === '+' || c === '-') && i > 0) return true;
  }
  return /\\frac|\\begin/.test(s) || s.length > 40;
}
const paren = (a: string): string => `\\left(${a}\\right)`;
const named = (cmd: string) => (args: readonly string[]) => `${cmd}${paren(args.join(', '))}`;
const np1 = (fn: string) => (args: readonly string[]) => `${fn}(${args[0]})`;
/** A code operand safe to put next to an operator. */
const cp = (a: string): string => (/^[\w.]+$/.test(a) ? a : `(${a})`);

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const SELU_SCALE = 1.0507009873554805; // PyTorch's constants, to double precision
const SELU_ALPHA = 1.6732632423543772;
const GELU_C = 0.044715;

const KINK0 = (note: string): Kink[] => [{ at: 0, note }];

interface Spec {
  name: string;
  title?: string;
  arity?: number;
  params?: ParamSpec[];
  spell: Partial<Record<Lib, readonly string[]>>;
  expand?: OpEntry['expand'];
  latexName: string;
  latex?: OpEntry['latex'];
  numpy: OpEntry['numpy'];
  forward: OpEntry['forward'];
  rule?: string;
  formula: string;
  d<T>(b: Builder<T>, args: readonly T[], params: readonly T[]): T[];
  dparams?<T>(b: Builder<T>, args: readonly T[], params: readonly T[]): T[];
  kinks?: Kink[];
  domain?: OpEntry['domain'];
  fixed?: OpEntry['fixed'];
  linearAbove?: number;
  selects?: OpEntry['selects'];
  graphName?: string;
  nonnegative?: boolean;
}

function entry(s: Spec): OpEntry {
  return {
    name: s.name,
    title: s.title ?? s.name,
    arity: s.arity ?? 1,
    params: s.params ?? [],
    spell: s.spell,
    ...(s.expand ? { expand: s.expand } : {}),
    latexName: s.latexName,
    latex: s.latex ?? named(s.latexName),
    numpy: s.numpy,
    forward: s.forward,
    derivative: { rule: s.rule ?? `${s.title ?? s.name} rule`, formula: s.formula, d: s.d, ...(s.dparams ? { dparams: s.dparams } : {}) },
    kinks: s.kinks ?? [],
    domain: s.domain ?? 'real',
    shape: 'elementwise',
    ...(s.fixed ? { fixed: s.fixed } : {}),
    ...(s.linearAbove !== undefined ? { linearAbove: s.linearAbove } : {}),
    ...(s.selects ? { selects: s.selects } : {}),
    ...(s.graphName ? { graphName: s.graphName } : {}),
    ...(s.nonnegative ? { nonnegative: true } : {}),
  };
}

/** A one-argument entry whose derivative is f′(x) built from x. */
function unary(
  s: Omit<Spec, 'd' | 'forward'> & { f: (x: number) => number; df: <T>(b: Builder<T>, x: T) => T },
): OpEntry {
  const { f, df, ...rest } = s;
  return entry({ ...rest, forward: (a) => f(a[0]!), d: (b, a) => [df(b, a[0]!)] });
}

const ALL_PY: Lib[] = ['numpy', 'torch', 'method', 'math'];
const everywhere = (...names: string[]): Partial<Record<Lib, readonly string[]>> => {
  const r: Partial<Record<Lib, readonly string[]>> = {};
  for (const l of [...ALL_PY, 'js', 'plain'] as Lib[]) r[l] = names;
  return r;
};

// ---------------------------------------------------------------------------
// The entries

export const ELEMENTWISE: readonly OpEntry[] = [
  // Exponentials and logarithms
  unary({
    name: 'exp',
    nonnegative: true,
    title: 'exponential',
    spell: everywhere('exp'),
    latexName: '\\exp',
    latex: ([a]) => (compound(a!) ? `\\exp${paren(a!)}` : `e^{${a}}`),
    numpy: np1('np.exp'),
    f: Math.exp,
    formula: '\\frac{d}{dx} e^{x} = e^{x}',
    df: (b, x) => b.call('exp', x),
  }),
  unary({
    name: 'log',
    title: 'logarithm',
    spell: { ...everywhere('log'), plain: ['ln', 'log'] },
    latexName: '\\ln',
    numpy: np1('np.log'),
    f: Math.log,
    formula: '\\frac{d}{dx} \\ln x = \\frac{1}{x}',
    df: (b, x) => b.div(b.num(1), x),
    domain: 'positive',
  }),
  unary({
    name: 'log1p',
    spell: everywhere('log1p'),
    latexName: '\\operatorname{log1p}',
    latex: ([a]) => `\\ln${paren(`1 + ${a}`)}`,
    numpy: np1('np.log1p'),
    f: Math.log1p,
    formula: '\\frac{d}{dx} \\ln(1 + x) = \\frac{1}{1 + x}',
    df: (b, x) => b.div(b.num(1), b.add(b.num(1), x)),
    domain: 'positive',
  }),
  unary({
    name: 'expm1',
    spell: everywhere('expm1'),
    latexName: '\\operatorname{expm1}',
    latex: ([a]) => `\\left(e^{${a}} - 1\\right)`,
    numpy: np1('np.expm1'),
    f: Math.expm1,
    formula: '\\frac{d}{dx} (e^{x} - 1) = e^{x}',
    df: (b, x) => b.call('exp', x),
  }),
  unary({
    name: 'exp2',
    spell: { numpy: ['exp2'], torch: ['exp2'], method: ['exp2'], math: ['exp2'], plain: ['exp2'] },
    expand: (b, [x]) => b.pow(b.num(2), x!),
    latexName: '\\operatorname{exp2}',
    latex: ([a]) => `2^{${a}}`,
    numpy: np1('np.exp2'),
    f: (x) => Math.pow(2, x),
    formula: '\\frac{d}{dx} 2^{x} = 2^{x} \\ln 2',
    df: (b, x) => b.mul(b.call('exp2', x), b.call('log', b.num(2))),
  }),
  unary({
    name: 'log2',
    spell: everywhere('log2'),
    latexName: '\\log_{2}',
    numpy: np1('np.log2'),
    f: Math.log2,
    formula: '\\frac{d}{dx} \\log_{2} x = \\frac{1}{x \\ln 2}',
    df: (b, x) => b.div(b.num(1), b.mul(x, b.call('log', b.num(2)))),
    domain: 'positive',
  }),
  unary({
    name: 'log10',
    spell: everywhere('log10'),
    latexName: '\\log_{10}',
    numpy: np1('np.log10'),
    f: Math.log10,
    formula: '\\frac{d}{dx} \\log_{10} x = \\frac{1}{x \\ln 10}',
    df: (b, x) => b.div(b.num(1), b.mul(x, b.call('log', b.num(10)))),
    domain: 'positive',
  }),
  // Powers
  unary({
    name: 'sqrt',
    title: 'square root',
    spell: everywhere('sqrt'),
    expand: (b, [x]) => b.pow(x!, b.num(1, 2)),
    latexName: '\\sqrt',
    latex: ([a]) => `\\sqrt{${a}}`,
    numpy: np1('np.sqrt'),
    f: Math.sqrt,
    formula: '\\frac{d}{dx} \\sqrt{x} = \\frac{1}{2\\sqrt{x}}',
    df: (b, x) => b.div(b.num(1), b.mul(b.num(2), b.call('sqrt', x))),
    domain: 'positive',
  }),
  unary({
    name: 'cbrt',
    title: 'cube root',
    spell: { numpy: ['cbrt'], math: ['cbrt'], js: ['cbrt'], plain: ['cbrt'] },
    latexName: '\\sqrt[3]',
    latex: ([a]) => `\\sqrt[3]{${a}}`,
    numpy: np1('np.cbrt'),
    f: Math.cbrt,
    formula: '\\frac{d}{dx} \\sqrt[3]{x} = \\frac{1}{3\\sqrt[3]{x}^{2}}',
    df: (b, x) => b.div(b.num(1), b.mul(b.num(3), b.pow(b.call('cbrt', x), b.num(2)))),
    kinks: KINK0('∛x has a vertical tangent at 0: its derivative is +∞ there'),
  }),
  unary({
    name: 'square',
    spell: { numpy: ['square'], torch: ['square'], method: ['square'], plain: ['square'] },
    expand: (b, [x]) => b.pow(x!, b.num(2)),
    latexName: '\\operatorname{square}',
    latex: ([a]) => `${paren(a!)}^{2}`,
    numpy: np1('np.square'),
    f: (x) => x * x,
    formula: '\\frac{d}{dx} x^{2} = 2x',
    rule: 'power rule',
    df: (b, x) => b.mul(b.num(2), x),
  }),
  unary({
    name: 'reciprocal',
    spell: { numpy: ['reciprocal'], torch: ['reciprocal'], method: ['reciprocal'], plain: ['reciprocal'] },
    expand: (b, [x]) => b.pow(x!, b.num(-1)),
    latexName: '\\operatorname{reciprocal}',
    latex: ([a]) => `\\frac{1}{${a}}`,
    // np.reciprocal truncates integer arrays (np.reciprocal(2) is 0): divide instead.
    numpy: ([a]) => `1.0/${cp(a!)}`,
    f: (x) => 1 / x,
    formula: '\\frac{d}{dx} \\frac{1}{x} = -\\frac{1}{x^{2}}',
    rule: 'power rule',
    df: (b, x) => b.neg(b.div(b.num(1), b.pow(x, b.num(2)))),
  }),
  unary({
    name: 'abs',
    nonnegative: true,
    title: 'absolute value',
    spell: {
      numpy: ['abs', 'absolute', 'fabs'],
      torch: ['abs', 'absolute'],
      method: ['abs', 'absolute'],
      math: ['fabs'],
      js: ['abs'],
      builtin: ['abs'],
      plain: ['abs'],
    },
    latexName: '\\left|\\cdot\\right|',
    latex: ([a]) => `\\left|${a}\\right|`,
    numpy: np1('np.abs'),
    f: Math.abs,
    formula: '\\frac{d}{dx} |x| = \\operatorname{sgn}(x)',
    df: (b, x) => b.call('sign', x),
    kinks: KINK0("|x| has a corner at 0; PyTorch's gradient there is 0"),
  }),
  unary({
    name: 'sign',
    spell: { numpy: ['sign'], torch: ['sign', 'sgn'], method: ['sign', 'sgn'], js: ['sign'], plain: ['sign', 'sgn'] },
    latexName: '\\operatorname{sgn}',
    numpy: np1('np.sign'),
    f: sign,
    formula: '\\frac{d}{dx} \\operatorname{sgn}(x) = 0 \\;(x \\ne 0)',
    df: (b) => b.num(0),
    kinks: KINK0('sgn jumps at 0; its gradient is taken as 0 there'),
  }),
  unary({
    name: 'heaviside',
    nonnegative: true,
    title: 'step',
    spell: { numpy: ['heaviside'], torch: ['heaviside'], plain: ['heaviside', 'step'] },
    latexName: '\\mathbf{1}',
    latex: ([a]) => `\\mathbf{1}_{[${a} > 0]}`,
    numpy: ([a]) => `np.heaviside(${a}, 0.0)`,
    f: nanSafe((x) => (x > 0 ? 1 : 0)),
    formula: '\\frac{d}{dx} \\mathbf{1}_{[x > 0]} = 0 \\;(x \\ne 0)',
    df: (b) => b.num(0),
    kinks: KINK0('the step jumps at 0; its gradient is taken as 0 there'),
  }),
  // Trigonometric
  unary({
    name: 'sin',
    spell: everywhere('sin'),
    latexName: '\\sin',
    numpy: np1('np.sin'),
    f: Math.sin,
    formula: '\\frac{d}{dx} \\sin x = \\cos x',
    df: (b, x) => b.call('cos', x),
  }),
  unary({
    name: 'cos',
    spell: everywhere('cos'),
    latexName: '\\cos',
    numpy: np1('np.cos'),
    f: Math.cos,
    formula: '\\frac{d}{dx} \\cos x = -\\sin x',
    df: (b, x) => b.neg(b.call('sin', x)),
  }),
  unary({
    name: 'tan',
    spell: everywhere('tan'),
    latexName: '\\tan',
    numpy: np1('np.tan'),
    f: Math.tan,
    formula: '\\frac{d}{dx} \\tan x = \\sec^{2} x',
    df: (b, x) => b.pow(b.call('sec', x), b.num(2)),
  }),
  unary({
    name: 'sec',
    spell: { plain: ['sec'] },
    latexName: '\\sec',
    numpy: ([a]) => `1/np.cos(${a})`,
    f: (x) => 1 / Math.cos(x),
    formula: '\\frac{d}{dx} \\sec x = \\sec x \\tan x',
    df: (b, x) => b.mul(b.call('sec', x), b.call('tan', x)),
  }),
  unary({
    name: 'csc',
    spell: { plain: ['csc'] },
    latexName: '\\csc',
    numpy: ([a]) => `1/np.sin(${a})`,
    f: (x) => 1 / Math.sin(x),
    formula: '\\frac{d}{dx} \\csc x = -\\csc x \\cot x',
    df: (b, x) => b.neg(b.mul(b.call('csc', x), b.call('cot', x))),
  }),
  unary({
    name: 'cot',
    spell: { plain: ['cot'] },
    latexName: '\\cot',
    numpy: ([a]) => `1/np.tan(${a})`,
    f: (x) => 1 / Math.tan(x),
    formula: '\\frac{d}{dx} \\cot x = -\\csc^{2} x',
    df: (b, x) => b.neg(b.pow(b.call('csc', x), b.num(2))),
  }),
  unary({
    name: 'asin',
    title: 'arcsine',
    spell: {
      numpy: ['arcsin'],
      torch: ['asin', 'arcsin'],
      method: ['asin', 'arcsin'],
      math: ['asin'],
      js: ['asin'],
      plain: ['arcsin', 'asin'],
    },
    latexName: '\\arcsin',
    numpy: np1('np.arcsin'),
    f: Math.asin,
    formula: '\\frac{d}{dx} \\arcsin x = \\frac{1}{\\sqrt{1 - x^{2}}}',
    df: (b, x) => b.div(b.num(1), b.call('sqrt', b.sub(b.num(1), b.pow(x, b.num(2))))),
    domain: 'open-unit',
  }),
  unary({
    name: 'acos',
    title: 'arccosine',
    spell: {
      numpy: ['arccos'],
      torch: ['acos', 'arccos'],
      method: ['acos', 'arccos'],
      math: ['acos'],
      js: ['acos'],
      plain: ['arccos', 'acos'],
    },
    latexName: '\\arccos',
    numpy: np1('np.arccos'),
    f: Math.acos,
    formula: '\\frac{d}{dx} \\arccos x = -\\frac{1}{\\sqrt{1 - x^{2}}}',
    df: (b, x) => b.neg(b.div(b.num(1), b.call('sqrt', b.sub(b.num(1), b.pow(x, b.num(2)))))),
    domain: 'open-unit',
  }),
  unary({
    name: 'atan',
    title: 'arctangent',
    spell: {
      numpy: ['arctan'],
      torch: ['atan', 'arctan'],
      method: ['atan', 'arctan'],
      math: ['atan'],
      js: ['atan'],
      plain: ['arctan', 'atan'],
    },
    latexName: '\\arctan',
    numpy: np1('np.arctan'),
    f: Math.atan,
    formula: '\\frac{d}{dx} \\arctan x = \\frac{1}{1 + x^{2}}',
    df: (b, x) => b.div(b.num(1), b.add(b.num(1), b.pow(x, b.num(2)))),
  }),
  // Hyperbolic
  unary({
    name: 'sinh',
    spell: everywhere('sinh'),
    latexName: '\\sinh',
    numpy: np1('np.sinh'),
    f: Math.sinh,
    formula: '\\frac{d}{dx} \\sinh x = \\cosh x',
    df: (b, x) => b.call('cosh', x),
  }),
  unary({
    name: 'cosh',
    nonnegative: true,
    spell: everywhere('cosh'),
    latexName: '\\cosh',
    numpy: np1('np.cosh'),
    f: Math.cosh,
    formula: '\\frac{d}{dx} \\cosh x = \\sinh x',
    df: (b, x) => b.call('sinh', x),
  }),
  unary({
    name: 'tanh',
    spell: { ...everywhere('tanh'), F: ['tanh'] },
    latexName: '\\tanh',
    numpy: np1('np.tanh'),
    f: Math.tanh,
    formula: '\\frac{d}{dx} \\tanh x = 1 - \\tanh^{2} x',
    df: (b, x) => b.sub(b.num(1), b.pow(b.call('tanh', x), b.num(2))),
  }),
  unary({
    name: 'asinh',
    title: 'inverse hyperbolic sine',
    spell: {
      numpy: ['arcsinh'],
      torch: ['asinh', 'arcsinh'],
      method: ['asinh', 'arcsinh'],
      math: ['asinh'],
      js: ['asinh'],
      plain: ['arsinh', 'arcsinh', 'asinh'],
    },
    latexName: '\\operatorname{arsinh}',
    numpy: np1('np.arcsinh'),
    f: Math.asinh,
    formula: '\\frac{d}{dx} \\operatorname{arsinh} x = \\frac{1}{\\sqrt{x^{2} + 1}}',
    df: (b, x) => b.div(b.num(1), b.call('sqrt', b.add(b.pow(x, b.num(2)), b.num(1)))),
  }),
  unary({
    name: 'acosh',
    title: 'inverse hyperbolic cosine',
    spell: {
      numpy: ['arccosh'],
      torch: ['acosh', 'arccosh'],
      method: ['acosh', 'arccosh'],
      math: ['acosh'],
      js: ['acosh'],
      plain: ['arcosh', 'arccosh', 'acosh'],
    },
    latexName: '\\operatorname{arcosh}',
    numpy: np1('np.arccosh'),
    f: Math.acosh,
    formula: '\\frac{d}{dx} \\operatorname{arcosh} x = \\frac{1}{\\sqrt{x^{2} - 1}}',
    df: (b, x) => b.div(b.num(1), b.call('sqrt', b.sub(b.pow(x, b.num(2)), b.num(1)))),
    domain: 'above-one',
  }),
  unary({
    name: 'atanh',
    title: 'inverse hyperbolic tangent',
    spell: {
      numpy: ['arctanh'],
      torch: ['atanh', 'arctanh'],
      method: ['atanh', 'arctanh'],
      math: ['atanh'],
      js: ['atanh'],
      plain: ['artanh', 'arctanh', 'atanh'],
    },
    latexName: '\\operatorname{artanh}',
    numpy: np1('np.arctanh'),
    f: Math.atanh,
    formula: '\\frac{d}{dx} \\operatorname{artanh} x = \\frac{1}{1 - x^{2}}',
    df: (b, x) => b.div(b.num(1), b.sub(b.num(1), b.pow(x, b.num(2)))),
    domain: 'open-unit',
  }),
  // Special
  unary({
    name: 'erf',
    title: 'error function',
    spell: { torch: ['erf'], method: ['erf'], math: ['erf'], scipy: ['erf'], plain: ['erf'] },
    latexName: '\\operatorname{erf}',
    numpy: np1('scipy.special.erf'),
    f: erf,
    formula: '\\frac{d}{dx} \\operatorname{erf} x = \\frac{2}{\\sqrt{\\pi}} e^{-x^{2}}',
    df: (b, x) => b.mul(b.div(b.num(2), b.call('sqrt', b.pi())), b.call('exp', b.neg(b.pow(x, b.num(2))))),
  }),
  // Activations
  unary({
    name: 'sigmoid',
    nonnegative: true,
    spell: {
      torch: ['sigmoid'],
      F: ['sigmoid'],
      method: ['sigmoid'],
      scipy: ['expit'],
      plain: ['sigmoid', 'expit', 'σ', 'sigma'],
    },
    latexName: '\\sigma',
    numpy: ([a]) => `1/(1 + np.exp(-${cp(a!)}))`,
    f: sigmoid,
    formula: "\\sigma'(x) = \\sigma(x)\\left(1 - \\sigma(x)\\right)",
    df: (b, x) => {
      const s = b.call('sigmoid', x);
      return b.mul(s, b.sub(b.num(1), s));
    },
  }),
  unary({
    name: 'logsigmoid',
    title: 'log-sigmoid',
    spell: { F: ['logsigmoid'], scipy: ['log_expit'], plain: ['logsigmoid', 'log_sigmoid'] },
    latexName: '\\ln\\sigma',
    latex: ([a]) => `\\ln \\sigma${paren(a!)}`,
    numpy: ([a]) => `-np.logaddexp(0, -${cp(a!)})`,
    f: logSigmoid,
    formula: '\\frac{d}{dx} \\ln \\sigma(x) = 1 - \\sigma(x)',
    df: (b, x) => b.sub(b.num(1), b.call('sigmoid', x)),
  }),
  unary({
    name: 'relu',
    nonnegative: true,
    title: 'ReLU',
    spell: { torch: ['relu'], F: ['relu'], method: ['relu'], plain: ['relu', 'ReLU'] },
    latexName: '\\operatorname{ReLU}',
    numpy: ([a]) => `np.maximum(${a}, 0)`,
    f: nanSafe((x) => (x > 0 ? x : 0)),
    formula: "\\operatorname{ReLU}'(x) = \\mathbf{1}_{[x > 0]}",
    df: (b, x) => b.call('heaviside', x),
    kinks: KINK0("ReLU has a corner at 0; PyTorch's gradient there is 0"),
  }),
  entry({
    name: 'leaky_relu',
    title: 'leaky ReLU',
    params: [{ name: 'negative_slope', aliases: ['alpha', 'a'], default: 0.01 }],
    spell: { F: ['leaky_relu'], plain: ['leaky_relu', 'lrelu', 'leakyrelu', 'LeakyReLU'] },
    latexName: '\\operatorname{LeakyReLU}',
    latex: ([a], [p]) => `\\operatorname{LeakyReLU}_{${p ?? '0.01'}}${paren(a!)}`,
    numpy: ([a], [p]) => `np.where(${cp(a!)} > 0, ${a}, ${cp(p ?? '0.01')}*${cp(a!)})`,
    forward: ([x], [p]) => (Number.isNaN(x!) ? NaN : x! > 0 ? x! : (p ?? 0.01) * x!),
    formula: "\\operatorname{LeakyReLU}_{\\alpha}'(x) = \\begin{cases} 1 & x > 0 \\\\ \\alpha & x \\le 0 \\end{cases}",
    d: (b, [x], [p]) => [b.where(b.cmp('>', x!, b.num(0)), b.num(1), p ?? b.num(1, 100))],
    dparams: (b, [x]) => [b.where(b.cmp('>', x!, b.num(0)), b.num(0), x!)],
    kinks: KINK0("leaky ReLU has a corner at 0; PyTorch's gradient there is the negative slope"),
  }),
  entry({
    name: 'elu',
    title: 'ELU',
    params: [{ name: 'alpha', default: 1 }],
    spell: { F: ['elu'], plain: ['elu', 'ELU'] },
    latexName: '\\operatorname{ELU}',
    latex: ([a], [p]) => (p === undefined || p === '1' ? `\\operatorname{ELU}${paren(a!)}` : `\\operatorname{ELU}_{${p}}${paren(a!)}`),
    numpy: ([a], [p]) => `np.where(${cp(a!)} > 0, ${a}, ${p === undefined || p === '1' ? '' : `${cp(p)}*`}np.expm1(${a}))`,
    forward: ([x], [p]) => (Number.isNaN(x!) ? NaN : x! > 0 ? x! : (p ?? 1) * Math.expm1(x!)),
    formula: "\\operatorname{ELU}_{\\alpha}'(x) = \\begin{cases} 1 & x > 0 \\\\ \\alpha e^{x} & x \\le 0 \\end{cases}",
    dparams: (b, [x]) => [b.where(b.cmp('>', x!, b.num(0)), b.num(0), b.call('expm1', x!))],
    d: (b, [x], [p]) => {
      const e = b.call('exp', x!);
      return [b.where(b.cmp('>', x!, b.num(0)), b.num(1), p ? b.mul(p, e) : e)];
    },
    kinks: KINK0("ELU's derivative jumps at 0 unless α = 1; PyTorch uses the left side, αe⁰ = α"),
  }),
  unary({
    name: 'selu',
    title: 'SELU',
    spell: { torch: ['selu'], F: ['selu'], plain: ['selu', 'SELU'] },
    latexName: '\\operatorname{SELU}',
    numpy: ([a]) => `${SELU_SCALE}*np.where(${cp(a!)} > 0, ${a}, ${SELU_ALPHA}*np.expm1(${a}))`,
    f: nanSafe((x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x))),
    formula:
      "\\operatorname{SELU}'(x) = \\lambda \\begin{cases} 1 & x > 0 \\\\ \\alpha e^{x} & x \\le 0 \\end{cases},\\ \\lambda \\approx 1.0507,\\ \\alpha \\approx 1.6733",
    df: (b, x) =>
      b.mul(b.num(SELU_SCALE), b.where(b.cmp('>', x, b.num(0)), b.num(1), b.mul(b.num(SELU_ALPHA), b.call('exp', x)))),
    kinks: KINK0("SELU's derivative jumps at 0 (λ on the right, λα on the left); PyTorch uses λα"),
  }),
  unary({
    name: 'gelu',
    title: 'GELU',
    spell: { F: ['gelu'], plain: ['gelu', 'GELU'] },
    selects: { approximate: { tanh: 'gelu_tanh', none: 'gelu' } },
    latexName: '\\operatorname{GELU}',
    numpy: ([a]) => `0.5*${cp(a!)}*(1 + scipy.special.erf(${cp(a!)}/np.sqrt(2)))`,
    f: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
    formula:
      "\\operatorname{GELU}(x) = x\\,\\Phi(x),\\quad \\operatorname{GELU}'(x) = \\Phi(x) + x\\,\\varphi(x) = \\tfrac{1}{2}\\left(1 + \\operatorname{erf}\\tfrac{x}{\\sqrt{2}}\\right) + \\tfrac{x}{\\sqrt{2\\pi}} e^{-x^{2}/2}",
    df: (b, x) =>
      b.add(
        b.mul(b.num(1, 2), b.add(b.num(1), b.call('erf', b.div(x, b.call('sqrt', b.num(2)))))),
        b.div(b.mul(x, b.call('exp', b.neg(b.div(b.pow(x, b.num(2)), b.num(2))))), b.call('sqrt', b.mul(b.num(2), b.pi()))),
      ),
  }),
  unary({
    name: 'gelu_tanh',
    title: 'GELU (tanh approximation)',
    spell: { plain: ['gelu_tanh'] },
    latexName: '\\operatorname{GELU}_{\\tanh}',
    numpy: ([a]) =>
      `0.5*${cp(a!)}*(1 + np.tanh(np.sqrt(2/np.pi)*(${a} + ${GELU_C}*${cp(a!)}**3)))`,
    f: (x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_C * x * x * x))),
    formula:
      "\\operatorname{GELU}_{\\tanh}(x) = \\tfrac{x}{2}\\left(1 + \\tanh u\\right),\\ u = \\sqrt{2/\\pi}\\,(x + 0.044715x^{3}),\\quad \\operatorname{GELU}_{\\tanh}'(x) = \\tfrac{1}{2}(1 + \\tanh u) + \\tfrac{x}{2}(1 - \\tanh^{2} u)\\,u'",
    df: (b, x) => {
      const k = b.call('sqrt', b.div(b.num(2), b.pi()));
      const u = b.mul(k, b.add(x, b.mul(b.num(GELU_C), b.pow(x, b.num(3)))));
      const du = b.mul(k, b.add(b.num(1), b.mul(b.num(3 * GELU_C), b.pow(x, b.num(2)))));
      const t = b.call('tanh', u);
      return b.add(
        b.mul(b.num(1, 2), b.add(b.num(1), t)),
        b.mul(b.num(1, 2), x, b.sub(b.num(1), b.pow(t, b.num(2))), du),
      );
    },
  }),
  unary({
    name: 'silu',
    title: 'SiLU',
    spell: { F: ['silu'], plain: ['silu', 'swish', 'SiLU'] },
    latexName: '\\operatorname{SiLU}',
    numpy: ([a]) => `${cp(a!)}/(1 + np.exp(-${cp(a!)}))`,
    f: (x) => x * sigmoid(x),
    formula: "\\operatorname{SiLU}(x) = x\\,\\sigma(x),\\quad \\operatorname{SiLU}'(x) = \\sigma(x)\\left(1 + x\\left(1 - \\sigma(x)\\right)\\right)",
    df: (b, x) => {
      const s = b.call('sigmoid', x);
      return b.mul(s, b.add(b.num(1), b.mul(x, b.sub(b.num(1), s))));
    },
  }),
  unary({
    name: 'mish',
    title: 'Mish',
    spell: { F: ['mish'], plain: ['mish', 'Mish'] },
    latexName: '\\operatorname{Mish}',
    numpy: ([a]) => `${cp(a!)}*np.tanh(np.logaddexp(0, ${a}))`,
    f: (x) => x * Math.tanh(softplus(x)),
    formula:
      "\\operatorname{Mish}(x) = x \\tanh(\\operatorname{softplus} x),\\quad \\operatorname{Mish}'(x) = \\tanh(\\operatorname{softplus} x) + x\\,\\sigma(x)\\left(1 - \\tanh^{2}(\\operatorname{softplus} x)\\right)",
    df: (b, x) => {
      const t = b.call('tanh', b.call('softplus', x));
      return b.add(t, b.mul(x, b.call('sigmoid', x), b.sub(b.num(1), b.pow(t, b.num(2)))));
    },
  }),
  unary({
    name: 'softplus',
    nonnegative: true,
    spell: { F: ['softplus'], plain: ['softplus'] },
    fixed: [
      { name: 'beta', default: 1 },
      { name: 'threshold', default: 20 },
    ],
    linearAbove: 20,
    latexName: '\\operatorname{softplus}',
    numpy: ([a]) => `np.logaddexp(0, ${a})`,
    f: softplus,
    formula: "\\operatorname{softplus}(x) = \\ln(1 + e^{x}),\\quad \\operatorname{softplus}'(x) = \\sigma(x)",
    df: (b, x) => b.call('sigmoid', x),
  }),
  unary({
    name: 'softsign',
    spell: { F: ['softsign'], plain: ['softsign'] },
    latexName: '\\operatorname{softsign}',
    numpy: ([a]) => `${cp(a!)}/(1 + np.abs(${a}))`,
    f: (x) => x / (1 + Math.abs(x)),
    formula: "\\operatorname{softsign}(x) = \\frac{x}{1 + |x|},\\quad \\operatorname{softsign}'(x) = \\frac{1}{(1 + |x|)^{2}}",
    df: (b, x) => b.div(b.num(1), b.pow(b.add(b.num(1), b.call('abs', x)), b.num(2))),
  }),
  // Two arguments
  entry({
    name: 'max',
    title: 'maximum',
    graphName: 'maximum',
    arity: 2,
    spell: { numpy: ['maximum', 'fmax'], torch: ['maximum', 'fmax'], method: ['maximum'], builtin: ['max'], js: ['max'], plain: ['max'] },
    latexName: '\\max',
    numpy: ([a, b]) => `np.maximum(${a}, ${b})`,
    forward: ([a, b]) => (Number.isNaN(a!) || Number.isNaN(b!) ? NaN : Math.max(a!, b!)),
    formula: '\\frac{\\partial}{\\partial a} \\max(a, b) = \\mathbf{1}_{[a > b]} \\;(\\tfrac{1}{2} \\text{ at a tie})',
    // 𝟙[a > b] + ½𝟙[a = b]: the conditions are disjoint, so this is the where() without a nested case.
    d: (b, [x, y]) => {
      const tie = b.mul(b.num(1, 2), b.cmp('==', x!, y!));
      return [b.add(b.cmp('>', x!, y!), tie), b.add(b.cmp('>', y!, x!), tie)];
    },
    kinks: [{ at: 0, note: 'at a tie max(a, b) has a corner; PyTorch splits the gradient in half' }],
  }),
  entry({
    name: 'min',
    title: 'minimum',
    graphName: 'minimum',
    arity: 2,
    spell: { numpy: ['minimum', 'fmin'], torch: ['minimum', 'fmin'], method: ['minimum'], builtin: ['min'], js: ['min'], plain: ['min'] },
    latexName: '\\min',
    numpy: ([a, b]) => `np.minimum(${a}, ${b})`,
    forward: ([a, b]) => (Number.isNaN(a!) || Number.isNaN(b!) ? NaN : Math.min(a!, b!)),
    formula: '\\frac{\\partial}{\\partial a} \\min(a, b) = \\mathbf{1}_{[a < b]} \\;(\\tfrac{1}{2} \\text{ at a tie})',
    d: (b, [x, y]) => {
      const tie = b.mul(b.num(1, 2), b.cmp('==', x!, y!));
      return [b.add(b.cmp('<', x!, y!), tie), b.add(b.cmp('<', y!, x!), tie)];
    },
    kinks: [{ at: 0, note: 'at a tie min(a, b) has a corner; PyTorch splits the gradient in half' }],
  }),
  entry({
    name: 'atan2',
    arity: 2,
    spell: { numpy: ['arctan2'], torch: ['atan2', 'arctan2'], method: ['atan2', 'arctan2'], math: ['atan2'], js: ['atan2'], plain: ['atan2', 'arctan2'] },
    latexName: '\\operatorname{atan2}',
    numpy: ([y, x]) => `np.arctan2(${y}, ${x})`,
    forward: ([y, x]) => Math.atan2(y!, x!),
    formula: '\\frac{\\partial}{\\partial y} \\operatorname{atan2}(y, x) = \\frac{x}{x^{2} + y^{2}},\\ \\frac{\\partial}{\\partial x} = \\frac{-y}{x^{2} + y^{2}}',
    d: (b, [y, x]) => {
      const r2 = b.add(b.pow(x!, b.num(2)), b.pow(y!, b.num(2)));
      return [b.div(x!, r2), b.neg(b.div(y!, r2))];
    },
  }),
  entry({
    name: 'where',
    arity: 3,
    spell: { numpy: ['where'], torch: ['where'], plain: ['where'] },
    latexName: '\\operatorname{where}',
    latex: ([c, a, b]) => `\\begin{cases} ${a} & \\text{if } ${c} \\\\ ${b} & \\text{otherwise} \\end{cases}`,
    numpy: ([c, a, b]) => `np.where(${c}, ${a}, ${b})`,
    forward: ([c, a, b]) => (Number.isNaN(c!) ? NaN : c !== 0 ? a! : b!),
    formula: '\\frac{\\partial}{\\partial a} \\operatorname{where}(c, a, b) = \\mathbf{1}_{[c]}',
    d: (b, [c]) => [b.num(0), b.where(c!, b.num(1), b.num(0)), b.where(c!, b.num(0), b.num(1))],
  }),
  entry({
    name: 'clip',
    arity: 3,
    spell: { numpy: ['clip'], torch: ['clip', 'clamp'], method: ['clip', 'clamp'], plain: ['clip'] },
    latexName: '\\operatorname{clip}',
    numpy: ([x, lo, hi]) => `np.clip(${x}, ${lo}, ${hi})`,
    forward: ([x, lo, hi]) => (Number.isNaN(x!) ? NaN : Math.min(Math.max(x!, lo!), hi!)),
    formula: '\\frac{\\partial}{\\partial x} \\operatorname{clip}(x, l, h) = \\mathbf{1}_{[l \\le x \\le h]}',
    d: (b, [x, lo, hi]) => [
      b.mul(b.cmp('>=', x!, lo!), b.cmp('<=', x!, hi!)),
      b.cmp('<', x!, lo!),
      b.cmp('>', x!, hi!),
    ],
    kinks: [{ at: 0, note: 'clip has corners at its bounds; PyTorch passes the gradient through at a bound' }],
  }),
];
