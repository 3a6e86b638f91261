// Rows of logits: log-sum-exp, softmax, log-softmax, and the entropy of the prediction,
// all stable (max-subtracted) and with an optional temperature (logits / T).
import type { FloatArray, ReducibleOptions, Reduced, BackendName } from '../types.js';
import { ENTROPY } from '../backend/kernels.js';
import { kernelsFor } from '../backend/registry.js';
import { floatArg, inverseTemperature, shapeOf } from '../options.js';
import { formatValue, rangeError, typeError } from '../errors.js';
import { begin, reduce, temp } from './call.js';

export interface LogitsOptions extends ReducibleOptions {
  /** Divide the logits by T > 0 first (default 1). */
  temperature?: number;
}

const ROWS = { per: 'rows' } as const;

/**
 * log sum exp(x / T) per row, stable. A row whose maximum is -Infinity gives -Infinity and
 * one holding +Infinity gives +Infinity (as torch.logsumexp); NaN propagates.
 */
export function logSumExp<O extends LogitsOptions>(x: FloatArray, opts?: O): Reduced<O> {
  const c = begin('logSumExp', ROWS, opts, 'x', x);
  const invT = inverseTemperature(c.fn, opts?.temperature);
  const m = temp(1, c.rows);
  c.kernels.softmaxStats(c.p, null, null, c.rows, c.cols, invT, 0, 0, { m, ls: c.values });
  for (let r = 0; r < c.rows; r++) {
    c.values[r] = Math.abs(m[r]) === Infinity ? m[r] : (m[r] * invT + c.values[r]) * c.scale;
  }
  return reduce(c) as Reduced<O>;
}

/** Entropy of softmax(x / T) per row, fused (no softmax matrix). -Infinity logits add 0; an all -Infinity row gives NaN. */
export function softmaxEntropy<O extends LogitsOptions>(x: FloatArray, opts?: O): Reduced<O> {
  const c = begin('softmaxEntropy', ROWS, opts, 'logits', x);
  const invT = inverseTemperature(c.fn, opts?.temperature);
  c.kernels.softmaxStats(c.p, null, null, c.rows, c.cols, invT, 0, ENTROPY, { m: temp(1, c.rows), ls: temp(2, c.rows), h: c.values });
  if (c.scale !== 1) for (let r = 0; r < c.rows; r++) c.values[r] *= c.scale;
  return reduce(c) as Reduced<O>;
}

export interface SoftmaxOptions {
  cols?: number;
  temperature?: number;
  /** Receives the result: same element type and length as the input. */
  out?: FloatArray;
  backend?: BackendName;
}

function softmaxLike(fn: string, x: FloatArray, opts: SoftmaxOptions | undefined, log: boolean): FloatArray {
  const o = opts ?? {};
  const z = floatArg(fn, 'x', x);
  const { rows, cols } = shapeOf(fn, 'x', z, o.cols);
  const invT = inverseTemperature(fn, o.temperature);
  const kernels = kernelsFor(fn, o.backend);
  let out = o.out;
  if (out === undefined) out = z instanceof Float64Array ? new Float64Array(z.length) : new Float32Array(z.length);
  else if (out.constructor !== z.constructor) throw typeError(fn, `out must be a ${z.constructor.name} like x, got ${formatValue(out)}`);
  else if (out.length !== z.length) throw rangeError(fn, `out has length ${out.length} but x has ${z.length} values`);
  kernels.softmax(z, rows, cols, invT, log, out);
  return out;
}

/** softmax(x / T) per row, in the input's element type. An all -Infinity row gives NaN (as PyTorch). */
export function softmax<T extends FloatArray>(x: T, opts?: SoftmaxOptions): T {
  return softmaxLike('softmax', x, opts, false) as T;
}

/** log_softmax(x / T) per row, in the input's element type (the subtraction is done in f64, rounded once). */
export function logSoftmax<T extends FloatArray>(x: T, opts?: SoftmaxOptions): T {
  return softmaxLike('logSoftmax', x, opts, true) as T;
}
