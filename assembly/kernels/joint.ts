// Joint tables (rows index X, columns index Y): marginals, and the mutual-information sum
// (miRows: terms that are never negative, so nearly independent tables keep their accuracy).
import { INVALID, status, lanes, at, vsplat, vmin, hsum } from "./lanes";
import { logd } from "../math/log";

/** Row sums to rowOut[r]; column sums added into colAcc[c] (f64, kept across calls). */
export function marginalsRows<T>(p: usize, rows: i32, cols: i32, rowOut: usize, colAcc: usize): i32 {
  status = 0;
  const L = lanes<T>();
  for (let r = 0; r < rows; r++) {
    const row = at<T>(p, r * cols);
    let s = 0.0;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
      let vmn = vsplat<T>(0);
      for (; j + L <= cols; j += L) {
        const x = v128.load(at<T>(row, j));
        vmn = vmin<T>(vmn, x); // NaN propagates
        const c = colAcc + (<usize>j << 3);
        if (sizeof<T>() == 4) {
          const x0 = f64x2.promote_low_f32x4(x);
          const x1 = f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 2, 3));
          v128.store(c, f64x2.add(v128.load(c), x0));
          v128.store(c, f64x2.add(v128.load(c, 16), x1), 16);
          a0 = f64x2.add(a0, x0);
          a1 = f64x2.add(a1, x1);
        } else {
          v128.store(c, f64x2.add(v128.load(c), x));
          a0 = f64x2.add(a0, x);
        }
      }
      s = hsum(a0, a1);
      const ok = sizeof<T>() == 4 ? f32x4.ge(vmn, f32x4.splat(0)) : f64x2.ge(vmn, f64x2.splat(0));
      if (!v128.all_true<i32>(ok)) status |= INVALID; // negative or NaN
    }
    for (; j < cols; j++) {
      const x = load<T>(at<T>(row, j));
      if (!(x >= <T>0)) status |= INVALID;
      const c = colAcc + (<usize>j << 3);
      store<f64>(c, load<f64>(c) + <f64>x);
      s += <f64>x;
    }
    store<f64>(rowOut + (<usize>r << 3), s);
  }
  return status;
}

// ---- mutual information
// Each cell's term is q phi(d), q = r c / T (the cell's mass were X and Y independent),
// d = x T / (r c) - 1, phi(d) = (1 + d) log(1 + d) - d >= 0. The terms add up to I(X;Y) T
// because the q d sum to zero (the marginals' totals), and unlike x log(x T / (r c)) they
// are never negative, so a nearly independent table (I ~ d^2) does not cancel to its
// rounding errors: the ratio form lost ~1e-3 relative at I = 1e-13 on counts near 1e6.
// The sum is also stationary in the marginals, so their own rounding moves I only to
// second order. x T - r c is formed exactly enough by Dekker's two-product (WASM has no
// scalar fma); all in f64, whatever T.

/** 2^27 + 1: splits an f64 into two halves whose products are exact (Dekker). */
const SPLIT: f64 = 134217729.0;
/** The rounding error of the product ab = a * b. */
// @ts-ignore: decorator
@inline function productError(a: f64, b: f64, ab: f64): f64 {
  const ta = SPLIT * a, ah = ta - (ta - a), al = a - ah;
  const tb = SPLIT * b, bh = tb - (tb - b), bl = b - bh;
  return ((ah * bh - ab) + ah * bl + al * bh) + al * bl;
}
const F64_MIN_NORMAL: f64 = 2.2250738585072014e-308;
/** |d| below this: phi by its series; above, the direct form cancels by at most ~20x. */
const PHI_SERIES: f64 = 0.1;
/** phi(d) / d^2 = sum (-d)^n / ((n + 1)(n + 2)), n = 0..13: below 2^-53 relative for |d| < 0.1. */
// @ts-ignore: decorator
@inline function phiOverSquare(d: f64): f64 {
  let s: f64 = 1.0 / 210.0;
  s = 1.0 / 182.0 - d * s;
  s = 1.0 / 156.0 - d * s;
  s = 1.0 / 132.0 - d * s;
  s = 1.0 / 110.0 - d * s;
  s = 1.0 / 90.0 - d * s;
  s = 1.0 / 72.0 - d * s;
  s = 1.0 / 56.0 - d * s;
  s = 1.0 / 42.0 - d * s;
  s = 1.0 / 30.0 - d * s;
  s = 1.0 / 20.0 - d * s;
  s = 1.0 / 12.0 - d * s;
  s = 1.0 / 6.0 - d * s;
  return 0.5 - d * s;
}

/** One cell's q phi(d): x, r, c, T of the scaled table (T near 1). */
// @ts-ignore: decorator
@inline function miCell(x: f64, r: f64, c: f64, T: f64): f64 {
  const p = r * c, q = p / T;
  if (x == 0) return q; // d = -1: phi = 1
  const xt = x * T;
  // x T or r c below f64's normal range (a cell or marginals under ~1e-154): the logs apart
  if (!(p >= F64_MIN_NORMAL && xt >= F64_MIN_NORMAL)) return x * (logd(x) + logd(T) - logd(r) - logd(c)) - x + q;
  const d = ((xt - p) + (productError(x, T, xt) - productError(r, c, p))) / p;
  if (abs<f64>(d) < PHI_SERIES) return q * (d * d) * phiOverSquare(d);
  // x log(1 + d) - q d: log1p(d) as log u plus u's rounding; 1 + d may round to 0 below -0.5
  const u = 1.0 + d;
  const l = d < -0.5 ? logd(xt / p) : logd(u) + (d - (u - 1.0)) / u;
  return x * l - q * d;
}

/**
 * Sum over the table of q phi(d) (above), x' = lambda x being the cells of the table scaled
 * by a power of two to a total near 1 (so tiny or huge counts give the same answer);
 * rowSums, colSums and total are those of the scaled table (f64).
 */
export function miRows<T>(p: usize, rows: i32, cols: i32, rowSums: usize, colSums: usize, total: f64, lambda: f64): f64 {
  let s = 0.0;
  for (let i = 0; i < rows; i++) {
    const row = at<T>(p, i * cols);
    const r = load<f64>(rowSums + (<usize>i << 3));
    let sr = 0.0;
    for (let j = 0; j < cols; j++) {
      sr += miCell(<f64>load<T>(at<T>(row, j)) * lambda, r, load<f64>(colSums + (<usize>j << 3)), total);
    }
    s += sr;
  }
  return s;
}
