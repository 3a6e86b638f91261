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
  /** Threads for this call (default: setThreads, else the machine's cores); see README, Threads. */
  threads?: number;
}

export interface ReducibleOptions extends CommonOptions {
  reduction?: Reduction;
}

/**
 * The result type of a reducing function called with options of type `O`: a number for
 * 'sum' / 'mean' (and distillationLoss's 'batchmean'), a Float64Array for 'none', the union
 * when `O` leaves the reduction open (`Reduced<EntropyOptions>` is `number | Float64Array`).
 * `Default` is the function's default reduction: 'none' for the measures, 'mean' for the
 * losses. The functions themselves are overloaded (see README, "Types"); this is for code
 * that wraps them.
 */
export type Reduced<O, Default extends string = 'none'> = ResultOf<ReductionIn<O, Default>>;

/** The reductions options of type O can hold, with Default for a missing one. */
type ReductionIn<O, Default> = O extends { reduction?: infer R }
  ? ('reduction' extends keyof O ? Exclude<R, undefined> | (undefined extends O['reduction'] ? Default : never) : Default)
  : Default;

/** Float64Array for 'none', number for any other reduction; distributes over a union. */
type ResultOf<R> = R extends 'none' ? Float64Array : number;
