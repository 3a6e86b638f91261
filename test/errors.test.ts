// Every error of API.md's Errors section: the class, and a message naming the function,
// the argument and the first offending index and value. Value errors come from the
// kernels' same-pass checks, so they are tested on every backend.
import { describe, expect, it } from 'vitest';
import * as ik from '../src/index.js';
import { BACKENDS, useWasm } from './support/backends.js';
import { expectThrows } from './support/assert.js';

useWasm();

const f64 = (...v: number[]) => new Float64Array(v);
const f32 = (...v: number[]) => new Float32Array(v);

describe.each(BACKENDS)('value checks on %s', (backend) => {
  it('a negative or NaN probability is a RangeError naming the function, argument, first index and value', () => {
    expect(() => ik.entropy(f64(0.5, -0.25, 0.75, -1), { backend })).toThrow(new RangeError(
      'entropy: p[1] = -0.25 is negative; probabilities must be >= 0 (check: false skips this scan)'));
    expectThrows(() => ik.entropy(f32(0.5, NaN), { backend }), RangeError, /^entropy: p\[1\] = NaN is NaN/);
    expectThrows(() => ik.crossEntropy(f64(0.5, 0.5), f64(0.5, -0.5), { backend }), RangeError, /^crossEntropy: q\[1\] = -0\.5 is negative/);
    expectThrows(() => ik.klDivergence(f32(-1, 2), f32(0.5, 0.5), { backend }), RangeError, /^klDivergence: p\[0\] = -1 is negative/);
    expectThrows(() => ik.klDivergence(f64(0, 1), f64(NaN, 1), { backend }), RangeError, /^klDivergence: q\[0\] = NaN/);
    expectThrows(() => ik.jsDivergence(f64(0.5, 0.5), f64(0.5, NaN), { cols: 2, backend }), RangeError, /^jsDivergence: q\[1\] = NaN/);
    expectThrows(() => ik.surprisal(f32(0.5, 0.25, -0.5), { backend }), RangeError, /^surprisal: p\[2\] = -0\.5 is negative/);
    expectThrows(() => ik.entropy(f64(1, 1, 2, -3), { normalize: true, cols: 2, backend }), RangeError, /^entropy: p\[3\] = -3/);
    expectThrows(() => ik.mutualInformation(f64(1, 2, 3, -4), { cols: 2, backend }), RangeError, /^mutualInformation: joint\[3\] = -4/);
    expectThrows(() => ik.jointEntropy(f32(1, NaN), { backend }), RangeError, /^jointEntropy: joint\[1\] = NaN/);
    expectThrows(() => ik.conditionalEntropy(f32(1, -2), { backend }), RangeError, /^conditionalEntropy: joint\[1\] = -2/);
    expectThrows(() => ik.mostUncertain(f32(0.5, -0.5), { cols: 2, k: 1, backend }), RangeError, /^mostUncertain: p\[1\] = -0\.5/);
  });

  it('checks every element, including vector tails and values hidden among zeros', () => {
    for (const cols of [1, 3, 4, 5, 8, 1023]) {
      for (const at of [0, cols - 1]) {
        const p = new Float32Array(3 * cols);
        p[cols + at] = -(2 ** -100); // tiny, and exact in f32
        expect(() => ik.entropy(p, { cols, backend }), `cols ${cols} at ${at}`).toThrow(`entropy: p[${cols + at}] = ${-(2 ** -100)}`);
      }
    }
  });

  it('log-probabilities may be negative but not NaN; binary probabilities must lie in [0, 1]', () => {
    expect(ik.klDivergence(f64(Math.log(0.5), Math.log(0.5)), f64(0.5, 0.5), { logTarget: true, backend })[0]).toBe(0);
    expectThrows(() => ik.klDivergence(f64(NaN, 0), f64(0.5, 0.5), { logTarget: true, backend }), RangeError, /^klDivergence: p\[0\] = NaN is NaN; log-probabilities/);
    expectThrows(() => ik.binaryEntropy(f64(0.5, 1.5), { backend }), RangeError, /^binaryEntropy: p\[1\] = 1\.5 is not a probability in \[0, 1\]/);
  });

  it('check: false skips the value scan: no throw, no crash, NaN where the math says so', () => {
    expect(ik.entropy(f64(0.5, -0.5), { check: false, backend })[0]).toBeNaN();
    expect(ik.surprisal(f32(-1), { check: false, backend })[0]).toBeNaN();
    // the next call is unaffected
    expect(ik.entropy(f64(0.5, 0.5), { base: 2, backend })[0]).toBeCloseTo(1, 12);
  });
});

describe('shape and option errors (always checked)', () => {
  it('a length that is not a multiple of cols', () => {
    expect(() => ik.entropy(f64(0.5, 0.5, 1), { cols: 2 })).toThrow(new RangeError('entropy: p has length 3, which is not a multiple of cols = 2'));
    expectThrows(() => ik.entropy(f64(1), { cols: 0 }), RangeError, /^entropy: option cols = 0 must be a positive integer/);
    expect(() => ik.entropy(f64(1), { cols: 1.5 })).toThrow(RangeError);
  });

  it('mismatched lengths or element types of p and q', () => {
    expect(() => ik.crossEntropy(f64(0.5, 0.5), f64(1))).toThrow(new RangeError('crossEntropy: q has length 1 but p has length 2; they must match'));
    expect(() => ik.klDivergence(f64(0.5, 0.5), f32(0.5, 0.5))).toThrow(TypeError);
  });

  it('base <= 0 or base == 1', () => {
    for (const base of [0, -2, 1, NaN, Infinity]) {
      expect(() => ik.entropy(f64(1), { base })).toThrow(RangeError);
    }
    expect(() => ik.entropy(f64(1), { base: 1 })).toThrow('entropy: option base = 1 must be a finite number > 0 and != 1');
  });

  it('an input that is not a Float32Array / Float64Array is a TypeError', () => {
    expect(() => ik.entropy([0.5, 0.5] as never)).toThrow(new TypeError('entropy: p must be a Float32Array or Float64Array, got Array'));
    expectThrows(() => ik.crossEntropy(f64(1), new Int32Array(1) as never), TypeError, /^crossEntropy: q must be a Float32Array or Float64Array, got Int32Array/);
    expect(() => ik.mutualInformation(undefined as never)).toThrow(TypeError);
  });

  it('reduction, out, k, sigma, backend', () => {
    expectThrows(() => ik.entropy(f64(1), { reduction: 'avg' as never }), RangeError, /^entropy: option reduction = "avg" must be one of 'none', 'sum', 'mean'/);
    expectThrows(() => ik.entropy(f64(1, 0), { cols: 1, out: new Float64Array(1) }), RangeError, /^entropy: out has length 1 but the result has 2 values/);
    expect(() => ik.entropy(f64(1), { out: new Float32Array(1) as never })).toThrow(TypeError);
    expectThrows(() => ik.entropy(f64(1), { out: new Float64Array(1), reduction: 'sum' }), RangeError, /^entropy: option out = "Float64Array" is only used with reduction 'none'/);
    expectThrows(() => ik.mostUncertain(f64(1, 0), { cols: 1, k: 3 }), RangeError, /^mostUncertain: option k = 3 must be an integer in \[0, 2\]/);
    for (const [k, shown] of [[-1, '-1'], [1.5, '1.5'], ['1', '"1"'], [NaN, 'NaN']] as const) {
      expectThrows(() => ik.mostUncertain(f64(1, 0), { cols: 1, k: k as number }), RangeError, new RegExp(`^mostUncertain: option k = ${shown} must be an integer in \\[0, 2\\]`));
    }
    // the argument is named p in mostUncertain's own shape and type errors
    expectThrows(() => ik.mostUncertain(f64(1, 0, 1), { cols: 2, k: 1 }), RangeError, /^mostUncertain: p has length 3, which is not a multiple of cols = 2/);
    expectThrows(() => ik.mostUncertain([0.5, 0.5] as never, { cols: 2, k: 1 }), TypeError, /^mostUncertain: p must be a Float32Array or Float64Array, got Array/);
    expectThrows(() => ik.gaussianEntropy(0), RangeError, /^gaussianEntropy: sigma = 0 must be > 0/);
    expectThrows(() => ik.gaussianEntropy(f64(1, -1)), RangeError, /^gaussianEntropy: sigma\[1\] = -1 must be > 0/);
    expectThrows(() => ik.entropy(f64(1), { backend: 'gpu' as never }), RangeError, /^entropy: backend "gpu" is unknown/);
  });
});

describe('logits and labels errors', () => {
  const z = f32(1, 2, 3, 4, 5, 6);
  it('a class index outside [0, cols) that is not ignoreIndex is a RangeError naming index and value, whatever check says', () => {
    expect(() => ik.softmaxCrossEntropy(z, new Int32Array([0, 3]), { cols: 3 })).toThrow(new RangeError(
      'softmaxCrossEntropy: target[1] = 3 is not a class index in [0, 3) nor ignoreIndex (-100)'));
    expectThrows(() => ik.softmaxCrossEntropy(z, new Int32Array([-1, 0]), { cols: 3, check: false }), RangeError, /^softmaxCrossEntropy: target\[0\] = -1/);
    expect(ik.softmaxCrossEntropy(z, new Int32Array([-1, 0]), { cols: 3, ignoreIndex: -1 })).toBeGreaterThan(0);
    expectThrows(() => ik.nllLoss(z, new Int32Array([0, 7]), { cols: 3 }), RangeError, /^nllLoss: target\[1\] = 7/);
    expectThrows(() => ik.oneHot(new Int32Array([4]), 4), RangeError, /^oneHot: labels\[0\] = 4 is not a class index in \[0, 4\)$/); // oneHot has no ignoreIndex to name
    expect(() => ik.perplexity(z, new Int32Array([0, 9]), { cols: 3 })).toThrow(RangeError);
  });

  it('temperature <= 0, labelSmoothing outside [0, 1], beta not finite', () => {
    for (const temperature of [0, -1, NaN, Infinity]) {
      expect(() => ik.softmax(z, { cols: 3, temperature })).toThrow(RangeError);
      expectThrows(() => ik.softmaxEntropy(z, { cols: 3, temperature }), RangeError, /^softmaxEntropy: option temperature/);
      expectThrows(() => ik.distillationLoss(z, z, { cols: 3, temperature }), RangeError, /^distillationLoss: option temperature/);
    }
    expectThrows(() => ik.distillationLoss(z, z, { cols: 3 } as never), RangeError, /^distillationLoss: option temperature is required/);
    for (const labelSmoothing of [-0.1, 1.5, NaN]) {
      expectThrows(() => ik.softmaxCrossEntropy(z, new Int32Array([0, 1]), { cols: 3, labelSmoothing }), RangeError, /^softmaxCrossEntropy: option labelSmoothing = .* must be a number in \[0, 1\]/);
    }
    expect(() => ik.oneHot(new Int32Array([0]), 2, { smoothing: 2 })).toThrow(RangeError);
    for (const beta of [NaN, Infinity, undefined]) {
      expectThrows(() => ik.entropyRegularizedLoss(z, new Int32Array([0, 1]), { cols: 3, beta } as never), RangeError, /^entropyRegularizedLoss: option beta/);
    }
  });

  it('shape mismatches: targets, weights, posWeight', () => {
    expectThrows(() => ik.softmaxCrossEntropy(z, new Int32Array([0]), { cols: 3 }), RangeError, /^softmaxCrossEntropy: target has 1 class indices but logits has 2 rows/);
    expectThrows(() => ik.softmaxCrossEntropy(z, f32(1, 0, 0), { cols: 3 }), RangeError, /^softmaxCrossEntropy: target has length 3 but logits has length 6/);
    expectThrows(() => ik.softmaxCrossEntropy(z, new Int32Array([0, 1]), { cols: 3, weight: f32(1, 1) }), RangeError, /^softmaxCrossEntropy: weight has length 2 but there are 3 classes/);
    expectThrows(() => ik.binaryCrossEntropyWithLogits(z, z, { cols: 3, posWeight: f32(1, 2) }), RangeError, /^binaryCrossEntropyWithLogits: posWeight has length 2; it needs one value per element \(6\) or per class \(cols = 3\)/);
    expect(() => ik.distillationLoss(z, f32(1, 2), { cols: 3, temperature: 1 })).toThrow(RangeError);
  });

  it('type errors: labels must be Int32Array, targets a typed array of the logits type', () => {
    expect(() => ik.nllLoss(z, [0, 1] as never, { cols: 3 })).toThrow(new TypeError('nllLoss: target must be an Int32Array, got Array'));
    expect(() => ik.softmaxCrossEntropy(z, [0, 1] as never, { cols: 3 })).toThrow(TypeError);
    expect(() => ik.softmaxCrossEntropy(z, new Float64Array(6), { cols: 3 })).toThrow(TypeError);
    expectThrows(() => ik.softmax(z, { cols: 3, out: new Float64Array(6) as never }), TypeError, /^softmax: out must be a Float32Array like x/);
  });

  describe.each(BACKENDS)('value checks on %s', (backend) => {
    it('BCE probabilities outside [0, 1]; negative or NaN probability targets', () => {
      expectThrows(() => ik.binaryCrossEntropy(f32(0.5, 1.5), f32(1, 0), { backend }), RangeError, /^binaryCrossEntropy: prob\[1\] = 1\.5 is not a probability in \[0, 1\]/);
      expectThrows(() => ik.softmaxCrossEntropy(z, f32(0.5, 0.5, 0, 1, NaN, 0), { cols: 3, backend }), RangeError, /^softmaxCrossEntropy: target\[4\] = NaN/);
      // check: false skips the scan; the row with the negative target is NaN (and so the
      // mean), the other row is its loss: lse(1, 2, 3) - (0.5 * 1 + 0.5 * 2) = 3 + log(1 + e^-1 + e^-2) - 1.5
      const unchecked = f32(0.5, 0.5, 0, 1, -1, 1);
      expect(ik.softmaxCrossEntropy(z, unchecked, { cols: 3, check: false, backend })).toBeNaN();
      const rows = ik.softmaxCrossEntropy(z, unchecked, { cols: 3, check: false, reduction: 'none', backend }) as Float64Array;
      const want = 3 + Math.log(1 + Math.exp(-1) + Math.exp(-2)) - 1.5;
      expect(Math.abs(rows[0] - want)).toBeLessThanOrEqual(1e-6 * want);
      expect(rows[1]).toBeNaN();
    });
  });
});
