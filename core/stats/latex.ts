/** Number formatting for the LaTeX the panel shows (KaTeX). */

/** A number as LaTeX with `digits` significant digits: 0.0123, 1.235 \times 10^{-7}, −4.5. */
export function tex(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '\\text{undefined}';
  if (v === Infinity) return '\\infty';
  if (v === -Infinity) return '-\\infty';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e6) {
    const s = Number(v.toPrecision(digits)).toString();
    return s.startsWith('-') ? `-${s.slice(1)}` : s;
  }
  const [m, e] = v.toExponential(digits - 1).split('e');
  const mant = Number(m).toString();
  return `${mant} \\times 10^{${Number(e)}}`;
}

/** A p-value: "< 10^{-300}"-style for those that underflow, else `tex`. */
export function texP(p: number | null): string {
  if (p === null || Number.isNaN(p)) return '\\text{undefined}';
  if (p === 0) return '< 10^{-300}';
  return tex(p);
}

/** A number wrapped in parentheses when negative (for substitution into formulas). */
export function texParen(v: number | null, digits = 4): string {
  const s = tex(v, digits);
  return v !== null && v < 0 ? `(${s})` : s;
}
