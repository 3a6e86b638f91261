// The default backend by shape. On rows of a few columns the WASM adapter's per-row work
// (a row at a time, each with its max/sum passes and f64 finish) costs more than the JS
// loop, so calls that name no backend send those shapes to the JS kernels. An explicit
// `backend` (or setBackend) is always obeyed. The table is measured, not guessed:
// `npm run bench -- --route` times every kernel on both backends at each width, side by
// side, and prints the widths where JS wins (bench/route.ts).
import type { FloatArray } from '../types.js';
import { TARGETS, type Kernels, type SoftmaxStats, type WeightMode } from './kernels.js';
import { jsKernels } from './js.js';

/** Kernel names, with softmaxStats split: probability targets (TARGETS) run another loop. */
type KernelName = keyof Omit<Kernels, 'name'> | 'softmaxTargets';
/**
 * Per element type, the kernels whose JS version beats the build up to this many columns
 * (inclusive); element-wise kernels (surprisal, binaryEntropy) count as 1 column.
 */
export interface RouteTable { f32: Partial<Record<KernelName, number>>; f64: Partial<Record<KernelName, number>> }

/**
 * Measured on the 2-core reference machine with `npm run bench -- --route` (bench/results/
 * route.md: JS faster by more than 5% up to these widths). Infinity: JS at every width.
 * The binary losses have no entry since they take short rows as ~64-value segments (1 column:
 * 3.1x JS on f32, 1.3x on f64). mutualInformationSum re-measured for its f64 q phi(d) kernel
 * (2026-11-24, `npm run bench -- --route mutualInformation`): JS wins up to 8 columns (f32), 4 (f64).
 */
export const SIMD_ROUTES: RouteTable = {
  f32: {
    entropy: 1, entropyNormalized: 1, crossEntropy: 1, klDivergence: 1, klDivergenceLogTarget: 1, jsDivergence: 1,
    softmaxStats: 1, softmaxTargets: 1, classCrossEntropy: 1, softmax: 1, distill: 1, marginals: 3, mutualInformationSum: 8,
  },
  // Stryker disable next-line ObjectLiteral: emptied, every width goes to WASM: the same values (the table is measured speed)
  f64: {
    entropy: 1, entropyNormalized: 1, crossEntropy: 1, klDivergence: 1, klDivergenceLogTarget: 1, jsDivergence: 1,
    softmaxStats: 1, softmaxTargets: 1, classCrossEntropy: 1, softmax: 1, distill: 1, marginals: 4, mutualInformationSum: 4,
  },
};

/**
 * The same for the scalar build (engines without SIMD, where f64 entropy and BCE never beat JS).
 * mutualInformationSum: the f64 q phi(d) sum runs ~2x faster on V8's Math.log than on the
 * scalar build's log (`npm run bench -- --kernels mutualInformation`, 2026-11-24).
 */
export const SCALAR_ROUTES: RouteTable = {
  // Stryker disable next-line ObjectLiteral: emptied, every width goes to WASM: the same values (the table is measured speed)
  f32: {
    entropy: 1, entropyNormalized: 1, crossEntropy: 1, klDivergenceLogTarget: 1, jsDivergence: 1, softmaxStats: 1,
    marginals: 3, mutualInformationSum: Infinity, surprisal: 1, binaryEntropy: 1,
  },
  f64: {
    entropy: Infinity, entropyNormalized: 1, crossEntropy: 1, klDivergence: 1, klDivergenceLogTarget: 1, jsDivergence: 1,
    softmaxStats: 1, softmaxTargets: 1, marginals: 6, mutualInformationSum: Infinity, surprisal: 1, binaryEntropy: 1, bce: Infinity,
  },
};

/** Kernels that run `wasm`, except the (kernel, cols) pairs `table` gives to JS. */
export function routed(wasm: Kernels, table: RouteTable, js: Kernels = jsKernels): Kernels {
  const k = (kernel: KernelName, cols: number, like: FloatArray): Kernels =>
    (cols <= ((like instanceof Float64Array ? table.f64 : table.f32)[kernel] ?? 0) ? js : wasm);
  return {
    name: wasm.name,
    entropy: (p: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) =>
      k('entropy', cols, p).entropy(p, rows, cols, scale, out),
    entropyNormalized: (p: FloatArray, rows: number, cols: number, scale: number, out: Float64Array, sums?: Float64Array) =>
      k('entropyNormalized', cols, p).entropyNormalized(p, rows, cols, scale, out, sums),
    crossEntropy: (p: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) =>
      k('crossEntropy', cols, p).crossEntropy(p, q, rows, cols, scale, out),
    klDivergence: (p: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) =>
      k('klDivergence', cols, p).klDivergence(p, q, rows, cols, scale, out),
    klDivergenceLogTarget: (lp: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) =>
      k('klDivergenceLogTarget', cols, lp).klDivergenceLogTarget(lp, q, rows, cols, scale, out),
    jsDivergence: (p: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) =>
      k('jsDivergence', cols, p).jsDivergence(p, q, rows, cols, scale, out),
    surprisal: (p: FloatArray, scale: number, out: Float64Array) => k('surprisal', 1, p).surprisal(p, scale, out),
    binaryEntropy: (p: FloatArray, scale: number, out: Float64Array) => k('binaryEntropy', 1, p).binaryEntropy(p, scale, out),
    marginals: (x: FloatArray, rows: number, cols: number, rowSums: Float64Array, colSums: Float64Array) =>
      k('marginals', cols, x).marginals(x, rows, cols, rowSums, colSums),
    mutualInformationSum: (x: FloatArray, rows: number, cols: number, rowSums: Float64Array, colSums: Float64Array, total: number, lambda: number) =>
      k('mutualInformationSum', cols, x).mutualInformationSum(x, rows, cols, rowSums, colSums, total, lambda),
    softmaxStats: (z: FloatArray, t: FloatArray | null, w: FloatArray | null, rows: number, cols: number,
      invT: number, eps: number, mode: number, out: SoftmaxStats) =>
      k(mode & TARGETS ? 'softmaxTargets' : 'softmaxStats', cols, z).softmaxStats(z, t, w, rows, cols, invT, eps, mode, out),
    softmax: (z: FloatArray, rows: number, cols: number, invT: number, log: boolean, out: FloatArray) =>
      k('softmax', cols, z).softmax(z, rows, cols, invT, log, out),
    distill: (s: FloatArray, t: FloatArray, rows: number, cols: number, invT: number, out: Float64Array) =>
      k('distill', cols, s).distill(s, t, rows, cols, invT, out),
    bce: (p: FloatArray, t: FloatArray, w: FloatArray | null, wMode: WeightMode, rows: number, cols: number, out: Float64Array) =>
      k('bce', cols, p).bce(p, t, w, wMode, rows, cols, out),
    // the fused class-index CE: null (take the general path, routed above) where JS is faster
    classCrossEntropy: wasm.classCrossEntropy && ((z: FloatArray, y: Int32Array, w: FloatArray | null, rows: number, cols: number,
      invT: number, eps: number, ignore: number, wsum: number, scale: number, out: Float64Array | null) =>
      (k('classCrossEntropy', cols, z) === js ? null
        : wasm.classCrossEntropy!(z, y, w, rows, cols, invT, eps, ignore, wsum, scale, out))),
    bceLogits: (x: FloatArray, t: FloatArray, w: FloatArray | null, wMode: WeightMode, pw: FloatArray | null, pwMode: WeightMode,
      rows: number, cols: number, out: Float64Array) => k('bceLogits', cols, x).bceLogits(x, t, w, wMode, pw, pwMode, rows, cols, out),
  };
}
