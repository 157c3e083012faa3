// Linear-algebra benchmark (issue 4): ours (core/linalg) vs ml-matrix vs NumPy, side by side.
//
//   - SVD (U, s, V) and symmetric eigen-decomposition (values and vectors) of random n×n
//     matrices, n = 64, 128, 256; median of several runs after warm-up.
//       ours       svd() / eigh() from core/linalg/decompose.ts, bundled with esbuild (with the
//                  WebAssembly SIMD kernels of core/linalg/simd.ts, and again with them switched
//                  off: the TypeScript fallback that runs where WebAssembly SIMD is missing)
//       ml-matrix  new SingularValueDecomposition(A) / new EigenvalueDecomposition(S, {assumeSymmetric: true})
//       NumPy      np.linalg.svd(A) / np.linalg.eigh(S) in one python3 process (/usr/bin/python3, Debian's
//                  python3-numpy, when present) with one thread
//                  (OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=MKL_NUM_THREADS=1); skipped with a note
//                  when python3 or numpy is missing
//   - reading a 4096×4096 float32 .npy (generated into test-output/bench/linalg-4096-f32.npy):
//     ours parseNpy (bytes already in memory, as the extension has them) vs np.load.
// Targets (reported, not asserted): SVD and eigh at 256 within 3× of NumPy and not slower than
// ml-matrix; the .npy opens in under a second. Writes test-output/bench/linalg.json.
//
//   node bench/linalg.mjs [--quick]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test-output', 'bench');
const quick = process.argv.includes('--quick');
const SIZES = [64, 128, 256];
const RUNS = quick ? 3 : 7;
mkdirSync(outDir, { recursive: true });

// ---------------------------------------------------------------------------
// Ours, bundled on its own.
const enginePath = join(outDir, 'linalg.cjs');
const child = process.argv.includes('--no-simd-child');
if (!child) await esbuild.build({
  stdin: {
    contents: "export { svd, eigh } from './core/linalg/decompose'; export { parseNpy } from './core/linalg/npy'; export { setSimdEnabled, simdKernels } from './core/linalg/simd';",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'es2022',
  outfile: enginePath,
  logLevel: 'warning',
});
const require = createRequire(import.meta.url);
const ours = require(enginePath);
const { Matrix, SingularValueDecomposition, EigenvalueDecomposition } = require('ml-matrix');

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20240404);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
function timeMs(fn, runs = RUNS) {
  // Warm-up long enough for the JIT to settle (the first size would otherwise pay for it).
  const warmEnd = performance.now() + (quick ? 100 : 400);
  for (let i = 0; i < 3 || performance.now() < warmEnd; i++) fn();
  const ts = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

// ---------------------------------------------------------------------------
// The TypeScript fallback (SIMD kernels off), timed in a process of its own so the JIT
// state of one path does not slow the other.
const matrices = SIZES.map((n) => {
  const data = Float64Array.from({ length: n * n }, () => random() - 0.5);
  const sym = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sym[i * n + j] = data[i * n + j] + data[j * n + i];
  return { n, data, sym };
});
if (child) {
  ours.setSimdEnabled(false);
  const out = { svd: {}, eigh: {} };
  for (const { n, data, sym } of matrices) {
    out.svd[n] = timeMs(() => ours.svd({ rows: n, cols: n, data }));
    out.eigh[n] = timeMs(() => ours.eigh({ rows: n, cols: n, data: sym }));
  }
  console.log(JSON.stringify(out));
  process.exit(0);
}
let noSimd = null;
{
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--no-simd-child', ...(quick ? ['--quick'] : [])], { encoding: 'utf8', timeout: 600_000 });
  if (run.status === 0) noSimd = JSON.parse(run.stdout.trim().split('\n').pop());
}

// ---------------------------------------------------------------------------
// NumPy, one thread, timing itself.
const PY = `
import json, sys, time
try:
    import numpy as np
except Exception as e:
    print(json.dumps({"error": "numpy missing: %s" % e})); sys.exit(0)
sizes = ${JSON.stringify(SIZES)}
runs = ${RUNS}
rng = np.random.default_rng(1)
def t(f):
    f(); f()
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter(); f(); ts.append((time.perf_counter() - t0) * 1000)
    ts.sort(); return ts[len(ts) // 2]
out = {"numpy": np.__version__, "svd": {}, "eigh": {}}
for n in sizes:
    a = rng.standard_normal((n, n)); s = a + a.T
    out["svd"][str(n)] = t(lambda: np.linalg.svd(a))
    out["eigh"][str(n)] = t(lambda: np.linalg.eigh(s))
path = sys.argv[1]
out["npyLoad"] = t(lambda: np.load(path))
print(json.dumps(out))
`;

// The big .npy.
const N = 4096;
let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${N}, ${N}), }`;
header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
const npy = new Uint8Array(10 + header.length + N * N * 4);
npy.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 255, header.length >> 8]);
for (let i = 0; i < header.length; i++) npy[10 + i] = header.charCodeAt(i);
{
  const f = new Float32Array(npy.buffer, 10 + header.length, N * N);
  for (let i = 0; i < f.length; i++) f[i] = random() - 0.5;
}
const npyPath = join(outDir, 'linalg-4096-f32.npy');
writeFileSync(npyPath, npy);

let numpy = null;
let numpyNote = '';
// Debian's NumPy (python3-numpy, the fixtures' oracle) when present, else whatever python3 is on PATH.
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const py = spawnSync(python, ['-c', PY, npyPath], {
  encoding: 'utf8',
  timeout: 600_000,
  env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
});
if (py.error || py.status !== 0) numpyNote = `NumPy skipped: python3 failed (${py.error?.message ?? py.stderr.trim().split('\n').pop()})`;
else {
  const r = JSON.parse(py.stdout.trim().split('\n').pop());
  if (r.error) numpyNote = `NumPy skipped: ${r.error}`;
  else numpy = r;
}

const results = { svd: {}, eigh: {} };
for (const { n, data, sym } of matrices) {
  const A = { rows: n, cols: n, data };
  const S = { rows: n, cols: n, data: sym };
  const mA = Matrix.from1DArray(n, n, Array.from(data));
  const mS = Matrix.from1DArray(n, n, Array.from(sym));
  const mlRuns = n >= 256 && quick ? 2 : RUNS;
  results.svd[n] = {
    ours: timeMs(() => ours.svd(A)),
    oursNoSimd: noSimd?.svd[n] ?? null,
    mlMatrix: timeMs(() => new SingularValueDecomposition(mA), mlRuns),
    numpy: numpy?.svd[String(n)] ?? null,
  };
  results.eigh[n] = {
    ours: timeMs(() => ours.eigh(S)),
    oursNoSimd: noSimd?.eigh[n] ?? null,
    mlMatrix: timeMs(() => new EigenvalueDecomposition(mS, { assumeSymmetric: true }), mlRuns),
    numpy: numpy?.eigh[String(n)] ?? null,
  };
}
const npyOurs = timeMs(() => {
  const r = ours.parseNpy(npy);
  if (!r.ok) throw new Error(r.error.message);
}, quick ? 3 : 5);

// ---------------------------------------------------------------------------
const f = (x) => (x === null || x === undefined ? 'n/a' : x < 10 ? x.toFixed(2) : x.toFixed(1));
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : 'n/a');
const rows = [['operation', 'n', 'ours ms', 'no-SIMD ms', 'ml-matrix ms', 'NumPy ms', 'ours/NumPy', 'no-SIMD/NumPy', 'ours/ml-matrix', 'target']];
for (const op of ['svd', 'eigh']) {
  for (const n of SIZES) {
    const r = results[op][n];
    const target = n === 256 ? `≤ 3× NumPy: ${r.numpy ? (r.ours <= 3 * r.numpy ? 'met' : 'NOT met') : 'n/a'}; ≤ ml-matrix: ${r.ours <= r.mlMatrix ? 'met' : 'NOT met'}` : '';
    rows.push([op === 'svd' ? 'SVD (U, s, V)' : 'symmetric eig (w, V)', String(n), f(r.ours), f(r.oursNoSimd), f(r.mlMatrix), f(r.numpy), ratio(r.ours, r.numpy), ratio(r.oursNoSimd, r.numpy), ratio(r.ours, r.mlMatrix), target]);
  }
}
rows.push(['read 4096×4096 float32 .npy', '', f(npyOurs), '', 'n/a', f(numpy?.npyLoad), ratio(npyOurs, numpy?.npyLoad), '', '', `< 1000 ms: ${npyOurs < 1000 ? 'met' : 'NOT met'}`]);
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
console.log('');
console.log(`linear algebra (one thread; medians of ${RUNS} runs)${numpy ? ` — NumPy ${numpy.numpy}` : ''}; WebAssembly SIMD kernels: ${ours.simdKernels() ? 'on' : 'unavailable (both columns are the TypeScript loops)'}`);
for (const [k, r] of rows.entries()) {
  console.log(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
  if (k === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
if (numpyNote) console.log(numpyNote);
writeFileSync(
  join(outDir, 'linalg.json'),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, simd: Boolean(ours.simdKernels()), numpy: numpy?.numpy ?? null, numpyNote: numpyNote || null, runs: RUNS, results, npy: { file: 'test-output/bench/linalg-4096-f32.npy', oursMs: npyOurs, numpyMs: numpy?.npyLoad ?? null } }, null, 1),
);
console.log(`bench linalg: results in ${join('test-output', 'bench', 'linalg.json')}`);
