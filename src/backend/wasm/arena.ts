// The one owner of a WASM instance's linear memory, in two parts:
// - scratch, at the base: every call lays its regions out from there, and no region is
//   larger than one chunk (CHUNK_BYTES of input, see kernels.ts), so a call needs at most
//   SCRATCH_BYTES whatever the input's size, and repeated calls reuse it;
// - batches (allocBatch), above the scratch: user-owned blocks the kernels read in place.
//   Only allocating a batch grows memory once a batch exists (the scratch is reserved
//   first), so a call never replaces the buffer under a batch view it was given.
// Regions and batches are 16-byte aligned and followed by SLACK bytes, which the kernels'
// masked vector tails may read (never write). Offsets are plain numbers (no 32-bit bit
// operations), so they stay exact past 2 GiB.

const PAGE = 65536;
const ALIGN = 16;
/** Bytes each region keeps free after its end (the widest tail read is 32 bytes). */
export const SLACK = 32;
/** Bytes for the per-call regions: the largest layout (element-wise binary losses with
 * per-element weights on f32: four 1 MiB inputs and a 2 MiB f64 output) plus slack. */
export const SCRATCH_BYTES = 8 << 20;

export class Arena {
  private f32View = new Float32Array(0);
  private f64View = new Float64Array(0);
  private readonly base: number;
  private readonly scratchEnd: number;
  /** Live batches: byte offset -> bytes (slack included). */
  private readonly batches = new Map<number, number>();
  /** Free gaps between batches, [start, end) byte offsets, sorted and coalesced. */
  private gaps: [number, number][] = [];
  /** End of the highest batch. */
  private top: number;

  constructor(private readonly memory: WebAssembly.Memory, heapBase: number) {
    this.base = align(heapBase);
    this.scratchEnd = this.base + SCRATCH_BYTES;
    this.top = this.scratchEnd;
  }

  /** Byte offsets of consecutive scratch regions of the given sizes; grows memory to hold them. */
  layout(sizes: readonly number[]): number[] {
    const offsets: number[] = [];
    let at = this.base;
    for (const size of sizes) {
      offsets.push(at);
      at = align(at + size + SLACK);
    }
    if (at > this.scratchEnd) throw new Error(`infokernel: internal: a call laid out ${at - this.base} bytes of scratch (> ${SCRATCH_BYTES})`);
    this.ensure(at);
    return offsets;
  }

  /** A batch of `bytes` (first fit among freed gaps, else above the highest); its byte offset. */
  alloc(bytes: number): number {
    const size = align(bytes + SLACK);
    let ptr = -1;
    for (let i = 0; i < this.gaps.length; i++) {
      const [start, end] = this.gaps[i];
      if (end - start < size) continue;
      ptr = start;
      // Stryker disable next-line ConditionalExpression,ArithmeticOperator: an exact fit left in the list is an empty [end, end): no batch fits it and merging absorbs it
      if (end - start === size) this.gaps.splice(i, 1);
      else this.gaps[i] = [start + size, end];
      break;
    }
    // Stryker disable next-line EqualityOperator: a gap found starts above the scratch, so ptr is never 0
    if (ptr < 0) {
      this.ensure(this.top + size); // grows memory: the caller refreshes its views
      ptr = this.top;
      this.top += size;
    }
    this.batches.set(ptr, size);
    return ptr;
  }

  /** Return a batch's bytes; false if `ptr` is not a live batch (freed already). */
  release(ptr: number): boolean {
    const size = this.batches.get(ptr);
    if (size === undefined) return false;
    this.batches.delete(ptr);
    this.gaps.push([ptr, ptr + size]);
    this.gaps.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const g of this.gaps) {
      const last = merged[merged.length - 1];
      if (last && last[1] === g[0]) last[1] = g[1];
      else merged.push([g[0], g[1]]);
    }
    const last = merged[merged.length - 1];
    if (last[1] === this.top) { // the highest gap goes back to the top
      this.top = last[0];
      merged.pop();
    }
    this.gaps = merged;
    return true;
  }

  /** Does memory [at, at + bytes) lie inside one live batch? */
  inBatch(at: number, bytes: number): boolean {
    for (const [ptr, size] of this.batches) if (at >= ptr && at + bytes <= ptr + size - SLACK) return true;
    return false;
  }

  /** Earlier buffers of a shared memory: growing it gives a new, longer SharedArrayBuffer, and views of the old ones stay valid. */
  private readonly shared = new WeakSet<ArrayBufferLike>();

  /** The memory's current buffer (replaced when memory grows). */
  get buffer(): ArrayBuffer {
    const b = this.memory.buffer;
    if (typeof SharedArrayBuffer === 'function' && b instanceof SharedArrayBuffer) this.shared.add(b);
    return b;
  }

  /** Is `b` this memory's buffer (or, for a shared memory, one it had before growing)? */
  owns(b: ArrayBufferLike): boolean {
    return b === this.memory.buffer || this.shared.has(b);
  }

  /** Current views over memory (re-made when memory grows, which detaches the buffer). */
  get f32(): Float32Array {
    if (this.f32View.buffer !== this.memory.buffer) this.f32View = new Float32Array(this.memory.buffer);
    return this.f32View;
  }
  get f64(): Float64Array {
    if (this.f64View.buffer !== this.memory.buffer) this.f64View = new Float64Array(this.memory.buffer);
    return this.f64View;
  }
  view(float64: boolean): Float32Array | Float64Array {
    return float64 ? this.f64 : this.f32;
  }

  /** Copy `src` to the region at byte offset ptr (in its own element type). */
  write(ptr: number, src: Float32Array | Float64Array): void {
    this.view(src instanceof Float64Array).set(src, ptr / src.BYTES_PER_ELEMENT);
  }

  /** n f64 values at byte offset ptr (a view: copy it before memory may grow). */
  f64At(ptr: number, n: number): Float64Array {
    return this.f64.subarray(ptr / 8, ptr / 8 + n);
  }

  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    try {
      this.memory.grow(Math.ceil((end - have) / PAGE));
    } catch {
      throw new RangeError(`infokernel: a call needs ${end} bytes of WebAssembly memory, more than this engine allows`);
    }
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
