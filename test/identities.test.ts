// Values worked out by hand (API.md "Worked examples") and identities of information
// theory, on every backend, f32 and f64, including property tests over random inputs.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  entropy, crossEntropy, klDivergence, jsDivergence, surprisal, binaryEntropy,
  jointEntropy, conditionalEntropy, mutualInformation, gaussianEntropy,
} from '../src/index.js';
import { BACKENDS, useWasm } from './support/backends.js';
import { expectClose, F32, F64 } from './support/assert.js';
import * as independent from './support/independent.js';

useWasm();

const TYPES = [['f64', Float64Array, F64], ['f32', Float32Array, F32]] as const;

describe.each(BACKENDS)('worked examples on %s', (backend) => {
  describe.each(TYPES)('%s', (_t, T, tol) => {
    it('fair coin = 1 bit, always heads = 0, uniform over 8 = 3 bits, uniform over 4 = 2 bits', () => {
      expectClose(entropy(new T([0.5, 0.5]), { base: 2, backend }), [1], tol, 'coin');
      expectClose(entropy(new T([1, 0]), { base: 2, backend }), [0], tol, 'heads');
      expectClose(entropy(new T(8).fill(1 / 8), { base: 2, backend }), [3], tol, 'uniform 8');
      expectClose(entropy(new T(4).fill(1 / 4), { base: 2, backend }), [2], tol, 'uniform 4');
    });

    it('cross entropy against a one-hot target of class 2: -ln 0.85, ln 4, -ln 0.03', () => {
      const target = new T([0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0]);
      const pred = new T([0.05, 0.05, 0.85, 0.05, 0.25, 0.25, 0.25, 0.25, 0.9, 0.05, 0.03, 0.02]);
      const ce = crossEntropy(target, pred, { cols: 4, backend });
      expectClose(ce, [0.1625189294977749, 1.3862943611198906, 3.506557897319982], tol, 'ce');
      expect(ce[0]).toBeCloseTo(0.1625, 4);
      expect(ce[2]).toBeCloseTo(3.5066, 4);
      // for a one-hot target, cross entropy = KL divergence = surprisal of the true class
      expectClose(klDivergence(target, pred, { cols: 4, backend }), ce, tol, 'kl');
      expectClose(surprisal(new T([0.85]), { backend }), [ce[0]], tol, 'surprisal');
    });

    it('reductions, bases and conventions', () => {
      const p = new T([0.5, 0.5, 1, 0]);
      expectClose(entropy(p, { cols: 2, reduction: 'sum', backend }), Math.LN2, tol, 'sum');
      expectClose(entropy(p, { cols: 2, reduction: 'mean', backend }), Math.LN2 / 2, tol, 'mean');
      expectClose(entropy(new T([0.1, 0.9]), { base: 10, backend }), [-(0.1 * Math.log10(0.1) + 0.9 * Math.log10(0.9))], tol, 'base 10');
      // p > 0 where q = 0 gives Infinity; p = 0 where q = 0 gives 0 (0 log 0 = 0)
      expect(crossEntropy(new T([0.5, 0.5]), new T([1, 0]), { backend })[0]).toBe(Infinity);
      expect(klDivergence(new T([0.5, 0.5]), new T([1, 0]), { backend })[0]).toBe(Infinity);
      expectClose(klDivergence(new T([1, 0]), new T([1, 0]), { backend }), [0], tol, '0 log 0');
      expect(surprisal(new T([0]), { backend })[0]).toBe(Infinity);
      expectClose(binaryEntropy(new T([0, 0.5, 1]), { base: 2, backend }), [0, 1, 0], tol, 'binary');
      // an all-zero row has no distribution to normalise: NaN, as SciPy
      expect(entropy(new T([0, 0]), { normalize: true, backend })[0]).toBeNaN();
    });

    it('joint tables: a perfectly correlated 2x2 table shares 1 bit', () => {
      const t = new T([5, 0, 0, 5]);
      expectClose(mutualInformation(t, { cols: 2, base: 2, backend }), 1, tol, 'I');
      expectClose(jointEntropy(t, { cols: 2, base: 2, backend }), 1, tol, 'H(X,Y)');
      expectClose(conditionalEntropy(t, { cols: 2, base: 2, backend }), 0, tol, 'H(Y|X)');
      const indep = new T([1, 2, 3, 2, 4, 6]); // rows proportional: X independent of Y
      expectClose(mutualInformation(indep, { cols: 3, backend }), 0, tol, 'independent');
    });
  });
});

it('gaussian entropy: 0.5 ln(2 pi e) for sigma = 1, + ln sigma', () => {
  expect(gaussianEntropy(1)).toBeCloseTo(1.4189385332046727, 14);
  expect(gaussianEntropy(2) - gaussianEntropy(1)).toBeCloseTo(Math.LN2, 14);
  expect(gaussianEntropy(1, { base: 2 })).toBeCloseTo(1.4189385332046727 / Math.LN2, 14);
  expect(Array.from(gaussianEntropy(new Float64Array([1, Math.E])))).toEqual([gaussianEntropy(1), gaussianEntropy(1) + 1]);
});

// ---------------------------------------------------------------- properties
/** Arbitrary rows x cols of distributions, with zeros, as f64 values. */
const distributions = (minCols = 1, maxCols = 40) =>
  fc.record({ rows: fc.integer({ min: 1, max: 6 }), cols: fc.integer({ min: minCols, max: maxCols }) }).chain(({ rows, cols }) =>
    fc.tuple(
      fc.constant(cols),
      fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 1, noNaN: true })), { minLength: rows * cols, maxLength: rows * cols }),
      fc.array(fc.double({ min: 1e-6, max: 1, noNaN: true }), { minLength: rows * cols, maxLength: rows * cols }),
    ));

function normalise(values: number[], cols: number): number[] {
  const out = values.slice();
  for (let o = 0; o < out.length; o += cols) {
    let s = 0;
    for (let i = o; i < o + cols; i++) s += out[i];
    if (s === 0) out[o] = s = 1; // an all-zero row becomes a point mass
    for (let i = o; i < o + cols; i++) out[i] /= s;
  }
  return out;
}

const RUNS = { numRuns: 60, seed: 20261123 };

describe.each(BACKENDS)('identities on %s', (backend) => {
  describe.each(TYPES)('%s', (_t, T) => {
    // f32 rows do not sum to exactly 1 after rounding; identities hold to f32 precision.
    const slack = T === Float32Array ? 2e-6 : 1e-12;

    it('H(p,q) = H(p) + D(p||q); D(p||p) = 0; D >= 0; H <= log cols', () => {
      fc.assert(fc.property(distributions(), ([cols, a, b]) => {
        const p = new T(normalise(a, cols)), q = new T(normalise(b, cols));
        const h = entropy(p, { cols, backend }), ce = crossEntropy(p, q, { cols, backend });
        const d = klDivergence(p, q, { cols, backend });
        const self = klDivergence(p, p, { cols, backend });
        for (let r = 0; r < h.length; r++) {
          expect(Math.abs(ce[r] - (h[r] + d[r]))).toBeLessThanOrEqual(slack * (1 + ce[r]));
          expect(self[r]).toBe(0);
          expect(d[r]).toBeGreaterThanOrEqual(-slack);
          expect(h[r]).toBeLessThanOrEqual(Math.log(cols) + slack);
          expect(h[r]).toBeGreaterThanOrEqual(0);
        }
      }), RUNS);
    });

    it('0 <= JSD <= ln 2, symmetric, 0 on equal rows', () => {
      fc.assert(fc.property(distributions(), ([cols, a, b]) => {
        const p = new T(normalise(a, cols)), q = new T(normalise(b, cols));
        const pq = jsDivergence(p, q, { cols, backend }), qp = jsDivergence(q, p, { cols, backend });
        const pp = jsDivergence(p, p, { cols, backend });
        for (let r = 0; r < pq.length; r++) {
          expect(pq[r]).toBeGreaterThanOrEqual(-slack);
          expect(pq[r]).toBeLessThanOrEqual(Math.LN2 + slack);
          expect(Math.abs(pq[r] - qp[r])).toBeLessThanOrEqual(slack);
          expect(pp[r]).toBe(0);
        }
      }), RUNS);
    });

    it('surprisal averages to entropy; binary entropy = entropy of [p, 1-p]', () => {
      fc.assert(fc.property(distributions(2, 30), ([cols, a]) => {
        const p = new T(normalise(a, cols).slice(0, cols));
        const s = surprisal(p, { backend });
        let mean = 0;
        for (let i = 0; i < cols; i++) if (p[i] > 0) mean += p[i] * s[i];
        expect(Math.abs(mean - entropy(p, { backend })[0])).toBeLessThanOrEqual(slack * (1 + mean));
        const b = binaryEntropy(p, { backend });
        const pairs = new T(2 * cols);
        for (let i = 0; i < cols; i++) { pairs[2 * i] = p[i]; pairs[2 * i + 1] = 1 - p[i]; }
        expectClose(b, entropy(pairs, { cols: 2, backend }), { rel: slack, abs: slack }, 'binary');
      }), RUNS);
    });

    it('I(X;Y) = H(X) + H(Y) - H(X,Y) >= 0; H(Y|X) = H(X,Y) - H(X) <= H(Y): each side against an independent reference', () => {
      const tol = T === Float32Array ? F32 : F64;
      fc.assert(fc.property(distributions(1, 12), ([cols, , b]) => {
        const t = new T(b.map((v) => v * 100)); // counts-like, strictly positive
        const x = Array.from(t);
        const rows = t.length / cols;
        const rowSums = new Float64Array(rows), colSums = new Float64Array(cols);
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) { rowSums[r] += x[r * cols + c]; colSums[c] += x[r * cols + c]; }
        // the marginals' entropies from the reference (f64 sums, exact inputs), the three
        // measures from the package, each at the documented bound
        const hx = independent.entropy(rowSums, rows, { normalize: true })[0];
        const hy = independent.entropy(colSums, cols, { normalize: true })[0];
        const hxy = jointEntropy(t, { cols, backend });
        const i = mutualInformation(t, { cols, backend });
        const hyx = conditionalEntropy(t, { cols, backend });
        expectClose(hxy, independent.jointEntropy(x, cols), tol, 'H(X,Y)');
        expectClose(i, independent.mutualInformation(x, cols), tol, 'I(X;Y)');
        expectClose(hyx, independent.conditionalEntropy(x, cols), tol, 'H(Y|X)');
        // the identities, on the package's values; slack: the three bounds added up
        const slack3 = 3 * Math.max(tol.rel * (1 + hxy), tol.abs);
        expect(i).toBeGreaterThanOrEqual(0);
        expect(Math.abs(i - (hx + hy - hxy))).toBeLessThanOrEqual(slack3 + tol.rel * (hx + hy));
        expect(Math.abs(hyx - (hxy - hx))).toBeLessThanOrEqual(slack3 + tol.rel * hx);
        expect(hyx).toBeLessThanOrEqual(hy + slack3);
      }), RUNS);
    });
  });
});
