#!/usr/bin/env python3
"""Python side of bench/calculus.mjs (issue 6): the peers of our matrix calculus and backprop engines.

    python3 bench/calculus_peers.py --input test-output/bench/calculus-input.json [--budget SECONDS]

Matrix calculus: SymPy's matrix calculus (MatrixSymbol with symbolic sizes, ``expr.diff(X)``) on the
course expressions of the bench, built once before timing; each timed repetition clears SymPy's cache
first (as bench/sympy_bench.py does), so it pays for its work as a first computation would. A case
SymPy cannot express or differentiate (an exception, a result of 0, or an unevaluated Derivative) is
reported with the reason instead of a time.

Backprop: PyTorch autograd in float64 (one thread) doing what a training step's gradient does: the
leaf tensors created with requires_grad from the values our engine used (read from --input), the
forward pass and .backward(); and, for the scalar cases, a micrograd-style pure-Python Value class.
Each returns its gradients so the caller can compare them with ours.

Times are medians in microseconds. Prints one JSON object on stdout.
"""
import argparse
import json
import math
import signal
import statistics
import sys
import time


class Timeout(Exception):
    pass


def _alarm(_sig, _frame):
    raise Timeout()


def median_us(fn, budget_s, min_reps=5, max_reps=100_000, before=None):
    """Median µs per call of fn() over repetitions (warm-up first)."""
    for _ in range(2):
        if before:
            before()
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < max_reps:
        if before:
            before()
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e6)
        if len(times) >= min_reps and time.perf_counter() - start > budget_s:
            break
    return statistics.median(times), len(times)


# ---------------------------------------------------------------------------------------- SymPy
def sympy_cases():
    """id -> (what SymPy is asked, a function returning the derivative(s))."""
    import sympy as sp
    from sympy import MatrixSymbol, Trace, Determinant, log, exp, tanh

    n, d, k, h, m, p = sp.symbols('n d k h m p', integer=True, positive=True)
    X = MatrixSymbol('X', n, d)
    w = MatrixSymbol('w', d, 1)
    y = MatrixSymbol('y', n, 1)
    r = X * w - y
    lam = sp.Symbol('lam')
    A = MatrixSymbol('A', n, n)
    x = MatrixSymbol('x', n, 1)
    S = MatrixSymbol('S', n, n)
    Am = MatrixSymbol('A', m, n)
    Xp = MatrixSymbol('X', n, p)
    B = MatrixSymbol('B', p, m)
    # A vector of ones as a constant symbol (SymPy 1.11's OneMatrix sends the differentiation into a RecursionError).
    one_n = MatrixSymbol('1_n', n, 1)
    one_k = MatrixSymbol('1_k', k, 1)
    W = MatrixSymbol('W', d, k)
    Y = MatrixSymbol('Y', n, k)
    Z = X * W
    W1 = MatrixSymbol('W1', d, h)
    b1 = MatrixSymbol('b1', h, 1)
    W2 = MatrixSymbol('W2', h, k)
    b2 = MatrixSymbol('b2', k, 1)
    E = (X * W1 + one_n * b1.T).applyfunc(tanh) * W2 + one_n * b2.T - Y
    mlp = Trace(E.T * E) / (n * k)
    Wj = MatrixSymbol('W', m, n)
    xs, ys = sp.symbols('x y')
    rosen = (1 - xs) ** 2 + 100 * (ys - xs ** 2) ** 2
    return {
        'least_squares': ('(X*w - y).T*(X*w - y) .diff(w)', [('w', lambda: (r.T * r).diff(w))]),
        'ridge': ('Trace((X*w - y).T*(X*w - y) + lam*w.T*w) .diff(w)', [('w', lambda: Trace(r.T * r + lam * w.T * w).diff(w))]),
        'quadratic': ('(x.T*A*x) .diff(x), .diff(A)', [('x', lambda: (x.T * A * x).diff(x)), ('A', lambda: (x.T * A * x).diff(A))]),
        'logdet': ('log(Determinant(S)) .diff(S)', [('S', lambda: log(Determinant(S)).diff(S))]),
        'trace': ('Trace(A*X*B) .diff(X)', [('X', lambda: Trace(Am * Xp * B).diff(Xp))]),
        'logistic': ('(1_n.T * (y∘(X*w)).applyfunc(log(1+exp(-t))) / n) .diff(w)',
                     [('w', lambda: (one_n.T * sp.HadamardProduct(y, X * w).applyfunc(lambda t: log(1 + exp(-t))) / n).diff(w))]),
        'softmax_xent': ('(1_n.T*log(exp(X*W)*1_k) - 1_n.T*(Y∘(X*W))*1_k) / n .diff(W)  (one-hot rows used by hand)',
                         [('W', lambda: ((one_n.T * (Z.applyfunc(exp) * one_k).applyfunc(log) - one_n.T * sp.HadamardProduct(Y, Z) * one_k) / n).diff(W))]),
        'mlp': ('Trace(E.T*E)/(n*k), E = tanh(X*W1 + 1_n*b1.T)*W2 + 1_n*b2.T - Y; .diff(W1), .diff(b1), .diff(W2), .diff(b2)',
                [(v.name, (lambda v=v: mlp.diff(v))) for v in (W1, b1, W2, b2)]),
        'jacobian_tanh': ('(W*x).applyfunc(tanh) .diff(x)', [('x', lambda: (Wj * x).applyfunc(tanh).diff(x))]),
        'hessian_rosenbrock': ('hessian((1-x)**2 + 100*(y-x**2)**2, (x, y))  (scalar SymPy)', [('x,y', lambda: sp.hessian(rosen, (xs, ys)))]),
    }


def why_not(res):
    """The reason a SymPy result is not a derivative, or None."""
    import sympy as sp
    from sympy.tensor.array.expressions import ArrayContraction, ArrayDiagonal, ArrayAdd, ArrayTensorProduct
    if res == 0 or getattr(res, 'is_ZeroMatrix', False):
        return 'returns 0 (wrong)'
    if isinstance(res, sp.Basic) and res.has(sp.Derivative):
        return 'leaves the derivative unevaluated (%s)' % next(iter(res.atoms(sp.Derivative)))
    if isinstance(res, sp.Basic) and any(res.has(c) for c in (ArrayContraction, ArrayDiagonal, ArrayAdd, ArrayTensorProduct)):
        return 'returns an array expression, not a matrix'
    return None


def run_sympy(ids, budget, cap):
    try:
        import sympy as sp
        from sympy.core.cache import clear_cache
    except ImportError as e:
        return {'ok': False, 'error': 'sympy missing: %s' % e}
    sys.setrecursionlimit(10_000)
    signal.signal(signal.SIGALRM, _alarm)
    cases = sympy_cases()
    out = {'ok': True, 'version': sp.__version__, 'cases': {}}
    for cid in ids:
        asked, parts = cases[cid]
        row = {'asked': asked, 'result': [], 'failed': []}
        for wrt, fn in parts:
            try:
                signal.alarm(int(cap))
                clear_cache()
                res = fn()
                signal.alarm(0)
            except Timeout:
                row['failed'].append('∂%s: no result within %d s' % (wrt, cap))
                row['result'].append(None)
                continue
            except Exception as e:  # noqa: BLE001 — any failure of SymPy is the finding
                signal.alarm(0)
                msg = str(e).strip().split('\n')[0]
                row['failed'].append('∂%s: %s%s' % (wrt, type(e).__name__, (': ' + msg[:90] + ('…' if len(msg) > 90 else '')) if msg else ''))
                row['result'].append(None)
                continue
            row['result'].append(str(res))
            reason = why_not(res)
            if reason:
                row['failed'].append('∂%s: %s' % (wrt, reason))
        if row['failed']:
            ok = [w for (w, _), r in zip(parts, row['result']) if r is not None and not any(f.startswith('∂%s:' % w) for f in row['failed'])]
            row['error'] = '; '.join(row['failed']) + ('; ∂%s succeed' % ', ∂'.join(ok) if ok else '')
        else:
            row['us'], row['reps'] = median_us(lambda: [fn() for _, fn in parts], budget, min_reps=3, before=clear_cache)
        del row['failed']
        out['cases'][cid] = row
    return out


# ---------------------------------------------------------------------------------------- backprop
class Value:
    """A scalar autograd value in the style of micrograd, with an iterative topological sort."""
    __slots__ = ('data', 'grad', '_backward', '_prev')

    def __init__(self, data, children=()):
        self.data = data
        self.grad = 0.0
        self._backward = None
        self._prev = children

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, k):
        out = Value(self.data ** k, (self,))

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,))

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,))

        def _backward():
            self.grad += (1 - t * t) * out.grad
        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other ** -1

    def __rtruediv__(self, other):
        return Value(other) * self ** -1

    def backward(self):
        topo, seen, stack = [], set(), [(self, False)]
        while stack:
            v, done = stack.pop()
            if done:
                topo.append(v)
                continue
            if id(v) in seen:
                continue
            seen.add(id(v))
            stack.append((v, True))
            for c in v._prev:
                if id(c) not in seen:
                    stack.append((c, False))
        self.grad = 1.0
        for v in reversed(topo):
            if v._backward:
                v._backward()


def backprop_cases(leaves):
    """id -> {torch: fn returning {name: grad}, micrograd: fn or None}."""
    import numpy as np
    import torch
    torch.set_num_threads(1)
    f64 = torch.float64

    def scalar(name):
        return float(leaves['neuron'][name])

    def torch_neuron():
        w, x, b, y = (torch.tensor(scalar(v), dtype=f64, requires_grad=True) for v in 'wxby')
        z = w * x + b
        a = 1 / (1 + torch.exp(-z))
        loss = (a - y) ** 2
        loss.backward()
        return {'w': w.grad, 'x': x.grad, 'b': b.grad, 'y': y.grad}

    def micrograd_neuron():
        w, x, b, y = (Value(scalar(v)) for v in 'wxby')
        z = w * x + b
        a = 1 / (1 + (-z).exp())
        loss = (a - y) ** 2
        loss.backward()
        return {'w': w.grad, 'x': x.grad, 'b': b.grad, 'y': y.grad}

    ch = leaves['chain']
    steps = int(ch['steps'])

    def torch_chain():
        w, b, h0 = (torch.tensor(float(ch[v]), dtype=f64, requires_grad=True) for v in ('w', 'b', 'h'))
        h = h0
        for _ in range(steps):
            h = torch.tanh(w * h + b)
        h.backward()
        return {'w': w.grad, 'b': b.grad, 'h': h0.grad}

    def micrograd_chain():
        w, b, h0 = (Value(float(ch[v])) for v in ('w', 'b', 'h'))
        h = h0
        for _ in range(steps):
            h = (w * h + b).tanh()
        h.backward()
        return {'w': w.grad, 'b': b.grad, 'h': h0.grad}

    arrays = {name: np.array(v, dtype=np.float64) for name, v in leaves['mlp'].items()}

    def torch_mlp():
        t = {name: torch.tensor(a, dtype=f64, requires_grad=True) for name, a in arrays.items()}
        H = torch.tanh(t['X'] @ t['W1'] + t['b1'])
        P = H @ t['W2'] + t['b2']
        mse = torch.mean((P - t['Y']) ** 2)
        mse.backward()
        return {name: v.grad for name, v in t.items()}

    return {
        'neuron': {'torch': torch_neuron, 'micrograd': micrograd_neuron},
        'chain': {'torch': torch_chain, 'micrograd': micrograd_chain},
        'mlp': {'torch': torch_mlp, 'micrograd': None},
    }, torch.__version__


def tolist(g):
    return g.tolist() if hasattr(g, 'tolist') else float(g)


def run_backprop(leaves, budget):
    try:
        cases, version = backprop_cases(leaves)
    except ImportError as e:
        return {'ok': False, 'error': 'torch/numpy missing: %s' % e}
    out = {'ok': True, 'torch': version, 'threads': 1, 'cases': {}}
    for cid, fns in cases.items():
        row = {}
        row['torch_us'], row['torch_reps'] = median_us(fns['torch'], budget)
        row['torch_grads'] = {k: tolist(v) for k, v in fns['torch']().items()}
        if fns['micrograd']:
            row['micrograd_us'], row['micrograd_reps'] = median_us(fns['micrograd'], budget)
            row['micrograd_grads'] = {k: tolist(v) for k, v in fns['micrograd']().items()}
        out['cases'][cid] = row
    return out


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument('--input', required=True, help='JSON from bench/calculus.mjs: matcalc ids and backprop leaf values')
    ap.add_argument('--budget', type=float, default=1.0, help='seconds of repetitions per measure')
    ap.add_argument('--cap', type=float, default=30.0, help='seconds after which a SymPy derivation is cut')
    args = ap.parse_args(argv)
    with open(args.input, encoding='utf8') as f:
        inp = json.load(f)
    out = {
        'ok': True,
        'python': '.'.join(map(str, sys.version_info[:3])),
        'sympy': run_sympy(inp['matcalc'], args.budget, args.cap),
        'backprop': run_backprop(inp['backprop'], args.budget),
    }
    print(json.dumps(out))


if __name__ == '__main__':
    main(sys.argv[1:])
