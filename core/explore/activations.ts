/**
 * The activation gallery: each activation as PyTorch writes it, parsed and
 * differentiated by the engine (so the LaTeX of f and f′ is the engine's own,
 * checked against finite differences by the unit tests), sampled for the
 * plot, with where it saturates (|f′| < 0.01, found numerically) and its
 * kinks.
 */
import type { GalleryItem } from './types';
import type { Fn1 } from './fast';
import { type FunctionPlotOk, functionPlot } from './plot';

export interface Activation {
  key: string;
  name: string;
  /** PyTorch spelling, parsed as Python. */
  code: string;
  note?: string;
}

export const ACTIVATIONS: readonly Activation[] = [
  { key: 'sigmoid', name: 'Sigmoid', code: 'torch.sigmoid(x)' },
  { key: 'tanh', name: 'tanh', code: 'torch.tanh(x)' },
  { key: 'relu', name: 'ReLU', code: 'F.relu(x)', note: 'Not differentiable at 0; PyTorch uses the derivative 0 there. For x < 0 the gradient is exactly 0 (a "dead" unit).' },
  {
    key: 'leaky_relu',
    name: 'Leaky ReLU (slope 0.01)',
    code: 'F.leaky_relu(x, 0.01)',
    note: 'Not differentiable at 0; PyTorch uses the slope 0.01 there. Its slope for x < 0 is exactly 0.01, the saturation threshold, so it never saturates (|f′| < 0.01 nowhere).',
  },
  { key: 'elu', name: 'ELU (α = 1)', code: 'F.elu(x)', note: 'With α = 1 both pieces have slope 1 at 0, so ELU is differentiable there (f″ jumps from 1 to 0).' },
  {
    key: 'gelu',
    name: 'GELU',
    // Written out, so the gallery shows the formula (F.gelu(x) is the same function, kept as one call).
    code: '0.5*x*(1 + torch.erf(x/math.sqrt(2)))',
    note: "The exact GELU, x Φ(x) = (x/2)(1 + erf(x/√2)) (PyTorch's default). The tanh approximation, F.gelu(x, approximate='tanh') = (x/2)(1 + tanh(√(2/π)(x + 0.044715x³))), differs from it by less than 5e-4.",
  },
  { key: 'softplus', name: 'Softplus', code: 'F.softplus(x)', note: 'ln(1 + eˣ), a smooth ReLU; its derivative is the sigmoid.' },
  { key: 'silu', name: 'SiLU (swish)', code: 'F.silu(x)', note: 'x σ(x). Not monotonic: f′ changes sign near x ≈ −1.28, where it is briefly flat.' },
];

export const SATURATION_THRESHOLD = 0.01;

export interface Interval {
  from: number;
  to: number;
  /** The interval continues past the searched range's left/right end (to ∓∞). */
  openLeft?: boolean;
  openRight?: boolean;
}

/**
 * Where |g| < threshold on [lo, hi], as intervals (sampled at n points, ends
 * refined by bisection to ~1e-12).
 */
export function belowThreshold(g: Fn1, lo: number, hi: number, threshold = SATURATION_THRESHOLD, n = 2001): Interval[] {
  const inside = (x: number) => {
    const v = g(x);
    return Number.isFinite(v) && Math.abs(v) < threshold;
  };
  const refine = (a: number, b: number): number => {
    // inside(a) !== inside(b): the boundary between.
    const ia = inside(a);
    for (let k = 0; k < 60; k++) {
      const m = 0.5 * (a + b);
      if (m === a || m === b) break;
      if (inside(m) === ia) a = m;
      else b = m;
    }
    return ia ? a : b;
  };
  const out: Interval[] = [];
  let start: number | null = null;
  let prevX = lo;
  let prevIn = false;
  for (let i = 0; i < n; i++) {
    const x = i === n - 1 ? hi : lo + ((hi - lo) * i) / (n - 1);
    const isIn = inside(x);
    if (isIn && !prevIn) start = i === 0 ? x : refine(prevX, x);
    if (!isIn && prevIn && start !== null) {
      const iv: Interval = { from: start, to: refine(prevX, x) };
      if (start === lo) iv.openLeft = true;
      out.push(iv);
      start = null;
    }
    prevX = x;
    prevIn = isIn;
  }
  if (prevIn && start !== null) {
    const iv: Interval = { from: start, to: hi, openRight: true };
    if (start === lo) iv.openLeft = true;
    out.push(iv);
  }
  return out.map((iv) => ({ ...iv, from: clean(iv.from), to: clean(iv.to) }));
}

function clean(v: number): number {
  return Math.abs(v) < 1e-12 ? 0 : Number(v.toPrecision(12));
}

export interface GalleryEntry extends GalleryItem {
  key: string;
  code: string;
  saturates: Interval[];
  /** x of the kinks (where f is not differentiable). */
  kinks: number[];
  /** The engine's result, for the host (closures, the f″ LaTeX…). */
  plot: FunctionPlotOk;
}

/** The gallery: samples on [−range, range], saturation searched on [−10, 10]. */
export function activationGallery(range = 6): GalleryEntry[] {
  const out: GalleryEntry[] = [];
  for (const a of ACTIVATIONS) {
    const r = functionPlot(a.code, { lang: 'python', range: [-range, range], x0: 1 });
    if (!r.ok) throw new Error(`activation ${a.key}: ${r.error.message}`);
    const samples = { ...r.samples };
    delete samples.d2f;
    const entry: GalleryEntry = {
      key: a.key,
      name: a.name,
      code: a.code,
      latex: { f: r.latex.f, df: r.latex.df },
      samples,
      saturates: belowThreshold(r.fn.df, -10, 10),
      kinks: r.samples.kinks,
      plot: r,
    };
    if (a.note) entry.note = a.note;
    out.push(entry);
  }
  return out;
}
