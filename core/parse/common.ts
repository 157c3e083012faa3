/**
 * Pieces shared by every selection parser: the located error, the nesting
 * guard, literal-aware negation, variable names, and the forward-pass
 * builder that substitutes intermediate assignments.
 *
 * The parsers are hand-written (no parser generator) so that every error can
 * carry the exact UTF-16 offset and length of the offending token.
 */
import { add, children, ExprError, float, mul, neg, NEG_ONE, pow, rat, sym, withChildren } from '../expr';
import type { Expr } from '../expr';
import type { Parsed } from './types';

/** A parse failure at a place in the source. Thrown internally, caught by `parse`. */
export class ParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly length: number,
  ) {
    super(message);
  }
}

export function fail(message: string, offset: number, length: number): never {
  throw new ParseError(message, offset, Math.max(0, length));
}

/** The smallest thing a located error needs. */
export interface Span {
  offset: number;
  length: number;
}

export const DEFAULT_MAX_DEPTH = 200;
export const DEFAULT_MAX_LENGTH = 20000;

export function tooDeepMessage(max: number): string {
  return `expression is nested too deeply (more than ${max} levels)`;
}

/**
 * Counts nesting (brackets, unary operators, right-associative powers,
 * function arguments) and stops the parse once `max` is crossed, long before
 * the JavaScript stack is at risk.
 */
export class DepthGuard {
  depth = 0;
  constructor(readonly max: number) {}
  enter(at: Span): void {
    if (++this.depth > this.max) fail(tooDeepMessage(this.max), at.offset, at.length);
  }
  leave(): void {
    this.depth--;
  }
}

/** `-e`, folding a numeric literal into a negative number (`-3` is the number −3, not −1·3). */
export function negate(e: Expr): Expr {
  if (e.kind === 'num') return rat(-e.p, e.q);
  if (e.kind === 'float') return float(-e.value);
  return neg(e);
}

/** A variable, or a located error when the name cannot be one. */
export function variable(name: string, at: Span): Expr {
  try {
    return sym(name);
  } catch (err) {
    if (err instanceof ExprError) fail(`"${name}" cannot be used as a variable name`, at.offset, at.length);
    throw err;
  }
}

/**
 * The normal form of a subscripted variable's name (Python): attributes and subscripts on a name,
 * string keys in double quotes, indices separated by ", ": `p["w1"]`, `X[i, 0]`, `W[0][1]`,
 * `params.w1`, `self.w`, `self.W[0]`.
 */
export const SUBSCRIPTED_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[(?:"[^"\\[\]\n]+"|-?\d+|[A-Za-z_][A-Za-z0-9_]*)(?:, (?:"[^"\\[\]\n]+"|-?\d+|[A-Za-z_][A-Za-z0-9_]*))*\])+$/;

const IDENTIFIER = /^[A-Za-z_\u0370-\u03ff][A-Za-z0-9_\u0370-\u03ff']*$/;

/** Is this a variable name: an identifier, or a subscripted name in its normal form? */
export function isVariableName(name: string): boolean {
  return IDENTIFIER.test(name) || SUBSCRIPTED_NAME.test(name);
}

/**
 * The normal form of a name written by a user (`--wrt`, `--at`, a panel's input): `p['w1']` →
 * `p["w1"]`, `X[i,0]` → `X[i, 0]`; undefined when it is not a variable name.
 */
export function normalizeVariableName(name: string): string | undefined {
  const s = name.trim();
  if (IDENTIFIER.test(s)) return s;
  let out: string;
  let i = 0;
  const ident = /[A-Za-z_][A-Za-z0-9_]*/y;
  const take = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return undefined;
    i = re.lastIndex;
    return m[0];
  };
  const head = take(ident);
  if (!head) return undefined;
  out = head;
  const ws = /\s*/y;
  const index = /\s*(?:"([^"\\[\]\n]+)"|'([^'"\\[\]\n]+)'|(-?\s*\d+)|([A-Za-z_][A-Za-z0-9_]*))\s*/y;
  while (i < s.length) {
    take(ws);
    if (s[i] === '.') {
      i++;
      take(ws);
      const a = take(ident);
      if (!a) return undefined;
      out += `.${a}`;
    } else if (s[i] === '[') {
      i++;
      const parts: string[] = [];
      for (;;) {
        index.lastIndex = i;
        const m = index.exec(s);
        if (!m) return undefined;
        i = index.lastIndex;
        parts.push(m[1] !== undefined ? `"${m[1]}"` : m[2] !== undefined ? `"${m[2]}"` : m[3] !== undefined ? String(Number(m[3].replace(/\s+/g, ''))) : m[4]!);
        if (s[i] === ',') i++;
        else break;
      }
      if (s[i] !== ']') return undefined;
      i++;
      out += `[${parts.join(', ')}]`;
    } else if (i < s.length) return undefined;
  }
  return SUBSCRIPTED_NAME.test(out) ? out : undefined;
}

/** Attributes of an array, never part of a variable's name: `x.T` is a transpose, not a number of the user's. */
export const ARRAY_ATTRIBUTES: ReadonlySet<string> = new Set(['T', 'mT', 'H', 'mH', 'shape', 'ndim', 'size', 'dtype', 'real', 'imag', 'flat', 'grad', 'device', 'data']);

/**
 * The names of `shapes` that the selection only reads as single entries, indexed once per axis
 * (`X[i, 0]` or `X[i][0]` of a matrix, `v[2]` of a vector): those are scalars of the selection, not
 * arrays. A name also read whole, or with fewer indices than axes (`X[0]` of a matrix is a row),
 * is not one of them. Python text; strings and comments are not looked into.
 */
export function indexedOnly(text: string, shapes: ReadonlyMap<string, readonly unknown[]>): Set<string> {
  const out = new Set<string>();
  const code = text
    .split(/\r\n|\r|\n/)
    .map((l) => (pythonCommentStart(l) < 0 ? l : l.slice(0, pythonCommentStart(l))))
    .join('\n');
  for (const [name, shape] of shapes) {
    if (shape.length === 0) continue;
    const uses = [...code.matchAll(new RegExp(`(?<![\\w.'"])${name.replace(/[^\w]/g, '')}\\b((?:\\s*\\[[^\\[\\]\\n]*\\])*)`, 'g'))];
    if (!uses.length) continue;
    const full = uses.every((m) => {
      const groups = m[1]!.match(/\[[^[\]]*\]/g) ?? [];
      const indices = groups.flatMap((g) => g.slice(1, -1).split(','));
      return groups.length > 0 && indices.length === shape.length && indices.every((x) => x.trim() !== '' && !x.includes(':'));
    });
    if (full) out.add(name);
  }
  return out;
}

/** A subscripted variable (`p["w1"]`, `X[i, 0]`, `self.w`): one scalar named by its normal form. */
export function subscriptedVariable(name: string, at: Span): Expr {
  if (!SUBSCRIPTED_NAME.test(name)) fail(`"${name}" cannot be used as a variable name`, at.offset, at.length);
  return { kind: 'sym', name };
}

/** Replace variables by their definitions; iterative and sharing-aware (the tree may be a DAG). */
export function substitute(e: Expr, env: ReadonlyMap<string, Expr>): Expr {
  if (env.size === 0) return e;
  const memo = new Map<Expr, Expr>();
  const stack: [Expr, boolean][] = [[e, false]];
  while (stack.length) {
    const [x, expanded] = stack.pop()!;
    if (memo.has(x)) continue;
    if (x.kind === 'sym') {
      memo.set(x, env.get(x.name) ?? x);
      continue;
    }
    const kids = children(x);
    if (kids.length === 0) {
      memo.set(x, x);
      continue;
    }
    if (!expanded) {
      stack.push([x, true]);
      for (const k of kids) if (!memo.has(k)) stack.push([k, false]);
      continue;
    }
    const next = kids.map((k) => memo.get(k)!);
    memo.set(x, next.every((k, i) => k === kids[i]) ? x : withChildren(x, next));
  }
  return memo.get(e)!;
}

/** One statement of a forward pass. */
export type Statement =
  | { kind: 'assign'; name: string; expr: Expr; at: Span }
  | { kind: 'return'; expr: Expr; at: Span }
  | { kind: 'expr'; expr: Expr; at: Span };

/**
 * Turn a forward pass into the result: the last assignment's (or return's, or
 * bare expression's) value with earlier assignments substituted in.
 * `assignments` lists every assignment in order, before substitution.
 */
export function buildResult(statements: readonly Statement[]): Parsed {
  const last = statements[statements.length - 1];
  if (!last) fail('no expression found in the selection', 0, 0);
  for (let i = 0; i < statements.length - 1; i++) {
    const s = statements[i]!;
    if (s.kind === 'expr') {
      fail('this expression has no effect: only the last statement can be a bare expression', s.at.offset, s.at.length);
    }
    if (s.kind === 'return') {
      const after = statements[i + 1]!;
      fail('code after "return" is not supported', after.at.offset, after.at.length);
    }
  }
  const env = new Map<string, Expr>();
  const assignments: { name: string; expr: Expr }[] = [];
  for (const s of statements) {
    if (s.kind !== 'assign') continue;
    assignments.push({ name: s.name, expr: s.expr });
    env.set(s.name, substitute(s.expr, env));
  }
  const out: Parsed = { expr: last.kind === 'assign' ? env.get(last.name)! : substitute(last.expr, env) };
  if (last.kind === 'assign') out.target = last.name;
  else if (last.kind === 'return' && last.expr.kind === 'sym') out.target = last.expr.name;
  if (assignments.length) out.assignments = assignments;
  return out;
}

/** Apply an augmented assignment operator: `x += e` → x + e. */
export function augmented(op: { text: string; src: string; offset: number; length: number }, current: Expr, rhs: Expr): Expr {
  switch (op.text) {
    case '+=':
      return add(current, rhs);
    case '-=':
      return add(current, negate(rhs));
    case '*=':
      return mul(current, rhs);
    case '/=':
      return mul(current, pow(rhs, NEG_ONE));
    case '**=':
      return pow(current, rhs);
    case '@=':
      fail('matrix product is not supported here', op.offset, op.length);
    // falls through (fail never returns)
    default:
      fail(`"${op.src}" is not supported`, op.offset, op.length);
  }
}

/** Index of the `#` that starts a Python comment on this line (outside a string literal), or -1. */
export function pythonCommentStart(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return i;
  }
  return -1;
}
