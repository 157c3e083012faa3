/**
 * Hand-made payloads for the side view's tests, typed with the protocol (so
 * tsc checks that they conform). Bundled for node by run-side.mjs. The
 * numbers stand in for what the host computes (core/stats, core/optim); the
 * webview computes none of them.
 */
import type { BayesData, DistributionData, ExtensionToSide, GalleryItem, HistoryEntry, OptimizeData, OptimizerName, OptimizerSettings, PlotData, PlotSamples, Segment, StatisticsData, Trajectory } from '../../../core/protocol';

type Msg<T extends ExtensionToSide['type']> = Extract<ExtensionToSide, { type: T }>;

function sample(f: (x: number) => number, a: number, b: number, n: number): Segment {
  const seg: number[] = [];
  for (let k = 0; k <= n; k++) {
    const x = a + ((b - a) * k) / n;
    seg.push(x, f(x));
  }
  return seg;
}

/** Samples of f on [xmin, xmax], broken at the listed poles (ε either side), as the host does. */
function samplesOf(fs: { f: (x: number) => number; df: (x: number) => number; d2f?: (x: number) => number }, xmin: number, xmax: number, poles: number[], yRange: [number, number]): PlotSamples {
  const cuts = [xmin, ...poles.filter((p) => p > xmin && p < xmax), xmax];
  const eps = 0.02;
  const pieces = (g: (x: number) => number) => {
    const out: Segment[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const a = cuts[i]! + (i > 0 ? eps : 0);
      const b = cuts[i + 1]! - (i + 2 < cuts.length ? eps : 0);
      out.push(sample(g, a, b, 300));
    }
    return out;
  };
  return {
    xmin,
    xmax,
    f: pieces(fs.f),
    df: pieces(fs.df),
    ...(fs.d2f ? { d2f: pieces(fs.d2f) } : {}),
    asymptotes: poles.filter((p) => p > xmin && p < xmax),
    kinks: [],
    yRange,
  };
}

const RECIP = { f: (x: number) => 1 / x, df: (x: number) => -1 / x ** 2, d2f: (x: number) => 2 / x ** 3 };

export function recipSamples(xmin: number, xmax: number): PlotSamples {
  return samplesOf(RECIP, xmin, xmax, [0], [-5, 5]);
}

/** f(x) = 1/x on [−5, 5]: a pole at 0, the segments broken there. */
export function plotRecip(): Msg<'plot'> {
  const data: PlotData = {
    source: { text: '1/x', uri: 'file:///work/example.py', start: { line: 2, character: 0 } },
    variable: 'x',
    latex: { f: '\\frac{1}{x}', df: '-\\frac{1}{x^{2}}', d2f: '\\frac{2}{x^{3}}' },
    samples: recipSamples(-5, 5),
    point: { x: 1, f: 1, df: -1, d2f: 2 },
    notes: ['Pole at x = 0: the curve is not connected across it.'],
  };
  return { type: 'plot', data };
}

/** The same plot with f as ONE segment across the pole (what a broken host would send): the negative control. */
export function plotRecipJoined(): Msg<'plot'> {
  const msg = plotRecip();
  const left = msg.data.samples.f[0]!;
  const right = msg.data.samples.f[1]!;
  msg.data.samples.f = [[...left, ...right]];
  msg.data.samples.asymptotes = [];
  msg.data.source = { text: '1/x (joined)' };
  return msg;
}

export function pointValues(x: number, requestId: number): Msg<'pointValues'> {
  return { type: 'pointValues', point: { x, f: RECIP.f(x), df: RECIP.df(x), d2f: RECIP.d2f(x) }, requestId };
}

/** A horizontal line at y (to see that a samples reply was drawn). */
export function flatSamples(xmin: number, xmax: number, y: number, requestId: number): Msg<'plotSamples'> {
  return { type: 'plotSamples', samples: { xmin, xmax, f: [sample(() => y, xmin, xmax, 10)], df: [], asymptotes: [], kinks: [], yRange: [-5, 5] }, requestId };
}

// ---------------------------------------------------------------- gallery

const sig = (x: number) => 1 / (1 + Math.exp(-x));
const erf = (x: number) => {
  // Abramowitz–Stegun 7.1.26 (test data only).
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
};
const phi = (x: number) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
const ACTIVATIONS: { name: string; f: (x: number) => number; df: (x: number) => number; lf: string; ldf: string; saturates: { from: number; to: number }[]; note?: string }[] = [
  { name: 'sigmoid', f: sig, df: (x) => sig(x) * (1 - sig(x)), lf: '\\sigma(x) = \\frac{1}{1 + e^{-x}}', ldf: '\\sigma(x)\\,(1 - \\sigma(x))', saturates: [{ from: -Infinity, to: -4.6 }, { from: 4.6, to: Infinity }] },
  { name: 'tanh', f: Math.tanh, df: (x) => 1 - Math.tanh(x) ** 2, lf: '\\tanh x', ldf: '1 - \\tanh^{2} x', saturates: [{ from: -Infinity, to: -3 }, { from: 3, to: Infinity }] },
  { name: 'ReLU', f: (x) => Math.max(0, x), df: (x) => (x > 0 ? 1 : 0), lf: '\\max(0, x)', ldf: '[x > 0]', saturates: [{ from: -Infinity, to: 0 }], note: 'Not differentiable at 0 (PyTorch uses 0).' },
  { name: 'leaky ReLU', f: (x) => (x > 0 ? x : 0.01 * x), df: (x) => (x > 0 ? 1 : 0.01), lf: '\\max(0.01x, x)', ldf: '1 \\text{ or } 0.01', saturates: [] },
  { name: 'ELU', f: (x) => (x > 0 ? x : Math.exp(x) - 1), df: (x) => (x > 0 ? 1 : Math.exp(x)), lf: 'x \\text{ or } e^{x} - 1', ldf: '1 \\text{ or } e^{x}', saturates: [{ from: -Infinity, to: -4.6 }] },
  { name: 'GELU', f: (x) => x * 0.5 * (1 + erf(x / Math.SQRT2)), df: (x) => 0.5 * (1 + erf(x / Math.SQRT2)) + x * phi(x), lf: 'x\\,\\Phi(x)', ldf: '\\Phi(x) + x\\,\\varphi(x)', saturates: [{ from: -Infinity, to: -3.4 }] },
  { name: 'softplus', f: (x) => Math.log1p(Math.exp(x)), df: sig, lf: '\\ln(1 + e^{x})', ldf: '\\sigma(x)', saturates: [{ from: -Infinity, to: -4.6 }] },
  { name: 'SiLU', f: (x) => x * sig(x), df: (x) => sig(x) * (1 + x * (1 - sig(x))), lf: 'x\\,\\sigma(x)', ldf: '\\sigma(x)(1 + x(1 - \\sigma(x)))', saturates: [{ from: -Infinity, to: -7 }] },
];

export function gallery(): Msg<'gallery'> {
  const items: GalleryItem[] = ACTIVATIONS.map((a) => ({
    name: a.name,
    latex: { f: a.lf, df: a.ldf },
    samples: { xmin: -6, xmax: 6, f: [sample(a.f, -6, 6, 200)], df: [sample(a.df, -6, 6, 200)], asymptotes: [], kinks: a.name.includes('ReLU') ? [0] : [], yRange: [-1.2, 6] },
    saturates: a.saturates.map((s) => ({ from: s.from === -Infinity ? -6 : s.from, to: s.to === Infinity ? 6 : s.to })),
    ...(a.note ? { note: a.note } : {}),
  }));
  return { type: 'gallery', items };
}

// ---------------------------------------------------------------- playground

/** f(x, y) = x² + 10 y² (an elongated bowl) on [−3, 3] × [−2, 2]. */
const F = (x: number, y: number) => x * x + 10 * y * y;
const G = (x: number, y: number): [number, number] => [2 * x, 20 * y];
const LABELS: Record<OptimizerName, string> = { gd: 'GD', momentum: 'Momentum', nesterov: 'Nesterov', adagrad: 'AdaGrad', rmsprop: 'RMSProp', adam: 'Adam' };
const LATEX: Record<OptimizerName, string> = {
  gd: '\\theta_{t+1} = \\theta_t - \\eta \\nabla f(\\theta_t)',
  momentum: 'v_{t+1} = \\mu v_t - \\eta \\nabla f(\\theta_t),\\quad \\theta_{t+1} = \\theta_t + v_{t+1}',
  nesterov: 'v_{t+1} = \\mu v_t - \\eta \\nabla f(\\theta_t + \\mu v_t),\\quad \\theta_{t+1} = \\theta_t + v_{t+1}',
  adagrad: 'G_{t+1} = G_t + g_t^{2},\\quad \\theta_{t+1} = \\theta_t - \\frac{\\eta}{\\sqrt{G_{t+1}} + \\epsilon} g_t',
  rmsprop: 's_{t+1} = \\beta_2 s_t + (1 - \\beta_2) g_t^{2},\\quad \\theta_{t+1} = \\theta_t - \\frac{\\eta}{\\sqrt{s_{t+1}} + \\epsilon} g_t',
  adam: '\\hat m_t = \\frac{m_t}{1 - \\beta_1^{t}},\\ \\hat v_t = \\frac{v_t}{1 - \\beta_2^{t}},\\quad \\theta_{t+1} = \\theta_t - \\frac{\\eta\\, \\hat m_t}{\\sqrt{\\hat v_t} + \\epsilon}',
};

/** The six optimisers on F (test data: stands in for core/optim). */
export function run(settings: OptimizerSettings, opts: { divergeGdAt?: number } = {}): Trajectory[] {
  const { lr, momentum: mu, beta1: b1, beta2: b2, steps, start } = settings;
  return settings.enabled.map((name) => {
    let [x, y] = start;
    let vx = 0, vy = 0, sx = 0, sy = 0, mx = 0, my = 0;
    const points = [x, y];
    const losses = [F(x, y)];
    let diverged: Trajectory['diverged'];
    for (let t = 1; t <= steps; t++) {
      let [gx, gy] = G(x, y);
      switch (name) {
        case 'gd':
          x -= lr * gx;
          y -= lr * gy;
          break;
        case 'momentum':
          vx = mu * vx - lr * gx;
          vy = mu * vy - lr * gy;
          x += vx;
          y += vy;
          break;
        case 'nesterov':
          [gx, gy] = G(x + mu * vx, y + mu * vy);
          vx = mu * vx - lr * gx;
          vy = mu * vy - lr * gy;
          x += vx;
          y += vy;
          break;
        case 'adagrad':
          sx += gx * gx;
          sy += gy * gy;
          x -= (lr * 20 * gx) / (Math.sqrt(sx) + 1e-8);
          y -= (lr * 20 * gy) / (Math.sqrt(sy) + 1e-8);
          break;
        case 'rmsprop':
          sx = b2 * sx + (1 - b2) * gx * gx;
          sy = b2 * sy + (1 - b2) * gy * gy;
          x -= (lr * gx) / (Math.sqrt(sx) + 1e-8);
          y -= (lr * gy) / (Math.sqrt(sy) + 1e-8);
          break;
        case 'adam': {
          mx = b1 * mx + (1 - b1) * gx;
          my = b1 * my + (1 - b1) * gy;
          sx = b2 * sx + (1 - b2) * gx * gx;
          sy = b2 * sy + (1 - b2) * gy * gy;
          const c1 = 1 - b1 ** t;
          const c2 = 1 - b2 ** t;
          x -= (lr * 5 * (mx / c1)) / (Math.sqrt(sx / c2) + 1e-8);
          y -= (lr * 5 * (my / c1)) / (Math.sqrt(sy / c2) + 1e-8);
          break;
        }
      }
      if (name === 'gd' && opts.divergeGdAt !== undefined) {
        // Blow up on purpose: each step doubles the distance.
        x = points[points.length - 2]! * -2.2;
        y = points[points.length - 1]! * -2.2;
      }
      if (!Number.isFinite(x) || !Number.isFinite(y) || F(x, y) > 1e10 || (opts.divergeGdAt !== undefined && name === 'gd' && t === opts.divergeGdAt)) {
        diverged = { step: t, reason: 'the loss grew past 10¹⁰ (the learning rate is too large for this curvature)' };
        break;
      }
      points.push(x, y);
      losses.push(F(x, y));
    }
    return { name, label: LABELS[name], latex: LATEX[name], points, losses, ...(diverged ? { diverged } : {}) };
  });
}

export const ALL: OptimizerName[] = ['gd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];

export function settings(patch: Partial<OptimizerSettings> = {}): OptimizerSettings {
  return { lr: 0.02, momentum: 0.9, beta1: 0.9, beta2: 0.999, steps: 500, start: [-2.5, 1.5], enabled: [...ALL], ...patch };
}

export function optimize(s: OptimizerSettings = settings()): Msg<'optimize'> {
  const box = { xmin: -3, xmax: 3, ymin: -2, ymax: 2 };
  const nx = 80;
  const ny = 60;
  const values: (number | null)[] = [];
  let min = Infinity;
  let max = -Infinity;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const v = F(box.xmin + ((box.xmax - box.xmin) * i) / (nx - 1), box.ymin + ((box.ymax - box.ymin) * j) / (ny - 1));
      values.push(v);
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  const contours = [0.25, 1, 2, 4, 8, 16, 32].map((level) => {
    const line: number[] = [];
    for (let k = 0; k <= 120; k++) {
      const t = (2 * Math.PI * k) / 120;
      line.push(Math.sqrt(level) * Math.cos(t), (Math.sqrt(level) / Math.sqrt(10)) * Math.sin(t));
    }
    return { level, lines: [line] };
  });
  const arrows: number[] = [];
  for (let i = 0; i < 12; i++) {
    for (let j = 0; j < 8; j++) {
      const x = -2.75 + i * 0.5;
      const y = -1.75 + j * 0.5;
      const [gx, gy] = G(x, y);
      const n = Math.hypot(gx, gy) || 1;
      arrows.push(x, y, (-0.3 * gx) / n, (-0.3 * gy) / n);
    }
  }
  const data: OptimizeData = {
    objective: { key: 'bowl', label: 'Elongated bowl', latex: 'x^{2} + 10 y^{2}', variables: ['x', 'y'], box, minimum: [0, 0] },
    presets: [
      { key: 'bowl', label: 'Elongated bowl' },
      { key: 'rosenbrock', label: 'Rosenbrock' },
      { key: 'saddle', label: 'Saddle' },
    ],
    grid: { nx, ny, values, min, max, log: true },
    contours,
    arrows,
    settings: s,
    trajectories: run(s),
    notes: ['Adam and AdaGrad use a larger step here so the picture shows them.'],
  };
  return { type: 'optimize', data };
}

export function trajectories(s: OptimizerSettings, requestId: number, opts: { divergeGdAt?: number } = {}): Msg<'trajectories'> {
  return { type: 'trajectories', trajectories: run(s, opts), settings: s, requestId };
}

// ---------------------------------------------------------------- statistics

function describe(name: string, xs: number[]): StatisticsData['columns'][number] {
  const sorted = [...xs].sort((a, b) => a - b);
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const q = (p: number) => sorted[Math.floor(p * (n - 1))]!;
  const lo = sorted[0]!;
  const hi = sorted[n - 1]!;
  const bins = 8;
  const edges = Array.from({ length: bins + 1 }, (_, k) => lo + ((hi - lo) * k) / bins);
  const counts = new Array<number>(bins).fill(0);
  for (const x of xs) counts[Math.min(bins - 1, Math.floor(((x - lo) / (hi - lo)) * bins))]!++;
  const q1 = q(0.25);
  const q3 = q(0.75);
  const iqr = q3 - q1;
  const inside = sorted.filter((x) => x >= q1 - 1.5 * iqr && x <= q3 + 1.5 * iqr);
  return {
    name,
    n,
    rows: [
      { label: 'mean', value: mean.toFixed(4), latex: '\\bar x = \\frac{1}{n}\\sum_i x_i' },
      { label: 'std', value: sd.toFixed(4), latex: 's = \\sqrt{\\frac{1}{n-1}\\sum_i (x_i - \\bar x)^2}' },
      { label: 'median', value: q(0.5).toFixed(4) },
      { label: 'min', value: lo.toFixed(4) },
      { label: 'max', value: hi.toFixed(4) },
    ],
    histogram: { edges, counts, normal: { mean, std: sd } },
    box: { q1, median: q(0.5), q3, whiskerLow: inside[0]!, whiskerHigh: inside[inside.length - 1]!, outliers: sorted.filter((x) => x < q1 - 1.5 * iqr || x > q3 + 1.5 * iqr) },
  };
}

export function statistics(): Msg<'statistics'> {
  // Deterministic pseudo-normal data (a sum of uniforms from a small LCG).
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const gauss = () => rnd() + rnd() + rnd() + rnd() - 2;
  const a = Array.from({ length: 60 }, () => 5 + 2 * gauss());
  a.push(14);
  const b = a.map((x) => 1.5 * x + 1 + gauss());
  const pts = a.flatMap((x, k) => [x, b[k]!]);
  const data: StatisticsData = {
    source: { text: 'before, after = …' },
    columns: [describe('before', a), describe('after', b)],
    pair: {
      names: ['before', 'after'],
      points: pts,
      regression: { slope: 1.5, intercept: 1, r2: 0.93 },
      tests: [
        {
          title: "Welch's t-test",
          rows: [
            { label: 't', value: '-9.87' },
            { label: 'p-value', value: '< 0.0001' },
            { label: '95% CI of the difference', value: '[-3.4, -2.3]' },
            { label: "Cohen's d", value: '-1.8' },
          ],
          latex: ['t = \\frac{\\bar x_1 - \\bar x_2}{\\sqrt{s_1^2/n_1 + s_2^2/n_2}} = -9.87', "d = \\frac{\\bar x_1 - \\bar x_2}{s_p} = -1.8"],
        },
        {
          title: 'Mann–Whitney U',
          rows: [
            { label: 'U', value: '412' },
            { label: 'p-value', value: '< 0.0001' },
          ],
          latex: ['U = n_1 n_2 + \\frac{n_1(n_1+1)}{2} - R_1 = 412'],
          note: 'Normal approximation with a tie correction.',
        },
      ],
    },
    notes: ['One outlier in "before" (14).'],
  };
  return { type: 'statistics', data };
}

// ---------------------------------------------------------------- distributions

export function normal(mu: number, sigma: number, requestId: number): Msg<'distribution'> {
  const x: number[] = [];
  const pdf: number[] = [];
  const cdf: number[] = [];
  for (let k = 0; k <= 200; k++) {
    const t = mu - 4 * sigma + (8 * sigma * k) / 200;
    x.push(t);
    pdf.push(Math.exp(-(((t - mu) / sigma) ** 2) / 2) / (sigma * Math.sqrt(2 * Math.PI)));
    cdf.push(0.5 * (1 + erf((t - mu) / (sigma * Math.SQRT2))));
  }
  const data: DistributionData = {
    name: 'normal',
    label: 'Normal',
    discrete: false,
    params: [
      { key: 'mu', label: 'μ', value: mu, min: -5, max: 5, step: 0.1 },
      { key: 'sigma', label: 'σ', value: sigma, min: 0.1, max: 5, step: 0.1 },
    ],
    latex: { pdf: '\\frac{1}{\\sigma\\sqrt{2\\pi}} e^{-\\frac{(x-\\mu)^2}{2\\sigma^2}}', cdf: '\\tfrac12\\left(1 + \\operatorname{erf}\\frac{x-\\mu}{\\sigma\\sqrt2}\\right)' },
    x,
    pdf,
    cdf,
    mean: mu,
    variance: sigma * sigma,
  };
  return { type: 'distribution', data, requestId };
}

export function binomial(n: number, p: number, requestId: number): Msg<'distribution'> {
  const x: number[] = [];
  const pdf: number[] = [];
  const cdf: number[] = [];
  let c = 1;
  let acc = 0;
  for (let k = 0; k <= n; k++) {
    if (k > 0) c = (c * (n - k + 1)) / k;
    const pk = c * p ** k * (1 - p) ** (n - k);
    acc += pk;
    x.push(k);
    pdf.push(pk);
    cdf.push(acc);
  }
  const data: DistributionData = {
    name: 'binomial',
    label: 'Binomial',
    discrete: true,
    params: [
      { key: 'n', label: 'n', value: n, min: 1, max: 50, step: 1, integer: true },
      { key: 'p', label: 'p', value: p, min: 0, max: 1, step: 0.01 },
    ],
    latex: { pdf: '\\binom{n}{k} p^{k} (1-p)^{n-k}' },
    x,
    pdf,
    cdf,
    mean: n * p,
    variance: n * p * (1 - p),
  };
  return { type: 'distribution', data, requestId };
}

export function bayes(prior: number, likelihood: number, likelihoodNot: number, requestId: number): Msg<'bayes'> {
  const evidence = likelihood * prior + likelihoodNot * (1 - prior);
  const posterior = (likelihood * prior) / evidence;
  const data: BayesData = {
    prior,
    likelihood,
    likelihoodNot,
    evidence,
    posterior,
    latex: `P(H \\mid E) = \\frac{P(E \\mid H)\\,P(H)}{P(E)} = \\frac{${likelihood} \\cdot ${prior}}{${evidence.toFixed(4)}} = ${posterior.toFixed(4)}`,
  };
  return { type: 'bayes', data, requestId };
}

export function history(): Msg<'history'> {
  const entries: HistoryEntry[] = [
    { id: 'h3', kind: 'plot', title: 'x**2 * sin(x)', time: Date.UTC(2025, 0, 2, 10, 30) },
    { id: 'h2', kind: 'gradient', title: 'loss = (y - w*x)**2', time: Date.UTC(2025, 0, 2, 10, 20) },
    { id: 'h1', kind: 'matrix', title: 'A', time: Date.UTC(2025, 0, 2, 10, 0) },
  ];
  return { type: 'history', entries };
}

export const SAMPLES = { plotRecip, plotRecipJoined, recipSamples, pointValues, flatSamples, gallery, optimize, trajectories, settings, statistics, normal, binomial, bayes, history, ALL };
