// Vector and scalar helpers generic over the element type T (f32 or f64). Every
// `sizeof<T>()` test is a compile-time constant, so each instantiation keeps one branch.
//
// Special values. The SIMD fast paths use the `*Normal` log cores, exact for positive
// normal inputs. Instead of masking every lane, a kernel folds each log argument into
// two tracker vectors (a couple of ops per vector) and checks them once per row; a row
// that held anything else (subnormal, negative, NaN, Infinity, huge) is recomputed by
// the scalar definition, which handles every value exactly and flags invalid ones.
import { logf, logd, logf4Normal, logd2Normal } from "../math/log";
import { expf, expd, expf4, expd2 } from "../math/exp";

/** Bit set in a kernel's status when an input failed its validity rule. */
export const INVALID: i32 = 1;
export let status: i32 = 0;

// @ts-ignore: decorator
@inline export function lanes<T>(): i32 { return 16 / sizeof<T>(); }
// @ts-ignore: decorator
@inline export function at<T>(base: usize, i: i32): usize { return base + (<usize>i << alignof<T>()); }

// ---- scalar math in T ----
// @ts-ignore: decorator
@inline export function slog<T>(x: T): T {
  if (sizeof<T>() == 4) return <T>logf(<f32>x);
  return <T>logd(<f64>x);
}
// @ts-ignore: decorator
@inline export function sexp<T>(x: T): T {
  if (sizeof<T>() == 4) return <T>expf(<f32>x);
  return <T>expd(<f64>x);
}
/** True for positive normal finite x (not 0, subnormal, negative, Infinity or NaN). */
// @ts-ignore: decorator
@inline export function isPosNormal<T>(x: T): bool {
  if (sizeof<T>() == 4) return reinterpret<u32>(<f32>x) - 0x00800000 < 0x7f000000;
  return reinterpret<u64>(<f64>x) - 0x0010000000000000 < 0x7fe0000000000000;
}

// ---- vector arithmetic in T ----
// @ts-ignore: decorator
@inline export function vsplat<T>(x: f64): v128 {
  if (sizeof<T>() == 4) return f32x4.splat(<f32>x);
  return f64x2.splat(x);
}
// @ts-ignore: decorator
@inline export function vadd<T>(a: v128, b: v128): v128 { if (sizeof<T>() == 4) return f32x4.add(a, b); return f64x2.add(a, b); }
// @ts-ignore: decorator
@inline export function vsub<T>(a: v128, b: v128): v128 { if (sizeof<T>() == 4) return f32x4.sub(a, b); return f64x2.sub(a, b); }
// @ts-ignore: decorator
@inline export function vmul<T>(a: v128, b: v128): v128 { if (sizeof<T>() == 4) return f32x4.mul(a, b); return f64x2.mul(a, b); }
// @ts-ignore: decorator
@inline export function vdiv<T>(a: v128, b: v128): v128 { if (sizeof<T>() == 4) return f32x4.div(a, b); return f64x2.div(a, b); }
// @ts-ignore: decorator
@inline export function vmax<T>(a: v128, b: v128): v128 { if (sizeof<T>() == 4) return f32x4.max(a, b); return f64x2.max(a, b); }
/** max(a, b) as one instruction; returns a when either is NaN (use where NaN needn't propagate from b). */
// @ts-ignore: decorator
@inline export function vpmax<T>(a: v128, b: v128): v128 { if (sizeof<T>() == 4) return f32x4.pmax(a, b); return f64x2.pmax(a, b); }
// @ts-ignore: decorator
@inline export function vmin<T>(a: v128, b: v128): v128 { if (sizeof<T>() == 4) return f32x4.min(a, b); return f64x2.min(a, b); }
// @ts-ignore: decorator
@inline export function veq<T>(a: v128, b: v128): v128 { if (sizeof<T>() == 4) return f32x4.eq(a, b); return f64x2.eq(a, b); }
// @ts-ignore: decorator
@inline export function vne<T>(a: v128, b: v128): v128 { if (sizeof<T>() == 4) return f32x4.ne(a, b); return f64x2.ne(a, b); }
// @ts-ignore: decorator
@inline export function vge<T>(a: v128, b: v128): v128 { if (sizeof<T>() == 4) return f32x4.ge(a, b); return f64x2.ge(a, b); }
// @ts-ignore: decorator
@inline export function vlogNormal<T>(x: v128): v128 { if (sizeof<T>() == 4) return logf4Normal(x); return logd2Normal(x); }
// @ts-ignore: decorator
@inline export function vexp<T>(x: v128): v128 { if (sizeof<T>() == 4) return expf4(x); return expd2(x); }

/**
 * Lanes [0, count) of a vector loaded at p; the others replaced by `fill`. Used for the
 * tail of a row (count < lanes), so tails run the same vector code and stay exact.
 * Reads up to 15 bytes past the row: the caller's buffers carry that much slack.
 */
// @ts-ignore: decorator
@inline export function vloadTail<T>(p: usize, count: i32, fill: v128): v128 {
  return v128.bitselect(v128.load(p), fill, keepMask<T>(count));
}
/**
 * The vector of elements [i, i + lanes) of a row of n at p; lanes at or past n hold
 * `fill`. Row kernels run two vectors per iteration while two whole ones remain, with
 * the pair's trackers and f64 sums combined (`*2` helpers below): fewer values stay live
 * than with two accumulator sets, which keeps the log's constants in registers (17%
 * faster than one vector per iteration; plain unrolling gained nothing). The last one
 * or two vectors go one at a time through this masked load, so short rows waste no
 * lanes. Reads up to one vector past n: buffers carry 32 bytes of slack.
 */
// @ts-ignore: decorator
@inline export function vloadRow<T>(p: usize, i: i32, n: i32, fill: v128): v128 {
  if (i + lanes<T>() <= n) return v128.load(at<T>(p, i));
  return vloadTail<T>(at<T>(p, i), n - i, fill);
}
/** All-ones in lanes [0, count), zero elsewhere (any count). */
// @ts-ignore: decorator
@inline export function keepMask<T>(count: i32): v128 {
  if (sizeof<T>() == 4) return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(count));
  return i64x2.lt_s(i64x2(0, 1), i64x2.splat(<i64>count));
}

// ---- f64 accumulation of a T vector: two f64x2 accumulators ----
// @ts-ignore: decorator
@inline export function sumLo<T>(acc: v128, t: v128): v128 {
  if (sizeof<T>() == 4) return f64x2.add(acc, f64x2.promote_low_f32x4(t));
  return f64x2.add(acc, t);
}
// @ts-ignore: decorator
@inline export function sumHi<T>(acc: v128, t: v128): v128 {
  if (sizeof<T>() == 4) return f64x2.add(acc, f64x2.promote_low_f32x4(i32x4.shuffle(t, t, 2, 3, 2, 3)));
  return acc;
}
/** acc + the low f64 halves of two T vectors (f32: promoted lanes 0-1 of each, added in f64). */
// @ts-ignore: decorator
@inline export function sum2Lo<T>(acc: v128, t: v128, u: v128): v128 {
  if (sizeof<T>() == 4) return f64x2.add(acc, f64x2.add(f64x2.promote_low_f32x4(t), f64x2.promote_low_f32x4(u)));
  return f64x2.add(acc, f64x2.add(t, u));
}
/** acc + the high halves (f32: lanes 2-3); f64 vectors have none. */
// @ts-ignore: decorator
@inline export function sum2Hi<T>(acc: v128, t: v128, u: v128): v128 {
  if (sizeof<T>() == 4) {
    return f64x2.add(acc, f64x2.add(
      f64x2.promote_low_f32x4(i32x4.shuffle(t, t, 2, 3, 2, 3)),
      f64x2.promote_low_f32x4(i32x4.shuffle(u, u, 2, 3, 2, 3))));
  }
  return acc;
}
/** Store lanes [0, count) of a T vector at out as f64, each times `scale` (an f64x2 splat). */
// @ts-ignore: decorator
@inline export function storeF64<T>(out: usize, v: v128, scale: v128, count: i32): void {
  if (sizeof<T>() == 4) {
    const lo = f64x2.mul(f64x2.promote_low_f32x4(v), scale);
    const hi = f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3)), scale);
    if (count >= 4) {
      v128.store(out, lo);
      v128.store(out, hi, 16);
      return;
    }
    if (count >= 2) v128.store(out, lo); else v128.store_lane<f64>(out, lo, 0);
    if (count == 3) v128.store_lane<f64>(out, hi, 0, 16);
  } else {
    const w = f64x2.mul(v, scale);
    if (count >= 2) v128.store(out, w); else v128.store_lane<f64>(out, w, 0);
  }
}
// @ts-ignore: decorator
@inline export function hsum(lo: v128, hi: v128): f64 {
  const s = f64x2.add(lo, hi);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

// ---- special-value trackers ----
// "zero or normal": +0 or a positive normal below HUGE passes; subnormals, negatives
// (including -0), NaN, Infinity and values >= HUGE send the row to the scalar path.
// HUGE = 2^64 keeps products like p * log(q) and sums like p + q finite in f32.
const HUGE_F32_BITS: u32 = 0x5f800000;
const HUGE_F64: f64 = 1.8446744073709552e19;

// @ts-ignore: decorator
@inline export function trackInitLo<T>(): v128 {
  if (sizeof<T>() == 4) return i32x4.splat(-1);
  return f64x2.splat(Infinity);
}
// @ts-ignore: decorator
@inline export function trackInitHi<T>(): v128 {
  if (sizeof<T>() == 4) return i32x4.splat(0);
  return f64x2.splat(0);
}
/** Low tracker, "zero or normal" rule: min over the nonzero lanes (subnormals). */
// @ts-ignore: decorator
@inline export function trackZeroLo<T>(acc: v128, x: v128): v128 {
  // f32: bits - 1 sends +0 to 0xffffffff (never the min) and subnormals below 0x7fffff.
  if (sizeof<T>() == 4) return i32x4.min_u(acc, i32x4.sub(x, i32x4.splat(1)));
  return f64x2.min(acc, v128.bitselect(f64x2.splat(Infinity), x, f64x2.eq(x, f64x2.splat(0))));
}
/** High tracker, "zero or normal" rule: max over all lanes (negatives, NaN, Inf, huge). */
// @ts-ignore: decorator
@inline export function trackZeroHi<T>(acc: v128, x: v128): v128 {
  if (sizeof<T>() == 4) return i32x4.max_u(acc, x);
  return f64x2.max(acc, x);
}
/** Low tracker, "positive normal" rule (zero not allowed): subnormals. */
// @ts-ignore: decorator
@inline export function trackPosLo<T>(acc: v128, x: v128): v128 {
  if (sizeof<T>() == 4) return i32x4.min_u(acc, i32x4.sub(x, i32x4.splat(1)));
  return f64x2.min(acc, x); // also catches +0 and negatives
}
/** High tracker, "positive normal" rule: bits - 1 sends +0 to 0xffffffff, so zero counts as huge. */
// @ts-ignore: decorator
@inline export function trackPosHi<T>(acc: v128, x: v128): v128 {
  if (sizeof<T>() == 4) return i32x4.max_u(acc, i32x4.sub(x, i32x4.splat(1)));
  return f64x2.max(acc, x);
}
/** Trackers for two vectors at once (the pair's min/max first, off the loop-carried chain). */
// @ts-ignore: decorator
@inline export function trackZeroLo2<T>(acc: v128, x: v128, y: v128): v128 {
  if (sizeof<T>() == 4) {
    const one = i32x4.splat(1);
    return i32x4.min_u(acc, i32x4.min_u(i32x4.sub(x, one), i32x4.sub(y, one)));
  }
  return trackZeroLo<T>(trackZeroLo<T>(acc, x), y);
}
// @ts-ignore: decorator
@inline export function trackZeroHi2<T>(acc: v128, x: v128, y: v128): v128 {
  if (sizeof<T>() == 4) return i32x4.max_u(acc, i32x4.max_u(x, y));
  return f64x2.max(acc, f64x2.max(x, y));
}
// @ts-ignore: decorator
@inline export function trackPosLo2<T>(acc: v128, x: v128, y: v128): v128 {
  if (sizeof<T>() == 4) return trackZeroLo2<T>(acc, x, y);
  return f64x2.min(acc, f64x2.min(x, y));
}
// @ts-ignore: decorator
@inline export function trackPosHi2<T>(acc: v128, x: v128, y: v128): v128 {
  if (sizeof<T>() == 4) {
    const one = i32x4.splat(1);
    return i32x4.max_u(acc, i32x4.max_u(i32x4.sub(x, one), i32x4.sub(y, one)));
  }
  return f64x2.max(acc, f64x2.max(x, y));
}
/** Did any tracked lane leave the fast-path domain? */
// @ts-ignore: decorator
@inline export function trackedSpecial<T>(lo: v128, hi: v128): bool {
  if (sizeof<T>() == 4) {
    // lo holds bits - 1: below 0x7fffff exactly for subnormals.
    return v128.any_true(v128.or(
      i32x4.lt_u(lo, i32x4.splat(0x007fffff)),
      i32x4.ge_u(hi, i32x4.splat(HUGE_F32_BITS))));
  }
  return v128.any_true(v128.or(
    f64x2.lt(lo, f64x2.splat(2.2250738585072014e-308)),
    v128.not(f64x2.lt(hi, f64x2.splat(HUGE_F64)))));
}
