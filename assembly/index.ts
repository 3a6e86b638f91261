// The module's exports: every kernel for f32 and f64. Pointers are byte offsets into this
// module's memory; the JS side (src/backend/wasm/) owns the layout. Kernels return a
// status word (bit 0: an input broke its validity rule) or, for sums, the value.
import { entropyRows, entropyNormalizedRows, sumRow, entropyGivenSum, normalizedFinish, pairRows, CROSS_ENTROPY, KL, KL_LOG_TARGET, JS } from "./kernels/distributions";
import { surprisalElems, binaryEntropyElems } from "./kernels/elementwise";
import { marginalsRows, miRows } from "./kernels/joint";
import { logElems, expElems } from "./kernels/vmath";
import { softmaxStatsRows, softmaxRows, softmaxBlock, distillRows, rowMax } from "./kernels/softmax";
import { bceRows, bceLogitsRows } from "./kernels/binary";
import { shortStatsRows, shortClassCrossEntropyRows, shortEntropyRows, shortCrossEntropyRows, shortKlRows, shortJsRows, setShortScratch, SHORT_SCRATCH_BYTES } from "./kernels/shortrows";

/** First byte the JS side may use: everything below is static data. */
export function heapBase(): usize { return __heap_base; }

/** Per-instance scratch (instances sharing a memory, see src/threads/): its size, and where it goes. */
export function shortScratchBytes(): i32 { return SHORT_SCRATCH_BYTES; }
export function useScratch(at: usize): void { setShortScratch(at); }

export function entropy_f32(p: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return entropyRows<f32>(p, rows, cols, scale, out); }
export function entropy_f64(p: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return entropyRows<f64>(p, rows, cols, scale, out); }
export function shortEntropy_f32(p: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return shortEntropyRows<f32>(p, rows, cols, scale, out); }
export function shortEntropy_f64(p: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return shortEntropyRows<f64>(p, rows, cols, scale, out); }
export function entropyNormalized_f32(p: usize, rows: i32, cols: i32, scale: f64, out: usize, sums: usize): i32 { return entropyNormalizedRows<f32>(p, rows, cols, scale, out, sums); }
export function entropyNormalized_f64(p: usize, rows: i32, cols: i32, scale: f64, out: usize, sums: usize): i32 { return entropyNormalizedRows<f64>(p, rows, cols, scale, out, sums); }
export function crossEntropy_f32(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return pairRows<f32>(CROSS_ENTROPY, p, q, rows, cols, scale, out); }
export function crossEntropy_f64(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return pairRows<f64>(CROSS_ENTROPY, p, q, rows, cols, scale, out); }
export function shortCrossEntropy_f32(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return shortCrossEntropyRows<f32>(p, q, rows, cols, scale, out); }
export function shortCrossEntropy_f64(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return shortCrossEntropyRows<f64>(p, q, rows, cols, scale, out); }
export function shortKl_f32(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return shortKlRows<f32>(p, q, rows, cols, scale, out); }
export function shortKl_f64(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return shortKlRows<f64>(p, q, rows, cols, scale, out); }
export function kl_f32(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return pairRows<f32>(KL, p, q, rows, cols, scale, out); }
export function kl_f64(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return pairRows<f64>(KL, p, q, rows, cols, scale, out); }
export function klLogTarget_f32(lp: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return pairRows<f32>(KL_LOG_TARGET, lp, q, rows, cols, scale, out); }
export function klLogTarget_f64(lp: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return pairRows<f64>(KL_LOG_TARGET, lp, q, rows, cols, scale, out); }
export function shortJs_f32(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return shortJsRows<f32>(p, q, rows, cols, scale, out); }
export function shortJs_f64(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return shortJsRows<f64>(p, q, rows, cols, scale, out); }
export function js_f32(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return pairRows<f32>(JS, p, q, rows, cols, scale, out); }
export function js_f64(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return pairRows<f64>(JS, p, q, rows, cols, scale, out); }
export function surprisal_f32(p: usize, n: i32, scale: f64, out: usize): i32 { return surprisalElems<f32>(p, n, scale, out); }
export function surprisal_f64(p: usize, n: i32, scale: f64, out: usize): i32 { return surprisalElems<f64>(p, n, scale, out); }
export function binaryEntropy_f32(p: usize, n: i32, scale: f64, out: usize): i32 { return binaryEntropyElems<f32>(p, n, scale, out); }
export function binaryEntropy_f64(p: usize, n: i32, scale: f64, out: usize): i32 { return binaryEntropyElems<f64>(p, n, scale, out); }
export function marginals_f32(p: usize, rows: i32, cols: i32, rowOut: usize, colAcc: usize): i32 { return marginalsRows<f32>(p, rows, cols, rowOut, colAcc); }
export function marginals_f64(p: usize, rows: i32, cols: i32, rowOut: usize, colAcc: usize): i32 { return marginalsRows<f64>(p, rows, cols, rowOut, colAcc); }
export function mi_f32(p: usize, rows: i32, cols: i32, rowSums: usize, colSums: usize, total: f64, lambda: f64): f64 { return miRows<f32>(p, rows, cols, rowSums, colSums, total, lambda); }
export function mi_f64(p: usize, rows: i32, cols: i32, rowSums: usize, colSums: usize, total: f64, lambda: f64): f64 { return miRows<f64>(p, rows, cols, rowSums, colSums, total, lambda); }
export function log_f32(p: usize, n: i32, out: usize): void { logElems<f32>(p, n, out); }
export function log_f64(p: usize, n: i32, out: usize): void { logElems<f64>(p, n, out); }
export function exp_f32(p: usize, n: i32, out: usize): void { expElems<f32>(p, n, out); }
export function exp_f64(p: usize, n: i32, out: usize): void { expElems<f64>(p, n, out); }

// ---- logits and labels
export function softmaxStats_f32(z: usize, t: usize, w: usize, rows: i32, cols: i32, invT: f64, eps: f64, mode: i32, outM: usize, outLS: usize, outH: usize, outB: usize, outW: usize): i32 { return softmaxStatsRows<f32>(z, t, w, rows, cols, invT, eps, mode, outM, outLS, outH, outB, outW); }
export function softmaxStats_f64(z: usize, t: usize, w: usize, rows: i32, cols: i32, invT: f64, eps: f64, mode: i32, outM: usize, outLS: usize, outH: usize, outB: usize, outW: usize): i32 { return softmaxStatsRows<f64>(z, t, w, rows, cols, invT, eps, mode, outM, outLS, outH, outB, outW); }
// rows of 2 to 32 logits across lanes (kernels/shortrows.ts); other shapes, modes and temperatures: the row kernel
export function shortStats_f32(z: usize, t: usize, w: usize, rows: i32, cols: i32, invT: f64, eps: f64, mode: i32, outM: usize, outLS: usize, outH: usize, outB: usize, outW: usize): i32 { return shortStatsRows<f32>(z, t, w, rows, cols, invT, eps, mode, outM, outLS, outH, outB, outW); }
export function shortStats_f64(z: usize, t: usize, w: usize, rows: i32, cols: i32, invT: f64, eps: f64, mode: i32, outM: usize, outLS: usize, outH: usize, outB: usize, outW: usize): i32 { return shortStatsRows<f64>(z, t, w, rows, cols, invT, eps, mode, outM, outLS, outH, outB, outW); }
export function shortClassCrossEntropy_f32(z: usize, y: usize, w: usize, rows: i32, cols: i32, invT: f64, eps: f64, ignore: f64, wsum: f64, scale: f64, out: usize, acc: usize): i32 { return shortClassCrossEntropyRows<f32>(z, y, w, rows, cols, invT, eps, ignore, wsum, scale, out, acc); }
export function shortClassCrossEntropy_f64(z: usize, y: usize, w: usize, rows: i32, cols: i32, invT: f64, eps: f64, ignore: f64, wsum: f64, scale: f64, out: usize, acc: usize): i32 { return shortClassCrossEntropyRows<f64>(z, y, w, rows, cols, invT, eps, ignore, wsum, scale, out, acc); }
export function softmax_f32(z: usize, rows: i32, cols: i32, invT: f64, logOut: bool, out: usize): void { softmaxRows<f32>(z, rows, cols, invT, logOut, out); }
export function softmax_f64(z: usize, rows: i32, cols: i32, invT: f64, logOut: bool, out: usize): void { softmaxRows<f64>(z, rows, cols, invT, logOut, out); }
export function distill_f32(s: usize, t: usize, rows: i32, cols: i32, invT: f64, out: usize): void { distillRows<f32>(s, t, rows, cols, invT, out); }
export function distill_f64(s: usize, t: usize, rows: i32, cols: i32, invT: f64, out: usize): void { distillRows<f64>(s, t, rows, cols, invT, out); }
export function bce_f32(p: usize, t: usize, w: usize, wMode: i32, rows: i32, cols: i32, out: usize): i32 { return bceRows<f32>(p, t, w, wMode, rows, cols, out); }
export function bce_f64(p: usize, t: usize, w: usize, wMode: i32, rows: i32, cols: i32, out: usize): i32 { return bceRows<f64>(p, t, w, wMode, rows, cols, out); }
export function bceLogits_f32(x: usize, t: usize, w: usize, wMode: i32, pw: usize, pwMode: i32, rows: i32, cols: i32, out: usize): void { bceLogitsRows<f32>(x, t, w, wMode, pw, pwMode, rows, cols, out); }
export function bceLogits_f64(x: usize, t: usize, w: usize, wMode: i32, pw: usize, pwMode: i32, rows: i32, cols: i32, out: usize): void { bceLogitsRows<f64>(x, t, w, wMode, pw, pwMode, rows, cols, out); }

// ---- blocks of rows too wide for one chunk (streamed by the JS side)
export function rowMax_f32(z: usize, n: i32): f64 { return <f64>rowMax<f32>(z, n); }
export function rowMax_f64(z: usize, n: i32): f64 { return rowMax<f64>(z, n); }
export function softmaxBlock_f32(z: usize, n: i32, m: f64, invT: f64, s: f64, logOut: bool, out: usize): void { softmaxBlock<f32>(z, n, m, invT, s, logOut, out); }
export function softmaxBlock_f64(z: usize, n: i32, m: f64, invT: f64, s: f64, logOut: bool, out: usize): void { softmaxBlock<f64>(z, n, m, invT, s, logOut, out); }
export function rowSum_f32(p: usize, n: i32): f64 { return sumRow<f32>(p, n); }
export function rowSum_f64(p: usize, n: i32): f64 { return sumRow<f64>(p, n); }
export function entropyGivenSum_f32(p: usize, n: i32, S: f64): f64 { return entropyGivenSum<f32>(p, n, S); }
export function entropyGivenSum_f64(p: usize, n: i32, S: f64): f64 { return entropyGivenSum<f64>(p, n, S); }
export function normalizedFinish_f32(h: f64, S: f64): f64 { return normalizedFinish<f32>(h, S); }
export function normalizedFinish_f64(h: f64, S: f64): f64 { return normalizedFinish<f64>(h, S); }
