// Short rows across lanes: softmax statistics for rows of 2 to 32 logits, one row per
// lane (4 rows per f32x4 step, 2 per f64x2), so every vector op does useful work however
// short the row. The row-wise kernels (softmax.ts) put one row in the lanes, which leaves
// most lanes empty at such widths and pays a horizontal reduction and a scalar log per row.
//
// Per block of L rows (L = lanes): phase A takes the row maxima from each row's own vectors
// (rowMaxLanes: one transpose-and-max at the end). Phase B reads the rows again a tile (L
// columns) at a time, transposed in registers (two shuffle levels) so lane i holds row i's
// value: d = (z - m) / T, e = exp(d) (the tile's four f32 exps interleaved, expNegf4x4),
// and the sums per lane. The logs come in a pass after every 256 rows (statsChunk).
//
// Speed (V8, x64): the exp is a chain of ~20 dependent operations, and the core's scheduler
// holds fewer than three such chains in program order, so one exp after another ran at
// ~1/3 of the arithmetic's throughput; interleaving a tile's exps, and taking the f64 log
// (another long chain) apart from the blocks, is what made these kernels faster. Vector
// constants are loaded from tables (math/exp.ts k32): V8 rebuilds a v128.const at each use.
//
// Accuracy ("masked" sums): s = k + u, where k counts the terms e = 1 exactly (the row
// maximum's) and u sums the others. Every term is formed in T exactly as the row kernel
// forms it (same d, same exp bits, same products) and summed in f64, so the SIMD build
// agrees with the scalar build's row kernel to f64 rounding (the suite holds them to
// 1e-12; f32 tile sums and an f32 log, as the prototype had, were ~15% faster but differ by
// ~1e-8). log s = log(k + u) in f64 plus the rounding of k + u (Fast2Sum), so confident
// rows (u tiny) keep their relative accuracy: log(1 + u) = u - u^2/2 ... Worst measured
// per-row error of the softmax family (test/shortrows.test.ts): f32 9.9e-8 relative,
// f64 4.4e-15; KL and the binary losses keep their row kernels' terms (f32 up to 6e-7).
//
// Exponential: d is clamped below at -87.33 (f32) so 2^n is one normal power of two
// (math/exp.ts expf4's polynomial and operation order, clamp only below since d <= 0; one
// shl instead of two scale steps): bit-identical to expf4 for d >= -87.33. Terms whose true
// d is below -87.33 (a -Infinity logit, or a spread max - z that overflows, included) count
// as about e^-87.33 = 1.2e-38 instead of less: an absolute error below 4e-37 per row, and
// e * d uses the same clamped d.
//
// Special values: a block whose rows hold NaN or +Infinity, or a row of -Infinity only
// (each makes a term NaN, so u is NaN), is recomputed by the row kernel (softmaxStatsRows),
// as are the last rows % L rows. Modes 0, ENTROPY, CLASS_DOT, TARGETS and their entropy
// pairs are here (the adapter sends PARTIAL to the row kernel).
import { softmaxStatsRows, safeInvT } from "./softmax";
import { entropyRows, pairRows, klRatio, jsTerms, CROSS_ENTROPY, KL, JS, JS_CANCELS } from "./distributions";
import { INVALID, status, vmul, vlogNormal, trackInitLo, trackInitHi, trackZeroLo, trackZeroHi, trackZeroLo2, trackZeroHi2, trackPosLo, trackPosHi, trackedSpecial } from "./lanes";
import { logd2Normal } from "../math/log";
import { expd2, expNegf4, expNegf4x2, expNegf4x4, k32, k64 } from "../math/exp";

const ENTROPY: i32 = 1;
const CLASS_DOT: i32 = 2;
const TARGETS: i32 = 4;

/** Widest row handled here. */
export const SHORT_MAX_COLS: i32 = 32;
/**
 * Rows that go across lanes in the SIMD build: 2 to SHORT_MAX_COLS values (the scratch's width).
 * Callers test ASC_FEATURE_SIMD themselves, so the scalar build drops their lane code at compile time.
 */
// @ts-ignore: decorator
@inline function shortWidth(cols: i32): bool {
  return cols >= 2 && cols <= SHORT_MAX_COLS;
}

// This instance's scratch, all in one block: transposed column vectors of one block (32 x 16
// bytes) and the padded class weights; the second input's column vectors (cross entropy); a
// tile's exps and gaps (4 x 16 bytes each); then SUB f64 each of row statistics (CORR, SM,
// SLS, SB, declared where used). It starts in static memory; instances sharing one memory (the
// threads build's workers) each move it to their own region with setShortScratch, so they
// never write each other's.
/** Rows per pass of blocks before their logs are taken (finishRows), and per pass of the fused class CE. */
const SUB: i32 = 256;
/** Bytes of scratch the short-row kernels use. */
export const SHORT_SCRATCH_BYTES: i32 = 2 * SHORT_MAX_COLS * 16 + 2 * 64 + 4 * SUB * 8;
let SCRATCH: usize = memory.data(SHORT_SCRATCH_BYTES, 16);
let SCRATCH2: usize = SCRATCH + SHORT_MAX_COLS * 16;
let EXPS: usize = SCRATCH2 + SHORT_MAX_COLS * 16;
let GAPS: usize = EXPS + 64;

// ---- the exp's lower clamps (expNegf4 in math/exp.ts needs 2^n normal)
/** Lowest d: round(d log2 e) >= -126, so 2^n is normal. */
const DLO_F32: f32 = -87.33;
/** Lowest d for f64: expd2 gives (nearly) 0 there, and e * d stays finite. */
const DLO_F64: f64 = -745.0;

// ---- per-column helpers, generic over T (f32: 4 lanes, f64: 2)
// The clamp bounds as tables (a splat load each: V8 rebuilds a v128.const at every use).
const DLO_TAB_F32: usize = memory.data<f32>([DLO_F32, 1.0]);
const DLO_TAB_F64: usize = memory.data<f64>([DLO_F64, 1.0]);
/** Scaled gap (x - m) * invT (the multiply left out when 1/T is 1: the same value); NaN stays NaN. */
// @ts-ignore: decorator
@inline function gapRaw<T>(x: v128, mv: v128, iv: v128, scaled: bool): v128 {
  if (sizeof<T>() == 4) return scaled ? f32x4.mul(f32x4.sub(x, mv), iv) : f32x4.sub(x, mv);
  return scaled ? f64x2.mul(f64x2.sub(x, mv), iv) : f64x2.sub(x, mv);
}
/** d clamped below at DLO (NaN stays NaN: pmax returns its first operand then). */
// @ts-ignore: decorator
@inline function clampGap<T>(d: v128): v128 {
  if (sizeof<T>() == 4) return f32x4.pmax(d, k32(DLO_TAB_F32, 0));
  return f64x2.pmax(d, k64(DLO_TAB_F64, 0));
}
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
/** v times class weight j + k where the tile has column k (w = 0: no class weights). */
// @ts-ignore: decorator
@inline function weigh<T>(w: usize, j: i32, k: i32, n: i32, v: v128): v128 {
  return w != 0 && k < n ? mul<T>(wsplat<T>(w, j + k), v) : v;
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
 * Row maxima of the L rows at p (stride rb, C columns), lane i = row i: each row's vectors
 * max'ed together (the last one overlapping the one before when L does not divide C, which
 * leaves a maximum unchanged), then one transpose-and-max. A NaN may or may not survive
 * pmax; phase B sees it either way.
 */
// @ts-ignore: decorator
@inline function rowMaxLanes<T>(p: usize, rb: usize, C: i32): v128 {
  if (sizeof<T>() == 4) {
    let v0 = v128.load(p), v1 = v128.load(p + rb), v2 = v128.load(p + 2 * rb), v3 = v128.load(p + 3 * rb);
    if (C < 4) { // lanes >= C hold the next row: repeat lane 0 there
      if (C == 2) {
        v0 = i32x4.shuffle(v0, v0, 0, 1, 0, 1); v1 = i32x4.shuffle(v1, v1, 0, 1, 0, 1);
        v2 = i32x4.shuffle(v2, v2, 0, 1, 0, 1); v3 = i32x4.shuffle(v3, v3, 0, 1, 0, 1);
      } else {
        v0 = i32x4.shuffle(v0, v0, 0, 1, 2, 0); v1 = i32x4.shuffle(v1, v1, 0, 1, 2, 0);
        v2 = i32x4.shuffle(v2, v2, 0, 1, 2, 0); v3 = i32x4.shuffle(v3, v3, 0, 1, 2, 0);
      }
    } else {
      const whole = C >> 2;
      for (let g = 1; g < whole; g++) {
        const q = p + (<usize>g << 4);
        v0 = f32x4.pmax(v0, v128.load(q)); v1 = f32x4.pmax(v1, v128.load(q + rb));
        v2 = f32x4.pmax(v2, v128.load(q + 2 * rb)); v3 = f32x4.pmax(v3, v128.load(q + 3 * rb));
      }
      if (C & 3) {
        const q = p + (<usize>(C - 4) << 2);
        v0 = f32x4.pmax(v0, v128.load(q)); v1 = f32x4.pmax(v1, v128.load(q + rb));
        v2 = f32x4.pmax(v2, v128.load(q + 2 * rb)); v3 = f32x4.pmax(v3, v128.load(q + 3 * rb));
      }
    }
    // a = [max(v0a, v0c), max(v1a, v1c), max(v0b, v0d), max(v1b, v1d)], b the same for rows 2-3
    const a = f32x4.pmax(i32x4.shuffle(v0, v1, 0, 4, 1, 5), i32x4.shuffle(v0, v1, 2, 6, 3, 7));
    const b = f32x4.pmax(i32x4.shuffle(v2, v3, 0, 4, 1, 5), i32x4.shuffle(v2, v3, 2, 6, 3, 7));
    return f32x4.pmax(i64x2.shuffle(a, b, 0, 2), i64x2.shuffle(a, b, 1, 3));
  }
  let v0 = v128.load(p), v1 = v128.load(p + rb);
  const whole = C >> 1;
  for (let g = 1; g < whole; g++) {
    const q = p + (<usize>g << 4);
    v0 = f64x2.pmax(v0, v128.load(q)); v1 = f64x2.pmax(v1, v128.load(q + rb));
  }
  if (C & 1) {
    const q = p + (<usize>(C - 2) << 3);
    v0 = f64x2.pmax(v0, v128.load(q)); v1 = f64x2.pmax(v1, v128.load(q + rb));
  }
  return f64x2.pmax(i64x2.shuffle(v0, v1, 0, 2), i64x2.shuffle(v0, v1, 1, 3));
}

/**
 * One block of L rows at p (row stride rb bytes, C columns). Writes, at byte offset o: the
 * row maxima to outM, s = k + u to outLS (statsChunk's log pass takes its log), the
 * rounding of k + u to corr, sum e d to outH and B to outB. Returns false (nothing written)
 * when the block needs the row kernel.
 * Phase A: the row maxima (rowMaxLanes). Phase B: a tile of L columns at a time, loaded
 * from the rows again (in L1) and transposed in registers (two shuffle levels) into column
 * vectors, lane i holding row i's value; the last tile reads past the row end (into the
 * next row or the input's slack) and uses only its first C % L columns. The f32 exps of a
 * tile run interleaved (expNegf4x4).
 * The maxima: k counts the terms e = 1 exactly (the row maximum's, and any within 2^-25 of
 * it, whose f32 exp rounds to 1), u sums the others, so s = k + u is the same sum as the
 * row kernel's with u kept apart.
 */
// @ts-ignore: decorator
@inline function block<T>(p: usize, rb: usize, C: i32, w: usize, iv: v128, scaled: bool, entropy: bool, classDot: bool,
  o: usize, outM: usize, outLS: usize, outH: usize, outB: usize, corr: usize,
  tp: usize, targets: bool, keep: v128, smooth: v128, outW: usize): bool {
  const L = 16 / sizeof<T>();
  const mx = rowMaxLanes<T>(p, rb, C);
  // ---- phase B: exps and sums, a tile of L columns per iteration. Each term is formed in T
  // exactly as the row kernel forms it (softmax.ts statsSimd: same d, same exp bits for
  // d >= -87.33, same f32 products) and added in f64, so the two builds agree to f64 rounding.
  const zero = splat<T>(0);
  let u0 = f64x2.splat(0), u1 = f64x2.splat(0), h0 = f64x2.splat(0), h1 = f64x2.splat(0);
  let b0 = f64x2.splat(0), b1 = f64x2.splat(0), w0 = f64x2.splat(0), w1 = f64x2.splat(0);
  let tlo = trackInitLo<T>(), thi = trackInitHi<T>(); // the targets: zero or normal, else the row kernel
  let cnt = zero; // -(number of terms equal to 1), per lane, as integers
  const TILES = (C + L - 1) / L;
  for (let g = 0; g < TILES; g++) {
    const j = g * L;
    const n = min(L, C - j);
    const q = p + (<usize>j << alignof<T>());
    if (sizeof<T>() == 4) {
      const a0 = v128.load(q), a1 = v128.load(q + rb), a2 = v128.load(q + 2 * rb), a3 = v128.load(q + 3 * rb);
      const t0 = i32x4.shuffle(a0, a1, 0, 4, 1, 5), t1 = i32x4.shuffle(a0, a1, 2, 6, 3, 7);
      const t2 = i32x4.shuffle(a2, a3, 0, 4, 1, 5), t3 = i32x4.shuffle(a2, a3, 2, 6, 3, 7);
      const c0 = i64x2.shuffle(t0, t2, 0, 2), c1 = i64x2.shuffle(t0, t2, 1, 3);
      const c2 = i64x2.shuffle(t1, t3, 0, 2), c3 = i64x2.shuffle(t1, t3, 1, 3);
      if (classDot) { // w_j (m - z), before the exps (they need only the gaps)
        const ba = weigh<T>(w, j, 0, n, sub<T>(mx, c0)), bb = weigh<T>(w, j, 1, n, n > 1 ? sub<T>(mx, c1) : zero);
        const bc = weigh<T>(w, j, 2, n, n > 2 ? sub<T>(mx, c2) : zero), bd = weigh<T>(w, j, 3, n, n > 3 ? sub<T>(mx, c3) : zero);
        b0 = f64x2.add(b0, sum4Lo(ba, bb, bc, bd)); b1 = f64x2.add(b1, sum4Hi(ba, bb, bc, bd));
      }
      if (targets) { // a = w_j (t (1 - eps) + eps / C) and a (m - z) where a != 0, as softmax.ts statsSimd
        const g = tp + (<usize>j << 2);
        const a0 = v128.load(g), a1 = v128.load(g + rb), a2 = v128.load(g + 2 * rb), a3 = v128.load(g + 3 * rb);
        const t0 = i32x4.shuffle(a0, a1, 0, 4, 1, 5), t1 = i32x4.shuffle(a0, a1, 2, 6, 3, 7);
        const t2 = i32x4.shuffle(a2, a3, 0, 4, 1, 5), t3 = i32x4.shuffle(a2, a3, 2, 6, 3, 7);
        const g0 = i64x2.shuffle(t0, t2, 0, 2), g1 = n > 1 ? i64x2.shuffle(t0, t2, 1, 3) : zero;
        const g2 = n > 2 ? i64x2.shuffle(t1, t3, 0, 2) : zero, g3 = n > 3 ? i64x2.shuffle(t1, t3, 1, 3) : zero;
        tlo = trackZeroLo<T>(trackZeroLo<T>(tlo, g0), g1); thi = trackZeroHi<T>(trackZeroHi<T>(thi, g0), g1);
        tlo = trackZeroLo<T>(trackZeroLo<T>(tlo, g2), g3); thi = trackZeroHi<T>(trackZeroHi<T>(thi, g2), g3);
        const wa = weigh<T>(w, j, 0, n, f32x4.add(f32x4.mul(g0, keep), smooth)), wb = weigh<T>(w, j, 1, n, n > 1 ? f32x4.add(f32x4.mul(g1, keep), smooth) : zero);
        const wc = weigh<T>(w, j, 2, n, n > 2 ? f32x4.add(f32x4.mul(g2, keep), smooth) : zero), wd = weigh<T>(w, j, 3, n, n > 3 ? f32x4.add(f32x4.mul(g3, keep), smooth) : zero);
        w0 = f64x2.add(w0, sum4Lo(wa, wb, wc, wd)); w1 = f64x2.add(w1, sum4Hi(wa, wb, wc, wd));
        const ba = v128.andnot(f32x4.mul(wa, f32x4.sub(mx, c0)), f32x4.eq(wa, zero));
        const bb = v128.andnot(f32x4.mul(wb, f32x4.sub(mx, c1)), f32x4.eq(wb, zero));
        const bc = v128.andnot(f32x4.mul(wc, f32x4.sub(mx, c2)), f32x4.eq(wc, zero));
        const bd = v128.andnot(f32x4.mul(wd, f32x4.sub(mx, c3)), f32x4.eq(wd, zero));
        b0 = f64x2.add(b0, sum4Lo(ba, bb, bc, bd)); b1 = f64x2.add(b1, sum4Hi(ba, bb, bc, bd));
      }
      const d0 = clampGap<T>(gapRaw<T>(c0, mx, iv, scaled)), d1 = clampGap<T>(gapRaw<T>(c1, mx, iv, scaled));
      const d2 = clampGap<T>(gapRaw<T>(c2, mx, iv, scaled)), d3 = clampGap<T>(gapRaw<T>(c3, mx, iv, scaled));
      if (entropy) { // (absent columns: 0, their e is 0 too)
        v128.store(GAPS, d0); v128.store(GAPS, n > 1 ? d1 : zero, 16); v128.store(GAPS, n > 2 ? d2 : zero, 32); v128.store(GAPS, n > 3 ? d3 : zero, 48);
      }
      // the tile's exps, interleaved, to EXPS (columns past the row's end: 0)
      if (n == 4) expNegf4x4(d0, d1, d2, d3, EXPS);
      else {
        if (n >= 2) expNegf4x2(d0, d1, EXPS);
        else { v128.store(EXPS, expNegf4(d0)); v128.store(EXPS, zero, 16); }
        v128.store(EXPS, n == 3 ? expNegf4(d2) : zero, 32);
        v128.store(EXPS, zero, 48);
      }
      const one = k32(DLO_TAB_F32, 1);
      const e0 = v128.load(EXPS), e1 = v128.load(EXPS, 16), e2 = v128.load(EXPS, 32), e3 = v128.load(EXPS, 48);
      const q0 = f32x4.eq(e0, one), q1 = f32x4.eq(e1, one), q2 = f32x4.eq(e2, one), q3 = f32x4.eq(e3, one);
      cnt = i32x4.add(cnt, i32x4.add(i32x4.add(q0, q1), i32x4.add(q2, q3)));
      const ua = v128.andnot(e0, q0), ub = v128.andnot(e1, q1), uc = v128.andnot(e2, q2), ud = v128.andnot(e3, q3);
      u0 = f64x2.add(u0, sum4Lo(ua, ub, uc, ud)); u1 = f64x2.add(u1, sum4Hi(ua, ub, uc, ud));
      if (entropy) { // the absent columns' e is 0
        const ha = f32x4.mul(e0, v128.load(GAPS)), hb = f32x4.mul(e1, v128.load(GAPS, 16));
        const hc = f32x4.mul(e2, v128.load(GAPS, 32)), hd = f32x4.mul(e3, v128.load(GAPS, 48));
        h0 = f64x2.add(h0, sum4Lo(ha, hb, hc, hd)); h1 = f64x2.add(h1, sum4Hi(ha, hb, hc, hd));
      }
    } else {
      const a0 = v128.load(q), a1 = v128.load(q + rb);
      const c0 = i64x2.shuffle(a0, a1, 0, 2);
      const d0 = clampGap<T>(gapRaw<T>(c0, mx, iv, scaled));
      const e0 = expd2(d0);
      const one = k64(DLO_TAB_F64, 1);
      const q0 = f64x2.eq(e0, one);
      let uu = v128.andnot(e0, q0), qq = q0, hh = entropy ? mul<T>(e0, d0) : zero;
      let bb = classDot ? (w ? mul<T>(wsplat<T>(w, j), sub<T>(mx, c0)) : sub<T>(mx, c0)) : zero;
      if (n > 1) {
        const c1 = i64x2.shuffle(a0, a1, 1, 3);
        const d1 = clampGap<T>(gapRaw<T>(c1, mx, iv, scaled));
        const e1 = expd2(d1);
        const q1 = f64x2.eq(e1, one);
        uu = f64x2.add(uu, v128.andnot(e1, q1)); qq = i64x2.add(qq, q1);
        if (entropy) hh = f64x2.add(hh, mul<T>(e1, d1));
        if (classDot) bb = f64x2.add(bb, w ? mul<T>(wsplat<T>(w, j + 1), sub<T>(mx, c1)) : sub<T>(mx, c1));
      }
      if (targets) {
        const g = tp + (<usize>j << 3);
        const ga = v128.load(g), gb = v128.load(g + rb);
        const g0 = i64x2.shuffle(ga, gb, 0, 2), g1 = n > 1 ? i64x2.shuffle(ga, gb, 1, 3) : zero;
        tlo = trackZeroLo<T>(trackZeroLo<T>(tlo, g0), g1); thi = trackZeroHi<T>(trackZeroHi<T>(thi, g0), g1);
        let wa = f64x2.add(f64x2.mul(g0, keep), smooth), wb = n > 1 ? f64x2.add(f64x2.mul(g1, keep), smooth) : zero;
        if (w) {
          wa = mul<T>(wsplat<T>(w, j), wa);
          if (n > 1) wb = mul<T>(wsplat<T>(w, j + 1), wb);
        }
        w0 = f64x2.add(w0, f64x2.add(wa, wb));
        const c1 = i64x2.shuffle(a0, a1, 1, 3);
        bb = f64x2.add(v128.andnot(f64x2.mul(wa, f64x2.sub(mx, c0)), f64x2.eq(wa, zero)),
          v128.andnot(f64x2.mul(wb, f64x2.sub(mx, c1)), f64x2.eq(wb, zero)));
      }
      cnt = i64x2.add(cnt, qq);
      u0 = f64x2.add(u0, uu);
      if (entropy) h0 = f64x2.add(h0, hh);
      if (classDot || targets) b0 = f64x2.add(b0, bb);
    }
  }
  if (targets && trackedSpecial<T>(tlo, thi)) return false;
  // ---- s = k + u (k terms exactly 1) and its rounding. NaN anywhere (and an infinite
  // maximum: inf - inf, or an all -Infinity row: -inf + inf) makes a term NaN, which is
  // never 1, so u is NaN: the row kernel takes the block. A -Infinity value (or a spread
  // that overflows) below a finite maximum just gives the clamped term (see the top).
  let k0: v128, k1: v128;
  if (sizeof<T>() == 4) {
    if (v128.any_true(v128.or(f64x2.ne(u0, u0), f64x2.ne(u1, u1)))) return false;
    const k = f32x4.convert_i32x4_s(i32x4.neg(cnt));
    k0 = f64x2.promote_low_f32x4(k); k1 = f64x2.promote_low_f32x4(i32x4.shuffle(k, k, 2, 3, 2, 3));
  } else {
    if (v128.any_true(f64x2.ne(u0, u0))) return false;
    k0 = f64x2.convert_low_i32x4_s(i32x4.shuffle(i64x2.neg(cnt), cnt, 0, 2, 0, 2)); k1 = k0;
  }
  const s0 = f64x2.add(k0, u0);
  v128.store(outLS + o, s0);
  v128.store(corr + o, f64x2.add(f64x2.sub(k0, s0), u0));
  v128.store(outM + o, sizeof<T>() == 4 ? f64x2.promote_low_f32x4(mx) : mx);
  if (entropy) v128.store(outH + o, h0);
  if (classDot || targets) v128.store(outB + o, b0);
  if (targets) v128.store(outW + o, w0);
  if (sizeof<T>() == 4) {
    const s1 = f64x2.add(k1, u1);
    v128.store(outLS + o, s1, 16);
    v128.store(corr + o, f64x2.add(f64x2.sub(k1, s1), u1), 16);
    v128.store(outM + o, f64x2.promote_low_f32x4(i32x4.shuffle(mx, mx, 2, 3, 2, 3)), 16);
    if (entropy) v128.store(outH + o, h1, 16);
    if (classDot || targets) v128.store(outB + o, b1, 16);
    if (targets) v128.store(outW + o, w1, 16);
  }
  return true;
}

let CORR: usize = GAPS + 64; // SUB f64: the rounding scratch of finishRows

/**
 * The stats of rows [0, rows) (rows <= SUB) at z: blocks of L rows (block, or the row kernel
 * where a block holds special values, and for the last rows % L), then one pass taking
 * log(k + u) = log s + (rounding of s) / s for the blocks' rows, two per f64x2: the logs
 * taken apart from the exps keep each block short (the log's long dependency chain no longer
 * waits at the end of every block). corr is NaN for rows the row kernel finished.
 */
// @ts-ignore: decorator
@inline function statsChunk<T>(z: usize, t: usize, w: usize, rows: i32, cols: i32, invT: f64, eps: f64, mode: i32, scaled: bool,
  entropy: bool, classDot: bool, targets: bool, outM: usize, outLS: usize, outH: usize, outB: usize, outW: usize): i32 {
  const L = 16 / sizeof<T>();
  const rb = <usize>cols * sizeof<T>();
  const iv = splat<T>(invT);
  const keep = splat<T>(<f64>(<T>1 - <T>eps)), smooth = splat<T>(<f64>(<T>eps / <T>cols)); // as statsSimd
  const nan = f64x2.splat(NaN);
  let st = 0;
  let r = 0;
  for (; r + L <= rows; r += L) {
    const p = z + <usize>r * rb;
    const o = <usize>r << 3;
    if (!block<T>(p, rb, cols, w, iv, scaled, entropy, classDot, o, outM, outLS, outH, outB, CORR, t + <usize>r * rb, targets, keep, smooth, outW)) {
      st |= softmaxStatsRows<T>(p, targets ? t + <usize>r * rb : 0, w, L, cols, invT, eps, mode, outM + o, outLS + o,
        outH ? outH + o : 0, outB ? outB + o : 0, outW ? outW + o : 0);
      v128.store(CORR + o, nan);
      if (sizeof<T>() == 4) v128.store(CORR + o, nan, 16);
    }
  }
  const full = r;
  if (r < rows) {
    const o = <usize>r << 3;
    st |= softmaxStatsRows<T>(z + <usize>r * rb, targets ? t + <usize>r * rb : 0, w, rows - r, cols, invT, eps, mode,
      outM + o, outLS + o, outH ? outH + o : 0, outB ? outB + o : 0, outW ? outW + o : 0);
  }
  for (let i = 0; i < full; i += 2) {
    const o = <usize>i << 3;
    const c = v128.load(CORR + o);
    if (f64x2.extract_lane(c, 0) != f64x2.extract_lane(c, 0)) continue; // finished by the row kernel
    const s = v128.load(outLS + o);
    const ls = f64x2.add(logd2Normal(s), f64x2.div(c, s));
    v128.store(outLS + o, ls);
    if (entropy) v128.store(outH + o, f64x2.sub(ls, f64x2.div(v128.load(outH + o), s)));
  }
  return st;
}

// @ts-ignore: decorator
@inline function statsRows<T>(z: usize, t: usize, w: usize, rows: i32, cols: i32, invT: f64, eps: f64, mode: i32,
  entropy: bool, classDot: bool, targets: bool, outM: usize, outLS: usize, outH: usize, outB: usize, outW: usize): i32 {
  let st = 0;
  for (let r = 0; r < rows; r += SUB) {
    const n = min(SUB, rows - r);
    const o = <usize>r << 3;
    const h = outH ? outH + o : 0, b = outB ? outB + o : 0, wo = outW ? outW + o : 0;
    const skip = <usize>r * <usize>cols * sizeof<T>();
    const tr = targets ? t + skip : 0;
    if (invT != 1) st |= statsChunk<T>(z + skip, tr, w, n, cols, invT, eps, mode, true, entropy, classDot, targets, outM + o, outLS + o, h, b, wo);
    else st |= statsChunk<T>(z + skip, tr, w, n, cols, invT, eps, mode, false, entropy, classDot, targets, outM + o, outLS + o, h, b, wo);
  }
  return st;
}

// One function per mode (not inlined into one): V8 allocates registers per function, and
// the modes' loops in one body spilled far more.
function stats0<T>(z: usize, w: usize, rows: i32, cols: i32, invT: f64, outM: usize, outLS: usize): i32 {
  return statsRows<T>(z, 0, w, rows, cols, invT, 0, 0, false, false, false, outM, outLS, 0, 0, 0);
}
function statsE<T>(z: usize, w: usize, rows: i32, cols: i32, invT: f64, outM: usize, outLS: usize, outH: usize): i32 {
  return statsRows<T>(z, 0, w, rows, cols, invT, 0, ENTROPY, true, false, false, outM, outLS, outH, 0, 0);
}
function statsB<T>(z: usize, w: usize, rows: i32, cols: i32, invT: f64, outM: usize, outLS: usize, outB: usize): i32 {
  return statsRows<T>(z, 0, w, rows, cols, invT, 0, CLASS_DOT, false, true, false, outM, outLS, 0, outB, 0);
}
function statsEB<T>(z: usize, w: usize, rows: i32, cols: i32, invT: f64, outM: usize, outLS: usize, outH: usize, outB: usize): i32 {
  return statsRows<T>(z, 0, w, rows, cols, invT, 0, ENTROPY | CLASS_DOT, true, true, false, outM, outLS, outH, outB, 0);
}
function statsT<T>(z: usize, t: usize, w: usize, rows: i32, cols: i32, invT: f64, eps: f64, outM: usize, outLS: usize,
  outB: usize, outW: usize): i32 {
  return statsRows<T>(z, t, w, rows, cols, invT, eps, TARGETS, false, false, true, outM, outLS, 0, outB, outW);
}
function statsET<T>(z: usize, t: usize, w: usize, rows: i32, cols: i32, invT: f64, eps: f64, outM: usize, outLS: usize,
  outH: usize, outB: usize, outW: usize): i32 {
  return statsRows<T>(z, t, w, rows, cols, invT, eps, ENTROPY | TARGETS, true, false, true, outM, outLS, outH, outB, outW);
}

/**
 * softmaxStatsRows (softmax.ts) for 2 <= cols <= 32 and modes 0, ENTROPY, CLASS_DOT,
 * ENTROPY | CLASS_DOT, TARGETS and ENTROPY | TARGETS, with 1/T in T's safe range: the same
 * per-row outputs (outM, outLS, outH, outB, outW) and status, the rows across lanes. Inputs
 * need 16 bytes of slack after the last row (the arena gives 32). Other shapes, modes and
 * temperatures, and the build without SIMD: the row kernel. This is the one place that picks
 * between the two (the adapter always calls the short-row entries).
 */
export function shortStatsRows<T>(z: usize, t: usize, w: usize, rows: i32, cols: i32, invT: f64, eps: f64, mode: i32,
  outM: usize, outLS: usize, outH: usize, outB: usize, outW: usize): i32 {
  if (ASC_FEATURE_SIMD && shortWidth(cols) && safeInvT<T>(invT) && (mode & ~(ENTROPY | CLASS_DOT | TARGETS)) == 0
    && (mode & (CLASS_DOT | TARGETS)) != (CLASS_DOT | TARGETS)) {
    switch (mode) {
      case 0: return stats0<T>(z, w, rows, cols, invT, outM, outLS);
      case ENTROPY: return statsE<T>(z, w, rows, cols, invT, outM, outLS, outH);
      case CLASS_DOT: return statsB<T>(z, w, rows, cols, invT, outM, outLS, outB);
      case ENTROPY | CLASS_DOT: return statsEB<T>(z, w, rows, cols, invT, outM, outLS, outH, outB);
      case TARGETS: return statsT<T>(z, t, w, rows, cols, invT, eps, outM, outLS, outB, outW);
      default: return statsET<T>(z, t, w, rows, cols, invT, eps, outM, outLS, outH, outB, outW);
    }
  }
  return softmaxStatsRows<T>(z, t, w, rows, cols, invT, eps, mode, outM, outLS, outH, outB, outW);
}

/** acc[0]: the sum of the per-row losses, acc[1]: of the kept rows' w_y (the 'mean' denominator). */
let lossSum = 0.0, weightSum = 0.0;

/**
 * Cross entropy against class indices from the row statistics (outM, outLS and, with label
 * smoothing, outB, as softmaxStats / shortStats write them), per row into out (f64; 0: not
 * stored), in the same f64 operations as the JS side (src/measures/losses.ts), so every
 * backend agrees:
 *   nll = ls + (m - z_y) / T,   loss = scale * ((1 - eps) w_y nll + eps / C (ls W + B / T))
 * (eps = 0: scale * w_y * nll); rows whose label is `ignore` get 0. Checks the labels (in
 * [0, cols) or ignore; `ignore` outside the int32 range matches none): returns INVALID at
 * the first other one (the caller then names it), else 0. Adds the losses to lossSum and
 * w_y over the kept rows to weightSum. `w`: class weights in T (0: none); W: their sum
 * (cols without weights).
 */
// @ts-ignore: decorator
@inline function classLosses<T>(z: usize, y: usize, w: usize, rows: i32, cols: i32, invT: f64, eps: f64,
  ignore: f64, wsum: f64, scale: f64, outM: usize, outLS: usize, outB: usize, out: usize): i32 {
  const smooth = eps / <f64>cols;
  const ign = ignore >= -2147483648 && ignore <= 2147483647 ? <i32>ignore : 0;
  const hasIgnore = ignore >= -2147483648 && ignore <= 2147483647;
  let sum = 0.0, den = 0.0;
  let r = 0;
  if (ASC_FEATURE_SIMD) { // two rows per f64x2: the same f64 operations, selects instead of branches
    const zero = f64x2.splat(0), one = f64x2.splat(1), iv = f64x2.splat(invT), sc = f64x2.splat(scale);
    const cv = i32x4.splat(cols), iw = i32x4.splat(ign), keepAll = hasIgnore ? i32x4.splat(0) : i32x4.splat(-1);
    const e1 = f64x2.splat(1 - eps), sm = f64x2.splat(smooth), ws = f64x2.splat(wsum);
    let sv = zero, dv = zero;
    for (; r + 2 <= rows; r += 2) {
      const o = <usize>r << 3;
      const yv = v128.load64_zero(y + (<usize>r << 2)); // lanes 2-3: 0, a class index
      const ig = v128.andnot(i32x4.eq(yv, iw), keepAll);
      if (v128.any_true(v128.andnot(v128.not(i32x4.lt_u(yv, cv)), ig))) return INVALID;
      const kk = v128.andnot(yv, ig); // ignored rows read column 0
      const k0 = i32x4.extract_lane(kk, 0), k1 = i32x4.extract_lane(kk, 1);
      const row0 = z + (<usize>(r * cols) << alignof<T>());
      const zy = f64x2.replace_lane(f64x2.splat(<f64>load<T>(row0 + (<usize>k0 << alignof<T>()))), 1,
        <f64>load<T>(row0 + (<usize>(cols + k1) << alignof<T>())));
      const ls = v128.load(outLS + o);
      const gap = f64x2.sub(v128.load(outM + o), zy);
      const nll = f64x2.add(ls, v128.bitselect(zero, f64x2.mul(gap, iv), f64x2.eq(gap, zero)));
      const wy = w ? f64x2.replace_lane(f64x2.splat(<f64>load<T>(w + (<usize>k0 << alignof<T>()))), 1,
        <f64>load<T>(w + (<usize>k1 << alignof<T>()))) : one;
      let v = f64x2.mul(wy, nll);
      if (outB) {
        const b = v128.load(outB + o);
        v = f64x2.add(f64x2.mul(f64x2.mul(e1, wy), nll), f64x2.mul(sm, f64x2.add(f64x2.mul(ls, ws),
          v128.bitselect(zero, f64x2.mul(b, iv), f64x2.eq(b, zero)))));
      }
      const ig64 = i64x2.extend_low_i32x4_s(ig);
      v = v128.andnot(f64x2.mul(v, sc), ig64);
      if (out) v128.store(out + o, v);
      sv = f64x2.add(sv, v);
      dv = f64x2.add(dv, v128.andnot(wy, ig64));
    }
    sum = f64x2.extract_lane(sv, 0) + f64x2.extract_lane(sv, 1);
    den = f64x2.extract_lane(dv, 0) + f64x2.extract_lane(dv, 1);
  }
  for (; r < rows; r++) {
    const o = <usize>r << 3;
    const k = load<i32>(y + (<usize>r << 2));
    if (k == ign && hasIgnore) { if (out) store<f64>(out + o, 0); continue; }
    if (<u32>k >= <u32>cols) return INVALID;
    const wy = w ? <f64>load<T>(w + (<usize>k << alignof<T>())) : 1.0;
    const ls = load<f64>(outLS + o);
    const gap = load<f64>(outM + o) - <f64>load<T>(z + (<usize>(r * cols + k) << alignof<T>()));
    const nll = ls + (gap == 0 ? 0 : gap * invT);
    let v = wy * nll;
    if (outB) {
      const b = load<f64>(outB + o);
      v = (1 - eps) * wy * nll + smooth * (ls * wsum + (b == 0 ? 0 : b * invT));
    }
    v *= scale;
    if (out) store<f64>(out + o, v);
    sum += v;
    den += wy;
  }
  lossSum += sum;
  weightSum += den;
  return 0;
}

// The fused kernel's statistics, SUB rows at a time.
let SM: usize = CORR + SUB * 8;
let SLS: usize = SM + SUB * 8;
let SB: usize = SLS + SUB * 8;

/** Move this instance's short-row scratch to [at, at + SHORT_SCRATCH_BYTES), 16-byte aligned. */
export function setShortScratch(at: usize): void {
  SCRATCH = at;
  SCRATCH2 = at + SHORT_MAX_COLS * 16;
  EXPS = SCRATCH2 + SHORT_MAX_COLS * 16;
  GAPS = EXPS + 64;
  CORR = GAPS + 64;
  SM = CORR + SUB * 8;
  SLS = SM + SUB * 8;
  SB = SLS + SUB * 8;
}

/**
 * softmaxCrossEntropy against class indices, fused: SUB rows at a time, their statistics
 * (statsChunk: mode 0, or CLASS_DOT for label smoothing) then classLosses, so the statistics
 * stay in L1 and the labels are checked on the way. Across lanes for 2 <= cols <= 32 with 1/T
 * in T's safe range on the SIMD build (as shortStatsRows); else the row kernel's statistics.
 * Per-row losses to out (0: only the sums); acc[0] = the sum of the losses, acc[1] = of the
 * kept rows' w_y; returns INVALID at the first bad label (classLosses), else 0.
 */
export function shortClassCrossEntropyRows<T>(z: usize, y: usize, w: usize, rows: i32, cols: i32, invT: f64, eps: f64,
  ignore: f64, wsum: f64, scale: f64, out: usize, acc: usize): i32 {
  lossSum = 0; weightSum = 0;
  const smoothing = eps > 0;
  const rb = <usize>cols * sizeof<T>();
  let st = 0;
  const lanes = ASC_FEATURE_SIMD && shortWidth(cols) && safeInvT<T>(invT);
  for (let r = 0; r < rows && st == 0; r += SUB) {
    const n = min(SUB, rows - r);
    const p = z + <usize>r * rb;
    if (lanes) {
      if (smoothing) {
        if (invT != 1) statsChunk<T>(p, 0, w, n, cols, invT, 0, CLASS_DOT, true, false, true, false, SM, SLS, 0, SB, 0);
        else statsChunk<T>(p, 0, w, n, cols, invT, 0, CLASS_DOT, false, false, true, false, SM, SLS, 0, SB, 0);
      } else if (invT != 1) statsChunk<T>(p, 0, w, n, cols, invT, 0, 0, true, false, false, false, SM, SLS, 0, 0, 0);
      else statsChunk<T>(p, 0, w, n, cols, invT, 0, 0, false, false, false, false, SM, SLS, 0, 0, 0);
    } else {
      softmaxStatsRows<T>(p, 0, w, n, cols, invT, 0, smoothing ? CLASS_DOT : 0, SM, SLS, 0, smoothing ? SB : 0, 0);
    }
    st = classLosses<T>(p, y + (<usize>r << 2), w, n, cols, invT, eps, ignore, wsum, scale, SM, SLS, smoothing ? SB : 0,
      out ? out + (<usize>r << 3) : 0);
  }
  store<f64>(acc, lossSum); store<f64>(acc, weightSum, 8);
  return st;
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
  if (!ASC_FEATURE_SIMD || !shortWidth(cols)) return entropyRows<T>(p, rows, cols, scale, out);
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

// ------------------------------------------------------------------ cross entropy, KL
/**
 * out[r] = scale * measure(p_r, q_r) for 2 <= cols <= 32 (pairRows otherwise), p and q
 * transposed as above, the row kernel's terms (distributions.ts) summed in f64 per lane:
 * cross entropy -sum p log q (crossEntropyRow: p zero or normal, q positive normal; q = 0
 * is 0 log 0 or +Infinity), KL sum p log(p / q) (klRow: the ratio, 1 where p = 0, must be
 * positive normal, q zero or normal), JSD (jsRow: p and q zero or normal; a block with a row
 * below JS_CANCELS, or a NaN sum, takes pairRows and its accurate form). Blocks with other
 * values go to the row kernel.
 * Returns the status word.
 */
// @ts-ignore: decorator
@inline function shortPairRows<T>(kind: i32, p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 {
  if (!ASC_FEATURE_SIMD || !shortWidth(cols)) return pairRows<T>(kind, p, q, rows, cols, scale, out);
  const L = 16 / sizeof<T>();
  const rb = <usize>cols * sizeof<T>();
  const sv = f64x2.splat(scale), zero = f64x2.splat(0), half = f64x2.splat(0.5), cancels = f64x2.splat(JS_CANCELS);
  const tiny = splat<T>(sizeof<T>() == 4 ? 1.1754943508222875e-38 : 2.2250738585072014e-308); // as jsRow
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
      let t: v128;
      if (kind == JS) { // jsRow's terms (a NaN one: a ratio came out subnormal, see jsTerms)
        lo = trackZeroLo<T>(trackZeroLo<T>(lo, x), y);
        hi = trackZeroHi<T>(trackZeroHi<T>(hi, x), y);
        t = jsTerms<T>(x, y, tiny);
      } else if (kind == KL) {
        const ratio = klRatio<T>(x, y);
        lo = trackZeroLo<T>(trackPosLo<T>(lo, ratio), y);
        hi = trackZeroHi<T>(trackPosHi<T>(hi, ratio), y);
        t = vmul<T>(x, vlogNormal<T>(ratio));
      } else {
        lo = trackPosLo<T>(trackZeroLo<T>(lo, x), y);
        hi = trackPosHi<T>(trackZeroHi<T>(hi, x), y);
        t = vmul<T>(x, vlogNormal<T>(y));
      }
      a0 = accLo<T>(a0, t); a1 = accHi<T>(a1, t);
    }
    if (kind == JS) { // v = sum / 2, as jsRow; rows below JS_CANCELS (or NaN) take pairRows' accurate form
      const v0 = f64x2.mul(half, a0), v1 = f64x2.mul(half, a1);
      const redo = sizeof<T>() == 4 ? v128.or(v128.not(f64x2.ge(v0, cancels)), v128.not(f64x2.ge(v1, cancels))) : v128.not(f64x2.ge(v0, cancels));
      if (trackedSpecial<T>(lo, hi) || v128.any_true(redo)) {
        st |= pairRows<T>(kind, pr, qr, L, cols, scale, out + o);
        continue;
      }
      v128.store(out + o, f64x2.mul(sv, v0));
      if (sizeof<T>() == 4) v128.store(out + o, f64x2.mul(sv, v1), 16);
      continue;
    }
    if (trackedSpecial<T>(lo, hi)) {
      st |= pairRows<T>(kind, pr, qr, L, cols, scale, out + o);
      continue;
    }
    if (kind == KL) { // scale * sum, as pairRows
      v128.store(out + o, f64x2.mul(sv, a0));
      if (sizeof<T>() == 4) v128.store(out + o, f64x2.mul(sv, a1), 16);
    } else { // scale * (0 - sum)
      v128.store(out + o, f64x2.mul(sv, f64x2.sub(zero, a0)));
      if (sizeof<T>() == 4) v128.store(out + o, f64x2.mul(sv, f64x2.sub(zero, a1)), 16);
    }
  }
  if (r < rows) st |= pairRows<T>(kind, p + <usize>r * rb, q + <usize>r * rb, rows - r, cols, scale, out + (<usize>r << 3));
  status = st;
  return st;
}

/** shortPairRows for cross entropy: out[r] = scale * H(p_r, q_r). */
export function shortCrossEntropyRows<T>(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 {
  return shortPairRows<T>(CROSS_ENTROPY, p, q, rows, cols, scale, out);
}

/** shortPairRows for Jensen-Shannon: out[r] = scale * JSD(p_r, q_r) (rows below 1e-3 nats: pairRows). */
export function shortJsRows<T>(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 {
  return shortPairRows<T>(JS, p, q, rows, cols, scale, out);
}

/** shortPairRows for KL: out[r] = scale * D(p_r || q_r). */
export function shortKlRows<T>(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 {
  return shortPairRows<T>(KL, p, q, rows, cols, scale, out);
}
