// Starting a worker thread on worker.js, the file beside this module (a real file, no
// blob: URL, so bundlers ship it and CSP-strict pages run it): Node's worker_threads, or a
// module Web Worker in browsers. `new Worker(new URL('./worker.js', import.meta.url), ...)`
// is the literal form Vite, webpack and Rollup recognise. Node also looks beside the
// threads .wasm (the package's dist/backend/wasm/ when a bundle passes ready({ wasmPaths }));
// run from source (tsx, vitest), it finds worker.ts and loads it through tsx (a devDependency).
import { isNode } from './load.js';

/** The part of a worker the pool uses, the same in Node and browsers. */
export interface WorkerHandle {
  post(message: unknown): void;
  onMessage(listener: (data: unknown) => void): void;
  onError(listener: (error: Error) => void): void;
  terminate(): void;
  /** Node: whether the worker keeps the process alive (while a call waits on it). */
  hold(on: boolean): void;
}

/** A worker on worker.js; `wasmSource` is where the threads .wasm was loaded from. */
export async function spawnWorker(wasmSource: string): Promise<WorkerHandle> {
  if (isNode()) return spawnNode(wasmSource);
  let w: Worker;
  try {
    w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }); // the literal form bundlers follow
  } catch (err) {
    // A worker script must come from the page's origin: a package imported from a CDN cannot start one.
    const e = err instanceof Error ? err : new Error(String(err));
    if (e.name !== 'SecurityError') throw e;
    throw new Error(`${e.message.replace(/\.$/, '')}: browsers start workers only from the page's origin; serve infokernel's dist/ from it to use threads`);
  }
  return {
    post: (m) => w.postMessage(m),
    onMessage: (l) => w.addEventListener('message', (e) => l(e.data)),
    onError: (l) => {
      w.addEventListener('error', (e) => l(new Error(e.message || 'the worker script failed to load')));
      w.addEventListener('messageerror', () => l(new Error('a message to the worker could not be read')));
    },
    terminate: () => w.terminate(),
    hold: () => undefined,
  };
}

async function spawnNode(wasmSource: string): Promise<WorkerHandle> {
  const threadsName = 'node:worker_threads', fsName = 'node:fs', urlName = 'node:url';
  const { Worker: NodeWorker } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ threadsName)) as typeof import('node:worker_threads');
  const { existsSync } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ fsName)) as typeof import('node:fs');
  const { pathToFileURL } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ urlName)) as typeof import('node:url');
  const url = new URL('./worker.js', import.meta.url);
  // Derived from url, not from import.meta.url, so bundlers (webpack evaluates string
  // replace() on literals) never try to resolve a worker.ts that dist does not have.
  const source = new URL(url.href.replace(/\.js$/, '.ts'));
  // wasmSource is a file: URL, or a path (ready({ wasmPaths }) with a directory in Node).
  const wasmFile = /^file:/.test(wasmSource) ? new URL(wasmSource)
    : /^(\/|[A-Za-z]:[\\/])/.test(wasmSource) ? pathToFileURL(wasmSource) : null;
  const beside = wasmFile ? new URL('./worker.js', wasmFile) : url;
  const here = (u: URL) => u.protocol === 'file:' && existsSync(u);
  const w = here(url) ? new NodeWorker(url)
    : here(source) ? new NodeWorker(`import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(source.href)}); })`, { eval: true })
      : new NodeWorker(beside); // if it is not there either, the error names the path and the pool's warning says it
  // Idle workers never keep the process alive: unref() again after each listener, which re-refs the port.
  let held = false;
  const settle = () => (held ? w.ref() : w.unref());
  settle();
  return {
    post: (m) => w.postMessage(m),
    onMessage: (l) => { w.on('message', l); settle(); },
    onError: (l) => { w.on('error', l); settle(); },
    terminate: () => void w.terminate(),
    hold: (on) => { held = on; settle(); },
  };
}
