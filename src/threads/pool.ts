// The worker pool (main thread only): for n threads, n - 1 helpers that run parts of calls
// (team.ts) and one coordinator that runs whole asynchronous calls. All of them instantiate
// the threads build over the one shared memory; their scratch, the staging regions and the
// team's control words are regions the main thread's Arena hands out, held for the pool's
// life. Why not piscina or tinypool: they queue whole tasks by postMessage and run only in
// Node, while a split call here needs its helpers woken through shared memory in
// microseconds, from a thread that is itself blocked, in Node and in browsers alike.
import type { Arena } from '../backend/wasm/arena.js';
import { SCRATCH_BYTES } from '../backend/wasm/arena.js';
import { spawnWorker, type WorkerHandle } from '../backend/wasm/spawn.js';
import type { WorkerInit } from '../backend/wasm/worker.js';
import { Team, controlBytes } from './team.js';
import { TEMP_BYTES } from '../measures/scratch.js';
import type { Stage } from './threaded.js';

/** Bytes of each staging region (arrays outside shared memory are staged a round at a time). */
export const STAGE_BYTES = 16 << 20;

/** The threads build, loaded: what workers instantiate. */
export interface SharedBuild {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  arena: Arena;
  shortScratchBytes: number;
  /** Where the threads .wasm came from (Node also looks for worker.js beside it). */
  source: string;
}

interface Reply {
  type: 'listening' | 'ready' | 'failed' | 'result';
  id?: number;
  ok?: boolean;
  value?: unknown;
  name?: string;
  message?: string;
}

export class Pool {
  /** The regions it holds for its life (per worker, staging, control words), given back by stop(). */
  private readonly regions: { ptr: number; bytes: number }[] = [];
  private retiring = false;
  private readonly workers: WorkerHandle[] = [];
  private coordinator: WorkerHandle | null = null;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private nextId = 1;
  readonly team: Team;
  /** The main thread's staging region (synchronous calls split in Node). */
  readonly stage: Stage;

  /** Start n threads' worth of workers; resolves when every one is instantiated. */
  static async start(build: SharedBuild, threads: number): Promise<Pool> {
    const pool = new Pool(build, threads - 1);
    try {
      await pool.spawn(threads);
    } catch (err) {
      pool.stop();
      throw err;
    }
    return pool;
  }

  private constructor(private readonly build: SharedBuild, readonly helpers: number) {
    const ctrl = this.region(controlBytes(helpers));
    new Uint8Array(build.arena.buffer, ctrl, controlBytes(helpers)).fill(0);
    this.team = new Team(build.memory, { ctrl, helpers });
    this.stage = { ptr: this.region(STAGE_BYTES), bytes: STAGE_BYTES };
  }

  private region(bytes: number): number {
    const ptr = this.build.arena.alloc(bytes);
    this.regions.push({ ptr, bytes });
    return ptr;
  }

  /** Bytes of WebAssembly memory the pool holds. */
  get heldBytes(): number {
    return this.regions.reduce((sum, r) => sum + r.bytes, 0);
  }

  private async spawn(threads: number): Promise<void> {
    const coordinatorStage: Stage = { ptr: this.region(STAGE_BYTES), bytes: STAGE_BYTES };
    const coordinatorTemp = this.region(TEMP_BYTES);
    const starts = Array.from({ length: threads }, async (_, k) => {
      const role = k < this.helpers ? 'helper' : 'coordinator';
      const w = await spawnWorker(this.build.source);
      this.workers.push(w);
      w.hold(true); // alive until it is ready (then only while a call waits on it)
      const init: WorkerInit = {
        type: 'init', role, k, module: this.build.module, memory: this.build.memory,
        base: this.region(this.build.shortScratchBytes + SCRATCH_BYTES + 64),
        layout: this.team.layout, stage: coordinatorStage, temp: coordinatorTemp,
      };
      await new Promise<void>((resolve, reject) => {
        w.onError((e) => {
          reject(e);
          this.failAll(e);
        });
        w.onMessage((data) => {
          const m = data as Reply;
          if (m.type === 'listening') w.post(init);
          else if (m.type === 'ready') resolve();
          else if (m.type === 'failed') reject(new Error(m.message));
          else if (m.type === 'result') this.settle(m);
        });
      });
      w.hold(false);
      if (role === 'coordinator') this.coordinator = w;
    });
    await Promise.all(starts);
  }

  /** Run `lib[fn](...args)` on the coordinator; args already encoded (messages.ts). */
  call(fn: string, args: unknown[], threads: number): Promise<unknown> {
    const w = this.coordinator!;
    const id = this.nextId++;
    w.post({ type: 'call', id, fn, args, threads }); // throws here if an argument cannot be cloned
    if (this.pending.size === 0) w.hold(true);
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  private settle(m: Reply): void {
    const p = this.pending.get(m.id!);
    if (!p) return;
    this.pending.delete(m.id!);
    if (this.pending.size === 0) {
      this.coordinator?.hold(false);
      if (this.retiring) this.stop();
    }
    if (m.ok) p.resolve(m.value);
    else {
      const E = m.name === 'TypeError' ? TypeError : m.name === 'RangeError' ? RangeError : Error;
      p.reject(new E(m.message));
    }
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(new Error(`infokernel: a worker thread failed: ${e.message}`));
    this.pending.clear();
  }

  /** Stop once the calls in flight have settled (a larger pool has replaced this one). */
  retire(): void {
    if (this.pending.size === 0) this.stop();
    else this.retiring = true;
  }

  /** Terminate the workers and give their regions back; calls in flight are rejected. */
  stop(): void {
    for (const w of this.workers) w.terminate();
    this.failAll(new Error('the pool was stopped'));
    for (const { ptr } of this.regions) this.build.arena.release(ptr);
    this.regions.length = 0;
  }
}
