/**
 * The symmetric eigensolver (NumPy's `eigh`).
 *
 * 1. Householder tridiagonalization of the lower triangle, Qᵀ A Q = T. The
 *    symmetric rank-2 update of step k and the symmetric matrix-vector product of
 *    step k+1 share one pass over the trailing matrix (the column k+1 is brought up
 *    to date first), two rows per sweep, so the O(n³) part touches memory once per
 *    step; the pass runs in the WebAssembly SIMD kernel of simd.ts where available.
 *    Entries of T below 2^-930·‖T‖ are then set to zero.
 * 2. Eigenvalues of T: implicit QL with Wilkinson shifts, values only, per
 *    unreduced block — O(n²).
 * 3. Eigenvectors of T: inverse iteration (LAPACK's dstein, `steinBlock`): one LU of
 *    T − λI per eigenvalue, three or more solves, modified Gram–Schmidt (twice) within
 *    clusters of eigenvalues closer than 1e-3·‖T‖. O(n²) unless the spectrum is one
 *    big cluster. If any vector fails to converge or its residual is poor, everything
 *    falls back to implicit QL with the rotations applied to the vectors (O(n³) but
 *    always works).
 * 4. Back-transformation X = Q Z with blocked compact-WY reflectors (householder.ts).
 *
 * ml-matrix uses JAMA's tred2 + tql2 (rotations on an n×n matrix, column-wise
 * access): about 100–130 ms for n = 256 here, 23× NumPy or worse. This path is ~10×
 * faster (~5× with the TypeScript loops alone).
 */
import { applyReflectorsRight, hyp, makeReflector, normalizeInto } from './householder';
import { reserve, simdKernels } from './simd';

const EPS = 2 ** -52;

export interface Tridiagonal {
  d: Float64Array;
  /** e[i] = T[i][i+1], length n (e[n−1] = 0). */
  e: Float64Array;
  /** Reflector k in row k (length n, first non-zero at k+1). */
  vt: Float64Array;
  tau: Float64Array;
  start: Int32Array;
  count: number;
}

/** Reduces the symmetric n×n matrix (row-major, only the lower triangle is read) to tridiagonal form. `a` is destroyed. */
export function tridiagonalize(a0: Float64Array, n: number, tick?: () => void): Tridiagonal {
  // With the SIMD kernel, the matrix and the vectors the pair loop reads live in its memory.
  const kern = n >= 16 ? simdKernels() : undefined;
  let a = a0;
  let vPrev: Float64Array;
  let wPrev: Float64Array;
  let v: Float64Array;
  let p: Float64Array;
  if (kern) {
    const F = reserve((n * n + 4 * n + 8) * 8);
    a = F.subarray(0, n * n);
    a.set(a0);
    vPrev = F.subarray(n * n, n * n + n);
    wPrev = F.subarray(n * n + n, n * n + 2 * n);
    v = F.subarray(n * n + 2 * n, n * n + 3 * n);
    p = F.subarray(n * n + 3 * n, n * n + 4 * n);
    vPrev.fill(0);
    wPrev.fill(0);
    v.fill(0);
    p.fill(0);
  } else {
    vPrev = new Float64Array(n);
    wPrev = new Float64Array(n);
    v = new Float64Array(n);
    p = new Float64Array(n);
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const count = Math.max(0, n - 2);
  const vt = new Float64Array(Math.max(1, count) * n);
  const tau = new Float64Array(Math.max(1, count));
  const start = new Int32Array(Math.max(1, count));
  const w = new Float64Array(n);

  // Builds the reflector of step k from column k (rows k+1..n−1), stores it, returns τ.
  const reflect = (k: number): number => {
    // Column k, rows k+1..n−1 (no longer needed afterwards) becomes β and v[1…].
    const t = makeReflector(a, (k + 1) * n + k, n - k - 1, n);
    e[k] = a[(k + 1) * n + k]!;
    v.fill(0);
    start[k] = k + 1;
    v[k + 1] = 1;
    if (t !== 0) for (let i = k + 2; i < n; i++) v[i] = a[i * n + k]!;
    tau[k] = t;
    vt.set(v, k * n);
    return t;
  };

  // p holds A22 v; w = τp − (τ²/2)(pᵀv) v, over indices lo..n−1.
  const makeW = (t: number, lo: number): void => {
    let pv = 0;
    for (let i = lo; i < n; i++) pv += p[i]! * v[i]!;
    const c = 0.5 * t * t * pv;
    for (let i = lo; i < n; i++) w[i] = t * p[i]! - c * v[i]!;
  };

  if (n <= 2) {
    if (n >= 1) d[0] = a[0]!;
    if (n === 2) {
      d[1] = a[3]!;
      e[0] = a[2]!;
    }
    return { d, e, vt, tau, start, count: 0 };
  }

  // Step 0's symv on its own; afterwards each pass does step k's rank-2 update
  // and step k+1's symv together.
  let t = reflect(0);
  p.fill(0);
  if (t !== 0) {
    for (let i = 1; i < n; i++) {
      const r = i * n;
      const vi = v[i]!;
      let s = 0;
      for (let j = 1; j < i; j++) {
        const x = a[r + j]!;
        s += x * v[j]!;
        p[j] = p[j]! + x * vi;
      }
      p[i] = p[i]! + s + a[r + i]! * vi;
    }
    makeW(t, 1);
  }
  for (let k = 0; k < n - 2; k++) {
    tick?.();
    d[k] = a[k * n + k]!;
    const lo = k + 1;
    const updating = t !== 0;
    if (updating) {
      vPrev.set(v);
      wPrev.set(w);
      // Bring column k+1 (rows k+1..n−1) up to date for the next reflector.
      const vk = vPrev[lo]!;
      const wk = wPrev[lo]!;
      for (let i = lo; i < n; i++) a[i * n + lo] = a[i * n + lo]! - (vPrev[i]! * wk + wPrev[i]! * vk);
    }
    const last = k === n - 3;
    // The next reflector (none after the last step: T[n−1][n−2] is just read off).
    const tn = last ? 0 : reflect(k + 1);
    const lo2 = k + 2;
    p.fill(0);
    if (!updating) {
      // No update this step (τ = 0): the same loops with v = w = 0 leave the entries as they are.
      vPrev.fill(0);
      wPrev.fill(0);
    }
    // Two rows per sweep: the loads of v, w (step k), the new v and p are shared.
    let i = lo2;
    if (kern) {
      kern.triStep(a.byteOffset, n * 8, lo2, n, vPrev.byteOffset, wPrev.byteOffset, v.byteOffset, p.byteOffset);
      i = lo2 + ((n - lo2) & ~1);
    }
    for (; i + 2 <= n; i += 2) {
      const r0 = i * n;
      const r1 = r0 + n;
      const vi0 = vPrev[i]!, wi0 = wPrev[i]!, ui0 = v[i]!;
      const vi1 = vPrev[i + 1]!, wi1 = wPrev[i + 1]!, ui1 = v[i + 1]!;
      let s0 = 0;
      let s1 = 0;
      for (let j = lo2; j < i; j++) {
        const wj = wPrev[j]!;
        const vj = vPrev[j]!;
        const uj = v[j]!;
        const x0 = a[r0 + j]! - (vi0 * wj + wi0 * vj);
        const x1 = a[r1 + j]! - (vi1 * wj + wi1 * vj);
        a[r0 + j] = x0;
        a[r1 + j] = x1;
        s0 += x0 * uj;
        s1 += x1 * uj;
        p[j] = p[j]! + (x0 * ui0 + x1 * ui1);
      }
      const d0 = a[r0 + i]! - 2 * vi0 * wi0;
      a[r0 + i] = d0;
      const x1 = a[r1 + i]! - (vi1 * wi0 + wi1 * vi0);
      a[r1 + i] = x1;
      const d1 = a[r1 + i + 1]! - 2 * vi1 * wi1;
      a[r1 + i + 1] = d1;
      p[i] = p[i]! + s0 + d0 * ui0 + x1 * ui1;
      p[i + 1] = p[i + 1]! + s1 + x1 * ui0 + d1 * ui1;
    }
    if (i < n) {
      const r = i * n;
      const vi = vPrev[i]!;
      const wi = wPrev[i]!;
      const ui = v[i]!;
      let s = 0;
      for (let j = lo2; j < i; j++) {
        const x = a[r + j]! - (vi * wPrev[j]! + wi * vPrev[j]!);
        a[r + j] = x;
        s += x * v[j]!;
        p[j] = p[j]! + x * ui;
      }
      a[r + i] = a[r + i]! - 2 * vi * wi;
      p[i] = p[i]! + s + a[r + i]! * ui;
    }
    t = tn;
    if (!last && t !== 0) makeW(t, lo2);
  }
  d[n - 2] = a[(n - 2) * n + (n - 2)]!;
  d[n - 1] = a[(n - 1) * n + (n - 1)]!;
  e[n - 2] = a[(n - 1) * n + (n - 2)]!;
  e[n - 1] = 0;
  return { d, e, vt, tau, start, count };
}

/**
 * Implicit QL with Wilkinson shifts on the symmetric tridiagonal (d, e) with
 * e[i] = T[i][i+1]; d is overwritten with the eigenvalues (unsorted), e destroyed.
 * If `z` (n rows of length `len`, row-major) is given, row i is rotated with row i+1
 * whenever columns i, i+1 of the eigenvector matrix would be: afterwards row j of z
 * is the eigenvector of d[j] in the basis z started in. Returns false if an eigenvalue
 * did not converge in 30·n iterations.
 */
export function tridiagonalQL(d: Float64Array, e: Float64Array, n: number, z?: Float64Array, len = n, tick?: () => void): boolean {
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tick?.();
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > EPS * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 30 * n + 30) return false;
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = hyp(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = hyp(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          if (z !== undefined) {
            const a0 = i * len;
            const a1 = a0 + len;
            for (let k = 0; k < len; k++) {
              const x1 = z[a1 + k]!;
              const x0 = z[a0 + k]!;
              z[a1 + k] = s * x0 + c * x1;
              z[a0 + k] = c * x0 - s * x1;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > EPS * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  return true;
}

/** Deterministic uniform(−1, 1) numbers (mulberry32). */
function randomVector(x: Float64Array, from: number, to: number, seed: number): void {
  let a = seed >>> 0;
  for (let i = from; i < to; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    x[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
}

/**
 * Eigenpairs of a symmetric tridiagonal matrix (d, e with e[i] = T[i][i+1]).
 * Returns the eigenvalues ascending and the eigenvectors as rows of z (n × n).
 */
export function tridiagonalEigen(d0: Float64Array, e0: Float64Array, n: number, tick?: () => void): { values: Float64Array; z: Float64Array } {
  const fast = inverseIterationEigen(d0, e0, n, tick);
  if (fast) return fast;
  return qlEigen(d0, e0, n, tick);
}

/** The robust O(n³) path: QL with the rotations applied to the vectors. */
export function qlEigen(d0: Float64Array, e0: Float64Array, n: number, tick?: () => void): { values: Float64Array; z: Float64Array } {
  const d = d0.slice();
  const e = e0.slice();
  const z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) z[i * n + i] = 1;
  if (!tridiagonalQL(d, e, n, z, n, tick)) throw new Error('the symmetric eigenvalue iteration did not converge');
  return sortPairs(d, z, n);
}

function sortPairs(values: Float64Array, z: Float64Array, n: number): { values: Float64Array; z: Float64Array } {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => values[i]! - values[j]!);
  const v = new Float64Array(n);
  const zz = new Float64Array(n * n);
  order.forEach((src, dst) => {
    v[dst] = values[src]!;
    zz.set(z.subarray(src * n, src * n + n), dst * n);
  });
  return { values: v, z: zz };
}

/**
 * dstein-style inverse iteration per unreduced block. Returns undefined when a
 * vector fails to converge or a residual check fails (the caller falls back to QL).
 */
export function inverseIterationEigen(d: Float64Array, e: Float64Array, n: number, tick?: () => void): { values: Float64Array; z: Float64Array } | undefined {
  let tnorm = 0;
  for (let i = 0; i < n; i++) tnorm = Math.max(tnorm, Math.abs(d[i]!) + Math.abs(i > 0 ? e[i - 1]! : 0) + Math.abs(e[i]!));
  const values = new Float64Array(n);
  const z = new Float64Array(n * n);
  if (tnorm === 0) {
    for (let i = 0; i < n; i++) z[i * n + i] = 1;
    return { values, z };
  }
  if (!Number.isFinite(tnorm)) return undefined;
  const work = new SteinWork(n);
  let out = 0;
  let b0 = 0;
  while (b0 < n) {
    let b1 = b0;
    while (b1 < n - 1 && Math.abs(e[b1]!) > EPS * tnorm) b1++;
    const bs = b1 - b0 + 1;
    if (bs === 1) {
      values[out] = d[b0]!;
      z[out * n + b0] = 1;
      out++;
      b0 = b1 + 1;
      continue;
    }
    tick?.();
    // Eigenvalues of the block.
    const bd = d.slice(b0, b1 + 1);
    const be = new Float64Array(bs);
    for (let i = 0; i < bs - 1; i++) be[i] = e[b0 + i]!;
    if (!tridiagonalQL(bd, be, bs)) return undefined;
    bd.sort();
    if (!steinBlock(d, e, b0, bs, bd, bs, z, out, n, work, tick)) return undefined;
    values.set(bd, out);
    out += bs;
    b0 = b1 + 1;
  }
  return sortPairs(values, z, n);
}

/** Work arrays of steinBlock (length ≥ the block size). */
export class SteinWork {
  readonly a: Float64Array;
  readonly u1: Float64Array;
  readonly u2: Float64Array;
  readonly lm: Float64Array;
  readonly piv: Uint8Array;
  readonly x: Float64Array;
  readonly ra: Float64Array;
  constructor(n: number) {
    this.a = new Float64Array(n);
    this.u1 = new Float64Array(n);
    this.u2 = new Float64Array(n);
    this.lm = new Float64Array(n);
    this.piv = new Uint8Array(n);
    this.x = new Float64Array(n);
    this.ra = new Float64Array(n);
  }
}

/**
 * dstein on the unreduced block b0…b0+bs−1 of (d, e): the unit eigenvectors of the
 * `count` eigenvalues lam[0…count) (ascending) go to rows zrow0…zrow0+count−1 of z
 * (row stride `stride`, columns b0…b0+bs−1). Vectors of eigenvalues closer than
 * 1e-3·‖T‖ are orthogonalized against each other (twice). Returns false when a
 * vector does not converge or its residual is poor.
 */
export function steinBlock(d: Float64Array, e: Float64Array, b0: number, bs: number, lam: Float64Array, count: number, z: Float64Array, zrow0: number, stride: number, work: SteinWork, tick?: () => void): boolean {
  const { a, u1, u2, lm, piv, x, ra } = work;
  const b1 = b0 + bs - 1;
  let onenrm = 0;
  for (let i = b0; i <= b1; i++) onenrm = Math.max(onenrm, Math.abs(d[i]!) + (i > b0 ? Math.abs(e[i - 1]!) : 0) + (i < b1 ? Math.abs(e[i]!) : 0));
  const ortol = 1e-3 * onenrm;
  const dtpcrt = Math.sqrt(0.1 / bs);
  const pivTol = EPS * onenrm;
  let xjm = 0;
  let gpind = 0;
  for (let j = 0; j < count; j++) {
    if ((j & 15) === 0) tick?.();
    let xj = lam[j]!;
    if (j > 0) {
      const eps1 = Math.abs(EPS * xj) * 10;
      const pertol = 10 * eps1;
      if (xj - xjm < pertol) xj = xjm + pertol;
    }
    if (j === 0 || xj - xjm > ortol) gpind = j;
    // LU with partial pivoting of T − xj I (rows swapped when the sub-diagonal entry is larger).
    for (let i = 0; i < bs; i++) {
      a[i] = d[b0 + i]! - xj;
      u1[i] = i < bs - 1 ? e[b0 + i]! : 0;
      u2[i] = 0;
    }
    for (let i = 0; i < bs - 1; i++) {
      const sub = e[b0 + i]!;
      if (Math.abs(a[i]!) >= Math.abs(sub)) {
        piv[i] = 0;
        const mult = a[i] === 0 ? 0 : sub / a[i]!;
        lm[i] = mult;
        a[i + 1] = a[i + 1]! - mult * u1[i]!;
      } else {
        piv[i] = 1;
        const mult = a[i]! / sub;
        lm[i] = mult;
        // Row i becomes the old row i+1: [sub, a[i+1], u1[i+1]].
        const oldU1 = u1[i]!;
        a[i] = sub;
        u1[i] = a[i + 1]!;
        u2[i] = i + 1 < bs - 1 ? u1[i + 1]! : 0;
        // Row i+1 = old row i − mult · new row i.
        a[i + 1] = oldU1 - mult * u1[i]!;
        u1[i + 1] = -mult * u2[i]!;
      }
    }
    // Tiny pivots are raised to ε‖T‖; the back substitution multiplies by their reciprocals.
    for (let i = 0; i < bs; i++) {
      let ai = a[i]!;
      if (Math.abs(ai) < pivTol) {
        ai = ai >= 0 ? pivTol : -pivTol;
        a[i] = ai;
      }
      const r = 1 / ai;
      if (!Number.isFinite(r)) return false;
      ra[i] = r;
    }
    randomVector(x, 0, bs, 0x9e3779b9 ^ (j * 2654435761 + b0));
    let asum = 0;
    for (let i = 0; i < bs; i++) asum += Math.abs(x[i]!);
    let converged = false;
    let nrmchk = 0;
    const alast = Math.max(EPS, Math.abs(a[bs - 1]!));
    for (let its = 0; its < 8; its++) {
      if (!(asum > 0)) return false;
      const scl = (bs * onenrm * alast) / asum;
      // Solve: forward with L (and the row swaps), scaling x on the way, then back with U.
      x[0] = x[0]! * scl;
      for (let i = 0; i < bs - 1; i++) {
        const xn = x[i + 1]! * scl;
        if (piv[i]) {
          const t = x[i]!;
          x[i] = xn;
          x[i + 1] = t - lm[i]! * xn;
        } else x[i + 1] = xn - lm[i]! * x[i]!;
      }
      let y2 = x[bs - 1]! * ra[bs - 1]!;
      x[bs - 1] = y2;
      let nrm = Math.abs(y2);
      asum = nrm;
      let y1 = y2;
      if (bs >= 2) {
        y1 = (x[bs - 2]! - u1[bs - 2]! * y2) * ra[bs - 2]!;
        x[bs - 2] = y1;
        const ay = Math.abs(y1);
        asum += ay;
        if (ay > nrm) nrm = ay;
      }
      for (let i = bs - 3; i >= 0; i--) {
        const t = x[i]! - u2[i]! * y2;
        const y = (t - u1[i]! * y1) * ra[i]!;
        x[i] = y;
        y2 = y1;
        y1 = y;
        const ay = Math.abs(y);
        asum += ay;
        if (ay > nrm) nrm = ay;
      }
      // Orthogonalize against the cluster found so far (twice: one pass loses digits
      // when x is nearly in the span of the others).
      if (gpind !== j) {
        for (let pass = 0; pass < 2; pass++) {
          for (let c = gpind; c < j; c++) {
            const zr = (zrow0 + c) * stride + b0;
            let dot = 0;
            for (let i = 0; i < bs; i++) dot += x[i]! * z[zr + i]!;
            for (let i = 0; i < bs; i++) x[i] = x[i]! - dot * z[zr + i]!;
          }
        }
        nrm = 0;
        asum = 0;
        for (let i = 0; i < bs; i++) {
          const ay = Math.abs(x[i]!);
          asum += ay;
          if (ay > nrm) nrm = ay;
        }
      }
      if (!Number.isFinite(nrm) || !Number.isFinite(asum)) return false;
      if (nrm < dtpcrt) continue;
      nrmchk++;
      if (nrmchk < 3) continue;
      converged = true;
      break;
    }
    if (!converged) return false;
    let ss = 0;
    for (let i = 0; i < bs; i++) ss += x[i]! * x[i]!;
    const inv = 1 / Math.sqrt(ss);
    const zr = (zrow0 + j) * stride + b0;
    for (let i = 0; i < bs; i++) z[zr + i] = x[i]! * inv;
    // Residual check ‖(T − λ)z‖∞ against the block norm.
    let res = 0;
    const lj = lam[j]!;
    for (let i = 0; i < bs; i++) {
      let r = (d[b0 + i]! - lj) * z[zr + i]!;
      if (i > 0) r += e[b0 + i - 1]! * z[zr + i - 1]!;
      if (i < bs - 1) r += e[b0 + i]! * z[zr + i + 1]!;
      res = Math.max(res, Math.abs(r));
    }
    if (res > 1e3 * EPS * onenrm * Math.sqrt(bs)) return false;
    xjm = xj;
  }
  return true;
}

export interface SymmetricEigen {
  /** Ascending. */
  values: Float64Array;
  /** Row i is the unit eigenvector of values[i] (n × n, row-major). */
  vectorRows: Float64Array;
}

/** Eigen-decomposition of a symmetric matrix (lower triangle read); `a` is not modified. */
export function symmetricEigen(a: Float64Array, n: number, wantVectors: boolean, tick?: () => void): SymmetricEigen {
  if (n === 0) return { values: new Float64Array(0), vectorRows: new Float64Array(0) };
  // Scale (by a power of two) to avoid overflow/underflow in the squares.
  const lower = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) lower[i * n + j] = a[i * n + j]!;
  const work = new Float64Array(n * n);
  const s = normalizeInto(lower, work);
  const t = tridiagonalize(work, n, tick);
  // Entries below 2^-930·‖T‖ (about 1e-280 relative) are set to zero: a backward error far
  // below ε·‖A‖ that keeps subnormal numbers (a few significant bits) out of the rotations
  // and the inverse iteration.
  let tn = 0;
  for (let i = 0; i < n; i++) tn = Math.max(tn, Math.abs(t.d[i]!), Math.abs(t.e[i]!));
  const tiny = tn * 2 ** -930;
  for (let i = 0; i < n; i++) {
    if (Math.abs(t.d[i]!) < tiny) t.d[i] = 0;
    if (Math.abs(t.e[i]!) < tiny) t.e[i] = 0;
  }
  let values: Float64Array;
  let rows: Float64Array = new Float64Array(0);
  if (!wantVectors) {
    const d = t.d.slice();
    const e = t.e.slice();
    if (!tridiagonalQL(d, e, n, undefined, n, tick)) throw new Error('the symmetric eigenvalue iteration did not converge');
    values = d.sort();
  } else {
    const r = tridiagonalEigen(t.d, t.e, n, tick);
    values = r.values;
    rows = r.z;
    applyReflectorsRight(rows, n, n, t.vt, t.tau, t.start, t.count, tick);
  }
  if (s !== 1) for (let i = 0; i < n; i++) values[i] = values[i]! * s;
  return { values, vectorRows: rows };
}
