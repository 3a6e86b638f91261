// Synthetic data shared by the benchmarks and the demo: a seeded PRNG and batches of
// probability rows. Everything is deterministic for a given seed, so runs compare. Also the
// median every timing there reports.

import { rng } from '../test/support/data.js';

export { rng };
export type DType = 'float32' | 'float64';
export type FloatArray = Float32Array | Float64Array;

/** The median of the values (the mean of the middle two for an even count); the input is not reordered. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Standard normal draws (Box-Muller) from a uniform source. */
export function gaussian(uniform: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const t = 2 * Math.PI * uniform();
    spare = r * Math.sin(t);
    return r * Math.cos(t);
  };
}

function alloc(n: number, dtype: DType): FloatArray {
  return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
}

/**
 * rows x cols strictly positive values, each row normalised to sum 1 (in f64, then
 * stored in the requested type). Rows are Dirichlet(1) draws: -log(u) normalised.
 */
export function probabilityRows(rows: number, cols: number, dtype: DType = 'float32', seed = 1): FloatArray {
  const next = rng(seed);
  const out = alloc(rows * cols, dtype);
  const row = new Float64Array(cols);
  for (let r = 0, at = 0; r < rows; r++, at += cols) {
    let s = 0;
    for (let c = 0; c < cols; c++) {
      const v = -Math.log(next());
      row[c] = v;
      s += v;
    }
    const inv = 1 / s;
    for (let c = 0; c < cols; c++) out[at + c] = row[c] * inv;
  }
  return out;
}

/**
 * Classifier-like predictions: softmax of Gaussian logits with a random sharpness per row,
 * so some rows are confident and some close to uniform. Also returns the argmax labels.
 */
export function predictionRows(rows: number, cols: number, dtype: DType = 'float32', seed = 7): { p: FloatArray; labels: Int32Array } {
  const next = rng(seed);
  const normal = gaussian(next);
  const p = alloc(rows * cols, dtype);
  const labels = new Int32Array(rows);
  const z = new Float64Array(cols);
  for (let r = 0, at = 0; r < rows; r++, at += cols) {
    const sharpness = 0.3 + 3.5 * next();
    let max = -Infinity;
    let arg = 0;
    for (let c = 0; c < cols; c++) {
      z[c] = sharpness * normal();
      if (z[c] > max) { max = z[c]; arg = c; }
    }
    let s = 0;
    for (let c = 0; c < cols; c++) s += (z[c] = Math.exp(z[c] - max));
    for (let c = 0; c < cols; c++) p[at + c] = z[c] / s;
    labels[r] = arg;
  }
  return { p, labels };
}

/** Label-smoothed one-hot targets: (1 - s) on the label plus s / cols everywhere. */
export function smoothedTargets(labels: Int32Array, cols: number, smoothing = 0.1, dtype: DType = 'float32'): FloatArray {
  const t = alloc(labels.length * cols, dtype);
  t.fill(smoothing / cols);
  for (let r = 0; r < labels.length; r++) t[r * cols + labels[r]] += 1 - smoothing;
  return t;
}

/** rows x cols logits: seeded Gaussian draws times `scale` (default 3), so softmax rows range from flat to peaked. */
export function logitRows(rows: number, cols: number, dtype: DType = 'float32', seed = 11, scale = 3): FloatArray {
  const normal = gaussian(rng(seed));
  const out = alloc(rows * cols, dtype);
  for (let i = 0; i < out.length; i++) out[i] = scale * normal();
  return out;
}

/** One class index per row, uniform in [0, cols). */
export function classTargets(rows: number, cols: number, seed = 13): Int32Array {
  const next = rng(seed);
  const t = new Int32Array(rows);
  for (let r = 0; r < rows; r++) t[r] = Math.min(cols - 1, Math.floor(next() * cols));
  return t;
}
