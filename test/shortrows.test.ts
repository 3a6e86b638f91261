// The short-row kernels (assembly/kernels/shortrows.ts: rows of 2 to 32 logits, 4 f32 or
// 2 f64 rows per vector step) on every width from 1 to 33, against the independent f64
// references and against the JS backend: random rows, row counts that are not a multiple
// of 4, special values (NaN, +-Infinity, huge) in every lane position, confident rows,
// ties in the maximum, class weights, ignoreIndex, label smoothing and temperatures.
import { describe, expect, it } from 'vitest';
import * as ik from '../src/index.js';
import { F32, F64, mismatch, type Tol } from './support/assert.js';
import { useWasm } from './support/backends.js';
import { rng } from './support/data.js';
import * as independent from './support/independent.js';

useWasm();

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const WIDTHS = Array.from({ length: 33 }, (_, i) => i + 1);

/** Rows of logits: random scales, confident rows, ties in the maximum, equal rows. */
function logits(Type: Ctor, rows: number, cols: number, seed: number): Float32Array | Float64Array {
  const r = rng(seed);
  const x = new Type(rows * cols);
  for (let i = 0; i < rows; i++) {
    const kind = i % 7;
    const scale = [1, 5, 30, 0.01, 1, 200, 1][kind];
    for (let j = 0; j < cols; j++) x[i * cols + j] = (r() * 2 - 1) * scale;
    const at = (j: number) => i * cols + (j % cols);
    if (kind === 1) { x[at(0)] = 100; for (let j = 1; j < cols; j++) x[at(j)] = 0; } // confident: [100, 0, ...]
    if (kind === 4) { x[at(1)] = 7.5; x[at(cols - 1)] = 7.5; } // a tie in the maximum
    if (kind === 6) x.fill(i % 3 - 1, i * cols, (i + 1) * cols); // all equal
    if (kind === 2 && cols > 2) x[at(i)] = 45; // one clear maximum, moving column
  }
  return x;
}

/** Rows with special values: one per (lane position, kind), at a column that moves. */
function specials(Type: Ctor, cols: number): Float32Array | Float64Array {
  const huge = Type === Float32Array ? 1e38 : 1e307;
  const kinds = [NaN, Infinity, -Infinity, huge, -huge];
  const rows = 4 * kinds.length * 2 + 3;
  const x = logits(Type, rows, cols, 99);
  let r = 0;
  for (const v of kinds) {
    for (let lane = 0; lane < 4; lane++, r += 2) {
      x[(r + lane % 2) * cols + (lane + r) % cols] = v; // a special value in lane position r % 4
    }
  }
  // a row whose spread overflows (max - min), a row of -Infinity only, a row of +Infinity and -Infinity
  x[(rows - 3) * cols] = 3 * huge;
  if (cols > 1) x[(rows - 3) * cols + 1] = -3 * huge;
  x.fill(-Infinity, (rows - 2) * cols, (rows - 1) * cols);
  x[(rows - 1) * cols] = Infinity;
  if (cols > 1) x[(rows - 1) * cols + 1] = -Infinity;
  return x;
}

function labels(rows: number, cols: number, seed: number): Int32Array {
  const r = rng(seed);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) y[i] = Math.min(cols - 1, Math.floor(r() * cols));
  return y;
}

let worst32 = 0;
let worst64 = 0;
/** Worst |a - e| / max(|e|, 0.1) over the finite rows: the errors the notes quote. */
function track(x: Float32Array | Float64Array, got: ArrayLike<number>, want: ArrayLike<number>): void {
  let w = 0;
  for (let i = 0; i < want.length; i++) {
    if (Number.isFinite(want[i]) && Number.isFinite(got[i])) w = Math.max(w, Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), 0.1));
  }
  if (x instanceof Float32Array) worst32 = Math.max(worst32, w); else worst64 = Math.max(worst64, w);
}

function expectRows(got: ArrayLike<number>, want: ArrayLike<number>, tol: Tol, label: string): void {
  expect(got.length, label).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (mismatch(got[i], want[i], tol)) {
      expect.fail(`${label} row ${i}: got ${got[i]}, expected ${want[i]} (rel ${Math.abs(got[i] - want[i]) / Math.abs(want[i])})`);
    }
  }
}

type Backend = 'wasm-simd' | 'js' | 'wasm-scalar';
/**
 * wasm-simd's rows against the f64 reference (at `tol`), the JS backend (at twice it) and
 * wasm-scalar (the same terms summed in another order: 1e-12); the error joins the notes' worst.
 */
function expectBackends(x: Float32Array | Float64Array, run: (b: Backend) => ArrayLike<number>, want: ArrayLike<number>, tol: Tol, label: string): void {
  const got = run('wasm-simd');
  track(x, got, want);
  expectRows(got, want, tol, `${label} vs reference`);
  expectRows(got, run('js'), { rel: 2 * tol.rel, abs: 2 * tol.abs }, `${label} vs js`);
  expectRows(got, run('wasm-scalar'), { rel: 1e-12, abs: 1e-15 }, `${label} vs wasm-scalar`);
}

interface Case { name: string; run: (x: Float32Array | Float64Array, cols: number, backend: string) => Float64Array;
  ref: (x: Float32Array | Float64Array, cols: number) => number[] }

const weightsFor = (Type: Ctor, cols: number) => Type.from({ length: cols }, (_, c) => 0.25 + (c % 5) * 0.5);
/** What a call throws, as text ('none' if it returns): backends must throw the same error. */
function thrown(call: () => unknown): string {
  try { call(); return 'none'; } catch (e) { return String(e); }
}
/** Probability targets for logits x (rows x cols, x's type): rows of probabilities (one-hot, zeros, uniform included). */
const targetsFor = (x: Float32Array | Float64Array, cols: number, seed: number) =>
  probabilities(x instanceof Float32Array ? Float32Array : Float64Array, x.length / cols, cols, seed + cols);

function cases(Type: Ctor): Case[] {
  return [
    { name: 'softmaxCrossEntropy', run: (x, cols, backend) => ik.softmaxCrossEntropy(x, labels(x.length / cols, cols, 5), { cols, reduction: 'none', backend } as never),
      ref: (x, cols) => independent.softmaxCrossEntropyRows(x, labels(x.length / cols, cols, 5), cols).loss },
    { name: 'softmaxCrossEntropy T=0.5, weights, ignoreIndex', run: (x, cols, backend) => {
      const y = labels(x.length / cols, cols, 6); y[3 % y.length] = -1;
      return ik.softmaxCrossEntropy(x, y, { cols, reduction: 'none', backend, temperature: 0.5, weight: weightsFor(Type, cols), ignoreIndex: -1 } as never);
    }, ref: (x, cols) => {
      const y = labels(x.length / cols, cols, 6); y[3 % y.length] = -1;
      return independent.softmaxCrossEntropyRows(x, y, cols, { temperature: 0.5, weight: weightsFor(Type, cols), ignoreIndex: -1 }).loss;
    } },
    { name: 'softmaxCrossEntropy labelSmoothing 0.1, T=3', run: (x, cols, backend) => ik.softmaxCrossEntropy(x, labels(x.length / cols, cols, 7), { cols, reduction: 'none', backend, labelSmoothing: 0.1, temperature: 3 } as never),
      ref: (x, cols) => independent.softmaxCrossEntropyRows(x, labels(x.length / cols, cols, 7), cols, { labelSmoothing: 0.1, temperature: 3 }).loss },
    { name: 'softmaxCrossEntropy labelSmoothing 0.2, weights', run: (x, cols, backend) => ik.softmaxCrossEntropy(x, labels(x.length / cols, cols, 8), { cols, reduction: 'none', backend, labelSmoothing: 0.2, weight: weightsFor(Type, cols) } as never),
      ref: (x, cols) => independent.softmaxCrossEntropyRows(x, labels(x.length / cols, cols, 8), cols, { labelSmoothing: 0.2, weight: weightsFor(Type, cols) }).loss },
    { name: 'softmaxCrossEntropy probability targets', run: (x, cols, backend) => ik.softmaxCrossEntropy(x, targetsFor(x, cols, 1), { cols, reduction: 'none', backend } as never),
      ref: (x, cols) => independent.softmaxCrossEntropyRows(x, targetsFor(x, cols, 1), cols).loss },
    { name: 'softmaxCrossEntropy probability targets labelSmoothing 0.1, weights, T=0.5', run: (x, cols, backend) => ik.softmaxCrossEntropy(x, targetsFor(x, cols, 2),
      { cols, reduction: 'none', backend, labelSmoothing: 0.1, weight: weightsFor(Type, cols), temperature: 0.5 } as never),
    ref: (x, cols) => independent.softmaxCrossEntropyRows(x, targetsFor(x, cols, 2), cols, { labelSmoothing: 0.1, weight: weightsFor(Type, cols), temperature: 0.5 }).loss },
    { name: 'entropyRegularizedLoss probability targets', run: (x, cols, backend) => ik.entropyRegularizedLoss(x, targetsFor(x, cols, 3), { cols, reduction: 'none', backend, beta: 0.3 } as never),
      ref: (x, cols) => { const ce = independent.softmaxCrossEntropyRows(x, targetsFor(x, cols, 3), cols).loss; const h = independent.softmaxEntropy(x, cols); return ce.map((v, i) => v - 0.3 * h[i]); } },
    { name: 'logSumExp', run: (x, cols, backend) => ik.logSumExp(x, { cols, backend } as never), ref: (x, cols) => independent.logSumExp(x, cols) },
    { name: 'logSumExp T=0.25', run: (x, cols, backend) => ik.logSumExp(x, { cols, backend, temperature: 0.25 } as never), ref: (x, cols) => independent.logSumExp(x, cols, { temperature: 0.25 }) },
    { name: 'softmaxEntropy', run: (x, cols, backend) => ik.softmaxEntropy(x, { cols, backend } as never), ref: (x, cols) => independent.softmaxEntropy(x, cols) },
    { name: 'softmaxEntropy T=2', run: (x, cols, backend) => ik.softmaxEntropy(x, { cols, backend, temperature: 2 } as never), ref: (x, cols) => independent.softmaxEntropy(x, cols, { temperature: 2 }) },
    { name: 'entropyRegularizedLoss', run: (x, cols, backend) => ik.entropyRegularizedLoss(x, labels(x.length / cols, cols, 9), { cols, reduction: 'none', backend, beta: 0.3 } as never),
      ref: (x, cols) => { const ce = independent.softmaxCrossEntropyRows(x, labels(x.length / cols, cols, 9), cols).loss; const h = independent.softmaxEntropy(x, cols); return ce.map((v, i) => v - 0.3 * h[i]); } },
    { name: 'entropyRegularizedLoss labelSmoothing 0.1, weights, T=1.5', run: (x, cols, backend) => ik.entropyRegularizedLoss(x, labels(x.length / cols, cols, 10),
      { cols, reduction: 'none', backend, beta: -0.2, labelSmoothing: 0.1, weight: weightsFor(Type, cols), temperature: 1.5 } as never),
    ref: (x, cols) => {
      const ce = independent.softmaxCrossEntropyRows(x, labels(x.length / cols, cols, 10), cols, { labelSmoothing: 0.1, weight: weightsFor(Type, cols), temperature: 1.5 }).loss;
      const h = independent.softmaxEntropy(x, cols, { temperature: 1.5 });
      return ce.map((v, i) => v + 0.2 * h[i]);
    } },
  ];
}

describe.each([['f32', Float32Array], ['f64', Float64Array]] as const)('short rows, %s', (_t, Type) => {
  const tol = Type === Float32Array ? F32 : F64;
  describe.each(cases(Type).map((c) => [c.name, c] as const))('%s', (_n, c) => {
    it.each(WIDTHS)('cols %i: wasm-simd vs the f64 reference and the JS backend', (cols) => {
      const x = logits(Type, 4 * 13 + (cols % 4), cols, cols);
      // entropyRegularizedLoss is a difference: its bound is the sum of its parts'
      const t = c.name.startsWith('entropyRegularizedLoss') ? { rel: tol.rel, abs: tol.abs * 30 } : tol;
      expectBackends(x, (b) => c.run(x, cols, b), c.ref(x, cols), t, `${c.name} cols ${cols}`);
    });
    it.each(WIDTHS)('cols %i: special values in every lane position agree with the JS backend', (cols) => {
      const x = specials(Type, cols);
      const got = c.run(x, cols, 'wasm-simd');
      const js = c.run(x, cols, 'js');
      for (let i = 0; i < js.length; i++) {
        // Label smoothing on the overflowing row: the row kernels form w (m - z) in the element
        // type, which overflows to Infinity where the JS backend's f64 does not (as at cols > 32).
        // Probability targets likewise (a (m - z) in the element type, on every build: see the wasm-scalar check).
        if (i === js.length - 3 && (c.name.includes('labelSmoothing') || c.name.includes('probability targets')) && got[i] === Infinity) continue;
        if (mismatch(got[i], js[i], { rel: 2 * tol.rel, abs: 2 * tol.abs })) {
          expect.fail(`${c.name} cols ${cols} row ${i}: wasm-simd ${got[i]}, js ${js[i]} (row ${Array.from(x.subarray(i * cols, (i + 1) * cols))})`);
        }
      }
    });
  });
});

/** Probability rows: normalised random rows, one-hot rows, rows with zeros, tiny and uniform rows. */
function probabilities(Type: Ctor, rows: number, cols: number, seed: number): Float32Array | Float64Array {
  const r = rng(seed);
  const x = new Type(rows * cols);
  for (let i = 0; i < rows; i++) {
    const kind = i % 5;
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const v = kind === 1 ? (j === i % cols ? 1 : 0) : kind === 2 && j % 3 === 0 ? 0 : kind === 3 ? r() * 1e-30 : kind === 4 ? 1 : r();
      x[i * cols + j] = v;
      sum += v;
    }
    if (kind !== 3) for (let j = 0; j < cols; j++) x[i * cols + j] /= sum || 1;
  }
  return x;
}

describe.each([['f32', Float32Array], ['f64', Float64Array]] as const)('short-row entropy and crossEntropy, %s', (_t, Type) => {
  const tol = Type === Float32Array ? F32 : F64;
  it.each(WIDTHS)('cols %i: wasm-simd vs the f64 reference, the JS backend and wasm-scalar', (cols) => {
    const x = probabilities(Type, 4 * 11 + (cols % 4), cols, cols + 100);
    for (const base of [undefined, 2]) {
      expectBackends(x, (backend) => ik.entropy(x, { cols, backend, base }), independent.entropy(x, cols, { base }), tol, `entropy cols ${cols}`);
    }
  });
  it.each(WIDTHS)('cols %i: crossEntropy vs the f64 reference, the JS backend and wasm-scalar', (cols) => {
    const x = probabilities(Type, 4 * 11 + (cols % 4), cols, cols + 200);
    const y = probabilities(Type, 4 * 11 + (cols % 4), cols, cols + 300).map((v) => v + 0.01) as Float32Array | Float64Array;
    y[3 * cols] = 0; // q = 0: 0 log 0 or Infinity, on the row kernel
    expectBackends(x, (backend) => ik.crossEntropy(x, y, { cols, backend }), independent.crossEntropy(x, y, cols), tol, `crossEntropy cols ${cols}`);
  });
  it.each(WIDTHS)('cols %i: klDivergence vs the f64 reference, the JS backend and wasm-scalar', (cols) => {
    const x = probabilities(Type, 4 * 11 + (cols % 4), cols, cols + 400);
    const y = probabilities(Type, 4 * 11 + (cols % 4), cols, cols + 500).map((v) => v + 0.01) as Float32Array | Float64Array;
    y[3 * cols] = 0; // q = 0 under p > 0: Infinity, on the row kernel
    x[5 * cols + 1 % cols] = 0; // p = 0: the term is 0 whatever q is
    // p ~ q (a divergence near 0, where the ratio form matters) and p = q exactly
    for (let j = 0; j < cols; j++) { y[6 * cols + j] = x[6 * cols + j] * (1 + 1e-3 * ((j % 3) - 1)); y[7 * cols + j] = x[7 * cols + j]; }
    for (const base of [undefined, 2]) {
      expectBackends(x, (backend) => ik.klDivergence(x, y, { cols, backend, base }), independent.klDivergence(x, y, cols, { base }), tol, `klDivergence cols ${cols}`);
    }
  });
  it.each(WIDTHS)('cols %i: jsDivergence vs the f64 reference, the JS backend and wasm-scalar (rows near 0 on the accurate form)', (cols) => {
    const x = probabilities(Type, 4 * 11 + (cols % 4), cols, cols + 700);
    const y = probabilities(Type, 4 * 11 + (cols % 4), cols, cols + 800);
    x[5 * cols + 1 % cols] = 0; // p = 0 beside q > 0
    // p ~ q (a divergence below 1e-3: pairRows' accurate form), p = q, and a row of p ~ q next to ordinary rows in each lane
    for (let j = 0; j < cols; j++) { y[6 * cols + j] = x[6 * cols + j] * (1 + 1e-2 * ((j % 3) - 1)); y[7 * cols + j] = x[7 * cols + j]; }
    for (let j = 0; j < cols; j++) y[(9 + (cols % 4)) * cols + j] = x[(9 + (cols % 4)) * cols + j];
    for (const base of [undefined, 2]) {
      expectBackends(x, (backend) => ik.jsDivergence(x, y, { cols, backend, base }), independent.jsDivergence(x, y, cols, { base }), tol, `jsDivergence cols ${cols}`);
    }
  });
  it.each(WIDTHS)('cols %i: special values in every lane position: the same values (check off) and the same error (check on) as JS', (cols) => {
    const kinds = [NaN, -0.25, Infinity, Type === Float32Array ? 1e-40 : 1e-310, 1e30, -0, 0];
    for (const v of kinds) {
      for (let lane = 0; lane < 4; lane++) {
        const rows = 4 * 3 + 1;
        const x = probabilities(Type, rows, cols, cols + lane);
        x[(4 + lane) * cols + (lane + 1) % cols] = v;
        const got = ik.entropy(x, { cols, backend: 'wasm-simd', check: false });
        const js = ik.entropy(x, { cols, backend: 'js', check: false });
        for (let i = 0; i < rows; i++) {
          if (mismatch(got[i], js[i], { rel: 2 * tol.rel, abs: 2 * tol.abs })) expect.fail(`entropy ${v} lane ${lane} cols ${cols} row ${i}: wasm-simd ${got[i]}, js ${js[i]}`);
        }
        const err = (b: 'js' | 'wasm-simd') => thrown(() => ik.entropy(x, { cols, backend: b }));
        expect(err('wasm-simd'), `entropy ${v} lane ${lane} cols ${cols}`).toBe(err('js'));
        // crossEntropy with the special value in p, then in q
        const y = probabilities(Type, rows, cols, cols + lane + 7);
        const p0 = probabilities(Type, rows, cols, cols + lane + 8);
        p0[(4 + lane) * cols + (lane + 1) % cols] = 0; // p = 0 over the special q: KL must still see q
        for (const [a, b] of [[x, y], [y, x], [p0, x]]) {
          // crossEntropy, klDivergence and jsDivergence: the same values (check off) and error (check on)
          // as JS; KL and JSD also against wasm-scalar, which has no short rows
          for (const [name, f, scalar] of [['crossEntropy', ik.crossEntropy, false], ['klDivergence', ik.klDivergence, true],
            ['jsDivergence', ik.jsDivergence, true]] as const) {
            const got = f(a, b, { cols, backend: 'wasm-simd', check: false });
            const js = f(a, b, { cols, backend: 'js', check: false });
            const sc = scalar ? f(a, b, { cols, backend: 'wasm-scalar', check: false }) : null;
            for (let i = 0; i < rows; i++) {
              if (mismatch(got[i], js[i], { rel: 2 * tol.rel, abs: 2 * tol.abs })) expect.fail(`${name} ${v} lane ${lane} cols ${cols} row ${i}: wasm-simd ${got[i]}, js ${js[i]}`);
              if (sc && mismatch(got[i], sc[i], { rel: 1e-12, abs: 1e-15 })) expect.fail(`${name} ${v} lane ${lane} cols ${cols} row ${i}: wasm-simd ${got[i]}, wasm-scalar ${sc[i]}`);
            }
            const err = (bk: 'js' | 'wasm-simd') => thrown(() => f(a, b, { cols, backend: bk }));
            expect(err('wasm-simd'), `${name} ${v} lane ${lane} cols ${cols}`).toBe(err('js'));
          }
        }
      }
    }
  });
});

describe.each([['f32', Float32Array], ['f64', Float64Array]] as const)('probability targets: special values, %s', (_t, Type) => {
  const tol = Type === Float32Array ? F32 : F64;
  it.each(WIDTHS)('cols %i: a special target in every lane position: the same values (check off) and the same error (check on) as JS', (cols) => {
    const kinds = [NaN, -0.25, Infinity, Type === Float32Array ? 1e-40 : 1e-310, 1e30, -0, 0];
    const rows = 4 * 3 + 1;
    for (const v of kinds) {
      for (let lane = 0; lane < 4; lane++) {
        const x = logits(Type, rows, cols, cols + lane);
        const t = probabilities(Type, rows, cols, cols + lane + 30);
        t[(4 + lane) * cols + (lane + 1) % cols] = v;
        for (const [name, call] of [
          ['softmaxCrossEntropy', (b: string, check: boolean) => ik.softmaxCrossEntropy(x, t, { cols, backend: b, check, reduction: 'none', labelSmoothing: 0.05 } as never) as Float64Array],
          ['entropyRegularizedLoss', (b: string, check: boolean) => ik.entropyRegularizedLoss(x, t, { cols, backend: b, check, reduction: 'none', beta: 0.5 } as never) as Float64Array],
        ] as const) {
          const got = call('wasm-simd', false), js = call('js', false), sc = call('wasm-scalar', false);
          for (let i = 0; i < rows; i++) {
            if (mismatch(got[i], js[i], { rel: 2 * tol.rel, abs: 2 * tol.abs * 30 })) expect.fail(`${name} target ${v} lane ${lane} cols ${cols} row ${i}: wasm-simd ${got[i]}, js ${js[i]}`);
            if (mismatch(got[i], sc[i], { rel: 1e-12, abs: 1e-15 })) expect.fail(`${name} target ${v} lane ${lane} cols ${cols} row ${i}: wasm-simd ${got[i]}, wasm-scalar ${sc[i]}`);
          }
          const err = (b: string) => thrown(() => call(b, true));
          expect(err('wasm-simd'), `${name} target ${v} lane ${lane} cols ${cols}`).toBe(err('js'));
        }
      }
    }
  });
});

describe.each([['f32', Float32Array], ['f64', Float64Array]] as const)('fused class-index cross entropy, %s', (_t, Type) => {
  const tol = Type === Float32Array ? F32 : F64;
  it.each(WIDTHS)('cols %i: a class index out of range in any lane position is the JS error, on every backend', (cols) => {
    for (const bad of [cols, -1, 2147483647, -2147483648, -101]) {
      for (const at of [0, 1, 2, 3, 5, 4 * 13 + 1, 4 * 13 + 2]) { // 4 * 13 + 2: the last, odd row
        const x = logits(Type, 4 * 13 + 3, cols, cols + at);
        const y = labels(4 * 13 + 3, cols, cols);
        y[at] = bad;
        const msg = `softmaxCrossEntropy: target[${at}] = ${bad} is not a class index in [0, ${cols}) nor ignoreIndex (-100)`;
        for (const backend of ['wasm-simd', 'wasm-scalar', 'js']) {
          for (const reduction of ['none', 'mean'] as const) {
            expect(() => ik.softmaxCrossEntropy(x, y, { cols, backend, reduction } as never), `${backend} ${reduction} bad ${bad} at ${at}`)
              .toThrow(new RangeError(msg));
          }
        }
      }
    }
  });
  it.each(WIDTHS)('cols %i: ignoreIndex in every lane position (also 0, a class, and outside int32) and the reductions', (cols) => {
    const rows = 4 * 13 + 3;
    const x = logits(Type, rows, cols, cols + 7);
    for (const ignoreIndex of [-100, 0, cols - 1, 2 ** 40, -(2 ** 40)]) {
      const y = labels(rows, cols, cols + 8);
      for (let i = 0; i < rows; i += 3) y[i] = ignoreIndex === 2 ** 40 || ignoreIndex === -(2 ** 40) ? (i % cols) : ignoreIndex;
      const opts = { cols, ignoreIndex, weight: weightsFor(Type, cols), labelSmoothing: cols % 2 ? 0.1 : 0 };
      const ref = independent.softmaxCrossEntropyRows(x, y, cols, opts);
      const got = ik.softmaxCrossEntropy(x, y, { ...opts, reduction: 'none', backend: 'wasm-simd' } as never) as Float64Array;
      track(x, got, ref.loss);
      expectRows(got, ref.loss, tol, `cols ${cols} ignoreIndex ${ignoreIndex} vs reference`);
      expectRows(got, ik.softmaxCrossEntropy(x, y, { ...opts, reduction: 'none', backend: 'wasm-scalar' } as never) as Float64Array,
        { rel: 1e-12, abs: 1e-15 }, `cols ${cols} ignoreIndex ${ignoreIndex} vs wasm-scalar`);
      const sum = independent.sumOf(ref.loss);
      for (const [reduction, want] of [['sum', sum], ['mean', sum / ref.den]] as const) {
        const v = ik.softmaxCrossEntropy(x, y, { ...opts, reduction, backend: 'wasm-simd' } as never) as number;
        if (ref.den === 0 && reduction === 'mean') { expect(v).toBeNaN(); continue; } // cols 1, ignoreIndex 0: every row ignored
        expect(Math.abs(v - want), `cols ${cols} ignoreIndex ${ignoreIndex} ${reduction}`).toBeLessThanOrEqual(Math.max(tol.rel * Math.abs(want), tol.abs));
        const s = ik.softmaxCrossEntropy(x, y, { ...opts, reduction, backend: 'wasm-scalar' } as never) as number;
        expect(Math.abs(v - s), `cols ${cols} ignoreIndex ${ignoreIndex} ${reduction} vs wasm-scalar`).toBeLessThanOrEqual(1e-12 * Math.abs(s));
      }
    }
    // every row ignored: 'mean' is NaN, 'sum' 0
    const all = new Int32Array(rows).fill(-100);
    expect(ik.softmaxCrossEntropy(x, all, { cols, backend: 'wasm-simd' })).toBeNaN();
    expect(ik.softmaxCrossEntropy(x, all, { cols, backend: 'wasm-simd', reduction: 'sum' })).toBe(0);
  });
});

describe.each([['f32', Float32Array], ['f64', Float64Array]] as const)('binary losses regrouped into segments, %s', (_t, Type) => {
  const tol = Type === Float32Array ? F32 : F64;
  /** Probabilities (with 0 and 1), logits (with large magnitudes), targets (soft and hard), weights per element and per class. */
  function inputs(rows: number, cols: number, seed: number) {
    const r = rng(seed), n = rows * cols;
    const p = Type.from({ length: n }, (_, i) => (i % 11 === 0 ? 0 : i % 13 === 0 ? 1 : r()));
    const x = Type.from({ length: n }, (_, i) => (r() * 2 - 1) * (i % 9 === 0 ? 60 : 4));
    const t = Type.from({ length: n }, (_, i) => (i % 3 === 0 ? r() : i % 2));
    const we = Type.from({ length: n }, () => 0.5 + r());
    const wc = Type.from({ length: cols }, (_, c) => 0.25 + (c % 5) * 0.5);
    return { p, x, t, we, wc };
  }
  it.each(WIDTHS)('cols %i: binaryCrossEntropy (with logits) vs the f64 reference, the JS backend and wasm-scalar', (cols) => {
    const rows = 4 * 13 + (cols % 4) + Math.ceil(200 / cols); // several segments and a remainder
    const { p, x, t, we, wc } = inputs(rows, cols, cols + 600);
    const runs: [string, (b: string) => Float64Array, number[]][] = [
      ['bce', (b) => ik.binaryCrossEntropy(p, t, { cols, backend: b, reduction: 'none' } as never) as Float64Array,
        independent.binaryCrossEntropy(p, t, cols, { reduction: 'none' }) as number[]],
      ['bce per-element weight', (b) => ik.binaryCrossEntropy(p, t, { cols, backend: b, reduction: 'none', weight: we } as never) as Float64Array,
        independent.binaryCrossEntropy(p, t, cols, { reduction: 'none', weight: we }) as number[]],
      ['bce per-class weight', (b) => ik.binaryCrossEntropy(p, t, { cols, backend: b, reduction: 'none', weight: wc } as never) as Float64Array,
        independent.binaryCrossEntropy(p, t, cols, { reduction: 'none', weight: wc }) as number[]],
      ['bce logits', (b) => ik.binaryCrossEntropyWithLogits(x, t, { cols, backend: b, reduction: 'none' } as never) as Float64Array,
        independent.binaryCrossEntropyWithLogits(x, t, cols, { reduction: 'none' }) as number[]],
      ['bce logits per-element weight and posWeight', (b) => ik.binaryCrossEntropyWithLogits(x, t, { cols, backend: b, reduction: 'none', weight: we, posWeight: we } as never) as Float64Array,
        independent.binaryCrossEntropyWithLogits(x, t, cols, { reduction: 'none', weight: we, posWeight: we }) as number[]],
      ['bce logits per-class posWeight', (b) => ik.binaryCrossEntropyWithLogits(x, t, { cols, backend: b, reduction: 'none', weight: we, posWeight: wc } as never) as Float64Array,
        independent.binaryCrossEntropyWithLogits(x, t, cols, { reduction: 'none', weight: we, posWeight: wc }) as number[]],
    ];
    for (const [name, run, want] of runs) {
      expectBackends(p, run, want, tol, `${name} cols ${cols}`);
    }
  });
  it.each(WIDTHS)('cols %i: special values in every lane position of a segment: the same values (check off) and the same error as JS', (cols) => {
    const kinds = [NaN, -0.25, 1.5, Infinity, Type === Float32Array ? 1e-40 : 1e-310, -0, 0, 1];
    const rows = Math.ceil(160 / cols);
    for (const v of kinds) {
      for (const at of [0, 1, 2, 3, 64 + 5, rows * cols - 1]) {
        const { p, t } = inputs(rows, cols, cols + at);
        p[at % (rows * cols)] = v;
        const got = ik.binaryCrossEntropy(p, t, { cols, backend: 'wasm-simd', check: false, reduction: 'none' });
        for (const other of ['js', 'wasm-scalar'] as const) {
          const want = ik.binaryCrossEntropy(p, t, { cols, backend: other, check: false, reduction: 'none' });
          for (let i = 0; i < want.length; i++) {
            const tl = other === 'js' ? { rel: 2 * tol.rel, abs: 2 * tol.abs } : { rel: 1e-12, abs: 1e-15 };
            if (mismatch(got[i], want[i], tl)) expect.fail(`bce ${v} at ${at} cols ${cols} element ${i}: wasm-simd ${got[i]}, ${other} ${want[i]}`);
          }
        }
        const err = (b: 'js' | 'wasm-simd') => thrown(() => ik.binaryCrossEntropy(p, t, { cols, backend: b }));
        expect(err('wasm-simd'), `bce ${v} at ${at} cols ${cols}`).toBe(err('js'));
      }
    }
  });
});

describe('short rows: blocks and reductions', () => {
  it('a batch over several 1 MiB chunks (chunks not a multiple of 4 rows) matches the reference row for row', () => {
    // 26,214 rows per chunk: each 65,536-row block of the API spans three chunks
    const cols = 10, rows = 150_003;
    const x = logits(Float32Array, rows, cols, 11);
    const y = labels(rows, cols, 12);
    const got = ik.softmaxCrossEntropy(x, y, { cols, reduction: 'none', backend: 'wasm-simd' });
    const want = independent.softmaxCrossEntropyRows(x, y, cols).loss;
    track(x, got, want);
    expectRows(got, want, F32, 'chunked');
    const mean = ik.softmaxCrossEntropy(x, y, { cols, backend: 'wasm-simd' });
    expect(Math.abs(mean - independent.sumOf(want) / rows)).toBeLessThan(1e-9 * Math.abs(mean));
    // KL and the binary losses on the same shape (1 MiB chunks of 26,214 rows; binary losses: 65,536-value blocks)
    const p = probabilities(Float32Array, rows, cols, 13), q = probabilities(Float32Array, rows, cols, 14).map((v) => v + 0.01) as Float32Array;
    const kl = ik.klDivergence(p, q, { cols, backend: 'wasm-simd' });
    const klWant = independent.klDivergence(p, q, cols);
    track(p, kl, klWant);
    expectRows(kl, klWant, F32, 'chunked KL');
    const jd = ik.jsDivergence(p, q, { cols, backend: 'wasm-simd' });
    const jdWant = independent.jsDivergence(p, q, cols);
    track(p, jd, jdWant);
    expectRows(jd, jdWant, F32, 'chunked JSD');
    const bce = ik.binaryCrossEntropy(p, q.map((v) => Math.min(v, 1)) as Float32Array, { cols, backend: 'wasm-simd', reduction: 'none' });
    expectRows(bce, independent.binaryCrossEntropy(p, q.map((v) => Math.min(v, 1)) as Float32Array, cols, { reduction: 'none' }) as number[], F32, 'chunked bce');
  });

  it('reductions and perplexity on short rows agree with the JS backend', () => {
    for (const cols of [2, 5, 10, 16, 32]) {
      const x = logits(Float32Array, 1001, cols, cols + 40);
      const y = labels(1001, cols, cols);
      y[17] = -100;
      for (const reduction of ['sum', 'mean'] as const) {
        const a = ik.softmaxCrossEntropy(x, y, { cols, reduction, backend: 'wasm-simd', labelSmoothing: 0.05 });
        const b = ik.softmaxCrossEntropy(x, y, { cols, reduction, backend: 'js', labelSmoothing: 0.05 });
        expect(Math.abs(a - b), `${reduction} cols ${cols}`).toBeLessThan(1e-7 * Math.abs(b));
      }
      const p = ik.perplexity(x, y, { cols, backend: 'wasm-simd' });
      const q = ik.perplexity(x, y, { cols, backend: 'js' });
      expect(Math.abs(Math.log(p) - Math.log(q)), `perplexity cols ${cols}`).toBeLessThan(1e-7 * Math.log(q));
    }
  });

  it('worst per-row error stays within the documented bound (f32 1e-6 relative, f64 1e-12)', () => {
    // filled by the tests above (vitest runs a file's tests in order)
    console.log(`short rows: worst per-row error f32 ${worst32.toExponential(2)}, f64 ${worst64.toExponential(2)}`);
    expect(worst32).toBeLessThan(1e-6);
    expect(worst64).toBeLessThan(1e-12);
    expect(worst32).toBeGreaterThan(0); // the tests above ran
  });
});
