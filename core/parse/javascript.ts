/**
 * JavaScript / TypeScript selections: `Math.*` spellings, `**`, ternaries,
 * and forward passes written with `const`/`let`/`var`, assignments,
 * `function` or arrow-function headers and `return`. Statements end at `;`,
 * `}` or a line break before a token that cannot continue the expression
 * (automatic semicolon insertion). Hand-written on the shared Pratt core
 * (./pratt.ts) so errors carry exact offsets.
 */
import { int } from '../expr';
import { augmented, buildResult, fail, variable } from './common';
import type { Statement } from './common';
import { JS_CONSTANTS, JS_FUNCTIONS } from './functions';
import type { Token } from './lexer';
import { ExprParser } from './pratt';
import type { Dialect } from './pratt';
import type { Parsed } from './types';

const KEYWORDS = new Set(
  (
    'break case catch class const continue debugger default delete do else export extends finally for function if ' +
    'import in instanceof new return super switch throw try typeof var void while with yield let static enum await ' +
    'async null true false undefined NaN Infinity'
  ).split(' '),
);

export const JAVASCRIPT: Dialect = {
  lang: 'javascript',
  lex: {
    ops: [
      '===', '!==', '**=', '>>>', '...', '**', '=>', '==', '!=', '<=', '>=', '+=', '-=', '*=', '/=', '%=', '&&', '||',
      '??', '++', '--', '<<', '>>', '+', '-', '*', '/', '%', '<', '>', '=', '(', ')', '[', ']', '{', '}', ',', ';', '.',
      '?', ':', '!', '&', '|', '^', '~',
    ],
    lineComment: '//',
    blockComments: true,
    programmingNumbers: true,
    dollarNames: true,
  },
  powerOps: ['**'],
  implicitMul: false,
  absBars: false,
  groupBrackets: false,
  unaryPowIsError: true,
  ternary: 'js',
  cmpOps: { '<': '<', '<=': '<=', '>': '>', '>=': '>=', '==': '==', '===': '==', '!=': '!=', '!==': '!=' },
  functions: JS_FUNCTIONS,
  methods: null,
  caseInsensitiveFunctions: false,
  modules: ['Math'],
  memberConstants: JS_CONSTANTS,
  bareConstants: {},
  selfNames: ['this'],
  keywords: KEYWORDS,
  literalKeywords: { true: int(1), false: int(0) },
  kwargs: false,
  bareFunctionArgs: false,
  eToExp: false,
  condOps: { '&&': { op: 'and', bracketed: false }, '||': { op: 'or', bracketed: false } },
  boolOps: ['??'],
};

const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '**=', '%=']);
const UNSUPPORTED_STATEMENTS = new Set('if else for while do switch try catch finally class throw break continue'.split(' '));

/** Does the statement end before token `t` (index `i`)? */
function endsBefore(p: ExprParser, t: Token, first: boolean): boolean {
  return t.kind === 'eof' || p.isOp(t, ';') || p.isOp(t, '}') || (!first && t.nlBefore);
}

function endStatement(p: ExprParser): void {
  if (!endsBefore(p, p.peek(), false)) p.unexpected(p.peek());
}

/** Index of a top-level assignment operator in the current statement, or -1. */
function findAssign(p: ExprParser): number {
  let depth = 0;
  for (let i = p.pos; i < p.toks.length; i++) {
    const t = p.toks[i]!;
    if (depth === 0 && endsBefore(p, t, i === p.pos)) return -1;
    if (t.kind !== 'op') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
    else if (depth === 0 && t.text === '=>') return -1;
    else if (depth === 0 && ASSIGN_OPS.has(t.text)) return i;
  }
  return -1;
}

/**
 * At the right-hand side of a declaration: is this a function header whose
 * body follows in braces (`(x) => {`, `x => {`, `function (x) {`)? If so,
 * skip past the `{` and return true.
 */
function skipFunctionHeader(p: ExprParser): boolean {
  let i = p.pos;
  if (p.isName(p.toks[i]!, 'async')) i++;
  const t = p.toks[i]!;
  let arrow = -1;
  if (p.isName(t, 'function')) {
    for (let j = i; j < p.toks.length; j++) {
      const u = p.toks[j]!;
      if (u.kind === 'eof') return false;
      if (p.isOp(u, '{')) {
        p.pos = j + 1;
        return true;
      }
    }
    return false;
  }
  if (p.isOp(t, '(')) arrow = p.arrowIndex(i);
  else if (t.kind === 'name' && p.isOp(p.toks[i + 1]!, '=>')) arrow = i + 1;
  if (arrow >= 0 && p.isOp(p.toks[arrow + 1]!, '{')) {
    p.pos = arrow + 2;
    return true;
  }
  return false;
}


export function parseJavaScript(text: string, maxDepth: number): Parsed {
  const p = new ExprParser(text, JAVASCRIPT, maxDepth);
  if (p.peek().kind === 'eof') fail('empty selection', 0, 0);
  const statements: Statement[] = [];

  const assignment = (nameTok: Token, opTok: Token): void => {
    const target = variable(nameTok.text, nameTok);
    if (endsBefore(p, p.peek(), false)) p.unexpected(p.peek());
    const rhs = p.parseTest();
    const expr = opTok.text === '=' ? rhs : augmented(opTok, target, rhs);
    statements.push({
      kind: 'assign',
      name: nameTok.text,
      expr,
      at: { offset: nameTok.offset, length: p.prevEnd() - nameTok.offset },
    });
  };

  for (;;) {
    while (p.isOp(p.peek(), ';') || p.isOp(p.peek(), '}')) p.next();
    const t = p.peek();
    if (t.kind === 'eof') break;
    if (t.kind === 'name') {
      if (t.text === 'export') {
        p.next();
        if (p.isName(p.peek(), 'default')) p.next();
        continue;
      }
      if (t.text === 'import') {
        p.next();
        while (!endsBefore(p, p.peek(), false)) p.next();
        continue;
      }
      if (t.text === 'function' || (t.text === 'async' && p.isName(p.peek(1), 'function'))) {
        if (!skipFunctionHeader(p)) fail('expected "{" after the function header', t.offset, t.length);
        continue;
      }
      if (t.text === 'return') {
        p.next();
        if (endsBefore(p, p.peek(), false)) fail('"return" needs a value', t.offset, t.length);
        const expr = p.parseTest();
        statements.push({ kind: 'return', expr, at: { offset: t.offset, length: p.prevEnd() - t.offset } });
        endStatement(p);
        continue;
      }
      if (t.text === 'const' || t.text === 'let' || t.text === 'var') {
        p.next();
        for (;;) {
          const name = p.next();
          if (name.kind !== 'name' || KEYWORDS.has(name.text)) p.unexpected(name);
          if (p.isOp(p.peek(), ':')) {
            // TypeScript type annotation: skip to the `=`.
            while (!p.isOp(p.peek(), '=') && !endsBefore(p, p.peek(), false)) p.next();
          }
          const eq = p.expect('=', `after "${name.text}"`);
          if (skipFunctionHeader(p)) break;
          assignment(name, eq);
          if (!p.isOp(p.peek(), ',')) {
            endStatement(p);
            break;
          }
          p.next();
        }
        continue;
      }
      if (UNSUPPORTED_STATEMENTS.has(t.text)) fail(`"${t.text}" statements are not supported`, t.offset, t.length);
    }
    const eq = findAssign(p);
    if (eq >= 0) {
      const opTok = p.toks[eq]!;
      if (eq === p.pos) p.unexpected(opTok);
      if (!(eq === p.pos + 1 && t.kind === 'name' && !KEYWORDS.has(t.text))) {
        const end = p.toks[eq - 1]!;
        const length = end.offset + end.length - t.offset;
        fail(
          `cannot assign to "${text.slice(t.offset, t.offset + length)}": only plain names can be assigned`,
          t.offset,
          length,
        );
      }
      p.pos = eq + 1;
      if (opTok.text === '=' && skipFunctionHeader(p)) continue;
      assignment(t, opTok);
      endStatement(p);
      continue;
    }
    const expr = p.parseTest();
    statements.push({ kind: 'expr', expr, at: { offset: t.offset, length: p.prevEnd() - t.offset } });
    endStatement(p);
  }
  return buildResult(statements);
}
