// Short rows across lanes: softmax statistics for rows of 2 to 32 logits, one row per
// lane (4 rows per f32x4 step, 2 per f64x2), so every vector op does useful work however
// short the row. The row-wise kernels (softmax.ts) put one row in the lanes, which leaves
// most lanes empty at such widths and pays a horizontal reduction and a scalar log per row.
//
// Per block of L rows (L = lanes): phase A loads each row's values a vector at a time and
// transposes L x L tiles in registers (two shuffle levels) into column vectors, lane i
// holding row i's value, stored to a small scratch (at most 32 vectors, in L1); the row
// maxima and minima are max/min trees over those vectors. Phase B reads the column vectors
// back a tile (L columns) at a time: d = (z - m) / T, e = exp(d), and the sums per lane.
// Then one vector log per L rows.
//
// Accuracy ("masked" sums): s = k + u, where k counts the columns equal to the row maximum
// (their e is exactly 1) and u sums the other terms. Every term is formed in T exactly as
// the row kernel forms it (same d, same exp bits, same products) and summed in f64, so
// the SIMD build agrees with the scalar build's row kernel to f64 rounding (the suite
// holds them to 1e-12; f32 tile sums and an f32 log, as the prototype had, were ~15% faster
// but differ by ~1e-8). log s = log(k + u) in f64 plus the rounding of k + u (Fast2Sum), so
// confident rows (u tiny) keep their relative accuracy: log(1 + u) = u - u^2/2 ... Worst
// measured per-row error (test/shortrows.test.ts): f32 9.8e-8 relative, f64 4.4e-15.
//
// Exponential: d is clamped below at -87.33 (f32) so 2^n is one normal power of two
// (math/exp.ts expf4's polynomial and operation order, clamp only below since d <= 0; one
// shl instead of two scale steps): bit-identical to expf4 for d >= -87.33. Terms whose true
// d is below -87.33 count as about e^-87.33 = 1.2e-38 instead of less: an absolute error
// below 4e-37 per row, and e * d uses the same clamped d.
//
// Special values: a block whose rows hold NaN, +-Infinity, or values whose differences
// overflow (max - min not finite) is recomputed by the row kernel (softmaxStatsRows), as
// are the last rows % L rows. Only modes 0, ENTROPY, CLASS_DOT and ENTROPY | CLASS_DOT
// are here (the adapter sends TARGETS and PARTIAL to the row kernel).
import { softmaxStatsRows } from "./softmax";
import { entropyRows, pairRows, CROSS_ENTROPY } from "./distributions";
import { status, vmul, vlogNormal, trackInitLo, trackInitHi, trackZeroLo, trackZeroHi, trackZeroLo2, trackZeroHi2, trackPosLo, trackPosHi, trackedSpecial } from "./lanes";
import { logd2Normal } from "../math/log";
import { expd2, expNegf4 } from "../math/exp";

const ENTROPY: i32 = 1;
const CLASS_DOT: i32 = 2;

/** Widest row handled here. */
export const SHORT_MAX_COLS: i32 = 32;

// Transposed column vectors of one block (32 x 16 bytes) and the padded class weights,
// then the second input's column vectors (cross entropy). Static memory of this instance;
// instances sharing one memory (the threads build's workers) each move it to their own
// region with setShortScratch, so they never write each other's.
let SCRATCH: usize = memory.data(2 * SHORT_MAX_COLS * 16, 16);
let SCRATCH2: usize = SCRATCH + SHORT_MAX_COLS * 16;
/** Bytes of scratch the short-row kernels use. */
export const SHORT_SCRATCH_BYTES: i32 = 2 * SHORT_MAX_COLS * 16;

/** Move this instance's short-row scratch to [at, at + SHORT_SCRATCH_BYTES), 16-byte aligned. */
export function setShortScratch(at: usize): void {
  SCRATCH = at;
  SCRATCH2 = at + SHORT_MAX_COLS * 16;
}

// ---- the exp's lower clamps (expNegf4 in math/exp.ts needs 2^n normal)
/** Lowest d: round(d log2 e) >= -126, so 2^n is normal. */
const DLO_F32: f32 = -87.33;
/** Lowest d for f64: expd2 gives (nearly) 0 there, and e * d stays finite. */
const DLO_F64: f64 = -745.0;

// ---- per-column helpers, generic over T (f32: 4 lanes, f64: 2)
/** Clamped scaled gap d = max((x - m) * invT, DLO); NaN stays NaN. */
// @ts-ignore: decorator
@inline function gap<T>(x: v128, mv: v128, iv: v128): v128 {
  if (sizeof<T>() == 4) return f32x4.pmax(f32x4.mul(f32x4.sub(x, mv), iv), f32x4.splat(DLO_F32));
  return f64x2.pmax(f64x2.mul(f64x2.sub(x, mv), iv), f64x2.splat(DLO_F64));
}
// @ts-ignore: decorator
@inline function ex<T>(d: v128): v128 { if (sizeof<T>() == 4) return expNegf4(d); return expd2(d); }
// @ts-ignore: decorator
@inline function eqv<T>(a: v128, b: v128): v128 { if (sizeof<T>() == 4) return f32x4.eq(a, b); return f64x2.eq(a, b); }
// @ts-ignore: decorator
@inline function sub<T>(a: v128, b: v128): v128 { if (sizeof<T>() == 4) return f32x4.sub(a, b); return f64x2.sub(a, b); }
// @ts-ignore: decorator
@inline function mul<T>(a: v128, b: v128): v128 { if (sizeof<T>() == 4) return f32x4.mul(a, b); return f64x2.mul(a, b); }
// @ts-ignore: decorator
@inline function splat<T>(x: f64): v128 { if (sizeof<T>() == 4) return f32x4.splat(<f32>x); return f64x2.splat(x); }
/** Class weight j in every lane. */
// @ts-ignore: decorator
@inline function wsplat<T>(w: usize, j: i32): v128 {
  if (sizeof<T>() == 4) return v128.load32_splat(w + (<usize>j << 2));
  return v128.load64_splat(w + (<usize>j << 3));
}
/** Lanes 0-1 (f64) of a + b + c + d, f32 vectors promoted first: (a + b) + (c + d). */
// @ts-ignore: decorator
@inline function sum4Lo(a: v128, b: v128, c: v128, d: v128): v128 {
  return f64x2.add(f64x2.add(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(b)),
    f64x2.add(f64x2.promote_low_f32x4(c), f64x2.promote_low_f32x4(d)));
}
/** Lanes 2-3 of the same. */
// @ts-ignore: decorator
@inline function sum4Hi(a: v128, b: v128, c: v128, d: v128): v128 {
  return sum4Lo(i32x4.shuffle(a, a, 2, 3, 2, 3), i32x4.shuffle(b, b, 2, 3, 2, 3),
    i32x4.shuffle(c, c, 2, 3, 2, 3), i32x4.shuffle(d, d, 2, 3, 2, 3));
}
/**
 * log(k + u) for k >= 1 (an integer) and 0 <= u, given s = k + u rounded: log s plus the
 * rounding of s (Fast2Sum, exact where k >= u, the only case where it matters), so rows
 * with u far below 2^-53 keep their relative accuracy (log(1 + u) = u - u^2/2 ...).
 */
// @ts-ignore: decorator
@inline function logPlus(k: v128, u: v128, s: v128): v128 {
  return f64x2.add(logd2Normal(s), f64x2.div(f64x2.add(f64x2.sub(k, s), u), s));
}
/** acc (f64x2, lanes 0-1) + lanes 0-1 of a T vector. */
// @ts-ignore: decorator
@inline function accLo<T>(acc: v128, v: v128): v128 {
  if (sizeof<T>() == 4) return f64x2.add(acc, f64x2.promote_low_f32x4(v));
  return f64x2.add(acc, v);
}
/** acc + lanes 2-3 (f32 only). */
// @ts-ignore: decorator
@inline function accHi<T>(acc: v128, v: v128): v128 {
  if (sizeof<T>() == 4) return f64x2.add(acc, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3)));
  return acc;
}

/**
 * One block of L rows at p (row stride rb bytes, C columns): writes the stats of the L rows
 * at outX + o. Returns false (nothing written) when the block needs the row kernel.
 */
// @ts-ignore: decorator
@inline function block<T>(p: usize, rb: usize, C: i32, w: usize, iv: v128, entropy: bool, classDot: bool,
  o: usize, outM: usize, outLS: usize, outH: usize, outB: usize): bool {
  const L = 16 / sizeof<T>();
  // ---- phase A: transpose into SCRATCH, row max and min per lane
  let mx = splat<T>(-Infinity), mn = splat<T>(Infinity);
  const TILES = (C + L - 1) / L, WHOLE = C / L;
  for (let g = 0; g < WHOLE; g++) {
    const q = p + (<usize>g << 4);
    const n = L;
    const s = SCRATCH + (<usize>(g * L) << 4);
    if (sizeof<T>() == 4) {
      const a0 = v128.load(q), a1 = v128.load(q + rb), a2 = v128.load(q + 2 * rb), a3 = v128.load(q + 3 * rb);
      const t0 = i32x4.shuffle(a0, a1, 0, 4, 1, 5), t1 = i32x4.shuffle(a0, a1, 2, 6, 3, 7);
      const t2 = i32x4.shuffle(a2, a3, 0, 4, 1, 5), t3 = i32x4.shuffle(a2, a3, 2, 6, 3, 7);
      const c0 = i64x2.shuffle(t0, t2, 0, 2), c1 = i64x2.shuffle(t0, t2, 1, 3);
      const c2 = i64x2.shuffle(t1, t3, 0, 2), c3 = i64x2.shuffle(t1, t3, 1, 3);
      v128.store(s, c0); v128.store(s, c1, 16); v128.store(s, c2, 32); v128.store(s, c3, 48);
      if (n == 4) {
        mx = f32x4.pmax(mx, f32x4.pmax(f32x4.pmax(c0, c1), f32x4.pmax(c2, c3)));
        mn = f32x4.pmin(mn, f32x4.pmin(f32x4.pmin(c0, c1), f32x4.pmin(c2, c3)));
      } else {
        mx = f32x4.pmax(mx, c0); mn = f32x4.pmin(mn, c0);
        if (n > 1) { mx = f32x4.pmax(mx, c1); mn = f32x4.pmin(mn, c1); }
        if (n > 2) { mx = f32x4.pmax(mx, c2); mn = f32x4.pmin(mn, c2); }
      }
    } else {
      const a0 = v128.load(q), a1 = v128.load(q + rb);
      const c0 = i64x2.shuffle(a0, a1, 0, 2), c1 = i64x2.shuffle(a0, a1, 1, 3);
      v128.store(s, c0); v128.store(s, c1, 16);
      mx = f64x2.pmax(mx, c0); mn = f64x2.pmin(mn, c0);
      if (n > 1) { mx = f64x2.pmax(mx, c1); mn = f64x2.pmin(mn, c1); }
    }
  }
  if (WHOLE < TILES) {
    const g = WHOLE;
    const q = p + (<usize>g << 4);
    const n = C - g * L;
    const s = SCRATCH + (<usize>(g * L) << 4);
    if (sizeof<T>() == 4) {
      const a0 = v128.load(q), a1 = v128.load(q + rb), a2 = v128.load(q + 2 * rb), a3 = v128.load(q + 3 * rb);
      const t0 = i32x4.shuffle(a0, a1, 0, 4, 1, 5), t1 = i32x4.shuffle(a0, a1, 2, 6, 3, 7);
      const t2 = i32x4.shuffle(a2, a3, 0, 4, 1, 5), t3 = i32x4.shuffle(a2, a3, 2, 6, 3, 7);
      const c0 = i64x2.shuffle(t0, t2, 0, 2), c1 = i64x2.shuffle(t0, t2, 1, 3);
      const c2 = i64x2.shuffle(t1, t3, 0, 2), c3 = i64x2.shuffle(t1, t3, 1, 3);
      v128.store(s, c0); v128.store(s, c1, 16); v128.store(s, c2, 32); v128.store(s, c3, 48);
      if (n == 4) {
        mx = f32x4.pmax(mx, f32x4.pmax(f32x4.pmax(c0, c1), f32x4.pmax(c2, c3)));
        mn = f32x4.pmin(mn, f32x4.pmin(f32x4.pmin(c0, c1), f32x4.pmin(c2, c3)));
      } else {
        mx = f32x4.pmax(mx, c0); mn = f32x4.pmin(mn, c0);
        if (n > 1) { mx = f32x4.pmax(mx, c1); mn = f32x4.pmin(mn, c1); }
        if (n > 2) { mx = f32x4.pmax(mx, c2); mn = f32x4.pmin(mn, c2); }
      }
    } else {
      const a0 = v128.load(q), a1 = v128.load(q + rb);
      const c0 = i64x2.shuffle(a0, a1, 0, 2), c1 = i64x2.shuffle(a0, a1, 1, 3);
      v128.store(s, c0); v128.store(s, c1, 16);
      mx = f64x2.pmax(mx, c0); mn = f64x2.pmin(mn, c0);
      if (n > 1) { mx = f64x2.pmax(mx, c1); mn = f64x2.pmin(mn, c1); }
    }
  }
  // ---- phase B: exps and sums, a tile of L columns per iteration. Each term is formed in T
  // exactly as the row kernel forms it (softmax.ts statsSimd: same d, same exp bits for
  // d >= -87.33, same f32 products) and added in f64, so the two builds agree to f64 rounding.
  const zero = splat<T>(0);
  let u0 = f64x2.splat(0), u1 = f64x2.splat(0), h0 = f64x2.splat(0), h1 = f64x2.splat(0);
  let b0 = f64x2.splat(0), b1 = f64x2.splat(0);
  let cnt = zero; // -(number of columns equal to the max), per lane, as integers
  const FULL = C / L; // whole tiles; then one tail tile of C % L columns
  for (let g = 0; g < FULL; g++) {
    const s = SCRATCH + (<usize>(g * L) << 4);
    const j = g * L;
    const n = L;
    // column k of the tile: u term (e where z != max), max mask, e d, w (m - z); zero when absent
    let u_0 = zero, u_1 = zero, u_2 = zero, u_3 = zero, q_0 = zero, q_1 = zero, q_2 = zero, q_3 = zero;
    let h_0 = zero, h_1 = zero, h_2 = zero, h_3 = zero, b_0 = zero, b_1 = zero, b_2 = zero, b_3 = zero;
    {
      const x = v128.load(s);
      const d = gap<T>(x, mx, iv), e = ex<T>(d);
      q_0 = eqv<T>(x, mx); u_0 = v128.andnot(e, q_0);
      if (entropy) h_0 = mul<T>(e, d);
      if (classDot) b_0 = w ? mul<T>(wsplat<T>(w, j), sub<T>(mx, x)) : sub<T>(mx, x);
    }
    if (n > 1) {
      const x = v128.load(s, 16);
      const d = gap<T>(x, mx, iv), e = ex<T>(d);
      q_1 = eqv<T>(x, mx); u_1 = v128.andnot(e, q_1);
      if (entropy) h_1 = mul<T>(e, d);
      if (classDot) b_1 = w ? mul<T>(wsplat<T>(w, j + 1), sub<T>(mx, x)) : sub<T>(mx, x);
    }
    if (sizeof<T>() == 4 && n > 2) {
      const x = v128.load(s, 32);
      const d = gap<T>(x, mx, iv), e = ex<T>(d);
      q_2 = eqv<T>(x, mx); u_2 = v128.andnot(e, q_2);
      if (entropy) h_2 = mul<T>(e, d);
      if (classDot) b_2 = w ? mul<T>(wsplat<T>(w, j + 2), sub<T>(mx, x)) : sub<T>(mx, x);
    }
    if (sizeof<T>() == 4 && n > 3) {
      const x = v128.load(s, 48);
      const d = gap<T>(x, mx, iv), e = ex<T>(d);
      q_3 = eqv<T>(x, mx); u_3 = v128.andnot(e, q_3);
      if (entropy) h_3 = mul<T>(e, d);
      if (classDot) b_3 = w ? mul<T>(wsplat<T>(w, j + 3), sub<T>(mx, x)) : sub<T>(mx, x);
    }
    if (sizeof<T>() == 4) {
      cnt = i32x4.add(cnt, i32x4.add(i32x4.add(q_0, q_1), i32x4.add(q_2, q_3)));
      u0 = f64x2.add(u0, sum4Lo(u_0, u_1, u_2, u_3)); u1 = f64x2.add(u1, sum4Hi(u_0, u_1, u_2, u_3));
      if (entropy) { h0 = f64x2.add(h0, sum4Lo(h_0, h_1, h_2, h_3)); h1 = f64x2.add(h1, sum4Hi(h_0, h_1, h_2, h_3)); }
      if (classDot) { b0 = f64x2.add(b0, sum4Lo(b_0, b_1, b_2, b_3)); b1 = f64x2.add(b1, sum4Hi(b_0, b_1, b_2, b_3)); }
    } else {
      cnt = i64x2.add(cnt, i64x2.add(q_0, q_1));
      u0 = f64x2.add(u0, f64x2.add(u_0, u_1));
      if (entropy) h0 = f64x2.add(h0, f64x2.add(h_0, h_1));
      if (classDot) b0 = f64x2.add(b0, f64x2.add(b_0, b_1));
    }
  }
  if (FULL * L < C) {
    const s = SCRATCH + (<usize>(FULL * L) << 4);
    const j = FULL * L;
    const n = C - j;
    // column k of the tile: u term (e where z != max), max mask, e d, w (m - z); zero when absent
    let u_0 = zero, u_1 = zero, u_2 = zero, u_3 = zero, q_0 = zero, q_1 = zero, q_2 = zero, q_3 = zero;
    let h_0 = zero, h_1 = zero, h_2 = zero, h_3 = zero, b_0 = zero, b_1 = zero, b_2 = zero, b_3 = zero;
    {
      const x = v128.load(s);
      const d = gap<T>(x, mx, iv), e = ex<T>(d);
      q_0 = eqv<T>(x, mx); u_0 = v128.andnot(e, q_0);
      if (entropy) h_0 = mul<T>(e, d);
      if (classDot) b_0 = w ? mul<T>(wsplat<T>(w, j), sub<T>(mx, x)) : sub<T>(mx, x);
    }
    if (n > 1) {
      const x = v128.load(s, 16);
      const d = gap<T>(x, mx, iv), e = ex<T>(d);
      q_1 = eqv<T>(x, mx); u_1 = v128.andnot(e, q_1);
      if (entropy) h_1 = mul<T>(e, d);
      if (classDot) b_1 = w ? mul<T>(wsplat<T>(w, j + 1), sub<T>(mx, x)) : sub<T>(mx, x);
    }
    if (sizeof<T>() == 4 && n > 2) {
      const x = v128.load(s, 32);
      const d = gap<T>(x, mx, iv), e = ex<T>(d);
      q_2 = eqv<T>(x, mx); u_2 = v128.andnot(e, q_2);
      if (entropy) h_2 = mul<T>(e, d);
      if (classDot) b_2 = w ? mul<T>(wsplat<T>(w, j + 2), sub<T>(mx, x)) : sub<T>(mx, x);
    }
    if (sizeof<T>() == 4 && n > 3) {
      const x = v128.load(s, 48);
      const d = gap<T>(x, mx, iv), e = ex<T>(d);
      q_3 = eqv<T>(x, mx); u_3 = v128.andnot(e, q_3);
      if (entropy) h_3 = mul<T>(e, d);
      if (classDot) b_3 = w ? mul<T>(wsplat<T>(w, j + 3), sub<T>(mx, x)) : sub<T>(mx, x);
    }
    if (sizeof<T>() == 4) {
      cnt = i32x4.add(cnt, i32x4.add(i32x4.add(q_0, q_1), i32x4.add(q_2, q_3)));
      u0 = f64x2.add(u0, sum4Lo(u_0, u_1, u_2, u_3)); u1 = f64x2.add(u1, sum4Hi(u_0, u_1, u_2, u_3));
      if (entropy) { h0 = f64x2.add(h0, sum4Lo(h_0, h_1, h_2, h_3)); h1 = f64x2.add(h1, sum4Hi(h_0, h_1, h_2, h_3)); }
      if (classDot) { b0 = f64x2.add(b0, sum4Lo(b_0, b_1, b_2, b_3)); b1 = f64x2.add(b1, sum4Hi(b_0, b_1, b_2, b_3)); }
    } else {
      cnt = i64x2.add(cnt, i64x2.add(q_0, q_1));
      u0 = f64x2.add(u0, f64x2.add(u_0, u_1));
      if (entropy) h0 = f64x2.add(h0, f64x2.add(h_0, h_1));
      if (classDot) b0 = f64x2.add(b0, f64x2.add(b_0, b_1));
    }
  }
  // ---- finish: s = k + u (k maxima, each term exactly 1), log s, special values
  let s0: v128, s1: v128, ls0: v128, ls1: v128, m0: v128, m1: v128;
  let bad: v128;
  if (sizeof<T>() == 4) {
    const k = f32x4.convert_i32x4_s(i32x4.neg(cnt));
    const k0 = f64x2.promote_low_f32x4(k), k1 = f64x2.promote_low_f32x4(i32x4.shuffle(k, k, 2, 3, 2, 3));
    s0 = f64x2.add(k0, u0); s1 = f64x2.add(k1, u1);
    ls0 = logPlus(k0, u0, s0); ls1 = logPlus(k1, u1, s1);
    m0 = f64x2.promote_low_f32x4(mx);
    m1 = f64x2.promote_low_f32x4(i32x4.shuffle(mx, mx, 2, 3, 2, 3));
    // NaN anywhere reaches u (the max skips it); an infinite max or an overflowing spread
    // makes max - min non-finite
    bad = v128.or(v128.not(f32x4.lt(f32x4.sub(mx, mn), f32x4.splat(Infinity))), v128.or(f64x2.ne(u0, u0), f64x2.ne(u1, u1)));
  } else {
    const k0 = f64x2.convert_low_i32x4_s(i32x4.shuffle(i64x2.neg(cnt), cnt, 0, 2, 0, 2));
    s0 = f64x2.add(k0, u0); s1 = s0;
    ls0 = logPlus(k0, u0, s0); ls1 = ls0;
    m0 = mx; m1 = mx;
    bad = v128.or(v128.not(f64x2.lt(f64x2.sub(mx, mn), f64x2.splat(Infinity))), f64x2.ne(u0, u0));
  }
  if (v128.any_true(bad)) return false;
  v128.store(outM + o, m0);
  v128.store(outLS + o, ls0);
  if (entropy) v128.store(outH + o, f64x2.sub(ls0, f64x2.div(h0, s0)));
  if (classDot) v128.store(outB + o, b0);
  if (sizeof<T>() == 4) {
    v128.store(outM + o, m1, 16);
    v128.store(outLS + o, ls1, 16);
    if (entropy) v128.store(outH + o, f64x2.sub(ls1, f64x2.div(h1, s1)), 16);
    if (classDot) v128.store(outB + o, b1, 16);
  }
  return true;
}

// @ts-ignore: decorator
@inline function statsRows<T>(z: usize, w: usize, rows: i32, cols: i32, invT: f64, mode: i32, entropy: bool, classDot: bool,
  outM: usize, outLS: usize, outH: usize, outB: usize): void {
  const L = 16 / sizeof<T>();
  const rb = <usize>cols * sizeof<T>();
  const iv = splat<T>(invT);
  let r = 0;
  for (; r + L <= rows; r += L) {
    const p = z + <usize>r * rb;
    const o = <usize>r << 3;
    if (!block<T>(p, rb, cols, w, iv, entropy, classDot, o, outM, outLS, outH, outB)) {
      softmaxStatsRows<T>(p, 0, w, L, cols, invT, 0, mode, outM + o, outLS + o, outH ? outH + o : 0, outB ? outB + o : 0, 0);
    }
  }
  if (r < rows) {
    const o = <usize>r << 3;
    softmaxStatsRows<T>(z + <usize>r * rb, 0, w, rows - r, cols, invT, 0, mode,
      outM + o, outLS + o, outH ? outH + o : 0, outB ? outB + o : 0, 0);
  }
}

/**
 * softmaxStatsRows (softmax.ts) for 2 <= cols <= 32 and modes 0, ENTROPY, CLASS_DOT,
 * ENTROPY | CLASS_DOT, with 1/T in T's safe range: the same per-row outputs (outM, outLS,
 * outH, outB; outW unused), the rows across lanes. Inputs need 16 bytes of slack after
 * the last row (the arena gives 32). Without SIMD it is the row kernel.
 */
export function shortStatsRows<T>(z: usize, w: usize, rows: i32, cols: i32, invT: f64, mode: i32,
  outM: usize, outLS: usize, outH: usize, outB: usize): void {
  if (ASC_FEATURE_SIMD && cols >= 2 && cols <= SHORT_MAX_COLS && (mode & ~(ENTROPY | CLASS_DOT)) == 0) {
    switch (mode) {
      case 0: statsRows<T>(z, w, rows, cols, invT, mode, false, false, outM, outLS, outH, outB); return;
      case ENTROPY: statsRows<T>(z, w, rows, cols, invT, mode, true, false, outM, outLS, outH, outB); return;
      case CLASS_DOT: statsRows<T>(z, w, rows, cols, invT, mode, false, true, outM, outLS, outH, outB); return;
      default: statsRows<T>(z, w, rows, cols, invT, mode, true, true, outM, outLS, outH, outB); return;
    }
  }
  softmaxStatsRows<T>(z, 0, w, rows, cols, invT, 0, mode, outM, outLS, outH, outB, 0);
}

/**
 * Cross entropy against class indices from the row statistics (outM, outLS and, with label
 * smoothing, outB, as softmaxStats / shortStats write them), per row into out (f64), in
 * the same f64 operations as the JS side (src/measures/losses.ts), so every backend agrees:
 *   nll = ls + (m - z_y) / T,   loss = scale * ((1 - eps) w_y nll + eps / C (ls W + B / T))
 * (eps = 0: scale * w_y * nll); rows whose label is `ignore` get 0. Labels are already
 * checked (in [0, cols) or ignore). Returns the sum of w_y over the kept rows (the 'mean'
 * denominator). `w`: class weights in T (0: none); W: their sum (cols without weights).
 */
export function classCrossEntropyRows<T>(z: usize, y: usize, w: usize, rows: i32, cols: i32, invT: f64, eps: f64,
  ignore: i32, wsum: f64, scale: f64, outM: usize, outLS: usize, outB: usize, out: usize): f64 {
  let den = 0.0;
  const smooth = eps / <f64>cols;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r << 3;
    const k = load<i32>(y + (<usize>r << 2));
    if (k == ignore) { store<f64>(out + o, 0); continue; }
    const wy = w ? <f64>load<T>(w + (<usize>k << alignof<T>())) : 1.0;
    const ls = load<f64>(outLS + o);
    const gap = load<f64>(outM + o) - <f64>load<T>(z + (<usize>(r * cols + k) << alignof<T>()));
    const nll = ls + (gap == 0 ? 0 : gap * invT);
    let v = wy * nll;
    if (outB) {
      const b = load<f64>(outB + o);
      v = (1 - eps) * wy * nll + smooth * (ls * wsum + (b == 0 ? 0 : b * invT));
    }
    store<f64>(out + o, v * scale);
    den += wy;
  }
  return den;
}

// ------------------------------------------------------------------ entropy
// Row entropy -sum p log p for rows of 2 to 32 probabilities, across lanes: the block of L
// rows transposed into column vectors (as above), then per column t = p log p (the row
// kernel's term, distributions.ts xlogx: the same f32 log bits and product) summed in f64
// per lane. Special values (the "zero or normal" rule: negative, NaN, Infinity, subnormal,
// >= 2^64) send the block to the row kernel, which flags invalid values.

/** Transpose the L rows at p (stride rb) into C column vectors at dst. */
// @ts-ignore: decorator
@inline function transposeTo<T>(p: usize, rb: usize, C: i32, dst: usize): void {
  const L = 16 / sizeof<T>();
  for (let j = 0; j < C; j += L) {
    const q = p + (<usize>j << alignof<T>());
    const s = dst + (<usize>j << 4);
    if (sizeof<T>() == 4) {
      const a0 = v128.load(q), a1 = v128.load(q + rb), a2 = v128.load(q + 2 * rb), a3 = v128.load(q + 3 * rb);
      const t0 = i32x4.shuffle(a0, a1, 0, 4, 1, 5), t1 = i32x4.shuffle(a0, a1, 2, 6, 3, 7);
      const t2 = i32x4.shuffle(a2, a3, 0, 4, 1, 5), t3 = i32x4.shuffle(a2, a3, 2, 6, 3, 7);
      v128.store(s, i64x2.shuffle(t0, t2, 0, 2)); v128.store(s, i64x2.shuffle(t0, t2, 1, 3), 16);
      v128.store(s, i64x2.shuffle(t1, t3, 0, 2), 32); v128.store(s, i64x2.shuffle(t1, t3, 1, 3), 48);
    } else {
      const a0 = v128.load(q), a1 = v128.load(q + rb);
      v128.store(s, i64x2.shuffle(a0, a1, 0, 2)); v128.store(s, i64x2.shuffle(a0, a1, 1, 3), 16);
    }
  }
}

/** out[r] = scale * H(p_r) for 2 <= cols <= 32 (entropyRows otherwise); returns the status word. */
export function shortEntropyRows<T>(p: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 {
  if (!ASC_FEATURE_SIMD || cols < 2 || cols > SHORT_MAX_COLS) return entropyRows<T>(p, rows, cols, scale, out);
  const L = 16 / sizeof<T>();
  const rb = <usize>cols * sizeof<T>();
  const sv = f64x2.splat(scale), zero = f64x2.splat(0);
  let st = 0;
  let r = 0;
  for (; r + L <= rows; r += L) {
    const q = p + <usize>r * rb;
    const o = <usize>r << 3;
    transposeTo<T>(q, rb, cols, SCRATCH);
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), b0 = f64x2.splat(0), b1 = f64x2.splat(0);
    let lo = trackInitLo<T>(), hi = trackInitHi<T>();
    let j = 0;
    for (; j + 2 <= cols; j += 2) { // two columns per iteration: two f64 chains
      const x = v128.load(SCRATCH + (<usize>j << 4)), y = v128.load(SCRATCH + (<usize>j << 4), 16);
      lo = trackZeroLo2<T>(lo, x, y);
      hi = trackZeroHi2<T>(hi, x, y);
      const t = vmul<T>(x, vlogNormal<T>(x)), u = vmul<T>(y, vlogNormal<T>(y));
      a0 = accLo<T>(a0, t); a1 = accHi<T>(a1, t);
      b0 = accLo<T>(b0, u); b1 = accHi<T>(b1, u);
    }
    if (j < cols) {
      const x = v128.load(SCRATCH + (<usize>j << 4));
      lo = trackZeroLo<T>(lo, x);
      hi = trackZeroHi<T>(hi, x);
      const t = vmul<T>(x, vlogNormal<T>(x));
      a0 = accLo<T>(a0, t); a1 = accHi<T>(a1, t);
    }
    if (trackedSpecial<T>(lo, hi)) {
      st |= entropyRows<T>(q, L, cols, scale, out + o);
      continue;
    }
    // -(sum) * scale, +0 (not -0) for a point mass: 0 - s first, as the row kernel
    v128.store(out + o, f64x2.mul(sv, f64x2.sub(zero, f64x2.add(a0, b0))));
    if (sizeof<T>() == 4) v128.store(out + o, f64x2.mul(sv, f64x2.sub(zero, f64x2.add(a1, b1))), 16);
  }
  if (r < rows) st |= entropyRows<T>(p + <usize>r * rb, rows - r, cols, scale, out + (<usize>r << 3));
  status = st;
  return st;
}

// ------------------------------------------------------------------ cross entropy
/**
 * out[r] = scale * H(p_r, q_r) = -scale sum p log q for 2 <= cols <= 32 (pairRows otherwise),
 * p and q transposed as above, the row kernel's terms p log q (distributions.ts
 * crossEntropyRow) summed in f64 per lane. p must be zero or normal, q positive normal
 * (q = 0 is 0 log 0 or +Infinity): other blocks go to the row kernel. Returns the status word.
 */
export function shortCrossEntropyRows<T>(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 {
  if (!ASC_FEATURE_SIMD || cols < 2 || cols > SHORT_MAX_COLS) return pairRows<T>(CROSS_ENTROPY, p, q, rows, cols, scale, out);
  const L = 16 / sizeof<T>();
  const rb = <usize>cols * sizeof<T>();
  const sv = f64x2.splat(scale), zero = f64x2.splat(0);
  let st = 0;
  let r = 0;
  for (; r + L <= rows; r += L) {
    const o = <usize>r << 3;
    const pr = p + <usize>r * rb, qr = q + <usize>r * rb;
    transposeTo<T>(pr, rb, cols, SCRATCH);
    transposeTo<T>(qr, rb, cols, SCRATCH2);
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
    let lo = trackInitLo<T>(), hi = trackInitHi<T>();
    for (let j = 0; j < cols; j++) {
      const x = v128.load(SCRATCH + (<usize>j << 4)), y = v128.load(SCRATCH2 + (<usize>j << 4));
      lo = trackPosLo<T>(trackZeroLo<T>(lo, x), y);
      hi = trackPosHi<T>(trackZeroHi<T>(hi, x), y);
      const t = vmul<T>(x, vlogNormal<T>(y));
      a0 = accLo<T>(a0, t); a1 = accHi<T>(a1, t);
    }
    if (trackedSpecial<T>(lo, hi)) {
      st |= pairRows<T>(CROSS_ENTROPY, pr, qr, L, cols, scale, out + o);
      continue;
    }
    v128.store(out + o, f64x2.mul(sv, f64x2.sub(zero, a0)));
    if (sizeof<T>() == 4) v128.store(out + o, f64x2.mul(sv, f64x2.sub(zero, a1)), 16);
  }
  if (r < rows) st |= pairRows<T>(CROSS_ENTROPY, p + <usize>r * rb, q + <usize>r * rb, rows - r, cols, scale, out + (<usize>r << 3));
  status = st;
  return st;
}
