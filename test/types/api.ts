// Type fixture, never run: checked by test/types.test.ts (and by `tsc -p test/types`).
// Each `// @ts-expect-error TEXT` marks a call that must not compile, and TEXT must appear in
// the compiler's message for the line below (so a line that fails for another reason, such
// as a misspelt argument, does not count). Every other line must compile, and each
// expectTypeOf states the exact result type. Keep each marked call on one line.
import { expectTypeOf } from 'vitest';
import {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, binaryEntropy, conditionalEntropy, crossEntropy, distillationLoss,
  entropy, entropyRegularizedLoss, gaussianEntropy, jointEntropy, jsDivergence, klDivergence, logSoftmax, logSumExp,
  mostUncertain, mutualInformation, nllLoss, oneHot, perplexity, softmax, softmaxCrossEntropy, softmaxEntropy, surprisal,
} from '../../src/index.js';
import type {
  BinaryLogitsOptions, BinaryOptions, CrossEntropyOptions, DistillationOptions, EntropyOptions, EntropyRegularizedOptions,
  KlOptions, LogitsOptions, LossOptions, NllOptions, Reduced, ReducibleOptions, Reduction,
} from '../../src/index.js';

declare const p: Float64Array;
declare const q: Float32Array;
declare const y: Int32Array;
declare const r: Reduction;

type Many = Float64Array;
type Union = number | Float64Array;

export function measures(): void {
  // reduction 'none' (the default) gives a Float64Array, 'sum' and 'mean' a number
  expectTypeOf(entropy(p)).toEqualTypeOf<Many>();
  expectTypeOf(entropy(p, undefined)).toEqualTypeOf<Many>();
  expectTypeOf(entropy(p, { cols: 2 })).toEqualTypeOf<Many>();
  expectTypeOf(entropy(p, { cols: 2, reduction: 'none', out: p })).toEqualTypeOf<Many>();
  expectTypeOf(entropy(p, { cols: 2, reduction: 'sum' })).toEqualTypeOf<number>();
  expectTypeOf(entropy(p, { cols: 2, reduction: 'mean', base: 2, normalize: true })).toEqualTypeOf<number>();
  expectTypeOf(crossEntropy(p, q)).toEqualTypeOf<Many>();
  expectTypeOf(crossEntropy(p, q, { reduction: 'mean' })).toEqualTypeOf<number>();
  expectTypeOf(klDivergence(p, q, { logTarget: true })).toEqualTypeOf<Many>();
  expectTypeOf(klDivergence(p, q, { logTarget: true, reduction: 'sum' })).toEqualTypeOf<number>();
  expectTypeOf(jsDivergence(p, q, { cols: 2 })).toEqualTypeOf<Many>();
  expectTypeOf(jsDivergence(p, q, { reduction: 'mean' })).toEqualTypeOf<number>();
  expectTypeOf(surprisal(q)).toEqualTypeOf<Many>();
  expectTypeOf(surprisal(q, { reduction: 'sum' })).toEqualTypeOf<number>();
  expectTypeOf(binaryEntropy(q, { base: 2 })).toEqualTypeOf<Many>();
  expectTypeOf(binaryEntropy(q, { reduction: 'mean' })).toEqualTypeOf<number>();
  expectTypeOf(logSumExp(p, { temperature: 2 })).toEqualTypeOf<Many>();
  expectTypeOf(logSumExp(p, { reduction: 'sum' })).toEqualTypeOf<number>();
  expectTypeOf(softmaxEntropy(p, { cols: 2, temperature: 0.5 })).toEqualTypeOf<Many>();
  expectTypeOf(softmaxEntropy(p, { reduction: 'mean' })).toEqualTypeOf<number>();

  // a reduction chosen at run time gives the union (it used to claim Float64Array)
  const o: EntropyOptions = { reduction: 'mean' };
  expectTypeOf(entropy(p, o)).toEqualTypeOf<Union>();
  expectTypeOf(entropy(p, { cols: 2, reduction: r })).toEqualTypeOf<Union>();
  const maybe = undefined as EntropyOptions | undefined;
  expectTypeOf(entropy(p, maybe)).toEqualTypeOf<Union>();
  expectTypeOf(entropy(p, { ...o, cols: 2 })).toEqualTypeOf<Union>();
  const common = {} as ReducibleOptions, kl = {} as KlOptions, lg = {} as LogitsOptions;
  expectTypeOf(crossEntropy(p, q, common)).toEqualTypeOf<Union>();
  expectTypeOf(klDivergence(p, q, kl)).toEqualTypeOf<Union>();
  expectTypeOf(jsDivergence(p, q, { reduction: r })).toEqualTypeOf<Union>();
  expectTypeOf(surprisal(p, common)).toEqualTypeOf<Union>();
  expectTypeOf(binaryEntropy(p, { reduction: r })).toEqualTypeOf<Union>();
  expectTypeOf(logSumExp(p, lg)).toEqualTypeOf<Union>();
  expectTypeOf(softmaxEntropy(p, { reduction: r })).toEqualTypeOf<Union>();
  // options kept in a variable keep their literal reduction with `as const` or `satisfies`
  const meanOpts = { cols: 2, reduction: 'mean' } as const;
  expectTypeOf(entropy(p, meanOpts)).toEqualTypeOf<number>();
  const noneOpts = { cols: 2, reduction: 'none' } satisfies EntropyOptions;
  expectTypeOf(entropy(p, noneOpts)).toEqualTypeOf<Many>();
  // @ts-expect-error 'bsae' does not exist
  const typoOpts = { cols: 2, bsae: 2 } satisfies EntropyOptions;
  void typoOpts;
  // the literal must stay a literal: a widened string is not a Reduction
  const widened = { reduction: 'mean' };
  // @ts-expect-error Type 'string' is not assignable
  entropy(p, widened);
  // @ts-expect-error Type '"batchmean"' is not assignable
  entropy(p, { reduction: 'batchmean' });

  // unknown option names do not compile (alone, an unknown name fails TypeScript's weak type
  // check even with the open generic; beside a known one it used to pass)
  // @ts-expect-error 'bsae' does not exist
  entropy(p, { bsae: 2 });
  // @ts-expect-error 'bsae' does not exist
  entropy(p, { cols: 2, bsae: 2 });
  // @ts-expect-error 'reduce' does not exist
  entropy(p, { cols: 2, reduce: 'mean' });
  // @ts-expect-error 'reduce' does not exist
  entropy(p, { reduction: 'mean', reduce: 'mean' });
  // @ts-expect-error 'normalise' does not exist
  entropy(p, { cols: 2, reduction: 'sum', normalise: true });
  // @ts-expect-error 'normalize' does not exist
  crossEntropy(p, q, { cols: 2, normalize: true });
  // @ts-expect-error 'logtarget' does not exist
  klDivergence(p, q, { cols: 2, logtarget: true });
  // @ts-expect-error 'bsae' does not exist
  klDivergence(p, q, { reduction: r, bsae: 2 });
  // @ts-expect-error 'col' does not exist
  jsDivergence(p, q, { base: 2, col: 2 });
  // @ts-expect-error 'temperature' does not exist
  surprisal(p, { base: 2, temperature: 2 });
  // @ts-expect-error 'reduce' does not exist
  binaryEntropy(p, { base: 2, reduce: 'sum' });
  // @ts-expect-error 'temprature' does not exist
  logSumExp(p, { cols: 2, temprature: 2 });
  // @ts-expect-error 'temp' does not exist
  softmaxEntropy(p, { reduction: 'mean', temp: 2 });
}

export function losses(): void {
  // the losses default to 'mean': a number unless reduction is 'none'
  expectTypeOf(softmaxCrossEntropy(p, y)).toEqualTypeOf<number>();
  expectTypeOf(softmaxCrossEntropy(p, y, { cols: 3, labelSmoothing: 0.1 })).toEqualTypeOf<number>();
  expectTypeOf(softmaxCrossEntropy(p, q, { cols: 3, reduction: 'sum' })).toEqualTypeOf<number>();
  expectTypeOf(softmaxCrossEntropy(p, y, { cols: 3, reduction: 'none' })).toEqualTypeOf<Many>();
  expectTypeOf(entropyRegularizedLoss(p, y, { beta: 0.1 })).toEqualTypeOf<number>();
  expectTypeOf(entropyRegularizedLoss(p, y, { beta: 0.1, reduction: 'none' })).toEqualTypeOf<Many>();
  expectTypeOf(nllLoss(p, y, { ignoreIndex: 0 })).toEqualTypeOf<number>();
  expectTypeOf(nllLoss(p, y, { reduction: 'none' })).toEqualTypeOf<Many>();
  expectTypeOf(binaryCrossEntropy(p, q)).toEqualTypeOf<number>();
  expectTypeOf(binaryCrossEntropy(p, q, { weight: q, reduction: 'none' })).toEqualTypeOf<Many>();
  expectTypeOf(binaryCrossEntropyWithLogits(p, q, { posWeight: q })).toEqualTypeOf<number>();
  expectTypeOf(binaryCrossEntropyWithLogits(p, q, { reduction: 'none', out: p })).toEqualTypeOf<Many>();
  expectTypeOf(distillationLoss(p, q, { temperature: 2 })).toEqualTypeOf<number>();
  expectTypeOf(distillationLoss(p, q, { temperature: 2, reduction: 'batchmean' })).toEqualTypeOf<number>();
  expectTypeOf(distillationLoss(p, q, { temperature: 2, reduction: 'sum' })).toEqualTypeOf<number>();
  expectTypeOf(distillationLoss(p, q, { temperature: 2, reduction: 'none' })).toEqualTypeOf<Many>();

  // chosen at run time: the union
  const ce = {} as CrossEntropyOptions, er = { beta: 1 } as EntropyRegularizedOptions, nl = {} as NllOptions;
  const bo = {} as BinaryOptions, bl = {} as BinaryLogitsOptions, dl = { temperature: 2 } as DistillationOptions;
  expectTypeOf(softmaxCrossEntropy(p, y, ce)).toEqualTypeOf<Union>();
  expectTypeOf(softmaxCrossEntropy(p, y, { reduction: r })).toEqualTypeOf<Union>();
  expectTypeOf(entropyRegularizedLoss(p, y, er)).toEqualTypeOf<Union>();
  expectTypeOf(nllLoss(p, y, nl)).toEqualTypeOf<Union>();
  expectTypeOf(binaryCrossEntropy(p, q, bo)).toEqualTypeOf<Union>();
  expectTypeOf(binaryCrossEntropyWithLogits(p, q, bl)).toEqualTypeOf<Union>();
  expectTypeOf(distillationLoss(p, q, dl)).toEqualTypeOf<Union>();

  // @ts-expect-error 'lableSmoothing' does not exist
  softmaxCrossEntropy(p, y, { cols: 3, lableSmoothing: 0.1 });
  // @ts-expect-error 'ignore_index' does not exist
  softmaxCrossEntropy(p, y, { reduction: 'none', ignore_index: -1 });
  // @ts-expect-error 'bta' does not exist
  entropyRegularizedLoss(p, y, { beta: 1, bta: 1 });
  // @ts-expect-error Property 'beta' is missing
  entropyRegularizedLoss(p, y, { cols: 3 });
  // @ts-expect-error 'labelSmoothing' does not exist
  nllLoss(p, y, { cols: 3, labelSmoothing: 0.1 });
  // @ts-expect-error 'posWeight' does not exist
  binaryCrossEntropy(p, q, { cols: 2, posWeight: q });
  // @ts-expect-error 'pos_weight' does not exist
  binaryCrossEntropyWithLogits(p, q, { cols: 2, pos_weight: q });
  // @ts-expect-error 'temp' does not exist
  distillationLoss(p, q, { temperature: 2, temp: 2 });
  // @ts-expect-error Property 'temperature' is missing
  distillationLoss(p, q, { cols: 3 });
  // @ts-expect-error Type '"mean"' is not assignable
  distillationLoss(p, q, { temperature: 2, reduction: 'mean' });
  // @ts-expect-error Type '"batchmean"' is not assignable
  softmaxCrossEntropy(p, y, { reduction: 'batchmean' });
}

export function others(): void {
  // functions without a reduction reject unknown options too
  expectTypeOf(softmax(q, { cols: 2, temperature: 2 })).toEqualTypeOf<Float32Array>();
  expectTypeOf(logSoftmax(p, { out: p })).toEqualTypeOf<Float64Array>();
  expectTypeOf(jointEntropy(p, { cols: 2, base: 2 })).toEqualTypeOf<number>();
  expectTypeOf(conditionalEntropy(p, { cols: 2 })).toEqualTypeOf<number>();
  expectTypeOf(mutualInformation(p, { cols: 2, check: false })).toEqualTypeOf<number>();
  expectTypeOf(perplexity(p, y, { cols: 3, labelSmoothing: 0.1 })).toEqualTypeOf<number>();
  expectTypeOf(mostUncertain(p, { cols: 2, k: 1, fromLogits: true })).toEqualTypeOf<Int32Array>();
  expectTypeOf(gaussianEntropy(2, { base: 2 })).toEqualTypeOf<number>();
  expectTypeOf(gaussianEntropy(p)).toEqualTypeOf<Float64Array>();
  expectTypeOf(oneHot(y, 3, { smoothing: 0.1 })).toEqualTypeOf<Float32Array>();

  // @ts-expect-error 'temprature' does not exist
  softmax(p, { cols: 2, temprature: 2 });
  // @ts-expect-error 'base' does not exist
  logSoftmax(p, { cols: 2, base: 2 });
  // @ts-expect-error 'reduction' does not exist
  jointEntropy(p, { cols: 2, reduction: 'sum' });
  // @ts-expect-error 'bsae' does not exist
  conditionalEntropy(p, { cols: 2, bsae: 2 });
  // @ts-expect-error 'col' does not exist
  mutualInformation(p, { base: 2, col: 2 });
  // @ts-expect-error 'reduction' does not exist
  perplexity(p, y, { cols: 3, reduction: 'mean' });
  // @ts-expect-error 'top' does not exist
  mostUncertain(p, { k: 1, top: 2 });
  // @ts-expect-error Property 'k' is missing
  mostUncertain(p, { cols: 2 });
  // @ts-expect-error 'bsae' does not exist
  gaussianEntropy(p, { base: 2, bsae: 2 });
  // @ts-expect-error 'labelSmoothing' does not exist
  oneHot(y, 3, { smoothing: 0.1, labelSmoothing: 0.1 });
}

export function reducedHelper(): void {
  // Reduced<O, Default>: the result type for options of type O, for code that wraps the functions
  expectTypeOf<Reduced<EntropyOptions>>().toEqualTypeOf<Union>();
  expectTypeOf<Reduced<{ cols: number }>>().toEqualTypeOf<Many>();
  expectTypeOf<Reduced<{ reduction: 'none' }>>().toEqualTypeOf<Many>();
  expectTypeOf<Reduced<{ reduction?: 'none' }>>().toEqualTypeOf<Many>();
  expectTypeOf<Reduced<{ reduction: 'sum' | 'mean' }>>().toEqualTypeOf<number>();
  expectTypeOf<Reduced<EntropyOptions | undefined>>().toEqualTypeOf<Union>();
  expectTypeOf<Reduced<undefined>>().toEqualTypeOf<Many>();
  expectTypeOf<Reduced<{ cols: number }, 'mean'>>().toEqualTypeOf<number>();
  expectTypeOf<Reduced<LossOptions, 'mean'>>().toEqualTypeOf<Union>();
  expectTypeOf<Reduced<{ reduction: 'none' }, 'mean'>>().toEqualTypeOf<Many>();
  expectTypeOf<Reduced<DistillationOptions, 'batchmean'>>().toEqualTypeOf<Union>();
}

export function readmeExample(mode: Reduction, z: Float32Array): void {
  // README, "Types"
  expectTypeOf(entropy(p, { cols: 4 })).toEqualTypeOf<Many>();
  expectTypeOf(entropy(p, { cols: 4, reduction: 'mean' })).toEqualTypeOf<number>();
  expectTypeOf(softmaxCrossEntropy(z, y, { cols: 4 })).toEqualTypeOf<number>();
  const opts: EntropyOptions = { cols: 4, reduction: mode };
  const h = entropy(p, opts);
  expectTypeOf(h).toEqualTypeOf<Union>();
  if (typeof h === 'number') expectTypeOf(h).toEqualTypeOf<number>();
  else expectTypeOf(h).toEqualTypeOf<Many>();
  // @ts-expect-error 'bsae' does not exist
  entropy(p, { cols: 4, bsae: 2 });
}
