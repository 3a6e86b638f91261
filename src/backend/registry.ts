// Backend selection: which kernels a call runs on. ready() loads the two WASM builds once,
// each on its own (a missing SIMD file still leaves the scalar build); until it resolves
// (or where WebAssembly is missing) calls run on the JS backend. Anything that falls back
// says so: one console.warn naming where it looked and why, and the reason in backendInfo().
import type { BackendName } from '../types.js';
import { formatValue } from '../errors.js';
import type { Kernels } from './kernels.js';
import { jsKernels } from './js.js';
import { SCALAR_ROUTES, SIMD_ROUTES, routed } from './route.js';
import {
  BUILDS, type Build, type LoadOptions, type LoadedBuild, type WasmLocation, checkLoadOptions, describeSource, hasSimd, hasWebAssembly,
  loadBuildFrom, threadsSupported,
} from './wasm/load.js';
import { WasmKernels } from './wasm/kernels.js';
import type { Arena } from './wasm/arena.js';
import type { Team } from '../threads/team.js';
import type { Stage } from '../threads/threaded.js';
import {
  adoptTeam, startThreads, threadCount, threadsExplained, threadsUnavailable, useSharedBuild, withThreads,
} from '../threads/control.js';

export type { LoadOptions } from './wasm/load.js';

export interface ReadyOptions extends LoadOptions {
  /**
   * Reject instead of falling back: when WebAssembly is missing, or a build this engine
   * can run (SIMD where it has SIMD, and scalar) does not load. Builds that did load stay in use.
   */
  required?: boolean;
}

export interface BackendInfo {
  /** What calls without a `backend` option run on now. */
  backend: 'wasm-simd' | 'wasm-scalar' | 'js';
  simd: boolean;
  threads: number;
  /** Why `backend` is not WASM SIMD (null when it is): a load failure, a missing engine feature, setBackend, or ready() not awaited. */
  reason: string | null;
  /** Loading state of the WASM builds. */
  wasm: 'not-loaded' | 'loading' | 'loaded' | 'partial' | 'failed';
  /** Whether this engine runs WebAssembly SIMD (found by running a tiny SIMD module). */
  simdSupported: boolean;
  /** Whether WASM threads could run here (SharedArrayBuffer, and a cross-origin-isolated page in browsers). */
  threadsSupported: boolean;
  /** Where each loaded build came from (URL, file path or `wasmBinary`), null when not loaded. */
  sources: { simd: string | null; scalar: string | null };
}

const NAMES: readonly BackendName[] = ['wasm', 'wasm-simd', 'wasm-scalar', 'js'];
const READY_KEYS: readonly string[] = ['wasmPaths', 'wasmBinary', 'required'];

interface LoadState {
  promise: Promise<void>;
  done: boolean;
  /** Per-build failure messages (builds the engine can run that did not load). */
  failures: Partial<Record<Build, string>>;
  /** Builds skipped because the engine cannot run them. */
  skipped: Partial<Record<Build, string>>;
  warned: boolean;
  key: string;
}

const kernels: Partial<Record<Build, WasmKernels>> = {};
/** The default: each build with the narrow shapes where JS is faster sent to JS (route.ts). */
const byShape: Partial<Record<Build, Kernels>> = {};
const sources: Record<Build, string | null> = { simd: null, scalar: null };
let state: LoadState | null = null;
/** The caller's default; null means "the best this engine runs". */
let chosen: BackendName | null = null;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Which load ready() asks for (every build's place, or the bytes): after a failure, another key is a retry. */
function optionsKey(o: LoadOptions): string {
  const p = o.wasmPaths;
  // Stryker disable next-line ConditionalExpression,StringLiteral: a retry key only has to differ between loads, and every variant keeps them distinct
  const paths = p === undefined ? '' : typeof p === 'object' && !(p instanceof URL)
    ? JSON.stringify({ simd: placeText(p.simd), scalar: placeText(p.scalar), threads: placeText(p.threads) })
    : String(p);
  // Stryker disable next-line StringLiteral: any text but a number keeps 'no bytes' apart from the bytes' ids
  return `${paths}|${o.wasmBinary === undefined ? '' : binaryId(o.wasmBinary)}`;
}

/** A build's place in a key; an absent entry stays absent (JSON.stringify leaves it out). */
// Stryker disable next-line LogicalOperator: String(x) for an absent entry is 'undefined', which no place given as a URL or path equals
const placeText = (x: WasmLocation | undefined) => x && String(x);

/** wasmBinary values by identity: other bytes (another object) are another load. */
const binaryIds = new WeakMap<object, number>();
let nextBinaryId = 1;
function binaryId(b: object): number {
  let id = binaryIds.get(b);
  // Stryker disable next-line UpdateOperator: ids counting down are as distinct
  if (id === undefined) binaryIds.set(b, id = nextBinaryId++);
  return id;
}

function startLoad(options: LoadOptions, key: string): LoadState {
  const s: LoadState = { promise: Promise.resolve(), done: false, failures: {}, skipped: {}, warned: false, key };
  s.promise = (async () => {
    if (!hasWebAssembly()) {
      s.skipped.simd = s.skipped.scalar = 'this engine has no WebAssembly';
      return;
    }
    const wanted = BUILDS.filter((b) => !kernels[b]);
    if (!hasSimd() && wanted.includes('simd')) {
      s.skipped.simd = 'this engine does not run WebAssembly SIMD';
      wanted.splice(wanted.indexOf('simd'), 1);
    }
    // Where threads can run, the SIMD kernels are the threads build's (the same kernels over
    // shared memory), so batches and calls live where the workers see them; else the SIMD build.
    if (wanted.includes('simd') && threadsSupported() && threadsLocated(options)) {
      try {
        const t = await loadBuildFrom('threads', options);
        const k = new WasmKernels('wasm-simd', t.exports);
        useSharedBuild({ module: t.module, memory: t.memory!, arena: k.arena, shortScratchBytes: t.exports.shortScratchBytes(), source: t.source }, k);
        kernels.simd = k;
        byShape.simd = routed(k, SIMD_ROUTES);
        sources.simd = t.source;
        wanted.splice(wanted.indexOf('simd'), 1);
      } catch (err) {
        threadsUnavailable(`the threads build did not load (${message(err)})`);
      }
    }
    const results = await Promise.allSettled(wanted.map((b) => loadBuildFrom(b, options)));
    results.forEach((r, i) => {
      const b = wanted[i];
      if (r.status === 'fulfilled') {
        const loaded: LoadedBuild = r.value;
        kernels[b] = new WasmKernels(b === 'simd' ? 'wasm-simd' : 'wasm-scalar', loaded.exports);
        byShape[b] = routed(kernels[b]!, b === 'simd' ? SIMD_ROUTES : SCALAR_ROUTES);
        sources[b] = loaded.source;
      } else {
        const why = message(r.reason);
        const where = describeSource(b, options);
        s.failures[b] = why.includes(where) ? why : `${where}: ${why}`;
      }
    });
    // No SIMD kernels at all: threads are moot, and the load warning is the one warning.
    if (!kernels.simd && wanted.includes('simd')) threadsExplained();
  })().finally(() => { s.done = true; });
  return s;
}

/** Was the threads build given a place: no wasmPaths / wasmBinary, a prefix, or its own entry? */
function threadsLocated(o: LoadOptions): boolean {
  if (o.wasmBinary !== undefined) return (o.wasmBinary as { threads?: unknown }).threads !== undefined; // (bytes and modules have no .threads)
  const p = o.wasmPaths;
  return p === undefined || typeof p === 'string' || p instanceof URL || p.threads !== undefined;
}

/** One sentence: what failed, where, why, and what calls run on instead. */
function fallbackMessage(s: LoadState): string | null {
  const parts: string[] = [];
  // Stryker disable next-line ConditionalExpression: without WebAssembly both builds are skipped for the same reason, which the other branch then gives
  if (s.skipped.scalar) {
    parts.push(s.skipped.scalar); // no WebAssembly at all
  } else {
    if (s.failures.simd) parts.push(`the SIMD build did not load (${s.failures.simd})`);
    else if (s.skipped.simd) parts.push(s.skipped.simd);
    if (s.failures.scalar) parts.push(`the scalar build did not load (${s.failures.scalar})`);
  }
  if (parts.length === 0) return null;
  const now = current();
  const failed = Object.keys(s.failures).length > 0;
  return `infokernel: ${parts.join('; ')}. Calls run on '${now.name}'` +
    (now.name === 'js' ? ' (the pure-JS fallback)' : '') + '.' +
    (failed ? ' Pass ready({ wasmPaths }) or ready({ wasmBinary }) if the .wasm files are served elsewhere, or ready({ required: true }) to fail instead.' : '');
}

/**
 * Resolves when the WASM builds are instantiated, or known unavailable (then one console.warn
 * says where it looked and why). With `required: true` it rejects instead of falling back.
 * Called again, it reuses the first load; with other `wasmPaths`/`wasmBinary` after a
 * failure, it retries the builds that did not load.
 */
export async function ready(options: ReadyOptions = {}): Promise<void> {
  if (options === null || typeof options !== 'object') throw new TypeError(`ready: options must be an object, got ${formatValue(options)}`);
  for (const key of Object.keys(options)) {
    if (!READY_KEYS.includes(key)) throw new TypeError(`ready: unknown option '${key}'; ready takes ${READY_KEYS.map((k) => `'${k}'`).join(', ')}`);
  }
  checkReadyValues(options);
  const key = optionsKey(options);
  const failed = state && state.done && (Object.keys(state.failures).length > 0);
  if (!state || (failed && key !== state.key)) state = startLoad(options, key);
  const s = state;
  await s.promise;
  await startThreads(); // (returns at once unless the SIMD kernels are the threads build's)
  const text = fallbackMessage(s);
  if (text === null) return;
  if (options.required) {
    const failedHere = Object.keys(s.failures).length > 0 || s.skipped.scalar;
    // Stryker disable next-line Regex: the advice is the message's last sentence, so '.*' reaches its end either way
    if (failedHere) throw new Error(`${text.replace(/ Pass ready.*$/, '')} (ready({ required: true }) rejects instead of falling back)`);
  }
  if (!s.warned) {
    s.warned = true;
    console.warn(text);
  }
}

/** The option values' types: where the builds are (load.ts), and `required`. */
function checkReadyValues(o: ReadyOptions): void {
  checkLoadOptions('ready', o);
  if (o.required !== undefined && typeof o.required !== 'boolean') throw new TypeError(`ready: required must be a boolean, got ${formatValue(o.required)}`);
}

function current(): Kernels {
  return kernels.simd ?? kernels.scalar ?? jsKernels;
}

function unavailable(fn: string, name: BackendName): Error {
  return new Error(`${fn}: backend '${name}' is not available: ${whyUnavailable(name)}`);
}

function whyUnavailable(name: BackendName): string {
  if (!state) return 'WebAssembly is not loaded yet: await ready() first';
  if (!state.done) return 'WebAssembly is still loading: await ready() first';
  const { failures, skipped } = state;
  // Stryker disable next-line MethodExpression,StringLiteral: 'wasm' is unavailable only when neither build loaded, and each then has a failure or a skip reason
  if (name === 'wasm') return BUILDS.map((b) => failures[b] ?? skipped[b]).filter(Boolean).join('; ') || 'it did not load';
  const build: Build = name === 'wasm-scalar' ? 'scalar' : 'simd';
  return failures[build] ?? skipped[build] ?? 'it did not load';
}

function lookup(fn: string, name: BackendName): Kernels {
  if (!NAMES.includes(name)) {
    throw new RangeError(`${fn}: backend ${formatValue(name)} is unknown; use one of ${NAMES.map((n) => `'${n}'`).join(', ')}`);
  }
  const k = name === 'js' ? jsKernels
    : name === 'wasm-simd' ? kernels.simd
    : name === 'wasm-scalar' ? kernels.scalar
    : kernels.simd ?? kernels.scalar;
  if (!k) throw unavailable(fn, name);
  return k;
}

/** Routed forms of the threaded SIMD kernels (one per thread count). */
const routedThreads = new WeakMap<Kernels, Kernels>();

/**
 * The kernels a call runs on: its own `backend` option, else the default; on `threads`
 * threads (undefined: the default count) where that backend is the threads build's.
 */
export function kernelsFor(fn: string, backend: BackendName | undefined, threads?: number): Kernels {
  if (backend !== undefined) return withThreads(lookup(fn, backend), threads, fn);
  if (chosen !== null) return withThreads(lookup(fn, chosen), threads, fn);
  if (!byShape.simd) return byShape.scalar ?? jsFallback(fn);
  const k = withThreads(kernels.simd!, threads, fn);
  // Stryker disable next-line ConditionalExpression: the routed wrapper is then made for the SIMD kernels too (the same calls; speed only)
  if (k === kernels.simd) return byShape.simd;
  let r = routedThreads.get(k);
  // Stryker disable next-line ConditionalExpression: a routed wrapper made again instead of cached (speed only)
  if (!r) routedThreads.set(k, r = routed(k, SIMD_ROUTES));
  return r;
}

/** In the coordinator worker (src/backend/wasm/worker.ts): the instance it made is the SIMD backend. */
export function adoptWorkerInstance(local: WasmKernels, team: Team, stage: Stage, temp: number): void {
  kernels.simd = local;
  byShape.simd = routed(local, SIMD_ROUTES);
  // Stryker disable next-line BooleanLiteral,StringLiteral: in the coordinator worker, where Stryker cannot switch a mutant on, and which never loads or warns
  state = { promise: Promise.resolve(), done: true, failures: {}, skipped: {}, warned: true, key: '' };
  adoptTeam(local, team, stage, temp);
}

/** The JS backend as the default: says so once if WASM failed to load and nothing warned yet (a required load that rejected). */
function jsFallback(fn: string): Kernels {
  if (state?.done && !state.warned) {
    const text = fallbackMessage(state);
    // Stryker disable next-line ConditionalExpression: the JS fallback is the default only when no build loaded, so there is always a message
    if (text !== null) {
      state.warned = true;
      // Stryker disable next-line Regex: the message starts with 'infokernel: ', so the first match is at its start
      console.warn(text.replace(/^infokernel: /, `infokernel: ${fn}: `));
    }
  }
  return jsKernels;
}

/** Default backend for later calls; throws if this engine cannot run it. */
export function setBackend(name: BackendName): void {
  lookup('setBackend', name);
  chosen = name;
}

/** Where allocBatch puts batches: the default WASM build's memory (null: none loaded). */
export function batchArena(): Arena | null {
  return (kernels.simd ?? kernels.scalar)?.arena ?? null;
}

export function backendInfo(): BackendInfo {
  // Stryker disable next-line StringLiteral: setBackend has checked the chosen backend, so this lookup cannot throw and name its caller
  const k = chosen !== null ? lookup('backendInfo', chosen) : kernels.simd ?? kernels.scalar ?? jsKernels;
  let reason: string | null = null;
  if (k.name !== 'wasm-simd') {
    if (chosen !== null && chosen !== 'wasm') reason = `setBackend('${chosen}')`;
    else if (!state) reason = 'WebAssembly is not loaded: call (and await) ready()';
    else if (!state.done) reason = 'WebAssembly is still loading: await ready()';
    // (a finished load without SIMD kernels recorded why: the SIMD build failed or was skipped)
    else reason = state.failures.simd ?? state.skipped.simd ?? null;
  }
  const loaded = BUILDS.filter((b) => kernels[b]).length;
  const wasm = !state ? 'not-loaded' : !state.done ? 'loading'
    : loaded === 0 ? 'failed' : Object.keys(state.failures).length > 0 ? 'partial' : 'loaded';
  return {
    backend: k.name,
    simd: k.name === 'wasm-simd',
    threads: k === kernels.simd ? threadCount() : 1,
    reason,
    wasm,
    simdSupported: hasWebAssembly() && hasSimd(),
    threadsSupported: threadsSupported(),
    sources: { ...sources },
  };
}
