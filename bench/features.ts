// ============================================================================================
// ADAPTER for package features that may not exist yet (issue #11 items 2-4). This is the ONE
// place that names them; adjust the names here if the API lands differently.
//
//   zero-copy batches   ik.allocBatch(Float32Array | Float64Array, rows, cols)
//                         -> { view: Float32Array | Float64Array (in WASM memory), free(): void }
//                       The bench fills `view` once (untimed), then passes `batch.view` to the
//                       functions. `view` is read again before every call, so a getter that
//                       refreshes it after memory growth works. PASS_BATCH = true passes the
//                       batch object itself instead.
//   all cores           ik.setThreads(n) and a per-call `threads: n` option. Single-thread
//                       columns pass `threads: 1` once the feature exists (its default is all
//                       cores); the all-cores column passes `threads: ALL`. If an async variant
//                       `<name>Async` exists (entropyAsync, ...), the all-cores column awaits it;
//                       otherwise it calls the synchronous function with the option.
//
// Detection is at run time ('allocBatch' in ik, 'setThreads' in ik): a column whose feature is
// absent prints '—'.
// ============================================================================================
import os from 'node:os';
import * as ik from '../src/index.js';

type AnyFn = (...args: unknown[]) => unknown;

/**
 * BENCH_SIMULATE_FEATURES=1 (plumbing check only, figures meaningless): a stand-in for the
 * features, so the harness's zero-copy and all-cores paths can be exercised before they exist.
 * allocBatch gives an ordinary typed array, setThreads does nothing, the `threads` option is
 * dropped, and `<name>Async` wraps the synchronous call in a Promise.
 */
export const SIMULATED = process.env.BENCH_SIMULATE_FEATURES === '1';

function simulated(): Record<string, unknown> {
  const real = ik as unknown as Record<string, unknown>;
  const sim: Record<string, unknown> = { ...real };
  const strip = (fn: AnyFn): AnyFn => (...args: unknown[]) => {
    const last = args[args.length - 1];
    if (last && typeof last === 'object' && !ArrayBuffer.isView(last) && 'threads' in last) {
      const { threads: _dropped, ...rest } = last as Record<string, unknown>;
      args[args.length - 1] = rest;
    }
    return fn(...args);
  };
  for (const [name, v] of Object.entries(real)) {
    if (typeof v !== 'function') continue;
    sim[name] = strip(v as AnyFn);
    sim[`${name}Async`] = async (...args: unknown[]) => (sim[name] as AnyFn)(...args);
  }
  sim.setThreads = () => undefined;
  sim.allocBatch = (ctor: Float32ArrayConstructor | Float64ArrayConstructor, rows: number, cols: number) => {
    let view: Float32Array | Float64Array | null = new ctor(rows * cols);
    return {
      get view() {
        if (!view) throw new Error('batch used after free');
        return view;
      },
      free() {
        if (!view) throw new Error('batch freed twice');
        view = null;
      },
    };
  };
  return sim;
}

const lib: Record<string, unknown> = SIMULATED ? simulated() : (ik as unknown as Record<string, unknown>);

/** Pass the batch object instead of its view (if the lead's functions take the batch). */
const PASS_BATCH = false;

export const HAS_ZERO_COPY = 'allocBatch' in lib && typeof lib.allocBatch === 'function';
export const HAS_THREADS = 'setThreads' in lib && typeof lib.setThreads === 'function';

/** All cores: what the all-cores columns ask for (override with --threads N). */
export const ALL_CORES = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;

/** Extra options for a call on `n` threads: nothing when the feature is absent (unknown keys throw). */
export function threadOptions(n: number): Record<string, unknown> {
  return HAS_THREADS ? { threads: n } : {};
}

/** Called once before timing: the pool size for the all-cores columns. */
export function initThreads(n: number): void {
  if (HAS_THREADS) (lib.setThreads as AnyFn)(n);
}

/** Threads the package reports for its default calls (backendInfo().threads). */
export function reportedThreads(): number | undefined {
  return (ik.backendInfo() as { threads?: number }).threads;
}

export interface Batch {
  /** the array to pass to the functions (the view, or the batch object with PASS_BATCH) */
  arg(): unknown;
  free(): void;
}

/** A zero-copy batch holding a copy of `data` (filled once, untimed). */
export function zeroCopyBatch(data: Float32Array | Float64Array, rows: number, cols: number): Batch {
  const ctor = data instanceof Float64Array ? Float64Array : Float32Array;
  const b = (lib.allocBatch as AnyFn)(ctor, rows, cols) as { view: Float32Array | Float64Array; free(): void };
  b.view.set(data);
  return {
    arg: () => (PASS_BATCH ? b : b.view),
    free: () => b.free(),
  };
}

/**
 * Call the public function `name` with `args` and options `opts`, on `threads` threads.
 * With `async` and an async variant `${name}Async`, that variant is awaited.
 */
export function call(name: string, threads: number, args: unknown[], opts: Record<string, unknown>, async = false): unknown {
  const o = { ...opts, ...threadOptions(threads) };
  if (async && HAS_THREADS && typeof lib[`${name}Async`] === 'function') {
    return (lib[`${name}Async`] as AnyFn)(...args, o);
  }
  return (lib[name] as AnyFn)(...args, o);
}

/** Which async form the all-cores column used, for the notes. */
export function asyncForm(name: string): string {
  return HAS_THREADS && typeof lib[`${name}Async`] === 'function' ? `${name}Async` : `${name} (sync)`;
}
