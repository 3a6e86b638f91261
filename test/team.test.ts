// The team protocol (src/threads/team.ts) on its own: the calling thread and two helper workers
// over one shared memory, with stand-in kernels (test/support/team-kernels.ts) so each rule can
// be forced rather than hoped for: every block is computed once and written where it belongs,
// per-block sums land in block order, an invalid input on either side is reported, and a block
// a helper failed on is recomputed by the caller. The real kernels' bit-identity across threads
// is threads.test.ts's subject; this file makes the rare paths happen on every run.
import { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Team, TASK_SLOTS, controlBytes } from '../src/threads/team.js';
import { SUMS_PER_BLOCK } from '../src/threads/methods.js';
import { standIn, resetWords, helperThrows, helpersThatRan, invalidOn, throwOn, OK, INVALID_BLOCKS, INVALID_THEN_THROW, THROW } from './support/team-kernels.js';

const HELPERS = 2;
const memory = new WebAssembly.Memory({ initial: 4, maximum: 4, shared: true });
const ctrl = 4096, modeAt = 256, pAt = 8192, outAt = 65536, yAt = 98304, sumsAt = 131072;
const layout = { ctrl, helpers: HELPERS };
const team = new Team(memory, layout);
const workers: Worker[] = [];
const setMode = (m: number) => resetWords(memory, modeAt, m);
/** The calling thread's kernels: its blocks wait until both helpers have started one; `invalid`: its blocks are. */
const caller = (invalid = false, helpers = HELPERS) => standIn(memory, modeAt, { k: -1, invalid, helpers });

beforeAll(async () => {
  new Uint8Array(memory.buffer, ctrl, controlBytes(HELPERS)).fill(0);
  const helper = new URL('./support/team-helper.ts', import.meta.url).href;
  for (let k = 0; k < HELPERS; k++) {
    const w = new Worker(`import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(helper)}); })`,
      { eval: true, workerData: { memory, layout, k, modeAt } });
    workers.push(w);
    await new Promise<void>((resolve, reject) => { w.once('message', () => resolve()); w.once('error', reject); });
  }
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
});

// The control region is all the team may write outside a task's arrays: guard bytes on both
// sides of it (the region before ctrl is another's, in the pool an arena region) stay as set.
const GUARD = 2048, guards = () => [new Uint8Array(memory.buffer, ctrl - GUARD, GUARD), new Uint8Array(memory.buffer, ctrl + controlBytes(HELPERS), 256)];
beforeEach(() => { for (const g of guards()) g.fill(0xa5); });
afterEach(() => { for (const g of guards()) expect(g.every((b) => b === 0xa5)).toBe(true); });

const rows = 40, cols = 3, step = 4; // 10 blocks, the last one full
function rowTask() {
  const p = new Float64Array(memory.buffer, pAt, rows * cols); // (map() would return a copy outside shared memory)
  for (let i = 0; i < p.length; i++) p[i] = i % 7;
  const out = new Float64Array(memory.buffer, outAt, rows).fill(NaN);
  const want = Array.from({ length: rows }, (_, r) => 0.5 * (p[r * cols] + p[r * cols + 1] + p[r * cols + 2]));
  return { task: { method: 'entropy' as const, args: [p, rows, cols, 0.5, out], n: rows, step, sumsPtr: 0 }, out, want };
}

describe('a team of the caller and two helpers', () => {
  it('every row is computed once into its place, the helpers taking blocks too', () => {
    setMode(OK);
    const { task, out, want } = rowTask();
    expect(team.acquire()).toBe(true);
    expect(team.acquire()).toBe(false); // held: another caller runs alone
    try {
      expect(team.run(caller(), task, HELPERS)).toBe(false);
    } finally {
      team.release();
    }
    expect(Array.from(out)).toEqual(want);
    expect(helpersThatRan(memory, modeAt)).toBe(3);
    // the second task too (each helper's sequence number moves on)
    out.fill(NaN);
    expect(team.run(caller(), task, HELPERS)).toBe(false);
    expect(Array.from(out)).toEqual(want);
  });

  it('every kind of argument reaches the helpers as given: arrays of each type, null, numbers, a flag, stats', () => {
    for (const [withT, mode] of [[true, 3], [false, true]] as const) { // (a boolean crosses as 1)
      setMode(OK);
      const n = 12, cols = 2;
      const z = new Float32Array(memory.buffer, pAt, n * cols);
      for (let i = 0; i < z.length; i++) z[i] = (i % 5) - 1.5;
      const t = new Float64Array(memory.buffer, yAt, n * cols).fill(0.25);
      const m = new Float64Array(memory.buffer, outAt, n).fill(NaN), ls = new Float64Array(memory.buffer, outAt + 8 * n, n).fill(NaN);
      const task = { method: 'softmaxStats' as const, args: [z, withT ? t : null, null, n, cols, 0.5, 0.125, mode, { m, ls }], n, step: 2, sumsPtr: 0 };
      expect(team.run(caller(), task, HELPERS)).toBe(false);
      expect(helpersThatRan(memory, modeAt)).toBe(3); // both decoded their task (else the caller quietly redoes their blocks)
      for (let r = 0; r < n; r++) {
        const s = (z[2 * r] + z[2 * r + 1]) * (withT ? 0.25 : 1);
        expect([m[r], ls[r]], `row ${r}`).toEqual([s * 0.5 + 0.125, Number(mode) * 100 + (withT ? 0 : 1) + 2 + 8]);
      }
    }
  });

  it('per-block sums go to sumsPtr, SUMS_PER_BLOCK values per block, in block order', () => {
    setMode(OK);
    const n = 23, z = new Float64Array(memory.buffer, pAt, n);
    for (let i = 0; i < n; i++) z[i] = i + 1;
    const y = new Int32Array(memory.buffer, yAt, n).fill(1);
    y[21] = -1; // a bad label in the last block
    const sums = new Float64Array(memory.buffer, sumsAt, SUMS_PER_BLOCK * 7).fill(NaN); // one block more: left alone
    const task = { method: 'classCrossEntropy' as const, args: [z, y, null, n, 1, 1, 0, -100, 1, 1, null], n, step: 4, sumsPtr: sumsAt };
    team.run(caller(), task, HELPERS);
    const want: number[] = [];
    for (let b = 0; b < 6; b++) {
      let s = 0;
      for (let r = 4 * b; r < Math.min(n, 4 * b + 4); r++) s += z[r] * y[r];
      want.push(s, Math.min(4, n - 4 * b), b === 5 ? 1 : 0);
    }
    want.push(NaN, NaN, NaN);
    expect(Array.from(sums)).toEqual(want);
  });

  it('an invalid block is reported whichever side ran it', () => {
    const { task } = rowTask();
    setMode(INVALID_BLOCKS); // the helpers' blocks are invalid, the caller's not
    expect(team.run(caller(), task, HELPERS)).toBe(true);
    for (let k = 0; k < HELPERS; k++) { // one helper's only: its status is read from its own slot
      setMode(invalidOn(k));
      expect(team.run(caller(), task, HELPERS), `helper ${k}`).toBe(true);
    }
    setMode(OK); // the caller's are
    expect(team.run(caller(true), task, HELPERS)).toBe(true);
    setMode(OK);
    expect(team.run(caller(), task, HELPERS)).toBe(false);
  });

  it('a block a helper failed on (before writing it) is computed again by the caller: the same result', () => {
    const { task, out, want } = rowTask();
    setMode(THROW);
    expect(team.run(caller(), task, HELPERS)).toBe(false);
    expect(helperThrows(memory, modeAt)).toBe(HELPERS); // each failed on its first block, then stopped
    expect(Array.from(out)).toEqual(want);
    for (let k = 0; k < HELPERS; k++) { // one helper fails, the other keeps taking blocks
      setMode(throwOn(k));
      out.fill(NaN);
      expect(team.run(caller(), task, HELPERS), `helper ${k}`).toBe(false);
      expect(helperThrows(memory, modeAt)).toBe(1);
      expect(Array.from(out), `helper ${k}`).toEqual(want);
    }
    // a failed block that was invalid is reported by the caller's recomputation
    setMode(THROW);
    expect(team.run(caller(true), task, HELPERS)).toBe(true);
    // and a valid recomputation keeps an earlier helper's invalid status
    setMode(INVALID_THEN_THROW);
    expect(team.run(caller(), task, HELPERS)).toBe(true);
    setMode(OK); // and they serve the next task
    out.fill(NaN);
    expect(team.run(caller(), task, HELPERS)).toBe(false);
    expect(Array.from(out)).toEqual(want);
  });

  it('an exception in the caller\'s own block propagates as it is', () => {
    setMode(OK);
    const { task } = rowTask();
    expect(() => team.run(standIn(memory, modeAt, { k: -1, helpers: HELPERS, throws: true }), task, HELPERS)).toThrow(/^the caller failed$/);
    // (the helpers finish that task on their own; the next one waits for them)
    const next = rowTask();
    setMode(OK);
    expect(team.run(caller(), next.task, HELPERS)).toBe(false);
    expect(Array.from(next.out)).toEqual(next.want);
  });

  it('a task a helper cannot decode leaves every block to the caller, which reports it valid', () => {
    // an input outside the shared memory (the threaded path never posts one): the helpers'
    // views of it fail, so they take no block and report nothing against the caller's result
    setMode(OK);
    const { task, out, want } = rowTask();
    const outside = new Float64Array(new ArrayBuffer(8 << 20), 4 << 20, rows * cols);
    outside.set(task.args[0] as Float64Array);
    const foreign = { ...task, args: [outside, ...task.args.slice(1)] };
    const alone = caller(false, 0);
    let blocks = 0;
    const counted = { ...alone, entropy: (...a: unknown[]) => { blocks++; return (alone.entropy as (...x: unknown[]) => boolean)(...a); } } as typeof alone;
    expect(team.run(counted, foreign, HELPERS)).toBe(false);
    expect(helpersThatRan(memory, modeAt)).toBe(0);
    expect(blocks).toBe(rows / step); // each block once: no helper's "failed block" is redone
    expect(Array.from(out)).toEqual(want);
    // an invalid block of the caller's is still reported
    setMode(OK);
    expect(team.run(caller(true, 0), foreign, HELPERS)).toBe(true);
    setMode(OK); // and the helpers serve the next task
    out.fill(NaN);
    expect(team.run(caller(), task, HELPERS)).toBe(false);
    expect(helpersThatRan(memory, modeAt)).toBe(3);
    expect(Array.from(out)).toEqual(want);
  });

  it('a task needing more than its TASK_SLOTS slots is refused before anything is written', () => {
    setMode(OK);
    const { task, out } = rowTask();
    const slots = (extra: number) => 5 + 4 * 2 + 2 * 3 + extra; // the header, two arrays, three numbers, then more
    const nulls = (k: number) => Array.from({ length: k }, () => null);
    const control = () => Array.from(new Uint8Array(memory.buffer, ctrl, controlBytes(HELPERS)));
    const before = control();
    const over = { ...task, args: [...task.args, ...nulls(TASK_SLOTS - slots(0) + 1)] };
    expect(() => team.run(caller(false, 0), over, HELPERS)).toThrow(`infokernel: internal: a task needs ${TASK_SLOTS + 1} slots`);
    expect(control()).toEqual(before); // no helper woken, no task written
    expect(Array.from(out).every(Number.isNaN)).toBe(true);
    // exactly TASK_SLOTS fit: the extra arguments are passed on and ignored by the stand-in
    const full = { ...task, args: [...task.args, ...nulls(TASK_SLOTS - slots(0))] };
    expect(team.run(caller(), full, HELPERS)).toBe(false);
    expect(helpersThatRan(memory, modeAt)).toBe(3);
  });

  it('fewer helpers than the team has: only they are woken, and the result is the same', () => {
    setMode(THROW); // a helper that takes part fails, which the count shows
    const { task, out, want } = rowTask();
    expect(team.run(caller(false, 0), task, 0)).toBe(false); // the caller alone
    expect(helperThrows(memory, modeAt)).toBe(0);
    expect(Array.from(out)).toEqual(want);
    setMode(OK);
  });
});
