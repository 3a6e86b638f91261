// Row-wise measures on probability rows: entropy, normalised entropy, cross entropy,
// KL divergence (probabilities or log-probabilities as first argument), Jensen-Shannon.
//
const LN2: f64 = 0.6931471805599453;

// Each measure has a scalar definition `*Scalar<T>` (every input value handled exactly,
// invalid ones flagged in `status`) — that is the whole of the scalar build — and a
// SIMD row `*Row<T>` that runs the fast path on the whole row (two vectors per
// iteration, then the last one or two with masked lanes holding a neutral value) and
// falls back to the scalar definition if the trackers saw a special value. Logs are in T; every row sum is
// accumulated in f64.
import {
  INVALID, status, lanes, at, slog, sexp, isPosNormal, vsplat, vadd, vmul, vdiv, vmax, vpmax, veq,
  vlogNormal, vloadTail, vloadRow, hsum, sumLo, sumHi, sum2Lo, sum2Hi, trackInitLo, trackInitHi,
  trackZeroLo, trackZeroHi, trackZeroLo2, trackZeroHi2, trackPosLo, trackPosHi, trackPosLo2,
  trackPosHi2, trackedSpecial,
} from "./lanes";
import { logd, logd2Normal } from "../math/log";
import { expf4, expd2 } from "../math/exp";

// @ts-ignore: decorator
@inline function flagIfNotProbability<T>(x: T): void {
  if (!(x >= <T>0)) status |= INVALID; // negative or NaN
}

/** A term with a negative or NaN input is NaN (so check: false never yields a plausible number). */
// @ts-ignore: decorator
@inline function validPair<T>(x: T, y: T): bool {
  const ok = x >= <T>0 && y >= <T>0;
  if (!ok) status |= INVALID;
  return ok;
}

/**
 * x * l in f64: in T for ordinary x (so the scalar definition matches the SIMD rows bit for
 * bit), in f64 for x >= 2^64 (the tracker's HUGE), where an f32 product could overflow. Only
 * the scalar definition sees such values: the trackers route their rows to it.
 */
// @ts-ignore: decorator
@inline function product<T>(x: T, l: T): f64 {
  if (sizeof<T>() == 4 && x >= <T>1.8446744073709552e19) return <f64>x * <f64>l;
  return <f64>(x * l);
}

// ---------------------------------------------------------------- entropy: -sum p log p
function entropyScalar<T>(p: usize, n: i32): f64 {
  let s = 0.0;
  for (let i = 0; i < n; i++) {
    const x = load<T>(at<T>(p, i));
    flagIfNotProbability<T>(x);
    if (x != 0) s += product<T>(x, slog<T>(x));
  }
  return 0.0 - s;
}

function entropyRow<T>(p: usize, n: i32): f64 {
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
    let lo = trackInitLo<T>(), hi = trackInitHi<T>();
    let i = 0;
    for (; i + 2 * L <= n; i += 2 * L) {
      const x = v128.load(at<T>(p, i)), y = v128.load(at<T>(p, i + L));
      lo = trackZeroLo2<T>(lo, x, y);
      hi = trackZeroHi2<T>(hi, x, y);
      const t = xlogx<T>(x), u = xlogx<T>(y);
      a0 = sum2Lo<T>(a0, t, u);
      a1 = sum2Hi<T>(a1, t, u);
    }
    for (; i < n; i += L) { // the last one or two vectors, masked
      const x = vloadRow<T>(p, i, n, vsplat<T>(0));
      lo = trackZeroLo<T>(lo, x);
      hi = trackZeroHi<T>(hi, x);
      const t = xlogx<T>(x);
      a0 = sumLo<T>(a0, t);
      a1 = sumHi<T>(a1, t);
    }
    if (!trackedSpecial<T>(lo, hi)) return 0.0 - hsum(a0, a1); // +0, not -0, for a point mass
  }
  return entropyScalar<T>(p, n);
}

/** x log x per lane; +0 lanes give 0 * finite = 0. */
// @ts-ignore: decorator
@inline function xlogx<T>(x: v128): v128 {
  return vmul<T>(x, vlogNormal<T>(x));
}

export function entropyRows<T>(p: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 {
  status = 0;
  for (let r = 0; r < rows; r++) {
    store<f64>(out + (<usize>r << 3), scale * entropyRow<T>(at<T>(p, r * cols), cols));
  }
  return status;
}

// ------------------------------------------- normalised entropy: H(p / sum p), SciPy's
// Two passes: the f64 row sum S, then -sum y log y with y = p / T(S) in T. Dividing by
// the T-rounded sum shifts every log by the same eps = T(S)/S - 1; that is corrected
// exactly per row: H = (1 + eps) H_c - log(1 + eps) ~ H_c + eps (H_c - 1).
export function sumRow<T>(p: usize, n: i32): f64 {
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
    let i = 0;
    for (; i + 2 * L <= n; i += 2 * L) {
      const x = v128.load(at<T>(p, i)), y = v128.load(at<T>(p, i + L));
      a0 = sum2Lo<T>(a0, x, y);
      a1 = sum2Hi<T>(a1, x, y);
    }
    for (; i < n; i += L) {
      const x = vloadRow<T>(p, i, n, vsplat<T>(0));
      a0 = sumLo<T>(a0, x);
      a1 = sumHi<T>(a1, x);
    }
    return hsum(a0, a1);
  }
  let s = 0.0;
  for (let i = 0; i < n; i++) s += <f64>load<T>(at<T>(p, i));
  return s;
}

function entropyNormalizedScalar<T>(p: usize, n: i32, S: f64): f64 {
  const St = <T>S;
  const inT = S > 0 && isPosNormal<T>(St);
  let s = 0.0;
  for (let i = 0; i < n; i++) {
    const x = load<T>(at<T>(p, i));
    if (!(x >= <T>0)) { // negative or NaN: flagged, and the row is NaN (y may underflow to -0)
      status |= INVALID;
      s = NaN;
    }
    if (x == 0) continue;
    if (inT) {
      const y = x / St;
      if (y != 0) s += <f64>(y * slog<T>(y));
    } else {
      // S is not finite or out of T's range: work in f64 (y may underflow to 0: adds 0).
      const y = <f64>x / S;
      if (y != 0) s += y * logd(y);
    }
  }
  return 0.0 - s;
}

/** -sum y log y over n values with y = p / T(S), before the correction for rounding S to T (normalizedFinish). */
export function entropyGivenSum<T>(p: usize, n: i32, S: f64): f64 {
  if (ASC_FEATURE_SIMD) {
    const St = <T>S;
    if (S > 0 && isPosNormal<T>(St)) {
      const L = lanes<T>();
      const sv = vsplat<T>(<f64>St);
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
      let lo = trackInitLo<T>(), hi = trackInitHi<T>();
      let i = 0;
      for (; i + 2 * L <= n; i += 2 * L) {
        const px = v128.load(at<T>(p, i)), py = v128.load(at<T>(p, i + L));
        // the inputs' validity (x / S can underflow a tiny negative to -0) and the ratios' domain
        lo = trackZeroLo2<T>(lo, px, py);
        hi = trackZeroHi2<T>(hi, px, py);
        const x = vdiv<T>(px, sv), y = vdiv<T>(py, sv);
        lo = trackZeroLo2<T>(lo, x, y);
        hi = trackZeroHi2<T>(hi, x, y);
        const t = xlogx<T>(x), u = xlogx<T>(y);
        a0 = sum2Lo<T>(a0, t, u);
        a1 = sum2Hi<T>(a1, t, u);
      }
      for (; i < n; i += L) {
        const px = vloadRow<T>(p, i, n, vsplat<T>(0));
        lo = trackZeroLo<T>(lo, px);
        hi = trackZeroHi<T>(hi, px);
        const x = vdiv<T>(px, sv);
        lo = trackZeroLo<T>(lo, x);
        hi = trackZeroHi<T>(hi, x);
        const t = xlogx<T>(x);
        a0 = sumLo<T>(a0, t);
        a1 = sumHi<T>(a1, t);
      }
      if (!trackedSpecial<T>(lo, hi)) return 0.0 - hsum(a0, a1);
    }
  }
  return entropyNormalizedScalar<T>(p, n, S);
}

/** H(p / S) from entropyGivenSum's h: exact for S = 0 (NaN) and corrected for T(S) != S. */
export function normalizedFinish<T>(h: f64, S: f64): f64 {
  if (S == 0) return NaN; // nothing to normalise: 0/0, as SciPy
  const St = <T>S;
  if (!(S > 0 && isPosNormal<T>(St))) return h; // worked in f64
  const eps = <f64>St / S - 1.0;
  return h + eps * (h - 1.0);
}

/** Per-row normalised entropy; row sums go to `sums` when it is not 0. */
export function entropyNormalizedRows<T>(p: usize, rows: i32, cols: i32, scale: f64, out: usize, sums: usize): i32 {
  status = 0;
  for (let r = 0; r < rows; r++) {
    const row = at<T>(p, r * cols);
    const S = sumRow<T>(row, cols);
    if (sums) store<f64>(sums + (<usize>r << 3), S);
    store<f64>(out + (<usize>r << 3), scale * normalizedFinish<T>(entropyGivenSum<T>(row, cols, S), S));
  }
  return status;
}

// ------------------------------------------------------ cross entropy: -sum p log q
function crossEntropyScalar<T>(p: usize, q: usize, n: i32): f64 {
  let s = 0.0;
  for (let i = 0; i < n; i++) {
    const x = load<T>(at<T>(p, i));
    const y = load<T>(at<T>(q, i));
    if (!validPair<T>(x, y)) s = NaN;
    else if (x != 0) s += product<T>(x, slog<T>(y));
  }
  return 0.0 - s;
}

function crossEntropyRow<T>(p: usize, q: usize, n: i32): f64 {
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
    let lo = trackInitLo<T>(), hi = trackInitHi<T>();
    let i = 0;
    for (; i + 2 * L <= n; i += 2 * L) {
      const x0 = v128.load(at<T>(p, i)), x1 = v128.load(at<T>(p, i + L));
      const y0 = v128.load(at<T>(q, i)), y1 = v128.load(at<T>(q, i + L));
      lo = trackZeroLo2<T>(lo, x0, x1);
      hi = trackZeroHi2<T>(hi, x0, x1);
      lo = trackPosLo2<T>(lo, y0, y1); // q = 0 goes to the scalar path (0 log 0 or +Infinity)
      hi = trackPosHi2<T>(hi, y0, y1);
      const t = vmul<T>(x0, vlogNormal<T>(y0)), u = vmul<T>(x1, vlogNormal<T>(y1));
      a0 = sum2Lo<T>(a0, t, u);
      a1 = sum2Hi<T>(a1, t, u);
    }
    for (; i < n; i += L) {
      const x = vloadRow<T>(p, i, n, vsplat<T>(0)), y = vloadRow<T>(q, i, n, vsplat<T>(1));
      lo = trackZeroLo<T>(lo, x);
      hi = trackZeroHi<T>(hi, x);
      lo = trackPosLo<T>(lo, y);
      hi = trackPosHi<T>(hi, y);
      const t = vmul<T>(x, vlogNormal<T>(y));
      a0 = sumLo<T>(a0, t);
      a1 = sumHi<T>(a1, t);
    }
    if (!trackedSpecial<T>(lo, hi)) return 0.0 - hsum(a0, a1);
  }
  return crossEntropyScalar<T>(p, q, n);
}

// ------------------------------------------------- KL divergence: sum p log(p / q)
// The ratio form keeps D(p||q) accurate when p ~ q (no cancellation of two logs).
function klScalar<T>(p: usize, q: usize, n: i32): f64 {
  let s = 0.0;
  for (let i = 0; i < n; i++) {
    const x = load<T>(at<T>(p, i));
    const y = load<T>(at<T>(q, i));
    if (!validPair<T>(x, y)) { s = NaN; continue; }
    if (x == 0) continue;
    const r = x / y;
    if (isPosNormal<T>(r)) s += product<T>(x, slog<T>(r));
    else s += <f64>x * (logd(<f64>x) - logd(<f64>y)); // ratio over/underflowed, q = 0, or invalid
  }
  return s;
}

function klRow<T>(p: usize, q: usize, n: i32): f64 {
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
    let lo = trackInitLo<T>(), hi = trackInitHi<T>();
    let i = 0;
    for (; i + 2 * L <= n; i += 2 * L) {
      const x0 = v128.load(at<T>(p, i)), x1 = v128.load(at<T>(p, i + L));
      const y0 = v128.load(at<T>(q, i)), y1 = v128.load(at<T>(q, i + L));
      const r0 = klRatio<T>(x0, y0), r1 = klRatio<T>(x1, y1);
      lo = trackPosLo2<T>(lo, r0, r1);
      hi = trackPosHi2<T>(hi, r0, r1);
      lo = trackZeroLo2<T>(lo, y0, y1); // q must be valid even where p = 0
      hi = trackZeroHi2<T>(hi, y0, y1);
      const t = vmul<T>(x0, vlogNormal<T>(r0)), u = vmul<T>(x1, vlogNormal<T>(r1));
      a0 = sum2Lo<T>(a0, t, u);
      a1 = sum2Hi<T>(a1, t, u);
    }
    for (; i < n; i += L) {
      const x = vloadRow<T>(p, i, n, vsplat<T>(0)), y = vloadRow<T>(q, i, n, vsplat<T>(1));
      const r = klRatio<T>(x, y);
      lo = trackPosLo<T>(lo, r);
      hi = trackPosHi<T>(hi, r);
      lo = trackZeroLo<T>(lo, y);
      hi = trackZeroHi<T>(hi, y);
      const t = vmul<T>(x, vlogNormal<T>(r));
      a0 = sumLo<T>(a0, t);
      a1 = sumHi<T>(a1, t);
    }
    if (!trackedSpecial<T>(lo, hi)) return hsum(a0, a1);
  }
  return klScalar<T>(p, q, n);
}

/** p / q per lane, and 1 where p = 0 (term 0 whatever q is); must be a positive normal. */
// @ts-ignore: decorator
@inline export function klRatio<T>(x: v128, y: v128): v128 {
  return v128.bitselect(vsplat<T>(1), vdiv<T>(x, y), veq<T>(x, vsplat<T>(0)));
}

// ------------------------------ KL with log-probabilities: sum e^lp (lp - log q)
// log q is taken in f64 even for f32 input: lp - log q cancels when p ~ q, and an f32
// log there would cost ~1e-7 * |log q| absolute per term.
function klLogScalar<T>(lp: usize, q: usize, n: i32): f64 {
  let s = 0.0;
  for (let i = 0; i < n; i++) {
    const l = load<T>(at<T>(lp, i));
    const y = load<T>(at<T>(q, i));
    if (isNaN<T>(l)) status |= INVALID;
    flagIfNotProbability<T>(y);
    if (l == <T>-Infinity) continue; // p = 0
    s += <f64>sexp<T>(l) * (<f64>l - logd(<f64>y));
  }
  return s;
}

function klLogRow<T>(lp: usize, q: usize, n: i32): f64 {
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    const ninf = f64x2.splat(-Infinity);
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
    let lo = trackInitLo<T>(), hi = trackInitHi<T>();
    let lmax = vsplat<T>(-Infinity);
    for (let i = 0; i < n; i += L) {
      let l: v128, y: v128;
      if (i + L <= n) {
        l = v128.load(at<T>(lp, i));
        y = v128.load(at<T>(q, i));
      } else {
        l = vloadTail<T>(at<T>(lp, i), n - i, vsplat<T>(-Infinity));
        y = vloadTail<T>(at<T>(q, i), n - i, vsplat<T>(1));
      }
      lo = trackPosLo<T>(lo, y);
      hi = trackPosHi<T>(hi, y);
      lmax = vmax<T>(lmax, l); // NaN and +Infinity go to the scalar path
      if (sizeof<T>() == 4) {
        const e = expf4(l);
        const lh = i32x4.shuffle(l, l, 2, 3, 2, 3);
        const yh = i32x4.shuffle(y, y, 2, 3, 2, 3);
        const l0 = f64x2.promote_low_f32x4(l), l1 = f64x2.promote_low_f32x4(lh);
        let d0 = f64x2.sub(l0, logd2Normal(f64x2.promote_low_f32x4(y)));
        let d1 = f64x2.sub(l1, logd2Normal(f64x2.promote_low_f32x4(yh)));
        d0 = v128.andnot(d0, f64x2.eq(l0, ninf)); // p = 0: the term is 0, not 0 * -Infinity
        d1 = v128.andnot(d1, f64x2.eq(l1, ninf));
        a0 = f64x2.add(a0, f64x2.mul(f64x2.promote_low_f32x4(e), d0));
        a1 = f64x2.add(a1, f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 2, 3)), d1));
      } else {
        const d = v128.andnot(f64x2.sub(l, logd2Normal(y)), f64x2.eq(l, ninf));
        a0 = f64x2.add(a0, f64x2.mul(expd2(l), d));
      }
    }
    const finite = sizeof<T>() == 4
      ? f32x4.lt(lmax, f32x4.splat(Infinity))
      : f64x2.lt(lmax, f64x2.splat(Infinity));
    if (!trackedSpecial<T>(lo, hi) && v128.all_true<i32>(finite)) return hsum(a0, a1);
  }
  return klLogScalar<T>(lp, q, n);
}

// --------------------- Jensen-Shannon: JSD = 1/2 sum p log(2p/(p+q)) + q log(2q/(p+q))
// Ratios 2p/(p+q) lie in [0, 2]: no overflow.
/** p log(2p/(p+q)) + q log(2q/(p+q)), in the vector path's arithmetic where it can be. */
// @ts-ignore: decorator
@inline function jsPair<T>(x: T, y: T): f64 {
  let rx: T, ry: T;
  if (sizeof<T>() == 4) {
    const inv = 2.0 / max<f64>(<f64>x + <f64>y, 1e-300);
    rx = <T>(<f64>x * inv);
    ry = <T>(<f64>y * inv);
  } else {
    let xs = x, ys = y;
    let s = x + y; // > 0 wherever a term is taken (a term needs its own value > 0)
    if (!(s <= <T>1e300)) { // p + q may overflow: scale both by 2^-4 (exact), ratios unchanged
      xs = x * <T>0.0625;
      ys = y * <T>0.0625;
      s = xs + ys;
    }
    rx = (xs + xs) / s;
    ry = (ys + ys) / s;
  }
  if ((x == 0 || isPosNormal<T>(rx)) && (y == 0 || isPosNormal<T>(ry))) {
    const a = x != 0 ? x * slog<T>(rx) : <T>0;
    const b = y != 0 ? y * slog<T>(ry) : <T>0;
    return <f64>(a + b);
  }
  // A ratio left the normal range (p and q of very different size, subnormals), or an
  // input is invalid: log(2p/(p+q)) = log p + ln 2 - log(p+q) on the unscaled values, with
  // log(p+q) = log((p+q)/2) + ln 2 where the sum overflows.
  const x64 = <f64>x, y64 = <f64>y;
  const s64 = x64 + y64;
  const ls = s64 <= 1.7976931348623157e308 ? logd(s64) : logd(0.5 * x64 + 0.5 * y64) + LN2;
  let r = 0.0;
  if (x != 0) r += x64 * (logd(x64) + LN2 - ls);
  if (y != 0) r += y64 * (logd(y64) + LN2 - ls);
  return r;
}

/**
 * JSD of a row whose terms cancel (nearly equal p and q), in f64: with s = p + q and
 * d = (p - q) / s, each pair is s/2 f(d), f(d) = 2d atanh(d) + log1p(-d^2) = d^2 + d^4/6 + ...,
 * which loses at most a factor 2 to cancellation (the log form loses 1/d), so the row is
 * accurate and never negative. |d| >= 1/2 keeps the log form (no cancellation there).
 */
function jsAccurate<T>(p: usize, q: usize, n: i32): f64 {
  let s = 0.0;
  for (let i = 0; i < n; i++) {
    const x = load<T>(at<T>(p, i)), y = load<T>(at<T>(q, i));
    if (!validPair<T>(x, y)) { s = NaN; continue; }
    const x64 = <f64>x, y64 = <f64>y, t = x64 + y64;
    const d = (x64 - y64) / t;
    if (abs<f64>(d) < 0.5 && t < Infinity) s += 0.5 * t * (2 * d * Math.atanh(d) + Math.log1p(-d * d));
    else s += jsPair<T>(x, y);
  }
  return 0.5 * s;
}

/** Rows whose JSD falls below this (nats, before the base) are recomputed by jsAccurate. */
export const JS_CANCELS: f64 = 1e-3;

function jsScalar<T>(p: usize, q: usize, n: i32): f64 {
  let s = 0.0;
  for (let i = 0; i < n; i++) {
    const x = load<T>(at<T>(p, i));
    const y = load<T>(at<T>(q, i));
    s += validPair<T>(x, y) ? jsPair<T>(x, y) : NaN;
  }
  return 0.5 * s;
}

function jsRow<T>(p: usize, q: usize, n: i32): f64 {
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    const tiny = vsplat<T>(sizeof<T>() == 4 ? 1.1754943508222875e-38 : 2.2250738585072014e-308);
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
    let lo = trackInitLo<T>(), hi = trackInitHi<T>();
    let i = 0;
    for (; i + 2 * L <= n; i += 2 * L) {
      const x0 = v128.load(at<T>(p, i)), x1 = v128.load(at<T>(p, i + L));
      const y0 = v128.load(at<T>(q, i)), y1 = v128.load(at<T>(q, i + L));
      lo = trackZeroLo2<T>(lo, x0, x1);
      hi = trackZeroHi2<T>(hi, x0, x1);
      lo = trackZeroLo2<T>(lo, y0, y1);
      hi = trackZeroHi2<T>(hi, y0, y1);
      const t = jsTerms<T>(x0, y0, tiny), u = jsTerms<T>(x1, y1, tiny);
      a0 = sum2Lo<T>(a0, t, u);
      a1 = sum2Hi<T>(a1, t, u);
    }
    for (; i < n; i += L) {
      const x = vloadRow<T>(p, i, n, vsplat<T>(0)), y = vloadRow<T>(q, i, n, vsplat<T>(0));
      lo = trackZeroLo<T>(lo, x);
      hi = trackZeroHi<T>(hi, x);
      lo = trackZeroLo<T>(lo, y);
      hi = trackZeroHi<T>(hi, y);
      const t = jsTerms<T>(x, y, tiny);
      a0 = sumLo<T>(a0, t);
      a1 = sumHi<T>(a1, t);
    }
    const h = hsum(a0, a1);
    if (!trackedSpecial<T>(lo, hi) && h == h) return 0.5 * h; // NaN: a poisoned term (see jsTerms)
  }
  return jsScalar<T>(p, q, n);
}

/**
 * p log(2p/(p+q)) + q log(2q/(p+q)) per lane, for p, q zero or normal below HUGE. A ratio
 * that comes out subnormal (p tiny beside q) poisons its term with NaN, so the row sum is
 * NaN and the row goes to the scalar definition like any other special value. For f32
 * the ratios are formed in f64 (p + q exact, one rounding when demoted): in f32 the two
 * roundings of fl(fl(p+q)) and the division reached 82% of the 1e-7 bound on rows whose
 * terms cancel. f64: in f64.
 */
// @ts-ignore: decorator
@inline export function jsTerms<T>(x: v128, y: v128, tiny: v128): v128 {
  let rx: v128, ry: v128;
  if (sizeof<T>() == 4) {
    const two = f64x2.splat(2), tiny64 = f64x2.splat(1e-300);
    const x0 = f64x2.promote_low_f32x4(x), x1 = f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 2, 3));
    const y0 = f64x2.promote_low_f32x4(y), y1 = f64x2.promote_low_f32x4(i32x4.shuffle(y, y, 2, 3, 2, 3));
    const i0 = f64x2.div(two, f64x2.pmax(f64x2.add(x0, y0), tiny64)); // p = q = 0: ratios 0
    const i1 = f64x2.div(two, f64x2.pmax(f64x2.add(x1, y1), tiny64));
    rx = i32x4.shuffle(f32x4.demote_f64x2_zero(f64x2.mul(x0, i0)), f32x4.demote_f64x2_zero(f64x2.mul(x1, i1)), 0, 1, 4, 5);
    ry = i32x4.shuffle(f32x4.demote_f64x2_zero(f64x2.mul(y0, i0)), f32x4.demote_f64x2_zero(f64x2.mul(y1, i1)), 0, 1, 4, 5);
  } else {
    const s = vpmax<T>(vadd<T>(x, y), tiny);
    rx = vdiv<T>(vadd<T>(x, x), s);
    ry = vdiv<T>(vadd<T>(y, y), s);
  }
  const t = vadd<T>(vmul<T>(x, vlogNormal<T>(rx)), vmul<T>(y, vlogNormal<T>(ry)));
  return v128.or(t, v128.and(v128.or(subnormalLanes<T>(rx), subnormalLanes<T>(ry)), vsplat<T>(NaN)));
}

/** All-ones in the lanes holding a subnormal (not zero). */
// @ts-ignore: decorator
@inline function subnormalLanes<T>(r: v128): v128 {
  if (sizeof<T>() == 4) return i32x4.lt_u(i32x4.sub(r, i32x4.splat(1)), i32x4.splat(0x007fffff));
  return v128.and(f64x2.lt(r, f64x2.splat(2.2250738585072014e-308)), f64x2.ne(r, f64x2.splat(0)));
}

// ---------------------------------------------------------- rows of (p, q) pairs
export const CROSS_ENTROPY: i32 = 0, KL: i32 = 1, KL_LOG_TARGET: i32 = 2, JS: i32 = 3;

/** out[r] = scale * measure(p_r, q_r) for the two-argument measures; one branch per row. */
export function pairRows<T>(kind: i32, p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 {
  status = 0;
  for (let r = 0; r < rows; r++) {
    const a = at<T>(p, r * cols), b = at<T>(q, r * cols);
    let v: f64;
    switch (kind) {
      case CROSS_ENTROPY: v = crossEntropyRow<T>(a, b, cols); break;
      case KL: v = klRow<T>(a, b, cols); break;
      case KL_LOG_TARGET: v = klLogRow<T>(a, b, cols); break;
      default:
        v = jsRow<T>(a, b, cols);
        if (v < JS_CANCELS) v = jsAccurate<T>(a, b, cols);
    }
    store<f64>(out + (<usize>r << 3), scale * v);
  }
  return status;
}
