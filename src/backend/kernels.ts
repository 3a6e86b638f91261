// The kernel set every backend implements. Results land in caller-provided Float64Arrays;
// each kernel returns true when an input value broke its validity rule (negative or NaN
// probability, NaN log-probability, binary probability outside [0, 1]) so the caller can
// throw, and false otherwise. `scale` multiplies every result: 1 / ln(base).
import type { FloatArray } from '../types.js';

export type KernelBackend = 'wasm-simd' | 'wasm-scalar' | 'js';

export interface Kernels {
  readonly name: KernelBackend;
  /** out[r] = H(p_r) */
  entropy(p: FloatArray, rows: number, cols: number, scale: number, out: Float64Array): boolean;
  /** out[r] = H(p_r / sum p_r); sums[r] = sum p_r when sums is given */
  entropyNormalized(p: FloatArray, rows: number, cols: number, scale: number, out: Float64Array, sums?: Float64Array): boolean;
  /** out[r] = -sum p log q */
  crossEntropy(p: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array): boolean;
  /** out[r] = sum p log(p/q) */
  klDivergence(p: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array): boolean;
  /** out[r] = sum e^lp (lp - log q) */
  klDivergenceLogTarget(lp: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array): boolean;
  /** out[r] = (D(p||m) + D(q||m)) / 2, m = (p+q)/2 */
  jsDivergence(p: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array): boolean;
  /** out[i] = -log p[i] */
  surprisal(p: FloatArray, scale: number, out: Float64Array): boolean;
  /** out[i] = -p log p - (1-p) log(1-p) */
  binaryEntropy(p: FloatArray, scale: number, out: Float64Array): boolean;
  /** rowSums[r] = sum_c x[r,c]; colSums[c] = sum_r x[r,c] (colSums must start zeroed) */
  marginals(x: FloatArray, rows: number, cols: number, rowSums: Float64Array, colSums: Float64Array): boolean;
  /** sum_rc x log(x * rowScale[r] * colScale[c]) */
  mutualInformationSum(x: FloatArray, rows: number, cols: number, rowScale: Float64Array, colScale: Float64Array): number;
}
