/**
 * Tensor-shape analysis of NumPy/PyTorch code (issue 3): `analyzeShapes` for
 * one-shot use (CLI, tests) and `ShapeDocument` for the editor.
 *
 * Design
 * - Parsing: @lezer/python, error-tolerant, so analysis goes on while the
 *   user types; `ShapeDocument` reuses Lezer's incremental parsing
 *   (`TreeFragment.applyChanges` from the common prefix/suffix of the old and
 *   new text).
 * - Dimensions (dim.ts): a known int, a polynomial over named sizes with
 *   integer coefficients whose atoms may be floor divisions by an int (enough
 *   for conv/pool arithmetic: `(H + 2*1 - 3)//2 + 1` → `(H - 1)//2 + 1`), or
 *   unknown. Comparison says "unequal" only when the difference is a nonzero
 *   constant, so a diagnostic can only fire on a certain error.
 * - Values (values.ts): tensors {lib, shape}, ints (usable as dims), floats,
 *   tuples/lists, nn layers with their config, user functions, classes and
 *   instances, modules, unknown. `join` is the least upper bound used where
 *   control flow merges (if/else, loops, try), so a branch never makes a shape
 *   wrong, only less known.
 * - Rules (rules.ts): a table from a function's canonical name (`np.zeros`,
 *   `torch.cat`, `.reshape` for methods, `nn.Conv2d`) to a function of the
 *   argument values that returns the result and records a step with the
 *   numbers filled in. Elementwise functions and activation layers come from
 *   the operation catalogue (core/ops: every spelling of every entry whose
 *   shape class is elementwise). Correctness rule: when unsure, a dim or the
 *   whole shape is unknown; nothing guesses.
 * - Shape comments (comments.ts): the one grammar every engine reads,
 *   `# X: (n, d), w: (d,)` (several names per comment) and a trailing
 *   `# shape: (n, d)` on an assignment; broadcasting and printing are dim.ts's
 *   `broadcastDims` and `printShape`, shared with matrix calculus.
 * - Flow (analyze.ts): an abstract interpreter over statements. Scopes are
 *   chained maps; branches and loop bodies run in overlay scopes merged with
 *   `join`; loops iterate to a fixed point (at most 3 silent passes, then the
 *   changed names widen to unknown) before one recording pass. Function bodies
 *   are analyzed at their definition with parameters from annotations,
 *   jaxtyping and `# x: (B, 3, 32, 32)` comments (other parameters become
 *   symbolic sizes named after themselves when used as sizes), and again,
 *   silently and memoized on argument shapes, at each call with known
 *   arguments. Classes: `__init__` fills the instance's layers, `forward` runs
 *   on calls of the instance.
 * - Incrementality: each top-level statement keeps its analysis (records,
 *   symbols, hints, diagnostics, all relative to the statement's start) and
 *   the set of global bindings it read. On `update`, a statement whose text
 *   (with its surrounding comment lines) is unchanged and whose read bindings
 *   are the very same objects is reused, and its writes are replayed; so an
 *   edit inside one function re-analyzes that function and only the
 *   statements that read what it binds.
 * - Workspace (issue 12): with a host (host.ts) in the options, `np.load` of a
 *   literal path reads the .npy/.npz header and sklearn's bundled datasets
 *   have their fixed shapes (datasets.ts); the workspace's own modules are
 *   analyzed from their files and called there (imports.ts). A statement
 *   records the files it read with their versions (`deps`) and is reused
 *   only while they are unchanged.
 * - Cost: one pass over the tree, no quadratic steps; records are appended in
 *   traversal order and searched per statement by binary search over
 *   statement starts. Expression nesting is recursive under a depth budget of
 *   150 (deeper parts are unknown and `cut` says so); a time budget stops the
 *   analysis between statements (what was reached is still reported).
 */
import type { Tree } from '@lezer/common';
import { TreeFragment } from '@lezer/common';
import { parser } from '@lezer/python';
import { Analyzer, type Comment, Cut, type RelDiag, Scope, type StmtState, lineAt } from './analyze';
import { parseShapeDecls } from './comments';
import { normalizePath } from './host';
import { type ModuleCtx, Workspace } from './imports';
import type { ShapeAnalysis, ShapeDiagnostic, ShapeHint, ShapeInfo, ShapeOptions, ShapeRelated, SymbolShape } from './types';
import { type ListCell, type SourceRef, type Value, UNKNOWN, attrsOwner, cellContext, undoAttrs, valueKey, join, kindOf, publicShape, shapeText, tensor, whyOf } from './values';

export type * from './types';

export function analyzeShapes(source: string, options?: ShapeOptions): ShapeAnalysis {
  return new ShapeDocument().update(source, options);
}

function empty(reason: string): ShapeAnalysis {
  return { symbols: [], diagnostics: [], hints: [], at: () => undefined, cut: reason };
}

function lineStartsOf(text: string): number[] {
  const out = [0];
  let i = text.indexOf('\n');
  while (i >= 0) {
    out.push(i + 1);
    i = text.indexOf('\n', i + 1);
  }
  return out;
}

/** A comment that may hold shape declarations (comments.ts has the grammar). */
const COMMENT_RE = /#[^\n]*/g;

export class ShapeDocument {
  private text = '';
  private tree: Tree | null = null;
  private fragments: readonly TreeFragment[] = [];
  /** The previous update's statements by start offset, and what changed since (from `parse`). */
  private prev: StmtState[] = [];
  private change: { from: number; toOld: number; toNew: number } | null = null;
  private pass = 0;
  private serial = 0;

  /** The last update's analyzer and globals (read by imports.ts when this document is an imported module). */
  private last: { an: Analyzer; global: Scope } | null = null;

  update(text: string, options?: ShapeOptions): ShapeAnalysis {
    try {
      const host = options?.host;
      const budget = options?.budgetMs ?? 1000;
      return this.run(text, budget, host ? (sink) => new Workspace(host, options?.file, options?.file ? [normalizePath(options.file)] : [], analyzeModule, sink) : undefined);
    } catch (e) {
      this.tree = null;
      this.fragments = [];
      this.prev = [];
      return empty(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private parse(text: string): Tree {
    this.change = null;
    if (this.tree) {
      const old = this.text;
      const pre = commonPrefix(old, text);
      const suf = commonSuffix(old, text, pre);
      this.change = { from: pre, toOld: old.length - suf, toNew: text.length - suf };
      const changes = [{ fromA: pre, toA: old.length - suf, fromB: pre, toB: text.length - suf }];
      this.fragments = TreeFragment.applyChanges(TreeFragment.addTree(this.tree, this.fragments), changes);
    } else this.prev = [];
    const tree = parser.parse(text, this.fragments);
    this.tree = tree;
    this.text = text;
    return tree;
  }

  private run(text: string, budgetMs: number, workspace?: (sink: (path: string, version: string | undefined) => void) => Workspace, module?: ModuleCtx, deadline?: number): ShapeAnalysis {
    const start = now();
    const tree = this.parse(text);
    const lineStarts = lineStartsOf(text);
    const an0 = { lineOf: (o: number) => lineOf(lineStarts, o) };
    const comments = new Map<number, Comment[]>();
    COMMENT_RE.lastIndex = 0;
    for (let m = COMMENT_RE.exec(text); m; m = COMMENT_RE.exec(text)) {
      if (!m[0].includes(':') || !m[0].includes(')')) continue;
      const decls = parseShapeDecls(m[0]);
      if (decls.length === 0) continue;
      const line = an0.lineOf(m.index);
      const list = comments.get(line) ?? [];
      for (const d of decls) list.push({ name: d.name, shape: d.shape });
      comments.set(line, list);
    }
    const global = new Scope(null, true);
    const an = new Analyzer(text, lineStarts, comments, deadline ?? start + budgetMs, global);
    if (module) an.module = module;
    if (workspace) an.ws = workspace((path, version) => (an.stmt.deps ??= new Map()).set(path, version));
    // A kept statement that read workspace files (np.load, imports) is re-analyzed when one changed.
    const versions = new Map<string, string | undefined>();
    const depsCurrent = (s: StmtState): boolean => {
      if (!s.deps) return true;
      if (!an.ws) return false;
      for (const [path, v] of s.deps) {
        if (!versions.has(path)) versions.set(path, an.ws.host.stat(path)?.version);
        if (versions.get(path) !== v) return false;
      }
      return true;
    };
    if (/^\s*(import torch|from torch)/m.test(text)) an.curLib = 'torch';
    const pass = ++this.pass;
    an.tree = tree;
    an.pass = pass;
    const states: StmtState[] = [];
    const change = this.change;
    const prev = this.prev;
    // Lists changed by the previous update's statements are as they were made again; the changes of
    // the statements reused below are replayed in program order (a fresh analysis sees the same).
    for (const s of prev) for (const c of s.touched ?? []) c.dirty = false;
    // (and instance attributes they set, last first)
    for (let i = prev.length - 1; i >= 0; i--) undoAttrs(prev[i]!.attrChanges ?? []);
    const savedCells = { stmt: cellContext.stmt, foreign: cellContext.foreign, touched: cellContext.touched, attrs: cellContext.attrs };
    let cut: string | undefined;
    // Set once a re-analyzed statement changed a list made by another statement: statements after it
    // may read that list through a binding that did not change, so none of them is reused.
    let listsChanged = false;
    // Global names whose binding now differs from the previous update's at the same point: written by
    // a re-analyzed statement, or by a statement that is gone. A kept statement whose reads avoid them
    // reads exactly what it read before. (A kept statement writing its old binding takes a name out.)
    const changed = new Set<string>();
    const markWrites = (s: StmtState) => {
      for (const name of s.writes.keys()) changed.add(name);
    };
    let p = 0; // the next statement of the previous update not yet matched
    for (let n = tree.topNode.firstChild; n; n = n.nextSibling) {
      if (n.name === 'Comment' || n.type.isError && n.from === n.to) continue;
      const line = lineOf(lineStarts, n.from);
      // A top-level statement that does not start its line at column 0 is a piece of a block the
      // parser lost track of after a syntax error (Python allows no indented top-level statement):
      // running it at module scope would mix a function's locals with the globals. Skip it.
      if (n.from > lineStarts[line - 1]! && !n.type.isError) continue;
      const prevLineStart = lineStarts[Math.max(0, line - 2)]!;
      const endLine = lineOf(lineStarts, n.to);
      const endLineEnd = endLine < lineStarts.length ? lineStarts[endLine]! : text.length;
      // A statement is the same as before when its text, with the line above it (shape comments)
      // and the rest of its last line, lies outside the changed region: then it is at the same
      // offset (before the change) or shifted by the change's length (after it).
      const spanFrom = prevLineStart;
      const spanTo = Math.max(n.to, endLineEnd);
      let oldFrom: number | undefined;
      if (!change) oldFrom = n.from;
      else if (spanTo <= change.from) oldFrom = n.from;
      else if (spanFrom >= change.toNew) oldFrom = n.from - (change.toNew - change.toOld);
      let cand: StmtState | undefined;
      if (oldFrom !== undefined) {
        // statements of the previous update skipped over are gone
        while (p < prev.length && prev[p]!.from < oldFrom) {
          // a gone statement's changes to other statements' lists are undone: later ones must see that
          if (foreignCells(prev[p]!).size > 0) listsChanged = true;
          markWrites(prev[p++]!);
        }
        if (p < prev.length && prev[p]!.from === oldFrom) cand = prev[p++];
      }
      // The previous version of a statement the edit falls in (it starts before the edit).
      let edited: StmtState | undefined;
      if (oldFrom === undefined && change && n.from < change.from) {
        while (p < prev.length && prev[p]!.from < n.from) {
          if (foreignCells(prev[p]!).size > 0) listsChanged = true;
          markWrites(prev[p++]!);
        }
        if (p < prev.length && prev[p]!.from === n.from) {
          edited = prev[p++]!;
          markWrites(edited);
        }
      }
      let st: StmtState | undefined;
      if (cand && !listsChanged && cand.len === n.to - n.from && cand.span === spanTo - spanFrom && cand.pass !== pass && cand.memoizable && depsCurrent(cand)) {
        let ok = true;
        if (changed.size > 0) {
          if (changed.size < cand.reads.size) {
            for (const name of changed) if (cand.reads.has(name) && cand.reads.get(name) !== global.vars.get(name)) ok = false;
          } else {
            for (const [name, b] of cand.reads) if (changed.has(name) && global.vars.get(name) !== b) ok = false;
          }
        }
        if (ok) st = cand;
      }
      if (st) {
        for (const [name, b] of st.writes) {
          global.vars.set(name, b);
          changed.delete(name);
        }
        for (const c of st.touched ?? []) c.dirty = true;
        for (const a of st.attrChanges ?? []) a.attrs.set(a.key, a.after);
      } else {
        if (cand) markWrites(cand);
        st = { key: `s${++this.serial}`, len: n.to - n.from, span: spanTo - spanFrom, from: n.from, line, text: '', records: [], symbols: [], diags: [], hints: [], reads: new Map(), writes: new Map(), memoizable: true, pass, observed: [], observedDiags: [], poisoned: [] };
        an.stmt = st;
        cellContext.stmt = st;
        cellContext.foreign = false;
        cellContext.touched = st.touched = [];
        cellContext.attrs = st.attrChanges = [];
        try {
          an.exec(n, global, null);
          // Lists of other statements changed differently than by this statement's previous analysis:
          // the statements after it may read them through bindings that did not change.
          const before = cand ?? edited;
          if ((cellContext.foreign || (before && foreignCells(before).size > 0)) && !sameCells(foreignCells(st), before ? foreignCells(before) : new Set())) listsChanged = true;
          // instances of other statements left otherwise than before (statements after may read them)
          if (!sameAttrs(st, before)) listsChanged = true;
        } catch (e) {
          // A budget cut, or a bug of ours: stop here, keeping everything reported before this
          // statement (its own half-done bindings would be stale for what follows, so nothing follows).
          cut = e instanceof Cut ? `analysis cut at line ${line}: ${e.message}` : `analysis stopped at line ${line} (internal error: ${e instanceof Error ? e.message : String(e)})`;
          st.memoizable = false;
        }
        if (an.cut) st.memoizable = false;
        markWrites(st);
      }
      st.from = n.from;
      st.line = line;
      st.pass = pass;
      states.push(st);
      if (cut) break;
    }
    this.prev = states;
    Object.assign(cellContext, savedCells);
    this.last = { an, global };
    return new Result(text, lineStarts, states, cut ?? an.cut);
  }

  /** Analyzes an imported module's text (imports.ts): its analyzer stays alive for calls into it. */
  static analyzeModule(text: string, ws: Workspace, ctx: ModuleCtx, deadline: number): { analyzer: Analyzer; names: Map<string, Value>; cut?: string } {
    const doc = new ShapeDocument();
    let r: ShapeAnalysis;
    try {
      r = doc.run(text, 1000, (sink) => {
        // the module's own dependencies, and the ones of each statement
        const inner = new Workspace(ws.host, ws.file, ws.chain, analyzeModule, (p, v) => {
          ws.dep(p, v);
          sink(p, v);
        });
        return inner;
      }, ctx, deadline);
    } catch (e) {
      r = empty(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    }
    const names = new Map<string, Value>();
    if (doc.last) for (const [k, b] of doc.last.global.vars) names.set(k, b.v);
    const analyzer = doc.last?.an ?? new Analyzer('', [0], new Map(), 0, new Scope(null, true));
    return { analyzer, names, ...(r.cut !== undefined ? { cut: r.cut } : {}) };
  }
}

const lineOf = lineAt;

/** The lists and dicts made by other statements that a statement marked changed. */
function foreignCells(s: StmtState): Set<ListCell> {
  const out = new Set<ListCell>();
  for (const c of s.touched ?? []) if (c.owner !== s) out.add(c);
  return out;
}

/** What a statement left in instances made by other statements: the attribute and its value's shapes. */
function foreignAttrs(s: StmtState): Map<Map<string, Value>, Map<string, string>> {
  const out = new Map<Map<string, Value>, Map<string, string>>();
  for (const a of s.attrChanges ?? []) {
    if (attrsOwner(a.attrs) === s) continue;
    let m = out.get(a.attrs);
    if (!m) out.set(a.attrs, (m = new Map()));
    m.set(a.key, valueKey(a.after));
  }
  return out;
}

function sameAttrs(st: StmtState, before: StmtState | undefined): boolean {
  const a = foreignAttrs(st);
  const b = before ? foreignAttrs(before) : new Map<Map<string, Value>, Map<string, string>>();
  if (a.size !== b.size) return false;
  for (const [k, m] of a) {
    const n = b.get(k);
    if (!n || n.size !== m.size) return false;
    for (const [key, v] of m) if (n.get(key) !== v) return false;
  }
  return true;
}

function sameCells(a: Set<ListCell>, b: Set<ListCell>): boolean {
  if (a.size !== b.size) return false;
  for (const c of a) if (!b.has(c)) return false;
  return true;
}

/**
 * Errors met inside function bodies while calls ran, one diagnostic per place (and per caught or
 * not): a function called with many shape combinations gets one, listing the failing calls, each
 * call as related information (so the learner sees which `print(dot(u, v))` fails).
 */
function groupObserved(states: StmtState[], live: Set<StmtState>, textOf: (ref: SourceRef) => string): [StmtState, RelDiag][] {
  const groups = new Map<string, { stmt: StmtState; d: RelDiag; fn: string; messages: string[]; calls: Map<string, { ref: SourceRef; message: string }> }>();
  for (const s of states)
    for (const o of s.observedDiags) {
      if (!live.has(o.stmt)) continue;
      const k = `${o.stmt.key}|${o.d.from}|${o.d.code}|${o.d.caught ? `${o.d.caught.stmt.key}:${o.d.caught.relLine}` : ''}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { stmt: o.stmt, d: o.d, fn: o.fn ?? 'the function', messages: [], calls: new Map() }));
      if (!g.messages.includes(o.d.message)) g.messages.push(o.d.message);
      const call = o.call && live.has(o.call.stmt as StmtState) ? o.call : undefined;
      if (call) {
        const ck = `${(call.stmt as StmtState).key}|${call.from}`;
        if (!g.calls.has(ck)) g.calls.set(ck, { ref: call, message: `${shortText(textOf(call))} fails here: ${o.d.message}` });
      }
    }
  const out: [StmtState, RelDiag][] = [];
  for (const g of groups.values()) {
    const n = g.calls.size;
    const listed = `${g.messages.slice(0, 6).join('; ')}${g.messages.length > 6 ? '; …' : ''}`;
    const message =
      g.messages.length === 1 && n <= 1
        ? `${g.messages[0]} (when ${g.fn} is called with these shapes)`
        : n > 1
          ? `${n} calls of ${g.fn} fail here (each call is linked below): ${listed}`
          : `${g.fn} fails here for ${g.messages.length} shape combinations: ${listed}`;
    const related = [...(g.d.related ?? []), ...[...g.calls.values()].slice(0, 50)];
    out.push([g.stmt, { ...g.d, message, ...(related.length ? { related } : {}) }]);
  }
  return out;
}

function shortText(t: string): string {
  const one = t.replace(/\s+/g, ' ').trim();
  return one.length <= 60 ? one : `${one.slice(0, 59)}…`;
}

const analyzeModule = (text: string, ws: Workspace, ctx: ModuleCtx, deadline: number) => ShapeDocument.analyzeModule(text, ws, ctx, deadline);

const BLOCK = 2048;

/** Length of the common prefix of two strings, compared natively a block at a time. */
function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i + BLOCK <= max && a.slice(i, i + BLOCK) === b.slice(i, i + BLOCK)) i += BLOCK;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Length of the common suffix, not reaching into the first `pre` characters of either. */
function commonSuffix(a: string, b: string, pre: number): number {
  const max = Math.min(a.length, b.length) - pre;
  let i = 0;
  while (i + BLOCK <= max && a.slice(a.length - i - BLOCK, a.length - i) === b.slice(b.length - i - BLOCK, b.length - i)) i += BLOCK;
  while (i < max && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

class Result implements ShapeAnalysis {
  private _symbols?: SymbolShape[];
  private _diags?: ShapeDiagnostic[];
  private _hints?: ShapeHint[];
  constructor(
    private readonly text: string,
    private readonly lineStarts: number[],
    private readonly states: StmtState[],
    readonly cut: string | undefined,
  ) {
    if (cut === undefined) delete (this as { cut?: string }).cut;
  }

  private _observed?: Map<StmtState, Map<number, Value>>;

  /**
   * What the calls saw at each binding site inside function bodies, joined over every call (so a
   * site bound to different shapes by different calls keeps only what they agree on). Dropped for
   * functions also used other than by a followed call (callbacks, calls past the depth limit).
   */
  private observed(): Map<StmtState, Map<number, Value>> {
    if (!this._observed) {
      const live = new Set(this.states);
      const poison = new Map<StmtState, { from: number; to: number }[]>();
      for (const s of this.states)
        for (const p of s.poisoned) {
          const list = poison.get(p.stmt);
          if (list) list.push(p);
          else poison.set(p.stmt, [p]);
        }
      const m = new Map<StmtState, Map<number, Value>>();
      for (const s of this.states)
        for (const o of s.observed) {
          if (!live.has(o.stmt)) continue;
          if (poison.get(o.stmt)?.some((p) => o.rel >= p.from && o.rel < p.to)) continue;
          let inner = m.get(o.stmt);
          if (!inner) m.set(o.stmt, (inner = new Map()));
          const prev = inner.get(o.rel);
          inner.set(o.rel, prev === undefined ? o.v : join(prev, o.v));
        }
      this._observed = m;
    }
    return this._observed;
  }

  /** A binding's value: the def-time analysis, made concrete by what every call saw. */
  private valueAt(s: StmtState, rel: number | undefined, v: Value): Value {
    if (rel === undefined) return v;
    const o = this.observed().get(s)?.get(rel);
    if (!o || o.k !== 'tensor') return v;
    if (v.k !== 'tensor' || v.shape === null || o.shape === null || v.shape.length !== o.shape.length || v.lib !== o.lib) {
      return v.k === 'tensor' || v.k === 'unknown' ? o : v;
    }
    // What the def-time analysis knows wins (a declared `B` stays `B`); calls fill in the rest.
    const os = o.shape;
    return tensor(v.lib, v.shape.map((d, i) => d ?? os[i] ?? null));
  }

  get symbols(): SymbolShape[] {
    if (!this._symbols) {
      this._symbols = [];
      for (const s of this.states)
        for (const y of s.symbols) {
          const v = this.valueAt(s, y.rel, y.v);
          const sym: SymbolShape = { name: y.name, line: s.line + y.relLine, column: y.column, shape: publicShape(v) };
          const why = sym.shape === null ? whyOf(v) : undefined;
          if (why !== undefined) sym.unknownReason = why;
          this._symbols.push(sym);
        }
    }
    return this._symbols;
  }

  get diagnostics(): ShapeDiagnostic[] {
    if (!this._diags) {
      this._diags = [];
      const live = new Set(this.states);
      const all: [StmtState, RelDiag][] = [];
      for (const s of this.states) for (const d of s.diags) all.push([s, d]);
      all.push(...groupObserved(this.states, live, (ref) => this.text.slice((ref.stmt as StmtState).from + ref.from, (ref.stmt as StmtState).from + ref.to)));
      all.sort((a, b) => a[0].from + a[1].from - (b[0].from + b[1].from));
      for (const [s, d] of all) {
        const caught = d.caught && live.has(d.caught.stmt) ? d.caught.stmt.line + d.caught.relLine : undefined;
        const diag: ShapeDiagnostic = {
          line: s.line + d.relLine,
          column: d.column,
          endLine: s.line + d.relEndLine,
          endColumn: d.endColumn,
          // An error the program catches on purpose is not a problem: it is shown as information.
          severity: caught !== undefined ? 'information' : 'error',
          message: caught !== undefined ? `${d.message}; ${d.exc ? `raises ${d.exc} here, ` : ''}caught at line ${caught}` : d.message,
          code: d.code,
          from: s.from + d.from,
          to: s.from + d.to,
        };
        const related = (d.related ?? []).filter((r) => live.has(r.ref.stmt as StmtState)).map((r) => this.relatedAt(r.ref, r.message));
        if (related.length) diag.related = related;
        this._diags.push(diag);
      }
    }
    return this._diags;
  }

  private relatedAt(ref: SourceRef, message: string): ShapeRelated {
    const st = ref.stmt as StmtState;
    const from = st.from + ref.from;
    const to = st.from + ref.to;
    const line = lineOf(this.lineStarts, from);
    const endLine = lineOf(this.lineStarts, to);
    return { line, column: from - this.lineStarts[line - 1]!, endLine, endColumn: to - this.lineStarts[endLine - 1]!, from, to, message };
  }

  get hints(): ShapeHint[] {
    if (!this._hints) {
      this._hints = [];
      for (const s of this.states)
        for (const h of s.hints) {
          const o = h.rel === undefined ? undefined : this.observed().get(s)?.get(h.rel);
          let label = h.label;
          if (o && o.k === 'tensor' && o.shape !== null) {
            const v = this.valueAt(s, h.rel, UNKNOWN);
            if (v.k === 'tensor' && v.shape !== null && (label === '' || v.shape.every((d) => typeof d === 'number'))) label = shapeText(v.shape);
          }
          if (label) this._hints.push({ offset: s.from + h.offset, line: s.line + h.relLine, label });
        }
    }
    return this._hints;
  }

  at(offset: number): ShapeInfo | undefined {
    const st = this.states;
    let lo = 0;
    let hi = st.length - 1;
    if (hi < 0) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (st[mid]!.from <= offset) lo = mid;
      else hi = mid - 1;
    }
    const s = st[lo]!;
    const rel = offset - s.from;
    let best: StmtState['records'][number] | undefined;
    for (const r of s.records) {
      if (r.from <= rel && rel <= r.to && (!best || r.to - r.from < best.to - best.from || (r.to - r.from === best.to - best.from && r.from >= best.from))) best = r;
    }
    if (!best) return undefined;
    const from = s.from + best.from;
    const to = s.from + best.to;
    const v = best.v;
    const info: ShapeInfo = {
      from,
      to,
      text: this.text.slice(from, to),
      kind: kindOf(v),
      shape: publicShape(v),
      steps: best.steps,
      originLine: best.origin ? best.origin.stmt.line + best.origin.relLine : lineOf(this.lineStarts, from),
    };
    if (v.k === 'tensor') info.lib = v.lib;
    if (v.k === 'int' && typeof v.d === 'number') info.value = v.d;
    const why = info.shape === null ? whyOf(v) : undefined;
    if (why !== undefined) info.unknownReason = why;
    return info;
  }
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
