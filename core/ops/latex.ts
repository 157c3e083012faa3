/**
 * The one LaTeX convention for names, shared by every engine and panel:
 * x1 → x_{1}, w_ij → w_{ij}, alpha → \alpha, multi-letter names upright-italic
 * as \mathit{loss} (a variable, not an operator), the natural logarithm as \ln.
 */
export const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'vartheta', 'iota', 'kappa',
  'lambda', 'mu', 'nu', 'xi', 'rho', 'sigma', 'tau', 'upsilon', 'phi', 'varphi', 'chi', 'psi', 'omega',
  'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma', 'Upsilon', 'Phi', 'Psi', 'Omega',
]);

const UNICODE_GREEK: Record<string, string> = {
  α: 'alpha', β: 'beta', γ: 'gamma', δ: 'delta', ε: 'epsilon', ζ: 'zeta', η: 'eta', θ: 'theta', ι: 'iota',
  κ: 'kappa', λ: 'lambda', μ: 'mu', ν: 'nu', ξ: 'xi', π: 'pi', ρ: 'rho', σ: 'sigma', τ: 'tau', υ: 'upsilon',
  φ: 'phi', χ: 'chi', ψ: 'psi', ω: 'omega', Γ: 'Gamma', Δ: 'Delta', Θ: 'Theta', Λ: 'Lambda', Ξ: 'Xi', Π: 'Pi',
  Σ: 'Sigma', Φ: 'Phi', Ψ: 'Psi', Ω: 'Omega',
};

export function latexIdent(part: string): string {
  const g = UNICODE_GREEK[part] ?? part;
  if (GREEK.has(g) || g === 'pi') return `\\${g}`;
  if (g.length === 1) return g;
  return `\\mathit{${g}}`;
}

/** A variable name as LaTeX: x1 → x_{1}, w_ij → w_{ij}, alpha → \alpha, loss → \mathit{loss}. */
export function latexSymbol(name: string): string {
  let primes = '';
  const pm = /'+$/.exec(name);
  if (pm) {
    primes = pm[0];
    name = name.slice(0, -primes.length);
  }
  let base = name;
  let sub = '';
  const us = name.indexOf('_');
  if (us > 0 && us < name.length - 1) {
    base = name.slice(0, us);
    sub = name.slice(us + 1).replace(/_/g, ',');
  } else {
    const m = /^([A-Za-z\u0370-\u03ff]+?)(\d+)$/.exec(name);
    if (m && !GREEK.has(name)) {
      base = m[1]!;
      sub = m[2]!;
    }
  }
  const b = latexIdent(base);
  const s = sub ? `_{${sub.split(',').map((p) => (/^\d+$/.test(p) ? p : latexIdent(p).replace(/^\\mathit\{(.*)\}$/, '$1'))).join(',')}}` : '';
  return b + s + primes;
}

