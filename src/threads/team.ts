// A team: the calling thread and the helper workers, over one shared WebAssembly memory.
// A call is cut into the adapter's own blocks (whole rows); the caller writes the task once,
// wakes the helpers (Atomics.notify) and every member, itself included, takes the next
// block from a shared counter until none are left. Which thread runs a block changes
// nothing in its result (each block is computed as on one thread), so the result is
// bit-identical while the load balances itself. Kernels that return a sum write it per
// block, and the caller adds them in block order. No message passing: waking a helper costs
// microseconds, and the caller may be a thread that cannot take messages while it waits.
//
// Control region, allocated by the main thread's Arena (int32 words, then f64 slots):
//   [0] lock: 1 while a caller uses the helpers (another caller then runs alone)
//   [1] the next block to take
//   [2 + 2k], [3 + 2k]: helper k's sequence number (bumped per task) and done word
//   task slots: TASK_SLOTS f64 (see post), then per helper: status and failed block
import type { ClassLossSums, Kernels, SoftmaxStats } from '../backend/kernels.js';
import {
  METHOD_NAMES, STATS_KEYS, SUMS_PER_BLOCK, TYPES, type Arg, type MethodName, type Typed, runBlock, typeCode,
} from './methods.js';

export const TASK_SLOTS = 64;
const LOCK = 0, NEXT = 1;
const seqAt = (k: number) => 2 + 2 * k;
const doneAt = (k: number) => 3 + 2 * k;

/** Bytes of the control region for `helpers` helpers. */
export function controlBytes(helpers: number): number {
  return 8 * (2 + 2 * helpers) + TASK_SLOTS * 8 + helpers * 16;
}

/** Where the team lives in shared memory (passed to workers as plain numbers). */
export interface TeamLayout {
  ctrl: number;
  helpers: number;
}

/** What a block's kernel call gave: its sum, if it returns one, and whether an input was invalid. */
export interface Task {
  method: MethodName;
  args: readonly Arg[];
  /** rows of the call, rows per block */
  n: number;
  step: number;
  /** Where each block's sums go (SUMS_PER_BLOCK f64 per block), 0 for kernels without them. */
  sumsPtr: number;
}

const ARRAY = 2, NULL = 1, NUMBER = 0, STATS = 3;
/** Helper statuses. */
export const VALID = 0, INVALID = 1, FAILED = 2;

export class Team {
  private readonly i32: Int32Array;
  private readonly taskAt: number;
  private readonly resultAt: number;

  constructor(private readonly memory: WebAssembly.Memory, readonly layout: TeamLayout) {
    this.i32 = new Int32Array(memory.buffer, layout.ctrl, 2 + 2 * layout.helpers);
    this.taskAt = (layout.ctrl + 8 * (2 + 2 * layout.helpers)) / 8;
    this.resultAt = this.taskAt + TASK_SLOTS;
  }

  get helpers(): number {
    return this.layout.helpers;
  }

  /** Take the helpers; false if another thread has them (the caller then runs alone). */
  acquire(): boolean {
    return Atomics.compareExchange(this.i32, LOCK, 0, 1) === 0;
  }

  release(): void {
    Atomics.store(this.i32, LOCK, 0);
  }

  /**
   * Run a task on this thread and `helpers` helpers (every array in shared memory);
   * returns whether an input was invalid. Blocks this thread while helpers finish
   * (Atomics.wait): never called on a browser's main thread.
   */
  run(kernels: Kernels, task: Task, helpers: number): boolean {
    const f = new Float64Array(this.memory.buffer);
    f.set(this.encode(task), this.taskAt);
    Atomics.store(this.i32, NEXT, 0);
    for (let k = 0; k < helpers; k++) {
      Atomics.add(this.i32, seqAt(k), 1);
      Atomics.notify(this.i32, seqAt(k));
    }
    let invalid = this.work(kernels, task, f) !== VALID;
    for (let k = 0; k < helpers; k++) {
      const seq = Atomics.load(this.i32, seqAt(k));
      for (let done = Atomics.load(this.i32, doneAt(k)); done !== seq; done = Atomics.load(this.i32, doneAt(k))) {
        Atomics.wait(this.i32, doneAt(k), done);
      }
      const status = f[this.resultAt + 2 * k];
      if (status === FAILED) invalid = this.one(kernels, task, f, f[this.resultAt + 2 * k + 1]) || invalid; // its block, here
      else if (status === INVALID) invalid = true;
    }
    return invalid;
  }

  /** Take blocks until none are left; INVALID if any input was, FAILED (with the block in `failed`) on an exception. */
  private work(kernels: Kernels, task: Task, f: Float64Array, failed?: { block: number }): number {
    const blocks = Math.ceil(task.n / task.step);
    let status = VALID;
    for (let b = Atomics.add(this.i32, NEXT, 1); b < blocks; b = Atomics.add(this.i32, NEXT, 1)) {
      try {
        if (this.one(kernels, task, f, b)) status = INVALID;
      } catch (err) {
        if (!failed) throw err;
        failed.block = b;
        return FAILED;
      }
    }
    return status;
  }

  private one(kernels: Kernels, task: Task, f: Float64Array, b: number): boolean {
    const r = runBlock(kernels, task.method, task.args, task.n, task.step, b);
    if (task.sumsPtr !== 0) {
      const s = r as ClassLossSums, at = task.sumsPtr / 8 + SUMS_PER_BLOCK * b;
      [f[at], f[at + 1], f[at + 2]] = [s.sum, s.den, s.badLabel ? 1 : 0];
    }
    return r === true;
  }

  /** Helper k's task counter now (read before the helper says it is ready: see serve). */
  seq(k: number): number {
    return Atomics.load(this.i32, seqAt(k));
  }

  /**
   * A helper's loop (in its worker): wait for a task, work on it, report; forever. `seen` is
   * seq(k) read before the helper said it was ready: a task posted between that message and
   * this loop is then still seen (read here, it would be lost and its caller wait forever).
   */
  serve(k: number, kernels: Kernels, seen: number): never {
    for (;;) {
      Atomics.wait(this.i32, seqAt(k), seen);
      const seq = Atomics.load(this.i32, seqAt(k));
      if (seq === seen) continue;
      seen = seq;
      const f = new Float64Array(this.memory.buffer);
      const failed = { block: -1 };
      let status: number;
      try {
        status = this.work(kernels, this.decode(f), f, failed);
      } catch {
        status = FAILED; // not even decoded: the caller's own work covers every block
      }
      f[this.resultAt + 2 * k] = status === FAILED && failed.block < 0 ? VALID : status;
      f[this.resultAt + 2 * k + 1] = failed.block;
      Atomics.store(this.i32, doneAt(k), seq);
      Atomics.notify(this.i32, doneAt(k));
    }
  }

  private encode(task: Task): number[] {
    const slots: number[] = [METHOD_NAMES.indexOf(task.method), task.n, task.step, task.sumsPtr, task.args.length];
    const array = (a: Typed) => slots.push(ARRAY, typeCode(a), a.byteOffset, a.length);
    for (const a of task.args) {
      if (a === null || a === undefined) slots.push(NULL);
      else if (typeof a === 'number' || typeof a === 'boolean') slots.push(NUMBER, Number(a));
      else if (ArrayBuffer.isView(a)) array(a);
      else {
        slots.push(STATS);
        for (const key of STATS_KEYS) {
          const v = (a as SoftmaxStats)[key];
          if (v) array(v); else slots.push(NULL);
        }
      }
    }
    if (slots.length > TASK_SLOTS) throw new Error(`infokernel: internal: a task needs ${slots.length} slots`);
    return slots;
  }

  private decode(f: Float64Array): Task {
    const buffer = f.buffer;
    let i = this.taskAt;
    const method = METHOD_NAMES[f[i++]], n = f[i++], step = f[i++], sumsPtr = f[i++], count = f[i++];
    const array = (): Typed | null => {
      if (f[i++] === NULL) return null;
      const T = TYPES[f[i++]];
      const byteOffset = f[i++], length = f[i++];
      return new T(buffer as ArrayBuffer, byteOffset, length);
    };
    const args: Arg[] = [];
    for (let a = 0; a < count; a++) {
      const tag = f[i];
      if (tag === NULL) { i++; args.push(null); }
      else if (tag === NUMBER) { args.push(f[i + 1]); i += 2; }
      else if (tag === ARRAY) args.push(array());
      else {
        i++;
        const s: Partial<SoftmaxStats> = {};
        for (const key of STATS_KEYS) {
          const v = array();
          if (v) s[key] = v as Float64Array;
        }
        args.push(s as SoftmaxStats);
      }
    }
    return { method, args, n, step, sumsPtr };
  }
}
