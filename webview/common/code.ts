/**
 * The text the panel shows and the copy/insert buttons produce (pure
 * functions of a result).
 */
import type { GradientOk, PartialDerivative } from '../../core/result';
import type { Dim, MatEntry, MatOk } from '../../core/matcalc';
import { latexSymbol } from '../../core/print';
import { nameLatex, shapeLatex } from '../../core/matcalc/print';
import { derivativeLatex } from './math';

/** A Python identifier made from a variable name. */
export function pyIdent(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(id) ? `_${id}` : id || '_';
}

/** Several variables: partial derivatives (∂); one: an ordinary derivative (d), as the engine prints it. */
export function isPartial(result: GradientOk): boolean {
  return result.variables.length > 1;
}

/** `∂f/∂x`, `∂loss/∂w` or `df/dx`, as plain text. */
export function derivativeText(result: GradientOk, wrt: string): string {
  const d = isPartial(result) ? '∂' : 'd';
  return `${d}${result.target ?? 'f'}/${d}${wrt}`;
}

/** `df_dx = <numpy>`. */
export function numpyAssignment(result: GradientOk, p: PartialDerivative): string {
  return `d${pyIdent(result.target ?? 'f')}_d${pyIdent(p.wrt)} = ${p.numpy}`;
}

/** `# ∂f/∂x` + `df_dx = …` for every partial: what "Copy NumPy" (gradient) and "Insert NumPy" produce. */
export function numpyBlock(result: GradientOk): string {
  return result.gradient.map((p) => `# ${derivativeText(result, p.wrt)}\n${numpyAssignment(result, p)}`).join('\n');
}

/** `\frac{\partial f}{\partial x} = …`. */
export function partialEquationLatex(result: GradientOk, p: PartialDerivative): string {
  return `${derivativeLatex(result.target, p.wrt, isPartial(result))} = ${p.latex}`;
}

/** `\nabla f = f'` for one variable; the column vector `\begin{pmatrix} ∂f/∂x \\ ∂f/∂y \end{pmatrix}` for several. */
export function gradientLatex(result: GradientOk): string {
  const f = result.target ? latexSymbol(result.target) : 'f';
  if (result.gradient.length === 1) return `\\nabla ${f} = ${result.gradient[0]!.latex}`;
  const body = result.gradient.map((p) => p.latex).join(' \\\\ ');
  return `\\nabla ${f} = \\begin{pmatrix} ${body} \\end{pmatrix}`;
}

/** `f(x, y) = …` or `\mathit{loss}(w, b) = …`. */
export function expressionLatex(result: GradientOk): string {
  const f = result.target ? latexSymbol(result.target) : 'f';
  const args = result.variables.length ? `(${result.variables.map(latexSymbol).join(', ')})` : '';
  return `${f}${args} = ${result.expression.latex}`;
}

// ---------------------------------------------------------------- matrix calculus (core/matcalc)

/** The function's name: the forward pass's output (`loss`) or `f`. */
function matTarget(result: MatOk): string {
  return result.expression.target ?? 'f';
}

/** A Hessian over scalar variables has one entry named after all of them (`x,y`). */
function isJointHessian(result: MatOk, wrt: string): boolean {
  return result.kind === 'hessian' && wrt.includes(',');
}

/** `∇_X f`, `J_x`, `H_x` or `H` (the Hessian over several scalars), as plain text. */
export function matEntryText(result: MatOk, wrt: string): string {
  if (result.kind === 'gradient') return `∇_${wrt} ${matTarget(result)}`;
  if (result.kind === 'jacobian') return `J_${wrt}`;
  return isJointHessian(result, wrt) ? 'H' : `H_${wrt}`;
}

/** The entry's name as LaTeX: `\nabla_{X} f`, `J_{x}`, `H_{x}`, `H`. */
export function matEntryLabelLatex(result: MatOk, wrt: string): string {
  const x = nameLatex(wrt);
  if (result.kind === 'gradient') return `\\nabla_{${x}} ${nameLatex(matTarget(result))}`;
  if (result.kind === 'jacobian') return `J_{${x}}`;
  return isJointHessian(result, wrt) ? 'H' : `H_{${x}}`;
}

/** `\nabla_{X} f = …`: what the entry shows and "Copy LaTeX" copies. */
export function matEntryLatex(result: MatOk, e: MatEntry): string {
  return `${matEntryLabelLatex(result, e.wrt)} = ${e.latex}`;
}

/** `ℝ^{n×d}` as LaTeX (`\mathbb{R}` for a scalar). */
export function matSpaceLatex(shape: readonly Dim[]): string {
  return shape.length ? `\\mathbb{R}^{${shapeLatex([...shape])}}` : '\\mathbb{R}';
}

/** `(n, d)`, `(d,)`, `()`: a shape as NumPy writes it. */
export function matShapeText(shape: readonly Dim[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** The Python name the entry's code is assigned to: `df_dX`, `J_x`, `H_x`, `H`. */
export function matNumpyName(result: MatOk, wrt: string): string {
  if (result.kind === 'gradient') return `d${pyIdent(matTarget(result))}_d${pyIdent(wrt)}`;
  if (result.kind === 'jacobian') return `J_${pyIdent(wrt)}`;
  return isJointHessian(result, wrt) ? 'H' : `H_${pyIdent(wrt)}`;
}

/** `df_dX = <numpy>`: what the entry's "Copy NumPy" copies. */
export function matNumpyAssignment(result: MatOk, e: MatEntry): string {
  return `${matNumpyName(result, e.wrt)} = ${e.numpy}`;
}

/** `# ∇_X f, shape (n, d)` + `df_dX = …`: what "Insert NumPy below selection" writes for one entry. */
export function matNumpyEntryBlock(result: MatOk, e: MatEntry): string {
  return `# ${matEntryText(result, e.wrt)}, shape ${matShapeText(e.shape)}\n${matNumpyAssignment(result, e)}`;
}

/** Every entry's block: what the result's "Copy NumPy" and "Insert NumPy" produce. */
export function matNumpyBlock(result: MatOk): string {
  return result.gradient.map((e) => matNumpyEntryBlock(result, e)).join('\n');
}

/** Every entry's equation, aligned: what the result's "Copy LaTeX" copies. */
export function matLatexBlock(result: MatOk): string {
  if (result.gradient.length === 1) return matEntryLatex(result, result.gradient[0]!);
  return `\\begin{aligned} ${result.gradient.map((e) => `${matEntryLabelLatex(result, e.wrt)} &= ${e.latex}`).join(' \\\\ ')} \\end{aligned}`;
}

/** `f = …`, the expression as the header shows it. */
export function matExpressionLatex(result: MatOk): string {
  return `${nameLatex(matTarget(result))} = ${result.expression.latex}`;
}

/** "Gradient", "Jacobian", "Hessian". */
export function matKindText(result: MatOk): string {
  return result.kind === 'gradient' ? 'Gradient' : result.kind === 'jacobian' ? 'Jacobian' : 'Hessian';
}

/** "the gradient", "the Jacobian", "the Hessian": the whole result, in a sentence. */
export function matWholeText(result: MatOk): string {
  return result.kind === 'gradient' ? 'the gradient' : `the ${matKindText(result)}`;
}
