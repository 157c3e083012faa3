/**
 * The workspace's own modules (issue 12): `from mod import *`, `from mod import
 * f`, `import mod` and `from .mod import C` bind what the imported file
 * defines, analyzed by its own `ShapeDocument`.
 *
 * - Resolution: `a.b` is `a/b.py` or `a/b/__init__.py`, next to the importing
 *   file, then under the workspace folder; a relative import (`.mod`, `..mod`)
 *   only from the importing file's folder (and its parents).
 * - Calls: a function or class keeps the analyzer of its own file (its syntax
 *   tree and globals); a call from another file runs there (`foreignCall`),
 *   specialised on the argument shapes and memoized as within one file.
 * - Cache: per host and file, valid while the file and everything it read
 *   (its imports, its np.load files, the paths tried and missing) keep their
 *   versions. The importing statement records the same files as its
 *   dependencies, so ShapeDocument re-analyzes it when one changes.
 * - Termination: an import cycle, a chain deeper than MAX_CHAIN, a missing or
 *   too large file are unknown; a call across files is bounded by
 *   MAX_FOREIGN_DEPTH and by the importing analysis's time budget.
 */
import type { DataEnv } from './datasets';
import { type ShapeHost, MAX_MODULE_BYTES, dirName, displayPath, joinPath } from './host';
import type { ShapeStep } from './types';
import { type ClassDef, type FuncDef, type Value, UNKNOWN, stepOf } from './values';

/** What a call into another file needs of that file's analyzer (analyze.ts `Analyzer`). */
export interface ModuleAnalyzer {
  deadline: number;
  stmt: unknown;
  callUser(def: FuncDef, pos: Value[], kw: Map<string, Value>, self: Value | undefined): Value;
}

/** An analyzed module: its analyzer (whose tree holds its defs), its global names, and the files it read. */
export interface ModuleCtx {
  path: string;
  shown: string;
  analyzer: ModuleAnalyzer;
  names: Map<string, Value>;
  deps: Map<string, string | undefined>;
}

/** Analyzes a module's text (index.ts supplies it, so this file needs no ShapeDocument). */
export type AnalyzeModule = (text: string, ws: Workspace, ctx: ModuleCtx, deadline: number) => { analyzer: ModuleAnalyzer; names: Map<string, Value>; cut?: string };

const MAX_CHAIN = 16;
const MAX_FOREIGN_DEPTH = 8;
const MAX_CACHE = 256;

const CACHE = new WeakMap<ShapeHost, Map<string, ModuleCtx>>();

/** The analyzed file's view of the workspace: where to look, what it depended on. */
export class Workspace implements DataEnv {
  readonly dir: string | undefined;
  readonly root: string | undefined;
  constructor(
    readonly host: ShapeHost,
    readonly file: string | undefined,
    /** The files being imported now, outermost first (a cycle guard). */
    readonly chain: readonly string[],
    private readonly analyze: AnalyzeModule,
    /** Where dependencies go (the statement being analyzed). */
    private readonly sink: (path: string, version: string | undefined) => void,
  ) {
    this.dir = file ? dirName(file) : undefined;
    this.root = host.root;
  }

  dep(path: string, version: string | undefined): void {
    this.sink(path, version);
  }

  /** Candidate files of a module name, in Python's search order for a script. */
  private candidates(name: string, level: number): string[] {
    return moduleCandidates(this.dir, this.root, name, level);
  }

  /** The module `name` (with `level` leading dots), analyzed; undefined when missing, cyclic or too deep. */
  load(name: string, level: number, deadline: number): ModuleCtx | undefined {
    for (const p of this.candidates(name, level)) {
      const st = this.host.stat(p);
      this.dep(p, st?.version);
      if (!st) continue;
      if (this.chain.includes(p) || this.chain.length >= MAX_CHAIN || st.size > MAX_MODULE_BYTES) return undefined;
      const m = this.module(p, deadline);
      if (m) for (const [d, v] of m.deps) this.dep(d, v);
      return m;
    }
    return undefined;
  }

  private module(path: string, deadline: number): ModuleCtx | undefined {
    let cache = CACHE.get(this.host);
    if (!cache) CACHE.set(this.host, (cache = new Map()));
    const hit = cache.get(path);
    if (hit && [...hit.deps].every(([p, v]) => this.host.stat(p)?.version === v)) return hit;
    cache.delete(path);
    const version = this.host.stat(path)?.version;
    const text = this.host.readText(path, MAX_MODULE_BYTES);
    if (text === undefined || version === undefined) return undefined;
    const deps = new Map<string, string | undefined>([[path, version]]);
    const ctx: ModuleCtx = { path, shown: displayPath(path, this.root), analyzer: null as unknown as ModuleAnalyzer, names: new Map(), deps };
    const ws = new Workspace(this.host, path, [...this.chain, path], this.analyze, (p, v) => {
      if (!deps.has(p)) deps.set(p, v);
    });
    const r = this.analyze(text, ws, ctx, deadline);
    ctx.analyzer = r.analyzer;
    ctx.analyzer.deadline = deadline;
    ctx.names = r.names;
    // A module cut by the time budget is not kept: the next analysis tries again.
    if (r.cut === undefined) {
      if (cache.size >= MAX_CACHE) cache.clear();
      cache.set(path, ctx);
    }
    return ctx;
  }

  /**
   * The bindings an import statement makes from workspace modules (library modules are left to the
   * caller: `isLibrary`). Names it cannot resolve in the workspace are not returned.
   */
  importStatement(stmtText: string, deadline: number, isLibrary: (mod: string) => boolean): { name: string; v: Value; steps: ShapeStep[] }[] {
    const out: { name: string; v: Value; steps: ShapeStep[] }[] = [];
    const t = stmtText.replace(/#[^\n]*/g, '').replace(/\\\n/g, ' ').replace(/\s+/g, ' ').trim();
    const step = (m: ModuleCtx, what: string): ShapeStep[] => [{ ...stepOf('import', `${what} from ${m.shown}`), file: m.shown }];
    let mm = /^from (\.*)([\w.]*) import (.+)$/.exec(t);
    if (mm) {
      const level = mm[1]!.length;
      const base = mm[2]!;
      if (level === 0 && (!base || isLibrary(base))) return out;
      const parts = mm[3]!.replace(/[()]/g, '').split(',');
      const m = base || level === 0 ? this.load(base, level, deadline) : undefined;
      for (const part of parts) {
        const pm = /^\s*(\*|\w+)(?:\s+as\s+(\w+))?\s*$/.exec(part);
        if (!pm) continue;
        const name = pm[1]!;
        if (name === '*') {
          if (!m) continue;
          const all = m.names.get('__all__');
          const listed = all && all.k === 'tuple' ? all.items.map((x) => (x.k === 'str' ? x.s : '')) : undefined;
          for (const [k, v] of m.names) {
            if (listed ? listed.includes(k) : !k.startsWith('_')) out.push({ name: k, v: own(v), steps: step(m, k) });
          }
          continue;
        }
        const bound = pm[2] ?? name;
        if (m && m.names.has(name)) {
          out.push({ name: bound, v: own(m.names.get(name)!), steps: step(m, name) });
          continue;
        }
        // `from pkg import mod` / `from . import mod`: a submodule
        const sub = this.load(base ? `${base}.${name}` : name, level, deadline);
        if (sub) out.push({ name: bound, v: moduleValue(sub), steps: step(sub, `module ${name}`) });
        else if (m) out.push({ name: bound, v: UNKNOWN, steps: [stepOf('import', `${name}: not found in ${m.shown} (unknown)`)] });
      }
      return out;
    }
    mm = /^import (.+)$/.exec(t);
    if (!mm) return out;
    for (const part of mm[1]!.split(',')) {
      const pm = /^\s*([\w.]+)(?:\s+as\s+(\w+))?\s*$/.exec(part);
      if (!pm || isLibrary(pm[1]!)) continue;
      const path = pm[1]!.split('.');
      if (pm[2]) {
        const m = this.load(pm[1]!, 0, deadline);
        if (m) out.push({ name: pm[2], v: moduleValue(m), steps: step(m, `module ${pm[1]}`) });
        continue;
      }
      // `import a.b.c` binds `a`, whose attribute b holds c
      const mods: (ModuleCtx | undefined)[] = path.map((_, i) => this.load(path.slice(0, i + 1).join('.'), 0, deadline));
      if (!mods.some((x) => x)) continue;
      let v: Value | undefined;
      for (let i = path.length - 1; i >= 0; i--) {
        const m = mods[i];
        const mv = m ? moduleValue(m) : ({ k: 'inst', cls: moduleClass(path.slice(0, i + 1).join('.')), attrs: new Map() } as Value);
        if (v && mv.k === 'inst') mv.attrs.set(path[i + 1]!, v);
        v = mv;
      }
      const top = mods[0];
      out.push({ name: path[0]!, v: v!, steps: top ? step(top, `module ${path[0]}`) : [] });
    }
    return out;
  }
}

/**
 * An object the module made, as the importer binds it: its attributes copied, so that the importer
 * setting one (`net.W = …`) does not change the cached module that other files read too.
 */
function own(v: Value): Value {
  return v.k === 'inst' ? { ...v, attrs: new Map(v.attrs) } : v;
}

function moduleClass(name: string): ClassDef {
  return { name: `module ${name}`, methods: new Map(), proto: new Map() };
}

/** `import mod`: an object whose attributes are the module's globals (`mod.f(x)`, `mod.Layer(3, 4)`). */
export function moduleValue(m: ModuleCtx): Value {
  return { k: 'inst', cls: moduleClass(m.shown), attrs: new Map(m.names) };
}

let foreignDepth = 0;

/** A call of a function defined in another file: it runs in that file's analyzer. */
export function foreignCall(def: FuncDef, pos: Value[], kw: Map<string, Value>, self: Value | undefined, deadline: number, sink: ((path: string, version: string | undefined) => void) | undefined): Value {
  const m = def.module as ModuleCtx | undefined;
  if (!m || !m.analyzer || foreignDepth >= MAX_FOREIGN_DEPTH) return UNKNOWN;
  const an = m.analyzer;
  const saved = { stmt: an.stmt, deadline: an.deadline };
  an.deadline = deadline;
  an.stmt = scratchStmt();
  foreignDepth++;
  try {
    const r = an.callUser(def, pos, kw, self);
    if (sink) for (const [p, v] of m.deps) sink(p, v);
    return r;
  } finally {
    foreignDepth--;
    an.stmt = saved.stmt;
    an.deadline = saved.deadline;
  }
}

/** A statement record that collects what a call into another file reads and observes, then is dropped. */
function scratchStmt(): unknown {
  return { key: 'foreign', len: 0, span: 0, from: 0, line: 1, text: '', records: [], symbols: [], diags: [], hints: [], reads: new Map(), writes: new Map(), memoizable: false, pass: -1, observed: [], observedDiags: [], poisoned: [] };
}

/** Candidate files of a module name (`level` leading dots) imported from a file in `dir`, in Python's search order for a script. */
export function moduleCandidates(dir: string | undefined, root: string | undefined, name: string, level: number): string[] {
  const rel = name.split('.').filter((x) => x).join('/');
  const bases: string[] = [];
  if (level > 0) {
    if (!dir) return [];
    let d = dir;
    for (let i = 1; i < level; i++) d = dirName(d);
    bases.push(d);
  } else {
    if (dir) bases.push(dir);
    if (root && root !== dir) bases.push(root);
  }
  const out: string[] = [];
  for (const b of bases) {
    if (rel) out.push(joinPath(b, `${rel}.py`));
    out.push(joinPath(b, rel ? `${rel}/__init__.py` : '__init__.py'));
  }
  return out;
}

/** Most modules whose text `importedModuleTexts` returns. */
const MAX_IMPORTED_TEXTS = 16;

/**
 * The texts of the workspace modules a document imports names from (`from layers import *`,
 * `from .nn import sigmoid`), one level deep, in import order: where Compute Gradient and the backprop
 * graph find the definitions of the user's own functions that a selection calls. Library modules and
 * missing files are skipped; nothing larger than MAX_MODULE_BYTES is read.
 */
export function importedModuleTexts(documentText: string, file: string | undefined, host: ShapeHost): string[] {
  const dir = file ? dirName(file) : undefined;
  const out: string[] = [];
  const seen = new Set<string>();
  for (const line of documentText.split('\n')) {
    const m = /^from\s+(\.*)([\w.]*)\s+import\s+/.exec(line);
    if (!m) continue;
    for (const p of moduleCandidates(dir, host.root, m[2]!, m[1]!.length)) {
      if (seen.has(p)) break;
      const st = host.stat(p);
      if (!st) continue;
      seen.add(p);
      const text = st.size <= MAX_MODULE_BYTES ? host.readText(p, MAX_MODULE_BYTES) : undefined;
      if (text !== undefined) out.push(text);
      break;
    }
    if (out.length >= MAX_IMPORTED_TEXTS) break;
  }
  return out;
}

