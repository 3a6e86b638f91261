// What every public function does around its kernel: resolve options, pick the backend,
// provide the result array, and reduce. One place, so new functions extend it.
import type { BackendName, FloatArray } from '../types.js';

/** The options begin() reads; each function's own options extend these. */
export interface CallOptions {
  cols?: number;
  base?: number;
  reduction?: string;
  out?: Float64Array;
  check?: boolean;
  backend?: BackendName;
}
import type { Kernels } from '../backend/kernels.js';
import { kernelsFor } from '../backend/registry.js';
import { REDUCTIONS, floatArg, logScale, outArray, reductionOf, sameAs, shapeOf } from '../options.js';

export interface Call {
  readonly fn: string;
  readonly kernels: Kernels;
  readonly rows: number;
  readonly cols: number;
  /** 1 / ln(base) */
  readonly scale: number;
  readonly check: boolean;
  /** 'none', 'sum', 'mean' (or a function's own, such as 'batchmean') */
  readonly reduction: string;
  /** Where the kernel writes: the caller's out, a new array, or scratch for sum/mean. */
  readonly values: Float64Array;
}

const scratch: Float64Array[] = [];

/**
 * Scratch Float64Array number `slot` of n values, reused by later calls: for results
 * that are reduced and intermediates that never reach the caller. Slot 0 holds the
 * values of a sum/mean call.
 */
export function temp(slot: number, n: number): Float64Array {
  let a = scratch[slot];
  if (!a || a.length < n) a = scratch[slot] = new Float64Array(Math.max(n, 2 * (a?.length ?? 512)));
  return a.subarray(0, n);
}

export interface CallSpec {
  /** 'rows': one value per row; 'elements': one per element; 'one': a single value. */
  per: 'rows' | 'elements' | 'one';
  defaultReduction?: string;
  /** The reductions the function takes (default 'none', 'sum', 'mean'). */
  reductions?: readonly string[];
}

/**
 * Check the first argument (and the second, which must match it) and the common
 * options; returns the call with its result array ready.
 */
export function begin(fn: string, spec: CallSpec, opts: CallOptions | undefined, pName: string, p: unknown,
  qName?: string, q?: unknown): Call & { p: FloatArray; q: FloatArray } {
  const o = opts ?? {};
  const pa = floatArg(fn, pName, p);
  const qa = qName === undefined ? pa : sameAs(fn, qName, q, pName, pa);
  const { rows, cols } = shapeOf(fn, pName, pa, o.cols);
  const scale = logScale(fn, o.base);
  const reduction = spec.per === 'one' ? 'sum' : reductionOf(fn, o.reduction, spec.reductions ?? REDUCTIONS, spec.defaultReduction ?? 'none');
  const n = spec.per === 'rows' ? rows : spec.per === 'elements' ? pa.length : 1;
  const kernels = kernelsFor(fn, o.backend);
  const values = outArray(fn, o.out, n, reduction) ?? (reduction === 'none' ? new Float64Array(n) : temp(0, n));
  return { fn, kernels, rows, cols, scale, check: o.check !== false, reduction, values, p: pa, q: qa };
}

/** The call's answer: the per-row/element array, or its sum or mean. */
export function reduce(call: Call): Float64Array | number {
  return reduceValues(call.values, call.reduction);
}

/**
 * 'none': the values; 'sum': their sum; 'mean' (and 'batchmean'): the sum over
 * `denominator`, by default the number of values (losses pass their summed weights).
 */
export function reduceValues(values: Float64Array, reduction: string, denominator = values.length): Float64Array | number {
  if (reduction === 'none') return values;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return reduction === 'sum' ? s : s / denominator; // 0 / 0 = NaN: nothing to average
}
