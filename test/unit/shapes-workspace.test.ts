/**
 * Shapes from the workspace (issue 12): np.load of .npy/.npz files (headers
 * only, the file named in the hover), sklearn's bundled datasets, and the
 * workspace's own modules (from-imports, `import mod`, relative imports),
 * specialised per call, cached per file and re-read when a file changes;
 * cycles and missing modules are unknown.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SKLEARN_DATASETS } from '../../core/shapes/datasets';
import { type ShapeHost, fsShapeHost } from '../../core/shapes/host';
import { ShapeDocument, analyzeShapes } from '../../core/shapes/index';
import { hoverMarkdown } from '../../extension/shapes/format';

/** A .npy file (format 1.0) of the given shape and dtype, zero-filled. */
function npy(shape: number[], descr = '<f8', itemSize = 8): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const count = shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(10 + header.length + count * itemSize);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  return out;
}

let dir: string;
const w = (rel: string, data: string | Uint8Array) => {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, data);
  return p;
};
/** Sets a file's mtime apart from its previous one, so its version surely changes. */
const touchLater = (p: string, s: number) => fs.utimesSync(p, new Date(1_700_000_000_000 + s * 1000), new Date(1_700_000_000_000 + s * 1000));

beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mathlens-ws-')));
  w('data/train.npy', npy([60, 5]));
  w('data/labels.npy', npy([60], '<i8'));
  w('data/big.npy', npy([3, 4, 5], '<f4', 4));
  w('data/broken.npy', 'not an npy file at all');
  w('data/pack.npz', zipSync({ 'X.npy': [npy([10, 3]), { level: 0 }], 'y.npy': [npy([10], '<i8'), { level: 6 }] }));
  w(
    'layers.py',
    `import numpy as np

class Dense:
    def __init__(self, n_in, n_out):
        self.W = np.zeros((n_in, n_out))
        self.b = np.zeros(n_out)

    def forward(self, x):
        return x @ self.W + self.b

def relu(z):
    return np.maximum(z, 0)

def _private(z):
    return z
`,
  );
  w('pkg/__init__.py', '');
  w('pkg/helpers.py', `import numpy as np\n\ndef outer(a, b):\n    return np.outer(a, b)\n`);
  w('pkg/user.py', `from .helpers import outer\n\ndef gram(a):\n    return outer(a, a)\n`);
  w('cyc_a.py', `from cyc_b import g\n\ndef f(x):\n    return g(x)\n`);
  w('cyc_b.py', `from cyc_a import f\n\ndef g(x):\n    return f(x)\n`);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const host = (): ShapeHost => fsShapeHost(fs, dir);
function run(src: string, file = 'main.py', h: ShapeHost = host()) {
  const p = w(file, src);
  return { a: analyzeShapes(src, { host: h, file: p }), src };
}
const sym = (r: { a: ReturnType<typeof analyzeShapes> }, name: string) => r.a.symbols.filter((s) => s.name === name).at(-1)?.shape;
const hover = (r: { a: ReturnType<typeof analyzeShapes>; src: string }, needle: string) => r.a.at(r.src.indexOf(needle) + 1);

describe('np.load reads the header of the workspace file', () => {
  it('.npy next to the file, relative paths, dtypes', () => {
    const r = run(`import numpy as np\nX = np.load("data/train.npy")\ny = np.load('data/labels.npy')\nZ = np.load("./data/../data/big.npy")\nH = X @ np.ones((5, 2))\n`);
    expect(sym(r, 'X')).toEqual([60, 5]);
    expect(sym(r, 'y')).toEqual([60]);
    expect(sym(r, 'Z')).toEqual([3, 4, 5]);
    expect(sym(r, 'H')).toEqual([60, 2]);
    const h = hover(r, 'X =');
    expect(h?.steps.some((s) => s.file === 'data/train.npy' && /from file data\/train\.npy/.test(s.detail))).toBe(true);
    // the hover text names the file
    const md = hoverMarkdown(h!);
    expect(md).toMatch(/\(60, 5\)/);
    expect(md).toMatch(/From file `data\/train\.npy`/);
  });

  it('resolves from the file folder first, then the workspace folder', () => {
    const r = run(`import numpy as np\nX = np.load("data/train.npy")\nU = np.load("../data/big.npy")\n`, 'sub/script.py');
    expect(sym(r, 'X')).toEqual([60, 5]); // not under sub/: found in the workspace folder
    expect(sym(r, 'U')).toEqual([3, 4, 5]); // relative to sub/
  });

  it('.npz members by name, stored and deflated', () => {
    const r = run(`import numpy as np\nd = np.load("data/pack.npz")\nX = d["X"]\ny = d['y']\nq = d["nope"]\n`);
    expect(sym(r, 'X')).toEqual([10, 3]);
    expect(sym(r, 'y')).toEqual([10]);
    expect(sym(r, 'q')).toBeNull();
    expect(hover(r, 'd =')?.steps.some((s) => s.file === 'data/pack.npz')).toBe(true);
  });

  it('missing, unreadable, non-literal or no host: unknown, never an error', () => {
    const src = `import numpy as np\nA = np.load("nowhere.npy")\nB = np.load("data/broken.npy")\nname = input()\nC = np.load(name)\n`;
    const r = run(src);
    expect(sym(r, 'A')).toBeNull();
    expect(sym(r, 'B')).toBeNull();
    expect(sym(r, 'C')).toBeNull();
    expect(r.a.diagnostics).toEqual([]);
    expect(r.a.cut).toBeUndefined();
    expect(hover(r, 'A =')?.steps.some((s) => /not found/.test(s.detail))).toBe(true);
    const noHost = analyzeShapes(`import numpy as np\nX = np.load("data/train.npy")\n`);
    expect(noHost.symbols.find((s) => s.name === 'X')?.shape).toBeNull();
  });

  it('a file that changes is read again by the incremental document', () => {
    const src = `import numpy as np\nX = np.load("data/changing.npy")\nY = X.T\n`;
    const p = w('main2.py', src);
    const f = w('data/changing.npy', npy([7, 2]));
    touchLater(f, 1);
    const doc = new ShapeDocument();
    const h = host();
    expect(doc.update(src, { host: h, file: p }).symbols.find((s) => s.name === 'Y')?.shape).toEqual([2, 7]);
    w('data/changing.npy', npy([9, 4]));
    touchLater(f, 2);
    expect(doc.update(src, { host: h, file: p }).symbols.find((s) => s.name === 'Y')?.shape).toEqual([4, 9]);
    fs.rmSync(f);
    expect(doc.update(src, { host: h, file: p }).symbols.find((s) => s.name === 'Y')?.shape).toBeNull();
  });
});

describe("sklearn's bundled datasets", () => {
  it('attributes, items and return_X_y', () => {
    const r = run(`from sklearn.datasets import load_iris, load_digits\nfrom sklearn import datasets\nimport sklearn.datasets as skd\niris = load_iris()\nX = iris.data\ny = iris["target"]\nXd, yd = load_digits(return_X_y=True)\nimgs = datasets.load_digits().images\nXb = skd.load_breast_cancer().data\nXw = datasets.load_wine()['data']\nyt = datasets.load_diabetes().target\nXf = load_iris(as_frame=True).data\n`);
    expect(sym(r, 'X')).toEqual([150, 4]);
    expect(sym(r, 'y')).toEqual([150]);
    expect(sym(r, 'Xd')).toEqual([1797, 64]);
    expect(sym(r, 'yd')).toEqual([1797]);
    expect(sym(r, 'imgs')).toEqual([1797, 8, 8]);
    expect(sym(r, 'Xb')).toEqual([569, 30]);
    expect(sym(r, 'Xw')).toEqual([178, 13]);
    expect(sym(r, 'yt')).toEqual([442]);
    expect(sym(r, 'Xf')).toBeNull(); // pandas
  });

  it('the table agrees with scikit-learn (recorded by test/fixtures/shapes/sklearn_datasets.py)', () => {
    const rec = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/shapes/sklearn-datasets.json'), 'utf8')) as Record<string, Record<string, number[]>>;
    expect(Object.keys(SKLEARN_DATASETS).sort()).toEqual(Object.keys(rec).sort());
    for (const [name, d] of Object.entries(SKLEARN_DATASETS)) {
      expect(d.data, name).toEqual(rec[name]!.data);
      expect(d.target, name).toEqual(rec[name]!.target);
      for (const [k, e] of Object.entries(d.extra ?? {})) expect(e.shape, `${name}.${k}`).toEqual(rec[name]![k]);
    }
  });
});

describe("the workspace's own modules", () => {
  it('from mod import *: classes and functions, specialised per call', () => {
    const r = run(`import numpy as np\nfrom layers import *\nl1 = Dense(4, 8)\nl2 = Dense(8, 3)\nx = np.ones((32, 4))\nh = relu(l1.forward(x))\nout = l2.forward(h)\nv = relu(np.ones(5))\np = _private(x)\n`);
    expect(sym(r, 'h')).toEqual([32, 8]);
    expect(sym(r, 'out')).toEqual([32, 3]);
    expect(sym(r, 'v')).toEqual([5]);
    expect(sym(r, 'p')).toBeNull(); // underscore names are not star-imported
    expect(hover(r, 'relu(l1')?.steps.some((s) => s.file === 'layers.py')).toBe(true);
  });

  it('from mod import f, import mod, import … as, relative imports in a package', () => {
    const r = run(`import numpy as np\nfrom layers import Dense as D, relu\nimport layers\nimport layers as L\nfrom pkg.user import gram\nimport pkg.helpers\na = D(2, 6).forward(np.ones((1, 2)))\nb = layers.relu(np.ones((3, 3)))\nc = L.Dense(5, 1).forward(np.ones((7, 5)))\ng = gram(np.ones(4))\no = pkg.helpers.outer(np.ones(2), np.ones(3))\n`);
    expect(sym(r, 'a')).toEqual([1, 6]);
    expect(sym(r, 'b')).toEqual([3, 3]);
    expect(sym(r, 'c')).toEqual([7, 1]);
    expect(sym(r, 'g')).toEqual([4, 4]);
    expect(sym(r, 'o')).toEqual([2, 3]);
  });

  it('a shape error inside the imported function is not reported in the importing file, and no false shape', () => {
    const r = run(`import numpy as np\nfrom layers import Dense\nd = Dense(4, 8)\nz = d.forward(np.ones((2, 5)))\n`);
    expect(r.a.diagnostics).toEqual([]);
    expect(sym(r, 'z')).not.toEqual([2, 8]);
  });

  it('an import cycle and a missing module are unknown, and never hang', () => {
    const r = run(`import numpy as np\nfrom cyc_a import f\nfrom cyc_b import g\nimport nothing_here\nfrom nothing_either import k\ny = f(np.ones(3))\nz = g(np.ones(3))\nq = nothing_here.h(np.ones(3))\n`);
    expect(sym(r, 'y')).toBeNull();
    expect(sym(r, 'z')).toBeNull();
    expect(sym(r, 'q')).toBeNull();
    expect(r.a.cut).toBeUndefined();
    expect(r.a.diagnostics).toEqual([]);
  });

  it('the imported file changing re-analyzes the statements that use it', () => {
    const mod = w('mod_changing.py', `import numpy as np\n\ndef make():\n    return np.zeros((2, 3))\n`);
    touchLater(mod, 1);
    const src = `from mod_changing import make\nA = make()\nB = A.T\n`;
    const p = w('main3.py', src);
    const h = host();
    const doc = new ShapeDocument();
    expect(doc.update(src, { host: h, file: p }).symbols.find((s) => s.name === 'B')?.shape).toEqual([3, 2]);
    w('mod_changing.py', `import numpy as np\n\ndef make():\n    return np.zeros((5, 4, 1))\n`);
    touchLater(mod, 2);
    expect(doc.update(src, { host: h, file: p }).symbols.find((s) => s.name === 'B')?.shape).toEqual([1, 4, 5]);
    // a second document sharing the host gets the cached, current module
    expect(analyzeShapes(src, { host: h, file: p }).symbols.find((s) => s.name === 'B')?.shape).toEqual([1, 4, 5]);
  });

  it("an importer changing an imported object's attribute does not change the module other files read", () => {
    w('shared_net.py', `import numpy as np\nfrom layers import Dense\nnet = Dense(2, 3)\n`);
    const h = host();
    const a = run(`import numpy as np\nfrom shared_net import net\nnet.W = np.zeros((2, 9))\nnet.b = np.zeros(9)\nya = net.forward(np.ones((1, 2)))\n`, 'imp_a.py', h);
    expect(sym(a, 'ya')).toEqual([1, 9]);
    const b = run(`import numpy as np\nfrom shared_net import net\nyb = net.forward(np.ones((1, 2)))\n`, 'imp_b.py', h);
    expect(sym(b, 'yb')).toEqual([1, 3]);
  });

  it('a file importing itself is unknown there, not a hang', () => {
    const r = run(`import numpy as np\nfrom selfimp import g\ndef g(x):\n    return x\ny = g(np.ones(2))\n`, 'selfimp.py');
    expect(sym(r, 'y')).toEqual([2]); // its own def, bound after the import
    expect(r.a.cut).toBeUndefined();
  });

  it('an in-memory host works the same (the extension passes open editors this way)', () => {
    const files = new Map<string, string>([
      ['/ws/a.py', 'import numpy as np\nfrom b import W\nY = np.ones((6, 3)) @ W\n'],
      ['/ws/b.py', 'import numpy as np\nW = np.zeros((3, 9))\n'],
    ]);
    const mem: ShapeHost = {
      root: '/ws',
      stat: (p) => (files.has(p) ? { size: files.get(p)!.length, version: files.get(p)! } : undefined),
      readText: (p) => files.get(p),
      readBytes: () => undefined,
    };
    const doc = new ShapeDocument();
    expect(doc.update(files.get('/ws/a.py')!, { host: mem, file: '/ws/a.py' }).symbols.find((s) => s.name === 'Y')?.shape).toEqual([6, 9]);
    files.set('/ws/b.py', 'import numpy as np\nW = np.zeros((3, 2))\n');
    expect(doc.update(files.get('/ws/a.py')!, { host: mem, file: '/ws/a.py' }).symbols.find((s) => s.name === 'Y')?.shape).toEqual([6, 2]);
  });
});
