/**
 * Property tests of the statistics engine (fast-check, seeded): invariants of the
 * descriptive statistics under shifts and scalings, the distributions' cdf/sf/ppf
 * relations over random parameters, the two-sample statistics' symmetries, and that no
 * input makes an entry point throw.
 */
import fc from 'fast-check';
import { describe as suite, expect, it } from 'vitest';
import { analyzeData, describe, distribution, mannWhitneyU, pearson, spearman, tTestIndependent } from '../../core/stats/index';

const SEED = 20240605;
const sample = (min = 1, max = 60) => fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), { minLength: min, maxLength: max });
const relClose = (a: number, b: number, tol: number, scale = 0): boolean => Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b), scale);

suite('descriptive statistics', () => {
  it('order of the summary and histogram totals', () => {
    fc.assert(
      fc.property(sample(), (xs) => {
        const r = describe(xs);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const d = r.value;
        expect(d.min).toBeLessThanOrEqual(d.quartiles.q1);
        expect(d.quartiles.q1).toBeLessThanOrEqual(d.quartiles.median);
        expect(d.quartiles.median).toBeLessThanOrEqual(d.quartiles.q3);
        expect(d.quartiles.q3).toBeLessThanOrEqual(d.max);
        expect(d.variance.population).toBeGreaterThanOrEqual(0);
        expect(d.histogram.counts.reduce((a, b) => a + b, 0)).toBe(xs.length);
        expect(d.histogram.edges.length).toBe(d.histogram.counts.length + 1);
        expect(d.box.whiskerLow).toBeLessThanOrEqual(d.box.q1);
        expect(d.box.whiskerHigh).toBeGreaterThanOrEqual(d.box.q3);
        expect(d.box.outlierCount).toBe(xs.filter((v) => v < d.box.whiskerLow || v > d.box.whiskerHigh).length);
        expect(xs.filter((v) => v === d.mode.value).length).toBe(d.mode.count);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
  it('shift and scale: the mean and std follow, skewness and kurtosis do not change', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }).map((v) => v / 1000), { minLength: 4, maxLength: 40 }), fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: 0.01, max: 100, noNaN: true }), (xs, shift, scale) => {
        const a = describe(xs);
        const b = describe(xs.map((v) => v * scale + shift));
        if (!a.ok || !b.ok) throw new Error('describe failed');
        const s = a.value.std.population;
        const magnitude = Math.max(...xs.map(Math.abs));
        fc.pre(s > 1e-6 * magnitude); // well-conditioned spread
        expect(relClose(b.value.mean, a.value.mean * scale + shift, 1e-9, magnitude * scale + Math.abs(shift))).toBe(true);
        expect(relClose(b.value.std.population, s * scale, 1e-8)).toBe(true);
        expect(relClose(b.value.skewness.biased!, a.value.skewness.biased!, 1e-6, 1e-3)).toBe(true);
        expect(relClose(b.value.kurtosis.biased!, a.value.kurtosis.biased!, 1e-6, 1e-3)).toBe(true);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

const params: Record<string, fc.Arbitrary<Record<string, number>>> = {
  normal: fc.record({ mu: fc.double({ min: -100, max: 100, noNaN: true }), sigma: fc.double({ min: 0.01, max: 100, noNaN: true }) }),
  uniform: fc.tuple(fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: 0.01, max: 50, noNaN: true })).map(([a, w]) => ({ a, b: a + w })),
  beta: fc.record({ alpha: fc.double({ min: 0.1, max: 200, noNaN: true }), beta: fc.double({ min: 0.1, max: 200, noNaN: true }) }),
  gamma: fc.record({ k: fc.double({ min: 0.05, max: 500, noNaN: true }), theta: fc.double({ min: 0.01, max: 100, noNaN: true }) }),
  exponential: fc.record({ lambda: fc.double({ min: 0.001, max: 1000, noNaN: true }) }),
  t: fc.record({ nu: fc.double({ min: 0.3, max: 1e4, noNaN: true }) }),
  binomial: fc.record({ n: fc.integer({ min: 0, max: 5000 }), p: fc.double({ min: 0, max: 1, noNaN: true }) }),
  poisson: fc.record({ lambda: fc.double({ min: 0.01, max: 2000, noNaN: true }) }),
  bernoulli: fc.record({ p: fc.double({ min: 0, max: 1, noNaN: true }) }),
};

suite('distributions', () => {
  for (const [name, arb] of Object.entries(params)) {
    it(`${name}: cdf + sf = 1, cdf monotone, ppf inverts cdf`, () => {
      fc.assert(
        fc.property(arb, fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), (p, q1, q2) => {
          const r = distribution(name, p);
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          const d = r.value;
          const [lo, hi] = q1 < q2 ? [q1, q2] : [q2, q1];
          const x1 = d.ppf(lo);
          const x2 = d.ppf(hi);
          expect(x1).toBeLessThanOrEqual(x2 + 1e-12 * Math.abs(x2)); // quantiles 1 ulp apart may meet within the solver's precision
          for (const x of [x1, x2]) {
            const c = d.cdf(x);
            const s = d.sf(x);
            expect(c).toBeGreaterThanOrEqual(0);
            expect(c).toBeLessThanOrEqual(1);
            expect(Math.abs(c + s - 1)).toBeLessThan(1e-12);
            expect(d.pdf(x)).toBeGreaterThanOrEqual(0);
          }
          expect(d.cdf(x1)).toBeLessThanOrEqual(d.cdf(x2) * (1 + 1e-12) + 1e-15);
          if (d.discrete) {
            // The smallest k with cdf(k) ≥ q.
            expect(d.cdf(x1)).toBeGreaterThanOrEqual(lo * (1 - 1e-12));
            if (x1 > d.support[0]) expect(d.cdf(x1 - 1)).toBeLessThan(lo);
          } else if (d.pdf(x1) > 0 && Number.isFinite(x1)) {
            expect(Math.abs(d.cdf(x1) - lo)).toBeLessThan(1e-9 * Math.max(lo, 1e-300) + 1e-12);
          }
        }),
        { seed: SEED, numRuns: 150 },
      );
    });
  }
});

suite('two-sample statistics', () => {
  it('correlations are symmetric and bounded; t and U mirror when the samples swap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 30 }).chain((n) => fc.tuple(sample(n, n), sample(n, n))),
        ([x, y]) => {
          const a = pearson(x, y);
          const b = pearson(y, x);
          if (a.ok && b.ok) {
            expect(Math.abs(a.value.r)).toBeLessThanOrEqual(1);
            expect(relClose(a.value.r, b.value.r, 1e-12, 1e-15)).toBe(true);
            expect(a.value.p).toBeGreaterThanOrEqual(0);
            expect(a.value.p).toBeLessThanOrEqual(1);
          }
          const s = spearman(x, y);
          if (s.ok) expect(Math.abs(s.value.r)).toBeLessThanOrEqual(1);
          const t1 = tTestIndependent(x, y, false);
          const t2 = tTestIndependent(y, x, false);
          if (t1.ok && t2.ok) {
            expect(relClose(t1.value.t, -t2.value.t, 1e-12, 1e-12)).toBe(true);
            expect(relClose(t1.value.p, t2.value.p, 1e-12, 1e-300)).toBe(true);
            expect(t1.value.ci[0]).toBeLessThanOrEqual(t1.value.meanDiff);
            expect(t1.value.ci[1]).toBeGreaterThanOrEqual(t1.value.meanDiff);
          }
          const u1 = mannWhitneyU(x, y);
          const u2 = mannWhitneyU(y, x);
          if (u1.ok && u2.ok) {
            expect(u1.value.U1 + u1.value.U2).toBe(x.length * y.length);
            expect(u1.value.U1).toBe(u2.value.U2);
            expect(relClose(u1.value.p, u2.value.p, 1e-12, 1e-300)).toBe(true);
          }
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });
});

suite('never throws', () => {
  it('analyzeData on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.array(fc.oneof(fc.double(), fc.constantFrom('nan', 'inf', '', 'x')), { maxLength: 30 }).map((a) => `[${a.join(', ')}]`)), (text) => {
        expect(() => analyzeData(text)).not.toThrow();
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
  it('distribution on arbitrary parameters', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(params), 'nope'), fc.dictionary(fc.constantFrom('mu', 'sigma', 'a', 'b', 'n', 'p', 'lambda', 'alpha', 'beta', 'k', 'theta', 'nu'), fc.oneof(fc.double(), fc.integer(), fc.string())), (name, p) => {
        expect(() => {
          const r = distribution(name, p);
          if (r.ok) {
            r.value.pdf(0.5);
            r.value.cdf(0.5);
            r.value.ppf(0.5);
          }
        }).not.toThrow();
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
