/**
 * Eigenvalues and eigenvectors of a general real square matrix: Householder
 * reduction to upper Hessenberg form (EISPACK's orthes) and the shifted Francis
 * double-step QR iteration with back-substitution for the vectors (hqr2). Ported
 * from JAMA (public domain) by way of ml-matrix's evd.js (MIT, © Michaël Zasso),
 * onto flat row-major Float64Arrays, with an iteration limit.
 *
 * Complex eigenvalues come in conjugate pairs (re, ±im); the pair's vectors are
 * returned as one complex vector each (the second is the conjugate of the first).
 */

import { normalizeInto } from './householder';

const EPS = 2 ** -52;

export interface GeneralEigen {
  re: Float64Array;
  im: Float64Array;
  /** Row i: the real part of eigenvector i (n × n), unit 2-norm over re and im together. */
  vre: Float64Array;
  /** Row i: the imaginary part of eigenvector i. */
  vim: Float64Array;
  /** Eigenvalues (indices) whose vector could not be computed (zero rows in vre/vim). */
  lost: number[];
}

function orthes(n: number, H: Float64Array, ort: Float64Array, V: Float64Array, tick?: () => void): void {
  const low = 0;
  const high = n - 1;
  for (let m = low + 1; m <= high - 1; m++) {
    tick?.();
    let scale = 0;
    for (let i = m; i <= high; i++) scale += Math.abs(H[i * n + m - 1]!);
    if (scale !== 0) {
      let h = 0;
      for (let i = high; i >= m; i--) {
        ort[i] = H[i * n + m - 1]! / scale;
        h += ort[i]! * ort[i]!;
      }
      let g = Math.sqrt(h);
      if (ort[m]! > 0) g = -g;
      h -= ort[m]! * g;
      ort[m] = ort[m]! - g;
      // H = (I − u uᵀ/h) H: row-wise accumulation of f_j = Σ_i ort_i H_ij.
      const f = new Float64Array(n);
      for (let i = m; i <= high; i++) {
        const o = ort[i]!;
        const r = i * n;
        for (let j = m; j < n; j++) f[j] = f[j]! + o * H[r + j]!;
      }
      for (let i = m; i <= high; i++) {
        const o = ort[i]! / h;
        const r = i * n;
        for (let j = m; j < n; j++) H[r + j] = H[r + j]! - f[j]! * o;
      }
      // H = H (I − u uᵀ/h)
      for (let i = 0; i <= high; i++) {
        const r = i * n;
        let s = 0;
        for (let j = m; j <= high; j++) s += ort[j]! * H[r + j]!;
        s /= h;
        for (let j = m; j <= high; j++) H[r + j] = H[r + j]! - s * ort[j]!;
      }
      ort[m] = scale * ort[m]!;
      H[m * n + m - 1] = scale * g;
    }
  }
  V.fill(0);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let m = high - 1; m >= low + 1; m--) {
    if (H[m * n + m - 1] !== 0) {
      for (let i = m + 1; i <= high; i++) ort[i] = H[i * n + m - 1]!;
      for (let j = m; j <= high; j++) {
        let g = 0;
        for (let i = m; i <= high; i++) g += ort[i]! * V[i * n + j]!;
        g = g / ort[m]! / H[m * n + m - 1]!;
        for (let i = m; i <= high; i++) V[i * n + j] = V[i * n + j]! + g * ort[i]!;
      }
    }
  }
}

function cdiv(xr: number, xi: number, yr: number, yi: number): [number, number] {
  if (Math.abs(yr) > Math.abs(yi)) {
    const r = yi / yr;
    const d = yr + r * yi;
    return [(xr + r * xi) / d, (xi - r * xr) / d];
  }
  const r = yr / yi;
  const d = yi + r * yr;
  return [(r * xr + xi) / d, (r * xi - xr) / d];
}

/** Returns false if the QR iteration did not converge. */
function hqr2(nn: number, e: Float64Array, d: Float64Array, V: Float64Array, H: Float64Array, tick?: () => void): boolean {
  const N = nn;
  const at = (i: number, j: number): number => H[i * N + j]!;
  const set = (i: number, j: number, v: number): void => {
    H[i * N + j] = v;
  };
  let n = nn - 1;
  const low = 0;
  const high = nn - 1;
  let exshift = 0;
  let norm = 0;
  let p = 0, q = 0, r = 0, s = 0, z = 0;
  let iter = 0;
  let totalIter = 0;
  let t: number, w: number, x: number, y: number;

  const smlnum = (2 ** -1022 * nn) / EPS;
  for (let i = 0; i < nn; i++) for (let j = Math.max(i - 1, 0); j < nn; j++) norm += Math.abs(at(i, j));

  while (n >= low) {
    let l = n;
    while (l > low) {
      s = Math.abs(at(l - 1, l - 1)) + Math.abs(at(l, l));
      if (s === 0) s = norm;
      // dlahqr's floor: below SMLNUM an entry is negligible whatever its neighbours
      // (without it graded matrices with subnormal entries never deflate).
      if (Math.abs(at(l, l - 1)) < Math.max(EPS * s, smlnum)) break;
      l--;
    }
    if (l === n) {
      set(n, n, at(n, n) + exshift);
      d[n] = at(n, n);
      e[n] = 0;
      n--;
      iter = 0;
    } else if (l === n - 1) {
      w = at(n, n - 1) * at(n - 1, n);
      p = (at(n - 1, n - 1) - at(n, n)) / 2;
      q = p * p + w;
      z = Math.sqrt(Math.abs(q));
      set(n, n, at(n, n) + exshift);
      set(n - 1, n - 1, at(n - 1, n - 1) + exshift);
      x = at(n, n);
      if (q >= 0) {
        z = p >= 0 ? p + z : p - z;
        d[n - 1] = x + z;
        d[n] = d[n - 1]!;
        if (z !== 0) d[n] = x - w / z;
        e[n - 1] = 0;
        e[n] = 0;
        x = at(n, n - 1);
        s = Math.abs(x) + Math.abs(z);
        p = x / s;
        q = z / s;
        r = Math.sqrt(p * p + q * q);
        p /= r;
        q /= r;
        for (let j = n - 1; j < nn; j++) {
          z = at(n - 1, j);
          set(n - 1, j, q * z + p * at(n, j));
          set(n, j, q * at(n, j) - p * z);
        }
        for (let i = 0; i <= n; i++) {
          z = at(i, n - 1);
          set(i, n - 1, q * z + p * at(i, n));
          set(i, n, q * at(i, n) - p * z);
        }
        for (let i = low; i <= high; i++) {
          z = V[i * N + n - 1]!;
          V[i * N + n - 1] = q * z + p * V[i * N + n]!;
          V[i * N + n] = q * V[i * N + n]! - p * z;
        }
      } else {
        d[n - 1] = x + p;
        d[n] = x + p;
        e[n - 1] = z;
        e[n] = -z;
      }
      n -= 2;
      iter = 0;
    } else {
      if ((++totalIter & 7) === 0) tick?.();
      if (totalIter > 60 * nn + 100) return false;
      x = at(n, n);
      y = 0;
      w = 0;
      if (l < n) {
        y = at(n - 1, n - 1);
        w = at(n, n - 1) * at(n - 1, n);
      }
      // Exceptional shifts (EISPACK's at 10 and 30 iterations, repeated every 10 here).
      if (iter > 0 && iter % 10 === 0 && iter % 30 !== 0) {
        exshift += x;
        for (let i = low; i <= n; i++) set(i, i, at(i, i) - x);
        s = Math.abs(at(n, n - 1)) + Math.abs(at(n - 1, n - 2));
        x = y = 0.75 * s;
        w = -0.4375 * s * s;
      }
      if (iter > 0 && iter % 30 === 0) {
        s = (y - x) / 2;
        s = s * s + w;
        if (s > 0) {
          s = Math.sqrt(s);
          if (y < x) s = -s;
          s = x - w / ((y - x) / 2 + s);
          for (let i = low; i <= n; i++) set(i, i, at(i, i) - s);
          exshift += s;
          x = y = w = 0.964;
        }
      }
      iter++;
      let m = n - 2;
      while (m >= l) {
        z = at(m, m);
        r = x - z;
        s = y - z;
        p = (r * s - w) / at(m + 1, m) + at(m, m + 1);
        q = at(m + 1, m + 1) - z - r - s;
        r = at(m + 2, m + 1);
        s = Math.abs(p) + Math.abs(q) + Math.abs(r);
        p /= s;
        q /= s;
        r /= s;
        if (m === l) break;
        if (Math.abs(at(m, m - 1)) * (Math.abs(q) + Math.abs(r)) < EPS * (Math.abs(p) * (Math.abs(at(m - 1, m - 1)) + Math.abs(z) + Math.abs(at(m + 1, m + 1))))) break;
        m--;
      }
      for (let i = m + 2; i <= n; i++) {
        set(i, i - 2, 0);
        if (i > m + 2) set(i, i - 3, 0);
      }
      for (let k = m; k <= n - 1; k++) {
        const notlast = k !== n - 1;
        if (k !== m) {
          p = at(k, k - 1);
          q = at(k + 1, k - 1);
          r = notlast ? at(k + 2, k - 1) : 0;
          x = Math.abs(p) + Math.abs(q) + Math.abs(r);
          if (x !== 0) {
            p /= x;
            q /= x;
            r /= x;
          }
        }
        if (x === 0) break;
        s = Math.sqrt(p * p + q * q + r * r);
        if (p < 0) s = -s;
        if (s !== 0) {
          if (k !== m) set(k, k - 1, -s * x);
          else if (l !== m) set(k, k - 1, -at(k, k - 1));
          p += s;
          x = p / s;
          y = q / s;
          z = r / s;
          q /= p;
          r /= p;
          for (let j = k; j < nn; j++) {
            p = at(k, j) + q * at(k + 1, j);
            if (notlast) {
              p += r * at(k + 2, j);
              set(k + 2, j, at(k + 2, j) - p * z);
            }
            set(k, j, at(k, j) - p * x);
            set(k + 1, j, at(k + 1, j) - p * y);
          }
          for (let i = 0; i <= Math.min(n, k + 3); i++) {
            p = x * at(i, k) + y * at(i, k + 1);
            if (notlast) {
              p += z * at(i, k + 2);
              set(i, k + 2, at(i, k + 2) - p * r);
            }
            set(i, k, at(i, k) - p);
            set(i, k + 1, at(i, k + 1) - p * q);
          }
          for (let i = low; i <= high; i++) {
            const vi = i * N;
            p = x * V[vi + k]! + y * V[vi + k + 1]!;
            if (notlast) {
              p += z * V[vi + k + 2]!;
              V[vi + k + 2] = V[vi + k + 2]! - p * r;
            }
            V[vi + k] = V[vi + k]! - p;
            V[vi + k + 1] = V[vi + k + 1]! - p * q;
          }
        }
      }
    }
  }

  if (norm === 0) return true;

  // Back-substitute to find the vectors of the upper triangular form.
  for (n = nn - 1; n >= 0; n--) {
    p = d[n]!;
    q = e[n]!;
    if (q === 0) {
      let l = n;
      set(n, n, 1);
      for (let i = n - 1; i >= 0; i--) {
        w = at(i, i) - p;
        r = 0;
        for (let j = l; j <= n; j++) r += at(i, j) * at(j, n);
        if (e[i]! < 0) {
          z = w;
          s = r;
        } else {
          l = i;
          if (e[i] === 0) set(i, n, w !== 0 ? -r / w : -r / (EPS * norm));
          else {
            x = at(i, i + 1);
            y = at(i + 1, i);
            q = (d[i]! - p) * (d[i]! - p) + e[i]! * e[i]!;
            t = (x * s - z * r) / q;
            set(i, n, t);
            set(i + 1, n, Math.abs(x) > Math.abs(z) ? (-r - w * t) / x : (-s - y * t) / z);
          }
          t = Math.abs(at(i, n));
          if (EPS * t * t > 1) for (let j = i; j <= n; j++) set(j, n, at(j, n) / t);
        }
      }
    } else if (q < 0) {
      let l = n - 1;
      if (Math.abs(at(n, n - 1)) > Math.abs(at(n - 1, n))) {
        set(n - 1, n - 1, q / at(n, n - 1));
        set(n - 1, n, -(at(n, n) - p) / at(n, n - 1));
      } else {
        const c = cdiv(0, -at(n - 1, n), at(n - 1, n - 1) - p, q);
        set(n - 1, n - 1, c[0]);
        set(n - 1, n, c[1]);
      }
      set(n, n - 1, 0);
      set(n, n, 1);
      for (let i = n - 2; i >= 0; i--) {
        let ra = 0;
        let sa = 0;
        for (let j = l; j <= n; j++) {
          ra += at(i, j) * at(j, n - 1);
          sa += at(i, j) * at(j, n);
        }
        w = at(i, i) - p;
        if (e[i]! < 0) {
          z = w;
          r = ra;
          s = sa;
        } else {
          l = i;
          if (e[i] === 0) {
            const c = cdiv(-ra, -sa, w, q);
            set(i, n - 1, c[0]);
            set(i, n, c[1]);
          } else {
            x = at(i, i + 1);
            y = at(i + 1, i);
            let vr = (d[i]! - p) * (d[i]! - p) + e[i]! * e[i]! - q * q;
            const vi = (d[i]! - p) * 2 * q;
            if (vr === 0 && vi === 0) vr = EPS * norm * (Math.abs(w) + Math.abs(q) + Math.abs(x) + Math.abs(y) + Math.abs(z));
            const c = cdiv(x * r - z * ra + q * sa, x * s - z * sa - q * ra, vr, vi);
            set(i, n - 1, c[0]);
            set(i, n, c[1]);
            if (Math.abs(x) > Math.abs(z) + Math.abs(q)) {
              set(i + 1, n - 1, (-ra - w * at(i, n - 1) + q * at(i, n)) / x);
              set(i + 1, n, (-sa - w * at(i, n) - q * at(i, n - 1)) / x);
            } else {
              const c2 = cdiv(-r - y * at(i, n - 1), -s - y * at(i, n), z, q);
              set(i + 1, n - 1, c2[0]);
              set(i + 1, n, c2[1]);
            }
          }
          t = Math.max(Math.abs(at(i, n - 1)), Math.abs(at(i, n)));
          if (EPS * t * t > 1) {
            for (let j = i; j <= n; j++) {
              set(j, n - 1, at(j, n - 1) / t);
              set(j, n, at(j, n) / t);
            }
          }
        }
      }
    }
  }
  // Back-transform: V = V · (upper triangle of H).
  for (let j = nn - 1; j >= low; j--) {
    for (let i = low; i <= high; i++) {
      let zz = 0;
      for (let k = low; k <= Math.min(j, high); k++) zz += V[i * N + k]! * at(k, j);
      V[i * N + j] = zz;
    }
  }
  return true;
}

/** Eigen-decomposition of the n×n row-major `a` (not modified). */
export function generalEigen(a: Float64Array, n: number, tick?: () => void): GeneralEigen {
  const base = new Float64Array(n * n);
  const scale = normalizeInto(a, base);
  // After normalization the largest entry is about 1: entries below ~1e-290 are far below
  // eps·‖A‖ (a backward-stable change) and would only underflow inside the iteration.
  const flush = (2 ** -1022 * Math.max(1, n)) / EPS;
  for (let i = 0; i < base.length; i++) if (Math.abs(base[i]!) < flush) base[i] = 0;
  const H = new Float64Array(n * n);
  const V = new Float64Array(n * n);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const ort = new Float64Array(n);
  if (n === 0) return { re: d, im: e, vre: V, vim: new Float64Array(0), lost: [] };
  // The Francis iteration can stall on very symmetric inputs (signed permutations…).
  // A retry works on D A D⁻¹ with a pseudo-random diagonal D of powers of two: exact,
  // same eigenvalues, eigenvectors D⁻¹ w.
  let dscale: Float64Array | undefined;
  for (let attempt = 0; ; attempt++) {
    H.set(base);
    if (attempt > 0) {
      dscale = new Float64Array(n);
      let x = (attempt * 2654435761) >>> 0;
      for (let i = 0; i < n; i++) {
        x = (Math.imul(x ^ (x >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
        dscale[i] = 2 ** ((x % 5) - 2);
      }
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) H[i * n + j] = (H[i * n + j]! * dscale[i]!) / dscale[j]!;
    }
    d.fill(0);
    e.fill(0);
    orthes(n, H, ort, V, tick);
    let zero = true;
    for (let i = 0; i < H.length && zero; i++) zero = H[i] === 0;
    if (zero) {
      // The zero matrix: hqr2's deflation test (|h| < eps·0) never fires.
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) V[i * n + j] = i === j ? 1 : 0;
      break;
    }
    if (hqr2(n, e, d, V, H, tick)) break;
    if (attempt >= 4) throw new Error('the eigenvalue iteration did not converge');
  }
  if (dscale) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) V[i * n + j] = V[i * n + j]! / dscale[i]!;
  if (scale !== 1) for (let i = 0; i < n; i++) {
    d[i] = d[i]! * scale;
    e[i] = e[i]! * scale;
  }
  // Columns of V → rows of (vre, vim), normalized.
  const vre = new Float64Array(n * n);
  const vim = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    if (e[j] === 0) {
      for (let i = 0; i < n; i++) vre[j * n + i] = V[i * n + j]!;
    } else if (e[j]! > 0 && j + 1 < n) {
      for (let i = 0; i < n; i++) {
        vre[j * n + i] = V[i * n + j]!;
        vim[j * n + i] = V[i * n + j + 1]!;
        vre[(j + 1) * n + i] = V[i * n + j]!;
        vim[(j + 1) * n + i] = -V[i * n + j + 1]!;
      }
      j++;
    }
  }
  const lost: number[] = [];
  for (let j = 0; j < n; j++) {
    let big = 0;
    for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(vre[j * n + i]!), Math.abs(vim[j * n + i]!));
    if (!Number.isFinite(big) || big === 0) {
      // Back-substitution overflowed (a defective or nearly defective matrix): no vector.
      lost.push(j);
      for (let i = 0; i < n; i++) vre[j * n + i] = vim[j * n + i] = 0;
      continue;
    }
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (vre[j * n + i]! / big) ** 2 + (vim[j * n + i]! / big) ** 2;
    const f = 1 / (Math.sqrt(ss) * big);
    for (let i = 0; i < n; i++) {
      vre[j * n + i] = vre[j * n + i]! * f;
      vim[j * n + i] = vim[j * n + i]! * f;
    }
  }
  return { re: d, im: e, vre, vim, lost };
}
