// The pure-JS backend: the readable reference of every formula, in f64 with Math.log
// whatever the input type. It runs where WebAssembly does not, and the tests hold the
// WASM builds to it.
import type { FloatArray } from '../types.js';
import { CLASS_DOT, ENTROPY, TARGETS, type Kernels, type WeightMode } from './kernels.js';

const bad = (v: number) => !(v >= 0); // negative or NaN

/** A weight for element (r, c): absent (1), per element, or per class. */
function weight(w: FloatArray | null, mode: WeightMode, r: number, c: number, cols: number): number {
  return mode === 0 || !w ? 1 : mode === 1 ? w[r * cols + c] : w[c];
}

/** Largest value of z[o, o+n); NaN if the row holds one (as torch.max), so NaN reaches every result. */
function rowMax(z: FloatArray, o: number, n: number): number {
  let m = -Infinity;
  for (let i = o; i < o + n; i++) {
    const v = z[i];
    // Stryker disable next-line EqualityOperator: v >= m only replaces a maximum by an equal value (0 for -0 at most: the same gaps)
    if (v > m) m = v;
    else if (v !== v) return NaN;
  }
  return m;
}

/**
 * (x - m) / T as (x - m) * invT, formed from halves so that x - m cannot overflow, and 0 at
 * a finite maximum whatever invT is (0 * Infinity would be NaN for a subnormal T). The halving
 * and doubling are exact, so ordinary values give exactly (x - m) * invT.
 */
function gap(x: number, m: number, invT: number): number {
  return x - m === 0 ? 0 : (0.5 * x - 0.5 * m) * (2 * invT); // +-Infinity - itself stays NaN (as PyTorch)
}

/** p log(2p/(p+q)) for p > 0: the ratio while it is normal, else the logs (no m = (p+q)/2 to underflow). */
function jsTerm(p: number, q: number): number {
  const s = p + q;
  if (s < Infinity) {
    // Stryker disable next-line EqualityOperator: at p = 1e300 either quotient is exact to rounding (2p is finite, s normal)
    const r = p < 1e300 ? (2 * p) / s : p / (0.5 * s);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the log form of the same term where the ratio is normal: here |d| >= 0.5, so |log r| >= 0.4 and the logs' rounding stays below 2e-13 relative
    if (r > 2.2250738585072014e-308) return p * Math.log(r);
    return p * (Math.log(p) + Math.LN2 - Math.log(s));
  }
  return p * (Math.log(p) - Math.log(0.5 * p + 0.5 * q));
}

/** p log(p/q) for p > 0, as a ratio while the ratio is a normal number. */
function pLogRatio(p: number, q: number): number {
  const r = p / q;
  // Stryker disable next-line EqualityOperator: a ratio of exactly the smallest normal takes the log form, the same to rounding
  if (r > 2.2250738585072014e-308 && r < Infinity) return p * Math.log(r);
  return p * (Math.log(p) - Math.log(q)); // ratio over/underflowed, or q = 0 (+Infinity)
}

// Mutual information cell by cell (assembly/kernels/joint.ts has the why): q phi(d) with
// q = r c / T, d = x T / (r c) - 1, phi(d) = (1 + d) log(1 + d) - d >= 0.
const SPLIT = 134217729; // 2^27 + 1 (Dekker)
/** r c below this takes the log form (joint.ts RC_RATIO_MIN). */
const RC_RATIO_MIN = 2 ** -1030;
/** The rounding error of the product ab = a * b. */
function productError(a: number, b: number, ab: number): number {
  const ta = SPLIT * a, ah = ta - (ta - a), al = a - ah;
  const tb = SPLIT * b, bh = tb - (tb - b), bl = b - bh;
  return ((ah * bh - ab) + ah * bl + al * bh) + al * bl;
}
/** phi(d) / d^2 = sum (-d)^n / ((n + 1)(n + 2)), n = 0..13: below 2^-53 relative for |d| < 0.1. */
const PHI_COEFFS = Array.from({ length: 14 }, (_, n) => 1 / ((n + 1) * (n + 2)));
function phiOverSquare(d: number): number {
  let s = PHI_COEFFS[13];
  for (let n = 12; n >= 0; n--) s = PHI_COEFFS[n] - d * s;
  return s;
}
function miCell(x: number, r: number, c: number, T: number, invT: number): number {
  const p = r * c, q = p * invT;
  if (x === 0) return q;
  const xt = x * T;
  // Stryker disable next-line EqualityOperator: at exactly RC_RATIO_MIN both forms err by a few subnormal ulps
  if (!(p >= RC_RATIO_MIN)) return x * (Math.log(x) + Math.log(T) - Math.log(r) - Math.log(c)) - x + q;
  const rho = xt / p, d = rho - 1;
  // Stryker disable next-line EqualityOperator: at |d| = 0.1 the series and the ratio form agree to rounding
  if (Math.abs(d) < 0.1) { // x T - r c cancels: add back the products' rounding errors
    const e = ((xt - p) + (productError(x, T, xt) - productError(r, c, p))) / p;
    return q * (e * e) * phiOverSquare(e);
  }
  return x * Math.log(rho) - q * d;
}

/**
 * T^2 KL = sum_k kappa_k tau^(k-2) (k-1)/k! (tau = 1/T) from the central moments of b under q:
 * to kappa_6, exact to f64 where tau max|b| < 1e-3.
 */
function cumulantSeries(s2: number, s3: number, s4: number, s5: number, s6: number, Ss: number, tau: number): number {
  const m2 = s2 / Ss, m3 = s3 / Ss, m4 = s4 / Ss, m5 = s5 / Ss;
  const k4 = m4 - 3 * m2 * m2, k5 = m5 - 10 * m3 * m2;
  // The k6 term is below (max|b|/T)^4 / 72 < 1e-12 / 72 of the sum where the series runs (max|b|/T < 1e-3): a
  // wrong k6 is invisible at the documented 1e-12; it is there for the last digits (k4, k5: Decimal-valued tests).
  // Stryker disable next-line ArithmeticOperator: see above
  const k5k6 = k5 / 30 + tau * ((s6 / Ss - 15 * m4 * m2 - 10 * m3 * m3 + 30 * m2 * m2 * m2) / 144);
  return m2 / 2 + tau * (m3 / 3 + tau * (k4 / 8 + tau * k5k6));
}

/** expm1(b) - b without cancellation: its series for small b. */
function expm1MinusX(b: number): number {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: expm1(b) - b for small b too cancels ~1e-16 absolute against b^2/2 terms that the tilted form (max|b|/T >= 1e-3) sums with larger ones: below 1e-12 of the row
  if (Math.abs(b) >= 0.1) return Math.expm1(b) - b;
  let term = b * b / 2, sum = term;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: more terms of a series that has converged (|b| < 0.1) add nothing
  for (let k = 3; k < 20 && Math.abs(term) > 1e-18 * Math.abs(sum); k++) sum += (term *= b / k);
  return sum;
}

/**
 * T^2 KL(softmax(t/T) || softmax(s/T)) of one row (assembly/kernels/softmax.ts distillRow
 * is the same algorithm). With q = softmax(s/T), a = t - s and b = a - mean_q(a), p is q
 * tilted by e^(b/T), so KL = sum q b' expm1(b' - L) - L with b' = b/T, L = log1p(sum q
 * (expm1(b') )): no two large terms cancel. Where max|b|/T < 1e-3 the cumulant series
 * T^2 KL = k2/2 + k3/(3T) + k4/(8T^2) + ... (to k6) is exact to f64 and needs no T^2 (T up to 1e308).
 * Rows with non-finite logits keep the direct form A/St + log Ss - log St.
 */
function distillRow(s: FloatArray, t: FloatArray, o: number, n: number, invT: number): number {
  const ms = rowMax(s, o, n), mt = rowMax(t, o, n);
  // The finiteness pre-check states the intent; a non-finite logit would make bmax NaN and reach the direct form anyway.
  // Stryker disable all: see above
  let finite = Number.isFinite(ms) && Number.isFinite(mt);
  for (let c = o; c < o + n && finite; c++) finite = Number.isFinite(s[c]) && Number.isFinite(t[c]);
  if (finite) {
    // Stryker restore all
    let Ss = 0, Qa = 0;
    for (let c = o; c < o + n; c++) {
      const e = Math.exp(gap(s[c], ms, invT));
      Ss += e;
      Qa += e * (t[c] - s[c]);
    }
    const abar = Qa / Ss;
    let bmax = 0;
    for (let c = o; c < o + n; c++) bmax = Math.max(bmax, Math.abs(t[c] - s[c] - abar));
    // Stryker disable next-line EqualityOperator: at exactly 1e-3 the series and the tilted form agree to 1e-12
    if (bmax * invT < 1e-3) {
      let m1 = 0;
      for (let c = o; c < o + n; c++) m1 += Math.exp(gap(s[c], ms, invT)) * (t[c] - s[c] - abar);
      m1 /= Ss; // the mean's rounding, removed before the central moments
      let m2 = 0, m3 = 0, m4 = 0, m5 = 0, m6 = 0;
      for (let c = o; c < o + n; c++) {
        const e = Math.exp(gap(s[c], ms, invT)), b = t[c] - s[c] - abar - m1, b2 = b * b;
        m2 += e * b2; m3 += e * b2 * b; m4 += e * b2 * b2; m5 += e * b2 * b2 * b;
        // Stryker disable next-line AssignmentOperator,ArithmeticOperator: the k6 term (cumulantSeries)
        m6 += e * b2 * b2 * b2;
      }
      return cumulantSeries(m2, m3, m4, m5, m6, Ss, invT);
    }
    // Stryker disable next-line EqualityOperator: at exactly 700 both the tilted form (e^700 is finite) and the direct one hold
    if (bmax * invT < 700) {
      let g = 0, lin = 0;
      for (let c = o; c < o + n; c++) {
        const e = Math.exp(gap(s[c], ms, invT)), b = (t[c] - s[c] - abar) * invT;
        g += e * expm1MinusX(b);
        lin += e * b;
      }
      const L = Math.log1p((g + lin) / Ss);
      let K = 0;
      for (let c = o; c < o + n; c++) {
        const e = Math.exp(gap(s[c], ms, invT)), b = (t[c] - s[c] - abar) * invT;
        K += e * b * Math.expm1(b - L);
      }
      // sum q b' e^(b' - L) - L holds for any mean of b'; K alone drops sum q b', zero but for abar's rounding,
      // which a teacher far above the student makes visible (1e-10 at 2^20): + lin keeps it
      return ((K + lin) / Ss - L) / invT / invT;
    }
  }
  let Ss = 0, St = 0, A = 0;
  for (let c = o; c < o + n; c++) {
    const ds = gap(s[c], ms, invT), dt = gap(t[c], mt, invT);
    const et = Math.exp(dt);
    Ss += Math.exp(ds);
    St += et;
    if (et !== 0) A += et * (dt - ds); // teacher probability 0: term 0
  }
  return (A / St + Math.log(Ss) - Math.log(St)) / invT / invT;
}

export const jsKernels: Kernels = {
  name: 'js',

  entropy(p, rows, cols, scale, out) {
    let invalid = false;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let s = 0;
      for (let i = o; i < o + cols; i++) {
        const v = p[i];
        if (v > 0) s -= v * Math.log(v);
        else if (v !== 0) { invalid = true; s = NaN; } // negative or NaN (one branch on the common path)
      }
      out[r] = s * scale;
    }
    return invalid;
  },

  entropyNormalized(p, rows, cols, scale, out, sums) {
    let invalid = false;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let total = 0;
      for (let i = o; i < o + cols; i++) total += p[i];
      if (sums) sums[r] = total;
      let s = 0;
      for (let i = o; i < o + cols; i++) {
        const v = p[i];
        if (bad(v)) { invalid = true; s = NaN; } // an invalid value makes the row NaN
        const y = v / total;
        if (y !== 0) s -= y * Math.log(y); // y may underflow to 0: y log y -> 0
      }
      // Stryker disable next-line ConditionalExpression: a row summing to 0 makes every y = 0/0 = NaN, so s is NaN already
      out[r] = total === 0 ? NaN : s * scale; // nothing to normalise: 0/0, as SciPy
    }
    return invalid;
  },

  crossEntropy(p, q, rows, cols, scale, out) {
    let invalid = false;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let s = 0;
      for (let i = o; i < o + cols; i++) {
        const a = p[i], b = q[i];
        if (a > 0 && b >= 0) s -= a * Math.log(b);
        else if (bad(a) || bad(b)) { invalid = true; s = NaN; } // an invalid input makes the term NaN
      }
      out[r] = s * scale;
    }
    return invalid;
  },

  klDivergence(p, q, rows, cols, scale, out) {
    let invalid = false;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let s = 0;
      for (let i = o; i < o + cols; i++) {
        const a = p[i], b = q[i];
        // Stryker disable next-line ConditionalExpression,EqualityOperator: the common case first; a valid a > 0 with b = 0 reaches the same pLogRatio below
        if (a > 0 && b > 0) s += pLogRatio(a, b);
        else if (bad(a) || bad(b)) { invalid = true; s = NaN; } // an invalid input makes the term NaN
        else if (a !== 0) s += pLogRatio(a, b);
      }
      out[r] = s * scale;
    }
    return invalid;
  },

  klDivergenceLogTarget(lp, q, rows, cols, scale, out) {
    let invalid = false;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let s = 0;
      for (let i = o; i < o + cols; i++) {
        const l = lp[i], b = q[i];
        if (Number.isNaN(l) || bad(b)) invalid = true;
        if (l !== -Infinity) s += Math.exp(l) * (l - Math.log(b));
      }
      out[r] = s * scale;
    }
    return invalid;
  },

  jsDivergence(p, q, rows, cols, scale, out) {
    let invalid = false;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let s = 0;
      for (let i = o; i < o + cols; i++) {
        const a = p[i], b = q[i];
        if (bad(a) || bad(b)) { invalid = true; s = NaN; continue; } // an invalid input makes the term NaN
        const t = a + b, d = (a - b) / t;
        // nearly equal: s/2 (2d atanh d + log1p(-d^2)), which cannot cancel below 0 (see jsAccurate in the kernels)
        // Stryker disable next-line EqualityOperator: at |d| = 0.5 both forms are accurate (no cancellation either way)
        if (Math.abs(d) < 0.5 && t < Infinity) { s += 0.5 * t * (2 * d * Math.atanh(d) + Math.log1p(-d * d)); continue; }
        if (a !== 0) s += jsTerm(a, b);
        if (b !== 0) s += jsTerm(b, a);
      }
      out[r] = 0.5 * s * scale;
    }
    return invalid;
  },

  surprisal(p, scale, out) {
    let invalid = false;
    for (let i = 0; i < p.length; i++) {
      const v = p[i];
      if (bad(v)) invalid = true;
      out[i] = -Math.log(v) * scale;
    }
    return invalid;
  },

  binaryEntropy(p, scale, out) {
    let invalid = false;
    for (let i = 0; i < p.length; i++) {
      const v = p[i];
      if (!(v >= 0 && v <= 1)) invalid = true;
      let s = 0;
      if (v !== 0) s -= v * Math.log(v);
      if (v !== 1) s -= (1 - v) * Math.log1p(-v);
      out[i] = s * scale;
    }
    return invalid;
  },

  marginals(x, rows, cols, rowSums, colSums) {
    let invalid = false;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let s = 0;
      for (let c = 0; c < cols; c++) {
        const v = x[o + c];
        if (bad(v)) invalid = true;
        s += v;
        colSums[c] += v;
      }
      rowSums[r] = s;
    }
    return invalid;
  },

  mutualInformationSum(x: FloatArray, rows, cols, rowSums, colSums, total, lambda) {
    const invT = 1 / total;
    let s = 0;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let sr = 0;
      for (let c = 0; c < cols; c++) sr += miCell(x[o + c] * lambda, rowSums[r], colSums[c], total, invT);
      s += sr;
    }
    return s;
  },

  softmaxStats(z, t, w, rows, cols, invT, eps, mode, out) {
    let invalid = false;
    const smooth = eps / cols;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      const m = rowMax(z, o, cols);
      let s = 0, ed = 0, b = 0, ww = 0;
      for (let c = 0; c < cols; c++) {
        const x = z[o + c];
        const d = gap(x, m, invT);
        const e = Math.exp(d);
        s += e;
        if (mode & ENTROPY && e !== 0) ed += e * d;
        if (mode & CLASS_DOT) {
          const wc = w ? w[c] : 1;
          if (wc !== 0) b += wc * (m - x);
        }
        if (mode & TARGETS) {
          const tc = t![o + c];
          if (bad(tc)) { invalid = true; b = NaN; } // the row's loss is NaN
          const a = (w ? w[c] : 1) * (tc * (1 - eps) + smooth);
          if (a !== 0) b += a * (m - x); // 0, even where z = -Infinity
          ww += a;
        }
      }
      const ls = Math.log(s);
      out.m[r] = m;
      out.ls[r] = ls;
      if (out.h) out.h[r] = ls - ed / s;
      if (out.b) out.b[r] = b;
      if (out.w) out.w[r] = ww;
    }
    return invalid;
  },

  softmax(z, rows, cols, invT, log, out) {
    // Stryker disable next-line EqualityOperator: one row past the end: typed arrays ignore the write (and a row written early is written again)
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      const m = rowMax(z, o, cols);
      let s = 0;
      for (let c = o; c < o + cols; c++) s += Math.exp(gap(z[c], m, invT));
      const ls = Math.log(s);
      // Stryker disable next-line EqualityOperator: one row past the end: typed arrays ignore the write (and a row written early is written again)
      for (let c = o; c < o + cols; c++) out[c] = log ? gap(z[c], m, invT) - ls : Math.exp(gap(z[c], m, invT)) / s;
    }
  },

  distill(s, t, rows, cols, invT, out) {
    // Stryker disable next-line EqualityOperator: one row past the end: typed arrays ignore the write (and a row written early is written again)
    for (let r = 0, o = 0; r < rows; r++, o += cols) out[r] = distillRow(s, t, o, cols, invT);
  },

  bce(p, t, w, wMode, rows, cols, out) {
    let invalid = false;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      for (let c = 0; c < cols; c++) {
        const x = p[o + c], y = t[o + c];
        if (!(x >= 0 && x <= 1)) invalid = true;
        const lp = Math.max(Math.log(x), -100), lq = Math.max(Math.log1p(-x), -100);
        out[o + c] = -(y * lp + (1 - y) * lq) * weight(w, wMode, r, c, cols);
      }
    }
    return invalid;
  },

  bceLogits(x, t, w, wMode, pw, pwMode, rows, cols, out) {
    // Stryker disable next-line EqualityOperator: one row past the end: typed arrays ignore the write (and a row written early is written again)
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      // Stryker disable next-line EqualityOperator: see above
      for (let c = 0; c < cols; c++) {
        const v = x[o + c], y = t[o + c];
        const p = weight(pw, pwMode, r, c, cols);
        // (1-t) x + lw softplus(-x), split by the sign of x so that x and -x never cancel
        // Stryker disable next-line EqualityOperator: at v = 0 both forms give 0 (or -0)
        const lin = v >= 0 ? (1 - y) * v : -v * p * y;
        out[o + c] = (lin + (1 + (p - 1) * y) * Math.log1p(Math.exp(-Math.abs(v)))) * weight(w, wMode, r, c, cols);
      }
    }
  },
};
