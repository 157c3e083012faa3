/**
 * The text the panel shows and the copy/insert buttons produce (pure
 * functions of a result).
 */
import type { GradientOk, PartialDerivative } from '../core/result';
import { latexSymbol } from '../core/print';
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
