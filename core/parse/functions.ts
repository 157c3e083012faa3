/**
 * Function tables: how each language's spellings (`np.exp`, `F.leaky_relu`,
 * `Math.hypot`, `ln`, …) map onto the canonical expression tree, and the
 * argument binding (positional, keyword, defaults, arity errors) they share.
 */
import { add, call, cmp, div, E, HALF, int, mul, NEG_ONE, ONE, pow, rat, sqrt, TWO, ZERO } from '../expr';
import type { Expr, FnName } from '../expr';
import { fail } from './common';
import type { Span } from './common';

export type ArgValue = { kind: 'expr'; expr: Expr } | { kind: 'str'; value: string } | { kind: 'none' };

/** One argument as written at a call site. */
export interface Arg extends Span {
  /** Keyword name (`min` in `clamp(x, min=0)`). */
  name?: string;
  value: ArgValue;
}

export interface Param {
  name: string;
  /** Other keyword spellings accepted for this parameter (`a_min` for `min`). */
  aliases?: readonly string[];
  optional?: boolean;
}

/** What a builder sees: the bound arguments by parameter index. */
export interface Bound {
  /** The callee as written, for messages (`np.exp`, `.pow`). */
  display: string;
  /** The module prefix the callee was written with (`np`, `jax.nn`, or '' for none). */
  module: string;
  callee: Span;
  args: readonly (Arg | undefined)[];
  /** A required expression argument. */
  expr(i: number): Expr;
  /** An optional expression argument (missing or `None` → undefined). */
  opt(i: number): Expr | undefined;
  /** An optional string argument. */
  str(i: number): string | undefined;
  fail(message: string, i: number): never;
}

export interface FnDef {
  params: readonly Param[];
  /** Variadic: any number (at least this many) of positional arguments, no keywords. */
  variadic?: number;
  /** Only as a builtin (`max`), never behind a module prefix (`np.max` is a reduction). */
  bareOnly?: boolean;
  build(b: Bound): Expr;
}

export type FnTable = ReadonlyMap<string, FnDef>;

// ---------------------------------------------------------------------------
// Binding

function plural(n: number): string {
  return n === 1 ? '' : 's';
}

function arityError(def: FnDef, display: string, callee: Span, got: number, skip: number): never {
  if (def.variadic !== undefined) {
    const min = def.variadic - skip;
    fail(`"${display}" takes at least ${min} argument${plural(min)}, got ${got}`, callee.offset, callee.length);
  }
  const max = def.params.length - skip;
  const min = def.params.filter((p) => !p.optional).length - skip;
  const range = min === max ? `${max} argument${plural(max)}` : `${min} to ${max} arguments`;
  fail(`"${display}" takes ${range}, got ${got}`, callee.offset, callee.length);
}

/**
 * Bind call-site arguments to a definition's parameters and build the tree.
 * `receiver` is the value a method is called on (`x` in `x.pow(2)`); it fills
 * the first parameter and is not counted in arity messages.
 */
export function applyFunction(
  def: FnDef,
  display: string,
  module: string,
  callee: Span,
  given: readonly Arg[],
  receiver?: Arg,
): Expr {
  const all = receiver ? [receiver, ...given] : [...given];
  const skip = receiver ? 1 : 0;
  let slots: (Arg | undefined)[];
  if (def.variadic !== undefined) {
    const kw = all.find((a) => a.name !== undefined);
    if (kw) fail(`"${display}" takes no keyword arguments`, kw.offset, kw.length);
    if (all.length < def.variadic) arityError(def, display, callee, given.length, skip);
    slots = all;
  } else {
    slots = new Array<Arg | undefined>(def.params.length).fill(undefined);
    let sawKeyword = false;
    let positional = 0;
    for (const a of all) {
      if (a.name === undefined) {
        if (sawKeyword) fail('positional argument after keyword argument', a.offset, a.length);
        if (positional >= def.params.length) arityError(def, display, callee, given.length, skip);
        slots[positional++] = a;
        continue;
      }
      sawKeyword = true;
      const i = def.params.findIndex((p) => p.name === a.name || (p.aliases?.includes(a.name!) ?? false));
      if (i < 0 || i < skip) fail(`"${display}" has no argument "${a.name}"`, a.offset, a.name.length);
      if (slots[i]) fail(`argument "${a.name}" given twice`, a.offset, a.name.length);
      slots[i] = a;
    }
    def.params.forEach((p, i) => {
      if (!p.optional && !slots[i]) arityError(def, display, callee, given.length, skip);
    });
  }
  const bound: Bound = {
    display,
    module,
    callee,
    args: slots,
    expr(i) {
      const a = slots[i];
      if (!a) arityError(def, display, callee, given.length, skip);
      if (a.value.kind === 'str') fail('expected a number or an expression, not a string', a.offset, a.length);
      if (a.value.kind === 'none') fail('expected a number or an expression, not None', a.offset, a.length);
      return a.value.expr;
    },
    opt(i) {
      const a = slots[i];
      if (!a || a.value.kind === 'none') return undefined;
      if (a.value.kind === 'str') fail('expected a number or an expression, not a string', a.offset, a.length);
      return a.value.expr;
    },
    str(i) {
      const a = slots[i];
      if (!a) return undefined;
      if (a.value.kind !== 'str') fail('expected a string', a.offset, a.length);
      return a.value.value;
    },
    fail(message, i) {
      const a = slots[i];
      if (a) fail(message, a.offset, a.length);
      fail(message, callee.offset, callee.length);
    },
  };
  return def.build(bound);
}

// ---------------------------------------------------------------------------
// Building blocks

const X: Param = { name: 'input', aliases: ['x', 'a', 'x1', 'z'] };
const OTHER: Param = { name: 'other', aliases: ['x2', 'y', 'b'] };
const opt = (name: string, ...aliases: string[]): Param => ({ name, aliases, optional: true });
const req = (name: string, ...aliases: string[]): Param => ({ name, aliases });

function def(params: readonly Param[], build: (b: Bound) => Expr): FnDef {
  return { params, build };
}
const unary = (fn: FnName): FnDef => def([X], (b) => call(fn, b.expr(0)));
const unaryWith = (f: (x: Expr) => Expr): FnDef => def([X], (b) => f(b.expr(0)));
const binary = (f: (a: Expr, b: Expr) => Expr, params: readonly Param[] = [X, OTHER]): FnDef =>
  def(params, (b) => f(b.expr(0), b.expr(1)));

/** max(a, b, c) = max(max(a, b), c); a single argument is returned as is (JavaScript's Math.max(x)). */
function nested(fn: 'max' | 'min', min: number, bareOnly = false): FnDef {
  return {
    params: [],
    variadic: min,
    bareOnly,
    build: (b) => {
      let acc = b.expr(0);
      for (let i = 1; i < b.args.length; i++) acc = call(fn, acc, b.expr(i));
      return acc;
    },
  };
}

const isLiteral = (e: Expr, v: number): boolean =>
  (e.kind === 'num' && e.p === v && e.q === 1) || (e.kind === 'float' && e.value === v);

/** The exact GELU, x/2·(1 + erf(x/√2)), from canonical nodes. */
export function exactGelu(x: Expr): Expr {
  return mul(HALF, x, add(ONE, call('erf', div(x, sqrt(TWO)))));
}

const hypot = (a: Expr, b: Expr): Expr => sqrt(add(pow(a, TWO), pow(b, TWO)));
const logaddexp = (a: Expr, b: Expr): Expr => call('log', add(call('exp', a), call('exp', b)));

/** clamp/clip with optional bounds: both → clip, one → max/min. */
function clampDef(lo: Param, hi: Param): FnDef {
  return def([X, lo, hi], (b) => {
    const x = b.expr(0);
    const l = b.opt(1);
    const h = b.opt(2);
    if (l && h) return call('clip', x, l, h);
    if (l) return call('max', x, l);
    if (h) return call('min', x, h);
    return b.fail(`"${b.display}" needs at least one of its bounds`, -1);
  });
}

function geluDef(): FnDef {
  return def([X, opt('approximate')], (b) => {
    const x = b.expr(0);
    const a = b.args[1];
    // jax.nn.gelu approximates by default (approximate=True); PyTorch is exact by default.
    let tanh = b.module.startsWith('jax');
    if (a) {
      if (a.value.kind === 'str') {
        if (a.value.value === 'tanh') tanh = true;
        else if (a.value.value === 'none') tanh = false;
        else b.fail(`approximate must be 'none' or 'tanh', not '${a.value.value}'`, 1);
      } else if (a.value.kind === 'expr' && (isLiteral(a.value.expr, 1) || isLiteral(a.value.expr, 0))) {
        tanh = isLiteral(a.value.expr, 1);
      } else b.fail("approximate must be 'none' or 'tanh'", 1);
    }
    return tanh ? call('gelu', x) : exactGelu(x);
  });
}

function softplusDef(): FnDef {
  return def([X, opt('beta'), opt('threshold')], (b) => {
    const x = b.expr(0);
    const beta = b.opt(1);
    if (!beta || isLiteral(beta, 1)) return call('softplus', x);
    return div(call('softplus', mul(beta, x)), beta);
  });
}

function logDef(): FnDef {
  // math.log(x, base) takes an optional base.
  return def([X, opt('base')], (b) => {
    const x = b.expr(0);
    const base = b.opt(1);
    return base ? div(call('log', x), call('log', base)) : call('log', x);
  });
}

function table(entries: Record<string, FnDef>, aliases: Record<string, string> = {}): Map<string, FnDef> {
  const m = new Map<string, FnDef>(Object.entries(entries));
  for (const [alias, target] of Object.entries(aliases)) m.set(alias, entries[target]!);
  return m;
}

// ---------------------------------------------------------------------------
// Python: NumPy, PyTorch (torch, torch.nn.functional), math, scipy.special, JAX

export const PYTHON_FUNCTIONS: FnTable = table(
  {
    exp: unary('exp'),
    log: logDef(),
    log2: unary('log2'),
    log10: unary('log10'),
    log1p: unary('log1p'),
    expm1: unary('expm1'),
    exp2: unaryWith((x) => pow(TWO, x)),
    sqrt: unaryWith(sqrt),
    rsqrt: unaryWith((x) => pow(x, rat(-1, 2))),
    cbrt: unaryWith((x) => pow(x, rat(1, 3))),
    square: unaryWith((x) => pow(x, TWO)),
    reciprocal: unaryWith((x) => pow(x, NEG_ONE)),
    power: binary(pow, [req('input', 'x1', 'base', 'x', 'a'), req('exponent', 'x2', 'exp', 'b')]),
    abs: unary('abs'),
    sign: unary('sign'),
    heaviside: def([req('input', 'x1', 'x'), opt('values', 'x2', 'h0')], (b) => call('heaviside', b.expr(0))),
    sin: unary('sin'),
    cos: unary('cos'),
    tan: unary('tan'),
    arcsin: unary('asin'),
    arccos: unary('acos'),
    arctan: unary('atan'),
    arctan2: binary((y, x) => call('atan2', y, x), [req('input', 'x1', 'y'), req('other', 'x2', 'x')]),
    sinh: unary('sinh'),
    cosh: unary('cosh'),
    tanh: unary('tanh'),
    arcsinh: unary('asinh'),
    arccosh: unary('acosh'),
    arctanh: unary('atanh'),
    erf: unary('erf'),
    maximum: binary((a, b) => call('max', a, b)),
    minimum: binary((a, b) => call('min', a, b)),
    max: nested('max', 2, true),
    min: nested('min', 2, true),
    where: def([req('condition', 'cond'), req('input', 'x'), req('other', 'y')], (b) =>
      call('where', b.expr(0), b.expr(1), b.expr(2)),
    ),
    clip: clampDef(opt('min', 'a_min'), opt('max', 'a_max')),
    clamp_min: binary((x, lo) => call('max', x, lo), [X, req('min')]),
    clamp_max: binary((x, hi) => call('min', x, hi), [X, req('max')]),
    sigmoid: unary('sigmoid'),
    relu: def([X, opt('inplace')], (b) => call('relu', b.expr(0))),
    relu6: def([X, opt('inplace')], (b) => call('clip', b.expr(0), ZERO, int(6))),
    leaky_relu: def([X, opt('negative_slope', 'alpha'), opt('inplace')], (b) =>
      call('leaky_relu', b.expr(0), b.opt(1) ?? rat(1, 100)),
    ),
    softplus: softplusDef(),
    gelu: geluDef(),
    silu: def([X, opt('inplace')], (b) => call('silu', b.expr(0))),
    elu: def([X, opt('alpha'), opt('inplace')], (b) => {
      const x = b.expr(0);
      const alpha = b.opt(1);
      const em1 = add(call('exp', x), NEG_ONE);
      return call('where', cmp('>', x, ZERO), x, alpha ? mul(alpha, em1) : em1);
    }),
    hardtanh: def([X, opt('min_val'), opt('max_val'), opt('inplace')], (b) =>
      call('clip', b.expr(0), b.opt(1) ?? NEG_ONE, b.opt(2) ?? ONE),
    ),
    softsign: unaryWith((x) => div(x, add(ONE, call('abs', x)))),
    logsigmoid: unaryWith((x) => call('log', call('sigmoid', x))),
    mish: def([X, opt('inplace')], (b) => {
      const x = b.expr(0);
      return mul(x, call('tanh', call('softplus', x)));
    }),
    logaddexp: binary(logaddexp),
    hypot: binary(hypot),
    float: { ...unaryWith((x) => x), bareOnly: true },
  },
  {
    pow: 'power',
    float_power: 'power',
    absolute: 'abs',
    fabs: 'abs',
    sgn: 'sign',
    asin: 'arcsin',
    acos: 'arccos',
    atan: 'arctan',
    atan2: 'arctan2',
    asinh: 'arcsinh',
    acosh: 'arccosh',
    atanh: 'arctanh',
    fmax: 'maximum',
    fmin: 'minimum',
    clamp: 'clip',
    expit: 'sigmoid',
    swish: 'silu',
    log_sigmoid: 'logsigmoid',
  },
);

/** Tensor methods that leave the value unchanged (`x.float()`, `x.item()`). */
const IDENTITY = unaryWith((x) => x);
export const PYTHON_METHODS: FnTable = new Map<string, FnDef>([
  ...[...PYTHON_FUNCTIONS].filter(([, d]) => !d.bareOnly),
  ['item', IDENTITY],
  ['float', IDENTITY],
  ['double', IDENTITY],
  ['clone', IDENTITY],
  ['contiguous', IDENTITY],
]);

/** Python module prefixes under which the functions above are found. */
export const PYTHON_MODULES: readonly string[] = [
  'np',
  'numpy',
  'math',
  'cmath',
  'torch',
  'torch.special',
  'torch.nn.functional',
  'nn.functional',
  'F',
  'scipy.special',
  'special',
  'jnp',
  'jax.numpy',
  'jax.nn',
  'jax.scipy.special',
  'tf',
  'tf.math',
  'tf.nn',
];

export const PYTHON_CONSTANTS: Readonly<Record<string, Expr>> = {
  pi: { kind: 'const', name: 'pi' },
  e: E,
  tau: mul(TWO, { kind: 'const', name: 'pi' }),
};

// ---------------------------------------------------------------------------
// JavaScript: Math.*

export const JS_FUNCTIONS: FnTable = table({
  exp: unary('exp'),
  log: unary('log'),
  log1p: unary('log1p'),
  expm1: unary('expm1'),
  log2: unary('log2'),
  log10: unary('log10'),
  sqrt: unaryWith(sqrt),
  cbrt: unaryWith((x) => pow(x, rat(1, 3))),
  pow: binary(pow),
  abs: unary('abs'),
  sign: unary('sign'),
  max: nested('max', 1),
  min: nested('min', 1),
  sin: unary('sin'),
  cos: unary('cos'),
  tan: unary('tan'),
  asin: unary('asin'),
  acos: unary('acos'),
  atan: unary('atan'),
  atan2: binary((y, x) => call('atan2', y, x)),
  sinh: unary('sinh'),
  cosh: unary('cosh'),
  tanh: unary('tanh'),
  asinh: unary('asinh'),
  acosh: unary('acosh'),
  atanh: unary('atanh'),
  hypot: {
    params: [],
    variadic: 1,
    build: (b) =>
      b.args.length === 1
        ? call('abs', b.expr(0))
        : sqrt(add(...b.args.map((_, i) => pow(b.expr(i), TWO)))),
  },
});

export const JS_CONSTANTS: Readonly<Record<string, Expr>> = {
  PI: { kind: 'const', name: 'pi' },
  E,
  SQRT2: sqrt(TWO),
  SQRT1_2: sqrt(HALF),
  LN2: call('log', TWO),
  LN10: call('log', int(10)),
  LOG2E: pow(call('log', TWO), NEG_ONE),
  LOG10E: pow(call('log', int(10)), NEG_ONE),
};

// ---------------------------------------------------------------------------
// Plain math (also used for LaTeX \operatorname{…} names and function commands)

const m1 = (fn: FnName): FnDef => def([req('x')], (b) => call(fn, b.expr(0)));
export const MATH_FUNCTIONS: FnTable = table(
  {
    exp: m1('exp'),
    ln: m1('log'),
    log2: m1('log2'),
    log10: m1('log10'),
    log1p: m1('log1p'),
    expm1: m1('expm1'),
    sqrt: def([req('x')], (b) => sqrt(b.expr(0))),
    cbrt: def([req('x')], (b) => pow(b.expr(0), rat(1, 3))),
    abs: m1('abs'),
    sign: m1('sign'),
    sin: m1('sin'),
    cos: m1('cos'),
    tan: m1('tan'),
    sec: m1('sec'),
    csc: m1('csc'),
    cot: m1('cot'),
    asin: m1('asin'),
    acos: m1('acos'),
    atan: m1('atan'),
    atan2: def([req('y'), req('x')], (b) => call('atan2', b.expr(0), b.expr(1))),
    sinh: m1('sinh'),
    cosh: m1('cosh'),
    tanh: m1('tanh'),
    asinh: m1('asinh'),
    acosh: m1('acosh'),
    atanh: m1('atanh'),
    erf: m1('erf'),
    sigmoid: m1('sigmoid'),
    relu: m1('relu'),
    leaky_relu: def([req('x'), req('a')], (b) => call('leaky_relu', b.expr(0), b.expr(1))),
    softplus: m1('softplus'),
    gelu: m1('gelu'),
    silu: m1('silu'),
    heaviside: m1('heaviside'),
    max: nested('max', 2),
    min: nested('min', 2),
    clip: def([req('x'), req('lo'), req('hi')], (b) => call('clip', b.expr(0), b.expr(1), b.expr(2))),
  },
  {
    log: 'ln',
    log_2: 'log2',
    log_10: 'log10',
    sgn: 'sign',
    arcsin: 'asin',
    arccos: 'acos',
    arctan: 'atan',
    arctan2: 'atan2',
    arsinh: 'asinh',
    arcsinh: 'asinh',
    arcosh: 'acosh',
    arccosh: 'acosh',
    artanh: 'atanh',
    arctanh: 'atanh',
    swish: 'silu',
    expit: 'sigmoid',
    lrelu: 'leaky_relu',
    leakyrelu: 'leaky_relu',
    'σ': 'sigmoid',
    sigma: 'sigmoid',
  },
);

/** `sin^{-1}` and friends. */
export const INVERSE: Readonly<Record<string, FnName>> = {
  sin: 'asin',
  cos: 'acos',
  tan: 'atan',
  sinh: 'asinh',
  cosh: 'acosh',
  tanh: 'atanh',
};

/** Does the definition take exactly one argument (so `sin x` without parentheses makes sense)? */
export function isUnaryDef(d: FnDef): boolean {
  return d.variadic === undefined && d.params.length === 1;
}
