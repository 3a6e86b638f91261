// What every public function does around its kernel: check the options object and the
// arguments, pick the backend, and run the kernel over blocks of the batch so that the
// per-row scratch (intermediates, values to reduce) is bounded by the block, not the
// input; then reduce. One place, so new functions extend it.
import type { BackendName, FloatArray } from '../types.js';
import type { Kernels } from '../backend/kernels.js';
import { kernelsFor } from '../backend/registry.js';
import { threadsOption } from '../threads/control.js';
import {
  REDUCTIONS, checkOptions, floatArg, logScale, noPartialOverlap, outArray, reductionOf, sameAs, shapeOf,
} from '../options.js';

/** The options begin() reads; each function's own options extend these. */
export interface CallOptions {
  cols?: number;
  base?: number;
  reduction?: string;
  out?: Float64Array;
  check?: boolean;
  backend?: BackendName;
  threads?: number;
}

/** Option keys shared by the reducible row and element functions (API.md, "Common options"). */
export const COMMON_KEYS = ['cols', 'base', 'reduction', 'out', 'check', 'backend', 'threads'] as const;

import { BLOCK, temp } from './scratch.js';

export { BLOCK, temp };

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
  /** The result for 'none' (the caller's out or a new array); null for reductions. */
  readonly out: Float64Array | null;
}

export interface CallSpec {
  /** 'rows': one value per row; 'elements': one per element; 'one': a single value. */
  per: 'rows' | 'elements' | 'one';
  defaultReduction?: string;
  /** The reductions the function takes (default 'none', 'sum', 'mean'). */
  reductions?: readonly string[];
  /** The option keys the function takes; null when a public function has checked them already. */
  keys: readonly string[] | null;
}

/**
 * Check the options, the first argument (and the second, which must match it) and the
 * common options; returns the call with its result array ready.
 */
export function begin(fn: string, spec: CallSpec, opts: CallOptions | undefined, pName: string, p: unknown,
  qName?: string, q?: unknown): Call & { p: FloatArray; q: FloatArray } {
  if (spec.keys) checkOptions(fn, opts, spec.keys);
  const o = opts ?? {};
  const pa = floatArg(fn, pName, p);
  const qa = qName === undefined ? pa : sameAs(fn, qName, q, pName, pa);
  const { rows, cols } = shapeOf(fn, pName, pa, o.cols);
  const scale = logScale(fn, o.base);
  // Stryker disable next-line ConditionalExpression,StringLiteral: a per: 'one' call (joint.ts) reads neither its reduction nor out
  const reduction = spec.per === 'one' ? 'sum' : reductionOf(fn, o.reduction, spec.reductions ?? REDUCTIONS, spec.defaultReduction ?? 'none');
  // Stryker disable next-line ConditionalExpression: the length of a per: 'one' call is never read (no out, no reduction)
  const n = spec.per === 'rows' ? rows : spec.per === 'elements' ? pa.length : 1;
  const kernels = kernelsFor(fn, o.backend, threadsOption(fn, o.threads));
  const given = outArray(fn, o.out, n, reduction);
  if (given) noPartialOverlap(fn, given, [[pName, pa], [qName ?? pName, qa]]);
  const out = reduction === 'none' ? given ?? new Float64Array(n) : null;
  return { fn, kernels, rows, cols, scale, check: o.check !== false, reduction, out, p: pa, q: qa };
}

/** Rows [r0, r0 + n) of a row-major batch. */
export function rowsOf<A extends FloatArray | Int32Array>(x: A, r0: number, n: number, cols: number): A {
  return x.subarray(r0 * cols, (r0 + n) * cols) as A;
}

/** Accumulates reduced values in block order (a fixed order: same answer on every run). */
class Total {
  sum = 0;
  add(values: Float64Array): void {
    let s = 0;
    for (let i = 0; i < values.length; i++) s += values[i];
    this.sum += s;
  }
}

/** A block's values from nats to the caller's unit (c.scale = 1 / ln base), for kernels that take no scale. */
export function toUnits(c: Call, values: Float64Array): void {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a scale of 1 multiplies by 1; i = length is past the array (ignored)
  if (c.scale !== 1) for (let i = 0; i < values.length; i++) values[i] *= c.scale;
}

/**
 * Run `block(r0, n, values)` over blocks of at most BLOCK rows; `values` receives the
 * block's per-row results: the slice of the result for 'none', scratch (slot 0) summed in
 * order for 'sum' / 'mean'. 'mean' divides by `denominator()` (default: rows).
 */
export function perRow(c: Call, block: (r0: number, n: number, values: Float64Array) => void,
  denominator: () => number = () => c.rows): Float64Array | number {
  const total = new Total();
  for (let r0 = 0; r0 < c.rows; r0 += BLOCK) {
    const n = Math.min(BLOCK, c.rows - r0);
    const values = c.out ? c.out.subarray(r0, r0 + n) : temp(0, n);
    block(r0, n, values);
    if (!c.out) total.add(values);
  }
  return finish(c, total.sum, denominator);
}

/** A block of elements: rows [r0, r0 + nr) and columns [c0, c0 + nc) (whole rows when nc = cols). */
export interface ElementBlock { r0: number; nr: number; c0: number; nc: number; at: number; length: number }

/**
 * Run `block(b, values)` over blocks of at most BLOCK elements: whole rows while a row
 * fits, else one row in column ranges (so per-class weights slice as w[c0, c0 + nc)).
 */
export function perElement(c: Call, block: (b: ElementBlock, values: Float64Array) => void): Float64Array | number {
  const total = new Total();
  const run = (r0: number, nr: number, c0: number, nc: number) => {
    const at = r0 * c.cols + c0, length = nr * nc;
    const values = c.out ? c.out.subarray(at, at + length) : temp(0, length);
    block({ r0, nr, c0, nc, at, length }, values);
    if (!c.out) total.add(values);
  };
  if (c.cols <= BLOCK) {
    const step = Math.max(1, Math.floor(BLOCK / Math.max(c.cols, 1)));
    for (let r0 = 0; r0 < c.rows; r0 += step) run(r0, Math.min(step, c.rows - r0), 0, c.cols);
  } else {
    // Stryker disable next-line EqualityOperator: c0 = c.cols adds an empty block
    for (let r0 = 0; r0 < c.rows; r0++) for (let c0 = 0; c0 < c.cols; c0 += BLOCK) run(r0, 1, c0, Math.min(BLOCK, c.cols - c0));
  }
  return finish(c, total.sum, () => c.rows * c.cols);
}

function finish(c: Call, sum: number, denominator: () => number): Float64Array | number {
  if (c.out) return c.out;
  return c.reduction === 'sum' ? sum : sum / denominator(); // 0 / 0 = NaN: nothing to average
}
