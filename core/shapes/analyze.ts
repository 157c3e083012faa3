/**
 * The flow interpreter: walks Lezer's Python tree statement by statement,
 * binding abstract values to names and recording what every analyzed
 * subexpression evaluates to. See index.ts for the design.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { ASSIGNED_SHAPE } from './comments';
import { type Dim, addDim, broadcastDims, cmpDim, exactDivDim, floorDivDim, formatDim, isInt, mulDim, parseDimText, productDims, scaleDim, subDim, symDim } from './dim';
import { type CallCtx, RULES, WHOLE_METHODS, applyLayer, broadcast, fromLiteral, matmul, transposeAll } from './rules';
import { mappingItem, npLoad, npzMemberStep, sklearnDataset } from './datasets';
import { type Workspace, foreignCall } from './imports';
import type { ShapeStep } from './types';
import {
  type AttrChange,
  type ClassDef,
  type ListCell,
  type SourceRef,
  cleanse,
  markReshaped,
  newAttrs,
  newCell,
  setAttr,
  touchAll,
  touchCell,
  type FuncDef,
  type Lib,
  type Shape,
  type Value,
  FLOAT,
  NONE,
  UNKNOWN,
  UNKNOWN_INT,
  int,
  join,
  joinShown,
  numberValue,
  shapeText,
  stepOf,
  tensor,
  valueKey,
  whyOf,
  withWhy,
} from './values';

export interface Origin {
  stmt: StmtState;
  relLine: number;
}

export interface Binding {
  v: Value;
  steps: ShapeStep[];
  origin: Origin | null;
}

export interface Rec {
  from: number;
  to: number;
  v: Value;
  steps: ShapeStep[];
  origin: Origin | null;
}

export interface RelSymbol {
  name: string;
  relLine: number;
  column: number;
  v: Value;
  /** Offset of the target, relative to the statement's start. */
  rel: number;
}

/**
 * A value seen at a binding site inside a function body while a call ran
 * silently: `site` is the def's statement and the target's offset in it.
 * Kept by the calling statement, so a reused statement keeps its calls' observations.
 */
export interface Observation {
  stmt: StmtState;
  rel: number;
  v: Value;
}

/** A certain shape error met inside a function body while a followed call ran. */
export interface ObservedDiag {
  stmt: StmtState;
  d: RelDiag;
  /** The function whose body raised. */
  fn?: string;
  /** The call in the analyzed top-level statement that led here (the learner's `print(dot(u, v))`). */
  call?: SourceRef;
}

/** Where a raised error is caught: the `except` clause's line, and the call depth of its `try`. */
export interface Caught {
  stmt: StmtState;
  relLine: number;
  depth: number;
}

/** A function body whose bindings must not be refined from calls: it is also used in ways not followed. */
export interface Poison {
  stmt: StmtState;
  from: number;
  to: number;
}

export interface RelDiag {
  relLine: number;
  column: number;
  relEndLine: number;
  endColumn: number;
  from: number;
  to: number;
  code: string;
  message: string;
  related?: { ref: SourceRef; message: string }[];
  /** Set when a `try` around the error catches it: the program goes on, so it is information. */
  caught?: Caught;
  /** The exception the error raises (ValueError for NumPy, RuntimeError for PyTorch, IndexError). */
  exc?: string;
}

export interface RelHint {
  relLine: number;
  offset: number;
  label: string;
  /** Offset of the (single) target, for refinement by call-site observations. */
  rel?: number;
}

/** One top-level statement's analysis; offsets and lines are relative to its start. */
export interface StmtState {
  /** A unique name of this analysis of the statement. */
  key: string;
  /** The statement's length, and the length of its text with the line above and the rest of its last line. */
  len: number;
  span: number;
  from: number;
  line: number;
  text: string;
  records: Rec[];
  symbols: RelSymbol[];
  diags: RelDiag[];
  hints: RelHint[];
  reads: Map<string, Binding | undefined>;
  writes: Map<string, Binding>;
  memoizable: boolean;
  pass: number;
  observed: Observation[];
  observedDiags: ObservedDiag[];
  poisoned: Poison[];
  /** The lists and dicts this statement marked changed (undone and replayed across updates). */
  touched?: ListCell[];
  /** The instance attributes this statement set (undone and replayed across updates). */
  attrChanges?: AttrChange[];
  /** Workspace files the analysis read (np.load, imports) with their versions (undefined: missing). */
  deps?: Map<string, string | undefined>;
}

export class Cut extends Error {}

/** 1-based line of an offset, by binary search over the line starts. */
export function lineAt(ls: readonly number[], offset: number): number {
  let lo = 0;
  let hi = ls.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ls[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

export class Scope {
  vars = new Map<string, Binding>();
  constructor(
    readonly parent: Scope | null,
    readonly isGlobal = false,
    /** An overlay for a branch or loop body: merged into its parent afterwards. */
    readonly overlay = false,
  ) {}
}

interface FnCtx {
  returns: Value[];
  self?: Value;
}

const BUILTINS = new Set('len range int float list tuple print max min sum abs round isinstance enumerate zip super str bool type sorted reversed dict set iter next'.split(' '));

const MODULE_ALIASES: Record<string, string> = {
  numpy: 'np',
  'numpy.random': 'np.random',
  'numpy.linalg': 'np.linalg',
  torch: 'torch',
  'torch.nn': 'nn',
  'torch.nn.functional': 'F',
  'torch.linalg': 'torch.linalg',
  'torch.autograd': 'torch.autograd',
  'nn.functional': 'F',
  'torch.special': 'torch.special',
  scipy: 'scipy',
  'scipy.special': 'scipy.special',
  sklearn: 'sklearn',
  'sklearn.datasets': 'sklearn.datasets',
  'scipy.stats': 'scipy.stats',
  math: 'math',
};
const MODULES = new Set(Object.values(MODULE_ALIASES));

function canonModule(path: string): string | undefined {
  if (Object.hasOwn(MODULE_ALIASES, path)) return MODULE_ALIASES[path];
  if (MODULES.has(path)) return path;
  return undefined;
}

const INT_PRODUCERS = new Set([
  'np.random.randint', 'rng.integers', 'np.random.permutation', 'rng.permutation', 'torch.randint', 'torch.randperm',
  'np.argmax', 'np.argmin', 'np.argsort', 'torch.argmax', 'torch.argmin', 'torch.argsort', '.argmax', '.argmin', '.argsort',
]);

/** Calls whose result is an integer array: index producers, and arange/choice/array/tensor of ints only. */
function producesInts(path: string, pos: Value[]): boolean {
  if (INT_PRODUCERS.has(path)) return true;
  const allInts = (v: Value): boolean => v.k === 'int' || (v.k === 'tuple' && v.items.length > 0 && v.items.every(allInts));
  if (path === 'np.arange' || path === 'torch.arange') return pos.length > 0 && pos.every((v) => v.k === 'int');
  if (path === 'np.random.choice' || path === 'rng.choice') return pos[0]?.k === 'int';
  if (path === 'np.array' || path === 'np.asarray' || path === 'torch.tensor' || path === 'torch.as_tensor') return pos.length === 1 && allInts(pos[0]!);
  return false;
}

function libOfPath(path: string): Lib {
  return path.startsWith('np') || path.startsWith('rng') ? 'numpy' : 'torch';
}

/** Array methods that change the array's own shape. */
const IN_PLACE_SHAPE = new Set(['.resize', '.resize_', '.unsqueeze_', '.squeeze_', '.t_', '.transpose_', '.swapaxes_', '.swapdims_', '.as_strided_', '.set_', '.resize_as_']);

/** The sizes of `resize`: `a.resize((2, 3))`, `a.resize(2, 3)`, `t.resize_(2, 3)`, `new_shape=`. */
function sizeArgs(pos: Value[], kw: Map<string, Value>): Shape {
  const one = kw.get('new_shape') ?? (pos.length === 1 ? pos[0] : undefined);
  if (one) return one.k === 'int' ? [one.d] : one.k === 'tuple' ? dimsOfTuple(one) : null;
  if (pos.length > 1 && pos.every((p) => p.k === 'int')) return pos.map((p) => (p as { d: Dim }).d);
  return null;
}

function dimsOfTuple(v: Value & { k: 'tuple' }): Shape {
  return v.items.every((x) => x.k === 'int') ? v.items.map((x) => (x as { d: Dim }).d) : null;
}

/** List methods that change the list (reading `lst.append` marks it changed, called or not). */
const LIST_MUTATORS = new Set(['append', 'extend', 'insert', 'pop', 'remove', 'clear', 'sort', 'reverse', '__setitem__', '__delitem__', '__iadd__', '__imul__']);

/** Python builtins that neither keep nor change the lists they are given. */
const PURE_BUILTINS = new Set(['len', 'range', 'int', 'float', 'list', 'tuple', 'print', 'max', 'min', 'sum', 'abs', 'round', 'isinstance', 'enumerate', 'zip', 'str', 'bool', 'type', 'sorted', 'reversed', 'rng']);

/**
 * Whether a call cannot change the lists passed to it: NumPy/PyTorch functions and tensor methods
 * we have rules for, and pure builtins. User functions, classes and unknown callables may.
 */
function isPureCallee(v: Value): boolean {
  if (v.k === 'builtin') return v.path.startsWith('py.') ? PURE_BUILTINS.has(v.path.slice(3)) : RULES.has(v.path) || v.path.startsWith('.');
  return v.k === 'layer';
}

interface AppendSink {
  name: string;
  /** The join of the appended values over the loop's last (recording) pass. */
  elem?: Value;
}
const NO_SINKS: ReadonlyMap<number, AppendSink> = new Map();

const JAX_TYPES = /^(Float|Int|Bool|Shaped|Num|Real|Integer|Inexact|Complex|UInt|Key|Float\d+|Int\d+|UInt\d+|BFloat16|Complex\d+)$/;

const MAX_DEPTH = 150;
/** A `for` over a list of known items of different kinds runs its body once per item up to this length. */
const MAX_UNROLL = 64;
/** Lists longer than this are not followed item by item. */
const MAX_LIST = 4096;
const MAX_CALL_DEPTH = 6;
/** Call results remembered per function (by argument shapes). */
const MAX_MEMO = 64;

export interface Comment {
  name: string;
  shape: Shape;
}

export class Analyzer {
  stmt!: StmtState;
  recording = true;
  private depth = 0;
  private callDepth = 0;
  private branchDepth = 0;
  private steps: ShapeStep[] = [];
  private ticks = 0;
  private readCollectors: Map<string, Binding | undefined>[] = [];
  /** The user functions whose bodies run silently right now, innermost last. */
  private callStack: FuncDef[] = [];
  /** Observations made by the silent call now running (replayed on a memo hit). */
  private obsCollectors: Observation[][] = [];
  private diagCollectors: ObservedDiag[][] = [];
  cut?: string;
  curLib: Lib = 'numpy';
  /** This update's syntax tree and number (a statement analyzed in this update has `pass === this.pass`). */
  tree!: Tree;
  pass = 0;
  private defNodes = new Map<FuncDef, SyntaxNode | null>();
  /** `lst.append(x)` statements of the loop bodies running now (by statement start), see `loopAppends`. */
  private appendSinks: ReadonlyMap<number, AppendSink> = NO_SINKS;
  /** The last reason an unknown value gave (see `evalExpr`), numbered so a later expression knows whether it saw it. */
  private lastWhy: { why: string; at: number } | null = null;
  /** Instance attributes set so far (`self.x = x`): a call that sets one is not memoized (a hit would skip the change). */
  private instChanges = 0;
  /** How many function bodies analyzed at their def (parameters unknown) are running now. */
  private defTime = 0;
  private whySeq = 0;
  /** The `try` bodies running now, innermost last, with what their handlers catch. */
  private tries: { stmt: StmtState; depth: number; handlers: { relLine: number; names: Set<string> | 'all' }[] }[] = [];
  /** The call of the analyzed statement whose followed body runs now (for errors met inside it). */
  private topCall: SourceRef | null = null;
  /** The innermost loop body running now: its overlay scope and the states at its break/continue statements. */
  private loopJumps: { top: Scope; states: Map<string, Value>[] } | null = null;
  /** The workspace (np.load files, imported modules); unset without a host. */
  ws?: Workspace;
  /** Set when this analyzer is an imported module's (imports.ts `ModuleCtx`). */
  module?: unknown;

  constructor(
    public src: string,
    public lineStarts: number[],
    public comments: Map<number, Comment[]>,
    public deadline: number,
    readonly global: Scope,
  ) {}

  lineOf(offset: number): number {
    return lineAt(this.lineStarts, offset);
  }

  private pandas?: boolean;
  /** The file uses pandas: a value of unknown shape may be a DataFrame (whose .mean() is a Series). */
  get usesPandas(): boolean {
    return (this.pandas ??= /^\s*(import\s+pandas|from\s+pandas\b)/m.test(this.src));
  }

  colOf(offset: number): number {
    return offset - this.lineStarts[this.lineOf(offset) - 1]!;
  }

  text(n: SyntaxNode): string {
    return this.src.slice(n.from, n.to);
  }

  private tick(): void {
    if ((++this.ticks & 255) === 0 && now() > this.deadline) throw new Cut('time budget exhausted');
  }

  // ---------- scopes ----------

  lookup(scope: Scope, name: string): Binding | undefined {
    let s: Scope | null = scope;
    while (s) {
      if (s.isGlobal) {
        const b = s.vars.get(name);
        if (!this.stmt.reads.has(name)) this.stmt.reads.set(name, b);
        for (const c of this.readCollectors) if (!c.has(name)) c.set(name, b);
        return b;
      }
      const b = s.vars.get(name);
      if (b) return b;
      s = s.parent;
    }
    return undefined;
  }

  bind(scope: Scope, name: string, b: Binding): void {
    scope.vars.set(name, b);
    if (scope.isGlobal) this.stmt.writes.set(name, b);
  }

  private origin(n: SyntaxNode): Origin {
    return { stmt: this.stmt, relLine: this.lineOf(n.from) - this.stmt.line };
  }

  // ---------- records ----------

  private record(n: SyntaxNode, v: Value, steps: ShapeStep[], origin: Origin | null): void {
    if (!this.recording) return;
    this.stmt.records.push({ from: n.from - this.stmt.from, to: n.to - this.stmt.from, v, steps, origin });
  }

  /** During a silent call, remember the value bound at a site of the function's body. */
  private observe(t: SyntaxNode, v: Value): void {
    const def = this.callStack[this.callStack.length - 1];
    if (!def) return;
    const o: Observation = { stmt: def.stmt as StmtState, rel: t.from - (def.stmt as StmtState).from, v };
    this.stmt.observed.push(o);
    for (const c of this.obsCollectors) c.push(o);
  }

  /** A function also used other than by a direct call: its bindings keep their def-time values. */
  private poison(def: FuncDef): void {
    this.stmt.poisoned.push({ stmt: def.stmt as StmtState, from: def.rel.from, to: def.rel.to });
  }

  private inFunctionBody(n: SyntaxNode): boolean {
    for (let p = n.parent; p; p = p.parent) if (p.name === 'FunctionDefinition') return true;
    return false;
  }

  /** The exception a shape error raises: IndexError for indices, ValueError in NumPy, RuntimeError in PyTorch. */
  private static exceptionOf(code: string, lib: Lib | undefined): string | undefined {
    if (code === 'index') return 'IndexError';
    if (code === 'lstsq' || code === 'solve') return 'LinAlgError';
    if (code === 'sequential' || code === 'linear' || code === 'conv' || code === 'batchnorm') return 'RuntimeError';
    return lib === 'numpy' ? 'ValueError' : lib === 'torch' ? 'RuntimeError' : undefined;
  }

  /** The innermost `try` running now whose handlers catch `exc` (any error for a bare `except:` or `Exception`). */
  private catching(exc: string | undefined): Caught | undefined {
    for (let i = this.tries.length - 1; i >= 0; i--) {
      const t = this.tries[i]!;
      // (NumPy's LinAlgError is a ValueError)
      for (const h of t.handlers) if (h.names === 'all' || (exc !== undefined && (h.names.has(exc) || (exc === 'LinAlgError' && h.names.has('ValueError'))))) return { stmt: t.stmt, relLine: h.relLine, depth: t.depth };
    }
    return undefined;
  }

  private diag(n: SyntaxNode, code: string, message: string, related?: { ref: SourceRef; message: string }[], lib?: Lib): void {
    const exc = Analyzer.exceptionOf(code, lib);
    const caught = this.catching(exc);
    if (!this.recording) {
      // A certain error inside a function while a followed call runs: report it in the body, where
      // the real program would raise, for this call's shapes.
      const def = this.callStack[this.callStack.length - 1];
      if (!def) return;
      const stFrom = (def.stmt as StmtState).from;
      const base = this.lineOf(stFrom);
      const o: ObservedDiag = {
        stmt: def.stmt as StmtState,
        d: {
          relLine: this.lineOf(n.from) - base,
          column: this.colOf(n.from),
          relEndLine: this.lineOf(n.to) - base,
          endColumn: this.colOf(n.to),
          from: n.from - stFrom,
          to: n.to - stFrom,
          code,
          message,
          ...(related ? { related } : {}),
          ...(caught ? { caught } : {}),
          ...(exc ? { exc } : {}),
        },
        fn: def.name,
        ...(this.topCall ? { call: this.topCall } : {}),
      };
      this.stmt.observedDiags.push(o);
      for (const c of this.diagCollectors) c.push(o);
      return;
    }
    const d = this.stmt.diags;
    if (d.some((x) => x.from === n.from - this.stmt.from && x.code === code)) return;
    d.push({
      relLine: this.lineOf(n.from) - this.stmt.line,
      column: this.colOf(n.from),
      relEndLine: this.lineOf(n.to) - this.stmt.line,
      endColumn: this.colOf(n.to),
      from: n.from - this.stmt.from,
      to: n.to - this.stmt.from,
      code,
      message,
      ...(related ? { related } : {}),
      ...(caught ? { caught } : {}),
      ...(exc ? { exc } : {}),
    });
  }

  // ---------- statements ----------

  execBlock(first: SyntaxNode | null, scope: Scope, fn: FnCtx | null): void {
    for (let n = first; n; n = n.nextSibling) this.exec(n, scope, fn);
  }

  exec(n: SyntaxNode, scope: Scope, fn: FnCtx | null): void {
    this.tick();
    switch (n.name) {
      case 'AssignStatement':
        return this.execAssign(n, scope);
      case 'UpdateStatement':
        return this.execUpdate(n, scope);
      case 'ExpressionStatement':
        if (n.firstChild && !this.execAppend(n, n.firstChild, scope)) this.evalExpr(n.firstChild, scope);
        return;
      case 'StatementGroup':
        // `a = 1; b = 2` on one line
        for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== ';') this.exec(c, scope, fn);
        return;
      case 'DeleteStatement':
        for (const t of exprChildren(n)) {
          const o = t.name === 'MemberExpression' && t.getChild('[') && t.firstChild ? this.evalExpr(t.firstChild, scope) : UNKNOWN;
          if (o.k === 'tuple' && o.cell) touchCell(o.cell);
        }
        return;
      case 'BreakStatement':
      case 'ContinueStatement':
        // The iteration ends here: what is bound now also reaches the loop's next entry and its exit.
        if (this.loopJumps) {
          const state = new Map<string, Value>();
          for (let s: Scope | null = scope; s; s = s.parent) {
            for (const [k, b] of s.vars) if (!state.has(k)) state.set(k, b.v);
            if (s === this.loopJumps.top) break;
          }
          this.loopJumps.states.push(state);
        }
        return;
      case 'AssertStatement':
        for (const e of exprChildren(n)) this.evalExpr(e, scope);
        return;
      case 'YieldStatement':
      case 'RaiseStatement':
      case 'MatchStatement':
      case 'PrintStatement':
        this.touchNamesIn(n, scope);
        return;
      case 'ImportStatement':
        return this.execImport(n, scope);
      case 'FunctionDefinition':
        return this.execDef(n, scope, null);
      case 'DecoratedStatement': {
        const inner = n.lastChild;
        if (inner && (inner.name === 'FunctionDefinition' || inner.name === 'ClassDefinition')) {
          // a decorator may replace the function: bind unknown, but analyze the body
          this.exec(inner, scope, fn);
          const nameNode = inner.getChild('VariableName');
          if (nameNode && !/^@(staticmethod|classmethod|property|torch\.no_grad\(\)|functools\.wraps)/.test(this.text(n))) {
            this.bind(scope, this.text(nameNode), { v: UNKNOWN, steps: [], origin: this.origin(nameNode) });
          }
        }
        return;
      }
      case 'ClassDefinition':
        return this.execClass(n, scope);
      case 'ReturnStatement': {
        const parts = exprChildren(n);
        const v = parts.length === 0 ? NONE : parts.length === 1 ? this.evalExpr(parts[0]!, scope) : { k: 'tuple' as const, items: parts.map((p) => this.evalExpr(p, scope)) };
        fn?.returns.push(v);
        return;
      }
      case 'IfStatement':
        return this.execIf(n, scope, fn);
      case 'ForStatement':
      case 'WhileStatement':
        return this.execLoop(n, scope, fn);
      case 'WithStatement':
        return this.execWith(n, scope, fn);
      case 'TryStatement':
        return this.execTry(n, scope, fn);
      case 'Body':
        return this.execBlock(n.firstChild, scope, fn);
      default:
        return;
    }
  }

  private withDepth<T>(f: () => T, fallback: T): T {
    if (this.depth >= MAX_DEPTH) {
      this.cut = this.cut ?? `nesting deeper than ${MAX_DEPTH} levels: deeper parts are unknown`;
      return fallback;
    }
    this.depth++;
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  /** `NAME.append(x)` as a statement: the name, its node and the argument; else null. */
  private appendCall(e: SyntaxNode): { name: string; nameNode: SyntaxNode; arg: SyntaxNode; attr?: { obj: SyntaxNode; prop: string } } | null {
    if (e.name !== 'CallExpression') return null;
    const callee = e.firstChild;
    const args = e.getChild('ArgList');
    if (!callee || callee.name !== 'MemberExpression' || !args) return null;
    const obj = callee.firstChild;
    const prop = callee.getChild('PropertyName');
    if (!obj || !prop || this.text(prop) !== 'append') return null;
    // `self.layers.append(x)`: a list kept in an instance's attribute
    let attr: { obj: SyntaxNode; prop: string } | undefined;
    if (obj.name === 'MemberExpression' && !obj.getChild('[')) {
      const o = obj.firstChild;
      const p = obj.getChild('PropertyName');
      if (!o || o.name !== 'VariableName' || !p) return null;
      attr = { obj: o, prop: this.text(p) };
    } else if (obj.name !== 'VariableName') return null;
    const argNodes = exprChildren(args);
    if (argNodes.length !== 1 || argNodes[0]!.name === 'ComprehensionExpression' || args.getChild('*') || args.getChild('AssignOp')) return null;
    return { name: this.text(obj), nameNode: obj, arg: argNodes[0]!, ...(attr ? { attr } : {}) };
  }

  /**
   * `self.layers.append(layer)` as a statement on straight-line code (not under a branch or in a loop
   * run to a fixed point, where it would append once per pass): the instance's attribute becomes the
   * longer list. Returns false when not such an append (the general path then marks the list changed).
   */
  private execAttrAppend(app: { arg: SyntaxNode; attr: { obj: SyntaxNode; prop: string } }, scope: Scope): boolean {
    if (this.branchDepth > 0) return false;
    const o = this.evalExpr(app.attr.obj, scope);
    if (o.k !== 'inst') return false;
    const prev = o.attrs.get(app.attr.prop);
    const cur = prev ? cleanse(prev) : UNKNOWN;
    if (cur.k !== 'tuple' || !cur.list || !cur.cell || cur.items.length >= MAX_LIST) return false;
    const v = this.evalExpr(app.arg, scope);
    this.instChanges++;
    touchCell(cur.cell);
    setAttr(o.attrs, app.attr.prop, { k: 'tuple', items: [...cur.items, v], list: true, cell: newCell() });
    return true;
  }

  /**
   * `lst.append(x)` on a list we know: the name is bound to the longer list (the old list object is
   * marked changed, for other names of it). Inside a loop whose appends are followed (`loopAppends`)
   * the value only joins the loop's sink. Returns false when the statement is not such an append.
   */
  private execAppend(stmt: SyntaxNode, e: SyntaxNode, scope: Scope): boolean {
    const app = this.appendCall(e);
    if (!app) return false;
    if (app.attr) return this.execAttrAppend({ arg: app.arg, attr: app.attr }, scope);
    const sink = this.appendSinks.get(stmt.from);
    if (sink && sink.name === app.name) {
      const v = this.evalExpr(app.arg, scope);
      sink.elem = sink.elem === undefined ? v : join(sink.elem, v);
      return true;
    }
    const b = this.lookup(scope, app.name);
    const cur = b ? cleanse(b.v) : UNKNOWN;
    if (cur.k !== 'tuple' || !cur.list || !cur.cell || cur.items.length >= MAX_LIST) return false;
    const v = this.evalExpr(app.arg, scope);
    touchCell(cur.cell);
    const next: Value = { k: 'tuple', items: [...cur.items, v], list: true, cell: newCell() };
    const steps = [stepOf('append', `${app.name}.append(…) → a list of ${cur.items.length + 1}`)];
    this.bind(scope, app.name, { v: next, steps, origin: this.origin(app.nameNode) });
    this.record(app.nameNode, next, steps, this.origin(app.nameNode));
    return true;
  }

  /**
   * The lists a `for` loop with a known number of iterations appends to, the RNN pattern:
   *   hs = []
   *   for t in range(T):
   *       h = …
   *       hs.append(h)
   *   H = np.stack(hs)          # (T, d_h)
   * A list qualifies when every iteration surely appends to it the same number of times: its
   * appends are statements directly in the loop body (not under an if), the body has no break or
   * continue, and the list's name appears nowhere else in the body (nothing reads the growing list
   * or rebinds the name). Otherwise appends take the general path and the list ends up unknown.
   */
  private loopAppends(body: SyntaxNode, scope: Scope, targets: SyntaxNode[]): Map<number, AppendSink> {
    const out = new Map<number, AppendSink>();
    const perName = new Map<string, number>();
    for (let c = body.firstChild; c; c = c.nextSibling) {
      if (c.name !== 'ExpressionStatement' || !c.firstChild) continue;
      const app = this.appendCall(c.firstChild);
      if (!app) continue;
      out.set(c.from, { name: app.name });
      perName.set(app.name, (perName.get(app.name) ?? 0) + 1);
    }
    if (out.size === 0) return out;
    // every use of the name in the body must be one of these appends; no break/continue
    const uses = new Map<string, number>();
    const cur = body.cursor();
    let jumps = false;
    const nested = new Set(['ForStatement', 'WhileStatement', 'FunctionDefinition', 'ClassDefinition', 'LambdaExpression']);
    const walk = (): void => {
      do {
        if (cur.name === 'VariableName') {
          const t = this.src.slice(cur.from, cur.to);
          if (perName.has(t)) uses.set(t, (uses.get(t) ?? 0) + 1);
        } else if ((cur.name === 'BreakStatement' || cur.name === 'ContinueStatement') && !insideNested) jumps = true;
        if (nested.has(cur.name) && cur.firstChild()) {
          const saved = insideNested;
          insideNested = true;
          walk();
          insideNested = saved;
          cur.parent();
        } else if (cur.firstChild()) {
          walk();
          cur.parent();
        }
      } while (cur.nextSibling());
    };
    let insideNested = false;
    if (cur.firstChild()) walk();
    const targetNames = new Set(targets.flatMap((t) => this.namesIn(t)));
    for (const [from, sink] of [...out]) {
      const b = this.lookup(scope, sink.name);
      const v = b ? cleanse(b.v) : UNKNOWN;
      const ok = !jumps && !targetNames.has(sink.name) && uses.get(sink.name) === perName.get(sink.name) && v.k === 'tuple' && !!v.list && !!v.cell;
      if (!ok) out.delete(from);
    }
    return out;
  }

  private namesIn(n: SyntaxNode): string[] {
    const names: string[] = [];
    const cur = n.cursor();
    do {
      if (cur.name === 'VariableName') names.push(this.src.slice(cur.from, cur.to));
    } while (cur.next() && cur.from < n.to);
    return names;
  }

  private execImport(n: SyntaxNode, scope: Scope): void {
    this.execLibraryImport(n, scope);
    // the workspace's own modules (imports.ts): their bindings replace the unknowns bound above
    if (this.ws) {
      const isLib = (m: string) => canonModule(m) !== undefined || canonModule(m.split('.')[0]!) !== undefined;
      for (const b of this.ws.importStatement(this.text(n), this.deadline, isLib)) this.bind(scope, b.name, { v: b.v, steps: b.steps, origin: this.origin(n) });
    }
  }

  private execLibraryImport(n: SyntaxNode, scope: Scope): void {
    const t = this.text(n).replace(/\s+/g, ' ').trim();
    let m = /^from ([\w.]+) import (.+)$/.exec(t);
    if (m) {
      const base = m[1]!;
      for (const part of m[2]!.replace(/[()]/g, '').split(',')) {
        const mm = /^\s*(\w+)(?:\s+as\s+(\w+))?\s*$/.exec(part);
        if (!mm) continue;
        const full = `${base}.${mm[1]}`;
        const canon = canonModule(full);
        const baseCanon = canonModule(base);
        const v: Value = canon ? { k: 'mod', path: canon } : baseCanon ? { k: 'builtin', path: `${baseCanon}.${mm[1]}` } : withWhy(UNKNOWN, `${mm[1]} is imported from ${base}, a module the analysis does not read`);
        this.bind(scope, mm[2] ?? mm[1]!, { v, steps: [], origin: this.origin(n) });
      }
      return;
    }
    m = /^import (.+)$/.exec(t);
    if (!m) return;
    for (const part of m[1]!.split(',')) {
      const mm = /^\s*([\w.]+)(?:\s+as\s+(\w+))?\s*$/.exec(part);
      if (!mm) continue;
      if (mm[2]) {
        const canon = canonModule(mm[1]!);
        this.bind(scope, mm[2], { v: canon ? { k: 'mod', path: canon } : withWhy(UNKNOWN, `${mm[2]} is the module ${mm[1]}, which the analysis does not read`), steps: [], origin: this.origin(n) });
      } else {
        const top = mm[1]!.split('.')[0]!;
        const canon = canonModule(top);
        this.bind(scope, top, { v: canon ? { k: 'mod', path: canon } : withWhy(UNKNOWN, `${top} is a module the analysis does not read`), steps: [], origin: this.origin(n) });
      }
    }
    if (/\btorch\b/.test(t)) this.curLib = 'torch';
  }

  private execAssign(n: SyntaxNode, scope: Scope): void {
    // groups separated by AssignOp: targets..., value
    const groups: SyntaxNode[][] = [[]];
    let annotation: SyntaxNode | null = null;
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === 'AssignOp') groups.push([]);
      else if (c.name === 'TypeDef') annotation = c;
      else if (c.name !== ',' && !c.type.isError) groups[groups.length - 1]!.push(c);
    }
    if (groups.length === 1) {
      // annotation only: `x: Float[Tensor, "b c"]`
      const t = groups[0]!;
      if (t.length === 1 && t[0]!.name === 'VariableName' && annotation) {
        const v = this.annotationValue(annotation);
        if (v) this.bindTarget(t[0]!, v, [], scope, n);
      }
      return;
    }
    const valueNodes = groups[groups.length - 1]!;
    if (valueNodes.length === 0) return;
    const stepStart = this.steps.length;
    let v: Value = valueNodes.length === 1 ? this.evalExpr(valueNodes[0]!, scope) : { k: 'tuple', items: valueNodes.map((x) => this.evalExpr(x, scope)) };
    const steps = this.steps.length > stepStart ? this.steps.slice(Math.max(stepStart, this.steps.length - 8)) : [];
    this.steps.length = stepStart;
    if (annotation && groups.length === 2) {
      const a = this.annotationValue(annotation);
      if (a && a.k === 'tensor') v = refine(v, a);
    }
    for (let g = 0; g < groups.length - 1; g++) {
      const targets = groups[g]!;
      if (targets.length === 1) this.bindTarget(targets[0]!, v, steps, scope, n);
      else this.destructure(targets, v, steps, scope, n);
    }
    const single = groups.length === 2 && groups[0]!.length === 1 && groups[0]![0]!.name === 'VariableName' ? groups[0]![0]! : null;
    if (this.recording && v.k === 'tensor' && v.shape !== null) {
      const hint: RelHint = { relLine: this.lineOf(n.to) - this.stmt.line, offset: n.to - this.stmt.from, label: shapeText(v.shape) };
      if (single) hint.rel = single.from - this.stmt.from;
      this.stmt.hints.push(hint);
    } else if (this.recording && single && this.callStack.length === 0 && this.inFunctionBody(n)) {
      // No hint from the def-time analysis: one may come from the calls (a label filled in later).
      this.stmt.hints.push({ relLine: this.lineOf(n.to) - this.stmt.line, offset: n.to - this.stmt.from, label: '', rel: single.from - this.stmt.from });
    }
  }

  private destructure(targets: SyntaxNode[], v: Value, steps: ShapeStep[], scope: Scope, stmt: SyntaxNode): void {
    const starred = targets.some((t) => t.name === '*' || t.name === 'StarExpression');
    let items: Value[] | null = null;
    if (!starred) {
      if (v.k === 'tuple' && v.items.length === targets.length) items = v.items;
      // Unpacking an array runs over its first axis: each item has the rest of the shape (a scalar for a
      // 1-D array), whatever its length, when the unpacking succeeds (when it cannot, Python raises).
      else if (v.k === 'tensor' && v.shape && v.shape.length > 0 && cmpDim(v.shape[0]!, targets.length) !== 'unequal') items = targets.map(() => tensor(v.lib, v.shape!.slice(1)));
    }
    targets.forEach((t, i) => {
      if (t.name === '*') return;
      this.bindTarget(t, items ? items[i]! : UNKNOWN, steps, scope, stmt);
    });
  }

  bindTarget(t: SyntaxNode, v: Value, steps: ShapeStep[], scope: Scope, stmt: SyntaxNode): void {
    switch (t.name) {
      case 'VariableName': {
        const name = this.text(t);
        const c = this.commentFor(name, stmt) ?? this.assignedShapeComment(t, stmt);
        if (c && (v.k === 'tensor' || v.k === 'unknown')) v = refine(v, tensor(v.k === 'tensor' ? v.lib : this.curLib, c.shape) as Value & { k: 'tensor' });
        this.bind(scope, name, { v, steps, origin: this.origin(t) });
        this.record(t, v, steps, this.origin(t));
        if (this.recording) {
          this.stmt.symbols.push({ name, relLine: this.lineOf(t.from) - this.stmt.line, column: this.colOf(t.from), v, rel: t.from - this.stmt.from });
        } else this.observe(t, v);
        return;
      }
      case 'TupleExpression':
      case 'ArrayExpression':
      case 'ParenthesizedExpression': {
        const inner = exprChildren(t);
        if (t.name === 'ParenthesizedExpression' && inner.length === 1) return this.bindTarget(inner[0]!, v, steps, scope, stmt);
        return this.destructure(inner, v, steps, scope, stmt);
      }
      case 'MemberExpression': {
        const obj = t.firstChild;
        const prop = t.getChild('PropertyName');
        // (a dict entry set through a name is a new binding of that name, which reuse replays)
        const dictByName = !!obj && obj.name === 'VariableName' && !!t.getChild('[') && this.assignDictEntry(t, v, scope);
        if (dictByName) return;
        if (this.stmt.from >= 0 && scope.isGlobal) this.stmt.memoizable = false;
        if (obj && prop && !t.getChild('[')) {
          const o = this.evalExpr(obj, scope);
          if (o.k === 'tensor' && this.text(prop) === 'shape') {
            this.reshapeInPlace(o, obj, scope, v.k === 'int' ? [v.d] : v.k === 'tuple' ? dimsOfTuple(v) : null);
            return;
          }
          if (o.k === 'inst') {
            this.instChanges++;
            const name = this.text(prop);
            const prev = o.attrs.get(name);
            setAttr(o.attrs, name, this.branchDepth > 0 && prev ? join(prev, v) : v);
          }
        } else if (obj) {
          if (this.assignDictEntry(t, v, scope)) return;
          // `lst[i] = v` changes the list (and `d[k] = v` the dict)
          const o = this.evalExpr(obj, scope);
          if ((o.k === 'tuple' || o.k === 'dict') && o.cell) touchCell(o.cell);
        }
        return;
      }
      default:
        return;
    }
  }

  private execUpdate(n: SyntaxNode, scope: Scope): void {
    const target = n.firstChild;
    const op = n.getChild('UpdateOp');
    const valueNode = op?.nextSibling;
    if (!target || !op || !valueNode) return;
    const opText = this.text(op).slice(0, -1);
    const cur = this.evalExpr(target, scope);
    const rhs = this.evalExpr(valueNode, scope);
    // `lst += …` extends the list object in place: other names for it are left behind
    if (cur.k === 'tuple' && cur.cell) touchCell(cur.cell);
    const stepStart = this.steps.length;
    let v = this.binop(opText, cur, rhs, n, target, valueNode);
    // in-place ops keep the left operand's shape (a broadcast that would grow it is an error in NumPy)
    if (v.k === 'tensor' && cur.k === 'tensor' && cur.shape && v.shape && cur.shape.length !== v.shape.length) v = tensor(cur.lib, null);
    const steps = this.steps.slice(stepStart);
    this.steps.length = stepStart;
    if (target.name === 'VariableName') this.bindTarget(target, v, steps, scope, n);
    // `p["w1"] -= lr * g`: the dict's entry takes the new value
    else if (target.name === 'MemberExpression' && target.getChild('[') && !this.assignDictEntry(target, v, scope)) {
      const o = target.firstChild ? this.evalExpr(target.firstChild, scope) : UNKNOWN;
      if (o.k === 'dict') touchCell(o.cell);
    }
  }

  private execIf(n: SyntaxNode, scope: Scope, fn: FnCtx | null): void {
    const branches: Scope[] = [];
    let hasElse = false;
    // While every condition so far is known to be false, a known condition picks its branch: it runs
    // as straight-line code (`if i < len(sizes) - 2:` in a loop run item by item, the main guard).
    let known = true;
    let skip = false;
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (known && (c.name === 'Body' || c.name === 'else')) {
        if (c.name === 'else') continue;
        if (skip) {
          skip = false;
          continue;
        }
        // an else (no condition before it in this chain was true): it runs
        this.execBlock(c.firstChild, scope, fn);
        return;
      }
      if (known && c.name !== 'if' && c.name !== 'elif' && c.name !== ':' && !c.type.isError) {
        const v = this.condition(c, scope);
        if (v === true) {
          const body = c.nextSibling?.name === ':' ? c.nextSibling.nextSibling : c.nextSibling;
          if (body?.name === 'Body') this.execBlock(body.firstChild, scope, fn);
          return;
        }
        if (v === false) {
          skip = true;
          continue;
        }
        known = false;
        continue;
      }
      if (c.name === 'Body') {
        const o = new Scope(scope, false, true);
        this.branchDepth++;
        try {
          this.execBlock(c.firstChild, o, fn);
        } finally {
          this.branchDepth--;
        }
        branches.push(o);
      } else if (c.name === 'else') hasElse = true;
      else if (c.name !== 'if' && c.name !== 'elif' && c.name !== ':' && !c.type.isError) this.evalExpr(c, scope);
    }
    this.merge(scope, branches, !hasElse);
  }

  /** A condition's truth when certain: comparisons of known numbers, True/False, the main guard. */
  private condition(c: SyntaxNode, scope: Scope): boolean | undefined {
    const t = this.text(c).replace(/\s+/g, '');
    if (/^__name__==(["'])__main__\1$/.test(t) && !this.module && !this.lookup(scope, '__name__')) return true;
    const v = this.evalExpr(c, scope);
    return v.k === 'bool' ? v.b : undefined;
  }

  private merge(scope: Scope, branches: Scope[], includeBase: boolean): void {
    const names = new Set<string>();
    for (const b of branches) for (const k of b.vars.keys()) names.add(k);
    for (const name of names) {
      let v: Value | undefined;
      let binding: Binding | undefined;
      let alts = 0;
      const base = this.lookup(scope, name);
      const all = branches.map((b) => b.vars.get(name) ?? base);
      if (includeBase) all.push(base);
      for (const b of all) {
        alts++;
        if (!b) {
          v = UNKNOWN;
          continue;
        }
        binding = binding ?? b;
        v = v === undefined ? b.v : join(v, b.v);
      }
      if (alts === 0 || !binding) continue;
      this.bind(scope, name, v === binding.v ? binding : { v: v!, steps: [], origin: binding.origin });
    }
  }

  private execLoop(n: SyntaxNode, scope: Scope, fn: FnCtx | null): void {
    const body = n.getChild('Body');
    let target: SyntaxNode[] = [];
    let element: Value = UNKNOWN;
    let trips: number | undefined;
    let items: Value[] | undefined;
    if (n.name === 'ForStatement') {
      const kids: SyntaxNode[] = [];
      for (let c = n.firstChild; c; c = c.nextSibling) kids.push(c);
      const inIdx = kids.findIndex((k) => k.name === 'in');
      target = kids.slice(1, inIdx < 0 ? 1 : inIdx).filter((k) => k.name !== ',');
      const iter = inIdx >= 0 ? kids[inIdx + 1] : undefined;
      if (iter) {
        let rangeItems: Value[] | undefined;
        ({ element, trips, items, rangeItems } = this.loopElement(iter, scope));
        // `for i in range(len(sizes) - 1): self.layers.append(Dense(sizes[i], sizes[i + 1]))`: each
        // iteration builds a different layer, so a short range that appends to an instance's list runs
        // item by item, with i known in each.
        if (rangeItems && this.hasAttrAppend(n.getChild('Body'))) items = rangeItems;
      }
    } else {
      const cond = n.firstChild?.nextSibling;
      if (cond && cond.name !== 'Body') this.evalExpr(cond, scope);
    }
    if (!body) return;
    // (not in a body analyzed at its def: its parameters are unknown there, and the calls it would make
    // with them would blur what the real calls see)
    if (this.defTime === 0 && items && items.length > 0 && items.length <= MAX_UNROLL && items.some((x) => valueKey(x) !== valueKey(items![0]!)) && !this.hasJumps(body)) {
      return this.unrollLoop(n, body, target, items, scope, fn);
    }
    const sinks = trips !== undefined ? this.loopAppends(body, scope, target) : NO_SINKS;
    const savedSinks = this.appendSinks;
    if (sinks.size) this.appendSinks = new Map([...savedSinks, ...sinks]);
    try {
      this.loopPasses(body, scope, fn, target, element, sinks, trips !== undefined && trips >= 1);
    } finally {
      this.appendSinks = savedSinks;
    }
    // The followed appends: `trips` iterations each appended the same number of values.
    const groups = new Map<string, { count: number; elem: Value | undefined; node: SyntaxNode | null }>();
    for (const sink of sinks.values()) {
      const g = groups.get(sink.name) ?? { count: 0, elem: undefined, node: null };
      g.count++;
      g.elem = g.elem === undefined ? sink.elem : sink.elem === undefined ? g.elem : join(g.elem, sink.elem);
      groups.set(sink.name, g);
    }
    for (const [name, g] of groups) {
      const b = this.lookup(scope, name);
      const before = b ? cleanse(b.v) : UNKNOWN;
      if (before.k !== 'tuple' || !before.cell) continue;
      touchCell(before.cell);
      const added = trips! * g.count;
      if (g.elem === undefined && added > 0) continue;
      if (before.items.length + added > MAX_LIST) continue;
      const items = [...before.items];
      for (let i = 0; i < added; i++) items.push(g.elem!);
      const steps = [stepOf('append in a loop', `${trips} iterations × ${g.count} append${g.count > 1 ? 's' : ''} → a list of ${items.length}`)];
      this.bind(scope, name, { v: { k: 'tuple', items, list: true, cell: newCell() }, steps, origin: b!.origin });
    }
    let elseBody = false;
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === 'else') elseBody = true;
      else if (elseBody && c.name === 'Body') this.execBlock(c.firstChild, scope, fn);
    }
  }

  /**
   * Runs a loop body to a fixed point, then once more recording. `runsOnce`: the body surely runs at
   * least once (a `for` over a known, non-empty range), so after the loop every name holds what the
   * last iteration left, not possibly its value from before the loop.
   */
  private loopPasses(body: SyntaxNode, scope: Scope, fn: FnCtx | null, target: SyntaxNode[], element: Value, sinks: ReadonlyMap<number, AppendSink>, runsOnce: boolean): void {
    const runPass = (entry: Map<string, Binding>, rec: boolean): Scope => {
      const o = new Scope(scope, false, true);
      for (const [k, b] of entry) o.vars.set(k, b);
      const saved = this.recording;
      this.recording = saved && rec;
      this.branchDepth++;
      try {
        if (target.length === 1) this.bindLoopTarget(target[0]!, o, element);
        else if (element.k === 'tuple' && element.items.length === target.length) target.forEach((t, i) => this.bindLoopTarget(t, o, element.k === 'tuple' ? element.items[i]! : UNKNOWN));
        else for (const t of target) this.bindLoopTarget(t, o, UNKNOWN);
        const savedJumps = this.loopJumps;
        const jumps = { top: o, states: [] as Map<string, Value>[] };
        this.loopJumps = jumps;
        try {
          this.execBlock(body.firstChild, o, fn);
        } finally {
          this.loopJumps = savedJumps;
        }
        // iterations that ended at a break or continue
        for (const state of jumps.states) {
          const names = new Set([...o.vars.keys(), ...state.keys()]);
          for (const k of names) {
            const end = o.vars.get(k) ?? this.lookup(scope, k);
            const atJump = state.has(k) ? state.get(k)! : this.lookup(scope, k)?.v;
            const v = end && atJump !== undefined ? join(end.v, atJump) : UNKNOWN;
            o.vars.set(k, { v, steps: end && v === end.v ? end.steps : [], origin: end?.origin ?? null });
          }
        }
      } finally {
        this.recording = saved;
        this.branchDepth--;
      }
      return o;
    };
    let entry = new Map<string, Binding>();
    let stable = false;
    for (let iter = 0; iter < 3 && !stable; iter++) {
      const o = runPass(entry, false);
      const next = new Map<string, Binding>();
      stable = true;
      for (const [k, b] of o.vars) {
        const pre = this.lookup(scope, k);
        const prev = entry.get(k);
        const v = pre ? join(pre.v, b.v) : UNKNOWN;
        const joined = prev ? join(prev.v, v) : v;
        if (!prev || valueKey(prev.v) !== valueKey(joined)) stable = false;
        next.set(k, { v: joined, steps: b.steps, origin: b.origin });
      }
      entry = next;
    }
    if (!stable) for (const [k, b] of entry) entry.set(k, { ...b, v: UNKNOWN });
    // the sinks keep what the last pass (from the fixed point) appends
    for (const sink of sinks.values()) sink.elem = undefined;
    const final = runPass(entry, true);
    // after the loop: the entry state (zero or more iterations, a fixed point) joined with the last exit
    const out = new Scope(scope, false, true);
    for (const [k, b] of final.vars) {
      const e = entry.get(k);
      const pre = this.lookup(scope, k);
      let v = runsOnce ? b.v : e ? join(e.v, b.v) : pre ? join(pre.v, b.v) : UNKNOWN;
      if (!runsOnce && !e && !pre) v = UNKNOWN;
      out.vars.set(k, { v, steps: b.steps, origin: b.origin });
    }
    for (const [k, b] of out.vars) this.bind(scope, k, b);
  }

  private bindLoopTarget(t: SyntaxNode, scope: Scope, v: Value): void {
    if (t.name === 'VariableName') {
      scope.vars.set(this.text(t), { v, steps: [], origin: this.origin(t) });
      return;
    }
    const kids = exprChildren(t);
    kids.forEach((c, i) => this.bindLoopTarget(c, scope, v.k === 'tuple' && v.items.length === kids.length ? v.items[i]! : UNKNOWN));
  }

  /**
   * What a `for` loop binds at each iteration: an int for `range(…)`, a row for an array or tensor
   * (iteration runs over the first axis), (int, item) for `enumerate`, items in step for `zip`,
   * and the join of a literal list's items. Anything else is unknown.
   */
  private loopElement(iter: SyntaxNode, scope: Scope): { element: Value; trips?: number; items?: Value[]; rangeItems?: Value[] } {
    const elementOf = (v: Value): Value => {
      if (v.k === 'tensor') return v.shape && v.shape.length >= 1 ? tensor(v.lib, v.shape.slice(1)) : UNKNOWN;
      if (v.k === 'tuple' && v.items.length > 0) return v.items.reduce((a, b) => join(a, b));
      return UNKNOWN;
    };
    /** How many items iterating over `v` yields, when certain. */
    const lengthOf = (v: Value): number | undefined => {
      if (v.k === 'tensor') return v.shape && v.shape.length >= 1 && isInt(v.shape[0]!) ? v.shape[0] : undefined;
      if (v.k === 'tuple') return v.items.length;
      return undefined;
    };
    if (iter.name === 'CallExpression') {
      const callee = iter.firstChild;
      const name = callee && callee.name === 'VariableName' ? this.text(callee) : '';
      if ((name === 'range' || name === 'enumerate' || name === 'zip') && !this.lookup(scope, name)) {
        const args = iter.getChild('ArgList');
        const argNodes = args ? exprChildren(args) : [];
        const vals = argNodes.map((a) => this.evalExpr(a, scope));
        if (args && (args.getChild('*') || args.getChild('AssignOp'))) return { element: name === 'range' ? UNKNOWN_INT : UNKNOWN };
        if (name === 'range') {
          const ns = vals.map((v) => (v.k === 'int' && isInt(v.d) ? v.d : undefined));
          let trips: number | undefined;
          let rangeItems: Value[] | undefined;
          if (ns.length >= 1 && ns.length <= 3 && ns.every((x) => x !== undefined)) {
            const [start, stop, step] = ns.length === 1 ? [0, ns[0]!, 1] : [ns[0]!, ns[1]!, ns[2] ?? 1];
            if (step !== 0) trips = Math.max(0, Math.ceil((stop - start) / step));
            // the indices themselves, for a loop run item by item (`rangeUnroll`)
            if (trips !== undefined && trips <= MAX_UNROLL) rangeItems = Array.from({ length: trips }, (_, k) => int(start + k * step));
          }
          return { element: UNKNOWN_INT, trips, ...(rangeItems ? { rangeItems } : {}) };
        }
        if (name === 'enumerate') {
          if (vals.length === 0) return { element: UNKNOWN };
          const v0 = vals[0]!;
          const r: { element: Value; trips?: number; items?: Value[] } = { element: { k: 'tuple', items: [UNKNOWN_INT, elementOf(v0)] }, trips: vals.length === 1 ? lengthOf(v0) : undefined };
          if (vals.length === 1 && v0.k === 'tuple' && v0.items.length <= MAX_UNROLL) r.items = v0.items.map((x, i): Value => ({ k: 'tuple', items: [int(i), x] }));
          return r;
        }
        if (vals.length === 0) return { element: UNKNOWN };
        const lens = vals.map(lengthOf);
        return { element: { k: 'tuple', items: vals.map(elementOf) }, trips: lens.every((l) => l !== undefined) ? Math.min(...(lens as number[])) : undefined };
      }
    }
    const v = this.evalExpr(iter, scope);
    return { element: elementOf(v), trips: lengthOf(v), ...(v.k === 'tuple' && v.items.length <= MAX_UNROLL ? { items: v.items } : {}) };
  }

  /**
   * A `for` over a short list of known items of different kinds (a network's layers:
   * `for layer in self.layers: x = layer.forward(x)`) runs its body once per item, in order, as
   * straight-line code. Only when the body has no break or continue (of this loop). What the
   * iterations record at one place (a hover, a binding) is joined over them.
   */
  private unrollLoop(n: SyntaxNode, body: SyntaxNode, target: SyntaxNode[], items: Value[], scope: Scope, fn: FnCtx | null): void {
    const st = this.stmt;
    const marks = { records: st.records.length, symbols: st.symbols.length, hints: st.hints.length };
    const savedJumps = this.loopJumps;
    this.loopJumps = null;
    try {
      for (const item of items) {
        this.tick();
        for (const t of target.length === 1 ? [{ t: target[0]!, v: item }] : target.map((t, i) => ({ t, v: item.k === 'tuple' && item.items.length === target.length ? item.items[i]! : UNKNOWN })))
          this.bindUnrolledTarget(t.t, scope, t.v);
        this.execBlock(body.firstChild, scope, fn);
      }
    } finally {
      this.loopJumps = savedJumps;
    }
    if (this.recording && this.stmt === st) {
      st.records.splice(marks.records, Infinity, ...joinAt(st.records.slice(marks.records), (r) => `${r.from}:${r.to}`, (a, b) => (a.v === b.v ? a : { ...a, v: joinShown(a.v, b.v), steps: valueKey(a.v) === valueKey(b.v) ? a.steps : [] })));
      st.symbols.splice(marks.symbols, Infinity, ...joinAt(st.symbols.slice(marks.symbols), (y) => String(y.rel), (a, b) => (a.v === b.v ? a : { ...a, v: joinShown(a.v, b.v) })));
      st.hints.splice(marks.hints, Infinity, ...joinAt(st.hints.slice(marks.hints), (h) => String(h.offset), (a, b) => (a.label === b.label ? a : { ...a, label: '' })).filter((h) => h.label !== '' || h.rel !== undefined));
    }
    let elseBody = false;
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === 'else') elseBody = true;
      else if (elseBody && c.name === 'Body') this.execBlock(c.firstChild, scope, fn);
    }
  }

  private bindUnrolledTarget(t: SyntaxNode, scope: Scope, v: Value): void {
    if (t.name === 'VariableName') {
      this.bind(scope, this.text(t), { v, steps: [], origin: this.origin(t) });
      return;
    }
    const kids = exprChildren(t);
    kids.forEach((c, i) => this.bindUnrolledTarget(c, scope, v.k === 'tuple' && v.items.length === kids.length ? v.items[i]! : UNKNOWN));
  }

  /** Whether a loop body appends to an instance's list as one of its statements (`self.layers.append(…)`). */
  private hasAttrAppend(body: SyntaxNode | null): boolean {
    for (let c = body?.firstChild ?? null; c; c = c.nextSibling) if (c.name === 'ExpressionStatement' && c.firstChild && this.appendCall(c.firstChild)?.attr) return true;
    return false;
  }

  /** Whether a loop body has a break or continue of its own (not of a nested loop). */
  private hasJumps(body: SyntaxNode): boolean {
    const cur = body.cursor();
    const nested = new Set(['ForStatement', 'WhileStatement', 'FunctionDefinition', 'ClassDefinition', 'LambdaExpression']);
    let found = false;
    const walk = (): void => {
      do {
        if (cur.name === 'BreakStatement' || cur.name === 'ContinueStatement') found = true;
        else if (!nested.has(cur.name) && cur.firstChild()) {
          walk();
          cur.parent();
        }
      } while (!found && cur.nextSibling());
    };
    if (cur.firstChild()) walk();
    return found;
  }


  private execWith(n: SyntaxNode, scope: Scope, fn: FnCtx | null): void {
    let asNext = false;
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === 'as') asNext = true;
      else if (c.name === 'Body') this.execBlock(c.firstChild, scope, fn);
      else if (asNext && c.name === 'VariableName') {
        this.bind(scope, this.text(c), { v: UNKNOWN, steps: [], origin: this.origin(c) });
        asNext = false;
      } else if (c.name !== 'with' && c.name !== ',' && c.name !== ':') this.evalExpr(c, scope);
    }
  }

  private execTry(n: SyntaxNode, scope: Scope, fn: FnCtx | null): void {
    const bodies: SyntaxNode[] = [];
    let finallyBody: SyntaxNode | null = null;
    let sawFinally = false;
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === 'finally') sawFinally = true;
      else if (c.name === 'Body') {
        if (sawFinally) finallyBody = c;
        else bodies.push(c);
      }
    }
    const [tryBody, ...handlers] = bodies;
    if (!tryBody) return;
    const t = new Scope(scope, false, true);
    this.branchDepth++;
    const owner = (this.callStack.length ? this.callStack[this.callStack.length - 1]!.stmt : this.stmt) as StmtState;
    this.tries.push({ stmt: owner, depth: this.callDepth, handlers: this.exceptClauses(n, this.lineOf(owner.from)) });
    try {
      try {
        this.execBlock(tryBody.firstChild, t, fn);
      } finally {
        this.tries.pop();
      }
      const hs: Scope[] = [t];
      for (const h of handlers) {
        const o = new Scope(scope, false, true);
        for (const k of t.vars.keys()) o.vars.set(k, { v: UNKNOWN, steps: [], origin: null });
        this.execBlock(h.firstChild, o, fn);
        hs.push(o);
      }
      this.merge(scope, hs, false);
    } finally {
      this.branchDepth--;
    }
    if (finallyBody) this.execBlock(finallyBody.firstChild, scope, fn);
  }

  /**
   * What each `except` clause of a try statement catches: every error for a bare `except:`,
   * `Exception` or `BaseException`; else the exception names it lists (`ValueError`,
   * `(ValueError, TypeError)`, `np.linalg.LinAlgError` by its last name).
   */
  private exceptClauses(n: SyntaxNode, baseLine: number): { relLine: number; names: Set<string> | 'all' }[] {
    const out: { relLine: number; names: Set<string> | 'all' }[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name !== 'except') continue;
      const relLine = this.lineOf(c.from) - baseLine;
      const e = c.nextSibling;
      if (!e || e.name === 'Body') {
        out.push({ relLine, names: 'all' });
        continue;
      }
      const names = new Set<string>();
      const add = (x: SyntaxNode): void => {
        if (x.name === 'TupleExpression' || x.name === 'ParenthesizedExpression') for (const y of exprChildren(x)) add(y);
        else if (x.name === 'VariableName' || x.name === 'MemberExpression') names.add(this.text(x).replace(/^.*\./, ''));
      };
      add(e);
      out.push({ relLine, names: names.has('Exception') || names.has('BaseException') ? 'all' : names });
    }
    return out;
  }

  // ---------- functions and classes ----------

  private params(def: SyntaxNode): { name: string; node: SyntaxNode; ann: SyntaxNode | null; dflt: SyntaxNode | null; star: string }[] {
    const pl = def.getChild('ParamList');
    const out: { name: string; node: SyntaxNode; ann: SyntaxNode | null; dflt: SyntaxNode | null; star: string }[] = [];
    if (!pl) return out;
    let star = '';
    let afterEq = false;
    for (let c = pl.firstChild; c; c = c.nextSibling) {
      if (c.name === '*' || c.name === '**') star = c.name;
      else if (c.name === 'VariableName' && !afterEq) {
        out.push({ name: this.text(c), node: c, ann: null, dflt: null, star });
        star = '';
      } else if (c.name === 'TypeDef' && out.length) out[out.length - 1]!.ann = c;
      else if (c.name === 'AssignOp') afterEq = true;
      else if (c.name === ',') afterEq = false;
      else if (afterEq && out.length) {
        out[out.length - 1]!.dflt = c;
        afterEq = false;
      }
    }
    return out;
  }

  private makeFunc(n: SyntaxNode, scope: Scope, isMethod: boolean): FuncDef {
    const nameNode = n.getChild('VariableName');
    // inside a followed call, the node belongs to the called function's statement, not the caller's
    const owner = (this.callStack.length ? this.callStack[this.callStack.length - 1]!.stmt : this.stmt) as StmtState;
    const def: FuncDef = {
      rel: { from: n.from - owner.from, to: n.to - owner.from },
      name: nameNode ? this.text(nameNode) : '?',
      // Module-level functions read the globals of the update they are called in, at the call: a def
      // kept from an earlier update must not see that update's (final) globals.
      scope: scope.isGlobal ? null : scope,
      memo: new Map(),
      defaults: new Map(),
      isMethod,
      stmt: owner,
      ...(this.module ? { module: this.module } : {}),
    };
    this.defNodes.set(def, n);
    for (const p of this.params(n)) if (p.dflt) def.defaults.set(p.name, this.evalExpr(p.dflt, scope));
    return def;
  }

  private execDef(n: SyntaxNode, scope: Scope, cls: { self: Value } | null): void {
    const nameNode = n.getChild('VariableName');
    if (!nameNode) return;
    const def = this.makeFunc(n, scope, cls !== null);
    const fv: Value = { k: 'func', def };
    this.bind(scope, def.name, { v: fv, steps: [], origin: this.origin(nameNode) });
    if (!cls) this.analyzeDefBody(def, n, null);
  }

  /**
   * An array changed shape in place: the name it was reached by gets the new shape (or unknown); every
   * other reference to the same value reads as unknown from now on (see `markReshaped`).
   */
  private reshapeInPlace(old: Value & { k: 'tensor' }, objNode: SyntaxNode, scope: Scope, shape: Shape): void {
    markReshaped(old);
    if (shape !== null && old.shape !== null && shape.length > 0) {
      // one -1 is inferred from the size, as NumPy does
      const neg = shape.findIndex((d) => d === -1);
      if (neg >= 0) {
        const rest = productDims(shape.filter((_, i) => i !== neg));
        const whole = productDims(old.shape);
        shape = isInt(rest) && rest > 0 && isInt(whole) && whole % rest === 0 ? shape.map((d, i) => (i === neg ? whole / rest : d)) : null;
      }
    }
    if (objNode.name === 'VariableName') {
      const v = tensor(old.lib, shape);
      this.bind(scope, this.text(objNode), { v, steps: [stepOf('shape set in place', `${this.text(objNode)} now has shape ${shapeText(shape)}`)], origin: this.origin(objNode) });
    }
  }

  /** A node's position relative to the top-level statement that holds it (stable across updates). */
  private sourceRef(n: SyntaxNode): SourceRef {
    const owner = (this.callStack.length ? this.callStack[this.callStack.length - 1]!.stmt : this.stmt) as StmtState;
    return { stmt: owner, from: n.from - owner.from, to: n.to - owner.from };
  }

  /** A function's FunctionDefinition node in the current tree (null when its statement is not part of this update). */
  private defNode(def: FuncDef): SyntaxNode | null {
    const cached = this.defNodes.get(def);
    if (cached !== undefined) return cached;
    const st = def.stmt as StmtState;
    let n: SyntaxNode | null = null;
    if (st.pass === this.pass) {
      const from = st.from + def.rel.from;
      const to = st.from + def.rel.to;
      for (n = this.tree.resolveInner(from, 1); n && !(n.name === 'FunctionDefinition' && n.from === from && n.to === to); n = n.parent);
    }
    this.defNodes.set(def, n);
    return n;
  }

  /** Analyze a function body at its definition, with parameters from annotations, comments and defaults. */
  private analyzeDefBody(def: FuncDef, n: SyntaxNode, self: Value | null): void {
    if (this.callDepth > 0 || !this.recording) return;
    const local = new Scope((def.scope as Scope | null) ?? this.global);
    this.params(n).forEach((p, i) => {
      let v: Value;
      if (i === 0 && self) v = self;
      else if (p.star) v = UNKNOWN;
      else {
        const ann = p.ann ? this.annotationValue(p.ann) : undefined;
        const c = this.commentForParam(p.name, n, p.node);
        v = ann ?? (c ? tensor(this.curLib, c.shape) : { k: 'unknown', sym: p.name, why: `${p.name} is a parameter of ${def.name}: its shape comes from the calls the analysis follows` });
        if (ann && ann.k === 'int') v = { k: 'int', d: symDim(p.name) };
      }
      local.vars.set(p.name, { v, steps: [], origin: this.origin(p.node) });
      this.record(p.node, v, [], this.origin(p.node));
    });
    const body = n.getChild('Body');
    // the body runs when called, not inside whatever try surrounds the def
    const saved = { sinks: this.appendSinks, jumps: this.loopJumps, tries: this.tries };
    this.appendSinks = NO_SINKS;
    this.loopJumps = null;
    this.tries = [];
    this.defTime++;
    try {
      if (body) this.withDepth(() => this.execBlock(body.firstChild, local, { returns: [], self: self ?? undefined }), undefined);
    } finally {
      this.defTime--;
      this.appendSinks = saved.sinks;
      this.loopJumps = saved.jumps;
      this.tries = saved.tries;
    }
  }

  callUser(def: FuncDef, pos: Value[], kw: Map<string, Value>, self: Value | undefined): Value {
    if (def.module !== this.module) {
      // defined in another file (imports.ts): it runs in that file's analyzer
      return def.module ? foreignCall(def, pos, kw, self, this.deadline, this.ws ? (p, v) => this.ws!.dep(p, v) : undefined) : UNKNOWN;
    }
    if (this.callDepth >= MAX_CALL_DEPTH) {
      // Not followed: its bindings can't be refined from the calls that were.
      this.poison(def);
      return UNKNOWN;
    }
    const node = this.defNode(def);
    if (!node) return UNKNOWN;
    const key = (self ? valueKey(self) + '|' : '') + pos.map((p) => valueKey(p)).join(',') + '|' + [...kw].map(([k, v]) => k + '=' + valueKey(v)).join(',');
    const hit = def.memo.get(key);
    if (hit) {
      let ok = true;
      for (const [name, b] of hit.reads) if (this.global.vars.get(name) !== b) ok = false;
      if (ok) {
        for (const [name, b] of hit.reads) this.lookupGlobalRead(name, b as Binding | undefined);
        // The same call again: its observations count for this statement too.
        for (const o of (hit.obs ?? []) as Observation[]) {
          this.stmt.observed.push(o);
          for (const c of this.obsCollectors) c.push(o);
        }
        for (const o0 of (hit.diags ?? []) as ObservedDiag[]) {
          // Caught inside the called body stays caught; else it is caught (or not) where this call is.
          const caught = o0.d.caught && o0.d.caught.depth > this.callDepth ? o0.d.caught : this.catching(o0.d.exc);
          const { caught: _old, ...d } = o0.d;
          void _old;
          const o: ObservedDiag = { ...o0, d: caught ? { ...d, caught } : d };
          if (this.topCall) o.call = this.topCall;
          this.stmt.observedDiags.push(o);
          for (const c of this.diagCollectors) c.push(o);
        }
        return hit.v;
      }
    }
    const reads = new Map<string, Binding | undefined>();
    this.readCollectors.push(reads);
    const obs: Observation[] = [];
    this.obsCollectors.push(obs);
    const diags: ObservedDiag[] = [];
    this.diagCollectors.push(diags);
    this.callStack.push(def);
    const savedSinks = this.appendSinks;
    this.appendSinks = NO_SINKS;
    const savedJumps = this.loopJumps;
    this.loopJumps = null;
    const savedRec = this.recording;
    this.recording = false;
    this.callDepth++;
    const savedSteps = this.steps.length;
    const changes0 = this.instChanges;
    try {
      const local = new Scope((def.scope as Scope | null) ?? this.global);
      const ps = this.params(node);
      let i = 0;
      const args = self ? [self, ...pos] : pos;
      for (const p of ps) {
        let v: Value | undefined;
        if (p.star === '*') v = { k: 'tuple', items: args.slice(i) };
        else if (p.star === '**') v = UNKNOWN;
        else if (i < args.length) v = args[i++];
        else v = kw.get(p.name) ?? def.defaults.get(p.name) ?? UNKNOWN;
        local.vars.set(p.name, { v: v ?? UNKNOWN, steps: [], origin: null });
      }
      const fn: FnCtx = { returns: [] };
      const body = node.getChild('Body');
      if (body) this.withDepth(() => this.execBlock(body.firstChild, local, fn), undefined);
      let r: Value | undefined;
      for (const v of fn.returns) r = r === undefined ? v : join(r, v);
      const result = r ?? NONE;
      // A def kept across many edits sees new argument shapes after each: keep the memo bounded.
      if (def.memo.size >= MAX_MEMO) def.memo.clear();
      if (this.instChanges === changes0) def.memo.set(key, { v: result, reads, obs, diags });
      else def.memo.delete(key);
      return result;
    } finally {
      this.steps.length = savedSteps;
      this.callDepth--;
      this.recording = savedRec;
      this.readCollectors.pop();
      this.obsCollectors.pop();
      this.diagCollectors.pop();
      this.callStack.pop();
      this.appendSinks = savedSinks;
      this.loopJumps = savedJumps;
    }
  }

  private lookupGlobalRead(name: string, b: Binding | undefined): void {
    if (!this.stmt.reads.has(name)) this.stmt.reads.set(name, b);
    for (const c of this.readCollectors) if (!c.has(name)) c.set(name, b);
  }

  private execClass(n: SyntaxNode, scope: Scope): void {
    const nameNode = n.getChild('VariableName');
    if (!nameNode) return;
    const cls: ClassDef = { name: this.text(nameNode), methods: new Map(), proto: newAttrs() };
    const cv: Value = { k: 'class', def: cls };
    this.bind(scope, cls.name, { v: cv, steps: [], origin: this.origin(nameNode) });
    const body = n.getChild('Body');
    if (!body) return;
    const proto: Value = { k: 'inst', cls, attrs: cls.proto };
    const cscope = new Scope(scope);
    const defs: [FuncDef, SyntaxNode][] = [];
    for (let c = body.firstChild; c; c = c.nextSibling) {
      let d: SyntaxNode | null = c;
      if (c.name === 'DecoratedStatement') d = c.lastChild;
      if (d && d.name === 'FunctionDefinition') {
        const fd = this.makeFunc(d, scope, true);
        const static_ = c !== d && /@staticmethod/.test(this.text(c));
        cls.methods.set(fd.name, { k: 'func', def: { ...fd, isMethod: !static_ } });
        defs.push([fd, d]);
      } else if (c.name === 'AssignStatement') this.exec(c, cscope, null);
    }
    for (const [k, b] of cscope.vars) if (!cls.proto.has(k)) cls.proto.set(k, b.v);
    const init = defs.find(([d]) => d.name === '__init__');
    if (init) this.analyzeDefBody(init[0], init[1], proto);
    for (const [d, node] of defs) if (d.name !== '__init__') this.analyzeDefBody(d, node, proto);
  }

  private instantiate(cls: ClassDef, pos: Value[], kw: Map<string, Value>): Value {
    const inst: Value = { k: 'inst', cls, attrs: newAttrs() };
    for (const [k, v] of cls.proto) if (v.k === 'func' || v.k === 'int' || v.k === 'str') inst.attrs.set(k, v);
    const init = cls.methods.get('__init__');
    if (init && init.k === 'func') {
      const savedRec = this.recording;
      this.recording = false;
      try {
        // __init__ runs on this fresh instance; not memoized (it mutates)
        this.callUserNoMemo(init.def, pos, kw, inst);
      } finally {
        this.recording = savedRec;
      }
    }
    return inst;
  }

  private callUserNoMemo(def: FuncDef, pos: Value[], kw: Map<string, Value>, self: Value): void {
    const saved = def.memo;
    def.memo = new Map();
    try {
      this.callUser(def, pos, kw, self);
    } finally {
      def.memo = saved;
    }
  }

  // ---------- comments and annotations ----------

  private commentFor(name: string, stmt: SyntaxNode): Comment | undefined {
    const line = this.lineOf(stmt.from);
    for (const l of [line, line - 1]) {
      const cs = this.comments.get(l);
      const c = cs?.find((x) => x.name === name);
      if (c) return c;
    }
    return undefined;
  }

  /** A name bound nowhere (data from outside the file) declared by a comment on its line or the line above. */
  private declaredFree(n: SyntaxNode): Value | undefined {
    const name = this.text(n);
    const line = this.lineOf(n.from);
    for (const l of [line, line - 1]) {
      const c = this.comments.get(l)?.find((x) => x.name === name);
      if (c) return tensor(this.curLib, c.shape);
    }
    return undefined;
  }

  /** `z = X @ w  # shape: (n,)`: the comment on an assignment's last line, when it binds the one name `t`. */
  private assignedShapeComment(t: SyntaxNode, stmt: SyntaxNode): Comment | undefined {
    if (stmt.name !== 'AssignStatement') return undefined;
    let ops = 0;
    for (let c = stmt.firstChild; c; c = c.nextSibling) if (c.name === 'AssignOp') ops++;
    // (Lezer hands out fresh node objects: compare positions, not identity.)
    const first = stmt.firstChild;
    if (ops !== 1 || !first || first.from !== t.from || first.to !== t.to || first.nextSibling?.name !== 'AssignOp') return undefined;
    return this.comments.get(this.lineOf(stmt.to))?.find((x) => x.name === ASSIGNED_SHAPE);
  }

  private commentForParam(name: string, def: SyntaxNode, p: SyntaxNode): Comment | undefined {
    const l0 = this.lineOf(def.from) - 1;
    const body = def.getChild('Body');
    const l1 = Math.max(this.lineOf(p.from), body ? this.lineOf(body.from) + 1 : 0);
    for (let l = l0; l <= l1; l++) {
      const c = this.comments.get(l)?.find((x) => x.name === name);
      if (c) return c;
    }
    return undefined;
  }

  annotationValue(typeDef: SyntaxNode): Value | undefined {
    let e = typeDef.lastChild;
    if (!e) return undefined;
    if (e.name === 'String') e = null;
    if (!e) return undefined;
    const t = this.text(e);
    if (t === 'int') return UNKNOWN_INT;
    if (e.name !== 'MemberExpression' || !e.getChild('[')) return undefined;
    const head = e.firstChild;
    if (!head || !JAX_TYPES.test(this.text(head).replace(/^jaxtyping\./, '').replace(/^jt\./, ''))) return undefined;
    const str = e.getChild('String');
    if (!str) return undefined;
    const array = this.src.slice(head.to, str.from);
    const lib: Lib = /ndarray|np\.|numpy/.test(array) ? 'numpy' : 'torch';
    const spec = this.text(str).replace(/^[rbuf]*["']+|["']+$/gi, '').trim();
    if (spec === '') return tensor(lib, []);
    const dims: Dim[] = [];
    for (const tok of spec.split(/\s+/)) {
      if (tok.startsWith('*') || tok === '...') return tensor(lib, null);
      if (tok === '_' || tok.startsWith('#') || tok.includes('=')) dims.push(null);
      else if (/^\d+$/.test(tok)) dims.push(Number(tok));
      else dims.push(parseDimText(tok.replace(/^_/, '')));
    }
    return tensor(lib, dims);
  }

  // ---------- expressions ----------

  evalExpr(n: SyntaxNode, scope: Scope): Value {
    return this.withDepth(() => {
      this.tick();
      const whyStart = this.whySeq;
      const stepStart = this.steps.length;
      let origin: Origin | null = null;
      let steps: ShapeStep[] | null = null;
      let v: Value;
      if (n.name === 'VariableName') {
        const b = this.lookup(scope, this.text(n));
        if (b) {
          v = cleanse(b.v);
          steps = b.steps;
          origin = b.origin;
          // A function used as a value (a callback, stored, returned) may be called where we don't follow.
          // (Lezer hands out fresh node objects: compare positions, not identity.)
          if (v.k === 'func' && !(n.parent?.name === 'CallExpression' && n.parent.firstChild?.from === n.from)) this.poison(v.def);
        } else v = BUILTINS.has(this.text(n)) ? { k: 'builtin', path: `py.${this.text(n)}` } : this.declaredFree(n) ?? withWhy(UNKNOWN, `${this.text(n)} is not assigned in this file before this point`);
      } else v = this.evalInner(n, scope);
      // An unknown result says what stopped the analysis: the reason of an operand, when one had one.
      const why = whyOf(v);
      if (why !== undefined) this.lastWhy = { why, at: ++this.whySeq };
      else if ((v.k === 'unknown' || (v.k === 'tensor' && v.shape === null)) && this.lastWhy && this.lastWhy.at > whyStart) v = withWhy(v, this.lastWhy.why);
      if (steps === null) steps = this.steps.length > stepStart ? this.steps.slice(Math.max(stepStart, this.steps.length - 8)) : EMPTY;
      // a subexpression's origin is its own line (Result.at finds it); names carry their binding's
      this.record(n, v, steps, origin);
      return v;
    }, UNKNOWN);
  }

  private evalInner(n: SyntaxNode, scope: Scope): Value {
    switch (n.name) {
      case 'Number': {
        const t = this.text(n).replace(/_/g, '');
        if (/^\d+$/.test(t)) return int(Number(t));
        if (/^0[xob]/i.test(t)) return int(Number(t));
        if (/[jJ]$/.test(t)) return UNKNOWN;
        return Number.isFinite(Number(t)) ? { k: 'float', x: Number(t) } : FLOAT;
      }
      case 'String':
      case 'FormatString': {
        const t = this.text(n);
        const m = /^[rbuRBU]*(["'])([^"'\\]*)\1$/.exec(t);
        return { k: 'str', s: m ? m[2]! : '' };
      }
      case 'ContinuedString':
        return { k: 'str', s: '' };
      case 'Boolean':
        return { k: 'bool', b: this.text(n) === 'True' };
      case 'None':
        return NONE;
      case 'ParenthesizedExpression': {
        const inner = exprChildren(n);
        return inner.length === 1 ? this.evalExpr(inner[0]!, scope) : UNKNOWN;
      }
      case 'TupleExpression':
      case 'ArrayExpression': {
        const items = exprChildren(n).map((c) => this.evalExpr(c, scope));
        if (exprChildren(n).some((c) => c.name === '*' || c.name === '**')) return UNKNOWN;
        return n.name === 'ArrayExpression' ? { k: 'tuple', items, list: true, cell: newCell() } : { k: 'tuple', items };
      }
      case 'MemberExpression':
        return n.getChild('[') ? this.evalSubscript(n, scope) : this.evalAttr(n, scope);
      case 'CallExpression':
        return this.evalCall(n, scope);
      case 'BinaryExpression': {
        const a = n.firstChild;
        const op = a?.nextSibling;
        const b = op?.nextSibling;
        if (!a || !op || !b) return UNKNOWN;
        const va = this.evalExpr(a, scope);
        let opText = this.text(op);
        let bNode: SyntaxNode | null = b;
        if (opText === 'not' || opText === 'is') {
          // `not in`, `is not`
          if (bNode && (bNode.name === 'in' || bNode.name === 'not')) bNode = bNode.nextSibling;
          opText = 'in';
        }
        if (!bNode) return UNKNOWN;
        const vb = this.evalExpr(bNode, scope);
        return this.binop(opText, va, vb, n, a, bNode);
      }
      case 'UnaryExpression': {
        const op = n.firstChild;
        const x = op?.nextSibling;
        if (!op || !x) return UNKNOWN;
        const v = this.evalExpr(x, scope);
        const o = this.text(op);
        if (o === 'not') return { k: 'bool' };
        if (v.k === 'int') return o === '-' ? int(scaleDim(v.d, -1)) : o === '+' ? v : UNKNOWN_INT;
        if (v.k === 'float') return o === '-' && v.x !== undefined ? { k: 'float', x: -v.x } : o === '-' ? FLOAT : v;
        if (v.k === 'tensor') return v;
        return UNKNOWN;
      }
      case 'ConditionalExpression': {
        const kids = exprChildren(n);
        if (kids.length !== 3) return UNKNOWN;
        const a = this.evalExpr(kids[0]!, scope);
        this.evalExpr(kids[1]!, scope);
        const b = this.evalExpr(kids[2]!, scope);
        return join(a, b);
      }
      case 'ArrayComprehensionExpression': {
        const r = this.evalListComp(n, scope);
        if (r) return r;
        this.touchNamesIn(n, scope);
        return withWhy(UNKNOWN, 'a list comprehension with a condition or an iteration of unknown length is not followed by the shape analysis');
      }
      case 'DictionaryExpression': {
        const r = this.evalDict(n, scope);
        if (r) return r;
        this.touchNamesIn(n, scope);
        return withWhy(UNKNOWN, 'a dict whose keys are not all string literals is not followed by the shape analysis');
      }
      case 'YieldExpression':
      case 'AwaitExpression':
      case 'LambdaExpression':
      case 'DictionaryComprehensionExpression':
      case 'SetExpression':
      case 'SetComprehensionExpression':
      case 'ComprehensionExpression':
        // Not followed: any list named inside may be stored or changed where we cannot see.
        this.touchNamesIn(n, scope);
        return withWhy(UNKNOWN, `${CONSTRUCTS[n.name] ?? 'this construct'} is not followed by the shape analysis`);
      default:
        return UNKNOWN;
    }
  }

  private ctx(n: SyntaxNode, pos: Value[], kw: Map<string, Value>, argNodes: SyntaxNode[], self: Value | undefined, selfNode: SyntaxNode | null, lib: Lib): CallCtx {
    return {
      pos,
      kw,
      self,
      text: this.text(n),
      argText: (i) => (i < 0 ? (selfNode ? this.text(selfNode) : '') : argNodes[i] ? this.text(argNodes[i]!) : ''),
      lib,
      step: (rule, detail, latex) => {
        this.steps.push(stepOf(rule, detail, latex));
      },
      error: (code, message) => this.diag(n, code, message, undefined, lib),
      apply: (fnv, x, label) => this.applyCallable(fnv, x, n, label),
      unknownIsArray: !this.usesPandas,
    };
  }

  private applyCallable(fnv: Value, x: Value, n: SyntaxNode, label: string): Value {
    if (fnv.k === 'layer') {
      const c = this.ctx(n, [x], new Map(), [], undefined, null, 'torch');
      const inner: CallCtx = {
        ...c,
        text: label,
        error: (code, message) =>
          this.diag(
            n,
            code === 'linear' || code === 'conv' || code === 'batchnorm' ? 'sequential' : code,
            `nn.Sequential: layer ${label} (nn.${fnv.type}) ${message.replace(/^\w+: /, '').replace(label + ' ', '')}`,
            fnv.at ? [{ ref: fnv.at, message: `layer ${label} (nn.${fnv.type}) is made here` }] : undefined,
          ),
      };
      return applyLayer(inner, fnv, x, label);
    }
    if (fnv.k === 'inst') return this.callInst(fnv, [x], new Map());
    if (fnv.k === 'func') return this.callUser(fnv.def, [x], new Map(), fnv.self);
    if (fnv.k === 'builtin') {
      const rule = RULES.get(fnv.path);
      if (rule) return rule(this.ctx(n, [x], new Map(), [], undefined, null, libOfPath(fnv.path)));
    }
    return UNKNOWN;
  }

  private callInst(inst: Value & { k: 'inst' }, pos: Value[], kw: Map<string, Value>): Value {
    const f = inst.cls.methods.get('forward') ?? inst.cls.methods.get('__call__');
    if (!f || f.k !== 'func') return UNKNOWN;
    return this.callUser(f.def, pos, kw, inst);
  }

  private evalArgs(argList: SyntaxNode | null, scope: Scope): { pos: Value[]; kw: Map<string, Value>; nodes: SyntaxNode[]; star: boolean; starred: Value[] } {
    const pos: Value[] = [];
    const nodes: SyntaxNode[] = [];
    const kw = new Map<string, Value>();
    const starred: Value[] = [];
    let star = false;
    if (!argList) return { pos, kw, nodes, star, starred };
    let pendingKw: string | null = null;
    let starNext = false;
    for (let c = argList.firstChild; c; c = c.nextSibling) {
      const name = c.name;
      if (name === '(' || name === ')' || name === ',') continue;
      if (name === '*' || name === '**') {
        starNext = true;
        star = true;
        continue;
      }
      if (name === 'VariableName' && c.nextSibling?.name === 'AssignOp') {
        pendingKw = this.text(c);
        continue;
      }
      if (name === 'AssignOp') continue;
      if (c.type.isError) continue;
      const v = this.evalExpr(c, scope);
      if (starNext) {
        starNext = false;
        starred.push(v);
        continue;
      }
      if (pendingKw !== null) {
        kw.set(pendingKw, v);
        pendingKw = null;
      } else {
        pos.push(v);
        nodes.push(c);
      }
      if (name === 'ComprehensionExpression' || c.nextSibling?.name === 'for') star = true;
    }
    return { pos, kw, nodes, star, starred };
  }

  private evalCall(n: SyntaxNode, scope: Scope): Value {
    const calleeNode = n.firstChild;
    const argList = n.getChild('ArgList');
    if (!calleeNode) return UNKNOWN;
    const callee = this.evalExpr(calleeNode, scope);
    const { pos, kw, nodes, star, starred } = this.evalArgs(argList, scope);
    const impure = !isPureCallee(callee);
    try {
      return this.callOf(n, calleeNode, callee, pos, kw, nodes, star, scope);
    } finally {
      // Lists handed to code we don't follow (or follow only once, memoized) may come back changed.
      // (Marked after the call: a followed body reads them as they were passed, `MLP([4, 16, 3])`.)
      if (impure) {
        for (const v of pos) touchAll(v);
        for (const v of kw.values()) touchAll(v);
        for (const v of starred) touchAll(v);
      }
    }
  }

  private callOf(n: SyntaxNode, calleeNode: SyntaxNode, callee: Value, pos: Value[], kw: Map<string, Value>, nodes: SyntaxNode[], star: boolean, scope: Scope): Value {
    if (star) return UNKNOWN;
    // errors met in the bodies this call runs point back to it
    if (this.callDepth === 0 && (callee.k === 'func' || callee.k === 'class' || callee.k === 'inst' || callee.k === 'layer' || callee.k === 'builtin')) this.topCall = this.sourceRef(n);
    switch (callee.k) {
      case 'builtin': {
        if (callee.path.startsWith('py.')) return this.pyBuiltin(callee.path.slice(3), pos, n);
        const special = this.tensorMethod(callee, pos);
        if (special) return special;
        const selfNode = calleeNode.name === 'MemberExpression' ? calleeNode.firstChild : null;
        if (callee.self && callee.self.k === 'tensor' && selfNode && IN_PLACE_SHAPE.has(callee.path)) {
          // t.unsqueeze_(0), a.resize((2, 3)): the array itself changes shape
          const x = callee.self;
          let next: Shape;
          if (callee.path === '.resize' || callee.path === '.resize_') next = sizeArgs(pos, kw);
          else {
            const outOfPlace = RULES.get(callee.path.slice(0, -1));
            const r = outOfPlace ? outOfPlace(this.ctx(n, pos, kw, nodes, x, selfNode, x.lib)) : UNKNOWN;
            next = r.k === 'tensor' ? r.shape : null;
          }
          this.reshapeInPlace(x, selfNode, scope, next);
          return callee.path === '.resize' && x.lib === 'numpy' ? NONE : tensor(x.lib, next);
        }
        // data with shapes fixed outside the code: np.load's file headers, sklearn's bundled datasets
        const data = callee.path === 'np.load' ? npLoad(this.ws, pos[0], this.text(n)) : callee.path.startsWith('sklearn.') ? sklearnDataset(callee.path, kw, this.text(n)) : undefined;
        if (data) {
          this.steps.push(data.step);
          return data.v;
        }
        const rule = RULES.get(callee.path);
        if (!rule) return withWhy(UNKNOWN, callee.path.startsWith('.') ? `the method ${callee.path}() has no shape rule` : `unknown function ${callee.path}`);
        const lib = callee.self && callee.self.k === 'tensor' ? callee.self.lib : callee.path.startsWith('.') ? this.curLib : libOfPath(callee.path);
        let r = rule(this.ctx(n, pos, kw, nodes, callee.self, selfNode, lib));
        // A NumPy function of Python numbers (np.exp(0.5), np.sqrt(2)) gives a NumPy scalar, shape ().
        if (r.k === 'float' && callee.path.startsWith('np.') && !callee.path.startsWith('np.random.')) r = tensor('numpy', []);
        // remember where a layer is made, for diagnostics about it later
        if (r.k === 'layer' && r.type !== 'Sequential') r = { ...r, at: this.sourceRef(n) };
        // Integer arrays index other arrays (A[perm], np.eye(K)[labels]): remember which results are ints.
        return r.k === 'tensor' && producesInts(callee.path, pos) ? { ...r, dt: 'int' } : r;
      }
      case 'layer':
        return applyLayer(this.ctx(n, pos, kw, nodes, undefined, null, 'torch'), callee, pos[0], this.text(calleeNode));
      case 'func': {
        const r = this.callUser(callee.def, pos, kw, callee.def.isMethod ? callee.self : undefined);
        if (r.k === 'tensor') this.steps.push(stepOf(`call ${callee.def.name}`, `${this.text(n)} → ${shapeText(r.shape)}`));
        return r;
      }
      case 'class':
        return this.instantiate(callee.def, pos, kw);
      case 'inst': {
        const r = this.callInst(callee, pos, kw);
        if (r.k === 'tensor') this.steps.push(stepOf(`${callee.cls.name}.forward`, `${this.text(n)} → ${shapeText(r.shape)}`));
        return r;
      }
      default: {
        const cwhy = callee.k === 'unknown' ? callee.why : undefined;
        const obj = calleeNode.name === 'MemberExpression' && !calleeNode.getChild('[') ? calleeNode.firstChild : null;
        const prop = calleeNode.getChild('PropertyName');
        if (obj && prop && !(cwhy ?? '').endsWith('does not read')) {
          // a method of a value we know nothing of: what stopped the analysis is what made that value unknown
          if (cwhy) return withWhy(UNKNOWN, cwhy);
          return withWhy(UNKNOWN, `the method .${this.text(prop)}() of ${shortSource(this.text(obj))}, whose value is unknown`);
        }
        const what = shortSource(this.text(calleeNode));
        return withWhy(UNKNOWN, cwhy ? `unknown function ${what} (${cwhy})` : `unknown function ${what}`);
      }
    }
  }

  private tensorMethod(callee: Value & { k: 'builtin' }, pos: Value[]): Value | undefined {
    const x = callee.self;
    if (!x || x.k !== 'tensor') return undefined;
    switch (callee.path) {
      case '.size':
        if (x.lib !== 'torch') return undefined;
        if (x.shape === null) return pos.length ? UNKNOWN_INT : UNKNOWN;
        if (pos.length === 0) return { k: 'tuple', items: x.shape.map((d) => int(d)), size: true };
        {
          const a = pos[0]!;
          if (a.k !== 'int' || !isInt(a.d)) return UNKNOWN_INT;
          const i = a.d < 0 ? a.d + x.shape.length : a.d;
          return int(x.shape[i] ?? null);
        }
      case '.dim':
      case '.ndimension':
        return x.shape === null ? UNKNOWN_INT : int(x.shape.length);
      case '.numel':
        return x.shape === null ? UNKNOWN_INT : int(productDims(x.shape));
      default:
        return undefined;
    }
  }

  private pyBuiltin(name: string, pos: Value[], n: SyntaxNode): Value {
    const a = pos[0];
    switch (name) {
      case 'rng':
        // np.random.default_rng(seed) / RandomState(seed): a generator whose methods are the `rng.*` rules.
        return { k: 'mod', path: 'rng' };
      case 'len':
        if (a?.k === 'tensor' && a.shape && a.shape.length > 0) return int(a.shape[0]!);
        if (a?.k === 'tuple') return int(a.items.length);
        return UNKNOWN_INT;
      case 'int': {
        if (a?.k === 'int') return a;
        // int(0.05 * N) with N known: truncation toward zero
        const x = a && pos.length === 1 ? numberValue(a) : undefined;
        return x !== undefined && Number.isFinite(x) && Math.abs(x) < 2 ** 53 ? int(Math.trunc(x)) : UNKNOWN_INT;
      }
      case 'float':
        return FLOAT;
      case 'bool':
      case 'isinstance':
        return { k: 'bool' };
      case 'tuple':
      case 'list':
        return a?.k === 'tuple' ? (name === 'list' ? { k: 'tuple', items: a.items, list: true, cell: newCell() } : { k: 'tuple', items: a.items }) : UNKNOWN;
      case 'max':
      case 'min':
        if (pos.length >= 2 && pos.every((p) => p.k === 'int' && isInt(p.d))) return int(Math[name](...pos.map((p) => (p as { d: number }).d)));
        if (pos.length >= 2 && pos.every((p) => p.k === 'int' || p.k === 'float')) return pos.every((p) => p.k === 'int') ? UNKNOWN_INT : UNKNOWN;
        return UNKNOWN;
      case 'abs':
        if (a?.k === 'tensor') return a;
        return a?.k === 'int' && isInt(a.d) ? int(Math.abs(a.d)) : a?.k === 'float' ? FLOAT : UNKNOWN;
      case 'round': {
        if (pos.length !== 1 || (a?.k !== 'float' && a?.k !== 'int')) return UNKNOWN;
        if (a.k === 'int') return a;
        return a.x !== undefined && Math.abs(a.x) < 2 ** 52 ? int(pyRound(a.x)) : UNKNOWN_INT;
      }
      case 'sum':
        return UNKNOWN;
      case 'reversed':
        // `for layer in reversed(self.layers)`: the same items, last first
        if (a?.k === 'tuple' && pos.length === 1) return { k: 'tuple', items: [...a.items].reverse() };
        return a?.k === 'tensor' && pos.length === 1 ? a : UNKNOWN;
      default:
        void n;
        return UNKNOWN;
    }
  }

  /**
   * `[f(k) for k in range(3)]`: one `for` over an iteration of known length, no condition. The element
   * is evaluated once with the target bound to what every iteration binds (so it covers them all), and
   * the list has that many copies of it. Anything else: null (not followed).
   */
  private evalListComp(n: SyntaxNode, scope: Scope): Value | null {
    const kids: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== '[' && c.name !== ']' && c.name !== ',') kids.push(c);
    const forAt = kids.findIndex((k) => k.name === 'for');
    const inAt = kids.findIndex((k) => k.name === 'in');
    if (forAt !== 1 || inAt < forAt + 2 || kids.length !== inAt + 2 || kids.some((k) => k.type.isError)) return null;
    const elem = kids[0]!;
    const targets = kids.slice(forAt + 1, inAt);
    const { element, trips } = this.loopElement(kids[inAt + 1]!, scope);
    if (trips === undefined || trips > MAX_LIST) return null;
    const o = new Scope(scope);
    if (targets.length === 1) this.bindLoopTarget(targets[0]!, o, element);
    else targets.forEach((t, i) => this.bindLoopTarget(t, o, element.k === 'tuple' && element.items.length === targets.length ? element.items[i]! : UNKNOWN));
    const v = this.evalExpr(elem, o);
    const items: Value[] = [];
    for (let i = 0; i < trips; i++) items.push(v);
    this.steps.push(stepOf('list comprehension', `${trips} iterations → a list of ${trips}`));
    return { k: 'tuple', items, list: true, cell: newCell() };
  }

  /** A string literal's text, when the node is a plain one (no f-string, no escapes). */
  private literalKey(n: SyntaxNode | undefined): string | undefined {
    if (!n || n.name !== 'String') return undefined;
    const m = /^[rbuRBU]*(["'])([^"'\\]*)\1$/.exec(this.text(n));
    return m ? m[2]! : undefined;
  }

  /** `{"w1": 0.1, "b": np.zeros(3)}`: string-literal keys only (no `**`); else null. */
  private evalDict(n: SyntaxNode, scope: Scope): Value | null {
    const kids: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== '{' && c.name !== '}' && c.name !== ',') kids.push(c);
    if (kids.length % 3 !== 0 || kids.length / 3 > MAX_LIST) return null;
    for (let i = 0; i < kids.length; i += 3) if (this.literalKey(kids[i]) === undefined || kids[i + 1]!.name !== ':' || kids[i + 2]!.type.isError) return null;
    const keys: string[] = [];
    const items: Value[] = [];
    for (let i = 0; i < kids.length; i += 3) {
      const key = this.literalKey(kids[i])!;
      const v = this.evalExpr(kids[i + 2]!, scope);
      const at = keys.indexOf(key);
      if (at >= 0) items[at] = v;
      else {
        keys.push(key);
        items.push(v);
      }
    }
    return { k: 'dict', keys, items, cell: newCell() };
  }

  /**
   * `p["w1"] = …` or `p["w1"] -= …` on a dict we know, through a name (`p`) or an instance's
   * attribute on straight-line code (`self.params["W1"]`): the name or attribute is bound to the dict
   * with that entry (the old dict object is marked changed, for other names of it). False otherwise.
   */
  private assignDictEntry(t: SyntaxNode, v: Value, scope: Scope): boolean {
    const obj = t.firstChild;
    const inner: SyntaxNode[] = [];
    let inside = false;
    for (let c = obj?.nextSibling ?? null; c; c = c.nextSibling) {
      if (c.name === '[') inside = true;
      else if (c.name === ']') break;
      else if (inside) inner.push(c);
    }
    if (!obj || inner.length !== 1) return false;
    const key = this.literalKey(inner[0]);
    if (key === undefined) return false;
    let cur: Value;
    let inst: (Value & { k: 'inst' }) | undefined;
    let prop = '';
    if (obj.name === 'VariableName') {
      const b = this.lookup(scope, this.text(obj));
      cur = b ? cleanse(b.v) : UNKNOWN;
    } else if (obj.name === 'MemberExpression' && !obj.getChild('[') && obj.firstChild?.name === 'VariableName' && obj.getChild('PropertyName') && this.branchDepth === 0) {
      const o = this.evalExpr(obj.firstChild, scope);
      if (o.k !== 'inst') return false;
      inst = o;
      prop = this.text(obj.getChild('PropertyName')!);
      const a = o.attrs.get(prop);
      cur = a ? cleanse(a) : UNKNOWN;
    } else return false;
    if (cur.k !== 'dict') return false;
    const at = cur.keys.indexOf(key);
    const keys = at >= 0 ? cur.keys : [...cur.keys, key];
    const items = at >= 0 ? cur.items.map((x, i) => (i === at ? v : x)) : [...cur.items, v];
    // The same object, changed: the old value (other names for it) reads unknown from now on; the
    // name or attribute holds the new version (joins with the old one read as the new one).
    touchCell(cur.cell);
    const next: Value = { k: 'dict', keys, items, cell: cur.cell.parents ? newCell() : { ...newCell(), prev: cur.cell } };
    // a call that sets entries is not memoized (a hit would skip the change)
    this.instChanges++;
    if (inst) {
      setAttr(inst.attrs, prop, next);
    } else this.bind(scope, this.text(obj), { v: next, steps: [], origin: this.origin(obj) });
    return true;
  }

  /** Marks every list named inside `n` as possibly changed (it is used in a construct we don't follow). */
  private touchNamesIn(n: SyntaxNode, scope: Scope): void {
    const cur = n.cursor();
    const seen = new Set<string>();
    do {
      if (cur.name !== 'VariableName') continue;
      const name = this.src.slice(cur.from, cur.to);
      if (seen.has(name)) continue;
      seen.add(name);
      const b = this.lookup(scope, name);
      if (b) touchAll(b.v);
    } while (cur.next() && cur.from < n.to);
  }

  private evalAttr(n: SyntaxNode, scope: Scope): Value {
    const objNode = n.firstChild;
    const prop = n.getChild('PropertyName');
    if (!objNode || !prop) return UNKNOWN;
    const o = this.evalExpr(objNode, scope);
    const name = this.text(prop);
    switch (o.k) {
      case 'mod': {
        const full = `${o.path}.${name}`;
        const canon = canonModule(full);
        if (canon) return { k: 'mod', path: canon };
        if (full === 'np.random.default_rng' || full === 'np.random.RandomState') return { k: 'builtin', path: 'py.rng' };
        if (full === 'np.newaxis') return NONE;
        if (/^(np|torch|math)\.(pi|e|inf|nan|tau)$/.test(full)) return FLOAT;
        return { k: 'builtin', path: full };
      }
      case 'tensor':
        switch (name) {
          case 'T':
            return transposeAll(this.ctx(n, [], new Map(), [], o, objNode, o.lib), o);
          case 'mT':
            if (o.shape === null || o.shape.length < 2) return tensor(o.lib, null);
            return tensor(o.lib, [...o.shape.slice(0, -2), o.shape[o.shape.length - 1]!, o.shape[o.shape.length - 2]!]);
          case 'shape':
            return o.shape === null ? UNKNOWN : { k: 'tuple', items: o.shape.map((d) => int(d)), size: true };
          case 'ndim':
            return o.shape === null ? UNKNOWN_INT : int(o.shape.length);
          case 'size':
            if (o.lib === 'numpy') return o.shape === null ? UNKNOWN_INT : int(productDims(o.shape));
            return { k: 'builtin', path: '.size', self: o };
          case 'real':
          case 'imag':
          case 'data':
          case 'grad':
            return o;
          case 'dtype':
          case 'device':
            return UNKNOWN;
          default:
            return { k: 'builtin', path: `.${name}`, self: o };
        }
      case 'inst': {
        const a = o.attrs.get(name);
        if (a) return a.k === 'func' ? { ...a, self: o } : cleanse(a);
        const m = o.cls.methods.get(name);
        if (m && m.k === 'func') return { ...m, self: o };
        return UNKNOWN;
      }
      case 'dict':
        // methods are not followed; those that may change the dict mark it changed
        if (!['get', 'keys', 'values', 'items', 'copy'].includes(name)) touchCell(o.cell);
        return UNKNOWN;
      case 'tuple':
        if (o.cell && LIST_MUTATORS.has(name)) touchCell(o.cell);
        // a named result: `res = ttest_ind(a, b); res.pvalue`
        if (o.fields && o.fields.includes(name)) return o.items[o.fields.indexOf(name)] ?? UNKNOWN;
        return UNKNOWN;
      case 'builtin':
        if (o.path === 'py.rng') return UNKNOWN;
        return UNKNOWN;
      case 'layer': {
        const cfg = o.cfg as Record<string, unknown>;
        if (name === 'weight' && o.type === 'Linear') return tensor('torch', [cfg.out as Dim, cfg.in as Dim]);
        if (name === 'bias' && o.type === 'Linear') return tensor('torch', [cfg.out as Dim]);
        if (name === 'weight' && o.type === 'Embedding') return tensor('torch', [cfg.num as Dim, cfg.dim as Dim]);
        if (name === 'in_features' && o.type === 'Linear') return int(cfg.in as Dim);
        if (/^Conv(Transpose)?[123]d$/.test(o.type) && (name === 'weight' || name === 'bias')) {
          // Conv: (out, in/groups, *k); ConvTranspose: (in, out/groups, *k)
          const k = cfg.k as (Dim | undefined)[] | null;
          if (name === 'bias') return tensor('torch', [cfg.out as Dim]);
          if (!k) return tensor('torch', null);
          const tr = o.type.startsWith('ConvTranspose');
          const [a, b] = tr ? [cfg.in as Dim, cfg.out as Dim] : [cfg.out as Dim, cfg.in as Dim];
          return tensor('torch', [a, exactDivDim(b, cfg.g as Dim), ...k.map((d) => d ?? null)]);
        }
        if (/^BatchNorm[123]d$/.test(o.type) && ['weight', 'bias', 'running_mean', 'running_var'].includes(name)) return tensor('torch', [cfg.num_features as Dim]);
        if (name === 'out_features' && o.type === 'Linear') return int(cfg.out as Dim);
        return UNKNOWN;
      }
      case 'unknown':
        if (o.sym === 'rng') return UNKNOWN;
        // x.mean(), x.max() of a value of unknown shape: a scalar whatever the shape (rules.ts wholeMethod)
        if (WHOLE_METHODS.has(name) && !this.usesPandas) return { k: 'builtin', path: `.${name}`, self: o };
        return withWhy(UNKNOWN, whyOf(o));
      default:
        return UNKNOWN;
    }
  }

  // ---------- operators ----------

  binop(op: string, a: Value, b: Value, n: SyntaxNode, an: SyntaxNode, bn: SyntaxNode): Value {
    const c = () => this.ctx(n, [a, b], new Map(), [an, bn], undefined, null, this.curLib);
    if (op === '@') return matmul(c(), a, b, this.text(n));
    if (op === 'and' || op === 'or') return join(a, b);
    if (op === 'in' || op === 'is' || op === 'not') return { k: 'bool' };
    if (a.k === 'tensor' || b.k === 'tensor') {
      if ((a.k === 'tensor' || isNum(a) || a.k === 'tuple') && (b.k === 'tensor' || isNum(b) || b.k === 'tuple')) {
        const r = broadcast(c(), [a, b], this.text(n), [this.text(an), this.text(bn)]);
        if (r.k === 'tensor' && /^[<>=!]=?$/.test(op)) return { ...r, dt: 'bool' };
        return r;
      }
      return a.k === 'tensor' ? tensor(a.lib, null) : b.k === 'tensor' ? tensor(b.lib, null) : UNKNOWN;
    }
    if (/^[<>=!]=?$/.test(op)) {
      // comparisons of numbers whose values are known are known
      const x = numberValue(a);
      const y = numberValue(b);
      if (x === undefined || y === undefined) return { k: 'bool' };
      const r = op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : op === '>=' ? x >= y : op === '==' ? x === y : op === '!=' ? x !== y : undefined;
      return r === undefined ? { k: 'bool' } : { k: 'bool', b: r };
    }
    if (a.k === 'int' && b.k === 'int') {
      switch (op) {
        case '+':
          return int(addDim(a.d, b.d));
        case '-':
          return int(subDim(a.d, b.d));
        case '*':
          return int(mulDim(a.d, b.d));
        case '//':
          return int(isInt(b.d) && b.d > 0 ? floorDivDim(a.d, b.d) : null);
        case '%':
          return int(isInt(a.d) && isInt(b.d) && b.d !== 0 ? ((a.d % b.d) + b.d) % b.d : null);
        case '**':
          return int(isInt(a.d) && isInt(b.d) && b.d >= 0 && b.d < 64 ? safePow(a.d, b.d) : null);
        case '/':
          return foldFloat(op, a, b);
        default:
          return UNKNOWN_INT;
      }
    }
    if (a.k === 'tuple' && b.k === 'tuple' && op === '+') return { k: 'tuple', items: [...a.items, ...b.items], list: a.list, size: a.size, cell: a.list ? newCell() : undefined };
    if (a.k === 'tuple' && b.k === 'int' && op === '*' && isInt(b.d) && b.d >= 0 && b.d * a.items.length < 10000) {
      const items: Value[] = [];
      for (let i = 0; i < b.d; i++) items.push(...a.items);
      return { k: 'tuple', items, list: a.list };
    }
    if (isNum(a) && isNum(b)) return foldFloat(op, a, b);
    if (a.k === 'str' || b.k === 'str') return { k: 'str', s: '' };
    return UNKNOWN;
  }

  // ---------- subscripts ----------

  private evalSubscript(n: SyntaxNode, scope: Scope): Value {
    const objNode = n.firstChild;
    if (!objNode) return UNKNOWN;
    const o = this.evalExpr(objNode, scope);
    // split the bracket's children at top-level commas
    const groups: SyntaxNode[][] = [[]];
    let inside = false;
    for (let c = objNode.nextSibling; c; c = c.nextSibling) {
      if (c.name === '[') {
        inside = true;
        continue;
      }
      if (c.name === ']') break;
      if (!inside) continue;
      if (c.name === ',') groups.push([]);
      else groups[groups.length - 1]!.push(c);
    }
    if (groups.length > 1 && groups[groups.length - 1]!.length === 0) groups.pop();
    const items: Idx[] = groups.map((g) => this.indexItem(g, scope));
    if (items.length === 1 && items[0]!.kind === 'val' && items[0]!.v.k === 'tuple' && !items[0]!.v.list && o.k === 'tensor') {
      // x[(0, 1)] is x[0, 1]; None in the tuple is a new axis; an item we cannot classify (Ellipsis,
      // slice(…), an unknown value) could be any kind of index: the result is unknown.
      const parts = items[0]!.v.items;
      if (parts.some((v) => v.k === 'unknown')) return tensor(o.lib, null);
      return this.indexTensor(o, parts.map((v): Idx => (v.k === 'none' ? { kind: 'none' } : { kind: 'val', v })), n);
    }
    if (o.k === 'tensor') return this.indexTensor(o, items, n);
    if (o.k === 'inst' && items.length === 1 && items[0]!.kind === 'val') {
      // np.load's NpzFile, sklearn's Bunch: data["X"]
      const key = (items[0] as { v: Value }).v;
      const r = mappingItem(o, key);
      if (r) {
        const s = npzMemberStep(o, key, this.text(n), r);
        if (s) this.steps.push(s);
        return r;
      }
    }
    if (o.k === 'dict') {
      // p["w1"]: the entry (a missing key raises KeyError: unknown)
      const key = groups.length === 1 && groups[0]!.length === 1 ? this.literalKey(groups[0]![0]) : undefined;
      const at = key === undefined ? -1 : o.keys.indexOf(key);
      return at >= 0 ? o.items[at]! : UNKNOWN;
    }
    if (o.k === 'tuple' && items.length === 1) {
      const it = items[0]!;
      if (it.kind === 'val' && it.v.k === 'int' && isInt(it.v.d)) {
        const i = it.v.d < 0 ? it.v.d + o.items.length : it.v.d;
        return o.items[i] ?? UNKNOWN;
      }
      if (it.kind === 'slice') {
        const r = sliceRange(o.items.length, it);
        if (r) return { k: 'tuple', items: r.map((i) => o.items[i]!), list: o.list, size: o.size, cell: o.list ? newCell() : undefined };
      }
      return o.size ? UNKNOWN_INT : UNKNOWN;
    }
    if (o.k === 'builtin' && (o.path === 'np.c_' || o.path === 'np.r_')) return this.indexConcat(o.path, items, n);
    if (o.k === 'layer' && o.type === 'Sequential' && items.length === 1) {
      const it = items[0]!;
      const layers = (o.cfg.layers ?? []) as Value[];
      if (it.kind === 'val' && it.v.k === 'int' && isInt(it.v.d)) return layers[it.v.d < 0 ? it.v.d + layers.length : it.v.d] ?? UNKNOWN;
      if (it.kind === 'slice') {
        const r = sliceRange(layers.length, it);
        if (r) return { k: 'layer', type: 'Sequential', cfg: { layers: r.map((i) => layers[i]!) } };
      }
    }
    return UNKNOWN;
  }

  /**
   * `np.c_[A, b]`: columns side by side (a 1-D array is one column); `np.r_[a, b]`: 1-D arrays and
   * numbers one after another (2-D arrays stacked by rows). Slices and strings inside are not followed.
   */
  private indexConcat(path: string, items: Idx[], n: SyntaxNode): Value {
    const why = `${path}[…] with these items is not followed by the shape analysis`;
    const parts: Shape[] = [];
    for (const it of items) {
      if (it.kind !== 'val') return withWhy(tensor('numpy', null), why);
      const v = it.v;
      if (v.k === 'int' || v.k === 'float' || v.k === 'bool') parts.push([]);
      else if (v.k === 'tensor' || v.k === 'tuple') {
        const t = v.k === 'tensor' ? v : fromLiteral(v, 'numpy');
        if (t.k !== 'tensor' || t.shape === null || t.shape.length > 2) return withWhy(tensor('numpy', null), why);
        parts.push(t.shape);
      } else return withWhy(tensor('numpy', null), why);
    }
    if (parts.length === 0) return withWhy(tensor('numpy', null), why);
    let out: Shape;
    if (path === 'np.c_') {
      // every part becomes 2-D with the rows first: (n,) → (n, 1); numbers are not followed here
      if (parts.some((p) => p!.length === 0)) return withWhy(tensor('numpy', null), why);
      const cols = parts.map((p) => (p!.length === 1 ? [p![0]!, 1] : p!));
      const rows = cols[0]![0]!;
      for (const c of cols) {
        const eq = cmpDim(c[0]!, rows);
        if (eq === 'unequal') {
          this.diag(n, 'concat', `concat: ${this.text(n)} joins columns of ${shapeText(c)} and ${shapeText(cols[0]!)}: their numbers of rows differ`, undefined, 'numpy');
          return tensor('numpy', null);
        }
      }
      out = [rows, cols.reduce<Dim>((a, c) => addDim(a, c[1]!), 0)];
    } else {
      const ranks = new Set(parts.map((p) => Math.max(1, p!.length)));
      if (ranks.size !== 1) return withWhy(tensor('numpy', null), why);
      if (ranks.has(1)) out = [parts.reduce<Dim>((a, p) => addDim(a, p!.length === 0 ? 1 : p![0]!), 0)];
      else {
        const cols = parts[0]![1]!;
        if (parts.some((p) => cmpDim(p![1]!, cols) !== 'equal')) return withWhy(tensor('numpy', null), why);
        out = [parts.reduce<Dim>((a, p) => addDim(a, p![0]!), 0), cols];
      }
    }
    this.steps.push(stepOf(path, `${this.text(n)}: ${parts.map((p) => shapeText(p)).join(', ')} → ${shapeText(out)}`));
    return tensor('numpy', out);
  }

  private indexItem(g: SyntaxNode[], scope: Scope): Idx {
    if (g.length === 0) return { kind: 'slice', start: undefined, stop: undefined, step: undefined };
    const colons = g.filter((x) => x.name === ':').length;
    if (colons === 0) {
      const x = g[0]!;
      if (x.name === 'Ellipsis') return { kind: 'ellipsis' };
      if (x.name === 'None') return { kind: 'none' };
      const v = this.evalExpr(x, scope);
      if (v.k === 'none') return { kind: 'none' };
      return { kind: 'val', v };
    }
    const parts: (Value | undefined)[] = [undefined, undefined, undefined];
    let i = 0;
    for (const x of g) {
      if (x.name === ':') i++;
      else if (i < 3) parts[i] = this.evalExpr(x, scope);
    }
    const nn = (v: Value | undefined): Value | undefined => (v && v.k === 'none' ? undefined : v);
    return { kind: 'slice', start: nn(parts[0]), stop: nn(parts[1]), step: nn(parts[2]) };
  }

  private indexTensor(x: Value & { k: 'tensor' }, items: Idx[], n: SyntaxNode): Value {
    if (x.shape === null) return tensor(x.lib, null);
    const shape = x.shape;
    // count consumed dims
    let consumed = 0;
    let ell = 0;
    for (const it of items) {
      if (it.kind === 'ellipsis') ell++;
      else if (it.kind === 'none') continue;
      else if (it.kind === 'val' && it.v.k === 'tensor' && it.v.dt === 'bool') {
        if (it.v.shape === null) return tensor(x.lib, null);
        consumed += it.v.shape.length;
      } else consumed++;
    }
    if (ell > 1 || consumed > shape.length) {
      if (consumed > shape.length) this.diag(n, 'index', `index: ${this.text(n)} has ${consumed} indices but the array has shape ${shapeText(shape)}`);
      return tensor(x.lib, null);
    }
    const expanded: Idx[] = [];
    for (const it of items) {
      if (it.kind === 'ellipsis') for (let i = 0; i < shape.length - consumed; i++) expanded.push({ kind: 'slice', start: undefined, stop: undefined, step: undefined });
      else expanded.push(it);
    }
    // Trailing dimensions not indexed are taken whole; a boolean mask consumes as many as its rank.
    if (ell === 0) for (let i = consumed; i < shape.length; i++) expanded.push({ kind: 'slice', start: undefined, stop: undefined, step: undefined });
    const out: (Dim | 'ADV')[] = [];
    const adv: Shape[] = [];
    const advPos: number[] = [];
    let di = 0;
    let hasArray = false;
    for (const it of expanded) if (it.kind === 'val' && (it.v.k === 'tensor' || (it.v.k === 'tuple' && it.v.list))) hasArray = true;
    for (let k = 0; k < expanded.length; k++) {
      const it = expanded[k]!;
      if (it.kind === 'none') {
        out.push(1);
        continue;
      }
      if (it.kind === 'slice') {
        out.push(sliceLen(shape[di]!, it));
        di++;
        continue;
      }
      if (it.kind === 'ellipsis') continue;
      const v = it.v;
      if (v.k === 'int' || v.k === 'bool') {
        if (v.k === 'int' && isInt(v.d) && isInt(shape[di]!)) {
          const size = shape[di] as number;
          if (v.d >= size || v.d < -size) {
            this.diag(n, 'index', `index: ${this.text(n)} index ${v.d} is out of bounds for axis ${di} with size ${size} (shape ${shapeText(shape)})`);
            return tensor(x.lib, null);
          }
        }
        if (v.k === 'bool') return tensor(x.lib, null);
        if (hasArray) {
          adv.push([]);
          advPos.push(out.length);
          out.push('ADV');
        }
        di++;
        continue;
      }
      if (v.k === 'tensor' && v.dt === 'bool') {
        if (v.shape === null) return tensor(x.lib, null);
        adv.push([null]);
        advPos.push(out.length);
        out.push('ADV');
        di += v.shape.length;
        continue;
      }
      if (v.k === 'tensor' || (v.k === 'tuple' && v.list)) {
        const t = v.k === 'tensor' ? v : fromLiteral(v, x.lib);
        const intLike = v.k === 'tuple' ? v.items.every((i) => i.k === 'int' || (i.k === 'tuple' && i.items.every((j) => j.k === 'int'))) : v.dt === 'int';
        if (t.k !== 'tensor' || t.shape === null || !intLike) return tensor(x.lib, null);
        adv.push(t.shape);
        advPos.push(out.length);
        out.push('ADV');
        di++;
        continue;
      }
      return tensor(x.lib, null);
    }
    let result: Dim[];
    if (adv.length === 0) result = out as Dim[];
    else {
      let b: Dim[] = [];
      for (const s of adv) {
        if (s === null) return tensor(x.lib, null);
        const r = broadcastDims(b, s).shape;
        if (r === null) return tensor(x.lib, null);
        b = r;
      }
      const adjacent = advPos.every((p, i) => i === 0 || p === advPos[i - 1]! + 1);
      const rest = out.filter((d) => d !== 'ADV') as Dim[];
      if (adjacent) {
        const at = advPos[0]!;
        const before = (out.slice(0, at).filter((d) => d !== 'ADV') as Dim[]);
        result = [...before, ...b, ...rest.slice(before.length)];
      } else result = [...b, ...rest];
    }
    // A mask consumes as many dimensions as it has; never let a missing one through as undefined.
    result = result.map((d) => (d === undefined ? null : d));
    if (result.length > 64) return tensor(x.lib, null);
    this.steps.push(stepOf('indexing', `${this.text(n)}: ${shapeText(shape)} → ${shapeText(result)}`));
    // Indexing keeps the element type: a slice of an index array is an index array.
    const indexed: Value & { k: 'tensor' } = { k: 'tensor', lib: x.lib, shape: result };
    if (x.dt === 'int') indexed.dt = 'int';
    return indexed;
  }
}

type Idx = { kind: 'val'; v: Value } | { kind: 'slice'; start: Value | undefined; stop: Value | undefined; step: Value | undefined } | { kind: 'none' } | { kind: 'ellipsis' };

function intVal(v: Value | undefined): number | null | undefined {
  if (v === undefined) return undefined;
  if (v.k === 'int' && isInt(v.d)) return v.d;
  return null;
}

function sliceRange(len: number, it: { start: Value | undefined; stop: Value | undefined; step: Value | undefined }): number[] | null {
  const a = intVal(it.start);
  const b = intVal(it.stop);
  const s = intVal(it.step) ?? (it.step === undefined ? 1 : null);
  if (a === null || b === null || s === null || s === 0) return null;
  const out: number[] = [];
  const n = pySliceLen(len, a, b, s);
  let start = a === undefined ? (s > 0 ? 0 : len - 1) : a < 0 ? Math.max(a + len, s > 0 ? 0 : -1) : Math.min(a, s > 0 ? len : len - 1);
  for (let i = 0; i < n; i++, start += s) out.push(start);
  return out;
}

function pySliceLen(len: number, a: number | undefined, b: number | undefined, s: number): number {
  let start: number;
  let stop: number;
  if (s > 0) {
    start = a === undefined ? 0 : a < 0 ? Math.max(0, a + len) : Math.min(a, len);
    stop = b === undefined ? len : b < 0 ? Math.max(0, b + len) : Math.min(b, len);
    return stop > start ? Math.ceil((stop - start) / s) : 0;
  }
  start = a === undefined ? len - 1 : a < 0 ? Math.max(-1, a + len) : Math.min(a, len - 1);
  stop = b === undefined ? -1 : b < 0 ? Math.max(-1, b + len) : Math.min(b, len - 1);
  return start > stop ? Math.ceil((start - stop) / -s) : 0;
}

/** Length of a slice of a dimension; symbolic only where it is certain up to degenerate sizes. */
function sliceLen(d: Dim, it: { start: Value | undefined; stop: Value | undefined; step: Value | undefined }): Dim {
  const a = intVal(it.start);
  const b = intVal(it.stop);
  const s = it.step === undefined ? 1 : intVal(it.step);
  if (s === null || s === undefined || s === 0) return null;
  if (a !== null && b !== null && isInt(d)) return pySliceLen(d, a, b, s);
  if (d === null) return null;
  if (a === undefined && b === undefined && s === 1) return d;
  if (s < 0) return a === undefined && b === undefined ? floorDivDim(addDim(d, -s - 1), -s) : null;
  // symbolic d: start/stop must be None or negative ints (relative to the end), or start a non-negative int with stop None
  let startD: Dim;
  let stopD: Dim;
  if (a === undefined) startD = 0;
  else if (a === null) {
    // a symbolic start: only `x[k:]` with k a known-to-be-small symbol is not certain
    return sliceSym(d, it);
  } else startD = a < 0 ? addDim(d, a) : a;
  if (b === undefined) stopD = d;
  else if (b === null) return sliceSym(d, it);
  else if (b < 0) stopD = addDim(d, b);
  else return null;
  const len = subDim(stopD, startD);
  return s === 1 ? len : floorDivDim(addDim(len, s - 1), s);
}

function sliceSym(d: Dim, it: { start: Value | undefined; stop: Value | undefined; step: Value | undefined }): Dim {
  // x[:k] with k symbolic and equal to d
  if (it.start === undefined && it.step === undefined && it.stop && it.stop.k === 'int' && cmpDim(it.stop.d, d) === 'equal') return d;
  return null;
}

/**
 * Arithmetic on Python numbers whose values are known, at least one a float (`0.05*N`, `N/3`): the
 * float with its value, computed as Python does (IEEE doubles; `//` and `%` as CPython's float ops).
 */
function foldFloat(op: string, a: Value, b: Value): Value {
  const x = numberValue(a);
  const y = numberValue(b);
  if (x === undefined || y === undefined) return FLOAT;
  let r: number | undefined;
  switch (op) {
    case '+':
      r = x + y;
      break;
    case '-':
      r = x - y;
      break;
    case '*':
      r = x * y;
      break;
    case '/':
      r = y === 0 ? undefined : x / y;
      break;
    case '//':
      r = y === 0 ? undefined : pyFloorDiv(x, y);
      break;
    case '**':
      r = x === 0 && y < 0 ? undefined : x < 0 && !Number.isInteger(y) ? undefined : x ** y;
      break;
    default:
      r = undefined;
  }
  return r !== undefined && Number.isFinite(r) ? { k: 'float', x: r } : FLOAT;
}

/** CPython's float floor division (Objects/floatobject.c, float_floor_div). */
function pyFloorDiv(vx: number, wx: number): number {
  const mod = vx % wx;
  let div = (vx - mod) / wx;
  if (mod !== 0 && wx < 0 !== mod < 0) div -= 1;
  if (div === 0) return 0;
  let floordiv = Math.floor(div);
  if (div - floordiv > 0.5) floordiv += 1;
  return floordiv;
}

/** Python's round() of a float to an int: halves go to the even neighbour. */
function pyRound(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Source text on one line, shortened, for messages. */
function shortSource(t: string): string {
  const one = t.replace(/\s+/g, ' ').trim();
  return one.length <= 50 ? one : `${one.slice(0, 49)}…`;
}

function isNum(v: Value): boolean {
  return v.k === 'int' || v.k === 'float' || v.k === 'bool';
}

function safePow(a: number, b: number): number | null {
  const r = a ** b;
  return Number.isSafeInteger(r) ? r : null;
}

/** A declared shape refines a computed one: unknown dims take the declared ones. */
export function refine(v: Value, declared: Value & { k: 'tensor' }): Value {
  if (v.k === 'unknown') return declared;
  if (v.k !== 'tensor') return v;
  if (v.shape === null) return tensor(v.lib, declared.shape);
  if (declared.shape === null || declared.shape.length !== v.shape.length) return v;
  return tensor(
    v.lib,
    v.shape.map((d, i) => (d === null ? declared.shape![i]! : d)),
  );
}

export function exprChildren(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) {
    const nm = c.name;
    if (nm === '(' || nm === ')' || nm === '[' || nm === ']' || nm === ',' || nm === 'return' || nm === 'if' || nm === 'else' || c.type.isError) continue;
    out.push(c);
  }
  return out;
}

const EMPTY: ShapeStep[] = [];

/** Items with the same key joined into the first one's place (an unrolled loop's records). */
function joinAt<T>(xs: T[], key: (x: T) => string, merge: (a: T, b: T) => T): T[] {
  const at = new Map<string, number>();
  const out: T[] = [];
  for (const x of xs) {
    const k = key(x);
    const i = at.get(k);
    if (i === undefined) {
      at.set(k, out.length);
      out.push(x);
    } else out[i] = merge(out[i]!, x);
  }
  return out;
}

const CONSTRUCTS: Record<string, string> = {
  YieldExpression: 'a yield',
  AwaitExpression: 'an await',
  LambdaExpression: 'a lambda',
  ArrayComprehensionExpression: 'a list comprehension',
  DictionaryExpression: 'a dict',
  DictionaryComprehensionExpression: 'a dict comprehension',
  SetExpression: 'a set',
  SetComprehensionExpression: 'a set comprehension',
  ComprehensionExpression: 'a generator expression',
};

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

export { formatDim };
