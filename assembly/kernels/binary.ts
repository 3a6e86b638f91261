// Binary cross entropy, element-wise, one f64 loss per element, PyTorch semantics:
//   bce:             -w (t max(log p, -100) + (1-t) max(log(1-p), -100))
//   bce with logits:  w ((1-t) x + lw (log1p(exp(-|x|)) + max(-x, 0))), lw = 1 + (pw-1) t
// The logits form is evaluated as w ((x >= 0 ? (1-t) x : -x pw t) + lw log1p(exp(-|x|))):
// the same value, but PyTorch's order cancels x against -x for large negative x and
// loses the small log1p term (2e-6 relative in f32 against the f64 truth).
// Weights w and pos-weights pw come per element (mode 1), per class (mode 2: the column
// index, broadcast over rows) or not at all (mode 0: 1).
import {
  INVALID, status, lanes, at, slog, sexp, vsplat, vsub, vmul, vadd, vdiv, vpmax, veq, vge, vexp, vlogNormal,
  vloadTail, trackInitLo, trackInitHi, trackZeroLo, trackZeroHi, trackedSpecial, storeF64,
} from "./lanes";

const NONE: i32 = 0, PER_ELEMENT: i32 = 1;

// @ts-ignore: decorator
@inline function weightAt<T>(w: usize, mode: i32, row: i32, col: i32, cols: i32): T {
  if (mode == NONE) return <T>1;
  return load<T>(at<T>(w, mode == PER_ELEMENT ? row * cols + col : col));
}
// @ts-ignore: decorator
@inline function weightVec<T>(w: usize, mode: i32, row: i32, col: i32, cols: i32, count: i32): v128 {
  if (mode == NONE) return vsplat<T>(1);
  const p = at<T>(w, mode == PER_ELEMENT ? row * cols + col : col);
  return count >= lanes<T>() ? v128.load(p) : vloadTail<T>(p, count, vsplat<T>(0));
}
// -------------------------------------------------------------------- bce
// @ts-ignore: decorator
@inline function bceTerm<T>(p: T, t: T, w: T): T {
  if (!(p >= <T>0 && p <= <T>1)) status |= INVALID;
  const u = <T>1 - p;
  const c = (<T>1 - u) - p;
  const lp = p == 0 ? <T>-100 : max<T>(slog<T>(p), <T>-100);
  const lu = u == 0 ? <T>-100 : max<T>(slog<T>(u) + c / u, <T>-100);
  return -(t * lp + (<T>1 - t) * lu) * w;
}

export function bceRows<T>(p: usize, t: usize, w: usize, wMode: i32, rows: i32, cols: i32, out: usize): i32 {
  status = 0;
  const L = lanes<T>();
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let special = !ASC_FEATURE_SIMD;
    if (ASC_FEATURE_SIMD) {
      const one = vsplat<T>(1), m100 = vsplat<T>(-100), zero = vsplat<T>(0);
      const tiny = vsplat<T>(sizeof<T>() == 4 ? 1.1754943508222875e-38 : 2.2250738585072014e-308);
      let lo = trackInitLo<T>(), hi = trackInitHi<T>(), top = zero;
      for (let i = 0; i < cols; i += L) {
        const count = min(L, cols - i);
        const x = count == L ? v128.load(at<T>(p, o + i)) : vloadTail<T>(at<T>(p, o + i), count, zero);
        const y = count == L ? v128.load(at<T>(t, o + i)) : vloadTail<T>(at<T>(t, o + i), count, zero);
        lo = trackZeroLo<T>(lo, x); // subnormal p: the log core is not exact there
        hi = trackZeroHi<T>(hi, x); // negative, NaN
        top = vpmax<T>(top, x); // above 1
        const u = vsub<T>(one, x);
        const c = vsub<T>(vsub<T>(one, u), x);
        const lp = v128.bitselect(m100, vpmax<T>(vlogNormal<T>(x), m100), veq<T>(x, zero));
        const lu0 = vadd<T>(vlogNormal<T>(u), vdiv<T>(c, vpmax<T>(u, tiny)));
        const lu = v128.bitselect(m100, vpmax<T>(lu0, m100), veq<T>(u, zero));
        const loss = vsub<T>(zero, vmul<T>(vadd<T>(vmul<T>(y, lp), vmul<T>(vsub<T>(one, y), lu)), weightVec<T>(w, wMode, r, i, cols, count)));
        storeF64<T>(out + (<usize>(o + i) << 3), loss, f64x2.splat(1), count);
      }
      const above = sizeof<T>() == 4 ? v128.not(f32x4.le(top, f32x4.splat(1))) : v128.not(f64x2.le(top, f64x2.splat(1)));
      special = trackedSpecial<T>(lo, hi) || v128.any_true(above);
    }
    if (special) {
      for (let c = 0; c < cols; c++) {
        const loss = bceTerm<T>(load<T>(at<T>(p, o + c)), load<T>(at<T>(t, o + c)), weightAt<T>(w, wMode, r, c, cols));
        store<f64>(out + (<usize>(o + c) << 3), <f64>loss);
      }
    }
  }
  return status;
}

// -------------------------------------------------------------- bce with logits
// log1p(e) for e = exp(-|x|) in (0, 1]: log(v) - ((v - 1) - e) / v with v = fl(1 + e),
// whose rounding error (v - 1) - e is exact; v lies in [1, 2], so the log core applies.
// @ts-ignore: decorator
@inline function bceLogitsTerm<T>(x: T, t: T, w: T, pw: T): T {
  const e = sexp<T>(-abs<T>(x));
  const v = <T>1 + e;
  const l1p = slog<T>(v) - ((v - <T>1) - e) / v;
  const lin = x >= <T>0 ? (<T>1 - t) * x : (<T>0 - x) * pw * t;
  return (lin + (<T>1 + (pw - <T>1) * t) * l1p) * w;
}

export function bceLogitsRows<T>(x: usize, t: usize, w: usize, wMode: i32, pw: usize, pwMode: i32,
  rows: i32, cols: i32, out: usize): void {
  const L = lanes<T>();
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const one = vsplat<T>(1), zero = vsplat<T>(0);
      for (; c < cols; c += L) {
        const count = min(L, cols - c);
        const xv = count == L ? v128.load(at<T>(x, o + c)) : vloadTail<T>(at<T>(x, o + c), count, zero);
        const tv = count == L ? v128.load(at<T>(t, o + c)) : vloadTail<T>(at<T>(t, o + c), count, zero);
        const e = vexp<T>(vsub<T>(zero, sizeof<T>() == 4 ? f32x4.abs(xv) : f64x2.abs(xv)));
        const v = vadd<T>(one, e);
        const l1p = vsub<T>(vlogNormal<T>(v), vdiv<T>(vsub<T>(vsub<T>(v, one), e), v));
        const pwv = weightVec<T>(pw, pwMode, r, c, cols, count);
        const lin = v128.bitselect(vmul<T>(vsub<T>(one, tv), xv), vmul<T>(vmul<T>(vsub<T>(zero, xv), pwv), tv), vge<T>(xv, zero));
        const lw = vadd<T>(one, vmul<T>(vsub<T>(pwv, one), tv));
        const loss = vmul<T>(vadd<T>(lin, vmul<T>(lw, l1p)), weightVec<T>(w, wMode, r, c, cols, count));
        storeF64<T>(out + (<usize>(o + c) << 3), loss, f64x2.splat(1), count);
      }
    }
    for (; c < cols; c++) {
      const loss = bceLogitsTerm<T>(load<T>(at<T>(x, o + c)), load<T>(at<T>(t, o + c)),
        weightAt<T>(w, wMode, r, c, cols), weightAt<T>(pw, pwMode, r, c, cols));
      store<f64>(out + (<usize>(o + c) << 3), <f64>loss);
    }
  }
}
