// Explorer benchmark (issue 5: the Plot and Optimize tabs), also run from bench/run.mjs.
//
// Bundles core/explore/index.ts with esbuild into test-output/bench/explore.cjs and measures, as medians
// of several runs after a warm-up (the first, cold call is reported too where it matters):
//   - a 400 × 400 contour grid of Rosenbrock and of a selection-like np.sin(x)*np.cos(y) + 0.1*x**2
//     (and, for reference, the 10-term logistic-regression loss): target ≤ 50 ms;
//   - marching squares: 12 contour levels traced on the Rosenbrock 400 × 400 grid (with the levels);
//   - 6 optimizers × 500 steps on Rosenbrock (runOptimizers, and with the conversion to the protocol's
//     arrays): the whole animation is computed at once, so the 60 fps target needs it within one frame
//     (16.7 ms) for sliders to re-run it live; drawing is the webview's;
//   - a view update after a selection change: functionPlot('np.tanh(x)/x') (parse, f′ and f″ from the
//     engine, sampling with poles/kinks), target ≤ 100 ms; and playground() for the two-variable
//     selection (objective + gradient, 400² contour grid, 200² heat map, contours, arrows, 6 × 200 steps).
// Prints a table and writes test-output/bench/explore.json. Targets are reported, not asserted.
//
//   node bench/explore.mjs [--quick]
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test-output', 'bench');
const quick = process.argv.includes('--quick');
const RUNS = quick ? 5 : 15;
const TARGETS = { gridMs: 50, frameMs: 1000 / 60, viewUpdateMs: 100 };

mkdirSync(outDir, { recursive: true });
const enginePath = join(outDir, 'explore.cjs');
await esbuild.build({ entryPoints: [join(root, 'core', 'explore', 'index.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'es2022', outfile: enginePath, logLevel: 'warning' });
const require = createRequire(import.meta.url);
const X = require(enginePath);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

/** Cold (first) time and the median of RUNS warm runs, in ms. */
function time(fn) {
  const t0 = performance.now();
  const first = fn();
  const cold = performance.now() - t0;
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    runs.push(performance.now() - t);
  }
  return { coldMs: cold, medianMs: median(runs), minMs: Math.min(...runs), result: first };
}

function objective(input) {
  const o = X.objective2d(input);
  if (!o.ok) throw new Error(o.error.message);
  return o;
}

const rosen = objective({ preset: 'rosenbrock' });
const selection = objective({ text: 'np.sin(x)*np.cos(y) + 0.1*x**2', lang: 'python' });
const logistic = objective({ preset: 'logistic' });

const results = {};
results.gridRosenbrock = time(() => X.contourGrid(rosen.f, rosen.objective.box, 400, 400));
results.gridSelection = time(() => X.contourGrid(selection.f, selection.objective.box, 400, 400));
results.gridLogistic = time(() => X.contourGrid(logistic.f, logistic.objective.box, 400, 400));
const grid = results.gridRosenbrock.result;
results.contours = time(() => X.contourLines(grid, X.contourLevels(grid, 12)));
const contourSegments = results.contours.result.reduce((n, c) => n + c.lines.reduce((m, l) => m + l.length / 2 - 1, 0), 0);
const h = { lr: 0.0005, momentum: 0.9, beta1: 0.9, beta2: 0.999 };
results.optimizers = time(() => X.runOptimizers(rosen.grad, rosen.f, [-1.5, 2], h, 500));
results.optimizersProtocol = time(() => X.runOptimizers(rosen.grad, rosen.f, [-1.5, 2], h, 500).map((r) => X.toTrajectory(r, h)));
results.functionPlot = time(() => {
  const r = X.functionPlot('np.tanh(x)/x', { lang: 'python' });
  if (!r.ok) throw new Error(r.error.message);
  return r;
});
const fp = results.functionPlot.result;
results.samplePlotZoom = time(() => X.samplePlot(fp.fn, -0.01, 0.01, 401));
results.playgroundSelection = time(() => {
  const r = X.playground({ text: 'np.sin(x)*np.cos(y) + 0.1*x**2', lang: 'python' });
  if (!r.ok) throw new Error(r.error.message);
  return r;
});
results.gallery = time(() => X.activationGallery());

const ms = (v) => `${v.toFixed(2)} ms`;
const met = (ok) => (ok ? 'met' : 'NOT met');
const row = (label, r, target, extra = '') => [label, `${ms(r.medianMs)} (cold ${ms(r.coldMs)})${extra}`, target === undefined ? '' : `≤ ${target.toFixed(target < 20 ? 1 : 0)} ms: ${met(r.medianMs <= target)}`];
const rows = [
  ['measure', 'median (first call)', 'target'],
  row('contour grid 400×400, Rosenbrock', results.gridRosenbrock, TARGETS.gridMs),
  row('contour grid 400×400, sin(x)cos(y) + 0.1x²', results.gridSelection, TARGETS.gridMs),
  row('contour grid 400×400, logistic loss (10 terms)', results.gridLogistic, TARGETS.gridMs),
  row('marching squares, 12 levels on 400×400', results.contours, undefined, `, ${contourSegments} segments`),
  row('6 optimizers × 500 steps, Rosenbrock', results.optimizers, TARGETS.frameMs),
  row('  + as protocol Trajectory[]', results.optimizersProtocol, TARGETS.frameMs),
  row("functionPlot('np.tanh(x)/x') (view update)", results.functionPlot, TARGETS.viewUpdateMs),
  row('samplePlot, zoomed to [−0.01, 0.01]', results.samplePlotZoom, TARGETS.viewUpdateMs),
  row('playground(selection) (view update)', results.playgroundSelection, TARGETS.viewUpdateMs),
  row('activation gallery (8 activations)', results.gallery),
];
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
console.log('');
console.log(`explorer (node ${process.version}, medians of ${RUNS})`);
for (const [k, r] of rows.entries()) {
  console.log(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
  if (k === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
const strip = (r) => ({ coldMs: r.coldMs, medianMs: r.medianMs, minMs: r.minMs });
const json = {
  date: new Date().toISOString(),
  node: process.version,
  runs: RUNS,
  targets: TARGETS,
  grid: {
    rosenbrock: { ...strip(results.gridRosenbrock), met: results.gridRosenbrock.medianMs <= TARGETS.gridMs },
    selection: { expr: 'np.sin(x)*np.cos(y) + 0.1*x**2', ...strip(results.gridSelection), met: results.gridSelection.medianMs <= TARGETS.gridMs },
    logistic: { ...strip(results.gridLogistic), met: results.gridLogistic.medianMs <= TARGETS.gridMs },
  },
  contours: { levels: 12, segments: contourSegments, ...strip(results.contours) },
  optimizers: {
    steps: 500,
    count: 6,
    ...strip(results.optimizers),
    protocol: strip(results.optimizersProtocol),
    met: results.optimizersProtocol.medianMs <= TARGETS.frameMs,
  },
  viewUpdate: {
    functionPlot: { expr: 'np.tanh(x)/x', ...strip(results.functionPlot), met: results.functionPlot.medianMs <= TARGETS.viewUpdateMs },
    samplePlotZoom: strip(results.samplePlotZoom),
    playground: { ...strip(results.playgroundSelection), met: results.playgroundSelection.medianMs <= TARGETS.viewUpdateMs },
  },
  gallery: strip(results.gallery),
};
writeFileSync(join(outDir, 'explore.json'), JSON.stringify(json, null, 1));
console.log(`bench explore: results in ${join('test-output', 'bench', 'explore.json')}`);
