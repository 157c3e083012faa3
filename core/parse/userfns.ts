/**
 * The user's own functions, by their bodies and never by their names.
 *
 * `def sigmoid(x): return 1/(1+np.exp(-x))` (or a straight-line body:
 * assignments, then `return`), and `relu = lambda z: np.maximum(0, z)`,
 * found in the selection or in the document around it. A call to one is
 * replaced by its body with the arguments substituted (inline expansion), so
 * a `def sigmoid(x): return np.tanh(x)` is differentiated as tanh, never as
 * the catalogue's σ; the recognizer (core/recognize.ts) names σ only when the
 * body IS the sigmoid. With no definition, a bare `sigmoid(x)` keeps the
 * catalogue's meaning.
 *
 * This module only finds definitions (line by line, by indentation, without
 * running anything); ./python.ts parses and expands their bodies. A body that
 * is not straight-line (a loop, a branch, a nested function) is recorded with
 * its reason and line, and a call to it is refused with that reason rather
 * than guessed.
 */
import { pythonCommentStart } from './common';

export interface UserParam {
  name: string;
  /** The default value's source text (`a=0.01`). */
  default?: string;
}

export interface UserFunction {
  name: string;
  params: UserParam[];
  /** The body's source: statements ending with `return` (a lambda's body is written `return …`). */
  body: string;
  /** 1-based line of the `def` (or the lambda's assignment) in the text it was found in. */
  line: number;
  /** Offsets [from, to) of the whole definition (header and body) in that text. */
  from: number;
  to: number;
  /** Why a call cannot be expanded: "is defined with a loop at line 12". */
  problem?: string;
}

/** Most definitions read from one text. */
const MAX_DEFINITIONS = 2000;
/** Longest header (`def f(\n  a,\n  b):`) in lines. */
const MAX_HEADER_LINES = 20;

const DEF_RE = /^(\s*)(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(/;
const LAMBDA_RE = /^(\s*)([A-Za-z_]\w*)\s*=\s*lambda\b([^:]*):(.+)$/;
const CONSTRUCTS: readonly [RegExp, string][] = [
  [/^(?:for|while|async\s+for)\b/, 'a loop'],
  [/^(?:if|elif|else|match|try|except|finally)\b/, 'a branch'],
  [/^with\b/, 'a "with" block'],
  [/^(?:def|async\s+def|class|lambda)\b/, 'a nested function'],
  [/^(?:yield|raise|global|nonlocal|del)\b/, 'a statement MathLens does not expand'],
];

function indentOf(line: string): number {
  return /^\s*/.exec(line)![0].replace(/\t/g, '        ').length;
}

function blank(line: string): boolean {
  const at = pythonCommentStart(line);
  return (at < 0 ? line : line.slice(0, at)).trim() === '';
}

/** Split a parameter list at top-level commas. */
function splitParams(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** Parameters, or a reason they cannot be bound by position and keyword. */
function readParams(text: string): { params: UserParam[]; problem?: string } {
  const params: UserParam[] = [];
  for (const part of splitParams(text)) {
    if (part === '/' || part === '*') continue;
    if (part.startsWith('*')) return { params, problem: `takes "${part}"` };
    const m = /^([A-Za-z_]\w*)\s*(?::[^=]*)?(?:=\s*([\s\S]+))?$/.exec(part);
    if (!m) return { params, problem: `has a parameter MathLens cannot read ("${part}")` };
    params.push(m[2] !== undefined ? { name: m[1]!, default: m[2].trim() } : { name: m[1]! });
  }
  return { params };
}

/**
 * Every `def` and `name = lambda …` of a Python text, by name. A name defined twice with different
 * bodies is recorded with that problem: which one runs depends on the order of execution.
 */
export function findDefinitions(text: string, all?: UserFunction[]): Map<string, UserFunction> {
  const found = new Map<string, UserFunction>();
  if (!/\bdef\b|\blambda\b/.test(text)) return found;
  const lines = text.split('\n');
  const starts: number[] = [];
  let off = 0;
  for (const l of lines) {
    starts.push(off);
    off += l.length + 1;
  }
  const record = (fn: UserFunction): void => {
    all?.push(fn);
    const prev = found.get(fn.name);
    if (prev && prev.body.trim() !== fn.body.trim()) {
      found.set(fn.name, { ...fn, problem: `is defined more than once (lines ${prev.line} and ${fn.line}), so which one runs depends on the order of execution` });
    } else if (!prev) found.set(fn.name, fn);
  };
  let count = 0;
  for (let i = 0; i < lines.length && count < MAX_DEFINITIONS; i++) {
    const line = lines[i]!;
    const lam = LAMBDA_RE.exec(line);
    if (lam && !/^\s*(?:def|class)\b/.test(line)) {
      count++;
      const { params, problem } = readParams(lam[3]!);
      const fn: UserFunction = { name: lam[2]!, params, body: `return ${lam[4]!.trim()}`, line: i + 1, from: starts[i]!, to: starts[i]! + line.length };
      if (problem) fn.problem = problem;
      record(fn);
      continue;
    }
    const m = DEF_RE.exec(line);
    if (!m) continue;
    count++;
    const indent = indentOf(line);
    // The header, through the ":" that ends it (it may span lines).
    let header = line.slice(m[0].length);
    let j = i;
    let close: number;
    for (;;) {
      let depth = 1;
      close = -1;
      for (let k = 0; k < header.length; k++) {
        const c = header[k];
        if (c === '(' || c === '[' || c === '{') depth++;
        else if (c === ')' || c === ']' || c === '}') {
          depth--;
          if (depth === 0) {
            close = k;
            break;
          }
        }
      }
      if (close >= 0 || j + 1 >= lines.length || j - i >= MAX_HEADER_LINES) break;
      j++;
      header += `\n${lines[j]!}`;
    }
    if (close < 0) continue;
    const after = header.slice(close + 1);
    const colon = /^\s*(?:->[^:]*)?:/.exec(after);
    if (!colon) continue;
    const { params, problem } = readParams(header.slice(0, close));
    const inline = after.slice(colon[0].length);
    const inlineCode = (pythonCommentStart(inline) < 0 ? inline : inline.slice(0, pythonCommentStart(inline))).trim();
    let body: string;
    let end = j;
    let bodyProblem: string | undefined;
    if (inlineCode !== '') {
      body = inlineCode.replace(/;/g, '\n');
    } else {
      const bodyLines: string[] = [];
      for (let k = j + 1; k < lines.length; k++) {
        const l = lines[k]!;
        if (blank(l)) {
          bodyLines.push('');
          continue;
        }
        if (indentOf(l) <= indent) break;
        end = k;
        bodyLines.push(l);
        const code = l.trim();
        if (bodyProblem === undefined) {
          for (const [re, what] of CONSTRUCTS) {
            if (re.test(code)) {
              bodyProblem = `is defined with ${what} at line ${k + 1}`;
              break;
            }
          }
        }
      }
      body = bodyLines.slice(0, end - j).join('\n');
    }
    const fn: UserFunction = { name: m[2]!, params, body, line: i + 1, from: starts[i]!, to: starts[end]! + lines[end]!.length };
    const why = problem ?? bodyProblem;
    if (why) fn.problem = why;
    // A method (`def forward(self, x)`) is not called by its bare name.
    if (params[0]?.name === 'self' || params[0]?.name === 'cls') continue;
    record(fn);
    i = Math.max(i, j);
  }
  return found;
}

/**
 * The functions defined in several texts, later texts first in precedence order reversed: the texts are
 * given from the least to the most specific (imported workspace modules, then the document), and a later
 * text's definition of a name replaces an earlier one's, as Python's later binding does.
 */
export function findDefinitionsIn(texts: string | readonly string[] | undefined): Map<string, UserFunction> {
  if (texts === undefined) return new Map();
  const list = typeof texts === 'string' ? [texts] : texts;
  const out = new Map<string, UserFunction>();
  for (const t of list) for (const [name, f] of findDefinitions(t)) out.set(name, f);
  return out;
}

