"""A network that keeps a list of layers, trained on data loaded from .npy files.

Hover a name to see its shape: the data's shapes come from the files' headers,
the layers' from layers.py."""
import numpy as np
from layers import *

x_train = np.load("dataset/x_train.npy")
y_train = np.load("dataset/y_train.npy")


class Network:
    def __init__(self):
        self.layers = []

    def add(self, layer):
        self.layers.append(layer)

    def predict(self, x):
        output = x
        for layer in self.layers:
            output = layer.forward(output)
        return output


net = Network()
net.add(Dense(2, 3))
net.add(Sigmoid())
net.add(Dense(3, 1))
net.add(Sigmoid())

out = net.predict(x_train)
loss = mse(y_train, out)
