"""Backpropagation, node by node.

Select a forward pass (one or more assignments) and run
"MathLens: Show Backprop Graph" (editor context menu or Command Palette).
The panel draws the computational graph, computes the values forward and the
gradients backward, and plays both passes step by step. Click a node to see
its local derivative and the chain rule on each edge, and to highlight the
code it came from. The values written here are used; change them in the panel.
"""
import numpy as np
import torch.nn.functional as F

# 1. One neuron with a squared loss (select the four lines).
w, x, b, y = -1.2, 0.5, 0.3, 1.0
z = w * x + b
a = 1 / (1 + np.exp(-z))
loss = (a - y) ** 2

# 2. micrograd's example (select from a2 to L).
a2 = 2.0
b2 = -3.0
c2 = 10.0
e2 = a2 * b2
d2 = e2 + c2
f2 = -2.0
L = d2 * f2

# 3. A two-layer network on a small batch (select the comment and the three lines).
# X: (4, 3), W1: (3, 5), b1: (5,), W2: (5, 2), b2: (2,), Y: (4, 2)
H = np.tanh(X @ W1 + b1)
P = H @ W2 + b2
mse = np.mean((P - Y) ** 2)

# 4. Every activation of NumPy, PyTorch and torch.nn.functional works the same way
#    (select the three lines): GELU, softplus, log-sigmoid, Mish, SELU, ELU, softsign, …
u = 0.7
h = F.gelu(u)
out = F.softplus(h) - F.logsigmoid(u)
