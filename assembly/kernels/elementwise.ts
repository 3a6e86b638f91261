// Element-wise measures: surprisal -log p and binary entropy, one f64 result per element.
// The SIMD path works in blocks of BLOCK elements; a block whose trackers saw a special
// value is rewritten by the scalar definition, so one zero costs one block, not the call.
import {
  INVALID, status, lanes, at, slog, vsplat, vsub, vmul, vadd, vdiv, vpmax,
  vlogNormal, vloadTail, trackInitLo, trackInitHi, trackZeroLo, trackZeroHi, trackPosLo,
  trackPosHi, trackedSpecial, storeF64,
} from "./lanes";

const BLOCK: i32 = 64;

// ------------------------------------------------------------- surprisal: -log p
// @ts-ignore: decorator
@inline function surprisalScalar<T>(p: usize, from: i32, to: i32, scale: f64, out: usize): void {
  for (let i = from; i < to; i++) {
    const x = load<T>(at<T>(p, i));
    if (!(x >= <T>0)) status |= INVALID;
    store<f64>(out + (<usize>i << 3), scale * <f64>slog<T>(x)); // 0 -> +Infinity
  }
}

/** out[i] = -log(p[i]) * scale (scale = 1 / ln base). */
export function surprisalElems<T>(p: usize, n: i32, scale: f64, out: usize): i32 {
  status = 0;
  scale = -scale;
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    const sv = f64x2.splat(scale);
    for (let b = 0; b < n; b += BLOCK) {
      const end = min(b + BLOCK, n);
      let lo = trackInitLo<T>(), hi = trackInitHi<T>();
      for (let i = b; i < end; i += L) {
        const count = min(L, end - i);
        const x = count == L ? v128.load(at<T>(p, i)) : vloadTail<T>(at<T>(p, i), count, vsplat<T>(1));
        lo = trackPosLo<T>(lo, x);
        hi = trackPosHi<T>(hi, x);
        storeF64<T>(out + (<usize>i << 3), vlogNormal<T>(x), sv, count);
      }
      if (trackedSpecial<T>(lo, hi)) surprisalScalar<T>(p, b, end, scale, out);
    }
  } else {
    surprisalScalar<T>(p, 0, n, scale, out);
  }
  return status;
}

// ------------------------------------- binary entropy: -p log p - (1-p) log(1-p)
// log(1-p) is taken as log(u) + c/u with u = fl(1-p) and c = (1-u) - p, the exact
// rounding error of u (both subtractions are exact by Sterbenz): log1p accuracy for
// small p at the cost of a subtraction and a division.
// @ts-ignore: decorator
@inline function binaryEntropyTerm<T>(x: T): f64 {
  if (!(x >= <T>0 && x <= <T>1)) status |= INVALID;
  const u = <T>1 - x;
  const c = (<T>1 - u) - x;
  // In T and in the vector path's order, so the builds agree bit for bit.
  const a = x != 0 ? x * slog<T>(x) : <T>0;
  const b = u != 0 ? u * (slog<T>(u) + c / u) : <T>0;
  return <f64>(a + b);
}

/** out[i] = -(p log p + (1-p) log(1-p)) * scale (scale = 1 / ln base). */
export function binaryEntropyElems<T>(p: usize, n: i32, scale: f64, out: usize): i32 {
  status = 0;
  scale = -scale;
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    const sv = f64x2.splat(scale);
    const one = vsplat<T>(1);
    const tiny = vsplat<T>(sizeof<T>() == 4 ? 1.1754943508222875e-38 : 2.2250738585072014e-308);
    for (let b = 0; b < n; b += BLOCK) {
      const end = min(b + BLOCK, n);
      let lo = trackInitLo<T>(), hi = trackInitHi<T>();
      let top = vsplat<T>(0);
      for (let i = b; i < end; i += L) {
        const count = min(L, end - i);
        const x = count == L ? v128.load(at<T>(p, i)) : vloadTail<T>(at<T>(p, i), count, vsplat<T>(0));
        lo = trackZeroLo<T>(lo, x);
        hi = trackZeroHi<T>(hi, x);
        top = vpmax<T>(top, x); // above 1 (NaN is caught by trackZeroHi)
        const u = vsub<T>(one, x);
        const c = vsub<T>(vsub<T>(one, u), x);
        const lu = vadd<T>(vlogNormal<T>(u), vdiv<T>(c, vpmax<T>(u, tiny))); // u = 0: c = 0
        const t = vadd<T>(vmul<T>(x, vlogNormal<T>(x)), vmul<T>(u, lu));
        storeF64<T>(out + (<usize>i << 3), t, sv, count);
      }
      const aboveOne = sizeof<T>() == 4
        ? v128.not(f32x4.le(top, f32x4.splat(1)))
        : v128.not(f64x2.le(top, f64x2.splat(1)));
      if (trackedSpecial<T>(lo, hi) || v128.any_true(aboveOne)) {
        for (let i = b; i < end; i++) {
          store<f64>(out + (<usize>i << 3), scale * binaryEntropyTerm<T>(load<T>(at<T>(p, i))));
        }
      }
    }
  } else {
    for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), scale * binaryEntropyTerm<T>(load<T>(at<T>(p, i))));
  }
  return status;
}
