/**
 * NumPy-syntax expressions (and short forward passes `z = X @ W; loss = …`)
 * to the shaped IR. Hand-written so every error carries the offset and length
 * of the offending token or call; shape errors are located at the operator.
 * Shape declarations come from the options and from comments in the text
 * (`# X: (n, d), w: (d,)`). Elementwise functions are read from the
 * operation catalogue (core/ops: `np.`, `torch.`, `F.`, `scipy.special.`,
 * bare and method spellings); the array functions (sums, norms, softmax, …)
 * are this parser's own.
 */
import { isModuleName, lookup, opOf, spelled } from '../ops';
import type { CmpOp, OpEntry } from '../ops';
import { constant, dimNode, eye, num, ones, raw, variable, zero } from './ast';
import type { Node } from './ast';
import { applyEntry } from './builder';
import { logOnePlusExp } from './simplify';
import { parseOneHot, parseShapeSpec, ShapeError, showShape } from './shapes';
import type { Shape } from './shapes';

export interface ParseFail {
  message: string;
  offset: number;
  length: number;
}

export class MatParseError extends Error {
  constructor(message: string, readonly offset: number, readonly length: number) {
    super(message);
  }
}

interface Tok { kind: 'num' | 'name' | 'op' | 'str' | 'nl' | 'eof'; text: string; offset: number; length: number }

const OPS = ['**', '//', '==', '!=', '<=', '>=', '+', '-', '*', '/', '@', '(', ')', '[', ']', ',', '.', '=', ':', ';', '<', '>', '%', '{', '}'];

function lex(text: string, comments: string[]): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let depth = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '#') {
      const e = text.indexOf('\n', i);
      comments.push(text.slice(i + 1, e < 0 ? text.length : e));
      i = e < 0 ? text.length : e;
      continue;
    }
    if (c === '\n') { if (depth === 0) out.push({ kind: 'nl', text: '\n', offset: i, length: 1 }); i++; continue; }
    if (c === '\\' && text[i + 1] === '\n') { i += 2; continue; }
    if (/\s/.test(c)) { i++; continue; }
    const rest = text.slice(i);
    const m = /^(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/.exec(rest);
    if (m) { out.push({ kind: 'num', text: m[0], offset: i, length: m[0].length }); i += m[0].length; continue; }
    const nm = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (nm) { out.push({ kind: 'name', text: nm[0], offset: i, length: nm[0].length }); i += nm[0].length; continue; }
    if (c === '"' || c === "'") {
      const e = text.indexOf(c, i + 1);
      if (e < 0) throw new MatParseError('unterminated string', i, text.length - i);
      out.push({ kind: 'str', text: text.slice(i + 1, e), offset: i, length: e + 1 - i });
      i = e + 1;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new MatParseError(`unexpected character '${c}'`, i, 1);
    if (op === '(' || op === '[' || op === '{') depth++;
    if (op === ')' || op === ']' || op === '}') depth = Math.max(0, depth - 1);
    out.push({ kind: 'op', text: op, offset: i, length: op.length });
    i += op.length;
  }
  out.push({ kind: 'eof', text: '', offset: text.length, length: 0 });
  return out;
}

type Val =
  | { t: 'node'; n: Node }
  | { t: 'path'; s: string }
  | { t: 'shape'; n: Node }
  | { t: 'tuple'; items: Val[] }
  | { t: 'list'; items: Val[] }
  | { t: 'str'; s: string }
  | { t: 'const'; v: boolean | null }
  | { t: 'slice' };

interface Arg { name?: string; v: Val; tok: Tok }

export interface Parsed {
  expr: Node;
  /** names taken as scalars because no shape was declared */
  undeclared: string[];
  target?: string;
  /** every declared shape (options and comments) */
  shapes: Map<string, Shape>;
  onehot: Set<string>;
}

export interface ParseOptions {
  shapes?: Map<string, Shape>;
  /** variables declared one-hot */
  onehot?: Iterable<string>;
  maxLength?: number;
  maxDepth?: number;
  /**
   * The first reading of the vector assumption (core/matcalc/assume.ts): a norm or softmax of a
   * name without a declared shape is read as a stand-in reduction instead of an error, so the
   * names it needs as vectors can be found. The result is never differentiated.
   */
  probe?: boolean;
}

const CMP_OPS: readonly CmpOp[] = ['<', '<=', '>', '>=', '==', '!='];
/** `np.pi` and friends. */
const PI_PATHS = new Set(['np.pi', 'math.pi', 'torch.pi']);
/** Keyword arguments of a catalogue call that do not change its value. */
const IGNORED_KEYWORDS = new Set(['inplace']);

class Parser {
  i = 0;
  depth = 0;
  env = new Map<string, Node>();
  undeclared = new Set<string>();
  constructor(readonly toks: Tok[], readonly shapes: Map<string, Shape>, readonly maxDepth: number, readonly onehot: Set<string> = new Set(), readonly probe = false) {}

  /** `X @ w` of names without a declared shape: which shapes to declare (never guessed). */
  undeclaredMatmul(l: Node, r: Node, t: { offset: number; length: number }): void {
    if (l.shape.length > 0 && r.shape.length > 0) return;
    const names = [...new Set([l, r].filter((n) => n.k === 'var' && n.shape.length === 0 && this.undeclared.has(n.name!)).map((n) => n.name!))];
    if (!names.length) return;
    const example = names.length === 1 && l.k === 'var' && r.k === 'var'
      ? `${names[0]}: (n,) for a vector, or (n, d) for a matrix`
      : [l, r].map((n, i) => (n.k === 'var' ? `${n.name}: ${i === 0 ? '(n, d)' : /^[A-Z]/.test(n.name!) ? '(d, k)' : '(d,)'}` : '')).filter(Boolean).join(', ');
    this.fail(`@ needs the shape${names.length > 1 ? 's' : ''} of ${names.join(' and ')}, which ${names.length > 1 ? 'are' : 'is'} not declared (a matrix or a vector cannot be told apart here). Declare ${names.length > 1 ? 'them' : 'it'} in a comment on the lines above, such as # ${example}`, t);
  }

  peek(): Tok { return this.toks[this.i]!; }
  next(): Tok { return this.toks[this.i++]!; }
  isOp(t: Tok, o: string): boolean { return t.kind === 'op' && t.text === o; }
  eat(o: string): boolean { if (this.isOp(this.peek(), o)) { this.i++; return true; } return false; }
  expect(o: string): Tok {
    const t = this.peek();
    if (!this.isOp(t, o)) this.fail(t.kind === 'eof' ? `expected '${o}' at the end of the input` : `expected '${o}', found '${t.text}'`, t);
    return this.next();
  }
  fail(msg: string, t: Tok | { offset: number; length: number }): never {
    throw new MatParseError(msg, t.offset, Math.max(t.length, 0));
  }
  guard<T>(t: Tok, f: () => T): T {
    if (++this.depth > this.maxDepth) this.fail(`expression is nested too deeply (more than ${this.maxDepth} levels)`, t);
    try { return f(); } finally { this.depth--; }
  }
  located<T>(t: Tok | { offset: number; length: number }, f: () => T): T {
    try { return f(); } catch (e) {
      if (e instanceof ShapeError) this.fail(e.message, t);
      throw e;
    }
  }
  node(v: Val, t: Tok): Node {
    if (v.t === 'node') return v.n;
    if (v.t === 'path' && PI_PATHS.has(normalizePath(v.s))) return constant('pi');
    if (v.t === 'path') this.fail(`'${v.s}' is not a value here`, t);
    if (v.t === 'tuple' || v.t === 'list') this.fail('a tuple or list is not a value here', t);
    return this.fail('not a value here', t);
  }

  program(): { expr: Node; target?: string } {
    let last: { expr: Node; target?: string } | undefined;
    for (;;) {
      while (this.peek().kind === 'nl' || this.isOp(this.peek(), ';')) this.next();
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (t.kind === 'name' && t.text === 'return') this.next();
      const t2 = this.toks[this.i + 1]!;
      if (t.kind === 'name' && this.isOp(t2, '=')) {
        this.i += 2;
        const at = this.peek();
        const e = this.node(this.expr(), at);
        this.env.set(t.text, e);
        last = { expr: e, target: t.text };
      } else {
        const at = this.peek();
        last = { expr: this.node(this.expr(), at) };
      }
      const e = this.peek();
      if (!(e.kind === 'nl' || e.kind === 'eof' || this.isOp(e, ';'))) this.fail(`unexpected '${e.text}'`, e);
    }
    if (!last) this.fail('empty input', this.peek());
    return last;
  }

  expr(): Val {
    const t0 = this.peek();
    const left = this.sum();
    const t = this.peek();
    const op = t.kind === 'op' ? CMP_OPS.find((o) => o === t.text) : undefined;
    if (!op) return left;
    this.next();
    const r = this.node(this.sum(), this.peek());
    const l = this.node(left, t0);
    return { t: 'node', n: this.located(t, () => raw.cmp(op, l, r)) };
  }

  sum(): Val {
    const t0 = this.peek();
    let left = this.term();
    for (;;) {
      const t = this.peek();
      if (this.isOp(t, '+') || this.isOp(t, '-')) {
        this.next();
        const r = this.node(this.term(), this.peek());
        const l = this.node(left, t0);
        left = { t: 'node', n: this.located(t, () => raw.add([l, t.text === '-' ? neg(r) : r])) };
      } else return left;
    }
  }

  term(): Val {
    const t0 = this.peek();
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (this.isOp(t, '*') || this.isOp(t, '/') || this.isOp(t, '@')) {
        this.next();
        const r = this.node(this.unary(), this.peek());
        const l = this.node(left, t0);
        if (t.text === '@') this.undeclaredMatmul(l, r, t);
        left = { t: 'node', n: this.located(t, () => (t.text === '*' ? raw.mul([l, r]) : t.text === '/' ? raw.mul([l, raw.pow(r, -1)]) : raw.matmul(l, r))) };
      } else if (this.isOp(t, '//') || this.isOp(t, '%')) this.fail(`'${t.text}' is not differentiable: unsupported`, t);
      else return left;
    }
  }

  unary(): Val {
    const t = this.peek();
    if (this.isOp(t, '-') || this.isOp(t, '+')) {
      this.next();
      return this.guard(t, () => {
        const v = this.node(this.unary(), this.peek());
        if (t.text === '+') return { t: 'node', n: v };
        return { t: 'node', n: v.k === 'num' ? num(-v.value!) : neg(v) };
      });
    }
    return this.power();
  }

  power(): Val {
    const t0 = this.peek();
    const base = this.postfix();
    const t = this.peek();
    if (this.isOp(t, '**')) {
      this.next();
      const et = this.peek();
      const e = this.guard(t, () => this.node(this.unary(), et));
      if (e.k !== 'num') this.fail('only a constant exponent is supported (x ** c)', et);
      return { t: 'node', n: raw.pow(this.node(base, t0), e.value!) };
    }
    return base;
  }

  postfix(): Val {
    let v = this.atom();
    for (;;) {
      const t = this.peek();
      if (this.isOp(t, '.')) {
        this.next();
        const nt = this.next();
        if (nt.kind !== 'name') this.fail('expected a name after .', nt);
        if (v.t === 'path') { v = { t: 'path', s: `${v.s}.${nt.text}` }; continue; }
        const n = this.node(v, t);
        if (nt.text === 'T') { v = { t: 'node', n: n.shape.length < 2 ? n : raw.T(n) }; continue; }
        if (nt.text === 'shape') { v = { t: 'shape', n }; continue; }
        if (['sum', 'mean', 'max', 'dot', 'transpose'].includes(nt.text) && this.isOp(this.peek(), '(')) {
          const ct = this.next();
          const args = this.args();
          v = this.call(`method.${nt.text}`, [{ v: { t: 'node', n }, tok: t }, ...args], { offset: nt.offset, length: this.toks[this.i - 1]!.offset + 1 - nt.offset });
          void ct;
          continue;
        }
        const m = spelled('method', nt.text);
        if (m && m.arity === 1 && this.isOp(this.peek(), '(')) {
          this.next();
          const args = this.args();
          v = { t: 'node', n: this.catalogueCall(m, `.${nt.text}`, [{ v: { t: 'node', n }, tok: t }, ...args], { offset: nt.offset, length: this.toks[this.i - 1]!.offset + 1 - nt.offset }) };
          continue;
        }
        this.fail(`attribute .${nt.text} is unsupported`, nt);
      }
      if (this.isOp(t, '(')) {
        if (v.t !== 'path') this.fail('only named functions can be called', t);
        const start = this.toks[this.i - 1]!;
        const path = v.s;
        this.next();
        const args = this.guard(t, () => this.args());
        const end = this.toks[this.i - 1]!;
        const span = { offset: start.offset - path.length + start.length, length: end.offset + 1 - (start.offset - path.length + start.length) };
        v = this.call(normalizePath(path), args, span);
        continue;
      }
      if (this.isOp(t, '[')) {
        this.next();
        v = this.index(v, t);
        continue;
      }
      return v;
    }
  }

  index(v: Val, t: Tok): Val {
    if (v.t === 'shape') {
      const it = this.next();
      if (it.kind !== 'num') this.fail('expected an integer index into .shape', it);
      this.expect(']');
      const d = v.n.shape[Number(it.text)];
      if (d === undefined && this.probe && v.n.shape.length === 0) return { t: 'node', n: num(1) }; // a stand-in until the shape is assumed
      if (d === undefined) this.fail(`.shape[${it.text}] is out of range for shape ${showShape(v.n.shape)}`, it);
      return { t: 'node', n: dimNode(d) };
    }
    const n = this.node(v, t);
    if (this.isOp(this.peek(), ':')) {
      this.next();
      this.expect(',');
      const nt = this.next();
      if (nt.kind !== 'name' || nt.text !== 'None') this.fail('only x[:, None] indexing is supported', nt);
      this.expect(']');
      return { t: 'node', n: this.located(t, () => raw.expand(n)) };
    }
    const it = this.peek();
    const idx = this.node(this.expr(), it);
    this.expect(']');
    if (n.k === 'eye' && idx.shape.length === 1) return { t: 'node', n: raw.onehot(idx, n.shape[0]!) };
    return this.fail('indexing is unsupported (except x[:, None], X.shape[i] and np.eye(k)[t])', t);
  }

  args(): Arg[] {
    const out: Arg[] = [];
    while (!this.isOp(this.peek(), ')')) {
      const t = this.peek();
      if (t.kind === 'name' && this.isOp(this.toks[this.i + 1]!, '=')) {
        this.i += 2;
        out.push({ name: t.text, v: this.expr(), tok: t });
      } else out.push({ v: this.expr(), tok: t });
      if (!this.eat(',')) break;
    }
    this.expect(')');
    return out;
  }

  atom(): Val {
    const t = this.next();
    if (t.kind === 'num') return { t: 'node', n: num(Number(t.text)) };
    if (t.kind === 'str') return { t: 'str', s: t.text };
    if (t.kind === 'name') {
      if (t.text === 'True' || t.text === 'False') return { t: 'const', v: t.text === 'True' };
      if (t.text === 'None') return { t: 'const', v: null };
      const bound = this.env.get(t.text);
      if (bound) return { t: 'node', n: bound };
      const s = this.shapes.get(t.text);
      if (s) {
        if (this.onehot.has(t.text) && s.length === 0) this.fail(`${t.text} is declared one-hot but is a scalar`, t);
        return { t: 'node', n: variable(t.text, s, this.onehot.has(t.text)) };
      }
      const after = this.peek();
      if ((isModuleName(t.text) && this.isOp(after, '.')) || (this.isOp(after, '(') && (SPECIAL_NAMES.has(t.text) || lookup('', t.text)))) return { t: 'path', s: t.text };
      this.undeclared.add(t.text);
      return { t: 'node', n: variable(t.text, []) };
    }
    if (this.isOp(t, '(') || this.isOp(t, '[')) {
      const close = t.text === '(' ? ')' : ']';
      return this.guard(t, () => {
        const items: Val[] = [];
        let comma = false;
        while (!this.isOp(this.peek(), close)) {
          items.push(this.expr());
          if (!this.eat(',')) break;
          comma = true;
        }
        this.expect(close);
        if (close === ']') return { t: 'list', items };
        if (items.length === 1 && !comma) return items[0]!;
        return { t: 'tuple', items };
      });
    }
    return this.fail(t.kind === 'eof' ? 'unexpected end of input' : `unexpected '${t.text}'`, t);
  }

  kw(args: Arg[], name: string): Arg | undefined {
    return args.find((a) => a.name === name);
  }

  axisOf(args: Arg[], pos: number): number | null {
    const a = this.kw(args, 'axis') ?? args.filter((x) => !x.name)[pos];
    if (!a) return null;
    if (a.v.t === 'const' && a.v.v === null) return null;
    if (a.v.t === 'node' && a.v.n.k === 'num' && Number.isInteger(a.v.n.value)) return a.v.n.value!;
    if (a.v.t === 'tuple') this.fail('a tuple of axes is unsupported', a.tok);
    return this.fail('axis must be an integer', a.tok);
  }

  keepdims(args: Arg[]): boolean {
    const a = this.kw(args, 'keepdims');
    if (!a) return false;
    if (a.v.t === 'const' && typeof a.v.v === 'boolean') return a.v.v;
    return this.fail('keepdims must be True or False', a.tok);
  }

  shapeArg(a: Arg | undefined, span: { offset: number; length: number }): Shape {
    if (!a) return this.fail('expected a shape', span);
    const items = a.v.t === 'tuple' || a.v.t === 'list' ? a.v.items : [a.v];
    return items.map((it) => {
      if (it.t === 'node' && it.n.k === 'num' && Number.isInteger(it.n.value) && it.n.value! > 0) return it.n.value!;
      if (it.t === 'node' && it.n.k === 'dim') return it.n.name!;
      return this.fail('a size must be an integer or X.shape[i]', a.tok);
    });
  }

  call(path: string, args: Arg[], span: { offset: number; length: number }): Val {
    const pos = args.filter((a) => !a.name);
    const arg = (i: number): Node => {
      const a = pos[i];
      if (!a) this.fail(`${path.replace(/^method\./, '.')}: missing argument ${i + 1}`, span);
      return this.node(a.v, a.tok);
    };
    const isZeroArg = (i: number): boolean => { const a = pos[i]; return !!a && a.v.t === 'node' && a.v.n.k === 'num' && a.v.n.value === 0; };
    return { t: 'node', n: this.located(span, (): Node => {
      switch (path) {
        case 'np.heaviside': {
          if (!isZeroArg(1)) this.fail('np.heaviside(x, h) is supported only with h = 0', span);
          return this.catalogueCall(lookup('np', 'heaviside')!, path, pos.slice(0, 1), span);
        }
        case 'np.logaddexp':
          if (isZeroArg(0)) return logOnePlusExp(arg(1));
          if (isZeroArg(1)) return logOnePlusExp(arg(0));
          return this.fail('np.logaddexp is supported only with 0 (ln(1 + eˣ))', span);
        case 'np.sum': case 'method.sum': case 'np.max': case 'method.max': case 'np.mean': case 'method.mean': {
          const x = arg(0);
          const axis = this.axisOf(args.slice(1), 0);
          const kd = this.keepdims(args);
          if (path.endsWith('max')) return raw.reduce('max', x, axis, kd);
          const s = raw.reduce('sum', x, axis, kd);
          if (!path.endsWith('mean')) return s;
          const ax = s.axis ?? null;
          const count = ax === null ? x.shape : [x.shape[ax]!];
          return raw.mul([s, ...count.map((d) => raw.pow(dimNode(d), -1))]);
        }
        case 'logsumexp': return raw.reduce('logsumexp', arg(0), this.axisOf(args.slice(1), 0), this.keepdims(args));
        case 'np.squeeze': {
          const x = arg(0);
          const ax = this.axisOf(args.slice(1), 0);
          if (ax === null) return this.fail('np.squeeze needs an axis', span);
          const a = ax < 0 ? ax + x.shape.length : ax;
          if (x.shape[a] !== 1) return this.fail(`np.squeeze: axis ${ax} of shape ${showShape(x.shape)} is not 1`, span);
          return raw.reduce('sum', x, a, false);
        }
        case 'len': {
          const x = arg(0);
          if (pos.length !== 1) return this.fail('len() takes one array', span);
          if (x.shape.length === 0) return this.probe ? num(1) : this.fail('len() of a scalar: declare the array\'s shape, such as # x: (n,)', span);
          return dimNode(x.shape[0]!);
        }
        case 'np.trace': return raw.square('trace', arg(0));
        case 'np.linalg.det': return raw.square('det', arg(0));
        case 'np.linalg.inv': return raw.square('inv', arg(0));
        case 'np.linalg.norm': {
          const x = arg(0);
          if (this.kw(args, 'axis') || pos.length > 2) return this.fail('np.linalg.norm with an axis is unsupported', span);
          if (this.probe && x.shape.length === 0) return raw.reduce('sum', x, null, false);
          const o = this.kw(args, 'ord') ?? pos[1];
          if (o) {
            const ok = (o.v.t === 'const' && o.v.v === null) || (o.v.t === 'str' && o.v.s === 'fro' && x.shape.length === 2)
              || (o.v.t === 'node' && o.v.n.k === 'num' && o.v.n.value === 2 && x.shape.length === 1);
            if (!ok) return this.fail(x.shape.length === 2 && o.v.t === 'node' ? 'the spectral norm (ord=2 of a matrix) is unsupported' : 'this norm order is unsupported (vectors: 2; matrices: Frobenius)', span);
          }
          return raw.norm(x);
        }
        case 'np.linalg.slogdet': return this.fail('use np.log(np.linalg.det(X)) (slogdet is unsupported)', span);
        case 'np.outer': return raw.outer(arg(0), arg(1));
        case 'np.dot': case 'np.matmul': case 'method.dot': {
          const [a, b] = [arg(0), arg(1)];
          if (path === 'np.dot' && (a.shape.length === 0 || b.shape.length === 0)) return raw.mul([a, b]);
          this.undeclaredMatmul(a, b, span);
          return raw.matmul(a, b);
        }
        case 'np.transpose': case 'method.transpose': { const x = arg(0); return x.shape.length < 2 ? x : raw.T(x); }
        case 'np.ones': return ones(this.shapeArg(pos[0], span));
        case 'np.zeros': return zero(this.shapeArg(pos[0], span));
        case 'np.eye': case 'np.identity': { const s = this.shapeArg(pos[0], span); if (s.length !== 1) this.fail('np.eye(n) takes one size', span); return eye(s[0]!); }
        case 'softmax': case 'log_softmax': if (this.probe && arg(0).shape.length === 0) { const x = arg(0); return raw.mul([x, raw.reduce('sum', x, null, false)]); }
          return raw.softmax(path === 'softmax' ? 'softmax' : 'logsoftmax', arg(0), this.axisOf(args.slice(1), 0));
        case 'cross_entropy': {
          const [z, y] = [arg(0), arg(1)];
          return raw.xent(z, y, y.shape.length === z.shape.length - 1);
        }
        case 'np.array': {
          const a = pos[0];
          if (!a || a.v.t !== 'list') return this.fail('np.array of a nested list of scalars is supported', span);
          const rows = a.v.items;
          if (rows.every((r) => r.t === 'list')) {
            const cols = (rows[0] as { items: Val[] }).items.length;
            const entries: Node[] = [];
            for (const r of rows) {
              const items = (r as { items: Val[] }).items;
              if (items.length !== cols) this.fail('ragged np.array', span);
              for (const it of items) entries.push(this.scalarEntry(it, span));
            }
            return raw.stack(entries, [rows.length, cols]);
          }
          return raw.stack(rows.map((r) => this.scalarEntry(r, span)), [rows.length]);
        }
      }
      const dot = path.lastIndexOf('.');
      const e = dot < 0 ? lookup('', path) : path.startsWith('method.') ? undefined : lookup(path.slice(0, dot), path.slice(dot + 1));
      if (e) return this.catalogueCall(e, path, args, span);
      return this.fail(`unsupported function ${path.replace(/^method\./, '.')}`, span);
    }) };
  }

  /** A catalogue entry called with array arguments, then its scalar parameters (positional or by keyword). */
  catalogueCall(entry: OpEntry, path: string, args: Arg[], span: { offset: number; length: number }): Node {
    let e = entry;
    const named = args.filter((a) => a.name && !IGNORED_KEYWORDS.has(a.name));
    // a string keyword that selects another entry (the catalogue's `selects`)
    for (const [k, choices] of Object.entries(e.selects ?? {})) {
      const a = named.find((x) => x.name === k);
      if (!a) continue;
      const target = a.v.t === 'str' && Object.prototype.hasOwnProperty.call(choices, a.v.s) ? choices[a.v.s] : undefined;
      if (target === undefined) this.fail(`${path}: ${k} must be ${Object.keys(choices).map((c) => `'${c}'`).join(' or ')}`, a.tok);
      named.splice(named.indexOf(a), 1);
      e = opOf(target);
    }
    const specs = [...e.params, ...(e.fixed ?? [])];
    const pos = args.filter((a) => !a.name);
    if (pos.length < e.arity) this.fail(`${path}: missing argument ${pos.length + 1}`, span);
    if (pos.length > e.arity + specs.length) this.fail(`${path}: too many arguments`, pos[e.arity + specs.length]!.tok);
    const xs = pos.slice(0, e.arity).map((a) => this.node(a.v, a.tok));
    const constant = (a: Arg): number => {
      if (a.v.t === 'node' && a.v.n.k === 'num') return a.v.n.value!;
      return this.fail(`${path}: ${a.name ?? 'a parameter'} must be a number`, a.tok);
    };
    const values = specs.map((q) => q.default);
    pos.slice(e.arity).forEach((a, i) => (values[i] = constant(a)));
    for (const a of named) {
      const i = specs.findIndex((q) => q.name === a.name || (q.aliases ?? []).includes(a.name!));
      if (i < 0) this.fail(`${path}: keyword ${a.name} is unsupported`, a.tok);
      values[i] = constant(a);
    }
    // keywords accepted only at their defaults (the catalogue's `fixed`)
    specs.forEach((q, i) => {
      if (i >= e.params.length && values[i] !== q.default) this.fail(`${path}: ${q.name} other than ${q.default} is unsupported`, span);
    });
    const params = values.slice(0, e.params.length);
    if (e.name === 'log' && xs[0]!.k === 'det') return raw.square('logdet', xs[0]!.args[0]!);
    return e.expand ? applyEntry(e, xs, params) : raw.fn(e, xs, params);
  }

  scalarEntry(v: Val, span: { offset: number; length: number }): Node {
    if (v.t !== 'node' || v.n.shape.length !== 0) this.fail('np.array entries must be scalars', span);
    return v.n;
  }
}

function neg(n: Node): Node {
  return raw.mul([num(-1), n]);
}

/** Bare names of this parser's own array functions. */
const SPECIAL_NAMES = new Set(['softmax', 'log_softmax', 'logsumexp', 'cross_entropy', 'len']);

function normalizePath(p: string): string {
  let s = p.replace(/^numpy\./, 'np.');
  s = s.replace(/^(scipy\.special|special|F|torch\.nn\.functional|torch)\.(softmax|log_softmax|logsumexp|cross_entropy)$/, '$2');
  if (s === 'np.linalg.trace') s = 'np.trace';
  return s;
}

export function parseMatrix(text: string, opts: ParseOptions = {}): Parsed {
  const maxLength = opts.maxLength ?? 20000;
  if (text.length > maxLength) throw new MatParseError(`input is longer than ${maxLength} characters`, maxLength, text.length - maxLength);
  const comments: string[] = [];
  const toks = lex(text, comments);
  const shapes = new Map<string, Shape>();
  const onehot = new Set(opts.onehot ?? []);
  for (const c of comments) {
    for (const [k, v] of parseShapeSpec(c)) shapes.set(k, v);
    for (const k of parseOneHot(c)) onehot.add(k);
  }
  for (const [k, v] of opts.shapes ?? []) shapes.set(k, v);
  const p = new Parser(toks, shapes, opts.maxDepth ?? 200, onehot, opts.probe ?? false);
  const { expr, target } = p.program();
  return { expr, target, undeclared: [...p.undeclared], shapes, onehot };
}
