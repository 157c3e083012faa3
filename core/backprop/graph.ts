/**
 * A forward pass as a computational graph: one node per operation.
 *
 * `z = w*x + b; a = f(z); loss = (a - y)**2` (`;` or newlines, Python
 * syntax, NumPy / PyTorch / `F.` / math spellings, micrograd-style methods
 * such as `x.exp()`) becomes a DAG of leaves (inputs and constants) and
 * operation nodes: arithmetic, array operations, and every elementwise
 * function of the catalogue (core/ops), found by `lookup(module, name)`.
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
 * Vectors and matrices: `@` / matmul / dot, `.T` / transpose, reductions
 * (`np.sum`, `.mean(dim=1, keepdim=True)`, …) with their axis as a node
 * parameter (not a node), softmax / log_softmax along an axis, cross-entropy
 * with index targets, `F.mse_loss`, `np.linalg.norm`; values written in the
 * code (`np.array([[1, 2], [3, 4]])`, `torch.tensor([…])`) and made by
 * `np.random.randn(4, 3)` / `torch.zeros(2)` are leaves with an `init`.
 * Shapes are not known here (they depend on the user's point and on shape
 * comments): values.ts / shaped.ts infer and check them. Indexing stays
 * unsupported.
 */
import { Budget, BudgetExceeded } from '../budget';
import { ARRAY_ATTRIBUTES, fail, normalizeVariableName, ParseError } from '../parse/common';
import { findDefinitions, findDefinitionsIn } from '../parse/userfns';
import type { UserFunction } from '../parse/userfns';
import { tokenize } from '../parse/lexer';
import type { Token } from '../parse/lexer';
import { PYTHON_MODULES } from '../parse/functions';
import { PYTHON } from '../parse/python';
import { isModuleNameIn } from '../modules';
import { isModuleName, lookup, op as catalogueOp, opOf, spelled } from '../ops/index';
import type { OpEntry } from '../ops/index';

/** Arithmetic written with operators (or `np.add`, `.pow(2)`, …): the graph's own operations. */
export type ArithOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'neg';
export type BinaryOp = Exclude<ArithOp, 'neg'>;
/** Operations that only make sense on arrays (their parameters are in `GraphNode.params`). */
export type ArrayOp = 'matmul' | 'transpose' | 'sum' | 'mean' | 'softmax' | 'log_softmax' | 'cross_entropy' | 'mse_loss' | 'norm';
/**
 * A node's operation: a leaf, arithmetic, an array operation, or the name of a catalogue entry
 * (core/ops: every elementwise function, its spellings, values, derivative, LaTeX and NumPy code).
 */
export type Op = 'input' | 'const' | ArithOp | ArrayOp | (string & Record<never, never>);

export const ARITH_OPS: ReadonlySet<string> = new Set<ArithOp>(['add', 'sub', 'mul', 'div', 'pow', 'neg']);

export const ARRAY_OPS: ReadonlySet<string> = new Set<ArrayOp>([
  'matmul', 'transpose', 'sum', 'mean', 'softmax', 'log_softmax', 'cross_entropy', 'mse_loss', 'norm',
]);

/** Parameters of array operations: the axis of a reduction or softmax (null: every axis), keepdims, a loss's reduction. */
export interface OpParams {
  axis?: number[] | null;
  keepdims?: boolean;
  reduction?: 'mean' | 'sum';
}

/** A value made in the code: an array literal, or a creator (`np.random.randn(4, 3)`, `torch.zeros(2)`). */
export type LeafInit =
  | { kind: 'array'; shape: number[]; data: number[]; integer: boolean }
  | { kind: 'randn' | 'rand' | 'zeros' | 'ones'; shape: number[] };

/** The catalogue entry a node applies (undefined for leaves, arithmetic and array operations). */
export function entryOf(n: GraphNode): OpEntry | undefined {
  return n.op === 'input' || n.op === 'const' || ARITH_OPS.has(n.op) || ARRAY_OPS.has(n.op) ? undefined : catalogueOp(n.op);
}

export interface GraphNode {
  id: number;
  op: Op;
  /** The source text of the operation (whitespace collapsed, long text shortened); a leaf's name or literal. */
  label: string;
  /** Input node ids, in argument order; a node used twice appears twice (`x*x`). */
  inputs: number[];
  /** The variable this node was assigned to (or the input's name). */
  name?: string;
  /** 1 for the first assignment of `name`, 2 for the second (`h = f(h)` repeated), … */
  version?: number;
  /** A literal's value (constants) or the value written in the code (`x = 0.5`). */
  literal?: number;
  /** Source span: 0-based UTF-16 offsets [from, to) and the 1-based line of `from`. */
  from: number;
  to: number;
  line: number;
  /** Parameters of an array operation (axis, keepdims, reduction). */
  params?: OpParams;
  /** A catalogue entry's scalar parameters (leaky ReLU's slope), defaults filled in. */
  scalars?: number[];
  /** An array written in the code or made by a creator; the node is a constant or (when assigned to a name) an input. */
  init?: LeafInit;
}

export interface Graph {
  nodes: GraphNode[];
  /** The output node's id and the name it is shown with (`loss`). */
  output: number;
  outputName: string;
  /** Input leaves by name, in order of first appearance. */
  inputs: Map<string, number>;
  text: string;
  /** Things the parser skipped that the user should know about (`np.random.seed(0)`). */
  notes: string[];
  /** Values passed through `.item()`, `.float()` or `.double()`: an array there must have one entry. */
  scalarOnly?: { id: number; from: number; to: number; what: string }[];
}

export interface GraphOptions {
  /** Most nodes a graph may have (default 20,000). */
  maxNodes?: number;
  /** Longest selection accepted, in characters (default 1,000,000). */
  maxLength?: number;
  budget?: Budget;
  /** The document around the selection: calls of the functions it defines are expanded through their bodies. */
  definitions?: string | readonly string[];
}

export const DEFAULT_MAX_NODES = 20_000;
export const DEFAULT_MAX_LENGTH = 1_000_000;

const INDEXING = 'unsupported: indexing and slicing (write the forward pass with whole arrays: @, sum, mean, softmax, …)';

/** Arithmetic by its function spelling (`np.add`, `torch.pow`, `.mul`); every other function is looked up in core/ops. */
const ARITH_FUNCTIONS: Readonly<Record<string, ArithOp>> = {
  negative: 'neg',
  neg: 'neg',
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

/** Calls that only wrap a value: `torch.tensor(0.5, requires_grad=True)`, micrograd's `Value(2.0)`, `float(x)`. */
const WRAPPERS = new Set(['tensor', 'Value', 'float', 'float64', 'float32', 'double', 'array', 'asarray', 'as_tensor']);
/** Methods that leave a scalar unchanged. */
const IDENTITY_METHODS = new Set(['item', 'float', 'double', 'clone', 'contiguous', 'detach_']);
/** Array functions by spelling → op (their parameters are read separately). */
const ARRAY_FUNCTIONS: Readonly<Record<string, ArrayOp>> = {
  matmul: 'matmul',
  dot: 'matmul',
  mm: 'matmul',
  mv: 'matmul',
  transpose: 'transpose',
  t: 'transpose',
  sum: 'sum',
  mean: 'mean',
  softmax: 'softmax',
  log_softmax: 'log_softmax',
  cross_entropy: 'cross_entropy',
  mse_loss: 'mse_loss',
  norm: 'norm',
};
/** Calls that make arrays from sizes: `np.random.randn(4, 3)`, `torch.zeros(2, 3)`, `np.ones((4,))`. */
const CREATORS: Readonly<Record<string, 'randn' | 'rand' | 'zeros' | 'ones'>> = { randn: 'randn', rand: 'rand', zeros: 'zeros', ones: 'ones' };
/** Array calls and methods that are not supported (yet). */
const UNSUPPORTED_ARRAY = new Set(
  (
    'outer inner einsum empty full eye stack concatenate cat reshape view linspace arange prod max_pool2d conv2d ' +
    'linear vstack hstack squeeze unsqueeze expand repeat tile argmax argmin var std logsumexp amax amin'
  ).split(' '),
);
/** Keyword arguments that do not change a value. */
const IGNORED_KEYWORDS = new Set(['requires_grad', 'dtype', 'device', 'label', 'inplace', 'copy', '_op', '_children']);
/** Keyword arguments read as literal parameters of array operations (`axis=0`, `dim=-1`, `keepdims=True`, `reduction='sum'`). */
const PARAM_KEYWORDS = new Set(['axis', 'dim', 'keepdims', 'keepdim', 'reduction', 'ord']);
type ParamLit = number | number[] | boolean | string | null;

const MODULES = new Set([...PYTHON_MODULES, 'torch.nn.functional', 'nn.functional', 'functional', 'nn']);
const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E, tau: 2 * Math.PI, inf: Infinity };

// Binary operators: precedence and right-associativity (Python's: ** binds tighter than unary minus on its left).
const BINARY: Readonly<Record<string, { prec: number; right: boolean; op: BinaryOp | 'matmul' }>> = {
  '+': { prec: 1, right: false, op: 'add' },
  '@': { prec: 2, right: false, op: 'matmul' },
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
  /** The function's spelling without its module (`exp`), or '' for a plain parenthesis. */
  fn: string;
  /** The module prefix as written (`np`, `torch.nn.functional`), '' for a bare name or a method. */
  module: string;
  bare: boolean;
  method: boolean;
  from: number;
  /** Operand stack height at the opening parenthesis. */
  base: number;
  args: { name?: string; at: number }[];
  /** The keyword name waiting for its value. */
  pendingKeyword?: string;
  /** Literal parameters given by keyword (`axis=0`). */
  params?: Map<string, { value: ParamLit; from: number; to: number }>;
  tok: Token;
}

type StackItem =
  | { kind: 'bin'; op: BinaryOp | 'matmul'; prec: number; right: boolean; tok: Token }
  | { kind: 'unary'; op: 'neg' | 'pos'; tok: Token }
  | { kind: 'paren'; from: number; base: number; tok: Token }
  | CallFrame;

class Builder {
  readonly nodes: GraphNode[] = [];
  readonly inputs = new Map<string, number>();
  readonly env = new Map<string, number>();
  /** The user's own functions (in the selection or the document): calls are expanded through their bodies. */
  userFns = new Map<string, UserFunction>();
  readonly expanding: string[] = [];
  expansions = 0;
  readonly versions = new Map<string, number>();
  /** Values passed through a scalar-only call (`x.item()`): they must hold one entry. */
  readonly scalarOnly: { id: number; from: number; to: number; what: string }[] = [];
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
    if (isModuleNameIn(name, 'python')) fail(`"${name}" is a module, not a variable`, tok.offset, tok.length);
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

/** Most entries an array written in the code may have. */
const MAX_LITERAL_ENTRIES = 1_000_000;

/**
 * A nested list of numbers starting at `toks[pos]` (`[`): `[[1, -2.5], [3, 4]]`. Returns its
 * shape, entries (row-major), whether every entry is an integer literal, and the index after it.
 */
function readListLiteral(toks: Token[], pos: number, budget: Budget): { shape: number[]; data: number[]; integer: boolean; next: number } {
  const open = toks[pos]!;
  const data: number[] = [];
  let integer = true;
  // Per depth: how many items this list has so far; the expected length at each depth once known.
  const counts: number[] = [];
  const lengths: (number | undefined)[] = [];
  let depth = 0;
  let leafDepth = -1;
  let expectItem = true;
  for (;;) {
    budget.tick();
    const t = toks[pos]!;
    if (expectItem && isOp(t, '[')) {
      if (leafDepth >= 0 && depth >= leafDepth) fail('a nested list is not rectangular here', t.offset, t.length);
      counts[depth] = 0;
      depth++;
      pos++;
      continue;
    }
    if (expectItem && (t.kind === 'num' || ((isOp(t, '-') || isOp(t, '+')) && toks[pos + 1]!.kind === 'num'))) {
      if (leafDepth < 0) leafDepth = depth;
      else if (depth !== leafDepth) fail('a nested list is not rectangular here', t.offset, t.length);
      const sign = isOp(t, '-') ? -1 : 1;
      const num = t.kind === 'num' ? t : toks[pos + 1]!;
      if (/[jJ]$/.test(num.text)) fail('complex numbers are not supported', num.offset, num.length);
      if (/[.eE]/.test(num.text) && !/^0[xX]/.test(num.text)) integer = false;
      data.push(sign * literalNumber(num));
      if (data.length > MAX_LITERAL_ENTRIES) fail(`the array has more than ${MAX_LITERAL_ENTRIES} entries`, open.offset, num.offset - open.offset);
      counts[depth - 1] = counts[depth - 1]! + 1;
      pos += t.kind === 'num' ? 1 : 2;
      expectItem = false;
      continue;
    }
    if (isOp(t, ',') && (!expectItem || counts[depth - 1] === 0)) {
      if (expectItem) fail('unexpected ","', t.offset, t.length);
      expectItem = true;
      pos++;
      continue;
    }
    if (isOp(t, ']') && depth > 0) {
      const n = counts[depth - 1]!;
      if (n === 0) fail('empty lists are not supported', t.offset, t.length);
      const want = lengths[depth - 1];
      if (want !== undefined && want !== n) fail(`a nested list is not rectangular: ${n} entries where the first row has ${want}`, t.offset, t.length);
      lengths[depth - 1] = n;
      depth--;
      pos++;
      if (depth === 0) break;
      counts[depth - 1] = counts[depth - 1]! + 1;
      expectItem = false;
      continue;
    }
    if (t.kind === 'nl' || t.kind === 'eof') fail('"[" is never closed', open.offset, open.length);
    fail(`only numbers are supported inside an array literal, not "${t.src}"`, t.offset, t.length);
  }
  const shape = lengths.slice(0, leafDepth).map((n) => n!);
  return { shape, data, integer, next: pos };
}

/** A literal parameter (`0`, `-1`, `(0, 1)`, `True`, `None`, `'sum'`) starting at `toks[pos]`. */
function readParam(toks: Token[], pos: number): { value: ParamLit; next: number; from: number; to: number } {
  const t = toks[pos]!;
  const from = t.offset;
  const end = (k: number) => toks[k - 1]!.offset + toks[k - 1]!.length;
  if (isName(t, 'None')) return { value: null, next: pos + 1, from, to: end(pos + 1) };
  if (isName(t, 'True') || isName(t, 'False')) return { value: t.text === 'True', next: pos + 1, from, to: end(pos + 1) };
  if (t.kind === 'str') return { value: t.text, next: pos + 1, from, to: end(pos + 1) };
  const int = (k: number): { v: number; next: number } | undefined => {
    const neg = isOp(toks[k]!, '-');
    const u = toks[neg ? k + 1 : k]!;
    if (u.kind !== 'num' || !/^\d+$/.test(u.text)) return undefined;
    return { v: (neg ? -1 : 1) * Number(u.text), next: neg ? k + 2 : k + 1 };
  };
  const one = int(pos);
  if (one) return { value: one.v, next: one.next, from, to: end(one.next) };
  if (isOp(t, '(') || isOp(t, '[')) {
    const close = t.text === '(' ? ')' : ']';
    const out: number[] = [];
    let k = pos + 1;
    for (;;) {
      if (isOp(toks[k]!, close)) break;
      const v = int(k);
      if (!v) fail('expected an integer here', toks[k]!.offset, toks[k]!.length);
      out.push(v.v);
      k = v.next;
      if (isOp(toks[k]!, ',')) k++;
      else if (!isOp(toks[k]!, close)) fail(`expected "," or "${close}"`, toks[k]!.offset, toks[k]!.length);
    }
    return { value: out, next: k + 1, from, to: end(k + 1) };
  }
  return fail('expected a literal (an integer, a tuple of integers, True/False, None or a string)', t.offset, t.length);
}

/**
 * The sizes given to a creator (`randn(4, 3)`, `zeros((4, 3))`, `ones(3, requires_grad=True)`,
 * `normal(size=(4, 3))`), from the token after `(`; returns the shape and the index after `)`.
 */
function readCreatorArgs(toks: Token[], pos: number, display: string): { shape: number[]; next: number } {
  const shape: number[] = [];
  let k = pos;
  for (;;) {
    const t = toks[k]!;
    if (isOp(t, ')')) return { shape, next: k + 1 };
    if (t.kind === 'name' && isOp(toks[k + 1]!, '=')) {
      if (t.text !== 'size' && !IGNORED_KEYWORDS.has(t.text)) fail(`"${display}" has no supported argument "${t.text}"`, t.offset, t.length);
      const p = readParamOrSkip(toks, k + 2, t.text === 'size');
      if (t.text === 'size') shape.push(...p.sizes);
      k = p.next;
    } else {
      const p = readParam(toks, k);
      const v = p.value;
      const sizes = typeof v === 'number' ? [v] : Array.isArray(v) ? v : undefined;
      if (!sizes || sizes.some((d) => d <= 0)) fail(`"${display}" takes positive integer sizes here`, p.from, p.to - p.from);
      shape.push(...sizes);
      k = p.next;
    }
    if (isOp(toks[k]!, ',')) k++;
    else if (!isOp(toks[k]!, ')')) fail('expected "," or ")"', toks[k]!.offset, toks[k]!.length);
  }
}

function readParamOrSkip(toks: Token[], pos: number, read: boolean): { sizes: number[]; next: number } {
  if (read) {
    const p = readParam(toks, pos);
    const v = p.value;
    const sizes = typeof v === 'number' ? [v] : Array.isArray(v) ? v : undefined;
    if (!sizes || sizes.some((d) => d <= 0)) fail('size takes positive integers', p.from, p.to - p.from);
    return { sizes, next: p.next };
  }
  let depth = 0;
  let k = pos;
  for (;;) {
    const u = toks[k]!;
    if (u.kind === 'eof' || (depth === 0 && (isOp(u, ',') || isOp(u, ')')))) return { sizes: [], next: k };
    if (isOp(u, '(') || isOp(u, '[') || isOp(u, '{')) depth++;
    else if (isOp(u, ')') || isOp(u, ']') || isOp(u, '}')) depth--;
    k++;
  }
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

  const constFold = (op: string, ids: number[]): number | undefined => {
    // Only a negated literal is folded (`-1.2` is the number −1.2); any other arithmetic stays a node.
    const c = ids.length === 1 ? b.nodes[ids[0]!]! : undefined;
    if (op === 'neg' && c && c.op === 'const' && c.inputs.length === 0 && c.init === undefined) return ids[0];
    return undefined;
  };

  const make = (op: string, args: Operand[], from: number, to: number, what: string, scalars?: number[]): Operand => {
    const ids = args.map((a) => node(a, what));
    const folded = constFold(op, ids);
    if (folded !== undefined) {
      const c = b.nodes[folded]!;
      c.literal = -(c.literal ?? 0);
      c.from = from;
      c.label = b.label(from, to);
      return { kind: 'node', id: folded, from, to };
    }
    const id = b.add({ op, inputs: ids, from, to, ...(scalars?.length ? { scalars } : {}) });
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

  /** A parameter passed by position: a literal that was just parsed as a constant node (removed again). */
  const takeParams = (positional: Operand[], start: number): (ParamLit | undefined)[] => {
    const out: (ParamLit | undefined)[] = [];
    for (let k = positional.length - 1; k >= start; k--) {
      const v = positional[k]!;
      if (v.kind === 'opaque' && v.text === 'None') out[k - start] = null;
      else if (v.kind === 'str') out[k - start] = v.value;
      else if (v.kind === 'node' && v.id === b.nodes.length - 1 && b.nodes[v.id]!.op === 'const' && b.nodes[v.id]!.init === undefined && b.nodes[v.id]!.inputs.length === 0) {
        const c = b.nodes.pop()!;
        out[k - start] = c.label === 'True' ? true : c.label === 'False' ? false : c.literal!;
      } else fail('expected a literal parameter here (an integer, True/False or None)', v.from, v.to - v.from);
    }
    positional.length = Math.min(positional.length, start);
    return out;
  };

  const arrayCall = (frame: CallFrame, op: ArrayOp, positional: Operand[], keywords: Map<string, Operand>, from: number, to: number): Operand => {
    const params = frame.params ?? new Map<string, { value: ParamLit; from: number; to: number }>();
    for (const [k, v] of keywords) fail(`"${frame.display}" has no supported argument "${k}"`, v.from, v.to - v.from);
    const allow = (names: string[]) => {
      for (const [k, v] of params) if (!names.includes(k)) fail(`"${frame.display}" has no supported argument "${k}"`, v.from, v.to - v.from);
    };
    const dataArgs = op === 'matmul' || op === 'cross_entropy' || op === 'mse_loss' ? 2 : 1;
    const extra = takeParams(positional, dataArgs);
    if (positional.length !== dataArgs) {
      fail(`"${frame.display}" takes ${dataArgs} array argument${dataArgs === 1 ? '' : 's'} here, got ${positional.length}`, from, to - from);
    }
    const kw = (...names: string[]) => {
      for (const n of names) if (params.has(n)) return params.get(n)!;
      return undefined;
    };
    const at = (p: { from: number; to: number } | undefined) => (p ? [p.from, p.to - p.from] as const : [from, to - from] as const);
    const axisOf = (v: ParamLit | undefined, where: { from: number; to: number } | undefined, dflt: number[] | null): number[] | null => {
      if (v === undefined) return dflt;
      if (v === null) return null;
      if (typeof v === 'number' && Number.isInteger(v)) return [v];
      if (Array.isArray(v)) return v;
      return fail('the axis must be an integer, a tuple of integers or None', ...at(where));
    };
    const params2: OpParams = {};
    const byPos = (k: number) => (extra.length > k ? extra[k] : undefined);
    if (op === 'sum' || op === 'mean') {
      allow(['axis', 'dim', 'keepdims', 'keepdim']);
      const ax = kw('axis', 'dim');
      params2.axis = axisOf(ax ? ax.value : byPos(0), ax, null);
      const kd = kw('keepdims', 'keepdim');
      const keep = kd ? kd.value : byPos(1);
      if (keep !== undefined && typeof keep !== 'boolean' && keep !== 0 && keep !== 1) fail('keepdims must be True or False', ...at(kd));
      params2.keepdims = keep === true || keep === 1;
      if (extra.length > 2) fail(`"${frame.display}" takes at most an axis and keepdims here`, from, to - from);
    } else if (op === 'softmax' || op === 'log_softmax') {
      allow(['axis', 'dim']);
      const ax = kw('axis', 'dim');
      const scipy = /^(scipy|special)\b/.test(frame.display);
      params2.axis = axisOf(ax ? ax.value : byPos(0), ax, scipy ? null : [-1]);
      if (params2.axis && params2.axis.length !== 1) fail('softmax takes one axis here', ...at(ax));
      if (extra.length > 1) fail(`"${frame.display}" takes one axis here`, from, to - from);
    } else if (op === 'transpose') {
      allow([]);
      if (extra.length !== 0 && extra.length !== 2) fail(`"${frame.display}" takes no axes or two axes to swap`, from, to - from);
      if (extra.length === 2) {
        if (!extra.every((v) => typeof v === 'number' && Number.isInteger(v))) fail('the axes must be integers', from, to - from);
        params2.axis = extra as number[];
      }
    } else if (op === 'cross_entropy' || op === 'mse_loss') {
      allow(['reduction']);
      const r = kw('reduction');
      if (r && r.value !== 'mean' && r.value !== 'sum') fail("reduction must be 'mean' or 'sum' here", r.from, r.to - r.from);
      if (extra.length) fail(`"${frame.display}" takes its options by keyword here`, from, to - from);
      params2.reduction = r ? (r.value as 'mean' | 'sum') : 'mean';
    } else if (op === 'norm') {
      allow(['ord']);
      const o = kw('ord') ?? (extra.length ? { value: extra[0]!, from, to } : undefined);
      if (o && o.value !== null && o.value !== 2 && o.value !== 'fro') fail("only the 2-norm (Frobenius for a matrix) is supported: ord=None, 2 or 'fro'", o.from, o.to - o.from);
      if (extra.length > 1) fail(`"${frame.display}" takes no axis here (the norm of the whole array)`, from, to - from);
    } else {
      allow([]);
      if (extra.length) fail(`"${frame.display}" takes ${dataArgs} arguments here`, from, to - from);
    }
    const ids = positional.map((a) => node(a, `"${frame.display}"`));
    const id = b.add({ op, inputs: ids, from, to, ...(Object.keys(params2).length ? { params: params2 } : {}) });
    return { kind: 'node', id, from, to };
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
    if (frame.bare && b.userFns.has(fn)) {
      vals.push(expandUserFunction(b, b.userFns.get(fn)!, positional, keywords, from, to));
      return;
    }
    if (IDENTITY_METHODS.has(fn) && frame.method) {
      arity(1);
      const v = positional[0]!;
      // `.item()`, `.float()` … of an array are not the array: the shaped evaluator refuses those unless one entry.
      if (v.kind === 'node' && (fn === 'item' || fn === 'float' || fn === 'double')) b.scalarOnly.push({ id: v.id, from, to, what: `.${fn}()` });
      vals.push({ ...v, from, to });
      return;
    }
    if (WRAPPERS.has(fn)) {
      checkKeywords([]);
      arity(1);
      vals.push({ ...positional[0]!, from, to });
      return;
    }
    if (UNSUPPORTED_ARRAY.has(fn)) {
      fail(`unsupported: "${frame.display}" (array operations supported here: @, .T, sum, mean, softmax, log_softmax, cross_entropy, mse_loss, norm and elementwise functions)`, frame.tok.offset, to - frame.tok.offset);
    }
    const arrayOp = frame.bare ? undefined : ARRAY_FUNCTIONS[fn];
    if (frame.bare && fn === 'sum') fail('Python\'s sum(…) adds along the first axis: write np.sum(…) or torch.sum(…)', frame.tok.offset, to - frame.tok.offset);
    if (arrayOp) {
      vals.push(arrayCall(frame, arrayOp, positional, keywords, from, to));
      return;
    }
    if ((fn === 'max' || fn === 'min') && !frame.bare) {
      fail(`unsupported: "${frame.display}" (a max/min reduction; np.maximum(x, 0) is the elementwise ReLU)`, frame.tok.offset, to - frame.tok.offset);
    }
    const arith = ARITH_FUNCTIONS[fn];
    if (arith) {
      checkKeywords([]);
      const n = arith === 'neg' ? 1 : 2;
      arity(n);
      vals.push(make(arith, positional.slice(0, n), from, to, `"${frame.display}"`));
      return;
    }
    // Every other function is a catalogue entry (core/ops), found by its module's spellings.
    let entry = frame.method
      ? spelled('method', fn)
      : (lookup(frame.module, fn) ?? (frame.module !== '' && !isModuleName(frame.module) ? lookup('', fn) : undefined));
    if (entry === undefined) fail(`unknown function "${frame.display}"`, frame.tok.offset, frame.tok.length);
    // A string keyword that selects another entry (an entry's `selects`: F.gelu's approximate).
    for (const [key, choices] of Object.entries(entry.selects ?? {})) {
      const v = keywords.get(key);
      if (v === undefined) continue;
      const target = v.kind === 'str' && Object.prototype.hasOwnProperty.call(choices, v.value) ? choices[v.value] : undefined;
      if (target === undefined) fail(`${key} must be ${Object.keys(choices).map((c) => `'${c}'`).join(' or ')} here`, v.from, v.to - v.from);
      keywords.delete(key);
      entry = opOf(target);
    }
    const specs = [...entry.params, ...(entry.fixed ?? [])];
    checkKeywords(specs.flatMap((p) => [p.name, ...(p.aliases ?? [])]));
    if (entry.arity > 2) fail(`"${frame.display}" takes ${entry.arity} arrays: not supported in a backprop graph`, from, to - from);
    if (positional.length < entry.arity || positional.length > entry.arity + specs.length) {
      const n = entry.arity;
      fail(`"${frame.display}" takes ${n} argument${n === 1 ? '' : 's'} here, got ${positional.length}`, from, to - from);
    }
    // Scalar parameters: literal numbers, by keyword or by position after the arrays. Their literal nodes leave the graph.
    const used: number[] = [];
    const scalars = specs.map((p, i) => {
      const v = [p.name, ...(p.aliases ?? [])].map((k) => keywords.get(k)).find((x) => x !== undefined) ?? positional[entry.arity + i];
      if (v === undefined) return p.default;
      const c = v.kind === 'node' ? b.nodes[v.id]! : undefined;
      if (!c || c.op !== 'const' || c.inputs.length || c.init || c.literal === undefined) {
        return fail(`${p.name} must be a number here`, v.from, v.to - v.from);
      }
      used.push(c.id);
      return c.literal;
    });
    const fixed = entry.fixed ?? [];
    if (fixed.some((p, i) => scalars[entry.params.length + i] !== p.default)) {
      fail(`"${frame.display}" is supported with ${fixed.map((p) => `${p.name}=${p.default}`).join(', ')} (the defaults)`, from, to - from);
    }
    for (const id of used.sort((p, q) => q - p)) if (id === b.nodes.length - 1) b.nodes.pop();
    vals.push(make(entry.name, positional.slice(0, entry.arity), from, to, `"${frame.display}"`, scalars.slice(0, entry.params.length)));
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
      if (isOp(t, '[')) {
        // An array literal: `[[1, 2], [3, 4]]` (inside np.array(…) / torch.tensor(…), or bare).
        const lit = readListLiteral(toks, pos, b.budget);
        const to = toks[lit.next - 1]!.offset + 1;
        const id = b.add({ op: 'const', inputs: [], init: { kind: 'array', shape: lit.shape, data: lit.data, integer: lit.integer }, from: t.offset, to });
        vals.push({ kind: 'node', id, from: t.offset, to });
        pos = lit.next;
        expectOperand = false;
        continue;
      }
      if (t.kind === 'name') {
        if (t.text === 'True' || t.text === 'False') {
          const id = b.add({ op: 'const', inputs: [], literal: t.text === 'True' ? 1 : 0, label: t.text, from: t.offset, to: t.offset + t.length });
          vals.push({ kind: 'node', id, from: t.offset, to: t.offset + t.length });
          pos++;
          expectOperand = false;
          continue;
        }
        if (t.text === 'None') {
          vals.push({ kind: 'opaque', text: 'None', from: t.offset, to: t.offset + t.length });
          pos++;
          expectOperand = false;
          continue;
        }
        if (PYTHON.keywords.has(t.text)) fail(`"${t.text}" is not supported here`, t.offset, t.length);
        // A keyword argument: `name=` directly inside a call.
        const frame = ops[ops.length - 1];
        if (frame?.kind === 'call' && isOp(toks[pos + 1]!, '=')) {
          pos += 2;
          if (PARAM_KEYWORDS.has(t.text)) {
            // `axis=0`, `dim=-1`, `keepdims=True`, `reduction='sum'`: a literal parameter, not a node.
            const p = readParam(toks, pos);
            (frame.params ??= new Map()).set(t.text, { value: p.value, from: t.offset, to: p.to });
            pos = p.next;
            if (isOp(toks[pos]!, ',')) pos++;
            else if (!isOp(toks[pos]!, ')')) fail('expected "," or ")"', toks[pos]!.offset, toks[pos]!.length);
            continue;
          }
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
        const sub = subscriptedAt(b, toks, pos);
        if (sub) {
          const id = b.variable(sub.name, { ...t, offset: sub.from, length: sub.to - sub.from });
          vals.push({ kind: 'node', id, from: sub.from, to: sub.to });
          pos = sub.next;
          expectOperand = false;
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
          if (!b.env.has(parts[0]!) && (MODULES.has(module) || isModuleName(module) || parts[0] === 'torch' || parts[0] === 'np' || parts[0] === 'numpy')) {
            const creator = CREATORS[leaf];
            if (isCall && creator) {
              // `np.random.randn(4, 3)`, `torch.zeros(2)`: a constant array (an input once assigned to a name).
              const args = readCreatorArgs(toks, end + 2, display);
              const cto = toks[args.next - 1]!.offset + 1;
              if (!args.shape.length) fail(`"${display}" needs sizes here`, from, cto - from);
              const id = b.add({ op: 'const', inputs: [], init: { kind: creator, shape: args.shape }, from, to: cto });
              vals.push({ kind: 'node', id, from, to: cto });
              pos = args.next;
              expectOperand = false;
              continue;
            }
            if (isCall) {
              const tok = { ...last, offset: from, length: to - from };
              ops.push({ kind: 'call', display, fn: leaf, module, bare: false, method: false, from, base: vals.length, args: [], tok });
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
          // `x.exp()` on a variable: leave the method to the operator state.
        }
        if (parts.length === 1 && isCall) {
          ops.push({ kind: 'call', display: t.text, fn: t.text, module: '', bare: true, method: false, from, base: vals.length, args: [], tok: t });
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
      if (name.text === 'T') {
        const receiver = vals.pop()!;
        const to = name.offset + name.length;
        const id = b.add({ op: 'transpose', inputs: [node(receiver, '.T')], from: receiver.from, to });
        vals.push({ kind: 'node', id, from: receiver.from, to });
        pos += 2;
        continue;
      }
      if (!isOp(toks[pos + 2]!, '(')) fail(`attribute "${name.text}" is not supported`, name.offset, name.length);
      const receiver = vals[vals.length - 1]!;
      ops.push({
        kind: 'call',
        display: `.${name.text}`,
        fn: name.text,
        module: '',
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
    if (isOp(t, '[')) fail(INDEXING, t.offset, t.length);
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

/** Most expansions of the user's functions in one graph. */
const MAX_EXPANSIONS = 500;

/**
 * A call of the user's own function (`sigmoid(h)` with `def sigmoid(x): return …` in the file): its
 * body's operations, built on the argument nodes (inline expansion), never the catalogue's function of
 * that name. The body's nodes point at the call in the selection; their labels are the body's text.
 */
function expandUserFunction(b: Builder, fn: UserFunction, positional: Operand[], keywords: Map<string, Operand>, from: number, to: number): Operand {
  const at = { offset: from, length: to - from };
  if (fn.problem) fail(`${fn.name} ${fn.problem}: select its body's expression instead`, at.offset, at.length);
  if (b.expanding.includes(fn.name)) {
    fail(`${fn.name} calls itself (${[...b.expanding, fn.name].join(' → ')}): a recursive function cannot be expanded; select its body's expression instead`, at.offset, at.length);
  }
  if (++b.expansions > MAX_EXPANSIONS) fail(`more than ${MAX_EXPANSIONS} calls of your own functions to expand: select a smaller part of the computation`, at.offset, at.length);
  const where = `${fn.name} (line ${fn.line})`;
  if (positional.length > fn.params.length) fail(`${where} takes ${fn.params.length} argument${fn.params.length === 1 ? '' : 's'}`, at.offset, at.length);
  const bound = new Map<string, number>();
  const bind = (name: string, v: Operand): void => {
    if (v.kind !== 'node') fail(`the argument "${name}" of ${fn.name} must be a number here`, v.from, v.to - v.from);
    bound.set(name, v.id);
  };
  positional.forEach((v, i) => bind(fn.params[i]!.name, v));
  for (const [k, v] of keywords) {
    if (!fn.params.some((q) => q.name === k)) fail(`${where} has no parameter "${k}"`, v.from, v.to - v.from);
    bind(k, v);
  }
  const saved = [...b.env];
  const first = b.nodes.length;
  b.expanding.push(fn.name);
  const defaults = fn.params.filter((q) => !bound.has(q.name)).map((q) => {
    if (q.default === undefined) fail(`${where} needs the argument "${q.name}"`, at.offset, at.length);
    return `${q.name} = ${q.default}`;
  });
  const source = [...defaults, fn.body].join('\n');
  let result: number | undefined;
  try {
    for (const [k, id] of bound) b.env.set(k, id);
    const toks = tokenize(source, PYTHON.lex);
    let pos = 0;
    for (;;) {
      while (toks[pos]!.kind === 'nl' || isOp(toks[pos]!, ';')) pos++;
      const t = toks[pos]!;
      if (t.kind === 'eof') break;
      if (t.kind === 'str' && atEnd(toks[pos + 1]!)) {
        pos++; // a docstring
        continue;
      }
      if (isName(t, 'return')) {
        const { value, next } = parseExpression(b, toks, pos + 1);
        if (value.kind !== 'node') fail('a function must return a number', value.from, value.to - value.from);
        result = value.id;
        pos = next;
        if (!atEnd(toks[pos]!)) fail(`unexpected "${toks[pos]!.src}"`, toks[pos]!.offset, toks[pos]!.length);
        while (toks[pos]!.kind === 'nl' || isOp(toks[pos]!, ';')) pos++;
        if (toks[pos]!.kind !== 'eof') fail('code after "return" is not supported', toks[pos]!.offset, toks[pos]!.length);
        break;
      }
      const op = toks[pos + 1]!;
      if (t.kind !== 'name' || !(isOp(op, '=') || AUGMENTED[op.text] !== undefined)) fail('only assignments and "return" are supported in a function body', t.offset, t.length);
      const { value, next } = parseExpression(b, toks, pos + 2);
      if (value.kind !== 'node') fail('a string is not a number', value.from, value.to - value.from);
      let id = value.id;
      if (!isOp(op, '=')) {
        const current = b.env.get(t.text);
        if (current === undefined) fail(`"${t.text}" is used before it is assigned`, t.offset, t.length);
        id = b.add({ op: AUGMENTED[op.text]!, inputs: [current, id], from: t.offset, to: value.to });
      }
      b.env.set(t.text, id);
      pos = next;
      if (!atEnd(toks[pos]!)) fail(`unexpected "${toks[pos]!.src}"`, toks[pos]!.offset, toks[pos]!.length);
    }
    if (result === undefined) fail(`${where} does not end with "return …": select its body's expression instead`, at.offset, at.length);
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    const own = err.message.startsWith(`${fn.name} `) || / calls itself |more than \d+ calls/.test(err.message);
    fail(own ? err.message : `the body of ${where} cannot be used here: ${err.message}`, at.offset, at.length);
  } finally {
    b.expanding.pop();
    b.env.clear();
    for (const [k, v] of saved) b.env.set(k, v);
  }
  // The body's nodes: labelled with the body's text, located at the call.
  for (let i = first; i < b.nodes.length; i++) {
    const n = b.nodes[i]!;
    if (n.op !== 'input') n.label = source.slice(n.from, n.to).replace(/\s+/g, ' ').trim().slice(0, 60) || n.label;
    n.from = from;
    n.to = to;
    n.line = b.line(from);
  }
  return { kind: 'node', id: result, from, to };
}

/**
 * A subscripted name at `toks[pos]` (`p["w1"]`, `X[i, 0]`, `W[0][1]`, `params.w1`, `self.w`): one input
 * named by its normal form (core/parse/common.ts), and the token after it; undefined when the name has
 * no subscript or attribute, or is a module or a value of the graph (indexing a computed value stays unsupported).
 */
function subscriptedAt(b: Builder, toks: Token[], pos: number): { name: string; next: number; from: number; to: number } | undefined {
  const t = toks[pos]!;
  if (t.kind !== 'name' || PYTHON.keywords.has(t.text) || b.env.has(t.text)) return undefined;
  if (isModuleNameIn(t.text, 'python') || isModuleName(t.text) || MODULES.has(t.text)) return undefined;
  let k = pos;
  while (isOp(toks[k + 1]!, '.') && isName(toks[k + 2]!) && !isOp(toks[k + 3]!, '(') && !ARRAY_ATTRIBUTES.has(toks[k + 2]!.text)) k += 2;
  while (isOp(toks[k + 1]!, '[')) {
    let j = k + 2;
    while (toks[j]!.kind !== 'eof' && !isOp(toks[j]!, ']') && !isOp(toks[j]!, '[') && toks[j]!.kind !== 'nl') j++;
    if (!isOp(toks[j]!, ']')) fail(INDEXING, toks[k + 1]!.offset, toks[k + 1]!.length);
    k = j;
  }
  if (k === pos) return undefined;
  const last = toks[k]!;
  const source = b.text.slice(t.offset, last.offset + last.length);
  const name = normalizeVariableName(source);
  if (name === undefined) {
    const slice = /:/.test(source);
    fail(
      slice ? INDEXING : `an index of "${t.text}[…]" must be an integer, a name or a string key, as in X[i, 0] or p["w1"]`,
      t.offset,
      last.offset + last.length - t.offset,
    );
  }
  return { name, next: k + 1, from: t.offset, to: last.offset + last.length };
}

/** `np.random.seed(`, `torch.manual_seed(`, `random.seed(` at `toks[pos]`: the dotted name, else undefined. */
function seedCall(toks: Token[], pos: number): string | undefined {
  const parts: string[] = [];
  let k = pos;
  if (!isName(toks[k]!)) return undefined;
  parts.push(toks[k]!.text);
  while (isOp(toks[k + 1]!, '.') && isName(toks[k + 2]!)) {
    parts.push(toks[k + 2]!.text);
    k += 2;
  }
  const name = parts.join('.');
  const seeds = ['np.random.seed', 'numpy.random.seed', 'torch.manual_seed', 'random.seed', 'torch.random.manual_seed'];
  return isOp(toks[k + 1]!, '(') && seeds.includes(name) ? `${name}(…)` : undefined;
}

const AUGMENTED: Readonly<Record<string, BinaryOp>> = { '+=': 'add', '-=': 'sub', '*=': 'mul', '/=': 'div', '**=': 'pow' };

/**
 * `w, x, b = -1.2, 0.5, 0.3`: names bound to as many expressions, all evaluated
 * before any name is bound (Python's semantics: `a, b = b, a` swaps). A literal
 * becomes an input, as in `x = 0.5`. Returns the position after the statement.
 */
function tupleAssignment(b: Builder, toks: Token[], start: number, bound: (name: string, id: number) => void): number {
  const targets: Token[] = [];
  let pos = start;
  for (;;) {
    const t = toks[pos]!;
    if (t.kind !== 'name' || PYTHON.keywords.has(t.text)) fail('expected a name to assign to', t.offset, t.length);
    targets.push(t);
    const sep = toks[pos + 1]!;
    pos += 2;
    if (isOp(sep, '=')) break;
    if (!isOp(sep, ',')) fail(isOp(sep, '[') ? INDEXING : 'only names can be assigned together (a, b = …)', sep.offset, sep.length);
    if (isOp(toks[pos]!, '=')) {
      pos++;
      break;
    }
  }
  const values: { value: Operand & { kind: 'node' }; fresh: boolean }[] = [];
  for (;;) {
    const before = b.nodes.length;
    const { value, next } = parseExpression(b, toks, pos);
    if (value.kind !== 'node') fail(value.kind === 'str' ? 'a string is not a number' : `"${value.text}" is not a value`, value.from, value.to - value.from);
    values.push({ value, fresh: value.id >= before });
    pos = next;
    const t = toks[pos]!;
    if (isOp(t, ',')) {
      pos++;
      if (atEnd(toks[pos]!)) break;
      continue;
    }
    if (!atEnd(t)) fail(`unexpected "${t.src}"`, t.offset, t.length);
    break;
  }
  if (values.length !== targets.length) {
    const first = targets[0]!;
    fail(`${targets.length} names but ${values.length} value${values.length === 1 ? '' : 's'}`, first.offset, toks[pos - 1]!.offset + toks[pos - 1]!.length - first.offset);
  }
  values.forEach(({ value, fresh }, i) => {
    const t = targets[i]!;
    const name = t.text;
    const n = b.nodes[value.id]!;
    if (fresh && n.op === 'const' && n.inputs.length === 0) {
      n.op = 'input';
      n.name = name;
      n.label = name;
      n.line = b.line(value.from);
      b.inputs.set(name, value.id);
    } else if (fresh && n.name === undefined) {
      const v = (b.versions.get(name) ?? 0) + 1;
      b.versions.set(name, v);
      n.name = name;
      n.version = v;
      n.label = b.label(value.from, value.to);
    }
    b.env.set(name, value.id);
    bound(name, value.id);
  });
  return pos;
}

/** Parse a forward pass into a graph. Throws ParseError / BudgetExceeded (caught by index.ts). */
export function buildGraph(text: string, options: GraphOptions = {}): Graph {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (text.length > maxLength) fail(`selection is too long (${text.length} characters; the limit is ${maxLength})`, maxLength, text.length - maxLength);
  if (text.trim() === '') fail('empty selection', 0, 0);
  const budget = options.budget ?? Budget.unlimited();
  budget.stage = 'building the graph';
  const toks = tokenize(text, PYTHON.lex);
  const b = new Builder(text, options.maxNodes ?? DEFAULT_MAX_NODES, budget);
  // The user's functions, the selection's own over the document's; a `def` followed by more code only defines.
  const own: UserFunction[] = [];
  b.userFns = new Map([...findDefinitionsIn(options.definitions), ...findDefinitions(text, own)]);
  const lastCode = text.trimEnd().length;
  const defined = own.filter((f) => f.to < lastCode && text.slice(f.to, lastCode).trim() !== '');
  let pos = 0;
  let last: { id: number; name: string } | undefined;
  let loss: { id: number; name: string } | undefined;
  let sawBare = false;
  const notes: string[] = [];
  for (;;) {
    while (toks[pos]!.kind === 'nl' || isOp(toks[pos]!, ';')) pos++;
    const t = toks[pos]!;
    if (t.kind === 'eof') break;
    if (sawBare) fail('this expression has no effect: only the last statement can be a bare expression', t.offset, t.length);
    if (isName(t, 'import') || isName(t, 'from')) {
      while (!atEnd(toks[pos]!)) pos++;
      continue;
    }
    const def = isName(t, 'def') ? defined.find((f) => f.from <= t.offset && t.offset < f.to) : undefined;
    if (def) {
      while (toks[pos]!.kind !== 'eof' && toks[pos]!.offset < def.to) pos++;
      continue;
    }
    if (isName(t, 'return')) fail('"return" is not supported: write the output as an assignment (loss = …)', t.offset, t.length);
    if (t.kind === 'name' && PYTHON.keywords.has(t.text) && t.text !== 'True' && t.text !== 'False' && t.text !== 'None') {
      fail(`"${t.text}" statements are not supported`, t.offset, t.length);
    }
    // `p["w1"] = 0.5`, `self.w = …`: an assignment to a subscripted name.
    const lhs = subscriptedAt(b, toks, pos);
    const lhsEnd = lhs ? lhs.next - 1 : pos;
    const nextTok = toks[lhsEnd + 1]!;
    const assignOp = t.kind === 'name' && nextTok.kind === 'op' && (nextTok.text === '=' || AUGMENTED[nextTok.text] !== undefined) ? nextTok.text : undefined;
    if (t.kind === 'name' && !lhs && isOp(nextTok, ',')) {
      pos = tupleAssignment(b, toks, pos, (name, id) => {
        last = { id, name };
        if (name === 'loss') loss = last;
      });
      continue;
    }
    if (t.kind === 'name' && !lhs && isOp(nextTok, '[')) {
      // `x[0] = …` or an indexed expression
      fail(INDEXING, nextTok.offset, nextTok.length);
    }
    const seed = seedCall(toks, pos);
    if (seed) {
      // `np.random.seed(0)`, `torch.manual_seed(0)`: random arrays get our own seeded values.
      notes.push(`"${seed}" is ignored: random arrays get MathLens's own seeded values (NumPy's and PyTorch's generators are not reproduced).`);
      while (!atEnd(toks[pos]!)) pos++;
      continue;
    }
    if (assignOp) {
      const name = lhs ? lhs.name : t.text;
      const nodesBefore = b.nodes.length;
      const { value, next } = parseExpression(b, toks, lhsEnd + 2);
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
  return { nodes: b.nodes, output: out.id, outputName: out.name, inputs: b.inputs, text, notes, scalarOnly: b.scalarOnly };
}

export { BudgetExceeded, ParseError };
