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
  const chosen = override?.get(name);
  if (chosen !== undefined) return chosen;
  if (/[.[]/.test(name)) return subscriptedLatex(name) ?? codeLatex(name);
  return identLatex(name);
}

function identLatex(name: string): string {
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


/** The parts of a subscripted name (`self.W["a"][0, i]`): attribute path, then each index (keys unquoted). */
function splitSubscripted(name: string): { path: string[]; indices: { key: boolean; text: string }[] } | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)((?:\[[^[\]]*\])*)$/.exec(name);
  if (!m) return undefined;
  const indices: { key: boolean; text: string }[] = [];
  for (const g of m[2]!.match(/\[[^[\]]*\]/g) ?? []) {
    for (const part of g.slice(1, -1).split(', ')) {
      const key = /^"(.*)"$/.exec(part);
      indices.push(key ? { key: true, text: key[1]! } : { key: false, text: part });
    }
  }
  return { path: m[1]!.split('.'), indices };
}

const subscriptPart = (p: string): string => (/^-?\d+$/.test(p) ? p : latexIdent(p).replace(/^\\mathit\{(.*)\}$/, '$1'));

/**
 * A subscripted name as a textbook writes it: the dict key or the last attribute is the symbol,
 * the indices its subscript: `p["w1"]` → w_{1}, `X[i, 0]` → X_{i,0}, `W[0][1]` → W_{0,1},
 * `self.w` → w, `params.w1` → w_{1}, `p["W"][0]` → W_{0}.
 */
function subscriptedLatex(name: string): string | undefined {
  const parts = splitSubscripted(name);
  if (!parts) return undefined;
  const keys = parts.indices.filter((x) => x.key);
  const base = keys.length ? keys[keys.length - 1]!.text : parts.path[parts.path.length - 1]!;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(base)) return undefined;
  const subs = parts.indices.filter((x) => !x.key).map((x) => subscriptPart(x.text));
  const b = identLatex(base);
  if (!subs.length) return b;
  return `${b.includes('_') ? `{${b}}` : b}_{${subs.join(',')}}`;
}

/** The name as code, in a typewriter font: always distinct, for names a textbook form would confuse. */
function codeLatex(name: string): string {
  const esc = name.replace(/[\\{}_#%&$^~]/g, (c) => (c === '\\' ? '\\textbackslash{}' : c === '^' ? '\\textasciicircum{}' : c === '~' ? '\\textasciitilde{}' : `\\${c}`));
  return `\\texttt{${esc}}`;
}

/** A fuller form for a subscripted name whose textbook form is taken: `p["w1"]` → p_{\mathrm{w1}}. */
function fullerLatex(name: string): string {
  const parts = splitSubscripted(name);
  if (parts && parts.indices.length === 1 && parts.indices[0]!.key && /^[A-Za-z0-9_]+$/.test(parts.indices[0]!.text)) {
    const head = identLatex(parts.path[parts.path.length - 1]!);
    return `${head.includes('_') ? `{${head}}` : head}_{\\mathrm{${parts.indices[0]!.text.replace(/_/g, '\\_')}}}`;
  }
  return codeLatex(name);
}

let override: ReadonlyMap<string, string> | undefined;

/**
 * Run `f` with names kept apart in LaTeX: when two of `names` would print the same (`p["w1"]` and
 * `w1` are both w_{1}), the subscripted ones print fuller (p_{\mathrm{w1}}, or their code in
 * typewriter type), so no two variables of one result look alike. Synchronous only.
 */
export function withDistinctSymbols<T>(names: Iterable<string>, f: () => T): T {
  const all = [...new Set(names)];
  if (!all.some((n) => /[.[]/.test(n))) return f();
  const saved = override;
  override = undefined;
  const byLatex = new Map<string, string[]>();
  for (const n of all) {
    const l = latexSymbol(n);
    byLatex.set(l, [...(byLatex.get(l) ?? []), n]);
  }
  const chosen = new Map<string, string>();
  const taken = new Set(byLatex.keys());
  for (const group of byLatex.values()) {
    if (group.length < 2) continue;
    for (const n of group) {
      if (!/[.[]/.test(n)) continue;
      let l = fullerLatex(n);
      if (taken.has(l)) l = codeLatex(n);
      taken.add(l);
      chosen.set(n, l);
    }
  }
  override = chosen.size ? chosen : saved;
  try {
    return f();
  } finally {
    override = saved;
  }
}
