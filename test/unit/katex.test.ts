/**
 * Every piece of LaTeX the engine prints for the SymPy fixture corpus (434
 * expressions, all four languages) must render in KaTeX with the options the
 * panel uses, or the panel would fall back to showing source text.
 */
import katex from 'katex';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeGradient } from '../../core/gradient';
import type { Lang } from '../../core/parse/types';

interface Case {
  id: string;
  lang: Lang;
  expr: string;
}

const corpus = JSON.parse(readFileSync('test/fixtures/sympy-gradients.json', 'utf8')) as { cases: Case[] };

describe('KaTeX renders everything the engine prints', () => {
  it('expressions, derivatives, steps and kinks of the whole corpus', () => {
    const bad: string[] = [];
    let rendered = 0;
    for (const c of corpus.cases) {
      const r = computeGradient(c.expr, { lang: c.lang, checkPoints: 0 });
      if (!r.ok) continue;
      const pieces = [r.expression.latex];
      for (const g of r.gradient) {
        pieces.push(g.latex, ...g.steps.map((s) => s.latex), ...g.kinks.map((k) => k.latex));
        for (const s of g.steps) if (s.detail) pieces.push(s.detail.slice(s.detail.indexOf(':') + 1));
      }
      for (const tex of pieces) {
        try {
          katex.renderToString(tex, { throwOnError: true, trust: false, displayMode: true, strict: 'ignore' });
          rendered++;
        } catch (e) {
          bad.push(`${c.id}: ${(e as Error).message} in ${tex.slice(0, 200)}`);
        }
      }
    }
    expect(bad).toEqual([]);
    expect(rendered).toBeGreaterThan(2000);
  });
});
