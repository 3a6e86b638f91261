// Element-wise log and exp over arrays, T in and T out: the vector math on its own, for
// the accuracy tests and the ulp measurements (bench/ulp.ts).
import { lanes, at, slog, sexp, vlogNormal, vexp, trackInitLo, trackInitHi, trackPosLo, trackPosHi, trackedSpecial } from "./lanes";

export function logElems<T>(p: usize, n: i32, out: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    for (; i + L <= n; i += L) {
      const x = v128.load(at<T>(p, i));
      const lo = trackPosLo<T>(trackInitLo<T>(), x);
      const hi = trackPosHi<T>(trackInitHi<T>(), x);
      if (trackedSpecial<T>(lo, hi)) {
        for (let k = i; k < i + L; k++) store<T>(at<T>(out, k), slog<T>(load<T>(at<T>(p, k))));
      } else {
        v128.store(at<T>(out, i), vlogNormal<T>(x));
      }
    }
  }
  for (; i < n; i++) store<T>(at<T>(out, i), slog<T>(load<T>(at<T>(p, i))));
}

export function expElems<T>(p: usize, n: i32, out: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    for (; i + L <= n; i += L) v128.store(at<T>(out, i), vexp<T>(v128.load(at<T>(p, i))));
  }
  for (; i < n; i++) store<T>(at<T>(out, i), sexp<T>(load<T>(at<T>(p, i))));
}
