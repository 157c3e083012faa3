/**
 * Closures for the explorer's tight loops (a 400 × 400 grid, thousands of
 * optimizer steps). `evaluate.ts` compiles to closures over an environment
 * object, which is general but pays a keyed lookup per variable and a generic
 * `Math.pow` per power; here the one or two variables are positional
 * arguments, small integer powers are multiplications and binary sums and
 * products are unrolled. No code is generated as text (no `eval`, no
 * `new Function`: the webview's CSP and the extension's security rules forbid
 * it): these are ordinary closures.
 *
 * Anything not specialized here (piecewise functions, atan2, …) falls back to
 * evaluate.ts's closure for that subtree, reading a shared environment that
 * the root closure fills before each call, so the numeric semantics are the
 * engine's (NumPy's real semantics: log(−1) is NaN, 1/0 is ±∞).
 */
import type { Expr } from '../expr';
import { type Compiled, compile, unaryValue } from '../evaluate';

/** f(a, b): the variables bound by position (b is ignored for functions of one variable). */
export type Fn2 = (a: number, b: number) => number;
export type Fn1 = (x: number) => number;

/**
 * Compile `e` as a function of `vars` (one or two names, by position). Other
 * free symbols evaluate to NaN, as in evaluate.ts.
 */
export function compileFast(e: Expr, vars: readonly string[]): Fn2 {
  const v0 = vars[0];
  const v1 = vars[1];
  const env: Record<string, number> = {};
  if (v0 !== undefined) env[v0] = NaN;
  if (v1 !== undefined) env[v1] = NaN;
  let usesEnv = false;
  const fallback = (x: Expr): Fn2 => {
    usesEnv = true;
    const c: Compiled = compile(x);
    return () => c(env);
  };

  const go = (x: Expr): Fn2 => {
    switch (x.kind) {
      case 'num': {
        const v = x.p / x.q;
        return () => v;
      }
      case 'float': {
        const v = x.value;
        return () => v;
      }
      case 'const': {
        const v = x.name === 'pi' ? Math.PI : Math.E;
        return () => v;
      }
      case 'sym':
        if (x.name === v0) return (a) => a;
        if (x.name === v1) return (_a, b) => b;
        return () => NaN;
      case 'add': {
        const fs = x.terms.map(go);
        if (fs.length === 2) {
          const [f, g] = fs as [Fn2, Fn2];
          return (a, b) => f(a, b) + g(a, b);
        }
        if (fs.length === 3) {
          const [f, g, h] = fs as [Fn2, Fn2, Fn2];
          return (a, b) => f(a, b) + g(a, b) + h(a, b);
        }
        return (a, b) => {
          let s = 0;
          for (let i = 0; i < fs.length; i++) s += fs[i]!(a, b);
          return s;
        };
      }
      case 'mul': {
        const first = x.factors[0]!;
        // A numeric coefficient times the rest.
        if ((first.kind === 'num' || first.kind === 'float') && x.factors.length === 2) {
          const c = first.kind === 'num' ? first.p / first.q : first.value;
          const g = go(x.factors[1]!);
          return (a, b) => c * g(a, b);
        }
        const fs = x.factors.map(go);
        if (fs.length === 2) {
          const [f, g] = fs as [Fn2, Fn2];
          return (a, b) => f(a, b) * g(a, b);
        }
        if (fs.length === 3) {
          const [f, g, h] = fs as [Fn2, Fn2, Fn2];
          return (a, b) => f(a, b) * g(a, b) * h(a, b);
        }
        return (a, b) => {
          let s = 1;
          for (let i = 0; i < fs.length; i++) s *= fs[i]!(a, b);
          return s;
        };
      }
      case 'pow': {
        const base = go(x.base);
        const ex = x.exp;
        if (ex.kind === 'num' && ex.q === 1) {
          switch (ex.p) {
            case 1:
              return base;
            case 2:
              return (a, b) => {
                const u = base(a, b);
                return u * u;
              };
            case 3:
              return (a, b) => {
                const u = base(a, b);
                return u * u * u;
              };
            case 4:
              return (a, b) => {
                const u = base(a, b);
                const u2 = u * u;
                return u2 * u2;
              };
            case -1:
              return (a, b) => 1 / base(a, b);
            case -2:
              return (a, b) => {
                const u = base(a, b);
                return 1 / (u * u);
              };
            default: {
              const p = ex.p;
              return (a, b) => Math.pow(base(a, b), p);
            }
          }
        }
        if (ex.kind === 'num' && ex.p === 1 && ex.q === 2) return (a, b) => Math.sqrt(base(a, b));
        if (ex.kind === 'num' && ex.p === -1 && ex.q === 2) return (a, b) => 1 / Math.sqrt(base(a, b));
        if (ex.kind === 'num' && ex.q % 2 === 1) return fallback(x); // real odd roots of negative bases
        if (x.base.kind === 'const' && x.base.name === 'e') {
          const g = go(ex);
          return (a, b) => Math.exp(g(a, b));
        }
        const g = go(ex);
        return (a, b) => Math.pow(base(a, b), g(a, b));
      }
      case 'call': {
        const f1 = unaryValue(x.fn);
        if (f1) {
          const u = go(x.args[0]!);
          return (a, b) => f1(u(a, b));
        }
        return fallback(x);
      }
      case 'cmp':
        return fallback(x);
    }
  };
  const root = go(e);
  if (!usesEnv) return root;
  const k0 = v0 ?? '\u0000';
  const k1 = v1 ?? '\u0001';
  return (a, b) => {
    env[k0] = a;
    env[k1] = b;
    return root(a, b);
  };
}

/** A function of one variable. */
export function compile1(e: Expr, v: string): Fn1 {
  const f = compileFast(e, [v]);
  return (x) => f(x, 0);
}
