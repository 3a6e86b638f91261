// Rows of logits: log-sum-exp, softmax, log-softmax, and the entropy of the prediction,
// all stable (max-subtracted) and with an optional temperature (logits / T).
import type { FloatArray, ReducibleOptions, BackendName } from '../types.js';
import { ENTROPY } from '../backend/kernels.js';
import { kernelsFor } from '../backend/registry.js';
import { threadsOption } from '../threads/control.js';
import { checkOptions, floatArg, inverseTemperature, liveArray, noPartialOverlap, shapeOf } from '../options.js';
import { formatValue, rangeError, typeError } from '../errors.js';
import { COMMON_KEYS, begin, perRow, rowsOf, temp, toUnits } from './call.js';
import { LSE_NEAR_ZERO, logSumExpExcess } from './near-one.js';

export interface LogitsOptions extends ReducibleOptions {
  /** Divide the logits by T > 0 first (default 1). */
  temperature?: number;
}

export const LOGITS_KEYS = [...COMMON_KEYS, 'temperature'];

/** a / T as a * invT, with 0 for a = 0 whatever T is (a tiny T gives invT = Infinity). */
export function timesInvT(a: number, invT: number): number {
  return a === 0 ? 0 : a * invT;
}

/**
 * log sum exp(x / T) per row, stable. A row whose maximum is -Infinity gives -Infinity and
 * one holding +Infinity gives +Infinity; a row holding NaN gives NaN (as torch.logsumexp).
 * Results near 0 are recomputed with log1p of the non-maximal terms (SciPy 1.17).
 */
export function logSumExp(x: FloatArray, opts?: LogitsOptions & { reduction?: 'none' }): Float64Array;
/** log sum exp(x / T) per row, stable, summed or averaged over the rows. */
export function logSumExp(x: FloatArray, opts: LogitsOptions & { reduction: 'sum' | 'mean' }): number;
/** log sum exp(x / T) per row, stable; the reduction is chosen at run time. */
export function logSumExp(x: FloatArray, opts?: LogitsOptions): number | Float64Array;
export function logSumExp(x: FloatArray, opts?: LogitsOptions): number | Float64Array {
  const c = begin('logSumExp', { per: 'rows', keys: LOGITS_KEYS }, opts, 'x', x);
  const invT = inverseTemperature(c.fn, opts?.temperature);
  return perRow(c, (r0, n, v) => {
    const m = temp(1, n);
    c.kernels.softmaxStats(rowsOf(c.p, r0, n, c.cols), null, null, n, c.cols, invT, 0, 0, { m, ls: v });
    // Stryker disable next-line EqualityOperator: r = n reads m[n] (undefined) and writes past the view (ignored)
    for (let r = 0; r < n; r++) {
      if (Math.abs(m[r]) === Infinity) { v[r] = m[r]; continue; }
      const mT = timesInvT(m[r], invT);
      let lse = mT + v[r];
      // Stryker disable next-line ConditionalExpression,EqualityOperator: the excess form is exact for every row; the test spares the rest a pass
      if (Math.abs(lse) < LSE_NEAR_ZERO) lse = mT + logSumExpExcess(c.p, (r0 + r) * c.cols, c.cols, m[r], invT);
      v[r] = lse * c.scale;
    }
  });
}

/** Entropy of softmax(x / T) per row for `fn` (softmaxEntropy, or a helper naming itself). */
export function softmaxEntropyOf(fn: string, keys: readonly string[] | null, x: unknown, opts: LogitsOptions | undefined): Float64Array | number {
  const c = begin(fn, { per: 'rows', keys }, opts, 'logits', x);
  const invT = inverseTemperature(c.fn, opts?.temperature);
  return perRow(c, (r0, n, v) => {
    c.kernels.softmaxStats(rowsOf(c.p, r0, n, c.cols), null, null, n, c.cols, invT, 0, ENTROPY, { m: temp(1, n), ls: temp(2, n), h: v });
    toUnits(c, v);
  });
}

/** Entropy of softmax(x / T) per row, fused (no softmax matrix). -Infinity logits add 0; an all -Infinity row gives NaN. */
export function softmaxEntropy(x: FloatArray, opts?: LogitsOptions & { reduction?: 'none' }): Float64Array;
/** Entropy of softmax(x / T) per row, fused, summed or averaged over the rows. */
export function softmaxEntropy(x: FloatArray, opts: LogitsOptions & { reduction: 'sum' | 'mean' }): number;
/** Entropy of softmax(x / T) per row, fused; the reduction is chosen at run time. */
export function softmaxEntropy(x: FloatArray, opts?: LogitsOptions): number | Float64Array;
export function softmaxEntropy(x: FloatArray, opts?: LogitsOptions): number | Float64Array {
  return softmaxEntropyOf('softmaxEntropy', LOGITS_KEYS, x, opts);
}

export interface SoftmaxOptions {
  cols?: number;
  temperature?: number;
  /** Receives the result: same element type and length as the input (may be the input itself). */
  out?: FloatArray;
  backend?: BackendName;
  /** Threads for this call (default: setThreads, else the machine's cores); see README, Threads. */
  threads?: number;
}

const SOFTMAX_KEYS = ['cols', 'temperature', 'out', 'backend', 'threads'];

function softmaxLike(fn: string, x: FloatArray, opts: SoftmaxOptions | undefined, log: boolean): FloatArray {
  checkOptions(fn, opts, SOFTMAX_KEYS);
  const o = opts ?? {};
  const z = floatArg(fn, 'x', x);
  const { rows, cols } = shapeOf(fn, 'x', z, o.cols);
  const invT = inverseTemperature(fn, o.temperature);
  const kernels = kernelsFor(fn, o.backend, threadsOption(fn, o.threads));
  let out = o.out;
  if (out === undefined) out = z instanceof Float64Array ? new Float64Array(z.length) : new Float32Array(z.length);
  else if (out.constructor !== z.constructor) throw typeError(fn, `out must be a ${z.constructor.name} like x, got ${formatValue(out)}`);
  else if (liveArray(fn, 'out', out).length !== z.length) throw rangeError(fn, `out has length ${out.length} but x has ${z.length} values`);
  else noPartialOverlap(fn, out, [['x', z]]);
  kernels.softmax(z, rows, cols, invT, log, out);
  return out;
}

/** softmax(x / T) per row, in the input's element type. A row holding NaN, or all -Infinity, gives NaN (as PyTorch). */
export function softmax<T extends FloatArray>(x: T, opts?: SoftmaxOptions): T {
  return softmaxLike('softmax', x, opts, false) as T;
}

/** log_softmax(x / T) per row, in the input's element type (the subtraction is done in f64, rounded once). */
export function logSoftmax<T extends FloatArray>(x: T, opts?: SoftmaxOptions): T {
  return softmaxLike('logSoftmax', x, opts, true) as T;
}
