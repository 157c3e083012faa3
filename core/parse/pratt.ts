/**
 * The expression core shared by the Python, JavaScript and plain-math
 * parsers: a hand-written Pratt (precedence-climbing) parser driven by a
 * per-language `Dialect` table. Hand-written, not generated, so that every
 * error names the exact offset and length of the offending token.
 *
 * Binding powers, loosest first:
 *   ternary (1) < comparison (3) < + - (5) < * / implicit (7) < unary ± (9) < ** ^ (11) < calls, attributes
 * so `-x**2` is `-(x**2)`, `2**-x` works, and `**`/`^` are right-associative.
 *
 * Chains of `+`/`-` and of `*`/`/` at one level become one n-ary `add`/`mul`
 * (`a - b + c` → add(a, -b, c), `a*b/c` → mul(a, b, c⁻¹)), so long sums do
 * not become deep trees. Nesting (brackets, calls, unary operators, powers,
 * ternaries) is counted and capped by `maxDepth`, which also keeps the
 * JavaScript stack safe.
 */
import { call, cmp, NEG_ONE, numFromText, pow, rat, sqrt, float, mul, add } from '../expr';
import type { CmpOp, Expr } from '../expr';
import { ARRAY_ATTRIBUTES, DepthGuard, fail, negate, subscriptedVariable, variable } from './common';
import type { Span } from './common';
import { applyFunction, INVERSE, isUnaryDef } from './functions';
import type { Arg, ArgValue, FnDef, FnTable } from './functions';
import { tokenize } from './lexer';
import { isCond } from '../print';
import { isModuleName } from '../ops';
import type { LexConfig, Token } from './lexer';

export const BP = { TERNARY: 1, COND: 2, CMP: 3, ADD: 5, MUL: 7, UNARY: 9, POW: 11 } as const;

export interface Dialect {
  lang: 'python' | 'javascript' | 'math';
  lex: LexConfig;
  powerOps: readonly string[];
  /** `2x`, `x y`, `(x+1)(x-1)`, `2 sin(x)` (plain math). */
  implicitMul: boolean;
  /** `|x|` is an absolute value (plain math). */
  absBars: boolean;
  /** `[…]` and `{…}` group like parentheses (plain math). */
  groupBrackets: boolean;
  /** JavaScript rejects `-x ** 2`. */
  unaryPowIsError: boolean;
  ternary: 'python' | 'js' | null;
  cmpOps: Readonly<Record<string, CmpOp>>;
  functions: FnTable;
  /** Methods on values (`x.exp()`, `x.clamp(min=0)`), receiver first; null when the language has none. */
  methods: FnTable | null;
  /** `ReLU(x)`, `Sin(x)`: look function names up in lower case too. */
  caseInsensitiveFunctions: boolean;
  /** Module prefixes under which `functions` and `memberConstants` live (`np`, `torch.nn.functional`, `Math`). */
  modules: readonly string[];
  /** `np.pi`, `Math.PI`: constants behind a module prefix. */
  memberConstants: Readonly<Record<string, Expr>>;
  /** `pi`, `π`, `e` without a prefix (plain math). */
  bareConstants: Readonly<Record<string, Expr>>;
  /** `self.w` / `this.w` read as the variable `w`. */
  selfNames: readonly string[];
  /**
   * Python: a name with subscripts or attributes (`p["w1"]`, `X[i, 0]`, `W[0][1]`, `params.w1`,
   * `self.w`) is one scalar variable named by its normalised source text (see `subscriptedName`).
   */
  subscriptedNames?: boolean;
  keywords: ReadonlySet<string>;
  /** `True` → 1, `false` → 0. */
  literalKeywords: Readonly<Record<string, Expr>>;
  kwargs: boolean;
  /** `sin x`, `sin^2 x`: function application without parentheses (plain math). */
  bareFunctionArgs: boolean;
  /** `e^x` → exp(x). */
  eToExp: boolean;
  /** Boolean operators rejected with a clear message. */
  boolOps: readonly string[];
  /**
   * Logical operators between conditions: `(x > 0) & (x < 1)`, `a > 0 and b > 0`, `c1 && c2`.
   * "and" is the product of the 0/1 conditions and "or" their maximum, both exact.
   * `bracketed` operators (Python's `&`, `|`, which bind tighter than comparisons) need parenthesized
   * operands, so that `x > 0 & x < 1`, which NumPy rejects, is not silently read otherwise.
   */
  condOps: Readonly<Record<string, { op: 'and' | 'or'; bracketed: boolean }>>;
}

export { isCond as isCondition } from '../print';

/** Module names that are never variables, beyond the catalogue's (`plt.plot`, `nn.Linear`). */
const NOT_VARIABLES = new Set(['plt', 'nn', 'jax', 'scipy', 'pd']);

const has = <T>(o: Readonly<Record<string, T>>, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

const OPENERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

export class ExprParser {
  readonly toks: Token[];
  pos = 0;
  readonly guard: DepthGuard;
  private absDepth = 0;
  private readonly moduleSet: ReadonlySet<string>;
  private readonly moduleRoots: ReadonlySet<string>;
  /**
   * A call of a bare name defined by the user (`sigmoid(h)` with `def sigmoid…` in the file):
   * the expanded body, consuming the arguments; undefined when the name is not the user's.
   */
  userCall?: (p: ExprParser, name: Token, span: Span) => Expr | undefined;

  constructor(
    readonly text: string,
    readonly d: Dialect,
    maxDepth: number,
  ) {
    this.toks = tokenize(text, d.lex);
    this.guard = new DepthGuard(maxDepth);
    this.moduleSet = new Set(d.modules);
    this.moduleRoots = new Set(d.modules.map((m) => m.split('.')[0]!));
  }

  // ---------------------------------------------------------------- tokens

  peek(k = 0): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)]!;
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  /** End offset of the last consumed token. */
  prevEnd(): number {
    const t = this.toks[this.pos - 1];
    return t ? t.offset + t.length : 0;
  }

  isOp(t: Token, s: string): boolean {
    return t.kind === 'op' && t.text === s;
  }

  isName(t: Token, s: string): boolean {
    return t.kind === 'name' && t.text === s;
  }

  unexpected(t: Token): never {
    if (t.kind === 'eof') fail('unexpected end of input', t.offset, 0);
    if (t.kind === 'nl') fail(`unexpected end of line at offset ${t.offset}`, t.offset, t.length);
    if (t.kind === 'str') fail(`unexpected string at offset ${t.offset}`, t.offset, t.length);
    fail(`unexpected "${t.src}" at offset ${t.offset}`, t.offset, t.length);
  }

  expect(s: string, what?: string): Token {
    const t = this.peek();
    if (this.isOp(t, s) || this.isName(t, s)) return this.next();
    const found = t.kind === 'eof' ? 'the end of input' : t.kind === 'nl' ? 'the end of the line' : `"${t.src}"`;
    fail(`expected "${s}"${what ? ` ${what}` : ''} but found ${found} at offset ${t.offset}`, t.offset, t.length);
  }

  expectClose(open: Token, close: string): Token {
    const t = this.peek();
    if (this.isOp(t, close)) return this.next();
    fail(`expected "${close}" to close "${open.src}" at offset ${open.offset}`, t.offset, t.length);
  }

  /** Index of the bracket closing the one at token index `i`, or -1. */
  matchClose(i: number): number {
    let depth = 0;
    for (let j = i; j < this.toks.length; j++) {
      const t = this.toks[j]!;
      if (t.kind !== 'op') continue;
      if (has(OPENERS, t.text)) depth++;
      else if (t.text === ')' || t.text === ']' || t.text === '}') {
        depth--;
        if (depth === 0) return j;
        if (depth < 0) return -1;
      }
    }
    return -1;
  }

  // ---------------------------------------------------------- expressions

  /** A full expression: ternary, lambda/arrow, comparisons and below. */
  parseTest(): Expr {
    return this.parseExpr(BP.TERNARY);
  }

  parseExpr(minBp: number): Expr {
    const d = this.d;
    let left = this.parsePrefix(minBp);
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && d.powerOps.includes(t.text)) {
        if (BP.POW < minBp) break;
        this.next();
        this.guard.enter(t);
        const rhs = this.parseExpr(BP.POW);
        this.guard.leave();
        left = d.eToExp && left.kind === 'const' && left.name === 'e' ? call('exp', rhs) : pow(left, rhs);
        continue;
      }
      if (this.isMulOp(t) || this.startsImplicit(t)) {
        if (BP.MUL < minBp) break;
        left = this.mulChain(left);
        continue;
      }
      if (this.isOp(t, '+') || this.isOp(t, '-')) {
        if (BP.ADD < minBp) break;
        left = this.addChain(left);
        continue;
      }
      const op = this.cmpOp(t);
      if (op) {
        if (BP.CMP < minBp) break;
        this.next();
        left = cmp(op, left, this.parseExpr(BP.CMP + 1));
        const again = this.peek();
        if (this.cmpOp(again)) fail('chained comparisons are not supported', again.offset, again.length);
        continue;
      }
      if (d.ternary === 'python' && this.isName(t, 'if')) {
        if (BP.TERNARY < minBp) break;
        this.next();
        this.guard.enter(t);
        const cond = this.parseExpr(BP.TERNARY + 1);
        this.expect('else', 'in a conditional expression');
        const other = this.parseExpr(BP.TERNARY);
        this.guard.leave();
        left = call('where', cond, left, other);
        continue;
      }
      if (d.ternary === 'js' && this.isOp(t, '?')) {
        if (BP.TERNARY < minBp) break;
        this.next();
        this.guard.enter(t);
        const a = this.parseExpr(BP.TERNARY);
        this.expect(':', 'in a conditional expression');
        const b = this.parseExpr(BP.TERNARY);
        this.guard.leave();
        left = call('where', left, a, b);
        continue;
      }
      if ((t.kind === 'op' || t.kind === 'name') && has(d.condOps, t.text)) {
        if (BP.COND < minBp) break;
        const { op, bracketed } = d.condOps[t.text]!;
        const before = this.toks[this.pos - 1];
        if (bracketed && !(before && this.isOp(before, ')'))) {
          fail(`put each side of "${t.src}" in parentheses, as in (x > 0) ${t.src} (x < 1): "${t.src}" binds tighter than comparisons`, t.offset, t.length);
        }
        this.next();
        const after = this.peek();
        if (bracketed && !this.isOp(after, '(')) {
          fail(`put each side of "${t.src}" in parentheses, as in (x > 0) ${t.src} (x < 1): "${t.src}" binds tighter than comparisons`, t.offset, t.length);
        }
        const rhs = this.parseExpr(BP.COND + 1);
        if (!isCond(left) || !isCond(rhs)) {
          fail(`"${t.src}" is supported only between conditions such as (x > 0)`, t.offset, t.length);
        }
        left = op === 'and' ? mul(left, rhs) : call('max', left, rhs);
        continue;
      }
      if ((t.kind === 'op' || t.kind === 'name') && d.boolOps.includes(t.text)) {
        fail(`boolean operator "${t.src}" is not supported`, t.offset, t.length);
      }
      break;
    }
    return left;
  }

  private cmpOp(t: Token): CmpOp | undefined {
    return t.kind === 'op' && has(this.d.cmpOps, t.text) ? this.d.cmpOps[t.text] : undefined;
  }

  private isMulOp(t: Token): boolean {
    return t.kind === 'op' && (t.text === '*' || t.text === '/' || t.text === '@' || t.text === '%' || t.text === '//');
  }

  /** Can `t` begin the right-hand factor of an implicit multiplication? (Never a number: `2 3` is an error.) */
  private startsImplicit(t: Token): boolean {
    const d = this.d;
    if (!d.implicitMul) return false;
    if (t.kind === 'name') return !d.keywords.has(t.text);
    if (t.kind !== 'op') return false;
    if (t.text === '(' || t.text === '√') return true;
    if (d.groupBrackets && (t.text === '[' || t.text === '{')) return true;
    return d.absBars && t.text === '|' && this.absDepth === 0;
  }

  private mulChain(first: Expr): Expr {
    const factors = [first];
    for (;;) {
      const t = this.peek();
      if (this.isOp(t, '*')) {
        this.next();
        factors.push(this.parseExpr(BP.MUL + 1));
      } else if (this.isOp(t, '/')) {
        this.next();
        factors.push(pow(this.parseExpr(BP.MUL + 1), NEG_ONE));
      } else if (this.isOp(t, '@')) {
        fail('matrix product is not supported here', t.offset, t.length);
      } else if (this.isOp(t, '%')) {
        fail('the remainder operator "%" is not supported', t.offset, t.length);
      } else if (this.isOp(t, '//')) {
        fail('floor division "//" is not supported', t.offset, t.length);
      } else if (this.startsImplicit(t)) {
        factors.push(this.parseExpr(BP.MUL + 1));
      } else break;
    }
    return mul(...factors);
  }

  private addChain(first: Expr): Expr {
    const terms = [first];
    for (;;) {
      const t = this.peek();
      if (this.isOp(t, '+')) {
        this.next();
        terms.push(this.parseExpr(BP.ADD + 1));
      } else if (this.isOp(t, '-')) {
        this.next();
        terms.push(negate(this.parseExpr(BP.ADD + 1)));
      } else break;
    }
    return add(...terms);
  }

  private parsePrefix(minBp: number): Expr {
    const t = this.peek();
    const d = this.d;
    if (t.kind === 'num') {
      this.next();
      return this.postfix(this.number(t));
    }
    if (t.kind === 'name') return d.lang === 'math' ? this.mathName() : this.progName(minBp);
    if (t.kind !== 'op') this.unexpected(t);
    switch (t.text) {
      case '(':
        if (d.lang === 'javascript' && minBp <= BP.TERNARY && this.arrowAhead()) return this.arrow();
        return this.postfix(this.group(')'));
      case '[':
      case '{':
        if (d.groupBrackets) return this.group(OPENERS[t.text]!);
        if (t.text === '[') fail('lists and indexing are not supported', t.offset, t.length);
        break;
      case '-':
      case '+':
        return this.unary();
      case '|':
        if (d.absBars) return this.abs();
        break;
      case '√': {
        this.next();
        this.guard.enter(t);
        const x = this.parseExpr(BP.POW);
        this.guard.leave();
        return sqrt(x);
      }
      case '*':
      case '**':
        if (d.lang === 'python') fail(`unpacking with "${t.src}" is not supported`, t.offset, t.length);
        break;
    }
    this.unexpected(t);
  }

  private number(t: Token): Expr {
    const s = t.text.replace(/_/g, '');
    if (/^0[xXbBoO]/.test(s)) {
      const v = Number(s);
      return Number.isSafeInteger(v) ? rat(v) : float(v);
    }
    return numFromText(s);
  }

  private unary(): Expr {
    const t = this.next();
    this.guard.enter(t);
    let x: Expr;
    if (this.d.unaryPowIsError) {
      x = this.parseExpr(BP.POW + 1);
      const p = this.peek();
      if (p.kind === 'op' && this.d.powerOps.includes(p.text)) {
        fail(`unary "${t.src}" before "${p.src}" needs parentheses in JavaScript`, p.offset, p.length);
      }
    } else {
      x = this.parseExpr(BP.UNARY);
    }
    this.guard.leave();
    return t.text === '-' ? negate(x) : x;
  }

  private group(close: string): Expr {
    const open = this.next();
    this.guard.enter(open);
    const saved = this.absDepth;
    this.absDepth = 0;
    const e = this.parseTest();
    const t = this.peek();
    if (this.isOp(t, ',') && this.d.lang === 'python') fail('tuples are not supported', t.offset, t.length);
    this.expectClose(open, close);
    this.absDepth = saved;
    this.guard.leave();
    return e;
  }

  private abs(): Expr {
    const open = this.next();
    this.guard.enter(open);
    this.absDepth++;
    const e = this.parseExpr(0);
    this.expectClose(open, '|');
    this.absDepth--;
    this.guard.leave();
    return call('abs', e);
  }

  /** Method calls, and clear errors for attributes, indexing and calling a value. */
  private postfix(value: Expr): Expr {
    if (this.d.lang === 'math') return value;
    for (;;) {
      const t = this.peek();
      if (this.isOp(t, '.') && this.peek(1).kind === 'name') {
        const name = this.peek(1);
        if (this.d.methods && this.isOp(this.peek(2), '(')) {
          this.next();
          this.next();
          value = this.methodCall(value, name);
          continue;
        }
        fail(`attribute access ".${name.text}" is not supported`, t.offset, name.offset + name.length - t.offset);
      }
      if (this.isOp(t, '[')) fail('indexing is not supported', t.offset, t.length);
      if (this.isOp(t, '(')) fail('only functions can be called', t.offset, t.length);
      return value;
    }
  }

  // ------------------------------------------------------------- calls

  /** Arguments after an opening parenthesis, through the closing one. */
  parseArgs(open: Token): Arg[] {
    this.guard.enter(open);
    const saved = this.absDepth;
    this.absDepth = 0;
    const args: Arg[] = [];
    while (!this.isOp(this.peek(), ')')) {
      const s = this.peek();
      if (s.kind === 'eof' || s.kind === 'nl') break;
      let name: string | undefined;
      if (this.d.kwargs && s.kind === 'name' && this.isOp(this.peek(1), '=')) {
        this.next();
        this.next();
        name = s.text;
      }
      const v = this.peek();
      const after = this.peek(1);
      const ends = this.isOp(after, ',') || this.isOp(after, ')');
      let value: ArgValue;
      if (v.kind === 'str' && ends) {
        this.next();
        value = { kind: 'str', value: v.text };
      } else if (this.d.lang === 'python' && this.isName(v, 'None') && ends) {
        this.next();
        value = { kind: 'none' };
      } else {
        value = { kind: 'expr', expr: this.parseTest() };
      }
      const arg: Arg = { value, offset: s.offset, length: this.prevEnd() - s.offset };
      if (name !== undefined) arg.name = name;
      args.push(arg);
      if (!this.isOp(this.peek(), ',')) break;
      this.next();
    }
    this.expectClose(open, ')');
    this.absDepth = saved;
    this.guard.leave();
    return args;
  }

  private methodCall(receiver: Expr, nameTok: Token): Expr {
    const methods = this.d.methods!;
    let name = nameTok.text;
    // In-place variants (`x.exp_()`) compute the same value.
    if (!methods.has(name) && name.length > 1 && name.endsWith('_')) name = name.slice(0, -1);
    const def = methods.get(name);
    if (!def) fail(`unknown method ".${nameTok.text}()"`, nameTok.offset, nameTok.length);
    const args = this.parseArgs(this.next());
    const recv: Arg = { value: { kind: 'expr', expr: receiver }, offset: nameTok.offset, length: nameTok.length };
    return applyFunction(def, `.${nameTok.text}`, '', nameTok, args, recv);
  }

  /** How many leading path segments form a known module (`torch.nn.functional` → 3), or 0. */
  private modulePrefix(path: readonly Token[]): number {
    for (let k = path.length - 1; k >= 1; k--) {
      if (this.moduleSet.has(path.slice(0, k).map((p) => p.text).join('.'))) return k;
    }
    return 0;
  }

  private isModulePath(path: readonly Token[]): boolean {
    return path.length > 1 && this.moduleRoots.has(path[0]!.text);
  }

  // ------------------------------------------------- Python / JavaScript names

  private progName(minBp: number): Expr {
    const d = this.d;
    const t = this.next();
    if (d.keywords.has(t.text)) return this.keyword(t, minBp);
    if (d.lang === 'javascript' && minBp <= BP.TERNARY && this.isOp(this.peek(), '=>')) {
      this.next();
      return this.arrowBody(t);
    }
    const path = [t];
    while (this.isOp(this.peek(), '.') && this.peek(1).kind === 'name' && !d.keywords.has(this.peek(1).text)) {
      this.next();
      path.push(this.next());
    }
    const last = path[path.length - 1]!;
    const span: Span = { offset: t.offset, length: last.offset + last.length - t.offset };
    const display = path.map((p) => p.text).join('.');
    if (this.isOp(this.peek(), '(')) return this.postfix(this.callPath(path, span, display));
    if (this.isOp(this.peek(), '[') && this.canSubscript(path)) return this.postfix(this.subscripted(path));
    return this.postfix(this.valuePath(path));
  }

  /** Can this name path head a subscripted variable (not a module, not an array attribute such as `.T`)? */
  private canSubscript(path: readonly Token[]): boolean {
    const first = path[0]!.text;
    if (!this.d.subscriptedNames || this.isModulePath(path)) return false;
    if (isModuleName(first) || this.moduleRoots.has(first) || NOT_VARIABLES.has(first)) return false;
    return path.slice(1).every((p) => !ARRAY_ATTRIBUTES.has(p.text));
  }

  /**
   * `p["w1"]`, `X[i, 0]`, `W[0][1]`, `self.W[0]`: one scalar variable named by its normalised text:
   * attributes joined by ".", string keys in double quotes, indices separated by ", ", as in
   * `p["w1"]`, `X[i, 0]`. An index must be an integer, a name or a string key: a slice or an
   * expression is not one number of the user's.
   */
  private subscripted(path: readonly Token[]): Expr {
    const first = path[0]!;
    let name = path.map((p) => p.text).join('.');
    while (this.isOp(this.peek(), '[')) {
      const openIdx = this.pos;
      const open = this.next();
      const parts: string[] = [];
      for (;;) {
        const t = this.peek();
        let part: string | undefined;
        if (t.kind === 'str' && !/["\\[\]\n]/.test(t.text) && t.text.length > 0) part = `"${t.text}"`;
        else if (t.kind === 'num' && /^\d+$/.test(t.text.replace(/_/g, ''))) part = String(Number(t.text.replace(/_/g, '')));
        else if (this.isOp(t, '-') && this.peek(1).kind === 'num' && /^\d+$/.test(this.peek(1).text.replace(/_/g, ''))) {
          this.next();
          part = `-${Number(this.peek().text.replace(/_/g, ''))}`;
        } else if (t.kind === 'name' && !this.d.keywords.has(t.text) && !isModuleName(t.text)) part = t.text;
        if (part === undefined || !(this.isOp(this.peek(1), ',') || this.isOp(this.peek(1), ']'))) {
          const close = this.matchClose(openIdx);
          const slice = this.toks.slice(this.pos, close > 0 ? close : this.pos + 1).some((u) => this.isOp(u, ':'));
          fail(
            slice
              ? `slicing is not supported: "${name}[…]" with ":" is an array; a subscripted variable takes integer, name or string indices`
              : `an index of "${name}[…]" must be an integer, a name or a string key, as in X[i, 0] or p["w1"]`,
            t.offset,
            Math.max(1, t.length),
          );
        }
        this.next();
        parts.push(part);
        if (this.isOp(this.peek(), ']')) break;
        this.next(); // ","
      }
      this.expectClose(open, ']');
      name += `[${parts.join(', ')}]`;
    }
    return subscriptedVariable(name, first);
  }

  private callPath(path: readonly Token[], span: Span, display: string): Expr {
    const d = this.d;
    let def: FnDef | undefined;
    let module = '';
    if (this.isModulePath(path)) {
      const k = this.modulePrefix(path);
      module = path
        .slice(0, k)
        .map((p) => p.text)
        .join('.');
      if (k > 0 && k === path.length - 1) def = d.functions.resolve(module, path[k]!.text);
    } else if (path.length === 1) {
      const expanded = this.userCall?.(this, path[0]!, span);
      if (expanded) return expanded;
      def = d.functions.get(path[0]!.text);
    } else if (d.methods) {
      const recv = this.valuePath(path.slice(0, -1));
      return this.methodCall(recv, path[path.length - 1]!);
    }
    if (!def) fail(`unknown function "${display}"`, span.offset, span.length);
    const args = this.parseArgs(this.next());
    return applyFunction(def, display, module, span, args);
  }

  private valuePath(path: readonly Token[]): Expr {
    const d = this.d;
    const first = path[0]!;
    if (path.length === 1) {
      if (isModuleName(first.text) || this.moduleRoots.has(first.text) || NOT_VARIABLES.has(first.text)) {
        fail(`"${first.text}" is a module, not a variable`, first.offset, first.length);
      }
      return variable(first.text, first);
    }
    const end = path[path.length - 1]!;
    const whole: Span = { offset: first.offset, length: end.offset + end.length - first.offset };
    const text = path.map((p) => p.text).join('.');
    if (this.isModulePath(path)) {
      const k = this.modulePrefix(path);
      if (k === path.length - 1) {
        const member = end.text;
        if (has(d.memberConstants, member)) return d.memberConstants[member]!;
        if (d.functions.resolve(path.slice(0, k).map((p) => p.text).join('.'), member)) fail(`"${text}" is a function: call it with arguments`, whole.offset, whole.length);
      }
      fail(`unknown name "${text}"`, whole.offset, whole.length);
    }
    if (this.canSubscript(path)) return subscriptedVariable(text, first);
    if (path.length === 2 && d.selfNames.includes(first.text)) return variable(end.text, end);
    const attr = path[1]!;
    fail(`attribute access "${text}" is not supported`, attr.offset - 1, end.offset + end.length - attr.offset + 1);
  }

  private keyword(t: Token, minBp: number): Expr {
    const d = this.d;
    if (has(d.literalKeywords, t.text)) return d.literalKeywords[t.text]!;
    if (d.lang === 'python' && t.text === 'lambda') {
      if (minBp > BP.TERNARY) this.unexpected(t);
      // Parameters are just names; the body is the value.
      while (!this.isOp(this.peek(), ':')) {
        const p = this.peek();
        if (p.kind !== 'name' || d.keywords.has(p.text)) this.unexpected(p);
        this.next();
        if (!this.isOp(this.peek(), ',')) break;
        this.next();
      }
      this.expect(':', 'after the lambda parameters');
      this.guard.enter(t);
      const body = this.parseTest();
      this.guard.leave();
      return body;
    }
    if (t.text === 'not') fail('boolean operator "not" is not supported', t.offset, t.length);
    this.unexpected(t);
  }

  // ------------------------------------------------ JavaScript arrow functions

  /**
   * Is the `(` at token index `from` the parameter list of an arrow function?
   * Returns the index of `=>` or -1. Only a flat list of names (with
   * TypeScript annotations) is looked at, so this stays cheap on `((((…`.
   */
  arrowIndex(from = this.pos): number {
    let j = from + 1;
    for (; j < this.toks.length; j++) {
      const u = this.toks[j]!;
      if (u.kind === 'name') continue;
      if (u.kind === 'op' && [',', ':', '?', '.', '[', ']', '<', '>', '|', '='].includes(u.text)) continue;
      break;
    }
    const close = this.toks[j];
    if (!close || !this.isOp(close, ')')) return -1;
    j++;
    const t = this.toks[j];
    if (t && this.isOp(t, '=>')) return j;
    if (t && this.isOp(t, ':')) {
      // TypeScript return type annotation: skip to `=>` on the same statement.
      for (j++; j < this.toks.length; j++) {
        const u = this.toks[j]!;
        if (this.isOp(u, '=>')) return j;
        if (u.kind === 'eof' || this.isOp(u, ';') || this.isOp(u, '=') || this.isOp(u, '{') || this.isOp(u, '(')) return -1;
      }
    }
    return -1;
  }

  private arrowAhead(): boolean {
    return this.arrowIndex() >= 0;
  }

  private arrow(): Expr {
    const start = this.peek();
    this.pos = this.arrowIndex() + 1;
    return this.arrowBody(start);
  }

  private arrowBody(start: Token): Expr {
    const b = this.peek();
    if (this.isOp(b, '{')) {
      fail('an arrow function with a block body is only supported as a declaration header', b.offset, b.length);
    }
    this.guard.enter(start);
    const body = this.parseTest();
    this.guard.leave();
    return body;
  }

  // --------------------------------------------------------- plain math

  private lookupMath(name: string): FnDef | undefined {
    const fns = this.d.functions;
    return fns.get(name) ?? (this.d.caseInsensitiveFunctions && name.length > 1 ? fns.get(name.toLowerCase()) : undefined);
  }

  /** Is this name token a function (so it ends a parenthesis-free argument)? */
  private isMathFunction(t: Token): boolean {
    if (t.kind !== 'name' || has(this.d.bareConstants, t.text)) return false;
    if (t.text === 'σ' || t.text === 'sigma') return false;
    return this.lookupMath(t.text) !== undefined;
  }

  private mathName(): Expr {
    const d = this.d;
    const t = this.next();
    const name = t.text;
    if (has(d.bareConstants, name)) return d.bareConstants[name]!;
    let def = this.lookupMath(name);
    // σ and sigma are the logistic function only when applied: `σ(x)`; otherwise a variable.
    if ((name === 'σ' || name === 'sigma') && !this.isOp(this.peek(), '(')) def = undefined;
    if (def) return this.mathCall(t, def);
    if (this.isOp(this.peek(), '(')) {
      fail(`unknown function "${name}" (write "${name}*(…)" for a product)`, t.offset, t.length);
    }
    return variable(name, t);
  }

  private mathCall(t: Token, def: FnDef): Expr {
    let power: Expr | undefined;
    const p = this.peek();
    if (p.kind === 'op' && this.d.powerOps.includes(p.text)) {
      this.next();
      this.guard.enter(p);
      power = this.parseExpr(BP.POW);
      this.guard.leave();
    }
    const lower = t.text.toLowerCase();
    const inverse =
      power && power.kind === 'num' && power.p === -1 && power.q === 1 && has(INVERSE, lower) ? INVERSE[lower] : undefined;
    let args: Arg[];
    if (this.isOp(this.peek(), '(')) {
      args = this.parseArgs(this.next());
    } else if (this.d.bareFunctionArgs && isUnaryDef(def)) {
      const s = this.peek();
      const starts = s.kind === 'num' || this.startsImplicit(s) || this.isOp(s, '-') || this.isOp(s, '+');
      if (!starts) fail(`expected an argument after "${t.src}"`, s.offset, s.length);
      this.guard.enter(t);
      const x = this.bareArg();
      this.guard.leave();
      args = [{ value: { kind: 'expr', expr: x }, offset: s.offset, length: this.prevEnd() - s.offset }];
    } else {
      const n = this.peek();
      fail(`expected "(" after "${t.src}"`, n.offset, n.length);
    }
    if (inverse) {
      const invDef = this.d.functions.get(inverse)!;
      return applyFunction(invDef, `${t.src}^-1`, '', t, args);
    }
    const result = applyFunction(def, t.src, '', t, args);
    return power ? pow(result, power) : result;
  }

  /**
   * The argument of a function written without parentheses: the implicit
   * product of the following factors, up to an explicit operator or another
   * function (`sin 2x` = sin(2x), `sin x cos x` = sin(x)·cos(x), `sin x^2` = sin(x²)).
   */
  private bareArg(): Expr {
    const factors = [this.parseExpr(BP.UNARY)];
    for (;;) {
      const t = this.peek();
      if (!this.startsImplicit(t) || this.isMathFunction(t)) break;
      factors.push(this.parseExpr(BP.MUL + 1));
    }
    return mul(...factors);
  }
}
