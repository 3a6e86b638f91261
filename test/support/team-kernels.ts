// Stand-in kernels for the team tests: row sums (entropy's signature) and class-loss sums
// (classCrossEntropy's), the same values on every thread. Words in shared memory: [0] how a
// helper behaves (0 as the caller, 1 every block invalid, 2 throw), [1] helper throws so far,
// [2] the caller has run a block, [3] a helper has. A block waits (up to 2 s) until the other
// side has started one, so both take part whatever the scheduling: timing alone failed on a
// loaded machine (the woken helpers took every block, or none).
import type { Kernels } from '../../src/backend/kernels.js';

export const OK = 0, INVALID_BLOCKS = 1, THROW = 2;
const MODE = 0, THROWS = 1, CALLER = 2, HELPER = 3;

/** Start a task: helpers behave as `mode`; no side has run a block yet. */
export function resetWords(memory: WebAssembly.Memory, at: number, mode: number): void {
  new Int32Array(memory.buffer, at, 4).set([mode, 0, 0, 0]);
}

export function helperThrows(memory: WebAssembly.Memory, at: number): number {
  return Atomics.load(new Int32Array(memory.buffer, at, 4), THROWS);
}

/** `wait`: the caller's first block waits for a helper (false when no helper takes part). */
export function standIn(memory: WebAssembly.Memory, at: number, caller: boolean, callerInvalid = false, wait = true): Kernels {
  const words = () => new Int32Array(memory.buffer, at, 4);
  // Say this side has started, then wait until the other has. The caller waits once; every
  // helper waits in each block until the caller has started one, so the helpers hold at most
  // one block each meanwhile and the caller gets the next (a guard on the first helper only
  // let the second take every block while the first waited).
  const meet = (mine: number, theirs: number) => {
    const w = words();
    if (Atomics.exchange(w, mine, 1) === 0) Atomics.notify(w, mine);
    if (wait) Atomics.wait(w, theirs, 0, 2000);
  };
  const behave = (): boolean => {
    if (caller) {
      meet(CALLER, HELPER);
      return callerInvalid;
    }
    const mode = Atomics.load(words(), MODE);
    if (mode === THROW) {
      Atomics.add(words(), THROWS, 1);
      Atomics.store(words(), HELPER, 1);
      Atomics.notify(words(), HELPER);
      throw new Error('a helper failed');
    }
    meet(HELPER, CALLER);
    return mode === INVALID_BLOCKS;
  };
  return {
    entropy(p: Float64Array, rows: number, cols: number, scale: number, out: Float64Array) {
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let j = 0; j < cols; j++) s += p[r * cols + j];
        out[r] = s * scale;
      }
      return behave();
    },
    classCrossEntropy(z: Float64Array, y: Int32Array, _w: unknown, rows: number) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += z[r] * y[r];
      behave();
      return { sum, den: rows, badLabel: y.some((v) => v < 0) };
    },
  } as unknown as Kernels;
}
