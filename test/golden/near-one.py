#!/usr/bin/env python3
"""Goldens for the accuracy-near-1 cases (issue 10, item 19): logSumExp of rows whose sum
of exponentials is within rounding of 1, KL divergence of nearly equal distributions, and
mutual information of nearly independent tables (every ratio x T / (r c) near 1).
Truth is mpmath at 60 digits on the exact binary values of the inputs; SciPy 1.17's
logsumexp / rel_entr (gh-18295, gh-20710) are recorded beside it for comparison.
Run (a Python with scipy >= 1.17 and mpmath): python3 test/golden/near-one.py > test/golden/near-one.json"""
import json

import mpmath
import numpy as np
import scipy
from scipy.special import logsumexp, rel_entr

mpmath.mp.dps = 60


def exact(x):
    return [mpmath.mpf(float(v)) for v in x]


def lse_truth(x, T=1.0):
    """m / T + log1p(sum of the other terms): log of a sum within 1e-60 of 1 would round."""
    x, T = exact(x), mpmath.mpf(T)
    k = x.index(max(x))
    return x[k] / T + mpmath.log1p(mpmath.fsum(mpmath.exp((v - x[k]) / T) for i, v in enumerate(x) if i != k))


def kl_truth(p, q):
    return mpmath.fsum(a * mpmath.log(a / b) for a, b in zip(exact(p), exact(q)) if a != 0)


def f32(v):
    return [float(np.float32(a)) for a in v]


def mi_truth(x, cols):
    with mpmath.workdps(400):  # T = 4 + 1e-154 must keep its 1e-154
        return +mi_truth_exact(exact(x), cols)


def mi_truth_exact(x, cols):
    rows = len(x) // cols
    T = mpmath.fsum(x)
    r = [mpmath.fsum(x[i * cols:(i + 1) * cols]) for i in range(rows)]
    c = [mpmath.fsum(x[i * cols + j] for i in range(rows)) for j in range(cols)]
    return mpmath.fsum(x[i * cols + j] / T * mpmath.log(x[i * cols + j] * T / (r[i] * c[j]))
                       for i in range(rows) for j in range(cols) if x[i * cols + j] != 0)


def mi_ratio_f64(x, cols):
    """The ratio form sum (x/T) log(x T / (r c)) in f64 (what scikit-learn-style code computes)."""
    t = np.array(x, dtype=np.float64).reshape(-1, cols)
    T, r, c = t.sum(), t.sum(axis=1, keepdims=True), t.sum(axis=0, keepdims=True)
    with np.errstate(all="ignore"):
        v = float(np.sum((t / T * np.log(t * T / (r * c)))[t > 0]))
    return v if np.isfinite(v) else None  # subnormal counts: r c underflows


cases = {"scipy": scipy.__version__, "logSumExp": [], "klDivergence": [], "mutualInformation": []}
for dtype, conv in (("f64", lambda v: [float(a) for a in v]), ("f32", f32)):
    for x, T in (([0, -40], 1), ([0, -40], 2), ([1e-3, -30, -31], 1), ([-1e-8, -20, -25, -19], 1),
                 ([0, -700], 1), ([0, -36, -37, -38, -39, -40, -41, -42], 1), ([0.5, -50, 0.5 - 60], 0.5)):
        x = conv(x)
        cases["logSumExp"].append({"dtype": dtype, "x": x, "temperature": T, "truth": float(lse_truth(x, T)),
                                   "scipy": float(logsumexp(np.array(x, dtype=np.float64) / T))})
    e = 1e-9 if dtype == "f64" else 2.0 ** -24  # a perturbation the type can hold
    for p, q in (([1], [1 + (e / 10 if dtype == "f64" else 2 * e)]), ([1 + 3 * e], [1]), ([0.5 + e, 0.5 - e], [0.5, 0.5]),
                 ([0.25, 0.25 + 100 * e, 0.5 - 100 * e], [0.25 + 20 * e, 0.25, 0.5 - 20 * e]),
                 ([0.1, 0.2, 0.3, 0.4], [0.1 + 1e-6, 0.2 - 1e-6, 0.3 + 1e-6, 0.4 - 1e-6]),
                 ([0.7, 0.3], [0.7 - 1e-4, 0.3 + 1e-4]), ([0, 0.6, 0.4], [0.2, 0.5, 0.3]),
                 # a small class 30% off (u = 0.3, phi's direct form) in a row still below 1e-3 nats
                 ([0.0013, 0.9987], [0.001, 0.999]), ([0.0006, 0.4, 0.5994], [0.001, 0.4, 0.599])):
        p, q = conv(p), conv(q)
        cases["klDivergence"].append({"dtype": dtype, "p": p, "q": q, "truth": float(kl_truth(p, q)),
                                      "scipy": float(np.sum(rel_entr(np.array(p), np.array(q))))})
# wide nearly equal rows: many linear terms p - q of mixed sign and size to cancel
rng = np.random.default_rng(19)
for dtype, conv in (("f64", lambda v: [float(a) for a in v]), ("f32", f32)):
    for cols, delta, alpha in ((200, 1e-7, 1), (1000, 1e-5, 1), (500, 1e-7, 0.02)):
        p = rng.dirichlet(alpha * np.ones(cols))  # alpha 0.02: values from ~1e-300 to ~0.5
        q = p * (1 + delta * rng.standard_normal(cols))
        q /= q.sum()
        p, q = conv(p), conv(q)
        cases["klDivergence"].append({"dtype": dtype, "p": p, "q": q, "truth": float(kl_truth(p, q)),
                                      "scipy": float(np.sum(rel_entr(np.array(p), np.array(q))))})
# nearly independent tables: counts (marginals exact in f64) and probabilities (rounded sums),
# I from 1e-13 to 1e-4, and dependent ones beside them; an exactly independent table has I = 0
rng = np.random.default_rng(23)
tables = [
    ("f64", 2, [1e6, 1e6 + 1, 1e6, 1e6 - 1]),
    ("f64", 2, [500, 501, 499, 500]),
    ("f64", 3, [1e6, 1e6 + 10, 1e6 - 3, 1e6 + 7, 999999, 1e6 + 1]),
    ("f64", 3, [2, 4, 6, 3, 6, 9, 5, 10, 15]),  # the outer product of [2, 3, 5] and [1, 2, 3]: I = 0
    ("f64", 2, [3, 1, 1, 3]),
    ("f64", 4, [7, 0, 0, 0, 0, 5, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1]),  # X determines Y: I = H(X)
    ("f64", 2, [5e-324, 0, 0, 5e-324]),  # subnormal counts: I = ln 2
    # an independent block beside one cell of 1e-154, whose marginals' product underflows:
    # I = 8.92e-153, all but 2.5e-155 of it that cell's x log(x T / (r c))
    ("f64", 3, [1, 1, 0, 1, 1, 0, 0, 0, 1e-154]),
    ("f64", 3, [1e-154, 0, 0, 0, 1, 1, 0, 1, 1]),  # the same, the tiny cell in a vector's lane 0
]
for rows, cols, noise in ((20, 30, 1.0), (7, 5, 30.0), (3, 40, 1000.0)):  # counts around the product of marginals
    a, b = rng.integers(1000, 100000, rows), rng.integers(1, 30, cols)
    t = np.outer(a, b) + np.round(noise * rng.standard_normal((rows, cols)))
    tables.append(("f64", cols, [float(v) for v in t.ravel()]))
for rows, cols, eps in ((6, 9, 1e-7), (12, 4, 1e-4), (3, 33, 1e-6)):  # probabilities, dependence eps
    t = np.outer(rng.dirichlet(np.ones(rows)), rng.dirichlet(np.ones(cols))) * (1 + eps * rng.standard_normal((rows, cols)))
    tables.append(("f64", cols, [float(v) for v in (t / t.sum()).ravel()]))
    tables.append(("f32", cols, f32((t / t.sum()).ravel())))
for dtype, cols, x in tables:
    cases["mutualInformation"].append({"dtype": dtype, "cols": cols, "x": x, "truth": float(mi_truth(x, cols)),
                                       "ratioF64": mi_ratio_f64(x, cols)})
print(json.dumps(cases, separators=(",", ":")))
