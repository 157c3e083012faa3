/**
 * The statistics engine's entry points: reading a selection into columns, the whole
 * data view, the distribution explorer's validation and plot points, Bayes' rule,
 * LaTeX that KaTeX renders, and failure without exceptions.
 */
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { analyzeData, bayes, benchmarkCases, compareSamples, DISTRIBUTIONS, distribution, mannWhitneyCounts, parseStatsData, plotPoints, type DataAnalysis, type Formula } from '../../core/stats/index';

const render = (s: string): void => {
  katex.renderToString(s, { throwOnError: true, displayMode: true, strict: 'ignore' });
};

function analysis(text: string): DataAnalysis {
  const r = analyzeData(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('parseStatsData', () => {
  it('reads a flat list as one column', () => {
    const r = parseStatsData('[1, 2, 3.5, 4]');
    expect(r.ok && r.value.columns.length).toBe(1);
    expect(r.ok && Array.from(r.value.columns[0]!.values)).toEqual([1, 2, 3.5, 4]);
    expect(r.ok && r.value.pairs).toBeNull();
  });
  it('reads a single CSV line and a single column', () => {
    for (const text of ['1, 2, 3, 4', '1\n2\n3\n4', 'np.array([1, 2, 3, 4])']) {
      const r = parseStatsData(text);
      expect(r.ok && r.value.columns.length, text).toBe(1);
      expect(r.ok && r.value.columns[0]!.values.length, text).toBe(4);
    }
  });
  it('names CSV columns from the header and pairs the first two', () => {
    const r = parseStatsData('height,weight,age\n170,65,30\n180,80,41\n165,nan,25\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.columns.map((c) => c.name)).toEqual(['height', 'weight', 'age']);
    expect(r.value.columns[1]!.values.length).toBe(2);
    expect(r.value.columns[1]!.dropped).toBe(1);
    expect(Array.from(r.value.pairs!.x)).toEqual([170, 180]);
    expect(r.value.pairs!.dropped).toBe(1);
    expect(r.value.notes.join(' ')).toMatch(/first two \(height, weight\)/);
    expect(r.value.notes.join(' ')).toMatch(/NaN/);
  });
  it('reads TSV and a 2 × n literal as two samples', () => {
    const tsv = parseStatsData('a\tb\n1\t2\n3\t4\n5\t7');
    expect(tsv.ok && tsv.value.columns.map((c) => c.name)).toEqual(['a', 'b']);
    const rows = parseStatsData('[[1, 2, 3, 4], [2, 3, 5, 9]]');
    expect(rows.ok && rows.value.columns.length).toBe(2);
    expect(rows.ok && rows.value.notes.join(' ')).toMatch(/two samples written as rows/);
  });
  it('fails with an offset on bad input, and on too many values', () => {
    const bad = parseStatsData('[1, 2, foo]');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && typeof bad.error.offset).toBe('number');
    const big = parseStatsData(`[${Array.from({ length: 50 }, (_, i) => i).join(',')}]`, { maxValues: 10 });
    expect(big.ok).toBe(false);
    expect(!big.ok && big.error.message).toMatch(/limit/);
    expect(parseStatsData('').ok).toBe(false);
    expect(parseStatsData('np.zeros((2, 2, 2))').ok).toBe(false);
  });
});

describe('analyzeData', () => {
  it('one column: descriptive statistics only', () => {
    const a = analysis('[2, 4, 4, 4, 5, 5, 7, 9]');
    expect(a.two).toBeNull();
    const s = a.columns[0]!.stats;
    expect(s.ok && s.value.mean).toBe(5);
    expect(s.ok && s.value.mode).toEqual({ value: 4, count: 3, allUnique: false });
    expect(s.ok && s.value.std.population).toBe(2);
    expect(s.ok && s.value.histogram.counts.reduce((p, c) => p + c, 0)).toBe(8);
  });
  it('two columns: correlation, regression, tests and the scatter', () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},${2 * i + 1 + ((i * 7) % 5) - 2}`).join('\n');
    const a = analysis(`x,y\n${rows}`);
    expect(a.two).not.toBeNull();
    const t = a.two!;
    expect(t.names).toEqual(['x', 'y']);
    expect(t.pairedColumns).toBe(true);
    expect(t.pearson.ok && t.pearson.value.r).toBeGreaterThan(0.9);
    expect(t.regression.ok && t.regression.value.slope).toBeCloseTo(2, 0);
    expect(t.scatter!.x.length).toBe(20);
    for (const k of ['student', 'welch', 'paired'] as const) expect(t[k].ok, k).toBe(true);
    expect(t.mannWhitney.ok).toBe(true);
  });
  it('constant data: undefined statistics come back as null with a reason', () => {
    const a = analysis('[3, 3, 3, 3]');
    const s = a.columns[0]!.stats;
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect(s.value.skewness.biased).toBeNull();
    expect(s.value.kurtosis.biased).toBeNull();
    expect(s.value.undefined.map((u) => u.field)).toContain('skewness');
    expect(s.value.histogram.counts).toEqual([4]);
  });
  it('a constant column makes correlation fail with a message, not an exception', () => {
    const a = analysis('a,b\n1,2\n2,2\n3,2\n4,2');
    expect(a.two!.pearson.ok).toBe(false);
    expect(!a.two!.pearson.ok && a.two!.pearson.error.message).toMatch(/constant/);
    expect(a.two!.spearman.ok).toBe(false);
  });
  it('returns errors for bad input and never throws', () => {
    for (const text of ['', 'hello', '[1, 2', '[[1, 2], [3]]', '\\begin{bmatrix} a \\end{bmatrix}', '\u0000', '[nan, nan]', '[inf]']) {
      expect(() => analyzeData(text)).not.toThrow();
    }
    const r = analyzeData('[nan, nan]');
    expect(r.ok && r.value.columns[0]!.stats.ok).toBe(false);
    // @ts-expect-error: not a string
    expect(analyzeData(42).ok).toBe(false);
  });
});

describe('two-sample LaTeX renders in KaTeX', () => {
  it('every formula of every test', () => {
    const x = [5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3];
    const y = [4.1, 4.5, 5.0, 4.4, 5.2, 4.0, 4.9];
    const r = compareSamples(x, y);
    const strings: string[] = [];
    const add = (f: Formula): void => {
      strings.push(f.formula, f.substituted);
    };
    if (r.pearson.ok) {
      add(r.pearson.value.latex);
      strings.push(r.pearson.value.latex.p);
    }
    if (r.spearman.ok) {
      add(r.spearman.value.latex);
      strings.push(r.spearman.value.latex.p);
    }
    if (r.regression.ok) add(r.regression.value.latex);
    for (const t of [r.student, r.welch, r.paired]) {
      expect(t.ok).toBe(true);
      if (!t.ok) continue;
      add(t.value.latex.statistic);
      add(t.value.latex.df);
      add(t.value.latex.ci);
      add(t.value.latex.cohenD);
      strings.push(t.value.latex.p);
    }
    expect(r.mannWhitney.ok).toBe(true);
    if (r.mannWhitney.ok) {
      add(r.mannWhitney.value.latex);
      strings.push(r.mannWhitney.value.latex.p);
    }
    // The asymptotic Mann–Whitney formula too.
    const big = compareSamples(
      Array.from({ length: 12 }, (_, i) => i % 4),
      Array.from({ length: 12 }, (_, i) => (i % 5) + 1),
    );
    if (big.mannWhitney.ok) {
      expect(big.mannWhitney.value.method).toBe('asymptotic');
      add(big.mannWhitney.value.latex);
      strings.push(big.mannWhitney.value.latex.p);
    }
    expect(strings.length).toBeGreaterThan(25);
    for (const s of strings) expect(() => render(s), s).not.toThrow();
  });
});

describe('distribution explorer', () => {
  it('every distribution with its default parameters: formulas render, plot points are sane', () => {
    for (const spec of DISTRIBUTIONS) {
      const params = Object.fromEntries(spec.params.map((p) => [p.key, p.default]));
      const r = distribution(spec.name, params);
      expect(r.ok, spec.name).toBe(true);
      if (!r.ok) continue;
      const d = r.value;
      for (const s of Object.values(d.latex)) expect(() => render(s), s).not.toThrow();
      const plot = plotPoints(d);
      expect(plot.x.length).toBeGreaterThan(1);
      expect(plot.discrete).toBe(spec.discrete);
      for (let i = 1; i < plot.cdf.length; i++) expect(plot.cdf[i]!).toBeGreaterThanOrEqual(plot.cdf[i - 1]! - 1e-15);
      for (const v of plot.density) if (v !== null) expect(v).toBeGreaterThanOrEqual(0);
      if (spec.discrete) for (const k of plot.x) expect(Number.isInteger(k)).toBe(true);
    }
  });
  it('validates parameters with clear messages', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['normal', { mu: 0, sigma: 0 }, /σ must be greater than 0/],
      ['normal', { mu: 'a', sigma: 1 }, /must be a number/],
      ['uniform', { a: 2, b: 1 }, /less than the upper bound/],
      ['binomial', { n: 2.5, p: 0.5 }, /whole number/],
      ['binomial', { n: 10, p: 1.5 }, /at most 1/],
      ['poisson', { lambda: 0 }, /greater than 0/],
      ['beta', { alpha: -1, beta: 1 }, /greater than 0/],
      ['gamma', { k: 1, theta: Infinity }, /finite/],
      ['t', { nu: NaN }, /must be a number/],
      ['cauchy', {}, /unknown distribution/],
    ];
    for (const [name, params, re] of cases) {
      const r = distribution(name, params);
      expect(r.ok, name).toBe(false);
      expect(!r.ok && r.error.message, name).toMatch(re);
    }
  });
  it('t: undefined and infinite moments are explained', () => {
    const t1 = distribution('t', { nu: 1 });
    expect(t1.ok && t1.value.mean).toBeNull();
    expect(t1.ok && t1.value.notes.join(' ')).toMatch(/mean is undefined/);
    const t2 = distribution('t', { nu: 1.5 });
    expect(t2.ok && t2.value.variance).toBe(Infinity);
  });
  it('beta(0.5, 0.5): infinite density at the edges is left out of the plot', () => {
    const r = distribution('beta', { alpha: 0.5, beta: 0.5 });
    expect(r.ok && r.value.pdf(0)).toBe(Infinity);
    const plot = plotPoints((r as { value: Parameters<typeof plotPoints>[0] }).value, { lowerQ: 0, upperQ: 1 });
    expect(plot.density[0]).toBeNull();
  });
  it('ppf inverts cdf for the continuous ones and is the smallest k for the discrete ones', () => {
    const g = distribution('gamma', { k: 0.1, theta: 1 });
    if (g.ok) for (const q of [1e-10, 0.3, 0.9, 1 - 1e-12]) expect(Math.abs(g.value.cdf(g.value.ppf(q)) - q) / Math.min(q, 1 - q)).toBeLessThan(1e-8);
    const b = distribution('binomial', { n: 1000, p: 0.5 });
    if (b.ok) {
      const k = b.value.ppf(0.975);
      expect(b.value.cdf(k)).toBeGreaterThanOrEqual(0.975);
      expect(b.value.cdf(k - 1)).toBeLessThan(0.975);
    }
  });
});

describe("Bayes' rule", () => {
  it('posterior, evidence, picture and LaTeX', () => {
    const r = bayes(0.01, 0.9, 0.05);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.posterior).toBeCloseTo(0.009 / 0.0585, 14);
    for (const s of Object.values(r.value.latex)) expect(() => render(s)).not.toThrow();
    expect(r.value.picture.rects).toHaveLength(4);
  });
  it('rejects impossible inputs', () => {
    expect(bayes(1.2, 0.5, 0.5).ok).toBe(false);
    expect(bayes(0.5, 0, 0).ok).toBe(false);
    expect(bayes(NaN, 0.5, 0.5).ok).toBe(false);
  });
});

describe('Mann–Whitney exact counts', () => {
  it('the recurrence and the product formula agree, and the counts sum to C(m + n, m)', () => {
    // Force both paths: small sizes use the recurrence; compare with the product formula by hand.
    for (const [m, n] of [
      [3, 5],
      [8, 8],
      [2, 30],
    ] as const) {
      const K = m * n;
      const c = mannWhitneyCounts(m, n, K);
      let total = 0;
      for (const v of c) total += v;
      let binom = 1;
      for (let i = 1; i <= m; i++) binom = (binom * (n + i)) / i;
      expect(total).toBeCloseTo(binom, 6);
      // Symmetry of the null distribution.
      for (let k = 0; k <= K; k++) expect(c[k]).toBe(c[K - k]);
    }
  });
  it('the product formula (used for large samples) matches the recurrence', () => {
    for (const [m, n] of [
      [5, 300],
      [8, 120],
      [1, 50],
    ] as const) {
      const K = Math.floor((m * n) / 2);
      const a = mannWhitneyCounts(m, n, K, 'recurrence');
      const b = mannWhitneyCounts(m, n, K, 'product');
      let ca = 0;
      let cb = 0;
      for (let k = 0; k <= K; k++) {
        ca += a[k]!;
        cb += b[k]!;
        expect(Math.abs(cb - ca) / ca).toBeLessThan(1e-12);
      }
    }
  });
  it('a 5 vs 3000 exact test finishes (product formula)', () => {
    const x = Array.from({ length: 5 }, (_, i) => i + 0.5);
    const y = Array.from({ length: 3000 }, (_, i) => i * 1.001);
    const r = compareSamples(x, y).mannWhitney;
    expect(r.ok && r.value.method).toBe('exact');
    expect(r.ok && r.value.p).toBeGreaterThan(0);
  });
});

describe('benchmark cases', () => {
  it('run', () => {
    for (const c of benchmarkCases(2000)) expect(() => c.run()).not.toThrow();
  });
});
