import { describe, expect, it } from 'vitest';
import { literalValue, valuesAbove } from '../../core/backprop/context';
import { backpropGraph } from '../../core/backprop/index';

describe('literalValue', () => {
  it('numbers and literal arrays in Python spellings', () => {
    expect(literalValue('-1.2')).toBe(-1.2);
    expect(literalValue('1e-3')).toBe(0.001);
    expect(literalValue('.5')).toBe(0.5);
    expect(literalValue('np.array([[1., 2], [-.5, +3e1]])')).toEqual([[1, 2], [-0.5, 30]]);
    expect(literalValue('torch.tensor([0.5, -1.0], requires_grad=True)')).toEqual([0.5, -1]);
    expect(literalValue('np.array([1, 2,])')).toEqual([1, 2]);
  });
  it('anything else is not a literal', () => {
    for (const t of ['x + 1', 'np.random.randn(3)', 'np.array(x)', 'np.array([1, y])', '[]', 'np.array([])', 'float("nan")', '1e400', 'np.array([[1, 2], [3, 4]]) * 2']) {
      expect(literalValue(t), t).toBeUndefined();
    }
  });
});

describe('valuesAbove', () => {
  const doc = [
    'import numpy as np',
    'w, x, b, y = -1.2, 0.5, 0.3, 1.0  # one neuron',
    'W = np.array([[1, 2], [3, 4]])',
    'lr = 0.1',
    'lr = lr * 0.5',
    'for step in range(3):',
    '    b = b - 0.1',
    'z = w * x + b',
    'a = 1 / (1 + np.exp(-z))',
    'loss = (a - y) ** 2',
    'y = 5.0',
  ].join('\n');

  it('takes the certain values before the selection: literals, tuples, arrays', () => {
    expect(valuesAbove(doc, 7, ['w', 'x', 'b', 'y', 'W', 'lr', 'z'])).toEqual({ w: -1.2, x: 0.5, y: 1, W: [[1, 2], [3, 4]] });
  });
  it('drops a name assigned again with something else, in a loop, or as a loop variable', () => {
    const v = valuesAbove('x = 1.0\nfor x in range(3):\n    pass\nk = 2\nk += 1\nm = 3\nm, n = f()\n', 7, ['x', 'k', 'm', 'n']);
    expect(v).toEqual({});
  });
  it('reads nothing at or below the selection', () => {
    expect(valuesAbove(doc, 0, ['w'])).toEqual({});
    expect(valuesAbove(doc, 10, ['y'])).toEqual({ y: 1 });
  });
});

describe('backpropGraph with values from the code above', () => {
  it('uses them as code values after the selection\'s own and before defaults', () => {
    const r = backpropGraph('z = w * x + b\nloss = (z - y) ** 2', { values: { w: -1.2, x: 0.5, b: 0.3 } });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.leaves.map((l) => [l.name, l.value, l.source])).toEqual([['w', -1.2, 'code'], ['x', 0.5, 'code'], ['b', 0.3, 'code'], ['y', expect.any(Number), 'default']]);
    const own = backpropGraph('w = 2.0\nloss = w * x', { values: { w: -1.2 }, at: { x: 3 } });
    if (!own.ok) throw new Error(own.error.message);
    expect(own.leaves.map((l) => [l.name, l.value, l.source])).toEqual([['w', 2, 'code'], ['x', 3, 'at']]);
  });
  it('an array from above makes the graph shaped', () => {
    const r = backpropGraph('loss = np.sum(W @ v)', { values: { W: [[1, 2], [3, 4]], v: [1, -1] } });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.leaves.find((l) => l.name === 'W')!.grad).toEqual([[1, -1], [1, -1]]);
    expect(r.leaves.find((l) => l.name === 'v')!.grad).toEqual([4, 6]);
  });
  it('a value from above that does not fit the declared shape is not used (another variable of the same name)', () => {
    const r = backpropGraph('# b2: (2,), h: (2,)\nloss = np.sum(h + b2)', { values: { b2: -3 } });
    if (!r.ok) throw new Error(r.error.message);
    const b2 = r.leaves.find((l) => l.name === 'b2')!;
    expect(b2.shape).toEqual([2]);
    expect(b2.source).toBe('default');
  });
});
