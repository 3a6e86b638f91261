// Joint tables (rows index X, columns index Y): marginals, and the mutual-information sum
// (miRows: terms that are never negative, so nearly independent tables keep their accuracy).
import { INVALID, status, lanes, at, vsplat, vmin, hsum } from "./lanes";
import { logd, logd2Normal } from "../math/log";
import { k64 } from "../math/exp";

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
/**
 * r c from here up (44 bits or more) keeps the ratio and series forms within a few subnormal ulps, even where
 * x T is subnormal; below, r c's rounding (up to 2^-1075) costs log rho more than the log form's
 * x (log x + log T - log r - log c), which cancels (by hundreds of ulps) only where x T is near r c.
 */
const RC_RATIO_MIN: f64 = 8.691694759794e-311; // 2^-1030
/** |d| below this: phi by its series; above, the direct form cancels by at most ~20x. */
const PHI_SERIES: f64 = 0.1;
/** phi(d) / d^2 = sum (-d)^n / ((n + 1)(n + 2)), n = 0..13: below 2^-53 relative for |d| < 0.1. */
const PHI_COEFFS: usize = memory.data<f64>([0.5, 1.0 / 6.0, 1.0 / 12.0, 1.0 / 20.0, 1.0 / 30.0, 1.0 / 42.0, 1.0 / 56.0,
  1.0 / 72.0, 1.0 / 90.0, 1.0 / 110.0, 1.0 / 132.0, 1.0 / 156.0, 1.0 / 182.0, 1.0 / 210.0]);
// @ts-ignore: decorator
@inline function phiOverSquare(d: f64): f64 {
  let s = load<f64>(PHI_COEFFS, 13 << 3);
  for (let n = 12; n >= 0; n--) s = load<f64>(PHI_COEFFS + (<usize>n << 3)) - d * s;
  return s;
}

/** One cell's q phi(d): x, r, c, T of the scaled table (T near 1), invT = 1 / T. */
// @ts-ignore: decorator
@inline function miCell(x: f64, r: f64, c: f64, T: f64, invT: f64): f64 {
  const p = r * c, q = p * invT;
  if (x == 0) return q; // d = -1: phi = 1
  const xt = x * T;
  // r c under 2^-1030 (marginals under ~1e-155): the logs apart (RC_RATIO_MIN)
  if (!(p >= RC_RATIO_MIN)) return x * (logd(x) + logd(T) - logd(r) - logd(c)) - x + q;
  const rho = xt / p, d = rho - 1.0;
  if (abs<f64>(d) < PHI_SERIES) { // x T - r c cancels: add back the products' rounding errors
    const e = ((xt - p) + (productError(x, T, xt) - productError(r, c, p))) / p;
    return q * (e * e) * phiOverSquare(e);
  }
  return x * logd(rho) - q * d;
}

// ---- the same two cells at a time in f64 lanes (no branch on d: both forms, blended)
const MI_TAB: usize = memory.data<f64>([F64_MIN_NORMAL, PHI_SERIES, 1.0, SPLIT]);
/** productError in f64 lanes. */
// @ts-ignore: decorator
@inline function productError2(a: v128, b: v128, ab: v128): v128 {
  const sp = k64(MI_TAB, 3);
  const ta = f64x2.mul(sp, a), ah = f64x2.sub(ta, f64x2.sub(ta, a)), al = f64x2.sub(a, ah);
  const tb = f64x2.mul(sp, b), bh = f64x2.sub(tb, f64x2.sub(tb, b)), bl = f64x2.sub(b, bh);
  return f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(ah, bh), ab), f64x2.mul(ah, bl)), f64x2.mul(al, bh)), f64x2.mul(al, bl));
}
/** phiOverSquare in f64 lanes. */
// @ts-ignore: decorator
@inline function phiOverSquare2(d: v128): v128 {
  let s = k64(PHI_COEFFS, 13);
  for (let n = 12; n >= 0; n--) s = f64x2.sub(k64(PHI_COEFFS, n), f64x2.mul(d, s));
  return s;
}

/** One row's sum of q phi(d); x' = lambda x, r its row sum, colSums the column sums. */
function miRow<T>(row: usize, cols: i32, r: f64, colSums: usize, total: f64, invT: f64, lambda: f64): f64 {
  let s = 0.0;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const lv = f64x2.splat(lambda), rv = f64x2.splat(r), tv = f64x2.splat(total), iv = f64x2.splat(invT);
    const lo = k64(MI_TAB, 0), one = k64(MI_TAB, 2);
    let acc = f64x2.splat(0);
    for (; j + 2 <= cols; j += 2) {
      const a = at<T>(row, j);
      const x = f64x2.mul(sizeof<T>() == 4 ? f64x2.promote_low_f32x4(v128.load64_zero(a)) : v128.load(a), lv);
      const c = v128.load(colSums + (<usize>j << 3));
      const p = f64x2.mul(rv, c), q = f64x2.mul(p, iv), xt = f64x2.mul(x, tv);
      const ok = v128.and(f64x2.ge(xt, lo), f64x2.ge(p, lo)); // else x = 0 (term q), or a tiny cell (miCell: logd2Normal needs a normal rho)
      if (!v128.all_true<i64>(v128.or(ok, f64x2.eq(x, f64x2.splat(0))))) {
        s += miCell(f64x2.extract_lane(x, 0), r, f64x2.extract_lane(c, 0), total, invT);
        s += miCell(f64x2.extract_lane(x, 1), r, f64x2.extract_lane(c, 1), total, invT);
        continue;
      }
      const rho = f64x2.div(xt, p), d = f64x2.sub(rho, one);
      // x log(rho) - q d; an empty cell's term is q (its rho is 0, or NaN where r c = 0 too)
      let t = v128.bitselect(f64x2.sub(f64x2.mul(x, logd2Normal(v128.bitselect(rho, one, ok))), f64x2.mul(q, d)), q, ok);
      const small = f64x2.lt(f64x2.abs(d), k64(MI_TAB, 1));
      if (v128.any_true(small)) {
        const e = f64x2.div(f64x2.add(f64x2.sub(xt, p), f64x2.sub(productError2(x, tv, xt), productError2(rv, c, p))), p);
        t = v128.bitselect(f64x2.mul(f64x2.mul(q, f64x2.mul(e, e)), phiOverSquare2(e)), t, small);
      }
      acc = f64x2.add(acc, t);
    }
    s += f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  }
  for (; j < cols; j++) {
    s += miCell(<f64>load<T>(at<T>(row, j)) * lambda, r, load<f64>(colSums + (<usize>j << 3)), total, invT);
  }
  return s;
}

/**
 * Sum over the table of q phi(d) (above), x' = lambda x being the cells of the table scaled
 * by a power of two to a total near 1 (so tiny or huge counts give the same answer);
 * rowSums, colSums and total are those of the scaled table (f64).
 */
export function miRows<T>(p: usize, rows: i32, cols: i32, rowSums: usize, colSums: usize, total: f64, lambda: f64): f64 {
  const invT = 1.0 / total;
  let s = 0.0;
  for (let i = 0; i < rows; i++) {
    s += miRow<T>(at<T>(p, i * cols), cols, load<f64>(rowSums + (<usize>i << 3)), colSums, total, invT, lambda);
  }
  return s;
}
