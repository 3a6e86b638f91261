#!/usr/bin/env python3
"""Goldens for the accuracy-near-1 cases (issue 10, item 19): logSumExp of rows whose sum
of exponentials is within rounding of 1, and KL divergence of nearly equal distributions.
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


cases = {"scipy": scipy.__version__, "logSumExp": [], "klDivergence": []}
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
print(json.dumps(cases, separators=(",", ":")))
