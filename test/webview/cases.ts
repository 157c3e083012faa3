/**
 * The selections the webview tests render, and how their results are made:
 * `engineResults` calls the real engine (bundled for node by run.mjs).
 */
import type { Lang } from '../../core/parse/types';
import type { GradientResult } from '../../core/result';
import type { ShapeOrigin } from '../../core/protocol';
import type { MatResult } from '../../core/matcalc/index';
import { computeGradient } from '../../core/gradient';
import { matrixGradient, matrixHessian, matrixJacobian } from '../../core/matcalc/index';

export interface Case {
  name: string;
  text: string;
  lang: Lang;
}

export const CASES: Case[] = [
  { name: 'poly', text: 'x**2 * y + np.sin(x)', lang: 'python' },
  { name: 'relu', text: 'np.maximum(w * x, 0)', lang: 'python' },
  { name: 'clip', text: 'np.clip(x, 0, 1)', lang: 'python' },
  { name: 'forward', text: 'z = w*x + b\na = sigmoid(z)\nloss = (a - y)**2', lang: 'python' },
  // issue 12: the partials in the pass's own names, parameters first, the data grouped
  { name: 'named', text: 'z = w*x + b\nh = np.tanh(z)\nout = v*h + c\nloss = (out - y)**2', lang: 'python' },
  { name: 'parseError', text: 'x = 1\ny = 2\nz = x **  * y', lang: 'python' },
  { name: 'xss', text: '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>', lang: 'math' },
];

export function engineResults(): Record<string, GradientResult> {
  const out: Record<string, GradientResult> = {};
  for (const c of CASES) out[c.name] = computeGradient(c.text, { lang: c.lang, budgetMs: 2000 });
  return out;
}

// ---------------------------------------------------------------- matrix calculus (core/matcalc)

export interface MatCase {
  name: string;
  kind: 'gradient' | 'jacobian' | 'hessian';
  text: string;
  /** the engine's `shapes` option (what the extension gathers from comments, the code or the CLI) */
  shapes?: string;
  wrt?: string[];
  /** the message's `shapes`: where each shape came from, as the extension reports it */
  origins: ShapeOrigin[];
}

const comment = (line: number, ...pairs: [string, string][]): ShapeOrigin[] => pairs.map(([name, shape]) => ({ name, shape, from: 'comment', line }));

export const MAT_CASES: MatCase[] = [
  {
    name: 'leastSquares',
    kind: 'gradient',
    text: 'np.sum((X @ w - y)**2)',
    shapes: 'X:(n,d),w:(d,),y:(n,)',
    origins: comment(10, ['X', '(n, d)'], ['w', '(d,)'], ['y', '(n,)']),
  },
  {
    name: 'softmaxCE',
    kind: 'gradient',
    text: 'Z = X @ W\nloss = cross_entropy(Z, Y)',
    shapes: 'X:(n,d),W:(d,k),Y:(n,k)',
    origins: [
      { name: 'X', shape: '(n, d)', from: 'code', line: 4 },
      { name: 'W', shape: '(d, k)', from: 'code', line: 5 },
      { name: 'Y', shape: '(n, k)', from: 'cli' },
    ],
  },
  { name: 'quadForm', kind: 'gradient', text: 'x.T @ A @ x', shapes: 'x:(n,),A:(n,n)', origins: comment(9, ['x', '(n,)'], ['A', '(n, n)']) },
  { name: 'tanhJacobian', kind: 'jacobian', text: 'np.tanh(W @ x)', shapes: 'W:(m,n),x:(n,)', origins: comment(9, ['W', '(m, n)'], ['x', '(n,)']) },
  { name: 'rosenbrock', kind: 'hessian', text: '(1-x)**2 + 100*(y-x**2)**2', origins: [] },
  { name: 'quadHessian', kind: 'hessian', text: 'x.T @ A @ x', shapes: 'x:(n,),A:(n,n)', wrt: ['x'], origins: comment(9, ['x', '(n,)'], ['A', '(n, n)']) },
  { name: 'matParseError', kind: 'gradient', text: 'Z = X @ W\nloss = np.sum(Z **  )', shapes: 'X:(n,d),W:(d,k)', origins: comment(9, ['X', '(n, d)'], ['W', '(d, k)']) },
  { name: 'matUnsupported', kind: 'gradient', text: 'np.sum(np.max(X, axis=1))', shapes: 'X:(n,d)', origins: comment(9, ['X', '(n, d)']) },
  { name: 'matJacobianOfMatrix', kind: 'jacobian', text: 'np.tanh(X @ W)', shapes: 'X:(n,d),W:(d,k)', origins: comment(9, ['X', '(n, d)'], ['W', '(d, k)']) },
];

const MAT_ENGINES = { gradient: matrixGradient, jacobian: matrixJacobian, hessian: matrixHessian };

/** name → the engine's result for each matrix-calculus case. */
export function matcalcResults(): Record<string, MatResult> {
  const out: Record<string, MatResult> = {};
  for (const c of MAT_CASES) out[c.name] = MAT_ENGINES[c.kind](c.text, { ...(c.shapes ? { shapes: c.shapes } : {}), ...(c.wrt ? { wrt: c.wrt } : {}), budgetMs: 5000 });
  return out;
}
