// Properties of the optimizers (and of the plot sampler's pole handling), with fast-check.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type F2, type Grad2, type OptimizerName, OPTIMIZER_NAMES, initState, runOne, runOptimizers, step } from '../../core/explore/optim';
import { samplePlot } from '../../core/explore/sample';

const quad = (a: number, b: number): { f: F2; grad: Grad2 } => ({
  f: (x, y) => a * x * x + b * y * y,
  grad: (x, y, out) => {
    out[0] = 2 * a * x;
    out[1] = 2 * b * y;
  },
});

const coef = fc.double({ min: 0.1, max: 10, noNaN: true });
const coord = fc.double({ min: -100, max: 100, noNaN: true });
const nonzero = fc.tuple(fc.double({ min: 1e-3, max: 100, noNaN: true }), fc.boolean()).map(([m, neg]) => (neg ? -m : m));
const name = fc.constantFrom<OptimizerName>(...OPTIMIZER_NAMES);

describe('optimizer properties', () => {
  it('GD on a convex quadratic with η < 1/L decreases the loss at every step and never diverges', () => {
    fc.assert(
      fc.property(coef, coef, coord, coord, fc.double({ min: 0.01, max: 0.99, noNaN: true }), (a, b, x0, y0, frac) => {
        const { f, grad } = quad(a, b);
        const lr = frac / (2 * Math.max(a, b));
        const r = runOne('gd', grad, f, [x0, y0], { lr }, 100);
        expect(r.diverged).toBeUndefined();
        for (let t = 1; t < r.losses.length; t++) expect(r.losses[t]!).toBeLessThanOrEqual(r.losses[t - 1]!);
      }),
      { numRuns: 200 },
    );
  });

  it('every optimizer acts coordinate-wise: a separable objective gives the same steps as two 1-D problems', () => {
    fc.assert(
      fc.property(name, coef, coef, coord, coord, fc.double({ min: 1e-4, max: 0.2, noNaN: true }), (n, a, b, x0, y0, lr) => {
        const { f, grad } = quad(a, b);
        const both = runOne(n, grad, f, [x0, y0], { lr }, 30);
        const s1 = initState(n, 1);
        const s2 = initState(n, 1);
        const p1 = new Float64Array([x0]);
        const p2 = new Float64Array([y0]);
        for (let t = 1; t <= both.steps; t++) {
          step(s1, p1, [2 * a * p1[0]!], { lr });
          step(s2, p2, [2 * b * p2[0]!], { lr });
          expect(both.points[2 * t]).toBe(p1[0]);
          expect(both.points[2 * t + 1]).toBe(p2[0]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("Adam's first step moves each coordinate by η against the gradient's sign (up to ε)", () => {
    fc.assert(
      fc.property(nonzero, nonzero, fc.double({ min: 1e-4, max: 1, noNaN: true }), (gx, gy, lr) => {
        const s = initState('adam', 2);
        const p = new Float64Array([0, 0]);
        step(s, p, [gx, gy], { lr });
        // θ₁ = −η g/(|g| + ε): off by η ε/|g| at most.
        expect(Math.abs(p[0]! + lr * Math.sign(gx))).toBeLessThanOrEqual((lr * 1e-8) / Math.abs(gx) + 1e-15);
        expect(Math.abs(p[1]! + lr * Math.sign(gy))).toBeLessThanOrEqual((lr * 1e-8) / Math.abs(gy) + 1e-15);
      }),
    );
  });

  it('runs never throw; kept points are finite, within the bound, and their losses are f at them', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.double({ min: 1e-6, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        fc.integer({ min: 0, max: 300 }),
        (x0, y0, lr, mu, steps) => {
          const f: F2 = (x, y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
          const grad: Grad2 = (x, y, out) => {
            out[0] = -2 * (1 - x) - 400 * x * (y - x * x);
            out[1] = 200 * (y - x * x);
          };
          const runs = runOptimizers(grad, f, [x0, y0], { lr, momentum: mu }, steps);
          const bound = 1e6 * Math.max(1, Math.abs(x0), Math.abs(y0));
          for (const r of runs) {
            expect(r.points.length).toBe(2 * (r.steps + 1));
            expect(r.losses.length).toBe(r.steps + 1);
            if (!r.diverged) expect(r.steps).toBe(steps);
            else expect(r.diverged.step).toBe(r.steps + 1);
            for (let t = 0; t <= r.steps; t++) {
              const x = r.points[2 * t]!;
              const y = r.points[2 * t + 1]!;
              expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);
              expect(Math.abs(x) <= bound && Math.abs(y) <= bound).toBe(true);
              expect(r.losses[t]).toBe(f(x, y));
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('sampler properties', () => {
  it('a pole 1e-19 or 1e-9 from a sample is split at the right place (counterexamples fast-check found), and a steep exponential is not a pole', () => {
    for (const [c, n] of [[-1.3092507324143487e-19, 57], [1.3092507324143487e-19, 57], [1e-9, 663], [-1e-9, 663]] as const) {
      const fn = { variable: 'x', f: (x: number) => 1 / (x - c), df: (x: number) => -1 / ((x - c) * (x - c)), d2f: null, kinkZeros: [] };
      const s = samplePlot(fn, -5, 5, n); // x = 0 is a sample
      expect(s.asymptotes.length).toBe(1);
      expect(Math.abs(s.asymptotes[0]! - c)).toBeLessThan(1e-9);
      for (const segs of [s.f, s.df]) for (const seg of segs) for (let i = 0; i + 2 < seg.length; i += 2) expect(seg[i]! < c && seg[i + 2]! > c).toBe(false);
    }
    const steep = { variable: 'x', f: (x: number) => Math.exp(100 * x), df: (x: number) => 100 * Math.exp(100 * x), d2f: null, kinkZeros: [] };
    const e = samplePlot(steep, -5, 5, 57);
    expect(e.asymptotes).toEqual([]);
  });

  it('a simple pole 1/(x − c) anywhere in the view is located and never drawn across', () => {
    fc.assert(
      fc.property(fc.double({ min: -4.9, max: 4.9, noNaN: true }), fc.integer({ min: 50, max: 800 }), (c, n) => {
        const fn = { variable: 'x', f: (x: number) => 1 / (x - c), df: (x: number) => -1 / ((x - c) * (x - c)), d2f: null, kinkZeros: [] };
        const s = samplePlot(fn, -5, 5, n);
        expect(s.asymptotes.length).toBe(1);
        expect(Math.abs(s.asymptotes[0]! - c)).toBeLessThan(1e-9);
        for (const segs of [s.f, s.df])
          for (const seg of segs) for (let i = 0; i + 2 < seg.length; i += 2) expect(seg[i]! < c && seg[i + 2]! > c).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
