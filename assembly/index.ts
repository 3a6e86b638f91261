// The module's exports: every kernel for f32 and f64. Pointers are byte offsets into this
// module's memory; the JS side (src/backend/wasm/) owns the layout. Kernels return a
// status word (bit 0: an input broke its validity rule) or, for sums, the value.
import { entropyRows, entropyNormalizedRows, crossEntropyRows, klRows, klLogRows, jsRows } from "./kernels/distributions";
import { surprisalElems, binaryEntropyElems } from "./kernels/elementwise";
import { marginalsRows, miRows } from "./kernels/joint";
import { logElems, expElems } from "./kernels/vmath";

/** First byte the JS side may use: everything below is static data. */
export function heapBase(): usize { return __heap_base; }

export function entropy_f32(p: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return entropyRows<f32>(p, rows, cols, scale, out); }
export function entropy_f64(p: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return entropyRows<f64>(p, rows, cols, scale, out); }
export function entropyNormalized_f32(p: usize, rows: i32, cols: i32, scale: f64, out: usize, sums: usize): i32 { return entropyNormalizedRows<f32>(p, rows, cols, scale, out, sums); }
export function entropyNormalized_f64(p: usize, rows: i32, cols: i32, scale: f64, out: usize, sums: usize): i32 { return entropyNormalizedRows<f64>(p, rows, cols, scale, out, sums); }
export function crossEntropy_f32(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return crossEntropyRows<f32>(p, q, rows, cols, scale, out); }
export function crossEntropy_f64(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return crossEntropyRows<f64>(p, q, rows, cols, scale, out); }
export function kl_f32(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return klRows<f32>(p, q, rows, cols, scale, out); }
export function kl_f64(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return klRows<f64>(p, q, rows, cols, scale, out); }
export function klLogTarget_f32(lp: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return klLogRows<f32>(lp, q, rows, cols, scale, out); }
export function klLogTarget_f64(lp: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return klLogRows<f64>(lp, q, rows, cols, scale, out); }
export function js_f32(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return jsRows<f32>(p, q, rows, cols, scale, out); }
export function js_f64(p: usize, q: usize, rows: i32, cols: i32, scale: f64, out: usize): i32 { return jsRows<f64>(p, q, rows, cols, scale, out); }
export function surprisal_f32(p: usize, n: i32, scale: f64, out: usize): i32 { return surprisalElems<f32>(p, n, scale, out); }
export function surprisal_f64(p: usize, n: i32, scale: f64, out: usize): i32 { return surprisalElems<f64>(p, n, scale, out); }
export function binaryEntropy_f32(p: usize, n: i32, scale: f64, out: usize): i32 { return binaryEntropyElems<f32>(p, n, scale, out); }
export function binaryEntropy_f64(p: usize, n: i32, scale: f64, out: usize): i32 { return binaryEntropyElems<f64>(p, n, scale, out); }
export function marginals_f32(p: usize, rows: i32, cols: i32, rowOut: usize, colAcc: usize): i32 { return marginalsRows<f32>(p, rows, cols, rowOut, colAcc); }
export function marginals_f64(p: usize, rows: i32, cols: i32, rowOut: usize, colAcc: usize): i32 { return marginalsRows<f64>(p, rows, cols, rowOut, colAcc); }
export function mi_f32(p: usize, rows: i32, cols: i32, rowScale: usize, colScale: usize): f64 { return miRows<f32>(p, rows, cols, rowScale, colScale); }
export function mi_f64(p: usize, rows: i32, cols: i32, rowScale: usize, colScale: usize): f64 { return miRows<f64>(p, rows, cols, rowScale, colScale); }
export function log_f32(p: usize, n: i32, out: usize): void { logElems<f32>(p, n, out); }
export function log_f64(p: usize, n: i32, out: usize): void { logElems<f64>(p, n, out); }
export function exp_f32(p: usize, n: i32, out: usize): void { expElems<f32>(p, n, out); }
export function exp_f64(p: usize, n: i32, out: usize): void { expElems<f64>(p, n, out); }
