/**
 * WebAssembly SIMD (f64x2) kernels for the O(n³) inner loops, emitted as bytes by the
 * small assembler below (no toolchain, no binary files), with the plain TypeScript
 * loops as the fallback wherever WebAssembly or its SIMD instructions are missing.
 *
 * Why: scalar V8 code tops out at about 4–5 GFlop/s on these loops (one multiply-add
 * per instruction, bounds checks); the same dot-product kernel with f64x2 runs at
 * about 15 GFlop/s (measured on the benchmark machine), which is what the 3×-NumPy
 * target needs. WebAssembly is part of every JavaScript host the engine runs in
 * (Node, VS Code's extension host, browsers), so this is still host-independent.
 *
 * Memory: one WebAssembly.Memory owned by this module; callers copy their operands in
 * at the offsets `reserve` hands out (all byte offsets, 16-byte aligned), call a
 * kernel, and copy results out (or, in the reductions, work on views of it for the whole
 * call). Views must be taken after `reserve` (growing the memory replaces its buffer), and
 * only one decomposition uses the memory at a time (everything here is synchronous). The
 * memory grows to the largest problem seen (a few MB at the 512×512 decomposition limit)
 * and is kept.
 *
 * Kernel contracts are in the comments of each emitter; every loop over a row runs two
 * doubles per step, so row lengths and column starts are even (callers pad with zeros).
 */

// ---------------------------------------------------------------------------
// A minimal WebAssembly emitter: LEB128, sections, and the handful of instructions used.

type Code = number[];

const uleb = (x: number): Code => {
  const o: Code = [];
  do {
    let b = x & 127;
    x >>>= 7;
    if (x) b |= 128;
    o.push(b);
  } while (x);
  return o;
};
const sleb = (x: number): Code => {
  const o: Code = [];
  for (;;) {
    const b = x & 127;
    x >>= 7;
    if ((x === 0 && !(b & 64)) || (x === -1 && b & 64)) {
      o.push(b);
      return o;
    }
    o.push(b | 128);
  }
};
const vec = (items: Code[]): Code => [...uleb(items.length), ...items.flat()];
const name = (t: string): Code => [...uleb(t.length), ...Array.from(t, (c) => c.charCodeAt(0))];
const section = (id: number, body: Code): Code => [id, ...uleb(body.length), ...body];

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

const get = (i: number): Code => [0x20, ...uleb(i)];
const set = (i: number): Code => [0x21, ...uleb(i)];
const i32 = (x: number): Code => [0x41, ...sleb(x)];
const ADD = [0x6a];
const MUL = [0x6c];
const LT_U = [0x49];
const fload = (off = 0): Code => [0x2b, 3, ...uleb(off)];
const fstore = (off = 0): Code => [0x39, 3, ...uleb(off)];
const FADD = [0xa0];
const FSUB = [0xa1];
const f64c = (x: number): Code => [0x44, ...new Uint8Array(new Float64Array([x]).buffer)];
const FMUL = [0xa2];
const simd = (op: number, ...imm: number[]): Code => [0xfd, ...uleb(op), ...imm];
const vload = (off = 0): Code => simd(0x00, 3, ...uleb(off));
const vstore = (off = 0): Code => simd(0x0b, 3, ...uleb(off));
const VADD = simd(0xf0);
const VSUB = simd(0xf1);
const VMUL = simd(0xf2);
const VSPLAT = simd(0x14);
const lane = (l: number): Code => simd(0x21, l);
const VZERO: Code = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];

/** local[i] += local[d] (i32). */
const inc = (i: number, d: Code): Code => [...get(i), ...d, ...ADD, ...set(i)];
/** for (local[i] = from; local[i] <u limit; local[i] += step) body */
const forU = (i: number, from: Code, limit: Code, step: Code, body: Code): Code => [
  ...from, ...set(i),
  0x02, 0x40, 0x03, 0x40,
  ...get(i), ...limit, ...LT_U, 0x45, 0x0d, 1,
  ...body,
  ...inc(i, step),
  0x0c, 0, 0x0b, 0x0b,
];
/** Horizontal sum of a v128 local. */
const hsum = (v: number): Code => [...get(v), ...lane(0), ...get(v), ...lane(1), ...FADD];

interface Fn {
  params: number[];
  locals: number[];
  body: Code;
}

function moduleBytes(fns: Record<string, Fn>): Uint8Array<ArrayBuffer> {
  const names = Object.keys(fns);
  const types = names.map((k) => [0x60, ...vec(fns[k]!.params.map((t) => [t])), 0]);
  const bodies = names.map((k) => {
    const f = fns[k]!;
    const groups: Code[] = [];
    let at = 0;
    while (at < f.locals.length) {
      let end = at;
      while (end < f.locals.length && f.locals[end] === f.locals[at]) end++;
      groups.push([...uleb(end - at), f.locals[at]!]);
      at = end;
    }
    const code = [...vec(groups), ...f.body, 0x0b];
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec(types)),
    ...section(2, vec([[...name('e'), ...name('m'), 0x02, 0x00, 1]])),
    ...section(3, vec(names.map((_, i) => uleb(i)))),
    ...section(7, vec(names.map((k, i) => [...name(k), 0x00, ...uleb(i)]))),
    ...section(10, vec(bodies)),
  ]);
}

// ---------------------------------------------------------------------------
// Kernels.

/**
 * applyBlock(P, R, Lb, V, b, s0b, endb, T, X): one block of compact-WY reflectors applied
 * from the right to R rows of P (row stride Lb bytes), restricted to bytes s0b…endb of
 * each row: for each pair of rows, X = P_pair · V_blockᵀ (2 × b), X ← X · Tᵀ (T is b × b,
 * row-major, upper), P_pair −= X · V_block. V_block is b rows (stride Lb) from V.
 * R, b and (endb − s0b)/8 are even. X is scratch for 2·b doubles.
 */
function applyBlock(): Fn {
  // params
  const P = 0, R = 1, Lb = 2, V = 3, b = 4, s0b = 5, endb = 6, T = 7, X = 8;
  // i32 locals
  const r = 9, i = 10, j = 11, p0 = 12, p1 = 13, v0 = 14, v1 = 15, bb = 16, q = 17, xr = 18, tr = 19;
  // v128 locals
  const a00 = 20, a01 = 21, a10 = 22, a11 = 23, x0 = 24, x1 = 25, y0 = 26, y1 = 27, c00 = 28, c01 = 29, c10 = 30, c11 = 31;
  // f64 locals
  const s = 32;
  const locals = [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, F64];
  const dotPairs: Code = forU(i, i32(0), get(b), i32(2), [
    ...get(V), ...get(i), ...get(Lb), ...MUL, ...ADD, ...set(v0),
    ...get(v0), ...get(Lb), ...ADD, ...set(v1),
    ...VZERO, ...set(a00), ...VZERO, ...set(a01), ...VZERO, ...set(a10), ...VZERO, ...set(a11),
    ...forU(j, get(s0b), get(endb), i32(16), [
      ...get(p0), ...get(j), ...ADD, ...vload(), ...set(x0),
      ...get(p1), ...get(j), ...ADD, ...vload(), ...set(x1),
      ...get(v0), ...get(j), ...ADD, ...vload(), ...set(y0),
      ...get(v1), ...get(j), ...ADD, ...vload(), ...set(y1),
      ...get(a00), ...get(x0), ...get(y0), ...VMUL, ...VADD, ...set(a00),
      ...get(a01), ...get(x0), ...get(y1), ...VMUL, ...VADD, ...set(a01),
      ...get(a10), ...get(x1), ...get(y0), ...VMUL, ...VADD, ...set(a10),
      ...get(a11), ...get(x1), ...get(y1), ...VMUL, ...VADD, ...set(a11),
    ]),
    // X[0][i], X[0][i+1], X[1][i], X[1][i+1]
    ...get(X), ...get(i), ...i32(8), ...MUL, ...ADD, ...set(xr),
    ...get(xr), ...hsum(a00), ...fstore(0),
    ...get(xr), ...hsum(a01), ...fstore(8),
    ...get(xr), ...get(bb), ...ADD, ...hsum(a10), ...fstore(0),
    ...get(xr), ...get(bb), ...ADD, ...hsum(a11), ...fstore(8),
  ]);
  // X[q][i] = Σ_{j ≥ i} X[q][j] T[i][j], i ascending (in place), q = 0, 1.
  const applyT: Code = forU(q, i32(0), i32(2), i32(1), [
    ...get(X), ...get(q), ...get(bb), ...MUL, ...ADD, ...set(xr),
    ...forU(i, i32(0), get(bb), i32(8), [
      ...get(T), ...get(i), ...get(b), ...MUL, ...ADD, ...set(tr),
      0x44, 0, 0, 0, 0, 0, 0, 0, 0, ...set(s),
      ...forU(j, get(i), get(bb), i32(8), [
        ...get(s),
        ...get(xr), ...get(j), ...ADD, ...fload(),
        ...get(tr), ...get(j), ...ADD, ...fload(),
        ...FMUL, ...FADD, ...set(s),
      ]),
      ...get(xr), ...get(i), ...ADD, ...get(s), ...fstore(),
    ]),
  ]);
  const update: Code = forU(i, i32(0), get(b), i32(2), [
    ...get(V), ...get(i), ...get(Lb), ...MUL, ...ADD, ...set(v0),
    ...get(v0), ...get(Lb), ...ADD, ...set(v1),
    ...get(X), ...get(i), ...i32(8), ...MUL, ...ADD, ...set(xr),
    ...get(xr), ...fload(0), ...VSPLAT, ...set(c00),
    ...get(xr), ...fload(8), ...VSPLAT, ...set(c01),
    ...get(xr), ...get(bb), ...ADD, ...fload(0), ...VSPLAT, ...set(c10),
    ...get(xr), ...get(bb), ...ADD, ...fload(8), ...VSPLAT, ...set(c11),
    ...forU(j, get(s0b), get(endb), i32(16), [
      ...get(v0), ...get(j), ...ADD, ...vload(), ...set(y0),
      ...get(v1), ...get(j), ...ADD, ...vload(), ...set(y1),
      ...get(p0), ...get(j), ...ADD,
      ...get(p0), ...get(j), ...ADD, ...vload(),
      ...get(c00), ...get(y0), ...VMUL, ...get(c01), ...get(y1), ...VMUL, ...VADD, ...VSUB, ...vstore(),
      ...get(p1), ...get(j), ...ADD,
      ...get(p1), ...get(j), ...ADD, ...vload(),
      ...get(c10), ...get(y0), ...VMUL, ...get(c11), ...get(y1), ...VMUL, ...VADD, ...VSUB, ...vstore(),
    ]),
  ]);
  const body: Code = [
    ...get(b), ...i32(8), ...MUL, ...set(bb),
    ...forU(r, i32(0), get(R), i32(2), [
      ...get(P), ...get(r), ...get(Lb), ...MUL, ...ADD, ...set(p0),
      ...get(p0), ...get(Lb), ...ADD, ...set(p1),
      ...dotPairs,
      ...applyT,
      ...update,
    ]),
  ];
  return { params: [I32, I32, I32, I32, I32, I32, I32, I32, I32], locals, body };
}


/**
 * triStep(A, n8, lo, n, vP, wP, v, p): the row pairs (i, i+1), i = lo, lo+2, … < n−1, of one
 * step of the fused tridiagonalization (symmetric.ts): the rank-2 update of the lower
 * triangle A[i][lo…i] −= vP[i]·wP + wP[i]·vP (diagonal −2·vP[i]·wP[i]) and the product
 * p += A_new · v over the same entries (both triangles by symmetry). A has row stride n8
 * bytes; vP, wP, v, p are byte addresses of length-n vectors.
 */
function triStep(): Fn {
  const A = 0, n8 = 1, lo = 2, n = 3, vP = 4, wP = 5, v = 6, p = 7;
  const i = 8, i8 = 9, j = 10, j0 = 11, r0 = 12, r1 = 13;
  const vi0 = 14, wi0 = 15, ui0 = 16, vi1 = 17, wi1 = 18, ui1 = 19, d0 = 20, d1 = 21, x1s = 22;
  const Svi0 = 23, Swi0 = 24, Sui0 = 25, Svi1 = 26, Swi1 = 27, Sui1 = 28, s0 = 29, s1 = 30, wj = 31, vj = 32, uj = 33, x0 = 34, x1 = 35;
  const locals = [I32, I32, I32, I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, F64, F64, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128];
  const at = (base: number, idx: Code): Code => [...get(base), ...idx, ...ADD];
  const body: Code = [
    ...get(lo), ...i32(8), ...MUL, ...set(j0),
    ...get(lo), ...set(i),
    0x02, 0x40, 0x03, 0x40,
    ...get(i), ...i32(1), ...ADD, ...get(n), ...LT_U, 0x45, 0x0d, 1,
    ...get(i), ...i32(8), ...MUL, ...set(i8),
    ...get(A), ...get(i), ...get(n8), ...MUL, ...ADD, ...set(r0),
    ...get(r0), ...get(n8), ...ADD, ...set(r1),
    ...at(vP, get(i8)), ...fload(0), ...set(vi0),
    ...at(wP, get(i8)), ...fload(0), ...set(wi0),
    ...at(v, get(i8)), ...fload(0), ...set(ui0),
    ...at(vP, get(i8)), ...fload(8), ...set(vi1),
    ...at(wP, get(i8)), ...fload(8), ...set(wi1),
    ...at(v, get(i8)), ...fload(8), ...set(ui1),
    ...get(vi0), ...VSPLAT, ...set(Svi0),
    ...get(wi0), ...VSPLAT, ...set(Swi0),
    ...get(ui0), ...VSPLAT, ...set(Sui0),
    ...get(vi1), ...VSPLAT, ...set(Svi1),
    ...get(wi1), ...VSPLAT, ...set(Swi1),
    ...get(ui1), ...VSPLAT, ...set(Sui1),
    ...VZERO, ...set(s0), ...VZERO, ...set(s1),
    ...forU(j, get(j0), get(i8), i32(16), [
      ...at(wP, get(j)), ...vload(), ...set(wj),
      ...at(vP, get(j)), ...vload(), ...set(vj),
      ...at(v, get(j)), ...vload(), ...set(uj),
      ...at(r0, get(j)), ...vload(), ...get(Svi0), ...get(wj), ...VMUL, ...get(Swi0), ...get(vj), ...VMUL, ...VADD, ...VSUB, ...set(x0),
      ...at(r1, get(j)), ...vload(), ...get(Svi1), ...get(wj), ...VMUL, ...get(Swi1), ...get(vj), ...VMUL, ...VADD, ...VSUB, ...set(x1),
      ...at(r0, get(j)), ...get(x0), ...vstore(),
      ...at(r1, get(j)), ...get(x1), ...vstore(),
      ...get(s0), ...get(x0), ...get(uj), ...VMUL, ...VADD, ...set(s0),
      ...get(s1), ...get(x1), ...get(uj), ...VMUL, ...VADD, ...set(s1),
      ...at(p, get(j)),
      ...at(p, get(j)), ...vload(), ...get(x0), ...get(Sui0), ...VMUL, ...get(x1), ...get(Sui1), ...VMUL, ...VADD, ...VADD,
      ...vstore(),
    ]),
    // Diagonal block: d0 = A[i][i], x1 = A[i+1][i], d1 = A[i+1][i+1].
    ...at(r0, get(i8)), ...fload(0), ...f64c(2), ...get(vi0), ...FMUL, ...get(wi0), ...FMUL, ...FSUB, ...set(d0),
    ...at(r0, get(i8)), ...get(d0), ...fstore(0),
    ...at(r1, get(i8)), ...fload(0), ...get(vi1), ...get(wi0), ...FMUL, ...get(wi1), ...get(vi0), ...FMUL, ...FADD, ...FSUB, ...set(x1s),
    ...at(r1, get(i8)), ...get(x1s), ...fstore(0),
    ...at(r1, get(i8)), ...fload(8), ...f64c(2), ...get(vi1), ...FMUL, ...get(wi1), ...FMUL, ...FSUB, ...set(d1),
    ...at(r1, get(i8)), ...get(d1), ...fstore(8),
    ...at(p, get(i8)),
    ...at(p, get(i8)), ...fload(0), ...hsum(s0), ...FADD, ...get(d0), ...get(ui0), ...FMUL, ...FADD, ...get(x1s), ...get(ui1), ...FMUL, ...FADD,
    ...fstore(0),
    ...at(p, get(i8)),
    ...at(p, get(i8)), ...fload(8), ...hsum(s1), ...FADD, ...get(x1s), ...get(ui0), ...FMUL, ...FADD, ...get(d1), ...get(ui1), ...FMUL, ...FADD,
    ...fstore(8),
    ...inc(i, i32(2)),
    0x0c, 0, 0x0b, 0x0b,
  ];
  return { params: [I32, I32, I32, I32, I32, I32, I32, I32], locals, body };
}


/**
 * bidiagA(A, n8, i0, i1, jb0, jb1, u, vc, f, wu, tr): for the row pairs i = i0, i0+2, … < i1−1,
 * f[i] = tr·(A[i][·]·u − vc[i]·wu), the dot product over bytes jb0…jb1 of the row (even
 * length). A has row stride n8 bytes; u, vc, f are byte addresses of vectors.
 */
function bidiagA(): Fn {
  const A = 0, n8 = 1, i0 = 2, i1 = 3, jb0 = 4, jb1 = 5, u = 6, vc = 7, f = 8, wu = 9, tr = 10;
  const i = 11, i8 = 12, j = 13, r0 = 14, r1 = 15;
  const a0 = 16, a1 = 17, uj = 18;
  const locals = [I32, I32, I32, I32, I32, V128, V128, V128];
  const at = (base: number, idx: Code): Code => [...get(base), ...idx, ...ADD];
  const body: Code = [
    ...get(i0), ...set(i),
    0x02, 0x40, 0x03, 0x40,
    ...get(i), ...i32(1), ...ADD, ...get(i1), ...LT_U, 0x45, 0x0d, 1,
    ...get(i), ...i32(8), ...MUL, ...set(i8),
    ...get(A), ...get(i), ...get(n8), ...MUL, ...ADD, ...set(r0),
    ...get(r0), ...get(n8), ...ADD, ...set(r1),
    ...VZERO, ...set(a0), ...VZERO, ...set(a1),
    ...forU(j, get(jb0), get(jb1), i32(16), [
      ...at(u, get(j)), ...vload(), ...set(uj),
      ...get(a0), ...at(r0, get(j)), ...vload(), ...get(uj), ...VMUL, ...VADD, ...set(a0),
      ...get(a1), ...at(r1, get(j)), ...vload(), ...get(uj), ...VMUL, ...VADD, ...set(a1),
    ]),
    ...at(f, get(i8)),
    ...get(tr), ...hsum(a0), ...at(vc, get(i8)), ...fload(0), ...get(wu), ...FMUL, ...FSUB, ...FMUL,
    ...fstore(0),
    ...at(f, get(i8)),
    ...get(tr), ...hsum(a1), ...at(vc, get(i8)), ...fload(8), ...get(wu), ...FMUL, ...FSUB, ...FMUL,
    ...fstore(8),
    ...inc(i, i32(2)),
    0x0c, 0, 0x0b, 0x0b,
  ];
  return { params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, F64, F64], locals, body };
}

/**
 * bidiagB(A, n8, i0, i1, jb0, jb1, w, u, wn, vc, vn, f): for the row pairs i = i0, i0+2, … < i1−1,
 * over bytes jb0…jb1 of the rows: A[i] ← (A[i] − vc[i]·w) − f[i]·u, then
 * wn += vn[i]·A[i] + vn[i+1]·A[i+1].
 */
function bidiagB(): Fn {
  const A = 0, n8 = 1, i0 = 2, i1 = 3, jb0 = 4, jb1 = 5, w = 6, u = 7, wn = 8, vc = 9, vn = 10, f = 11;
  const i = 12, i8 = 13, j = 14, r0 = 15, r1 = 16;
  const v0 = 17, v1 = 18, f0 = 19, f1 = 20, g0 = 21, g1 = 22, wj = 23, uj = 24, x0 = 25, x1 = 26;
  const locals = [I32, I32, I32, I32, I32, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128];
  const at = (base: number, idx: Code): Code => [...get(base), ...idx, ...ADD];
  const splatAt = (base: number, off: number, to: number): Code => [...at(base, get(i8)), ...fload(off), ...VSPLAT, ...set(to)];
  const body: Code = [
    ...get(i0), ...set(i),
    0x02, 0x40, 0x03, 0x40,
    ...get(i), ...i32(1), ...ADD, ...get(i1), ...LT_U, 0x45, 0x0d, 1,
    ...get(i), ...i32(8), ...MUL, ...set(i8),
    ...get(A), ...get(i), ...get(n8), ...MUL, ...ADD, ...set(r0),
    ...get(r0), ...get(n8), ...ADD, ...set(r1),
    ...splatAt(vc, 0, v0), ...splatAt(vc, 8, v1),
    ...splatAt(f, 0, f0), ...splatAt(f, 8, f1),
    ...splatAt(vn, 0, g0), ...splatAt(vn, 8, g1),
    ...forU(j, get(jb0), get(jb1), i32(16), [
      ...at(w, get(j)), ...vload(), ...set(wj),
      ...at(u, get(j)), ...vload(), ...set(uj),
      ...at(r0, get(j)), ...vload(), ...get(v0), ...get(wj), ...VMUL, ...VSUB, ...get(f0), ...get(uj), ...VMUL, ...VSUB, ...set(x0),
      ...at(r1, get(j)), ...vload(), ...get(v1), ...get(wj), ...VMUL, ...VSUB, ...get(f1), ...get(uj), ...VMUL, ...VSUB, ...set(x1),
      ...at(r0, get(j)), ...get(x0), ...vstore(),
      ...at(r1, get(j)), ...get(x1), ...vstore(),
      ...at(wn, get(j)),
      ...at(wn, get(j)), ...vload(), ...get(g0), ...get(x0), ...VMUL, ...VADD, ...get(g1), ...get(x1), ...VMUL, ...VADD,
      ...vstore(),
    ]),
    ...inc(i, i32(2)),
    0x0c, 0, 0x0b, 0x0b,
  ];
  return { params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32], locals, body };
}

// ---------------------------------------------------------------------------
// Instantiation and memory.

export interface SimdKernels {
  applyBlock(P: number, R: number, Lb: number, V: number, b: number, s0b: number, endb: number, T: number, X: number): void;
  triStep(A: number, n8: number, lo: number, n: number, vP: number, wP: number, v: number, p: number): void;
  bidiagA(A: number, n8: number, i0: number, i1: number, jb0: number, jb1: number, u: number, vc: number, f: number, wu: number, tr: number): void;
  bidiagB(A: number, n8: number, i0: number, i1: number, jb0: number, jb1: number, w: number, u: number, wn: number, vc: number, vn: number, f: number): void;
}

let kernels: SimdKernels | undefined;
let memory: WebAssembly.Memory | undefined;
let view = new Float64Array(0);
let tried = false;

function init(): void {
  tried = true;
  try {
    if (typeof WebAssembly !== 'object') return;
    const bytes = moduleBytes({ applyBlock: applyBlock(), triStep: triStep(), bidiagA: bidiagA(), bidiagB: bidiagB() });
    const mem = new WebAssembly.Memory({ initial: 16 });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { e: { m: mem } });
    const k = inst.exports as unknown as SimdKernels;
    memory = mem;
    view = new Float64Array(mem.buffer);
    // Self-test on a tiny block: one reflector pair on a 2×4 strip.
    kernels = k;
    if (!selfTest()) {
      kernels = undefined;
      memory = undefined;
      view = new Float64Array(0);
    }
  } catch {
    kernels = undefined;
    memory = undefined;
  }
}

let enabled = true;

/** The kernels, or undefined where WebAssembly SIMD is not available or switched off (use the TypeScript loops). */
export function simdKernels(): SimdKernels | undefined {
  if (!enabled) return undefined;
  if (!tried) init();
  return kernels;
}

/** Switches the kernels off (or back on): the TypeScript fallback for tests and benchmarks. Returns the previous setting. */
export function setSimdEnabled(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** Makes the memory at least `bytes` long; returns the (possibly new) view of all of it. */
export function reserve(bytes: number): Float64Array {
  const mem = memory!;
  const have = mem.buffer.byteLength;
  if (bytes > have) mem.grow(Math.ceil((bytes - have) / 65536));
  if (view.buffer !== mem.buffer) view = new Float64Array(mem.buffer);
  return view;
}

function selfTest(): boolean {
  // P = [[1,2,3,4],[5,6,7,8]], one reflector v = [0,1,1,0] (and a zero partner), τ = 1, T = [[1,0],[0,0]]:
  // P·(I − v vᵀ): columns 1 and 2 lose (p1 + p2).
  const F = reserve(1024);
  F.fill(0, 0, 64);
  F.set([1, 2, 3, 4, 5, 6, 7, 8], 0);
  F.set([0, 1, 1, 0, 0, 0, 0, 0], 8);
  F.set([1, 0, 0, 0], 16);
  kernels!.applyBlock(0, 2, 32, 64, 2, 0, 32, 128, 192);
  const want = [1, -3, -2, 4, 5, -7, -6, 8];
  for (let i = 0; i < 8; i++) if (F[i] !== want[i]) return false;
  return true;
}
