// Adversarial inputs: every awkward value (+-0, subnormals, 1e-38, huge, +-Infinity, NaN,
// negatives) mixed into random batches at random row lengths. Whatever the input, the
// three backends make the same decision (the same error, or none) and, with check: false,
// agree on the numbers: NaN where one gives NaN, the same Infinity, and otherwise close.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ik from '../src/index.js';
import { BACKENDS, useWasm } from './support/backends.js';
import { mismatch, type Tol } from './support/assert.js';

useWasm();

const AWKWARD = [0, -0, 1e-45, 1e-40, 1.1754943508222875e-38, 1e-30, 0.1, 0.5, 1, 3, 1e30, Infinity, -Infinity, NaN, -0.5, -1e-40];
const AWKWARD64 = [...AWKWARD, 5e-324, 1e-310, 2.2250738585072014e-308, 1e300, 1.7976931348623157e308];

const batch = (f64: boolean) => fc.record({ cols: fc.integer({ min: 1, max: 19 }), rows: fc.integer({ min: 1, max: 4 }), seed: fc.integer() })
  .chain(({ cols, rows }) => fc.tuple(
    fc.constant(cols),
    fc.array(fc.oneof({ weight: 3, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) }, { weight: 2, arbitrary: fc.constantFrom(...(f64 ? AWKWARD64 : AWKWARD)) }),
      { minLength: rows * cols, maxLength: rows * cols }),
    fc.array(fc.oneof({ weight: 3, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) }, { weight: 2, arbitrary: fc.constantFrom(...(f64 ? AWKWARD64 : AWKWARD)) }),
      { minLength: rows * cols, maxLength: rows * cols }),
  ));

type Run = (p: Float32Array | Float64Array, q: Float32Array | Float64Array, cols: number, backend: string, check: boolean) => unknown;
/**
 * Functions whose f32 arithmetic multiplies two inputs (a target by a logit, a weight by a
 * logit): there, as in PyTorch's f32, a product above 3.4e38 overflows to Infinity while the
 * f64 JS reference does not. Their f32 batches keep magnitudes at or below 1e15.
 */
const F32_PRODUCTS = new Set(['softmaxCrossEntropy probabilities', 'binaryCrossEntropyWithLogits', 'distillationLoss']);
const FUNCTIONS: [string, Run][] = [
  ['entropy', (p, _q, cols, b, check) => ik.entropy(p, { cols, backend: b as never, check })],
  ['entropy normalize', (p, _q, cols, b, check) => ik.entropy(p, { cols, normalize: true, backend: b as never, check })],
  ['crossEntropy', (p, q, cols, b, check) => ik.crossEntropy(p, q, { cols, backend: b as never, check })],
  ['klDivergence', (p, q, cols, b, check) => ik.klDivergence(p, q, { cols, backend: b as never, check })],
  ['klDivergence logTarget', (p, q, cols, b, check) => ik.klDivergence(p.map(Math.log), q, { cols, logTarget: true, backend: b as never, check })],
  ['jsDivergence', (p, q, cols, b, check) => ik.jsDivergence(p, q, { cols, backend: b as never, check })],
  ['surprisal', (p, _q, cols, b, check) => ik.surprisal(p, { cols, backend: b as never, check })],
  ['binaryEntropy', (p, _q, cols, b, check) => ik.binaryEntropy(p, { cols, backend: b as never, check })],
  ['mutualInformation', (p, _q, cols, b, check) => ik.mutualInformation(p, { cols, backend: b as never, check })],
  ['conditionalEntropy', (p, _q, cols, b, check) => ik.conditionalEntropy(p, { cols, backend: b as never, check })],
  ['softmaxEntropy', (p, _q, cols, b) => ik.softmaxEntropy(p, { cols, backend: b as never })],
  ['logSumExp', (p, _q, cols, b) => ik.logSumExp(p, { cols, backend: b as never })],
  ['softmax', (p, _q, cols, b) => ik.softmax(p, { cols, backend: b as never })],
  ['logSoftmax', (p, _q, cols, b) => ik.logSoftmax(p, { cols, backend: b as never })],
  ['softmaxCrossEntropy probabilities', (p, q, cols, b, check) => ik.softmaxCrossEntropy(p, q, { cols, reduction: 'none', backend: b as never, check })],
  ['binaryCrossEntropy', (p, q, cols, b, check) => ik.binaryCrossEntropy(p, q, { cols, reduction: 'none', backend: b as never, check })],
  ['binaryCrossEntropyWithLogits', (p, q, cols, b) => ik.binaryCrossEntropyWithLogits(p, q, { cols, reduction: 'none', backend: b as never })],
  ['distillationLoss', (p, q, cols, b) => ik.distillationLoss(p, q, { cols, temperature: 1.5, reduction: 'none', backend: b as never })],
];

function outcome(run: () => unknown): { error?: string; values?: number[] } {
  try {
    const v = run();
    return { values: typeof v === 'number' ? [v] : Array.from(v as ArrayLike<number>) };
  } catch (e) {
    return { error: `${(e as Error).constructor.name}: ${(e as Error).message}` };
  }
}

/** Agreement on awkward values: the same NaNs and infinities, otherwise close. */
function agree(a: number[], b: number[], tol: Tol): boolean {
  return a.length === b.length && a.every((x, i) => !mismatch(x, b[i], tol));
}

describe.each([['f32', Float32Array], ['f64', Float64Array]] as const)('%s', (_t, T) => {
  // The backends' f32 arithmetic differs from the JS reference's f64 by rounding; values
  // near the extremes (1e30 squared, subnormal ratios) can differ a little more.
  const tol: Tol = T === Float32Array ? { rel: 2e-5, abs: 1e-6 } : { rel: 1e-10, abs: 1e-12 };
  it.each(FUNCTIONS)('%s: the same error or none, and the same numbers', (_name, run) => {
    const cap = T === Float32Array && F32_PRODUCTS.has(_name) ? 1e15 : Infinity;
    const capped = (v: number) => (Math.abs(v) > cap && Number.isFinite(v) ? Math.sign(v) * cap : v);
    fc.assert(fc.property(batch(T === Float64Array), ([cols, a, b]) => {
      const p = new T(a.map(capped)), q = new T(b.map(capped));
      for (const check of [true, false]) {
        const results = BACKENDS.map((backend) => outcome(() => run(p, q, cols, backend, check)));
        const [js, scalar, simd] = results;
        expect(scalar.error, `${_name} check ${check}: wasm-scalar vs js`).toBe(js.error);
        expect(simd.error, `${_name} check ${check}: wasm-simd vs js`).toBe(js.error);
        if (js.values) {
          expect(agree(simd.values!, scalar.values!, { rel: 1e-12, abs: 1e-15 }), `${_name} simd ${simd.values} vs scalar ${scalar.values}`).toBe(true);
          expect(agree(simd.values!, js.values, tol), `${_name} simd ${simd.values} vs js ${js.values} on p=${Array.from(p)} q=${Array.from(q)} cols=${cols}`).toBe(true);
        }
      }
    }), { numRuns: 150, seed: 42 });
  });
});
