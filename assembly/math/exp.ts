// Exponential, scalar and SIMD, for f32 and f64, exact at the edges of the range.
//
// exp(x) = 2^n * e^r, n = round(x / ln 2), r = x - n ln 2 (Cody-Waite, two constants),
// |r| <= ln2/2. The input is clamped first to [XMIN, XMAX], a range a little wider than
// the one with finite non-zero results, so that 2^n is built from two in-range powers
// of two: (e^r * 2^n1) * 2^n2. One final rounding then gives correct overflow to
// +Infinity, gradual underflow through the subnormals, and 0 below. -Infinity clamps to
// XMIN, whose result is 0. The vector clamp uses pmax/pmin (one x86 instruction each,
// where max/min cost several): with x as the first operand they return x when it is NaN.
//
// f32: e^r = 1 + r + r^2 Q(r), Q a degree-4 minimax fit (approximation error 3e-9
//      relative); about 27 wasm ops per f32x4, no division. Measured over every f32 in
//      [-104, 89] (bench/ulp.mts): max 0.99 ulp where the result is finite, +Infinity
//      wherever it overflows.
// f64: the fdlibm e_exp.c rational form, error < 1 ulp.

const XMIN_F32: f32 = -104.0; // e^-104 < 2^-150: rounds to 0
const XMAX_F32: f32 = 89.0; // e^89 > FLT_MAX: rounds to +Infinity
const LOG2E_F32: f32 = 1.4426950408889634;
const MAGIC_F32: f32 = 12582912.0; // 1.5 * 2^23
const MAGIC_F32_BITS: i32 = 0x4b400000;
const LN2_HI_F32: f32 = 0.693359375; // 9 significant bits: n * LN2_HI_F32 is exact
const LN2_LO_F32: f32 = -2.12194440e-4;
const Q0: f32 = 0.4999999403953552;
const Q1: f32 = 0.1666652113199234;
const Q2: f32 = 0.04166838899254799;
const Q3: f32 = 0.008368710055947304;
const Q4: f32 = 0.001381461275741458;

// @ts-ignore: decorator
@inline
function pow2f(n: i32): f32 {
  return reinterpret<f32>((n + 127) << 23);
}

/** exp(x) for f32 with Math.exp semantics on every input. */
export function expf(x: f32): f32 {
  x = min<f32>(max<f32>(x, XMIN_F32), XMAX_F32);
  const nf = nearest<f32>(x * LOG2E_F32);
  const r = x - nf * LN2_HI_F32 - nf * LN2_LO_F32;
  const q = Q0 + r * (Q1 + r * (Q2 + r * (Q3 + r * Q4)));
  const p = (r * r * q + r) + <f32>1.0; // the order of expf4, so both builds agree bit for bit
  const n = <i32>nf; // NaN input: nf is NaN, p is NaN, the result NaN whatever n is
  const n1 = n >> 1;
  return p * pow2f(n1) * pow2f(n - n1);
}

/** e^r ~ 1 + r + r^2 q(r) for x = n ln 2 + r (nf = n as f32), in the scalar expf's order. */
// @ts-ignore: decorator
@inline
function polyf4(x: v128, nf: v128): v128 {
  let r = f32x4.sub(x, f32x4.mul(nf, f32x4.splat(LN2_HI_F32)));
  r = f32x4.sub(r, f32x4.mul(nf, f32x4.splat(LN2_LO_F32)));
  let q = f32x4.add(f32x4.mul(r, f32x4.splat(Q4)), f32x4.splat(Q3));
  q = f32x4.add(f32x4.mul(r, q), f32x4.splat(Q2));
  q = f32x4.add(f32x4.mul(r, q), f32x4.splat(Q1));
  q = f32x4.add(f32x4.mul(r, q), f32x4.splat(Q0));
  return f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(r, r), q), r), f32x4.splat(1.0));
}

/**
 * x log2 e + 1.5 * 2^23: n = round(x / ln 2) by the "magic bias" (as XNNPACK). Adding 1.5 * 2^23
 * rounds to an integer (ties to even, as nearest) and leaves n in the low bits, which replaces
 * nearest + trunc_sat (several x86 instructions each under V8) by an add and two subs.
 */
// @ts-ignore: decorator
@inline
function magicf4(x: v128): v128 {
  return f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E_F32)), f32x4.splat(MAGIC_F32));
}

// @ts-ignore: decorator
@inline
export function expf4(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(XMIN_F32)), f32x4.splat(XMAX_F32));
  const t = magicf4(x);
  const nf = f32x4.sub(t, f32x4.splat(MAGIC_F32));
  const n = i32x4.sub(t, i32x4.splat(MAGIC_F32_BITS));
  const p = polyf4(x, nf);
  const n1 = i32x4.shr_s(n, 1);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(n1, bias), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(n, n1), bias), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/**
 * exp(x) for x in [-87.33, 0] (NaN stays NaN): expf4 without the clamp and with one scale
 * step, since 2^n is normal there; the same bits as expf4 on that range.
 */
// @ts-ignore: decorator
@inline
export function expNegf4(x: v128): v128 {
  const t = magicf4(x);
  const nf = f32x4.sub(t, f32x4.splat(MAGIC_F32));
  const n = i32x4.sub(t, i32x4.splat(MAGIC_F32_BITS));
  return f32x4.mul(polyf4(x, nf), i32x4.shl(i32x4.add(n, i32x4.splat(127)), 23));
}

// ---- f64 (fdlibm e_exp.c) ----
const XMIN_F64: f64 = -746.0; // e^-746 < 2^-1075: rounds to 0
const XMAX_F64: f64 = 710.0; // e^710 > DBL_MAX
const INV_LN2: f64 = 1.44269504088896338700e+00;
const MAGIC_F64: f64 = 6755399441055744.0; // 1.5 * 2^52
const MAGIC_F64_BITS: i64 = 0x4338000000000000;
const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const P1: f64 = 1.66666666666666019037e-01;
const P2: f64 = -2.77777777770155933842e-03;
const P3: f64 = 6.61375632143793436117e-05;
const P4: f64 = -1.65339022054652515390e-06;
const P5: f64 = 4.13813679705723846039e-08;

// @ts-ignore: decorator
@inline
function pow2d(n: i32): f64 {
  return reinterpret<f64>(<i64>(n + 1023) << 52);
}

/** exp(x) for f64 with Math.exp semantics on every input. */
export function expd(x: f64): f64 {
  x = min<f64>(max<f64>(x, XMIN_F64), XMAX_F64);
  const kf = nearest<f64>(x * INV_LN2);
  const hi = x - kf * LN2_HI;
  const lo = kf * LN2_LO;
  const r = hi - lo;
  const rr = r * r;
  const c = r - rr * (P1 + rr * (P2 + rr * (P3 + rr * (P4 + rr * P5))));
  const y = 1.0 + (r * c / (2.0 - c) - lo + hi);
  const k = <i32>kf;
  const k1 = k >> 1;
  return y * pow2d(k1) * pow2d(k - k1);
}

// @ts-ignore: decorator
@inline
export function expd2(x: v128): v128 {
  x = f64x2.pmin(f64x2.pmax(x, f64x2.splat(XMIN_F64)), f64x2.splat(XMAX_F64));
  // k = round(x / ln 2) by the magic bias 1.5 * 2^52 (see expf4): k lands in the low
  // bits as an i64, with no trunc_sat / extend.
  const tk = f64x2.add(f64x2.mul(x, f64x2.splat(INV_LN2)), f64x2.splat(MAGIC_F64));
  const kf = f64x2.sub(tk, f64x2.splat(MAGIC_F64));
  const k = i64x2.sub(tk, i64x2.splat(MAGIC_F64_BITS));
  const hi = f64x2.sub(x, f64x2.mul(kf, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(kf, f64x2.splat(LN2_LO));
  const r = f64x2.sub(hi, lo);
  const rr = f64x2.mul(r, r);
  let t = f64x2.add(f64x2.mul(rr, f64x2.splat(P5)), f64x2.splat(P4));
  t = f64x2.add(f64x2.mul(rr, t), f64x2.splat(P3));
  t = f64x2.add(f64x2.mul(rr, t), f64x2.splat(P2));
  t = f64x2.add(f64x2.mul(rr, t), f64x2.splat(P1));
  const c = f64x2.sub(r, f64x2.mul(rr, t));
  const rc = f64x2.div(f64x2.mul(r, c), f64x2.sub(f64x2.splat(2.0), c));
  const y = f64x2.add(f64x2.splat(1.0), f64x2.add(f64x2.sub(rc, lo), hi));
  const k1 = i64x2.shr_s(k, 1);
  const bias = i64x2.splat(1023);
  const s1 = i64x2.shl(i64x2.add(k1, bias), 52);
  const s2 = i64x2.shl(i64x2.add(i64x2.sub(k, k1), bias), 52);
  return f64x2.mul(f64x2.mul(y, s1), s2);
}
