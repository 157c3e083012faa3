"""Tensor shapes, without running anything: a small CNN for CIFAR-10 and a
dense layer by hand in NumPy.

Hover a name to see its shape, the rule that produced it (with the numbers
filled in) and the line it came from. The shape of every assignment is shown
at the end of its line.
"""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class SmallCNN(nn.Module):
    """32x32 RGB images -> 10 class scores: two conv/pool blocks and two linear layers."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(32 * 8 * 8, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        # x: (B, 3, 32, 32)
        c1 = F.relu(self.conv1(x))
        p1 = self.pool(c1)
        c2 = F.relu(self.conv2(p1))
        p2 = self.pool(c2)
        flat = torch.flatten(p2, 1)
        hidden = F.relu(self.fc1(flat))
        logits = self.fc2(hidden)
        return logits


images = torch.randn(8, 3, 32, 32)
features = nn.Conv2d(3, 16, 3, padding=1)(images)
pooled = nn.MaxPool2d(2)(features)
flat = pooled.view(8, -1)


# A dense layer by hand: a batch of 64 inputs with 10 features, 3 outputs.
n, d, k = 64, 10, 3
X = np.random.randn(n, d)
W = np.random.randn(d, k)
b = np.zeros(k)
Z = X @ W + b

# Centering the data: the mean over the batch is broadcast back over the rows.
mu = X.mean(axis=0)
Xc = X - mu

# Broadcasting a column against a row gives a table.
col = np.arange(4).reshape(4, 1)
row = np.ones(5)
table = col * row
