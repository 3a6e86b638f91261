// Issue 10 (hardening): bounded WASM memory for any shape, options that cannot be
// misspelt, base everywhere, NaN rows, extreme temperatures, scale-invariant joint
// measures, overlapping out, detached buffers, errors naming the function called.
import { describe, expect, it } from 'vitest';
import * as ik from '../src/index.js';
import { kernelsFor } from '../src/backend/registry.js';
import type { WasmKernels } from '../src/backend/wasm/kernels.js';
import { asyncPool } from '../src/threads/control.js';
import { TEMP_BYTES } from '../src/measures/scratch.js';
import { BACKENDS, useWasm } from './support/backends.js';
import { expectThrows } from './support/assert.js';

useWasm();
const MiB = 1 << 20;
const f32 = (...v: number[]) => new Float32Array(v);
const f64 = (...v: number[]) => new Float64Array(v);
// The SIMD build's memory also holds the thread pool's fixed regions (per thread, not per call)
// and the measures' scratch (src/measures/scratch.ts): the bound is on top of those.
const fixed = () => (asyncPool()?.heldBytes ?? 0) + TEMP_BYTES;
const arenas = () => (['wasm-simd', 'wasm-scalar'] as const).map((b) => (kernelsFor('t', b) as WasmKernels).arena.byteLength - (b === 'wasm-simd' ? fixed() : 0));

describe('memory is bounded by the chunk, whatever the shape', () => {
  it('wide rows and element-wise calls of every function match the JS backend; WASM memory stays < 16 MiB', () => {
    const cols = 300_001; // wider than one 1 MiB region of f32
    const n = 2 * cols;
    const p = new Float32Array(n).map((_, i) => 0.5 + ((i * 0.618034) % 1));
    const q = new Float32Array(n).map((_, i) => 0.5 + ((i * 0.414214) % 1));
    const t = new Float32Array(n).map((_, i) => (i % 3) / 2);
    const u = new Float32Array(n).map((v) => v / 2);
    const y = new Int32Array([7, cols - 1]);
    const calls: [string, (b: 'js' | 'wasm-simd' | 'wasm-scalar') => unknown][] = [
      ['entropy', (b) => ik.entropy(p, { cols, backend: b })],
      ['entropy normalize', (b) => ik.entropy(p, { cols, normalize: true, backend: b })],
      ['crossEntropy', (b) => ik.crossEntropy(p, q, { cols, backend: b })],
      ['klDivergence', (b) => ik.klDivergence(p, q, { cols, backend: b })],
      ['jsDivergence', (b) => ik.jsDivergence(p, q, { cols, backend: b })],
      ['surprisal mean', (b) => ik.surprisal(p, { reduction: 'mean', backend: b })],
      ['binaryEntropy sum', (b) => ik.binaryEntropy(u, { reduction: 'sum', backend: b })],
      ['jointEntropy', (b) => ik.jointEntropy(p, { backend: b })],
      ['mutualInformation', (b) => ik.mutualInformation(p, { cols, backend: b })],
      ['conditionalEntropy', (b) => ik.conditionalEntropy(p, { cols, backend: b })],
      ['logSumExp', (b) => ik.logSumExp(p, { cols, backend: b })],
      ['softmaxEntropy', (b) => ik.softmaxEntropy(p, { cols, temperature: 0.5, backend: b })],
      ['softmax', (b) => ik.softmax(p, { cols, backend: b })],
      ['logSoftmax', (b) => ik.logSoftmax(p, { cols, backend: b })],
      ['softmaxCrossEntropy labels', (b) => ik.softmaxCrossEntropy(p, y, { cols, labelSmoothing: 0.1, weight: q.subarray(0, cols), backend: b })],
      ['softmaxCrossEntropy probabilities', (b) => ik.softmaxCrossEntropy(p, u, { cols, backend: b })],
      ['entropyRegularizedLoss', (b) => ik.entropyRegularizedLoss(p, y, { cols, beta: 0.3, backend: b })],
      ['distillationLoss', (b) => ik.distillationLoss(p, q, { cols, temperature: 2, backend: b })],
      ['binaryCrossEntropy', (b) => ik.binaryCrossEntropy(u, t, { weight: q.subarray(0, cols), cols, backend: b })],
      ['binaryCrossEntropyWithLogits', (b) => ik.binaryCrossEntropyWithLogits(p, t, { weight: q, posWeight: u, backend: b })],
    ];
    for (const [name, run] of calls) {
      const ref = run('js');
      const wantAll = typeof ref === 'number' ? [ref] : Array.from(ref as ArrayLike<number>);
      for (const b of ['wasm-simd', 'wasm-scalar'] as const) {
        const r = run(b);
        const got = typeof r === 'number' ? [r] : Array.from(r as ArrayLike<number>);
        expect(got.length, name).toBe(wantAll.length);
        for (let i = 0; i < got.length; i += Math.max(1, Math.floor(got.length / 997))) {
          expect(Math.abs(got[i] - wantAll[i]), `${name} ${b} [${i}]: ${got[i]} vs ${wantAll[i]}`)
            .toBeLessThanOrEqual(1e-6 * Math.abs(wantAll[i]) + 1e-7);
        }
      }
    }
    for (const bytes of arenas()) expect(bytes).toBeLessThan(16 * MiB);
  });

  it('an input needing > 2 GiB of WASM memory under a copy-whole design: one row of 540 M values', () => {
    const n = 540e6;
    const p = new Float32Array(n).fill(1 / n);
    const h = ik.entropy(p)[0]; // n values of 1/n (in f32): ln n to f32's rounding of 1/n
    const want = -n * Math.fround(1 / n) * Math.log(Math.fround(1 / n));
    expect(Math.abs(h - want)).toBeLessThan(1e-6 * want);
    const s = -Math.log(Math.fround(1 / n));
    expect(Math.abs((ik.surprisal(p.subarray(0, 200e6), { reduction: 'mean' }) as number) - s)).toBeLessThan(1e-6 * s);
    for (const bytes of arenas()) expect(bytes).toBeLessThan(16 * MiB);
  }, 120_000);
});

describe('options cannot be misspelt', () => {
  it('unknown keys, PyTorch spellings and non-objects are TypeErrors naming function and key', () => {
    const p = f32(0.5, 0.5, 0.25, 0.75);
    expectThrows(() => ik.entropy(p, { colls: 2 } as never), TypeError, /^entropy: unknown option 'colls' \(did you mean 'cols'\?\)/);
    expectThrows(() => ik.softmaxCrossEntropy(p, new Int32Array([0, 1]), { cols: 2, ignore_index: 0 } as never), TypeError,
      /^softmaxCrossEntropy: unknown option 'ignore_index' \(did you mean 'ignoreIndex'\?\)/);
    expectThrows(() => ik.binaryCrossEntropyWithLogits(p, p, { pos_weight: p } as never), TypeError, /^binaryCrossEntropyWithLogits: unknown option 'pos_weight' \(did you mean 'posWeight'\?\)/);
    expect(() => ik.entropy(p, 4 as never)).toThrow(TypeError);
    expectThrows(() => ik.entropy(p, 4 as never), TypeError, /^entropy: options must be a plain object or undefined, got 4/);
    expectThrows(() => ik.entropy(p, null as never), TypeError, /^entropy: options must be a plain object/);
    expectThrows(() => ik.softmax(p, { cols: 2, check: false } as never), TypeError, /^softmax: unknown option 'check'/);
    expectThrows(() => ik.mostUncertain(p, { cols: 2, k: 1, base: 2 } as never), TypeError, /^mostUncertain: unknown option 'base'/);
    expectThrows(() => ik.oneHot(new Int32Array([0]), 2, { smothing: 0.1 } as never), TypeError, /^oneHot: unknown option 'smothing' \(did you mean 'smoothing'\?\)/);
    expectThrows(() => ik.gaussianEntropy(1, { bsae: 2 } as never), TypeError, /^gaussianEntropy: unknown option 'bsae' \(did you mean 'base'\?\)/);
    expectThrows(() => ik.jointEntropy(p, { reduction: 'sum' } as never), TypeError, /^jointEntropy: unknown option 'reduction'/);
  });
});

describe('base applies to every loss; perplexity does not depend on it', () => {
  const z = f32(2, 1, 0.1, 0.5, 1.5, -0.3);
  const y = new Int32Array([0, 2]);
  it.each(BACKENDS)('%s', (backend) => {
    const nats = ik.softmaxCrossEntropy(z, y, { cols: 3, backend });
    expect(ik.softmaxCrossEntropy(z, y, { cols: 3, base: 2, backend })).toBeCloseTo(nats / Math.LN2, 12);
    expect(ik.entropyRegularizedLoss(z, y, { cols: 3, beta: 0.5, base: 2, backend }))
      .toBeCloseTo(ik.entropyRegularizedLoss(z, y, { cols: 3, beta: 0.5, backend }) / Math.LN2, 12);
    expect(ik.perplexity(z, y, { cols: 3, base: 2, backend })).toBeCloseTo(Math.exp(nats), 12);
    const lp = ik.logSoftmax(new Float64Array(z), { cols: 3 });
    expect(ik.nllLoss(lp, y, { cols: 3, base: 10, backend })).toBeCloseTo(ik.nllLoss(lp, y, { cols: 3, backend }) / Math.LN10, 12);
    const pr = f32(0.9, 0.2), tg = f32(1, 0);
    const bits = -(Math.log(Math.fround(0.9)) + Math.log1p(-Math.fround(0.2))) / 2 / Math.LN2; // f32 input: 1e-6 relative (was toBeCloseTo(, 6): 3e-6)
    expect(Math.abs((ik.binaryCrossEntropy(pr, tg, { base: 2, backend }) as number) - bits)).toBeLessThanOrEqual(1e-6 * bits);
    expect(ik.binaryCrossEntropyWithLogits(pr, tg, { base: 2, backend }))
      .toBeCloseTo(ik.binaryCrossEntropyWithLogits(pr, tg, { backend }) / Math.LN2, 12);
    expect(ik.distillationLoss(z, z.map((v) => -v), { cols: 3, temperature: 2, base: 2, backend }))
      .toBeCloseTo(ik.distillationLoss(z, z.map((v) => -v), { cols: 3, temperature: 2, backend }) / Math.LN2, 12);
  });
});

describe('edges that gave NaN or wrong numbers', () => {
  it.each(BACKENDS)('extreme temperatures: huge T is uniform, tiny T the argmax answer (%s)', (backend) => {
    const z = f32(2, 1, 0.1);
    expect(ik.logSumExp(z, { temperature: 1e46, backend })[0]).toBeCloseTo(Math.log(3), 12);
    expect(ik.softmaxEntropy(z, { temperature: 1e46, backend })[0]).toBeCloseTo(Math.log(3), 12);
    expect(ik.logSumExp(z, { temperature: 1e-39, backend })[0] / 2e39).toBeCloseTo(1, 12);
    expect(ik.softmaxEntropy(z, { temperature: 1e-39, backend })[0]).toBe(0);
    expect(Array.from(ik.softmax(z, { temperature: 1e-39, backend }))).toEqual([1, 0, 0]);
    expect(ik.softmaxCrossEntropy(z, new Int32Array([0]), { cols: 3, temperature: 1e-39, backend })).toBe(0);
    expect(ik.softmaxCrossEntropy(z, new Int32Array([1]), { cols: 3, temperature: 1e-39, backend }) / 1e39).toBeCloseTo(1, 6);
    const z64 = f64(2, 1, 0.1);
    expect(ik.softmaxEntropy(z64, { temperature: 1e-320, backend })[0]).toBe(0); // 1/T = Infinity
    expect(ik.logSumExp(f64(1e308, -1e308), { temperature: 1e300, backend })[0]).toBeCloseTo(1e8 + Math.log1p(Math.exp(-2e8)), 6);
  });

  it.each(BACKENDS)('rows holding NaN give NaN, as torch.logsumexp; all -Infinity gives -Infinity (%s)', (backend) => {
    const nan = f32(NaN, NaN, 1, NaN, Infinity, NaN);
    expect(Array.from(ik.logSumExp(nan, { cols: 2, backend }))).toEqual([NaN, NaN, NaN]);
    expect(Array.from(ik.softmaxEntropy(nan, { cols: 2, backend }))).toEqual([NaN, NaN, NaN]);
    expect(Array.from(ik.softmax(nan, { cols: 2, backend }))).toEqual([NaN, NaN, NaN, NaN, NaN, NaN]);
    expect(Array.from(ik.logSoftmax(nan, { cols: 2, backend }))).toEqual([NaN, NaN, NaN, NaN, NaN, NaN]);
    expect(Array.from(ik.softmaxCrossEntropy(nan, new Int32Array([0, 0, 0]), { cols: 2, reduction: 'none', backend }))).toEqual([NaN, NaN, NaN]);
    expect(ik.logSumExp(f32(-Infinity, -Infinity), { backend })[0]).toBe(-Infinity);
    expect(ik.logSumExp(f32(Infinity, 1), { backend })[0]).toBe(Infinity);
  });

  it.each(BACKENDS)('JSD of nearly equal rows is accurate and never negative (%s)', (backend) => {
    const d = 1e-9; // JSD ~ d^2 / 2 for [.5 + d, .5 - d] vs [.5, .5] (second order in d)
    const got = ik.jsDivergence(f64(0.5 + d, 0.5 - d), f64(0.5, 0.5), { backend })[0];
    expect(got).toBeGreaterThan(0);
    expect(Math.abs(got - 5.0e-19)).toBeLessThan(1e-8 * 5.0e-19); // d is not exactly 1e-9 in binary: 5.0e-19 to 9 digits
    for (let k = 0; k < 200; k++) { // random nearly equal rows: 0 <= JSD <= ln 2
      const p = new Float64Array(7).map((_, i) => 0.05 + ((k * 7 + i) * 0.618) % 1);
      const q = p.map((v, i) => v * (1 + 1e-7 * Math.sin(k + i)));
      const j = ik.jsDivergence(p, q, { backend })[0];
      expect(j).toBeGreaterThanOrEqual(0);
      expect(j).toBeLessThanOrEqual(Math.LN2 * 7);
    }
  });

  it.each(BACKENDS)('f32 values above 2^64 with check: false: the product is formed in f64, backends agree (%s)', (backend) => {
    const h = ik.entropy(f32(3.4e38, 0.25, 0.5), { check: false, backend })[0];
    const x = Math.fround(3.4e38);
    const want = -(x * Math.log(x) + 0.25 * Math.log(0.25) + 0.5 * Math.log(0.5));
    expect(Math.abs(h - want)).toBeLessThan(1e-6 * Math.abs(want));
    const ce = ik.crossEntropy(f32(3.4e38, 1), f32(0.5, 0.5), { check: false, backend })[0];
    expect(Math.abs(ce - -(x + 1) * Math.log(0.5))).toBeLessThan(1e-6 * Math.abs(ce));
  });

  it.each(BACKENDS)('distillationLoss is accurate at every temperature: T^2 KL tends to a limit (%s)', (backend) => {
    // 60-digit Decimal values of T^2 KL(softmax(t/T) || softmax(s/T)), s = [2, 1, .1], t = [.5, 1.5, -.3]
    const truth: [number, number][] = [[1, 0.412762765247819833], [10, 0.348353215913594513], [1e3, 0.334588349469497914],
      [1e5, 0.334445883946061172], [1e7, 0.334444458839505717], [1e10, 0.334444444458839506], [1e300, 1806 / 5400]];
    for (const [T, want] of truth) {
      const got = ik.distillationLoss(f64(2, 1, 0.1), f64(0.5, 1.5, -0.3), { temperature: T, backend });
      expect(Math.abs(got - want), `T = ${T}: ${got}`).toBeLessThan(1e-12 * want);
    }
    // -Infinity logits keep the direct form: a teacher class of probability 0 adds nothing
    expect(ik.distillationLoss(f64(0, 0), f64(0, -Infinity), { temperature: 1, backend })).toBeCloseTo(Math.LN2, 14);
  });

  it.each(BACKENDS)('joint measures do not depend on the table scale, subnormal totals included (%s)', (backend) => {
    expect(ik.mutualInformation(f64(5e-324, 0, 0, 5e-324), { cols: 2, backend })).toBeCloseTo(Math.LN2, 14);
    const t = f64(3, 1, 0, 2, 5, 1);
    const i = ik.mutualInformation(t, { cols: 3, backend }), h = ik.conditionalEntropy(t, { cols: 3, backend });
    for (const s of [2 ** -1070, 2 ** -1000, 2 ** 900, 1e-300]) {
      const ts = t.map((v) => v * s);
      expect(ik.mutualInformation(ts, { cols: 3, backend }), `I at ${s}`).toBeCloseTo(i, 12);
      expect(ik.conditionalEntropy(ts, { cols: 3, backend }), `H(Y|X) at ${s}`).toBeCloseTo(h, 12);
    }
  });
});

describe('arguments: overlap, detached buffers, labels, errors naming the caller', () => {
  it.each(BACKENDS)('out partly overlapping an input is a RangeError; exactly the input runs in place (%s)', (backend) => {
    const buf = new Float64Array(140_000).map((_, i) => 0.01 + (i % 97) / 100);
    const p = buf.subarray(0, 100_000), shifted = buf.subarray(70_000, 140_000);
    expect(() => ik.surprisal(p.subarray(0, 70_000), { out: shifted, backend })).not.toThrow(); // adjacent, no overlap
    const overlapping = buf.subarray(30_000, 130_000);
    expectThrows(() => ik.surprisal(p, { out: overlapping, backend }), RangeError, /^surprisal: out overlaps p in part/);
    const want = ik.surprisal(p.slice(), { backend });
    const inPlace = p.slice();
    expect(ik.surprisal(inPlace, { out: inPlace, backend })).toEqual(want);
    const z = f32(1, 2, 5, 1), sm = ik.softmax(z.slice(), { backend });
    expect(ik.softmax(z, { out: z, backend })).toEqual(sm);
  });

  it.each(BACKENDS)('a detached buffer is a TypeError naming function and argument (%s)', (backend) => {
    const p = f32(0.5, 0.5);
    structuredClone(p.buffer, { transfer: [p.buffer] });
    expectThrows(() => ik.entropy(p, { backend }), TypeError, /^entropy: p is a view of a detached ArrayBuffer/);
    expect(() => ik.entropy(p, { cols: 2, backend })).toThrow(TypeError);
    const y = new Int32Array([0]);
    structuredClone(y.buffer, { transfer: [y.buffer] });
    expectThrows(() => ik.softmaxCrossEntropy(f32(1, 2), y, { cols: 2, backend }), TypeError, /^softmaxCrossEntropy: target is a view of a detached/);
  });

  it('mostUncertain checks k first and names itself; float labels say Int32Array', () => {
    const p = f32(0.5, -0.5, NaN, 1);
    expectThrows(() => ik.mostUncertain(p, { cols: 2, k: 5 }), RangeError, /^mostUncertain: option k = 5/);
    expectThrows(() => ik.mostUncertain(p, { cols: 2, k: 1 }), RangeError, /^mostUncertain: p\[1\] = -0\.5/);
    expectThrows(() => ik.softmaxCrossEntropy(f32(1, 2, 3, 4, 5, 6), f32(0, 2), { cols: 3 }), TypeError,
      /^softmaxCrossEntropy: target is a Float32Array of 2 values, one per row: class indices must be an Int32Array/);
    // cols = 1: a float target is one probability per row (documented), never labels
    expect(ik.softmaxCrossEntropy(f32(1, 2), f32(1, 1), { cols: 1 })).toBe(0);
  });
});
