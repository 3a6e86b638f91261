/** A batch of rows x cols values, row-major. */
export type FloatArray = Float32Array | Float64Array;

export type BackendName = 'wasm' | 'wasm-simd' | 'wasm-scalar' | 'js';
export type Reduction = 'none' | 'sum' | 'mean';

/** Options every row-wise function accepts (API.md, "Common options"). */
export interface CommonOptions {
  /** Row length; without it the whole array is one row. */
  cols?: number;
  /** Logarithm base: Math.E (nats, default), 2 (bits), 10, any > 0 and != 1. */
  base?: number;
  /** Caller-owned Float64Array for 'none' results. */
  out?: Float64Array;
  /** Scan values (negative or NaN probability) and throw; default true. */
  check?: boolean;
  /** Backend for this call; default: the current default (see setBackend). */
  backend?: BackendName;
}

export interface ReducibleOptions extends CommonOptions {
  reduction?: Reduction;
}

/** 'sum' / 'mean' give a number, 'none' (or nothing) a Float64Array. */
export type Reduced<O> = O extends { reduction: 'sum' | 'mean' } ? number : Float64Array;
