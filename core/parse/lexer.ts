/**
 * The tokenizer shared by the Python, JavaScript and plain-math parsers,
 * configured per language (operators, comments, strings, newlines, name
 * characters). Hand-written so every token knows its exact UTF-16 offset.
 */
import { fail } from './common';

export type TokenKind = 'num' | 'name' | 'op' | 'str' | 'nl' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Normalized text (`×` becomes `*`); for strings, the contents between the quotes. */
  text: string;
  /** The text exactly as written, for messages. */
  src: string;
  offset: number;
  length: number;
  /** A line break separates this token from the previous one (JavaScript's automatic semicolons). */
  nlBefore: boolean;
}

export interface LexConfig {
  /** Operators and punctuation; matched longest first. */
  ops: readonly string[];
  lineComment?: string;
  blockComments?: boolean;
  /** Emit `nl` tokens for line breaks outside brackets (Python). */
  newlineTokens?: boolean;
  /** A backslash at the end of a line joins it to the next (Python). */
  backslashContinuation?: boolean;
  /** Quoted strings, single, double and triple (Python keyword values such as approximate='none'). */
  strings?: boolean;
  /** 0x…, 0b…, 0o… integers and `_` separators in numbers. */
  programmingNumbers?: boolean;
  /** Plain math: names are ASCII words (with digits, `_`, primes); a Greek letter is a name of its own. */
  mathNames?: boolean;
  /** `$` may appear in names (JavaScript). */
  dollarNames?: boolean;
  /** Single characters written for operators: `×` for `*`, `−` for `-`, … */
  aliases?: Readonly<Record<string, string>>;
}

const PROG_NAME = /[\p{L}_][\p{L}\p{N}_]*/uy;
const JS_NAME = /[\p{L}_$][\p{L}\p{N}_$]*/uy;
const MATH_NAME = /[A-Za-z_][A-Za-z0-9_']*|[\u0370-\u03ff](?:_[A-Za-z0-9]+|[0-9'])*/y;
const PROG_NUMBER = /0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.(?:\d[\d_]*)?)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?/y;
const MATH_NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const STRING_START = /[rRbBuUfF]{0,2}('''|"""|'|")/y;

function match(re: RegExp, text: string, at: number): string | undefined {
  re.lastIndex = at;
  const m = re.exec(text);
  return m ? m[0] : undefined;
}

export function tokenize(text: string, cfg: LexConfig): Token[] {
  const ops = [...cfg.ops].sort((a, b) => b.length - a.length);
  const out: Token[] = [];
  let i = 0;
  let depth = 0;
  let nlBefore = false;
  const push = (kind: TokenKind, txt: string, src: string, offset: number): void => {
    out.push({ kind, text: txt, src, offset, length: src.length, nlBefore });
    nlBefore = false;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      if (cfg.newlineTokens && depth === 0 && out.length && out[out.length - 1]!.kind !== 'nl') push('nl', '\n', '\n', i);
      nlBefore = true;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0') {
      i++;
      continue;
    }
    if (cfg.backslashContinuation && c === '\\') {
      const m = /\\[ \t]*\r?\n/y;
      m.lastIndex = i;
      if (m.exec(text)) {
        i = m.lastIndex;
        continue;
      }
    }
    if (cfg.lineComment && text.startsWith(cfg.lineComment, i)) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (cfg.blockComments && text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) fail('unterminated comment', i, 2);
      if (text.slice(i, end).includes('\n')) nlBefore = true;
      i = end + 2;
      continue;
    }
    // Numbers (before names and ".").
    const num = match(cfg.programmingNumbers ? PROG_NUMBER : MATH_NUMBER, text, i);
    if (num) {
      push('num', num, num, i);
      i += num.length;
      continue;
    }
    if (cfg.strings) {
      const q = match(STRING_START, text, i);
      if (q) {
        const quote = q.replace(/^[rRbBuUfF]*/, '');
        let j = i + q.length;
        let closed = -1;
        while (j < text.length) {
          if (text[j] === '\\') {
            j += 2;
            continue;
          }
          if (text.startsWith(quote, j)) {
            closed = j;
            break;
          }
          if (text[j] === '\n' && quote.length === 1) break;
          j++;
        }
        if (closed < 0) fail('unterminated string', i, q.length);
        const src = text.slice(i, closed + quote.length);
        push('str', text.slice(i + q.length, closed), src, i);
        i = closed + quote.length;
        continue;
      }
    }
    const name = match(cfg.mathNames ? MATH_NAME : cfg.dollarNames ? JS_NAME : PROG_NAME, text, i);
    if (name) {
      push('name', name, name, i);
      i += name.length;
      continue;
    }
    const alias = cfg.aliases?.[c];
    if (alias !== undefined) {
      push('op', alias, c, i);
      i++;
      continue;
    }
    const op = ops.find((o) => text.startsWith(o, i));
    if (op) {
      if (op === '(' || op === '[' || op === '{') depth++;
      else if ((op === ')' || op === ']' || op === '}') && depth > 0) depth--;
      push('op', op, op, i);
      i += op.length;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    fail(`unexpected character "${ch}" at offset ${i}`, i, ch.length);
  }
  out.push({ kind: 'eof', text: '', src: '', offset: text.length, length: 0, nlBefore });
  return out;
}
