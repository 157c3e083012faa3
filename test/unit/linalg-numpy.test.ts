/**
 * The linear-algebra engine against NumPy (test/fixtures/linalg/numpy-linalg.json,
 * written by test/fixtures/linalg/generate.py with Debian's NumPy).
 *
 * Agreement is 1e-9 relative, with one honest floor: eigenvalues, singular values and
 * determinants that are more than 10⁴ times smaller than the matrix's scale are only
 * determined to about eps·‖A‖ by any backward-stable method (NumPy's too), so they are
 * compared to 1e-9 · 10⁻⁴ · scale absolute. See core/linalg/README.md.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeMatrix, type MatrixAnalysisOk } from '../../core/linalg/index';

interface Case {
  name: string;
  kind: string;
  matrix: number[][];
  shape: [number, number];
  rank: number;
  trace: number | null;
  det: number | null;
  norms: { fro: number; one: number; two: number; inf: number };
  cond: number | string;
  singularValues: number[];
  eigenvalues: { re: number; im: number }[] | null;
  properties: Record<string, boolean>;
  pinv: number[][];
  pca?: { mean: number[]; explainedVariance: number[]; components: number[][] };
}

const fixture = JSON.parse(readFileSync('test/fixtures/linalg/numpy-linalg.json', 'utf8')) as { numpy: string; cases: Case[] };
const REL = 1e-9;
const FLOOR = 1e-4;
const EPS = 2 ** -52;

function close(actual: number | null | undefined, expected: number, scale: number, what: string, rel = REL): void {
  expect(actual, what).not.toBeNull();
  expect(actual, what).not.toBeUndefined();
  const tol = rel * Math.max(Math.abs(expected), FLOOR * scale);
  if (!(Math.abs(actual! - expected) <= tol)) throw new Error(`${what}: ${actual} vs NumPy ${expected} (tolerance ${tol.toExponential(2)})`);
}

function analyze(c: Case): MatrixAnalysisOk {
  const r = analyzeMatrix({ shape: c.shape, data: c.matrix.flat() }, { budgetMs: 60_000 });
  if (!r.ok) throw new Error(`${c.name}: ${r.error.message}`);
  return r;
}

describe(`NumPy ${fixture.numpy} fixtures`, () => {
  it('has a few dozen matrices of every kind', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(36);
    const kinds = new Set(fixture.cases.map((c) => c.kind));
    for (const k of ['random', 'symmetric', 'spd', 'singular', 'tall', 'wide', 'orthogonal', 'triangular', 'complex', 'ill-conditioned', '1x1', 'diagonal', 'data']) expect(kinds, k).toContain(k);
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const r = analyze(c);
      const [m, n] = c.shape;
      const scale = c.norms.two;
      expect(r.shape).toEqual(c.shape);
      expect(r.rank, 'rank').toBe(c.rank);
      expect(r.properties, 'properties').toEqual(c.properties);
      // Trace and norms: sums of entries, compared relative to the matrix's scale.
      if (c.trace === null) expect(r.trace).toBeNull();
      else close(r.trace, c.trace, c.norms.fro, 'trace');
      close(r.norms.fro, c.norms.fro, scale, 'fro');
      close(r.norms.one, c.norms.one, scale, 'one');
      close(r.norms.inf, c.norms.inf, scale, 'inf');
      close(r.norms.two, c.norms.two, scale, 'two');
      // Singular values, descending.
      expect(r.singularValues!.length).toBe(Math.min(m, n));
      for (let i = 1; i < r.singularValues!.length; i++) expect(r.singularValues![i]!).toBeLessThanOrEqual(r.singularValues![i - 1]!);
      c.singularValues.forEach((s, i) => close(r.singularValues![i], s, scale, `σ${i}`));
      // Determinant: its natural scale is σ_max^n.
      if (c.det === null) expect(r.det).toBeNull();
      else close(r.det, c.det, scale ** n, 'det');
      // Condition number: relative error up to about cond·eps for any method.
      if (c.rank === Math.min(m, n) && typeof c.cond === 'number') close(r.cond, c.cond, c.cond, 'cond', REL + 10 * c.cond * EPS);
      // Eigenvalues sorted by real part, then imaginary part.
      if (c.eigenvalues === null) expect(r.eigenvalues).toBeNull();
      else {
        expect(r.eigenvalues!.length).toBe(n);
        c.eigenvalues.forEach((e, i) => {
          close(r.eigenvalues![i]!.re, e.re, scale, `λ${i}.re`);
          close(r.eigenvalues![i]!.im, e.im, scale, `λ${i}.im`);
        });
        for (let i = 1; i < n; i++) {
          const a = r.eigenvalues![i - 1]!;
          const b = r.eigenvalues![i]!;
          expect(a.re < b.re || (a.re === b.re && a.im <= b.im), 'sorted').toBe(true);
        }
      }
      // Pseudo-inverse: error grows like cond(kept part)·eps; skipped when a singular
      // value sits near NumPy's cut-off (1e-15·σ_max), where either choice is right.
      const s = c.singularValues;
      const ambiguous = s.some((x) => x > 1e-17 * s[0]! && x < 1e-13 * s[0]!);
      if (!ambiguous && s[0]! > 0) {
        const kept = s.filter((x) => x > 1e-15 * s[0]!);
        const condKept = s[0]! / kept[kept.length - 1]!;
        const pmax = Math.max(...c.pinv.flat().map(Math.abs));
        const tol = (REL + 100 * condKept * EPS) * pmax;
        const P = r.decompositions!.pinv!;
        c.pinv.forEach((row, i) => row.forEach((x, j) => {
          if (!(Math.abs(P[i]![j]! - x) <= tol)) throw new Error(`pinv[${i}][${j}]: ${P[i]![j]} vs NumPy ${x}`);
        }));
      }
      // PCA: explained variance and (where the variances are well separated) the axes.
      if (c.pca) {
        const p = r.decompositions!.pca!;
        const ev = c.pca.explainedVariance;
        c.pca.mean.forEach((x, i) => close(p.mean[i], x, c.norms.fro, `mean${i}`));
        ev.forEach((x, i) => close(p.explainedVariance[i], x, ev[0]!, `variance${i}`));
        ev.forEach((x, i) => {
          const gap = Math.min(...ev.filter((_, j) => j !== i).map((y) => Math.abs(y - x)), Infinity);
          if (x < 1e-6 * ev[0]! || gap < 1e-3 * ev[0]!) return;
          c.pca!.components[i]!.forEach((v, j) => close(p.components[i]![j], v, 1, `axis${i}[${j}]`));
        });
      }
    });
  }
});
