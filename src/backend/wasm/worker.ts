// A worker thread of the pool (src/threads/pool.ts). It instantiates the threads build over
// the shared memory the main thread sends, with its own scratch, then serves in one of two
// roles:
// - helper: runs parts of calls that another thread splits (Team.serve; never returns);
// - coordinator: runs whole calls of the asynchronous API (`entropyAsync`, ...) with the
//   library itself, splitting them across the helpers as a synchronous call in Node does.
import * as lib from '../../index.js';
import { adoptWorkerInstance } from '../registry.js';
import { Team, type TeamLayout } from '../../threads/team.js';
import type { Stage } from '../../threads/threaded.js';
import { decodeArgs, encodeResult } from '../../threads/messages.js';
import { WasmKernels } from './kernels.js';
import { instantiateModule, isNode } from './load.js';

export interface WorkerInit {
  type: 'init';
  role: 'helper' | 'coordinator';
  /** Helper index in the team. */
  k: number;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** This worker's scratch (its kernels' regions). */
  base: number;
  layout: TeamLayout;
  /** The coordinator's staging region, and its measures' scratch (src/measures/scratch.ts). */
  stage: Stage;
  temp: number;
}

export interface CallMessage {
  type: 'call';
  id: number;
  fn: string;
  args: unknown[];
  threads: number;
}

interface Port {
  post(message: unknown, transfer?: Transferable[]): void;
  listen(listener: (data: unknown) => void): void;
}

async function port(): Promise<Port> {
  if (isNode()) {
    const name = 'node:worker_threads';
    const { parentPort } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ name)) as typeof import('node:worker_threads');
    return { post: (m, t) => parentPort!.postMessage(m, t as never), listen: (l) => parentPort!.on('message', l) };
  }
  const scope = globalThis as unknown as { postMessage(m: unknown, t?: Transferable[]): void; addEventListener(t: 'message', l: (e: MessageEvent) => void): void };
  return { post: (m, t) => scope.postMessage(m, t ?? []), listen: (l) => scope.addEventListener('message', (e) => l(e.data)) };
}

let channel: Port;
let memory: WebAssembly.Memory | null = null;

// No top-level await: bundlers may emit the worker as a classic (IIFE) script.
void port().then((p) => {
  channel = p;
  channel.listen((data) => {
    const msg = data as WorkerInit | CallMessage;
    if (msg.type === 'init') void init(msg);
    else if (msg.type === 'call') call(msg);
  });
  channel.post({ type: 'listening' }); // the pool sends init only now: nothing is posted before a listener exists
});

async function init(msg: WorkerInit): Promise<void> {
  try {
    memory = msg.memory;
    const exports = await instantiateModule(msg.module, 'infokernel.threads.wasm (worker)', msg.memory);
    const local = new WasmKernels('wasm-simd', exports, msg.base);
    const team = new Team(msg.memory, msg.layout);
    if (msg.role === 'coordinator') adoptWorkerInstance(local, team, msg.stage, msg.temp);
    const seen = msg.role === 'helper' ? team.seq(msg.k) : 0; // before 'ready': a call may post a task as soon as it arrives
    channel.post({ type: 'ready' });
    if (msg.role === 'helper') team.serve(msg.k, local, seen);
  } catch (err) {
    channel.post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  }
}

function call(msg: CallMessage): void {
  try {
    const f = (lib as unknown as Record<string, (...a: unknown[]) => unknown>)[msg.fn];
    lib.setThreads(msg.threads);
    const value = f(...decodeArgs(msg.args, memory!));
    const [encoded, transfer] = encodeResult(value);
    channel.post({ type: 'result', id: msg.id, ok: true, value: encoded }, transfer);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    channel.post({ type: 'result', id: msg.id, ok: false, name: e.name, message: e.message });
  }
}
