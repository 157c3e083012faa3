"""Matrices to look at with "MathLens: Visualize Matrix" (select one, then Ctrl+Alt+M).

Select the literal (or the whole line: `A = ...` is skipped), run the command, and the panel shows
the heatmap, the matrix in KaTeX, its properties, and a tab per decomposition. The .npy/.npz files
in arrays/ open in MathLens's array viewer.
"""
import numpy as np
import torch

# A symmetric positive definite matrix: real eigenvalues, orthogonal eigenvectors, a Cholesky factor.
S = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])

# A rotation by 30 degrees: orthogonal, determinant 1, complex eigenvalues (no real eigenvector).
R = np.array([[0.8660254, -0.5], [0.5, 0.8660254]])

# A shear: one eigenvector, area preserved (det = 1).
H = np.array([[1.0, 1.0], [0.0, 1.0]])

# A projection onto a line: rank 1, eigenvalues 0 and 1.
P = np.array([[0.5, 0.5], [0.5, 0.5]])

# A rank-deficient data matrix: the third column is the sum of the first two.
X = np.array([
    [1.0, 2.0, 3.0],
    [2.0, 0.5, 2.5],
    [0.0, 1.0, 1.0],
    [3.0, 1.0, 4.0],
])

# Constant constructors work too.
I = np.eye(4)
M = np.arange(12).reshape(3, 4)

# PyTorch and plain lists.
W = torch.tensor([[0.2, -0.4], [0.7, 0.1], [-0.3, 0.5]])
L = [[1, 2], [3, 4]]

# MATLAB style, in a comment: [2 -1 0; -1 2 -1; 0 -1 2]
