// Losses from logits and labels, with PyTorch's semantics (torch.nn.functional).
import type { BackendName, FloatArray, Reduction } from '../types.js';
import { CLASS_DOT, ENTROPY, TARGETS, type Kernels, type WeightMode } from '../backend/kernels.js';
import {
  checkClassIndices, checkOptions, classWeights, elementWeights, finiteOption, int32Arg, integerOption,
  inverseTemperature, isFloatArray, liveArray, noPartialOverlap, positiveInteger, sameAs, unitOption,
} from '../options.js';
import { formatValue, rangeError, typeError } from '../errors.js';
import { probability, throwFirstInvalid, unitProbability } from '../validate.js';
import { COMMON_KEYS, begin, perElement, perRow, rowsOf, temp, toUnits, type ElementBlock } from './call.js';
import { timesInvT } from './logits.js';

export interface LossOptions {
  cols?: number;
  /** Logarithm base of the loss (default e: nats; perplexity does not depend on it). */
  base?: number;
  reduction?: Reduction;
  /** Receives 'none' results. */
  out?: Float64Array;
  /** Scan probability targets / probabilities for invalid values; default true. */
  check?: boolean;
  backend?: BackendName;
  /** Threads for this call (default: setThreads, else the machine's cores); see README, Threads. */
  threads?: number;
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

const CE_KEYS = [...COMMON_KEYS, 'weight', 'ignoreIndex', 'labelSmoothing', 'temperature'];

/** A float target of one value per row where class indices were meant. */
function floatLabels(fn: string, target: FloatArray, rows: number, cols: number): TypeError {
  return typeError(fn, `target is a ${target.constructor.name} of ${target.length} values, one per row: class indices must be an ` +
    `Int32Array (a float target holds class probabilities, rows x cols = ${rows * cols} values)`);
}

/**
 * Cross entropy of softmax(logits / T) against class indices or probability targets,
 * minus beta times the softmax entropy, fused per block of rows: one max pass and one pass
 * for exps and target sums, no softmax matrix. 'mean' divides the loss by the summed
 * weights of the kept rows (class indices) or by rows (probabilities), and the entropy by rows.
 * inNats: the loss in nats whatever the base option (perplexity's exp needs them).
 */
function crossEntropyLoss(fn: string, keys: readonly string[] | null, logits: unknown, target: unknown,
  opts: EntropyRegularizedOptions | CrossEntropyOptions | undefined, beta: number, inNats: boolean): Float64Array | number {
  const o: EntropyRegularizedOptions = (opts ?? {}) as EntropyRegularizedOptions;
  const c = begin(fn, { per: 'rows', defaultReduction: 'mean', keys }, o, 'logits', logits);
  const { p: z, rows, cols, kernels } = c;
  const scale = inNats ? 1 : c.scale;
  const invT = inverseTemperature(fn, o.temperature);
  const eps = unitOption(fn, 'labelSmoothing', o.labelSmoothing);
  const w = classWeights(fn, 'weight', o.weight, cols, z);
  // Stryker disable next-line ConditionalExpression: true takes the unfused path for beta = 0 too: the same values (the fused kernel is for speed)
  const withEntropy = beta !== 0;
  let denominator = 0, entropySum = 0;
  const subtractEntropy = (v: Float64Array, h: Float64Array | undefined) => {
    if (!h) return;
    for (let r = 0; r < v.length; r++) {
      if (c.out) v[r] -= beta * h[r] * scale;
      else entropySum += h[r];
    }
  };
  const reduce = (loss: number | Float64Array) =>
    typeof loss === 'number' && withEntropy ? loss - beta * scale * (c.reduction === 'sum' ? entropySum : entropySum / rows) : loss;

  if (target instanceof Int32Array) {
    liveArray(fn, 'target', target);
    if (target.length !== rows) throw rangeError(fn, `target has ${target.length} class indices but logits has ${rows} rows`);
    const ignore = integerOption(fn, 'ignoreIndex', o.ignoreIndex, -100);
    let wsum = 0;
    if (w) for (let k = 0; k < cols; k++) wsum += w[k];
    else wsum = cols;
    const mode = (eps > 0 ? CLASS_DOT : 0) | (withEntropy ? ENTROPY : 0);
    // Stryker disable next-line ConditionalExpression,BlockStatement: without the fused kernel the unfused path gives the same values
    if (!withEntropy && kernels.classCrossEntropy) { // fused where the backend has it (WASM), labels checked there
      const r = kernels.classCrossEntropy(z, target, w, rows, cols, invT, eps, ignore, wsum, scale, c.out);
      // Stryker disable next-line ConditionalExpression,BlockStatement: a fused result dropped is recomputed by the unfused path: the same values
      if (r) {
        if (r.badLabel) {
          checkClassIndices(fn, 'target', target, cols, ignore); // names the first bad one
          // Stryker disable next-line StringLiteral: unreachable (the kernel and checkClassIndices apply one rule); the message is for a broken build
          throw new Error(`infokernel: internal: ${fn}: the kernel flagged a class index that checkClassIndices accepts`);
        }
        return c.out ?? (c.reduction === 'sum' ? r.sum : r.sum / r.den); // 0 / 0 = NaN: every row ignored
      }
    }
    checkClassIndices(fn, 'target', target, cols, ignore);
    return reduce(perRow(c, (r0, n, v) => {
      const m = temp(1, n), ls = temp(2, n);
      const h = withEntropy ? temp(3, n) : undefined;
      const b = eps > 0 ? temp(4, n) : undefined;
      kernels.softmaxStats(rowsOf(z, r0, n, cols), null, w, n, cols, invT, 0, mode, { m, ls, h, b });
      for (let r = 0; r < n; r++) {
        const y = target[r0 + r];
        if (y === ignore) { v[r] = 0; continue; }
        const wy = w ? w[y] : 1;
        const nll = ls[r] + timesInvT(m[r] - z[(r0 + r) * cols + y], invT); // -log softmax(z/T)_y, without cancellation
        // smoothing: (1-eps) w_y nll + eps/C sum_c w_c (-log p_c)
        v[r] = (b ? (1 - eps) * wy * nll + (eps / cols) * (ls[r] * wsum + timesInvT(b[r], invT)) : wy * nll) * scale;
        denominator += wy;
      }
      subtractEntropy(v, h);
    }, () => denominator));
  }

  if (!isFloatArray(target)) {
    throw typeError(fn, `target must be an Int32Array of class indices or a float array of probabilities, got ${formatValue(target)}`);
  }
  if (cols > 1 && target.length === rows) throw floatLabels(fn, target, rows, cols);
  const t = sameAs(fn, 'target', target, 'logits', z);
  if (c.out) noPartialOverlap(fn, c.out, [['target', t]]);
  return reduce(perRow(c, (r0, n, v) => {
    const m = temp(1, n), ls = temp(2, n), b = temp(4, n), wt = temp(5, n);
    const h = withEntropy ? temp(3, n) : undefined;
    const invalid = kernels.softmaxStats(rowsOf(z, r0, n, cols), rowsOf(t, r0, n, cols), w, n, cols, invT, eps,
      TARGETS | (withEntropy ? ENTROPY : 0), { m, ls, h, b, w: wt });
    if (invalid && c.check) throwFirstInvalid(fn, [['target', t, probability]]);
    // -sum_c a_c log softmax(z/T)_c = W log s + B / T
    // Stryker disable next-line EqualityOperator: r = n writes past the view, which a typed array ignores
    for (let r = 0; r < n; r++) v[r] = (wt[r] * ls[r] + timesInvT(b[r], invT)) * scale;
    subtractEntropy(v, h);
  }));
}

/**
 * torch.nn.functional.cross_entropy: class indices (Int32Array, one per row) or class
 * probabilities (rows x cols). 'mean' is the weighted mean over kept rows for class
 * indices and sum / rows for probabilities (as PyTorch). With cols = 1 a float target
 * is read as probabilities (one per row), never as labels.
 */
export function softmaxCrossEntropy(logits: FloatArray, target: Int32Array | FloatArray,
  opts?: CrossEntropyOptions & { reduction?: 'mean' | 'sum' }): number;
/** torch.nn.functional.cross_entropy per row (reduction 'none'). */
export function softmaxCrossEntropy(logits: FloatArray, target: Int32Array | FloatArray,
  opts: CrossEntropyOptions & { reduction: 'none' }): Float64Array;
/** torch.nn.functional.cross_entropy; the reduction is chosen at run time. */
export function softmaxCrossEntropy(logits: FloatArray, target: Int32Array | FloatArray, opts?: CrossEntropyOptions): number | Float64Array;
export function softmaxCrossEntropy(logits: FloatArray, target: Int32Array | FloatArray, opts?: CrossEntropyOptions): number | Float64Array {
  return crossEntropyLoss('softmaxCrossEntropy', CE_KEYS, logits, target, opts, 0, false);
}

/** exp of the mean softmax cross entropy (same options, reduction and out excepted; `base` does not change it). */
export function perplexity(logits: FloatArray, target: Int32Array | FloatArray, opts?: Omit<CrossEntropyOptions, 'reduction' | 'out'>): number {
  const fn = 'perplexity';
  checkOptions(fn, opts, CE_KEYS.filter((k) => k !== 'reduction' && k !== 'out'));
  return Math.exp(crossEntropyLoss(fn, null, logits, target, { ...opts, reduction: 'mean' }, 0, true) as number);
}

export interface EntropyRegularizedOptions extends CrossEntropyOptions {
  /** Weight of the entropy: > 0 rewards uncertain predictions, < 0 confident ones. */
  beta: number;
}

/**
 * softmaxCrossEntropy(logits, target, opts) - beta * softmaxEntropy(logits) with the same
 * reduction ('mean' averages the entropy over all rows), in one pass over the logits.
 */
export function entropyRegularizedLoss(logits: FloatArray, target: Int32Array | FloatArray,
  opts: EntropyRegularizedOptions & { reduction?: 'mean' | 'sum' }): number;
/** softmaxCrossEntropy - beta * softmaxEntropy per row (reduction 'none'), in one pass. */
export function entropyRegularizedLoss(logits: FloatArray, target: Int32Array | FloatArray,
  opts: EntropyRegularizedOptions & { reduction: 'none' }): Float64Array;
/** softmaxCrossEntropy - beta * softmaxEntropy; the reduction is chosen at run time. */
export function entropyRegularizedLoss(logits: FloatArray, target: Int32Array | FloatArray, opts: EntropyRegularizedOptions): number | Float64Array;
export function entropyRegularizedLoss(logits: FloatArray, target: Int32Array | FloatArray, opts: EntropyRegularizedOptions): number | Float64Array {
  const fn = 'entropyRegularizedLoss';
  checkOptions(fn, opts, [...CE_KEYS, 'beta']);
  const beta = finiteOption(fn, 'beta', opts?.beta);
  // beta = 0 is plain cross entropy; the entropy pass is skipped
  return crossEntropyLoss(fn, null, logits, target, opts, beta, false);
}

export interface NllOptions extends LossOptions {
  weight?: FloatArray;
  ignoreIndex?: number;
}

/**
 * torch.nn.functional.nll_loss: -w_y logProbs[r, y]. A gather of one value per row, so it
 * runs in JS on every backend (moving the rows into WASM would cost more than it does).
 */
export function nllLoss(logProbs: FloatArray, target: Int32Array, opts?: NllOptions & { reduction?: 'mean' | 'sum' }): number;
/** torch.nn.functional.nll_loss per row (reduction 'none'). */
export function nllLoss(logProbs: FloatArray, target: Int32Array, opts: NllOptions & { reduction: 'none' }): Float64Array;
/** torch.nn.functional.nll_loss; the reduction is chosen at run time. */
export function nllLoss(logProbs: FloatArray, target: Int32Array, opts?: NllOptions): number | Float64Array;
export function nllLoss(logProbs: FloatArray, target: Int32Array, opts?: NllOptions): number | Float64Array {
  const fn = 'nllLoss';
  const o: NllOptions = opts ?? {};
  const c = begin(fn, { per: 'rows', defaultReduction: 'mean', keys: [...COMMON_KEYS, 'weight', 'ignoreIndex'] }, o, 'logProbs', logProbs);
  const { p: lp, rows, cols } = c;
  const y = int32Arg(fn, 'target', target);
  if (y.length !== rows) throw rangeError(fn, `target has ${y.length} class indices but logProbs has ${rows} rows`);
  const ignore = integerOption(fn, 'ignoreIndex', o.ignoreIndex, -100);
  const w = classWeights(fn, 'weight', o.weight, cols, lp);
  checkClassIndices(fn, 'target', y, cols, ignore);
  let denominator = 0;
  return perRow(c, (r0, n, v) => {
    for (let r = 0; r < n; r++) {
      const k = y[r0 + r];
      if (k === ignore) { v[r] = 0; continue; }
      const wy = w ? w[k] : 1;
      v[r] = -wy * lp[(r0 + r) * cols + k] * c.scale;
      denominator += wy;
    }
  }, () => denominator);
}

export interface BinaryOptions extends LossOptions {
  /** Per element, or per class (length cols, broadcast over rows). */
  weight?: FloatArray;
  /** Logarithm base of the loss (default e: nats). */
  base?: number;
}

export interface BinaryLogitsOptions extends BinaryOptions {
  /** Weight of the positive term, per element or per class (PyTorch's pos_weight). */
  posWeight?: FloatArray;
}

type BinaryKernel = (k: Kernels, x: FloatArray, t: FloatArray, w: [FloatArray | null, WeightMode], pw: [FloatArray | null, WeightMode],
  rows: number, cols: number, out: Float64Array) => boolean;

/** An element-wise binary loss over blocks of elements, weights sliced to each block. */
function binaryLoss(fn: string, keys: readonly string[], x: unknown, xName: string, target: unknown,
  opts: BinaryLogitsOptions | undefined, kernel: BinaryKernel): Float64Array | number {
  const c = begin(fn, { per: 'elements', defaultReduction: 'mean', keys }, opts, xName, x, 'target', target);
  const [w, wMode] = elementWeights(fn, 'weight', opts?.weight, c.p.length, c.cols, c.p);
  const [pw, pwMode] = elementWeights(fn, 'posWeight', opts?.posWeight, c.p.length, c.cols, c.p);
  // Stryker disable next-line OptionalChaining: c.out is set only from opts.out, so opts exists here
  if (c.out) noPartialOverlap(fn, c.out, [['weight', opts?.weight], ['posWeight', opts?.posWeight]]);
  const slice = (a: FloatArray | null, mode: WeightMode, b: ElementBlock): FloatArray | null =>
    !a ? null : mode === 1 ? a.subarray(b.at, b.at + b.length) : a.subarray(b.c0, b.c0 + b.nc);
  return perElement(c, (b, v) => {
    const invalid = kernel(c.kernels, c.p.subarray(b.at, b.at + b.length), c.q.subarray(b.at, b.at + b.length),
      [slice(w, wMode, b), wMode], [slice(pw, pwMode, b), pwMode], b.nr, b.nc, v);
    if (invalid && c.check) throwFirstInvalid(fn, [[xName, c.p, unitProbability]]);
    toUnits(c, v);
  });
}

/** torch.nn.functional.binary_cross_entropy, element-wise; logs clamped at -100 (nats, as PyTorch); prob in [0, 1]. */
export function binaryCrossEntropy(prob: FloatArray, target: FloatArray, opts?: BinaryOptions & { reduction?: 'mean' | 'sum' }): number;
/** torch.nn.functional.binary_cross_entropy per element (reduction 'none'). */
export function binaryCrossEntropy(prob: FloatArray, target: FloatArray, opts: BinaryOptions & { reduction: 'none' }): Float64Array;
/** torch.nn.functional.binary_cross_entropy; the reduction is chosen at run time. */
export function binaryCrossEntropy(prob: FloatArray, target: FloatArray, opts?: BinaryOptions): number | Float64Array;
export function binaryCrossEntropy(prob: FloatArray, target: FloatArray, opts?: BinaryOptions): number | Float64Array {
  return binaryLoss('binaryCrossEntropy', [...COMMON_KEYS, 'weight'], prob, 'prob', target, opts,
    (k, p, t, [w, wMode], _pw, rows, cols, out) => k.bce(p, t, w, wMode, rows, cols, out));
}

/** torch.nn.functional.binary_cross_entropy_with_logits in the stable form. */
export function binaryCrossEntropyWithLogits(logits: FloatArray, target: FloatArray,
  opts?: BinaryLogitsOptions & { reduction?: 'mean' | 'sum' }): number;
/** torch.nn.functional.binary_cross_entropy_with_logits per element (reduction 'none'). */
export function binaryCrossEntropyWithLogits(logits: FloatArray, target: FloatArray,
  opts: BinaryLogitsOptions & { reduction: 'none' }): Float64Array;
/** torch.nn.functional.binary_cross_entropy_with_logits; the reduction is chosen at run time. */
export function binaryCrossEntropyWithLogits(logits: FloatArray, target: FloatArray, opts?: BinaryLogitsOptions): number | Float64Array;
export function binaryCrossEntropyWithLogits(logits: FloatArray, target: FloatArray, opts?: BinaryLogitsOptions): number | Float64Array {
  return binaryLoss('binaryCrossEntropyWithLogits', [...COMMON_KEYS, 'weight', 'posWeight'], logits, 'logits', target, opts,
    (k, x, t, [w, wMode], [pw, pwMode], rows, cols, out) => {
      k.bceLogits(x, t, w, wMode, pw, pwMode, rows, cols, out);
      return false;
    });
}

export interface DistillationOptions {
  cols?: number;
  /** The distillation temperature T > 0. */
  temperature: number;
  /** 'batchmean' (sum / rows, the default), 'sum' or 'none' (per row). */
  reduction?: 'batchmean' | 'sum' | 'none';
  out?: Float64Array;
  /** Logarithm base of the loss (default e: nats). */
  base?: number;
  backend?: BackendName;
  /** Threads for this call (default: setThreads, else the machine's cores); see README, Threads. */
  threads?: number;
}

/** T^2 * KL(softmax(teacher / T) || softmax(student / T)) per row, fused. */
export function distillationLoss(studentLogits: FloatArray, teacherLogits: FloatArray,
  opts: DistillationOptions & { reduction?: 'batchmean' | 'sum' }): number;
/** T^2 * KL(softmax(teacher / T) || softmax(student / T)) per row (reduction 'none'), fused. */
export function distillationLoss(studentLogits: FloatArray, teacherLogits: FloatArray,
  opts: DistillationOptions & { reduction: 'none' }): Float64Array;
/** T^2 * KL(softmax(teacher / T) || softmax(student / T)), fused; the reduction is chosen at run time. */
export function distillationLoss(studentLogits: FloatArray, teacherLogits: FloatArray, opts: DistillationOptions): number | Float64Array;
export function distillationLoss(studentLogits: FloatArray, teacherLogits: FloatArray, opts: DistillationOptions): number | Float64Array {
  const fn = 'distillationLoss';
  const o = opts ?? ({} as DistillationOptions);
  const c = begin(fn, { per: 'rows', defaultReduction: 'batchmean', reductions: ['batchmean', 'sum', 'none'],
    keys: ['cols', 'temperature', 'reduction', 'out', 'base', 'backend', 'threads'] }, o, 'studentLogits', studentLogits, 'teacherLogits', teacherLogits);
  if (o.temperature === undefined) throw rangeError(fn, 'option temperature is required (a finite number > 0)');
  const invT = inverseTemperature(fn, o.temperature);
  return perRow(c, (r0, n, v) => {
    c.kernels.distill(rowsOf(c.p, r0, n, c.cols), rowsOf(c.q, r0, n, c.cols), n, c.cols, invT, v);
    toUnits(c, v); // the kernels return T^2 KL in nats (accurate for any T)
  }); // 'batchmean': sum / rows
}

/** One-hot targets as a Float32Array (rows x cols): onehot * (1 - s) + s / cols. */
export function oneHot(labels: Int32Array, cols: number, opts?: { smoothing?: number }): Float32Array {
  const fn = 'oneHot';
  checkOptions(fn, opts, ['smoothing']);
  const y = int32Arg(fn, 'labels', labels);
  positiveInteger(fn, 'cols', cols);
  const s = unitOption(fn, 'smoothing', opts?.smoothing);
  checkClassIndices(fn, 'labels', y, cols, NaN);
  const out = new Float32Array(y.length * cols).fill(s / cols);
  // Stryker disable next-line EqualityOperator: y[y.length] is undefined, so the extra write goes to index NaN (ignored)
  for (let r = 0; r < y.length; r++) out[r * cols + y[r]] = 1 - s + s / cols;
  return out;
}
