// Zero-copy batches: rows x cols values allocated in the default WASM build's memory, so
// the kernels read them in place instead of copying them in chunk by chunk. The memory
// itself is managed by the build's Arena (src/backend/wasm/arena.ts); this module is the
// public handle and the use-after-free check every function runs on its inputs.
import type { FloatArray } from './types.js';
import { formatValue, rangeError, typeError } from './errors.js';
import { isInteger } from './validate.js';
import { batchArena } from './backend/registry.js';
import type { Arena } from './backend/wasm/arena.js';

type FloatArrayConstructor = Float32ArrayConstructor | Float64ArrayConstructor;

/** A batch from allocBatch: fill `view` in place and pass it (or the batch) to any function. */
export interface Batch<T extends FloatArray = FloatArray> {
  readonly rows: number;
  readonly cols: number;
  /**
   * The rows x cols values, row-major. Read it again after allocating another batch: growing
   * WebAssembly memory replaces its buffer, and earlier views then have length 0. Calls never
   * grow memory, so a view stays valid across any number of calls.
   */
  readonly view: T;
  /** Whether `view` lives in WebAssembly memory (false where WASM did not load: an ordinary array). */
  readonly inWasm: boolean;
  /** Give the memory back; a second free(), or `view` afterwards, throws. */
  free(): void;
}

/** Arenas that hold batches, for the use-after-free check. */
const arenas = new Set<Arena>();

/** The handle allocBatch returns (a class, so functions can take the batch itself). */
export class BatchHandle<T extends FloatArray> implements Batch<T> {
  private current: T | null;
  constructor(readonly rows: number, readonly cols: number, private readonly type: FloatArrayConstructor,
    private readonly arena: Arena | null, private readonly ptr: number) {
    const length = rows * cols;
    this.current = (arena ? new type(arena.buffer, ptr, length) : new type(length)) as T;
  }

  get inWasm(): boolean {
    return this.arena !== null;
  }

  get view(): T {
    if (!this.current) freed('batch.view');
    if (this.arena && this.current.buffer !== this.arena.buffer) {
      this.current = new this.type(this.arena.buffer, this.ptr, this.rows * this.cols) as T;
    }
    return this.current;
  }

  free(): void {
    if (!this.current) freed('batch.free()');
    this.current = null;
    this.arena?.release(this.ptr);
  }
}

/**
 * A rows x cols batch of `type` (Float32Array or Float64Array) in the default WASM build's
 * memory (call after `await ready()`; before it, or where WASM is missing, an ordinary array).
 */
export function allocBatch<C extends FloatArrayConstructor>(type: C, rows: number, cols: number): Batch<InstanceType<C>> {
  const fn = 'allocBatch';
  if (type !== Float32Array && type !== Float64Array) throw typeError(fn, `type must be Float32Array or Float64Array, got ${formatValue(type)}`);
  for (const [name, v] of [['rows', rows], ['cols', cols]] as const) {
    if (!isInteger(v) || v < 1) throw rangeError(fn, `${name} must be a positive integer, got ${formatValue(v)}`);
  }
  const arena = batchArena();
  if (arena) arenas.add(arena);
  const ptr = arena ? arena.alloc(rows * cols * type.BYTES_PER_ELEMENT) : 0;
  return new BatchHandle<InstanceType<C>>(rows, cols, type, arena, ptr);
}

/** Use after free: the error names what was used (`batch.view`, `batch.free()`). */
function freed(what: string): never {
  throw new Error(`infokernel: ${what}: this batch was freed; allocate a new one with allocBatch`);
}

/**
 * A typed array viewing WASM memory must lie inside a live batch: a view kept after free()
 * would read memory that another batch or a call's scratch now holds.
 */
export function checkBatchView(fn: string, name: string, x: ArrayBufferView): void {
  if (outsideBatches(x)) throw typeError(fn, `${name} views infokernel's WebAssembly memory outside any live batch (used after free()?)`);
}

/** Does `x` view infokernel's WebAssembly memory outside every live batch (a freed one)? */
export function outsideBatches(x: ArrayBufferView): boolean {
  for (const arena of arenas) if (arena.owns(x.buffer) && !arena.inBatch(x.byteOffset, x.byteLength)) return true;
  return false;
}
