// The WASM kernels split across a team (team.ts): each call's rows are cut at the adapter's
// block boundaries and the calling thread and the helpers take blocks in turn, so every
// row is computed by the same code on the same block as on one thread and the result is
// bit-identical (sums that kernels return come back per block and are added in block order). Arrays that are not in the shared memory (anything but allocBatch views)
// are staged through this thread's staging region, a round of rows at a time, so memory
// stays bounded. Small calls, and threads that may not block, run on the calling thread.
import type { ClassLossSums, Kernels, SoftmaxStats, WeightMode } from '../backend/kernels.js';
import type { WasmKernels } from '../backend/wasm/kernels.js';
import { SLACK } from '../backend/wasm/arena.js';
import type { FloatArray } from '../types.js';
import { type Arg, type Method, type MethodName, type Typed, METHODS, SUMS_PER_BLOCK, isOutput, mapArrays, shapeOf } from './methods.js';
import type { Team } from './team.js';

/**
 * Fewest values a call needs before it is split: below it, waking the helpers (a few
 * microseconds each, then their caches warming) costs more than it saves.
 * Measured with `npm run bench -- --split` (bench/split.ts, bench/results/split.md).
 */
export const MIN_SPLIT_VALUES = 1 << 17;
let minSplitValues = MIN_SPLIT_VALUES;

/** Split calls from `values` on (the split bench measures below the threshold); returns the previous value. */
export function setMinSplitValues(values: number): number {
  const was = minSplitValues;
  minSplitValues = values;
  return was;
}

/** A thread's staging region in shared memory. */
export interface Stage {
  ptr: number;
  bytes: number;
}

let blocking: boolean | null = null;

/** May this thread block in Atomics.wait? (Not a browser page's main thread.) */
export function canBlock(): boolean {
  if (blocking === null) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      blocking = true;
    } catch {
      blocking = false;
    }
  }
  return blocking;
}

const align = (n: number) => Math.ceil(n / 16) * 16;

export class ThreadedKernels implements Kernels {
  readonly name = 'wasm-simd' as const;

  constructor(private readonly local: WasmKernels, private readonly team: Team, private readonly stage: Stage,
    readonly threads: number) {}

  /** The calling thread's memory (as WasmKernels.arena). */
  get arena() {
    return this.local.arena;
  }

  private run(method: MethodName, args: Arg[]): unknown {
    const { rows, cols } = shapeOf(method, args);
    const step = this.local.rowsPerStep(args[0] as FloatArray, cols, (METHODS[method] as { elements?: boolean }).elements === true);
    const helpers = Math.min(this.threads - 1, this.team.helpers, Math.ceil(rows / step) - 1);
    const own = () => (this.local[method] as (...a: Arg[]) => unknown)(...args);
    if (helpers < 1 || rows * cols < minSplitValues || !canBlock() || !this.team.acquire()) return own();
    try {
      return this.split(method, args, rows, cols, step, helpers) ?? own();
    } finally {
      this.team.release();
    }
  }

  /** The rows in rounds that fit the staging region, each run by the team; undefined if one block does not fit. */
  private split(method: MethodName, args: Arg[], rows: number, cols: number, step: number, helpers: number): unknown {
    const arena = this.local.arena;
    // bytes to stage per row, and once per round (per-class arrays, each array's slack and
    // alignment), for arrays outside shared memory
    let perRow = 0, fixed = 0;
    mapArrays(method, args, 0, 1, (a, kind, from, to) => {
      if (!arena.owns(a.buffer)) {
        const bytes = (to - from) * a.BYTES_PER_ELEMENT;
        if (kind === 'C') fixed += bytes; else perRow += bytes;
        fixed += SLACK + 16;
      }
      return a;
    });
    const sumsPerBlock = (METHODS[method] as Method).sums ? SUMS_PER_BLOCK * 8 : 0;
    const blocksPerRound = perRow + sumsPerBlock === 0 ? Infinity
      : Math.floor((this.stage.bytes - fixed) / (perRow * step + sumsPerBlock));
    if (blocksPerRound < 2) return undefined;
    const roundRows = Math.min(rows, blocksPerRound * step);
    const sums: ClassLossSums = { sum: 0, den: 0, badLabel: false };
    let invalid = false;
    for (let r0 = 0; r0 < rows; r0 += roundRows) {
      const n = Math.min(roundRows, rows - r0);
      const outs: [Typed, Typed][] = [];
      let at = this.stage.ptr;
      const staged = mapArrays(method, args, r0, n, (a, kind, from, to) => {
        const sub = a.subarray(from, to);
        if (arena.owns(a.buffer)) return sub;
        const view = new (a.constructor as new (b: ArrayBufferLike, o: number, n: number) => Typed)(arena.buffer, at, to - from);
        at = align(at + view.byteLength + SLACK);
        if (isOutput(kind)) outs.push([sub, view]); else view.set(sub as never);
        return view;
      });
      const blocks = Math.ceil(n / step);
      invalid = this.team.run(this.local, { method, args: staged, n, step, sumsPtr: sumsPerBlock ? at : 0 },
        Math.min(helpers, blocks - 1)) || invalid;
      for (const [dst, src] of outs) dst.set(src as never);
      if (sumsPerBlock) {
        const f = arena.f64At(at, SUMS_PER_BLOCK * blocks);
        for (let b = 0; b < blocks; b++) { // block order, as one thread adds them
          sums.sum += f[SUMS_PER_BLOCK * b];
          sums.den += f[SUMS_PER_BLOCK * b + 1];
          sums.badLabel ||= f[SUMS_PER_BLOCK * b + 2] !== 0;
        }
      }
    }
    return sumsPerBlock ? sums : invalid;
  }

  entropy(p: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) {
    return this.run('entropy', [p, rows, cols, scale, out]) as boolean;
  }
  entropyNormalized(p: FloatArray, rows: number, cols: number, scale: number, out: Float64Array, sums?: Float64Array) {
    return this.run('entropyNormalized', [p, rows, cols, scale, out, sums]) as boolean;
  }
  crossEntropy(p: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) {
    return this.run('crossEntropy', [p, q, rows, cols, scale, out]) as boolean;
  }
  klDivergence(p: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) {
    return this.run('klDivergence', [p, q, rows, cols, scale, out]) as boolean;
  }
  klDivergenceLogTarget(lp: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) {
    return this.run('klDivergenceLogTarget', [lp, q, rows, cols, scale, out]) as boolean;
  }
  jsDivergence(p: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) {
    return this.run('jsDivergence', [p, q, rows, cols, scale, out]) as boolean;
  }
  surprisal(p: FloatArray, scale: number, out: Float64Array) {
    return this.run('surprisal', [p, scale, out]) as boolean;
  }
  binaryEntropy(p: FloatArray, scale: number, out: Float64Array) {
    return this.run('binaryEntropy', [p, scale, out]) as boolean;
  }
  softmaxStats(z: FloatArray, t: FloatArray | null, w: FloatArray | null, rows: number, cols: number,
    invT: number, eps: number, mode: number, out: SoftmaxStats) {
    return this.run('softmaxStats', [z, t, w, rows, cols, invT, eps, mode, out]) as boolean;
  }
  classCrossEntropy(z: FloatArray, y: Int32Array, w: FloatArray | null, rows: number, cols: number, invT: number,
    eps: number, ignore: number, wsum: number, scale: number, out: Float64Array | null): ClassLossSums | null {
    if (this.local.wide(z, cols)) return null; // the caller takes the general path
    return this.run('classCrossEntropy', [z, y, w, rows, cols, invT, eps, ignore, wsum, scale, out]) as ClassLossSums | null;
  }
  softmax(z: FloatArray, rows: number, cols: number, invT: number, log: boolean, out: FloatArray) {
    this.run('softmax', [z, rows, cols, invT, log, out]);
  }
  distill(s: FloatArray, t: FloatArray, rows: number, cols: number, invT: number, out: Float64Array) {
    this.run('distill', [s, t, rows, cols, invT, out]);
  }
  bce(p: FloatArray, t: FloatArray, w: FloatArray | null, wMode: WeightMode, rows: number, cols: number, out: Float64Array) {
    return this.run('bce', [p, t, w, wMode, rows, cols, out]) as boolean;
  }
  bceLogits(x: FloatArray, t: FloatArray, w: FloatArray | null, wMode: WeightMode, pw: FloatArray | null, pwMode: WeightMode,
    rows: number, cols: number, out: Float64Array) {
    this.run('bceLogits', [x, t, w, wMode, pw, pwMode, rows, cols, out]);
  }
  // Joint tables: column sums and the MI sum run across rows in one order; one thread.
  marginals(x: FloatArray, rows: number, cols: number, rowSums: Float64Array, colSums: Float64Array) {
    return this.local.marginals(x, rows, cols, rowSums, colSums);
  }
  mutualInformationSum(x: FloatArray, rows: number, cols: number, rowSums: Float64Array, colSums: Float64Array, total: number, lambda: number) {
    return this.local.mutualInformationSum(x, rows, cols, rowSums, colSums, total, lambda);
  }
}
