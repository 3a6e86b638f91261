// Adversarial inputs: every awkward value (+-0, subnormals, 1e-38, huge, +-Infinity, NaN,
// negatives) mixed into random batches at random row lengths. Whatever the input, the
// three backends make the same decision (the same error, or none) and, with check: false,
// agree on the numbers: NaN where one gives NaN, the same Infinity, and otherwise close.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ik from '../src/index.js';
import { BACKENDS, useWasm } from './support/backends.js';
import { mismatch, tolFor, type Tol } from './support/assert.js';
import * as ref from './support/independent.js';

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

type Ref = (p: number[], q: number[], cols: number, T: Float32ArrayConstructor | Float64ArrayConstructor) => number[] | number;
const asArray = (v: number[] | number) => (typeof v === 'number' ? [v] : v);
/** The independent f64 reference of each entry of FUNCTIONS (inputs as the function sees them). */
const REFERENCES: Record<string, Ref> = {
  'entropy': (p, _q, cols) => ref.entropy(p, cols),
  'entropy normalize': (p, _q, cols) => ref.entropy(p, cols, { normalize: true }),
  'crossEntropy': (p, q, cols) => ref.crossEntropy(p, q, cols),
  'klDivergence': (p, q, cols) => ref.klDivergence(p, q, cols),
  'klDivergence logTarget': (p, q, cols, T) => ref.klDivergence(Array.from(new T(p).map(Math.log)), q, cols, { logTarget: true }),
  'jsDivergence': (p, q, cols) => ref.jsDivergence(p, q, cols),
  'surprisal': (p) => ref.surprisal(p),
  'binaryEntropy': (p) => ref.binaryEntropy(p),
  'mutualInformation': (p, _q, cols) => ref.mutualInformation(p, cols),
  'conditionalEntropy': (p, _q, cols) => ref.conditionalEntropy(p, cols),
  'softmaxEntropy': (p, _q, cols) => ref.softmaxEntropy(p, cols),
  'logSumExp': (p, _q, cols) => ref.logSumExp(p, cols),
  'softmax': (p, _q, cols) => ref.softmax(p, cols),
  'logSoftmax': (p, _q, cols) => ref.logSoftmax(p, cols),
  'softmaxCrossEntropy probabilities': (p, q, cols) => ref.softmaxCrossEntropy(p, q, cols, { reduction: 'none' }),
  'binaryCrossEntropy': (p, q, cols) => ref.binaryCrossEntropy(p, q, cols, { reduction: 'none' }),
  'binaryCrossEntropyWithLogits': (p, q, cols) => ref.binaryCrossEntropyWithLogits(p, q, cols, { reduction: 'none' }),
  'distillationLoss': (p, q, cols) => ref.distillationLoss(p, q, cols, { temperature: 1.5, reduction: 'none' }),
};

/** Inputs on which the reference is the truth to the documented bound: finite values, and none of the open issues' cases. */
function referenceApplies(name: string, p: ArrayLike<number>, q: ArrayLike<number>, f32: boolean): boolean {
  const all = [...Array.from(p), ...Array.from(q)];
  if (!all.every(Number.isFinite)) return false;
  // f32 values near the top of the range (products and sums overflow f32 by design)
  if (f32 && all.some((v) => Math.abs(v) > 1e15)) return false;
  // JSD of nearly equal rows and subnormal joint totals: known issues being fixed
  // binary losses: targets outside [0, 1] have no meaning to check against
  if (name.startsWith('binaryCrossEntropy') && !Array.from(q).every((v) => v >= 0 && v <= 1)) return false;
  if (name === 'jsDivergence' || name === 'mutualInformation' || name === 'conditionalEntropy') return all.every((v) => v === 0 || Math.abs(v) >= 1e-30);
  return true;
}

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
  // Two backends each within the documented bound of the truth differ by at most twice it
  // (was 20x: f32 2e-5); the comparison with the independent reference below holds the
  // documented bound itself.
  const tol: Tol = T === Float32Array ? { rel: 2e-6, abs: 2e-7 } : { rel: 2e-12, abs: 2e-14 };
  it.each(FUNCTIONS)('%s: the same error or none, and the same numbers', (_name, run) => {
    const cap = T === Float32Array && F32_PRODUCTS.has(_name) ? 1e15 : Infinity;
    const capped = (v: number) => (Math.abs(v) > cap && Number.isFinite(v) ? Math.sign(v) * cap : v);
    fc.assert(fc.property(batch(T === Float64Array), ([cols, a, b]) => {
      const p = new T(a.map(capped)), q = new T(b.map(capped));
      for (const check of [true, false]) {
        const results = BACKENDS.map((backend) => outcome(() => run(p, q, cols, backend, check)));
        const [js, scalar, simd] = results;
        // an error is a RangeError or TypeError whose message names the function called
        for (const r of results) {
          if (r.error !== undefined) {
            expect(r.error, `${_name} check ${check}`).toMatch(new RegExp(`^(RangeError|TypeError): ${_name.split(' ')[0]}: `));
          }
        }
        // with check on, every backend matches the independent reference at the documented bound
        if (check && js.values && referenceApplies(_name, p, q, T === Float32Array)) {
          const want = asArray(REFERENCES[_name](Array.from(p), Array.from(q), cols, T));
          for (const [b, r] of [['js', js], ['wasm-scalar', scalar], ['wasm-simd', simd]] as const) {
            expect(agree(r.values!, want, tolFor(p)), `${_name} ${b} ${r.values} vs reference ${want} on p=${Array.from(p)} q=${Array.from(q)} cols=${cols}`).toBe(true);
          }
        }
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
