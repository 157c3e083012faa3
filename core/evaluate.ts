/**
 * Numeric evaluation of expression trees, compiled once to closures so the
 * numeric check can evaluate many points cheaply. Real-valued semantics as in
 * NumPy: log of a negative number is NaN, 1/0 is ±Infinity.
 */
import { type Expr, type FnName } from './expr';

export type Env = Readonly<Record<string, number>>;
export type Compiled = (env: Env) => number;

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** erf with max error ~1.2e-7 is not enough for a derivative check, so use a series / continued fraction. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: erf x = 2/√π Σ (−1)ⁿ x^{2n+1} / (n! (2n+1)); converges fast for |x| < 2.5.
    let sum = ax;
    let term = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    const v = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -v : v;
  }
  if (ax > 6) return x < 0 ? -1 : 1;
  // erfc via Lentz's continued fraction for larger |x|.
  let f = ax;
  let c = ax;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    d = ax + an * d;
    d = d === 0 ? 1e-300 : 1 / d;
    c = ax + an / c;
    if (c === 0) c = 1e-300;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / (f * Math.sqrt(Math.PI));
  const v = 1 - erfc;
  return x < 0 ? -v : v;
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** The numeric value of each one-argument function (NumPy's semantics: log(-1) is NaN); shared with core/explore/fast.ts. */
export const FN1: Partial<Record<FnName, (x: number) => number>> = {
  exp: Math.exp,
  log: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  sec: (x) => 1 / Math.cos(x),
  csc: (x) => 1 / Math.sin(x),
  cot: (x) => 1 / Math.tan(x),
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  erf,
  abs: Math.abs,
  sign: (x) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : x < 0 ? -1 : 0),
  heaviside: (x) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : 0),
  sigmoid,
  relu: (x) => (Number.isNaN(x) ? NaN : x > 0 ? x : 0),
  softplus,
  gelu: (x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))),
  silu: (x) => x * sigmoid(x),
};

/** x^y with real semantics: negative bases with odd-denominator rational exponents stay real (∛−8 = −2). */
function realPow(x: number, y: number, q: number | undefined): number {
  if (x < 0 && q !== undefined && q % 2 === 1 && !Number.isInteger(y)) {
    const p = Math.round(y * q);
    const r = -Math.pow(-x, 1 / q);
    return Math.pow(r, p);
  }
  return Math.pow(x, y);
}

export function compile(e: Expr): Compiled {
  switch (e.kind) {
    case 'num': {
      const v = e.p / e.q;
      return () => v;
    }
    case 'float': {
      const v = e.value;
      return () => v;
    }
    case 'const': {
      const v = e.name === 'pi' ? Math.PI : Math.E;
      return () => v;
    }
    case 'sym': {
      const name = e.name;
      return (env) => {
        const v = env[name];
        return v === undefined ? NaN : v;
      };
    }
    case 'add': {
      const fs = e.terms.map(compile);
      return (env) => {
        let s = 0;
        for (const f of fs) s += f(env);
        return s;
      };
    }
    case 'mul': {
      const fs = e.factors.map(compile);
      return (env) => {
        let s = 1;
        for (const f of fs) s *= f(env);
        return s;
      };
    }
    case 'pow': {
      const b = compile(e.base);
      const x = compile(e.exp);
      const q = e.exp.kind === 'num' ? e.exp.q : undefined;
      if (e.exp.kind === 'num' && e.exp.p === 1 && e.exp.q === 2) return (env) => Math.sqrt(b(env));
      return (env) => realPow(b(env), x(env), q);
    }
    case 'cmp': {
      const l = compile(e.left);
      const r = compile(e.right);
      switch (e.op) {
        case '<':
          return (env) => (l(env) < r(env) ? 1 : 0);
        case '<=':
          return (env) => (l(env) <= r(env) ? 1 : 0);
        case '>':
          return (env) => (l(env) > r(env) ? 1 : 0);
        case '>=':
          return (env) => (l(env) >= r(env) ? 1 : 0);
        case '==':
          return (env) => (l(env) === r(env) ? 1 : 0);
        case '!=':
          return (env) => (l(env) !== r(env) ? 1 : 0);
      }
      break;
    }
    case 'call': {
      const args = e.args.map(compile);
      const f1 = FN1[e.fn];
      if (f1) {
        const a = args[0]!;
        return (env) => f1(a(env));
      }
      const [a, b, c] = args as [Compiled, Compiled, Compiled];
      switch (e.fn) {
        case 'atan2':
          return (env) => Math.atan2(a(env), b(env));
        case 'max':
          return (env) => {
            const u = a(env);
            const v = b(env);
            return Number.isNaN(u) || Number.isNaN(v) ? NaN : Math.max(u, v);
          };
        case 'min':
          return (env) => {
            const u = a(env);
            const v = b(env);
            return Number.isNaN(u) || Number.isNaN(v) ? NaN : Math.min(u, v);
          };
        case 'where':
          // Like np.where, both branches are evaluated; only the chosen one matters.
          return (env) => {
            const cond = a(env);
            const u = b(env);
            const v = c(env);
            return Number.isNaN(cond) ? NaN : cond !== 0 ? u : v;
          };
        case 'clip':
          return (env) => {
            const x = a(env);
            const lo = b(env);
            const hi = c(env);
            return Math.min(Math.max(x, lo), hi);
          };
        case 'leaky_relu':
          return (env) => {
            const x = a(env);
            return x > 0 ? x : b(env) * x;
          };
        default:
          throw new Error(`cannot evaluate ${e.fn}`);
      }
    }
  }
}

export function evaluate(e: Expr, env: Env): number {
  return compile(e)(env);
}
