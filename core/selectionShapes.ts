/**
 * The shapes of a selection's names and whether it is array code, read the same way by every
 * command (Compute Gradient / Jacobian / Hessian, Show Backprop Graph) and by the side view's
 * reading of a selection (core/reading.ts).
 *
 * Shapes come, in this order of precedence, from
 * 1. shape comments (`# X: (n, d), w: (d,)`, the grammar of core/shapes/comments.ts) in the
 *    selection or on the lines above it (the nearest declaration wins): the user's own statement;
 * 2. the shape engine's analysis of the surrounding code (core/shapes): the last binding before the
 *    selection, when its sizes are concrete or plain names (`shapesFromAnalysis` never takes a
 *    derived or unknown size).
 */
import { pythonCommentStart as commentStart } from './parse/common';
import { shapesFromAnalysis } from './matcalc/index';
import type { Shape } from './matcalc/index';
import { parseOneHot, parseShapeSpec, showShape } from './matcalc/shapes';
import type { ShapeAnalysis } from './shapes/types';

/** Where each shaped variable's shape came from, for the panel's "Shapes" line. */
export interface ShapeOrigin {
  name: string;
  /** As written: `(n, d)`, `(100, 3)`. */
  shape: string;
  /** `assumed`: no shape declared and none known from the code; matrix calculus took a vector (see its notes). */
  from: 'comment' | 'code' | 'cli' | 'assumed';
  /** 1-based document line of the comment or the binding, when known. */
  line?: number;
}

export interface SelectionContext {
  /** The whole document's text, for shape comments above the selection. */
  documentText?: string;
  /** 0-based line of the selection's last line in the document (comments up to it are read). */
  endLine?: number;
  /** 0-based line of the selection's first line (bindings before it are used). */
  startLine?: number;
  /** The shape engine's analysis of the document (Python files). */
  analysis?: Pick<ShapeAnalysis, 'symbols'>;
  /** The texts of the workspace modules the document imports from (`from layers import *`), for the user's functions. */
  modules?: readonly string[];
}

export interface SelectionShapes {
  shapes: Map<string, Shape>;
  /** Names declared one-hot in a comment (`Y: (n, k) onehot`). */
  onehot: string[];
  origins: ShapeOrigin[];
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;
/** Longest document prefix scanned for shape comments (characters). */
const MAX_SCAN = 2_000_000;

/** The identifiers of a selection outside comments and strings (attribute names after `.` are skipped). */
export function selectionNames(text: string): string[] {
  const names = new Set<string>();
  for (const line of text.split(/\r\n|\r|\n/)) {
    const code = stripStrings(commentStart(line) < 0 ? line : line.slice(0, commentStart(line)));
    for (const m of code.matchAll(IDENT)) {
      const before = code[m.index - 1];
      if (before === '.' || (before !== undefined && /[0-9]/.test(before))) continue;
      names.add(m[0]);
    }
  }
  return [...names];
}

function stripStrings(code: string): string {
  return code.replace(/(['"])(?:\\.|(?!\1).)*\1/g, '""');
}


/** Shapes for the selection's names, with where each came from. */
export function selectionShapes(text: string, ctx: SelectionContext = {}): SelectionShapes {
  const names = new Set(selectionNames(text));
  const shapes = new Map<string, Shape>();
  const onehot = new Set<string>();
  const origins = new Map<string, ShapeOrigin>();
  // 1. comments: the document's lines up to the selection's end (which include the selection's own),
  //    or the selection alone; a later (nearer) declaration replaces an earlier one.
  const doc = ctx.documentText !== undefined && ctx.endLine !== undefined ? ctx.documentText.slice(0, MAX_SCAN) : undefined;
  const lines = doc !== undefined ? doc.split(/\r\n|\r|\n/).slice(0, ctx.endLine! + 1) : text.split(/\r\n|\r|\n/);
  lines.forEach((line, i) => {
    const at = commentStart(line);
    if (at < 0) return;
    const comment = line.slice(at + 1);
    for (const [name, shape] of parseShapeSpec(comment)) {
      if (!names.has(name)) continue;
      shapes.set(name, shape);
      const origin: ShapeOrigin = { name, shape: showShape(shape), from: 'comment' };
      if (doc !== undefined) origin.line = i + 1;
      origins.set(name, origin);
    }
    for (const name of parseOneHot(comment)) if (names.has(name)) onehot.add(name);
  });
  // 2. the shape analysis of the code before the selection
  if (ctx.analysis) {
    const missing = [...names].filter((n) => !shapes.has(n));
    const before = ctx.startLine !== undefined ? ctx.startLine : Number.POSITIVE_INFINITY; // 1-based lines < startLine + 1
    const found = shapesFromAnalysis(ctx.analysis, missing, before);
    for (const [name, shape] of found.shapes) {
      shapes.set(name, shape);
      let line: number | undefined;
      for (const s of ctx.analysis.symbols) if (s.name === name && s.line <= before && (line === undefined || s.line >= line)) line = s.line;
      origins.set(name, { name, shape: showShape(shape), from: 'code', ...(line !== undefined ? { line } : {}) });
    }
  }
  return { shapes, onehot: [...onehot], origins: [...origins.values()] };
}

/** Array operations the scalar engine does not take. */
const ARRAY_OPS = /@|\.T\b|\.transpose\b|\bnp\.(?:sum|mean|linalg|trace|dot|matmul|outer|transpose)\b|\btorch\.(?:sum|mean|matmul|trace)\b|softmax|cross_entropy|\.sum\(|\.mean\(/;

/** True when a gradient of `text` is matrix calculus rather than scalar calculus. */
export function isMatrixSelection(text: string, shapes: ReadonlyMap<string, Shape>): boolean {
  for (const s of shapes.values()) if (s.length > 0) return true;
  return ARRAY_OPS.test(text.split(/\r\n|\r|\n/).map((l) => (commentStart(l) < 0 ? l : l.slice(0, commentStart(l)))).join('\n'));
}
