/**
 * The operation catalogue's types. One `OpEntry` per operation: its
 * spellings, its numeric value, its derivative (written once, generically,
 * over any engine's expression type through `Builder`), its kinks, its LaTeX,
 * its NumPy code and its shape class. Engines read entries; they never
 * switch on an operation's name.
 */

/** The libraries (and notations) an operation is spelled in. */
export type Lib =
  /** `np.` / `numpy.` / `jnp.` */
  | 'numpy'
  /** `torch.` */
  | 'torch'
  /** `torch.nn.functional` / `F.` / `nn.functional` */
  | 'F'
  /** a tensor method: `x.exp()`, micrograd's `x.tanh()` */
  | 'method'
  /** Python's `math.` */
  | 'math'
  /** JavaScript's `Math.` */
  | 'js'
  /** `scipy.special.` / `special.` */
  | 'scipy'
  /** plain math notation and LaTeX `\operatorname{…}` names (`ln`, `ReLU`, `σ`) */
  | 'plain'
  /** a bare Python builtin (`abs(x)`, `max(a, b)`) */
  | 'builtin';

/** A comparison, as used by piecewise derivatives. */
export type CmpOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

/**
 * What a derivative formula is built with. Each engine implements it over its
 * own expression type: the scalar engine builds `Expr`, matrix calculus its
 * elementwise nodes, the numeric evaluator plain numbers (`NUMBERS`).
 */
export interface Builder<T> {
  /** The rational p/q. */
  num(p: number, q?: number): T;
  /** π */
  pi(): T;
  add(...terms: T[]): T;
  sub(a: T, b: T): T;
  mul(...factors: T[]): T;
  div(a: T, b: T): T;
  neg(a: T): T;
  pow(base: T, exp: T): T;
  /** Another catalogue operation applied to arguments (`call('sigmoid', x)`). */
  call(name: string, ...args: T[]): T;
  /** 1 where `a op b` holds, else 0 (a condition for `where`). */
  cmp(op: CmpOp, a: T, b: T): T;
  /** `cond ? a : b`, elementwise. */
  where(cond: T, a: T, b: T): T;
}

/** A scalar parameter of an operation that is not differentiated through (leaky ReLU's slope). */
export interface ParamSpec {
  /** PyTorch's keyword name (`negative_slope`). */
  name: string;
  /** Other keywords accepted (`alpha`). */
  aliases?: readonly string[];
  /** The default value. */
  default: number;
}

/** A point where the operation is not differentiable, and what the derivative formula gives there. */
export interface Kink {
  /** The argument value (for a binary operation: where the two arguments are equal). */
  at: number;
  /** Why the derivative is a convention there, for a note to the user. */
  note: string;
}

/** How the shape interpreter treats the operation. */
export type ShapeClass = 'elementwise';

export interface Derivative {
  /** The rule's name in a derivation's steps ("sigmoid rule"). */
  rule: string;
  /** The rule as LaTeX, with x the argument: `\sigma'(x) = \sigma(x)(1 - \sigma(x))`. */
  formula: string;
  /**
   * The partial derivatives with respect to each array argument, built with `b`.
   * `args` are the arguments, `params` the scalar parameters (at their defaults when not given).
   * At a kink the formula gives PyTorch's value (ReLU′(0) = 0, |x|′(0) = 0, maximum splits a tie in half).
   */
  d<T>(b: Builder<T>, args: readonly T[], params: readonly T[]): T[];
  /**
   * The partial derivatives with respect to each scalar parameter, for engines that let a parameter be an
   * expression (leaky ReLU's slope `a` in the scalar engine). Omitted when there are no parameters.
   */
  dparams?<T>(b: Builder<T>, args: readonly T[], params: readonly T[]): T[];
}

export interface OpEntry {
  /** The canonical name (an identifier; the scalar engine's function name). */
  name: string;
  /** What a learner calls it ("leaky ReLU"). */
  title: string;
  /** Number of array arguments. */
  arity: number;
  /** Scalar parameters after the array arguments, with their defaults. */
  params: readonly ParamSpec[];
  /** Spellings per library (without the module prefix). */
  spell: Readonly<Partial<Record<Lib, readonly string[]>>>;
  /**
   * Engines that keep powers as powers build this instead of a call:
   * square(x) → x², reciprocal(x) → x⁻¹, sqrt(x) → x^{1/2}, exp2(x) → 2^x.
   */
  expand?<T>(b: Builder<T>, args: readonly T[]): T;
  /** The LaTeX command for the function's name (`\sigma`, `\operatorname{softplus}`); used in rule formulas and graph labels. */
  latexName: string;
  /** The LaTeX of a call, from its arguments' LaTeX (already parenthesised as an argument needs). */
  latex(args: readonly string[], params: readonly string[]): string;
  /**
   * NumPy code of a call from its arguments' code, with the same value as `forward` on the whole domain
   * (`np.cbrt(x)`, never `x**(1/3)`, which is NaN for negative x). `params` are already code.
   */
  numpy(args: readonly string[], params: readonly string[]): string;
  /** The value (PyTorch's float64 semantics, numerically stable; NaN in, NaN out). */
  forward(args: readonly number[], params: readonly number[]): number;
  derivative: Derivative;
  /** Points where it is not differentiable. */
  kinks: readonly Kink[];
  /** Where it is real-valued: the numeric checks sample inside. */
  domain: 'real' | 'positive' | 'nonnegative' | 'unit' | 'open-unit' | 'above-one';
  shape: ShapeClass;
  /**
   * PyTorch keyword arguments accepted only at their defaults, in positional order after `params`
   * (F.softplus's beta=1, threshold=20): a parser refuses other values.
   */
  fixed?: readonly ParamSpec[];
  /**
   * PyTorch returns x itself (gradient 1) for x above this (F.softplus's threshold). Engines that
   * reproduce PyTorch's numbers (the backprop graph) apply it; symbolic derivatives ignore it.
   */
  linearAbove?: number;
  /** Its values are never negative (so |f(u)| = f(u)): exp, cosh, |x|, σ, ReLU, softplus, the step. */
  nonnegative?: boolean;
  /**
   * The operation's name in a computational graph's JSON (`mathlens backprop`), where it differs from the
   * entry's name: NumPy's `maximum`/`minimum` for `max`/`min` (the name the CLI's contract has always used).
   */
  graphName?: string;
  /** String keyword arguments that select another entry: `{ approximate: { tanh: 'gelu_tanh', none: 'gelu' } }`. */
  selects?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}
