/**
 * The shape foundation shared by the shape interpreter, matrix calculus, backprop and the selection
 * code: one comment grammar, one broadcasting function, one printer; and the elementwise functions
 * the shape interpreter takes from the operation catalogue.
 */
import { describe, expect, it } from 'vitest';
import { formatShape as hoverShape } from '../../extension/shapes/format';
import { parseShapeSpec as matcalcSpec, parseOneHot, broadcast as matcalcBroadcast, ShapeError, showShape } from '../../core/matcalc/shapes';
import { OPS } from '../../core/ops';
import { parseShapeDecls } from '../../core/shapes/comments';
import { type Dim, broadcastDims, formatShape, parseDimText, symDim } from '../../core/shapes/dim';
import { analyzeShapes } from '../../core/shapes/index';
import { broadcastShapes } from '../../core/shapes/rules';

const PRE = 'import numpy as np\nimport scipy.special\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

function shapes(src: string): Record<string, unknown> {
  const r = analyzeShapes(PRE + src);
  const out: Record<string, unknown> = {};
  for (const s of r.symbols) out[s.name] = s.shape;
  return out;
}

/** The hover's shape of the name at the first occurrence of `needle` in `src`. */
function hoverAt(src: string, needle: string): unknown {
  const text = PRE + src;
  return analyzeShapes(text).at(text.indexOf(needle))?.shape;
}

describe('the shape-comment grammar', () => {
  it('reads several names per comment, separated by commas, semicolons or spaces', () => {
    for (const c of ['# X: (n, d), w: (d,)', '# X: (n, d); w: (d,)', '# X: (n,d) w: (d,)', 'X:(n,d),w:(d,)']) {
      const decls = parseShapeDecls(c);
      expect(decls.map((d) => [d.name, formatShape(d.shape)]), c).toEqual([
        ['X', '(n, d)'],
        ['w', '(d,)'],
      ]);
    }
  });

  it('scalars, unknown sizes, any rank, polynomials, one-hot; bad dims drop the declaration', () => {
    const d = parseShapeDecls('# b: (), u: (?, 3), v: (_,), r: (...), p: (H - 2, 2*n), Y: (n, k) onehot, Z: (n, k) one-hot, bad: (batch size, 3), x.shape: (9,)');
    const m = new Map(d.map((x) => [x.name, x]));
    expect(formatShape(m.get('b')!.shape)).toBe('()');
    expect(m.get('u')!.shape).toEqual([null, 3]);
    expect(m.get('v')!.shape).toEqual([null]);
    expect(m.get('r')!.shape).toBeNull();
    expect(formatShape(m.get('p')!.shape)).toBe('(H - 2, 2*n)');
    expect(m.get('Y')!.onehot).toBe(true);
    expect(m.get('Z')!.onehot).toBe(true);
    expect(m.get('u')!.onehot).toBe(false);
    expect(m.has('bad')).toBe(false);
    // an attribute is not a name
    expect(m.has('shape')).toBe(false);
  });

  it('matrix calculus reads the same grammar (plain names and positive sizes only)', () => {
    const spec = matcalcSpec('# X: (n, d); w: (d,) y: (n,), lam: (), q: (n - 1,), u: (?, 3)');
    expect([...spec]).toEqual([
      ['X', ['n', 'd']],
      ['w', ['d']],
      ['y', ['n']],
      ['lam', []],
    ]);
    expect([...parseOneHot('# X: (n, d), Y: (n, k) one-hot')]).toEqual(['Y']);
  });

  it('the several-names comment gives each name its shape in the analysis (hover path)', () => {
    const src = '# X: (n, d), w: (d,)\nX, w = load_data()\nz = X @ w\n';
    const s = shapes(src);
    expect(s.X).toEqual(['n', 'd']);
    expect(s.w).toEqual(['d']);
    expect(s.z).toEqual(['n']);
    expect(hoverAt(src, 'X @')).toEqual(['n', 'd']);
    expect(hoverAt(src, 'w\n')).toEqual(['d']);
  });

  it('names from outside the file, declared on the line above, and parameters', () => {
    const s = shapes('# X: (n, d); w: (d,)\nz = X @ w\n# A: (B, 3) b: (3,)\ndef f(A, b):\n    c = A + b\n    return c\n');
    expect(s.z).toEqual(['n']);
    expect(s.c).toEqual(['B', 3]);
    expect(hoverAt('# X: (n, d), w: (d,)\nz = X @ w\n', 'w\n')).toEqual(['d']);
  });

  it('`# shape: (…)` after an assignment declares the one name it binds', () => {
    const s = shapes('t = load()  # shape: (n, 3)\na, b = load()  # shape: (n, 3)\nm = np.ones((2, 5))  # shape: (2, 5)\n');
    expect(s.t).toEqual(['n', 3]);
    expect(s.a).toBeNull();
    expect(s.m).toEqual([2, 5]);
  });
});

describe('one broadcasting function', () => {
  const n = symDim('n');
  const d = symDim('d');
  const cases: [Dim[], Dim[]][] = [
    [[3, 1], [4]],
    [[n, d], [d]],
    [[n, 1], [1, d]],
    [[n, d], [n, 1]],
    [[], [n, d]],
    [[3], [4]],
    [[n, d], [3]],
    [[n], [d]],
    [[2, 3, 4], [3, 1]],
    [[n, 4], [5, 1, 4]],
  ];
  const named = (s: Dim[]): (number | string)[] => s.map((x) => (typeof x === 'number' ? x : formatShape([x]).slice(1, -2)));

  it('the shape interpreter and matrix calculus agree wherever both give a shape', () => {
    for (const [a, b] of cases) {
      const lenient = broadcastShapes(a, b);
      const strict = broadcastDims(a, b, 'strict');
      let mat: string;
      try {
        mat = showShape(matcalcBroadcast(named(a), named(b)));
      } catch (e) {
        expect(e).toBeInstanceOf(ShapeError);
        mat = 'error';
      }
      const label = `${formatShape(a)} with ${formatShape(b)}`;
      // matrix calculus is the strict mode of the same function
      expect(mat, label).toBe(strict.shape ? formatShape(strict.shape) : 'error');
      // where the strict mode gives a shape, the lenient one gives the same
      if (strict.shape) expect(formatShape(lenient.shape), label).toBe(formatShape(strict.shape));
      // a certain error in the interpreter is an error in matrix calculus
      if (lenient.bad) expect(mat, label).toBe('error');
    }
  });

  it('the interpreter is lenient only where a size is unknown, and matrix calculus names both shapes', () => {
    expect(formatShape(broadcastShapes([symDim('n'), symDim('d')], [3]).shape)).toBe('(n, 3)');
    expect(broadcastShapes([3], [4]).bad).toEqual([3, 4]);
    expect(() => matcalcBroadcast(['n'], ['d'])).toThrow('shapes (n,) and (d,) do not broadcast in elementwise operation: n ≠ d');
  });

  it('analyzeShapes and matrix calculus agree on a program', () => {
    const s = shapes('a = np.ones((3, 1)) + np.ones((4,))\n');
    expect(s.a).toEqual([3, 4]);
    expect(matcalcBroadcast([3, 1], [4])).toEqual([3, 4]);
  });
});

describe('one shape printer', () => {
  it('prints (n, d), (3,) and () the same everywhere', () => {
    for (const [dims, text] of [
      [['n', 'd'], '(n, d)'],
      [[3], '(3,)'],
      [[], '()'],
    ] as [(string | number)[], string][]) {
      expect(showShape(dims)).toBe(text);
      expect(hoverShape(dims)).toBe(text);
      expect(formatShape(dims.map((x) => (typeof x === 'number' ? x : parseDimText(x))))).toBe(text);
    }
  });
});

describe('elementwise functions from the catalogue', () => {
  const unary = OPS.filter((e) => e.shape === 'elementwise' && e.arity === 1);

  it('every spelling keeps the input shape, in every library', () => {
    const lines: string[] = ['x = np.ones((3, 4))', 't = torch.ones(3, 4)'];
    const expected: string[] = [];
    let i = 0;
    const add = (code: string): void => {
      lines.push(`r${i} = ${code}`);
      expected.push(`r${i++}`);
    };
    for (const e of unary) {
      for (const f of e.spell.numpy ?? []) add(`np.${f}(x)`);
      for (const f of e.spell.torch ?? []) add(`torch.${f}(t)`);
      for (const f of e.spell.F ?? []) add(`F.${f}(t)`);
      for (const f of e.spell.method ?? []) add(`t.${f}()`);
      for (const f of e.spell.scipy ?? []) add(`scipy.special.${f}(x)`);
    }
    const s = shapes(lines.join('\n') + '\n');
    expected.forEach((k, j) => expect(s[k], lines[j + 2]).toEqual([3, 4]));
    expect(expected.length).toBeGreaterThan(80);
  });

  it('the issue’s spellings, with parameters', () => {
    const s = shapes(`x = np.ones((5, 2))
t = torch.ones(5, 2)
a = np.cbrt(x)
b = F.gelu(t)
c = F.mish(t)
d = F.selu(t)
e = F.softsign(t)
f = torch.special.erf(t)
g = F.logsigmoid(t)
h = np.arcsinh(x)
i = F.leaky_relu(t, negative_slope=0.2)
j = F.elu(t, alpha=0.5)
k = scipy.special.expit(x)
l = np.maximum(0, x)
m = np.heaviside(x, np.ones((3, 1, 2)))
`);
    for (const k of 'abcdefghijkl') expect(s[k], k).toEqual([5, 2]);
    expect(s.m).toEqual([3, 5, 2]);
  });

  it('activation layers of the catalogue keep the shape', () => {
    const s = shapes(`x = torch.ones(8, 4)
net = nn.Sequential(nn.Linear(4, 6), nn.GELU(), nn.Mish(), nn.LeakyReLU(0.2), nn.Softsign(), nn.LogSigmoid(), nn.SiLU(), nn.ReLU6())
y = net(x)
`);
    expect(s.y).toEqual([8, 6]);
  });

  it('math functions give Python floats', () => {
    const s = shapes('import math\nv = math.erf(0.5) + math.log1p(1.0)\nu = np.ones(3) * v\n');
    expect(s.u).toEqual([3]);
  });
});
