// The asynchronous API: `<name>Async(...)` for every function that takes a batch, with the
// same arguments, options, results and errors, as a Promise. Where the worker pool runs
// (threads.ts: Node, cross-origin-isolated pages), the call runs on the pool's coordinator
// worker, split across the helpers, so the calling thread stays free (a page's main thread
// included). Small batches, and engines without threads, run on the calling thread.
import type { FloatArray } from '../types.js';
import { binaryEntropy, crossEntropy, entropy, jsDivergence, klDivergence, surprisal } from '../measures/distributions.js';
import { conditionalEntropy, jointEntropy, mutualInformation } from '../measures/joint.js';
import { mostUncertain } from '../measures/helpers.js';
import { logSoftmax, logSumExp, softmax, softmaxEntropy, type SoftmaxOptions } from '../measures/logits.js';
import {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, distillationLoss, entropyRegularizedLoss, nllLoss, perplexity,
  softmaxCrossEntropy,
} from '../measures/losses.js';
import { asyncPool, defaultThreads, noThreadsWarning, sharedArena, threadsOption } from './control.js';
import { encodeArgs, optionsOf } from './messages.js';

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
  let result: Promise<unknown>;
  try {
    result = pool.call(name, encodeArgs(args, (b) => arena.owns(b)), threads);
  } catch {
    return f(...args); // an argument postMessage cannot copy: the call itself says what is wrong
  }
  const value = await result;
  const out = opts?.out as FloatArray | undefined;
  if (ArrayBuffer.isView(value) && out && ArrayBuffer.isView(out)) {
    if (!arena.owns(out.buffer)) out.set(value as FloatArray); // a copy came back; a batch view was written in place
    return out;
  }
  return value;
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
