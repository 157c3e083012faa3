/**
 * Matrix calculus reads its elementwise functions from the operation catalogue (core/ops): for each
 * of the 36 functions of issue 11 (and the catalogue's extra cases: parameters, the tanh GELU),
 * spelled as in test/fixtures/ops/torch-ops.json (NumPy, `F.`, torch, SciPy):
 *
 *  - `matrixGradient('np.sum(f(x))')` with x:(n,), and `np.sum(f(X) * A)` with X:(m, n), succeed and
 *    pass their own numeric check (the symbolic result and its printed NumPy code against central
 *    differences);
 *  - the printed NumPy code, evaluated at concrete points, equals the catalogue's `gradient(entry, …)`
 *    there (times A for the matrix case), including at kinks and at large |x|: the vector case with
 *    test/fixtures/evaluate.ts (an evaluator that shares no code with the engine), the matrix case
 *    with matcalc's own parser and evaluator, as matcalc-fixtures.test.ts does.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matrixGradient } from '../../core/matcalc/index';
import type { MatOk, MatResult } from '../../core/matcalc/index';
import { variable } from '../../core/matcalc/ast';
import { bindDims, evaluate, tensor } from '../../core/matcalc/numeric';
import { parseMatrix } from '../../core/matcalc/parse';
import { gradient, opOf } from '../../core/ops/index';
import { evaluateNumpy } from '../fixtures/evaluate';

interface OpCase {
  id: string;
  name: string;
  args: string[];
  params: number[];
  spellings: string[];
  points: number[];
  grad: number[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/ops/torch-ops.json', import.meta.url), 'utf8')) as {
  cases: OpCase[];
  extra: OpCase[];
};

const close = (a: number, b: number): boolean =>
  a === b || Math.abs(a - b) <= 1e-10 * Math.max(Math.abs(a), Math.abs(b)) || Math.abs(a - b) <= 1e-12;

function ok(r: MatResult, what: string): MatOk {
  if (!r.ok) throw new Error(`${what}: ${r.error.message}`);
  return r;
}

/** The catalogue's derivative in x at x (for np.maximum(0, x): the partial in the second argument). */
function catalogueGradient(c: OpCase, x: number): number {
  const args = c.args.map((a) => (a === 'x' ? x : Number(a)));
  return gradient(opOf(c.name), args, c.params)[c.args.indexOf('x')]!;
}

const A = [0.5, -1.25, 2, 0.75, -0.3, 1.5];

describe('matrix calculus over the catalogue: 36 functions, vectors and matrices', () => {
  it('covers the 36 functions of the issue', () => {
    expect(fixture.cases.length).toBe(36);
  });
  for (const c of [...fixture.cases, ...fixture.extra]) {
    for (const spelling of c.spellings) {
      it(`${c.id}: np.sum(${spelling}) with x:(n,)`, () => {
        const text = `np.sum(${spelling})`;
        const r = ok(matrixGradient(text, { shapes: 'x:(n,)', wrt: ['x'] }), text);
        const g = r.gradient[0]!;
        expect(g.shape).toEqual(['n']);
        expect(g.check.passed, `${text}: ${JSON.stringify(g.check)}`).toBe(true);
        const bad: string[] = [];
        for (const x of c.points) {
          const got = evaluateNumpy(g.numpy, { x });
          const want = catalogueGradient(c, x);
          if (!close(got, want)) bad.push(`x = ${x}: ${got} (catalogue ${want})`);
        }
        expect(bad, `${text} → ${g.numpy}`).toEqual([]);
      });
      it(`${c.id}: np.sum(${spelling.replace(/\bx\b/g, 'X')} * A) with X:(m, n)`, () => {
        const text = `np.sum(${spelling.replace(/\bx\b/g, 'X')} * A)`;
        const r = ok(matrixGradient(text, { shapes: 'X:(m,n),A:(m,n)', wrt: ['X'] }), text);
        const g = r.gradient[0]!;
        expect(g.shape).toEqual(['m', 'n']);
        expect(g.check.passed, `${text}: ${JSON.stringify(g.check)}`).toBe(true);
        // a 2 × 3 matrix of the fixture's moderate points (kinks included), cycling if there are fewer
        const moderate = c.points.filter((x) => Math.abs(x) <= 3);
        const X = Array.from({ length: 6 }, (_, i) => moderate[i % moderate.length]!);
        const env = new Map([['X', tensor([2, 3], X)], ['A', tensor([2, 3], A)]]);
        const shapes = new Map([['X', ['m', 'n']], ['A', ['m', 'n']]] as [string, string[]][]);
        const code = parseMatrix(g.numpy, { shapes, maxLength: 1e6 }).expr;
        const got = evaluate(code, env, bindDims([variable('X', ['m', 'n']), variable('A', ['m', 'n'])], env));
        expect(got.shape).toEqual([2, 3]);
        const bad: string[] = [];
        X.forEach((x, i) => {
          const want = A[i]! * catalogueGradient(c, x);
          if (!close(got.data[i]!, want)) bad.push(`X = ${x}: ${got.data[i]} (catalogue ${want})`);
        });
        expect(bad, `${text} → ${g.numpy}`).toEqual([]);
      });
    }
  }
});

describe('kinks: np.maximum is not relu', () => {
  it("np.maximum(0, x) splits the gradient at 0 in half (PyTorch's maximum); relu's is 0", () => {
    const max = ok(matrixGradient('np.sum(np.maximum(0, x))', { shapes: 'x:(n,)' }), 'max').gradient[0]!;
    const relu = ok(matrixGradient('np.sum(F.relu(x))', { shapes: 'x:(n,)' }), 'relu').gradient[0]!;
    expect(evaluateNumpy(max.numpy, { x: 0 })).toBe(0.5);
    expect(evaluateNumpy(relu.numpy, { x: 0 })).toBe(0);
    expect(max.latex).toBe('\\mathbf{1}_{[x > 0]} + \\frac{1}{2} \\mathbf{1}_{[x = 0]}');
    expect(relu.latex).toBe('\\mathbf{1}_{[x > 0]}');
  });
  it('relu(NaN) is NaN, as in PyTorch', () => {
    const shapes = new Map([['x', ['n']]] as [string, string[]][]);
    const f = parseMatrix('F.relu(x)', { shapes }).expr;
    const env = new Map([['x', tensor([2], [NaN, 1])]]);
    const v = evaluate(f, env, bindDims([variable('x', ['n'])], env));
    expect(Number.isNaN(v.data[0]!)).toBe(true);
    expect(v.data[1]).toBe(1);
  });
  it('rule formulas in the steps are the catalogue’s', () => {
    const r = ok(matrixGradient('np.sum(F.softsign(x))', { shapes: 'x:(n,)' }), 'softsign');
    const step = r.gradient[0]!.steps.find((s) => s.rule === 'chain rule (elementwise softsign)')!;
    expect(step.latex).toContain(opOf('softsign').derivative.formula);
    expect(r.gradient[0]!.latex).toBe('\\mathbf{1} \\oslash \\left(1 + \\left|x\\right|\\right)^{\\circ 2}');
  });
});

describe('spellings from the catalogue', () => {
  it('module, bare, SciPy and method spellings reach the same entry', () => {
    const groups: [string, string[]][] = [
      ['sigmoid', ['sigmoid(X)', 'expit(X)', 'scipy.special.expit(X)', 'special.expit(X)', 'torch.sigmoid(X)', 'F.sigmoid(X)', 'X.sigmoid()']],
      ['erf', ['torch.special.erf(X)', 'scipy.special.erf(X)', 'torch.erf(X)']],
      ['tanh', ['np.tanh(X)', 'torch.tanh(X)', 'jnp.tanh(X)', 'F.tanh(X)', 'X.tanh()', 'numpy.tanh(X)']],
      ['gelu', ['F.gelu(X)', 'torch.nn.functional.gelu(X)', "F.gelu(X, approximate='none')"]],
      ['exp', ['np.exp(X)', 'X.exp()', 'torch.exp(X)']],
    ];
    for (const [name, spellings] of groups) {
      const latex = new Set<string>();
      for (const s of spellings) {
        const r = ok(matrixGradient(`np.sum(${s} * A)`, { shapes: 'X:(m,n),A:(m,n)', wrt: ['X'] }), s);
        expect(r.gradient[0]!.check.passed, s).toBe(true);
        expect(r.gradient[0]!.steps.map((st) => st.rule), s).toContain(`chain rule (elementwise ${name})`);
        latex.add(r.gradient[0]!.latex);
      }
      expect(latex.size, name).toBe(1);
    }
  });
  it('unknown keywords and non-default fixed keywords are refused, not ignored', () => {
    const r = matrixGradient("np.sum(F.gelu(x, approximate='fast'))", { shapes: 'x:(n,)' });
    expect(r.ok).toBe(false);
    const r2 = matrixGradient('np.sum(F.elu(x, beta=2))', { shapes: 'x:(n,)' });
    expect(!r2.ok && r2.error.message).toBe('F.elu: keyword beta is unsupported');
  });
  it('names follow the one LaTeX convention; the natural log is \\ln', () => {
    const r = ok(matrixGradient('np.sum(np.log(loss) * w)', { shapes: 'loss:(n,),w:(n,)', wrt: ['w'] }), 'log');
    expect(r.gradient[0]!.latex).toBe('\\ln\\left(\\mathit{loss}\\right)');
  });
});
