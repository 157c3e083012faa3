/**
 * The public result of "Compute Gradient of Selection". This is the shape the
 * CLI prints with `--json` (see README, "CLI"), the shape the extension sends
 * to the panel, and the shape tests and benchmarks read. Keep it stable.
 */
import type { Lang, SourceError } from './parse/types';

/** One rule application in a derivation. */
export interface Step {
  /** The rule's name: "sum rule", "product rule", "chain rule", "power rule", … */
  rule: string;
  /** The step as one LaTeX equation: `\frac{\partial}{\partial x}\left[…\right] = …`. */
  latex: string;
  /** The same step as plain text: `d/dx[sin(x^2)] = cos(x^2)*d/dx[x^2]`. */
  text: string;
  /** Nesting level in the derivation (0 for the outermost rule), for indentation. */
  depth: number;
  /** For a chain-rule step, the outer function's own rule and formula: `trigonometric rule: \frac{d}{du}\sin u = \cos u`. */
  detail?: string;
}

/** A point where the function is not differentiable, stated honestly. */
export interface Kink {
  /** LaTeX of the condition, such as `x = 0`. */
  latex: string;
  /** Plain-text explanation, such as "ReLU is not differentiable at 0; the derivative used is 0 there." */
  text: string;
}

export interface PartialDerivative {
  wrt: string;
  latex: string;
  numpy: string;
  text: string;
  steps: Step[];
  kinks: Kink[];
  /** Tree nodes in the simplified result. */
  size: number;
  /**
   * For a forward pass with named intermediates: the partial in the pass's own names, as the chain
   * of local derivatives (2(out − y)·v·(1 − h²)·x). Its NumPy code runs where the pass's names are
   * bound. Absent when the selection is not such a forward pass, or the form could not be made.
   */
  named?: { latex: string; numpy: string; text: string };
  /**
   * For a forward pass: whether `wrt` is data (inputs, targets) or a parameter. Parameters come
   * first in `gradient`. Absent for a selection that is not a forward pass.
   */
  group?: 'parameters' | 'data';
}

export interface NumericCheck {
  /**
   * Largest error between the symbolic derivative and a central finite
   * difference, over all partials and points: |fd − sym| / max(1, |sym|).
   * `null` when no valid point was found.
   */
  maxRelError: number | null;
  /** Points at which every partial was checked. */
  points: number;
  /** The points used (variable → value), for display. */
  at: Record<string, number>[];
  /** True when maxRelError is small enough to trust the result (≤ 1e-5), and the named forms agree. */
  passed: boolean;
  /**
   * For results with named forms: each named form, evaluated with the intermediates computed from
   * the inputs at the check's points, against the substituted partial.
   */
  named?: { points: number; maxRelError: number | null; passed: boolean };
}

export interface GradientOk {
  ok: true;
  lang: Lang;
  /** All free variables of the expression, sorted. */
  variables: string[];
  /** The output name of a forward pass (`loss`), when there is one. */
  target?: string;
  expression: { latex: string; numpy: string; text: string };
  gradient: PartialDerivative[];
  check: NumericCheck;
  /** Things the user should know: budget cuts, kinks, assumptions. */
  notes: string[];
  /** Milliseconds spent (parse + differentiate + simplify + check). */
  elapsedMs: number;
}

export interface GradientFail {
  ok: false;
  error: SourceError & { kind?: 'parse' | 'budget' | 'unsupported' | 'internal' };
}

export type GradientResult = GradientOk | GradientFail;

export interface GradientOptions {
  lang: Lang;
  /** Variables to differentiate with respect to; default: every free variable. */
  wrt?: string[];
  /** Time budget in milliseconds for the whole computation (default 2000). */
  budgetMs?: number;
  /** Number of random points for the numeric check (default 5; 0 skips the check). */
  checkPoints?: number;
  /** Seed of the check's random points (default fixed, so results are reproducible). */
  seed?: number;
  /** Names the surrounding code binds to data (`np.load`, a dataset loader): their partials are grouped as data. */
  data?: string[];
  /**
   * Python: the document around the selection (or several texts: imported workspace modules first, then the document; a later text's definition wins). Calls of the functions it defines are differentiated
   * through their bodies (a `def sigmoid(x): return np.tanh(x)` is tanh, never the built-in σ).
   */
  definitions?: string | readonly string[];
}
