// Measures on distributions in probability space (API.md, first table).
import type { FloatArray, ReducibleOptions } from '../types.js';
import { COMMON_KEYS, begin, perElement, perRow, rowsOf } from './call.js';
import { logProbability, probability, throwFirstInvalid, unitProbability, type Rule } from '../validate.js';
import type { Kernels } from '../backend/kernels.js';
import { KL_NEAR_ZERO, klRow } from './near-one.js';

export interface EntropyOptions extends ReducibleOptions {
  /** Divide each row by its sum first (SciPy's entropy); an all-zero row gives NaN. */
  normalize?: boolean;
}

export interface KlOptions extends ReducibleOptions {
  /** The first argument holds log p (PyTorch kl_div's log_target); q stays probabilities. */
  logTarget?: boolean;
}

const ENTROPY_KEYS = [...COMMON_KEYS, 'normalize'];
const KL_KEYS = [...COMMON_KEYS, 'logTarget'];

/**
 * Entropy per row for `fn` (entropy, or a helper built on it that names itself in errors);
 * `keys` null when the caller checked its own options.
 */
export function entropyOf(fn: string, keys: readonly string[] | null, p: unknown, opts: EntropyOptions | undefined): Float64Array | number {
  const c = begin(fn, { per: 'rows', keys }, opts, 'p', p);
  const { kernels: k, cols, scale } = c;
  return perRow(c, (r0, n, v) => {
    const x = rowsOf(c.p, r0, n, cols);
    const invalid = opts?.normalize ? k.entropyNormalized(x, n, cols, scale, v) : k.entropy(x, n, cols, scale, v);
    if (invalid && c.check) throwFirstInvalid(fn, [['p', c.p, probability]]);
  });
}

/** Shannon entropy per row, H(p) = -sum p log p (0 log 0 = 0). */
export function entropy(p: FloatArray, opts?: EntropyOptions & { reduction?: 'none' }): Float64Array;
/** Shannon entropy per row, H(p) = -sum p log p, summed or averaged over the rows. */
export function entropy(p: FloatArray, opts: EntropyOptions & { reduction: 'sum' | 'mean' }): number;
/** Shannon entropy per row, H(p) = -sum p log p; the reduction is chosen at run time. */
export function entropy(p: FloatArray, opts?: EntropyOptions): number | Float64Array;
export function entropy(p: FloatArray, opts?: EntropyOptions): number | Float64Array {
  return entropyOf('entropy', ENTROPY_KEYS, p, opts);
}

type PairKernel = (k: Kernels, p: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) => boolean;
/** Recompute row r (of the block at r0) where its value v cancels; else return v. */
type Refine = (p: FloatArray, q: FloatArray, row: number, cols: number, v: number, scale: number) => number;

/** A measure of two matching batches, row by row. */
function pairMeasure(fn: string, keys: readonly string[], p: unknown, q: unknown, opts: ReducibleOptions | undefined,
  kernel: PairKernel, rules: readonly [Rule, Rule], refine?: Refine): Float64Array | number {
  const c = begin(fn, { per: 'rows', keys }, opts, 'p', p, 'q', q);
  return perRow(c, (r0, n, v) => {
    const invalid = kernel(c.kernels, rowsOf(c.p, r0, n, c.cols), rowsOf(c.q, r0, n, c.cols), n, c.cols, c.scale, v);
    if (invalid && c.check) throwFirstInvalid(fn, [['p', c.p, rules[0]], ['q', c.q, rules[1]]]);
    if (refine) for (let r = 0; r < n; r++) v[r] = refine(c.p, c.q, r0 + r, c.cols, v[r], c.scale);
  });
}

/** KL rows below KL_NEAR_ZERO nats: nearly equal p and q, recomputed without cancellation. */
const klNearZero: Refine = (p, q, row, cols, v, scale) =>
  // Stryker disable next-line EqualityOperator: at exactly the threshold the kernels are within the bound unrefined (rows of 5e-4 to 1e-3 nats are)
  Math.abs(v) < KL_NEAR_ZERO * Math.abs(scale) ? klRow(p, q, row * cols, cols) * scale : v;

/** Cross entropy per row, H(p, q) = -sum p log q; p > 0 where q = 0 gives Infinity. */
export function crossEntropy(p: FloatArray, q: FloatArray, opts?: ReducibleOptions & { reduction?: 'none' }): Float64Array;
/** Cross entropy H(p, q) = -sum p log q per row, summed or averaged over the rows. */
export function crossEntropy(p: FloatArray, q: FloatArray, opts: ReducibleOptions & { reduction: 'sum' | 'mean' }): number;
/** Cross entropy H(p, q) = -sum p log q per row; the reduction is chosen at run time. */
export function crossEntropy(p: FloatArray, q: FloatArray, opts?: ReducibleOptions): number | Float64Array;
export function crossEntropy(p: FloatArray, q: FloatArray, opts?: ReducibleOptions): number | Float64Array {
  return pairMeasure('crossEntropy', COMMON_KEYS, p, q, opts, (k, ...a) => k.crossEntropy(...a), [probability, probability]);
}

/**
 * Kullback-Leibler divergence per row, D(p||q) = sum p log(p/q); nearly equal rows are
 * recomputed in a form that does not cancel (SciPy 1.17's rel_entr accuracy).
 */
export function klDivergence(p: FloatArray, q: FloatArray, opts?: KlOptions & { reduction?: 'none' }): Float64Array;
/** Kullback-Leibler divergence D(p||q) = sum p log(p/q) per row, summed or averaged over the rows. */
export function klDivergence(p: FloatArray, q: FloatArray, opts: KlOptions & { reduction: 'sum' | 'mean' }): number;
/** Kullback-Leibler divergence D(p||q) = sum p log(p/q) per row; the reduction is chosen at run time. */
export function klDivergence(p: FloatArray, q: FloatArray, opts?: KlOptions): number | Float64Array;
export function klDivergence(p: FloatArray, q: FloatArray, opts?: KlOptions): number | Float64Array {
  return opts?.logTarget
    ? pairMeasure('klDivergence', KL_KEYS, p, q, opts, (k, ...a) => k.klDivergenceLogTarget(...a), [logProbability, probability])
    : pairMeasure('klDivergence', KL_KEYS, p, q, opts, (k, ...a) => k.klDivergence(...a), [probability, probability], klNearZero);
}

/** Jensen-Shannon divergence per row, (D(p||m) + D(q||m)) / 2 with m = (p+q)/2, in [0, ln 2]. */
export function jsDivergence(p: FloatArray, q: FloatArray, opts?: ReducibleOptions & { reduction?: 'none' }): Float64Array;
/** Jensen-Shannon divergence per row, summed or averaged over the rows. */
export function jsDivergence(p: FloatArray, q: FloatArray, opts: ReducibleOptions & { reduction: 'sum' | 'mean' }): number;
/** Jensen-Shannon divergence per row; the reduction is chosen at run time. */
export function jsDivergence(p: FloatArray, q: FloatArray, opts?: ReducibleOptions): number | Float64Array;
export function jsDivergence(p: FloatArray, q: FloatArray, opts?: ReducibleOptions): number | Float64Array {
  return pairMeasure('jsDivergence', COMMON_KEYS, p, q, opts, (k, ...a) => k.jsDivergence(...a), [probability, probability]);
}

/** An element-wise measure, streamed in blocks of elements. */
function elementMeasure(fn: string, p: unknown, opts: ReducibleOptions | undefined,
  kernel: (k: Kernels, x: FloatArray, scale: number, out: Float64Array) => boolean, rule: Rule): Float64Array | number {
  const c = begin(fn, { per: 'elements', keys: COMMON_KEYS }, opts, 'p', p);
  return perElement(c, (b, v) => {
    const invalid = kernel(c.kernels, c.p.subarray(b.at, b.at + b.length), c.scale, v);
    if (invalid && c.check) throwFirstInvalid(fn, [['p', c.p, rule]]);
  });
}

/** Element-wise surprisal -log p (p = 0 gives Infinity). */
export function surprisal(p: FloatArray, opts?: ReducibleOptions & { reduction?: 'none' }): Float64Array;
/** Element-wise surprisal -log p, summed or averaged over the elements. */
export function surprisal(p: FloatArray, opts: ReducibleOptions & { reduction: 'sum' | 'mean' }): number;
/** Element-wise surprisal -log p; the reduction is chosen at run time. */
export function surprisal(p: FloatArray, opts?: ReducibleOptions): number | Float64Array;
export function surprisal(p: FloatArray, opts?: ReducibleOptions): number | Float64Array {
  return elementMeasure('surprisal', p, opts, (k, ...a) => k.surprisal(...a), probability);
}

/** Element-wise binary entropy -p log p - (1-p) log(1-p); p must lie in [0, 1]. */
export function binaryEntropy(p: FloatArray, opts?: ReducibleOptions & { reduction?: 'none' }): Float64Array;
/** Element-wise binary entropy, summed or averaged over the elements; p must lie in [0, 1]. */
export function binaryEntropy(p: FloatArray, opts: ReducibleOptions & { reduction: 'sum' | 'mean' }): number;
/** Element-wise binary entropy; the reduction is chosen at run time; p must lie in [0, 1]. */
export function binaryEntropy(p: FloatArray, opts?: ReducibleOptions): number | Float64Array;
export function binaryEntropy(p: FloatArray, opts?: ReducibleOptions): number | Float64Array {
  return elementMeasure('binaryEntropy', p, opts, (k, ...a) => k.binaryEntropy(...a), unitProbability);
}
