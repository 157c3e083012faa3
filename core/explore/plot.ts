/**
 * "Functions and derivatives": a selection of one variable, its first and
 * second derivatives from the symbolic engine (f″ by differentiating f′'s
 * expression), compiled to closures, sampled for the plot, and the values and
 * tangent line at a point. Never throws.
 */
import { Budget, BudgetExceeded } from '../budget';
import type { Expr } from '../expr';
import type { Lang } from '../parse/types';
import type { PlotSamples, PointValues } from './types';
import { compile1, type Fn1 } from './fast';
import { type PlotFunctions, samplePlot } from './sample';
import { type ExploreError, type Printed, derivative, fail, now, prepare, printed } from './symbolic';

export { samplePlot, rootsOn, type PlotFunctions, type SampleOptions } from './sample';

export interface FunctionPlotOptions {
  lang: Lang;
  /** Time budget for the whole request in ms (default 2000). */
  budgetMs?: number;
  /** x-range; default from `defaultRange`. */
  range?: [number, number];
  /** Samples per curve (default 401). */
  samples?: number;
  /** The point whose values and tangent are shown (default: the middle of the range, or 1 when that is 0 and f is undefined there). */
  x0?: number;
}

export interface Tangent {
  slope: number;
  intercept: number;
  /** y = f(x0) + f′(x0)(x − x0), as LaTeX. */
  latex: string;
}

export interface PointInfo extends PointValues {
  /** The tangent line at x, when f and f′ are finite there. */
  tangent: Tangent | null;
}

export interface KinkNote {
  /** LaTeX of the condition (`x = 0`). */
  latex: string;
  text: string;
  /** Which function is not differentiable there. */
  of: 'f' | "f'";
}

export interface FunctionPlotOk {
  ok: true;
  variable: string;
  /** Output name of a forward pass, if any. */
  target?: string;
  f: Printed;
  df: Printed;
  /** Null when f″ could not be computed (cut by the budget or too large). */
  d2f: Printed | null;
  /** The same as protocol's PlotData.latex. */
  latex: { f: string; df: string; d2f?: string };
  /** Closures (for the host): f, f′, f″ and the kink conditions. */
  fn: PlotFunctions;
  /** The trees, for callers that need them. */
  exprs: { f: Expr; df: Expr; d2f: Expr | null };
  range: [number, number];
  samples: PlotSamples;
  point: PointInfo;
  kinks: KinkNote[];
  notes: string[];
  elapsedMs: number;
}

export interface FunctionPlotFail {
  ok: false;
  error: ExploreError;
  /** The free variables, when the selection parsed. */
  variables?: string[];
  /** True when the selection has exactly two variables: the playground applies (see objective2d). */
  playground?: boolean;
}

export type FunctionPlotResult = FunctionPlotOk | FunctionPlotFail;

export function functionPlot(text: string, options: FunctionPlotOptions): FunctionPlotResult {
  const started = now();
  const budget = new Budget(options.budgetMs ?? 2000);
  try {
    const prep = prepare(text, options.lang, budget);
    if (!prep.ok) return prep;
    const { canonical, variables } = prep.value;
    if (variables.length !== 1) {
      const out: FunctionPlotFail = {
        ok: false,
        variables,
        error: {
          kind: 'variables',
          offset: 0,
          length: 0,
          message:
            variables.length === 0
              ? 'The selection has no variable: it is a constant, so there is nothing to plot.'
              : variables.length === 2
                ? `The selection has two variables (${variables.join(', ')}): it is shown in the gradient-descent playground rather than as a plot of one variable.`
                : `The selection has ${variables.length} variables (${variables.join(', ')}); the plot needs exactly one (the playground takes two).`,
        },
      };
      if (variables.length === 2) out.playground = true;
      return out;
    }
    const v = variables[0]!;
    const notes: string[] = [...prep.value.notes];
    const d1 = derivative(canonical, v, budget);
    if (!d1.ok) return d1;
    const df = d1.value.d;
    let d2f: Expr | null = null;
    let kinks2: typeof d1.value.kinks = [];
    try {
      const d2 = derivative(df, v, budget);
      if (d2.ok) {
        d2f = d2.value.d;
        kinks2 = d2.value.kinks;
      } else notes.push(`f″ is not shown: ${d2.error.message}`);
    } catch (err) {
      if (!(err instanceof BudgetExceeded)) throw err;
      notes.push('f″ is not shown: computing it ran out of the time budget.');
    }
    const zeros: Fn1[] = [];
    const kinkNotes: KinkNote[] = [];
    const seen = new Set<string>();
    for (const [list, of] of [
      [d1.value.kinks, 'f'],
      [kinks2, "f'"],
    ] as const) {
      for (const k of list) {
        if (seen.has(k.latex)) continue;
        seen.add(k.latex);
        zeros.push(compile1(k.zero, v));
        kinkNotes.push({ latex: k.latex, text: k.text, of });
      }
    }
    const fn: PlotFunctions = { variable: v, f: compile1(canonical, v), df: compile1(df, v), d2f: d2f ? compile1(d2f, v) : null, kinkZeros: zeros };
    const range = options.range && validRange(options.range) ? options.range : defaultRange(fn.f);
    if (range.note) notes.push(range.note);
    const [xmin, xmax] = range;
    budget.stage = 'sampling';
    const samples = samplePlot(fn, xmin, xmax, options.samples ?? 401, { deadline: budget.deadline });
    if (samples.cut) notes.push('Sampling was cut by the time budget: poles and jumps may not all be located.');
    delete samples.cut;
    if (samples.asymptotes.length) notes.push(`Vertical asymptote${samples.asymptotes.length > 1 ? 's' : ''} at ${v} ≈ ${samples.asymptotes.map(short).join(', ')}: the curve is not drawn across.`);
    const x0 = options.x0 !== undefined && Number.isFinite(options.x0) ? options.x0 : defaultPoint(fn.f, xmin, xmax);
    const f = printed(prep.value.expr);
    const p1 = printed(df);
    const p2 = d2f ? printed(d2f) : null;
    const latex: FunctionPlotOk['latex'] = { f: f.latex, df: p1.latex };
    if (p2) latex.d2f = p2.latex;
    const ok: FunctionPlotOk = {
      ok: true,
      variable: v,
      f,
      df: p1,
      d2f: p2,
      latex,
      fn,
      exprs: { f: canonical, df, d2f },
      range: [xmin, xmax],
      samples,
      point: pointAt(fn, x0),
      kinks: kinkNotes,
      notes,
      elapsedMs: Math.round((now() - started) * 1000) / 1000,
    };
    if (prep.value.target) ok.target = prep.value.target;
    return ok;
  } catch (err) {
    if (err instanceof BudgetExceeded) {
      return fail(`${err.message} after ${Math.round(now() - started)} ms; select a smaller expression.`, 'budget');
    }
    if (err instanceof RangeError) return fail('The expression is too deeply nested to plot.', 'budget');
    return fail(`Internal error: ${err instanceof Error ? err.message : String(err)}. Please report this selection.`, 'internal');
  }
}

function validRange(r: readonly number[]): boolean {
  return r.length === 2 && Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[1]! > r[0]!;
}

/** Values of f, f′, f″ at x and the tangent line there. */
export function pointAt(fn: PlotFunctions, x: number): PointInfo {
  const val = (g: Fn1 | null): number | null => {
    if (!g) return null;
    try {
      const y = g(x);
      return Number.isFinite(y) ? y : null;
    } catch {
      return null;
    }
  };
  const f = val(fn.f);
  const df = val(fn.df);
  const d2f = val(fn.d2f);
  let tangent: Tangent | null = null;
  if (f !== null && df !== null) {
    const intercept = f - df * x;
    tangent = { slope: df, intercept, latex: `y = ${num(f)} ${sign(df)} ${num(Math.abs(df))}\\,(${fn.variable} ${x < 0 ? '+' : '-'} ${num(Math.abs(x))})` };
  }
  return { x, f, df, d2f, tangent };
}

function sign(v: number): string {
  return v < 0 ? '-' : '+';
}

function num(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e6) return String(Number(v.toPrecision(6)));
  const [m, e] = v.toPrecision(4).includes('e') ? v.toPrecision(4).split('e') : v.toExponential(3).split('e');
  return `${Number(m)} \\times 10^{${Number(e)}}`;
}

function short(v: number): string {
  return String(Number(v.toPrecision(6)));
}

export interface Range extends Array<number> {
  0: number;
  1: number;
  note?: string;
}

/**
 * The default x-range: [−5, 5], narrowed to the domain when f is undefined
 * on part of it (log → [0, 5], √(1 − x²) → [−1.1, 1.1]), widened when f is
 * defined nowhere in it.
 */
export function defaultRange(f: Fn1): Range {
  for (const r of [5, 50, 500]) {
    const n = 1001;
    let first = -1;
    let last = -1;
    for (let i = 0; i < n; i++) {
      const x = -r + (2 * r * i) / (n - 1);
      if (Number.isFinite(f(x))) {
        if (first < 0) first = i;
        last = i;
      }
    }
    if (first < 0) continue;
    const step = (2 * r) / (n - 1);
    let lo = -r + first * step;
    let hi = -r + last * step;
    // Snap the edges to the domain: the first defined point between samples.
    if (first > 0) lo = edge(f, lo, lo - step);
    if (last < n - 1) hi = edge(f, hi, hi + step);
    const width = hi - lo;
    const touchesLeft = first === 0;
    const touchesRight = last === n - 1;
    if (touchesLeft || touchesRight) {
      // Defined up to a window end: from the domain's edge to that end (at most 10 wide once widened).
      let a = touchesLeft ? -r : nice(lo);
      let b = touchesRight ? r : nice(hi);
      if (r > 5 && !(touchesLeft && touchesRight)) {
        if (touchesRight) b = Math.min(b, a + 10);
        else a = Math.max(a, b - 10);
      }
      const out = [a, b] as Range;
      if (r > 5) out.note = `f is not finite anywhere in [−${r / 10}, ${r / 10}]; the range was widened.`;
      return out;
    }
    // A narrow domain: show it with 10% on each side.
    const pad = Math.max(0.1 * width, 1e-6 * Math.max(1, Math.abs(lo), Math.abs(hi)));
    const out = [nice(lo - pad), nice(hi + pad)] as Range;
    if (!(out[1] > out[0])) {
      out[0] = lo - 1;
      out[1] = hi + 1;
    }
    return out;
  }
  const out = [-5, 5] as Range;
  out.note = 'f is not finite anywhere in [−500, 500].';
  return out;
}

/** Bisect between a defined point and an undefined one for the domain's edge. */
function edge(f: Fn1, good: number, bad: number): number {
  let a = good;
  let b = bad;
  for (let k = 0; k < 60; k++) {
    const m = 0.5 * (a + b);
    if (m === a || m === b) break;
    if (Number.isFinite(f(m))) a = m;
    else b = m;
  }
  return a;
}

/** Round a domain edge to 4 significant digits (0.0001 → 0; √ at 2.0000001 → 2). */
function nice(v: number): number {
  if (Math.abs(v) < 1e-6) return 0;
  const r = Number(v.toPrecision(4));
  return r;
}

/** A point to show at first: the middle of the range, nudged off a point where f or f′ is undefined. */
function defaultPoint(f: Fn1, xmin: number, xmax: number): number {
  const mid = 0.5 * (xmin + xmax);
  const candidates = [mid, mid + 0.1 * (xmax - xmin), mid - 0.1 * (xmax - xmin), xmin + 0.75 * (xmax - xmin), xmin + 0.25 * (xmax - xmin)];
  for (const c of candidates) if (Number.isFinite(f(c))) return Number(c.toPrecision(6));
  return mid;
}
