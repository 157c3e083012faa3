/**
 * The `mathlens` command-line tool: the engine without VS Code, printing
 * JSON for tests, benchmarks and scripts.
 *
 *   mathlens grad [--lang python|javascript|latex|math] [--wrt x,y] [--json] [EXPR]
 *
 * With --json and no EXPR it reads one JSON request per stdin line
 * ({"expr": "...", "lang": "...", "wrt": [...]}) and writes one result per
 * line, in order; a bad line yields an error result and the batch goes on.
 */
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { computeGradient } from './gradient';
import { analyzeShapes } from './shapes/index';
import { fsShapeHost } from './shapes/host';
import * as nodeFs from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { analyzeMatrix, type MatrixAnalysis, toCliJson } from './linalg/index';
import { backpropGraph, type BackpropResult, type Numeric } from './backprop/index';
import { arrayText } from './backprop/steps';
import { fromNumeric } from './backprop/tensor';
import { matrixGradient, matrixHessian, matrixJacobian, type MatResult } from './matcalc/index';
import { isMatrixSelection, jacobianOfVector } from './selection';
import { LANGS, type Lang } from './parse/types';
import { op } from './ops/index';
import type { GradientResult } from './result';
import { runVerify } from './verify/cli';

const USAGE = `Usage:
  mathlens grad [--lang python|javascript|latex|math] [--wrt x,y] [--json] [EXPR]

  Differentiates EXPR (or, without EXPR, the expression read from stdin) with
  respect to every free variable, or the ones given with --wrt.

  --lang      input language (default: python)
  --wrt       comma-separated variables to differentiate with respect to
  --json      print one JSON object; without EXPR, read one JSON request per
              stdin line: {"expr": "...", "lang": "...", "wrt": ["x"]}
  --budget    time budget in milliseconds (default 2000)

  Exit code: 0 when every result is ok, 1 when not, 2 on a usage error.

  mathlens shapes [--json] [--root DIR] FILE...

  Analyzes the tensor shapes of NumPy/PyTorch Python files without running
  them. np.load("…") of a literal path reads the .npy/.npz header, and the
  workspace's own modules are followed into their files; both are looked up
  next to FILE, then in the workspace folder (--root, default: the current
  directory). With --json, prints one JSON line per file:
  {"ok": true, "file": "...", "symbols": [...], "diagnostics": [...]}
  (a symbol whose shape is unknown carries "unknownReason": what stopped the
  analysis)
  or {"ok": false, "file": "...", "error": {"message": "..."}}.
  Exit code: 0 when every file was read, 1 when not.

  mathlens matrix [--json] [--budget MS] [--slice I,J,…] [--array NAME] [TEXT | --file F.npy]

  Properties and spectra of a matrix: TEXT (or stdin) is a NumPy/PyTorch/
  Python literal, MATLAB [1 2; 3 4], LaTeX bmatrix/pmatrix, CSV/TSV, JSON or a
  constant constructor such as np.arange(12).reshape(3, 4); --file reads a
  .npy or .npz file. With --json, prints
  {"ok": true, "shape": [m, n], "rank": r, "trace": t, "det": d,
   "norms": {"fro": …, "one": …, "two": …, "inf": …}, "cond": c,
   "eigenvalues": [{"re": …, "im": …}], "singularValues": […],
   "properties": {"symmetric": bool, …}}
  (det, trace and eigenvalues are null for non-square matrices) or
  {"ok": false, "error": {"message": "…", "offset": …}}.
  N-D arrays are analyzed one 2-D slice at a time (--slice picks it).
  Exit code: 0 when analyzed, 1 when not, 2 on a usage error.

  mathlens grad --shapes "X:(n,d),w:(d,),y:(n,)" [--wrt w] [--json] EXPR
  mathlens jacobian|hessian --shapes "..." [--json] EXPR

  Vectors and matrices (NumPy syntax: @, .T, np.sum/mean with axis, norms,
  trace, inv, det, elementwise functions, softmax, cross_entropy): each
  gradient entry gains "shape", and its "numpy" code returns an array of
  that shape for any sizes matching the symbols. Gradients in denominator
  layout (∇X has X's shape); Jacobians in numerator layout.

  mathlens backprop [--json] [--at "x=0.5,W=[[1,2],[3,4]]"]... [--shapes "X:(n,d),w:(d,)"] [CODE]

  The computational graph of a forward pass (assignments separated by ";"
  or newlines; without CODE, read from stdin) with a scalar output: forward
  values and backward gradients at a point (--at, else the values in the
  code, else seeded defaults, listed in "notes"). Vectors and matrices:
  --at takes a number or a JSON array per name (commas inside [...] belong
  to the array; --at may be repeated), --shapes (or "# X: (n, d)" comments)
  declares shapes of inputs without a value (symbolic sizes get small
  values, named in "notes"). With --json:
  {"ok": true, "output": "loss", "nodes": [{"id": 0, "op": "mul",
   "label": "w*x", "inputs": [..], "shape": [4, 2] (arrays only), "value": …,
   "grad": …, "local": "latex", "line": 1}], "leaves": [{"name": "w",
   "shape": …, "value": …, "grad": …}], "notes": […]} (values and gradients
  of arrays are nested lists) or
  {"ok": false, "error": {"message": "…", "offset": …, "length": …}}.

  mathlens verify [--json] [--budget MS] FILE...

  Checks the derivatives a Python file writes by hand (d/df next to f,
  sigmoid_prime next to sigmoid, dx/dy next to f(x, y), mse_prime next to
  mse, or "# derivative of f") against MathLens's own derivative, without
  running the code. With --json, prints one JSON line per file:
  {"ok": true, "file": "...", "checks": [{"line": 20, "name": "d",
   "wrt": "x", "of": "f", "verdict": "correct"|"wrong"|"unknown",
   "expected": {"latex": "...", "numpy": "..."}, "message": "..."}]}
  or {"ok": false, "file": "...", "error": {"message": "..."}}.
  Exit code: 0 when every check is correct, 1 otherwise, 2 on a usage error.

  mathlens --version | --help`;

interface GradArgs {
  lang: Lang;
  wrt?: string[];
  json: boolean;
  budgetMs: number;
  expr?: string;
  /** Shapes of the variables (`"X:(n,d),w:(d,)"`): the matrix-calculus engine. */
  shapes?: string;
}

class UsageError extends Error {}

function parseGradArgs(argv: string[]): GradArgs {
  const out: GradArgs = { lang: 'python', json: false, budgetMs: 2000 };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const eq = a.indexOf('=');
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (name === '--json') out.json = true;
    else if (name === '--lang') {
      const l = value();
      if (!(LANGS as readonly string[]).includes(l)) throw new UsageError(`unknown language "${l}" (expected ${LANGS.join(', ')})`);
      out.lang = l as Lang;
    } else if (name === '--wrt') out.wrt = splitTopLevel(value()).map((s) => s.trim()).filter(Boolean); // X[i,0] keeps its comma
    else if (name === '--shapes') out.shapes = value();
    else if (name === '--budget') {
      const n = Number(value());
      if (!Number.isFinite(n) || n <= 0) throw new UsageError('--budget needs a positive number of milliseconds');
      out.budgetMs = n;
    } else if (a === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else rest.push(a);
  }
  if (rest.length) out.expr = rest.join(' ');
  return out;
}

/** The readable (non-JSON) report of one result. */
export function formatReadable(r: GradientResult, source: string): string {
  if (!r.ok) {
    const lines = source.split('\n');
    let offset = r.error.offset;
    let lineNo = 0;
    while (lineNo < lines.length - 1 && offset > lines[lineNo]!.length) {
      offset -= lines[lineNo]!.length + 1;
      lineNo++;
    }
    const line = lines[lineNo] ?? '';
    return `error: ${r.error.message}\n  ${line}\n  ${' '.repeat(Math.max(0, offset))}${'^'.repeat(Math.max(1, r.error.length))}\n`;
  }
  const out: string[] = [];
  const f = r.target ?? 'f';
  out.push(`${f}(${r.variables.join(', ')}) = ${r.expression.text}`, '');
  for (const p of r.gradient) {
    out.push(`∂${f}/∂${p.wrt} = ${p.text}`);
    for (const s of p.steps) out.push(`  ${'  '.repeat(s.depth)}[${s.rule}] ${s.text}`);
    for (const k of p.kinks) out.push(`  kink: ${k.text}`);
    out.push(`  numpy: ${p.numpy}`, '');
  }
  const c = r.check;
  out.push(
    c.maxRelError === null
      ? 'numeric check: no valid point found'
      : `numeric check: max relative error ${c.maxRelError.toExponential(2)} at ${c.points} points (${c.passed ? 'passed' : 'FAILED'})`,
  );
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join('\n') + '\n';
}

function requestFromLine(line: string, defaults: GradArgs): { expr: string; lang: Lang; wrt?: string[] } | { error: string } {
  let req: unknown;
  try {
    req = JSON.parse(line);
  } catch (e) {
    return { error: `invalid JSON request: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (typeof req !== 'object' || req === null || Array.isArray(req)) return { error: 'a request must be a JSON object' };
  const r = req as Record<string, unknown>;
  if (typeof r.expr !== 'string') return { error: 'a request needs "expr" (a string)' };
  const lang = r.lang ?? defaults.lang;
  if (typeof lang !== 'string' || !(LANGS as readonly string[]).includes(lang)) return { error: `unknown language ${JSON.stringify(lang)}` };
  let wrt: string[] | undefined = defaults.wrt;
  if (r.wrt !== undefined) {
    if (!Array.isArray(r.wrt) || !r.wrt.every((w) => typeof w === 'string')) return { error: '"wrt" must be an array of strings' };
    wrt = r.wrt as string[];
  }
  return wrt ? { expr: r.expr, lang: lang as Lang, wrt } : { expr: r.expr, lang: lang as Lang };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function runBatch(args: GradArgs): Promise<number> {
  let allOk = true;
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const req = requestFromLine(line, args);
    let result: GradientResult;
    if ('error' in req) result = { ok: false, error: { message: req.error, offset: 0, length: 0 } };
    else result = computeGradient(req.expr, { lang: req.lang, wrt: req.wrt, budgetMs: args.budgetMs });
    if (!result.ok) allOk = false;
    process.stdout.write(JSON.stringify(result) + '\n');
  }
  return allOk ? 0 : 1;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command === 'shapes') return runShapes(rest);
  if (command === 'matrix') return runMatrix(rest);
  if (command === 'backprop') return runBackprop(rest);
  if (command === 'verify') return runVerify(rest, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), usage: USAGE });
  if (command !== 'grad' && command !== 'jacobian' && command !== 'hessian') {
    process.stderr.write(`mathlens: unknown command "${command}"\n\n${USAGE}\n`);
    return 2;
  }
  let args: GradArgs;
  try {
    args = parseGradArgs(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`mathlens grad: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (command !== 'grad' || args.shapes !== undefined) {
    // vectors and matrices: the matrix-calculus engine
    const expr = args.expr ?? (await readStdin());
    // without --shapes, names that are summed or averaged are assumed vectors (listed in the notes)
    const opts = { ...(args.shapes !== undefined ? { shapes: args.shapes } : { assumeVectors: true }), ...(args.wrt ? { wrt: args.wrt } : {}), budgetMs: args.budgetMs };
    const r = command === 'jacobian' ? matrixJacobian(expr, opts) : command === 'hessian' ? matrixHessian(expr, opts) : matrixGradient(expr, opts);
    process.stdout.write(args.json ? JSON.stringify(matrixJson(r)) + '\n' : formatMatrixCalculus(r, expr));
    return r.ok ? 0 : 1;
  }
  if (args.expr === undefined && args.json) return runBatch(args);
  const expr = args.expr ?? (await readStdin());
  const result = computeGradient(expr, { lang: args.lang, wrt: args.wrt, budgetMs: args.budgetMs });
  if (args.lang === 'python' && isMatrixSelection(expr, new Map())) {
    // array operations (np.sum, .mean(), @, softmax …): matrix calculus, as Compute Gradient routes
    // them, over vectors of a symbolic length when no shape is declared; the scalar engine's answer
    // stays when it has one and matrix calculus has none
    const opts = { assumeVectors: true, ...(args.wrt ? { wrt: args.wrt } : {}), budgetMs: args.budgetMs };
    const r = jacobianOfVector(matrixGradient(expr, opts), expr, opts);
    if (r.ok || !result.ok) {
      process.stdout.write(args.json ? JSON.stringify(matrixJson(r)) + '\n' : formatMatrixCalculus(r, expr));
      return r.ok ? 0 : 1;
    }
  }
  process.stdout.write(args.json ? JSON.stringify(result) + '\n' : formatReadable(result, expr));
  return result.ok ? 0 : 1;
}

/** `mathlens shapes [--json] FILE...` */
function runShapes(argv: string[]): number {
  let json = false;
  let root = process.cwd();
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--root' || a.startsWith('--root=')) {
      const v = a === '--root' ? argv[++i] : a.slice('--root='.length);
      if (!v) {
        process.stderr.write(`mathlens shapes: --root needs a folder\n\n${USAGE}\n`);
        return 2;
      }
      root = resolvePath(v);
    } else if (a.startsWith('--')) {
      process.stderr.write(`mathlens shapes: unknown option ${a}\n\n${USAGE}\n`);
      return 2;
    } else files.push(a);
  }
  if (files.length === 0) {
    process.stderr.write(`mathlens shapes: no FILE given\n\n${USAGE}\n`);
    return 2;
  }
  let allOk = true;
  // one host for every file: a module imported by several is analyzed once
  const host = fsShapeHost(nodeFs as unknown as Parameters<typeof fsShapeHost>[0], root);
  for (const file of files) {
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (e) {
      allOk = false;
      const message = e instanceof Error ? e.message : String(e);
      process.stdout.write(json ? JSON.stringify({ ok: false, file, error: { message } }) + '\n' : `${file}: error: ${message}\n`);
      continue;
    }
    const r = analyzeShapes(source, { host, file: resolvePath(file) });
    if (json) {
      const out: Record<string, unknown> = {
        ok: true,
        file,
        symbols: r.symbols.map((s) => ({ name: s.name, line: s.line, column: s.column, shape: s.shape, ...(s.unknownReason ? { unknownReason: s.unknownReason } : {}) })),
        diagnostics: r.diagnostics.map((d) => ({
          line: d.line,
          column: d.column,
          endLine: d.endLine,
          endColumn: d.endColumn,
          severity: d.severity,
          message: d.message,
          code: d.code,
          ...(d.related ? { related: d.related.map((x) => ({ line: x.line, column: x.column, endLine: x.endLine, endColumn: x.endColumn, message: x.message })) } : {}),
        })),
      };
      if (r.cut) out.cut = r.cut;
      process.stdout.write(JSON.stringify(out) + '\n');
    } else {
      const lines = [`${file}:`];
      const fmt = (s: (number | string | null)[] | null): string => (s === null ? '?' : `(${s.map((d) => (d === null ? '?' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`);
      for (const s of r.symbols) lines.push(`  ${s.line}:${s.column}  ${s.name}: ${fmt(s.shape)}${s.unknownReason ? `  (${s.unknownReason})` : ''}`);
      for (const d of r.diagnostics) {
        lines.push(`  ${d.line}:${d.column}  ${d.severity}: ${d.message}`);
        for (const x of d.related ?? []) lines.push(`      ${x.line}:${x.column}  ${x.message}`);
      }
      if (r.cut) lines.push(`  note: ${r.cut}`);
      process.stdout.write(lines.join('\n') + '\n');
    }
  }
  return allOk ? 0 : 1;
}

async function runMatrix(argv: string[]): Promise<number> {
  let json = false;
  let file: string | undefined;
  let budgetMs = 2000;
  let slice: number[] | undefined;
  let arrayName: string | undefined;
  const text: string[] = [];
  const usage = (msg: string): number => {
    process.stderr.write(`mathlens matrix: ${msg}\n\n${USAGE}\n`);
    return 2;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : argv[++i]);
    if (name === '--json') json = true;
    else if (name === '--file') {
      file = value();
      if (file === undefined) return usage('--file needs a path');
    } else if (name === '--budget') {
      const n = Number(value());
      if (!Number.isFinite(n) || n <= 0) return usage('--budget needs a positive number of milliseconds');
      budgetMs = n;
    } else if (name === '--slice') {
      const v = value() ?? '';
      const parts = v.split(',').map((x) => Number(x.trim()));
      if (!v || parts.some((x) => !Number.isInteger(x) || x < 0)) return usage('--slice needs comma-separated non-negative integers');
      slice = parts;
    } else if (name === '--array') {
      arrayName = value();
      if (arrayName === undefined) return usage('--array needs a name');
    } else if (a === '--') {
      text.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('--')) return usage(`unknown option ${a}`);
    else text.push(a);
  }
  if (file !== undefined && text.length) return usage('give TEXT or --file, not both');
  let input: string | Uint8Array;
  if (file !== undefined) {
    try {
      input = new Uint8Array(readFileSync(file));
    } catch (e) {
      const r: MatrixAnalysis = { ok: false, error: { message: `cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`, kind: 'file' } };
      process.stdout.write(json ? JSON.stringify(r) + '\n' : `error: ${r.error.message}\n`);
      return 1;
    }
  } else input = text.length ? text.join(' ') : await readStdin();
  const opts = { budgetMs, decompositions: false, ...(slice ? { slice } : {}), ...(arrayName ? { arrayName } : {}) };
  const r = analyzeMatrix(input, opts);
  if (json) process.stdout.write(JSON.stringify(toCliJson(r)) + '\n');
  else process.stdout.write(formatMatrix(r, typeof input === 'string' ? input : undefined));
  return r.ok ? 0 : 1;
}

/** The readable report of `mathlens matrix`. */
function formatMatrix(r: MatrixAnalysis, source: string | undefined): string {
  if (!r.ok) {
    const e = r.error;
    if (source === undefined || e.offset === undefined) return `error: ${e.message}${e.offset !== undefined ? ` (at byte ${e.offset})` : ''}\n`;
    const before = source.slice(0, e.offset).split('\n');
    const line = source.split('\n')[before.length - 1] ?? '';
    const col = before[before.length - 1]!.length;
    return `error: ${e.message}\n  ${line}\n  ${' '.repeat(col)}${'^'.repeat(Math.max(1, e.length ?? 1))}\n`;
  }
  const num = (x: number | null): string => (x === null ? '—' : Number.isInteger(x) && Math.abs(x) < 1e15 ? String(x) : x.toPrecision(6));
  const out = [
    `shape: ${r.shape[0]} × ${r.shape[1]}${r.inputShape.length !== 2 ? ` (slice of ${r.inputShape.join(' × ')})` : ''}`,
    `rank: ${num(r.rank)}   trace: ${num(r.trace)}   det: ${num(r.det)}   cond: ${num(r.cond)}`,
    `norms: Frobenius ${num(r.norms.fro)}, 1 ${num(r.norms.one)}, 2 ${num(r.norms.two)}, ∞ ${num(r.norms.inf)}`,
  ];
  if (r.singularValues) out.push(`singular values: ${r.singularValues.map(num).join(', ')}`);
  if (r.eigenvalues) out.push(`eigenvalues: ${r.eigenvalues.map((z) => (z.im === 0 ? num(z.re) : `${num(z.re)} ${z.im < 0 ? '−' : '+'} ${num(Math.abs(z.im))}i`)).join(', ')}`);
  const props = Object.entries(r.properties).filter(([, v]) => v).map(([k]) => k);
  out.push(`properties: ${props.length ? props.join(', ') : 'none of symmetric, orthogonal, positive definite, diagonal, triangular'}`);
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join('\n') + '\n';
}

/**
 * `grad --shapes`, `jacobian`, `hessian` in the foundation's JSON shape: each entry gains its `shape`
 * (ints for sizes, strings for symbols), and its `numpy` code returns an array of that shape.
 */
export function matrixJson(r: MatResult): unknown {
  if (!r.ok) return r;
  const checks = r.gradient.map((g) => g.check);
  const errs = checks.map((c) => c.maxRelError).filter((x): x is number => x !== null);
  return {
    ok: true,
    kind: r.kind,
    lang: 'python',
    variables: r.variables.filter((v) => v.role === 'variable').map((v) => v.name),
    shapes: Object.fromEntries(r.variables.map((v) => [v.name, v.shape])),
    expression: { latex: r.expression.latex, numpy: r.expression.numpy, shape: r.expression.shape },
    gradient: r.gradient.map((g) => ({ wrt: g.wrt, shape: g.shape, latex: g.latex, numpy: g.numpy, text: g.numpy, steps: g.steps.map((st) => ({ rule: st.rule, latex: st.latex, depth: st.depth, ...(st.shape ? { shape: st.shape } : {}) })), check: g.check })),
    check: { maxRelError: errs.length ? Math.max(...errs) : null, points: Math.min(...checks.map((c) => c.points)), passed: checks.every((c) => c.passed) },
    layout: r.layout,
    layoutText: r.layoutText,
    notes: r.notes,
    ...(r.assumed ? { assumed: Object.fromEntries(r.assumed.map((a) => [a.name, a.shape])) } : {}),
  };
}

function formatMatrixCalculus(r: MatResult, source: string): string {
  if (!r.ok) {
    const before = source.slice(0, r.error.offset).split('\n');
    const line = source.split('\n')[before.length - 1] ?? '';
    return `error: ${r.error.message}\n  ${line}\n  ${' '.repeat(before[before.length - 1]!.length)}${'^'.repeat(Math.max(1, r.error.length))}\n`;
  }
  const shape = (d: readonly unknown[] | string) => (typeof d === 'string' ? d : `(${d.join(', ')}${d.length === 1 ? ',' : ''})`);
  const out = [`f = ${r.expression.numpy}   shape ${shape(r.expression.shape)}`, r.layoutText, ''];
  for (const g of r.gradient) {
    out.push(`${r.kind === 'gradient' ? '∇' : r.kind === 'jacobian' ? 'J' : 'H'}_${g.wrt}   shape ${shape(g.shape)}`, `  numpy: ${g.numpy}`);
    for (const st of g.steps) out.push(`  ${'  '.repeat(st.depth)}[${st.rule}]${st.shape ? ` ${shape(st.shape)}` : ''}`);
    out.push(`  check: ${g.check.passed ? 'passed' : 'FAILED'}${g.check.maxRelError !== null ? ` (max relative error ${g.check.maxRelError.toExponential(2)})` : ''}`, '');
  }
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join('\n') + '\n';
}

/** Splits `x=0.5,W=[[1,2],[3,4]]` at the commas outside brackets. */
function splitTopLevel(v: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(v.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(v.slice(start));
  return parts.map((x) => x.trim()).filter(Boolean);
}

/** A number or a JSON array of numbers (nested, rectangular checked by the engine). */
function parseNumeric(text: string): Numeric | undefined {
  if (!text.startsWith('[')) {
    const num = Number(text);
    return text !== '' && Number.isFinite(num) ? num : undefined;
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const ok = (x: unknown): boolean => (typeof x === 'number' ? Number.isFinite(x) : Array.isArray(x) && x.length > 0 && x.every(ok));
  return ok(v) ? (v as Numeric) : undefined;
}

async function runBackprop(argv: string[]): Promise<number> {
  let json = false;
  let at: Record<string, Numeric> | undefined;
  let shapes: string | undefined;
  const code: string[] = [];
  const usage = (msg: string): number => {
    process.stderr.write(`mathlens backprop: ${msg}\n\n${USAGE}\n`);
    return 2;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--at' || a.startsWith('--at=')) {
      const v = a === '--at' ? argv[++i] : a.slice('--at='.length);
      if (v === undefined) return usage('--at needs values, e.g. --at "x=0.5,w=-1.2" or --at "W=[[1,2],[3,4]]"');
      at ??= {};
      for (const part of splitTopLevel(v)) {
        // A name may be subscripted: p["w1"]=0.5, X[i,0]=1 (its normal form is the graph's input).
        const m = /^([A-Za-z_][^=]*?)\s*=\s*(.+)$/.exec(part);
        const value = m ? parseNumeric(m[2]!.replace(/\s+/g, '')) : undefined;
        if (!m || value === undefined) return usage(`--at: "${part}" is not name=number or name=[JSON array of numbers]`);
        at[m[1]!] = value;
      }
    } else if (a === '--shapes' || a.startsWith('--shapes=')) {
      const v = a === '--shapes' ? argv[++i] : a.slice('--shapes='.length);
      if (v === undefined) return usage('--shapes needs shapes, e.g. --shapes "X:(4,3),w:(3,)"');
      shapes = v;
    } else if (a === '--') {
      code.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('--')) return usage(`unknown option ${a}`);
    else code.push(a);
  }
  const text = code.length ? code.join(' ') : await readStdin();
  const r = backpropGraph(text, { ...(at ? { at } : {}), ...(shapes !== undefined ? { shapes } : {}) });
  process.stdout.write(json ? JSON.stringify(backpropJson(r)) + '\n' : formatBackprop(r, text));
  return r.ok ? 0 : 1;
}

/** The CLI contract: the issue's fields (the panel's layout and steps stay out). */
export function backpropJson(r: BackpropResult): unknown {
  if (!r.ok) return r;
  return {
    ok: true,
    output: r.output,
    nodes: r.nodes.map((n) => ({
      id: n.id, op: op(n.op)?.graphName ?? n.op, label: n.label, inputs: n.inputs, ...(n.name ? { name: n.name } : {}), ...(n.shape ? { shape: n.shape } : {}),
      value: n.value, grad: n.grad, local: n.local, line: n.line,
    })),
    leaves: r.leaves.map((l) => ({ name: l.name, ...(l.shape ? { shape: l.shape } : {}), value: l.value, grad: l.grad, source: l.source })),
    numpy: r.numpy,
    notes: r.notes,
  };
}

function formatBackprop(r: BackpropResult, source: string): string {
  if (!r.ok) {
    const before = source.slice(0, r.error.offset).split('\n');
    const line = source.split('\n')[before.length - 1] ?? '';
    return `error: ${r.error.message}\n  ${line}\n  ${' '.repeat(before[before.length - 1]!.length)}${'^'.repeat(Math.max(1, r.error.length))}\n`;
  }
  const num = (x: Numeric | null): string => {
    if (x === null) return '—';
    if (typeof x === 'number') return Number(x.toPrecision(6)).toString();
    const t = fromNumeric(x);
    return t ? arrayText(t) : JSON.stringify(x);
  };
  const out = [`output: ${r.output} = ${num(r.nodes[r.outputId]?.value ?? null)}`, '', 'gradients:'];
  for (const l of r.leaves) out.push(`  ∂${r.output}/∂${l.name} = ${num(l.grad)}   (${l.name} = ${num(l.value)}, from ${l.source})`);
  out.push('', 'nodes (forward order):');
  for (const n of r.nodes) out.push(`  #${n.id} ${n.op.padEnd(8)} ${n.label.padEnd(24)} value ${num(n.value).padEnd(12)} grad ${num(n.grad)}`);
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join('\n') + '\n';
}

declare const __MATHLENS_VERSION__: string | undefined;
const VERSION = typeof __MATHLENS_VERSION__ === 'string' ? __MATHLENS_VERSION__ : 'dev';

if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) {
  // A closed pipe (`mathlens … | head`) ends the program quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`mathlens: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
