// Starting a worker (src/backend/wasm/spawn.ts) in each of its environments, in Node: the
// browser's module Web Worker (isNode() made false, a stand-in Worker constructor) and Node's
// worker_threads with the worker file found where a bundle or a source checkout puts it
// (node:worker_threads and node:fs mocked). The real start-up runs in threads.test.ts and, in
// Chromium and the bundlers, in npm run test:browser; this file pins each branch's choices.
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const env = vi.hoisted(() => ({ node: true, exists: new Set<string>(), started: [] as NodeFake[] }));
/** A stand-in for worker_threads' Worker: records how it was started and its ref state. */
class NodeFake {
  readonly refs: boolean[] = [];
  readonly listeners: Record<string, ((x: unknown) => void)[]> = {};
  readonly posted: unknown[] = [];
  terminated = false;
  constructor(readonly script: URL | string, readonly options?: { eval?: boolean }) { env.started.push(this); }
  ref(): void { this.refs.push(true); }
  unref(): void { this.refs.push(false); }
  on(type: string, l: (x: unknown) => void): void { (this.listeners[type] ??= []).push(l); }
  postMessage(m: unknown): void { this.posted.push(m); }
  terminate(): Promise<number> { this.terminated = true; return Promise.resolve(0); }
}
vi.mock('node:worker_threads', () => ({ Worker: NodeFake }));
vi.mock('node:fs', async (actual) => ({ ...(await actual<typeof import('node:fs')>()), existsSync: (u: URL) => env.exists.has(u.href) }));
vi.mock('../src/backend/wasm/load.js', async (actual) => ({ ...(await actual<typeof import('../src/backend/wasm/load.js')>()), isNode: () => env.node }));

import { spawnWorker } from '../src/backend/wasm/spawn.js';

const here = new URL('../src/backend/wasm/', import.meta.url);
const workerJs = new URL('worker.js', here).href, workerTs = new URL('worker.ts', here).href;

/** The one Node worker started, on a URL (not eval'd source) with this href. */
function startedOn(href: string): void {
  expect(env.started).toHaveLength(1);
  const [w] = env.started;
  expect(w.script).toBeInstanceOf(URL);
  expect((w.script as URL).href).toBe(href);
  expect(w.options).toBeUndefined();
}

beforeEach(() => {
  env.node = true;
  env.exists.clear();
  env.started.length = 0;
});
afterEach(() => vi.unstubAllGlobals());

describe('in Node (worker_threads)', () => {
  it('starts worker.js beside the module when it is there (the built package)', async () => {
    env.exists.add(workerJs);
    env.exists.add(workerTs);
    await spawnWorker('file:///elsewhere/infokernel.threads.wasm');
    startedOn(workerJs);
  });

  it('runs worker.ts through tsx when only the source is there (tests, tsx)', async () => {
    env.exists.add(workerTs);
    await spawnWorker('file:///elsewhere/infokernel.threads.wasm');
    const [w] = env.started;
    expect(w.options).toEqual({ eval: true });
    expect(w.script).toBe(`import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(workerTs)}); })`);
  });

  // A bundle moves this module away from worker.js: the worker is looked for beside the threads
  // .wasm that ready({ wasmPaths }) pointed at (the package's dist/backend/wasm/).
  for (const [source, expected] of [
    ['file:///pkg/dist/backend/wasm/infokernel.threads.wasm', 'file:///pkg/dist/backend/wasm/worker.js'],
    ['/pkg/dist/backend/wasm/infokernel.threads.wasm', 'file:///pkg/dist/backend/wasm/worker.js'],
    ['/pkg/dist/', 'file:///pkg/dist/worker.js'],
    ['https://cdn.example/infokernel.threads.wasm', workerJs], // not a file: the module's own place, whose error names it
    ['wasm/infokernel.threads.wasm', workerJs],
    ['https://cdn.example/file:/infokernel.threads.wasm', workerJs], // only a leading file: is a file
    // a Windows path (drive letter, either slash) is a path wherever this runs; a digit is not a drive
    ['C:/pkg/infokernel.threads.wasm', new URL('./worker.js', pathToFileURL('C:/pkg/infokernel.threads.wasm')).href],
    ['d:\\pkg\\infokernel.threads.wasm', new URL('./worker.js', pathToFileURL('d:\\pkg\\infokernel.threads.wasm')).href],
    ['1:/pkg/infokernel.threads.wasm', workerJs],
    ['C:pkg/infokernel.threads.wasm', workerJs],
  ]) {
    it(`looks beside the .wasm when neither is beside the module: ${source}`, async () => {
      await spawnWorker(source);
      startedOn(expected);
    });
  }

  it('never keeps the process alive unless held, whatever listeners are added', async () => {
    env.exists.add(workerJs);
    const h = await spawnWorker('file:///x.wasm');
    const [w] = env.started;
    expect(w.refs).toEqual([false]); // idle from the start
    const got: unknown[] = [], errors: Error[] = [];
    h.onMessage((d) => got.push(d));
    expect(w.refs).toEqual([false, false]); // a listener re-refs the port: unref again
    h.hold(true);
    h.onError((e) => errors.push(e));
    expect(w.refs).toEqual([false, false, true, true]); // held: stays referenced after a listener
    h.hold(false);
    h.onMessage(() => undefined);
    expect(w.refs).toEqual([false, false, true, true, false, false]);
    w.listeners.message[0]('hello');
    w.listeners.error[0](new Error('boom'));
    expect(got).toEqual(['hello']);
    expect(errors.map((e) => e.message)).toEqual(['boom']);
    h.post({ a: 1 });
    expect(w.posted).toEqual([{ a: 1 }]);
    h.terminate();
    expect(w.terminated).toBe(true);
  });
});

describe('in browsers (a module Web Worker)', () => {
  /** A stand-in for the DOM's Worker. */
  class WebFake extends EventTarget {
    static made: WebFake[] = [];
    static throwing: unknown = null;
    readonly posted: unknown[] = [];
    terminated = false;
    constructor(readonly url: URL, readonly options: { type?: string }) {
      super();
      if (WebFake.throwing) throw WebFake.throwing;
      WebFake.made.push(this);
    }
    postMessage(m: unknown): void { this.posted.push(m); }
    terminate(): void { this.terminated = true; }
  }
  const event = (type: string, props: Record<string, unknown>) => Object.assign(new Event(type), props);

  beforeEach(() => {
    env.node = false;
    WebFake.made = [];
    WebFake.throwing = null;
    vi.stubGlobal('Worker', WebFake);
  });

  it('starts worker.js beside the module as a module worker, never touching worker_threads', async () => {
    const h = await spawnWorker('https://cdn.example/infokernel.threads.wasm');
    expect(WebFake.made).toHaveLength(1);
    const [w] = WebFake.made;
    expect(w.url).toBeInstanceOf(URL);
    expect(w.url.href).toBe(workerJs);
    expect(w.options).toEqual({ type: 'module' });
    expect(env.started).toHaveLength(0);
    h.post({ type: 'init' });
    expect(w.posted).toEqual([{ type: 'init' }]);
    expect(h.hold(true)).toBeUndefined(); // nothing to keep alive in a page
    h.terminate();
    expect(w.terminated).toBe(true);
  });

  it("hands listeners the message's data and errors as Error objects", async () => {
    const h = await spawnWorker('x');
    const [w] = WebFake.made;
    const got: unknown[] = [], errors: string[] = [];
    h.onMessage((d) => got.push(d));
    h.onError((e) => { expect(e).toBeInstanceOf(Error); errors.push(e.message); });
    w.dispatchEvent(event('message', { data: { type: 'ready' } }));
    w.dispatchEvent(event('error', { message: 'Uncaught SyntaxError: bad token' }));
    w.dispatchEvent(event('error', { message: '' })); // a script that 404s reports no message
    w.dispatchEvent(event('messageerror', {}));
    expect(got).toEqual([{ type: 'ready' }]);
    expect(errors).toEqual(['Uncaught SyntaxError: bad token', 'the worker script failed to load', 'a message to the worker could not be read']);
  });

  it('says how to fix a worker refused across origins (a package served from a CDN)', async () => {
    WebFake.throwing = Object.assign(new Error("Failed to construct 'Worker': Script at 'https://cdn.example/worker.js' cannot be accessed from origin 'https://app.example'."), { name: 'SecurityError' });
    await expect(spawnWorker('x')).rejects.toThrow(new Error(
      "Failed to construct 'Worker': Script at 'https://cdn.example/worker.js' cannot be accessed from origin 'https://app.example': " +
      "browsers start workers only from the page's origin; serve infokernel's dist/ from it to use threads"));
  });

  it('passes any other failure on as it is', async () => {
    const other = new TypeError('Worker is not a constructor here.');
    WebFake.throwing = other;
    await expect(spawnWorker('x')).rejects.toBe(other);
    WebFake.throwing = 'a string, not an Error';
    await expect(spawnWorker('x')).rejects.toThrow(new Error('a string, not an Error'));
  });
});
