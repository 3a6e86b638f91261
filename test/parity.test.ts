// WASM-SIMD vs WASM-scalar vs JS on awkward batches (zeros, 1e-38, subnormals, peaked
// rows) and odd row lengths, every function, and each against an independent f64
// reference: f32 rows within 1e-6 relative (or 1e-7 absolute), f64 within 1e-12.
import { describe, expect, it } from 'vitest';
import * as ik from '../src/index.js';
import type { FloatArray } from '../src/index.js';
import { batch, positiveBatch, type Kind } from './support/data.js';
import { expectClose, tolFor, type Tol } from './support/assert.js';
import * as ref from './support/reference.js';
import * as independent from './support/independent.js';
import { BACKENDS, useWasm } from './support/backends.js';

useWasm();

const COLS = [1, 3, 7, 10, 1000, 1023];
const KINDS: Kind[] = ['uniform', 'sparse', 'tiny', 'peaked'];
const TYPES = [['f32', Float32Array], ['f64', Float64Array]] as const;
/** The SIMD and scalar builds compute the same terms; only the order of the f64 sums differs. */
const SAME_TERMS: Tol = { rel: 1e-12, abs: 1e-15 };

type Case = { name: string; run: (backend: string) => Float64Array | number; expected: ArrayLike<number> | number; tol?: Tol };

function casesFor(p: FloatArray, q: FloatArray, cols: number): Case[] {
  const lp = p.map(Math.log) as FloatArray;
  const counts = p.map((v) => v * 1000) as FloatArray;
  const joint = ref.jointRefs(counts, cols);
  return [
    { name: 'entropy', run: (b) => ik.entropy(p, { cols, backend: b as never }), expected: ref.entropyRef(p, cols) },
    { name: 'entropy normalize', run: (b) => ik.entropy(counts, { cols, normalize: true, backend: b as never }), expected: ref.entropyRef(counts, cols, true) },
    { name: 'crossEntropy', run: (b) => ik.crossEntropy(p, q, { cols, backend: b as never }), expected: ref.crossEntropyRef(p, q, cols) },
    { name: 'crossEntropy q with zeros', run: (b) => ik.crossEntropy(q, p, { cols, backend: b as never }), expected: ref.crossEntropyRef(q, p, cols) },
    { name: 'klDivergence', run: (b) => ik.klDivergence(p, q, { cols, backend: b as never }), expected: ref.klRef(p, q, cols) },
    { name: 'klDivergence q with zeros', run: (b) => ik.klDivergence(q, p, { cols, backend: b as never }), expected: ref.klRef(q, p, cols) },
    { name: 'klDivergence logTarget', run: (b) => ik.klDivergence(lp, q, { cols, logTarget: true, backend: b as never }), expected: ref.klLogTargetRef(lp, q, cols) },
    { name: 'jsDivergence', run: (b) => ik.jsDivergence(p, q, { cols, backend: b as never }), expected: ref.jsRef(p, q, cols) },
    { name: 'surprisal', run: (b) => ik.surprisal(p, { cols, backend: b as never }), expected: Array.from(p, (v) => -Math.log(v)) },
    { name: 'binaryEntropy', run: (b) => ik.binaryEntropy(p, { cols, backend: b as never }), expected: ref.binaryEntropyRef(p) },
    { name: 'jointEntropy', run: (b) => ik.jointEntropy(counts, { cols, backend: b as never }), expected: joint.hxy },
    // H(Y|X) from its definition (test/support/independent.ts), not H(X,Y) - H(X), which cancels
    { name: 'conditionalEntropy', run: (b) => ik.conditionalEntropy(counts, { cols, backend: b as never }), expected: independent.conditionalEntropy(Array.from(counts), cols) },
    { name: 'mutualInformation', run: (b) => ik.mutualInformation(counts, { cols, backend: b as never }), expected: independent.mutualInformation(Array.from(counts), cols) }, // the ratio form: H(X)+H(Y)-H(X,Y) leaves 1e-13 of rounding where I = 0
  ];
}

describe.each(TYPES)('%s', (_t, T) => {
  describe.each(KINDS)('%s rows', (kind) => {
    describe.each(COLS)('cols = %i', (cols) => {
      const rows = Math.max(2, Math.min(40, Math.floor(20000 / cols)));
      const p = batch(T, rows, cols, kind, cols);
      const q = positiveBatch(T, rows, cols, cols + 1);
      for (const c of casesFor(p, q, cols)) {
        it(c.name, () => {
          const results = Object.fromEntries(BACKENDS.map((b) => [b, c.run(b)]));
          const tol = c.tol ?? tolFor(p);
          for (const b of BACKENDS) expectClose(results[b], c.expected, tol, `${c.name} ${b} vs f64 reference`);
          expectClose(results['wasm-simd'], results['wasm-scalar'], SAME_TERMS, `${c.name} simd vs scalar`);
          if (T === Float64Array) expectClose(results['wasm-simd'], results.js, { rel: 1e-12, abs: 1e-14 }, `${c.name} simd vs js`);
        });
      }
    });
  });
});

it('mostUncertain agrees across backends and with a sort of the reference entropies', () => {
  const p = batch(Float32Array, 500, 7, 'sparse', 9);
  const h = ref.entropyRef(p, 7);
  const order = h.map((v, i) => [v, i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, 25).map((x) => x[1]);
  for (const b of BACKENDS) expect(Array.from(ik.mostUncertain(p, { cols: 7, k: 25, backend: b }))).toEqual(order);
});
