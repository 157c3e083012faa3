// Functions of one variable: f, f′, f″ from the engine; honest sampling (no line across a pole or a
// jump, kinks inserted exactly); the default range; values and tangent at a point; the gallery.
import { describe, expect, it } from 'vitest';
import { activationGallery, belowThreshold } from '../../core/explore/activations';
import { compile1 } from '../../core/explore/fast';
import { defaultRange, functionPlot, pointAt, samplePlot, type FunctionPlotOk } from '../../core/explore/plot';
import { parse } from '../../core/parse/index';
import type { Segment } from '../../core/protocol';

function plot(text: string, lang: 'python' | 'math' | 'latex' | 'javascript' = 'math', range?: [number, number]): FunctionPlotOk {
  const r = functionPlot(text, range ? { lang, range } : { lang });
  if (!r.ok) throw new Error(r.error.message);
  return r;
}

/** Does any segment have consecutive points on both sides of x? */
function crosses(segs: Segment[], x: number): boolean {
  for (const s of segs) for (let i = 0; i + 2 < s.length; i += 2) if (s[i]! < x && s[i + 2]! > x) return true;
  return false;
}

function allPoints(segs: Segment[]): [number, number][] {
  const out: [number, number][] = [];
  for (const s of segs) for (let i = 0; i < s.length; i += 2) out.push([s[i]!, s[i + 1]!]);
  return out;
}

describe('functionPlot', () => {
  it('parses every language and gives f′ and f″ from the engine', () => {
    const py = plot('np.tanh(x)/x', 'python');
    expect(py.variable).toBe('x');
    expect(py.f.numpy).toContain('np.tanh');
    expect(py.latex.df).toContain('\\tanh');
    expect(py.latex.d2f).toBeDefined();
    const js = plot('Math.exp(-x*x)', 'javascript');
    expect(js.latex.df).toMatch(/e\^|exp/);
    const tex = plot('\\frac{1}{1+e^{-t}}', 'latex');
    expect(tex.variable).toBe('t');
    expect(tex.latex.df).toBe('\\sigma(t) (1 - \\sigma(t))');
    const m = plot('x^3 - 2x');
    expect(m.latex.df).toBe('3 x^{2} - 2');
    expect(m.latex.d2f).toBe('6 x');
  });

  it('f, f′, f″ closures agree with finite differences', () => {
    for (const text of ['x^3 - 2x', 'sin(x) exp(-x^2/4)', 'log(1 + x^2)', 'softplus(x)', 'x/(1 + x^2)']) {
      const r = plot(text);
      for (const x of [-1.7, -0.3, 0.45, 2.2]) {
        const h = 1e-5;
        const fd1 = (r.fn.f(x + h) - r.fn.f(x - h)) / (2 * h);
        const fd2 = (r.fn.df(x + h) - r.fn.df(x - h)) / (2 * h);
        expect(Math.abs(fd1 - r.fn.df(x))).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd1)));
        expect(Math.abs(fd2 - r.fn.d2f!(x))).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd2)));
      }
    }
  });

  it('says plainly when there are 0 or 2+ variables, and flags the playground for exactly 2', () => {
    const c = functionPlot('3 + 4', { lang: 'math' });
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.error.message).toMatch(/constant/);
    const two = functionPlot('x*y', { lang: 'math' });
    expect(two.ok).toBe(false);
    if (!two.ok) {
      expect(two.playground).toBe(true);
      expect(two.variables).toEqual(['x', 'y']);
      expect(two.error.message).toMatch(/playground/);
    }
    const three = functionPlot('x*y*z', { lang: 'math' });
    expect(three.ok || three.playground).toBeFalsy();
    const bad = functionPlot('x +* 2', { lang: 'python' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.kind).toBe('parse');
  });

  it('never throws on hostile input and honours the budget', () => {
    for (const t of ['', '(((', 'x'.repeat(30000), '('.repeat(500) + 'x' + ')'.repeat(500), 'exp(exp(exp(exp(x))))', '1/0*x', 'x**x**x**x']) {
      expect(() => functionPlot(t, { lang: 'python', budgetMs: 200 })).not.toThrow();
    }
    let e = 'x';
    for (let i = 0; i < 9; i++) e = `sin(${e})*cos(${e})`;
    const t0 = performance.now();
    const r = functionPlot(e, { lang: 'math', budgetMs: 100 });
    expect(performance.now() - t0).toBeLessThan(2000);
    if (!r.ok) expect(['budget', 'unsupported', 'parse']).toContain(r.error.kind);
  });

  it('1/x: an asymptote at 0, no line across it, f′ broken too', () => {
    const r = plot('1/x');
    expect(r.samples.asymptotes).toHaveLength(1);
    expect(Math.abs(r.samples.asymptotes[0]!)).toBeLessThan(1e-9);
    expect(r.samples.f.length).toBe(2);
    expect(crosses(r.samples.f, 0)).toBe(false);
    expect(crosses(r.samples.df, 0)).toBe(false);
    expect(r.notes.join(' ')).toMatch(/asymptote/i);
    // The curve runs off the view toward the pole, not just to the last sample.
    const ys = allPoints(r.samples.f).map(([, y]) => Math.abs(y));
    expect(Math.max(...ys)).toBeGreaterThan(r.samples.yRange[1]);
  });

  it('tan x: an asymptote at every odd multiple of π/2 in [−5, 5], f and f′ (even poles) broken there', () => {
    const r = plot('tan(x)');
    const expected = [-1.5, -0.5, 0.5, 1.5].map((k) => k * Math.PI);
    expect(r.samples.asymptotes).toHaveLength(4);
    r.samples.asymptotes.forEach((a, i) => expect(Math.abs(a - expected[i]!)).toBeLessThan(1e-9));
    for (const a of expected) {
      expect(crosses(r.samples.f, a)).toBe(false);
      expect(crosses(r.samples.df, a)).toBe(false);
    }
    expect(r.samples.f.length).toBe(5);
  });

  it('an even pole between samples (1/(x − 0.3)²) is found', () => {
    const r = plot('1/(x - 0.3)^2');
    expect(r.samples.asymptotes).toHaveLength(1);
    expect(Math.abs(r.samples.asymptotes[0]! - 0.3)).toBeLessThan(1e-9);
    expect(crosses(r.samples.f, 0.3)).toBe(false);
    expect(r.samples.kinks).toEqual([]);
  });

  it('ReLU: the kink at 0 is a vertex of f, and f′ is not connected across its jump', () => {
    const r = plot('relu(x)');
    expect(r.samples.kinks).toEqual([0]);
    expect(r.samples.f).toHaveLength(1);
    expect(allPoints(r.samples.f).some(([x, y]) => x === 0 && y === 0)).toBe(true);
    expect(r.samples.df).toHaveLength(2);
    const [left, right] = r.samples.df as [Segment, Segment];
    expect(left.slice(-2)).toEqual([0, 0]);
    expect(right.slice(0, 2)).toEqual([0, 1]);
    expect(r.kinks[0]!.text).toMatch(/PyTorch/);
  });

  it('leaky ReLU, |x − 1|, sign: kinks located; ELU (α = 1) has none (it is C¹)', () => {
    expect(plot('leaky_relu(x, 0.01)').samples.kinks).toEqual([0]);
    const a = plot('abs(x - 1)');
    expect(a.samples.kinks).toHaveLength(1);
    expect(Math.abs(a.samples.kinks[0]! - 1)).toBeLessThan(1e-12);
    expect(crosses(a.samples.df, 1)).toBe(false);
    const s = plot('sign(x)');
    expect(s.samples.kinks).toEqual([0]);
    expect(s.samples.f).toHaveLength(2);
    expect(plot('F.elu(x)', 'python').samples.kinks).toEqual([]);
    // A kink between grid points.
    const m = plot('max(x, 0.123)');
    expect(m.samples.kinks).toHaveLength(1);
    expect(Math.abs(m.samples.kinks[0]! - 0.123)).toBeLessThan(1e-12);
  });

  it('a jump the engine does not report as a kink is still found numerically', () => {
    const fn = { variable: 'x', f: (x: number) => (x > 0.3 ? 1 : 0) + 0.1 * x, df: () => 0.1, d2f: null, kinkZeros: [] };
    const s = samplePlot(fn, -1, 1, 101);
    expect(s.f).toHaveLength(2);
    expect(crosses(s.f, 0.3)).toBe(false);
    expect(s.kinks).toHaveLength(1);
    expect(Math.abs(s.kinks[0]! - 0.3)).toBeLessThan(1e-9);
    expect(s.asymptotes).toEqual([]);
  });

  it('a steep but continuous function is not broken', () => {
    const r = plot('tanh(50 x)');
    expect(r.samples.f).toHaveLength(1);
    expect(r.samples.asymptotes).toEqual([]);
    expect(r.samples.kinks).toEqual([]);
  });

  it('domains: log → [0, 5] with an asymptote at 0; √(1 − x²) → around [−1, 1]; √x ends at 0 without one', () => {
    const l = plot('log(x)');
    expect(l.range).toEqual([0, 5]);
    expect(l.samples.asymptotes).toEqual([0]);
    const c = plot('sqrt(1 - x^2)');
    expect(c.range[0]).toBeLessThan(-1);
    expect(c.range[0]).toBeGreaterThan(-1.5);
    expect(c.range[1]).toBeGreaterThan(1);
    const s = plot('sqrt(x)');
    expect(s.range).toEqual([0, 5]);
    expect(s.samples.asymptotes).toEqual([]);
    // A removable singularity: tanh(x)/x is NaN at exactly 0; the gap is tiny.
    const t = plot('np.tanh(x)/x', 'python');
    expect(t.samples.asymptotes).toEqual([]);
    const pts = allPoints(t.samples.f).map(([x]) => Math.abs(x));
    expect(Math.min(...pts)).toBeLessThan(1e-6);
  });

  it('defaultRange widens when f is undefined on [−5, 5]', () => {
    const f = compile1(parseExpr('sqrt(x - 20)'), 'x');
    const r = defaultRange(f);
    expect(r[0]).toBe(20);
    expect(r[1]).toBe(30);
    expect(r.note).toMatch(/widened/);
  });

  it('pointAt: values and the tangent line', () => {
    const r = plot('x^3 - 2x');
    const p = pointAt(r.fn, 2);
    expect(p).toMatchObject({ x: 2, f: 4, df: 10, d2f: 12 });
    expect(p.tangent!.slope).toBe(10);
    expect(p.tangent!.intercept).toBe(4 - 20);
    expect(p.tangent!.latex).toBe('y = 4 + 10\\,(x - 2)');
    const l = plot('log(x)');
    const q = pointAt(l.fn, -1);
    expect(q.f).toBeNull();
    expect(q.tangent).toBeNull();
    expect(functionPlot('x^2', { lang: 'math', x0: 3 }).ok && (functionPlot('x^2', { lang: 'math', x0: 3 }) as FunctionPlotOk).point.df).toBe(6);
  });

  it('samplePlot: arbitrary zoomed ranges, sample count, y-range', () => {
    const r = plot('sin(x)');
    const s = samplePlot(r.fn, 100, 100.5, 51);
    expect(s.xmin).toBe(100);
    expect(s.f[0]!.length).toBe(102);
    expect(s.yRange[0]).toBeLessThan(Math.min(Math.sin(100), Math.sin(100.5)));
    expect(samplePlot(r.fn, 1, 1, 10).f).toEqual([]);
    expect(samplePlot(r.fn, NaN, 1, 10).f).toEqual([]);
    const sig = plot('sigmoid(x)');
    expect(sig.samples.yRange[0]).toBeLessThan(0.01);
    expect(sig.samples.yRange[1]).toBeGreaterThan(0.99);
  });
});

function parseExpr(text: string) {
  const p = parse(text, 'math');
  if (!p.ok) throw new Error(p.error.message);
  return p.value.expr;
}

describe('activation gallery', () => {
  const gallery = activationGallery();
  const by = Object.fromEntries(gallery.map((g) => [g.key, g]));

  it('has the eight activations with the engine’s LaTeX', () => {
    expect(gallery.map((g) => g.key)).toEqual(['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'gelu', 'softplus', 'silu']);
    expect(by.sigmoid!.latex).toEqual({ f: '\\sigma(x)', df: '\\sigma(x) (1 - \\sigma(x))' });
    expect(by.tanh!.latex.df).toBe('1 - \\tanh^{2}(x)');
    expect(by.softplus!.latex.df).toBe('\\sigma(x)');
    expect(by.gelu!.latex.f).toContain('\\operatorname{erf}');
    expect(by.gelu!.note).toMatch(/tanh approximation/);
  });

  it('each derivative agrees with finite differences of f', () => {
    for (const g of gallery) {
      for (const x of [-3.1, -1.2, -0.4, 0.35, 0.9, 2.7]) {
        const h = 1e-6;
        const fd = (g.plot.fn.f(x + h) - g.plot.fn.f(x - h)) / (2 * h);
        expect(Math.abs(fd - g.plot.fn.df(x)), g.key).toBeLessThan(1e-7);
      }
    }
  });

  it('saturation regions (|f′| < 0.01)', () => {
    // σ′ = σ(1 − σ) = 0.01 at |x| = ln((1 + √0.96)/(1 − √0.96)) … = 4.5848…
    const s = by.sigmoid!.saturates;
    expect(s).toHaveLength(2);
    expect(s[0]).toMatchObject({ from: -10, openLeft: true });
    expect(s[0]!.to).toBeCloseTo(-Math.log((1 + Math.sqrt(0.96)) / (1 - Math.sqrt(0.96))), 9);
    expect(s[1]!.from).toBeCloseTo(Math.log((1 + Math.sqrt(0.96)) / (1 - Math.sqrt(0.96))), 9);
    // tanh′ = 1 − tanh² = 0.01 at |x| = atanh(√0.99)
    expect(by.tanh!.saturates[1]!.from).toBeCloseTo(Math.atanh(Math.sqrt(0.99)), 9);
    expect(by.relu!.saturates).toEqual([{ from: -10, to: 0, openLeft: true }]);
    expect(by.leaky_relu!.saturates).toEqual([]);
    // ELU′ = eˣ < 0.01 for x < ln 0.01; softplus′ = σ(x) < 0.01 for x < −ln 99
    expect(by.elu!.saturates[0]!.to).toBeCloseTo(Math.log(0.01), 9);
    expect(by.softplus!.saturates[0]!.to).toBeCloseTo(-Math.log(99), 9);
    // SiLU and GELU are briefly flat where f′ changes sign, besides saturating on the left.
    expect(by.silu!.saturates).toHaveLength(2);
    expect(by.gelu!.saturates).toHaveLength(2);
  });

  it('kinks: ReLU and leaky ReLU at 0, the smooth ones none', () => {
    expect(by.relu!.kinks).toEqual([0]);
    expect(by.leaky_relu!.kinks).toEqual([0]);
    for (const k of ['sigmoid', 'tanh', 'elu', 'gelu', 'softplus', 'silu']) expect(by[k]!.kinks, k).toEqual([]);
  });

  it('belowThreshold on its own', () => {
    expect(belowThreshold((x) => x, -1, 1, 0.5)).toEqual([{ from: -0.5, to: 0.5 }]);
    expect(belowThreshold(() => 1, -1, 1)).toEqual([]);
    expect(belowThreshold(() => 0, -1, 1)).toEqual([{ from: -1, to: 1, openLeft: true, openRight: true }]);
  });
});
