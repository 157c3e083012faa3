/**
 * Sampling a function of one variable for a plot, honestly: a polyline is
 * broken wherever the function is not finite, at poles (located by
 * bisection and returned as vertical asymptotes), and at jump
 * discontinuities; the engine's kink points are inserted exactly, so a ReLU
 * has its corner at 0 and its derivative's jump is not drawn as a steep line.
 *
 * Pure numeric code: the functions come in as closures.
 */
import type { PlotSamples, Segment } from './types';
import type { Fn1 } from './fast';

export interface PlotFunctions {
  variable: string;
  f: Fn1;
  df: Fn1;
  /** f″; null when it could not be computed. */
  d2f: Fn1 | null;
  /**
   * The engine's kink conditions: f, f′ or f″ may be non-differentiable (or
   * jump) where one of these is 0.
   */
  kinkZeros: Fn1[];
}

export interface SampleOptions {
  /** Include f″ (default true when available). */
  second?: boolean;
  /** Stop refining after this time (performance.now() value); sampling still completes. */
  deadline?: number;
}

/** Samples per curve: at least 2, at most this. */
export const MAX_SAMPLES = 20_000;

const finite = Number.isFinite;

function quantileSorted(s: Float64Array, q: number): number {
  if (s.length === 0) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))));
  return s[i]!;
}

/** Finite values, sorted. */
function sortedFinite(ys: Float64Array): Float64Array {
  const out = new Float64Array(ys.length);
  let k = 0;
  for (let i = 0; i < ys.length; i++) if (finite(ys[i]!)) out[k++] = ys[i]!;
  return out.subarray(0, k).sort();
}

interface Scale {
  /** Robust height (q95 − q05), never 0. */
  h: number;
  /** Robust centre (median). */
  mid: number;
  /** y-range to show: the whole range when it is not dominated by outliers, else robust quantiles. */
  lo: number;
  hi: number;
  any: boolean;
}

function scaleOf(ys: Float64Array): Scale {
  const s = sortedFinite(ys);
  if (s.length === 0) return { h: 1, mid: 0, lo: NaN, hi: NaN, any: false };
  const q05 = quantileSorted(s, 0.05);
  const q95 = quantileSorted(s, 0.95);
  const mid = quantileSorted(s, 0.5);
  let h = q95 - q05;
  if (!(h > 0)) h = Math.max(1e-9, Math.abs(mid) * 1e-3, s[s.length - 1]! - s[0]!);
  const min = s[0]!;
  const max = s[s.length - 1]!;
  const q02 = quantileSorted(s, 0.02);
  const q98 = quantileSorted(s, 0.98);
  const robust = q98 - q02;
  let lo = min;
  let hi = max;
  // Outliers (a pole's neighbourhood, exp's tail) would flatten everything else.
  if (max - min > 3 * Math.max(robust, 1e-300)) {
    lo = q02 - 0.25 * robust;
    hi = q98 + 0.25 * robust;
    if (min >= lo) lo = min;
    if (max <= hi) hi = max;
  }
  return { h, mid, lo, hi, any: true };
}

/** Roots of z in [xmin, xmax], from its samples at xs (sign changes and exact zeros), refined by bisection. */
export function rootsOn(z: Fn1, xs: Float64Array): number[] {
  const out: number[] = [];
  const n = xs.length;
  let xa = xs[0]!;
  let za = z(xa);
  if (za === 0) out.push(xa);
  for (let i = 1; i < n; i++) {
    const xb = xs[i]!;
    const zb = z(xb);
    if (zb === 0) out.push(xb);
    else if (finite(za) && finite(zb) && za !== 0 && za < 0 !== zb < 0) {
      let lo = xa;
      let hi = xb;
      let zlo = za;
      for (let k = 0; k < 80; k++) {
        const m = 0.5 * (lo + hi);
        if (m <= lo || m >= hi) break;
        const zm = z(m);
        if (zm === 0) {
          lo = hi = m;
          break;
        }
        if (zm < 0 === zlo < 0) {
          lo = m;
          zlo = zm;
        } else hi = m;
      }
      out.push(0.5 * (lo + hi));
    }
    xa = xb;
    za = zb;
  }
  return out;
}

type Disc = { kind: 'pole' | 'jump' | 'gap'; x: number; lo: number; ylo: number; hi: number; yhi: number };

/**
 * Is there a discontinuity in [a, b] (both values finite)? Bisection keeps
 * the half where g changes more; a continuous function's change shrinks with
 * the interval, a jump's stays, a pole's grows.
 */
function findJump(g: Fn1, a: number, ya: number, b: number, yb: number, sc: Scale, far: (y: number) => boolean): Disc | null {
  const initial = Math.abs(yb - ya);
  let lo = a;
  let hi = b;
  let ylo = ya;
  let yhi = yb;
  for (let k = 0; k < 64; k++) {
    const m = 0.5 * (lo + hi);
    if (m <= lo || m >= hi) break;
    const ym = g(m);
    if (!finite(ym)) {
      return { kind: Number.isNaN(ym) ? 'gap' : 'pole', x: m, lo, ylo, hi, yhi };
    }
    if (Math.abs(ym - ylo) >= Math.abs(yhi - ym)) {
      hi = m;
      yhi = ym;
    } else {
      lo = m;
      ylo = ym;
    }
  }
  const jump = Math.abs(yhi - ylo);
  if (!(jump > 0.25 * initial) || jump < 1e-9 * sc.h) return null;
  const big = Math.max(Math.abs(ylo), Math.abs(yhi));
  const kind = far(ylo) || far(yhi) || big > 1e3 * (Math.abs(ya) + Math.abs(yb) + sc.h) ? 'pole' : 'jump';
  return { kind, x: 0.5 * (lo + hi), lo, ylo, hi, yhi };
}

/**
 * A pole between two samples, found as an interior maximum of |g| far above
 * both ends (a golden-section search). This finds even poles (1/x², sec² x),
 * where the values on both sides have the same sign and bisection on the
 * change cannot tell which half holds the pole, as well as odd ones.
 */
function findPole(g: Fn1, a: number, ya: number, b: number, yb: number): Disc | null {
  const ends = Math.max(Math.abs(ya), Math.abs(yb));
  const r = (Math.sqrt(5) - 1) / 2;
  let lo = a;
  let hi = b;
  let c = hi - r * (hi - lo);
  let d = lo + r * (hi - lo);
  let yc = Math.abs(g(c));
  let yd = Math.abs(g(d));
  for (let k = 0; k < 90 && hi - lo > 0; k++) {
    if (!finite(yc)) return { kind: 'pole', x: c, lo: a, ylo: ya, hi: b, yhi: yb };
    if (!finite(yd)) return { kind: 'pole', x: d, lo: a, ylo: ya, hi: b, yhi: yb };
    if (yc > yd) {
      hi = d;
      d = c;
      yd = yc;
      c = hi - r * (hi - lo);
      yc = Math.abs(g(c));
    } else {
      lo = c;
      c = d;
      yc = yd;
      d = lo + r * (hi - lo);
      yd = Math.abs(g(d));
    }
    if (c >= d) break;
  }
  const x = 0.5 * (lo + hi);
  const peak = Math.max(yc, yd);
  if (peak > 1e6 * ends) return { kind: 'pole', x, lo: a, ylo: ya, hi: b, yhi: yb };
  // A pole nearer to an end sample than floating point can bracket (1/(x − c) with c 1e-19 from a sample):
  // that sample is huge next to the other one, and |g| grows like a power of the distance towards it
  // (×1,000 from 1e-3 to 1e-6 of the interval for a simple pole; a steep exponential barely changes)…
  const ends2: [number, number, number, number][] = [[b, yb, a, ya], [a, ya, b, yb]];
  for (const [e, ye, o, yo] of ends2) {
    if (!(Math.abs(ye) > 1e6 * Math.max(1, Math.abs(yo)))) continue;
    const step = o - e;
    const g3 = Math.abs(g(e + 1e-3 * step));
    const g6 = Math.abs(g(e + 1e-6 * step));
    // …and the end sample dwarfs even g at 1e-6 of the interval: the pole is within ~1e-12 of it, not
    // merely close by (a pole 1e-9 beyond the sample is bracketed, and located, in the next interval).
    if (finite(g3) && finite(g6) && g6 > 100 * g3 && Math.abs(ye) > 1e6 * g6) return { kind: 'pole', x: e, lo: a, ylo: ya, hi: b, yhi: yb };
  }
  return null;
}

/** The point between `inside` (value within ±limit of mid) and `outside` where |g − mid| reaches limit. */
function clipPoint(g: Fn1, inside: number, yin: number, outside: number, mid: number, limit: number): [number, number] {
  let a = inside;
  let ya = yin;
  let b = outside;
  for (let k = 0; k < 60; k++) {
    const m = 0.5 * (a + b);
    if (m === a || m === b) break;
    const ym = g(m);
    if (finite(ym) && Math.abs(ym - mid) <= limit) {
      a = m;
      ya = ym;
    } else b = m;
  }
  return [a, ya];
}

/** The last point where g is finite, walking from `good` toward `bad` (a domain edge). */
function edgePoint(g: Fn1, good: number, ygood: number, bad: number): [number, number] {
  let a = good;
  let ya = ygood;
  let b = bad;
  for (let k = 0; k < 60; k++) {
    const m = 0.5 * (a + b);
    if (m === a || m === b) break;
    const ym = g(m);
    if (finite(ym)) {
      a = m;
      ya = ym;
    } else b = m;
  }
  return [a, ya];
}

interface Curve {
  segments: Segment[];
  asymptotes: number[];
  /** Kink positions where this curve jumps (or is not finite). */
  jumps: number[];
  cut: boolean;
}

/**
 * Trace one function over the grid `xs` (which already contains the kink
 * points, flagged in `isKink`).
 */
function trace(g: Fn1, xs: Float64Array, ys: Float64Array, isKink: Uint8Array, sc: Scale, span: number, deadline: number): Curve {
  const segments: Segment[] = [];
  const asymptotes: number[] = [];
  const jumps: number[] = [];
  let cur: number[] = [];
  let cut = false;
  const brk = () => {
    if (cur.length >= 4) segments.push(cur);
    cur = [];
  };
  const push = (x: number, y: number) => {
    const n = cur.length;
    if (n >= 2 && cur[n - 2] === x && cur[n - 1] === y) return;
    cur.push(x, y);
  };
  const limit = 25 * sc.h + Math.abs(sc.hi - sc.lo);
  const far = (y: number) => Math.abs(y - sc.mid) > limit;
  const n = xs.length;
  const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
  const delta = 1e-9 * span;
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    let y = ys[i]!;
    if ((i & 63) === 0 && now() > deadline) cut = true;
    if (isKink[i]) {
      // One-sided limits at a kink: a jump ends the segment here and starts the next one.
      const d = Math.max(delta, 4e-16 * Math.abs(x));
      const yl = g(x - d);
      const yr = g(x + d);
      const yl2 = g(x - 2 * d);
      const yr2 = g(x + 2 * d);
      if (finite(yl) && finite(yr)) {
        const jump = Math.abs(yr - yl);
        const local = Math.abs(yl - yl2) + Math.abs(yr2 - yr);
        if ((jump > 1e-6 * sc.h && jump > 30 * local) || (far(yl) && far(yr) && (yl < 0) !== (yr < 0))) {
          jumps.push(x);
          if (far(yl) || far(yr)) {
            asymptotes.push(x);
            brk();
            continue;
          }
          push(x, yl);
          brk();
          push(x, yr);
          intervalFrom(i, x, yr);
          continue;
        }
        if (!finite(y)) y = 0.5 * (yl + yr);
      } else if (!finite(y)) {
        jumps.push(x);
      }
    }
    if (!finite(y)) {
      if (y === Infinity || y === -Infinity) {
        const prevFinite = i > 0 && finite(ys[i - 1]!);
        const nextFinite = i + 1 < n && finite(ys[i + 1]!);
        if (prevFinite || nextFinite) asymptotes.push(x);
      }
      brk();
      continue;
    }
    // Coming out of a non-finite stretch: extend to the domain edge.
    if (i > 0 && !finite(ys[i - 1]!) && !cut && !isKink[i - 1]) {
      const [ex, ey] = edgePoint(g, x, y, xs[i - 1]!);
      if (ex !== x) {
        if (far(ey)) {
          const [cx, cy] = clipPoint(g, x, y, ex, sc.mid, limit);
          push(cx, cy);
        } else push(ex, ey);
        if (ys[i - 1] !== -Infinity && ys[i - 1] !== Infinity && edgeBlowsUp(g, ex, x, sc)) asymptotes.push(ex);
      }
    }
    push(x, y);
    intervalFrom(i, x, y);
  }
  brk();
  return { segments, asymptotes, jumps, cut };

  /** What lies between sample i (value y) and sample i + 1. */
  function intervalFrom(i: number, x: number, y: number): void {
    if (i + 1 >= n) return;
    const xn = xs[i + 1]!;
    const yn = ys[i + 1]!;
    if (!finite(yn)) {
      if (!cut && !isKink[i + 1]) {
        const [ex, ey] = edgePoint(g, x, y, xn);
        if (ex !== x) {
          if (far(ey)) {
            const [cx, cy] = clipPoint(g, x, y, ex, sc.mid, limit);
            push(cx, cy);
          } else push(ex, ey);
          if (yn !== -Infinity && yn !== Infinity && edgeBlowsUp(g, ex, x, sc)) asymptotes.push(ex);
        }
      }
      return; // the next sample breaks the segment
    }
    if (cut || isKink[i + 1]) return;
    let disc: Disc | null = null;
    const steep = Math.abs(yn - y) > 0.2 * sc.h;
    // The midpoint shows a feature the two samples miss (an even pole between symmetric samples).
    const xm = 0.5 * (x + xn);
    const ym = g(xm);
    if (!finite(ym)) disc = { kind: Number.isNaN(ym) ? 'gap' : 'pole', x: xm, lo: x, ylo: y, hi: xn, yhi: yn };
    else if (steep || Math.abs(ym - 0.5 * (y + yn)) > 0.2 * sc.h || (far(y) && far(yn) && y < 0 === yn < 0)) disc = findPole(g, x, y, xn, yn);
    if (!disc && steep) disc = findJump(g, x, y, xn, yn, sc, far);
    if (!disc) return;
    if (disc.kind === 'jump') {
      jumps.push(disc.x);
      push(disc.lo, disc.ylo);
      brk();
      push(disc.hi, disc.yhi);
      return;
    }
    if (disc.kind === 'pole') {
      asymptotes.push(disc.x);
      const [lx, ly] = far(y) ? [x, y] : clipPoint(g, x, y, disc.x, sc.mid, limit);
      push(lx, ly);
      brk();
      const [rx, ry] = far(yn) ? [xn, yn] : clipPoint(g, xn, yn, disc.x, sc.mid, limit);
      push(rx, ry);
      return;
    }
    // A gap in the domain between two samples.
    const [lx, ly] = edgePoint(g, x, y, disc.x);
    push(lx, ly);
    brk();
    const [rx, ry] = edgePoint(g, xn, yn, disc.x);
    push(rx, ry);
  }
}

/** Does g blow up at the domain edge ex (log at 0) rather than end at a finite value (√ at 0)? */
function edgeBlowsUp(g: Fn1, ex: number, inside: number, sc: Scale): boolean {
  const dir = inside > ex ? 1 : -1;
  const span = Math.abs(inside - ex);
  const y1 = g(ex + dir * 1e-6 * span);
  const y2 = g(ex + dir * 1e-12 * span);
  if (!finite(y1) || !finite(y2)) return false;
  return Math.abs(y2 - y1) > 0.5 * sc.h;
}

/**
 * Samples f, f′ (and f″) on [xmin, xmax] at n evenly spaced points plus the
 * kink points, as polylines broken at poles, jumps and where the function is
 * not finite.
 */
export function samplePlot(fn: PlotFunctions, xmin: number, xmax: number, n = 401, options: SampleOptions = {}): PlotSamples & { cut?: boolean } {
  if (!(finite(xmin) && finite(xmax)) || !(xmax > xmin)) {
    return { xmin, xmax, f: [], df: [], asymptotes: [], kinks: [], yRange: [-1, 1] };
  }
  const count = Math.max(2, Math.min(MAX_SAMPLES, Math.floor(finite(n) ? n : 401)));
  const span = xmax - xmin;
  const grid = new Float64Array(count);
  for (let i = 0; i < count; i++) grid[i] = i === count - 1 ? xmax : xmin + (span * i) / (count - 1);
  // Kinks inside the range, merged into the grid (replacing a sample that is within 1e-9 of the span).
  const kinkSet: number[] = [];
  for (const z of fn.kinkZeros) for (const r of rootsOn(z, grid)) kinkSet.push(r);
  kinkSet.sort((a, b) => a - b);
  const kinksIn = kinkSet.filter((k, i) => k >= xmin && k <= xmax && (i === 0 || k - kinkSet[i - 1]! > 1e-12 * span));
  const xsList: number[] = [];
  const flag: number[] = [];
  let k = 0;
  for (let i = 0; i < count; i++) {
    const x = grid[i]!;
    while (k < kinksIn.length && kinksIn[k]! < x - 1e-9 * span) {
      xsList.push(kinksIn[k]!);
      flag.push(1);
      k++;
    }
    if (k < kinksIn.length && Math.abs(kinksIn[k]! - x) <= 1e-9 * span) {
      xsList.push(kinksIn[k]!);
      flag.push(1);
      k++;
      continue;
    }
    xsList.push(x);
    flag.push(0);
  }
  while (k < kinksIn.length) {
    xsList.push(kinksIn[k]!);
    flag.push(1);
    k++;
  }
  const xs = Float64Array.from(xsList);
  const isKink = Uint8Array.from(flag);
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  const evalAll = (g: Fn1) => {
    const ys = new Float64Array(xs.length);
    for (let i = 0; i < xs.length; i++) ys[i] = g(xs[i]!);
    return ys;
  };
  const fys = evalAll(fn.f);
  const dys = evalAll(fn.df);
  const fs = scaleOf(fys);
  const ds = scaleOf(dys);
  const fc = trace(fn.f, xs, fys, isKink, fs, span, deadline);
  const dc = trace(fn.df, xs, dys, isKink, ds, span, deadline);
  const out: PlotSamples & { cut?: boolean } = { xmin, xmax, f: fc.segments, df: dc.segments, asymptotes: [], kinks: [], yRange: [-1, 1] };
  let cut = fc.cut || dc.cut;
  const scales = [fs, ds];
  if (fn.d2f && options.second !== false) {
    const d2ys = evalAll(fn.d2f);
    const s2 = scaleOf(d2ys);
    const c2 = trace(fn.d2f, xs, d2ys, isKink, s2, span, deadline);
    out.d2f = c2.segments;
    cut = cut || c2.cut;
  }
  // Asymptotes of f (f′'s poles inside f's domain come with f's), deduplicated.
  const asym = [...fc.asymptotes].sort((a, b) => a - b);
  out.asymptotes = asym.filter((a, i) => i === 0 || a - asym[i - 1]! > 1e-9 * span);
  // Kinks of f: engine kink points where f or f′ jumps (or f′ is not finite), plus jumps of f found numerically.
  const fJumps = new Set(fc.jumps);
  const dJumps = new Set(dc.jumps);
  const kinks = new Set<number>();
  for (const x of kinksIn) if (fJumps.has(x) || dJumps.has(x)) kinks.add(x);
  for (const x of fc.jumps) if (!out.asymptotes.some((a) => Math.abs(a - x) <= 1e-9 * span)) kinks.add(x);
  out.kinks = [...kinks].filter((x) => !out.asymptotes.includes(x)).sort((a, b) => a - b);
  // One y-range for the plot: f and f′.
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of scales) {
    if (!s.any) continue;
    lo = Math.min(lo, s.lo);
    hi = Math.max(hi, s.hi);
  }
  if (!(finite(lo) && finite(hi))) {
    lo = -1;
    hi = 1;
  } else if (hi - lo < 1e-12 * Math.max(1, Math.abs(lo), Math.abs(hi))) {
    const c = 0.5 * (lo + hi);
    const r = Math.max(1, Math.abs(c) * 0.1);
    lo = c - r;
    hi = c + r;
  } else {
    const pad = 0.05 * (hi - lo);
    lo -= pad;
    hi += pad;
  }
  out.yRange = [lo, hi];
  if (cut) out.cut = true;
  return out;
}
