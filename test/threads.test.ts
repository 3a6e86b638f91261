// Threads: calls split across the worker pool give results bit-identical to one thread (the
// same blocks, computed by the same kernels; sums added in block order), for every function
// that splits, on copied and zero-copy inputs, rows of 1 to 33 columns and wide rows; the
// asynchronous forms give the synchronous results, errors and `out`; where threads cannot
// run, one warning and one thread; a process with a live pool still exits.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as ik from '../src/index.js';
import { Team } from '../src/threads/team.js';
import { MIN_SPLIT_VALUES } from '../src/threads/threaded.js';
import { MIN_ASYNC_VALUES } from '../src/threads/async.js';
import { Pool } from '../src/threads/pool.js';
import { asyncPool, sharedArena } from '../src/threads/control.js';
import { kernelsFor } from '../src/backend/registry.js';
import { rng } from './support/data.js';
import { expectRejects, expectThrows } from './support/assert.js';

const THREADS = 3; // two helpers, whatever the machine's cores

beforeAll(async () => {
  await ik.ready();
  await ik.setThreads(THREADS);
});

function fill<T extends Float32Array | Float64Array>(x: T, seed: number, f: (u: number) => number): T {
  const r = rng(seed);
  for (let i = 0; i < x.length; i++) x[i] = f(r());
  return x;
}

/** Rows enough for a split (more than MIN_SPLIT_VALUES values, several blocks). */
const rowsFor = (cols: number) => Math.ceil((3 * MIN_SPLIT_VALUES) / cols) + 7;

/** Same values, bit for bit (NaN included), for arrays or numbers. */
function same(a: unknown, b: unknown): void {
  if (typeof a === 'number') {
    expect(Object.is(a, b)).toBe(true);
    return;
  }
  const x = a as ArrayLike<number>, y = b as ArrayLike<number>;
  expect(y.length).toBe(x.length);
  let bad = -1;
  for (let i = 0; i < x.length && bad < 0; i++) if (!Object.is(x[i], y[i])) bad = i;
  expect(bad, `first difference at ${bad}: ${x[bad]} vs ${y[bad]}`).toBe(-1);
}

/** The calls that split, for rows of `cols` values in element type T. */
function calls(T: Float32ArrayConstructor | Float64ArrayConstructor, cols: number, seed: number) {
  const rows = rowsFor(cols);
  const n = rows * cols;
  const p = fill(new T(n), seed, (u) => u + 1e-3);
  const q = fill(new T(n), seed + 1, (u) => u + 1e-3);
  const z = fill(new T(n), seed + 2, (u) => 8 * u - 4);
  const u01 = fill(new T(n), seed + 3, (u) => u);
  const r = rng(seed + 4);
  const y = Int32Array.from({ length: rows }, () => Math.floor(r() * cols));
  if (rows > 5) y[5] = -100; // ignored row
  const w = fill(new T(cols), seed + 5, (u) => u + 0.5);
  const o = { cols };
  const list: [string, string, unknown[]][] = [
    ['entropy', 'entropy', [p, o]],
    ['entropy normalize', 'entropy', [p, { cols, normalize: true, reduction: 'sum' }]],
    ['crossEntropy', 'crossEntropy', [p, q, { cols, reduction: 'mean' }]],
    ['klDivergence', 'klDivergence', [p, q, o]],
    ['klDivergence logTarget', 'klDivergence', [z.map((v) => -Math.abs(v)), q, { cols, logTarget: true }]],
    ['jsDivergence', 'jsDivergence', [p, q, { cols, reduction: 'sum' }]],
    ['surprisal', 'surprisal', [u01, { reduction: 'sum' }]],
    ['binaryEntropy', 'binaryEntropy', [u01]],
    // element-wise: JS by default (route.ts: one column); on WASM when asked, in blocks of
    // 65,536 values (call.ts), below the split threshold: one thread either way
    ['surprisal on wasm-simd', 'surprisal', [u01, { reduction: 'sum', backend: 'wasm-simd' }]],
    ['binaryEntropy on wasm-simd', 'binaryEntropy', [u01, { backend: 'wasm-simd' }]],
    ['logSumExp', 'logSumExp', [z, { cols, temperature: 0.7 }]],
    ['softmaxEntropy', 'softmaxEntropy', [z, o]],
    ['softmax', 'softmax', [z, o]],
    ['logSoftmax', 'logSoftmax', [z, { cols, temperature: 2 }]],
    ['softmaxCrossEntropy labels', 'softmaxCrossEntropy', [z, y, o]],
    ['softmaxCrossEntropy weighted, smoothed', 'softmaxCrossEntropy', [z, y, { cols, weight: w, labelSmoothing: 0.1, reduction: 'none' }]],
    ['softmaxCrossEntropy targets', 'softmaxCrossEntropy', [z, p, { cols, weight: w, reduction: 'sum' }]],
    ['perplexity', 'perplexity', [z, y, o]],
    ['entropyRegularizedLoss', 'entropyRegularizedLoss', [z, y, { cols, beta: 0.3 }]],
    ['nllLoss', 'nllLoss', [z, y, { cols, weight: w }]],
    ['binaryCrossEntropy', 'binaryCrossEntropy', [u01, q.map((v) => v / 1.002), { cols, weight: w, reduction: 'none' }]],
    ['binaryCrossEntropyWithLogits', 'binaryCrossEntropyWithLogits', [z, u01, { cols, posWeight: w }]],
    ['distillationLoss', 'distillationLoss', [z, q, { cols, temperature: 2 }]],
    ['mostUncertain', 'mostUncertain', [p, { cols, k: 17 }]],
    ['mutualInformation (one thread: a table)', 'mutualInformation', [p, o]],
  ];
  return { rows, n, list };
}

const lib = ik as unknown as Record<string, (...a: unknown[]) => unknown>;

describe('threads: bit-identical to one thread', () => {
  const teamRuns = () => vi.spyOn(Team.prototype, 'run');

  it('asking for threads where they run is silent, and the JS backend stays the JS backend', async () => {
    const warn = vi.spyOn(console, 'warn');
    const jsEntropy = vi.spyOn(kernelsFor('t', 'js'), 'entropy');
    const { list } = calls(Float32Array, 10, 5);
    const p = list[0][2][0] as Float32Array;
    ik.entropy(p, { cols: 10, threads: THREADS }); // Node's main thread may block: no warning
    expect(jsEntropy).not.toHaveBeenCalled();
    same(ik.entropy(p, { cols: 10, backend: 'js', threads: 1 }), ik.entropy(p, { cols: 10, backend: 'js', threads: THREADS }));
    expect(jsEntropy).toHaveBeenCalledTimes(2); // threads split only the WASM kernels
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    jsEntropy.mockRestore();
  });

  it('setThreads keeps a pool that has enough threads; concurrent starts make one pool', async () => {
    const running = asyncPool();
    await ik.setThreads(THREADS);
    await ik.setThreads(2);
    expect(asyncPool()).toBe(running);
    await ik.setThreads(THREADS); // (the default back)
    const start = vi.spyOn(Pool, 'start');
    await Promise.all([ik.setThreads(THREADS + 1), ik.setThreads(THREADS + 1)]);
    expect(start).toHaveBeenCalledTimes(1);
    start.mockRestore();
    expect(ik.backendInfo().threads).toBe(THREADS + 1);
    await ik.setThreads(THREADS);
  });

  it.each([Float32Array, Float64Array])('every function that splits, %s, several cols', async (T) => {
    const spy = teamRuns();
    for (const cols of [1, 2, 3, 10, 33, 100]) {
      const { list } = calls(T, cols, 11 * cols);
      for (const [name, fn, args] of list) {
        await ik.setThreads(1);
        const one = lib[fn](...args);
        await ik.setThreads(THREADS);
        const before = spy.mock.calls.length;
        const many = lib[fn](...args);
        same(one, many);
        // one column goes to the JS kernels by default (src/backend/route.ts): on the calling thread
        // on one thread: tables, element-wise calls (BCE included), nllLoss (a gather, no kernel), and the narrow
        // shapes the default sends to JS (route.ts: one column; f64 probability targets at two)
        const local = /^(mutualInformation|surprisal|binaryEntropy|binaryCrossEntropy|nllLoss)/.test(name);
        if (!local && cols > 2) expect(spy.mock.calls.length, `${name} at cols ${cols} did not split`).toBeGreaterThan(before);
      }
    }
    expect(spy.mock.calls.length).toBeGreaterThan(20);
    spy.mockRestore();
  }, 120_000);

  it('every cols from 1 to 33: entropy, KL, softmax CE (f32, a split each)', () => {
    const spy = teamRuns();
    for (let cols = 1; cols <= 33; cols++) {
      const rows = rowsFor(cols);
      const p = fill(new Float32Array(rows * cols), cols, (u) => u);
      const q = fill(new Float32Array(rows * cols), cols + 100, (u) => u + 0.01);
      const r = rng(cols);
      const y = Int32Array.from({ length: rows }, () => Math.floor(r() * cols));
      const before = spy.mock.calls.length;
      same(ik.entropy(p, { cols, threads: 1 }), ik.entropy(p, { cols, threads: THREADS }));
      same(ik.klDivergence(p, q, { cols, threads: 1 }), ik.klDivergence(p, q, { cols, threads: THREADS }));
      same(ik.softmaxCrossEntropy(p, y, { cols, threads: 1, reduction: 'none' }), ik.softmaxCrossEntropy(p, y, { cols, threads: THREADS, reduction: 'none' }));
      same(ik.softmaxCrossEntropy(p, y, { cols, threads: 1 }), ik.softmaxCrossEntropy(p, y, { cols, threads: THREADS }));
      if (cols > 1) expect(spy.mock.calls.length - before, `cols ${cols}`).toBeGreaterThanOrEqual(4); // cols 1: JS, one thread
    }
    spy.mockRestore();
  });

  it('zero-copy batches: split in place, the same results as copied input on one thread', () => {
    const rows = 40000, cols = 10;
    const batch = ik.allocBatch(Float32Array, rows, cols);
    fill(batch.view, 5, (u) => 6 * u - 3);
    const copy = Float32Array.from(batch.view);
    const y = Int32Array.from({ length: rows }, (_, i) => i % cols);
    same(ik.softmaxCrossEntropy(copy, y, { cols, threads: 1 }), ik.softmaxCrossEntropy(batch.view, y, { cols, threads: THREADS }));
    same(ik.logSumExp(copy, { cols, threads: 1 }), ik.logSumExp(batch.view, { cols, threads: THREADS }));
    const out = ik.allocBatch(Float64Array, rows, 1);
    ik.softmaxEntropy(batch.view, { cols, threads: THREADS, out: out.view });
    same(ik.softmaxEntropy(copy, { cols, threads: 1 }), out.view);
    batch.free();
    out.free();
  });

  it('wide rows (one row per block) and inputs larger than a staging round', () => {
    const cols = 300_000, rows = 3; // wider than a chunk: streamed in column blocks
    const p = fill(new Float32Array(rows * cols), 9, (u) => u);
    same(ik.entropy(p, { cols, threads: 1 }), ik.entropy(p, { cols, threads: THREADS }));
    same(ik.softmaxEntropy(p, { cols, threads: 1 }), ik.softmaxEntropy(p, { cols, threads: THREADS }));
    const big = fill(new Float64Array(5_000_000), 10, (u) => u); // 40 MB: several 16 MiB staging rounds
    same(ik.entropy(big, { cols: 1000, threads: 1 }), ik.entropy(big, { cols: 1000, threads: THREADS }));
  });

  it('staging stays inside its region: a batch allocated after the pool keeps its values through a 40 MB copied call', () => {
    // the pool's regions (scratch, the staging regions, the measures' scratch, the control
    // words) sit below any batch allocated after it; a round sized past its staging region
    // would write on into them and into this batch, with every result still right
    const keep = ik.allocBatch(Float64Array, 1 << 20, 1);
    fill(keep.view, 11, (u) => u);
    const before = Float64Array.from(keep.view);
    const big = fill(new Float64Array(5_000_000), 12, (u) => u);
    same(ik.crossEntropy(big, big, { cols: 1000, threads: 1 }), ik.crossEntropy(big, big, { cols: 1000, threads: THREADS }));
    same(before, keep.view);
    keep.free();
  });

  it('an invalid value in the first block, which the calling thread takes before a helper wakes: the same error', () => {
    // the caller wakes the helpers, then takes blocks from the shared counter: block 0 is nearly always its own,
    // and the flag of the caller's own blocks must count as much as a helper's (else a silent NaN row)
    const cols = 8, rows = rowsFor(cols);
    const p = fill(new Float32Array(rows * cols), 4, (u) => u);
    p[2] = -0.25;
    for (const threads of [1, THREADS]) {
      expectThrows(() => ik.entropy(p, { cols, threads }), RangeError, /^entropy: p\[2\] = -0\.25 /);
    }
  });

  it('an invalid value in a block a helper runs: the same error as on one thread', () => {
    const cols = 8, rows = rowsFor(cols);
    const p = fill(new Float32Array(rows * cols), 3, (u) => u);
    p[p.length - 3] = -0.5; // in the last block
    const err = (threads: number) => { try { ik.entropy(p, { cols, threads }); } catch (e) { return e as Error; } return null; };
    const one = err(1), many = err(THREADS);
    expect(one).toBeInstanceOf(RangeError);
    expect(many).toBeInstanceOf(RangeError);
    expect(many!.message).toBe(one!.message);
    expect(one!.message).toContain(`p[${p.length - 3}] = -0.5`);
  });

  it('the threads option: integers from 1 to 256', async () => {
    const p = new Float64Array([0.5, 0.5]);
    for (const bad of [0, -1, 1.5, 257, NaN, '2']) {
      expectThrows(() => ik.entropy(p, { threads: bad as number }), RangeError, /^entropy: option threads = .* must be an integer from 1 to 256$/);
    }
    await expect(ik.setThreads(0)).rejects.toThrow(new RangeError('setThreads: option threads = 0 must be an integer from 1 to 256'));
    expect(ik.entropy(p, { threads: 1, base: 2 })).toEqual(new Float64Array([1]));
  });

  it('backendInfo().threads is the real count', async () => {
    await ik.setThreads(2);
    expect(ik.backendInfo().threads).toBe(2);
    await ik.setThreads(THREADS);
    expect(ik.backendInfo().threads).toBe(THREADS);
  });

  it('a larger pool replaces the old one, which gives back every region it held', async () => {
    const arena = sharedArena()!, old = asyncPool()!;
    const held = old.heldBytes, target = old.helpers + 2;
    expect(held).toBeGreaterThan(0);
    const release = vi.spyOn(arena, 'release');
    await ik.setThreads(target);
    expect(asyncPool()).not.toBe(old);
    expect(old.heldBytes).toBe(0);
    // the control words, two staging regions, the coordinator's scratch, one region per worker
    expect(release.mock.results.map((r) => r.value)).toEqual(Array(4 + old.helpers + 1).fill(true));
    release.mockRestore();
    expect(ik.backendInfo().threads).toBe(target);
    await ik.setThreads(THREADS);
  });

  it('growing the pool while an Async call is in flight: the call finishes on the old pool, which then stops', async () => {
    const old = asyncPool()!;
    const cols = 10, z = fill(new Float32Array(cols * Math.ceil(MIN_ASYNC_VALUES / cols) * 4), 3, (u) => 6 * u - 3);
    const start = Pool.start.bind(Pool);
    let pending: Promise<number> | null = null;
    // the call is sent to the old pool just before the new one replaces it
    const spy = vi.spyOn(Pool, 'start').mockImplementation(async (build, n) => {
      const next = await start(build, n);
      pending = ik.logSumExpAsync(z, { cols, reduction: 'sum' });
      return next;
    });
    await ik.setThreads(old.helpers + 2);
    spy.mockRestore();
    expect(asyncPool()).not.toBe(old);
    same(ik.logSumExp(z, { cols, reduction: 'sum' }), await pending!);
    expect(old.heldBytes).toBe(0); // stopped once the call settled
    await ik.setThreads(THREADS);
  });

  it('a pool that fails to start: one warning with the cause, its regions given back, the running pool kept', async () => {
    const arena = sharedArena()!, running = asyncPool()!;
    const spawn = vi.spyOn(Pool.prototype as unknown as { spawn(n: number): Promise<void> }, 'spawn')
      .mockRejectedValue(new Error('no workers here'));
    const alloc = vi.spyOn(arena, 'alloc'), release = vi.spyOn(arena, 'release');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await ik.setThreads(running.helpers + 3);
    expect(warn.mock.calls).toEqual([['infokernel: threads cannot run here: the worker threads did not start (no workers here). Calls run on one thread.']]);
    expect(release.mock.calls.map((c) => c[0]).sort()).toEqual(alloc.mock.results.map((r) => r.value).sort());
    expect(asyncPool()).toBe(running);
    for (const m of [spawn, alloc, release, warn]) m.mockRestore();
    await ik.setThreads(THREADS); // the default it set
    expect(ik.backendInfo().threads).toBe(THREADS);
  });
});

describe('asynchronous forms', () => {
  const cols = 10, rows = Math.ceil(MIN_ASYNC_VALUES / cols) * 3;
  const z = fill(new Float32Array(rows * cols), 21, (u) => 10 * u - 5);
  const y = Int32Array.from({ length: rows }, (_, i) => (i * 7) % cols);

  it('give the synchronous results (every async form), on the pool', async () => {
    const spy = vi.spyOn(Pool.prototype, 'call');
    const { list } = calls(Float32Array, 10, 77);
    for (const [name, fn, args] of list) {
      const before = spy.mock.calls.length;
      same(lib[fn](...args), await lib[`${fn}Async`](...args));
      expect(spy.mock.calls.length, name).toBe(before + 1); // ran in the coordinator worker
      expect(spy.mock.results[before].type, name).toBe('return'); // (not thrown, then run here)
    }
    for (const name of ['entropy', 'crossEntropy', 'klDivergence', 'jsDivergence', 'surprisal', 'binaryEntropy',
      'logSumExp', 'softmaxEntropy', 'softmax', 'logSoftmax', 'softmaxCrossEntropy', 'perplexity',
      'entropyRegularizedLoss', 'nllLoss', 'binaryCrossEntropy', 'binaryCrossEntropyWithLogits', 'distillationLoss',
      'mostUncertain', 'jointEntropy', 'conditionalEntropy', 'mutualInformation']) {
      expect(lib[`${name}Async`], name).toBeTypeOf('function');
    }
    const joint = fill(new Float64Array(rows * cols), 4, (u) => u);
    same(ik.jointEntropy(joint, { cols }), await ik.jointEntropyAsync(joint, { cols }));
    same(ik.conditionalEntropy(joint, { cols }), await ik.conditionalEntropyAsync(joint, { cols }));
    spy.mockRestore();
  }, 120_000);

  it('fill `out` (copied back, or in place for a batch view)', async () => {
    const out = new Float64Array(rows);
    const r = await ik.logSumExpAsync(z, { cols, out });
    expect(r).toBe(out);
    same(ik.logSumExp(z, { cols }), out);
    const b = ik.allocBatch(Float64Array, rows, 1);
    const rb = await ik.logSumExpAsync(z, { cols, out: b.view });
    expect(rb).toBe(b.view);
    same(out, b.view);
    b.free();
  });

  it('reject with the synchronous error (type and message)', async () => {
    const bad = Int32Array.from(y);
    bad[rows - 2] = cols; // out of range, in a late block
    let sync: Error | null = null;
    try { ik.softmaxCrossEntropy(z, bad, { cols }); } catch (e) { sync = e as Error; }
    expect(sync).toBeInstanceOf(RangeError);
    // (rejects.toThrow(error) compares messages only: the class is checked apart)
    const rejected = await ik.softmaxCrossEntropyAsync(z, bad, { cols }).then(() => null, (e: Error) => e);
    expect(rejected?.constructor).toBe(RangeError);
    expect(rejected?.message).toBe(sync!.message);
    await expect(ik.entropyAsync(z, { cols, bogus: 1 } as never)).rejects.toBeInstanceOf(TypeError);
    await expectRejects(ik.entropyAsync((() => 1) as never), TypeError, /^entropy: p must be/);
  });

  it('arrays outside shared memory go to the coordinator as shared copies, given back after the call', async () => {
    const arena = sharedArena()!;
    const alloc = vi.spyOn(arena, 'alloc'), release = vi.spyOn(arena, 'release');
    const out = new Float64Array(rows);
    await ik.softmaxCrossEntropyAsync(z, y, { cols, reduction: 'none', out });
    same(ik.softmaxCrossEntropy(z, y, { cols, reduction: 'none' }), out);
    expect(alloc).toHaveBeenCalledTimes(3); // z, y and out
    expect(release.mock.calls.map((c) => c[0]).sort()).toEqual(alloc.mock.results.map((r) => r.value).sort());
    // out aliasing an input: not copied apart (the call itself checks the overlap)
    alloc.mockClear();
    const same0 = Float64Array.from(z);
    await ik.softmaxAsync(same0, { cols, out: same0 });
    same(ik.softmax(Float64Array.from(z), { cols }), same0);
    expect(alloc).not.toHaveBeenCalled();
    alloc.mockRestore();
    release.mockRestore();
  });

  it('a view of a freed batch rejects with the use-after-free error (the coordinator keeps no batch list)', async () => {
    const b = ik.allocBatch(Float64Array, rows, cols);
    b.view.set(z);
    const view = b.view;
    b.free();
    let sync: Error | null = null;
    try { ik.entropy(view, { cols }); } catch (e) { sync = e as Error; }
    expect(sync).toBeInstanceOf(TypeError);
    await expect(ik.entropyAsync(view, { cols })).rejects.toThrow(new TypeError(sync!.message));
  });

  it('a missing, null or uncloneable argument rejects with the synchronous error, not an internal one', async () => {
    await expectRejects((ik.entropyAsync as (...a: unknown[]) => Promise<unknown>)(), TypeError, /^entropy: p must be a Float32Array or Float64Array, got undefined$/);
    await expectRejects(ik.entropyAsync(null as never), TypeError, /^entropy: p must be a Float32Array or Float64Array, got null$/);
    // past the size check: null among the arguments of a batch large enough for the pool
    await expectRejects(ik.softmaxCrossEntropyAsync(z, null as never, { cols }), TypeError, /^softmaxCrossEntropy: target must be .*, got null$/);
    await expectRejects(ik.softmaxCrossEntropyAsync(z, undefined as never, { cols }), TypeError, /^softmaxCrossEntropy: target must be .*, got undefined$/);
    // a function cannot cross to the coordinator (postMessage throws): the call itself names the option
    await expectRejects(ik.entropyAsync(z, { cols, bogus: () => 1 } as never), TypeError, /^entropy: unknown option 'bogus'/);
  });

  it('a freed batch\'s view as `out` rejects with the synchronous error (the coordinator would write through it)', async () => {
    const b = ik.allocBatch(Float64Array, rows, 1);
    const stale = b.view;
    b.free();
    await expectRejects(ik.logSumExpAsync(z, { cols, out: stale }), TypeError,
      /^logSumExp: out views infokernel's WebAssembly memory outside any live batch/);
  });

  it('the threads option reaches the pool; from MIN_ASYNC_VALUES values a call goes to it, below it not', async () => {
    const spy = vi.spyOn(Pool.prototype, 'call');
    const at = new Float64Array(MIN_ASYNC_VALUES).fill(0.5);
    await ik.entropyAsync(at, { cols: 2, threads: 1 });
    await ik.entropyAsync(at, { cols: 2, threads: 2 });
    await ik.entropyAsync(at, { cols: 2 });
    expect(spy.mock.calls.map((c) => c[2])).toEqual([1, 2, THREADS]);
    spy.mockClear();
    same(ik.entropy(at.subarray(1), { cols: 1 }), await ik.entropyAsync(at.subarray(1), { cols: 1 }));
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('batch views cross in place: nothing is copied into shared memory for them', async () => {
    const arena = sharedArena()!;
    const bz = ik.allocBatch(Float32Array, rows, cols), bo = ik.allocBatch(Float64Array, rows, 1);
    bz.view.set(z);
    const alloc = vi.spyOn(arena, 'alloc');
    const r = await ik.softmaxCrossEntropyAsync(bz.view, y, { cols, reduction: 'none', out: bo.view });
    expect(r).toBe(bo.view);
    expect(alloc).toHaveBeenCalledTimes(1); // the labels only
    same(ik.softmaxCrossEntropy(z, y, { cols, reduction: 'none' }), bo.view);
    alloc.mockRestore();
    bz.free(); bo.free();
  });

  it('when shared memory is full, arrays are cloned to the coordinator instead: the same results', async () => {
    const arena = sharedArena()!;
    const alloc = vi.spyOn(arena, 'alloc').mockImplementation(() => { throw new RangeError('full'); });
    const release = vi.spyOn(arena, 'release');
    const out = new Float64Array(rows);
    const r = await ik.softmaxCrossEntropyAsync(z, y, { cols, reduction: 'none', out });
    expect(r).toBe(out);
    expect(release).not.toHaveBeenCalled();
    alloc.mockRestore();
    release.mockRestore();
    same(ik.softmaxCrossEntropy(z, y, { cols, reduction: 'none' }), out);
    same(ik.logSumExp(z, { cols, reduction: 'sum' }), await ik.logSumExpAsync(z, { cols, reduction: 'sum' }));
  });

  it('many calls in flight at once all resolve to their own results', async () => {
    const expected = [1, 2, 3, 4, 5, 6].map((t) => ik.logSumExp(z, { cols, temperature: t, reduction: 'sum' }));
    const got = await Promise.all([1, 2, 3, 4, 5, 6].map((t) => ik.logSumExpAsync(z, { cols, temperature: t, reduction: 'sum' })));
    got.forEach((g, i) => same(expected[i], g));
  });

  it('small batches run on the calling thread', async () => {
    const spy = vi.spyOn(Pool.prototype, 'call');
    const r = await ik.entropyAsync(new Float64Array([0.25, 0.75]), { base: 2 });
    expect(r[0]).toBeCloseTo(0.8112781244591328, 15); // H(1/4) in bits
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});

describe('where threads cannot run, and process exit', () => {
  const run = (code: string, flags: string[] = []) => execFileSync(process.execPath,
    [...flags, '--import', 'tsx', '--input-type=module', '-e', code],
    { cwd: process.cwd(), encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });

  it('no SharedArrayBuffer: one warning, one thread, async still answers', () => {
    const out = run(`
      delete globalThis.SharedArrayBuffer; // an engine without it (tsx, loaded first, needed it)
      const ik = await import('./src/index.ts');
      const warns = []; console.warn = (m) => warns.push(String(m));
      await ik.ready();
      await ik.setThreads(4);
      const p = new Float64Array(200000).fill(0.5);
      const h = await ik.entropyAsync(p, { cols: 2, base: 2, reduction: 'mean' });
      ik.entropy(p, { cols: 2, threads: 4 });
      console.log(JSON.stringify({ h, threads: ik.backendInfo().threads, warns }));
    `);
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r.h).toBeCloseTo(1, 14); // a fair coin: 1 bit
    expect(r.threads).toBe(1);
    expect(r.warns).toHaveLength(1);
    expect(r.warns[0]).toMatch(/threads cannot run here: this engine has no SharedArrayBuffer\. Calls run on one thread\./);
  });

  it('no SharedArrayBuffer: the first Async call that asks for threads on a large batch (from MIN_ASYNC_VALUES) names itself in the one warning', () => {
    const out = run(`
      delete globalThis.SharedArrayBuffer;
      const ik = await import('./src/index.ts');
      const warns = []; console.warn = (m) => warns.push(String(m));
      await ik.ready();
      const small = new Float64Array(1000).fill(0.5), large = new Float64Array(${MIN_ASYNC_VALUES}).fill(0.5);
      const a = await ik.entropyAsync(small, { cols: 2, base: 2, reduction: 'mean' }); // small, the default threads (the cores)
      const b = await ik.entropyAsync(large, { cols: 2, base: 2, reduction: 'mean', threads: 1 }); // one thread asked
      const n = warns.length;
      const c = await ik.entropyAsync(large, { cols: 2, base: 2, reduction: 'sum', threads: 4 });
      const d = await ik.crossEntropyAsync(large, large, { cols: 2, base: 2, reduction: 'sum', threads: 4 });
      console.log(JSON.stringify({ a, b, c, d, n, warns }));
    `);
    const r = JSON.parse(out.trim().split('\\n').pop()!);
    expect([r.a, r.b]).toEqual([1, 1]);
    expect([r.c, r.d]).toEqual([MIN_ASYNC_VALUES / 2, MIN_ASYNC_VALUES / 2]);
    expect(r.n).toBe(0);
    expect(r.warns).toEqual(['infokernel: entropyAsync: threads cannot run here: this engine has no SharedArrayBuffer. Calls run on one thread.']);
  });

  it('a one-core machine: no pool by default (an Async call asking for threads says why, once); setThreads(2) starts one', () => {
    const out = run(`
      const os = (await import('node:os')).default;
      os.availableParallelism = () => 1;
      (await import('node:module')).syncBuiltinESMExports();
      const ik = await import('./src/index.ts');
      const warns = []; console.warn = (m) => warns.push(String(m));
      await ik.ready();
      const before = ik.backendInfo().threads;
      const large = new Float64Array(${MIN_ASYNC_VALUES}).fill(0.5);
      const a = await ik.entropyAsync(large, { cols: 2, base: 2, reduction: 'sum', threads: 2 });
      await ik.setThreads(2);
      const after = ik.backendInfo().threads;
      const b = await ik.entropyAsync(large, { cols: 2, base: 2, reduction: 'sum' });
      console.log(JSON.stringify({ before, after, a, b, warns }));
    `);
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({
      before: 1, after: 2, a: MIN_ASYNC_VALUES / 2, b: MIN_ASYNC_VALUES / 2,
      warns: ['infokernel: entropyAsync: threads have not started: the default here is one thread, so ready() started no worker pool: await setThreads(n) first. Calls run on one thread.'],
    });
  });

  it('a process with a started pool exits on its own', () => {
    const out = run(`
      const ik = await import('./src/index.ts');
      await ik.ready();
      await ik.setThreads(3);
      const p = new Float64Array(600000).fill(0.25);
      console.log(ik.entropy(p, { cols: 4, base: 2, reduction: 'mean' }), await ik.entropyAsync(p, { cols: 4, base: 2, reduction: 'sum' }));
    `);
    const [mean, sum] = out.trim().split(' ').map(Number);
    expect(mean).toBeCloseTo(2, 13); // four equal outcomes: 2 bits
    expect(sum).toBeCloseTo(300000, 8);
  });

  it('calls in flight keep the process alive until the last one settles (not just the first)', () => {
    // a pending promise alone does not keep Node running: the coordinator must stay held
    const out = run(`
      const ik = await import('./src/index.ts');
      await ik.ready();
      await ik.setThreads(2);
      const small = new Float64Array(${MIN_ASYNC_VALUES}).fill(0.5), large = new Float64Array(8 * ${MIN_ASYNC_VALUES}).fill(0.5);
      const [a, b] = await Promise.all([ik.entropyAsync(small, { cols: 2, base: 2, reduction: 'sum' }),
        ik.entropyAsync(large, { cols: 2, base: 2, reduction: 'sum' })]);
      console.log(a, b);
    `);
    expect(out.trim().split(' ').map(Number)).toEqual([MIN_ASYNC_VALUES / 2, 4 * MIN_ASYNC_VALUES]);
  });
});

afterAll(async () => {
  await ik.setThreads(THREADS);
});
