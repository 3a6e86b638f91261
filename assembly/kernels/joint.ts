// Joint tables (rows index X, columns index Y): marginals, and the mutual-information sum
//   sum_ij x_ij log(x_ij * a_i * b_j),  a_i = 1 / r_i,  b_j = T / c_j,
// so that I(X;Y) = sum / T. This ratio form stays accurate for nearly independent tables,
// where H(X) + H(Y) - H(X,Y) would cancel. The ratio is formed in f64, rounded to T once,
// and its log taken in T.
import {
  INVALID, status, lanes, at, slog, isPosNormal, vsplat, vmul, vmin, vlogNormal, vloadTail,
  keepMask, sumLo, sumHi, hsum, trackInitLo, trackInitHi, trackZeroLo, trackZeroHi, trackedSpecial,
} from "./lanes";
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

// @ts-ignore: decorator
@inline function miTerm<T>(x: T, a: f64, b: f64, lambda: f64): f64 {
  if (x == 0) return 0;
  const xs = <f64>x * lambda;
  if (xs == 0) return 0; // a subnormal count scaled down to 0: a term below 1e-300
  const r64 = xs * a * b;
  const r = <T>r64;
  if (isPosNormal<T>(r)) return sizeof<T>() == 4 ? <f64>(x * slog<T>(r)) * lambda : xs * <f64>slog<T>(r);
  // The ratio left T's normal range (or the product left f64's): sum the logs instead.
  return xs * (logd(xs) + logd(a) + logd(b));
}

function miScalar<T>(row: usize, cols: i32, a: f64, colScale: usize, lambda: f64): f64 {
  let s = 0.0;
  for (let j = 0; j < cols; j++) {
    s += miTerm<T>(load<T>(at<T>(row, j)), a, load<f64>(colScale + (<usize>j << 3)), lambda);
  }
  return s;
}

function miRow<T>(row: usize, cols: i32, a: f64, colScale: usize, lambda: f64): f64 {
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    // f32: lambda scales the ratio here and the sum at the end; f64: the values up front
    const av = f64x2.splat(sizeof<T>() == 4 ? a * lambda : a), lv = f64x2.splat(lambda);
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
    let lo = trackInitLo<T>(), hi = trackInitHi<T>();
    for (let j = 0; j < cols; j += L) {
      const full = j + L <= cols;
      let x = full ? v128.load(at<T>(row, j)) : vloadTail<T>(at<T>(row, j), cols - j, vsplat<T>(0));
      if (sizeof<T>() == 8) x = f64x2.mul(x, lv); // f64 tables are scaled up front; f32 sums at the end
      const c = colScale + (<usize>j << 3);
      let r: v128;
      if (sizeof<T>() == 4) {
        const r0 = f64x2.mul(f64x2.mul(f64x2.promote_low_f32x4(x), av), v128.load(c));
        const r1 = f64x2.mul(f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 2, 3)), av), v128.load(c, 16));
        r = i32x4.shuffle(f32x4.demote_f64x2_zero(r0), f32x4.demote_f64x2_zero(r1), 0, 1, 4, 5);
      } else {
        r = f64x2.mul(f64x2.mul(x, av), v128.load(c));
      }
      // Past the last column the scale buffer holds slack: zero those ratios (x is 0 there).
      if (!full) r = v128.and(r, keepMask<T>(cols - j));
      lo = trackZeroLo<T>(lo, r);
      hi = trackZeroHi<T>(hi, r);
      const t = vmul<T>(x, vlogNormal<T>(r));
      a0 = sumLo<T>(a0, t);
      a1 = sumHi<T>(a1, t);
    }
    if (!trackedSpecial<T>(lo, hi)) return sizeof<T>() == 4 ? hsum(a0, a1) * lambda : hsum(a0, a1);
  }
  return miScalar<T>(row, cols, a, colScale, lambda);
}

/**
 * Sum over rows of x' log(x' a_r b_c) with x' = lambda x (a power of two that brings a table
 * of tiny or huge counts to a total near 1: the result is then independent of the table's
 * scale); rowScale holds a_r, colScale b_c (f64), both of the scaled table.
 */
export function miRows<T>(p: usize, rows: i32, cols: i32, rowScale: usize, colScale: usize, lambda: f64): f64 {
  let s = 0.0;
  for (let r = 0; r < rows; r++) {
    s += miRow<T>(at<T>(p, r * cols), cols, load<f64>(rowScale + (<usize>r << 3)), colScale, lambda);
  }
  return s;
}
