/**
 * The six optimizers of the gradient-descent playground, as pure step
 * functions over a flat state, with PyTorch's conventions throughout
 * (torch.optim, weight decay 0, dampening 0, maximize off), checked against
 * PyTorch itself (test/fixtures/optim/torch-optim.json):
 *
 *   GD        θ ← θ − η g                                        (torch.optim.SGD, momentum 0)
 *   momentum  b ← μ b + g  (b₁ = g);  θ ← θ − η b                 (SGD momentum=μ: the buffer is NOT scaled by η,
 *                                                                 unlike the "v ← μv − η∇; x ← x + v" heavy ball;
 *                                                                 the two agree for a constant η)
 *   Nesterov  b ← μ b + g;  θ ← θ − η (g + μ b)                   (SGD nesterov=True)
 *   AdaGrad   s ← s + g²;  θ ← θ − η g / (√s + ε),  ε = 1e−10     (Adagrad, lr_decay 0, initial accumulator 0)
 *   RMSProp   s ← α s + (1 − α) g²;  θ ← θ − η g / (√s + ε),  α = 0.99, ε = 1e−8   (RMSprop, not centered, momentum 0)
 *   Adam      m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;
 *             θ ← θ − (η / (1 − β₁ᵗ)) m / (√v / √(1 − β₂ᵗ) + ε),  β = (0.9, 0.999), ε = 1e−8   (Adam, amsgrad off)
 *
 * Each update is written with PyTorch's floating-point operation order
 * (`addcmul`/`addcdiv` compute `self + value·t1·t2` and `self + value·t1/t2`
 * left to right), so the trajectories agree with PyTorch's to rounding.
 *
 * Divergence: a run stops at the first step where a coordinate or the loss is
 * not finite, a coordinate leaves |θᵢ| ≤ 10⁶ · max(1, ‖θ₀‖∞), or the loss leaves
 * |f| ≤ 10⁶ · max(1, |f(θ₀)|) (above: blowing up; below: f is unbounded below,
 * as on a saddle); the point that broke the bound is not kept.
 */
import type { OptimizerName } from './types';

export type { OptimizerName } from './types';

export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['gd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];

/** ∇f at (x, y), written into out[0], out[1]. */
export type Grad2 = (x: number, y: number, out: Float64Array) => void;
export type F2 = (x: number, y: number) => number;

export interface Hyper {
  /** Learning rate η (shared by every optimizer unless `lrs` overrides it). */
  lr: number;
  /** Per-optimizer learning rates. */
  lrs?: Partial<Record<OptimizerName, number>>;
  /** μ for momentum and Nesterov (PyTorch SGD's `momentum`), default 0.9. */
  momentum?: number;
  /** Adam's β₁, default 0.9. */
  beta1?: number;
  /** Adam's β₂, default 0.999. */
  beta2?: number;
  /** RMSProp's α (PyTorch's `alpha`), default 0.99. */
  alpha?: number;
  /** ε of AdaGrad (default 1e-10), RMSProp and Adam (default 1e-8). */
  eps?: Partial<Record<'adagrad' | 'rmsprop' | 'adam', number>>;
}

export const DEFAULTS = { momentum: 0.9, beta1: 0.9, beta2: 0.999, alpha: 0.99, eps: { adagrad: 1e-10, rmsprop: 1e-8, adam: 1e-8 } } as const;

/** The state of one optimizer on n parameters: PyTorch's buffers, zero-initialised. */
export interface OptState {
  name: OptimizerName;
  /** Steps taken (t). */
  t: number;
  /** First buffer: SGD's momentum_buffer, AdaGrad's sum, RMSProp's square_avg, Adam's exp_avg. */
  a: Float64Array;
  /** Second buffer: Adam's exp_avg_sq. */
  b: Float64Array;
}

export function initState(name: OptimizerName, n: number): OptState {
  return { name, t: 0, a: new Float64Array(n), b: new Float64Array(n) };
}

/**
 * One in-place step of `name` on the parameters `p` with gradient `g`
 * (PyTorch's `optimizer.step()` after `backward()`).
 */
export function step(s: OptState, p: Float64Array, g: ArrayLike<number>, h: Hyper): void {
  const lr = h.lrs?.[s.name] ?? h.lr;
  const n = p.length;
  s.t++;
  switch (s.name) {
    case 'gd':
      for (let i = 0; i < n; i++) p[i] = p[i]! + -lr * g[i]!;
      return;
    case 'momentum':
    case 'nesterov': {
      const mu = h.momentum ?? DEFAULTS.momentum;
      const buf = s.a;
      for (let i = 0; i < n; i++) {
        const gi = g[i]!;
        // torch: buf = clone(g) at the first step, then buf.mul_(μ).add_(g).
        buf[i] = s.t === 1 ? gi : buf[i]! * mu + gi;
        const d = s.name === 'nesterov' ? gi + mu * buf[i]! : buf[i]!;
        p[i] = p[i]! + -lr * d;
      }
      return;
    }
    case 'adagrad': {
      const eps = h.eps?.adagrad ?? DEFAULTS.eps.adagrad;
      const sum = s.a;
      for (let i = 0; i < n; i++) {
        const gi = g[i]!;
        sum[i] = sum[i]! + gi * gi;
        const std = Math.sqrt(sum[i]!) + eps;
        p[i] = p[i]! + (-lr * gi) / std;
      }
      return;
    }
    case 'rmsprop': {
      const alpha = h.alpha ?? DEFAULTS.alpha;
      const eps = h.eps?.rmsprop ?? DEFAULTS.eps.rmsprop;
      const sq = s.a;
      const c = 1 - alpha;
      for (let i = 0; i < n; i++) {
        const gi = g[i]!;
        sq[i] = sq[i]! * alpha + c * gi * gi;
        const avg = Math.sqrt(sq[i]!) + eps;
        p[i] = p[i]! + (-lr * gi) / avg;
      }
      return;
    }
    case 'adam': {
      const b1 = h.beta1 ?? DEFAULTS.beta1;
      const b2 = h.beta2 ?? DEFAULTS.beta2;
      const eps = h.eps?.adam ?? DEFAULTS.eps.adam;
      const m = s.a;
      const v = s.b;
      const bc1 = 1 - Math.pow(b1, s.t);
      const bc2 = 1 - Math.pow(b2, s.t);
      const stepSize = lr / bc1;
      const bc2Sqrt = Math.sqrt(bc2);
      const c1 = 1 - b1;
      const c2 = 1 - b2;
      for (let i = 0; i < n; i++) {
        const gi = g[i]!;
        m[i] = m[i]! * b1 + c1 * gi;
        v[i] = v[i]! * b2 + c2 * gi * gi;
        const denom = Math.sqrt(v[i]!) / bc2Sqrt + eps;
        p[i] = p[i]! + (-stepSize * m[i]!) / denom;
      }
      return;
    }
  }
}

/** The update equations, for KaTeX (g_t = ∇f(θ_{t−1})). */
export const UPDATE_LATEX: Record<OptimizerName, string> = {
  gd: '\\theta_t = \\theta_{t-1} - \\eta\\, g_t',
  momentum: '\\begin{aligned} b_t &= \\mu\\, b_{t-1} + g_t \\quad (b_1 = g_1) \\\\ \\theta_t &= \\theta_{t-1} - \\eta\\, b_t \\end{aligned}',
  nesterov:
    '\\begin{aligned} b_t &= \\mu\\, b_{t-1} + g_t \\quad (b_1 = g_1) \\\\ \\theta_t &= \\theta_{t-1} - \\eta\\,(g_t + \\mu\\, b_t) \\end{aligned}',
  adagrad: '\\begin{aligned} s_t &= s_{t-1} + g_t^2 \\\\ \\theta_t &= \\theta_{t-1} - \\frac{\\eta\\, g_t}{\\sqrt{s_t} + \\epsilon} \\end{aligned}',
  rmsprop:
    '\\begin{aligned} s_t &= \\alpha\\, s_{t-1} + (1 - \\alpha)\\, g_t^2 \\\\ \\theta_t &= \\theta_{t-1} - \\frac{\\eta\\, g_t}{\\sqrt{s_t} + \\epsilon} \\end{aligned}',
  adam:
    '\\begin{aligned} m_t &= \\beta_1 m_{t-1} + (1 - \\beta_1)\\, g_t \\\\ v_t &= \\beta_2 v_{t-1} + (1 - \\beta_2)\\, g_t^2 \\\\ \\hat m_t &= \\frac{m_t}{1 - \\beta_1^t},\\quad \\hat v_t = \\frac{v_t}{1 - \\beta_2^t} \\\\ \\theta_t &= \\theta_{t-1} - \\frac{\\eta\\, \\hat m_t}{\\sqrt{\\hat v_t} + \\epsilon} \\end{aligned}',
};

export const LABELS: Record<OptimizerName, string> = {
  gd: 'Gradient descent',
  momentum: 'Momentum',
  nesterov: 'Nesterov',
  adagrad: 'AdaGrad',
  rmsprop: 'RMSProp',
  adam: 'Adam',
};

/** The settings each update uses, for the legend: "η = 0.001, μ = 0.9". */
export function settingsLatex(name: OptimizerName, h: Hyper): string {
  const lr = h.lrs?.[name] ?? h.lr;
  const parts = [`\\eta = ${fmt(lr)}`];
  if (name === 'momentum' || name === 'nesterov') parts.push(`\\mu = ${fmt(h.momentum ?? DEFAULTS.momentum)}`);
  if (name === 'adagrad') parts.push(`\\epsilon = ${fmt(h.eps?.adagrad ?? DEFAULTS.eps.adagrad)}`);
  if (name === 'rmsprop') parts.push(`\\alpha = ${fmt(h.alpha ?? DEFAULTS.alpha)}`, `\\epsilon = ${fmt(h.eps?.rmsprop ?? DEFAULTS.eps.rmsprop)}`);
  if (name === 'adam') {
    parts.push(`\\beta_1 = ${fmt(h.beta1 ?? DEFAULTS.beta1)}`, `\\beta_2 = ${fmt(h.beta2 ?? DEFAULTS.beta2)}`, `\\epsilon = ${fmt(h.eps?.adam ?? DEFAULTS.eps.adam)}`);
  }
  return parts.join(',\\; ');
}

function fmt(v: number): string {
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) {
    const [m, e] = v.toExponential().split('e');
    return `${m === '1' ? '' : `${m} \\times `}10^{${Number(e)}}`;
  }
  return String(v);
}

export interface Run {
  name: OptimizerName;
  /** x0, y0, x1, y1, … : the start and every step kept (steps + 1 points, fewer after a divergence). */
  points: Float64Array;
  /** f at each kept point. */
  losses: Float64Array;
  /** Steps kept (points.length / 2 − 1). */
  steps: number;
  diverged?: { step: number; reason: string };
}

export interface RunOptions {
  /** Which optimizers to run (default: all six, in OPTIMIZER_NAMES order). */
  enabled?: readonly OptimizerName[];
  /** Divergence bound factor (default 1e6). */
  bound?: number;
}

/**
 * Run each optimizer for `steps` steps from `start` on f with gradient `grad`.
 * Never throws: an exception from f or grad (there should be none) ends that
 * run as a divergence.
 */
export function runOptimizers(grad: Grad2, f: F2, start: readonly [number, number], h: Hyper, steps: number, options: RunOptions = {}): Run[] {
  const names = options.enabled ?? OPTIMIZER_NAMES;
  return names.map((name) => runOne(name, grad, f, start, h, steps, options.bound ?? 1e6));
}

export function runOne(name: OptimizerName, grad: Grad2, f: F2, start: readonly [number, number], h: Hyper, steps: number, boundFactor = 1e6): Run {
  const nSteps = Math.max(0, Math.floor(Number.isFinite(steps) ? steps : 0));
  const points = new Float64Array(2 * (nSteps + 1));
  const losses = new Float64Array(nSteps + 1);
  const p = new Float64Array([start[0], start[1]]);
  const g = new Float64Array(2);
  const s = initState(name, 2);
  let kept = 0;
  let diverged: Run['diverged'];
  const stop = (stepIndex: number, reason: string) => {
    diverged = { step: stepIndex, reason };
  };
  try {
    const f0 = f(p[0]!, p[1]!);
    points[0] = p[0]!;
    points[1] = p[1]!;
    losses[0] = f0;
    if (!Number.isFinite(p[0]!) || !Number.isFinite(p[1]!)) stop(0, 'The start point is not finite.');
    else if (!Number.isFinite(f0)) stop(0, `f is not finite at the start point (${f0}).`);
    const xBound = boundFactor * Math.max(1, Math.abs(p[0]!), Math.abs(p[1]!));
    const fBound = boundFactor * Math.max(1, Math.abs(f0));
    for (let t = 1; t <= nSteps && !diverged; t++) {
      grad(p[0]!, p[1]!, g);
      if (!Number.isFinite(g[0]!) || !Number.isFinite(g[1]!)) {
        stop(t, `The gradient is not finite at step ${t - 1}'s point, so step ${t} cannot be taken.`);
        break;
      }
      step(s, p, g, h);
      const x = p[0]!;
      const y = p[1]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        stop(t, `Diverged at step ${t}: the parameters overflowed.`);
        break;
      }
      if (Math.abs(x) > xBound || Math.abs(y) > xBound) {
        stop(t, `Diverged at step ${t}: the parameters left |θ| ≤ ${xBound.toExponential(0)} (10⁶ × the start's scale); the learning rate is probably too large.`);
        break;
      }
      const loss = f(x, y);
      if (Number.isNaN(loss)) {
        stop(t, `Stopped at step ${t}: f is not defined at (${short(x)}, ${short(y)}).`);
        break;
      }
      if (loss > fBound || loss === Infinity) {
        stop(t, `Diverged at step ${t}: the loss grew past ${fBound.toExponential(0)} (10⁶ × its start); the learning rate is probably too large.`);
        break;
      }
      if (loss < -fBound) {
        stop(t, `Stopped at step ${t}: the loss fell below −${fBound.toExponential(0)}; f is unbounded below along this path (a saddle or a falling direction), so there is no minimum to reach.`);
        break;
      }
      kept = t;
      points[2 * t] = x;
      points[2 * t + 1] = y;
      losses[t] = loss;
    }
  } catch (err) {
    stop(kept + 1, `Stopped at step ${kept + 1}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const run: Run = { name, points: points.slice(0, 2 * (kept + 1)), losses: losses.slice(0, kept + 1), steps: kept };
  if (diverged) run.diverged = diverged;
  return run;
}

function short(v: number): string {
  return Number(v.toPrecision(4)).toString();
}
