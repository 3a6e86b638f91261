// Rows whose fast form loses relative accuracy because something is within rounding of 1,
// recomputed in f64 from the caller's array (every backend gives these rows the same
// answer). SciPy 1.17 is accurate there (gh-18295 logsumexp, gh-20710 rel_entr) where
// PyTorch and older SciPy give 0 or lose digits. The rows are rare in scoring workloads
// (a tiny result), so the recomputation costs nothing measurable on ordinary batches.
import type { FloatArray } from '../types.js';

/**
 * |log-sum-exp| below this (nats): log s was taken of an s within ~1e-3 of 1 (or m / T
 * cancels it), where log's absolute error eps becomes a relative one of eps / |result|.
 */
// Stryker disable next-line UnaryOperator: a larger threshold only sends more rows to logSumExpExcess, which is exact for any row
export const LSE_NEAR_ZERO = 2 ** -10;

/** |KL| below this (nats): the row's terms cancel (nearly equal rows), as JSD's 1e-3. */
export const KL_NEAR_ZERO = 1e-3;

/**
 * log sum exp((z - m) / T) over z[o, o + n) as log1p(sum of the terms other than the first
 * maximum): the maximum's exp(0) = 1 is exact, so no term is lost to 1 + t rounding.
 */
export function logSumExpExcess(z: FloatArray, o: number, n: number, m: number, invT: number): number {
  let t = 0;
  let skipped = false;
  for (let i = o; i < o + n; i++) {
    const x = z[i];
    if (x === m && !skipped) skipped = true;
    else if (x - m !== 0) t += Math.exp((0.5 * x - 0.5 * m) * (2 * invT)); // as the backends' gap()
    else t += 1; // another maximum
  }
  return Math.log1p(t);
}

/**
 * sum p log(p / q) over [o, o + n) without cancellation: for q/2 <= p <= 3q/2 the term is
 * q phi(u) + (p - q), u = (p - q) / q, phi(u) = (1 + u) log1p(u) - u >= 0 (p - q is exact
 * there, Sterbenz), so only the linear parts cancel and they are summed compensated
 * (Neumaier); other terms join that sum as p log(p / q). Rows of a valid pair only.
 */
export function klRow(p: FloatArray, q: FloatArray, o: number, n: number): number {
  let nonneg = 0, sum = 0, comp = 0;
  for (let i = o; i < o + n; i++) {
    const x = p[i], y = q[i];
    if (x === 0) continue;
    const d = x - y;
    let v: number;
    // Stryker disable next-line EqualityOperator: at |d| = y/2 both forms are accurate (phi cancels by at most ~3x there)
    if (Math.abs(d) <= 0.5 * y) {
      nonneg += y * phi(d / y);
      v = d;
    } else {
      const r = x / y; // the logs where the ratio over/underflows
      // The log form is exact enough anywhere here (|log r| > 0.4, so its two logs' rounding is under 2 * 745 eps / 0.4
      // = 4e-13 of the term); the ratio is one log fewer. Only an infinite ratio must not take it.
      // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
      const normal = r > 2.2250738585072014e-308;
      // Stryker disable next-line ConditionalExpression: false is the log form everywhere (see above); r < Infinity has its own test
      v = normal && r < Infinity ? x * Math.log(r) : x * (Math.log(x) - Math.log(y));
    }
    const s = sum + v; // Neumaier: the rounding error of each addition, kept apart
    // Stryker disable next-line EqualityOperator: where |sum| = |v| both branches are exact
    comp += Math.abs(sum) >= Math.abs(v) ? sum - s + v : v - s + sum;
    sum = s;
  }
  return nonneg + (sum + comp);
}

/** (1 + u) log1p(u) - u for |u| <= 1/2: its series where the direct form cancels. */
function phi(u: number): number {
  // Stryker disable next-line EqualityOperator: at |u| = 0.1 the series and the direct form agree to rounding
  if (Math.abs(u) >= 0.1) return (1 + u) * Math.log1p(u) - u; // cancels by at most ~22x
  // u^2 sum_{j>=0} (-u)^j / ((j + 1)(j + 2)); |u| < 0.1: 18 terms reach 1e-18 of the first
  let s = 0;
  for (let j = 17; j >= 0; j--) s = 1 / ((j + 1) * (j + 2)) - u * s;
  return u * u * s;
}
