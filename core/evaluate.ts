/**
 * Numeric evaluation of expression trees, compiled once to closures so the
 * numeric check can evaluate many points cheaply. Real-valued semantics as in
 * NumPy: log of a negative number is NaN, 1/0 is ±Infinity.
 */
import { type Expr, type FnName } from './expr';
import { op } from './ops';

export type Env = Readonly<Record<string, number>>;
export type Compiled = (env: Env) => number;

const NO_PARAMS: readonly number[] = [];

/**
 * The value of a one-argument catalogue function without parameters, as a
 * plain function (the catalogue's `forward`: stable, PyTorch's semantics);
 * shared with core/explore/fast.ts. Undefined for other functions.
 */
export function unaryValue(fn: FnName): ((x: number) => number) | undefined {
  const entry = op(fn);
  if (!entry || entry.arity !== 1 || entry.params.length) return undefined;
  const arg = [NaN];
  return (x) => {
    arg[0] = x;
    return entry.forward(arg, NO_PARAMS);
  };
}

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
      const f1 = unaryValue(e.fn);
      if (f1) {
        const a = args[0]!;
        return (env) => f1(a(env));
      }
      const entry = op(e.fn);
      if (!entry) throw new Error(`cannot evaluate ${e.fn}`);
      // Every argument is evaluated (as np.where evaluates both branches); the catalogue picks.
      const n = entry.arity;
      return (env) => {
        const vals = args.map((f) => f(env));
        return entry.forward(vals.slice(0, n), vals.slice(n));
      };
    }
  }
}

export function evaluate(e: Expr, env: Env): number {
  return compile(e)(env);
}
