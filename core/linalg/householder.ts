/**
 * Householder reflectors and their blocked application.
 *
 * A reflector is H = I − τ v vᵀ with v[start] = 1 and v[j] = 0 for j < start.
 * A set of K reflectors is stored as the rows of `vt` (K × L, row-major), so the
 * vector of reflector k is the contiguous slice `vt[k*L + start_k .. k*L + L)`.
 *
 * The back-transformations of every decomposition (eigenvectors of the symmetric
 * solver, U and V of the SVD, Q of the QR) are all "P ← P · H_{K−1} ⋯ H_0" on a
 * row-major P whose rows are the vectors being transformed. `applyReflectorsRight`
 * does it in blocks of 8 reflectors with the compact WY form (LAPACK's dlarft + dlarfb):
 * H_{k0} ⋯ H_{k1−1} = I − V T Vᵀ with T upper triangular, applied to strips of 4 rows of
 * P at a time (X = P_strip·V, X·Tᵀ, P_strip −= X·Vᵀ while the strip is in L1). The
 * kernels run at about 4.5 GFlop/s in V8 (n = 256); blocks of 4 to 8 were fastest
 * (everything fits in L2, so larger blocks only add the T work).
 */
import { reserve, simdKernels } from './simd';

/**
 * dlarfg: from x[i0], x[i0+s], …, x[i0+(len−1)s] build H with H·x = β e₁.
 * Overwrites x[i0+s…] with v[1…] (v[0] = 1 implicitly) and x[i0] with β.
 * Returns τ (0 when x is already a multiple of e₁: then H = I and β = x[0]).
 */
export function makeReflector(x: Float64Array, i0: number, len: number, s: number): number {
  if (len <= 1) return 0;
  const end = i0 + len * s;
  let xnorm = norm(x, i0 + s, end, s);
  if (xnorm === 0) return 0;
  let alpha = x[i0]!;
  let h = Math.hypot(alpha, xnorm);
  // dlarfg's rescaling: a tiny column is scaled up (exactly, by powers of two) and its
  // norm recomputed, so 1/(α − β) neither overflows nor loses the subnormal digits;
  // τ and v do not change, β is scaled back.
  let k = 0;
  while (h < SAFMIN && k < 20) {
    for (let i = i0; i < end; i += s) x[i] = x[i]! * RSAFMIN;
    alpha = x[i0]!;
    xnorm = norm(x, i0 + s, end, s);
    h = Math.hypot(alpha, xnorm);
    k++;
  }
  const beta = alpha >= 0 ? -h : h;
  const tau = (beta - alpha) / beta;
  const f = 1 / (alpha - beta);
  for (let i = i0 + s; i < end; i += s) x[i] = x[i]! * f;
  let b = beta;
  for (let j = 0; j < k; j++) b *= SAFMIN;
  x[i0] = b;
  return tau;
}

function norm(x: Float64Array, from: number, to: number, s: number): number {
  let scale = 0;
  let ssq = 1;
  for (let i = from; i < to; i += s) {
    const v = x[i]!;
    if (v !== 0) {
      const a = Math.abs(v);
      if (scale < a) {
        ssq = 1 + ssq * (scale / a) * (scale / a);
        scale = a;
      } else ssq += (a / scale) * (a / scale);
    }
  }
  return scale * Math.sqrt(ssq);
}

const SAFMIN = 2 ** -1022 / 2 ** -52;

/** √(a² + b²): the plain formula where the squares cannot over- or underflow (Math.hypot is several times slower in V8), else Math.hypot. */
export function hyp(a: number, b: number): number {
  const s = a * a + b * b;
  return s > 1e-290 && s < 1e290 ? Math.sqrt(s) : Math.hypot(a, b);
}
const RSAFMIN = 1 / SAFMIN;

/**
 * Copies `src` into `dst` multiplied by 2^−e, where 2^e is about max |src|, without
 * overflow or underflow in the factor (used so decompositions run on entries of order 1).
 * Returns the factor to multiply results by (2^e), or 1 for a zero matrix.
 */
export function normalizeInto(src: Float64Array, dst: Float64Array): number {
  let m = 0;
  for (let i = 0; i < src.length; i++) {
    const v = Math.abs(src[i]!);
    if (v > m) m = v;
  }
  if (m === 0 || !Number.isFinite(m)) {
    dst.set(src);
    return 1;
  }
  const e = Math.floor(Math.log2(m));
  const e1 = Math.trunc(-e / 2);
  const f1 = 2 ** e1;
  const f2 = 2 ** (-e - e1);
  for (let i = 0; i < src.length; i++) dst[i] = src[i]! * f1 * f2;
  return 2 ** Math.trunc(e / 2) * 2 ** (e - Math.trunc(e / 2));
}

const BLOCK = 8;

/**
 * P ← P · H_{K−1} ⋯ H_1 · H_0, where P is R × L row-major and reflector k is row k
 * of `vt` (K × L), with τ in `tau[k]` and its first non-zero entry at `start[k]`
 * (starts must not decrease with k).
 */
export function applyReflectorsRight(
  P: Float64Array,
  R: number,
  L: number,
  vt: Float64Array,
  tau: Float64Array,
  start: Int32Array,
  K: number,
  tick?: () => void,
): void {
  if (K === 0 || R === 0) return;
  if (R >= 8 && L >= 16 && simdKernels()) {
    applyReflectorsRightSimd(P, R, L, vt, tau, start, K, tick);
    return;
  }
  const T = new Float64Array(BLOCK * BLOCK);
  const X = new Float64Array(4 * BLOCK);
  const g = new Float64Array(BLOCK);
  for (let k1 = K; k1 > 0; k1 -= BLOCK) {
    tick?.();
    const k0 = Math.max(0, k1 - BLOCK);
    const b = k1 - k0;
    const s0 = start[k0]!;
    buildT(vt, tau, start, L, k0, b, T, BLOCK, g);
    // Strips of 4 rows of P (hot in L1 from the product to the update):
    // X = P·V (4 × b, dot products, 4 rows × 2 reflectors per pass), X ← X·Tᵀ,
    // P −= X·Vᵀ (2 rows × 4 reflectors per pass). V is zero left of s0.
    let r = 0;
    for (; r + 4 <= R; r += 4) {
      const p0 = r * L, p1 = p0 + L, p2 = p1 + L, p3 = p2 + L;
      let i = 0;
      for (; i + 2 <= b; i += 2) {
        const v0 = (k0 + i) * L;
        const v1 = v0 + L;
        let a00 = 0, a01 = 0, a10 = 0, a11 = 0, a20 = 0, a21 = 0, a30 = 0, a31 = 0;
        for (let j = s0; j < L; j++) {
          const y0 = vt[v0 + j]!;
          const y1 = vt[v1 + j]!;
          let x = P[p0 + j]!;
          a00 += x * y0;
          a01 += x * y1;
          x = P[p1 + j]!;
          a10 += x * y0;
          a11 += x * y1;
          x = P[p2 + j]!;
          a20 += x * y0;
          a21 += x * y1;
          x = P[p3 + j]!;
          a30 += x * y0;
          a31 += x * y1;
        }
        X[i] = a00;
        X[i + 1] = a01;
        X[BLOCK + i] = a10;
        X[BLOCK + i + 1] = a11;
        X[2 * BLOCK + i] = a20;
        X[2 * BLOCK + i + 1] = a21;
        X[3 * BLOCK + i] = a30;
        X[3 * BLOCK + i + 1] = a31;
      }
      for (; i < b; i++) {
        const v0 = (k0 + i) * L;
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (let j = s0; j < L; j++) {
          const y = vt[v0 + j]!;
          a0 += P[p0 + j]! * y;
          a1 += P[p1 + j]! * y;
          a2 += P[p2 + j]! * y;
          a3 += P[p3 + j]! * y;
        }
        X[i] = a0;
        X[BLOCK + i] = a1;
        X[2 * BLOCK + i] = a2;
        X[3 * BLOCK + i] = a3;
      }
      applyT(X, T, 4, b);
      updateRows(P, p0, X, 0, vt, k0, b, s0, L);
      updateRows(P, p2, X, 2 * BLOCK, vt, k0, b, s0, L);
    }
    for (; r < R; r++) {
      const p0 = r * L;
      for (let i = 0; i < b; i++) {
        const v0 = (k0 + i) * L;
        let a = 0;
        for (let j = s0; j < L; j++) a += P[p0 + j]! * vt[v0 + j]!;
        X[i] = a;
      }
      applyT(X, T, 1, b);
      for (let i = 0; i < b; i++) {
        const y = X[i]!;
        const v0 = (k0 + i) * L;
        for (let j = s0; j < L; j++) P[p0 + j] = P[p0 + j]! - y * vt[v0 + j]!;
      }
    }
  }
}

/** Y = X · Tᵀ in place for `rows` rows of X (row stride BLOCK): Y[r][i] = Σ_{j ≥ i} X[r][j] T[i][j]. */
function applyT(X: Float64Array, T: Float64Array, rows: number, b: number): void {
  for (let rr = 0; rr < rows; rr++) {
    const x = rr * BLOCK;
    for (let i = 0; i < b; i++) {
      let s = 0;
      for (let j = i; j < b; j++) s += X[x + j]! * T[i * BLOCK + j]!;
      X[x + i] = s;
    }
  }
}

/** Rows p0 and p0+L of P −= Y · Vᵀ (Y rows at X[x0…], X[x0+BLOCK…]; 4 reflectors per pass). */
function updateRows(P: Float64Array, p0: number, X: Float64Array, x0: number, vt: Float64Array, k0: number, b: number, s0: number, L: number): void {
  const x1 = x0 + BLOCK;
  const p1 = p0 + L;
  let i = 0;
  for (; i + 4 <= b; i += 4) {
    const y0 = X[x0 + i]!, y1 = X[x0 + i + 1]!, y2 = X[x0 + i + 2]!, y3 = X[x0 + i + 3]!;
    const z0 = X[x1 + i]!, z1 = X[x1 + i + 1]!, z2 = X[x1 + i + 2]!, z3 = X[x1 + i + 3]!;
    const v0 = (k0 + i) * L, v1 = v0 + L, v2 = v1 + L, v3 = v2 + L;
    for (let j = s0; j < L; j++) {
      const a = vt[v0 + j]!, c = vt[v1 + j]!, e = vt[v2 + j]!, g = vt[v3 + j]!;
      P[p0 + j] = P[p0 + j]! - (y0 * a + y1 * c + y2 * e + y3 * g);
      P[p1 + j] = P[p1 + j]! - (z0 * a + z1 * c + z2 * e + z3 * g);
    }
  }
  for (; i < b; i++) {
    const y = X[x0 + i]!;
    const z = X[x1 + i]!;
    const v0 = (k0 + i) * L;
    for (let j = s0; j < L; j++) {
      const a = vt[v0 + j]!;
      P[p0 + j] = P[p0 + j]! - y * a;
      P[p1 + j] = P[p1 + j]! - z * a;
    }
  }
}

/**
 * dlarft (forward, columnwise): T (b × b upper, row stride `ts`, zero below the
 * diagonal) with H_{k0} ⋯ H_{k0+b−1} = I − V T Vᵀ: T[i][i] = τ_i,
 * T[0:i, i] = −τ_i · T[0:i, 0:i] · (V[:, 0:i]ᵀ v_i). `g` is scratch of length ≥ b.
 */
function buildT(vt: Float64Array, tau: Float64Array, start: Int32Array, L: number, k0: number, b: number, T: Float64Array, ts: number, g: Float64Array): void {
  T.fill(0, 0, b * ts);
  for (let i = 0; i < b; i++) {
    const ti = tau[k0 + i]!;
    T[i * ts + i] = ti;
    if (ti === 0 || i === 0) continue;
    const vi = (k0 + i) * L;
    const si = start[k0 + i]!;
    // g_l = v_lᵀ v_i (v_i is zero below si).
    for (let l = 0; l < i; l++) {
      const vl = (k0 + l) * L;
      let s = 0;
      for (let j = si; j < L; j++) s += vt[vl + j]! * vt[vi + j]!;
      g[l] = s;
    }
    for (let r = 0; r < i; r++) {
      let s = 0;
      for (let l = r; l < i; l++) s += T[r * ts + l]! * g[l]!;
      T[r * ts + i] = -ti * s;
    }
  }
}

const SIMD_BLOCK = 16;

/**
 * applyReflectorsRight with the WebAssembly SIMD kernel: P and V are copied into the
 * kernel memory with even row length (a zero column pads odd L, a zero row pads odd R,
 * a zero reflector row follows the last one), each block's T is built here and the
 * kernel applies the block to all rows; P is copied back at the end.
 */
function applyReflectorsRightSimd(P: Float64Array, R: number, L: number, vt: Float64Array, tau: Float64Array, start: Int32Array, K: number, tick?: () => void): void {
  const k = simdKernels()!;
  const Lp = L + (L & 1);
  const Rp = R + (R & 1);
  const offV = Rp * Lp;
  const offT = offV + (K + 1) * Lp;
  const offX = offT + SIMD_BLOCK * SIMD_BLOCK;
  const total = offX + 2 * SIMD_BLOCK;
  const F = reserve(total * 8);
  F.fill(0, 0, total);
  for (let r = 0; r < R; r++) F.set(P.subarray(r * L, r * L + L), r * Lp);
  for (let q = 0; q < K; q++) {
    const s = start[q]!;
    F.set(vt.subarray(q * L + s, q * L + L), offV + q * Lp + s);
  }
  const T = new Float64Array(SIMD_BLOCK * SIMD_BLOCK);
  const g = new Float64Array(SIMD_BLOCK);
  for (let k1 = K; k1 > 0; k1 -= SIMD_BLOCK) {
    tick?.();
    const k0 = Math.max(0, k1 - SIMD_BLOCK);
    const b = k1 - k0;
    const be = b + (b & 1);
    T.fill(0);
    buildT(vt, tau, start, L, k0, b, T, be, g);
    F.set(T.subarray(0, be * be), offT);
    const s0 = start[k0]! & ~1;
    k.applyBlock(0, Rp, Lp * 8, (offV + k0 * Lp) * 8, be, s0 * 8, Lp * 8, offT * 8, offX * 8);
  }
  for (let r = 0; r < R; r++) P.set(F.subarray(r * Lp, r * Lp + L), r * L);
}
