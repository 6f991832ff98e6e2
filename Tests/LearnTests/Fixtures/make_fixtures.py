#!/usr/bin/env python3
"""Makes sklearn_classical.json: scikit-learn's StandardScaler, LogisticRegression,
KNeighborsClassifier, GaussianNB and SVC on one small seeded data set, with its metrics and
NumPy's percentiles, for the Swift tests in Tests/LearnTests to compare against.

    .venv-peers/bin/python Tests/LearnTests/Fixtures/make_fixtures.py

The data: 300 x 20, five overlapping Gaussian class blobs (different means, spreads and
sizes, a few correlated and a few useless features), values rounded to 6 decimals so that
the JSON holds exactly what scikit-learn saw. The first 200 rows train, the last 100 test.
Models run on the standardized matrix (the scaler fitted on the training rows only).
"""
import json
import os

import numpy as np
import scipy
import scipy.stats
import sklearn
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
from sklearn.naive_bayes import GaussianNB
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

rng = np.random.default_rng(20251125)
n, d, k = 300, 20, 5
y = rng.integers(0, k, size=n)
means = rng.normal(0, 1.0, size=(k, d))
means[:, 15:] = 0                               # five features carry no class information
spread = rng.uniform(0.8, 2.0, size=(k, d))
X = means[y] + spread[y] * rng.normal(size=(n, d))
X[:, 3] = 0.7 * X[:, 2] + 0.3 * X[:, 3]          # a correlated pair
X = X * rng.uniform(0.1, 50, size=d) + rng.uniform(-20, 20, size=d)  # unequal units and offsets
X = np.round(X, 6)
train, test = slice(0, 200), slice(200, 300)
Xtr, Xte, ytr, yte = X[train], X[test], y[train], y[test]

scaler = StandardScaler().fit(Xtr)
Str, Ste = scaler.transform(Xtr), scaler.transform(Xte)


def result(model):
    p = model.predict(Ste)
    return {"predictions": p.tolist(), "accuracy": accuracy_score(yte, p)}


out = {
    "sklearn": sklearn.__version__,
    "train": Xtr.tolist(), "test": Xte.tolist(),
    "train_labels": ytr.tolist(), "test_labels": yte.tolist(), "classes": k,
    "scaler": {"mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist()},
}

# Logistic regression: the default solver (lbfgs) run to a tight tolerance, so that the
# coefficients are the minimiser of the objective, not wherever 100 iterations stopped.
out["logistic_regression"] = []
for C in [1.0, 0.05]:
    lr = LogisticRegression(C=C, tol=1e-10, max_iter=10000).fit(Str, ytr)
    out["logistic_regression"].append({"C": C, "coefficients": lr.coef_.tolist(),
                                       "intercepts": lr.intercept_.tolist(), **result(lr)})

out["knn"] = []
for neighbors, metric in [(5, "euclidean"), (21, "euclidean"), (21, "manhattan"), (7, "cosine")]:
    knn = KNeighborsClassifier(n_neighbors=neighbors, metric=metric, algorithm="brute").fit(Str, ytr)
    out["knn"].append({"k": neighbors, "metric": metric, **result(knn)})

out["naive_bayes"] = []
for smoothing in [1e-9, 1.29e-10, 0.5]:
    nb = GaussianNB(var_smoothing=smoothing).fit(Str, ytr)
    out["naive_bayes"].append({"var_smoothing": smoothing, "means": nb.theta_.tolist(),
                               "variances": nb.var_.tolist(), "priors": nb.class_prior_.tolist(), **result(nb)})

out["svm"] = []
for C, gamma in [(1.0, "scale"), (10.0, 0.02)]:
    svm = SVC(C=C, gamma=gamma, kernel="rbf").fit(Str, ytr)
    out["svm"].append({"C": C, "gamma": gamma, "gamma_value": float(svm._gamma),
                       "support_per_class": svm.n_support_.tolist(),
                       "support": svm.support_.tolist(),
                       "intercepts": svm.intercept_.tolist(), **result(svm)})

# Metrics on one model's predictions, and NumPy's percentiles and a SciPy percentile
# bootstrap of the accuracy (another generator than ours: equal within sampling noise).
p = np.array(out["svm"][0]["predictions"])
boot = scipy.stats.bootstrap((yte, p), lambda t, q: np.mean(t == q), paired=True, vectorized=False,
                             n_resamples=4000, method="percentile", confidence_level=0.95,
                             rng=np.random.default_rng(1))
values = np.round(rng.normal(size=57), 6)
out["metrics"] = {
    "truth": yte.tolist(), "predicted": p.tolist(),
    "accuracy": accuracy_score(yte, p), "macro_f1": f1_score(yte, p, average="macro", zero_division=0),
    "confusion": confusion_matrix(yte, p, labels=list(range(k))).tolist(),
    "bootstrap_accuracy": [boot.confidence_interval.low, boot.confidence_interval.high],
    "percentile_values": values.tolist(),
    "percentiles": {str(q): float(np.percentile(values, q)) for q in [0, 2.5, 50, 97.5, 100]},
}
# A class never predicted nor present counts 0 in the macro average (zero_division=0).
t2, p2 = [0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0]
out["metrics"]["sparse"] = {"truth": t2, "predicted": p2, "classes": 4,
                            "macro_f1": f1_score(t2, p2, labels=[0, 1, 2, 3], average="macro", zero_division=0)}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sklearn_classical.json")
with open(path, "w") as f:
    json.dump(out, f)
print(path, os.path.getsize(path), "bytes")
print({m: [r["accuracy"] for r in out[m]] for m in ["logistic_regression", "knn", "naive_bayes", "svm"]})
