/** Numbers as LaTeX for the graph's labels, rules and playback. */

/** A number for display: six significant digits, scientific as a × 10^{b}. */
export function fmt(v: number): string {
  if (Number.isNaN(v)) return '\\mathrm{NaN}';
  if (!Number.isFinite(v)) return v > 0 ? '\\infty' : '-\\infty';
  if (v === 0) return '0';
  const s = String(Number(v.toPrecision(6)));
  const m = /^(-?[\d.]+)e([+-]\d+)$/.exec(s);
  return m ? `${m[1]} \\times 10^{${Number(m[2])}}` : s;
}

/** A number inside a product: negative numbers in parentheses. */
export function fmtFactor(v: number): string {
  const s = fmt(v);
  return s.startsWith('-') || s.includes('\\times') ? `(${s})` : s;
}
