#!/usr/bin/env python3
"""The classical models' peer for `make bench`: scikit-learn fitting and predicting on the
same matrix genre-lab's `genre-bench classical` reads.

    classical_sklearn.py make FILE     writes the matrix (once; both sides read it)
    classical_sklearn.py run FILE      times scikit-learn on it, prints one JSON line

The matrix: 8000 x 518 float64, eight Gaussian class blobs (class means in a random
40-dimensional subspace, unequal spreads, features on unequal scales), standardized with the
statistics of the first 6400 rows (the training rows); the last 1600 rows are the test rows.
File layout: 8000 * 518 little-endian float64 values row by row, then 8000 labels as float64.
"""
import json
import sys
import time

import numpy as np

ROWS, TRAIN, FEATURES, CLASSES = 8000, 6400, 518, 8


def make(path):
    rng = np.random.default_rng(518)
    y = rng.integers(0, CLASSES, size=ROWS)
    basis = rng.normal(size=(40, FEATURES)) / np.sqrt(40)
    means = rng.normal(0, 0.12, size=(CLASSES, 40)) @ basis
    spread = rng.uniform(0.97, 1.03, size=(CLASSES, FEATURES))
    X = means[y] + spread[y] * rng.normal(size=(ROWS, FEATURES))
    X = X * rng.uniform(0.01, 1000, size=FEATURES) + rng.uniform(-50, 50, size=FEATURES)
    mean, std = X[:TRAIN].mean(axis=0), X[:TRAIN].std(axis=0)
    X = (X - mean) / std
    np.concatenate([X.ravel(), y.astype(np.float64)]).astype("<f8").tofile(path)
    print(json.dumps({"rows": ROWS, "train": TRAIN, "features": FEATURES, "classes": CLASSES}))


def best(repeats, body):
    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = body()
        times.append(time.perf_counter() - start)
    return min(times), result


def run(path, repeats):
    import sklearn
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import SVC
    import warnings
    warnings.simplefilter("ignore")  # lbfgs at max_iter=100 warns, as it does on the real features

    data = np.fromfile(path, dtype="<f8")
    X = data[:ROWS * FEATURES].reshape(ROWS, FEATURES)
    y = data[ROWS * FEATURES:].astype(np.int64)
    Xtr, ytr, Xte, yte = X[:TRAIN], y[:TRAIN], X[TRAIN:], y[TRAIN:]
    out = {"sklearn": sklearn.__version__}
    models = {
        "logistic_regression": lambda: LogisticRegression(C=1.0),
        "knn": lambda: KNeighborsClassifier(n_neighbors=21),
        "naive_bayes": lambda: GaussianNB(var_smoothing=1.29e-10),
        "svm": lambda: SVC(C=1.0, gamma="scale"),
    }
    for name, make_model in models.items():
        fit_repeats = 1 if name == "svm" else repeats
        fit_seconds, model = best(fit_repeats, lambda: make_model().fit(Xtr, ytr))
        predict_seconds, predicted = best(repeats, lambda: model.predict(Xte))
        out[f"{name}_fit_seconds"] = fit_seconds
        out[f"{name}_predict_seconds"] = predict_seconds
        out[f"{name}_accuracy"] = float(np.mean(predicted == yte))
    print(json.dumps(out))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        run(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 3)
