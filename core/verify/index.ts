/**
 * "Check my math" (issue 13), first slice: hand-written derivative FUNCTIONS
 * next to their function (`f` and `d`/`df`, `sigmoid` and `sigmoid_prime`,
 * `f(x, y)` and `dx`/`dy`, `mse` and `mse_prime`), checked against MathLens's
 * own derivative. The user's code is never executed: both bodies are expanded
 * through the file's own functions (core/parse/userfns.ts) and evaluated by
 * MathLens's evaluators.
 *
 * Verdicts: "correct" only when the learner's derivative agrees with the
 * correct one at ≥ MIN_POINTS random points to a tight tolerance (or the
 * symbolic difference simplifies to 0 and the numbers agree); "wrong" with a
 * point where they differ; otherwise "unknown" with the reason.
 */
import { computeGradient } from '../gradient';
import { parse } from '../parse/index';
import { findDefinitions, type UserFunction } from '../parse/userfns';
import { compile } from '../evaluate';
import { type Expr, freeSymbols, sub } from '../expr';
import { simplify } from '../simplify';
import { toLatex, toNumpy } from '../print';
import { rng } from '../check';
import { matrixGradient } from '../matcalc/index';
import { parseMatrix } from '../matcalc/parse';
import { evaluate as evaluateMatrix, tensor, type Env as MatEnv } from '../matcalc/numeric';
import type { Shape } from '../matcalc/shapes';

export type Verdict = 'correct' | 'wrong' | 'unknown';

export interface VerifyCheck {
  /** 1-based line of the derivative's `def`. */
  line: number;
  /** The derivative function's name. */
  name: string;
  /** The variable differentiated with respect to. */
  wrt: string;
  /** The function it is the derivative of. */
  of: string;
  verdict: Verdict;
  /** The correct derivative, when MathLens could compute it. */
  expected?: { latex: string; numpy: string };
  message: string;
  /** For a wrong verdict: a point where the two differ. */
  counterexample?: { point: Record<string, number | number[]>; expected: number | number[]; actual: number | number[] };
  /** For a wrong verdict, the nature of the difference when it is simple. */
  difference?: { kind: 'factor' | 'sign' | 'term' | 'differs'; text: string };
}

export type VerifyResult = { ok: true; checks: VerifyCheck[] } | { ok: false; error: { message: string; line?: number } };

export interface VerifyOptions {
  budgetMs?: number;
}

/** Points a "correct" verdict needs. */
const MIN_POINTS = 20;
/** Points tried. */
const TRIES = 60;
/** Relative tolerance of agreement. */
const REL_TOL = 1e-7;
/** Without a symbolic proof, agreement must be this tight. */
const TIGHT_TOL = 1e-9;

interface Pair {
  deriv: UserFunction;
  fn: UserFunction;
  /** Name of the parameter of `fn` differentiated with respect to. */
  wrt: string;
  /** Array mode: the function reduces arrays (mse); differentiated w.r.t. its second argument. */
  array: boolean;
}

const ARRAY_USE = /\bnp\.(?:mean|sum|dot|linalg)\b|\.(?:mean|sum|size|shape|T)\b|\blen\s*\(|@/;

function isArrayFunction(fn: UserFunction): boolean {
  return fn.params.length === 2 && ARRAY_USE.test(fn.body);
}

/** The derivative functions of a file, each paired with its function. */
function findPairs(text: string, defs: Map<string, UserFunction>): { pairs: Pair[]; unpaired: { deriv: UserFunction; reason: string; of: string }[] } {
  const lines = text.split('\n');
  const pairs: Pair[] = [];
  const unpaired: { deriv: UserFunction; reason: string; of: string }[] = [];
  const all = [...defs.values()];
  const used = new Set<string>();
  for (const g of all) {
    // A comment on the def line or the line above: "# derivative of f".
    const around = `${lines[g.line - 1] ?? ''}\n${lines[g.line - 2] ?? ''}`;
    const comment = /#\s*(?:the\s+)?derivative\s+of\s+([A-Za-z_]\w*)/i.exec(around);
    let ofName: string | undefined;
    let wrtName: string | undefined;
    if (comment && comment[1] !== g.name) ofName = comment[1];
    const n = g.name;
    let m: RegExpExecArray | null;
    if (!ofName) {
      if ((m = /^(.+?)_?(?:prime|deriv|derivative)$/.exec(n)) && defs.has(m[1]!)) ofName = m[1];
      else if ((m = /^grad_(.+)$/.exec(n)) && defs.has(m[1]!)) ofName = m[1];
      else if ((m = /^d(.+)_d([A-Za-z_]\w*)$/.exec(n)) && defs.has(m[1]!)) {
        ofName = m[1];
        wrtName = m[2];
      } else if ((m = /^d([A-Za-z_]\w*)$/.exec(n)) && defs.has(m[1]!) && defs.get(m[1]!)!.params.length === 1 && n !== 'd') ofName = m[1];
      else if (n === 'd' || n === 'df') {
        const singles = all.filter((h) => h !== g && h.params.length === 1 && !/^d[a-z]?$|prime|deriv|^grad_/.test(h.name));
        const named = singles.find((h) => h.name === 'f');
        if (named && (n === 'd' || n === 'df')) ofName = 'f';
        else if (singles.length === 1) ofName = singles[0]!.name;
      } else if ((m = /^d([a-z])$/.exec(n))) {
        // dx / dy: partials of the one two-variable function with that parameter.
        const v = m[1]!;
        const cands = all.filter((h) => h !== g && h.params.length >= 2 && h.params.some((p) => p.name === v) && !/^d[a-z]?$/.test(h.name));
        const f = cands.find((h) => h.name === 'f') ?? (cands.length === 1 ? cands[0] : undefined);
        if (f) {
          ofName = f.name;
          wrtName = v;
        }
      }
    }
    if (!ofName) continue;
    const fn = defs.get(ofName);
    if (!fn) {
      unpaired.push({ deriv: g, of: ofName, reason: `no function ${ofName} is defined in the file` });
      continue;
    }
    if (used.has(g.name)) continue;
    used.add(g.name);
    const array = isArrayFunction(fn);
    if (array) {
      pairs.push({ deriv: g, fn, wrt: fn.params[1]!.name, array });
      continue;
    }
    if (!wrtName) {
      // Parameters with a default (`alpha=0.01`) are settings, not the variable.
      const required = fn.params.filter((p) => p.default === undefined);
      if (required.length !== 1) {
        unpaired.push({ deriv: g, of: ofName, reason: `${ofName} takes ${required.length} arguments without a default: MathLens cannot tell which one ${g.name} differentiates by` });
        continue;
      }
      wrtName = required[0]!.name;
    }
    if (!fn.params.some((p) => p.name === wrtName)) {
      unpaired.push({ deriv: g, of: ofName, reason: `${ofName} has no parameter ${wrtName}` });
      continue;
    }
    pairs.push({ deriv: g, fn, wrt: wrtName, array: false });
  }
  return { pairs, unpaired };
}

/** Arguments for a call of the derivative, in the function's parameter names. */
function derivArgs(pair: Pair): string[] | undefined {
  const fParams = pair.fn.params.map((p) => p.name);
  const gParams = pair.deriv.params.filter((p) => p.default === undefined).map((p) => p.name);
  if (gParams.every((p) => fParams.includes(p))) return gParams;
  if (gParams.length === fParams.length) return fParams;
  if (gParams.length === 1 && fParams.length >= 1) return [pair.wrt];
  return undefined;
}

function relClose(a: number, b: number, tol: number): boolean {
  return Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b)) + 1e-300;
}

/** Near-equality for values that may be 0 (a derivative 0 computed two ways). */
function agree(a: number, b: number, tol: number): boolean {
  if (a === b) return true;
  return relClose(a, b, tol) || Math.abs(a - b) <= tol * 1e-5;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(6).replace(/\.?0+$/, '').replace(/\.?0+e/, 'e');
}

function simpleFactor(r: number): string {
  for (const q of [1, 2, 3, 4, 5, 6, 8, 10]) {
    const p = r * q;
    if (Math.abs(p - Math.round(p)) < 1e-9 * Math.max(1, Math.abs(p)) && Math.round(p) !== 0) {
      const n = Math.round(p);
      return q === 1 ? String(n) : `${n}/${q}`;
    }
  }
  return fmt(r);
}

/** Describe how `actual` differs from `expected` given the ratios at several points. */
function describe(ratios: number[], diffs: number[], diffExpr: Expr | undefined, expectedExpr: Expr): VerifyCheck['difference'] {
  const finite = ratios.filter((r) => Number.isFinite(r));
  if (finite.length >= 3 && finite.every((r) => relClose(r, finite[0]!, 1e-7))) {
    const r = finite[0]!;
    if (relClose(r, -1, 1e-9)) return { kind: 'sign', text: 'the sign is flipped (it is −1 times the correct derivative)' };
    return { kind: 'factor', text: `off by a constant factor ${simpleFactor(r)} (it is ${simpleFactor(r)} times the correct derivative)` };
  }
  if (diffExpr) {
    if (expectedExpr.kind === 'add' && expectedExpr.terms.some((t) => toLatex(t) === toLatex(diffExpr))) {
      return { kind: 'term', text: `a missing term: ${toNumpy(diffExpr)}` };
    }
    if (diffs.length >= 3 && diffs.every((d) => relClose(d, diffs[0]!, 1e-7))) {
      return { kind: 'term', text: `a missing term: it is ${fmt(diffs[0]!)} less than the correct derivative everywhere` };
    }
  }
  return { kind: 'differs', text: 'it differs from the correct derivative' };
}

function simplifiesToZero(e: Expr): boolean {
  try {
    const d = simplify(e);
    return d.kind === 'num' && d.p === 0;
  } catch {
    return false;
  }
}

/** A factor of the correct derivative (a product) that the learner's lacks: learner × factor = correct at every mismatch. */
function missingFactor(expected: Expr, mismatches: readonly { env: Record<string, number>; e: number; g: number }[]): VerifyCheck['difference'] | undefined {
  if (expected.kind !== 'mul' || mismatches.length < 3) return undefined;
  for (const factor of expected.factors) {
    let fc;
    try {
      fc = compile(factor);
    } catch {
      continue;
    }
    if (mismatches.every((m) => agree(m.g * fc(m.env), m.e, 1e-7))) return { kind: 'factor', text: `the factor ${toNumpy(factor)} is missing` };
  }
  return undefined;
}

/** Random points: mostly moderate values, some larger, never exact integers (kinks sit at round numbers). */
function samplePoint(rand: () => number, i: number): number {
  const scale = i % 3 === 0 ? 1 : i % 3 === 1 ? 3 : 8;
  return (rand() * 2 - 1) * scale;
}

function checkScalar(pair: Pair, text: string, budgetMs: number): VerifyCheck {
  const base = { line: pair.deriv.line, name: pair.deriv.name, wrt: pair.wrt, of: pair.fn.name };
  const unknown = (message: string, expected?: VerifyCheck['expected']): VerifyCheck => ({ ...base, verdict: 'unknown', ...(expected ? { expected } : {}), message });
  if (pair.deriv.problem) return unknown(`${pair.deriv.name} ${pair.deriv.problem}`);
  if (pair.fn.problem) return unknown(`${pair.fn.name} ${pair.fn.problem}`);
  const fParams = pair.fn.params.filter((p) => p.default === undefined).map((p) => p.name);
  const args = derivArgs(pair);
  if (!args) return unknown(`cannot match the parameters of ${pair.deriv.name} with those of ${pair.fn.name}`);
  const fCall = `${pair.fn.name}(${fParams.join(', ')})`;
  const gCall = `${pair.deriv.name}(${args.join(', ')})`;
  const grad = computeGradient(fCall, { lang: 'python', definitions: text, wrt: [pair.wrt], budgetMs, checkPoints: 0 });
  if (!grad.ok) return unknown(`MathLens cannot differentiate ${pair.fn.name}: ${grad.error.message}`);
  const entry = grad.gradient.find((g) => g.wrt === pair.wrt);
  if (!entry) return unknown(`no derivative with respect to ${pair.wrt}`);
  const expected = { latex: entry.latex, numpy: entry.numpy };
  // The expected derivative as a tree again (from its NumPy code), and the learner's body, both expanded.
  const fParsed = parse(fCall, 'python', { definitions: text });
  const gParsed = parse(gCall, 'python', { definitions: text });
  if (!gParsed.ok) return unknown(`cannot read ${pair.deriv.name}: ${gParsed.error.message}`, expected);
  if (!fParsed.ok) return unknown(`cannot read ${pair.fn.name}: ${fParsed.error.message}`, expected);
  const eParsed = parse(entry.numpy, 'python');
  if (!eParsed.ok) return unknown(`cannot read back the correct derivative: ${eParsed.error.message}`, expected);
  const eExpr = eParsed.value.expr;
  const gExpr = gParsed.value.expr;
  const fExpr = fParsed.value.expr;
  const vars = [...new Set([...freeSymbols(fExpr), ...freeSymbols(gExpr), ...freeSymbols(eExpr), ...fParams])];
  let fC, gC, eC;
  try {
    fC = compile(fExpr);
    gC = compile(gExpr);
    eC = compile(eExpr);
  } catch (err) {
    return unknown(`cannot evaluate: ${err instanceof Error ? err.message : String(err)}`, expected);
  }
  const rand = rng(13);
  let valid = 0;
  let tight = true;
  const ratios: number[] = [];
  const diffs: number[] = [];
  let first: { env: Record<string, number>; e: number; g: number } | undefined;
  const mismatches: { env: Record<string, number>; e: number; g: number }[] = [];
  let notFinite: { env: Record<string, number>; e: number; g: number } | undefined;
  for (let i = 0; i < TRIES; i++) {
    const env: Record<string, number> = {};
    for (const v of vars) env[v] = samplePoint(rand, i);
    const fv = fC(env);
    const ev = eC(env);
    const gv = gC(env);
    if (!Number.isFinite(fv) || !Number.isFinite(ev)) continue;
    if (!Number.isFinite(gv)) {
      notFinite ??= { env, e: ev, g: gv };
      continue;
    }
    valid++;
    if (!agree(ev, gv, REL_TOL)) {
      first ??= { env, e: ev, g: gv };
      mismatches.push({ env, e: ev, g: gv });
      ratios.push(gv / ev);
      diffs.push(ev - gv);
    } else if (!agree(ev, gv, TIGHT_TOL)) tight = false;
  }
  if (first) {
    let diffExpr: Expr | undefined;
    try {
      diffExpr = simplify(sub(eExpr, gExpr));
    } catch {
      diffExpr = undefined;
    }
    let difference = describe(ratios, diffs, diffExpr, eExpr);
    if (difference?.kind === 'differs') difference = missingFactor(eExpr, mismatches) ?? difference;
    const at = Object.entries(first.env).map(([k, v]) => `${k} = ${fmt(v)}`).join(', ');
    return {
      ...base,
      verdict: 'wrong',
      expected,
      message: `${pair.deriv.name} is not d${pair.fn.name}/d${pair.wrt}: ${difference!.text}. At ${at} it gives ${fmt(first.g)}, the correct derivative ${expected.numpy} gives ${fmt(first.e)}.`,
      counterexample: { point: first.env, expected: first.e, actual: first.g },
      difference: difference!,
    };
  }
  if (notFinite) {
    // Where f and its derivative are finite, the learner's is not: a derivative must be defined there.
    const at = Object.entries(notFinite.env).map(([k, v]) => `${k} = ${fmt(v)}`).join(', ');
    return {
      ...base,
      verdict: 'wrong',
      expected,
      message: `${pair.deriv.name} is not d${pair.fn.name}/d${pair.wrt}: it is not finite where ${pair.fn.name} and its derivative are. At ${at} it gives ${fmt(notFinite.g)}, the correct derivative ${expected.numpy} gives ${fmt(notFinite.e)}.`,
      counterexample: { point: notFinite.env, expected: notFinite.e, actual: notFinite.g },
      difference: { kind: 'differs', text: `it is not finite where ${pair.fn.name} and its derivative are` },
    };
  }
  if (valid < MIN_POINTS) return unknown(`only ${valid} of ${TRIES} random points were in the domain of both functions (${MIN_POINTS} needed)`, expected);
  const symbolic = simplifiesToZero(sub(eExpr, gExpr));
  if (!symbolic && !tight) return unknown(`${pair.deriv.name} agrees with the correct derivative to 1e-7 but not to 1e-9 at ${valid} points, and the difference does not simplify to 0`, expected);
  return { ...base, verdict: 'correct', expected, message: `matches d${pair.fn.name}/d${pair.wrt} = ${expected.numpy} (${symbolic ? 'the difference simplifies to 0; ' : ''}equal at ${valid} random points)` };
}

/** The body of a function as one matrix-calculus text in the given names: `.size` of a vector read as len(). */
function arrayBody(fn: UserFunction, vectors: readonly string[]): string {
  let body = fn.body;
  for (const v of vectors) {
    body = body.replace(new RegExp(`\\b${v}\\.size\\b`, 'g'), `len(${v})`).replace(new RegExp(`\\bnp\\.size\\(\\s*${v}\\s*\\)`, 'g'), `len(${v})`);
  }
  return body;
}

function checkArray(pair: Pair, budgetMs: number): VerifyCheck {
  const base = { line: pair.deriv.line, name: pair.deriv.name, wrt: pair.wrt, of: pair.fn.name };
  const unknown = (message: string, expected?: VerifyCheck['expected']): VerifyCheck => ({ ...base, verdict: 'unknown', ...(expected ? { expected } : {}), message });
  if (pair.deriv.problem) return unknown(`${pair.deriv.name} ${pair.deriv.problem}`);
  if (pair.fn.problem) return unknown(`${pair.fn.name} ${pair.fn.problem}`);
  const fParams = pair.fn.params.map((p) => p.name);
  const gParams = pair.deriv.params.map((p) => p.name);
  if (gParams.length !== fParams.length) return unknown(`${pair.deriv.name} takes ${gParams.length} arguments and ${pair.fn.name} ${fParams.length}: cannot match them`);
  const shapes = new Map<string, Shape>(fParams.map((p) => [p, ['n']]));
  const fText = arrayBody(pair.fn, fParams);
  const mg = matrixGradient(fText, { shapes, wrt: [pair.wrt], budgetMs });
  if (!mg.ok) return unknown(`MathLens cannot differentiate ${pair.fn.name} with ${fParams.join(', ')} as vectors: ${mg.error.message}`);
  const entry = mg.gradient[0]!;
  const expected = { latex: entry.latex, numpy: entry.numpy };
  if (!entry.check.passed) return unknown(`the correct derivative's own numeric check did not pass`, expected);
  // The learner's body in the function's parameter names (positional).
  const gText = arrayBody(pair.deriv, gParams);
  const gShapes = new Map<string, Shape>(gParams.map((p) => [p, ['n']]));
  let gNode, eNode, fNode;
  try {
    gNode = parseMatrix(gText, { shapes: gShapes }).expr;
    eNode = parseMatrix(expected.numpy, { shapes }).expr;
    fNode = parseMatrix(fText, { shapes }).expr;
  } catch (err) {
    return unknown(`cannot read ${pair.deriv.name} as array code: ${err instanceof Error ? err.message : String(err)}`, expected);
  }
  const rand = rng(31);
  const normal = () => {
    const u = Math.max(rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  let valid = 0;
  const ratiosByLen = new Map<number, number[]>();
  let loose = false;
  let first: VerifyCheck['counterexample'] | undefined;
  let sizeMismatch: string | undefined;
  for (const n of [3, 5]) {
    for (let t = 0; t < 24; t++) {
      // Odd tries stay inside (0, 1), the domain of probabilities (cross-entropy); even ones are normal.
      const draw = t % 2 === 1 ? () => 0.05 + 0.9 * rand() : normal;
      const fEnv: MatEnv = new Map();
      const gEnv: MatEnv = new Map();
      const point: Record<string, number[]> = {};
      fParams.forEach((p, i) => {
        const data = Array.from({ length: n }, draw);
        point[p] = data;
        fEnv.set(p, tensor([n], data));
        gEnv.set(gParams[i]!, tensor([n], data));
      });
      let fv, ev, gv;
      try {
        fv = evaluateMatrix(fNode, fEnv, new Map([['n', n]]));
        ev = evaluateMatrix(eNode, fEnv, new Map([['n', n]]));
        gv = evaluateMatrix(gNode, gEnv, new Map([['n', n]]));
      } catch (err) {
        return unknown(`cannot evaluate: ${err instanceof Error ? err.message : String(err)}`, expected);
      }
      if (![...fv.data, ...ev.data, ...gv.data].every(Number.isFinite)) continue;
      if (gv.data.length !== ev.data.length) {
        sizeMismatch ??= `${pair.deriv.name} returns ${gv.data.length} values for vectors of length ${n}; the gradient has ${ev.data.length}`;
        continue;
      }
      valid++;
      for (let k = 0; k < n; k++) {
        const e = ev.data[k]!;
        const g = gv.data[k]!;
        if (!agree(e, g, TIGHT_TOL)) loose = true;
        if (!agree(e, g, REL_TOL)) {
          first ??= { point, expected: [...ev.data], actual: [...gv.data] };
          const list = ratiosByLen.get(n) ?? [];
          list.push(g / e);
          ratiosByLen.set(n, list);
        }
      }
    }
  }
  if (sizeMismatch) {
    return { ...base, verdict: 'wrong', expected, message: `${sizeMismatch}.`, difference: { kind: 'differs', text: sizeMismatch } };
  }
  if (first) {
    const difference = describeArray(ratiosByLen);
    const at = Object.entries(first.point).map(([k, v]) => `${k} = [${(v as number[]).map(fmt).join(', ')}]`).join(', ');
    return {
      ...base,
      verdict: 'wrong',
      expected,
      message: `${pair.deriv.name} is not ∂${pair.fn.name}/∂${pair.wrt}: ${difference.text}. At ${at} it gives [${(first.actual as number[]).map(fmt).join(', ')}], the correct gradient ${expected.numpy} gives [${(first.expected as number[]).map(fmt).join(', ')}].`,
      counterexample: first,
      difference,
    };
  }
  if (valid < MIN_POINTS) return unknown(`only ${valid} random points were in the domain of both functions (${MIN_POINTS} needed)`, expected);
  if (loose) return unknown(`${pair.deriv.name} agrees with the correct gradient to 1e-7 but not to 1e-9 on ${valid} random vectors`, expected);
  return { ...base, verdict: 'correct', expected, message: `matches ∂${pair.fn.name}/∂${pair.wrt} = ${expected.numpy} (equal on ${valid} random vectors of lengths 3 and 5)` };
}

/** The nature of an array difference from the ratios actual/expected at each length N: a constant, or one proportional to N or 1/N. */
function describeArray(byLen: Map<number, number[]>): NonNullable<VerifyCheck['difference']> {
  const per: [number, number][] = [];
  for (const [n, rs] of byLen) {
    const finite = rs.filter(Number.isFinite);
    if (finite.length < 3 || !finite.every((r) => relClose(r, finite[0]!, 1e-7))) return { kind: 'differs', text: 'it differs from the correct gradient' };
    per.push([n, finite[0]!]);
  }
  if (per.length === 0) return { kind: 'differs', text: 'it differs from the correct gradient' };
  const same = (f: (n: number, r: number) => number) => per.every(([n, r]) => relClose(f(n, r), f(per[0]![0], per[0]![1]), 1e-7));
  const [n0, r0] = per[0]!;
  if (same((_n, r) => r)) {
    if (relClose(r0, -1, 1e-9)) return { kind: 'sign', text: 'the sign is flipped (it is −1 times the correct gradient)' };
    return { kind: 'factor', text: `off by a constant factor ${simpleFactor(r0)} (it is ${simpleFactor(r0)} times the correct gradient)` };
  }
  if (per.length >= 2 && same((n, r) => r / n)) {
    const c = simpleFactor(r0 / n0);
    const m = /^(-?\d+)\/(\d+)$/.exec(c);
    const k = c === '1' ? 'N' : c === '-1' ? '−N' : m ? `${m[1] === '1' ? '' : m[1] === '-1' ? '−' : m[1]}N/${m[2]}` : `${c}·N`;
    return { kind: 'factor', text: `off by a factor ${k}, N the length of the vectors (it is ${k} times the correct gradient: the 1/N of the mean is missing)` };
  }
  if (per.length >= 2 && same((n, r) => r * n)) {
    const c = simpleFactor(r0 * n0);
    return { kind: 'factor', text: `off by a factor ${c}/N, N the length of the vectors (it is ${c}/N times the correct gradient)` };
  }
  return { kind: 'differs', text: 'it differs from the correct gradient' };
}

/** A bracket that is never closed or closes nothing (outside strings and comments): the file does not parse. */
function bracketError(text: string): { message: string; line: number } | undefined {
  const stack: { c: string; line: number }[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    else if (c === '#') {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      const triple = text.slice(i, i + 3) === c.repeat(3);
      const close = triple ? c.repeat(3) : c;
      let j = i + close.length;
      while (j < text.length && text.slice(j, j + close.length) !== close && (triple || text[j] !== '\n')) {
        if (text[j] === '\\') j++;
        if (text[j] === '\n') line++;
        j++;
      }
      i = j + close.length - 1;
    } else if (c === '(' || c === '[' || c === '{') stack.push({ c, line });
    else if (c === ')' || c === ']' || c === '}') {
      const top = stack.pop();
      if (!top || top.c !== pairs[c]) return { message: `"${c}" at line ${line} closes ${top ? `the "${top.c}" of line ${top.line}` : 'nothing'}`, line };
    }
  }
  const open = stack.pop();
  return open ? { message: `"${open.c}" at line ${open.line} is never closed`, line: open.line } : undefined;
}

/** Check every hand-written derivative function of a Python file. Never throws. */
export function verifyFile(text: string, options: VerifyOptions = {}): VerifyResult {
  const budgetMs = options.budgetMs ?? 2000;
  try {
    const unbalanced = bracketError(text);
    if (unbalanced) return { ok: false, error: unbalanced };
    const defs = findDefinitions(text);
    const { pairs, unpaired } = findPairs(text, defs);
    const checks: VerifyCheck[] = [];
    for (const u of unpaired) checks.push({ line: u.deriv.line, name: u.deriv.name, wrt: '', of: u.of, verdict: 'unknown', message: u.reason });
    for (const p of pairs) checks.push(p.array ? checkArray(p, budgetMs) : checkScalar(p, text, budgetMs));
    checks.sort((a, b) => a.line - b.line);
    return { ok: true, checks };
  } catch (err) {
    return { ok: false, error: { message: `Internal error: ${err instanceof Error ? err.message : String(err)}` } };
  }
}
