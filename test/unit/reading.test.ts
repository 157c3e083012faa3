/**
 * One reading of a selection (core/reading.ts): the gradient panel's parser, module names never
 * variables, np.mean / np.sum of numbers read as Compute Gradient reads them, and a located reason
 * when a selection is not an expression of numbers.
 */
import { describe, expect, it } from 'vitest';
import { isModuleNameIn, readSelection } from '../../core/reading';

function vars(text: string, lang: 'python' | 'javascript' | 'math' | 'latex' = 'python'): string[] {
  const r = readSelection(text, lang);
  if (!r.ok) throw new Error(r.error.message);
  return r.variables;
}

function reason(text: string, lang: 'python' | 'javascript' | 'math' | 'latex' = 'python') {
  const r = readSelection(text, lang);
  if (r.ok) throw new Error(`read as an expression of ${r.variables.join(', ')}`);
  return r.error;
}

describe('the variables of a selection', () => {
  it('torch.sigmoid(w*x+b) has w, x, b', () => {
    expect(vars('torch.sigmoid(w*x+b)')).toEqual(['b', 'w', 'x']);
  });
  it('a logistic loss under np.mean has p and y, never np', () => {
    const r = readSelection('-np.mean(y*np.log(p) + (1-y)*np.log(1-p))', 'python');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.variables).toEqual(['p', 'y']);
    expect(r.notes.join(' ')).toMatch(/np\.mean of a number is that number/);
  });
  it('sums and means of numbers (NumPy, PyTorch, methods) are the numbers, with offsets kept', () => {
    expect(vars('np.sum((y - w*x)**2)')).toEqual(['w', 'x', 'y']);
    expect(vars('torch.mean(torch.tanh(x))')).toEqual(['x']);
    expect(vars('(x**2).mean()')).toEqual(['x']);
    expect(vars('np.sum(x, keepdims=True)')).toEqual(['x']);
    expect(vars('z = np.sum(w*x)\nloss = z**2')).toEqual(['w', 'x']);
    // the error after a reduction is located in the original text
    const e = reason('np.mean(np.sin(x)) + foo(x)');
    expect(e.kind).toBe('parse');
    expect('np.mean(np.sin(x)) + foo(x)'.slice(e.offset, e.offset + e.length)).toBe('foo');
  });
  it('a forward pass keeps its target', () => {
    const r = readSelection('z = w*x + b\nloss = (z - y)**2', 'python');
    expect(r.ok && r.target).toBe('loss');
  });
  it('module names are modules in Python; outside it only the unambiguous ones', () => {
    for (const m of ['np', 'numpy', 'torch', 'F', 'plt', 'math', 'scipy', 'jnp', 'tf', 'pd', 'sns']) expect(isModuleNameIn(m, 'python')).toBe(true);
    expect(isModuleNameIn('x', 'python')).toBe(false);
    expect(isModuleNameIn('pl', 'python')).toBe(false);
    expect(isModuleNameIn('F', 'math')).toBe(false);
    expect(isModuleNameIn('Math', 'javascript')).toBe(true);
    expect(vars('F*x', 'math')).toEqual(['F', 'x']);
  });
});

describe('what is not an expression of numbers, and why', () => {
  it('plt.plot(...) is a plotting call, with no variable pl or plt', () => {
    const text = "plt.plot(x, z, color='#ff7f0e')";
    const e = reason(text);
    expect(e.kind).toBe('not-numbers');
    expect(e.message).toMatch(/^plt\.plot\(…\) is a plotting call/);
    expect(e.message).not.toMatch(/unknown method/);
    expect(text.slice(e.offset, e.offset + e.length)).toBe('plt.plot');
    expect(reason('ax.scatter(x, y)').message).toMatch(/ax\.scatter\(…\) is a plotting call/);
    expect(reason('sns.histplot(data)').message).toMatch(/plotting call/);
  });
  it('a module name alone is not a variable', () => {
    for (const t of ['np', '-np', 'plt', '2*torch']) {
      const e = reason(t);
      expect(e.kind).toBe('not-numbers');
      expect(e.message).toMatch(/is the name of a module, not a variable/);
    }
    expect(reason('-np').offset).toBe(1);
    expect(reason('Math', 'javascript').message).toMatch(/Math is the name of a module/);
  });
  it('a reduction along an axis is an array', () => {
    expect(reason('np.mean(x, axis=0)').message).toMatch(/np\.mean with an axis \(axis=0\).*array, not a number/);
    expect(reason('x.sum(0)').message).toMatch(/\.sum\(\) with an axis \(0\)/);
    expect(reason('torch.sum(x, dim=1)').message).toMatch(/torch\.sum with an axis \(dim=1\)/);
    expect(reason('torch.sigmoid(z).mean(dim=0)').message).toMatch(/\.mean\(\) with an axis \(dim=0\)/);
  });
  it('a reduction over a name declared as an array in a comment is a function of an array', () => {
    const e = reason('# x: (n,)\nnp.sum(x**2)');
    expect(e.kind).toBe('not-numbers');
    expect(e.message).toMatch(/x is declared as an array of shape \(n,\)/);
  });
  it('array operations, strings and pandas calls say so', () => {
    expect(reason('x @ w').message).toMatch(/expression of arrays, not of numbers/);
    expect(reason("'hello'").message).toMatch(/a string is not a number/);
    expect(reason("pd.read_csv('a.csv')").message).toMatch(/pandas call/);
  });
  it('an unknown function keeps the parser’s located message', () => {
    const e = reason('np.linspace(0, 1, 5)');
    expect(e.kind).toBe('parse');
    expect(e.message).toBe('unknown function "np.linspace"');
  });
  it('never throws', () => {
    for (const t of ['', ')', 'np.mean(', 'x.mean(', "np.mean('", '\u0000', 'np.sum(np.sum(np.sum(x)))']) expect(() => readSelection(t, 'python')).not.toThrow();
    expect(vars('np.sum(np.sum(np.sum(x)))')).toEqual(['x']);
  });
});
