/**
 * A forward pass's partials in its own names, and which inputs are data.
 *
 * Named form. For `z = w*x + b; h = np.tanh(z); out = v*h + c; loss = (out - y)**2`
 * the substituted ∂loss/∂w is 2v·x·(v·tanh(wx + b) + c − y)(1 − tanh²(wx + b)); a
 * course writes it as the chain of local derivatives in the pass's own names,
 * 2(out − y) · v · (1 − h²) · x. This is reverse-mode accumulation done
 * symbolically: the adjoint of the output is 1; walking the assignments from
 * the last to the first, each name's adjoint times the local derivative of its
 * definition with respect to every name it reads is added to that name's
 * adjoint. A local derivative is written in the pass's names: the definition
 * itself is replaced by its name (d tanh(z)/dz = 1 − tanh²(z) = 1 − h²).
 * Factors stay in chain order (output first), numbers gathered in front.
 *
 * The form is only made when it is meaningful and its code runs where the
 * user's names are bound: every name is assigned once, and no definition reads
 * a name that is assigned at or after it (`h = h * 2` or `x = x + 1` would make
 * a name mean two values). Otherwise there is no named form.
 *
 * Data or parameters. In a forward pass, a partial with respect to the data is
 * grouped after the parameters' (see `isDataName` for the rule).
 */
import { Budget, BudgetExceeded } from './budget';
import { differentiate } from './diff';
import { type Env, compile } from './evaluate';
import { type Expr, ONE, ZERO, add, children, equals, expandedSize, freeSymbols, isOne, isZero, mul, numValue, rat, sym, withChildren } from './expr';
import { compileNumpyCode } from './check';
import type { Parsed } from './parse/types';
import type { NumericCheck, PartialDerivative } from './result';
import { toLatex, toNumpy, toText } from './print';
import { recognize } from './recognize';
import { expandWhereSmaller, factorActivations, key, simplify } from './simplify';
import { substitute } from './parse/common';

/** Beyond this many written-out nodes a named form is not readable: none is given. */
const MAX_NAMED_NODES = 2_000;

export interface NamedPass {
  /** The assignments read by the output, in order (the output's own last). */
  assignments: { name: string; expr: Expr }[];
  /** ∂output/∂wrt in the pass's names, per requested variable (absent where none could be made). */
  partials: Map<string, Expr>;
}

/** The assignments of a forward pass that its output reads, or undefined when a named form is not meaningful. */
function passOf(parsed: Parsed, budget: Budget): { name: string; expr: Expr }[] | undefined {
  const all = parsed.assignments;
  if (!all || !all.length) return undefined;
  let target = parsed.target;
  let upto: { name: string; expr: Expr }[];
  if (target) {
    let ti = -1;
    for (let i = all.length - 1; i >= 0; i--) if (all[i]!.name === target) { ti = i; break; }
    if (ti < 1) return undefined;
    upto = all.slice(0, ti + 1);
  } else {
    // `return (h - y)**2` or a bare expression after the assignments: the output, in the pass's names.
    if (new Set(all.map((a) => a.name)).size !== all.length) return undefined;
    upto = [...all, { name: OUTPUT, expr: fold(parsed.expr, all, budget) }];
    target = OUTPUT;
  }
  const assigned = new Map<string, number>();
  for (let i = 0; i < upto.length; i++) {
    if (assigned.has(upto[i]!.name)) return undefined; // a name reassigned means two values
    assigned.set(upto[i]!.name, i);
  }
  const reads = upto.map((a) => freeSymbols(a.expr));
  for (let i = 0; i < upto.length; i++) {
    for (const n of reads[i]!) {
      const j = assigned.get(n);
      if (j !== undefined && j >= i) return undefined; // read before (or while) it is assigned
    }
  }
  // Only what the output reads, transitively.
  const needed = new Set<string>([target]);
  for (let i = upto.length - 1; i >= 0; i--) {
    if (!needed.has(upto[i]!.name)) continue;
    for (const n of reads[i]!) if (assigned.has(n)) needed.add(n);
  }
  const pass = upto.filter((a) => needed.has(a.name));
  return pass.length >= 2 ? pass : undefined;
}

/** The unnamed output of a pass that ends in `return <expression>`: a name no code has, never printed. */
const OUTPUT = '\u0000output';

/** `e` (the assignments substituted in) with every subtree equal to an assignment's value written as its name. */
function fold(e: Expr, assignments: readonly { name: string; expr: Expr }[], budget: Budget): Expr {
  const env = new Map<string, Expr>();
  const byKey = new Map<string, string>();
  for (const a of assignments) {
    budget.tick();
    const value = substitute(a.expr, env);
    env.set(a.name, value);
    // A name for a bare variable or number would only rename it.
    if (value.kind !== 'sym' && value.kind !== 'num' && value.kind !== 'float') byKey.set(key(value), a.name);
  }
  return rewriteSubtrees(e, budget, (x) => {
    const name = byKey.get(key(x));
    return name === undefined ? undefined : sym(name);
  });
}

/** Replace every subtree equal to `what` by `by`. */
function replace(e: Expr, what: Expr, by: Expr, budget: Budget): Expr {
  return rewriteSubtrees(e, budget, (x) => (equals(x, what) ? by : undefined));
}

/** `e` with each subtree that `swap` maps to a replacement replaced (outermost first; shared subtrees once). */
function rewriteSubtrees(e: Expr, budget: Budget, swap: (x: Expr) => Expr | undefined): Expr {
  const memo = new Map<Expr, Expr>();
  const go = (x: Expr): Expr => {
    const hit = memo.get(x);
    if (hit) return hit;
    budget.tick();
    let out = swap(x);
    if (out === undefined) {
      const kids = children(x);
      const next = kids.map(go);
      out = next.some((k, i) => k !== kids[i]) ? withChildren(x, next) : x;
    }
    memo.set(x, out);
    return out;
  };
  return go(e);
}

function chain(parts: readonly Expr[]): Expr {
  let coeff: Expr = ONE;
  const rest: Expr[] = [];
  const take = (f: Expr) => {
    if (f.kind === 'mul') {
      for (const g of f.factors) take(g);
      return;
    }
    if (f.kind === 'num' || f.kind === 'float') {
      const a = numValue(coeff)!;
      const b = numValue(f)!;
      coeff = coeff.kind === 'num' && f.kind === 'num' ? rat(coeff.p * f.p, coeff.q * f.q) : rat(a * b);
      return;
    }
    rest.push(f);
  };
  for (const p of parts) take(p);
  if (isZero(coeff)) return ZERO;
  if (rest.length === 0) return coeff;
  if (isOne(coeff)) return rest.length === 1 ? rest[0]! : mul(...rest);
  return mul(coeff, ...rest);
}

/** A sum's common integer factor in front: 2·out − 2·y → 2(out − y), −a − b → −(a + b). */
function pullContent(e: Expr): Expr {
  if (e.kind !== 'add') return e;
  const coeffs: Expr[] = e.terms.map((t) => (t.kind === 'num' ? t : t.kind === 'mul' && t.factors[0]!.kind === 'num' ? t.factors[0]! : ONE));
  if (coeffs.some((c) => c.kind !== 'num' || c.q !== 1)) return e;
  let g = 0;
  for (const c of coeffs) g = gcdInt(g, (c as { p: number }).p);
  if (coeffs.every((c) => (c as { p: number }).p < 0)) g = -g;
  if (g === 1 || g === 0) return e;
  const terms = e.terms.map((t, i) => {
    const c = (coeffs[i] as { p: number }).p / g;
    if (t.kind === 'num') return rat(c);
    const rest = t.kind === 'mul' && t.factors[0]!.kind === 'num' ? t.factors.slice(1) : [t];
    const body = rest.length === 1 ? rest[0]! : mul(...rest);
    return c === 1 ? body : mul(rat(c), ...(body.kind === 'mul' ? body.factors : [body]));
  });
  return mul(rat(g), add(...terms));
}

function gcdInt(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

const sumOf = (terms: readonly Expr[]): Expr => (terms.length === 0 ? ZERO : terms.length === 1 ? terms[0]! : add(...terms));

/**
 * The named form of every partial in `wrt`, or undefined when the selection is
 * not a forward pass with named intermediates.
 */
export function namedPartials(parsed: Parsed, wrt: readonly string[], budget: Budget): NamedPass | undefined {
  const pass = passOf(parsed, budget);
  if (!pass) return undefined;
  const names = new Set(pass.map((a) => a.name));
  const adjoint = new Map<string, Expr[]>([[pass[pass.length - 1]!.name, [ONE]]]);
  for (let i = pass.length - 1; i >= 0; i--) {
    const { name, expr } = pass[i]!;
    const terms = adjoint.get(name);
    if (!terms || terms.length === 0) continue;
    const a = sumOf(terms);
    const def = recognize(simplify(expr, { budget }), budget).expr;
    for (const n of freeSymbols(def)) {
      budget.stage = `the named form (∂${name}/∂${n})`;
      const raw = differentiate(def, n, { budget, partial: true, maxSteps: 0 }).raw;
      let local = factorActivations(expandWhereSmaller(simplify(raw, { budget }), { budget }), { budget });
      if (isZero(local)) continue;
      // The definition's value is the name: d tanh(z)/dz = 1 − h².
      if (def.kind !== 'sym' && def.kind !== 'num' && name !== OUTPUT) local = replace(local, def, sym(name), budget);
      local = pullContent(local);
      const c = chain([a, local]);
      if (isZero(c)) continue;
      const list = adjoint.get(n) ?? [];
      list.push(c);
      adjoint.set(n, list);
    }
  }
  const partials = new Map<string, Expr>();
  for (const v of wrt) {
    if (names.has(v)) continue;
    const d = sumOf(adjoint.get(v) ?? []);
    if (expandedSize(d, MAX_NAMED_NODES) > MAX_NAMED_NODES) continue;
    partials.set(v, d);
  }
  return { assignments: pass, partials };
}

/** The printed named form of one partial. */
export function printNamed(d: Expr): { latex: string; numpy: string; text: string } {
  return { latex: chainLatex(d), numpy: toNumpy(d), text: toText(d) };
}

const paren = (s: string): string => (/\\frac|\\left/.test(s) ? `\\left(${s}\\right)` : `(${s})`);

/** A chain of local derivatives with a \cdot between its links: 2(out - y) \cdot v \cdot (1 - h^{2}) \cdot x. */
function chainLatex(d: Expr): string {
  if (d.kind !== 'mul' || d.factors.some((f) => f.kind === 'pow' && (numValue(f.exp) ?? 0) < 0)) return toLatex(d);
  const links: Expr[] = [];
  for (const f of d.factors) {
    const prev = links[links.length - 1];
    // A number belongs to the link after it (2(out − y)), as does a lone −1.
    if (prev && (prev.kind === 'num' || prev.kind === 'float')) links[links.length - 1] = mul(prev, f);
    else links.push(f);
  }
  return links.length < 2 ? toLatex(d) : links.map((l) => (l.kind === 'add' ? paren(toLatex(l)) : toLatex(l))).map((s, i) => (i > 0 && s.startsWith('-') ? `(${s})` : s)).join(' \\cdot ');
}

export interface NamedCheck {
  /** Points at which the named forms were evaluated. */
  points: number;
  /** Largest |named − substituted| / max(1, |substituted|) over the partials and points (null: no point). */
  maxRelError: number | null;
  /** The variables whose named form disagrees with the substituted partial. */
  failed: string[];
}

/** Tolerance between two exact formulas of one value, evaluated in floating point. */
const NAMED_TOLERANCE = 1e-7;

/**
 * Evaluate each named form (and its printed NumPy code) with the intermediates
 * computed from the inputs, and compare with the substituted partial.
 */
export function checkNamed(
  pass: NamedPass,
  substituted: readonly { wrt: string; d: Expr }[],
  named: ReadonlyMap<string, { numpy: string }>,
  points: readonly Record<string, number>[],
): NamedCheck {
  const defs = pass.assignments.map((a) => ({ name: a.name, f: compile(a.expr) }));
  const rows = substituted
    .filter((s) => pass.partials.has(s.wrt))
    .map((s) => {
      let code: ((env: Env) => number) | undefined;
      try {
        code = compileNumpyCode(named.get(s.wrt)?.numpy ?? '');
      } catch {
        code = undefined;
      }
      return { wrt: s.wrt, sub: compile(s.d), named: compile(pass.partials.get(s.wrt)!), code };
    });
  const failed = new Set<string>();
  let maxErr = 0;
  let used = 0;
  for (const point of points) {
    const env: Record<string, number> = { ...point };
    for (const d of defs) env[d.name] = d.f(env);
    let any = false;
    for (const r of rows) {
      const want = r.sub(point);
      if (!Number.isFinite(want)) continue;
      any = true;
      const got = [r.named(env), r.code ? r.code(env) : NaN];
      for (const g of got) {
        const err = Math.abs(g - want) / Math.max(1, Math.abs(want));
        if (!(err <= NAMED_TOLERANCE)) failed.add(r.wrt);
        if (Number.isFinite(err)) maxErr = Math.max(maxErr, err);
      }
    }
    if (any) used++;
  }
  for (const r of rows) if (!r.code) failed.add(r.wrt);
  return { points: used, maxRelError: used ? maxErr : null, failed: [...failed] };
}

// ---------------------------------------------------------------------------
// Data or parameters

/**
 * The data rule, deliberately conservative (a name not recognised as data is a
 * parameter, shown first, so nothing is hidden by a wrong guess). A variable is
 * data when its base name (the text before any `[` or `.`: `X` of `X[i,0]`,
 * `data` of `data.x`) is
 *   - x, y, X or Y, alone or with a numeric suffix (x1, x_2) or one of the
 *     suffixes _i, _j, _k, _n, _true, _train, _test, _val, _batch, _obs, _data
 *     (so y_true is data, y_pred and y_hat are not: they are the model's);
 *   - t, xs, ys, input(s), target(s), label(s), data, feature(s);
 *   - or one of `extra`: names the caller knows are bound to loaded data
 *     (`np.load`, a dataset loader).
 */
const DATA_NAME = /^(?:[xXyY](?:_?\d+|_(?:i|j|k|n|true|train|test|val|batch|obs|data))?|t|xs|ys|inputs?|targets?|labels?|data|features?)$/;

export function baseName(v: string): string {
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(v);
  return m ? m[0] : v;
}

export function isDataName(v: string, extra: ReadonlySet<string> = new Set()): boolean {
  return extra.has(v) || extra.has(baseName(v)) || DATA_NAME.test(baseName(v));
}

// ---------------------------------------------------------------------------
// Both, on a gradient result

/**
 * Give each partial of a forward pass its named form (checked at the numeric check's points:
 * a disagreement fails the check, with a note, and that named form is not shown) and its group,
 * and order the partials parameters first (unless the caller chose the order with `wrt`).
 * Mutates `gradient`'s entries, `check` and `notes`; returns the ordered list.
 */
/** The named forms of a forward pass's partials (see `namedPartials`); a budget cut is a note, not a failure. */
export function prepareNamed(parsed: Parsed, wrt: readonly string[], budget: Budget, notes: string[]): NamedPass | undefined {
  if (!parsed.assignments?.length) return undefined;
  try {
    return namedPartials(parsed, wrt, budget);
  } catch (err) {
    if (!(err instanceof BudgetExceeded) && !(err instanceof RangeError)) throw err;
    notes.push("The partials in the forward pass's own names were cut by the time budget; the substituted forms are shown.");
    return undefined;
  }
}

export function addNamedForms(input: {
  parsed: Parsed;
  /** From `prepareNamed`. */
  named: NamedPass | undefined;
  gradient: PartialDerivative[];
  partials: readonly { wrt: string; d: Expr }[];
  check: NumericCheck;
  notes: string[];
  /** The caller chose the variables and their order. */
  chosenOrder: boolean;
  data?: readonly string[];
}): PartialDerivative[] {
  const { parsed, gradient, partials, check, notes, named: pass } = input;
  if (!parsed.assignments?.length) return gradient;
  const extra = new Set(input.data ?? []);
  for (const g of gradient) g.group = isDataName(g.wrt, extra) ? 'data' : 'parameters';
  if (pass) {
    const printed = new Map<string, { latex: string; numpy: string; text: string }>();
    for (const [v, d] of pass.partials) printed.set(v, printNamed(d));
    if (check.at.length) {
      const c = checkNamed(pass, partials, printed, check.at);
      const passed = c.failed.length === 0;
      check.named = { points: c.points, maxRelError: c.maxRelError, passed };
      if (!passed) {
        check.passed = false;
        const t = parsed.target;
        notes.push(
          `The numeric check disagrees for the form in the forward pass's own names of ${c.failed.map((v) => `∂${t}/∂${v}`).join(', ')}; it is not shown. Please report this selection.`,
        );
        for (const v of c.failed) printed.delete(v);
      }
    }
    for (const g of gradient) {
      const n = printed.get(g.wrt);
      if (n) g.named = n;
    }
  }
  if (input.chosenOrder) return gradient;
  return [...gradient.filter((g) => g.group !== 'data'), ...gradient.filter((g) => g.group === 'data')];
}
