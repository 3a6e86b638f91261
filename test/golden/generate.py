#!/usr/bin/python3
"""Golden reference fixtures for infokernel.

Run from the repository root:  /usr/bin/python3 test/golden/generate.py

Writes test/golden/probability.json (SciPy/NumPy references) and
test/golden/logits.json (PyTorch float64 references). Deterministic: fixed seed,
no timestamps. Schema: see the module docstring of the test that consumes it, in
short
  {generator, versions, cases: [{name, fn, args: [{dtype, data}], options, expected}]}
Non-finite numbers are the strings "Infinity", "-Infinity", "NaN".

float32 cases: inputs are rounded to float32 first, stored as the exact decimal
of that float32 value, and the expected value is the float64 answer for those
rounded inputs.
"""
import json
import math
import os
import sys
from fractions import Fraction

import numpy as np
import scipy
import scipy.special as sp
import scipy.stats as st
from scipy.spatial.distance import jensenshannon
import torch
import torch.nn.functional as F
import mpmath

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20261123
DTYPES = ("float64", "float32")
SHORT = {"float64": "f64", "float32": "f32"}
INF = math.inf
NINF = -math.inf
NAN = math.nan

mpmath.mp.dps = 60


# ---------------------------------------------------------------- encoding --
def num(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def num_out(v):
    v = num(v)
    if v == 0.0 and isinstance(v, float):
        return 0.0  # normalise -0
    return v


def rnd(x, dt):
    """Round to the case dtype (values kept as float64 numpy arrays)."""
    x = np.asarray(x, dtype=np.float64)
    if dt == "float32":
        return x.astype(np.float32).astype(np.float64)
    return x.copy()


def farr(x, dt):
    return {"dtype": dt, "data": [num(v) for v in np.ravel(x)]}


def iarr(x):
    return {"dtype": "int32", "data": [int(v) for v in np.ravel(x)]}


def expected_out(e):
    if isinstance(e, torch.Tensor):
        e = e.detach().cpu().numpy()
    if isinstance(e, np.ndarray):
        if e.ndim == 0:
            return num_out(e)
        return [num_out(v) for v in e.ravel()]
    if isinstance(e, (list, tuple)):
        return [num_out(v) for v in e]
    return num_out(e)


class Fixture:
    def __init__(self, path):
        self.path = path
        self.cases = []
        self.names = set()

    def add(self, name, fn, args, options, expected, int_expected=False):
        assert name not in self.names, name
        self.names.add(name)
        if int_expected:
            exp = [int(v) for v in expected]
        else:
            exp = expected_out(expected)
        self.cases.append({"name": name, "fn": fn, "args": args,
                           "options": options, "expected": exp})

    def write(self, versions):
        doc = {"generator": "test/golden/generate.py", "versions": versions,
               "cases": self.cases}
        text = json.dumps(doc, allow_nan=False, separators=(",", ":"))
        with open(self.path, "w") as f:
            f.write(text)
            f.write("\n")
        return len(text)


def T(x):
    return torch.tensor(np.asarray(x, dtype=np.float64), dtype=torch.float64)


def TL(x):
    return torch.tensor(np.asarray(x, dtype=np.int64), dtype=torch.int64)


def reduce_np(vals, r):
    vals = np.asarray(vals, dtype=np.float64)
    if r == "none":
        return vals
    if np.all(np.isfinite(vals)):
        s = math.fsum(vals.tolist())
    else:
        s = float(np.sum(vals))
    if r == "sum":
        return s
    if r == "mean":
        return s / vals.size
    raise ValueError(r)


def close(a, b, rtol=1e-12, atol=1e-300):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    ok = np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=True)
    assert np.all(ok), (a[~ok][:5], b[~ok][:5])


rng = np.random.default_rng(SEED)


# ------------------------------------------------------------ data makers --
def probs(rows, cols, zeros=0, alpha=None):
    """rows x cols distributions; row i gets a different Dirichlet alpha so
    entropies are spread; `zeros` entries per row (except in row 0) set to 0."""
    out = np.empty((rows, cols))
    for i in range(rows):
        a = alpha if alpha is not None else 0.2 + 2.5 * (i + 1) / rows
        out[i] = rng.dirichlet(np.full(cols, a))
        out[i] = np.maximum(out[i], 1e-300)
        if zeros and cols > 1 and i > 0:
            idx = rng.choice(cols, size=min(zeros, cols - 1), replace=False)
            out[i, idx] = 0.0
        out[i] /= out[i].sum()
    return out


def logits(rows, cols, scale=3.0, extreme=False, neginf=False, allneginf=False):
    x = np.round(rng.normal(0.0, scale, size=(rows, cols)), 6)
    if extreme:
        if cols >= 2:
            x[0, 0] = 1e4
            x[0, 1] = -1e4
        else:
            x[0, 0] = 1e4
        if rows > 1:
            x[1, :] = -1e4 + rng.normal(0.0, 1.0, size=cols)
        if rows > 2:
            x[2, :] = 1e4 + rng.normal(0.0, 1.0, size=cols)
    if neginf and cols >= 2:
        r = rows - 1 if not allneginf else max(0, rows - 2)
        k = max(1, cols // 3)
        idx = rng.choice(np.arange(1, cols), size=min(k, cols - 1), replace=False)
        x[r, idx] = NINF
    if allneginf:
        x[rows - 1, :] = NINF
    return x


def labels(rows, cols, finite_from=None):
    """Class indices; if finite_from (a logits matrix) is given, choose a class
    whose logit is finite."""
    y = rng.integers(0, cols, size=rows)
    if finite_from is not None:
        for i in range(rows):
            fin = np.flatnonzero(np.isfinite(finite_from[i]))
            if len(fin) and not np.isfinite(finite_from[i, y[i]]):
                y[i] = fin[rng.integers(0, len(fin))]
    return y


# =========================================================== probability ===
def entropy_rows(p, base=None):
    h = sp.entr(p).sum(axis=1)
    if base is not None:
        h = h / np.log(base)
    return h


def gen_probability(fx):
    # ---------------------------------------------------------- entropy --
    fair = np.array([[0.5, 0.5]])
    specs = [
        ("fair coin base2 1x2", fair, {"cols": 2, "base": 2}, "none"),
        ("always heads base2 1x2", np.array([[1.0, 0.0]]), {"cols": 2, "base": 2}, "none"),
        ("uniform8 base2 1x8", np.full((1, 8), 1 / 8), {"cols": 8, "base": 2}, "none"),
        ("uniform4 base2 1x4", np.full((1, 4), 1 / 4), {"cols": 4, "base": 2}, "none"),
        ("base2 5x7", probs(5, 7), {"cols": 7, "base": 2}, "none"),
        ("base10 3x10", probs(3, 10), {"cols": 10, "base": 10}, "none"),
        ("nats zeros 6x10", probs(6, 10, zeros=4), {"cols": 10}, "none"),
        ("nats 4x3 sum", probs(4, 3, zeros=1), {"cols": 3}, "sum"),
        ("nats 4x3 mean", probs(4, 3, zeros=1), {"cols": 3}, "mean"),
        ("cols1 3x1", np.ones((3, 1)), {"cols": 1}, "none"),
        ("base2 2x1023", probs(2, 1023, zeros=100), {"cols": 1023, "base": 2}, "none"),
        ("base3 2x257 mean", probs(2, 257, zeros=3), {"cols": 257, "base": 3}, "mean"),
        ("tiny probs 2x5", np.array([[1 - 4e-30, 1e-30, 1e-30, 1e-30, 1e-30],
                                     [1 - 2e-8, 1e-8, 1e-8, 0.0, 0.0]]), {"cols": 5}, "none"),
    ]
    for dt in DTYPES:
        for label, p, opts, r in specs:
            pr = rnd(p, dt)
            base = opts.get("base")
            h = entropy_rows(pr, base)
            if dt == "float64":
                for i in range(pr.shape[0]):
                    close(h[i], st.entropy(pr[i], base=base), rtol=1e-9, atol=1e-15)
            o = dict(opts, reduction=r)
            fx.add(f"entropy {SHORT[dt]} {label}", "entropy", [farr(pr, dt)], o,
                   reduce_np(h, r))
        # whole array = one row (no cols)
        p = probs(1, 6)[0]
        pr = rnd(p, dt)
        fx.add(f"entropy {SHORT[dt]} no cols 6", "entropy", [farr(pr, dt)],
               {"reduction": "none"}, entropy_rows(pr[None, :]))
        # normalize: true on unnormalised counts / weights
        counts = rng.integers(0, 20, size=(4, 7)).astype(np.float64)
        counts[0, :] = 3.0
        counts[1, :3] = 0.0
        w = rng.uniform(0.0, 5.0, size=(3, 10))
        w[2, 4] = 0.0
        for label, c, base, r in [("counts 4x7", counts, None, "none"),
                                  ("counts 4x7 base2", counts, 2, "none"),
                                  ("weights 3x10 base10", w, 10, "none"),
                                  ("weights 3x10 sum", w, None, "sum")]:
            cr = rnd(c, dt)
            h = np.array([st.entropy(row, base=base) for row in cr])
            o = {"cols": cr.shape[1], "normalize": True, "reduction": r}
            if base is not None:
                o["base"] = base
            fx.add(f"entropy {SHORT[dt]} normalize {label}", "entropy", [farr(cr, dt)], o,
                   reduce_np(h, r))

    # ---------------------------------------------------- cross / kl / js --
    def ce_rows(p, q, base=None):
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(p > 0, -p * np.log(q), 0.0)
        h = t.sum(axis=1)
        return h / np.log(base) if base is not None else h

    def kl_rows(p, q, base=None):
        h = sp.rel_entr(p, q).sum(axis=1)
        return h / np.log(base) if base is not None else h

    def js_rows(p, q, base=None):
        m = (p + q) / 2
        h = 0.5 * (sp.rel_entr(p, m).sum(axis=1) + sp.rel_entr(q, m).sum(axis=1))
        return h / np.log(base) if base is not None else h

    pq_specs = []
    p1, q1 = probs(5, 7), probs(5, 7)
    pq_specs.append(("5x7", p1, q1, {"cols": 7}, "none"))
    p2, q2 = probs(6, 10, zeros=3), probs(6, 10)
    pq_specs.append(("zeros in p 6x10", p2, q2, {"cols": 10}, "none"))
    p3, q3 = probs(4, 3), probs(4, 3)
    pq_specs.append(("4x3 base2 sum", p3, q3, {"cols": 3, "base": 2}, "sum"))
    pq_specs.append(("4x3 base10 mean", p3, q3, {"cols": 3, "base": 10}, "mean"))
    p4, q4 = probs(1, 1023, zeros=50), probs(1, 1023)
    pq_specs.append(("1x1023", p4, q4, {"cols": 1023}, "none"))
    # q == 0 where p > 0 -> Infinity; p == q == 0 -> 0
    p5 = np.array([[0.5, 0.5, 0.0], [0.2, 0.3, 0.5], [0.0, 1.0, 0.0]])
    q5 = np.array([[0.5, 0.0, 0.5], [0.2, 0.3, 0.5], [0.0, 0.5, 0.5]])
    pq_specs.append(("q zero 3x3", p5, q5, {"cols": 3}, "none"))
    p6, q6 = np.array([[1.0]]), np.array([[1.0]])
    pq_specs.append(("cols1", p6, q6, {"cols": 1}, "none"))
    p7 = np.array([[0.25, 0.25, 0.25, 0.25]])
    q7 = np.array([[0.05, 0.05, 0.85, 0.05]])
    pq_specs.append(("hand 1x4 base2", p7, q7, {"cols": 4, "base": 2}, "none"))
    for dt in DTYPES:
        for label, p, q, opts, r in pq_specs:
            pr, qr = rnd(p, dt), rnd(q, dt)
            base = opts.get("base")
            o = dict(opts, reduction=r)
            ce = ce_rows(pr, qr, base)
            kl = kl_rows(pr, qr, base)
            js = js_rows(pr, qr, base)
            close(ce, entropy_rows(pr, base) + kl, rtol=1e-9, atol=1e-13)
            if dt == "float64":
                for i in range(pr.shape[0]):
                    close(js[i], jensenshannon(pr[i], qr[i], base=base) ** 2,
                          rtol=1e-6, atol=1e-15)
            fx.add(f"crossEntropy {SHORT[dt]} {label}", "crossEntropy",
                   [farr(pr, dt), farr(qr, dt)], o, reduce_np(ce, r))
            fx.add(f"klDivergence {SHORT[dt]} {label}", "klDivergence",
                   [farr(pr, dt), farr(qr, dt)], o, reduce_np(kl, r))
            fx.add(f"jsDivergence {SHORT[dt]} {label}", "jsDivergence",
                   [farr(pr, dt), farr(qr, dt)], o, reduce_np(js, r))
        # identical distributions -> 0
        p = probs(2, 5)
        pr = rnd(p, dt)
        for fn in ("klDivergence", "jsDivergence"):
            fx.add(f"{fn} {SHORT[dt]} identical 2x5", fn, [farr(pr, dt), farr(pr, dt)],
                   {"cols": 5, "reduction": "none"}, np.zeros(2))
        # logTarget: first argument is log p (strictly positive p)
        for label, rows, cols, base, r, qzero in [("4x7", 4, 7, None, "none", False),
                                                  ("3x10 base2 sum", 3, 10, 2, "sum", False),
                                                  ("2x3 q zero", 2, 3, None, "none", True),
                                                  ("2x300 mean", 2, 300, None, "mean", False)]:
            p = probs(rows, cols)
            q = probs(rows, cols)
            if qzero:
                q[1, 0] = 0.0
                q[1] /= q[1].sum()
            lp = rnd(np.log(p), dt)
            qr = rnd(q, dt)
            with np.errstate(divide="ignore"):
                kl = (np.exp(lp) * (lp - np.log(qr))).sum(axis=1)
            # cross-check against torch kl_div(log q, log p, log_target=True)
            with np.errstate(divide="ignore"):
                tk = F.kl_div(T(np.log(qr)), T(lp), reduction="none", log_target=True).sum(1)
            close(kl, tk.numpy(), rtol=1e-12, atol=1e-15)
            if base is not None:
                kl = kl / np.log(base)
            o = {"cols": cols, "logTarget": True, "reduction": r}
            if base is not None:
                o["base"] = base
            fx.add(f"klDivergence {SHORT[dt]} logTarget {label}", "klDivergence",
                   [farr(lp, dt), farr(qr, dt)], o, reduce_np(kl, r))

    # ---------------------------------------------------------- surprisal --
    for dt in DTYPES:
        for label, p, opts, r in [
            ("hand 1x4", np.array([[0.05, 0.05, 0.85, 0.05]]), {"cols": 4}, "none"),
            ("5x7 zeros", probs(5, 7, zeros=2), {"cols": 7}, "none"),
            ("3x10 base2", probs(3, 10), {"cols": 10, "base": 2}, "none"),
            ("4x3 sum", probs(4, 3), {"cols": 3}, "sum"),
            ("4x3 base10 mean", probs(4, 3), {"cols": 3, "base": 10}, "mean"),
            ("tiny 1x4", np.array([[1e-300, 1e-38, 1e-45, 1.0]]), {"cols": 4}, "none"),
            ("1x1023", probs(1, 1023), {"cols": 1023}, "none"),
        ]:
            pr = rnd(p, dt)
            with np.errstate(divide="ignore"):
                s = -np.log(pr)
            if "base" in opts:
                s = s / np.log(opts["base"])
            fx.add(f"surprisal {SHORT[dt]} {label}", "surprisal", [farr(pr, dt)],
                   dict(opts, reduction=r), reduce_np(s.ravel(), r))

    # ------------------------------------------------------ binaryEntropy --
    def bin_h(p, base=None):
        with np.errstate(divide="ignore", invalid="ignore"):
            a = np.where(p > 0, -p * np.log(p), 0.0)
            b = np.where(p < 1, -(1 - p) * np.log1p(-p), 0.0)
        h = a + b
        close(h, sp.entr(p) + sp.entr(1 - p), rtol=1e-9, atol=1e-15)
        return h / np.log(base) if base is not None else h

    edge = np.array([0.0, 1.0, 0.5, 1e-300, 1e-30, 1e-8, 1 - 1e-8, 1 - 1e-12, 0.25, 0.999])
    for dt in DTYPES:
        for label, p, opts, r in [
            ("fair coin base2", np.array([0.5]), {"cols": 1, "base": 2}, "none"),
            ("edges 2x5", edge, {"cols": 5}, "none"),
            ("edges base2 10", edge, {"base": 2}, "none"),
            ("uniform 4x6", rng.uniform(0, 1, size=24), {"cols": 6}, "none"),
            ("uniform 4x6 sum", rng.uniform(0, 1, size=24), {"cols": 6}, "sum"),
            ("uniform 3x7 base10 mean", rng.uniform(0, 1, size=21), {"cols": 7, "base": 10}, "mean"),
            ("uniform 1x1023", rng.uniform(0, 1, size=1023), {"cols": 1023}, "none"),
        ]:
            pr = rnd(p, dt)
            h = bin_h(pr, opts.get("base"))
            fx.add(f"binaryEntropy {SHORT[dt]} {label}", "binaryEntropy", [farr(pr, dt)],
                   dict(opts, reduction=r), reduce_np(h, r))

    # --------------------------------------------------------- joint tables --
    def joint_ref(tab, base=None):
        """Exact-rational probabilities, 60-digit logs."""
        rows, cols = tab.shape
        c = [[Fraction(float(v)) for v in row] for row in tab]
        N = sum(sum(row) for row in c)
        r = [sum(row) for row in c]
        s = [sum(c[i][j] for i in range(rows)) for j in range(cols)]
        hxy = mpmath.mpf(0)
        hyx = mpmath.mpf(0)
        mi = mpmath.mpf(0)

        def mlog(fr):
            return mpmath.log(mpmath.mpf(fr.numerator) / fr.denominator)
        for i in range(rows):
            for j in range(cols):
                if c[i][j] == 0:
                    continue
                pxy = mpmath.mpf(c[i][j].numerator) / c[i][j].denominator / \
                    (mpmath.mpf(N.numerator) / N.denominator)
                hxy -= pxy * mlog(c[i][j] / N)
                hyx -= pxy * mlog(c[i][j] / r[i])
                ratio = c[i][j] * N / (r[i] * s[j])
                if ratio != 1:
                    mi += pxy * mlog(ratio)
        lb = mpmath.log(base) if base is not None else mpmath.mpf(1)
        return float(hxy / lb), float(hyx / lb), float(mi / lb)

    def joint_np(tab, base=None):
        P = tab / tab.sum()
        px = P.sum(1)
        py = P.sum(0)
        hxy = sp.entr(P).sum()
        hx = sp.entr(px).sum()
        hy = sp.entr(py).sum()
        lb = np.log(base) if base is not None else 1.0
        return hxy / lb, (hxy - hx) / lb, (hx + hy - hxy) / lb

    indep = np.outer([1, 2, 3], [1, 3, 4, 2]).astype(np.float64)
    diag = np.diag([1.0, 1.0, 1.0, 1.0])
    joint_specs = [
        ("independent counts 3x4", indep, None),
        ("independent counts 3x4 base2", indep, 2),
        ("perfectly dependent 4x4 base2", diag, 2),
        ("counts 5x7", rng.integers(0, 30, size=(5, 7)).astype(np.float64), None),
        ("counts zero row 4x3 base2", np.array([[3, 0, 1], [0, 0, 0], [2, 2, 2], [0, 5, 1]],
                                               dtype=np.float64), 2),
        ("probs 6x10", probs(1, 60)[0].reshape(6, 10), None),
        ("probs 6x10 base10", probs(1, 60)[0].reshape(6, 10), 10),
        ("near independent 8x9", np.outer(rng.uniform(1, 2, 8), rng.uniform(1, 2, 9))
         * (1 + 1e-4 * rng.normal(size=(8, 9))), None),
        ("counts 1x5", np.array([[1.0, 2.0, 3.0, 4.0, 5.0]]), None),
        ("counts 5x1", np.array([[1.0], [2.0], [3.0], [4.0], [5.0]]), 2),
        ("counts 32x31", rng.integers(0, 100, size=(32, 31)).astype(np.float64), 2),
    ]
    for dt in DTYPES:
        for label, tab, base in joint_specs:
            tr = rnd(tab, dt)
            hxy, hyx, mi = joint_ref(tr, base)
            a, b, c = joint_np(tr, base)
            close([hxy, hyx], [a, b], rtol=1e-10, atol=1e-13)
            close(mi, c, rtol=1e-6, atol=1e-13)
            o = {"cols": tr.shape[1]}
            if base is not None:
                o["base"] = base
            for fn, v in (("jointEntropy", hxy), ("conditionalEntropy", hyx),
                          ("mutualInformation", mi)):
                fx.add(f"{fn} {SHORT[dt]} {label}", fn, [farr(tr, dt)], dict(o), v)

    # ---------------------------------------------------- gaussianEntropy --
    for sigma, base in [(1.0, None), (0.5, None), (2.0, None), (1e-3, None), (10.0, None),
                        (1e5, None), (1.0, 2), (3.0, 2), (0.1, 10)]:
        v = float(st.norm(scale=sigma).entropy())
        ref = 0.5 * mpmath.log(2 * mpmath.pi * mpmath.e * mpmath.mpf(sigma) ** 2)
        lb = mpmath.log(base) if base is not None else 1
        close(v / (math.log(base) if base else 1.0), float(ref / lb), rtol=1e-13, atol=1e-15)
        o = {"sigma": sigma}
        if base is not None:
            o["base"] = base
        fx.add(f"gaussianEntropy sigma={sigma!r}" + (f" base{base}" if base else ""),
               "gaussianEntropy", [], o, float(ref / lb))

    # ------------------------------------------------------- mostUncertain --
    def spread_probs(rows, cols):
        while True:
            p = np.empty((rows, cols))
            alphas = rng.permutation(np.geomspace(0.05, 20.0, rows))
            for i in range(rows):
                p[i] = rng.dirichlet(np.full(cols, alphas[i]))
                p[i] = np.maximum(p[i], 1e-300)
                p[i] /= p[i].sum()
            h = np.sort(entropy_rows(p))
            if rows == 1 or np.min(np.diff(h)) > 1e-3 * max(1.0, h[-1]):
                return p

    mu_specs = [(8, 10, 3), (8, 10, 1), (5, 7, 5), (6, 3, 2), (8, 255, 4), (1, 4, 1)]
    mu_data = [spread_probs(r, c) for r, c, _ in mu_specs]
    for dt in DTYPES:
        for (rows, cols, k), p in zip(mu_specs, mu_data):
            pr = rnd(p, dt)
            h = entropy_rows(pr)
            order = np.argsort(-h, kind="stable")[:k]
            fx.add(f"mostUncertain {SHORT[dt]} {rows}x{cols} k={k}", "mostUncertain",
                   [farr(pr, dt)], {"cols": cols, "k": k}, order, int_expected=True)


# ================================================================ logits ===
def gen_logits(fx):
    ALL_NINF_ROW = np.array([[0.5, 1.0, -2.0], [NINF, NINF, NINF]])

    # ------------------------------------------- logSumExp/softmax/logSoftmax --
    lse_specs = [
        ("hand 1x4", np.array([[1.0, 2.0, 5.0, 1.0]]), None),
        ("4x3", logits(4, 3), None),
        ("5x7 extreme", logits(5, 7, extreme=True), None),
        ("6x10 neginf", logits(6, 10, neginf=True), None),
        ("all -inf row 2x3", ALL_NINF_ROW, None),
        ("3x1", logits(3, 1, extreme=True), None),
        ("1x1023", logits(1, 1023, scale=5.0), None),
        ("4x10 T=2", logits(4, 10), 2.0),
        ("4x7 T=0.5 extreme", logits(4, 7, extreme=True), 0.5),
        ("3x3 T=3 neginf", logits(3, 3, neginf=True), 3.0),
    ]
    for dt in DTYPES:
        for label, x, temp in lse_specs:
            xr = rnd(x, dt)
            rows, cols = xr.shape
            xt = T(xr) / temp if temp is not None else T(xr)
            base_opts = {"cols": cols}
            if temp is not None:
                base_opts["temperature"] = temp
            sm = torch.softmax(xt, dim=1)
            lsm = torch.log_softmax(xt, dim=1)
            fx.add(f"softmax {SHORT[dt]} {label}", "softmax", [farr(xr, dt)], dict(base_opts), sm)
            fx.add(f"logSoftmax {SHORT[dt]} {label}", "logSoftmax", [farr(xr, dt)],
                   dict(base_opts), lsm)
            if temp is None:
                fx.add(f"logSumExp {SHORT[dt]} {label}", "logSumExp", [farr(xr, dt)],
                       {"cols": cols, "reduction": "none"}, torch.logsumexp(xt, dim=1))

    # ------------------------------------------------- softmaxCrossEntropy --
    def ce(x, y, **kw):
        return F.cross_entropy(T(x), TL(y) if y.dtype.kind in "iu" else T(y), **kw)

    def wopt(w, dt):
        return farr(w, dt)

    ce_cases = []  # (label, x, y, weight, ignoreIndex, labelSmoothing, reductions)
    ce_cases.append(("hand [2,1,0.1]", np.array([[2.0, 1.0, 0.1]]), np.array([0]), None, None, None,
                     ["mean"]))
    ce_cases.append(("hand [2,1,0.5]", np.array([[2.0, 1.0, 0.5]]), np.array([0]), None, None, None,
                     ["mean"]))
    ce_cases.append(("hand uniform 1x4", np.zeros((1, 4)), np.array([2]), None, None, None, ["mean"]))
    x = logits(6, 10)
    ce_cases.append(("6x10", x, labels(6, 10), None, None, None, ["none", "sum", "mean"]))
    x = logits(6, 10)
    w = rng.uniform(0.2, 3.0, size=10)
    ce_cases.append(("6x10 weight", x, labels(6, 10), w, None, None, ["none", "sum", "mean"]))
    x = logits(7, 7)
    y = labels(7, 7)
    y[[1, 4]] = -100
    ce_cases.append(("7x7 ignore default", x, y, None, None, None, ["none", "sum", "mean"]))
    x = logits(7, 7)
    y = labels(7, 7)
    y[[0, 5]] = -100
    ce_cases.append(("7x7 ignore default weight", x, y, rng.uniform(0.2, 3.0, size=7), None, None,
                     ["none", "sum", "mean"]))
    x = logits(6, 5)
    y = labels(6, 5)
    y[[2, 3]] = -1
    ce_cases.append(("6x5 ignore -1 weight", x, y, rng.uniform(0.2, 3.0, size=5), -1, None,
                     ["none", "sum", "mean"]))
    x = logits(8, 4)
    y = np.array([0, 2, 1, 2, 3, 2, 0, 1])
    ce_cases.append(("8x4 ignore in-range 2", x, y, None, 2, None, ["none", "sum", "mean"]))
    x = logits(4, 3)
    ce_cases.append(("4x3 all ignored", x, np.full(4, -100), None, None, None, ["none", "sum", "mean"]))
    ce_cases.append(("4x3 all ignored weight", x, np.full(4, -100), np.array([0.5, 2.0, 1.5]), None,
                     None, ["none", "sum", "mean"]))
    ce_cases.append(("4x3 all ignored smoothing", x, np.full(4, 7), None, 7, 0.1,
                     ["none", "sum", "mean"]))
    x = logits(6, 10)
    ce_cases.append(("6x10 smoothing 0.1", x, labels(6, 10), None, None, 0.1, ["none", "sum", "mean"]))
    x = logits(5, 4)
    ce_cases.append(("5x4 smoothing 1.0", x, labels(5, 4), None, None, 1.0, ["none", "mean"]))
    ce_cases.append(("5x4 smoothing 0.0", x, labels(5, 4), None, None, 0.0, ["mean"]))
    x = logits(6, 7)
    ce_cases.append(("6x7 smoothing 0.2 weight", x, labels(6, 7), rng.uniform(0.2, 3.0, size=7), None,
                     0.2, ["none", "sum", "mean"]))
    x = logits(8, 5)
    y = labels(8, 5)
    y[[1, 6]] = -100
    ce_cases.append(("8x5 smoothing 0.1 weight ignore", x, y, rng.uniform(0.2, 3.0, size=5), None, 0.1,
                     ["none", "sum", "mean"]))
    x = logits(6, 4)
    y = np.array([1, 3, 1, 0, 2, 1])
    ce_cases.append(("6x4 smoothing 0.3 ignore in-range 1", x, y, None, 1, 0.3, ["none", "sum", "mean"]))
    x = logits(5, 7, extreme=True)
    ce_cases.append(("5x7 extreme", x, labels(5, 7), None, None, None, ["none", "mean"]))
    x = logits(5, 7, extreme=True)
    ce_cases.append(("5x7 extreme smoothing 0.1", x, labels(5, 7), None, None, 0.1, ["none", "mean"]))
    x = logits(5, 10, neginf=True)
    ce_cases.append(("5x10 neginf", x, labels(5, 10, finite_from=x), None, None, None, ["none", "mean"]))
    x = logits(3, 5, neginf=True)
    y = labels(3, 5, finite_from=x)
    y[2] = int(np.flatnonzero(np.isinf(x[2]))[0])
    ce_cases.append(("3x5 target on -inf", x, y, None, None, None, ["none", "mean"]))
    x = logits(4, 6, neginf=True)
    ce_cases.append(("4x6 neginf smoothing 0.1", x, labels(4, 6, finite_from=x), None, None, 0.1,
                     ["none"]))
    ce_cases.append(("all -inf row 2x3", ALL_NINF_ROW, np.array([1, 0]), None, None, None,
                     ["none", "mean"]))
    x = logits(4, 1, extreme=True)
    ce_cases.append(("4x1", x, np.zeros(4, dtype=np.int64), None, None, None, ["none", "mean"]))
    x = logits(5, 3)
    ce_cases.append(("5x3", x, labels(5, 3), None, None, None, ["none", "sum", "mean"]))
    x = logits(2, 1023, scale=4.0)
    ce_cases.append(("2x1023 weight smoothing", x, labels(2, 1023), rng.uniform(0.2, 3.0, size=1023),
                     None, 0.05, ["mean"]))
    # probability targets
    x = logits(5, 7)
    pt = probs(5, 7, zeros=2)
    ce_cases.append(("prob 5x7", x, pt, None, None, None, ["none", "sum", "mean"]))
    x = logits(5, 7)
    pt = probs(5, 7)
    ce_cases.append(("prob 5x7 weight", x, pt, rng.uniform(0.2, 3.0, size=7), None, None,
                     ["none", "sum", "mean"]))
    x = logits(4, 10)
    pt = probs(4, 10, zeros=3)
    ce_cases.append(("prob 4x10 smoothing 0.1", x, pt, None, None, 0.1, ["none", "sum", "mean"]))
    x = logits(4, 10, extreme=True)
    pt = probs(4, 10)
    ce_cases.append(("prob 4x10 smoothing 0.2 weight extreme", x, pt, rng.uniform(0.2, 3.0, size=10),
                     None, 0.2, ["none", "sum", "mean"]))
    x = logits(3, 3)
    pt = np.eye(3)
    ce_cases.append(("prob onehot 3x3", x, pt, None, None, None, ["none", "mean"]))

    for dt in DTYPES:
        for label, x, y, w, ii, ls, reds in ce_cases:
            xr = rnd(x, dt)
            rows, cols = xr.shape
            prob_target = y.dtype.kind == "f"
            yr = rnd(y, dt) if prob_target else y
            wr = rnd(w, dt) if w is not None else None
            for r in reds:
                kw = {"reduction": r}
                o = {"cols": cols, "reduction": r}
                if wr is not None:
                    kw["weight"] = T(wr)
                    o["weight"] = wopt(wr, dt)
                if ii is not None:
                    kw["ignore_index"] = ii
                    o["ignoreIndex"] = ii
                if ls is not None:
                    kw["label_smoothing"] = ls
                    o["labelSmoothing"] = ls
                e = ce(xr, yr, **kw)
                targ = farr(yr, dt) if prob_target else iarr(yr)
                fx.add(f"softmaxCrossEntropy {SHORT[dt]} {label} {r}", "softmaxCrossEntropy",
                       [farr(xr, dt), targ], o, e)

    # ------------------------------------------------------------ nllLoss --
    nll_cases = []
    x = logits(6, 10)
    nll_cases.append(("6x10", x, labels(6, 10), None, None))
    x = logits(6, 7)
    nll_cases.append(("6x7 weight", x, labels(6, 7), rng.uniform(0.2, 3.0, size=7), None))
    x = logits(7, 5)
    y = labels(7, 5)
    y[[0, 3]] = -100
    nll_cases.append(("7x5 ignore default weight", x, y, rng.uniform(0.2, 3.0, size=5), None))
    x = logits(6, 3)
    y = labels(6, 3)
    y[[1, 2]] = 5
    nll_cases.append(("6x3 ignore 5", x, y, None, 5))
    x = logits(3, 4)
    nll_cases.append(("3x4 all ignored", x, np.full(3, -100), None, None))
    x = logits(4, 1)
    nll_cases.append(("4x1", x, np.zeros(4, dtype=np.int64), None, None))
    x = logits(5, 7, extreme=True)
    nll_cases.append(("5x7 extreme", x, labels(5, 7), None, None))
    for dt in DTYPES:
        for label, x, y, w, ii in nll_cases:
            lp = rnd(torch.log_softmax(T(x), 1).numpy(), dt)
            rows, cols = lp.shape
            wr = rnd(w, dt) if w is not None else None
            for r in (("mean",) if cols >= 1000 else ("none", "sum", "mean")):
                kw = {"reduction": r}
                o = {"cols": cols, "reduction": r}
                if wr is not None:
                    kw["weight"] = T(wr)
                    o["weight"] = farr(wr, dt)
                if ii is not None:
                    kw["ignore_index"] = ii
                    o["ignoreIndex"] = ii
                e = F.nll_loss(T(lp), TL(y), **kw)
                fx.add(f"nllLoss {SHORT[dt]} {label} {r}", "nllLoss", [farr(lp, dt), iarr(y)], o, e)

    # ------------------------------------------------- binaryCrossEntropy --
    bce_cases = []
    p = np.array([0.0, 1.0, 0.0, 1.0, 0.5, 1e-50, 1 - 1e-12, 0.3, 0.9, 1e-3])
    t = np.array([0.0, 1.0, 1.0, 0.0, 0.5, 1.0, 0.0, 1.0, 0.0, 0.25])
    bce_cases.append(("clamp edges 2x5", p, t, None, 5))
    bce_cases.append(("clamp edges weight 2x5", p, t, rng.uniform(0.0, 2.0, size=10), 5))
    p = rng.uniform(0, 1, size=(6, 7))
    t = (rng.uniform(size=(6, 7)) < 0.5).astype(np.float64)
    bce_cases.append(("6x7 hard", p, t, None, 7))
    p = rng.uniform(0, 1, size=(4, 10))
    t = rng.uniform(0, 1, size=(4, 10))
    bce_cases.append(("4x10 soft weight", p, t, rng.uniform(0.0, 2.0, size=40), 10))
    p = rng.uniform(0, 1, size=(3, 1))
    t = np.array([[1.0], [0.0], [1.0]])
    bce_cases.append(("3x1", p, t, None, 1))
    p = rng.uniform(0, 1, size=(1, 1023))
    t = (rng.uniform(size=(1, 1023)) < 0.3).astype(np.float64)
    bce_cases.append(("1x1023", p, t, None, 1023))
    for dt in DTYPES:
        for label, p, t, w, cols in bce_cases:
            pr, tr = rnd(p, dt), rnd(t, dt)
            wr = rnd(w, dt) if w is not None else None
            for r in (("mean",) if cols >= 1000 else ("none", "sum", "mean")):
                kw = {"reduction": r}
                o = {"cols": cols, "reduction": r}
                if wr is not None:
                    kw["weight"] = T(wr).reshape(T(pr).shape)
                    o["weight"] = farr(wr, dt)
                e = F.binary_cross_entropy(T(pr), T(tr), **kw)
                fx.add(f"binaryCrossEntropy {SHORT[dt]} {label} {r}", "binaryCrossEntropy",
                       [farr(pr, dt), farr(tr, dt)], o, e)

    # -------------------------------------- binaryCrossEntropyWithLogits --
    bcel_cases = []
    x = np.array([[100.0, -100.0, 0.0, 30.0, -30.0], [1e4, -1e4, 2.5, -0.5, 1e-8]])
    t = np.array([[1.0, 1.0, 0.5, 0.0, 1.0], [0.0, 1.0, 1.0, 0.25, 0.0]])
    bcel_cases.append(("extreme 2x5", x, t, None, None))
    bcel_cases.append(("extreme 2x5 posWeight per class", x, t, None, rng.uniform(0.5, 4.0, size=5)))
    bcel_cases.append(("extreme 2x5 weight posWeight per element", x, t,
                       rng.uniform(0.0, 2.0, size=10), rng.uniform(0.5, 4.0, size=10)))
    x = logits(6, 7)
    t = (rng.uniform(size=(6, 7)) < 0.5).astype(np.float64)
    bcel_cases.append(("6x7 hard", x, t, None, None))
    bcel_cases.append(("6x7 hard weight", x, t, rng.uniform(0.0, 2.0, size=42), None))
    bcel_cases.append(("6x7 hard posWeight per class", x, t, None, rng.uniform(0.5, 4.0, size=7)))
    x = logits(4, 10)
    t = rng.uniform(0, 1, size=(4, 10))
    bcel_cases.append(("4x10 soft weight posWeight per element", x, t, rng.uniform(0.0, 2.0, size=40),
                       rng.uniform(0.5, 4.0, size=40)))
    bcel_cases.append(("4x10 soft weight posWeight per class", x, t, rng.uniform(0.0, 2.0, size=40),
                       rng.uniform(0.5, 4.0, size=10)))
    x = logits(5, 1)
    t = np.array([[1.0], [0.0], [1.0], [0.0], [0.5]])
    bcel_cases.append(("5x1 posWeight per class", x, t, None, np.array([3.0])))
    x = logits(3, 3)
    t = (rng.uniform(size=(3, 3)) < 0.5).astype(np.float64)
    bcel_cases.append(("3x3 posWeight per class", x, t, None, np.array([0.5, 2.0, 10.0])))
    x = logits(1, 1023, scale=6.0)
    t = (rng.uniform(size=(1, 1023)) < 0.3).astype(np.float64)
    bcel_cases.append(("1x1023", x, t, None, None))
    for dt in DTYPES:
        for label, x, t, w, pw in bcel_cases:
            xr, tr = rnd(x, dt), rnd(t, dt)
            rows, cols = xr.shape
            wr = rnd(w, dt) if w is not None else None
            pwr = rnd(pw, dt) if pw is not None else None
            for r in (("sum",) if cols >= 1000 else ("none", "sum", "mean")):
                kw = {"reduction": r}
                o = {"cols": cols, "reduction": r}
                if wr is not None:
                    kw["weight"] = T(wr).reshape(rows, cols)
                    o["weight"] = farr(wr, dt)
                if pwr is not None:
                    kw["pos_weight"] = T(pwr) if pwr.size == cols else T(pwr).reshape(rows, cols)
                    o["posWeight"] = farr(pwr, dt)
                e = F.binary_cross_entropy_with_logits(T(xr), T(tr), **kw)
                fx.add(f"binaryCrossEntropyWithLogits {SHORT[dt]} {label} {r}",
                       "binaryCrossEntropyWithLogits", [farr(xr, dt), farr(tr, dt)], o, e)

    # --------------------------------------------------- distillationLoss --
    dist_cases = []
    dist_cases.append(("4x10 T=2", logits(4, 10), logits(4, 10), 2.0))
    dist_cases.append(("4x10 T=1", logits(4, 10), logits(4, 10), 1.0))
    dist_cases.append(("5x7 T=4 extreme", logits(5, 7, extreme=True), logits(5, 7, extreme=True), 4.0))
    dist_cases.append(("3x3 T=0.5", logits(3, 3), logits(3, 3), 0.5))
    dist_cases.append(("6x7 T=3 teacher neginf", logits(6, 7), logits(6, 7, neginf=True), 3.0))
    s = logits(3, 5)
    dist_cases.append(("3x5 T=2 identical", s, s.copy(), 2.0))
    dist_cases.append(("2x1 T=2", logits(2, 1), logits(2, 1), 2.0))
    dist_cases.append(("2x1023 T=2", logits(2, 1023), logits(2, 1023), 2.0))
    for dt in DTYPES:
        for label, s, t, temp in dist_cases:
            sr, tr = rnd(s, dt), rnd(t, dt)
            rows, cols = sr.shape
            ls_ = F.log_softmax(T(sr) / temp, dim=1)
            pt = F.softmax(T(tr) / temp, dim=1)
            for r in (("batchmean",) if cols >= 1000 else ("batchmean", "sum", "none")):
                if r == "none":
                    e = temp * temp * F.kl_div(ls_, pt, reduction="none").sum(dim=1)
                else:
                    e = temp * temp * F.kl_div(ls_, pt, reduction=r)
                fx.add(f"distillationLoss {SHORT[dt]} {label} {r}", "distillationLoss",
                       [farr(sr, dt), farr(tr, dt)], {"cols": cols, "temperature": temp,
                                                      "reduction": r}, e)

    # --------------------------------------------------------- perplexity --
    ppl_cases = []
    ppl_cases.append(("hand uniform 1x4", np.zeros((1, 4)), np.array([1]), {}))
    x = logits(6, 10)
    ppl_cases.append(("6x10", x, labels(6, 10), {}))
    x = logits(5, 7)
    y = labels(5, 7)
    y[2] = -100
    ppl_cases.append(("5x7 ignore default", x, y, {}))
    x = logits(4, 3)
    ppl_cases.append(("4x3 prob target", x, probs(4, 3), {}))
    x = logits(2, 1023, scale=2.0)
    ppl_cases.append(("2x1023", x, labels(2, 1023), {}))
    for dt in DTYPES:
        for label, x, y, extra in ppl_cases:
            xr = rnd(x, dt)
            rows, cols = xr.shape
            prob_target = y.dtype.kind == "f"
            yr = rnd(y, dt) if prob_target else y
            e = torch.exp(ce(xr, yr, reduction="mean"))
            fx.add(f"perplexity {SHORT[dt]} {label}", "perplexity",
                   [farr(xr, dt), farr(yr, dt) if prob_target else iarr(yr)],
                   dict({"cols": cols}, **extra), e)

    # ---------------------------------------------------- softmaxEntropy --
    def sm_entropy_rows(xr, temp=None, base=None):
        xt = T(xr) / temp if temp is not None else T(xr)
        p = torch.softmax(xt, dim=1)
        lp = torch.log_softmax(xt, dim=1)
        term = p * lp
        term = torch.where(p == 0, torch.zeros_like(term), term)  # NaN rows stay NaN
        h = -term.sum(dim=1)
        if base is not None:
            h = h / math.log(base)
        return h

    se_cases = [
        ("hand uniform 1x4", np.zeros((1, 4)), None, None, ["none"]),
        ("hand uniform 1x8 base2", np.zeros((1, 8)), None, 2, ["none"]),
        ("6x10", logits(6, 10), None, None, ["none", "sum", "mean"]),
        ("5x7 extreme", logits(5, 7, extreme=True), None, None, ["none", "mean"]),
        ("6x10 neginf", logits(6, 10, neginf=True), None, None, ["none", "sum"]),
        ("all -inf row 2x3", ALL_NINF_ROW, None, None, ["none"]),
        ("4x3 T=2 base2", logits(4, 3), 2.0, 2, ["none", "mean"]),
        ("4x7 T=0.5 base10", logits(4, 7, extreme=True), 0.5, 10, ["none", "sum"]),
        ("3x1", logits(3, 1), None, None, ["none"]),
        ("2x1023 T=3", logits(2, 1023, scale=8.0), 3.0, None, ["mean"]),
    ]
    for dt in DTYPES:
        for label, x, temp, base, reds in se_cases:
            xr = rnd(x, dt)
            rows, cols = xr.shape
            h = sm_entropy_rows(xr, temp, base)
            for r in reds:
                o = {"cols": cols, "reduction": r}
                if temp is not None:
                    o["temperature"] = temp
                if base is not None:
                    o["base"] = base
                e = h if r == "none" else (h.sum() if r == "sum" else h.mean())
                fx.add(f"softmaxEntropy {SHORT[dt]} {label} {r}", "softmaxEntropy",
                       [farr(xr, dt)], o, e)

    # --------------------------------------------- entropyRegularizedLoss --
    er_cases = []
    x = logits(6, 10)
    er_cases.append(("6x10 beta=0.1", x, labels(6, 10), 0.1, {}))
    x = logits(5, 7)
    er_cases.append(("5x7 beta=-0.5", x, labels(5, 7), -0.5, {}))
    x = logits(4, 3)
    er_cases.append(("4x3 beta=0", x, labels(4, 3), 0.0, {}))
    x = logits(7, 5)
    y = labels(7, 5)
    y[[1, 4]] = -100
    er_cases.append(("7x5 beta=0.25 ignore weight", x, y, 0.25, {"weight": rng.uniform(0.2, 3.0, size=5)}))
    x = logits(6, 4)
    er_cases.append(("6x4 beta=0.2 smoothing 0.1", x, labels(6, 4), 0.2, {"labelSmoothing": 0.1}))
    x = logits(4, 7)
    er_cases.append(("4x7 beta=0.3 prob target", x, probs(4, 7), 0.3, {}))
    x = logits(5, 7, extreme=True)
    er_cases.append(("5x7 beta=1 extreme", x, labels(5, 7), 1.0, {}))
    x = logits(2, 1023, scale=3.0)
    er_cases.append(("2x1023 beta=0.05", x, labels(2, 1023), 0.05, {}))
    for dt in DTYPES:
        for label, x, y, beta, extra in er_cases:
            xr = rnd(x, dt)
            rows, cols = xr.shape
            prob_target = y.dtype.kind == "f"
            yr = rnd(y, dt) if prob_target else y
            h = sm_entropy_rows(xr)
            for r in (("mean",) if cols >= 1000 else ("none", "sum", "mean")):
                kw = {"reduction": r}
                o = {"cols": cols, "beta": beta, "reduction": r}
                if "weight" in extra:
                    wr = rnd(extra["weight"], dt)
                    kw["weight"] = T(wr)
                    o["weight"] = farr(wr, dt)
                if "labelSmoothing" in extra:
                    kw["label_smoothing"] = extra["labelSmoothing"]
                    o["labelSmoothing"] = extra["labelSmoothing"]
                c = ce(xr, yr, **kw)
                hr = h if r == "none" else (h.sum() if r == "sum" else h.mean())
                e = c - beta * hr
                fx.add(f"entropyRegularizedLoss {SHORT[dt]} {label} {r}", "entropyRegularizedLoss",
                       [farr(xr, dt), farr(yr, dt) if prob_target else iarr(yr)], o, e)

    # ------------------------------------------------------------- oneHot --
    for lbl, cols, s in [([2], 4, 0.1), ([0, 2, 1, 3], 4, 0.0), ([0, 2, 1, 3], 4, 0.1),
                         ([0, 0, 0], 1, 0.0), ([0, 0], 1, 0.3), ([2, 0, 1], 3, 0.2),
                         ([6, 3, 0, 5, 1], 7, 0.15), (list(range(10)), 10, 0.05),
                         ([9, 9, 0], 10, 1.0)]:
        lbl = np.array(lbl)
        e = np.zeros((len(lbl), cols))
        e[np.arange(len(lbl)), lbl] = 1.0
        e = e * (1 - s) + s / cols
        fx.add(f"oneHot {len(lbl)}x{cols} s={s}", "oneHot", [iarr(lbl)],
               {"cols": cols, "smoothing": s}, e)


def main():
    versions = {"python": sys.version.split()[0], "numpy": np.__version__,
                "scipy": scipy.__version__, "torch": torch.__version__,
                "mpmath": mpmath.__version__}
    counts = {}
    for fname, gen in (("probability.json", gen_probability), ("logits.json", gen_logits)):
        fx = Fixture(os.path.join(HERE, fname))
        gen(fx)
        size = fx.write(versions)
        per_fn = {}
        for c in fx.cases:
            per_fn[c["fn"]] = per_fn.get(c["fn"], 0) + 1
        counts[fname] = per_fn
        print(f"{fname}: {len(fx.cases)} cases, {size / 1e6:.2f} MB")
        for k, v in per_fn.items():
            print(f"  {k}: {v}")
    print("versions:", versions)


if __name__ == "__main__":
    main()
