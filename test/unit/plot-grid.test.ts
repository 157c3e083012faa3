// The playground: objectives (presets and selections) with symbolic gradients, the contour grid,
// contour levels, marching squares, gradient arrows, and the assembled OptimizeData.
import { describe, expect, it } from 'vitest';
import { compileFast } from '../../core/explore/fast';
import { type Grid, contourGrid, contourLevels, contourLines, gradientArrows } from '../../core/explore/grid';
import { LOGISTIC_DATA, PRESETS, objective2d, playground, suggestLr } from '../../core/explore/playground';
import { evaluate } from '../../core/evaluate';
import { parse } from '../../core/parse/index';

const box = { xmin: -2, xmax: 2, ymin: -2, ymax: 2 };

describe('compileFast', () => {
  it('agrees with evaluate.ts on a mix of nodes', () => {
    const texts = [
      'x**2 + 3*x*y - y**3',
      'np.sin(x)*np.cos(y) + 0.1*x**2',
      'np.sqrt(x**2 + y**2) / (1 + x**4)',
      'F.relu(x - y) + abs(y)',
      'np.where(x > y, x, y**(-2))',
      'np.cbrt(x) + 2**x',
      'np.maximum(x, y) + F.leaky_relu(x, 0.1) + np.clip(y, -1, 1)',
      'np.log(x) + np.arctan2(y, x)',
    ];
    for (const t of texts) {
      const p = parse(t, 'python');
      if (!p.ok) throw new Error(`${t}: ${p.error.message}`);
      const f = compileFast(p.value.expr, ['x', 'y']);
      for (const [x, y] of [
        [0.7, -1.3],
        [-2.1, 0.4],
        [1.5, 1.5],
        [-0.8, -0.2],
      ] as const) {
        const a = f(x, y);
        const b = evaluate(p.value.expr, { x, y });
        if (Number.isNaN(b)) expect(a, t).toBeNaN();
        else expect(Math.abs(a - b), t).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(b)));
      }
    }
  });
});

describe('contourGrid', () => {
  it('samples row-major from (xmin, ymin), including the edges', () => {
    const g = contourGrid((x, y) => x + 10 * y, box, 5, 3);
    expect(g.values.length).toBe(15);
    expect(g.values[0]).toBe(-2 - 20);
    expect(g.values[4]).toBe(2 - 20);
    expect(g.values[5]).toBe(-2);
    expect(g.values[14]).toBe(2 + 20);
    expect([g.min, g.max]).toEqual([-22, 22]);
    expect(g.finite).toBe(15);
  });

  it('NaN where f is not finite; min/max over the rest', () => {
    const g = contourGrid((x, y) => Math.log(x) + y, box, 41, 41);
    expect(g.finite).toBeLessThan(41 * 41);
    expect(Number.isNaN(g.values[0]!)).toBe(true);
    expect(Number.isFinite(g.min) && Number.isFinite(g.max)).toBe(true);
    const none = contourGrid(() => NaN, box, 4, 4);
    expect(none.min).toBeNaN();
    expect(contourLevels(none)).toEqual([]);
  });

  it('suggests a log scale for Rosenbrock and Beale, not for the bowl or the saddle', () => {
    const logOf = (key: string) => {
      const o = objective2d({ preset: key });
      if (!o.ok) throw new Error(o.error.message);
      return contourGrid(o.f, o.objective.box, 100, 100).log;
    };
    expect(logOf('rosenbrock')).toBe(true);
    expect(logOf('beale')).toBe(true);
    expect(logOf('bowl')).toBe(false);
    expect(logOf('saddle')).toBe(false);
  });
});

describe('contour levels and marching squares', () => {
  const circle = contourGrid((x, y) => x * x + y * y, box, 201, 201);

  it('levels are increasing, inside (min, max); log-spaced on a log grid', () => {
    const lv = contourLevels(circle, 10);
    expect(lv.length).toBe(10);
    for (let i = 1; i < lv.length; i++) expect(lv[i]!).toBeGreaterThan(lv[i - 1]!);
    expect(lv[0]!).toBeGreaterThan(circle.min);
    const o = objective2d({ preset: 'rosenbrock' });
    if (!o.ok) throw new Error('preset');
    const rg = contourGrid(o.f, o.objective.box, 200, 200);
    const rl = contourLevels(rg, 8);
    const ratios = rl.slice(1).map((v, i) => (v - rg.min) / (rl[i]! - rg.min));
    for (const r of ratios) expect(Math.abs(r - ratios[0]!)).toBeLessThan(0.01 * ratios[0]!);
  });

  it('a circle: one closed polyline per level, its points on the circle', () => {
    const [c1, c2] = contourLines(circle, [1, 2.25]);
    expect(c1!.lines).toHaveLength(1);
    const line = c1!.lines[0]!;
    expect(line.slice(0, 2)).toEqual(line.slice(-2)); // closed
    for (let i = 0; i < line.length; i += 2) expect(Math.abs(Math.hypot(line[i]!, line[i + 1]!) - 1)).toBeLessThan(1e-3);
    expect(line.length / 2).toBeGreaterThan(100);
    expect(c2!.lines).toHaveLength(1);
    expect(Math.abs(Math.hypot(c2!.lines[0]![0]!, c2!.lines[0]![1]!) - 1.5)).toBeLessThan(1e-3);
  });

  it('open lines end on the border; a saddle gives two lines per level', () => {
    const g = contourGrid((x, y) => x * x - y * y, box, 101, 101);
    const [c] = contourLines(g, [1]);
    expect(c!.lines).toHaveLength(2);
    for (const l of c!.lines) {
      const onBorder = (x: number, y: number) => Math.abs(Math.abs(x) - 2) < 1e-9 || Math.abs(Math.abs(y) - 2) < 1e-9;
      expect(onBorder(l[0]!, l[1]!)).toBe(true);
      expect(onBorder(l[l.length - 2]!, l[l.length - 1]!)).toBe(true);
      for (let i = 0; i < l.length; i += 2) expect(Math.abs(l[i]! * l[i]! - l[i + 1]! * l[i + 1]! - 1)).toBeLessThan(0.01);
    }
  });

  it('every cell crossing is used exactly once (segments are joined, none lost)', () => {
    const g = contourGrid((x, y) => Math.sin(3 * x) * Math.cos(2 * y), box, 120, 90);
    for (const level of [-0.5, 0.01, 0.3]) {
      const lines = contourLines(g, [level])[0]!.lines;
      let pieces = 0;
      const cell = Math.hypot(4 / 119, 4 / 89);
      for (const l of lines) {
        expect(l.length).toBeGreaterThanOrEqual(4);
        for (let i = 2; i < l.length; i += 2) {
          expect(Math.hypot(l[i]! - l[i - 2]!, l[i + 1]! - l[i - 1]!)).toBeLessThanOrEqual(cell + 1e-12);
          pieces++;
        }
      }
      expect(pieces).toBe(crossingPieces(g, level));
    }
  });

  it('skips cells with a non-finite corner', () => {
    const g = contourGrid((x, y) => (x > 0 ? NaN : x * x + y * y), box, 101, 101);
    const [c] = contourLines(g, [1]);
    for (const l of c!.lines) for (let i = 0; i < l.length; i += 2) expect(l[i]!).toBeLessThanOrEqual(1e-12);
  });
});

/** Contour pieces by direct count: one per cell whose corners straddle the level, two for a saddle cell. */
function crossingPieces(g: Grid, level: number): number {
  let n = 0;
  for (let j = 0; j + 1 < g.ny; j++) {
    for (let i = 0; i + 1 < g.nx; i++) {
      const c = [g.values[j * g.nx + i]!, g.values[j * g.nx + i + 1]!, g.values[(j + 1) * g.nx + i + 1]!, g.values[(j + 1) * g.nx + i]!];
      const above = c.map((v) => v > level);
      const k = above.filter(Boolean).length;
      if (k === 0 || k === 4) continue;
      n += k === 2 && above[0] === above[2] ? 2 : 1;
    }
  }
  return n;
}

describe('gradientArrows', () => {
  it('points downhill at cell centres, scaled to the cell', () => {
    const grad = (x: number, y: number, out: Float64Array) => {
      out[0] = 2 * x;
      out[1] = 2 * y;
    };
    const { arrows, maxNorm } = gradientArrows(grad, box, 4);
    expect(arrows.length).toBe(16 * 4);
    expect(arrows.slice(0, 2)).toEqual([-1.5, -1.5]);
    expect(arrows[2]!).toBeGreaterThan(0); // −∂f/∂x at x = −1.5 is +3
    expect(maxNorm).toBeCloseTo(2 * Math.hypot(1.5, 1.5), 12);
    for (let k = 0; k < arrows.length; k += 4) expect(Math.hypot(arrows[k + 2]!, arrows[k + 3]!)).toBeLessThanOrEqual(0.9 + 1e-12);
  });
});

describe('objective2d', () => {
  it('every preset: LaTeX, box, start, gradient from the engine matching finite differences', () => {
    for (const p of PRESETS) {
      const o = objective2d({ preset: p.key });
      if (!o.ok) throw new Error(`${p.key}: ${o.error.message}`);
      expect(o.objective.key).toBe(p.key);
      expect(o.objective.latex.length).toBeGreaterThan(3);
      expect(o.settings.start).toEqual(p.start);
      const g = new Float64Array(2);
      for (const [x, y] of [p.start, [0.3, -0.7], [1.1, 0.9]] as [number, number][]) {
        o.grad(x, y, g);
        const h = 1e-6;
        const fx = (o.f(x + h, y) - o.f(x - h, y)) / (2 * h);
        const fy = (o.f(x, y + h) - o.f(x, y - h)) / (2 * h);
        expect(Math.abs(fx - g[0]!), p.key).toBeLessThan(1e-5 * Math.max(1, Math.abs(fx)));
        expect(Math.abs(fy - g[1]!), p.key).toBeLessThan(1e-5 * Math.max(1, Math.abs(fy)));
      }
      if (p.minimum) {
        o.grad(p.minimum[0], p.minimum[1], g);
        expect(Math.hypot(g[0]!, g[1]!), p.key).toBeLessThan(1e-5);
      }
    }
  });

  it('the logistic loss is the mean cross-entropy of its data', () => {
    const o = objective2d({ preset: 'logistic' });
    if (!o.ok) throw new Error('logistic');
    const [w1, w2] = [0.4, -1.3];
    let sum = 0;
    for (const [a, b, y] of LOGISTIC_DATA) sum += Math.log1p(Math.exp(-y * (w1 * a + w2 * b)));
    expect(o.f(w1, w2)).toBeCloseTo(sum / LOGISTIC_DATA.length, 12);
    expect(o.objective.variables).toEqual(['w1', 'w2']);
  });

  it('a selection of two variables: box, start and a learning rate that does not diverge', () => {
    const o = objective2d({ text: 'np.sin(x)*np.cos(y) + 0.1*x**2', lang: 'python' });
    if (!o.ok) throw new Error(o.error.message);
    expect(o.objective.key).toBe('selection');
    expect(o.objective.variables).toEqual(['x', 'y']);
    expect(o.gradientLatex[0]).toContain('\\cos');
    const log = objective2d({ text: 'log(x) + log(y)', lang: 'math' });
    if (!log.ok) throw new Error('log');
    expect(log.objective.box.xmin).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(log.f(...log.settings.start))).toBe(true);
  });

  it('suggestLr is ≈ 0.5 / curvature', () => {
    const grad = (x: number, y: number, out: Float64Array) => {
      out[0] = 2 * x;
      out[1] = 20 * y;
    };
    expect(suggestLr(grad, box)).toBe(0.02);
  });

  it('clear messages for other variable counts and unknown presets', () => {
    const one = objective2d({ text: 'x^2', lang: 'math' });
    expect(!one.ok && one.error.message).toMatch(/one variable/);
    const three = objective2d({ text: 'x y z', lang: 'math' });
    expect(!three.ok && three.error.message).toMatch(/exactly two/);
    const unk = objective2d({ preset: 'himmelblau' });
    expect(!unk.ok && unk.error.message).toMatch(/Unknown preset/);
    expect(() => objective2d({ text: ')(', lang: 'python' })).not.toThrow();
  });
});

describe('playground', () => {
  it('assembles OptimizeData: grid, contours, arrows, six trajectories', () => {
    const r = playground({ preset: 'bowl' });
    if (!r.ok) throw new Error(r.error.message);
    const d = r.data;
    expect(d.grid.nx * d.grid.ny).toBe(d.grid.values.length);
    expect(d.contours.length).toBeGreaterThan(5);
    expect(d.arrows.length % 4).toBe(0);
    expect(d.trajectories.map((t) => t.name)).toEqual(['gd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam']);
    for (const t of d.trajectories) {
      expect(t.points.length).toBe(2 * (d.settings.steps + 1));
      // GD, momentum and Nesterov use the shared rate; the adaptive methods their own
      expect(t.latex).toContain(`\\eta = ${d.settings.lrs?.[t.name] ?? d.settings.lr}`);
    }
    // JSON-safe (no typed arrays, no Infinity).
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });

  it('the saddle says plainly that there is no minimum', () => {
    const r = playground({ preset: 'saddle' }, undefined, { gridSize: 50, contourSize: 100 });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.data.objective.minimum).toBeUndefined();
    expect(r.data.trajectories.some((t) => /unbounded below/.test(t.diverged?.reason ?? ''))).toBe(true);
  });

  it('divergence with a learning rate that is too large', () => {
    const r = playground({ preset: 'bowl' }, { lr: 0.5, enabled: ['gd'] }, { gridSize: 20, contourSize: 40 });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.data.trajectories).toHaveLength(1);
    expect(r.data.trajectories[0]!.diverged?.reason).toMatch(/Diverged at step \d+/);
  });
});
