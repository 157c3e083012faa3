"""Matrix calculus with MathLens.

Select the right-hand side of a line (or the whole line) and run
"MathLens: Compute Gradient of Selection" (Ctrl+Alt+G): the gradient with
respect to every vector and matrix is derived through differentials, one rule
per step, with each intermediate's shape, and checked by finite differences.
"Compute Jacobian of Selection" and "Compute Hessian of Selection" are in the
editor's context menu.

Shapes come from comments like the ones below (the nearest one above the
selection wins) or, for arrays made in the code, from MathLens's shape analysis.
"""
import numpy as np

# X: (n, d), w: (d,), y: (n,)
least_squares = np.sum((X @ w - y) ** 2)

# lam: ()
ridge = np.sum((X @ w - y) ** 2) + lam * np.sum(w ** 2)

# logistic regression, labels y in {0, 1}
logistic = -np.mean(y * np.log(sigmoid(X @ w)) + (1 - y) * np.log(1 - sigmoid(X @ w)))

# W: (d, k), Y: (n, k) onehot
softmax_ce = -np.mean(np.sum(Y * log_softmax(X @ W, axis=1), axis=1))

# x: (d,), A: (d, d)
quadratic = x.T @ A @ x

# S: (d, d)
log_det = np.log(np.linalg.det(S))

# Jacobian (Compute Jacobian of Selection) of a layer: tanh(W x + b)
# M: (k, d), b: (k,)
layer = np.tanh(M @ x + b)

# Hessian (Compute Hessian of Selection) of the Rosenbrock function of two scalars
rosenbrock = (1 - a) ** 2 + 100 * (c - a ** 2) ** 2

# An array made in the code: its shape (100, 3) comes from the shape analysis.
data = np.random.randn(100, 3)
v = np.ones(3)
penalty = np.sum((data @ v) ** 2)
