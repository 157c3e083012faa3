/** What the side view's Plot and Optimize tabs show, as computed by core/explore. */
import type { SelectionRef } from '../position';

/** A polyline broken where the function is not finite, jumps (a pole) or has a jump discontinuity. */
export type Segment = number[]; // x0, y0, x1, y1, …

export interface PlotSamples {
  xmin: number;
  xmax: number;
  f: Segment[];
  df: Segment[];
  d2f?: Segment[];
  /** x of vertical asymptotes in the range (dashed lines, never connected across). */
  asymptotes: number[];
  /** x of kinks (points where f is not differentiable). */
  kinks: number[];
  /** A y-range that shows the curves well (robust quantiles of the finite values). */
  yRange: [number, number];
}

export interface PointValues {
  x: number;
  f: number | null;
  df: number | null;
  d2f: number | null;
}

export interface PlotData {
  source: SelectionRef;
  variable: string;
  latex: { f: string; df: string; d2f?: string };
  samples: PlotSamples;
  point: PointValues;
  notes: string[];
}

export interface GalleryItem {
  name: string;
  latex: { f: string; df: string };
  samples: PlotSamples;
  /** Where |f′| < 0.01: the function saturates and gradients vanish. */
  saturates: { from: number; to: number }[];
  note?: string;
}

export type OptimizerName = 'gd' | 'momentum' | 'nesterov' | 'adagrad' | 'rmsprop' | 'adam';

export interface OptimizerSettings {
  /** The learning rate of gradient descent, momentum and Nesterov (and of any optimiser not in `lrs`). */
  lr: number;
  /**
   * Per-optimiser learning rates: the adaptive methods (AdaGrad, RMSProp, Adam) divide by the gradient's
   * size, so their η is a step length and wants a different scale from plain gradient descent.
   */
  lrs?: Partial<Record<OptimizerName, number>>;
  momentum: number;
  beta1: number;
  beta2: number;
  steps: number;
  start: [number, number];
  enabled: OptimizerName[];
}

export interface Trajectory {
  name: OptimizerName;
  label: string;
  /** The update equations (KaTeX). */
  latex: string;
  points: number[]; // x0, y0, x1, y1, … (steps + 1 points, fewer when it diverged)
  losses: number[];
  /** Set when the run diverged: the step and why, said plainly. */
  diverged?: { step: number; reason: string };
}

export interface Objective {
  /** 'selection' or a preset key. */
  key: string;
  label: string;
  latex: string;
  variables: [string, string];
  box: { xmin: number; xmax: number; ymin: number; ymax: number };
  /** Known minimum, when there is one. */
  minimum?: [number, number];
}

export interface OptimizeData {
  objective: Objective;
  presets: { key: string; label: string }[];
  /** The heat map / contour grid (row-major, ny rows from ymin to ymax; values of f, null where not finite). */
  grid: { nx: number; ny: number; values: (number | null)[]; min: number; max: number; log: boolean };
  /** Contour lines at `levels`, as polylines in (x, y). */
  contours: { level: number; lines: Segment[] }[];
  /** Gradient arrows: x, y, −∂f/∂x, −∂f/∂y (scaled for display). */
  arrows: number[];
  settings: OptimizerSettings;
  trajectories: Trajectory[];
  source?: SelectionRef;
  notes: string[];
}
