import { describe, expect, it } from 'vitest';
import { computeSelection, isMatrixSelection, selectionNames, selectionShapes } from '../../core/selection';
import { ShapeDocument } from '../../core/shapes';

describe('selectionNames', () => {
  it('takes identifiers outside comments, strings and attributes', () => {
    expect(selectionNames('np.sum((X @ w - y)**2)  # X: (n, d)')).toEqual(['np', 'X', 'w', 'y']);
    expect(selectionNames("f(x, 'abc', 1e3) + z.T")).toEqual(['f', 'x', 'z']);
  });
});

describe('selectionShapes', () => {
  const doc = [
    'import numpy as np',
    '# X: (n, d), w: (d,)',
    '# y: (m,)',
    '# y: (n,)',
    'X = np.random.randn(100, 3)',
    'b = np.zeros(5)',
    'loss = np.sum((X @ w - y)**2) + np.sum(b)',
  ].join('\n');

  it('prefers the nearest comment, then the code; records where each came from', () => {
    const analysis = new ShapeDocument().update(doc);
    const s = selectionShapes('np.sum((X @ w - y)**2) + np.sum(b)', { documentText: doc, startLine: 6, endLine: 6, analysis });
    expect(Object.fromEntries(s.shapes)).toEqual({ X: ['n', 'd'], w: ['d'], y: ['n'], b: [5] });
    expect(s.origins).toEqual([
      { name: 'X', shape: '(n, d)', from: 'comment', line: 2 },
      { name: 'w', shape: '(d,)', from: 'comment', line: 2 },
      { name: 'y', shape: '(n,)', from: 'comment', line: 4 },
      { name: 'b', shape: '(5,)', from: 'code', line: 6 },
    ]);
  });

  it('does not read comments below the selection or bindings after it', () => {
    const text = 'a = np.sum(v)\n# v: (3,)\nv = np.ones(4)';
    const analysis = new ShapeDocument().update(text);
    const s = selectionShapes('np.sum(v)', { documentText: text, startLine: 0, endLine: 0, analysis });
    expect(s.shapes.size).toBe(0);
  });

  it('reads one-hot declarations', () => {
    const s = selectionShapes('# Y: (n, k) onehot\nnp.sum(Y * x)');
    expect(s.onehot).toEqual(['Y']);
  });
});

describe('computeSelection', () => {
  it('keeps scalar expressions on the scalar engine', () => {
    const r = computeSelection('x**2 * y', { lang: 'python', budgetMs: 2000, mode: 'gradient' });
    expect(r.engine).toBe('scalar');
    expect(r.result.ok).toBe(true);
  });

  it('sends shaped selections to matrix calculus with the shapes used', () => {
    const doc = '# X: (n, d), w: (d,), y: (n,)\nloss = np.sum((X @ w - y)**2)';
    const r = computeSelection('loss = np.sum((X @ w - y)**2)', { lang: 'python', budgetMs: 2000, mode: 'gradient' }, { documentText: doc, startLine: 1, endLine: 1 });
    expect(r.engine).toBe('matcalc');
    if (r.engine !== 'matcalc' || !r.result.ok) throw new Error('expected a matrix result');
    expect(r.result.gradient.find((g) => g.wrt === 'w')!.numpy).toBe('2 * (X.T @ (X @ w - y))');
    expect(r.shapes.map((s) => s.name)).toEqual(['X', 'w', 'y']);
  });

  it('explains how to declare shapes when an array operation has none', () => {
    const r = computeSelection('np.sum((X @ w - y)**2)', { lang: 'python', budgetMs: 2000, mode: 'gradient' });
    expect(r.engine).toBe('matcalc');
    expect(r.result.ok).toBe(false);
    if (!r.result.ok) expect(r.result.error.message).toMatch(/# X: \(n, d\)/);
  });

  it('computes the Hessian of a scalar function of scalars (Rosenbrock)', () => {
    const r = computeSelection('(1 - x)**2 + 100*(y - x**2)**2', { lang: 'python', budgetMs: 2000, mode: 'hessian' });
    if (r.engine !== 'matcalc' || !r.result.ok) throw new Error('expected a Hessian');
    expect(r.result.kind).toBe('hessian');
    expect(r.result.gradient[0]!.shape).toEqual([2, 2]);
    expect(r.result.gradient[0]!.check.passed).toBe(true);
  });

  it('takes one Hessian per vector variable, holding matrices constant', () => {
    const r = computeSelection('# x: (d,), A: (d, d)\nx.T @ A @ x', { lang: 'python', budgetMs: 2000, mode: 'hessian' });
    if (r.engine !== 'matcalc' || !r.result.ok) throw new Error('expected a Hessian');
    expect(r.result.gradient.map((g) => [g.wrt, g.numpy, g.check.passed])).toEqual([['x', 'A + A.T', true]]);
    expect(r.result.notes[0]).toBe('The Hessian with respect to x; A is held constant.');
    const m = computeSelection('# S: (d, d)\nnp.log(np.linalg.det(S))', { lang: 'python', budgetMs: 2000, mode: 'hessian' });
    expect(m.result.ok).toBe(false);
    if (!m.result.ok) expect(m.result.error.message).toMatch(/4-D tensor/);
  });

  it('detects array operations outside comments only', () => {
    expect(isMatrixSelection('x * y  # uses @ later', new Map())).toBe(false);
    expect(isMatrixSelection('A.T @ x', new Map())).toBe(true);
    expect(isMatrixSelection('x * y', new Map([['x', [3]]]))).toBe(true);
  });

  it('says why a plotting call is not an expression of numbers (the one reading of a selection), at its place', () => {
    const r = computeSelection("plt.plot(x, z, color='#ff7f0e')", { lang: 'python', budgetMs: 2000, mode: 'gradient' });
    expect(r.result.ok).toBe(false);
    if (r.result.ok) return;
    expect(r.result.error.message).toMatch(/plotting call/);
    expect(r.result.error.message).not.toMatch(/unknown method/);
    expect(r.result.error.offset).toBe(0);
  });

  it('never reads a module name as a variable: a logistic loss differentiates in p and y', () => {
    const r = computeSelection('-np.mean(y*np.log(p) + (1-y)*np.log(1-p))', { lang: 'python', budgetMs: 2000, mode: 'gradient' });
    if (!r.result.ok) throw new Error(r.result.error.message);
    const wrt = r.result.gradient.map((g) => g.wrt);
    expect(wrt.sort()).toEqual(['p', 'y']);
  });
});
