// Measures of a joint table: rows index X, columns index Y; counts or probabilities,
// normalised by the table's total.
import type { BackendName, FloatArray } from '../types.js';
import { begin, temp } from './call.js';
import { probability, throwFirstInvalid } from '../validate.js';

export interface JointOptions {
  /** Number of Y values (columns); without it the table is a single row. */
  cols?: number;
  base?: number;
  check?: boolean;
  backend?: BackendName;
  /** Accepted for uniformity: joint tables run on one thread (their sums run across rows in one order). */
  threads?: number;
}

const ONE = { per: 'one', keys: ['cols', 'base', 'check', 'backend', 'threads'] } as const;

/** A table holding a negative or NaN value: the error, or NaN with check: false. */
function invalidTable(fn: string, joint: FloatArray, check: boolean): number {
  if (check) throwFirstInvalid(fn, [['joint', joint, probability]]);
  return NaN;
}

/** H(X, Y) = -sum (x/T) log(x/T) over the whole table. */
export function jointEntropy(joint: FloatArray, opts?: JointOptions): number {
  const c = begin('jointEntropy', ONE, opts, 'joint', joint);
  const h = temp(0, 1);
  const invalid = c.kernels.entropyNormalized(c.p, 1, c.p.length, c.scale, h);
  if (invalid) return invalidTable(c.fn, c.p, c.check);
  return h[0];
}

/** H(Y | X) = sum_x P(x) H(Y | X = x); rows with no mass contribute 0. */
export function conditionalEntropy(joint: FloatArray, opts?: JointOptions): number {
  const c = begin('conditionalEntropy', ONE, opts, 'joint', joint);
  const h = new Float64Array(c.rows);
  const sums = new Float64Array(c.rows);
  const invalid = c.kernels.entropyNormalized(c.p, c.rows, c.cols, c.scale, h, sums);
  if (invalid) return invalidTable(c.fn, c.p, c.check);
  let biggest = 0;
  for (let r = 0; r < c.rows; r++) biggest = Math.max(biggest, sums[r]);
  const lambda = scaleToOne(biggest); // subnormal sums weigh exactly once scaled
  let total = 0;
  let weighted = 0;
  for (let r = 0; r < c.rows; r++) {
    const s = sums[r] * lambda;
    total += s;
    if (s > 0) weighted += s * h[r];
  }
  return weighted / total; // total 0: NaN, as for any empty distribution
}

/**
 * I(X; Y) = sum (x/T) log(x T / (r c)), with r and c the row and column sums, summed as
 * terms that are never negative (Kernels.mutualInformationSum), so a nearly independent
 * table keeps its relative accuracy where H(X) + H(Y) - H(X,Y), or even the ratio form
 * x log(x T / (r c)), would cancel to rounding. Clipped at 0 all the same (as
 * scikit-learn's mutual_info_score is).
 */
export function mutualInformation(joint: FloatArray, opts?: JointOptions): number {
  const c = begin('mutualInformation', ONE, opts, 'joint', joint);
  const rowSums = new Float64Array(c.rows);
  const colSums = new Float64Array(c.cols);
  const invalid = c.kernels.marginals(c.p, c.rows, c.cols, rowSums, colSums);
  if (invalid) return invalidTable(c.fn, c.p, c.check);
  let total = 0;
  for (let r = 0; r < c.rows; r++) total += rowSums[r];
  if (!(total > 0 && total < Infinity)) return NaN;
  // The table scaled by a power of two to a total near 1 (exact): tiny or huge counts give
  // the same answer as the table of probabilities, never a subnormal product.
  const lambda = scaleToOne(total);
  total *= lambda;
  for (let r = 0; r < c.rows; r++) rowSums[r] *= lambda;
  for (let k = 0; k < c.cols; k++) colSums[k] *= lambda;
  const s = c.kernels.mutualInformationSum(c.p, c.rows, c.cols, rowSums, colSums, total, lambda);
  return Math.max(0, (s / total) * c.scale);
}

/** The power of two 2^k that brings x nearest to 1 (|k| <= 1000, so 2^k is normal); 1 for 0 or non-finite x. */
function scaleToOne(x: number): number {
  if (!(x > 0 && x < Infinity)) return 1;
  return 2 ** Math.max(-1000, Math.min(1000, -Math.round(Math.log2(x))));
}
