/**
 * Pure formatting for the backprop panel: numbers, shapes, matrices elided
 * for display, and the parsing of user-entered input values. No DOM.
 */
import type { Numeric } from '../../core/backprop/index';

/** A compact number for a node box: 4 significant digits, exponent form when very large or small. */
export function fmtShort(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(4)));
}

/** A number for the detail pane and the form: up to 6 significant digits (what the steps' LaTeX shows). */
export function fmtLong(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e7 || a < 1e-5) return x.toExponential(5).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(6)));
}

/** The shape of a nested array (the first element's extent at each level); [] for a number. */
export function shapeOf(v: Numeric): number[] {
  const shape: number[] = [];
  let cur: Numeric = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (!cur.length) break;
    cur = cur[0]!;
  }
  return shape;
}

/** `(2, 3)` as NumPy prints it; `(3,)` for a vector; `()` for a scalar. */
export function shapeText(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** A badge: `2×3` for a matrix, `(3,)` for a vector (a bare `3` would read as a value). */
export function shapeBadge(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : shape.length ? shape.join('×') : 'scalar';
}

/** A value as short text: the number, or its shape for an array. */
/** A number, or an array's shape (`shape`: the true shape of an array the host sampled, see gridOf). */
export function valueShort(v: Numeric, shape?: readonly number[]): string {
  return typeof v === 'number' ? fmtShort(v) : shapeBadge(shape ? [...shape] : shapeOf(v));
}

/** A value as one line of text (tooltips, aria labels): the number, or `[[1, 2], [3, 4]]` up to a length. */
export function valueText(v: Numeric, max = 200): string {
  const s = typeof v === 'number' ? fmtLong(v) : JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' ? Number(fmtLong(x)) : x));
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** One cell of an elided grid: a number's text, or an ellipsis (`⋯`, `⋮`, `⋱`). */
export type Cell = { kind: 'num'; text: string; value: number } | { kind: 'gap'; text: string };

export interface Grid {
  /** Rows of cells; a vector is one row. */
  rows: Cell[][];
  shape: number[];
  /** True when rows or columns were left out. */
  elided: boolean;
  /** For more than 2 dimensions: the leading index shown (`[0, 0]`), the rest is left out. */
  slice?: number[];
}

/** Indices to show out of n: all when n ≤ max, else the first max−2… and the last (with a gap marker, -1). */
function pick(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return [...Array.from({ length: head }, (_, i) => i), -1, ...Array.from({ length: tail }, (_, i) => n - tail + i)];
}

const asNum = (v: Numeric | undefined): number => (typeof v === 'number' ? v : NaN);

/**
 * Indices into the data along an axis of true length n: the data holds every entry, or (an array the host
 * sampled, core/backprop/panel.ts) only the entries 0, 1, 2, n − 2, n − 1, which are shown with the gap.
 */
function pickAxis(n: number, data: number, max: number): number[] {
  if (data === n || data !== 5 || n <= max) return pick(data, max);
  return [0, 1, 2, -1, 3, 4];
}

/**
 * A vector or a matrix as a grid of at most `max` × `max` cells (rows and columns elided in the middle).
 * `trueShape`: the array's shape when the host sent only its corners (core/backprop/panel.ts).
 */
export function gridOf(v: Numeric, max = 6, trueShape?: readonly number[]): Grid {
  const dataShape = shapeOf(v);
  const shape = trueShape && trueShape.length === dataShape.length ? [...trueShape] : dataShape;
  let m: Numeric = v;
  let slice: number[] | undefined;
  if (shape.length > 2) {
    slice = [];
    while (Array.isArray(m) && shapeOf(m).length > 2) {
      slice.push(0);
      m = m[0]!;
    }
  }
  const cell = (x: number): Cell => ({ kind: 'num', text: fmtLong(x), value: x });
  if (!Array.isArray(m)) return { rows: [[cell(m)]], shape, elided: false };
  const matrix = Array.isArray(m[0]);
  const rowsData: Numeric[][] = matrix ? (m as Numeric[]).map((r) => (Array.isArray(r) ? r : [r])) : [m];
  const k = shape.length;
  const ri = matrix ? pickAxis(shape[k - 2]!, rowsData.length, max) : [0];
  const ncols = rowsData[0]?.length ?? 0;
  const ci = pickAxis(shape[k - 1] ?? ncols, ncols, max);
  const rows: Cell[][] = ri.map((r) =>
    r < 0
      ? ci.map((c) => ({ kind: 'gap', text: c < 0 ? '⋱' : '⋮' }))
      : ci.map((c) => (c < 0 ? { kind: 'gap', text: '⋯' } : cell(asNum(rowsData[r]![c])))),
  );
  const elided = ri.includes(-1) || ci.includes(-1);
  return slice ? { rows, shape, elided, slice } : { rows, shape, elided };
}

/** Is `v` a finite Numeric of exactly `shape`? */
function hasShape(v: unknown, shape: readonly number[]): boolean {
  if (!shape.length) return typeof v === 'number' && Number.isFinite(v);
  return Array.isArray(v) && v.length === shape[0] && v.every((x) => hasShape(x, shape.slice(1)));
}

export type Parsed = { ok: true; value: Numeric } | { ok: false; message: string };

/**
 * A user-entered input value: a number for a scalar leaf (`0.5`, `-1e-3`), JSON nested arrays of the
 * leaf's shape for a shaped one. Never evaluates anything.
 */
export function parseInput(text: string, shape: readonly number[] | undefined): Parsed {
  const t = text.trim();
  if (!shape || !shape.length) {
    if (!t) return { ok: false, message: 'Enter a number.' };
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return { ok: false, message: `“${t.length > 40 ? `${t.slice(0, 40)}…` : t}” is not a number.` };
    const x = Number(t);
    return Number.isFinite(x) ? { ok: true, value: x } : { ok: false, message: 'The number is too large.' };
  }
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch {
    return { ok: false, message: `Enter a JSON array of shape ${shapeText(shape)}, e.g. ${example(shape)}.` };
  }
  if (!hasShape(v, shape)) return { ok: false, message: `Expected finite numbers in shape ${shapeText(shape)}, e.g. ${example(shape)}.` };
  return { ok: true, value: v as Numeric };
}

function example(shape: readonly number[]): string {
  const build = (d: number): string => (d === shape.length ? '0' : `[${Array.from({ length: Math.min(shape[d]!, 3) }, () => build(d + 1)).join(', ')}${shape[d]! > 3 ? ', …' : ''}]`);
  return build(0);
}

/** The text a leaf's field starts with: the number, or compact JSON of the array. */
export function inputText(v: Numeric): string {
  return typeof v === 'number' ? String(v) : JSON.stringify(v);
}
