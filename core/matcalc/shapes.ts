/**
 * Shapes with declared dimensions, as matrix calculus, backprop and the
 * selection code use them: a dimension is a positive integer or a named size
 * (`n`, `d`). This is a view of the shared shape foundation
 * (core/shapes/dim.ts: one dimension type, one broadcasting function, one
 * printer; core/shapes/comments.ts: the shape-comment grammar), restricted to
 * what a declaration names. Broadcasting is the shared function in its strict
 * mode: a named size is never assumed to be 1 or to equal another name.
 */
import { parseShapeDecls } from '../shapes/comments';
import { type Dim as SharedDim, broadcastDims, formatDim, isInt, printShape, symDim } from '../shapes/dim';

export type Dim = number | string;
export type Shape = readonly Dim[];

export class ShapeError extends Error {}

/** A declared dimension as the shared dimension type. */
export function toSharedDim(d: Dim): SharedDim {
  return typeof d === 'number' ? d : symDim(d);
}

/** A shared dimension as a declared one: a positive int or a plain name; undefined for anything else. */
export function fromSharedDim(d: SharedDim): Dim | undefined {
  if (d === null) return undefined;
  if (isInt(d)) return d > 0 ? d : undefined;
  const s = formatDim(d);
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? s : undefined;
}

export function showShape(s: Shape): string {
  return printShape(s.map(String));
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** NumPy broadcasting of two shapes (the shared `broadcastDims`, strict); throws ShapeError naming both shapes. */
export function broadcast(a: Shape, b: Shape, what = 'elementwise operation'): Shape {
  const r = broadcastDims(a.map(toSharedDim), b.map(toSharedDim), 'strict');
  if (r.bad || r.shape === null) {
    const [x, y] = r.bad ?? [null, null];
    throw new ShapeError(`shapes ${showShape(a)} and ${showShape(b)} do not broadcast in ${what}: ${formatDim(x)} ≠ ${formatDim(y)}`);
  }
  // every dimension of the result is one of the operands' own: back to its number or name as written
  return r.shape.map((d) => (isInt(d) ? d : formatDim(d)));
}

export function broadcastAll(shapes: readonly Shape[], what?: string): Shape {
  let s: Shape = [];
  for (const t of shapes) s = broadcast(s, t, what);
  return s;
}

export function matmulShape(a: Shape, b: Shape): Shape {
  if (a.length === 0 || b.length === 0) throw new ShapeError(`@ needs arrays of at least 1 dimension, got ${showShape(a)} @ ${showShape(b)} (use * for scalars)`);
  if (a.length > 2 || b.length > 2) throw new ShapeError(`@ of arrays with more than 2 dimensions is unsupported: ${showShape(a)} @ ${showShape(b)}`);
  const inner1 = a[a.length - 1]!;
  const inner2 = b.length === 1 ? b[0]! : b[0]!;
  if (inner1 !== inner2) throw new ShapeError(`shapes ${showShape(a)} and ${showShape(b)} do not align for @: ${inner1} ≠ ${inner2}`);
  const out: Dim[] = [];
  if (a.length === 2) out.push(a[0]!);
  if (b.length === 2) out.push(b[1]!);
  return out;
}

/**
 * The declared shapes in `X:(n,d),w:(d,),y:(n,)` or in comment text such as `# X: (n, d), w: (d,)`
 * (the grammar of core/shapes/comments.ts). A declaration whose dimensions are not all positive ints
 * or plain names (`(n - 1,)`, `(?, d)`, `(...)`) is left out.
 */
export function parseShapeSpec(text: string): Map<string, Shape> {
  const out = new Map<string, Shape>();
  for (const d of parseShapeDecls(text)) {
    if (d.shape === null) continue;
    const shape = d.shape.map(fromSharedDim);
    if (shape.every((x) => x !== undefined)) out.set(d.name, shape as Dim[]);
  }
  return out;
}

/** Names declared one-hot (`Y:(n,k) onehot`, also in comments): data whose rows (last axis) sum to 1. */
export function parseOneHot(text: string): Set<string> {
  return new Set(parseShapeDecls(text).filter((d) => d.onehot).map((d) => d.name));
}
