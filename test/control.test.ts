// The one place that decides how many threads a call uses (src/threads/control.ts), before any
// pool exists: each test loads a fresh copy of the module (vi.resetModules), so its once-only
// warning and its state start over. threads.test.ts covers the running pool; here, what a user
// hears when threads cannot run (once, naming the call, saying why: no SharedArrayBuffer, a page
// that is not cross-origin isolated, the threads build not loaded, a reason the loader gave).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Kernels } from '../src/backend/kernels.js';
import { expectThrows } from './support/assert.js';
import { TEMP_BYTES } from '../src/measures/scratch.js';

type Control = typeof import('../src/threads/control.js');
let warns: string[];

beforeEach(() => {
  vi.resetModules();
  warns = [];
  vi.spyOn(console, 'warn').mockImplementation((m: unknown) => { warns.push(String(m)); });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const fresh = () => import('../src/threads/control.js') as Promise<Control>;
const simd = { name: 'wasm-simd' } as unknown as Kernels, js = { name: 'js' } as unknown as Kernels;
const ONE = 'Calls run on one thread.';

describe('threads control, before a pool', () => {
  it('the default is the cores the engine reports (1 to MAX_THREADS), then setThreads(n)', async () => {
    vi.stubGlobal('navigator', { hardwareConcurrency: 6 });
    const c = await fresh();
    expect(c.defaultThreads()).toBe(6);
    vi.stubGlobal('navigator', { hardwareConcurrency: 1000 });
    expect(c.defaultThreads()).toBe(c.MAX_THREADS);
    vi.stubGlobal('navigator', { hardwareConcurrency: 0 });
    expect(c.defaultThreads()).toBe(1);
    vi.stubGlobal('navigator', undefined);
    expect(c.defaultThreads()).toBe(1);
    await c.setThreads(1);
    vi.stubGlobal('navigator', { hardwareConcurrency: 6 });
    expect(c.defaultThreads()).toBe(1);
    expect(warns).toEqual([]); // one thread asked: nothing to say
  });

  it('threadsOption: undefined, or an integer from 1 to 256; else a RangeError naming the function', async () => {
    const c = await fresh();
    expect(c.threadsOption('f', undefined)).toBeUndefined();
    expect([c.threadsOption('f', 1), c.threadsOption('f', 256)]).toEqual([1, 256]);
    for (const bad of [0, 257, 1.5, NaN, '2', null]) {
      expectThrows(() => c.threadsOption('entropy', bad), RangeError, /^entropy: option threads = .* must be an integer from 1 to 256$/);
    }
    await expect(c.setThreads(0)).rejects.toThrow(/^setThreads: option threads = 0 must be an integer from 1 to 256$/);
  });

  for (const cores of [1, 2]) {
    it(`with the threads build but no pool yet (${cores} core${cores > 1 ? 's' : ''}): threads have not started, and the warning says what starts them`, async () => {
      vi.stubGlobal('navigator', { hardwareConcurrency: cores });
      const c = await fresh();
      c.useSharedBuild({ arena: { alloc: () => 0, buffer: new SharedArrayBuffer(TEMP_BYTES) } } as never, simd as never);
      expect(c.withThreads(simd, 2, 'entropy')).toBe(simd);
      expect(c.threadCount()).toBe(1);
      expect(warns).toEqual([`infokernel: entropy: threads have not started: ${cores > 1
        ? 'the worker pool is still starting: await ready() first'
        : 'the default here is one thread, so ready() started no worker pool: await setThreads(n) first'}. ${ONE}`]);
    });
  }

  it('without the threads build: one warning, the first time more threads are asked for, saying why', async () => {
    const c = await fresh();
    expect(c.withThreads(simd, undefined, 'entropy')).toBe(simd); // not asked: no warning
    expect(c.withThreads(simd, 1, 'entropy')).toBe(simd);
    expect(c.withThreads(js, 4, 'entropy')).toBe(js); // the JS backend has no threads to give
    expect(warns).toEqual([]);
    expect(c.withThreads(simd, 4, 'klDivergence')).toBe(simd);
    c.withThreads(simd, 4, 'entropy');
    await c.setThreads(3);
    expect(warns).toEqual([`infokernel: klDivergence: threads cannot run here: the threads build (infokernel.threads.wasm) is not loaded: await ready() first. ${ONE}`]);
    expect([c.threadCount(), c.asyncPool(), c.sharedArena()]).toEqual([1, null, null]);
  });

  it('setThreads(n > 1) where threads cannot run warns without a function name', async () => {
    const c = await fresh();
    await c.setThreads(2);
    expect(warns).toEqual([`infokernel: threads cannot run here: the threads build (infokernel.threads.wasm) is not loaded: await ready() first. ${ONE}`]);
    expect(c.defaultThreads()).toBe(2); // still the default asked for
  });

  it('names the cause: no SharedArrayBuffer, or a page that is not cross-origin isolated', async () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    let c = await fresh();
    c.noThreadsWarning('entropyAsync');
    expect(warns.pop()).toBe(`infokernel: entropyAsync: threads cannot run here: this engine has no SharedArrayBuffer. ${ONE}`);
    vi.stubGlobal('crossOriginIsolated', false);
    vi.resetModules();
    c = await fresh();
    c.noThreadsWarning('entropyAsync');
    expect(warns.pop()).toBe('infokernel: entropyAsync: threads cannot run here: this page is not cross-origin isolated (serve it with ' +
      `Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp). ${ONE}`);
  });

  it('a thread that may not block (a page\'s main thread) asking for threads: one warning pointing to the Async form', async () => {
    // Atomics.wait throws there; the team itself is a stand-in (only its presence matters here)
    vi.spyOn(Atomics, 'wait').mockImplementation(() => { throw new TypeError('Atomics.wait cannot be called in this context'); });
    vi.stubGlobal('navigator', { hardwareConcurrency: 4 });
    const c = await fresh();
    const local = { name: 'wasm-simd', arena: { buffer: new ArrayBuffer(TEMP_BYTES) } } as unknown as Parameters<Control['adoptTeam']>[0];
    c.adoptTeam(local, { helpers: 3 } as never, { ptr: 0, bytes: 0 }, 0);
    expect(c.withThreads(local, undefined, 'entropy')).not.toBe(local); // the default: split where it can
    expect(c.withThreads(local, 1, 'entropy')).toBe(local);
    expect(warns).toEqual([]);
    c.withThreads(local, 4, 'entropy');
    c.withThreads(local, 2, 'klDivergence');
    expect(warns).toEqual(['infokernel: entropy: threads cannot run here: a page\'s main thread cannot wait for workers: call the ' +
      `Async form (entropyAsync, ...) to use threads. ${ONE}`]);
  });

  it('a reason the loader gave is the one said; after another warning explained it, none', async () => {
    let c = await fresh();
    c.threadsUnavailable('the threads build did not compile (CompileError: x)');
    c.noThreadsWarning('softmaxAsync');
    expect(warns).toEqual([`infokernel: softmaxAsync: threads cannot run here: the threads build did not compile (CompileError: x). ${ONE}`]);
    vi.resetModules();
    c = await fresh();
    c.threadsExplained();
    c.noThreadsWarning('softmaxAsync');
    await c.setThreads(4);
    expect(warns).toHaveLength(1);
  });
});
