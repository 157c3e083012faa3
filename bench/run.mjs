// `npm run bench`: the gradient engine against SymPy and math.js on the same
// representative expressions (the `bench` cases of test/fixtures/corpus.py,
// read from test/fixtures/sympy-gradients.json).
//
// Per expression, the gradient with respect to every variable:
//   ours            computeGradient(expr, {lang, checkPoints: 0}) in-process: parse, differentiate,
//                   simplify, print LaTeX/NumPy/text and steps (numeric check off)
//   ours+check      the same with the default numeric check (5 points), for reference
//   math.js         derivative(node, v, {simplify: false}) and derivative(node, v) (with simplify),
//                   on a pre-parsed node (the case's `mathjs` spelling; n/a where math.js has no rule)
//   SymPy           sympy.diff and sympy.diff + sympy.simplify on pre-built expressions, timed by
//                   bench/sympy_bench.py in one python3 process (skipped when python3/sympy is missing)
// Times are medians in microseconds (warm-up, then many repetitions). Sizes are tree nodes of the
// simplified partials: ours (`size`) against SymPy's simplified result (preorder_traversal count).
// Prints a table and writes test-output/bench/results.json. Targets are reported, not asserted.
//
//   node bench/run.mjs [--quick] [--no-sympy] [--only id,id]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test-output', 'bench');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const noSympy = args.includes('--no-sympy');
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : args[args.indexOf(onlyArg) + 1]).split(',') : null;
const started = performance.now();

// ---------------------------------------------------------------------------
// The engine, bundled on its own (no CLI, no extension).
mkdirSync(outDir, { recursive: true });
const enginePath = join(outDir, 'engine.cjs');
await esbuild.build({
  entryPoints: [join(root, 'core', 'gradient.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'es2022',
  outfile: enginePath,
  logLevel: 'warning',
});
const require = createRequire(import.meta.url);
const { computeGradient } = require(enginePath);
const math = require('mathjs');

const fixture = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'sympy-gradients.json'), 'utf8'));
const cases = fixture.cases.filter((c) => (only ? only.includes(c.id) : c.bench));
if (cases.length === 0) {
  console.error('bench: no cases selected');
  process.exit(1);
}

// ---------------------------------------------------------------------------
// Timing: median per-call time over batches long enough for the clock.
const MIN_BATCH_MS = quick ? 0.5 : 2;
const TIME_PER_MEASURE_MS = quick ? 40 : 150;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function geomean(xs) {
  const ok = xs.filter((x) => Number.isFinite(x) && x > 0);
  return ok.length ? Math.exp(ok.reduce((a, x) => a + Math.log(x), 0) / ok.length) : NaN;
}

/** Median microseconds per call of fn. */
function time(fn) {
  const warmEnd = performance.now() + TIME_PER_MEASURE_MS / 3;
  let warm = 0;
  while (performance.now() < warmEnd || warm < 3) {
    fn();
    warm++;
  }
  let k = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < k; i++) fn();
    if (performance.now() - t0 >= MIN_BATCH_MS || k >= 1 << 16) break;
    k *= 2;
  }
  const samples = [];
  const end = performance.now() + TIME_PER_MEASURE_MS;
  while (samples.length < 5 || (performance.now() < end && samples.length < 200)) {
    const t0 = performance.now();
    for (let i = 0; i < k; i++) fn();
    samples.push(((performance.now() - t0) * 1000) / k);
  }
  return { us: median(samples), calls: samples.length * k };
}

// ---------------------------------------------------------------------------
// SymPy, in one python3 process.
function findPython() {
  for (const exe of [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean)) {
    const r = spawnSync(exe, ['-c', 'import sympy'], { encoding: 'utf8' });
    if (r.status === 0) return exe;
  }
  return null;
}

let sympy = { ok: false, error: 'skipped (--no-sympy)' };
if (!noSympy) {
  const py = findPython();
  if (!py) {
    sympy = { ok: false, error: 'no python3 with sympy found (apt-get install python3-sympy): SymPy columns skipped' };
  } else {
    console.error(`bench: timing SymPy with ${py} (bench/sympy_bench.py)…`);
    const r = spawnSync(
      py,
      [join(root, 'bench', 'sympy_bench.py'), '--ids', cases.map((c) => c.id).join(','), '--budget', quick ? '0.3' : '1.5', '--cap', quick ? '3' : '8'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20, timeout: 170_000 },
    );
    try {
      sympy = JSON.parse(r.stdout.trim().split('\n').pop());
    } catch {
      sympy = { ok: false, error: `sympy_bench.py failed (status ${r.status}${r.signal ? `, ${r.signal}` : ''})` };
    }
  }
  if (!sympy.ok) console.error(`bench: ${sympy.error}`);
}

// ---------------------------------------------------------------------------
// Our engine and math.js: one warm-up pass over everything first (JIT), then the measurements.
for (let i = 0; i < (quick ? 3 : 10); i++) {
  for (const c of cases) {
    computeGradient(c.expr, { lang: c.lang, checkPoints: 0 });
    computeGradient(c.expr, { lang: c.lang });
    if (c.mathjs) {
      try {
        const node = math.parse(c.mathjs);
        for (const v of c.variables) math.derivative(node, v);
      } catch {
        // reported below
      }
    }
  }
}
const rows = [];
for (const c of cases) {
  const row = { id: c.id, lang: c.lang, expr: c.expr, variables: c.variables };
  const opts = { lang: c.lang, checkPoints: 0 };
  const r = computeGradient(c.expr, opts);
  if (!r.ok) {
    row.error = r.error.message;
    rows.push(row);
    continue;
  }
  row.oursSizes = Object.fromEntries(r.gradient.map((g) => [g.wrt, g.size]));
  row.oursSize = r.gradient.reduce((a, g) => a + g.size, 0);
  row.oursCheckOff = r.check.points === 0;
  row.ours_us = time(() => computeGradient(c.expr, opts)).us;
  row.oursWithCheck_us = time(() => computeGradient(c.expr, { lang: c.lang })).us;

  if (c.mathjs) {
    try {
      const node = math.parse(c.mathjs);
      const vars = c.variables;
      row.mathjs_diff_us = time(() => {
        for (const v of vars) math.derivative(node, v, { simplify: false });
      }).us;
      row.mathjs_diff_simplify_us = time(() => {
        for (const v of vars) math.derivative(node, v);
      }).us;
      row.mathjsSize = vars.reduce((a, v) => a + math.derivative(node, v).filter(() => true).length, 0);
    } catch (err) {
      row.mathjsError = String(err.message ?? err);
    }
  }

  const s = sympy.ok ? sympy.cases[c.id] : undefined;
  if (s) {
    row.sympy_diff_us = s.diff_us;
    row.sympy_diff_simplify_us = s.diff_simplify_us;
    row.sympyCapped = s.diff_simplify_capped;
  }
  if (s?.sizes) {
    row.sympySizes = s.sizes;
    row.sympySize = Object.values(s.sizes).reduce((a, b) => a + b, 0);
  } else {
    // Without python (or when simplify was cut), the sizes recorded in the fixture.
    row.sympySizes = Object.fromEntries(Object.entries(c.derivatives).map(([v, d]) => [v, d.size]));
    row.sympySize = Object.values(row.sympySizes).reduce((a, b) => a + b, 0);
    row.sympySizeFrom = 'fixture';
  }
  row.ratio_sympy_diff = row.sympy_diff_us / row.ours_us;
  row.ratio_sympy_diff_simplify = row.sympy_diff_simplify_us / row.ours_us;
  row.ratio_mathjs = row.mathjs_diff_simplify_us / row.ours_us;
  row.ratio_mathjs_diff = row.mathjs_diff_us / row.ours_us;
  rows.push(row);
}

// ---------------------------------------------------------------------------
// Report.
const fmtUs = (us) => (us === undefined || Number.isNaN(us) ? 'n/a' : us >= 1e6 ? `${(us / 1e6).toFixed(2)}s` : us >= 1e4 ? `${(us / 1e3).toFixed(0)}ms` : us >= 1e3 ? `${(us / 1e3).toFixed(1)}ms` : `${us.toFixed(0)}µs`);
const fmtX = (x) => (x === undefined || !Number.isFinite(x) ? 'n/a' : x >= 100 ? `${x.toFixed(0)}×` : x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`);
const header = ['expression', 'vars', 'ours', '+check', 'sympy diff', '+simplify', 'mathjs', '+simpl.', 'diff/ours', 'd+s/ours', 'mjs/ours', 'size ours', 'sympy'];
const table = [header];
for (const r of rows) {
  if (r.error) {
    table.push([r.id, String(r.variables.length), `ERROR: ${r.error}`]);
    continue;
  }
  table.push([
    r.id,
    String(r.variables.length),
    fmtUs(r.ours_us),
    fmtUs(r.oursWithCheck_us),
    fmtUs(r.sympy_diff_us),
    (r.sympyCapped ? '≥' : '') + fmtUs(r.sympy_diff_simplify_us),
    fmtUs(r.mathjs_diff_us),
    fmtUs(r.mathjs_diff_simplify_us),
    fmtX(r.ratio_sympy_diff),
    (r.sympyCapped ? '≥' : '') + fmtX(r.ratio_sympy_diff_simplify),
    fmtX(r.ratio_mathjs),
    String(r.oursSize),
    `${r.sympySize}${r.oursSize <= r.sympySize ? '' : ' <'}`,
  ]);
}
const widths = header.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
const line = (row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : (cell ?? '').padStart(widths[i]))).join('  ');
console.log(line(table[0]));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table.slice(1)) console.log(line(row));
console.log(`('<': our result has more nodes than SymPy's simplified one; '≥': SymPy's simplify was cut after ${quick ? 3 : 8} s, a lower bound)`);

const ok = rows.filter((r) => !r.error);
const summary = {
  expressions: rows.length,
  failed: rows.length - ok.length,
  geomean: {
    sympy_diff_over_ours: geomean(ok.map((r) => r.ratio_sympy_diff)),
    sympy_diff_simplify_over_ours: geomean(ok.map((r) => r.ratio_sympy_diff_simplify)),
    mathjs_diff_simplify_over_ours: geomean(ok.map((r) => r.ratio_mathjs)),
    mathjs_diff_over_ours: geomean(ok.map((r) => r.ratio_mathjs_diff)),
    ours_us: geomean(ok.map((r) => r.ours_us)),
    ours_with_check_us: geomean(ok.map((r) => r.oursWithCheck_us)),
  },
  sizes: {
    compared: ok.length,
    oursNotLarger: ok.filter((r) => r.oursSize <= r.sympySize).length,
    oursSmaller: ok.filter((r) => r.oursSize < r.sympySize).length,
    partials: ok.reduce((a, r) => a + r.variables.length, 0),
    partialsNotLarger: ok.reduce((a, r) => a + r.variables.filter((v) => r.oursSizes[v] <= r.sympySizes[v]).length, 0),
    totalOurs: ok.reduce((a, r) => a + r.oursSize, 0),
    totalSympy: ok.reduce((a, r) => a + r.sympySize, 0),
  },
  mathjsExpressions: ok.filter((r) => r.mathjs_diff_simplify_us !== undefined).length,
  fasterThanMathjs: ok.filter((r) => r.ratio_mathjs > 1).length,
};
const g = summary.geomean;
const check = (pass) => (pass ? 'met' : 'NOT met');
console.log('');
console.log(`geometric means over ${ok.length} expressions (ours = ${fmtUs(g.ours_us)} per gradient, ${fmtUs(g.ours_with_check_us)} with the numeric check):`);
if (sympy.ok) {
  console.log(`  SymPy diff / ours            ${fmtX(g.sympy_diff_over_ours)}   target ≥ 5×: ${check(g.sympy_diff_over_ours >= 5)}`);
  console.log(`  SymPy diff+simplify / ours   ${fmtX(g.sympy_diff_simplify_over_ours)}   target ≥ 100×: ${check(g.sympy_diff_simplify_over_ours >= 100)}`);
} else {
  console.log(`  SymPy: ${sympy.error}`);
}
console.log(`  math.js derivative+simplify / ours  ${fmtX(g.mathjs_diff_simplify_over_ours)}   (${summary.fasterThanMathjs}/${summary.mathjsExpressions} faster)   target > 1×: ${check(g.mathjs_diff_simplify_over_ours > 1)}`);
console.log(`  math.js derivative only / ours      ${fmtX(g.mathjs_diff_over_ours)}`);
const sz = summary.sizes;
console.log(
  `  result size: ours ≤ SymPy's simplified for ${sz.oursNotLarger}/${sz.compared} expressions (${sz.partialsNotLarger}/${sz.partials} partials; ` +
    `total nodes ${sz.totalOurs} vs ${sz.totalSympy}${sympy.ok ? '' : ', SymPy sizes from the fixture'})   target most: ${check(sz.oursNotLarger * 2 > sz.compared)}`,
);
if (!ok.every((r) => r.oursCheckOff)) console.log('  note: checkPoints: 0 did not turn the numeric check off; "ours" includes it');
const elapsed = (performance.now() - started) / 1000;
console.log(`bench: ${elapsed.toFixed(0)} s; results in ${join('test-output', 'bench', 'results.json')}`);

writeFileSync(
  join(outDir, 'results.json'),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      mathjs: math.version,
      sympy: sympy.ok ? { version: sympy.sympy, python: sympy.python } : { error: sympy.error },
      notes: [
        'Times are medians in microseconds for the gradient with respect to every variable.',
        'ours: parse + differentiate + simplify + print (LaTeX, NumPy, text) + steps, numeric check off; SymPy and math.js start from pre-built expressions.',
        "SymPy's cache is cleared before each timed repetition.",
        'Sizes: tree nodes of the simplified partials, summed over the variables.',
      ],
      summary,
      rows,
    },
    null,
    1,
  ),
);
spawnSync(process.execPath, [join(root, 'bench', 'shapes.mjs'), ...(quick ? ['--quick'] : [])], { stdio: 'inherit' }); // the shape-analysis bench (issue 3)
spawnSync(process.execPath, [join(root, 'bench', 'linalg.mjs'), ...(quick ? ['--quick'] : [])], { stdio: 'inherit' }); // the linear-algebra bench (issue 4)
spawnSync(process.execPath, [join(root, 'bench', 'explore.mjs'), ...(quick ? ['--quick'] : [])], { stdio: 'inherit' }); // the side view's engine (issue 5)
spawnSync(process.execPath, [join(root, 'bench', 'calculus.mjs'), ...(quick ? ['--quick'] : [])], { stdio: 'inherit' }); // matrix calculus and backprop graphs (issue 6)
