// Argument and option checks shared by every public function: input types, shapes,
// base, reduction, out. Checks that are always on (API.md: shapes, options, class
// indices) live here; value scans (check: true) live in validate.ts.
import type { FloatArray, Reduction } from './types.js';
import { badOption, formatValue, rangeError, typeError } from './errors.js';

export interface Shape {
  rows: number;
  cols: number;
}

export function isFloatArray(x: unknown): x is FloatArray {
  return x instanceof Float32Array || x instanceof Float64Array;
}

/** The argument must be a Float32Array or Float64Array. */
export function floatArg(fn: string, name: string, x: unknown): FloatArray {
  if (!isFloatArray(x)) {
    throw typeError(fn, `${name} must be a Float32Array or Float64Array, got ${formatValue(x)}`);
  }
  return x;
}

/** The argument must be an Int32Array (class indices, labels). */
export function int32Arg(fn: string, name: string, x: unknown): Int32Array {
  if (!(x instanceof Int32Array)) throw typeError(fn, `${name} must be an Int32Array, got ${formatValue(x)}`);
  return x;
}

/** rows x cols of an array; without cols the whole array is one row. */
export function shapeOf(fn: string, name: string, x: FloatArray, cols: number | undefined): Shape {
  if (cols === undefined) return { rows: 1, cols: x.length };
  if (typeof cols !== 'number' || !Number.isInteger(cols) || cols < 1) {
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
  if (typeof base !== 'number' || !(base > 0) || base === 1 || base === Infinity) {
    throw badOption(fn, 'base', base, 'must be a finite number > 0 and != 1');
  }
  return 1 / Math.log(base);
}

export function reductionOf<R extends string>(fn: string, value: unknown, allowed: readonly R[], fallback: R): R {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as R)) {
    throw badOption(fn, 'reduction', value, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return value as R;
}

export const REDUCTIONS: readonly Reduction[] = ['none', 'sum', 'mean'];

/** The Float64Array that receives 'none' results: the caller's out, or a new one. */
export function outArray(fn: string, out: unknown, length: number, reduction: string): Float64Array | undefined {
  if (out === undefined) return undefined;
  if (!(out instanceof Float64Array)) throw typeError(fn, `out must be a Float64Array, got ${formatValue(out)}`);
  if (reduction !== 'none') throw badOption(fn, 'out', 'Float64Array', `is only used with reduction 'none' (reduction is '${reduction}')`);
  if (out.length !== length) throw rangeError(fn, `out has length ${out.length} but the result has ${length} values`);
  return out;
}

export function positiveInteger(fn: string, option: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw badOption(fn, option, v, 'must be a positive integer');
  return v;
}
