/**
 * Shapes with symbolic dimensions: a dimension is a positive integer or a
 * named size (`n`, `d`). Two dimensions match when they are the same number
 * or the same name; broadcasting follows NumPy (right-aligned, 1 stretches).
 * A named size is never assumed to be 1 or to equal another name.
 */
export type Dim = number | string;
export type Shape = readonly Dim[];

export class ShapeError extends Error {}

export function showShape(s: Shape): string {
  return s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** NumPy broadcasting of two shapes; throws ShapeError naming both shapes. */
export function broadcast(a: Shape, b: Shape, what = 'elementwise operation'): Shape {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i];
    const y = b[b.length - n + i];
    if (x === undefined) out.push(y!);
    else if (y === undefined) out.push(x);
    else if (x === y) out.push(x);
    else if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else throw new ShapeError(`shapes ${showShape(a)} and ${showShape(b)} do not broadcast in ${what}: ${x} ≠ ${y}`);
  }
  return out;
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

/** Parses `X:(n,d),w:(d,),y:(n,)` and comment text such as `# X: (n, d), w: (d,)`. */
export function parseShapeSpec(text: string): Map<string, Shape> {
  const out = new Map<string, Shape>();
  const re = /([A-Za-z_][A-Za-z0-9_]*)\s*:\s*\(([^()]*)\)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const dims = m[2]!.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const shape: Dim[] = [];
    let ok = true;
    for (const d of dims) {
      if (/^\d+$/.test(d) && Number(d) > 0) shape.push(Number(d));
      else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(d)) shape.push(d);
      else ok = false;
    }
    if (ok) out.set(m[1]!, shape);
  }
  return out;
}

/** Names declared one-hot (`Y:(n,k) onehot`, also in comments): data whose rows (last axis) sum to 1. */
export function parseOneHot(text: string): Set<string> {
  const out = new Set<string>();
  const re = /([A-Za-z_][A-Za-z0-9_]*)\s*:\s*\([^()]*\)\s*(?:one-?hot)\b/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) out.add(m[1]!);
  return out;
}
