// The one owner of a WASM instance's linear memory. Every call lays its regions out from
// the same base, and no region is larger than one chunk (CHUNK_BYTES of input, see
// kernels.ts), so memory stays a few MiB whatever the input's size and repeated calls
// reuse it. Regions are 16-byte aligned and followed by SLACK bytes, which the kernels'
// masked vector tails may read (never write). Offsets are plain numbers (no 32-bit
// bit operations), so they stay exact past 2 GiB.

const PAGE = 65536;
const ALIGN = 16;
/** Bytes each region keeps free after its end (the widest tail read is 32 bytes). */
export const SLACK = 32;

export class Arena {
  private f32View = new Float32Array(0);
  private f64View = new Float64Array(0);
  private readonly base: number;

  constructor(private readonly memory: WebAssembly.Memory, heapBase: number) {
    this.base = align(heapBase);
  }

  /** Byte offsets of consecutive regions of the given sizes; grows memory to hold them. */
  layout(sizes: readonly number[]): number[] {
    const offsets: number[] = [];
    let at = this.base;
    for (const size of sizes) {
      offsets.push(at);
      at = align(at + size + SLACK);
    }
    this.ensure(at);
    return offsets;
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
