// Shape-analysis benchmark (issue 3), also run at the end of `npm run bench`.
//
// 1. Generates a realistic ~5,000-line Python file into test-output/bench/shapes-large.py:
//    the correct programs of test/fixtures/shapes/programs/ok/ repeated with the names they
//    bind renamed per copy (x → x_2, …), imports hoisted and deduplicated.
// 2. Bundles core/shapes/index.ts with esbuild into test-output/bench/shapes.cjs.
// 3. Measures
//    - whole-file analyzeShapes throughput: lines/s, median of several runs (target ≥ 200,000);
//    - hover latency after an edit: 200 small random edits typed into the file (a digit of a
//      number changed, or a character inserted, inside a function body), each followed by
//      ShapeDocument.update(text) (when core/shapes exports it; else analyzeShapes(text)) and
//      at(offset) on a random bound name; p50/p95 of update + at (target p95 ≤ 5 ms).
// Prints a table and writes test-output/bench/shapes.json. Targets are reported, not asserted.
//
//   node bench/shapes.mjs [--quick]
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test-output', 'bench');
const quick = process.argv.includes('--quick');
const TARGET_LINES = 5000;
const EDITS = 200;
const THROUGHPUT_TARGET = 200_000;
const HOVER_P95_TARGET_MS = 5;

/** Deterministic PRNG (mulberry32). */
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
const random = rng(20261124);
const pick = (xs) => xs[Math.floor(random() * xs.length)];

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i];
}
const median = (xs) => quantile(xs, 0.5);

// ---------------------------------------------------------------------------
// 1. The large file.

/**
 * Renames the given identifiers in Python source by appending `suffix`: not inside strings,
 * not after a dot (attributes), not as keyword arguments or parameter defaults inside brackets.
 */
function renameIdentifiers(source, names, suffix) {
  let out = '';
  let depth = 0;
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i];
    if (c === '#') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      // Comments such as `# x: (B, 3, 32, 32)` follow the renaming.
      out += source.slice(i, stop).replace(/[A-Za-z_]\w*/g, (w) => (names.has(w) ? w + suffix : w));
      i = stop;
    } else if (c === '"' || c === "'") {
      const triple = source.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      let j = i + quote.length;
      while (j < n && !source.startsWith(quote, j)) j += source[j] === '\\' ? 2 : 1;
      j = Math.min(n, j + quote.length);
      out += source.slice(i, j);
      i = j;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /\w/.test(source[j])) j++;
      const word = source.slice(i, j);
      const prev = out.trimEnd().slice(-1);
      const kwarg = depth > 0 && /^\s*=(?!=)/.test(source.slice(j, j + 4));
      const prefixed = /\d/.test(out.slice(-1)); // e.g. 1e5
      out += names.has(word) && prev !== '.' && !kwarg && !prefixed ? word + suffix : word;
      i = j;
    } else {
      if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) depth = Math.max(0, depth - 1);
      out += c;
      i++;
    }
  }
  return out;
}

function generateLargeFile() {
  const okDir = join(root, 'test', 'fixtures', 'shapes', 'programs', 'ok');
  const recorded = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'shapes', 'recorded.json'), 'utf8'));
  const bound = new Map(recorded.ok.map((p) => [p.file.split('/').pop(), new Set(p.bindings.map((b) => b.name))]));
  const programs = readdirSync(okDir)
    .filter((f) => f.endsWith('.py'))
    .sort()
    .map((f) => {
      const source = readFileSync(join(okDir, f), 'utf8');
      const names = new Set(bound.get(f) ?? []);
      for (const m of source.matchAll(/^(?:def|class)\s+([A-Za-z_]\w*)/gm)) names.add(m[1]); // top level only: not __init__/forward
      const imports = [];
      const body = [];
      for (const line of source.split('\n')) (/^(import|from)\s/.test(line) ? imports : body).push(line);
      return { file: f, names, imports, body: body.join('\n').trim() };
    });
  const imports = [...new Set(programs.flatMap((p) => p.imports))].sort();
  const chunks = [];
  let lines = imports.length + 2;
  for (let copy = 1; lines < TARGET_LINES; copy++) {
    for (const p of programs) {
      if (lines >= TARGET_LINES) break;
      const text = `# --- ${p.file}, copy ${copy}\n${copy === 1 ? p.body : renameIdentifiers(p.body, p.names, `_${copy}`)}\n\n`;
      chunks.push(text);
      lines += text.split('\n').length - 1;
    }
  }
  const text = `${imports.join('\n')}\n\n${chunks.join('')}`;
  return { text, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0), programs: programs.length };
}

mkdirSync(outDir, { recursive: true });
const large = generateLargeFile();
const largePath = join(outDir, 'shapes-large.py');
writeFileSync(largePath, large.text);

// ---------------------------------------------------------------------------
// 2. The engine, bundled on its own.
const entry = join(root, 'core', 'shapes', 'index.ts');
if (!existsSync(entry)) {
  console.log(`bench shapes: core/shapes/index.ts does not exist yet; generated ${large.lines} lines into ${largePath}, nothing measured`);
  writeFileSync(join(outDir, 'shapes.json'), JSON.stringify({ date: new Date().toISOString(), error: 'core/shapes/index.ts missing', lines: large.lines }, null, 1));
  process.exit(0);
}
const enginePath = join(outDir, 'shapes.cjs');
await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'es2022', outfile: enginePath, logLevel: 'warning' });
const require = createRequire(import.meta.url);
const engine = require(enginePath);
const { analyzeShapes, ShapeDocument } = engine;
const OPTIONS = { budgetMs: 60_000 };

// ---------------------------------------------------------------------------
// 3a. Whole-file throughput.
const first = analyzeShapes(large.text, OPTIONS);
const bindingsOnLarge = first.symbols.length;
const tensorSymbols = first.symbols.filter((s) => Array.isArray(s.shape)).length;
for (let i = 0; i < (quick ? 1 : 3); i++) analyzeShapes(large.text, OPTIONS);
const fullMs = [];
const runs = quick ? 3 : 9;
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  analyzeShapes(large.text, OPTIONS);
  fullMs.push(performance.now() - t0);
}
const fullMedianMs = median(fullMs);
const linesPerSec = large.lines / (fullMedianMs / 1000);

// ---------------------------------------------------------------------------
// 3b. Hover latency after an edit.

/** Offsets of the lines inside function bodies (indented lines after a `def`). */
function functionBodyLines(text) {
  const out = [];
  let inDef = false;
  let offset = 0;
  for (const line of text.split('\n')) {
    if (/^\S/.test(line)) inDef = /^(async\s+)?def\s/.test(line);
    else if (/^\s+def\s/.test(line)) inDef = true;
    if (inDef && /^\s+\S/.test(line) && !/^\s+(def|class)\s/.test(line)) out.push({ offset, line });
    offset += line.length + 1;
  }
  return out;
}

/** One small edit inside a function: change a digit of a number, or insert a character after an identifier. */
function randomEdit(text) {
  const lines = functionBodyLines(text);
  const number = random() < 0.5;
  for (let attempt = 0; attempt < 200; attempt++) {
    const { offset, line } = pick(lines);
    if (number) {
      const nums = [...line.matchAll(/(?<![\w.])\d+(?![\w.])/g)];
      if (!nums.length) continue;
      const m = pick(nums);
      const at = offset + m.index + m[0].length - 1;
      const digit = String((Number(text[at]) + 1 + Math.floor(random() * 8)) % 10);
      return { text: text.slice(0, at) + digit + text.slice(at + 1), kind: 'number', at };
    }
    const ids = [...line.matchAll(/[A-Za-z_]\w*/g)];
    if (!ids.length) continue;
    const m = pick(ids);
    const at = offset + m.index + m[0].length;
    const ch = pick(['x', '_', '2', ' ']);
    return { text: text.slice(0, at) + ch + text.slice(at), kind: 'insert', at };
  }
  return { text: `${text}\n`, kind: 'newline', at: text.length };
}

/** A random bound name in the text (the offset of the name on an assignment line). */
function randomNameOffset(text) {
  const sites = [...text.matchAll(/^[ \t]*([A-Za-z_]\w*)[ \t]*=[^=]/gm)];
  const m = pick(sites);
  return m.index + m[0].indexOf(m[1]) + Math.floor(random() * m[1].length);
}

function measureHover(useDocument) {
  let text = large.text;
  let doc;
  let update;
  if (useDocument) {
    // As the extension uses it: one document per file, update(text) → ShapeAnalysis.
    doc = new ShapeDocument();
    update = (t) => doc.update(t);
    update(text);
  } else {
    update = (t) => analyzeShapes(t, OPTIONS);
  }
  const times = [];
  let answered = 0;
  const kinds = {};
  for (let i = 0; i < EDITS; i++) {
    const edit = randomEdit(text);
    text = edit.text;
    kinds[edit.kind] = (kinds[edit.kind] ?? 0) + 1;
    const offset = randomNameOffset(text);
    const t0 = performance.now();
    const analysis = update(text);
    const info = analysis.at(offset);
    times.push(performance.now() - t0);
    if (info) answered++;
  }
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), max: Math.max(...times), answered, edits: EDITS, kinds };
}

const hover = measureHover(typeof ShapeDocument === 'function');
const hoverFull = typeof ShapeDocument === 'function' ? measureHover(false) : undefined;

// ---------------------------------------------------------------------------
const met = (ok) => (ok ? 'met' : 'NOT met');
const rows = [
  ['measure', 'value', 'target'],
  ['generated file', `${large.lines} lines (${large.programs} programs, renamed copies)`, ''],
  ['symbols / with a shape', `${bindingsOnLarge} / ${tensorSymbols}${first.cut ? ` (cut: ${first.cut})` : ''}`, ''],
  ['analyzeShapes, whole file', `${fullMedianMs.toFixed(1)} ms median of ${runs}`, ''],
  ['throughput', `${Math.round(linesPerSec).toLocaleString('en-US')} lines/s`, `≥ ${THROUGHPUT_TARGET.toLocaleString('en-US')}: ${met(linesPerSec >= THROUGHPUT_TARGET)}`],
  [
    `hover after edit (${typeof ShapeDocument === 'function' ? 'ShapeDocument.update' : 'analyzeShapes'} + at)`,
    `p50 ${hover.p50.toFixed(2)} ms, p95 ${hover.p95.toFixed(2)} ms, max ${hover.max.toFixed(1)} ms`,
    `p95 ≤ ${HOVER_P95_TARGET_MS} ms: ${met(hover.p95 <= HOVER_P95_TARGET_MS)}`,
  ],
  ['hovers answered', `${hover.answered}/${hover.edits} (edits: ${Object.entries(hover.kinds).map(([k, v]) => `${v} ${k}`).join(', ')})`, ''],
];
if (hoverFull) rows.push(['  for reference: analyzeShapes + at', `p50 ${hoverFull.p50.toFixed(2)} ms, p95 ${hoverFull.p95.toFixed(2)} ms`, '']);
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
console.log('');
console.log('shape analysis');
for (const [k, r] of rows.entries()) {
  console.log(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
  if (k === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
writeFileSync(
  join(outDir, 'shapes.json'),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      file: { path: 'test-output/bench/shapes-large.py', lines: large.lines, programs: large.programs, symbols: bindingsOnLarge, tensorSymbols, cut: first.cut ?? null },
      throughput: { runsMs: fullMs, medianMs: fullMedianMs, linesPerSec, target: THROUGHPUT_TARGET, met: linesPerSec >= THROUGHPUT_TARGET },
      hover: { api: typeof ShapeDocument === 'function' ? 'ShapeDocument.update + at' : 'analyzeShapes + at', ...hover, targetP95Ms: HOVER_P95_TARGET_MS, met: hover.p95 <= HOVER_P95_TARGET_MS },
      hoverFullReanalysis: hoverFull ?? null,
    },
    null,
    1,
  ),
);
console.log(`bench shapes: results in ${join('test-output', 'bench', 'shapes.json')}`);
