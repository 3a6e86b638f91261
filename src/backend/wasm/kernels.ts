// The WASM backends (SIMD and scalar builds share this adapter). Inputs stream through
// fixed regions of at most CHUNK_BYTES each: whole rows while a row fits in a chunk,
// otherwise one row at a time in blocks of columns (two or three passes where a row needs
// its maximum or its sum first). So WASM memory stays bounded whatever the input's shape,
// and a chunk stays in cache between the copy in, the kernel and the copy out. An input that
// already lives in this instance's memory (a batch from allocBatch) is read in place.
// The row measures and softmax statistics call the short-row entries (assembly/kernels/
// shortrows.ts), which take rows of 2 to 32 values across lanes on the SIMD build and hand
// every other shape, mode and temperature to the row kernel: that choice is made there only.
import type { FloatArray } from '../../types.js';
import type { ClassLossSums, Kernels, SoftmaxStats, WeightMode } from '../kernels.js';
import { jsKernels } from '../js.js';
import { Arena } from './arena.js';
import type { WasmExports } from './load.js';

/** Input bytes per region: 1 MiB (262,144 f32 or 131,072 f64 values). */
export const CHUNK_BYTES = 1 << 20;
const INVALID = 1;
/** softmaxStats mode bit: row maxima given, raw sums out (assembly/kernels/softmax.ts). */
const PARTIAL = 8;
/** Values per segment when the binary losses regroup short rows (see binary()). */
const FLAT_SEGMENT = 64;

type Fn = (...args: number[]) => number;

/** A block of a batch: rows [r0, r0 + nr), columns [c0, c0 + nc). */
interface Block { r0: number; nr: number; c0: number; nc: number }

/** Rows per block at most: keeps each per-row f64 output region to 128 KiB (the scratch bound). */
const MAX_BLOCK_ROWS = 16384;

/** Whole rows per block for rows of `cols` values (<= chunk). */
function rowsPerBlock(cols: number, chunk: number): number {
  return Math.min(MAX_BLOCK_ROWS, Math.max(1, Math.floor(chunk / Math.max(cols, 1))));
}

/** Whole rows while they fit in `chunk` values; else one row at a time, `chunk` columns per block. */
function* blocks(rows: number, cols: number, chunk: number): Generator<Block> {
  // Stryker disable next-line EqualityOperator: at cols = chunk both ways give one whole row per block
  if (cols <= chunk) {
    const step = rowsPerBlock(cols, chunk);
    // Stryker disable next-line EqualityOperator: one more block of 0 rows, which the kernels take as nothing
    for (let r0 = 0; r0 < rows; r0 += step) yield { r0, nr: Math.min(step, rows - r0), c0: 0, nc: cols };
    return;
  }
  for (let r0 = 0; r0 < rows; r0++) {
    // Stryker disable next-line EqualityOperator: one more block of 0 columns, which adds 0 to a wide row's sums
    for (let c0 = 0; c0 < cols; c0 += chunk) yield { r0, nr: 1, c0, nc: Math.min(chunk, cols - c0) };
  }
}

export class WasmKernels implements Kernels {
  readonly arena: Arena;

  /**
   * The kernels of one instance. Its scratch starts at `base` (default: the end of static
   * data): the short-row kernels' block buffer, then the Arena's. Instances sharing one
   * memory (threads) each get their own base.
   */
  constructor(readonly name: 'wasm-simd' | 'wasm-scalar', private readonly exports: WasmExports, base = exports.heapBase()) {
    const at = Math.ceil(base / 16) * 16;
    exports.useScratch(at);
    this.arena = new Arena(exports.memory, at + exports.shortScratchBytes());
  }

  private fn(kernel: string, like: FloatArray): Fn {
    return this.exports[`${kernel}_${like instanceof Float64Array ? 'f64' : 'f32'}`] as Fn;
  }

  /** Rows per block of a call (whole blocks are what threads split by): values per chunk for element-wise kernels. */
  rowsPerStep(like: FloatArray, cols: number, elements: boolean): number {
    const chunk = this.chunk(like);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: rowsPerBlock is 1 too for rows of a chunk or more
    return elements ? chunk : cols > chunk ? 1 : rowsPerBlock(cols, chunk);
  }

  /** Are rows of `cols` values wider than a chunk (streamed a row at a time, in column blocks)? */
  wide(like: FloatArray, cols: number): boolean {
    // Stryker disable next-line EqualityOperator: at exactly a chunk the wide and the whole-row paths give the same values
    return cols > this.chunk(like);
  }

  /** Values of `like`'s type per chunk. */
  private chunk(like: FloatArray): number {
    return CHUNK_BYTES / like.BYTES_PER_ELEMENT;
  }

  /** Block b of each input (rows x cols, row-major): its place in memory (in place, or copied to its region). */
  private copyIn(inputs: readonly FloatArray[], regions: readonly number[], b: Block, cols: number): number[] {
    return inputs.map((x, k) => (b.nc === cols
      ? this.place(x, b.r0 * cols, b.nr * cols, regions[k])
      : this.place(x, b.r0 * cols + b.c0, b.nc, regions[k])));
  }

  /** The byte offset of x[from, from + n): where it is if x lives in this memory (a batch), else copied to `region`. */
  private place(x: FloatArray, from: number, n: number, region: number): number {
    if (this.arena.owns(x.buffer)) return x.byteOffset + from * x.BYTES_PER_ELEMENT;
    this.arena.write(region, x.subarray(from, from + n));
    return region;
  }

  private copyOut(ptr: number, n: number, out: Float64Array, at: number): void {
    out.set(this.arena.f64At(ptr, n), at);
  }

  /**
   * An additive row kernel fn(...inputs, rows, cols, scale, out) -> status: whole rows per
   * chunk, or a wide row's column blocks summed (each block is a row of its own).
   */
  private rows(kernel: string, inputs: readonly FloatArray[], rows: number, cols: number, scale: number, out: Float64Array): boolean {
    const f = this.fn(kernel, inputs[0]);
    const chunk = this.chunk(inputs[0]);
    const ptrs = this.arena.layout([...inputs.map(() => CHUNK_BYTES), rowsPerBlock(cols, chunk) * 8]);
    const outPtr = ptrs[inputs.length];
    // Stryker disable next-line EqualityOperator: at exactly a chunk the wide and the whole-row paths give the same values
    const wide = cols > chunk;
    // Stryker disable next-line ConditionalExpression: copied out instead of written in place: the same values
    const direct = !wide && this.arena.owns(out.buffer); // out in this memory: written in place
    // Stryker disable next-line ConditionalExpression: zeros the blocks then overwrite
    if (wide) out.fill(0, 0, rows);
    let status = 0;
    for (const b of blocks(rows, cols, chunk)) {
      status |= f(...this.copyIn(inputs, ptrs, b, cols), b.nr, b.nc, scale, direct ? out.byteOffset + b.r0 * 8 : outPtr);
      if (wide) out[b.r0] += this.arena.f64[outPtr / 8];
      else if (!direct) this.copyOut(outPtr, b.nr, out, b.r0);
    }
    return (status & INVALID) !== 0;
  }

  /** An element-wise kernel fn(p, n, scale, out) -> status. */
  private elements(kernel: string, p: FloatArray, scale: number, out: Float64Array): boolean {
    const f = this.fn(kernel, p);
    const chunk = this.chunk(p);
    // Stryker disable next-line ArithmeticOperator: the last region made smaller: its writes stay inside the call's reserved scratch
    const [inPtr, outPtr] = this.arena.layout([CHUNK_BYTES, chunk * 8]);
    let status = 0;
    // Stryker disable next-line EqualityOperator: one more block of 0 values
    for (let i0 = 0; i0 < p.length; i0 += chunk) {
      const n = Math.min(chunk, p.length - i0);
      status |= f(this.place(p, i0, n, inPtr), n, scale, outPtr);
      this.copyOut(outPtr, n, out, i0);
    }
    return (status & INVALID) !== 0;
  }

  entropy(p: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) {
    return this.rows('shortEntropy', [p], rows, cols, scale, out);
  }
  crossEntropy(p: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) {
    return this.rows('shortCrossEntropy', [p, q], rows, cols, scale, out);
  }
  klDivergence(p: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) {
    return this.rows('shortKl', [p, q], rows, cols, scale, out);
  }
  klDivergenceLogTarget(lp: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) {
    return this.rows('klLogTarget', [lp, q], rows, cols, scale, out);
  }
  jsDivergence(p: FloatArray, q: FloatArray, rows: number, cols: number, scale: number, out: Float64Array) {
    return this.rows('shortJs', [p, q], rows, cols, scale, out);
  }
  surprisal(p: FloatArray, scale: number, out: Float64Array) {
    return this.elements('surprisal', p, scale, out);
  }
  binaryEntropy(p: FloatArray, scale: number, out: Float64Array) {
    return this.elements('binaryEntropy', p, scale, out);
  }

  entropyNormalized(p: FloatArray, rows: number, cols: number, scale: number, out: Float64Array, sums?: Float64Array): boolean {
    const chunk = this.chunk(p);
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: the wide path for every row gives the same values (slower)
    if (cols <= chunk) {
      const f = this.fn('entropyNormalized', p);
      const n = rowsPerBlock(cols, chunk);
      // Stryker disable next-line ArithmeticOperator: a region made smaller: the writes stay inside the call's reserved scratch
      const [inPtr, outPtr, sumsPtr] = this.arena.layout([CHUNK_BYTES, n * 8, sums ? n * 8 : 0]);
      let status = 0;
      for (const b of blocks(rows, cols, chunk)) {
        const [at] = this.copyIn([p], [inPtr], b, cols);
        status |= f(at, b.nr, cols, scale, outPtr, sums ? sumsPtr : 0);
        this.copyOut(outPtr, b.nr, out, b.r0);
        if (sums) this.copyOut(sumsPtr, b.nr, sums, b.r0);
      }
      return (status & INVALID) !== 0;
    }
    // Wide rows: the sum over the blocks, then -sum y log y block by block, then the finish.
    const sum = this.fn('rowSum', p), given = this.fn('entropyGivenSum', p), finish = this.fn('normalizedFinish', p);
    const [inPtr] = this.arena.layout([CHUNK_BYTES]);
    const row = (r: number) => p.subarray(r * cols, (r + 1) * cols);
    // Stryker disable next-line BooleanLiteral: the value scan then runs, and decides
    let invalid = false;
    // Stryker disable next-line EqualityOperator: one more, empty row (sum 0, h 0), written past out (ignored)
    for (let r = 0; r < rows; r++) {
      let S = 0;
      this.eachBlock(row(r), inPtr, (n, _, at) => { S += sum(at, n); });
      let h = 0;
      this.eachBlock(row(r), inPtr, (n, _, at) => { h += given(at, n, S); });
      // Stryker disable next-line ConditionalExpression,BooleanLiteral,EqualityOperator: the flag only decides whether the value scan runs (a negative value also makes h NaN through its log); the scan decides
      invalid ||= !(S >= 0) || Number.isNaN(h);
      if (sums) sums[r] = S;
      out[r] = scale * finish(h, S);
    }
    // a bad value makes its row NaN; the value scan then names it
    return invalid && p.subarray(0, rows * cols).some((v) => !(v >= 0));
  }

  /** A long run of values one chunk at a time (copied to ptr, or in place); body(n, from, at) runs the kernel on each. */
  private eachBlock(x: FloatArray, ptr: number, body: (n: number, from: number, at: number) => void): void {
    const chunk = this.chunk(x);
    // Stryker disable next-line EqualityOperator: one more block of 0 values
    for (let from = 0; from < x.length; from += chunk) {
      const n = Math.min(chunk, x.length - from);
      body(n, from, this.place(x, from, n, ptr));
    }
  }

  /** The maximum of a row too wide for one chunk, block by block; NaN if any block holds one. */
  private wideMax(rowMax: Fn, row: FloatArray, ptr: number): number {
    let m = -Infinity;
    this.eachBlock(row, ptr, (n, _, at) => {
      const bm = rowMax(at, n);
      // Stryker disable next-line EqualityOperator: a tie takes the same value
      if (!(bm <= m)) m = Number.isNaN(m) ? m : bm; // larger, or NaN
    });
    return m;
  }

  /** Joint-table kernels: column sums or scales of a block in their own region. */
  marginals(x: FloatArray, rows: number, cols: number, rowSums: Float64Array, colSums: Float64Array): boolean {
    const f = this.fn('marginals', x);
    const chunk = this.chunk(x);
    // Stryker disable next-line MethodExpression: a larger region: the writes stay inside the call's reserved scratch
    const nc = Math.min(cols, chunk), nr = rowsPerBlock(cols, chunk);
    // Stryker disable next-line ArithmeticOperator: the last region made smaller: its writes stay inside the call's reserved scratch
    const [inPtr, colPtr, rowPtr] = this.arena.layout([CHUNK_BYTES, nc * 8, nr * 8]);
    rowSums.fill(0, 0, rows);
    let status = 0;
    for (const b of blocks(rows, cols, chunk)) {
      const [at] = this.copyIn([x], [inPtr], b, cols);
      this.arena.f64.set(colSums.subarray(b.c0, b.c0 + b.nc), colPtr / 8);
      status |= f(at, b.nr, b.nc, rowPtr, colPtr);
      colSums.set(this.arena.f64At(colPtr, b.nc), b.c0);
      for (let r = 0; r < b.nr; r++) rowSums[b.r0 + r] += this.arena.f64[rowPtr / 8 + r];
    }
    return (status & INVALID) !== 0;
  }

  mutualInformationSum(x: FloatArray, rows: number, cols: number, rowSums: Float64Array, colSums: Float64Array, total: number, lambda: number): number {
    const f = this.fn('mi', x);
    const chunk = this.chunk(x);
    // Stryker disable next-line MethodExpression: a larger region: the writes stay inside the call's reserved scratch
    const nc = Math.min(cols, chunk), nr = rowsPerBlock(cols, chunk);
    // Stryker disable next-line ArithmeticOperator: the last region made smaller: its writes stay inside the call's reserved scratch
    const [inPtr, colPtr, rowPtr] = this.arena.layout([CHUNK_BYTES, nc * 8, nr * 8]);
    let s = 0;
    let first = true;
    for (const b of blocks(rows, cols, chunk)) {
      const [at] = this.copyIn([x], [inPtr], b, cols);
      // Stryker disable next-line ConditionalExpression: the column sums copied in again for every block: the same values
      if (first || b.nc !== cols) this.arena.f64.set(colSums.subarray(b.c0, b.c0 + b.nc), colPtr / 8); // whole rows: once
      // Stryker disable next-line BooleanLiteral: as above
      first = false;
      this.arena.f64.set(rowSums.subarray(b.r0, b.r0 + b.nr), rowPtr / 8);
      s += f(at, b.nr, b.nc, rowPtr, colPtr, total, lambda);
    }
    return s;
  }

  // ---- logits and labels

  softmaxStats(z: FloatArray, t: FloatArray | null, w: FloatArray | null, rows: number, cols: number,
    invT: number, eps: number, mode: number, out: SoftmaxStats): boolean {
    const chunk = this.chunk(z);
    // Stryker disable next-line EqualityOperator: at exactly a chunk the wide and the whole-row paths give the same values
    const wide = cols > chunk;
    const nr = wide ? 1 : rowsPerBlock(cols, chunk);
    const inputs = t ? [z, t] : [z];
    const outs = [out.m, out.ls, out.h, out.b, out.w];
    // Stryker disable next-line MethodExpression: a larger region: the writes stay inside the call's reserved scratch
    const ptrs = this.arena.layout([CHUNK_BYTES, t ? CHUNK_BYTES : 0, w ? Math.min(cols, chunk) * z.BYTES_PER_ELEMENT : 0,
      ...outs.map((o) => (o ? nr * 8 : 0))]);
    const [zPtr, tPtr, wPtr] = ptrs;
    const outPtrs = ptrs.slice(3);
    const outArgs = () => outs.map((o, k) => (o ? outPtrs[k] : 0));
    let status = 0;
    if (!wide) {
      if (w) this.arena.write(wPtr, w);
      const f = this.fn('shortStats', z);
      for (const b of blocks(rows, cols, chunk)) {
        const [zAt, tAt] = this.copyIn(inputs, [zPtr, tPtr], b, cols);
        status |= f(zAt, t ? tAt : 0, w ? wPtr : 0, b.nr, cols, invT, eps, mode, ...outArgs());
        outs.forEach((o, k) => o && this.copyOut(outPtrs[k], b.nr, o, b.r0));
      }
      return (status & INVALID) !== 0;
    }
    // Wide rows: the maximum over the blocks, then the raw sums block by block (PARTIAL), finished here.
    const rowMax = this.fn('rowMax', z), f = this.fn('softmaxStats', z);
    for (let r = 0; r < rows; r++) {
      const m = this.wideMax(rowMax, z.subarray(r * cols, (r + 1) * cols), zPtr);
      const sums = [0, 0, 0, 0]; // s, sum e d, B, W
      for (const b of blocks(1, cols, chunk)) {
        const rb = { ...b, r0: r };
        const [zAt, tAt] = this.copyIn(inputs, [zPtr, tPtr], rb, cols);
        if (w) this.arena.write(wPtr, w.subarray(b.c0, b.c0 + b.nc));
        this.arena.f64[outPtrs[0] / 8] = m;
        status |= f(zAt, t ? tAt : 0, w ? wPtr : 0, 1, b.nc, invT, eps, mode | PARTIAL, ...outArgs());
        // Stryker disable next-line ConditionalExpression: also reads the sums no output asks for, which nothing then uses
        [1, 2, 3, 4].forEach((k, i) => { if (outs[k]) sums[i] += this.arena.f64[outPtrs[k] / 8]; });
      }
      const ls = Math.log(sums[0]);
      out.m[r] = m;
      out.ls[r] = ls;
      if (out.h) out.h[r] = ls - sums[1] / sums[0];
      if (out.b) out.b[r] = sums[2];
      if (out.w) out.w[r] = sums[3];
    }
    return (status & INVALID) !== 0;
  }

  /**
   * softmaxCrossEntropy against class indices, fused: the row statistics and the per-row
   * losses in WASM (shortClassCrossEntropy: across lanes for short rows, else the row
   * kernel), which also checks the labels and sums the losses, so only
   * the logits and labels go in and, for 'none', one f64 per row comes out. Null for rows too
   * wide for one chunk (the caller then takes the general path).
   */
  classCrossEntropy(z: FloatArray, y: Int32Array, w: FloatArray | null, rows: number, cols: number, invT: number,
    eps: number, ignore: number, wsum: number, scale: number, out: Float64Array | null): ClassLossSums | null {
    const chunk = this.chunk(z);
    // Stryker disable next-line EqualityOperator: at exactly a chunk the general path gives the same values
    if (cols > chunk) return null;
    const nr = rowsPerBlock(cols, chunk);
    const [zPtr, yPtr, wPtr, accPtr, outPtr] = this.arena.layout([CHUNK_BYTES, nr * 4,
      // Stryker disable next-line ArithmeticOperator: the last region made smaller: its writes stay inside the call's reserved scratch
      w ? cols * z.BYTES_PER_ELEMENT : 0, 16, out ? nr * 8 : 0]);
    if (w) this.arena.write(wPtr, w);
    const f = this.fn('shortClassCrossEntropy', z);
    const labels = new Int32Array(this.arena.buffer); // calls never grow memory (the scratch is reserved)
    const acc = this.arena.f64;
    const wp = w ? wPtr : 0;
    // Stryker disable next-line ConditionalExpression: copied out instead of written in place: the same values
    const direct = out !== null && this.arena.owns(out.buffer); // out in this memory: written in place
    let sum = 0, den = 0;
    for (const b of blocks(rows, cols, chunk)) {
      const [zAt] = this.copyIn([z], [zPtr], b, cols);
      labels.set(y.subarray(b.r0, b.r0 + b.nr), yPtr / 4);
      // Stryker disable next-line ConditionalExpression: as above
      const op = out === null ? 0 : direct ? out.byteOffset + b.r0 * 8 : outPtr;
      if (f(zAt, yPtr, wp, b.nr, cols, invT, eps, ignore, wsum, scale, op, accPtr)) return { sum: NaN, den: NaN, badLabel: true };
      sum += acc[accPtr / 8];
      den += acc[accPtr / 8 + 1];
      if (out !== null && !direct) this.copyOut(outPtr, b.nr, out, b.r0);
    }
    return { sum, den, badLabel: false };
  }

  softmax(z: FloatArray, rows: number, cols: number, invT: number, log: boolean, out: FloatArray): void {
    const chunk = this.chunk(z);
    const [inPtr, outPtr, mPtr, sPtr] = this.arena.layout([CHUNK_BYTES, CHUNK_BYTES, 8, 8]);
    const bpe = z.BYTES_PER_ELEMENT;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: the wide path for every row gives the same values (slower)
    if (cols <= chunk) {
      const f = this.fn('softmax', z);
      for (const b of blocks(rows, cols, chunk)) {
        const [at] = this.copyIn([z], [inPtr], b, cols);
        f(at, b.nr, cols, invT, log ? 1 : 0, outPtr);
        out.set(this.arena.view(z instanceof Float64Array).subarray(outPtr / bpe, outPtr / bpe + b.nr * cols), b.r0 * cols);
      }
      return;
    }
    // Wide rows: the maximum, the sum of exps (PARTIAL, mode 0), then each block written.
    const rowMax = this.fn('rowMax', z), stats = this.fn('softmaxStats', z), write = this.fn('softmaxBlock', z);
    // Stryker disable next-line EqualityOperator: one more, empty row: nothing is written
    for (let r = 0; r < rows; r++) {
      const row = z.subarray(r * cols, (r + 1) * cols);
      const m = this.wideMax(rowMax, row, inPtr);
      let s = 0;
      this.eachBlock(row, inPtr, (n, _, at) => {
        this.arena.f64[mPtr / 8] = m;
        stats(at, 0, 0, 1, n, invT, 0, PARTIAL, mPtr, sPtr, 0, 0, 0);
        s += this.arena.f64[sPtr / 8];
      });
      this.eachBlock(row, inPtr, (n, from, at) => {
        write(at, n, m, invT, s, log ? 1 : 0, outPtr);
        const v = this.arena.view(z instanceof Float64Array);
        out.set(v.subarray(outPtr / bpe, outPtr / bpe + n), r * cols + from);
      });
    }
  }

  distill(s: FloatArray, t: FloatArray, rows: number, cols: number, invT: number, out: Float64Array): void {
    const chunk = this.chunk(s);
    // A row wider than a chunk takes four passes; the JS reference reads it in place.
    // Stryker disable next-line EqualityOperator: at exactly a chunk the JS reference gives the same values
    if (cols > chunk) return jsKernels.distill(s, t, rows, cols, invT, out);
    const f = this.fn('distill', s);
    const nr = rowsPerBlock(cols, chunk);
    // Stryker disable next-line ArithmeticOperator: the last region made smaller: its writes stay inside the call's reserved scratch
    const [sPtr, tPtr, outPtr] = this.arena.layout([CHUNK_BYTES, CHUNK_BYTES, nr * 8]);
    for (const b of blocks(rows, cols, chunk)) {
      f(...this.copyIn([s, t], [sPtr, tPtr], b, cols), b.nr, cols, invT, outPtr);
      this.copyOut(outPtr, b.nr, out, b.r0);
    }
  }

  /**
   * Element-wise binary losses. The caller passes at most a chunk of elements per call
   * (whole rows, or part of one row with its per-class weights sliced to match), so per-class
   * weights fit one region; larger calls still stream by rows.
   */
  private binary(kernel: string, inputs: FloatArray[], weights: [FloatArray | null, WeightMode][],
    rows: number, cols: number, out: Float64Array): boolean {
    const f = this.fn(kernel, inputs[0]);
    const chunk = this.chunk(inputs[0]);
    // Stryker disable next-line EqualityOperator: the measures hand the binary losses at most 65,536 values a call, never a whole chunk
    if (cols > chunk) throw new RangeError(`infokernel: internal: ${kernel} called with ${cols} columns (> one chunk)`);
    const bpe = inputs[0].BYTES_PER_ELEMENT;
    const nr = rowsPerBlock(cols, chunk);
    const ptrs = this.arena.layout([
      ...inputs.map(() => CHUNK_BYTES),
      ...weights.map(([w, mode]) => (w ? (mode === 1 ? CHUNK_BYTES : cols * bpe) : 0)),
      nr * cols * 8,
    ]);
    const wPtrs = ptrs.slice(inputs.length, inputs.length + weights.length);
    const outPtr = ptrs[ptrs.length - 1];
    weights.forEach(([w, mode], k) => { if (w && mode === 2) this.arena.write(wPtrs[k], w); });
    // Without per-class weights the rows are only segments to the kernel (each value is its own
    // loss): short rows are passed as segments of about FLAT_SEGMENT values, so the vectors run
    // full instead of a masked tail per row (a segment with a special value is redone by the
    // scalar definition, as a row is).
    // Stryker disable next-line ConditionalExpression,ArrowFunction,LogicalOperator,EqualityOperator,ArithmeticOperator: how many rows make a segment changes only how the values are grouped (each value is its own loss)
    const k = weights.every(([w, mode]) => !w || mode === 1) && cols < FLAT_SEGMENT ? Math.floor(FLAT_SEGMENT / cols) : 1;
    let status = 0;
    for (const b of blocks(rows, cols, chunk)) {
      const at = this.copyIn(inputs, ptrs, b, cols);
      const wArgs = weights.flatMap(([w, mode], j) => {
        if (!w) return [0, 0];
        // Stryker disable next-line ConditionalExpression: per-class weights placed like per-element ones: the same values, since the measures hand the adapter at most one block of rows
        return [mode === 1 ? this.copyIn([w], [wPtrs[j]], b, cols)[0] : wPtrs[j], mode];
      });
      const whole = Math.floor(b.nr / k), rest = b.nr - whole * k;
      // Stryker disable next-line ConditionalExpression: a call with 0 segments does nothing
      if (whole) status |= f(...at, ...wArgs, whole, k * cols, outPtr) | 0;
      // Stryker disable next-line ConditionalExpression: a call with 0 rows does nothing
      if (rest) { // the last rows: the inputs, per-element weights and output moved past the whole segments
        const skip = whole * k * cols;
        status |= f(...at.map((a) => a + skip * bpe), ...wArgs.map((a, j) => (j % 2 === 0 && a ? a + skip * bpe : a)),
          rest, cols, outPtr + skip * 8) | 0;
      }
      this.copyOut(outPtr, b.nr * cols, out, b.r0 * cols);
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
