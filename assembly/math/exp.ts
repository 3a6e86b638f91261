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

// The vector code reads its constants from these tables (one splat load each) instead of
// v128.const: V8 builds every v128.const from a general register at each use (3 x64
// instructions, one a GPR -> XMM move), and binaryen folds hoisted copies back into
// constants. That rebuilding bounded the exp and log loops: the loads made a flat exp
// loop 1.6x faster. Same values, same results.
const EXPF4_TAB: usize = memory.data<f32>([XMIN_F32, XMAX_F32, LOG2E_F32, MAGIC_F32, LN2_HI_F32, LN2_LO_F32, Q0, Q1, Q2, Q3, Q4, 1.0]);
const EXPF4_ITAB: usize = memory.data<i32>([MAGIC_F32_BITS, 127, 127 - MAGIC_F32_BITS]);
/** Entry i of a constant table in every lane: f32 / i32 tables (4-byte entries). */
// @ts-ignore: decorator
@inline export function k32(table: usize, i: i32): v128 { return v128.load32_splat(table + (<usize>i << 2)); }
/** The same for f64 / i64 tables (8-byte entries). */
// @ts-ignore: decorator
@inline export function k64(table: usize, i: i32): v128 { return v128.load64_splat(table + (<usize>i << 3)); }

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

// The f32 vector exp in steps, so that the interleaved forms below run the very same
// operations as expf4 / expNegf4 (and the scalar expf's order).
/** r = x - n ln 2 in two parts (Cody-Waite; nf = n as f32). */
// @ts-ignore: decorator
@inline function reducef4(x: v128, nf: v128): v128 {
  return f32x4.sub(f32x4.sub(x, f32x4.mul(nf, k32(EXPF4_TAB, 4))), f32x4.mul(nf, k32(EXPF4_TAB, 5)));
}
/** The first Horner step of q(r): Q4 r + Q3. */
// @ts-ignore: decorator
@inline function q4f4(r: v128): v128 { return f32x4.add(f32x4.mul(r, k32(EXPF4_TAB, 10)), k32(EXPF4_TAB, 9)); }
/** A later Horner step: r q + Q[i] (i = 8, 7, 6: Q2, Q1, Q0). */
// @ts-ignore: decorator
@inline function qstepf4(r: v128, q: v128, i: i32): v128 { return f32x4.add(f32x4.mul(r, q), k32(EXPF4_TAB, i)); }
/** 1 + r + r^2 q. */
// @ts-ignore: decorator
@inline function onePlusf4(r: v128, q: v128): v128 {
  return f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(r, r), q), r), k32(EXPF4_TAB, 11));
}

/** e^r ~ 1 + r + r^2 q(r) for x = n ln 2 + r (nf = n as f32), in the scalar expf's order. */
// @ts-ignore: decorator
@inline
function polyf4(x: v128, nf: v128): v128 {
  const r = reducef4(x, nf);
  return onePlusf4(r, qstepf4(r, qstepf4(r, qstepf4(r, q4f4(r), 8), 7), 6));
}

/**
 * x log2 e + 1.5 * 2^23: n = round(x / ln 2) by the "magic bias" (as XNNPACK). Adding 1.5 * 2^23
 * rounds to an integer (ties to even, as nearest) and leaves n in the low bits, which replaces
 * nearest + trunc_sat (several x86 instructions each under V8) by an add and two subs.
 */
// @ts-ignore: decorator
@inline
function magicf4(x: v128): v128 {
  return f32x4.add(f32x4.mul(x, k32(EXPF4_TAB, 2)), k32(EXPF4_TAB, 3));
}

// @ts-ignore: decorator
@inline
export function expf4(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, k32(EXPF4_TAB, 0)), k32(EXPF4_TAB, 1));
  const t = magicf4(x);
  const nf = f32x4.sub(t, k32(EXPF4_TAB, 3));
  const n = i32x4.sub(t, k32(EXPF4_ITAB, 0));
  const p = polyf4(x, nf);
  const n1 = i32x4.shr_s(n, 1);
  const bias = k32(EXPF4_ITAB, 1);
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
  return f32x4.mul(polyf4(x, f32x4.sub(t, k32(EXPF4_TAB, 3))), pow2Negf4(t));
}

/** 2^n from t = magicf4(x), for n in [-126, 0]: (t - MAGIC_BITS + 127) << 23, one add. */
// @ts-ignore: decorator
@inline function pow2Negf4(t: v128): v128 { return i32x4.shl(i32x4.add(t, k32(EXPF4_ITAB, 2)), 23); }

/**
 * expNegf4 of four vectors, written to dst (4 x 16 bytes), its steps interleaved: the same
 * operations and bits, but four independent chains side by side. One exp is a chain of
 * ~20 dependent operations (~55 cycles), and the out-of-order core's scheduler holds
 * fewer than three of them in program order, so interleaving ran a flat exp loop ~1.5x
 * faster (V8 does not reorder the instructions itself).
 */
// @ts-ignore: decorator
@inline
export function expNegf4x4(x0: v128, x1: v128, x2: v128, x3: v128, dst: usize): void {
  const t0 = magicf4(x0), t1 = magicf4(x1), t2 = magicf4(x2), t3 = magicf4(x3);
  const m = k32(EXPF4_TAB, 3);
  const r0 = reducef4(x0, f32x4.sub(t0, m)), r1 = reducef4(x1, f32x4.sub(t1, m));
  const r2 = reducef4(x2, f32x4.sub(t2, m)), r3 = reducef4(x3, f32x4.sub(t3, m));
  let q0 = q4f4(r0), q1 = q4f4(r1), q2 = q4f4(r2), q3 = q4f4(r3);
  q0 = qstepf4(r0, q0, 8); q1 = qstepf4(r1, q1, 8); q2 = qstepf4(r2, q2, 8); q3 = qstepf4(r3, q3, 8);
  q0 = qstepf4(r0, q0, 7); q1 = qstepf4(r1, q1, 7); q2 = qstepf4(r2, q2, 7); q3 = qstepf4(r3, q3, 7);
  q0 = qstepf4(r0, q0, 6); q1 = qstepf4(r1, q1, 6); q2 = qstepf4(r2, q2, 6); q3 = qstepf4(r3, q3, 6);
  v128.store(dst, f32x4.mul(onePlusf4(r0, q0), pow2Negf4(t0)));
  v128.store(dst, f32x4.mul(onePlusf4(r1, q1), pow2Negf4(t1)), 16);
  v128.store(dst, f32x4.mul(onePlusf4(r2, q2), pow2Negf4(t2)), 32);
  v128.store(dst, f32x4.mul(onePlusf4(r3, q3), pow2Negf4(t3)), 48);
}

/** expNegf4x4 for two vectors (dst: 2 x 16 bytes). */
// @ts-ignore: decorator
@inline
export function expNegf4x2(x0: v128, x1: v128, dst: usize): void {
  const t0 = magicf4(x0), t1 = magicf4(x1);
  const m = k32(EXPF4_TAB, 3);
  const r0 = reducef4(x0, f32x4.sub(t0, m)), r1 = reducef4(x1, f32x4.sub(t1, m));
  let q0 = q4f4(r0), q1 = q4f4(r1);
  q0 = qstepf4(r0, q0, 8); q1 = qstepf4(r1, q1, 8);
  q0 = qstepf4(r0, q0, 7); q1 = qstepf4(r1, q1, 7);
  q0 = qstepf4(r0, q0, 6); q1 = qstepf4(r1, q1, 6);
  v128.store(dst, f32x4.mul(onePlusf4(r0, q0), pow2Negf4(t0)));
  v128.store(dst, f32x4.mul(onePlusf4(r1, q1), pow2Negf4(t1)), 16);
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
const EXPD2_TAB: usize = memory.data<f64>([XMIN_F64, XMAX_F64, INV_LN2, MAGIC_F64, LN2_HI, LN2_LO, P1, P2, P3, P4, P5, 2.0, 1.0]);
const EXPD2_ITAB: usize = memory.data<i64>([MAGIC_F64_BITS, 1023]);

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
  x = f64x2.pmin(f64x2.pmax(x, k64(EXPD2_TAB, 0)), k64(EXPD2_TAB, 1));
  // k = round(x / ln 2) by the magic bias 1.5 * 2^52 (see expf4): k lands in the low
  // bits as an i64, with no trunc_sat / extend.
  const tk = f64x2.add(f64x2.mul(x, k64(EXPD2_TAB, 2)), k64(EXPD2_TAB, 3));
  const kf = f64x2.sub(tk, k64(EXPD2_TAB, 3));
  const k = i64x2.sub(tk, k64(EXPD2_ITAB, 0));
  const hi = f64x2.sub(x, f64x2.mul(kf, k64(EXPD2_TAB, 4)));
  const lo = f64x2.mul(kf, k64(EXPD2_TAB, 5));
  const r = f64x2.sub(hi, lo);
  const rr = f64x2.mul(r, r);
  let t = f64x2.add(f64x2.mul(rr, k64(EXPD2_TAB, 10)), k64(EXPD2_TAB, 9));
  t = f64x2.add(f64x2.mul(rr, t), k64(EXPD2_TAB, 8));
  t = f64x2.add(f64x2.mul(rr, t), k64(EXPD2_TAB, 7));
  t = f64x2.add(f64x2.mul(rr, t), k64(EXPD2_TAB, 6));
  const c = f64x2.sub(r, f64x2.mul(rr, t));
  const rc = f64x2.div(f64x2.mul(r, c), f64x2.sub(k64(EXPD2_TAB, 11), c));
  const y = f64x2.add(k64(EXPD2_TAB, 12), f64x2.add(f64x2.sub(rc, lo), hi));
  const k1 = i64x2.shr_s(k, 1);
  const bias = k64(EXPD2_ITAB, 1);
  const s1 = i64x2.shl(i64x2.add(k1, bias), 52);
  const s2 = i64x2.shl(i64x2.add(i64x2.sub(k, k1), bias), 52);
  return f64x2.mul(f64x2.mul(y, s1), s2);
}
