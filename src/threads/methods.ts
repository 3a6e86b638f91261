// How each kernel (src/backend/kernels.ts) splits by rows: which arguments are row-major
// batches, per-row arrays, per-class arrays or plain values. The threaded kernels
// (threaded.ts) use it to cut a call into parts and to stage arrays into shared memory; the
// workers use it to run their part. One table, so a new kernel is one new line.
import type { Kernels, SoftmaxStats } from '../backend/kernels.js';
import type { FloatArray } from '../types.js';

/**
 * Argument kinds:
 * - 'M' / 'Mo': rows x cols, row-major (input / output);
 * - 'R' / 'Ro': one value per row (input / output);
 * - 'C': one per class (the same for every part);
 * - 'W': a weight array laid out by the next argument (mode 1: as 'M', 2: as 'C');
 * - 'S': SoftmaxStats, per-row outputs;
 * - 'rows' / 'cols': the shape; 'n': any other value (numbers, flags, null).
 */
export type Kind = 'M' | 'Mo' | 'R' | 'Ro' | 'C' | 'W' | 'S' | 'rows' | 'cols' | 'n';

export interface Method {
  kinds: readonly Kind[];
  /** Element-wise kernels: no shape arguments; the array is one column. */
  elements?: boolean;
  /** Kernels that return sums over their rows ({ sum, den, badLabel }): added per block, in block order. */
  sums?: boolean;
}

/** A kernel with `sums` returns ClassLossSums: SUMS_PER_BLOCK f64 per block in shared memory. */
export const SUMS_PER_BLOCK = 3;

/** The kernels that run on threads; the joint-table kernels carry sums across rows and do not. */
export const METHODS = {
  entropy: { kinds: ['M', 'rows', 'cols', 'n', 'Ro'] },
  entropyNormalized: { kinds: ['M', 'rows', 'cols', 'n', 'Ro', 'Ro'] },
  crossEntropy: { kinds: ['M', 'M', 'rows', 'cols', 'n', 'Ro'] },
  klDivergence: { kinds: ['M', 'M', 'rows', 'cols', 'n', 'Ro'] },
  klDivergenceLogTarget: { kinds: ['M', 'M', 'rows', 'cols', 'n', 'Ro'] },
  jsDivergence: { kinds: ['M', 'M', 'rows', 'cols', 'n', 'Ro'] },
  surprisal: { kinds: ['M', 'n', 'Ro'], elements: true },
  binaryEntropy: { kinds: ['M', 'n', 'Ro'], elements: true },
  softmaxStats: { kinds: ['M', 'M', 'C', 'rows', 'cols', 'n', 'n', 'n', 'S'] },
  classCrossEntropy: { kinds: ['M', 'R', 'C', 'rows', 'cols', 'n', 'n', 'n', 'n', 'n', 'Ro'], sums: true },
  softmax: { kinds: ['M', 'rows', 'cols', 'n', 'n', 'Mo'] },
  distill: { kinds: ['M', 'M', 'rows', 'cols', 'n', 'Ro'] },
  bce: { kinds: ['M', 'M', 'W', 'n', 'rows', 'cols', 'Mo'] },
  bceLogits: { kinds: ['M', 'M', 'W', 'n', 'W', 'n', 'rows', 'cols', 'Mo'] },
} as const satisfies Record<string, Method>;

export type MethodName = keyof typeof METHODS;
export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

export type Arg = number | boolean | null | undefined | FloatArray | Int32Array | SoftmaxStats;

/** The per-row arrays of SoftmaxStats. */
export const STATS_KEYS = ['m', 'ls', 'h', 'b', 'w'] as const;

/** The typed arrays a kernel takes, and their codes when they cross threads (team.ts, messages.ts). */
export type Typed = FloatArray | Int32Array;
export const TYPES = [Float32Array, Float64Array, Int32Array] as const;
export const typeCode = (a: Typed): 0 | 1 | 2 => (a instanceof Float32Array ? 0 : a instanceof Float64Array ? 1 : 2);

/** The batch shape of a call: rows and cols (element-wise kernels: one column). */
export function shapeOf(method: MethodName, args: readonly Arg[]): { rows: number; cols: number } {
  const m: Method = METHODS[method];
  if (m.elements) return { rows: (args[0] as FloatArray).length, cols: 1 };
  return { rows: args[m.kinds.indexOf('rows')] as number, cols: args[m.kinds.indexOf('cols')] as number };
}

/** The rule for argument i: 'W' resolved by its mode argument. */
function kindAt(m: Method, args: readonly Arg[], i: number): Kind {
  const k = m.kinds[i];
  if (k !== 'W') return k;
  return args[i + 1] === 1 ? 'M' : 'C';
}

/**
 * Visit every array argument with its kind and the range [from, to) of it that rows
 * [r0, r0 + n) cover (the whole array for 'C'); `swap` returns its replacement.
 */
export function mapArrays(method: MethodName, args: readonly Arg[], r0: number, n: number,
  swap: (a: FloatArray | Int32Array, kind: Kind, from: number, to: number) => FloatArray | Int32Array): Arg[] {
  const m: Method = METHODS[method];
  const { cols } = shapeOf(method, args);
  const range = (a: FloatArray | Int32Array, kind: Kind) => (kind === 'M' || kind === 'Mo'
    ? swap(a, kind, r0 * cols, (r0 + n) * cols)
    : kind === 'C' ? swap(a, kind, 0, a.length) : swap(a, kind, r0, r0 + n));
  return args.map((a, i) => {
    const kind = kindAt(m, args, i);
    if (kind === 'rows') return n;
    if (a === null || a === undefined || typeof a !== 'object') return a;
    if (kind === 'S') {
      const s = a as SoftmaxStats, out: Partial<SoftmaxStats> = {};
      for (const key of STATS_KEYS) if (s[key]) out[key] = range(s[key]!, 'Ro') as Float64Array;
      return out as SoftmaxStats;
    }
    return range(a as FloatArray | Int32Array, kind);
  });
}

/** Is argument kind an output (written by the kernel)? */
export function isOutput(kind: Kind): boolean {
  return kind === 'Mo' || kind === 'Ro' || kind === 'S';
}

/**
 * Run `method` on block b of `args` (rows [b * step, min(n, (b + 1) * step)), the adapter's
 * own block, so each row is computed exactly as on one thread); the kernel's return value.
 */
export function runBlock(k: Kernels, method: MethodName, args: readonly Arg[], n: number, step: number, b: number): unknown {
  const r0 = b * step;
  const part = mapArrays(method, args, r0, Math.min(step, n - r0), (a, _kind, from, to) => a.subarray(from, to));
  return (k[method] as (...a: Arg[]) => unknown)(...part);
}
