/**
 * Two-sample statistics with SciPy 1.10's definitions:
 *
 * - `pearson`: scipy.stats.pearsonr (two-sided p from the Beta(n/2 − 1, n/2 − 1) law of r
 *   on [−1, 1]; n = 2 gives r = ±1 and p = 1; a constant input gives null, SciPy's nan);
 * - `spearman`: scipy.stats.spearmanr (average ranks for ties, Pearson's r of the ranks,
 *   p from Student's t with n − 2 degrees of freedom);
 * - `linearRegression`: scipy.stats.linregress (slope, intercept, r, r², two-sided p of
 *   the slope, the slope's and the intercept's standard errors);
 * - `tTestIndependent`: scipy.stats.ttest_ind with equal_var = True (Student, pooled
 *   variance, df = n₁ + n₂ − 2) or False (Welch, Welch–Satterthwaite df);
 *   `tTestPaired`: scipy.stats.ttest_rel (df = n − 1). Each gives t, df, the two-sided
 *   p, the (1 − α) confidence interval of the mean difference x̄₁ − x̄₂ (estimate ±
 *   t_{1−α/2, df}·SE, as SciPy's TtestResult.confidence_interval) and Cohen's d: the
 *   difference of means over the pooled standard deviation for independent samples
 *   (for Welch too, so d does not depend on the test chosen), and d_z = mean of the
 *   differences / their standard deviation (ddof = 1) for paired samples;
 * - `mannWhitneyU`: scipy.stats.mannwhitneyu, two-sided, method 'auto' as in SciPy 1.10:
 *   exact when one sample has at most 8 values and there are no ties, otherwise the
 *   normal approximation with the tie correction and the continuity correction. U is
 *   U₁, the statistic of the first sample (as SciPy returns).
 *
 * Every result carries LaTeX of its formula and of the formula with the numbers in.
 * Nothing throws: impossible tests come back as `{ok: false, error}`.
 */

import { npMean, npSum } from './describe';
import { tex, texP, texParen } from './latex';
import { incbeta, ndtr, stdtr, stdtrit } from './special';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: { message: string } };

export interface Formula {
  /** The definition, symbols only. */
  formula: string;
  /** The same with this sample's numbers filled in, and the result. */
  substituted: string;
}

export interface Correlation {
  /** r (Pearson) or ρ (Spearman). */
  r: number;
  p: number;
  n: number;
  latex: Formula & { p: string };
}

export interface Regression {
  slope: number;
  intercept: number;
  r: number;
  r2: number;
  p: number;
  stderr: number;
  interceptStderr: number;
  n: number;
  latex: Formula;
}

export interface TTest {
  kind: 'student' | 'welch' | 'paired';
  t: number;
  df: number;
  p: number;
  /** x̄₁ − x̄₂ (mean of the differences for paired samples). */
  meanDiff: number;
  /** Standard error of meanDiff. */
  se: number;
  alpha: number;
  ci: [number, number];
  /** The t quantile used for the interval, t_{1−α/2, df}. */
  tCritical: number;
  cohenD: number | null;
  latex: { statistic: Formula; df: Formula; p: string; ci: Formula; cohenD: Formula };
  notes: string[];
}

export interface MannWhitney {
  /** U₁ (SciPy's statistic): the number of pairs (x, y) with x > y, ties counting ½. */
  U1: number;
  U2: number;
  p: number;
  method: 'exact' | 'asymptotic';
  /** The standardized statistic (asymptotic method only). */
  z: number | null;
  latex: Formula & { p: string };
  notes: string[];
}

const fail = <T>(message: string): Outcome<T> => ({ ok: false, error: { message } });

function guard<T>(what: string, f: () => Outcome<T>): Outcome<T> {
  try {
    return f();
  } catch (err) {
    return fail(`internal error in ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function checkFinite(x: ArrayLike<number>, name: string): string | null {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) return `${name}: value ${i + 1} is not a finite number`;
  return null;
}

function isConstant(x: ArrayLike<number>): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}

/** Average ranks (1-based), as scipy.stats.rankdata(method='average'). */
export function rankAverage(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => x[a]! - x[b]! || a - b);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && x[idx[j]!] === x[idx[i]!]) j++;
    const r = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) ranks[idx[k]!] = r;
    i = j;
  }
  return ranks;
}

/** Two-sided p-value of Student's t with df degrees of freedom: 2·stdtr(df, −|t|). */
function tTwoSided(df: number, t: number): number {
  return Math.min(1, stdtr(df, -Math.abs(t)) * 2);
}

/** √(Σ v²) without overflow (scipy.linalg.norm's dnrm2). */
function norm2(v: Float64Array): number {
  let scale = 0;
  for (let i = 0; i < v.length; i++) scale = Math.max(scale, Math.abs(v[i]!));
  if (scale === 0) return 0;
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    const t = v[i]! / scale;
    s += t * t;
  }
  return scale * Math.sqrt(s);
}

function pairCheck(x: ArrayLike<number>, y: ArrayLike<number>, what: string, min = 2): string | null {
  if (x.length !== y.length) return `${what} needs two columns of the same length (${x.length} and ${y.length} values)`;
  if (x.length < min) return `${what} needs at least ${min} pairs`;
  return checkFinite(x, 'the first column') ?? checkFinite(y, 'the second column');
}

/** scipy.stats.pearsonr(x, y), two-sided. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): Outcome<Correlation> {
  return guard('Pearson correlation', () => {
    const bad = pairCheck(x, y, 'a correlation');
    if (bad) return fail(bad);
    const n = x.length;
    if (isConstant(x) || isConstant(y)) return fail('a column is constant: the correlation coefficient is not defined');
    const formula = 'r = \\frac{\\sum_i (x_i - \\bar x)(y_i - \\bar y)}{\\sqrt{\\sum_i (x_i - \\bar x)^2}\\,\\sqrt{\\sum_i (y_i - \\bar y)^2}}';
    const pFormula = (r: number, p: number): string =>
      `p = 2\\,P\\!\\left(B \\ge \\tfrac{1 + |r|}{2}\\right),\\; B \\sim \\mathrm{Beta}\\!\\left(\\tfrac{n}{2} - 1, \\tfrac{n}{2} - 1\\right) = 2\\,P(B \\ge ${tex((1 + Math.abs(r)) / 2)}) = ${texP(p)}`;
    if (n === 2) {
      const r = Math.sign(x[1]! - x[0]!) * Math.sign(y[1]! - y[0]!);
      return { ok: true, value: { r, p: 1, n, latex: { formula, substituted: `r = ${tex(r)}\\quad (n = 2: \\text{two points are always on a line})`, p: 'p = 1' } } };
    }
    const xmean = npMean(x);
    const ymean = npMean(y);
    const xm = new Float64Array(n);
    const ym = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      xm[i] = x[i]! - xmean;
      ym[i] = y[i]! - ymean;
    }
    const nx = norm2(xm);
    const ny = norm2(ym);
    let r = 0;
    for (let i = 0; i < n; i++) r += (xm[i]! / nx) * (ym[i]! / ny);
    r = Math.max(Math.min(r, 1), -1);
    const ab = n / 2 - 1;
    const z = (Math.abs(r) + 1) / 2; // SciPy's beta(ab, ab, loc=-1, scale=2).sf(|r|) evaluates ibetac at this z
    const p = Math.min(1, 2 * incbeta(ab, ab, z, 1 - z).q); // SciPy can return 1 + 2⁻⁵² here; a p-value is at most 1
    const sxy = npSum(Array.from(xm, (v, i) => v * ym[i]!));
    return {
      ok: true,
      value: {
        r,
        p,
        n,
        latex: {
          formula,
          substituted: `r = \\frac{${tex(sxy)}}{${tex(nx)} \\cdot ${tex(ny)}} = ${tex(r)}`,
          p: pFormula(r, p),
        },
      },
    };
  });
}

/** scipy.stats.spearmanr(x, y), two-sided. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): Outcome<Correlation> {
  return guard('Spearman correlation', () => {
    const bad = pairCheck(x, y, 'a correlation');
    if (bad) return fail(bad);
    const n = x.length;
    if (isConstant(x) || isConstant(y)) return fail('a column is constant: the correlation coefficient is not defined');
    const rx = rankAverage(x);
    const ry = rankAverage(y);
    // np.corrcoef of the ranks.
    const mx = npMean(rx);
    const my = npMean(ry);
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      const a = rx[i]! - mx;
      const b = ry[i]! - my;
      sxx += a * a;
      syy += b * b;
      sxy += a * b;
    }
    const c00 = sxx / (n - 1);
    const c11 = syy / (n - 1);
    const c01 = sxy / (n - 1);
    const rs = Math.max(-1, Math.min(1, c01 / Math.sqrt(c00) / Math.sqrt(c11)));
    const dof = n - 2;
    const formula = '\\rho = r\\big(\\operatorname{rank}(x), \\operatorname{rank}(y)\\big),\\quad t = \\rho\\sqrt{\\frac{n - 2}{(1 + \\rho)(1 - \\rho)}}';
    if (dof === 0) {
      return fail('the p-value of Spearman’s ρ needs at least 3 pairs (SciPy returns nan for 2)');
    }
    const t = rs * Math.sqrt(Math.max(0, dof / ((rs + 1) * (1 - rs))));
    const p = Number.isNaN(t) ? NaN : Math.abs(rs) === 1 ? 0 : tTwoSided(dof, t);
    if (Number.isNaN(p)) return fail('the p-value of Spearman’s ρ is undefined here');
    return {
      ok: true,
      value: {
        r: rs,
        p,
        n,
        latex: {
          formula,
          substituted: `\\rho = ${tex(rs)},\\quad t = ${texParen(rs)}\\sqrt{\\frac{${dof}}{(1 + ${texParen(rs)})(1 - ${texParen(rs)})}} = ${tex(Math.abs(rs) === 1 ? Math.sign(rs) * Infinity : t)}`,
          p: `p = 2\\,P(T_{${dof}} \\ge |t|) = ${texP(p)}`,
        },
      },
    };
  });
}

/** scipy.stats.linregress(x, y). */
export function linearRegression(x: ArrayLike<number>, y: ArrayLike<number>): Outcome<Regression> {
  return guard('linear regression', () => {
    const bad = pairCheck(x, y, 'a regression');
    if (bad) return fail(bad);
    const n = x.length;
    if (isConstant(x)) return fail('cannot fit a line: all x values are identical');
    const xmean = npMean(x);
    const ymean = npMean(y);
    const dx = new Float64Array(n);
    const dy = new Float64Array(n);
    const dxx = new Float64Array(n);
    const dyy = new Float64Array(n);
    const dxy = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      dx[i] = x[i]! - xmean;
      dy[i] = y[i]! - ymean;
      dxx[i] = dx[i]! * dx[i]!;
      dyy[i] = dy[i]! * dy[i]!;
      dxy[i] = dx[i]! * dy[i]!;
    }
    const ssxm = npSum(dxx) / n;
    const ssym = npSum(dyy) / n;
    const ssxym = npSum(dxy) / n;
    let r = ssxm === 0 || ssym === 0 ? 0 : ssxym / Math.sqrt(ssxm * ssym);
    r = Math.max(-1, Math.min(1, r));
    const slope = ssxym / ssxm;
    const intercept = ymean - slope * xmean;
    let p: number;
    let stderr: number;
    let interceptStderr: number;
    if (n === 2) {
      p = y[0] === y[1] ? 1 : 0;
      stderr = 0;
      interceptStderr = 0;
    } else {
      const df = n - 2;
      const TINY = 1e-20;
      const t = r * Math.sqrt(df / ((1 - r + TINY) * (1 + r + TINY)));
      p = tTwoSided(df, t);
      stderr = Math.sqrt(((1 - r * r) * ssym) / ssxm / df);
      interceptStderr = stderr * Math.sqrt(ssxm + xmean * xmean);
    }
    return {
      ok: true,
      value: {
        slope,
        intercept,
        r,
        r2: r * r,
        p,
        stderr,
        interceptStderr,
        n,
        latex: {
          formula: '\\hat y = b_0 + b_1 x,\\quad b_1 = \\frac{\\sum_i (x_i - \\bar x)(y_i - \\bar y)}{\\sum_i (x_i - \\bar x)^2},\\quad b_0 = \\bar y - b_1 \\bar x',
          substituted: `\\hat y = ${tex(intercept)} ${slope < 0 ? '-' : '+'} ${tex(Math.abs(slope))}\\,x,\\quad r^2 = ${tex(r * r)}`,
        },
      },
    };
  });
}

export interface TTestOptions {
  /** Significance level for the confidence interval; default 0.05 (a 95% interval). */
  alpha?: number;
}

function checkAlpha(alpha: number): string | null {
  return alpha > 0 && alpha < 1 ? null : `α must be between 0 and 1 (got ${alpha})`;
}

/** SciPy's `_var(a, ddof=1)`: the second central moment times n/(n − 1). */
function sampleVar(x: ArrayLike<number>, mean: number): number {
  const n = x.length;
  const d2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    d2[i] = d * d;
  }
  return (npSum(d2) / n) * (n / (n - 1));
}

/** scipy.stats.ttest_ind(x, y, equal_var), two-sided, with the interval and Cohen's d. */
export function tTestIndependent(x: ArrayLike<number>, y: ArrayLike<number>, equalVar: boolean, options: TTestOptions = {}): Outcome<TTest> {
  return guard('the t-test', () => {
    const alpha = options.alpha ?? 0.05;
    const badAlpha = checkAlpha(alpha);
    if (badAlpha) return fail(badAlpha);
    const bad = checkFinite(x, 'the first sample') ?? checkFinite(y, 'the second sample');
    if (bad) return fail(bad);
    const n1 = x.length;
    const n2 = y.length;
    if (n1 < 2 || n2 < 2) return fail(`a two-sample t-test needs at least 2 values in each sample (${n1} and ${n2})`);
    const m1 = npMean(x);
    const m2 = npMean(y);
    const v1 = sampleVar(x, m1);
    const v2 = sampleVar(y, m2);
    const diff = m1 - m2;
    const pooledDf = n1 + n2 - 2;
    const svar = ((n1 - 1) * v1 + (n2 - 1) * v2) / pooledDf;
    const sp = Math.sqrt(svar);
    let df: number;
    let se: number;
    const notes: string[] = [];
    if (equalVar) {
      df = pooledDf;
      se = Math.sqrt(svar * (1.0 / n1 + 1.0 / n2));
    } else {
      const vn1 = v1 / n1;
      const vn2 = v2 / n2;
      df = (vn1 + vn2) ** 2 / (vn1 ** 2 / (n1 - 1) + vn2 ** 2 / (n2 - 1));
      if (Number.isNaN(df)) df = 1;
      se = Math.sqrt(vn1 + vn2);
    }
    if (se === 0 && diff === 0) return fail('both samples have zero variance and equal means: the t statistic is undefined (0/0)');
    // Zero variance with different means: t = ±∞ and p = 0, as SciPy.
    if (se === 0) notes.push('both samples have zero variance: t is infinite');
    const t = diff / se;
    const p = se === 0 ? 0 : tTwoSided(df, t);
    const q = stdtrit(df, 1 - alpha / 2);
    const ci: [number, number] = [diff - q * se, diff + q * se];
    const cohenD = sp > 0 ? diff / sp : null;
    if (cohenD === null) notes.push("Cohen's d is undefined: the pooled standard deviation is 0");
    const kind = equalVar ? 'student' : 'welch';
    const statistic: Formula = equalVar
      ? {
          formula: 't = \\frac{\\bar x_1 - \\bar x_2}{s_p\\sqrt{\\frac{1}{n_1} + \\frac{1}{n_2}}},\\quad s_p^2 = \\frac{(n_1 - 1)s_1^2 + (n_2 - 1)s_2^2}{n_1 + n_2 - 2}',
          substituted: `t = \\frac{${tex(m1)} - ${texParen(m2)}}{${tex(sp)}\\sqrt{\\frac{1}{${n1}} + \\frac{1}{${n2}}}} = ${tex(t)}`,
        }
      : {
          formula: 't = \\frac{\\bar x_1 - \\bar x_2}{\\sqrt{\\frac{s_1^2}{n_1} + \\frac{s_2^2}{n_2}}}',
          substituted: `t = \\frac{${tex(m1)} - ${texParen(m2)}}{\\sqrt{\\frac{${tex(v1)}}{${n1}} + \\frac{${tex(v2)}}{${n2}}}} = ${tex(t)}`,
        };
    const dfF: Formula = equalVar
      ? { formula: '\\nu = n_1 + n_2 - 2', substituted: `\\nu = ${n1} + ${n2} - 2 = ${df}` }
      : {
          formula: '\\nu = \\frac{\\left(\\frac{s_1^2}{n_1} + \\frac{s_2^2}{n_2}\\right)^2}{\\frac{(s_1^2/n_1)^2}{n_1 - 1} + \\frac{(s_2^2/n_2)^2}{n_2 - 1}}',
          substituted: `\\nu = \\frac{(${tex(v1 / n1)} + ${tex(v2 / n2)})^2}{\\frac{(${tex(v1 / n1)})^2}{${n1 - 1}} + \\frac{(${tex(v2 / n2)})^2}{${n2 - 1}}} = ${tex(df)}`,
        };
    return {
      ok: true,
      value: {
        kind,
        t,
        df,
        p,
        meanDiff: diff,
        se,
        alpha,
        ci,
        tCritical: q,
        cohenD,
        latex: {
          statistic,
          df: dfF,
          p: `p = 2\\,P(T_{\\nu} \\ge |t|) = 2\\,P(T_{${tex(df)}} \\ge ${tex(Math.abs(t))}) = ${texP(p)}`,
          ci: ciFormula(diff, q, se, ci, alpha, df, '\\bar x_1 - \\bar x_2'),
          cohenD: {
            formula: 'd = \\frac{\\bar x_1 - \\bar x_2}{s_p}',
            substituted: cohenD === null ? 'd\\ \\text{is undefined } (s_p = 0)' : `d = \\frac{${tex(diff)}}{${tex(sp)}} = ${tex(cohenD)}`,
          },
        },
        notes,
      },
    };
  });
}

function ciFormula(est: number, q: number, se: number, ci: [number, number], alpha: number, df: number, what: string): Formula {
  const level = tex((1 - alpha) * 100);
  return {
    formula: `${what} \\pm t_{1 - \\alpha/2,\\,\\nu}\\,\\mathrm{SE}`,
    substituted: `${tex(est)} \\pm ${tex(q)} \\cdot ${tex(se)} = [${tex(ci[0])},\\ ${tex(ci[1])}]\\quad (${level}\\%,\\ \\nu = ${tex(df)})`,
  };
}

/** scipy.stats.ttest_rel(x, y), two-sided, with the interval and Cohen's d_z. */
export function tTestPaired(x: ArrayLike<number>, y: ArrayLike<number>, options: TTestOptions = {}): Outcome<TTest> {
  return guard('the paired t-test', () => {
    const alpha = options.alpha ?? 0.05;
    const badAlpha = checkAlpha(alpha);
    if (badAlpha) return fail(badAlpha);
    const bad = pairCheck(x, y, 'a paired t-test');
    if (bad) return fail(bad);
    const n = x.length;
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) d[i] = x[i]! - y[i]!;
    const dm = npMean(d);
    const v = sampleVar(d, dm);
    const se = Math.sqrt(v / n);
    if (se === 0 && dm === 0) return fail('the two columns are identical: the paired t statistic is undefined (0/0)');
    const notes: string[] = [];
    // Constant nonzero differences: t = ±∞ and p = 0, as SciPy.
    if (se === 0) notes.push('the differences are all equal: t is infinite and d_z undefined');
    const df = n - 1;
    const t = dm / se;
    const p = se === 0 ? 0 : tTwoSided(df, t);
    const q = stdtrit(df, 1 - alpha / 2);
    const ci: [number, number] = [dm - q * se, dm + q * se];
    const sd = Math.sqrt(v);
    const cohenD = sd > 0 ? dm / sd : null;
    return {
      ok: true,
      value: {
        kind: 'paired',
        t,
        df,
        p,
        meanDiff: dm,
        se,
        alpha,
        ci,
        tCritical: q,
        cohenD,
        latex: {
          statistic: {
            formula: 't = \\frac{\\bar d}{s_d/\\sqrt{n}},\\quad d_i = x_{1i} - x_{2i}',
            substituted: `t = \\frac{${tex(dm)}}{${tex(sd)}/\\sqrt{${n}}} = ${tex(t)}`,
          },
          df: { formula: '\\nu = n - 1', substituted: `\\nu = ${n} - 1 = ${df}` },
          p: `p = 2\\,P(T_{${df}} \\ge ${tex(Math.abs(t))}) = ${texP(p)}`,
          ci: ciFormula(dm, q, se, ci, alpha, df, '\\bar d'),
          cohenD: { formula: 'd_z = \\frac{\\bar d}{s_d}', substituted: cohenD === null ? 'd_z\\ \\text{is undefined } (s_d = 0)' : `d_z = \\frac{${tex(dm)}}{${tex(sd)}} = ${tex(cohenD)}` },
        },
        notes,
      },
    };
  });
}

// ---------------------------------------------------------------------------
// Mann–Whitney U.

/** Most work (pairs × U values) for the exact counting recurrence before the product formula is used. */
const EXACT_RECURRENCE_WORK = 5e7;

/**
 * The number of arrangements with U = k for samples of sizes m and n, for k = 0..K
 * (the coefficients of the Gaussian binomial [m+n choose m]_q). Exact integers in
 * doubles (as SciPy's) up to 2⁵³, by f(m, n, k) = f(m−1, n, k−n) + f(m, n−1, k).
 * Past ~5·10⁷ additions (a sample of ≤ 8 against thousands) the Gaussian binomial's
 * product formula is used instead: O(m·K), with a little cancellation (relative error
 * below 1e-12 where it is tested against the recurrence).
 */
export function mannWhitneyCounts(m: number, n: number, K: number, method?: 'recurrence' | 'product'): Float64Array {
  if (m > n) [m, n] = [n, m];
  const f: Float64Array[] = [];
  for (let i = 0; i <= m; i++) {
    f.push(new Float64Array(K + 1));
    f[i]![0] = 1;
  }
  if (method === 'recurrence' || (method === undefined && m * n * (K + 1) <= EXACT_RECURRENCE_WORK)) {
    for (let j = 1; j <= n; j++) {
      for (let i = 1; i <= m; i++) {
        const cur = f[i]!;
        const prev = f[i - 1]!;
        for (let k = K; k >= j; k--) cur[k] = cur[k]! + prev[k - j]!;
      }
    }
    return f[m]!;
  }
  // ∏_{i=1}^{m} (1 − q^{n+i})/(1 − q^i), truncated at degree K.
  const c = new Float64Array(K + 1);
  c[0] = 1;
  for (let i = 1; i <= m; i++) {
    for (let k = K; k >= n + i; k--) c[k] = c[k]! - c[k - n - i]!;
    for (let k = i; k <= K; k++) c[k] = c[k]! + c[k - i]!;
  }
  return c;
}

function binom(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** scipy.stats.mannwhitneyu(x, y, alternative='two-sided', method='auto'). */
export function mannWhitneyU(x: ArrayLike<number>, y: ArrayLike<number>): Outcome<MannWhitney> {
  return guard('the Mann–Whitney U test', () => {
    const bad = checkFinite(x, 'the first sample') ?? checkFinite(y, 'the second sample');
    if (bad) return fail(bad);
    const n1 = x.length;
    const n2 = y.length;
    if (n1 === 0 || n2 === 0) return fail('the Mann–Whitney U test needs values in both samples');
    const xy = new Float64Array(n1 + n2);
    xy.set(Array.from(x));
    xy.set(Array.from(y), n1);
    const ranks = rankAverage(xy);
    let r1 = 0;
    for (let i = 0; i < n1; i++) r1 += ranks[i]!;
    const U1 = r1 - (n1 * (n1 + 1)) / 2;
    const U2 = n1 * n2 - U1;
    const U = Math.max(U1, U2);
    // Ties among all values?
    const sortedRanks = Float64Array.from(ranks).sort();
    let tieTerm = 0;
    for (let i = 0; i < sortedRanks.length; ) {
      let j = i + 1;
      while (j < sortedRanks.length && sortedRanks[j] === sortedRanks[i]) j++;
      const t = j - i;
      tieTerm += t * t * t - t;
      i = j;
    }
    const ties = tieTerm > 0;
    const exact = !(n1 > 8 && n2 > 8) && !ties;
    const notes: string[] = [];
    const formula = 'U_1 = R_1 - \\frac{n_1(n_1 + 1)}{2},\\quad U_2 = n_1 n_2 - U_1';
    const substituted = `U_1 = ${tex(r1)} - \\frac{${n1}\\cdot ${n1 + 1}}{2} = ${tex(U1)},\\quad U_2 = ${n1}\\cdot ${n2} - ${tex(U1)} = ${tex(U2)}`;
    if (exact) {
      const K = n1 * n2 - U; // sf(U) = cdf(mn − U)
      const counts = mannWhitneyCounts(n1, n2, K);
      const total = binom(n1 + n2, Math.min(n1, n2));
      let s = 0;
      for (let k = 0; k <= K; k++) s += counts[k]! / total;
      const p = Math.min(1, Math.max(0, 2 * s));
      notes.push(`exact null distribution (one sample has at most 8 values and there are no ties)`);
      return {
        ok: true,
        value: {
          U1,
          U2,
          p,
          method: 'exact',
          z: null,
          latex: { formula, substituted, p: `p = 2\\,P(U \\ge ${tex(U)}) = ${texP(p)}\\quad(\\text{exact})` },
          notes,
        },
      };
    }
    const mu = (n1 * n2) / 2;
    const n = n1 + n2;
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    if (!(s > 0)) return fail('all values are tied: the Mann–Whitney U test is undefined');
    const z = (U - mu - 0.5) / s;
    const p = Math.min(1, Math.max(0, 2 * ndtr(-z)));
    notes.push(`normal approximation with continuity correction${ties ? ' and tie correction' : ''}`);
    return {
      ok: true,
      value: {
        U1,
        U2,
        p,
        method: 'asymptotic',
        z,
        latex: {
          formula: `${formula},\\quad z = \\frac{\\max(U_1, U_2) - \\frac{n_1 n_2}{2} - \\frac12}{\\sqrt{\\frac{n_1 n_2}{12}\\left(n + 1 - \\frac{\\sum_k (t_k^3 - t_k)}{n(n - 1)}\\right)}}`,
          substituted: `${substituted},\\quad z = \\frac{${tex(U)} - ${tex(mu)} - 0.5}{${tex(s)}} = ${tex(z)}`,
          p: `p = 2\\,(1 - \\Phi(z)) = ${texP(p)}`,
        },
        notes,
      },
    };
  });
}

// ---------------------------------------------------------------------------
// Everything for two columns.

export interface TwoSampleAnalysis {
  /** Correlation and regression need paired columns of equal length. */
  pearson: Outcome<Correlation>;
  spearman: Outcome<Correlation>;
  regression: Outcome<Regression>;
  student: Outcome<TTest>;
  welch: Outcome<TTest>;
  paired: Outcome<TTest>;
  mannWhitney: Outcome<MannWhitney>;
  /** The scatter plot's points (paired columns only; at most `maxScatter`, evenly thinned). */
  scatter: { x: number[]; y: number[]; thinned: boolean } | null;
}

/** All two-sample statistics for the panel. Never throws. */
export function compareSamples(x: ArrayLike<number>, y: ArrayLike<number>, options: TTestOptions & { maxScatter?: number } = {}): TwoSampleAnalysis {
  const paired = x.length === y.length;
  const notPaired = <T>(): Outcome<T> => fail(`needs paired columns of the same length (${x.length} and ${y.length} values)`);
  let scatter: TwoSampleAnalysis['scatter'] = null;
  if (paired) {
    const max = options.maxScatter ?? 5000;
    const step = Math.max(1, Math.ceil(x.length / max));
    const sx: number[] = [];
    const sy: number[] = [];
    for (let i = 0; i < x.length; i += step) {
      sx.push(x[i]!);
      sy.push(y[i]!);
    }
    scatter = { x: sx, y: sy, thinned: step > 1 };
  }
  return {
    pearson: paired ? pearson(x, y) : notPaired(),
    spearman: paired ? spearman(x, y) : notPaired(),
    regression: paired ? linearRegression(x, y) : notPaired(),
    student: tTestIndependent(x, y, true, options),
    welch: tTestIndependent(x, y, false, options),
    paired: paired ? tTestPaired(x, y, options) : notPaired(),
    mannWhitney: mannWhitneyU(x, y),
    scatter,
  };
}
