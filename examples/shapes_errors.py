"""Two classic shape bugs, found before the code runs.

1. LeNet-5 was designed for 32x32 images. On 28x28 MNIST digits without
   padding, the last feature map is 16 x 4 x 4 = 256 values, not 16 x 5 x 5 = 400,
   so the first Linear layer receives the wrong number of features. PyTorch says:
   "mat1 and mat2 shapes cannot be multiplied (64x256 and 400x120)".
2. A hand-written two-layer network whose second weight matrix has the wrong
   number of rows. NumPy says: "matmul: Input operand 1 has a mismatch in its
   core dimension 0 ... (size 8 is different from 16)".
"""

import numpy as np
import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(1, 6, 5),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(6, 16, 5),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(16 * 5 * 5, 120),
    nn.ReLU(),
    nn.Linear(120, 84),
    nn.ReLU(),
    nn.Linear(84, 10),
)
digits = torch.randn(64, 1, 28, 28)
scores = model(digits)


# Forward pass of a two-layer network on 100 points with 3 features.
X = np.random.randn(100, 3)
W1 = np.random.randn(3, 16)
W2 = np.random.randn(8, 1)
H = np.maximum(0, X @ W1)
y_hat = H @ W2
