// Starting a worker thread on worker.js, the file beside this module (a real file, no
// blob: URL, so bundlers ship it and CSP-strict pages run it): Node's worker_threads, or a
// module Web Worker in browsers. `new Worker(new URL('./worker.js', import.meta.url), ...)`
// is the literal form Vite, webpack and Rollup recognise. Run from source (tsx, vitest),
// Node finds worker.ts instead and loads it through tsx (a devDependency).
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

export async function spawnWorker(): Promise<WorkerHandle> {
  if (isNode()) return spawnNode();
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
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

async function spawnNode(): Promise<WorkerHandle> {
  const threadsName = 'node:worker_threads', fsName = 'node:fs';
  const { Worker: NodeWorker } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ threadsName)) as typeof import('node:worker_threads');
  const { existsSync } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ fsName)) as typeof import('node:fs');
  const url = new URL('./worker.js', import.meta.url);
  const source = new URL('./worker.js'.replace(/js$/, 'ts'), import.meta.url); // not a literal: bundlers leave it
  const w = url.protocol === 'file:' && !existsSync(url) && existsSync(source)
    ? new NodeWorker(`import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(source.href)}); })`, { eval: true })
    : new NodeWorker(url);
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
