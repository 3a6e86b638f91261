// Rows of logits: the softmax family and the losses built on it, fused so that no
// softmax matrix is materialised. Per row, with m the raw row maximum and
// d_c = (z_c - m) / T (<= 0), e_c = exp(d_c), s = sum e_c:
//   log-sum-exp        = m / T + log s
//   softmax entropy    = log s - (sum e_c d_c) / s                 (both terms >= 0)
//   cross entropy      = log s * W + B / T,  W = sum a_c, B = sum a_c (m - z_c) >= 0
// for target weights a_c (class weights times a probability or a smoothed one-hot
// target). Every sum has terms of one sign, so none of them cancels. Pass 1 finds m,
// pass 2 does the rest while the row is in cache. The exps are in T (full range: no
// special-value fallback needed); all sums and the final logs are f64.
import {
  INVALID, status, lanes, at, sexp, vsplat, vsub, vmul, vadd, vpmax, veq, vne, vexp, vloadRow, vloadTail, keepMask, hsum,
  sumLo, sumHi, sum2Lo, sum2Hi, trackInitLo, trackInitHi, trackZeroLo2, trackZeroHi2, trackedSpecial,
} from "./lanes";
import { logd, logd2Normal } from "../math/log";
import { expd, expd2 } from "../math/exp";

// Per-row outputs (f64 arrays, written when the pointer is not 0).
// mode bits of softmaxStats:
const ENTROPY: i32 = 1; // sum e d, for the entropy of the softmax
const CLASS_DOT: i32 = 2; // sum w_c (m - z_c): label smoothing with class indices
const TARGETS: i32 = 4; // probability targets: B and W
const PARTIAL: i32 = 8; // maxima given in outM, raw sums out (a block of a wide row)

/** Most negative finite T: stands in for d = -Infinity in e * d (e is 0 there). */
// @ts-ignore: decorator
@inline function lowest<T>(): f64 { return sizeof<T>() == 4 ? -3.4028234663852886e38 : -1.7976931348623157e308; }

// ------------------------------------------------------------------ pass 1: max
/** The row's largest value; NaN if the row holds a NaN (as torch.max), so NaN reaches every result. */
export function rowMax<T>(z: usize, n: i32): T {
  let m = <T>-Infinity;
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    const ninf = vsplat<T>(-Infinity);
    let a = ninf, b = ninf, nan = i32x4.splat(0);
    for (let i = 0; i < n; i += 2 * L) {
      const x = vloadRow<T>(z, i, n, ninf), y = vloadRow<T>(z, i + L, n, ninf);
      a = vpmax<T>(a, x); // one instruction; NaN is tracked apart
      b = vpmax<T>(b, y);
      nan = v128.or(nan, v128.or(vne<T>(x, x), vne<T>(y, y)));
    }
    if (v128.any_true(nan)) return <T>NaN;
    a = vpmax<T>(a, b);
    if (sizeof<T>() == 4) {
      const x0 = f32x4.extract_lane(a, 0), x1 = f32x4.extract_lane(a, 1);
      const x2 = f32x4.extract_lane(a, 2), x3 = f32x4.extract_lane(a, 3);
      m = <T>max<f32>(max<f32>(x0, x1), max<f32>(x2, x3));
    } else {
      m = <T>max<f64>(f64x2.extract_lane(a, 0), f64x2.extract_lane(a, 1));
    }
    return m;
  }
  for (let i = 0; i < n; i++) {
    const v = load<T>(at<T>(z, i));
    if (v > m) m = v;
    else if (v != v) return v;
  }
  return m;
}

// ------------------------------------------------------ pass 2, scalar definition
// Writes the row's sums to the globals below (AssemblyScript has no multiple returns).
let sumE: f64 = 0, sumED: f64 = 0, sumB: f64 = 0, sumW: f64 = 0;

function statsScalar<T>(z: usize, t: usize, w: usize, n: i32, m: T, invT: T, eps: T, mode: i32): void {
  let s = 0.0, ed = 0.0, bb = 0.0, ww = 0.0;
  const smooth = eps / <T>n;
  for (let i = 0; i < n; i++) {
    const x = load<T>(at<T>(z, i));
    const d = (x - m) * invT;
    const e = sexp<T>(d);
    s += <f64>e;
    if (mode & ENTROPY) ed += <f64>(e * max<T>(d, <T>lowest<T>()));
    if (mode & CLASS_DOT) {
      const wc = w ? load<T>(at<T>(w, i)) : <T>1;
      if (wc != 0) bb += <f64>(wc * (m - x));
    }
    if (mode & TARGETS) {
      const tc = load<T>(at<T>(t, i));
      if (!(tc >= <T>0)) { // negative or NaN target: flagged, and the row's loss is NaN
        status |= INVALID;
        bb = NaN;
      }
      const a = (w ? load<T>(at<T>(w, i)) : <T>1) * (tc * (<T>1 - eps) + smooth);
      if (a != 0) bb += <f64>(a * (m - x)); // a = 0: 0, even where z = -Infinity
      ww += <f64>a;
    }
  }
  sumE = s; sumED = ed; sumB = bb; sumW = ww;
}

/**
 * The scalar definition in f64 for temperatures whose 1/T leaves T's safe range (T below
 * ~1e-20 or above ~1e20 for f32): d = (x - m) / T is formed from halves so x - m cannot
 * overflow, and d = 0 where x is the maximum (0 * Infinity would be NaN). Tiny T gives the
 * argmax answer (softmax one-hot), huge T the uniform one, as the f64 JS backend does.
 */
function statsWide<T>(z: usize, t: usize, w: usize, n: i32, m: f64, invT: f64, eps: f64, mode: i32): void {
  let s = 0.0, ed = 0.0, bb = 0.0, ww = 0.0;
  const smooth = eps / <f64>n;
  for (let i = 0; i < n; i++) {
    const x = <f64>load<T>(at<T>(z, i));
    const d = scaledGap(x, m, invT);
    const e = expd(d);
    s += e;
    if (mode & ENTROPY) ed += e * max<f64>(d, -1.7976931348623157e308);
    if (mode & CLASS_DOT) {
      const wc = w ? <f64>load<T>(at<T>(w, i)) : 1.0;
      if (wc != 0) bb += wc * (m - x);
    }
    if (mode & TARGETS) {
      const tc = <f64>load<T>(at<T>(t, i));
      if (!(tc >= 0)) {
        status |= INVALID;
        bb = NaN;
      }
      const a = (w ? <f64>load<T>(at<T>(w, i)) : 1.0) * (tc * (1 - eps) + smooth);
      if (a != 0) bb += a * (m - x);
      ww += a;
    }
  }
  sumE = s; sumED = ed; sumB = bb; sumW = ww;
}

/** (x - m) * invT without overflow in x - m, and 0 at the maximum whatever invT is. */
// @ts-ignore: decorator
@inline export function scaledGap(x: f64, m: f64, invT: f64): f64 {
  return x - m == 0 ? 0 : (0.5 * x - 0.5 * m) * (2 * invT); // an infinite maximum stays NaN, as PyTorch
}

/** Is 1/T safe for the T-typed fast paths (see statsWide)? */
// @ts-ignore: decorator
@inline export function safeInvT<T>(invT: f64): bool {
  if (sizeof<T>() == 4) return invT >= 1e-20 && invT <= 1e20;
  return invT >= 1e-280 && invT <= 1e280;
}

// ---------------------------------------------------------- pass 2, SIMD
// @ts-ignore: decorator
@inline function statsSimd<T>(z: usize, t: usize, w: usize, n: i32, m: T, invT: T, eps: T,
  entropy: bool, classDot: bool, targets: bool): bool {
  const L = lanes<T>();
  const ninf = vsplat<T>(-Infinity), zero = vsplat<T>(0);
  const mv = vsplat<T>(<f64>m), iv = vsplat<T>(<f64>invT), lo_d = vsplat<T>(lowest<T>());
  const keep = vsplat<T>(<f64>(<T>1 - eps)), smooth = vsplat<T>(<f64>(eps / <T>n)), one = vsplat<T>(1);
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let h0 = f64x2.splat(0), h1 = f64x2.splat(0);
  let b0 = f64x2.splat(0), b1 = f64x2.splat(0);
  let w0 = f64x2.splat(0), w1 = f64x2.splat(0);
  let lo = trackInitLo<T>(), hi = trackInitHi<T>();
  for (let i = 0; i < n; i += 2 * L) {
    const x = vloadRow<T>(z, i, n, ninf), y = vloadRow<T>(z, i + L, n, ninf);
    const dx = vmul<T>(vsub<T>(x, mv), iv), dy = vmul<T>(vsub<T>(y, mv), iv);
    const ex = vexp<T>(dx), ey = vexp<T>(dy);
    s0 = sum2Lo<T>(s0, ex, ey);
    s1 = sum2Hi<T>(s1, ex, ey);
    if (entropy) {
      const tx = vmul<T>(ex, vpmax<T>(dx, lo_d)), ty = vmul<T>(ey, vpmax<T>(dy, lo_d));
      h0 = sum2Lo<T>(h0, tx, ty);
      h1 = sum2Hi<T>(h1, tx, ty);
    }
    if (classDot || targets) {
      // no weights: ones in the row's lanes, zero past its end
      let ax = w ? vloadRow<T>(w, i, n, zero) : v128.and(one, keepMask<T>(n - i));
      let ay = w ? vloadRow<T>(w, i + L, n, zero) : v128.and(one, keepMask<T>(n - i - L));
      if (targets) {
        const cx = vloadRow<T>(t, i, n, zero), cy = vloadRow<T>(t, i + L, n, zero);
        lo = trackZeroLo2<T>(lo, cx, cy); // negative or NaN targets: the scalar path flags them
        hi = trackZeroHi2<T>(hi, cx, cy);
        ax = vmul<T>(ax, vadd<T>(vmul<T>(cx, keep), smooth));
        ay = vmul<T>(ay, vadd<T>(vmul<T>(cy, keep), smooth));
        w0 = sum2Lo<T>(w0, ax, ay);
        w1 = sum2Hi<T>(w1, ax, ay);
      }
      // a = 0 (tail lanes, zero weights or targets): the term is 0, even where z = -Infinity
      const bx = v128.andnot(vmul<T>(ax, vsub<T>(mv, x)), veq<T>(ax, zero));
      const by = v128.andnot(vmul<T>(ay, vsub<T>(mv, y)), veq<T>(ay, zero));
      b0 = sum2Lo<T>(b0, bx, by);
      b1 = sum2Hi<T>(b1, bx, by);
    }
  }
  if (targets && trackedSpecial<T>(lo, hi)) return false;
  sumE = hsum(s0, s1); sumED = hsum(h0, h1); sumB = hsum(b0, b1); sumW = hsum(w0, w1);
  return true;
}

function statsRow<T>(z: usize, t: usize, w: usize, n: i32, m: T, invT: T, eps: T, mode: i32): void {
  if (ASC_FEATURE_SIMD) {
    // Each combination its own loop: the flags are constants once inlined.
    let done: bool;
    switch (mode) {
      case 0: done = statsSimd<T>(z, t, w, n, m, invT, eps, false, false, false); break;
      case ENTROPY: done = statsSimd<T>(z, t, w, n, m, invT, eps, true, false, false); break;
      case CLASS_DOT: done = statsSimd<T>(z, t, w, n, m, invT, eps, false, true, false); break;
      case ENTROPY | CLASS_DOT: done = statsSimd<T>(z, t, w, n, m, invT, eps, true, true, false); break;
      case TARGETS: done = statsSimd<T>(z, t, w, n, m, invT, eps, false, false, true); break;
      default: done = statsSimd<T>(z, t, w, n, m, invT, eps, true, false, true); break; // ENTROPY | TARGETS
    }
    if (done) return;
  }
  statsScalar<T>(z, t, w, n, m, invT, eps, mode);
}

/**
 * Per row: outM = max z, outLS = log sum exp((z - m) / T), and by mode outH = softmax
 * entropy, outB = sum a_c (m - z_c), outW = sum a_c. `w` holds per-class weights (T, cols
 * of them; 0: none, all ones) for CLASS_DOT and TARGETS; `t` the probability targets for
 * TARGETS. With PARTIAL the row maxima are read from outM and the raw sums are written
 * (s, sum e d, B, W): the JS side streams a row too wide for one chunk block by block and
 * finishes the sums itself.
 */
export function softmaxStatsRows<T>(z: usize, t: usize, w: usize, rows: i32, cols: i32, invT: f64, eps: f64,
  mode: i32, outM: usize, outLS: usize, outH: usize, outB: usize, outW: usize): i32 {
  status = 0;
  const partial = (mode & PARTIAL) != 0;
  mode &= ~PARTIAL;
  const safe = safeInvT<T>(invT);
  for (let r = 0; r < rows; r++) {
    const row = at<T>(z, r * cols);
    const o = <usize>r << 3;
    const m = partial ? <T>load<f64>(outM + o) : rowMax<T>(row, cols);
    const trow = t ? at<T>(t, r * cols) : 0;
    if (safe) statsRow<T>(row, trow, w, cols, m, <T>invT, <T>eps, mode);
    else statsWide<T>(row, trow, w, cols, <f64>m, invT, eps, mode);
    if (!partial) store<f64>(outM + o, <f64>m);
    store<f64>(outLS + o, sumE); // its log is taken below, for the whole chunk at once
    if (outH) store<f64>(outH + o, partial ? sumED : sumED / sumE);
    if (outB) store<f64>(outB + o, sumB);
    if (outW) store<f64>(outW + o, sumW);
  }
  if (partial) return status;
  // log s for every row, two per f64x2: one scalar log per row was a quarter of the time
  // on short rows (a long dependency chain each). s lies in [1, cols] (its largest term
  // is exp(0)) or is NaN, so the normal core applies with NaN passed through.
  let r = 0;
  if (ASC_FEATURE_SIMD) {
    for (; r + 2 <= rows; r += 2) {
      const p = outLS + (<usize>r << 3);
      const s = v128.load(p);
      v128.store(p, v128.bitselect(logd2Normal(s), s, f64x2.eq(s, s)));
    }
  }
  for (; r < rows; r++) store<f64>(outLS + (<usize>r << 3), logd(load<f64>(outLS + (<usize>r << 3))));
  if (outH) { // entropy = log s - (sum e d) / s
    for (let k = 0; k < rows; k++) {
      const o = <usize>k << 3;
      store<f64>(outH + o, load<f64>(outLS + o) - load<f64>(outH + o));
    }
  }
  return status;
}

// ------------------------------------------------------- softmax / log-softmax rows
/** out = softmax(z / T) (logOut false) or log_softmax(z / T), row by row, in T. */
export function softmaxRows<T>(z: usize, rows: i32, cols: i32, invT: f64, logOut: bool, out: usize): void {
  const L = lanes<T>();
  if (!safeInvT<T>(invT)) {
    for (let r = 0; r < rows; r++) {
      const row = at<T>(z, r * cols);
      const m = <f64>rowMax<T>(row, cols);
      statsWide<T>(row, 0, 0, cols, m, invT, 0, 0);
      softmaxBlock<T>(row, cols, m, invT, sumE, logOut, at<T>(out, r * cols));
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const row = at<T>(z, r * cols), orow = at<T>(out, r * cols);
    const m = rowMax<T>(row, cols);
    const iv = <T>invT;
    // pass 2: e = exp(d), stored for softmax; s in f64
    let s = 0.0;
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      const mv = vsplat<T>(<f64>m), ivv = vsplat<T>(<f64>iv);
      let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
      for (; i + L <= cols; i += L) {
        const e = vexp<T>(vmul<T>(vsub<T>(v128.load(at<T>(row, i)), mv), ivv));
        if (!logOut) v128.store(at<T>(orow, i), e);
        s0 = sumLo<T>(s0, e);
        s1 = sumHi<T>(s1, e);
      }
      s = hsum(s0, s1);
    }
    for (; i < cols; i++) {
      const e = sexp<T>((load<T>(at<T>(row, i)) - m) * iv);
      if (!logOut) store<T>(at<T>(orow, i), e);
      s += <f64>e;
    }
    // pass 3: normalise (softmax) or subtract log s in f64, rounded once (log-softmax)
    i = 0;
    if (logOut) {
      const ls = logd(s);
      if (ASC_FEATURE_SIMD && sizeof<T>() == 4) {
        const mv = f32x4.splat(<f32>m), ivv = f32x4.splat(<f32>iv), lsv = f64x2.splat(ls);
        for (; i + 4 <= cols; i += 4) {
          const d = f32x4.mul(f32x4.sub(v128.load(at<T>(row, i)), mv), ivv);
          const lo = f64x2.sub(f64x2.promote_low_f32x4(d), lsv);
          const hi = f64x2.sub(f64x2.promote_low_f32x4(i32x4.shuffle(d, d, 2, 3, 2, 3)), lsv);
          v128.store(at<T>(orow, i), i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
        }
      } else if (ASC_FEATURE_SIMD) {
        const mv = f64x2.splat(<f64>m), ivv = f64x2.splat(<f64>iv), lsv = f64x2.splat(ls);
        for (; i + 2 <= cols; i += 2) {
          v128.store(at<T>(orow, i), f64x2.sub(f64x2.mul(f64x2.sub(v128.load(at<T>(row, i)), mv), ivv), lsv));
        }
      }
      for (; i < cols; i++) store<T>(at<T>(orow, i), <T>(<f64>((load<T>(at<T>(row, i)) - m) * iv) - ls));
    } else {
      const inv = <T>(1.0 / s);
      if (ASC_FEATURE_SIMD) {
        const v = vsplat<T>(<f64>inv);
        for (; i + L <= cols; i += L) v128.store(at<T>(orow, i), vmul<T>(v128.load(at<T>(orow, i)), v));
      }
      for (; i < cols; i++) store<T>(at<T>(orow, i), load<T>(at<T>(orow, i)) * inv);
    }
  }
}

/**
 * out = softmax(z / T) or log_softmax(z / T) of n values given the row's maximum m and
 * its sum s = sum exp((z - m) / T): a block of a row too wide for one chunk, or a row
 * whose 1/T leaves T's safe range. In f64, rounded once to T.
 */
export function softmaxBlock<T>(z: usize, n: i32, m: f64, invT: f64, s: f64, logOut: bool, out: usize): void {
  const ls = logd(s);
  for (let i = 0; i < n; i++) {
    const d = scaledGap(<f64>load<T>(at<T>(z, i)), m, invT);
    store<T>(at<T>(out, i), <T>(logOut ? d - ls : expd(d) / s));
  }
}

// ------------------------------------------------------------ distillation
// T^2 KL(softmax(t/T) || softmax(s/T)) per row, in f64 (src/backend/js.ts distillRow is the
// same algorithm). The direct form A/St + log Ss - log St is a small difference of two
// log-partition functions: its error grows as T^2 (T = 1e7 lost 7%). Instead, with
// q = softmax(s/T), a = t - s and b = a - mean_q(a), p is q tilted by e^(b/T), so
// KL = sum q b' expm1(b' - L) - L with b' = b/T and L = log1p(sum q expm1(b')), where no two
// large terms cancel; and where max|b|/T < 1e-3 the cumulant series (to k6)
// T^2 KL = k2/2 + k3/(3T) + k4/(8T^2) + ... is exact to f64 with no T^2 to overflow. Rows with
// non-finite logits keep the direct form. Scalar f64 in both builds: distillation is not a
// hot path, and the passes need expm1 / log1p.

// @ts-ignore: decorator
@inline function ld<T>(p: usize, i: i32): f64 { return <f64>load<T>(at<T>(p, i)); }

function expm1MinusX(b: f64): f64 {
  if (abs<f64>(b) >= 0.1) return Math.expm1(b) - b;
  let term = b * b / 2, sum = term;
  for (let k = 3; k < 20 && abs<f64>(term) > 1e-18 * abs<f64>(sum); k++) sum += (term *= b / <f64>k);
  return sum;
}

function distillRow<T>(s: usize, t: usize, n: i32, invT: f64): f64 {
  const ms = <f64>rowMax<T>(s, n), mt = <f64>rowMax<T>(t, n);
  let finite = isFinite(ms) && isFinite(mt);
  for (let i = 0; i < n && finite; i++) finite = isFinite(ld<T>(s, i)) && isFinite(ld<T>(t, i));
  if (finite) {
    let Ss = 0.0, Qa = 0.0;
    for (let i = 0; i < n; i++) {
      const e = expd(scaledGap(ld<T>(s, i), ms, invT));
      Ss += e;
      Qa += e * (ld<T>(t, i) - ld<T>(s, i));
    }
    const abar = Qa / Ss;
    let bmax = 0.0;
    for (let i = 0; i < n; i++) bmax = max<f64>(bmax, abs<f64>(ld<T>(t, i) - ld<T>(s, i) - abar));
    if (bmax * invT < 1e-3) {
      let m1 = 0.0;
      for (let i = 0; i < n; i++) m1 += expd(scaledGap(ld<T>(s, i), ms, invT)) * (ld<T>(t, i) - ld<T>(s, i) - abar);
      m1 /= Ss; // the mean's rounding, removed before the central moments
      let m2 = 0.0, m3 = 0.0, m4 = 0.0, m5 = 0.0, m6 = 0.0;
      for (let i = 0; i < n; i++) {
        const e = expd(scaledGap(ld<T>(s, i), ms, invT)), b = ld<T>(t, i) - ld<T>(s, i) - abar - m1, b2 = b * b;
        m2 += e * b2; m3 += e * b2 * b; m4 += e * b2 * b2; m5 += e * b2 * b2 * b; m6 += e * b2 * b2 * b2;
      }
      m2 /= Ss; m3 /= Ss; m4 /= Ss; m5 /= Ss; m6 /= Ss;
      // T^2 KL = sum_k kappa_k tau^(k-2) (k-1)/k!, tau = 1/T, to kappa_6
      const k4 = m4 - 3 * m2 * m2, k5 = m5 - 10 * m3 * m2, k6 = m6 - 15 * m4 * m2 - 10 * m3 * m3 + 30 * m2 * m2 * m2;
      return m2 / 2 + invT * (m3 / 3 + invT * (k4 / 8 + invT * (k5 / 30 + invT * (k6 / 144))));
    }
    if (bmax * invT < 700) {
      let g = 0.0, lin = 0.0;
      for (let i = 0; i < n; i++) {
        const e = expd(scaledGap(ld<T>(s, i), ms, invT)), b = (ld<T>(t, i) - ld<T>(s, i) - abar) * invT;
        g += e * expm1MinusX(b);
        lin += e * b;
      }
      const L = Math.log1p((g + lin) / Ss);
      let K = 0.0;
      for (let i = 0; i < n; i++) {
        const e = expd(scaledGap(ld<T>(s, i), ms, invT)), b = (ld<T>(t, i) - ld<T>(s, i) - abar) * invT;
        K += e * b * Math.expm1(b - L);
      }
      // sum q b' e^(b' - L) - L holds for any mean of b'; K alone drops sum q b', zero but for abar's rounding,
      // which a teacher far above the student makes visible (1e-10 at 2^20): + lin keeps it
      return ((K + lin) / Ss - L) / invT / invT;
    }
  }
  let Ss = 0.0, St = 0.0, A = 0.0;
  for (let i = 0; i < n; i++) {
    const ds = scaledGap(ld<T>(s, i), ms, invT), dt = scaledGap(ld<T>(t, i), mt, invT);
    const et = expd(dt);
    Ss += expd(ds);
    St += et;
    if (et != 0) A += et * (dt - ds); // teacher probability 0: term 0
  }
  return (A / St + logd(Ss) - logd(St)) / invT / invT;
}

/** out[r] = T^2 KL(softmax(t_r / T) || softmax(s_r / T)) in nats. */
export function distillRows<T>(s: usize, t: usize, rows: i32, cols: i32, invT: f64, out: usize): void {
  for (let r = 0; r < rows; r++) {
    store<f64>(out + (<usize>r << 3), distillRow<T>(at<T>(s, r * cols), at<T>(t, r * cols), cols, invT));
  }
}
