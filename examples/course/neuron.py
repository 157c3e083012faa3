"""One neuron, written the way the course writes it: parameters in a dict,
data indexed by sample. Select the three lines of the forward pass and run
"MathLens: Compute Gradient of Selection" or "MathLens: Show Backprop Graph"."""
import numpy as np

X = np.load("dataset/x_train.npy")
p = {"w1": 0.5, "w2": -0.3, "b": 0.1, "v": 1.2, "c": -0.2}
i = 0


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


h = p["w1"]*X[i,0] + p["w2"]*X[i,1] + p["b"]
s = sigmoid(h)
out = p["v"]*s + p["c"]
