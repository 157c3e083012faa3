/**
 * Singular value decomposition A = U Σ Vᵀ (economy size: U is m×k, V is n×k,
 * k = min(m, n)), singular values descending.
 *
 * 1. Householder bidiagonalization Q_Lᵀ A Q_R = B (upper bidiagonal) in two passes over
 *    the trailing matrix per step (see `bidiagonalize`); the passes run in the
 *    WebAssembly SIMD kernels of simd.ts where available. Entries of B below
 *    2^-930·‖B‖ are then set to zero (subnormals would spoil the rotations).
 * 2. SVD of B: implicit-shift Golub–Kahan QR (JAMA/LINPACK's dsvdc iteration) with
 *    the plane rotations applied to rows of Uᵀ and Vᵀ (contiguous in memory), or
 *    (the fast path, `svdBidiagonalFast`) singular values by the same iteration
 *    without vectors and singular vectors by inverse iteration on the Golub–Kahan
 *    tridiagonal form TGK = perfect shuffle of [[0, B], [Bᵀ, 0]], whose eigenvalues
 *    are ±σ and whose eigenvectors interleave v and u (LAPACK's dbdsvdx idea). Only
 *    the n positive eigenpairs are computed (dstein with the σ from the QR iteration:
 *    O(n²) when the σ are apart). Every fast-path vector pair is checked (‖B v − σu‖,
 *    ‖Bᵀu − σv‖, u/v balance, orthogonality within its cluster); on any failure the QR
 *    path is used instead.
 * 3. Back-transformation U = Q_L U_B, V = Q_R V_B with blocked compact-WY reflectors
 *    (householder.ts).
 *
 * Sign convention: every right singular vector v_i is scaled so that its entry of
 * largest magnitude is positive (u_i follows so that A v_i = σ_i u_i).
 */
import { applyReflectorsRight, hyp, makeReflector, normalizeInto } from './householder';
import { reserve, simdKernels } from './simd';
import { SteinWork, steinBlock } from './symmetric';

const EPS = 2 ** -52;

export interface Svd {
  /** Descending, length k = min(m, n). */
  s: Float64Array;
  /** Rows are the left singular vectors: k × m, row-major (Uᵀ). */
  ut: Float64Array;
  /** Rows are the right singular vectors: k × n, row-major (Vᵀ). */
  vt: Float64Array;
  m: number;
  n: number;
  k: number;
}

interface Bidiagonal {
  d: Float64Array;
  /** e[i] = B[i][i+1], length n (e[n−1] = 0). */
  e: Float64Array;
  left: { vt: Float64Array; tau: Float64Array; start: Int32Array; count: number };
  right: { vt: Float64Array; tau: Float64Array; start: Int32Array; count: number };
}

/**
 * Upper bidiagonalization of the m×n (m ≥ n) row-major `a` (destroyed), two passes over
 * the trailing matrix per step. Step k, with v_k (left reflector of column k) and
 * w = τ_L A[k:, k+1:]ᵀ v_k known:
 *   - row k −= w, the right reflector u_k from it;
 *   - pass A (read only): s_i = (row i − v_i w)·u = row i·u − v_i (w·u), f_i = τ_R s_i;
 *     column k+1 after both updates follows (a[i][k+1] − v_i w[k+1] − f_i), and with it
 *     the next left reflector v_{k+1};
 *   - pass B: row i −= v_i w + f_i u (columns k+2…), and the next w += v_{k+1,i} · row i
 *     while the row is in registers. Two rows per sweep share the loads of w, u and w'.
 */
export function bidiagonalize(a0: Float64Array, m: number, n: number, tick?: () => void): Bidiagonal {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const lvt = new Float64Array(n * m);
  const ltau = new Float64Array(n);
  const lstart = new Int32Array(n);
  const rcount = Math.max(0, n - 1);
  const rvt = new Float64Array(Math.max(1, rcount) * n);
  const rtau = new Float64Array(Math.max(1, rcount));
  const rstart = new Int32Array(Math.max(1, rcount));
  // With the SIMD kernels the matrix and the vectors of the two passes live in their memory.
  const kern = n >= 16 ? simdKernels() : undefined;
  let a = a0;
  let w: Float64Array, wn: Float64Array, u: Float64Array, f: Float64Array, vc: Float64Array, vn: Float64Array;
  if (kern) {
    const F = reserve((m * n + 3 * n + 3 * m + 8) * 8);
    let at = 0;
    const take = (len: number): Float64Array => {
      const x = F.subarray(at, at + len);
      x.fill(0);
      at += len;
      return x;
    };
    a = take(m * n);
    a.set(a0);
    w = take(n);
    wn = take(n);
    u = take(n);
    f = take(m);
    vc = take(m);
    vn = take(m);
  } else {
    w = new Float64Array(n);
    wn = new Float64Array(n);
    u = new Float64Array(n);
    f = new Float64Array(m);
    vc = new Float64Array(m);
    vn = new Float64Array(m);
  }
  const col = new Float64Array(m);
  // Step 0's left reflector and w.
  let tl = makeReflector(a, 0, m, n);
  d[0] = a[0]!;
  ltau[0] = tl;
  lstart[0] = 0;
  lvt[0] = 1;
  vc[0] = 1;
  for (let i = 1; i < m; i++) {
    const x = a[i * n]!;
    lvt[i] = x;
    vc[i] = x;
  }
  for (let i = 0; i < m; i++) {
    const vi = vc[i]!;
    if (vi === 0) continue;
    const r = i * n;
    for (let j = 1; j < n; j++) w[j] = w[j]! + vi * a[r + j]!;
  }
  for (let k = 0; k < n - 1; k++) {
    tick?.();
    const k1 = k + 1;
    // w = τ_L vᵀ A[k:, k+1:]; row k −= w.
    for (let j = k1; j < n; j++) w[j] = w[j]! * tl;
    const rk = k * n;
    for (let j = k1; j < n; j++) a[rk + j] = a[rk + j]! - w[j]!;
    // Right reflector from row k, columns k+1…n−1.
    const tr = makeReflector(a, rk + k1, n - k1, 1);
    e[k] = a[rk + k1]!;
    rtau[k] = tr;
    rstart[k] = k1;
    const rv = k * n;
    rvt[rv + k1] = 1;
    u[k] = 0;
    u[k1] = 1;
    for (let j = k + 2; j < n; j++) {
      const x = a[rk + j]!;
      rvt[rv + j] = x;
      u[j] = x;
    }
    let wu = 0;
    for (let j = k1; j < n; j++) wu += w[j]! * u[j]!;
    // Pass A: f_i = τ_R (row_i·u − v_i (w·u)), rows k+1…m−1.
    let i = k1;
    if (tr === 0) f.fill(0, k1, m);
    else {
      if (kern) {
        // Columns from k (u[k] = 0) when k+1…n−1 is odd in number, so pairs cover it.
        const jA = (n - k1) & 1 ? k : k1;
        kern.bidiagA(a.byteOffset, n * 8, k1, m, jA * 8, n * 8, u.byteOffset, vc.byteOffset, f.byteOffset, wu, tr);
        i = k1 + ((m - k1) & ~1);
      }
      for (; i + 4 <= m; i += 4) {
        const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let j = k1; j < n; j++) {
          const uj = u[j]!;
          s0 += a[r0 + j]! * uj;
          s1 += a[r1 + j]! * uj;
          s2 += a[r2 + j]! * uj;
          s3 += a[r3 + j]! * uj;
        }
        f[i] = tr * (s0 - vc[i]! * wu);
        f[i + 1] = tr * (s1 - vc[i + 1]! * wu);
        f[i + 2] = tr * (s2 - vc[i + 2]! * wu);
        f[i + 3] = tr * (s3 - vc[i + 3]! * wu);
      }
      for (; i < m; i++) {
        const r0 = i * n;
        let s0 = 0;
        for (let j = k1; j < n; j++) s0 += a[r0 + j]! * u[j]!;
        f[i] = tr * (s0 - vc[i]! * wu);
      }
    }
    // Column k+1 after both updates, and the next left reflector from it.
    const wk1 = w[k1]!;
    for (let q = k1; q < m; q++) col[q - k1] = a[q * n + k1]! - vc[q]! * wk1 - f[q]!;
    tl = makeReflector(col, 0, m - k1, 1);
    d[k1] = col[0]!;
    ltau[k1] = tl;
    lstart[k1] = k1;
    const lv1 = k1 * m;
    lvt[lv1 + k1] = 1;
    vn.fill(0, 0, k1);
    vn[k1] = 1;
    for (let q = k1 + 1; q < m; q++) {
      const x = col[q - k1]!;
      lvt[lv1 + q] = x;
      vn[q] = x;
    }
    // Pass B: rank-2 update of columns k+2…n−1 and the next w.
    const j0 = k + 2;
    wn.fill(0);
    if (j0 < n) {
      i = k1;
      if (kern) {
        // From column k+1 when k+2…n−1 is odd in number: column k+1 is no longer read
        // (it became the reflector), and the next step starts at k+2.
        const jB = (n - j0) & 1 ? k1 : j0;
        kern.bidiagB(a.byteOffset, n * 8, k1, m, jB * 8, n * 8, w.byteOffset, u.byteOffset, wn.byteOffset, vc.byteOffset, vn.byteOffset, f.byteOffset);
        i = k1 + ((m - k1) & ~1);
      }
      for (; i + 2 <= m; i += 2) {
        const r0 = i * n;
        const r1 = r0 + n;
        const v0 = vc[i]!, v1 = vc[i + 1]!;
        const f0 = f[i]!, f1 = f[i + 1]!;
        const g0 = vn[i]!, g1 = vn[i + 1]!;
        for (let j = j0; j < n; j++) {
          const wj = w[j]!;
          const uj = u[j]!;
          const x0 = a[r0 + j]! - v0 * wj - f0 * uj;
          const x1 = a[r1 + j]! - v1 * wj - f1 * uj;
          a[r0 + j] = x0;
          a[r1 + j] = x1;
          wn[j] = wn[j]! + g0 * x0 + g1 * x1;
        }
      }
      for (; i < m; i++) {
        const r0 = i * n;
        const v0 = vc[i]!;
        const f0 = f[i]!;
        const g0 = vn[i]!;
        for (let j = j0; j < n; j++) {
          const x0 = a[r0 + j]! - v0 * w[j]! - f0 * u[j]!;
          a[r0 + j] = x0;
          wn[j] = wn[j]! + g0 * x0;
        }
      }
    }
    let t = w;
    w = wn;
    wn = t;
    t = vc;
    vc = vn;
    vn = t;
  }
  return {
    d,
    e,
    left: { vt: lvt, tau: ltau, start: lstart, count: n },
    right: { vt: rvt, tau: rtau, start: rstart, count: rcount },
  };
}

/**
 * Golub–Kahan implicit-shift QR on the bidiagonal (s = diagonal, e = super-diagonal,
 * e[p−1] = 0), JAMA's iteration. If `ut`/`vt` are given (n rows of length n), the
 * rotations are applied to their rows. Leaves s ≥ 0, descending. Returns false when
 * the iteration did not converge.
 */
function bidiagonalQR(s: Float64Array, e: Float64Array, n: number, ut?: Float64Array, vt?: Float64Array, tick?: () => void): boolean {
  let p = n;
  let iter = 0;
  let total = 0;
  const rotRows = (x: Float64Array, a: number, b: number, cs: number, sn: number): void => {
    // row a ← cs·row a + sn·row b ; row b ← −sn·row a + cs·row b
    const ra = a * n;
    const rb = b * n;
    for (let i = 0; i < n; i++) {
      const xa = x[ra + i]!;
      const xb = x[rb + i]!;
      x[ra + i] = cs * xa + sn * xb;
      x[rb + i] = cs * xb - sn * xa;
    }
  };
  while (p > 0) {
    if ((++total & 7) === 0) tick?.();
    if (iter > 75 || total > 100 * n + 1000) return false;
    let k: number;
    let kase: number;
    for (k = p - 2; k >= -1; k--) {
      if (k === -1) break;
      const alpha = Number.MIN_VALUE + EPS * (Math.abs(s[k]!) + Math.abs(s[k + 1]!));
      if (Math.abs(e[k]!) <= alpha || Number.isNaN(e[k]!)) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) kase = 4;
    else {
      let ks: number;
      for (ks = p - 1; ks >= k; ks--) {
        if (ks === k) break;
        const t = (ks !== p ? Math.abs(e[ks]!) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]!) : 0);
        if (Math.abs(s[ks]!) <= EPS * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    switch (kase) {
      case 1: {
        // Deflate negligible s[p−1].
        let f = e[p - 2]!;
        e[p - 2] = 0;
        for (let j = p - 2; j >= k; j--) {
          const t = hyp(s[j]!, f);
          const cs = s[j]! / t;
          const sn = f / t;
          s[j] = t;
          if (j !== k) {
            f = -sn * e[j - 1]!;
            e[j - 1] = cs * e[j - 1]!;
          }
          if (vt) rotRows(vt, j, p - 1, cs, sn);
        }
        break;
      }
      case 2: {
        // Split at negligible s[k].
        let f = e[k - 1]!;
        e[k - 1] = 0;
        for (let j = k; j < p; j++) {
          const t = hyp(s[j]!, f);
          const cs = s[j]! / t;
          const sn = f / t;
          s[j] = t;
          f = -sn * e[j]!;
          e[j] = cs * e[j]!;
          if (ut) rotRows(ut, j, k - 1, cs, sn);
        }
        break;
      }
      case 3: {
        // One QR step.
        const scale = Math.max(Math.abs(s[p - 1]!), Math.abs(s[p - 2]!), Math.abs(e[p - 2]!), Math.abs(s[k]!), Math.abs(e[k]!));
        const sp = s[p - 1]! / scale;
        const spm1 = s[p - 2]! / scale;
        const epm1 = e[p - 2]! / scale;
        const sk = s[k]! / scale;
        const ek = e[k]! / scale;
        const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
        const c = sp * epm1 * (sp * epm1);
        let shift = 0;
        if (b !== 0 || c !== 0) {
          shift = Math.sqrt(b * b + c);
          if (b < 0) shift = -shift;
          shift = c / (b + shift);
        }
        let f = (sk + sp) * (sk - sp) + shift;
        let g = sk * ek;
        for (let j = k; j < p - 1; j++) {
          let t = hyp(f, g);
          if (t === 0) t = Number.MIN_VALUE;
          let cs = f / t;
          let sn = g / t;
          if (j !== k) e[j - 1] = t;
          f = cs * s[j]! + sn * e[j]!;
          e[j] = cs * e[j]! - sn * s[j]!;
          g = sn * s[j + 1]!;
          s[j + 1] = cs * s[j + 1]!;
          if (vt) rotRows(vt, j, j + 1, cs, sn);
          t = hyp(f, g);
          if (t === 0) t = Number.MIN_VALUE;
          cs = f / t;
          sn = g / t;
          s[j] = t;
          f = cs * e[j]! + sn * s[j + 1]!;
          s[j + 1] = -sn * e[j]! + cs * s[j + 1]!;
          g = sn * e[j + 1]!;
          e[j + 1] = cs * e[j + 1]!;
          if (ut) rotRows(ut, j, j + 1, cs, sn);
        }
        e[p - 2] = f;
        iter++;
        break;
      }
      default: {
        // Convergence: make s[k] non-negative, order.
        if (s[k]! <= 0) {
          s[k] = s[k]! < 0 ? -s[k]! : 0;
          if (vt) for (let i = 0; i < n; i++) vt[k * n + i] = -vt[k * n + i]!;
        }
        while (k < n - 1 && s[k]! < s[k + 1]!) {
          const t = s[k]!;
          s[k] = s[k + 1]!;
          s[k + 1] = t;
          if (vt) swapRows(vt, n, k, k + 1);
          if (ut) swapRows(ut, n, k, k + 1);
          k++;
        }
        iter = 0;
        p--;
      }
    }
  }
  return true;
}

function swapRows(x: Float64Array, n: number, a: number, b: number): void {
  const ra = a * n;
  const rb = b * n;
  for (let i = 0; i < n; i++) {
    const t = x[ra + i]!;
    x[ra + i] = x[rb + i]!;
    x[rb + i] = t;
  }
}

/** Singular values of the bidiagonal (d, e), descending (d, e are not modified). */
export function bidiagonalValues(d: Float64Array, e: Float64Array, n: number, tick?: () => void): Float64Array {
  const s = d.slice();
  const ee = e.slice();
  if (!bidiagonalQR(s, ee, n, undefined, undefined, tick)) throw new Error('the singular value iteration did not converge');
  return s;
}

/**
 * The fast path for the singular vectors of B: values from the QR iteration,
 * vectors by inverse iteration on TGK. Returns undefined when any check fails.
 */
export function svdBidiagonalFast(d: Float64Array, e: Float64Array, n: number, tick?: () => void): { s: Float64Array; ut: Float64Array; vt: Float64Array } | undefined {
  const s = bidiagonalValues(d, e, n, tick);
  const smax = s[0] ?? 0;
  if (!(smax > 0) || !Number.isFinite(smax)) return undefined;
  // Tiny singular values make ±σ a cluster in TGK; leave those to the QR path.
  if (s[n - 1]! <= 1e-8 * smax) return undefined;
  // TGK: zero diagonal, off-diagonal d0, e0, d1, e1, …, d_{n−1}: order 2n. Only the n
  // positive eigenpairs (σ_i; (v_i, u_i) interleaved, /√2) are computed, by inverse
  // iteration with the σ_i from the QR iteration: O(n²) when the σ are apart. The
  // −σ_i vector is (v_i, −u_i): a trace of it in z changes only the balance of the two
  // halves, which are normalized separately.
  const N = 2 * n;
  const td = new Float64Array(N);
  const te = new Float64Array(N);
  for (let i = 0; i < n; i++) {
    te[2 * i] = d[i]!;
    if (i < n - 1) te[2 * i + 1] = e[i]!;
  }
  let tnorm = 0;
  for (let i = 0; i < N; i++) tnorm = Math.max(tnorm, Math.abs(te[i]!) + (i > 0 ? Math.abs(te[i - 1]!) : 0));
  // A negligible off-diagonal splits TGK into blocks: the QR path handles that.
  for (let i = 0; i < N - 1; i++) if (!(Math.abs(te[i]!) > EPS * tnorm)) return undefined;
  const lam = new Float64Array(n);
  for (let i = 0; i < n; i++) lam[i] = s[n - 1 - i]!;
  const zt = new Float64Array(n * N);
  if (!steinBlock(td, te, 0, N, lam, n, zt, 0, N, new SteinWork(N), tick)) return undefined;
  const ut = new Float64Array(n * n);
  const vt = new Float64Array(n * n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const src = n - 1 - i;
    const sigma = lam[src]!;
    if (!(sigma > 0)) return undefined;
    out[i] = sigma;
    const z = zt.subarray(src * N, src * N + N);
    // z = (v0, u0, v1, u1, …)/√2.
    let nu = 0;
    let nv = 0;
    for (let j = 0; j < n; j++) {
      nv += z[2 * j]! * z[2 * j]!;
      nu += z[2 * j + 1]! * z[2 * j + 1]!;
    }
    if (Math.abs(nu - 0.5) > 1e-6 || Math.abs(nv - 0.5) > 1e-6) return undefined;
    const fu = 1 / Math.sqrt(nu);
    const fv = 1 / Math.sqrt(nv);
    for (let j = 0; j < n; j++) {
      vt[i * n + j] = z[2 * j]! * fv;
      ut[i * n + j] = z[2 * j + 1]! * fu;
    }
  }
  // Checks: ‖B v − σ u‖ and ‖Bᵀ u − σ v‖ relative to ‖B‖.
  for (let i = 0; i < n; i++) {
    const sigma = out[i]!;
    let res = 0;
    for (let j = 0; j < n; j++) {
      const bv = d[j]! * vt[i * n + j]! + (j < n - 1 ? e[j]! * vt[i * n + j + 1]! : 0);
      res = Math.max(res, Math.abs(bv - sigma * ut[i * n + j]!));
      const btu = d[j]! * ut[i * n + j]! + (j > 0 ? e[j - 1]! * ut[i * n + j - 1]! : 0);
      res = Math.max(res, Math.abs(btu - sigma * vt[i * n + j]!));
    }
    if (res > 1e3 * EPS * smax * Math.sqrt(n)) return undefined;
  }
  // Orthogonality within clusters of close singular values (elsewhere it follows from the gaps).
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n && out[i]! - out[j]! <= 1e-3 * smax; j++) {
      let du = 0;
      let dv = 0;
      for (let q = 0; q < n; q++) {
        du += ut[i * n + q]! * ut[j * n + q]!;
        dv += vt[i * n + q]! * vt[j * n + q]!;
      }
      if (Math.abs(du) > 1e3 * EPS * Math.sqrt(n) || Math.abs(dv) > 1e3 * EPS * Math.sqrt(n)) return undefined;
    }
  }
  return { s: out, ut, vt };
}

/** Scales each right singular vector (row of vt, length n) so its largest-magnitude entry is positive; u (row of ut, length m) follows. */
function signConvention(ut: Float64Array, vt: Float64Array, k: number, m: number, n: number): void {
  for (let i = 0; i < k; i++) {
    let best = 0;
    let at = 0;
    for (let j = 0; j < n; j++) {
      const x = Math.abs(vt[i * n + j]!);
      if (x > best * (1 + 1e-12)) {
        best = x;
        at = j;
      }
    }
    if (vt[i * n + at]! < 0) {
      for (let j = 0; j < n; j++) vt[i * n + j] = -vt[i * n + j]!;
      for (let j = 0; j < m; j++) ut[i * m + j] = -ut[i * m + j]!;
    }
  }
}

/** The SVD of the m×n row-major matrix `a` (not modified). */
export function svdDecompose(a: Float64Array, m: number, n: number, wantVectors: boolean, tick?: () => void): Svd {
  if (m < n) {
    // Aᵀ = V Σ Uᵀ.
    const at = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) at[j * m + i] = a[i * n + j]!;
    const r = svdDecompose(at, n, m, wantVectors, tick);
    if (wantVectors) signConvention(r.vt, r.ut, m, m, n);
    return { s: r.s, ut: r.vt, vt: r.ut, m, n, k: r.k };
  }
  const k = n;
  if (n === 0) return { s: new Float64Array(0), ut: new Float64Array(0), vt: new Float64Array(0), m, n, k };
  const work = new Float64Array(m * n);
  const scale = normalizeInto(a, work);
  const b = bidiagonalize(work, m, n, tick);
  // Entries below 2^-930·‖B‖ (about 1e-280 relative) are set to zero: a backward error far
  // below ε·‖A‖, and it keeps subnormal numbers (a few significant bits) out of the
  // rotations, which would otherwise lose their orthogonality.
  let bn = 0;
  for (let i = 0; i < n; i++) bn = Math.max(bn, Math.abs(b.d[i]!), Math.abs(b.e[i]!));
  const tiny = bn * 2 ** -930;
  for (let i = 0; i < n; i++) {
    if (Math.abs(b.d[i]!) < tiny) b.d[i] = 0;
    if (Math.abs(b.e[i]!) < tiny) b.e[i] = 0;
  }
  let s: Float64Array;
  let ut: Float64Array = new Float64Array(0);
  let vt: Float64Array = new Float64Array(0);
  if (!wantVectors) s = bidiagonalValues(b.d, b.e, n, tick);
  else {
    let utB: Float64Array;
    let vtB: Float64Array;
    const fast = svdBidiagonalFast(b.d, b.e, n, tick);
    if (fast) {
      s = fast.s;
      utB = fast.ut;
      vtB = fast.vt;
    } else {
      s = b.d.slice();
      const ee = b.e.slice();
      utB = new Float64Array(n * n);
      vtB = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        utB[i * n + i] = 1;
        vtB[i * n + i] = 1;
      }
      if (!bidiagonalQR(s, ee, n, utB, vtB, tick)) throw new Error('the singular value iteration did not converge');
    }
    // Uᵀ rows of length m.
    ut = new Float64Array(n * m);
    for (let i = 0; i < n; i++) ut.set(utB.subarray(i * n, i * n + n), i * m);
    applyReflectorsRight(ut, n, m, b.left.vt, b.left.tau, b.left.start, b.left.count, tick);
    vt = vtB;
    applyReflectorsRight(vt, n, n, b.right.vt, b.right.tau, b.right.start, b.right.count, tick);
    signConvention(ut, vt, n, m, n);
  }
  if (scale !== 1) for (let i = 0; i < k; i++) s[i] = s[i]! * scale;
  return { s, ut, vt, m, n, k };
}
