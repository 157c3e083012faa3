/**
 * Special functions for the statistics engine, in double precision, each accurate to
 * about 1e-14 relative in the ranges the panel uses (checked against SciPy 1.10 and
 * mpmath in test/unit/stats-special.test.ts):
 *
 * - `lgamma` (Lanczos, g = 7, n = 9, below 15; Stirling's series with six terms above);
 * - `stirlerr`, `bd0`, `dpoisRaw`, `dbinomRaw`: Catherine Loader's saddle-point forms
 *   ("Fast and accurate computation of binomial probabilities", 2000, as in R's nmath),
 *   which keep full relative precision for large parameters (Poisson λ = 500,
 *   binomial n = 1000) where exp(a·log x − x − lgamma(a)) would lose digits;
 * - the regularized incomplete gamma P(a, x) / Q(a, x): power series below x = a + 1,
 *   Legendre's continued fraction (modified Lentz) above, both complements returned so
 *   that either tail keeps its relative precision;
 * - the regularized incomplete beta I_x(a, b): continued fraction (modified Lentz) on
 *   the side x < (a + 1)/(a + b + 2), the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) on the
 *   other, with 1 − x passed separately so it is never formed by subtraction;
 * - `erf`/`erfc` through P(½, x²)/Q(½, x²); the normal CDF `ndtr`;
 * - `ndtri`, the normal quantile: Acklam's rational approximation followed by Halley
 *   steps against `ndtr` until they stop changing x;
 * - `stdtr`, `stdtrit`: the Student t CDF through I_x(ν/2, ½) and its inverse by a
 *   safeguarded Newton iteration (bisection fallback) on the log of the tail.
 *
 * None of these throw; arguments outside the domain give NaN.
 */

const LN_SQRT_2PI = 0.9189385332046728; // log(sqrt(2π))
const SQRT_2PI = 2.5066282746310002;
const EPS = 2.220446049250313e-16;
const TINY = 1e-300;

// ---------------------------------------------------------------------------
// Gamma function.

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** Stirling's series for lgamma(x) − [(x − ½)·log x − x + log √(2π)], x ≥ 15. */
function lgammaCorrection(x: number): number {
  const x2 = 1 / (x * x);
  return (
    (1 / 12 - x2 * (1 / 360 - x2 * (1 / 1260 - x2 * (1 / 1680 - x2 * (1 / 1188 - x2 * (691 / 360360 - (x2 * 1) / 156)))))) / x
  );
}

/** log Γ(x) for x > 0 (NaN for x ≤ 0 or NaN; the panel never needs negative arguments). */
export function lgamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  if (x === Infinity) return Infinity;
  if (x === 1 || x === 2) return 0;
  if (x >= 15) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + lgammaCorrection(x);
  if (x < 0.5) {
    // Γ(x) = Γ(x + 1)/x keeps the Lanczos sum in its accurate range.
    if (x < 1e-300) return -Math.log(x);
    return lgamma(x + 1) - Math.log(x);
  }
  const z = x - 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) s += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Γ(x) for x > 0. */
export function gamma(x: number): number {
  return Math.exp(lgamma(x));
}

/** log B(a, b), with the large-argument difference taken without cancellation. */
export function lbeta(a: number, b: number): number {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (hi < 15) return lgamma(a) + lgamma(b) - lgamma(a + b);
  // lgamma(hi) − lgamma(lo + hi) = −lo·log(hi) − (lo + hi − ½)·log1p(lo/hi) + lo + c(hi) − c(lo + hi)
  const diff = -lo * Math.log(hi) - (lo + hi - 0.5) * Math.log1p(lo / hi) + lo + lgammaCorrection(hi) - lgammaCorrection(lo + hi);
  return lgamma(lo) + diff;
}

/**
 * Loader's stirlerr(n) = log(n!) − log(√(2πn)·(n/e)ⁿ), for real n ≥ 0.
 */
export function stirlerr(n: number): number {
  if (n > 15) return lgammaCorrection(n);
  if (n === 0) return 0; // unused: callers treat 0 separately
  return lgamma(n + 1) - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI;
}

/** Loader's bd0(x, np) = x·log(x/np) + np − x, computed stably when x ≈ np. */
export function bd0(x: number, np: number): number {
  if (Math.abs(x - np) < 0.1 * (x + np)) {
    const v = (x - np) / (x + np);
    let s = (x - np) * v;
    let ej = 2 * x * v;
    const v2 = v * v;
    for (let j = 1; j < 1000; j++) {
      ej *= v2;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return x * Math.log(x / np) + np - x;
}

/** xᵏ e^{−λ}/Γ(k + 1) for real k ≥ 0, λ ≥ 0 (Loader's dpois_raw). */
export function dpoisRaw(k: number, lambda: number): number {
  if (lambda === 0) return k === 0 ? 1 : 0;
  if (k < 0) return 0;
  if (k === 0) return Math.exp(-lambda);
  if (!Number.isFinite(lambda)) return 0;
  if (k < 1e-10 * lambda) return Math.exp(-lambda + k * Math.log(lambda) - lgamma(k + 1));
  return Math.exp(-stirlerr(k) - bd0(k, lambda)) / Math.sqrt(2 * Math.PI * k);
}

/** Γ(n+1)/(Γ(x+1)Γ(n−x+1))·pˣ·qⁿ⁻ˣ for real 0 ≤ x ≤ n, q = 1 − p given separately (Loader's dbinom_raw). */
export function dbinomRaw(x: number, n: number, p: number, q: number): number {
  if (p === 0) return x === 0 ? 1 : 0;
  if (q === 0) return x === n ? 1 : 0;
  if (x === 0) {
    if (n === 0) return 1;
    return Math.exp(p < 0.1 ? -bd0(n, n * q) - n * p : n * Math.log(q));
  }
  if (x === n) return Math.exp(q < 0.1 ? -bd0(n, n * p) - n * q : n * Math.log(p));
  if (x < 0 || x > n) return 0;
  const lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
  const lf = Math.log(2 * Math.PI) + Math.log(x) + Math.log1p(-x / n);
  return Math.exp(lc - 0.5 * lf);
}

// ---------------------------------------------------------------------------
// Incomplete gamma.

export interface Tails {
  /** The lower tail (CDF-like). */
  p: number;
  /** The upper tail, 1 − p, computed directly where it is the small one. */
  q: number;
}

/** Regularized incomplete gamma: P(a, x) = γ(a, x)/Γ(a) and Q = 1 − P, a > 0, x ≥ 0. */
export function incgamma(a: number, x: number): Tails {
  if (!(a > 0) || !(x >= 0) || Number.isNaN(x)) return { p: NaN, q: NaN };
  if (x === 0) return { p: 0, q: 1 };
  if (x === Infinity) return { p: 1, q: 0 };
  if (a === Infinity) return { p: 0, q: 1 };
  if (x < a + 1) {
    // P = xᵃe⁻ˣ/Γ(a+1) · Σ xⁿ/((a+1)…(a+n))
    const pre = dpoisRaw(a, x);
    let term = 1;
    let sum = 1;
    for (let n = 1; n < 100000; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * EPS * 0.5) break;
    }
    const p = Math.min(1, pre * sum);
    return { p, q: 1 - p };
  }
  // Q = xᵃe⁻ˣ/Γ(a) · 1/(x+1−a− 1(1−a)/(x+3−a− 2(2−a)/(x+5−a− …)))
  const pre = a * dpoisRaw(a, x);
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  const q = Math.min(1, pre * h);
  return { p: 1 - q, q };
}

/** P(a, x), as scipy.special.gammainc. */
export function gammainc(a: number, x: number): number {
  return incgamma(a, x).p;
}

/** Q(a, x), as scipy.special.gammaincc. */
export function gammaincc(a: number, x: number): number {
  return incgamma(a, x).q;
}

// ---------------------------------------------------------------------------
// Incomplete beta.

/** xᵃ yᵇ / B(a, b), y = 1 − x (given separately). */
export function betaPrefix(a: number, b: number, x: number, y: number): number {
  if (a >= 8 && b >= 8) {
    // Loader's form: xᵃyᵇ/B(a,b) = ab/(a+b) · Γ(a+b+1)/(Γ(a+1)Γ(b+1)) xᵃ yᵇ
    return ((a * b) / (a + b)) * dbinomRaw(a, a + b, x, y);
  }
  // log x from log1p(−y) when x is near 1 (y is then known to full relative precision).
  const lx = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const ly = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  return Math.exp(a * lx + b * ly - lbeta(a, b));
}

/** The continued fraction of I_x(a, b) (Numerical Recipes' betacf, modified Lentz). */
function betacf(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  const maxIter = 10000 + Math.ceil(20 * Math.sqrt(Math.max(a, b)));
  for (let m = 1; m <= maxIter; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b) (p) and its complement (q), a, b > 0,
 * 0 ≤ x ≤ 1; `y` = 1 − x when the caller knows it more precisely than 1 − x.
 */
export function incbeta(a: number, b: number, x: number, y: number = 1 - x): Tails {
  if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1)) return { p: NaN, q: NaN };
  if (x === 0) return { p: 0, q: 1 };
  if (y === 0 || x === 1) return { p: 1, q: 0 };
  if (x < (a + 1) / (a + b + 2)) {
    const p = Math.min(1, (betaPrefix(a, b, x, y) * betacf(a, b, x)) / a);
    return { p, q: 1 - p };
  }
  const q = Math.min(1, (betaPrefix(a, b, x, y) * betacf(b, a, y)) / b);
  return { p: 1 - q, q };
}

/** I_x(a, b), as scipy.special.betainc. */
export function betainc(a: number, b: number, x: number): number {
  return incbeta(a, b, x).p;
}

// ---------------------------------------------------------------------------
// Error function and the normal distribution.

/** erf(x), as scipy.special.erf. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 1e-8) return (2 / Math.sqrt(Math.PI)) * x;
  if (ax > 6) return Math.sign(x);
  const t = incgamma(0.5, ax * ax);
  // Near zero P is the small tail; beyond, 1 − Q keeps the digits P has.
  return Math.sign(x) * t.p;
}

/** erfc(x) = 1 − erf(x), as scipy.special.erfc (relative precision in the upper tail). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (x === -Infinity) return 2;
  const ax = Math.abs(x);
  if (ax < 1e-8) return 1 - (2 / Math.sqrt(Math.PI)) * x;
  if (x > 27.3) return 0; // below the smallest double
  const t = incgamma(0.5, ax * ax);
  return x > 0 ? t.q : 1 + t.p;
}

/** Φ(z), the standard normal CDF, as scipy.special.ndtr. */
export function ndtr(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const x = z * Math.SQRT1_2;
  return z < 0 ? 0.5 * erfc(-x) : 1 - 0.5 * erfc(x);
}

/** The standard normal density. */
export function npdf(z: number): number {
  return Math.exp(-0.5 * z * z) / SQRT_2PI;
}

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549671010173131, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Φ⁻¹(p), as scipy.special.ndtri: Acklam's approximation refined by Halley's method. */
export function ndtri(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -ndtri(1 - p); // 1 − p is exact for p ≥ ½
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) / (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
  }
  if (p === 0.5) return 0;
  for (let i = 0; i < 8; i++) {
    const e = ndtr(x) - p;
    const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
    const step = u / (1 + 0.5 * x * u);
    x -= step;
    if (Math.abs(step) <= 1e-16 * Math.abs(x)) break;
  }
  return x;
}

// ---------------------------------------------------------------------------
// Student t.

/** P(T ≤ t) and P(T > t) for Student's t with ν > 0 degrees of freedom. */
export function studentTails(nu: number, t: number): Tails {
  if (!(nu > 0) || Number.isNaN(t)) return { p: NaN, q: NaN };
  if (t === 0) return { p: 0.5, q: 0.5 };
  if (t === Infinity) return { p: 1, q: 0 };
  if (t === -Infinity) return { p: 0, q: 1 };
  if (nu === Infinity) return { p: ndtr(t), q: ndtr(-t) };
  const at = Math.abs(t);
  let x: number;
  let y: number;
  if (at > 1) {
    const r = nu / at / at;
    x = r / (1 + r);
    y = 1 / (1 + r);
  } else {
    const t2 = at * at;
    x = nu / (nu + t2);
    y = t2 / (nu + t2);
  }
  // I_x(ν/2, ½) = P(|T| > |t|)
  const ib = incbeta(nu / 2, 0.5, x, y);
  const tail = ib.p / 2;
  const body = 0.5 + ib.q / 2;
  return t < 0 ? { p: tail, q: body } : { p: body, q: tail };
}

/** The Student t CDF, as scipy.special.stdtr(df, t). */
export function stdtr(nu: number, t: number): number {
  return studentTails(nu, t).p;
}

/** The Student t density. */
export function tpdf(nu: number, t: number): number {
  if (!(nu > 0)) return NaN;
  if (nu === Infinity) return npdf(t);
  const lc = lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * Math.log(nu * Math.PI);
  return Math.exp(lc - ((nu + 1) / 2) * Math.log1p((t * t) / nu));
}

/**
 * Solves G(y) = target for y > 0 where G is a monotone tail with density ±g, by a
 * safeguarded Newton iteration on log G with geometric bisection as the fallback.
 * `increasing`: G is a CDF (true) or a survival function (false).
 */
export function solvePositive(G: (y: number) => number, g: (y: number) => number, target: number, increasing: boolean, guess: number): number {
  if (!(target > 0)) return increasing ? 0 : Infinity;
  const lt = Math.log(target);
  // h(y) = log G(y) − log target, sign per direction: we want h(y) = 0.
  const h = (y: number): number => Math.log(G(y)) - lt;
  let lo = 0;
  let hi = Infinity;
  let y = guess > 0 && Number.isFinite(guess) ? guess : 1;
  // Bracket.
  let factor = 4;
  for (let i = 0; i < 200; i++) {
    const v = h(y);
    if (v === 0) return y;
    const below = increasing ? v < 0 : v > 0; // root is above y
    if (below) {
      lo = y;
      if (hi < Infinity) break;
      y *= factor;
      if (y > 1e308) return Infinity;
    } else {
      hi = y;
      if (lo > 0) break;
      y /= factor;
      if (y < 1e-308) return 0;
    }
    factor = Math.min(factor * factor, 1e30);
  }
  y = lo > 0 && hi < Infinity ? Math.sqrt(lo) * Math.sqrt(hi) : y;
  for (let i = 0; i < 400; i++) {
    const Gy = G(y);
    const v = Math.log(Gy) - lt;
    if (v === 0) return y;
    const below = increasing ? v < 0 : v > 0;
    if (below) lo = y;
    else hi = y;
    const deriv = ((increasing ? 1 : -1) * g(y)) / Gy;
    let next = y - v / deriv;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) {
      next = hi / lo > 4 ? Math.sqrt(lo) * Math.sqrt(hi) : 0.5 * (lo + hi);
    }
    if (Math.abs(next - y) <= 4 * EPS * y || hi - lo <= 4 * EPS * hi) return next;
    y = next;
  }
  return y;
}

/** The Student t quantile, as scipy.special.stdtrit(df, p). */
export function stdtrit(nu: number, p: number): number {
  if (!(nu > 0) || Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (nu === Infinity) return ndtri(p);
  if (p > 0.5) return -stdtrit(nu, 1 - p);
  if (nu === 1) return -1 / Math.tan(Math.PI * p); // Cauchy: tan(π(p − ½)) = −cot(πp), without the cancellation near p = 0
  // −t > 0 with P(T > −t) = p
  const z = -ndtri(p);
  const guess = nu > 2 ? z : Math.max(z, Math.pow(p * nu * Math.sqrt(Math.PI * nu), -1 / nu));
  return -solvePositive(
    (y) => studentTails(nu, y).q,
    (y) => tpdf(nu, y),
    p,
    false,
    guess,
  );
}
