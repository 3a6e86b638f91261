// The kernel set every backend implements. Results land in caller-provided Float64Arrays;
// each kernel returns true when an input value broke its validity rule (negative or NaN
// probability, NaN log-probability, binary probability outside [0, 1]) so the caller can
// throw, and false otherwise. `scale` multiplies every result: 1 / ln(base).
import type { FloatArray } from '../types.js';

export type KernelBackend = 'wasm-simd' | 'wasm-scalar' | 'js';

/** softmaxStats modes (bits), as in assembly/kernels/softmax.ts. */
export const ENTROPY = 1, CLASS_DOT = 2, TARGETS = 4;

/** Per-row outputs of softmaxStats; the optional ones are filled when present. */
export interface SoftmaxStats {
  /** raw row maximum m */
  m: Float64Array;
  /** log sum exp((z - m) / T) */
  ls: Float64Array;
  /** entropy of softmax(z / T) (ENTROPY) */
  h?: Float64Array;
  /** sum a_c (m - z_c) (CLASS_DOT, TARGETS) */
  b?: Float64Array;
  /** sum a_c (TARGETS) */
  w?: Float64Array;
}

/** How a weight array lines up with the batch: absent, one per element, one per class. */
export type WeightMode = 0 | 1 | 2;

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
  /**
   * I(X;Y) times the total, as sum_rc q phi(d): q = r c / T, d = x' T / (r c) - 1,
   * phi(d) = (1 + d) log(1 + d) - d >= 0, x' = lambda x; rowSums, colSums, total of the scaled table
   */
  mutualInformationSum(x: FloatArray, rows: number, cols: number, rowSums: Float64Array, colSums: Float64Array, total: number, lambda: number): number;

  /**
   * Row statistics of softmax(z / T) (see SoftmaxStats): `w` per-class weights (null: none)
   * for CLASS_DOT and TARGETS, `t` probability targets (TARGETS), smoothed by eps:
   * a_c = w_c (t_c (1 - eps) + eps / cols). Returns true for a negative or NaN target.
   */
  softmaxStats(z: FloatArray, t: FloatArray | null, w: FloatArray | null, rows: number, cols: number,
    invT: number, eps: number, mode: number, out: SoftmaxStats): boolean;
  /**
   * Optional fused softmax cross entropy against class indices: out[r] = scale * loss_r as
   * softmaxCrossEntropy defines it (class weights `w` summing to `wsum`, label smoothing eps,
   * 1/T), 0 for ignored rows (out null: not stored); returns the sum of those values and of
   * w_y over kept rows, or null where the backend leaves the call to softmaxStats. The kernel
   * checks the labels (in [0, cols) or `ignore`): badLabel, and the sums mean nothing, when
   * one is not (the caller then names it).
   */
  classCrossEntropy?(z: FloatArray, y: Int32Array, w: FloatArray | null, rows: number, cols: number, invT: number,
    eps: number, ignore: number, wsum: number, scale: number, out: Float64Array | null): ClassLossSums | null;
  /** out = softmax(z / T) or log_softmax(z / T) per row, in z's element type */
  softmax(z: FloatArray, rows: number, cols: number, invT: number, log: boolean, out: FloatArray): void;
  /** out[r] = T^2 KL(softmax(t_r / T) || softmax(s_r / T)) (the distillation loss in nats) */
  distill(s: FloatArray, t: FloatArray, rows: number, cols: number, invT: number, out: Float64Array): void;
  /** out[i] = -w (t max(log p, -100) + (1-t) max(log(1-p), -100)); true for p outside [0, 1] */
  bce(p: FloatArray, t: FloatArray, w: FloatArray | null, wMode: WeightMode, rows: number, cols: number, out: Float64Array): boolean;
  /** out[i] = w ((1-t) x + (1 + (pw-1) t) softplus(-x)) */
  bceLogits(x: FloatArray, t: FloatArray, w: FloatArray | null, wMode: WeightMode, pw: FloatArray | null, pwMode: WeightMode,
    rows: number, cols: number, out: Float64Array): void;
}

/** What the fused class-index cross entropy returns: the losses' sum, the kept rows' w_y sum, a bad label seen. */
export interface ClassLossSums { sum: number; den: number; badLabel: boolean }
