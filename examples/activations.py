"""Activation functions of deep learning, written with NumPy.

Select the right-hand side of a ``return`` line (for example
``1 / (1 + np.exp(-x))``) and run "MathLens: Compute Gradient of Selection"
(Ctrl+Alt+G) to see its derivative, derived step by step.
"""

import numpy as np


def sigmoid(x):
    # The logistic function: squashes any real number into (0, 1).
    return 1 / (1 + np.exp(-x))


def tanh(x):
    # Hyperbolic tangent, written out with exponentials.
    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))


def relu(x):
    # Rectified linear unit: zero for negative inputs, identity otherwise.
    return np.maximum(0, x)


def leaky_relu(x, alpha=0.01):
    # A small slope alpha for negative inputs keeps gradients alive.
    return np.where(x > 0, x, alpha * x)


def softplus(x):
    # A smooth approximation of ReLU; its derivative is the sigmoid.
    return np.log(1 + np.exp(x))


def gelu(x):
    # Gaussian error linear unit, tanh approximation (Hendrycks & Gimpel).
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


def silu(x):
    # Sigmoid linear unit, also called swish: x times its own sigmoid.
    return x / (1 + np.exp(-x))


def elu(x, alpha=1.0):
    # Exponential linear unit.
    return np.where(x > 0, x, alpha * (np.exp(x) - 1))


if __name__ == "__main__":
    xs = np.linspace(-3, 3, 7)
    for f in (sigmoid, tanh, relu, leaky_relu, softplus, gelu, silu, elu):
        print(f"{f.__name__:>10}", np.round(f(xs), 4))
