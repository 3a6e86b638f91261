// Error in units in the last place of the result type, against the f64 (Math.log/exp) truth.
export function ulpF32(y: number): number {
  const a = Math.abs(Math.fround(y));
  if (a < 1.1754943508222875e-38) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}
export function ulpF64(y: number): number {
  const a = Math.abs(y);
  if (a < 2.2250738585072014e-308) return 2 ** -1074;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1; // log2 rounding near powers of two
  return 2 ** (e - 52);
}
/** Largest error in ulps of `got` vs `truth` over finite truths. */
export function maxUlp(got: ArrayLike<number>, truth: ArrayLike<number>, f32: boolean): { ulp: number; at: number } {
  let worst = 0, at = -1;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    if (!Number.isFinite(t)) continue;
    const u = Math.abs(got[i] - t) / (f32 ? ulpF32(t) : ulpF64(t));
    if (u > worst) { worst = u; at = i; }
  }
  return { ulp: worst, at };
}
