/**
 * Plain math: `x^2 + 2x`, `2(x+1)`, `(x+1)(x-1)`, `x y`, `2 sin x`, `|x|`,
 * `ln`, `log` (natural), `σ`, `relu`/`ReLU` (the catalogue's plain spellings), `pi`/`π`, `e`, and an
 * optional `y =` or `f(x, y) =` in front. Hand-written on the shared Pratt
 * core (./pratt.ts) so errors carry exact offsets.
 *
 * Names: an ASCII word is ONE variable (`xy` is the variable `xy`, not x·y;
 * write `x y` or `x*y` for the product). A Greek letter is a name of its own
 * (`2πr` is 2·π·r). Digits, `_` and primes may follow a name (`x1`, `w_ij`, `f'`).
 * Implicit multiplication has the same precedence as `*` and is read left to
 * right, so `1/2x` is (1/2)·x. A number never starts an implicit factor (`2 3`
 * is an error). `e^x` becomes exp(x).
 */
import { E, PI } from '../expr';
import { buildResult, fail, variable } from './common';
import { MATH_FUNCTIONS } from './functions';
import { ExprParser } from './pratt';
import type { Dialect } from './pratt';
import type { Parsed } from './types';

export const MATH: Dialect = {
  lang: 'math',
  lex: {
    ops: ['**', '<=', '>=', '==', '!=', '+', '-', '*', '/', '^', '(', ')', '[', ']', '{', '}', ',', '|', '=', '<', '>'],
    mathNames: true,
    aliases: {
      '·': '*',
      '⋅': '*',
      '×': '*',
      '∗': '*',
      '−': '-',
      '–': '-',
      '÷': '/',
      '≤': '<=',
      '≥': '>=',
      '≠': '!=',
      '√': '√',
    },
  },
  powerOps: ['^', '**'],
  implicitMul: true,
  absBars: true,
  groupBrackets: true,
  unaryPowIsError: false,
  ternary: null,
  cmpOps: { '<': '<', '<=': '<=', '>': '>', '>=': '>=', '==': '==', '!=': '!=' },
  functions: MATH_FUNCTIONS,
  methods: null,
  caseInsensitiveFunctions: true,
  modules: [],
  memberConstants: {},
  bareConstants: { pi: PI, π: PI, e: E },
  selfNames: [],
  keywords: new Set(),
  literalKeywords: {},
  kwargs: false,
  bareFunctionArgs: true,
  eToExp: true,
  condOps: {},
  boolOps: [],
};

export function parseMath(text: string, maxDepth: number): Parsed {
  const p = new ExprParser(text, MATH, maxDepth);
  if (p.peek().kind === 'eof') fail('empty selection', 0, 0);
  // Optional `y =` or `f(x, y) =` in front.
  const first = p.peek();
  let target: string | undefined;
  if (first.kind === 'name') {
    let i = 1;
    if (p.isOp(p.peek(1), '(')) {
      const close = p.matchClose(p.pos + 1);
      if (close > 0) i = close - p.pos + 1;
    }
    if (p.isOp(p.peek(i), '=')) {
      variable(first.text, first);
      target = first.text;
      p.pos += i + 1;
    }
  }
  const start = p.peek();
  const expr = p.parseExpr(0);
  const end = p.peek();
  if (end.kind !== 'eof') p.unexpected(end);
  if (target === undefined) return { expr };
  return buildResult([{ kind: 'assign', name: target, expr, at: { offset: start.offset, length: p.prevEnd() - start.offset } }]);
}
