// infokernel: information-theory measures over batches of probability rows, on SIMD
// WebAssembly with a pure-JS fallback. See README.md and API.md.
export type { BackendName, CommonOptions, FloatArray, Reduced, ReducibleOptions, Reduction } from './types.js';
export { ready, backendInfo, setBackend } from './backend/registry.js';
export { allocBatch } from './batch.js';
export { setThreads } from './threads/control.js';
export * from './threads/async.js';
export type { Batch } from './batch.js';
export type { BackendInfo, ReadyOptions, LoadOptions } from './backend/registry.js';
export {
  entropy, crossEntropy, klDivergence, jsDivergence, surprisal, binaryEntropy,
} from './measures/distributions.js';
export type { EntropyOptions, KlOptions } from './measures/distributions.js';
export { jointEntropy, conditionalEntropy, mutualInformation } from './measures/joint.js';
export type { JointOptions } from './measures/joint.js';
export { mostUncertain, gaussianEntropy } from './measures/helpers.js';
export type { MostUncertainOptions } from './measures/helpers.js';
export { logSumExp, softmax, logSoftmax, softmaxEntropy } from './measures/logits.js';
export type { LogitsOptions, SoftmaxOptions } from './measures/logits.js';
export {
  softmaxCrossEntropy, perplexity, entropyRegularizedLoss, nllLoss, binaryCrossEntropy,
  binaryCrossEntropyWithLogits, distillationLoss, oneHot,
} from './measures/losses.js';
export type {
  LossOptions, CrossEntropyOptions, EntropyRegularizedOptions, NllOptions, BinaryOptions,
  BinaryLogitsOptions, DistillationOptions,
} from './measures/losses.js';
