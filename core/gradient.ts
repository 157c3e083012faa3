/**
 * Entry point of "Compute Gradient of Selection": parse, recognize,
 * differentiate, simplify, print and check. Never throws: every failure
 * becomes a `GradientFail` with the position of the problem, and every stage
 * runs under one time budget.
 */
import { Budget, BudgetExceeded } from './budget';
import { differentiate, type KinkInfo } from './diff';
import { type Expr, children, depth, expandedSize, freeSymbols, size } from './expr';
import { numericCheck } from './check';
import { parse } from './parse/index';
import type { Parsed } from './parse/types';
import { normalizeVariableName } from './parse/common';
import { withDistinctSymbols } from './ops/latex';
import { latexSymbol, toLatex, toNumpy, toText } from './print';
import { recognize } from './recognize';
import type { GradientFail, GradientOk, GradientOptions, GradientResult, PartialDerivative, Step } from './result';
import { expandWhereSmaller, factorActivations, simplify } from './simplify';
import { addNamedForms, prepareNamed } from './named';

const MAX_DEPTH = 400;
/** Written-out size limits: beyond these, a formula is not something a person can read. */
const MAX_INPUT_NODES = 20_000;
const MAX_RESULT_NODES = 50_000;

function fail(message: string, kind: GradientFail['error']['kind'], offset = 0, length = 0): GradientFail {
  return { ok: false, error: { message, offset, length, kind } };
}

export function computeGradient(text: string, options: GradientOptions): GradientResult {
  const started = now();
  try {
    const parsed = parse(text, options.lang, options.definitions !== undefined ? { definitions: options.definitions } : {});
    if (!parsed.ok) return { ok: false, error: { ...parsed.error, kind: 'parse' } };
    // Subscripted names (`p["w1"]`) print as their textbook symbol unless another name prints the same.
    const names = [...symbolNames(parsed.value.expr), ...(parsed.value.assignments ?? []).map((a) => a.name)];
    return withDistinctSymbols(names, () => gradientOf(parsed.value, options, started));
  } catch (err) {
    if (err instanceof BudgetExceeded) {
      return fail(`${err.message} after ${Math.round(now() - started)} ms; raise mathlens.gradient.timeBudgetMs or select a smaller expression.`, 'budget');
    }
    if (err instanceof RangeError) {
      return fail('The expression is too deeply nested to differentiate.', 'budget');
    }
    return fail(`Internal error: ${err instanceof Error ? err.message : String(err)}. Please report this selection.`, 'internal');
  }
}

export function gradientOf(parsed: Parsed, options: GradientOptions, started = now()): GradientResult {
  const budget = new Budget(options.budgetMs ?? 2000);
  const f = parsed.expr;
  // Substituting a forward pass can nest deeper than the parser's own limit; every later stage walks
  // the tree, so stop here with a clear message rather than deep in a stage.
  const written = expandedSize(f, MAX_INPUT_NODES);
  if (written > MAX_INPUT_NODES) {
    return fail(
      `The expression is too large: written out (after substituting assignments) it has more than ${MAX_INPUT_NODES.toLocaleString('en-US')} terms.`,
      'unsupported',
    );
  }
  const levels = depth(f);
  if (levels > MAX_DEPTH) {
    return fail(`The expression is nested ${levels} levels deep (after substituting assignments); MathLens handles up to ${MAX_DEPTH}.`, 'unsupported');
  }
  const variables = freeSymbols(f);
  // A subscripted name may be written as the user spells it (`p['w1']`, `X[i,0]`): its normal form is the variable.
  const wrtNames = options.wrt?.map((v) => normalizeVariableName(v) ?? v);
  const wrt = wrtNames && wrtNames.length ? [...new Set(wrtNames)] : variables;
  for (const v of wrt) if (!normalizeVariableName(v) || /'/.test(v)) return fail(`"${v}" is not a variable name.`, 'unsupported');
  const notes: string[] = [];
  for (const v of wrt) {
    if (!variables.includes(v)) notes.push(`The expression does not depend on ${v}, so its partial derivative is 0.`);
  }
  if (variables.length === 0) notes.push('The expression has no free variables: it is a constant.');

  budget.stage = 'simplification of the input';
  const canonical = simplify(f, { budget });
  budget.stage = 'recognition';
  const recognized = recognize(canonical, budget);

  const partial = variables.length > 1;
  const gradient: PartialDerivative[] = [];
  const allKinks: KinkInfo[] = [];
  const kinkSeen = new Set<string>();
  const partials: { wrt: string; d: Expr; numpy: string }[] = [];
  for (const v of wrt) {
    budget.stage = `differentiation with respect to ${v}`;
    const steps: Step[] = [];
    if (canonical !== f && toLatex(canonical) !== toLatex(f)) {
      steps.push({ rule: 'simplify the input', latex: `${toLatex(f)} = ${toLatex(canonical)}`, text: `${toText(f)} = ${toText(canonical)}`, depth: 0 });
    }
    for (const r of recognized.steps) steps.push({ rule: r.rule, latex: r.latex, text: r.text, depth: 0 });
    const result = differentiate(recognized.expr, v, { budget, partial });
    for (const s of result.steps) steps.push(s.detail ? { ...s } : s);
    if (result.stepsTruncated) notes.push(`The derivation for ${v} is long; only its first steps are shown.`);
    budget.stage = `simplification of ∂/∂${v}`;
    let d: Expr;
    try {
      d = factorActivations(expandWhereSmaller(simplify(result.raw, { budget }), { budget }), { budget });
    } catch (err) {
      if (!(err instanceof BudgetExceeded)) throw err;
      d = result.raw;
      notes.push(`Simplifying the derivative with respect to ${v} was cut by the time budget; the result shown is correct but not simplified.`);
    }
    if (expandedSize(d, MAX_RESULT_NODES) > MAX_RESULT_NODES) {
      return fail(
        `The derivative with respect to ${v} is too large to show: written out it has more than ${MAX_RESULT_NODES.toLocaleString('en-US')} terms. Try a smaller selection, or introduce intermediate variables.`,
        'budget',
      );
    }
    const rawLatex = toLatex(result.raw);
    const finalLatex = toLatex(d);
    // A simplification that only reorders factors is not worth a step.
    const reorderOnly = [...rawLatex].sort().join('') === [...finalLatex].sort().join('');
    if (rawLatex !== finalLatex && !reorderOnly) steps.push({ rule: 'simplify', latex: `${rawLatex} = ${finalLatex}`, text: `${toText(result.raw)} = ${toText(d)}`, depth: 0 });
    for (const k of result.kinks) {
      if (!kinkSeen.has(k.latex)) {
        kinkSeen.add(k.latex);
        allKinks.push(k);
      }
    }
    const numpy = toNumpy(d);
    gradient.push({
      wrt: v,
      latex: finalLatex,
      numpy,
      text: toText(d),
      steps,
      kinks: result.kinks.map((k) => ({ latex: k.latex, text: k.text })),
      size: size(d),
    });
    partials.push({ wrt: v, d, numpy });
  }
  if (allKinks.length) notes.push(`Not differentiable where ${allKinks.map((k) => k.plain).join(', ')}; see the kinks under each derivative.`);

  // A forward pass: each partial in the pass's own names too (made before the check, which uses what is left of the budget).
  budget.stage = "the forward pass's own names";
  const named = prepareNamed(parsed, partials.map((p) => p.wrt), budget, notes);

  budget.stage = 'numeric check';
  const { codeNote, ...check } = numericCheck({ f, variables, partials, kinks: allKinks.map((k) => k.zero), points: options.checkPoints ?? 5, seed: options.seed, budget });
  if (codeNote) notes.push(codeNote);
  if (check.points === 0 && partials.length && options.checkPoints !== 0) notes.push('The numeric check found no point where the function and its derivatives are all defined.');
  else if (!check.passed && check.maxRelError !== null) notes.push(`The numeric check disagrees (max relative error ${check.maxRelError.toExponential(2)}); please report this expression.`);

  // The named forms, checked at the check's points; parameters before data.
  const ordered = addNamedForms({ parsed, named, gradient, partials, check, notes, chosenOrder: Boolean(options.wrt?.length), data: options.data });

  const ok: GradientOk = {
    ok: true,
    lang: options.lang,
    variables,
    expression: { latex: toLatex(f), numpy: toNumpy(f), text: toText(f) },
    gradient: ordered,
    check,
    notes,
    elapsedMs: Math.round((now() - started) * 1000) / 1000,
  };
  if (parsed.target) ok.target = parsed.target;
  return ok;
}

/** The variable names of a tree, each shared subtree visited once (a substituted forward pass is a DAG). */
function symbolNames(e: Expr): Set<string> {
  const names = new Set<string>();
  const seen = new Set<Expr>();
  const stack = [e];
  while (stack.length) {
    const x = stack.pop()!;
    if (seen.has(x)) continue;
    seen.add(x);
    if (x.kind === 'sym') names.add(x.name);
    else stack.push(...children(x));
  }
  return names;
}

/** LaTeX of ∂target/∂x or d target/dx, for headings. */
export function derivativeLabel(target: string | undefined, wrt: string, partial: boolean): string {
  const t = target ? latexSymbol(target) : 'f';
  const x = latexSymbol(wrt);
  return partial ? `\\frac{\\partial ${t}}{\\partial ${x}}` : `\\frac{d${t.length > 1 ? ' ' : ''}${t}}{d${x.length > 1 ? ' ' : ''}${x}}`;
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
