// A pool worker's script (src/backend/wasm/worker.ts) run in this thread, once per test with
// a fresh module: its port to the pool in each environment (a browser's worker scope,
// Node's parentPort; both stand-ins), the handshake, an instantiation that fails, and calls as
// the coordinator runs them (results, transfers, errors by class). threads.test.ts runs the
// same script in real workers, where a failure shows only as a hung or rejected call.
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const env = vi.hoisted(() => ({
  node: false,
  sent: [] as { message: Record<string, unknown>; transfer: unknown }[],
  listeners: [] as ((data: unknown) => void)[],
}));
vi.mock('../src/backend/wasm/load.js', async (actual) => ({ ...(await actual<typeof import('../src/backend/wasm/load.js')>()), isNode: () => env.node }));
vi.mock('node:worker_threads', async (actual) => ({
  ...(await actual<typeof import('node:worker_threads')>()),
  parentPort: {
    postMessage: (message: Record<string, unknown>, transfer?: unknown) => env.sent.push({ message, transfer }),
    on: (type: string, l: (data: unknown) => void) => { if (type === 'message') env.listeners.push(l); },
  },
}));

import { SHARED_MAX_PAGES } from '../src/backend/wasm/load.js';

let module: WebAssembly.Module;
beforeAll(async () => {
  module = await WebAssembly.compile(readFileSync(new URL('../src/backend/wasm/infokernel.threads.wasm', import.meta.url)));
});

const MiB = 1 << 20;
/** The init message a pool sends its coordinator: regions of a fresh shared memory. */
function init(overrides: Record<string, unknown> = {}) {
  const memory = new WebAssembly.Memory({ initial: 1024, maximum: SHARED_MAX_PAGES, shared: true });
  return {
    type: 'init', role: 'coordinator', k: 1, module, memory, base: 32 * MiB,
    layout: { ctrl: 1 * MiB, helpers: 1 }, stage: { ptr: 8 * MiB, bytes: 16 * MiB }, temp: 2 * MiB, ...overrides,
  };
}

/** Load worker.ts afresh in the given environment; resolves once it has said it listens. */
async function start(node: boolean) {
  vi.resetModules();
  env.node = node;
  env.sent.length = 0;
  env.listeners.length = 0;
  if (!node) {
    vi.stubGlobal('postMessage', (message: Record<string, unknown>, transfer?: unknown) => env.sent.push({ message, transfer }));
    vi.stubGlobal('addEventListener', (type: string, l: (e: { data: unknown }) => void) => {
      if (type === 'message') env.listeners.push((data) => l({ data }));
    });
  }
  await import('../src/backend/wasm/worker.js');
  await vi.waitFor(() => expect(env.sent.map((s) => s.message)).toEqual([{ type: 'listening' }]));
  expect(env.listeners).toHaveLength(1); // listening before it says so: nothing the pool sends is lost
  /** Send it a message; resolves with the first message it posts after it (calls answer at once, init later). */
  return async (m: unknown) => {
    const seen = env.sent.length;
    env.listeners[0](m);
    await vi.waitFor(() => expect(env.sent.length).toBeGreaterThan(seen));
    return env.sent[seen];
  };
}

afterEach(() => vi.unstubAllGlobals());

for (const node of [false, true]) {
  describe(node ? "in Node (parentPort)" : "in a browser's worker scope", () => {
    it("instantiates the threads build over the pool's memory, says ready, then runs calls", async () => {
      const send = await start(node);
      const ready = await send(init());
      expect(ready.message).toEqual({ type: 'ready' });
      expect(ready.transfer).toEqual(node ? undefined : []);

      // a fresh result array moves (transferred), a number is posted as it is
      const rows = await send({ type: 'call', id: 7, fn: 'entropy', args: [new Float64Array([0.5, 0.5, 1, 0, 0.25, 0.25]), { cols: 2, base: 2 }], threads: 1 });
      expect(rows.message).toEqual({ type: 'result', id: 7, ok: true, value: new Float64Array([1, 0, 1]) });
      expect(rows.transfer).toEqual([(rows.message.value as Float64Array).buffer]);
      const one = await send({ type: 'call', id: 8, fn: 'crossEntropy', args: [new Float64Array([1, 0]), new Float64Array([0.85, 0.15]), { reduction: 'sum' }], threads: 1 });
      expect(one.message).toMatchObject({ type: 'result', id: 8, ok: true });
      expect(one.message.value).toBeCloseTo(-Math.log(0.85), 12);
      expect(one.transfer).toEqual([]);
    });

    it('reports a call that throws with its error class and message, and keeps serving', async () => {
      const send = await start(node);
      await send(init());
      let id = 0;
      const reply = async (fn: string, args: unknown[]) => (await send({ type: 'call', id: ++id, fn, args, threads: 1 })).message;
      const failure = (name: string, message: unknown) => ({ type: 'result', id, ok: false, name, message });
      expect(await reply('entropy', [new Float64Array([0.5, 0.5]), { base: 1 }])).toEqual(failure('RangeError', expect.stringMatching(/^entropy: option base = 1 /)));
      expect(await reply('entropy', ['not an array'])).toEqual(failure('TypeError', expect.stringMatching(/^entropy: p must be/)));
      expect(await reply('crossEntropy', [new Float64Array([1]), new Float64Array([1, 0])])).toEqual(failure('RangeError', expect.stringMatching(/^crossEntropy: /)));
      // the coordinator has only the threads build: the scalar one is not loaded there
      expect(await reply('entropy', [new Float64Array([1]), { backend: 'wasm-scalar' }]))
        .toEqual(failure('Error', "entropy: backend 'wasm-scalar' is not available: it did not load"));
      expect(await reply('entropy', [new Float64Array([1])])).toEqual({ type: 'result', id, ok: true, value: new Float64Array([0]) });
    });

    it("says 'failed', with the reason, when the module is not an infokernel build", async () => {
      const send = await start(node);
      const empty = await WebAssembly.compile(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
      expect((await send(init({ module: empty }))).message).toEqual({ type: 'failed',
        message: 'infokernel.threads.wasm (worker) is not an infokernel build (no memory or heapBase export)' });
    });

    it("says 'failed' when the memory is not the one the build imports", async () => {
      const send = await start(node);
      const failed = (await send(init({ memory: new WebAssembly.Memory({ initial: 1, maximum: 2 }) }))).message; // not shared
      expect(failed.type).toBe('failed');
      expect(failed.message).toMatch(/memory/i);
    });
  });
}
