/**
 * Python selections: NumPy / PyTorch / math / scipy.special / JAX spellings,
 * and multi-line forward passes (assignments, `def` headers, `return`,
 * `lambda`). Hand-written on the shared Pratt core (./pratt.ts) so errors
 * carry exact offsets.
 */
import { int } from '../expr';
import { augmented, buildResult, fail, ParseError, substitute, variable } from './common';
import type { Span, Statement } from './common';
import type { Expr } from '../expr';
import type { Token } from './lexer';
import { findDefinitions, findDefinitionsIn } from './userfns';
import type { UserFunction } from './userfns';
import { PYTHON_CONSTANTS, PYTHON_FUNCTIONS, PYTHON_METHODS, PYTHON_MODULES } from './functions';
import { ExprParser } from './pratt';
import type { Dialect } from './pratt';
import type { Parsed } from './types';

const KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield'
  ).split(' '),
);

export const PYTHON: Dialect = {
  lang: 'python',
  lex: {
    ops: [
      '**=', '//=', '>>=', '<<=', '**', '//', '==', '!=', '<=', '>=', '+=', '-=', '*=', '/=', '%=', '@=', '->', ':=',
      '+', '-', '*', '/', '%', '@', '<', '>', '=', '(', ')', '[', ']', '{', '}', ',', ';', '.', ':', '~', '&', '|', '^',
    ],
    lineComment: '#',
    newlineTokens: true,
    backslashContinuation: true,
    strings: true,
    programmingNumbers: true,
  },
  powerOps: ['**'],
  implicitMul: false,
  absBars: false,
  groupBrackets: false,
  unaryPowIsError: false,
  ternary: 'python',
  cmpOps: { '<': '<', '<=': '<=', '>': '>', '>=': '>=', '==': '==', '!=': '!=' },
  functions: PYTHON_FUNCTIONS,
  methods: PYTHON_METHODS,
  caseInsensitiveFunctions: false,
  modules: PYTHON_MODULES,
  memberConstants: PYTHON_CONSTANTS,
  bareConstants: {},
  selfNames: ['self'],
  subscriptedNames: true,
  keywords: KEYWORDS,
  literalKeywords: { True: int(1), False: int(0) },
  kwargs: true,
  bareFunctionArgs: false,
  eToExp: false,
  condOps: { '&': { op: 'and', bracketed: true }, '|': { op: 'or', bracketed: true }, and: { op: 'and', bracketed: false }, or: { op: 'or', bracketed: false } },
  boolOps: ['not'],
};

const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '**=', '@=', '//=', '%=', '>>=', '<<=', ':=']);
const UNSUPPORTED_STATEMENTS = new Set(
  'class if elif else for while with try except finally raise assert global nonlocal del yield await break continue'.split(' '),
);

function atStatementEnd(p: ExprParser): boolean {
  const t = p.peek();
  return t.kind === 'nl' || t.kind === 'eof' || p.isOp(t, ';');
}

function endStatement(p: ExprParser): void {
  if (!atStatementEnd(p)) p.unexpected(p.peek());
}

function skipLine(p: ExprParser): void {
  while (!atStatementEnd(p)) p.next();
}


/**
 * Find a top-level assignment operator in the statement starting at the
 * cursor: its token index, or -1.
 */
function findAssign(p: ExprParser): number {
  let depth = 0;
  for (let i = p.pos; i < p.toks.length; i++) {
    const t = p.toks[i]!;
    if (t.kind === 'eof' || (depth === 0 && (t.kind === 'nl' || p.isOp(t, ';')))) return -1;
    if (t.kind !== 'op') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
    else if (depth === 0 && ASSIGN_OPS.has(t.text)) return i;
  }
  return -1;
}

/**
 * Parse a Python selection. `definitions` is the document around it: calls of functions it (or the
 * selection) defines are expanded through their bodies (./userfns.ts).
 */
export function parsePython(text: string, maxDepth: number, definitions?: string | readonly string[]): Parsed {
  const p = new ExprParser(text, PYTHON, maxDepth);
  if (p.peek().kind === 'eof') fail('empty selection', 0, 0);
  const own: UserFunction[] = [];
  const fns = new Map([...findDefinitionsIn(definitions), ...findDefinitions(text, own)]);
  if (fns.size) new Expander(fns, maxDepth).attach(p);
  // A `def` followed by more code in the selection only defines a function: skip it.
  const lastCode = text.trimEnd().length;
  const skip = own.filter((f) => f.to < lastCode && text.slice(f.to, lastCode).trim() !== '');
  return buildResult(parseStatements(p, text, skip));
}

function parseStatements(p: ExprParser, text: string, skip: readonly UserFunction[] = []): Statement[] {
  const statements: Statement[] = [];
  for (;;) {
    while (p.peek().kind === 'nl' || p.isOp(p.peek(), ';')) p.next();
    const t = p.peek();
    if (t.kind === 'eof') break;
    if (t.kind === 'name') {
      if (t.text === 'async' && p.isName(p.peek(1), 'def')) p.next();
      const k = p.peek();
      const defined = k.text === 'def' ? skip.find((f) => f.from <= k.offset && k.offset < f.to) : undefined;
      if (defined) {
        while (p.peek().kind !== 'eof' && p.peek().offset < defined.to) p.next();
        continue;
      }
      if (k.text === 'def') {
        // `def f(x, y) -> float:` — the header only introduces names; skip it.
        let depth = 0;
        for (;;) {
          const u = p.next();
          if (u.kind === 'eof' || (u.kind === 'nl' && depth === 0)) {
            fail('expected ":" to end the "def" header', u.offset, u.length);
          }
          if (u.kind !== 'op') continue;
          if (u.text === '(' || u.text === '[') depth++;
          else if (u.text === ')' || u.text === ']') depth--;
          else if (u.text === ':' && depth === 0) break;
        }
        continue;
      }
      if (k.text === 'import' || k.text === 'from') {
        skipLine(p);
        continue;
      }
      if (k.text === 'pass') {
        p.next();
        endStatement(p);
        continue;
      }
      if (k.text === 'return') {
        p.next();
        if (atStatementEnd(p)) fail('"return" needs a value', k.offset, k.length);
        const expr = p.parseTest();
        statements.push({ kind: 'return', expr, at: { offset: k.offset, length: p.prevEnd() - k.offset } });
        endStatement(p);
        continue;
      }
      if (UNSUPPORTED_STATEMENTS.has(k.text)) fail(`"${k.text}" statements are not supported`, k.offset, k.length);
    }
    if (p.isOp(t, '@')) {
      skipLine(p); // a decorator
      continue;
    }
    if (t.kind === 'str' && atStatementEndAfter(p)) {
      p.next(); // a docstring
      continue;
    }
    const eq = findAssign(p);
    if (eq >= 0) {
      const first = p.toks[p.pos]!;
      const opTok = p.toks[eq]!;
      const lhsEnd = eq > p.pos ? p.toks[eq - 1]! : first;
      const lhsSpan = { offset: first.offset, length: lhsEnd.offset + lhsEnd.length - first.offset };
      const simple = first.kind === 'name' && !KEYWORDS.has(first.text);
      const annotated = simple && p.isOp(p.toks[p.pos + 1]!, ':') && opTok.text === '=';
      if (eq === p.pos) p.unexpected(opTok);
      if (!(simple && (eq === p.pos + 1 || annotated))) {
        const lhs = text.slice(lhsSpan.offset, lhsSpan.offset + lhsSpan.length);
        const tuple = p.toks.slice(p.pos, eq).some((u) => p.isOp(u, ','));
        fail(
          tuple ? 'tuple assignment is not supported' : `cannot assign to "${lhs}": only plain names can be assigned`,
          lhsSpan.offset,
          lhsSpan.length,
        );
      }
      if (opTok.text === ':=') fail('":=" is not supported', opTok.offset, opTok.length);
      const target = variable(first.text, first);
      p.pos = eq + 1;
      if (atStatementEnd(p)) p.unexpected(p.peek());
      const rhs = p.parseTest();
      const expr = opTok.text === '=' ? rhs : augmented(opTok, target, rhs);
      statements.push({ kind: 'assign', name: first.text, expr, at: { offset: first.offset, length: p.prevEnd() - first.offset } });
      endStatement(p);
      continue;
    }
    const expr = p.parseTest();
    statements.push({ kind: 'expr', expr, at: { offset: t.offset, length: p.prevEnd() - t.offset } });
    endStatement(p);
  }
  return statements;
}

/** Most expansions of user functions in one selection (each call of each function counts). */
const MAX_EXPANSIONS = 500;

/** An error about a user function, reported at the outermost call in the selection. */
class ExpansionError extends ParseError {}

/** Expands calls of the user's functions through their bodies (inline expansion). */
class Expander {
  private readonly bodies = new Map<string, Expr>();
  private readonly active: string[] = [];
  private expansions = 0;

  constructor(
    private readonly fns: ReadonlyMap<string, UserFunction>,
    private readonly maxDepth: number,
  ) {}

  attach(p: ExprParser): void {
    p.userCall = (q, name, span) => this.call(q, name, span);
  }

  private call(p: ExprParser, nameTok: Token, span: Span): Expr | undefined {
    const fn = this.fns.get(nameTok.text);
    if (!fn || !p.isOp(p.peek(), '(')) return undefined;
    const where = `${fn.name} (line ${fn.line})`;
    if (fn.problem) throw new ExpansionError(`${fn.name} ${fn.problem}: select its body's expression instead`, span.offset, span.length);
    if (this.active.includes(fn.name)) {
      throw new ExpansionError(`${fn.name} calls itself (${[...this.active, fn.name].join(' → ')}): a recursive function cannot be expanded; select its body's expression instead`, span.offset, span.length);
    }
    if (++this.expansions > MAX_EXPANSIONS) {
      throw new ExpansionError(`more than ${MAX_EXPANSIONS} calls of your own functions to expand: select a smaller part of the computation`, span.offset, span.length);
    }
    const args = p.parseArgs(p.next());
    const env = new Map<string, Expr>();
    let positional = 0;
    for (const a of args) {
      const param = a.name === undefined ? fn.params[positional++] : fn.params.find((q) => q.name === a.name);
      if (!param) {
        fail(a.name === undefined ? `${where} takes ${fn.params.length} argument${fn.params.length === 1 ? '' : 's'}` : `${where} has no parameter "${a.name}"`, a.offset, a.length);
      }
      if (a.value.kind !== 'expr') fail(`the argument "${param.name}" of ${fn.name} must be a number here`, a.offset, a.length);
      env.set(param.name, a.value.expr);
    }
    for (const q of fn.params) {
      if (env.has(q.name)) continue;
      if (q.default === undefined) fail(`${where} needs the argument "${q.name}"`, span.offset, span.length);
      env.set(q.name, this.parseBody(fn, `return ${q.default}`, span));
    }
    let body = this.bodies.get(fn.name);
    if (!body) {
      body = this.parseBody(fn, fn.body, span);
      this.bodies.set(fn.name, body);
    }
    return substitute(body, env);
  }

  /** A body's value: straight-line statements ending with `return`, calls inside expanded too. */
  private parseBody(fn: UserFunction, source: string, span: Span): Expr {
    this.active.push(fn.name);
    try {
      const q = new ExprParser(source, PYTHON, this.maxDepth);
      this.attach(q);
      const statements = parseStatements(q, source);
      const last = statements[statements.length - 1];
      if (!last || last.kind !== 'return') {
        throw new ExpansionError(`${fn.name} (line ${fn.line}) does not end with "return …": select its body's expression instead`, span.offset, span.length);
      }
      return buildResult(statements).expr;
    } catch (err) {
      if (err instanceof ExpansionError) throw new ExpansionError(err.message, span.offset, span.length);
      if (err instanceof ParseError) {
        throw new ExpansionError(`the body of ${fn.name} (line ${fn.line}) cannot be differentiated: ${err.message}`, span.offset, span.length);
      }
      throw err;
    } finally {
      this.active.pop();
    }
  }
}

function atStatementEndAfter(p: ExprParser): boolean {
  const t = p.peek(1);
  return t.kind === 'nl' || t.kind === 'eof' || p.isOp(t, ';');
}
