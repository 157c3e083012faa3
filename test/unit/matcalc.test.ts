import { describe, expect, test } from 'vitest';
import { matrixGradient, matrixHessian, matrixJacobian } from '../../core/matcalc/index';
import type { MatOk, MatOptions, MatResult } from '../../core/matcalc/index';

function ok(r: MatResult): MatOk {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  for (const g of r.gradient) expect(g.check.passed, `${g.wrt}: ${JSON.stringify(g.check)}`).toBe(true);
  return r;
}
const grad = (text: string, opts: MatOptions) => ok(matrixGradient(text, opts));
const entry = (r: MatOk, wrt: string) => r.gradient.find((g) => g.wrt === wrt)!;
const LS = 'X:(n,d),w:(d,),y:(n,)';

describe('textbook gradients (exact LaTeX)', () => {
  test('least squares: ∇_w ‖Xw − y‖² = 2Xᵀ(Xw − y), both spellings', () => {
    for (const text of ['np.sum((X @ w - y)**2)', 'np.linalg.norm(X @ w - y)**2', 'np.sum((X.dot(w) - y) ** 2)']) {
      const r = grad(text, { shapes: LS, wrt: ['w'] });
      expect(entry(r, 'w').latex).toBe('2 X^\\top \\left(X w - y\\right)');
      expect(entry(r, 'w').numpy).toBe('2 * (X.T @ (X @ w - y))');
      expect(entry(r, 'w').shape).toEqual(['d']);
    }
    expect(grad('np.mean((X @ w - y)**2)', { shapes: LS, wrt: ['w'] }).gradient[0]!.latex).toBe('\\frac{2}{n} X^\\top \\left(X w - y\\right)');
  });
  test('quadratic form: ∇_x xᵀAx = (A + Aᵀ)x, and ∇_A = x xᵀ', () => {
    for (const text of ['x @ A @ x', 'x.T @ A @ x', 'x @ (A @ x)']) {
      const r = grad(text, { shapes: 'x:(n,),A:(n,n)' });
      expect(entry(r, 'x').latex).toBe('\\left(A + A^\\top\\right) x');
      expect(entry(r, 'x').numpy).toBe('(A + A.T) @ x');
      expect(entry(r, 'A').latex).toBe('x x^\\top');
    }
  });
  test('softmax cross-entropy: ∇_W = Xᵀ(P − Y)/n', () => {
    const r = grad('cross_entropy(X @ W, Y)', { shapes: 'X:(n,d),W:(d,k),Y:(n,k)' });
    expect(entry(r, 'W').latex).toBe('\\frac{1}{n} X^\\top \\left(\\operatorname{softmax}_{\\text{axis}=1}\\left(X W\\right) - Y\\right)');
    expect(entry(r, 'W').shape).toEqual(['d', 'k']);
    expect(r.variables.find((v) => v.name === 'Y')!.role).toBe('target');
    expect(r.gradient.map((g) => g.wrt)).toEqual(['X', 'W']);
  });
  test('ridge: 2Xᵀ(Xw − y) + 2λw', () => {
    const r = grad('np.sum((X @ w - y)**2) + lam * np.sum(w**2)', { shapes: `${LS},lam:()`, wrt: ['w'] });
    expect(r.gradient[0]!.latex).toBe('2 \\lambda w + 2 X^\\top \\left(X w - y\\right)');
    expect(r.notes).toEqual([]);
  });
  test('logistic regression: written-out softplus is recognized', () => {
    const r = grad('np.mean(np.log(1 + np.exp(-y * (X @ w))))', { shapes: LS, wrt: ['w'] });
    expect(r.gradient[0]!.latex).toBe('-\\frac{1}{n} X^\\top \\left(\\sigma\\left(-y \\odot \\left(X w\\right)\\right) \\odot y\\right)');
  });
  test('log det, det, trace, inverse', () => {
    expect(grad('np.log(np.linalg.det(X))', { shapes: 'X:(n,n)' }).gradient[0]!.latex).toBe('X^{-\\top}');
    expect(grad('np.linalg.det(X)', { shapes: 'X:(n,n)' }).gradient[0]!.latex).toBe('\\det\\left(X\\right) X^{-\\top}');
    expect(entry(grad('np.trace(A @ X @ B)', { shapes: 'X:(n,m),A:(p,n),B:(m,p)' }), 'X').latex).toBe('A^\\top B^\\top');
    expect(grad('np.trace(X @ X.T)', { shapes: 'X:(n,m)' }).gradient[0]!.latex).toBe('2 X');
    expect(entry(grad('b @ np.linalg.inv(X) @ b', { shapes: 'X:(n,n),b:(n,)' }), 'X').latex).toBe('-X^{-\\top} b b^\\top X^{-\\top}');
  });
});

describe('steps', () => {
  test('one rule per step, shapes shown, read-off last', () => {
    const r = grad('np.sum((X @ w - y)**2)', { shapes: LS, wrt: ['w'] });
    const rules = r.gradient[0]!.steps.map((s) => s.rule);
    expect(rules).toEqual(['sum', 'power rule (elementwise)', 'sum rule', 'product rule (matrix) and cyclic trace', 'read off the gradient']);
    expect(r.gradient[0]!.steps.map((s) => s.shape)).toEqual(['scalar', 'n', 'n', 'n', 'd']);
    expect(r.gradient[0]!.steps[3]!.latex).toContain('\\left\\langle 2 X^\\top \\left(X w - y\\right), dw\\right\\rangle');
    expect(r.layout).toBe('denominator');
  });
  test('inverse and log-det rules are named', () => {
    const r = grad('np.log(np.linalg.det(X)) + np.trace(np.linalg.inv(X))', { shapes: 'X:(n,n)' });
    const rules = r.gradient[0]!.steps.map((s) => s.rule);
    expect(rules).toContain('log-det');
    expect(rules).toContain('inverse');
    expect(rules).toContain('trace');
  });
});

describe('errors', () => {
  test('shape errors name both shapes and point at the operator', () => {
    const r = matrixGradient('np.sum((X @ y - w)**2)', { shapes: LS });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('parse');
      expect(r.error.message).toBe('shapes (n, d) and (n,) do not align for @: d ≠ n');
      expect(r.error.offset).toBe(10);
      expect(r.error.length).toBe(1);
    }
    const r2 = matrixGradient('np.sum(w + y)', { shapes: LS });
    expect(!r2.ok && r2.error.message).toBe('shapes (d,) and (n,) do not broadcast in +: d ≠ n');
    const r3 = matrixGradient('np.linalg.det(X)', { shapes: LS });
    expect(!r3.ok && r3.error.message).toBe('det needs a square matrix, got (n, d) (n ≠ d)');
  });
  test('unsupported constructs say so', () => {
    const cases: [string, string][] = [
      ['np.linalg.norm(X, 2)', 'the spectral norm (ord=2 of a matrix) is unsupported'],
      ['np.sum(np.sort(w))', 'unsupported function np.sort'],
      ['np.sum(X[0])', 'indexing is unsupported (except x[:, None], X.shape[i] and np.eye(k)[t])'],
      ['np.sum(w ** w)', 'only a constant exponent is supported (x ** c)'],
      ['np.max(w)', 'np.max is not supported in a differentiated expression'],
      ['X @ w', 'the expression has shape (n): a gradient needs a scalar (ask for the Jacobian)'],
      ['np.sum(X, axis=(0, 1))', 'a tuple of axes is unsupported'],
    ];
    for (const [text, msg] of cases) {
      const r = matrixGradient(text, { shapes: LS });
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.error.message, text).toBe(msg);
    }
  });
  test('never throws', () => {
    for (const text of ['', '(((', 'np.', '@', 'x = ', '1 +', 'np.sum(', ')'.repeat(5), '('.repeat(500) + 'x' + ')'.repeat(500)]) {
      const r = matrixGradient(text, { shapes: LS });
      expect(r.ok).toBe(false);
    }
    const cut = matrixGradient('np.sum((X @ w - y)**2)', { shapes: LS, budgetMs: 0 });
    if (cut.ok) expect(cut.gradient.every((g) => g.check.cut)).toBe(true);
    else expect(cut.error.kind).toBe('budget');
  });
});

describe('Jacobians and Hessians', () => {
  test('Jacobian of σ(Wx + b) (numerator layout)', () => {
    const r = ok(matrixJacobian('sigmoid(W @ x + b)', { shapes: 'W:(m,n),x:(n,),b:(m,)' }));
    expect(r.layout).toBe('numerator');
    expect(entry(r, 'x').latex).toBe('\\operatorname{diag}\\left(\\sigma\\left(W x + b\\right) \\odot \\left(1 - \\sigma\\left(W x + b\\right)\\right)\\right) W');
    expect(entry(r, 'x').shape).toEqual(['m', 'n']);
    expect(r.notes.join(' ')).toContain('Matrix variables (W) skipped');
  });
  test('Jacobian of softmax', () => {
    const r = ok(matrixJacobian('softmax(x)', { shapes: 'x:(n,)' }));
    expect(r.gradient[0]!.latex).toBe('\\operatorname{diag}\\left(\\operatorname{softmax}\\left(x\\right)\\right) \\left(I_{n} - \\mathbf{1} \\operatorname{softmax}\\left(x\\right)^\\top\\right)');
  });
  test('Hessian of the Rosenbrock function (scalar variables)', () => {
    const r = ok(matrixHessian('(1 - x)**2 + 100 * (y - x**2)**2', { shapes: 'x:(),y:()' }));
    expect(r.gradient[0]!.latex).toBe('\\begin{pmatrix} 2 + 800 x^{2} - 400 \\left(y - x^{2}\\right) & -400 x \\\\ -400 x & 200 \\end{pmatrix}');
    expect(r.gradient[0]!.shape).toEqual([2, 2]);
  });
  test('Hessians of a quadratic form and of least squares', () => {
    expect(ok(matrixHessian('x @ A @ x', { shapes: 'x:(n,),A:(n,n)', wrt: ['x'] })).gradient[0]!.latex).toBe('A + A^\\top');
    expect(ok(matrixHessian('np.sum((X @ w - y)**2)', { shapes: LS, wrt: ['w'] })).gradient[0]!.latex).toBe('2 X^\\top X');
  });
  test('Hessian of logistic regression', () => {
    const r = ok(matrixHessian('np.mean(np.logaddexp(0, X @ w)) - np.mean(y * (X @ w))', { shapes: LS, wrt: ['w'] }));
    expect(r.gradient[0]!.shape).toEqual(['d', 'd']);
  });
});

describe('input forms', () => {
  test('shape comments and a forward pass', () => {
    const text = '# X: (n, d), w: (d,), y: (n,)\nr = X @ w - y\nloss = np.sum(r ** 2)';
    const r = ok(matrixGradient(text, { wrt: ['w'] }));
    expect(r.expression.target).toBe('loss');
    expect(r.expression.latex).toBe('\\operatorname{sum}\\left(\\left(X w - y\\right)^{\\circ 2}\\right)');
    expect(r.gradient[0]!.latex).toBe('2 X^\\top \\left(X w - y\\right)');
    expect(r.variables).toEqual([
      { name: 'X', shape: ['n', 'd'], role: 'variable' },
      { name: 'w', shape: ['d'], role: 'variable' },
      { name: 'y', shape: ['n'], role: 'variable' },
    ]);
  });
  test('options win over comments; undeclared names are scalars with a note', () => {
    const r = ok(matrixGradient('# w: (k,)\nnp.sum(a * w ** 2)', { shapes: 'w:(d,)' }));
    expect(r.gradient.find((g) => g.wrt === 'w')!.shape).toEqual(['d']);
    expect(r.notes).toEqual(['No shape declared for a: taken as scalar.']);
  });
  test('logistic regression written as a negative log-likelihood', () => {
    const r = grad('-np.mean(y * (X @ w) - np.logaddexp(0, X @ w))', { shapes: LS, wrt: ['w'] });
    expect(r.gradient[0]!.latex).toBe('\\frac{1}{n} X^\\top \\left(\\sigma\\left(X w\\right) - y\\right)');
  });
  test('two-layer MLP: ∇ of the output layer is Hᵀ(P − Y)/n', () => {
    const r = grad('H = np.maximum(X @ W1, 0)\nloss = cross_entropy(H @ W2, Y)', { shapes: 'X:(n,d),W1:(d,h),W2:(h,k),Y:(n,k)' });
    // np.maximum(u, 0) is the catalogue's maximum (PyTorch splits the gradient at a tie in half), not ReLU
    expect(entry(r, 'W2').latex).toBe('\\frac{1}{n} \\max\\left(X W_{1}, 0\\right)^\\top \\left(\\operatorname{softmax}_{\\text{axis}=1}\\left(\\max\\left(X W_{1}, 0\\right) W_{2}\\right) - Y\\right)');
    expect(entry(r, 'W1').steps.map((s) => s.rule)).toContain('chain rule (elementwise max)');
    expect(entry(r, 'W1').latex).toContain('\\mathbf{1}_{[X W_{1} > 0]} + \\frac{1}{2} \\mathbf{1}_{[X W_{1} = 0]}');
    const relu = grad('H = relu(X @ W1)\nloss = cross_entropy(H @ W2, Y)', { shapes: 'X:(n,d),W1:(d,h),W2:(h,k),Y:(n,k)' });
    expect(entry(relu, 'W2').latex).toBe('\\frac{1}{n} \\operatorname{ReLU}\\left(X W_{1}\\right)^\\top \\left(\\operatorname{softmax}_{\\text{axis}=1}\\left(\\operatorname{ReLU}\\left(X W_{1}\\right) W_{2}\\right) - Y\\right)');
    expect(entry(relu, 'W1').steps.map((s) => s.rule)).toContain('chain rule (elementwise relu)');
    expect(entry(relu, 'W1').latex).toContain('\\mathbf{1}_{[X W_{1} > 0]}');
  });
  test('index targets', () => {
    const r = grad('cross_entropy(X @ W, t)', { shapes: 'X:(n,d),W:(d,k),t:(n,)' });
    expect(entry(r, 'W').latex).toBe('\\frac{1}{n} X^\\top \\left(\\operatorname{softmax}_{\\text{axis}=1}\\left(X W\\right) - \\operatorname{onehot}\\left(t\\right)\\right)');
    expect(entry(r, 'W').numpy).toContain('np.eye(W.shape[1])[t]');
  });
  test('the NumPy code does not depend on the sizes used by the check', async () => {
    const { parseMatrix } = await import('../../core/matcalc/parse');
    const { evaluate, finiteDiff, maxRelError, bindDims } = await import('../../core/matcalc/numeric');
    const { randomPoint } = await import('../../core/matcalc/index');
    const shapes = new Map<string, (string | number)[]>([['X', ['n', 'd']], ['W', ['d', 'k']], ['b', ['k']], ['t', ['n']]]);
    const text = 'cross_entropy(np.tanh(X @ W) + b, t)';
    const r = ok(matrixGradient(text, { shapes }));
    const f = parseMatrix(text, { shapes }).expr;
    const vars = [...shapes].map(([name, shape]) => ({ k: 'var' as const, args: [], shape, name }));
    const pt = randomPoint({ vars, targets: new Set(['t']), expr: f }, 99, 'normal', [7, 2, 6]);
    for (const g of r.gradient) {
      const code = parseMatrix(g.numpy, { shapes, maxLength: 1e6 }).expr;
      const got = evaluate(code, pt.env, bindDims(vars, pt.env));
      const want = finiteDiff((env) => evaluate(f, env, pt.dims), pt.env, g.wrt);
      expect(got.shape).toEqual(pt.env.get(g.wrt)!.shape);
      expect(maxRelError(got, want)).toBeLessThan(1e-6);
    }
  });
  test('Hessian steps include the gradient derivation; layout stated', () => {
    const r = ok(matrixHessian('np.sum((X @ w - y)**2)', { shapes: LS, wrt: ['w'] }));
    expect(r.layoutText).toContain('∂²f/∂x_i∂x_j');
    expect(r.gradient[0]!.steps.some((s) => s.rule === 'read off the gradient')).toBe(true);
    const g = ok(matrixGradient('np.sum(w)', { shapes: LS }));
    expect(g.layoutText).toContain('denominator layout');
    expect(g.gradient[0]!.latex).toBe('\\mathbf{1}_{d}');
    expect(g.gradient[0]!.numpy).toBe('np.ones((w.shape[0],))');
  });
  test('a variable the expression does not depend on gets a zero gradient', () => {
    const r = ok(matrixGradient('np.sum(w * 0) + np.sum(y)', { shapes: LS }));
    expect(entry(r, 'w').latex).toBe('\\mathbf{0}_{d}');
  });
});

describe('budget', () => {
  test('a forward pass whose printed result would be exponential is refused quickly, never hangs', () => {
    let text = 'a0 = np.tanh(w)\n';
    for (let i = 1; i <= 40; i++) text += `a${i} = np.tanh(a${i - 1} * w + a${i - 1})\n`;
    text += 'np.sum(a40)';
    for (const f of [matrixGradient, matrixJacobian, matrixHessian]) {
      const t0 = Date.now();
      const r = f(text, { shapes: 'w:(d,)', budgetMs: 1000 });
      expect(Date.now() - t0).toBeLessThan(5000);
      if (!r.ok) expect(r.error.kind).toBe('budget');
      else for (const g of r.gradient) expect(g.check.passed).toBe(true);
    }
  });
});

describe('one-hot declarations', () => {
  test('written-out softmax cross-entropy with Y declared one-hot reads Xᵀ(P − Y)/n', () => {
    const text = '-np.mean(np.sum(Y * log_softmax(X @ W, axis=1), axis=1))';
    const want = '\\frac{1}{n} X^\\top \\left(\\operatorname{softmax}_{\\text{axis}=1}\\left(X W\\right) - Y\\right)';
    for (const opts of [{ shapes: 'X:(n,d),W:(d,k),Y:(n,k) onehot' }, { shapes: 'X:(n,d),W:(d,k),Y:(n,k)', onehot: ['Y'] }]) {
      const r = grad(text, opts);
      expect(entry(r, 'W').latex).toBe(want);
      expect(r.variables.find((v) => v.name === 'Y')!.role).toBe('target');
    }
    const c = grad(`# X: (n, d), W: (d, k), Y: (n, k) one-hot\n${text}`, {});
    expect(entry(c, 'W').latex).toBe(want);
    // without the declaration the result stays general (rows of Y need not sum to 1)
    const g = grad(text, { shapes: 'X:(n,d),W:(d,k),Y:(n,k)', wrt: ['W'] });
    expect(g.gradient[0]!.latex).toContain('\\operatorname{sum}_{\\text{axis}=1}\\left(Y\\right)');
  });
});

describe('refusals instead of wrong results', () => {
  test('a Hessian through a matrix intermediate that depends on the vector is refused (was silently zero)', () => {
    const r = matrixHessian('np.linalg.norm(X.T @ (np.sum(np.outer(v, w), axis=1) * v) + 3)', { shapes: 'X:(n,d),w:(d,),v:(n,)', wrt: ['w'] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('unsupported');
      expect(r.error.message).toMatch(/3-tensor/);
    }
  });
});

describe('shapes from the shape engine', () => {
  test('symbolic and concrete sizes are taken; derived or unknown ones are not guessed', async () => {
    const { shapesFromAnalysis } = await import('../../core/matcalc/index');
    const analysis = {
      symbols: [
        { name: 'X', line: 3, column: 0, shape: ['n', 'd'] },
        { name: 'w', line: 4, column: 0, shape: ['d'] },
        { name: 'y', line: 5, column: 0, shape: ['n'] },
        { name: 'y', line: 9, column: 0, shape: [7] },
        { name: 'Z', line: 6, column: 0, shape: ['H - 2', 3] },
        { name: 'u', line: 7, column: 0, shape: null },
      ],
    };
    const { shapes, skipped } = shapesFromAnalysis(analysis, ['X', 'w', 'y', 'Z', 'u', 'q'], 8);
    expect([...shapes]).toEqual([['X', ['n', 'd']], ['w', ['d']], ['y', ['n']]]);
    expect(skipped).toEqual(['Z', 'u']);
    const r = grad('np.sum((X @ w - y)**2)', { shapes, wrt: ['w'] });
    expect(r.gradient[0]!.latex).toBe('2 X^\\top \\left(X w - y\\right)');
  });
});

describe('concrete sizes', () => {
  test('large concrete shapes: the check samples entries and stays within the budget', () => {
    const t0 = Date.now();
    const r = matrixGradient('cross_entropy(X @ W, Y)', { shapes: 'X:(200,30),W:(30,10),Y:(200,10)', wrt: ['W'], budgetMs: 5000 });
    expect(Date.now() - t0).toBeLessThan(5000);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.gradient[0]!.shape).toEqual([30, 10]);
    expect(r.gradient[0]!.latex).toBe('\\frac{1}{200} X^\\top \\left(\\operatorname{softmax}_{\\text{axis}=1}\\left(X W\\right) - Y\\right)');
    expect(r.gradient[0]!.check.passed).toBe(true);
  });
  test('a check cut by the budget keeps the derived result, unchecked, with a note', () => {
    const r = matrixGradient('np.sum(np.tanh(X @ W))', { shapes: 'X:(2000,300),W:(300,100)', wrt: ['W'], budgetMs: 300 });
    if (r.ok) {
      expect(r.gradient[0]!.check.passed).toBe(r.gradient[0]!.check.cut ? false : true);
      if (r.gradient[0]!.check.cut) expect(r.notes.join(' ')).toContain('cut by the time budget');
    } else expect(r.error.kind).toBe('budget');
  });
});

describe('printing broadcast products', () => {
  test('diag(v) M, M diag(v), a bᵀ, columns and rows', async () => {
    const { raw, variable } = await import('../../core/matcalc/ast');
    const { latex } = await import('../../core/matcalc/print');
    const M = variable('M', ['n', 'd']);
    const a = variable('a', ['n']);
    const b = variable('b', ['d']);
    expect(latex(raw.mul([raw.expand(a), M]))).toBe('\\operatorname{diag}\\left(a\\right) M');
    expect(latex(raw.mul([M, b]))).toBe('M \\operatorname{diag}\\left(b\\right)');
    expect(latex(raw.mul([raw.expand(a), b]))).toBe('a b^\\top');
    expect(latex(raw.mul([raw.expand(a), variable('c', [])]))).toBe('c a');
    expect(latex(raw.expand(a))).toBe('a');
    expect(latex(raw.T(raw.expand(a)))).toBe('a^\\top');
    expect(latex(raw.add([M, b]))).toBe('M + \\mathbf{1} b^\\top');
  });
});

describe('printing keepdims columns', () => {
  test('a keepdims row sum scales rows; added, it spreads across', async () => {
    const { raw, variable } = await import('../../core/matcalc/ast');
    const { latex } = await import('../../core/matcalc/print');
    const M = variable('M', ['n', 'd']);
    const s = raw.reduce('sum', variable('Y', ['n', 'k']), 1, true);
    expect(latex(raw.mul([M, s]))).toBe('\\operatorname{diag}\\left(\\operatorname{sum}_{\\text{axis}=1}\\left(Y\\right)\\right) M');
    expect(latex(raw.add([M, s]))).toBe('M + \\operatorname{sum}_{\\text{axis}=1}\\left(Y\\right) \\mathbf{1}^\\top');
    const c = raw.reduce('sum', M, 0, true);
    expect(latex(raw.mul([M, c]))).toBe('M \\operatorname{diag}\\left(\\operatorname{sum}_{\\text{axis}=0}\\left(M\\right)\\right)');
  });
});

describe('names without a declared shape (assumeVectors)', () => {
  const A = { assumeVectors: true } as const;
  const assumedOf = (r: MatOk) => Object.fromEntries((r.assumed ?? []).map((a) => [a.name, a.shape]));

  test('cross-entropy -np.sum(y*np.log(p)): y and p are vectors of one length n, with a note', () => {
    const r = grad('-np.sum(y*np.log(p))', A);
    expect(assumedOf(r)).toEqual({ y: ['n'], p: ['n'] });
    expect(entry(r, 'y').shape).toEqual(['n']);
    expect(entry(r, 'p').shape).toEqual(['n']);
    expect(entry(r, 'y').numpy).toBe('-np.log(p)');
    expect(entry(r, 'p').numpy).toBe('-(y / p)');
    const note = r.notes.find((n) => n.startsWith('No shape declared: assumed vectors'))!;
    expect(note).toContain('y, p: (n,)');
    expect(note).toContain('# y: (n,), p: (n,)');
  });

  test('(0.5*(y_true - y_pred)**2).mean(): ∇ = (y_true − y_pred)/n', () => {
    const r = grad('(0.5*(y_true - y_pred)**2).mean()', A);
    expect(assumedOf(r)).toEqual({ y_true: ['n'], y_pred: ['n'] });
    expect(entry(r, 'y_true').latex).toBe('\\frac{1}{n} \\left(y_{true} - y_{pred}\\right)');
    expect(entry(r, 'y_pred').latex).toBe('-\\frac{1}{n} \\left(y_{true} - y_{pred}\\right)');
  });

  test('softmax written out is vector-valued: no gradient; its Jacobian equals softmax(x)\'s, diag(s)(I − 1sᵀ)', () => {
    const g = matrixGradient('np.exp(x)/np.sum(np.exp(x))', A);
    expect(g.ok).toBe(false);
    if (!g.ok) expect(g.error.message).toMatch(/a gradient needs a scalar/);
    const j = ok(matrixJacobian('np.exp(x)/np.sum(np.exp(x))', A));
    expect(assumedOf(j)).toEqual({ x: ['n'] });
    expect(j.gradient[0]!.shape).toEqual(['n', 'n']);
    const declared = ok(matrixJacobian('softmax(x)', { shapes: 'x:(n,)' }));
    expect(j.gradient[0]!.latex).toBe(declared.gradient[0]!.latex);
    expect(j.gradient[0]!.latex).toContain('\\operatorname{diag}\\left(\\operatorname{softmax}\\left(x\\right)\\right)');
  });

  test('len(x) and x.shape[0] of an assumed vector are its length n', () => {
    for (const text of ['np.sum((y_hat - y)**2) / len(y)', 'np.sum((y_hat - y)**2) / y.shape[0]']) {
      const r = grad(text, A);
      expect(assumedOf(r)).toEqual({ y_hat: ['n'], y: ['n'] });
      expect(entry(r, 'y_hat').latex).toBe('\\frac{2}{n} \\left(y_{hat} - y\\right)');
    }
  });

  test('a coefficient outside the sums stays a scalar; names never combined get separate lengths', () => {
    const r = grad('lam*np.sum(w**2)', A);
    expect(assumedOf(r)).toEqual({ w: ['n'] });
    expect(entry(r, 'lam').shape).toEqual([]);
    expect(entry(r, 'w').latex).toBe('2 \\lambda w');
    expect(r.notes).toContain('No shape declared for lam: taken as scalar.');
    const s = grad('np.sum(a**2) + np.mean(b)', A);
    expect(assumedOf(s)).toEqual({ a: ['n'], b: ['m'] });
    expect(entry(s, 'b').numpy).toBe('1 / b.shape[0] * np.ones((b.shape[0],))');
    // a size never reuses a name of the text
    expect(assumedOf(grad('np.sum(n*x)', A))).toEqual({ n: ['m'], x: ['m'] });
    // norms and softmax of undeclared names
    expect(assumedOf(grad('np.linalg.norm(x)', A))).toEqual({ x: ['n'] });
    expect(assumedOf(grad('np.sum(softmax(z)*y)', A))).toEqual({ z: ['n'], y: ['n'] });
  });

  test('a declaration wins: nothing is assumed when a declared array gives the sum something to reduce', () => {
    const r = grad('# y: (d,)\nnp.sum(lam*y**2)', A);
    expect(r.assumed).toBeUndefined();
    expect(entry(r, 'y').shape).toEqual(['d']);
    expect(entry(r, 'lam').shape).toEqual([]);
    const p = grad('# y: (), p: ()\n-np.sum(y*np.log(p))', A);
    expect(p.assumed).toBeUndefined();
    expect(entry(p, 'p').shape).toEqual([]);
    const q = grad('-np.sum(y*np.log(p))', { ...A, shapes: 'y:(k,),p:(k,)' });
    expect(q.assumed).toBeUndefined();
    expect(entry(q, 'p').shape).toEqual(['k']);
  });

  test('without the option, and for scalar expressions, nothing changes', () => {
    const r = grad('-np.sum(y*np.log(p))', {});
    expect(r.assumed).toBeUndefined();
    expect(entry(r, 'p').shape).toEqual([]);
    const s = grad('x**2 + y', A);
    expect(s.assumed).toBeUndefined();
    expect(s.notes).toEqual(['No shape declared for x, y: taken as scalars.']);
  });

  test('@ of undeclared names and axes of undeclared names are not guessed: the message says what to declare', () => {
    for (const [text, at] of [['np.sum((X @ w - y)**2)', 10], ['A @ x', 2]] as const) {
      const r = matrixGradient(text, A);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.message).toMatch(/^@ needs the shapes of \w+ and \w+, which are not declared/);
        expect(r.error.message).toMatch(/# \w+: \(n, d\), \w+: \(d,\)/);
        expect(r.error.offset).toBe(at);
      }
    }
    const same = matrixGradient('x.T @ x', A);
    expect(same.ok).toBe(false);
    if (!same.ok) expect(same.error.message).toMatch(/^@ needs the shape of x, which is not declared.*# x: \(n,\) for a vector, or \(n, d\) for a matrix$/);
    const len = matrixGradient('len(x)', A);
    expect(len.ok).toBe(false);
    if (!len.ok) expect(len.error.message).toMatch(/^len\(\) of a scalar: declare/);
    const ax = matrixGradient('np.sum(np.sum(X, axis=1)**2)', A);
    expect(ax.ok).toBe(false);
    if (!ax.ok) expect(ax.error.message).toMatch(/without a declared shape is a scalar here\. Declare its shape/);
  });

  test('bad input never hurts: many assumed names end in a budget error, never a hang or a throw', () => {
    const big = Array.from({ length: 700 }, (_, i) => `np.sum(a${i}*b${i})`).join(' + ');
    const t0 = Date.now();
    const r = matrixGradient(big, { ...A, budgetMs: 300 });
    expect(Date.now() - t0).toBeLessThan(5000);
    if (!r.ok) expect(r.error.kind).toBe('budget');
    else expect(r.assumed).toHaveLength(1400);
  });

  test('the Hessian of an assumed vector: diag', () => {
    const h = ok(matrixHessian('np.sum(x**4)', A));
    expect(h.gradient[0]!.shape).toEqual(['n', 'n']);
    expect(assumedOf(h)).toEqual({ x: ['n'] });
  });
});
