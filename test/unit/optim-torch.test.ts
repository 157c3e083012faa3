// The optimizers against torch.optim itself: test/fixtures/optim/torch-optim.json was written by
// test/fixtures/optim/generate.py (Debian's python3-torch, float64) — 20 steps of SGD (plain,
// momentum, nesterov), Adagrad, RMSprop and Adam on Rosenbrock and a quadratic, with the gradient set
// by hand from the same closed form as here, so only the update rules are compared.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type F2, type Grad2, type Hyper, type OptimizerName, runOne } from '../../core/explore/optim';
import { objective2d } from '../../core/explore/playground';

interface Case {
  function: 'rosenbrock' | 'quadratic';
  start: [number, number];
  optimizer: OptimizerName;
  hyper: { lr: number; momentum?: number; alpha?: number; beta1?: number; beta2?: number };
  points: [number, number][];
  losses: number[];
}

const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'optim', 'torch-optim.json'), 'utf8')) as { steps: number; cases: Case[] };

// Written with the same floating-point operations as generate.py.
const FUNCTIONS: Record<Case['function'], { f: F2; grad: Grad2 }> = {
  rosenbrock: {
    f: (x, y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x),
    grad: (x, y, out) => {
      out[0] = -2 * (1 - x) - 400 * x * (y - x * x);
      out[1] = 200 * (y - x * x);
    },
  },
  quadratic: {
    f: (x, y) => x * x + 10 * y * y,
    grad: (x, y, out) => {
      out[0] = 2 * x;
      out[1] = 20 * y;
    },
  },
};

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('agreement with torch.optim (20 steps, float64)', () => {
  it('has the twelve cases', () => {
    expect(fixture.cases.length).toBe(12);
    expect(new Set(fixture.cases.map((c) => c.optimizer)).size).toBe(6);
  });

  for (const c of fixture.cases) {
    it(`${c.optimizer} on ${c.function} ${JSON.stringify(c.hyper)} agrees to 1e-12 relative`, () => {
      const { f, grad } = FUNCTIONS[c.function];
      const h: Hyper = { lr: c.hyper.lr };
      if (c.hyper.momentum !== undefined) h.momentum = c.hyper.momentum;
      if (c.hyper.alpha !== undefined) h.alpha = c.hyper.alpha;
      if (c.hyper.beta1 !== undefined) h.beta1 = c.hyper.beta1;
      if (c.hyper.beta2 !== undefined) h.beta2 = c.hyper.beta2;
      const run = runOne(c.optimizer, grad, f, c.start, h, fixture.steps);
      expect(run.diverged).toBeUndefined();
      expect(run.steps).toBe(fixture.steps);
      let worst = 0;
      c.points.forEach(([x, y], t) => {
        worst = Math.max(worst, rel(run.points[2 * t]!, x), rel(run.points[2 * t + 1]!, y));
      });
      expect(worst).toBeLessThanOrEqual(1e-12);
    });
  }

  it('with the symbolic gradient of the Rosenbrock preset, the trajectories still agree closely (1e-9)', () => {
    const obj = objective2d({ preset: 'rosenbrock' });
    if (!obj.ok) throw new Error(obj.error.message);
    for (const c of fixture.cases.filter((k) => k.function === 'rosenbrock')) {
      const h: Hyper = { ...c.hyper };
      const run = runOne(c.optimizer, obj.grad, obj.f, c.start, h, fixture.steps);
      c.points.forEach(([x, y], t) => {
        expect(rel(run.points[2 * t]!, x)).toBeLessThanOrEqual(1e-9);
        expect(rel(run.points[2 * t + 1]!, y)).toBeLessThanOrEqual(1e-9);
      });
      c.losses.forEach((l, t) => expect(Math.abs(run.losses[t]! - l)).toBeLessThanOrEqual(1e-9 * Math.max(1, l)));
    }
  });
});
