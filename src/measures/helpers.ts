// Helpers built on the measures: ranking rows by uncertainty, Gaussian entropy.
import type { BackendName, FloatArray } from '../types.js';
import { badOption, formatValue, rangeError, typeError } from '../errors.js';
import { checkOptions, floatArg, isFloatArray, logScale, shapeOf } from '../options.js';
import { isInteger } from '../validate.js';
import { entropyOf } from './distributions.js';
import { softmaxEntropyOf } from './logits.js';

export interface MostUncertainOptions {
  cols?: number;
  /** How many rows to return (0 <= k <= rows). */
  k: number;
  /** The rows are logits: rank by the entropy of softmax(x / temperature), fused. */
  fromLogits?: boolean;
  temperature?: number;
  check?: boolean;
  backend?: BackendName;
  /** Threads for this call (default: setThreads, else the machine's cores); see README, Threads. */
  threads?: number;
}

/**
 * The k row indices with the highest entropy, highest first; ties keep the lower index
 * first, NaN ranks above every number (as torch.topk). O(rows log k).
 */
export function mostUncertain(p: FloatArray, opts: MostUncertainOptions): Int32Array {
  const fn = 'mostUncertain';
  checkOptions(fn, opts, ['cols', 'k', 'fromLogits', 'temperature', 'check', 'backend', 'threads']);
  const { rows } = shapeOf(fn, 'p', floatArg(fn, 'p', p), opts?.cols);
  const k = opts?.k;
  if (!isInteger(k) || k < 0 || k > rows) {
    throw badOption(fn, 'k', k, `must be an integer in [0, ${rows}] (the number of rows)`);
  }
  // every error below names mostUncertain, the function the caller called
  const h = (opts.fromLogits
    ? softmaxEntropyOf(fn, null, p, { cols: opts.cols, temperature: opts.temperature, backend: opts.backend, threads: opts.threads, reduction: 'none' })
    : entropyOf(fn, null, p, { cols: opts.cols, check: opts.check, backend: opts.backend, threads: opts.threads, reduction: 'none' })) as Float64Array;
  return topK(h, k);
}

/** Is row a ranked above row b? */
function above(h: Float64Array, a: number, b: number): boolean {
  const x = h[a], y = h[b];
  // Stryker disable next-line EqualityOperator: the heap compares two different rows (a !== b), so a <= b is a < b
  if (x === y) return a < b;
  // Stryker disable next-line EqualityOperator: the heap compares two different rows (a !== b), so a <= b is a < b
  if (Number.isNaN(x)) return !Number.isNaN(y) || a < b;
  if (Number.isNaN(y)) return false;
  return x > y;
}

/** Indices of the k highest values, highest first, by a min-heap of size k. */
export function topK(h: Float64Array, k: number): Int32Array {
  const heap = new Int32Array(k); // heap[0] is the lowest ranked kept row
  let size = 0;
  const sift = (i: number) => {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < size && above(h, heap[m], heap[l])) m = l;
      if (r < size && above(h, heap[m], heap[r])) m = r;
      if (m === i) return;
      const t = heap[i]; heap[i] = heap[m]; heap[m] = t;
      i = m;
    }
  };
  for (let row = 0; row < h.length && k > 0; row++) {
    if (size < k) {
      let i = size++;
      heap[i] = row;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!above(h, heap[parent], heap[i])) break;
        const t = heap[i]; heap[i] = heap[parent]; heap[parent] = t;
        i = parent;
      }
    } else if (above(h, row, heap[0])) {
      heap[0] = row;
      sift(0);
    }
  }
  const result = new Int32Array(size);
  for (let i = size - 1; i >= 0; i--) {
    result[i] = heap[0];
    heap[0] = heap[--size];
    sift(0);
  }
  return result;
}

/** Differential entropy of a normal distribution, 0.5 log(2 pi e sigma^2); element-wise for arrays. */
export function gaussianEntropy(sigma: number, opts?: { base?: number }): number;
export function gaussianEntropy(sigma: FloatArray, opts?: { base?: number }): Float64Array;
export function gaussianEntropy(sigma: number | FloatArray, opts?: { base?: number }): number | Float64Array {
  const fn = 'gaussianEntropy';
  checkOptions(fn, opts, ['base']);
  const scale = logScale(fn, opts?.base);
  const one = (s: number, where: string) => { // sigma is an argument, not an option
    if (!(s > 0)) throw rangeError(fn, `${where} = ${formatValue(s)} must be > 0 (a standard deviation)`);
    return (0.5 * Math.log(2 * Math.PI * Math.E) + Math.log(s)) * scale;
  };
  if (typeof sigma === 'number') return one(sigma, 'sigma');
  if (!isFloatArray(sigma)) throw typeError(fn, 'sigma must be a number, Float32Array or Float64Array');
  const out = new Float64Array(sigma.length);
  for (let i = 0; i < sigma.length; i++) out[i] = one(sigma[i], `sigma[${i}]`);
  return out;
}
