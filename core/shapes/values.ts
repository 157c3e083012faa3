/** Abstract values flowing through the shape analysis. */
import { type Dim, cmpDim, formatDim, formatShape, publicDim } from './dim';
import type { PublicShape, ShapeStep } from './types';

export type Lib = 'numpy' | 'torch';
export type Shape = Dim[] | null;

export interface FuncDef {
  /**
   * Where the FunctionDefinition is, relative to the start of the top-level statement that holds it
   * (`stmt`). Not the node itself: a def kept across updates would keep every old syntax tree alive;
   * the node is found again in the current tree when the function is called.
   */
  rel: { from: number; to: number };
  name: string;
  /** The scope the def was made in (closures read it late); null for module level (the current globals). */
  scope: unknown;
  memo: Map<string, { v: Value; reads: Map<string, unknown>; obs?: unknown[]; diags?: unknown[] }>;
  /** Parameter defaults evaluated at def time. */
  defaults: Map<string, Value>;
  isMethod: boolean;
  /** The top-level statement the def belongs to (an analyze.ts `StmtState`). */
  stmt: unknown;
  /** Set for a def of an imported workspace module (an imports.ts `ModuleCtx`): its calls run in that file's analyzer. */
  module?: unknown;
}

export interface ClassDef {
  name: string;
  methods: Map<string, Value>;
  /** Instance attributes from analyzing __init__ with unknown arguments. */
  proto: Map<string, Value>;
}

export type Value =
  | { k: 'tensor'; lib: Lib; shape: Shape; dt?: 'bool' | 'int'; /** why the shape is unknown (shape null) */ why?: string }
  | { k: 'int'; d: Dim }
  | { k: 'float'; /** the value, when it is a literal (scale factors) */ x?: number }
  | { k: 'bool'; b?: boolean }
  | { k: 'str'; s: string }
  | { k: 'none' }
  | { k: 'tuple'; items: Value[]; list?: boolean; size?: boolean; cell?: ListCell; /** attribute names of the items (a named result: `res.pvalue`) */ fields?: string[] }
  /**
   * A dict made by a literal with string keys (`p = {"w1": 0.1, "b": 0.0}`), as long as nothing could
   * have changed it unseen (the same rules as lists: a cell, touched by what we don't follow).
   */
  | { k: 'dict'; keys: string[]; items: Value[]; cell: ListCell }
  | { k: 'layer'; type: string; cfg: LayerCfg; at?: SourceRef }
  | { k: 'func'; def: FuncDef; self?: Value }
  | { k: 'class'; def: ClassDef }
  | { k: 'inst'; cls: ClassDef; attrs: Map<string, Value> }
  | { k: 'mod'; path: string }
  | { k: 'builtin'; path: string; self?: Value }
  | { k: 'slice'; start: Value; stop: Value; step: Value }
  | { k: 'unknown'; sym?: string; /** what stopped the analysis: "unknown function foo", "module helpers is not analysed", … */ why?: string };

/**
 * The identity of a Python list made by a literal. Lists are mutable and may be aliased, so what the
 * analysis knows of a list's items holds only while nothing could have changed it: an append,
 * `lst[i] = …`, `del`, passing it to code we don't follow, storing it where we don't track it. Any of
 * those marks the cell dirty (`touch`), and reads of a dirty list see an unknown value (`cleanse`).
 * A list joined from two lists has both as parents: it is dirty when either is, and touching it
 * touches both (it may be either object).
 */
export interface ListCell {
  dirty: boolean;
  /**
   * For a dict: the cell of the same dict before its latest entry was set through a followed name
   * (`p["w"] -= …` makes a new cell whose `prev` is the old one, which is marked changed, so other
   * names for the old value read unknown).
   */
  prev?: ListCell;
  /** The top-level statement (an analyze.ts StmtState) that made the list, for incremental reuse. */
  owner: unknown;
  parents?: ListCell[];
}

/**
 * Who is touching cells now: a touch of a cell made by another statement sets `foreign`. The cells a
 * statement marks changed are listed in `touched` (its StmtState's), so an update can undo the
 * previous update's changes and replay those of the statements it reuses, in program order.
 */
export const cellContext: { stmt: unknown; foreign: boolean; touched: ListCell[] | null; attrs: AttrChange[] | null } = { stmt: null, foreign: false, touched: null, attrs: null };

/** An instance attribute set by a statement (`self.W = …`, `self.layers.append(…)`), undone and replayed across updates. */
export interface AttrChange {
  attrs: Map<string, Value>;
  key: string;
  before: Value | undefined;
  after: Value;
}

/** Sets an instance attribute, listing the change for the statement running now (see `cellContext`). */
export function setAttr(attrs: Map<string, Value>, key: string, v: Value): void {
  cellContext.attrs?.push({ attrs, key, before: attrs.get(key), after: v });
  attrs.set(key, v);
}

const ATTR_OWNER = new WeakMap<Map<string, Value>, unknown>();

/** An instance's attributes, made by the statement running now (see `setAttr`). */
export function newAttrs(): Map<string, Value> {
  const m = new Map<string, Value>();
  ATTR_OWNER.set(m, cellContext.stmt);
  return m;
}

/** The statement that made an instance's attributes (undefined when unknown). */
export function attrsOwner(attrs: Map<string, Value>): unknown {
  return ATTR_OWNER.get(attrs);
}

/** Undoes attribute changes, last first. */
export function undoAttrs(changes: readonly AttrChange[]): void {
  for (let i = changes.length - 1; i >= 0; i--) {
    const c = changes[i]!;
    if (c.before === undefined) c.attrs.delete(c.key);
    else c.attrs.set(c.key, c.before);
  }
}

export function newCell(): ListCell {
  return { dirty: false, owner: cellContext.stmt };
}

export function cellDirty(c: ListCell, depth = 0): boolean {
  if (c.dirty) return true;
  if (c.parents && depth < 32) for (const p of c.parents) if (cellDirty(p, depth + 1)) return true;
  return false;
}

/** Marks a list (and what it may be) as possibly changed. */
export function touchCell(c: ListCell, depth = 0): void {
  // every touch is listed (not only the first): an update may replay this statement's and not another's
  const t = cellContext.touched;
  if (t && t[t.length - 1] !== c) t.push(c);
  if (!c.dirty) {
    c.dirty = true;
    if (c.owner !== cellContext.stmt) cellContext.foreign = true;
  }
  if (c.parents && depth < 32) for (const p of c.parents) touchCell(p, depth + 1);
}

/** Touches every list reachable from a value (it escapes to code we don't follow). */
export function touchAll(v: Value, depth = 0): void {
  if ((v.k !== 'tuple' && v.k !== 'dict') || depth > 8) return;
  if (v.cell) touchCell(v.cell);
  for (const x of v.items) touchAll(x, depth + 1);
}

/**
 * Arrays whose shape was changed in place (`x.shape = …`, `x.resize(…)`, `t.unsqueeze_(0)`): the name
 * used for the change gets the new shape, and every other reference to the same value (an alias
 * `y = x`, a tuple or attribute holding it) reads as unknown from then on.
 */
const RESHAPED = new WeakSet<object>();

export function markReshaped(v: Value): void {
  RESHAPED.add(v);
  // statements after this one may read the array through a binding that did not change
  cellContext.foreign = true;
}

function hasDirty(v: Value, depth: number): boolean {
  if (v.k === 'tensor') return RESHAPED.has(v);
  if ((v.k !== 'tuple' && v.k !== 'dict') || depth > 8) return false;
  if (v.cell && cellDirty(v.cell)) return true;
  for (const x of v.items) if (hasDirty(x, depth + 1)) return true;
  return false;
}

/** The value as a read sees it: lists that may have changed become unknown. */
export function cleanse(v: Value, depth = 0): Value {
  if (v.k === 'tensor') return RESHAPED.has(v) ? { k: 'tensor', lib: v.lib, shape: null } : v;
  if (v.k === 'dict') {
    if (!hasDirty(v, depth)) return v;
    return cellDirty(v.cell) ? UNKNOWN : { ...v, items: v.items.map((x) => cleanse(x, depth + 1)) };
  }
  if (v.k !== 'tuple' || !hasDirty(v, depth)) return v;
  if (v.cell && cellDirty(v.cell)) return UNKNOWN;
  return { ...v, items: v.items.map((x) => cleanse(x, depth + 1)) };
}

/** Where a value was made: offsets relative to the start of a top-level statement (an analyze.ts StmtState). */
export interface SourceRef {
  stmt: unknown;
  from: number;
  to: number;
}

export interface LayerCfg {
  [key: string]: unknown;
  layers?: Value[];
}

export const UNKNOWN: Value = { k: 'unknown' };
export const FLOAT: Value = { k: 'float' };
export const NONE: Value = { k: 'none' };
export const UNKNOWN_INT: Value = { k: 'int', d: null };

export function tensor(lib: Lib, shape: Shape): Value {
  return { k: 'tensor', lib, shape };
}

export function int(d: Dim): Value {
  return { k: 'int', d };
}

export function kindOf(v: Value): 'tensor' | 'int' | 'float' | 'tuple' | 'module' | 'function' | 'unknown' {
  switch (v.k) {
    case 'tensor':
    case 'int':
    case 'float':
    case 'tuple':
      return v.k;
    case 'bool':
      return 'int';
    case 'layer':
    case 'inst':
      return 'module';
    case 'func':
    case 'class':
    case 'builtin':
      return 'function';
    default:
      return 'unknown';
  }
}

export function publicShape(v: Value): PublicShape {
  if (v.k !== 'tensor' || v.shape === null) return null;
  return v.shape.map(publicDim);
}

export function shapeText(s: Shape): string {
  return formatShape(s);
}

export function describe(v: Value): string {
  switch (v.k) {
    case 'tensor':
      return shapeText(v.shape);
    case 'int':
      return v.d === null ? 'int' : formatDim(v.d);
    case 'tuple':
      return `(${v.items.map(describe).join(', ')}${v.items.length === 1 ? ',' : ''})`;
    case 'layer':
      return `nn.${v.type}`;
    default:
      return v.k;
  }
}

/** Least upper bound of two values: what both could be. */
export function join(a: Value, b: Value): Value {
  if (a === b) return a;
  const r = joinInner(a, b);
  // The result no longer says which list it is: whatever mutates it later cannot be followed.
  if (r.k === 'unknown' && !quiet) {
    touchAll(a);
    touchAll(b);
  }
  return r;
}

let quiet = false;

/**
 * What a hover shows for a place that held `a` and then `b` (an unrolled loop's iterations): the
 * join, without marking lists as changed (the values are shown, not bound to anything).
 */
export function joinShown(a: Value, b: Value): Value {
  const saved = quiet;
  quiet = true;
  try {
    return join(a, b);
  } finally {
    quiet = saved;
  }
}

function joinInner(a: Value, b: Value): Value {
  if (a.k === 'tensor' && b.k === 'tensor') {
    if (a.lib !== b.lib) return UNKNOWN;
    if (a.shape === null || b.shape === null || a.shape.length !== b.shape.length) return tensor(a.lib, null);
    let same = true;
    const s = a.shape.map((d, i) => {
      if (cmpDim(d, b.shape![i]!) === 'equal') return d;
      same = false;
      return null;
    });
    return same ? a : tensor(a.lib, s);
  }
  if (a.k === 'int' && b.k === 'int') return cmpDim(a.d, b.d) === 'equal' ? a : UNKNOWN_INT;
  if (a.k === 'float' && b.k === 'float') return a.x === b.x ? a : FLOAT;
  // A Python number on one path and a 0-d array (a NumPy scalar from a reduction) on another, as in
  // `b = 0.0` then `b -= lr * np.mean(g)` in a loop: either broadcasts as shape (), so arithmetic
  // keeps working, but the value is reported as a number (no shape), not as a 0-d array.
  if (isScalarLike(a) && isScalarLike(b) && (a.k === 'float' || b.k === 'float' || a.k === 'tensor' || b.k === 'tensor')) return FLOAT;
  // (a known truth survives only when both paths agree: conditions are decided from it)
  if (a.k === 'bool' && b.k === 'bool') return a.b === b.b ? a : { k: 'bool' };
  if (a.k === 'none' && b.k === 'none') return a;
  if (a.k === 'tuple' && b.k === 'tuple' && a.items.length === b.items.length && !!a.list === !!b.list) {
    const t: Value & { k: 'tuple' } = { k: 'tuple', items: a.items.map((x, i) => join(x, b.items[i]!)), list: a.list, size: a.size && b.size };
    if (a.fields && b.fields && a.fields.join() === b.fields.join()) t.fields = a.fields;
    if (a.cell && a.cell === b.cell) t.cell = a.cell;
    else if (a.cell || b.cell) {
      const parents = [a.cell, b.cell].filter((c): c is ListCell => !!c);
      t.cell = { dirty: parents.some((c) => cellDirty(c)), owner: cellContext.stmt, parents };
    }
    return t;
  }
  if (a.k === 'dict' && b.k === 'dict' && a.keys.length === b.keys.length && a.keys.every((k, i) => b.keys[i] === k)) {
    const items = a.items.map((x, i) => join(x, b.items[i]!));
    // The same dict on both paths, one path having set entries (a later version): it is now as one
    // of them left it, so its entries are joined and it is read as the later version.
    if (a.cell === b.cell || laterVersion(b.cell, a.cell)) return { k: 'dict', keys: a.keys, items, cell: b.cell };
    if (laterVersion(a.cell, b.cell)) return { k: 'dict', keys: a.keys, items, cell: a.cell };
    return { k: 'dict', keys: a.keys, items, cell: { dirty: cellDirty(a.cell) || cellDirty(b.cell), owner: cellContext.stmt, parents: [a.cell, b.cell] } };
  }
  if (a.k === 'mod' && b.k === 'mod' && a.path === b.path) return a;
  return UNKNOWN;
}

/** Whether dict cell `later` was made from `earlier` by setting entries (a bounded walk back). */
function laterVersion(later: ListCell, earlier: ListCell): boolean {
  let c = later.prev;
  for (let i = 0; c && i < MAX_VERSIONS; i++, c = c.prev) if (c === earlier) return true;
  return false;
}
const MAX_VERSIONS = 4096;

function isScalarLike(v: Value): boolean {
  return v.k === 'float' || v.k === 'int' || v.k === 'bool' || (v.k === 'tensor' && v.shape !== null && v.shape.length === 0);
}

/** A short key identifying a value's shape-relevant content (for memoizing calls). */
export function valueKey(v: Value, depth = 0): string {
  if (depth > 6) return '…';
  switch (v.k) {
    case 'tensor':
      return `T${v.lib[0]}${shapeText(v.shape)}`;
    case 'int':
      return `i${formatDim(v.d)}`;
    case 'float':
      return v.x === undefined ? 'f' : `f${v.x}`;
    case 'str':
      return `s${JSON.stringify(v.s)}`;
    case 'tuple':
      return `${v.list ? 'L' : 'U'}[${v.items.map((x) => valueKey(x, depth + 1)).join(',')}]`;
    case 'dict':
      return `D{${v.keys.map((k, i) => `${JSON.stringify(k)}:${valueKey(v.items[i]!, depth + 1)}`).join(',')}}`;
    case 'layer':
      return `l${v.type}${cfgKey(v.cfg, depth)}`;
    case 'mod':
    case 'builtin':
      return `${v.k}:${v.path}`;
    case 'func':
      return `f:${v.def.name}`;
    case 'class':
    case 'inst':
      return `${v.k}:${v.k === 'class' ? v.def.name : v.cls.name}#${v.k === 'inst' ? [...v.attrs].map(([k, x]) => k + '=' + valueKey(x, depth + 1)).join(';') : ''}`;
    default:
      return v.k;
  }
}

function cfgKey(c: LayerCfg, depth: number): string {
  const parts: string[] = [];
  for (const [k, x] of Object.entries(c)) {
    if (k === 'layers') parts.push(`[${(x as Value[]).map((l) => valueKey(l, depth + 1)).join(',')}]`);
    else parts.push(`${k}=${JSON.stringify(x, (_k, y: unknown) => (y !== null && typeof y === 'object' && 'terms' in (y as object) ? formatDim(y as Dim) : y))}`);
  }
  return `{${parts.join(',')}}`;
}

export function stepOf(rule: string, detail: string, latex?: string): ShapeStep {
  return latex === undefined ? { rule, detail } : { rule, detail, latex };
}

/** Why a value's shape is unknown, when the analysis knows (see `withWhy`). */
export function whyOf(v: Value): string | undefined {
  return v.k === 'unknown' || (v.k === 'tensor' && v.shape === null) ? v.why : undefined;
}

/** An unknown value (or an array of unknown shape) that says what stopped the analysis; other values unchanged. */
export function withWhy(v: Value, why: string | undefined): Value {
  if (why === undefined) return v;
  if (v.k === 'unknown' && v.why === undefined) return { ...v, why };
  if (v.k === 'tensor' && v.shape === null && v.why === undefined) return { ...v, why };
  return v;
}

/** A Python number with a known value (`0.05`, `N` = 1000), for folding constants. */
export function numberValue(v: Value): number | undefined {
  if (v.k === 'int') return typeof v.d === 'number' ? v.d : undefined;
  if (v.k === 'float') return v.x;
  if (v.k === 'bool') return v.b === undefined ? undefined : v.b ? 1 : 0;
  return undefined;
}
