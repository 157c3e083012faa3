/**
 * The side view's Statistics and Distributions tabs as protocol messages, from core/stats (which
 * computes everything; this only chooses what to show and formats it). Pure, never throws.
 */
import type { SelectionRef } from './position';
import type { BayesData, DescribeView, DistributionData, DistributionName, StatisticsData, TestView } from './stats/view';
import { analyzeData, bayes, distribution, DISTRIBUTIONS, plotPoints, type Descriptive, type Formula, type Outcome } from './stats/index';

type Result<T> = { ok: true; data: T } | { ok: false; message: string };

/** A number for the tables: 6 significant digits, exponent form for tiny and huge values. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-4 || a >= 1e9) ? x.toExponential(4) : String(Number(x.toPrecision(6)));
}

function pValue(p: number): string {
  return p < 1e-4 ? p.toExponential(2) : String(Number(p.toPrecision(4)));
}

function describeView(name: string, d: Descriptive): DescribeView {
  const why = (field: string) => d.undefined.find((u) => u.field === field)?.reason;
  const orWhy = (v: number | null, field: string) => (v === null ? `— (${why(field) ?? 'undefined'})` : fmt(v));
  const rows: DescribeView['rows'] = [
    { label: 'n', value: String(d.n) },
    { label: 'mean', value: fmt(d.mean), latex: '\\bar x = \\frac{1}{n}\\sum_i x_i' },
    { label: 'median', value: fmt(d.median) },
    // SciPy's mode is the smallest value when none repeats: say so instead of pretending there is one
    { label: 'mode', value: d.mode.allUnique ? 'none (no value repeats)' : `${fmt(d.mode.value)} (×${d.mode.count})` },
    { label: 'variance (n − 1)', value: orWhy(d.variance.sample, 'variance.sample'), latex: 's^2 = \\frac{1}{n-1}\\sum_i (x_i - \\bar x)^2' },
    { label: 'variance (n)', value: fmt(d.variance.population) },
    { label: 'std (n − 1)', value: orWhy(d.std.sample, 'std.sample') },
    { label: 'std (n)', value: fmt(d.std.population) },
    { label: 'std. error of the mean', value: orWhy(d.sem, 'sem'), latex: '\\frac{s}{\\sqrt n}' },
    { label: 'Q1', value: fmt(d.quartiles.q1) },
    { label: 'Q3', value: fmt(d.quartiles.q3) },
    { label: 'IQR', value: fmt(d.quartiles.iqr) },
    { label: 'min', value: fmt(d.min) },
    { label: 'max', value: fmt(d.max) },
    { label: 'skewness', value: orWhy(d.skewness.biased, 'skewness.biased'), latex: 'g_1 = \\frac{m_3}{m_2^{3/2}}' },
    { label: 'skewness (unbiased)', value: orWhy(d.skewness.unbiased, 'skewness.unbiased') },
    { label: 'excess kurtosis', value: orWhy(d.kurtosis.biased, 'kurtosis.biased'), latex: 'g_2 = \\frac{m_4}{m_2^2} - 3' },
    { label: 'kurtosis (unbiased)', value: orWhy(d.kurtosis.unbiased, 'kurtosis.unbiased') },
  ];
  const h = d.histogram;
  return {
    name,
    n: d.n,
    rows,
    histogram: { edges: h.edges, counts: h.counts, normal: h.normal ? { mean: h.normal.mean, std: h.normal.std } : null },
    box: { q1: d.box.q1, median: d.box.median, q3: d.box.q3, whiskerLow: d.box.whiskerLow, whiskerHigh: d.box.whiskerHigh, outliers: d.box.outliers.slice(0, 500) },
  };
}

function formulaLatex(f: Formula): string[] {
  return [f.formula, f.substituted];
}

function testViews<T>(title: string, r: Outcome<T>, build: (v: T) => Omit<TestView, 'title'>): TestView {
  if (!r.ok) return { title, rows: [], latex: [], note: r.error.message };
  return { title, ...build(r.value) };
}

export function statisticsView(text: string, source: SelectionRef): Result<StatisticsData> {
  try {
    const r = analyzeData(text);
    if (!r.ok) return { ok: false, message: r.error.message };
    const a = r.value;
    const notes = [...a.notes];
    const columns: DescribeView[] = [];
    for (const c of a.columns) {
      if (c.stats.ok) columns.push(describeView(c.name, c.stats.value));
      else notes.push(`${c.name}: ${c.stats.error.message}`);
    }
    if (!columns.length) return { ok: false, message: notes[0] ?? 'no numbers to describe' };
    const data: StatisticsData = { source, columns, notes };
    const two = a.two;
    if (two) {
      const tests: TestView[] = [];
      const corr = (title: string, c: typeof two.pearson) =>
        testViews(title, c, (v) => ({ rows: [{ label: title.startsWith('Pearson') ? 'r' : 'ρ', value: fmt(v.r) }, { label: 'p (two-sided)', value: pValue(v.p) }, { label: 'n', value: String(v.n) }], latex: [...formulaLatex(v.latex), v.latex.p] }));
      tests.push(corr('Pearson correlation', two.pearson), corr('Spearman rank correlation', two.spearman));
      const t = (title: string, x: typeof two.welch) =>
        testViews(title, x, (v) => ({
          rows: [
            { label: 't', value: fmt(v.t) },
            { label: 'degrees of freedom', value: fmt(v.df) },
            { label: 'p (two-sided)', value: pValue(v.p) },
            { label: v.kind === 'paired' ? 'mean difference' : 'difference of means', value: fmt(v.meanDiff) },
            { label: `${Math.round((1 - v.alpha) * 100)}% confidence interval`, value: `[${fmt(v.ci[0])}, ${fmt(v.ci[1])}]` },
            { label: "Cohen's d", value: fmt(v.cohenD) },
          ],
          latex: [...formulaLatex(v.latex.statistic), ...formulaLatex(v.latex.df), v.latex.p, ...formulaLatex(v.latex.ci), ...formulaLatex(v.latex.cohenD)],
          ...(v.notes.length ? { note: v.notes.join(' ') } : {}),
        }));
      tests.push(t("Student's t-test (equal variances)", two.student), t("Welch's t-test", two.welch), t('Paired t-test', two.paired));
      tests.push(
        testViews('Mann–Whitney U', two.mannWhitney, (v) => ({
          rows: [
            { label: 'U₁', value: fmt(v.U1) },
            { label: 'U₂', value: fmt(v.U2) },
            { label: 'p (two-sided)', value: pValue(v.p) },
            { label: 'method', value: v.method === 'exact' ? 'exact distribution' : 'normal approximation (tie and continuity corrections)' },
          ],
          latex: [...formulaLatex(v.latex), v.latex.p],
          ...(v.notes.length ? { note: v.notes.join(' ') } : {}),
        })),
      );
      const points: number[] = [];
      if (two.scatter) for (let i = 0; i < two.scatter.x.length; i++) points.push(two.scatter.x[i]!, two.scatter.y[i]!);
      const reg = two.regression.ok ? { slope: two.regression.value.slope, intercept: two.regression.value.intercept, r2: two.regression.value.r2 } : null;
      if (two.regression.ok) {
        const v = two.regression.value;
        tests.splice(2, 0, {
          title: 'Least-squares regression line',
          rows: [
            { label: 'slope', value: fmt(v.slope) },
            { label: 'intercept', value: fmt(v.intercept) },
            { label: 'r²', value: fmt(v.r2) },
            { label: 'p (slope ≠ 0)', value: pValue(v.p) },
          ],
          latex: formulaLatex(v.latex),
        });
      }
      data.pair = { names: two.names, points, regression: reg, tests };
    }
    return { ok: true, data };
  } catch (e) {
    return { ok: false, message: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export function distributionView(name: DistributionName, params: Record<string, number>): DistributionData {
  const spec = DISTRIBUTIONS.find((d) => d.name === name) ?? DISTRIBUTIONS[0]!;
  const values: Record<string, number> = {};
  for (const p of spec.params) values[p.key] = params[p.key] ?? p.default;
  const base: DistributionData = {
    name: spec.name,
    label: spec.label,
    discrete: spec.discrete,
    params: spec.params.map((p) => ({ key: p.key, label: p.label, value: values[p.key]!, min: p.slider.min, max: p.slider.max, step: p.slider.step, ...(p.integer ? { integer: true } : {}) })),
    latex: { pdf: '' },
    x: [],
    pdf: [],
    cdf: [],
    mean: null,
    variance: null,
  };
  try {
    const d = distribution(spec.name, values);
    if (!d.ok) return { ...base, error: d.error.message };
    const v = d.value;
    const pts = plotPoints(v);
    return {
      ...base,
      latex: { pdf: v.latex.pdf, cdf: v.latex.cdf },
      x: pts.x,
      // an infinite density at an edge (beta, gamma) is a gap in the curve
      pdf: pts.density,
      cdf: pts.cdf,
      mean: v.mean,
      variance: v.variance,
    };
  } catch (e) {
    return { ...base, error: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export function bayesView(prior: number, likelihood: number, likelihoodNot: number): BayesData {
  const r = bayes(prior, likelihood, likelihoodNot);
  if (!r.ok) return { prior, likelihood, likelihoodNot, evidence: NaN, posterior: NaN, latex: `\\text{${r.error.message.replace(/[\\{}$&#^_%~]/g, '')}}` };
  const v = r.value;
  return { prior: v.prior, likelihood: v.likelihood, likelihoodNot: v.likelihoodNot, evidence: v.evidence, posterior: v.posterior, latex: `${v.latex.formula} \\\\ ${v.latex.evidence} \\\\ ${v.latex.posterior}` };
}
