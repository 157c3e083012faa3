/**
 * The operation catalogue: one entry per operation, read by every engine
 * (scalar gradients, matrix calculus, the backprop graph, shapes). See
 * core/ops/README.md for what an entry holds and how to add one.
 */
import { ELEMENTWISE } from './elementwise';
import { numberBuilder } from './numeric';
import type { Builder, Lib, OpEntry } from './types';

export type { Builder, CmpOp, Derivative, Kink, Lib, OpEntry, ParamSpec, ShapeClass } from './types';
export { erf, logSigmoid, sigmoid, softplus } from './numeric';

const BY_NAME = new Map<string, OpEntry>(ELEMENTWISE.map((e) => [e.name, e]));

/** Every entry, in catalogue order. */
export const OPS: readonly OpEntry[] = ELEMENTWISE;

/** The entry with this canonical name. */
export function op(name: string): OpEntry | undefined {
  return BY_NAME.get(name);
}

/** Like `op`, for names an engine already knows are in the catalogue. */
export function opOf(name: string): OpEntry {
  const e = BY_NAME.get(name);
  if (!e) throw new Error(`no operation "${name}" in the catalogue`);
  return e;
}

/** Python module prefixes and the library each one spells. */
export const MODULE_LIBS: Readonly<Record<string, readonly Lib[]>> = {
  np: ['numpy'],
  numpy: ['numpy'],
  jnp: ['numpy'],
  'jax.numpy': ['numpy'],
  torch: ['torch', 'F'],
  'torch.special': ['torch', 'scipy'],
  'torch.nn.functional': ['F'],
  'nn.functional': ['F'],
  F: ['F'],
  'jax.nn': ['F'],
  tf: ['numpy', 'torch'],
  'tf.math': ['numpy', 'torch'],
  'tf.nn': ['F'],
  math: ['math'],
  cmath: ['math'],
  scipy: ['scipy'],
  'scipy.special': ['scipy'],
  special: ['scipy'],
  'jax.scipy.special': ['scipy'],
  Math: ['js'],
};

/** Is this a module prefix (so `np` in `np.exp` is never a variable)? */
export function isModuleName(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(MODULE_LIBS, name);
}

function index(libs: readonly Lib[]): Map<string, OpEntry> {
  const m = new Map<string, OpEntry>();
  for (const e of ELEMENTWISE) for (const l of libs) for (const s of e.spell[l] ?? []) if (!m.has(s)) m.set(s, e);
  return m;
}

const ALL_LIBS: readonly Lib[] = ['numpy', 'torch', 'F', 'method', 'math', 'js', 'scipy', 'plain', 'builtin'];
const BY_LIB = new Map<Lib, Map<string, OpEntry>>(ALL_LIBS.map((l) => [l, index([l])]));
const ANY = index(ALL_LIBS);

/** The entry a spelling names in one library (`spelled('F', 'gelu')`). */
export function spelled(lib: Lib, name: string): OpEntry | undefined {
  return BY_LIB.get(lib)!.get(name);
}

/**
 * The entry a call names. `module` is the prefix as written (`np`, `torch.nn.functional`,
 * '' for a bare name, which matches any library's spelling: course code defines `sigmoid`
 * and `relu` itself). A known module matches only its libraries' spellings.
 */
export function lookup(module: string, name: string): OpEntry | undefined {
  if (module === '') return ANY.get(name);
  const libs = MODULE_LIBS[module];
  if (!libs) return undefined;
  for (const l of libs) {
    const e = BY_LIB.get(l)!.get(name);
    if (e) return e;
  }
  return undefined;
}

/** Every spelling of every entry (for shape rules and completions). */
export function allSpellings(lib?: Lib): string[] {
  return [...(lib ? BY_LIB.get(lib)! : ANY).keys()];
}

function forwardOf(name: string, args: readonly number[]): number {
  const e = opOf(name);
  const a = args.slice(0, e.arity);
  const p = e.params.map((q, i) => args[e.arity + i] ?? q.default);
  return e.forward(a, p);
}

/** Numbers as a Builder: the catalogue's formulas evaluated in float64. */
export const NUMBERS: Builder<number> = numberBuilder(forwardOf);

/** The value of an entry at a point (parameters at their defaults unless given). */
export function forward(e: OpEntry, args: readonly number[], params: readonly number[] = []): number {
  return e.forward(args, e.params.map((q, i) => params[i] ?? q.default));
}

/** The partial derivatives of an entry at a point, from its symbolic formula (PyTorch's values at kinks). */
export function gradient(e: OpEntry, args: readonly number[], params: readonly number[] = []): number[] {
  return e.derivative.d(NUMBERS, args, e.params.map((q, i) => params[i] ?? q.default));
}

/** The entries a learner's elementwise list covers, by the names in the issue (for tests and docs). */
export function isElementwise(name: string): boolean {
  return BY_NAME.get(name)?.shape === 'elementwise';
}
