/**
 * Selection parsers: Python (NumPy/PyTorch), JavaScript (Math.*), plain math
 * and LaTeX, all onto the canonical expression tree of ../expr.ts.
 *
 * Every parser is hand-written (tokenizer + Pratt / recursive descent, no
 * parser generator) so that each error carries the exact UTF-16 offset and
 * length of the offending token. Python, JavaScript and plain math share one
 * tokenizer (./lexer.ts) and one Pratt core (./pratt.ts) driven by
 * per-language tables; LaTeX has its own (./latex.ts).
 */
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH, ParseError, tooDeepMessage } from './common';
import { parseJavaScript } from './javascript';
import { parseLatex } from './latex';
import { parseMath } from './math';
import { parsePython } from './python';
import type { Lang, ParseOptions, ParseResult, SourceError } from './types';

export type { Lang, ParseOptions, ParseResult, Parsed, SourceError } from './types';

function failure(text: string, message: string, offset: number, length: number): ParseResult {
  const o = Math.min(Math.max(0, offset), text.length);
  const error: SourceError = { message, offset: o, length: Math.max(0, Math.min(length, text.length - o)) };
  return { ok: false, error };
}

/**
 * Parse a selection. Never throws: every problem, including an internal
 * error, becomes `{ ok: false, error }` located in `text`.
 */
export function parse(text: string, lang: Lang, options?: ParseOptions): ParseResult {
  const maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxLength = options?.maxLength ?? DEFAULT_MAX_LENGTH;
  try {
    if (typeof text !== 'string') return failure('', 'the selection is not text', 0, 0);
    if (text.length > maxLength) {
      return failure(
        text,
        `selection is too long (${text.length} characters; the limit is ${maxLength})`,
        maxLength,
        text.length - maxLength,
      );
    }
    if (text.trim() === '') return failure(text, 'empty selection', 0, 0);
    switch (lang) {
      case 'python':
        return { ok: true, value: parsePython(text, maxDepth, options?.definitions) };
      case 'javascript':
        return { ok: true, value: parseJavaScript(text, maxDepth) };
      case 'latex':
        return { ok: true, value: parseLatex(text, maxDepth) };
      case 'math':
        return { ok: true, value: parseMath(text, maxDepth) };
      default:
        return failure(text, `unknown language "${String(lang)}"`, 0, 0);
    }
  } catch (err) {
    if (err instanceof ParseError) return failure(text, err.message, err.offset, err.length);
    if (err instanceof RangeError) return failure(text, tooDeepMessage(maxDepth), 0, 0);
    const msg = err instanceof Error ? err.message : String(err);
    return failure(text, `internal error: ${msg}`, 0, 0);
  }
}

/** The parser to use for a VS Code document language id. */
export function languageForDocument(languageId: string): Lang {
  switch (languageId) {
    case 'python':
    case 'jupyter':
      return 'python';
    case 'javascript':
    case 'typescript':
    case 'javascriptreact':
    case 'typescriptreact':
      return 'javascript';
    case 'latex':
    case 'tex':
    case 'markdown':
      return 'latex';
    default:
      return 'math';
  }
}
