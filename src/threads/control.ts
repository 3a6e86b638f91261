// How many threads calls use, and the pool behind them: the one place that decides.
// - Default: the machine's cores (os.availableParallelism() in Node,
//   navigator.hardwareConcurrency in browsers); setThreads(n) or a call's `threads` option
//   changes it.
// - Threads need the threads build over shared memory (SharedArrayBuffer, and a
//   cross-origin-isolated page in browsers). Where they cannot run, calls use one thread,
//   and the first call or setThreads that asks for more says why, once (console.warn).
// - In the main thread the pool is started by ready() (and setThreads); in the coordinator
//   worker the team is adopted from the init message.
import { formatValue, rangeError } from '../errors.js';
import { isInteger } from '../validate.js';
import type { Kernels } from '../backend/kernels.js';
import type { WasmKernels } from '../backend/wasm/kernels.js';
import { isNode } from '../backend/wasm/load.js';
import { Pool, type SharedBuild } from './pool.js';
import type { Team } from './team.js';
import { ThreadedKernels, canBlock, type Stage } from './threaded.js';
import { TEMP_BYTES, useSharedScratch } from '../measures/scratch.js';

/** Most threads a call may ask for. */
export const MAX_THREADS = 256;

let shared: SharedBuild | null = null;
let local: WasmKernels | null = null;
let team: { team: Team; stage: Stage } | null = null;
let pool: Pool | null = null;
let starting: Promise<void> | null = null;
let wanted: number | null = null;
/** Why threads cannot run here (null: they can, or nothing has asked yet). */
let reason: string | null = null;
let warned = false;
const threaded = new Map<number, ThreadedKernels>();

function cores(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, Math.min(MAX_THREADS, nav?.hardwareConcurrency ?? 1));
}

async function nodeCores(): Promise<number> {
  const name = 'node:os';
  const os = (await import(/* webpackIgnore: true */ /* @vite-ignore */ name)) as typeof import('node:os');
  return Math.max(1, Math.min(MAX_THREADS, os.availableParallelism?.() ?? os.cpus().length));
}

/** The threads a call uses when it does not say: setThreads(n), else the machine's cores. */
export function defaultThreads(): number {
  return wanted ?? cores();
}

/** `threads` as an option: a positive integer up to MAX_THREADS (undefined: the default). */
export function threadsOption(fn: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (!isInteger(v) || v < 1 || v > MAX_THREADS) {
    throw rangeError(fn, `option threads = ${formatValue(v)} must be an integer from 1 to ${MAX_THREADS}`);
  }
  return v;
}

/** The threads build loaded in the main thread: threads can start (registry, after load). */
export function useSharedBuild(build: SharedBuild, kernels: WasmKernels): void {
  shared = build;
  local = kernels;
  // the measures' scratch in shared memory: kernels on any thread write it in place
  const at = build.arena.alloc(TEMP_BYTES); // may grow memory: the buffer is read after
  useSharedScratch(new Float64Array(build.arena.buffer, at, TEMP_BYTES / 8));
}

/** Why threads cannot run (the load of the threads build failed), for the warning when they are asked for. */
export function threadsUnavailable(why: string): void {
  reason = why;
}

/** Threads cannot run, and a warning already said why (the SIMD build did not load): no second one. */
export function threadsExplained(): void {
  warned = true;
}

/** In the coordinator worker: split calls across the team the main thread made. */
export function adoptTeam(kernels: WasmKernels, t: Team, stage: Stage, temp: number): void {
  local = kernels;
  team = { team: t, stage };
  useSharedScratch(new Float64Array(kernels.arena.buffer, temp, TEMP_BYTES / 8));
  threaded.clear();
}

/** Start (or grow) the pool to n threads in the main thread; one thread where it cannot. */
export async function startThreads(n?: number): Promise<void> {
  if (isNode() && wanted === null) wanted = await nodeCores();
  const target = n ?? defaultThreads();
  if (target <= 1 || !shared) return;
  if (pool && pool.helpers + 1 >= target) return;
  while (starting) await starting; // one start at a time
  if (pool && pool.helpers + 1 >= target) return;
  starting = (async () => {
    const previous = pool;
    try {
      const next = await Pool.start(shared!, target);
      previous?.retire(); // its calls in flight finish there
      pool = next;
      team = { team: next.team, stage: next.stage };
      threaded.clear();
    } catch (err) {
      reason = `the worker threads did not start (${err instanceof Error ? err.message : String(err)})`;
      warnOnce();
    }
  })();
  try {
    await starting;
  } finally {
    starting = null;
  }
}

/** Set the default number of threads; resolves once the pool has them (setThreads in the API). */
export async function setThreads(n: number): Promise<void> {
  const v = threadsOption('setThreads', n)!;
  wanted = v;
  if (v > 1) {
    if (!shared && !team) warnOnce();
    else if (shared) await startThreads(v);
  }
}

/** The kernels for a call on n threads: `k` split across the team when k is the threads build's. */
export function withThreads(k: Kernels, n: number | undefined, fn: string): Kernels {
  const threads = n ?? defaultThreads();
  if (!team || threads <= 1 || k !== local) {
    // asked for threads on the SIMD build (the threads build is one) and no team to give them
    if (!team && n !== undefined && n > 1 && k.name === 'wasm-simd') warnOnce(fn);
    return k;
  }
  if (n !== undefined && n > 1 && !canBlock()) warnOnce(fn, 'a page\'s main thread cannot wait for workers: call the Async form (entropyAsync, ...) to use threads');
  let t = threaded.get(threads);
  if (!t) threaded.set(threads, t = new ThreadedKernels(local, team.team, team.stage, threads));
  return t;
}

/** Threads a call can use now (backendInfo().threads). */
export function threadCount(): number {
  if (!team) return 1;
  return Math.max(1, Math.min(defaultThreads(), team.team.helpers + 1));
}

/** The pool for asynchronous calls (main thread), or null: they then run on the calling thread. */
export function asyncPool(): Pool | null {
  return pool;
}

/** Has the threads build loaded here (calls' arrays in shared memory)? */
export function sharedArena(): SharedBuild['arena'] | null {
  return shared?.arena ?? null;
}

/** Say once that threads cannot run here (an asynchronous call that would have used them). */
export function noThreadsWarning(fn: string): void {
  warnOnce(fn);
}

function warnOnce(fn?: string, why?: string): void {
  if (warned) return;
  warned = true;
  const because = why ?? reason;
  const said = because ? cannot(because) : whyNot();
  console.warn(`infokernel: ${fn ? `${fn}: ` : ''}${said}. Calls run on one thread.`);
}

const cannot = (why: string) => `threads cannot run here: ${why}`;

function whyNot(): string {
  // Browsers hide SharedArrayBuffer from pages that are not isolated: say the cause, not the symptom.
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) {
    return cannot('this page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)');
  }
  if (typeof SharedArrayBuffer !== 'function') return cannot('this engine has no SharedArrayBuffer');
  if (!shared) return cannot('the threads build (infokernel.threads.wasm) is not loaded: await ready() first');
  // They can run: no pool yet, because the default is one thread (one core) or ready() is still starting it.
  return defaultThreads() > 1 ? 'threads have not started: the worker pool is still starting: await ready() first'
    : 'threads have not started: the default here is one thread, so ready() started no worker pool: await setThreads(n) first';
}
