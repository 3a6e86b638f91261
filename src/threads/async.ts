// The asynchronous API: `<name>Async(...)` for every function that takes a batch, with the
// same arguments, options, results and errors, as a Promise. Where the worker pool runs
// (threads.ts: Node, cross-origin-isolated pages), the call runs on the pool's coordinator
// worker, split across the helpers, so the calling thread stays free (a page's main thread
// included). Small batches, and engines without threads, run on the calling thread.
import type { FloatArray } from '../types.js';
import { outsideBatches } from '../batch.js';
import { binaryEntropy, crossEntropy, entropy, jsDivergence, klDivergence, surprisal } from '../measures/distributions.js';
import { conditionalEntropy, jointEntropy, mutualInformation } from '../measures/joint.js';
import { mostUncertain } from '../measures/helpers.js';
import { logSoftmax, logSumExp, softmax, softmaxEntropy, type SoftmaxOptions } from '../measures/logits.js';
import {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, distillationLoss, entropyRegularizedLoss, nllLoss, perplexity,
  softmaxCrossEntropy,
} from '../measures/losses.js';
import { asyncPool, defaultThreads, noThreadsWarning, sharedArena, threadsOption } from './control.js';
import { encodeArgs, optionsOf, shareArgs } from './messages.js';
import type { Typed } from './methods.js';

/**
 * Smallest batch (values in the first argument) sent to the workers: below it, the round
 * trip to a worker costs more than the call (bench/results/threads.md).
 */
export const MIN_ASYNC_VALUES = 1 << 16;

/** A function's overloads, each returning a Promise of its result. */
export type Async<F> = F extends {
  (...a: infer A1): infer R1; (...a: infer A2): infer R2; (...a: infer A3): infer R3;
} ? { (...a: A1): Promise<R1>; (...a: A2): Promise<R2>; (...a: A3): Promise<R3> }
  : F extends (...a: infer A) => infer R ? (...a: A) => Promise<R> : never;

async function run(name: string, f: (...a: unknown[]) => unknown, args: unknown[]): Promise<unknown> {
  const opts = optionsOf(args);
  const pool = asyncPool(), arena = sharedArena();
  const first = args[0] as { length?: number; view?: { length: number } } | undefined;
  const values = first?.view?.length ?? first?.length ?? 0;
  const threads = threadsOption(name, opts?.threads) ?? defaultThreads();
  if (!pool || !arena) {
    if (threads > 1 && values >= MIN_ASYNC_VALUES) noThreadsWarning(`${name}Async`); // the function the user called
    return f(...args);
  }
  if (!(values >= MIN_ASYNC_VALUES)) return f(...args);
  const owns = (b: ArrayBufferLike) => arena.owns(b);
  // A view of a freed batch: the call itself throws its error (the coordinator keeps no batch list).
  if (viewsOutsideBatches(args)) return f(...args);
  const regions: number[] = [];
  const place = (a: Typed, isOut: boolean): Typed | null => {
    let ptr: number;
    try {
      ptr = arena.alloc(a.byteLength);
    } catch {
      return null; // shared memory is full: the array is cloned instead
    }
    regions.push(ptr);
    const view = new (a.constructor as new (b: ArrayBufferLike, o: number, n: number) => Typed)(arena.buffer, ptr, a.length);
    if (!isOut) view.set(a as never);
    return view;
  };
  try {
    const moved = shareArgs(args, owns, place);
    let result: Promise<unknown>;
    try {
      result = pool.call(name, encodeArgs(moved ?? args, owns), threads);
    } catch {
      return f(...args); // an argument postMessage cannot copy: the call itself says what is wrong
    }
    const value = await result;
    const out = opts?.out as FloatArray | undefined;
    if (ArrayBuffer.isView(value) && out && ArrayBuffer.isView(out)) {
      // written in place (a batch view), or in its shared copy, or a clone came back
      if (!owns(out.buffer)) out.set((moved ? optionsOf(moved)!.out : value) as FloatArray);
      return out;
    }
    return value;
  } finally {
    for (const r of regions) arena.release(r);
  }
}

/** Does an array argument view WASM memory outside every live batch (a freed batch)? */
function viewsOutsideBatches(args: readonly unknown[]): boolean {
  const bad = (v: unknown) => ArrayBuffer.isView(v) && outsideBatches(v);
  return args.some((a) => (a !== null && typeof a === 'object' && !ArrayBuffer.isView(a) ? Object.values(a).some(bad) : bad(a)));
}

function form<F>(name: string, f: F): Async<F> {
  return ((...args: unknown[]) => run(name, f as (...a: unknown[]) => unknown, args)) as Async<F>;
}

export const entropyAsync = form('entropy', entropy);
export const crossEntropyAsync = form('crossEntropy', crossEntropy);
export const klDivergenceAsync = form('klDivergence', klDivergence);
export const jsDivergenceAsync = form('jsDivergence', jsDivergence);
export const surprisalAsync = form('surprisal', surprisal);
export const binaryEntropyAsync = form('binaryEntropy', binaryEntropy);
export const jointEntropyAsync = form('jointEntropy', jointEntropy);
export const conditionalEntropyAsync = form('conditionalEntropy', conditionalEntropy);
export const mutualInformationAsync = form('mutualInformation', mutualInformation);
export const mostUncertainAsync = form('mostUncertain', mostUncertain);
export const logSumExpAsync = form('logSumExp', logSumExp);
export const softmaxEntropyAsync = form('softmaxEntropy', softmaxEntropy);
export const softmaxAsync = form('softmax', softmax) as <T extends FloatArray>(x: T, opts?: SoftmaxOptions) => Promise<T>;
export const logSoftmaxAsync = form('logSoftmax', logSoftmax) as <T extends FloatArray>(x: T, opts?: SoftmaxOptions) => Promise<T>;
export const softmaxCrossEntropyAsync = form('softmaxCrossEntropy', softmaxCrossEntropy);
export const perplexityAsync = form('perplexity', perplexity);
export const entropyRegularizedLossAsync = form('entropyRegularizedLoss', entropyRegularizedLoss);
export const nllLossAsync = form('nllLoss', nllLoss);
export const binaryCrossEntropyAsync = form('binaryCrossEntropy', binaryCrossEntropy);
export const binaryCrossEntropyWithLogitsAsync = form('binaryCrossEntropyWithLogits', binaryCrossEntropyWithLogits);
export const distillationLossAsync = form('distillationLoss', distillationLoss);
