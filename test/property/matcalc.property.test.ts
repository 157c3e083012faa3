/**
 * Property tests for core/matcalc: random well-shaped compositions of the
 * supported operators (X:(n,d), A:(d,d), w:(d,), v:(n,), c scalar). Each
 * gradient must pass the engine's finite-difference check (symbolic result and
 * printed NumPy code), and canonicalization must never change a value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matrixGradient, matrixHessian, matrixJacobian } from '../../core/matcalc/index';
import { variables } from '../../core/matcalc/ast';
import { evaluate, maxRelError } from '../../core/matcalc/numeric';
import { parseMatrix } from '../../core/matcalc/parse';
import { canon } from '../../core/matcalc/simplify';
import { parseShapeSpec } from '../../core/matcalc/shapes';
import { randomPoint } from '../../core/matcalc/index';

const SHAPES = 'X:(n,d),A:(d,d),w:(d,),v:(n,),c:()';
type T = 'S' | 'N' | 'D' | 'ND' | 'DD';

const arbs = fc.letrec<Record<T, string>>((tie) => ({
  S: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant('c'),
    tie('N').map((a) => `np.sum(${a})`),
    tie('ND').map((a) => `np.mean(${a})`),
    fc.tuple(tie('D'), tie('D')).map(([a, b]) => `(${a}) @ (${b})`),
    tie('D').map((a) => `np.linalg.norm(${a} + 3)`),
    tie('DD').map((a) => `np.trace(${a})`),
    fc.tuple(tie('S'), tie('S')).map(([a, b]) => `(${a}) * (${b})`),
    fc.tuple(tie('S'), tie('S')).map(([a, b]) => `(${a} + ${b})`),
    tie('D').map((a) => `logsumexp(${a})`),
    tie('S').map((a) => `np.tanh(${a})`),
  ),
  N: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant('v'),
    tie('D').map((a) => `X @ (${a})`),
    fc.tuple(tie('N'), tie('N')).map(([a, b]) => `(${a}) * (${b})`),
    fc.tuple(tie('N'), tie('N')).map(([a, b]) => `(${a} + ${b})`),
    tie('N').map((a) => `np.tanh(${a})`),
    tie('N').map((a) => `sigmoid(${a})`),
    tie('N').map((a) => `softmax(${a})`),
    tie('ND').map((a) => `np.sum(${a}, axis=1)`),
    fc.tuple(tie('S'), tie('N')).map(([a, b]) => `(${a}) * (${b})`),
    tie('N').map((a) => `(${a}) / (1 + (${a}) ** 2)`),
  ),
  D: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant('w'),
    tie('N').map((a) => `X.T @ (${a})`),
    tie('D').map((a) => `A @ (${a})`),
    tie('D').map((a) => `(${a}) @ A`),
    fc.tuple(tie('D'), tie('D')).map(([a, b]) => `(${a} - ${b})`),
    tie('D').map((a) => `np.sin(${a})`),
    tie('ND').map((a) => `np.mean(${a}, axis=0)`),
    tie('D').map((a) => `(${a}) ** 2`),
    tie('D').map((a) => `np.logaddexp(0, ${a})`),
  ),
  ND: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant('X'),
    fc.tuple(tie('ND'), tie('ND')).map(([a, b]) => `(${a}) * (${b})`),
    fc.tuple(tie('N'), tie('D')).map(([a, b]) => `np.outer(${a}, ${b})`),
    tie('DD').map((a) => `X @ (${a})`),
    tie('ND').map((a) => `np.tanh(${a})`),
    fc.tuple(tie('ND'), tie('D')).map(([a, b]) => `(${a} + ${b})`),
    fc.tuple(tie('ND'), tie('N')).map(([a, b]) => `(${a}) * (${b})[:, None]`),
    tie('ND').map((a) => `softmax(${a}, axis=1)`),
    tie('ND').map((a) => `log_softmax(${a}, axis=1)`),
    tie('ND').map((a) => `(${a}) / np.sum((${a}) ** 2 + 1, axis=0, keepdims=True)`),
  ),
  DD: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant('A'),
    fc.constant('A.T'),
    fc.tuple(tie('DD'), tie('DD')).map(([a, b]) => `(${a}) @ (${b})`),
    tie('ND').map((a) => `X.T @ (${a})`),
    fc.tuple(tie('D'), tie('D')).map(([a, b]) => `np.outer(${a}, ${b})`),
    fc.tuple(tie('DD'), tie('DD')).map(([a, b]) => `(${a} - ${b})`),
    tie('DD').map((a) => `(${a}).T`),
  ),
}));

describe('matcalc properties', () => {
  it('every gradient of a random composition agrees with finite differences', () => {
    fc.assert(
      fc.property(arbs.S, fc.integer({ min: 1, max: 1000 }), (text, seed) => {
        const r = matrixGradient(text, { shapes: SHAPES, seed, budgetMs: 20000 });
        if (!r.ok && r.error.kind === 'budget') return; // a result too large to print is refused, never wrong
        if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
        for (const g of r.gradient) {
          if (!g.check.passed) throw new Error(`${text} ∂/∂${g.wrt} = ${g.numpy}: ${JSON.stringify(g.check)}`);
          expect(g.shape).toEqual(r.variables.find((v) => v.name === g.wrt)!.shape);
        }
      }),
      { numRuns: 150, seed: 20261124 },
    );
  });

  it('Jacobians of random vector-valued compositions agree with finite differences', () => {
    fc.assert(
      fc.property(arbs.N, (text) => {
        const r = matrixJacobian(text, { shapes: SHAPES, budgetMs: 20000 });
        if (!r.ok) {
          // only the documented limitation may refuse: a matrix intermediate depending on a vector variable
          expect(r.error.kind).toBe('unsupported');
          expect(r.error.message).toMatch(/3-tensor|scalar and vector variables only/);
          return;
        }
        for (const g of r.gradient) if (!g.check.passed) throw new Error(`${text} ∂/∂${g.wrt} = ${g.numpy}: ${JSON.stringify(g.check)}`);
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('Hessians with respect to w agree with finite differences of the gradient', () => {
    let computed = 0;
    fc.assert(
      fc.property(arbs.S, (text) => {
        if (!text.includes('w')) return;
        const r = matrixHessian(text, { shapes: SHAPES, wrt: ['w'], budgetMs: 20000 });
        if (!r.ok) {
          expect(r.error.kind).toBe('unsupported');
          return;
        }
        computed++;
        if (!r.gradient[0]!.check.passed) throw new Error(`${text}: ${r.gradient[0]!.numpy}: ${JSON.stringify(r.gradient[0]!.check)}`);
      }),
      { numRuns: 40, seed: 11 },
    );
    expect(computed).toBeGreaterThanOrEqual(5); // not vacuous: most runs are computed, the rest refused as documented
  });

  it('canonicalization keeps the value', () => {
    fc.assert(
      fc.property(fc.oneof(arbs.S, arbs.N, arbs.ND, arbs.DD), fc.integer({ min: 1, max: 1000 }), (text, seed) => {
        const e = parseMatrix(text, { shapes: parseShapeSpec(SHAPES) }).expr;
        const c = canon(e);
        const vars = variables(e);
        const { env, dims } = randomPoint({ vars, targets: new Set(), expr: e }, seed, 'normal');
        const a = evaluate(e, env, dims);
        const b = evaluate(c, env, dims);
        expect(b.shape).toEqual(a.shape);
        expect(maxRelError(b, a)).toBeLessThan(1e-9);
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('never throws, whatever the text', () => {
    const pieces = fc.constantFrom('X', 'w', 'A', 'v', 'c', '@', '*', '+', '-', '/', '**', '(', ')', '[', ']', ',', '.T', 'np.sum(', 'np.linalg.inv(', 'softmax(', 'axis=1', ':', 'None', '2', '0.5', '\n', '=', 'h', 'np.', 'cross_entropy(', '#', "'fro'");
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 25 }), (parts) => {
        const text = parts.join('');
        for (const f of [matrixGradient, matrixJacobian, matrixHessian]) {
          const r = f(text, { shapes: SHAPES, budgetMs: 2000 });
          if (!r.ok) {
            expect(r.error.kind).not.toBe('internal');
            expect(r.error.offset).toBeGreaterThanOrEqual(0);
            expect(r.error.offset + r.error.length).toBeLessThanOrEqual(text.length);
          }
        }
      }),
      { numRuns: 400, seed: 5 },
    );
  });
});
