/**
 * The symbolic side of the explorer: a selection read by the one reading every
 * command uses (core/reading.ts: the gradient panel's parser, module names never
 * variables, a clear reason when the selection is not an expression of numbers),
 * then differentiated by the engine's own stages (the ones `computeGradient` runs:
 * simplify → recognize → differentiate → simplify), kept as expression trees so
 * they can be differentiated again (f″) and compiled to closures. `computeGradient`
 * returns printed text only, so this reuses its stages rather than its result.
 */
import { Budget } from '../budget';
import { differentiate, type KinkInfo } from '../diff';
import { type Expr, depth, expandedSize } from '../expr';
import type { Lang } from '../parse/types';
import { toLatex, toNumpy, toText } from '../print';
import { readSelection } from '../reading';
import { recognize } from '../recognize';
import { expandWhereSmaller, simplify } from '../simplify';

/** Same limits as computeGradient. */
const MAX_INPUT_NODES = 20_000;
const MAX_DEPTH = 400;
const MAX_RESULT_NODES = 50_000;

export interface ExploreError {
  message: string;
  /** Offset and length of the problem in the selection (0, 0 when it is not located). */
  offset: number;
  length: number;
  /** 'not-numbers': the selection parsed or was recognized, but it is not an expression of numbers (a plotting call, a string, an array …). */
  kind: 'parse' | 'not-numbers' | 'variables' | 'budget' | 'unsupported' | 'internal';
}

export interface Prepared {
  /** The expression as written (assignments substituted). */
  expr: Expr;
  /** Canonical form with activations recognized: what is differentiated and evaluated. */
  canonical: Expr;
  variables: string[];
  target?: string;
  /** What the reading assumed (a mean of a number is that number …). */
  notes: string[];
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ExploreError };

export function fail(message: string, kind: ExploreError['kind'], offset = 0, length = 0): { ok: false; error: ExploreError } {
  return { ok: false, error: { message, offset, length, kind } };
}

/** Parse and canonicalize a selection. Throws only BudgetExceeded (callers catch). */
export function prepare(text: string, lang: Lang, budget: Budget): Outcome<Prepared> {
  const read = readSelection(text, lang);
  if (!read.ok) return { ok: false, error: read.error };
  const expr = read.expr;
  if (expandedSize(expr, MAX_INPUT_NODES) > MAX_INPUT_NODES) {
    return fail(`The expression is too large: written out it has more than ${MAX_INPUT_NODES.toLocaleString('en-US')} terms.`, 'unsupported');
  }
  const levels = depth(expr);
  if (levels > MAX_DEPTH) return fail(`The expression is nested ${levels} levels deep; MathLens handles up to ${MAX_DEPTH}.`, 'unsupported');
  budget.stage = 'simplification of the input';
  const canonical = recognize(simplify(expr, { budget }), budget).expr;
  const value: Prepared = { expr, canonical, variables: read.variables, notes: read.notes };
  if (read.target) value.target = read.target;
  return { ok: true, value };
}

export interface Derivative {
  /** The simplified derivative. */
  d: Expr;
  /** Where the differentiated function is not differentiable (zeros of `zero`). */
  kinks: KinkInfo[];
}

/** ∂e/∂v, simplified as computeGradient does (falls back to the unsimplified form when simplifying runs out of time). */
export function derivative(e: Expr, v: string, budget: Budget, partial = false): Outcome<Derivative> {
  budget.stage = `differentiation with respect to ${v}`;
  const result = differentiate(e, v, { budget, partial, maxSteps: 0 });
  budget.stage = `simplification of the derivative with respect to ${v}`;
  const d = expandWhereSmaller(simplify(result.raw, { budget }), { budget });
  if (expandedSize(d, MAX_RESULT_NODES) > MAX_RESULT_NODES) {
    return fail(`The derivative with respect to ${v} is too large to plot (more than ${MAX_RESULT_NODES.toLocaleString('en-US')} terms written out).`, 'budget');
  }
  return { ok: true, value: { d, kinks: result.kinks } };
}

export interface Printed {
  latex: string;
  numpy: string;
  text: string;
}

export function printed(e: Expr): Printed {
  return { latex: toLatex(e), numpy: toNumpy(e), text: toText(e) };
}

export function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
