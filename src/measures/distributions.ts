// Measures on distributions in probability space (API.md, first table).
import type { FloatArray, ReducibleOptions, Reduced } from '../types.js';
import { begin, reduce } from './call.js';
import { logProbability, probability, throwFirstInvalid, unitProbability } from '../validate.js';

export interface EntropyOptions extends ReducibleOptions {
  /** Divide each row by its sum first (SciPy's entropy); an all-zero row gives NaN. */
  normalize?: boolean;
}

export interface KlOptions extends ReducibleOptions {
  /** The first argument holds log p (PyTorch kl_div's log_target); q stays probabilities. */
  logTarget?: boolean;
}

const ROWS = { per: 'rows' } as const;
const ELEMENTS = { per: 'elements' } as const;

/** Shannon entropy per row, H(p) = -sum p log p (0 log 0 = 0). */
export function entropy<O extends EntropyOptions>(p: FloatArray, opts?: O): Reduced<O> {
  const c = begin('entropy', ROWS, opts, 'p', p);
  const invalid = opts?.normalize
    ? c.kernels.entropyNormalized(c.p, c.rows, c.cols, c.scale, c.values)
    : c.kernels.entropy(c.p, c.rows, c.cols, c.scale, c.values);
  if (invalid && c.check) throwFirstInvalid(c.fn, [['p', c.p, probability]]);
  return reduce(c) as Reduced<O>;
}

/** Cross entropy per row, H(p, q) = -sum p log q; p > 0 where q = 0 gives Infinity. */
export function crossEntropy<O extends ReducibleOptions>(p: FloatArray, q: FloatArray, opts?: O): Reduced<O> {
  const c = begin('crossEntropy', ROWS, opts, 'p', p, 'q', q);
  const invalid = c.kernels.crossEntropy(c.p, c.q, c.rows, c.cols, c.scale, c.values);
  if (invalid && c.check) throwFirstInvalid(c.fn, [['p', c.p, probability], ['q', c.q, probability]]);
  return reduce(c) as Reduced<O>;
}

/** Kullback-Leibler divergence per row, D(p||q) = sum p log(p/q). */
export function klDivergence<O extends KlOptions>(p: FloatArray, q: FloatArray, opts?: O): Reduced<O> {
  const c = begin('klDivergence', ROWS, opts, 'p', p, 'q', q);
  if (opts?.logTarget) {
    const invalid = c.kernels.klDivergenceLogTarget(c.p, c.q, c.rows, c.cols, c.scale, c.values);
    if (invalid && c.check) throwFirstInvalid(c.fn, [['p', c.p, logProbability], ['q', c.q, probability]]);
  } else {
    const invalid = c.kernels.klDivergence(c.p, c.q, c.rows, c.cols, c.scale, c.values);
    if (invalid && c.check) throwFirstInvalid(c.fn, [['p', c.p, probability], ['q', c.q, probability]]);
  }
  return reduce(c) as Reduced<O>;
}

/** Jensen-Shannon divergence per row, (D(p||m) + D(q||m)) / 2 with m = (p+q)/2. */
export function jsDivergence<O extends ReducibleOptions>(p: FloatArray, q: FloatArray, opts?: O): Reduced<O> {
  const c = begin('jsDivergence', ROWS, opts, 'p', p, 'q', q);
  const invalid = c.kernels.jsDivergence(c.p, c.q, c.rows, c.cols, c.scale, c.values);
  if (invalid && c.check) throwFirstInvalid(c.fn, [['p', c.p, probability], ['q', c.q, probability]]);
  return reduce(c) as Reduced<O>;
}

/** Element-wise surprisal -log p (p = 0 gives Infinity). */
export function surprisal<O extends ReducibleOptions>(p: FloatArray, opts?: O): Reduced<O> {
  const c = begin('surprisal', ELEMENTS, opts, 'p', p);
  const invalid = c.kernels.surprisal(c.p, c.scale, c.values);
  if (invalid && c.check) throwFirstInvalid(c.fn, [['p', c.p, probability]]);
  return reduce(c) as Reduced<O>;
}

/** Element-wise binary entropy -p log p - (1-p) log(1-p); p must lie in [0, 1]. */
export function binaryEntropy<O extends ReducibleOptions>(p: FloatArray, opts?: O): Reduced<O> {
  const c = begin('binaryEntropy', ELEMENTS, opts, 'p', p);
  const invalid = c.kernels.binaryEntropy(c.p, c.scale, c.values);
  if (invalid && c.check) throwFirstInvalid(c.fn, [['p', c.p, unitProbability]]);
  return reduce(c) as Reduced<O>;
}
