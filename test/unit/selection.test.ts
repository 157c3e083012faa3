import { describe, expect, it } from 'vitest';
import { computeSelection, isMatrixSelection, loadedDataNames, selectionNames, selectionShapes } from '../../core/selection';
import { ShapeDocument } from '../../core/shapes';
import { isExtensionToWebview } from '../../core/protocol';

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

describe('computeSelection: array operations without declared shapes', () => {
  const gradient = { lang: 'python' as const, budgetMs: 2000, mode: 'gradient' as const };
  const matcalc = (r: ReturnType<typeof computeSelection>) => {
    if (r.engine !== 'matcalc' || !r.result.ok) throw new Error(`expected a matrix result, got ${JSON.stringify(r.result)}`);
    return { result: r.result, shapes: r.shapes };
  };

  it('-np.sum(y*np.log(p)) and (…).mean() are differentiated over assumed vectors, listed with origin "assumed"', () => {
    for (const [text, names] of [['-np.sum(y*np.log(p))', ['y', 'p']], ['(0.5*(y_true - y_pred)**2).mean()', ['y_true', 'y_pred']]] as const) {
      const { result, shapes } = matcalc(computeSelection(text, gradient));
      expect(shapes).toEqual(names.map((name) => ({ name, shape: '(n,)', from: 'assumed' })));
      expect(result.gradient.map((g) => g.shape)).toEqual(names.map(() => ['n']));
      expect(result.gradient.every((g) => g.check.passed)).toBe(true);
      expect(result.notes.some((n) => n.includes(`# ${names[0]}: (n,), ${names[1]}: (n,)`))).toBe(true);
    }
  });

  it('a vector-valued selection answers with its Jacobian and says so', () => {
    const { result, shapes } = matcalc(computeSelection('np.exp(x)/np.sum(np.exp(x))', gradient));
    expect(result.kind).toBe('jacobian');
    expect(result.gradient[0]!.shape).toEqual(['n', 'n']);
    expect(result.notes[0]).toMatch(/^The selection is vector-valued \(shape \(n,\)\): it has no gradient; its derivative is the Jacobian/);
    expect(shapes).toEqual([{ name: 'x', shape: '(n,)', from: 'assumed' }]);
  });

  it('a shape comment above the selection, or the code, wins over the assumption', () => {
    const doc = '# y: (k,), p: (k,)\nloss = -np.sum(y*np.log(p))';
    const c = matcalc(computeSelection('loss = -np.sum(y*np.log(p))', gradient, { documentText: doc, startLine: 1, endLine: 1 }));
    expect(c.shapes.map((s) => s.from)).toEqual(['comment', 'comment']);
    expect(c.result.assumed).toBeUndefined();
    expect(c.result.gradient.map((g) => g.shape)).toEqual([['k'], ['k']]);
    const code = 'import numpy as np\ny = np.ones(4)\np = np.ones(4)\nloss = -np.sum(y*np.log(p))';
    const analysis = new ShapeDocument().update(code);
    const a = matcalc(computeSelection('loss = -np.sum(y*np.log(p))', gradient, { documentText: code, startLine: 3, endLine: 3, analysis }));
    expect(a.shapes.map((s) => [s.name, s.from])).toEqual([['y', 'code'], ['p', 'code']]);
    expect(a.result.gradient.map((g) => g.shape)).toEqual([[4], [4]]);
  });

  it('@ between undeclared names says which shapes to declare, once', () => {
    const r = computeSelection('np.sum((X @ w - y)**2)', gradient);
    expect(r.result.ok).toBe(false);
    if (!r.result.ok) {
      expect(r.result.error.message).toMatch(/Declare them in a comment on the lines above, such as # X: \(n, d\), w: \(d,\)$/);
      expect(r.result.error.message).not.toContain('Declare the shapes in a comment');
    }
  });

  it('the panel\'s message with assumed shapes passes the protocol guard', () => {
    const r = computeSelection('-np.sum(y*np.log(p))', gradient);
    if (r.engine !== 'matcalc') throw new Error('expected matrix calculus');
    const source = { text: '-np.sum(y*np.log(p))', lang: 'python', start: { line: 0, character: 0 }, endLine: 0 };
    const msg = { type: 'matcalc', result: r.result, source, view: { showSteps: true }, shapes: r.shapes };
    expect(r.shapes.every((s) => s.from === 'assumed')).toBe(true);
    expect(isExtensionToWebview(msg)).toBe(true);
    expect(isExtensionToWebview({ ...msg, shapes: [{ name: 'y', shape: '(n,)', from: 'guessed' }] })).toBe(false);
  });

  it('scalar selections stay on the scalar engine', () => {
    const r = computeSelection('0.5*(y_true - y_pred)**2', gradient);
    expect(r.engine).toBe('scalar');
  });
});

describe('names bound to loaded data', () => {
  it('are found in the document (np.load, sklearn loaders, read_csv) and their partials are grouped as data', () => {
    const doc = 'import numpy as np\nfeats = np.load("x.npy")\nA, b = load_iris(return_X_y=True)\ndf = pd.read_csv("d.csv")\nw = 0.5\n';
    expect(loadedDataNames(doc).sort()).toEqual(['A', 'b', 'df', 'feats']);
    const r = computeSelection('z = w*feats + c\nloss = (z - 1)**2', { lang: 'python', budgetMs: 2000, mode: 'gradient' }, { documentText: doc });
    if (!r.result.ok) throw new Error(r.result.error.message);
    const groups = Object.fromEntries(r.result.gradient.map((g) => [g.wrt, (g as { group?: string }).group]));
    expect(groups).toEqual({ w: 'parameters', c: 'parameters', feats: 'data' });
  });
});
