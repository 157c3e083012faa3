/**
 * The statistics engine against SciPy 1.10 / NumPy 1.24 (test/fixtures/stats/scipy-stats.json,
 * written by test/fixtures/stats/generate.py with Debian's packages).
 *
 * Agreement: 1e-9 relative (`REL`) for every statistic, p-value and distribution value, with
 * these documented floors (core/stats/README.md, "Accuracy"):
 * - values SciPy gets by catastrophic cancellation (a skewness of symmetric data that is
 *   0 in exact arithmetic, a t statistic of identical means) are compared to 1e-14
 *   absolute, scaled by the data's magnitude where the statistic has units;
 * - SciPy's normal CDF flushes results below ~1e-308 to 0 where we return the subnormal
 *   value: both are accepted below 1e-300;
 * - SciPy's Student t quantile (cdflib's stdtrit) is itself only good to ~2e-9 relative;
 *   there the fixture's mpmath value is the reference at 1e-11 and SciPy's is met at 5e-9;
 *   confidence intervals (estimate ± t_{0.975}·SE) are met at 1e-9 against the interval
 *   with mpmath's quantile, and against SciPy's within its quantile's error (5e-9·t·SE);
 * - SciPy reports the mean of t with ν ≤ 1 as inf; it is undefined, and we return null;
 * - SciPy 1.10 (Boost) gives bernoulli(1).ppf(0.5) = 0 although P(X = 0) = 0; we give 1.
 */
import { readFileSync } from 'node:fs';
import { describe as suite, expect, it } from 'vitest';
import { describe, type Descriptive } from '../../core/stats/describe';
import { distribution } from '../../core/stats/distributions';
import * as S from '../../core/stats/special';
import { linearRegression, mannWhitneyU, pearson, spearman, tTestIndependent, tTestPaired, type Outcome } from '../../core/stats/tests';
import { bayes } from '../../core/stats/distributions';

type Num = number | string | null;
const fixture = JSON.parse(readFileSync('test/fixtures/stats/scipy-stats.json', 'utf8'));
const REL = 1e-9;
const ABS = 1e-14;

function val(v: Num): number | null {
  if (v === null) return null;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v as number;
}

/** |a − e| ≤ REL·|e| + ABS·scale; null/NaN expected ⇒ null actual. */
function close(actual: number | null | undefined, expectedRaw: Num, what: string, scale = 1, rel = REL): void {
  const e = val(expectedRaw);
  if (e === null) {
    if (!(actual === null || Number.isNaN(actual))) throw new Error(`${what}: expected undefined (SciPy nan), got ${actual}`);
    return;
  }
  if (actual === null || actual === undefined) throw new Error(`${what}: got null, SciPy ${e}`);
  if (!Number.isFinite(e)) {
    if (actual !== e) throw new Error(`${what}: ${actual} vs SciPy ${e}`);
    return;
  }
  const tol = rel * Math.abs(e) + ABS * scale;
  if (!(Math.abs(actual - e) <= tol)) throw new Error(`${what}: ${actual} vs SciPy ${e} (rel ${(Math.abs(actual - e) / Math.abs(e)).toExponential(2)})`);
}

function checkCi(v: { ci: [number, number]; tCritical: number; se: number; t: number }, e: { ci: Num[]; ciExact: Num[] | null }, what: string, scale: number): void {
  if (!Number.isFinite(v.t)) {
    expect(v.ci[0]).toBe(v.ci[1]);
    return;
  }
  const slack = 5e-9 * v.tCritical * v.se;
  close(v.ci[0], e.ciExact![0]!, `${what} ci low (exact t quantile)`, scale);
  close(v.ci[1], e.ciExact![1]!, `${what} ci high (exact t quantile)`, scale);
  for (const i of [0, 1]) {
    const s = val(e.ci[i]!)!;
    if (!(Math.abs(v.ci[i]! - s) <= slack + REL * Math.abs(s))) throw new Error(`${what} ci[${i}]: ${v.ci[i]} vs SciPy ${s}`);
  }
}

const ok = <T>(r: Outcome<T>): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

suite('descriptive statistics vs NumPy/SciPy', () => {
  for (const c of fixture.describe) {
    it(c.name, () => {
      const e = c.expected;
      const r = describe(c.data as number[]);
      expect(r.ok).toBe(true);
      const d = (r as { value: Descriptive }).value;
      const scale = Math.max(...(c.data as number[]).map(Math.abs));
      expect(d.n).toBe(e.n);
      close(d.mean, e.mean, 'mean', scale);
      close(d.median, e.median, 'median', scale);
      close(d.mode.value, e.mode, 'mode');
      expect(d.mode.count).toBe(e.modeCount);
      close(d.variance.population, e.varPopulation, 'var ddof=0', scale * scale);
      close(d.variance.sample, e.varSample, 'var ddof=1', scale * scale);
      close(d.std.population, e.stdPopulation, 'std ddof=0', scale);
      close(d.std.sample, e.stdSample, 'std ddof=1', scale);
      close(d.quartiles.q1, e.q1, 'Q1', scale);
      close(d.quartiles.q3, e.q3, 'Q3', scale);
      close(d.quartiles.iqr, e.iqr, 'IQR', scale);
      close(d.skewness.biased, e.skew, 'skew');
      if (e.n > 2) close(d.skewness.unbiased, e.skewUnbiased, 'skew bias=False');
      else expect(d.skewness.unbiased).toBeNull();
      close(d.kurtosis.biased, e.kurtosis, 'kurtosis');
      if (e.n > 3) close(d.kurtosis.unbiased, e.kurtosisUnbiased, 'kurtosis bias=False');
      else expect(d.kurtosis.unbiased).toBeNull();
      close(d.min, e.min, 'min');
      close(d.max, e.max, 'max');
      close(d.sem, e.sem, 'sem', scale);
      expect(d.histogram.counts).toEqual(e.histogram.counts);
      expect(d.histogram.edges.length).toBe(e.histogram.edges.length);
      d.histogram.edges.forEach((v, i) => close(v, e.histogram.edges[i], `edge ${i}`, scale));
      if (e.normFit.std > 0) {
        close(d.histogram.normal!.mean, e.normFit.mean, 'norm.fit loc', scale);
        close(d.histogram.normal!.std, e.normFit.std, 'norm.fit scale', scale);
      }
      close(d.box.q1, e.box.q1, 'box q1', scale);
      close(d.box.median, e.box.median, 'box median', scale);
      close(d.box.q3, e.box.q3, 'box q3', scale);
      close(d.box.whiskerLow, e.box.whiskerLow, 'whisker low', scale);
      close(d.box.whiskerHigh, e.box.whiskerHigh, 'whisker high', scale);
      expect(d.box.outliers).toEqual(e.box.outliers);
      if (d.undefined.length) for (const u of d.undefined) expect(u.reason.length).toBeGreaterThan(5);
    });
  }
});

suite('two-sample statistics vs SciPy', () => {
  for (const c of fixture.two) {
    it(c.name, () => {
      const x = c.x as number[];
      const y = c.y as number[];
      const e = c.expected;
      const scale = Math.max(...x.map(Math.abs), ...y.map(Math.abs));
      if (e.pearson) {
        const r = pearson(x, y);
        if (e.pearson.r === null) expect(r.ok).toBe(false);
        else {
          close(ok(r).r, e.pearson.r, 'pearson r');
          close(ok(r).p, e.pearson.p, 'pearson p');
        }
        const s = spearman(x, y);
        if (e.spearman.rho === null || e.spearman.p === null) expect(s.ok).toBe(false);
        else {
          close(ok(s).r, e.spearman.rho, 'spearman rho');
          close(ok(s).p, e.spearman.p, 'spearman p');
        }
        const lr = linearRegression(x, y);
        if (e.linregress === null) expect(lr.ok).toBe(false);
        else {
          const v = ok(lr);
          close(v.slope, e.linregress.slope, 'slope', Math.abs(e.linregress.slope) + 1);
          close(v.intercept, e.linregress.intercept, 'intercept', scale);
          close(v.r, e.linregress.r, 'r');
          close(v.r2, e.linregress.r2, 'r²');
          close(v.p, e.linregress.p, 'regression p');
          close(v.stderr, e.linregress.stderr, 'slope stderr', Math.abs(e.linregress.slope));
          close(v.interceptStderr, e.linregress.interceptStderr, 'intercept stderr', scale);
        }
        const pr = tTestPaired(x, y);
        if (e.paired.t === null) expect(pr.ok).toBe(false);
        else {
          const v = ok(pr);
          close(v.t, e.paired.t, 'paired t');
          close(v.df, e.paired.df, 'paired df');
          close(v.p, e.paired.p, 'paired p');
          close(v.meanDiff, e.paired.meanDiff, 'paired mean diff', scale);
          close(v.se, e.paired.se, 'paired se', scale);
          checkCi(v, e.paired, 'paired', scale);
          close(v.cohenD, e.paired.cohenD, 'paired d');
        }
      }
      for (const [key, equal] of [
        ['student', true],
        ['welch', false],
      ] as const) {
        const t = tTestIndependent(x, y, equal);
        const ex = e[key];
        if (ex.t === null) {
          expect(t.ok).toBe(false);
          continue;
        }
        const v = ok(t);
        // t of (nearly) equal means is cancellation in SciPy too: absolute floor relative to the data.
        close(v.t, ex.t, `${key} t`, scale / v.se);
        close(v.df, ex.df, `${key} df`);
        close(v.p, ex.p, `${key} p`);
        close(v.meanDiff, ex.meanDiff, `${key} mean diff`, scale);
        close(v.se, ex.se, `${key} se`, scale);
        checkCi(v, ex, key, scale);
        close(v.cohenD, ex.cohenD, `${key} d`);
      }
      const u = ok(mannWhitneyU(x, y));
      close(u.U1, e.mannWhitney.U1, 'U1');
      close(u.U2, e.mannWhitney.U2, 'U2');
      close(u.p, e.mannWhitney.p, 'MWU p');
      expect(u.method).toBe(e.mannWhitney.method);
    });
  }
});

suite('distributions vs scipy.stats', () => {
  for (const c of fixture.distributions) {
    it(`${c.dist} ${JSON.stringify(c.params)}`, () => {
      const d = ok(distribution(c.dist, c.params));
      for (const p of c.points) {
        const x = p.x as number;
        const dens = d.pdf(x);
        const e = val(p.pmf ?? p.pdf);
        // SciPy's ndtr flushes results below ~1e-308 to zero; we keep the subnormal.
        const tiny = (a: number, ex: Num): boolean => val(ex) === 0 && Math.abs(a) < 1e-300;
        if (!tiny(dens, p.pmf ?? p.pdf)) close(dens, p.pmf ?? p.pdf, `pdf(${x})`, 0);
        if (!tiny(d.cdf(x), p.cdf)) close(d.cdf(x), p.cdf, `cdf(${x})`, 0);
        if (!tiny(d.sf(x), p.sf)) close(d.sf(x), p.sf, `sf(${x})`, 0);
        if (p.mp && e !== null && Number.isFinite(e) && Number.isInteger(x)) {
          // mpmath's value, where SciPy's own error would hide ours.
          for (const k of ['cdf', 'sf'] as const) if (p.mp[k] !== null && val(p.mp[k])! > 1e-300) close(d[k](x), p.mp[k], `${k}(${x}) vs mpmath`, 0, 1e-11);
        }
      }
      if (c.dist === 't' && c.params.nu <= 1) expect(d.mean).toBeNull();
      else close(d.mean, c.mean, 'mean', 0);
      close(d.variance, c.variance, 'variance', 0);
      for (const q of c.ppf) {
        if (c.dist === 'bernoulli' && c.params.p === 1 && q.q === 0.5) {
          expect(d.ppf(0.5)).toBe(1);
          continue;
        }
        // stdtrit (cdflib) is good to ~2e-9 relative only (and ~1e-16 absolute at the median); see the header.
        close(d.ppf(q.q), q.x, `ppf(${q.q})`, 10, c.dist === 't' ? 5e-9 : REL);
        if (q.mp !== null && q.mp !== undefined) close(d.ppf(q.q), q.mp, `ppf(${q.q}) vs mpmath`, 0, 1e-11);
      }
    });
  }
});

suite('special functions vs scipy.special and mpmath', () => {
  const fns: Record<string, (...a: number[]) => number> = {
    gammaln: S.lgamma,
    gammainc: S.gammainc,
    gammaincc: S.gammaincc,
    betainc: S.betainc,
    erf: S.erf,
    erfc: S.erfc,
    ndtr: S.ndtr,
    ndtri: S.ndtri,
    stdtr: S.stdtr,
    stdtrit: S.stdtrit,
  };
  for (const c of fixture.special) {
    it(`${c.fn}(${c.args.join(', ')})`, () => {
      const v = fns[c.fn]!(...(c.args as number[]));
      if (c.fn === 'stdtrit') close(v, c.value, 'vs SciPy', 0, 5e-9); // cdflib's own error; mpmath below at 1e-11
      else if (val(c.value) === 0 && Math.abs(v) < 1e-300) return;
      else close(v, c.value, 'vs SciPy', c.fn === 'gammaln' ? 1 : 0);
      if (c.mp !== null && c.mp !== undefined && Math.abs(val(c.mp)!) > 1e-300) close(v, c.mp, 'vs mpmath', c.fn === 'gammaln' ? 1 : 0, 1e-11);
    });
  }
});

suite("Bayes' rule", () => {
  for (const c of fixture.bayes) {
    it(`P(H)=${c.prior}, P(E|H)=${c.likelihood}, P(E|¬H)=${c.likelihoodNot}`, () => {
      const r = bayes(c.prior, c.likelihood, c.likelihoodNot);
      if (c.posterior === null) {
        expect(r.ok).toBe(false);
        return;
      }
      const v = ok(r);
      close(v.evidence, c.evidence, 'P(E)', 0);
      close(v.posterior, c.posterior, 'P(H|E)', 0);
      const area = v.picture.rects.reduce((s, q) => s + q.area, 0);
      expect(area).toBeCloseTo(1, 12);
    });
  }
});
