/**
 * LaTeX selections: `\frac`, `\sqrt[n]{}`, `^{}`/`_{}`, `\cdot`, `\times`,
 * implicit multiplication, `\left( \right)`, `|x|`, `\sin^2 x`, `\sin^{-1}`,
 * `\ln`, `\log` (natural; `\log_2`, `\log_{10}`, `\log_b`), `\exp`, `e^{…}`,
 * Greek letters as variables, `\sigma(x)` as the logistic function, and
 * the catalogue's names (core/ops/) as `\operatorname{ReLU}` / `\mathrm{relu}` / `\text{…}`.
 *
 * A hand-written tokenizer and recursive-descent parser (no generator), so
 * errors carry exact offsets. As LaTeX typesets it, each Latin letter is its
 * own variable: `xy` is x·y. Subscripts become part of a name (`x_1`,
 * `w_{ij}` → `w_ij`). A function written without parentheses takes the
 * implicit product of the following factors up to an explicit operator or
 * the next function: `\sin 2x` = sin(2x), `\sin x \cos x` = sin(x)·cos(x).
 * With parentheses the argument is the parenthesized group only, and a
 * following power applies to the result: `\sin(x)^2` = (sin x)².
 */
import { add, call, cmp, div, E, mul, NEG_ONE, numFromText, PI, pow, rat, sqrt } from '../expr';
import type { CmpOp, Expr } from '../expr';
import { buildResult, DepthGuard, fail, negate, ParseError, variable } from './common';
import type { Span } from './common';
import { applyFunction, INVERSE, isUnaryDef, MATH_FUNCTIONS } from './functions';
import type { Arg, FnDef } from './functions';
import type { Parsed } from './types';
import { OPS } from '../ops';

type Kind = 'num' | 'letter' | 'cmd' | 'op' | 'textname' | 'eof';

interface Tok {
  kind: Kind;
  /** Command name without the backslash; op text (normalized); letter; number; text-name contents. */
  text: string;
  offset: number;
  length: number;
}

/** Commands that produce nothing (spacing, sizing, style). */
const IGNORED = new Set(
  (
    ', ; ! : quad qquad displaystyle textstyle scriptstyle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr ' +
    'limits nolimits thinspace medspace thickspace negthinspace enspace'
  ).split(' '),
);
IGNORED.add(' ');

/** Commands whose braced argument is read as a name (`\operatorname{ReLU}`, `\mathbf{x}`). */
const NAME_GROUPS = new Set(
  'operatorname operatorname* mathrm text textrm textit textnormal mathit mathbf mathsf mathtt mathcal mathscr boldsymbol bm mathbb'.split(
    ' ',
  ),
);

const GREEK = new Set(
  (
    'alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa lambda mu nu xi omicron ' +
    'varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma ' +
    'Upsilon Phi Psi Omega ell'
  ).split(' '),
);

/**
 * Function commands, looked up in the plain-math table: the catalogue's one-command LaTeX names
 * (`\sin`, `\ln`, `\max`; `\sigma` and `\sqrt` are parsed on their own), the ISO inverse
 * hyperbolic names it writes as operators (`\arsinh`), and `\log`, `\sgn`, `\erf`.
 */
const FUNCTION_COMMANDS = new Set([
  ...OPS.flatMap((e) => {
    const m = /^\\([a-z]+)$/.exec(e.latexName) ?? /^\\operatorname\{(ar[a-z]+)\}$/.exec(e.latexName);
    return m && m[1] !== 'sigma' && m[1] !== 'sqrt' ? [m[1]!] : [];
  }),
  'log',
  'sgn',
  'erf',
]);

const CMP_COMMANDS: Readonly<Record<string, CmpOp>> = { le: '<=', leq: '<=', ge: '>=', geq: '>=', ne: '!=', neq: '!=', lt: '<', gt: '>' };
const MUL_COMMANDS = new Set(['cdot', 'times', 'ast']);
const ACCENTS: Readonly<Record<string, string>> = { hat: '_hat', widehat: '_hat', bar: '_bar', overline: '_bar', tilde: '_tilde', widetilde: '_tilde', vec: '' };
const UNSUPPORTED = new Set('sum prod int oint iint lim partial nabla infty to mapsto begin end'.split(' '));

const OP_CHARS = "+-*/^_()[]{}|,=<>'!";
const ALIASES: Readonly<Record<string, string>> = { '·': '*', '⋅': '*', '×': '*', '−': '-', '÷': '/', '≤': '<=', '≥': '>=', '≠': '!=' };

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c) || c === '~') {
      i++;
      continue;
    }
    if (c === '%') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '\\') {
      const m = /\\([A-Za-z]+\*?|.)/y;
      m.lastIndex = i;
      const r = m.exec(text);
      if (!r) fail('unexpected "\\" at the end of the input', i, 1);
      let name = r[1]!;
      if (name.endsWith('*') && name !== 'operatorname*') name = name.slice(0, -1);
      const start = i;
      i += r[0].length;
      if (IGNORED.has(name)) continue;
      if (NAME_GROUPS.has(name)) {
        // Read the braced argument as a name.
        while (i < text.length && /\s/.test(text[i]!)) i++;
        if (text[i] !== '{') {
          fail(`expected "{" after "\\${name}"`, i, i < text.length ? 1 : 0);
        }
        const close = text.indexOf('}', i);
        if (close < 0) fail(`expected "}" to close "{" at offset ${i}`, text.length, 0);
        const raw = text.slice(i + 1, close);
        const content = raw.replace(/\\_/g, '_').replace(/\\[,;!: ]/g, '').replace(/[\\\s{}]/g, '');
        if (!content) fail(`empty "\\${name}{}"`, start, close + 1 - start);
        out.push({ kind: 'textname', text: content, offset: start, length: close + 1 - start });
        i = close + 1;
        continue;
      }
      out.push({ kind: 'cmd', text: name, offset: start, length: r[0].length });
      continue;
    }
    const num = /\d+(?:\.\d+)?|\.\d+/y;
    num.lastIndex = i;
    const n = num.exec(text);
    if (n) {
      out.push({ kind: 'num', text: n[0], offset: i, length: n[0].length });
      i += n[0].length;
      continue;
    }
    if (/[A-Za-z]/.test(c) || /[\u0370-\u03ff]/.test(c)) {
      out.push({ kind: 'letter', text: c, offset: i, length: 1 });
      i++;
      continue;
    }
    const alias = ALIASES[c];
    if (alias !== undefined) {
      out.push({ kind: 'op', text: alias, offset: i, length: 1 });
      i++;
      continue;
    }
    if (OP_CHARS.includes(c)) {
      out.push({ kind: 'op', text: c, offset: i, length: 1 });
      i++;
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    fail(`unexpected character "${ch}" at offset ${i}`, i, ch.length);
  }
  out.push({ kind: 'eof', text: '', offset: text.length, length: 0 });
  return out;
}

function src(t: Tok, text: string): string {
  return text.slice(t.offset, t.offset + t.length);
}

class LatexParser {
  private readonly toks: Tok[];
  private pos = 0;
  private readonly guard: DepthGuard;
  private absDepth = 0;

  constructor(
    private readonly text: string,
    maxDepth: number,
  ) {
    this.toks = tokenize(text);
    this.guard = new DepthGuard(maxDepth);
  }

  // ---------------------------------------------------------------- tokens

  private peek(k = 0): Tok {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)]!;
  }

  private next(): Tok {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private prevEnd(): number {
    const t = this.toks[this.pos - 1];
    return t ? t.offset + t.length : 0;
  }

  private isOp(t: Tok, s: string): boolean {
    return t.kind === 'op' && t.text === s;
  }

  private isCmd(t: Tok, s: string): boolean {
    return t.kind === 'cmd' && t.text === s;
  }

  private unexpected(t: Tok): never {
    if (t.kind === 'eof') fail('unexpected end of input', t.offset, 0);
    fail(`unexpected "${src(t, this.text)}" at offset ${t.offset}`, t.offset, t.length);
  }

  private expectClose(open: Tok, close: string, closeIsCmd = false): void {
    const t = this.peek();
    if (closeIsCmd ? this.isCmd(t, close) : this.isOp(t, close)) {
      this.next();
      return;
    }
    const shown = closeIsCmd ? `\\${close}` : close;
    fail(`expected "${shown}" to close "${src(open, this.text)}" at offset ${open.offset}`, t.offset, t.length);
  }

  /** Split a multi-digit number so that `^23` and `\frac12` take one digit. */
  private takeOneDigit(): Tok {
    const t = this.peek();
    if (t.kind === 'num' && t.length > 1) {
      const first: Tok = { kind: 'num', text: t.text[0]!, offset: t.offset, length: 1 };
      const rest: Tok = { kind: 'num', text: t.text.slice(1), offset: t.offset + 1, length: t.length - 1 };
      this.toks.splice(this.pos, 1, first, rest);
    }
    return this.next();
  }

  // ----------------------------------------------------------- top level

  parseTop(): Parsed {
    if (this.peek().kind === 'eof') fail('empty selection', 0, 0);
    const target = this.tryTarget();
    const start = this.peek();
    const expr = this.parseExpr();
    const end = this.peek();
    if (end.kind !== 'eof') this.unexpected(end);
    if (target === undefined) return { expr };
    return buildResult([{ kind: 'assign', name: target, expr, at: { offset: start.offset, length: this.prevEnd() - start.offset } }]);
  }

  /** Index of the first top-level `=` at or after `from`, or -1. */
  private findEquals(from: number): number {
    let depth = 0;
    for (let i = from; i < this.toks.length; i++) {
      const t = this.toks[i]!;
      if (t.kind === 'op' && '([{'.includes(t.text)) depth++;
      else if (t.kind === 'op' && ')]}'.includes(t.text)) depth--;
      else if (depth === 0 && this.isOp(t, '=')) return i;
    }
    return -1;
  }

  /** `y =`, `L(\theta) =`, `\mathcal{L}(w, b) =`: the name on the left of a top-level `=`. */
  private tryTarget(): string | undefined {
    if (this.findEquals(this.pos) < 0) return undefined;
    const save = this.pos;
    try {
      const name = this.nameBase();
      if (name) {
        let full = name.text;
        if (this.isOp(this.peek(), '_')) {
          this.next();
          full += '_' + this.subscriptName();
        }
        while (this.isOp(this.peek(), "'")) {
          this.next();
          full += "'";
        }
        const eq = this.findEquals(this.pos);
        const first = this.toks[this.pos]!;
        const last = this.toks[eq - 1]!;
        const params =
          eq > this.pos + 1 && (this.isOp(first, '(') || this.isCmd(first, 'left')) && this.isOp(last, ')');
        if (eq === this.pos || params) {
          variable(full, name.span);
          this.pos = eq + 1;
          return full;
        }
      }
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
    }
    this.pos = save;
    return undefined;
  }

  // --------------------------------------------------------- expressions

  private parseExpr(): Expr {
    const left = this.parseAdditive();
    const t = this.peek();
    const op = this.cmpOp(t);
    if (!op) return left;
    this.next();
    const right = this.parseAdditive();
    const again = this.peek();
    if (this.cmpOp(again)) fail('chained comparisons are not supported', again.offset, again.length);
    return cmp(op, left, right);
  }

  private cmpOp(t: Tok): CmpOp | undefined {
    if (t.kind === 'op' && ['<', '>', '<=', '>=', '!='].includes(t.text)) return t.text as CmpOp;
    if (t.kind === 'cmd' && Object.prototype.hasOwnProperty.call(CMP_COMMANDS, t.text)) return CMP_COMMANDS[t.text];
    return undefined;
  }

  private parseAdditive(): Expr {
    const terms = [this.parseTerm()];
    for (;;) {
      const t = this.peek();
      if (this.isOp(t, '+')) {
        this.next();
        terms.push(this.parseTerm());
      } else if (this.isOp(t, '-')) {
        this.next();
        terms.push(negate(this.parseTerm()));
      } else if (this.isCmd(t, 'pm') || this.isCmd(t, 'mp')) {
        fail(`"\\${t.text}" is not supported`, t.offset, t.length);
      } else break;
    }
    return add(...terms);
  }

  private parseTerm(): Expr {
    const factors = [this.parseUnary()];
    for (;;) {
      const t = this.peek();
      if (this.isOp(t, '*') || (t.kind === 'cmd' && MUL_COMMANDS.has(t.text))) {
        this.next();
        factors.push(this.parseUnary());
      } else if (this.isOp(t, '/') || this.isCmd(t, 'div')) {
        this.next();
        factors.push(pow(this.parseUnary(), NEG_ONE));
      } else if (this.startsFactor(t)) {
        factors.push(this.parseUnary());
      } else break;
    }
    return mul(...factors);
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (this.isOp(t, '-') || this.isOp(t, '+')) {
      this.next();
      this.guard.enter(t);
      const x = this.parseUnary();
      this.guard.leave();
      return t.text === '-' ? negate(x) : x;
    }
    return this.parsePostfixed();
  }

  /** Can `t` begin a factor of an implicit product? (Never a number: `x 2` is an error.) */
  private startsFactor(t: Tok): boolean {
    switch (t.kind) {
      case 'letter':
      case 'textname':
        return true;
      case 'op':
        return t.text === '(' || t.text === '[' || t.text === '{' || (t.text === '|' && this.absDepth === 0);
      case 'cmd':
        if (t.text === 'vert' || t.text === 'lvert') return this.absDepth === 0 || t.text === 'lvert';
        return !(
          MUL_COMMANDS.has(t.text) ||
          Object.prototype.hasOwnProperty.call(CMP_COMMANDS, t.text) ||
          ['div', 'right', 'rvert', '}', 'pm', 'mp', '\\', '|'].includes(t.text)
        );
      default:
        return false;
    }
  }

  /** Is `t` the start of a function application (which ends a parenthesis-free argument)? */
  private startsFunction(t: Tok): boolean {
    if (t.kind === 'cmd') return FUNCTION_COMMANDS.has(t.text) || (t.text === 'sigma' && this.parenFollows(1));
    if (t.kind === 'textname') return this.fnForName(t.text) !== undefined;
    return false;
  }

  private parenFollows(k: number): boolean {
    const t = this.peek(k);
    return this.isOp(t, '(') || (this.isCmd(t, 'left') && this.isOp(this.peek(k + 1), '('));
  }

  private fnForName(name: string): FnDef | undefined {
    return MATH_FUNCTIONS.get(name) ?? MATH_FUNCTIONS.get(name.toLowerCase());
  }

  /** A name-like token: a letter, a Greek command, an accent, or a `\mathrm{…}` name (not a function). */
  private nameBase(): { text: string; span: Span } | undefined {
    const t = this.peek();
    if (t.kind === 'letter') {
      this.next();
      return { text: t.text, span: t };
    }
    if (t.kind === 'cmd' && GREEK.has(t.text) && !(t.text === 'sigma' && this.parenFollows(1))) {
      this.next();
      return { text: t.text, span: t };
    }
    if (t.kind === 'cmd' && Object.prototype.hasOwnProperty.call(ACCENTS, t.text)) {
      this.next();
      const inner = this.scriptName(t);
      return { text: inner + ACCENTS[t.text]!, span: { offset: t.offset, length: this.prevEnd() - t.offset } };
    }
    if (t.kind === 'textname' && !this.fnForName(t.text)) {
      this.next();
      return { text: t.text, span: t };
    }
    return undefined;
  }

  private parsePostfixed(): Expr {
    const start = this.peek();
    const base = this.nameBase();
    if (base) {
      let name = base.text;
      let sup: Expr | undefined;
      let sub = false;
      for (;;) {
        const t = this.peek();
        if (this.isOp(t, '_')) {
          if (sub) fail('double subscript', t.offset, t.length);
          this.next();
          name += '_' + this.subscriptName();
          sub = true;
        } else if (this.isOp(t, '^')) {
          if (sup) fail('double superscript', t.offset, t.length);
          this.next();
          sup = this.parseScript(t);
        } else if (this.isOp(t, "'")) {
          this.next();
          name += "'";
        } else break;
      }
      const span = { offset: start.offset, length: this.prevEnd() - start.offset };
      if (name === 'e') return sup ? call('exp', sup) : E;
      const v = variable(name, span);
      return sup ? pow(v, sup) : v;
    }
    let x = this.parseAtom();
    for (;;) {
      const t = this.peek();
      if (this.isOp(t, '^')) {
        this.next();
        x = pow(x, this.parseScript(t));
        const again = this.peek();
        if (this.isOp(again, '^')) fail('double superscript', again.offset, again.length);
      } else if (this.isOp(t, '_')) {
        fail('a subscript here cannot be part of a variable name', t.offset, t.length);
      } else if (this.isOp(t, '!')) {
        fail('factorial is not supported', t.offset, t.length);
      } else break;
    }
    return x;
  }

  /** After `^`: a braced group, or one token (`x^2`, `x^\pi`, `x^-1`). */
  private parseScript(at: Tok): Expr {
    this.guard.enter(at);
    const t = this.peek();
    let e: Expr;
    if (this.isOp(t, '-') || this.isOp(t, '+')) {
      this.next();
      const x = this.parseScript(t);
      e = t.text === '-' ? negate(x) : x;
    } else {
      e = this.parseArgument();
    }
    this.guard.leave();
    return e;
  }

  /** A macro argument: `{…}` or a single token (one digit, one letter, one command with its arguments). */
  private parseArgument(): Expr {
    const t = this.peek();
    if (this.isOp(t, '{')) return this.group('}');
    if (t.kind === 'num') return numFromText(this.takeOneDigit().text);
    if (t.kind === 'letter') {
      this.next();
      return t.text === 'e' ? E : variable(t.text, t);
    }
    if (t.kind === 'cmd' || t.kind === 'textname') {
      const base = this.nameBase();
      if (base) return variable(base.text, base.span);
      return this.parseAtom();
    }
    this.unexpected(t);
  }

  /** After `_`: the subscript as part of a name (`1`, `i`, `{ij}`, `\alpha`, `{t,1}`). */
  private subscriptName(): string {
    const t = this.peek();
    if (t.kind === 'num') return this.takeOneDigit().text;
    if (t.kind === 'letter') return this.next().text;
    if (t.kind === 'cmd' && GREEK.has(t.text)) return this.next().text;
    if (t.kind === 'textname') return this.next().text;
    if (this.isOp(t, '{')) {
      this.next();
      let s = '';
      for (;;) {
        const u = this.next();
        if (this.isOp(u, '}')) break;
        if (u.kind === 'num' || u.kind === 'letter' || u.kind === 'textname' || (u.kind === 'cmd' && GREEK.has(u.text))) {
          s += u.text;
        } else if (this.isOp(u, ',')) {
          s += '_';
        } else if (u.kind === 'eof') {
          fail(`expected "}" to close "{" at offset ${t.offset}`, u.offset, 0);
        } else {
          const close = this.text.indexOf('}', u.offset);
          const end = close < 0 ? this.text.length : close + 1;
          fail(
            `subscript "${this.text.slice(t.offset, end)}" cannot be part of a variable name`,
            t.offset,
            end - t.offset,
          );
        }
      }
      if (!s) fail('empty subscript', t.offset, this.prevEnd() - t.offset);
      return s.replace(/\./g, '_');
    }
    this.unexpected(t);
  }

  /** The braced (or single-token) name under an accent: `\hat{y}`, `\bar x`. */
  private scriptName(accent: Tok): string {
    const t = this.peek();
    if (this.isOp(t, '{')) {
      this.next();
      const base = this.nameBase();
      if (!base) this.unexpected(this.peek());
      let name = base.text;
      if (this.isOp(this.peek(), '_')) {
        this.next();
        name += '_' + this.subscriptName();
      }
      this.expectClose(t, '}');
      return name;
    }
    const base = this.nameBase();
    if (!base) fail(`expected a name after "\\${accent.text}"`, t.offset, t.length);
    return base.text;
  }

  private group(close: string, closeIsCmd = false): Expr {
    const open = this.next();
    this.guard.enter(open);
    const saved = this.absDepth;
    this.absDepth = 0;
    const e = this.parseExpr();
    this.expectClose(open, close, closeIsCmd);
    this.absDepth = saved;
    this.guard.leave();
    return e;
  }

  private parseAtom(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'num':
        this.next();
        return numFromText(t.text);
      case 'op':
        if (t.text === '(') return this.group(')');
        if (t.text === '[') return this.group(']');
        if (t.text === '{') return this.group('}');
        if (t.text === '|') return this.abs('|', false);
        this.unexpected(t);
      // falls through (unexpected never returns)
      case 'textname': {
        const def = this.fnForName(t.text);
        if (def) return this.application(t, def, t.text.toLowerCase());
        this.unexpected(t);
      }
      // falls through
      case 'cmd':
        return this.command(t);
      default:
        this.unexpected(t);
    }
  }

  private abs(close: string, closeIsCmd: boolean): Expr {
    const open = this.next();
    this.guard.enter(open);
    this.absDepth++;
    const e = this.parseExpr();
    this.expectClose(open, close, closeIsCmd);
    this.absDepth--;
    this.guard.leave();
    return call('abs', e);
  }

  private command(t: Tok): Expr {
    const name = t.text;
    switch (name) {
      case 'frac':
      case 'dfrac':
      case 'tfrac':
      case 'cfrac': {
        this.next();
        this.guard.enter(t);
        const a = this.parseArgument();
        const b = this.parseArgument();
        this.guard.leave();
        return div(a, b);
      }
      case 'sqrt': {
        this.next();
        this.guard.enter(t);
        let n: Expr | undefined;
        if (this.isOp(this.peek(), '[')) n = this.group(']');
        const x = this.parseArgument();
        this.guard.leave();
        if (!n) return sqrt(x);
        if (n.kind === 'num' && n.q === 1 && n.p !== 0) return pow(x, rat(1, n.p));
        return pow(x, pow(n, NEG_ONE));
      }
      case 'pi':
        this.next();
        return PI;
      case 'left':
        return this.leftRight();
      case '{':
        return this.group('}', true);
      case 'lvert':
        return this.abs('rvert', true);
      case 'vert':
        return this.abs('vert', true);
      case 'sigma':
        return this.application(t, MATH_FUNCTIONS.get('σ')!, 'σ');
    }
    if (FUNCTION_COMMANDS.has(name)) return this.application(t, MATH_FUNCTIONS.get(name)!, name);
    if (UNSUPPORTED.has(name)) fail(`"\\${name}" is not supported`, t.offset, t.length);
    if (name === '|') fail('norms "\\|…\\|" are not supported', t.offset, t.length);
    if (/^[A-Za-z]/.test(name)) fail(`unknown command "\\${name}"`, t.offset, t.length);
    this.unexpected(t);
  }

  /** `\left( … \right)`, `\left[ … \right]`, `\left\{ … \right\}`, `\left| … \right|`. */
  private leftRight(): Expr {
    const left = this.next();
    const d = this.next();
    const span = { offset: left.offset, length: d.offset + d.length - left.offset };
    let close: Tok['text'];
    let isAbs = false;
    if (this.isOp(d, '(')) close = ')';
    else if (this.isOp(d, '[')) close = ']';
    else if (this.isCmd(d, '{')) close = '}';
    else if (this.isOp(d, '|') || this.isCmd(d, 'vert') || this.isCmd(d, 'lvert')) {
      close = d.kind === 'op' ? '|' : d.text === 'lvert' ? 'rvert' : 'vert';
      isAbs = true;
    } else if (this.isCmd(d, '|')) fail('norms "\\|…\\|" are not supported', span.offset, span.length);
    else fail(`unsupported delimiter after "\\left"`, d.offset, d.length);
    this.guard.enter(span);
    const saved = this.absDepth;
    this.absDepth = 0;
    const e = this.parseExpr();
    this.absDepth = saved;
    const r = this.peek();
    const closeShown = `\\right${d.kind === 'cmd' ? '\\' : ''}${close}`;
    const openShown = this.text.slice(span.offset, span.offset + span.length);
    if (!this.isCmd(r, 'right')) fail(`expected "${closeShown}" to close "${openShown}" at offset ${left.offset}`, r.offset, r.length);
    this.next();
    const c = this.next();
    const ok = d.kind === 'op' && close !== '}' ? this.isOp(c, close) || (close === '|' && this.isCmd(c, 'vert')) : this.isCmd(c, close);
    if (!ok) fail(`expected "${closeShown}" to close "${openShown}" at offset ${left.offset}`, r.offset, c.offset + c.length - r.offset);
    this.guard.leave();
    return isAbs ? call('abs', e) : e;
  }

  /**
   * A function applied: `\sin x`, `\sin(x)`, `\sin^2 x`, `\sin^{-1} x`,
   * `\log_2 x`, `\max(a, b)`, `\operatorname{ReLU}(x)`, `\sigma(x)`.
   */
  private application(t: Tok, def: FnDef, name: string): Expr {
    this.next();
    const display = t.kind === 'cmd' ? `\\${t.text}` : t.text;
    let logBase: Expr | undefined;
    if (name === 'log' && this.isOp(this.peek(), '_')) {
      this.next();
      logBase = this.parseArgument();
    }
    let power: Expr | undefined;
    const p = this.peek();
    if (this.isOp(p, '^')) {
      this.next();
      power = this.parseScript(p);
    }
    let args: Arg[];
    const open = this.peek();
    if (this.isOp(open, '(') || (this.isCmd(open, 'left') && this.isOp(this.peek(1), '('))) {
      args = this.argList();
    } else if (isUnaryDef(def)) {
      const s = this.peek();
      if (!this.startsFactor(s) && s.kind !== 'num' && !this.isOp(s, '-') && !this.isOp(s, '+')) {
        fail(`expected an argument after "${display}"`, s.offset, s.length);
      }
      this.guard.enter(t);
      const x = this.bareArg();
      this.guard.leave();
      args = [{ value: { kind: 'expr', expr: x }, offset: s.offset, length: this.prevEnd() - s.offset }];
    } else {
      const n = this.peek();
      fail(`expected "(" after "${display}"`, n.offset, n.length);
    }
    const inverse =
      power && power.kind === 'num' && power.p === -1 && power.q === 1 && Object.prototype.hasOwnProperty.call(INVERSE, name)
        ? INVERSE[name]
        : undefined;
    if (inverse) return applyFunction(MATH_FUNCTIONS.get(inverse)!, `${display}^{-1}`, '', t, args);
    let result = applyFunction(def, display, '', t, args);
    if (logBase && result.kind === 'call') {
      const arg = result.args[0]!;
      if (logBase.kind === 'num' && logBase.q === 1 && logBase.p === 2) result = call('log2', arg);
      else if (logBase.kind === 'num' && logBase.q === 1 && logBase.p === 10) result = call('log10', arg);
      else if (!(logBase.kind === 'const' && logBase.name === 'e')) result = div(result, call('log', logBase));
    }
    return power ? pow(result, power) : result;
  }

  /** `( a, b )` or `\left( a, b \right)`. */
  private argList(): Arg[] {
    const first = this.next();
    const isLeft = first.kind === 'cmd';
    const open = isLeft ? this.next() : first;
    this.guard.enter(open);
    const saved = this.absDepth;
    this.absDepth = 0;
    const args: Arg[] = [];
    for (;;) {
      const s = this.peek();
      const expr = this.parseExpr();
      args.push({ value: { kind: 'expr', expr }, offset: s.offset, length: this.prevEnd() - s.offset });
      if (!this.isOp(this.peek(), ',')) break;
      this.next();
    }
    if (isLeft) {
      const r = this.peek();
      if (!this.isCmd(r, 'right') || !this.isOp(this.peek(1), ')')) {
        fail(`expected "\\right)" to close "\\left(" at offset ${first.offset}`, r.offset, r.length);
      }
      this.next();
      this.next();
    } else {
      this.expectClose(open, ')');
    }
    this.absDepth = saved;
    this.guard.leave();
    return args;
  }

  /** The argument of a function without parentheses: factors up to an operator or the next function. */
  private bareArg(): Expr {
    const factors = [this.parseUnary()];
    for (;;) {
      const t = this.peek();
      if (!this.startsFactor(t) || this.startsFunction(t)) break;
      factors.push(this.parseUnary());
    }
    return mul(...factors);
  }
}

export function parseLatex(text: string, maxDepth: number): Parsed {
  return new LatexParser(text, maxDepth).parseTop();
}
