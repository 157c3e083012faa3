/**
 * Matrix literals in the formats a selection can hold, onto one dense array
 * `{shape, data}` (row-major Float64Array):
 *
 * - Python / NumPy / PyTorch: nested lists or tuples, optionally wrapped in
 *   `np.array(…)`, `np.asarray(…)`, `np.matrix(…)`, `torch.tensor(…)`, … with keyword
 *   arguments (dtype=…) ignored; `A = …` assignments; `True`/`False`, `nan`, `inf`,
 *   `np.nan`, `np.inf`, `np.pi`, `np.e`; postfix `.reshape(…)` (with −1), `.T`,
 *   `.astype(…)`, `.float()`…; constant constructors `np.eye`, `np.identity`,
 *   `np.zeros`, `np.ones`, `np.full`, `np.arange`, `np.linspace`, `np.diag` (and the
 *   torch spellings, including `torch.zeros(2, 3)`).
 * - JSON: nested arrays (a subset of the Python form).
 * - MATLAB: `[1 2; 3 4]`, commas optional, newlines also end rows, `...` continues.
 * - LaTeX: `bmatrix`, `pmatrix`, `vmatrix`, `Vmatrix`, `Bmatrix`, `matrix`,
 *   `smallmatrix`, `array`; entries may be numbers, `\frac{a}{b}`, `\sqrt{x}`, `\pi`.
 * - CSV / TSV / whitespace-separated columns, with an optional header line.
 *
 * Every error carries the offset and length of the offending text. Limits: the text
 * length, the number of entries (checked before any constructor allocates) and the
 * nesting depth (64; the only recursion is bounded by it).
 */

export type InputFormat = 'python' | 'json' | 'matlab' | 'latex' | 'csv' | 'tsv' | 'whitespace' | 'npy' | 'npz' | 'array';

export interface ParsedArray {
  shape: number[];
  data: Float64Array;
  format: InputFormat;
  /** Source dtype for .npy/.npz input. */
  dtype?: string;
  notes: string[];
}

export interface ParseFailure {
  message: string;
  offset: number;
  length: number;
}

export type ParseResult = { ok: true; value: ParsedArray } | { ok: false; error: ParseFailure };

export interface ParseOptions {
  /** Longest text accepted (characters). Default 10,000,000. */
  maxTextLength?: number;
  /** Most entries accepted. Default 1,000,000. */
  maxElements?: number;
  /** Deepest nesting of brackets. Default 64. */
  maxDepth?: number;
}

export const DEFAULT_MAX_TEXT = 10_000_000;
export const DEFAULT_MAX_ELEMENTS = 1_000_000;
export const DEFAULT_MAX_DEPTH = 64;

class Fail extends Error {
  constructor(message: string, readonly offset: number, readonly length: number) {
    super(message);
  }
}

interface Limits {
  maxElements: number;
  maxDepth: number;
}

function tooMany(count: number, limits: Limits): string {
  return `the matrix has ${count.toLocaleString('en-US')} entries; the limit is ${limits.maxElements.toLocaleString('en-US')} (open a .npy file for larger arrays)`;
}

/** Parses a selection. Never throws. */
export function parseMatrixText(text: string, options: ParseOptions = {}): ParseResult {
  const maxText = options.maxTextLength ?? DEFAULT_MAX_TEXT;
  const limits: Limits = { maxElements: options.maxElements ?? DEFAULT_MAX_ELEMENTS, maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH };
  try {
    if (typeof text !== 'string') return fail('the selection is not text', 0, 0);
    if (text.length > maxText) {
      return fail(`the selection is too long (${text.length.toLocaleString('en-US')} characters; the limit is ${maxText.toLocaleString('en-US')}); open a .npy file instead`, maxText, text.length - maxText);
    }
    const start = skipSpace(text, 0);
    if (start >= text.length) return fail('the selection is empty: select a matrix literal', 0, text.length);
    if (/\\begin\s*\{/.test(text)) return ok(parseLatex(text, limits), 'latex');
    // `A = …` / `A: np.ndarray = …`
    let body = start;
    const assign = /^[A-Za-z_][\w.]*\s*(?::[^=\n]*)?=(?!=)/.exec(text.slice(start, start + 200));
    if (assign) body = skipSpace(text, start + assign[0].length);
    const c = text[body];
    if (c === '[' && looksLikeMatlab(text, body)) return ok(parseMatlab(text, body, limits), 'matlab');
    // Python needs brackets or a call; a table with a header line has neither.
    const pythonish = c === '[' || c === '(' || ((/[A-Za-z_]/.test(c ?? '') || /^[-+]\s*[A-Za-z_[(]/.test(text.slice(body, body + 40))) && /[[(]/.test(text));
    if (pythonish) {
      return ok(parsePython(text, body, limits), isJson(text, body) ? 'json' : 'python');
    }
    return ok(parseDelimited(text, limits), 'csv');
  } catch (err) {
    if (err instanceof Fail) return fail(err.message, err.offset, err.length);
    if (err instanceof RangeError && /Invalid array length|allocation/i.test(err.message)) return fail('the matrix is too large to allocate', 0, text.length);
    return fail(`internal error while parsing: ${err instanceof Error ? err.message : String(err)}`, 0, 0);
  }

  function ok(r: { shape: number[]; data: Float64Array; notes?: string[]; format?: InputFormat }, format: InputFormat): ParseResult {
    return { ok: true, value: { shape: r.shape, data: r.data, format: r.format ?? format, notes: r.notes ?? [] } };
  }
  function fail(message: string, offset: number, length: number): ParseResult {
    const o = Math.max(0, Math.min(offset, text.length));
    return { ok: false, error: { message, offset: o, length: Math.max(0, Math.min(length, text.length - o)) } };
  }
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

function isJson(text: string, at: number): boolean {
  // JSON: only brackets, numbers, commas, whitespace, true/false.
  const sample = text.slice(at, at + 4096);
  return sample.startsWith('[') && /^[\s\d.eE+\-,[\]]*$/.test(sample.replace(/true|false/g, ''));
}

/** `[1 2; 3 4]` rather than `[1, 2]` / `[[…]]`: a `;` or two numbers separated only by blanks at depth 1. */
function looksLikeMatlab(text: string, at: number): boolean {
  const next = skipSpace(text, at + 1);
  if (text[next] === '[' || text[next] === '(') return false;
  let depth = 0;
  const end = Math.min(text.length, at + 20000);
  for (let i = at; i < end; i++) {
    const c = text[i]!;
    if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') {
      depth--;
      if (depth === 0) break;
    } else if (depth === 1 && c === ';') return true;
  }
  const inner = text.slice(at + 1, end);
  return /[\d.](?:[ \t]+|[ \t]*\n\s*)[-+]?[\d.]/.test(inner.split(']')[0] ?? '');
}

// ---------------------------------------------------------------------------
// Numbers.

const NUMBER = /[-+]?(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][-+]?\d+)?/y;

function readNumber(text: string, at: number): { value: number; end: number } | null {
  NUMBER.lastIndex = at;
  const m = NUMBER.exec(text);
  if (!m || m[0] === '' || m[0] === '-' || m[0] === '+') return null;
  const value = Number(m[0].replace(/_/g, ''));
  if (Number.isNaN(value)) return null;
  return { value, end: at + m[0].length };
}

// ---------------------------------------------------------------------------
// Python / JSON.

interface Tok {
  k: 'num' | 'name' | 'str' | 'p' | 'end';
  v: string;
  n?: number;
  at: number;
  len: number;
}

function tokenize(text: string, from: number, limits: Limits): Tok[] {
  const toks: Tok[] = [];
  let i = from;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\\') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if ((c >= '0' && c <= '9') || (c === '.' && /\d/.test(text[i + 1] ?? ''))) {
      const r = readNumber(text, i);
      if (!r) throw new Fail(`cannot read a number here`, i, 1);
      if (/[jJ]/.test(text[r.end] ?? '')) throw new Fail('complex entries are not supported', i, r.end + 1 - i);
      if (/[A-Za-z_]/.test(text[r.end] ?? '')) throw new Fail(`unexpected character '${text[r.end]}' after a number`, r.end, 1);
      toks.push({ k: 'num', v: text.slice(i, r.end), n: r.value, at: i, len: r.end - i });
      i = r.end;
      if (toks.length > limits.maxElements * 3 + 1000) throw new Fail(tooMany(Math.floor(toks.length / 2), limits), i, 0);
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w.]/.test(text[j]!)) j++;
      while (text[j - 1] === '.') j--;
      toks.push({ k: 'name', v: text.slice(i, j), at: i, len: j - i });
      i = j;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && text[j] !== c && text[j] !== '\n') j++;
      if (text[j] !== c) throw new Fail('unterminated string', i, j - i);
      toks.push({ k: 'str', v: text.slice(i + 1, j), at: i, len: j + 1 - i });
      i = j + 1;
      continue;
    }
    if ('[](),=-+.*:;'.includes(c)) {
      toks.push({ k: 'p', v: c, at: i, len: 1 });
      i++;
      continue;
    }
    throw new Fail(`unexpected character '${c}'`, i, 1);
  }
  toks.push({ k: 'end', v: '', at: n, len: 0 });
  return toks;
}

/** An n-d array value, or a scalar, a string, or a list/tuple literal being built. */
type Value =
  | { t: 'num'; v: number; at: number; len: number }
  | { t: 'str'; v: string; at: number; len: number }
  | { t: 'arr'; shape: number[]; data: Float64Array; at: number; len: number }
  | { t: 'list'; items: Value[]; at: number; len: number }
  /** A name that is not a known constant: fine as a keyword argument (dtype=np.float32), an error as an entry. */
  | { t: 'sym'; v: string; at: number; len: number };

const notANumber = (v: { v: string; at: number; len: number }): Fail => new Fail(`'${v.v}' is not a number or a known constructor (only constant matrices can be shown)`, v.at, v.len);

const NAMED: Record<string, number> = {
  True: 1,
  False: 0,
  true: 1,
  false: 0,
  nan: NaN,
  NaN: NaN,
  inf: Infinity,
  Infinity: Infinity,
  'np.nan': NaN,
  'numpy.nan': NaN,
  'np.inf': Infinity,
  'numpy.inf': Infinity,
  'math.inf': Infinity,
  'math.nan': NaN,
  'np.pi': Math.PI,
  'numpy.pi': Math.PI,
  'math.pi': Math.PI,
  'torch.pi': Math.PI,
  pi: Math.PI,
  'np.e': Math.E,
  'numpy.e': Math.E,
  'math.e': Math.E,
  'np.NaN': NaN,
  'np.Inf': Infinity,
};

const ARRAY_WRAPPERS = /^(?:np|numpy|jnp|jax\.numpy|torch|tf|cp|cupy)\.(?:array|asarray|asmatrix|matrix|asanyarray|ascontiguousarray|tensor|Tensor|FloatTensor|DoubleTensor|LongTensor|IntTensor|as_tensor|from_numpy|constant|convert_to_tensor)$|^(?:array|tensor|matrix)$/;

function parsePython(text: string, from: number, limits: Limits): { shape: number[]; data: Float64Array; notes: string[] } {
  const toks = tokenize(text, from, limits);
  let p = 0;
  const notes: string[] = [];
  const peek = (): Tok => toks[p]!;
  let elements = 0;

  const parseExpr = (depth: number): Value => {
    if (depth > limits.maxDepth) {
      const t = peek();
      throw new Fail(`nesting is deeper than ${limits.maxDepth} levels`, t.at, 1);
    }
    const t = peek();
    if (t.k === 'p' && (t.v === '-' || t.v === '+')) {
      p++;
      const v = parseExpr(depth + 1);
      if (t.v === '+') return v;
      return negate(v, t.at);
    }
    let v = parsePrimary(depth);
    // Postfix: .T, .reshape(…), .astype(…), .float(), ..., and binary * for simple scalings.
    for (;;) {
      const q = peek();
      if (q.k === 'name' && q.v.startsWith('.')) {
        // never produced: names keep their leading dot only via the '.' punct below
        break;
      }
      if (q.k === 'p' && q.v === '.') {
        p++;
        const name = peek();
        if (name.k !== 'name') throw new Fail('expected a method name after "."', name.at, Math.max(1, name.len));
        p++;
        v = applyMethod(v, name, depth);
        continue;
      }
      break;
    }
    return v;
  };

  const parseArgs = (depth: number): { pos: Value[]; kw: Map<string, Value>; close: Tok } => {
    const pos: Value[] = [];
    const kw = new Map<string, Value>();
    for (;;) {
      const t = peek();
      if (t.k === 'p' && t.v === ')') {
        p++;
        return { pos, kw, close: t };
      }
      if (t.k === 'name' && toks[p + 1]?.k === 'p' && toks[p + 1]?.v === '=') {
        p += 2;
        kw.set(t.v, parseExpr(depth + 1));
      } else pos.push(parseExpr(depth + 1));
      const s = peek();
      if (s.k === 'p' && s.v === ',') p++;
      else if (!(s.k === 'p' && s.v === ')')) throw new Fail(s.k === 'end' ? "unexpected end of input: expected ')'" : `expected ',' or ')', found '${s.v}'`, s.at, Math.max(1, s.len));
    }
  };

  const parsePrimary = (depth: number): Value => {
    const t = peek();
    if (t.k === 'num') {
      p++;
      elements++;
      return { t: 'num', v: t.n!, at: t.at, len: t.len };
    }
    if (t.k === 'str') {
      p++;
      return { t: 'str', v: t.v, at: t.at, len: t.len };
    }
    if (t.k === 'p' && (t.v === '[' || t.v === '(')) {
      p++;
      const close = t.v === '[' ? ']' : ')';
      const items: Value[] = [];
      let trailingComma = false;
      for (;;) {
        const q = peek();
        if (q.k === 'p' && q.v === close) {
          p++;
          // `(x)` is x, not a tuple.
          if (t.v === '(' && items.length === 1 && !trailingComma) return items[0]!;
          return { t: 'list', items, at: t.at, len: q.at + 1 - t.at };
        }
        if (q.k === 'end') throw new Fail(`unclosed '${t.v}': expected '${close}'`, t.at, 1);
        items.push(parseExpr(depth + 1));
        if (elements > limits.maxElements) throw new Fail(tooMany(elements, limits), q.at, 1);
        const s = peek();
        trailingComma = false;
        if (s.k === 'p' && s.v === ',') {
          p++;
          trailingComma = true;
        } else if (!(s.k === 'p' && s.v === close)) {
          if (s.k === 'end') throw new Fail(`unclosed '${t.v}': expected '${close}'`, t.at, 1);
          if (s.k === 'p' && '-+*'.includes(s.v)) throw new Fail('expressions are not supported: entries must be numbers', s.at, 1);
          throw new Fail(`expected ',' or '${close}', found '${s.v}'`, s.at, Math.max(1, s.len));
        }
      }
    }
    if (t.k === 'name') {
      p++;
      const after = peek();
      if (after.k === 'p' && after.v === '(') {
        p++;
        const args = parseArgs(depth);
        return callFunction(t, args.pos, args.kw, args.close);
      }
      if (t.v in NAMED) {
        elements++;
        return { t: 'num', v: NAMED[t.v]!, at: t.at, len: t.len };
      }
      if (t.v === 'null' || t.v === 'None') throw new Fail(`'${t.v}' is not a number`, t.at, t.len);
      return { t: 'sym', v: t.v, at: t.at, len: t.len };
    }
    if (t.k === 'end') throw new Fail('unexpected end of input', t.at, 0);
    throw new Fail(`unexpected '${t.v}'`, t.at, Math.max(1, t.len));
  };

  const toArray = (v: Value): { shape: number[]; data: Float64Array } => {
    if (v.t === 'arr') return v;
    if (v.t === 'num') return { shape: [], data: Float64Array.of(v.v) };
    if (v.t === 'str') throw new Fail('a string is not a matrix', v.at, v.len);
    if (v.t === 'sym') throw notANumber(v);
    return listToArray(v, limits);
  };

  const intArg = (v: Value | undefined, what: string, at: Tok): number => {
    if (v === undefined) throw new Fail(`missing ${what}`, at.at, at.len);
    if (v.t !== 'num' || !Number.isInteger(v.v)) throw new Fail(`${what} must be an integer`, v.at, v.len);
    return v.v;
  };
  const shapeArg = (vals: Value[], at: Tok): number[] => {
    // (2, 3) / [2, 3] / 2, 3 / 5
    let items: Value[] = vals;
    {
      const v0 = vals[0];
      if (vals.length === 1 && v0?.t === 'list') items = v0.items;
    }
    if (items.length === 0) throw new Fail('missing shape', at.at, at.len);
    const shape = items.map((x) => intArg(x, 'a dimension', at));
    for (let i = 0; i < shape.length; i++) if (shape[i]! < 0) throw new Fail('negative dimensions are not allowed', items[i]!.at, items[i]!.len);
    checkCount(shape, at);
    return shape;
  };
  const checkCount = (shape: number[], at: Tok | Value): void => {
    const count = shape.reduce((a, b) => a * b, 1);
    if (count > limits.maxElements) throw new Fail(tooMany(count, limits), at.at, at.len);
  };

  const callFunction = (fn: Tok, pos: Value[], kw: Map<string, Value>, close: Tok): Value => {
    const name = fn.v;
    const span = { at: fn.at, len: close.at + 1 - fn.at };
    const short = name.replace(/^(?:np|numpy|torch|jnp|jax\.numpy|cp|cupy|tf)\./, '');
    const lib = name !== short;
    if (ARRAY_WRAPPERS.test(name)) {
      if (pos.length === 0) throw new Fail(`${name}() needs an argument`, fn.at, fn.len);
      const a = toArray(pos[0]!);
      if (kw.has('dtype')) notes.push('the dtype argument is ignored: entries are shown as 64-bit floats');
      return { t: 'arr', ...a, ...span };
    }
    if (!lib && !['float', 'int', 'complex'].includes(name)) throw new Fail(`'${name}' is not a constant constructor MathLens knows`, fn.at, fn.len);
    switch (short) {
      case 'float': {
        const a = pos[0];
        if (a?.t === 'str') {
          const s = a.v.trim().toLowerCase();
          const v = s === 'nan' ? NaN : s === 'inf' || s === '+inf' || s === 'infinity' ? Infinity : s === '-inf' || s === '-infinity' ? -Infinity : Number(s);
          if (Number.isNaN(v) && s !== 'nan') throw new Fail(`float('${a.v}') is not a number`, a.at, a.len);
          elements++;
          return { t: 'num', v, ...span };
        }
        if (a?.t === 'num') return { t: 'num', v: a.v, ...span };
        throw new Fail('float() needs a number or a string', fn.at, fn.len);
      }
      case 'eye':
      case 'identity': {
        const n = intArg(pos[0] ?? kw.get('N') ?? kw.get('n'), 'the size', fn);
        const m = pos[1] ?? kw.get('M') ?? kw.get('m');
        const cols = m === undefined || (m.t === 'list' && m.items.length === 0) ? n : intArg(m, 'the number of columns', fn);
        const kv = pos[2] ?? kw.get('k');
        const k = kv === undefined ? 0 : intArg(kv, 'the diagonal offset k', fn);
        if (n < 0 || cols < 0) throw new Fail('negative dimensions are not allowed', fn.at, span.len);
        checkCount([n, cols], { ...span, t: 'num', v: 0 });
        const data = new Float64Array(n * cols);
        for (let i = 0; i < n; i++) if (i + k >= 0 && i + k < cols) data[i * cols + i + k] = 1;
        return { t: 'arr', shape: [n, cols], data, ...span };
      }
      case 'zeros':
      case 'ones':
      case 'empty':
      case 'full': {
        const shapeVals = short === 'full' ? pos.slice(0, 1) : pos;
        const sv = shapeVals.length ? shapeVals : kw.has('shape') ? [kw.get('shape')!] : kw.has('size') ? [kw.get('size')!] : [];
        const shape = shapeArg(sv, fn);
        let fill = short === 'ones' ? 1 : 0;
        if (short === 'full') {
          const f = pos[1] ?? kw.get('fill_value');
          if (f?.t !== 'num') throw new Fail('full() needs a number to fill with', fn.at, fn.len);
          fill = f.v;
        }
        if (short === 'empty') notes.push('np.empty has undefined contents; shown as zeros');
        const data = new Float64Array(shape.reduce((a, b) => a * b, 1));
        if (fill !== 0) data.fill(fill);
        return { t: 'arr', shape, data, ...span };
      }
      case 'arange': {
        const nums = pos.map((v) => {
          if (v.t !== 'num') throw new Fail('arange() takes numbers', v.at, v.len);
          return v.v;
        });
        if (kw.has('start') || kw.has('stop') || kw.has('step')) throw new Fail('write arange(start, stop, step) positionally', fn.at, fn.len);
        if (nums.length === 0 || nums.length > 3) throw new Fail('arange() takes 1 to 3 numbers', fn.at, span.len);
        const start = nums.length === 1 ? 0 : nums[0]!;
        const stop = nums.length === 1 ? nums[0]! : nums[1]!;
        const step = nums[2] ?? 1;
        if (step === 0 || !Number.isFinite(step) || !Number.isFinite(start) || !Number.isFinite(stop)) throw new Fail('arange() needs finite numbers and a non-zero step', fn.at, span.len);
        const count = Math.max(0, Math.ceil((stop - start) / step));
        checkCount([count], { ...span, t: 'num', v: 0 });
        const data = new Float64Array(count);
        for (let i = 0; i < count; i++) data[i] = start + i * step;
        return { t: 'arr', shape: [count], data, ...span };
      }
      case 'linspace': {
        const a = pos[0];
        const b = pos[1];
        const nv = pos[2] ?? kw.get('num') ?? kw.get('steps');
        if (a?.t !== 'num' || b?.t !== 'num') throw new Fail('linspace() needs start and stop numbers', fn.at, span.len);
        const num = nv === undefined ? 50 : intArg(nv, 'the number of points', fn);
        if (num < 0) throw new Fail('the number of points must not be negative', fn.at, span.len);
        checkCount([num], { ...span, t: 'num', v: 0 });
        const endpoint = kw.get('endpoint');
        const incl = !(endpoint?.t === 'num' && endpoint.v === 0);
        const div = incl ? num - 1 : num;
        const data = new Float64Array(num);
        for (let i = 0; i < num; i++) data[i] = div > 0 ? a.v + ((b.v - a.v) * i) / div : a.v;
        if (incl && num > 1) data[num - 1] = b.v;
        return { t: 'arr', shape: [num], data, ...span };
      }
      case 'diag': {
        if (!pos[0]) throw new Fail('diag() needs an argument', fn.at, fn.len);
        const v = toArray(pos[0]);
        if (v.shape.length === 1) {
          const n = v.shape[0]!;
          checkCount([n, n], { ...span, t: 'num', v: 0 });
          const data = new Float64Array(n * n);
          for (let i = 0; i < n; i++) data[i * n + i] = v.data[i]!;
          return { t: 'arr', shape: [n, n], data, ...span };
        }
        if (v.shape.length === 2) {
          const [m, n] = v.shape as [number, number];
          const k = Math.min(m, n);
          const data = new Float64Array(k);
          for (let i = 0; i < k; i++) data[i] = v.data[i * n + i]!;
          return { t: 'arr', shape: [k], data, ...span };
        }
        throw new Fail('diag() takes a 1-D or 2-D array', pos[0].at, pos[0].len);
      }
      default:
        throw new Fail(`'${name}' is not a constant constructor MathLens knows (eye, identity, zeros, ones, full, arange, linspace, diag, array)`, fn.at, fn.len);
    }
  };

  const applyMethod = (v: Value, name: Tok, depth: number): Value => {
    const hasCall = peek().k === 'p' && peek().v === '(';
    let args: { pos: Value[]; kw: Map<string, Value>; close: Tok } = { pos: [], kw: new Map(), close: name };
    if (hasCall) {
      p++;
      args = parseArgs(depth);
    }
    const span = { at: v.at, len: args.close.at + args.close.len - v.at };
    const a = toArray(v);
    switch (name.v) {
      case 'T':
      case 'mT':
      case 't':
      case 'transpose': {
        if (a.shape.length < 2) return { t: 'arr', ...a, ...span };
        if (a.shape.length > 2) throw new Fail('only 2-D transposes are supported', name.at, name.len);
        const [m, n] = a.shape as [number, number];
        const out = new Float64Array(m * n);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = a.data[i * n + j]!;
        return { t: 'arr', shape: [n, m], data: out, ...span };
      }
      case 'reshape':
      case 'view': {
        let items = args.pos;
        {
          const v0 = items[0];
          if (items.length === 1 && v0?.t === 'list') items = v0.items;
        }
        const dims = items.map((x) => intArg(x, 'a dimension', name));
        const total = a.data.length;
        const unknown = dims.filter((d) => d === -1).length;
        if (unknown > 1) throw new Fail('only one dimension can be -1', name.at, span.len);
        const known = dims.filter((d) => d !== -1).reduce((x, y) => x * y, 1);
        if (unknown === 1) {
          if (known === 0 || total % known !== 0) throw new Fail(`cannot reshape ${total} entries into (${dims.join(', ')})`, name.at, name.len);
          dims[dims.indexOf(-1)] = total / known;
        }
        if (dims.some((d) => d < 0)) throw new Fail('negative dimensions are not allowed', name.at, name.len);
        if (dims.reduce((x, y) => x * y, 1) !== total) throw new Fail(`cannot reshape an array of ${total} entries into shape (${dims.join(', ')})`, name.at, args.close.at + 1 - name.at);
        if (args.kw.get('order')?.t === 'str' && (args.kw.get('order') as { v: string }).v === 'F') throw new Fail("order='F' reshapes are not supported", name.at, name.len);
        return { t: 'arr', shape: dims, data: a.data, ...span };
      }
      case 'astype':
      case 'float':
      case 'double':
      case 'numpy':
      case 'copy':
      case 'detach':
      case 'cpu':
      case 'contiguous':
      case 'to':
      case 'half':
      case 'int':
      case 'long':
        return { t: 'arr', ...a, ...span };
      default:
        throw new Fail(`the method .${name.v}() is not supported in a matrix literal`, name.at, name.len);
    }
  };

  const v = parseExpr(0);
  const t = peek();
  if (t.k !== 'end') {
    if (t.k === 'p' && t.v === ',') throw new Fail("unexpected ',' after the matrix (wrap several rows in brackets)", t.at, 1);
    throw new Fail(`unexpected '${t.v}' after the matrix`, t.at, Math.max(1, t.len));
  }
  const a = toArray(v);
  return { shape: a.shape, data: a.data, notes };
}

function negate(v: Value, at: number): Value {
  if (v.t === 'num') return { ...v, v: -v.v, at, len: v.at + v.len - at };
  if (v.t === 'arr') return { ...v, data: v.data.map((x) => -x), at };
  if (v.t === 'list') return { ...v, items: v.items.map((x) => negate(x, x.at)), at };
  throw new Fail('cannot negate a string', v.at, v.len);
}

/** Nested lists → shape and data, checking every list at a level has the same length. */
function listToArray(root: Value, limits: Limits): { shape: number[]; data: Float64Array } {
  // The shape is read along the first items, then every node is checked against it.
  const shape: number[] = [];
  let node: Value = root;
  while (node.t === 'list') {
    shape.push(node.items.length);
    if (shape.length > limits.maxDepth) throw new Fail(`more than ${limits.maxDepth} dimensions`, node.at, 1);
    if (node.items.length === 0) break;
    node = node.items[0]!;
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > limits.maxElements) throw new Fail(tooMany(count, limits), root.at, 1);
  const data = new Float64Array(count);
  let k = 0;
  // Iterative walk: a stack of (list, next index, depth).
  const stack: { v: Value & { t: 'list' }; i: number }[] = [];
  if (root.t !== 'list') throw new Fail('expected a list', root.at, root.len);
  stack.push({ v: root, i: 0 });
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const depth = stack.length - 1;
    if (top.i === 0 && top.v.items.length !== shape[depth]) {
      const what = depth === 0 ? 'the matrix' : `this ${depth === shape.length - 1 ? 'row' : 'block'}`;
      throw new Fail(`${what} has ${top.v.items.length} entries, but the first one at this level has ${shape[depth]} (ragged lists are not matrices)`, top.v.at, top.v.len);
    }
    if (top.i >= top.v.items.length) {
      stack.pop();
      continue;
    }
    const item = top.v.items[top.i++]!;
    if (depth === shape.length - 1) {
      if (item.t === 'num') data[k++] = item.v;
      else if (item.t === 'list' || item.t === 'arr') throw new Fail(`expected a number here (the first entry at this level is a number), found a ${item.t === 'list' ? 'list' : 'array'}`, item.at, item.len);
      else if (item.t === 'sym') throw notANumber(item);
      else throw new Fail('expected a number', item.at, item.len);
    } else {
      if (item.t === 'list') stack.push({ v: item, i: 0 });
      else if (item.t === 'arr' && item.shape.length === shape.length - depth - 1 && item.shape.every((d, i) => d === shape[depth + 1 + i])) {
        data.set(item.data, k);
        k += item.data.length;
      } else if (item.t === 'sym') throw notANumber(item);
      else throw new Fail(`expected a list of ${shape[depth + 1]} entries here`, item.at, item.len);
    }
  }
  return { shape, data };
}

// ---------------------------------------------------------------------------
// MATLAB.

function parseMatlab(text: string, at: number, limits: Limits): { shape: number[]; data: Float64Array } {
  const rows: number[][] = [];
  let row: number[] = [];
  let rowStart = at + 1;
  let i = at + 1;
  const n = text.length;
  let total = 0;
  const endRow = (pos: number): void => {
    if (row.length === 0) return;
    if (rows.length && row.length !== rows[0]!.length) throw new Fail(`this row has ${row.length} entries, the first row has ${rows[0]!.length}`, rowStart, Math.max(1, pos - rowStart));
    rows.push(row);
    row = [];
  };
  for (;;) {
    if (i >= n) throw new Fail("unclosed '[': expected ']'", at, 1);
    const c = text[i]!;
    if (c === ']') {
      endRow(i);
      i++;
      break;
    }
    if (c === ';' || c === '\n') {
      endRow(i);
      i++;
      rowStart = skipSpace(text, i);
      continue;
    }
    if (c === ' ' || c === '\t' || c === ',' || c === '\r') {
      i++;
      continue;
    }
    if (text.startsWith('...', i)) {
      while (i < n && text[i] !== '\n') i++;
      i++;
      continue;
    }
    if (c === '%') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '[') throw new Fail('nested brackets are not supported in MATLAB input', i, 1);
    if ((c === '-' || c === '+') && /\s/.test(text[i + 1] ?? '')) throw new Fail('expressions are not supported: write the number with its sign attached', i, 1);
    const word = /^[-+]?(?:Inf|inf|NaN|nan|pi)\b/.exec(text.slice(i, i + 5));
    if (word) {
      const w = word[0].replace(/^[-+]/, '');
      const v = w.toLowerCase() === 'inf' ? Infinity : w === 'pi' ? Math.PI : NaN;
      row.push(word[0].startsWith('-') ? -v : v);
      i += word[0].length;
    } else {
      const r = readNumber(text, i);
      if (!r) throw new Fail(`cannot read a number here`, i, 1);
      if (/[A-Za-z_*/^(]/.test(text[r.end] ?? '')) throw new Fail(`unexpected '${text[r.end]}': only numbers are supported in a matrix literal`, r.end, 1);
      row.push(r.value);
      i = r.end;
    }
    if (++total > limits.maxElements) throw new Fail(tooMany(total, limits), i, 1);
  }
  const rest = skipSpace(text, i);
  if (rest < n && !/^['.;]*\s*$/.test(text.slice(rest))) throw new Fail(`unexpected text after the matrix`, rest, n - rest);
  let m = rows.length;
  const cols = m ? rows[0]!.length : 0;
  const data = new Float64Array(m * cols);
  rows.forEach((r, k) => data.set(r, k * cols));
  if (text.slice(rest).trim().startsWith("'")) {
    // A transpose quote.
    const out = new Float64Array(m * cols);
    for (let r = 0; r < m; r++) for (let c = 0; c < cols; c++) out[c * m + r] = data[r * cols + c]!;
    const t = m;
    m = cols;
    return { shape: [m, t], data: out };
  }
  return { shape: [m, cols], data };
}

// ---------------------------------------------------------------------------
// LaTeX.

function parseLatex(text: string, limits: Limits): { shape: number[]; data: Float64Array } {
  const begin = /\\begin\s*\{\s*([A-Za-z]*matrix\*?|array)\s*\}/.exec(text);
  if (!begin) {
    const other = /\\begin\s*\{([^}]*)\}/.exec(text);
    throw new Fail(`the LaTeX environment '${other?.[1] ?? ''}' is not a matrix (use bmatrix, pmatrix, vmatrix, matrix or array)`, other?.index ?? 0, other?.[0].length ?? 0);
  }
  const env = begin[1]!;
  let i = begin.index + begin[0].length;
  if (env === 'array' || env.endsWith('*')) {
    // Column spec: {ccc} or [r].
    const spec = /^\s*(?:\[[^\]]*\])?\s*\{[^}]*\}/.exec(text.slice(i));
    if (spec) i += spec[0].length;
  }
  const endRe = new RegExp(`\\\\end\\s*\\{\\s*${env.replace('*', '\\*')}\\s*\\}`, 'g');
  endRe.lastIndex = i;
  const end = endRe.exec(text);
  if (!end) throw new Fail(`missing \\end{${env}}`, begin.index, begin[0].length);
  const body = text.slice(i, end.index);
  if (/\\begin\s*\{/.test(body)) {
    const at = i + body.search(/\\begin\s*\{/);
    throw new Fail('nested environments are not supported', at, 6);
  }
  const rows: number[][] = [];
  let total = 0;
  let pos = i;
  const rawRows = body.split(/\\\\(?:\[[^\]]*\])?/);
  for (const raw of rawRows) {
    const rowAt = pos;
    pos += raw.length + 2;
    const cleaned = raw.replace(/\\hline|\\cline\{[^}]*\}/g, (m) => ' '.repeat(m.length));
    if (cleaned.trim() === '') continue;
    const cells = cleaned.split('&');
    const row: number[] = [];
    let cpos = rowAt;
    for (const cell of cells) {
      row.push(latexNumber(cell, cpos));
      cpos += cell.length + 1;
      if (++total > limits.maxElements) throw new Fail(tooMany(total, limits), cpos, 1);
    }
    if (rows.length && row.length !== rows[0]!.length) throw new Fail(`this row has ${row.length} entries, the first row has ${rows[0]!.length}`, rowAt, raw.length);
    rows.push(row);
  }
  const m = rows.length;
  const n = m ? rows[0]!.length : 0;
  const data = new Float64Array(m * n);
  rows.forEach((r, k) => data.set(r, k * n));
  return { shape: [m, n], data };
}

function latexNumber(cell: string, at: number): number {
  const lead = cell.length - cell.trimStart().length;
  let s = cell.trim();
  const o = at + lead;
  if (s === '') throw new Fail('empty entry', at, Math.max(1, cell.length));
  s = s.replace(/^\{(.*)\}$/s, '$1').replace(/\\[,;:!]|\\(?:quad|qquad)|~/g, '').replace(/\s+/g, '');
  let sign = 1;
  while (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -sign;
    s = s.slice(1);
  }
  const frac = /^\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}$/.exec(s) ?? /^\\[dt]?frac(\d)(\d)$/.exec(s);
  if (frac) {
    const a = latexNumber(frac[1]!, o);
    const b = latexNumber(frac[2]!, o);
    return (sign * a) / b;
  }
  const sqrt = /^\\sqrt\{([^{}]*)\}$/.exec(s);
  if (sqrt) return sign * Math.sqrt(latexNumber(sqrt[1]!, o));
  if (s === '\\pi') return sign * Math.PI;
  if (s === '\\infty') return sign * Infinity;
  const sci = /^(\d*\.?\d+)(?:\\times|\\cdot)10\^\{?([-+]?\d+)\}?$/.exec(s);
  if (sci) return sign * Number(sci[1]) * 10 ** Number(sci[2]);
  if (/^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(s)) return sign * Number(s);
  throw new Fail(`'${cell.trim()}' is not a number (entries may be numbers, \\frac{a}{b}, \\sqrt{x} or \\pi)`, o, cell.trim().length || 1);
}

// ---------------------------------------------------------------------------
// CSV / TSV / whitespace.

function parseDelimited(text: string, limits: Limits): { shape: number[]; data: Float64Array; notes: string[]; format: InputFormat } {
  const lines: { s: string; at: number }[] = [];
  let at = 0;
  for (const line of text.split('\n')) {
    const s = line.replace(/\r$/, '');
    if (s.trim() !== '' && !s.trimStart().startsWith('#')) lines.push({ s, at });
    at += line.length + 1;
  }
  const first = lines[0]?.s ?? '';
  const format: InputFormat = first.includes('\t') ? 'tsv' : first.includes(',') ? 'csv' : first.includes(';') ? 'csv' : 'whitespace';
  const split = format === 'tsv' ? /\t/ : format === 'csv' ? (first.includes(',') ? /,/ : /;/) : /\s+/;
  const notes: string[] = [];
  const rows: number[][] = [];
  let total = 0;
  for (let li = 0; li < lines.length; li++) {
    const { s, at: lineAt } = lines[li]!;
    const body = format === 'whitespace' ? s.trim() : s;
    const bodyAt = lineAt + (format === 'whitespace' ? s.length - s.trimStart().length : 0);
    const cells = body.split(split);
    const row: number[] = [];
    let pos = bodyAt;
    let bad: { cell: string; at: number } | null = null;
    for (const cell of cells) {
      const t = cell.trim().replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
      const lead = cell.length - cell.trimStart().length;
      const v = t === '' ? NaN : /^[-+]?(?:nan|NaN|NA)$/.test(t) ? NaN : /^[-+]?(?:inf|Inf|infinity|Infinity)$/.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : /^[-+]?(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(t) ? Number(t.replace(/_/g, '')) : undefined;
      if (v === undefined) {
        bad ??= { cell: t, at: pos + lead };
      } else row.push(v);
      if (t === '' && format !== 'whitespace') bad ??= { cell: '', at: pos };
      pos += cell.length + 1;
    }
    if (bad) {
      if (li === 0 && lines.length > 1) {
        notes.push(`the first line was read as a header: ${s.trim().slice(0, 80)}`);
        continue;
      }
      throw new Fail(bad.cell === '' ? 'empty field' : `'${bad.cell.slice(0, 40)}' is not a number`, bad.at, Math.max(1, bad.cell.length));
    }
    if (rows.length && row.length !== rows[0]!.length) throw new Fail(`line ${li + 1} has ${row.length} fields, the first data line has ${rows[0]!.length}`, lineAt, s.length);
    total += row.length;
    if (total > limits.maxElements) throw new Fail(tooMany(total, limits), lineAt, s.length);
    rows.push(row);
  }
  if (rows.length === 0) throw new Fail('no numbers found: select a matrix literal (Python/NumPy list, MATLAB, LaTeX, CSV/TSV or JSON)', 0, text.length);
  const m = rows.length;
  const n = rows[0]!.length;
  const data = new Float64Array(m * n);
  rows.forEach((r, k) => data.set(r, k * n));
  return { shape: [m, n], data, notes, format };
}
