// Per-call scratch for the measures: results of one block of rows (the values a reduction
// adds up) and the row statistics between kernels. Bounded by BLOCK rows, whatever the
// batch's size, and reused by later calls. Where threads run, it lives in the shared
// WebAssembly memory, so the kernels, on any thread, write it in place (no copy out).

/** Results per block: at most this many rows (or elements) of scratch, 512 KiB of f64. */
export const BLOCK = 1 << 16;
/** Scratch arrays of BLOCK values a call may use at once (slots 0..5, see temp callers). */
export const TEMP_SLOTS = 6;
/** Bytes of all the scratch arrays together. */
export const TEMP_BYTES = TEMP_SLOTS * BLOCK * 8;

const own: Float64Array[] = [];
let shared: Float64Array | null = null;

/** Scratch Float64Array number `slot` of n <= BLOCK values, reused by later calls. */
export function temp(slot: number, n: number): Float64Array {
  if (n > BLOCK || slot >= TEMP_SLOTS) throw new RangeError(`infokernel: internal: scratch of ${n} values in slot ${slot} asked for`);
  if (shared) return shared.subarray(slot * BLOCK, slot * BLOCK + n);
  return (own[slot] ??= new Float64Array(BLOCK)).subarray(0, n);
}

/** Put the scratch in shared memory (TEMP_BYTES at `view`), or back in ordinary arrays (null). */
// Stryker disable next-line BlockStatement: without shared scratch the WASM adapter copies results out of its memory: the same values, slower
export function useSharedScratch(view: Float64Array | null): void {
  shared = view;
}
