// The WASM backends (SIMD and scalar builds share this adapter). Inputs are copied into
// the arena in chunks of whole rows (about CHUNK_ELEMENTS values, so a chunk stays in
// cache between the copy and the kernel), results are copied out per chunk.
import type { FloatArray } from '../../types.js';
import type { Kernels, SoftmaxStats, WeightMode } from '../kernels.js';
import { Arena } from './arena.js';
import type { WasmExports } from './load.js';

const CHUNK_ELEMENTS = 1 << 16;
const INVALID = 1;

type Fn = (...args: number[]) => number;

export class WasmKernels implements Kernels {
  readonly arena: Arena;

  constructor(readonly name: 'wasm-simd' | 'wasm-scalar', private readonly exports: WasmExports) {
    this.arena = new Arena(exports.memory, exports.heapBase());
  }

  private fn(kernel: string, like: FloatArray): Fn {
    return this.exports[`${kernel}_${like instanceof Float64Array ? 'f64' : 'f32'}`] as Fn;
  }

  /** Rows per chunk for rows of `cols` values (at least one row). */
  private chunkRows(rows: number, cols: number): number {
    return Math.max(1, Math.min(rows, Math.floor(CHUNK_ELEMENTS / Math.max(cols, 1))));
  }

  /** Copy rows [r0, r0 + n) of each input to its region. */
  private copyIn(inputs: readonly FloatArray[], ptrs: readonly number[], r0: number, n: number, cols: number): void {
    const view = this.arena.view(inputs[0] instanceof Float64Array);
    const shift = inputs[0].BYTES_PER_ELEMENT === 8 ? 3 : 2;
    for (let k = 0; k < inputs.length; k++) {
      view.set(inputs[k].subarray(r0 * cols, (r0 + n) * cols), ptrs[k] >> shift);
    }
  }

  private copyOut(ptr: number, n: number, out: Float64Array, at: number): void {
    out.set(this.arena.f64.subarray(ptr >> 3, (ptr >> 3) + n), at);
  }

  /**
   * A row kernel fn(...inputs, rows, cols, scale, out[, sums]) -> status. `sums`: undefined
   * for kernels without that argument, null to pass 0 (not wanted), or the array to fill.
   */
  private rows(kernel: string, inputs: readonly FloatArray[], rows: number, cols: number, scale: number,
    out: Float64Array, sums?: Float64Array | null): boolean {
    const f = this.fn(kernel, inputs[0]);
    const chunk = this.chunkRows(rows, cols);
    const bytes = chunk * cols * inputs[0].BYTES_PER_ELEMENT;
    const sizes = inputs.map(() => bytes);
    sizes.push(chunk * 8, sums ? chunk * 8 : 0);
    const ptrs = this.arena.layout(sizes);
    const outPtr = ptrs[inputs.length];
    const sumsPtr = ptrs[inputs.length + 1];
    let status = 0;
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const n = Math.min(chunk, rows - r0);
      this.copyIn(inputs, ptrs, r0, n, cols);
      const args = ptrs.slice(0, inputs.length);
      args.push(n, cols, scale, outPtr);
      if (sums !== undefined) args.push(sums ? sumsPtr : 0);
      status |= f(...args);
      this.copyOut(outPtr, n, out, r0);
      if (sums) this.copyOut(sumsPtr, n, sums, r0);
    }
    return (status & INVALID) !== 0;
  }

  /** An element-wise kernel fn(p, n, scale, out) -> status. */
  private elements(kernel: string, p: FloatArray, scale: number, out: Float64Array): boolean {
    const f = this.fn(kernel, p);
    const chunk = Math.max(1, Math.min(p.length, CHUNK_ELEMENTS));
    const [inPtr, outPtr] = this.arena.layout([chunk * p.BYTES_PER_ELEMENT, chunk * 8]);
    let status = 0;
    for (let i0 = 0; i0 < p.length; i0 += chunk) {
      const n = Math.min(chunk, p.length - i0);
      this.copyIn([p], [inPtr], i0, n, 1);
      status |= f(inPtr, n, scale, outPtr);
      this.copyOut(outPtr, n, out, i0);
    }
    return (status & INVALID) !== 0;
  }

  entropy(p: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) {
    return this.rows('entropy', [p], rows, cols, scale, out);
  }
  entropyNormalized(p: FloatArray, rows: number, cols: number, scale: number, out: Float64Array, sums?: Float64Array) {
    return this.rows('entropyNormalized', [p], rows, cols, scale, out, sums ?? null);
  }
  crossEntropy(p: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) {
    return this.rows('crossEntropy', [p, q], rows, cols, scale, out);
  }
  klDivergence(p: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) {
    return this.rows('kl', [p, q], rows, cols, scale, out);
  }
  klDivergenceLogTarget(lp: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) {
    return this.rows('klLogTarget', [lp, q], rows, cols, scale, out);
  }
  jsDivergence(p: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) {
    return this.rows('js', [p, q], rows, cols, scale, out);
  }
  surprisal(p: FloatArray, scale: number, out: Float64Array) {
    return this.elements('surprisal', p, scale, out);
  }
  binaryEntropy(p: FloatArray, scale: number, out: Float64Array) {
    return this.elements('binaryEntropy', p, scale, out);
  }

  marginals(x: FloatArray, rows: number, cols: number, rowSums: Float64Array, colSums: Float64Array): boolean {
    const f = this.fn('marginals', x);
    const chunk = this.chunkRows(rows, cols);
    const [colPtr, inPtr, rowPtr] = this.arena.layout([cols * 8, chunk * cols * x.BYTES_PER_ELEMENT, chunk * 8]);
    this.arena.f64.fill(0, colPtr >> 3, (colPtr >> 3) + cols);
    let status = 0;
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const n = Math.min(chunk, rows - r0);
      this.copyIn([x], [inPtr], r0, n, cols);
      status |= f(inPtr, n, cols, rowPtr, colPtr);
      this.copyOut(rowPtr, n, rowSums, r0);
    }
    this.copyOut(colPtr, cols, colSums, 0);
    return (status & INVALID) !== 0;
  }

  mutualInformationSum(x: FloatArray, rows: number, cols: number, rowScale: Float64Array, colScale: Float64Array): number {
    const f = this.fn('mi', x);
    const chunk = this.chunkRows(rows, cols);
    const [colPtr, inPtr, rowPtr] = this.arena.layout([cols * 8, chunk * cols * x.BYTES_PER_ELEMENT, chunk * 8]);
    this.arena.f64.set(colScale, colPtr >> 3);
    let s = 0;
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const n = Math.min(chunk, rows - r0);
      this.copyIn([x], [inPtr], r0, n, cols);
      this.arena.f64.set(rowScale.subarray(r0, r0 + n), rowPtr >> 3);
      s += f(inPtr, n, cols, rowPtr, colPtr);
    }
    return s;
  }

  // ---- logits and labels

  /** A per-class weight vector (cols values) in `like`'s element type at ptr; ones when absent. */
  private classWeights(w: FloatArray | null, like: FloatArray, ptr: number, cols: number): void {
    const f64 = like instanceof Float64Array;
    const view = this.arena.view(f64);
    const at = ptr >> (f64 ? 3 : 2);
    if (w) view.set(w, at);
    else view.fill(1, at, at + cols);
  }

  /** Weights of a mode-1 (per element) array for rows [r0, r0+n), or mode-2 (per class) once. */
  private weightRegionBytes(mode: WeightMode, chunk: number, cols: number, bpe: number): number {
    return mode === 1 ? chunk * cols * bpe : mode === 2 ? cols * bpe : 0;
  }

  softmaxStats(z: FloatArray, t: FloatArray | null, w: FloatArray | null, rows: number, cols: number,
    invT: number, eps: number, mode: number, out: SoftmaxStats): boolean {
    const f = this.fn('softmaxStats', z);
    const chunk = this.chunkRows(rows, cols);
    const bpe = z.BYTES_PER_ELEMENT;
    const inputs = t ? [z, t] : [z];
    const outs = [out.m, out.ls, out.h, out.b, out.w];
    const ptrs = this.arena.layout([...inputs.map(() => chunk * cols * bpe), cols * bpe, ...outs.map((o) => (o ? chunk * 8 : 0))]);
    const wPtr = ptrs[inputs.length];
    const outPtrs = ptrs.slice(inputs.length + 1);
    this.classWeights(w, z, wPtr, cols);
    let status = 0;
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const n = Math.min(chunk, rows - r0);
      this.copyIn(inputs, ptrs, r0, n, cols);
      status |= f(ptrs[0], t ? ptrs[1] : 0, wPtr, n, cols, invT, eps, mode,
        ...outs.map((o, k) => (o ? outPtrs[k] : 0)));
      outs.forEach((o, k) => o && this.copyOut(outPtrs[k], n, o, r0));
    }
    return (status & INVALID) !== 0;
  }

  softmax(z: FloatArray, rows: number, cols: number, invT: number, log: boolean, out: FloatArray): void {
    const f = this.fn('softmax', z);
    const chunk = this.chunkRows(rows, cols);
    const bytes = chunk * cols * z.BYTES_PER_ELEMENT;
    const [inPtr, outPtr] = this.arena.layout([bytes, bytes]);
    const shift = z.BYTES_PER_ELEMENT === 8 ? 3 : 2;
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const n = Math.min(chunk, rows - r0);
      this.copyIn([z], [inPtr], r0, n, cols);
      f(inPtr, n, cols, invT, log ? 1 : 0, outPtr);
      const view = this.arena.view(z instanceof Float64Array);
      out.set(view.subarray(outPtr >> shift, (outPtr >> shift) + n * cols), r0 * cols);
    }
  }

  distill(s: FloatArray, t: FloatArray, rows: number, cols: number, invT: number, out: Float64Array): void {
    const f = this.fn('distill', s);
    const chunk = this.chunkRows(rows, cols);
    const bytes = chunk * cols * s.BYTES_PER_ELEMENT;
    const [sPtr, tPtr, outPtr] = this.arena.layout([bytes, bytes, chunk * 8]);
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const n = Math.min(chunk, rows - r0);
      this.copyIn([s, t], [sPtr, tPtr], r0, n, cols);
      f(sPtr, tPtr, n, cols, invT, outPtr);
      this.copyOut(outPtr, n, out, r0);
    }
  }

  /** Element-wise binary losses: inputs and per-element weights chunked by rows, per-class weights once. */
  private binary(kernel: string, inputs: FloatArray[], weights: [FloatArray | null, WeightMode][],
    rows: number, cols: number, out: Float64Array): boolean {
    const f = this.fn(kernel, inputs[0]);
    const chunk = this.chunkRows(rows, cols);
    const bpe = inputs[0].BYTES_PER_ELEMENT;
    const ptrs = this.arena.layout([
      ...inputs.map(() => chunk * cols * bpe),
      ...weights.map(([w, mode]) => (w ? this.weightRegionBytes(mode, chunk, cols, bpe) : 0)),
      chunk * cols * 8,
    ]);
    const wPtrs = ptrs.slice(inputs.length, inputs.length + weights.length);
    const outPtr = ptrs[ptrs.length - 1];
    weights.forEach(([w, mode], k) => { if (w && mode === 2) this.classWeights(w, inputs[0], wPtrs[k], cols); });
    let status = 0;
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const n = Math.min(chunk, rows - r0);
      this.copyIn(inputs, ptrs, r0, n, cols);
      weights.forEach(([w, mode], k) => { if (w && mode === 1) this.copyIn([w], [wPtrs[k]], r0, n, cols); });
      const wArgs = weights.flatMap(([w, mode], k) => (w ? [wPtrs[k], mode] : [0, 0]));
      status |= f(...ptrs.slice(0, inputs.length), ...wArgs, n, cols, outPtr) | 0;
      this.copyOut(outPtr, n * cols, out, r0 * cols);
    }
    return (status & INVALID) !== 0;
  }

  bce(p: FloatArray, t: FloatArray, w: FloatArray | null, wMode: WeightMode, rows: number, cols: number, out: Float64Array): boolean {
    return this.binary('bce', [p, t], [[w, wMode]], rows, cols, out);
  }

  bceLogits(x: FloatArray, t: FloatArray, w: FloatArray | null, wMode: WeightMode, pw: FloatArray | null, pwMode: WeightMode,
    rows: number, cols: number, out: Float64Array): void {
    this.binary('bceLogits', [x, t], [[w, wMode], [pw, pwMode]], rows, cols, out);
  }
}
