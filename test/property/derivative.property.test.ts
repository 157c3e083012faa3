/**
 * Property tests: for random expressions, the symbolic derivative agrees with
 * a finite difference, and simplification never changes a value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Expr, type FnName, add, call, children, div, int, mul, pow, rat, sub, sym } from '../../core/expr';
import { differentiate } from '../../core/diff';
import { compile } from '../../core/evaluate';
import { expandWhereSmaller, simplify } from '../../core/simplify';
import { toText } from '../../core/print';

const SMOOTH: FnName[] = ['exp', 'log', 'sin', 'cos', 'tan', 'atan', 'sinh', 'cosh', 'tanh', 'sigmoid', 'softplus', 'erf', 'gelu', 'silu', 'asinh', 'log1p', 'expm1'];

const leaf = fc.oneof(
  fc.constantFrom<Expr>(sym('x'), sym('y'), sym('x'), sym('y')),
  fc.integer({ min: -4, max: 5 }).map((n) => int(n)),
  fc.constantFrom<Expr>(rat(1, 2), rat(-3, 4)),
);

const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => add(a, b)),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => sub(a, b)),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => mul(a, b)),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => div(a, b)),
    fc.tuple(tie('expr'), fc.integer({ min: -3, max: 4 })).map(([a, n]) => pow(a, int(n))),
    fc.tuple(tie('expr'), fc.constantFrom(rat(1, 2), rat(3, 2))).map(([a, r]) => pow(a, r)),
    fc.tuple(fc.constantFrom(...SMOOTH), tie('expr')).map(([f, a]) => call(f, a)),
  ),
}));

function fd(f: (env: Record<string, number>) => number, env: Record<string, number>, v: string, scale = 1e-4): number {
  const h = scale * Math.max(1, Math.abs(env[v]!));
  const at = (d: number) => f({ ...env, [v]: env[v]! + d });
  const d1 = (at(h) - at(-h)) / (2 * h);
  const d2 = (at(h / 2) - at(-h / 2)) / h;
  return (4 * d2 - d1) / 3;
}

// Points on a fine grid, offset so they avoid exact zeros and integers (where kinks and poles sit).
const coord = fc.integer({ min: -2000, max: 2000 }).map((n) => n / 1000 + 0.000137);
/** Every subexpression finite at the point (no 1/0 hidden inside a finite value). */
function healthy(e: Expr, env: Record<string, number>): boolean {
  const stack: Expr[] = [e];
  while (stack.length) {
    const x = stack.pop()!;
    const v = compile(x)(env);
    if (!Number.isFinite(v) || Math.abs(v) > 1e12) return false;
    for (const c of children(x)) stack.push(c);
  }
  return true;
}

const point = fc.record({ x: coord, y: coord });

describe('property: derivatives match finite differences', () => {
  it('for random smooth expressions in x and y', () => {
    let compared = 0;
    fc.assert(
      fc.property(expr, point, (e, env) => {
        const f = compile(e);
        const f0 = f(env);
        if (!Number.isFinite(f0) || Math.abs(f0) > 1e6 || !healthy(e, env)) return true;
        for (const v of ['x', 'y']) {
          const d = compile(simplify(differentiate(simplify(e), v).raw));
          const sym = d(env);
          // Underflow (e^{-10^9} = 0) makes 0·∞ = NaN in floating point; nothing to learn there.
          if (!Number.isFinite(sym) && Math.abs(f0) < 1e-100) continue;
          const num = fd(f, env, v);
          if (!Number.isFinite(num) || Math.abs(num) > 1e6) continue;
          // Skip points where the function is badly conditioned (near poles or branch points).
          // (two step sizes disagree there, so the finite difference itself is not trustworthy)
          const other = fd(f, env, v, 2e-5);
          if (!(Math.abs(other - num) < 1e-7 * Math.max(1, Math.abs(num)))) continue;
          const err = Math.abs(sym - num) / Math.max(1, Math.abs(num));
          if (!(err < 1e-5)) throw new Error(`d/d${v} of ${toText(e)} at ${JSON.stringify(env)}: symbolic ${sym}, numeric ${num}`);
          compared++;
        }
        return true;
      }),
      { numRuns: 1500, seed: 20261124 },
    );
    // Most runs must really compare something, or the property proves nothing.
    expect(compared).toBeGreaterThan(1500);
  });
});

describe('property: simplification (and expansion where smaller) keeps values', () => {
  it('wherever the original is defined', () => {
    fc.assert(
      fc.property(expr, point, (e, env) => {
        const before = compile(e)(env);
        if (!Number.isFinite(before) || Math.abs(before) > 1e8 || !healthy(e, env)) return true;
        const after = compile(expandWhereSmaller(simplify(e)))(env);
        const err = Math.abs(after - before) / Math.max(1, Math.abs(before));
        if (!(err < 1e-9)) throw new Error(`${toText(e)} → ${toText(simplify(e))} at ${JSON.stringify(env)}: ${before} vs ${after}`);
        return true;
      }),
      { numRuns: 3000, seed: 7 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const once = simplify(e);
        expect(toText(simplify(once))).toBe(toText(once));
      }),
      { numRuns: 1500, seed: 11 },
    );
  });
});
