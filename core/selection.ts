/**
 * What "Compute Gradient / Jacobian / Hessian of Selection" runs on a
 * selection, and with which shapes. Pure (no `vscode`), so the extension's
 * commands stay glue and this decision is unit-tested.
 *
 * Shapes of the selection's names: core/selectionShapes.ts.
 *
 * A gradient goes to the matrix-calculus engine (core/matcalc) when a name of
 * the selection has a vector or matrix shape, or when the text uses array
 * operations (`@`, `.T`, `np.sum`, `np.linalg.*`, softmax …); otherwise to the
 * scalar engine (core/gradient), whose derivations are the richer ones for
 * scalar expressions.
 */
import { computeGradient } from './gradient';
import type { Lang } from './parse/types';
import { indexedOnly } from './parse/common';
import type { GradientResult } from './result';
import { hessianPerVector, matrixGradient, matrixJacobian } from './matcalc/index';
import type { MatOptions, MatResult } from './matcalc/index';
import { showShape } from './matcalc/shapes';
import { notAComputation, readSelection } from './reading';
import { isMatrixSelection, selectionShapes, type SelectionContext, type ShapeOrigin } from './selectionShapes';

export { isMatrixSelection, selectionNames, selectionShapes } from './selectionShapes';
export type { SelectionContext, SelectionShapes, ShapeOrigin } from './selectionShapes';

export type SelectionMode = 'gradient' | 'jacobian' | 'hessian';

export type SelectionResult =
  | { engine: 'scalar'; result: GradientResult }
  | { engine: 'matcalc'; result: MatResult; shapes: ShapeOrigin[] };

/**
 * The derivative of a vector-valued selection (a softmax written out, `X @ w`) is its Jacobian:
 * the gradient command answers with it and says so, rather than refusing.
 */
export function jacobianOfVector(result: MatResult, text: string, opts: MatOptions): MatResult {
  if (result.ok || result.error.kind !== 'unsupported' || !/a gradient needs a scalar/.test(result.error.message)) return result;
  const jac = matrixJacobian(text, opts);
  if (!jac.ok) return result;
  const shape = showShape(jac.expression.shape);
  jac.notes.unshift(`The selection is vector-valued (shape ${shape}): it has no gradient; its derivative is the Jacobian, shown here (numerator layout, one row per entry of the result).`);
  return jac;
}

const HINT = 'Declare the shapes in a comment on the lines above, such as # X: (n, d), w: (d,).';

/**
 * Runs the right engine on a selection. Never throws (both engines return
 * failures as values).
 */
export function computeSelection(
  text: string,
  options: { lang: Lang; budgetMs: number; mode: SelectionMode },
  ctx: SelectionContext = {},
): SelectionResult {
  const { shapes, onehot, origins } = selectionShapes(text, ctx);
  // `X[i, 0]` of a matrix X is one number of the selection (a subscripted variable), not an array.
  const indexed = options.lang === 'python' ? indexedOnly(text, shapes) : new Set<string>();
  const arrays = indexed.size ? new Map([...shapes].filter(([n]) => !indexed.has(n))) : shapes;
  const matrix = options.mode !== 'gradient' || (options.lang === 'python' && isMatrixSelection(text, arrays));
  if (!matrix) {
    const definitions = options.lang === 'python' && ctx.documentText !== undefined ? { definitions: [...(ctx.modules ?? []), ctx.documentText] } : {};
    const data = options.lang === 'python' && ctx.documentText !== undefined ? loadedDataNames(ctx.documentText) : [];
    const result = computeGradient(text, { lang: options.lang, budgetMs: options.budgetMs, ...definitions, ...(data.length ? { data } : {}) });
    if (!result.ok && result.error.kind === 'parse') {
      // The one reading of a selection says why a plotting call, a string or a module name is not
      // an expression of numbers, where the parser alone would say "unknown method .plot()".
      const reading = readSelection(text, options.lang);
      if (!reading.ok && reading.error.kind === 'not-numbers') {
        result.error = { ...result.error, message: reading.error.message, offset: reading.error.offset, length: reading.error.length };
      }
    }
    return { engine: 'scalar', result };
  }
  const opts = { shapes, onehot, budgetMs: options.budgetMs, assumeVectors: true };
  const run = options.mode === 'gradient' ? matrixGradient : options.mode === 'jacobian' ? matrixJacobian : hessianPerVector;
  let result = run(text, opts);
  if (options.mode === 'gradient') result = jacobianOfVector(result, text, opts);
  if (result.ok && result.assumed) for (const a of result.assumed) origins.push({ name: a.name, shape: showShape(a.shape), from: 'assumed' });
  const why = !result.ok && result.error.kind === 'parse' ? notAComputation(text, options.lang) : undefined;
  if (!result.ok && why) result.error = { ...result.error, message: why.message, offset: why.offset, length: why.length };
  else if (!result.ok && origins.length === 0 && (result.error.kind === 'parse' || result.error.kind === 'shape') && /needs arrays|shape/.test(result.error.message) && !/[Dd]eclare/.test(result.error.message)) {
    result.error.message = `${result.error.message}. ${HINT}`;
  }
  return { engine: 'matcalc', result, shapes: origins };
}

/** Calls whose result is data, not parameters: loaded files and datasets. */
const LOADS = /^\s*([A-Za-z_][\w]*(?:\s*,\s*[A-Za-z_][\w]*)*)\s*=\s*(?:np|numpy|pd|pandas|torch)?\.?(?:load|loadtxt|genfromtxt|read_csv|fromfile)\s*\(|^\s*([A-Za-z_][\w]*(?:\s*,\s*[A-Za-z_][\w]*)*)\s*=\s*(?:[\w.]*\.)?(?:load_\w+|fetch_\w+|make_\w+)\s*\(/;
/** Lines of a document read for loaded-data names. */
const MAX_DATA_LINES = 20_000;

/**
 * The names a document binds to loaded data (`X = np.load("x.npy")`, `X, y = load_iris(return_X_y=True)`,
 * `df = pd.read_csv(…)`): a forward pass's partials with respect to them are grouped as data.
 */
export function loadedDataNames(documentText: string): string[] {
  const out = new Set<string>();
  const lines = documentText.split('\n');
  for (let i = 0; i < lines.length && i < MAX_DATA_LINES; i++) {
    const m = LOADS.exec(lines[i]!);
    const names = m?.[1] ?? m?.[2];
    if (names) for (const n of names.split(',')) out.add(n.trim());
  }
  return [...out];
}

