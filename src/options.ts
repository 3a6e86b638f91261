// Argument and option checks shared by every public function: input types, shapes,
// base, reduction, out. Checks that are always on (API.md: shapes, options, class
// indices) live here; value scans (check: true) live in validate.ts.
import type { FloatArray, Reduction } from './types.js';
import { badOption, formatValue, rangeError, typeError } from './errors.js';
import { BatchHandle, checkBatchView } from './batch.js';
import { isFiniteNumber, isInteger } from './validate.js';

export interface Shape {
  rows: number;
  cols: number;
}

export function isFloatArray(x: unknown): x is FloatArray {
  return x instanceof Float32Array || x instanceof Float64Array;
}

/** The argument must be a Float32Array or Float64Array. */
export function floatArg(fn: string, name: string, x: unknown): FloatArray {
  if (x instanceof BatchHandle) x = x.view; // a batch passed as itself
  if (!isFloatArray(x)) {
    throw typeError(fn, `${name} must be a Float32Array or Float64Array, got ${formatValue(x)}`);
  }
  return liveArray(fn, name, x);
}

/** The argument must be an Int32Array (class indices, labels). */
export function int32Arg(fn: string, name: string, x: unknown): Int32Array {
  if (!(x instanceof Int32Array)) throw typeError(fn, `${name} must be an Int32Array, got ${formatValue(x)}`);
  return liveArray(fn, name, x);
}

/** rows x cols of an array; without cols the whole array is one row. */
export function shapeOf(fn: string, name: string, x: FloatArray, cols: number | undefined): Shape {
  if (cols === undefined) return { rows: 1, cols: x.length };
  if (!isInteger(cols) || cols < 1) {
    throw badOption(fn, 'cols', cols, 'must be a positive integer');
  }
  if (x.length % cols !== 0) {
    throw rangeError(fn, `${name} has length ${x.length}, which is not a multiple of cols = ${cols}`);
  }
  return { rows: x.length / cols, cols };
}

/** A second array that must match the first in length and element type. */
export function sameAs(fn: string, name: string, x: unknown, refName: string, ref: FloatArray): FloatArray {
  const y = floatArg(fn, name, x);
  if (y.length !== ref.length) {
    throw rangeError(fn, `${name} has length ${y.length} but ${refName} has length ${ref.length}; they must match`);
  }
  if (y.constructor !== ref.constructor) {
    throw typeError(fn, `${name} is a ${y.constructor.name} but ${refName} is a ${ref.constructor.name}; use one element type`);
  }
  return y;
}

/** 1 / ln(base): the factor that turns nats into the requested unit. */
export function logScale(fn: string, base: number | undefined): number {
  if (base === undefined || base === Math.E) return 1;
  if (!isFiniteNumber(base) || base <= 0 || base === 1) {
    throw badOption(fn, 'base', base, 'must be a finite number > 0 and != 1');
  }
  return 1 / Math.log(base);
}

export function reductionOf<R extends string>(fn: string, value: unknown, allowed: readonly R[], fallback: R): R {
  const r = value === undefined ? fallback : value; // the fallback is checked too: a default must be allowed
  if (!allowed.includes(r as R)) {
    throw badOption(fn, 'reduction', r, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return r as R;
}

export const REDUCTIONS: readonly Reduction[] = ['none', 'sum', 'mean'];

/** The Float64Array that receives 'none' results: the caller's out, or a new one. */
export function outArray(fn: string, out: unknown, length: number, reduction: string): Float64Array | undefined {
  if (out === undefined) return undefined;
  if (!(out instanceof Float64Array)) throw typeError(fn, `out must be a Float64Array, got ${formatValue(out)}`);
  liveArray(fn, 'out', out); // a freed batch's view would write into memory another batch now holds
  if (reduction !== 'none') throw badOption(fn, 'out', 'Float64Array', `is only used with reduction 'none' (reduction is '${reduction}')`);
  if (out.length !== length) throw rangeError(fn, `out has length ${out.length} but the result has ${length} values`);
  return out;
}

export function positiveInteger(fn: string, option: string, v: unknown): number {
  if (!isInteger(v) || v < 1) throw badOption(fn, option, v, 'must be a positive integer');
  return v;
}

// ---- options of the logits/labels functions

/** 1 / T for a temperature T: a finite number > 0 (default 1). */
export function inverseTemperature(fn: string, t: unknown): number {
  if (t === undefined) return 1;
  if (!isFiniteNumber(t) || t <= 0) throw badOption(fn, 'temperature', t, 'must be a finite number > 0');
  return 1 / t;
}

/** A smoothing amount in [0, 1] (labelSmoothing, smoothing). */
export function unitOption(fn: string, name: string, v: unknown): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw badOption(fn, name, v, 'must be a number in [0, 1]');
  return v;
}

export function finiteOption(fn: string, name: string, v: unknown): number {
  if (!isFiniteNumber(v)) throw badOption(fn, name, v, 'must be a finite number');
  return v;
}

export function integerOption(fn: string, name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (!isInteger(v)) throw badOption(fn, name, v, 'must be an integer');
  return v;
}

/** `x` in `like`'s element type (a copy only when the types differ). */
export function asTypeOf(x: FloatArray, like: FloatArray): FloatArray {
  return x.constructor === like.constructor ? x : like instanceof Float64Array ? new Float64Array(x) : new Float32Array(x);
}

/** A per-class weight vector: a float array of exactly `cols` values, in `like`'s element type. */
export function classWeights(fn: string, name: string, w: unknown, cols: number, like: FloatArray): FloatArray | null {
  if (w === undefined) return null;
  const a = floatArg(fn, name, w);
  if (a.length !== cols) throw rangeError(fn, `${name} has length ${a.length} but there are ${cols} classes (cols)`);
  return asTypeOf(a, like);
}

/** A weight per element (length n) or per class (length cols, broadcast over rows). */
export function elementWeights(fn: string, name: string, w: unknown, n: number, cols: number, like: FloatArray):
  [FloatArray | null, 0 | 1 | 2] {
  // Stryker disable next-line ArrayDeclaration: [] reads as [undefined, undefined]: every kernel tests the weight array before its mode
  if (w === undefined) return [null, 0];
  const a = asTypeOf(floatArg(fn, name, w), like);
  if (a.length === n) return [a, 1];
  if (a.length === cols) return [a, 2];
  throw rangeError(fn, `${name} has length ${a.length}; it needs one value per element (${n}) or per class (cols = ${cols})`);
}

/**
 * Check class indices: each in [0, cols) or equal to ignoreIndex; always on (a bad index
 * would read outside its row). Returns how many rows are not ignored.
 */
export function checkClassIndices(fn: string, name: string, target: Int32Array, cols: number, ignoreIndex: number): number {
  let kept = 0;
  for (let i = 0; i < target.length; i++) {
    const y = target[i];
    if (y === ignoreIndex) continue;
    if (y < 0 || y >= cols) {
      const nor = Number.isNaN(ignoreIndex) ? '' : ` nor ignoreIndex (${ignoreIndex})`; // NaN: no ignoreIndex (oneHot)
      throw rangeError(fn, `${name}[${i}] = ${y} is not a class index in [0, ${cols})${nor}`);
    }
    kept++;
  }
  return kept;
}

// ---- the options object itself

/** PyTorch / SciPy spellings and their names here, for the unknown-option message. */
const TWINS: Record<string, string> = { dim: 'cols', axis: 'cols' }; // snake_case ones: camel()

function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Edit distance, for "did you mean" on typos (keys are short). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

/**
 * The options argument: undefined or a plain object whose keys the function takes. An
 * unknown key is a TypeError, never ignored (a typo would silently change the answer).
 */
export function checkOptions(fn: string, opts: unknown, keys: readonly string[]): void {
  if (opts === undefined) return;
  const proto = typeof opts === 'object' && opts !== null ? Object.getPrototypeOf(opts) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    throw typeError(fn, `options must be a plain object or undefined, got ${formatValue(opts)}`);
  }
  for (const key of Object.keys(opts as object)) {
    if (keys.includes(key)) continue;
    const twin = TWINS[key] ?? camel(key);
    const guess = keys.includes(twin) ? twin : keys.find((k) => distance(k.toLowerCase(), key.toLowerCase()) <= 2);
    const hint = guess ? ` (did you mean '${guess}'?)` : '';
    throw typeError(fn, `unknown option '${key}'${hint}; ${fn} takes ${keys.map((k) => `'${k}'`).join(', ')}`);
  }
}

/** A detached buffer reads as empty: say so instead of answering for an empty input. */
export function liveArray<A extends ArrayBufferView>(fn: string, name: string, x: A): A {
  const buf = x.buffer as ArrayBuffer;
  // Stryker disable next-line ConditionalExpression: a live buffer passes the probe too; byteLength spares it a view
  if (buf.byteLength === 0 && isDetached(buf)) {
    throw typeError(fn, `${name} is a view of a detached ArrayBuffer (transferred, or a batch view from before ` +
      'WebAssembly memory grew: read batch.view again); pass a live array');
  }
  checkBatchView(fn, name, x);
  return x;
}

function isDetached(buf: ArrayBuffer): boolean {
  try {
    new Uint8Array(buf);
    return false;
  } catch {
    return true;
  }
}

/** An `out` that shares memory with an input must be exactly that input (in place), not a shifted view. */
export function noPartialOverlap(fn: string, out: ArrayBufferView, inputs: readonly [string, ArrayBufferView | null | undefined][]): void {
  const a0 = out.byteOffset, a1 = a0 + out.byteLength;
  for (const [name, x] of inputs) {
    if (!x || x.buffer !== out.buffer) continue;
    const b0 = x.byteOffset, b1 = b0 + x.byteLength;
    if (a0 < b1 && b0 < a1 && !(a0 === b0 && a1 === b1)) {
      throw rangeError(fn, `out overlaps ${name} in part (bytes ${a0}..${a1} vs ${b0}..${b1}); use separate memory or exactly the same array`);
    }
  }
}
