"""Which products work? Each call that fails is caught on purpose: the script
runs, and MathLens shows the failing calls as information, not as errors."""
import numpy as np


def dot(a, b):
    try:
        return np.dot(a, b)
    except ValueError:
        return "fails"


u = np.array([1.0, 2.0, 3.0])
row = np.array([[1.0, 2.0, 3.0]])
col = np.array([[1.0], [2.0], [3.0]])

print(dot(u, u))
print(dot(row, col))
print(dot(col, row))
print(dot(u, row))
print(dot(row, row))
