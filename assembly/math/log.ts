import { k32, k64 } from "./exp";

// Natural logarithm, scalar and SIMD, for f32 and f64.
//
// Range reduction (both widths): x = 2^k * m with m in [sqrt(1/2), sqrt(2)), found by
// subtracting the bits of sqrt(1/2) so that k is the arithmetic shift of the exponent
// field and m keeps the mantissa; f = m - 1 is exact (Sterbenz).
//
// f32: log(1+f) = 2 atanh(s), s = f / (2 + f), |s| <= 0.1716, with R = z*P(z), z = s^2,
//      P a degree-2 minimax fit of (2 atanh(s)/s - 2)/z (approximation error 8e-10
//      relative), evaluated in fdlibm's form f - (hfsq - s*(hfsq + R)), hfsq = f^2/2: the
//      leading term is the exact f, so the rounding of s only touches a small correction.
//      22 wasm ops per f32x4, one of them a division. Measured over every positive finite
//      f32 (bench/ulp.mts): max 1.07 ulp, 99.74% within 1 ulp. The shorter s*(2 + R) form
//      saves 3 ops but measured 2.85 ulp, which the cancelling terms of KL and JSD
//      amplified to 9e-7 relative per row.
// f64: the fdlibm/musl e_log.c core (s, hfsq, Lg1..Lg7, split ln2), error < 1 ulp.
//
// `*_normal` cores are exact only for positive normal finite inputs; they return a
// finite value for +0 (about -88 / -709), which kernels multiply by a zero weight.
// The scalar `logf`/`logd` give Math.log semantics for every input: +-0 -> -Infinity,
// negative -> NaN, NaN -> NaN, +Infinity -> +Infinity, subnormals exact.

// f32(ln 2) = 0.693147182..., within 2.7e-9 relative of ln 2: no split needed in f32.
const LN2F: f32 = 0.6931471805599453;
const SQRT_HALF_F32_BITS: i32 = 0x3f3504f3;
const LP1: f32 = 0.6666677594184875;
const LP2: f32 = 0.3997754156589508;
const LP3: f32 = 0.29871729016304016;
// Vector constants are loaded from tables (see k32 in exp.ts for why).
const LOGF4_TAB: usize = memory.data<f32>([1.0, 0.5, 2.0, LP3, LP2, LP1, LN2F]);
const LOGF4_ITAB: usize = memory.data<i32>([SQRT_HALF_F32_BITS, 0x007fffff]);

// @ts-ignore: decorator
@inline
export function logfNormal(x: f32, kBias: i32 = 0): f32 {
  const ix = reinterpret<i32>(x) - SQRT_HALF_F32_BITS;
  const k = <f32>((ix >> 23) - kBias);
  const f = reinterpret<f32>((ix & 0x007fffff) + SQRT_HALF_F32_BITS) - 1.0;
  const hfsq = <f32>0.5 * f * f;
  const s = f / (2.0 + f);
  const z = s * s;
  const r = z * (LP1 + z * (LP2 + z * LP3));
  return (f - (hfsq - s * (hfsq + r))) + k * LN2F;
}

/** log(x) for f32 with Math.log semantics on every input. */
export function logf(x: f32): f32 {
  const b = reinterpret<u32>(x);
  if (b - 0x00800000 >= 0x7f000000) {
    if ((b << 1) == 0) return -Infinity;
    if ((b >> 31) != 0 || b > 0x7f800000) return NaN; // negative or NaN
    if (b == 0x7f800000) return x; // +Infinity
    // Subnormal: scale by 2^23 into the normal range (exact), then take 23 ln 2 back.
    return logfNormal(x * 8388608.0, 23);
  }
  return logfNormal(x);
}

// @ts-ignore: decorator
@inline
export function logf4Normal(x: v128): v128 {
  const ix = i32x4.sub(x, k32(LOGF4_ITAB, 0));
  const k = f32x4.convert_i32x4_s(i32x4.shr_s(ix, 23));
  const m = i32x4.add(v128.and(ix, k32(LOGF4_ITAB, 1)), k32(LOGF4_ITAB, 0));
  const f = f32x4.sub(m, k32(LOGF4_TAB, 0));
  const hfsq = f32x4.mul(f32x4.mul(k32(LOGF4_TAB, 1), f), f);
  const s = f32x4.div(f, f32x4.add(f, k32(LOGF4_TAB, 2)));
  const z = f32x4.mul(s, s);
  let r = f32x4.add(f32x4.mul(z, k32(LOGF4_TAB, 3)), k32(LOGF4_TAB, 4));
  r = f32x4.add(f32x4.mul(z, r), k32(LOGF4_TAB, 5));
  r = f32x4.mul(z, r);
  const l = f32x4.sub(f, f32x4.sub(hfsq, f32x4.mul(s, f32x4.add(hfsq, r))));
  return f32x4.add(l, f32x4.mul(k, k32(LOGF4_TAB, 6)));
}

// ---- f64 (fdlibm e_log.c) ----
const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const LG1: f64 = 6.666666666666735130e-01;
const LG2: f64 = 3.999999999940941908e-01;
const LG3: f64 = 2.857142874366239149e-01;
const LG4: f64 = 2.222219843214978396e-01;
const LG5: f64 = 1.818357216161805012e-01;
const LG6: f64 = 1.531383769920937332e-01;
const LG7: f64 = 1.479819860511658591e-01;
const SQRT_HALF_F64_BITS: i64 = 0x3fe6a09e00000000;
const LOGD2_TAB: usize = memory.data<f64>([1.0, 0.5, 2.0, LG1, LG2, LG3, LG4, LG5, LG6, LG7, LN2_LO, LN2_HI]);
const LOGD2_ITAB: usize = memory.data<i64>([SQRT_HALF_F64_BITS, 0x000fffffffffffff]);

// @ts-ignore: decorator
@inline
export function logdNormal(x: f64, kBias: i32 = 0): f64 {
  const ix = reinterpret<i64>(x) - SQRT_HALF_F64_BITS;
  const k = <f64>(<i32>(ix >> 52) - kBias);
  const f = reinterpret<f64>((ix & 0x000fffffffffffff) + SQRT_HALF_F64_BITS) - 1.0;
  const hfsq = 0.5 * f * f;
  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  return s * (hfsq + (t1 + t2)) + k * LN2_LO - hfsq + f + k * LN2_HI; // as logd2Normal, op for op
}

/** log(x) for f64 with Math.log semantics on every input. */
export function logd(x: f64): f64 {
  const b = reinterpret<u64>(x);
  if (b - 0x0010000000000000 >= 0x7fe0000000000000) {
    if ((b << 1) == 0) return -Infinity;
    if ((b >> 63) != 0 || b > 0x7ff0000000000000) return NaN;
    if (b == 0x7ff0000000000000) return x;
    return logdNormal(x * 18014398509481984.0, 54); // x * 2^54
  }
  return logdNormal(x);
}

// @ts-ignore: decorator
@inline
export function logd2Normal(x: v128): v128 {
  const ix = i64x2.sub(x, k64(LOGD2_ITAB, 0));
  // k: the high 32 bits of each (ix >> 52) lane fit in i32; gather lanes 0 and 2.
  const ki = i64x2.shr_s(ix, 52);
  const k = f64x2.convert_low_i32x4_s(i32x4.shuffle(ki, ki, 0, 2, 0, 2));
  const m = i64x2.add(v128.and(ix, k64(LOGD2_ITAB, 1)), k64(LOGD2_ITAB, 0));
  const f = f64x2.sub(m, k64(LOGD2_TAB, 0));
  const hfsq = f64x2.mul(f64x2.mul(f, f), k64(LOGD2_TAB, 1));
  const s = f64x2.div(f, f64x2.add(f, k64(LOGD2_TAB, 2)));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  let t1 = f64x2.add(f64x2.mul(w, k64(LOGD2_TAB, 8)), k64(LOGD2_TAB, 6));
  t1 = f64x2.add(f64x2.mul(w, t1), k64(LOGD2_TAB, 4));
  t1 = f64x2.mul(w, t1);
  let t2 = f64x2.add(f64x2.mul(w, k64(LOGD2_TAB, 9)), k64(LOGD2_TAB, 7));
  t2 = f64x2.add(f64x2.mul(w, t2), k64(LOGD2_TAB, 5));
  t2 = f64x2.add(f64x2.mul(w, t2), k64(LOGD2_TAB, 3));
  t2 = f64x2.mul(z, t2);
  let r = f64x2.mul(s, f64x2.add(hfsq, f64x2.add(t1, t2)));
  r = f64x2.add(r, f64x2.mul(k, k64(LOGD2_TAB, 10)));
  r = f64x2.add(f64x2.sub(r, hfsq), f);
  return f64x2.add(r, f64x2.mul(k, k64(LOGD2_TAB, 11)));
}
