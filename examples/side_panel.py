"""The MathLens side panel (the MathLens icon in the activity bar, or "MathLens: Open Side Panel").

It follows your selection:
- an expression of one variable is plotted with its derivatives (drag the point for the tangent);
- an expression of two variables becomes the gradient-descent playground's objective;
- numbers (a list, an array, CSV columns) are described, with a histogram and a box plot.
"""
import numpy as np
import matplotlib.pyplot as plt

x = np.linspace(-3, 3, 7)
y = np.linspace(-1, 3, 5)

# Select the right-hand side: a smooth activation and its derivative.
swish = x * (1 / (1 + np.exp(-x)))

# A plotting call is not a function to plot: the panel says so and marks the previous plot.
plt.plot(x, swish, color='#ff7f0e')

# A function with poles: the plot never draws a line across them.
poles = np.tan(x) / x

# Select the Rosenbrock function: six optimisers race to its minimum at (1, 1).
rosenbrock = (1 - x)**2 + 100*(y - x**2)**2

# A saddle: gradient descent slides off it.
saddle = x**2 - y**2

# Select the numbers: descriptive statistics, a histogram with its normal fit, a box plot.
heights = [1.62, 1.75, 1.68, 1.80, 1.71, 1.66, 1.90, 1.73, 1.77, 1.69, 1.58, 1.84]

# Two columns (select both lines of numbers): correlation, regression, t-tests, Mann-Whitney U.
# hours, score
# 1, 52
# 2, 55
# 3, 61
# 4, 64
# 5, 70
# 6, 74
