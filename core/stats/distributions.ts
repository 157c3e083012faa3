/**
 * The distribution explorer: nine distributions with SciPy's parametrizations
 * (scipy.stats 1.10):
 *
 * | name          | parameters    | SciPy                                  |
 * |---------------|---------------|----------------------------------------|
 * | `normal`      | μ, σ > 0      | norm(loc=μ, scale=σ)                   |
 * | `uniform`     | a < b         | uniform(loc=a, scale=b − a)            |
 * | `binomial`    | n ∈ ℕ, p∈[0,1]| binom(n, p)                            |
 * | `poisson`     | λ > 0         | poisson(λ)                             |
 * | `bernoulli`   | p ∈ [0, 1]    | bernoulli(p)                           |
 * | `beta`        | α > 0, β > 0  | beta(α, β)                             |
 * | `gamma`       | k > 0, θ > 0  | gamma(a=k, scale=θ) (shape/scale)      |
 * | `exponential` | λ > 0 (rate)  | expon(scale=1/λ)                       |
 * | `t`           | ν > 0         | t(df=ν)                                |
 *
 * Each gives pdf (or pmf), cdf, sf (the upper tail computed directly, so tails keep
 * their relative precision), ppf (SciPy's: the smallest k with cdf(k) ≥ q for the
 * discrete ones), mean and variance (null where SciPy gives nan: the mean of t with
 * ν ≤ 1, its variance for ν ≤ 1; Infinity for the variance of t with 1 < ν ≤ 2), the
 * support, LaTeX of the formulas, and plot points over the 0.001–0.999 quantiles.
 * The pmf of a discrete distribution is 0 off the integers, as SciPy's.
 */

import { tex } from './latex';
import { betaPrefix, dbinomRaw, dpoisRaw, incbeta, incgamma, ndtr, ndtri, npdf, solvePositive, stdtrit, studentTails, tpdf } from './special';
import type { Outcome } from './tests';

export type DistributionName = 'normal' | 'uniform' | 'binomial' | 'poisson' | 'bernoulli' | 'beta' | 'gamma' | 'exponential' | 't';

export interface ParamSpec {
  key: string;
  /** The symbol in LaTeX (μ → \mu). */
  latex: string;
  label: string;
  /** Valid range; `openMin`/`openMax` when the bound itself is excluded. */
  min: number;
  max: number;
  openMin: boolean;
  openMax: boolean;
  integer: boolean;
  default: number;
  /** A sensible slider range and step for the panel. */
  slider: { min: number; max: number; step: number };
}

export interface DistributionSpec {
  name: DistributionName;
  label: string;
  discrete: boolean;
  params: ParamSpec[];
  scipy: string;
}

const P = (key: string, latex: string, label: string, min: number, max: number, openMin: boolean, openMax: boolean, def: number, slider: [number, number, number], integer = false): ParamSpec => ({
  key,
  latex,
  label,
  min,
  max,
  openMin,
  openMax,
  integer,
  default: def,
  slider: { min: slider[0], max: slider[1], step: slider[2] },
});

/** Every distribution and its parameters (for the panel's sliders). */
export const DISTRIBUTIONS: readonly DistributionSpec[] = [
  { name: 'normal', label: 'Normal', discrete: false, scipy: 'scipy.stats.norm(loc=μ, scale=σ)', params: [P('mu', '\\mu', 'mean μ', -Infinity, Infinity, true, true, 0, [-10, 10, 0.1]), P('sigma', '\\sigma', 'standard deviation σ', 0, Infinity, true, true, 1, [0.1, 10, 0.1])] },
  { name: 'uniform', label: 'Uniform', discrete: false, scipy: 'scipy.stats.uniform(loc=a, scale=b − a)', params: [P('a', 'a', 'lower bound a', -Infinity, Infinity, true, true, 0, [-10, 10, 0.1]), P('b', 'b', 'upper bound b', -Infinity, Infinity, true, true, 1, [-10, 10, 0.1])] },
  { name: 'binomial', label: 'Binomial', discrete: true, scipy: 'scipy.stats.binom(n, p)', params: [P('n', 'n', 'trials n', 0, 1e9, false, false, 10, [1, 200, 1], true), P('p', 'p', 'success probability p', 0, 1, false, false, 0.5, [0, 1, 0.01])] },
  { name: 'poisson', label: 'Poisson', discrete: true, scipy: 'scipy.stats.poisson(λ)', params: [P('lambda', '\\lambda', 'rate λ', 0, 1e9, true, false, 3, [0.1, 100, 0.1])] },
  { name: 'bernoulli', label: 'Bernoulli', discrete: true, scipy: 'scipy.stats.bernoulli(p)', params: [P('p', 'p', 'success probability p', 0, 1, false, false, 0.5, [0, 1, 0.01])] },
  { name: 'beta', label: 'Beta', discrete: false, scipy: 'scipy.stats.beta(α, β)', params: [P('alpha', '\\alpha', 'shape α', 0, Infinity, true, true, 2, [0.1, 20, 0.1]), P('beta', '\\beta', 'shape β', 0, Infinity, true, true, 5, [0.1, 20, 0.1])] },
  { name: 'gamma', label: 'Gamma', discrete: false, scipy: 'scipy.stats.gamma(a=k, scale=θ)', params: [P('k', 'k', 'shape k', 0, Infinity, true, true, 2, [0.1, 20, 0.1]), P('theta', '\\theta', 'scale θ', 0, Infinity, true, true, 1, [0.1, 10, 0.1])] },
  { name: 'exponential', label: 'Exponential', discrete: false, scipy: 'scipy.stats.expon(scale=1/λ)', params: [P('lambda', '\\lambda', 'rate λ', 0, Infinity, true, true, 1, [0.1, 10, 0.1])] },
  { name: 't', label: 'Student t', discrete: false, scipy: 'scipy.stats.t(df=ν)', params: [P('nu', '\\nu', 'degrees of freedom ν', 0, Infinity, true, true, 5, [0.5, 50, 0.5])] },
];

export interface Distribution {
  name: DistributionName;
  label: string;
  discrete: boolean;
  params: Record<string, number>;
  /** Smallest and largest values with positive density/mass (may be ±Infinity). */
  support: [number, number];
  /** Density (continuous) or mass (discrete; 0 off the integers). */
  pdf(x: number): number;
  cdf(x: number): number;
  /** 1 − cdf, computed directly. */
  sf(x: number): number;
  /** Quantile: the x with cdf(x) = q (continuous); the smallest k with cdf(k) ≥ q (discrete). */
  ppf(q: number): number;
  mean: number | null;
  variance: number | null;
  /** Why the mean or variance is null or infinite. */
  notes: string[];
  latex: { pdf: string; cdf: string; mean: string; variance: string; params: string };
}

function checkParams(spec: DistributionSpec, params: Record<string, unknown>): string | null {
  for (const p of spec.params) {
    const v = params[p.key];
    if (typeof v !== 'number' || Number.isNaN(v)) return `${spec.label}: the parameter ${p.label} must be a number`;
    if (!Number.isFinite(v) && !(p.key === 'nu' && v === Infinity)) return `${spec.label}: ${p.label} must be finite (got ${v})`;
    if (p.integer && !Number.isInteger(v)) return `${spec.label}: ${p.label} must be a whole number (got ${v})`;
    if (v < p.min || (p.openMin && v === p.min)) return `${spec.label}: ${p.label} must be ${p.openMin ? 'greater than' : 'at least'} ${p.min} (got ${v})`;
    if (v > p.max || (p.openMax && v === p.max)) return `${spec.label}: ${p.label} must be ${p.openMax ? 'less than' : 'at most'} ${p.max} (got ${v})`;
  }
  return null;
}

/** A distribution with validated parameters. Never throws. */
export function distribution(name: string, params: Record<string, unknown>): Outcome<Distribution> {
  try {
    const spec = DISTRIBUTIONS.find((d) => d.name === name);
    if (!spec) return { ok: false, error: { message: `unknown distribution '${name}' (known: ${DISTRIBUTIONS.map((d) => d.name).join(', ')})` } };
    const bad = checkParams(spec, params);
    if (bad) return { ok: false, error: { message: bad } };
    const v: Record<string, number> = {};
    for (const p of spec.params) v[p.key] = params[p.key] as number;
    const made = build(spec, v);
    if (typeof made === 'string') return { ok: false, error: { message: made } };
    return { ok: true, value: made };
  } catch (err) {
    return { ok: false, error: { message: `internal error: ${err instanceof Error ? err.message : String(err)}` } };
  }
}

/** Smallest integer k in [lo, hi] with cdf(k) ≥ q (cdf nondecreasing; hi may be grown). */
function discretePpf(cdf: (k: number) => number, q: number, lo: number, hi: number): number {
  if (Number.isNaN(q) || q < 0 || q > 1) return NaN;
  if (q === 0) return lo - 1; // SciPy: one below the support
  while (hi < 1e300 && cdf(hi) < q) hi = Math.max(2 * hi, hi + 16);
  while (hi - lo > 0) {
    const mid = Math.floor((lo + hi) / 2);
    if (cdf(mid) >= q) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function ppfCheck(q: number): number | null {
  return Number.isNaN(q) || q < 0 || q > 1 ? NaN : null;
}

function build(spec: DistributionSpec, v: Record<string, number>): Distribution | string {
  const base = { name: spec.name, label: spec.label, discrete: spec.discrete, params: v, notes: [] as string[] };
  const paramsTex = spec.params.map((p) => `${p.latex} = ${tex(v[p.key]!)}`).join(',\\ ');
  switch (spec.name) {
    case 'normal': {
      const mu = v.mu!;
      const s = v.sigma!;
      return {
        ...base,
        support: [-Infinity, Infinity],
        pdf: (x) => npdf((x - mu) / s) / s,
        cdf: (x) => ndtr((x - mu) / s),
        sf: (x) => ndtr(-((x - mu) / s)),
        ppf: (q) => ppfCheck(q) ?? mu + s * ndtri(q),
        mean: mu,
        variance: s * s,
        latex: {
          pdf: 'f(x) = \\frac{1}{\\sigma\\sqrt{2\\pi}}\\, e^{-\\frac{(x - \\mu)^2}{2\\sigma^2}}',
          cdf: 'F(x) = \\Phi\\!\\left(\\frac{x - \\mu}{\\sigma}\\right) = \\tfrac12\\left[1 + \\operatorname{erf}\\!\\left(\\frac{x - \\mu}{\\sigma\\sqrt2}\\right)\\right]',
          mean: `\\mathbb{E}[X] = \\mu = ${tex(mu)}`,
          variance: `\\operatorname{Var}[X] = \\sigma^2 = ${tex(s * s)}`,
          params: paramsTex,
        },
      };
    }
    case 'uniform': {
      const a = v.a!;
      const b = v.b!;
      if (!(a < b)) return `Uniform: the lower bound a must be less than the upper bound b (got a = ${a}, b = ${b})`;
      const scale = b - a;
      const std = (x: number): number => (x - a) / scale;
      return {
        ...base,
        support: [a, b],
        pdf: (x) => {
          const z = std(x);
          return z >= 0 && z <= 1 ? 1 / scale : 0;
        },
        cdf: (x) => Math.min(1, Math.max(0, std(x))),
        sf: (x) => Math.min(1, Math.max(0, 1 - std(x))),
        ppf: (q) => ppfCheck(q) ?? a + q * scale,
        mean: a + 0.5 * scale,
        variance: (scale * scale) / 12,
        latex: {
          pdf: 'f(x) = \\frac{1}{b - a}\\quad (a \\le x \\le b)',
          cdf: 'F(x) = \\frac{x - a}{b - a}\\quad (a \\le x \\le b)',
          mean: `\\mathbb{E}[X] = \\frac{a + b}{2} = ${tex(a + 0.5 * scale)}`,
          variance: `\\operatorname{Var}[X] = \\frac{(b - a)^2}{12} = ${tex((scale * scale) / 12)}`,
          params: paramsTex,
        },
      };
    }
    case 'binomial': {
      const n = v.n!;
      const p = v.p!;
      const q = 1 - p;
      const cdf = (x: number): number => {
        const k = Math.floor(x);
        if (k < 0) return 0;
        if (k >= n) return 1;
        return incbeta(n - k, k + 1, q, p).p;
      };
      const sf = (x: number): number => {
        const k = Math.floor(x);
        if (k < 0) return 1;
        if (k >= n) return 0;
        return incbeta(k + 1, n - k, p, q).p;
      };
      return {
        ...base,
        support: [0, n],
        pdf: (x) => (Number.isInteger(x) && x >= 0 && x <= n ? dbinomRaw(x, n, p, q) : 0),
        cdf,
        sf,
        ppf: (u) => ppfCheck(u) ?? Math.min(n, discretePpf(cdf, u, 0, n)),
        mean: n * p,
        variance: n * p * (1 - p),
        latex: {
          pdf: 'P(X = k) = \\binom{n}{k} p^k (1 - p)^{n - k}',
          cdf: 'F(k) = \\sum_{i=0}^{\\lfloor k \\rfloor} \\binom{n}{i} p^i (1 - p)^{n - i} = I_{1-p}(n - k, k + 1)',
          mean: `\\mathbb{E}[X] = np = ${tex(n * p)}`,
          variance: `\\operatorname{Var}[X] = np(1 - p) = ${tex(n * p * (1 - p))}`,
          params: paramsTex,
        },
      };
    }
    case 'poisson': {
      const lam = v.lambda!;
      const cdf = (x: number): number => {
        const k = Math.floor(x);
        return k < 0 ? 0 : incgamma(k + 1, lam).q;
      };
      return {
        ...base,
        support: [0, Infinity],
        pdf: (x) => (Number.isInteger(x) && x >= 0 ? dpoisRaw(x, lam) : 0),
        cdf,
        sf: (x) => {
          const k = Math.floor(x);
          return k < 0 ? 1 : incgamma(k + 1, lam).p;
        },
        ppf: (u) => ppfCheck(u) ?? (u === 1 ? Infinity : discretePpf(cdf, u, 0, Math.ceil(lam + 10 * Math.sqrt(lam) + 10))),
        mean: lam,
        variance: lam,
        latex: {
          pdf: 'P(X = k) = \\frac{\\lambda^k e^{-\\lambda}}{k!}',
          cdf: 'F(k) = \\sum_{i=0}^{\\lfloor k \\rfloor} \\frac{\\lambda^i e^{-\\lambda}}{i!} = Q(\\lfloor k \\rfloor + 1, \\lambda)',
          mean: `\\mathbb{E}[X] = \\lambda = ${tex(lam)}`,
          variance: `\\operatorname{Var}[X] = \\lambda = ${tex(lam)}`,
          params: paramsTex,
        },
      };
    }
    case 'bernoulli': {
      const p = v.p!;
      return {
        ...base,
        support: [0, 1],
        pdf: (x) => (x === 0 ? 1 - p : x === 1 ? p : 0),
        cdf: (x) => (x < 0 ? 0 : x < 1 ? 1 - p : 1),
        sf: (x) => (x < 0 ? 1 : x < 1 ? p : 0),
        ppf: (u) => ppfCheck(u) ?? (u === 0 ? -1 : u <= 1 - p ? 0 : 1),
        mean: p,
        variance: p * (1 - p),
        latex: {
          pdf: 'P(X = 1) = p,\\quad P(X = 0) = 1 - p',
          cdf: 'F(x) = \\begin{cases} 0 & x < 0 \\\\ 1 - p & 0 \\le x < 1 \\\\ 1 & x \\ge 1 \\end{cases}',
          mean: `\\mathbb{E}[X] = p = ${tex(p)}`,
          variance: `\\operatorname{Var}[X] = p(1 - p) = ${tex(p * (1 - p))}`,
          params: paramsTex,
        },
      };
    }
    case 'beta': {
      const a = v.alpha!;
      const b = v.beta!;
      const pdf = (x: number): number => {
        if (x < 0 || x > 1 || Number.isNaN(x)) return x === x ? 0 : NaN;
        if (x === 0) return a < 1 ? Infinity : a === 1 ? b : 0;
        if (x === 1) return b < 1 ? Infinity : b === 1 ? a : 0;
        const y = 1 - x;
        return betaPrefix(a, b, x, y) / (x * y);
      };
      const ppf = (alpha: number, beta: number, u: number): number => {
        if (u === 0) return 0;
        if (u === 1) return 1;
        return solvePositive(
          (x) => (x >= 1 ? 1 : incbeta(alpha, beta, x).p),
          (x) => (x >= 1 ? 0 : betaPrefix(alpha, beta, x, 1 - x) / (x * (1 - x))),
          u,
          true,
          alpha / (alpha + beta),
        );
      };
      const m = a / (a + b);
      const varr = (a * b) / ((a + b) * (a + b) * (a + b + 1));
      return {
        ...base,
        support: [0, 1],
        pdf,
        cdf: (x) => (x <= 0 ? 0 : x >= 1 ? 1 : incbeta(a, b, x).p),
        sf: (x) => (x <= 0 ? 1 : x >= 1 ? 0 : incbeta(a, b, x).q),
        ppf: (u) => ppfCheck(u) ?? (u <= 0.5 ? ppf(a, b, u) : 1 - ppf(b, a, 1 - u)),
        mean: m,
        variance: varr,
        latex: {
          pdf: 'f(x) = \\frac{x^{\\alpha - 1}(1 - x)^{\\beta - 1}}{B(\\alpha, \\beta)}\\quad (0 \\le x \\le 1)',
          cdf: 'F(x) = I_x(\\alpha, \\beta)',
          mean: `\\mathbb{E}[X] = \\frac{\\alpha}{\\alpha + \\beta} = ${tex(m)}`,
          variance: `\\operatorname{Var}[X] = \\frac{\\alpha\\beta}{(\\alpha + \\beta)^2(\\alpha + \\beta + 1)} = ${tex(varr)}`,
          params: paramsTex,
        },
      };
    }
    case 'gamma': {
      const k = v.k!;
      const th = v.theta!;
      const pdf = (x: number): number => {
        if (Number.isNaN(x)) return NaN;
        if (x < 0) return 0;
        const y = x / th;
        if (y === 0) return k < 1 ? Infinity : k === 1 ? 1 / th : 0;
        return ((k / y) * dpoisRaw(k, y)) / th;
      };
      return {
        ...base,
        support: [0, Infinity],
        pdf,
        cdf: (x) => (x <= 0 ? 0 : incgamma(k, x / th).p),
        sf: (x) => (x <= 0 ? 1 : incgamma(k, x / th).q),
        ppf: (u) =>
          ppfCheck(u) ??
          (u === 0
            ? 0
            : u === 1
              ? Infinity
              : th *
                (u <= 0.5
                  ? solvePositive((y) => incgamma(k, y).p, (y) => (k / y) * dpoisRaw(k, y), u, true, k)
                  : solvePositive((y) => incgamma(k, y).q, (y) => (k / y) * dpoisRaw(k, y), 1 - u, false, k))),
        mean: k * th,
        variance: k * th * th,
        latex: {
          pdf: 'f(x) = \\frac{x^{k - 1} e^{-x/\\theta}}{\\Gamma(k)\\,\\theta^k}\\quad (x \\ge 0)',
          cdf: 'F(x) = P\\!\\left(k, \\frac{x}{\\theta}\\right) = \\frac{\\gamma(k, x/\\theta)}{\\Gamma(k)}',
          mean: `\\mathbb{E}[X] = k\\theta = ${tex(k * th)}`,
          variance: `\\operatorname{Var}[X] = k\\theta^2 = ${tex(k * th * th)}`,
          params: paramsTex,
        },
      };
    }
    case 'exponential': {
      const lam = v.lambda!;
      const scale = 1 / lam; // SciPy's parametrization
      return {
        ...base,
        support: [0, Infinity],
        pdf: (x) => (x < 0 ? 0 : Math.exp(-x / scale) / scale),
        cdf: (x) => (x <= 0 ? 0 : -Math.expm1(-x / scale)),
        sf: (x) => (x <= 0 ? 1 : Math.exp(-x / scale)),
        ppf: (q) => ppfCheck(q) ?? -Math.log1p(-q) * scale,
        mean: scale,
        variance: scale * scale,
        latex: {
          pdf: 'f(x) = \\lambda e^{-\\lambda x}\\quad (x \\ge 0)',
          cdf: 'F(x) = 1 - e^{-\\lambda x}',
          mean: `\\mathbb{E}[X] = \\frac{1}{\\lambda} = ${tex(scale)}`,
          variance: `\\operatorname{Var}[X] = \\frac{1}{\\lambda^2} = ${tex(scale * scale)}`,
          params: paramsTex,
        },
      };
    }
    case 't': {
      const nu = v.nu!;
      const notes: string[] = [];
      const mean = nu > 1 ? 0 : null;
      if (mean === null) notes.push('the mean is undefined for ν ≤ 1');
      const variance = nu > 2 ? nu / (nu - 2) : nu > 1 ? Infinity : null;
      if (variance === Infinity) notes.push('the variance is infinite for 1 < ν ≤ 2');
      else if (variance === null) notes.push('the variance is undefined for ν ≤ 1');
      return {
        ...base,
        notes,
        support: [-Infinity, Infinity],
        pdf: (x) => tpdf(nu, x),
        cdf: (x) => studentTails(nu, x).p,
        sf: (x) => studentTails(nu, x).q,
        ppf: (q) => ppfCheck(q) ?? stdtrit(nu, q),
        mean,
        variance,
        latex: {
          pdf: 'f(x) = \\frac{\\Gamma\\!\\left(\\frac{\\nu + 1}{2}\\right)}{\\sqrt{\\nu\\pi}\\,\\Gamma\\!\\left(\\frac{\\nu}{2}\\right)}\\left(1 + \\frac{x^2}{\\nu}\\right)^{-\\frac{\\nu + 1}{2}}',
          cdf: 'F(x) = 1 - \\tfrac12 I_{\\frac{\\nu}{\\nu + x^2}}\\!\\left(\\tfrac{\\nu}{2}, \\tfrac12\\right)\\quad (x \\ge 0)',
          mean: mean === null ? '\\mathbb{E}[X]\\ \\text{is undefined } (\\nu \\le 1)' : '\\mathbb{E}[X] = 0',
          variance:
            variance === null
              ? '\\operatorname{Var}[X]\\ \\text{is undefined } (\\nu \\le 1)'
              : variance === Infinity
                ? '\\operatorname{Var}[X] = \\infty\\quad (1 < \\nu \\le 2)'
                : `\\operatorname{Var}[X] = \\frac{\\nu}{\\nu - 2} = ${tex(variance)}`,
          params: paramsTex,
        },
      };
    }
  }
}

export interface PlotData {
  discrete: boolean;
  x: number[];
  /** Density or mass at each x; null where it is infinite (an edge of beta or gamma). */
  density: (number | null)[];
  cdf: number[];
  /** The plotted range's quantile levels. */
  range: { lowerQ: number; upperQ: number; lo: number; hi: number };
}

export interface PlotOptions {
  /** Points for a continuous distribution; default 201. */
  points?: number;
  /** Lower and upper quantile of the range; default 0.001 and 0.999. */
  lowerQ?: number;
  upperQ?: number;
  /** Most integers drawn for a discrete distribution (beyond, every k-th); default 2001. */
  maxBars?: number;
}

/** Points to plot the pdf/pmf and cdf over the central quantile range. Never throws. */
export function plotPoints(d: Distribution, options: PlotOptions = {}): PlotData {
  const lowerQ = options.lowerQ ?? 0.001;
  const upperQ = options.upperQ ?? 0.999;
  let lo = d.ppf(lowerQ);
  let hi = d.ppf(upperQ);
  if (!Number.isFinite(lo)) lo = Number.isFinite(d.support[0]) ? d.support[0] : -10;
  if (!Number.isFinite(hi)) hi = Number.isFinite(d.support[1]) ? d.support[1] : lo + 10;
  const x: number[] = [];
  if (d.discrete) {
    lo = Math.max(d.support[0], Math.floor(lo) - 1);
    hi = Math.min(d.support[1], Math.ceil(hi) + 1);
    const maxBars = Math.max(2, options.maxBars ?? 2001);
    const step = Math.max(1, Math.ceil((hi - lo + 1) / maxBars));
    for (let k = lo; k <= hi; k += step) x.push(k);
  } else {
    if (d.name === 'uniform') {
      const pad = (hi - lo) * 0.1;
      lo -= pad;
      hi += pad;
    }
    if (!(hi > lo)) hi = lo + 1;
    const m = Math.max(2, options.points ?? 201);
    for (let i = 0; i < m; i++) x.push(lo + ((hi - lo) * i) / (m - 1));
  }
  const density = x.map((t) => {
    const v = d.pdf(t);
    return Number.isFinite(v) ? v : null;
  });
  return { discrete: d.discrete, x, density, cdf: x.map((t) => d.cdf(t)), range: { lowerQ, upperQ, lo, hi } };
}

// ---------------------------------------------------------------------------
// Bayes' rule.

export interface BayesResult {
  prior: number;
  likelihood: number;
  likelihoodNot: number;
  /** P(E) = P(E|H)P(H) + P(E|¬H)(1 − P(H)). */
  evidence: number;
  /** P(H|E) = P(E|H)P(H)/P(E). */
  posterior: number;
  /** P(H|¬E) (what a negative observation would give); null when P(E) = 1. */
  posteriorIfNot: number | null;
  latex: { formula: string; evidence: string; posterior: string };
  /**
   * The picture: the unit square split into H (width P(H)) and ¬H, each column filled to
   * the height of P(E|·). The E areas are the joint probabilities; the posterior is the H
   * part of the E area.
   */
  picture: { rects: { label: string; x: number; width: number; height: number; evidence: boolean; area: number }[] };
}

/** Bayes' rule for a binary hypothesis. Never throws. */
export function bayes(prior: number, likelihood: number, likelihoodNot: number): Outcome<BayesResult> {
  for (const [name, v] of [
    ['the prior P(H)', prior],
    ['the likelihood P(E|H)', likelihood],
    ['P(E|¬H)', likelihoodNot],
  ] as const) {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) return { ok: false, error: { message: `${name} must be a probability between 0 and 1 (got ${v})` } };
  }
  const joint = likelihood * prior;
  const jointNot = likelihoodNot * (1 - prior);
  const evidence = joint + jointNot;
  if (!(evidence > 0)) return { ok: false, error: { message: 'P(E) = 0: the evidence is impossible under both hypotheses, so the posterior is undefined' } };
  const posterior = joint / evidence;
  const notE = 1 - evidence;
  const posteriorIfNot = notE > 0 ? ((1 - likelihood) * prior) / notE : null;
  return {
    ok: true,
    value: {
      prior,
      likelihood,
      likelihoodNot,
      evidence,
      posterior,
      posteriorIfNot,
      latex: {
        formula: 'P(H \\mid E) = \\frac{P(E \\mid H)\\,P(H)}{P(E)},\\quad P(E) = P(E \\mid H)\\,P(H) + P(E \\mid \\neg H)\\,(1 - P(H))',
        evidence: `P(E) = ${tex(likelihood)} \\cdot ${tex(prior)} + ${tex(likelihoodNot)} \\cdot ${tex(1 - prior)} = ${tex(evidence)}`,
        posterior: `P(H \\mid E) = \\frac{${tex(likelihood)} \\cdot ${tex(prior)}}{${tex(evidence)}} = ${tex(posterior)}`,
      },
      picture: {
        rects: [
          { label: 'H ∧ E', x: 0, width: prior, height: likelihood, evidence: true, area: joint },
          { label: 'H ∧ ¬E', x: 0, width: prior, height: 1 - likelihood, evidence: false, area: prior - joint },
          { label: '¬H ∧ E', x: prior, width: 1 - prior, height: likelihoodNot, evidence: true, area: jointNot },
          { label: '¬H ∧ ¬E', x: prior, width: 1 - prior, height: 1 - likelihoodNot, evidence: false, area: 1 - prior - jointNot },
        ],
      },
    },
  };
}
