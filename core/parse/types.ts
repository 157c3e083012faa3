import type { Expr } from '../expr';

/** The input languages a selection can be written in. */
export type Lang = 'python' | 'javascript' | 'latex' | 'math';
export const LANGS: readonly Lang[] = ['python', 'javascript', 'latex', 'math'];

/** A parse problem, located in the parsed text (0-based UTF-16 offset). */
export interface SourceError {
  message: string;
  offset: number;
  /** Length of the offending span (at least 1 where there is a token, 0 at end of input). */
  length: number;
}

export interface Parsed {
  /** The expression, with a forward pass's intermediate assignments substituted in. */
  expr: Expr;
  /**
   * For a forward pass (`z = w*x + b; a = relu(z); loss = ...`) the name of
   * the output (`loss`), and the intermediates in order, before substitution.
   */
  target?: string;
  assignments?: { name: string; expr: Expr }[];
}

export type ParseResult = { ok: true; value: Parsed } | { ok: false; error: SourceError };

export interface ParseOptions {
  /** Maximum nesting depth before the parser stops with an error (default 200). */
  maxDepth?: number;
  /** Maximum input length in characters (default 20000). */
  maxLength?: number;
  /**
   * Python: the document around the selection (or several texts: imported workspace modules first, then the document; a later text's definition wins). Calls of the functions it defines (`def sigmoid(x):
   * return …`, `relu = lambda z: …`) are expanded through their bodies, never taken by their names.
   */
  definitions?: string | readonly string[];
}
