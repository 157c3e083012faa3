/**
 * The gradient-descent playground: an objective of two variables (a
 * selection, or a preset) with its symbolic gradient compiled to closures,
 * the heat-map grid, contours, gradient arrows and the six optimizers'
 * trajectories, assembled as the side view's `OptimizeData`. Never throws.
 */
import { Budget, BudgetExceeded } from '../budget';
import type { Expr } from '../expr';
import type { Lang } from '../parse/types';
import type { Objective, OptimizeData, OptimizerName, OptimizerSettings, Trajectory } from './types';
import { compileFast } from './fast';
import { type Box, type Grid, contourGrid, contourLevels, contourLines, gradientArrows } from './grid';
import { type F2, type Grad2, type Hyper, LABELS, OPTIMIZER_NAMES, type Run, UPDATE_LATEX, runOptimizers, settingsLatex } from './optim';
import { type ExploreError, derivative, fail, prepare, printed } from './symbolic';

/** The logistic-regression preset's data: (feature 1, feature 2, label ±1). Not separable through the origin, so the loss has a minimum. */
export const LOGISTIC_DATA: readonly (readonly [number, number, 1 | -1])[] = [
  [1, 2, 1],
  [2, 0.5, 1],
  [-0.5, 1.5, 1],
  [1.5, -0.5, 1],
  [-1, 0.5, 1],
  [-1, -2, -1],
  [-2, -0.5, -1],
  [0.5, -1.5, -1],
  [-1.5, 1, -1],
  [1, 1, -1],
];

function logisticText(): string {
  const terms = LOGISTIC_DATA.map(([a, b, y]) => {
    const z = `${a} w1 ${b < 0 ? '-' : '+'} ${Math.abs(b)} w2`;
    // written out as the note reads it; the engine recognizes the stable form (core/recognize.ts)
    return y > 0 ? `log(1 + exp(-(${z})))` : `log(1 + exp(${z}))`;
  });
  return `(${terms.join(' + ')}) / ${LOGISTIC_DATA.length}`;
}

export interface Preset {
  key: string;
  label: string;
  /** The objective in the plain-math language (parsed and differentiated by the engine like a selection). */
  text: string;
  box: Box;
  start: [number, number];
  minimum?: [number, number];
  /** Default settings: a shared learning rate that shows every optimizer's character without diverging. */
  lr: number;
  steps: number;
  note?: string;
}

export const PRESETS: readonly Preset[] = [
  {
    key: 'rosenbrock',
    label: 'Rosenbrock (a = 1, b = 100)',
    text: '(1 - x)^2 + 100 (y - x^2)^2',
    box: { xmin: -2, xmax: 2, ymin: -1, ymax: 3 },
    start: [-1.5, 2],
    minimum: [1, 1],
    lr: 0.0005,
    steps: 500,
    note: 'A long curved valley: the minimum at (1, 1) is easy to reach in y and slow along the valley.',
  },
  {
    key: 'beale',
    label: 'Beale',
    text: '(1.5 - x + x y)^2 + (2.25 - x + x y^2)^2 + (2.625 - x + x y^3)^2',
    box: { xmin: -4.5, xmax: 4.5, ymin: -4.5, ymax: 4.5 },
    start: [1, 1.5],
    minimum: [3, 0.5],
    lr: 0.0005,
    steps: 500,
    note: 'Flat plateaus and steep walls; the minimum is at (3, 0.5).',
  },
  {
    key: 'bowl',
    label: 'Quadratic bowl x² + 5y²',
    text: 'x^2 + 5 y^2',
    box: { xmin: -3, xmax: 3, ymin: -3, ymax: 3 },
    start: [-2.5, 2],
    minimum: [0, 0],
    lr: 0.05,
    steps: 200,
    note: 'Curvatures 2 and 10: gradient descent is stable for η < 2/10 = 0.2.',
  },
  {
    key: 'saddle',
    label: 'Saddle x² − y²',
    text: 'x^2 - y^2',
    box: { xmin: -2, xmax: 2, ymin: -2, ymax: 2 },
    start: [-1.5, 0.01],
    lr: 0.05,
    steps: 200,
    note: 'No minimum: (0, 0) is a saddle point and f is unbounded below along y.',
  },
  {
    key: 'logistic',
    label: 'Logistic-regression loss',
    text: logisticText(),
    box: { xmin: -3, xmax: 3, ymin: -3, ymax: 3 },
    start: [-2.5, -2],
    minimum: [0.808689, 0.948053],
    lr: 0.1,
    steps: 300,
    note: `Mean cross-entropy of a linear classifier without bias on ${LOGISTIC_DATA.length} fixed points with two features (labels ±1): L(w₁, w₂) = (1/N) Σ log(1 + exp(−yᵢ (w₁ aᵢ + w₂ bᵢ))).`,
  },
];

export function presetByKey(key: string): Preset | undefined {
  return PRESETS.find((p) => p.key === key);
}

export type ObjectiveInput = { preset: string } | { text: string; lang: Lang };

export interface Objective2dOk {
  ok: true;
  objective: Objective;
  f: F2;
  grad: Grad2;
  /** LaTeX of ∂f/∂x and ∂f/∂y. */
  gradientLatex: [string, string];
  exprs: { f: Expr; grad: [Expr, Expr] };
  /** Suggested settings (start point, shared learning rate, steps). */
  settings: OptimizerSettings;
  notes: string[];
}

export type Objective2dResult = Objective2dOk | { ok: false; error: ExploreError; variables?: string[] };

export function objective2d(input: ObjectiveInput, options: { budgetMs?: number } = {}): Objective2dResult {
  const budget = new Budget(options.budgetMs ?? 2000);
  try {
    const preset = 'preset' in input ? presetByKey(input.preset) : undefined;
    if ('preset' in input && !preset) return fail(`Unknown preset "${input.preset}" (known: ${PRESETS.map((p) => p.key).join(', ')}).`, 'unsupported');
    const text = preset ? preset.text : (input as { text: string }).text;
    const lang: Lang = preset ? 'math' : (input as { lang: Lang }).lang;
    const prep = prepare(text, lang, budget);
    if (!prep.ok) return prep;
    const { canonical, variables } = prep.value;
    if (variables.length !== 2) {
      return {
        ok: false,
        variables,
        error: {
          kind: 'variables',
          offset: 0,
          length: 0,
          message:
            variables.length === 1
              ? `The selection has one variable (${variables[0]}): it is plotted with its derivatives rather than in the playground.`
              : `The playground needs a function of exactly two variables; the selection has ${variables.length}${variables.length ? ` (${variables.join(', ')})` : ''}.`,
        },
      };
    }
    const [vx, vy] = variables as [string, string];
    const dx = derivative(canonical, vx, budget, true);
    if (!dx.ok) return dx;
    const dy = derivative(canonical, vy, budget, true);
    if (!dy.ok) return dy;
    const f = compileFast(canonical, [vx, vy]);
    const gx = compileFast(dx.value.d, [vx, vy]);
    const gy = compileFast(dy.value.d, [vx, vy]);
    const grad: Grad2 = (x, y, out) => {
      out[0] = gx(x, y);
      out[1] = gy(x, y);
    };
    const notes: string[] = [...prep.value.notes];
    if (preset?.note) notes.push(preset.note);
    const kinks = [...dx.value.kinks, ...dy.value.kinks];
    if (kinks.length) notes.push(`Not differentiable where ${[...new Set(kinks.map((k) => k.plain))].join(', ')}; the gradient used there is PyTorch's.`);
    let box: Box;
    let start: [number, number];
    let lr: number;
    let steps: number;
    if (preset) {
      box = preset.box;
      start = preset.start;
      lr = preset.lr;
      steps = preset.steps;
    } else {
      box = chooseBox(f);
      start = chooseStart(f, grad, box);
      lr = suggestLr(grad, box);
      steps = 200;
    }
    const objective: Objective = {
      key: preset ? preset.key : 'selection',
      label: preset ? preset.label : printed(prep.value.expr).text,
      latex: printed(prep.value.expr).latex,
      variables: [vx, vy],
      box,
    };
    if (preset?.minimum) objective.minimum = preset.minimum;
    return {
      ok: true,
      objective,
      f,
      grad,
      gradientLatex: [printed(dx.value.d).latex, printed(dy.value.d).latex],
      exprs: { f: canonical, grad: [dx.value.d, dy.value.d] },
      settings: { lr, lrs: adaptiveLrs(box), momentum: 0.9, beta1: 0.9, beta2: 0.999, steps, start, enabled: [...OPTIMIZER_NAMES] },
      notes,
    };
  } catch (err) {
    if (err instanceof BudgetExceeded) return fail(`${err.message}; select a smaller expression.`, 'budget');
    if (err instanceof RangeError) return fail('The expression is too deeply nested.', 'budget');
    return fail(`Internal error: ${err instanceof Error ? err.message : String(err)}. Please report this selection.`, 'internal');
  }
}

const CANDIDATE_BOXES: readonly Box[] = [
  { xmin: -3, xmax: 3, ymin: -3, ymax: 3 },
  { xmin: 0, xmax: 3, ymin: 0, ymax: 3 },
  { xmin: -1, xmax: 1, ymin: -1, ymax: 1 },
  { xmin: -10, xmax: 10, ymin: -10, ymax: 10 },
];

/** The first candidate box where f is finite on at least 60% of a 41 × 41 probe (else the one with the most). */
export function chooseBox(f: F2): Box {
  let best = CANDIDATE_BOXES[0]!;
  let bestCount = -1;
  for (const b of CANDIDATE_BOXES) {
    let count = 0;
    for (let j = 0; j <= 40; j++) {
      for (let i = 0; i <= 40; i++) {
        const v = f(b.xmin + ((b.xmax - b.xmin) * i) / 40, b.ymin + ((b.ymax - b.ymin) * j) / 40);
        if (Number.isFinite(v)) count++;
      }
    }
    if (count >= 0.6 * 41 * 41) return b;
    if (count > bestCount) {
      best = b;
      bestCount = count;
    }
  }
  return best;
}

/** A start point in the upper-left part of the box where f and ∇f are finite and ∇f ≠ 0. */
export function chooseStart(f: F2, grad: Grad2, box: Box): [number, number] {
  const g = new Float64Array(2);
  const w = box.xmax - box.xmin;
  const h = box.ymax - box.ymin;
  const tries: [number, number][] = [
    [0.15, 0.85],
    [0.85, 0.85],
    [0.15, 0.15],
    [0.85, 0.15],
    [0.3, 0.7],
    [0.7, 0.3],
    [0.5, 0.9],
    [0.1, 0.5],
  ];
  for (const [a, b] of tries) {
    const x = box.xmin + a * w;
    const y = box.ymin + b * h;
    grad(x, y, g);
    if (Number.isFinite(f(x, y)) && Number.isFinite(g[0]!) && Number.isFinite(g[1]!) && (g[0] !== 0 || g[1] !== 0)) return [round4(x), round4(y)];
  }
  return [round4(box.xmin + 0.15 * w), round4(box.ymin + 0.85 * h)];
}

function round4(v: number): number {
  return Number(v.toPrecision(4));
}

/**
 * A shared learning rate for a selection: 0.5 / L, L an estimate of the
 * largest curvature (gradient differences over a 21 × 21 probe of the box),
 * rounded down to 1, 2 or 5 × 10ᵏ and kept within [1e−5, 0.5].
 */
export function suggestLr(grad: Grad2, box: Box): number {
  const g0 = new Float64Array(2);
  const g1 = new Float64Array(2);
  let L = 0;
  const h = 1e-4 * Math.max(box.xmax - box.xmin, box.ymax - box.ymin);
  for (let j = 0; j <= 20; j++) {
    for (let i = 0; i <= 20; i++) {
      const x = box.xmin + ((box.xmax - box.xmin) * i) / 20;
      const y = box.ymin + ((box.ymax - box.ymin) * j) / 20;
      grad(x, y, g0);
      for (const [ex, ey] of [
        [h, 0],
        [0, h],
      ] as const) {
        grad(x + ex, y + ey, g1);
        const l = Math.hypot(g1[0]! - g0[0]!, g1[1]! - g0[1]!) / h;
        if (Number.isFinite(l) && l > L) L = l;
      }
    }
  }
  if (!(L > 0)) return 0.1;
  const raw = Math.min(0.5, Math.max(1e-5, 0.5 / L));
  const e = Math.floor(Math.log10(raw));
  const m = raw / 10 ** e;
  const nice = m >= 5 ? 5 : m >= 2 ? 2 : 1;
  return Number((nice * 10 ** e).toPrecision(1));
}

export function hyperFrom(settings: OptimizerSettings, extra: Partial<Hyper> = {}): Hyper {
  const h: Hyper = { ...extra, lr: settings.lr, momentum: settings.momentum, beta1: settings.beta1, beta2: settings.beta2 };
  if (settings.lrs) h.lrs = { ...extra.lrs, ...settings.lrs };
  return h;
}

/**
 * Default learning rates of the adaptive methods: they step about η per coordinate whatever the
 * gradient's size, so η is a length: a fiftieth of the view for RMSProp and Adam, a fifth for AdaGrad
 * (whose steps shrink as 1/√t). Rounded to 1, 2 or 5 × 10ᵏ.
 */
export function adaptiveLrs(box: Box): Partial<Record<OptimizerName, number>> {
  const span = Math.max(box.xmax - box.xmin, box.ymax - box.ymin);
  const nice = (raw: number): number => {
    const e = Math.floor(Math.log10(raw));
    const m = raw / 10 ** e;
    return Number(((m >= 5 ? 5 : m >= 2 ? 2 : 1) * 10 ** e).toPrecision(1));
  };
  return { adagrad: nice(span / 5), rmsprop: nice(span / 50), adam: nice(span / 50) };
}

/** A run as the protocol's Trajectory. */
export function toTrajectory(run: Run, h: Hyper): Trajectory {
  const t: Trajectory = {
    name: run.name,
    label: LABELS[run.name],
    latex: `${UPDATE_LATEX[run.name]}\\\\[2pt] ${settingsLatex(run.name, h)}`,
    points: Array.from(run.points),
    losses: Array.from(run.losses),
  };
  if (run.diverged) t.diverged = run.diverged;
  return t;
}

/** The protocol's Trajectory list for `settings` (the side view's `runOptimizers` request). */
export function trajectories(obj: Objective2dOk, settings: OptimizerSettings, extra: Partial<Hyper> = {}): Trajectory[] {
  const h = hyperFrom(settings, extra);
  const enabled = settings.enabled.filter((n): n is OptimizerName => (OPTIMIZER_NAMES as readonly string[]).includes(n));
  const runs = runOptimizers(obj.grad, obj.f, settings.start, h, Math.min(settings.steps, 100_000), { enabled });
  return runs.map((r) => toTrajectory(r, h));
}

export interface PlaygroundOptions {
  /** Grid sent to the view (default 200 × 200; the contours are traced on `contourSize`). */
  gridSize?: number;
  /** Grid the contours are traced on (default 400). */
  contourSize?: number;
  /** Contour levels (default 12). */
  levels?: number;
  /** Arrows per side (default 20). */
  arrows?: number;
  budgetMs?: number;
}

/** Everything the Optimize tab shows for an objective, or an error. */
export function playground(
  input: ObjectiveInput,
  settings?: Partial<OptimizerSettings>,
  options: PlaygroundOptions = {},
): { ok: true; data: OptimizeData; objective: Objective2dOk } | { ok: false; error: ExploreError; variables?: string[] } {
  const obj = objective2d(input, options.budgetMs !== undefined ? { budgetMs: options.budgetMs } : {});
  if (!obj.ok) return obj;
  try {
    const s: OptimizerSettings = { ...obj.settings, ...settings };
    const fine = contourGrid(obj.f, obj.objective.box, options.contourSize ?? 400, options.contourSize ?? 400);
    const coarseSize = options.gridSize ?? 200;
    const coarse = coarseSize === fine.nx ? fine : contourGrid(obj.f, obj.objective.box, coarseSize, coarseSize);
    const levels = contourLevels(fine, options.levels ?? 12);
    const contours = contourLines(fine, levels).map((c) => ({ level: c.level, lines: c.lines.map(roundLine) }));
    const { arrows } = gradientArrows(obj.grad, obj.objective.box, options.arrows ?? 20);
    const notes = [...obj.notes];
    if (fine.finite < fine.values.length) notes.push(`f is not finite on ${(100 * (1 - fine.finite / fine.values.length)).toFixed(1)}% of the view.`);
    const data: OptimizeData = {
      objective: obj.objective,
      presets: PRESETS.map((p) => ({ key: p.key, label: p.label })),
      grid: gridMessage(coarse, fine),
      contours,
      arrows,
      settings: s,
      trajectories: trajectories(obj, s),
      notes,
    };
    return { ok: true, data, objective: obj };
  } catch (err) {
    return fail(`Internal error: ${err instanceof Error ? err.message : String(err)}.`, 'internal');
  }
}

function gridMessage(g: Grid, fine: Grid): OptimizeData['grid'] {
  const values: (number | null)[] = new Array(g.values.length);
  for (let i = 0; i < g.values.length; i++) {
    const v = g.values[i]!;
    values[i] = v === v ? Number(v.toPrecision(7)) : null;
  }
  return { nx: g.nx, ny: g.ny, values, min: fine.min, max: fine.max, log: fine.log };
}

function roundLine(line: number[]): number[] {
  return line.map((v) => Number(v.toPrecision(7)));
}
