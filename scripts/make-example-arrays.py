#!/usr/bin/python3
"""Writes the example arrays in examples/arrays/ (committed; run again only to change them).

    /usr/bin/python3 scripts/make-example-arrays.py
"""
import os

import numpy as np

out = os.path.join(os.path.dirname(__file__), '..', 'examples', 'arrays')
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(2026)

# A layer's weights: what a trained 32 -> 24 dense layer might look like (low rank plus noise).
u = rng.normal(size=(24, 3))
v = rng.normal(size=(3, 32))
weights = (u @ v / 3 + 0.1 * rng.normal(size=(24, 32))).astype(np.float32)
np.save(os.path.join(out, 'dense_weights.npy'), weights)

# A batch of 8 single-channel 12 x 12 "images" (N, C, H, W): slice through the first two axes.
yy, xx = np.mgrid[0:12, 0:12]
images = np.stack([np.sin((xx + k) / 3) * np.cos((yy - k) / 4) for k in range(8)])[:, None].astype(np.float32)
np.save(os.path.join(out, 'image_batch.npy'), images)

# An archive: a small data matrix (rows are samples) and its labels.
x = rng.multivariate_normal([0, 0], [[3, 2.4], [2.4, 2.5]], size=200)
labels = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
np.savez(os.path.join(out, 'dataset.npz'), x=x, labels=labels)
print('wrote', sorted(os.listdir(out)))

# The course-style project's data (examples/course/): 4 samples of XOR with 2 features.
course = os.path.join(os.path.dirname(__file__), '..', 'examples', 'course', 'dataset')
os.makedirs(course, exist_ok=True)
np.save(os.path.join(course, 'x_train.npy'), np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64))
np.save(os.path.join(course, 'y_train.npy'), np.array([[0], [1], [1], [0]], dtype=np.float64))
print('wrote', sorted(os.listdir(course)))
