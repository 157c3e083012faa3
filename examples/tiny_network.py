"""A two-layer network: forward and backward pass by hand in NumPy,
then the same model as a PyTorch nn.Module.

Try selecting a line's right-hand side, e.g. ``w2 * np.tanh(w1 * x + b1) + b2``,
and compute its gradient: the partial derivatives with respect to each
weight are exactly what the hand-written backward pass computes.
"""

import numpy as np


def neuron(x, w1, b1, w2, b2):
    # A one-hidden-unit network with a tanh activation, as one expression.
    return w2 * np.tanh(w1 * x + b1) + b2


def neuron_loss(x, y, w1, b1, w2, b2):
    # Its squared error against a target y.
    return (w2 * np.tanh(w1 * x + b1) + b2 - y) ** 2


class TwoLayerNet:
    """x (n, d) -> hidden (n, h) with tanh -> output (n, 1); MSE loss."""

    def __init__(self, d, h, seed=0):
        rng = np.random.default_rng(seed)
        self.W1 = rng.normal(0, 1 / np.sqrt(d), size=(d, h))
        self.b1 = np.zeros(h)
        self.W2 = rng.normal(0, 1 / np.sqrt(h), size=(h, 1))
        self.b2 = np.zeros(1)

    def forward(self, X):
        self.X = X
        self.Z1 = X @ self.W1 + self.b1
        self.H = np.tanh(self.Z1)
        self.out = self.H @ self.W2 + self.b2
        return self.out

    def loss(self, out, y):
        return np.mean((out - y) ** 2)

    def backward(self, y):
        n = self.X.shape[0]
        d_out = 2 * (self.out - y) / n          # dL/d out
        self.dW2 = self.H.T @ d_out             # dL/dW2
        self.db2 = d_out.sum(axis=0)            # dL/db2
        d_H = d_out @ self.W2.T                 # dL/dH
        d_Z1 = d_H * (1 - self.H ** 2)          # tanh'(z) = 1 - tanh(z)^2
        self.dW1 = self.X.T @ d_Z1              # dL/dW1
        self.db1 = d_Z1.sum(axis=0)             # dL/db1

    def step(self, lr=0.1):
        for name in ("W1", "b1", "W2", "b2"):
            setattr(self, name, getattr(self, name) - lr * getattr(self, "d" + name))


def train_numpy(steps=200):
    rng = np.random.default_rng(1)
    X = rng.uniform(-2, 2, size=(64, 1))
    y = np.sin(X)
    net = TwoLayerNet(d=1, h=16)
    for _ in range(steps):
        loss = net.loss(net.forward(X), y)
        net.backward(y)
        net.step()
    return loss


try:
    import torch
    from torch import nn

    class TinyNet(nn.Module):
        """The same network in PyTorch; autograd computes the backward pass."""

        def __init__(self, d=1, h=16):
            super().__init__()
            self.fc1 = nn.Linear(d, h)
            self.fc2 = nn.Linear(h, 1)

        def forward(self, x):
            return self.fc2(torch.tanh(self.fc1(x)))

    def train_torch(steps=200):
        torch.manual_seed(1)
        X = torch.rand(64, 1) * 4 - 2
        y = torch.sin(X)
        model = TinyNet()
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for _ in range(steps):
            loss = torch.mean((model(X) - y) ** 2)
            opt.zero_grad()
            loss.backward()
            opt.step()
        return loss.item()

except ImportError:  # PyTorch is optional for this example.
    torch = None


if __name__ == "__main__":
    print("numpy loss", train_numpy())
    if torch is not None:
        print("torch loss", train_torch())
