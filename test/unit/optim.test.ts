// The six optimizers against steps computed by hand on f(x, y) = x² + 10y² (∇f = (2x, 20y)) from (1, 1),
// with PyTorch's conventions (see core/explore/optim.ts), and divergence detection.
import { describe, expect, it } from 'vitest';
import { type F2, type Grad2, type Hyper, type OptimizerName, OPTIMIZER_NAMES, UPDATE_LATEX, initState, runOne, runOptimizers, step } from '../../core/explore/optim';

const f: F2 = (x, y) => x * x + 10 * y * y;
const grad: Grad2 = (x, y, out) => {
  out[0] = 2 * x;
  out[1] = 20 * y;
};

/** Points after each of `n` steps from (1, 1). */
function steps(name: OptimizerName, h: Hyper, n: number): [number, number][] {
  const s = initState(name, 2);
  const p = new Float64Array([1, 1]);
  const g = new Float64Array(2);
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    grad(p[0]!, p[1]!, g);
    step(s, p, g, h);
    out.push([p[0]!, p[1]!]);
  }
  return out;
}

function expectPoints(actual: [number, number][], expected: [number, number][], tol = 1e-12) {
  expect(actual.length).toBe(expected.length);
  actual.forEach(([x, y], i) => {
    expect(Math.abs(x - expected[i]![0])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i]![0])));
    expect(Math.abs(y - expected[i]![1])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i]![1])));
  });
}

describe('optimizer steps by hand on x² + 10y² from (1, 1)', () => {
  it('GD, η = 0.1: θ ← θ − η g', () => {
    // g = (2, 20) → (0.8, −1); g = (1.6, −20) → (0.64, 1); g = (1.28, 20) → (0.512, −1)
    expectPoints(steps('gd', { lr: 0.1 }, 3), [
      [0.8, -1],
      [0.64, 1],
      [0.512, -1],
    ]);
  });

  it('momentum (PyTorch SGD), η = 0.01, μ = 0.9: b ← μb + g, θ ← θ − ηb', () => {
    // t=1: b = g = (2, 20); θ = (1 − 0.02, 1 − 0.2) = (0.98, 0.8)
    // t=2: g = (1.96, 16); b = (0.9·2 + 1.96, 0.9·20 + 16) = (3.76, 34); θ = (0.98 − 0.0376, 0.8 − 0.34) = (0.9424, 0.46)
    // t=3: g = (1.8848, 9.2); b = (3.384 + 1.8848, 30.6 + 9.2) = (5.2688, 39.8); θ = (0.9424 − 0.052688, 0.46 − 0.398) = (0.889712, 0.062)
    expectPoints(steps('momentum', { lr: 0.01, momentum: 0.9 }, 3), [
      [0.98, 0.8],
      [0.9424, 0.46],
      [0.889712, 0.062],
    ]);
  });

  it('Nesterov (PyTorch SGD nesterov=True), η = 0.01, μ = 0.9: θ ← θ − η(g + μb)', () => {
    // t=1: b = (2, 20); d = g + 0.9b = (3.8, 38); θ = (0.962, 0.62)
    // t=2: g = (1.924, 12.4); b = (1.8 + 1.924, 18 + 12.4) = (3.724, 30.4); d = (1.924 + 3.3516, 12.4 + 27.36) = (5.2756, 39.76);
    //      θ = (0.962 − 0.052756, 0.62 − 0.3976) = (0.909244, 0.2224)
    // t=3: g = (1.818488, 4.448); b = (3.3516 + 1.818488, 27.36 + 4.448) = (5.170088, 31.808);
    //      d = (1.818488 + 4.6530792, 4.448 + 28.6272) = (6.4715672, 33.0752); θ = (0.909244 − 0.064715672, 0.2224 − 0.330752) = (0.844528328, −0.108352)
    expectPoints(steps('nesterov', { lr: 0.01, momentum: 0.9 }, 3), [
      [0.962, 0.62],
      [0.909244, 0.2224],
      [0.844528328, -0.108352],
    ]);
  });

  it('AdaGrad, η = 0.1, ε = 1e−10: s ← s + g², θ ← θ − ηg/(√s + ε)', () => {
    // t=1: s = (4, 400); θ = 1 − 0.2/(2 + 1e−10), 1 − 2/(20 + 1e−10) ≈ (0.9, 0.9)
    // t=2: g = (1.8, 18); s = (7.24, 724); θ = 0.9 − 0.18/√7.24, 0.9 − 1.8/√724
    const x1 = 1 - 0.2 / (2 + 1e-10);
    const y1 = 1 - 2 / (20 + 1e-10);
    const x2 = x1 - (0.1 * 2 * x1) / (Math.sqrt(4 + 4 * x1 * x1) + 1e-10);
    const y2 = y1 - (0.1 * 20 * y1) / (Math.sqrt(400 + 400 * y1 * y1) + 1e-10);
    expectPoints(steps('adagrad', { lr: 0.1 }, 2), [
      [x1, y1],
      [x2, y2],
    ]);
    expect(x1).toBeCloseTo(0.9, 9);
    expect(x2).toBeCloseTo(0.9 - 0.18 / Math.sqrt(7.24), 9);
  });

  it('RMSProp, η = 0.01, α = 0.99, ε = 1e−8: s ← αs + (1 − α)g², θ ← θ − ηg/(√s + ε)', () => {
    // t=1: s = 0.01·(4, 400) = (0.04, 4); θ = (1 − 0.02/(0.2 + 1e−8), 1 − 0.2/(2 + 1e−8)) ≈ (0.9, 0.9)
    // t=2: g ≈ (1.8, 18); s ≈ (0.0396 + 0.0324, 3.96 + 3.24) = (0.072, 7.2); θ ≈ 0.9 − 0.018/√0.072 = 0.832918…
    const x1 = 1 - 0.02 / (0.2 + 1e-8);
    const y1 = 1 - 0.2 / (2 + 1e-8);
    const sx = 0.99 * 0.04 + 0.01 * (2 * x1) ** 2;
    const sy = 0.99 * 4 + 0.01 * (20 * y1) ** 2;
    const x2 = x1 - (0.01 * 2 * x1) / (Math.sqrt(sx) + 1e-8);
    const y2 = y1 - (0.01 * 20 * y1) / (Math.sqrt(sy) + 1e-8);
    expectPoints(steps('rmsprop', { lr: 0.01 }, 2), [
      [x1, y1],
      [x2, y2],
    ]);
    expect(x2).toBeCloseTo(0.9 - 0.018 / Math.sqrt(0.072), 7);
  });

  it('Adam, η = 0.1, β = (0.9, 0.999), ε = 1e−8, with bias correction', () => {
    // t=1: m = 0.1g, v = 0.001g², m̂ = g, v̂ = g²: θ = θ − η g/(|g| + ε) ≈ (0.9, 0.9)
    // t=2: g ≈ (1.8, 18): m_x = 0.9·0.2 + 0.1·1.8 = 0.36; v_x = 0.999·0.004 + 0.001·3.24 = 0.007236;
    //      m̂ = 0.36/0.19, v̂ = 0.007236/0.001999; θ_x = 0.9 − 0.1·m̂/(√v̂ + ε) = 0.80041…
    const adam = (g0: number, p0: number) => {
      const m1 = 0.1 * g0;
      const v1 = 0.001 * g0 * g0;
      const p1 = p0 - (0.1 * (m1 / 0.1)) / (Math.sqrt(v1 / 0.001) + 1e-8);
      return { m1, v1, p1 };
    };
    const ax = adam(2, 1);
    const ay = adam(20, 1);
    const g2x = 2 * ax.p1;
    const g2y = 20 * ay.p1;
    const m2x = 0.9 * ax.m1 + 0.1 * g2x;
    const v2x = 0.999 * ax.v1 + 0.001 * g2x * g2x;
    const m2y = 0.9 * ay.m1 + 0.1 * g2y;
    const v2y = 0.999 * ay.v1 + 0.001 * g2y * g2y;
    const bc1 = 1 - 0.81;
    const bc2 = 1 - 0.999 * 0.999;
    const x2 = ax.p1 - (0.1 * (m2x / bc1)) / (Math.sqrt(v2x / bc2) + 1e-8);
    const y2 = ay.p1 - (0.1 * (m2y / bc1)) / (Math.sqrt(v2y / bc2) + 1e-8);
    expectPoints(steps('adam', { lr: 0.1 }, 2), [
      [ax.p1, ay.p1],
      [x2, y2],
    ]);
    expect(x2).toBeCloseTo(0.9 - (0.1 * (0.36 / 0.19)) / Math.sqrt(0.007236 / 0.001999), 6);
  });
});

describe('runOptimizers', () => {
  const h: Hyper = { lr: 0.05 };

  it('returns all six, starting at the start point, with losses', () => {
    const runs = runOptimizers(grad, f, [1, 1], h, 50);
    expect(runs.map((r) => r.name)).toEqual([...OPTIMIZER_NAMES]);
    for (const r of runs) {
      expect(r.points.length).toBe(2 * 51);
      expect(r.losses.length).toBe(51);
      expect([r.points[0], r.points[1]]).toEqual([1, 1]);
      expect(r.losses[0]).toBe(11);
      expect(r.diverged).toBeUndefined();
      expect(r.losses[50]!).toBeLessThan(11);
      for (let i = 0; i <= 50; i++) expect(r.losses[i]).toBe(f(r.points[2 * i]!, r.points[2 * i + 1]!));
    }
  });

  it('detects divergence (η too large for the curvature 20) at the step it happens, keeping the points before', () => {
    // GD with η = 0.2 on 10y²: y ← (1 − 4)y = −3y: |y| = 3^t passes 10⁶ at t = 13 (3¹³ ≈ 1.6e6); the loss 10y² passes 1.1e7 earlier.
    const r = runOne('gd', grad, f, [1, 1], { lr: 0.2 }, 500);
    expect(r.diverged).toBeDefined();
    // loss at t: x = 0.6^t, y = (−3)^t: 10·9^t > 11e6 first at t = 7 (10·9⁷ = 4.8e7; 10·9⁶ = 5.3e6).
    expect(r.diverged!.step).toBe(7);
    expect(r.diverged!.reason).toMatch(/Diverged at step 7.*learning rate/);
    expect(r.steps).toBe(6);
    expect(r.points.length).toBe(14);
  });

  it('reports non-finite values and unbounded-below objectives plainly', () => {
    const saddle: F2 = (x, y) => x * x - y * y;
    const sg: Grad2 = (x, y, out) => {
      out[0] = 2 * x;
      out[1] = -2 * y;
    };
    const r = runOne('gd', sg, saddle, [1, 0.1], { lr: 0.1 }, 1000);
    expect(r.diverged?.reason).toMatch(/unbounded below/);
    const nan: Grad2 = (_x, _y, out) => {
      out[0] = NaN;
      out[1] = 0;
    };
    const r2 = runOne('adam', nan, f, [1, 1], { lr: 0.1 }, 10);
    expect(r2.diverged?.step).toBe(1);
    expect(r2.diverged?.reason).toMatch(/gradient is not finite/);
    expect(r2.points.length).toBe(2);
    const log: F2 = (x) => Math.log(x);
    const lg: Grad2 = (x, _y, out) => {
      out[0] = 1 / x;
      out[1] = 0;
    };
    const r3 = runOne('gd', lg, log, [0.5, 0], { lr: 1 }, 10);
    expect(r3.diverged?.reason).toMatch(/not defined/);
  });

  it('handles 0 steps and odd step counts without throwing', () => {
    expect(runOne('adam', grad, f, [1, 1], h, 0).points.length).toBe(2);
    expect(runOne('adam', grad, f, [1, 1], h, NaN).points.length).toBe(2);
    expect(runOne('adam', grad, f, [1, 1], h, 2.7).points.length).toBe(6);
    const throwing: F2 = () => {
      throw new Error('boom');
    };
    expect(runOne('gd', grad, throwing, [1, 1], h, 3).diverged?.reason).toMatch(/boom/);
  });

  it('per-optimizer learning rates override the shared one', () => {
    const a = runOne('gd', grad, f, [1, 1], { lr: 0.01, lrs: { gd: 0.1 } }, 1);
    expect([a.points[2], a.points[3]]).toEqual([0.8, -1]);
  });

  it('has the update equations for each', () => {
    for (const n of OPTIMIZER_NAMES) expect(UPDATE_LATEX[n]).toMatch(/\\theta_t/);
    expect(UPDATE_LATEX.adam).toMatch(/1 - \\beta_1\^t/);
  });
});
