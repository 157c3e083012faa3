"""Loss functions, written with NumPy.

``y`` is the target and ``p`` (or ``z`` for logits) the prediction.
Each loss is one selectable expression on a single line.
"""

import numpy as np


def mse(p, y):
    # Mean squared error.
    return np.mean((p - y) ** 2)


def squared_error(p, y):
    # The per-example term of the MSE; d/dp = 2 (p - y).
    return (p - y) ** 2


def binary_cross_entropy(p, y):
    # Binary cross-entropy for a probability p in (0, 1).
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_with_logits(z, y):
    # The same loss on a logit z: p = sigmoid(z); d/dz = sigmoid(z) - y.
    return -(y * np.log(1 / (1 + np.exp(-z))) + (1 - y) * np.log(1 - 1 / (1 + np.exp(-z))))


def softmax(z):
    # Subtracting the max does not change the result and avoids overflow.
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def softmax_cross_entropy(z, k):
    # Cross-entropy of the softmax of logits z against the class index k.
    return -z[k] + np.log(np.sum(np.exp(z)))


def two_class_cross_entropy(a, b):
    # Softmax cross-entropy for two logits a, b when the true class is a.
    return -a + np.log(np.exp(a) + np.exp(b))


def huber(r, delta=1.0):
    # Quadratic near zero, linear in the tails; r = p - y is the residual.
    return np.where(np.abs(r) <= delta, 0.5 * r**2, delta * (np.abs(r) - 0.5 * delta))


def log_cosh(r):
    # A smooth loss that behaves like r**2 / 2 near zero and |r| far away.
    return np.log(np.cosh(r))


if __name__ == "__main__":
    p, y = np.array([0.9, 0.2, 0.6]), np.array([1.0, 0.0, 1.0])
    print("mse", mse(p, y))
    print("bce", binary_cross_entropy(p, y).mean())
    z = np.array([2.0, 1.0, 0.1])
    print("softmax", softmax(z), "ce", softmax_cross_entropy(z, 0))
    print("huber", huber(np.array([-2.0, 0.5, 3.0])))
