// Matrix-calculus and backprop benchmark (issue 6), also run from bench/run.mjs.
//
// Bundles core/matcalc and core/backprop with esbuild into test-output/bench/calculus.cjs and times, as
// medians after a warm-up:
//   - matrix calculus: matrixGradient / matrixJacobian / matrixHessian on course expressions, the whole
//     call (parse, derivation with steps, LaTeX and NumPy printing, the finite-difference check of every
//     result and of its printed NumPy code). There is no option to skip the check, so "derive+print" is
//     measured for reference by running the same stages from the module's internals without the check
//     (its printed results are compared with the full call's). Peer: SymPy's matrix calculus
//     (MatrixSymbol with symbolic sizes, expr.diff(X)), cache cleared before each repetition; where
//     SymPy cannot express or differentiate a case the row says n/a and a footnote says why.
//   - backprop: backpropGraph(text), the whole result the panel waits for (graph, forward values,
//     gradients, local derivatives and chain products in LaTeX, layout, folding, playback steps, NumPy
//     code). Peers: PyTorch autograd in float64 on one thread (leaf tensors created with requires_grad,
//     forward, .backward()) and a micrograd-style pure-Python Value for the scalar cases, on the values
//     our engine used; their gradients are compared with ours. A bare autograd pass computes a small
//     part of what the panel shows, so the ratio is the price of the explanation, not a like-for-like race.
// The Python peers run in one python3 process (bench/calculus_peers.py; /usr/bin/python3, Debian's
// sympy, numpy and torch); a missing one is skipped with a note. Prints two tables and writes
// test-output/bench/calculus.json. Nothing is asserted.
//
//   node bench/calculus.mjs [--quick] [--no-python]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test-output', 'bench');
const quick = process.argv.includes('--quick');
const noPython = process.argv.includes('--no-python');
const MIN_BATCH_MS = quick ? 0.5 : 2;
const TIME_PER_MEASURE_MS = quick ? 60 : 300;
const started = performance.now();

mkdirSync(outDir, { recursive: true });
const enginePath = join(outDir, 'calculus.cjs');
await esbuild.build({
  stdin: {
    contents: [
      "export { matrixGradient, matrixJacobian, matrixHessian } from './core/matcalc/index';",
      "export { backpropGraph } from './core/backprop/index';",
      // The stages of a matcalc call, to time them without the numeric check.
      "export { Budget } from './core/budget';",
      "export { resetKeys, variables, raw } from './core/matcalc/ast';",
      "export { parseMatrix } from './core/matcalc/parse';",
      "export { canon, useBudget } from './core/matcalc/simplify';",
      "export { reverseGradient } from './core/matcalc/differential';",
      "export { forwardJacobian } from './core/matcalc/jacobian';",
      "export { latex, numpy, dimsFrom, stepLatex } from './core/matcalc/print';",
      "export { parseShapeSpec, parseOneHot } from './core/matcalc/shapes';",
    ].join('\n'),
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
const E = require(enginePath);

// ---------------------------------------------------------------------------
// Timing: median per-call time over batches long enough for the clock (as bench/run.mjs).
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median microseconds per call of fn. */
function time(fn) {
  const warmEnd = performance.now() + TIME_PER_MEASURE_MS / 3;
  for (let warm = 0; performance.now() < warmEnd || warm < 3; warm++) fn();
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
  return median(samples);
}

// ---------------------------------------------------------------------------
// The cases.
const MATCALC = [
  { id: 'least_squares', label: 'least squares ‖Xw − y‖²', kind: 'gradient', expr: 'np.sum((X @ w - y)**2)', shapes: 'X:(n,d),w:(d,),y:(n,)', wrt: ['w'] },
  { id: 'ridge', label: 'ridge ‖Xw − y‖² + λ‖w‖²', kind: 'gradient', expr: 'np.sum((X @ w - y)**2) + lam * np.sum(w**2)', shapes: 'X:(n,d),w:(d,),y:(n,)', wrt: ['w'] },
  { id: 'quadratic', label: 'quadratic form xᵀAx (∂x, ∂A)', kind: 'gradient', expr: 'x.T @ A @ x', shapes: 'A:(n,n),x:(n,)', wrt: ['x', 'A'] },
  { id: 'logdet', label: 'log det S', kind: 'gradient', expr: 'np.log(np.linalg.det(S))', shapes: 'S:(n,n)', wrt: ['S'] },
  { id: 'trace', label: 'tr(AXB)', kind: 'gradient', expr: 'np.trace(A @ X @ B)', shapes: 'A:(m,n),X:(n,p),B:(p,m)', wrt: ['X'] },
  { id: 'logistic', label: 'logistic loss', kind: 'gradient', expr: 'np.mean(np.log(1 + np.exp(-y * (X @ w))))', shapes: 'X:(n,d),w:(d,),y:(n,)', wrt: ['w'] },
  { id: 'softmax_xent', label: 'softmax cross-entropy, Y one-hot', kind: 'gradient', expr: '-np.mean(np.sum(Y * log_softmax(X @ W, axis=1), axis=1))', shapes: 'X:(n,d),W:(d,k),Y:(n,k) onehot', wrt: ['W'] },
  { id: 'mlp', label: 'two-layer MLP loss (W1, b1, W2, b2)', kind: 'gradient', expr: 'np.mean((np.tanh(X @ W1 + b1) @ W2 + b2 - Y)**2)', shapes: 'X:(n,d),W1:(d,h),b1:(h,),W2:(h,k),b2:(k,),Y:(n,k)', wrt: ['W1', 'b1', 'W2', 'b2'] },
  { id: 'jacobian_tanh', label: 'Jacobian of tanh(Wx) (∂x)', kind: 'jacobian', expr: 'np.tanh(W @ x)', shapes: 'W:(m,n),x:(n,)', wrt: ['x'] },
  { id: 'hessian_rosenbrock', label: 'Hessian of Rosenbrock (x, y)', kind: 'hessian', expr: '(1 - x)**2 + 100*(y - x**2)**2', shapes: '', wrt: ['x', 'y'] },
];
const CALL = { gradient: E.matrixGradient, jacobian: E.matrixJacobian, hessian: E.matrixHessian };

/** matrixGradient/Jacobian/Hessian's stages without the numeric check (mirrors core/matcalc/index.ts). */
function deriveOnly(c) {
  const budget = new E.Budget(2000);
  E.resetKeys();
  const parsed = E.parseMatrix(c.expr, { shapes: E.parseShapeSpec(c.shapes), onehot: new Set(E.parseOneHot(c.shapes)) });
  E.useBudget(budget);
  try {
    const expr = E.canon(parsed.expr);
    const vars = E.variables(parsed.expr);
    const ws = c.wrt.map((name) => vars.find((v) => v.name === name));
    const tick = () => budget.tick();
    let results;
    const steps = [];
    if (c.kind === 'gradient') {
      results = ws.map((v) => {
        const r = E.reverseGradient(expr, v, tick);
        steps.push(r.steps);
        return r.gradient;
      });
    } else if (c.kind === 'jacobian') {
      results = ws.map((v) => {
        const r = E.forwardJacobian(expr, v, tick);
        steps.push(r.steps);
        return r.jacobian;
      });
    } else {
      // scalar variables: the matrix of second partials
      const grads = ws.map((v) => E.reverseGradient(expr, v, tick));
      const entries = [];
      for (const g of grads) for (const v of ws) {
        const h = E.reverseGradient(g.gradient, v, tick);
        steps.push(`${E.stepLatex(g.gradient)} ${E.stepLatex(h.gradient)}`);
        entries.push(h.gradient);
      }
      results = [E.raw.stack(entries, [ws.length, ws.length])];
    }
    const ctx = E.dimsFrom(vars);
    return { shown: [E.stepLatex(parsed.expr, 20_000), E.numpy(parsed.expr, ctx)], results: results.map((r) => ({ latex: E.latex(r), numpy: E.numpy(r, ctx) })), steps };
  } finally {
    E.useBudget(undefined);
  }
}

const chainSteps = 200;
const BACKPROP = [
  { id: 'neuron', label: 'scalar neuron (σ, squared error)', text: 'w, x, b, y = -1.2, 0.5, 0.3, 1.0\nz = w * x + b\na = 1 / (1 + np.exp(-z))\nloss = (a - y) ** 2' },
  { id: 'chain', label: `scalar chain, ${chainSteps} × h = tanh(w·h + b)`, text: `w, b, h = 0.9, 0.1, 0.5\n${Array.from({ length: chainSteps }, () => 'h = np.tanh(w*h + b)').join('\n')}` },
  {
    id: 'mlp',
    label: 'two-layer MLP, X (64, 32), 64 hidden, 10 outputs',
    text: '# X: (64, 32), W1: (32, 64), b1: (64,), W2: (64, 10), b2: (10,), Y: (64, 10)\nH = np.tanh(X @ W1 + b1)\nP = H @ W2 + b2\nmse = np.mean((P - Y) ** 2)',
  },
];

// ---------------------------------------------------------------------------
// Ours, once each (results, and the values the peers must use).
const matRows = MATCALC.map((c) => {
  const r = CALL[c.kind](c.expr, { shapes: c.shapes, wrt: c.wrt });
  const row = { id: c.id, label: c.label, kind: c.kind, expr: c.expr, shapes: c.shapes, wrt: c.wrt };
  if (!r.ok) return { ...row, error: r.error.message };
  row.ours = r.gradient.map((g) => ({ wrt: g.wrt, numpy: g.numpy, latex: g.latex, steps: g.steps.length, checkPassed: g.check.passed, checkPoints: g.check.points }));
  const d = deriveOnly(c);
  row.deriveOnlyMatches = d.results.length === r.gradient.length && d.results.every((x, i) => x.numpy === r.gradient[i].numpy && x.latex === r.gradient[i].latex);
  return row;
});
const bpRows = BACKPROP.map((c) => {
  const r = E.backpropGraph(c.text);
  const row = { id: c.id, label: c.label, text: c.text };
  if (!r.ok) return { ...row, error: r.error.message };
  row.nodes = r.nodes.length;
  row.edges = r.edges.length;
  row.steps = r.steps.length;
  row.jsonBytes = JSON.stringify(r).length;
  row.leaves = Object.fromEntries(r.leaves.map((l) => [l.name, { value: l.value, grad: l.grad }]));
  return row;
});

// ---------------------------------------------------------------------------
// The Python peers, in one process.
let py = { ok: false, error: 'skipped (--no-python)' };
if (!noPython) {
  const leaves = (id) => Object.fromEntries(Object.entries(bpRows.find((r) => r.id === id).leaves ?? {}).map(([k, v]) => [k, v.value]));
  const input = { matcalc: MATCALC.map((c) => c.id), backprop: { neuron: leaves('neuron'), chain: { ...leaves('chain'), steps: chainSteps }, mlp: leaves('mlp') } };
  const inputPath = join(outDir, 'calculus-input.json');
  writeFileSync(inputPath, JSON.stringify(input));
  const exe = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  console.error(`bench calculus: timing SymPy and PyTorch with ${exe} (bench/calculus_peers.py)…`);
  const run = spawnSync(exe, [join(root, 'bench', 'calculus_peers.py'), '--input', inputPath, '--budget', quick ? '0.3' : '1.5', '--cap', quick ? '10' : '30'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
    timeout: 600_000,
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  try {
    py = JSON.parse(run.stdout.trim().split('\n').pop());
  } catch {
    py = { ok: false, error: `python3 peers failed (${run.error?.message ?? `status ${run.status}: ${(run.stderr ?? '').trim().split('\n').pop()}`})` };
  }
}
const sympy = py.ok ? py.sympy : { ok: false, error: py.error };
const torch = py.ok ? py.backprop : { ok: false, error: py.error };

// ---------------------------------------------------------------------------
// Ours, timed (one warm-up pass over everything first).
for (let i = 0; i < (quick ? 2 : 5); i++) {
  for (const c of MATCALC) CALL[c.kind](c.expr, { shapes: c.shapes, wrt: c.wrt });
  for (const c of BACKPROP.filter((b) => b.id !== 'chain')) E.backpropGraph(c.text);
}
for (const [i, c] of MATCALC.entries()) {
  const row = matRows[i];
  if (row.error) continue;
  row.ours_us = time(() => CALL[c.kind](c.expr, { shapes: c.shapes, wrt: c.wrt }));
  row.deriveOnly_us = time(() => deriveOnly(c));
  const s = sympy.ok ? sympy.cases[c.id] : undefined;
  if (s) {
    row.sympy = { asked: s.asked, result: s.result ?? null, ...(s.error ? { error: s.error } : { us: s.us, reps: s.reps }) };
    if (s.us) row.ratio_sympy_over_ours = s.us / row.ours_us;
  }
}

/** max over entries of |a − b| / max(1, |b|), for numbers or nested lists. */
function maxRel(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) / Math.max(1, Math.abs(b));
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return NaN;
  return a.reduce((m, x, i) => Math.max(m, maxRel(x, b[i])), 0);
}
for (const [i, c] of BACKPROP.entries()) {
  const row = bpRows[i];
  if (row.error) continue;
  row.ours_us = time(() => E.backpropGraph(c.text));
  row.oursSerialized_us = time(() => JSON.stringify(E.backpropGraph(c.text)));
  const t = torch.ok ? torch.cases[c.id] : undefined;
  if (!t) continue;
  const ours = Object.fromEntries(Object.entries(row.leaves).map(([k, v]) => [k, v.grad]));
  const diff = (grads) => Math.max(...Object.keys(ours).map((k) => maxRel(ours[k], grads[k])));
  row.torch_us = t.torch_us;
  row.torchMaxRelDiff = diff(t.torch_grads);
  row.ratio_ours_over_torch = row.ours_us / t.torch_us;
  if (t.micrograd_us !== undefined) {
    row.micrograd_us = t.micrograd_us;
    row.microgradMaxRelDiff = diff(t.micrograd_grads);
    row.ratio_ours_over_micrograd = row.ours_us / t.micrograd_us;
  }
}

// ---------------------------------------------------------------------------
// Report.
const fmtUs = (us) => (us === undefined || us === null || Number.isNaN(us) ? 'n/a' : us >= 1e4 ? `${(us / 1e3).toFixed(0)} ms` : us >= 1e3 ? `${(us / 1e3).toFixed(1)} ms` : us >= 10 ? `${us.toFixed(0)} µs` : `${us.toFixed(1)} µs`);
const fmtX = (x) => (x === undefined || !Number.isFinite(x) ? 'n/a' : x >= 100 ? `${x.toFixed(0)}×` : x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`);
const fmtE = (x) => (x === undefined ? 'n/a' : Number.isNaN(x) ? 'shape?' : x === 0 ? '0' : x.toExponential(0));
function printTable(title, rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  console.log('');
  console.log(title);
  for (const [k, r] of rows.entries()) {
    console.log(r.map((cell, i) => (i === 0 ? (cell ?? '').padEnd(widths[i]) : (cell ?? '').padStart(widths[i]))).join('  ').trimEnd());
    if (k === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

const footnotes = [];
const note = (text) => {
  footnotes.push(text);
  return `[${footnotes.length}]`;
};
const matTable = [['expression', 'ours (call)', 'derive+print', 'check share', 'check', 'SymPy diff', 'SymPy/ours']];
for (const r of matRows) {
  if (r.error) {
    matTable.push([r.label, `ERROR: ${r.error}`]);
    continue;
  }
  const passed = r.ours.every((g) => g.checkPassed);
  const sym = !sympy.ok ? 'n/a' : r.sympy?.error ? `n/a ${note(`${r.label}: SymPy ${sympy.version}: ${r.sympy.error}. Asked: ${r.sympy.asked}`)}` : fmtUs(r.sympy?.us);
  matTable.push([
    r.label,
    fmtUs(r.ours_us),
    fmtUs(r.deriveOnly_us) + (r.deriveOnlyMatches ? '' : ' ≠'),
    `${Math.round(100 * (1 - r.deriveOnly_us / r.ours_us))}%`,
    passed ? 'passed' : 'FAILED',
    sym,
    fmtX(r.ratio_sympy_over_ours),
  ]);
}
printTable(`matrix calculus (node ${process.version}${sympy.ok ? `; SymPy ${sympy.version}, python ${py.python}, cache cleared per repetition` : ''}; medians)`, matTable);
console.log('ours (call): matrixGradient/Jacobian/Hessian, everything the panel gets, with the finite-difference check of each result and of its NumPy');
console.log('code (no option skips it); derive+print: the same stages without the check, from the module\'s internals (check share = the rest).');
if (!sympy.ok) console.log(`SymPy: ${sympy.error}`);
for (const [i, f] of footnotes.entries()) console.log(`[${i + 1}] ${f}`);
if (matRows.some((r) => !r.error && !r.deriveOnlyMatches)) console.log('≠: derive+print printed a different result from the call (the internals changed: update deriveOnly in bench/calculus.mjs)');
if (sympy.ok) {
  console.log('results side by side (ours as NumPy / SymPy):');
  for (const id of ['least_squares', 'quadratic', 'trace', 'jacobian_tanh']) {
    const r = matRows.find((x) => x.id === id);
    if (!r || r.error || !r.sympy?.result) continue;
    r.ours.forEach((g, i) => console.log(`  ${`${r.label}, ∂/∂${g.wrt}`.padEnd(38)} ${g.numpy.padEnd(40)}  ${r.sympy.result[i] ?? ''}`));
  }
}

const bpTable = [['forward pass', 'nodes', 'result', 'ours (full)', '+JSON', 'torch f64', 'ours/torch', 'micrograd', 'ours/micro', 'grad diff']];
for (const r of bpRows) {
  if (r.error) {
    bpTable.push([r.label, `ERROR: ${r.error}`]);
    continue;
  }
  bpTable.push([
    r.label,
    String(r.nodes),
    `${(r.jsonBytes / 1024).toFixed(0)} KiB`,
    fmtUs(r.ours_us),
    fmtUs(r.oursSerialized_us),
    fmtUs(r.torch_us),
    fmtX(r.ratio_ours_over_torch),
    fmtUs(r.micrograd_us),
    fmtX(r.ratio_ours_over_micrograd),
    r.torchMaxRelDiff === undefined ? 'n/a' : `${fmtE(Math.max(r.torchMaxRelDiff, r.microgradMaxRelDiff ?? 0))}`,
  ]);
}
printTable(`backprop graph (medians${torch.ok ? `; PyTorch ${torch.torch} float64, ${torch.threads} thread` : ''})`, bpTable);
console.log('ours (full): backpropGraph, the whole result the panel waits for (graph, values, gradients, LaTeX of every local derivative and chain');
console.log('product, layout, folding, playback steps, NumPy code); +JSON: with JSON.stringify of it (result = its size). torch: leaf tensors with');
console.log('requires_grad, forward, .backward(); micrograd: a pure-Python scalar Value (scalar cases only). The peers compute gradients and nothing');
console.log('else, so ours/peer is what the explanation costs over a bare autograd pass. grad diff: max |ours − peer| / max(1, |peer|) over the inputs.');
if (!torch.ok) console.log(`PyTorch: ${torch.error}`);

writeFileSync(
  join(outDir, 'calculus.json'),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      python: py.ok ? py.python : null,
      sympy: sympy.ok ? sympy.version : { error: sympy.error },
      torch: torch.ok ? torch.torch : { error: torch.error },
      quick,
      notes: [
        'Times are medians in microseconds.',
        'matcalc ours_us: the whole matrixGradient/Jacobian/Hessian call including the numeric check; deriveOnly_us: parse, derivation with steps, LaTeX and NumPy printing without the check (from the internals).',
        "SymPy: expr.diff(X) on pre-built MatrixSymbol expressions with symbolic sizes, SymPy's cache cleared before each repetition.",
        'backprop ours_us: the whole backpropGraph result; torch_us: tensor creation with requires_grad + forward + backward in float64 on one thread; micrograd_us: pure-Python scalar autograd.',
      ],
      matcalc: matRows,
      backprop: bpRows.map(({ leaves: _leaves, ...r }) => r),
    },
    null,
    1,
  ),
);
console.log(`bench calculus: ${((performance.now() - started) / 1000).toFixed(0)} s; results in ${join('test-output', 'bench', 'calculus.json')}`);
