/**
 * The NumPy oracle (test/fixtures/matcalc/numpy-fd.json, written by generate.py):
 * each result's NumPy code, parsed back and evaluated by our dense evaluator at
 * the fixture's arrays, and the symbolic result itself, must match NumPy's
 * central finite differences to 1e-6 relative.
 */
import { describe, expect, test } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { matrixGradient, matrixHessian, matrixJacobian } from '../../core/matcalc/index';
import type { MatResult } from '../../core/matcalc/index';
import { variable, variables } from '../../core/matcalc/ast';
import { bindDims, evaluate, tensor } from '../../core/matcalc/numeric';
import type { Env, Tensor } from '../../core/matcalc/numeric';
import { parseMatrix } from '../../core/matcalc/parse';
import { parseShapeSpec } from '../../core/matcalc/shapes';

interface Arr { shape: number[]; data: number[] }
/** `assume`: course code given to the engine with no shape (option assumeVectors); `shapes` is what it must assume. */
interface Case { id: string; expr: string; shapes: string; inputs: Record<string, Arr>; wrt: string[]; assume?: true }

const TOL = 1e-6;

interface Fixture {
  gradients: (Case & { value: number; grad: Record<string, Arr> })[];
  jacobians: (Case & { jacobian: Record<string, Arr> })[];
  hessians: (Case & { hessian: Arr })[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/matcalc/numpy-fd.json', import.meta.url), 'utf8')) as Fixture;

function envOf(c: Case): Env {
  return new Map(Object.entries(c.inputs).map(([k, v]) => [k, tensor(v.shape, v.data)]));
}

/** Evaluates NumPy code with our own parser and evaluator, sizes read from the arrays. */
function runCode(code: string, c: Case, env: Env): Tensor {
  const shapes = parseShapeSpec(c.shapes);
  const node = parseMatrix(code, { shapes }).expr;
  const declared = [...shapes].map(([name, shape]) => variable(name, shape));
  return evaluate(node, env, bindDims([...declared, ...variables(node)], env));
}

function relErr(got: Tensor, want: Arr): number {
  expect(got.data.length).toBe(want.data.length);
  let e = 0;
  want.data.forEach((w, i) => (e = Math.max(e, Math.abs(got.data[i]! - w) / Math.max(1, Math.abs(w)))));
  return e;
}

function okResult(r: MatResult, id: string) {
  if (!r.ok) throw new Error(`${id}: ${r.error.message}`);
  return r;
}

/** The engine's options for a case: its declared shapes, or none and the vector assumption, which must give exactly them. */
function optionsOf(c: Case) {
  return c.assume ? { assumeVectors: true, wrt: c.wrt } : { shapes: c.shapes, wrt: c.wrt };
}
function expectAssumed(r: MatResult, c: Case): void {
  if (!c.assume || !r.ok) return;
  const spec = [...parseShapeSpec(c.shapes)];
  expect(Object.fromEntries((r.assumed ?? []).map((a) => [a.name, a.shape])), `${c.id}: assumed shapes`).toEqual(Object.fromEntries(spec.filter(([, s]) => s.length > 0)));
  expect(Object.fromEntries(r.variables.map((v) => [v.name, v.shape])), `${c.id}: every shape`).toEqual(Object.fromEntries(spec));
  expect(r.notes.some((n) => n.startsWith('No shape declared: assumed vectors')), `${c.id}: the note`).toBe(true);
}

const worst = { gradient: 0, jacobian: 0, hessian: 0 };
/** Every code evaluated here, for `generate.py --check-code` (runs it under real NumPy). */
const codes: { kind: string; id: string; wrt: string; code: string }[] = [];

describe('NumPy finite differences: gradients', () => {
  test('at least 60 expressions, 10 of them course code with no shape declared', () => {
    expect(fixture.gradients.length).toBeGreaterThanOrEqual(60);
    expect(fixture.gradients.filter((c) => c.assume).length).toBeGreaterThanOrEqual(10);
  });
  for (const c of fixture.gradients) {
    test(c.id, () => {
      const env = envOf(c);
      const r = okResult(matrixGradient(c.expr, optionsOf(c)), c.id);
      expectAssumed(r, c);
      // the expression itself, as we read it, has NumPy's value
      expect(relErr(runCode(r.expression.numpy, c, env), { shape: [], data: [c.value] })).toBeLessThan(1e-9);
      for (const g of r.gradient) {
        const want = c.grad[g.wrt]!;
        codes.push({ kind: 'gradients', id: c.id, wrt: g.wrt, code: g.numpy });
        const e = relErr(runCode(g.numpy, c, env), want);
        worst.gradient = Math.max(worst.gradient, e);
        expect(e, `${c.id} ∂/∂${g.wrt}: ${g.numpy}`).toBeLessThan(TOL);
        expect(g.check.passed, `${c.id} ∂/∂${g.wrt} self-check`).toBe(true);
        expect(want.shape.length).toBe(g.shape.length);
      }
      expect(r.gradient.map((g) => g.wrt)).toEqual(c.wrt);
    });
  }
});

describe('NumPy finite differences: Jacobians', () => {
  for (const c of fixture.jacobians) {
    test(c.id, () => {
      const env = envOf(c);
      const r = okResult(matrixJacobian(c.expr, optionsOf(c)), c.id);
      expectAssumed(r, c);
      for (const g of r.gradient) {
        codes.push({ kind: 'jacobians', id: c.id, wrt: g.wrt, code: g.numpy });
        const e = relErr(runCode(g.numpy, c, env), c.jacobian[g.wrt]!);
        worst.jacobian = Math.max(worst.jacobian, e);
        expect(e, `${c.id} ∂/∂${g.wrt}: ${g.numpy}`).toBeLessThan(TOL);
        expect(g.check.passed).toBe(true);
      }
    });
  }
});

describe('NumPy finite differences: Hessians (second differences, h = 1e-4)', () => {
  for (const c of fixture.hessians) {
    test(c.id, () => {
      const env = envOf(c);
      const r = okResult(matrixHessian(c.expr, { shapes: c.shapes, wrt: c.wrt }), c.id);
      expect(r.gradient.length).toBe(1);
      codes.push({ kind: 'hessians', id: c.id, wrt: r.gradient[0]!.wrt, code: r.gradient[0]!.numpy });
      const e = relErr(runCode(r.gradient[0]!.numpy, c, env), c.hessian);
      worst.hessian = Math.max(worst.hessian, e);
      expect(e, `${c.id}: ${r.gradient[0]!.numpy}`).toBeLessThan(1e-4);
      expect(r.gradient[0]!.check.passed).toBe(true);
    });
  }
  test('worst agreement', () => {
    // printed for the record; the per-case bounds above are the assertions
    mkdirSync(new URL('../../test-output/', import.meta.url), { recursive: true });
    writeFileSync(new URL('../../test-output/matcalc-codes.json', import.meta.url), JSON.stringify(codes));
    console.log(`worst relative error vs NumPy FD: gradients ${worst.gradient.toExponential(2)}, Jacobians ${worst.jacobian.toExponential(2)}, Hessians ${worst.hessian.toExponential(2)}`);
  });
});
