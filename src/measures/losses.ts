// Losses from logits and labels, with PyTorch's semantics (torch.nn.functional).
import type { BackendName, FloatArray, Reduction } from '../types.js';
import { CLASS_DOT, ENTROPY, TARGETS, type Kernels } from '../backend/kernels.js';
import {
  checkClassIndices, classWeights, elementWeights, finiteOption, int32Arg, integerOption,
  inverseTemperature, isFloatArray, positiveInteger, sameAs, unitOption,
} from '../options.js';
import { formatValue, rangeError, typeError } from '../errors.js';
import { probability, throwFirstInvalid, unitProbability } from '../validate.js';
import { begin, reduceValues, temp } from './call.js';

export interface LossOptions {
  cols?: number;
  reduction?: Reduction;
  /** Receives 'none' results. */
  out?: Float64Array;
  /** Scan probability targets / probabilities for invalid values; default true. */
  check?: boolean;
  backend?: BackendName;
}

export interface CrossEntropyOptions extends LossOptions {
  /** A weight per class (cols values). */
  weight?: FloatArray;
  /** Rows whose class index equals it are ignored (class-index targets only); default -100. */
  ignoreIndex?: number;
  /** In [0, 1]: mixes the target with the uniform distribution (PyTorch's label_smoothing). */
  labelSmoothing?: number;
  /** Divide the logits by T > 0 first (an extension; PyTorch has none). */
  temperature?: number;
}

/** 'sum' and 'mean' give a number, 'none' a Float64Array. */
type LossResult<O> = O extends { reduction: 'none' } ? Float64Array : number;

interface RowLosses {
  rows: number;
  reduction: string;
  /** per-row losses (the caller's out for 'none') */
  loss: Float64Array;
  /** denominator of 'mean': summed class weights of the kept rows, or rows for probability targets */
  denominator: number;
  /** per-row softmax entropy, when asked for */
  entropy?: Float64Array;
}

/**
 * Per-row cross entropy of softmax(logits / T) against class indices or probability
 * targets, fused: one max pass and one pass for exps and target sums, no softmax matrix.
 */
function crossEntropyRows(fn: string, logits: unknown, target: unknown, opts: CrossEntropyOptions | undefined,
  withEntropy: boolean, defaultReduction: Reduction): RowLosses {
  const o: CrossEntropyOptions = opts ?? {};
  const { p: z, rows, cols, reduction, values: loss, kernels } = begin(fn, { per: 'rows', defaultReduction }, o, 'logits', logits);
  const invT = inverseTemperature(fn, o.temperature);
  const eps = unitOption(fn, 'labelSmoothing', o.labelSmoothing);
  const w = classWeights(fn, 'weight', o.weight, cols, z);
  const m = temp(1, rows), ls = temp(2, rows);
  const entropy = withEntropy ? temp(3, rows) : undefined;

  if (target instanceof Int32Array) {
    if (target.length !== rows) throw rangeError(fn, `target has ${target.length} class indices but logits has ${rows} rows`);
    const ignore = integerOption(fn, 'ignoreIndex', o.ignoreIndex, -100);
    checkClassIndices(fn, 'target', target, cols, ignore);
    const b = eps > 0 ? temp(4, rows) : undefined;
    const mode = (eps > 0 ? CLASS_DOT : 0) | (withEntropy ? ENTROPY : 0);
    kernels.softmaxStats(z, null, w, rows, cols, invT, 0, mode, { m, ls, h: entropy, b });
    let wsum = 0;
    if (w) for (let c = 0; c < cols; c++) wsum += w[c];
    else wsum = cols;
    let denominator = 0;
    for (let r = 0; r < rows; r++) {
      const y = target[r];
      if (y === ignore) { loss[r] = 0; continue; }
      const wy = w ? w[y] : 1;
      const nll = ls[r] + (m[r] - z[r * cols + y]) * invT; // -log softmax(z/T)_y, without cancellation
      // smoothing: (1-eps) w_y nll + eps/C sum_c w_c (-log p_c)
      loss[r] = b ? (1 - eps) * wy * nll + (eps / cols) * (ls[r] * wsum + b[r] * invT) : wy * nll;
      denominator += wy;
    }
    return { rows, reduction, loss, denominator, entropy };
  }

  if (!isFloatArray(target)) {
    throw typeError(fn, `target must be an Int32Array of class indices or a float array of probabilities, got ${formatValue(target)}`);
  }
  const t = sameAs(fn, 'target', target, 'logits', z);
  const b = temp(4, rows), wt = temp(5, rows);
  const invalid = kernels.softmaxStats(z, t, w, rows, cols, invT, eps, TARGETS | (withEntropy ? ENTROPY : 0), { m, ls, h: entropy, b, w: wt });
  if (invalid && o.check !== false) throwFirstInvalid(fn, [['target', t, probability]]);
  for (let r = 0; r < rows; r++) loss[r] = ls[r] * wt[r] + b[r] * invT;
  return { rows, reduction, loss, denominator: rows, entropy };
}

/** The losses reduced: 'mean' divides by the summed weights of the kept rows (all ignored: NaN). */
function reduceLoss(l: RowLosses): Float64Array | number {
  return reduceValues(l.loss, l.reduction, l.denominator);
}

/**
 * torch.nn.functional.cross_entropy: class indices (Int32Array, one per row) or class
 * probabilities (rows x cols). 'mean' is the weighted mean over kept rows for class
 * indices and sum / rows for probabilities (as PyTorch).
 */
export function softmaxCrossEntropy<O extends CrossEntropyOptions>(logits: FloatArray, target: Int32Array | FloatArray, opts?: O): LossResult<O> {
  return reduceLoss(crossEntropyRows('softmaxCrossEntropy', logits, target, opts, false, 'mean')) as LossResult<O>;
}

/** exp of the mean softmax cross entropy (same options, reduction excepted). */
export function perplexity(logits: FloatArray, target: Int32Array | FloatArray, opts?: Omit<CrossEntropyOptions, 'reduction' | 'out'>): number {
  const l = crossEntropyRows('perplexity', logits, target, { ...opts, reduction: 'mean', out: undefined }, false, 'mean');
  return Math.exp(reduceLoss(l) as number);
}

export interface EntropyRegularizedOptions extends CrossEntropyOptions {
  /** Weight of the entropy: > 0 rewards uncertain predictions, < 0 confident ones. */
  beta: number;
}

/**
 * softmaxCrossEntropy(logits, target, opts) - beta * softmaxEntropy(logits) with the same
 * reduction ('mean' averages the entropy over all rows), in one pass over the logits.
 */
export function entropyRegularizedLoss<O extends EntropyRegularizedOptions>(logits: FloatArray, target: Int32Array | FloatArray, opts: O): LossResult<O> {
  const fn = 'entropyRegularizedLoss';
  const beta = finiteOption(fn, 'beta', opts?.beta);
  const l = crossEntropyRows(fn, logits, target, opts, true, 'mean');
  const h = l.entropy!;
  if (l.reduction === 'none') {
    for (let r = 0; r < l.rows; r++) l.loss[r] -= beta * h[r];
    return l.loss as LossResult<O>;
  }
  let hs = 0;
  for (let r = 0; r < l.rows; r++) hs += h[r];
  const ce = reduceLoss(l) as number;
  return (ce - beta * (l.reduction === 'sum' ? hs : hs / l.rows)) as LossResult<O>;
}

export interface NllOptions extends LossOptions {
  weight?: FloatArray;
  ignoreIndex?: number;
}

/**
 * torch.nn.functional.nll_loss: -w_y logProbs[r, y]. A gather of one value per row, so it
 * runs in JS on every backend (moving the rows into WASM would cost more than it does).
 */
export function nllLoss<O extends NllOptions>(logProbs: FloatArray, target: Int32Array, opts?: O): LossResult<O> {
  const fn = 'nllLoss';
  const o: NllOptions = opts ?? {};
  const { p: lp, rows, cols, reduction, values: loss } = begin(fn, { per: 'rows', defaultReduction: 'mean' }, o, 'logProbs', logProbs);
  const y = int32Arg(fn, 'target', target);
  if (y.length !== rows) throw rangeError(fn, `target has ${y.length} class indices but logProbs has ${rows} rows`);
  const ignore = integerOption(fn, 'ignoreIndex', o.ignoreIndex, -100);
  const w = classWeights(fn, 'weight', o.weight, cols, lp);
  checkClassIndices(fn, 'target', y, cols, ignore);
  let denominator = 0;
  for (let r = 0; r < rows; r++) {
    if (y[r] === ignore) { loss[r] = 0; continue; }
    const wy = w ? w[y[r]] : 1;
    loss[r] = -wy * lp[r * cols + y[r]];
    denominator += wy;
  }
  return reduceValues(loss, reduction, denominator) as LossResult<O>;
}

export interface BinaryOptions extends LossOptions {
  /** Per element, or per class (length cols, broadcast over rows). */
  weight?: FloatArray;
}

export interface BinaryLogitsOptions extends BinaryOptions {
  /** Weight of the positive term, per element or per class (PyTorch's pos_weight). */
  posWeight?: FloatArray;
}

function binaryLoss(fn: string, x: unknown, xName: string, target: unknown, opts: BinaryLogitsOptions | undefined,
  run: (k: Kernels, x: FloatArray, t: FloatArray, rows: number, cols: number, out: Float64Array) => boolean): Float64Array | number {
  const c = begin(fn, { per: 'elements', defaultReduction: 'mean' }, opts, xName, x, 'target', target);
  const invalid = run(c.kernels, c.p, c.q, c.rows, c.cols, c.values);
  if (invalid && c.check) throwFirstInvalid(fn, [[xName, c.p, unitProbability]]);
  return reduceValues(c.values, c.reduction);
}

/** torch.nn.functional.binary_cross_entropy, element-wise; logs clamped at -100; prob in [0, 1]. */
export function binaryCrossEntropy<O extends BinaryOptions>(prob: FloatArray, target: FloatArray, opts?: O): LossResult<O> {
  const fn = 'binaryCrossEntropy';
  return binaryLoss(fn, prob, 'prob', target, opts, (k, p, t, rows, cols, out) => {
    const [w, wMode] = elementWeights(fn, 'weight', opts?.weight, p.length, cols, p);
    return k.bce(p, t, w, wMode, rows, cols, out);
  }) as LossResult<O>;
}

/** torch.nn.functional.binary_cross_entropy_with_logits in the stable form. */
export function binaryCrossEntropyWithLogits<O extends BinaryLogitsOptions>(logits: FloatArray, target: FloatArray, opts?: O): LossResult<O> {
  const fn = 'binaryCrossEntropyWithLogits';
  return binaryLoss(fn, logits, 'logits', target, opts, (k, x, t, rows, cols, out) => {
    const [w, wMode] = elementWeights(fn, 'weight', opts?.weight, x.length, cols, x);
    const [pw, pwMode] = elementWeights(fn, 'posWeight', opts?.posWeight, x.length, cols, x);
    k.bceLogits(x, t, w, wMode, pw, pwMode, rows, cols, out);
    return false;
  }) as LossResult<O>;
}

export interface DistillationOptions {
  cols?: number;
  /** The distillation temperature T > 0. */
  temperature: number;
  /** 'batchmean' (sum / rows, the default), 'sum' or 'none' (per row). */
  reduction?: 'batchmean' | 'sum' | 'none';
  out?: Float64Array;
  backend?: BackendName;
}

/** T^2 * KL(softmax(teacher / T) || softmax(student / T)) per row, fused. */
export function distillationLoss<O extends DistillationOptions>(studentLogits: FloatArray, teacherLogits: FloatArray, opts: O):
  O extends { reduction: 'none' } ? Float64Array : number {
  const fn = 'distillationLoss';
  const o = opts ?? ({} as DistillationOptions);
  const { p: s, q: t, rows, cols, reduction, values: out, kernels } = begin(fn,
    { per: 'rows', defaultReduction: 'batchmean', reductions: ['batchmean', 'sum', 'none'] }, o, 'studentLogits', studentLogits,
    'teacherLogits', teacherLogits);
  if (o.temperature === undefined) throw rangeError(fn, 'option temperature is required (a finite number > 0)');
  const invT = inverseTemperature(fn, o.temperature);
  kernels.distill(s, t, rows, cols, invT, out);
  const t2 = o.temperature * o.temperature;
  for (let r = 0; r < rows; r++) out[r] *= t2;
  return reduceValues(out, reduction) as never; // 'batchmean': sum / rows
}

/** One-hot targets as a Float32Array (rows x cols): onehot * (1 - s) + s / cols. */
export function oneHot(labels: Int32Array, cols: number, opts?: { smoothing?: number }): Float32Array {
  const fn = 'oneHot';
  const y = int32Arg(fn, 'labels', labels);
  positiveInteger(fn, 'cols', cols);
  const s = unitOption(fn, 'smoothing', opts?.smoothing);
  checkClassIndices(fn, 'labels', y, cols, NaN);
  const out = new Float32Array(y.length * cols).fill(s / cols);
  for (let r = 0; r < y.length; r++) out[r * cols + y[r]] = 1 - s + s / cols;
  return out;
}
