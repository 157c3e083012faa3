/**
 * Bindings inside function bodies take the shapes their calls saw: joined over
 * every call, and never when the function is also used in ways the analysis
 * does not follow.
 */
import { describe, expect, it } from 'vitest';
import { ShapeDocument, analyzeShapes } from '../../core/shapes/index';

const SRC = `import numpy as np

def f(x):
    y = x @ x.T
    z = y.sum(axis=0)
    return z

def g(a, b):
    h = a @ b
    return h

r = f(np.ones((3, 4)))
s = g(np.ones((2, 5)), np.ones((5, 7)))
t = g(np.ones((2, 5)), np.ones((5, 9)))

def cb(u):
    w = u * 2
    return w

vals = list(map(cb, [np.ones(3)]))
q = cb(np.ones((4, 4)))
`;

const shapes = (src: string) => Object.fromEntries(analyzeShapes(src).symbols.map((s) => [`${s.name}@${s.line}`, s.shape]));

describe('shapes inside function bodies come from their calls', () => {
  it('one call: the body takes its shapes', () => {
    const s = shapes(SRC);
    expect(s['y@4']).toEqual([3, 3]);
    expect(s['z@5']).toEqual([3]);
  });
  it('several calls: only what they agree on', () => {
    expect(shapes(SRC)['h@9']).toEqual([2, null]);
  });
  it('a function also passed as a callback keeps its def-time (unknown) shapes', () => {
    expect(shapes(SRC)['w@17']).toBeNull();
  });
  it('inlay hints inside the body show the refined shape', () => {
    const hints = analyzeShapes(SRC).hints.map((h) => `${h.line}:${h.label}`);
    expect(hints).toContain('4:(3, 3)');
  });
  it('stay right through incremental updates (an edit above, then an edit to the call)', () => {
    const doc = new ShapeDocument();
    doc.update(SRC);
    const shifted = `# a comment\n${SRC}`;
    const a = doc.update(shifted);
    expect(a.symbols.find((s) => s.name === 'y')!.shape).toEqual([3, 3]);
    const changed = shifted.replace('r = f(np.ones((3, 4)))', 'r = f(np.ones((6, 4)))');
    const b = doc.update(changed);
    expect(b.symbols.find((s) => s.name === 'y')!.shape).toEqual([6, 6]);
    expect(b.symbols).toEqual(analyzeShapes(changed).symbols);
  });
});

describe('incremental analysis equals a fresh one', () => {
  it('over random edits of the corpus programs', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = 'test/fixtures/shapes/programs/ok';
    const files = readdirSync(dir).filter((f) => f.endsWith('.py')).sort();
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let compared = 0;
    for (const f of files) {
      let text = readFileSync(`${dir}/${f}`, 'utf8');
      const doc = new ShapeDocument();
      doc.update(text);
      for (let k = 0; k < 4; k++) {
        const lines = text.split('\n');
        const i = rand(lines.length);
        if (k % 2 === 0) lines.splice(i, 0, '# an inserted comment line');
        else lines[i] = lines[i]!.replace(/\d/, (d) => String((Number(d) + 1) % 10));
        text = lines.join('\n');
        const inc = doc.update(text);
        const fresh = analyzeShapes(text);
        expect(inc.symbols, `${f} after edit ${k}`).toEqual(fresh.symbols);
        expect(inc.diagnostics.map((d) => [d.line, d.column, d.message]), `${f} after edit ${k}`).toEqual(fresh.diagnostics.map((d) => [d.line, d.column, d.message]));
        expect(inc.hints, `${f} after edit ${k}`).toEqual(fresh.hints);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});

describe('errors inside functions, met during a followed call', () => {
  const src = `import numpy as np

def layer(X, W):
    H = X @ W
    return H

ok = layer(np.ones((5, 2)), np.ones((2, 7)))
bad = layer(np.ones((5, 2)), np.ones((3, 7)))
`;
  it('are reported in the body, where the program would raise, and only once', () => {
    const d = analyzeShapes(src).diagnostics;
    expect(d).toHaveLength(1);
    expect(d[0]!.line).toBe(4);
    expect(d[0]!.code).toBe('matmul');
    expect(d[0]!.message).toMatch(/\(5, 2\) and \(3, 7\)/);
    expect(d[0]!.message).toMatch(/when layer is called/);
  });
  it('disappear when the call is fixed (incrementally too)', () => {
    const doc = new ShapeDocument();
    expect(doc.update(src).diagnostics).toHaveLength(1);
    expect(doc.update(src.replace('np.ones((3, 7))', 'np.ones((2, 7))')).diagnostics).toHaveLength(0);
  });
});

describe('for loops bind what each iteration sees', () => {
  it('range gives an int index; arrays and tensors iterate over their first axis; enumerate and zip pair them', () => {
    const src = `import numpy as np
xs = np.ones((12, 4))
ys = np.ones((12, 3))
for t in range(12):
    x_t = xs[t]
for row in xs:
    r = row * 2
for i, row2 in enumerate(ys):
    q = row2 + 1
for a, c in zip(xs, ys):
    s = a.sum() + c.sum()
`;
    const s = Object.fromEntries(analyzeShapes(src).symbols.map((y) => [y.name, y.shape]));
    expect(s.x_t).toEqual([4]);
    expect(s.r).toEqual([4]);
    expect(s.q).toEqual([3]);
    expect(s.s).toEqual([]);
  });
});

describe('splitting, scalars from math, parameters', () => {
  it('split and chunk give tuples of known pieces; math.* is a scalar; nn.Parameter keeps the shape', () => {
    const src = `import math
import torch
import torch.nn as nn
x = torch.randn(2, 12, 96)
q, k, v = x.split(32, dim=2)
a, b = torch.chunk(x, 2, dim=1)
first, last = x.split(50, dim=2)
att = q @ k.transpose(-2, -1) / math.sqrt(32)
p = nn.Parameter(torch.zeros(1, 1, 48))
`;
    const s = Object.fromEntries(analyzeShapes(src).symbols.map((y) => [y.name, y.shape]));
    expect([s.q, s.k, s.v]).toEqual([[2, 12, 32], [2, 12, 32], [2, 12, 32]]);
    expect([s.a, s.b]).toEqual([[2, 6, 96], [2, 6, 96]]);
    expect([s.first, s.last]).toEqual([[2, 12, 50], [2, 12, 46]]);
    expect(s.att).toEqual([2, 12, 12]);
    expect(s.p).toEqual([1, 1, 48]);
  });
});

describe('integer index arrays', () => {
  it('index like NumPy fancy indexing; boolean masks stay data-dependent', () => {
    const src = `import numpy as np
rng = np.random.default_rng(0)
A = np.ones((10, 12))
perm = rng.permutation(10)
shuffled = A[perm]
labels = rng.integers(0, 10, size=6)
onehot = np.eye(10)[labels]
first = perm[:5]
picked = A[first]
rows = np.array([0, 2, 4])
pairs = A[rows, rows]
N = 6
p = onehot[np.arange(N), labels]
masked = A[A > 0]
floats = np.arange(0.0, 1.0, 0.25)
`;
    const s = Object.fromEntries(analyzeShapes(src).symbols.map((y) => [y.name, y.shape]));
    expect(s.shuffled).toEqual([10, 12]);
    expect(s.onehot).toEqual([6, 10]);
    expect(s.picked).toEqual([5, 12]);
    expect(s.pairs).toEqual([3]);
    expect(s.p).toEqual([6]);
    // A full-rank boolean mask gives a 1-D result of data-dependent length (rank 1, never 2).
    expect(s.masked).toEqual([null]);
    expect(s.floats).toEqual([null]);
  });
  it('a boolean mask consumes as many dimensions as its rank', () => {
    const src = `import numpy as np
A = np.ones((4, 5, 6))
m = A[:, :, 0] > 0
B = A[m]
C = A[A[:, 0, 0] > 0]
E = A[..., 1]
F = A[None, 1]
`;
    const s = Object.fromEntries(analyzeShapes(src).symbols.map((y) => [y.name, y.shape]));
    expect(s.B).toEqual([null, 6]);
    expect(s.C).toEqual([null, 5, 6]);
    expect(s.E).toEqual([4, 5]);
    expect(s.F).toEqual([1, 5, 6]);
  });
});

describe('einsum and solve check their sizes', () => {
  it('flag a subscript with two different sizes, and a system whose sizes do not match', () => {
    const src = `import numpy as np
A = np.random.rand(2, 3)
B = np.random.rand(4, 5)
C = np.einsum('ij,jk->ik', A, B)
ok = np.einsum('ij,jk->ik', A, np.ones((3, 5)))
M = np.eye(3) * 2
x = np.linalg.solve(M, np.ones(4))
y = np.linalg.solve(M, np.ones(3))
`;
    const r = analyzeShapes(src);
    expect(r.diagnostics.map((d) => [d.line, d.code])).toEqual([
      [4, 'einsum'],
      [7, 'solve'],
    ]);
    expect(r.diagnostics[0]!.message).toMatch(/subscript 'j' is 3 in one operand and 4/);
    const s = Object.fromEntries(r.symbols.map((y) => [y.name, y.shape]));
    expect(s.ok).toEqual([2, 5]);
    expect(s.y).toEqual([3]);
  });
});

describe('triu/tril, flips, isclose, convolve, vander', () => {
  // Expected shapes as NumPy 1.24 gives them (checked with Debian's python3-numpy).
  it('match NumPy', () => {
    const src = `import numpy as np
a = np.triu(np.ones(3))
b = np.convolve(np.ones(100), np.ones(5))
c = np.convolve(np.ones(100), np.ones(5), mode='same')
d = np.convolve(np.ones(5), np.ones(100), mode='valid')
e = np.vander(np.ones(30), 5)
f = np.vander(np.ones(4))
g = np.isclose(np.ones((4, 1)), np.ones(7))
h = np.flipud(np.ones((48, 64, 3)))
`;
    const s = Object.fromEntries(analyzeShapes(src).symbols.map((y) => [y.name, y.shape]));
    expect(s).toEqual({ a: [3, 3], b: [104], c: [100], d: [96], e: [30, 5], f: [4, 4], g: [4, 7], h: [48, 64, 3] });
  });
});

describe('a function kept from an earlier update', () => {
  it('reads the globals at the call, not the ones its earlier update ended with', () => {
    const src = `import numpy as np
W = np.zeros((3, 3))

def f(x):
    return W @ x

y1 = f(np.ones(3))
W = np.zeros((4, 4))
`;
    const doc = new ShapeDocument();
    doc.update(src);
    // an edit of the call only: f's statement is kept, y1's is analyzed again
    const edited = src.replace('y1 = f(np.ones(3))', 'y1 = f(np.ones(4))');
    const inc = doc.update(edited);
    const fresh = analyzeShapes(edited);
    expect(inc.symbols).toEqual(fresh.symbols);
    expect(inc.diagnostics.map((d) => d.line)).toEqual(fresh.diagnostics.map((d) => d.line));
    // W is (3, 3) at the call: W @ (4,) is an error, never a (4,) from the later W
    expect(inc.symbols.find((s) => s.name === 'y1')!.shape).toBeNull();
  });
});
