/**
 * One reading of a selection for every command and view: the expression (a forward pass's
 * assignments substituted), its free variables, and whether it is an expression of numbers, with a
 * located reason when it is not. It is the gradient panel's reading: the same parser (core/parse),
 * the same module names (core/ops: `np`, `torch`, `F`, `math` … are never variables) and the same
 * treatment of `np.mean` / `np.sum` / `.mean()` / `.sum()` over names without a declared shape
 * (core/selection sends them to matrix calculus, which reads such names as numbers: the mean or
 * sum of a number is that number). The side view's Plot and Optimize tabs read selections here.
 *
 * Not an expression of numbers, with the reason said: a plotting call (`plt.plot(x, y)`), a
 * pandas call, a string, a module name alone (`np`), a reduction along an axis (an array), array
 * operations (`@`, `.T`, softmax …), a reduction over a name declared as an array in a comment.
 *
 * Never throws.
 */
import { type Expr, freeSymbols } from './expr';
import { isModuleName, MODULE_LIBS } from './ops/index';
import { DATA_MODULES, isModuleNameIn, PLOT_METHOD, PLOT_MODULES } from './modules';

export { isModuleNameIn } from './modules';
import { parse } from './parse/index';
import { pythonCommentStart } from './parse/common';
import type { Lang } from './parse/types';
import { isMatrixSelection, selectionShapes } from './selectionShapes';

export interface ReadingError {
  message: string;
  /** Offset and length of the problem in the selection (0, 0 when it is not located). */
  offset: number;
  length: number;
  /** 'parse': the parser's own error; 'not-numbers': it parsed (or was recognized) but is not an expression of numbers. */
  kind: 'parse' | 'not-numbers';
}

export interface Reading {
  ok: true;
  /** The expression, a forward pass's intermediate assignments substituted in. */
  expr: Expr;
  /** Free variables, sorted as `freeSymbols` sorts them; never a module name. */
  variables: string[];
  /** A forward pass's output name (`loss`). */
  target?: string;
  /** What the reading assumed (reductions of numbers). */
  notes: string[];
}

export type ReadingResult = Reading | { ok: false; error: ReadingError };

/** Reductions read as the gradient panel reads them over numbers. */
const REDUCTIONS = new Set(['mean', 'sum']);
const NUMERIC_LIBS = new Set(['numpy', 'torch']);

/** Read a selection. Never throws. */
export function readSelection(text: string, lang: Lang): ReadingResult {
  try {
    return read(text, lang);
  } catch (err) {
    return notNumbers(`Internal error reading the selection: ${err instanceof Error ? err.message : String(err)}. Please report this selection.`, 0, 0);
  }
}

function read(text: string, lang: Lang): ReadingResult {
  const notes: string[] = [];
  let current = text;
  const stripped: { module: string; name: string; arg: string }[] = [];
  for (let round = 0; round < 200; round++) {
    const parsed = parse(current, lang);
    if (parsed.ok) {
      const variables = freeSymbols(parsed.value.expr);
      const module = variables.find((v) => isModuleNameIn(v, lang));
      if (module !== undefined) return moduleAlone(module, locateName(text, module));
      if (stripped.length) {
        const shaped = arrayNamesIn(text, stripped.map((s) => s.arg));
        if (shaped) {
          const r = stripped[0]!;
          return notNumbers(
            `${shaped.name} is declared as an array of shape ${shaped.shape} in a comment: ${r.module}${r.name}(…) is then a function of an array, not of numbers, and is not plotted. Compute Gradient shows its matrix calculus.`,
            0,
            0,
          );
        }
        const names = [...new Set(stripped.map((s) => `${s.module}${s.name}${s.module === '.' ? '()' : ''}`))];
        notes.push(`${names.join(' and ')} of a number is that number: the names are read as numbers, as Compute Gradient reads them when no shapes are declared.`);
      }
      const reading: Reading = { ok: true, expr: parsed.value.expr, variables, notes };
      if (parsed.value.target) reading.target = parsed.value.target;
      return reading;
    }
    const err = parsed.error;
    if (lang === 'python') {
      const why = diagnosePython(text);
      if (why) return why;
    }
    const named = /^"([\w.]+)" is a module, not a variable$/.exec(err.message);
    if (named) return moduleAlone(named[1]!, err.offset);
    if (lang === 'python') {
      const r = stripReduction(current, err);
      if (r && 'fail' in r) return r.fail;
      if (r) {
        current = r.text;
        stripped.push(r.stripped);
        continue;
      }
      if (isMatrixSelection(current, new Map())) {
        return notNumbers(`${err.message}: the selection uses array operations (a matrix product, a transpose, softmax …), so it is an expression of arrays, not of numbers. Compute Gradient shows its matrix calculus.`, err.offset, err.length);
      }
    }
    if (hasString(text, lang)) return notNumbers(`${err.message}: the selection holds a string, and a string is not a number.`, err.offset, err.length);
    return { ok: false, error: { ...err, kind: 'parse' } };
  }
  return notNumbers('The selection has too many reductions to read.', 0, 0);
}

function moduleAlone(module: string, offset: number): { ok: false; error: ReadingError } {
  return notNumbers(`${module} is the name of a module, not a variable: a module is not a number, so the selection is not read as a function of ${module}.`, offset, module.length);
}

function notNumbers(message: string, offset: number, length: number): { ok: false; error: ReadingError } {
  return { ok: false, error: { message, offset, length, kind: 'not-numbers' } };
}

/** The selection's code with comments removed and string contents blanked (same length, offsets kept). */
function codeOf(text: string): string {
  return text
    .split(/(\r\n|\r|\n)/)
    .map((line, i) => {
      if (i % 2 === 1) return line;
      const at = pythonCommentStart(line);
      const code = at < 0 ? line : line.slice(0, at) + ' '.repeat(line.length - at);
      return code.replace(/(['"])(?:\\.|(?!\1).)*\1/g, (s) => s[0]! + ' '.repeat(s.length - 2) + s[0]!);
    })
    .join('');
}

function hasString(text: string, lang: Lang): boolean {
  if (lang === 'latex') return false;
  const code = lang === 'python' ? codeOf(text) : text;
  return /(['"`])(?:\\.|(?!\1).)*\1/.test(code);
}

function locateName(text: string, name: string): number {
  const code = codeOf(text);
  const m = new RegExp(`(?<![\\w.])${name.replace(/\./g, '\\.')}(?!\\w)`).exec(code);
  return m ? m.index : 0;
}

/**
 * Why a selection is no computation at all (a plotting or pandas call), for every engine's message: the
 * gradient, matrix calculus and the backprop graph say this instead of "unknown method .plot()".
 */
export function notAComputation(text: string, lang: Lang): ReadingError | undefined {
  return lang === 'python' ? diagnosePython(text)?.error : undefined;
}

/** A plotting or pandas call, or a call on something else the parser does not know that is clearly not numeric. */
function diagnosePython(text: string): { ok: false; error: ReadingError } | undefined {
  const code = codeOf(text);
  const call = /(?<![\w.])([A-Za-z_]\w*)((?:\s*\.\s*[A-Za-z_]\w*)*)\s*\.\s*([A-Za-z_]\w*)\s*\(/g;
  for (const m of code.matchAll(call)) {
    const root = m[1]!;
    const method = m[3]!;
    const written = `${root}${m[2]!.replace(/\s+/g, '')}.${method}`;
    if ((PLOT_MODULES as readonly string[]).includes(root) || (!isModuleName(root) && PLOT_METHOD.test(method))) {
      return notNumbers(
        `${written}(…) is a plotting call: it draws a figure and has no value of its own, so there is nothing to plot or differentiate. Select the expression that computes the values it draws (the y of plt.plot(x, y)).`,
        m.index,
        m[0].length - 1,
      );
    }
    if ((DATA_MODULES as readonly string[]).includes(root)) {
      return notNumbers(`${written}(…) is a ${root === 'pl' || root === 'polars' ? 'polars' : 'pandas'} call: it works on tables of data, not on numbers, so there is nothing to plot or differentiate.`, m.index, m[0].length - 1);
    }
  }
  return undefined;
}

/** The index just past the bracket that closes the one at `open` (strings skipped), or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Top-level comma-separated arguments of the call whose brackets are text[open] … text[close − 1]. */
function argumentsOf(text: string, open: number, close: number): string[] {
  const inner = text.slice(open + 1, close - 1);
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  out.push(inner.slice(start));
  return out.map((a) => a.trim()).filter((a, i, all) => a !== '' || (i < all.length - 1));
}

/** Keyword arguments that do not change the value of a reduction of a number. */
const HARMLESS_KEYWORDS = /^(?:keepdims|dtype)\s*=/;

type Stripped = { text: string; stripped: { module: string; name: string; arg: string } };

/**
 * `np.mean(e)` / `e.mean()` (and `sum`, NumPy or PyTorch) at the parser's error, blanked out to `(e)` /
 * `e` with spaces so every offset stays where it was. A reduction along an axis is an array: refused.
 */
function stripReduction(text: string, err: { message: string; offset: number; length: number }): Stripped | { fail: { ok: false; error: ReadingError } } | undefined {
  const fn = /^unknown function "(.+)\.(\w+)"$/.exec(err.message);
  const method = /^unknown method "\.(\w+)\(\)"$/.exec(err.message);
  const name = fn ? fn[2]! : method ? method[1]! : undefined;
  if (name === undefined || !REDUCTIONS.has(name)) return undefined;
  const module = fn ? fn[1]! : '';
  if (fn && !(MODULE_LIBS[module] ?? []).some((l) => NUMERIC_LIBS.has(l))) return undefined;
  let open = err.offset + err.length;
  while (open < text.length && /\s/.test(text[open]!)) open++;
  if (text[open] !== '(') return undefined;
  const close = closing(text, open);
  if (close < 0) return undefined;
  const args = argumentsOf(text, open, close);
  const label = fn ? `${module}.${name}` : `.${name}()`;
  const positional = args.filter((a) => !/^\w+\s*=/.test(a));
  const reducing = args.filter((a) => /^\w+\s*=/.test(a) && !HARMLESS_KEYWORDS.test(a));
  const wantPositional = fn ? 1 : 0;
  if (positional.length > wantPositional || reducing.length) {
    const extra = [...positional.slice(wantPositional), ...reducing][0]!;
    return {
      fail: notNumbers(
        `${label} with ${/^(?:axis|dim)\b/.test(extra) || /^-?\d+$/.test(extra) ? `an axis (${extra})` : `the argument ${extra}`} reduces along one axis of an array: its value is an array, not a number, so it is not plotted.`,
        err.offset,
        close - err.offset,
      ),
    };
  }
  if (fn) {
    if (positional.length !== 1) return undefined;
    const blanked = text.slice(0, err.offset) + ' '.repeat(err.length) + text.slice(err.offset, close).slice(err.length).replace(/,\s*(?:keepdims|dtype)\s*=[^,)]*/g, (s) => ' '.repeat(s.length)) + text.slice(close);
    return { text: blanked, stripped: { module: `${module}.`, name, arg: positional[0]! } };
  }
  // a method: blank from the dot before the name to the closing bracket
  let dot = err.offset - 1;
  while (dot >= 0 && /\s/.test(text[dot]!)) dot--;
  if (text[dot] !== '.') return undefined;
  const receiver = receiverText(text, dot);
  const blanked = text.slice(0, dot) + ' '.repeat(close - dot) + text.slice(close);
  return { text: blanked, stripped: { module: '.', name, arg: receiver } };
}

/** The text of the receiver before a method's dot (a name, a call or a bracketed group), for the shape check. */
function receiverText(text: string, dot: number): string {
  let i = dot - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  let depth = 0;
  const end = i + 1;
  for (; i >= 0; i--) {
    const c = text[i]!;
    if (c === ')' || c === ']') depth++;
    else if (c === '(' || c === '[') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && !/[\w.]/.test(c)) break;
  }
  return text.slice(i + 1, end);
}

/** A name of a reduced argument that a comment of the selection declares as an array (vector or matrix). */
function arrayNamesIn(text: string, args: readonly string[]): { name: string; shape: string } | undefined {
  const { origins } = selectionShapes(text);
  const shaped = new Map(origins.filter((o) => o.shape !== '()' && o.shape !== 'scalar').map((o) => [o.name, o.shape]));
  if (shaped.size === 0) return undefined;
  for (const a of args) {
    for (const m of codeOf(a).matchAll(/(?<![\w.])[A-Za-z_]\w*/g)) {
      const shape = shaped.get(m[0]);
      if (shape !== undefined) return { name: m[0], shape };
    }
  }
  return undefined;
}
