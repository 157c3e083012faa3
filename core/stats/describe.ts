/**
 * Descriptive statistics of one sample, with NumPy's and SciPy's definitions (SciPy 1.10,
 * NumPy 1.24), so that every number agrees with them to rounding:
 *
 * - sums are NumPy's pairwise summation, replicated exactly (`npSum`), so the mean is
 *   NumPy's mean to the last bit and the central moments see the same deviations;
 * - `median`: np.median (mean of the two middle values for even n);
 * - `mode`: scipy.stats.mode: the smallest of the most frequent values, with its count.
 *   When every value occurs once SciPy still returns the smallest value with count 1; we
 *   return the same and set `allUnique` so the panel can say "no repeated value";
 * - variance / standard deviation: np.var / np.std with ddof = 1 (sample) and ddof = 0
 *   (population), both returned and labelled;
 * - quartiles: np.percentile's default 'linear' method (NumPy's `_lerp`, exactly), IQR = Q3 − Q1;
 * - skewness and excess kurtosis: scipy.stats.skew / kurtosis with bias = True (the
 *   default; m₃/m₂^{3/2}, m₄/m₂² − 3) and the bias-corrected bias = False versions. Like
 *   SciPy, both are undefined (null here, NaN there) when m₂ ≤ (10⁻¹⁵·mean)², i.e. for
 *   constant data. The corrected skewness needs n > 2 and the corrected kurtosis n > 3:
 *   SciPy then silently returns the biased value; we return null with that reason;
 * - `sem`: scipy.stats.sem (ddof = 1);
 * - histogram: np.histogram(x, bins='auto') — edges np.histogram_bin_edges(x, 'auto'),
 *   i.e. the smaller of the Sturges and Freedman–Diaconis widths (Sturges alone when the
 *   IQR is 0), `ceil(range/width)` equal bins from np.linspace, and NumPy's counting
 *   (last bin closed); the fitted normal curve is scipy.stats.norm.fit (mean, std with
 *   ddof = 0) scaled to counts by n·binwidth;
 * - box plot: matplotlib's convention (cbook.boxplot_stats, whis = 1.5): Q1, median,
 *   Q3 by np.percentile, whiskers at the most extreme data within 1.5·IQR of the box,
 *   the rest listed as outliers.
 *
 * `describe` never throws; values must be finite (data.ts drops NaN/±inf with a note).
 */

import { npdf } from './special';

/** NumPy's pairwise summation (numpy/core/src/umath/loops_utils.h), including the 8192-element reduction buffer. */
export function npSum(a: ArrayLike<number>, from = 0, to = a.length): number {
  let res = 0;
  for (let i = from; i < to; i += 8192) res += pairwise(a, i, Math.min(to, i + 8192) - i);
  return res;
}

function pairwise(a: ArrayLike<number>, at: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[at + i]!;
    return res;
  }
  if (n <= 128) {
    let r0 = a[at]!, r1 = a[at + 1]!, r2 = a[at + 2]!, r3 = a[at + 3]!, r4 = a[at + 4]!, r5 = a[at + 5]!, r6 = a[at + 6]!, r7 = a[at + 7]!;
    let i = 8;
    const end = n - (n % 8);
    for (; i < end; i += 8) {
      const k = at + i;
      r0 += a[k]!;
      r1 += a[k + 1]!;
      r2 += a[k + 2]!;
      r3 += a[k + 3]!;
      r4 += a[k + 4]!;
      r5 += a[k + 5]!;
      r6 += a[k + 6]!;
      r7 += a[k + 7]!;
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[at + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise(a, at, n2) + pairwise(a, at + n2, n - n2);
}

/** np.mean. */
export function npMean(a: ArrayLike<number>): number {
  return npSum(a) / a.length;
}

/** np.percentile(sorted, q) with the default 'linear' method; `sorted` ascending. */
export function percentileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const virtual = (n - 1) * (q / 100);
  let prev = Math.floor(virtual);
  let next = prev + 1;
  if (virtual >= n - 1) {
    prev = -1;
    next = -1;
  } else if (virtual < 0) {
    prev = 0;
    next = 0;
  }
  const gamma = virtual - prev;
  const a = sorted[prev < 0 ? n + prev : prev]!;
  const b = sorted[next < 0 ? n + next : next]!;
  return lerp(a, b, gamma);
}

/** NumPy 1.24's `_lerp`. */
function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** A statistic that SciPy leaves undefined (NaN) for this input. */
export interface Undefined {
  field: string;
  reason: string;
}

export interface Histogram {
  /** Bin edges (length bins + 1), np.histogram_bin_edges(x, 'auto'). */
  edges: number[];
  counts: number[];
  binWidth: number;
  /** Which width 'auto' chose: Freedman–Diaconis, Sturges, or a single bin (constant data). */
  rule: 'fd' | 'sturges' | 'single' | 'capped';
  /** The fitted normal N(mean, std²) (scipy.stats.norm.fit), scaled to counts: y = n·binWidth·pdf(x). */
  normal: { mean: number; std: number; scale: number; x: number[]; y: number[] } | null;
}

export interface BoxPlot {
  q1: number;
  median: number;
  q3: number;
  iqr: number;
  whiskerLow: number;
  whiskerHigh: number;
  /** Values beyond the whiskers, ascending (at most `maxOutliers`; `outlierCount` has the total). */
  outliers: number[];
  outlierCount: number;
}

export interface Descriptive {
  n: number;
  mean: number;
  median: number;
  mode: { value: number; count: number; allUnique: boolean };
  /** np.var with ddof = 1 (null for n = 1) and ddof = 0. */
  variance: { sample: number | null; population: number };
  std: { sample: number | null; population: number };
  quartiles: { q1: number; median: number; q3: number; iqr: number };
  /** scipy.stats.skew: bias = True (biased) and bias = False (unbiased). */
  skewness: { biased: number | null; unbiased: number | null };
  /** scipy.stats.kurtosis (Fisher, excess): bias = True and bias = False. */
  kurtosis: { biased: number | null; unbiased: number | null };
  min: number;
  max: number;
  range: number;
  sum: number;
  /** Standard error of the mean, scipy.stats.sem (ddof = 1); null for n = 1. */
  sem: number | null;
  histogram: Histogram;
  box: BoxPlot;
  /** Why each null above is null. */
  undefined: Undefined[];
}

export interface DescribeOptions {
  /** Most histogram bins drawn; beyond, Sturges' count is used and the rule is 'capped'. Default 10,000. */
  maxBins?: number;
  /** Points of the fitted normal curve. Default 201. */
  curvePoints?: number;
  /** Most outliers listed. Default 10,000. */
  maxOutliers?: number;
}

export type DescribeResult = { ok: true; value: Descriptive } | { ok: false; error: { message: string } };

/** Descriptive statistics of a sample of finite numbers. Never throws. */
export function describe(values: ArrayLike<number>, options: DescribeOptions = {}): DescribeResult {
  try {
    const n = values.length;
    if (n === 0) return { ok: false, error: { message: 'no values: the sample is empty' } };
    for (let i = 0; i < n; i++) if (!Number.isFinite(values[i]!)) return { ok: false, error: { message: `value ${i + 1} is not a finite number (${values[i]})` } };
    return { ok: true, value: describeFinite(Float64Array.from(values), options) };
  } catch (err) {
    return { ok: false, error: { message: `internal error in the descriptive statistics: ${err instanceof Error ? err.message : String(err)}` } };
  }
}

function describeFinite(x: Float64Array, options: DescribeOptions): Descriptive {
  const n = x.length;
  const undef: Undefined[] = [];
  const sum = npSum(x);
  const mean = sum / n;
  const sorted = Float64Array.from(x).sort();
  const min = sorted[0]!;
  const max = sorted[n - 1]!;
  const median = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;

  // Mode: smallest of the most frequent values.
  let best = sorted[0]!;
  let bestCount = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    if (j - i > bestCount) {
      bestCount = j - i;
      best = sorted[i]!;
    }
    i = j;
  }

  // Central moments about NumPy's mean (scipy.stats._moment: d², d²·d, (d²)²).
  const d2 = new Float64Array(n);
  const d3 = new Float64Array(n);
  const d4 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    const s = d * d;
    d2[i] = s;
    d3[i] = s * d;
    d4[i] = s * s;
  }
  const ss = npSum(d2);
  const m2 = ss / n;
  const m3 = npSum(d3) / n;
  const m4 = npSum(d4) / n;
  const varPop = m2;
  const varSample = n > 1 ? ss / (n - 1) : null;
  if (n === 1) undef.push({ field: 'variance.sample', reason: 'the sample variance (ddof = 1) needs at least 2 values' });

  const zero = m2 <= (1e-15 * mean) ** 2;
  let skew: number | null = null;
  let skewU: number | null = null;
  let kurt: number | null = null;
  let kurtU: number | null = null;
  if (zero) {
    const why = n === 1 ? 'a single value has no spread' : 'the values are all equal (zero variance)';
    undef.push({ field: 'skewness', reason: `undefined: ${why}` }, { field: 'kurtosis', reason: `undefined: ${why}` });
  } else {
    const s = m3 / Math.pow(m2, 1.5);
    const k = m4 / (m2 * m2);
    if (Number.isFinite(s)) {
      skew = s;
      if (n > 2) skewU = (Math.sqrt((n - 1) * n) / (n - 2)) * (m3 / Math.pow(m2, 1.5));
      else undef.push({ field: 'skewness.unbiased', reason: 'the bias-corrected skewness needs n ≥ 3 (SciPy returns the biased value)' });
    } else undef.push({ field: 'skewness', reason: 'the third moment overflows double precision (SciPy returns nan)' });
    if (Number.isFinite(k)) {
      kurt = k - 3;
      if (n > 3) kurtU = (1 / (n - 2) / (n - 3)) * ((n * n - 1) * (m4 / (m2 * m2)) - 3 * (n - 1) ** 2) + 3 - 3;
      else undef.push({ field: 'kurtosis.unbiased', reason: 'the bias-corrected kurtosis needs n ≥ 4 (SciPy returns the biased value)' });
    } else undef.push({ field: 'kurtosis', reason: 'the fourth moment overflows double precision (SciPy returns nan)' });
  }

  const q1 = percentileSorted(sorted, 25);
  const q3 = percentileSorted(sorted, 75);
  const p50 = percentileSorted(sorted, 50);
  const iqr = q3 - q1;
  const stdSample = varSample === null ? null : Math.sqrt(varSample);
  const stdPop = Math.sqrt(varPop);
  const sem = stdSample === null ? null : stdSample / Math.sqrt(n);
  if (sem === null) undef.push({ field: 'sem', reason: 'the standard error needs at least 2 values' });

  return {
    n,
    mean,
    median,
    mode: { value: best, count: bestCount, allUnique: bestCount === 1 && n > 1 },
    variance: { sample: varSample, population: varPop },
    std: { sample: stdSample, population: stdPop },
    quartiles: { q1, median: p50, q3, iqr },
    skewness: { biased: skew, unbiased: skewU },
    kurtosis: { biased: kurt, unbiased: kurtU },
    min,
    max,
    range: max - min,
    sum,
    sem,
    histogram: histogram(x, sorted, q1, q3, mean, stdPop, options),
    box: boxPlot(sorted, options.maxOutliers ?? 10_000),
    undefined: undef,
  };
}

/** np.histogram(x, bins='auto') plus the fitted normal curve. */
function histogram(x: Float64Array, sorted: Float64Array, q1: number, q3: number, mean: number, std: number, options: DescribeOptions): Histogram {
  const n = x.length;
  let first = sorted[0]!;
  let last = sorted[n - 1]!;
  const ptp = last - first;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const fd = 2.0 * (q3 - q1) * Math.pow(n, -1.0 / 3.0);
  const sturges = ptp / (Math.log2(n) + 1.0);
  const width = fd ? Math.min(fd, sturges) : sturges;
  let bins = width ? Math.ceil((last - first) / width) : 1;
  let rule: Histogram['rule'] = !width ? 'single' : fd && fd < sturges ? 'fd' : 'sturges';
  const maxBins = options.maxBins ?? 10_000;
  if (bins > maxBins) {
    bins = Math.ceil(Math.log2(n)) + 1;
    rule = 'capped';
  }
  // np.linspace(first, last, bins + 1)
  const step = (last - first) / bins;
  const edges = new Array<number>(bins + 1);
  for (let i = 0; i < bins; i++) edges[i] = step === 0 ? (i / bins) * (last - first) + first : i * step + first;
  edges[bins] = last;
  // NumPy's equal-width counting.
  const counts = new Array<number>(bins).fill(0);
  const denom = last - first;
  for (let k = 0; k < n; k++) {
    const v = x[k]!;
    let i = Math.trunc(((v - first) / denom) * bins);
    if (i === bins) i--;
    if (v < edges[i]!) i--;
    if (v >= edges[i + 1]! && i !== bins - 1) i++;
    counts[i]!++;
  }
  const binWidth = edges[1]! - edges[0]!;
  let normal: Histogram['normal'] = null;
  if (std > 0 && Number.isFinite(std)) {
    const m = Math.max(2, options.curvePoints ?? 201);
    const scale = n * binWidth;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < m; i++) {
      const t = first + ((last - first) * i) / (m - 1);
      xs.push(t);
      ys.push((scale * npdf((t - mean) / std)) / std);
    }
    normal = { mean, std, scale, x: xs, y: ys };
  }
  return { edges, counts, binWidth, rule, normal };
}

/** matplotlib.cbook.boxplot_stats(x, whis=1.5) on sorted data. */
function boxPlot(sorted: Float64Array, maxOutliers: number): BoxPlot {
  const n = sorted.length;
  const q1 = percentileSorted(sorted, 25);
  const median = percentileSorted(sorted, 50);
  const q3 = percentileSorted(sorted, 75);
  const iqr = q3 - q1;
  const lo = q1 - 1.5 * iqr;
  const hi = q3 + 1.5 * iqr;
  let whiskerHigh = q3;
  for (let i = n - 1; i >= 0; i--) {
    if (sorted[i]! <= hi) {
      whiskerHigh = sorted[i]! < q3 ? q3 : sorted[i]!;
      break;
    }
  }
  let whiskerLow = q1;
  for (let i = 0; i < n; i++) {
    if (sorted[i]! >= lo) {
      whiskerLow = sorted[i]! > q1 ? q1 : sorted[i]!;
      break;
    }
  }
  const outliers: number[] = [];
  let outlierCount = 0;
  for (let i = 0; i < n; i++) {
    const v = sorted[i]!;
    if (v < whiskerLow || v > whiskerHigh) {
      outlierCount++;
      if (outliers.length < maxOutliers) outliers.push(v);
    }
  }
  return { q1, median, q3, iqr, whiskerLow, whiskerHigh, outliers, outlierCount };
}
