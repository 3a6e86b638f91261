// The pure-JS backend: the readable reference of every formula, in f64 with Math.log
// whatever the input type. It runs where WebAssembly does not, and the tests hold the
// WASM builds to it.
import type { FloatArray } from '../types.js';
import type { Kernels } from './kernels.js';

const bad = (v: number) => !(v >= 0); // negative or NaN

/** p log(p/q) for p > 0, as a ratio while the ratio is a normal number. */
function pLogRatio(p: number, q: number): number {
  const r = p / q;
  if (r > 2.2250738585072014e-308 && r < Infinity) return p * Math.log(r);
  return p * (Math.log(p) - Math.log(q)); // ratio over/underflowed, or q = 0 (+Infinity)
}

export const jsKernels: Kernels = {
  name: 'js',

  entropy(p, rows, cols, scale, out) {
    let invalid = false;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let s = 0;
      for (let i = o; i < o + cols; i++) {
        const v = p[i];
        if (bad(v)) invalid = true;
        if (v !== 0) s -= v * Math.log(v);
      }
      out[r] = s * scale;
    }
    return invalid;
  },

  entropyNormalized(p, rows, cols, scale, out, sums) {
    let invalid = false;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let total = 0;
      for (let i = o; i < o + cols; i++) total += p[i];
      if (sums) sums[r] = total;
      let s = 0;
      for (let i = o; i < o + cols; i++) {
        const v = p[i];
        if (bad(v)) invalid = true;
        const y = v / total;
        if (y !== 0) s -= y * Math.log(y); // y may underflow to 0: y log y -> 0
      }
      out[r] = total === 0 ? NaN : s * scale; // nothing to normalise: 0/0, as SciPy
    }
    return invalid;
  },

  crossEntropy(p, q, rows, cols, scale, out) {
    let invalid = false;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let s = 0;
      for (let i = o; i < o + cols; i++) {
        const a = p[i], b = q[i];
        if (bad(a) || bad(b)) invalid = true;
        if (a !== 0) s -= a * Math.log(b);
      }
      out[r] = s * scale;
    }
    return invalid;
  },

  klDivergence(p, q, rows, cols, scale, out) {
    let invalid = false;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let s = 0;
      for (let i = o; i < o + cols; i++) {
        const a = p[i], b = q[i];
        if (bad(a) || bad(b)) invalid = true;
        if (a !== 0) s += pLogRatio(a, b);
      }
      out[r] = s * scale;
    }
    return invalid;
  },

  klDivergenceLogTarget(lp, q, rows, cols, scale, out) {
    let invalid = false;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let s = 0;
      for (let i = o; i < o + cols; i++) {
        const l = lp[i], b = q[i];
        if (Number.isNaN(l) || bad(b)) invalid = true;
        if (l !== -Infinity) s += Math.exp(l) * (l - Math.log(b));
      }
      out[r] = s * scale;
    }
    return invalid;
  },

  jsDivergence(p, q, rows, cols, scale, out) {
    let invalid = false;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let s = 0;
      for (let i = o; i < o + cols; i++) {
        const a = p[i], b = q[i];
        if (bad(a) || bad(b)) invalid = true;
        const m = 0.5 * a + 0.5 * b;
        if (a !== 0) s += pLogRatio(a, m);
        if (b !== 0) s += pLogRatio(b, m);
      }
      out[r] = 0.5 * s * scale;
    }
    return invalid;
  },

  surprisal(p, scale, out) {
    let invalid = false;
    for (let i = 0; i < p.length; i++) {
      const v = p[i];
      if (bad(v)) invalid = true;
      out[i] = -Math.log(v) * scale;
    }
    return invalid;
  },

  binaryEntropy(p, scale, out) {
    let invalid = false;
    for (let i = 0; i < p.length; i++) {
      const v = p[i];
      if (!(v >= 0 && v <= 1)) invalid = true;
      let s = 0;
      if (v !== 0) s -= v * Math.log(v);
      if (v !== 1) s -= (1 - v) * Math.log1p(-v);
      out[i] = s * scale;
    }
    return invalid;
  },

  marginals(x, rows, cols, rowSums, colSums) {
    let invalid = false;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let s = 0;
      for (let c = 0; c < cols; c++) {
        const v = x[o + c];
        if (bad(v)) invalid = true;
        s += v;
        colSums[c] += v;
      }
      rowSums[r] = s;
    }
    return invalid;
  },

  mutualInformationSum(x: FloatArray, rows, cols, rowScale, colScale) {
    let s = 0;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      const a = rowScale[r];
      for (let c = 0; c < cols; c++) {
        const v = x[o + c];
        if (v === 0) continue;
        const ratio = v * a * colScale[c];
        s += v * (ratio > 0 && ratio < Infinity ? Math.log(ratio) : Math.log(v) + Math.log(a) + Math.log(colScale[c]));
      }
    }
    return s;
  },
};
