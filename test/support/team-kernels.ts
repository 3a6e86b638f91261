// Stand-in kernels for the team tests: row sums (entropy's signature) and class-loss sums
// (classCrossEntropy's), the same values on every thread. Words in shared memory: [0] how the
// helpers behave (a mode, below), [1] helper throws so far, [2] the caller has run a block,
// [3] a bit per helper that has. Every member's block waits (up to 2 s) until every member has
// started one, so each holds one block meanwhile and all take part whatever the scheduling:
// timing alone failed on a loaded machine (the woken helpers took every block, or none; one
// helper took all the others left).
import type { Kernels } from '../../src/backend/kernels.js';

/** Modes: every helper as the caller; every helper's blocks invalid; every helper throws (before writing). */
export const OK = 0, INVALID_BLOCKS = 1, THROW = 2;
/** Only helper k's blocks invalid, or only helper k throws. */
export const invalidOn = (k: number) => 10 + k, throwOn = (k: number) => 20 + k;
/** Helper 0's blocks invalid and helper 1 throws. */
export const INVALID_THEN_THROW = 30;
const MODE = 0, THROWS = 1, CALLER = 2, HELPERS = 3;

const wordsAt = (memory: WebAssembly.Memory, at: number) => new Int32Array(memory.buffer, at, 4);

/** Start a task: helpers behave as `mode`; no member has run a block yet. */
export function resetWords(memory: WebAssembly.Memory, at: number, mode: number): void {
  wordsAt(memory, at).set([mode, 0, 0, 0]);
}

export function helperThrows(memory: WebAssembly.Memory, at: number): number {
  return Atomics.load(wordsAt(memory, at), THROWS);
}

/** The helpers that ran a block of this task (a bit each): one whose task failed to decode never does. */
export function helpersThatRan(memory: WebAssembly.Memory, at: number): number {
  return Atomics.load(wordsAt(memory, at), HELPERS);
}

export interface Side {
  /** -1: the caller; else the helper's index. */
  k: number;
  /** Caller: its own blocks are invalid. */
  invalid?: boolean;
  /** Caller: its first block throws. */
  throws?: boolean;
  /** Helpers in the team, to wait for (0: none, the caller alone). */
  helpers: number;
}

export function standIn(memory: WebAssembly.Memory, at: number, side: Side): Kernels {
  const words = () => wordsAt(memory, at);
  const waitUntil = (i: number, done: (v: number) => boolean) => {
    const w = words(), deadline = Date.now() + 2000;
    for (let v = Atomics.load(w, i); !done(v) && Date.now() < deadline; v = Atomics.load(w, i)) Atomics.wait(w, i, v, 50);
  };
  const full = (1 << side.helpers) - 1;
  const everyone = () => {
    waitUntil(CALLER, (v) => v === 1);
    waitUntil(HELPERS, (v) => (v & full) === full);
  };
  /** Before a block's results are written: whether it is invalid; throws for a failing helper. */
  const behave = (): boolean => {
    const w = words();
    if (side.k < 0) {
      Atomics.store(w, CALLER, 1);
      Atomics.notify(w, CALLER);
      everyone();
      if (side.throws) throw new Error('the caller failed');
      return side.invalid === true;
    }
    Atomics.or(w, HELPERS, 1 << side.k);
    Atomics.notify(w, HELPERS);
    const mode = Atomics.load(w, MODE);
    if (mode === THROW || mode === throwOn(side.k) || (mode === INVALID_THEN_THROW && side.k === 1)) {
      Atomics.add(w, THROWS, 1);
      throw new Error('a helper failed');
    }
    everyone();
    return mode === INVALID_BLOCKS || mode === invalidOn(side.k) || (mode === INVALID_THEN_THROW && side.k === 0);
  };
  return {
    entropy(p: Float64Array, rows: number, cols: number, scale: number, out: Float64Array) {
      // a block outside the task (a member recomputing a block that was never taken) has no rows
      if (!(rows > 0) || p.length !== rows * cols || out.length !== rows) throw new Error(`a block of ${rows} rows, ${p.length} values`);
      const invalid = behave();
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let j = 0; j < cols; j++) s += p[r * cols + j];
        out[r] = s * scale;
      }
      return invalid;
    },
    // every argument kind a task carries (arrays of each type, null, numbers, a boolean, the
    // stats' present and absent arrays) folded into the outputs, so a wrong decode shows
    softmaxStats(z: Float32Array, t: Float64Array | null, w: Int32Array | null, rows: number, cols: number, invT: number,
      eps: number, mode: number | boolean, out: { m: Float64Array; ls: Float64Array; h?: Float64Array }) {
      const { m, ls } = out; // (a task decoded wrongly fails here, before this helper counts as having run)
      behave();
      const tag = (t === null ? 1 : 0) + (w === null ? 2 : 0) + ('h' in out ? 4 : 0) + (z instanceof Float32Array ? 8 : 0);
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let j = 0; j < cols; j++) s += z[r * cols + j] * (t ? t[r * cols + j] : 1) + (w ? w[j] : 0);
        m[r] = s * invT + eps;
        ls[r] = Number(mode) * 100 + tag;
      }
      return false;
    },
    classCrossEntropy(z: Float64Array, y: Int32Array, _w: unknown, rows: number) {
      behave();
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += z[r] * y[r];
      return { sum, den: rows, badLabel: y.some((v) => v < 0) };
    },
  } as unknown as Kernels;
}
