/**
 * Values written in the code above a selected forward pass.
 *
 * A user often selects only `z = w * x + b … loss = …` while `w, x, b = -1.2,
 * 0.5, 0.3` sits a few lines higher. The graph should use those values, as it
 * uses the ones inside the selection. This reads them without running
 * anything, and only where the value is certain at the selection:
 *
 * - a statement at the start of a line (no indentation) binding a name to a
 *   number, a tuple of numbers (`a, b = 1, 2`), or a literal array
 *   (`np.array([[1, 2], [3, 4]])`, `torch.tensor([...], requires_grad=True)`);
 * - the last such binding before the selection wins;
 * - any other assignment to the name before the selection (`w = w - lr * g`,
 *   `w += 1`, an indented one in a loop or a function, a `for w in …`) makes
 *   its value unknown, so it is not used (the engine then seeds a value and
 *   says so).
 */
import type { Numeric } from './tensor';
import { normalizeVariableName, pythonCommentStart } from '../parse/common';

const NAME = String.raw`[A-Za-z_][A-Za-z0-9_]*`;
const NUMBER = String.raw`[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)`;
const NUMBER_RE = new RegExp(`^${NUMBER}$`);
const ARRAY_RE = /^(?:np|numpy|torch)\.(?:array|asarray|tensor|as_tensor)\(\s*(\[[\s\S]*\])\s*(?:,\s*[A-Za-z_]\w*\s*=\s*[\w.]+\s*)*\)$/;
const ASSIGN_RE = new RegExp(`^(\\s*)(${NAME}(?:\\s*,\\s*${NAME})*)\\s*(=|\\+=|-=|\\*=|/=|\\*\\*=|@=)(?!=)\\s*(.*)$`);
const FOR_RE = new RegExp(`^\\s*(?:for|with|def|class)\\b(.*)`);
const SUBSCRIPT_ASSIGN_RE = new RegExp(`^(\\s*)(${NAME}(?:\\s*\\.\\s*${NAME}|\\s*\\[[^\\]=]*\\])+)\\s*(=|\\+=|-=|\\*=|/=|\\*\\*=)(?!=)\\s*(.*)$`);
/** Lines read above the selection, at most. */
const MAX_LINES = 5000;

/** A Python number literal or a literal array as nested lists; undefined when it is anything else. */
export function literalValue(text: string): Numeric | undefined {
  const t = text.trim();
  if (NUMBER_RE.test(t)) {
    const v = Number(t);
    return Number.isFinite(v) ? v : undefined;
  }
  const m = ARRAY_RE.exec(t) ?? (/^\[[\s\S]*\]$/.test(t) ? [t, t] : null);
  if (!m) return undefined;
  const body = m[1]!;
  // Only brackets, commas, numbers and white space; then Python's number forms made JSON's.
  if (!/^[\s\d.eE+\-[\],]*$/.test(body)) return undefined;
  const json = body
    .replace(/,\s*\]/g, ']')
    .replace(/(^|[^\d.])\.(\d)/g, '$10.$2')
    .replace(/(\d)\.(?!\d)/g, '$1.0')
    .replace(/(^|[[,\s])\+/g, '$1');
  try {
    const v: unknown = JSON.parse(json);
    return isNumericArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function isNumericArray(v: unknown, depth = 0): v is Numeric {
  if (typeof v === 'number') return Number.isFinite(v) && depth > 0;
  return Array.isArray(v) && v.length > 0 && depth < 4 && v.every((x) => (typeof x === 'number' ? Number.isFinite(x) : isNumericArray(x, depth + 1)));
}

/** Splits a right-hand side at top-level commas (`1.0, np.array([1, 2])`). */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p, i, a) => p !== '' || i < a.length - 1);
}

/** The number entries of a dict literal bound to `name`, by their subscripted names (`p["w1"]`). */
function dictEntries(name: string, rhs: string): Record<string, number> {
  const out: Record<string, number> = {};
  const braces = /^\{([\s\S]*)\}$/.exec(rhs);
  const call = /^dict\(([\s\S]*)\)$/.exec(rhs);
  if (!braces && !call) return out;
  for (const part of splitTop((braces ?? call)![1]!)) {
    const m = braces ? /^(['"])(\w+)\1\s*:\s*(.+)$/.exec(part) : /^()(\w+)\s*=\s*(.+)$/.exec(part);
    if (!m) continue;
    const v = literalValue(m[3]!);
    if (typeof v === 'number') out[`${name}["${m[2]!}"]`] = v;
  }
  return out;
}

function stripComment(line: string): string {
  const at = pythonCommentStart(line);
  return at < 0 ? line : line.slice(0, at);
}

/**
 * The values of `names` written in `documentText` above line `startLine`
 * (0-based), where they are certain (see the module comment).
 */
export function valuesAbove(documentText: string, startLine: number, names: Iterable<string>): Record<string, Numeric> {
  const wanted = new Set(names);
  const out: Record<string, Numeric> = {};
  if (wanted.size === 0) return out;
  const lines = documentText.split(/\r\n|\r|\n/).slice(Math.max(0, startLine - MAX_LINES), Math.max(0, startLine));
  for (const raw of lines) {
    const line = stripComment(raw);
    const loop = FOR_RE.exec(line);
    if (loop) {
      // `for w in …:`, `def f(w):`, `with … as w:`: any wanted name there is no longer certain.
      for (const m of loop[1]!.matchAll(new RegExp(NAME, 'g'))) {
        if (!wanted.has(m[0])) continue;
        delete out[m[0]];
        for (const k of Object.keys(out)) if (k.startsWith(`${m[0]}[`) || k.startsWith(`${m[0]}.`)) delete out[k];
      }
      continue;
    }
    const sub = SUBSCRIPT_ASSIGN_RE.exec(line);
    if (sub) {
      // `p["w1"] = 0.5`, `params.w1 = 0.5`: one entry, by its normal form.
      const name = normalizeVariableName(sub[2]!);
      const base = /^[A-Za-z_]\w*/.exec(sub[2]!)![0];
      if (name === undefined || !(wanted.has(name) || wanted.has(base))) continue;
      const v = sub[3] === '=' && sub[1]!.length === 0 ? literalValue(sub[4]!) : undefined;
      if (typeof v === 'number') out[name] = v;
      else delete out[name];
      continue;
    }
    const a = ASSIGN_RE.exec(line);
    if (!a) continue;
    // `p = {"w1": 0.5, "b": 0.1}` / `p = dict(w1=0.5)`: its number entries are p["w1"], p["b"]; any other
    // binding of p forgets them.
    for (const target of a[2]!.split(',').map((x) => x.trim())) {
      if (!wanted.has(target)) continue;
      for (const k of Object.keys(out)) if (k.startsWith(`${target}[`) || k.startsWith(`${target}.`)) delete out[k];
      if (a[3] === '=' && a[1]!.length === 0 && !a[2]!.includes(',')) Object.assign(out, dictEntries(target, a[4]!.trim()));
    }
    const targets = a[2]!.split(',').map((s) => s.trim());
    if (!targets.some((t) => wanted.has(t))) continue;
    const indented = a[1]!.length > 0;
    const values = a[3] === '=' && !indented ? splitTop(a[4]!) : [];
    targets.forEach((t, i) => {
      if (!wanted.has(t)) return;
      const v = values.length === targets.length ? literalValue(values[i]!) : undefined;
      if (v === undefined) delete out[t];
      else out[t] = v;
    });
  }
  return out;
}
