/**
 * How each language's spellings (`np.exp`, `F.leaky_relu`, `Math.hypot`, `ln`,
 * …) map onto the canonical expression tree, and the argument binding
 * (positional, keyword, defaults, arity errors) they share. The spellings
 * themselves come from the operation catalogue (core/ops/: `lookup`,
 * `spelled`); only calls that are not plain catalogue calls (a logarithm with
 * a base, clamp's optional bounds, hypot, …) have builders here.
 */
import { add, call, div, E, HALF, int, mul, NEG_ONE, ONE, pow, rat, sqrt, TWO, ZERO } from '../expr';
import type { Expr } from '../expr';
import { type Lib, type OpEntry, MODULE_LIBS, lookup, OPS, spelled } from '../ops';
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

/** A language's functions: by bare name, and by module prefix and name (`np`, `exp`). */
export interface FnTable {
  get(name: string): FnDef | undefined;
  has(name: string): boolean;
  /** The function `module.name` (module as written: `np`, `torch.nn.functional`). */
  resolve(module: string, name: string): FnDef | undefined;
}

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

/**
 * A catalogue entry as a call: its array arguments, then its scalar parameters
 * (optional, by keyword or position; missing ones take the catalogue's default),
 * and PyTorch's `inplace` flag for `torch.nn.functional` spellings.
 */
function entryDef(e: OpEntry, plain = false): FnDef {
  const taken = new Set(e.params.flatMap((p) => [p.name, ...(p.aliases ?? [])]));
  const first: Param = { name: X.name, aliases: X.aliases!.filter((a) => !taken.has(a)) };
  const arrays: Param[] = e.arity === 1 ? [first] : [first, OTHER, req('third')].slice(0, e.arity);
  const params: Param[] = e.params.map((p) => opt(p.name, ...(p.aliases ?? [])));
  const extra = !plain && e.spell.F ? [opt('inplace')] : [];
  return def([...arrays, ...params, ...extra], (b) => {
    const args = arrays.map((_, i) => b.expr(i));
    const ps = e.params.map((_, i) => b.opt(e.arity + i));
    const given = ps.findIndex((p) => p === undefined);
    return call(e.name, ...args, ...(given < 0 ? (ps as Expr[]) : (ps.slice(0, given) as Expr[])));
  });
}

const DEFS = new Map<OpEntry, FnDef>(OPS.map((e) => [e, entryDef(e)]));
const PLAIN_DEFS = new Map<OpEntry, FnDef>(OPS.map((e) => [e, entryDef(e, true)]));

/** A language: its own builders first, then the catalogue's spellings in `libs` (bare names), or by module. */
function language(special: Readonly<Record<string, Special>>, libs: readonly Lib[] | 'any', plain = false): FnTable {
  const defs = plain ? PLAIN_DEFS : DEFS;
  const own = (name: string): Special | undefined => (Object.prototype.hasOwnProperty.call(special, name) ? special[name] : undefined);
  const bare = (name: string): OpEntry | undefined => {
    if (libs === 'any') return lookup('', name);
    for (const l of libs) {
      const e = spelled(l, name);
      if (e) return e;
    }
    return undefined;
  };
  const get = (name: string): FnDef | undefined => {
    const s = own(name);
    if (s) return s;
    const e = bare(name);
    return e ? defs.get(e) : undefined;
  };
  return {
    get,
    has: (name) => get(name) !== undefined,
    resolve(module, name) {
      const s = own(name);
      if (s && !s.bareOnly && (!s.modules || s.modules.some((l) => MODULE_LIBS[module]?.includes(l)))) return s;
      const e = lookup(module, name);
      return e ? defs.get(e) : undefined;
    },
  };
}

/** A builder that exists only in some libraries (`np.hypot`, not `F.hypot`). */
type Special = FnDef & { modules?: readonly Lib[] };
const only = (libs: readonly Lib[], d: FnDef): Special => ({ ...d, modules: libs });

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

/** GELU: exact by default (PyTorch), the tanh approximation with approximate='tanh' (and by default in jax.nn). */
function geluDef(): FnDef {
  return def([X, opt('approximate')], (b) => {
    const x = b.expr(0);
    const a = b.args[1];
    let approx = b.module.startsWith('jax');
    if (a) {
      if (a.value.kind === 'str') {
        if (a.value.value === 'tanh') approx = true;
        else if (a.value.value === 'none') approx = false;
        else b.fail(`approximate must be 'none' or 'tanh', not '${a.value.value}'`, 1);
      } else if (a.value.kind === 'expr' && (isLiteral(a.value.expr, 1) || isLiteral(a.value.expr, 0))) {
        approx = isLiteral(a.value.expr, 1);
      } else b.fail("approximate must be 'none' or 'tanh'", 1);
    }
    return call(approx ? 'gelu_tanh' : 'gelu', x);
  });
}

/** softplus with PyTorch's beta: softplus(βx)/β. */
function softplusDef(name: string): FnDef {
  return def([X, opt('beta'), opt('threshold')], (b) => {
    const x = b.expr(0);
    const beta = b.opt(1);
    if (!beta || isLiteral(beta, 1)) return call(name, x);
    return div(call(name, mul(beta, x)), beta);
  });
}

/** math.log(x, base) takes an optional base. */
function logDef(name: string): FnDef {
  return def([X, opt('base')], (b) => {
    const x = b.expr(0);
    const base = b.opt(1);
    return base ? div(call(name, x), call(name, base)) : call(name, x);
  });
}

const byName = (name: string, plain = true): FnDef => (plain ? PLAIN_DEFS : DEFS).get(lookup('', name)!)!;

// ---------------------------------------------------------------------------
// Python: NumPy, PyTorch (torch, torch.nn.functional), math, scipy.special, JAX

const SOFTPLUS = lookup('F', 'softplus')!.name;
const LOG = lookup('np', 'log')!.name;
const power = binary(pow, [req('input', 'x1', 'base', 'x', 'a'), req('exponent', 'x2', 'exp', 'b')]);
const clip = clampDef(opt('min', 'a_min'), opt('max', 'a_max'));

const PYTHON_SPECIAL: Readonly<Record<string, Special>> = {
  log: logDef(LOG),
  softplus: softplusDef(SOFTPLUS),
  gelu: geluDef(),
  rsqrt: unaryWith((x) => pow(x, rat(-1, 2))),
  power,
  pow: power,
  float_power: power,
  heaviside: def([req('input', 'x1', 'x'), opt('values', 'x2', 'h0')], (b) => call('heaviside', b.expr(0))),
  max: nested('max', 2, true),
  min: nested('min', 2, true),
  where: def([req('condition', 'cond'), req('input', 'x'), req('other', 'y')], (b) =>
    call('where', b.expr(0), b.expr(1), b.expr(2)),
  ),
  clip,
  clamp: clip,
  clamp_min: binary((x, lo) => call('max', x, lo), [X, req('min')]),
  clamp_max: binary((x, hi) => call('min', x, hi), [X, req('max')]),
  relu6: only(['F'], def([X, opt('inplace')], (b) => call('clip', b.expr(0), ZERO, int(6)))),
  hardtanh: only(['F'], def([X, opt('min_val'), opt('max_val'), opt('inplace')], (b) =>
    call('clip', b.expr(0), b.opt(1) ?? NEG_ONE, b.opt(2) ?? ONE),
  )),
  logaddexp: only(['numpy', 'torch'], binary(logaddexp)),
  hypot: only(['numpy', 'torch', 'math'], binary(hypot)),
  /** jax.nn.swish */
  swish: only(['F'], byName('silu', false)),
  float: { ...unaryWith((x) => x), bareOnly: true },
};

export const PYTHON_FUNCTIONS: FnTable = language(PYTHON_SPECIAL, 'any');

/** Tensor methods that leave the value unchanged (`x.float()`, `x.item()`). */
const IDENTITY = unaryWith((x) => x);
const METHOD_SPECIAL: Readonly<Record<string, Special>> = {
  ...Object.fromEntries(Object.entries(PYTHON_SPECIAL).filter(([, d]) => !d.bareOnly)),
  item: IDENTITY,
  float: IDENTITY,
  double: IDENTITY,
  clone: IDENTITY,
  contiguous: IDENTITY,
};
export const PYTHON_METHODS: FnTable = language(METHOD_SPECIAL, 'any');

/** Python module prefixes (from the catalogue's module list). */
export const PYTHON_MODULES: readonly string[] = Object.keys(MODULE_LIBS).filter((m) => !MODULE_LIBS[m]!.includes('js'));

export const PYTHON_CONSTANTS: Readonly<Record<string, Expr>> = {
  pi: { kind: 'const', name: 'pi' },
  e: E,
  tau: mul(TWO, { kind: 'const', name: 'pi' }),
};

// ---------------------------------------------------------------------------
// JavaScript: Math.*

export const JS_FUNCTIONS: FnTable = language(
  {
    pow: binary(pow),
    max: nested('max', 1),
    min: nested('min', 1),
    hypot: {
      params: [],
      variadic: 1,
      build: (b) =>
        b.args.length === 1 ? call('abs', b.expr(0)) : sqrt(add(...b.args.map((_, i) => pow(b.expr(i), TWO)))),
    },
  },
  ['js'],
);

export const JS_CONSTANTS: Readonly<Record<string, Expr>> = {
  PI: { kind: 'const', name: 'pi' },
  E,
  SQRT2: sqrt(TWO),
  SQRT1_2: sqrt(HALF),
  LN2: call(LOG, TWO),
  LN10: call(LOG, int(10)),
  LOG2E: pow(call(LOG, TWO), NEG_ONE),
  LOG10E: pow(call(LOG, int(10)), NEG_ONE),
};

// ---------------------------------------------------------------------------
// Plain math (also used for LaTeX \operatorname{…} names and function commands)

export const MATH_FUNCTIONS: FnTable = language(
  {
    max: nested('max', 2),
    min: nested('min', 2),
    clip: def([req('x'), req('lo'), req('hi')], (b) => call('clip', b.expr(0), b.expr(1), b.expr(2))),
    atan2: def([req('y'), req('x')], (b) => call('atan2', b.expr(0), b.expr(1))),
    log_2: byName('log2'),
    log_10: byName('log10'),
  },
  ['plain', 'math', 'js'],
  true,
);

/** `sin^{-1}` and friends: f ↦ the catalogue's inverse, spelled arcf or af. */
export const INVERSE: Readonly<Record<string, string>> = Object.fromEntries(
  OPS.flatMap((e) => (e.spell.plain ?? []).map((s) => [s, spelled('plain', `a${s}`)?.name] as const)).filter(
    (p): p is readonly [string, string] => p[1] !== undefined,
  ),
);

/** Does the definition take exactly one argument (so `sin x` without parentheses makes sense)? */
export function isUnaryDef(d: FnDef): boolean {
  return d.variadic === undefined && d.params.length === 1;
}
