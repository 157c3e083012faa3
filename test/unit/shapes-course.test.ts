/**
 * The shape analysis on code as a course writes it (issue 12): a network that keeps a list of layer
 * objects, reductions and NumPy functions of plain numbers, constants folded, arrays unpacked,
 * scipy.stats tests, unknown shapes that say why, and errors a `try` catches on purpose.
 */
import { describe, expect, it } from 'vitest';
import { analyzeShapes } from '../../core/shapes/index';
import { hoverMarkdown } from '../../extension/shapes/format';

const shapes = (src: string) => Object.fromEntries(analyzeShapes(src).symbols.map((s) => [`${s.name}@${s.line}`, s.shape]));

const LAYERS = `import numpy as np


class Dense:
    def __init__(self, n_in, n_out):
        self.W = np.random.randn(n_in, n_out) * 0.1
        self.b = np.zeros((1, n_out))

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, grad, lr):
        dx = grad @ self.W.T
        self.W -= lr * (self.x.T @ grad)
        return dx


class Sigmoid:
    def forward(self, x):
        self.y = 1 / (1 + np.exp(-x))
        return self.y

    def backward(self, grad, lr):
        return grad * self.y * (1 - self.y)
`;

describe('a list of layer objects', () => {
  it('built by appends in __init__ and iterated in forward and backward (reversed)', () => {
    const src = `${LAYERS}

class Network:
    def __init__(self):
        self.layers = []
        self.layers.append(Dense(3, 4))
        self.layers.append(Sigmoid())
        self.layers.append(Dense(4, 2))

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad, lr):
        for layer in reversed(self.layers):
            grad = layer.backward(grad, lr)
        return grad


X = np.random.randn(10, 3)
net = Network()
out = net.forward(X)
g = net.backward(np.ones((10, 2)), 0.1)
`;
    const s = shapes(src);
    const line = (t: string) => src.split('\n').indexOf(t) + 1;
    expect(s[`out@${line('out = net.forward(X)')}`]).toEqual([10, 2]);
    expect(s[`g@${line('g = net.backward(np.ones((10, 2)), 0.1)')}`]).toEqual([10, 3]);
    // inside the loop x takes the shapes (10, 4), (10, 4), (10, 2): only what they share is known
    expect(s[`x@${line('            x = layer.forward(x)')}`]).toEqual([10, null]);
  });

  it('built by a method called once per layer (net.add(Dense(2, 3))), then predict', () => {
    const src = `${LAYERS}

class Network:
    def __init__(self):
        self.layers = []

    def add(self, layer):
        self.layers.append(layer)

    def predict(self, x):
        output = x
        for layer in self.layers:
            output = layer.forward(output)
        return output


net = Network()
net.add(Dense(2, 3))
net.add(Sigmoid())
net.add(Dense(3, 1))
net.add(Sigmoid())
out = net.predict(np.zeros((4, 2)))
loss = np.mean((out - np.ones((4, 1))) ** 2)
`;
    const s = shapes(src);
    const line = (t: string) => src.split('\n').indexOf(t) + 1;
    expect(s[`out@${line('out = net.predict(np.zeros((4, 2)))')}`]).toEqual([4, 1]);
    expect(s[`loss@${line('loss = np.mean((out - np.ones((4, 1))) ** 2)')}`]).toEqual([]);
  });

  it('built in a short range loop from a list of sizes passed to the constructor', () => {
    const src = `${LAYERS}

class MLP:
    def __init__(self, sizes):
        self.layers = []
        for i in range(len(sizes) - 1):
            self.layers.append(Dense(sizes[i], sizes[i + 1]))
            if i < len(sizes) - 2:
                self.layers.append(Sigmoid())

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x


net = MLP([4, 16, 8, 3])
out = net.forward(np.ones((32, 4)))
`;
    const s = shapes(src);
    expect(s[`out@${src.split('\n').indexOf('out = net.forward(np.ones((32, 4)))') + 1}`]).toEqual([32, 3]);
  });

  it('a list passed to a function is read there as passed, and unknown after (the function may change it)', () => {
    const s = shapes(`import numpy as np
def total_rows(shapes):
    n = shapes[0] + shapes[1]
    shapes.append(5)
    return np.zeros((n, 2))
dims = [3, 4]
Z = total_rows(dims)
after = np.zeros(dims)
`);
    expect(s['Z@7']).toEqual([7, 2]);
    expect(s['after@8']).toBeNull();
  });

  it('a literal list of layers, with enumerate', () => {
    const src = `${LAYERS}
layers = [Dense(2, 5), Sigmoid(), Dense(5, 1)]
h = np.ones((7, 2))
for i, layer in enumerate(layers):
    h = layer.forward(h)
final = h
`;
    const s = shapes(src);
    expect(s[`final@${src.split('\n').indexOf('final = h') + 1}`]).toEqual([7, 1]);
  });

  it('a loop that may stop early is not run item by item: the result is not claimed', () => {
    const src = `${LAYERS}
layers = [Dense(2, 5), Sigmoid(), Dense(5, 1)]
h = np.ones((7, 2))
for layer in layers:
    if stop_here():
        break
    h = layer.forward(h)
final = h
`;
    const s = shapes(src);
    expect(s[`final@${src.split('\n').indexOf('final = h') + 1}`]).not.toEqual([7, 1]);
  });

  it('appends under a condition leave the list unknown, never a wrong length', () => {
    const src = `${LAYERS}

class Network:
    def __init__(self, deep):
        self.layers = [Dense(2, 3)]
        if deep:
            self.layers.append(Dense(3, 3))
        self.layers.append(Dense(3, 1))

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x


out = Network(flag).forward(np.ones((5, 2)))
`;
    const s = shapes(src);
    const got = s[`out@${src.split('\n').indexOf('out = Network(flag).forward(np.ones((5, 2)))') + 1}`];
    expect(got === null || (Array.isArray(got) && got[1] !== 3)).toBe(true);
  });
});

describe('scalars, constants and unpacking', () => {
  it('reductions over all axes are scalars whatever the input, even unknown', () => {
    const s = shapes(`import numpy as np
from helpers import load_scores
scores = load_scores()
avg = scores.mean()
spread = np.std(scores)
total = np.sum(scores)
top = scores.max()
per_column = scores.mean(axis=0)
kept = np.sum(scores, keepdims=True)
`);
    expect(s['avg@4']).toEqual([]);
    expect(s['spread@5']).toEqual([]);
    expect(s['total@6']).toEqual([]);
    expect(s['top@7']).toEqual([]);
    // with an axis or keepdims, the shape depends on the input's
    expect(s['per_column@8']).toBeNull();
    expect(s['kept@9']).toBeNull();
  });

  it('not when the file uses pandas (a DataFrame mean is a Series)', () => {
    const s = shapes(`import numpy as np
import pandas as pd
df = pd.read_csv("data.csv")
avg = df.mean()
`);
    expect(s['avg@4']).toBeNull();
  });

  it('NumPy functions of Python numbers are NumPy scalars; np.random of no size is not claimed', () => {
    const s = shapes(`import numpy as np
e = np.exp(0.5)
r = np.sqrt(2)
lr = 0.1 * np.exp(-0.01 * 3)
z = np.random.normal()
`);
    expect(s['e@2']).toEqual([]);
    expect(s['r@3']).toEqual([]);
    expect(s['lr@4']).toEqual([]);
    expect(s['z@5']).toBeNull();
  });

  it('int(), round(), // and * fold constants into sizes', () => {
    const s = shapes(`import numpy as np
N = 1000
n_test = int(0.05 * N)
n_half = round(N / 4)
n_seventh = N // 7
X = np.random.randn(N, 3)
X_test = X[:n_test]
A = np.zeros((n_half, n_seventh))
B = np.zeros(int(N * 0.25) + 1)
C = np.zeros(round(2.5))
`);
    expect(s['X_test@7']).toEqual([50, 3]);
    expect(s['A@8']).toEqual([250, 142]);
    expect(s['B@9']).toEqual([251]);
    // Python rounds halves to even: round(2.5) == 2
    expect(s['C@10']).toEqual([2]);
  });

  it('unpacking a 1-D array gives scalars', () => {
    const s = shapes(`import numpy as np
rng = np.random.default_rng(0)
flips = rng.integers(0, 2, size=100)
heads, tails = np.bincount(flips, minlength=2)
a, b, c = np.array([1.0, 2.0, 3.0])
row0, row1 = np.zeros((2, 5))
`);
    expect(s['heads@4']).toEqual([]);
    expect(s['tails@4']).toEqual([]);
    expect(s['a@5']).toEqual([]);
    expect(s['row1@6']).toEqual([5]);
  });

  it('np.array of a list built by appends in a loop has the trip count as length', () => {
    const s = shapes(`import numpy as np
rng = np.random.default_rng(1)
means = []
for trial in range(200):
    sample = rng.normal(size=30)
    means.append(sample.mean())
means = np.array(means)
`);
    expect(s['means@7']).toEqual([200]);
  });

  it('a list comprehension over an iteration of known length has that length', () => {
    const s = shapes(`import numpy as np
X = np.random.randn(150, 4)
y = np.random.randint(0, 3, size=150)
class_means = np.array([X[y == k].mean(axis=0) for k in range(3)])
squares = np.stack([row ** 2 for row in X[:5]])
odd = np.array([k for k in range(10) if k % 2])
`);
    expect(s['class_means@4']).toEqual([3, 4]);
    expect(s['squares@5']).toEqual([5, 4]);
    // a condition makes the length depend on the data
    expect(s['odd@6']).toBeNull();
  });

  it('np.c_ and np.r_ (the normal equation with a bias column)', () => {
    const s = shapes(`import numpy as np
m = 100
X = 2 * np.random.rand(m, 1)
y = 4 + 3 * X + np.random.randn(m, 1)
X_b = np.c_[np.ones((m, 1)), X]
theta = np.linalg.inv(X_b.T.dot(X_b)).dot(X_b.T).dot(y)
pairs = np.c_[np.arange(5), np.zeros(5)]
v = np.r_[np.ones(3), 0.5, np.zeros(2)]
R = np.r_[np.ones((2, 4)), np.zeros((3, 4))]
bad = np.c_[np.ones(3), np.ones(4)]
`);
    expect(s['X_b@5']).toEqual([100, 2]);
    expect(s['theta@6']).toEqual([2, 1]);
    expect(s['pairs@7']).toEqual([5, 2]);
    expect(s['v@8']).toEqual([6]);
    expect(s['R@9']).toEqual([5, 4]);
    const d = analyzeShapes('import numpy as np\nbad = np.c_[np.ones(3), np.ones(4)]\n').diagnostics;
    expect(d.map((x) => [x.line, x.severity, x.code])).toEqual([[2, 'error', 'concat']]);
  });

  it('np.linalg.lstsq, np.diff, np.nonzero / one-argument np.where, np.unique with counts', () => {
    const s = shapes(`import numpy as np
X1 = np.random.randn(442, 11)
y = np.random.randn(442)
beta, res, rank, sv = np.linalg.lstsq(X1, y, rcond=None)
B = np.linalg.lstsq(X1, np.ones((442, 2)), rcond=None)[0]
d = np.diff(y)
d2 = np.diff(X1, n=2, axis=0)
idx = np.where(np.abs(y) > 2)[0]
rows, cols = np.nonzero(X1 > 1)
values, counts = np.unique(np.random.randint(0, 5, size=50), return_counts=True)
`);
    expect(s['beta@4']).toEqual([11]);
    expect(s['sv@4']).toEqual([11]);
    expect(s['B@5']).toEqual([11, 2]);
    expect(s['d@6']).toEqual([441]);
    expect(s['d2@7']).toEqual([440, 11]);
    // as long as the data decides: one dimension, its size unknown
    expect(s['idx@8']).toEqual([null]);
    expect(s['cols@9']).toEqual([null]);
    expect(s['counts@10']).toEqual([null]);
  });

  it('scipy.stats tests return (statistic, pvalue) scalars, unpacked or by name', () => {
    const s = shapes(`import numpy as np
from scipy import stats
from scipy.stats import ttest_ind, pearsonr
a = np.random.normal(0, 1, 40)
b = np.random.normal(0.5, 1, 40)
t, p = ttest_ind(a, b)
r, p_r = pearsonr(a, b)
res = stats.mannwhitneyu(a, b)
p_u = res.pvalue
w, p_w = stats.wilcoxon(a - b)
chi, p_chi = stats.chisquare([10, 12, 8])
t2, p2 = stats.ttest_ind(np.ones((5, 3)), np.ones((5, 3)))
`);
    for (const k of ['t@6', 'p@6', 'r@7', 'p_r@7', 'p_u@9', 'w@10', 'p_w@10', 'chi@11', 'p_chi@11']) expect(s[k], k).toEqual([]);
    // 2-D samples give one result per column: not claimed to be scalars
    expect(s['t2@12']).toBeNull();
  });
});

describe('conditions the analysis can decide', () => {
  it('a known comparison runs its branch only; an unknown one joins the branches', () => {
    const s = shapes(`import numpy as np
n = 3
if n > 2:
    a = np.zeros(4)
elif n > 1:
    a = np.zeros(5)
else:
    a = np.zeros(6)
if n < 0:
    b = np.zeros(1)
else:
    b = np.zeros(2)
if flag:
    c = np.zeros((2, 1))
else:
    c = np.zeros((2, 2))
C = c
`);
    expect(s['a@4']).toEqual([4]);
    expect(s['b@12']).toEqual([2]);
    expect(s['C@17']).toEqual([2, null]);
  });

  it('a flag set in some iterations of a loop is not decided', () => {
    const s = shapes(`import numpy as np
done = False
for t in range(10):
    if t > limit:
        done = True
    if done:
        z = np.ones((2, 3))
    else:
        z = np.ones((2, 4))
Z = z
`);
    expect(s['Z@10']).toEqual([2, null]);
  });

  it('the main guard runs as the script does', () => {
    const s = shapes(`import numpy as np
if __name__ == "__main__":
    X = np.ones((8, 3))
Y = X * 2
`);
    expect(s['Y@4']).toEqual([8, 3]);
  });
});

describe('parameters kept in a dict', () => {
  it('entries read and set by string keys, also in the training loop', () => {
    const s = shapes(`import numpy as np
X = np.random.randn(40, 2)
y = np.random.rand(40)
p = {"w1": 0.1, "w2": -0.2, "b": 0.0}
for epoch in range(5):
    for i in range(len(y)):
        h = p["w1"] * X[i, 0] + p["w2"] * X[i, 1] + p["b"]
        d = 2 * (h - y[i])
        p["w1"] -= 0.1 * d * X[i, 0]
        p["b"] -= 0.1 * d
H = p["w1"] * X[:, 0] + p["w2"] * X[:, 1] + p["b"]
params = {}
params["W1"] = np.random.randn(2, 8)
params["b1"] = np.zeros(8)
Z = X @ params["W1"] + params["b1"]
`);
    expect(s['h@7']).toEqual([]);
    expect(s['H@11']).toEqual([40]);
    expect(s['Z@15']).toEqual([40, 8]);
  });

  it('in an instance attribute set in __init__', () => {
    const s = shapes(`import numpy as np
class Net:
    def __init__(self):
        self.params = {}
        self.params["W"] = np.random.randn(2, 3)
    def forward(self, x):
        return x @ self.params["W"]
out = Net().forward(np.ones((5, 2)))
`);
    expect(s['out@8']).toEqual([5, 3]);
  });

  it('a change the analysis cannot follow leaves the dict unknown, never stale', () => {
    const s = shapes(`import numpy as np
a = {"W": np.ones((2, 3))}
alias = a
alias["W"] = np.ones(7)
A = a["W"]
b = {"W": np.ones((2, 3))}
b.update({"W": np.ones(5)})
B = b["W"]
c = {"W": np.ones((2, 3))}
reset(c)
C = c["W"]
d = {"W": np.ones((2, 3))}
d[key] = np.ones(4)
D = d["W"]
e = {"W": np.ones((2, 3))}
if flag:
    e["W"] = np.ones((2, 9))
E = e["W"]
`);
    for (const k of ['A@5', 'B@8', 'C@11', 'D@14']) expect(s[k], k).toBeNull();
    expect(s['E@18']).toEqual([2, null]);
  });
});

describe('unknown says why', () => {
  const reasonOf = (src: string, name: string) => analyzeShapes(src).symbols.find((s) => s.name === name)?.unknownReason;

  it('names the call, the import or the construct that stopped the analysis', () => {
    const src = `import numpy as np
import helpers
from mytools import load_data
x = helpers.make_batch(32)
y = load_data("train")
z = mystery(3)
w = np.frobnicate(np.ones(3))
v = [np.ones(2) for k in range(9) if k % 2]
u = y + 1
`;
    expect(reasonOf(src, 'x')).toMatch(/helpers/);
    expect(reasonOf(src, 'y')).toMatch(/load_data.*mytools|mytools/);
    expect(reasonOf(src, 'z')).toMatch(/unknown function mystery/);
    expect(reasonOf(src, 'w')).toMatch(/unknown function np\.frobnicate/);
    expect(reasonOf(src, 'v')).toMatch(/list comprehension/);
    // an unknown operand passes its reason on
    expect(reasonOf(src, 'u')).toMatch(/mytools/);
  });

  it('a method of an unknown value names the root cause, not a chain', () => {
    const src = `import numpy as np
import helpers
x = helpers.make_batch(32)
y = x.reshape(2, -1).T
`;
    expect(reasonOf(src, 'x')).toBe('unknown function helpers.make_batch (helpers is a module the analysis does not read)');
    expect(reasonOf(src, 'y')).toBe(reasonOf(src, 'x'));
  });

  it('the hover says why and how to declare the shape', () => {
    const src = `import numpy as np
data = mystery_loader()
`;
    const a = analyzeShapes(src);
    const info = a.at(src.indexOf('data') + 1)!;
    expect(info.unknownReason).toMatch(/unknown function mystery_loader/);
    const md = hoverMarkdown(info)!;
    expect(md).toContain('Shape unknown');
    expect(md).toContain('mystery\\_loader');
    expect(md).toContain('`# data: (n, d)`');
  });

  it('no hover for a module name the analysis does not read (nothing to declare)', () => {
    const src = 'import helpers\nx = helpers.load()\n';
    const a = analyzeShapes(src);
    expect(hoverMarkdown(a.at(src.lastIndexOf('helpers') + 2)!)).toBeUndefined();
    expect(hoverMarkdown(a.at(src.indexOf('x =') + 0)!)).toContain('helpers is a module the analysis does not read');
  });

  it('a known shape has no reason', () => {
    const a = analyzeShapes('import numpy as np\nx = np.ones(3)\n');
    expect(a.symbols[0]!.unknownReason).toBeUndefined();
  });
});

describe('errors a try catches on purpose', () => {
  it('a shape error under except ValueError is information, saying where it is caught', () => {
    const src = `import numpy as np
a = np.ones(3)
b = np.ones((1, 3))
try:
    c = np.dot(a, b)
except ValueError:
    c = None
`;
    const d = analyzeShapes(src).diagnostics;
    expect(d).toHaveLength(1);
    expect(d[0]!.severity).toBe('information');
    expect(d[0]!.message).toMatch(/\(3,\).*\(1, 3\)/);
    expect(d[0]!.message).toMatch(/raises ValueError here, caught at line 6/);
  });

  it.each([
    ['except:', 'information'],
    ['except Exception as e:', 'information'],
    ['except (TypeError, ValueError):', 'information'],
    ['except TypeError:', 'error'],
    ['except IndexError:', 'error'],
  ])('%s → %s', (clause, severity) => {
    const src = `import numpy as np\ntry:\n    c = np.ones(3) @ np.ones((2, 2))\n${clause}\n    pass\n`;
    const d = analyzeShapes(src).diagnostics;
    expect(d.map((x) => x.severity)).toEqual([severity]);
  });

  it('an index error is caught by except IndexError; PyTorch errors by RuntimeError', () => {
    const np = analyzeShapes(`import numpy as np\nx = np.ones(3)\ntry:\n    y = x[5]\nexcept IndexError:\n    y = 0\n`).diagnostics;
    expect(np.map((x) => x.severity)).toEqual(['information']);
    const torch = analyzeShapes(`import torch\ntry:\n    y = torch.ones(3, 4) @ torch.ones(3, 4)\nexcept RuntimeError:\n    y = None\n`).diagnostics;
    expect(torch.map((x) => x.severity)).toEqual(['information']);
  });

  it('the dot-product demonstration: one information diagnostic per place, each failing call linked', () => {
    const src = `import numpy as np


def dot(a, b):
    try:
        return np.dot(a, b)
    except:
        return "fails"


u = np.array([1.0, 2.0, 3.0])
row = np.array([[1.0, 2.0, 3.0]])
col = np.array([[1.0], [2.0], [3.0]])

print(dot(u, u))
print(dot(row, col))
print(dot(col, row))
print(dot(u, row))
print(dot(row, row))
print(dot(col, col))
print(dot(u, row))
`;
    const d = analyzeShapes(src).diagnostics;
    expect(d.filter((x) => x.severity === 'error')).toEqual([]);
    expect(d).toHaveLength(1);
    const info = d[0]!;
    expect(info.severity).toBe('information');
    expect(info.line).toBe(6);
    expect(info.message).toMatch(/caught at line 7/);
    expect(info.message).toMatch(/4 calls of dot fail here/);
    // the failing calls, each call site once: dot(u, row), dot(row, row), dot(col, col), dot(u, row) again
    expect(info.related!.map((r) => r.line)).toEqual([18, 19, 20, 21]);
    expect(info.related![0]!.message).toMatch(/^dot\(u, row\) fails here: .*\(3,\) and \(1, 3\)/);
  });

  it('the same call outside the try is still an error', () => {
    const src = `import numpy as np


def dot(a, b):
    return np.dot(a, b)


u = np.ones(3)
row = np.ones((1, 3))
try:
    dot(u, row)
except ValueError:
    pass
dot(u, row)
`;
    const d = analyzeShapes(src).diagnostics;
    expect(d.map((x) => x.severity).sort()).toEqual(['error', 'information']);
    const err = d.find((x) => x.severity === 'error')!;
    expect(err.related?.map((r) => r.line)).toEqual([14]);
    const info = d.find((x) => x.severity === 'information')!;
    expect(info.message).toMatch(/caught at line 12/);
    expect(info.related?.map((r) => r.line)).toEqual([11]);
  });
});

describe('editing keeps the analysis equal to a fresh one', () => {
  // Lists, dicts and instances built in one statement and changed in others: after any edit, the
  // statements reused from the previous analysis must not see the changes of statements re-analyzed.
  it.each(['course_layer_list.py', 'course_dict_params.py', 'course_scalars_stats.py', 'np_lists.py'])('%s, a line inserted before each line in turn', async (file) => {
    const { readFileSync } = await import('node:fs');
    const { ShapeDocument } = await import('../../core/shapes/index');
    const text = readFileSync(`test/fixtures/shapes/programs/ok/${file}`, 'utf8');
    const lines = text.split('\n');
    const doc = new ShapeDocument();
    doc.update(text);
    for (let i = 0; i < lines.length; i += 1) {
      const edited = [...lines.slice(0, i), '# an inserted comment line', ...lines.slice(i)].join('\n');
      const inc = doc.update(edited);
      const fresh = analyzeShapes(edited);
      expect(inc.symbols, `${file}, line inserted at ${i + 1}`).toEqual(fresh.symbols);
      expect(inc.diagnostics.map((d) => [d.line, d.severity, d.message])).toEqual(fresh.diagnostics.map((d) => [d.line, d.severity, d.message]));
      doc.update(text);
    }
  });
});
