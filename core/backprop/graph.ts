/**
 * A forward pass as a computational graph: one node per operation.
 *
 * `z = w*x + b; a = sigmoid(z); loss = (a - y)**2` (`;` or newlines, Python
 * syntax, NumPy / PyTorch / `F.` / math spellings, micrograd-style methods
 * such as `x.tanh()`) becomes a DAG of leaves (inputs and constants) and
 * operation nodes (add, sub, mul, div, pow, neg, exp, log, tanh, sigmoid, …).
 * Unlike the symbolic parser (../parse/python.ts), which substitutes the
 * assignments into one canonical expression (where `a - b` is `a + (-1)·b`),
 * this keeps every operator as written and the source span it came from, for
 * the click-to-source feature.
 *
 * The expression parser is a shunting-yard (operator-precedence) parser with
 * explicit stacks: no recursion anywhere, so neither a deeply nested
 * expression nor a 5,000-line chain can overflow the JavaScript stack. Nodes
 * are created in topological order (an operation after its inputs), so node
 * ids are a topological order and the passes are plain loops.
 *
 * Scalars only for now: anything that makes a vector or a matrix (`@`,
 * indexing, `np.sum`, `np.array([…])`, …) is reported as "unsupported: shaped
 * values". `GraphNode.shape` is reserved for that later step.
 */
import { Budget, BudgetExceeded } from '../budget';
import { fail, ParseError } from '../parse/common';
import { tokenize } from '../parse/lexer';
import type { Token } from '../parse/lexer';
import { PYTHON_MODULES } from '../parse/functions';
import { PYTHON } from '../parse/python';

export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'log1p'
  | 'expm1'
  | 'tanh'
  | 'sigmoid'
  | 'relu'
  | 'softplus'
  | 'silu'
  | 'sin'
  | 'cos'
  | 'tan'
  | 'sinh'
  | 'cosh'
  | 'atan'
  | 'sqrt'
  | 'abs'
  | 'square'
  | 'reciprocal';
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'leaky_relu';
export type Op = 'input' | 'const' | UnaryOp | BinaryOp;

export const UNARY_OPS: ReadonlySet<string> = new Set<UnaryOp>([
  'neg', 'exp', 'log', 'log1p', 'expm1', 'tanh', 'sigmoid', 'relu', 'softplus', 'silu', 'sin', 'cos', 'tan',
  'sinh', 'cosh', 'atan', 'sqrt', 'abs', 'square', 'reciprocal',
]);

export interface GraphNode {
  id: number;
  op: Op;
  /** The source text of the operation (whitespace collapsed, long text shortened); a leaf's name or literal. */
  label: string;
  /** Input node ids, in argument order; a node used twice appears twice (`x*x`). */
  inputs: number[];
  /** The variable this node was assigned to (or the input's name). */
  name?: string;
  /** 1 for the first assignment of `name`, 2 for the second (`h = tanh(h)` repeated), … */
  version?: number;
  /** A literal's value (constants) or the value written in the code (`x = 0.5`). */
  literal?: number;
  /** Source span: 0-based UTF-16 offsets [from, to) and the 1-based line of `from`. */
  from: number;
  to: number;
  line: number;
  /** Reserved for vectors and matrices (a later step); absent means scalar. */
  shape?: number[];
}

export interface Graph {
  nodes: GraphNode[];
  /** The output node's id and the name it is shown with (`loss`). */
  output: number;
  outputName: string;
  /** Input leaves by name, in order of first appearance. */
  inputs: Map<string, number>;
  text: string;
}

export interface GraphOptions {
  /** Most nodes a graph may have (default 20,000). */
  maxNodes?: number;
  /** Longest selection accepted, in characters (default 1,000,000). */
  maxLength?: number;
  budget?: Budget;
}

export const DEFAULT_MAX_NODES = 20_000;
export const DEFAULT_MAX_LENGTH = 1_000_000;

const SHAPED = 'unsupported: shaped values (vectors and matrices come in a later step; this graph takes scalars)';

/** Functions by their spelling (after any module prefix) → op. */
const FUNCTIONS: Readonly<Record<string, UnaryOp | BinaryOp>> = {
  exp: 'exp',
  log: 'log',
  log1p: 'log1p',
  expm1: 'expm1',
  tanh: 'tanh',
  sigmoid: 'sigmoid',
  expit: 'sigmoid',
  relu: 'relu',
  softplus: 'softplus',
  silu: 'silu',
  swish: 'silu',
  sin: 'sin',
  cos: 'cos',
  tan: 'tan',
  sinh: 'sinh',
  cosh: 'cosh',
  arctan: 'atan',
  atan: 'atan',
  sqrt: 'sqrt',
  abs: 'abs',
  absolute: 'abs',
  fabs: 'abs',
  square: 'square',
  reciprocal: 'reciprocal',
  negative: 'neg',
  neg: 'neg',
  maximum: 'maximum',
  fmax: 'maximum',
  minimum: 'minimum',
  fmin: 'minimum',
  leaky_relu: 'leaky_relu',
  pow: 'pow',
  power: 'pow',
  float_power: 'pow',
  add: 'add',
  subtract: 'sub',
  sub: 'sub',
  multiply: 'mul',
  mul: 'mul',
  divide: 'div',
  div: 'div',
  true_divide: 'div',
};

/** Bare builtins: `max(a, b)`, `min(a, b)`, `abs(x)`, `pow(x, 2)`. */
const BARE_BINARY: Readonly<Record<string, BinaryOp>> = { max: 'maximum', min: 'minimum', pow: 'pow' };

/** Calls that only wrap a value: `torch.tensor(0.5, requires_grad=True)`, micrograd's `Value(2.0)`, `float(x)`. */
const WRAPPERS = new Set(['tensor', 'Value', 'float', 'float64', 'float32', 'double', 'array', 'asarray', 'as_tensor']);
/** Methods that leave a scalar unchanged. */
const IDENTITY_METHODS = new Set(['item', 'float', 'double', 'clone', 'contiguous', 'detach_', 'squeeze']);
/** Calls and methods that make or reduce arrays. */
const SHAPED_FUNCTIONS = new Set(
  (
    'sum mean dot matmul outer inner einsum zeros ones randn rand empty full eye stack concatenate cat reshape view ' +
    'transpose softmax log_softmax cross_entropy mse_loss linspace arange norm prod max_pool2d conv2d linear vstack hstack'
  ).split(' '),
);
/** Keyword arguments that do not change a scalar's value. */
const IGNORED_KEYWORDS = new Set(['requires_grad', 'dtype', 'device', 'label', 'inplace', 'copy', '_op', '_children']);

const MODULES = new Set([...PYTHON_MODULES, 'torch.nn.functional', 'nn.functional', 'functional', 'nn']);
const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E, tau: 2 * Math.PI, inf: Infinity };

// Binary operators: precedence and right-associativity (Python's: ** binds tighter than unary minus on its left).
const BINARY: Readonly<Record<string, { prec: number; right: boolean; op: BinaryOp }>> = {
  '+': { prec: 1, right: false, op: 'add' },
  '-': { prec: 1, right: false, op: 'sub' },
  '*': { prec: 2, right: false, op: 'mul' },
  '/': { prec: 2, right: false, op: 'div' },
  '**': { prec: 4, right: true, op: 'pow' },
};
const UNARY_PREC = 3;

type Operand =
  | { kind: 'node'; id: number; from: number; to: number }
  | { kind: 'str'; value: string; from: number; to: number }
  /** A name that is not a value (`torch.float64`): only allowed as an ignored keyword argument. */
  | { kind: 'opaque'; text: string; from: number; to: number };

interface CallFrame {
  kind: 'call';
  /** What is called, for messages. */
  display: string;
  /** The function's spelling without its module (`sigmoid`), or '' for a plain parenthesis. */
  fn: string;
  bare: boolean;
  method: boolean;
  from: number;
  /** Operand stack height at the opening parenthesis. */
  base: number;
  args: { name?: string; at: number }[];
  /** The keyword name waiting for its value. */
  pendingKeyword?: string;
  tok: Token;
}

type StackItem =
  | { kind: 'bin'; op: BinaryOp; prec: number; right: boolean; tok: Token }
  | { kind: 'unary'; op: 'neg' | 'pos'; tok: Token }
  | { kind: 'paren'; from: number; base: number; tok: Token }
  | CallFrame;

class Builder {
  readonly nodes: GraphNode[] = [];
  readonly inputs = new Map<string, number>();
  readonly env = new Map<string, number>();
  readonly versions = new Map<string, number>();
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly text: string,
    readonly maxNodes: number,
    readonly budget: Budget,
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  line(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  label(from: number, to: number): string {
    const s = this.text.slice(from, Math.min(to, from + 400)).replace(/\s+/g, ' ').trim();
    return s.length > 60 || to - from > 400 ? `${s.slice(0, 57)}…` : s;
  }

  add(node: Omit<GraphNode, 'id' | 'line' | 'label'> & { label?: string }): number {
    this.budget.tick();
    if (this.nodes.length >= this.maxNodes) {
      fail(`the graph has more than ${this.maxNodes} nodes (the node budget)`, node.from, node.to - node.from);
    }
    const id = this.nodes.length;
    const n: GraphNode = { id, label: node.label ?? this.label(node.from, node.to), line: this.line(node.from), ...node } as GraphNode;
    this.nodes.push(n);
    return id;
  }

  constant(value: number, tok: Token): number {
    return this.add({ op: 'const', inputs: [], literal: value, label: tok.src, from: tok.offset, to: tok.offset + tok.length });
  }

  variable(name: string, tok: Token): number {
    const bound = this.env.get(name);
    if (bound !== undefined) return bound;
    const id = this.add({ op: 'input', inputs: [], name, label: name, from: tok.offset, to: tok.offset + tok.length });
    this.inputs.set(name, id);
    this.env.set(name, id);
    return id;
  }

  isConstant(id: number): boolean {
    return this.nodes[id]!.op === 'const';
  }
}

function isName(t: Token, text?: string): boolean {
  return t.kind === 'name' && (text === undefined || t.text === text);
}
function isOp(t: Token, text: string): boolean {
  return t.kind === 'op' && t.text === text;
}
function atEnd(t: Token): boolean {
  return t.kind === 'nl' || t.kind === 'eof' || isOp(t, ';');
}

function literalNumber(tok: Token): number {
  const clean = tok.text.replace(/_/g, '');
  const v = /^0[xXbBoO]/.test(clean) ? Number(clean) : Number(clean);
  if (Number.isNaN(v)) fail(`"${tok.src}" is not a number`, tok.offset, tok.length);
  return v;
}

/**
 * Parse one expression starting at `toks[pos]`; returns the operand and the
 * index of the first token after it. Iterative (shunting-yard).
 */
function parseExpression(b: Builder, toks: Token[], start: number): { value: Operand; next: number } {
  const ops: StackItem[] = [];
  const vals: Operand[] = [];
  let pos = start;
  let expectOperand = true;

  const node = (v: Operand, what: string): number => {
    if (v.kind === 'node') return v.id;
    const message = v.kind === 'str' ? `a string cannot be used in ${what}` : `"${v.text}" is not a value`;
    return fail(message, v.from, v.to - v.from);
  };

  const constFold = (op: UnaryOp | BinaryOp, ids: number[]): number | undefined => {
    // Only a negated literal is folded (`-1.2` is the number −1.2); any other arithmetic stays a node.
    if (op === 'neg' && ids.length === 1 && b.isConstant(ids[0]!) && b.nodes[ids[0]!]!.inputs.length === 0) return ids[0];
    return undefined;
  };

  const make = (op: UnaryOp | BinaryOp, args: Operand[], from: number, to: number, what: string): Operand => {
    const ids = args.map((a) => node(a, what));
    const folded = constFold(op, ids);
    if (folded !== undefined) {
      const c = b.nodes[folded]!;
      c.literal = -(c.literal ?? 0);
      c.from = from;
      c.label = b.label(from, to);
      return { kind: 'node', id: folded, from, to };
    }
    const id = b.add({ op, inputs: ids, from, to });
    return { kind: 'node', id, from, to };
  };

  const reduceTop = (): void => {
    const top = ops.pop()!;
    if (top.kind === 'bin') {
      const r = vals.pop()!;
      const l = vals.pop()!;
      vals.push(make(top.op, [l, r], l.from, r.to, `"${top.tok.src}"`));
    } else if (top.kind === 'unary') {
      const v = vals.pop()!;
      if (top.op === 'pos') vals.push({ ...v, from: top.tok.offset });
      else vals.push(make('neg', [v], top.tok.offset, v.to, 'a negation'));
    } else {
      fail('unbalanced parenthesis', top.tok.offset, top.tok.length);
    }
  };

  const finishCall = (frame: CallFrame, close: Token): void => {
    const from = frame.from;
    const to = close.offset + close.length;
    if (frame.fn === '') {
      // A plain parenthesis.
      if (vals.length !== frame.base + 1) fail('expected an expression inside the parentheses', frame.tok.offset, to - frame.tok.offset);
      const v = vals.pop()!;
      vals.push({ ...v, from, to });
      return;
    }
    const given = vals.splice(frame.base);
    const positional: Operand[] = [];
    const keywords = new Map<string, Operand>();
    given.forEach((v, i) => {
      const name = frame.args[i]?.name;
      if (name === undefined) {
        if (keywords.size) fail('positional argument after keyword argument', v.from, v.to - v.from);
        positional.push(v);
      } else keywords.set(name, v);
    });
    const fn = frame.fn;
    const arity = (n: number): void => {
      if (positional.length !== n) {
        fail(`"${frame.display}" takes ${n} argument${n === 1 ? '' : 's'} here, got ${positional.length}`, from, to - from);
      }
    };
    const checkKeywords = (allowed: string[]): void => {
      for (const [k, v] of keywords) {
        if (!allowed.includes(k) && !IGNORED_KEYWORDS.has(k)) fail(`"${frame.display}" has no supported argument "${k}"`, v.from, v.to - v.from);
      }
    };
    if (IDENTITY_METHODS.has(fn) && frame.method) {
      arity(1);
      vals.push({ ...positional[0]!, from, to });
      return;
    }
    if (WRAPPERS.has(fn)) {
      checkKeywords([]);
      arity(1);
      vals.push({ ...positional[0]!, from, to });
      return;
    }
    if (SHAPED_FUNCTIONS.has(fn)) fail(`${SHAPED} ("${frame.display}")`, frame.tok.offset, to - frame.tok.offset);
    let op: UnaryOp | BinaryOp | undefined = frame.bare ? (BARE_BINARY[fn] ?? FUNCTIONS[fn]) : FUNCTIONS[fn];
    if (fn === 'max' || fn === 'min') {
      if (!frame.bare) fail(`${SHAPED} ("${frame.display}" is a reduction)`, frame.tok.offset, to - frame.tok.offset);
      op = fn === 'max' ? 'maximum' : 'minimum';
    }
    if (op === undefined) fail(`unknown function "${frame.display}"`, frame.tok.offset, frame.tok.length);
    if (op === 'softplus') {
      checkKeywords(['beta', 'threshold']);
      const beta = keywords.get('beta') ?? positional[1];
      const threshold = keywords.get('threshold') ?? positional[2];
      const is = (v: Operand | undefined, x: number) => v === undefined || (v.kind === 'node' && b.nodes[v.id]!.op === 'const' && b.nodes[v.id]!.literal === x);
      if (!is(beta, 1) || !is(threshold, 20)) fail('softplus is supported with beta=1, threshold=20 (the defaults)', from, to - from);
      vals.push(make('softplus', [positional[0]!], from, to, 'softplus'));
      return;
    }
    if (op === 'leaky_relu') {
      checkKeywords(['negative_slope', 'alpha']);
      let slope = keywords.get('negative_slope') ?? keywords.get('alpha') ?? positional[1];
      if (positional.length < 1 || positional.length > 2) arity(1);
      if (!slope) {
        const id = b.add({ op: 'const', inputs: [], literal: 0.01, label: '0.01', from: close.offset, to: close.offset });
        slope = { kind: 'node', id, from: close.offset, to: close.offset };
      }
      vals.push(make('leaky_relu', [positional[0]!, slope], from, to, 'leaky_relu'));
      return;
    }
    checkKeywords([]);
    if (UNARY_OPS.has(op)) {
      arity(1);
      vals.push(make(op, [positional[0]!], from, to, `"${frame.display}"`));
    } else {
      arity(2);
      vals.push(make(op, [positional[0]!, positional[1]!], from, to, `"${frame.display}"`));
    }
  };

  for (;;) {
    b.budget.tick();
    const t = toks[pos]!;
    if (expectOperand) {
      if (t.kind === 'num') {
        if (/[jJ]$/.test(t.text)) fail('complex numbers are not supported', t.offset, t.length);
        const id = b.constant(literalNumber(t), t);
        vals.push({ kind: 'node', id, from: t.offset, to: t.offset + t.length });
        pos++;
        expectOperand = false;
        continue;
      }
      if (t.kind === 'str') {
        vals.push({ kind: 'str', value: t.text, from: t.offset, to: t.offset + t.length });
        pos++;
        expectOperand = false;
        continue;
      }
      if (isOp(t, '-') || isOp(t, '+')) {
        ops.push({ kind: 'unary', op: t.text === '-' ? 'neg' : 'pos', tok: t });
        pos++;
        continue;
      }
      if (isOp(t, '(')) {
        ops.push({ kind: 'paren', from: t.offset, base: vals.length, tok: t });
        pos++;
        continue;
      }
      if (isOp(t, '[')) fail(SHAPED, t.offset, t.length);
      if (t.kind === 'name') {
        if (t.text === 'True' || t.text === 'False') {
          const id = b.add({ op: 'const', inputs: [], literal: t.text === 'True' ? 1 : 0, label: t.text, from: t.offset, to: t.offset + t.length });
          vals.push({ kind: 'node', id, from: t.offset, to: t.offset + t.length });
          pos++;
          expectOperand = false;
          continue;
        }
        if (PYTHON.keywords.has(t.text)) fail(`"${t.text}" is not supported here`, t.offset, t.length);
        // A keyword argument: `name=` directly inside a call.
        const frame = ops[ops.length - 1];
        if (frame?.kind === 'call' && isOp(toks[pos + 1]!, '=')) {
          pos += 2;
          if (!IGNORED_KEYWORDS.has(t.text)) {
            frame.pendingKeyword = t.text;
            continue;
          }
          // `requires_grad=True`, `dtype=torch.float64`: skip the value.
          let depth = 0;
          for (;;) {
            const u = toks[pos]!;
            if (u.kind === 'eof' || (depth === 0 && (isOp(u, ',') || isOp(u, ')')))) break;
            if (isOp(u, '(') || isOp(u, '[') || isOp(u, '{')) depth++;
            else if (isOp(u, ')') || isOp(u, ']') || isOp(u, '}')) depth--;
            pos++;
          }
          if (isOp(toks[pos]!, ',')) pos++;
          continue;
        }
        // A dotted name: `np.exp`, `torch.nn.functional.relu`, `math.pi`.
        let end = pos;
        const parts = [t.text];
        while (isOp(toks[end + 1]!, '.') && isName(toks[end + 2]!)) {
          parts.push(toks[end + 2]!.text);
          end += 2;
        }
        const last = toks[end]!;
        const from = t.offset;
        const to = last.offset + last.length;
        const display = parts.join('.');
        const isCall = isOp(toks[end + 1]!, '(');
        if (parts.length > 1) {
          const module = parts.slice(0, -1).join('.');
          const leaf = parts[parts.length - 1]!;
          if (!b.env.has(parts[0]!) && (MODULES.has(module) || parts[0] === 'torch' || parts[0] === 'np' || parts[0] === 'numpy')) {
            if (isCall) {
              const tok = { ...last, offset: from, length: to - from };
              ops.push({ kind: 'call', display, fn: leaf, bare: false, method: false, from, base: vals.length, args: [], tok });
              pos = end + 2;
              continue;
            }
            const c = CONSTANTS[leaf];
            if (c !== undefined) {
              const id = b.add({ op: 'const', inputs: [], literal: c, label: display, from, to });
              vals.push({ kind: 'node', id, from, to });
            } else vals.push({ kind: 'opaque', text: display, from, to });
            pos = end + 1;
            expectOperand = false;
            continue;
          }
          // `x.tanh()` on a variable: leave the method to the operator state.
        }
        if (parts.length === 1 && isCall) {
          ops.push({ kind: 'call', display: t.text, fn: t.text, bare: true, method: false, from, base: vals.length, args: [], tok: t });
          pos += 2;
          continue;
        }
        const id = b.variable(t.text, t);
        vals.push({ kind: 'node', id, from: t.offset, to: t.offset + t.length });
        pos++;
        expectOperand = false;
        continue;
      }
      // `f()` with no arguments, or a call's closing parenthesis after a trailing comma.
      const frame = ops[ops.length - 1];
      if (isOp(t, ')') && frame?.kind === 'call' && vals.length === frame.base + frame.args.length) {
        ops.pop();
        finishCall(frame, t);
        pos++;
        expectOperand = false;
        continue;
      }
      if (t.kind === 'eof' || t.kind === 'nl') fail('expected an expression', t.offset, t.length);
      fail(`unexpected "${t.src}"`, t.offset, t.length);
    }
    // Operator state: the operand just completed may take postfix method calls.
    if (isOp(t, '.') && isName(toks[pos + 1]!)) {
      const name = toks[pos + 1]!;
      if (name.text === 'T' || name.text === 'shape') fail(SHAPED, name.offset, name.length);
      if (!isOp(toks[pos + 2]!, '(')) fail(`attribute "${name.text}" is not supported`, name.offset, name.length);
      const receiver = vals[vals.length - 1]!;
      ops.push({
        kind: 'call',
        display: `.${name.text}`,
        fn: name.text,
        bare: false,
        method: true,
        from: receiver.from,
        base: vals.length - 1,
        args: [{ at: receiver.from }],
        tok: name,
      });
      pos += 3;
      expectOperand = true;
      continue;
    }
    if (isOp(t, '[')) fail(SHAPED, t.offset, t.length);
    if (isOp(t, '@')) fail(`${SHAPED} ("@" is the matrix product)`, t.offset, t.length);
    const bin = t.kind === 'op' ? BINARY[t.text] : undefined;
    if (bin) {
      for (;;) {
        const top = ops[ops.length - 1];
        if (!top) break;
        if (top.kind === 'bin' && (top.prec > bin.prec || (top.prec === bin.prec && !bin.right))) reduceTop();
        else if (top.kind === 'unary' && UNARY_PREC >= bin.prec && !(bin.op === 'pow')) reduceTop();
        else break;
      }
      ops.push({ kind: 'bin', op: bin.op, prec: bin.prec, right: bin.right, tok: t });
      pos++;
      expectOperand = true;
      continue;
    }
    if (isOp(t, ',') || isOp(t, ')')) {
      while (ops.length && ops[ops.length - 1]!.kind !== 'paren' && ops[ops.length - 1]!.kind !== 'call') reduceTop();
      const frame = ops[ops.length - 1];
      if (!frame) break; // the end of this expression (a caller's comma or parenthesis)
      if (frame.kind === 'paren') {
        if (isOp(t, ',')) fail('tuples are not supported', t.offset, t.length);
        ops.pop();
        const v = vals.pop()!;
        vals.push({ ...v, from: frame.from, to: t.offset + t.length });
        pos++;
        continue;
      }
      if (frame.kind !== 'call') break;
      const name = frame.pendingKeyword;
      frame.args.push(name === undefined ? { at: t.offset } : { name, at: t.offset });
      frame.pendingKeyword = undefined;
      if (isOp(t, ',')) {
        pos++;
        expectOperand = true;
        continue;
      }
      ops.pop();
      finishCall(frame, t);
      pos++;
      continue;
    }
    if (isOp(t, '%') || isOp(t, '//')) fail(`"${t.src}" is not supported`, t.offset, t.length);
    if (atEnd(t) || (t.kind === 'op' && ['=', '+=', '-=', '*=', '/=', '**='].includes(t.text))) break;
    if (t.kind === 'op' && ['<', '>', '<=', '>=', '==', '!='].includes(t.text)) fail('comparisons are not supported in a backprop graph', t.offset, t.length);
    fail(`unexpected "${t.src}"`, t.offset, t.length);
  }
  while (ops.length) {
    const top = ops[ops.length - 1]!;
    if (top.kind === 'paren' || top.kind === 'call') fail('"(" is never closed', top.tok.offset, top.tok.length);
    reduceTop();
  }
  if (vals.length !== 1) fail('expected one expression', toks[start]!.offset, toks[pos]!.offset - toks[start]!.offset);
  return { value: vals[0]!, next: pos };
}

const AUGMENTED: Readonly<Record<string, BinaryOp>> = { '+=': 'add', '-=': 'sub', '*=': 'mul', '/=': 'div', '**=': 'pow' };

/** Parse a forward pass into a graph. Throws ParseError / BudgetExceeded (caught by index.ts). */
export function buildGraph(text: string, options: GraphOptions = {}): Graph {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (text.length > maxLength) fail(`selection is too long (${text.length} characters; the limit is ${maxLength})`, maxLength, text.length - maxLength);
  if (text.trim() === '') fail('empty selection', 0, 0);
  const budget = options.budget ?? Budget.unlimited();
  budget.stage = 'building the graph';
  const toks = tokenize(text, PYTHON.lex);
  const b = new Builder(text, options.maxNodes ?? DEFAULT_MAX_NODES, budget);
  let pos = 0;
  let last: { id: number; name: string } | undefined;
  let loss: { id: number; name: string } | undefined;
  let sawBare = false;
  for (;;) {
    while (toks[pos]!.kind === 'nl' || isOp(toks[pos]!, ';')) pos++;
    const t = toks[pos]!;
    if (t.kind === 'eof') break;
    if (sawBare) fail('this expression has no effect: only the last statement can be a bare expression', t.offset, t.length);
    if (isName(t, 'import') || isName(t, 'from')) {
      while (!atEnd(toks[pos]!)) pos++;
      continue;
    }
    if (isName(t, 'return')) fail('"return" is not supported: write the output as an assignment (loss = …)', t.offset, t.length);
    if (t.kind === 'name' && PYTHON.keywords.has(t.text) && t.text !== 'True' && t.text !== 'False' && t.text !== 'None') {
      fail(`"${t.text}" statements are not supported`, t.offset, t.length);
    }
    const nextTok = toks[pos + 1]!;
    const assignOp = t.kind === 'name' && nextTok.kind === 'op' && (nextTok.text === '=' || AUGMENTED[nextTok.text] !== undefined) ? nextTok.text : undefined;
    if (t.kind === 'name' && isOp(nextTok, ',')) fail('tuple assignment is not supported', t.offset, t.length);
    if (t.kind === 'name' && isOp(nextTok, '[')) {
      // `x[0] = …` or an indexed expression
      fail(SHAPED, nextTok.offset, nextTok.length);
    }
    if (assignOp) {
      const name = t.text;
      const nodesBefore = b.nodes.length;
      const { value, next } = parseExpression(b, toks, pos + 2);
      const end = toks[next]!;
      if (!atEnd(end)) fail(`unexpected "${end.src}"`, end.offset, end.length);
      if (value.kind !== 'node') fail(value.kind === 'str' ? 'a string is not a number' : `"${value.text}" is not a value`, value.from, value.to - value.from);
      let id = value.id;
      const stmtTo = value.to;
      if (assignOp !== '=') {
        const current = b.env.get(name);
        if (current === undefined) fail(`"${name}" is used before it is assigned`, t.offset, t.length);
        id = b.add({ op: AUGMENTED[assignOp]!, inputs: [current, id], from: t.offset, to: stmtTo });
      } else {
        const n = b.nodes[id]!;
        // A value written in the code (`x = 0.5`, `w = torch.tensor(-1.2, requires_grad=True)`): an input.
        if (n.op === 'const' && n.inputs.length === 0 && id >= nodesBefore) {
          n.op = 'input';
          n.name = name;
          n.label = name;
          n.from = t.offset;
          n.to = stmtTo;
          n.line = b.line(t.offset);
          b.inputs.set(name, id);
          b.env.set(name, id);
          last = { id, name };
          if (name === 'loss') loss = last;
          pos = next;
          continue;
        }
      }
      const n = b.nodes[id]!;
      if (id >= nodesBefore && n.name === undefined) {
        const v = (b.versions.get(name) ?? 0) + 1;
        b.versions.set(name, v);
        n.name = name;
        n.version = v;
        if (assignOp === '=') n.label = b.label(value.from, value.to);
      }
      b.env.set(name, id);
      last = { id, name };
      if (name === 'loss') loss = last;
      pos = next;
      continue;
    }
    const { value, next } = parseExpression(b, toks, pos);
    const end = toks[next]!;
    if (!atEnd(end)) fail(`unexpected "${end.src}"`, end.offset, end.length);
    if (value.kind !== 'node') fail('expected a number or an expression', value.from, value.to - value.from);
    last = { id: value.id, name: b.nodes[value.id]!.name ?? 'out' };
    sawBare = true;
    pos = next;
  }
  const out = loss ?? last;
  if (!out) fail('no expression found in the selection', 0, 0);
  return { nodes: b.nodes, output: out.id, outputName: out.name, inputs: b.inputs, text };
}

export { BudgetExceeded, ParseError };
